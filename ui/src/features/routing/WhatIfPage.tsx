/**
 * Routing what-if: edit a proposed copy of the settings in force, replay the last N orders under both
 * (the core does it, with the same planner as capture), compare side by side, drill into the orders
 * that would change, and apply the proposal as a new version with one click.
 */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from '@tanstack/react-router';
import { Check, Play, RotateCcw, Settings2 } from 'lucide-react';
import { lazy, Suspense, useMemo, useState } from 'react';
import type { ChannelDto } from '../../bindings/ChannelDto';
import type { LocationDto } from '../../bindings/LocationDto';
import type { PlanOutlineDto } from '../../bindings/PlanOutlineDto';
import type { ReplaySummaryDto } from '../../bindings/ReplaySummaryDto';
import type { RoutingSettingsVersionDto } from '../../bindings/RoutingSettingsVersionDto';
import type { WhatIfReportDto } from '../../bindings/WhatIfReportDto';
import type { ChartOption } from '../../components/EChart';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { toAppError } from '../../lib/ipc';
import { currencyExponent, formatMoney, minorToDecimalString } from '../../lib/money';
import { useChannels, useLocations, useShopCurrency } from '../../lib/queries';
import { useRoutingSettings, useSaveRoutingSettings, useWhatIf } from './api';
import { toDto, toValues } from './form';
import { RoutingSettingsFields } from './RoutingSettingsFields';
import { placeError, useRoutingForm } from './useRoutingForm';

export const DEFAULT_LAST_ORDERS = 200;

// ECharts is loaded when a what-if result is first shown, not with the rest of the app.
const EChart = lazy(() => import('../../components/EChart').then((m) => ({ default: m.EChart })));

export function WhatIfPage() {
  const settings = useRoutingSettings();
  const channels = useChannels();
  const locations = useLocations();
  const currency = useShopCurrency();
  const failed = [settings, channels, locations].find((q) => q.isError);
  return (
    <Page>
      <PageHeader title="Routing what-if">
        <Button component={Link} to="/routing" variant="default" leftSection={<Settings2 size={16} />}>
          Routing settings
        </Button>
      </PageHeader>
      <Text size="sm" c="dimmed" mb="md" maw={900}>
        Replays the last orders that ship or are picked up (not counter sales), oldest first, under the settings in
        force and under the proposal below. Both start from today's stock with nothing reserved, and each order takes
        the units its plan uses, so a location that runs out early is not offered to later orders.
      </Text>
      {failed ? (
        <ErrorCard error={failed.error} onRetry={() => void failed.refetch()} />
      ) : settings.data && channels.data && locations.data ? (
        <WhatIf current={settings.data} channels={channels.data} locations={locations.data} currency={currency} />
      ) : (
        <Center p="xl">
          <Loader aria-label="Loading routing settings" />
        </Center>
      )}
    </Page>
  );
}

