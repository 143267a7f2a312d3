/**
 * Start a return (`/orders/:number/return`): how many units of each line come back, why and in what
 * condition, how (ship back / drop off) and where to; a live `preview_return` shows the core's policy
 * notes, what stands in the way (with an "Override policy" reason when needed) and the refund estimate.
 * "Authorize return" creates it and opens the return page. No rule is decided here.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { ArrowLeft } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { ReturnConditionDto } from '../../bindings/ReturnConditionDto';
import type { ReturnInputDto } from '../../bindings/ReturnInputDto';
import type { ReturnMethodDto } from '../../bindings/ReturnMethodDto';
import type { ReturnOptionsDto } from '../../bindings/ReturnOptionsDto';
import type { ReturnReasonDto } from '../../bindings/ReturnReasonDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { Page } from '../../components/Page';
import { ShortcutHint } from '../../components/ShortcutHint';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/dates';
import { toAppError } from '../../lib/ipc';
import { useLocations } from '../../lib/queries';
import { useCreateReturn, useReturnOptions, useReturnPreview, useWorkstation } from './api';
import { Breakdown, Sentences } from './Breakdown';
import { CONDITION_LABELS, METHOD_LABELS, REASON_LABELS, options } from './labels';

type LineState = { qty: number; reason: ReturnReasonDto; condition: ReturnConditionDto };

export function StartReturnPage() {
  const { number } = useParams({ from: '/orders/$number/return' });
  const opts = useReturnOptions(number);
  return (
    <Page>
      <Anchor renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number }} />} size="sm">
        <Group gap={4}>
          <ArrowLeft size={14} /> {number}
        </Group>
      </Anchor>
      {opts.isPending ? (
        <Center p="xl">
          <Loader aria-label="Loading return options" />
        </Center>
      ) : opts.isError ? (
        <Stack mt="md">
          <ErrorCard error={opts.error} onRetry={() => void opts.refetch()} />
        </Stack>
      ) : (
        <StartReturnForm options={opts.data} />
      )}
    </Page>
  );
}

function StartReturnForm({ options: o }: { options: ReturnOptionsDto }) {
  const navigate = useNavigate();
  const locations = useLocations();
  const create = useCreateReturn();
  const [lines, setLines] = useState<Record<number, LineState>>(() =>
    Object.fromEntries(o.lines.map((l) => [l.lineNo, { qty: 0, reason: 'changed_mind', condition: 'unopened' }])),
  );
  const [method, setMethod] = useState<ReturnMethodDto>(o.hasCustomer ? 'ship_back' : 'drop_off');
  const workstation = useWorkstation();
  const [picked, setLocation] = useState<string | null>(null);
  // A drop-off comes back where this workstation is (the store's counter); a ship-back goes to the
  // policy's return location. A location the clerk picks wins over both.
  const location = picked ?? (method === 'drop_off' ? workstation.data?.homeLocation : null) ?? o.defaultLocation ?? '';
  const [note, setNote] = useState('');
  const [override, setOverride] = useState('');

  const input = useMemo<ReturnInputDto>(
    () => ({
      order: o.order,
      lines: o.lines
        .filter((l) => (lines[l.lineNo]?.qty ?? 0) > 0)
        .map((l) => {
          const s = lines[l.lineNo]!;
          return { lineNo: l.lineNo, qty: s.qty, reason: s.reason, condition: s.condition, note: null };
        }),
      method,
      location,
      overrideReason: override.trim() || null,
      note: note.trim() || null,
    }),
    [o, lines, method, location, override, note],
  );
  const [debounced] = useDebouncedValue(input, 250);
  const anything = debounced.lines.length > 0;
  const preview = useReturnPreview(anything ? debounced : null);
  const p = anything ? preview.data : undefined;
  const needsOverride = p ? !p.allowed : false;

  const setLine = (lineNo: number, patch: Partial<LineState>) =>
    setLines((all) => ({ ...all, [lineNo]: { ...all[lineNo]!, ...patch } }));

  const submit = () => {
    if (!input.lines.length) return;
    create.mutate(input, {
      onSuccess: (ret) => void navigate({ to: '/returns/$number', params: { number: ret.number } }),
    });
  };
  useHotkeys([['mod+Enter', submit]], [], true);
  const createError = create.error ? toAppError(create.error) : null;

  return (
    <Stack gap="md" mt="xs">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={2}>Start a return</Title>
            <Text ff="monospace" fw={700} size="lg">
              {o.order}
            </Text>
            <StatusBadge status={o.status} />
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            {o.channel} · {o.customerName ?? 'no customer'}
            {o.customerEmail ? ` · ${o.customerEmail}` : ''}
          </Text>
        </div>
        <Card withBorder padding="xs" data-testid="window-info">
          <Group gap="md">
            <Badge color={o.withinWindow ? 'green' : 'red'} variant="light" size="lg">
              {o.withinWindow ? 'Within the window' : 'Outside the window'}
            </Badge>
            <Text size="sm">
              Left on <b>{o.leftOn ? formatDate(o.leftOn) : '—'}</b>
            </Text>
            <Text size="sm">
              Returnable until <b>{o.returnableUntil ? formatDate(o.returnableUntil) : '—'}</b> ({o.windowDays} days)
            </Text>
            {o.storeCredit ? (
              <Text size="sm">
                Store credit <Money value={o.storeCredit} />
              </Text>
            ) : null}
          </Group>
        </Card>
      </Group>
      <Sentences items={o.policyNotes} testId="options-notes" />

      <Card withBorder padding="sm">
        <Table verticalSpacing={6} aria-label="Lines to return">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Line</Table.Th>
              <Table.Th>Item</Table.Th>
              <Table.Th ta="right">Ordered / left</Table.Th>
              <Table.Th ta="right">Paid each</Table.Th>
              <Table.Th w={110}>Return</Table.Th>
              <Table.Th w={190}>Reason</Table.Th>
              <Table.Th w={130}>Condition</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {o.lines.map((l) => {
              const s = lines[l.lineNo]!;
              const none = l.returnableQty === 0;
              return (
                <Table.Tr key={l.lineNo} c={none ? 'dimmed' : undefined}>
                  <Table.Td>{l.lineNo}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" fw={600} span>
                      {l.sku}
                    </Text>{' '}
                    <Text size="sm" span>
                      {l.name}
                    </Text>
                    {l.finalSale ? (
                      <Badge ml="xs" size="sm" color="red" variant="light">
                        Final sale
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td ta="right">
                    {l.orderedQty} / {l.leftQty}
                  </Table.Td>
                  <Table.Td ta="right">
                    <Money value={l.unitPaid} />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={`Return qty line ${l.lineNo}`}
                      size="xs"
                      min={0}
                      max={l.returnableQty}
                      allowDecimal={false}
                      allowNegative={false}
                      clampBehavior="strict"
                      disabled={none}
                      value={s.qty}
                      onChange={(v) => setLine(l.lineNo, { qty: typeof v === 'number' ? v : 0 })}
                      rightSectionWidth={28}
                      description={none ? 'none returnable' : `of ${l.returnableQty}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NativeSelect
                      aria-label={`Reason line ${l.lineNo}`}
                      size="xs"
                      disabled={none}
                      value={s.reason}
                      onChange={(e) => setLine(l.lineNo, { reason: e.currentTarget.value as ReturnReasonDto })}
                      data={options(REASON_LABELS)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NativeSelect
                      aria-label={`Condition line ${l.lineNo}`}
                      size="xs"
                      disabled={none}
                      value={s.condition}
                      onChange={(e) => setLine(l.lineNo, { condition: e.currentTarget.value as ReturnConditionDto })}
                      data={options(CONDITION_LABELS)}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Card>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card withBorder padding="sm">
          <Stack gap="sm">
            <div>
              <Text size="sm" fw={500} mb={4}>
                Method
              </Text>
              <SegmentedControl
                aria-label="Method"
                value={method}
                onChange={(v) => setMethod(v as ReturnMethodDto)}
                data={options(METHOD_LABELS)}
              />
            </div>
            <NativeSelect
              label={method === 'ship_back' ? 'Ship back to' : 'Dropped off at'}
              value={location}
              onChange={(e) => setLocation(e.currentTarget.value)}
              data={[
                ...(location ? [] : [{ value: '', label: 'Choose a location' }]),
                ...(locations.data ?? [])
                  .filter((l) => l.active)
                  .map((l) => ({ value: l.code, label: `${l.name} (${l.code})` })),
              ]}
            />
            <Textarea label="Note" autosize minRows={1} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            {needsOverride || override ? (
              <TextInput
                label="Override policy"
                description="Who lets this through, and why (recorded on the order's timeline)"
                placeholder="e.g. Manager Sam: loyal customer, parcel lost by carrier"
                value={override}
                onChange={(e) => setOverride(e.currentTarget.value)}
                data-testid="override"
              />
            ) : null}
          </Stack>
        </Card>
        <Card withBorder padding="sm" aria-label="Preview">
          {!anything ? (
            <Text size="sm" c="dimmed">
              Set a quantity on a line to see what the policy says and what the refund would be.
            </Text>
          ) : preview.isError ? (
            <ErrorCard error={preview.error} />
          ) : !p ? (
            <Loader size="sm" aria-label="Checking the return" />
          ) : (
            <Stack gap="xs">
              {p.problems.length ? (
                <Alert color="red" title="Not allowed as it stands" role="alert" data-testid="problems">
                  <Sentences items={p.problems} />
                </Alert>
              ) : (
                <Badge color="green" variant="light" size="lg">
                  Allowed
                </Badge>
              )}
              <Sentences items={p.policyNotes} testId="policy-notes" />
              <Breakdown breakdown={p.estimate} />
            </Stack>
          )}
        </Card>
      </SimpleGrid>

      {createError ? <ErrorCard error={createError} /> : null}
      <Group justify="flex-end">
        <Button
          variant="default"
          renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: o.order }} />}
        >
          Back to the order
        </Button>
        <Button
          size="md"
          onClick={submit}
          loading={create.isPending}
          disabled={!input.lines.length || !location}
          rightSection={<ShortcutHint keys="Ctrl+Enter" />}
        >
          Authorize return
        </Button>
      </Group>
    </Stack>
  );
}
