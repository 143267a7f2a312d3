//! Conversions between core types and transport types: the only place that knows both.

use orderly::Error;
use orderly::app::mail::{MailSettings, MailTls, TestMailOutcome};
use orderly::app::what_if::{PlanOutline, ReplaySummary, WhatIfReport};
use orderly::app::{AppInfo, Page, Settings};
use orderly::domain::address::Address;
use orderly::domain::catalog::{
    Channel, Customer, CustomerDraft, Location, LocationDraft, LocationKind, Product, ProductDraft,
    ShippingRate,
};
use orderly::domain::mail::{MailKind, MailStatus, OutboxRow};
use orderly::domain::order::{
    Attribute, LineRequest, OrderDetail, OrderQuery, OrderRequest, OrderSort, OrderStatus,
    OrderSummary, PaymentRequest,
};
use orderly::domain::rates::{
    Carrier, DistanceBand, OverWeight, PrefixRule, Quote, RateCards, RateCardsVersion, RateShop,
    Service, Surcharges, WeightBracket, ZoneRule,
};
use orderly::domain::routing_rules::{
    ChannelRule, LocationRule, MixWeights, OrderRoute, RouteLine, RoutePlan, RoutingObjective,
    RoutingSettings, RoutingSettingsVersion,
};
use orderly::domain::stock::{Balance, Movement, Transfer, VerifyReport};

use crate::dto::*;

pub fn error(e: Error) -> AppErrorDto {
    use orderly::ErrorCode as C;
    if !e.is_user_error() {
        tracing::error!(error = %e, "command failed");
    }
    AppErrorDto {
        code: match e.code() {
            C::Invalid => ErrorCodeDto::Invalid,
            C::NotFound => ErrorCodeDto::NotFound,
            C::Conflict => ErrorCodeDto::Conflict,
            C::OutOfStock => ErrorCodeDto::OutOfStock,
            C::InvalidTransition => ErrorCodeDto::InvalidTransition,
            C::Database => ErrorCodeDto::Database,
            C::Internal => ErrorCodeDto::Internal,
        },
        message: e.user_message(),
        field: e.field().map(str::to_owned),
    }
}

pub fn money(amount: i64, currency: &str) -> MoneyDto {
    MoneyDto {
        amount,
        currency: currency.to_owned(),
    }
}

pub fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn app_info(i: AppInfo, demo_loading: bool) -> AppInfoDto {
    AppInfoDto {
        version: i.version.to_owned(),
        database_kind: i.database_kind.to_owned(),
        database_url: i.database_url,
        business_name: i.business_name,
        currency: i.currency,
        demo_loaded: i.demo_loaded,
        demo_loading,
    }
}

pub fn address(a: Address) -> AddressDto {
    AddressDto {
        name: a.name,
        company: a.company,
        line1: a.line1,
        line2: a.line2,
        city: a.city,
        region: a.region,
        postal_code: a.postal_code,
        country: a.country,
        phone: a.phone,
    }
}

pub fn address_in(a: AddressDto) -> Address {
    Address {
        name: a.name,
        company: a.company,
        line1: a.line1,
        line2: a.line2,
        city: a.city,
        region: a.region,
        postal_code: a.postal_code,
        country: a.country,
        phone: a.phone,
    }
}

pub fn product(p: Product) -> ProductDto {
    ProductDto {
        id: p.id.to_string(),
        price: money(p.price, &p.currency),
        sku: p.sku,
        name: p.name,
        barcode: p.barcode,
        weight_grams: p.weight_grams,
        length_mm: p.length_mm,
        width_mm: p.width_mm,
        height_mm: p.height_mm,
        active: p.active,
        allow_backorder: p.allow_backorder,
        final_sale: p.final_sale,
        available: p.available,
    }
}

pub fn product_in(p: ProductInputDto) -> ProductDraft {
    ProductDraft {
        sku: p.sku,
        name: p.name,
        barcode: p.barcode,
        price: p.price,
        weight_grams: p.weight_grams,
        length_mm: p.length_mm,
        width_mm: p.width_mm,
        height_mm: p.height_mm,
        active: p.active,
        allow_backorder: p.allow_backorder,
        final_sale: p.final_sale,
    }
}

