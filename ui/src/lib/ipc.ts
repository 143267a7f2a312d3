/**
 * The one door between the web view and the Rust shell.
 *
 * `Commands` (generated from `src-tauri/src/commands.rs` into `src/bindings/commands.ts`, like every
 * DTO type there) maps each Tauri command name to its argument object and its result type: it is the
 * contract with the shell. `call` is the only function that invokes the shell; it turns every
 * rejection into an `AppError` carrying the core's `{code, message, field}`.
 * Features use the typed wrappers in `commands`, never command-name strings of their own.
 */
import { invoke } from '@tauri-apps/api/core';
import type { CommandName, Commands } from '../bindings/commands';
import type { AdjustStockDto } from '../bindings/AdjustStockDto';
import type { AppErrorDto } from '../bindings/AppErrorDto';
import type { ChannelInputDto } from '../bindings/ChannelInputDto';
import type { CustomerInputDto } from '../bindings/CustomerInputDto';
import type { FulfilmentSettingsDto } from '../bindings/FulfilmentSettingsDto';
import type { DocumentDto } from '../bindings/DocumentDto';
import type { ErrorCodeDto } from '../bindings/ErrorCodeDto';
import type { ExchangeInputDto } from '../bindings/ExchangeInputDto';
import type { HeldActionDto } from '../bindings/HeldActionDto';
import type { InventoryQueryDto } from '../bindings/InventoryQueryDto';
import type { LocationInputDto } from '../bindings/LocationInputDto';
import type { MailSettingsDto } from '../bindings/MailSettingsDto';
import type { MailStatusDto } from '../bindings/MailStatusDto';
import type { NewOrderDto } from '../bindings/NewOrderDto';
import type { OrderQueryDto } from '../bindings/OrderQueryDto';
import type { ProductInputDto } from '../bindings/ProductInputDto';
import type { ProductQueryDto } from '../bindings/ProductQueryDto';
import type { ReceiveStockDto } from '../bindings/ReceiveStockDto';
import type { ReceiveUnitsDto } from '../bindings/ReceiveUnitsDto';
import type { RefundInputDto } from '../bindings/RefundInputDto';
import type { ReturnInputDto } from '../bindings/ReturnInputDto';
import type { ReturnLabelRequestDto } from '../bindings/ReturnLabelRequestDto';
import type { ReturnPolicyDto } from '../bindings/ReturnPolicyDto';
import type { QuoteRequestDto } from '../bindings/QuoteRequestDto';
import type { RerouteDto } from '../bindings/RerouteDto';
import type { RoutingSettingsDto } from '../bindings/RoutingSettingsDto';
import type { SaveRateCardsDto } from '../bindings/SaveRateCardsDto';
import type { SaveRoutingSettingsDto } from '../bindings/SaveRoutingSettingsDto';
import type { SettingsDto } from '../bindings/SettingsDto';
import type { StatusChangeDto } from '../bindings/StatusChangeDto';
import type { TransferStockDto } from '../bindings/TransferStockDto';
import type { WorkstationDto } from '../bindings/WorkstationDto';

type NoArgs = Record<string, never>;

export type { CommandName, Commands };
export type CommandArgs<K extends CommandName> = Commands[K]['args'];
export type CommandResult<K extends CommandName> = Commands[K]['result'];

/** A failed command, as the core reported it. `field` is a dotted path such as `lines.2.qty`. */
export class AppError extends Error {
  readonly code: ErrorCodeDto;
  readonly field: string | null;

  constructor(code: ErrorCodeDto, message: string, field: string | null = null) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
  }

  toDto(): AppErrorDto {
    return { code: this.code, message: this.message, field: this.field };
  }
}

const ERROR_CODES: readonly ErrorCodeDto[] = [
  'invalid',
  'not_found',
  'conflict',
  'out_of_stock',
  'invalid_transition',
  'database',
  'internal',
];

