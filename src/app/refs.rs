//! Reference data every capture needs (channels, locations, currency, default tax rate, routing
//! settings, rate cards), kept in memory for a moment so a busy till or an import does not read it again for
//! every order. This process's own changes drop it at once; changes made by another desktop on a
//! shared PostgreSQL are seen within [`FRESH_FOR`]. Products scanned or imported are kept the same
//! way. Stock is never cached: it is read inside the capture's write transaction.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{App, KEY_TAX_RATE};
use crate::db;
use crate::domain::catalog::{Channel, Location, Product};
use crate::domain::money::Currency;
use crate::domain::rates::RateCardsVersion;
use crate::domain::routing_rules::RoutingSettingsVersion;
use crate::error::Result;

/// How long reference data read from the database is used before it is read again.
pub const FRESH_FOR: Duration = Duration::from_secs(2);

pub struct RefData {
    pub channels: Vec<Channel>,
    pub locations: Vec<Location>,
    pub currency: Currency,
    pub tax_rate_bp: i64,
    pub routing: RoutingSettingsVersion,
    /// The rate cards in force (no carriers: routing uses each location's simple rate).
    pub rates: RateCardsVersion,
}

#[derive(Default)]
pub struct RefCache {
    slot: Mutex<Option<(Instant, Arc<RefData>)>>,
    /// Products by `S:` + SKU and `B:` + barcode, with when they were read.
    products: Mutex<HashMap<String, (Instant, Product)>>,
}

/// Most products kept; past it the cache starts over.
const MAX_PRODUCTS: usize = 100_000;

impl App {
    /// The reference data, read again when older than [`FRESH_FOR`] or changed here.
    pub(crate) async fn refs(&self) -> Result<Arc<RefData>> {
        if let Ok(slot) = self.refs.slot.lock()
            && let Some((at, data)) = slot.as_ref()
            && at.elapsed() < FRESH_FOR
        {
            return Ok(data.clone());
        }
        let read_at = Instant::now();
        let channels = self.channels().await?;
        let locations = self.locations().await?;
        let currency = self.currency().await?;
        let tax_rate_bp = {
            let mut c = self.db.read().await?;
            db::settings::get(&mut c, KEY_TAX_RATE)
                .await?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        let routing = self.routing_settings().await?;
        let rates = self.rate_cards().await?;
        let data = Arc::new(RefData {
            channels,
            locations,
            currency,
            tax_rate_bp,
            routing,
            rates,
        });
        if let Ok(mut slot) = self.refs.slot.lock() {
            // Keep a newer read made meanwhile by another task.
            if slot.as_ref().is_none_or(|(at, _)| *at < read_at) {
                *slot = Some((read_at, data.clone()));
            }
        }
        Ok(data)
    }

    /// Drops the cached reference data: call after changing channels, locations, settings,
    /// routing settings or rate cards.
    pub(crate) fn refs_changed(&self) {
        if let Ok(mut slot) = self.refs.slot.lock() {
            *slot = None;
        }
    }

    /// Products by SKU (any case) or barcode, from memory when read less than [`FRESH_FOR`] ago,
    /// else in one statement. Codes that match nothing are left out.
    pub(crate) async fn products_by_codes(&self, codes: &[String]) -> Result<Vec<Product>> {
        let mut found: Vec<Product> = Vec::with_capacity(codes.len());
        let mut missing: Vec<String> = Vec::new();
        if let Ok(cache) = self.refs.products.lock() {
            for code in codes {
                let code = code.trim();
                let hit = cache
                    .get(&format!("S:{}", code.to_ascii_uppercase()))
                    .or_else(|| cache.get(&format!("B:{code}")))
                    .filter(|(at, _)| at.elapsed() < FRESH_FOR);
                match hit {
                    Some((_, p)) => found.push(p.clone()),
                    None => missing.push(code.to_owned()),
                }
            }
        } else {
            missing = codes.to_vec();
        }
        if missing.is_empty() {
            return Ok(found);
        }
        let read_at = Instant::now();
        let fresh = {
            let mut c = self.db.read().await?;
            db::catalog::products_by_codes(&mut c, &missing).await?
        };
        if let Ok(mut cache) = self.refs.products.lock() {
            if cache.len() > MAX_PRODUCTS {
                cache.clear();
            }
            for p in &fresh {
                cache.insert(format!("S:{}", p.sku), (read_at, p.clone()));
                if let Some(b) = &p.barcode {
                    cache.insert(format!("B:{b}"), (read_at, p.clone()));
                }
            }
        }
        found.extend(fresh);
        Ok(found)
    }

    /// Drops cached products: call after adding or changing one.
    pub(crate) fn products_changed(&self) {
        if let Ok(mut cache) = self.refs.products.lock() {
            cache.clear();
        }
    }
}
