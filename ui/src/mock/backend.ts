/**
 * An in-memory stand-in for the Rust core, for the browser preview and screenshots only
 * (`mock.html`, `vite build --mode mock`). It answers the same commands with the same DTO shapes and
 * coded errors, over a demo shop with a million generated orders so the grids can be tried at scale.
 * It is not part of the desktop build and decides nothing for the real app.
 */
import type { AppInfoDto } from '../bindings/AppInfoDto';
import type { ChannelDto } from '../bindings/ChannelDto';
import type { CustomerDto } from '../bindings/CustomerDto';
import type { LocationDto } from '../bindings/LocationDto';
import type { MailSettingsDto } from '../bindings/MailSettingsDto';
import type { MovementDto } from '../bindings/MovementDto';
import type { OrderDetailDto } from '../bindings/OrderDetailDto';
import type { OrderStatusDto } from '../bindings/OrderStatusDto';
import type { OrderSummaryDto } from '../bindings/OrderSummaryDto';
import type { OrderRouteDto } from '../bindings/OrderRouteDto';
import type { OutboxRowDto } from '../bindings/OutboxRowDto';
import type { ProductDto } from '../bindings/ProductDto';
import type { QuoteDto } from '../bindings/QuoteDto';
import type { RateCardsVersionDto } from '../bindings/RateCardsVersionDto';
import type { RoutingSettingsVersionDto } from '../bindings/RoutingSettingsVersionDto';
import type { WhatIfReportDto } from '../bindings/WhatIfReportDto';
import type { SettingsDto } from '../bindings/SettingsDto';
import type { StockBalanceDto } from '../bindings/StockBalanceDto';
import type { TransferDto } from '../bindings/TransferDto';
import type { CommandArgs, CommandName, CommandResult } from '../lib/ipc';
import { createCustomersMock } from './customers';
import { createFulfilmentMock } from './fulfilment';
import { createReturnsMock } from './returns';

type Handler = { [K in CommandName]: (args: CommandArgs<K>) => CommandResult<K> };

const fail = (code: string, message: string, field: string | null = null): never => {
  throw { code, message, field };
};

