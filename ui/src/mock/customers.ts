/**
 * The mock core's customer page, for the browser preview and tests only: a customer's figures, their
 * orders newest first and their timeline (order events merged with store credit, newest first, paged
 * by an opaque cursor) — the same DTO shapes and coded errors as the core. Each customer's newest
 * delivered or completed order carries a made-up return refunded to store credit, so the timeline
 * shows the whole story; returns made in the mock session appear through the orders' own events.
 */
import type { CustomerDetailDto } from '../bindings/CustomerDetailDto';
import type { CustomerDto } from '../bindings/CustomerDto';
import type { CustomerTimelineEntryDto } from '../bindings/CustomerTimelineEntryDto';
import type { OrderDetailDto } from '../bindings/OrderDetailDto';
import type { OrderStatusDto } from '../bindings/OrderStatusDto';
import type { OrderSummaryDto } from '../bindings/OrderSummaryDto';
import type { CommandArgs, CommandName, CommandResult } from '../lib/ipc';

type Handler = { [K in CommandName]: (args: CommandArgs<K>) => CommandResult<K> };

export const CUSTOMER_COMMANDS = ['customer_detail', 'customer_orders', 'customer_timeline'] as const;
export type CustomerHandlers = Pick<Handler, (typeof CUSTOMER_COMMANDS)[number]>;

const fail = (code: string, message: string, field: string | null = null): never => {
  throw { code, message, field };
};

/** As the core's `is_open`: the shop still owes the customer something. */
const OPEN: OrderStatusDto[] = ['open', 'backordered', 'in_progress', 'partially_shipped', 'shipped'];
const usd = (minor: number) => `${(minor / 100).toFixed(2)} USD`;

export function createCustomersMock(deps: {
  now: number;
  customers: CustomerDto[];
  /** Every order of the customer, newest first (the generated history is scanned only near its end). */
  ordersOf: (customer: CustomerDto) => OrderSummaryDto[];
  findOrder: (number: string) => OrderDetailDto;
}) {
  const customer = (id: string) =>
    deps.customers.find((c) => c.id === id) ?? fail('not_found', `Customer '${id}' was not found`);

  /** The made-up return of a customer's newest delivered or completed order, refunded to store credit. */
  function storyOf(orders: OrderSummaryDto[]) {
    const order = orders.find((o) => o.status === 'delivered' || o.status === 'completed');
    if (!order) return null;
    const at = Date.parse(order.createdAt);
    const amount = Math.min(order.total.amount, 2599);
    const ret = `R-${order.number.slice(3)}-1`;
    // Some days after the order, but never after the mock's "now" (the order may be recent).
    const t = (hours: number) =>
      new Date(Math.min(at + hours * 3_600_000, deps.now - (100 - hours) * 60_000)).toISOString();
    const base = { orderId: order.id, orderNumber: order.number, returnNumber: ret, amount: null };
    const entries: CustomerTimelineEntryDto[] = [
      {
        ...base,
        id: `${ret}-a`,
        source: 'order',
        kind: 'return_authorized',
        summary: `Return ${ret} authorised: 1 unit, changed mind (drop-off at ST-BKLYN)`,
        actor: 'sam',
        at: t(72),
      },
      {
        ...base,
        id: `${ret}-b`,
        source: 'order',
        kind: 'return_received',
        summary: `Received 1 unit on ${ret} at ST-BKLYN: restocked`,
        actor: 'sam',
        at: t(96),
      },
      {
        ...base,
        id: `${ret}-c`,
        source: 'store_credit',
        kind: 'store_credit_issued',
        summary: `Store credit issued: ${usd(amount)} (refund of ${ret})`,
        actor: 'sam',
        at: t(97),
        amount: { amount, currency: order.total.currency },
      },
      {
        ...base,
        id: `${ret}-d`,
        source: 'order',
        kind: 'refund',
        summary: `Refunded ${usd(amount)} to store credit on ${ret}`,
        actor: 'sam',
        at: t(97),
      },
    ];
    return { order, amount, entries };
  }

  function timelineOf(c: CustomerDto): CustomerTimelineEntryDto[] {
    const orders = deps.ordersOf(c);
    const entries: CustomerTimelineEntryDto[] = [];
    for (const summary of orders.slice(0, 30)) {
      const order = deps.findOrder(summary.number);
      order.events.forEach((e, i) =>
        entries.push({
          id: `${order.number}-e${String(i).padStart(3, '0')}`,
          source: 'order',
          kind: e.kind,
          summary: e.summary,
          actor: e.actor,
          at: e.at,
          orderId: order.id,
          orderNumber: order.number,
          returnNumber: returnNumberOf(e.details),
          amount: null,
        }),
      );
    }
    const story = storyOf(orders);
    if (story) entries.push(...story.entries);
    // Newest first, then by id (as the core: time, then row id).
    const desc = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);
    return entries.sort((a, b) => desc(a.at, b.at) || desc(a.id, b.id));
  }

  const handlers: CustomerHandlers = {
    customer_detail: ({ id }): CustomerDetailDto => {
      const c = customer(id);
      const orders = deps.ordersOf(c);
      const story = storyOf(orders);
      const spent = orders
        .filter((o) => o.status !== 'cancelled' && !OPEN.includes(o.status))
        .reduce((s, o) => s + o.total.amount, 0);
      return {
        id: c.id,
        name: c.name,
        email: c.email,
        phone: c.phone,
        addresses: c.addresses,
        createdAt: orders.at(-1)?.createdAt ?? new Date(deps.now).toISOString(),
        orderCount: orders.length,
        openOrders: orders.filter((o) => OPEN.includes(o.status)).length,
        lifetimeSpend: orders.length ? [{ amount: spent - (story?.amount ?? 0), currency: 'USD' }] : [],
        returnCount: story ? 1 : 0,
        storeCredit: { amount: story?.amount ?? 0, currency: 'USD' },
        lastOrderAt: orders[0]?.createdAt ?? null,
      };
    },
    customer_orders: ({ id, offset, limit }) => {
      const orders = deps.ordersOf(customer(id));
      return { rows: orders.slice(offset, offset + limit), total: orders.length, totalCapped: false };
    },
    customer_timeline: ({ id, before, limit }) => {
      const all = timelineOf(customer(id));
      let start = 0;
      if (before) {
        const cut = before.indexOf('_');
        if (cut < 0) fail('invalid', `'${before}' is not a timeline position`, 'before');
        const at = before.slice(0, cut);
        const key = before.slice(cut + 1);
        start = all.findIndex((e) => e.at < at || (e.at === at && e.id < key));
        if (start < 0) start = all.length;
      }
      const entries = all.slice(start, start + limit);
      const last = entries.at(-1);
      const next = start + limit < all.length && last ? `${last.at}_${last.id}` : null;
      return { entries, next };
    },
  };
  return { handlers };
}

function returnNumberOf(details: string): string | null {
  try {
    const v = JSON.parse(details) as { return?: unknown };
    return typeof v.return === 'string' && v.return ? v.return : null;
  } catch {
    return null;
  }
}
