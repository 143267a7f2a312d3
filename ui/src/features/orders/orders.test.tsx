import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OrderSummaryDto } from '../../bindings/OrderSummaryDto';
import { renderApp } from '../../test/render';

const usd = (amount: number) => ({ amount, currency: 'USD' });
const row = (n: number, customer: string | null): OrderSummaryDto => ({
  id: `id-${n}`,
  number: `SO-${n}`,
  createdAt: `2026-11-2${n}T10:00:00Z`,
  channel: 'web',
  customerName: customer,
  status: n === 2 ? 'backordered' : 'open',
  itemCount: n,
  total: usd(n * 1000 + 5),
  pickupLocation: null,
});
const page = { rows: [row(3, 'Ada Lovelace'), row(2, 'Grace Hopper'), row(1, null)], total: 3, totalCapped: false };

describe('Orders list', () => {
  it('renders the rows of the page the core returns, with the total count', async () => {
    const { callsTo } = renderApp('/orders', { list_orders: () => page });
    const rows = await screen.findAllByTestId('order-row');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('SO-3');
    expect(rows[0]).toHaveTextContent('Ada Lovelace');
    expect(rows[0]).toHaveTextContent('$30.05');
    expect(rows[1]).toHaveTextContent('Backordered');
    expect(rows[2]).toHaveTextContent('Walk-in');
    expect(screen.getByTestId('grid-total')).toHaveTextContent('3 orders');
    // Newest first, the first page.
    expect(callsTo('list_orders')[0]?.args.query).toMatchObject({
      sort: 'created_at',
      descending: true,
      offset: 0,
      limit: 100,
      search: null,
    });
  });

  it('says "10,000+ orders" when the core stopped counting at its cap', async () => {
    renderApp('/orders', { list_orders: () => ({ ...page, total: 10_000, totalCapped: true }) });
    await screen.findAllByTestId('order-row');
    expect(screen.getByTestId('grid-total')).toHaveTextContent('10,000+ orders');
  });

  it('moves the highlight with the arrow keys and opens the order with Enter', async () => {
    const { user, router, callsTo } = renderApp('/orders', { list_orders: () => page });
    await screen.findAllByTestId('order-row');
    const grid = screen.getByRole('grid', { name: 'Orders' });
    grid.focus();
    await user.keyboard('{ArrowDown}');
    const highlighted = within(grid)
      .getAllByTestId('order-row')
      .find((r) => r.getAttribute('aria-selected') === 'true');
    expect(highlighted).toHaveAttribute('data-number', 'SO-2');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/orders/SO-2'));
    await waitFor(() => expect(callsTo('get_order').at(-1)?.args).toEqual({ number: 'SO-2' }));
  });

  it('searches as you type and keeps the search and sort in the URL', async () => {
    const { user, router, callsTo } = renderApp('/orders', { list_orders: () => page });
    await screen.findAllByTestId('order-row');
    await user.type(screen.getByRole('textbox', { name: 'Search orders' }), 'grace');
    await waitFor(() =>
      expect(callsTo('list_orders').at(-1)?.args.query).toMatchObject({ search: 'grace', offset: 0 }),
    );
    expect(router.state.location.search).toMatchObject({ q: 'grace' });

    await user.click(screen.getByRole('button', { name: /Total/ }));
    await waitFor(() => expect(router.state.location.search).toMatchObject({ q: 'grace', sort: 'total', desc: true }));
    await waitFor(() =>
      expect(callsTo('list_orders').at(-1)?.args.query).toMatchObject({ sort: 'total', descending: true }),
    );
  });
});
