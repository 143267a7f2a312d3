/**
 * The mock core's fulfilment side, for the browser preview and tests only: work queues per location,
 * pick lists, packing scans, parcels, labels, carrier hand-over, tracking events and CSV imports,
 * dropship purchase orders, pick-up hand-over, settings, the workstation and printing — kept in memory
 * with the same DTO shapes and coded errors as the core. The rules here are simplified stand-ins.
 */
import type { CustomerDto } from '../bindings/CustomerDto';
import type { FulfilmentSettingsDto } from '../bindings/FulfilmentSettingsDto';
import type { LocationDto } from '../bindings/LocationDto';
import type { OrderDetailDto } from '../bindings/OrderDetailDto';
import type { PickListDto } from '../bindings/PickListDto';
import type { PickRowDto } from '../bindings/PickRowDto';
import type { ProductDto } from '../bindings/ProductDto';
import type { QueueOrderDto } from '../bindings/QueueOrderDto';
import type { QueueShipmentDto } from '../bindings/QueueShipmentDto';
import type { ShipmentDto } from '../bindings/ShipmentDto';
import type { ShipmentKindDto } from '../bindings/ShipmentKindDto';
import type { TrackingCheckDto } from '../bindings/TrackingCheckDto';
import type { TrackingKindDto } from '../bindings/TrackingKindDto';
import type { WorkstationDto } from '../bindings/WorkstationDto';
import type { CommandArgs, CommandName, CommandResult } from '../lib/ipc';

type Handler = { [K in CommandName]: (args: CommandArgs<K>) => CommandResult<K> };

export const FULFILMENT_COMMANDS = [
  'work_queues',
  'create_pick_list',
  'get_pick_list',
  'recent_pick_lists',
  'get_shipment',
  'order_shipments',
  'set_bin',
  'pack_scan',
  'pack_reset',
  'finish_packing',
  'label_shipment',
  'hand_to_carrier',
  'add_tracking_event',
  'import_tracking',
  'check_tracking',
  'send_purchase_order',
  'dropship_shipped',
  'pickup_handover',
  'hand_over',
  'release_uncollected',
  'get_fulfilment_settings',
  'save_fulfilment_settings',
  'get_workstation',
  'save_workstation',
  'print_document',
  'void_label',
  'shipment_quotes',
] as const;

export type FulfilmentHandlers = Pick<Handler, (typeof FULFILMENT_COMMANDS)[number]>;

const fail = (code: string, message: string, field: string | null = null): never => {
  throw { code, message, field };
};

const TRACKING_LABELS: Record<TrackingKindDto, string> = {
  label_created: 'Label created',
  picked_up: 'Picked up',
  in_transit: 'In transit',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Exception',
};

export const normalizeTracking = (n: string) => n.replace(/[\s\-\u2010-\u2015]/g, '').toUpperCase();

function upsCheck(data: string): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 1) {
    const c = data.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : (c - 3) % 10;
    sum += i % 2 === 0 ? v : v * 2;
  }
  return (10 - (sum % 10)) % 10;
}

