/**
 * Fulfilment: the work queues of one location (this desk's home location first, else the first
 * warehouse), as tabs with counts: ready to pick, picking, packed, waiting for carrier, ready for
 * pick-up and late. From here staff batch orders into a pick list, open a shipment to pack or label
 * (scan its number into the box at the top), hand labelled parcels to the driver, send dropship
 * purchase orders and import a carrier's tracking file. The queues refresh on focus and every 30 s.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Checkbox,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate } from '@tanstack/react-router';
import { FileUp, ScanBarcode, Truck } from 'lucide-react';
import { useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { LocationDto } from '../../bindings/LocationDto';
import type { QueueOrderDto } from '../../bindings/QueueOrderDto';
import type { QueueShipmentDto } from '../../bindings/QueueShipmentDto';
import type { TrackingImportDto } from '../../bindings/TrackingImportDto';
import type { WorkQueuesDto } from '../../bindings/WorkQueuesDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { toAppError } from '../../lib/ipc';
import { useLocations } from '../../lib/queries';
import {
  fulfilmentCommands,
  useCreatePickList,
  useDropshipShipped,
  useHandToCarrier,
  useImportTracking,
  useRecentPickLists,
  useSendPurchaseOrder,
  useWorkQueues,
  useWorkstation,
} from './api';
import { KIND_LABELS, SHIPMENT_STATUS_COLORS, SHIPMENT_STATUS_LABELS, formatDue } from './format';
import type { FulfilmentSearch, QueueTab } from './search';

/** The location shown when the URL names none: the desk's home location, else the first warehouse. */
export function defaultLocation(locations: LocationDto[], home: string | null | undefined): string | null {
  const active = locations.filter((l) => l.active);
  if (home && active.some((l) => l.code === home)) return home;
  return (active.find((l) => l.kind === 'warehouse') ?? active[0])?.code ?? null;
}

export function FulfilmentPage({ search }: { search: FulfilmentSearch }) {
  const locations = useLocations();
  const workstation = useWorkstation();
  const navigate = useNavigate();
  const ready = locations.data && (workstation.data || workstation.isError);
  const location = search.loc ?? (ready ? defaultLocation(locations.data ?? [], workstation.data?.homeLocation) : null);
  const tab: QueueTab = search.tab ?? 'pick';
  const queues = useWorkQueues(location);

  const go = (next: Partial<FulfilmentSearch>) =>
    void navigate({ to: '/fulfilment', search: { loc: location ?? undefined, tab, ...next } });

  return (
    <Page>
      <PageHeader title="Fulfilment">
        <OpenShipment />
        <ImportTracking />
      </PageHeader>
      {locations.isError ? (
        <ErrorCard error={locations.error} onRetry={() => void locations.refetch()} />
      ) : !location || !locations.data ? (
        <Center p="xl">
          <Loader aria-label="Loading locations" />
        </Center>
      ) : (
        <Stack gap="sm">
          <Group align="flex-end" gap="sm">
            <NativeSelect
              label="Location"
              w={280}
              value={location}
              onChange={(e) => go({ loc: e.currentTarget.value })}
              data={locations.data
                .filter((l) => l.active)
                .map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))}
            />
            {queues.isFetching ? <Loader size="xs" aria-label="Refreshing the queues" /> : null}
          </Group>
          {queues.isError ? (
            <ErrorCard error={queues.error} onRetry={() => void queues.refetch()} />
          ) : !queues.data ? (
            <Center p="xl">
              <Loader aria-label="Loading the work queues" />
            </Center>
          ) : (
            <Queues queues={queues.data} tab={tab} onTab={(t) => go({ tab: t })} />
          )}
        </Stack>
      )}
    </Page>
  );
}

function lateShipments(q: WorkQueuesDto): QueueShipmentDto[] {
  return [...q.picking, ...q.packed, ...q.waitingForCarrier].filter((s) => s.late);
}

