//! The shop's routing settings: what "best" means when an order is routed, and the hard rules a
//! plan must keep. Saved as numbered versions; the newest is in force and every routed order
//! records the version that routed it.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What the router optimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RoutingObjective {
    /// Lowest shipping and handling cost.
    #[default]
    Cost,
    /// Soonest delivery, then cost.
    Fastest,
    /// Keep stock balanced: take from locations with more cover, then cost.
    Balance,
    /// A weighted sum of cost, transit days and balance.
    Mix,
}

impl RoutingObjective {
    pub fn as_str(&self) -> &'static str {
        match self {
            RoutingObjective::Cost => "cost",
            RoutingObjective::Fastest => "fastest",
            RoutingObjective::Balance => "balance",
            RoutingObjective::Mix => "mix",
        }
    }
}

/// Weights of the `mix` objective: score = cost × `cost` + transit days per shipment × `days`
/// + Σ (units taken ÷ units held) × `balance`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MixWeights {
    pub cost: f64,
    pub days: f64,
    pub balance: f64,
}

impl Default for MixWeights {
    fn default() -> Self {
        MixWeights {
            cost: 1.0,
            days: 200.0,
            balance: 10_000.0,
        }
    }
}

/// Rules for orders of one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ChannelRule {
    /// Channel code (`WEB`).
    pub channel: String,
    /// Location codes allowed to ship this channel's orders; empty = every location.
    #[serde(default)]
    pub allowed_locations: Vec<String>,
    /// Ship each order of this channel whole, from one location.
    #[serde(default)]
    pub no_split: bool,
}

/// Rules for one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LocationRule {
    /// Location code (`ST-BKLYN`).
    pub location: String,
    /// Most shipments a day the location can send; none = no limit.
    #[serde(default)]
    pub daily_capacity: Option<i64>,
    /// Units of every SKU the location keeps back from shipping (a store's shelf minimum).
    #[serde(default)]
    pub keep_units: i64,
    /// Days between the order and the parcel leaving.
    #[serde(default = "one")]
    pub handling_days: i64,
}

fn one() -> i64 {
    1
}

/// One version of the routing settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutingSettings {
    #[serde(default)]
    pub objective: RoutingObjective,
    #[serde(default)]
    pub weights: MixWeights,
    /// Cost counted per unit left on backorder, in minor units (makes the router prefer a split
    /// or a dearer location over leaving units behind).
    #[serde(default = "default_penalty")]
    pub backorder_penalty_per_unit: i64,
    /// Most shipments one order may be split into; none = no limit.
    #[serde(default)]
    pub max_shipments: Option<i64>,
    /// Kilometres a parcel travels per transit day (estimates delivery days).
    #[serde(default = "default_km_per_day")]
    pub km_per_day: i64,
    /// Use dropship suppliers only for what own locations cannot ship.
    #[serde(default = "yes")]
    pub dropship_last: bool,
    #[serde(default)]
    pub channels: Vec<ChannelRule>,
    #[serde(default)]
    pub locations: Vec<LocationRule>,
}

fn default_penalty() -> i64 {
    crate::routing::DEFAULT_BACKORDER_PENALTY
}
fn default_km_per_day() -> i64 {
    800
}
fn yes() -> bool {
    true
}

impl Default for RoutingSettings {
    fn default() -> Self {
        RoutingSettings {
            objective: RoutingObjective::Cost,
            weights: MixWeights::default(),
            backorder_penalty_per_unit: default_penalty(),
            max_shipments: None,
            km_per_day: default_km_per_day(),
            dropship_last: true,
            channels: Vec::new(),
            locations: Vec::new(),
        }
    }
}

