//! The routing what-if: replays the shop's last orders under the settings in force and under
//! proposed ones, with the same planner capture uses (`routing::route_order`), and compares what
//! each would have cost and how fast it would have delivered.
//!
//! Method: both replays start from the same stock snapshot — today's on-hand units and safety stock
//! per SKU × location, with nothing reserved, as if every replayed order were new — and walk the
//! orders oldest to newest, each order taking the units its plan allocates, so a location that runs
//! dry early is not offered to later orders. Daily capacity counts the shipments each replay sends
//! per location per (UTC) day. Counter sales are not replayed: they leave from the counter, whatever
//! the settings. The result is deterministic: the same database and settings give the same report.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::App;
use super::routing::{Destination, RatePricing, RouteRequest, StockRow, geocode, route_order};
use crate::db;
use crate::db::what_if::ReplayOrder;
use crate::domain::catalog::{Channel, Location, Product};
use crate::domain::ids::order_number;
use crate::domain::routing_rules::{RoutePlan, RoutingSettings};
use crate::error::{Error, Result};
use crate::routing::Point;

/// How many orders a what-if replays when the caller does not say.
pub const DEFAULT_WHAT_IF_ORDERS: i64 = 200;
/// The most orders one what-if replays.
pub const MAX_WHAT_IF_ORDERS: i64 = 5_000;
/// The most changed orders listed for drill-down (all are counted).
pub const MAX_CHANGED_LISTED: usize = 200;

/// The two replays side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIfReport {
    /// The shop currency of every amount in the report.
    pub currency: String,
    /// The settings version the "current" side ran under (0 = built-in defaults).
    pub current_version: i64,
    /// The proposed settings as validated (codes normalised, empty rules dropped).
    pub proposed_settings: RoutingSettings,
    /// Orders replayed (the last N that ship or are picked up).
    pub orders: i64,
    /// Oldest and newest order replayed.
    pub first_order: Option<String>,
    pub last_order: Option<String>,
    pub current: ReplaySummary,
    pub proposed: ReplaySummary,
    /// Orders whose plan differs between the two sides.
    pub changed_orders: i64,
    /// The first [`MAX_CHANGED_LISTED`] of them, oldest first.
    pub changed: Vec<ChangedOrder>,
}

/// What one replay came to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReplaySummary {
    pub orders: i64,
    /// Sum of every shipment's cost (backorder penalties not included), minor units.
    pub shipping_cost: i64,
    pub shipments: i64,
    /// Orders with at least one shipment (the ones delivery days are averaged over).
    pub shipped_orders: i64,
    /// Σ over shipped orders of their slowest shipment's days.
    pub delivery_days_total: i64,
    /// `delivery_days_total / shipped_orders` (0 when nothing shipped).
    pub average_delivery_days: f64,
    /// Orders sent in more than one shipment.
    pub split_orders: i64,
    /// `split_orders / orders` (0 with no orders).
    pub split_rate: f64,
    pub backordered_units: i64,
    pub backordered_orders: i64,
}

/// An order whose plan differs between the two sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedOrder {
    pub number: String,
    pub current: PlanOutline,
    pub proposed: PlanOutline,
}

/// The gist of one replayed plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanOutline {
    /// Shipping locations, in the plan's order.
    pub locations: Vec<String>,
    pub shipping_cost: i64,
    /// The slowest shipment's days (0 with no shipment).
    pub days: i64,
    pub backordered_units: i64,
}