/** Small deterministic PRNG so generated orders look the same on every load. */
function rand(seed: number) {
  let t = (seed * 2654435761) >>> 0;
  return () => {
    t += 0x6d2b79f5;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function ean13(base12: string): string {
  const sum = base12.split('').reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return base12 + String((10 - (sum % 10)) % 10);
}

const money = (amount: number) => ({ amount, currency: 'USD' });
const roundDiv = (n: number, d: number) => Math.sign(n) * Math.round(Math.abs(n) / d);

export function createMockBackend(options: { orderCount?: number } = {}) {
  const orderCount = options.orderCount ?? 1_000_000;
  const now = Date.parse('2026-11-27T10:00:00Z');

  let info: AppInfoDto = {
    version: '0.1.0',
    databaseKind: 'sqlite',
    databaseUrl: 'sqlite:///home/shop/.local/share/orderly/orderly.db',
    businessName: 'Corner Shop (demo)',
    currency: 'USD',
    demoLoaded: true,
    demoLoading: false,
  };
  let settings: SettingsDto = {
    businessName: info.businessName,
    currency: 'USD',
    businessAddress: {
      name: 'Corner Shop',
      company: null,
      line1: '120 Bedford Ave',
      line2: null,
      city: 'Brooklyn',
      region: 'NY',
      postalCode: '11211',
      country: 'US',
      phone: null,
    },
    businessEmail: 'hello@cornershop.example',
    businessPhone: '+1 718 555 0100',
    defaultTaxRateBp: 887,
  };

  const address = (name: string, line1: string, city: string, region: string, postalCode: string) => ({
    name,
    company: null,
    line1,
    line2: null,
    city,
    region,
    postalCode,
    country: 'US',
    phone: null,
  });
  const locations: LocationDto[] = [
    {
      id: 'loc-1',
      code: 'WH-EAST',
      name: 'East warehouse',
      kind: 'warehouse',
      address: address('East warehouse', '1 Port St', 'Newark', 'NJ', '07114'),
      latitude: 40.7,
      longitude: -74.17,
      canShip: true,
      canPickup: false,
      priority: 1,
      rate: { base: 450, perKg: 80, per1000Km: 200 },
      active: true,
    },
    {
      id: 'loc-2',
      code: 'WH-WEST',
      name: 'West warehouse',
      kind: 'warehouse',
      address: address('West warehouse', '500 Desert Rd', 'Reno', 'NV', '89502'),
      latitude: 39.5,
      longitude: -119.8,
      canShip: true,
      canPickup: false,
      priority: 2,
      rate: { base: 500, perKg: 75, per1000Km: 200 },
      active: true,
    },
    {
      id: 'loc-3',
      code: 'ST-BKLYN',
      name: 'Brooklyn store',
      kind: 'store',
      address: address('Brooklyn store', '120 Bedford Ave', 'Brooklyn', 'NY', '11211'),
      latitude: 40.72,
      longitude: -73.96,
      canShip: true,
      canPickup: true,
      priority: 3,
      rate: { base: 600, perKg: 90, per1000Km: 250 },
      active: true,
    },
    {
      id: 'loc-4',
      code: 'ST-SOHO',
      name: 'SoHo store',
      kind: 'store',
      address: address('SoHo store', '88 Spring St', 'New York', 'NY', '10012'),
      latitude: 40.72,
      longitude: -74.0,
      canShip: false,
      canPickup: true,
      priority: 4,
      rate: { base: 650, perKg: 90, per1000Km: 250 },
      active: true,
    },
    {
      id: 'loc-5',
      code: 'DS-ACME',
      name: 'Acme dropship',
      kind: 'dropship',
      address: address('Acme', '9 Supplier Way', 'Columbus', 'OH', '43215'),
      latitude: 39.96,
      longitude: -83.0,
      canShip: true,
      canPickup: false,
      priority: 9,
      rate: { base: 300, perKg: 60, per1000Km: 150 },
      active: true,
    },
  ];
  const channels: ChannelDto[] = [
    { id: 'ch-1', code: 'counter', name: 'Counter', safetyStock: 0 },
    { id: 'ch-2', code: 'web', name: 'Web store', safetyStock: 0 },
    { id: 'ch-3', code: 'marketplace', name: 'Marketplace', safetyStock: 2 },
    { id: 'ch-4', code: 'phone', name: 'Phone', safetyStock: 0 },
  ];

  const kinds = [
    'Mug',
    'Tote bag',
    'Notebook',
    'T-shirt',
    'Candle',
    'Poster',
    'Tea tin',
    'Water bottle',
    'Scarf',
    'Pen set',
    'Apron',
    'Coaster set',
  ];
  const colours = ['Blue', 'Red', 'Green', 'Black', 'Sand'];
  const products: ProductDto[] = [];
  kinds.forEach((kind, k) =>
    colours.forEach((colour, c) => {
      const n = k * colours.length + c;
      products.push({
        id: `p-${n + 1}`,
        sku: `${kind
          .replace(/[^A-Za-z]/g, '')
          .slice(0, 4)
          .toUpperCase()}-${colour.slice(0, 3).toUpperCase()}-${String(n + 1).padStart(2, '0')}`,
        name: `${kind}, ${colour.toLowerCase()}`,
        barcode: ean13(`0123456${String(78000 + n).padStart(5, '0')}`),
        price: money(799 + ((n * 337) % 4200)),
        weightGrams: 150 + ((n * 53) % 900),
        lengthMm: 100,
        widthMm: 80,
        heightMm: 60,
        active: n % 17 !== 16,
        allowBackorder: n % 7 === 0,
        finalSale: n % 11 === 5,
        available: 0,
      });
    }),
  );

  const balances = new Map<string, StockBalanceDto>();
  const key = (sku: string, loc: string) => `${sku}@${loc}`;
  const movements: MovementDto[] = [];
  products.forEach((p, i) => {
    locations.slice(0, 4).forEach((l, j) => {
      if ((i + j) % 5 === 4) return;
      const onHand = (i * 7 + j * 13) % 40;
      const reserved = Math.min(onHand, (i + j) % 4);
      balances.set(key(p.sku, l.code), {
        sku: p.sku,
        productName: p.name,
        location: l.code,
        locationName: l.name,
        onHand,
        reserved,
        safetyStock: l.kind === 'store' ? 1 : 0,
        available: 0,
        incoming: 0,
        held: 0,
      });
      movements.push({
        at: new Date(now - (i + j) * 86_400_000).toISOString(),
        sku: p.sku,
        location: l.code,
        kind: 'receive',
        onHandDelta: onHand,
        reservedDelta: 0,
        incomingDelta: 0,
        heldDelta: 0,
        reason: null,
        orderNumber: null,
        actor: 'demo',
      });
    });
  });
  const refreshAvailability = () => {
    for (const b of balances.values()) b.available = Math.max(0, b.onHand - b.reserved - b.safetyStock);
    for (const p of products) {
      p.available = [...balances.values()].filter((b) => b.sku === p.sku).reduce((s, b) => s + b.available, 0);
    }
  };
  refreshAvailability();

  const customers: CustomerDto[] = [
    ['Ada Lovelace', 'ada@example.com', '+1 212 555 0101'],
    ['Grace Hopper', 'grace@example.com', '+1 212 555 0102'],
    ['Alan Turing', 'alan@example.com', '+1 212 555 0103'],
    ['Katherine Johnson', 'kj@example.com', '+1 212 555 0104'],
    ['Linus Pauling', 'linus@example.com', null],
    ['Margaret Hamilton', 'margaret@example.com', '+1 212 555 0106'],
  ].map(([name, email, phone], i) => ({
    id: `c-${i + 1}`,
    name: name as string,
    email: email ?? null,
    phone: phone ?? null,
    addresses: [address(name as string, `${10 + i} Main St`, 'New York', 'NY', '10001')],
    orderCount: 3 + i,
  }));

  const statuses: OrderStatusDto[] = [
    'completed',
    'completed',
    'shipped',
    'delivered',
    'open',
    'in_progress',
    'backordered',
    'cancelled',
  ];
  const channelCodes = ['counter', 'web', 'web', 'marketplace', 'phone'];

  /** Order number i (0 = oldest) of the generated history. */
  function generated(i: number): OrderSummaryDto {
    const r = rand(i + 1);
    const channel = channelCodes[Math.floor(r() * channelCodes.length)] ?? 'web';
    const customer = channel === 'counter' && r() < 0.6 ? null : customers[Math.floor(r() * customers.length)];
    const items = 1 + Math.floor(r() * 4);
    const age = orderCount - i;
    return {
      id: `o-${i}`,
      number: `SO-${100000 + i}`,
      createdAt: new Date(now - age * 47_000).toISOString(),
      channel,
      customerName: customer?.name ?? null,
      status: age < 40 ? 'open' : (statuses[Math.floor(r() * statuses.length)] ?? 'completed'),
      itemCount: items,
      total: money(items * (900 + Math.floor(r() * 5000))),
      pickupLocation: channel === 'counter' ? 'ST-BKLYN' : null,
    };
  }

  const created: OrderDetailDto[] = [];
  const byRef = new Map<string, OrderDetailDto>();
  let nextNumber = 100000 + orderCount;

  function summaryOf(d: OrderDetailDto): OrderSummaryDto {
    return {
      id: d.id,
      number: d.number,
      createdAt: d.createdAt,
      channel: d.channel,
      customerName: d.customer?.name ?? null,
      status: d.status,
      itemCount: d.lines.reduce((s, l) => s + l.qty, 0),
      total: d.totals.total,
      pickupLocation: d.pickupLocation,
    };
  }

  function nextStatuses(status: OrderStatusDto): OrderStatusDto[] {
    switch (status) {
      case 'open':
        return ['in_progress', 'cancelled'];
      case 'backordered':
        return ['cancelled'];
      case 'in_progress':
        return ['shipped', 'partially_shipped', 'cancelled'];
      case 'partially_shipped':
        return ['shipped'];
      case 'shipped':
        return ['delivered'];
      case 'delivered':
      case 'completed':
      case 'cancelled':
      case 'partially_returned':
      case 'returned':
        return [];
    }
  }

  function detailOf(s: OrderSummaryDto): OrderDetailDto {
    const r = rand(Number(s.number.slice(3)) * 7);
    const lines = Array.from({ length: Math.min(s.itemCount, 3) }, (_, i) => {
      const p = products[Math.floor(r() * products.length)] ?? products[0]!;
      const qty = 1 + (i === 0 ? s.itemCount - Math.min(s.itemCount, 3) : 0);
      const total = p.price.amount * qty;
      const tax = roundDiv(total * 887, 10000);
      return {
        lineNo: i + 1,
        sku: p.sku,
        name: p.name,
        qty,
        unitPrice: p.price,
        discount: money(0),
        tax: money(tax),
        total: money(total + tax),
        backordered: 0,
      };
    });
    const subtotal = lines.reduce((a, l) => a + l.unitPrice.amount * l.qty, 0);
    const tax = lines.reduce((a, l) => a + l.tax.amount, 0);
    const customer = customers.find((c) => c.name === s.customerName) ?? null;
    return {
      id: s.id,
      number: s.number,
      status: s.status,
      nextStatuses: nextStatuses(s.status),
      channel: s.channel,
      channelRef: s.channel === 'web' ? `W-${s.number.slice(3)}` : null,
      createdAt: s.createdAt,
      customer,
      shipTo: s.pickupLocation ? null : (customer?.addresses[0] ?? null),
      pickupLocation: s.pickupLocation,
      lines,
      totals: {
        subtotal: money(subtotal),
        discount: money(0),
        shipping: money(0),
        tax: money(tax),
        total: money(subtotal + tax),
      },
      payments: [
        {
          method: s.channel === 'marketplace' ? 'marketplace' : 'card',
          authorized: money(subtotal + tax),
          captured: money(subtotal + tax),
          refunded: money(0),
        },
      ],
      reservations: lines.map((l) => ({
        sku: l.sku,
        location: s.pickupLocation ?? 'WH-EAST',
        qty: l.qty,
        state: s.status === 'open' ? 'reserved' : 'shipped',
      })),
      attributes: s.channel === 'web' ? [{ key: 'gift_wrap', value: 'yes' }] : [],
      notes: null,
      events: [
        {
          kind: 'created',
          actor: s.channel === 'counter' ? 'counter' : 'api',
          at: s.createdAt,
          summary: `Order ${s.number} created from ${s.channel}`,
          details: '{}',
        },
        ...lines.map((l) => ({
          kind: 'reserved',
          actor: 'system',
          at: s.createdAt,
          summary: `Reserved ${l.qty} × ${l.sku} at ${s.pickupLocation ?? 'WH-EAST'}`,
          details: '{}',
        })),
      ],
      routes: s.channel === 'counter' ? [] : [mockRoute(s.createdAt, lines, s.pickupLocation)],
    };
  }

  /** A plausible stored routing decision for a generated order. */
  function mockRoute(at: string, lines: { sku: string; qty: number }[], pickup: string | null): OrderRouteDto {
    const cost = pickup ? 0 : 612 + lines.length * 85;
    const location = pickup ?? 'WH-EAST';
    return {
      kind: 'capture',
      settingsVersion: routingVersions.at(-1)?.version ?? 0,
      createdBy: 'api',
      createdAt: at,
      plan: {
        objective: 'cost',
        shipments: [
          {
            location,
            lines: lines.map((l) => ({ sku: l.sku, qty: l.qty })),
            cost: money(cost),
            days: pickup ? 0 : 2,
            transferTo: null,
          },
        ],
        backordered: [],
        totalCost: money(cost),
        optimal: true,
        explanation: [
          `One shipment from ${location}, total ${cost} (shipping ${cost}, nothing backordered).`,
          'Objective cost: proven optimal.',
          `${location} ships ${lines.map((l) => `${l.qty} × ${l.sku}`).join(', ')}: cost 450 + 80 × 1.2 kg + 0.2 × 14 km = ${cost}.`,
          'WH-WEST: plan cost 1,236 (more expensive by 624).',
        ],
      },
    };
  }

  function findOrder(number: string): OrderDetailDto {
    const made = created.find((o) => o.number === number);
    if (made) return made;
    const n = Number(number.replace(/^SO-/i, '')) - 100000;
    if (!Number.isInteger(n) || n < 0 || n >= orderCount)
      return fail('not_found', `There is no order ${number}`, 'number');
    return detailOf(generated(n));
  }

  function page<T>(rows: T[], offset: number, limit: number) {
    return { rows: rows.slice(offset, offset + limit), total: rows.length };
  }

  const transfers: TransferDto[] = [
    {
      id: 't-0',
      sku: products[3]!.sku,
      from: 'WH-EAST',
      to: 'ST-SOHO',
      qty: 6,
      createdAt: new Date(now - 86_400_000).toISOString(),
      receivedAt: null,
    },
  ];

  const routingVersions: RoutingSettingsVersionDto[] = [];
  const defaultRouting: RoutingSettingsVersionDto = {
    version: 0,
    settings: {
      objective: 'cost',
      weights: { cost: 1, days: 200, balance: 10000 },
      backorderPenaltyPerUnit: 100000,
      maxShipments: null,
      kmPerDay: 800,
      dropshipLast: true,
      channels: [],
      locations: [],
    },
    note: 'Built-in defaults',
    createdBy: 'system',
    createdAt: null,
  };
  const currentRouting = () => routingVersions.at(-1) ?? defaultRouting;

  // E-mail: settings (the password is write-only) and an outbox with one sent and one failing row.
  let mail: MailSettingsDto = {
    enabled: true,
    host: 'smtp.example.com',
    port: 587,
    tls: 'starttls',
    username: 'shop@example.com',
    password: null,
    passwordSet: true,
    fromAddress: 'shop@example.com',
    fromName: 'Corner Shop',
    shopName: 'Corner Shop',
  };
  const outbox: OutboxRowDto[] = [
    {
      id: 'mail-2',
      orderId: 'o-2',
      orderNumber: 'SO-100002',
      kind: 'shipped',
      toAddress: 'grace@example.com',
      subject: 'Your order SO-100002 has shipped',
      status: 'queued',
      attempts: 3,
      nextAttemptAt: '2026-11-27T10:10:00.000Z',
      lastError: 'Connection error: Connection refused (os error 111)',
      createdAt: '2026-11-27T09:58:00.000Z',
      sentAt: null,
    },
    {
      id: 'mail-1',
      orderId: 'o-1',
      orderNumber: 'SO-100001',
      kind: 'order_confirmation',
      toAddress: 'ada@example.com',
      subject: 'Your order SO-100001 is confirmed',
      status: 'sent',
      attempts: 1,
      nextAttemptAt: '2026-11-27T09:30:00.000Z',
      lastError: null,
      createdAt: '2026-11-27T09:30:00.000Z',
      sentAt: '2026-11-27T09:30:04.000Z',
    },
  ];
  // Carriers & rates: a small set of cards, checked on save like the core does for its commonest mistakes.
  const rateVersions: RateCardsVersionDto[] = [
    {
      version: 1,
      cards: {
        currency: 'USD',
        carriers: [
          {
            code: 'UPS',
            name: 'UPS',
            tracking: 'ups',
            services: [
              {
                code: 'GROUND',
                name: 'Ground',
                transitDays: 4,
                fromLocations: null,
                zones: {
                  kind: 'distance',
                  bands: [
                    { upToKm: 800, zone: 1 },
                    { upToKm: 6000, zone: 2 },
                  ],
                },
                brackets: [
                  { upToGrams: 1000, prices: [1060, 1240] },
                  { upToGrams: 5000, prices: [1390, 1930] },
                ],
                surcharges: { perPackage: 0, fuelBp: 1450, residential: 585, overWeight: null },
              },
            ],
          },
          {
            code: 'LOCAL',
            name: 'Orderly Local',
            tracking: 'local',
            services: [
              {
                code: 'COURIER',
                name: 'Courier',
                transitDays: 1,
                fromLocations: ['ST-BKLYN'],
                zones: { kind: 'postalPrefix', rules: [{ prefix: '112', zone: 1 }], defaultZone: null },
                brackets: [{ upToGrams: 5000, prices: [800] }],
                surcharges: { perPackage: 0, fuelBp: 0, residential: 0, overWeight: null },
              },
            ],
          },
        ],
      },
      note: 'Demo carriers and rates',
      createdBy: 'demo',
      createdAt: new Date(now - 90 * 86_400_000).toISOString(),
    },
  ];
  const currentRates = () => rateVersions.at(-1)!;

  // Fulfilment (queues, pick lists, packing, labels, tracking, printing): see `./fulfilment.ts`.
  const fulfilment = createFulfilmentMock({
    now,
    products,
    locations,
    customers,
    orderNumbers: Array.from({ length: Math.min(orderCount, 30) }, (_, i) => `SO-${100000 + orderCount - 1 - i}`),
    findOrder,
  });

  // Returns, refunds, exchanges, held stock and the return policy: see `./returns.ts`.
  const returns = createReturnsMock({
    now,
    products,
    locationCodes: () => locations.map((l) => l.code),
    locationName: (code) => locations.find((l) => l.code === code)?.name ?? code,
    findOrder,
    keepOrder: (order) => {
      if (!created.includes(order)) created.push(order);
    },
    createOrder: (order) => handlers.create_order({ order }),
    moveStock: (sku, location, onHandDelta, heldDelta) => {
      const b = balances.get(key(sku, location));
      if (b) {
        b.onHand += onHandDelta;
        b.held += heldDelta;
      }
      refreshAvailability();
    },
    printTarget: (request) => {
      const ws = fulfilment.get_workstation({});
      const label = request.document === 'return_label';
      const ext = label ? ws.labelFormat : 'pdf';
      const target = label ? ws.labelPrinter : ws.documentPrinter;
      return {
        destinations: [target ?? `${ws.defaultFolder}/${request.document}-${request.reference}.${ext}`],
        files: 1,
      };
    },
    // Orders old enough to have shipped (the newest 40 are still open).
    orderNumbers: Array.from(
      { length: Math.min(orderCount, 60) },
      (_, i) => `SO-${100000 + Math.max(0, orderCount - 100) + i}`,
    ),
  });

  // The customer page (figures, orders, timeline): see `./customers.ts`.
  const customerPage = createCustomersMock({
    now,
    customers,
    ordersOf: (c) => {
      const mine = created
        .filter((o) => o.customer?.id === c.id)
        .map(summaryOf)
        .reverse();
      // The generated history is scanned near its end only, so a million orders stay quick.
      for (let i = orderCount - 1; i >= Math.max(0, orderCount - 5_000); i -= 1) {
        const o = generated(i);
        // Orders a return touched are kept in `created` too: list each once.
        if (o.customerName === c.name && !mine.some((m) => m.number === o.number)) mine.push(o);
      }
      return mine.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    },
    findOrder,
  });

  const handlers: Handler = {
    ...fulfilment,
    ...returns.handlers,
    ...customerPage.handlers,
    print_document: ({ request }) => returns.printDocument(request, (r) => fulfilment.print_document({ request: r })),
    app_info: () => info,
    list_orders: ({ query }) => {
      const q = query.search?.trim().toLowerCase() ?? '';
      const filtered = Boolean(q || query.channel || query.status || query.from || query.to);
      const matches = (o: OrderSummaryDto) =>
        (!q || o.number.toLowerCase().includes(q) || (o.customerName ?? '').toLowerCase().includes(q)) &&
        (!query.channel || o.channel === query.channel) &&
        (!query.status || o.status === query.status) &&
        (!query.from || o.createdAt.slice(0, 10) >= query.from) &&
        (!query.to || o.createdAt.slice(0, 10) <= query.to);
      const mine = created.map(summaryOf).filter(matches).reverse();
      const byDate = query.sort === 'created_at' || query.sort === 'number';
      if (!filtered && byDate) {
        // The generated history is already in date order: page it without building it.
        const total = orderCount + mine.length;
        const rows: OrderSummaryDto[] = [];
        for (let i = query.offset; i < Math.min(total, query.offset + query.limit); i += 1) {
          const pos = query.descending ? i : total - 1 - i;
          rows.push(pos < mine.length ? mine[pos]! : generated(orderCount - 1 - (pos - mine.length)));
        }
        return { rows, total, totalCapped: false };
      }
      const all: OrderSummaryDto[] = [...mine];
      for (let i = orderCount - 1; i >= 0 && all.length < 200_000; i -= 1) {
        const o = generated(i);
        if (matches(o)) all.push(o);
      }
      const dir = query.descending ? -1 : 1;
      const value = (o: OrderSummaryDto): string | number =>
        query.sort === 'customer'
          ? (o.customerName ?? '')
          : query.sort === 'total'
            ? o.total.amount
            : query.sort === 'status'
              ? o.status
              : o.createdAt;
      all.sort((a, b) => {
        const x = value(a);
        const y = value(b);
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir;
      });
      // As the core: a filtered or searched count stops at 10,000.
      const found = page(all, query.offset, query.limit);
      return found.total > 10_000 ? { ...found, total: 10_000, totalCapped: true } : { ...found, totalCapped: false };
    },
    get_order: ({ number }) => findOrder(number),
    create_order: ({ order }) => {
      if (order.channelRef && byRef.has(`${order.channel}:${order.channelRef}`))
        return byRef.get(`${order.channel}:${order.channelRef}`)!;
      if (order.lines.length === 0) fail('invalid', 'Add at least one line', 'lines');
      if (order.takeAway && !order.pickupLocation)
        fail('invalid', 'A counter sale needs the store it is sold at', 'pickupLocation');
      if (!order.takeAway && !order.pickupLocation && !order.shipTo)
        fail('invalid', 'Enter a ship-to address, or choose a pick-up store', 'shipTo');
      if (order.shipTo && !order.shipTo.line1.trim()) fail('invalid', 'Enter the street address', 'shipTo.line1');
      const store = order.pickupLocation ?? 'WH-EAST';
      const short: string[] = [];
      const lines = order.lines.map((l, i) => {
        const p = products.find((x) => x.sku.toLowerCase() === l.sku.toLowerCase() || x.barcode === l.sku);
        if (!p) return fail('invalid', `Unknown SKU ${l.sku}`, `lines.${i}.sku`);
        if (l.qty <= 0 || l.qty > 9999) fail('invalid', 'Quantity must be between 1 and 9,999', `lines.${i}.qty`);
        const b = balances.get(key(p.sku, store));
        const available = order.takeAway ? (b?.available ?? 0) : p.available;
        if (l.qty > available && !p.allowBackorder) short.push(`${p.sku} (wanted ${l.qty}, available ${available})`);
        const unit = l.unitPrice ?? p.price.amount;
        const discount = l.discount ?? 0;
        const tax = roundDiv((unit * l.qty - discount) * (order.taxRateBp ?? settings.defaultTaxRateBp), 10000);
        return {
          lineNo: i + 1,
          sku: p.sku,
          name: p.name,
          qty: l.qty,
          unitPrice: money(unit),
          discount: money(discount),
          tax: money(tax),
          total: money(unit * l.qty - discount + tax),
          backordered: 0,
        };
      });
      if (short.length) fail('out_of_stock', `Not enough stock for:\n${short.join('\n')}`);
      for (const l of lines) {
        const b = balances.get(key(l.sku, store));
        if (b) {
          if (order.takeAway) b.onHand -= l.qty;
          else b.reserved += l.qty;
          movements.unshift({
            at: new Date().toISOString(),
            sku: l.sku,
            location: store,
            kind: order.takeAway ? 'ship' : 'reserve',
            onHandDelta: order.takeAway ? -l.qty : 0,
            reservedDelta: order.takeAway ? 0 : l.qty,
            incomingDelta: 0,
            heldDelta: 0,
            reason: null,
            orderNumber: `SO-${nextNumber}`,
            actor: 'counter',
          });
        }
      }
      refreshAvailability();
      const subtotal = lines.reduce((a, l) => a + l.unitPrice.amount * l.qty, 0);
      const discount = lines.reduce((a, l) => a + l.discount.amount, 0);
      const tax = lines.reduce((a, l) => a + l.tax.amount, 0);
      const shipping = order.shippingCharge ?? 0;
      const total = subtotal - discount + tax + shipping;
      let customer = order.customerId ? (customers.find((c) => c.id === order.customerId) ?? null) : null;
      if (order.customer) {
        if (order.customer.email && !order.customer.email.includes('@'))
          fail('invalid', 'That e-mail address has no @', 'customer.email');
        customer = {
          id: `c-${customers.length + 1}`,
          name: order.customer.name,
          email: order.customer.email,
          phone: order.customer.phone,
          addresses: [],
          orderCount: 0,
        };
        customers.push(customer);
      }
      const number = `SO-${nextNumber++}`;
      const at = new Date().toISOString();
      const status: OrderStatusDto = order.takeAway ? 'completed' : 'open';
      const detail: OrderDetailDto = {
        id: `new-${number}`,
        number,
        status,
        nextStatuses: nextStatuses(status),
        channel: order.channel,
        channelRef: order.channelRef,
        createdAt: at,
        customer,
        shipTo: order.shipTo,
        pickupLocation: order.pickupLocation,
        lines,
        totals: {
          subtotal: money(subtotal),
          discount: money(discount),
          shipping: money(shipping),
          tax: money(tax),
          total: money(total),
        },
        payments: order.payment
          ? [
              {
                method: order.payment.method,
                authorized: money(total),
                captured: money(order.payment.captured ? total : 0),
                refunded: money(0),
              },
            ]
          : [],
        reservations: lines.map((l) => ({
          sku: l.sku,
          location: store,
          qty: l.qty,
          state: order.takeAway ? 'shipped' : 'reserved',
        })),
        attributes: order.attributes,
        notes: order.notes,
        events: [
          { kind: 'created', actor: 'counter', at, summary: `Order ${number} created at the counter`, details: '{}' },
        ],
        routes: order.takeAway ? [] : [mockRoute(at, lines, order.pickupLocation)],
      };
      created.push(detail);
      if (order.channelRef) byRef.set(`${order.channel}:${order.channelRef}`, detail);
      return detail;
    },
    change_order_status: ({ change }) => {
      const order = findOrder(change.number);
      if (!order.nextStatuses.includes(change.to))
        fail('invalid_transition', `An order that is ${order.status} cannot become ${change.to}`);
      if (change.to === 'cancelled' && !change.reason?.trim())
        fail('invalid', 'Say why the order is cancelled', 'reason');
      order.status = change.to;
      order.nextStatuses = nextStatuses(change.to);
      order.events.push({
        kind: 'status_changed',
        actor: 'owner',
        at: new Date().toISOString(),
        summary: `Status changed to ${change.to}${change.reason ? `: ${change.reason}` : ''}`,
        details: '{}',
      });
      if (!created.includes(order)) created.push(order);
      return order;
    },
    reroute_order: ({ input }) => {
      const order = findOrder(input.number);
      if (!input.reason.trim()) fail('invalid', 'Say why the order is re-routed', 'reason');
      const last = order.routes.at(-1);
      if (!last || !last.plan.shipments.some((s) => s.location === input.location))
        fail('invalid', `${input.number} holds nothing at ${input.location}`, 'location');
      const moved = last!.plan.shipments.filter((s) => s.location === input.location).flatMap((s) => s.lines);
      const next = mockRoute(new Date().toISOString(), moved, null);
      next.kind = 'reroute';
      next.plan.shipments[0]!.location = input.location === 'WH-WEST' ? 'WH-EAST' : 'WH-WEST';
      order.routes = [...order.routes, next];
      order.events.push({
        kind: 'rerouted',
        actor: 'owner',
        at: next.createdAt,
        summary: `Re-routed away from ${input.location}: ${input.reason}`,
        details: '{}',
      });
      if (!created.includes(order)) created.push(order);
      return order;
    },
    find_product: ({ code }) =>
      products.find((p) => p.sku.toLowerCase() === code.trim().toLowerCase() || p.barcode === code.trim()) ?? null,
    list_products: ({ query }) => {
      const q = query.search?.trim().toLowerCase() ?? '';
      return page(
        products.filter(
          (p) =>
            !q || p.sku.toLowerCase().includes(q) || p.name.toLowerCase().includes(q) || (p.barcode ?? '').includes(q),
        ),
        query.offset,
        query.limit,
      );
    },
    create_product: ({ product }) => {
      if (products.some((p) => p.sku.toLowerCase() === product.sku.toLowerCase()))
        fail('conflict', `SKU ${product.sku} exists already`, 'sku');
      const made: ProductDto = {
        ...product,
        id: `p-${products.length + 1}`,
        price: money(product.price),
        available: 0,
      };
      products.push(made);
      return made;
    },
    update_product: ({ id, product }) => {
      const p = products.find((x) => x.id === id) ?? fail('not_found', 'No such product');
      Object.assign(p, { ...product, price: money(product.price) });
      return p;
    },
    list_locations: () => locations,
    create_location: ({ location }) => {
      if (locations.some((l) => l.code === location.code))
        fail('conflict', `Location ${location.code} exists already`, 'code');
      const made: LocationDto = { ...location, id: `loc-${locations.length + 1}`, active: true };
      locations.push(made);
      return made;
    },
    update_location: ({ id, location }) => {
      const l = locations.find((x) => x.id === id) ?? fail('not_found', 'No such location');
      Object.assign(l, location);
      return l;
    },
    list_channels: () => channels,
    create_channel: ({ channel }) => {
      if (channels.some((c) => c.code === channel.code))
        fail('conflict', `Channel ${channel.code} exists already`, 'code');
      const made: ChannelDto = { ...channel, id: `ch-${channels.length + 1}` };
      channels.push(made);
      return made;
    },
    update_channel: ({ channel }) => {
      const c =
        channels.find((x) => x.code === channel.code) ?? fail('not_found', `No channel ${channel.code}`, 'code');
      Object.assign(c, channel);
      return c;
    },
    search_customers: ({ search }) => {
      const q = search.trim().toLowerCase();
      return customers
        .filter((c) => [c.name, c.email ?? '', c.phone ?? ''].some((v) => v.toLowerCase().includes(q)))
        .slice(0, 20);
    },
    create_customer: ({ customer }) => {
      const made: CustomerDto = {
        id: `c-${customers.length + 1}`,
        name: customer.name,
        email: customer.email,
        phone: customer.phone,
        addresses: customer.address ? [customer.address] : [],
        orderCount: 0,
      };
      customers.push(made);
      return made;
    },
    list_inventory: ({ query }) => {
      const q = query.search?.trim().toLowerCase() ?? '';
      const rows = [...balances.values()].filter(
        (b) =>
          (!q || b.sku.toLowerCase().includes(q) || b.productName.toLowerCase().includes(q)) &&
          (!query.location || b.location === query.location),
      );
      return page(rows, query.offset, query.limit);
    },
    receive_stock: ({ input }) => {
      const p =
        products.find((x) => x.sku.toLowerCase() === input.sku.toLowerCase()) ??
        fail('invalid', `Unknown SKU ${input.sku}`, 'sku');
      const l = locations.find((x) => x.code === input.location) ?? fail('invalid', 'Choose a location', 'location');
      if (input.qty <= 0) fail('invalid', 'Receive at least 1', 'qty');
      const k = key(p.sku, l.code);
      const b = balances.get(k) ?? {
        sku: p.sku,
        productName: p.name,
        location: l.code,
        locationName: l.name,
        onHand: 0,
        reserved: 0,
        safetyStock: 0,
        available: 0,
        incoming: 0,
        held: 0,
      };
      b.onHand += input.qty;
      balances.set(k, b);
      movements.unshift({
        at: new Date().toISOString(),
        sku: p.sku,
        location: l.code,
        kind: 'receive',
        onHandDelta: input.qty,
        reservedDelta: 0,
        incomingDelta: 0,
        heldDelta: 0,
        reason: input.note,
        orderNumber: null,
        actor: 'owner',
      });
      refreshAvailability();
      return b;
    },
    adjust_stock: ({ input }) => {
      const b =
        balances.get(key(input.sku, input.location)) ??
        fail('not_found', `No stock of ${input.sku} at ${input.location}`, 'sku');
      if (b.onHand + input.delta < b.reserved)
        fail('invalid', `Only ${b.onHand - b.reserved} unreserved units to remove`, 'delta');
      b.onHand += input.delta;
      movements.unshift({
        at: new Date().toISOString(),
        sku: b.sku,
        location: b.location,
        kind: 'adjust',
        onHandDelta: input.delta,
        reservedDelta: 0,
        incomingDelta: 0,
        heldDelta: 0,
        reason: input.reason,
        orderNumber: null,
        actor: 'owner',
      });
      refreshAvailability();
      return b;
    },
    transfer_stock: ({ input }) => {
      if (input.from === input.to) fail('invalid', 'Choose two different locations', 'to');
      const from =
        balances.get(key(input.sku, input.from)) ??
        fail('invalid', `No stock of ${input.sku} at ${input.from}`, 'from');
      if (from.available < input.qty) fail('invalid', `Only ${from.available} available at ${input.from}`, 'qty');
      from.onHand -= input.qty;
      const toLoc = locations.find((l) => l.code === input.to) ?? fail('invalid', 'Choose a location', 'to');
      const k = key(from.sku, toLoc.code);
      const to = balances.get(k) ?? {
        ...from,
        location: toLoc.code,
        locationName: toLoc.name,
        onHand: 0,
        reserved: 0,
        safetyStock: 0,
        available: 0,
        incoming: 0,
        held: 0,
      };
      if (input.arrived) to.onHand += input.qty;
      else to.incoming += input.qty;
      balances.set(k, to);
      refreshAvailability();
      const t: TransferDto = {
        id: `t-${transfers.length + 1}`,
        sku: from.sku,
        from: input.from,
        to: input.to,
        qty: input.qty,
        createdAt: new Date().toISOString(),
        receivedAt: input.arrived ? new Date().toISOString() : null,
      };
      transfers.push(t);
      return t;
    },
    list_transfers: ({ openOnly }) => transfers.filter((t) => !openOnly || t.receivedAt === null),
    receive_transfer: ({ id }) => {
      const t = transfers.find((x) => x.id === id) ?? fail('not_found', 'No such transfer');
      const b = balances.get(key(t.sku, t.to));
      if (b) {
        b.incoming -= t.qty;
        b.onHand += t.qty;
      }
      t.receivedAt = new Date().toISOString();
      refreshAvailability();
      return t;
    },
    list_movements: ({ sku, location }) =>
      movements.filter((m) => m.sku === sku && (!location || m.location === location)).slice(0, 200),
    verify_inventory: () => ({ balancesChecked: balances.size, movementsChecked: movements.length, differences: [] }),
    get_settings: () => settings,
    save_settings: ({ settings: next }) => {
      if (!/^[A-Z]{3}$/.test(next.currency)) fail('invalid', 'Use a three-letter ISO 4217 code', 'currency');
      settings = next;
      info = { ...info, businessName: next.businessName, currency: next.currency };
      return settings;
    },
    test_database: ({ url }) =>
      url.includes('@db.example')
        ? { ok: false, kind: 'postgres', message: 'could not connect to db.example:5432: connection refused' }
        : url.startsWith('postgres')
          ? { ok: true, kind: 'postgres', message: 'PostgreSQL 15.8 answered; the Orderly schema is up to date.' }
          : { ok: false, kind: 'unknown', message: 'Use a postgres:// URL' },
    switch_database: ({ url }) => {
      info = url
        ? { ...info, databaseKind: 'postgres', databaseUrl: url.replace(/:[^:@/]+@/, ':***@') }
        : { ...info, databaseKind: 'sqlite', databaseUrl: 'sqlite:///home/shop/.local/share/orderly/orderly.db' };
      return info;
    },
    get_routing_settings: () => currentRouting(),
    routing_history: ({ limit }) => [...routingVersions].reverse().slice(0, limit),
    save_routing_settings: ({ input }) => {
      const known = new Set(locations.map((l) => l.code));
      input.settings.channels.forEach((c, i) =>
        c.allowedLocations.forEach((l, j) => {
          if (!known.has(l.toUpperCase()))
            fail('invalid', `There is no location '${l}'`, `channels.${i}.allowedLocations.${j}`);
        }),
      );
      if (input.settings.kmPerDay < 50 || input.settings.kmPerDay > 20000)
        fail('invalid', 'Kilometres per transit day must be from 50 to 20,000', 'kmPerDay');
      const saved: RoutingSettingsVersionDto = {
        version: currentRouting().version + 1,
        settings: input.settings,
        note: input.note,
        createdBy: 'owner',
        createdAt: new Date().toISOString(),
      };
      routingVersions.push(saved);
      return saved;
    },
    routing_what_if: ({ proposed, lastOrders }) => {
      if (lastOrders < 1 || lastOrders > 5000) fail('invalid', 'Replay from 1 to 5000 orders', 'lastOrders');
      const web = proposed.channels.find((c) => c.channel === 'web');
      const narrowed = web ? web.allowedLocations.length : 0;
      const orders = Math.min(lastOrders, orderCount);
      const side = (cost: number, days: number, split: number, back: number) => ({
        orders,
        shippingCost: money(cost),
        shipments: orders + split,
        shippedOrders: orders,
        averageDeliveryDays: days,
        splitOrders: split,
        splitRate: orders ? split / orders : 0,
        backorderedUnits: back,
        backorderedOrders: Math.min(back, orders),
      });
      const current = side(orders * 742, 2.4, Math.round(orders * 0.08), 3);
      const proposedSide =
        narrowed > 0
          ? side(orders * 815, 2.9, Math.round(orders * 0.03), 5)
          : proposed.objective === 'fastest'
            ? side(orders * 790, 1.9, Math.round(orders * 0.11), 3)
            : current;
      const changedOrders = proposedSide === current ? 0 : Math.round(orders * 0.4);
      const report: WhatIfReportDto = {
        currentVersion: currentRouting().version,
        proposedSettings: proposed,
        orders,
        firstOrder: `SO-${100000 + orderCount - orders}`,
        lastOrder: `SO-${100000 + orderCount - 1}`,
        current,
        proposed: proposedSide,
        changedOrders,
        changed: Array.from({ length: Math.min(changedOrders, 200) }, (_, i) => ({
          number: `SO-${100000 + orderCount - orders + i * 2}`,
          current: { locations: ['WH-EAST'], shippingCost: money(690 + (i % 7) * 31), days: 2, backorderedUnits: 0 },
          proposed: {
            locations: narrowed > 0 ? (web?.allowedLocations.slice(0, 1) ?? []) : ['ST-BKLYN'],
            shippingCost: money(760 + (i % 5) * 44),
            days: 3,
            backorderedUnits: 0,
          },
        })),
      };
      return report;
    },
    get_mail_settings: () => mail,
    save_mail_settings: ({ settings: next }) => {
      if (next.port < 1 || next.port > 65535) fail('invalid', 'Use a port from 1 to 65535', 'mail.port');
      if (next.enabled && !next.host.trim()) fail('invalid', 'Enter the SMTP server or switch e-mail off', 'mail.host');
      const passwordSet = next.password === null ? mail.passwordSet : next.password !== '';
      mail = { ...next, password: null, passwordSet };
      return mail;
    },
    send_test_mail: ({ to }) =>
      mail.host.endsWith('example.com')
        ? { ok: true, message: `Test e-mail sent to ${to}.` }
        : { ok: false, message: `The test e-mail to ${to} was not sent: connection refused.` },
    list_outbox: ({ status, limit }) => outbox.filter((r) => !status || r.status === status).slice(0, limit),
    retry_mail: ({ id }) => {
      const row = outbox.find((r) => r.id === id) ?? fail('not_found', 'No such e-mail');
      if (row.status === 'sent') fail('conflict', 'It was sent already');
      row.status = 'queued';
      row.nextAttemptAt = new Date().toISOString();
      return row;
    },
    get_rate_cards: () => currentRates(),
    rate_card_history: ({ limit }) => [...rateVersions].reverse().slice(0, limit),
    save_rate_cards: ({ input }) => {
      input.cards.carriers.forEach((c, ci) =>
        c.services.forEach((s, si) =>
          s.brackets.forEach((b, bi) => {
            if (bi > 0 && b.upToGrams <= s.brackets[bi - 1]!.upToGrams)
              fail(
                'invalid',
                'Brackets must be increasing, from 1 to 10000000 grams',
                `carriers[${ci}].services[${si}].brackets[${bi}].upToGrams`,
              );
          }),
        ),
      );
      const saved: RateCardsVersionDto = {
        version: currentRates().version + 1,
        cards: input.cards,
        note: input.note,
        createdBy: 'owner',
        createdAt: new Date().toISOString(),
      };
      rateVersions.push(saved);
      return saved;
    },
    quote_shipment: ({ request }) => {
      if (request.weightGrams <= 0) fail('invalid', 'Enter a weight from 0 to 1000 kg', 'weight');
      const today = new Date(now);
      const date = (days: number) => new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
      const quote = (carrier: string, service: string, total: number, days: number): QuoteDto => ({
        carrier,
        carrierName: carrier === 'UPS' ? 'UPS' : 'Orderly Local',
        service,
        serviceName: service === 'GROUND' ? 'Ground' : 'Courier',
        zone: 1,
        base: money(total),
        fuel: money(0),
        surcharges: money(0),
        total: money(total),
        transitDays: days,
        deliveryDate: date(days),
        meetsPromise: !request.promisedBy || date(days) <= request.promisedBy,
        why: `zone 1, ${request.packages} × ${request.weightGrams} g: base ${total}; delivered ${date(days)}`,
      });
      const quotes = [quote('UPS', 'GROUND', 1390, 4)];
      if (request.from === 'ST-BKLYN' && request.toPostalCode.startsWith('112'))
        quotes.unshift(quote('LOCAL', 'COURIER', 800, 1));
      const chosen =
        quotes.find((q) => q.meetsPromise) ?? quotes.reduce((a, b) => (b.transitDays < a.transitDays ? b : a));
      return {
        chosen,
        quotes,
        unavailable:
          request.from === 'ST-BKLYN' ? [] : [`Orderly Local Courier: does not collect from ${request.from}`],
        summary: chosen.meetsPromise
          ? `${chosen.carrierName} ${chosen.serviceName} is the cheapest (${chosen.total.amount}).`
          : `No service is delivered by ${request.promisedBy}: ${chosen.carrierName} ${chosen.serviceName} is the fastest.`,
      };
    },
    load_demo: () => (info = { ...info, demoLoaded: true }),
    clear_data: () => {
      balances.clear();
      products.length = 0;
      created.length = 0;
      info = { ...info, demoLoaded: false };
      return info;
    },
  };

  return {
    handle(cmd: string, args: unknown): unknown {
      const fn = (handlers as Record<string, (a: unknown) => unknown>)[cmd];
      if (!fn) throw `command ${cmd} not found`;
      return fn(args ?? {});
    },
  };
}