/// A saved version of the settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutingSettingsVersion {
    /// 0 for the built-in defaults (nothing saved yet).
    pub version: i64,
    pub settings: RoutingSettings,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl RoutingSettings {
    /// The rule for a channel, if any.
    pub fn channel(&self, code: &str) -> Option<&ChannelRule> {
        self.channels.iter().find(|c| c.channel == code)
    }

    /// The rule for a location, if any.
    pub fn location(&self, code: &str) -> Option<&LocationRule> {
        self.locations.iter().find(|l| l.location == code)
    }

    /// Checks the settings against the shop's channel and location codes; upper-cases codes and
    /// drops rules that say nothing. Errors name the field (`channels.1.allowedLocations.0`).
    pub fn validated(mut self, channels: &[String], locations: &[String]) -> Result<Self> {
        let w = self.weights;
        for (name, v) in [
            ("weights.cost", w.cost),
            ("weights.days", w.days),
            ("weights.balance", w.balance),
        ] {
            if !v.is_finite() || !(0.0..=1e9).contains(&v) {
                return Err(Error::invalid(
                    name,
                    "A weight must be a number from 0 to 1,000,000,000",
                ));
            }
        }
        if self.objective == RoutingObjective::Mix
            && w.cost == 0.0
            && w.days == 0.0
            && w.balance == 0.0
        {
            return Err(Error::invalid(
                "weights",
                "The mix objective needs at least one weight above 0",
            ));
        }
        if !(0..=100_000_000).contains(&self.backorder_penalty_per_unit) {
            return Err(Error::invalid(
                "backorderPenaltyPerUnit",
                "The backorder penalty must be from 0 to 100,000,000 minor units",
            ));
        }
        if let Some(m) = self.max_shipments
            && !(1..=50).contains(&m)
        {
            return Err(Error::invalid(
                "maxShipments",
                "Allow from 1 to 50 shipments per order, or leave it empty for no limit",
            ));
        }
        if !(50..=20_000).contains(&self.km_per_day) {
            return Err(Error::invalid(
                "kmPerDay",
                "Kilometres per transit day must be from 50 to 20,000",
            ));
        }
        let known = |list: &[String], code: &str| list.iter().any(|c| c == code);
        let mut seen: Vec<String> = Vec::new();
        for (i, c) in self.channels.iter_mut().enumerate() {
            c.channel = c.channel.trim().to_ascii_uppercase();
            if !known(channels, &c.channel) {
                return Err(Error::invalid(
                    format!("channels.{i}.channel"),
                    format!("There is no channel '{}'", c.channel),
                ));
            }
            if seen.contains(&c.channel) {
                return Err(Error::invalid(
                    format!("channels.{i}.channel"),
                    format!("{} has two rules: keep one", c.channel),
                ));
            }
            seen.push(c.channel.clone());
            for (j, l) in c.allowed_locations.iter_mut().enumerate() {
                *l = l.trim().to_ascii_uppercase();
                if !known(locations, l) {
                    return Err(Error::invalid(
                        format!("channels.{i}.allowedLocations.{j}"),
                        format!("There is no location '{l}'"),
                    ));
                }
            }
            c.allowed_locations.sort();
            c.allowed_locations.dedup();
        }
        self.channels
            .retain(|c| c.no_split || !c.allowed_locations.is_empty());
        let mut seen: Vec<String> = Vec::new();
        for (i, l) in self.locations.iter_mut().enumerate() {
            l.location = l.location.trim().to_ascii_uppercase();
            if !known(locations, &l.location) {
                return Err(Error::invalid(
                    format!("locations.{i}.location"),
                    format!("There is no location '{}'", l.location),
                ));
            }
            if seen.contains(&l.location) {
                return Err(Error::invalid(
                    format!("locations.{i}.location"),
                    format!("{} has two rules: keep one", l.location),
                ));
            }
            seen.push(l.location.clone());
            if let Some(cap) = l.daily_capacity
                && !(0..=1_000_000).contains(&cap)
            {
                return Err(Error::invalid(
                    format!("locations.{i}.dailyCapacity"),
                    "Daily capacity must be from 0 to 1,000,000 shipments, or empty for no limit",
                ));
            }
            if !(0..=1_000_000).contains(&l.keep_units) {
                return Err(Error::invalid(
                    format!("locations.{i}.keepUnits"),
                    "Units kept back must be from 0 to 1,000,000",
                ));
            }
            if !(0..=60).contains(&l.handling_days) {
                return Err(Error::invalid(
                    format!("locations.{i}.handlingDays"),
                    "Handling days must be from 0 to 60",
                ));
            }
        }
        self.locations
            .retain(|l| l.daily_capacity.is_some() || l.keep_units > 0 || l.handling_days != 1);
        self.channels.sort_by(|a, b| a.channel.cmp(&b.channel));
        self.locations.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(self)
    }
}

/// A routing decision as the order keeps it: where each unit goes, what it costs and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutePlan {
    pub objective: RoutingObjective,
    pub shipments: Vec<RouteShipment>,
    pub backordered: Vec<RouteLine>,
    /// Shipments plus the backorder penalty, in minor units.
    pub total_cost: i64,
    /// True when the search proved no better plan exists for the objective.
    pub optimal: bool,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteShipment {
    /// Location code.
    pub location: String,
    pub lines: Vec<RouteLine>,
    pub cost: i64,
    /// Estimated days from order to delivery (handling + transit).
    pub days: i64,
    /// For a pick-up order short at its store: the store these units are transferred to.
    #[serde(default)]
    pub transfer_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteLine {
    pub sku: String,
    pub qty: i64,
}

/// One stored routing decision of an order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRoute {
    /// `capture`, `reroute` or `backorder`.
    pub kind: String,
    pub settings_version: i64,
    pub plan: RoutePlan,
    pub created_by: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn defaults_survive_an_empty_json_object() {
        let s: RoutingSettings = serde_json::from_str("{}").expect("parse");
        assert_eq!(s, RoutingSettings::default());
    }

    #[test]
    fn validation_names_the_field_and_normalises_codes() {
        let chans = codes(&["WEB", "COUNTER"]);
        let locs = codes(&["WH-1", "ST-1"]);
        let mut s = RoutingSettings::default();
        s.channels.push(ChannelRule {
            channel: " web ".into(),
            allowed_locations: vec!["wh-1".into(), "WH-1".into()],
            no_split: false,
        });
        let ok = s.clone().validated(&chans, &locs).expect("valid");
        assert_eq!(ok.channels[0].channel, "WEB");
        assert_eq!(ok.channels[0].allowed_locations, vec!["WH-1".to_owned()]);

        s.channels[0].allowed_locations.push("XX".into());
        let e = s
            .clone()
            .validated(&chans, &locs)
            .expect_err("unknown location");
        assert_eq!(e.field(), Some("channels.0.allowedLocations.2"));

        let mut s = RoutingSettings {
            max_shipments: Some(0),
            ..Default::default()
        };
        let e = s
            .clone()
            .validated(&chans, &locs)
            .expect_err("zero shipments");
        assert_eq!(e.field(), Some("maxShipments"));
        s.max_shipments = None;
        s.locations.push(LocationRule {
            location: "ST-1".into(),
            daily_capacity: Some(-1),
            keep_units: 0,
            handling_days: 1,
        });
        let e = s.validated(&chans, &locs).expect_err("negative capacity");
        assert_eq!(e.field(), Some("locations.0.dailyCapacity"));
    }
}
