/**
 * The pack screen of a shipment being picked. The scan box keeps the focus: the scanner types a code
 * and Enter, the core counts it on its line (`pack_scan`) or refuses it (wrong item, surplus) with a
 * message shown big and red at once — nothing changes then. Parcels are typed in kg and cm and sent as
 * whole grams and millimetres. "Finish packing" (Ctrl+Enter): when something is not scanned the core
 * asks for a short-pick confirmation, shown as a dialog listing the missing units.
 */
import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { CheckCircle2, PackageCheck, Plus, RotateCcw, ScanBarcode, Trash2, XCircle } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PackageInputDto } from '../../bindings/PackageInputDto';
import type { ShipmentDto } from '../../bindings/ShipmentDto';
import { ErrorCard } from '../../components/ErrorCard';
import { ShortcutHint } from '../../components/ShortcutHint';
import { toAppError } from '../../lib/ipc';
import { useFinishPacking, usePackReset, usePackScan } from './api';
import { cmToMm, kgToGrams } from './format';

type Parcel = { weight: string; length: string; width: string; height: string };
type ParcelField = keyof Parcel;
type ParcelErrors = Partial<Record<ParcelField, string>>[];

const FIELD_TO_DTO: Record<ParcelField, keyof PackageInputDto> = {
  weight: 'weightGrams',
  length: 'lengthMm',
  width: 'widthMm',
  height: 'heightMm',
};

const emptyParcel = (): Parcel => ({ weight: '', length: '', width: '', height: '' });

/** The typed parcels as the core wants them (grams, millimetres), or the errors per field. */
export function parcelsToDto(
  parcels: Parcel[],
): { ok: true; value: PackageInputDto[] } | { ok: false; errors: ParcelErrors } {
  const errors: ParcelErrors = parcels.map(() => ({}));
  const value: PackageInputDto[] = [];
  let ok = true;
  parcels.forEach((p, i) => {
    const w = kgToGrams(p.weight);
    const l = cmToMm(p.length);
    const wd = cmToMm(p.width);
    const h = cmToMm(p.height);
    const e = errors[i]!;
    if (!w.ok) e.weight = w.error;
    if (!l.ok) e.length = l.error;
    if (!wd.ok) e.width = wd.error;
    if (!h.ok) e.height = h.error;
    if (w.ok && l.ok && wd.ok && h.ok) {
      value.push({ weightGrams: w.value, lengthMm: l.value, widthMm: wd.value, heightMm: h.value });
    } else ok = false;
  });
  return ok ? { ok: true, value } : { ok: false, errors };
}

type ScanFeedback = { ok: true; text: string } | { ok: false; text: string };

