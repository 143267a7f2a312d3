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

/// The parameters of one statement, numbered `$1, $2, …` in the order they are added.
#[derive(Default)]
struct Binds(Vec<Arg>);

impl Binds {
    fn add(&mut self, a: Arg) -> String {
        self.0.push(a);
        format!("${}", self.0.len())
    }

    /// A list of ids (at least one) for `IN (…)`: `$a, $b, …` on PostgreSQL; on SQLite blob
    /// literals written from the UUIDs' hex digits, as sqlx's SQLite driver binds `$n` parameters
    /// in time quadratic in their number (a list of 4,500 customers took 100 ms to bind).
    fn ids(&mut self, ids: &[Uuid], pg: bool) -> String {
        ids.iter()
            .map(|id| {
                if pg {
                    self.add(Arg::Id(*id))
                } else {
                    format!("X'{}'", id.simple())
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in &$args.0 {
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

async fn fetch_count(ex: &mut impl Executes, sql: &str, b: &Binds) -> Result<i64> {
    let row: (i64,) = on_conn!(ex, |c| bind_all!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned())),
        b
    )
    .fetch_one(&mut *c)
    .await?);
    Ok(row.0)
}

async fn fetch_ids(ex: &mut impl Executes, sql: &str, b: &Binds) -> Result<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = on_conn!(ex, |c| bind_all!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned())),
        b
    )
    .fetch_all(&mut *c)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
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

/// Counts of the orders list stop here: a broader list says "10,000+" (`total_is_capped`).
pub const COUNT_CAP: i64 = 10_000;
/// A search matching at most this many customers passes their ids as a list; a broader one (a
/// letter or two) reads them in a subquery, walks the sort's index and stops at the page. SQLite
/// takes long lists cheaply; PostgreSQL's planning time grows with them (6-10 ms at 4,500).
const LIST_MAX_SQLITE: usize = 10_000;
const LIST_MAX_PG: usize = 1_000;
/// Customers with at most this many orders between them have those orders read through
/// `orders_customer` and sorted; more, and the sort's index is walked with an early stop (the two
/// cost about the same near 3,000 of 1,000,000 orders: docs/benchmarks.md, "Large shop").
const FEW_ORDERS: i64 = 3_000;

/// One page of the orders list and how many rows match (exact, or `COUNT_CAP` / the planner's
/// estimate when `total_is_capped`).
pub struct OrderList {
    pub rows: Vec<OrderSummary>,
    pub total: i64,
    pub total_is_capped: bool,
}

/// The filters other than the search box, as `AND`ed clauses over `orders o`.
fn base_clauses(b: &mut Binds, q: &OrderQuery, channel_id: Option<Uuid>) -> Vec<String> {
    let mut clauses = Vec::new();
    if let Some(id) = channel_id {
        clauses.push(format!("o.channel_id = {}", b.add(Arg::Id(id))));
    }
    if let Some(s) = q.status {
        clauses.push(format!(
            "o.status = {}",
            b.add(Arg::Text(s.as_str().to_owned()))
        ));
    }
    if let Some(d) = q.from {
        let at = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        clauses.push(format!("o.created_at >= {}", b.add(Arg::Time(at))));
    }
    if let Some(d) = q.to {
        let end = d
            .succ_opt()
            .unwrap_or(d)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc();
        clauses.push(format!("o.created_at < {}", b.add(Arg::Time(end))));
    }
    clauses
}

/// `clauses` joined under `WHERE`, or nothing.
fn where_of(clauses: &[String]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    }
}

/// The customers whose name, family name, e-mail or phone starts with the search text, as one
/// `SELECT id`;
/// `per_branch` caps each branch (each is served by its own index).
fn customers_sql(b: &mut Binds, s: &str, per_branch: Option<usize>) -> String {
    let key = name_key(s);
    let lo = b.add(Arg::Text(key.clone()));
    let hi = b.add(Arg::Text(format!("{key}\u{10FFFF}")));
    let mut ranges = vec![
        format!("name_key >= {lo} AND name_key < {hi}"),
        format!("family_key >= {lo} AND family_key < {hi}"),
        format!("email >= {lo} AND email < {hi}"),
    ];
    if let Some(k) = phone_search_key(s) {
        let plo = b.add(Arg::Text(k.clone()));
        let phi = b.add(Arg::Text(format!("{k}\u{10FFFF}")));
        ranges.push(format!("phone_key >= {plo} AND phone_key < {phi}"));
    }
    ranges
        .iter()
        .enumerate()
        .map(|(i, r)| match per_branch {
            Some(n) => {
                format!("SELECT id FROM (SELECT id FROM customers WHERE {r} LIMIT {n}) AS c{i}")
            }
            None => format!("SELECT id FROM customers WHERE {r}"),
        })
        .collect::<Vec<_>>()
        .join(" UNION ")
}

