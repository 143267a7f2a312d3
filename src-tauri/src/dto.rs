//! Transport types between the web view and the shell.
//!
//! These are the only JSON shapes the UI sees. Each one is converted from a core type at this edge,
//! so the core never depends on how the UI wants its data. TypeScript definitions are generated from
//! these with ts-rs into `ui/src/bindings/` (see `bindings.rs`); a test fails when they are stale.
//!
//! Money travels as an integer count of minor units plus an ISO 4217 code. The core keeps every
//! amount far below 2^53, so JavaScript numbers hold them exactly.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An amount of money: `amount` minor units (cents for USD, yen for JPY) of `currency`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoneyDto {
    pub amount: i64,
    pub currency: String,
}

/// Every error the UI can receive: a stable code, a sentence for the user and, for input errors,
/// the field it is about (dotted path such as `lines.2.qty`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppErrorDto {
    pub code: ErrorCodeDto,
    pub message: String,
    pub field: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCodeDto {
    /// Input failed validation; `field` says which.
    Invalid,
    /// The thing named does not exist.
    NotFound,
    /// It exists already (duplicate SKU, code, barcode).
    Conflict,
    /// Not enough stock to fill the order; the message lists the short SKUs.
    OutOfStock,
    /// The order's status does not allow this change.
    InvalidTransition,
    /// The database could not be reached or failed.
    Database,
    /// Anything else; the log has the details.
    Internal,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfoDto {
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database_kind: String,
    /// The database URL with any password replaced by `***`.
    pub database_url: String,
    pub business_name: String,
    pub currency: String,
    /// True when the demo shop is loaded (it can be cleared from Settings).
    pub demo_loaded: bool,
    /// True while the demo shop is being loaded in the background on first start; lists fill
    /// as it goes and are complete when this turns false.
    pub demo_loading: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddressDto {
    pub name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, e.g. `US`.
    pub country: String,
    pub phone: Option<String>,
}

// ---------------------------------------------------------------- catalogue, locations, channels

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProductDto {
    pub id: String,
    pub sku: String,
    pub name: String,
    /// GTIN (EAN-13 / UPC-A / EAN-8 / GTIN-14), check digit verified.
    pub barcode: Option<String>,
    pub price: MoneyDto,
    pub weight_grams: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub active: bool,
    pub allow_backorder: bool,
    /// Final sale: a return needs an override.
    pub final_sale: bool,
    /// Available to sell across all locations (on hand − reserved − safety stock).
    pub available: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProductInputDto {
    pub sku: String,
    pub name: String,
    pub barcode: Option<String>,
    /// Price in minor units of the shop currency.
    pub price: i64,
    pub weight_grams: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub active: bool,
    pub allow_backorder: bool,
    /// Final sale: a return needs an override.
    pub final_sale: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProductQueryDto {
    /// Matches SKU, name or barcode (prefix / contains).
    pub search: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProductPageDto {
    pub rows: Vec<ProductDto>,
    pub total: i64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LocationKindDto {
    Warehouse,
    Store,
    Dropship,
}

/// Shipping rate as in the routing file format: `base + perKg × kg + perKm × km` minor units.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShippingRateDto {
    pub base: i64,
    pub per_kg: i64,
    /// Minor units per 1,000 km (so 0.2 per km is 200): keeps the rate an integer.
    pub per_1000_km: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LocationDto {
    pub id: String,
    /// Short code such as `WH-EAST`, unique.
    pub code: String,
    pub name: String,
    pub kind: LocationKindDto,
    pub address: AddressDto,
    pub latitude: f64,
    pub longitude: f64,
    pub can_ship: bool,
    pub can_pickup: bool,
    /// Lower number = tried first when reserving.
    pub priority: i32,
    pub rate: ShippingRateDto,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LocationInputDto {
    pub code: String,
    pub name: String,
    pub kind: LocationKindDto,
    pub address: AddressDto,
    pub latitude: f64,
    pub longitude: f64,
    pub can_ship: bool,
    pub can_pickup: bool,
    pub priority: i32,
    pub rate: ShippingRateDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelDto {
    pub id: String,
    /// `counter`, `web`, `marketplace`, `phone`, or one the owner added.
    pub code: String,
    pub name: String,
    /// Units per SKU × location this channel never sells (held back for other channels).
    pub safety_stock: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelInputDto {
    pub code: String,
    pub name: String,
    pub safety_stock: i64,
}

// ---------------------------------------------------------------- customers

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDto {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub addresses: Vec<AddressDto>,
    pub order_count: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerInputDto {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<AddressDto>,
}

// ---------------------------------------------------------------- orders

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatusDto {
    /// Captured, stock reserved, waiting to be picked.
    Open,
    /// Some lines wait for stock.
    Backordered,
    /// Handed to the warehouse / store for picking.
    InProgress,
    PartiallyShipped,
    Shipped,
    Delivered,
    /// Picked up at the store by the customer (counter sales end here too).
    Completed,
    Cancelled,
    /// Some units that left came back (set by receiving a return).
    PartiallyReturned,
    /// Every unit that left came back.
    Returned,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderLineInputDto {
    /// SKU or barcode.
    pub sku: String,
    pub qty: i64,
    /// Override of the catalogue price, minor units; `null` = catalogue price.
    pub unit_price: Option<i64>,
    /// Discount on the whole line, minor units.
    pub discount: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentInputDto {
    /// `cash`, `card`, `invoice`, `marketplace`, `gift_card`, ...
    pub method: String,
    /// Captured now (counter sale) or only authorised (ship later).
    pub captured: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewOrderDto {
    /// Channel code.
    pub channel: String,
    /// The channel's own reference; a second create with the same one returns the first order.
    pub channel_ref: Option<String>,
    /// An existing customer, or ...
    pub customer_id: Option<String>,
    /// ... a new one to create with the order (or none for an anonymous counter sale).
    pub customer: Option<CustomerInputDto>,
    pub ship_to: Option<AddressDto>,
    /// Location code of the store the customer collects from (or, with `takeAway`, the store
    /// selling at the counter); `null` = ship to `shipTo`.
    pub pickup_location: Option<String>,
    /// Counter sale: the customer leaves with the goods now, so the order completes at once and
    /// the stock leaves `pickupLocation`.
    #[serde(default)]
    pub take_away: bool,
    pub lines: Vec<OrderLineInputDto>,
    /// Minor units.
    pub shipping_charge: Option<i64>,
    /// Tax rate in basis points (825 = 8.25%), applied to discounted lines and shipping.
    pub tax_rate_bp: Option<i64>,
    pub payment: Option<PaymentInputDto>,
    pub attributes: Vec<AttributeDto>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttributeDto {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum OrderSortDto {
    Number,
    CreatedAt,
    Customer,
    Total,
    Status,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderQueryDto {
    /// Order number (`SO-10042` or `10042`), customer name, e-mail or phone, or channel reference.
    pub search: Option<String>,
    pub channel: Option<String>,
    pub status: Option<OrderStatusDto>,
    /// Inclusive, `YYYY-MM-DD`, UTC.
    pub from: Option<String>,
    /// Inclusive, `YYYY-MM-DD`, UTC.
    pub to: Option<String>,
    pub sort: OrderSortDto,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderSummaryDto {
    pub id: String,
    pub number: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub channel: String,
    pub customer_name: Option<String>,
    pub status: OrderStatusDto,
    pub item_count: i64,
    pub total: MoneyDto,
    /// Pick-up store code, when the customer collects.
    pub pickup_location: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderPageDto {
    pub rows: Vec<OrderSummaryDto>,
    /// Rows matching the filters, for the scroll bar.
    pub total: i64,
    /// `total` is not exact: the count stopped at the cap (shown as "10,000+") or is the
    /// database's estimate of a very large list.
    pub total_capped: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderLineDto {
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub qty: i64,
    pub unit_price: MoneyDto,
    pub discount: MoneyDto,
    pub tax: MoneyDto,
    pub total: MoneyDto,
    /// Units waiting for stock.
    pub backordered: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TotalsDto {
    pub subtotal: MoneyDto,
    pub discount: MoneyDto,
    pub shipping: MoneyDto,
    pub tax: MoneyDto,
    pub total: MoneyDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDto {
    pub method: String,
    pub authorized: MoneyDto,
    pub captured: MoneyDto,
    pub refunded: MoneyDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReservationDto {
    pub sku: String,
    pub location: String,
    pub qty: i64,
    /// `reserved`, `released` or `shipped`.
    pub state: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderEventDto {
    /// `created`, `reserved`, `backordered`, `status_changed`, `cancelled`, `note_added`, ...
    pub kind: String,
    /// User name, or `system` / `cli` / `api`.
    pub actor: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// A sentence for people, e.g. "Reserved 2 × SKU-1 at WH-EAST".
    pub summary: String,
    /// Machine-readable details as JSON text.
    pub details: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderDetailDto {
    pub id: String,
    pub number: String,
    pub status: OrderStatusDto,
    /// The statuses this order can move to from here (drives the action buttons).
    pub next_statuses: Vec<OrderStatusDto>,
    pub channel: String,
    pub channel_ref: Option<String>,
    pub created_at: String,
    pub customer: Option<CustomerDto>,
    pub ship_to: Option<AddressDto>,
    pub pickup_location: Option<String>,
    pub lines: Vec<OrderLineDto>,
    pub totals: TotalsDto,
    pub payments: Vec<PaymentDto>,
    pub reservations: Vec<ReservationDto>,
    pub attributes: Vec<AttributeDto>,
    pub notes: Option<String>,
    pub events: Vec<OrderEventDto>,
    /// Routing decisions, oldest first; the last one is the plan in force.
    pub routes: Vec<OrderRouteDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatusChangeDto {
    pub number: String,
    pub to: OrderStatusDto,
    /// Required for cancellation.
    pub reason: Option<String>,
}

// ---------------------------------------------------------------- inventory

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InventoryQueryDto {
    /// SKU, name or barcode.
    pub search: Option<String>,
    /// Location code.
    pub location: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StockBalanceDto {
    pub sku: String,
    pub product_name: String,
    pub location: String,
    pub location_name: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub safety_stock: i64,
    /// on hand − reserved − safety stock (never below 0).
    pub available: i64,
    /// In transit towards this location.
    pub incoming: i64,
    /// Returned units here that are not sellable (damaged, waiting to be written off or sent back).
    pub held: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InventoryPageDto {
    pub rows: Vec<StockBalanceDto>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReceiveStockDto {
    pub sku: String,
    pub location: String,
    pub qty: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AdjustStockDto {
    pub sku: String,
    pub location: String,
    /// Signed change of on-hand units.
    pub delta: i64,
    /// `count`, `damaged`, `lost`, `found`, `other`.
    pub reason: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransferStockDto {
    pub sku: String,
    pub from: String,
    pub to: String,
    pub qty: i64,
    /// True: the goods arrived already (out and in at once). False: they stay in transit until received.
    pub arrived: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransferDto {
    pub id: String,
    pub sku: String,
    pub from: String,
    pub to: String,
    pub qty: i64,
    pub created_at: String,
    pub received_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MovementDto {
    pub at: String,
    pub sku: String,
    pub location: String,
    /// `receive`, `adjust`, `transfer_out`, `transfer_in`, `reserve`, `release`, `ship`,
    /// `return_restock`, `return_held`, `dispose`, `vendor_return`.
    pub kind: String,
    pub on_hand_delta: i64,
    pub reserved_delta: i64,
    pub incoming_delta: i64,
    /// Returned units that are here but not sellable.
    pub held_delta: i64,
    pub reason: Option<String>,
    pub order_number: Option<String>,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReportDto {
    pub balances_checked: i64,
    pub movements_checked: i64,
    pub differences: Vec<BalanceDifferenceDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BalanceDifferenceDto {
    pub sku: String,
    pub location: String,
    pub field: String,
    pub stored: i64,
    pub from_ledger: i64,
}

// ---------------------------------------------------------------- settings

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    pub business_name: String,
    /// ISO 4217, e.g. `USD`.
    pub currency: String,
    pub business_address: Option<AddressDto>,
    pub business_email: Option<String>,
    pub business_phone: Option<String>,
    /// Default tax rate in basis points for new orders.
    pub default_tax_rate_bp: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseTestDto {
    pub ok: bool,
    pub kind: String,
    pub message: String,
}

// ---------------------------------------------------------------- routing

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RoutingObjectiveDto {
    /// Lowest shipping cost.
    Cost,
    /// Soonest delivery, then cost.
    Fastest,
    /// Take stock where the most is left, then cost.
    Balance,
    /// A weighted sum of cost, transit days and balance (`weights`).
    Mix,
}

/// Weights of the `mix` objective: cost × `cost` + transit days per shipment × `days` +
/// Σ (units taken ÷ units held) × `balance`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MixWeightsDto {
    pub cost: f64,
    pub days: f64,
    pub balance: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelRuleDto {
    /// Channel code (lower case, as in `ChannelDto`).
    pub channel: String,
    /// Location codes that may ship this channel's orders; empty = every location.
    pub allowed_locations: Vec<String>,
    /// Ship each order of this channel whole, from one location.
    pub no_split: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LocationRuleDto {
    /// Location code.
    pub location: String,
    /// Most shipments a day; `null` = no limit.
    pub daily_capacity: Option<i64>,
    /// Units of every SKU kept back from shipping (a store's shelf minimum).
    pub keep_units: i64,
    /// Days between the order and the parcel leaving.
    pub handling_days: i64,
}

/// The routing settings: what "best" means and the hard rules a plan keeps.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoutingSettingsDto {
    pub objective: RoutingObjectiveDto,
    pub weights: MixWeightsDto,
    /// Cost counted per unit left on backorder, minor units of the shop currency.
    pub backorder_penalty_per_unit: i64,
    /// Most shipments per order; `null` = no limit.
    pub max_shipments: Option<i64>,
    /// Kilometres a parcel travels per transit day.
    pub km_per_day: i64,
    /// Use dropship suppliers only for what own locations cannot ship.
    pub dropship_last: bool,
    pub channels: Vec<ChannelRuleDto>,
    pub locations: Vec<LocationRuleDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoutingSettingsVersionDto {
    /// 0 = the built-in defaults (nothing saved yet).
    pub version: i64,
    pub settings: RoutingSettingsDto,
    pub note: Option<String>,
    pub created_by: String,
    /// RFC 3339, UTC; `null` for the built-in defaults.
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RouteLineDto {
    pub sku: String,
    pub qty: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RouteShipmentDto {
    /// Location code.
    pub location: String,
    pub lines: Vec<RouteLineDto>,
    pub cost: MoneyDto,
    /// Estimated days from order to delivery (handling + transit); 0 at the pick-up store.
    pub days: i64,
    /// For a pick-up order short at its store: the store these units are transferred to.
    pub transfer_to: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoutePlanDto {
    pub objective: RoutingObjectiveDto,
    pub shipments: Vec<RouteShipmentDto>,
    pub backordered: Vec<RouteLineDto>,
    /// Shipments plus the backorder penalty.
    pub total_cost: MoneyDto,
    /// True when the search proved no better plan exists for the objective.
    pub optimal: bool,
    /// Sentences saying why: totals, each shipment's cost, the alternatives and what ruled them out.
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderRouteDto {
    /// `capture`, `reroute` or `backorder`.
    pub kind: String,
    pub settings_version: i64,
    pub plan: RoutePlanDto,
    pub created_by: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// Take an order's units away from one location and route them again without it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RerouteDto {
    pub number: String,
    /// The location that cannot fill its part (short pick, closed, damaged stock).
    pub location: String,
    /// Why; kept on the order's timeline.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveRoutingSettingsDto {
    pub settings: RoutingSettingsDto,
    /// A short note saying why (kept with the version).
    pub note: Option<String>,
}

/// One side of a what-if: the last orders replayed under one set of settings.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReplaySummaryDto {
    pub orders: i64,
    /// Sum of shipment costs (backorder penalties not included).
    pub shipping_cost: MoneyDto,
    pub shipments: i64,
    /// Orders with at least one shipment (delivery days are averaged over these).
    pub shipped_orders: i64,
    /// Per order the slowest shipment, averaged.
    pub average_delivery_days: f64,
    pub split_orders: i64,
    /// Share of orders sent in more than one shipment, 0 to 1.
    pub split_rate: f64,
    pub backordered_units: i64,
    pub backordered_orders: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanOutlineDto {
    pub locations: Vec<String>,
    pub shipping_cost: MoneyDto,
    /// The slowest shipment's days.
    pub days: i64,
    pub backordered_units: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangedOrderDto {
    pub number: String,
    pub current: PlanOutlineDto,
    pub proposed: PlanOutlineDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfReportDto {
    /// The settings version the current side ran under.
    pub current_version: i64,
    /// The proposed settings as the core checked them (what "apply" saves).
    pub proposed_settings: RoutingSettingsDto,
    pub orders: i64,
    pub first_order: Option<String>,
    pub last_order: Option<String>,
    pub current: ReplaySummaryDto,
    pub proposed: ReplaySummaryDto,
    /// Orders whose plan differs; `changed` lists at most 200 of them, oldest first.
    pub changed_orders: i64,
    pub changed: Vec<ChangedOrderDto>,
}

// ---------------------------------------------------------------- e-mail

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MailTlsDto {
    /// Plain text: a local relay only.
    None,
    /// Upgraded with STARTTLS (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// The e-mail settings. `password` is write-only: it is always `null` when read (`passwordSet`
/// says whether one is stored); when saving, `null` keeps the stored one, `""` removes it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MailSettingsDto {
    pub enabled: bool,
    pub host: String,
    pub port: i64,
    pub tls: MailTlsDto,
    pub username: Option<String>,
    pub password: Option<String>,
    pub password_set: bool,
    pub from_address: String,
    pub from_name: String,
    /// Signs the e-mails; empty means the business name.
    pub shop_name: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MailKindDto {
    OrderConfirmation,
    Shipped,
    ReadyForPickup,
    PurchaseOrder,
    ReturnLabel,
    Test,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MailStatusDto {
    /// Waiting for its first try or a retry (`nextAttemptAt`).
    Queued,
    Sent,
    /// Given up after the last try; Retry makes it due again.
    Failed,
}

/// One row of the e-mail outbox.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxRowDto {
    pub id: String,
    pub order_id: Option<String>,
    pub order_number: Option<String>,
    pub kind: MailKindDto,
    pub to_address: String,
    pub subject: String,
    pub status: MailStatusDto,
    pub attempts: i32,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// What "Send test e-mail" came to: `ok`, or the server's error in `message`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TestMailDto {
    pub ok: bool,
    pub message: String,
}

// ---------------------------------------------------------------- carriers and rate cards

/// The shop's carriers and services with their rate cards (docs/rates.md). Amounts are minor
/// units of `currency`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RateCardsDto {
    pub currency: String,
    pub carriers: Vec<CarrierDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CarrierDto {
    pub code: String,
    pub name: String,
    /// Tracking-number check: `ups`, `usps`, `fedex`, `upu`, `local` or `other`.
    pub tracking: String,
    pub services: Vec<ServiceDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDto {
    pub code: String,
    pub name: String,
    /// Calendar days from the ship date to delivery.
    pub transit_days: i64,
    /// Location codes it collects from; `null` = every location.
    pub from_locations: Option<Vec<String>>,
    pub zones: ZoneRuleDto,
    pub brackets: Vec<WeightBracketDto>,
    pub surcharges: SurchargesDto,
}

/// How a shipment's zone is found: by distance bands, or by the ship-to postal-code prefix.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ZoneRuleDto {
    #[serde(rename_all = "camelCase")]
    Distance { bands: Vec<DistanceBandDto> },
    #[serde(rename_all = "camelCase")]
    PostalPrefix {
        rules: Vec<PrefixRuleDto>,
        default_zone: Option<u32>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DistanceBandDto {
    pub up_to_km: i64,
    pub zone: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrefixRuleDto {
    pub prefix: String,
    pub zone: u32,
}

/// Packages up to `upToGrams` cost `prices[zone - 1]`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WeightBracketDto {
    pub up_to_grams: i64,
    pub prices: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SurchargesDto {
    pub per_package: i64,
    /// Basis points of the base (1450 = 14.5 %).
    pub fuel_bp: i64,
    /// Per package to a home (an address without a company).
    pub residential: i64,
    pub over_weight: Option<OverWeightDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OverWeightDto {
    pub over_grams: i64,
    pub amount: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RateCardsVersionDto {
    /// 0 = nothing saved yet (routing uses each location's simple rate).
    pub version: i64,
    pub cards: RateCardsDto,
    pub note: Option<String>,
    pub created_by: String,
    /// RFC 3339, UTC; `null` when nothing was saved.
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveRateCardsDto {
    pub cards: RateCardsDto,
    /// A short note saying why (kept with the version).
    pub note: Option<String>,
}

/// A shipment to quote: from a location to a postal code, shipped today.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuoteRequestDto {
    /// Ship-from location code.
    pub from: String,
    pub to_postal_code: String,
    /// ISO 3166-1 alpha-2; US ZIP codes are placed on the map for distance zones.
    pub to_country: String,
    /// The ship-to is a business (no residential surcharge).
    pub business: bool,
    pub weight_grams: i64,
    pub packages: i64,
    /// `YYYY-MM-DD`, or `null` when nothing was promised.
    pub promised_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuoteDto {
    pub carrier: String,
    pub carrier_name: String,
    pub service: String,
    pub service_name: String,
    pub zone: u32,
    pub base: MoneyDto,
    pub fuel: MoneyDto,
    pub surcharges: MoneyDto,
    pub total: MoneyDto,
    pub transit_days: i64,
    /// `YYYY-MM-DD`.
    pub delivery_date: String,
    pub meets_promise: bool,
    pub why: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RateShopDto {
    /// The cheapest service delivered by the promise, else the fastest; `null` when none can carry it.
    pub chosen: Option<QuoteDto>,
    /// Every service that can carry it, cheapest first.
    pub quotes: Vec<QuoteDto>,
    /// Services that cannot, with the reason.
    pub unavailable: Vec<String>,
    pub summary: String,
}
