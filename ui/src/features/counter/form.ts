/**
 * The counter's form: what the inputs hold, how their text is checked for shape (numbers, amounts),
 * and how it becomes a `NewOrderDto`. Field names follow the DTO paths (`lines.0.qty`,
 * `customer.email`, `shipTo.city`, `payment.method`) so the core's field errors land on them.
 * Whether the order is acceptable (stock, prices, addresses) is for the core to say.
 */
import { z } from 'zod';
import type { AddressDto } from '../../bindings/AddressDto';
import type { NewOrderDto } from '../../bindings/NewOrderDto';
import { parseMoney } from '../../lib/money';

export type Fulfilment = 'takeaway' | 'ship' | 'pickup';

export type CounterLine = {
  sku: string;
  name: string;
  /** Catalogue price in minor units, for the estimate only. */
  catalogPrice: number;
  currency: string;
  qty: string;
  unitPrice: string;
  discount: string;
};

export type CounterValues = {
  channel: string;
  channelRef: string;
  fulfilment: Fulfilment;
  /** Store code: where a take-away sale happens or where the customer picks up. */
  pickupLocation: string;
  shipTo: {
    name: string;
    company: string;
    line1: string;
    line2: string;
    city: string;
    region: string;
    postalCode: string;
    country: string;
    phone: string;
  };
  /** Not an input: only here so a core error about the customer has a place to show. */
  customerId: string;
  newCustomer: boolean;
  customer: { name: string; email: string; phone: string };
  lines: CounterLine[];
  shippingCharge: string;
  payment: { method: string; captured: boolean };
  notes: string;
};

export const PAYMENT_METHODS = [
  { value: 'cash', label: 'Cash' },
  { value: 'card', label: 'Card' },
  { value: 'invoice', label: 'Invoice' },
  { value: 'gift_card', label: 'Gift card' },
  { value: 'marketplace', label: 'Marketplace' },
  { value: '', label: 'No payment yet' },
];

export function counterDefaults(channel = 'counter', store = ''): CounterValues {
  return {
    channel,
    channelRef: '',
    fulfilment: 'takeaway',
    pickupLocation: store,
    shipTo: {
      name: '',
      company: '',
      line1: '',
      line2: '',
      city: '',
      region: '',
      postalCode: '',
      country: '',
      phone: '',
    },
    customerId: '',
    newCustomer: false,
    customer: { name: '', email: '', phone: '' },
    lines: [],
    shippingCharge: '',
    payment: { method: 'card', captured: true },
    notes: '',
  };
}

const optionalMoney = (currency: string) =>
  z.string().superRefine((text, ctx) => {
    if (text.trim() === '') return;
    const parsed = parseMoney(text, currency);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
    else if (parsed.value < 0) ctx.addIssue({ code: 'custom', message: 'Cannot be negative' });
  });

/** Shape checks only: whole quantities, well-formed amounts, at least one line. */
export function counterSchema(currency: string) {
  return z.object({
    channel: z.string().min(1, 'Choose a channel'),
    channelRef: z.string(),
    fulfilment: z.enum(['takeaway', 'ship', 'pickup']),
    pickupLocation: z.string(),
    shipTo: z.object({
      name: z.string(),
      company: z.string(),
      line1: z.string(),
      line2: z.string(),
      city: z.string(),
      region: z.string(),
      postalCode: z.string(),
      country: z.string(),
      phone: z.string(),
    }),
    customerId: z.string(),
    newCustomer: z.boolean(),
    customer: z.object({ name: z.string(), email: z.string(), phone: z.string() }),
    lines: z
      .array(
        z.object({
          sku: z.string(),
          name: z.string(),
          catalogPrice: z.number(),
          currency: z.string(),
          qty: z
            .string()
            .regex(/^\s*\d+\s*$/, 'Whole number')
            .refine((v) => Number(v) > 0, 'At least 1'),
          unitPrice: optionalMoney(currency),
          discount: optionalMoney(currency),
        }),
      )
      .min(1, 'Scan or type at least one item'),
    shippingCharge: optionalMoney(currency),
    payment: z.object({ method: z.string(), captured: z.boolean() }),
    notes: z.string(),
  }) satisfies z.ZodType<CounterValues>;
}

const blankToNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

function money(text: string, currency: string): number | null {
  if (text.trim() === '') return null;
  const parsed = parseMoney(text, currency);
  return parsed.ok ? parsed.value : null;
}

function address(values: CounterValues['shipTo']): AddressDto {
  return {
    name: values.name.trim(),
    company: blankToNull(values.company),
    line1: values.line1.trim(),
    line2: blankToNull(values.line2),
    city: values.city.trim(),
    region: values.region.trim(),
    postalCode: values.postalCode.trim(),
    country: values.country.trim().toUpperCase(),
    phone: blankToNull(values.phone),
  };
}

/** The request the core receives; taxes, totals and stock are its business. */
export function toNewOrder(values: CounterValues, customerId: string | null, currency: string): NewOrderDto {
  const shipTo = values.fulfilment === 'ship' ? address(values.shipTo) : null;
  const newCustomer =
    customerId === null && values.newCustomer && values.customer.name.trim() !== ''
      ? {
          name: values.customer.name.trim(),
          email: blankToNull(values.customer.email),
          phone: blankToNull(values.customer.phone),
          address: shipTo,
        }
      : null;
  return {
    channel: values.channel,
    channelRef: blankToNull(values.channelRef),
    customerId,
    customer: newCustomer,
    shipTo,
    // Take-away and pick-up both name a store: where the goods are sold or handed over.
    pickupLocation: values.fulfilment === 'ship' ? null : blankToNull(values.pickupLocation),
    takeAway: values.fulfilment === 'takeaway',
    lines: values.lines.map((line) => ({
      sku: line.sku,
      qty: Number(line.qty.trim()),
      unitPrice: money(line.unitPrice, currency),
      discount: money(line.discount, currency),
    })),
    shippingCharge: values.fulfilment === 'ship' ? money(values.shippingCharge, currency) : null,
    taxRateBp: null,
    payment: values.payment.method ? { method: values.payment.method, captured: values.payment.captured } : null,
    attributes: [],
    notes: blankToNull(values.notes),
  };
}

/**
 * The estimate shown before the core answers: qty × (override or catalogue price) − discount, in
 * integer minor units. Lines whose text does not parse yet count as zero.
 */
export function estimateSubtotal(lines: CounterLine[], currency: string): number {
  let sum = 0;
  for (const line of lines) {
    const qty = /^\s*\d+\s*$/.test(line.qty) ? Number(line.qty) : 0;
    const price = money(line.unitPrice, currency) ?? line.catalogPrice;
    const discount = money(line.discount, currency) ?? 0;
    sum += qty * price - discount;
  }
  return sum;
}
