//! Statements for the stock ledger, balances and transfers.
//!
//! Every balance change goes through [`apply_movement`], which changes the balance row under its
//! guard conditions and appends the ledger row in the caller's transaction: the two cannot
//! disagree, and a change that would oversell or go negative writes nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executes, on_conn};
use crate::domain::ids::order_number;
use crate::domain::stock::{
    Balance, BalanceDifference, Delta, Movement, MovementKind, Transfer, VerifyReport,
};
use crate::error::Result;

/// A movement to record.
#[derive(Debug, Clone)]
pub struct MovementRecord<'a> {
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub kind: MovementKind,
    pub delta: Delta,
    pub reason: Option<&'a str>,
    pub order_id: Option<Uuid>,
    pub transfer_id: Option<Uuid>,
    pub actor: &'a str,
    pub at: DateTime<Utc>,
}

/// Guard used when reserving: the units must be sellable after the location's safety stock and
/// the channel's buffer.
#[derive(Debug, Clone, Copy)]
pub struct SellableGuard {
    pub channel_buffer: i64,
}

const UPDATE_BALANCE: &str = "UPDATE stock_balances SET on_hand = on_hand + $3, reserved = reserved + $4, \
     incoming = incoming + $5, held = held + $6 \
     WHERE product_id = $1 AND location_id = $2 AND on_hand + $3 >= 0 AND reserved + $4 >= 0 \
     AND incoming + $5 >= 0 AND held + $6 >= 0 AND reserved + $4 <= on_hand + $3";

// Reserving also keeps the safety stock and the channel buffer free. Under PostgreSQL READ
// COMMITTED the WHERE is evaluated again on the locked, newest row, so two buyers cannot both take
// the last unit; under SQLite the writer holds the only write lock.
const RESERVE_BALANCE: &str = "UPDATE stock_balances SET reserved = reserved + $3 \
     WHERE product_id = $1 AND location_id = $2 AND on_hand - reserved - safety_stock - $4 >= $3";

/// Applies `m` to its balance and appends it to the ledger. Returns `false`, writing nothing, when
/// the change is not possible (it would leave negative stock, reserved above on hand, or — with a
/// guard — reserve units that are not sellable).
pub async fn apply_movement(
    ex: &mut impl Executes,
    m: &MovementRecord<'_>,
    guard: Option<SellableGuard>,
) -> Result<bool> {
    let d = m.delta;
    let updated = match guard {
        Some(g) => on_conn!(ex, |c| sqlx::query(RESERVE_BALANCE)
            .bind(m.product_id)
            .bind(m.location_id)
            .bind(d.reserved)
            .bind(g.channel_buffer)
            .execute(&mut *c)
            .await?
            .rows_affected()),
        None => {
            let mut n = update_balance(ex, m.product_id, m.location_id, d).await?;
            if n == 0
                && d.on_hand >= 0
                && d.reserved >= 0
                && d.incoming >= 0
                && d.held >= 0
                && d.reserved <= d.on_hand
            {
                // First stock of this SKU here: create the balance row, then apply.
                on_conn!(ex, |c| {
                    sqlx::query(
                    "INSERT INTO stock_balances (product_id, location_id, on_hand, reserved, incoming, safety_stock) \
                     VALUES ($1, $2, 0, 0, 0, 0) ON CONFLICT (product_id, location_id) DO NOTHING"
                )
                .bind(m.product_id)
                .bind(m.location_id)
                .execute(&mut *c)
                .await?.rows_affected()
                });
                n = update_balance(ex, m.product_id, m.location_id, d).await?;
            }
            n
        }
    };
    if updated == 0 {
        return Ok(false);
    }
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, incoming_delta, \
         reason, order_id, transfer_id, actor, at, held_delta) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    )
    .bind(m.product_id)
    .bind(m.location_id)
    .bind(m.kind.as_str())
    .bind(d.on_hand)
    .bind(d.reserved)
    .bind(d.incoming)
    .bind(m.reason)
    .bind(m.order_id)
    .bind(m.transfer_id)
    .bind(m.actor)
    .bind(m.at)
    .bind(d.held)
    .execute(&mut *c)
    .await?.rows_affected()
    });
    Ok(true)
}

