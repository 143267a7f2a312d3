/**
 * Locations: warehouses, stores and dropship suppliers. A short list, so search and sort happen on
 * screen; ↑/↓ move between rows, Enter edits, "New location" (Alt+N) adds one.
 */
import {
  Badge,
  Button,
  Card,
  Center,
  Checkbox,
  Divider,
  Group,
  Loader,
  Modal,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { ArrowDown, ArrowUp, Plus, Search } from 'lucide-react';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { LocationDto } from '../../bindings/LocationDto';
import type { LocationInputDto } from '../../bindings/LocationInputDto';
import type { LocationKindDto } from '../../bindings/LocationKindDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { ShortcutHint } from '../../components/ShortcutHint';
import { applyFieldError, fieldPath } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { formatMoney, minorToInput, parseMoney } from '../../lib/money';
import { useShopCurrency } from '../../lib/queries';
import { useLocations, useSaveLocation } from './api';

const KINDS: { value: LocationKindDto; label: string }[] = [
  { value: 'warehouse', label: 'Warehouse' },
  { value: 'store', label: 'Store' },
  { value: 'dropship', label: 'Dropship supplier' },
];

type SortKey = 'code' | 'name' | 'kind' | 'priority';

export function LocationsPage() {
  const locations = useLocations();
  const currency = useShopCurrency();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'priority', desc: false });
  const [editing, setEditing] = useState<{ location: LocationDto | null } | null>(null);
  useHotkeys([['alt+n', () => setEditing({ location: null })]], []);

  const rows = useMemo(() => {
    const text = filter.trim().toLowerCase();
    const list = (locations.data ?? []).filter(
      (l) => !text || [l.code, l.name, l.kind, l.address.city].some((v) => v.toLowerCase().includes(text)),
    );
    const dir = sort.desc ? -1 : 1;
    return [...list].sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir;
    });
  }, [locations.data, filter, sort]);

  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, location: LocationDto) => {
    const row = event.currentTarget;
    if (event.key === 'Enter') {
      event.preventDefault();
      setEditing({ location });
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      (row.nextElementSibling as HTMLElement | null)?.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      (row.previousElementSibling as HTMLElement | null)?.focus();
    }
  };

  const header = (key: SortKey, label: string) => (
    <Table.Th aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : undefined}>
      <UnstyledButton
        onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}
        style={{
          display: 'inline-flex',
          alignItems: 'center',
          gap: 4,
          fontWeight: 600,
          fontSize: 'var(--mantine-font-size-sm)',
        }}
      >
        {label}
        {sort.key === key ? sort.desc ? <ArrowDown size={14} /> : <ArrowUp size={14} /> : null}
      </UnstyledButton>
    </Table.Th>
  );

  return (
    <Page>
      <PageHeader title="Locations">
        <Button
          leftSection={<Plus size={16} />}
          rightSection={<ShortcutHint keys="Alt+N" />}
          onClick={() => setEditing({ location: null })}
        >
          New location
        </Button>
      </PageHeader>
      <TextInput
        mb="sm"
        aria-label="Search locations"
        placeholder="Code, name, kind or city"
        leftSection={<Search size={16} />}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            document.querySelector<HTMLElement>('[data-testid="location-row"]')?.focus();
          }
        }}
        autoFocus
      />
      {locations.isPending ? (
        <Center p="xl">
          <Loader aria-label="Loading locations" />
        </Center>
      ) : locations.isError ? (
        <ErrorCard error={locations.error} onRetry={() => void locations.refetch()} />
      ) : (
        <Card withBorder padding={0} radius="md">
          <Table highlightOnHover verticalSpacing={8} fz="sm" aria-label="Locations">
            <Table.Thead>
              <Table.Tr>
                {header('code', 'Code')}
                {header('name', 'Name')}
                {header('kind', 'Kind')}
                <Table.Th>City</Table.Th>
                <Table.Th>Handles</Table.Th>
                {header('priority', 'Priority')}
                <Table.Th ta="right">Rate (base + per kg)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="md">
                      {filter ? 'No location matches.' : 'No locations yet. Add your warehouse or store.'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                rows.map((l) => (
                  <Table.Tr
                    key={l.id}
                    tabIndex={0}
                    data-testid="location-row"
                    data-code={l.code}
                    onKeyDown={(e) => onRowKey(e, l)}
                    onDoubleClick={() => setEditing({ location: l })}
                    style={{ cursor: 'default', opacity: l.active ? 1 : 0.55 }}
                  >
                    <Table.Td ff="monospace" fw={600}>
                      {l.code}
                    </Table.Td>
                    <Table.Td>{l.name}</Table.Td>
                    <Table.Td tt="capitalize">{l.kind}</Table.Td>
                    <Table.Td>{l.address.city}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {l.canShip ? (
                          <Badge size="sm" variant="light">
                            Ships
                          </Badge>
                        ) : null}
                        {l.canPickup ? (
                          <Badge size="sm" variant="light" color="teal">
                            Pick-ups
                          </Badge>
                        ) : null}
                        {!l.active ? (
                          <Badge size="sm" variant="light" color="gray">
                            Inactive
                          </Badge>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>{l.priority}</Table.Td>
                    <Table.Td ta="right">
                      {formatMoney(l.rate.base, currency)} + {formatMoney(l.rate.perKg, currency)}/kg
                    </Table.Td>
                  </Table.Tr>
                ))
              )}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      <Text size="xs" c="dimmed" mt={6}>
        ↑/↓ move between rows · Enter edits
      </Text>
      <LocationDialog editing={editing} onClose={() => setEditing(null)} />
    </Page>
  );
}

const decimal = (what: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?\s*$/, `${what}: a number such as 40.7128`)
    .refine((v) => Number(v) >= min && Number(v) <= max, `${what} is between ${min} and ${max}`);

function locationSchema(currency: string) {
  const money = z.string().superRefine((v, ctx) => {
    const parsed = parseMoney(v, currency);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  });
  return z.object({
    code: z.string().trim().min(1, 'Enter a short code such as WH-EAST'),
    name: z.string().trim().min(1, 'Enter a name'),
    kind: z.enum(['warehouse', 'store', 'dropship']),
    address: z.object({
      name: z.string(),
      company: z.string(),
      line1: z.string(),
      line2: z.string(),
      city: z.string(),
      region: z.string(),
      postalCode: z.string(),
      country: z.string(),
      phone: z.string(),
    }),
    latitude: decimal('Latitude', -90, 90),
    longitude: decimal('Longitude', -180, 180),
    canShip: z.boolean(),
    canPickup: z.boolean(),
    priority: z.string().regex(/^\s*\d+\s*$/, 'A whole number; lower is tried first'),
    rate: z.object({ base: money, perKg: money, per1000Km: money }),
  });
}
type LocationValues = z.infer<ReturnType<typeof locationSchema>>;

function toValues(l: LocationDto | null, currency: string): LocationValues {
  const a = l?.address;
  return {
    code: l?.code ?? '',
    name: l?.name ?? '',
    kind: l?.kind ?? 'warehouse',
    address: {
      name: a?.name ?? '',
      company: a?.company ?? '',
      line1: a?.line1 ?? '',
      line2: a?.line2 ?? '',
      city: a?.city ?? '',
      region: a?.region ?? '',
      postalCode: a?.postalCode ?? '',
      country: a?.country ?? '',
      phone: a?.phone ?? '',
    },
    latitude: l ? String(l.latitude) : '',
    longitude: l ? String(l.longitude) : '',
    canShip: l?.canShip ?? true,
    canPickup: l?.canPickup ?? false,
    priority: String(l?.priority ?? 10),
    rate: {
      base: minorToInput(l?.rate.base ?? 0, currency),
      perKg: minorToInput(l?.rate.perKg ?? 0, currency),
      per1000Km: minorToInput(l?.rate.per1000Km ?? 0, currency),
    },
  };
}

const nullIfBlank = (v: string) => (v.trim() === '' ? null : v.trim());

function toInput(v: LocationValues, currency: string): LocationInputDto {
  const minor = (text: string) => {
    const parsed = parseMoney(text, currency);
    return parsed.ok ? parsed.value : 0;
  };
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    kind: v.kind,
    address: {
      name: v.address.name.trim() || v.name.trim(),
      company: nullIfBlank(v.address.company),
      line1: v.address.line1.trim(),
      line2: nullIfBlank(v.address.line2),
      city: v.address.city.trim(),
      region: v.address.region.trim(),
      postalCode: v.address.postalCode.trim(),
      country: v.address.country.trim().toUpperCase(),
      phone: nullIfBlank(v.address.phone),
    },
    latitude: Number(v.latitude),
    longitude: Number(v.longitude),
    canShip: v.canShip,
    canPickup: v.canPickup,
    priority: Number(v.priority),
    rate: { base: minor(v.rate.base), perKg: minor(v.rate.perKg), per1000Km: minor(v.rate.per1000Km) },
  };
}

