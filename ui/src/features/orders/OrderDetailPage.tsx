/**
 * One order, the whole story on one screen: header and status actions, customer and delivery, lines
 * and totals, payments, routing (plan, explanation, earlier routes), reservations, attributes and
 * notes, its returns (and "Start return" when something may come back), and the timeline of events.
 * Which status changes are possible comes from the core (`nextStatuses`).
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Grid,
  SimpleGrid,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useCanGoBack, useParams, useRouter } from '@tanstack/react-router';
import { ArrowLeft } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { AddressDto } from '../../bindings/AddressDto';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import type { OrderStatusDto } from '../../bindings/OrderStatusDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { Page } from '../../components/Page';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/dates';
import { applyFieldError } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { useChangeOrderStatus, useOrder, useRerouteOrder } from './api';
import { OrderReturnsSection, StartReturnButton } from './ReturnsSection';
import { RoutingSection } from './RoutingSection';
import { ShipmentsSection } from './ShipmentsSection';

const ACTION_LABELS: Record<OrderStatusDto, string> = {
  open: 'Reopen',
  backordered: 'Mark backordered',
  in_progress: 'Start picking',
  partially_shipped: 'Mark partially shipped',
  shipped: 'Mark shipped',
  delivered: 'Mark delivered',
  completed: 'Complete',
  cancelled: 'Cancel order…',
  // Set by receiving returned units, never by a manual change: listed for completeness only.
  partially_returned: 'Partially returned',
  returned: 'Returned',
};

export function OrderDetailPage() {
  const { number } = useParams({ from: '/orders/$number' });
  const order = useOrder(number);
  const router = useRouter();
  const canGoBack = useCanGoBack();

  const back = (
    <Anchor
      component={Link}
      to="/orders"
      size="sm"
      onClick={(e) => {
        // Going back keeps the list's search, filters and scroll position.
        if (canGoBack) {
          e.preventDefault();
          router.history.back();
        }
      }}
    >
      <Group gap={4}>
        <ArrowLeft size={14} /> Orders
      </Group>
    </Anchor>
  );

  if (order.isPending) {
    return (
      <Page>
        {back}
        <Center p="xl">
          <Loader aria-label="Loading order" />
        </Center>
      </Page>
    );
  }
  if (order.isError) {
    return (
      <Page>
        {back}
        <Stack mt="md">
          <ErrorCard error={order.error} onRetry={() => void order.refetch()} />
        </Stack>
      </Page>
    );
  }
  return (
    <Page>
      {back}
      <OrderView order={order.data} />
    </Page>
  );
}

function Section({ title, children, right }: { title: string; children: ReactNode; right?: ReactNode }) {
  return (
    <Card withBorder padding="md" radius="md">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        {right}
      </Group>
      {children}
    </Card>
  );
}

function AddressBlock({ address }: { address: AddressDto }) {
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
      {[
        address.name,
        address.company,
        address.line1,
        address.line2,
        `${address.postalCode} ${address.city}${address.region ? `, ${address.region}` : ''}`,
        address.country,
        address.phone,
      ]
        .filter(Boolean)
        .join('\n')}
    </Text>
  );
}

function OrderView({ order }: { order: OrderDetailDto }) {
  const change = useChangeOrderStatus();
  const [cancelOpen, setCancelOpen] = useState(false);
  const [rerouteFrom, setRerouteFrom] = useState<string | null>(null);
  // A location can be re-routed away from while it still holds reserved units of this order.
  const holding = new Set(order.reservations.filter((r) => r.state === 'reserved').map((r) => r.location));

  const move = (to: OrderStatusDto) => {
    if (to === 'cancelled') {
      setCancelOpen(true);
      return;
    }
    change.mutate(
      { number: order.number, to, reason: null },
      {
        onSuccess: (o) =>
          notifications.show({ color: 'green', message: `${o.number} is now ${o.status.replace(/_/g, ' ')}` }),
      },
    );
  };

  const t = order.totals;
  return (
    <Stack gap="md" mt="xs">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={2} ff="monospace">
              {order.number}
            </Title>
            <StatusBadge status={order.status} size="lg" />
          </Group>
          <Text size="sm" c="dimmed" mt={4}>
            {order.channel}
            {order.channelRef ? ` · ref ${order.channelRef}` : ''} · created {formatDateTime(order.createdAt)}
          </Text>
        </div>
        <Group gap="xs">
          <StartReturnButton order={order} />
          {order.nextStatuses.map((status) => (
            <Button
              key={status}
              variant={status === 'cancelled' ? 'light' : 'filled'}
              color={status === 'cancelled' ? 'red' : undefined}
              loading={change.isPending && change.variables?.to === status}
              onClick={() => move(status)}
            >
              {ACTION_LABELS[status]}
            </Button>
          ))}
        </Group>
      </Group>
      {change.isError && !cancelOpen ? <ErrorCard error={change.error} /> : null}

      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        <Section title="Customer">
          {order.customer ? (
            <Stack gap={2}>
              <Anchor
                renderRoot={(props) => <Link {...props} to="/customers/$id" params={{ id: order.customer!.id }} />}
                size="sm"
                fw={600}
                title="Open the customer's page"
              >
                {order.customer.name}
              </Anchor>
              {order.customer.email ? <Text size="sm">{order.customer.email}</Text> : null}
              {order.customer.phone ? <Text size="sm">{order.customer.phone}</Text> : null}
              <Text size="xs" c="dimmed">
                {order.customer.orderCount} orders
              </Text>
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              Walk-in customer
            </Text>
          )}
        </Section>
        <Section title={order.pickupLocation ? 'Pick-up store' : 'Ship to'}>
          {order.pickupLocation ? (
            <Text size="sm" fw={600}>
              {order.pickupLocation}
            </Text>
          ) : order.shipTo ? (
            <AddressBlock address={order.shipTo} />
          ) : (
            <Text size="sm" c="dimmed">
              Taken away at the counter
            </Text>
          )}
        </Section>
        <Section title="Payments">
          {order.payments.length === 0 ? (
            <Text size="sm" c="dimmed">
              No payments.
            </Text>
          ) : (
            <Stack gap="xs">
              {order.payments.map((p, i) => (
                <div key={`${p.method}-${i}`}>
                  <Text size="sm" fw={600} tt="capitalize">
                    {p.method.replace(/_/g, ' ')}
                  </Text>
                  <Text size="xs" c="dimmed">
                    Authorised <Money value={p.authorized} /> · Captured <Money value={p.captured} />
                    {p.refunded.amount ? (
                      <>
                        {' '}
                        · Refunded <Money value={p.refunded} />
                      </>
                    ) : null}
                  </Text>
                </div>
              ))}
            </Stack>
          )}
        </Section>
        <Section title="Attributes and notes">
          {order.attributes.length === 0 && !order.notes ? (
            <Text size="sm" c="dimmed">
              None.
            </Text>
          ) : (
            <Stack gap={4}>
              {order.attributes.map((a) => (
                <Text size="sm" key={a.key}>
                  <Text span c="dimmed" size="sm">
                    {a.key}:
                  </Text>{' '}
                  {a.value}
                </Text>
              ))}
              {order.notes ? (
                <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                  {order.notes}
                </Text>
              ) : null}
            </Stack>
          )}
        </Section>
      </SimpleGrid>
      <Section title="Lines">
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing={6} fz="sm" styles={{ th: { whiteSpace: 'nowrap' } }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>SKU</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th ta="right">Qty</Table.Th>
                <Table.Th ta="right">Unit price</Table.Th>
                <Table.Th ta="right">Discount</Table.Th>
                <Table.Th ta="right">Tax</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
                <Table.Th ta="right">Backordered</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {order.lines.map((line) => (
                <Table.Tr key={line.lineNo}>
                  <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {line.sku}
                  </Table.Td>
                  <Table.Td>{line.name}</Table.Td>
                  <Table.Td ta="right">{line.qty}</Table.Td>
                  <Table.Td ta="right">
                    <Money value={line.unitPrice} />
                  </Table.Td>
                  <Table.Td ta="right">{line.discount.amount ? <Money value={line.discount} /> : '—'}</Table.Td>
                  <Table.Td ta="right">
                    <Money value={line.tax} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Money value={line.total} strong />
                  </Table.Td>
                  <Table.Td ta="right">
                    {line.backordered > 0 ? (
                      <Badge color="orange" variant="light">
                        {line.backordered}
                      </Badge>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group justify="flex-end" mt="sm">
          <Table w={280} fz="sm" verticalSpacing={2} aria-label="Totals">
            <Table.Tbody>
              <TotalRow label="Subtotal" value={<Money value={t.subtotal} />} />
              <TotalRow label="Discount" value={<Money value={t.discount} />} />
              <TotalRow label="Shipping" value={<Money value={t.shipping} />} />
              <TotalRow label="Tax" value={<Money value={t.tax} />} />
              <TotalRow label="Total" value={<Money value={t.total} strong />} strong />
            </Table.Tbody>
          </Table>
        </Group>
      </Section>

      <RoutingSection
        order={order}
        actions={(location) =>
          holding.has(location) ? (
            <Button size="compact-xs" variant="light" color="orange" onClick={() => setRerouteFrom(location)}>
              Re-route…
            </Button>
          ) : null
        }
      />

      <ShipmentsSection order={order} />
      <OrderReturnsSection order={order} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Section title="Reservations">
            {order.reservations.length === 0 ? (
              <Text size="sm" c="dimmed">
                No stock reserved.
              </Text>
            ) : (
              <Table fz="sm" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>SKU</Table.Th>
                    <Table.Th>Location</Table.Th>
                    <Table.Th ta="right">Qty</Table.Th>
                    <Table.Th>State</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {order.reservations.map((r, i) => (
                    <Table.Tr key={`${r.sku}-${r.location}-${i}`}>
                      <Table.Td ff="monospace">{r.sku}</Table.Td>
                      <Table.Td>{r.location}</Table.Td>
                      <Table.Td ta="right">{r.qty}</Table.Td>
                      <Table.Td>
                        <Badge
                          variant="light"
                          color={r.state === 'reserved' ? 'blue' : r.state === 'shipped' ? 'teal' : 'gray'}
                        >
                          {r.state}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Section title="Timeline">
            {order.events.length === 0 ? (
              <Text size="sm" c="dimmed">
                No events.
              </Text>
            ) : (
              <Timeline bulletSize={14} lineWidth={2} active={order.events.length - 1}>
                {order.events.map((event, i) => (
                  <Timeline.Item key={`${event.at}-${i}`} title={<Text size="sm">{event.summary}</Text>}>
                    <Text size="xs" c="dimmed">
                      {event.actor} · {formatDateTime(event.at)} · {event.kind.replace(/_/g, ' ')}
                    </Text>
                  </Timeline.Item>
                ))}
              </Timeline>
            )}
          </Section>
        </Grid.Col>
      </Grid>

      <CancelDialog number={order.number} opened={cancelOpen} onClose={() => setCancelOpen(false)} />
      <RerouteDialog number={order.number} location={rerouteFrom} onClose={() => setRerouteFrom(null)} />
    </Stack>
  );
}

function TotalRow({ label, value, strong = false }: { label: string; value: ReactNode; strong?: boolean }) {
  return (
    <Table.Tr>
      <Table.Td fw={strong ? 700 : undefined}>{label}</Table.Td>
      <Table.Td ta="right">{value}</Table.Td>
    </Table.Tr>
  );
}

const cancelSchema = z.object({ reason: z.string().trim().min(1, 'Say why the order is cancelled') });
type CancelForm = z.infer<typeof cancelSchema>;

function CancelDialog({ number, opened, onClose }: { number: string; opened: boolean; onClose: () => void }) {
  const change = useChangeOrderStatus();
  const form = useForm<CancelForm>({ resolver: zodResolver(cancelSchema), defaultValues: { reason: '' } });

  const close = () => {
    form.reset();
    change.reset();
    onClose();
  };

  const submit = form.handleSubmit((values) =>
    change.mutate(
      { number, to: 'cancelled', reason: values.reason.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${number} cancelled` });
          close();
        },
        onError: (error) => {
          applyFieldError(error, form.setError, (path) => path === 'reason');
        },
      },
    ),
  );

  const formError = change.error && !(toAppError(change.error).field === 'reason') ? change.error : null;

  return (
    <Modal opened={opened} onClose={close} title={`Cancel ${number}?`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">Reserved stock goes back on the shelf. The reason is kept on the order's timeline.</Text>
          <TextInput
            label="Reason"
            placeholder="e.g. customer changed their mind"
            data-autofocus
            required
            error={form.formState.errors.reason?.message}
            {...form.register('reason')}
          />
          {formError ? <ErrorCard error={formError} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep order
            </Button>
            <Button type="submit" color="red" loading={change.isPending}>
              Cancel order
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const rerouteSchema = z.object({ reason: z.string().trim().min(1, 'Say why (e.g. short pick, store closed)') });
type RerouteForm = z.infer<typeof rerouteSchema>;

/** Asks why, then has the core release what `location` holds and route it again without it. */
function RerouteDialog({
  number,
  location,
  onClose,
}: {
  number: string;
  location: string | null;
  onClose: () => void;
}) {
  const reroute = useRerouteOrder();
  const form = useForm<RerouteForm>({ resolver: zodResolver(rerouteSchema), defaultValues: { reason: '' } });

  const close = () => {
    form.reset();
    reroute.reset();
    onClose();
  };

  const submit = form.handleSubmit((values) => {
    if (!location) return;
    reroute.mutate(
      { number, location, reason: values.reason.trim() },
      {
        onSuccess: () => {
          notifications.show({ color: 'green', message: `${number} re-routed away from ${location}` });
          close();
        },
        onError: (error) => {
          applyFieldError(error, form.setError, (path) => path === 'reason');
        },
      },
    );
  });

  const formError = reroute.error && toAppError(reroute.error).field !== 'reason' ? reroute.error : null;

  return (
    <Modal opened={location !== null} onClose={close} title={`Re-route ${number} away from ${location ?? ''}?`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            What {location} holds for this order goes back on its shelf and is routed again without {location}; what no
            other location can ship is backordered. The reason is kept on the order's timeline.
          </Text>
          <TextInput
            label="Reason"
            placeholder="e.g. short pick: 2 damaged"
            data-autofocus
            required
            error={form.formState.errors.reason?.message}
            {...form.register('reason')}
          />
          {formError ? <ErrorCard error={formError} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep the plan
            </Button>
            <Button type="submit" color="orange" loading={reroute.isPending}>
              Re-route
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
