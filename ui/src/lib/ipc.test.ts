import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import { AppError, call, commands, toAppError } from './ipc';

describe('call', () => {
  it('passes camelCase arguments and returns the result', async () => {
    const seen: unknown[] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return [];
    });
    await expect(commands.listTransfers(true)).resolves.toEqual([]);
    expect(seen).toEqual([['list_transfers', { openOnly: true }]]);
  });

  it('turns the core error object into an AppError with code and field', async () => {
    mockIPC(() => {
      throw { code: 'invalid', message: 'Quantity must be positive', field: 'lines.2.qty' };
    });
    const error = await call('get_order', { number: 'SO-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'invalid', message: 'Quantity must be positive', field: 'lines.2.qty' });
  });

  it('turns a plain string rejection (unknown command) into an internal AppError', () => {
    expect(toAppError('command nope not found')).toMatchObject({
      code: 'internal',
      message: 'command nope not found',
      field: null,
    });
    expect(toAppError({ code: 'weird', message: 'x' }).code).toBe('internal');
  });
});
