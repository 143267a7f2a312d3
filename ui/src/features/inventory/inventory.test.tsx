import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';

describe('Inventory', () => {
  it('receives stock on the highlighted row: R opens the dialog prefilled, Enter sends receive_stock', async () => {
    const { user, callsTo } = renderApp('/inventory');
    const rows = await screen.findAllByTestId('inventory-row');
    const first = rows[0]!;
    const sku = first.getAttribute('data-sku');
    const location = first.getAttribute('data-location');
    expect(sku).toBeTruthy();
    expect(within(first).getByText(sku!)).toBeInTheDocument();

    screen.getByRole('grid', { name: 'Stock balances' }).focus();
    await user.keyboard('r');
    const dialog = await screen.findByRole('dialog', { name: 'Receive stock' });
    expect(within(dialog).getByLabelText('SKU')).toHaveValue(sku);
    await waitFor(() => expect(within(dialog).getByLabelText('Location')).toHaveValue(location));
    const qty = within(dialog).getByLabelText('Quantity');
    await waitFor(() => expect(qty).toHaveFocus());
    await user.type(qty, '5{Enter}');

    await waitFor(() => expect(callsTo('receive_stock')).toHaveLength(1));
    expect(callsTo('receive_stock')[0]?.args).toEqual({ input: { sku, location, qty: 5, note: null } });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Receive stock' })).not.toBeInTheDocument());
  });

  it("shows the core's field error in the dialog", async () => {
    const { user } = renderApp('/inventory', {
      receive_stock: () => {
        throw { code: 'invalid', message: 'Receive at most 100,000 units at once', field: 'qty' };
      },
    });
    await screen.findAllByTestId('inventory-row');
    await user.click(screen.getByRole('button', { name: /Receive/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Receive stock' });
    await user.type(within(dialog).getByLabelText('Quantity'), '999999{Enter}');
    expect(await within(dialog).findByText('Receive at most 100,000 units at once')).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Quantity')).toHaveAttribute('aria-invalid', 'true');
  });

  it('verifies the ledger and says clearly that all agree', async () => {
    const { user } = renderApp('/inventory');
    await screen.findAllByTestId('inventory-row');
    await user.click(screen.getByRole('button', { name: 'Verify ledger' }));
    expect(await screen.findByText('Balances agree with the ledger')).toBeInTheDocument();
  });

  it('lists each difference when the ledger and balances disagree', async () => {
    const { user } = renderApp('/inventory', {
      verify_inventory: () => ({
        balancesChecked: 10,
        movementsChecked: 40,
        differences: [{ sku: 'MUG-BLU-01', location: 'WH-EAST', field: 'reserved', stored: 3, fromLedger: 2 }],
      }),
    });
    await screen.findAllByTestId('inventory-row');
    await user.click(screen.getByRole('button', { name: 'Verify ledger' }));
    expect(await screen.findByText('1 differences found')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Differences' });
    expect(table).toHaveTextContent('MUG-BLU-01');
    expect(table).toHaveTextContent('reserved');
  });
});