pub fn product_page(p: Page<Product>) -> ProductPageDto {
    ProductPageDto {
        rows: p.rows.into_iter().map(product).collect(),
        total: p.total,
    }
}

pub fn kind(k: LocationKind) -> LocationKindDto {
    match k {
        LocationKind::Warehouse => LocationKindDto::Warehouse,
        LocationKind::Store => LocationKindDto::Store,
        LocationKind::Dropship => LocationKindDto::Dropship,
    }
}

pub fn location(l: Location) -> LocationDto {
    LocationDto {
        id: l.id.to_string(),
        code: l.code,
        name: l.name,
        kind: kind(l.kind),
        address: address(l.address),
        latitude: l.latitude,
        longitude: l.longitude,
        can_ship: l.can_ship,
        can_pickup: l.can_pickup,
        priority: l.priority,
        rate: ShippingRateDto {
            base: l.rate.base,
            per_kg: l.rate.per_kg,
            per_1000_km: l.rate.per_1000_km,
        },
        active: l.active,
    }
}

pub fn location_in(l: LocationInputDto) -> LocationDraft {
    LocationDraft {
        code: l.code,
        name: l.name,
        kind: match l.kind {
            LocationKindDto::Warehouse => LocationKind::Warehouse,
            LocationKindDto::Store => LocationKind::Store,
            LocationKindDto::Dropship => LocationKind::Dropship,
        },
        address: address_in(l.address),
        latitude: l.latitude,
        longitude: l.longitude,
        can_ship: l.can_ship,
        can_pickup: l.can_pickup,
        priority: l.priority,
        rate: ShippingRate {
            base: l.rate.base,
            per_kg: l.rate.per_kg,
            per_1000_km: l.rate.per_1000_km,
        },
    }
}

pub fn channel(c: Channel) -> ChannelDto {
    ChannelDto {
        id: c.id.to_string(),
        code: c.code.to_ascii_lowercase(),
        name: c.name,
        safety_stock: c.safety_stock,
    }
}

pub fn customer(c: Customer) -> CustomerDto {
    CustomerDto {
        id: c.id.to_string(),
        name: c.name,
        email: c.email,
        phone: c.phone,
        addresses: c.addresses.into_iter().map(address).collect(),
        order_count: c.order_count,
    }
}

pub fn customer_in(c: CustomerInputDto) -> CustomerDraft {
    CustomerDraft {
        name: c.name,
        email: c.email,
        phone: c.phone,
        address: c.address.map(address_in),
    }
}

pub fn status(s: OrderStatus) -> OrderStatusDto {
    match s {
        OrderStatus::Open => OrderStatusDto::Open,
        OrderStatus::Backordered => OrderStatusDto::Backordered,
        OrderStatus::InProgress => OrderStatusDto::InProgress,
        OrderStatus::PartiallyShipped => OrderStatusDto::PartiallyShipped,
        OrderStatus::Shipped => OrderStatusDto::Shipped,
        OrderStatus::Delivered => OrderStatusDto::Delivered,
        OrderStatus::Completed => OrderStatusDto::Completed,
        OrderStatus::Cancelled => OrderStatusDto::Cancelled,
        OrderStatus::PartiallyReturned => OrderStatusDto::PartiallyReturned,
        OrderStatus::Returned => OrderStatusDto::Returned,
    }
}

pub fn status_in(s: OrderStatusDto) -> OrderStatus {
    match s {
        OrderStatusDto::Open => OrderStatus::Open,
        OrderStatusDto::Backordered => OrderStatus::Backordered,
        OrderStatusDto::InProgress => OrderStatus::InProgress,
        OrderStatusDto::PartiallyShipped => OrderStatus::PartiallyShipped,
        OrderStatusDto::Shipped => OrderStatus::Shipped,
        OrderStatusDto::Delivered => OrderStatus::Delivered,
        OrderStatusDto::Completed => OrderStatus::Completed,
        OrderStatusDto::Cancelled => OrderStatus::Cancelled,
        OrderStatusDto::PartiallyReturned => OrderStatus::PartiallyReturned,
        OrderStatusDto::Returned => OrderStatus::Returned,
    }
}

