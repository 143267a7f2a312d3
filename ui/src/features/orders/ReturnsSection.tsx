/**
 * On the order page: the "Start return" button (when the core says some line has units that may come
 * back) and the order's returns with their status and what each may still refund.
 */
import { Anchor, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { Undo2 } from 'lucide-react';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import { Money } from '../../components/Money';
import { formatDateTime } from '../../lib/dates';
import { METHOD_LABELS, ReturnStatusBadge } from '../../components/ReturnStatusBadge';
import { useOrderReturns, useReturnOptions } from './api';

export function StartReturnButton({ order }: { order: OrderDetailDto }) {
  const options = useReturnOptions(order);
  const returnable = options.data?.lines.some((l) => l.returnableQty > 0) ?? false;
  if (!returnable) return null;
  return (
    <Button
      variant="light"
      leftSection={<Undo2 size={16} />}
      renderRoot={(props) => <Link {...props} to="/orders/$number/return" params={{ number: order.number }} />}
    >
      Start return
    </Button>
  );
}

export function OrderReturnsSection({ order }: { order: OrderDetailDto }) {
  const returns = useOrderReturns(order);
  if (!returns.data?.length) return null;
  return (
    <Card withBorder padding="md" radius="md" aria-label="Returns">
      <Title order={3} size="h5" mb="xs">
        Returns
      </Title>
      <Table verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Return</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Method</Table.Th>
            <Table.Th ta="right">Received</Table.Th>
            <Table.Th>Authorised</Table.Th>
            <Table.Th ta="right">Refundable</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {returns.data.map((r) => (
            <Table.Tr key={r.number}>
              <Table.Td>
                <Anchor
                  ff="monospace"
                  fw={600}
                  size="sm"
                  renderRoot={(props) => <Link {...props} to="/returns/$number" params={{ number: r.number }} />}
                >
                  {r.number}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <ReturnStatusBadge status={r.status} />
              </Table.Td>
              <Table.Td>{METHOD_LABELS[r.method]}</Table.Td>
              <Table.Td ta="right">
                {r.received} / {r.units}
              </Table.Td>
              <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
              <Table.Td ta="right">
                <Money value={r.refundable} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="flex-end">
        <Text size="xs" c="dimmed">
          {returns.data.length} return(s)
        </Text>
      </Group>
    </Card>
  );
}
