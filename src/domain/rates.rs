//! Carriers, their services and rate cards (zones by distance or postal-code prefix, weight
//! brackets, surcharges), the price of one shipment under a service, and rate shopping: every
//! service that can carry a parcel, cheapest first, and the one to use for a promised date.
//!
//! Pure: integer money, no clock (the ship date is passed in), no I/O. `docs/rates.md`
//! describes the JSON file format (camelCase) and the pricing rules.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::money::{Currency, MAX_AMOUNT, mul_div_round};
use crate::error::{Error, Result};
use crate::routing::{Point, haversine_km};

/// Tracking-number families a carrier's numbers belong to (which check digit applies).
pub const TRACKING_KINDS: [&str; 6] = ["ups", "usps", "fedex", "upu", "local", "other"];

/// The shop's carriers and their services, all priced in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RateCards {
    pub currency: String,
    #[serde(default)]
    pub carriers: Vec<Carrier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Carrier {
    pub code: String,
    pub name: String,
    /// One of [`TRACKING_KINDS`].
    pub tracking: String,
    #[serde(default)]
    pub services: Vec<Service>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Service {
    pub code: String,
    pub name: String,
    /// Calendar days from the ship date to delivery.
    pub transit_days: i64,
    /// Location codes the service collects from; `None`: every shipping location.
    #[serde(default)]
    pub from_locations: Option<Vec<String>>,
    pub zones: ZoneRule,
    /// Increasing `upToGrams`; a package heavier than the last bracket cannot go by this service.
    pub brackets: Vec<WeightBracket>,
    #[serde(default)]
    pub surcharges: Surcharges,
}

/// How a shipment's zone is found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ZoneRule {
    /// By great-circle distance between ship-from and ship-to: the first band whose `upToKm`
    /// is at least the distance.
    #[serde(rename_all = "camelCase")]
    Distance { bands: Vec<DistanceBand> },
    /// By the ship-to postal code: the longest matching prefix, else `defaultZone`.
    #[serde(rename_all = "camelCase")]
    PostalPrefix {
        rules: Vec<PrefixRule>,
        #[serde(default)]
        default_zone: Option<u32>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DistanceBand {
    pub up_to_km: i64,
    pub zone: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrefixRule {
    pub prefix: String,
    pub zone: u32,
}

/// Packages up to `upToGrams` cost `prices[zone - 1]` (minor units; zones count from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightBracket {
    pub up_to_grams: i64,
    pub prices: Vec<i64>,
}

/// Added to the bracket price (the base).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Surcharges {
    /// Per package, minor units.
    #[serde(default)]
    pub per_package: i64,
    /// Fuel, in basis points of the base (1250 = 12.5 %), rounded half away from zero.
    #[serde(default)]
    pub fuel_bp: i64,
    /// Per package, when the ship-to is a home (no company name).
    #[serde(default)]
    pub residential: i64,
    #[serde(default)]
    pub over_weight: Option<OverWeight>,
}

/// Per package heavier than `overGrams`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OverWeight {
    pub over_grams: i64,
    pub amount: i64,
}

/// A saved version of the rate cards (version 0: none saved yet).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateCardsVersion {
    pub version: i64,
    pub cards: RateCards,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One end of a shipment: a map point (if known) and a postal code.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub point: Option<Point>,
    pub postal_code: String,
}

/// What a shipment costs under one service, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Price {
    pub zone: u32,
    /// Weight each package is billed at (the shipment split evenly, rounded up).
    pub package_grams: i64,
    /// Bracket price × packages.
    pub base: i64,
    pub fuel: i64,
    /// Per-package, residential and over-weight surcharges.
    pub surcharges: i64,
    pub total: i64,
}

/// The shipment a quote is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Shipment<'a> {
    pub from_location: &'a str,
    pub from: &'a Place,
    pub to: &'a Place,
    pub weight_grams: i64,
    pub packages: i64,
    /// The ship-to is a home: residential surcharges apply.
    pub residential: bool,
}

const MAX_GRAMS: i64 = 10_000_000;
const MAX_TRANSIT_DAYS: i64 = 365;
const MAX_ZONE: u32 = 1_000;

impl RateCards {
    /// No carrier has a service: routing keeps the locations' simple rates.
    pub fn is_empty(&self) -> bool {
        self.carriers.iter().all(|c| c.services.is_empty())
    }

