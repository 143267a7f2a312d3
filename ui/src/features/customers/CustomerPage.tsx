/**
 * One customer (`/customers/:id`): who they are (name, e-mail, phone, addresses), the core's figures
 * (orders, open orders, lifetime spend, returns, store credit), their orders newest first, and the
 * timeline of everything that happened to them — every event of their orders (returns and refunds
 * included) and their store credit, newest first, with "Load more" following the core's cursor.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { ArrowLeft, Mail, MapPin, Phone } from 'lucide-react';
import type { ReactNode } from 'react';
import type { CustomerDetailDto } from '../../bindings/CustomerDetailDto';
import type { CustomerTimelineEntryDto } from '../../bindings/CustomerTimelineEntryDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate, formatDateTime } from '../../lib/dates';
import { useCustomerDetail, useCustomerOrders, useCustomerTimeline } from './api';

export function CustomerPage() {
  const { id } = useParams({ from: '/customers/$id' });
  const customer = useCustomerDetail(id);
  return (
    <Page>
      <Anchor component={Link} to="/customers" size="sm">
        <Group gap={4}>
          <ArrowLeft size={14} /> Customers
        </Group>
      </Anchor>
      {customer.isPending ? (
        <Center p="xl">
          <Loader aria-label="Loading customer" />
        </Center>
      ) : customer.isError ? (
        <Stack mt="md">
          <ErrorCard error={customer.error} onRetry={() => void customer.refetch()} />
        </Stack>
      ) : (
        <Stack gap="md" mt="xs">
          <Header customer={customer.data} />
          <Stats customer={customer.data} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <Orders id={id} />
            <CustomerTimeline id={id} />
          </SimpleGrid>
        </Stack>
      )}
    </Page>
  );
}

function Header({ customer }: { customer: CustomerDetailDto }) {
  return (
    <div>
      <Title order={2}>{customer.name}</Title>
      <Group gap="lg" mt={4}>
        {customer.email ? (
          <Group gap={4}>
            <Mail size={14} aria-hidden />
            <Anchor href={`mailto:${customer.email}`} size="sm">
              {customer.email}
            </Anchor>
          </Group>
        ) : null}
        {customer.phone ? (
          <Group gap={4}>
            <Phone size={14} aria-hidden />
            <Text size="sm">{customer.phone}</Text>
          </Group>
        ) : null}
        <Text size="xs" c="dimmed">
          Customer since {formatDate(customer.createdAt)}
        </Text>
      </Group>
      {customer.addresses.map((a, i) => (
        <Group gap={4} key={i} mt={2}>
          <MapPin size={14} aria-hidden />
          <Text size="sm" data-testid="customer-address">
            {[a.line1, a.line2, a.city, [a.region, a.postalCode].filter(Boolean).join(' '), a.country]
              .filter(Boolean)
              .join(', ')}
          </Text>
        </Group>
      ))}
    </div>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Card withBorder padding="sm" aria-label={label} role="group">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} mt={2}>
        {children}
      </Text>
    </Card>
  );
}

function Stats({ customer }: { customer: CustomerDetailDto }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
      <Stat label="Orders">
        {customer.orderCount}
        {customer.lastOrderAt ? (
          <Text span size="xs" c="dimmed" fw={400}>
            {' '}
            last {formatDate(customer.lastOrderAt)}
          </Text>
        ) : null}
      </Stat>
      <Stat label="Open orders">{customer.openOrders}</Stat>
      <Stat label="Lifetime spend">
        {customer.lifetimeSpend.length === 0 ? (
          <Money value={{ amount: 0, currency: customer.storeCredit.currency }} />
        ) : (
          customer.lifetimeSpend.map((m, i) => (
            <span key={m.currency}>
              {i > 0 ? ' · ' : null}
              <Money value={m} />
            </span>
          ))
        )}
      </Stat>
      <Stat label="Returns">{customer.returnCount}</Stat>
      <Stat label="Store credit">
        <Money value={customer.storeCredit} />
      </Stat>
    </SimpleGrid>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="sm" component="section" aria-label={title}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function Orders({ id }: { id: string }) {
  const orders = useCustomerOrders(id);
  const rows = orders.data?.pages.flatMap((p) => p.rows) ?? [];
  const total = orders.data?.pages[0]?.total ?? 0;
  return (
    <Section title="Orders">
      {orders.isPending ? (
        <Loader size="sm" aria-label="Loading orders" />
      ) : orders.isError ? (
        <ErrorCard error={orders.error} onRetry={() => void orders.refetch()} />
      ) : rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No orders yet.
        </Text>
      ) : (
        <>
          <Table verticalSpacing={4} aria-label="Customer orders" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Order</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <Anchor
                      renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: o.number }} />}
                      ff="monospace"
                      size="sm"
                    >
                      {o.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(o.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={o.status} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Money value={o.total} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between" mt="xs">
            <Text size="xs" c="dimmed">
              {rows.length} of {total}
            </Text>
            {orders.hasNextPage ? (
              <Button
                variant="default"
                size="xs"
                loading={orders.isFetchingNextPage}
                onClick={() => void orders.fetchNextPage()}
              >
                More orders
              </Button>
            ) : null}
          </Group>
        </>
      )}
    </Section>
  );
}

function CustomerTimeline({ id }: { id: string }) {
  const timeline = useCustomerTimeline(id);
  const entries = timeline.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <Section title="Timeline">
      {timeline.isPending ? (
        <Loader size="sm" aria-label="Loading timeline" />
      ) : timeline.isError ? (
        <ErrorCard error={timeline.error} onRetry={() => void timeline.refetch()} />
      ) : entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing has happened yet.
        </Text>
      ) : (
        <>
          <Timeline bulletSize={14} lineWidth={2} aria-label="Customer timeline">
            {entries.map((e) => (
              <Timeline.Item key={e.id} title={<EntryTitle entry={e} />} data-testid="timeline-entry">
                <Text size="xs" c="dimmed">
                  {formatDateTime(e.at)} · {e.actor} · {e.kind.replace(/_/g, ' ')}
                  {e.orderNumber ? (
                    <>
                      {' · '}
                      <Anchor
                        renderRoot={(props) => (
                          <Link {...props} to="/orders/$number" params={{ number: e.orderNumber! }} />
                        )}
                        ff="monospace"
                        size="xs"
                      >
                        {e.orderNumber}
                      </Anchor>
                    </>
                  ) : null}
                  {e.returnNumber ? (
                    <>
                      {' · '}
                      <Anchor
                        renderRoot={(props) => (
                          <Link {...props} to="/returns/$number" params={{ number: e.returnNumber! }} />
                        )}
                        ff="monospace"
                        size="xs"
                      >
                        {e.returnNumber}
                      </Anchor>
                    </>
                  ) : null}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
          {timeline.hasNextPage ? (
            <Button
              mt="sm"
              variant="default"
              size="xs"
              loading={timeline.isFetchingNextPage}
              onClick={() => void timeline.fetchNextPage()}
            >
              Load more
            </Button>
          ) : (
            <Text size="xs" c="dimmed" mt="sm">
              That is everything.
            </Text>
          )}
        </>
      )}
    </Section>
  );
}

function EntryTitle({ entry }: { entry: CustomerTimelineEntryDto }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm">{entry.summary}</Text>
      {entry.amount ? (
        <Badge
          variant="light"
          color={entry.amount.amount >= 0 ? 'teal' : 'orange'}
          data-testid="credit-amount"
          style={{ flexShrink: 0 }}
        >
          {entry.amount.amount >= 0 ? '+' : '−'}
          <Money value={{ ...entry.amount, amount: Math.abs(entry.amount.amount) }} />
        </Badge>
      ) : null}
    </Group>
  );
}
