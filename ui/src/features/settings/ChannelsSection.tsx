/**
 * Sales channels: where orders come from (counter, web store, marketplace, phone, ...) and how many
 * units per SKU and location each one never sells, so another channel keeps them.
 */
import {
  Button,
  Card,
  Center,
  Group,
  Loader,
  Modal,
  NumberFormatter,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { Pencil, Plus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { ChannelDto } from '../../bindings/ChannelDto';
import { ErrorCard } from '../../components/ErrorCard';
import { applyFieldError, fieldPath } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { useChannels } from '../../lib/queries';
import { useSaveChannel } from './api';

export function ChannelsSection() {
  const channels = useChannels();
  const [editing, setEditing] = useState<{ channel: ChannelDto | null } | null>(null);
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label="Sales channels">
      <Group justify="space-between" mb={4}>
        <Title order={3} size="h4">
          Sales channels
        </Title>
        <Button variant="light" leftSection={<Plus size={16} />} onClick={() => setEditing({ channel: null })}>
          Add channel
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        Where orders come from. The stock buffer is how many units of each SKU at each location a channel never sells
        (e.g. keep 2 back from the marketplace).
      </Text>
      {channels.isPending ? (
        <Center p="md">
          <Loader aria-label="Loading channels" />
        </Center>
      ) : channels.isError ? (
        <ErrorCard error={channels.error} onRetry={() => void channels.refetch()} />
      ) : (
        <Table fz="sm" verticalSpacing={6} aria-label="Sales channels">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Code</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th ta="right">Stock buffer</Table.Th>
              <Table.Th w={80} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {channels.data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td ff="monospace">{c.code}</Table.Td>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td ta="right">
                  <NumberFormatter value={c.safetyStock} thousandSeparator />
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    leftSection={<Pencil size={14} />}
                    aria-label={`Edit channel ${c.code}`}
                    onClick={() => setEditing({ channel: c })}
                  >
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ChannelDialog editing={editing} onClose={() => setEditing(null)} />
    </Card>
  );
}

const channelSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]{1,40}$/, 'Lower-case letters, digits, - or _, e.g. etsy'),
  name: z.string().trim().min(1, 'Enter a name'),
  safetyStock: z.string().regex(/^\s*\d+\s*$/, 'A whole number of units (0 for none)'),
});
type ChannelValues = z.infer<typeof channelSchema>;

function ChannelDialog({ editing, onClose }: { editing: { channel: ChannelDto | null } | null; onClose: () => void }) {
  const save = useSaveChannel();
  const form = useForm<ChannelValues>({ resolver: zodResolver(channelSchema) });
  const channel = editing?.channel ?? null;
  const openKey = editing ? (channel?.id ?? 'new') : 'closed';
  useEffect(() => {
    form.reset({
      code: channel?.code ?? '',
      name: channel?.name ?? '',
      safetyStock: String(channel?.safetyStock ?? 0),
    });
    save.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openKey]);
  const known = (path: string) => ['code', 'name', 'safetyStock'].includes(path);
  const submit = form.handleSubmit((v) =>
    save.mutate(
      {
        isNew: channel === null,
        channel: { code: v.code.trim(), name: v.name.trim(), safetyStock: Number(v.safetyStock) },
      },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: `Channel ${saved.code} saved` });
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
      title={channel ? `Edit channel ${channel.code}` : 'Add a sales channel'}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Code"
            readOnly={channel !== null}
            data-autofocus={channel === null || undefined}
            {...form.register('code')}
            error={e.code?.message}
          />
          <TextInput
            label="Name"
            data-autofocus={channel !== null || undefined}
            {...form.register('name')}
            error={e.name?.message}
          />
          <TextInput
            label="Stock buffer (units)"
            inputMode="numeric"
            {...form.register('safetyStock')}
            error={e.safetyStock?.message}
          />
          {unplaced ? <ErrorCard error={appError} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {channel ? 'Save' : 'Add channel'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
