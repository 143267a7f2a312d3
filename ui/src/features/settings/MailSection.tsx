/**
 * Customer e-mail: the SMTP server the shop sends through (order confirmation, shipped, ready for
 * pick-up), a test e-mail to check it, and the outbox where every message waits, is retried and is
 * recorded. The password is write-only: the core only says whether one is saved.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Checkbox,
  Group,
  Loader,
  NativeSelect,
  PasswordInput,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { CheckCircle2, RotateCcw, Send, XCircle } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import type { MailSettingsDto } from '../../bindings/MailSettingsDto';
import type { MailStatusDto } from '../../bindings/MailStatusDto';
import type { MailTlsDto } from '../../bindings/MailTlsDto';
import { ErrorCard } from '../../components/ErrorCard';
import { formatDateTime } from '../../lib/dates';
import { applyFieldError, fieldPath } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { useMailSettings, useOutbox, useRetryMail, useSaveMailSettings, useSendTestMail } from './api';

const TLS_OPTIONS: { value: MailTlsDto; label: string }[] = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'tls', label: 'TLS (usually port 465)' },
  { value: 'none', label: 'None (local relay only)' },
];

const mailSchema = z.object({
  enabled: z.boolean(),
  host: z.string(),
  port: z.string().regex(/^\s*\d{1,5}\s*$/, 'A port number such as 587'),
  tls: z.enum(['none', 'starttls', 'tls']),
  username: z.string(),
  password: z.string(),
  clearPassword: z.boolean(),
  fromAddress: z.string(),
  fromName: z.string(),
  shopName: z.string(),
});
type MailValues = z.infer<typeof mailSchema>;

function toValues(s: MailSettingsDto): MailValues {
  return {
    enabled: s.enabled,
    host: s.host,
    port: String(s.port),
    tls: s.tls,
    username: s.username ?? '',
    password: '',
    clearPassword: false,
    fromAddress: s.fromAddress,
    fromName: s.fromName,
    shopName: s.shopName,
  };
}

function toDto(v: MailValues): MailSettingsDto {
  const username = v.username.trim();
  return {
    enabled: v.enabled,
    host: v.host.trim(),
    port: Number(v.port.trim()),
    tls: v.tls,
    username: username === '' ? null : username,
    // null keeps the saved password, "" removes it.
    password: v.clearPassword ? '' : v.password === '' ? null : v.password,
    passwordSet: false,
    fromAddress: v.fromAddress.trim(),
    fromName: v.fromName.trim(),
    shopName: v.shopName.trim(),
  };
}

const FIELDS = ['host', 'port', 'tls', 'username', 'password', 'fromAddress', 'fromName', 'shopName'];
/** The core names fields `mail.port`; the form's fields are `port`. */
const FIELD_ALIASES: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [`mail.${f}`, f]));

export function MailSection() {
  const settings = useMailSettings();
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label="E-mail">
      <Title order={3} size="h4">
        E-mail
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Customers get an order confirmation, a shipped notice with tracking and a ready-for-pick-up notice. Messages
        wait in the outbox and are retried when the mail server cannot be reached, so orders never wait for e-mail.
      </Text>
      {settings.isPending ? (
        <Center p="md">
          <Loader aria-label="Loading e-mail settings" />
        </Center>
      ) : settings.isError ? (
        <ErrorCard error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Stack gap="lg">
          <MailForm settings={settings.data} />
          <TestMail />
          <Outbox />
        </Stack>
      )}
    </Card>
  );
}

