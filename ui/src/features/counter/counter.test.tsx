import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';

const SCAN = 'Scan or type SKU or barcode';

async function scan(user: ReturnType<typeof renderApp>['user'], code: string) {
  await user.type(screen.getByLabelText(SCAN), `${code}{Enter}`);
}

function linesTable() {
  return screen.getByRole('table', { name: 'Order lines' });
}

describe('Counter', () => {
  it('adds a line when a SKU is typed and Enter pressed, and +1 on a second scan; focus stays in the scan box', async () => {
    const { user, callsTo } = renderApp('/counter');
    const input = await screen.findByLabelText(SCAN);
    await waitFor(() => expect(input).toHaveFocus());

    await scan(user, 'MUG-BLU-01');
    const row = await within(linesTable()).findByText('MUG-BLU-01');
    expect(row).toBeInTheDocument();
    expect(screen.getByLabelText('Quantity for MUG-BLU-01')).toHaveValue('1');
    expect(input).toHaveValue('');
    expect(input).toHaveFocus();
    expect(callsTo('find_product').at(-1)?.args).toEqual({ code: 'MUG-BLU-01' });

    await scan(user, 'MUG-BLU-01');
    await waitFor(() => expect(screen.getByLabelText('Quantity for MUG-BLU-01')).toHaveValue('2'));

    // A barcode finds the product too.
    await scan(user, '0123456780057');
    expect(await within(linesTable()).findByText('TOTE-BLU-06')).toBeInTheDocument();
  });

  it('shows a big error for an unknown code and selects it so the next scan replaces it', async () => {
    const { user } = renderApp('/counter');
    const input = await screen.findByLabelText(SCAN);
    await scan(user, 'NOPE-404');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not found: NOPE-404');
    await waitFor(() => expect(input).toHaveValue('NOPE-404'));
    await waitFor(() => {
      const el = input as HTMLInputElement;
      expect([el.selectionStart, el.selectionEnd]).toEqual([0, 'NOPE-404'.length]);
    });
    expect(within(linesTable()).getByText(/No items yet/)).toBeInTheDocument();
  });

  it('completes the order with Ctrl+Enter, shows the new number, and is ready for the next sale', async () => {
    const { user, callsTo } = renderApp('/counter');
    const input = await screen.findByLabelText(SCAN);
    // The store list arrives, and the first store that hands over goods becomes the counter's store.
    await waitFor(() => expect(screen.getByLabelText('Sold at store')).toHaveValue('ST-BKLYN'));

    await scan(user, 'MUG-BLU-01');
    await scan(user, 'MUG-BLU-01');
    await within(linesTable()).findByText('MUG-BLU-01');
    await waitFor(() => expect(screen.getByLabelText('Quantity for MUG-BLU-01')).toHaveValue('2'));
    await user.keyboard('{Control>}{Enter}{/Control}');

    const created = await screen.findByTestId('created-order-number');
    expect(created).toHaveTextContent(/^SO-\d+$/);
    expect(created.closest('a')).toHaveAttribute('href', expect.stringContaining(`/orders/${created.textContent}`));

    const order = callsTo('create_order')[0]?.args.order;
    expect(order).toMatchObject({
      channel: 'counter',
      takeAway: true,
      pickupLocation: 'ST-BKLYN',
      customerId: null,
      customer: null,
      shipTo: null,
      lines: [{ sku: 'MUG-BLU-01', qty: 2, unitPrice: null, discount: null }],
      payment: { method: 'card', captured: true },
      taxRateBp: null,
    });

    expect(within(linesTable()).getByText(/No items yet/)).toBeInTheDocument();
    expect(input).toHaveValue('');
    expect(input).toHaveFocus();
  });

  it('also completes with the "Complete order" button and sends a typed price override in minor units', async () => {
    const { user, callsTo } = renderApp('/counter');
    await screen.findByLabelText(SCAN);
    await waitFor(() => expect(screen.getByLabelText('Sold at store')).toHaveValue('ST-BKLYN'));
    await scan(user, 'MUG-BLU-01');
    const price = await screen.findByLabelText('Unit price for MUG-BLU-01');
    await user.type(price, '0.29');
    await user.click(screen.getByRole('button', { name: /Complete order/ }));
    await screen.findByTestId('created-order-number');
    expect(callsTo('create_order')[0]?.args.order).toMatchObject({
      lines: [{ sku: 'MUG-BLU-01', qty: 1, unitPrice: 29 }],
    });
  });

  it("puts the core's field error next to the field it names (lines.0.qty)", async () => {
    const { user } = renderApp('/counter', {
      create_order: () => {
        throw { code: 'invalid', message: 'At most 12 per customer for this item', field: 'lines.0.qty' };
      },
    });
    await screen.findByLabelText(SCAN);
    await waitFor(() => expect(screen.getByLabelText('Sold at store')).toHaveValue('ST-BKLYN'));
    await scan(user, 'MUG-BLU-01');
    const qty = await screen.findByLabelText('Quantity for MUG-BLU-01');
    await user.keyboard('{Control>}{Enter}{/Control}');

    const message = await screen.findByText('At most 12 per customer for this item');
    expect(qty).toHaveAttribute('aria-invalid', 'true');
    expect(qty.getAttribute('aria-describedby')).toContain(message.id);
    expect(screen.queryByTestId('created-order-number')).not.toBeInTheDocument();
    // The sale is still there to fix.
    expect(within(linesTable()).getByText('MUG-BLU-01')).toBeInTheDocument();
  });

  it('shows out-of-stock with the short SKUs the core lists', async () => {
    const { user } = renderApp('/counter', {
      create_order: () => {
        throw {
          code: 'out_of_stock',
          message: 'Not enough stock for:\nMUG-BLU-01 (wanted 2, available 1)',
          field: null,
        };
      },
    });
    await screen.findByLabelText(SCAN);
    await scan(user, 'MUG-BLU-01');
    await within(linesTable()).findByText('MUG-BLU-01');
    await user.keyboard('{Control>}{Enter}{/Control}');
    const alert = await screen.findByText(/MUG-BLU-01 \(wanted 2, available 1\)/);
    expect(alert.closest('[role="alert"]')).toHaveTextContent('Not enough stock');
  });

  it('removes a focused line with Delete', async () => {
    const { user } = renderApp('/counter');
    await screen.findByLabelText(SCAN);
    await scan(user, 'MUG-BLU-01');
    const row = (await within(linesTable()).findByText('MUG-BLU-01')).closest('tr')!;
    row.focus();
    await user.keyboard('{Delete}');
    expect(within(linesTable()).queryByText('MUG-BLU-01')).not.toBeInTheDocument();
    expect(screen.getByLabelText(SCAN)).toHaveFocus();
  });
});
