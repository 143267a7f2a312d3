/**
 * Words and units for the fulfilment screens: shipment statuses and kinds in the shop's words, and the
 * parcel editor's typed kilograms and centimetres turned into whole grams and millimetres by string
 * arithmetic (the core receives integers only, never a float).
 */
import type { ShipmentKindDto } from '../../bindings/ShipmentKindDto';
import type { ShipmentStatusDto } from '../../bindings/ShipmentStatusDto';
import type { TrackingKindDto } from '../../bindings/TrackingKindDto';

export const SHIPMENT_STATUS_LABELS: Record<ShipmentStatusDto, string> = {
  picking: 'Picking',
  packed: 'Packed',
  labelled: 'Labelled',
  po_sent: 'PO sent',
  shipped: 'Shipped',
  in_transit: 'In transit',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Exception',
  ready_for_pickup: 'Ready for pick-up',
  collected: 'Collected',
  released: 'Released',
  cancelled: 'Cancelled',
};

export const SHIPMENT_STATUS_COLORS: Record<ShipmentStatusDto, string> = {
  picking: 'indigo',
  packed: 'cyan',
  labelled: 'blue',
  po_sent: 'grape',
  shipped: 'teal',
  in_transit: 'teal',
  out_for_delivery: 'teal',
  delivered: 'green',
  exception: 'red',
  ready_for_pickup: 'yellow',
  collected: 'green',
  released: 'gray',
  cancelled: 'gray',
};

export const KIND_LABELS: Record<ShipmentKindDto, string> = {
  ship: 'Ship',
  pickup: 'Pick-up',
  dropship: 'Dropship',
};

export const TRACKING_KINDS: { value: TrackingKindDto; label: string }[] = [
  { value: 'label_created', label: 'Label created' },
  { value: 'picked_up', label: 'Picked up' },
  { value: 'in_transit', label: 'In transit' },
  { value: 'out_for_delivery', label: 'Out for delivery' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'exception', label: 'Exception' },
];

export type ParseUnitResult = { ok: true; value: number } | { ok: false; error: string };

/** "1.25" with 3 decimals → 1250; refuses more decimals than `decimals` instead of rounding. */
export function parseScaled(text: string, decimals: number, unit: string): ParseUnitResult {
  const cleaned = text.trim().replace(',', '.');
  if (cleaned === '') return { ok: false, error: `Enter the ${unit}` };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || ((match[1] ?? '') === '' && (match[2] ?? '') === '')) {
    return { ok: false, error: `Use digits and one decimal point, e.g. ${decimals === 3 ? '1.25' : '30.5'}` };
  }
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) return { ok: false, error: `At most ${decimals} decimals` };
  const value = Number(`${match[1] || '0'}${fraction.padEnd(decimals, '0')}`);
  if (!Number.isSafeInteger(value)) return { ok: false, error: 'That is too large' };
  return { ok: true, value };
}

/** Kilograms typed ("1.25") → grams (1250), grams precision. */
export const kgToGrams = (text: string) => parseScaled(text, 3, 'weight in kg');
/** Centimetres typed ("30.5") → millimetres (305). */
export const cmToMm = (text: string) => parseScaled(text, 1, 'size in cm');

/** 1250 g → "1.25 kg"; exact (integer arithmetic only). */
export function formatKg(grams: number): string {
  const whole = Math.floor(grams / 1000);
  const rest = String(grams % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return `${whole}${rest ? `.${rest}` : ''} kg`;
}

/** 305 mm → "30.5". */
export function mmToCmText(mm: number): string {
  const rest = mm % 10;
  return `${Math.floor(mm / 10)}${rest ? `.${rest}` : ''}`;
}

/** "2026-11-27" → "Nov 27" style, short, in the user's locale. */
export function formatDue(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}
