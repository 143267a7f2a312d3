import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { RoutingSettingsVersionDto } from '../../bindings/RoutingSettingsVersionDto';
import type { WhatIfReportDto } from '../../bindings/WhatIfReportDto';
import { renderApp } from '../../test/render';

// jsdom draws no SVG layout: the chart is a labelled box here (its figures are in the table too).
vi.mock('../../components/EChart', () => ({
  EChart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

const usd = (amount: number) => ({ amount, currency: 'USD' });

const v2: RoutingSettingsVersionDto = {
  version: 2,
  settings: {
    objective: 'fastest',
    weights: { cost: 1, days: 200, balance: 10000 },
    backorderPenaltyPerUnit: 100000,
    maxShipments: 2,
    kmPerDay: 800,
    dropshipLast: true,
    channels: [{ channel: 'marketplace', allowedLocations: ['WH-EAST'], noSplit: true }],
    locations: [{ location: 'ST-BKLYN', dailyCapacity: 20, keepUnits: 1, handlingDays: 1 }],
  },
  note: 'Marketplace from the east only',
  createdBy: 'alice',
  createdAt: '2026-11-26T09:00:00Z',
};

const report: WhatIfReportDto = {
  currentVersion: 2,
  proposedSettings: { ...v2.settings, objective: 'cost' },
  orders: 200,
  firstOrder: 'SO-10901',
  lastOrder: 'SO-11100',
  current: {
    orders: 200,
    shippingCost: usd(150000),
    shipments: 210,
    shippedOrders: 200,
    averageDeliveryDays: 2.1,
    splitOrders: 10,
    splitRate: 0.05,
    backorderedUnits: 4,
    backorderedOrders: 2,
  },
  proposed: {
    orders: 200,
    shippingCost: usd(135000),
    shipments: 205,
    shippedOrders: 200,
    averageDeliveryDays: 2.6,
    splitOrders: 5,
    splitRate: 0.025,
    backorderedUnits: 4,
    backorderedOrders: 2,
  },
  changedOrders: 1,
  changed: [
    {
      number: 'SO-10950',
      current: { locations: ['WH-WEST'], shippingCost: usd(1236), days: 2, backorderedUnits: 0 },
      proposed: { locations: ['WH-EAST'], shippingCost: usd(612), days: 3, backorderedUnits: 0 },
    },
  ],
};

describe('Routing settings', () => {
  it('shows the version in force and its rules, saves changes as a new version with a note', async () => {
    const { user, callsTo } = renderApp('/routing', {
      get_routing_settings: () => v2,
      save_routing_settings: ({ input }) => ({
        ...v2,
        version: 3,
        settings: input.settings,
        note: input.note,
        createdBy: 'owner',
      }),
    });
    expect(await screen.findByTestId('routing-version')).toHaveTextContent('Version 2');
    expect(screen.getByRole('radio', { name: /Fastest delivery/ })).toBeChecked();
    expect(screen.getByLabelText('Most shipments per order')).toHaveValue('2');
    expect(screen.getByLabelText('Backorder penalty per unit (USD)')).toHaveValue('1000.00');
    expect(screen.getByLabelText('Ship Marketplace orders whole')).toBeChecked();
    expect(screen.getByLabelText('Daily capacity at ST-BKLYN')).toHaveValue('20');
    expect(screen.getByRole('link', { name: 'Inventory screen' })).toBeInTheDocument();
    // Mix weights only show for the mix objective.
    expect(screen.queryByLabelText('Weight of cost')).not.toBeInTheDocument();

    await user.click(screen.getByRole('radio', { name: /Weighted mix/ }));
    const days = screen.getByLabelText('Weight of transit days');
    await user.clear(days);
    await user.type(days, '350');
    const km = screen.getByLabelText('Kilometres per transit day');
    await user.clear(km);
    await user.type(km, '650{Enter}');

    const dialog = await screen.findByRole('dialog', { name: 'Save routing settings' });
    await user.type(within(dialog).getByLabelText('Note'), 'Faster parcels cost more{Enter}');
    await waitFor(() => expect(callsTo('save_routing_settings')).toHaveLength(1));
    const sent = callsTo('save_routing_settings')[0]?.args.input as { settings: typeof v2.settings; note: string };
    expect(sent.note).toBe('Faster parcels cost more');
    expect(sent.settings).toMatchObject({
      objective: 'mix',
      weights: { cost: 1, days: 350, balance: 10000 },
      kmPerDay: 650,
      maxShipments: 2,
      backorderPenaltyPerUnit: 100000,
    });
    // Every channel and location is sent as a row, so the core's error paths match the form's rows.
    expect(sent.settings.channels.map((c) => c.channel)).toEqual(['counter', 'web', 'marketplace', 'phone']);
    expect(sent.settings.channels[2]).toEqual({ channel: 'marketplace', allowedLocations: ['WH-EAST'], noSplit: true });
    expect(sent.settings.locations.find((l) => l.location === 'ST-BKLYN')).toEqual({
      location: 'ST-BKLYN',
      dailyCapacity: 20,
      keepUnits: 1,
      handlingDays: 1,
    });
    expect(await screen.findByTestId('routing-version')).toHaveTextContent('Version 3');
  });

  it("shows the core's error next to the field it names", async () => {
    const { user } = renderApp('/routing', {
      save_routing_settings: () => {
        throw {
          code: 'invalid',
          message: 'Handling days must be from 0 to 60',
          field: 'locations.1.handlingDays',
        };
      },
    });
    const handling = await screen.findByLabelText('Handling days at WH-WEST');
    await user.clear(handling);
    await user.type(handling, '90');
    await user.click(screen.getByRole('button', { name: 'Save as new version…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save routing settings' });
    await user.click(within(dialog).getByRole('button', { name: 'Save version' }));
    expect(await screen.findByText('Handling days must be from 0 to 60')).toBeInTheDocument();
    expect(screen.getByLabelText('Handling days at WH-WEST')).toHaveAttribute('aria-invalid', 'true');
  });

  it('lists the saved versions', async () => {
    renderApp('/routing', {
      get_routing_settings: () => v2,
      routing_history: () => [
        v2,
        { ...v2, version: 1, note: 'First rules', settings: { ...v2.settings, objective: 'cost' } },
      ],
    });
    const table = await screen.findByRole('table', { name: 'Versions' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('v2');
    expect(rows[1]).toHaveTextContent('alice');
    expect(rows[1]).toHaveTextContent('Fastest delivery');
    expect(rows[1]).toHaveTextContent('Marketplace from the east only');
    expect(rows[2]).toHaveTextContent('Lowest cost');
  });
});

describe('Routing what-if', () => {
  it('replays the last 200 orders, compares the two sides and applies the proposal in one click', async () => {
    const { user, callsTo } = renderApp('/routing/what-if', {
      get_routing_settings: () => v2,
      routing_what_if: () => report,
      save_routing_settings: ({ input }) => ({ ...v2, version: 3, settings: input.settings, note: input.note }),
    });
    await user.click(await screen.findByRole('radio', { name: /Lowest cost/ }));
    await user.click(screen.getAllByRole('button', { name: 'Run' })[0]!);

    await waitFor(() => expect(callsTo('routing_what_if')).toHaveLength(1));
    const args = callsTo('routing_what_if')[0]?.args as { lastOrders: number; proposed: { objective: string } };
    expect(args.lastOrders).toBe(200);
    expect(args.proposed.objective).toBe('cost');

    const table = await screen.findByRole('table', { name: 'Current and proposed side by side' });
    const row = (name: string) => within(table).getByRole('row', { name: new RegExp(`^${name}`) });
    expect(row('Shipping cost')).toHaveTextContent('$1,500.00');
    expect(row('Shipping cost')).toHaveTextContent('$1,350.00');
    expect(within(row('Shipping cost')).getByText(/−\$150\.00/)).toHaveAttribute('data-better', 'better');
    expect(within(row('Average delivery days')).getByText('+0.5')).toHaveAttribute('data-better', 'worse');
    expect(within(row('Split rate')).getByText('−2.5 pts')).toHaveAttribute('data-better', 'better');
    expect(within(row('Backordered units')).getByText('same')).toHaveAttribute('data-better', 'same');
    expect(
      await screen.findByRole('img', { name: /shipping cost \$1,500\.00 current, \$1,350\.00 proposed/ }),
    ).toBeInTheDocument();

    const changed = screen.getByRole('table', { name: 'Changed orders' });
    expect(within(changed).getByRole('link', { name: 'SO-10950' })).toHaveAttribute('href', '/orders/SO-10950');
    expect(changed).toHaveTextContent('WH-WEST');
    expect(changed).toHaveTextContent('WH-EAST');

    await user.click(screen.getByRole('button', { name: 'Apply proposed settings' }));
    await waitFor(() => expect(callsTo('save_routing_settings')).toHaveLength(1));
    const saved = callsTo('save_routing_settings')[0]?.args.input as { settings: unknown; note: string };
    expect(saved.settings).toEqual(report.proposedSettings);
    expect(saved.note).toMatch(
      /^Applied from what-if: 200 orders \(SO-10901 … SO-11100\), shipping \$1,500\.00 → \$1,350\.00/,
    );
    expect(await screen.findByText('Applied as version 3')).toBeInTheDocument();
  });

  it('puts an error about the number of orders next to that field', async () => {
    const { user } = renderApp('/routing/what-if', {
      routing_what_if: () => {
        throw { code: 'invalid', message: 'Replay from 1 to 5000 orders', field: 'lastOrders' };
      },
    });
    const count = await screen.findByLabelText('Orders to replay');
    await user.clear(count);
    await user.type(count, '9000{Enter}');
    expect(await screen.findByText('Replay from 1 to 5000 orders')).toBeInTheDocument();
    expect(screen.getByLabelText('Orders to replay')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByTestId('what-if-results')).not.toBeInTheDocument();
  });
});