impl App {
    /// Replays the last `last_orders` orders under the settings in force and under `proposed`.
    /// `proposed` is validated like a save (errors name the field); nothing is written.
    pub async fn what_if(
        &self,
        proposed: RoutingSettings,
        last_orders: i64,
    ) -> Result<WhatIfReport> {
        if !(1..=MAX_WHAT_IF_ORDERS).contains(&last_orders) {
            return Err(Error::invalid(
                "lastOrders",
                format!("Replay from 1 to {MAX_WHAT_IF_ORDERS} orders"),
            ));
        }
        let proposed = self.validate_routing_settings(proposed).await?;
        let current = self.routing_settings().await?;
        let currency = self.currency().await?;
        let channels = self.channels().await?;
        let locations = self.locations().await?;
        let rates = self.rate_cards().await?.cards;
        let (orders, products, stock) = {
            let mut c = self.db.read().await?;
            let orders = db::what_if::replay_orders(&mut c, last_orders).await?;
            let products = db::what_if::products(&mut c, last_orders).await?;
            let stock = db::what_if::stock(&mut c, last_orders).await?;
            (orders, products, stock)
        };
        let started = std::time::Instant::now();
        let report = tokio::task::spawn_blocking(move || {
            let mut replay = Replay::new(orders, channels, locations, products, &stock);
            replay.rates = rates;
            let before = replay.run(&current.settings);
            let after = replay.run(&proposed);
            replay.report(
                currency.code().to_owned(),
                current.version,
                proposed,
                &before,
                &after,
            )
        })
        .await
        .map_err(|e| Error::Internal(format!("the what-if replay stopped: {e}")))?;
        tracing::info!(
            orders = report.orders,
            changed = report.changed_orders,
            ms = started.elapsed().as_millis() as u64,
            "routing what-if replayed"
        );
        Ok(report)
    }
}

/// Everything both replays share: the orders with their map points, the shop, the start stock.
struct Replay {
    orders: Vec<ReplayOrder>,
    points: Vec<Option<Point>>,
    channels: HashMap<Uuid, Channel>,
    locations: Vec<Location>,
    products: HashMap<Uuid, Product>,
    /// Per product: `(location, on hand, safety stock)`.
    stock: HashMap<Uuid, Vec<(Uuid, i64, i64)>>,
    /// The rate cards in force (both runs price by them, as capture does).
    rates: crate::domain::rates::RateCards,
}

/// One order's plan in a replay (`None`: nothing to route — no line with a known product).
type Replayed = Option<RoutePlan>;

impl Replay {
    fn new(
        orders: Vec<ReplayOrder>,
        channels: Vec<Channel>,
        locations: Vec<Location>,
        products: Vec<Product>,
        stock: &[(Uuid, Uuid, i64, i64)],
    ) -> Replay {
        let points = orders
            .iter()
            .map(|o| o.ship_to.as_ref().and_then(geocode))
            .collect();
        let mut by_product: HashMap<Uuid, Vec<(Uuid, i64, i64)>> = HashMap::new();
        for (product, location, on_hand, safety) in stock {
            by_product
                .entry(*product)
                .or_default()
                .push((*location, *on_hand, *safety));
        }
        Replay {
            orders,
            points,
            channels: channels.into_iter().map(|c| (c.id, c)).collect(),
            locations,
            products: products.into_iter().map(|p| (p.id, p)).collect(),
            stock: by_product,
            rates: Default::default(),
        }
    }

    /// Routes every order in turn under `settings`, each taking the units its plan allocates.
    fn run(&self, settings: &RoutingSettings) -> Vec<Replayed> {
        let mut reserved: HashMap<(Uuid, Uuid), i64> = HashMap::new();
        let mut sent: HashMap<(NaiveDate, Uuid), i64> = HashMap::new();
        let capped: Vec<Uuid> = self
            .locations
            .iter()
            .filter(|l| {
                settings
                    .location(&l.code)
                    .is_some_and(|r| r.daily_capacity.is_some())
            })
            .map(|l| l.id)
            .collect();
        let mut out = Vec::with_capacity(self.orders.len());
        for (i, o) in self.orders.iter().enumerate() {
            let Some(channel) = self.channels.get(&o.channel_id) else {
                out.push(None);
                continue;
            };
            let lines: Vec<(&Product, i64)> = o
                .lines
                .iter()
                .filter_map(|(p, q)| self.products.get(p).map(|p| (p, *q)))
                .collect();
            if lines.is_empty() {
                out.push(None);
                continue;
            }
            let destination = match o.pickup_location_id {
                Some(id) => match self.locations.iter().find(|l| l.id == id) {
                    Some(store) => Destination::Pickup(store),
                    None => Destination::Ship(None),
                },
                None => Destination::Ship(self.points[i]),
            };
            let mut seen: BTreeSet<Uuid> = BTreeSet::new();
            let mut stock: Vec<StockRow> = Vec::new();
            for (p, _) in &lines {
                if !seen.insert(p.id) {
                    continue;
                }
                for (location, on_hand, safety) in self.stock.get(&p.id).into_iter().flatten() {
                    stock.push(StockRow {
                        product_id: p.id,
                        location_id: *location,
                        on_hand: *on_hand,
                        reserved: reserved.get(&(p.id, *location)).copied().unwrap_or(0),
                        safety_stock: *safety,
                    });
                }
            }
            let day = o.created_at.date_naive();
            let shipped_today: HashMap<Uuid, i64> = capped
                .iter()
                .map(|l| (*l, sent.get(&(day, *l)).copied().unwrap_or(0)))
                .collect();
            let number = order_number(o.seq);
            let routed = route_order(&RouteRequest {
                order_ref: &number,
                channel,
                lines: &lines,
                destination,
                no_split: false,
                locations: &self.locations,
                settings,
                stock: &stock,
                shipped_today: &shipped_today,
                exclude: &[],
                rates: RatePricing::of(&self.rates, o.ship_to.as_ref(), day, None),
            });
            let mut used: BTreeSet<Uuid> = BTreeSet::new();
            for a in &routed.allocations {
                if let Some((p, _)) = lines.get(a.line) {
                    *reserved.entry((p.id, a.location_id)).or_default() += a.qty;
                    used.insert(a.location_id);
                }
            }
            for l in used {
                *sent.entry((day, l)).or_default() += 1;
            }
            out.push(Some(routed.plan));
        }
        out
    }

