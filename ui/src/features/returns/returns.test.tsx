import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OrderSummaryDto } from '../../bindings/OrderSummaryDto';
import type { ReceiveUnitsDto } from '../../bindings/ReceiveUnitsDto';
import type { RefundInputDto } from '../../bindings/RefundInputDto';
import type { ReturnInputDto } from '../../bindings/ReturnInputDto';
import type { ReturnPolicyDto } from '../../bindings/ReturnPolicyDto';
import { renderApp } from '../../test/render';

// The mock core (orderCount 50) has: R-100002-1 (ship-back, authorised, SO-100002, POST-SAN-30;
// line 2 of SO-100002 is final sale), R-100003-1 (drop-off, received damaged, refundable $36.63),
// and SO-100004 (completed, two lines that can come back).

describe('Start a return', () => {
  it('previews the return as quantities are set and creates it, then opens the return', async () => {
    const { user, router, callsTo } = renderApp('/orders/SO-100004/return');
    expect(await screen.findByTestId('window-info')).toHaveTextContent('Within the window');
    const authorize = screen.getByRole('button', { name: /Authorize return/ });
    expect(authorize).toBeDisabled();

    const qty = screen.getByLabelText('Return qty line 1');
    await user.clear(qty);
    await user.type(qty, '1');
    await user.selectOptions(screen.getByLabelText('Reason line 1'), 'wrong_size');

    const breakdown = await screen.findByTestId('breakdown', {}, { timeout: 3000 });
    expect(within(breakdown).getByText('Refundable now')).toBeInTheDocument();
    expect(await screen.findByText('Allowed')).toBeInTheDocument();
    expect(screen.queryByTestId('override')).not.toBeInTheDocument();
    const preview = callsTo('preview_return').at(-1)!.args.input as ReturnInputDto;
    expect(preview.lines).toEqual([{ lineNo: 1, qty: 1, reason: 'wrong_size', condition: 'unopened', note: null }]);

    await user.click(authorize);
    await waitFor(() => expect(router.state.location.pathname).toBe('/returns/R-100004-1'));
    const created = callsTo('create_return')[0]!.args.input as ReturnInputDto;
    expect(created).toMatchObject({ order: 'SO-100004', method: 'ship_back', location: 'WH-EAST' });
    expect(await screen.findByRole('heading', { name: 'R-100004-1' })).toBeInTheDocument();
  });

  it("takes a drop-off at this workstation's store unless the clerk picks another place", async () => {
    const { user, callsTo } = renderApp('/orders/SO-100004/return', {
      get_workstation: () => ({
        homeLocation: 'ST-BKLYN',
        labelPrinter: null,
        labelFormat: 'pdf',
        documentPrinter: null,
        defaultFolder: '/tmp',
      }),
    });
    expect(await screen.findByTestId('window-info')).toBeInTheDocument();
    const qty = screen.getByLabelText('Return qty line 1');
    await user.clear(qty);
    await user.type(qty, '1');
    await user.click(screen.getByText('Drop off'));
    await waitFor(() => expect(screen.getByLabelText('Dropped off at')).toHaveValue('ST-BKLYN'));
    await user.click(screen.getByRole('button', { name: /Authorize return/ }));
    await waitFor(() => expect(callsTo('create_return')).toHaveLength(1));
    expect(callsTo('create_return')[0]!.args.input).toMatchObject({ method: 'drop_off', location: 'ST-BKLYN' });
  });

  it('shows why a final-sale line is refused and lets it through with an override reason', async () => {
    const { user, router, callsTo } = renderApp('/orders/SO-100002/return');
    await screen.findByTestId('window-info');
    expect(screen.getByText('Final sale')).toBeInTheDocument();
    const qty = screen.getByLabelText('Return qty line 2');
    await user.clear(qty);
    await user.type(qty, '1');

    const problems = await screen.findByTestId('problems', {}, { timeout: 3000 });
    expect(problems).toHaveTextContent(/final sale/);
    const override = screen.getByLabelText(/Override policy/);
    await user.type(override, 'Manager Sam: gift, unopened');
    await waitFor(() => expect(screen.queryByTestId('problems')).not.toBeInTheDocument(), { timeout: 3000 });
    expect(screen.getByTestId('policy-notes')).toHaveTextContent('returned by override (Manager Sam: gift, unopened)');

    await user.click(screen.getByRole('button', { name: /Authorize return/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/returns/R-100002-2'));
    expect((callsTo('create_return')[0]!.args.input as ReturnInputDto).overrideReason).toBe(
      'Manager Sam: gift, unopened',
    );
  });
});

describe('Receive & inspect', () => {
  it('receives a right scan with the chosen disposition and shows a wrong scan big and red', async () => {
    const { user, callsTo } = renderApp('/returns/R-100002-1');
    const scan = await screen.findByLabelText('Scan an item');
    await waitFor(() => expect(scan).toHaveFocus());

    await user.type(scan, 'NOPE-1{Enter}');
    const error = await screen.findByTestId('scan-error');
    expect(error).toHaveTextContent("'NOPE-1' is not a product barcode or SKU");
    expect(screen.getByRole('table', { name: 'Return lines' })).toHaveTextContent('—');

    // Ctrl+2 picks "Damaged" while the scan box keeps the focus.
    await user.keyboard('{Control>}2{/Control}');
    await user.clear(scan);
    await user.type(scan, 'POST-SAN-30{Enter}');
    expect(await screen.findByTestId('scan-ok')).toHaveTextContent('Received 1 × POST-SAN-30 as Damaged at WH-EAST');
    expect(screen.queryByTestId('scan-error')).not.toBeInTheDocument();
    const sent = callsTo('receive_return').map((c) => c.args.input as ReceiveUnitsDto);
    expect(sent.at(-1)).toEqual({
      ret: 'R-100002-1',
      location: 'WH-EAST',
      code: 'POST-SAN-30',
      lineNo: null,
      qty: 1,
      disposition: 'damaged',
      note: null,
    });
    expect(await screen.findByRole('table', { name: 'Return lines' })).toHaveTextContent('1 × Damaged at WH-EAST');
    expect(scan).toHaveFocus();

    // A surplus scan is the core's refusal too.
    await user.type(scan, 'POST-SAN-30{Enter}');
    expect(await screen.findByTestId('scan-error')).toHaveTextContent(/surplus/);
  });
});

describe('Return label', () => {
  it('makes a ship-back label with a generated number and prints it as a return label', async () => {
    const { user, callsTo } = renderApp('/returns/R-100002-1');
    const panel = await screen.findByLabelText('Return label', { selector: 'div' });
    await user.type(within(panel).getByLabelText('Carrier'), 'UPS');
    await user.type(within(panel).getByLabelText('Service'), 'Ground');
    await user.click(within(panel).getByLabelText('Generate local number'));
    await user.click(within(panel).getByRole('button', { name: 'Save return label' }));
    expect(await within(panel).findByTestId('return-label-info')).toHaveTextContent('UPS Ground');
    expect(callsTo('return_label')[0]!.args.input).toMatchObject({
      ret: 'R-100002-1',
      generateLocal: true,
      trackingNumber: null,
      weightGrams: 500,
    });
    expect(within(panel).queryByRole('button', { name: 'Save return label' })).not.toBeInTheDocument();
    await user.click(within(panel).getByRole('button', { name: 'Print label' }));
    expect(await within(panel).findByLabelText('Printed')).toHaveTextContent('return_label-R-100002-1');
    expect(callsTo('print_document')[0]!.args.request).toEqual({ document: 'return_label', reference: 'R-100002-1' });
  });
});

describe('Refund', () => {
  it('confirms the amount, sends one idempotency key per dialog, and lists the refund', async () => {
    const { user, callsTo } = renderApp('/returns/R-100003-1');
    await user.click(await screen.findByRole('button', { name: 'Refund…' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('confirm-amount')).toHaveTextContent('$36.63');
    const confirm = within(dialog).getByRole('button', { name: 'Refund $36.63' });
    await user.dblClick(confirm);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const sent = callsTo('refund_return').map((c) => c.args.input as RefundInputDto);
    // Whatever reached the core carries the dialog's one key.
    expect(new Set(sent.map((s) => s.idempotencyKey)).size).toBe(1);
    expect(sent[0]).toMatchObject({ ret: 'R-100003-1', amount: null, to: 'original', beforeReceipt: false });
    expect(sent[0]!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(await screen.findByRole('table', { name: 'Refunds' })).toHaveTextContent('$36.63');
  });

  it('needs a reason for less than refundable (the core says so, on the field), with a new key per dialog', async () => {
    const { user, callsTo } = renderApp('/returns/R-100003-1');
    await user.type(await screen.findByLabelText('Amount (USD)'), '10.50');
    await user.click(screen.getByRole('button', { name: 'Refund…' }));
    let dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Refund $10.50' }));
    expect(await within(dialog).findByText(/Say why the refund is less than/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    await user.type(screen.getByLabelText(/^Reason/), 'Scratched box');
    await user.click(screen.getByRole('button', { name: 'Refund…' }));
    dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Refund $10.50' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const sent = callsTo('refund_return').map((c) => c.args.input as RefundInputDto);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.idempotencyKey).not.toBe(sent[1]!.idempotencyKey);
    expect(sent[1]).toMatchObject({ amount: { amount: 1050, currency: 'USD' }, reason: 'Scratched box' });
  });
});

describe('Exchange', () => {
  it('sends the new lines and shows the core settlement sentence with a link to the new order', async () => {
    const { user, callsTo } = renderApp('/returns/R-100002-1');
    const code = await screen.findByLabelText('Item to send (SKU or barcode)');
    await user.type(code, 'MUG-BLU-01{Enter}');
    const items = await screen.findByRole('table', { name: 'Items to send' });
    expect(items).toHaveTextContent('Mug, blue');
    await user.click(screen.getByRole('button', { name: 'Create exchange' }));
    const settlement = await screen.findByTestId('settlement');
    expect(settlement).toHaveTextContent(/The new order SO-\d+ costs/);
    expect(within(settlement).getByRole('link', { name: /^SO-/ })).toBeInTheDocument();
    const input = callsTo('create_exchange')[0]!.args.input as { lines: unknown[]; idempotencyKey: string };
    expect(input.lines).toEqual([{ sku: 'MUG-BLU-01', qty: 1, unitPrice: null, discount: null }]);
    expect(input.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Returns screen', () => {
  it('shows the queues with counts, opens a scanned return, and disposes of held stock', async () => {
    const { user, router, callsTo } = renderApp('/returns');
    expect(await screen.findByRole('tab', { name: 'Expected (1)' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'To refund (1)' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'R-100002-1' })).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Held stock (1)' }));
    const held = await screen.findByRole('table', { name: 'Held stock' });
    expect(held).toHaveTextContent('PENS-BLU-46');
    await user.click(within(held).getByRole('button', { name: 'Dispose' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('Reason'), 'Broken glass');
    await user.click(within(dialog).getByRole('button', { name: 'Dispose' }));
    await waitFor(() => expect(screen.getByRole('tab', { name: 'Held stock (0)' })).toBeInTheDocument());
    expect(callsTo('held_stock_action')[0]!.args.input).toEqual({
      location: 'WH-EAST',
      sku: 'PENS-BLU-46',
      qty: 1,
      action: 'dispose',
      reason: 'Broken glass',
    });

    const scan = screen.getByLabelText('Scan a return or an order');
    await user.type(scan, 'r-100003-1{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/returns/R-100003-1'));
  });

  it('is in the navigation under Alt+0', async () => {
    const { user, router } = renderApp('/orders');
    await screen.findByRole('link', { name: 'Returns' });
    await user.keyboard('{Alt>}0{/Alt}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/returns'));
  });
});

describe('Order page and counter', () => {
  it('shows the order returns and a Start return button', async () => {
    const { user, router } = renderApp('/orders/SO-100003');
    const returns = await screen.findByLabelText('Returns', { selector: 'div' });
    expect(await within(returns).findByRole('link', { name: 'R-100003-1' })).toBeInTheDocument();
    expect(returns).toHaveTextContent('Received');
    expect(screen.getAllByText('Partially returned').length).toBeGreaterThan(0);
    await user.click(await screen.findByRole('link', { name: /Start return/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/orders/SO-100003/return'));
  });

  it('the counter takes a return (Alt+R): a scanned order opens Start a return', async () => {
    const { user, router } = renderApp('/counter');
    await screen.findByLabelText('Scan or type SKU or barcode');
    await user.keyboard('{Alt>}r{/Alt}');
    const scan = await screen.findByLabelText(/Scan the receipt/);
    await waitFor(() => expect(scan).toHaveFocus());
    await user.type(scan, 'SO-999999{Enter}');
    expect(await screen.findByText(/'SO-999999' is not an order number/)).toBeInTheDocument();
    await user.clear(scan);
    await user.type(scan, 'so-100004{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/orders/SO-100004/return'));
  });
});

describe('New order statuses', () => {
  it('shows partially returned and returned as badges and offers them in the status filter', async () => {
    const row = (n: number, status: OrderSummaryDto['status']): OrderSummaryDto => ({
      id: `o-${n}`,
      number: `SO-${n}`,
      createdAt: '2026-11-26T10:00:00Z',
      channel: 'web',
      customerName: 'Ada Lovelace',
      status,
      itemCount: 1,
      total: { amount: 1000, currency: 'USD' },
      pickupLocation: null,
    });
    renderApp('/orders', {
      list_orders: () => ({ rows: [row(1, 'partially_returned'), row(2, 'returned')], total: 2, totalCapped: false }),
    });
    expect(await screen.findByText('Partially returned', { selector: '.mantine-Badge-label' })).toBeInTheDocument();
    expect(screen.getByText('Returned', { selector: '.mantine-Badge-label' })).toBeInTheDocument();
    const filter = screen.getByRole('combobox', { name: 'Status' });
    expect(within(filter).getByRole('option', { name: 'Returned' })).toBeInTheDocument();
    expect(within(filter).getByRole('option', { name: 'Partially returned' })).toBeInTheDocument();
  });
});

describe('Settings → Returns', () => {
  it('round-trips the policy: percent to basis points, money text to minor units, channel windows', async () => {
    let saved: ReturnPolicyDto | null = null;
    const { user, callsTo } = renderApp('/settings', {
      save_return_policy: ({ policy }) => {
        saved = policy;
        return policy;
      },
      get_return_policy: () =>
        saved ?? {
          defaultWindowDays: 30,
          channelWindows: [{ channel: 'web', days: 30 }],
          restockingFeeBp: 1500,
          refundShippingOnShopFault: true,
          returnLabelFee: 0,
          defaultLocation: 'WH-EAST',
        },
    });
    const form = await screen.findByRole('form', { name: 'Return policy' });
    const fee = within(form).getByLabelText('Restocking fee (%)');
    expect(fee).toHaveValue('15');
    await user.clear(fee);
    await user.type(fee, '12.5');
    const label = within(form).getByLabelText('Return label fee (USD)');
    await user.clear(label);
    await user.type(label, '3.50');
    await user.type(within(form).getByLabelText('Marketplace (marketplace)'), '14');
    await user.click(within(form).getByLabelText(/Refund shipping/));
    await user.click(within(form).getByRole('button', { name: 'Save return policy' }));
    await waitFor(() => expect(callsTo('save_return_policy')).toHaveLength(1));
    expect(callsTo('save_return_policy')[0]!.args.policy).toEqual({
      defaultWindowDays: 30,
      channelWindows: [
        { channel: 'web', days: 30 },
        { channel: 'marketplace', days: 14 },
      ],
      restockingFeeBp: 1250,
      refundShippingOnShopFault: false,
      returnLabelFee: 350,
      defaultLocation: 'WH-EAST',
    });
    await waitFor(() => expect(fee).toHaveValue('12.5'));
    expect(label).toHaveValue('3.50');
  });
});
