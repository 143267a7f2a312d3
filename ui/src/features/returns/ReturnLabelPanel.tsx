/**
 * The return label of a ship-back return (before the goods arrive): carrier, service, the tracking
 * number checked live by the core (`check_tracking`) or a generated local number, the parcel weight and
 * the optional cost → `return_label`. Then the label prints like outbound labels (PDF or ZPL, as the
 * desk is set up) and the core e-mails it to the customer.
 */
import { Button, Card, Checkbox, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Printer, Tag } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { ReturnDto } from '../../bindings/ReturnDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { toAppError } from '../../lib/ipc';
import { parseOptionalMoney } from '../../lib/money';
import { useShopCurrency } from '../../lib/queries';
import { useReturnLabel } from './api';
import { PrintedNote, TrackingCheck, usePrint } from '../../components/Printing';

export function ReturnLabelPanel({ ret }: { ret: ReturnDto }) {
  const currency = useShopCurrency();
  const label = useReturnLabel();
  const print = usePrint();
  const [carrier, setCarrier] = useState(ret.label?.carrier ?? '');
  const [service, setService] = useState(ret.label?.service ?? '');
  const [tracking, setTracking] = useState('');
  const [local, setLocal] = useState(false);
  const [weight, setWeight] = useState<number | string>(500);
  const [cost, setCost] = useState('');
  const [costError, setCostError] = useState<string | null>(null);
  const error = label.error ? toAppError(label.error) : null;
  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  const placed = ['carrier', 'service', 'trackingNumber', 'weightGrams', 'cost'].includes(error?.field ?? '');
  // One label per return: once made, it is printed (and re-printed), not made again here.
  const canMake = ret.label === null && ret.status === 'authorized';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseOptionalMoney(cost, currency);
    if (!parsed.ok) {
      setCostError(parsed.error);
      return;
    }
    setCostError(null);
    label.mutate(
      {
        ret: ret.number,
        carrier: carrier.trim(),
        service: service.trim(),
        trackingNumber: local ? null : tracking.trim() || null,
        generateLocal: local,
        cost: parsed.value === null ? null : { amount: parsed.value, currency },
        weightGrams: typeof weight === 'number' ? weight : 0,
      },
      {
        onSuccess: (r) =>
          notifications.show({
            color: 'green',
            message: `Return label saved for ${r.number}: ${r.label?.carrier ?? ''} ${r.label?.trackingNumber ?? ''}`,
          }),
      },
    );
  };

  return (
    <Card withBorder aria-label="Return label">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Return label
        </Title>
        {ret.label ? (
          <Button
            leftSection={<Printer size={16} />}
            loading={print.isPending}
            onClick={() => print.run('return_label', ret.number)}
          >
            Print label
          </Button>
        ) : null}
      </Group>
      <PrintedNote print={print} />
      {ret.label ? (
        <Stack gap={2} mb="sm" data-testid="return-label-info">
          <Text size="sm">
            {ret.label.carrier} {ret.label.service} ·{' '}
            <Text span ff="monospace" fw={700}>
              {ret.label.trackingNumber}
            </Text>
          </Text>
          {ret.label.cost ? (
            <Text size="sm" c="dimmed">
              Cost <Money value={ret.label.cost} />
            </Text>
          ) : null}
        </Stack>
      ) : null}
      {canMake ? (
        <form onSubmit={submit}>
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Carrier"
                placeholder="UPS, USPS, Local delivery…"
                value={carrier}
                onChange={(e) => setCarrier(e.currentTarget.value)}
                error={fieldError('carrier')}
              />
              <TextInput
                label="Service"
                placeholder="Ground, Returns…"
                value={service}
                onChange={(e) => setService(e.currentTarget.value)}
                error={fieldError('service')}
              />
            </SimpleGrid>
            <Checkbox
              label="Generate local number"
              checked={local}
              onChange={(e) => setLocal(e.currentTarget.checked)}
            />
            {local ? null : (
              <Stack gap={4}>
                <TextInput
                  label="Tracking number"
                  placeholder="Scan or type the carrier's tracking number"
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                  value={tracking}
                  onChange={(e) => setTracking(e.currentTarget.value)}
                  error={fieldError('trackingNumber')}
                />
                <TrackingCheck number={tracking} onCarrier={(name) => setCarrier((c) => (c.trim() ? c : name))} />
              </Stack>
            )}
            <SimpleGrid cols={2}>
              <NumberInput
                label="Weight (g)"
                min={1}
                allowDecimal={false}
                value={weight}
                onChange={setWeight}
                error={fieldError('weightGrams')}
              />
              <TextInput
                label={`Cost (${currency})`}
                description="Optional"
                inputMode="decimal"
                value={cost}
                onChange={(e) => setCost(e.currentTarget.value)}
                error={costError ?? fieldError('cost')}
              />
            </SimpleGrid>
            {error && !placed ? <ErrorCard error={error} /> : null}
            <Group justify="flex-end">
              <Button type="submit" leftSection={<Tag size={16} />} loading={label.isPending}>
                Save return label
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Card>
  );
}
