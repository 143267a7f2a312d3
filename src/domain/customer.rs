//! What the customer page shows: a customer's profile with their figures (orders, open orders,
//! lifetime spend per currency, returns, store credit) and their timeline — every event of their
//! orders merged with their store-credit ledger, newest first — with the keyset cursor that pages
//! it. Pure types and rules; the statements are in `db::customers`.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::address::Address;
use super::order::OrderStatus;
use crate::error::{Error, Result};

/// An order is open while the shop still owes the customer something: it is neither delivered,
/// completed, cancelled nor (partially) returned. A shipped order is open until it is delivered.
pub fn is_open(status: OrderStatus) -> bool {
    match status {
        OrderStatus::Open
        | OrderStatus::Backordered
        | OrderStatus::InProgress
        | OrderStatus::PartiallyShipped
        | OrderStatus::Shipped => true,
        OrderStatus::Delivered
        | OrderStatus::Completed
        | OrderStatus::Cancelled
        | OrderStatus::PartiallyReturned
        | OrderStatus::Returned => false,
    }
}

/// Money spent in one currency: captured less refunded, minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spend {
    pub currency: String,
    pub amount: i64,
}

/// A customer's profile and figures, for the customer page and `customers show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerDetail {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub addresses: Vec<Address>,
    pub created_at: DateTime<Utc>,
    /// Every order, whatever its status.
    pub order_count: i64,
    /// Orders in a status where [`is_open`] holds.
    pub open_orders: i64,
    /// Captured less refunded over the customer's payments, per currency (alphabetical).
    pub lifetime_spend: Vec<Spend>,
    /// Returns of their orders, cancelled ones left out.
    pub return_count: i64,
    /// The store-credit balance (the sum of the ledger) in `store_credit_currency`.
    pub store_credit: i64,
    pub store_credit_currency: String,
    pub last_order_at: Option<DateTime<Utc>>,
}

/// Where a timeline entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineSource {
    /// An `order_events` row of one of the customer's orders.
    Order,
    /// A row of the customer's store-credit ledger.
    StoreCredit,
}

/// One line of a customer's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    /// The row's own id (an order event's or a store-credit row's); with `at`, the page key.
    pub id: Uuid,
    pub source: TimelineSource,
    /// The order event's kind (`created`, `status`, `return_authorized`, `refund`, …), or
    /// `store_credit_issued` / `store_credit_spent` for ledger rows.
    pub kind: String,
    pub summary: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub order_id: Option<Uuid>,
    pub order_number: Option<String>,
    /// The return the entry is about, when its details name one.
    pub return_number: Option<String>,
    /// Store-credit rows: the change of the balance (negative when spent), minor units.
    pub amount: Option<i64>,
    pub currency: Option<String>,
}

/// Where the next page of a timeline starts: strictly older than this entry (time, then id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineCursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl TimelineCursor {
    pub fn after(entry: &TimelineEntry) -> Self {
        TimelineCursor {
            at: entry.at,
            id: entry.id,
        }
    }

    /// An opaque text for shells to hand back: `<RFC 3339 time>_<uuid>`.
    pub fn token(&self) -> String {
        format!(
            "{}_{}",
            self.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            self.id
        )
    }

    /// Reads a [`token`](Self::token); `field` names the input for the error.
    pub fn parse(token: &str, field: &str) -> Result<Self> {
        let bad = || {
            Error::invalid(
                field,
                format!(
                    "'{token}' is not a timeline position: pass back the `next` value of the previous page, or nothing for the newest entries"
                ),
            )
        };
        let (at, id) = token.trim().split_once('_').ok_or_else(bad)?;
        let at = DateTime::parse_from_rfc3339(at)
            .map_err(|_| bad())?
            .with_timezone(&Utc);
        let id = Uuid::parse_str(id).map_err(|_| bad())?;
        Ok(TimelineCursor { at, id })
    }
}

/// One page of a customer's timeline, newest first; `next` is `None` on the last page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerTimelinePage {
    pub entries: Vec<TimelineEntry>,
    #[serde(serialize_with = "cursor_token")]
    pub next: Option<TimelineCursor>,
}

fn cursor_token<S: serde::Serializer>(
    c: &Option<TimelineCursor>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match c {
        Some(c) => s.serialize_some(&c.token()),
        None => s.serialize_none(),
    }
}

/// The return number an order event's details name (`{"return": "R-10001-1", …}`), if any.
pub fn return_number_of(details: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(details).ok()?;
    v.get("return")?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn cursors_round_trip_and_bad_ones_name_the_field() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 2, 10, 0, 0)
            .single()
            .expect("t")
            + chrono::Duration::microseconds(120);
        let c = TimelineCursor {
            at,
            id: Uuid::now_v7(),
        };
        assert_eq!(TimelineCursor::parse(&c.token(), "before").expect("ok"), c);
        let e = TimelineCursor::parse("yesterday", "before").expect_err("bad");
        assert_eq!(e.field(), Some("before"));
    }

    #[test]
    fn open_orders_are_those_not_yet_delivered_or_closed() {
        let open: Vec<&str> = OrderStatus::ALL
            .into_iter()
            .filter(|s| is_open(*s))
            .map(|s| s.as_str())
            .collect();
        assert_eq!(
            open,
            [
                "open",
                "backordered",
                "in_progress",
                "partially_shipped",
                "shipped"
            ]
        );
    }

    #[test]
    fn return_numbers_come_from_event_details() {
        assert_eq!(
            return_number_of(r#"{"return":"R-10001-1","amount":5}"#).as_deref(),
            Some("R-10001-1")
        );
        assert_eq!(return_number_of(r#"{"from":"open"}"#), None);
        assert_eq!(return_number_of("not json"), None);
    }
}
