/**
 * A keyboard-driven data grid over a server-side list of any length.
 *
 * The core pages, sorts and filters; this component only asks for the pages the user can see.
 * `total` (from whichever page answered last) sizes the scroll area, TanStack Virtual renders the
 * visible rows, and each 100-row page is its own TanStack Query entry keyed by the caller's key (so
 * mutations that invalidate that key refresh the grid). TanStack Table supplies the column model,
 * header rendering and the controlled sort state (which the caller keeps in the URL).
 *
 * Keyboard: ↑/↓ move the highlight, PgUp/PgDn by a screen, Home/End to the ends, Enter opens.
 */
import { Box, Center, Group, Loader, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { keepPreviousData, useQueries, type QueryObserverResult } from '@tanstack/react-query';
import {
  rowSortingFeature,
  tableFeatures,
  useTable,
  type CellData,
  type ColumnDef,
  type Row,
  type RowData,
  type TableFeatures,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { observeElementOffset, useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { formatCount } from '../lib/dates';
import { ErrorCard } from './ErrorCard';
import classes from './VirtualGrid.module.css';

export const gridFeatures = tableFeatures({ rowSortingFeature });
export type GridFeatures = typeof gridFeatures;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GridColumn<T extends RowData> = ColumnDef<GridFeatures, T, any>;

// The type parameters must repeat the library's declaration to merge with it.
/* eslint-disable @typescript-eslint/no-unused-vars */
declare module '@tanstack/table-core' {
  interface ColumnMeta<
    in out TFeatures extends TableFeatures,
    in out TData extends RowData,
    TValue extends CellData = CellData,
  > {
    /** CSS grid track, e.g. `120px` or `minmax(160px, 1fr)`. */
    width?: string;
    align?: 'left' | 'right' | 'center';
  }
}
/* eslint-enable @typescript-eslint/no-unused-vars */

export const PAGE_SIZE = 100;
export const ROW_HEIGHT = 32;
const HEADER_HEIGHT = 36;
/**
 * Far down a very tall scroll area browsers lose pixel precision (positions are 32-bit floats past a
 * few million px: rows jitter and overlap). So the scroll area is at most this tall and, for longer
 * lists, the scroll bar is scaled: one real pixel stands for `scale` virtual pixels. TanStack Virtual
 * works in virtual pixels; the real offset is multiplied on the way in and rows are placed back in
 * real pixels.
 */
const MAX_SCROLL_PX = 6_000_000;
/** The grid addresses this many rows and says so when a list is longer. */
export const MAX_ROWS = 2_000_000;

/** Virtual px per real px, from the element's real height and the virtual content height. */
function scaleOf(realContent: number, virtualContent: number, viewport: number): number {
  if (virtualContent <= realContent || realContent <= viewport) return 1;
  return (virtualContent - viewport) / (realContent - viewport);
}

/** `totalCapped`: the count stopped at a cap (or is an estimate), so `total` is shown as "10,000+". */
export type Page<T> = { rows: T[]; total: number; totalCapped?: boolean };
type LoadedPage<T> = Page<T> & { offset: number };

export interface VirtualGridHandle {
  focus: () => void;
}

export interface VirtualGridProps<T extends RowData> {
  /** Accessible name of the grid, e.g. "Orders". */
  label: string;
  columns: GridColumn<T>[];
  /** Everything the pages depend on (filters, sort); pages are cached under `[...queryKey, offset]`. */
  queryKey: readonly unknown[];
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>;
  getRowId: (row: T) => string;
  rowAttributes?: (row: T) => Record<string, string | undefined>;
  sorting?: SortingState;
  onSortingChange?: (sorting: SortingState) => void;
  onOpen?: (row: T) => void;
  /** Extra keys while the grid has focus (e.g. R to receive on the highlighted row). */
  onRowKeyDown?: (event: KeyboardEvent<HTMLDivElement>, row: T) => void;
  onHighlightChange?: (row: T | undefined) => void;
  emptyMessage: ReactNode;
  /** Text after the count, e.g. "orders". */
  noun: string;
  ref?: Ref<VirtualGridHandle>;
}

/** See the module comment. Generic over the row type. */
export function VirtualGrid<T extends RowData>(props: VirtualGridProps<T>) {
  const {
    ref,
    label,
    columns,
    queryKey,
    fetchPage,
    getRowId,
    rowAttributes,
    sorting,
    onSortingChange,
    onOpen,
    onRowKeyDown,
    onHighlightChange,
    emptyMessage,
    noun,
  } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const keyText = JSON.stringify(queryKey);
  const [visiblePages, setVisiblePages] = useState<{ key: string; first: number; last: number }>({
    key: keyText,
    first: 0,
    last: 0,
  });
  const [highlight, setHighlight] = useState<{ key: string; index: number }>({ key: keyText, index: 0 });
  // A new query (other filters or sort) starts at the top again.
  const pages = visiblePages.key === keyText ? visiblePages : { key: keyText, first: 0, last: 0 };
  const highlighted = highlight.key === keyText ? highlight.index : 0;

  const pageNumbers = useMemo(() => {
    const list: number[] = [];
    for (let p = pages.first; p <= pages.last; p += 1) list.push(p);
    return list;
  }, [pages.first, pages.last]);

  const combine = useCallback(
    (results: QueryObserverResult<LoadedPage<T>, Error>[]) => ({
      data: results.map((r) => r.data),
      placeholder: results.some((r) => r.isPlaceholderData),
      error: results.find((r) => r.error)?.error ?? null,
      pending: results.some((r) => r.isPending),
      fetching: results.some((r) => r.isFetching),
      refetch: () => results.forEach((r) => void r.refetch()),
    }),
    [],
  );
  const pageResults = useQueries({
    queries: pageNumbers.map((page) => ({
      queryKey: [...queryKey, { offset: page * PAGE_SIZE, limit: PAGE_SIZE }],
      queryFn: async (): Promise<LoadedPage<T>> => ({
        ...(await fetchPage(page * PAGE_SIZE, PAGE_SIZE)),
        offset: page * PAGE_SIZE,
      }),
      placeholderData: keepPreviousData,
      staleTime: 5_000,
    })),
    combine,
  });

  // The last known total keeps the scroll area steady while a page is on its way (after a jump, or
  // while the next search answers); without it the list would collapse and spring back.
  const answered = pageResults.data.find((d) => d !== undefined);
  const [known, setKnown] = useState<{ key: string; total: number; capped: boolean } | null>(null);
  const answeredCapped = answered?.totalCapped ?? false;
  if (
    answered &&
    !pageResults.placeholder &&
    (known?.key !== keyText || known.total !== answered.total || known.capped !== answeredCapped)
  ) {
    setKnown({ key: keyText, total: answered.total, capped: answeredCapped });
  }
  const total = answered?.total ?? known?.total ?? 0;
  const totalCapped = answered ? answeredCapped : (known?.capped ?? false);
  const count = Math.min(total, MAX_ROWS);

  // Rows we hold, in order, with their absolute positions: TanStack Table gets only these.
  const { data, positions } = useMemo(() => {
    const rows: T[] = [];
    const at: number[] = [];
    pageResults.data.forEach((page, i) => {
      const start = (pages.first + i) * PAGE_SIZE;
      // Previous data stands in only for the same rows of an earlier search, never for other rows.
      if (!page || page.offset !== start) return;
      page.rows.forEach((row, j) => {
        rows.push(row);
        at.push(start + j);
      });
    });
    return { data: rows, positions: at };
  }, [pageResults.data, pages.first]);

  const handleSortingChange = useCallback(
    (updater: Updater<SortingState>) => {
      if (!onSortingChange) return;
      const next = typeof updater === 'function' ? updater(sorting ?? []) : updater;
      onSortingChange(next);
    },
    [onSortingChange, sorting],
  );

  const table = useTable({
    features: gridFeatures,
    columns,
    data,
    getRowId: (row: T) => getRowId(row),
    state: { sorting: sorting ?? [] },
    onSortingChange: handleSortingChange,
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
  });

  const rowsByPosition = useMemo(() => {
    const map = new Map<number, Row<GridFeatures, T>>();
    table.getRowModel().rows.forEach((row) => {
      const position = positions[row.index];
      if (position !== undefined) map.set(position, row);
    });
    return map;
    // The row model changes exactly when `data` does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, positions, table]);

  // This build does not use the React Compiler; the grid re-renders as it scrolls, by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: HEADER_HEIGHT,
    initialRect: { width: 1000, height: 600 },
    observeElementOffset: (instance, report) =>
      observeElementOffset(instance, (offset, isScrolling) => {
        const el = instance.scrollElement;
        const scale = el ? scaleOf(el.scrollHeight, HEADER_HEIGHT + instance.getTotalSize(), el.clientHeight) : 1;
        report(offset * scale, isScrolling);
      }),
  });
  const virtualHeight = virtualizer.getTotalSize();
  const realHeight = Math.min(virtualHeight, MAX_SCROLL_PX);
  const viewport = virtualizer.scrollRect?.height ?? 600;
  const scale = scaleOf(HEADER_HEIGHT + realHeight, HEADER_HEIGHT + virtualHeight, viewport);
  const virtualOffset = virtualizer.scrollOffset ?? 0;
  const items = virtualizer.getVirtualItems();
  const firstVisible = items[0]?.index ?? 0;
  const lastVisible = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    const first = Math.floor(firstVisible / PAGE_SIZE);
    const last = Math.floor(lastVisible / PAGE_SIZE);
    if (first !== pages.first || last !== pages.last || pages.key !== visiblePages.key) {
      setVisiblePages({ key: keyText, first, last });
    }
  }, [firstVisible, lastVisible, pages.first, pages.last, pages.key, visiblePages.key, keyText]);

  // Back to the top when the query changes.
  useEffect(() => {
    scrollRef.current?.scrollTo?.({ top: 0 });
  }, [keyText]);

  const highlightedRow = rowsByPosition.get(highlighted)?.original;
  useEffect(() => {
    onHighlightChange?.(highlightedRow);
  }, [highlightedRow, onHighlightChange]);

  useImperativeHandle(ref, () => ({ focus: () => scrollRef.current?.focus() }), []);

  const moveTo = (index: number) => {
    if (count === 0) return;
    const next = Math.max(0, Math.min(count - 1, index));
    setHighlight({ key: keyText, index: next });
    // Scroll just enough to show the row below the sticky header, in virtual px, then write real px.
    const el = scrollRef.current;
    if (!el) return;
    const rowTop = HEADER_HEIGHT + next * ROW_HEIGHT;
    const height = el.clientHeight;
    let target: number | null = null;
    if (rowTop - HEADER_HEIGHT < virtualOffset) target = rowTop - HEADER_HEIGHT - scale;
    else if (rowTop + ROW_HEIGHT > virtualOffset + height) target = rowTop + ROW_HEIGHT - height + scale;
    if (target !== null) el.scrollTop = Math.max(0, target / scale);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys on a sort button in the header are the button's own.
    if (event.target !== event.currentTarget) return;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
    switch (event.key) {
      case 'ArrowDown':
        moveTo(highlighted + 1);
        break;
      case 'ArrowUp':
        moveTo(highlighted - 1);
        break;
      case 'PageDown':
        moveTo(highlighted + pageRows);
        break;
      case 'PageUp':
        moveTo(highlighted - pageRows);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(count - 1);
        break;
      case 'Enter':
        if (highlightedRow !== undefined) onOpen?.(highlightedRow);
        break;
      default:
        if (highlightedRow !== undefined) onRowKeyDown?.(event, highlightedRow);
        return;
    }
    event.preventDefault();
  };

  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const template = headers.map((h) => h.column.columnDef.meta?.width ?? 'minmax(100px, 1fr)').join(' ');
  const gridId = useMemo(() => `grid-${label.toLowerCase().replace(/\W+/g, '-')}`, [label]);
  const rowDomId = (index: number) => `${gridId}-row-${index}`;

  // Only the very first answer is waited for with a spinner; later pages show as skeleton rows.
  const firstLoad = answered === undefined && known === null && pageResults.pending;

  return (
    <Box className={classes.wrapper}>
      <Group justify="space-between" px="xs" py={6} className={classes.summary}>
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="grid-total">
          {firstLoad ? 'Loading…' : `${formatCount(total)}${totalCapped ? '+' : ''} ${noun}`}
          {total > MAX_ROWS
            ? ` · showing the first ${formatCount(MAX_ROWS)}; search, filter or reverse the sort to reach the rest`
            : ''}
        </Text>
        {pageResults.fetching && !firstLoad ? <Loader size="xs" aria-label="Refreshing" /> : null}
      </Group>
      <div
        role="grid"
        aria-label={label}
        aria-rowcount={total + 1}
        aria-colcount={headers.length}
        aria-activedescendant={count > 0 ? rowDomId(highlighted) : undefined}
        tabIndex={0}
        ref={scrollRef}
        className={classes.scroller}
        onKeyDown={onKeyDown}
      >
        <div
          role="row"
          aria-rowindex={1}
          className={classes.header}
          style={{ gridTemplateColumns: template, height: HEADER_HEIGHT }}
        >
          {headers.map((header) => {
            const canSort = header.column.getCanSort() && !!onSortingChange;
            const sorted = header.column.getIsSorted();
            const align = header.column.columnDef.meta?.align ?? 'left';
            const content = header.isPlaceholder ? null : <table.FlexRender header={header} />;
            return (
              <div
                key={header.id}
                role="columnheader"
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                className={classes.headerCell}
                style={{ justifyContent: align === 'right' ? 'flex-end' : 'flex-start' }}
              >
                {canSort ? (
                  <UnstyledButton
                    className={classes.sortButton}
                    onClick={header.column.getToggleSortingHandler()}
                    title="Sort"
                  >
                    {content}
                    {sorted === 'asc' ? (
                      <ArrowUp size={14} aria-hidden />
                    ) : sorted === 'desc' ? (
                      <ArrowDown size={14} aria-hidden />
                    ) : (
                      <ArrowUpDown size={14} aria-hidden className={classes.sortIdle} />
                    )}
                  </UnstyledButton>
                ) : (
                  content
                )}
              </div>
            );
          })}
        </div>
        {pageResults.error && answered === undefined && known === null ? (
          <Box p="md">
            <ErrorCard error={pageResults.error} onRetry={pageResults.refetch} />
          </Box>
        ) : firstLoad ? (
          <Center p="xl">
            <Loader aria-label="Loading" />
          </Center>
        ) : count === 0 ? (
          <Center p="xl" c="dimmed">
            {emptyMessage}
          </Center>
        ) : (
          <div role="rowgroup" style={{ height: realHeight, position: 'relative' }}>
            {/* One block placed at the first visible row, rows stacked inside it: far down a long list
                a per-row transform of ~30 million px loses precision and rows overlap. */}
            <div
              role="presentation"
              className={classes.window}
              style={{
                top: (items[0]?.start ?? HEADER_HEIGHT) - HEADER_HEIGHT - virtualOffset + virtualOffset / scale,
              }}
            >
              {items.map((item) => {
                const row = rowsByPosition.get(item.index);
                const isHighlighted = item.index === highlighted;
                const style = {
                  height: ROW_HEIGHT,
                  gridTemplateColumns: template,
                };
                if (!row) {
                  return (
                    <div
                      key={`placeholder-${item.index}`}
                      id={rowDomId(item.index)}
                      role="row"
                      aria-rowindex={item.index + 2}
                      aria-busy
                      className={classes.row}
                      style={style}
                    >
                      {headers.map((h) => (
                        <div key={h.id} role="gridcell" className={classes.cell}>
                          <Skeleton height={10} width="70%" />
                        </div>
                      ))}
                    </div>
                  );
                }
                return (
                  <div
                    key={row.id}
                    id={rowDomId(item.index)}
                    role="row"
                    aria-rowindex={item.index + 2}
                    aria-selected={isHighlighted}
                    data-highlighted={isHighlighted || undefined}
                    className={classes.row}
                    style={style}
                    onClick={() => setHighlight({ key: keyText, index: item.index })}
                    onDoubleClick={() => onOpen?.(row.original)}
                    {...rowAttributes?.(row.original)}
                  >
                    {row.getAllCells().map((cell) => (
                      <div
                        key={cell.id}
                        role="gridcell"
                        data-col={cell.column.id}
                        className={classes.cell}
                        style={{
                          justifyContent: cell.column.columnDef.meta?.align === 'right' ? 'flex-end' : undefined,
                        }}
                      >
                        <table.FlexRender cell={cell} />
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </div>
    </Box>
  );
}
