//! The rows of one captured order written with no validation or reads: the ceiling that
//! `orderly bench` compares capture against.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Tx, on_conn};
use crate::domain::ids::new_id;
use crate::error::Result;

pub async fn write_order_rows(
    tx: &mut Tx,
    channel: Uuid,
    product: Uuid,
    location: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    let order = new_id();
    on_conn!(tx, |c| {
        sqlx::query(
        "INSERT INTO orders (id, channel_id, channel_ref, customer_id, customer_name, status, currency, ship_to, \
         pickup_location_id, subtotal, discount_total, shipping, tax_total, total, item_count, tax_rate_bp, \
         attributes, notes, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, NULL, NULL, 'open', 'USD', '{}', NULL, 2000, 0, 595, 214, 2809, 2, 825, '[]', NULL, \
         'bench', $4, $4)"
    )
    .bind(order)
    .bind(channel)
    .bind(order.simple().to_string())
    .bind(now)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    for line in 1..=2i32 {
        on_conn!(tx, |c| {
            sqlx::query(
            "INSERT INTO order_lines (order_id, line_no, product_id, sku, name, qty, unit_price, discount, tax, total, \
             backordered) VALUES ($1, $2, $3, 'B', 'Bench', 1, 1000, 0, 83, 1083, 0)"
        )
        .bind(order)
        .bind(line)
        .bind(product)
        .execute(&mut *c)
        .await?
        .rows_affected()
        });
        on_conn!(tx, |c| {
            sqlx::query(
            "UPDATE stock_balances SET reserved = reserved + 1 WHERE product_id = $1 AND location_id = $2"
        )
        .bind(product)
        .bind(location)
        .execute(&mut *c)
        .await?
        .rows_affected()
        });
        on_conn!(tx, |c| {
            sqlx::query(
            "INSERT INTO stock_movements (product_id, location_id, kind, on_hand_delta, reserved_delta, incoming_delta, \
             reason, order_id, transfer_id, actor, at) VALUES ($1, $2, 'reserve', 0, 1, 0, NULL, $3, NULL, 'bench', $4)"
        )
        .bind(product)
        .bind(location)
        .bind(order)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
        });
        on_conn!(tx, |c| {
            sqlx::query(
            "INSERT INTO reservations (id, order_id, line_no, product_id, location_id, qty, state, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 1, 'reserved', $6, $6)"
        )
        .bind(new_id())
        .bind(order)
        .bind(line)
        .bind(product)
        .bind(location)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
        });
    }
    for kind in ["created", "reserved", "reserved"] {
        on_conn!(tx, |c| {
            sqlx::query(
            "INSERT INTO order_events (id, order_id, kind, actor, at, summary, details) VALUES ($1, $2, $3, 'bench', $4, 'bench', '{}')"
        )
        .bind(new_id())
        .bind(order)
        .bind(kind)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
        });
    }
    Ok(())
}
