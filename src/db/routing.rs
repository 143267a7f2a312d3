//! Statements for routing settings versions and the routing decisions stored on orders.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executes, on_conn};
use crate::domain::routing_rules::{
    OrderRoute, RoutePlan, RoutingSettings, RoutingSettingsVersion,
};
use crate::error::{Error, Result};

type VersionRow = (i64, String, Option<String>, String, DateTime<Utc>);

fn version_of(r: VersionRow) -> Result<RoutingSettingsVersion> {
    let settings: RoutingSettings = serde_json::from_str(&r.1).map_err(|e| {
        Error::Internal(format!(
            "routing settings version {} is unreadable: {e}",
            r.0
        ))
    })?;
    Ok(RoutingSettingsVersion {
        version: r.0,
        settings,
        note: r.2,
        created_by: r.3,
        created_at: Some(r.4),
    })
}

/// The version in force (the highest), if any was saved.
pub async fn current(ex: &mut impl Executes) -> Result<Option<RoutingSettingsVersion>> {
    let row: Option<VersionRow> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT version, settings, note, created_by, created_at FROM routing_settings \
         ORDER BY version DESC LIMIT 1"
    )
    .fetch_optional(&mut *c)
    .await?);
    row.map(version_of).transpose()
}

/// Every saved version, newest first.
pub async fn history(ex: &mut impl Executes, limit: i64) -> Result<Vec<RoutingSettingsVersion>> {
    let rows: Vec<VersionRow> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT version, settings, note, created_by, created_at FROM routing_settings \
         ORDER BY version DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(&mut *c)
    .await?);
    rows.into_iter().map(version_of).collect()
}

/// Saves `settings` as the version after the newest; a concurrent save of the same number fails
/// on the primary key and is retried by the caller's transaction loop.
pub async fn insert_version(
    ex: &mut impl Executes,
    settings: &RoutingSettings,
    note: Option<&str>,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<i64> {
    let text = serde_json::to_string(settings).map_err(|e| Error::Internal(e.to_string()))?;
    let row: (i64,) = on_conn!(ex, |c| {
        sqlx::query_as(
        "INSERT INTO routing_settings (version, settings, note, created_by, created_at) \
         SELECT COALESCE(MAX(version), 0) + 1, $1, $2, $3, $4 FROM routing_settings RETURNING version"
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

/// A routing decision to store with its order.
pub struct RouteInsert<'a> {
    pub order_id: Uuid,
    pub kind: &'a str,
    pub settings_version: i64,
    pub plan: &'a RoutePlan,
    pub actor: &'a str,
    pub at: DateTime<Utc>,
}

pub async fn insert_route(ex: &mut impl Executes, r: &RouteInsert<'_>) -> Result<()> {
    let plan = serde_json::to_string(r.plan).map_err(|e| Error::Internal(e.to_string()))?;
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO order_routes (id, order_id, kind, settings_version, objective, total_cost, plan, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(crate::domain::ids::new_id())
    .bind(r.order_id)
    .bind(r.kind)
    .bind(r.settings_version)
    .bind(r.plan.objective.as_str())
    .bind(r.plan.total_cost)
    .bind(&plan)
    .bind(r.actor)
    .bind(r.at)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

/// The routing decisions of an order, oldest first.
pub async fn routes_of(ex: &mut impl Executes, order_id: Uuid) -> Result<Vec<OrderRoute>> {
    let rows: Vec<(String, i64, String, String, DateTime<Utc>)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT kind, settings_version, plan, created_by, created_at FROM order_routes \
         WHERE order_id = $1 ORDER BY created_at, id"
    )
    .bind(order_id)
    .fetch_all(&mut *c)
    .await?);
    rows.into_iter()
        .map(|(kind, settings_version, plan, created_by, created_at)| {
            let plan: RoutePlan = serde_json::from_str(&plan)
                .map_err(|e| Error::Internal(format!("a stored route is unreadable: {e}")))?;
            Ok(OrderRoute {
                kind,
                settings_version,
                plan,
                created_by,
                created_at,
            })
        })
        .collect()
}