function WhatIf({
  current,
  channels,
  locations,
  currency,
}: {
  current: RoutingSettingsVersionDto;
  channels: ChannelDto[];
  locations: LocationDto[];
  currency: string;
}) {
  const form = useRoutingForm(current.settings, channels, locations, currency);
  const whatIf = useWhatIf();
  const save = useSaveRoutingSettings();
  const [lastOrders, setLastOrders] = useState(String(DEFAULT_LAST_ORDERS));
  const [countError, setCountError] = useState<string | null>(null);
  const [unplaced, setUnplaced] = useState<unknown>(null);
  const [applied, setApplied] = useState<number | null>(null);

  const run = form.handleSubmit((values) => {
    setUnplaced(null);
    const n = /^\s*\d+\s*$/.test(lastOrders) ? Number.parseInt(lastOrders, 10) : NaN;
    if (Number.isNaN(n)) {
      setCountError('A whole number of orders');
      return;
    }
    setCountError(null);
    setApplied(null);
    whatIf.mutate(
      { proposed: toDto(values, currency), lastOrders: n },
      {
        onError: (error) => {
          const e = toAppError(error);
          if (e.field === 'lastOrders') setCountError(e.message);
          else if (!placeError(error, form, values)) setUnplaced(error);
        },
      },
    );
  });

  const apply = (report: WhatIfReportDto) =>
    save.mutate(
      { settings: report.proposedSettings, note: applyNote(report, currency) },
      {
        onSuccess: (saved) => {
          setApplied(saved.version);
          form.reset(toValues(saved.settings, channels, locations, currency));
          notifications.show({ color: 'green', message: `Proposed settings applied as version ${saved.version}` });
        },
      },
    );

  const report = whatIf.data;
  return (
    <Stack gap="md">
      <form onSubmit={run} noValidate>
        <Card withBorder radius="md" padding="md">
          <Group align="flex-end" gap="sm">
            <TextInput
              label="Orders to replay"
              description="The most recent ones"
              inputMode="numeric"
              w={180}
              value={lastOrders}
              onChange={(ev) => setLastOrders(ev.currentTarget.value)}
              error={countError}
            />
            <Button type="submit" leftSection={<Play size={16} />} loading={whatIf.isPending}>
              Run
            </Button>
            <Button
              variant="default"
              leftSection={<RotateCcw size={16} />}
              disabled={!form.formState.isDirty}
              onClick={() => form.reset()}
            >
              Start again from current
            </Button>
            <Text size="sm" c="dimmed" ml="auto">
              Current: {current.version === 0 ? 'built-in defaults' : `version ${current.version}`}
            </Text>
          </Group>
        </Card>
      </form>
      {unplaced ? <ErrorCard error={unplaced} /> : null}
      {report ? (
        <Results
          report={report}
          currency={currency}
          applying={save.isPending}
          applied={applied}
          onApply={() => apply(report)}
          applyError={save.error}
        />
      ) : null}
      <Title order={3} size="h4" mt="sm">
        Proposed settings
      </Title>
      <form onSubmit={run} noValidate>
        <RoutingSettingsFields form={form} channels={channels} locations={locations} currency={currency} />
        <Group justify="flex-end" mt="md">
          <Button type="submit" leftSection={<Play size={16} />} loading={whatIf.isPending}>
            Run
          </Button>
        </Group>
      </form>
    </Stack>
  );
}

/** "Applied from what-if: 200 orders (SO-1 … SO-200), shipping $1.00 → $0.90, 2.1 → 2.4 days". */
export function applyNote(r: WhatIfReportDto, currency: string): string {
  const range = r.firstOrder && r.lastOrder ? ` (${r.firstOrder} … ${r.lastOrder})` : '';
  const money = (s: ReplaySummaryDto) => formatMoney(s.shippingCost.amount, s.shippingCost.currency || currency);
  return (
    `Applied from what-if: ${r.orders} orders${range}, shipping ${money(r.current)} → ${money(r.proposed)}, ` +
    `${days(r.current.averageDeliveryDays)} → ${days(r.proposed.averageDeliveryDays)} days, ` +
    `${r.changedOrders} orders routed differently`
  );
}

const days = (d: number) => d.toFixed(1);
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

type Metric = {
  name: string;
  current: string;
  proposed: string;
  /** proposed − current in the metric's own unit, as text with a sign; null when equal. */
  difference: string | null;
  /** Lower is better for every metric here; null: neither better nor worse. */
  better: boolean | null;
};

function metrics(r: WhatIfReportDto): Metric[] {
  const c = r.current;
  const p = r.proposed;
  const cur = c.shippingCost.currency;
  const signed = (n: number, text: string) => (n > 0 ? `+${text}` : n < 0 ? `−${text.replace(/^-/, '')}` : null);
  const row = (name: string, a: number, b: number, show: (v: number) => string, diff: (d: number) => string) => ({
    name,
    current: show(a),
    proposed: show(b),
    difference: a === b ? null : signed(b - a, diff(b - a)),
    better: a === b ? null : b < a,
  });
  const costChange =
    c.shippingCost.amount === 0
      ? ''
      : ` (${(((p.shippingCost.amount - c.shippingCost.amount) / c.shippingCost.amount) * 100).toFixed(1)}%)`;
  return [
    {
      ...row(
        'Shipping cost',
        c.shippingCost.amount,
        p.shippingCost.amount,
        (v) => formatMoney(v, cur),
        (d) => formatMoney(Math.abs(d), cur),
      ),
    },
    row('Average delivery days', c.averageDeliveryDays, p.averageDeliveryDays, days, (d) => days(Math.abs(d))),
    row('Split rate', c.splitRate, p.splitRate, percent, (d) => `${(Math.abs(d) * 100).toFixed(1)} pts`),
    row('Shipments', c.shipments, p.shipments, String, (d) => String(Math.abs(d))),
    row('Backordered units', c.backorderedUnits, p.backorderedUnits, String, (d) => String(Math.abs(d))),
    row('Orders with backorders', c.backorderedOrders, p.backorderedOrders, String, (d) => String(Math.abs(d))),
  ].map((m, i) => (i === 0 && m.difference ? { ...m, difference: `${m.difference}${costChange}` } : m));
}

