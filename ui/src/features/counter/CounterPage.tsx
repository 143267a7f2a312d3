/**
 * The counter: take an order in seconds with a keyboard and a barcode scanner.
 *
 * The scan box has the focus. Enter looks the code up (exact SKU or barcode): a hit adds a line or
 * adds one to the line already there and clears the box; a miss shows a big error and selects the
 * text so the next scan replaces it. Ctrl+Enter (or "Complete order") sends the order to the core;
 * the new number shows large and the screen is ready for the next sale. Totals, stock and taxes come
 * from the core; the subtotal here is only an estimate from catalogue prices.
 *
 * "Pick-up hand-over" (Alt+H switches back and forth) hands a ready pick-up order to the customer
 * (see `HandoverPanel`); a sale in progress stays as it was while the counter is in that mode.
 */
import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  CloseButton,
  Grid,
  Group,
  NativeSelect,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { CheckCircle2, ScanBarcode, Trash2 } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import type { CustomerDto } from '../../bindings/CustomerDto';
import type { OrderDetailDto } from '../../bindings/OrderDetailDto';
import type { ProductDto } from '../../bindings/ProductDto';
import { ErrorCard } from '../../components/ErrorCard';
import { Money } from '../../components/Money';
import { Page } from '../../components/Page';
import { ShortcutHint } from '../../components/ShortcutHint';
import { applyFieldError } from '../../lib/form-errors';
import { toAppError } from '../../lib/ipc';
import { formatMoney, minorToInput } from '../../lib/money';
import { useChannels, useLocations, useShopCurrency } from '../../lib/queries';
import { findProduct, useCreateOrder } from './api';
import { CustomerPicker } from './CustomerPicker';
import { HandoverPanel } from './HandoverPanel';
import { ReturnPanel } from './ReturnPanel';
import {
  PAYMENT_METHODS,
  counterDefaults,
  counterSchema,
  estimateSubtotal,
  toNewOrder,
  type CounterValues,
} from './form';

type ScanError = { code: string; message: string };

const STORE_KEY = 'orderly.counter.store';

function readStore(): string | null {
  try {
    return window.localStorage.getItem(STORE_KEY);
  } catch {
    return null;
  }
}

function rememberStore(code: string) {
  try {
    if (code) window.localStorage.setItem(STORE_KEY, code);
  } catch {
    // Private mode or no storage: the first store stays the default.
  }
}

/** Paths the form shows errors for; anything else from the core is shown for the whole form. */
function isFormField(path: string): boolean {
  return (
    /^lines(\.\d+\.(sku|qty|unitPrice|discount))?$/.test(path) ||
    /^shipTo\.(name|company|line1|line2|city|region|postalCode|country|phone)$/.test(path) ||
    /^customer\.(name|email|phone)$/.test(path) ||
    ['channel', 'channelRef', 'pickupLocation', 'shippingCharge', 'payment.method', 'notes', 'customerId'].includes(
      path,
    )
  );
}

type CounterMode = 'sale' | 'handover' | 'return';

export function CounterPage() {
  const [mode, setMode] = useState<CounterMode>('sale');
  // Works while typing in the scan box too: Alt+H never types a character.
  useHotkeys(
    [
      ['alt+h', () => setMode((m) => (m === 'handover' ? 'sale' : 'handover'))],
      ['alt+r', () => setMode((m) => (m === 'return' ? 'sale' : 'return'))],
    ],
    [],
  );
  return (
    <Page>
      <Group justify="space-between" align="center" mb="md">
        <Group gap="md" align="center">
          <Title order={2} size="h3">
            Counter
          </Title>
          <SegmentedControl
            aria-label="Counter mode"
            value={mode}
            onChange={(v) => setMode(v as CounterMode)}
            data={[
              { value: 'sale', label: 'Sale' },
              { value: 'handover', label: 'Pick-up hand-over' },
              { value: 'return', label: 'Return' },
            ]}
          />
          <Button
            variant="subtle"
            size="compact-sm"
            aria-keyshortcuts="Alt+H"
            rightSection={<ShortcutHint keys="Alt+H" />}
            onClick={() => setMode((m) => (m === 'handover' ? 'sale' : 'handover'))}
          >
            {mode === 'handover' ? 'Back to the sale' : 'Hand over a pick-up'}
          </Button>
          <Button
            variant="subtle"
            size="compact-sm"
            aria-keyshortcuts="Alt+R"
            rightSection={<ShortcutHint keys="Alt+R" />}
            onClick={() => setMode((m) => (m === 'return' ? 'sale' : 'return'))}
          >
            {mode === 'return' ? 'Back to the sale' : 'Take a return'}
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          {mode === 'sale' ? (
            <>
              Scan, then <ShortcutHint keys="Ctrl+Enter" /> to complete
            </>
          ) : mode === 'return' ? (
            <>
              Scan the receipt, <ShortcutHint keys="Enter" /> to start the return
            </>
          ) : (
            <>
              Scan the order, type the name, <ShortcutHint keys="Enter" /> to hand over
            </>
          )}
        </Text>
      </Group>
      {/* The sale stays mounted (hidden) so a sale in progress survives a hand-over. */}
      <div hidden={mode !== 'sale'}>
        <CounterSale active={mode === 'sale'} />
      </div>
      {mode === 'handover' ? <HandoverPanel /> : null}
      {mode === 'return' ? <ReturnPanel /> : null}
    </Page>
  );
}