function Queues({ queues: q, tab, onTab }: { queues: WorkQueuesDto; tab: QueueTab; onTab: (t: QueueTab) => void }) {
  const dropship = q.locationKind === 'dropship';
  const tabs: { value: QueueTab; label: string; count: number; color?: string }[] = [
    { value: 'pick', label: dropship ? 'To order from supplier' : 'Ready to pick', count: q.readyToPick.length },
    { value: 'picking', label: dropship ? 'In progress' : 'Picking', count: q.picking.length },
    { value: 'packed', label: 'Packed', count: q.packed.length },
    {
      value: 'waiting',
      label: dropship ? 'Waiting for supplier' : 'Waiting for carrier',
      count: q.waitingForCarrier.length,
    },
    { value: 'pickup', label: 'Ready for pick-up', count: q.readyForPickup.length },
    { value: 'late', label: 'Late', count: q.late, color: q.late > 0 ? 'red' : undefined },
  ];
  return (
    <Tabs value={tab} onChange={(v) => v && onTab(v as QueueTab)} keepMounted={false}>
      <Tabs.List>
        {tabs.map((t) => (
          <Tabs.Tab
            key={t.value}
            value={t.value}
            rightSection={
              <Badge
                size="sm"
                variant={t.count ? 'filled' : 'light'}
                color={t.color ?? 'gray'}
                data-testid={`count-${t.value}`}
              >
                {t.count}
              </Badge>
            }
          >
            {t.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      <Tabs.Panel value="pick" pt="sm">
        {dropship ? <DropshipOrders queues={q} /> : <ReadyToPick queues={q} />}
      </Tabs.Panel>
      <Tabs.Panel value="picking" pt="sm">
        <Stack>
          <ShipmentTable rows={q.picking} action={(s) => <OpenButton number={s.number} label="Pack" />} />
          <RecentPickLists location={q.location} />
        </Stack>
      </Tabs.Panel>
      <Tabs.Panel value="packed" pt="sm">
        <ShipmentTable rows={q.packed} action={(s) => <OpenButton number={s.number} label="Label" />} />
      </Tabs.Panel>
      <Tabs.Panel value="waiting" pt="sm">
        {dropship ? (
          <WaitingForSupplier rows={q.waitingForCarrier} />
        ) : (
          <WaitingForCarrier rows={q.waitingForCarrier} />
        )}
      </Tabs.Panel>
      <Tabs.Panel value="pickup" pt="sm">
        <ShipmentTable
          rows={q.readyForPickup}
          empty="Nothing is waiting to be collected here."
          action={(s) => <OpenButton number={s.number} label="Open" />}
        />
      </Tabs.Panel>
      <Tabs.Panel value="late" pt="sm">
        <Stack>
          {q.readyToPick.some((o) => o.late) ? <OrderTable rows={q.readyToPick.filter((o) => o.late)} /> : null}
          <ShipmentTable
            rows={lateShipments(q)}
            empty={q.readyToPick.some((o) => o.late) ? null : 'Nothing is late here.'}
            action={(s) => <OpenButton number={s.number} label="Open" />}
          />
        </Stack>
      </Tabs.Panel>
    </Tabs>
  );
}

function LateBadge({ late }: { late: boolean }) {
  return late ? (
    <Badge color="red" variant="filled" size="sm">
      Late
    </Badge>
  ) : null;
}

function OpenButton({ number, label }: { number: string; label: string }) {
  return (
    <Button
      size="xs"
      variant="light"
      renderRoot={(props) => <Link {...props} to="/fulfilment/shipments/$number" params={{ number }} />}
      aria-label={`${label} ${number}`}
    >
      {label}
    </Button>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" p="md">
      {children}
    </Text>
  );
}

function OrderTable({
  rows,
  selected,
  onToggle,
  action,
}: {
  rows: QueueOrderDto[];
  selected?: Set<string>;
  onToggle?: (number: string, on: boolean) => void;
  action?: (o: QueueOrderDto) => ReactNode;
}) {
  const all = selected !== undefined && rows.length > 0 && rows.every((r) => selected.has(r.orderNumber));
  return (
    <Table striped highlightOnHover verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          {onToggle ? (
            <Table.Th w={36}>
              <Checkbox
                aria-label="Select all orders"
                checked={all}
                onChange={(e) => rows.forEach((r) => onToggle(r.orderNumber, e.currentTarget.checked))}
              />
            </Table.Th>
          ) : null}
          <Table.Th>Order</Table.Th>
          <Table.Th>Customer</Table.Th>
          <Table.Th ta="right">Units</Table.Th>
          <Table.Th>Due</Table.Th>
          <Table.Th>Kind</Table.Th>
          {action ? <Table.Th /> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((o) => (
          <Table.Tr key={o.orderNumber}>
            {onToggle ? (
              <Table.Td>
                <Checkbox
                  aria-label={`Select ${o.orderNumber}`}
                  checked={selected?.has(o.orderNumber) ?? false}
                  onChange={(e) => onToggle(o.orderNumber, e.currentTarget.checked)}
                />
              </Table.Td>
            ) : null}
            <Table.Td>
              <Anchor
                renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: o.orderNumber }} />}
                fw={600}
              >
                {o.orderNumber}
              </Anchor>
            </Table.Td>
            <Table.Td>{o.customerName ?? <Text c="dimmed">Walk-in</Text>}</Table.Td>
            <Table.Td ta="right">{o.units}</Table.Td>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <Text size="sm">{formatDue(o.due)}</Text>
                <LateBadge late={o.late} />
              </Group>
            </Table.Td>
            <Table.Td>
              <Badge variant="light" color={o.kind === 'pickup' ? 'yellow' : 'blue'} size="sm">
                {KIND_LABELS[o.kind]}
              </Badge>
            </Table.Td>
            {action ? <Table.Td ta="right">{action(o)}</Table.Td> : null}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function ShipmentTable({
  rows,
  action,
  selected,
  onToggle,
  empty = 'Nothing here right now.',
}: {
  rows: QueueShipmentDto[];
  action?: (s: QueueShipmentDto) => ReactNode;
  selected?: Set<string>;
  onToggle?: (number: string, on: boolean) => void;
  empty?: string | null;
}) {
  if (rows.length === 0) return empty ? <Empty>{empty}</Empty> : null;
  const all = selected !== undefined && rows.every((r) => selected.has(r.number));
  return (
    <Table striped highlightOnHover verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          {onToggle ? (
            <Table.Th w={36}>
              <Checkbox
                aria-label="Select all shipments"
                checked={all}
                onChange={(e) => rows.forEach((r) => onToggle(r.number, e.currentTarget.checked))}
              />
            </Table.Th>
          ) : null}
          <Table.Th>Shipment</Table.Th>
          <Table.Th>Order</Table.Th>
          <Table.Th>Customer</Table.Th>
          <Table.Th ta="right">Units</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>Carrier / tracking</Table.Th>
          <Table.Th>Due</Table.Th>
          {action ? <Table.Th /> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((s) => (
          <Table.Tr key={s.number} data-testid={`shipment-${s.number}`}>
            {onToggle ? (
              <Table.Td>
                <Checkbox
                  aria-label={`Select ${s.number}`}
                  checked={selected?.has(s.number) ?? false}
                  onChange={(e) => onToggle(s.number, e.currentTarget.checked)}
                />
              </Table.Td>
            ) : null}
            <Table.Td>
              <Anchor
                renderRoot={(props) => (
                  <Link {...props} to="/fulfilment/shipments/$number" params={{ number: s.number }} />
                )}
                fw={600}
              >
                {s.number}
              </Anchor>
              {s.pickList ? (
                <Text size="xs" c="dimmed">
                  <Anchor
                    renderRoot={(props) => (
                      <Link {...props} to="/fulfilment/pick-lists/$number" params={{ number: s.pickList }} />
                    )}
                    inherit
                  >
                    {s.pickList}
                  </Anchor>
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              <Anchor
                renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: s.orderNumber }} />}
              >
                {s.orderNumber}
              </Anchor>
            </Table.Td>
            <Table.Td>{s.customerName ?? <Text c="dimmed">Walk-in</Text>}</Table.Td>
            <Table.Td ta="right">
              {s.status === 'picking' ? `${s.packedUnits}/${s.units}` : s.units}
              {s.packages > 1 ? (
                <Text size="xs" c="dimmed">
                  {s.packages} parcels
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              <Group gap={4} wrap="nowrap">
                <Badge variant="light" color={SHIPMENT_STATUS_COLORS[s.status]} size="sm">
                  {SHIPMENT_STATUS_LABELS[s.status]}
                </Badge>
                {s.kind !== 'ship' ? (
                  <Badge variant="outline" size="sm" color="gray">
                    {KIND_LABELS[s.kind]}
                  </Badge>
                ) : null}
              </Group>
            </Table.Td>
            <Table.Td>
              {s.carrier ? (
                <Text size="sm">
                  {s.carrier}
                  {s.service ? ` ${s.service}` : ''}
                </Text>
              ) : null}
              {s.trackingNumber ? (
                <Text size="xs" ff="monospace">
                  {s.trackingNumber}
                </Text>
              ) : null}
            </Table.Td>
            <Table.Td>
              <Group gap={6} wrap="nowrap">
                <Text size="sm">{formatDue(s.due)}</Text>
                <LateBadge late={s.late} />
              </Group>
            </Table.Td>
            {action ? <Table.Td ta="right">{action(s)}</Table.Td> : null}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function useSelection() {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = (key: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  return { selected, toggle, clear: () => setSelected(new Set()) };
}

function ReadyToPick({ queues: q }: { queues: WorkQueuesDto }) {
  const { selected, toggle, clear } = useSelection();
  const [oldest, setOldest] = useState('10');
  const create = useCreatePickList();
  const navigate = useNavigate();
  const chosen = q.readyToPick.filter((o) => selected.has(o.orderNumber)).map((o) => o.orderNumber);

  const submit = (orders: string[], maxOrders: number) =>
    create.mutate(
      { location: q.location, orders, maxOrders },
      {
        onSuccess: (list) => {
          clear();
          notifications.show({
            color: 'green',
            message: `Pick list ${list.number}: ${list.shipments.length} shipment(s), ${list.rows.length} row(s)`,
          });
          void navigate({ to: '/fulfilment/pick-lists/$number', params: { number: list.number } });
        },
      },
    );
  const oldestN = Number.parseInt(oldest, 10);

  return (
    <Stack gap="sm">
      <Group gap="sm" align="flex-end">
        <Button disabled={chosen.length === 0} loading={create.isPending} onClick={() => submit(chosen, chosen.length)}>
          Create pick list{chosen.length ? ` (${chosen.length})` : ''}
        </Button>
        <Text c="dimmed" size="sm" pb={8}>
          or
        </Text>
        <TextInput
          label="Oldest"
          w={80}
          value={oldest}
          inputMode="numeric"
          onChange={(e) => setOldest(e.currentTarget.value.replace(/\D/g, ''))}
        />
        <Button
          variant="light"
          disabled={q.readyToPick.length === 0 || !(oldestN > 0)}
          loading={create.isPending}
          onClick={() => submit([], oldestN)}
        >
          Pick oldest {oldestN > 0 ? oldestN : ''}
        </Button>
      </Group>
      {create.error ? <ErrorCard error={create.error} /> : null}
      {q.readyToPick.length === 0 ? (
        <Empty>No orders are waiting to be picked here.</Empty>
      ) : (
        <OrderTable rows={q.readyToPick} selected={selected} onToggle={toggle} />
      )}
    </Stack>
  );
}

/** A dropship location picks nothing: each order gets a purchase order sent to the supplier. */
function DropshipOrders({ queues: q }: { queues: WorkQueuesDto }) {
  const send = useSendPurchaseOrder();
  const [sending, setSending] = useState<string | null>(null);
  if (q.readyToPick.length === 0) return <Empty>No orders are waiting for a purchase order.</Empty>;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {q.locationName} ships from the supplier: send each order as a purchase order; it then waits for the
        supplier&apos;s tracking number.
      </Text>
      {send.error ? <ErrorCard error={send.error} /> : null}
      <OrderTable
        rows={q.readyToPick}
        action={(o) => (
          <Button
            size="xs"
            loading={send.isPending && sending === o.orderNumber}
            onClick={() => {
              setSending(o.orderNumber);
              send.mutate(
                { location: q.location, order: o.orderNumber },
                {
                  onSuccess: (s) =>
                    notifications.show({
                      color: 'green',
                      message: `Purchase order ${s.number} sent to ${s.locationName}`,
                    }),
                },
              );
            }}
          >
            Send purchase order
          </Button>
        )}
      />
    </Stack>
  );
}

function WaitingForSupplier({ rows }: { rows: QueueShipmentDto[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack gap="sm">
      <ShipmentTable
        rows={rows}
        empty="No purchase order is waiting for the supplier."
        action={(s) => (
          <Button size="xs" variant="light" onClick={() => setOpen(open === s.number ? null : s.number)}>
            Supplier shipped…
          </Button>
        )}
      />
      {open ? <SupplierShipped key={open} shipment={open} onDone={() => setOpen(null)} /> : null}
    </Stack>
  );
}

function SupplierShipped({ shipment, onDone }: { shipment: string; onDone: () => void }) {
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const shipped = useDropshipShipped();
  const error = shipped.error ? toAppError(shipped.error) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    shipped.mutate(
      { shipment, carrier, tracking },
      {
        onSuccess: (s) => {
          notifications.show({ color: 'green', message: `${s.number} shipped by the supplier` });
          onDone();
        },
      },
    );
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label={`Supplier shipped ${shipment}`}>
      <Title order={3} size="h5" mb="xs">
        {shipment}: the supplier&apos;s shipment
      </Title>
      <Group align="flex-start">
        <TextInput
          label="Carrier"
          autoFocus
          value={carrier}
          onChange={(e) => setCarrier(e.currentTarget.value)}
          error={error?.field === 'carrier' ? error.message : undefined}
        />
        <TextInput
          label="Tracking number"
          value={tracking}
          onChange={(e) => setTracking(e.currentTarget.value)}
          error={error?.field === 'tracking' ? error.message : undefined}
          w={280}
        />
        <Button type="submit" mt={24} loading={shipped.isPending}>
          Save
        </Button>
      </Group>
      {error && error.field !== 'carrier' && error.field !== 'tracking' ? <ErrorCard error={error} /> : null}
    </Card>
  );
}

/** Labelled parcels leave with the driver: tick them (or scan each parcel) and confirm. */
function WaitingForCarrier({ rows }: { rows: QueueShipmentDto[] }) {
  const { selected, toggle, clear } = useSelection();
  const hand = useHandToCarrier();
  const [code, setCode] = useState('');
  const [scanMessage, setScanMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const chosen = rows.filter((r) => selected.has(r.number)).map((r) => r.number);

  const scan = async (e: FormEvent) => {
    e.preventDefault();
    const text = code.trim();
    if (!text) return;
    setCode('');
    try {
      const s = await fulfilmentCommands.getShipment(text);
      if (!rows.some((r) => r.number === s.number)) {
        setScanMessage({
          ok: false,
          text: `${s.number} is ${SHIPMENT_STATUS_LABELS[s.status].toLowerCase()}: it is not waiting for the carrier here`,
        });
      } else {
        toggle(s.number, true);
        setScanMessage({ ok: true, text: `${s.number} ✓ (${s.customerName ?? s.orderNumber})` });
      }
    } catch (err) {
      setScanMessage({ ok: false, text: toAppError(err).message });
    }
    scanRef.current?.focus();
  };

  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm">
        <form onSubmit={(e) => void scan(e)}>
          <TextInput
            ref={scanRef}
            label="Scan parcels as the driver takes them"
            placeholder="Tracking or shipment number, then Enter"
            leftSection={<ScanBarcode size={16} />}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            w={360}
          />
        </form>
        <Button
          leftSection={<Truck size={16} />}
          disabled={chosen.length === 0}
          loading={hand.isPending}
          onClick={() =>
            hand.mutate(chosen, {
              onSuccess: (done) => {
                clear();
                setScanMessage(null);
                notifications.show({ color: 'green', message: `${done.length} shipment(s) handed to the carrier` });
              },
            })
          }
        >
          Handed to carrier{chosen.length ? ` (${chosen.length})` : ''}
        </Button>
      </Group>
      {scanMessage ? (
        <Alert color={scanMessage.ok ? 'green' : 'red'} variant={scanMessage.ok ? 'light' : 'filled'} role="status">
          <Text fw={700}>{scanMessage.text}</Text>
        </Alert>
      ) : null}
      {hand.error ? <ErrorCard error={hand.error} /> : null}
      <ShipmentTable
        rows={rows}
        selected={selected}
        onToggle={toggle}
        empty="No labelled parcels are waiting for the carrier."
        action={(s) => <OpenButton number={s.number} label="Open" />}
      />
    </Stack>
  );
}

function RecentPickLists({ location }: { location: string }) {
  const recent = useRecentPickLists(location);
  if (!recent.data || recent.data.length === 0) return null;
  return (
    <Card withBorder>
      <Text fw={600} size="sm" mb={4}>
        Recent pick lists
      </Text>
      <Group gap="xs">
        {recent.data.map((n) => (
          <Anchor
            key={n}
            renderRoot={(props) => <Link {...props} to="/fulfilment/pick-lists/$number" params={{ number: n }} />}
          >
            {n}
          </Anchor>
        ))}
      </Group>
    </Card>
  );
}

/** Scan or type a shipment (or tracking) number and Enter: opens that shipment. */
function OpenShipment() {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const navigate = useNavigate();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    try {
      const s = await fulfilmentCommands.getShipment(text.trim());
      setError(null);
      setText('');
      void navigate({ to: '/fulfilment/shipments/$number', params: { number: s.number } });
    } catch (err) {
      setError(toAppError(err).message);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <TextInput
        aria-label="Open shipment"
        placeholder="Scan a shipment or tracking number"
        leftSection={<ScanBarcode size={16} />}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        error={error}
        w={300}
      />
    </form>
  );
}

/** A carrier's CSV export, read in the browser and applied by the core; the result per line. */
function ImportTracking() {
  const input = useRef<HTMLInputElement>(null);
  const importer = useImportTracking();
  const [result, setResult] = useState<TrackingImportDto | null>(null);
  const [name, setName] = useState('');

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setName(file.name);
    setResult(null);
    const text = await file.text();
    importer.mutate(text, { onSuccess: setResult });
    if (input.current) input.current.value = '';
  };

  const summary = useMemo(() => {
    if (!result) return null;
    return `${result.applied} event(s) applied, ${result.duplicates} duplicate(s) skipped, ${result.errors.length} error(s)`;
  }, [result]);

  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        aria-label="Carrier file (CSV)"
        style={{ display: 'none' }}
        onChange={(e) => void pick(e.currentTarget.files?.[0])}
      />
      <Button
        variant="light"
        leftSection={<FileUp size={16} />}
        loading={importer.isPending}
        onClick={() => input.current?.click()}
      >
        Import carrier file (CSV)
      </Button>
      {result || importer.error ? (
        <ImportResult
          name={name}
          summary={summary}
          result={result}
          error={importer.error}
          onClose={() => {
            setResult(null);
            importer.reset();
          }}
        />
      ) : null}
    </>
  );
}

function ImportResult({
  name,
  summary,
  result,
  error,
  onClose,
}: {
  name: string;
  summary: string | null;
  result: TrackingImportDto | null;
  error: unknown;
  onClose: () => void;
}) {
  return (
    <Alert
      pos="fixed"
      top={12}
      right={12}
      w={460}
      style={{ zIndex: 300 }}
      withCloseButton
      onClose={onClose}
      color={error || (result && result.errors.length) ? 'orange' : 'green'}
      title={`Carrier file ${name}`}
      aria-label="Import result"
    >
      {error ? <Text size="sm">{toAppError(error).message}</Text> : null}
      {summary ? (
        <Text size="sm" fw={600}>
          {summary}
        </Text>
      ) : null}
      {result && result.errors.length ? (
        <Stack gap={2} mt={4} mah={200} style={{ overflow: 'auto' }}>
          {result.errors.map((e) => (
            <Text size="xs" key={e} ff="monospace">
              {e}
            </Text>
          ))}
        </Stack>
      ) : null}
    </Alert>
  );
}
