/**
 * The label panel of a packed shipment: carrier and service, the tracking number (one for all parcels,
 * one per parcel, or a generated local-delivery number), each checked live by the core's check digit
 * (`check_tracking`) as it is typed or scanned, and the optional cost. "Save label" sends it all to
 * `label_shipment`; then the labels and the packing slip can be printed.
 */
import { Alert, Button, Card, Group, Radio, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { Tag } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { ShipmentDto } from '../../bindings/ShipmentDto';
import { ErrorCard } from '../../components/ErrorCard';
import { toAppError } from '../../lib/ipc';
import { currencyExponent, formatMoneyDto, minorToDecimalString, parseOptionalMoney } from '../../lib/money';
import { useShopCurrency } from '../../lib/queries';
import { fulfilmentCommands, fulfilmentKeys, useLabelShipment } from './api';
import { formatKg } from './format';
import { TrackingCheck } from '../../components/Printing';

type Mode = 'one' | 'each' | 'local';

/** Rate shopping from the carriers' rate cards: the service to use and the alternatives, each a click away. */
function Quotes({
  shipment,
  onPick,
}: {
  shipment: string;
  onPick: (carrier: string, service: string, cost: string) => void;
}) {
  const quotes = useQuery({
    queryKey: [...fulfilmentKeys.shipment(shipment), 'quotes'],
    queryFn: () => fulfilmentCommands.shipmentQuotes(shipment),
  });
  if (quotes.isPending) return <Text size="sm">Asking the rate cards…</Text>;
  if (quotes.error) return <ErrorCard error={quotes.error} />;
  const r = quotes.data;
  if (!r.quotes.length)
    return (
      <Text size="sm" c="dimmed" data-testid="quotes">
        No rate card covers this parcel ({r.summary || 'add carriers under Carriers & rates'}).
      </Text>
    );
  const decimal = (m: { amount: number; currency: string }) =>
    minorToDecimalString(m.amount, currencyExponent(m.currency));
  return (
    <Card withBorder padding="xs" data-testid="quotes">
      <Text size="sm" fw={600} mb={4}>
        {r.summary}
      </Text>
      <Table verticalSpacing={2}>
        <Table.Tbody>
          {r.quotes.map((q) => {
            const chosen = r.chosen?.carrier === q.carrier && r.chosen?.service === q.service;
            return (
              <Table.Tr key={`${q.carrier}/${q.service}`} fw={chosen ? 700 : undefined}>
                <Table.Td>
                  {q.carrierName} {q.serviceName}
                  {chosen ? ' (use this)' : ''}
                </Table.Td>
                <Table.Td>{formatMoneyDto(q.total)}</Table.Td>
                <Table.Td>
                  delivered {q.deliveryDate}
                  {q.meetsPromise ? '' : ' — late for the promise'}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant={chosen ? 'filled' : 'default'}
                    onClick={() => onPick(q.carrierName, q.serviceName, decimal(q.total))}
                  >
                    Use
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

export function LabelPanel({ shipment: s }: { shipment: ShipmentDto }) {
  const currency = useShopCurrency();
  const label = useLabelShipment();
  const [carrier, setCarrier] = useState(s.carrier ?? '');
  const [service, setService] = useState(s.service ?? '');
  const [mode, setMode] = useState<Mode>('one');
  const [one, setOne] = useState('');
  const [each, setEach] = useState<string[]>(() => s.packages.map(() => ''));
  const [cost, setCost] = useState('');
  const [costError, setCostError] = useState<string | null>(null);
  const error = label.error ? toAppError(label.error) : null;
  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  const trackingError = (i: number | null) =>
    error?.field === 'trackingNumbers' || (i !== null && error?.field === `trackingNumbers[${i}]`)
      ? error.message
      : undefined;
  const placed =
    ['carrier', 'service', 'cost'].includes(error?.field ?? '') || error?.field?.startsWith('trackingNumbers');

  const fillCarrier = (name: string) => setCarrier((c) => (c.trim() ? c : name));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseOptionalMoney(cost, currency);
    if (!parsed.ok) {
      setCostError(parsed.error);
      return;
    }
    setCostError(null);
    const trackingNumbers =
      mode === 'local' ? [] : mode === 'one' ? (one.trim() ? [one.trim()] : []) : each.map((t) => t.trim());
    label.mutate(
      {
        shipment: s.number,
        carrier,
        service,
        trackingNumbers,
        generateLocal: mode === 'local',
        cost: parsed.value,
      },
      {
        onSuccess: (done) =>
          notifications.show({
            color: 'green',
            message: `Label saved for ${done.number}: ${done.carrier} ${done.service}, ${done.trackingNumber ?? ''}`,
          }),
      },
    );
  };

  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Label">
      <Title order={3} size="h4" mb="sm">
        Label and ship
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {s.packages.length} parcel(s), {formatKg(s.packages.reduce((g, p) => g + p.weightGrams, 0))}
      </Text>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label="Carrier"
            placeholder="UPS, USPS, FedEx, Local delivery…"
            value={carrier}
            onChange={(e) => setCarrier(e.currentTarget.value)}
            error={fieldError('carrier')}
          />
          <TextInput
            label="Service"
            placeholder="Ground, Priority…"
            value={service}
            onChange={(e) => setService(e.currentTarget.value)}
            error={fieldError('service')}
          />
          <TextInput
            label={`Cost (${currency})`}
            description="Optional: what the carrier charges"
            inputMode="decimal"
            value={cost}
            onChange={(e) => setCost(e.currentTarget.value)}
            error={costError ?? fieldError('cost')}
          />
        </SimpleGrid>

        <Quotes
          shipment={s.number}
          onPick={(carrierName, serviceName, total) => {
            setCarrier(carrierName);
            setService(serviceName);
            setCost(total);
          }}
        />

        <Radio.Group label="Tracking" value={mode} onChange={(v) => setMode(v as Mode)}>
          <Group mt={4}>
            <Radio value="one" label={s.packages.length > 1 ? 'One for all parcels' : 'From the carrier’s label'} />
            {s.packages.length > 1 ? <Radio value="each" label="One per parcel" /> : null}
            <Radio value="local" label="Generate local delivery number" />
          </Group>
        </Radio.Group>
        {mode === 'one' ? (
          <Stack gap={4}>
            <TextInput
              label="Tracking number"
              placeholder="Scan or type the carrier's tracking number"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              w={420}
              value={one}
              onChange={(e) => setOne(e.currentTarget.value)}
              error={trackingError(0)}
              autoFocus
            />
            <TrackingCheck number={one} onCarrier={fillCarrier} />
          </Stack>
        ) : mode === 'each' ? (
          <Stack gap="xs">
            {s.packages.map((p, i) => (
              <Stack gap={2} key={p.seq}>
                <TextInput
                  label={`Parcel ${p.seq} tracking number`}
                  w={420}
                  value={each[i] ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setEach((prev) => prev.map((t, j) => (j === i ? v : t)));
                  }}
                  error={trackingError(i)}
                />
                <TrackingCheck number={each[i] ?? ''} onCarrier={fillCarrier} />
              </Stack>
            ))}
          </Stack>
        ) : (
          <Alert color="blue" variant="light">
            Orderly numbers the parcels for your own delivery (LD…), with a check digit the scanner can verify.
          </Alert>
        )}

        {error && !placed ? <ErrorCard error={error} /> : null}
        <Group justify="flex-end">
          <Button type="submit" leftSection={<Tag size={16} />} loading={label.isPending}>
            Save label
          </Button>
        </Group>
        <Text size="xs" c="dimmed" ta="right">
          Then print the labels ({s.packages.length}) and the packing slip from the buttons at the top.
        </Text>
      </Stack>
    </Card>
  );
}
