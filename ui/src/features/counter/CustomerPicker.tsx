/**
 * Customer for a counter sale: find one as you type (↑/↓ and Enter pick), or create one inline
 * (name, e-mail, phone go with the order). Optional for a walk-in sale.
 */
import { Button, Combobox, Group, Loader, Paper, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { UserPlus, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import type { CustomerDto } from '../../bindings/CustomerDto';
import { useCustomerSearch } from './api';
import type { CounterValues } from './form';

export function CustomerPicker({
  picked,
  onPick,
  newCustomer,
  onNewCustomer,
  register,
  errors,
  pickError,
}: {
  picked: CustomerDto | null;
  onPick: (customer: CustomerDto | null) => void;
  newCustomer: boolean;
  onNewCustomer: (on: boolean) => void;
  register: UseFormRegister<CounterValues>;
  errors: FieldErrors<CounterValues>;
  pickError?: string;
}) {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text, 150);
  const results = useCustomerSearch(debounced);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const searchRef = useRef<HTMLInputElement>(null);
  const customers = debounced.trim().length >= 2 ? (results.data ?? []) : [];

  // Enter picks the first match unless the arrows chose another.
  useEffect(() => {
    if (customers.length > 0) combobox.selectFirstOption();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [customers]);

  if (picked) {
    return (
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Customer
        </Text>
        <Paper withBorder p="xs" radius="md">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={600} data-testid="picked-customer">
                {picked.name}
              </Text>
              <Text size="xs" c="dimmed" truncate="end">
                {[picked.email, picked.phone].filter(Boolean).join(' · ') || 'No contact details'}
              </Text>
            </div>
            <Button
              size="compact-sm"
              variant="subtle"
              leftSection={<X size={14} />}
              style={{ flexShrink: 0 }}
              onClick={() => {
                onPick(null);
                requestAnimationFrame(() => searchRef.current?.focus());
              }}
            >
              Change
            </Button>
          </Group>
        </Paper>
      </Stack>
    );
  }

  if (newCustomer) {
    return (
      <Stack gap={6}>
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            New customer
          </Text>
          <Button size="compact-sm" variant="subtle" onClick={() => onNewCustomer(false)}>
            Find existing instead
          </Button>
        </Group>
        <TextInput
          label="Name"
          size="sm"
          data-autofocus
          error={errors.customer?.name?.message}
          {...register('customer.name')}
        />
        <Group grow gap="xs">
          <TextInput
            label="E-mail"
            type="email"
            size="sm"
            error={errors.customer?.email?.message}
            {...register('customer.email')}
          />
          <TextInput
            label="Phone"
            type="tel"
            size="sm"
            error={errors.customer?.phone?.message}
            {...register('customer.phone')}
          />
        </Group>
      </Stack>
    );
  }

  const pick = (id: string) => {
    const customer = customers.find((c) => c.id === id);
    if (customer) {
      onPick(customer);
      setText('');
      combobox.closeDropdown();
    }
  };

  return (
    <Stack gap={6}>
      <Combobox store={combobox} onOptionSubmit={pick}>
        <Combobox.Target>
          <TextInput
            ref={searchRef}
            label="Customer (optional)"
            placeholder="Name, e-mail or phone"
            value={text}
            error={pickError}
            onChange={(e) => {
              setText(e.currentTarget.value);
              combobox.openDropdown();
            }}
            onFocus={() => combobox.openDropdown()}
            onBlur={() => combobox.closeDropdown()}
            rightSection={results.isFetching ? <Loader size="xs" /> : null}
          />
        </Combobox.Target>
        <Combobox.Dropdown hidden={debounced.trim().length < 2}>
          <Combobox.Options aria-label="Matching customers">
            {customers.length === 0 ? (
              <Combobox.Empty>{results.isFetching ? 'Searching…' : 'No customer matches'}</Combobox.Empty>
            ) : (
              customers.map((c) => (
                <Combobox.Option value={c.id} key={c.id}>
                  <Text size="sm">{c.name}</Text>
                  <Text size="xs" style={{ opacity: 0.75 }}>
                    {[c.email, c.phone].filter(Boolean).join(' · ')} · {c.orderCount} orders
                  </Text>
                </Combobox.Option>
              ))
            )}
          </Combobox.Options>
        </Combobox.Dropdown>
      </Combobox>
      <Button
        size="compact-sm"
        variant="subtle"
        leftSection={<UserPlus size={14} />}
        onClick={() => onNewCustomer(true)}
        style={{ alignSelf: 'flex-start' }}
      >
        New customer
      </Button>
    </Stack>
  );
}
