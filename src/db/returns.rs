//! Statements for returns: the return and its lines, inspections (receipts), refunds with the
//! payments they came back from (the conditional payment update that never refunds above what was
//! captured), store credit, and what the returns desk lists.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::orders::unreadable;
use super::{Executes, on_conn};
use crate::domain::ids::{new_id, order_number};
use crate::domain::returns::{
    Disposition, DispositionCount, HeldStock, Refund, RefundTo, Return, ReturnCondition,
    ReturnLabelInfo, ReturnLine, ReturnMethod, ReturnReason, ReturnStatus,
};
use crate::error::Result;

/// A new return's header.
#[derive(Debug, Clone)]
pub struct ReturnInsert<'a> {
    pub id: Uuid,
    pub number: &'a str,
    pub order_id: Uuid,
    pub seq: i64,
    pub method: ReturnMethod,
    pub location_id: Uuid,
    pub policy_notes: &'a [String],
    pub override_reason: Option<&'a str>,
    pub note: Option<&'a str>,
    pub actor: &'a str,
    pub at: DateTime<Utc>,
}

/// The next return number's sequence for an order (1, 2, …).
pub async fn next_seq(ex: &mut impl Executes, order_id: Uuid) -> Result<i64> {
    let (n,): (i64,) = on_conn!(ex, |c| sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(seq), 0) + 1 AS BIGINT) FROM returns WHERE order_id = $1"
    )
    .bind(order_id)
    .fetch_one(&mut *c)
    .await?);
    Ok(n)
}

pub async fn insert_return(ex: &mut impl Executes, r: &ReturnInsert<'_>) -> Result<()> {
    let notes = serde_json::to_string(r.policy_notes).map_err(|e| unreadable("notes", e))?;
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO returns (id, number, order_id, seq, status, method, location_id, policy_notes, \
         override_reason, note, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'authorized', $5, $6, $7, $8, $9, $10, $11, $11)"
    )
    .bind(r.id)
    .bind(r.number)
    .bind(r.order_id)
    .bind(r.seq)
    .bind(r.method.as_str())
    .bind(r.location_id)
    .bind(&notes)
    .bind(r.override_reason)
    .bind(r.note)
    .bind(r.actor)
    .bind(r.at)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_line(
    ex: &mut impl Executes,
    return_id: Uuid,
    line_no: i32,
    product_id: Uuid,
    qty: i64,
    reason: ReturnReason,
    condition: ReturnCondition,
    note: Option<&str>,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO return_lines (return_id, line_no, product_id, qty, received, reason, condition, note) \
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7)"
    )
    .bind(return_id)
    .bind(line_no)
    .bind(product_id)
    .bind(qty)
    .bind(reason.as_str())
    .bind(condition.as_str())
    .bind(note)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

pub async fn id_by_number(ex: &mut impl Executes, number: &str) -> Result<Option<Uuid>> {
    let row: Option<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id FROM returns WHERE number = $1"
    )
    .bind(number.trim().to_ascii_uppercase())
    .fetch_optional(&mut *c)
    .await?);
    Ok(row.map(|r| r.0))
}

/// Locks the return row for the rest of the transaction (PostgreSQL `FOR UPDATE`; SQLite
/// transactions that write are serialised already) and says its status.
pub async fn lock(ex: &mut impl Executes, id: Uuid) -> Result<Option<ReturnStatus>> {
    let pg = Executes::postgres(&mut *ex).is_some();
    let sql = if pg {
        "SELECT status FROM returns WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT status FROM returns WHERE id = $1"
    };
    let row: Option<(String,)> = on_conn!(ex, |c| sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?);
    row.map(|(s,)| ReturnStatus::parse(&s, "status").map_err(|e| unreadable("return status", e)))
        .transpose()
}