async fn update_balance(
    ex: &mut impl Executes,
    product_id: Uuid,
    location_id: Uuid,
    d: Delta,
) -> Result<u64> {
    Ok(on_conn!(ex, |c| sqlx::query(UPDATE_BALANCE)
        .bind(product_id)
        .bind(location_id)
        .bind(d.on_hand)
        .bind(d.reserved)
        .bind(d.incoming)
        .bind(d.held)
        .execute(&mut *c)
        .await?
        .rows_affected()))
}

pub async fn set_safety_stock(
    ex: &mut impl Executes,
    product_id: Uuid,
    location_id: Uuid,
    units: i64,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO stock_balances (product_id, location_id, on_hand, reserved, incoming, safety_stock) \
         VALUES ($1, $2, 0, 0, 0, $3) ON CONFLICT (product_id, location_id) DO UPDATE SET safety_stock = excluded.safety_stock"
    )
    .bind(product_id)
    .bind(location_id)
    .bind(units)
    .execute(&mut *c)
    .await?.rows_affected()
    });
    Ok(())
}

#[derive(sqlx::FromRow)]
struct BalanceRow {
    product_id: Uuid,
    location_id: Uuid,
    sku: String,
    product_name: String,
    location: String,
    location_name: String,
    on_hand: i64,
    reserved: i64,
    safety_stock: i64,
    incoming: i64,
    held: i64,
}

impl From<BalanceRow> for Balance {
    fn from(r: BalanceRow) -> Self {
        Balance {
            product_id: r.product_id,
            location_id: r.location_id,
            sku: r.sku,
            product_name: r.product_name,
            location: r.location,
            location_name: r.location_name,
            on_hand: r.on_hand,
            reserved: r.reserved,
            safety_stock: r.safety_stock,
            incoming: r.incoming,
            held: r.held,
        }
    }
}

const BALANCE_SELECT: &str = "SELECT b.product_id, b.location_id, p.sku, p.name AS product_name, l.code AS location, \
     l.name AS location_name, b.on_hand, b.reserved, b.safety_stock, b.incoming, b.held \
     FROM stock_balances b JOIN products p ON p.id = b.product_id JOIN locations l ON l.id = b.location_id";

pub async fn balance(
    ex: &mut impl Executes,
    product_id: Uuid,
    location_id: Uuid,
) -> Result<Option<Balance>> {
    let sql = format!("{BALANCE_SELECT} WHERE b.product_id = $1 AND b.location_id = $2");
    let row: Option<BalanceRow> =
        on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(product_id)
            .bind(location_id)
            .fetch_optional(&mut *c)
            .await?);
    Ok(row.map(Balance::from))
}

/// Balances of one product at every location, in location priority order.
pub async fn balances_of_product(ex: &mut impl Executes, product_id: Uuid) -> Result<Vec<Balance>> {
    let sql = format!("{BALANCE_SELECT} WHERE b.product_id = $1 ORDER BY l.priority, l.code");
    let rows: Vec<BalanceRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(product_id)
        .fetch_all(&mut *c)
        .await?);
    Ok(rows.into_iter().map(Balance::from).collect())
}

/// A page of balances, filtered by SKU prefix / name / barcode and location, by SKU then location.
pub async fn list_balances(
    ex: &mut impl Executes,
    search: Option<&str>,
    location_id: Option<Uuid>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Balance>, i64)> {
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    let upper = search.map(|s| s.to_ascii_uppercase()).unwrap_or_default();
    let upper_end = format!("{upper}\u{10FFFF}");
    let like = format!(
        "%{}%",
        search.unwrap_or("").to_lowercase().replace(['%', '_'], "")
    );
    let raw = search.unwrap_or("").to_owned();
    let filter = "WHERE ($1 = '' OR (p.sku >= $1 AND p.sku < $2) OR p.barcode = $3 OR LOWER(p.name) LIKE $4) \
                  AND ($5 IS NULL OR b.location_id = $5)";
    let sql = format!(
        "{BALANCE_SELECT} {filter} ORDER BY p.sku, l.priority, l.code LIMIT {limit} OFFSET {offset}"
    );
    let count_sql = format!(
        "SELECT COUNT(*) FROM stock_balances b JOIN products p ON p.id = b.product_id {filter}"
    );
    let rows: Vec<BalanceRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(&upper)
        .bind(&upper_end)
        .bind(&raw)
        .bind(&like)
        .bind(location_id)
        .fetch_all(&mut *c)
        .await?);
    let total: (i64,) = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        count_sql.clone()
    ))
    .bind(&upper)
    .bind(&upper_end)
    .bind(&raw)
    .bind(&like)
    .bind(location_id)
    .fetch_one(&mut *c)
    .await?);
    Ok((rows.into_iter().map(Balance::from).collect(), total.0))
}

