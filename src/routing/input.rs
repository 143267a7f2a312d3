//! The routing file (PRODUCT.md §3) parsed into checked types. Every refusal names the field as a
//! path (`order.lines[2].qty`) and says what it must be, so the core never sees unchecked input.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// What a routing request asks: one order, the locations that could ship it, and the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingInput {
    pub order: RoutingOrder,
    pub locations: Vec<RoutingLocation>,
    pub rules: Rules,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoutingOrder {
    pub id: String,
    pub ship_to: Point,
    pub lines: Vec<RoutingLine>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoutingLine {
    pub sku: String,
    /// Always ≥ 1.
    pub qty: i64,
    /// Always finite and ≥ 0.
    pub unit_weight_kg: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoutingLocation {
    pub id: String,
    pub kind: String,
    pub point: Point,
    pub can_ship: bool,
    pub rate: Rate,
    /// Units on hand per SKU, each ≥ 0.
    pub stock: BTreeMap<String, i64>,
    /// Days between the order and the parcel leaving (default 1).
    pub handling_days: i64,
    /// Prices by parcel weight from the shop's rate cards, replacing `rate` when set (never from
    /// a routing file): a parcel costs the first step whose `up_to_grams` holds its weight, and
    /// a parcel heavier than the last step costs [`UNSHIPPABLE`].
    pub priced: Option<Vec<WeightPrice>>,
}

/// One step of a location's price by weight (see [`RoutingLocation::priced`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightPrice {
    pub up_to_grams: i64,
    pub cost: i64,
}

/// The cost of a parcel no service can carry: high enough that a plan uses it only when the
/// backorder penalty is higher still.
pub const UNSHIPPABLE: i64 = 1_000_000_000_000;

impl RoutingLocation {
    /// The least any non-empty shipment from here can cost with `distance_km` (unrounded).
    pub(crate) fn least_fixed(&self, distance_km: f64) -> f64 {
        match &self.priced {
            Some(steps) => steps.iter().map(|s| s.cost).min().unwrap_or(UNSHIPPABLE) as f64,
            None => self.rate.base + self.rate.per_km * distance_km,
        }
    }
}

/// The cost of a parcel of `weight_kg` over `distance_km`, rounded to a whole minor unit.
pub(crate) fn parcel_cost(
    rate: Rate,
    priced: Option<&[WeightPrice]>,
    weight_kg: f64,
    distance_km: f64,
) -> i64 {
    match priced {
        Some(steps) => {
            let grams = (weight_kg * 1000.0).round() as i64;
            steps
                .iter()
                .find(|s| grams <= s.up_to_grams)
                .map(|s| s.cost)
                .unwrap_or(UNSHIPPABLE)
        }
        None => super::geo::shipment_cost(rate, weight_kg, distance_km),
    }
}

/// A carrier rate: `base + per_kg × kg + per_km × km`, in minor units; every part finite and ≥ 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub base: f64,
    pub per_kg: f64,
    pub per_km: f64,
}

/// What "best" means for a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Lowest plan cost (shipments + backorder penalty).
    Cost,
    /// Everything that can ship arrives soonest; ties go to the cheaper plan.
    Fastest,
    /// Take from locations that keep the most stock relative to demand; cost breaks ties.
    Balance,
    /// A weighted sum of cost, transit days and stock balance (`rules.weights`).
    Mix,
}

impl Objective {
    pub fn as_str(&self) -> &'static str {
        match self {
            Objective::Cost => "cost",
            Objective::Fastest => "fastest",
            Objective::Balance => "balance",
            Objective::Mix => "mix",
        }
    }
}