#[derive(sqlx::FromRow)]
struct HeaderRow {
    id: Uuid,
    number: String,
    seq: i64,
    order_id: Uuid,
    order_seq: i64,
    status: String,
    method: String,
    location_id: Uuid,
    location: String,
    location_name: String,
    created_at: DateTime<Utc>,
    created_by: String,
    customer_name: Option<String>,
    customer_id: Option<Uuid>,
    carrier: Option<String>,
    service: Option<String>,
    tracking_number: Option<String>,
    label_cost: Option<i64>,
    label_weight_grams: Option<i64>,
    policy_notes: String,
    override_reason: Option<String>,
    note: Option<String>,
    exchange_order_id: Option<Uuid>,
    exchange_seq: Option<i64>,
    currency: String,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    line_no: i32,
    product_id: Uuid,
    sku: String,
    name: String,
    qty: i64,
    received: i64,
    reason: String,
    condition: String,
    note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ReceiptRow {
    line_no: i32,
    disposition: String,
    qty: i64,
    location: String,
    at: DateTime<Utc>,
    actor: String,
}

#[derive(sqlx::FromRow)]
struct RefundRow {
    id: Uuid,
    ret: Option<String>,
    order_seq: i64,
    amount: i64,
    currency: String,
    to_kind: String,
    shipping: i64,
    reason: Option<String>,
    at: DateTime<Utc>,
    actor: String,
}

fn refund_from(r: RefundRow) -> Result<Refund> {
    Ok(Refund {
        id: r.id,
        ret: r.ret,
        order: order_number(r.order_seq),
        amount: r.amount,
        currency: r.currency,
        to: RefundTo::parse(&r.to_kind, "to").map_err(|e| unreadable("refund", e))?,
        shipping: r.shipping,
        reason: r.reason,
        at: r.at,
        actor: r.actor,
    })
}

const REFUND_SELECT: &str = "SELECT f.id, rt.number AS ret, o.seq AS order_seq, f.amount, f.currency, \
     f.to_kind, f.shipping, f.reason, f.at, f.actor \
     FROM refunds f JOIN orders o ON o.id = f.order_id LEFT JOIN returns rt ON rt.id = f.return_id";

/// Loads one return with its lines, inspections and refunds.
pub async fn load(ex: &mut impl Executes, id: Uuid) -> Result<Option<Return>> {
    let h: Option<HeaderRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT r.id, r.number, r.seq, r.order_id, o.seq AS order_seq, r.status, r.method, r.location_id, \
         l.code AS location, l.name AS location_name, r.created_at, r.created_by, o.customer_name, o.customer_id, \
         r.carrier, r.service, r.tracking_number, r.label_cost, r.label_weight_grams, r.policy_notes, r.override_reason, r.note, \
         r.exchange_order_id, x.seq AS exchange_seq, o.currency \
         FROM returns r JOIN orders o ON o.id = r.order_id JOIN locations l ON l.id = r.location_id \
         LEFT JOIN orders x ON x.id = r.exchange_order_id WHERE r.id = $1"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await?
    });
    let Some(h) = h else { return Ok(None) };
    let lines: Vec<LineRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT rl.line_no, rl.product_id, ol.sku, ol.name, rl.qty, rl.received, rl.reason, rl.condition, rl.note \
         FROM return_lines rl JOIN returns r ON r.id = rl.return_id \
         JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_no = rl.line_no \
         WHERE rl.return_id = $1 ORDER BY rl.line_no"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?
    });
    let receipts: Vec<ReceiptRow> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT rr.line_no, rr.disposition, rr.qty, l.code AS location, rr.at, rr.actor \
         FROM return_receipts rr JOIN locations l ON l.id = rr.location_id \
         WHERE rr.return_id = $1 ORDER BY rr.at, rr.id"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?);
    let sql = format!("{REFUND_SELECT} WHERE f.return_id = $1 ORDER BY f.at, f.id");
    let refunds: Vec<RefundRow> =
        on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_all(&mut *c)
            .await?);
    let bad = |e: crate::error::Error| unreadable("return", e);
    let mut out_lines = Vec::with_capacity(lines.len());
    for l in lines {
        let mut dispositions = Vec::new();
        for r in receipts.iter().filter(|r| r.line_no == l.line_no) {
            dispositions.push(DispositionCount {
                disposition: Disposition::parse(&r.disposition, "disposition").map_err(bad)?,
                qty: r.qty,
                location: r.location.clone(),
                at: r.at,
                actor: r.actor.clone(),
            });
        }
        out_lines.push(ReturnLine {
            line_no: l.line_no,
            product_id: l.product_id,
            sku: l.sku,
            name: l.name,
            qty: l.qty,
            received: l.received,
            reason: ReturnReason::parse(&l.reason, "reason").map_err(bad)?,
            condition: ReturnCondition::parse(&l.condition, "condition").map_err(bad)?,
            note: l.note,
            dispositions,
        });
    }
    let label = match (h.carrier, h.tracking_number) {
        (Some(carrier), Some(tracking_number)) => Some(ReturnLabelInfo {
            carrier,
            service: h.service.unwrap_or_default(),
            tracking_number,
            cost: h.label_cost,
            weight_grams: h.label_weight_grams.unwrap_or(1000),
        }),
        _ => None,
    };
    Ok(Some(Return {
        id: h.id,
        number: h.number,
        seq: h.seq,
        order_id: h.order_id,
        order: order_number(h.order_seq),
        status: ReturnStatus::parse(&h.status, "status").map_err(bad)?,
        method: ReturnMethod::parse(&h.method, "method").map_err(bad)?,
        location_id: h.location_id,
        location: h.location,
        location_name: h.location_name,
        created_at: h.created_at,
        created_by: h.created_by,
        customer_name: h.customer_name,
        customer_id: h.customer_id,
        lines: out_lines,
        label,
        policy_notes: serde_json::from_str(&h.policy_notes)
            .map_err(|e| unreadable("return notes", e))?,
        override_reason: h.override_reason,
        note: h.note,
        refunds: refunds
            .into_iter()
            .map(refund_from)
            .collect::<Result<_>>()?,
        exchange_order: h.exchange_seq.map(order_number),
        exchange_order_id: h.exchange_order_id,
        currency: h.currency,
    }))
}