    fn report(
        &self,
        currency: String,
        current_version: i64,
        proposed_settings: RoutingSettings,
        before: &[Replayed],
        after: &[Replayed],
    ) -> WhatIfReport {
        let mut changed = Vec::new();
        let mut changed_orders = 0i64;
        for ((o, b), a) in self.orders.iter().zip(before).zip(after) {
            let (Some(b), Some(a)) = (b, a) else { continue };
            if b.shipments == a.shipments && b.backordered == a.backordered {
                continue;
            }
            changed_orders += 1;
            if changed.len() < MAX_CHANGED_LISTED {
                changed.push(ChangedOrder {
                    number: order_number(o.seq),
                    current: outline(b),
                    proposed: outline(a),
                });
            }
        }
        WhatIfReport {
            currency,
            current_version,
            proposed_settings,
            orders: before.iter().flatten().count() as i64,
            first_order: self.orders.first().map(|o| order_number(o.seq)),
            last_order: self.orders.last().map(|o| order_number(o.seq)),
            current: summary(before),
            proposed: summary(after),
            changed_orders,
            changed,
        }
    }
}

fn outline(p: &RoutePlan) -> PlanOutline {
    PlanOutline {
        locations: p.shipments.iter().map(|s| s.location.clone()).collect(),
        shipping_cost: p.shipments.iter().map(|s| s.cost).sum(),
        days: p.shipments.iter().map(|s| s.days).max().unwrap_or(0),
        backordered_units: p.backordered.iter().map(|l| l.qty).sum(),
    }
}

fn summary(plans: &[Replayed]) -> ReplaySummary {
    let mut s = ReplaySummary {
        orders: 0,
        shipping_cost: 0,
        shipments: 0,
        shipped_orders: 0,
        delivery_days_total: 0,
        average_delivery_days: 0.0,
        split_orders: 0,
        split_rate: 0.0,
        backordered_units: 0,
        backordered_orders: 0,
    };
    for p in plans.iter().flatten() {
        let o = outline(p);
        s.orders += 1;
        s.shipping_cost += o.shipping_cost;
        s.shipments += p.shipments.len() as i64;
        if !p.shipments.is_empty() {
            s.shipped_orders += 1;
            s.delivery_days_total += o.days;
        }
        if p.shipments.len() > 1 {
            s.split_orders += 1;
        }
        if o.backordered_units > 0 {
            s.backordered_units += o.backordered_units;
            s.backordered_orders += 1;
        }
    }
    if s.shipped_orders > 0 {
        s.average_delivery_days = s.delivery_days_total as f64 / s.shipped_orders as f64;
    }
    if s.orders > 0 {
        s.split_rate = s.split_orders as f64 / s.orders as f64;
    }
    s
}
