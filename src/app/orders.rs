//! Use cases for orders: capture (validate, price, reserve, persist, record), look up, list and
//! change status.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::refs::RefData;
use super::routing::{self, Allocation, Destination, RouteRequest, StockRow};
use super::{Actor, App, Page};
use crate::db;
use crate::db::capture::{
    CapturePlan, CaptureRows, Captured, EventRow, MovementRow, OrderRow, PaymentRow,
    ReservationRow, RouteRow,
};
use crate::db::inventory::MovementRecord;
use crate::domain::catalog::{Channel, Customer, CustomerDraft, Location, Product};
use crate::domain::ids::{new_id, order_number, parse_uuid};
use crate::domain::money::Money;
use crate::domain::order::{
    LineToPrice, OrderDetail, OrderEvent, OrderLine, OrderQuery, OrderRequest, OrderStatus,
    OrderSummary, Payment, PricedLine, Reservation, ReservationState, StockEffect, Totals, price,
};
use crate::domain::routing_rules::{OrderRoute, RoutePlan};
use crate::domain::stock::{MovementKind, sellable};
use crate::error::{Error, Result, Shortage};
use crate::routing::Point;

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
    customer: Option<Customer>,
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
    no_split: bool,
    promised_by: Option<chrono::NaiveDate>,
    /// Exchange credit applied as a captured payment (crate-internal; see `returns`).
    credit: Option<i64>,
}

impl App {
    /// Captures an order: validates it (errors name the field; nothing is written), prices it,
    /// routes it (the routing settings in force decide where each unit ships from, on the stock
    /// read inside the write transaction), reserves under guard, and writes the order, its
    /// reservations, route, payment and timeline in one transaction. A repeat with the same
    /// channel reference returns the first order.
    pub async fn create_order(&self, actor: &Actor, req: OrderRequest) -> Result<OrderDetail> {
        self.create_order_with_credit(actor, req, None).await
    }

