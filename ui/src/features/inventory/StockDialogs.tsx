/**
 * The three stock moves as keyboard-friendly dialogs: the row's SKU and location come prefilled, the
 * quantity has the focus, Enter submits, Esc closes. The core checks the move (known SKU, enough
 * stock to adjust down or send away) and its field errors appear next to the inputs.
 */
import { Button, Checkbox, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, type ReactNode } from 'react';
import { useForm, type FieldValues, type UseFormReturn } from 'react-hook-form';
import { z } from 'zod';
import type { LocationDto } from '../../bindings/LocationDto';
import { ErrorCard } from '../../components/ErrorCard';
import { applyFieldError, fieldPath } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { useAdjustStock, useReceiveStock, useTransferStock } from './api';

export type StockDialogKind = 'receive' | 'adjust' | 'transfer';
export type StockDialogState = { kind: StockDialogKind; sku: string; location: string } | null;

export const ADJUST_REASONS = [
  { value: 'count', label: 'Stock count' },
  { value: 'damaged', label: 'Damaged' },
  { value: 'lost', label: 'Lost' },
  { value: 'found', label: 'Found' },
  { value: 'other', label: 'Other' },
];

const positiveWhole = z
  .string()
  .regex(/^\s*\d+\s*$/, 'A whole number of units')
  .refine((v) => Number(v) > 0, 'At least 1');
const signedWhole = z
  .string()
  .regex(/^\s*[-+]?\d+\s*$/, 'A whole number, e.g. -2 or 3')
  .refine((v) => Number(v) !== 0, 'Not zero');
const required = (what: string) => z.string().trim().min(1, `Enter the ${what}`);

const blankToNull = (text: string) => (text.trim() === '' ? null : text.trim());

