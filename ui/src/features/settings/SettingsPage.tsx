/**
 * Settings: the business (name, currency, contact, default tax rate), sales channels, e-mail, the
 * fulfilment rules, the return policy, this workstation's home location and printers, the database this desktop uses
 * (test a PostgreSQL URL, switch to it or back to the local file), and the demo shop.
 */
import {
  Alert,
  Button,
  Card,
  Center,
  Code,
  Group,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { CheckCircle2, Database, FlaskConical, HardDrive, Trash2, XCircle } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { SettingsDto } from '../../bindings/SettingsDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Page } from '../../components/Page';
import { applyFieldError, fieldPath } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { basisPointsToPercent, percentToBasisPoints } from '../../lib/money';
import { useAppInfo } from '../../lib/queries';
import { ChannelsSection } from './ChannelsSection';
import { FulfilmentSection } from './FulfilmentSection';
import { MailSection } from './MailSection';
import { ReturnsSection } from './ReturnsSection';
import { WorkstationSection } from './WorkstationSection';
import { useClearData, useLoadDemo, useSaveSettings, useSettings, useSwitchDatabase, useTestDatabase } from './api';

export function SettingsPage() {
  return (
    <Page>
      <Title order={2} size="h3" mb="md">
        Settings
      </Title>
      <Stack gap="lg">
        <BusinessSection />
        <ChannelsSection />
        <MailSection />
        <FulfilmentSection />
        <ReturnsSection />
        <WorkstationSection />
        <DatabaseSection />
        <DemoSection />
      </Stack>
    </Page>
  );
}

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label={title}>
      <Title order={3} size="h4">
        {title}
      </Title>
      {description ? (
        <Text size="sm" c="dimmed" mb="md">
          {description}
        </Text>
      ) : null}
      {children}
    </Card>
  );
}

// ------------------------------------------------------------------------------------ business

const businessSchema = z.object({
  businessName: z.string().trim().min(1, 'Enter the business name'),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'Three letters, e.g. USD'),
  businessEmail: z.string(),
  businessPhone: z.string(),
  businessAddress: z.object({
    line1: z.string(),
    line2: z.string(),
    postalCode: z.string(),
    city: z.string(),
    region: z.string(),
    country: z.string(),
  }),
  taxRate: z.string().refine((v) => percentToBasisPoints(v) !== null, 'A percentage such as 8.25'),
});
type BusinessValues = z.infer<typeof businessSchema>;

function toValues(s: SettingsDto): BusinessValues {
  const a = s.businessAddress;
  return {
    businessName: s.businessName,
    currency: s.currency,
    businessEmail: s.businessEmail ?? '',
    businessPhone: s.businessPhone ?? '',
    businessAddress: {
      line1: a?.line1 ?? '',
      line2: a?.line2 ?? '',
      postalCode: a?.postalCode ?? '',
      city: a?.city ?? '',
      region: a?.region ?? '',
      country: a?.country ?? '',
    },
    taxRate: basisPointsToPercent(s.defaultTaxRateBp),
  };
}

const blankToNull = (v: string) => (v.trim() === '' ? null : v.trim());

function toDto(v: BusinessValues): SettingsDto {
  const a = v.businessAddress;
  const hasAddress = Object.values(a).some((x) => x.trim() !== '');
  return {
    businessName: v.businessName.trim(),
    currency: v.currency.trim().toUpperCase(),
    businessEmail: blankToNull(v.businessEmail),
    businessPhone: blankToNull(v.businessPhone),
    businessAddress: hasAddress
      ? {
          name: v.businessName.trim(),
          company: null,
          line1: a.line1.trim(),
          line2: blankToNull(a.line2),
          city: a.city.trim(),
          region: a.region.trim(),
          postalCode: a.postalCode.trim(),
          country: a.country.trim().toUpperCase(),
          phone: blankToNull(v.businessPhone),
        }
      : null,
    defaultTaxRateBp: percentToBasisPoints(v.taxRate) ?? 0,
  };
}

const FIELD_ALIASES: Record<string, string> = { defaultTaxRateBp: 'taxRate' };

function BusinessSection() {
  const settings = useSettings();
  if (settings.isPending) {
    return (
      <Section title="Business">
        <Center p="md">
          <Loader aria-label="Loading settings" />
        </Center>
      </Section>
    );
  }
  if (settings.isError) {
    return (
      <Section title="Business">
        <ErrorCard error={settings.error} onRetry={() => void settings.refetch()} />
      </Section>
    );
  }
  return <BusinessForm settings={settings.data} />;
}

