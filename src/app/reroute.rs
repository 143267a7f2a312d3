//! Routing after capture: re-route what a location cannot fill (a short pick, a closed store),
//! and give newly received stock to backordered orders, oldest order first.

use serde_json::json;
use uuid::Uuid;

use super::routing::{self, Destination, RouteRequest, StockRow};
use super::{Actor, App};
use crate::db;
use crate::db::inventory::{MovementRecord, SellableGuard};
use crate::db::orders::ReservationInsert;
use crate::db::routing::RouteInsert;
use crate::domain::catalog::{Location, Product};
use crate::domain::order::{OrderDetail, OrderStatus, ReservationState};
use crate::domain::stock::{MovementKind, sellable};
use crate::error::{Error, Result};

/// Backordered lines looked at per receipt (the oldest first).
const BACKORDER_BATCH: i64 = 500;

impl App {
    /// Releases what an order holds at `location` and routes those units again without it (nor
    /// any location the order was re-routed away from before). What no other location can fill
    /// goes on backorder. Recorded on the timeline with the reason.
    pub async fn reroute(
        &self,
        actor: &Actor,
        number: &str,
        location: &str,
        reason: &str,
    ) -> Result<OrderDetail> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                "Say why the order is re-routed (e.g. short pick, store closed)",
            ));
        }
        if reason.chars().count() > 500 {
            return Err(Error::invalid(
                "reason",
                "The reason is limited to 500 characters",
            ));
        }
        let order = self.order(number).await?;
        if !matches!(
            order.status,
            OrderStatus::Open | OrderStatus::Backordered | OrderStatus::InProgress
        ) {
            return Err(Error::InvalidTransition {
                message: format!(
                    "{} is {}: only open, backordered or in-progress orders can be re-routed",
                    order.number,
                    order.status.as_str().replace('_', " ")
                ),
            });
        }
        let refs = self.refs().await?;
        let code = location.trim().to_ascii_uppercase();
        let from = refs
            .locations
            .iter()
            .find(|l| l.code == code)
            .cloned()
            .ok_or_else(|| Error::invalid("location", format!("There is no location '{code}'")))?;
        let held: Vec<_> = order
            .reservations
            .iter()
            .filter(|r| r.state == ReservationState::Reserved.as_str() && r.location_id == from.id)
            .cloned()
            .collect();
        if held.is_empty() {
            return Err(Error::invalid(
                "location",
                format!(
                    "{} holds nothing at {}: choose a location it has reserved at",
                    order.number, from.code
                ),
            ));
        }
        let now = self.now();
        crate::db::write!(self.db, |tx| {
            // 1. Give back what the location holds.
            for r in &held {
                if !db::orders::close_reservation(tx, r.id, ReservationState::Released, now).await?
                {
                    return Err(Error::InvalidTransition {
                        message: "The order was changed by someone else meanwhile: reload it and try again".into(),
                    });
                }
                release_movement(
                    tx,
                    &order,
                    r.product_id,
                    &r.sku,
                    r.qty,
                    &from,
                    reason,
                    actor,
                    now,
                )
                .await?;
            }
            // 2. Route those units again on the stock as it is now, without that location.
            let units: Vec<(i32, Uuid, i64)> = held
                .iter()
                .map(|r| (r.line_no, r.product_id, r.qty))
                .collect();
            route_again(tx, &refs, &order, &from, &units, reason, actor, now).await
        })?;
        tracing::info!(number = %order.number, from = %from.code, reason, "order re-routed");
        self.order_by_id(order.id).await
    }
}

/// Records the release of `qty` units an order held at `from`: a ledger row and a timeline event.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn release_movement(
    tx: &mut db::Tx,
    order: &OrderDetail,
    product_id: Uuid,
    sku: &str,
    qty: i64,
    from: &Location,
    reason: &str,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let m = MovementRecord {
        product_id,
        location_id: from.id,
        kind: MovementKind::Release,
        delta: MovementKind::Release.delta(qty, false),
        reason: Some(reason),
        order_id: Some(order.id),
        transfer_id: None,
        actor: actor.as_str(),
        at: now,
    };
    if !db::inventory::apply_movement(tx, &m, None).await? {
        return Err(Error::Internal(
            "a release was refused by the balance guard".into(),
        ));
    }
    db::orders::insert_event(
        tx,
        order.id,
        "release",
        actor.as_str(),
        now,
        &format!("Released {qty} × {sku} at {} ({reason})", from.code),
        &json!({ "sku": sku, "qty": qty, "location": from.code, "reason": reason }),
    )
    .await
}

