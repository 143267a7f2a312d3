/**
 * The fields of the routing settings, shared by the settings screen and the what-if (which edits a
 * proposed copy). Every input has a label; tables label each input with its row.
 */
import {
  Anchor,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  Radio,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { Controller, type UseFormReturn } from 'react-hook-form';
import type { ChannelDto } from '../../bindings/ChannelDto';
import type { LocationDto } from '../../bindings/LocationDto';
import { OBJECTIVES, type RoutingValues } from './form';

type Props = {
  form: UseFormReturn<RoutingValues>;
  channels: ChannelDto[];
  locations: LocationDto[];
  currency: string;
};

function Block({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-label={title}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {description ? (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      ) : null}
      {children}
    </Card>
  );
}

export function RoutingSettingsFields({ form, channels, locations, currency }: Props) {
  const e = form.formState.errors;
  const objective = form.watch('objective');
  const channelRows = form.watch('channels');
  const locationRows = form.watch('locations');
  const channelName = (code: string) => channels.find((c) => c.code === code)?.name ?? code;
  const location = (code: string) => locations.find((l) => l.code === code);
  const locationChoices = locations.map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` }));

  return (
    <Stack gap="md">
      <Block title="Objective" description="What the router optimises when several plans keep every rule.">
        <Controller
          control={form.control}
          name="objective"
          render={({ field }) => (
            <Radio.Group
              value={field.value}
              onChange={(v) => field.onChange(v)}
              name={field.name}
              aria-label="Objective"
              error={e.objective?.message}
            >
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs">
                {OBJECTIVES.map((o) => (
                  <Radio key={o.value} value={o.value} label={o.label} description={o.description} />
                ))}
              </SimpleGrid>
            </Radio.Group>
          )}
        />
        {objective === 'mix' ? (
          <SimpleGrid cols={3} spacing="sm" mt="md">
            <TextInput
              label="Weight of cost"
              description="per minor unit of shipping"
              inputMode="decimal"
              {...form.register('weights.cost')}
              error={e.weights?.cost?.message}
            />
            <TextInput
              label="Weight of transit days"
              description="per day, per shipment"
              inputMode="decimal"
              {...form.register('weights.days')}
              error={e.weights?.days?.message}
            />
            <TextInput
              label="Weight of balance"
              description="for taking a location's whole stock"
              inputMode="decimal"
              {...form.register('weights.balance')}
              error={e.weights?.balance?.message}
            />
          </SimpleGrid>
        ) : null}
      </Block>

      <Block title="Limits" description="Apply to every shipped order.">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
          <TextInput
            label={`Backorder penalty per unit (${currency})`}
            description="Counted for each unit left waiting"
            inputMode="decimal"
            {...form.register('backorderPenaltyPerUnit')}
            error={e.backorderPenaltyPerUnit?.message}
          />
          <TextInput
            label="Most shipments per order"
            description="Empty: no limit"
            placeholder="No limit"
            inputMode="numeric"
            {...form.register('maxShipments')}
            error={e.maxShipments?.message}
          />
          <TextInput
            label="Kilometres per transit day"
            description="Estimates delivery days"
            inputMode="numeric"
            {...form.register('kmPerDay')}
            error={e.kmPerDay?.message}
          />
          <Controller
            control={form.control}
            name="dropshipLast"
            render={({ field }) => (
              <Switch
                mt="lg"
                label="Dropship last"
                description="Suppliers ship only what own locations cannot"
                checked={field.value}
                onChange={(ev) => field.onChange(ev.currentTarget.checked)}
                onBlur={field.onBlur}
                ref={field.ref}
              />
            )}
          />
        </SimpleGrid>
      </Block>

      <Block
        title="Rules per channel"
        description="Which locations may ship a channel's orders (none chosen: any), and whether its orders always go in one parcel."
      >
        <Table verticalSpacing={6} fz="sm" aria-label="Rules per channel">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={180}>Channel</Table.Th>
              <Table.Th>Locations allowed to ship</Table.Th>
              <Table.Th w={150}>Ship whole</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {channelRows.map((row, i) => (
              <Table.Tr key={row.channel}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {channelName(row.channel)}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {row.channel}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Controller
                    control={form.control}
                    name={`channels.${i}.allowedLocations`}
                    render={({ field, fieldState }) => (
                      <MultiSelect
                        aria-label={`Locations allowed for ${channelName(row.channel)}`}
                        placeholder={field.value.length ? undefined : 'Any location'}
                        data={locationChoices}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        ref={field.ref}
                        searchable
                        clearable
                        error={fieldState.error?.message}
                      />
                    )}
                  />
                </Table.Td>
                <Table.Td>
                  <Controller
                    control={form.control}
                    name={`channels.${i}.noSplit`}
                    render={({ field }) => (
                      <Checkbox
                        label="One parcel"
                        aria-label={`Ship ${channelName(row.channel)} orders whole`}
                        checked={field.value}
                        onChange={(ev) => field.onChange(ev.currentTarget.checked)}
                        onBlur={field.onBlur}
                        ref={field.ref}
                      />
                    )}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Block>

      <Block
        title="Rules per location"
        description={
          <>
            Daily capacity counts shipments (empty: no limit); units kept back stay on the shelf for the location's own
            customers. Safety stock per SKU is set on the{' '}
            <Anchor component={Link} to="/inventory" size="sm">
              Inventory screen
            </Anchor>
            .
          </>
        }
      >
        <Table verticalSpacing={6} fz="sm" aria-label="Rules per location">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Location</Table.Th>
              <Table.Th w={170}>Daily capacity</Table.Th>
              <Table.Th w={170}>Units kept back</Table.Th>
              <Table.Th w={170}>Handling days</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {locationRows.map((row, i) => {
              const l = location(row.location);
              const err = e.locations?.[i];
              return (
                <Table.Tr key={row.location}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" fw={600} ff="monospace">
                        {row.location}
                      </Text>
                      <Text size="sm" c="dimmed" truncate>
                        {l ? `${l.name} · ${l.kind}${l.canShip ? '' : ' · does not ship'}` : ''}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`Daily capacity at ${row.location}`}
                      placeholder="No limit"
                      inputMode="numeric"
                      {...form.register(`locations.${i}.dailyCapacity`)}
                      error={err?.dailyCapacity?.message}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`Units kept back at ${row.location}`}
                      inputMode="numeric"
                      {...form.register(`locations.${i}.keepUnits`)}
                      error={err?.keepUnits?.message}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`Handling days at ${row.location}`}
                      inputMode="numeric"
                      {...form.register(`locations.${i}.handlingDays`)}
                      error={err?.handlingDays?.message}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Block>
    </Stack>
  );
}