function isErrorCode(value: unknown): value is ErrorCodeDto {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Turns whatever a rejected `invoke` gave us into an `AppError`. The shell rejects with an
 * `AppErrorDto`; Tauri itself rejects with a plain string (unknown command, bad arguments).
 */
export function toAppError(reason: unknown): AppError {
  if (reason instanceof AppError) return reason;
  if (reason && typeof reason === 'object' && 'message' in reason) {
    const r = reason as { code?: unknown; message?: unknown; field?: unknown };
    const message = typeof r.message === 'string' ? r.message : String(r.message);
    const field = typeof r.field === 'string' && r.field !== '' ? r.field : null;
    return new AppError(isErrorCode(r.code) ? r.code : 'internal', message, field);
  }
  if (typeof reason === 'string') return new AppError('internal', reason);
  return new AppError('internal', 'Something went wrong talking to the Orderly core.');
}

type ArgsParam<K extends CommandName> =
  NoArgs extends CommandArgs<K> ? [args?: CommandArgs<K>] : [args: CommandArgs<K>];

/** Calls one shell command with typed arguments; rejects only with `AppError`. */
export async function call<K extends CommandName>(name: K, ...args: ArgsParam<K>): Promise<CommandResult<K>> {
  try {
    return await invoke<CommandResult<K>>(name, args[0] ?? {});
  } catch (reason) {
    throw toAppError(reason);
  }
}

/** One typed wrapper per command: what features import. */
export const commands = {
  appInfo: () => call('app_info'),
  listOrders: (query: OrderQueryDto) => call('list_orders', { query }),
  getOrder: (number: string) => call('get_order', { number }),
  createOrder: (order: NewOrderDto) => call('create_order', { order }),
  changeOrderStatus: (change: StatusChangeDto) => call('change_order_status', { change }),
  rerouteOrder: (input: RerouteDto) => call('reroute_order', { input }),
  findProduct: (code: string) => call('find_product', { code }),
  listProducts: (query: ProductQueryDto) => call('list_products', { query }),
  createProduct: (product: ProductInputDto) => call('create_product', { product }),
  updateProduct: (id: string, product: ProductInputDto) => call('update_product', { id, product }),
  listLocations: () => call('list_locations'),
  createLocation: (location: LocationInputDto) => call('create_location', { location }),
  updateLocation: (id: string, location: LocationInputDto) => call('update_location', { id, location }),
  listChannels: () => call('list_channels'),
  createChannel: (channel: ChannelInputDto) => call('create_channel', { channel }),
  updateChannel: (channel: ChannelInputDto) => call('update_channel', { channel }),
  searchCustomers: (search: string) => call('search_customers', { search }),
  createCustomer: (customer: CustomerInputDto) => call('create_customer', { customer }),
  listInventory: (query: InventoryQueryDto) => call('list_inventory', { query }),
  receiveStock: (input: ReceiveStockDto) => call('receive_stock', { input }),
  adjustStock: (input: AdjustStockDto) => call('adjust_stock', { input }),
  transferStock: (input: TransferStockDto) => call('transfer_stock', { input }),
  listTransfers: (openOnly: boolean) => call('list_transfers', { openOnly }),
  receiveTransfer: (id: string) => call('receive_transfer', { id }),
  listMovements: (sku: string, location: string | null) => call('list_movements', { sku, location }),
  verifyInventory: () => call('verify_inventory'),
  getSettings: () => call('get_settings'),
  saveSettings: (settings: SettingsDto) => call('save_settings', { settings }),
  testDatabase: (url: string) => call('test_database', { url }),
  switchDatabase: (url: string) => call('switch_database', { url }),
  getRoutingSettings: () => call('get_routing_settings'),
  routingHistory: (limit: number) => call('routing_history', { limit }),
  saveRoutingSettings: (input: SaveRoutingSettingsDto) => call('save_routing_settings', { input }),
  routingWhatIf: (proposed: RoutingSettingsDto, lastOrders: number) =>
    call('routing_what_if', { proposed, lastOrders }),
  getMailSettings: () => call('get_mail_settings'),
  saveMailSettings: (settings: MailSettingsDto) => call('save_mail_settings', { settings }),
  sendTestMail: (to: string) => call('send_test_mail', { to }),
  listOutbox: (status: MailStatusDto | null, limit: number) => call('list_outbox', { status, limit }),
  retryMail: (id: string) => call('retry_mail', { id }),
  getRateCards: () => call('get_rate_cards'),
  rateCardHistory: (limit: number) => call('rate_card_history', { limit }),
  saveRateCards: (input: SaveRateCardsDto) => call('save_rate_cards', { input }),
  quoteShipment: (request: QuoteRequestDto) => call('quote_shipment', { request }),
  // Fulfilment as the counter, the order page and the settings use it.
  orderShipments: (number: string) => call('order_shipments', { number }),
  pickupHandover: (code: string) => call('pickup_handover', { code }),
  handOver: (code: string, name: string) => call('hand_over', { code, name }),
  getFulfilmentSettings: () => call('get_fulfilment_settings'),
  saveFulfilmentSettings: (settings: FulfilmentSettingsDto) => call('save_fulfilment_settings', { settings }),
  getWorkstation: () => call('get_workstation'),
  saveWorkstation: (input: WorkstationDto) => call('save_workstation', { input }),
  // Returns, refunds and exchanges (issue 6).
  returnOptions: (order: string) => call('return_options', { order }),
  previewReturn: (input: ReturnInputDto) => call('preview_return', { input }),
  createReturn: (input: ReturnInputDto) => call('create_return', { input }),
  getReturn: (number: string) => call('get_return', { number }),
  orderReturns: (order: string) => call('order_returns', { order }),
  returnsQueue: (location: string) => call('returns_queue', { location }),
  returnLabel: (input: ReturnLabelRequestDto) => call('return_label', { input }),
  receiveReturn: (input: ReceiveUnitsDto) => call('receive_return', { input }),
  refundPreview: (ret: string, beforeReceipt: boolean) => call('refund_preview', { ret, beforeReceipt }),
  refundReturn: (input: RefundInputDto) => call('refund_return', { input }),
  createExchange: (input: ExchangeInputDto) => call('create_exchange', { input }),
  cancelReturn: (ret: string, reason: string) => call('cancel_return', { ret, reason }),
  heldStockAction: (input: HeldActionDto) => call('held_stock_action', { input }),
  getReturnPolicy: () => call('get_return_policy'),
  saveReturnPolicy: (policy: ReturnPolicyDto) => call('save_return_policy', { policy }),
  // The customer page: figures, orders newest first, and the timeline (cursor-paged).
  customerDetail: (id: string) => call('customer_detail', { id }),
  customerOrders: (id: string, offset: number, limit: number) => call('customer_orders', { id, offset, limit }),
  customerTimeline: (id: string, before: string | null, limit: number) =>
    call('customer_timeline', { id, before, limit }),
  checkTracking: (number: string) => call('check_tracking', { number }),
  printDocument: (document: DocumentDto, reference: string) =>
    call('print_document', { request: { document, reference } }),
  loadDemo: () => call('load_demo'),
  clearData: () => call('clear_data'),
} as const;
