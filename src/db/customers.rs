//! Statements for the customer page: a customer's profile and figures, their orders newest first,
//! and their timeline — the events of their orders merged with their store-credit ledger, newest
//! first, paged by a keyset (time, then row id) rather than an offset.
//!
//! Both engines run the same text. Times sort as stored: PostgreSQL's `timestamptz`, and SQLite's
//! RFC 3339 text with the fraction sqlx writes (none, 3 or 6 digits) before `+00:00` — the text
//! sorts as the time does because `+` and `.` sort before every digit (`…05+00:00` < `…05.25+…`
//! < `…05.250001+…`). Row ids are UUIDs compared byte by byte on both engines.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::orders::{SummaryRow, summaries, unreadable};
use super::{Executes, on_conn};
use crate::domain::address::Address;
use crate::domain::customer::{
    Spend, TimelineCursor, TimelineEntry, TimelineSource, is_open, return_number_of,
};
use crate::domain::ids::order_number;
use crate::domain::money::{Currency, Money};
use crate::domain::order::{OrderStatus, OrderSummary};
use crate::error::Result;

/// A customer's stored profile.
pub struct Profile {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub addresses: Vec<Address>,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: Uuid,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    addresses: String,
    created_at: DateTime<Utc>,
}

pub async fn profile(ex: &mut impl Executes, id: Uuid) -> Result<Option<Profile>> {
    let row: Option<ProfileRow> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id, name, email, phone, addresses, created_at FROM customers WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await?);
    let Some(r) = row else { return Ok(None) };
    let addresses: Vec<Address> =
        serde_json::from_str(&r.addresses).map_err(|e| unreadable("customer addresses", e))?;
    Ok(Some(Profile {
        id: r.id,
        name: r.name,
        email: r.email,
        phone: r.phone,
        addresses,
        created_at: r.created_at,
    }))
}

/// The customer with this e-mail (stored lower-case), the oldest if several share it.
pub async fn id_by_email(ex: &mut impl Executes, email: &str) -> Result<Option<Uuid>> {
    let row: Option<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id FROM customers WHERE email = $1 ORDER BY created_at, id LIMIT 1"
    )
    .bind(email.trim().to_lowercase())
    .fetch_optional(&mut *c)
    .await?);
    Ok(row.map(|r| r.0))
}

/// A customer's order figures.
pub struct OrderFigures {
    pub order_count: i64,
    pub open_orders: i64,
    pub last_order_at: Option<DateTime<Utc>>,
    pub lifetime_spend: Vec<Spend>,
    pub return_count: i64,
}

pub async fn order_figures(ex: &mut impl Executes, customer_id: Uuid) -> Result<OrderFigures> {
    // The statuses that count as open come from the domain rule, as literals of fixed words.
    let open: Vec<String> = OrderStatus::ALL
        .into_iter()
        .filter(|s| is_open(*s))
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let counts_sql = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN status IN ({}) THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM orders WHERE customer_id = $1",
        open.join(", ")
    );
    let (order_count, open_orders): (i64, i64) = on_conn!(ex, |c| sqlx::query_as(
        sqlx::AssertSqlSafe(counts_sql.clone())
    )
    .bind(customer_id)
    .fetch_one(&mut *c)
    .await?);
    let last: Option<(DateTime<Utc>,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT created_at FROM orders WHERE customer_id = $1 ORDER BY seq DESC LIMIT 1"
    )
    .bind(customer_id)
    .fetch_optional(&mut *c)
    .await?);
    let spend: Vec<(String, i64)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT o.currency, CAST(COALESCE(SUM(p.captured - p.refunded), 0) AS BIGINT) \
         FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.customer_id = $1 \
         GROUP BY o.currency ORDER BY o.currency"
    )
    .bind(customer_id)
    .fetch_all(&mut *c)
    .await?);
    let (return_count,): (i64,) = on_conn!(ex, |c| sqlx::query_as(
        "SELECT COUNT(*) FROM orders o JOIN returns r ON r.order_id = o.id \
         WHERE o.customer_id = $1 AND r.status <> 'cancelled'"
    )
    .bind(customer_id)
    .fetch_one(&mut *c)
    .await?);
    Ok(OrderFigures {
        order_count,
        open_orders,
        last_order_at: last.map(|r| r.0),
        lifetime_spend: spend
            .into_iter()
            .map(|(currency, amount)| Spend { currency, amount })
            .collect(),
        return_count,
    })
}

