/**
 * Pick-up hand-over at the counter: the customer shows the order's barcode (or says the number),
 * the clerk scans it and sees what is ready for them at this store and what is not; the clerk asks
 * the customer's name and types it (or confirms the name on the order), and the core checks it and
 * hands the goods over. Everything shown and every refusal comes from the core; the panel only asks.
 *
 * Keyboard only: the scan box has the focus; after a scan the focus moves to the name; Enter hands
 * over, Esc starts again; after a hand-over the focus is back in the scan box for the next customer.
 */
import { Alert, Badge, Button, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { CheckCircle2, PackageCheck, ScanBarcode, UserCheck, XCircle } from 'lucide-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import type { PickupHandoverDto } from '../../bindings/PickupHandoverDto';
import { ShortcutHint } from '../../components/ShortcutHint';
import { STATUS_LABELS } from '../../components/StatusBadge';
import { toAppError, type AppError } from '../../lib/ipc';
import { useLocations } from '../../lib/queries';
import { useHandOver, usePickupLookup } from './api';

export function HandoverPanel() {
  const lookup = usePickupLookup();
  const handOver = useHandOver();
  const locations = useLocations();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [found, setFound] = useState<PickupHandoverDto | null>(null);
  const [scanError, setScanError] = useState<AppError | null>(null);
  const [nameError, setNameError] = useState<AppError | null>(null);
  const [done, setDone] = useState<OrderDetailDto | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    scanRef.current?.focus();
  }, []);

  // A pick-up with something ready: the name comes next (once its field is on screen).
  useEffect(() => {
    if (found && found.ready.length > 0) nameRef.current?.focus();
  }, [found]);

  const reset = () => {
    setFound(null);
    setName('');
    setNameError(null);
    setScanError(null);
    setCode('');
    lookup.reset();
    handOver.reset();
    scanRef.current?.focus();
  };

  const onScanKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      reset();
      return;
    }
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const scanned = code.trim();
    if (!scanned) return;
    setDone(null);
    setFound(null);
    setName('');
    setNameError(null);
    setScanError(null);
    lookup.mutate(scanned, {
      onSuccess: (h) => {
        setFound(h);
        setCode(h.orderNumber);
        // With nothing ready there is nothing to hand over: the next scan replaces this one.
        if (h.ready.length === 0) scanRef.current?.select();
      },
      onError: (reason) => {
        setScanError(toAppError(reason));
        // Selected, so the next scan replaces it.
        scanRef.current?.select();
      },
    });
  };

  const submit = (given: string) => {
    if (!found) return;
    setNameError(null);
    handOver.mutate(
      { code: found.orderNumber, name: given },
      {
        onSuccess: (order) => {
          setDone(order);
          setFound(null);
          setName('');
          setCode('');
          lookup.reset();
          scanRef.current?.focus();
        },
        onError: (reason) => {
          setNameError(toAppError(reason));
          nameRef.current?.select();
        },
      },
    );
  };

  const onNameKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      reset();
      return;
    }
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (name.trim()) submit(name.trim());
  };

  const storeName = (code: string) => {
    const l = locations.data?.find((x) => x.code === code);
    return l ? `${l.name} (${l.code})` : code;
  };
  const onOrder = found?.customerName ?? null;
  // The core's name error belongs to the name; any other refusal is shown for the whole hand-over.
  const nameMismatch = nameError?.field === 'name' ? nameError : null;
  const otherError = nameError && !nameMismatch ? nameError : null;

  return (
    <Stack gap="md" aria-label="Pick-up hand-over" component="section">
      {done ? <HandedOver order={done} /> : null}

      <div>
        <TextInput
          ref={scanRef}
          size="xl"
          autoComplete="off"
          spellCheck={false}
          label="Order to hand over"
          aria-label="Scan the order barcode or type the order number"
          placeholder="Scan the order barcode or type SO-…"
          leftSection={<ScanBarcode size={24} />}
          value={code}
          onChange={(e) => {
            setCode(e.currentTarget.value);
            if (scanError) setScanError(null);
          }}
          onKeyDown={onScanKeyDown}
          error={scanError ? true : undefined}
          aria-describedby={scanError ? 'handover-scan-error' : undefined}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        {scanError ? (
          <Alert
            id="handover-scan-error"
            role="alert"
            color="red"
            variant="filled"
            mt="xs"
            icon={<XCircle size={28} />}
            title={
              <Text fw={700} size="lg">
                Cannot hand over {code.trim() || 'this'}
              </Text>
            }
          >
            <Text size="lg">{scanError.message}</Text>
          </Alert>
        ) : null}
        {lookup.isPending ? (
          <Text size="sm" c="dimmed" mt="xs">
            Looking up the order…
          </Text>
        ) : null}
      </div>

      {found ? (
        <Card withBorder radius="md" padding="lg" aria-label={`Pick-up ${found.orderNumber}`} component="section">
          <Stack gap="md">
            <Group justify="space-between" align="flex-start">
              <div>
                <Text size="sm" c="dimmed">
                  Pick-up order
                </Text>
                <Text fz={30} fw={800} ff="monospace" data-testid="handover-order">
                  {found.orderNumber}
                </Text>
                <Text size="sm">At {storeName(found.store)}</Text>
              </div>
              <div style={{ textAlign: 'right' }}>
                <Text size="sm" c="dimmed">
                  Name on the order
                </Text>
                <Text fz={26} fw={700} data-testid="handover-name-on-order">
                  {onOrder ?? 'No name on the order'}
                </Text>
              </div>
            </Group>

            {found.ready.length === 0 ? (
              <Alert color="orange" variant="filled" role="alert" title={<Text fw={700}>Nothing is ready yet</Text>}>
                <Text size="md">
                  Nothing of {found.orderNumber} is ready for pick-up yet ({found.unitsNotReady} units still on their
                  way or being picked). Ask the customer to come back after the ready-for-pick-up e-mail.
                </Text>
              </Alert>
            ) : (
              <ReadyTable handover={found} />
            )}

            {found.ready.length > 0 && found.unitsNotReady > 0 ? (
              <Alert color="orange" variant="light" role="note" title="Not everything is ready">
                <Text size="sm" data-testid="handover-not-ready">
                  {found.unitsNotReady} {found.unitsNotReady === 1 ? 'unit is' : 'units are'} not ready yet: only what
                  is listed above is handed over now; the rest follows.
                </Text>
              </Alert>
            ) : null}

            {found.ready.length > 0 ? (
              <Stack gap="xs">
                <Group align="flex-end" gap="sm" wrap="nowrap">
                  <TextInput
                    ref={nameRef}
                    style={{ flex: 1 }}
                    size="lg"
                    label="Name the customer gives"
                    description="Ask for the name (or an ID) and type it; it is checked against the order."
                    autoComplete="off"
                    spellCheck={false}
                    value={name}
                    onChange={(e) => {
                      setName(e.currentTarget.value);
                      if (nameError) setNameError(null);
                    }}
                    onKeyDown={onNameKeyDown}
                    error={nameMismatch ? true : undefined}
                    aria-describedby={nameMismatch ? 'handover-name-error' : undefined}
                  />
                  <Button
                    size="lg"
                    leftSection={<PackageCheck size={20} />}
                    rightSection={<ShortcutHint keys="Enter" />}
                    loading={handOver.isPending}
                    disabled={!name.trim()}
                    onClick={() => submit(name.trim())}
                  >
                    Hand over
                  </Button>
                </Group>
                {nameMismatch ? (
                  <Alert
                    id="handover-name-error"
                    role="alert"
                    color="red"
                    variant="filled"
                    icon={<XCircle size={28} />}
                    title={
                      <Text fw={700} size="lg">
                        Name does not match — do not hand over
                      </Text>
                    }
                  >
                    <Text size="lg">{nameMismatch.message}</Text>
                  </Alert>
                ) : null}
                {otherError ? (
                  <Alert role="alert" color="red" variant="filled" icon={<XCircle size={28} />}>
                    <Text size="lg">{otherError.message}</Text>
                  </Alert>
                ) : null}
                <Group gap="sm">
                  {onOrder ? (
                    <Button
                      variant="light"
                      leftSection={<UserCheck size={18} />}
                      loading={handOver.isPending}
                      onClick={() => submit(onOrder)}
                    >
                      Customer confirmed the name “{onOrder}” — hand over
                    </Button>
                  ) : null}
                  <Button variant="default" rightSection={<ShortcutHint keys="Esc" />} onClick={reset}>
                    Start over
                  </Button>
                </Group>
              </Stack>
            ) : (
              <Group>
                <Button variant="default" rightSection={<ShortcutHint keys="Esc" />} onClick={reset}>
                  Start over
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
      ) : !done && !scanError && !lookup.isPending ? (
        <Text c="dimmed" size="sm">
          Scan the barcode on the customer&apos;s ready-for-pick-up e-mail, or type the order number and press Enter.
        </Text>
      ) : null}
    </Stack>
  );
}

function ReadyTable({ handover }: { handover: PickupHandoverDto }) {
  const rows = handover.ready.flatMap((s) => s.lines.map((l) => ({ shipment: s.number, ...l })));
  const units = rows.reduce((sum, r) => sum + r.qty, 0);
  return (
    <div>
      <Group gap="xs" mb={4}>
        <Title order={4} size="h5">
          Ready to hand over
        </Title>
        <Badge color="teal" variant="light">
          {units} {units === 1 ? 'unit' : 'units'}
        </Badge>
      </Group>
      <Table fz="md" verticalSpacing={6} aria-label="Ready to hand over">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Shipment</Table.Th>
            <Table.Th>SKU</Table.Th>
            <Table.Th>Item</Table.Th>
            <Table.Th ta="right">Qty</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={`${r.shipment}-${r.lineNo}-${r.sku}`}>
              <Table.Td ff="monospace">{r.shipment}</Table.Td>
              <Table.Td ff="monospace" fw={600}>
                {r.sku}
              </Table.Td>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td ta="right" fw={700}>
                {r.qty}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function HandedOver({ order }: { order: OrderDetailDto }) {
  return (
    <Alert color="green" variant="light" icon={<CheckCircle2 size={28} />} role="status" aria-live="polite">
      <Text fz={24} fw={800} data-testid="handover-done">
        Handed over {order.number} — order {STATUS_LABELS[order.status].toLowerCase()}
      </Text>
      <Text size="sm" c="dimmed">
        Ready for the next customer: scan the next order.
      </Text>
    </Alert>
  );
}