export function PackPanel({ shipment: s }: { shipment: ShipmentDto }) {
  const scan = usePackScan();
  const reset = usePackReset();
  const finish = useFinishPacking();
  const [code, setCode] = useState('');
  const [feedback, setFeedback] = useState<ScanFeedback | null>(null);
  const [parcels, setParcels] = useState<Parcel[]>(() => [emptyParcel()]);
  const [parcelErrors, setParcelErrors] = useState<ParcelErrors>([]);
  const [short, setShort] = useState<string | null>(null);
  const [finishError, setFinishError] = useState<unknown>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const pickup = s.kind === 'pickup';

  const focusScan = () => window.setTimeout(() => scanRef.current?.focus(), 0);
  useEffect(() => {
    scanRef.current?.focus();
  }, []);

  const submitScan = (e: FormEvent) => {
    e.preventDefault();
    const text = code.trim();
    if (!text || scan.isPending) return;
    scan.mutate(
      { shipment: s.number, code: text },
      {
        onSuccess: (next) => {
          setCode('');
          const line = next.lines.find(
            (l, i) => l.packed !== s.lines[i]?.packed || l.sku === text || l.barcode === text,
          );
          setFeedback({
            ok: true,
            text: line ? `${line.sku} — ${line.name}: ${line.packed} of ${line.qty}` : `Scanned ${text}`,
          });
          focusScan();
        },
        onError: (err) => {
          setFeedback({ ok: false, text: toAppError(err).message });
          // The code stays selected, so the next scan replaces it.
          window.setTimeout(() => scanRef.current?.select(), 0);
        },
      },
    );
  };

  const send = (confirmShort: boolean) => {
    setFinishError(null);
    let packages: PackageInputDto[] = [];
    if (!pickup) {
      const parsed = parcelsToDto(parcels);
      if (!parsed.ok) {
        setParcelErrors(parsed.errors);
        return;
      }
      setParcelErrors([]);
      packages = parsed.value;
    }
    finish.mutate(
      { shipment: s.number, packages, confirmShort },
      {
        onSuccess: (done) => {
          setShort(null);
          notifications.show({
            color: 'green',
            message:
              done.status === 'ready_for_pickup'
                ? `${done.number} is ready for pick-up`
                : `${done.number} packed: ${done.packages.length} parcel(s)`,
          });
        },
        onError: (err) => {
          const e = toAppError(err);
          if (e.field === 'confirmShort') {
            setShort(e.message);
            return;
          }
          setShort(null);
          const m = e.field ? /^packages\[(\d+)\]\.(\w+)$/.exec(e.field) : null;
          if (m) {
            const i = Number(m[1]);
            const field = (Object.keys(FIELD_TO_DTO) as ParcelField[]).find((k) => FIELD_TO_DTO[k] === m[2]);
            if (field) {
              const next: ParcelErrors = parcels.map(() => ({}));
              next[i] = { [field]: e.message };
              setParcelErrors(next);
              return;
            }
          }
          setFinishError(err);
          if (e.field === 'code') setFeedback({ ok: false, text: e.message });
        },
      },
    );
  };

  useHotkeys([['mod+Enter', () => send(false)]], []);

  const missing = s.lines.filter((l) => l.packed < l.qty);
  const setParcel = (i: number, field: ParcelField, value: string) =>
    setParcels((prev) => prev.map((p, j) => (j === i ? { ...p, [field]: value } : p)));

  return (
    <Stack gap="md">
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder>
            <form onSubmit={submitScan}>
              <TextInput
                ref={scanRef}
                size="xl"
                label="Scan each item"
                placeholder="Barcode or SKU, then Enter"
                leftSection={<ScanBarcode size={22} />}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                onBlur={() => {
                  // Keep the scanner's focus unless the packer moved to another field or button.
                  window.setTimeout(() => {
                    const active = document.activeElement;
                    if (!active || active === document.body) scanRef.current?.focus();
                  }, 0);
                }}
                autoComplete="off"
                aria-describedby="scan-feedback"
              />
            </form>
            <div id="scan-feedback">
              {feedback ? (
                feedback.ok ? (
                  <Alert color="green" variant="light" mt="sm" icon={<CheckCircle2 size={22} />} role="status">
                    <Text fw={700} size="lg">
                      {feedback.text}
                    </Text>
                  </Alert>
                ) : (
                  <Alert color="red" variant="filled" mt="sm" icon={<XCircle size={28} />} role="alert">
                    <Text fw={800} size="xl" data-testid="scan-error">
                      {feedback.text}
                    </Text>
                  </Alert>
                )
              ) : null}
            </div>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder h="100%">
            <Text size="sm" c="dimmed">
              Scanned
            </Text>
            <Text fz={40} fw={800} lh={1.1} data-testid="packed-count">
              {s.packedUnits} / {s.units}
            </Text>
            <Progress
              value={s.units ? (s.packedUnits * 100) / s.units : 0}
              color={s.packedUnits === s.units ? 'green' : 'blue'}
              mt="xs"
              size="lg"
            />
            <Button
              mt="md"
              variant="default"
              leftSection={<RotateCcw size={16} />}
              loading={reset.isPending}
              disabled={s.packedUnits === 0}
              onClick={() =>
                reset.mutate(s.number, {
                  onSuccess: () => {
                    setFeedback(null);
                    focusScan();
                  },
                })
              }
            >
              Start over
            </Button>
            {reset.error ? <ErrorCard error={reset.error} /> : null}
          </Card>
        </Grid.Col>
      </Grid>

      <Card withBorder>
        <Table verticalSpacing={6} aria-label="Lines to pack">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Bin</Table.Th>
              <Table.Th>SKU</Table.Th>
              <Table.Th>Product</Table.Th>
              <Table.Th>Barcode</Table.Th>
              <Table.Th ta="right">Packed / qty</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.lines.map((l) => {
              const done = l.packed >= l.qty;
              return (
                <Table.Tr key={l.lineNo} bg={done ? 'var(--mantine-color-green-light)' : undefined}>
                  <Table.Td ff="monospace" fw={700}>
                    {l.bin ?? '—'}
                  </Table.Td>
                  <Table.Td ff="monospace">{l.sku}</Table.Td>
                  <Table.Td>{l.name}</Table.Td>
                  <Table.Td ff="monospace" c="dimmed">
                    {l.barcode ?? ''}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text fw={700} size="lg" c={done ? 'green' : undefined} data-testid={`packed-${l.sku}`}>
                      {l.packed} / {l.qty}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Card>

      {pickup ? (
        <Text c="dimmed" size="sm">
          A pick-up needs no parcels: once packed it is ready for the customer at {s.locationName}.
        </Text>
      ) : (
        <Card withBorder>
          <Group justify="space-between" mb="xs">
            <Title order={3} size="h5">
              Parcels
            </Title>
            <Button
              size="xs"
              variant="light"
              leftSection={<Plus size={14} />}
              onClick={() => setParcels((prev) => [...prev, emptyParcel()])}
            >
              Add parcel
            </Button>
          </Group>
          <Stack gap="xs">
            {parcels.map((p, i) => {
              const e = parcelErrors[i] ?? {};
              const n = i + 1;
              return (
                <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
                  <Text fw={600} w={28} pt={30}>
                    #{n}
                  </Text>
                  <TextInput
                    label="Weight (kg)"
                    aria-label={`Parcel ${n} weight (kg)`}
                    w={130}
                    inputMode="decimal"
                    value={p.weight}
                    error={e.weight}
                    onChange={(ev) => setParcel(i, 'weight', ev.currentTarget.value)}
                  />
                  {(['length', 'width', 'height'] as const).map((f) => (
                    <TextInput
                      key={f}
                      label={`${f[0]!.toUpperCase()}${f.slice(1)} (cm)`}
                      aria-label={`Parcel ${n} ${f} (cm)`}
                      w={110}
                      inputMode="decimal"
                      value={p[f]}
                      error={e[f]}
                      onChange={(ev) => setParcel(i, f, ev.currentTarget.value)}
                    />
                  ))}
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mt={28}
                    aria-label={`Remove parcel ${n}`}
                    disabled={parcels.length === 1}
                    onClick={() => setParcels((prev) => prev.filter((_, j) => j !== i))}
                  >
                    <Trash2 size={16} />
                  </ActionIcon>
                </Group>
              );
            })}
          </Stack>
        </Card>
      )}

      {finishError ? <ErrorCard error={finishError} /> : null}
      <Group justify="flex-end">
        <Button
          size="md"
          leftSection={<PackageCheck size={18} />}
          rightSection={<ShortcutHint keys="Ctrl+Enter" />}
          loading={finish.isPending && !short}
          onClick={() => send(false)}
        >
          Finish packing
        </Button>
      </Group>

      <Modal
        opened={short !== null}
        onClose={() => {
          setShort(null);
          focusScan();
        }}
        title="Confirm a short pick"
        returnFocus={false}
        size="lg"
      >
        <Stack>
          <Text>These units were not scanned:</Text>
          <Table aria-label="Missing units">
            <Table.Tbody>
              {missing.map((l) => (
                <Table.Tr key={l.lineNo}>
                  <Table.Td fw={700}>{l.qty - l.packed} ×</Table.Td>
                  <Table.Td ff="monospace">{l.sku}</Table.Td>
                  <Table.Td>{l.name}</Table.Td>
                  <Table.Td c="dimmed">{l.bin ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Alert color="orange" variant="light">
            They will be re-routed to other locations or backordered.
          </Alert>
          {short ? (
            <Text size="xs" c="dimmed">
              {short}
            </Text>
          ) : null}
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                setShort(null);
                focusScan();
              }}
            >
              Keep scanning
            </Button>
            <Button color="orange" loading={finish.isPending} onClick={() => send(true)}>
              Confirm short pick
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
