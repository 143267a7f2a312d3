/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `vite build` produces the app the desktop shell embeds (ui/dist, index.html only).
// `vite build --mode mock` produces a browser-only preview (ui/dist-mock, mock.html) whose IPC is
// answered by an in-memory fake; it exists for screenshots and is never part of the real build.
export default defineConfig(({ mode }) => {
  const mock = mode === 'mock';
  return {
    base: './',
    clearScreen: false,
    plugins: [react()],
    server: { port: 1420, strictPort: true },
    preview: { port: 4173, strictPort: true },
    build: {
      target: ['es2021', 'safari15'],
      outDir: mock ? 'dist-mock' : 'dist',
      emptyOutDir: true,
      sourcemap: false,
      chunkSizeWarningLimit: 1500,
      rolldownOptions: { input: mock ? 'mock.html' : 'index.html' },
    },
    test: {
      environment: 'jsdom',
      setupFiles: ['./src/test/setup.ts'],
      css: false,
      restoreMocks: true,
      testTimeout: 15000,
    },
  };
});
