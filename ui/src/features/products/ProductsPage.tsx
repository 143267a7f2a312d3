/**
 * Products: the catalogue as a searchable, virtualised list (search in the URL); Enter or a double
 * click edits the highlighted product, "New product" (Alt+N) adds one.
 */
import { Badge, Button, Checkbox, CloseButton, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { zodResolver } from '@hookform/resolvers/zod';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { createColumnHelper } from '@tanstack/react-table';
import { Plus, Search } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { ProductDto } from '../../bindings/ProductDto';
import type { ProductInputDto } from '../../bindings/ProductInputDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { ShortcutHint } from '../../components/ShortcutHint';
import { VirtualGrid, type GridColumn, type GridFeatures, type VirtualGridHandle } from '../../components/VirtualGrid';
import { formatCount } from '../../lib/dates';
import { applyFieldError, fieldPath } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { minorToInput, parseMoney } from '../../lib/money';
import { useShopCurrency } from '../../lib/queries';
import { fetchProductsPage, productKeys, useSaveProduct } from './api';

const column = createColumnHelper<GridFeatures, ProductDto>();

const columns: GridColumn<ProductDto>[] = [
  column.accessor('sku', {
    id: 'sku',
    header: 'SKU',
    enableSorting: false,
    cell: (i) => (
      <Text size="sm" ff="monospace" fw={600}>
        {i.getValue()}
      </Text>
    ),
    meta: { width: '160px' },
  }),
  column.accessor('name', { id: 'name', header: 'Name', enableSorting: false, meta: { width: 'minmax(200px, 1fr)' } }),
  column.accessor('barcode', {
    id: 'barcode',
    header: 'Barcode',
    enableSorting: false,
    cell: (i) => (
      <Text size="sm" ff="monospace" c={i.getValue() ? undefined : 'dimmed'}>
        {i.getValue() ?? '—'}
      </Text>
    ),
    meta: { width: '150px' },
  }),
  column.accessor('price', {
    id: 'price',
    header: 'Price',
    enableSorting: false,
    cell: (i) => <Money value={i.getValue()} />,
    meta: { width: '110px', align: 'right' },
  }),
  column.accessor('available', {
    id: 'available',
    header: 'Available',
    enableSorting: false,
    cell: (i) => formatCount(i.getValue()),
    meta: { width: '95px', align: 'right' },
  }),
  column.display({
    id: 'flags',
    header: 'Status',
    cell: ({ row }) => (
      <Group gap={4} wrap="nowrap">
        {row.original.active ? null : (
          <Badge size="sm" color="gray" variant="light">
            Inactive
          </Badge>
        )}
        {row.original.allowBackorder ? (
          <Badge size="sm" color="orange" variant="light">
            Backorder
          </Badge>
        ) : null}
        {row.original.finalSale ? (
          <Badge size="sm" color="red" variant="light">
            Final sale
          </Badge>
        ) : null}
      </Group>
    ),
    meta: { width: '170px' },
  }),
];

export function ProductsPage() {
  const search = useSearch({ from: '/products' });
  const navigate = useNavigate({ from: '/products' });
  const gridRef = useRef<VirtualGridHandle>(null);
  const [text, setText] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(text, 150);
  const applied = useRef(debounced);
  useEffect(() => {
    if (applied.current === debounced) return;
    applied.current = debounced;
    void navigate({ search: { q: debounced.trim() || undefined }, replace: true });
  }, [debounced, navigate]);

  const q = search.q?.trim() || null;
  const queryKey = useMemo(() => productKeys.list(q), [q]);
  const fetchPage = useCallback((offset: number, limit: number) => fetchProductsPage(q, offset, limit), [q]);
  const [editing, setEditing] = useState<{ product: ProductDto | null } | null>(null);

  useHotkeys([['alt+n', () => setEditing({ product: null })]], []);

  return (
    <Page fill>
      <PageHeader title="Products">
        <Button
          leftSection={<Plus size={16} />}
          rightSection={<ShortcutHint keys="Alt+N" />}
          onClick={() => setEditing({ product: null })}
        >
          New product
        </Button>
      </PageHeader>
      <Group mb="sm">
        <TextInput
          style={{ flex: 1 }}
          aria-label="Search products"
          placeholder="SKU, name or barcode"
          leftSection={<Search size={16} />}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              gridRef.current?.focus();
            }
          }}
          rightSection={text ? <CloseButton aria-label="Clear search" size="sm" onClick={() => setText('')} /> : null}
          autoFocus
        />
      </Group>
      <VirtualGrid<ProductDto>
        ref={gridRef}
        label="Products"
        noun="products"
        columns={columns}
        queryKey={queryKey}
        fetchPage={fetchPage}
        getRowId={(p) => p.id}
        rowAttributes={(p) => ({ 'data-testid': 'product-row', 'data-sku': p.sku })}
        onOpen={(product) => setEditing({ product })}
        emptyMessage={q ? 'No product matches.' : 'No products yet. Add one, or load the demo shop in Settings.'}
      />
      <ProductDialog
        editing={editing}
        onClose={() => {
          setEditing(null);
          requestAnimationFrame(() => gridRef.current?.focus());
        }}
      />
    </Page>
  );
}

