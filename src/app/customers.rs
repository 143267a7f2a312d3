//! Use cases of the customer page: a customer's profile and figures, their orders, and their
//! timeline (order events and store credit, newest first, paged by a cursor). Read-only.

use uuid::Uuid;

use super::{App, Page};
use crate::db;
use crate::domain::customer::{CustomerDetail, CustomerTimelinePage, TimelineCursor};
use crate::domain::order::OrderSummary;
use crate::error::{Error, Result};

/// The most timeline entries or orders one call returns.
pub const MAX_PAGE: i64 = 200;

impl App {
    /// A customer's profile with their figures: orders, open orders, lifetime spend per currency
    /// (captured less refunded), returns, store credit and the date of their last order.
    pub async fn customer_detail(&self, id: Uuid) -> Result<CustomerDetail> {
        let currency = self.currency().await?;
        let mut c = self.db.read().await?;
        let p = db::customers::profile(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Customer", id.to_string()))?;
        let f = db::customers::order_figures(&mut c, id).await?;
        let store_credit = db::returns::store_credit_balance(&mut c, id).await?;
        Ok(CustomerDetail {
            id: p.id,
            name: p.name,
            email: p.email,
            phone: p.phone,
            addresses: p.addresses,
            created_at: p.created_at,
            order_count: f.order_count,
            open_orders: f.open_orders,
            lifetime_spend: f.lifetime_spend,
            return_count: f.return_count,
            store_credit,
            store_credit_currency: currency.code().to_owned(),
            last_order_at: f.last_order_at,
        })
    }

    /// The customer named by an id or an e-mail address (for the command line).
    pub async fn customer_id(&self, id_or_email: &str) -> Result<Uuid> {
        let key = id_or_email.trim();
        if let Ok(id) = Uuid::parse_str(key) {
            return Ok(id);
        }
        if !key.contains('@') {
            return Err(Error::invalid(
                "customer",
                format!("'{key}' is neither a customer id nor an e-mail address: give one of them"),
            ));
        }
        let mut c = self.db.read().await?;
        db::customers::id_by_email(&mut c, key)
            .await?
            .ok_or_else(|| Error::not_found("Customer", key.to_owned()))
    }

    /// A page of the customer's orders, newest first.
    pub async fn customer_orders(
        &self,
        id: Uuid,
        offset: i64,
        limit: i64,
    ) -> Result<Page<OrderSummary>> {
        let mut c = self.db.read().await?;
        self.customer_exists(&mut c, id).await?;
        let (rows, total) =
            db::customers::orders(&mut c, id, offset.max(0), limit.clamp(1, MAX_PAGE)).await?;
        Ok(Page {
            rows,
            total,
            total_is_capped: false,
        })
    }

    /// The customer's timeline, newest first: every event of their orders (with the order's
    /// number) and every store-credit row. `before` is the `next` of the previous page.
    pub async fn customer_timeline(
        &self,
        id: Uuid,
        before: Option<TimelineCursor>,
        limit: i64,
    ) -> Result<CustomerTimelinePage> {
        let mut c = self.db.read().await?;
        self.customer_exists(&mut c, id).await?;
        let (entries, more) =
            db::customers::timeline(&mut c, id, before, limit.clamp(1, MAX_PAGE)).await?;
        let next = if more {
            entries.last().map(TimelineCursor::after)
        } else {
            None
        };
        Ok(CustomerTimelinePage { entries, next })
    }

    async fn customer_exists(&self, c: &mut db::Conn, id: Uuid) -> Result<()> {
        match db::customers::profile(c, id).await? {
            Some(_) => Ok(()),
            None => Err(Error::not_found("Customer", id.to_string())),
        }
    }
}
