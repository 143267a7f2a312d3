/**
 * Customers (`/customers`, Alt+U): one search box, focused on open, answering as you type by name,
 * e-mail or phone (the core's prefix search). ↑/↓ move through the results and Enter opens the
 * customer, so a rep on the phone never needs the mouse.
 */
import { Badge, Card, Center, Group, Loader, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { Search } from 'lucide-react';
import { useState, type KeyboardEvent } from 'react';
import type { CustomerDto } from '../../bindings/CustomerDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { ShortcutHint } from '../../components/ShortcutHint';
import { useCustomerSearch } from './api';
import type { CustomersSearch } from './search';

export function CustomersPage({ search }: { search: CustomersSearch }) {
  const navigate = useNavigate();
  const text = search.q ?? '';
  const [active, setActive] = useState(0);
  const found = useCustomerSearch(text);
  const rows: CustomerDto[] = text.trim() ? (found.data ?? []) : [];
  const current = Math.min(active, Math.max(rows.length - 1, 0));

  const open = (c: CustomerDto | undefined) => {
    if (c) void navigate({ to: '/customers/$id', params: { id: c.id } });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive(Math.min(current + 1, rows.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(current - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open(rows[current]);
    }
  };

  return (
    <Page>
      <PageHeader title="Customers">
        <ShortcutHint keys="Alt+U" />
      </PageHeader>
      <TextInput
        data-autofocus
        autoFocus
        aria-label="Search customers"
        placeholder="Name, e-mail or phone"
        leftSection={<Search size={16} />}
        value={text}
        onChange={(e) => {
          setActive(0);
          void navigate({ to: '/customers', search: { q: e.currentTarget.value || undefined }, replace: true });
        }}
        onKeyDown={onKeyDown}
        aria-controls="customer-results"
        aria-activedescendant={rows[current] ? `customer-${rows[current].id}` : undefined}
        maw={520}
        mb="md"
      />
      {found.isError ? (
        <ErrorCard error={found.error} onRetry={() => void found.refetch()} />
      ) : !text.trim() ? (
        <Text size="sm" c="dimmed">
          Type a name, an e-mail address or a phone number. ↑/↓ choose, Enter opens.
        </Text>
      ) : found.isPending ? (
        <Center p="md">
          <Loader size="sm" aria-label="Searching customers" />
        </Center>
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No customer matches “{text.trim()}”.
        </Text>
      ) : (
        <Stack gap={4} id="customer-results" role="listbox" aria-label="Customers found" maw={720}>
          {rows.map((c, i) => (
            <UnstyledButton
              key={c.id}
              id={`customer-${c.id}`}
              role="option"
              aria-selected={i === current}
              tabIndex={-1}
              onClick={() => open(c)}
              onMouseEnter={() => setActive(i)}
            >
              <Card
                withBorder
                padding="xs"
                bg={i === current ? 'var(--mantine-color-blue-light)' : undefined}
                style={{ borderColor: i === current ? 'var(--mantine-color-blue-5)' : undefined }}
              >
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Text size="sm" fw={600}>
                      {c.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {[c.email, c.phone].filter(Boolean).join(' · ') || 'no e-mail or phone'}
                    </Text>
                  </div>
                  <Badge variant="light" color="gray">
                    {c.orderCount} {c.orderCount === 1 ? 'order' : 'orders'}
                  </Badge>
                </Group>
              </Card>
            </UnstyledButton>
          ))}
        </Stack>
      )}
    </Page>
  );
}
