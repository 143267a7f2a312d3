/**
 * The mock core's returns side, for the browser preview and tests only: return options and previews,
 * returns (authorise, label, receive by scan, refund, exchange, cancel), the returns queue, held stock
 * and the return policy — kept in memory with the same DTO shapes and coded errors as the core. The
 * money rules here are simplified stand-ins of the core's (prorated line refunds, a restocking fee and a
 * label fee from the policy); the real rules and sentences are the core's.
 */
import type { DispositionDto } from '../bindings/DispositionDto';
import type { MoneyDto } from '../bindings/MoneyDto';
import type { NewOrderDto } from '../bindings/NewOrderDto';
import type { OrderDetailDto } from '../bindings/OrderDetailDto';
import type { PrintedDto } from '../bindings/PrintedDto';
import type { PrintRequestDto } from '../bindings/PrintRequestDto';
import type { ProductDto } from '../bindings/ProductDto';
import type { RefundBreakdownDto } from '../bindings/RefundBreakdownDto';
import type { RefundDto } from '../bindings/RefundDto';
import type { ReturnDto } from '../bindings/ReturnDto';
import type { ReturnInputDto } from '../bindings/ReturnInputDto';
import type { ReturnOptionsDto } from '../bindings/ReturnOptionsDto';
import type { ReturnPolicyDto } from '../bindings/ReturnPolicyDto';
import type { ReturnReasonDto } from '../bindings/ReturnReasonDto';
import type { ReturnSummaryDto } from '../bindings/ReturnSummaryDto';
import type { CommandArgs, CommandName, CommandResult } from '../lib/ipc';

type Handler = { [K in CommandName]: (args: CommandArgs<K>) => CommandResult<K> };

export const RETURN_COMMANDS = [
  'return_options',
  'preview_return',
  'create_return',
  'get_return',
  'order_returns',
  'returns_queue',
  'return_label',
  'receive_return',
  'refund_preview',
  'refund_return',
  'create_exchange',
  'cancel_return',
  'held_stock_action',
  'get_return_policy',
  'save_return_policy',
] as const;

export type ReturnHandlers = Pick<Handler, (typeof RETURN_COMMANDS)[number]>;

const fail = (code: string, message: string, field: string | null = null): never => {
  throw { code, message, field };
};

const SHOP_FAULT: ReturnReasonDto[] = [
  'defective',
  'damaged_in_transit',
  'wrong_item',
  'not_as_described',
  'arrived_late',
];
const DAY = 86_400_000;
/** Half away from zero, like the core's integer rounding. */
const roundDiv = (n: number, d: number) => Math.sign(n) * Math.round(Math.abs(n) / d);

export interface ReturnsMockDeps {
  now: number;
  products: ProductDto[];
  locationCodes: () => string[];
  locationName: (code: string) => string;
  findOrder: (number: string) => OrderDetailDto;
  /** Keeps a changed order (status, payments, events) for the next `get_order`. */
  keepOrder: (order: OrderDetailDto) => void;
  createOrder: (order: NewOrderDto) => OrderDetailDto;
  /** Moves stock: on hand and held at one location. */
  moveStock: (sku: string, location: string, onHandDelta: number, heldDelta: number) => void;
  /** Where a printout goes (the workstation's printers or folder). */
  printTarget: (request: PrintRequestDto) => PrintedDto;
  /** Orders to seed a few returns on (newest first). */
  orderNumbers: string[];
}

type Stored = ReturnDto & { currency: string };

