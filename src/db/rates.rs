//! Statements for the rate-card versions (append-only, the highest in force).

use chrono::{DateTime, Utc};

use super::{Executes, on_conn};
use crate::domain::rates::{RateCards, RateCardsVersion};
use crate::error::{Error, Result};

type VersionRow = (i64, String, Option<String>, String, DateTime<Utc>);

fn version_of(r: VersionRow) -> Result<RateCardsVersion> {
    let cards: RateCards = serde_json::from_str(&r.1)
        .map_err(|e| Error::Internal(format!("rate cards version {} are unreadable: {e}", r.0)))?;
    Ok(RateCardsVersion {
        version: r.0,
        cards,
        note: r.2,
        created_by: r.3,
        created_at: Some(r.4),
    })
}

/// The version in force (the highest), if any was saved.
pub async fn current(ex: &mut impl Executes) -> Result<Option<RateCardsVersion>> {
    let row: Option<VersionRow> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT version, cards, note, created_by, created_at FROM rate_cards \
         ORDER BY version DESC LIMIT 1"
    )
    .fetch_optional(&mut *c)
    .await?);
    row.map(version_of).transpose()
}

/// Saved versions, newest first.
pub async fn history(ex: &mut impl Executes, limit: i64) -> Result<Vec<RateCardsVersion>> {
    let rows: Vec<VersionRow> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT version, cards, note, created_by, created_at FROM rate_cards \
         ORDER BY version DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(&mut *c)
    .await?);
    rows.into_iter().map(version_of).collect()
}

/// Saves `cards` as the version after the newest; a concurrent save of the same number fails on
/// the primary key and is retried by the caller's transaction loop.
pub async fn insert_version(
    ex: &mut impl Executes,
    cards: &RateCards,
    note: Option<&str>,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    let text = serde_json::to_string(cards).map_err(|e| Error::Internal(e.to_string()))?;
    let row: (i64,) = on_conn!(ex, |c| {
        sqlx::query_as(
            "INSERT INTO rate_cards (version, cards, note, created_by, created_at) \
             SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3, $4 FROM rate_cards RETURNING version",
        )
        .bind(&text)
        .bind(note)
        .bind(actor)
        .bind(at)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(row.0)
}
