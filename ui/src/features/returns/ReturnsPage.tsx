/**
 * The returns screen (Alt+0): one location's returns by what they need — expected, being received, to
 * refund, recent — and the returned stock held there (damaged units) with "Dispose" and "Back to
 * vendor". The scan box at the top opens a return by its number, or starts a return for a scanned order
 * number or order barcode.
 */
import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { ScanBarcode, XCircle } from 'lucide-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { HeldStockDto } from '../../bindings/HeldStockDto';
import type { ReturnSummaryDto } from '../../bindings/ReturnSummaryDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { toAppError } from '../../lib/ipc';
import { useLocations } from '../../lib/queries';
import { returnOptionsQuery, returnQuery, useHeldStockAction, useReturnsQueue, useWorkstation } from './api';
import { METHOD_LABELS, ReturnStatusBadge } from './labels';
import type { ReturnTab, ReturnsSearch } from './search';

type Tab = ReturnTab;

/** A scanned return number opens the return; an order number or barcode starts a return for it. */
export function useReturnScan() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async (code: string) => {
    const c = code.trim();
    if (!c) return false;
    setError(null);
    setBusy(true);
    try {
      if (/^R-/i.test(c)) {
        const r = await queryClient.fetchQuery(returnQuery(c.toUpperCase()));
        await navigate({ to: '/returns/$number', params: { number: r.number } });
      } else {
        const o = await queryClient.fetchQuery(returnOptionsQuery(c));
        await navigate({ to: '/orders/$number/return', params: { number: o.order } });
      }
      return true;
    } catch (reason) {
      setError(toAppError(reason).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { open, error, busy, clear: () => setError(null) };
}

export function ReturnsPage({ search = {} }: { search?: ReturnsSearch }) {
  const locations = useLocations();
  const workstation = useWorkstation();
  const [picked, setPicked] = useState<string | null>(search.loc ?? null);
  const location = picked ?? workstation.data?.homeLocation ?? locations.data?.find((l) => l.active)?.code ?? null;
  const queue = useReturnsQueue(location);
  const [tab, setTab] = useState<Tab>(search.tab ?? 'expected');
  const [code, setCode] = useState('');
  const scan = useReturnScan();
  const scanRef = useRef<HTMLInputElement>(null);
  const [action, setAction] = useState<{ row: HeldStockDto; action: 'dispose' | 'vendor' } | null>(null);

  useEffect(() => {
    scanRef.current?.focus();
  }, []);

  const onScan = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    void scan.open(code).then((ok) => {
      if (!ok) scanRef.current?.select();
    });
  };

  const q = queue.data;
  const count = (t: Tab) => (q ? (t === 'held' ? q.held.length : q[t].length) : 0);
  const label = (t: Tab, text: string) => `${text} (${count(t)})`;

  return (
    <Page>
      <PageHeader title="Returns">
        <NativeSelect
          aria-label="Location"
          value={location ?? ''}
          onChange={(e) => setPicked(e.currentTarget.value)}
          data={(locations.data ?? [])
            .filter((l) => l.active)
            .map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))}
        />
      </PageHeader>
      <Stack gap="sm">
        <TextInput
          ref={scanRef}
          size="md"
          leftSection={<ScanBarcode size={18} />}
          placeholder="Scan a return number (R-…) to open it, or an order number / barcode to start a return"
          aria-label="Scan a return or an order"
          value={code}
          onChange={(e) => {
            setCode(e.currentTarget.value);
            scan.clear();
          }}
          onKeyDown={onScan}
          rightSection={scan.busy ? <Text size="xs">…</Text> : null}
        />
        {scan.error ? (
          <Alert color="red" variant="filled" role="alert" icon={<XCircle size={22} />}>
            <Text fw={700}>{scan.error}</Text>
          </Alert>
        ) : null}
        {queue.isError ? <ErrorCard error={queue.error} onRetry={() => void queue.refetch()} /> : null}
        <Tabs value={tab} onChange={(v) => setTab((v as Tab) ?? 'expected')}>
          <Tabs.List>
            <Tabs.Tab value="expected">{label('expected', 'Expected')}</Tabs.Tab>
            <Tabs.Tab value="receiving">{label('receiving', 'Receiving')}</Tabs.Tab>
            <Tabs.Tab value="toRefund">{label('toRefund', 'To refund')}</Tabs.Tab>
            <Tabs.Tab value="recent">{label('recent', 'Recent')}</Tabs.Tab>
            <Tabs.Tab value="held">{label('held', 'Held stock')}</Tabs.Tab>
          </Tabs.List>
          {(['expected', 'receiving', 'toRefund', 'recent'] as const).map((t) => (
            <Tabs.Panel key={t} value={t} pt="sm">
              <ReturnRows rows={q?.[t] ?? []} loading={queue.isPending} />
            </Tabs.Panel>
          ))}
          <Tabs.Panel value="held" pt="sm">
            {q && q.held.length === 0 ? (
              <Text size="sm" c="dimmed">
                No returned stock is held here.
              </Text>
            ) : (
              <Table verticalSpacing={4} aria-label="Held stock">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>SKU</Table.Th>
                    <Table.Th>Product</Table.Th>
                    <Table.Th ta="right">Held</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(q?.held ?? []).map((h) => (
                    <Table.Tr key={h.sku}>
                      <Table.Td ff="monospace">{h.sku}</Table.Td>
                      <Table.Td>{h.name}</Table.Td>
                      <Table.Td ta="right" fw={700}>
                        {h.qty}
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" justify="flex-end">
                          <Button
                            size="compact-sm"
                            variant="light"
                            color="red"
                            onClick={() => setAction({ row: h, action: 'dispose' })}
                          >
                            Dispose
                          </Button>
                          <Button
                            size="compact-sm"
                            variant="light"
                            onClick={() => setAction({ row: h, action: 'vendor' })}
                          >
                            Back to vendor
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Tabs.Panel>
        </Tabs>
      </Stack>
      {action && location ? (
        <HeldActionDialog location={location} row={action.row} action={action.action} onClose={() => setAction(null)} />
      ) : null}
    </Page>
  );
}

function ReturnRows({ rows, loading }: { rows: ReturnSummaryDto[]; loading: boolean }) {
  if (!rows.length)
    return (
      <Text size="sm" c="dimmed">
        {loading ? 'Loading…' : 'Nothing here.'}
      </Text>
    );
  return (
    <Table verticalSpacing={4} highlightOnHover aria-label="Returns">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Return</Table.Th>
          <Table.Th>Order</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Method</Table.Th>
          <Table.Th>Customer</Table.Th>
          <Table.Th ta="right">Received</Table.Th>
          <Table.Th>Authorised</Table.Th>
          <Table.Th ta="right">Refundable</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.number}>
            <Table.Td>
              <Anchor
                renderRoot={(props) => <Link {...props} to="/returns/$number" params={{ number: r.number }} />}
                ff="monospace"
                fw={600}
              >
                {r.number}
              </Anchor>
            </Table.Td>
            <Table.Td ff="monospace">{r.order}</Table.Td>
            <Table.Td>
              <ReturnStatusBadge status={r.status} />
            </Table.Td>
            <Table.Td>{METHOD_LABELS[r.method]}</Table.Td>
            <Table.Td>{r.customerName ?? '—'}</Table.Td>
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
  );
}

function HeldActionDialog({
  location,
  row,
  action,
  onClose,
}: {
  location: string;
  row: HeldStockDto;
  action: 'dispose' | 'vendor';
  onClose: () => void;
}) {
  const run = useHeldStockAction();
  const [qty, setQty] = useState<number | string>(row.qty);
  const [reason, setReason] = useState('');
  const error = run.error ? toAppError(run.error) : null;
  const title = action === 'dispose' ? `Dispose of held ${row.sku}` : `Send held ${row.sku} back to the vendor`;
  return (
    <Modal opened onClose={onClose} title={title} centered>
      <Stack>
        <Text size="sm">
          {row.qty} × {row.name} held at {location}.
        </Text>
        <NumberInput
          label="Units"
          min={1}
          max={row.qty}
          allowDecimal={false}
          value={qty}
          onChange={setQty}
          error={error?.field === 'qty' ? error.message : undefined}
        />
        <TextInput
          label="Reason"
          data-autofocus
          placeholder={action === 'dispose' ? 'e.g. broken glass' : 'e.g. vendor RMA 4411'}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error?.field === 'reason' ? error.message : undefined}
        />
        {error && error.field !== 'qty' && error.field !== 'reason' ? <ErrorCard error={error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Back
          </Button>
          <Button
            color={action === 'dispose' ? 'red' : undefined}
            loading={run.isPending}
            onClick={() =>
              run.mutate(
                { location, sku: row.sku, qty: typeof qty === 'number' ? qty : 0, action, reason: reason.trim() },
                { onSuccess: onClose },
              )
            }
          >
            {action === 'dispose' ? 'Dispose' : 'Back to vendor'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
