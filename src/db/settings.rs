//! Key/value settings of the shop (business details, currency, demo marker).

use super::{Executes, on_conn};
use crate::error::Result;

pub async fn get(ex: &mut impl Executes, key: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT value FROM settings WHERE key = $1"
    )
    .bind(key)
    .fetch_optional(&mut *c)
    .await?);
    Ok(row.map(|r| r.0))
}

pub async fn set(ex: &mut impl Executes, key: &str, value: &str) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )
    .bind(key)
    .bind(value)
    .execute(&mut *c)
    .await?.rows_affected()
    });
    Ok(())
}

pub async fn delete(ex: &mut impl Executes, key: &str) -> Result<()> {
    on_conn!(ex, |c| sqlx::query("DELETE FROM settings WHERE key = $1")
        .bind(key)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}

/// Removes every row of shop data (not settings' business details): used by "clear all data".
/// The append-only triggers block updates, not this deliberate wipe.
pub async fn clear_shop_data(ex: &mut impl Executes) -> Result<()> {
    for table in [
        "mail_outbox",
        "store_credit",
        "refund_payments",
        "refunds",
        "return_receipts",
        "return_lines",
        "returns",
        "tracking_events",
        "packages",
        "shipment_lines",
        "shipments",
        "pick_lists",
        "bins",
        "order_events",
        "order_routes",
        "routing_settings",
        "rate_cards",
        "stock_movements",
        "stock_balances",
        "transfers",
        "reservations",
        "payments",
        "order_lines",
        "orders",
        "customers",
        "products",
        "channels",
        "locations",
    ] {
        let sql = format!("DELETE FROM {table}");
        on_conn!(ex, |c| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut *c)
            .await?
            .rows_affected());
    }
    Ok(())
}
