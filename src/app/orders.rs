//! Use cases for orders: capture (validate, price, reserve, persist, record), look up, list and
//! change status.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::json;
use uuid::Uuid;

use super::{Actor, App, KEY_TAX_RATE, Page};
use crate::db;
use crate::db::group_commit::WorkFuture;
use crate::db::inventory::{MovementRecord, SellableGuard};
use crate::db::orders::{OrderInsert, ReservationInsert};
use crate::domain::catalog::{Channel, CustomerDraft, Location, Product};
use crate::domain::ids::{new_id, parse_uuid};
use crate::domain::money::Money;
use crate::domain::order::{
    LineToPrice, OrderDetail, OrderLine, OrderQuery, OrderRequest, OrderStatus, OrderSummary,
    Payment, ReservationState, StockEffect, price,
};
use crate::domain::stock::{MovementKind, sellable};
use crate::error::{Error, Result, Shortage};

/// How the customer gets the goods.
#[derive(Debug, Clone, PartialEq)]
enum Fulfilment {
    Ship(crate::domain::address::Address),
    Pickup(Location),
    TakeAway(Location),
}

/// An order request whose every reference has been resolved and checked.
struct ValidOrder {
    channel: Channel,
    channel_ref: Option<String>,
    customer_id: Option<Uuid>,
    new_customer: Option<CustomerDraft>,
    customer_name: Option<String>,
    fulfilment: Fulfilment,
    products: Vec<Product>,
    lines: Vec<LineToPrice>,
    shipping: i64,
    tax_rate_bp: i64,
    payment: Option<(String, bool)>,
    attributes: Vec<(String, String)>,
    notes: Option<String>,
}