pub fn new_order(o: NewOrderDto) -> OrderRequest {
    OrderRequest {
        channel: o.channel,
        channel_ref: o.channel_ref,
        customer_id: o.customer_id,
        customer: o.customer.map(customer_in),
        ship_to: o.ship_to.map(address_in),
        pickup_location: o.pickup_location,
        take_away: o.take_away,
        // The counter and order screens do not offer "ship whole" yet.
        no_split: false,
        promised_by: None,
        lines: o
            .lines
            .into_iter()
            .map(|l| LineRequest {
                sku: l.sku,
                qty: l.qty,
                unit_price: l.unit_price,
                discount: l.discount,
            })
            .collect(),
        shipping_charge: o.shipping_charge,
        tax_rate_bp: o.tax_rate_bp,
        payment: o.payment.map(|p| PaymentRequest {
            method: p.method,
            captured: p.captured,
        }),
        attributes: o
            .attributes
            .into_iter()
            .map(|a| Attribute {
                key: a.key,
                value: a.value,
            })
            .collect(),
        notes: o.notes,
    }
}

fn date(text: Option<String>, field: &str) -> Result<Option<chrono::NaiveDate>, Error> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| Error::invalid(field, format!("'{t}' is not a date: use YYYY-MM-DD"))),
    }
}

pub fn order_query(q: OrderQueryDto) -> Result<OrderQuery, Error> {
    Ok(OrderQuery {
        search: q.search,
        channel: q.channel,
        status: q.status.map(status_in),
        from: date(q.from, "from")?,
        to: date(q.to, "to")?,
        sort: match q.sort {
            OrderSortDto::Number => OrderSort::Number,
            OrderSortDto::CreatedAt => OrderSort::CreatedAt,
            OrderSortDto::Customer => OrderSort::Customer,
            OrderSortDto::Total => OrderSort::Total,
            OrderSortDto::Status => OrderSort::Status,
        },
        descending: q.descending,
        offset: q.offset,
        limit: q.limit,
    })
}

pub fn order_summary(o: OrderSummary) -> OrderSummaryDto {
    OrderSummaryDto {
        id: o.id.to_string(),
        number: o.number,
        created_at: time(o.created_at),
        channel: o.channel.to_ascii_lowercase(),
        customer_name: o.customer_name,
        status: status(o.status),
        item_count: o.item_count,
        total: money(o.total, &o.currency),
        pickup_location: o.pickup_location,
    }
}

pub fn order_page(p: Page<OrderSummary>) -> OrderPageDto {
    OrderPageDto {
        rows: p.rows.into_iter().map(order_summary).collect(),
        total: p.total,
        total_capped: p.total_is_capped,
    }
}

pub fn order_detail(o: OrderDetail) -> OrderDetailDto {
    let cur = o.currency.clone();
    OrderDetailDto {
        id: o.id.to_string(),
        number: o.number,
        status: status(o.status),
        next_statuses: o.status.next().iter().map(|s| status(*s)).collect(),
        channel: o.channel.to_ascii_lowercase(),
        channel_ref: o.channel_ref,
        created_at: time(o.created_at),
        customer: o.customer.map(customer),
        ship_to: o.ship_to.map(address),
        pickup_location: o.pickup_location,
        lines: o
            .lines
            .into_iter()
            .map(|l| OrderLineDto {
                line_no: l.line_no,
                sku: l.sku,
                name: l.name,
                qty: l.qty,
                unit_price: money(l.unit_price, &cur),
                discount: money(l.discount, &cur),
                tax: money(l.tax, &cur),
                total: money(l.total, &cur),
                backordered: l.backordered,
            })
            .collect(),
        totals: TotalsDto {
            subtotal: money(o.totals.subtotal, &cur),
            discount: money(o.totals.discount, &cur),
            shipping: money(o.totals.shipping, &cur),
            tax: money(o.totals.tax, &cur),
            total: money(o.totals.total, &cur),
        },
        payments: o
            .payments
            .into_iter()
            .map(|p| PaymentDto {
                method: p.method,
                authorized: money(p.authorized, &cur),
                captured: money(p.captured, &cur),
                refunded: money(p.refunded, &cur),
            })
            .collect(),
        reservations: o
            .reservations
            .into_iter()
            .map(|r| ReservationDto {
                sku: r.sku,
                location: r.location,
                qty: r.qty,
                state: r.state,
            })
            .collect(),
        attributes: o
            .attributes
            .into_iter()
            .map(|(key, value)| AttributeDto { key, value })
            .collect(),
        notes: o.notes,
        events: o
            .events
            .into_iter()
            .map(|e| OrderEventDto {
                kind: e.kind,
                actor: e.actor,
                at: time(e.at),
                summary: e.summary,
                details: e.details,
            })
            .collect(),
        routes: o.routes.into_iter().map(|r| order_route(r, &cur)).collect(),
    }
}

