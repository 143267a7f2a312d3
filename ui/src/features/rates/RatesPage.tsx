/**
 * Carriers & rates: the shop's carriers, their services (transit days, where they collect, zones by
 * distance or postal-code prefix, weight brackets, surcharges) edited in place and saved as a new
 * numbered version with a note; the core checks them and its error lands on the field it names. The
 * version history and a Quote panel (rate shopping for one parcel) sit below.
 */
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Modal,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { LocationDto } from '../../bindings/LocationDto';
import type { RateCardsDto } from '../../bindings/RateCardsDto';
import type { RateCardsVersionDto } from '../../bindings/RateCardsVersionDto';
import type { ServiceDto } from '../../bindings/ServiceDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { AppError, toAppError } from '../../lib/ipc';
import { useLocations } from '../../lib/queries';
import { type FieldErrors, useRateCardHistory, useRateCards, useSaveRateCards } from './api';
import { newCarrier, newService, TRACKING_KINDS, zoneColumns } from './edit';
import { QuotePanel } from './QuotePanel';

export function RatesPage() {
  const cards = useRateCards();
  const locations = useLocations();
  const failed = [cards, locations].find((q) => q.isError);
  return (
    <Page>
      <PageHeader title="Carriers & rates" />
      {failed ? (
        <ErrorCard error={failed.error} onRetry={() => void failed.refetch()} />
      ) : cards.data && locations.data ? (
        <Stack gap="lg">
          <Editor key={cards.data.version} current={cards.data} locations={locations.data} />
          <QuotePanel locations={locations.data} />
          <History />
        </Stack>
      ) : (
        <Center p="xl">
          <Loader aria-label="Loading rate cards" />
        </Center>
      )}
    </Page>
  );
}

function VersionLine({ v }: { v: RateCardsVersionDto }) {
  return (
    <Group gap="xs" data-testid="rates-version">
      <Badge size="lg" variant="light">
        {v.version === 0 ? 'No rate cards' : `Version ${v.version}`}
      </Badge>
      <Text size="sm" c="dimmed">
        {v.version === 0
          ? 'Nothing saved yet: routing prices each location with its simple rate.'
          : `In force since ${v.createdAt ? formatDateTime(v.createdAt) : '—'}, saved by ${v.createdBy}${v.note ? ` — “${v.note}”` : ''}`}
      </Text>
    </Group>
  );
}

type Update = (change: (draft: RateCardsDto) => void) => void;

const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v) || 0);