function locationOptions(locations: LocationDto[], placeholder: string) {
  return [
    { value: '', label: placeholder },
    ...locations.map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` })),
  ];
}

/** The dialog frame shared by the three moves: form, core error, Cancel / submit. */
function DialogForm<T extends FieldValues>({
  title,
  opened,
  onClose,
  form,
  onSubmit,
  error,
  pending,
  submitLabel,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  form: UseFormReturn<T>;
  onSubmit: (values: T) => void;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  children: ReactNode;
}) {
  const appError = error ? toAppError(error) : null;
  // A field error sits next to its input; anything else shows as a card.
  const showCard = appError && !(appError.field && fieldPath(appError.field) in form.getValues());
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="md">
      <form onSubmit={form.handleSubmit(onSubmit)} noValidate>
        <Stack gap="sm">
          {children}
          {showCard ? <ErrorCard error={appError} /> : null}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={pending}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function useResetOnOpen<T extends FieldValues>(form: UseFormReturn<T>, values: T, key: string) {
  // Fresh values each time the dialog opens for a row.
  useEffect(() => {
    form.reset(values);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}

function knownField<T extends FieldValues>(form: UseFormReturn<T>) {
  return (path: string) => path in form.getValues();
}

// ------------------------------------------------------------------------------------ receive

const receiveSchema = z.object({
  sku: required('SKU'),
  location: required('location'),
  qty: positiveWhole,
  note: z.string(),
});
type ReceiveValues = z.infer<typeof receiveSchema>;

export function ReceiveDialog({ state, onClose, locations }: DialogProps) {
  const opened = state?.kind === 'receive';
  const mutation = useReceiveStock();
  const form = useForm<ReceiveValues>({ resolver: zodResolver(receiveSchema) });
  useResetOnOpen(
    form,
    { sku: state?.sku ?? '', location: state?.location ?? '', qty: '', note: '' },
    `${opened}-${state?.sku}-${state?.location}`,
  );
  const close = () => {
    mutation.reset();
    onClose();
  };
  const submit = (v: ReceiveValues) =>
    mutation.mutate(
      { sku: v.sku.trim(), location: v.location, qty: Number(v.qty), note: blankToNull(v.note) },
      {
        onSuccess: (balance) => {
          notifications.show({
            color: 'green',
            message: `Received ${v.qty} × ${balance.sku} at ${balance.location}: ${balance.onHand} on hand`,
          });
          close();
        },
        onError: (e) => applyFieldError(e, form.setError, knownField(form)),
      },
    );
  const e = form.formState.errors;
  return (
    <DialogForm
      title="Receive stock"
      opened={opened}
      onClose={close}
      form={form}
      onSubmit={submit}
      error={mutation.error}
      pending={mutation.isPending}
      submitLabel="Receive"
    >
      <TextInput
        label="SKU"
        {...form.register('sku')}
        error={e.sku?.message}
        data-autofocus={!state?.sku || undefined}
      />
      <NativeSelect
        label="Location"
        data={locationOptions(locations, 'Choose a location')}
        {...form.register('location')}
        error={e.location?.message}
      />
      <TextInput
        label="Quantity"
        inputMode="numeric"
        {...form.register('qty')}
        error={e.qty?.message}
        data-autofocus={state?.sku ? true : undefined}
      />
      <TextInput
        label="Note"
        placeholder="e.g. supplier delivery note"
        {...form.register('note')}
        error={e.note?.message}
      />
    </DialogForm>
  );
}

// ------------------------------------------------------------------------------------ adjust

const adjustSchema = z.object({
  sku: required('SKU'),
  location: required('location'),
  delta: signedWhole,
  reason: required('reason'),
  note: z.string(),
});
type AdjustValues = z.infer<typeof adjustSchema>;

export function AdjustDialog({ state, onClose, locations }: DialogProps) {
  const opened = state?.kind === 'adjust';
  const mutation = useAdjustStock();
  const form = useForm<AdjustValues>({ resolver: zodResolver(adjustSchema) });
  useResetOnOpen(
    form,
    { sku: state?.sku ?? '', location: state?.location ?? '', delta: '', reason: 'count', note: '' },
    `${opened}-${state?.sku}-${state?.location}`,
  );
  const close = () => {
    mutation.reset();
    onClose();
  };
  const submit = (v: AdjustValues) =>
    mutation.mutate(
      {
        sku: v.sku.trim(),
        location: v.location,
        delta: Number(v.delta.trim()),
        reason: v.reason,
        note: blankToNull(v.note),
      },
      {
        onSuccess: (balance) => {
          notifications.show({
            color: 'green',
            message: `Adjusted ${balance.sku} at ${balance.location}: ${balance.onHand} on hand`,
          });
          close();
        },
        onError: (e) => applyFieldError(e, form.setError, knownField(form)),
      },
    );
  const e = form.formState.errors;
  return (
    <DialogForm
      title="Adjust stock"
      opened={opened}
      onClose={close}
      form={form}
      onSubmit={submit}
      error={mutation.error}
      pending={mutation.isPending}
      submitLabel="Adjust"
    >
      <TextInput
        label="SKU"
        {...form.register('sku')}
        error={e.sku?.message}
        data-autofocus={!state?.sku || undefined}
      />
      <NativeSelect
        label="Location"
        data={locationOptions(locations, 'Choose a location')}
        {...form.register('location')}
        error={e.location?.message}
      />
      <TextInput
        label="Change in units"
        description="Negative to remove (e.g. -2), positive to add"
        inputMode="numeric"
        {...form.register('delta')}
        error={e.delta?.message}
        data-autofocus={state?.sku ? true : undefined}
      />
      <NativeSelect label="Reason" data={ADJUST_REASONS} {...form.register('reason')} error={e.reason?.message} />
      <TextInput label="Note" {...form.register('note')} error={e.note?.message} />
    </DialogForm>
  );
}

// ------------------------------------------------------------------------------------ transfer

const transferSchema = z.object({
  sku: required('SKU'),
  from: required('location to send from'),
  to: required('location to send to'),
  qty: positiveWhole,
  arrived: z.boolean(),
});
type TransferValues = z.infer<typeof transferSchema>;

export function TransferDialog({ state, onClose, locations }: DialogProps) {
  const opened = state?.kind === 'transfer';
  const mutation = useTransferStock();
  const form = useForm<TransferValues>({ resolver: zodResolver(transferSchema) });
  useResetOnOpen(
    form,
    { sku: state?.sku ?? '', from: state?.location ?? '', to: '', qty: '', arrived: false },
    `${opened}-${state?.sku}-${state?.location}`,
  );
  const close = () => {
    mutation.reset();
    onClose();
  };
  const submit = (v: TransferValues) =>
    mutation.mutate(
      { sku: v.sku.trim(), from: v.from, to: v.to, qty: Number(v.qty), arrived: v.arrived },
      {
        onSuccess: (t) => {
          notifications.show({
            color: 'green',
            message: `${t.qty} × ${t.sku} ${t.receivedAt ? 'moved' : 'on the way'} from ${t.from} to ${t.to}`,
          });
          close();
        },
        onError: (e) => applyFieldError(e, form.setError, knownField(form)),
      },
    );
  const e = form.formState.errors;
  return (
    <DialogForm
      title="Transfer stock"
      opened={opened}
      onClose={close}
      form={form}
      onSubmit={submit}
      error={mutation.error}
      pending={mutation.isPending}
      submitLabel="Transfer"
    >
      <TextInput
        label="SKU"
        {...form.register('sku')}
        error={e.sku?.message}
        data-autofocus={!state?.sku || undefined}
      />
      <Group grow gap="xs" align="flex-start">
        <NativeSelect
          label="From"
          data={locationOptions(locations, 'Choose')}
          {...form.register('from')}
          error={e.from?.message}
        />
        <NativeSelect
          label="To"
          data={locationOptions(locations, 'Choose')}
          {...form.register('to')}
          error={e.to?.message}
          data-autofocus={state?.sku ? true : undefined}
        />
      </Group>
      <TextInput label="Quantity" inputMode="numeric" {...form.register('qty')} error={e.qty?.message} />
      <Checkbox label="Arrived now (no time in transit)" {...form.register('arrived')} />
      <Text size="xs" c="dimmed">
        Without “arrived now”, the units stay incoming at the destination until you receive the transfer.
      </Text>
    </DialogForm>
  );
}

type DialogProps = { state: StockDialogState; onClose: () => void; locations: LocationDto[] };
