/** An amount of money, formatted from minor units; right-aligned digits line up in columns. */
import type { MoneyDto } from '../bindings/MoneyDto';
import { formatMoney } from '../lib/money';

export function Money({ value, strong = false }: { value: MoneyDto; strong?: boolean }) {
  return (
    <span style={{ fontVariantNumeric: 'tabular-nums', fontWeight: strong ? 700 : undefined, whiteSpace: 'nowrap' }}>
      {formatMoney(value.amount, value.currency)}
    </span>
  );
}
