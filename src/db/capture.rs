//! The write side of capturing an order: read the stock of the order's products, let the caller
//! route and build every row from it, take the stock under guard and write the rows — all in one
//! transaction, so the plan is made on exactly the stock it takes.
//!
//! The statements are the same on both databases; how they are sent differs because the engines
//! are fast at different things:
//! - SQLite: on the group-commit writer thread (`sqlite_writer`), one prepared statement per row,
//!   inside the job's savepoint (statements cost microseconds there; the fsync is shared by the
//!   batch);
//! - PostgreSQL: every row of the order in one multi-table `INSERT … SELECT FROM unnest(…)`
//!   statement and every balance change in one guarded `UPDATE … FROM unnest(…)` sent last, so an
//!   order costs five round trips and the balance rows stay locked only for the last two. The
//!   stock read takes no lock: when the guard finds a balance changed meanwhile, the whole
//!   transaction is run again, re-routing on fresh stock.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

use super::Db;
use crate::app::routing::StockRow;
use crate::domain::catalog::{CustomerDraft, name_key, phone_key};
use crate::domain::order::{OrderLine, OrderStatus, ReservationState, Totals};
use crate::domain::stock::MovementKind;
use crate::error::{Error, Result};

/// The order row.
#[derive(Debug, Clone)]
pub struct OrderRow {
    pub id: Uuid,
    pub channel_id: Uuid,
    pub channel_ref: Option<String>,
    pub customer_id: Option<Uuid>,
    pub customer_name: Option<String>,
    pub status: OrderStatus,
    pub currency: String,
    /// JSON text of the ship-to address.
    pub ship_to: Option<String>,
    pub pickup_location_id: Option<Uuid>,
    pub totals: Totals,
    pub item_count: i64,
    pub tax_rate_bp: i64,
    /// JSON text of the attributes.
    pub attributes: String,
    pub notes: Option<String>,
    pub promised_by: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct ReservationRow {
    pub id: Uuid,
    pub line_no: i32,
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub qty: i64,
    pub state: ReservationState,
}

#[derive(Debug, Clone)]
pub struct MovementRow {
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub kind: MovementKind,
    pub qty: i64,
}

#[derive(Debug, Clone)]
pub struct PaymentRow {
    pub id: Uuid,
    pub method: String,
    pub authorized: i64,
    pub captured: i64,
}

#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: Uuid,
    pub kind: String,
    pub summary: String,
    /// JSON text.
    pub details: String,
}

#[derive(Debug, Clone)]
pub struct RouteRow {
    pub id: Uuid,
    pub settings_version: i64,
    pub objective: String,
    pub total_cost: i64,
    /// JSON text of the plan.
    pub plan: String,
}

/// Everything one capture writes.
#[derive(Debug, Clone)]
pub struct CaptureRows {
    pub customer: Option<(Uuid, CustomerDraft)>,
    pub order: OrderRow,
    pub lines: Vec<OrderLine>,
    pub reservations: Vec<ReservationRow>,
    /// Ledger rows in order: `reserve` (and `ship` for a counter sale handed over at once).
    pub movements: Vec<MovementRow>,
    pub payments: Vec<PaymentRow>,
    pub events: Vec<EventRow>,
    pub route: Option<RouteRow>,
    /// The channel's buffer: units per SKU and location the channel may not take.
    pub channel_buffer: i64,
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// Builds the rows of a capture from the stock it will take.
pub trait CapturePlan: Send + Sync + 'static {
    /// Products whose balances the plan needs.
    fn products(&self) -> &[Uuid];
    /// Locations with a daily capacity, whose shipments since [`CapturePlan::day_start`] are
    /// counted.
    fn capacity_locations(&self) -> &[Uuid];
    fn day_start(&self) -> DateTime<Utc>;
    fn rows(&self, stock: &[StockRow], shipped_today: &HashMap<Uuid, i64>) -> Result<CaptureRows>;
}

/// The committed capture: the order's sequence number and what was written.
pub struct Captured {
    pub seq: i64,
    pub rows: CaptureRows,
}