/// The ids of an order's returns, oldest first.
pub async fn ids_of_order(ex: &mut impl Executes, order_id: Uuid) -> Result<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id FROM returns WHERE order_id = $1 ORDER BY seq"
    )
    .bind(order_id)
    .fetch_all(&mut *c)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Units per order line on the order's non-cancelled returns with a sequence below `before_seq`
/// (all when `None`): (line, authorised units, received units).
pub async fn units_by_line(
    ex: &mut impl Executes,
    order_id: Uuid,
    before_seq: Option<i64>,
) -> Result<Vec<(i32, i64, i64)>> {
    let rows: Vec<(i32, i64, i64)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT rl.line_no, CAST(SUM(rl.qty) AS BIGINT), CAST(SUM(rl.received) AS BIGINT) \
         FROM return_lines rl JOIN returns r ON r.id = rl.return_id \
         WHERE r.order_id = $1 AND r.status <> 'cancelled' AND ($2 IS NULL OR r.seq < $2) \
         GROUP BY rl.line_no"
    )
    .bind(order_id)
    .bind(before_seq)
    .fetch_all(&mut *c)
    .await?);
    Ok(rows)
}

/// Units per order line that left the shop (reservations in state `shipped`).
pub async fn left_by_line(ex: &mut impl Executes, order_id: Uuid) -> Result<Vec<(i32, i64)>> {
    let rows: Vec<(i32, i64)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT line_no, CAST(SUM(qty) AS BIGINT) FROM reservations \
         WHERE order_id = $1 AND state = 'shipped' GROUP BY line_no"
    )
    .bind(order_id)
    .fetch_all(&mut *c)
    .await?);
    Ok(rows)
}

