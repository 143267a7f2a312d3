//! Use cases for carriers, services and rate cards: read the version in force and its history,
//! save a new version (validated against the shop's locations, never overwritten), and quote a
//! shipment (rate shopping from a location to an address for a promised date).

use chrono::NaiveDate;

use super::{Actor, App, routing};
use crate::db;
use crate::domain::address::Address;
use crate::domain::rates::{self, Place, RateCards, RateCardsVersion, RateShop, Shipment};
use crate::error::{Error, Result};
use crate::routing::Point;

/// Heaviest shipment a quote accepts (1 tonne).
const MAX_QUOTE_GRAMS: i64 = 1_000_000;

impl App {
    /// The rate cards in force (version 0: none saved yet, no carriers, the shop's currency).
    pub async fn rate_cards(&self) -> Result<RateCardsVersion> {
        let mut c = self.db.read().await?;
        if let Some(v) = db::rates::current(&mut c).await? {
            return Ok(v);
        }
        drop(c);
        Ok(RateCardsVersion {
            version: 0,
            cards: RateCards {
                currency: self.currency().await?.code().to_owned(),
                carriers: Vec::new(),
            },
            note: Some("No rate cards yet: routing uses each location's simple rate".into()),
            created_by: "system".into(),
            created_at: None,
        })
    }

    /// Saved versions, newest first (at most `limit`).
    pub async fn rate_card_history(&self, limit: i64) -> Result<Vec<RateCardsVersion>> {
        let mut c = self.db.read().await?;
        db::rates::history(&mut c, limit.clamp(1, 1000)).await
    }

    /// Checks `cards` and saves them as the next version, which prices shipments and routing from
    /// now on. The currency must be the shop's.
    pub async fn save_rate_cards(
        &self,
        actor: &Actor,
        cards: RateCards,
        note: Option<&str>,
    ) -> Result<RateCardsVersion> {
        let locations: Vec<String> = self
            .locations()
            .await?
            .into_iter()
            .map(|l| l.code)
            .collect();
        let cards = cards.validated(&locations)?;
        let shop = self.currency().await?;
        if cards.currency != shop.code() {
            return Err(Error::invalid(
                "currency",
                format!(
                    "The rate cards are in {} but the shop sells in {}: price them in {}",
                    cards.currency,
                    shop.code(),
                    shop.code()
                ),
            ));
        }
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > 500) {
            return Err(Error::invalid(
                "note",
                "The note is limited to 500 characters",
            ));
        }
        let now = self.now();
        let version = crate::db::write!(self.db, |tx| {
            db::rates::insert_version(tx, &cards, note, actor.as_str(), now).await
        })?;
        self.refs_changed();
        tracing::info!(
            version,
            actor = actor.as_str(),
            carriers = cards.carriers.len(),
            "rate cards saved"
        );
        Ok(RateCardsVersion {
            version,
            cards,
            note: note.map(str::to_owned),
            created_by: actor.as_str().to_owned(),
            created_at: Some(now),
        })
    }

    /// Rate shopping for a shipment of `weight_grams` in `packages` packages from the location
    /// `location_code` to `ship_to`, shipped today (the app's clock): every service, cheapest
    /// first, and the one to use for `promised_by`.
    pub async fn quote_shipment(
        &self,
        location_code: &str,
        ship_to: &Address,
        weight_grams: i64,
        packages: i64,
        promised_by: Option<NaiveDate>,
    ) -> Result<RateShop> {
        if !(0..=MAX_QUOTE_GRAMS).contains(&weight_grams) {
            return Err(Error::invalid(
                "weight",
                format!("Enter a weight from 0 to {} kg", MAX_QUOTE_GRAMS / 1000),
            ));
        }
        if !(1..=100).contains(&packages) {
            return Err(Error::invalid("packages", "Enter from 1 to 100 packages"));
        }
        let code = location_code.trim().to_ascii_uppercase();
        let refs = self.refs().await?;
        let Some(loc) = refs.locations.iter().find(|l| l.code == code) else {
            return Err(Error::invalid(
                "from",
                format!(
                    "No location has the code \"{code}\": use one of {}",
                    refs.locations
                        .iter()
                        .map(|l| l.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let today = self.now().date_naive();
        if promised_by.is_some_and(|p| p < today) {
            return Err(Error::invalid(
                "promisedBy",
                format!("The promised date is before today ({today}): enter today or later"),
            ));
        }
        let to_point = match routing::geocode_remembered(ship_to) {
            Some(p) => p,
            None => {
                let a = ship_to.clone();
                tokio::task::spawn_blocking(move || routing::geocode(&a))
                    .await
                    .map_err(|e| Error::Internal(format!("geocoding failed: {e}")))?
            }
        };
        let from = Place {
            point: Some(Point {
                lat: loc.latitude,
                lon: loc.longitude,
            }),
            postal_code: loc.address.postal_code.clone(),
        };
        let to = Place {
            point: to_point,
            postal_code: ship_to.postal_code.clone(),
        };
        Ok(rates::shop(
            &refs.rates.cards,
            &Shipment {
                from_location: &loc.code,
                from: &from,
                to: &to,
                weight_grams,
                packages,
                residential: ship_to.company.is_none(),
            },
            today,
            promised_by,
        ))
    }
}