function CounterSale({ active }: { active: boolean }) {
  const currency = useShopCurrency();
  const queryClient = useQueryClient();
  const channels = useChannels();
  const locations = useLocations();
  const createOrder = useCreateOrder();

  const schema = useMemo(() => counterSchema(currency), [currency]);
  const form = useForm<CounterValues>({
    resolver: zodResolver(schema),
    defaultValues: counterDefaults(),
    shouldFocusError: true,
  });
  const { register, control, handleSubmit, setValue, getValues, setError, clearErrors, formState } = form;
  const { errors } = formState;
  const lines = useFieldArray({ control, name: 'lines' });
  const watchedLines = useWatch({ control, name: 'lines' });
  const fulfilment = useWatch({ control, name: 'fulfilment' });
  const channel = useWatch({ control, name: 'channel' });
  const newCustomer = useWatch({ control, name: 'newCustomer' });

  const [customer, setCustomer] = useState<CustomerDto | null>(null);
  const [scanText, setScanText] = useState('');
  const [scanError, setScanError] = useState<ScanError | null>(null);
  const [selectScan, setSelectScan] = useState(0);
  const [created, setCreated] = useState<OrderDetailDto | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  const lookups = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    if (selectScan > 0) scanRef.current?.select();
  }, [selectScan]);

  const focusScan = () => scanRef.current?.focus();

  // Back from a hand-over: the scan box takes the focus again.
  const wasActive = useRef(active);
  useEffect(() => {
    if (active && !wasActive.current) scanRef.current?.focus();
    wasActive.current = active;
  }, [active]);

  const addProduct = (product: ProductDto) => {
    const current = getValues('lines');
    const index = current.findIndex((line) => line.sku === product.sku);
    if (index >= 0) {
      const qty = Number(current[index]?.qty ?? '0');
      setValue(`lines.${index}.qty`, String((Number.isFinite(qty) ? qty : 0) + 1), {
        shouldValidate: formState.isSubmitted,
      });
    } else {
      lines.append(
        {
          sku: product.sku,
          name: product.name,
          catalogPrice: product.price.amount,
          currency: product.price.currency,
          qty: '1',
          unitPrice: '',
          discount: '',
        },
        { shouldFocus: false },
      );
    }
    clearErrors('lines');
  };

  const lookup = async (code: string) => {
    let error: ScanError | null = null;
    try {
      const product = await findProduct(queryClient, code);
      if (product) addProduct(product);
      else error = { code, message: `No product has the SKU or barcode “${code}”.` };
    } catch (reason) {
      error = { code, message: toAppError(reason).message };
    }
    setScanError(error);
    if (error && scanRef.current && scanRef.current.value === '') {
      // Put the code back, selected, so the next scan or keystroke replaces it.
      setScanText(code);
      setSelectScan((n) => n + 1);
    }
  };

  const onScanKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const code = scanText.trim();
    if (!code) return;
    // Clear at once so a fast scanner's next code starts in an empty box; look-ups run in order.
    setScanText('');
    lookups.current = lookups.current.then(() => lookup(code));
  };

  const onValid = async (values: CounterValues) => {
    // A scan still being looked up belongs to this sale.
    await lookups.current;
    createOrder.mutate(toNewOrder(getValues(), customer?.id ?? null, currency), {
      onSuccess: (order) => {
        setCreated(order);
        setCustomer(null);
        setScanError(null);
        setScanText('');
        form.reset(counterDefaults(values.channel, defaultStore));
        focusScan();
      },
      onError: (error) => {
        applyFieldError(error, setError, isFormField);
      },
    });
  };
  const submit = (event?: FormEvent) => handleSubmit(onValid)(event);

  const onFormKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter' || event.defaultPrevented) return;
    const target = event.target as HTMLElement;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      void submit();
      return;
    }
    // Plain Enter never sends the order by accident; in a line it returns to the scan box.
    if (target instanceof HTMLInputElement && target.type !== 'checkbox' && target.type !== 'radio') {
      event.preventDefault();
      if (target.dataset.line !== undefined) focusScan();
    }
  };

  const onLineKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    if (event.key === 'Delete' && event.target === event.currentTarget) {
      event.preventDefault();
      lines.remove(index);
      const rows = event.currentTarget.parentElement?.querySelectorAll<HTMLElement>('tr[data-line-row]');
      const next = rows?.[index + 1] ?? rows?.[index - 1];
      if (next) next.focus();
      else focusScan();
    }
  };

  const pickupStores = useMemo(
    () => (locations.data ?? []).filter((l) => l.canPickup && l.active).sort((a, b) => a.priority - b.priority),
    [locations.data],
  );
  // The store this counter sells from: the last one chosen here, else the first that hands over goods.
  const remembered = readStore();
  const defaultStore = pickupStores.find((l) => l.code === remembered)?.code ?? pickupStores[0]?.code ?? '';
  useEffect(() => {
    if (defaultStore && getValues('pickupLocation') === '') setValue('pickupLocation', defaultStore);
  }, [defaultStore, getValues, setValue]);
  const estimate = estimateSubtotal(watchedLines ?? [], currency);
  const submitError = createOrder.error ? toAppError(createOrder.error) : null;
  const submitErrorShownOnField = submitError?.field
    ? isFormField(submitError.field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()))
    : false;

  return (
    <form onSubmit={(e) => void submit(e)} onKeyDown={onFormKeyDown} noValidate aria-label="New order">
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {created ? <CreatedBanner order={created} /> : null}

            <div>
              <TextInput
                ref={scanRef}
                size="xl"
                autoFocus
                autoComplete="off"
                spellCheck={false}
                aria-label="Scan or type SKU or barcode"
                placeholder="Scan or type SKU / barcode"
                leftSection={<ScanBarcode size={24} />}
                value={scanText}
                onChange={(e) => {
                  setScanText(e.currentTarget.value);
                  if (scanError) setScanError(null);
                }}
                onKeyDown={onScanKeyDown}
                aria-invalid={scanError ? true : undefined}
                aria-describedby={scanError ? 'scan-error' : undefined}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              {scanError ? (
                <Alert
                  id="scan-error"
                  role="alert"
                  color="red"
                  variant="filled"
                  mt="xs"
                  title={
                    <Text fw={700} size="lg">
                      Not found: {scanError.code}
                    </Text>
                  }
                >
                  <Text size="md">{scanError.message} Check the code and scan again.</Text>
                </Alert>
              ) : null}
            </div>

            <Card withBorder padding={0} radius="md">
              <Table verticalSpacing={6} fz="sm" aria-label="Order lines">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Item</Table.Th>
                    <Table.Th w={90}>Qty</Table.Th>
                    <Table.Th w={130}>Unit price</Table.Th>
                    <Table.Th w={120}>Discount</Table.Th>
                    <Table.Th w={120} ta="right">
                      Estimate
                    </Table.Th>
                    <Table.Th w={44} />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {lines.fields.length === 0 ? (
                    <Table.Tr>
                      <Table.Td colSpan={6}>
                        <Text
                          c={errors.lines?.message || errors.lines?.root ? 'red' : 'dimmed'}
                          ta="center"
                          py="md"
                          size="sm"
                        >
                          {errors.lines?.message ??
                            errors.lines?.root?.message ??
                            'No items yet. Scan a barcode or type a SKU and press Enter.'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ) : null}
                  {lines.fields.map((field, index) => {
                    const line = watchedLines?.[index] ?? field;
                    const lineErrors = errors.lines?.[index];
                    const lineEstimate = estimateSubtotal([line], currency);
                    return (
                      <Table.Tr
                        key={field.id}
                        tabIndex={0}
                        data-line-row
                        data-sku={field.sku}
                        aria-label={`Line ${index + 1}: ${field.sku} ${field.name}. Press Delete to remove.`}
                        onKeyDown={(e) => onLineKeyDown(e, index)}
                      >
                        <Table.Td>
                          <Text size="sm" ff="monospace" fw={600}>
                            {field.sku}
                          </Text>
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {field.name}
                          </Text>
                          {lineErrors?.sku?.message ? (
                            <Text size="xs" c="red" role="alert">
                              {lineErrors.sku.message}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          <TextInput
                            size="xs"
                            inputMode="numeric"
                            aria-label={`Quantity for ${field.sku}`}
                            data-line={index}
                            error={lineErrors?.qty?.message}
                            {...register(`lines.${index}.qty`)}
                          />
                        </Table.Td>
                        <Table.Td>
                          <TextInput
                            size="xs"
                            inputMode="decimal"
                            aria-label={`Unit price for ${field.sku}`}
                            placeholder={minorToInput(field.catalogPrice, field.currency)}
                            data-line={index}
                            error={lineErrors?.unitPrice?.message}
                            {...register(`lines.${index}.unitPrice`)}
                          />
                        </Table.Td>
                        <Table.Td>
                          <TextInput
                            size="xs"
                            inputMode="decimal"
                            aria-label={`Discount for ${field.sku}`}
                            placeholder="0"
                            data-line={index}
                            error={lineErrors?.discount?.message}
                            {...register(`lines.${index}.discount`)}
                          />
                        </Table.Td>
                        <Table.Td ta="right">
                          <Money value={{ amount: lineEstimate, currency }} />
                        </Table.Td>
                        <Table.Td>
                          <CloseButton
                            aria-label={`Remove ${field.sku}`}
                            icon={<Trash2 size={16} />}
                            onClick={() => {
                              lines.remove(index);
                              focusScan();
                            }}
                          />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
              <Group justify="space-between" px="md" py="sm" bg="gray.0">
                <Text size="xs" c="dimmed">
                  Estimate from catalogue prices, before tax and shipping. Orderly computes the real totals.
                </Text>
                <Text size="lg" fw={700} data-testid="estimate">
                  {formatMoney(estimate, currency)}
                </Text>
              </Group>
            </Card>
            <Card withBorder radius="md" padding="md">
              <Stack gap="sm">
                <Radio.Group
                  label="Fulfilment"
                  value={fulfilment}
                  onChange={(v) => setValue('fulfilment', v as CounterValues['fulfilment'])}
                >
                  <Group gap="lg" mt={6}>
                    <Radio value="takeaway" label="Take away now" />
                    <Radio value="ship" label="Ship to address" />
                    <Radio value="pickup" label="Pick up at store" />
                  </Group>
                </Radio.Group>
                {fulfilment === 'ship' ? (
                  <SimpleGrid cols={3} spacing="xs" verticalSpacing={6}>
                    <TextInput label="Recipient" error={errors.shipTo?.name?.message} {...register('shipTo.name')} />
                    <TextInput
                      label="Company"
                      error={errors.shipTo?.company?.message}
                      {...register('shipTo.company')}
                    />
                    <TextInput
                      label="Address line 1"
                      error={errors.shipTo?.line1?.message}
                      {...register('shipTo.line1')}
                    />
                    <TextInput
                      label="Address line 2"
                      error={errors.shipTo?.line2?.message}
                      {...register('shipTo.line2')}
                    />
                    <TextInput
                      label="Postal code"
                      error={errors.shipTo?.postalCode?.message}
                      {...register('shipTo.postalCode')}
                    />
                    <TextInput label="City" error={errors.shipTo?.city?.message} {...register('shipTo.city')} />
                    <TextInput label="Region" error={errors.shipTo?.region?.message} {...register('shipTo.region')} />
                    <TextInput
                      label="Country"
                      placeholder="US"
                      maxLength={2}
                      error={errors.shipTo?.country?.message}
                      {...register('shipTo.country')}
                    />
                    <TextInput
                      label="Phone"
                      type="tel"
                      error={errors.shipTo?.phone?.message}
                      {...register('shipTo.phone')}
                    />
                    <TextInput
                      label="Shipping charge"
                      inputMode="decimal"
                      placeholder="0.00"
                      error={errors.shippingCharge?.message}
                      {...register('shippingCharge')}
                    />
                  </SimpleGrid>
                ) : (
                  <NativeSelect
                    label={fulfilment === 'pickup' ? 'Pick-up store' : 'Sold at store'}
                    maw={360}
                    error={errors.pickupLocation?.message}
                    data={[
                      { value: '', label: pickupStores.length ? 'Choose a store' : 'No store hands over goods' },
                      ...pickupStores.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` })),
                    ]}
                    {...register('pickupLocation', {
                      onChange: (e: { target: { value: string } }) => {
                        if (fulfilment === 'takeaway') rememberStore(e.target.value);
                      },
                    })}
                  />
                )}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder radius="md" padding="md" style={{ position: 'sticky', top: 16 }}>
            <Stack gap="sm">
              <NativeSelect
                label="Channel"
                error={errors.channel?.message}
                data={
                  channels.data && channels.data.length > 0
                    ? channels.data.map((c) => ({ value: c.code, label: c.name }))
                    : [{ value: 'counter', label: 'Counter' }]
                }
                {...register('channel')}
              />
              {channel !== 'counter' ? (
                <TextInput
                  label="Channel reference"
                  placeholder="e.g. marketplace order id"
                  error={errors.channelRef?.message}
                  {...register('channelRef')}
                />
              ) : null}

              <CustomerPicker
                picked={customer}
                onPick={setCustomer}
                newCustomer={newCustomer}
                onNewCustomer={(on) => setValue('newCustomer', on)}
                register={register}
                errors={errors}
                pickError={errors.customerId?.message}
              />

              <Group grow gap="xs" align="flex-end">
                <NativeSelect
                  label="Payment"
                  data={PAYMENT_METHODS}
                  error={errors.payment?.method?.message}
                  {...register('payment.method')}
                />
                <Checkbox label="Captured" mb={8} {...register('payment.captured')} />
              </Group>

              <Textarea label="Note" autosize minRows={1} maxRows={4} {...register('notes')} />

              {submitError && !submitErrorShownOnField ? (
                submitError.code === 'out_of_stock' ? (
                  <Alert color="orange" variant="filled" role="alert" title={<Text fw={700}>Not enough stock</Text>}>
                    <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                      {submitError.message}
                    </Text>
                  </Alert>
                ) : (
                  <ErrorCard error={submitError} />
                )
              ) : null}

              <Button
                type="submit"
                size="lg"
                fullWidth
                loading={createOrder.isPending}
                rightSection={<ShortcutHint keys="Ctrl+Enter" />}
              >
                Complete order
              </Button>
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </form>
  );
}

function CreatedBanner({ order }: { order: OrderDetailDto }) {
  const backordered = order.lines.filter((l) => l.backordered > 0);
  return (
    <Alert color="green" variant="light" icon={<CheckCircle2 size={28} />} role="status" aria-live="polite">
      <Group justify="space-between" align="center" wrap="nowrap">
        <div>
          <Text size="sm" c="dimmed">
            Order created
          </Text>
          <Anchor
            renderRoot={(props) => <Link to="/orders/$number" params={{ number: order.number }} {...props} />}
            fz={32}
            fw={800}
            ff="monospace"
            data-testid="created-order-number"
          >
            {order.number}
          </Anchor>
          {backordered.length > 0 ? (
            <Text size="sm" c="orange.8">
              Backordered: {backordered.map((l) => `${l.backordered} × ${l.sku}`).join(', ')}
            </Text>
          ) : null}
        </div>
        <div style={{ textAlign: 'right' }}>
          <Text size="sm" c="dimmed">
            Total
          </Text>
          <Text fz={28} fw={800}>
            <Money value={order.totals.total} />
          </Text>
        </div>
      </Group>
    </Alert>
  );
}