/// Routes units of an order again (after they were released at `from`), on the stock as it is
/// now, leaving out `from` and every location the order was re-routed away from before: reserves
/// what other locations can fill, backorders the rest, and records the route and the reason.
/// `units` are (line number, product, quantity).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn route_again(
    tx: &mut db::Tx,
    refs: &super::refs::RefData,
    order: &OrderDetail,
    from: &Location,
    units: &[(i32, Uuid, i64)],
    reason: &str,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let channel = refs
        .channels
        .iter()
        .find(|c| c.code == order.channel)
        .cloned()
        .ok_or_else(|| Error::Internal(format!("channel {} is missing", order.channel)))?;
    let skus: Vec<String> = order.lines.iter().map(|l| l.sku.clone()).collect();
    let products: Vec<Product> = db::catalog::products_by_codes(tx, &skus).await?;
    let pickup = order
        .pickup_location
        .as_ref()
        .and_then(|p| refs.locations.iter().find(|l| &l.code == p))
        .cloned();
    let point = order
        .ship_to
        .as_ref()
        .and_then(|a| routing::geocode_remembered(a).unwrap_or_else(|| routing::geocode(a)));
    // Locations the order was re-routed away from before stay out: they failed it once.
    let mut exclude: Vec<Uuid> = order
        .reservations
        .iter()
        .filter(|r| r.state == ReservationState::Released.as_str())
        .map(|r| r.location_id)
        .collect();
    exclude.push(from.id);
    exclude.sort();
    exclude.dedup();
    let version = refs.routing.version;
    {
        {
            let mut lines: Vec<(&Product, i64)> = Vec::new();
            let mut line_nos: Vec<i32> = Vec::new();
            for (line_no, product_id, qty) in units {
                let Some(p) = products.iter().find(|p| p.id == *product_id) else {
                    return Err(Error::Internal(format!("product {product_id} is missing")));
                };
                lines.push((p, *qty));
                line_nos.push(*line_no);
            }
            let stock = stock_of(tx, &products).await?;
            let destination = match &pickup {
                Some(store) => Destination::Pickup(store),
                None => Destination::Ship(point),
            };
            let routed = routing::route_order(&RouteRequest {
                order_ref: &order.number,
                channel: &channel,
                lines: &lines,
                destination,
                no_split: false,
                locations: &refs.locations,
                settings: &refs.routing.settings,
                stock: &stock,
                shipped_today: &Default::default(),
                exclude: &exclude,
                rates: routing::RatePricing::of(
                    &refs.rates.cards,
                    order.ship_to.as_ref(),
                    now.date_naive(),
                    order.promised_by,
                ),
            });
            for a in &routed.allocations {
                let (p, _) = lines[a.line];
                let m = MovementRecord {
                    product_id: p.id,
                    location_id: a.location_id,
                    kind: MovementKind::Reserve,
                    delta: MovementKind::Reserve.delta(a.qty, false),
                    reason: None,
                    order_id: Some(order.id),
                    transfer_id: None,
                    actor: actor.as_str(),
                    at: now,
                };
                let guard = SellableGuard {
                    channel_buffer: channel.safety_stock,
                };
                if !db::inventory::apply_movement(tx, &m, Some(guard)).await? {
                    return Err(Error::StockChanged(format!(
                        "the stock of {} changed while re-routing",
                        p.sku
                    )));
                }
                db::orders::insert_reservation(
                    tx,
                    &ReservationInsert {
                        order_id: order.id,
                        line_no: line_nos[a.line],
                        product_id: p.id,
                        location_id: a.location_id,
                        qty: a.qty,
                    },
                    now,
                )
                .await?;
                let at = code_of(&refs.locations, a.location_id);
                db::orders::insert_event(
                    tx,
                    order.id,
                    "reserved",
                    actor.as_str(),
                    now,
                    &format!("Reserved {} × {} at {at}", a.qty, p.sku),
                    &json!({ "sku": p.sku, "qty": a.qty, "location": at, "line": line_nos[a.line] }),
                )
                .await?;
            }
            let mut back_total = 0;
            for (i, b) in routed.backordered.iter().enumerate() {
                if *b > 0 {
                    back_total += b;
                    let (p, _) = lines[i];
                    db::orders::add_backordered(tx, order.id, line_nos[i], *b).await?;
                    db::orders::insert_event(
                        tx,
                        order.id,
                        "backordered",
                        actor.as_str(),
                        now,
                        &format!(
                            "Backordered {b} × {}: no other location can fill it now",
                            p.sku
                        ),
                        &json!({ "sku": p.sku, "qty": b, "line": line_nos[i] }),
                    )
                    .await?;
                }
            }
            if back_total > 0 && order.status != OrderStatus::Backordered {
                db::orders::set_status(tx, order.id, order.status, OrderStatus::Backordered, now)
                    .await?;
                super::orders::record_status(
                    tx,
                    order.id,
                    actor,
                    now,
                    order.status,
                    OrderStatus::Backordered,
                    Some(reason),
                )
                .await?;
            }
            db::routing::insert_route(
                tx,
                &RouteInsert {
                    order_id: order.id,
                    kind: "reroute",
                    settings_version: version,
                    plan: &routed.plan,
                    actor: actor.as_str(),
                    at: now,
                },
            )
            .await?;
            let parts: Vec<String> = routed
                .plan
                .shipments
                .iter()
                .map(|s| {
                    let what: Vec<String> = s
                        .lines
                        .iter()
                        .map(|l| format!("{} × {}", l.qty, l.sku))
                        .collect();
                    format!("{}: {}", s.location, what.join(", "))
                })
                .collect();
            db::orders::insert_event(
                tx,
                order.id,
                "rerouted",
                actor.as_str(),
                now,
                &format!(
                    "Re-routed away from {} ({reason}): {}",
                    from.code,
                    if parts.is_empty() {
                        "nothing else can fill it now".to_owned()
                    } else {
                        parts.join("; ")
                    }
                ),
                &json!({ "from": from.code, "reason": reason, "settingsVersion": version,
                         "shipments": routed.plan.shipments.len(), "backordered": back_total }),
            )
            .await
        }
    }
}