impl App {
    /// Captures an order: validates it (errors name the field; nothing is written), prices it,
    /// reserves every line at the first location in priority order that can fill it (or
    /// backorders it when the product allows), and writes the order, its reservations, payment
    /// and timeline in one transaction. A repeat with the same channel reference returns the
    /// first order.
    pub async fn create_order(&self, actor: &Actor, req: OrderRequest) -> Result<OrderDetail> {
        let v = self.validate_order(req).await?;
        if let Some(r) = &v.channel_ref {
            let mut c = self.db.read().await?;
            if let Some(id) = db::orders::id_by_channel_ref(&mut c, v.channel.id, r).await? {
                drop(c);
                tracing::info!(channel = %v.channel.code, channel_ref = %r, "repeat order request: returning the existing order");
                return self.order_by_id(id).await;
            }
        }
        let currency = self.currency().await?;
        let (priced, totals) = price(&v.lines, v.shipping, v.tax_rate_bp)?;
        let locations = self.locations().await?;
        let now = self.now();
        let order_id = new_id();

        let capture = Arc::new(Capture {
            v,
            currency,
            priced,
            totals,
            locations,
            now,
            order_id,
            actor: actor.clone(),
        });
        let work = capture.clone();
        let result = self
            .db
            .submit(move |tx: &mut db::Tx| -> WorkFuture<'_, String> {
                Box::pin(async move { capture_in(tx, &work).await })
            })
            .await;
        let v = &capture.v;
        match result {
            Ok(number) => {
                tracing::debug!(%number, channel = %v.channel.code, "order captured");
                self.order_by_id(order_id).await
            }
            Err(e) if e.is_unique_violation() && v.channel_ref.is_some() => {
                // Another request with the same channel reference won the race: return its order.
                let mut c = self.db.read().await?;
                let r = v.channel_ref.as_deref().unwrap_or_default();
                match db::orders::id_by_channel_ref(&mut c, v.channel.id, r).await? {
                    Some(id) => {
                        drop(c);
                        self.order_by_id(id).await
                    }
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn validate_order(&self, req: OrderRequest) -> Result<ValidOrder> {
        let channels = self.channels().await?;
        let code = req.channel.trim().to_ascii_uppercase();
        let channel = channels
            .iter()
            .find(|c| c.code == code)
            .cloned()
            .ok_or_else(|| {
                Error::invalid(
                    "channel",
                    format!(
                        "There is no channel '{}': use one of {}",
                        req.channel.trim(),
                        channels
                            .iter()
                            .map(|c| c.code.to_ascii_lowercase())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
        let channel_ref = req
            .channel_ref
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        if channel_ref
            .as_ref()
            .is_some_and(|r| r.chars().count() > 100)
        {
            return Err(Error::invalid(
                "channelRef",
                "The channel reference is longer than 100 characters",
            ));
        }
        if req.lines.is_empty() {
            return Err(Error::invalid(
                "lines",
                "The order has no lines: scan or add at least one product",
            ));
        }
        if req.lines.len() > 500 {
            return Err(Error::invalid(
                "lines",
                "An order may have at most 500 lines: split it",
            ));
        }
        let mut products = Vec::with_capacity(req.lines.len());
        let mut lines = Vec::with_capacity(req.lines.len());
        let mut cache: HashMap<String, Product> = HashMap::new();
        for (i, l) in req.lines.iter().enumerate() {
            let key = l.sku.trim().to_owned();
            if key.is_empty() {
                return Err(Error::invalid(
                    format!("lines.{i}.sku"),
                    "The SKU is empty: scan or type a SKU",
                ));
            }
            let product = match cache.get(&key) {
                Some(p) => p.clone(),
                None => {
                    let p = self.find_product(&key).await?.ok_or_else(|| {
                        Error::invalid(
                            format!("lines.{i}.sku"),
                            format!("There is no product with SKU or barcode '{key}'"),
                        )
                    })?;
                    cache.insert(key.clone(), p.clone());
                    p
                }
            };
            if !product.active {
                return Err(Error::invalid(
                    format!("lines.{i}.sku"),
                    format!(
                        "{} is not for sale (inactive): remove the line or activate the product",
                        product.sku
                    ),
                ));
            }
            lines.push(LineToPrice {
                qty: l.qty,
                unit_price: l.unit_price.unwrap_or(product.price),
                discount: l.discount.unwrap_or(0),
            });
            products.push(product);
        }
        let pickup = match req
            .pickup_location
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(code) => {
                let l = self.location_by_code(code, "pickupLocation").await?;
                if !l.can_pickup {
                    return Err(Error::invalid(
                        "pickupLocation",
                        format!(
                            "{} does not hand over orders: choose a store that does",
                            l.code
                        ),
                    ));
                }
                Some(l)
            }
            None => None,
        };
        let fulfilment = match (req.take_away, pickup, req.ship_to) {
            (true, Some(l), _) => Fulfilment::TakeAway(l),
            (true, None, _) => {
                return Err(Error::invalid(
                    "pickupLocation",
                    "A counter sale needs the store it is sold at",
                ));
            }
            (false, Some(l), _) => Fulfilment::Pickup(l),
            (false, None, Some(a)) => Fulfilment::Ship(a.validated("shipTo")?),
            (false, None, None) => {
                return Err(Error::invalid(
                    "shipTo",
                    "Enter a ship-to address, or choose a pick-up store",
                ));
            }
        };
        let (customer_id, new_customer, customer_name) = match (req.customer_id, req.customer) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "customer",
                    "Give either an existing customer or a new one, not both",
                ));
            }
            (Some(id), None) => {
                let id = parse_uuid(&id, "customerId")?;
                let mut c = self.db.read().await?;
                let cust = db::catalog::customer_by_id(&mut c, id)
                    .await?
                    .ok_or_else(|| {
                        Error::invalid(
                            "customerId",
                            "That customer does not exist (any more): search again",
                        )
                    })?;
                (Some(id), None, Some(cust.name))
            }
            (None, Some(d)) => {
                let d = d.validate("customer")?;
                let name = d.name.clone();
                (None, Some(d), Some(name))
            }
            (None, None) => (None, None, None),
        };
        let tax_rate_bp = match req.tax_rate_bp {
            Some(t) => t,
            None => {
                let mut c = self.db.read().await?;
                db::settings::get(&mut c, KEY_TAX_RATE)
                    .await?
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0)
            }
        };
        let payment = match req.payment {
            Some(p) => {
                let m = p.method.trim().to_ascii_lowercase();
                if m.is_empty()
                    || m.len() > 40
                    || !m
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    return Err(Error::invalid(
                        "payment.method",
                        "Choose a payment method such as cash, card or invoice",
                    ));
                }
                Some((m, p.captured))
            }
            None => None,
        };
        let mut attributes = Vec::new();
        for (i, a) in req.attributes.into_iter().enumerate() {
            let k = a.key.trim().to_owned();
            if k.is_empty() || k.len() > 100 {
                return Err(Error::invalid(
                    format!("attributes.{i}.key"),
                    "An attribute needs a name of 1-100 characters",
                ));
            }
            if a.value.len() > 2000 {
                return Err(Error::invalid(
                    format!("attributes.{i}.value"),
                    "An attribute value is limited to 2,000 characters",
                ));
            }
            attributes.push((k, a.value));
        }
        let notes = req
            .notes
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        if notes.as_ref().is_some_and(|n| n.len() > 10_000) {
            return Err(Error::invalid(
                "notes",
                "Notes are limited to 10,000 characters",
            ));
        }
        Ok(ValidOrder {
            channel,
            channel_ref,
            customer_id,
            new_customer,
            customer_name,
            fulfilment,
            products,
            lines,
            shipping: req.shipping_charge.unwrap_or(0),
            tax_rate_bp,
            payment,
            attributes,
            notes,
        })
    }

