//! Statements for orders, their lines, payments, reservations and timeline events.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executes, on_conn};
use crate::domain::address::Address;
use crate::domain::catalog::{name_key, phone_search_key};
use crate::domain::ids::{new_id, order_number, parse_order_number};
use crate::domain::order::{
    OrderDetail, OrderEvent, OrderLine, OrderQuery, OrderSort, OrderStatus, OrderSummary, Payment,
    Reservation, ReservationState, Totals,
};
use crate::error::{Error, Result};

/// The order placed earlier with this channel reference, if any.
pub async fn id_by_channel_ref(
    ex: &mut impl Executes,
    channel_id: Uuid,
    channel_ref: &str,
) -> Result<Option<Uuid>> {
    let row: Option<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id FROM orders WHERE channel_id = $1 AND channel_ref = $2"
    )
    .bind(channel_id)
    .bind(channel_ref)
    .fetch_optional(&mut *c)
    .await?);
    Ok(row.map(|r| r.0))
}

pub async fn id_by_number(ex: &mut impl Executes, number: &str) -> Result<Option<Uuid>> {
    let Some(seq) = parse_order_number(number) else {
        return Ok(None);
    };
    let row: Option<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id FROM orders WHERE seq = $1"
    )
    .bind(seq)
    .fetch_optional(&mut *c)
    .await?);
    Ok(row.map(|r| r.0))
}

pub async fn capture_payments(ex: &mut impl Executes, order_id: Uuid) -> Result<()> {
    on_conn!(ex, |c| sqlx::query(
        "UPDATE payments SET captured = authorized WHERE order_id = $1"
    )
    .bind(order_id)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

pub struct ReservationInsert {
    pub order_id: Uuid,
    pub line_no: i32,
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub qty: i64,
}

pub async fn insert_reservation(
    ex: &mut impl Executes,
    r: &ReservationInsert,
    at: DateTime<Utc>,
) -> Result<Uuid> {
    let id = new_id();
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO reservations (id, order_id, line_no, product_id, location_id, qty, state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'reserved', $7, $7)"
    )
    .bind(id)
    .bind(r.order_id)
    .bind(r.line_no)
    .bind(r.product_id)
    .bind(r.location_id)
    .bind(r.qty)
    .bind(at)
    .execute(&mut *c)
    .await?.rows_affected()
    });
    Ok(id)
}

/// Moves a reservation out of `reserved`; `false` if someone else did it first.
pub async fn close_reservation(
    ex: &mut impl Executes,
    id: Uuid,
    to: ReservationState,
    at: DateTime<Utc>,
) -> Result<bool> {
    let n = on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE reservations SET state = $2, updated_at = $3 WHERE id = $1 AND state = 'reserved'"
    )
    .bind(id)
    .bind(to.as_str())
    .bind(at)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(n == 1)
}

pub async fn insert_event(
    ex: &mut impl Executes,
    order_id: Uuid,
    kind: &str,
    actor: &str,
    at: DateTime<Utc>,
    summary: &str,
    details: &serde_json::Value,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO order_events (id, order_id, kind, actor, at, summary, details) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(new_id())
    .bind(order_id)
    .bind(kind)
    .bind(actor)
    .bind(at)
    .bind(summary)
    .bind(details.to_string())
    .execute(&mut *c)
    .await?.rows_affected()
    });
    Ok(())
}

