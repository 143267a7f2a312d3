/**
 * One return (`/returns/:number`): who and what (lines with received units and dispositions), the
 * core's policy notes, and the panels for what comes next — receive & inspect, the return label
 * (ship-back, before the goods arrive), refund, exchange — plus the receipt and cancelling.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { ArrowLeft, Printer, XCircle } from 'lucide-react';
import { useState } from 'react';
import type { ReturnDto } from '../../bindings/ReturnDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { Page } from '../../components/Page';
import { formatDateTime } from '../../lib/dates';
import { useCancelReturn, useReturn } from './api';
import { Sentences } from './Breakdown';
import { ExchangePanel } from './ExchangePanel';
import { PrintedNote, usePrint } from '../../components/Printing';
import { CONDITION_LABELS, DISPOSITION_LABELS, METHOD_LABELS, REASON_LABELS, ReturnStatusBadge } from './labels';
import { ReceivePanel } from './ReceivePanel';
import { RefundPanel } from './RefundPanel';
import { ReturnLabelPanel } from './ReturnLabelPanel';

export function ReturnPage() {
  const { number } = useParams({ from: '/returns/$number' });
  const ret = useReturn(number);
  return (
    <Page>
      <Anchor component={Link} to="/returns" size="sm">
        <Group gap={4}>
          <ArrowLeft size={14} /> Returns
        </Group>
      </Anchor>
      {ret.isPending ? (
        <Center p="xl">
          <Loader aria-label="Loading return" />
        </Center>
      ) : ret.isError ? (
        <Stack mt="md">
          <ErrorCard error={ret.error} onRetry={() => void ret.refetch()} />
        </Stack>
      ) : (
        <ReturnView ret={ret.data} />
      )}
    </Page>
  );
}

function ReturnView({ ret }: { ret: ReturnDto }) {
  const print = usePrint();
  const cancel = useCancelReturn();
  const [cancelOpen, setCancelOpen] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const nothingReceived = ret.lines.every((l) => l.received === 0);
  // Stays on screen once all is received, so the last scan's confirmation is seen.
  const receiving = ret.status !== 'cancelled' && ret.status !== 'closed';
  const labelPanel =
    ret.method === 'ship_back' && (ret.label !== null || ret.status === 'authorized' || ret.status === 'in_transit');
  const live = ret.status !== 'cancelled';

  return (
    <Stack gap="md" mt="xs">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={2} ff="monospace">
              {ret.number}
            </Title>
            <ReturnStatusBadge status={ret.status} size="lg" />
            <Badge variant="outline" color="gray">
              {METHOD_LABELS[ret.method]}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            Order{' '}
            <Anchor
              renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: ret.order }} />}
              ff="monospace"
              size="sm"
            >
              {ret.order}
            </Anchor>{' '}
            ·{' '}
            {ret.customerId ? (
              <Anchor
                renderRoot={(props) => <Link {...props} to="/customers/$id" params={{ id: ret.customerId! }} />}
                size="sm"
              >
                {ret.customerName ?? 'the customer'}
              </Anchor>
            ) : (
              (ret.customerName ?? 'no customer')
            )}{' '}
            · to {ret.locationName} ({ret.location}) · authorised {formatDateTime(ret.createdAt)} by {ret.createdBy}
          </Text>
          {ret.exchangeOrder ? (
            <Text size="sm" mt={2}>
              Exchanged for{' '}
              <Anchor
                renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: ret.exchangeOrder }} />}
                ff="monospace"
              >
                {ret.exchangeOrder}
              </Anchor>
            </Text>
          ) : null}
        </div>
        <Group gap="xs">
          <Text size="sm">
            Refunded <Money value={ret.refunded} /> · refundable <Money value={ret.refundable} strong />
          </Text>
          <Button
            variant="default"
            leftSection={<Printer size={16} />}
            loading={print.isPending}
            onClick={() => print.run('return_receipt', ret.number)}
          >
            Print receipt
          </Button>
          {live && nothingReceived ? (
            <Button variant="light" color="red" leftSection={<XCircle size={16} />} onClick={() => setCancelOpen(true)}>
              Cancel return…
            </Button>
          ) : null}
        </Group>
      </Group>
      <PrintedNote print={print} />

      <Card withBorder padding="sm">
        <Table verticalSpacing={4} aria-label="Return lines">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Item</Table.Th>
              <Table.Th ta="right">Qty</Table.Th>
              <Table.Th ta="right">Received</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Condition</Table.Th>
              <Table.Th>Dispositions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ret.lines.map((l) => (
              <Table.Tr key={l.lineNo}>
                <Table.Td>{l.lineNo}</Table.Td>
                <Table.Td>
                  <Text span size="sm" ff="monospace" fw={600}>
                    {l.sku}
                  </Text>{' '}
                  <Text span size="sm">
                    {l.name}
                  </Text>
                  {l.note ? (
                    <Text size="xs" c="dimmed">
                      {l.note}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td ta="right">{l.qty}</Table.Td>
                <Table.Td ta="right" fw={700} c={l.received >= l.qty ? 'green.8' : undefined}>
                  {l.received}
                </Table.Td>
                <Table.Td>{REASON_LABELS[l.reason]}</Table.Td>
                <Table.Td>{CONDITION_LABELS[l.condition]}</Table.Td>
                <Table.Td>
                  {l.dispositions.length
                    ? l.dispositions
                        .map((d) => `${d.qty} × ${DISPOSITION_LABELS[d.disposition]} at ${d.location}`)
                        .join(', ')
                    : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {ret.overrideReason || ret.note || ret.policyNotes.length ? (
          <Stack gap={4} mt="xs">
            <Sentences items={ret.policyNotes} testId="return-policy-notes" />
            {ret.overrideReason ? (
              <Text size="sm">
                <b>Override:</b> {ret.overrideReason}
              </Text>
            ) : null}
            {ret.note ? (
              <Text size="sm">
                <b>Note:</b> {ret.note}
              </Text>
            ) : null}
          </Stack>
        ) : null}
      </Card>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        {receiving ? <ReceivePanel ret={ret} /> : null}
        {labelPanel ? <ReturnLabelPanel ret={ret} /> : null}
        {live ? <RefundPanel ret={ret} /> : null}
        {live && (ret.exchangeOrder !== null || ret.status !== 'closed') ? <ExchangePanel ret={ret} /> : null}
      </SimpleGrid>

      <Modal opened={cancelOpen} onClose={() => setCancelOpen(false)} title={`Cancel ${ret.number}`} centered>
        <Stack>
          <TextInput
            label="Reason"
            data-autofocus
            value={cancelReason}
            onChange={(e) => setCancelReason(e.currentTarget.value)}
            error={cancel.error ? (cancel.error as { message?: string }).message : undefined}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setCancelOpen(false)}>
              Keep the return
            </Button>
            <Button
              color="red"
              loading={cancel.isPending}
              onClick={() =>
                cancel.mutate(
                  { ret: ret.number, reason: cancelReason.trim() },
                  { onSuccess: () => setCancelOpen(false) },
                )
              }
            >
              Cancel return
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