    pub async fn order_by_id(&self, id: Uuid) -> Result<OrderDetail> {
        let mut c = self.db.read().await?;
        let mut d = db::orders::load_order(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Order", id.to_string()))?;
        if let Some(cid) = d.customer_id {
            d.customer = db::catalog::customer_by_id(&mut c, cid).await?;
        }
        Ok(d)
    }

    /// The order with this number (`SO-10042` or `10042`).
    pub async fn order(&self, number: &str) -> Result<OrderDetail> {
        let id = {
            let mut c = self.db.read().await?;
            db::orders::id_by_number(&mut c, number).await?
        };
        match id {
            Some(id) => self.order_by_id(id).await,
            None => Err(Error::not_found("Order", number.trim())),
        }
    }

    pub async fn list_orders(&self, q: &OrderQuery) -> Result<Page<OrderSummary>> {
        let channel_id = match q
            .channel
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(code) => {
                let code = code.to_ascii_uppercase();
                Some(
                    self.channels()
                        .await?
                        .into_iter()
                        .find(|c| c.code == code)
                        .map(|c| c.id)
                        .ok_or_else(|| {
                            Error::invalid("channel", format!("There is no channel '{code}'"))
                        })?,
                )
            }
            None => None,
        };
        let mut c = self.db.read().await?;
        let (rows, total) = db::orders::list_orders(&mut c, q, channel_id).await?;
        Ok(Page { rows, total })
    }

    /// Moves an order to another status, with what that means for stock (cancel releases the
    /// reservations; shipped / completed takes the reserved units out of stock and captures the
    /// payment) and an event on the timeline.
    pub async fn change_status(
        &self,
        actor: &Actor,
        number: &str,
        to: OrderStatus,
        reason: Option<&str>,
    ) -> Result<OrderDetail> {
        let order = self.order(number).await?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if to == OrderStatus::Cancelled && reason.is_none() {
            return Err(Error::invalid("reason", "Say why the order is cancelled"));
        }
        let effect = order.status.transition(
            to,
            order.pickup_location.is_some(),
            order.backordered_units(),
        )?;
        let now = self.now();
        crate::db::write!(self.db, |tx| {
            if !db::orders::set_status(tx, order.id, order.status, to, now).await? {
                return Err(Error::InvalidTransition {
                    message:
                        "The order was changed by someone else meanwhile: reload it and try again"
                            .into(),
                });
            }
            match effect {
                StockEffect::None => {}
                StockEffect::ReleaseAll => {
                    close_reservations(tx, order.id, actor, now, MovementKind::Release).await?
                }
                StockEffect::ShipAll => {
                    close_reservations(tx, order.id, actor, now, MovementKind::Ship).await?;
                    db::orders::capture_payments(tx, order.id).await?;
                }
            }
            record_status(tx, order.id, actor, now, order.status, to, reason).await
        })?;
        tracing::debug!(number = %order.number, from = order.status.as_str(), to = to.as_str(), "order status changed");
        self.order_by_id(order.id).await
    }
}

