//! Statements for the routing what-if: the orders to replay with their lines and products, and the
//! stock they start from. Read-only.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executes, on_conn};
use crate::domain::address::Address;
use crate::domain::catalog::Product;
use crate::error::{Error, Result};

/// An order as the replay needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayOrder {
    pub id: Uuid,
    pub seq: i64,
    pub channel_id: Uuid,
    pub ship_to: Option<Address>,
    pub pickup_location_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub attributes: Vec<(String, String)>,
    /// `(product, units)` per order line, in line order.
    pub lines: Vec<(Uuid, i64)>,
}

/// The newest orders (`$1` = how many) that ship or are picked up, selecting `$cols`.
///
/// Counter sales (take-away) are left out. One is stored like a pick-up order — it has a pick-up
/// location — but it is completed in the same transaction that creates it: its `status_changed`
/// event to `completed` carries the order's own creation time. A pick-up order is completed later,
/// when the customer collects, so "completed at creation" tells the two apart without relying on
/// any summary text.
macro_rules! newest_replayed {
    ($cols:literal) => {
        concat!(
            "SELECT ",
            $cols,
            " FROM orders o WHERE NOT (o.pickup_location_id IS NOT NULL AND EXISTS (\
             SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.kind = 'status_changed' \
             AND e.at = o.created_at AND e.details LIKE '%\"to\":\"completed\"%')) \
             ORDER BY o.seq DESC LIMIT $1"
        )
    };
}

const REPLAYED: &str = newest_replayed!(
    "o.id, o.seq, o.channel_id, o.ship_to, o.pickup_location_id, o.created_at, o.attributes"
);
const REPLAYED_IDS: &str = newest_replayed!("o.id");

type OrderRow = (
    Uuid,
    i64,
    Uuid,
    Option<String>,
    Option<Uuid>,
    DateTime<Utc>,
    String,
);

/// The newest `limit` orders that ship or are picked up, oldest first, with their lines.
pub async fn replay_orders(ex: &mut impl Executes, limit: i64) -> Result<Vec<ReplayOrder>> {
    let rows: Vec<OrderRow> = on_conn!(ex, |c| sqlx::query_as(REPLAYED)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?);
    let lines_sql = format!(
        "SELECT l.order_id, l.line_no, l.product_id, l.qty FROM order_lines l \
         JOIN ({REPLAYED_IDS}) r ON r.id = l.order_id ORDER BY l.order_id, l.line_no"
    );
    let lines: Vec<(Uuid, i32, Uuid, i64)> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        lines_sql.clone()
    ))
    .bind(limit)
    .fetch_all(&mut *c)
    .await?);
    let mut orders = rows
        .into_iter()
        .map(
            |(id, seq, channel_id, ship_to, pickup, created_at, attributes)| {
                let ship_to = ship_to
                    .as_deref()
                    .map(serde_json::from_str::<Address>)
                    .transpose()
                    .map_err(|e| {
                        Error::Internal(format!("stored ship-to address is unreadable: {e}"))
                    })?;
                let attributes: Vec<(String, String)> =
                    serde_json::from_str(&attributes).map_err(|e| {
                        Error::Internal(format!("stored attributes are unreadable: {e}"))
                    })?;
                Ok(ReplayOrder {
                    id,
                    seq,
                    channel_id,
                    ship_to,
                    pickup_location_id: pickup,
                    created_at,
                    attributes,
                    lines: Vec::new(),
                })
            },
        )
        .collect::<Result<Vec<_>>>()?;
    orders.reverse();
    let index: std::collections::HashMap<Uuid, usize> =
        orders.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
    for (order_id, _, product_id, qty) in lines {
        if let Some(i) = index.get(&order_id) {
            orders[*i].lines.push((product_id, qty));
        }
    }
    Ok(orders)
}

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: Uuid,
    sku: String,
    name: String,
    barcode: Option<String>,
    price: i64,
    currency: String,
    weight_grams: i64,
    length_mm: i64,
    width_mm: i64,
    height_mm: i64,
    active: bool,
    allow_backorder: bool,
}

/// The products on the replayed orders' lines (for each line's SKU and weight).
pub async fn products(ex: &mut impl Executes, limit: i64) -> Result<Vec<Product>> {
    let sql = format!(
        "SELECT id, sku, name, barcode, price, currency, weight_grams, length_mm, width_mm, height_mm, \
         active, allow_backorder FROM products WHERE id IN (SELECT l.product_id FROM order_lines l JOIN ({REPLAYED_IDS}) r ON r.id = l.order_id) ORDER BY sku"
    );
    let rows: Vec<ProductRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(limit)
        .fetch_all(&mut *c)
        .await?);
    Ok(rows
        .into_iter()
        .map(|r| Product {
            id: r.id,
            sku: r.sku,
            name: r.name,
            barcode: r.barcode,
            price: r.price,
            currency: r.currency,
            weight_grams: r.weight_grams,
            length_mm: r.length_mm,
            width_mm: r.width_mm,
            height_mm: r.height_mm,
            active: r.active,
            allow_backorder: r.allow_backorder,
            final_sale: false,
            available: 0,
        })
        .collect())
}

/// `(product, location, on hand, safety stock)` of the replayed orders' products at every location.
pub async fn stock(ex: &mut impl Executes, limit: i64) -> Result<Vec<(Uuid, Uuid, i64, i64)>> {
    let sql = format!(
        "SELECT product_id, location_id, on_hand, safety_stock FROM stock_balances \
         WHERE product_id IN (SELECT l.product_id FROM order_lines l \
         JOIN ({REPLAYED_IDS}) r ON r.id = l.order_id) ORDER BY product_id, location_id"
    );
    Ok(on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(limit)
    .fetch_all(&mut *c)
    .await?))
}
