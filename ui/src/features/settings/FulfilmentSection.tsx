/**
 * Fulfilment rules for the whole shop: how many days an order without a promised date has to leave
 * (its due date in the work queues, late after that), and how many days a ready pick-up waits for the
 * customer before it is released back to stock, and where each dropship supplier gets its purchase
 * orders by e-mail. The core checks the ranges and addresses and names the field.
 */
import { Button, Card, Center, Group, Loader, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { FulfilmentSettingsDto } from '../../bindings/FulfilmentSettingsDto';
import { ErrorCard } from '../../components/ErrorCard';
import { applyFieldError, fieldPath } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { useLocations } from '../../lib/queries';
import { useFulfilmentSettings, useSaveFulfilmentSettings } from './api';

const wholeDays = z.string().regex(/^\s*\d{1,3}\s*$/, 'A whole number of days, such as 2');
const fulfilmentSchema = z.object({
  shipWithinDays: wholeDays,
  pickupHoldDays: wholeDays,
  supplierEmails: z.record(z.string(), z.string()),
});
type FulfilmentValues = z.infer<typeof fulfilmentSchema>;

const FIELDS = ['shipWithinDays', 'pickupHoldDays'];

const toValues = (s: FulfilmentSettingsDto): FulfilmentValues => ({
  shipWithinDays: String(s.shipWithinDays),
  pickupHoldDays: String(s.pickupHoldDays),
  supplierEmails: Object.fromEntries((s.supplierEmails ?? []).map((e) => [e.location, e.email])),
});

const toDto = (v: FulfilmentValues): FulfilmentSettingsDto => ({
  shipWithinDays: Number(v.shipWithinDays.trim()),
  pickupHoldDays: Number(v.pickupHoldDays.trim()),
  supplierEmails: Object.entries(v.supplierEmails)
    .map(([location, email]) => ({ location, email: email.trim() }))
    .filter((e) => e.email !== ''),
});

export function FulfilmentSection() {
  const settings = useFulfilmentSettings();
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label="Fulfilment">
      <Title order={3} size="h4">
        Fulfilment
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        When orders are due to leave, and how long pick-ups wait at the store.
      </Text>
      {settings.isPending ? (
        <Center p="md">
          <Loader aria-label="Loading fulfilment settings" />
        </Center>
      ) : settings.isError ? (
        <ErrorCard error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <FulfilmentForm settings={settings.data} />
      )}
    </Card>
  );
}

function FulfilmentForm({ settings }: { settings: FulfilmentSettingsDto }) {
  const save = useSaveFulfilmentSettings();
  const suppliers = (useLocations().data ?? []).filter((l) => l.kind === 'dropship');
  const form = useForm<FulfilmentValues>({
    resolver: zodResolver(fulfilmentSchema),
    defaultValues: toValues(settings),
  });
  useEffect(() => {
    form.reset(toValues(settings));
  }, [settings, form]);
  const known = (path: string) => FIELDS.includes(path);
  const submit = form.handleSubmit((values) =>
    save.mutate(toDto(values), {
      onSuccess: () => notifications.show({ color: 'green', message: 'Fulfilment settings saved' }),
      onError: (error) => applyFieldError(error, form.setError, known),
    }),
  );
  const e = form.formState.errors;
  const appError = save.error ? toAppError(save.error) : null;
  const unplaced = appError && !(appError.field && known(fieldPath(appError.field)));
  return (
    <form onSubmit={submit} noValidate aria-label="Fulfilment settings">
      <Stack gap="sm">
        <SimpleGrid cols={2} spacing="sm">
          <TextInput
            label="Ship within (days)"
            description="Orders without a promised date are due this many days after the order."
            inputMode="numeric"
            {...form.register('shipWithinDays')}
            error={e.shipWithinDays?.message}
          />
          <TextInput
            label="Hold pick-ups (days)"
            description="Not collected by then: released back to stock, order cancelled."
            inputMode="numeric"
            {...form.register('pickupHoldDays')}
            error={e.pickupHoldDays?.message}
          />
        </SimpleGrid>
        {suppliers.length ? (
          <SimpleGrid cols={2} spacing="sm">
            {suppliers.map((l) => (
              <TextInput
                key={l.code}
                label={`Purchase orders for ${l.name} (${l.code})`}
                description="E-mailed with the PDF when a purchase order is sent; blank = print it only."
                type="email"
                placeholder="orders@supplier.com"
                {...form.register(`supplierEmails.${l.code}`)}
                error={appError?.field === `supplierEmails.${l.code}` ? appError.message : undefined}
              />
            ))}
          </SimpleGrid>
        ) : null}
        {unplaced && !appError?.field?.startsWith('supplierEmails.') ? <ErrorCard error={appError} /> : null}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!form.formState.isDirty}>
            Save fulfilment settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
