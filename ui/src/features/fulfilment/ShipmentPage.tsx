/**
 * One shipment, from packing to delivery: the pack screen while it is being picked (scan box that
 * keeps the focus, lines with packed/qty and bin, parcels, finish with short-pick confirmation), the
 * label panel once packed (carrier, service, tracking numbers checked live, cost), printing, the
 * hand-over to the carrier, and its tracking timeline with a form to add an event.
 */
import { Anchor, Badge, Button, Card, Center, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { FileText, Printer, Tag, Truck } from 'lucide-react';
import type { ShipmentDto } from '../../bindings/ShipmentDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { useHandToCarrier, useShipment, useVoidLabel } from './api';
import { toAppError } from '../../lib/ipc';
import { KIND_LABELS, SHIPMENT_STATUS_COLORS, SHIPMENT_STATUS_LABELS, formatKg, mmToCmText } from './format';
import { LabelPanel } from './LabelPanel';
import { PackPanel } from './PackPanel';
import { PrintedNote, usePrint, type PrintState } from '../../components/Printing';
import { TrackingSection } from './TrackingSection';

export function ShipmentPage() {
  const { number } = useParams({ from: '/fulfilment/shipments/$number' });
  const shipment = useShipment(number);
  const print = usePrint();
  const s = shipment.data;

  return (
    <Page>
      <PageHeader
        title={
          <Group gap="xs">
            <Anchor
              renderRoot={(props) => <Link {...props} to="/fulfilment" search={s ? { loc: s.location } : {}} />}
              inherit
            >
              Fulfilment
            </Anchor>
            <span>/ {number}</span>
            {s ? (
              <Badge size="lg" variant="light" color={SHIPMENT_STATUS_COLORS[s.status]} data-testid="shipment-status">
                {SHIPMENT_STATUS_LABELS[s.status]}
              </Badge>
            ) : null}
          </Group>
        }
      >
        {s ? <PrintButtons shipment={s} print={print} /> : null}
      </PageHeader>
      <PrintedNote print={print} />
      {shipment.isError ? (
        <ErrorCard error={shipment.error} onRetry={() => void shipment.refetch()} />
      ) : !s ? (
        <Center p="xl">
          <Loader aria-label="Loading the shipment" />
        </Center>
      ) : (
        <Stack gap="md">
          <Summary shipment={s} />
          {s.status === 'picking' ? (
            <PackPanel key={s.number} shipment={s} />
          ) : (
            <>
              {s.status === 'packed' && s.kind !== 'pickup' ? <LabelPanel key={s.number} shipment={s} /> : null}
              {s.status === 'labelled' ? <WaitingForCarrier shipment={s} /> : null}
              <Contents shipment={s} />
            </>
          )}
          {s.kind !== 'pickup' && !['picking', 'packed', 'cancelled'].includes(s.status) ? (
            <TrackingSection shipment={s} />
          ) : null}
        </Stack>
      )}
    </Page>
  );
}

function PrintButtons({ shipment: s, print }: { shipment: ShipmentDto; print: PrintState }) {
  const hasLabel = s.packages.some((p) => p.trackingNumber) || Boolean(s.trackingNumber);
  return (
    <>
      {s.kind === 'dropship' ? (
        <Button
          variant="light"
          leftSection={<FileText size={16} />}
          loading={print.isPending}
          onClick={() => print.run('purchase_order', s.number)}
        >
          Print purchase order
        </Button>
      ) : null}
      {hasLabel && s.kind === 'ship' ? (
        <Button leftSection={<Tag size={16} />} loading={print.isPending} onClick={() => print.run('labels', s.number)}>
          Print labels
        </Button>
      ) : null}
      {s.kind !== 'dropship' ? (
        <Button
          variant="light"
          leftSection={<Printer size={16} />}
          loading={print.isPending}
          onClick={() => print.run('packing_slip', s.number)}
        >
          Print packing slip
        </Button>
      ) : null}
    </>
  );
}

function Summary({ shipment: s }: { shipment: ShipmentDto }) {
  const to = s.shipTo;
  return (
    <Card withBorder padding="sm">
      <Group gap="xl" align="flex-start">
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            Order
          </Text>
          <Anchor
            renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: s.orderNumber }} />}
            fw={600}
          >
            {s.orderNumber}
          </Anchor>
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            Customer
          </Text>
          <Text fw={600}>{s.customerName ?? 'Walk-in'}</Text>
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            From
          </Text>
          <Text>
            {s.locationName} ({s.location})
          </Text>
        </Stack>
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {s.kind === 'pickup' ? 'Pick-up' : 'Ship to'}
          </Text>
          {to ? (
            <Text size="sm">
              {to.name}, {to.line1}
              {to.line2 ? `, ${to.line2}` : ''}, {to.city} {to.region ?? ''} {to.postalCode} {to.country}
            </Text>
          ) : (
            <Text size="sm">{KIND_LABELS[s.kind]}</Text>
          )}
        </Stack>
        {s.promisedBy ? (
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              Promised by
            </Text>
            <Text>{s.promisedBy}</Text>
          </Stack>
        ) : null}
        {s.pickList ? (
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              Pick list
            </Text>
            <Anchor
              renderRoot={(props) => (
                <Link {...props} to="/fulfilment/pick-lists/$number" params={{ number: s.pickList }} />
              )}
            >
              {s.pickList}
            </Anchor>
          </Stack>
        ) : null}
      </Group>
    </Card>
  );
}

