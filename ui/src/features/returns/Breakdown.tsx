/**
 * A refund breakdown as the core computed it: per line (goods, discount, tax, total), then shipping,
 * fees, the total, what was refunded already and what may be refunded now, with the core's notes.
 */
import { List, Table, Text } from '@mantine/core';
import type { MoneyDto } from '../../bindings/MoneyDto';
import type { RefundBreakdownDto } from '../../bindings/RefundBreakdownDto';
import { Money } from '../../components/Money';

function Row({
  label,
  value,
  negate = false,
  strong = false,
}: {
  label: string;
  value: MoneyDto;
  negate?: boolean;
  strong?: boolean;
}) {
  return (
    <Table.Tr fw={strong ? 700 : undefined}>
      <Table.Td colSpan={5}>{label}</Table.Td>
      <Table.Td ta="right">
        <Money value={negate && value.amount !== 0 ? { ...value, amount: -value.amount } : value} strong={strong} />
      </Table.Td>
    </Table.Tr>
  );
}

export function Breakdown({
  breakdown: b,
  title = 'Refund estimate',
}: {
  breakdown: RefundBreakdownDto;
  title?: string;
}) {
  return (
    <div data-testid="breakdown">
      <Table verticalSpacing={4} fz="sm" aria-label={title}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Line</Table.Th>
            <Table.Th ta="right">Qty</Table.Th>
            <Table.Th ta="right">Goods</Table.Th>
            <Table.Th ta="right">Discount</Table.Th>
            <Table.Th ta="right">Tax</Table.Th>
            <Table.Th ta="right">Total</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {b.lines.map((l) => (
            <Table.Tr key={l.lineNo}>
              <Table.Td ff="monospace">
                {l.lineNo}. {l.sku}
              </Table.Td>
              <Table.Td ta="right">{l.qty}</Table.Td>
              <Table.Td ta="right">
                <Money value={l.goods} />
              </Table.Td>
              <Table.Td ta="right">
                <Money value={{ ...l.discount, amount: -l.discount.amount }} />
              </Table.Td>
              <Table.Td ta="right">
                <Money value={l.tax} />
              </Table.Td>
              <Table.Td ta="right">
                <Money value={l.total} />
              </Table.Td>
            </Table.Tr>
          ))}
          {b.shipping.amount !== 0 ? <Row label="Shipping" value={b.shipping} /> : null}
          {b.shippingTax.amount !== 0 ? <Row label="Shipping tax" value={b.shippingTax} /> : null}
          {b.restockingFee.amount !== 0 ? <Row label="Restocking fee" value={b.restockingFee} negate /> : null}
          {b.labelFee.amount !== 0 ? <Row label="Return label fee" value={b.labelFee} negate /> : null}
          <Row label="Total" value={b.total} strong />
          {b.alreadyRefunded.amount !== 0 ? (
            <Row label="Already refunded on this return" value={b.alreadyRefunded} negate />
          ) : null}
          <Row label="Refundable now" value={b.refundable} strong />
          <Table.Tr>
            <Table.Td colSpan={5}>
              <Text size="xs" c="dimmed">
                Still captured on the order (the most any refund can be)
              </Text>
            </Table.Td>
            <Table.Td ta="right">
              <Text size="xs" c="dimmed">
                <Money value={b.capturedRemaining} />
              </Text>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {b.notes.length ? (
        <List size="sm" mt="xs" spacing={2} data-testid="breakdown-notes">
          {b.notes.map((n) => (
            <List.Item key={n}>{n}</List.Item>
          ))}
        </List>
      ) : null}
    </div>
  );
}

/** Sentences from the core (policy notes, problems), one per line. */
export function Sentences({ items, color, testId }: { items: string[]; color?: string; testId?: string }) {
  if (!items.length) return null;
  return (
    <List size="sm" spacing={2} c={color} data-testid={testId}>
      {items.map((n) => (
        <List.Item key={n}>{n}</List.Item>
      ))}
    </List>
  );
}