function BusinessForm({ settings }: { settings: SettingsDto }) {
  const save = useSaveSettings();
  const form = useForm<BusinessValues>({ resolver: zodResolver(businessSchema), defaultValues: toValues(settings) });
  useEffect(() => {
    form.reset(toValues(settings));
  }, [settings, form]);
  const known = (path: string) =>
    ['businessName', 'currency', 'businessEmail', 'businessPhone', 'taxRate'].includes(path) ||
    /^businessAddress\.(line1|line2|postalCode|city|region|country)$/.test(path);
  const submit = form.handleSubmit((values) =>
    save.mutate(toDto(values), {
      onSuccess: () => notifications.show({ color: 'green', message: 'Settings saved' }),
      onError: (error) => applyFieldError(error, form.setError, known, FIELD_ALIASES),
    }),
  );
  const e = form.formState.errors;
  const appError = save.error ? toAppError(save.error) : null;
  const unplaced =
    appError && !(appError.field && known(FIELD_ALIASES[fieldPath(appError.field)] ?? fieldPath(appError.field)));
  return (
    <Section title="Business" description="Shown on documents and used for new orders.">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={3} spacing="sm">
            <TextInput
              label="Business name"
              required
              {...form.register('businessName')}
              error={e.businessName?.message}
            />
            <TextInput
              label="Currency (ISO 4217)"
              placeholder="USD"
              maxLength={3}
              {...form.register('currency')}
              error={e.currency?.message}
            />
            <TextInput
              label="Default tax rate (%)"
              inputMode="decimal"
              {...form.register('taxRate')}
              error={e.taxRate?.message}
            />
          </SimpleGrid>
          <SimpleGrid cols={2} spacing="sm">
            <TextInput
              label="E-mail"
              type="email"
              {...form.register('businessEmail')}
              error={e.businessEmail?.message}
            />
            <TextInput label="Phone" type="tel" {...form.register('businessPhone')} error={e.businessPhone?.message} />
          </SimpleGrid>
          <SimpleGrid cols={2} spacing="sm">
            <TextInput
              label="Address line 1"
              {...form.register('businessAddress.line1')}
              error={e.businessAddress?.line1?.message}
            />
            <TextInput
              label="Address line 2"
              {...form.register('businessAddress.line2')}
              error={e.businessAddress?.line2?.message}
            />
          </SimpleGrid>
          <SimpleGrid cols={4} spacing="sm">
            <TextInput
              label="Postal code"
              {...form.register('businessAddress.postalCode')}
              error={e.businessAddress?.postalCode?.message}
            />
            <TextInput
              label="City"
              {...form.register('businessAddress.city')}
              error={e.businessAddress?.city?.message}
            />
            <TextInput
              label="Region"
              {...form.register('businessAddress.region')}
              error={e.businessAddress?.region?.message}
            />
            <TextInput
              label="Country"
              maxLength={2}
              placeholder="US"
              {...form.register('businessAddress.country')}
              error={e.businessAddress?.country?.message}
            />
          </SimpleGrid>
          {unplaced ? <ErrorCard error={appError} /> : null}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={!form.formState.isDirty}>
              Save business details
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

// ------------------------------------------------------------------------------------ database

function DatabaseSection() {
  const info = useAppInfo();
  const [url, setUrl] = useState('');
  const test = useTestDatabase();
  const switchDb = useSwitchDatabase();

  const use = (target: string) =>
    switchDb.mutate(target, {
      onSuccess: (next) => {
        notifications.show({
          color: 'green',
          message: `Now using ${next.databaseKind === 'postgres' ? 'PostgreSQL' : 'the local SQLite file'}`,
        });
        if (target !== '') setUrl('');
        test.reset();
      },
    });

  const onLocal = info.data?.databaseKind !== 'postgres';
  return (
    <Section
      title="Database"
      description="Each desktop keeps its data in a local file. To share one shop between several desktops, use a PostgreSQL server."
    >
      <Stack gap="sm">
        <Group gap="xs">
          {onLocal ? <HardDrive size={18} /> : <Database size={18} />}
          <Text fw={600}>{info.data ? (onLocal ? 'Local file (SQLite)' : 'PostgreSQL') : '…'}</Text>
          <Code>{info.data?.databaseUrl}</Code>
        </Group>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (url.trim()) test.mutate(url.trim());
          }}
        >
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label="PostgreSQL URL"
              placeholder="postgres://user:password@host:5432/orderly"
              autoComplete="off"
              spellCheck={false}
              value={url}
              onChange={(e) => {
                setUrl(e.currentTarget.value);
                test.reset();
              }}
            />
            <Button
              type="submit"
              variant="light"
              leftSection={<FlaskConical size={16} />}
              loading={test.isPending}
              disabled={!url.trim()}
            >
              Test connection
            </Button>
            <Button
              leftSection={<Database size={16} />}
              disabled={!url.trim() || test.data?.ok === false}
              loading={switchDb.isPending && switchDb.variables !== ''}
              onClick={() => use(url.trim())}
            >
              Use this database
            </Button>
          </Group>
        </form>
        {test.data ? (
          <Alert
            role="status"
            color={test.data.ok ? 'green' : 'red'}
            variant="light"
            icon={test.data.ok ? <CheckCircle2 size={18} /> : <XCircle size={18} />}
            title={test.data.ok ? `Connected (${test.data.kind})` : 'Connection failed'}
            data-testid="database-test-result"
          >
            {test.data.message}
          </Alert>
        ) : null}
        {test.isError ? <ErrorCard error={test.error} /> : null}
        {switchDb.isError ? <ErrorCard error={switchDb.error} title="Could not switch the database" /> : null}
        <Group>
          <Button
            variant="default"
            leftSection={<HardDrive size={16} />}
            disabled={onLocal}
            loading={switchDb.isPending && switchDb.variables === ''}
            onClick={() => use('')}
          >
            Use local file
          </Button>
          {onLocal ? (
            <Text size="sm" c="dimmed">
              This desktop uses its local file.
            </Text>
          ) : null}
        </Group>
      </Stack>
    </Section>
  );
}

