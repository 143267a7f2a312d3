/**
 * Orders list: search as you type, filters and sort kept in the URL, a virtualised grid over the
 * whole result (the core pages it), arrow keys to move and Enter to open an order.
 */
import { Button, CloseButton, Group, NativeSelect, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { Plus, Search } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { OrderStatusDto } from '../../bindings/OrderStatusDto';
import type { OrderSummaryDto } from '../../bindings/OrderSummaryDto';
import { Money } from '../../components/Money';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { ORDER_STATUSES, STATUS_LABELS, StatusBadge } from '../../components/StatusBadge';
import { VirtualGrid, type GridColumn, type VirtualGridHandle } from '../../components/VirtualGrid';
import { createColumnHelper, type SortingState } from '@tanstack/react-table';
import type { GridFeatures } from '../../components/VirtualGrid';
import { formatDateTime } from '../../lib/dates';
import { useChannels } from '../../lib/queries';
import { fetchOrdersPage, filtersFromSearch, orderKeys } from './api';
import { ORDER_SORT_COLUMNS, type OrderSortColumn } from './search';

const column = createColumnHelper<GridFeatures, OrderSummaryDto>();

const columns: GridColumn<OrderSummaryDto>[] = [
  column.accessor('number', {
    id: 'number',
    header: 'Number',
    cell: (info) => (
      <Text fw={600} size="sm" ff="monospace">
        {info.getValue()}
      </Text>
    ),
    meta: { width: '130px' },
  }),
  column.accessor('createdAt', {
    id: 'createdAt',
    header: 'Date',
    cell: (info) => formatDateTime(info.getValue()),
    sortDescFirst: true,
    meta: { width: '180px' },
  }),
  column.accessor('channel', {
    id: 'channel',
    header: 'Channel',
    enableSorting: false,
    meta: { width: '120px' },
  }),
  column.accessor('customerName', {
    id: 'customer',
    header: 'Customer',
    cell: (info) =>
      info.getValue() ?? (
        <Text span c="dimmed" size="sm">
          Walk-in
        </Text>
      ),
    meta: { width: 'minmax(160px, 1fr)' },
  }),
  column.accessor('status', {
    id: 'status',
    header: 'Status',
    cell: (info) => <StatusBadge status={info.getValue()} />,
    meta: { width: '150px' },
  }),
  column.accessor('itemCount', {
    id: 'items',
    header: 'Items',
    enableSorting: false,
    meta: { width: '80px', align: 'right' },
  }),
  column.accessor('total', {
    id: 'total',
    header: 'Total',
    cell: (info) => <Money value={info.getValue()} />,
    sortDescFirst: true,
    meta: { width: '130px', align: 'right' },
  }),
];

export function OrdersPage() {
  const search = useSearch({ from: '/orders' });
  const navigate = useNavigate({ from: '/orders' });
  const channels = useChannels();
  const gridRef = useRef<VirtualGridHandle>(null);

  const [text, setText] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(text, 150);
  // Only typing changes the URL's `q`; the URL changing (Clear, back) must not be undone by a late echo.
  const applied = useRef(debounced);
  useEffect(() => {
    if (applied.current === debounced) return;
    applied.current = debounced;
    const q = debounced.trim() || undefined;
    void navigate({ search: (prev) => ({ ...prev, q }), replace: true });
  }, [debounced, navigate]);

  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const queryKey = useMemo(() => orderKeys.list(filters), [filters]);
  const fetchPage = useCallback((offset: number, limit: number) => fetchOrdersPage(filters, offset, limit), [filters]);

  const sortColumn: OrderSortColumn = search.sort ?? 'createdAt';
  const sorting: SortingState = [{ id: sortColumn, desc: filters.descending }];
  const onSortingChange = useCallback(
    (next: SortingState) => {
      const first = next[0];
      const sort = ORDER_SORT_COLUMNS.find((c) => c === first?.id);
      if (!first || !sort) return;
      void navigate({ search: (prev) => ({ ...prev, sort, desc: first.desc }), replace: true });
    },
    [navigate],
  );

  const setFilter = (patch: Partial<typeof search>) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });

  const open = useCallback(
    (order: OrderSummaryDto) => void navigate({ to: '/orders/$number', params: { number: order.number } }),
    [navigate],
  );

  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter') {
      event.preventDefault();
      gridRef.current?.focus();
    } else if (event.key === 'Escape' && text !== '') {
      setText('');
    }
  };

  const hasFilters = Boolean(search.q || search.channel || search.status || search.from || search.to);

  return (
    <Page fill>
      <PageHeader title="Orders">
        <Button component={Link} to="/counter" leftSection={<Plus size={16} />} variant="light">
          New order
        </Button>
      </PageHeader>
      <Group gap="xs" mb="sm" align="flex-end" wrap="nowrap">
        <TextInput
          style={{ flex: 1, minWidth: 220 }}
          label="Search"
          placeholder="Order number, customer, e-mail, phone or channel ref"
          aria-label="Search orders"
          leftSection={<Search size={16} />}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={onSearchKeyDown}
          rightSection={text ? <CloseButton aria-label="Clear search" onClick={() => setText('')} size="sm" /> : null}
          autoFocus
        />
        <NativeSelect
          label="Channel"
          w={150}
          value={search.channel ?? ''}
          onChange={(e) => setFilter({ channel: e.currentTarget.value || undefined })}
          data={[
            { value: '', label: 'All channels' },
            ...(channels.data ?? []).map((c) => ({ value: c.code, label: c.name })),
          ]}
        />
        <NativeSelect
          label="Status"
          w={170}
          value={search.status ?? ''}
          onChange={(e) => setFilter({ status: (e.currentTarget.value || undefined) as OrderStatusDto | undefined })}
          data={[
            { value: '', label: 'All statuses' },
            ...ORDER_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
          ]}
        />
        <TextInput
          label="From"
          type="date"
          w={150}
          value={search.from ?? ''}
          max={search.to}
          onChange={(e) => setFilter({ from: e.currentTarget.value || undefined })}
        />
        <TextInput
          label="To"
          type="date"
          w={150}
          value={search.to ?? ''}
          min={search.from}
          onChange={(e) => setFilter({ to: e.currentTarget.value || undefined })}
        />
        <Button
          variant="subtle"
          disabled={!hasFilters}
          onClick={() => {
            setText('');
            void navigate({ search: (prev) => ({ sort: prev.sort, desc: prev.desc }), replace: true });
          }}
        >
          Clear
        </Button>
      </Group>
      <VirtualGrid<OrderSummaryDto>
        ref={gridRef}
        label="Orders"
        noun="orders"
        columns={columns}
        queryKey={queryKey}
        fetchPage={fetchPage}
        getRowId={(row) => row.id}
        rowAttributes={(row) => ({ 'data-testid': 'order-row', 'data-number': row.number })}
        sorting={sorting}
        onSortingChange={onSortingChange}
        onOpen={open}
        emptyMessage={hasFilters ? 'No orders match. Try fewer filters.' : 'No orders yet. Take one at the Counter.'}
      />
    </Page>
  );
}
