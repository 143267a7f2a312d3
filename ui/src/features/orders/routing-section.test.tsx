import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import type { OrderRouteDto } from '../../bindings/OrderRouteDto';
import { renderApp } from '../../test/render';

const usd = (amount: number) => ({ amount, currency: 'USD' });

const capture: OrderRouteDto = {
  kind: 'capture',
  settingsVersion: 3,
  createdBy: 'api',
  createdAt: '2026-11-26T10:00:00Z',
  plan: {
    objective: 'cost',
    shipments: [
      { location: 'WH-EAST', lines: [{ sku: 'MUG-BLU-01', qty: 2 }], cost: usd(612), days: 2, transferTo: null },
      {
        location: 'ST-BKLYN',
        lines: [{ sku: 'TOTE-RED-07', qty: 1 }],
        cost: usd(480),
        days: 1,
        transferTo: 'ST-SOHO',
      },
    ],
    backordered: [{ sku: 'CAND-SAN-25', qty: 1 }],
    totalCost: usd(101092),
    optimal: false,
    explanation: ['Two shipments, total 1,010.92.', 'Objective cost: not proven optimal (gap 0.4%).'],
  },
};

function order(routes: OrderRouteDto[]): OrderDetailDto {
  return {
    id: 'o-1',
    number: 'SO-42',
    status: 'backordered',
    nextStatuses: ['cancelled'],
    channel: 'web',
    channelRef: null,
    createdAt: '2026-11-26T10:00:00Z',
    customer: null,
    shipTo: null,
    pickupLocation: 'ST-SOHO',
    lines: [],
    totals: { subtotal: usd(0), discount: usd(0), shipping: usd(0), tax: usd(0), total: usd(0) },
    payments: [],
    reservations: [
      { sku: 'MUG-BLU-01', location: 'WH-EAST', qty: 2, state: 'reserved' },
      { sku: 'TOTE-RED-07', location: 'ST-BKLYN', qty: 1, state: 'released' },
    ],
    attributes: [],
    notes: null,
    events: [],
    routes,
  };
}

describe('Order routing section', () => {
  it('shows the plan in force, why, and the earlier decisions', async () => {
    const earlier: OrderRouteDto = {
      ...capture,
      kind: 'capture',
      settingsVersion: 2,
      createdBy: 'counter',
      createdAt: '2026-11-25T10:00:00Z',
      plan: { ...capture.plan, optimal: true, shipments: [capture.plan.shipments[0]!], totalCost: usd(612) },
    };
    renderApp('/orders/SO-42', { get_order: () => order([earlier, { ...capture, kind: 'reroute' }]) });
    const section = await screen.findByRole('region', { name: 'Routing' });
    expect(section).toHaveTextContent('lowest cost');
    expect(section).toHaveTextContent('gap: not proven optimal');
    expect(section).toHaveTextContent('Re-routed · settings v3');
    const shipments = within(section).getByRole('table', { name: 'Shipments' });
    const rows = within(shipments).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('WH-EAST');
    expect(rows[1]).toHaveTextContent('2 × MUG-BLU-01');
    expect(rows[1]).toHaveTextContent('$6.12');
    expect(rows[2]).toHaveTextContent('ST-SOHO');
    expect(section).toHaveTextContent('1 × CAND-SAN-25');
    expect(section).toHaveTextContent('$1,010.92');
    expect(within(section).getByTestId('route-explanation')).toHaveTextContent('not proven optimal (gap 0.4%)');
    const history = within(section).getByRole('table', { name: 'Earlier routing' });
    expect(history).toHaveTextContent('settings v2');
    expect(history).toHaveTextContent('counter');
  });

  it('says so when no decision is stored', async () => {
    renderApp('/orders/SO-42', { get_order: () => order([]) });
    const section = await screen.findByRole('region', { name: 'Routing' });
    expect(section).toHaveTextContent('No routing decision is stored');
  });

  it('re-routes away from a location that holds units, with a reason', async () => {
    const { user, callsTo } = renderApp('/orders/SO-42', {
      get_order: () => order([capture]),
      reroute_order: () => order([capture, { ...capture, kind: 'reroute' }]),
    });
    const section = await screen.findByRole('region', { name: 'Routing' });
    // Only WH-EAST still holds reserved units of this order.
    const buttons = within(section).getAllByRole('button', { name: 'Re-route…' });
    expect(buttons).toHaveLength(1);
    await user.click(buttons[0]!);
    const dialog = await screen.findByRole('dialog', { name: 'Re-route SO-42 away from WH-EAST?' });
    await user.click(within(dialog).getByRole('button', { name: 'Re-route' }));
    expect(await within(dialog).findByText(/Say why/)).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/Reason/), 'short pick: 2 damaged{Enter}');
    await waitFor(() =>
      expect(callsTo('reroute_order')[0]?.args).toEqual({
        input: { number: 'SO-42', location: 'WH-EAST', reason: 'short pick: 2 damaged' },
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });
});