// ------------------------------------------------------------------------------------ demo

function DemoSection() {
  const info = useAppInfo();
  const loadDemo = useLoadDemo();
  const clearData = useClearData();
  const [confirming, setConfirming] = useState(false);

  return (
    <Section
      title="Demo data"
      description="A sample shop with products, locations, stock, customers and orders to learn on."
    >
      <Stack gap="sm">
        {info.data?.demoLoaded ? <Text size="sm">The demo shop is loaded.</Text> : null}
        <Group>
          <Button
            variant="light"
            loading={loadDemo.isPending}
            onClick={() =>
              loadDemo.mutate(undefined, {
                onSuccess: () => notifications.show({ color: 'green', message: 'Demo shop loaded' }),
              })
            }
          >
            Load demo data
          </Button>
          <Button color="red" variant="light" leftSection={<Trash2 size={16} />} onClick={() => setConfirming(true)}>
            Clear all data…
          </Button>
        </Group>
        {loadDemo.isError ? <ErrorCard error={loadDemo.error} /> : null}
      </Stack>
      <Modal
        opened={confirming}
        onClose={() => {
          clearData.reset();
          setConfirming(false);
        }}
        title="Delete all shop data?"
      >
        <Stack>
          <Text size="sm">
            This permanently deletes, from <Code>{info.data?.databaseUrl}</Code>:
          </Text>
          <Text size="sm" component="ul" my={0} pl="lg">
            <li>all orders, with their payments, reservations and timelines;</li>
            <li>all stock: balances, movements and transfers;</li>
            <li>all products and customers;</li>
            <li>all locations and sales channels.</li>
          </Text>
          <Text size="sm">Your business details stay.</Text>
          <Text size="sm" fw={600}>
            It cannot be undone.
          </Text>
          {clearData.isError ? <ErrorCard error={clearData.error} /> : null}
          <Group justify="flex-end">
            <Button variant="default" data-autofocus onClick={() => setConfirming(false)}>
              Keep my data
            </Button>
            <Button
              color="red"
              loading={clearData.isPending}
              onClick={() =>
                clearData.mutate(undefined, {
                  onSuccess: () => {
                    setConfirming(false);
                    notifications.show({ color: 'green', message: 'All shop data deleted' });
                  },
                })
              }
            >
              Delete all shop data
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Section>
  );
}
