//! Routing in the shop: turns an order, the shop's locations, their stock and the routing settings
//! into the engine's input (`crate::routing`), runs it, and maps the plan back onto order lines.
//!
//! Pure: the caller reads stock inside its write transaction and hands it in, so the plan is made
//! on exactly the stock the reservations will take. Hard rules are applied here, before the
//! engine: locations per channel, daily capacity, units a location keeps back, dropship last,
//! no split (max one shipment), excluded locations (re-route).
//!
//! When the shop has rate cards ([`RatePricing`]), each candidate location is priced by them
//! (the cheapest service from there that meets the promise, by parcel weight) instead of its
//! simple linear rate, so routing and rate shopping agree on cost (docs/rates.md).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::address::Address;
use crate::domain::catalog::{Channel, Location, LocationKind, Product};
use crate::domain::rates::{self, Place, PriceStep, RateCards};
use crate::domain::routing_rules::{
    RouteLine, RoutePlan, RouteShipment, RoutingObjective, RoutingSettings,
};
use crate::domain::stock::sellable;
use crate::routing::{
    BALANCE_WEIGHTS, Objective, Point, Rate, RoutingInput, RoutingLine, RoutingLocation,
    RoutingOrder, Rules, WeightPrice, Weights, haversine_km, route_with_proof, transit_days,
};

/// One balance row as the router sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockRow {
    pub product_id: Uuid,
    pub location_id: Uuid,
    pub on_hand: i64,
    pub reserved: i64,
    pub safety_stock: i64,
}

/// Where the order goes.
#[derive(Debug, Clone, Copy)]
pub enum Destination<'a> {
    /// Ship to a point (`None`: the address could not be placed on the map).
    Ship(Option<Point>),
    /// Collect at this store.
    Pickup(&'a Location),
}

/// Everything one routing decision depends on.
pub struct RouteRequest<'a> {
    pub order_ref: &'a str,
    pub channel: &'a Channel,
    /// One entry per order line: the product and the units to place.
    pub lines: &'a [(&'a Product, i64)],
    pub destination: Destination<'a>,
    /// Ship everything in one shipment (the order asked for it).
    pub no_split: bool,
    pub locations: &'a [Location],
    pub settings: &'a RoutingSettings,
    pub stock: &'a [StockRow],
    /// Shipments already sent today per location (only locations with a daily capacity).
    pub shipped_today: &'a HashMap<Uuid, i64>,
    /// Locations that must not be used (re-route after a short pick or a closure).
    pub exclude: &'a [Uuid],
    /// The shop's rate cards, when it has any: they price each candidate location.
    pub rates: Option<RatePricing<'a>>,
}

/// What pricing by rate cards needs beyond the order.
#[derive(Debug, Clone, Copy)]
pub struct RatePricing<'a> {
    /// Non-empty rate cards.
    pub cards: &'a RateCards,
    /// The ship-to address (postal-code zones; a home when it has no company name).
    pub ship_to: Option<&'a Address>,
    /// The day the order is routed: a location ships its handling days later.
    pub today: NaiveDate,
    pub promised_by: Option<NaiveDate>,
}

impl<'a> RatePricing<'a> {
    /// Pricing by `cards`, or `None` when they have no service (the simple rates apply).
    pub fn of(
        cards: &'a RateCards,
        ship_to: Option<&'a Address>,
        today: NaiveDate,
        promised_by: Option<NaiveDate>,
    ) -> Option<Self> {
        (!cards.is_empty()).then_some(RatePricing {
            cards,
            ship_to,
            today,
            promised_by,
        })
    }
}

/// Units of one order line placed at one location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    /// Index into `RouteRequest::lines`.
    pub line: usize,
    pub location_id: Uuid,
    pub qty: i64,
}

#[derive(Debug, Clone)]
pub struct RoutedOrder {
    pub allocations: Vec<Allocation>,
    /// Units per line that nothing can ship now.
    pub backordered: Vec<i64>,
    pub plan: RoutePlan,
}

