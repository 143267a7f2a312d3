import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import type { OrderStatusDto } from '../../bindings/OrderStatusDto';
import type { ShipmentDto } from '../../bindings/ShipmentDto';
import type { TrackingEventDto } from '../../bindings/TrackingEventDto';
import { renderApp } from '../../test/render';

const usd = (amount: number) => ({ amount, currency: 'USD' });

function order(status: OrderStatusDto, events = 0): OrderDetailDto {
  return {
    id: 'o-7',
    number: 'SO-77',
    status,
    nextStatuses: status === 'shipped' ? ['delivered'] : [],
    channel: 'web',
    channelRef: null,
    createdAt: '2026-11-26T10:00:00Z',
    customer: null,
    shipTo: null,
    pickupLocation: null,
    lines: [],
    totals: { subtotal: usd(0), discount: usd(0), shipping: usd(0), tax: usd(0), total: usd(0) },
    payments: [],
    reservations: [],
    attributes: [],
    notes: null,
    events: Array.from({ length: events }, (_, i) => ({
      at: '2026-11-27T10:00:00Z',
      kind: 'status_changed',
      actor: 'test',
      summary: `event ${i}`,
      details: '{}',
    })),
    routes: [],
  };
}

const inTransit: TrackingEventDto = {
  kind: 'in_transit',
  label: 'In transit',
  at: '2026-11-27T14:05:00Z',
  place: 'Secaucus, NJ',
  note: 'Arrived at facility',
  source: 'csv',
  actor: 'import',
};

function shipment(tracking: TrackingEventDto[]): ShipmentDto {
  return {
    number: 'SH-000077',
    orderNumber: 'SO-77',
    customerName: 'Grace Hopper',
    customerEmail: null,
    location: 'WH-EAST',
    locationName: 'East Warehouse',
    kind: 'ship',
    status: tracking.some((t) => t.kind === 'delivered') ? 'delivered' : 'in_transit',
    pickList: 'PL-000012',
    carrier: 'UPS',
    service: 'Ground',
    trackingNumber: '1Z999AA10123456784',
    trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    shippingCost: 1250,
    shipTo: null,
    promisedBy: '2026-11-30',
    createdAt: '2026-11-26T10:00:00Z',
    packedAt: '2026-11-26T12:00:00Z',
    shippedAt: '2026-11-26T16:00:00Z',
    deliveredAt: null,
    readyAt: null,
    units: 2,
    packedUnits: 2,
    weightGrams: 1250,
    lines: [{ lineNo: 1, sku: 'MUG-BLU-01', name: 'Blue mug', barcode: null, bin: 'A-01', qty: 2, packed: 2 }],
    packages: [
      {
        seq: 1,
        weightGrams: 1250,
        lengthMm: 300,
        widthMm: 200,
        heightMm: 105,
        trackingNumber: '1Z999AA10123456784',
      },
    ],
    tracking: [
      {
        kind: 'label_created',
        label: 'Label created',
        at: '2026-11-26T15:00:00Z',
        place: null,
        note: null,
        source: 'app',
        actor: 'desk',
      },
      ...tracking,
    ],
  };
}

describe('Order shipments section', () => {
  it('shows each shipment with status, carrier, tracking number, parcels, lines and the tracking timeline', async () => {
    const { callsTo } = renderApp('/orders/SO-77', {
      get_order: () => order('shipped', 2),
      order_shipments: () => [shipment([inTransit])],
    });
    const section = await screen.findByRole('region', { name: 'Shipments' });
    const card = await within(section).findByRole('article', { name: 'Shipment SH-000077' });
    expect(callsTo('order_shipments')[0]?.args).toEqual({ number: 'SO-77' });
    expect(card).toHaveTextContent('In transit');
    expect(card).toHaveTextContent('From East Warehouse (WH-EAST) · 2 units · pick list PL-000012');
    expect(card).toHaveTextContent('UPS · Ground');
    expect(within(card).getByTestId('tracking-number')).toHaveTextContent('1Z999AA10123456784');
    expect(within(card).getByRole('button', { name: /Copy the carrier's tracking page/ })).toHaveAttribute(
      'data-url',
      'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    );

    const parcels = within(card).getByRole('table', { name: 'Packages of SH-000077' });
    expect(parcels).toHaveTextContent('1.25 kg');
    expect(parcels).toHaveTextContent('30 × 20 × 10.5 cm');
    expect(within(card).getByRole('table', { name: 'Lines of SH-000077' })).toHaveTextContent('Blue mug');

    const timeline = within(card).getByLabelText('Tracking of SH-000077');
    expect(timeline).toHaveTextContent('Label created');
    expect(timeline).toHaveTextContent('In transit');
    expect(timeline).toHaveTextContent('Secaucus, NJ');
    expect(timeline).toHaveTextContent('Arrived at facility');
  });

  it('asks again when the order changes', async () => {
    let delivered = false;
    const { user, callsTo } = renderApp('/orders/SO-77', {
      get_order: () => (delivered ? order('delivered', 3) : order('shipped', 2)),
      change_order_status: () => {
        delivered = true;
        return order('delivered', 3);
      },
      order_shipments: () =>
        delivered
          ? [
              shipment([
                inTransit,
                { ...inTransit, kind: 'delivered', label: 'Delivered', place: 'Brooklyn, NY', note: null },
              ]),
            ]
          : [shipment([inTransit])],
    });
    const section = await screen.findByRole('region', { name: 'Shipments' });
    await within(section).findByRole('article', { name: 'Shipment SH-000077' });
    expect(section).not.toHaveTextContent('Brooklyn, NY');

    await user.click(screen.getByRole('button', { name: 'Mark delivered' }));
    await waitFor(() => expect(section).toHaveTextContent('Brooklyn, NY'));
    expect(callsTo('order_shipments').length).toBeGreaterThanOrEqual(2);
  });

  it('says so when the order has no shipments yet', async () => {
    renderApp('/orders/SO-77', { get_order: () => order('open'), order_shipments: () => [] });
    const section = await screen.findByRole('region', { name: 'Shipments' });
    expect(await within(section).findByText(/No shipments yet/)).toBeInTheDocument();
  });
});