/// Changes the status only if it still is `from`; `false` if another change came first.
pub async fn set_status(
    ex: &mut impl Executes,
    id: Uuid,
    from: OrderStatus,
    to: OrderStatus,
    at: DateTime<Utc>,
) -> Result<bool> {
    let n = on_conn!(ex, |c| sqlx::query(
        "UPDATE orders SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2"
    )
    .bind(id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(at)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    seq: i64,
    id: Uuid,
    channel: String,
    channel_ref: Option<String>,
    customer_id: Option<Uuid>,
    customer_name: Option<String>,
    status: String,
    currency: String,
    ship_to: Option<String>,
    pickup_code: Option<String>,
    subtotal: i64,
    discount_total: i64,
    shipping: i64,
    tax_total: i64,
    total: i64,
    tax_rate_bp: i64,
    attributes: String,
    notes: Option<String>,
    created_by: String,
    created_at: DateTime<Utc>,
    promised_by: Option<chrono::NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    line_no: i32,
    product_id: Uuid,
    sku: String,
    name: String,
    qty: i64,
    unit_price: i64,
    discount: i64,
    tax: i64,
    total: i64,
    backordered: i64,
}

#[derive(sqlx::FromRow)]
struct ReservationRow {
    id: Uuid,
    line_no: i32,
    product_id: Uuid,
    sku: String,
    location_id: Uuid,
    location: String,
    qty: i64,
    state: String,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    actor: String,
    at: DateTime<Utc>,
    summary: String,
    details: String,
}

pub(super) fn unreadable(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("stored {what} is unreadable: {e}"))
}

/// Loads one order with everything on it (customer is filled in by the caller).
pub async fn load_order(ex: &mut impl Executes, id: Uuid) -> Result<Option<OrderDetail>> {
    let row: Option<OrderRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT o.seq, o.id, ch.code AS channel, o.channel_ref, o.customer_id, o.customer_name, o.status, o.currency, \
         o.ship_to, l.code AS pickup_code, o.subtotal, o.discount_total, o.shipping, o.tax_total, o.total, \
         o.tax_rate_bp, o.attributes, o.notes, o.created_by, o.created_at, o.promised_by \
         FROM orders o JOIN channels ch ON ch.id = o.channel_id LEFT JOIN locations l ON l.id = o.pickup_location_id \
         WHERE o.id = $1"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await?
    });
    let Some(o) = row else { return Ok(None) };
    let lines: Vec<LineRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT line_no, product_id, sku, name, qty, unit_price, discount, tax, total, backordered \
         FROM order_lines WHERE order_id = $1 ORDER BY line_no"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?
    });
    let payments: Vec<(String, i64, i64, i64)> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT method, authorized, captured, refunded FROM payments WHERE order_id = $1 ORDER BY created_at, id"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?
    });
    let reservations: Vec<ReservationRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT r.id, r.line_no, r.product_id, p.sku, r.location_id, l.code AS location, r.qty, r.state \
         FROM reservations r JOIN products p ON p.id = r.product_id JOIN locations l ON l.id = r.location_id \
         WHERE r.order_id = $1 ORDER BY r.line_no, r.created_at, r.id"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?
    });
    let events: Vec<EventRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT kind, actor, at, summary, details FROM order_events WHERE order_id = $1 ORDER BY seq"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?
    });
    let ship_to: Option<Address> = o
        .ship_to
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| unreadable("ship-to address", e))?;
    let attributes: Vec<(String, String)> =
        serde_json::from_str(&o.attributes).map_err(|e| unreadable("attributes", e))?;
    let routes = super::routing::routes_of(ex, o.id).await?;
    Ok(Some(OrderDetail {
        id: o.id,
        seq: o.seq,
        number: order_number(o.seq),
        status: OrderStatus::parse(&o.status, "status").map_err(|e| unreadable("status", e))?,
        channel: o.channel,
        channel_ref: o.channel_ref,
        created_at: o.created_at,
        created_by: o.created_by,
        customer_id: o.customer_id,
        customer: None,
        customer_name: o.customer_name,
        ship_to,
        pickup_location: o.pickup_code,
        currency: o.currency,
        lines: lines
            .into_iter()
            .map(|l| OrderLine {
                line_no: l.line_no,
                product_id: l.product_id,
                sku: l.sku,
                name: l.name,
                qty: l.qty,
                unit_price: l.unit_price,
                discount: l.discount,
                tax: l.tax,
                total: l.total,
                backordered: l.backordered,
            })
            .collect(),
        totals: Totals {
            subtotal: o.subtotal,
            discount: o.discount_total,
            shipping: o.shipping,
            tax: o.tax_total,
            total: o.total,
        },
        tax_rate_bp: o.tax_rate_bp,
        payments: payments
            .into_iter()
            .map(|(method, authorized, captured, refunded)| Payment {
                method,
                authorized,
                captured,
                refunded,
            })
            .collect(),
        reservations: reservations
            .into_iter()
            .map(|r| Reservation {
                id: r.id,
                line_no: r.line_no,
                product_id: r.product_id,
                sku: r.sku,
                location_id: r.location_id,
                location: r.location,
                qty: r.qty,
                state: r.state,
            })
            .collect(),
        attributes,
        notes: o.notes,
        promised_by: o.promised_by,
        events: events
            .into_iter()
            .map(|e| OrderEvent {
                kind: e.kind,
                actor: e.actor,
                at: e.at,
                summary: e.summary,
                details: e.details,
            })
            .collect(),
        routes,
    }))
}