/// Routes an order: pick-up orders take what their store has and transfer the rest in from the
/// best other location; shipped orders go through the engine under the shop's rules.
pub fn route_order(r: &RouteRequest<'_>) -> RoutedOrder {
    let demand = demand(r);
    let mut out = Outcome::default();
    match r.destination {
        Destination::Pickup(store) => {
            let mut rest = demand.clone();
            let mut here: Vec<RouteLine> = Vec::new();
            let store_usable = !r.exclude.contains(&store.id);
            for (pid, (sku, qty)) in &demand {
                if !store_usable {
                    break;
                }
                let take = (*qty).min(available(r, store, *pid));
                if take > 0 {
                    here.push(RouteLine {
                        sku: sku.clone(),
                        qty: take,
                    });
                    out.take(*pid, store.id, take);
                    if let Some(d) = rest.get_mut(pid) {
                        d.1 -= take;
                    }
                }
            }
            rest.retain(|_, (_, q)| *q > 0);
            if !here.is_empty() {
                out.explanation.push(format!(
                    "Pick-up at {}: {} reserved there.",
                    store.code,
                    list(&here)
                ));
                out.shipments.push(RouteShipment {
                    location: store.code.clone(),
                    lines: here,
                    cost: 0,
                    days: 0,
                    transfer_to: None,
                });
            }
            if !rest.is_empty() {
                out.explanation.push(format!(
                    "{} is short of {}: transfer from the cheapest other location.",
                    store.code,
                    list(&lines_of(&rest))
                ));
                let point = Point {
                    lat: store.latitude,
                    lon: store.longitude,
                };
                ship_passes(
                    r,
                    &rest,
                    Some(point),
                    Some(store),
                    &mut out,
                    RoutingObjective::Cost,
                );
            }
        }
        Destination::Ship(point) => {
            if point.is_none() {
                out.explanation.push(
                    "The ship-to address could not be placed on the map: distance is left out of costs and delivery days.".into(),
                );
            }
            ship_passes(r, &demand, point, None, &mut out, r.settings.objective);
        }
    }
    out.finish(r, &demand)
}

/// Units per product, in first-line order, with the SKU.
fn demand(r: &RouteRequest<'_>) -> BTreeMap<Uuid, (String, i64)> {
    let mut d: BTreeMap<Uuid, (String, i64)> = BTreeMap::new();
    for (p, q) in r.lines {
        d.entry(p.id).or_insert_with(|| (p.sku.clone(), 0)).1 += q;
    }
    d
}

fn lines_of(d: &BTreeMap<Uuid, (String, i64)>) -> Vec<RouteLine> {
    d.values()
        .map(|(sku, qty)| RouteLine {
            sku: sku.clone(),
            qty: *qty,
        })
        .collect()
}