pub fn balance(b: Balance) -> StockBalanceDto {
    StockBalanceDto {
        available: b.available(),
        sku: b.sku,
        product_name: b.product_name,
        location: b.location,
        location_name: b.location_name,
        on_hand: b.on_hand,
        reserved: b.reserved,
        safety_stock: b.safety_stock,
        incoming: b.incoming,
        held: b.held,
    }
}

pub fn balance_page(p: Page<Balance>) -> InventoryPageDto {
    InventoryPageDto {
        rows: p.rows.into_iter().map(balance).collect(),
        total: p.total,
    }
}

pub fn transfer(t: Transfer) -> TransferDto {
    TransferDto {
        id: t.id.to_string(),
        sku: t.sku,
        from: t.from,
        to: t.to,
        qty: t.qty,
        created_at: time(t.created_at),
        received_at: t.received_at.map(time),
    }
}

pub fn movement(m: Movement) -> MovementDto {
    MovementDto {
        at: time(m.at),
        sku: m.sku,
        location: m.location,
        kind: m.kind,
        on_hand_delta: m.on_hand_delta,
        reserved_delta: m.reserved_delta,
        incoming_delta: m.incoming_delta,
        held_delta: m.held_delta,
        reason: m.reason,
        order_number: m.order_number,
        actor: m.actor,
    }
}

pub fn verify_report(r: VerifyReport) -> VerifyReportDto {
    VerifyReportDto {
        balances_checked: r.balances_checked,
        movements_checked: r.movements_checked,
        differences: r
            .differences
            .into_iter()
            .map(|d| BalanceDifferenceDto {
                sku: d.sku,
                location: d.location,
                field: d.field.to_owned(),
                stored: d.stored,
                from_ledger: d.from_ledger,
            })
            .collect(),
    }
}

pub fn settings(s: Settings) -> SettingsDto {
    SettingsDto {
        business_name: s.business_name,
        currency: s.currency,
        business_address: s.business_address.map(address),
        business_email: s.business_email,
        business_phone: s.business_phone,
        default_tax_rate_bp: s.default_tax_rate_bp,
    }
}

pub fn settings_in(s: SettingsDto) -> Settings {
    Settings {
        business_name: s.business_name,
        currency: s.currency,
        business_address: s.business_address.map(address_in),
        business_email: s.business_email,
        business_phone: s.business_phone,
        default_tax_rate_bp: s.default_tax_rate_bp,
    }
}

fn objective(o: RoutingObjective) -> RoutingObjectiveDto {
    match o {
        RoutingObjective::Cost => RoutingObjectiveDto::Cost,
        RoutingObjective::Fastest => RoutingObjectiveDto::Fastest,
        RoutingObjective::Balance => RoutingObjectiveDto::Balance,
        RoutingObjective::Mix => RoutingObjectiveDto::Mix,
    }
}

fn objective_in(o: RoutingObjectiveDto) -> RoutingObjective {
    match o {
        RoutingObjectiveDto::Cost => RoutingObjective::Cost,
        RoutingObjectiveDto::Fastest => RoutingObjective::Fastest,
        RoutingObjectiveDto::Balance => RoutingObjective::Balance,
        RoutingObjectiveDto::Mix => RoutingObjective::Mix,
    }
}

/// Channel codes travel in lower case, as in `ChannelDto`; the core upper-cases them again.
pub fn routing_settings(s: RoutingSettings) -> RoutingSettingsDto {
    RoutingSettingsDto {
        objective: objective(s.objective),
        weights: MixWeightsDto {
            cost: s.weights.cost,
            days: s.weights.days,
            balance: s.weights.balance,
        },
        backorder_penalty_per_unit: s.backorder_penalty_per_unit,
        max_shipments: s.max_shipments,
        km_per_day: s.km_per_day,
        dropship_last: s.dropship_last,
        channels: s
            .channels
            .into_iter()
            .map(|c| ChannelRuleDto {
                channel: c.channel.to_ascii_lowercase(),
                allowed_locations: c.allowed_locations,
                no_split: c.no_split,
            })
            .collect(),
        locations: s
            .locations
            .into_iter()
            .map(|l| LocationRuleDto {
                location: l.location,
                daily_capacity: l.daily_capacity,
                keep_units: l.keep_units,
                handling_days: l.handling_days,
            })
            .collect(),
    }
}

