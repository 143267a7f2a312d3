/**
 * Exchange: the items to send instead (scan or type a SKU/barcode and a quantity, Enter adds the line;
 * name and price come from the products API), where they go (the original address or a pick-up
 * store), how a difference is paid or refunded → `create_exchange`. The core's settlement sentence and
 * a link to the new order are shown. The idempotency key lives as long as this form, so a retry never
 * makes a second order.
 */
import {
  ActionIcon,
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Trash2 } from 'lucide-react';
import { useRef, useState, type KeyboardEvent } from 'react';
import type { ExchangeDto } from '../../bindings/ExchangeDto';
import type { ProductDto } from '../../bindings/ProductDto';
import type { RefundToDto } from '../../bindings/RefundToDto';
import type { ReturnDto } from '../../bindings/ReturnDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { toAppError } from '../../lib/ipc';
import { useLocations } from '../../lib/queries';
import { findProduct, useCreateExchange } from './api';
import { PAYMENT_METHODS, REFUND_TO_LABELS } from './labels';

type Line = { product: ProductDto; qty: number };

export function ExchangePanel({ ret }: { ret: ReturnDto }) {
  const queryClient = useQueryClient();
  const locations = useLocations();
  const exchange = useCreateExchange();
  const [lines, setLines] = useState<Line[]>([]);
  const [code, setCode] = useState('');
  const [qty, setQty] = useState<number | string>(1);
  const [codeError, setCodeError] = useState<string | null>(null);
  const [where, setWhere] = useState<'ship' | 'pickup'>('ship');
  const [store, setStore] = useState('');
  const [payment, setPayment] = useState('card');
  const [refundTo, setRefundTo] = useState<RefundToDto>('original');
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [done, setDone] = useState<ExchangeDto | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const stores = (locations.data ?? []).filter((l) => l.active && l.canPickup);

  const add = async () => {
    const c = code.trim();
    if (!c) return;
    setCodeError(null);
    try {
      const p = await findProduct(queryClient, c);
      if (!p) {
        setCodeError(`'${c}' is not a SKU or barcode in the catalogue`);
        codeRef.current?.select();
        return;
      }
      const n = typeof qty === 'number' && qty > 0 ? qty : 1;
      setLines((all) => {
        const i = all.findIndex((l) => l.product.sku === p.sku);
        return i >= 0 ? all.map((l, j) => (j === i ? { ...l, qty: l.qty + n } : l)) : [...all, { product: p, qty: n }];
      });
      setCode('');
      setQty(1);
      codeRef.current?.focus();
    } catch (reason) {
      setCodeError(toAppError(reason).message);
    }
  };
  const onCodeKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void add();
    }
  };

  const submit = () => {
    exchange.mutate(
      {
        ret: ret.number,
        lines: lines.map((l) => ({ sku: l.product.sku, qty: l.qty, unitPrice: null, discount: null })),
        shipTo: null,
        pickupLocation: where === 'pickup' ? store || null : null,
        paymentMethod: payment || null,
        refundTo,
        idempotencyKey: key,
      },
      {
        onSuccess: (x) => {
          setDone(x);
          setLines([]);
          setKey(crypto.randomUUID());
        },
      },
    );
  };
  const error = exchange.error ? toAppError(exchange.error) : null;

  const result = done ?? null;
  if (ret.exchangeOrder && !result) {
    return (
      <Card withBorder aria-label="Exchange">
        <Title order={3} size="h4" mb="xs">
          Exchange
        </Title>
        <Text size="sm">
          Exchanged for{' '}
          <Anchor
            renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: ret.exchangeOrder }} />}
            ff="monospace"
          >
            {ret.exchangeOrder}
          </Anchor>
          .
        </Text>
      </Card>
    );
  }

  return (
    <Card withBorder aria-label="Exchange">
      <Title order={3} size="h4" mb="sm">
        Exchange
      </Title>
      {result ? (
        <Alert color="green" title="Exchange created" mb="sm" data-testid="settlement">
          <Text size="sm">{result.settlement}</Text>
          <Group gap="lg" mt={6}>
            <Text size="sm">
              New order{' '}
              <Anchor
                renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: result.order }} />}
                ff="monospace"
                fw={700}
              >
                {result.order}
              </Anchor>
            </Text>
            <Text size="sm">
              Total <Money value={result.newTotal} />
            </Text>
            <Text size="sm">
              Credit <Money value={result.credit} />
            </Text>
            <Text size="sm">
              Difference <Money value={result.difference} strong />
            </Text>
          </Group>
        </Alert>
      ) : (
        <Stack gap="sm">
          <Group align="flex-end" gap="xs">
            <TextInput
              ref={codeRef}
              label="Item to send (SKU or barcode)"
              placeholder="Scan or type, Enter adds"
              style={{ flex: 1 }}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              onKeyDown={onCodeKey}
              error={codeError ?? (error?.field?.startsWith('lines') ? error.message : undefined)}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <NumberInput label="Qty" w={80} min={1} allowDecimal={false} value={qty} onChange={setQty} />
            <Button variant="default" onClick={() => void add()}>
              Add
            </Button>
          </Group>
          {lines.length ? (
            <Table verticalSpacing={4} fz="sm" aria-label="Items to send">
              <Table.Tbody>
                {lines.map((l) => (
                  <Table.Tr key={l.product.sku}>
                    <Table.Td ff="monospace">{l.product.sku}</Table.Td>
                    <Table.Td>{l.product.name}</Table.Td>
                    <Table.Td ta="right">{l.qty} ×</Table.Td>
                    <Table.Td ta="right">
                      <Money value={l.product.price} />
                    </Table.Td>
                    <Table.Td w={40}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${l.product.sku}`}
                        onClick={() => setLines((all) => all.filter((x) => x !== l))}
                      >
                        <Trash2 size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
          <Group align="flex-end" gap="md">
            <SegmentedControl
              aria-label="Deliver the exchange"
              value={where}
              onChange={(v) => setWhere(v as 'ship' | 'pickup')}
              data={[
                { value: 'ship', label: 'Ship to the original address' },
                { value: 'pickup', label: 'Pick up at a store' },
              ]}
            />
            {where === 'pickup' ? (
              <NativeSelect
                aria-label="Pick-up store"
                value={store}
                onChange={(e) => setStore(e.currentTarget.value)}
                data={[
                  { value: '', label: 'Choose a store' },
                  ...stores.map((l) => ({ value: l.code, label: l.name })),
                ]}
                error={error?.field === 'pickupLocation' ? error.message : undefined}
              />
            ) : null}
          </Group>
          <Group grow align="flex-start">
            <NativeSelect
              label="If the customer owes a difference, they pay by"
              value={payment}
              onChange={(e) => setPayment(e.currentTarget.value)}
              data={PAYMENT_METHODS}
            />
            <NativeSelect
              label="If the shop owes a difference, refund to"
              value={refundTo}
              onChange={(e) => setRefundTo(e.currentTarget.value as RefundToDto)}
              data={[
                { value: 'original', label: REFUND_TO_LABELS.original },
                { value: 'store_credit', label: REFUND_TO_LABELS.store_credit, disabled: ret.customerName === null },
              ]}
            />
          </Group>
          {error && !error.field?.startsWith('lines') && error.field !== 'pickupLocation' ? (
            <ErrorCard error={error} />
          ) : null}
          <Group justify="flex-end">
            <Button onClick={submit} loading={exchange.isPending} disabled={!lines.length}>
              Create exchange
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}