export function createReturnsMock(deps: ReturnsMockDeps) {
  const { now } = deps;
  let policy: ReturnPolicyDto = {
    defaultWindowDays: 30,
    channelWindows: [
      { channel: 'web', days: 30 },
      { channel: 'marketplace', days: 14 },
    ],
    restockingFeeBp: 1500,
    refundShippingOnShopFault: true,
    returnLabelFee: 0,
    defaultLocation: 'WH-EAST',
  };
  const returns: Stored[] = [];
  const byKey = new Map<string, unknown>();
  const held = new Map<string, number>();
  const orders = new Map<string, OrderDetailDto>();
  let refundSeq = 1;

  const money = (amount: number, currency: string): MoneyDto => ({ amount, currency });
  const usd = (m: number, c = 'USD') => {
    const neg = m < 0 ? '−' : '';
    return `${neg}$${(Math.abs(m) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${c === 'USD' ? '' : ` ${c}`}`;
  };

  const order = (code: string): OrderDetailDto => {
    const number = code.trim().toUpperCase();
    const kept = orders.get(number);
    if (kept) return kept;
    let o: OrderDetailDto;
    try {
      o = deps.findOrder(number);
    } catch {
      return fail(
        'not_found',
        `'${code.trim()}' is not an order number or order barcode: scan the receipt again`,
        'order',
      );
    }
    orders.set(o.number, o);
    return o;
  };

  const windowDays = (channel: string) =>
    policy.channelWindows.find((w) => w.channel === channel)?.days ?? policy.defaultWindowDays;
  const leftQty = (o: OrderDetailDto, sku: string) =>
    ['open', 'backordered', 'in_progress', 'cancelled'].includes(o.status)
      ? 0
      : o.reservations.filter((r) => r.sku === sku && r.state === 'shipped').reduce((s, r) => s + r.qty, 0);
  const onReturns = (o: OrderDetailDto, lineNo: number) =>
    returns
      .filter((r) => r.order === o.number && r.status !== 'cancelled')
      .flatMap((r) => r.lines)
      .filter((l) => l.lineNo === lineNo)
      .reduce((s, l) => s + l.qty, 0);
  const product = (sku: string) => deps.products.find((p) => p.sku === sku);
  const leftOn = (o: OrderDetailDto) => (o.lines.some((l) => leftQty(o, l.sku) > 0) ? o.createdAt.slice(0, 10) : null);
  const until = (o: OrderDetailDto) => {
    const left = leftOn(o);
    return left ? new Date(Date.parse(left) + windowDays(o.channel) * DAY).toISOString().slice(0, 10) : null;
  };
  const withinWindow = (o: OrderDetailDto) => {
    const u = until(o);
    return u !== null && u >= new Date(now).toISOString().slice(0, 10);
  };
  const windowNote = (o: OrderDetailDto) => {
    const left = leftOn(o);
    if (!left) return 'Nothing on this order has left the shop yet: there is nothing to return.';
    return withinWindow(o)
      ? `Within the ${windowDays(o.channel)}-day ${o.channel} window: left on ${left}, returnable until ${until(o)}.`
      : `Outside the ${windowDays(o.channel)}-day ${o.channel} window: left on ${left}, returnable until ${until(o)}. An override with a reason is needed.`;
  };

  function options(code: string): ReturnOptionsDto {
    const o = order(code);
    const currency = o.totals.total.currency;
    return {
      order: o.number,
      status: o.status,
      channel: o.channel,
      customerName: o.customer?.name ?? null,
      customerEmail: o.customer?.email ?? null,
      hasCustomer: o.customer !== null,
      currency,
      lines: o.lines.map((l) => {
        const left = leftQty(o, l.sku);
        return {
          lineNo: l.lineNo,
          sku: l.sku,
          name: l.name,
          orderedQty: l.qty,
          leftQty: left,
          returnableQty: Math.max(0, left - onReturns(o, l.lineNo)),
          unitPaid: money(roundDiv(l.total.amount, l.qty), currency),
          finalSale: product(l.sku)?.finalSale ?? false,
        };
      }),
      windowDays: windowDays(o.channel),
      leftOn: leftOn(o),
      returnableUntil: until(o),
      withinWindow: withinWindow(o),
      policyNotes: [windowNote(o)],
      defaultLocation: policy.defaultLocation,
      storeCredit: o.customer ? money(0, currency) : null,
    };
  }

  /** The refund of `units` per order line on top of `before` units returned earlier. */
  function breakdown(
    o: OrderDetailDto,
    lines: { lineNo: number; reason: ReturnReasonDto; units: number; before: number }[],
    method: 'ship_back' | 'drop_off',
    exchange: boolean,
  ): RefundBreakdownDto {
    const currency = o.totals.total.currency;
    const m = (a: number) => money(a, currency);
    const notes: string[] = [];
    let goods = 0;
    let discount = 0;
    let tax = 0;
    let feeBase = 0;
    const rows = lines
      .filter((l) => l.units > 0)
      .map((l) => {
        const ol = o.lines.find((x) => x.lineNo === l.lineNo)!;
        const cum = (n: number, x: number) => roundDiv(x * n, ol.qty);
        const part = (x: number) => cum(l.before + l.units, x) - cum(l.before, x);
        const g = part(ol.unitPrice.amount * ol.qty);
        const d = part(ol.discount.amount);
        const t = part(ol.tax.amount);
        goods += g;
        discount += d;
        tax += t;
        if (!SHOP_FAULT.includes(l.reason)) feeBase += g - d;
        return {
          lineNo: ol.lineNo,
          sku: ol.sku,
          qty: l.units,
          goods: m(g),
          discount: m(d),
          tax: m(t),
          total: m(g - d + t),
        };
      });
    const shopFault = lines.some((l) => l.units > 0 && SHOP_FAULT.includes(l.reason));
    const shipping = policy.refundShippingOnShopFault && shopFault ? o.totals.shipping.amount : 0;
    const shippingTax = roundDiv(shipping * 887, 10000);
    if (o.totals.shipping.amount === 0) notes.push('No shipping was charged on this order.');
    else if (shipping > 0) notes.push(`Shipping refunded (${usd(shipping)}): the reason is the shop's fault.`);
    else notes.push('Shipping is not refunded: no line is returned for a reason that is the shop\u2019s fault.');
    const restockingFee = exchange ? 0 : roundDiv(feeBase * policy.restockingFeeBp, 10000);
    if (restockingFee > 0)
      notes.push(`Restocking fee ${policy.restockingFeeBp / 100}% on changed-mind items: −${usd(restockingFee)}.`);
    else if (exchange && policy.restockingFeeBp > 0) notes.push('No restocking fee on an exchange.');
    const labelFee = !exchange && method === 'ship_back' && !shopFault ? policy.returnLabelFee : 0;
    if (labelFee > 0) notes.push(`Return label fee deducted: −${usd(labelFee)}.`);
    const total = goods - discount + tax + shipping + shippingTax - restockingFee - labelFee;
    const captured = o.payments.reduce((s, p) => s + p.captured.amount - p.refunded.amount, 0);
    return {
      lines: rows,
      goods: m(goods),
      discount: m(discount),
      tax: m(tax),
      shipping: m(shipping),
      shippingTax: m(shippingTax),
      restockingFee: m(restockingFee),
      labelFee: m(labelFee),
      total: m(total),
      alreadyRefunded: m(0),
      refundable: m(Math.max(0, Math.min(total, captured))),
      capturedRemaining: m(captured),
      notes,
    };
  }

  function check(input: ReturnInputDto) {
    const o = order(input.order);
    const opts = options(o.number);
    const problems: string[] = [];
    const notes = [...opts.policyNotes];
    const override = input.overrideReason?.trim() ? input.overrideReason.trim() : null;
    const chosen = input.lines.filter((l) => l.qty > 0);
    if (!chosen.length) problems.push('Choose at least one unit to return (set a quantity above 0).');
    chosen.forEach((l) => {
      const line = opts.lines.find((x) => x.lineNo === l.lineNo);
      if (!line) return problems.push(`Line ${l.lineNo} is not on ${o.number}.`);
      if (l.qty > line.returnableQty)
        problems.push(`Line ${l.lineNo} (${line.sku}): only ${line.returnableQty} can be returned, not ${l.qty}.`);
      if (line.finalSale) {
        if (override) notes.push(`${line.sku} is final sale: returned by override (${override}).`);
        else problems.push(`${line.sku} is final sale: it can only be returned with an override and a reason.`);
      }
    });
    if (!opts.withinWindow) {
      if (override) notes.push(`Outside the window: let through by override (${override}).`);
      else
        problems.push(
          `The ${opts.windowDays}-day window ended on ${opts.returnableUntil ?? '—'}: give an override reason to accept it anyway.`,
        );
    }
    if (!deps.locationCodes().includes(input.location))
      problems.push(`'${input.location}' is not a location: choose where the goods come back to.`);
    const estimate = breakdown(
      o,
      chosen.map((l) => ({ lineNo: l.lineNo, reason: l.reason, units: l.qty, before: onReturns(o, l.lineNo) })),
      input.method,
      false,
    );
    return { o, problems, notes, estimate, override, chosen };
  }

  const find = (number: string): Stored =>
    returns.find((r) => r.number === number.trim().toUpperCase()) ??
    fail('not_found', `There is no return ${number.trim()}`, 'ret');

  /** What this return may refund now: received units (or all with `beforeReceipt`), minus refunds. */
  function refundBreakdown(r: Stored, beforeReceipt: boolean, exchange = false): RefundBreakdownDto {
    const o = order(r.order);
    const b = breakdown(
      o,
      r.lines.map((l) => ({
        lineNo: l.lineNo,
        reason: l.reason,
        units: beforeReceipt ? l.qty : l.received,
        before: 0,
      })),
      r.method,
      exchange,
    );
    const already = r.refunded.amount;
    const refundable = Math.max(0, Math.min(b.total.amount - already, b.capturedRemaining.amount));
    if (!beforeReceipt && r.lines.some((l) => l.received < l.qty))
      b.notes.push('Only received units count: refund before the goods arrive to include the others.');
    return { ...b, alreadyRefunded: money(already, r.currency), refundable: money(refundable, r.currency) };
  }

  function refresh(r: Stored) {
    r.refundable = refundBreakdown(r, false).refundable;
    if (r.status === 'received' && r.refundable.amount === 0 && r.refunded.amount > 0) r.status = 'closed';
  }

  function summary(r: Stored): ReturnSummaryDto {
    return {
      number: r.number,
      order: r.order,
      status: r.status,
      method: r.method,
      location: r.location,
      customerName: r.customerName,
      units: r.lines.reduce((s, l) => s + l.qty, 0),
      received: r.lines.reduce((s, l) => s + l.received, 0),
      createdAt: r.createdAt,
      refundable: r.refundable,
    };
  }

  function event(o: OrderDetailDto, kind: string, summaryText: string) {
    o.events = [
      ...o.events,
      { kind, actor: 'demo', at: new Date(now).toISOString(), summary: summaryText, details: '{}' },
    ];
    deps.keepOrder(o);
  }

  function create(input: ReturnInputDto, at: number): Stored {
    const { o, problems, notes, override, chosen } = check(input);
    if (problems.length) fail('invalid', problems.join(' '), 'lines');
    const n = returns.filter((r) => r.order === o.number).length + 1;
    const r: Stored = {
      id: `ret-${returns.length + 1}`,
      number: `R-${o.number.replace(/^\D+/, '')}-${n}`,
      order: o.number,
      status: 'authorized',
      method: input.method,
      location: input.location,
      locationName: deps.locationName(input.location),
      createdAt: new Date(at).toISOString(),
      createdBy: 'demo',
      customerName: o.customer?.name ?? null,
      customerId: o.customer?.id ?? null,
      lines: chosen.map((l) => {
        const ol = o.lines.find((x) => x.lineNo === l.lineNo)!;
        return { ...l, sku: ol.sku, name: ol.name, received: 0, dispositions: [] };
      }),
      label: null,
      policyNotes: notes,
      overrideReason: override,
      note: input.note?.trim() || null,
      refunds: [],
      exchangeOrder: null,
      refunded: money(0, o.totals.total.currency),
      refundable: money(0, o.totals.total.currency),
      currency: o.totals.total.currency,
    };
    returns.push(r);
    refresh(r);
    event(
      o,
      'return_authorized',
      `Return ${r.number} authorised: ${summary(r).units} unit(s), ${r.method === 'ship_back' ? 'ship back' : 'drop off'} to ${r.location}`,
    );
    return r;
  }

  function receive(
    r: Stored,
    input: { location: string; code: string | null; lineNo: number | null; qty: number; disposition: DispositionDto },
  ) {
    if (r.status === 'cancelled' || r.status === 'closed')
      fail('invalid_transition', `${r.number} is ${r.status}: nothing more can be received on it`, 'ret');
    if (!deps.locationCodes().includes(input.location))
      fail('invalid', 'Choose the location receiving the goods', 'location');
    const code = input.code?.trim() ?? '';
    const line = code
      ? r.lines.find((l) => {
          const p = product(l.sku);
          return l.sku.toLowerCase() === code.toLowerCase() || p?.barcode === code;
        })
      : r.lines.find((l) => l.lineNo === input.lineNo);
    if (!line) {
      const p = deps.products.find((x) => x.barcode === code || x.sku.toLowerCase() === code.toLowerCase());
      return fail(
        'invalid',
        p
          ? `${p.sku} (${p.name}) is not on return ${r.number}: put it aside and check the customer's parcel`
          : `'${code}' is not a product barcode or SKU — scan the item's barcode again`,
        code ? 'code' : 'lineNo',
      );
    }
    if (input.qty < 1) fail('invalid', 'Receive at least 1 unit', 'qty');
    if (line.received + input.qty > line.qty)
      fail(
        'invalid',
        `Only ${line.qty - line.received} more × ${line.sku} expected on ${r.number} (${line.received} of ${line.qty} received): this one is surplus`,
        code ? 'code' : 'qty',
      );
    line.received += input.qty;
    const at = new Date(now).toISOString();
    const same = line.dispositions.find((d) => d.disposition === input.disposition && d.location === input.location);
    if (same) same.qty += input.qty;
    else
      line.dispositions.push({
        disposition: input.disposition,
        qty: input.qty,
        location: input.location,
        at,
        actor: 'demo',
      });
    if (input.disposition === 'restock') deps.moveStock(line.sku, input.location, input.qty, 0);
    else if (input.disposition === 'damaged') {
      deps.moveStock(line.sku, input.location, 0, input.qty);
      const k = `${input.location}|${line.sku}`;
      held.set(k, (held.get(k) ?? 0) + input.qty);
    }
    const all = r.lines.every((l) => l.received >= l.qty);
    r.status = all ? 'received' : 'partially_received';
    const o = order(r.order);
    const back = returns
      .filter((x) => x.order === o.number)
      .flatMap((x) => x.lines)
      .reduce((s, l) => s + l.received, 0);
    const left = o.lines.reduce((s, l) => s + leftQty(o, l.sku), 0);
    o.status = back >= left ? 'returned' : 'partially_returned';
    o.nextStatuses = [];
    event(
      o,
      'return_received',
      `${r.number}: received ${input.qty} × ${line.sku} as ${input.disposition} at ${input.location}`,
    );
    refresh(r);
    return r;
  }

  function refund(r: Stored, amount: number, to: RefundDto['to'], reason: string | null): RefundDto {
    const o = order(r.order);
    let left = amount;
    o.payments = [...o.payments]
      .sort((a, b) => b.captured.amount - b.refunded.amount - (a.captured.amount - a.refunded.amount))
      .map((p) => {
        const take = Math.min(left, p.captured.amount - p.refunded.amount);
        left -= take;
        return { ...p, refunded: { ...p.refunded, amount: p.refunded.amount + take } };
      });
    const made: RefundDto = {
      id: `rf-${refundSeq++}`,
      ret: r.number,
      order: r.order,
      amount: money(amount, r.currency),
      to,
      reason,
      at: new Date(now).toISOString(),
      actor: 'demo',
    };
    r.refunds = [...r.refunds, made];
    r.refunded = money(r.refunded.amount + amount, r.currency);
    event(o, 'refund', `Refunded ${usd(amount)} to ${to.replace('_', ' ')} for ${r.number}`);
    refresh(r);
    return made;
  }

  // A few returns so the queue and the order pages have something to show.
  const seedable = deps.orderNumbers
    .map((n) => {
      try {
        return order(n);
      } catch {
        return null;
      }
    })
    .filter((o): o is OrderDetailDto => o !== null && o.reservations.some((x) => x.state === 'shipped'));
  const seed = (o: OrderDetailDto | undefined, method: 'ship_back' | 'drop_off', location: string, daysAgo: number) =>
    o
      ? create(
          {
            order: o.number,
            lines: [
              {
                lineNo: 1,
                qty: 1,
                reason: method === 'ship_back' ? 'changed_mind' : 'defective',
                condition: 'opened',
                note: null,
              },
            ],
            method,
            location,
            overrideReason: 'Demo data',
            note: null,
          },
          now - daysAgo * DAY,
        )
      : null;
  seed(seedable[0], 'ship_back', 'WH-EAST', 1);
  const received = seed(seedable[1], 'drop_off', 'WH-EAST', 2);
  if (received) {
    const line = received.lines[0]!;
    receive(received, { location: 'WH-EAST', code: null, lineNo: line.lineNo, qty: line.qty, disposition: 'damaged' });
  }

  const handlers: ReturnHandlers = {
    return_options: ({ order: code }) => options(code),
    preview_return: ({ input }) => {
      const { problems, notes, estimate } = check(input);
      return { allowed: problems.length === 0, problems, policyNotes: notes, estimate };
    },
    create_return: ({ input }) => create(input, now),
    get_return: ({ number }) => find(number),
    order_returns: ({ order: code }) => {
      const o = order(code);
      return returns.filter((r) => r.order === o.number).map(summary);
    },
    returns_queue: ({ location }) => {
      const here = returns.filter((r) => r.location === location).reverse();
      return {
        location,
        expected: here.filter((r) => r.status === 'authorized' || r.status === 'in_transit').map(summary),
        receiving: here.filter((r) => r.status === 'partially_received').map(summary),
        toRefund: here
          .filter((r) => (r.status === 'received' || r.status === 'partially_received') && r.refundable.amount > 0)
          .map(summary),
        recent: here.slice(0, 20).map(summary),
        held: [...held.entries()]
          .filter(([k, qty]) => k.startsWith(`${location}|`) && qty > 0)
          .map(([k, qty]) => {
            const sku = k.split('|')[1]!;
            return { sku, name: product(sku)?.name ?? sku, qty };
          }),
      };
    },
    return_label: ({ input }) => {
      const r = find(input.ret);
      if (r.method !== 'ship_back') fail('invalid', `${r.number} is a drop-off: it needs no return label`, 'ret');
      if (r.status !== 'authorized' && r.status !== 'in_transit')
        fail(
          'invalid_transition',
          `${r.number} is ${r.status.replace('_', ' ')}: a label is only made before the goods arrive`,
          'ret',
        );
      if (!input.carrier.trim()) fail('invalid', 'Enter the carrier', 'carrier');
      if (!input.service.trim()) fail('invalid', 'Enter the service', 'service');
      if (input.weightGrams <= 0) fail('invalid', 'Enter the parcel weight in grams (more than 0)', 'weightGrams');
      const tracking = input.generateLocal
        ? `LOC${r.number.replace(/\D/g, '').padStart(10, '0')}`
        : (input.trackingNumber?.trim() ?? '');
      if (!tracking) fail('invalid', 'Enter or scan the tracking number, or generate a local number', 'trackingNumber');
      r.label = {
        carrier: input.carrier.trim(),
        service: input.service.trim(),
        trackingNumber: tracking,
        cost: input.cost,
      };
      r.status = 'in_transit';
      event(order(r.order), 'return_label', `Return label for ${r.number}: ${r.label.carrier} ${tracking}`);
      return r;
    },
    receive_return: ({ input }) => receive(find(input.ret), input),
    refund_preview: ({ ret, beforeReceipt }) => refundBreakdown(find(ret), beforeReceipt),
    refund_return: ({ input }) => {
      const seen = byKey.get(input.idempotencyKey);
      if (seen) return seen as RefundDto;
      const r = find(input.ret);
      if (r.status === 'cancelled') fail('invalid_transition', `${r.number} is cancelled: nothing to refund`, 'ret');
      const b = refundBreakdown(r, input.beforeReceipt);
      const refundable = b.refundable.amount;
      if (refundable <= 0)
        fail(
          'invalid',
          `Nothing to refund on ${r.number} yet: receive the goods first, or refund before they arrive`,
          'amount',
        );
      const amount = input.amount?.amount ?? refundable;
      if (amount <= 0) fail('invalid', 'Enter an amount above 0', 'amount');
      if (amount > refundable) fail('invalid', `At most ${usd(refundable)} can be refunded on ${r.number}`, 'amount');
      if (amount < refundable && !input.reason?.trim())
        fail('invalid', `Say why the refund is less than the ${usd(refundable)} refundable`, 'reason');
      if (input.to === 'store_credit' && !order(r.order).customer)
        fail('invalid', 'Store credit needs a customer on the order: refund to the original payment', 'to');
      const made = refund(r, amount, input.to, input.reason?.trim() || null);
      byKey.set(input.idempotencyKey, made);
      return made;
    },
    create_exchange: ({ input }) => {
      const seen = byKey.get(input.idempotencyKey);
      if (seen) return seen as ReturnType<ReturnHandlers['create_exchange']>;
      const r = find(input.ret);
      if (r.exchangeOrder) fail('conflict', `${r.number} was already exchanged for ${r.exchangeOrder}`, 'ret');
      if (!input.lines.length) fail('invalid', 'Add at least one item to send', 'lines');
      const o = order(r.order);
      const credit = Math.max(0, refundBreakdown(r, true, true).total.amount - r.refunded.amount);
      const made = deps.createOrder({
        channel: o.channel,
        channelRef: null,
        customerId: o.customer?.id ?? null,
        customer: null,
        shipTo: input.pickupLocation ? null : (input.shipTo ?? o.shipTo ?? null),
        pickupLocation: input.pickupLocation,
        takeAway: false,
        lines: input.lines,
        shippingCharge: 0,
        taxRateBp: null,
        payment: null,
        attributes: [{ key: 'exchange_for', value: r.number }],
        notes: `Exchange for ${r.number}`,
      });
      const newTotal = made.totals.total.amount;
      const difference = newTotal - credit;
      r.exchangeOrder = made.number;
      if (credit > 0) refund(r, Math.min(credit, newTotal), 'exchange', `Exchange ${made.number}`);
      if (difference < 0) refund(r, -difference, input.refundTo, `Exchange ${made.number}: difference`);
      event(o, 'exchange_created', `Exchange ${made.number} created for ${r.number}`);
      const settlement =
        difference > 0
          ? `The new order ${made.number} costs ${usd(newTotal)}; the return's credit of ${usd(credit)} pays for part of it, and ${usd(difference)} is charged to ${input.paymentMethod ?? 'the customer'}.`
          : difference < 0
            ? `The new order ${made.number} costs ${usd(newTotal)}, paid by the return's credit of ${usd(credit)}; the remaining ${usd(-difference)} is refunded to ${input.refundTo === 'store_credit' ? 'store credit' : 'the original payment'}.`
            : `The new order ${made.number} costs ${usd(newTotal)}, exactly the return's credit: nothing to pay, nothing to refund.`;
      const result = {
        ret: r.number,
        order: made.number,
        newTotal: money(newTotal, r.currency),
        credit: money(credit, r.currency),
        difference: money(difference, r.currency),
        settlement,
      };
      byKey.set(input.idempotencyKey, result);
      return result;
    },
    cancel_return: ({ ret, reason }) => {
      const r = find(ret);
      if (!reason.trim()) fail('invalid', 'Say why the return is cancelled', 'reason');
      if (r.lines.some((l) => l.received > 0))
        fail('invalid_transition', `${r.number} has received units: it can no longer be cancelled`, 'ret');
      if (r.status === 'cancelled') fail('invalid_transition', `${r.number} is cancelled already`, 'ret');
      r.status = 'cancelled';
      event(order(r.order), 'return_cancelled', `Return ${r.number} cancelled: ${reason.trim()}`);
      return r;
    },
    held_stock_action: ({ input }) => {
      const k = `${input.location}|${input.sku}`;
      const have = held.get(k) ?? 0;
      if (!input.reason.trim()) fail('invalid', 'Say why (e.g. "broken glass", "RMA 4411 with the vendor")', 'reason');
      if (input.qty < 1) fail('invalid', 'Enter a quantity of 1 or more', 'qty');
      if (input.qty > have) fail('invalid', `Only ${have} × ${input.sku} held at ${input.location}`, 'qty');
      held.set(k, have - input.qty);
      deps.moveStock(input.sku, input.location, 0, -input.qty);
      return true;
    },
    get_return_policy: () => policy,
    save_return_policy: ({ policy: next }) => {
      if (next.defaultWindowDays < 0 || next.defaultWindowDays > 3650)
        fail('invalid', 'The return window is 0 to 3,650 days', 'defaultWindowDays');
      next.channelWindows.forEach((w, i) => {
        if (w.days < 0 || w.days > 3650)
          fail('invalid', 'The return window is 0 to 3,650 days', `channelWindows.${i}.days`);
      });
      if (next.restockingFeeBp < 0 || next.restockingFeeBp > 10000)
        fail('invalid', 'The restocking fee is 0% to 100%', 'restockingFeeBp');
      if (next.returnLabelFee < 0) fail('invalid', 'The label fee cannot be negative', 'returnLabelFee');
      if (next.defaultLocation && !deps.locationCodes().includes(next.defaultLocation))
        fail('invalid', `'${next.defaultLocation}' is not a location`, 'defaultLocation');
      policy = structuredClone(next);
      return policy;
    },
  };

  const wrapped = Object.fromEntries(
    Object.entries(handlers).map(([name, fn]) => [
      name,
      (args: never) => structuredClone((fn as (a: never) => unknown)(args)),
    ]),
  ) as ReturnHandlers;

  /** `print_document` for the return documents; other documents go to `fallback`. */
  const printDocument = (request: PrintRequestDto, fallback: (r: PrintRequestDto) => PrintedDto): PrintedDto => {
    if (request.document !== 'return_receipt' && request.document !== 'return_label') return fallback(request);
    const r = find(request.reference);
    if (request.document === 'return_label' && !r.label)
      fail('invalid', `${r.number} has no return label yet: make the label first`, 'reference');
    return deps.printTarget(request);
  };

  return { handlers: wrapped, printDocument };
}