    /// Checks every field, trims and normalises codes (upper case) and the currency, and names the
    /// first problem by its path (`carriers[1].services[0].brackets[2].upToGrams`).
    /// `locations`: the shop's location codes, for `fromLocations`.
    pub fn validated(mut self, locations: &[String]) -> Result<RateCards> {
        self.currency = Currency::parse(&self.currency, "currency")?
            .code()
            .to_owned();
        let mut carrier_codes = BTreeSet::new();
        for (ci, c) in self.carriers.iter_mut().enumerate() {
            let p = format!("carriers[{ci}]");
            c.code = code(&c.code, &format!("{p}.code"))?;
            if !carrier_codes.insert(c.code.clone()) {
                return Err(Error::invalid(
                    format!("{p}.code"),
                    format!(
                        "Carrier code {} is used twice: give each carrier its own code",
                        c.code
                    ),
                ));
            }
            c.name = name(&c.name, &format!("{p}.name"))?;
            c.tracking = c.tracking.trim().to_ascii_lowercase();
            if !TRACKING_KINDS.contains(&c.tracking.as_str()) {
                return Err(Error::invalid(
                    format!("{p}.tracking"),
                    format!(
                        "\"{}\" is not a tracking-number kind: use one of {}",
                        c.tracking,
                        TRACKING_KINDS.join(", ")
                    ),
                ));
            }
            let mut service_codes = BTreeSet::new();
            for (si, s) in c.services.iter_mut().enumerate() {
                let p = format!("{p}.services[{si}]");
                s.code = code(&s.code, &format!("{p}.code"))?;
                if !service_codes.insert(s.code.clone()) {
                    return Err(Error::invalid(
                        format!("{p}.code"),
                        format!(
                            "Service code {} is used twice in this carrier: give each service its own code",
                            s.code
                        ),
                    ));
                }
                validate_service(s, &p, locations)?;
            }
        }
        Ok(self)
    }

    /// The carrier and service with these codes.
    pub fn service(&self, carrier: &str, service: &str) -> Option<(&Carrier, &Service)> {
        let c = self.carriers.iter().find(|c| c.code == carrier)?;
        Some((c, c.services.iter().find(|s| s.code == service)?))
    }
}

fn code(v: &str, field: &str) -> Result<String> {
    let v = v.trim().to_ascii_uppercase();
    if v.is_empty()
        || v.len() > 32
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::invalid(
            field,
            "A code is 1–32 letters, digits, '-' or '_' (e.g. UPS, GROUND)",
        ));
    }
    Ok(v)
}

fn name(v: &str, field: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > 100 {
        return Err(Error::invalid(field, "Enter a name of 1–100 characters"));
    }
    Ok(v.to_owned())
}

fn money(v: i64, field: &str) -> Result<()> {
    if !(0..=MAX_AMOUNT).contains(&v) {
        return Err(Error::invalid(
            field,
            format!("{v} is not a price: enter 0 or more minor units (e.g. 995 for 9.95)"),
        ));
    }
    Ok(())
}

fn zone(z: u32, field: &str) -> Result<()> {
    if !(1..=MAX_ZONE).contains(&z) {
        return Err(Error::invalid(
            field,
            format!("Zone {z} is out of range: zones are numbered from 1 to {MAX_ZONE}"),
        ));
    }
    Ok(())
}