function MailForm({ settings }: { settings: MailSettingsDto }) {
  const save = useSaveMailSettings();
  const form = useForm<MailValues>({ resolver: zodResolver(mailSchema), defaultValues: toValues(settings) });
  useEffect(() => {
    form.reset(toValues(settings));
  }, [settings, form]);
  const known = (path: string) => FIELDS.includes(path);
  const submit = form.handleSubmit((values) =>
    save.mutate(toDto(values), {
      onSuccess: (saved) => {
        // The typed password is gone once saved (the cache may keep the same object if nothing else changed).
        form.reset(toValues(saved));
        notifications.show({ color: 'green', message: 'E-mail settings saved' });
      },
      onError: (error) => applyFieldError(error, form.setError, known, FIELD_ALIASES),
    }),
  );
  const e = form.formState.errors;
  const appError = save.error ? toAppError(save.error) : null;
  const unplaced =
    appError && !(appError.field && known(FIELD_ALIASES[fieldPath(appError.field)] ?? fieldPath(appError.field)));
  const clearing = useWatch({ control: form.control, name: 'clearPassword' });
  return (
    <form onSubmit={submit} noValidate aria-label="E-mail settings">
      <Stack gap="sm">
        <Switch label="Send e-mails to customers" {...form.register('enabled')} />
        <SimpleGrid cols={3} spacing="sm">
          <TextInput
            label="SMTP server"
            placeholder="smtp.example.com"
            autoComplete="off"
            spellCheck={false}
            {...form.register('host')}
            error={e.host?.message}
          />
          <TextInput label="Port" inputMode="numeric" {...form.register('port')} error={e.port?.message} />
          <NativeSelect label="Encryption (TLS)" data={TLS_OPTIONS} {...form.register('tls')} error={e.tls?.message} />
        </SimpleGrid>
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="User name"
            autoComplete="off"
            spellCheck={false}
            {...form.register('username')}
            error={e.username?.message}
          />
          <Stack gap={4}>
            <PasswordInput
              label="Password"
              autoComplete="new-password"
              placeholder={settings.passwordSet ? 'Saved (type to replace)' : 'Not set'}
              description={settings.passwordSet ? 'A password is saved; it is never shown.' : 'No password is saved.'}
              disabled={clearing}
              {...form.register('password')}
              error={e.password?.message}
            />
            {settings.passwordSet ? (
              <Checkbox size="xs" label="Remove the saved password" {...form.register('clearPassword')} />
            ) : null}
          </Stack>
        </SimpleGrid>
        <SimpleGrid cols={3} spacing="sm">
          <TextInput
            label="From address"
            type="email"
            placeholder="orders@example.com"
            {...form.register('fromAddress')}
            error={e.fromAddress?.message}
          />
          <TextInput label="From name" {...form.register('fromName')} error={e.fromName?.message} />
          <TextInput
            label="Shop name in e-mails"
            placeholder="The business name"
            {...form.register('shopName')}
            error={e.shopName?.message}
          />
        </SimpleGrid>
        {unplaced ? <ErrorCard error={appError} /> : null}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!form.formState.isDirty}>
            Save e-mail settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function TestMail() {
  const [to, setTo] = useState('');
  const test = useSendTestMail();
  const error = test.error ? toAppError(test.error) : null;
  return (
    <Stack gap="xs">
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          if (to.trim()) test.mutate(to.trim());
        }}
      >
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label="Send a test e-mail to"
            description="Uses the saved settings, even while sending is switched off."
            type="email"
            value={to}
            onChange={(ev) => {
              setTo(ev.currentTarget.value);
              test.reset();
            }}
            error={error?.message}
          />
          <Button
            type="submit"
            variant="light"
            leftSection={<Send size={16} />}
            loading={test.isPending}
            disabled={!to.trim()}
          >
            Send test e-mail
          </Button>
        </Group>
      </form>
      {test.data ? (
        <Alert
          role="status"
          color={test.data.ok ? 'green' : 'red'}
          variant="light"
          icon={test.data.ok ? <CheckCircle2 size={18} /> : <XCircle size={18} />}
          title={test.data.ok ? 'Test e-mail sent' : 'Test e-mail failed'}
          data-testid="mail-test-result"
        >
          {test.data.message}
        </Alert>
      ) : null}
    </Stack>
  );
}

const STATUS_COLOR: Record<MailStatusDto, string> = { queued: 'yellow', sent: 'green', failed: 'red' };
const STATUS_FILTERS = [
  { value: '', label: 'All' },
  { value: 'queued', label: 'Waiting' },
  { value: 'failed', label: 'Failed' },
  { value: 'sent', label: 'Sent' },
];

function Outbox() {
  const [status, setStatus] = useState<MailStatusDto | null>(null);
  const outbox = useOutbox(status);
  const retry = useRetryMail();
  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-end">
        <Title order={4} size="h5">
          Outbox
        </Title>
        <NativeSelect
          label="Show"
          size="xs"
          data={STATUS_FILTERS}
          value={status ?? ''}
          onChange={(ev) => setStatus((ev.currentTarget.value || null) as MailStatusDto | null)}
        />
      </Group>
      {outbox.isPending ? (
        <Center p="md">
          <Loader aria-label="Loading the outbox" />
        </Center>
      ) : outbox.isError ? (
        <ErrorCard error={outbox.error} onRetry={() => void outbox.refetch()} />
      ) : outbox.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No e-mails yet.
        </Text>
      ) : (
        <Table fz="sm" verticalSpacing={6} aria-label="Outbox">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Status</Table.Th>
              <Table.Th>To</Table.Th>
              <Table.Th>Subject</Table.Th>
              <Table.Th ta="right">Tries</Table.Th>
              <Table.Th>Last error</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th w={90} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {outbox.data.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>
                  <Badge color={STATUS_COLOR[row.status]} variant="light">
                    {row.status}
                  </Badge>
                </Table.Td>
                <Table.Td>{row.toAddress}</Table.Td>
                <Table.Td>{row.subject}</Table.Td>
                <Table.Td ta="right">{row.attempts}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="red" lineClamp={2} title={row.lastError ?? undefined}>
                    {row.lastError}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {row.status === 'sent'
                    ? `Sent ${formatDateTime(row.sentAt)}`
                    : row.status === 'queued'
                      ? `Next try ${formatDateTime(row.nextAttemptAt)}`
                      : 'Gave up'}
                </Table.Td>
                <Table.Td>
                  {row.status !== 'sent' ? (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      leftSection={<RotateCcw size={14} />}
                      aria-label={`Retry e-mail to ${row.toAddress}: ${row.subject}`}
                      loading={retry.isPending && retry.variables === row.id}
                      onClick={() =>
                        retry.mutate(row.id, {
                          onSuccess: () =>
                            notifications.show({ message: `E-mail to ${row.toAddress} will be sent now` }),
                          onError: (err) => notifications.show({ color: 'red', message: toAppError(err).message }),
                        })
                      }
                    >
                      Retry
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
