import { describe, expect, it } from 'vitest';
import {
  basisPointsToPercent,
  currencyExponent,
  formatMoney,
  minorToDecimalString,
  parseMoney,
  percentToBasisPoints,
} from './money';

// Intl may put a no-break space between code and amount; compare with plain spaces.
const fmt = (amount: number, currency: string) => formatMoney(amount, currency, 'en-US').replace(/\u00a0/g, ' ');

describe('currency exponents come from Intl', () => {
  it('knows USD 2, JPY 0, KWD 3', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });
});

describe('formatMoney formats integer minor units exactly', () => {
  it('USD: cents', () => {
    expect(fmt(123456, 'USD')).toBe('$1,234.56');
    expect(fmt(5, 'USD')).toBe('$0.05');
    expect(fmt(-1999, 'USD')).toBe('-$19.99');
    expect(fmt(0, 'USD')).toBe('$0.00');
  });

  it('JPY: no minor unit', () => {
    expect(fmt(1234, 'JPY')).toBe('¥1,234');
  });

  it('KWD: three decimals', () => {
    expect(fmt(1234567, 'KWD')).toBe('KWD 1,234.567');
    expect(fmt(5, 'KWD')).toBe('KWD 0.005');
  });

  it('stays exact where floats would not (0.1 + 0.2, large amounts)', () => {
    expect(fmt(10 + 20, 'USD')).toBe('$0.30');
    expect(fmt(9_007_199_254_740_991, 'USD')).toBe('$90,071,992,547,409.91');
  });

  it('turns minor units into a decimal string without float math', () => {
    expect(minorToDecimalString(1, 3)).toBe('0.001');
    expect(minorToDecimalString(-120, 2)).toBe('-1.20');
    expect(minorToDecimalString(42, 0)).toBe('42');
  });
});

describe('parseMoney reads what people type into minor units', () => {
  it('USD', () => {
    expect(parseMoney('12.34', 'USD')).toEqual({ ok: true, value: 1234 });
    expect(parseMoney('12', 'USD')).toEqual({ ok: true, value: 1200 });
    expect(parseMoney('12,5', 'USD')).toEqual({ ok: true, value: 1250 });
    expect(parseMoney(' 1 234.50 ', 'USD')).toEqual({ ok: true, value: 123450 });
    expect(parseMoney('.99', 'USD')).toEqual({ ok: true, value: 99 });
    expect(parseMoney('-3', 'USD')).toEqual({ ok: true, value: -300 });
    expect(parseMoney('0.29', 'USD')).toEqual({ ok: true, value: 29 });
  });

  it('refuses too many decimals instead of rounding', () => {
    expect(parseMoney('12.345', 'USD').ok).toBe(false);
    expect(parseMoney('100.5', 'JPY').ok).toBe(false);
    expect(parseMoney('1.2345', 'KWD').ok).toBe(false);
  });

  it('JPY and KWD', () => {
    expect(parseMoney('1500', 'JPY')).toEqual({ ok: true, value: 1500 });
    expect(parseMoney('1.5', 'KWD')).toEqual({ ok: true, value: 1500 });
    expect(parseMoney('0.005', 'KWD')).toEqual({ ok: true, value: 5 });
  });

  it('refuses what is not an amount', () => {
    expect(parseMoney('', 'USD').ok).toBe(false);
    expect(parseMoney('abc', 'USD').ok).toBe(false);
    expect(parseMoney('1.2.3', 'USD').ok).toBe(false);
    expect(parseMoney('99999999999999999', 'USD').ok).toBe(false);
  });
});

describe('tax rates as percentages and basis points', () => {
  it('converts both ways by string arithmetic', () => {
    expect(percentToBasisPoints('8.25')).toBe(825);
    expect(percentToBasisPoints('8.875')).toBeNull();
    expect(percentToBasisPoints('20')).toBe(2000);
    expect(percentToBasisPoints('0,5')).toBe(50);
    expect(percentToBasisPoints('x')).toBeNull();
    expect(basisPointsToPercent(825)).toBe('8.25');
    expect(basisPointsToPercent(2000)).toBe('20');
    expect(basisPointsToPercent(50)).toBe('0.5');
  });
});