fn validate_service(s: &mut Service, p: &str, locations: &[String]) -> Result<()> {
    s.name = name(&s.name, &format!("{p}.name"))?;
    if !(0..=MAX_TRANSIT_DAYS).contains(&s.transit_days) {
        return Err(Error::invalid(
            format!("{p}.transitDays"),
            format!("Transit days must be from 0 to {MAX_TRANSIT_DAYS}"),
        ));
    }
    if let Some(from) = &mut s.from_locations {
        for (i, l) in from.iter_mut().enumerate() {
            *l = l.trim().to_ascii_uppercase();
            if !locations.contains(l) {
                return Err(Error::invalid(
                    format!("{p}.fromLocations[{i}]"),
                    format!(
                        "No location has the code \"{l}\": use one of {}",
                        locations.join(", ")
                    ),
                ));
            }
        }
        if from.is_empty() {
            return Err(Error::invalid(
                format!("{p}.fromLocations"),
                "List at least one location, or leave it out to collect from every location",
            ));
        }
    }
    // Zones the rule can produce; each needs a price in every bracket.
    let mut zones: Vec<u32> = Vec::new();
    match &mut s.zones {
        ZoneRule::Distance { bands } => {
            if bands.is_empty() {
                return Err(Error::invalid(
                    format!("{p}.zones.bands"),
                    "Add at least one distance band",
                ));
            }
            let mut prev = -1;
            for (i, b) in bands.iter().enumerate() {
                let f = format!("{p}.zones.bands[{i}]");
                if b.up_to_km <= prev || b.up_to_km > 100_000 {
                    return Err(Error::invalid(
                        format!("{f}.upToKm"),
                        "Bands must be increasing, from 0 to 100,000 km",
                    ));
                }
                prev = b.up_to_km;
                zone(b.zone, &format!("{f}.zone"))?;
                zones.push(b.zone);
            }
        }
        ZoneRule::PostalPrefix {
            rules,
            default_zone,
        } => {
            let mut seen = BTreeSet::new();
            for (i, r) in rules.iter_mut().enumerate() {
                let f = format!("{p}.zones.rules[{i}]");
                r.prefix = normal_postal(&r.prefix);
                if r.prefix.is_empty() || r.prefix.len() > 10 {
                    return Err(Error::invalid(
                        format!("{f}.prefix"),
                        "A prefix is 1–10 letters or digits of a postal code (e.g. 100 or SW1)",
                    ));
                }
                if !seen.insert(r.prefix.clone()) {
                    return Err(Error::invalid(
                        format!("{f}.prefix"),
                        format!(
                            "Prefix {} is listed twice: keep one rule per prefix",
                            r.prefix
                        ),
                    ));
                }
                zone(r.zone, &format!("{f}.zone"))?;
                zones.push(r.zone);
            }
            if let Some(z) = default_zone {
                zone(*z, &format!("{p}.zones.defaultZone"))?;
                zones.push(*z);
            }
            if zones.is_empty() {
                return Err(Error::invalid(
                    format!("{p}.zones.rules"),
                    "Add at least one prefix rule or a default zone",
                ));
            }
        }
    }
    let top_zone = zones.iter().copied().max().unwrap_or(1) as usize;
    if s.brackets.is_empty() {
        return Err(Error::invalid(
            format!("{p}.brackets"),
            "Add at least one weight bracket",
        ));
    }
    let mut prev_grams = 0;
    for (i, b) in s.brackets.iter().enumerate() {
        let f = format!("{p}.brackets[{i}]");
        if b.up_to_grams <= prev_grams || b.up_to_grams > MAX_GRAMS {
            return Err(Error::invalid(
                format!("{f}.upToGrams"),
                format!("Brackets must be increasing, from 1 to {MAX_GRAMS} grams"),
            ));
        }
        prev_grams = b.up_to_grams;
        if b.prices.len() < top_zone {
            return Err(Error::invalid(
                format!("{f}.prices"),
                format!(
                    "The zones go up to {top_zone}: give a price for each zone from 1 to {top_zone}"
                ),
            ));
        }
        for (z, v) in b.prices.iter().enumerate() {
            money(*v, &format!("{f}.prices[{z}]"))?;
            if i > 0 && *v < s.brackets[i - 1].prices.get(z).copied().unwrap_or(0) {
                return Err(Error::invalid(
                    format!("{f}.prices[{z}]"),
                    format!(
                        "A heavier bracket costs less than the one before in zone {}: prices must not fall with weight",
                        z + 1
                    ),
                ));
            }
        }
    }
    let sc = &s.surcharges;
    money(sc.per_package, &format!("{p}.surcharges.perPackage"))?;
    money(sc.residential, &format!("{p}.surcharges.residential"))?;
    if !(0..=100_000).contains(&sc.fuel_bp) {
        return Err(Error::invalid(
            format!("{p}.surcharges.fuelBp"),
            "Fuel is in basis points of the base, from 0 to 100,000 (1250 = 12.5 %)",
        ));
    }
    if let Some(o) = &sc.over_weight {
        if !(0..=MAX_GRAMS).contains(&o.over_grams) {
            return Err(Error::invalid(
                format!("{p}.surcharges.overWeight.overGrams"),
                format!("Enter a weight from 0 to {MAX_GRAMS} grams"),
            ));
        }
        money(o.amount, &format!("{p}.surcharges.overWeight.amount"))?;
    }
    Ok(())
}