/// One balance change: units taken (must be sellable under the guard) and the resulting change
/// of on hand and reserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Take {
    product_id: Uuid,
    location_id: Uuid,
    need: i64,
    on_hand: i64,
    reserved: i64,
}

/// Sums the ledger rows per balance in (product, location) order, the order PostgreSQL locks
/// rows in (so two captures cannot deadlock on each other).
fn takes(movements: &[MovementRow]) -> Result<Vec<Take>> {
    let mut by: BTreeMap<(Uuid, Uuid), Take> = BTreeMap::new();
    for m in movements {
        let t = by.entry((m.product_id, m.location_id)).or_insert(Take {
            product_id: m.product_id,
            location_id: m.location_id,
            need: 0,
            on_hand: 0,
            reserved: 0,
        });
        match m.kind {
            MovementKind::Reserve => {
                t.need += m.qty;
                t.reserved += m.qty;
            }
            MovementKind::Ship => {
                t.on_hand -= m.qty;
                t.reserved -= m.qty;
            }
            other => {
                return Err(Error::Internal(format!(
                    "a capture does not write {} movements",
                    other.as_str()
                )));
            }
        }
    }
    Ok(by.into_values().collect())
}

fn delta(m: &MovementRow) -> (i64, i64) {
    match m.kind {
        MovementKind::Ship => (-m.qty, -m.qty),
        _ => (0, m.qty),
    }
}

const TAKE_SQL: &str = "UPDATE stock_balances SET on_hand = on_hand + $3, reserved = reserved + $4 \
     WHERE product_id = $1 AND location_id = $2 AND on_hand - reserved - safety_stock - $5 >= $6";

fn refused(t: &Take) -> Error {
    Error::StockChanged(format!(
        "the stock of product {} at location {} changed while the order was being routed",
        t.product_id, t.location_id
    ))
}

/// Captures an order: on SQLite through the group-commit writer, on PostgreSQL in a transaction
/// of its own (run again on conflicts and when the stock changed under the plan).
pub async fn capture(db: &Db, plan: Arc<dyn CapturePlan>) -> Result<Captured> {
    match db.sqlite_batch() {
        Some(batch) => {
            batch
                .submit(move |conn| sqlite::capture(conn, plan.as_ref()))
                .await
        }
        None => postgres::capture(db, plan.as_ref()).await,
    }
}

/// Writes prepared rows with no reads, routing or validation, through the same statements and
/// commit path as [`capture`]: the ceiling `orderly bench` compares capture with.
pub async fn write_rows(db: &Db, rows: Arc<CaptureRows>) -> Result<i64> {
    match db.sqlite_batch() {
        Some(batch) => batch.submit(move |conn| sqlite::write(conn, &rows)).await,
        None => {
            let mut c = db.read().await?;
            let pg = crate::db::Executes::postgres(&mut c)
                .ok_or_else(|| Error::Internal("not a PostgreSQL connection".into()))?;
            postgres::write_all(pg, &rows).await
        }
    }
}