pub fn routing_settings_in(s: RoutingSettingsDto) -> RoutingSettings {
    RoutingSettings {
        objective: objective_in(s.objective),
        weights: MixWeights {
            cost: s.weights.cost,
            days: s.weights.days,
            balance: s.weights.balance,
        },
        backorder_penalty_per_unit: s.backorder_penalty_per_unit,
        max_shipments: s.max_shipments,
        km_per_day: s.km_per_day,
        dropship_last: s.dropship_last,
        channels: s
            .channels
            .into_iter()
            .map(|c| ChannelRule {
                channel: c.channel,
                allowed_locations: c.allowed_locations,
                no_split: c.no_split,
            })
            .collect(),
        locations: s
            .locations
            .into_iter()
            .map(|l| LocationRule {
                location: l.location,
                daily_capacity: l.daily_capacity,
                keep_units: l.keep_units,
                handling_days: l.handling_days,
            })
            .collect(),
    }
}

pub fn routing_version(v: RoutingSettingsVersion) -> RoutingSettingsVersionDto {
    RoutingSettingsVersionDto {
        version: v.version,
        settings: routing_settings(v.settings),
        note: v.note,
        created_by: v.created_by,
        created_at: v.created_at.map(time),
    }
}

fn route_lines(lines: Vec<RouteLine>) -> Vec<RouteLineDto> {
    lines
        .into_iter()
        .map(|l| RouteLineDto {
            sku: l.sku,
            qty: l.qty,
        })
        .collect()
}

fn route_plan(p: RoutePlan, cur: &str) -> RoutePlanDto {
    RoutePlanDto {
        objective: objective(p.objective),
        shipments: p
            .shipments
            .into_iter()
            .map(|s| RouteShipmentDto {
                location: s.location,
                lines: route_lines(s.lines),
                cost: money(s.cost, cur),
                days: s.days,
                transfer_to: s.transfer_to,
            })
            .collect(),
        backordered: route_lines(p.backordered),
        total_cost: money(p.total_cost, cur),
        optimal: p.optimal,
        explanation: p.explanation,
    }
}

fn order_route(r: OrderRoute, cur: &str) -> OrderRouteDto {
    OrderRouteDto {
        kind: r.kind,
        settings_version: r.settings_version,
        plan: route_plan(r.plan, cur),
        created_by: r.created_by,
        created_at: time(r.created_at),
    }
}

fn replay_summary(s: ReplaySummary, cur: &str) -> ReplaySummaryDto {
    ReplaySummaryDto {
        orders: s.orders,
        shipping_cost: money(s.shipping_cost, cur),
        shipments: s.shipments,
        shipped_orders: s.shipped_orders,
        average_delivery_days: s.average_delivery_days,
        split_orders: s.split_orders,
        split_rate: s.split_rate,
        backordered_units: s.backordered_units,
        backordered_orders: s.backordered_orders,
    }
}

fn plan_outline(o: PlanOutline, cur: &str) -> PlanOutlineDto {
    PlanOutlineDto {
        locations: o.locations,
        shipping_cost: money(o.shipping_cost, cur),
        days: o.days,
        backordered_units: o.backordered_units,
    }
}

pub fn what_if(r: WhatIfReport) -> WhatIfReportDto {
    let cur = r.currency;
    WhatIfReportDto {
        current_version: r.current_version,
        proposed_settings: routing_settings(r.proposed_settings),
        orders: r.orders,
        first_order: r.first_order,
        last_order: r.last_order,
        current: replay_summary(r.current, &cur),
        proposed: replay_summary(r.proposed, &cur),
        changed_orders: r.changed_orders,
        changed: r
            .changed
            .into_iter()
            .map(|c| ChangedOrderDto {
                number: c.number,
                current: plan_outline(c.current, &cur),
                proposed: plan_outline(c.proposed, &cur),
            })
            .collect(),
    }
}