function LocationDialog({
  editing,
  onClose,
}: {
  editing: { location: LocationDto | null } | null;
  onClose: () => void;
}) {
  const currency = useShopCurrency();
  const schema = useMemo(() => locationSchema(currency), [currency]);
  const save = useSaveLocation();
  const location = editing?.location ?? null;
  const form = useForm<LocationValues>({ resolver: zodResolver(schema), defaultValues: toValues(null, currency) });
  const openKey = editing ? (location?.id ?? 'new') : 'closed';
  useEffect(() => {
    form.reset(toValues(location, currency));
    save.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openKey]);

  const known = (path: string) => {
    const [head, tail] = path.split('.');
    const values = form.getValues() as Record<string, unknown>;
    if (!head || !(head in values)) return false;
    return (
      tail === undefined ||
      (typeof values[head] === 'object' && values[head] !== null && tail in (values[head] as object))
    );
  };

  const submit = form.handleSubmit((values) =>
    save.mutate(
      { id: location?.id ?? null, location: toInput(values, currency) },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: `${saved.code} saved` });
          onClose();
        },
        onError: (error) => applyFieldError(error, form.setError, known),
      },
    ),
  );
  const e = form.formState.errors;
  const appError = save.error ? toAppError(save.error) : null;
  const unplaced = appError && !(appError.field && known(fieldPath(appError.field)));

  return (
    <Modal
      opened={editing !== null}
      onClose={onClose}
      title={location ? `Edit ${location.code}` : 'New location'}
      size="xl"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={3} spacing="sm">
            <TextInput label="Code" required data-autofocus {...form.register('code')} error={e.code?.message} />
            <TextInput label="Name" required {...form.register('name')} error={e.name?.message} />
            <NativeSelect label="Kind" data={KINDS} {...form.register('kind')} error={e.kind?.message} />
          </SimpleGrid>
          <Divider label="Address" labelPosition="left" />
          <SimpleGrid cols={2} spacing="sm">
            <TextInput label="Address line 1" {...form.register('address.line1')} error={e.address?.line1?.message} />
            <TextInput label="Address line 2" {...form.register('address.line2')} error={e.address?.line2?.message} />
          </SimpleGrid>
          <SimpleGrid cols={4} spacing="sm">
            <TextInput
              label="Postal code"
              {...form.register('address.postalCode')}
              error={e.address?.postalCode?.message}
            />
            <TextInput label="City" {...form.register('address.city')} error={e.address?.city?.message} />
            <TextInput label="Region" {...form.register('address.region')} error={e.address?.region?.message} />
            <TextInput
              label="Country"
              placeholder="US"
              maxLength={2}
              {...form.register('address.country')}
              error={e.address?.country?.message}
            />
          </SimpleGrid>
          <SimpleGrid cols={4} spacing="sm">
            <TextInput label="Contact name" {...form.register('address.name')} error={e.address?.name?.message} />
            <TextInput label="Phone" type="tel" {...form.register('address.phone')} error={e.address?.phone?.message} />
            <TextInput
              label="Latitude"
              inputMode="decimal"
              {...form.register('latitude')}
              error={e.latitude?.message}
            />
            <TextInput
              label="Longitude"
              inputMode="decimal"
              {...form.register('longitude')}
              error={e.longitude?.message}
            />
          </SimpleGrid>
          <Divider label="Fulfilment" labelPosition="left" />
          <Group align="flex-end">
            <Checkbox label="Can ship" {...form.register('canShip')} />
            <Checkbox label="Hands over pick-ups" {...form.register('canPickup')} />
            <TextInput
              label="Priority (lower first)"
              w={140}
              inputMode="numeric"
              {...form.register('priority')}
              error={e.priority?.message}
            />
          </Group>
          <SimpleGrid cols={3} spacing="sm">
            <TextInput
              label={`Rate: base (${currency})`}
              inputMode="decimal"
              {...form.register('rate.base')}
              error={e.rate?.base?.message}
            />
            <TextInput
              label={`Rate: per kg (${currency})`}
              inputMode="decimal"
              {...form.register('rate.perKg')}
              error={e.rate?.perKg?.message}
            />
            <TextInput
              label={`Rate: per 1,000 km (${currency})`}
              inputMode="decimal"
              {...form.register('rate.per1000Km')}
              error={e.rate?.per1000Km?.message}
            />
          </SimpleGrid>
          {unplaced ? <ErrorCard error={appError} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {location ? 'Save' : 'Create location'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