enum Arg {
    Text(String),
    Int(i64),
    Id(Uuid),
    Time(DateTime<Utc>),
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    seq: i64,
    id: Uuid,
    created_at: DateTime<Utc>,
    channel: String,
    customer_name: Option<String>,
    status: String,
    item_count: i64,
    total: i64,
    currency: String,
    pickup_code: Option<String>,
}

/// A page of the orders list with the number of rows matching the filters.
pub async fn list_orders(
    ex: &mut impl Executes,
    q: &OrderQuery,
    channel_id: Option<Uuid>,
) -> Result<(Vec<OrderSummary>, i64)> {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let next = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    if let Some(id) = channel_id {
        let p = next(&mut args, Arg::Id(id));
        clauses.push(format!("o.channel_id = {p}"));
    }
    if let Some(s) = q.status {
        let p = next(&mut args, Arg::Text(s.as_str().to_owned()));
        clauses.push(format!("o.status = {p}"));
    }
    if let Some(d) = q.from {
        let p = next(
            &mut args,
            Arg::Time(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()),
        );
        clauses.push(format!("o.created_at >= {p}"));
    }
    if let Some(d) = q.to {
        let end = d
            .succ_opt()
            .unwrap_or(d)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc();
        let p = next(&mut args, Arg::Time(end));
        clauses.push(format!("o.created_at < {p}"));
    }
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let mut any: Vec<String> = Vec::new();
        if let Some(seq) = parse_order_number(s) {
            let p = next(&mut args, Arg::Int(seq));
            any.push(format!("o.seq = {p}"));
        }
        let p = next(&mut args, Arg::Text(s.to_owned()));
        any.push(format!("o.channel_ref = {p}"));
        // A tracking number (as typed or scanned: spaces and dashes do not matter).
        let t = crate::domain::tracking::normalize(s);
        if t.len() >= 8 {
            let p = next(&mut args, Arg::Text(t));
            any.push(format!(
                "o.id IN (SELECT order_id FROM shipments WHERE tracking_number = {p} \
                 UNION SELECT s.order_id FROM packages pk JOIN shipments s ON s.id = pk.shipment_id \
                 WHERE pk.tracking_number = {p})"
            ));
        }
        let key = name_key(s);
        let lo = next(&mut args, Arg::Text(key.clone()));
        let hi = next(&mut args, Arg::Text(format!("{key}\u{10FFFF}")));
        let mut cust = format!(
            "SELECT id FROM customers WHERE name_key >= {lo} AND name_key < {hi} \
             UNION SELECT id FROM customers WHERE email >= {lo} AND email < {hi}"
        );
        if let Some(k) = phone_search_key(s) {
            let plo = next(&mut args, Arg::Text(k.clone()));
            let phi = next(&mut args, Arg::Text(format!("{k}\u{10FFFF}")));
            cust.push_str(&format!(
                " UNION SELECT id FROM customers WHERE phone_key >= {plo} AND phone_key < {phi}"
            ));
        }
        any.push(format!("o.customer_id IN ({cust})"));
        clauses.push(format!("({})", any.join(" OR ")));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let dir = if q.descending { "DESC" } else { "ASC" };
    let order = match q.sort {
        OrderSort::Number => format!("o.seq {dir}"),
        OrderSort::CreatedAt => format!("o.created_at {dir}, o.seq {dir}"),
        OrderSort::Customer => format!("o.customer_name {dir}, o.seq {dir}"),
        OrderSort::Total => format!("o.total {dir}, o.seq {dir}"),
        OrderSort::Status => format!("o.status {dir}, o.seq {dir}"),
    };
    let limit = q.limit.clamp(1, 1000);
    let offset = q.offset.max(0);
    let sql = format!(
        "SELECT o.seq, o.id, o.created_at, ch.code AS channel, o.customer_name, o.status, o.item_count, o.total, \
         o.currency, l.code AS pickup_code FROM orders o JOIN channels ch ON ch.id = o.channel_id \
         LEFT JOIN locations l ON l.id = o.pickup_location_id {filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM orders o {filter}");
    macro_rules! bind_all {
        ($q:expr) => {{
            let mut q = $q;
            for a in &args {
                q = match a {
                    Arg::Text(s) => q.bind(s.clone()),
                    Arg::Int(i) => q.bind(*i),
                    Arg::Id(u) => q.bind(*u),
                    Arg::Time(t) => q.bind(*t),
                };
            }
            q
        }};
    }
    let rows: Vec<SummaryRow> = on_conn!(ex, |c| bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    )))
    .fetch_all(&mut *c)
    .await?);
    let total: (i64,) = on_conn!(ex, |c| bind_all!(sqlx::query_as(sqlx::AssertSqlSafe(
        count_sql.clone()
    )))
    .fetch_one(&mut *c)
    .await?);
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(OrderSummary {
                id: r.id,
                number: order_number(r.seq),
                created_at: r.created_at,
                channel: r.channel,
                customer_name: r.customer_name,
                status: OrderStatus::parse(&r.status, "status")
                    .map_err(|e| unreadable("status", e))?,
                item_count: r.item_count,
                total: r.total,
                currency: r.currency,
                pickup_location: r.pickup_code,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((rows, total.0))
}

/// Number of orders (for the demo marker and tests).
pub async fn count(ex: &mut impl Executes) -> Result<i64> {
    let row: (i64,) = on_conn!(ex, |c| sqlx::query_as("SELECT COUNT(*) FROM orders")
        .fetch_one(&mut *c)
        .await?);
    Ok(row.0)
}

/// An order line waiting for stock.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BackorderedLine {
    pub order_id: Uuid,
    pub seq: i64,
    pub status: String,
    pub channel: String,
    pub channel_buffer: i64,
    pub pickup_location_id: Option<Uuid>,
    pub line_no: i32,
    pub backordered: i64,
}