/// Weights of the `mix` and `balance` objectives: score = cost × `cost` + Σ shipments transit
/// days × `days` + Σ (units taken ÷ units held at that location) × `balance`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub cost: f64,
    pub days: f64,
    pub balance: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub objective: Objective,
    /// Charged per unit that no shipment carries (default 100000).
    pub backorder_penalty_per_unit: i64,
    /// At most this many shipments (default: no limit).
    pub max_shipments: Option<usize>,
    /// Location ids that must not ship this order.
    pub exclude: Vec<String>,
    pub weights: Weights,
    /// Distance a parcel covers per transit day (default 800 km).
    pub km_per_day: f64,
}

pub const DEFAULT_BACKORDER_PENALTY: i64 = 100_000;
/// Largest routing request accepted (a shop has 1–20 locations; orders a few dozen lines).
pub const MAX_LOCATIONS: usize = 1_000;
pub const MAX_LINES: usize = 1_000;
pub const DEFAULT_KM_PER_DAY: f64 = 800.0;
pub const DEFAULT_HANDLING_DAYS: i64 = 1;
/// Default weights for `balance`: emptying a location's whole stock of a SKU weighs as much as
/// 100.00 of shipping (in a two-decimal currency).
pub const BALANCE_WEIGHTS: Weights = Weights {
    cost: 1.0,
    days: 0.0,
    balance: 10_000.0,
};
/// Default weights for `mix`: a transit day per shipment weighs 2.00, stock balance as above.
pub const MIX_WEIGHTS: Weights = Weights {
    cost: 1.0,
    days: 200.0,
    balance: 10_000.0,
};
const COST_WEIGHTS: Weights = Weights {
    cost: 1.0,
    days: 0.0,
    balance: 0.0,
};

/// Parses a routing file's text into checked input.
pub fn parse(text: &str) -> Result<RoutingInput> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Error::invalid(
            "file",
            format!("The routing file is not valid JSON: {e}. Fix the JSON and try again."),
        )
    })?;
    RoutingInput::from_json(&value)
}

impl RoutingInput {
    /// Checks a JSON value shaped like PRODUCT.md §3 and turns it into typed input.
    pub fn from_json(value: &Value) -> Result<Self> {
        let root = object(value, "")?;
        let order = parse_order(required(root, "order", "")?, "order")?;
        let locations_value = required(root, "locations", "")?;
        let list = array(locations_value, "locations")?;
        if list.len() > MAX_LOCATIONS {
            return Err(bad(
                "locations",
                &format!("at most {MAX_LOCATIONS} locations per routing request"),
            ));
        }
        let mut locations = Vec::with_capacity(list.len());
        for (i, l) in list.iter().enumerate() {
            let path = format!("locations[{i}]");
            let loc = parse_location(l, &path)?;
            if locations.iter().any(|o: &RoutingLocation| o.id == loc.id) {
                return Err(bad(
                    &format!("{path}.id"),
                    &format!("'{}' appears twice; location ids must be unique", loc.id),
                ));
            }
            locations.push(loc);
        }
        let rules = match optional(root, "rules") {
            Some(r) => parse_rules(r, "rules")?,
            None => parse_rules(&Value::Object(Map::new()), "rules")?,
        };
        Ok(RoutingInput {
            order,
            locations,
            rules,
        })
    }
}

fn parse_order(v: &Value, path: &str) -> Result<RoutingOrder> {
    let m = object(v, path)?;
    let id = match optional(m, "id") {
        Some(id) => string(id, &format!("{path}.id"))?,
        None => String::new(),
    };
    let ship_to = point(required(m, "ship_to", path)?, &format!("{path}.ship_to"))?;
    let lines_path = format!("{path}.lines");
    let list = array(required(m, "lines", path)?, &lines_path)?;
    if list.is_empty() {
        return Err(bad(&lines_path, "must hold at least one line"));
    }
    if list.len() > MAX_LINES {
        return Err(bad(
            &lines_path,
            &format!("at most {MAX_LINES} lines per routing request"),
        ));
    }
    let mut lines: Vec<RoutingLine> = Vec::with_capacity(list.len());
    for (i, l) in list.iter().enumerate() {
        let p = format!("{lines_path}[{i}]");
        let lm = object(l, &p)?;
        let sku = string(required(lm, "sku", &p)?, &format!("{p}.sku"))?;
        let qty = positive_int(required(lm, "qty", &p)?, &format!("{p}.qty"))?;
        let weight_path = format!("{p}.unit_weight_kg");
        let unit_weight_kg = non_negative(required(lm, "unit_weight_kg", &p)?, &weight_path)?;
        if let Some(j) = lines.iter().position(|o| o.sku == sku)
            && lines[j].unit_weight_kg != unit_weight_kg
        {
            return Err(bad(
                &weight_path,
                &format!(
                    "differs from {lines_path}[{j}] for the same SKU '{sku}'; give one weight per SKU"
                ),
            ));
        }
        lines.push(RoutingLine {
            sku,
            qty,
            unit_weight_kg,
        });
    }
    Ok(RoutingOrder { id, ship_to, lines })
}