/// When each line's units last left: the latest delivered / collected / shipped time of the
/// shipments carrying it.
pub async fn left_at_by_line(
    ex: &mut impl Executes,
    order_id: Uuid,
) -> Result<Vec<(i32, Option<DateTime<Utc>>)>> {
    let rows: Vec<(i32, Option<DateTime<Utc>>)> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT sl.line_no, MAX(COALESCE(s.delivered_at, s.shipped_at)) FROM shipment_lines sl \
         JOIN shipments s ON s.id = sl.shipment_id WHERE s.order_id = $1 AND sl.qty > 0 \
         AND s.status IN ('shipped', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'collected') \
         GROUP BY sl.line_no"
    )
    .bind(order_id)
    .fetch_all(&mut *c)
    .await?
    });
    Ok(rows)
}

/// The latest time stock left for the order (ledger `ship` rows), for orders shipped without a
/// shipment (take-away, status changed by hand).
pub async fn last_ship_movement(
    ex: &mut impl Executes,
    order_id: Uuid,
) -> Result<Option<DateTime<Utc>>> {
    let row: (Option<DateTime<Utc>>,) = on_conn!(ex, |c| sqlx::query_as(
        "SELECT MAX(at) FROM stock_movements WHERE order_id = $1 AND kind = 'ship'"
    )
    .bind(order_id)
    .fetch_one(&mut *c)
    .await?);
    Ok(row.0)
}

