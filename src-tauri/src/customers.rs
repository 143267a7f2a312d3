//! Transport types and conversions for the customer page (profile with figures, orders, timeline
//! of order events and store credit). Kept apart from `dto.rs` / `convert.rs` only for size; the
//! same rules apply: the UI sees these shapes, the core never does.

use orderly::Error;
use orderly::domain::customer::{
    CustomerDetail, CustomerTimelinePage, TimelineCursor, TimelineEntry, TimelineSource,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::convert::{address, money, time};
use crate::dto::{AddressDto, MoneyDto};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDetailDto {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub addresses: Vec<AddressDto>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub order_count: i64,
    /// Orders not yet delivered, completed, cancelled or returned.
    pub open_orders: i64,
    /// Captured less refunded, one amount per currency.
    pub lifetime_spend: Vec<MoneyDto>,
    /// Returns of their orders, cancelled ones left out.
    pub return_count: i64,
    pub store_credit: MoneyDto,
    /// RFC 3339, UTC; none before the first order.
    pub last_order_at: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TimelineSourceDto {
    Order,
    StoreCredit,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerTimelineEntryDto {
    pub id: String,
    pub source: TimelineSourceDto,
    /// The order event's kind (`created`, `refund`, `return_received`, …) or
    /// `store_credit_issued` / `store_credit_spent`.
    pub kind: String,
    pub summary: String,
    pub actor: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub order_id: Option<String>,
    pub order_number: Option<String>,
    pub return_number: Option<String>,
    /// Store-credit rows: the change of the balance (negative when spent).
    pub amount: Option<MoneyDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerTimelinePageDto {
    pub entries: Vec<CustomerTimelineEntryDto>,
    /// Pass back as `before` for the next (older) page; none on the last page.
    pub next: Option<String>,
}

pub fn detail(d: CustomerDetail) -> CustomerDetailDto {
    CustomerDetailDto {
        id: d.id.to_string(),
        name: d.name,
        email: d.email,
        phone: d.phone,
        addresses: d.addresses.into_iter().map(address).collect(),
        created_at: time(d.created_at),
        order_count: d.order_count,
        open_orders: d.open_orders,
        lifetime_spend: d
            .lifetime_spend
            .iter()
            .map(|s| money(s.amount, &s.currency))
            .collect(),
        return_count: d.return_count,
        store_credit: money(d.store_credit, &d.store_credit_currency),
        last_order_at: d.last_order_at.map(time),
    }
}

fn entry(e: TimelineEntry) -> CustomerTimelineEntryDto {
    CustomerTimelineEntryDto {
        id: e.id.to_string(),
        source: match e.source {
            TimelineSource::Order => TimelineSourceDto::Order,
            TimelineSource::StoreCredit => TimelineSourceDto::StoreCredit,
        },
        kind: e.kind,
        summary: e.summary,
        actor: e.actor,
        at: time(e.at),
        order_id: e.order_id.map(|i| i.to_string()),
        order_number: e.order_number,
        return_number: e.return_number,
        amount: match (e.amount, e.currency) {
            (Some(a), Some(c)) => Some(money(a, &c)),
            _ => None,
        },
    }
}

pub fn timeline(p: CustomerTimelinePage) -> CustomerTimelinePageDto {
    CustomerTimelinePageDto {
        next: p.next.map(|c| c.token()),
        entries: p.entries.into_iter().map(entry).collect(),
    }
}

/// The `before` argument of `customer_timeline`: absent or empty for the newest entries.
pub fn cursor(before: Option<String>) -> Result<Option<TimelineCursor>, Error> {
    before
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| TimelineCursor::parse(b, "before"))
        .transpose()
}