#[derive(sqlx::FromRow)]
struct MovementRow {
    at: DateTime<Utc>,
    sku: String,
    location: String,
    kind: String,
    on_hand_delta: i64,
    reserved_delta: i64,
    incoming_delta: i64,
    held_delta: i64,
    reason: Option<String>,
    order_seq: Option<i64>,
    actor: String,
}

/// The newest `limit` ledger rows of a product (at one location, or all), newest first.
pub async fn movements(
    ex: &mut impl Executes,
    product_id: Uuid,
    location_id: Option<Uuid>,
    limit: i64,
) -> Result<Vec<Movement>> {
    let sql = format!(
        "SELECT m.at, p.sku, l.code AS location, m.kind, m.on_hand_delta, m.reserved_delta, m.incoming_delta, \
         m.held_delta, m.reason, o.seq AS order_seq, m.actor \
         FROM stock_movements m JOIN products p ON p.id = m.product_id JOIN locations l ON l.id = m.location_id \
         LEFT JOIN orders o ON o.id = m.order_id \
         WHERE m.product_id = $1 AND ($2 IS NULL OR m.location_id = $2) ORDER BY m.seq DESC LIMIT {limit}"
    );
    let rows: Vec<MovementRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(product_id)
        .bind(location_id)
        .fetch_all(&mut *c)
        .await?);
    Ok(rows
        .into_iter()
        .map(|r| Movement {
            at: r.at,
            sku: r.sku,
            location: r.location,
            kind: r.kind,
            on_hand_delta: r.on_hand_delta,
            reserved_delta: r.reserved_delta,
            incoming_delta: r.incoming_delta,
            held_delta: r.held_delta,
            reason: r.reason,
            order_number: r.order_seq.map(order_number),
            actor: r.actor,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct SumRow {
    product_id: Uuid,
    location_id: Uuid,
    on_hand: i64,
    reserved: i64,
    incoming: i64,
    held: i64,
    n: i64,
}

/// Recomputes every balance from the ledger and lists each figure that differs, both ways
/// (a balance with no ledger rows and ledger rows with no balance are differences too).
pub async fn verify(ex: &mut impl Executes) -> Result<VerifyReport> {
    let sums: Vec<SumRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT product_id, location_id, CAST(SUM(on_hand_delta) AS BIGINT) AS on_hand, \
         CAST(SUM(reserved_delta) AS BIGINT) AS reserved, CAST(SUM(incoming_delta) AS BIGINT) AS incoming, \
         CAST(SUM(held_delta) AS BIGINT) AS held, COUNT(*) AS n FROM stock_movements GROUP BY product_id, location_id"
    )
    .fetch_all(&mut *c)
    .await?
    });
    let stored: Vec<BalanceRow> = on_conn!(ex, |c| sqlx::query_as(BALANCE_SELECT)
        .fetch_all(&mut *c)
        .await?);
    let names: Vec<(Uuid, String)> =
        on_conn!(ex, |c| sqlx::query_as("SELECT id, sku FROM products")
            .fetch_all(&mut *c)
            .await?);
    let locs: Vec<(Uuid, String)> =
        on_conn!(ex, |c| sqlx::query_as("SELECT id, code FROM locations")
            .fetch_all(&mut *c)
            .await?);
    let names: HashMap<Uuid, String> = names.into_iter().collect();
    let locs: HashMap<Uuid, String> = locs.into_iter().collect();

    let mut ledger: HashMap<(Uuid, Uuid), (i64, i64, i64, i64)> = HashMap::new();
    let mut movements_checked = 0;
    for s in sums {
        movements_checked += s.n;
        ledger.insert(
            (s.product_id, s.location_id),
            (s.on_hand, s.reserved, s.incoming, s.held),
        );
    }
    let mut differences = Vec::new();
    let mut push = |p: Uuid, l: Uuid, field: &'static str, stored: i64, from_ledger: i64| {
        if stored != from_ledger {
            differences.push(BalanceDifference {
                sku: names.get(&p).cloned().unwrap_or_else(|| p.to_string()),
                location: locs.get(&l).cloned().unwrap_or_else(|| l.to_string()),
                field,
                stored,
                from_ledger,
            });
        }
    };
    let balances_checked = stored.len() as i64;
    for b in &stored {
        let (oh, rs, inc, hd) = ledger
            .remove(&(b.product_id, b.location_id))
            .unwrap_or((0, 0, 0, 0));
        push(b.product_id, b.location_id, "on_hand", b.on_hand, oh);
        push(b.product_id, b.location_id, "reserved", b.reserved, rs);
        push(b.product_id, b.location_id, "incoming", b.incoming, inc);
        push(b.product_id, b.location_id, "held", b.held, hd);
    }
    for ((p, l), (oh, rs, inc, hd)) in ledger {
        push(p, l, "on_hand", 0, oh);
        push(p, l, "reserved", 0, rs);
        push(p, l, "incoming", 0, inc);
        push(p, l, "held", 0, hd);
    }
    Ok(VerifyReport {
        balances_checked,
        movements_checked,
        differences,
    })
}