function gs1Check(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const d = Number(digits[digits.length - 1 - i]);
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A simplified tracking check: the core's shapes; UPS and GS1 (USPS, local) check digits. */
export function checkTracking(number: string): TrackingCheckDto {
  const n = normalizeTracking(number);
  const verdict = (scheme: string, carrierName: string, rule: string, expected: number | null, found: number) => ({
    normalized: n,
    scheme,
    carrierName,
    valid: expected === null || expected === found,
    message:
      expected === null || expected === found
        ? `${rule}: check digit ${found} is right`
        : `${rule}: check digit should be ${expected}, not ${found} — re-scan or re-type it`,
  });
  if (/^1Z[0-9A-Z]{16}$/.test(n))
    return verdict('ups', 'UPS', 'UPS 1Z number', upsCheck(n.slice(2, 17)), Number(n[17]));
  if (/^\d{20,22}$/.test(n)) return verdict('usps', 'USPS', 'USPS number', gs1Check(n.slice(0, -1)), Number(n.at(-1)));
  if (/^\d{12}$/.test(n)) return verdict('fedex', 'FedEx', 'FedEx number', null, Number(n.at(-1)));
  if (/^[A-Z]{2}\d{9}[A-Z]{2}$/.test(n)) return verdict('upu', 'Post', 'UPU S10 number', null, Number(n[10]));
  if (/^LD\d{6,}$/.test(n))
    return verdict('local', 'Local delivery', 'Local delivery number', gs1Check(n.slice(2, -1)), Number(n.at(-1)));
  return {
    normalized: n,
    scheme: null,
    carrierName: null,
    valid: false,
    message: `'${n || number.trim()}' is not a tracking number Orderly recognises: expected a UPS 1Z number, USPS 20–22 digits, FedEx 12 digits, a UPU S10 number like RB123456785US or a local delivery number like LD00000000017 — re-scan or re-type it`,
  };
}

type ReadyOrder = Omit<QueueOrderDto, 'units' | 'lines'> & {
  location: string;
  lines: { sku: string; qty: number }[];
};

type PickListRec = { number: string; location: string; createdAt: string; createdBy: string; shipments: string[] };

export function createFulfilmentMock(deps: {
  now: number;
  products: ProductDto[];
  locations: LocationDto[];
  customers: CustomerDto[];
  orderNumbers: string[];
  findOrder: (number: string) => OrderDetailDto;
}): FulfilmentHandlers {
  const { now, products, locations, customers } = deps;
  const day = 86_400_000;
  const iso = (t: number) => new Date(t).toISOString();
  const ymd = (t: number) => iso(t).slice(0, 10);
  const today = ymd(now);

  let settings: FulfilmentSettingsDto = { shipWithinDays: 2, pickupHoldDays: 7 };
  let workstation: WorkstationDto = {
    homeLocation: null,
    labelPrinter: null,
    labelFormat: 'pdf',
    documentPrinter: null,
    defaultFolder: '/home/shop/Documents/Orderly printouts',
  };

  const bins = new Map<string, string>();
  products.forEach((p, i) => {
    for (const l of locations)
      bins.set(
        `${p.sku}@${l.code}`,
        `${String.fromCharCode(65 + (i % 6))}-${String(1 + (i % 12)).padStart(2, '0')}-${1 + (i % 4)}`,
      );
  });
  const product = (sku: string) =>
    products.find((p) => p.sku === sku) ?? fail('not_found', `There is no product ${sku}`);
  const location = (code: string, field = 'location') =>
    locations.find((l) => l.code.toLowerCase() === code.trim().toLowerCase()) ??
    fail('invalid', `There is no location '${code}': choose one from the list`, field);

  // Orders waiting to be picked: the newest generated orders, spread over the locations.
  const ready: ReadyOrder[] = [];
  const numbers = deps.orderNumbers;
  const plan: [string, number, ShipmentKindDto][] = [
    ['WH-EAST', 7, 'ship'],
    ['WH-WEST', 3, 'ship'],
    ['ST-BKLYN', 3, 'pickup'],
    ['DS-ACME', 2, 'dropship'],
  ];
  let n = 0;
  for (const [loc, count, kind] of plan) {
    for (let i = 0; i < count; i += 1, n += 1) {
      const number = numbers[n % numbers.length]!;
      const created = now - (count - i) * day * 0.7 - n * 3_600_000;
      const lines = [0, 1, 2].slice(0, 1 + (n % 3)).map((k) => ({
        sku: products[(n * 5 + k * 7) % products.length]!.sku,
        qty: 1 + ((n + k) % 3),
      }));
      const due = ymd(created + settings.shipWithinDays * day);
      ready.push({
        location: loc,
        orderNumber: number,
        customerName: kind === 'pickup' && i === 0 ? null : (customers[n % customers.length]?.name ?? null),
        createdAt: iso(created),
        promisedBy: null,
        due,
        late: due < today,
        kind,
        lines,
      });
    }
  }

  const shipments = new Map<string, ShipmentDto>();
  const pickLists: PickListRec[] = [];
  let shipmentSeq = 5000;
  let pickSeq = 200;
  let localSeq = 17;

  function newShipment(o: ReadyOrder, loc: LocationDto): ShipmentDto {
    shipmentSeq += 1;
    const customer = customers.find((c) => c.name === o.customerName) ?? null;
    const lines = o.lines.map((l, i) => {
      const p = product(l.sku);
      return {
        lineNo: i + 1,
        sku: p.sku,
        name: p.name,
        barcode: p.barcode,
        bin: bins.get(`${p.sku}@${loc.code}`) ?? null,
        qty: l.qty,
        packed: 0,
      };
    });
    return {
      number: `SH-${shipmentSeq}`,
      orderNumber: o.orderNumber,
      customerName: o.customerName,
      customerEmail: customer?.email ?? null,
      location: loc.code,
      locationName: loc.name,
      kind: o.kind,
      status: 'picking',
      pickList: null,
      carrier: null,
      service: null,
      trackingNumber: null,
      trackingUrl: null,
      shippingCost: null,
      shipTo: o.kind === 'pickup' ? null : (customer?.addresses[0] ?? null),
      promisedBy: o.promisedBy,
      createdAt: iso(now),
      packedAt: null,
      shippedAt: null,
      deliveredAt: null,
      readyAt: null,
      units: lines.reduce((s, l) => s + l.qty, 0),
      packedUnits: 0,
      weightGrams: 0,
      lines,
      packages: [],
      tracking: [],
    };
  }

  const dueOf = (s: ShipmentDto) =>
    ready.find((o) => o.orderNumber === s.orderNumber)?.due ?? ymd(Date.parse(s.createdAt) + 2 * day);
  const queued = (s: ShipmentDto): QueueShipmentDto => {
    const due = dueOf(s);
    return {
      number: s.number,
      orderNumber: s.orderNumber,
      customerName: s.customerName,
      kind: s.kind,
      status: s.status,
      units: s.units,
      packedUnits: s.packedUnits,
      packages: s.packages.length,
      carrier: s.carrier,
      service: s.service,
      trackingNumber: s.trackingNumber,
      pickList: s.pickList,
      createdAt: s.createdAt,
      readyAt: s.readyAt,
      due,
      late: ['picking', 'packed', 'labelled', 'po_sent'].includes(s.status) && due < today,
    };
  };
  const recount = (s: ShipmentDto) => {
    s.packedUnits = s.lines.reduce((a, l) => a + l.packed, 0);
    s.trackingNumber = s.packages.find((p) => p.trackingNumber)?.trackingNumber ?? s.trackingNumber;
    return s;
  };
  const take = (o: ReadyOrder) => ready.splice(ready.indexOf(o), 1);

  function makePickList(loc: LocationDto, orders: ReadyOrder[], by: string, at: number): PickListRec {
    pickSeq += 1;
    const rec: PickListRec = {
      number: `PL-${pickSeq}`,
      location: loc.code,
      createdAt: iso(at),
      createdBy: by,
      shipments: [],
    };
    for (const o of orders) {
      const s = newShipment(o, loc);
      s.pickList = rec.number;
      s.createdAt = iso(at);
      shipments.set(s.number, s);
      rec.shipments.push(s.number);
      take(o);
    }
    pickLists.unshift(rec);
    return rec;
  }

  function pickListDto(rec: PickListRec): PickListDto {
    const loc = location(rec.location);
    const rows = new Map<string, PickRowDto>();
    const list = rec.shipments.map((s) => shipments.get(s)!);
    for (const s of list) {
      for (const l of s.lines) {
        const key = `${l.bin ?? ''}|${l.sku}`;
        const row = rows.get(key) ?? {
          bin: l.bin,
          sku: l.sku,
          name: l.name,
          barcode: l.barcode,
          qty: 0,
          shipments: [],
        };
        row.qty += l.qty;
        row.shipments.push({ shipment: s.number, qty: l.qty });
        rows.set(key, row);
      }
    }
    return {
      number: rec.number,
      location: loc.code,
      locationName: loc.name,
      createdAt: rec.createdAt,
      createdBy: rec.createdBy,
      rows: [...rows.values()].sort(
        (a, b) =>
          (a.bin === null ? 1 : 0) - (b.bin === null ? 1 : 0) ||
          (a.bin ?? '').localeCompare(b.bin ?? '') ||
          a.sku.localeCompare(b.sku),
      ),
      shipments: list.map(queued),
    };
  }

  const shipment = (reference: string): ShipmentDto => {
    const r = reference.trim();
    if (!r) return fail('invalid', 'Scan or type a shipment number or a tracking number', 'reference');
    const byNumber = shipments.get(r.toUpperCase());
    if (byNumber) return byNumber;
    const t = normalizeTracking(r);
    for (const s of shipments.values()) {
      if (s.trackingNumber === t || s.packages.some((p) => p.trackingNumber === t)) return s;
    }
    return fail('not_found', `Shipment ${r} was not found`);
  };

  const addEvent = (
    s: ShipmentDto,
    kind: TrackingKindDto,
    at: string,
    place: string | null,
    note: string | null,
    source: string,
    actor: string,
  ) => {
    if (s.tracking.some((e) => e.kind === kind && e.at === at)) return false;
    s.tracking.push({ kind, label: TRACKING_LABELS[kind], at, place, note, source, actor });
    s.tracking.sort((a, b) => a.at.localeCompare(b.at));
    if (kind === 'delivered') {
      s.status = 'delivered';
      s.deliveredAt = at;
    } else if (kind === 'exception') s.status = 'exception';
    else if (kind === 'out_for_delivery') s.status = 'out_for_delivery';
    else if (kind === 'in_transit' || kind === 'picked_up') {
      s.status = 'in_transit';
      s.shippedAt ??= at;
    }
    return true;
  };

  const ship = (s: ShipmentDto, at: string) => {
    s.status = 'shipped';
    s.shippedAt = at;
    addEvent(s, 'picked_up', at, s.locationName, null, 'shop', 'mock');
    s.status = 'shipped';
  };

  const label = (s: ShipmentDto, carrier: string, service: string, numbers: string[], at: string) => {
    s.carrier = carrier;
    s.service = service;
    s.packages.forEach((p, i) => (p.trackingNumber = numbers[i] ?? numbers[0] ?? null));
    s.trackingNumber = numbers[0] ?? null;
    s.trackingUrl = carrier.toUpperCase() === 'UPS' ? `https://www.ups.com/track?tracknum=${numbers[0]}` : null;
    s.status = 'labelled';
    s.tracking.push({
      kind: 'label_created',
      label: 'Label created',
      at,
      place: s.locationName,
      note: null,
      source: 'shop',
      actor: 'mock',
    });
  };

  const pack = (s: ShipmentDto, at: string) => {
    s.lines.forEach((l) => (l.packed = l.qty));
    recount(s);
    const grams = s.lines.reduce((g, l) => g + product(l.sku).weightGrams * l.qty, 180);
    s.packages = [{ seq: 1, weightGrams: grams, lengthMm: 300, widthMm: 200, heightMm: 150, trackingNumber: null }];
    s.weightGrams = grams;
    s.status = s.kind === 'pickup' ? 'ready_for_pickup' : 'packed';
    s.packedAt = at;
    if (s.kind === 'pickup') s.readyAt = at;
  };

  // Seed: some work in every state, so each queue has something to show.
  {
    const east = location('WH-EAST');
    const eastOrders = ready.filter((o) => o.location === 'WH-EAST');
    const earlier = now - 5 * 3_600_000;
    makePickList(east, eastOrders.slice(0, 2), 'sam', earlier);
    const packed = makePickList(east, eastOrders.slice(2, 3), 'sam', earlier - day);
    pack(shipments.get(packed.shipments[0]!)!, iso(earlier));
    const sent = makePickList(east, eastOrders.slice(3, 5), 'sam', earlier - 2 * day);
    const [a, b] = sent.shipments.map((x) => shipments.get(x)!);
    pack(a!, iso(earlier - day));
    label(a!, 'UPS', 'Ground', ['1Z999AA10123456784'], iso(earlier - day / 2));
    pack(b!, iso(earlier - day));
    label(b!, 'Local delivery', 'Same day', ['LD00000000017'], iso(earlier - day / 2));
    // One on its way, with a few events.
    const west = location('WH-WEST');
    const gone = makePickList(west, ready.filter((o) => o.location === 'WH-WEST').slice(0, 1), 'kim', now - 3 * day);
    const g = shipments.get(gone.shipments[0]!)!;
    pack(g, iso(now - 3 * day));
    label(g, 'USPS', 'Priority Mail', ['9400111899223197428490'], iso(now - 3 * day + 3_600_000));
    ship(g, iso(now - 2.8 * day));
    addEvent(g, 'in_transit', iso(now - 2 * day), 'Reno, NV', null, 'carrier', 'import');
    addEvent(g, 'in_transit', iso(now - day), 'Denver, CO', null, 'carrier', 'import');
    // A pick-up waiting at the store.
    const store = location('ST-BKLYN');
    const held = makePickList(store, ready.filter((o) => o.location === 'ST-BKLYN').slice(0, 1), 'lee', now - day);
    pack(shipments.get(held.shipments[0]!)!, iso(now - day / 2));
  }

  const handlers: FulfilmentHandlers = {
    work_queues: ({ location: code }) => {
      const loc = location(code);
      const mine = [...shipments.values()].filter((s) => s.location === loc.code).map(queued);
      const readyToPick: QueueOrderDto[] = ready
        .filter((o) => o.location === loc.code)
        .map(({ location: _l, lines, ...o }) => ({
          ...o,
          units: lines.reduce((s, l) => s + l.qty, 0),
          lines: lines.length,
        }));
      const picking = mine.filter((s) => s.status === 'picking');
      const packed = mine.filter((s) => s.status === 'packed');
      const waitingForCarrier = mine.filter((s) => s.status === 'labelled' || s.status === 'po_sent');
      const readyForPickup = mine.filter((s) => s.status === 'ready_for_pickup');
      return {
        location: loc.code,
        locationName: loc.name,
        locationKind: loc.kind,
        readyToPick,
        picking,
        packed,
        waitingForCarrier,
        readyForPickup,
        late:
          readyToPick.filter((o) => o.late).length +
          [...picking, ...packed, ...waitingForCarrier].filter((s) => s.late).length,
      };
    },
    create_pick_list: ({ input }) => {
      const loc = location(input.location);
      if (loc.kind === 'dropship')
        fail('invalid', `${loc.code} is a dropship supplier: send it purchase orders instead`, 'location');
      const waiting = ready
        .filter((o) => o.location === loc.code)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      let chosen: ReadyOrder[];
      if (input.orders.length) {
        chosen = input.orders.map(
          (n) =>
            waiting.find((o) => o.orderNumber === n) ??
            fail('invalid', `${n} has nothing ready to pick at ${loc.code}`, 'orders'),
        );
      } else {
        if (input.maxOrders < 1) fail('invalid', 'Pick at least one order', 'maxOrders');
        chosen = waiting.slice(0, input.maxOrders);
        if (!chosen.length) fail('invalid', `Nothing is ready to pick at ${loc.code}`, 'orders');
      }
      return pickListDto(makePickList(loc, chosen, 'owner', Date.now()));
    },
    get_pick_list: ({ number }) =>
      pickListDto(
        pickLists.find((p) => p.number === number.trim().toUpperCase()) ??
          fail('not_found', `Pick list ${number} was not found`),
      ),
    recent_pick_lists: ({ location: code }) => {
      const loc = location(code);
      return pickLists
        .filter((p) => p.location === loc.code)
        .slice(0, 10)
        .map((p) => p.number);
    },
    get_shipment: ({ reference }) => shipment(reference),
    order_shipments: ({ number }) => {
      deps.findOrder(number);
      return [...shipments.values()].filter((s) => s.orderNumber === number);
    },
    set_bin: ({ sku, location: code, bin }) => {
      const p = products.find((x) => x.sku === sku) ?? fail('invalid', `There is no product '${sku}'`, 'sku');
      const loc = location(code);
      if (bin?.trim()) bins.set(`${p.sku}@${loc.code}`, bin.trim());
      else bins.delete(`${p.sku}@${loc.code}`);
      return true;
    },
    pack_scan: ({ shipment: number, code }) => {
      const s = shipment(number);
      if (s.status !== 'picking')
        fail(
          'invalid_transition',
          `${s.number} is ${s.status.replace(/_/g, ' ')}: only shipments being picked are scanned`,
        );
      const c = code.trim();
      const p =
        products.find((x) => x.barcode === c || x.sku.toLowerCase() === c.toLowerCase()) ??
        fail('invalid', `'${c}' is not a product barcode or SKU — scan the item's barcode again`, 'code');
      const label = `${p.sku} (${p.name})`;
      const lines = s.lines.filter((l) => l.sku === p.sku);
      if (!lines.length) fail('invalid', `Wrong item: ${label} is not in ${s.number} — put it back`, 'code');
      const open = lines.find((l) => l.packed < l.qty);
      if (!open) {
        const need = lines.reduce((a, l) => a + l.qty, 0);
        fail(
          'invalid',
          `Surplus: all ${need} × ${label} for ${s.number} are already packed — put this one back`,
          'code',
        );
      }
      open!.packed += 1;
      return recount(s);
    },
    pack_reset: ({ shipment: number }) => {
      const s = shipment(number);
      if (s.status !== 'picking')
        fail('invalid_transition', `${s.number} is ${s.status}: it is no longer being packed`);
      s.lines.forEach((l) => (l.packed = 0));
      return recount(s);
    },
    finish_packing: ({ input }) => {
      const s = shipment(input.shipment);
      if (s.status !== 'picking') fail('invalid_transition', `${s.number} is ${s.status}: it was packed already`);
      if (s.packedUnits === 0)
        fail(
          'invalid',
          `Nothing of ${s.number} is scanned yet: scan each item, or re-route the order from its page if nothing can be found`,
          'code',
        );
      const short = s.lines.filter((l) => l.packed < l.qty);
      if (short.length && !input.confirmShort)
        fail(
          'invalid',
          `Not scanned: ${short.map((l) => `${l.qty - l.packed} × ${l.sku}`).join(', ')}. Scan them, or confirm a short pick to send the missing units elsewhere`,
          'confirmShort',
        );
      if (s.kind !== 'pickup') {
        if (!input.packages.length) fail('invalid', 'Add at least one package with its weight', 'packages');
        input.packages.forEach((p, i) => {
          if (p.weightGrams <= 0 || p.weightGrams > 70_000)
            fail('invalid', `Package ${i + 1}: the weight must be between 1 g and 70 kg`, `packages[${i}].weightGrams`);
          for (const f of ['lengthMm', 'widthMm', 'heightMm'] as const)
            if (p[f] <= 0 || p[f] > 3_000)
              fail('invalid', `Package ${i + 1}: each side must be between 1 mm and 3 m`, `packages[${i}].${f}`);
        });
      }
      for (const l of short) {
        l.qty = l.packed;
      }
      s.lines = s.lines.filter((l) => l.qty > 0);
      s.units = s.lines.reduce((a, l) => a + l.qty, 0);
      recount(s);
      const at = new Date().toISOString();
      s.packedAt = at;
      s.packages = input.packages.map((p, i) => ({ seq: i + 1, ...p, trackingNumber: null }));
      s.weightGrams = input.packages.reduce((g, p) => g + p.weightGrams, 0);
      if (s.kind === 'pickup') {
        s.status = 'ready_for_pickup';
        s.readyAt = at;
      } else s.status = 'packed';
      return s;
    },
    label_shipment: ({ input }) => {
      const s = shipment(input.shipment);
      if (s.status !== 'packed')
        fail('invalid_transition', `${s.number} is ${s.status}: only packed shipments get a label`);
      if (!input.carrier.trim()) fail('invalid', 'Choose the carrier', 'carrier');
      if (!input.service.trim()) fail('invalid', "Choose the carrier's service", 'service');
      if (input.cost !== null && input.cost < 0) fail('invalid', 'The shipping cost must be 0 or more', 'cost');
      let numbers: string[];
      if (input.generateLocal) {
        if (input.trackingNumbers.length)
          fail(
            'invalid',
            "Either type the carrier's tracking numbers or generate local ones, not both",
            'trackingNumbers',
          );
        numbers = s.packages.map(() => {
          localSeq += 1;
          const body = String(localSeq).padStart(10, '0');
          return `LD${body}${gs1Check(body)}`;
        });
      } else {
        if (!input.trackingNumbers.length)
          fail(
            'invalid',
            "Scan or type the tracking number from the carrier's label (or generate a local one for your own delivery)",
            'trackingNumbers',
          );
        if (input.trackingNumbers.length !== 1 && input.trackingNumbers.length !== s.packages.length)
          fail(
            'invalid',
            `${s.number} has ${s.packages.length} package(s): give one tracking number for all, or one per package`,
            'trackingNumbers',
          );
        numbers = input.trackingNumbers.map((t, i) => {
          const c = checkTracking(t);
          if (!c.valid) fail('invalid', c.message, `trackingNumbers[${i}]`);
          return c.normalized;
        });
      }
      label(s, input.carrier.trim(), input.service.trim(), numbers, new Date().toISOString());
      s.shippingCost = input.cost;
      return s;
    },
    hand_to_carrier: ({ shipments: list }) => {
      if (!list.length) fail('invalid', 'Choose the shipments the carrier takes', 'shipments');
      const all = list.map(shipment);
      for (const s of all)
        if (s.status !== 'labelled')
          fail('invalid_transition', `${s.number} is ${s.status}: only labelled shipments go with the carrier`);
      const at = new Date().toISOString();
      all.forEach((s) => ship(s, at));
      return all;
    },
    add_tracking_event: ({ input }) => {
      const kind = (Object.keys(TRACKING_LABELS) as TrackingKindDto[]).find(
        (k) => k === input.kind.trim().toLowerCase(),
      );
      if (!kind) return fail('invalid', `'${input.kind}' is not a tracking event`, 'kind');
      const s = shipment(input.reference);
      if (s.kind === 'pickup')
        fail('invalid', `${s.number} is a pick-up: hand it over at the counter instead`, 'reference');
      if (['picking', 'packed', 'cancelled'].includes(s.status))
        fail('invalid_transition', `${s.number} is ${s.status}: it has not left yet`);
      const at = input.at ?? new Date().toISOString();
      if (Date.parse(at) > Date.now() + 3_600_000) fail('invalid', 'A tracking event cannot be in the future', 'at');
      addEvent(s, kind, at, input.place, input.note, 'manual', 'owner');
      return s;
    },
    import_tracking: ({ text }) => {
      const rows = text.split(/\r?\n/).filter((l) => l.trim());
      const header = (rows.shift() ?? '').split(',').map((h) => h.trim().toLowerCase().replace(/[_-]/g, ' '));
      const col = (names: string[]) => header.findIndex((h) => names.includes(h));
      const cT = col(['tracking', 'tracking number', 'tracking no', 'awb', 'shipment', 'reference']);
      if (cT < 0) fail('invalid', "No tracking number column: name one 'tracking_number'", 'file');
      const cK = col(['status', 'event', 'activity', 'kind']);
      if (cK < 0) fail('invalid', "No event column: name one 'status' or 'event'", 'file');
      const cA = col(['time', 'date', 'timestamp', 'datetime', 'date time', 'at']);
      const cP = col(['location', 'place', 'city']);
      const report = { applied: 0, duplicates: 0, errors: [] as string[] };
      rows.forEach((row, i) => {
        const line = i + 2;
        const f = row.split(',').map((x) => x.trim());
        const kindText = (f[cK] ?? '').toLowerCase().replace(/[\s-]+/g, '_');
        const kind = (Object.keys(TRACKING_LABELS) as TrackingKindDto[]).find((k) => k === kindText);
        if (!kind) return void report.errors.push(`line ${line}: '${f[cK] ?? ''}' is not a tracking event`);
        let s: ShipmentDto;
        try {
          s = shipment(f[cT] ?? '');
        } catch {
          return void report.errors.push(`line ${line}: no shipment has tracking number ${f[cT] ?? ''}`);
        }
        const at = cA >= 0 && f[cA] ? new Date(f[cA]!.replace(' ', 'T')).toISOString() : new Date().toISOString();
        if (addEvent(s, kind, at, cP >= 0 ? (f[cP] ?? null) : null, null, 'import', 'owner')) report.applied += 1;
        else report.duplicates += 1;
      });
      return report;
    },
    check_tracking: ({ number }) => checkTracking(number),
    send_purchase_order: ({ location: code, order }) => {
      const loc = location(code);
      if (loc.kind !== 'dropship') fail('invalid', `${loc.code} is not a dropship supplier`, 'location');
      const o =
        ready.find((r) => r.location === loc.code && r.orderNumber === order) ??
        fail('invalid', `${order} has nothing for ${loc.code}`, 'order');
      const s = newShipment(o, loc);
      s.status = 'po_sent';
      take(o);
      shipments.set(s.number, s);
      return s;
    },
    dropship_shipped: ({ shipment: number, carrier, tracking }) => {
      const s = shipment(number);
      if (s.status !== 'po_sent') fail('invalid_transition', `${s.number} is ${s.status}: no purchase order is open`);
      if (!carrier.trim()) fail('invalid', "Name the supplier's carrier", 'carrier');
      const c = checkTracking(tracking);
      if (!c.valid) fail('invalid', c.message, 'tracking');
      s.carrier = carrier.trim();
      s.trackingNumber = c.normalized;
      ship(s, new Date().toISOString());
      return s;
    },
    pickup_handover: ({ code }) => {
      const c = code.trim();
      const held = [...shipments.values()].filter(
        (s) => s.kind === 'pickup' && (s.orderNumber === c.toUpperCase() || s.number === c.toUpperCase()),
      );
      if (!held.length)
        fail(
          'invalid',
          `'${c}' is not an order waiting for pick-up: scan the barcode on the customer's notice`,
          'code',
        );
      const ready_ = held.filter((s) => s.status === 'ready_for_pickup');
      return {
        orderNumber: held[0]!.orderNumber,
        customerName: held[0]!.customerName,
        store: held[0]!.location,
        ready: ready_,
        unitsNotReady: held.filter((s) => s.status === 'picking').reduce((a, s) => a + s.units, 0),
      };
    },
    hand_over: ({ code, name }) => {
      const c = code.trim().toUpperCase();
      const held = [...shipments.values()].filter(
        (s) => s.kind === 'pickup' && s.status === 'ready_for_pickup' && (s.orderNumber === c || s.number === c),
      );
      if (!held.length) fail('invalid', `'${code}' has nothing ready for pick-up`, 'code');
      const expected = held[0]!.customerName;
      if (expected && !expected.toLowerCase().includes(name.trim().toLowerCase() || '\u0000'))
        fail('invalid', `The order is for ${expected}: check the name on their ID`, 'name');
      held.forEach((s) => (s.status = 'collected'));
      return deps.findOrder(held[0]!.orderNumber);
    },
    release_uncollected: () => {
      const limit = now - settings.pickupHoldDays * day;
      const released: string[] = [];
      for (const s of shipments.values())
        if (s.status === 'ready_for_pickup' && s.readyAt && Date.parse(s.readyAt) < limit) {
          s.status = 'released';
          released.push(s.number);
        }
      return released;
    },
    get_fulfilment_settings: () => settings,
    save_fulfilment_settings: ({ settings: next }) => {
      if (next.shipWithinDays < 0 || next.shipWithinDays > 60) fail('invalid', 'Use 0 to 60 days', 'shipWithinDays');
      if (next.pickupHoldDays < 1 || next.pickupHoldDays > 90) fail('invalid', 'Use 1 to 90 days', 'pickupHoldDays');
      settings = { ...next };
      return settings;
    },
    get_workstation: () => workstation,
    save_workstation: ({ input }) => {
      const home = input.homeLocation?.trim() ? location(input.homeLocation, 'homeLocation').code : null;
      for (const [field, value] of [
        ['labelPrinter', input.labelPrinter],
        ['documentPrinter', input.documentPrinter],
      ] as const)
        if (value?.trim() && !/^(raw|cups|file):\/\//.test(value.trim()))
          fail('invalid', `'${value}' is not a printer: use raw://HOST:PORT, cups://QUEUE or file:///FOLDER`, field);
      workstation = {
        ...workstation,
        homeLocation: home,
        labelPrinter: input.labelPrinter?.trim() || null,
        labelFormat: input.labelFormat,
        documentPrinter: input.documentPrinter?.trim() || null,
      };
      return workstation;
    },
    void_label: ({ shipment: number, reason }) => {
      const s = shipment(number);
      if (s.status !== 'labelled')
        fail('invalid_transition', `${s.number} is ${s.status}: only a label the carrier has not taken can be voided`);
      if (!reason.trim()) fail('invalid', 'Say why the label is voided', 'reason');
      s.status = 'packed';
      s.carrier = null;
      s.service = null;
      s.trackingNumber = null;
      s.trackingUrl = null;
      s.shippingCost = null;
      s.packages = s.packages.map((p) => ({ ...p, trackingNumber: null }));
      return { ...s };
    },
    shipment_quotes: ({ shipment: number }) => {
      const s = shipment(number);
      if (!s.packages.length) fail('invalid_transition', `${s.number} has no parcels yet: finish packing to weigh it`);
      const money = (amount: number) => ({ amount, currency: 'USD' });
      const q = (carrier: string, service: string, total: number, days: number) => ({
        carrier: carrier.toUpperCase(),
        carrierName: carrier,
        service: service.toUpperCase(),
        serviceName: service,
        zone: 2,
        base: money(total),
        fuel: money(0),
        surcharges: money(0),
        total: money(total),
        transitDays: days,
        deliveryDate: new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10),
        meetsPromise: days <= 4,
        why: `zone 2, ${s.weightGrams} g: ${total}`,
      });
      const quotes = [q('USPS', 'Ground Advantage', 745, 5), q('UPS', 'Ground', 1089, 4), q('UPS', '2nd Day Air', 2150, 2)];
      return { chosen: quotes[1] ?? null, quotes, unavailable: [], summary: 'UPS Ground is the cheapest that meets the promise.' };
    },
    print_document: ({ request }) => {
      const ref = request.reference.trim();
      let files = 1;
      if (request.document === 'pick_list') {
        if (!pickLists.some((p) => p.number === ref)) fail('not_found', `Pick list ${ref} was not found`);
      } else {
        const s = shipment(ref);
        if (request.document === 'labels') {
          if (!s.packages.some((p) => p.trackingNumber))
            fail('invalid', `${s.number} has no label yet: save the label first`, 'reference');
          files = s.packages.length;
        }
      }
      const target = request.document === 'labels' ? workstation.labelPrinter : workstation.documentPrinter;
      const ext = request.document === 'labels' ? workstation.labelFormat : 'pdf';
      const destinations = Array.from(
        { length: files },
        (_, i) =>
          target ?? `${workstation.defaultFolder}/${request.document}-${ref}${files > 1 ? `-${i + 1}` : ''}.${ext}`,
      );
      return { destinations, files };
    },
  };
  // The shell answers with fresh JSON each time: hand out copies, never the mock's own objects.
  return Object.fromEntries(
    Object.entries(handlers).map(([name, fn]) => [
      name,
      (args: never) => structuredClone((fn as (a: never) => unknown)(args)),
    ]),
  ) as FulfilmentHandlers;
}
