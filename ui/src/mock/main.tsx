/**
 * Browser preview of the UI with the in-memory mock core (mock.html; `npm run preview:mock`).
 * Not part of the desktop build: `vite build` only bundles index.html and src/main.tsx.
 */
import { mockIPC } from '@tauri-apps/api/mocks';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../app/App';
import { createQueryClient } from '../app/queryClient';
import { createAppRouter } from '../app/router';
import { createMockBackend } from './backend';

// `mock.html?orders=5000` tries a smaller shop; the default is a million orders.
const orders = Number(new URLSearchParams(window.location.search).get('orders') ?? '') || undefined;
const backend = createMockBackend({ orderCount: orders });
mockIPC(async (cmd, args) => {
  // A few milliseconds, like a local IPC round trip.
  await new Promise((resolve) => setTimeout(resolve, 8));
  return backend.handle(cmd, args);
});

const queryClient = createQueryClient();
const router = createAppRouter(queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App router={router} queryClient={queryClient} />
  </StrictMode>,
);
