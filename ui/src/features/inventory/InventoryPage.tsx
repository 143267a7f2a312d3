/**
 * Inventory: every SKU × location balance in a virtualised grid (search and location in the URL),
 * the stock moves on the highlighted row (R receive, A adjust, T transfer, M movements), the open
 * transfers, and the ledger check.
 */
import {
  Alert,
  Badge,
  Button,
  Center,
  CloseButton,
  Drawer,
  Group,
  Loader,
  Modal,
  NativeSelect,
  ScrollArea,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { createColumnHelper } from '@tanstack/react-table';
import { ArrowLeftRight, History, PackagePlus, Search, ShieldCheck, SlidersHorizontal, Truck } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { StockBalanceDto } from '../../bindings/StockBalanceDto';
import type { VerifyReportDto } from '../../bindings/VerifyReportDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { ShortcutHint } from '../../components/ShortcutHint';
import { VirtualGrid, type GridColumn, type GridFeatures, type VirtualGridHandle } from '../../components/VirtualGrid';
import { formatCount, formatDateTime } from '../../lib/dates';
import { useLocations } from '../../lib/queries';
import {
  fetchInventoryPage,
  filtersFromSearch,
  inventoryKeys,
  useMovements,
  useReceiveTransfer,
  useTransfers,
  useVerifyInventory,
} from './api';
import {
  AdjustDialog,
  ReceiveDialog,
  TransferDialog,
  type StockDialogKind,
  type StockDialogState,
} from './StockDialogs';

const column = createColumnHelper<GridFeatures, StockBalanceDto>();
const num = (value: number) => formatCount(value);

const columns: GridColumn<StockBalanceDto>[] = [
  column.accessor('sku', {
    id: 'sku',
    header: 'SKU',
    enableSorting: false,
    cell: (info) => (
      <Text size="sm" ff="monospace" fw={600}>
        {info.getValue()}
      </Text>
    ),
    meta: { width: '150px' },
  }),
  column.accessor('productName', {
    id: 'product',
    header: 'Product',
    enableSorting: false,
    meta: { width: 'minmax(180px, 1fr)' },
  }),
  column.accessor('location', {
    id: 'location',
    header: 'Location',
    enableSorting: false,
    cell: (info) => (
      <Tooltip label={info.row.original.locationName} openDelay={400}>
        <span>{info.getValue()}</span>
      </Tooltip>
    ),
    meta: { width: '120px' },
  }),
  column.accessor('onHand', {
    id: 'onHand',
    header: 'On hand',
    enableSorting: false,
    cell: (i) => num(i.getValue()),
    meta: { width: '90px', align: 'right' },
  }),
  column.accessor('reserved', {
    id: 'reserved',
    header: 'Reserved',
    enableSorting: false,
    cell: (i) => num(i.getValue()),
    meta: { width: '90px', align: 'right' },
  }),
  column.accessor('safetyStock', {
    id: 'safety',
    header: 'Safety',
    enableSorting: false,
    cell: (i) => num(i.getValue()),
    meta: { width: '80px', align: 'right' },
  }),
  column.accessor('available', {
    id: 'available',
    header: 'Available',
    enableSorting: false,
    cell: (i) => (
      <Text size="sm" fw={700} c={i.getValue() > 0 ? undefined : 'red.7'}>
        {num(i.getValue())}
      </Text>
    ),
    meta: { width: '95px', align: 'right' },
  }),
  column.accessor('incoming', {
    id: 'incoming',
    header: 'Incoming',
    enableSorting: false,
    cell: (i) =>
      i.getValue() ? (
        num(i.getValue())
      ) : (
        <Text span size="sm" c="dimmed">
          —
        </Text>
      ),
    meta: { width: '90px', align: 'right' },
  }),
  column.accessor('held', {
    id: 'held',
    header: 'Held',
    enableSorting: false,
    // Returned units held here (damaged, awaiting disposal or the vendor): not on hand, never available.
    cell: (i) =>
      i.getValue() ? (
        <Text span size="sm" fw={600} c="orange.8">
          {num(i.getValue())}
        </Text>
      ) : (
        <Text span size="sm" c="dimmed">
          —
        </Text>
      ),
    meta: { width: '70px', align: 'right' },
  }),
];

const SHORTCUTS: Record<string, StockDialogKind | 'movements'> = {
  r: 'receive',
  a: 'adjust',
  t: 'transfer',
  m: 'movements',
};

export function InventoryPage() {
  const search = useSearch({ from: '/inventory' });
  const navigate = useNavigate({ from: '/inventory' });
  const locations = useLocations();
  const gridRef = useRef<VirtualGridHandle>(null);

  const [text, setText] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(text, 150);
  const applied = useRef(debounced);
  useEffect(() => {
    if (applied.current === debounced) return;
    applied.current = debounced;
    void navigate({ search: (prev) => ({ ...prev, q: debounced.trim() || undefined }), replace: true });
  }, [debounced, navigate]);

  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const queryKey = useMemo(() => inventoryKeys.list(filters), [filters]);
  const fetchPage = useCallback(
    (offset: number, limit: number) => fetchInventoryPage(filters, offset, limit),
    [filters],
  );

  const [current, setCurrent] = useState<StockBalanceDto | undefined>();
  const [dialog, setDialog] = useState<StockDialogState>(null);
  const [movementsFor, setMovementsFor] = useState<{ sku: string; location: string } | null>(null);
  const [transfersOpen, setTransfersOpen] = useState(false);
  const openTransfers = useTransfers(true);
  const verify = useVerifyInventory();
  const [report, setReport] = useState<VerifyReportDto | null>(null);

  const open = (kind: StockDialogKind | 'movements', row: StockBalanceDto | undefined = current) => {
    if (kind === 'movements') {
      if (row) setMovementsFor({ sku: row.sku, location: row.location });
      return;
    }
    setDialog({ kind, sku: row?.sku ?? '', location: row?.location ?? search.location ?? '' });
  };

  const closeDialog = () => {
    setDialog(null);
    requestAnimationFrame(() => gridRef.current?.focus());
  };

  const onRowKeyDown = (event: KeyboardEvent<HTMLDivElement>, row: StockBalanceDto) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const kind = SHORTCUTS[event.key.toLowerCase()];
    if (kind) {
      event.preventDefault();
      open(kind, row);
    }
  };

  const runVerify = () =>
    verify.mutate(undefined, {
      onSuccess: setReport,
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Verify failed', message: String((error as Error).message) }),
    });

  const locationList = locations.data ?? [];

  return (
    <Page fill>
      <PageHeader title="Inventory">
        <Button
          variant="default"
          leftSection={<Truck size={16} />}
          onClick={() => setTransfersOpen(true)}
          rightSection={
            openTransfers.data && openTransfers.data.length > 0 ? (
              <Badge size="sm" circle>
                {openTransfers.data.length}
              </Badge>
            ) : null
          }
        >
          Open transfers
        </Button>
        <Button
          variant="default"
          leftSection={<ShieldCheck size={16} />}
          loading={verify.isPending}
          onClick={runVerify}
        >
          Verify ledger
        </Button>
      </PageHeader>

      <Group gap="xs" mb="sm" align="flex-end" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label="Search"
          aria-label="Search inventory"
          placeholder="SKU, product name or barcode"
          leftSection={<Search size={16} />}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              gridRef.current?.focus();
            }
          }}
          rightSection={text ? <CloseButton aria-label="Clear search" size="sm" onClick={() => setText('')} /> : null}
          autoFocus
        />
        <NativeSelect
          label="Location"
          w={200}
          value={search.location ?? ''}
          onChange={(e) =>
            void navigate({
              search: (prev) => ({ ...prev, location: e.currentTarget.value || undefined }),
              replace: true,
            })
          }
          data={[
            { value: '', label: 'All locations' },
            ...locationList.map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` })),
          ]}
        />
        <Group gap={6} wrap="nowrap" aria-label="Actions on the highlighted row" role="group">
          <Button
            variant="light"
            leftSection={<PackagePlus size={16} />}
            rightSection={<ShortcutHint keys="R" />}
            onClick={() => open('receive')}
          >
            Receive
          </Button>
          <Button
            variant="light"
            leftSection={<SlidersHorizontal size={16} />}
            rightSection={<ShortcutHint keys="A" />}
            onClick={() => open('adjust')}
          >
            Adjust
          </Button>
          <Button
            variant="light"
            leftSection={<ArrowLeftRight size={16} />}
            rightSection={<ShortcutHint keys="T" />}
            onClick={() => open('transfer')}
          >
            Transfer
          </Button>
          <Button
            variant="default"
            leftSection={<History size={16} />}
            rightSection={<ShortcutHint keys="M" />}
            disabled={!current}
            onClick={() => open('movements')}
          >
            Movements
          </Button>
        </Group>
      </Group>

      <VirtualGrid<StockBalanceDto>
        ref={gridRef}
        label="Stock balances"
        noun="balances"
        columns={columns}
        queryKey={queryKey}
        fetchPage={fetchPage}
        getRowId={(row) => `${row.sku}@${row.location}`}
        rowAttributes={(row) => ({
          'data-testid': 'inventory-row',
          'data-sku': row.sku,
          'data-location': row.location,
        })}
        onOpen={(row) => open('movements', row)}
        onRowKeyDown={onRowKeyDown}
        onHighlightChange={setCurrent}
        emptyMessage={
          filters.search || filters.location
            ? 'No stock matches.'
            : 'No stock yet. Receive some, or load the demo shop in Settings.'
        }
      />
      <Text size="xs" c="dimmed" mt={6}>
        ↑/↓ choose a row · Enter shows its movements · R receive · A adjust · T transfer
      </Text>

      <ReceiveDialog state={dialog} onClose={closeDialog} locations={locationList} />
      <AdjustDialog state={dialog} onClose={closeDialog} locations={locationList} />
      <TransferDialog state={dialog} onClose={closeDialog} locations={locationList} />

      <MovementsDrawer target={movementsFor} onClose={() => setMovementsFor(null)} />
      <TransfersDrawer opened={transfersOpen} onClose={() => setTransfersOpen(false)} />
      <VerifyResult report={report} onClose={() => setReport(null)} />
    </Page>
  );
}

function Delta({ value }: { value: number }) {
  if (value === 0)
    return (
      <Text span size="sm" c="dimmed">
        ·
      </Text>
    );
  return (
    <Text span size="sm" fw={600} c={value > 0 ? 'green.8' : 'red.7'}>
      {value > 0 ? `+${formatCount(value)}` : formatCount(value)}
    </Text>
  );
}

function MovementsDrawer({
  target,
  onClose,
}: {
  target: { sku: string; location: string } | null;
  onClose: () => void;
}) {
  const [allLocations, setAllLocations] = useState(false);
  const movements = useMovements(target?.sku ?? null, allLocations ? null : (target?.location ?? null));
  return (
    <Drawer opened={target !== null} onClose={onClose} title={target ? `Movements of ${target.sku}` : ''} size="xl">
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed">
          The ledger behind the balance, latest first (up to 200).
        </Text>
        <Switch
          label={`All locations (not only ${target?.location ?? ''})`}
          checked={allLocations}
          onChange={(e) => setAllLocations(e.currentTarget.checked)}
        />
      </Group>
      {movements.isPending ? (
        <Center p="lg">
          <Loader aria-label="Loading movements" />
        </Center>
      ) : movements.isError ? (
        <ErrorCard error={movements.error} onRetry={() => void movements.refetch()} />
      ) : movements.data.length === 0 ? (
        <Text c="dimmed">No movements.</Text>
      ) : (
        <ScrollArea>
          <Table fz="sm" striped verticalSpacing={4} aria-label="Movements">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Location</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th ta="right">On hand</Table.Th>
                <Table.Th ta="right">Reserved</Table.Th>
                <Table.Th ta="right">Incoming</Table.Th>
                <Table.Th>Reason / order</Table.Th>
                <Table.Th>Who</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {movements.data.map((m, i) => (
                <Table.Tr key={`${m.at}-${i}`}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.at)}</Table.Td>
                  <Table.Td>{m.location}</Table.Td>
                  <Table.Td>{m.kind.replace(/_/g, ' ')}</Table.Td>
                  <Table.Td ta="right">
                    <Delta value={m.onHandDelta} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Delta value={m.reservedDelta} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Delta value={m.incomingDelta} />
                  </Table.Td>
                  <Table.Td>{[m.reason, m.orderNumber].filter(Boolean).join(' · ')}</Table.Td>
                  <Table.Td>{m.actor}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Drawer>
  );
}

function TransfersDrawer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const transfers = useTransfers(true);
  const receive = useReceiveTransfer();
  return (
    <Drawer opened={opened} onClose={onClose} title="Open transfers" size="lg">
      {transfers.isPending ? (
        <Center p="lg">
          <Loader aria-label="Loading transfers" />
        </Center>
      ) : transfers.isError ? (
        <ErrorCard error={transfers.error} onRetry={() => void transfers.refetch()} />
      ) : transfers.data.length === 0 ? (
        <Text c="dimmed">Nothing in transit.</Text>
      ) : (
        <Stack gap="sm">
          {receive.isError ? <ErrorCard error={receive.error} /> : null}
          <Table fz="sm" verticalSpacing={6} aria-label="Transfers in transit">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>SKU</Table.Th>
                <Table.Th>From → to</Table.Th>
                <Table.Th ta="right">Qty</Table.Th>
                <Table.Th>Sent</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {transfers.data.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td ff="monospace">{t.sku}</Table.Td>
                  <Table.Td>
                    {t.from} → {t.to}
                  </Table.Td>
                  <Table.Td ta="right">{t.qty}</Table.Td>
                  <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      loading={receive.isPending && receive.variables === t.id}
                      onClick={() =>
                        receive.mutate(t.id, {
                          onSuccess: (done) =>
                            notifications.show({
                              color: 'green',
                              message: `Received ${done.qty} × ${done.sku} at ${done.to}`,
                            }),
                        })
                      }
                    >
                      Receive
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Drawer>
  );
}

function VerifyResult({ report, onClose }: { report: VerifyReportDto | null; onClose: () => void }) {
  const agree = report !== null && report.differences.length === 0;
  return (
    <Modal opened={report !== null} onClose={onClose} title="Ledger check" size={agree ? 'md' : 'lg'}>
      {report ? (
        <Stack>
          {agree ? (
            <Alert
              color="green"
              variant="light"
              icon={<ShieldCheck size={20} />}
              title="Balances agree with the ledger"
            >
              Checked {formatCount(report.balancesChecked)} balances against {formatCount(report.movementsChecked)}{' '}
              movements. No differences.
            </Alert>
          ) : (
            <>
              <Alert color="red" variant="light" title={`${report.differences.length} differences found`}>
                Checked {formatCount(report.balancesChecked)} balances against {formatCount(report.movementsChecked)}{' '}
                movements. These stored balances do not match what the ledger adds up to:
              </Alert>
              <Table fz="sm" striped aria-label="Differences">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>SKU</Table.Th>
                    <Table.Th>Location</Table.Th>
                    <Table.Th>Figure</Table.Th>
                    <Table.Th ta="right">Stored</Table.Th>
                    <Table.Th ta="right">From ledger</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.differences.map((d, i) => (
                    <Table.Tr key={`${d.sku}-${d.location}-${d.field}-${i}`}>
                      <Table.Td ff="monospace">{d.sku}</Table.Td>
                      <Table.Td>{d.location}</Table.Td>
                      <Table.Td>{d.field}</Table.Td>
                      <Table.Td ta="right">{formatCount(d.stored)}</Table.Td>
                      <Table.Td ta="right">{formatCount(d.fromLedger)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              Close
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