/// Locations to try for a line, in the order they are tried.
fn candidates<'a>(f: &'a Fulfilment, all: &'a [Location]) -> Vec<&'a Location> {
    match f {
        Fulfilment::TakeAway(store) => vec![store],
        Fulfilment::Pickup(store) => std::iter::once(store)
            .chain(
                all.iter()
                    .filter(|l| l.active && l.can_ship && l.id != store.id),
            )
            .collect(),
        Fulfilment::Ship(_) => all.iter().filter(|l| l.active && l.can_ship).collect(),
    }
}

/// Units of a product the channel could get at any candidate location (for the shortage message).
async fn sellable_units(
    tx: &mut db::Tx,
    product_id: Uuid,
    f: &Fulfilment,
    all: &[Location],
    buffer: i64,
) -> Result<i64> {
    let balances = db::inventory::balances_of_product(tx, product_id).await?;
    let ids: Vec<Uuid> = candidates(f, all).iter().map(|l| l.id).collect();
    Ok(balances
        .iter()
        .filter(|b| ids.contains(&b.location_id))
        .map(|b| sellable(b.on_hand, b.reserved, b.safety_stock, buffer))
        .max()
        .unwrap_or(0))
}

/// Ends every open reservation of an order: `Release` gives the units back (cancel), `Ship`
/// takes them out of stock (shipped, handed over). One ledger row and one event each.
async fn close_reservations(
    tx: &mut db::Tx,
    order_id: Uuid,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    kind: MovementKind,
) -> Result<()> {
    let to = match kind {
        MovementKind::Ship => ReservationState::Shipped,
        MovementKind::Release => ReservationState::Released,
        MovementKind::Receive
        | MovementKind::Adjust
        | MovementKind::TransferOut
        | MovementKind::TransferInTransit
        | MovementKind::TransferIn
        | MovementKind::Reserve => {
            return Err(Error::Internal(format!(
                "{} does not close a reservation",
                kind.as_str()
            )));
        }
    };
    let order = db::orders::load_order(tx, order_id)
        .await?
        .ok_or_else(|| Error::not_found("Order", order_id.to_string()))?;
    let mut open: Vec<_> = order
        .reservations
        .iter()
        .filter(|r| r.state == ReservationState::Reserved.as_str())
        .collect();
    open.sort_by_key(|r| (r.product_id, r.location_id));
    for r in open {
        if !db::orders::close_reservation(tx, r.id, to, now).await? {
            continue;
        }
        let m = MovementRecord {
            product_id: r.product_id,
            location_id: r.location_id,
            kind,
            delta: kind.delta(r.qty, false),
            reason: None,
            order_id: Some(order_id),
            transfer_id: None,
            actor: actor.as_str(),
            at: now,
        };
        if !db::inventory::apply_movement(tx, &m, None).await? {
            return Err(Error::Internal(format!(
                "{} of {} × {} at {} was refused by the balance guard",
                kind.as_str(),
                r.qty,
                r.sku,
                r.location
            )));
        }
        let verb = match kind {
            MovementKind::Ship => "Shipped",
            _ => "Released",
        };
        db::orders::insert_event(
            tx,
            order_id,
            kind.as_str(),
            actor.as_str(),
            now,
            &format!("{verb} {} × {} at {}", r.qty, r.sku, r.location),
            &json!({ "sku": r.sku, "qty": r.qty, "location": r.location }),
        )
        .await?;
    }
    Ok(())
}