/// A postal code as prefixes are matched: upper case, letters and digits only.
pub fn normal_postal(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The zone of a shipment from `from` to `to` under `rule`, if one applies.
pub fn zone_of(rule: &ZoneRule, from: &Place, to: &Place) -> Option<u32> {
    match rule {
        ZoneRule::Distance { bands } => {
            let km = haversine_km(from.point?, to.point?);
            bands
                .iter()
                .find(|b| km <= b.up_to_km as f64)
                .map(|b| b.zone)
        }
        ZoneRule::PostalPrefix {
            rules,
            default_zone,
        } => {
            let code = normal_postal(&to.postal_code);
            rules
                .iter()
                .filter(|r| code.starts_with(&r.prefix))
                .max_by_key(|r| r.prefix.len())
                .map(|r| r.zone)
                .or(*default_zone)
        }
    }
}

/// The service collects from this location.
pub fn serves_from(service: &Service, location: &str) -> bool {
    service
        .from_locations
        .as_ref()
        .is_none_or(|l| l.iter().any(|c| c == location))
}

/// The price of `shipment` under `service` (collection point not checked): `None` when no zone
/// matches or a package is heavier than the top bracket. The weight is split evenly over the
/// packages (rounded up to a whole gram); each package is priced at its bracket.
pub fn quote(service: &Service, shipment: &Shipment<'_>) -> Option<Price> {
    if shipment.weight_grams < 0 || shipment.packages < 1 {
        return None;
    }
    let zone = zone_of(&service.zones, shipment.from, shipment.to)?;
    let n = shipment.packages;
    let package_grams = (shipment.weight_grams + n - 1) / n;
    let bracket = service
        .brackets
        .iter()
        .find(|b| package_grams <= b.up_to_grams)?;
    let each = *bracket.prices.get(zone.checked_sub(1)? as usize)?;
    let base = each.checked_mul(n)?;
    let sc = &service.surcharges;
    let fuel = mul_div_round(base, sc.fuel_bp, 10_000);
    let mut per = sc.per_package;
    if shipment.residential {
        per = per.checked_add(sc.residential)?;
    }
    if let Some(o) = &sc.over_weight
        && package_grams > o.over_grams
    {
        per = per.checked_add(o.amount)?;
    }
    let surcharges = per.checked_mul(n)?;
    let total = base.checked_add(fuel)?.checked_add(surcharges)?;
    Some(Price {
        zone,
        package_grams,
        base,
        fuel,
        surcharges,
        total,
    })
}

/// One service's offer for a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    pub carrier: String,
    pub carrier_name: String,
    pub service: String,
    pub service_name: String,
    pub price: Price,
    pub transit_days: i64,
    pub delivery_date: NaiveDate,
    /// Delivered by the promised date (true when nothing was promised).
    pub meets_promise: bool,
    pub why: String,
}

/// Every service that can carry a shipment, cheapest first, and the one to use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateShop {
    pub currency: String,
    pub chosen: Option<Quote>,
    pub quotes: Vec<Quote>,
    /// Services that cannot carry it, with the reason.
    pub unavailable: Vec<String>,
    /// Why the chosen service was chosen (or why none was).
    pub summary: String,
}

/// Rate shopping: quotes every service of `cards` for `shipment` shipped on `ship_date`, sorted
/// cheapest first (then sooner, then by code). The chosen quote is the cheapest that is delivered
/// by `promised_by`; when none is, the fastest (cheapest among equally fast), and the summary
/// says the promise will be missed.
pub fn shop(
    cards: &RateCards,
    shipment: &Shipment<'_>,
    ship_date: NaiveDate,
    promised_by: Option<NaiveDate>,
) -> RateShop {
    let mut quotes = Vec::new();
    let mut unavailable = Vec::new();
    for c in &cards.carriers {
        for s in &c.services {
            let label = format!("{} {}", c.name, s.name);
            if !serves_from(s, shipment.from_location) {
                unavailable.push(format!(
                    "{label}: does not collect from {}",
                    shipment.from_location
                ));
                continue;
            }
            if zone_of(&s.zones, shipment.from, shipment.to).is_none() {
                unavailable.push(format!(
                    "{label}: no zone for this destination{}",
                    if matches!(s.zones, ZoneRule::Distance { .. })
                        && (shipment.from.point.is_none() || shipment.to.point.is_none())
                    {
                        " (the address is not on the map, so the distance is unknown)"
                    } else {
                        ""
                    }
                ));
                continue;
            }
            let Some(price) = quote(s, shipment) else {
                let top = s.brackets.last().map(|b| b.up_to_grams).unwrap_or(0);
                unavailable.push(format!("{label}: packages over {top} g are not accepted"));
                continue;
            };
            let delivery_date = add_days(ship_date, s.transit_days);
            let meets_promise = promised_by.is_none_or(|p| delivery_date <= p);
            let mut why = format!(
                "zone {}, {} × {} g: base {} + fuel {} + surcharges {} = {}; delivered {}",
                price.zone,
                shipment.packages,
                price.package_grams,
                price.base,
                price.fuel,
                price.surcharges,
                price.total,
                delivery_date
            );
            if let Some(p) = promised_by {
                if meets_promise {
                    why.push_str(", in time for the promise");
                } else {
                    why.push_str(&format!(", after the promised date {p}"));
                }
            }
            quotes.push(Quote {
                carrier: c.code.clone(),
                carrier_name: c.name.clone(),
                service: s.code.clone(),
                service_name: s.name.clone(),
                price,
                transit_days: s.transit_days,
                delivery_date,
                meets_promise,
                why,
            });
        }
    }
    quotes.sort_by(|a, b| {
        a.price
            .total
            .cmp(&b.price.total)
            .then(a.delivery_date.cmp(&b.delivery_date))
            .then_with(|| a.carrier.cmp(&b.carrier))
            .then_with(|| a.service.cmp(&b.service))
    });
    let money = |amount: i64| match super::money::Currency::parse(&cards.currency, "currency") {
        Ok(c) => super::money::Money::new(amount, c).display(),
        Err(_) => amount.to_string(),
    };
    let in_time = quotes.iter().find(|q| q.meets_promise);
    let (chosen, summary) = match (in_time, promised_by) {
        (Some(q), None) => (
            Some(q.clone()),
            format!(
                "{} {} is the cheapest ({}).",
                q.carrier_name,
                q.service_name,
                money(q.price.total)
            ),
        ),
        (Some(q), Some(p)) => (
            Some(q.clone()),
            format!(
                "{} {} is the cheapest service delivered by {p} ({}, arrives {}).",
                q.carrier_name,
                q.service_name,
                money(q.price.total),
                q.delivery_date
            ),
        ),
        (None, _) => match quotes.iter().min_by(|a, b| {
            a.delivery_date
                .cmp(&b.delivery_date)
                .then(a.price.total.cmp(&b.price.total))
        }) {
            Some(q) => (
                Some(q.clone()),
                format!(
                    "No service is delivered by {}: {} {} is the fastest (arrives {}, {}).",
                    promised_by.map(|p| p.to_string()).unwrap_or_default(),
                    q.carrier_name,
                    q.service_name,
                    q.delivery_date,
                    money(q.price.total)
                ),
            ),
            None => (
                None,
                "No service can carry this shipment: see why each is unavailable.".into(),
            ),
        },
    };
    RateShop {
        currency: cards.currency.clone(),
        chosen,
        quotes,
        unavailable,
        summary,
    }
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_days(Days::new(n.max(0) as u64)).unwrap_or(d)
}

