/**
 * Money on screen: integer minor units in, text out, and typed text back to minor units.
 *
 * No floating-point arithmetic touches an amount: minor units are turned into an exact decimal string
 * ("-1234.5" → "-12.345" for KWD) with string operations and handed to `Intl.NumberFormat`, which
 * formats decimal strings exactly. The number of minor digits comes from `Intl` for the currency
 * (ISO 4217: JPY 0, USD 2, KWD 3).
 */
import type { MoneyDto } from '../bindings/MoneyDto';

const exponentCache = new Map<string, number>();

/** Digits after the decimal point for `currency` (JPY 0, USD 2, KWD 3). */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  let exponent = exponentCache.get(code);
  if (exponent === undefined) {
    try {
      exponent = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits;
    } catch {
      exponent = 2;
    }
    exponent ??= 2;
    exponentCache.set(code, exponent);
  }
  return exponent;
}

/** `1234` minor units at exponent 2 → `"12.34"`; exact for every safe integer. */
export function minorToDecimalString(amount: number, exponent: number): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Not a whole number of minor units: ${amount}`);
  const negative = amount < 0;
  const digits = String(Math.abs(amount));
  if (exponent === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(exponent + 1, '0');
  const whole = padded.slice(0, padded.length - exponent);
  const fraction = padded.slice(padded.length - exponent);
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

const formatterCache = new Map<string, Intl.NumberFormat>();

function currencyFormatter(currency: string, locale?: string): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let formatter = formatterCache.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      // An unknown code still shows the amount, with the code in front.
      formatter = new Intl.NumberFormat(locale, {
        minimumFractionDigits: currencyExponent(currency),
        maximumFractionDigits: currencyExponent(currency),
      });
    }
    formatterCache.set(key, formatter);
  }
  return formatter;
}

/** Formats `amount` minor units of `currency`, e.g. `formatMoney(123456, 'USD')` → `$1,234.56`. */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  const decimal = minorToDecimalString(amount, currencyExponent(currency));
  const formatter = currencyFormatter(currency, locale);
  // Intl formats a decimal string exactly (no binary rounding on the way).
  const text = formatter.format(decimal as Intl.StringNumericLiteral);
  return formatter.resolvedOptions().style === 'currency' ? text : `${currency} ${text}`;
}

export function formatMoneyDto(money: MoneyDto, locale?: string): string {
  return formatMoney(money.amount, money.currency, locale);
}

/** Minor units as a plain decimal string for an input field ("12.50"), or "" for null. */
export function minorToInput(amount: number | null | undefined, currency: string): string {
  if (amount === null || amount === undefined) return '';
  return minorToDecimalString(amount, currencyExponent(currency));
}

export type ParseMoneyResult = { ok: true; value: number } | { ok: false; error: string };

/**
 * Parses what someone typed ("12.34", "12,5", "-3", "1 234.50") into minor units with string
 * arithmetic. Refuses more decimals than the currency has, rather than rounding silently.
 */
export function parseMoney(text: string, currency: string): ParseMoneyResult {
  const exponent = currencyExponent(currency);
  const cleaned = text.trim().replace(/[\s\u00a0_']/g, '');
  if (cleaned === '') return { ok: false, error: 'Enter an amount' };
  const match = /^([-+]?)(\d*)(?:[.,](\d*))?$/.exec(cleaned);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    return { ok: false, error: 'Use digits and one decimal point, e.g. 12.34' };
  }
  const sign = match[1] === '-' ? -1 : 1;
  const whole = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = match[3] ?? '';
  if (fraction.length > exponent) {
    return {
      ok: false,
      error: exponent === 0 ? `${currency} has no decimals` : `At most ${exponent} decimals for ${currency}`,
    };
  }
  const digits = `${whole}${fraction.padEnd(exponent, '0')}`;
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return { ok: false, error: 'That amount is too large' };
  return { ok: true, value: sign * value || 0 };
}

/** Parses an optional amount: blank → null. */
export function parseOptionalMoney(text: string, currency: string): ParseMoneyResult | { ok: true; value: null } {
  if (text.trim() === '') return { ok: true, value: null };
  return parseMoney(text, currency);
}

/** "8.25" (%) → 825 basis points, by string arithmetic; null when it is not a percentage. */
export function percentToBasisPoints(text: string): number | null {
  const match = /^\s*(\d{1,3})(?:[.,](\d{0,2}))?\s*%?\s*$/.exec(text);
  if (!match) return null;
  const value = Number(`${match[1]}${(match[2] ?? '').padEnd(2, '0')}`);
  return value <= 10000 ? value : null;
}

/** 825 basis points → "8.25". */
export function basisPointsToPercent(bp: number): string {
  const text = minorToDecimalString(bp, 2);
  return text.replace(/\.00$/, '').replace(/(\.\d)0$/, '$1');
}