// ---------------------------------------------------------------- e-mail

fn mail_tls(t: MailTls) -> MailTlsDto {
    match t {
        MailTls::None => MailTlsDto::None,
        MailTls::Starttls => MailTlsDto::Starttls,
        MailTls::Tls => MailTlsDto::Tls,
    }
}

fn mail_tls_in(t: MailTlsDto) -> MailTls {
    match t {
        MailTlsDto::None => MailTls::None,
        MailTlsDto::Starttls => MailTls::Starttls,
        MailTlsDto::Tls => MailTls::Tls,
    }
}

pub fn mail_settings(s: MailSettings) -> MailSettingsDto {
    MailSettingsDto {
        enabled: s.enabled,
        host: s.host,
        port: s.port,
        tls: mail_tls(s.tls),
        username: s.username,
        password: None,
        password_set: s.password_set,
        from_address: s.from_address,
        from_name: s.from_name,
        shop_name: s.shop_name,
    }
}

pub fn mail_settings_in(s: MailSettingsDto) -> MailSettings {
    MailSettings {
        enabled: s.enabled,
        host: s.host,
        port: s.port,
        tls: mail_tls_in(s.tls),
        username: s.username,
        password: s.password,
        password_set: s.password_set,
        from_address: s.from_address,
        from_name: s.from_name,
        shop_name: s.shop_name,
    }
}

pub fn mail_status_in(s: MailStatusDto) -> MailStatus {
    match s {
        MailStatusDto::Queued => MailStatus::Queued,
        MailStatusDto::Sent => MailStatus::Sent,
        MailStatusDto::Failed => MailStatus::Failed,
    }
}

pub fn outbox_row(r: OutboxRow) -> OutboxRowDto {
    OutboxRowDto {
        id: r.id.to_string(),
        order_id: r.order_id.map(|id| id.to_string()),
        order_number: r.order_number,
        kind: match r.kind {
            MailKind::OrderConfirmation => MailKindDto::OrderConfirmation,
            MailKind::Shipped => MailKindDto::Shipped,
            MailKind::ReadyForPickup => MailKindDto::ReadyForPickup,
            MailKind::PurchaseOrder => MailKindDto::PurchaseOrder,
            MailKind::ReturnLabel => MailKindDto::ReturnLabel,
            MailKind::Test => MailKindDto::Test,
        },
        to_address: r.to_address,
        subject: r.subject,
        status: match r.status {
            MailStatus::Queued => MailStatusDto::Queued,
            MailStatus::Sent => MailStatusDto::Sent,
            MailStatus::Failed => MailStatusDto::Failed,
        },
        attempts: r.attempts,
        next_attempt_at: time(r.next_attempt_at),
        last_error: r.last_error,
        created_at: time(r.created_at),
        sent_at: r.sent_at.map(time),
    }
}

pub fn test_mail(o: TestMailOutcome) -> TestMailDto {
    TestMailDto {
        ok: o.ok,
        message: o.message,
    }
}

// ---------------------------------------------------------------- carriers and rate cards

pub fn rate_cards(c: RateCards) -> RateCardsDto {
    RateCardsDto {
        currency: c.currency,
        carriers: c
            .carriers
            .into_iter()
            .map(|k| CarrierDto {
                code: k.code,
                name: k.name,
                tracking: k.tracking,
                services: k.services.into_iter().map(service).collect(),
            })
            .collect(),
    }
}

fn service(s: Service) -> ServiceDto {
    ServiceDto {
        code: s.code,
        name: s.name,
        transit_days: s.transit_days,
        from_locations: s.from_locations,
        zones: match s.zones {
            ZoneRule::Distance { bands } => ZoneRuleDto::Distance {
                bands: bands
                    .into_iter()
                    .map(|b| DistanceBandDto {
                        up_to_km: b.up_to_km,
                        zone: b.zone,
                    })
                    .collect(),
            },
            ZoneRule::PostalPrefix {
                rules,
                default_zone,
            } => ZoneRuleDto::PostalPrefix {
                rules: rules
                    .into_iter()
                    .map(|r| PrefixRuleDto {
                        prefix: r.prefix,
                        zone: r.zone,
                    })
                    .collect(),
                default_zone,
            },
        },
        brackets: s
            .brackets
            .into_iter()
            .map(|b| WeightBracketDto {
                up_to_grams: b.up_to_grams,
                prices: b.prices,
            })
            .collect(),
        surcharges: SurchargesDto {
            per_package: s.surcharges.per_package,
            fuel_bp: s.surcharges.fuel_bp,
            residential: s.surcharges.residential,
            over_weight: s.surcharges.over_weight.map(|o| OverWeightDto {
                over_grams: o.over_grams,
                amount: o.amount,
            }),
        },
    }
}