fn parse_location(v: &Value, path: &str) -> Result<RoutingLocation> {
    let m = object(v, path)?;
    let id = string(required(m, "id", path)?, &format!("{path}.id"))?;
    let kind = match optional(m, "kind") {
        Some(k) => string(k, &format!("{path}.kind"))?,
        None => "warehouse".to_owned(),
    };
    let point = point(v, path)?;
    let can_ship = match optional(m, "can_ship") {
        Some(b) => b
            .as_bool()
            .ok_or_else(|| bad(&format!("{path}.can_ship"), "must be true or false"))?,
        None => true,
    };
    let rate_path = format!("{path}.rate");
    let rm = object(required(m, "rate", path)?, &rate_path)?;
    let rate = Rate {
        base: non_negative(
            required(rm, "base", &rate_path)?,
            &format!("{rate_path}.base"),
        )?,
        per_kg: non_negative(
            required(rm, "per_kg", &rate_path)?,
            &format!("{rate_path}.per_kg"),
        )?,
        per_km: non_negative(
            required(rm, "per_km", &rate_path)?,
            &format!("{rate_path}.per_km"),
        )?,
    };
    let mut stock = BTreeMap::new();
    if let Some(s) = optional(m, "stock") {
        let stock_path = format!("{path}.stock");
        for (sku, qty) in object(s, &stock_path)? {
            let q = non_negative_int(qty, &format!("{stock_path}.{sku}"))?;
            stock.insert(sku.clone(), q);
        }
    }
    let handling_days = match optional(m, "handling_days") {
        Some(d) => non_negative_int(d, &format!("{path}.handling_days"))?,
        None => DEFAULT_HANDLING_DAYS,
    };
    Ok(RoutingLocation {
        id,
        kind,
        point,
        can_ship,
        rate,
        stock,
        handling_days,
        priced: None,
    })
}

