import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CustomerDetailDto } from '../../bindings/CustomerDetailDto';
import { createMockBackend } from '../../mock/backend';
import { renderApp } from '../../test/render';

// The mock core (orderCount 50) has six customers (c-1 Ada Lovelace … c-6 Margaret Hamilton); the
// newest delivered or completed order of each carries a return refunded to store credit.

/** A customer of the mock shop whose timeline holds a return and a store-credit refund. */
function customerWithReturn(): CustomerDetailDto {
  const backend = createMockBackend({ orderCount: 50 });
  for (let i = 1; i <= 6; i += 1) {
    const d = backend.handle('customer_detail', { id: `c-${i}` }) as CustomerDetailDto;
    if (d.returnCount > 0) return d;
  }
  throw new Error('no customer of the mock shop has a return');
}

describe('Customers screen', () => {
  it('focuses the search, answers as you type, and opens a customer with ↓ and Enter', async () => {
    const { user, router, callsTo } = renderApp('/customers');
    const box = await screen.findByRole('textbox', { name: 'Search customers' });
    await waitFor(() => expect(box).toHaveFocus());
    await user.type(box, 'ing');
    const results = await screen.findByRole('listbox', { name: 'Customers found' });
    await waitFor(() => expect(within(results).getAllByRole('option')).toHaveLength(2));
    expect(within(results).getByRole('option', { name: /Alan Turing/ })).toHaveAttribute('aria-selected', 'true');
    expect(callsTo('search_customers').at(-1)!.args).toEqual({ search: 'ing' });
    expect(router.state.location.search).toMatchObject({ q: 'ing' });

    await user.keyboard('{ArrowDown}');
    expect(within(results).getByRole('option', { name: /Linus Pauling/ })).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/customers/c-5'));
    expect(await screen.findByRole('heading', { name: 'Linus Pauling' })).toBeInTheDocument();
  });

  it('is in the navigation and Alt+U opens it', async () => {
    const { user, router } = renderApp('/orders');
    const link = await screen.findByRole('link', { name: 'Customers' });
    expect(link).toHaveAttribute('aria-keyshortcuts', 'Alt+U');
    expect(link).toHaveAttribute('data-shortcut', 'Alt+U');
    await user.keyboard('{Alt>}u{/Alt}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/customers'));
  });
});

describe('Customer page', () => {
  it('shows the figures, the orders and a timeline with the return and the store credit', async () => {
    const c = customerWithReturn();
    renderApp(`/customers/${c.id}`);
    expect(await screen.findByRole('heading', { name: c.name })).toBeInTheDocument();
    if (c.email) expect(screen.getByText(c.email)).toBeInTheDocument();
    expect(screen.getAllByTestId('customer-address').length).toBe(c.addresses.length);

    const stat = (label: string) => screen.getByRole('group', { name: label });
    expect(stat('Orders')).toHaveTextContent(String(c.orderCount));
    expect(stat('Open orders')).toHaveTextContent(String(c.openOrders));
    expect(stat('Returns')).toHaveTextContent('1');
    expect(stat('Store credit')).toHaveTextContent(
      `$${(c.storeCredit.amount / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );
    expect(stat('Lifetime spend')).toHaveTextContent('$');

    const orders = await screen.findByRole('table', { name: 'Customer orders' });
    const rows = within(orders).getAllByRole('row').slice(1);
    expect(rows.length).toBe(Math.min(10, c.orderCount));
    const first = within(rows[0]!).getByRole('link');
    expect(first).toHaveAttribute('href', expect.stringContaining('/orders/SO-'));

    const timeline = await screen.findByRole('region', { name: 'Timeline' });
    await waitFor(() => expect(within(timeline).getAllByTestId('timeline-entry').length).toBeGreaterThan(0));
    expect(within(timeline).getAllByText(/Return R-\d+-1 authorised/).length).toBeGreaterThan(0);
    expect(within(timeline).getByText(/Refunded .* to store credit/)).toBeInTheDocument();
    const credit = within(timeline)
      .getByText(/Store credit issued/)
      .closest('[data-testid="timeline-entry"]');
    expect(credit).not.toBeNull();
    expect(within(credit as HTMLElement).getByTestId('credit-amount')).toHaveTextContent('+');
    expect(within(credit as HTMLElement).getByRole('link', { name: /^SO-/ })).toBeInTheDocument();
  });

  it('"Load more" appends the next page of the timeline, following the cursor', async () => {
    const c = customerWithReturn();
    const { user, callsTo } = renderApp(`/customers/${c.id}`);
    const timeline = await screen.findByRole('region', { name: 'Timeline' });
    await waitFor(() => expect(within(timeline).getAllByTestId('timeline-entry')).toHaveLength(20));
    const firstPage = within(timeline)
      .getAllByTestId('timeline-entry')
      .map((e) => e.textContent);
    await user.click(within(timeline).getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(timeline).getAllByTestId('timeline-entry').length).toBeGreaterThan(20));
    const all = within(timeline)
      .getAllByTestId('timeline-entry')
      .map((e) => e.textContent);
    expect(all.slice(0, 20)).toEqual(firstPage);
    const asked = callsTo('customer_timeline');
    expect(asked[0]!.args).toMatchObject({ id: c.id, before: null, limit: 20 });
    expect(asked.at(-1)!.args.before).toEqual(expect.stringContaining('_'));
  });

  it('says when the customer does not exist', async () => {
    renderApp('/customers/c-404');
    expect(await screen.findByText(/Customer 'c-404' was not found/)).toBeInTheDocument();
  });
});

describe('Order page', () => {
  it("links the customer's name to the customer page", async () => {
    const backend = createMockBackend({ orderCount: 50 });
    // The newest generated orders: the first with a customer.
    let number = '';
    for (let i = 49; i >= 0 && !number; i -= 1) {
      const o = backend.handle('get_order', { number: `SO-${100000 + i}` }) as {
        number: string;
        customer: { id: string } | null;
      };
      if (o.customer) number = o.number;
    }
    const { user, router } = renderApp(`/orders/${number}`);
    const section = await screen.findByText('Customer');
    expect(section).toBeInTheDocument();
    const order = backend.handle('get_order', { number }) as { customer: { id: string; name: string } };
    const link = await screen.findByRole('link', { name: order.customer.name });
    await user.click(link);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/customers/${order.customer.id}`));
    expect(await screen.findByRole('region', { name: 'Timeline' })).toBeInTheDocument();
  });
});

describe('Return page', () => {
  it("links the return's customer to the customer page", async () => {
    const backend = createMockBackend({ orderCount: 50 });
    const ret = ['R-100002-1', 'R-100003-1']
      .map(
        (number) =>
          backend.handle('get_return', { number }) as {
            number: string;
            customerId: string | null;
            customerName: string | null;
          },
      )
      .find((r) => r.customerId);
    expect(ret).toBeDefined();
    const { user, router } = renderApp(`/returns/${ret!.number}`);
    const link = await screen.findByRole('link', { name: ret!.customerName! });
    await user.click(link);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/customers/${ret!.customerId}`));
  });
});