pub fn rate_cards_in(c: RateCardsDto) -> RateCards {
    RateCards {
        currency: c.currency,
        carriers: c
            .carriers
            .into_iter()
            .map(|k| Carrier {
                code: k.code,
                name: k.name,
                tracking: k.tracking,
                services: k.services.into_iter().map(service_in).collect(),
            })
            .collect(),
    }
}

fn service_in(s: ServiceDto) -> Service {
    Service {
        code: s.code,
        name: s.name,
        transit_days: s.transit_days,
        from_locations: s.from_locations,
        zones: match s.zones {
            ZoneRuleDto::Distance { bands } => ZoneRule::Distance {
                bands: bands
                    .into_iter()
                    .map(|b| DistanceBand {
                        up_to_km: b.up_to_km,
                        zone: b.zone,
                    })
                    .collect(),
            },
            ZoneRuleDto::PostalPrefix {
                rules,
                default_zone,
            } => ZoneRule::PostalPrefix {
                rules: rules
                    .into_iter()
                    .map(|r| PrefixRule {
                        prefix: r.prefix,
                        zone: r.zone,
                    })
                    .collect(),
                default_zone,
            },
        },
        brackets: s
            .brackets
            .into_iter()
            .map(|b| WeightBracket {
                up_to_grams: b.up_to_grams,
                prices: b.prices,
            })
            .collect(),
        surcharges: Surcharges {
            per_package: s.surcharges.per_package,
            fuel_bp: s.surcharges.fuel_bp,
            residential: s.surcharges.residential,
            over_weight: s.surcharges.over_weight.map(|o| OverWeight {
                over_grams: o.over_grams,
                amount: o.amount,
            }),
        },
    }
}

pub fn rate_cards_version(v: RateCardsVersion) -> RateCardsVersionDto {
    RateCardsVersionDto {
        version: v.version,
        cards: rate_cards(v.cards),
        note: v.note,
        created_by: v.created_by,
        created_at: v.created_at.map(time),
    }
}

/// The location code, ship-to address, grams, packages and promised date of a quote request.
pub fn quote_request(
    r: QuoteRequestDto,
) -> Result<(String, Address, i64, i64, Option<chrono::NaiveDate>), Error> {
    let promised_by = match r.promised_by.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(d.parse::<chrono::NaiveDate>().map_err(|_| {
            Error::invalid(
                "promisedBy",
                format!("\"{d}\" is not a date: write it as YYYY-MM-DD"),
            )
        })?),
    };
    let to = Address {
        name: "Quote".into(),
        company: r.business.then(|| "Business".to_owned()),
        postal_code: r.to_postal_code.trim().to_owned(),
        country: r.to_country.trim().to_ascii_uppercase(),
        ..Default::default()
    };
    Ok((r.from, to, r.weight_grams, r.packages, promised_by))
}

fn quote(q: Quote, cur: &str) -> QuoteDto {
    QuoteDto {
        carrier: q.carrier,
        carrier_name: q.carrier_name,
        service: q.service,
        service_name: q.service_name,
        zone: q.price.zone,
        base: money(q.price.base, cur),
        fuel: money(q.price.fuel, cur),
        surcharges: money(q.price.surcharges, cur),
        total: money(q.price.total, cur),
        transit_days: q.transit_days,
        delivery_date: q.delivery_date.to_string(),
        meets_promise: q.meets_promise,
        why: q.why,
    }
}

pub fn rate_shop(r: RateShop) -> RateShopDto {
    let cur = r.currency;
    RateShopDto {
        chosen: r.chosen.map(|q| quote(q, &cur)),
        quotes: r.quotes.into_iter().map(|q| quote(q, &cur)).collect(),
        unavailable: r.unavailable,
        summary: r.summary,
    }
}