/// Changes the status only if it still is `from`.
pub async fn set_status(
    ex: &mut impl Executes,
    id: Uuid,
    from: ReturnStatus,
    to: ReturnStatus,
    at: DateTime<Utc>,
) -> Result<bool> {
    let n = on_conn!(ex, |c| sqlx::query(
        "UPDATE returns SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2"
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

pub async fn set_cancelled(
    ex: &mut impl Executes,
    id: Uuid,
    from: ReturnStatus,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let n = on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE returns SET status = 'cancelled', cancel_reason = $3, updated_at = $4 \
         WHERE id = $1 AND status = $2 AND NOT EXISTS (SELECT 1 FROM return_lines WHERE return_id = $1 AND received > 0)"
    )
    .bind(id)
    .bind(from.as_str())
    .bind(reason)
    .bind(at)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(n == 1)
}

/// Counts `qty` more units of a line received; `false` (nothing changed) when that would exceed
/// the units authorised.
pub async fn add_received(
    ex: &mut impl Executes,
    return_id: Uuid,
    line_no: i32,
    qty: i64,
) -> Result<bool> {
    let n = on_conn!(ex, |c| sqlx::query(
        "UPDATE return_lines SET received = received + $3 \
         WHERE return_id = $1 AND line_no = $2 AND received + $3 <= qty"
    )
    .bind(return_id)
    .bind(line_no)
    .bind(qty)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_receipt(
    ex: &mut impl Executes,
    return_id: Uuid,
    line_no: i32,
    disposition: Disposition,
    qty: i64,
    location_id: Uuid,
    note: Option<&str>,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO return_receipts (id, return_id, line_no, disposition, qty, location_id, note, actor, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(new_id())
    .bind(return_id)
    .bind(line_no)
    .bind(disposition.as_str())
    .bind(qty)
    .bind(location_id)
    .bind(note)
    .bind(actor)
    .bind(at)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

pub async fn set_label(
    ex: &mut impl Executes,
    id: Uuid,
    label: &ReturnLabelInfo,
    at: DateTime<Utc>,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE returns SET carrier = $2, service = $3, tracking_number = $4, label_cost = $5, updated_at = $6, \
         label_weight_grams = $7 WHERE id = $1"
    )
    .bind(id)
    .bind(&label.carrier)
    .bind(&label.service)
    .bind(&label.tracking_number)
    .bind(label.cost)
    .bind(at)
    .bind(label.weight_grams)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

pub async fn set_exchange_order(
    ex: &mut impl Executes,
    id: Uuid,
    order_id: Uuid,
    at: DateTime<Utc>,
) -> Result<()> {
    on_conn!(ex, |c| sqlx::query(
        "UPDATE returns SET exchange_order_id = $2, updated_at = $3 WHERE id = $1"
    )
    .bind(id)
    .bind(order_id)
    .bind(at)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

/// A payment of an order with its refundable room.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRoom {
    pub id: Uuid,
    pub method: String,
    pub captured: i64,
    pub refunded: i64,
}

pub async fn payments(ex: &mut impl Executes, order_id: Uuid) -> Result<Vec<PaymentRoom>> {
    let rows: Vec<PaymentRoom> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT id, method, captured, refunded FROM payments WHERE order_id = $1 ORDER BY created_at, id"
    )
    .bind(order_id)
    .fetch_all(&mut *c)
    .await?
    });
    Ok(rows)
}

/// Refunds `amount` from one payment only if it stays within what it captured; `false` (nothing
/// changed) otherwise. Under PostgreSQL the condition is checked again on the locked row, so two
/// concurrent refunds cannot both pass.
pub async fn refund_payment(ex: &mut impl Executes, payment_id: Uuid, amount: i64) -> Result<bool> {
    let n = on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE payments SET refunded = refunded + $2 WHERE id = $1 AND refunded + $2 <= captured"
    )
    .bind(payment_id)
    .bind(amount)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(n == 1)
}

/// A refund row to write.
#[derive(Debug, Clone)]
pub struct RefundInsert<'a> {
    pub id: Uuid,
    pub order_id: Uuid,
    pub return_id: Option<Uuid>,
    pub amount: i64,
    pub currency: &'a str,
    pub to: RefundTo,
    pub shipping: i64,
    pub reason: Option<&'a str>,
    pub before_receipt: bool,
    pub breakdown: &'a serde_json::Value,
    pub idempotency_key: &'a str,
    pub actor: &'a str,
    pub at: DateTime<Utc>,
}

pub async fn insert_refund(ex: &mut impl Executes, r: &RefundInsert<'_>) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO refunds (id, order_id, return_id, amount, currency, to_kind, shipping, reason, before_receipt, \
         breakdown, idempotency_key, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    )
    .bind(r.id)
    .bind(r.order_id)
    .bind(r.return_id)
    .bind(r.amount)
    .bind(r.currency)
    .bind(r.to.as_str())
    .bind(r.shipping)
    .bind(r.reason)
    .bind(r.before_receipt)
    .bind(r.breakdown.to_string())
    .bind(r.idempotency_key)
    .bind(r.actor)
    .bind(r.at)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

pub async fn insert_refund_payment(
    ex: &mut impl Executes,
    refund_id: Uuid,
    payment_id: Uuid,
    amount: i64,
) -> Result<()> {
    on_conn!(ex, |c| sqlx::query(
        "INSERT INTO refund_payments (refund_id, payment_id, amount) VALUES ($1, $2, $3)"
    )
    .bind(refund_id)
    .bind(payment_id)
    .bind(amount)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

pub async fn refund_by_key(ex: &mut impl Executes, key: &str) -> Result<Option<Refund>> {
    let sql = format!("{REFUND_SELECT} WHERE f.idempotency_key = $1");
    let row: Option<RefundRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(key)
        .fetch_optional(&mut *c)
        .await?);
    row.map(refund_from).transpose()
}

/// Whether a refund of another return of this order refunded the shipping.
pub async fn shipping_refunded_elsewhere(
    ex: &mut impl Executes,
    order_id: Uuid,
    return_id: Uuid,
) -> Result<bool> {
    let (n,): (i64,) = on_conn!(ex, |c| sqlx::query_as(
        "SELECT COUNT(*) FROM refunds WHERE order_id = $1 AND shipping > 0 \
         AND (return_id IS NULL OR return_id <> $2)"
    )
    .bind(order_id)
    .bind(return_id)
    .fetch_one(&mut *c)
    .await?);
    Ok(n > 0)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_store_credit(
    ex: &mut impl Executes,
    customer_id: Uuid,
    order_id: Option<Uuid>,
    refund_id: Option<Uuid>,
    delta: i64,
    currency: &str,
    reason: &str,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO store_credit (id, customer_id, order_id, refund_id, delta, currency, reason, actor, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(new_id())
    .bind(customer_id)
    .bind(order_id)
    .bind(refund_id)
    .bind(delta)
    .bind(currency)
    .bind(reason)
    .bind(actor)
    .bind(at)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

pub async fn store_credit_balance(ex: &mut impl Executes, customer_id: Uuid) -> Result<i64> {
    let (n,): (i64,) = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM store_credit WHERE customer_id = $1"
    )
    .bind(customer_id)
    .fetch_one(&mut *c)
    .await?
    });
    Ok(n)
}

/// Returns at a location: the open ones, those received but not closed, and the newest `recent`.
pub async fn ids_at_location(
    ex: &mut impl Executes,
    location_id: Uuid,
    recent: i64,
) -> Result<Vec<Uuid>> {
    let sql = format!(
        "SELECT id FROM returns WHERE location_id = $1 AND status IN ('authorized', 'in_transit', 'partially_received', 'received') \
         UNION SELECT id FROM (SELECT id FROM returns WHERE location_id = $1 ORDER BY updated_at DESC LIMIT {recent}) t"
    );
    let mut rows: Vec<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(location_id)
        .fetch_all(&mut *c)
        .await?);
    rows.sort();
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Returns received (some units) at a location other than where they were expected, still open.
pub async fn ids_received_at(ex: &mut impl Executes, location_id: Uuid) -> Result<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT DISTINCT r.id FROM returns r JOIN return_receipts rr ON rr.return_id = r.id \
         WHERE rr.location_id = $1 AND r.status IN ('partially_received', 'received')"
    )
    .bind(location_id)
    .fetch_all(&mut *c)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Held (returned, not sellable) units at a location.
pub async fn held_at(ex: &mut impl Executes, location_id: Uuid) -> Result<Vec<HeldStock>> {
    let rows: Vec<(String, String, i64)> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT p.sku, p.name, b.held FROM stock_balances b JOIN products p ON p.id = b.product_id \
         WHERE b.location_id = $1 AND b.held > 0 ORDER BY p.sku"
    )
    .bind(location_id)
    .fetch_all(&mut *c)
    .await?
    });
    Ok(rows
        .into_iter()
        .map(|(sku, name, qty)| HeldStock { sku, name, qty })
        .collect())
}

