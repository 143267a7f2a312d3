/**
 * Helpers for URL search params. TanStack Router parses `?q=10042` as the number 10042 and `?x=true`
 * as a boolean, so text params are read back as strings here.
 */
import { z } from 'zod';

/** An optional text param: numbers become strings, blanks and junk become undefined. */
export const textParam = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : typeof v === 'string' && v.trim() !== '' ? v : undefined),
  z.string().optional(),
);

export const dateParam = z.preprocess(
  (v) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined),
  z.string().optional(),
);

export const boolParam = z.preprocess(
  (v) => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined),
  z.boolean().optional(),
);

/** An optional value from a fixed set; anything else is dropped rather than failing the route. */
export function enumParam<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? v : undefined),
    z.enum(values).optional(),
  );
}