function Editor({ current, locations }: { current: RateCardsVersionDto; locations: LocationDto[] }) {
  const [cards, setCards] = useState<RateCardsDto>(current.cards);
  const [dirty, setDirty] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [unplaced, setUnplaced] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState('');
  const save = useSaveRateCards();
  const update: Update = (change) => {
    const next = structuredClone(cards);
    change(next);
    setCards(next);
    setDirty(true);
  };
  const err = (path: string) => errors[path] ?? null;

  const close = () => {
    setAsking(false);
    save.reset();
  };
  const confirm = () =>
    save.mutate(
      { cards, note: note.trim() || null },
      {
        onSuccess: (saved) => {
          setAsking(false);
          setNote('');
          setErrors({});
          setUnplaced(null);
          notifications.show({ color: 'green', message: `Rate cards saved as version ${saved.version}` });
        },
        onError: (error) => {
          if (toAppError(error).field === 'note') return;
          setAsking(false);
          const field = error instanceof AppError ? error.field : null;
          if (field && document.querySelector(`[data-field="${CSS.escape(field)}"]`)) {
            setErrors({ [field]: error.message });
            setUnplaced(null);
          } else {
            setErrors({});
            setUnplaced(error);
          }
        },
      },
    );
  const noteError = save.error && toAppError(save.error).field === 'note' ? toAppError(save.error).message : null;

  return (
    <Stack gap="md">
      <VersionLine v={current} />
      <Group align="flex-end">
        <TextInput
          label="Currency"
          description="Every price is in minor units of it (cents for USD)"
          w={220}
          value={cards.currency}
          data-field="currency"
          error={err('currency')}
          onChange={(e) => {
            const value = e.currentTarget.value;
            update((d) => void (d.currency = value));
          }}
        />
        <Button
          variant="light"
          leftSection={<Plus size={16} />}
          onClick={() => update((d) => void d.carriers.push(newCarrier(d.carriers.length + 1)))}
        >
          Add carrier
        </Button>
      </Group>
      {cards.carriers.length === 0 ? (
        <Text c="dimmed" size="sm">
          No carriers yet. Add one to price shipments and routing by rate cards.
        </Text>
      ) : null}
      {cards.carriers.map((c, ci) => {
        const p = `carriers[${ci}]`;
        return (
          <Card key={ci} withBorder radius="md" padding="md" component="section" aria-label={`Carrier ${c.name}`}>
            <Group align="flex-end" mb="sm">
              <TextInput
                label="Code"
                w={140}
                value={c.code}
                data-field={`${p}.code`}
                error={err(`${p}.code`)}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  update((d) => void (d.carriers[ci]!.code = v));
                }}
              />
              <TextInput
                label="Carrier name"
                w={200}
                value={c.name}
                data-field={`${p}.name`}
                error={err(`${p}.name`)}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  update((d) => void (d.carriers[ci]!.name = v));
                }}
              />
              <Select
                label="Tracking numbers"
                w={230}
                data={TRACKING_KINDS}
                value={c.tracking}
                data-field={`${p}.tracking`}
                error={err(`${p}.tracking`)}
                allowDeselect={false}
                onChange={(v) => update((d) => void (d.carriers[ci]!.tracking = v ?? 'other'))}
              />
              <Button
                variant="subtle"
                leftSection={<Plus size={16} />}
                onClick={() =>
                  update((d) => void d.carriers[ci]!.services.push(newService(d.carriers[ci]!.services.length + 1)))
                }
              >
                Add service
              </Button>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove carrier ${c.code}`}
                onClick={() => update((d) => void d.carriers.splice(ci, 1))}
              >
                <Trash2 size={16} />
              </ActionIcon>
            </Group>
            <Stack gap="sm">
              {c.services.map((s, si) => (
                <ServiceEditor
                  key={si}
                  path={`${p}.services[${si}]`}
                  service={s}
                  locations={locations}
                  err={err}
                  change={(f) => update((d) => f(d.carriers[ci]!.services[si]!))}
                  remove={() => update((d) => void d.carriers[ci]!.services.splice(si, 1))}
                />
              ))}
            </Stack>
          </Card>
        );
      })}
      {unplaced ? <ErrorCard error={unplaced} /> : null}
      <Group justify="flex-end">
        <Button
          variant="default"
          disabled={!dirty}
          onClick={() => {
            setCards(current.cards);
            setDirty(false);
            setErrors({});
          }}
        >
          Undo changes
        </Button>
        <Button disabled={!dirty} onClick={() => setAsking(true)}>
          Save as new version…
        </Button>
      </Group>
      <Modal opened={asking} onClose={close} title="Save rate cards">
        <Stack>
          <Text size="sm">
            The new version prices every quote and every order routed from now on. Orders already routed keep their
            plan.
          </Text>
          <TextInput
            label="Note"
            description="A few words on why, kept in the history"
            placeholder="e.g. UPS fuel surcharge from 14.5 %"
            data-autofocus
            value={note}
            onChange={(ev) => setNote(ev.currentTarget.value)}
            onKeyDown={(ev) => {
              if (ev.key === 'Enter') {
                ev.preventDefault();
                confirm();
              }
            }}
            error={noteError}
            maxLength={500}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button loading={save.isPending} onClick={confirm}>
              Save version
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function ServiceEditor({
  path,
  service: s,
  locations,
  err,
  change,
  remove,
}: {
  path: string;
  service: ServiceDto;
  locations: LocationDto[];
  err: (path: string) => string | null;
  change: (f: (s: ServiceDto) => void) => void;
  remove: () => void;
}) {
  const zones = zoneColumns(s);
  const sc = s.surcharges;
  return (
    <Card withBorder radius="sm" padding="sm" bg="gray.0" aria-label={`Service ${s.name}`}>
      <Group align="flex-end" mb="xs">
        <TextInput
          label="Service code"
          w={130}
          value={s.code}
          data-field={`${path}.code`}
          error={err(`${path}.code`)}
          onChange={(e) => {
            const v = e.currentTarget.value;
            change((x) => void (x.code = v));
          }}
        />
        <TextInput
          label="Service name"
          w={180}
          value={s.name}
          data-field={`${path}.name`}
          error={err(`${path}.name`)}
          onChange={(e) => {
            const v = e.currentTarget.value;
            change((x) => void (x.name = v));
          }}
        />
        <NumberInput
          label="Transit days"
          w={110}
          min={0}
          allowDecimal={false}
          value={s.transitDays}
          data-field={`${path}.transitDays`}
          error={err(`${path}.transitDays`)}
          onChange={(v) => change((x) => void (x.transitDays = num(v)))}
        />
        <MultiSelect
          label="Collects from"
          placeholder={s.fromLocations ? undefined : 'Every location'}
          w={260}
          data={locations.map((l) => ({ value: l.code, label: `${l.code} — ${l.name}` }))}
          value={s.fromLocations ?? []}
          data-field={`${path}.fromLocations`}
          error={err(`${path}.fromLocations`) ?? err(`${path}.fromLocations[0]`)}
          onChange={(v) => change((x) => void (x.fromLocations = v.length ? v : null))}
        />
        <ActionIcon variant="subtle" color="red" aria-label={`Remove service ${s.code}`} onClick={remove}>
          <Trash2 size={16} />
        </ActionIcon>
      </Group>
      <Group align="flex-start" gap="xl" wrap="wrap">
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Zones
          </Text>
          <SegmentedControl
            size="xs"
            value={s.zones.kind}
            data={[
              { value: 'distance', label: 'By distance' },
              { value: 'postalPrefix', label: 'By postal code' },
            ]}
            onChange={(kind) =>
              change(
                (x) =>
                  void (x.zones =
                    kind === 'distance'
                      ? { kind: 'distance', bands: [{ upToKm: 500, zone: 1 }] }
                      : { kind: 'postalPrefix', rules: [], defaultZone: 1 }),
              )
            }
          />
          <ZoneEditor path={path} service={s} err={err} change={change} />
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Weight brackets (price per package, minor units)
          </Text>
          <Table fz="sm" withTableBorder aria-label={`Brackets of ${s.name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Up to g</Table.Th>
                {Array.from({ length: zones }, (_, z) => (
                  <Table.Th key={z}>Zone {z + 1}</Table.Th>
                ))}
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.brackets.map((b, bi) => {
                const bp = `${path}.brackets[${bi}]`;
                return (
                  <Table.Tr key={bi}>
                    <Table.Td>
                      <NumberInput
                        size="xs"
                        w={100}
                        min={1}
                        allowDecimal={false}
                        aria-label={`Bracket ${bi + 1} up to grams`}
                        value={b.upToGrams}
                        data-field={`${bp}.upToGrams`}
                        error={err(`${bp}.upToGrams`)}
                        onChange={(v) => change((x) => void (x.brackets[bi]!.upToGrams = num(v)))}
                      />
                    </Table.Td>
                    {Array.from({ length: zones }, (_, z) => (
                      <Table.Td key={z}>
                        <NumberInput
                          size="xs"
                          w={90}
                          min={0}
                          allowDecimal={false}
                          aria-label={`Bracket ${bi + 1} zone ${z + 1} price`}
                          value={b.prices[z] ?? ''}
                          data-field={`${bp}.prices[${z}]`}
                          error={err(`${bp}.prices[${z}]`) ?? (z === 0 ? err(`${bp}.prices`) : null)}
                          onChange={(v) =>
                            change((x) => {
                              const prices = x.brackets[bi]!.prices;
                              while (prices.length <= z) prices.push(0);
                              prices[z] = num(v);
                            })
                          }
                        />
                      </Table.Td>
                    ))}
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove bracket ${bi + 1}`}
                        onClick={() => change((x) => void x.brackets.splice(bi, 1))}
                      >
                        <Trash2 size={14} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Group gap="xs">
            <Button
              size="xs"
              variant="subtle"
              leftSection={<Plus size={14} />}
              onClick={() =>
                change((x) => {
                  const last = x.brackets.at(-1);
                  x.brackets.push({
                    upToGrams: (last?.upToGrams ?? 0) + 1000,
                    prices: last ? [...last.prices] : Array.from({ length: zones }, () => 0),
                  });
                })
              }
            >
              Add bracket
            </Button>
          </Group>
          {err(`${path}.brackets`) ? (
            <Text size="xs" c="red" data-field={`${path}.brackets`}>
              {err(`${path}.brackets`)}
            </Text>
          ) : null}
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Surcharges
          </Text>
          <NumberInput
            size="xs"
            label="Per package"
            min={0}
            allowDecimal={false}
            value={sc.perPackage}
            data-field={`${path}.surcharges.perPackage`}
            error={err(`${path}.surcharges.perPackage`)}
            onChange={(v) => change((x) => void (x.surcharges.perPackage = num(v)))}
          />
          <NumberInput
            size="xs"
            label="Fuel (basis points of the base)"
            description="1450 = 14.5 %"
            min={0}
            allowDecimal={false}
            value={sc.fuelBp}
            data-field={`${path}.surcharges.fuelBp`}
            error={err(`${path}.surcharges.fuelBp`)}
            onChange={(v) => change((x) => void (x.surcharges.fuelBp = num(v)))}
          />
          <NumberInput
            size="xs"
            label="Residential, per package"
            min={0}
            allowDecimal={false}
            value={sc.residential}
            data-field={`${path}.surcharges.residential`}
            error={err(`${path}.surcharges.residential`)}
            onChange={(v) => change((x) => void (x.surcharges.residential = num(v)))}
          />
          <Group gap="xs" align="flex-end">
            <NumberInput
              size="xs"
              w={120}
              label="Over-weight above g"
              min={0}
              allowDecimal={false}
              value={sc.overWeight?.overGrams ?? ''}
              data-field={`${path}.surcharges.overWeight.overGrams`}
              error={err(`${path}.surcharges.overWeight.overGrams`)}
              onChange={(v) =>
                change(
                  (x) =>
                    void (x.surcharges.overWeight =
                      v === '' ? null : { overGrams: num(v), amount: x.surcharges.overWeight?.amount ?? 0 }),
                )
              }
            />
            <NumberInput
              size="xs"
              w={100}
              label="adds"
              min={0}
              allowDecimal={false}
              disabled={!sc.overWeight}
              value={sc.overWeight?.amount ?? ''}
              data-field={`${path}.surcharges.overWeight.amount`}
              error={err(`${path}.surcharges.overWeight.amount`)}
              onChange={(v) =>
                change((x) => {
                  if (x.surcharges.overWeight) x.surcharges.overWeight.amount = num(v);
                })
              }
            />
          </Group>
        </Stack>
      </Group>
    </Card>
  );
}

function ZoneEditor({
  path,
  service: s,
  err,
  change,
}: {
  path: string;
  service: ServiceDto;
  err: (path: string) => string | null;
  change: (f: (s: ServiceDto) => void) => void;
}) {
  const zp = `${path}.zones`;
  if (s.zones.kind === 'distance') {
    return (
      <Stack gap={4}>
        {s.zones.bands.map((b, i) => (
          <Group key={i} gap={4} align="flex-start">
            <NumberInput
              size="xs"
              w={110}
              min={0}
              allowDecimal={false}
              aria-label={`Band ${i + 1} up to km`}
              suffix=" km"
              value={b.upToKm}
              data-field={`${zp}.bands[${i}].upToKm`}
              error={err(`${zp}.bands[${i}].upToKm`)}
              onChange={(v) => change((x) => void (x.zones.kind === 'distance' && (x.zones.bands[i]!.upToKm = num(v))))}
            />
            <NumberInput
              size="xs"
              w={90}
              min={1}
              allowDecimal={false}
              aria-label={`Band ${i + 1} zone`}
              prefix="zone "
              value={b.zone}
              data-field={`${zp}.bands[${i}].zone`}
              error={err(`${zp}.bands[${i}].zone`)}
              onChange={(v) => change((x) => void (x.zones.kind === 'distance' && (x.zones.bands[i]!.zone = num(v))))}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Remove band ${i + 1}`}
              onClick={() => change((x) => void (x.zones.kind === 'distance' && x.zones.bands.splice(i, 1)))}
            >
              <Trash2 size={14} />
            </ActionIcon>
          </Group>
        ))}
        {err(`${zp}.bands`) ? (
          <Text size="xs" c="red" data-field={`${zp}.bands`}>
            {err(`${zp}.bands`)}
          </Text>
        ) : null}
        <Button
          size="xs"
          variant="subtle"
          leftSection={<Plus size={14} />}
          onClick={() =>
            change((x) => {
              if (x.zones.kind !== 'distance') return;
              const last = x.zones.bands.at(-1);
              x.zones.bands.push({ upToKm: (last?.upToKm ?? 0) + 500, zone: (last?.zone ?? 0) + 1 });
            })
          }
        >
          Add band
        </Button>
      </Stack>
    );
  }
  return (
    <Stack gap={4}>
      {s.zones.rules.map((r, i) => (
        <Group key={i} gap={4} align="flex-start">
          <TextInput
            size="xs"
            w={110}
            aria-label={`Rule ${i + 1} postal prefix`}
            placeholder="prefix"
            value={r.prefix}
            data-field={`${zp}.rules[${i}].prefix`}
            error={err(`${zp}.rules[${i}].prefix`)}
            onChange={(e) => {
              const v = e.currentTarget.value;
              change((x) => void (x.zones.kind === 'postalPrefix' && (x.zones.rules[i]!.prefix = v)));
            }}
          />
          <NumberInput
            size="xs"
            w={90}
            min={1}
            allowDecimal={false}
            aria-label={`Rule ${i + 1} zone`}
            prefix="zone "
            value={r.zone}
            data-field={`${zp}.rules[${i}].zone`}
            error={err(`${zp}.rules[${i}].zone`)}
            onChange={(v) => change((x) => void (x.zones.kind === 'postalPrefix' && (x.zones.rules[i]!.zone = num(v))))}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={`Remove rule ${i + 1}`}
            onClick={() => change((x) => void (x.zones.kind === 'postalPrefix' && x.zones.rules.splice(i, 1)))}
          >
            <Trash2 size={14} />
          </ActionIcon>
        </Group>
      ))}
      <NumberInput
        size="xs"
        w={205}
        min={1}
        allowDecimal={false}
        label="Any other postal code: zone"
        placeholder="not served"
        value={s.zones.defaultZone ?? ''}
        data-field={`${zp}.defaultZone`}
        error={err(`${zp}.defaultZone`) ?? err(`${zp}.rules`)}
        onChange={(v) =>
          change((x) => void (x.zones.kind === 'postalPrefix' && (x.zones.defaultZone = v === '' ? null : num(v))))
        }
      />
      <Button
        size="xs"
        variant="subtle"
        leftSection={<Plus size={14} />}
        onClick={() =>
          change((x) => void (x.zones.kind === 'postalPrefix' && x.zones.rules.push({ prefix: '', zone: 1 })))
        }
      >
        Add prefix rule
      </Button>
    </Stack>
  );
}

function History() {
  const history = useRateCardHistory();
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-label="Version history">
      <Title order={3} size="h5" mb="xs">
        Version history
      </Title>
      {history.isError ? (
        <ErrorCard error={history.error} onRetry={() => void history.refetch()} />
      ) : !history.data ? (
        <Loader size="sm" aria-label="Loading history" />
      ) : history.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No version saved yet.
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={4} striped aria-label="Versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>Version</Table.Th>
              <Table.Th w={140}>Saved by</Table.Th>
              <Table.Th w={190}>When</Table.Th>
              <Table.Th w={170}>Carriers</Table.Th>
              <Table.Th>Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data.map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td ff="monospace">v{v.version}</Table.Td>
                <Table.Td>{v.createdBy}</Table.Td>
                <Table.Td>{v.createdAt ? formatDateTime(v.createdAt) : '—'}</Table.Td>
                <Table.Td>{v.cards.carriers.map((c) => c.code).join(', ') || '—'}</Table.Td>
                <Table.Td>{v.note ?? <Text c="dimmed">—</Text>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
