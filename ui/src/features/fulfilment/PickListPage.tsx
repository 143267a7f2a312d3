/**
 * One pick list on screen: its rows in the core's bin order (bin, SKU, name, quantity and which
 * shipments share it), a Print button (the pick list PDF goes to the desk's document printer or its
 * printouts folder, and the screen says where), and a link to pack each shipment it gathered.
 */
import { Anchor, Badge, Button, Card, Center, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { Link, useParams } from '@tanstack/react-router';
import { Printer } from 'lucide-react';
import { ErrorCard } from '../../components/ErrorCard';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { ShortcutHint } from '../../components/ShortcutHint';
import { formatDateTime } from '../../lib/dates';
import { usePickList } from './api';
import { PrintedNote, usePrint } from '../../components/Printing';
import { ShipmentTable } from './FulfilmentPage';

export function PickListPage() {
  const { number } = useParams({ from: '/fulfilment/pick-lists/$number' });
  const list = usePickList(number);
  const print = usePrint();
  useHotkeys([['mod+P', () => print.run('pick_list', number)]]);

  return (
    <Page>
      <PageHeader
        title={
          <Group gap="xs">
            <Anchor
              renderRoot={(props) => (
                <Link {...props} to="/fulfilment" search={list.data ? { loc: list.data.location } : {}} />
              )}
              inherit
            >
              Fulfilment
            </Anchor>
            <span>/ Pick list {number}</span>
          </Group>
        }
      >
        <Button
          leftSection={<Printer size={16} />}
          rightSection={<ShortcutHint keys="Ctrl+P" />}
          loading={print.isPending}
          onClick={() => print.run('pick_list', number)}
        >
          Print
        </Button>
      </PageHeader>
      <PrintedNote print={print} />
      {list.isError ? (
        <ErrorCard error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <Center p="xl">
          <Loader aria-label="Loading the pick list" />
        </Center>
      ) : (
        <Stack>
          <Text size="sm" c="dimmed">
            {list.data.locationName} ({list.data.location}) · made {formatDateTime(list.data.createdAt)} by{' '}
            {list.data.createdBy} · {list.data.rows.reduce((n, r) => n + r.qty, 0)} unit(s) in {list.data.rows.length}{' '}
            row(s)
          </Text>
          <Table striped verticalSpacing={8} aria-label="Pick rows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Bin</Table.Th>
                <Table.Th>SKU</Table.Th>
                <Table.Th>Product</Table.Th>
                <Table.Th ta="right">Qty</Table.Th>
                <Table.Th>For</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.rows.map((r) => (
                <Table.Tr key={`${r.bin ?? ''}|${r.sku}`}>
                  <Table.Td>
                    {r.bin ? (
                      <Text fw={700} ff="monospace">
                        {r.bin}
                      </Text>
                    ) : (
                      <Text c="dimmed" size="sm">
                        no bin
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ff="monospace">{r.sku}</Table.Td>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td ta="right">
                    <Text fw={700} size="lg">
                      {r.qty}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {r.shipments.map((s) => (
                        <Badge key={s.shipment} variant="light" size="sm">
                          {s.shipment} × {s.qty}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Card withBorder>
            <Title order={3} size="h5" mb="xs">
              Shipments on this list
            </Title>
            <ShipmentTable
              rows={list.data.shipments}
              action={(s) =>
                s.status === 'picking' ? (
                  <Button
                    size="xs"
                    renderRoot={(props) => (
                      <Link {...props} to="/fulfilment/shipments/$number" params={{ number: s.number }} />
                    )}
                    aria-label={`Pack ${s.number}`}
                  >
                    Pack
                  </Button>
                ) : null
              }
            />
          </Card>
        </Stack>
      )}
    </Page>
  );
}