/// Locks the order row for the rest of the transaction (PostgreSQL `FOR UPDATE`; SQLite writers
/// are serialised already), so two returns of one order cannot both take the same units.
pub async fn lock_order(ex: &mut impl Executes, order_id: Uuid) -> Result<()> {
    let pg = Executes::postgres(&mut *ex).is_some();
    let sql = if pg {
        "SELECT id FROM orders WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT id FROM orders WHERE id = $1"
    };
    let _: Option<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(sql)
        .bind(order_id)
        .fetch_optional(&mut *c)
        .await?);
    Ok(())
}

/// Replacement orders an exchange captured but never linked to its return (the exchange was
/// interrupted between its two transactions), placed before `before`, still open: their numbers.
pub async fn unlinked_exchange_orders(
    ex: &mut impl Executes,
    before: DateTime<Utc>,
) -> Result<Vec<String>> {
    let rows: Vec<(i64,)> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT o.seq FROM orders o WHERE o.channel_ref LIKE 'exchange:%' AND o.created_at < $1 \
         AND o.status IN ('open', 'backordered', 'in_progress') \
         AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.exchange_order_id = o.id) \
         ORDER BY o.seq"
    )
    .bind(before)
    .fetch_all(&mut *c)
    .await?
    });
    Ok(rows.into_iter().map(|(seq,)| order_number(seq)).collect())
}