/// Open lines of a product with units on backorder, oldest order first.
pub async fn backordered_lines(
    ex: &mut impl Executes,
    product_id: Uuid,
    limit: i64,
) -> Result<Vec<BackorderedLine>> {
    Ok(on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT o.id AS order_id, o.seq, o.status, ch.code AS channel, ch.safety_stock AS channel_buffer, \
         o.pickup_location_id, l.line_no, l.backordered \
         FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN channels ch ON ch.id = o.channel_id \
         WHERE l.product_id = $1 AND l.backordered > 0 \
         AND o.status IN ('open', 'backordered', 'in_progress') \
         ORDER BY o.seq, l.line_no LIMIT $2"
    )
    .bind(product_id)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?
    }))
}

/// Adds `delta` (negative: fewer) to a line's backordered units.
pub async fn add_backordered(
    ex: &mut impl Executes,
    order_id: Uuid,
    line_no: i32,
    delta: i64,
) -> Result<()> {
    on_conn!(ex, |c| sqlx::query(
        "UPDATE order_lines SET backordered = backordered + $3 WHERE order_id = $1 AND line_no = $2"
    )
    .bind(order_id)
    .bind(line_no)
    .bind(delta)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

/// Units of an order still on backorder.
pub async fn backordered_units(ex: &mut impl Executes, order_id: Uuid) -> Result<i64> {
    let row: (i64,) = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(backordered), 0) AS BIGINT) FROM order_lines WHERE order_id = $1"
    )
    .bind(order_id)
    .fetch_one(&mut *c)
    .await?
    });
    Ok(row.0)
}
