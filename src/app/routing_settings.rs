//! Use cases for the routing settings: read the version in force, its history, and save a new
//! version (validated against the shop's channels and locations, logged, never overwritten).

use super::{Actor, App};
use crate::db;
use crate::domain::routing_rules::{RoutingSettings, RoutingSettingsVersion};
use crate::error::{Error, Result};

impl App {
    /// The routing settings in force (version 0 = the built-in defaults, nothing saved yet).
    pub async fn routing_settings(&self) -> Result<RoutingSettingsVersion> {
        let mut c = self.db.read().await?;
        Ok(db::routing::current(&mut c)
            .await?
            .unwrap_or_else(|| RoutingSettingsVersion {
                version: 0,
                settings: RoutingSettings::default(),
                note: Some("Built-in defaults".into()),
                created_by: "system".into(),
                created_at: None,
            }))
    }

    /// Saved versions, newest first (at most `limit`).
    pub async fn routing_history(&self, limit: i64) -> Result<Vec<RoutingSettingsVersion>> {
        let mut c = self.db.read().await?;
        db::routing::history(&mut c, limit.clamp(1, 1000)).await
    }

    /// Checks `settings` and saves them as the next version, which routes every order from now on.
    pub async fn save_routing_settings(
        &self,
        actor: &Actor,
        settings: RoutingSettings,
        note: Option<&str>,
    ) -> Result<RoutingSettingsVersion> {
        let settings = self.validate_routing_settings(settings).await?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > 500) {
            return Err(Error::invalid(
                "note",
                "The note is limited to 500 characters",
            ));
        }
        let now = self.now();
        let version = crate::db::write!(self.db, |tx| {
            db::routing::insert_version(tx, &settings, note, actor.as_str(), now).await
        })?;
        self.refs_changed();
        tracing::info!(
            version,
            actor = actor.as_str(),
            objective = settings.objective.as_str(),
            "routing settings saved"
        );
        Ok(RoutingSettingsVersion {
            version,
            settings,
            note: note.map(str::to_owned),
            created_by: actor.as_str().to_owned(),
            created_at: Some(now),
        })
    }

    /// `settings` checked against the shop's channels and locations, codes normalised.
    pub async fn validate_routing_settings(
        &self,
        settings: RoutingSettings,
    ) -> Result<RoutingSettings> {
        let channels: Vec<String> = self.channels().await?.into_iter().map(|c| c.code).collect();
        let locations: Vec<String> = self
            .locations()
            .await?
            .into_iter()
            .map(|l| l.code)
            .collect();
        settings.validated(&channels, &locations)
    }
}
