/**
 * Receive & inspect: choose what happens to each unit (Restock / Damaged / Dispose / Back to vendor;
 * keys 1–4 outside a text field, Ctrl+1–4 anywhere), then scan the items — each scan receives one unit
 * with that disposition at this desk's location. Items without a barcode are received per line. A wrong
 * or surplus scan shows the core's message, big and red, and changes nothing; the scan box keeps focus.
 */
import {
  Alert,
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
import { useHotkeys } from '@mantine/hooks';
import { CheckCircle2, ScanBarcode, XCircle } from 'lucide-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DispositionDto } from '../../bindings/DispositionDto';
import type { ReturnDto } from '../../bindings/ReturnDto';
import { ShortcutHint } from '../../components/ShortcutHint';
import { toAppError, type AppError } from '../../lib/ipc';
import { useLocations } from '../../lib/queries';
import { useReceiveReturn, useWorkstation } from './api';
import { DISPOSITION_LABELS, DISPOSITIONS } from './labels';

/** Short names so the four choices fit side by side on a laptop screen. */
const SHORT: Record<DispositionDto, string> = {
  restock: 'Restock',
  damaged: 'Damaged',
  dispose: 'Dispose',
  vendor: 'To vendor',
};

export function ReceivePanel({ ret }: { ret: ReturnDto }) {
  const receive = useReceiveReturn();
  const workstation = useWorkstation();
  const locations = useLocations();
  const [disposition, setDisposition] = useState<DispositionDto>('restock');
  const [location, setLocation] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [last, setLast] = useState<string | null>(null);
  const [counts, setCounts] = useState<Record<number, number>>({});
  const scanRef = useRef<HTMLInputElement>(null);
  const here = location ?? workstation.data?.homeLocation ?? ret.location;

  useEffect(() => {
    scanRef.current?.focus();
  }, []);

  const pick = (d: DispositionDto) => {
    setDisposition(d);
    scanRef.current?.focus();
  };
  useHotkeys(DISPOSITIONS.map((d, i) => [`${i + 1}`, () => pick(d)] as [string, () => void]));
  useHotkeys(
    DISPOSITIONS.map((d, i) => [`ctrl+${i + 1}`, () => pick(d)] as [string, () => void]),
    [],
    true,
  );

  const run = (input: { code: string | null; lineNo: number | null; qty: number }) => {
    setError(null);
    setLast(null);
    receive.mutate(
      { ret: ret.number, location: here, disposition, note: null, ...input },
      {
        onSuccess: (r) => {
          // The line that moved is the one the core matched the scan to.
          const line =
            r.lines.find((l) => l.received > (ret.lines.find((p) => p.lineNo === l.lineNo)?.received ?? 0)) ?? null;
          setLast(
            `Received ${input.qty} × ${line?.sku ?? input.code ?? ''} as ${DISPOSITION_LABELS[disposition]} at ${here}` +
              (line ? ` (${line.received} of ${line.qty})` : ''),
          );
          setCode('');
          scanRef.current?.focus();
        },
        onError: (reason) => {
          setError(toAppError(reason));
          scanRef.current?.select();
        },
      },
    );
  };

  const onScan = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      setCode('');
      setError(null);
      return;
    }
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const scanned = code.trim();
    if (scanned) run({ code: scanned, lineNo: null, qty: 1 });
  };

  const open = ret.lines.filter((l) => l.received < l.qty);
  return (
    <Card withBorder aria-label="Receive and inspect">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          Receive &amp; inspect
        </Title>
        <NativeSelect
          aria-label="Receiving location"
          size="xs"
          value={here}
          onChange={(e) => setLocation(e.currentTarget.value)}
          data={(locations.data ?? [])
            .filter((l) => l.active)
            .map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }))}
        />
      </Group>
      <Stack gap="sm">
        <SegmentedControl
          aria-label="Disposition"
          fullWidth
          value={disposition}
          onChange={(v) => pick(v as DispositionDto)}
          data={DISPOSITIONS.map((d, i) => ({ value: d, label: `${i + 1} · ${SHORT[d]}` }))}
          color={disposition === 'restock' ? 'green' : disposition === 'damaged' ? 'orange' : 'red'}
        />
        <TextInput
          ref={scanRef}
          size="lg"
          label={
            <Group gap={6}>
              Scan an item <ShortcutHint keys="Enter" />
            </Group>
          }
          placeholder="Scan the barcode on the returned item"
          leftSection={<ScanBarcode size={20} />}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          onKeyDown={onScan}
          aria-label="Scan an item"
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        {error ? (
          <Alert color="red" variant="filled" role="alert" icon={<XCircle size={28} />} data-testid="scan-error">
            <Text fw={700} size="lg">
              {error.message}
            </Text>
          </Alert>
        ) : null}
        {last ? (
          <Alert color="green" variant="light" role="status" icon={<CheckCircle2 size={22} />} data-testid="scan-ok">
            <Text fw={600}>{last}</Text>
          </Alert>
        ) : null}
        {open.length ? (
          <Table verticalSpacing={4} fz="sm" aria-label="Receive without a barcode">
            <Table.Tbody>
              {open.map((l) => {
                const left = l.qty - l.received;
                const n = Math.min(counts[l.lineNo] ?? left, left);
                return (
                  <Table.Tr key={l.lineNo}>
                    <Table.Td ff="monospace">{l.sku}</Table.Td>
                    <Table.Td>
                      {l.received} of {l.qty} received
                    </Table.Td>
                    <Table.Td w={90}>
                      <NumberInput
                        size="xs"
                        aria-label={`Units of ${l.sku}`}
                        min={1}
                        max={left}
                        allowDecimal={false}
                        value={n}
                        onChange={(v) => setCounts((c) => ({ ...c, [l.lineNo]: typeof v === 'number' ? v : 1 }))}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="light"
                        loading={receive.isPending && receive.variables?.lineNo === l.lineNo}
                        onClick={() => run({ code: null, lineNo: l.lineNo, qty: n })}
                      >
                        Receive {n} as {DISPOSITION_LABELS[disposition]}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="sm" c="dimmed">
            Every authorised unit is received.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