fn list(lines: &[RouteLine]) -> String {
    lines
        .iter()
        .map(|l| format!("{} × {}", l.qty, l.sku))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Units of a product the order's channel may take at a location: on hand less reserved, the
/// location's safety stock, the channel's buffer and the units the location keeps back.
fn available(r: &RouteRequest<'_>, loc: &Location, product: Uuid) -> i64 {
    let keep = r
        .settings
        .location(&loc.code)
        .map(|l| l.keep_units)
        .unwrap_or(0);
    r.stock
        .iter()
        .find(|s| s.product_id == product && s.location_id == loc.id)
        .map(|s| {
            let free = sellable(
                s.on_hand,
                s.reserved,
                s.safety_stock,
                r.channel.safety_stock,
            );
            // Keeping units back applies to shipping, not to the store's own counter.
            if matches!(r.destination, Destination::Pickup(p) if p.id == loc.id) {
                free
            } else {
                (free - keep).max(0)
            }
        })
        .unwrap_or(0)
}

/// Why a location cannot ship this order at all, if it cannot.
fn ruled_out(r: &RouteRequest<'_>, loc: &Location, pickup: Option<&Location>) -> Option<String> {
    if pickup.is_some_and(|p| p.id == loc.id) {
        return Some("the pick-up store itself".into());
    }
    if !loc.active {
        return Some("inactive".into());
    }
    if !loc.can_ship {
        return Some("does not ship".into());
    }
    if r.exclude.contains(&loc.id) {
        return Some("cannot fill this order now (re-route)".into());
    }
    if let Some(rule) = r.settings.channel(&r.channel.code)
        && !rule.allowed_locations.is_empty()
        && !rule.allowed_locations.contains(&loc.code)
    {
        return Some(format!("not allowed for {} orders", r.channel.code));
    }
    if let Some(cap) = r
        .settings
        .location(&loc.code)
        .and_then(|l| l.daily_capacity)
    {
        let sent = r.shipped_today.get(&loc.id).copied().unwrap_or(0);
        if sent >= cap {
            return Some(format!("daily capacity of {cap} shipments reached"));
        }
    }
    None
}

#[derive(Default)]
struct Outcome {
    /// (product, location) → units.
    taken: Vec<(Uuid, Uuid, i64)>,
    shipments: Vec<RouteShipment>,
    explanation: Vec<String>,
    optimal: bool,
    routed: bool,
}

impl Outcome {
    fn take(&mut self, product: Uuid, location: Uuid, qty: i64) {
        self.taken.push((product, location, qty));
    }

    /// Spreads the units taken per product over the order's lines in line order; the rest is
    /// backordered.
    fn finish(self, r: &RouteRequest<'_>, demand: &BTreeMap<Uuid, (String, i64)>) -> RoutedOrder {
        let mut left: Vec<i64> = r.lines.iter().map(|(_, q)| *q).collect();
        let mut allocations: Vec<Allocation> = Vec::new();
        for (product, location, qty) in &self.taken {
            let mut qty = *qty;
            for (i, (p, _)) in r.lines.iter().enumerate() {
                if qty == 0 {
                    break;
                }
                if p.id != *product || left[i] == 0 {
                    continue;
                }
                let n = qty.min(left[i]);
                left[i] -= n;
                qty -= n;
                match allocations
                    .iter_mut()
                    .find(|a| a.line == i && a.location_id == *location)
                {
                    Some(a) => a.qty += n,
                    None => allocations.push(Allocation {
                        line: i,
                        location_id: *location,
                        qty: n,
                    }),
                }
            }
        }
        let mut short: BTreeMap<Uuid, i64> = BTreeMap::new();
        for (i, (p, _)) in r.lines.iter().enumerate() {
            if left[i] > 0 {
                *short.entry(p.id).or_default() += left[i];
            }
        }
        let backordered_lines: Vec<RouteLine> = short
            .iter()
            .map(|(pid, q)| RouteLine {
                sku: demand.get(pid).map(|d| d.0.clone()).unwrap_or_default(),
                qty: *q,
            })
            .collect();
        let penalty = r.settings.backorder_penalty_per_unit;
        let shipping: i64 = self.shipments.iter().map(|s| s.cost).sum();
        let back_units: i64 = short.values().sum();
        let total = shipping.saturating_add(back_units.saturating_mul(penalty));
        RoutedOrder {
            allocations,
            backordered: left,
            plan: RoutePlan {
                objective: match r.destination {
                    Destination::Pickup(_) => RoutingObjective::Cost,
                    Destination::Ship(_) => r.settings.objective,
                },
                shipments: self.shipments,
                backordered: backordered_lines,
                total_cost: total,
                optimal: self.optimal || !self.routed,
                explanation: self.explanation,
            },
        }
    }
}

/// Routes `demand` for shipping to `point` (or transfer to `pickup`): own locations first when
/// dropship comes last, then dropship suppliers for what is left.
fn ship_passes(
    r: &RouteRequest<'_>,
    demand: &BTreeMap<Uuid, (String, i64)>,
    point: Option<Point>,
    pickup: Option<&Location>,
    out: &mut Outcome,
    objective: RoutingObjective,
) {
    let mut excluded: Vec<String> = Vec::new();
    let mut own: Vec<&Location> = Vec::new();
    let mut dropship: Vec<&Location> = Vec::new();
    for l in r.locations {
        match ruled_out(r, l, pickup) {
            Some(why) if pickup.is_none_or(|p| p.id != l.id) => {
                excluded.push(format!("{} ({why})", l.code))
            }
            Some(_) => {}
            None if l.kind == LocationKind::Dropship && r.settings.dropship_last => {
                dropship.push(l)
            }
            None => own.push(l),
        }
    }
    if !excluded.is_empty() {
        out.explanation
            .push(format!("Not considered: {}.", excluded.join(", ")));
    }
    let max = max_shipments(r);
    let mut rest = demand.clone();
    let mut used = 0usize;
    let passes: [(&[&Location], &str); 2] = [(&own, ""), (&dropship, "Dropship: ")];
    for (pass, (cands, prefix)) in passes.into_iter().enumerate() {
        if rest.is_empty() {
            break;
        }
        if cands.is_empty() {
            continue;
        }
        let room = max.map(|m| m.saturating_sub(used));
        if room == Some(0) {
            out.explanation.push(format!(
                "{prefix}no shipment left under the limit of {} per order.",
                max.unwrap_or(0)
            ));
            break;
        }
        if pass == 1 {
            out.explanation.push(format!(
                "Own locations cannot ship {}: dropship suppliers are tried for it.",
                list(&lines_of(&rest))
            ));
        }
        let steps: Vec<Option<Vec<PriceStep>>> = cands
            .iter()
            .map(|l| rate_steps(r, l, point, pickup))
            .collect();
        let input = engine_input(r, &rest, point, cands, &steps, room, objective, pickup);
        let routed = route_with_proof(&input);
        out.routed = true;
        out.optimal = if pass == 0 {
            routed.optimal
        } else {
            out.optimal && routed.optimal
        };
        let own = format!("Order {}: ", input.order.id);
        for line in routed.plan.explanation {
            let line = match line.strip_prefix(&own) {
                Some(rest) => capitalised(rest),
                None => line,
            };
            out.explanation.push(format!("{prefix}{line}"));
        }
        for s in &routed.plan.shipments {
            let Some(ci) = cands.iter().position(|l| l.code == s.location) else {
                continue;
            };
            let loc = cands[ci];
            let step = steps[ci].as_ref().and_then(|st| {
                let grams: i64 = s
                    .lines
                    .iter()
                    .map(|pl| {
                        r.lines
                            .iter()
                            .find(|(p, _)| p.sku == pl.sku)
                            .map(|(p, _)| p.weight_grams * pl.qty)
                            .unwrap_or(0)
                    })
                    .sum();
                st.iter()
                    .find(|x| grams <= x.up_to_grams)
                    .map(|x| (x.clone(), grams))
            });
            if let (Some((st, grams)), Some(p)) = (&step, &r.rates) {
                let service = p
                    .cards
                    .service(&st.carrier, &st.service)
                    .map(|(c, sv)| format!("{} {}", c.name, sv.name))
                    .unwrap_or_else(|| format!("{} {}", st.carrier, st.service));
                let promise = match p.promised_by {
                    Some(d) if st.meets_promise => format!(", in time for the promise of {d}"),
                    Some(d) => {
                        format!(", after the promised {d}: no service from there is in time")
                    }
                    None => String::new(),
                };
                out.explanation.push(format!(
                    "{prefix}{} ships by {service} ({}.{:03} kg): {} by the rate cards, delivered {}{promise}.",
                    loc.code,
                    grams / 1000,
                    grams % 1000,
                    st.total,
                    st.delivery_date
                ));
            }
            let days = point
                .map(|p| {
                    let km = haversine_km(
                        Point {
                            lat: loc.latitude,
                            lon: loc.longitude,
                        },
                        p,
                    );
                    transit_days(km, r.settings.km_per_day as f64, handling_days(r, loc))
                })
                .unwrap_or_else(|| handling_days(r, loc) + 1);
            for pl in &s.lines {
                if let Some((pid, d)) = rest.iter_mut().find(|(_, (sku, _))| *sku == pl.sku) {
                    d.1 -= pl.qty;
                    out.take(*pid, loc.id, pl.qty);
                }
            }
            let days = match (&step, &r.rates) {
                (Some((st, _)), Some(p)) => (st.delivery_date - p.today).num_days(),
                _ => days,
            };
            used += 1;
            out.shipments.push(RouteShipment {
                location: s.location.clone(),
                lines: s
                    .lines
                    .iter()
                    .map(|l| RouteLine {
                        sku: l.sku.clone(),
                        qty: l.qty,
                    })
                    .collect(),
                cost: s.cost,
                days,
                transfer_to: pickup.map(|p| p.code.clone()),
            });
        }
        rest.retain(|_, (_, q)| *q > 0);
    }
    if !out.routed {
        out.explanation.push(if r.locations.is_empty() {
            "The shop has no locations yet.".into()
        } else {
            "No location may ship this order.".into()
        });
    }
}

fn max_shipments(r: &RouteRequest<'_>) -> Option<usize> {
    let channel_no_split = r
        .settings
        .channel(&r.channel.code)
        .is_some_and(|c| c.no_split);
    if r.no_split || channel_no_split {
        return Some(1);
    }
    r.settings.max_shipments.map(|m| m.max(1) as usize)
}

fn handling_days(r: &RouteRequest<'_>, loc: &Location) -> i64 {
    r.settings
        .location(&loc.code)
        .map(|l| l.handling_days)
        .unwrap_or(crate::routing::DEFAULT_HANDLING_DAYS)
}

/// The price by weight of a parcel from `loc` under the rate cards, or `None` when the shop has
/// none or no service reaches the destination from there (the location's simple rate applies).
fn rate_steps(
    r: &RouteRequest<'_>,
    loc: &Location,
    point: Option<Point>,
    pickup: Option<&Location>,
) -> Option<Vec<PriceStep>> {
    let p = r.rates.as_ref()?;
    let to = Place {
        point,
        postal_code: match (pickup, p.ship_to) {
            (Some(store), _) => store.address.postal_code.clone(),
            (None, Some(a)) => a.postal_code.clone(),
            (None, None) => String::new(),
        },
    };
    let from = Place {
        point: Some(Point {
            lat: loc.latitude,
            lon: loc.longitude,
        }),
        postal_code: loc.address.postal_code.clone(),
    };
    let residential = pickup.is_none() && p.ship_to.is_some_and(|a| a.company.is_none());
    let ship_date = p
        .today
        .checked_add_days(chrono::Days::new(handling_days(r, loc).max(0) as u64))
        .unwrap_or(p.today);
    let steps = rates::price_steps(
        p.cards,
        &loc.code,
        &from,
        &to,
        residential,
        ship_date,
        p.promised_by,
    );
    (!steps.is_empty()).then_some(steps)
}

#[allow(clippy::too_many_arguments)]
fn engine_input(
    r: &RouteRequest<'_>,
    demand: &BTreeMap<Uuid, (String, i64)>,
    point: Option<Point>,
    cands: &[&Location],
    steps: &[Option<Vec<PriceStep>>],
    max_shipments: Option<usize>,
    objective: RoutingObjective,
    pickup: Option<&Location>,
) -> RoutingInput {
    let weight_of = |pid: &Uuid| {
        r.lines
            .iter()
            .find(|(p, _)| p.id == *pid)
            .map(|(p, _)| p.weight_grams as f64 / 1000.0)
            .unwrap_or(0.0)
    };
    let to = point.unwrap_or(Point { lat: 0.0, lon: 0.0 });
    let locations = cands
        .iter()
        .zip(steps)
        .map(|(l, st)| RoutingLocation {
            id: l.code.clone(),
            kind: l.kind.as_str().to_owned(),
            point: if point.is_some() {
                Point {
                    lat: l.latitude,
                    lon: l.longitude,
                }
            } else {
                to
            },
            can_ship: true,
            rate: Rate {
                base: l.rate.base as f64,
                per_kg: l.rate.per_kg as f64,
                per_km: l.rate.per_1000_km as f64 / 1000.0,
            },
            stock: demand
                .iter()
                .map(|(pid, (sku, _))| (sku.clone(), available(r, l, *pid)))
                .collect(),
            handling_days: handling_days(r, l),
            priced: st.as_ref().map(|st| {
                st.iter()
                    .map(|x| WeightPrice {
                        up_to_grams: x.up_to_grams,
                        cost: x.total,
                    })
                    .collect()
            }),
        })
        .collect();
    let (objective, weights) = match objective {
        RoutingObjective::Cost => (Objective::Cost, COST_ONLY),
        RoutingObjective::Fastest => (Objective::Fastest, COST_ONLY),
        RoutingObjective::Balance => (Objective::Balance, BALANCE_WEIGHTS),
        RoutingObjective::Mix => (
            Objective::Mix,
            Weights {
                cost: r.settings.weights.cost,
                days: r.settings.weights.days,
                balance: r.settings.weights.balance,
            },
        ),
    };
    let id = match pickup {
        Some(p) => format!("{} (transfer to {})", r.order_ref, p.code),
        None => r.order_ref.to_owned(),
    };
    RoutingInput {
        order: RoutingOrder {
            id,
            ship_to: to,
            lines: demand
                .iter()
                .map(|(pid, (sku, qty))| RoutingLine {
                    sku: sku.clone(),
                    qty: *qty,
                    unit_weight_kg: weight_of(pid),
                })
                .collect(),
        },
        locations,
        rules: Rules {
            objective,
            backorder_penalty_per_unit: r.settings.backorder_penalty_per_unit,
            max_shipments,
            exclude: Vec::new(),
            weights,
            km_per_day: r.settings.km_per_day as f64,
        },
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

const COST_ONLY: Weights = Weights {
    cost: 1.0,
    days: 0.0,
    balance: 0.0,
};

/// The five-digit ZIP of a US address, if it has one.
fn us_zip(a: &Address) -> Option<String> {
    if a.country != "US" {
        return None;
    }
    let zip: String = a
        .postal_code
        .chars()
        .take_while(|c| *c != '-')
        .filter(char::is_ascii_digit)
        .collect();
    (zip.len() == 5).then_some(zip)
}

fn seen() -> &'static Mutex<HashMap<String, Option<Point>>> {
    static SEEN: OnceLock<Mutex<HashMap<String, Option<Point>>>> = OnceLock::new();
    SEEN.get_or_init(|| Mutex::new(HashMap::new()))
}

/// [`geocode`] answered from memory: `None` when the address needs a table lookup first.
pub fn geocode_remembered(a: &Address) -> Option<Option<Point>> {
    let Some(zip) = us_zip(a) else {
        return Some(None);
    };
    seen().lock().ok().and_then(|m| m.get(&zip).copied())
}

/// The map point of a ship-to address: US ZIP codes through the embedded GeoNames table
/// (`zipcodes` crate); `None` elsewhere. Looked-up codes are remembered. The first lookup
/// unpacks the table (about half a second in a debug build): call it off the async threads.
pub fn geocode(a: &Address) -> Option<Point> {
    let zip = us_zip(a)?;
    if let Ok(m) = seen().lock()
        && let Some(p) = m.get(&zip)
    {
        return *p;
    }
    let found = zipcodes::matching(&zip, None)
        .ok()
        .and_then(|v| v.into_iter().next())
        .and_then(|z| {
            Some(Point {
                lat: z.lat.parse().ok()?,
                lon: z.long.parse().ok()?,
            })
        });
    if let Ok(mut m) = seen().lock() {
        m.insert(zip, found);
    }
    found
}

/// Loads the ZIP table in the background so the first order does not wait for it.
pub fn warm_geocoder() {
    std::thread::spawn(|| {
        let _ = zipcodes::matching("10001", None);
    });
}

#[cfg(test)]
mod tests;