/// The orders the search text names directly: by order number, channel reference or tracking number.
async fn direct_hits(ex: &mut impl Executes, s: &str) -> Result<Vec<Uuid>> {
    let mut b = Binds::default();
    let mut any = vec![format!(
        "SELECT id FROM orders WHERE channel_ref = {}",
        b.add(Arg::Text(s.to_owned()))
    )];
    if let Some(seq) = parse_order_number(s) {
        any.push(format!(
            "SELECT id FROM orders WHERE seq = {}",
            b.add(Arg::Int(seq))
        ));
    }
    // A tracking number (as typed or scanned: spaces and dashes do not matter).
    let t = crate::domain::tracking::normalize(s);
    if t.len() >= 8 {
        let p = b.add(Arg::Text(t));
        any.push(format!(
            "SELECT order_id FROM shipments WHERE tracking_number = {p} \
             UNION SELECT s.order_id FROM packages pk JOIN shipments s ON s.id = pk.shipment_id \
             WHERE pk.tracking_number = {p}"
        ));
    }
    fetch_ids(ex, &any.join(" UNION "), &b).await
}

/// A page of the orders list with the number of rows matching the filters.
///
/// Plans (docs/benchmarks.md, "Large shop"): without a search, the sort's index. With one, the
/// orders named directly (number, channel reference, tracking number) and the matching customers
/// (name, e-mail or phone prefix) are looked up first, as lists of ids. Up to [`LIST_MAX_PG`]
/// customers, the lists go into the statement: customers with at most [`FEW_ORDERS`] orders have
/// them read through `orders_customer` and sorted, more and the sort's index is walked with the
/// lists as a filter, stopping at the page. Beyond that many customers (a letter or two), the sort's index is
/// walked with the customers in a subquery. Every plan returns the same rows in the same order;
/// the walk is fast for the sorts with an index of their own (date, number, customer name, total)
/// and reads more for the status sort (`orders_status_created` is ordered by date within a status).
///
/// Counts are exact up to [`COUNT_CAP`]; beyond it the count stops there (`total_is_capped`). Without
/// any filter the count is exact on SQLite (a count of the smallest index, 9 ms at 1,000,000 orders)
/// and on PostgreSQL the planner's row estimate when that is above the cap.
pub async fn list_orders(
    ex: &mut impl Executes,
    q: &OrderQuery,
    channel_id: Option<Uuid>,
) -> Result<OrderList> {
    list_orders_planned(ex, q, channel_id, ListPlan::default()).await
}

/// Which search plan [`list_orders_planned`] takes; the choice only changes the speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchPlan {
    /// By the number of matching customers and their orders (what the app does).
    #[default]
    Chosen,
    /// The matching customers' orders through `orders_customer`, sorted.
    Customers,
    /// The sort's index walked, stopping at the page, the customers' ids as a list.
    Walk,
    /// The sort's index walked, the customers read in a subquery (what very broad terms do).
    WalkBroad,
}

/// How [`list_orders_planned`] runs: the search plan and the count's cap (tests force both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListPlan {
    pub search: SearchPlan,
    pub count_cap: i64,
}

impl Default for ListPlan {
    fn default() -> Self {
        ListPlan {
            search: SearchPlan::Chosen,
            count_cap: COUNT_CAP,
        }
    }
}