function WaitingForCarrier({ shipment: s }: { shipment: ShipmentDto }) {
  const hand = useHandToCarrier();
  const voiding = useVoidLabel();
  const [reason, setReason] = useState('');
  const voidError = voiding.error ? toAppError(voiding.error) : null;
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Text>
          Labelled for {s.carrier} {s.service}: waiting for the carrier.
        </Text>
        <Button
          leftSection={<Truck size={16} />}
          loading={hand.isPending}
          onClick={() =>
            hand.mutate([s.number], {
              onSuccess: () => notifications.show({ color: 'green', message: `${s.number} handed to the carrier` }),
            })
          }
        >
          Handed to carrier
        </Button>
      </Group>
      {hand.error ? <ErrorCard error={hand.error} /> : null}
      <Group mt="sm" align="flex-end">
        <TextInput
          label="Void the label"
          placeholder="Why (wrong service, damaged label…)"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={voidError?.field === 'reason' ? voidError.message : undefined}
          style={{ flex: 1 }}
        />
        <Button
          color="red"
          variant="light"
          loading={voiding.isPending}
          onClick={() =>
            voiding.mutate(
              { shipment: s.number, reason },
              {
                onSuccess: () => {
                  setReason('');
                  notifications.show({ message: `Label of ${s.number} voided: label it again` });
                },
              },
            )
          }
        >
          Void label
        </Button>
      </Group>
      {voidError && voidError.field !== 'reason' ? <ErrorCard error={voiding.error} /> : null}
    </Card>
  );
}

function Contents({ shipment: s }: { shipment: ShipmentDto }) {
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        Contents
      </Title>
      <Table verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>SKU</Table.Th>
            <Table.Th>Product</Table.Th>
            <Table.Th ta="right">Packed / qty</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {s.lines.map((l) => (
            <Table.Tr key={l.lineNo}>
              <Table.Td ff="monospace">{l.sku}</Table.Td>
              <Table.Td>{l.name}</Table.Td>
              <Table.Td ta="right">
                {l.packed} / {l.qty}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {s.packages.length ? (
        <>
          <Title order={4} size="h6" mt="sm" mb={4}>
            Parcels
          </Title>
          <Table verticalSpacing={4} aria-label="Parcels">
            <Table.Tbody>
              {s.packages.map((p) => (
                <Table.Tr key={p.seq}>
                  <Table.Td>#{p.seq}</Table.Td>
                  <Table.Td>{formatKg(p.weightGrams)}</Table.Td>
                  <Table.Td>
                    {mmToCmText(p.lengthMm)} × {mmToCmText(p.widthMm)} × {mmToCmText(p.heightMm)} cm
                  </Table.Td>
                  <Table.Td ff="monospace">{p.trackingNumber ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : null}
      <Group gap="lg" mt="xs">
        {s.packedAt ? (
          <Text size="xs" c="dimmed">
            Packed {formatDateTime(s.packedAt)}
          </Text>
        ) : null}
        {s.shippedAt ? (
          <Text size="xs" c="dimmed">
            Shipped {formatDateTime(s.shippedAt)}
          </Text>
        ) : null}
        {s.deliveredAt ? (
          <Text size="xs" c="dimmed">
            Delivered {formatDateTime(s.deliveredAt)}
          </Text>
        ) : null}
        {s.readyAt ? (
          <Text size="xs" c="dimmed">
            Ready {formatDateTime(s.readyAt)}
          </Text>
        ) : null}
        {s.trackingUrl ? (
          <Anchor size="xs" href={s.trackingUrl} target="_blank" rel="noreferrer">
            Carrier&apos;s tracking page
          </Anchor>
        ) : null}
      </Group>
    </Card>
  );
}
