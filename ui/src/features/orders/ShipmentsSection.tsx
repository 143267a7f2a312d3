/**
 * The order's shipments as the core keeps them: where each leaves from, its status, carrier and
 * service, the tracking number (with the carrier's page to copy), the parcels, the lines and the
 * tracking timeline. Nothing here is worked out: it shows what `order_shipments` returns, and asks
 * again whenever the order changes.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Center,
  CopyButton,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
  Tooltip,
} from '@mantine/core';
import { Check, Copy, Link2 } from 'lucide-react';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import type { PackageDto } from '../../bindings/PackageDto';
import type { ShipmentDto } from '../../bindings/ShipmentDto';
import type { ShipmentKindDto } from '../../bindings/ShipmentKindDto';
import type { ShipmentStatusDto } from '../../bindings/ShipmentStatusDto';
import type { TrackingKindDto } from '../../bindings/TrackingKindDto';
import { ErrorCard } from '../../components/ErrorCard';
import { formatDate, formatDateTime } from '../../lib/dates';
import { useOrderShipments } from './api';

const STATUS: Record<ShipmentStatusDto, { label: string; color: string }> = {
  picking: { label: 'Picking', color: 'indigo' },
  packed: { label: 'Packed', color: 'blue' },
  labelled: { label: 'Waiting for carrier', color: 'cyan' },
  po_sent: { label: 'PO sent to supplier', color: 'grape' },
  shipped: { label: 'Shipped', color: 'teal' },
  in_transit: { label: 'In transit', color: 'teal' },
  out_for_delivery: { label: 'Out for delivery', color: 'lime' },
  delivered: { label: 'Delivered', color: 'green' },
  exception: { label: 'Exception', color: 'red' },
  ready_for_pickup: { label: 'Ready for pick-up', color: 'yellow' },
  collected: { label: 'Collected', color: 'green' },
  released: { label: 'Released (not collected)', color: 'gray' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

const KIND: Record<ShipmentKindDto, string> = {
  ship: 'Ship',
  pickup: 'Pick-up',
  dropship: 'Dropship',
};

const TRACKING_COLOR: Record<TrackingKindDto, string> = {
  label_created: 'gray',
  picked_up: 'blue',
  in_transit: 'blue',
  out_for_delivery: 'lime',
  delivered: 'green',
  exception: 'red',
};

export function ShipmentStatusBadge({ status, size = 'sm' }: { status: ShipmentStatusDto; size?: 'sm' | 'md' }) {
  const s = STATUS[status];
  return (
    <Badge color={s.color} variant="light" size={size} radius="sm">
      {s.label}
    </Badge>
  );
}

const kg = (grams: number) =>
  `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 }).format(grams / 1000)} kg`;
const cm = (mm: number) => new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(mm / 10);
const size = (p: PackageDto) => `${cm(p.lengthMm)} × ${cm(p.widthMm)} × ${cm(p.heightMm)} cm`;

export function ShipmentsSection({ order }: { order: OrderDetailDto }) {
  const shipments = useOrderShipments(order);
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-label="Shipments">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          Shipments
        </Title>
        {shipments.data && shipments.data.length > 0 ? (
          <Text size="sm" c="dimmed">
            {shipments.data.length} {shipments.data.length === 1 ? 'shipment' : 'shipments'}
          </Text>
        ) : null}
      </Group>
      {shipments.isPending ? (
        <Center p="md">
          <Loader size="sm" aria-label="Loading shipments" />
        </Center>
      ) : shipments.isError ? (
        <ErrorCard error={shipments.error} onRetry={() => void shipments.refetch()} />
      ) : shipments.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No shipments yet: one is made for each location when the order is put on a pick list (or a purchase order goes
          to the supplier).
        </Text>
      ) : (
        <Stack gap="sm">
          {shipments.data.map((s) => (
            <Shipment key={s.number} shipment={s} />
          ))}
        </Stack>
      )}
    </Card>
  );
}

function Shipment({ shipment: s }: { shipment: ShipmentDto }) {
  const carrier = [s.carrier, s.service].filter(Boolean).join(' · ');
  return (
    <Card withBorder radius="sm" padding="sm" component="article" aria-label={`Shipment ${s.number}`}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <div>
          <Group gap="xs">
            <Text fw={700} ff="monospace">
              {s.number}
            </Text>
            <ShipmentStatusBadge status={s.status} />
            <Badge variant="default" size="sm" radius="sm">
              {KIND[s.kind]}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {s.kind === 'pickup' ? 'At ' : 'From '}
            {s.locationName} ({s.location}) · {s.units} {s.units === 1 ? 'unit' : 'units'}
            {s.pickList ? ` · pick list ${s.pickList}` : ''}
          </Text>
        </div>
        <Stack gap={0} align="flex-end">
          {carrier ? <Text size="sm">{carrier}</Text> : null}
          {s.trackingNumber ? <TrackingNumber number={s.trackingNumber} url={s.trackingUrl} /> : null}
        </Stack>
      </Group>

      <Dates shipment={s} />

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" mt="xs">
        <Stack gap="xs">
          <Table fz="sm" verticalSpacing={2} aria-label={`Lines of ${s.number}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>SKU</Table.Th>
                <Table.Th>Item</Table.Th>
                <Table.Th ta="right">Qty</Table.Th>
                <Table.Th ta="right">Packed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.lines.map((l) => (
                <Table.Tr key={`${l.lineNo}-${l.sku}`}>
                  <Table.Td ff="monospace">{l.sku}</Table.Td>
                  <Table.Td>{l.name}</Table.Td>
                  <Table.Td ta="right">{l.qty}</Table.Td>
                  <Table.Td ta="right" c={l.packed < l.qty ? 'dimmed' : undefined}>
                    {l.packed}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {s.packages.length > 0 ? (
            <Table fz="sm" verticalSpacing={2} aria-label={`Packages of ${s.number}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Parcel</Table.Th>
                  <Table.Th ta="right">Weight</Table.Th>
                  <Table.Th>Size (L × W × H)</Table.Th>
                  <Table.Th>Tracking</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.packages.map((p) => (
                  <Table.Tr key={p.seq}>
                    <Table.Td>#{p.seq}</Table.Td>
                    <Table.Td ta="right">{kg(p.weightGrams)}</Table.Td>
                    <Table.Td>{size(p)}</Table.Td>
                    <Table.Td ff="monospace">{p.trackingNumber ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </Stack>
        <div>
          <Text size="sm" fw={600} mb={4}>
            Tracking
          </Text>
          {s.tracking.length === 0 ? (
            <Text size="sm" c="dimmed">
              No tracking events yet.
            </Text>
          ) : (
            <Timeline
              bulletSize={12}
              lineWidth={2}
              active={s.tracking.length - 1}
              aria-label={`Tracking of ${s.number}`}
            >
              {s.tracking.map((e, i) => (
                <Timeline.Item
                  key={`${e.at}-${i}`}
                  color={TRACKING_COLOR[e.kind]}
                  title={
                    <Text size="sm" fw={600} c={e.kind === 'exception' ? 'red' : undefined}>
                      {e.label}
                    </Text>
                  }
                >
                  <Text size="xs" c="dimmed">
                    {formatDateTime(e.at)}
                    {e.place ? ` · ${e.place}` : ''}
                  </Text>
                  {e.note ? <Text size="xs">{e.note}</Text> : null}
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </div>
      </SimpleGrid>
    </Card>
  );
}

function Dates({ shipment: s }: { shipment: ShipmentDto }) {
  const parts = [
    s.promisedBy ? `Promised by ${formatDate(s.promisedBy)}` : null,
    s.packedAt ? `Packed ${formatDateTime(s.packedAt)}` : null,
    s.readyAt && s.kind === 'pickup' ? `Ready ${formatDateTime(s.readyAt)}` : null,
    // A pick-up leaves the store when the customer collects it.
    s.shippedAt ? `${s.kind === 'pickup' ? 'Collected' : 'Shipped'} ${formatDateTime(s.shippedAt)}` : null,
    s.deliveredAt ? `Delivered ${formatDateTime(s.deliveredAt)}` : null,
  ].filter(Boolean);
  if (parts.length === 0) return null;
  return (
    <Text size="xs" c="dimmed">
      {parts.join(' · ')}
    </Text>
  );
}

/** The tracking number, to copy; the carrier's page is copied too (this app opens no browser). */
function TrackingNumber({ number, url }: { number: string; url: string | null }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="sm" ff="monospace" fw={600} data-testid="tracking-number" title={url ?? undefined}>
        {number}
      </Text>
      <CopyButton value={number}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy tracking number'}>
            <ActionIcon variant="subtle" size="sm" aria-label={`Copy tracking number ${number}`} onClick={copy}>
              {copied ? <Check size={14} /> : <Copy size={14} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
      {url ? (
        <CopyButton value={url}>
          {({ copied, copy }) => (
            <Tooltip label={url}>
              <Button
                variant="subtle"
                size="compact-xs"
                leftSection={copied ? <Check size={14} /> : <Link2 size={14} />}
                aria-label={`Copy the carrier's tracking page for ${number}`}
                data-url={url}
                onClick={copy}
              >
                {copied ? 'Link copied' : 'Copy tracking link'}
              </Button>
            </Tooltip>
          )}
        </CopyButton>
      ) : null}
    </Group>
  );
}