/// A page of the customer's orders, newest first (through `orders_customer`), and how many they have.
pub async fn orders(
    ex: &mut impl Executes,
    customer_id: Uuid,
    offset: i64,
    limit: i64,
) -> Result<(Vec<OrderSummary>, i64)> {
    let sql = format!(
        "SELECT o.seq, o.id, o.created_at, ch.code AS channel, o.customer_name, o.status, o.item_count, \
         o.total, o.currency, l.code AS pickup_code FROM orders o JOIN channels ch ON ch.id = o.channel_id \
         LEFT JOIN locations l ON l.id = o.pickup_location_id WHERE o.customer_id = $1 \
         ORDER BY o.seq DESC LIMIT {} OFFSET {}",
        limit.clamp(1, 500),
        offset.max(0)
    );
    let rows: Vec<SummaryRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(customer_id)
        .fetch_all(&mut *c)
        .await?);
    let (total,): (i64,) = on_conn!(ex, |c| sqlx::query_as(
        "SELECT COUNT(*) FROM orders WHERE customer_id = $1"
    )
    .bind(customer_id)
    .fetch_one(&mut *c)
    .await?);
    Ok((summaries(rows)?, total))
}

#[derive(sqlx::FromRow)]
struct TimelineRow {
    id: Uuid,
    source: String,
    kind: String,
    actor: String,
    at: DateTime<Utc>,
    summary: String,
    details: String,
    order_id: Option<Uuid>,
    order_seq: Option<i64>,
    delta: Option<i64>,
    currency: Option<String>,
    return_number: Option<String>,
}

/// Up to `limit` entries of the customer's timeline strictly older than `before` (all when
/// `None`), newest first, and whether more follow.
pub async fn timeline(
    ex: &mut impl Executes,
    customer_id: Uuid,
    before: Option<TimelineCursor>,
    limit: i64,
) -> Result<(Vec<TimelineEntry>, bool)> {
    let limit = limit.clamp(1, 500);
    let after = if before.is_some() {
        "WHERE t.at < $2 OR (t.at = $2 AND t.id < $3)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT t.id, t.source, t.kind, t.actor, t.at, t.summary, t.details, t.order_id, t.order_seq, \
         t.delta, t.currency, t.return_number FROM ( \
           SELECT e.id, 'order' AS source, e.kind, e.actor, e.at, e.summary, e.details, \
             o.id AS order_id, o.seq AS order_seq, CAST(NULL AS BIGINT) AS delta, \
             CAST(NULL AS TEXT) AS currency, CAST(NULL AS TEXT) AS return_number \
           FROM orders o JOIN order_events e ON e.order_id = o.id WHERE o.customer_id = $1 \
           UNION ALL \
           SELECT s.id, 'store_credit' AS source, \
             CASE WHEN s.delta >= 0 THEN 'store_credit_issued' ELSE 'store_credit_spent' END AS kind, \
             s.actor, s.at, s.reason AS summary, '' AS details, s.order_id, o.seq AS order_seq, \
             s.delta, s.currency, r.number AS return_number \
           FROM store_credit s LEFT JOIN orders o ON o.id = s.order_id \
             LEFT JOIN refunds rf ON rf.id = s.refund_id LEFT JOIN returns r ON r.id = rf.return_id \
           WHERE s.customer_id = $1 \
         ) t {after} ORDER BY t.at DESC, t.id DESC LIMIT {}",
        limit + 1,
    );
    let rows: Vec<TimelineRow> = on_conn!(ex, |c| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(customer_id);
        if let Some(b) = before {
            q = q.bind(b.at).bind(b.id);
        }
        q.fetch_all(&mut *c).await?
    });
    let more = rows.len() as i64 > limit;
    let entries = rows.into_iter().take(limit as usize).map(entry).collect();
    Ok((entries, more))
}

fn entry(r: TimelineRow) -> TimelineEntry {
    let source = if r.source == "store_credit" {
        TimelineSource::StoreCredit
    } else {
        TimelineSource::Order
    };
    let (summary, return_number) = match source {
        TimelineSource::Order => {
            let ret = return_number_of(&r.details);
            (r.summary, ret)
        }
        TimelineSource::StoreCredit => {
            let delta = r.delta.unwrap_or(0);
            let currency = r.currency.as_deref().unwrap_or("");
            let amount = match Currency::parse(currency, "currency") {
                Ok(c) => Money::new(delta.abs(), c).display(),
                Err(_) => format!("{} {currency}", delta.abs()),
            };
            let what = if delta >= 0 { "issued" } else { "spent" };
            (
                format!("Store credit {what}: {amount} ({})", r.summary),
                r.return_number,
            )
        }
    };
    TimelineEntry {
        id: r.id,
        source,
        kind: r.kind,
        summary,
        actor: r.actor,
        at: r.at,
        order_id: r.order_id,
        order_number: r.order_seq.map(order_number),
        return_number,
        amount: r.delta,
        currency: r.currency,
    }
}
