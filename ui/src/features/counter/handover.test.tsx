import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import type { PickupHandoverDto } from '../../bindings/PickupHandoverDto';
import type { ShipmentDto } from '../../bindings/ShipmentDto';
import { AppError } from '../../lib/ipc';
import { renderApp } from '../../test/render';

const SCAN = 'Scan the order barcode or type the order number';
const usd = (amount: number) => ({ amount, currency: 'USD' });

const shipment: ShipmentDto = {
  number: 'SH-000051',
  orderNumber: 'SO-100051',
  customerName: 'Ada Lovelace',
  customerEmail: 'ada@example.com',
  location: 'ST-SOHO',
  locationName: 'SoHo Store',
  kind: 'pickup',
  status: 'ready_for_pickup',
  pickList: null,
  carrier: null,
  service: null,
  trackingNumber: null,
  trackingUrl: null,
  shippingCost: null,
  shipTo: null,
  promisedBy: null,
  createdAt: '2026-11-26T10:00:00Z',
  packedAt: '2026-11-26T11:00:00Z',
  shippedAt: null,
  deliveredAt: null,
  readyAt: '2026-11-26T11:00:00Z',
  units: 3,
  packedUnits: 3,
  weightGrams: 0,
  lines: [
    { lineNo: 1, sku: 'MUG-BLU-01', name: 'Blue mug', barcode: null, bin: 'A-01', qty: 2, packed: 2 },
    { lineNo: 2, sku: 'TOTE-RED-07', name: 'Red tote', barcode: null, bin: null, qty: 1, packed: 1 },
  ],
  packages: [],
  tracking: [],
};

const handover: PickupHandoverDto = {
  orderNumber: 'SO-100051',
  customerName: 'Ada Lovelace',
  store: 'ST-SOHO',
  ready: [shipment],
  unitsNotReady: 1,
};

function completed(number: string): OrderDetailDto {
  return {
    id: 'o-51',
    number,
    status: 'completed',
    nextStatuses: [],
    channel: 'web',
    channelRef: null,
    createdAt: '2026-11-26T10:00:00Z',
    customer: null,
    shipTo: null,
    pickupLocation: 'ST-SOHO',
    lines: [],
    totals: { subtotal: usd(0), discount: usd(0), shipping: usd(0), tax: usd(0), total: usd(0) },
    payments: [],
    reservations: [],
    attributes: [],
    notes: null,
    events: [],
    routes: [],
  };
}

async function openHandover(user: ReturnType<typeof renderApp>['user']) {
  await screen.findByLabelText('Scan or type SKU or barcode');
  await user.keyboard('{Alt>}h{/Alt}');
  const input = await screen.findByLabelText(SCAN);
  await waitFor(() => expect(input).toHaveFocus());
  return input;
}

describe('Counter pick-up hand-over', () => {
  it('scans the order, shows what is ready, checks the typed name and hands over; ready for the next customer', async () => {
    const { user, callsTo } = renderApp('/counter', {
      pickup_handover: () => handover,
      hand_over: ({ code }) => completed(code),
    });
    const input = await openHandover(user);

    await user.type(input, 'SO-100051{Enter}');
    const card = await screen.findByRole('region', { name: 'Pick-up SO-100051' });
    expect(callsTo('pickup_handover')[0]?.args).toEqual({ code: 'SO-100051' });
    expect(within(card).getByTestId('handover-name-on-order')).toHaveTextContent('Ada Lovelace');
    const ready = within(card).getByRole('table', { name: 'Ready to hand over' });
    expect(within(ready).getByText('MUG-BLU-01')).toBeInTheDocument();
    expect(within(ready).getByText('Red tote')).toBeInTheDocument();
    expect(within(card).getByTestId('handover-not-ready')).toHaveTextContent('1 unit is not ready yet');

    const name = within(card).getByLabelText('Name the customer gives');
    await waitFor(() => expect(name).toHaveFocus());
    await user.keyboard('ada lovelace{Enter}');

    const done = await screen.findByTestId('handover-done');
    expect(done).toHaveTextContent('Handed over SO-100051 — order completed');
    expect(callsTo('hand_over')[0]?.args).toEqual({ code: 'SO-100051', name: 'ada lovelace' });
    expect(screen.queryByRole('region', { name: 'Pick-up SO-100051' })).not.toBeInTheDocument();
    expect(input).toHaveValue('');
    await waitFor(() => expect(input).toHaveFocus());
  });

  it("shows the core's name mismatch big and clear, and hands nothing over", async () => {
    const { user, callsTo } = renderApp('/counter', {
      pickup_handover: () => handover,
      hand_over: () => {
        throw new AppError(
          'invalid',
          'The name does not match the order (Ada Lovelace): ask for the name on the order or an ID',
          'name',
        ).toDto();
      },
    });
    const input = await openHandover(user);
    await user.type(input, 'SO-100051{Enter}');
    const name = await screen.findByLabelText('Name the customer gives');
    await waitFor(() => expect(name).toHaveFocus());
    await user.keyboard('Charles Babbage{Enter}');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Name does not match — do not hand over');
    expect(alert).toHaveTextContent('ask for the name on the order or an ID');
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(callsTo('hand_over')).toHaveLength(1);
    expect(screen.queryByTestId('handover-done')).not.toBeInTheDocument();
    // The order is still there to try again with the right name.
    expect(screen.getByRole('region', { name: 'Pick-up SO-100051' })).toBeInTheDocument();
  });

  it('refuses an order that is not a pick-up, with the core message, and selects the code for the next scan', async () => {
    const { user, callsTo } = renderApp('/counter', {
      pickup_handover: ({ code }) => {
        throw { code: 'invalid', message: `${code} is not a pick-up order: it ships to the customer`, field: 'code' };
      },
    });
    const input = await openHandover(user);
    await user.type(input, 'SO-100007{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('SO-100007 is not a pick-up order: it ships to the customer');
    expect(screen.queryByLabelText('Name the customer gives')).not.toBeInTheDocument();
    expect(callsTo('hand_over')).toHaveLength(0);
    await waitFor(() => {
      const el = input as HTMLInputElement;
      expect([el.selectionStart, el.selectionEnd]).toEqual([0, 'SO-100007'.length]);
    });
  });

  it('hands over with the confirm button, and Alt+H goes back to the sale as it was', async () => {
    const { user, callsTo } = renderApp('/counter', {
      pickup_handover: () => ({ ...handover, unitsNotReady: 0 }),
      hand_over: ({ code }) => completed(code),
    });
    const saleScan = await screen.findByLabelText('Scan or type SKU or barcode');
    await user.type(saleScan, 'MUG-BLU-01{Enter}');
    await within(screen.getByRole('table', { name: 'Order lines' })).findByText('MUG-BLU-01');

    await user.click(screen.getByRole('button', { name: /Hand over a pick-up/ }));
    const input = await screen.findByLabelText(SCAN);
    await user.type(input, 'SO-100051{Enter}');
    await user.click(await screen.findByRole('button', { name: /Customer confirmed the name “Ada Lovelace”/ }));
    await screen.findByTestId('handover-done');
    expect(callsTo('hand_over')[0]?.args).toEqual({ code: 'SO-100051', name: 'Ada Lovelace' });

    await user.keyboard('{Alt>}h{/Alt}');
    await waitFor(() => expect(saleScan).toHaveFocus());
    expect(within(screen.getByRole('table', { name: 'Order lines' })).getByText('MUG-BLU-01')).toBeInTheDocument();
  });
});
