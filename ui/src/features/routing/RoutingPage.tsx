/**
 * Routing settings: what "best" means when an order is routed (objective, weights), the limits every
 * plan keeps, rules per channel and per location. Saving asks for a short note and creates a new
 * numbered version (versions are never changed); the history lists them all.
 */
import { Badge, Button, Card, Center, Group, Loader, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from '@tanstack/react-router';
import { FlaskConical } from 'lucide-react';
import { useState } from 'react';
import type { ChannelDto } from '../../bindings/ChannelDto';
import type { LocationDto } from '../../bindings/LocationDto';
import type { RoutingSettingsVersionDto } from '../../bindings/RoutingSettingsVersionDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/dates';
import { toAppError } from '../../lib/ipc';
import { useChannels, useLocations, useShopCurrency } from '../../lib/queries';
import { useRoutingHistory, useRoutingSettings, useSaveRoutingSettings } from './api';
import { OBJECTIVES, toDto } from './form';
import { RoutingSettingsFields } from './RoutingSettingsFields';
import { placeError, useRoutingForm } from './useRoutingForm';

export function RoutingPage() {
  const settings = useRoutingSettings();
  const channels = useChannels();
  const locations = useLocations();
  const currency = useShopCurrency();
  const failed = [settings, channels, locations].find((q) => q.isError);

  return (
    <Page>
      <PageHeader title="Routing">
        <Button component={Link} to="/routing/what-if" variant="light" leftSection={<FlaskConical size={16} />}>
          What-if…
        </Button>
      </PageHeader>
      {failed ? (
        <ErrorCard error={failed.error} onRetry={() => void failed.refetch()} />
      ) : settings.data && channels.data && locations.data ? (
        <Stack gap="lg">
          <SettingsEditor
            key={settings.data.version}
            current={settings.data}
            channels={channels.data}
            locations={locations.data}
            currency={currency}
          />
          <History />
        </Stack>
      ) : (
        <Center p="xl">
          <Loader aria-label="Loading routing settings" />
        </Center>
      )}
    </Page>
  );
}

export function objectiveLabel(value: string): string {
  return OBJECTIVES.find((o) => o.value === value)?.label ?? value;
}

function VersionLine({ v }: { v: RoutingSettingsVersionDto }) {
  return (
    <Group gap="xs" data-testid="routing-version">
      <Badge size="lg" variant="light">
        {v.version === 0 ? 'Built-in defaults' : `Version ${v.version}`}
      </Badge>
      <Text size="sm" c="dimmed">
        {v.version === 0
          ? 'Nothing saved yet: orders are routed with the defaults below.'
          : `In force since ${v.createdAt ? formatDateTime(v.createdAt) : '—'}, saved by ${v.createdBy}${v.note ? ` — “${v.note}”` : ''}`}
      </Text>
    </Group>
  );
}

function SettingsEditor({
  current,
  channels,
  locations,
  currency,
}: {
  current: RoutingSettingsVersionDto;
  channels: ChannelDto[];
  locations: LocationDto[];
  currency: string;
}) {
  const form = useRoutingForm(current.settings, channels, locations, currency);
  const save = useSaveRoutingSettings();
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState('');
  const [unplaced, setUnplaced] = useState<unknown>(null);

  const close = () => {
    setAsking(false);
    save.reset();
  };

  const confirm = form.handleSubmit((values) =>
    save.mutate(
      { settings: toDto(values, currency), note: note.trim() || null },
      {
        onSuccess: (saved) => {
          setAsking(false);
          setNote('');
          notifications.show({ color: 'green', message: `Routing settings saved as version ${saved.version}` });
        },
        onError: (error) => {
          if (toAppError(error).field === 'note') return;
          setAsking(false);
          setUnplaced(placeError(error, form, values) ? null : error);
        },
      },
    ),
  );
  const noteError = save.error && toAppError(save.error).field === 'note' ? toAppError(save.error).message : null;

  return (
    <form
      noValidate
      onSubmit={form.handleSubmit(() => {
        setUnplaced(null);
        setAsking(true);
      })}
    >
      <Stack gap="md">
        <VersionLine v={current} />
        <RoutingSettingsFields form={form} channels={channels} locations={locations} currency={currency} />
        {unplaced ? <ErrorCard error={unplaced} /> : null}
        <Group justify="flex-end">
          <Button variant="default" disabled={!form.formState.isDirty} onClick={() => form.reset()}>
            Undo changes
          </Button>
          <Button type="submit" disabled={!form.formState.isDirty}>
            Save as new version…
          </Button>
        </Group>
      </Stack>
      <Modal opened={asking} onClose={close} title="Save routing settings">
        <Stack>
          <Text size="sm">
            The new version routes every order from now on. Orders already routed keep their plan and say which version
            made it.
          </Text>
          <TextInput
            label="Note"
            description="A few words on why, kept in the history"
            placeholder="e.g. web orders from the east warehouse only"
            data-autofocus
            value={note}
            onChange={(ev) => setNote(ev.currentTarget.value)}
            onKeyDown={(ev) => {
              if (ev.key === 'Enter') {
                ev.preventDefault();
                void confirm();
              }
            }}
            error={noteError}
            maxLength={500}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button loading={save.isPending} onClick={() => void confirm()}>
              Save version
            </Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}

function History() {
  const history = useRoutingHistory();
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
              <Table.Th w={150}>Objective</Table.Th>
              <Table.Th>Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data.map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td ff="monospace">v{v.version}</Table.Td>
                <Table.Td>{v.createdBy}</Table.Td>
                <Table.Td>{v.createdAt ? formatDateTime(v.createdAt) : '—'}</Table.Td>
                <Table.Td>{objectiveLabel(v.settings.objective)}</Table.Td>
                <Table.Td>{v.note ?? <Text c="dimmed">—</Text>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
