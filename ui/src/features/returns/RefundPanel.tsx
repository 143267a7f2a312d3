/**
 * Refund: the core's breakdown of what this return may refund now (received units, or all with
 * "Refund before the goods arrive"), the amount (default: all refundable; typed as text and parsed to
 * minor units with the currency's decimals), where it goes, and a reason. A confirm dialog repeats the
 * amount; its idempotency key is made when the dialog opens, so a double click or a retry never refunds
 * twice. Below: the refunds made on this return.
 */
import {
  Button,
  Card,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { RefundToDto } from '../../bindings/RefundToDto';
import type { ReturnDto } from '../../bindings/ReturnDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { formatDateTime } from '../../lib/dates';
import { toAppError } from '../../lib/ipc';
import { formatMoney, minorToInput, parseMoney } from '../../lib/money';
import { useRefundPreview, useRefundReturn } from './api';
import { Breakdown } from './Breakdown';
import { REFUND_TO_LABELS } from './labels';

export function RefundPanel({ ret }: { ret: ReturnDto }) {
  const [beforeReceipt, setBeforeReceipt] = useState(false);
  const preview = useRefundPreview(ret.number, beforeReceipt, ret.status !== 'cancelled');
  const refund = useRefundReturn();
  const currency = ret.refundable.currency;
  const refundable = preview.data?.refundable.amount ?? 0;
  // A closed or cancelled return takes no more refunds: show what was refunded, not the form.
  const done = ret.status === 'closed' || ret.status === 'cancelled';
  // Blank amount = everything refundable (shown as the placeholder).
  const [amountText, setAmountText] = useState('');
  const [to, setTo] = useState<RefundToDto>('original');
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState<{ key: string; amount: number } | null>(null);
  const [amountError, setAmountError] = useState<string | null>(null);
  const hasCustomer = ret.customerName !== null;

  const parsed = amountText.trim() ? parseMoney(amountText, currency) : ({ ok: true, value: refundable } as const);
  const partial = parsed.ok && parsed.value < refundable;
  const error = refund.error ? toAppError(refund.error) : null;
  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);

  const open = () => {
    if (!parsed.ok) {
      setAmountError(parsed.error);
      return;
    }
    setAmountError(null);
    refund.reset();
    setConfirm({ key: crypto.randomUUID(), amount: parsed.value });
  };

  const run = () => {
    if (!confirm) return;
    refund.mutate(
      {
        ret: ret.number,
        amount: amountText.trim() ? { amount: confirm.amount, currency } : null,
        to,
        reason: reason.trim() || null,
        beforeReceipt,
        idempotencyKey: confirm.key,
      },
      {
        onSuccess: (r) => {
          setConfirm(null);
          setAmountText('');
          setReason('');
          notifications.show({
            color: 'green',
            message: `Refunded ${formatMoney(r.amount.amount, r.amount.currency)} to ${REFUND_TO_LABELS[r.to].toLowerCase()}`,
          });
        },
      },
    );
  };

  return (
    <Card withBorder aria-label="Refund">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Refund
        </Title>
        <Switch
          label="Refund before the goods arrive"
          checked={beforeReceipt}
          onChange={(e) => setBeforeReceipt(e.currentTarget.checked)}
        />
      </Group>
      <Stack gap="sm">
        {preview.isPending ? (
          <Loader size="sm" aria-label="Computing the refund" />
        ) : preview.isError ? (
          <ErrorCard error={preview.error} />
        ) : (
          <Breakdown breakdown={preview.data} title="Refund breakdown" />
        )}
        {done ? null : (
          <>
            <Stack gap="sm">
              <TextInput
                label={`Amount (${currency})`}
                placeholder={minorToInput(refundable, currency)}
                description="Blank = all refundable"
                inputMode="decimal"
                value={amountText}
                onChange={(e) => setAmountText(e.currentTarget.value)}
                error={amountError ?? fieldError('amount')}
              />
              <div>
                <Text size="sm" fw={500} mb={4}>
                  Refund to
                </Text>
                <SegmentedControl
                  aria-label="Refund to"
                  value={to}
                  onChange={(v) => setTo(v as RefundToDto)}
                  data={[
                    { value: 'original', label: REFUND_TO_LABELS.original },
                    { value: 'store_credit', label: REFUND_TO_LABELS.store_credit, disabled: !hasCustomer },
                  ]}
                />
                {fieldError('to') ? (
                  <Text size="xs" c="red">
                    {fieldError('to')}
                  </Text>
                ) : !hasCustomer ? (
                  <Text size="xs" c="dimmed">
                    Store credit needs a customer on the order.
                  </Text>
                ) : null}
              </div>
            </Stack>
            <TextInput
              label="Reason"
              withAsterisk={partial}
              description={partial ? 'Needed: the amount is less than refundable' : undefined}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={fieldError('reason')}
            />
            {error && !['amount', 'reason', 'to'].includes(error.field ?? '') && !confirm ? (
              <ErrorCard error={error} />
            ) : null}
            <Group justify="flex-end">
              <Button onClick={open} disabled={refundable <= 0 && !amountText.trim()}>
                Refund…
              </Button>
            </Group>
          </>
        )}
        {ret.refunds.length ? (
          <Table verticalSpacing={4} fz="sm" aria-label="Refunds">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ret.refunds.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{formatDateTime(r.at)}</Table.Td>
                  <Table.Td>{REFUND_TO_LABELS[r.to]}</Table.Td>
                  <Table.Td>{r.reason ?? '—'}</Table.Td>
                  <Table.Td>{r.actor}</Table.Td>
                  <Table.Td ta="right">
                    <Money value={r.amount} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>

      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title="Confirm the refund" centered>
        {confirm ? (
          <Stack>
            <Text size="lg">
              Refund <b data-testid="confirm-amount">{formatMoney(confirm.amount, currency)}</b> to{' '}
              <b>{REFUND_TO_LABELS[to].toLowerCase()}</b> for {ret.number}?
            </Text>
            {reason.trim() ? <Text size="sm">Reason: {reason.trim()}</Text> : null}
            {beforeReceipt ? (
              <Text size="sm" c="orange.8">
                Before the goods arrive: this is recorded on the order&apos;s timeline.
              </Text>
            ) : null}
            {error ? <ErrorCard error={error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                Back
              </Button>
              <Button color="red" onClick={run} loading={refund.isPending} data-autofocus>
                Refund {formatMoney(confirm.amount, currency)}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Card>
  );
}
