import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';

describe('Settings', () => {
  it('tests a PostgreSQL URL and shows the result', async () => {
    const { user, callsTo } = renderApp('/settings', {
      test_database: ({ url }) => ({
        ok: true,
        kind: 'postgres',
        message: `PostgreSQL 15 answered at ${url.split('@')[1]}`,
      }),
    });
    const field = await screen.findByLabelText('PostgreSQL URL');
    await user.type(field, 'postgres://shop:secret@db.local:5432/orderly');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));

    const result = await screen.findByTestId('database-test-result');
    expect(result).toHaveTextContent('Connected (postgres)');
    expect(result).toHaveTextContent('PostgreSQL 15 answered at db.local:5432/orderly');
    expect(callsTo('test_database')[0]?.args).toEqual({ url: 'postgres://shop:secret@db.local:5432/orderly' });
  });

  it('shows a failed connection as a failure', async () => {
    const { user } = renderApp('/settings', {
      test_database: () => ({ ok: false, kind: 'postgres', message: 'connection refused' }),
    });
    await user.type(await screen.findByLabelText('PostgreSQL URL'), 'postgres://x@nowhere/db{Enter}');
    const result = await screen.findByTestId('database-test-result');
    expect(result).toHaveTextContent('Connection failed');
    expect(result).toHaveTextContent('connection refused');
    expect(screen.getByRole('button', { name: 'Use this database' })).toBeDisabled();
  });

  it('asks once before clearing all data, naming what goes', async () => {
    const { user, callsTo } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'Clear all data…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete all shop data?' });
    expect(dialog).toHaveTextContent('all orders');
    expect(dialog).toHaveTextContent('all products and customers');
    expect(callsTo('clear_data')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Delete all shop data' }));
    await waitFor(() => expect(callsTo('clear_data')).toHaveLength(1));
  });
});

describe('Sales channels', () => {
  it('adds a channel with its stock buffer', async () => {
    const { user, callsTo } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'Add channel' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a sales channel' });
    await user.type(within(dialog).getByLabelText('Code'), 'etsy');
    await user.type(within(dialog).getByLabelText('Name'), 'Etsy shop');
    await user.clear(within(dialog).getByLabelText('Stock buffer (units)'));
    await user.type(within(dialog).getByLabelText('Stock buffer (units)'), '2{Enter}');
    await waitFor(() =>
      expect(callsTo('create_channel')[0]?.args).toEqual({
        channel: { code: 'etsy', name: 'Etsy shop', safetyStock: 2 },
      }),
    );
    expect(await screen.findByRole('cell', { name: 'Etsy shop' })).toBeInTheDocument();
  });

  it('edits a channel by its code', async () => {
    const { user, callsTo } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'Edit channel marketplace' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit channel marketplace' });
    const buffer = within(dialog).getByLabelText('Stock buffer (units)');
    await user.clear(buffer);
    await user.type(buffer, '5{Enter}');
    await waitFor(() =>
      expect(callsTo('update_channel')[0]?.args).toEqual({
        channel: { code: 'marketplace', name: 'Marketplace', safetyStock: 5 },
      }),
    );
  });
});
