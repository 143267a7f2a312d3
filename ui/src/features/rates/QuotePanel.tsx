/** The Quote panel: rate shopping for one parcel from a location to a postal code, with the chosen service and why. */
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  List,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { LocationDto } from '../../bindings/LocationDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { toAppError } from '../../lib/ipc';
import { useQuote } from './api';
import { kgToGrams } from './edit';

export function QuotePanel({ locations }: { locations: LocationDto[] }) {
  const shipping = locations.filter((l) => l.canShip && l.active);
  const [from, setFrom] = useState<string | null>(shipping[0]?.code ?? null);
  const [zip, setZip] = useState('');
  const [kg, setKg] = useState<number | string>(1);
  const [packages, setPackages] = useState<number | string>(1);
  const [promised, setPromised] = useState('');
  const [business, setBusiness] = useState(false);
  const quote = useQuote();
  const error = quote.error ? toAppError(quote.error) : null;
  const on = (field: string) => (error?.field === field ? error.message : null);
  const result = quote.data;

  const submit = () =>
    quote.mutate({
      from: from ?? '',
      toPostalCode: zip,
      toCountry: 'US',
      business,
      weightGrams: kgToGrams(typeof kg === 'number' ? kg : Number(kg) || 0),
      packages: typeof packages === 'number' ? packages : Number(packages) || 1,
      promisedBy: promised || null,
    });

  return (
    <Card withBorder radius="md" padding="md" component="section" aria-label="Quote">
      <Title order={3} size="h5" mb="xs">
        Quote a shipment
      </Title>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Group align="flex-start">
          <Select
            label="From"
            w={200}
            data={shipping.map((l) => ({ value: l.code, label: `${l.code} — ${l.name}` }))}
            value={from}
            onChange={setFrom}
            error={on('from')}
            allowDeselect={false}
          />
          <TextInput label="To ZIP" w={110} value={zip} onChange={(e) => setZip(e.currentTarget.value)} />
          <NumberInput
            label="Weight (kg)"
            w={110}
            min={0}
            decimalScale={3}
            value={kg}
            onChange={setKg}
            error={on('weight')}
          />
          <NumberInput
            label="Packages"
            w={90}
            min={1}
            allowDecimal={false}
            value={packages}
            onChange={setPackages}
            error={on('packages')}
          />
          <TextInput
            label="Promised by"
            type="date"
            w={160}
            value={promised}
            onChange={(e) => setPromised(e.currentTarget.value)}
            error={on('promisedBy')}
          />
          <Checkbox
            mt={30}
            label="Business address"
            checked={business}
            onChange={(e) => setBusiness(e.currentTarget.checked)}
          />
          <Button mt={24} type="submit" loading={quote.isPending}>
            Quote
          </Button>
        </Group>
      </form>
      {error && !['from', 'weight', 'packages', 'promisedBy'].includes(error.field ?? '') ? (
        <ErrorCard error={quote.error} />
      ) : null}
      {result ? (
        <Stack gap="sm" mt="md" aria-label="Quote result">
          <Alert
            color={result.chosen?.meetsPromise === false ? 'orange' : result.chosen ? 'green' : 'red'}
            title="Chosen"
          >
            {result.summary}
          </Alert>
          {result.quotes.length > 0 ? (
            <Table fz="sm" striped aria-label="Services">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Service</Table.Th>
                  <Table.Th>Price</Table.Th>
                  <Table.Th>Arrives</Table.Th>
                  <Table.Th>Promise</Table.Th>
                  <Table.Th>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.quotes.map((q) => {
                  const chosen = result.chosen?.carrier === q.carrier && result.chosen.service === q.service;
                  return (
                    <Table.Tr key={`${q.carrier}/${q.service}`} fw={chosen ? 700 : undefined}>
                      <Table.Td>
                        {q.carrierName} {q.serviceName}{' '}
                        {chosen ? (
                          <Badge size="xs" color="green">
                            chosen
                          </Badge>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Money value={q.total} strong={chosen} />
                      </Table.Td>
                      <Table.Td>{q.deliveryDate}</Table.Td>
                      <Table.Td>
                        {q.meetsPromise ? <Badge color="green">in time</Badge> : <Badge color="orange">late</Badge>}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{q.why}</Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          ) : null}
          {result.unavailable.length > 0 ? (
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                Not available
              </Text>
              <List size="sm">
                {result.unavailable.map((u) => (
                  <List.Item key={u}>{u}</List.Item>
                ))}
              </List>
            </Stack>
          ) : null}
        </Stack>
      ) : null}
    </Card>
  );
}