function Results({
  report,
  currency,
  applying,
  applied,
  onApply,
  applyError,
}: {
  report: WhatIfReportDto;
  currency: string;
  applying: boolean;
  applied: number | null;
  onApply: () => void;
  applyError: unknown;
}) {
  const rows = metrics(report);
  const unchanged = report.changedOrders === 0;
  return (
    <Stack gap="md" data-testid="what-if-results">
      <Card withBorder radius="md" padding="md" component="section" aria-label="Comparison">
        <Group justify="space-between" align="flex-start" mb="sm">
          <div>
            <Title order={3} size="h5">
              {report.orders} orders replayed
              {report.firstOrder && report.lastOrder ? ` (${report.firstOrder} … ${report.lastOrder})` : ''}
            </Title>
            <Text size="sm" c="dimmed">
              {unchanged
                ? 'The proposal routes every one of them the same way.'
                : `${report.changedOrders} of them would be routed differently.`}
            </Text>
          </div>
          {applied !== null ? (
            <Badge color="green" size="lg" leftSection={<Check size={14} />}>
              Applied as version {applied}
            </Badge>
          ) : (
            <Button onClick={onApply} loading={applying} disabled={unchanged} color="green">
              Apply proposed settings
            </Button>
          )}
        </Group>
        {applyError ? <ErrorCard error={applyError} title="The proposal could not be applied" /> : null}
        <Group align="flex-start" gap="lg" wrap="wrap">
          <Table
            fz="sm"
            verticalSpacing={6}
            withTableBorder
            aria-label="Current and proposed side by side"
            style={{ flex: '1 1 420px' }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th ta="right">
                  Current {report.currentVersion === 0 ? '(defaults)' : `(v${report.currentVersion})`}
                </Table.Th>
                <Table.Th ta="right">Proposed</Table.Th>
                <Table.Th ta="right">Difference</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((m) => (
                <Table.Tr key={m.name}>
                  <Table.Td fw={600}>{m.name}</Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {m.current}
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {m.proposed}
                  </Table.Td>
                  <Table.Td
                    ta="right"
                    c={m.better === null ? 'dimmed' : m.better ? 'teal.7' : 'red.7'}
                    fw={m.better === null ? undefined : 600}
                    data-better={m.better === null ? 'same' : m.better ? 'better' : 'worse'}
                    style={{ fontVariantNumeric: 'tabular-nums' }}
                  >
                    {m.difference ?? 'same'}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <div style={{ flex: '1 1 480px', minWidth: 0 }}>
            <ComparisonChart report={report} currency={currency} />
          </div>
        </Group>
      </Card>
      <ChangedOrders report={report} />
    </Stack>
  );
}

function ComparisonChart({ report, currency }: { report: WhatIfReportDto; currency: string }) {
  const option = useMemo(() => chartOption(report, currency), [report, currency]);
  const c = report.current;
  const p = report.proposed;
  const label =
    `Chart: shipping cost ${formatMoney(c.shippingCost.amount, currency)} current, ` +
    `${formatMoney(p.shippingCost.amount, currency)} proposed; average delivery ${days(c.averageDeliveryDays)} and ` +
    `${days(p.averageDeliveryDays)} days; split rate ${percent(c.splitRate)} and ${percent(p.splitRate)}; ` +
    `backordered units ${c.backorderedUnits} and ${p.backorderedUnits}.`;
  return (
    <Suspense
      fallback={
        <Center h={250}>
          <Loader size="sm" aria-label="Loading the chart" />
        </Center>
      }
    >
      <EChart option={option} label={label} height={250} />
    </Suspense>
  );
}

/** Four small bar pairs, each on its own scale: cost, delivery days, split rate, backordered units. */
function chartOption(r: WhatIfReportDto, currency: string): ChartOption {
  const exp = currencyExponent(currency);
  const major = (minor: number) => Number(minorToDecimalString(minor, exp));
  const panels: { title: string; current: number; proposed: number; text: (v: number) => string }[] = [
    {
      title: 'Shipping cost',
      current: major(r.current.shippingCost.amount),
      proposed: major(r.proposed.shippingCost.amount),
      text: (v) => formatMoney(Math.round(v * 10 ** exp), currency).replace(/\.\d+$/, ''),
    },
    {
      title: 'Avg delivery days',
      current: r.current.averageDeliveryDays,
      proposed: r.proposed.averageDeliveryDays,
      text: days,
    },
    {
      title: 'Split rate',
      current: r.current.splitRate * 100,
      proposed: r.proposed.splitRate * 100,
      text: (v) => `${v.toFixed(1)}%`,
    },
    {
      title: 'Backordered units',
      current: r.current.backorderedUnits,
      proposed: r.proposed.backorderedUnits,
      text: (v) => String(v),
    },
  ];
  const width = 100 / panels.length;
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    color: ['#adb5bd', '#228be6'],
    legend: { data: ['Current', 'Proposed'], bottom: 0, itemWidth: 14, itemHeight: 10, itemGap: 28 },
    tooltip: { trigger: 'item' },
    title: panels.map((panel, i) => ({
      text: panel.title,
      left: `${i * width + width / 2}%`,
      top: 0,
      textAlign: 'center',
      textStyle: { fontSize: 12, fontWeight: 600 },
    })),
    grid: panels.map((_, i) => ({
      left: `${i * width + 2}%`,
      width: `${width - 4}%`,
      top: 34,
      bottom: 40,
      containLabel: false,
    })),
    xAxis: panels.map((_, i) => ({
      type: 'category',
      gridIndex: i,
      data: [''],
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#ced4da' } },
    })),
    yAxis: panels.map((_, i) => ({ type: 'value', gridIndex: i, show: false, min: 0 })),
    series: panels.flatMap((panel, i) => [
      {
        name: 'Current',
        type: 'bar',
        xAxisIndex: i,
        yAxisIndex: i,
        barGap: '20%',
        barMaxWidth: 48,
        data: [panel.current],
        label: { show: true, position: 'top', fontSize: 11, formatter: () => panel.text(panel.current) },
      },
      {
        name: 'Proposed',
        type: 'bar',
        xAxisIndex: i,
        yAxisIndex: i,
        barMaxWidth: 48,
        data: [panel.proposed],
        label: { show: true, position: 'top', fontSize: 11, formatter: () => panel.text(panel.proposed) },
      },
    ]),
  };
}

function Plan({ plan }: { plan: PlanOutlineDto }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" ff="monospace">
        {plan.locations.length ? plan.locations.join(' + ') : '—'}
      </Text>
      {plan.backorderedUnits > 0 ? (
        <Badge size="xs" color="orange" variant="light">
          {plan.backorderedUnits} backordered
        </Badge>
      ) : null}
    </Group>
  );
}

function ChangedOrders({ report }: { report: WhatIfReportDto }) {
  if (report.changedOrders === 0) return null;
  return (
    <Card withBorder radius="md" padding="md" component="section" aria-label="Orders routed differently">
      <Title order={3} size="h5">
        Orders routed differently
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {report.changed.length < report.changedOrders
          ? `The first ${report.changed.length} of ${report.changedOrders}, oldest first.`
          : 'Oldest first.'}
      </Text>
      <Table.ScrollContainer minWidth={720} maxHeight={420}>
        <Table fz="sm" verticalSpacing={4} striped stickyHeader aria-label="Changed orders">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Order</Table.Th>
              <Table.Th>Current plan</Table.Th>
              <Table.Th>Proposed plan</Table.Th>
              <Table.Th ta="right">Current cost</Table.Th>
              <Table.Th ta="right">Proposed cost</Table.Th>
              <Table.Th ta="right">Days</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.changed.map((c) => {
              const delta = c.proposed.shippingCost.amount - c.current.shippingCost.amount;
              return (
                <Table.Tr key={c.number}>
                  <Table.Td>
                    <Anchor
                      ff="monospace"
                      size="sm"
                      renderRoot={(props) => <Link {...props} to="/orders/$number" params={{ number: c.number }} />}
                    >
                      {c.number}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Plan plan={c.current} />
                  </Table.Td>
                  <Table.Td>
                    <Plan plan={c.proposed} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Money value={c.current.shippingCost} />
                  </Table.Td>
                  <Table.Td ta="right" c={delta === 0 ? undefined : delta < 0 ? 'teal.7' : 'red.7'}>
                    <Money value={c.proposed.shippingCost} />
                  </Table.Td>
                  <Table.Td
                    ta="right"
                    c={
                      c.proposed.days === c.current.days
                        ? undefined
                        : c.proposed.days < c.current.days
                          ? 'teal.7'
                          : 'red.7'
                    }
                  >
                    {c.current.days} → {c.proposed.days}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