fn parse_rules(v: &Value, path: &str) -> Result<Rules> {
    let m = object(v, path)?;
    let objective = match optional(m, "objective") {
        None => Objective::Cost,
        Some(o) => match o.as_str() {
            Some("cost") => Objective::Cost,
            Some("fastest") => Objective::Fastest,
            Some("balance") => Objective::Balance,
            Some("mix") => Objective::Mix,
            _ => {
                return Err(bad(
                    &format!("{path}.objective"),
                    "must be one of \"cost\", \"fastest\", \"balance\", \"mix\"",
                ));
            }
        },
    };
    let backorder_penalty_per_unit = match optional(m, "backorder_penalty_per_unit") {
        Some(p) => non_negative_int(p, &format!("{path}.backorder_penalty_per_unit"))?,
        None => DEFAULT_BACKORDER_PENALTY,
    };
    let max_shipments = match optional(m, "max_shipments") {
        Some(n) => {
            let n = non_negative_int(n, &format!("{path}.max_shipments"))?;
            Some(usize::try_from(n).unwrap_or(usize::MAX))
        }
        None => None,
    };
    let mut exclude = Vec::new();
    if let Some(e) = optional(m, "exclude") {
        let p = format!("{path}.exclude");
        for (i, id) in array(e, &p)?.iter().enumerate() {
            exclude.push(string(id, &format!("{p}[{i}]"))?);
        }
    }
    let defaults = match objective {
        Objective::Cost | Objective::Fastest => COST_WEIGHTS,
        Objective::Balance => BALANCE_WEIGHTS,
        Objective::Mix => MIX_WEIGHTS,
    };
    let weights = match optional(m, "weights") {
        None => defaults,
        Some(w) => {
            let p = format!("{path}.weights");
            let wm = object(w, &p)?;
            let get = |key: &str, default: f64| -> Result<f64> {
                match optional(wm, key) {
                    Some(x) => non_negative(x, &format!("{p}.{key}")),
                    None => Ok(default),
                }
            };
            Weights {
                cost: get("cost", defaults.cost)?,
                days: get("days", defaults.days)?,
                balance: get("balance", defaults.balance)?,
            }
        }
    };
    let km_per_day = match optional(m, "km_per_day") {
        Some(k) => {
            let p = format!("{path}.km_per_day");
            let k = non_negative(k, &p)?;
            if k == 0.0 {
                return Err(bad(&p, "must be greater than 0"));
            }
            k
        }
        None => DEFAULT_KM_PER_DAY,
    };
    Ok(Rules {
        objective,
        backorder_penalty_per_unit,
        max_shipments,
        exclude,
        weights,
        km_per_day,
    })
}

fn point(v: &Value, path: &str) -> Result<Point> {
    let m = object(v, path)?;
    let lat_path = format!("{path}.lat");
    let lon_path = format!("{path}.lon");
    let lat = number(required(m, "lat", path)?, &lat_path)?;
    let lon = number(required(m, "lon", path)?, &lon_path)?;
    if !(-90.0..=90.0).contains(&lat) {
        return Err(bad(&lat_path, "must be a latitude between -90 and 90"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(bad(&lon_path, "must be a longitude between -180 and 180"));
    }
    Ok(Point { lat, lon })
}

fn bad(path: &str, what: &str) -> Error {
    Error::invalid(path, format!("{path}: {what}"))
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
    v.as_object().ok_or_else(|| {
        bad(
            if path.is_empty() { "file" } else { path },
            "must be a JSON object",
        )
    })
}

fn array<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>> {
    v.as_array()
        .ok_or_else(|| bad(path, "must be a JSON array"))
}

fn required<'a>(m: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a Value> {
    optional(m, key).ok_or_else(|| bad(&child(path, key), "is required"))
}

/// A key that is absent or `null` takes its default.
fn optional<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).filter(|v| !v.is_null())
}

fn string(v: &Value, path: &str) -> Result<String> {
    match v.as_str() {
        Some(s) if !s.trim().is_empty() => Ok(s.to_owned()),
        _ => Err(bad(path, "must be a non-empty string")),
    }
}

fn number(v: &Value, path: &str) -> Result<f64> {
    v.as_f64()
        .filter(|x| x.is_finite())
        .ok_or_else(|| bad(path, "must be a number"))
}

fn non_negative(v: &Value, path: &str) -> Result<f64> {
    number(v, path)
        .ok()
        .filter(|x| *x >= 0.0)
        .ok_or_else(|| bad(path, "must be a number ≥ 0"))
}

fn positive_int(v: &Value, path: &str) -> Result<i64> {
    match v.as_i64() {
        Some(q) if q > 1_000_000 => Err(bad(path, "must be at most 1,000,000")),
        Some(q) if q > 0 => Ok(q),
        _ => Err(bad(path, "must be a positive integer")),
    }
}

fn non_negative_int(v: &Value, path: &str) -> Result<i64> {
    v.as_i64()
        .filter(|q| *q >= 0 && *q <= 1_000_000_000)
        .ok_or_else(|| bad(path, "must be a non-negative integer"))
}