fn text_time(t: DateTime<Utc>) -> String {
    // The text sqlx writes for a `DateTime<Utc>` on SQLite, so both writers store the same form.
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

mod sqlite {
    use super::*;
    use rusqlite::{Connection, params};

    fn id(u: &Uuid) -> &[u8] {
        u.as_bytes()
    }

    fn opt_id(u: &Option<Uuid>) -> Option<&[u8]> {
        u.as_ref().map(|u| &u.as_bytes()[..])
    }

    pub(super) fn capture(c: &Connection, plan: &dyn CapturePlan) -> Result<Captured> {
        let mut stock = Vec::new();
        {
            let mut st = c.prepare_cached(
                "SELECT location_id, on_hand, reserved, safety_stock FROM stock_balances WHERE product_id = ?1",
            )?;
            for p in plan.products() {
                let rows = st.query_map([id(p)], |r| {
                    let loc: Vec<u8> = r.get(0)?;
                    Ok((
                        loc,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                    ))
                })?;
                for row in rows {
                    let (loc, on_hand, reserved, safety_stock) = row?;
                    let location_id = Uuid::from_slice(&loc).map_err(|e| {
                        Error::Internal(format!("a stored location id is bad: {e}"))
                    })?;
                    stock.push(StockRow {
                        product_id: *p,
                        location_id,
                        on_hand,
                        reserved,
                        safety_stock,
                    });
                }
            }
        }
        let mut shipped = HashMap::new();
        if !plan.capacity_locations().is_empty() {
            let since = text_time(plan.day_start());
            let mut st = c.prepare_cached(
                "SELECT COUNT(DISTINCT order_id) FROM reservations WHERE location_id = ?1 AND created_at >= ?2",
            )?;
            for l in plan.capacity_locations() {
                let n: i64 = st.query_row(params![id(l), since], |r| r.get(0))?;
                shipped.insert(*l, n);
            }
        }
        let rows = plan.rows(&stock, &shipped)?;
        let seq = write(c, &rows)?;
        Ok(Captured { seq, rows })
    }

    pub(super) fn write(c: &Connection, r: &CaptureRows) -> Result<i64> {
        let at = text_time(r.at);
        let o = &r.order;
        let oid = id(&o.id);
        if let Some((cid, d)) = &r.customer {
            let addresses: Vec<_> = d.address.iter().collect();
            let addresses =
                serde_json::to_string(&addresses).map_err(|e| Error::Internal(e.to_string()))?;
            c.prepare_cached(
                "INSERT INTO customers (id, name, name_key, email, phone, phone_key, addresses, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id(cid),
                d.name,
                name_key(&d.name),
                d.email,
                d.phone,
                d.phone.as_deref().map(phone_key),
                addresses,
                at
            ])?;
        }
        let seq: i64 = c
            .prepare_cached(
                "INSERT INTO orders (id, channel_id, channel_ref, customer_id, customer_name, status, currency, \
                 ship_to, pickup_location_id, subtotal, discount_total, shipping, tax_total, total, item_count, \
                 tax_rate_bp, attributes, notes, created_by, created_at, updated_at, promised_by) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20, ?21) \
                 RETURNING seq",
            )?
            .query_row(
                params![
                    oid,
                    id(&o.channel_id),
                    o.channel_ref,
                    opt_id(&o.customer_id),
                    o.customer_name,
                    o.status.as_str(),
                    o.currency,
                    o.ship_to,
                    opt_id(&o.pickup_location_id),
                    o.totals.subtotal,
                    o.totals.discount,
                    o.totals.shipping,
                    o.totals.tax,
                    o.totals.total,
                    o.item_count,
                    o.tax_rate_bp,
                    o.attributes,
                    o.notes,
                    r.actor,
                    at,
                    o.promised_by.map(|d| d.format("%Y-%m-%d").to_string())
                ],
                |row| row.get(0),
            )?;
        {
            let mut st = c.prepare_cached(
                "INSERT INTO order_lines (order_id, line_no, product_id, sku, name, qty, unit_price, discount, tax, \
                 total, backordered) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for l in &r.lines {
                st.execute(params![
                    oid,
                    l.line_no,
                    id(&l.product_id),
                    l.sku,
                    l.name,
                    l.qty,
                    l.unit_price,
                    l.discount,
                    l.tax,
                    l.total,
                    l.backordered
                ])?;
            }
        }
        {
            let sql = TAKE_SQL.replace('$', "?");
            let mut st = c.prepare_cached(&sql)?;
            for t in takes(&r.movements)? {
                let n = st.execute(params![
                    id(&t.product_id),
                    id(&t.location_id),
                    t.on_hand,
                    t.reserved,
                    r.channel_buffer,
                    t.need
                ])?;
                if n != 1 {
                    return Err(refused(&t));
                }
            }
        }
        {
            let mut st = c.prepare_cached(
                "INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, \
                 incoming_delta, reason, order_id, transfer_id, actor, at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, NULL, ?6, NULL, ?7, ?8)",
            )?;
            for m in &r.movements {
                let (oh, rs) = delta(m);
                st.execute(params![
                    id(&m.product_id),
                    id(&m.location_id),
                    m.kind.as_str(),
                    oh,
                    rs,
                    oid,
                    r.actor,
                    at
                ])?;
            }
        }
        {
            let mut st = c.prepare_cached(
                "INSERT INTO reservations (id, order_id, line_no, product_id, location_id, qty, state, created_at, \
                 updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?;
            for v in &r.reservations {
                st.execute(params![
                    id(&v.id),
                    oid,
                    v.line_no,
                    id(&v.product_id),
                    id(&v.location_id),
                    v.qty,
                    v.state.as_str(),
                    at
                ])?;
            }
        }
        for p in &r.payments {
            c.prepare_cached(
                "INSERT INTO payments (id, order_id, method, authorized, captured, refunded, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
            )?
            .execute(params![id(&p.id), oid, p.method, p.authorized, p.captured, at])?;
        }
        {
            let mut st = c.prepare_cached(
                "INSERT INTO order_events (id, order_id, kind, actor, at, summary, details) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for e in &r.events {
                st.execute(params![
                    id(&e.id),
                    oid,
                    e.kind,
                    r.actor,
                    at,
                    e.summary,
                    e.details
                ])?;
            }
        }
        if let Some(rt) = &r.route {
            c.prepare_cached(
                "INSERT INTO order_routes (id, order_id, kind, settings_version, objective, total_cost, plan, \
                 created_by, created_at) VALUES (?1, ?2, 'capture', ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id(&rt.id),
                oid,
                rt.settings_version,
                rt.objective,
                rt.total_cost,
                rt.plan,
                r.actor,
                at
            ])?;
        }
        Ok(seq)
    }
}