/// [`list_orders`] with a chosen plan and cap.
pub async fn list_orders_planned(
    ex: &mut impl Executes,
    q: &OrderQuery,
    channel_id: Option<Uuid>,
    plan: ListPlan,
) -> Result<OrderList> {
    let cap = plan.count_cap.max(1);
    let pg = ex.postgres().is_some();
    let dir = if q.descending { "DESC" } else { "ASC" };
    let col = match q.sort {
        OrderSort::Number => None,
        OrderSort::CreatedAt => Some("o.created_at"),
        OrderSort::Customer => Some("o.customer_name"),
        OrderSort::Total => Some("o.total"),
        OrderSort::Status => Some("o.status"),
    };
    let by = |unindexed: bool| -> String {
        // On SQLite a unary `+` keeps an index from serving the sort (it is a no-op on the value).
        let p = if unindexed && !pg { "+" } else { "" };
        match col {
            None => format!("{p}o.seq {dir}"),
            Some(col) => format!("{p}{col} {dir}, {p}o.seq {dir}"),
        }
    };
    let limit = q.limit.clamp(1, 1000);
    let offset = q.offset.max(0);
    // The page. `by(true)` (through the customers' orders, then sorted) keeps the sort's index out:
    // on SQLite by a unary `+` in the `ORDER BY`, on PostgreSQL by reading the matching orders in a
    // subquery the sort and limit cannot enter (`OFFSET 0`).
    let page_sql = |filter: &str, through_customers: bool| -> String {
        let from = if through_customers && pg {
            format!("(SELECT * FROM orders o {filter} OFFSET 0) AS o")
        } else {
            "orders o".to_owned()
        };
        let filter = if through_customers && pg { "" } else { filter };
        let order = by(through_customers);
        format!(
            "SELECT o.seq, o.id, o.created_at, ch.code AS channel, o.customer_name, o.status, o.item_count, \
             o.total, o.currency, l.code AS pickup_code FROM {from} JOIN channels ch ON ch.id = o.channel_id \
             LEFT JOIN locations l ON l.id = o.pickup_location_id {filter} ORDER BY {order} \
             LIMIT {limit} OFFSET {offset}"
        )
    };
    let capped = |filter: &str| -> String {
        format!(
            "SELECT COUNT(*) FROM (SELECT 1 AS one FROM orders o {filter} LIMIT {}) AS capped",
            cap + 1
        )
    };
    // A page shorter than asked for ends the list: its count is exact without counting (this also
    // keeps PostgreSQL's estimate from outliving a table emptied since its last analysis).
    let ends_here = |rows: usize| -> Option<i64> {
        ((rows as i64) < limit && (rows > 0 || offset == 0)).then_some(offset + rows as i64)
    };
    let exact = |rows: Vec<SummaryRow>, total: i64| -> Result<OrderList> {
        Ok(OrderList {
            rows: summaries(rows)?,
            total,
            total_is_capped: false,
        })
    };
    let search = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty());

    let (rows, total) = match search {
        None => {
            let mut b = Binds::default();
            let clauses = base_clauses(&mut b, q, channel_id);
            let filter = where_of(&clauses);
            let rows = fetch_rows(ex, &page_sql(&filter, false), &b).await?;
            if let Some(n) = ends_here(rows.len()) {
                return exact(rows, n);
            }
            let total = if !clauses.is_empty() {
                fetch_count(ex, &capped(&filter), &b).await?
            } else if pg {
                let est = fetch_count(
                    ex,
                    "SELECT COALESCE(MAX(reltuples), 0)::bigint FROM pg_class \
                     WHERE oid = 'orders'::regclass",
                    &Binds::default(),
                )
                .await?;
                if est > cap {
                    est
                } else {
                    fetch_count(ex, &capped(""), &b).await?
                }
            } else {
                let n = fetch_count(ex, "SELECT COUNT(*) FROM orders", &b).await?;
                return exact(rows, n);
            };
            (rows, total)
        }
        Some(s) => {
            let direct = direct_hits(ex, s).await?;
            // The matching customers as a list of ids, unless there are very many of them.
            let customers = if plan.search == SearchPlan::WalkBroad {
                None
            } else {
                let mut b = Binds::default();
                let list_max = if pg { LIST_MAX_PG } else { LIST_MAX_SQLITE };
                let sql = customers_sql(&mut b, s, Some(list_max + 1));
                let ids = fetch_ids(ex, &sql, &b).await?;
                (ids.len() <= list_max).then_some(ids)
            };
            match customers {
                Some(customers) => {
                    if customers.is_empty() && direct.is_empty() {
                        return Ok(OrderList {
                            rows: Vec::new(),
                            total: 0,
                            total_is_capped: false,
                        });
                    }
                    // Chosen by how many orders the customers have (neither planner can know how
                    // far back in time a walk would have to go to find them).
                    // How many orders the customers have, up to FEW_ORDERS + 1.
                    let few_orders = match (plan.search, customers.is_empty()) {
                        (SearchPlan::Chosen, false) => {
                            let mut b = Binds::default();
                            let list = b.ids(&customers, pg);
                            let sql = format!(
                                "SELECT COUNT(*) FROM (SELECT 1 AS one FROM orders \
                                 WHERE customer_id IN ({list}) LIMIT {}) AS n",
                                FEW_ORDERS + 1
                            );
                            Some(fetch_count(ex, &sql, &b).await?)
                        }
                        _ => None,
                    };
                    let through_customers = match plan.search {
                        SearchPlan::Customers => true,
                        SearchPlan::Walk | SearchPlan::WalkBroad => false,
                        SearchPlan::Chosen => few_orders.is_none_or(|n| n <= FEW_ORDERS),
                    };
                    tracing::debug!(
                        customers = customers.len(),
                        direct = direct.len(),
                        through_customers,
                        "orders search plan"
                    );
                    // `plus`: on SQLite a unary `+` keeps the lists out of the indexes, so the
                    // sort's index is walked.
                    let matching = |b: &mut Binds, plus: &str| -> Vec<String> {
                        let mut clauses = base_clauses(b, q, channel_id);
                        let mut any = Vec::new();
                        if !direct.is_empty() {
                            any.push(format!("{plus}o.id IN ({})", b.ids(&direct, pg)));
                        }
                        if !customers.is_empty() {
                            any.push(format!(
                                "{plus}o.customer_id IN ({})",
                                b.ids(&customers, pg)
                            ));
                        }
                        clauses.push(format!("({})", any.join(" OR ")));
                        clauses
                    };
                    let plus = if pg || through_customers { "" } else { "+" };
                    let mut b = Binds::default();
                    let filter = where_of(&matching(&mut b, plus));
                    let rows = fetch_rows(ex, &page_sql(&filter, through_customers), &b).await?;
                    if let Some(n) = ends_here(rows.len()) {
                        return exact(rows, n);
                    }
                    // The count: the one just taken when nothing else narrows the list, else
                    // through the indexes, up to the cap.
                    let unfiltered = direct.is_empty()
                        && base_clauses(&mut Binds::default(), q, channel_id).is_empty();
                    let total = match few_orders {
                        Some(n) if unfiltered && n <= FEW_ORDERS => n.min(cap + 1),
                        _ => {
                            let mut b = Binds::default();
                            let filter = where_of(&matching(&mut b, ""));
                            fetch_count(ex, &capped(&filter), &b).await?
                        }
                    };
                    (rows, total)
                }
                None => {
                    tracing::debug!(direct = direct.len(), "orders search plan: broad");
                    // The page: the sort's index walked, the customer match a filter on each row,
                    // kept out of the indexes: on SQLite by a unary `+`, on PostgreSQL by the
                    // `COALESCE` (an `IN` at the top of the `WHERE` would become a join reading
                    // every matching order; inside an expression it is a hashed filter).
                    let mut b = Binds::default();
                    let mut clauses = base_clauses(&mut b, q, channel_id);
                    let cust = customers_sql(&mut b, s, None);
                    let mut any = vec![if pg {
                        format!("COALESCE(o.customer_id IN ({cust}), FALSE)")
                    } else {
                        format!("+o.customer_id IN ({cust})")
                    }];
                    if !direct.is_empty() {
                        let plus = if pg { "" } else { "+" };
                        any.push(format!("{plus}o.id IN ({})", b.ids(&direct, pg)));
                    }
                    clauses.push(format!("({})", any.join(" OR ")));
                    let rows = fetch_rows(ex, &page_sql(&where_of(&clauses), false), &b).await?;
                    if let Some(n) = ends_here(rows.len()) {
                        return exact(rows, n);
                    }
                    // The count: the customers' orders through `orders_customer`, up to the cap,
                    // plus the orders named directly that are not theirs.
                    let mut b = Binds::default();
                    let mut clauses = base_clauses(&mut b, q, channel_id);
                    let cust = customers_sql(&mut b, s, None);
                    clauses.push(if pg {
                        format!("o.customer_id = ANY(ARRAY({cust}))")
                    } else {
                        format!("o.customer_id IN ({cust})")
                    });
                    let mut total = fetch_count(ex, &capped(&where_of(&clauses)), &b).await?;
                    if !direct.is_empty() && total <= cap {
                        let mut b = Binds::default();
                        let mut clauses = base_clauses(&mut b, q, channel_id);
                        clauses.push(format!("o.id IN ({})", b.ids(&direct, pg)));
                        let cust = customers_sql(&mut b, s, None);
                        clauses.push(format!(
                            "(o.customer_id IS NULL OR o.customer_id NOT IN ({cust}))"
                        ));
                        let sql = format!("SELECT COUNT(*) FROM orders o {}", where_of(&clauses));
                        total += fetch_count(ex, &sql, &b).await?;
                    }
                    (rows, total)
                }
            }
        }
    };
    let total_is_capped = total > cap;
    Ok(OrderList {
        rows: summaries(rows)?,
        total: if total_is_capped && total == cap + 1 {
            cap
        } else {
            total
        },
        total_is_capped,
    })
}

