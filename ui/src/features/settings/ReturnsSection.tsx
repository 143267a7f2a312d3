/**
 * Settings → Returns: the return policy — the default return window, a window per sales channel, the
 * restocking fee (a percent with two decimals, stored as basis points), whether shipping is refunded
 * when the shop is at fault, the return label fee (money text → minor units) and where ship-backs go.
 * The core checks the ranges and names the field.
 */
import {
  Button,
  Card,
  Center,
  Checkbox,
  Group,
  Loader,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { ReturnPolicyDto } from '../../bindings/ReturnPolicyDto';
import { ErrorCard } from '../../components/ErrorCard';
import { toAppError } from '../../lib/ipc';
import { basisPointsToPercent, minorToInput, parseMoney, percentToBasisPoints } from '../../lib/money';
import { useChannels, useLocations, useShopCurrency } from '../../lib/queries';
import { useReturnPolicy, useSaveReturnPolicy } from './api';

const days = z.string().regex(/^\s*\d{1,4}\s*$/, 'A whole number of days, such as 30');

function policySchema(currency: string) {
  return z.object({
    defaultWindowDays: days,
    channelDays: z.record(z.string(), z.string().regex(/^\s*(\d{1,4})?\s*$/, 'A whole number of days, or blank')),
    restockingFee: z.string().refine((v) => percentToBasisPoints(v) !== null, 'A percent such as 15 or 12.50'),
    refundShippingOnShopFault: z.boolean(),
    returnLabelFee: z.string().superRefine((v, ctx) => {
      const parsed = parseMoney(v.trim() === '' ? '0' : v, currency);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
    }),
    defaultLocation: z.string(),
  });
}
type PolicyValues = z.infer<ReturnType<typeof policySchema>>;

const toValues = (p: ReturnPolicyDto, currency: string): PolicyValues => ({
  defaultWindowDays: String(p.defaultWindowDays),
  channelDays: Object.fromEntries(p.channelWindows.map((w) => [w.channel, String(w.days)])),
  restockingFee: basisPointsToPercent(p.restockingFeeBp),
  refundShippingOnShopFault: p.refundShippingOnShopFault,
  returnLabelFee: minorToInput(p.returnLabelFee, currency),
  defaultLocation: p.defaultLocation ?? '',
});

const toDto = (v: PolicyValues, currency: string): ReturnPolicyDto => {
  const fee = parseMoney(v.returnLabelFee.trim() === '' ? '0' : v.returnLabelFee, currency);
  return {
    defaultWindowDays: Number(v.defaultWindowDays.trim()),
    channelWindows: Object.entries(v.channelDays)
      .filter(([, d]) => d.trim() !== '')
      .map(([channel, d]) => ({ channel, days: Number(d.trim()) })),
    restockingFeeBp: percentToBasisPoints(v.restockingFee) ?? 0,
    refundShippingOnShopFault: v.refundShippingOnShopFault,
    returnLabelFee: fee.ok ? fee.value : 0,
    defaultLocation: v.defaultLocation || null,
  };
};

export function ReturnsSection() {
  const policy = useReturnPolicy();
  const currency = useShopCurrency();
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label="Returns">
      <Title order={3} size="h4">
        Returns
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        How long customers may return goods, the fees deducted from refunds, and where returns go.
      </Text>
      {policy.isPending ? (
        <Center p="md">
          <Loader aria-label="Loading the return policy" />
        </Center>
      ) : policy.isError ? (
        <ErrorCard error={policy.error} onRetry={() => void policy.refetch()} />
      ) : (
        <PolicyForm policy={policy.data} currency={currency} />
      )}
    </Card>
  );
}

function PolicyForm({ policy, currency }: { policy: ReturnPolicyDto; currency: string }) {
  const save = useSaveReturnPolicy();
  const channels = useChannels();
  const locations = useLocations();
  const form = useForm<PolicyValues>({
    resolver: zodResolver(policySchema(currency)),
    defaultValues: toValues(policy, currency),
  });
  useEffect(() => {
    form.reset(toValues(policy, currency));
  }, [policy, currency, form]);
  const sent = save.variables;
  const appError = save.error ? toAppError(save.error) : null;
  // The core names `channelWindows.N.days`: N is the row of what was sent.
  const coreError = (field: string): string | undefined => {
    if (!appError?.field) return undefined;
    if (appError.field === field) return appError.message;
    const m = /^channelWindows\.(\d+)\.days$/.exec(appError.field);
    if (m && sent && field === `channelDays.${sent.channelWindows[Number(m[1])]?.channel}`) return appError.message;
    return undefined;
  };
  const placed =
    appError?.field &&
    (['defaultWindowDays', 'restockingFeeBp', 'returnLabelFee', 'defaultLocation'].includes(appError.field) ||
      appError.field.startsWith('channelWindows.'));
  const submit = form.handleSubmit((values) =>
    save.mutate(toDto(values, currency), {
      onSuccess: () => notifications.show({ color: 'green', message: 'Return policy saved' }),
    }),
  );
  const e = form.formState.errors;
  return (
    <form onSubmit={submit} noValidate aria-label="Return policy">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            label="Return window (days)"
            description="From the day the goods left; for channels without their own."
            inputMode="numeric"
            {...form.register('defaultWindowDays')}
            error={e.defaultWindowDays?.message ?? coreError('defaultWindowDays')}
          />
          <TextInput
            label="Restocking fee (%)"
            description="On changed-mind returns; 0 = none. Waived for exchanges."
            inputMode="decimal"
            {...form.register('restockingFee')}
            error={e.restockingFee?.message ?? coreError('restockingFeeBp')}
          />
          <TextInput
            label={`Return label fee (${currency})`}
            description="Deducted once from a ship-back refund when the shop is not at fault."
            inputMode="decimal"
            {...form.register('returnLabelFee')}
            error={e.returnLabelFee?.message ?? coreError('returnLabelFee')}
          />
        </SimpleGrid>
        <Text size="sm" fw={500}>
          Window per channel (blank = the default)
        </Text>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
          {(channels.data ?? []).map((c) => (
            <TextInput
              key={c.code}
              label={`${c.name} (${c.code})`}
              inputMode="numeric"
              placeholder="default"
              {...form.register(`channelDays.${c.code}`)}
              error={e.channelDays?.[c.code]?.message ?? coreError(`channelDays.${c.code}`)}
            />
          ))}
        </SimpleGrid>
        <Group align="flex-end" gap="lg">
          <NativeSelect
            label="Ship-backs go to"
            description="Blank = the first active warehouse"
            w={280}
            {...form.register('defaultLocation')}
            error={coreError('defaultLocation')}
            data={[
              { value: '', label: 'First active warehouse' },
              ...(locations.data ?? [])
                .filter((l) => l.active)
                .map((l) => ({ value: l.code, label: `${l.name} (${l.code})` })),
            ]}
          />
          <Checkbox
            mb={8}
            label="Refund shipping when the shop is at fault (defective, damaged in transit, wrong item, not as described, late)"
            {...form.register('refundShippingOnShopFault')}
          />
        </Group>
        {appError && !placed ? <ErrorCard error={appError} /> : null}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending} disabled={!form.formState.isDirty}>
            Save return policy
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