mod postgres {
    use super::*;
    use sqlx::PgConnection;

    /// SQLSTATE raised by `orderly_check` when the stock update did not take every balance.
    const STOCK_CHANGED: &str = "OR001";

    /// Reads the stock (no transaction, no lock), lets the plan route on it, then writes every
    /// row and takes the stock in one statement that commits on its own: the balance rows are
    /// locked only while that statement runs and its commit is flushed, not across round trips.
    /// When another order took the units meanwhile the statement fails whole and the capture
    /// runs again on fresh stock.
    pub(super) async fn capture(db: &Db, plan: &dyn CapturePlan) -> Result<Captured> {
        let mut attempt = 0u32;
        loop {
            let mut conn = db.read().await?;
            let c = crate::db::Executes::postgres(&mut conn)
                .ok_or_else(|| Error::Internal("not a PostgreSQL connection".into()))?;
            let outcome: Result<Captured> = async {
                let stock = read_stock(c, plan.products()).await?;
                let shipped = shipped_today(c, plan).await?;
                let rows = plan.rows(&stock, &shipped)?;
                let seq = write_all(c, &rows).await?;
                Ok(Captured { seq, rows })
            }
            .await;
            match outcome {
                Err(e) if e.is_retryable() && attempt < 16 => {
                    attempt += 1;
                    tracing::debug!(attempt, error = %e, "capture runs again on fresh stock");
                    if attempt > 2 {
                        tokio::time::sleep(std::time::Duration::from_millis(
                            1u64 << attempt.min(6),
                        ))
                        .await;
                    }
                }
                other => return other,
            }
        }
    }