pub async fn insert_transfer(ex: &mut impl Executes, t: &Transfer) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO transfers (id, product_id, from_location_id, to_location_id, qty, created_at, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(t.id)
    .bind(t.product_id)
    .bind(t.from_location_id)
    .bind(t.to_location_id)
    .bind(t.qty)
    .bind(t.created_at)
    .bind(t.received_at)
    .execute(&mut *c)
    .await?.rows_affected()
    });
    Ok(())
}

/// Marks an in-transit transfer received; `false` if it was received already (or does not exist).
pub async fn mark_transfer_received(
    ex: &mut impl Executes,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<bool> {
    let n = on_conn!(ex, |c| sqlx::query(
        "UPDATE transfers SET received_at = $2 WHERE id = $1 AND received_at IS NULL"
    )
    .bind(id)
    .bind(at)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

#[derive(sqlx::FromRow)]
struct TransferRow {
    id: Uuid,
    product_id: Uuid,
    sku: String,
    from_location_id: Uuid,
    from_code: String,
    to_location_id: Uuid,
    to_code: String,
    qty: i64,
    created_at: DateTime<Utc>,
    received_at: Option<DateTime<Utc>>,
}

const TRANSFER_SELECT: &str = "SELECT t.id, t.product_id, p.sku, t.from_location_id, lf.code AS from_code, \
     t.to_location_id, lt.code AS to_code, t.qty, t.created_at, t.received_at \
     FROM transfers t JOIN products p ON p.id = t.product_id \
     JOIN locations lf ON lf.id = t.from_location_id JOIN locations lt ON lt.id = t.to_location_id";

fn transfer_from_row(r: TransferRow) -> Transfer {
    Transfer {
        id: r.id,
        product_id: r.product_id,
        sku: r.sku,
        from_location_id: r.from_location_id,
        from: r.from_code,
        to_location_id: r.to_location_id,
        to: r.to_code,
        qty: r.qty,
        created_at: r.created_at,
        received_at: r.received_at,
    }
}

pub async fn transfer(ex: &mut impl Executes, id: Uuid) -> Result<Option<Transfer>> {
    let sql = format!("{TRANSFER_SELECT} WHERE t.id = $1");
    let row: Option<TransferRow> =
        on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(&mut *c)
            .await?);
    Ok(row.map(transfer_from_row))
}

/// The newest 500 transfers (only those still in transit when `open_only`).
pub async fn list_transfers(ex: &mut impl Executes, open_only: bool) -> Result<Vec<Transfer>> {
    let filter = if open_only {
        "WHERE t.received_at IS NULL"
    } else {
        ""
    };
    let sql = format!("{TRANSFER_SELECT} {filter} ORDER BY t.created_at DESC LIMIT 500");
    let rows: Vec<TransferRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_all(&mut *c)
        .await?);
    Ok(rows.into_iter().map(transfer_from_row).collect())
}