fn code_of(locations: &[Location], id: Uuid) -> String {
    locations
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.code.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The balances of these products, as the router sees them.
async fn stock_of(tx: &mut db::Tx, products: &[Product]) -> Result<Vec<StockRow>> {
    let mut stock = Vec::new();
    for p in products {
        for b in db::inventory::balances_of_product(tx, p.id).await? {
            stock.push(StockRow {
                product_id: b.product_id,
                location_id: b.location_id,
                on_hand: b.on_hand,
                reserved: b.reserved,
                safety_stock: b.safety_stock,
            });
        }
    }
    Ok(stock)
}

/// Gives units of a product that just became available at `location` to backordered orders,
/// oldest order first, inside the caller's transaction. An order takes from a location that
/// ships (or from its own pick-up store), allowed for its channel by the routing settings; each
/// allocation is reserved under guard and recorded on the order's timeline; an order with nothing
/// left on backorder goes back to open. Returns the units allocated.
pub(crate) async fn allocate_backorders(
    tx: &mut db::Tx,
    refs: &super::refs::RefData,
    product_id: Uuid,
    location: &Location,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i64> {
    if !location.active {
        return Ok(0);
    }
    let waiting = db::orders::backordered_lines(tx, product_id, BACKORDER_BATCH).await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let Some(balance) = db::inventory::balance(tx, product_id, location.id).await? else {
        return Ok(0);
    };
    let keep = refs
        .routing
        .settings
        .location(&location.code)
        .map(|l| l.keep_units)
        .unwrap_or(0);
    let mut free = sellable(balance.on_hand, balance.reserved, balance.safety_stock, 0);
    let mut given = 0;
    for w in waiting {
        let own_store = w.pickup_location_id == Some(location.id);
        if !own_store && !location.can_ship {
            continue;
        }
        if let Some(rule) = refs.routing.settings.channel(&w.channel)
            && !rule.allowed_locations.is_empty()
            && !rule.allowed_locations.contains(&location.code)
            && !own_store
        {
            continue;
        }
        let room = free - w.channel_buffer - if own_store { 0 } else { keep };
        let take = w.backordered.min(room);
        if take <= 0 {
            continue;
        }
        let m = MovementRecord {
            product_id,
            location_id: location.id,
            kind: MovementKind::Reserve,
            delta: MovementKind::Reserve.delta(take, false),
            reason: Some("backorder allocation"),
            order_id: Some(w.order_id),
            transfer_id: None,
            actor: actor.as_str(),
            at: now,
        };
        let guard = SellableGuard {
            channel_buffer: w.channel_buffer,
        };
        if !db::inventory::apply_movement(tx, &m, Some(guard)).await? {
            continue;
        }
        free -= take;
        given += take;
        db::orders::insert_reservation(
            tx,
            &ReservationInsert {
                order_id: w.order_id,
                line_no: w.line_no,
                product_id,
                location_id: location.id,
                qty: take,
            },
            now,
        )
        .await?;
        db::orders::add_backordered(tx, w.order_id, w.line_no, -take).await?;
        db::orders::insert_event(
            tx,
            w.order_id,
            "allocated",
            actor.as_str(),
            now,
            &format!(
                "Allocated {take} × {} at {} from stock that arrived (line {} waited on backorder)",
                balance.sku, location.code, w.line_no
            ),
            &json!({ "sku": balance.sku, "qty": take, "location": location.code, "line": w.line_no }),
        )
        .await?;
        if w.status == OrderStatus::Backordered.as_str()
            && db::orders::backordered_units(tx, w.order_id).await? == 0
            && db::orders::set_status(
                tx,
                w.order_id,
                OrderStatus::Backordered,
                OrderStatus::Open,
                now,
            )
            .await?
        {
            super::orders::record_status(
                tx,
                w.order_id,
                actor,
                now,
                OrderStatus::Backordered,
                OrderStatus::Open,
                Some("all units allocated"),
            )
            .await?;
        }
        if free <= 0 {
            break;
        }
    }
    if given > 0 {
        tracing::info!(sku = %balance.sku, location = %location.code, units = given, "backorders allocated");
    }
    Ok(given)
}
