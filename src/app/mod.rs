//! The application facade: one method per use case, each validating its input, doing its work in
//! one transaction and recording what happened. Shells (desktop, command line, HTTP) call only this.

mod catalog;
mod customers;
pub mod documents;
pub mod fulfilment;
mod inventory;
pub mod mail;
mod orders;
mod rates;
mod refs;
mod reroute;
pub mod returns;
pub mod routing;
mod routing_settings;
pub mod what_if;

use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};

use crate::db::{self, Db, DbKind, redact_url};
use crate::domain::address::Address;
use crate::domain::catalog::Channel;
use crate::domain::ids::new_id;
use crate::domain::money::Currency;
use crate::domain::order::MAX_TAX_RATE_BP;
use crate::error::{Error, Result};

pub use inventory::{AdjustStock, ReceiveStock, TransferStock};

/// Where the time comes from; tests pass a fixed clock.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock, truncated to microseconds so both databases store exactly what was read.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// Who is acting: a user name, `cli`, `api` or `system`. Recorded on every ledger row and event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    pub fn new(name: impl Into<String>) -> Self {
        Actor(name.into())
    }
    pub fn system() -> Self {
        Actor("system".into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub database_kind: &'static str,
    pub database_url: String,
    pub business_name: String,
    pub currency: String,
    pub demo_loaded: bool,
}

/// The shop's own details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub business_name: String,
    pub currency: String,
    pub business_address: Option<Address>,
    pub business_email: Option<String>,
    pub business_phone: Option<String>,
    pub default_tax_rate_bp: i64,
}

/// A page of rows and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    /// `total` is not exact: the count stopped at a cap (`db::orders::COUNT_CAP`, shown as
    /// "10,000+") or is the planner's estimate of a large table (PostgreSQL, no filter).
    pub total_is_capped: bool,
}

/// The sales channels every shop starts with.
pub const DEFAULT_CHANNELS: [(&str, &str, i64); 4] = [
    ("COUNTER", "Counter", 0),
    ("WEB", "Web store", 0),
    ("MARKETPLACE", "Marketplace", 2),
    ("PHONE", "Phone", 0),
];

const KEY_BUSINESS_NAME: &str = "business_name";
const KEY_CURRENCY: &str = "currency";
const KEY_BUSINESS_ADDRESS: &str = "business_address";
const KEY_BUSINESS_EMAIL: &str = "business_email";
const KEY_BUSINESS_PHONE: &str = "business_phone";
const KEY_TAX_RATE: &str = "default_tax_rate_bp";
pub(crate) const KEY_DEMO: &str = "demo_loaded";

/// The application: a database and a clock.
#[derive(Clone)]
pub struct App {
    db: Db,
    url: String,
    clock: Arc<dyn Clock>,
    refs: Arc<refs::RefCache>,
}

impl App {
    /// Opens (creating and migrating if needed) the database at `url`.
    pub async fn open(url: &str) -> Result<App> {
        Self::open_with_clock(url, Arc::new(SystemClock)).await
    }

    pub async fn open_with_clock(url: &str, clock: Arc<dyn Clock>) -> Result<App> {
        let db = Db::connect(url).await?;
        let app = App {
            db,
            url: url.to_owned(),
            clock,
            refs: Arc::default(),
        };
        routing::warm_geocoder();
        app.ensure_defaults().await?;
        Ok(app)
    }

    /// A second handle on the same database for loading generated data fast (see
    /// [`db::Durability::Bulk`]), reading time from `clock`. Close it when done.
    pub async fn bulk_loader(&self, clock: Arc<dyn Clock>) -> Result<App> {
        let db = match self.db.kind() {
            DbKind::Sqlite => Db::connect_with(&self.url, db::Durability::Bulk).await?,
            DbKind::Postgres => self.db.clone(),
        };
        Ok(App {
            db,
            url: self.url.clone(),
            clock,
            refs: self.refs.clone(),
        })
    }

    /// The same application on the same database, reading time from another clock.
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> App {
        App {
            db: self.db.clone(),
            url: self.url.clone(),
            clock,
            refs: self.refs.clone(),
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub async fn close(&self) {
        self.db.close().await;
    }

    /// Creates the default channels and settings a shop needs, once.
    async fn ensure_defaults(&self) -> Result<()> {
        let now = self.now();
        crate::db::write!(self.db, |tx| {
            for (code, name, buffer) in DEFAULT_CHANNELS {
                let ch = Channel {
                    id: new_id(),
                    code: code.into(),
                    name: name.into(),
                    safety_stock: buffer,
                };
                db::catalog::insert_channel(tx, &ch, now).await?;
            }
            if db::settings::get(tx, KEY_CURRENCY).await?.is_none() {
                db::settings::set(tx, KEY_CURRENCY, "USD").await?;
                db::settings::set(tx, KEY_BUSINESS_NAME, "My Shop").await?;
                db::settings::set(tx, KEY_TAX_RATE, "0").await?;
            }
            Ok(())
        })
    }

    pub async fn info(&self) -> Result<AppInfo> {
        let s = self.settings().await?;
        let mut conn = self.db.read().await?;
        let demo = db::settings::get(&mut conn, KEY_DEMO).await?.is_some();
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION"),
            database_kind: self.db.kind().as_str(),
            database_url: redact_url(&self.url),
            business_name: s.business_name,
            currency: s.currency,
            demo_loaded: demo,
        })
    }