const whole = (what: string) => z.string().regex(/^\s*\d+\s*$/, `${what}: a whole number`);

function productSchema(currency: string) {
  return z.object({
    sku: z.string().trim().min(1, 'Enter a SKU'),
    name: z.string().trim().min(1, 'Enter a name'),
    barcode: z.string(),
    price: z.string().superRefine((v, ctx) => {
      const parsed = parseMoney(v, currency);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
    }),
    weightGrams: whole('Weight'),
    lengthMm: whole('Length'),
    widthMm: whole('Width'),
    heightMm: whole('Height'),
    active: z.boolean(),
    allowBackorder: z.boolean(),
    finalSale: z.boolean(),
  });
}
type ProductValues = z.infer<ReturnType<typeof productSchema>>;

function toValues(product: ProductDto | null): ProductValues {
  return {
    sku: product?.sku ?? '',
    name: product?.name ?? '',
    barcode: product?.barcode ?? '',
    price: product ? minorToInput(product.price.amount, product.price.currency) : '',
    weightGrams: String(product?.weightGrams ?? 0),
    lengthMm: String(product?.lengthMm ?? 0),
    widthMm: String(product?.widthMm ?? 0),
    heightMm: String(product?.heightMm ?? 0),
    active: product?.active ?? true,
    allowBackorder: product?.allowBackorder ?? false,
    finalSale: product?.finalSale ?? false,
  };
}

function toInput(v: ProductValues, currency: string): ProductInputDto {
  const price = parseMoney(v.price, currency);
  return {
    sku: v.sku.trim(),
    name: v.name.trim(),
    barcode: v.barcode.trim() === '' ? null : v.barcode.trim(),
    price: price.ok ? price.value : 0,
    weightGrams: Number(v.weightGrams),
    lengthMm: Number(v.lengthMm),
    widthMm: Number(v.widthMm),
    heightMm: Number(v.heightMm),
    active: v.active,
    allowBackorder: v.allowBackorder,
    finalSale: v.finalSale,
  };
}

function ProductDialog({ editing, onClose }: { editing: { product: ProductDto | null } | null; onClose: () => void }) {
  const currency = useShopCurrency();
  const schema = useMemo(() => productSchema(currency), [currency]);
  const save = useSaveProduct();
  const form = useForm<ProductValues>({ resolver: zodResolver(schema), defaultValues: toValues(null) });
  const product = editing?.product ?? null;
  const openKey = editing ? (product?.id ?? 'new') : 'closed';
  useEffect(() => {
    form.reset(toValues(product));
    save.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openKey]);

  const submit = form.handleSubmit((values) =>
    save.mutate(
      { id: product?.id ?? null, product: toInput(values, currency) },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: `${saved.sku} saved` });
          onClose();
        },
        onError: (error) => applyFieldError(error, form.setError, (path) => path in form.getValues()),
      },
    ),
  );
  const e = form.formState.errors;
  const appError = save.error ? toAppError(save.error) : null;
  const unplaced = appError && !(appError.field && fieldPath(appError.field) in form.getValues());

  return (
    <Modal
      opened={editing !== null}
      onClose={onClose}
      title={product ? `Edit ${product.sku}` : 'New product'}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={2} spacing="sm">
            <TextInput label="SKU" required data-autofocus {...form.register('sku')} error={e.sku?.message} />
            <TextInput
              label="Barcode"
              placeholder="EAN-13, UPC-A, EAN-8 or GTIN-14"
              {...form.register('barcode')}
              error={e.barcode?.message}
            />
          </SimpleGrid>
          <TextInput label="Name" required {...form.register('name')} error={e.name?.message} />
          <SimpleGrid cols={2} spacing="sm">
            <TextInput
              label={`Price (${currency})`}
              required
              inputMode="decimal"
              placeholder="12.50"
              {...form.register('price')}
              error={e.price?.message}
            />
            <TextInput
              label="Weight (g)"
              inputMode="numeric"
              {...form.register('weightGrams')}
              error={e.weightGrams?.message}
            />
          </SimpleGrid>
          <SimpleGrid cols={3} spacing="sm">
            <TextInput
              label="Length (mm)"
              inputMode="numeric"
              {...form.register('lengthMm')}
              error={e.lengthMm?.message}
            />
            <TextInput
              label="Width (mm)"
              inputMode="numeric"
              {...form.register('widthMm')}
              error={e.widthMm?.message}
            />
            <TextInput
              label="Height (mm)"
              inputMode="numeric"
              {...form.register('heightMm')}
              error={e.heightMm?.message}
            />
          </SimpleGrid>
          <Group>
            <Checkbox label="Active (for sale)" {...form.register('active')} />
            <Checkbox label="Allow backorder" {...form.register('allowBackorder')} />
            <Checkbox label="Final sale (not returnable)" {...form.register('finalSale')} />
          </Group>
          {unplaced ? <ErrorCard error={appError} /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {product ? 'Save' : 'Create product'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
