/** Dates and times on screen, from the core's RFC 3339 UTC strings, formatted with `Intl`. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function parse(value: string): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2026-11-27T09:30:00Z" → "Nov 27, 2026, 9:30 AM" in the user's locale and time zone. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = parse(value);
  return date ? dateTime.format(date) : value;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const date = parse(value);
  return date ? dateOnly.format(date) : value;
}

export function formatCount(value: number): string {
  return new Intl.NumberFormat().format(value);
}