async fn record_status(
    tx: &mut db::Tx,
    order_id: Uuid,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    from: OrderStatus,
    to: OrderStatus,
    reason: Option<&str>,
) -> Result<()> {
    let kind = if to == OrderStatus::Cancelled {
        "cancelled"
    } else {
        "status_changed"
    };
    let mut summary = format!(
        "Status {} → {}",
        from.as_str().replace('_', " "),
        to.as_str().replace('_', " ")
    );
    if let Some(r) = reason {
        summary.push_str(&format!(" ({r})"));
    }
    db::orders::insert_event(
        tx,
        order_id,
        kind,
        actor.as_str(),
        now,
        &summary,
        &json!({ "from": from.as_str(), "to": to.as_str(), "reason": reason }),
    )
    .await
}

/// Everything a capture writes, resolved and priced before the write transaction.
struct Capture {
    v: ValidOrder,
    currency: crate::domain::money::Currency,
    priced: Vec<crate::domain::order::PricedLine>,
    totals: crate::domain::order::Totals,
    locations: Vec<Location>,
    now: chrono::DateTime<chrono::Utc>,
    order_id: Uuid,
    actor: Actor,
}

/// The write part of a capture, on whatever transaction it is given (its own, or a savepoint of a
/// group commit): customer, order, reservations (each line whole at the first location that can
/// sell it, in product-id order), lines, payment, timeline; returns the order number.
async fn capture_in(tx: &mut db::Tx, c: &Capture) -> Result<String> {
    let v = &c.v;
    let currency = c.currency;
    let priced = &c.priced;
    let totals = c.totals;
    let locations = &c.locations;
    let now = c.now;
    let order_id = c.order_id;
    let actor = &c.actor;
    let customer_id = match (&v.new_customer, v.customer_id) {
        (Some(d), _) => {
            let id = new_id();
            db::catalog::insert_customer(tx, id, d, now).await?;
            Some(id)
        }
        (None, id) => id,
    };
    let (ship_to, pickup_id) = match &v.fulfilment {
        Fulfilment::Ship(a) => (Some(a), None),
        Fulfilment::Pickup(l) | Fulfilment::TakeAway(l) => (None, Some(l.id)),
    };
    let seq = db::orders::insert_order(
        tx,
        &OrderInsert {
            id: order_id,
            channel_id: v.channel.id,
            channel_ref: v.channel_ref.as_deref(),
            customer_id,
            customer_name: v.customer_name.as_deref(),
            status: OrderStatus::Open,
            currency: currency.code(),
            ship_to,
            pickup_location_id: pickup_id,
            totals,
            item_count: v.lines.iter().map(|l| l.qty).sum(),
            tax_rate_bp: v.tax_rate_bp,
            attributes: &v.attributes,
            notes: v.notes.as_deref(),
            created_by: actor.as_str(),
            at: now,
        },
    )
    .await?;
    let number = crate::domain::ids::order_number(seq);
    let how = match &v.fulfilment {
        Fulfilment::Ship(a) => format!("to ship to {}", a.one_line()),
        Fulfilment::Pickup(l) => format!("for pick-up at {}", l.code),
        Fulfilment::TakeAway(l) => format!("sold at the counter of {}", l.code),
    };
    db::orders::insert_event(
        tx,
        order_id,
        "created",
        actor.as_str(),
        now,
        &format!(
            "Order {number} created on {} {how}, total {}",
            v.channel.name,
            Money::new(totals.total, currency).display()
        ),
        &json!({ "channel": v.channel.code, "channelRef": v.channel_ref, "total": totals.total,
                         "currency": currency.code(), "lines": v.lines.len() }),
    )
    .await?;

    // Reserve in a fixed order (by product id) so concurrent PostgreSQL writers lock
    // balance rows in the same order and cannot deadlock each other.
    let mut order: Vec<usize> = (0..v.lines.len()).collect();
    order.sort_by_key(|i| (v.products[*i].id, *i));
    let mut backordered = vec![0i64; v.lines.len()];
    let mut shortages: Vec<Shortage> = Vec::new();
    for i in order {
        let product = &v.products[i];
        let qty = v.lines[i].qty;
        let mut reserved_at: Option<&Location> = None;
        for loc in candidates(&v.fulfilment, locations) {
            let m = MovementRecord {
                product_id: product.id,
                location_id: loc.id,
                kind: MovementKind::Reserve,
                delta: MovementKind::Reserve.delta(qty, false),
                reason: None,
                order_id: Some(order_id),
                transfer_id: None,
                actor: actor.as_str(),
                at: now,
            };
            let guard = SellableGuard {
                channel_buffer: v.channel.safety_stock,
            };
            if db::inventory::apply_movement(tx, &m, Some(guard)).await? {
                reserved_at = Some(loc);
                break;
            }
        }
        match reserved_at {
            Some(loc) => {
                db::orders::insert_reservation(
                    tx,
                    &ReservationInsert {
                        order_id,
                        line_no: i as i32 + 1,
                        product_id: product.id,
                        location_id: loc.id,
                        qty,
                    },
                    now,
                )
                .await?;
                db::orders::insert_event(
                    tx,
                    order_id,
                    "reserved",
                    actor.as_str(),
                    now,
                    &format!("Reserved {qty} × {} at {}", product.sku, loc.code),
                    &json!({ "sku": product.sku, "qty": qty, "location": loc.code, "line": i + 1 }),
                )
                .await?;
            }
            None if product.allow_backorder && !matches!(v.fulfilment, Fulfilment::TakeAway(_)) => {
                backordered[i] = qty;
                db::orders::insert_event(
                    tx,
                    order_id,
                    "backordered",
                    actor.as_str(),
                    now,
                    &format!(
                        "Backordered {qty} × {}: no location can fill it now",
                        product.sku
                    ),
                    &json!({ "sku": product.sku, "qty": qty, "line": i + 1 }),
                )
                .await?;
            }
            None => {
                let available = sellable_units(
                    tx,
                    product.id,
                    &v.fulfilment,
                    locations,
                    v.channel.safety_stock,
                )
                .await?;
                shortages.push(Shortage {
                    sku: product.sku.clone(),
                    requested: qty,
                    available,
                });
            }
        }
    }
    if !shortages.is_empty() {
        shortages.sort_by(|a, b| a.sku.cmp(&b.sku));
        return Err(Error::OutOfStock(shortages));
    }
    for (i, p) in priced.iter().enumerate() {
        let product = &v.products[i];
        let line = OrderLine {
            line_no: i as i32 + 1,
            product_id: product.id,
            sku: product.sku.clone(),
            name: product.name.clone(),
            qty: p.qty,
            unit_price: p.unit_price,
            discount: p.discount,
            tax: p.tax,
            total: p.total,
            backordered: backordered[i],
        };
        db::orders::insert_line(tx, order_id, &line).await?;
    }
    if let Some((method, captured)) = &v.payment {
        let pay = Payment {
            method: method.clone(),
            authorized: totals.total,
            captured: if *captured { totals.total } else { 0 },
            refunded: 0,
        };
        db::orders::insert_payment(tx, order_id, &pay, now).await?;
        db::orders::insert_event(
            tx,
            order_id,
            "payment",
            actor.as_str(),
            now,
            &format!(
                "{} {} by {method}",
                if *captured { "Paid" } else { "Authorised" },
                Money::new(totals.total, currency).display()
            ),
            &json!({ "method": method, "amount": totals.total, "captured": captured }),
        )
        .await?;
    }
    if backordered.iter().any(|b| *b > 0) {
        db::orders::set_status(
            tx,
            order_id,
            OrderStatus::Open,
            OrderStatus::Backordered,
            now,
        )
        .await?;
        record_status(
            tx,
            order_id,
            actor,
            now,
            OrderStatus::Open,
            OrderStatus::Backordered,
            None,
        )
        .await?;
    } else if let Fulfilment::TakeAway(_) = v.fulfilment {
        close_reservations(tx, order_id, actor, now, MovementKind::Ship).await?;
        db::orders::capture_payments(tx, order_id).await?;
        db::orders::set_status(tx, order_id, OrderStatus::Open, OrderStatus::Completed, now)
            .await?;
        record_status(
            tx,
            order_id,
            actor,
            now,
            OrderStatus::Open,
            OrderStatus::Completed,
            Some("handed over at the counter"),
        )
        .await?;
    }
    Ok(number)
}