    async fn read_stock(c: &mut PgConnection, products: &[Uuid]) -> Result<Vec<StockRow>> {
        let rows: Vec<(Uuid, Uuid, i64, i64, i64)> = sqlx::query_as(
            "SELECT product_id, location_id, on_hand, reserved, safety_stock FROM stock_balances \
             WHERE product_id = ANY($1)",
        )
        .bind(products)
        .fetch_all(&mut *c)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(product_id, location_id, on_hand, reserved, safety_stock)| StockRow {
                    product_id,
                    location_id,
                    on_hand,
                    reserved,
                    safety_stock,
                },
            )
            .collect())
    }

    async fn shipped_today(
        c: &mut PgConnection,
        plan: &dyn CapturePlan,
    ) -> Result<HashMap<Uuid, i64>> {
        if plan.capacity_locations().is_empty() {
            return Ok(HashMap::new());
        }
        let counts: Vec<(Uuid, i64)> = sqlx::query_as(
            "SELECT location_id, COUNT(DISTINCT order_id) FROM reservations \
             WHERE location_id = ANY($1) AND created_at >= $2 GROUP BY location_id",
        )
        .bind(plan.capacity_locations())
        .bind(plan.day_start())
        .fetch_all(&mut *c)
        .await?;
        Ok(counts.into_iter().collect())
    }

    /// Every row of the order and every balance change in one statement (see [`capture`]).
    pub(super) async fn write_all(c: &mut PgConnection, r: &CaptureRows) -> Result<i64> {
        let takes = takes(&r.movements)?;
        let k_p: Vec<Uuid> = takes.iter().map(|t| t.product_id).collect();
        let k_l: Vec<Uuid> = takes.iter().map(|t| t.location_id).collect();
        let k_oh: Vec<i64> = takes.iter().map(|t| t.on_hand).collect();
        let k_rs: Vec<i64> = takes.iter().map(|t| t.reserved).collect();
        let k_need: Vec<i64> = takes.iter().map(|t| t.need).collect();
        let cust: Vec<&(Uuid, CustomerDraft)> = r.customer.iter().collect();
        let c_id: Vec<Uuid> = cust.iter().map(|(id, _)| *id).collect();
        let c_name: Vec<&str> = cust.iter().map(|(_, d)| d.name.as_str()).collect();
        let c_key: Vec<String> = cust.iter().map(|(_, d)| name_key(&d.name)).collect();
        let c_email: Vec<Option<&str>> = cust.iter().map(|(_, d)| d.email.as_deref()).collect();
        let c_phone: Vec<Option<&str>> = cust.iter().map(|(_, d)| d.phone.as_deref()).collect();
        let c_pkey: Vec<Option<String>> = cust
            .iter()
            .map(|(_, d)| d.phone.as_deref().map(phone_key))
            .collect();
        let c_addr: Vec<String> = cust
            .iter()
            .map(|(_, d)| {
                let a: Vec<_> = d.address.iter().collect();
                serde_json::to_string(&a).map_err(|e| Error::Internal(e.to_string()))
            })
            .collect::<Result<_>>()?;
        let o = &r.order;
        let lines = &r.lines;
        let l_no: Vec<i32> = lines.iter().map(|l| l.line_no).collect();
        let l_pid: Vec<Uuid> = lines.iter().map(|l| l.product_id).collect();
        let l_sku: Vec<&str> = lines.iter().map(|l| l.sku.as_str()).collect();
        let l_name: Vec<&str> = lines.iter().map(|l| l.name.as_str()).collect();
        let l_qty: Vec<i64> = lines.iter().map(|l| l.qty).collect();
        let l_price: Vec<i64> = lines.iter().map(|l| l.unit_price).collect();
        let l_disc: Vec<i64> = lines.iter().map(|l| l.discount).collect();
        let l_tax: Vec<i64> = lines.iter().map(|l| l.tax).collect();
        let l_total: Vec<i64> = lines.iter().map(|l| l.total).collect();
        let l_back: Vec<i64> = lines.iter().map(|l| l.backordered).collect();
        let res = &r.reservations;
        let r_id: Vec<Uuid> = res.iter().map(|v| v.id).collect();
        let r_line: Vec<i32> = res.iter().map(|v| v.line_no).collect();
        let r_pid: Vec<Uuid> = res.iter().map(|v| v.product_id).collect();
        let r_loc: Vec<Uuid> = res.iter().map(|v| v.location_id).collect();
        let r_qty: Vec<i64> = res.iter().map(|v| v.qty).collect();
        let r_state: Vec<&str> = res.iter().map(|v| v.state.as_str()).collect();
        let mv = &r.movements;
        let m_pid: Vec<Uuid> = mv.iter().map(|m| m.product_id).collect();
        let m_loc: Vec<Uuid> = mv.iter().map(|m| m.location_id).collect();
        let m_kind: Vec<&str> = mv.iter().map(|m| m.kind.as_str()).collect();
        let m_oh: Vec<i64> = mv.iter().map(|m| delta(m).0).collect();
        let m_rs: Vec<i64> = mv.iter().map(|m| delta(m).1).collect();
        let pay: Vec<&PaymentRow> = r.payments.iter().collect();
        let p_id: Vec<Uuid> = pay.iter().map(|p| p.id).collect();
        let p_method: Vec<&str> = pay.iter().map(|p| p.method.as_str()).collect();
        let p_auth: Vec<i64> = pay.iter().map(|p| p.authorized).collect();
        let p_capt: Vec<i64> = pay.iter().map(|p| p.captured).collect();
        let ev = &r.events;
        let e_id: Vec<Uuid> = ev.iter().map(|e| e.id).collect();
        let e_kind: Vec<&str> = ev.iter().map(|e| e.kind.as_str()).collect();
        let e_sum: Vec<&str> = ev.iter().map(|e| e.summary.as_str()).collect();
        let e_det: Vec<&str> = ev.iter().map(|e| e.details.as_str()).collect();
        let rt: Vec<&RouteRow> = r.route.iter().collect();
        let t_id: Vec<Uuid> = rt.iter().map(|t| t.id).collect();
        let t_ver: Vec<i64> = rt.iter().map(|t| t.settings_version).collect();
        let t_obj: Vec<&str> = rt.iter().map(|t| t.objective.as_str()).collect();
        let t_cost: Vec<i64> = rt.iter().map(|t| t.total_cost).collect();
        let t_plan: Vec<&str> = rt.iter().map(|t| t.plan.as_str()).collect();
        let row: (i64,) = sqlx::query_as(
            "WITH cu AS ( \
               INSERT INTO customers (id, name, name_key, email, phone, phone_key, addresses, created_at) \
               SELECT u.*, $20 FROM unnest($55::uuid[], $56::text[], $57::text[], $58::text[], $59::text[], \
               $60::text[], $61::text[]) AS u), \
             o AS ( \
               INSERT INTO orders (id, channel_id, channel_ref, customer_id, customer_name, status, currency, \
               ship_to, pickup_location_id, subtotal, discount_total, shipping, tax_total, total, item_count, \
               tax_rate_bp, attributes, notes, created_by, created_at, updated_at, promised_by) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, $69) \
               RETURNING seq), \
             l AS ( \
               INSERT INTO order_lines (order_id, line_no, product_id, sku, name, qty, unit_price, discount, tax, \
               total, backordered) \
               SELECT $1, u.* FROM unnest($21::int4[], $22::uuid[], $23::text[], $24::text[], $25::int8[], \
               $26::int8[], $27::int8[], $28::int8[], $29::int8[], $30::int8[]) AS u), \
             r AS ( \
               INSERT INTO reservations (id, order_id, line_no, product_id, location_id, qty, state, created_at, \
               updated_at) \
               SELECT u.id, $1, u.n, u.p, u.l, u.q, u.s, $20, $20 \
               FROM unnest($31::uuid[], $32::int4[], $33::uuid[], $34::uuid[], $35::int8[], $36::text[]) \
               AS u(id, n, p, l, q, s)), \
             m AS ( \
               INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, \
               incoming_delta, reason, order_id, transfer_id, actor, at) \
               SELECT u.p, u.l, u.k, u.oh, u.rs, 0, NULL, $1, NULL, $19, $20 \
               FROM unnest($37::uuid[], $38::uuid[], $39::text[], $40::int8[], $41::int8[]) \
               WITH ORDINALITY AS u(p, l, k, oh, rs, i) ORDER BY u.i), \
             pay AS ( \
               INSERT INTO payments (id, order_id, method, authorized, captured, refunded, created_at) \
               SELECT u.id, $1, u.m, u.a, u.c, 0, $20 \
               FROM unnest($42::uuid[], $43::text[], $44::int8[], $45::int8[]) AS u(id, m, a, c)), \
             ev AS ( \
               INSERT INTO order_events (id, order_id, kind, actor, at, summary, details) \
               SELECT u.id, $1, u.k, $19, $20, u.s, u.d \
               FROM unnest($46::uuid[], $47::text[], $48::text[], $49::text[]) \
               WITH ORDINALITY AS u(id, k, s, d, i) ORDER BY u.i), \
             rt AS ( \
               INSERT INTO order_routes (id, order_id, kind, settings_version, objective, total_cost, plan, \
               created_by, created_at) \
               SELECT u.id, $1, 'capture', u.v, u.o, u.c, u.p, $19, $20 \
               FROM unnest($50::uuid[], $51::int8[], $52::text[], $53::int8[], $54::text[]) AS u(id, v, o, c, p)), \
             k AS ( \
               UPDATE stock_balances b SET on_hand = b.on_hand + u.oh, reserved = b.reserved + u.rs \
               FROM unnest($62::uuid[], $63::uuid[], $64::int8[], $65::int8[], $66::int8[]) AS u(p, l, oh, rs, need) \
               WHERE b.product_id = u.p AND b.location_id = u.l \
               AND b.on_hand - b.reserved - b.safety_stock - $67 >= u.need \
               RETURNING 1) \
             SELECT o.seq FROM o \
             WHERE orderly_check((SELECT COUNT(*) FROM k) = $68, 'the stock changed while the order was being routed')"
        )
        .bind(o.id)
        .bind(o.channel_id)
        .bind(&o.channel_ref)
        .bind(o.customer_id)
        .bind(&o.customer_name)
        .bind(o.status.as_str())
        .bind(&o.currency)
        .bind(&o.ship_to)
        .bind(o.pickup_location_id)
        .bind(o.totals.subtotal)
        .bind(o.totals.discount)
        .bind(o.totals.shipping)
        .bind(o.totals.tax)
        .bind(o.totals.total)
        .bind(o.item_count)
        .bind(o.tax_rate_bp)
        .bind(&o.attributes)
        .bind(&o.notes)
        .bind(&r.actor)
        .bind(r.at)
        .bind(&l_no)
        .bind(&l_pid)
        .bind(&l_sku)
        .bind(&l_name)
        .bind(&l_qty)
        .bind(&l_price)
        .bind(&l_disc)
        .bind(&l_tax)
        .bind(&l_total)
        .bind(&l_back)
        .bind(&r_id)
        .bind(&r_line)
        .bind(&r_pid)
        .bind(&r_loc)
        .bind(&r_qty)
        .bind(&r_state)
        .bind(&m_pid)
        .bind(&m_loc)
        .bind(&m_kind)
        .bind(&m_oh)
        .bind(&m_rs)
        .bind(&p_id)
        .bind(&p_method)
        .bind(&p_auth)
        .bind(&p_capt)
        .bind(&e_id)
        .bind(&e_kind)
        .bind(&e_sum)
        .bind(&e_det)
        .bind(&t_id)
        .bind(&t_ver)
        .bind(&t_obj)
        .bind(&t_cost)
        .bind(&t_plan)
        .bind(&c_id)
        .bind(&c_name)
        .bind(&c_key)
        .bind(&c_email)
        .bind(&c_phone)
        .bind(&c_pkey)
        .bind(&c_addr)
        .bind(&k_p)
        .bind(&k_l)
        .bind(&k_oh)
        .bind(&k_rs)
        .bind(&k_need)
        .bind(r.channel_buffer)
        .bind(takes.len() as i64)
        .bind(o.promised_by)
        .fetch_one(&mut *c)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.code().as_deref() == Some(STOCK_CHANGED) => {
                Error::StockChanged(d.message().to_owned())
            }
            _ => Error::Database(e),
        })?;
        Ok(row.0)
    }
}
