/**
 * The order's routing: the plan in force (the newest routing decision) with its shipments, what is
 * backordered, the cost and why, and the earlier decisions it replaced. All of it is what the core
 * stored when it routed the order; nothing is worked out here.
 */
import { Badge, Card, Group, List, Spoiler, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import type { OrderRouteDto } from '../../bindings/OrderRouteDto';
import type { RoutingObjectiveDto } from '../../bindings/RoutingObjectiveDto';
import { Money } from '../../components/Money';
import { formatDateTime } from '../../lib/dates';

const OBJECTIVE: Record<RoutingObjectiveDto, string> = {
  cost: 'lowest cost',
  fastest: 'fastest delivery',
  balance: 'balance stock',
  mix: 'weighted mix',
};

const KIND: Record<string, string> = {
  capture: 'At capture',
  reroute: 'Re-routed',
  backorder: 'Backorder filled',
};

const lines = (items: { sku: string; qty: number }[]) => items.map((l) => `${l.qty} × ${l.sku}`).join(', ');

function version(v: number) {
  return v === 0 ? 'built-in defaults' : `settings v${v}`;
}

export function RoutingSection({
  order,
  actions,
}: {
  order: OrderDetailDto;
  actions?: (location: string) => ReactNode;
}) {
  const current = order.routes.at(-1);
  const earlier = order.routes.slice(0, -1).reverse();
  return (
    <Card withBorder padding="md" radius="md" component="section" aria-label="Routing">
      <Group justify="space-between" mb="xs" align="flex-start">
        <Title order={3} size="h5">
          Routing
        </Title>
        {current ? <PlanBadges route={current} /> : null}
      </Group>
      {!current ? (
        <Text size="sm" c="dimmed">
          No routing decision is stored for this order: counter sales leave from the shelf, and orders captured before
          routing was switched on have none.
        </Text>
      ) : (
        <Stack gap="sm">
          {current.kind !== 'capture' ? (
            <Text size="sm" c="dimmed">
              {current.kind === 'reroute' ? 'This re-route' : 'This decision'} planned only the units it moved; the rest
              keep their earlier plan. Reservations below show where every unit is held now.
            </Text>
          ) : null}
          <Plan route={current} actions={actions} />
          <div>
            <Text size="sm" fw={600} mb={4}>
              Why
            </Text>
            <Spoiler maxHeight={132} showLabel="Show the whole explanation" hideLabel="Show less">
              <List size="sm" spacing={2} data-testid="route-explanation">
                {current.plan.explanation.map((sentence, i) => (
                  <List.Item key={i}>{sentence}</List.Item>
                ))}
              </List>
            </Spoiler>
          </div>
          {earlier.length > 0 ? <Earlier routes={earlier} /> : null}
        </Stack>
      )}
    </Card>
  );
}

function PlanBadges({ route }: { route: OrderRouteDto }) {
  const p = route.plan;
  return (
    <Group gap={6}>
      <Badge variant="light">{OBJECTIVE[p.objective]}</Badge>
      {p.optimal ? (
        <Tooltip label="The search proved no better plan exists for the objective">
          <Badge color="teal" variant="light">
            optimal
          </Badge>
        </Tooltip>
      ) : (
        <Tooltip label="The search stopped at its budget: the explanation gives the lower bound and the gap">
          <Badge color="orange" variant="light">
            gap: not proven optimal
          </Badge>
        </Tooltip>
      )}
      <Badge variant="default">
        {KIND[route.kind] ?? route.kind} · {version(route.settingsVersion)}
      </Badge>
    </Group>
  );
}

function Plan({ route, actions }: { route: OrderRouteDto; actions?: (location: string) => ReactNode }) {
  const p = route.plan;
  const backordered = p.backordered.reduce((s, l) => s + l.qty, 0);
  return (
    <>
      {p.shipments.length === 0 ? (
        <Text size="sm">Nothing can ship now.</Text>
      ) : (
        <Table fz="sm" verticalSpacing={4} aria-label="Shipments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>From</Table.Th>
              <Table.Th>Units</Table.Th>
              <Table.Th ta="right">Cost</Table.Th>
              <Table.Th ta="right">Est. days</Table.Th>
              <Table.Th>Transfer to</Table.Th>
              {actions ? <Table.Th /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.shipments.map((s) => (
              <Table.Tr key={`${s.location}-${s.transferTo ?? ''}`}>
                <Table.Td ff="monospace" fw={600}>
                  {s.location}
                </Table.Td>
                <Table.Td>{lines(s.lines)}</Table.Td>
                <Table.Td ta="right">
                  <Money value={s.cost} />
                </Table.Td>
                <Table.Td ta="right">{s.days}</Table.Td>
                <Table.Td ff="monospace">{s.transferTo ?? '—'}</Table.Td>
                {actions ? <Table.Td ta="right">{actions(s.location)}</Table.Td> : null}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group gap="lg">
        <Text size="sm" component="div">
          <Text span c="dimmed" size="sm">
            Backordered:
          </Text>{' '}
          {backordered > 0 ? (
            <Badge color="orange" variant="light">
              {lines(p.backordered)}
            </Badge>
          ) : (
            'nothing'
          )}
        </Text>
        <Text size="sm">
          <Text span c="dimmed" size="sm">
            Total cost (shipping + backorder penalty):
          </Text>{' '}
          <Money value={p.totalCost} strong />
        </Text>
        <Text size="sm" c="dimmed">
          Routed {formatDateTime(route.createdAt)} by {route.createdBy}
        </Text>
      </Group>
    </>
  );
}

function Earlier({ routes }: { routes: OrderRouteDto[] }) {
  return (
    <div>
      <Text size="sm" fw={600} mb={4}>
        Earlier routing
      </Text>
      <Table fz="sm" verticalSpacing={2} aria-label="Earlier routing">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Settings</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>Shipments</Table.Th>
            <Table.Th ta="right">Total cost</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {routes.map((r, i) => (
            <Table.Tr key={`${r.createdAt}-${i}`}>
              <Table.Td>{KIND[r.kind] ?? r.kind}</Table.Td>
              <Table.Td>{version(r.settingsVersion)}</Table.Td>
              <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
              <Table.Td>{r.createdBy}</Table.Td>
              <Table.Td ff="monospace">{r.plan.shipments.map((s) => s.location).join(' + ') || '—'}</Table.Td>
              <Table.Td ta="right">
                <Money value={r.plan.totalCost} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