    pub fn database_kind(&self) -> DbKind {
        self.db.kind()
    }

    pub async fn settings(&self) -> Result<Settings> {
        let mut c = self.db.read().await?;
        let get = async |c: &mut db::Conn, k: &str| db::settings::get(c, k).await;
        let address = match get(&mut c, KEY_BUSINESS_ADDRESS).await? {
            Some(a) => Some(serde_json::from_str(&a).map_err(|e| {
                Error::Internal(format!("stored business address unreadable: {e}"))
            })?),
            None => None,
        };
        Ok(Settings {
            business_name: get(&mut c, KEY_BUSINESS_NAME)
                .await?
                .unwrap_or_else(|| "My Shop".into()),
            currency: get(&mut c, KEY_CURRENCY)
                .await?
                .unwrap_or_else(|| "USD".into()),
            business_address: address,
            business_email: get(&mut c, KEY_BUSINESS_EMAIL).await?,
            business_phone: get(&mut c, KEY_BUSINESS_PHONE).await?,
            default_tax_rate_bp: get(&mut c, KEY_TAX_RATE)
                .await?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        })
    }

    pub(crate) async fn currency(&self) -> Result<Currency> {
        let mut c = self.db.read().await?;
        let code = db::settings::get(&mut c, KEY_CURRENCY)
            .await?
            .unwrap_or_else(|| "USD".into());
        Currency::parse(&code, "currency")
    }

    /// Checks and saves the shop's details.
    pub async fn save_settings(&self, s: Settings) -> Result<Settings> {
        let name = s.business_name.trim().to_owned();
        if name.is_empty() {
            return Err(Error::invalid(
                "businessName",
                "The business name is empty: enter the shop's name",
            ));
        }
        let currency = Currency::parse(&s.currency, "currency")?;
        if !(0..=MAX_TAX_RATE_BP).contains(&s.default_tax_rate_bp) {
            return Err(Error::invalid(
                "defaultTaxRateBp",
                "The tax rate must be between 0% and 100%",
            ));
        }
        let address = s
            .business_address
            .map(|a| a.validated("businessAddress"))
            .transpose()?;
        let contact = crate::domain::catalog::CustomerDraft {
            name: name.clone(),
            email: s.business_email,
            phone: s.business_phone,
            address: None,
        }
        .validate("")
        .map_err(|e| match e {
            Error::Invalid { field, message } => Error::Invalid {
                field: match field.as_str() {
                    "email" => "businessEmail".into(),
                    "phone" => "businessPhone".into(),
                    _ => field,
                },
                message,
            },
            other => other,
        })?;
        let address_json = address
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| Error::Internal(e.to_string()))?;
        crate::db::write!(self.db, |tx| {
            // The shop currency cannot change once products are priced in another.
            let current = db::settings::get(tx, KEY_CURRENCY).await?;
            if current.as_deref() != Some(currency.code()) {
                let (products, _) = db::catalog::list_products(tx, None, 0, 1).await?;
                if !products.is_empty() {
                    return Err(Error::invalid(
                        "currency",
                        "The currency cannot change while products are priced in the current one: clear the data first",
                    ));
                }
            }
            db::settings::set(tx, KEY_BUSINESS_NAME, &name).await?;
            db::settings::set(tx, KEY_CURRENCY, currency.code()).await?;
            db::settings::set(tx, KEY_TAX_RATE, &s.default_tax_rate_bp.to_string()).await?;
            match &address_json {
                Some(a) => db::settings::set(tx, KEY_BUSINESS_ADDRESS, a).await?,
                None => db::settings::delete(tx, KEY_BUSINESS_ADDRESS).await?,
            }
            for (key, value) in [
                (KEY_BUSINESS_EMAIL, &contact.email),
                (KEY_BUSINESS_PHONE, &contact.phone),
            ] {
                match value {
                    Some(v) => db::settings::set(tx, key, v).await?,
                    None => db::settings::delete(tx, key).await?,
                }
            }
            Ok(())
        })?;
        self.refs_changed();
        self.settings().await
    }

    /// Deletes all shop data (orders, stock, products, customers, locations) and the demo marker,
    /// keeping the business details; the default channels come back.
    pub async fn clear_data(&self) -> Result<AppInfo> {
        crate::db::write!(self.db, |tx| {
            db::settings::clear_shop_data(tx).await?;
            db::settings::delete(tx, KEY_DEMO).await
        })?;
        self.refs_changed();
        self.products_changed();
        tracing::info!("all shop data cleared");
        self.ensure_defaults().await?;
        self.info().await
    }
}