    /// [`App::create_order`] with an exchange credit: up to `credit` of the total is paid by a
    /// captured `exchange credit` payment; the request's payment method covers the rest.
    pub(crate) async fn create_order_with_credit(
        &self,
        actor: &Actor,
        req: OrderRequest,
        credit: Option<i64>,
    ) -> Result<OrderDetail> {
        let mut v = self.validate_order(req).await?;
        v.credit = credit.filter(|c| *c > 0);
        let refs = self.refs().await?;
        let (priced, totals) = price(&v.lines, v.shipping, v.tax_rate_bp)?;
        let destination_point = match &v.fulfilment {
            Fulfilment::Ship(a) => match routing::geocode_remembered(a) {
                Some(p) => p,
                None => {
                    let a = a.clone();
                    tokio::task::spawn_blocking(move || routing::geocode(&a))
                        .await
                        .map_err(|e| Error::Internal(format!("the ZIP lookup failed: {e}")))?
                }
            },
            Fulfilment::Pickup(_) | Fulfilment::TakeAway(_) => None,
        };
        let now = self.now();
        let capacity_locations: Vec<Uuid> = refs
            .locations
            .iter()
            .filter(|l| {
                refs.routing
                    .settings
                    .location(&l.code)
                    .is_some_and(|r| r.daily_capacity.is_some())
            })
            .map(|l| l.id)
            .collect();
        let mut products: Vec<Uuid> = v.products.iter().map(|p| p.id).collect();
        products.sort();
        products.dedup();
        let capture = Arc::new(OrderCapture {
            v,
            refs,
            priced,
            totals,
            destination_point,
            now,
            order_id: new_id(),
            actor: actor.clone(),
            products,
            capacity_locations,
        });
        match db::capture::capture(&self.db, capture.clone()).await {
            Ok(done) => {
                let detail = capture.detail(done);
                tracing::debug!(number = %detail.number, channel = %detail.channel, "order captured");
                Ok(detail)
            }
            Err(e) if e.is_unique_violation() && capture.v.channel_ref.is_some() => {
                // The channel reference was captured before (a repeat import, or a concurrent
                // request that won the race): return that order.
                let v = &capture.v;
                let mut c = self.db.read().await?;
                let r = v.channel_ref.as_deref().unwrap_or_default();
                match db::orders::id_by_channel_ref(&mut c, v.channel.id, r).await? {
                    Some(id) => {
                        drop(c);
                        tracing::info!(channel = %v.channel.code, channel_ref = %r, "repeat order request: returning the existing order");
                        self.order_by_id(id).await
                    }
                    None => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    async fn validate_order(&self, req: OrderRequest) -> Result<ValidOrder> {
        let refs = self.refs().await?;
        let channels = &refs.channels;
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
        let codes: Vec<String> = req.lines.iter().map(|l| l.sku.trim().to_owned()).collect();
        let found = {
            let mut wanted = codes.clone();
            wanted.sort();
            wanted.dedup();
            wanted.retain(|c| !c.is_empty());
            self.products_by_codes(&wanted).await?
        };
        let mut products = Vec::with_capacity(req.lines.len());
        let mut lines = Vec::with_capacity(req.lines.len());
        for (i, (l, key)) in req.lines.iter().zip(&codes).enumerate() {
            if key.is_empty() {
                return Err(Error::invalid(
                    format!("lines.{i}.sku"),
                    "The SKU is empty: scan or type a SKU",
                ));
            }
            let upper = key.to_ascii_uppercase();
            let product = found
                .iter()
                .find(|p| p.sku == upper)
                .or_else(|| {
                    found
                        .iter()
                        .find(|p| p.barcode.as_deref() == Some(key.as_str()))
                })
                .cloned()
                .ok_or_else(|| {
                    Error::invalid(
                        format!("lines.{i}.sku"),
                        format!("There is no product with SKU or barcode '{key}'"),
                    )
                })?;
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
                let wanted = code.to_ascii_uppercase();
                let l = refs
                    .locations
                    .iter()
                    .find(|l| l.code == wanted && l.active)
                    .cloned()
                    .ok_or_else(|| {
                        let names: Vec<&str> = refs
                            .locations
                            .iter()
                            .filter(|l| l.can_pickup && l.active)
                            .map(|l| l.code.as_str())
                            .collect();
                        Error::invalid(
                            "pickupLocation",
                            format!(
                                "There is no open location '{wanted}': use one of {}",
                                names.join(", ")
                            ),
                        )
                    })?;
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
        let (customer, new_customer, customer_name) = match (req.customer_id, req.customer) {
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
                let name = cust.name.clone();
                (Some(cust), None, Some(name))
            }
            (None, Some(d)) => {
                let d = d.validate("customer")?;
                let name = d.name.clone();
                (None, Some(d), Some(name))
            }
            (None, None) => (None, None, None),
        };
        let tax_rate_bp = req.tax_rate_bp.unwrap_or(refs.tax_rate_bp);
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
            customer,
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
            no_split: req.no_split,
            promised_by: req.promised_by,
            credit: None,
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
        let list = db::orders::list_orders(&mut c, q, channel_id).await?;
        Ok(Page {
            rows: list.rows,
            total: list.total,
            total_is_capped: list.total_is_capped,
        })
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
        | MovementKind::Reserve
        | MovementKind::ReturnRestock
        | MovementKind::ReturnHeld
        | MovementKind::Dispose
        | MovementKind::VendorReturn => {
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

pub(super) async fn record_status(
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

/// A validated, priced order waiting for its stock: routed on the stock the write transaction
/// reads, then turned into every row the capture writes.
struct OrderCapture {
    v: ValidOrder,
    refs: Arc<RefData>,
    priced: Vec<PricedLine>,
    totals: Totals,
    destination_point: Option<Point>,
    now: DateTime<Utc>,
    order_id: Uuid,
    actor: Actor,
    products: Vec<Uuid>,
    capacity_locations: Vec<Uuid>,
}

/// Where the units of an order come from, before any row is built.
struct Placement {
    allocations: Vec<Allocation>,
    backordered: Vec<i64>,
    plan: Option<RoutePlan>,
}

impl OrderCapture {
    fn location(&self, id: Uuid) -> Option<&Location> {
        self.refs.locations.iter().find(|l| l.id == id)
    }

    fn code(&self, id: Uuid) -> String {
        self.location(id)
            .map(|l| l.code.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// A counter sale takes the goods off the store's shelf: only that store's stock counts.
    fn place_take_away(&self, store: &Location, stock: &[StockRow]) -> Placement {
        let mut left: HashMap<Uuid, i64> = HashMap::new();
        for s in stock.iter().filter(|s| s.location_id == store.id) {
            left.insert(
                s.product_id,
                sellable(
                    s.on_hand,
                    s.reserved,
                    s.safety_stock,
                    self.v.channel.safety_stock,
                ),
            );
        }
        let mut allocations = Vec::new();
        let mut backordered = Vec::new();
        for (i, (p, l)) in self.v.products.iter().zip(&self.v.lines).enumerate() {
            let have = left.entry(p.id).or_insert(0);
            let take = l.qty.min(*have);
            *have -= take;
            if take > 0 {
                allocations.push(Allocation {
                    line: i,
                    location_id: store.id,
                    qty: take,
                });
            }
            backordered.push(l.qty - take);
        }
        Placement {
            allocations,
            backordered,
            plan: None,
        }
    }

    fn place(&self, stock: &[StockRow], shipped_today: &HashMap<Uuid, i64>) -> Placement {
        let v = &self.v;
        let destination = match &v.fulfilment {
            Fulfilment::TakeAway(store) => return self.place_take_away(store, stock),
            Fulfilment::Pickup(store) => Destination::Pickup(store),
            Fulfilment::Ship(_) => Destination::Ship(self.destination_point),
        };
        let lines: Vec<(&Product, i64)> = v
            .products
            .iter()
            .zip(&v.lines)
            .map(|(p, l)| (p, l.qty))
            .collect();
        let routed = routing::route_order(&RouteRequest {
            order_ref: v.channel_ref.as_deref().unwrap_or("-"),
            channel: &v.channel,
            lines: &lines,
            destination,
            no_split: v.no_split,
            locations: &self.refs.locations,
            settings: &self.refs.routing.settings,
            stock,
            shipped_today,
            exclude: &[],
            rates: routing::RatePricing::of(
                &self.refs.rates.cards,
                match &v.fulfilment {
                    Fulfilment::Ship(a) => Some(a),
                    _ => None,
                },
                self.now.date_naive(),
                v.promised_by,
            ),
        });
        Placement {
            allocations: routed.allocations,
            backordered: routed.backordered,
            plan: Some(routed.plan),
        }
    }

    fn event(&self, kind: &str, summary: String, details: serde_json::Value) -> EventRow {
        EventRow {
            id: new_id(),
            kind: kind.to_owned(),
            summary,
            details: details.to_string(),
        }
    }

    /// The order as it now stands, from what was written (no second read).
    fn detail(&self, done: Captured) -> OrderDetail {
        let Captured { seq, rows } = done;
        let v = &self.v;
        let customer = match (&rows.customer, &v.customer) {
            (Some((id, d)), _) => Some(Customer {
                id: *id,
                name: d.name.clone(),
                email: d.email.clone(),
                phone: d.phone.clone(),
                addresses: d.address.iter().cloned().collect(),
                order_count: 1,
            }),
            (None, Some(c)) => Some(Customer {
                order_count: c.order_count + 1,
                ..c.clone()
            }),
            (None, None) => None,
        };
        let sku_of = |pid: Uuid| {
            v.products
                .iter()
                .find(|p| p.id == pid)
                .map(|p| p.sku.clone())
                .unwrap_or_default()
        };
        let mut reservations: Vec<Reservation> = rows
            .reservations
            .iter()
            .map(|r| Reservation {
                id: r.id,
                line_no: r.line_no,
                product_id: r.product_id,
                sku: sku_of(r.product_id),
                location_id: r.location_id,
                location: self.code(r.location_id),
                qty: r.qty,
                state: r.state.as_str().to_owned(),
            })
            .collect();
        reservations.sort_by_key(|r| (r.line_no, r.id));
        OrderDetail {
            id: rows.order.id,
            seq,
            number: order_number(seq),
            status: rows.order.status,
            channel: v.channel.code.clone(),
            channel_ref: v.channel_ref.clone(),
            created_at: self.now,
            created_by: self.actor.as_str().to_owned(),
            customer_id: rows.order.customer_id,
            customer,
            customer_name: v.customer_name.clone(),
            ship_to: match &v.fulfilment {
                Fulfilment::Ship(a) => Some(a.clone()),
                _ => None,
            },
            pickup_location: match &v.fulfilment {
                Fulfilment::Pickup(l) | Fulfilment::TakeAway(l) => Some(l.code.clone()),
                Fulfilment::Ship(_) => None,
            },
            currency: self.refs.currency.code().to_owned(),
            lines: rows.lines.clone(),
            totals: self.totals,
            tax_rate_bp: v.tax_rate_bp,
            payments: rows
                .payments
                .iter()
                .map(|p| Payment {
                    method: p.method.clone(),
                    authorized: p.authorized,
                    captured: p.captured,
                    refunded: 0,
                })
                .collect(),
            reservations,
            attributes: v.attributes.clone(),
            notes: v.notes.clone(),
            promised_by: v.promised_by,
            events: rows
                .events
                .iter()
                .map(|e| OrderEvent {
                    kind: e.kind.clone(),
                    actor: self.actor.as_str().to_owned(),
                    at: self.now,
                    summary: e.summary.clone(),
                    details: e.details.clone(),
                })
                .collect(),
            routes: self
                .route_plan(&rows)
                .map(|plan| OrderRoute {
                    kind: "capture".into(),
                    settings_version: self.refs.routing.version,
                    plan,
                    created_by: self.actor.as_str().to_owned(),
                    created_at: self.now,
                })
                .into_iter()
                .collect(),
        }
    }

    fn route_plan(&self, rows: &CaptureRows) -> Option<RoutePlan> {
        rows.route
            .as_ref()
            .and_then(|r| serde_json::from_str(&r.plan).ok())
    }
}

impl CapturePlan for OrderCapture {
    fn products(&self) -> &[Uuid] {
        &self.products
    }

    fn capacity_locations(&self) -> &[Uuid] {
        &self.capacity_locations
    }

    fn day_start(&self) -> DateTime<Utc> {
        self.now
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .map(|d| d.and_utc())
            .unwrap_or(self.now)
    }

    fn rows(&self, stock: &[StockRow], shipped_today: &HashMap<Uuid, i64>) -> Result<CaptureRows> {
        let v = &self.v;
        let placed = self.place(stock, shipped_today);
        let take_away = matches!(v.fulfilment, Fulfilment::TakeAway(_));

        // Units nothing can ship: refused unless the product may be backordered (never at the
        // counter, where the customer takes the goods now).
        let mut short: BTreeMap<String, Shortage> = BTreeMap::new();
        for (i, b) in placed.backordered.iter().enumerate() {
            let p = &v.products[i];
            if *b > 0 && (take_away || !p.allow_backorder) {
                let s = short.entry(p.sku.clone()).or_insert(Shortage {
                    sku: p.sku.clone(),
                    requested: 0,
                    available: 0,
                });
                s.requested += v.lines[i].qty;
                s.available += v.lines[i].qty - b;
            }
        }
        if !short.is_empty() {
            return Err(Error::OutOfStock(short.into_values().collect()));
        }

        let currency = self.refs.currency;
        let backordered_any = placed.backordered.iter().any(|b| *b > 0);
        let status = if backordered_any {
            OrderStatus::Backordered
        } else if take_away {
            OrderStatus::Completed
        } else {
            OrderStatus::Open
        };
        let (customer, customer_id) = match (&v.new_customer, &v.customer) {
            (Some(d), _) => {
                let id = new_id();
                (Some((id, d.clone())), Some(id))
            }
            (None, c) => (None, c.as_ref().map(|c| c.id)),
        };
        let (ship_to, pickup_id) = match &v.fulfilment {
            Fulfilment::Ship(a) => (
                Some(serde_json::to_string(a).map_err(|e| Error::Internal(e.to_string()))?),
                None,
            ),
            Fulfilment::Pickup(l) | Fulfilment::TakeAway(l) => (None, Some(l.id)),
        };
        let lines: Vec<OrderLine> = self
            .priced
            .iter()
            .enumerate()
            .map(|(i, p)| OrderLine {
                line_no: i as i32 + 1,
                product_id: v.products[i].id,
                sku: v.products[i].sku.clone(),
                name: v.products[i].name.clone(),
                qty: p.qty,
                unit_price: p.unit_price,
                discount: p.discount,
                tax: p.tax,
                total: p.total,
                backordered: placed.backordered[i],
            })
            .collect();

        let mut events = Vec::new();
        let how = match &v.fulfilment {
            Fulfilment::Ship(a) => format!("to ship to {}", a.one_line()),
            Fulfilment::Pickup(l) => format!("for pick-up at {}", l.code),
            Fulfilment::TakeAway(l) => format!("sold at the counter of {}", l.code),
        };
        events.push(self.event(
            "created",
            format!(
                "Order created on {} {how}, total {}",
                v.channel.name,
                Money::new(self.totals.total, currency).display()
            ),
            json!({ "channel": v.channel.code, "channelRef": v.channel_ref, "total": self.totals.total,
                    "currency": currency.code(), "lines": v.lines.len() }),
        ));
        let route = match &placed.plan {
            Some(plan) => {
                let parts: Vec<String> = plan
                    .shipments
                    .iter()
                    .map(|s| {
                        let what: Vec<String> = s
                            .lines
                            .iter()
                            .map(|l| format!("{} × {}", l.qty, l.sku))
                            .collect();
                        match &s.transfer_to {
                            Some(to) => format!("{} → {to}: {}", s.location, what.join(", ")),
                            None => format!("{}: {}", s.location, what.join(", ")),
                        }
                    })
                    .collect();
                let version = self.refs.routing.version;
                events.push(self.event(
                    "routed",
                    format!(
                        "Routed by {} (routing settings v{version}): {}; cost {}",
                        plan.objective.as_str(),
                        if parts.is_empty() {
                            "nothing can ship now".to_owned()
                        } else {
                            parts.join("; ")
                        },
                        Money::new(plan.shipments.iter().map(|s| s.cost).sum(), currency).display()
                    ),
                    json!({ "settingsVersion": version, "objective": plan.objective.as_str(),
                            "shipments": plan.shipments.len(), "totalCost": plan.total_cost,
                            "optimal": plan.optimal }),
                ));
                Some(RouteRow {
                    id: new_id(),
                    settings_version: version,
                    objective: plan.objective.as_str().to_owned(),
                    total_cost: plan.total_cost,
                    plan: serde_json::to_string(plan)
                        .map_err(|e| Error::Internal(e.to_string()))?,
                })
            }
            None => None,
        };

        let pickup_store = match &v.fulfilment {
            Fulfilment::Pickup(l) => Some(l),
            _ => None,
        };
        let mut reservations = Vec::new();
        let mut movements = Vec::new();
        for a in &placed.allocations {
            let p = &v.products[a.line];
            let code = self.code(a.location_id);
            reservations.push(ReservationRow {
                id: new_id(),
                line_no: a.line as i32 + 1,
                product_id: p.id,
                location_id: a.location_id,
                qty: a.qty,
                state: if take_away {
                    ReservationState::Shipped
                } else {
                    ReservationState::Reserved
                },
            });
            movements.push(MovementRow {
                product_id: p.id,
                location_id: a.location_id,
                kind: MovementKind::Reserve,
                qty: a.qty,
            });
            let transfer = pickup_store
                .filter(|s| s.id != a.location_id)
                .map(|s| format!(" for transfer to {}", s.code))
                .unwrap_or_default();
            events.push(self.event(
                "reserved",
                format!("Reserved {} × {} at {code}{transfer}", a.qty, p.sku),
                json!({ "sku": p.sku, "qty": a.qty, "location": code, "line": a.line + 1 }),
            ));
        }
        for (i, b) in placed.backordered.iter().enumerate() {
            if *b > 0 {
                let sku = &v.products[i].sku;
                events.push(self.event(
                    "backordered",
                    format!("Backordered {b} × {sku}: no location can fill it now"),
                    json!({ "sku": sku, "qty": b, "line": i + 1 }),
                ));
            }
        }
        let credit = v.credit.unwrap_or(0).min(self.totals.total).max(0);
        let mut payments = Vec::new();
        if credit > 0 {
            payments.push(PaymentRow {
                id: new_id(),
                method: "exchange credit".into(),
                authorized: credit,
                captured: credit,
            });
            events.push(self.event(
                "payment",
                format!(
                    "Paid {} by exchange credit",
                    Money::new(credit, currency).display()
                ),
                json!({ "method": "exchange credit", "amount": credit, "captured": true }),
            ));
        }
        let rest = self.totals.total - credit;
        if let Some((method, captured)) = &v.payment
            && (rest > 0 || credit == 0)
        {
            payments.push(PaymentRow {
                id: new_id(),
                method: method.clone(),
                authorized: rest,
                captured: if *captured || take_away { rest } else { 0 },
            });
            events.push(self.event(
                "payment",
                format!(
                    "{} {} by {method}",
                    if *captured { "Paid" } else { "Authorised" },
                    Money::new(rest, currency).display()
                ),
                json!({ "method": method, "amount": rest, "captured": captured }),
            ));
        }
        if take_away {
            for a in &placed.allocations {
                let p = &v.products[a.line];
                let code = self.code(a.location_id);
                movements.push(MovementRow {
                    product_id: p.id,
                    location_id: a.location_id,
                    kind: MovementKind::Ship,
                    qty: a.qty,
                });
                events.push(self.event(
                    MovementKind::Ship.as_str(),
                    format!("Shipped {} × {} at {code}", a.qty, p.sku),
                    json!({ "sku": p.sku, "qty": a.qty, "location": code }),
                ));
            }
        }
        if status != OrderStatus::Open {
            let reason = take_away.then_some("handed over at the counter");
            let mut summary = format!("Status open → {}", status.as_str().replace('_', " "));
            if let Some(r) = reason {
                summary.push_str(&format!(" ({r})"));
            }
            events.push(self.event(
                "status_changed",
                summary,
                json!({ "from": "open", "to": status.as_str(), "reason": reason }),
            ));
        }
        let attributes =
            serde_json::to_string(&v.attributes).map_err(|e| Error::Internal(e.to_string()))?;
        Ok(CaptureRows {
            customer,
            order: OrderRow {
                id: self.order_id,
                channel_id: v.channel.id,
                channel_ref: v.channel_ref.clone(),
                customer_id,
                customer_name: v.customer_name.clone(),
                status,
                currency: currency.code().to_owned(),
                ship_to,
                pickup_location_id: pickup_id,
                totals: self.totals,
                item_count: v.lines.iter().map(|l| l.qty).sum(),
                tax_rate_bp: v.tax_rate_bp,
                attributes,
                notes: v.notes.clone(),
                promised_by: v.promised_by,
            },
            lines,
            reservations,
            movements,
            payments,
            events,
            route,
            channel_buffer: v.channel.safety_stock,
            actor: self.actor.as_str().to_owned(),
            at: self.now,
        })
    }
}