/// What one location pays to ship a parcel of up to `up_to_grams` to one destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceStep {
    pub up_to_grams: i64,
    pub total: i64,
    pub carrier: String,
    pub service: String,
    pub delivery_date: NaiveDate,
    pub meets_promise: bool,
}

/// The routing price of one parcel from `from_location` to `to`, as a step function of weight:
/// for each weight range, the cheapest service that meets `promised_by` (the cheapest at all
/// when none does). Empty when no service can carry any weight there. Steps are increasing in
/// `up_to_grams`; a weight above the last step cannot be shipped by any service.
pub fn price_steps(
    cards: &RateCards,
    from_location: &str,
    from: &Place,
    to: &Place,
    residential: bool,
    ship_date: NaiveDate,
    promised_by: Option<NaiveDate>,
) -> Vec<PriceStep> {
    let services: Vec<(&Carrier, &Service)> = cards
        .carriers
        .iter()
        .flat_map(|c| c.services.iter().map(move |s| (c, s)))
        .filter(|(_, s)| serves_from(s, from_location) && zone_of(&s.zones, from, to).is_some())
        .collect();
    let mut cuts: BTreeSet<i64> = BTreeSet::new();
    for (_, s) in &services {
        cuts.extend(s.brackets.iter().map(|b| b.up_to_grams));
        if let Some(o) = &s.surcharges.over_weight
            && o.over_grams > 0
        {
            cuts.insert(o.over_grams);
        }
    }
    let mut steps: Vec<PriceStep> = Vec::new();
    for cut in cuts {
        let mut best: Option<PriceStep> = None;
        for (c, s) in &services {
            let Some(p) = quote(
                s,
                &Shipment {
                    from_location,
                    from,
                    to,
                    weight_grams: cut,
                    packages: 1,
                    residential,
                },
            ) else {
                continue;
            };
            let delivery_date = add_days(ship_date, s.transit_days);
            let step = PriceStep {
                up_to_grams: cut,
                total: p.total,
                carrier: c.code.clone(),
                service: s.code.clone(),
                delivery_date,
                meets_promise: promised_by.is_none_or(|d| delivery_date <= d),
            };
            let better = match &best {
                None => true,
                Some(b) => (step.meets_promise, -step.total) > (b.meets_promise, -b.total),
            };
            if better {
                best = Some(step);
            }
        }
        match best {
            Some(b) => steps.push(b),
            None => break,
        }
    }
    steps
}

#[cfg(test)]
mod tests;