/// The orders list as one statement per page and count (exact), whatever the search: the plan
/// before the planned search, slow at 1,000,000 orders. Kept as the reference the tests compare
/// [`list_orders_planned`] with; the app does not call it.
pub async fn list_orders_reference(
    ex: &mut impl Executes,
    q: &OrderQuery,
    channel_id: Option<Uuid>,
) -> Result<OrderList> {
    let mut b = Binds::default();
    let mut clauses = base_clauses(&mut b, q, channel_id);
    if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let mut any: Vec<String> = Vec::new();
        if let Some(seq) = parse_order_number(s) {
            any.push(format!("o.seq = {}", b.add(Arg::Int(seq))));
        }
        any.push(format!(
            "o.channel_ref = {}",
            b.add(Arg::Text(s.to_owned()))
        ));
        let t = crate::domain::tracking::normalize(s);
        if t.len() >= 8 {
            let p = b.add(Arg::Text(t));
            any.push(format!(
                "o.id IN (SELECT order_id FROM shipments WHERE tracking_number = {p} \
                 UNION SELECT s.order_id FROM packages pk JOIN shipments s ON s.id = pk.shipment_id \
                 WHERE pk.tracking_number = {p})"
            ));
        }
        let cust = customers_sql(&mut b, s, None);
        any.push(format!("o.customer_id IN ({cust})"));
        clauses.push(format!("({})", any.join(" OR ")));
    }
    let filter = where_of(&clauses);
    let dir = if q.descending { "DESC" } else { "ASC" };
    let order = match q.sort {
        OrderSort::Number => format!("o.seq {dir}"),
        OrderSort::CreatedAt => format!("o.created_at {dir}, o.seq {dir}"),
        OrderSort::Customer => format!("o.customer_name {dir}, o.seq {dir}"),
        OrderSort::Total => format!("o.total {dir}, o.seq {dir}"),
        OrderSort::Status => format!("o.status {dir}, o.seq {dir}"),
    };
    let sql = format!(
        "SELECT o.seq, o.id, o.created_at, ch.code AS channel, o.customer_name, o.status, o.item_count, o.total, \
         o.currency, l.code AS pickup_code FROM orders o JOIN channels ch ON ch.id = o.channel_id \
         LEFT JOIN locations l ON l.id = o.pickup_location_id {filter} ORDER BY {order} LIMIT {} OFFSET {}",
        q.limit.clamp(1, 1000),
        q.offset.max(0)
    );
    let rows = fetch_rows(ex, &sql, &b).await?;
    let total = fetch_count(ex, &format!("SELECT COUNT(*) FROM orders o {filter}"), &b).await?;
    Ok(OrderList {
        rows: summaries(rows)?,
        total,
        total_is_capped: false,
    })
}

async fn fetch_rows(ex: &mut impl Executes, sql: &str, b: &Binds) -> Result<Vec<SummaryRow>> {
    Ok(on_conn!(ex, |c| bind_all!(
        sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned())),
        b
    )
    .fetch_all(&mut *c)
    .await?))
}

pub(super) fn summaries(rows: Vec<SummaryRow>) -> Result<Vec<OrderSummary>> {
    rows.into_iter()
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
        .collect()
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
