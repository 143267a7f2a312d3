/**
 * Renders the whole app at a URL, with the shell's IPC answered by the mock core (`src/mock`) plus
 * per-test overrides, and every call recorded so tests can check what the UI asked the core.
 */
import { mockIPC } from '@tauri-apps/api/mocks';
import { createMemoryHistory } from '@tanstack/react-router';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../app/App';
import { createQueryClient } from '../app/queryClient';
import { createAppRouter } from '../app/router';
import type { CommandArgs, CommandName, CommandResult } from '../lib/ipc';
import { createMockBackend } from '../mock/backend';

export type Overrides = {
  [K in CommandName]?: (args: CommandArgs<K>) => CommandResult<K> | Promise<CommandResult<K>>;
};

export type Call = { cmd: string; args: Record<string, unknown> };

export function renderApp(path: string, overrides: Overrides = {}, options: { orderCount?: number } = {}) {
  const backend = createMockBackend({ orderCount: options.orderCount ?? 50 });
  const calls: Call[] = [];
  mockIPC(async (cmd, args) => {
    const payload = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: payload });
    const override = (overrides as Record<string, ((a: unknown) => unknown) | undefined>)[cmd];
    return override ? override(payload) : backend.handle(cmd, payload);
  });
  const queryClient = createQueryClient();
  const router = createAppRouter(queryClient, createMemoryHistory({ initialEntries: [path] }));
  const user = userEvent.setup();
  const utils = render(<App router={router} queryClient={queryClient} />);
  return {
    ...utils,
    user,
    router,
    calls,
    /** The calls made to one command, latest last. */
    callsTo: (cmd: CommandName) => calls.filter((c) => c.cmd === cmd),
    screen,
  };
}
