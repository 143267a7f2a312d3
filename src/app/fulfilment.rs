//! Fulfilment use cases: the work queues of a location, pick lists, packing with scan-to-verify
//! (a short pick re-routes what is missing), labels and tracking numbers, handing parcels to the
//! carrier (the stock leaves then), tracking events (typed or imported from a carrier's CSV) that
//! move shipments and orders on by themselves, dropship purchase orders, and pick-up in store
//! (ready notice, hand-over at the counter, release of what is not collected in time).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{Actor, App};
use crate::db;
use crate::db::fulfilment::{ShipmentInsert, TrackingInsert};
use crate::db::inventory::MovementRecord;
use crate::db::orders::ReservationInsert;
use crate::domain::catalog::{Location, LocationKind};
use crate::domain::fulfilment::{
    FulfilmentState, PackageInput, Shipment, ShipmentKind, ShipmentStatus, TrackingKind,
    name_matches, order_status_from, scan_line, status_after_tracking, validate_packages,
};
use crate::domain::ids::order_number;
use crate::domain::mail::OrderMail;
use crate::domain::order::{OrderDetail, OrderStatus, ReservationState};
use crate::domain::stock::MovementKind;
use crate::domain::tracking::{self, TrackingScheme};
use crate::error::{Error, Result};

const KEY_FULFILMENT: &str = "fulfilment";

/// The shop's fulfilment rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FulfilmentSettings {
    /// An order without a promised date is late when not shipped this many days after it came in.
    pub ship_within_days: i64,
    /// A pick-up not collected this many days after it was ready goes back to stock.
    pub pickup_hold_days: i64,
    /// Where each dropship supplier (by location code) gets its purchase orders by e-mail.
    #[serde(default)]
    pub supplier_emails: std::collections::BTreeMap<String, String>,
}

impl Default for FulfilmentSettings {
    fn default() -> Self {
        FulfilmentSettings {
            ship_within_days: 2,
            pickup_hold_days: 7,
            supplier_emails: Default::default(),
        }
    }
}

impl FulfilmentSettings {
    pub fn validated(mut self) -> Result<Self> {
        let mut emails = std::collections::BTreeMap::new();
        for (code, email) in std::mem::take(&mut self.supplier_emails) {
            let code = code.trim().to_ascii_uppercase();
            let email = email.trim().to_owned();
            if email.is_empty() {
                continue;
            }
            let ok = email.len() <= 254
                && email
                    .split_once('@')
                    .is_some_and(|(a, d)| !a.is_empty() && d.contains('.'))
                && !email.contains(char::is_whitespace);
            if !ok {
                return Err(Error::invalid(
                    format!("supplierEmails.{code}"),
                    format!("'{email}' is not an e-mail address: write it as orders@supplier.com"),
                ));
            }
            emails.insert(code, email);
        }
        self.supplier_emails = emails;
        if !(0..=60).contains(&self.ship_within_days) {
            return Err(Error::invalid(
                "shipWithinDays",
                "Ship within 0–60 days of the order",
            ));
        }
        if !(1..=90).contains(&self.pickup_hold_days) {
            return Err(Error::invalid(
                "pickupHoldDays",
                "Hold pick-ups for 1–90 days",
            ));
        }
        Ok(self)
    }
}

/// (order id, order seq, pick-up store, lines as (line no, product, units)).
type ReadyOrder = (Uuid, i64, Option<Uuid>, Vec<(i32, Uuid, i64)>);

/// An order with units ready to pick at a location.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueOrder {
    pub order_id: Uuid,
    pub order_number: String,
    pub customer_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub promised_by: Option<NaiveDate>,
    /// The day it must leave (the promise, or the shop's ship-within days).
    pub due: NaiveDate,
    pub late: bool,
    pub kind: ShipmentKind,
    pub units: i64,
    pub lines: usize,
}

/// A shipment in a queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueShipment {
    pub number: String,
    pub order_number: String,
    pub customer_name: Option<String>,
    pub kind: ShipmentKind,
    pub status: ShipmentStatus,
    pub units: i64,
    pub packed_units: i64,
    pub packages: usize,
    pub carrier: Option<String>,
    pub service: Option<String>,
    pub tracking_number: Option<String>,
    pub pick_list: Option<String>,
    pub created_at: DateTime<Utc>,
    pub ready_at: Option<DateTime<Utc>>,
    pub due: NaiveDate,
    pub late: bool,
}

/// What a location has to do, queue by queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkQueues {
    pub location: String,
    pub location_name: String,
    pub location_kind: LocationKind,
    pub ready_to_pick: Vec<QueueOrder>,
    pub picking: Vec<QueueShipment>,
    pub packed: Vec<QueueShipment>,
    /// Labelled (or purchase order sent), waiting for the carrier or the supplier.
    pub waiting_for_carrier: Vec<QueueShipment>,
    pub ready_for_pickup: Vec<QueueShipment>,
    /// How many of all the above are late against their due day.
    pub late: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickRow {
    pub bin: Option<String>,
    pub sku: String,
    pub name: String,
    pub barcode: Option<String>,
    pub qty: i64,
    /// (shipment number, units) for each shipment that takes some.
    pub shipments: Vec<(String, i64)>,
}

/// A batch of shipments to pick at one location, rows sorted by bin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PickList {
    pub number: String,
    pub location: String,
    pub location_name: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub rows: Vec<PickRow>,
    pub shipments: Vec<QueueShipment>,
}

/// The carrier, service and tracking numbers of a packed shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelRequest {
    pub carrier: String,
    pub service: String,
    /// One per package, or one for all; empty with `generate_local` for the shop's own delivery.
    #[serde(default)]
    pub tracking_numbers: Vec<String>,
    #[serde(default)]
    pub generate_local: bool,
    /// What the carrier charges, in minor units, if known (from rate shopping).
    #[serde(default)]
    pub cost: Option<i64>,
}

/// A tracking event as a person or a file states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingInput {
    /// A shipment number (`SO-10001-1`) or a tracking number.
    pub reference: String,
    pub kind: String,
    /// When it happened; now if not given.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// What importing a carrier's tracking file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct TrackingImport {
    pub applied: usize,
    /// Rows already recorded before (importing the same file twice changes nothing).
    pub duplicates: usize,
    /// `line N: why` for each row that was not used.
    pub errors: Vec<String>,
}

/// A pick-up order as the counter sees it when the customer arrives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PickupHandover {
    pub order_number: String,
    pub customer_name: Option<String>,
    pub store: String,
    pub ready: Vec<Shipment>,
    /// Units of the order not ready yet (still on their way or being picked).
    pub units_not_ready: i64,
}

fn location_of<'a>(locations: &'a [Location], code: &str, field: &str) -> Result<&'a Location> {
    let code = code.trim().to_ascii_uppercase();
    locations.iter().find(|l| l.code == code).ok_or_else(|| {
        Error::invalid(
            field,
            format!("There is no location '{code}': choose one of the shop's locations"),
        )
    })
}

fn clean(text: Option<&str>, max: usize, field: &str) -> Result<Option<String>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) if t.chars().count() > max => {
            Err(Error::invalid(field, format!("At most {max} characters")))
        }
        Some(t) => Ok(Some(t.to_owned())),
    }
}

fn changed_meanwhile() -> Error {
    Error::InvalidTransition {
        message: "The shipment was changed by someone else meanwhile: reload it and try again"
            .into(),
    }
}

impl App {
    pub async fn fulfilment_settings(&self) -> Result<FulfilmentSettings> {
        let mut c = self.db.read().await?;
        Ok(db::settings::get(&mut c, KEY_FULFILMENT)
            .await?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    pub async fn save_fulfilment_settings(
        &self,
        s: FulfilmentSettings,
    ) -> Result<FulfilmentSettings> {
        let s = s.validated()?;
        let text = serde_json::to_string(&s).map_err(|e| Error::Internal(e.to_string()))?;
        crate::db::write!(self.db, |tx| db::settings::set(tx, KEY_FULFILMENT, &text)
            .await)?;
        Ok(s)
    }

    fn due(
        &self,
        s: &FulfilmentSettings,
        created: DateTime<Utc>,
        promised: Option<NaiveDate>,
    ) -> (NaiveDate, bool) {
        let due =
            promised.unwrap_or_else(|| (created + Duration::days(s.ship_within_days)).date_naive());
        (due, self.now().date_naive() > due)
    }

    fn queue_shipment(&self, s: &FulfilmentSettings, sh: &Shipment) -> QueueShipment {
        let (due, late) = self.due(s, sh.created_at, sh.promised_by);
        QueueShipment {
            number: sh.number.clone(),
            order_number: sh.order_number.clone(),
            customer_name: sh.customer_name.clone(),
            kind: sh.kind,
            status: sh.status,
            units: sh.units(),
            packed_units: sh.packed_units(),
            packages: sh.packages.len(),
            carrier: sh.carrier.clone(),
            service: sh.service.clone(),
            tracking_number: sh.tracking_number.clone(),
            pick_list: sh.pick_list.clone(),
            created_at: sh.created_at,
            ready_at: sh.ready_at,
            due,
            // A pick-up that is ready is not late; it waits for the customer.
            late: late && sh.status != ShipmentStatus::ReadyForPickup,
        }
    }

    async fn queue_at(
        &self,
        c: &mut db::Conn,
        settings: &FulfilmentSettings,
        location_id: Uuid,
        statuses: &[ShipmentStatus],
    ) -> Result<Vec<QueueShipment>> {
        let ids = db::fulfilment::shipment_ids_at(c, location_id, statuses, 500).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(sh) = db::fulfilment::load_shipment(c, id).await? {
                out.push(self.queue_shipment(settings, &sh));
            }
        }
        Ok(out)
    }

    /// What `location` has to do now: orders ready to pick, shipments being picked, packed,
    /// waiting for the carrier, and pick-ups waiting for the customer; each flagged when late.
    pub async fn work_queues(&self, location: &str) -> Result<WorkQueues> {
        let refs = self.refs().await?;
        let loc = location_of(&refs.locations, location, "location")?.clone();
        let settings = self.fulfilment_settings().await?;
        let mut c = self.db.read().await?;
        let ready = db::fulfilment::ready_units(&mut c, loc.id).await?;
        let mut orders: Vec<QueueOrder> = Vec::new();
        for r in ready {
            if let Some(last) = orders.last_mut()
                && last.order_id == r.order_id
            {
                last.units += r.ready;
                last.lines += 1;
                continue;
            }
            let (due, late) = self.due(&settings, r.created_at, r.promised_by);
            orders.push(QueueOrder {
                order_id: r.order_id,
                order_number: order_number(r.seq),
                customer_name: r.customer_name,
                created_at: r.created_at,
                promised_by: r.promised_by,
                due,
                late,
                kind: shipment_kind(&loc, r.pickup_location_id),
                units: r.ready,
                lines: 1,
            });
        }
        let picking = self
            .queue_at(&mut c, &settings, loc.id, &[ShipmentStatus::Picking])
            .await?;
        let packed = self
            .queue_at(&mut c, &settings, loc.id, &[ShipmentStatus::Packed])
            .await?;
        let waiting = self
            .queue_at(
                &mut c,
                &settings,
                loc.id,
                &[ShipmentStatus::Labelled, ShipmentStatus::PoSent],
            )
            .await?;
        let pickup = self
            .queue_at(&mut c, &settings, loc.id, &[ShipmentStatus::ReadyForPickup])
            .await?;
        let late = orders.iter().filter(|o| o.late).count()
            + [&picking, &packed, &waiting]
                .iter()
                .map(|q| q.iter().filter(|s| s.late).count())
                .sum::<usize>();
        Ok(WorkQueues {
            location: loc.code.clone(),
            location_name: loc.name.clone(),
            location_kind: loc.kind,
            ready_to_pick: orders,
            picking,
            packed,
            waiting_for_carrier: waiting,
            ready_for_pickup: pickup,
            late,
        })
    }

    /// Starts picking at `location`: the named orders (or, with none named, the oldest ready ones,
    /// at most `max_orders`) each get a shipment of what is ready there, and one pick list gathers
    /// them, sorted by bin.
    pub async fn create_pick_list(
        &self,
        actor: &Actor,
        location: &str,
        orders: &[String],
        max_orders: usize,
    ) -> Result<PickList> {
        let refs = self.refs().await?;
        let loc = location_of(&refs.locations, location, "location")?.clone();
        if loc.kind == LocationKind::Dropship {
            return Err(Error::invalid(
                "location",
                format!(
                    "{} is a dropship supplier: send it a purchase order instead of a pick list",
                    loc.code
                ),
            ));
        }
        if orders.is_empty() && max_orders == 0 {
            return Err(Error::invalid("maxOrders", "Pick at least one order"));
        }
        if max_orders > 200 || orders.len() > 200 {
            return Err(Error::invalid("orders", "At most 200 orders per pick list"));
        }
        let wanted: Vec<String> = orders
            .iter()
            .map(|o| o.trim().to_ascii_uppercase())
            .filter(|o| !o.is_empty())
            .collect();
        let now = self.now();
        let number = crate::db::write!(self.db, |tx| {
            let ready = db::fulfilment::ready_units(tx, loc.id).await?;
            // Group the ready lines by order, oldest first.
            let mut by_order: Vec<ReadyOrder> = Vec::new();
            for r in &ready {
                match by_order.last_mut() {
                    Some(last) if last.0 == r.order_id => {
                        last.3.push((r.line_no, r.product_id, r.ready))
                    }
                    _ => by_order.push((
                        r.order_id,
                        r.seq,
                        r.pickup_location_id,
                        vec![(r.line_no, r.product_id, r.ready)],
                    )),
                }
            }
            let chosen: Vec<_> = if wanted.is_empty() {
                by_order.into_iter().take(max_orders).collect()
            } else {
                let mut out = Vec::new();
                for (i, w) in wanted.iter().enumerate() {
                    match by_order.iter().find(|o| &order_number(o.1) == w) {
                        Some(o) => out.push(o.clone()),
                        None => {
                            return Err(Error::invalid(
                                format!("orders[{i}]"),
                                format!("{w} has nothing ready to pick at {}", loc.code),
                            ));
                        }
                    }
                }
                out
            };
            if chosen.is_empty() {
                return Err(Error::invalid(
                    "orders",
                    format!("Nothing is ready to pick at {}", loc.code),
                ));
            }
            let number = db::fulfilment::next_pick_list_number(tx).await?;
            let pick_id =
                db::fulfilment::insert_pick_list(tx, &number, loc.id, actor.as_str(), now).await?;
            for (order_id, seq, pickup, lines) in &chosen {
                let kind = shipment_kind(&loc, *pickup);
                let (_, sh_number) = db::fulfilment::insert_shipment(
                    tx,
                    &ShipmentInsert {
                        order_id: *order_id,
                        order_seq: *seq,
                        location_id: loc.id,
                        pick_list_id: Some(pick_id),
                        kind,
                        status: ShipmentStatus::Picking,
                        lines,
                    },
                    now,
                )
                .await?;
                let units: i64 = lines.iter().map(|l| l.2).sum();
                db::orders::insert_event(
                    tx,
                    *order_id,
                    "picking",
                    actor.as_str(),
                    now,
                    &format!("Picking {units} unit(s) at {} on {number} (shipment {sh_number})", loc.code),
                    &json!({ "location": loc.code, "pickList": number, "shipment": sh_number, "units": units }),
                )
                .await?;
                settle_order_status(tx, *order_id, actor, now, None).await?;
            }
            Ok(number)
        })?;
        tracing::info!(location = %loc.code, pick_list = %number, "pick list created");
        self.pick_list(&number).await
    }

    /// A pick list with its rows (what to take from which bin, for which shipment).
    pub async fn pick_list(&self, number: &str) -> Result<PickList> {
        let settings = self.fulfilment_settings().await?;
        let refs = self.refs().await?;
        let mut c = self.db.read().await?;
        let Some(pl) =
            db::fulfilment::pick_list_by_number(&mut c, &number.trim().to_ascii_uppercase())
                .await?
        else {
            return Err(Error::not_found("Pick list", number.trim()));
        };
        let loc = refs
            .locations
            .iter()
            .find(|l| l.id == pl.location_id)
            .ok_or_else(|| Error::Internal("pick list location is missing".into()))?;
        let mut shipments = Vec::new();
        let mut rows: BTreeMap<(bool, String, String), PickRow> = BTreeMap::new();
        for id in db::fulfilment::shipment_ids_of_pick_list(&mut c, pl.id).await? {
            let Some(sh) = db::fulfilment::load_shipment(&mut c, id).await? else {
                continue;
            };
            for l in &sh.lines {
                if l.qty == 0 {
                    continue;
                }
                let key = (
                    l.bin.is_none(),
                    l.bin.clone().unwrap_or_default(),
                    l.sku.clone(),
                );
                let row = rows.entry(key).or_insert_with(|| PickRow {
                    bin: l.bin.clone(),
                    sku: l.sku.clone(),
                    name: l.name.clone(),
                    barcode: l.barcode.clone(),
                    qty: 0,
                    shipments: Vec::new(),
                });
                row.qty += l.qty;
                row.shipments.push((sh.number.clone(), l.qty));
            }
            shipments.push(self.queue_shipment(&settings, &sh));
        }
        Ok(PickList {
            number: pl.number,
            location: loc.code.clone(),
            location_name: loc.name.clone(),
            created_at: pl.created_at,
            created_by: pl.created_by,
            rows: rows.into_values().collect(),
            shipments,
        })
    }

    /// The newest pick lists of a location (numbers only).
    pub async fn recent_pick_lists(&self, location: &str) -> Result<Vec<String>> {
        let refs = self.refs().await?;
        let loc = location_of(&refs.locations, location, "location")?;
        let mut c = self.db.read().await?;
        Ok(db::fulfilment::recent_pick_lists(&mut c, loc.id, 20)
            .await?
            .into_iter()
            .map(|p| p.number)
            .collect())
    }

    /// The shipment, if it is in `status`; otherwise an error saying what it is and `why_not`.
    async fn shipment_in(
        &self,
        number: &str,
        status: ShipmentStatus,
        why_not: &str,
    ) -> Result<Shipment> {
        let sh = self.shipment(number).await?;
        if sh.status != status {
            return Err(Error::InvalidTransition {
                message: format!("{} is {}: {why_not}", sh.number, sh.status.label()),
            });
        }
        Ok(sh)
    }

    pub async fn shipment(&self, number: &str) -> Result<Shipment> {
        let mut c = self.db.read().await?;
        let id = db::fulfilment::shipment_id_by_number(&mut c, number)
            .await?
            .ok_or_else(|| Error::not_found("Shipment", number.trim()))?;
        db::fulfilment::load_shipment(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Shipment", number.trim()))
    }

    pub async fn shipments_of_order(&self, order_id: Uuid) -> Result<Vec<Shipment>> {
        let mut c = self.db.read().await?;
        let mut out = Vec::new();
        for id in db::fulfilment::shipment_ids_of_order(&mut c, order_id).await? {
            if let Some(s) = db::fulfilment::load_shipment(&mut c, id).await? {
                out.push(s);
            }
        }
        Ok(out)
    }

    /// Finds a shipment by its number or a tracking number.
    pub async fn find_shipment(&self, reference: &str) -> Result<Shipment> {
        let r = reference.trim();
        if r.is_empty() {
            return Err(Error::invalid(
                "reference",
                "Scan or type a shipment number or a tracking number",
            ));
        }
        let mut c = self.db.read().await?;
        let id = match db::fulfilment::shipment_id_by_number(&mut c, r).await? {
            Some(id) => Some(id),
            None => {
                let norm = tracking::normalize(r);
                db::fulfilment::shipment_ids_by_tracking(&mut c, &norm)
                    .await?
                    .first()
                    .copied()
            }
        };
        let id = id.ok_or_else(|| Error::not_found("Shipment", r))?;
        db::fulfilment::load_shipment(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Shipment", r))
    }

    /// Records where a product sits at a location (`None` clears it).
    pub async fn set_bin(&self, sku: &str, location: &str, bin: Option<&str>) -> Result<()> {
        let refs = self.refs().await?;
        let loc = location_of(&refs.locations, location, "location")?.clone();
        let bin = clean(bin, 40, "bin")?;
        let product = self.find_product(sku).await?.ok_or_else(|| {
            Error::invalid("sku", format!("There is no product '{}'", sku.trim()))
        })?;
        crate::db::write!(self.db, |tx| {
            db::fulfilment::set_bin(tx, product.id, loc.id, bin.as_deref()).await
        })
    }

    /// One scan while packing: the product is counted on the line that still needs it, or the
    /// scan is refused at once (wrong item, surplus) and nothing changes.
    pub async fn pack_scan(&self, number: &str, code: &str) -> Result<Shipment> {
        let sh = self
            .shipment_in(
                number,
                ShipmentStatus::Picking,
                "only shipments being picked are scanned",
            )
            .await?;
        let code = code.trim();
        let product = self.find_product(code).await?.ok_or_else(|| {
            Error::invalid(
                "code",
                format!("'{code}' is not a product barcode or SKU — scan the item's barcode again"),
            )
        })?;
        let label = format!("{} ({})", product.sku, product.name);
        let i = scan_line(&sh, product.id, &label)?;
        let line_no = sh.lines[i].line_no;
        let ok = crate::db::write!(self.db, |tx| {
            db::fulfilment::add_packed(tx, sh.id, line_no).await
        })?;
        if !ok {
            return Err(changed_meanwhile());
        }
        self.shipment(&sh.number).await
    }

    /// Starts the scanning of a shipment over (everything back to unscanned).
    pub async fn pack_reset(&self, number: &str) -> Result<Shipment> {
        let sh = self
            .shipment_in(
                number,
                ShipmentStatus::Picking,
                "it is no longer being packed",
            )
            .await?;
        crate::db::write!(self.db, |tx| db::fulfilment::reset_packed(tx, sh.id).await)?;
        self.shipment(&sh.number).await
    }

    /// Closes packing: records the parcels; what was not scanned is a short pick, which must be
    /// confirmed and is then released here and routed again (other locations or backorder). A
    /// pick-up becomes ready for the customer; anything else waits for its label.
    pub async fn finish_packing(
        &self,
        actor: &Actor,
        number: &str,
        packages: &[PackageInput],
        confirm_short: bool,
    ) -> Result<Shipment> {
        let sh = self
            .shipment_in(number, ShipmentStatus::Picking, "it was packed already")
            .await?;
        if sh.packed_units() == 0 {
            return Err(Error::invalid(
                "code",
                format!(
                    "Nothing of {} is scanned yet: scan each item, or re-route the order from its page if nothing can be found",
                    sh.number
                ),
            ));
        }
        let short: Vec<_> = sh.lines.iter().filter(|l| l.packed < l.qty).collect();
        if !short.is_empty() && !confirm_short {
            let what: Vec<String> = short
                .iter()
                .map(|l| format!("{} × {}", l.qty - l.packed, l.sku))
                .collect();
            return Err(Error::invalid(
                "confirmShort",
                format!(
                    "Not scanned: {}. Scan them, or confirm a short pick to send the missing units elsewhere",
                    what.join(", ")
                ),
            ));
        }
        if sh.kind != ShipmentKind::Pickup {
            validate_packages(packages)?;
        }
        let refs = self.refs().await?;
        let loc = location_of(&refs.locations, &sh.location, "location")?.clone();
        let hold_days = self.fulfilment_settings().await?.pickup_hold_days;
        let now = self.now();
        let to = match sh.kind {
            ShipmentKind::Pickup => ShipmentStatus::ReadyForPickup,
            ShipmentKind::Ship | ShipmentKind::Dropship => ShipmentStatus::Packed,
        };
        crate::db::write!(self.db, |tx| {
            if !db::fulfilment::set_shipment_status(tx, sh.id, ShipmentStatus::Picking, to, now)
                .await?
            {
                return Err(changed_meanwhile());
            }
            for (i, p) in packages.iter().enumerate() {
                db::fulfilment::insert_package(tx, sh.id, i as i32 + 1, p).await?;
            }
            if !short.is_empty() {
                let order = db::orders::load_order(tx, sh.order_id)
                    .await?
                    .ok_or_else(|| Error::not_found("Order", sh.order_number.clone()))?;
                let mut units = Vec::new();
                for l in &short {
                    let missing = l.qty - l.packed;
                    db::fulfilment::set_line_qty(tx, sh.id, l.line_no, l.packed).await?;
                    release_units(
                        tx,
                        sh.order_id,
                        loc.id,
                        l.line_no,
                        missing,
                        ReservationState::Released,
                        now,
                    )
                    .await?;
                    super::reroute::release_movement(
                        tx,
                        &order,
                        l.product_id,
                        &l.sku,
                        missing,
                        &loc,
                        "short pick",
                        actor,
                        now,
                    )
                    .await?;
                    units.push((l.line_no, l.product_id, missing));
                }
                super::reroute::route_again(
                    tx,
                    &refs,
                    &order,
                    &loc,
                    &units,
                    "short pick",
                    actor,
                    now,
                )
                .await?;
            }
            let summary = match sh.kind {
                ShipmentKind::Pickup => format!(
                    "Ready for pick-up at {}: {} unit(s) ({})",
                    loc.code,
                    sh.packed_units(),
                    sh.number
                ),
                ShipmentKind::Ship | ShipmentKind::Dropship => {
                    let grams: i64 = packages.iter().map(|p| p.weight_grams).sum();
                    format!(
                        "Packed {} at {}: {} unit(s) in {} package(s), {}",
                        sh.number,
                        loc.code,
                        sh.packed_units(),
                        packages.len(),
                        kilos(grams)
                    )
                }
            };
            db::orders::insert_event(
                tx,
                sh.order_id,
                if to == ShipmentStatus::ReadyForPickup {
                    "ready_for_pickup"
                } else {
                    "packed"
                },
                actor.as_str(),
                now,
                &summary,
                &json!({ "shipment": sh.number, "packages": packages.len(), "short": short.len() }),
            )
            .await?;
            if to == ShipmentStatus::ReadyForPickup {
                let order = db::orders::load_order(tx, sh.order_id)
                    .await?
                    .ok_or_else(|| Error::not_found("Order", sh.order_number.clone()))?;
                let a = &loc.address;
                let mail = OrderMail::ReadyForPickup {
                    store_name: loc.name.clone(),
                    store_address: format!(
                        "{}, {} {} {}",
                        a.line1, a.postal_code, a.city, a.region
                    )
                    .trim_end()
                    .to_owned(),
                    hold_until: now + Duration::days(hold_days),
                };
                super::mail::queue_order_mail(
                    tx,
                    &order,
                    &mail,
                    &format!("ready_for_pickup:{}", sh.id),
                    now,
                )
                .await?;
            }
            settle_order_status(tx, sh.order_id, actor, now, None).await
        })?;
        tracing::info!(shipment = %sh.number, short = short.len(), "shipment packed");
        self.shipment(&sh.number).await
    }

    /// Puts the carrier, service and tracking numbers on a packed shipment (a label was made).
    pub async fn label_shipment(
        &self,
        actor: &Actor,
        number: &str,
        req: &LabelRequest,
    ) -> Result<Shipment> {
        let sh = self
            .shipment_in(
                number,
                ShipmentStatus::Packed,
                "only packed shipments get a label",
            )
            .await?;
        let carrier = clean(Some(&req.carrier), 60, "carrier")?
            .ok_or_else(|| Error::invalid("carrier", "Choose the carrier"))?;
        let service = clean(Some(&req.service), 60, "service")?
            .ok_or_else(|| Error::invalid("service", "Choose the carrier's service"))?;
        if req.cost.is_some_and(|c| !(0..=1_000_000_000).contains(&c)) {
            return Err(Error::invalid(
                "cost",
                "The shipping cost must be 0 or more",
            ));
        }
        let cards = self.refs().await?.rates.cards.clone();
        let numbers: Vec<String> = if req.generate_local {
            if !req.tracking_numbers.iter().all(|t| t.trim().is_empty()) {
                return Err(Error::invalid(
                    "trackingNumbers",
                    "Either type the carrier's tracking numbers or generate local ones, not both",
                ));
            }
            let mut out = Vec::new();
            for _ in 0..sh.packages.len().max(1) {
                out.push(self.next_local_tracking().await?);
            }
            out
        } else {
            let given: Vec<String> = req
                .tracking_numbers
                .iter()
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .map(|t| t.to_owned())
                .collect();
            if given.is_empty() {
                return Err(Error::invalid(
                    "trackingNumbers",
                    "Scan or type the tracking number from the carrier's label (or generate a local one for your own delivery)",
                ));
            }
            if given.len() != 1 && given.len() != sh.packages.len() {
                return Err(Error::invalid(
                    "trackingNumbers",
                    format!(
                        "{} has {} package(s): give one tracking number for all, or one per package",
                        sh.number,
                        sh.packages.len()
                    ),
                ));
            }
            let mut out = Vec::new();
            for (i, t) in given.iter().enumerate() {
                out.push(self.check_tracking_for(
                    &cards,
                    &carrier,
                    t,
                    &format!("trackingNumbers[{i}]"),
                )?);
            }
            out
        };
        let now = self.now();
        crate::db::write!(self.db, |tx| {
            for t in &numbers {
                if let Some(other) = db::fulfilment::tracking_in_use(tx, t, sh.id).await? {
                    return Err(Error::invalid(
                        "trackingNumbers",
                        format!("{t} is already on {other}: scan this parcel's own label"),
                    ));
                }
            }
            if !db::fulfilment::set_shipment_status(
                tx,
                sh.id,
                ShipmentStatus::Packed,
                ShipmentStatus::Labelled,
                now,
            )
            .await?
            {
                return Err(changed_meanwhile());
            }
            db::fulfilment::set_label(tx, sh.id, &carrier, &service, &numbers[0], req.cost).await?;
            for p in &sh.packages {
                let t = numbers.get(p.seq as usize - 1).unwrap_or(&numbers[0]);
                db::fulfilment::set_package_tracking(tx, sh.id, p.seq, t).await?;
            }
            db::fulfilment::insert_tracking_event(
                tx,
                &TrackingInsert {
                    shipment_id: sh.id,
                    kind: TrackingKind::LabelCreated,
                    at: now,
                    place: Some(&sh.location),
                    note: None,
                    source: "shop",
                    actor: actor.as_str(),
                },
                now,
            )
            .await?;
            db::orders::insert_event(
                tx,
                sh.order_id,
                "labelled",
                actor.as_str(),
                now,
                &format!("Label for {}: {carrier} {service}, tracking {}", sh.number, numbers.join(", ")),
                &json!({ "shipment": sh.number, "carrier": carrier, "service": service, "tracking": numbers, "cost": req.cost }),
            )
            .await
        })?;
        self.shipment(&sh.number).await
    }

    /// Voids the label of a shipment the carrier has not taken yet: it goes back to packed, its
    /// carrier, service and tracking numbers are cleared (the numbers can be used again) and the
    /// timeline says why. Print a new label after labelling it again.
    pub async fn void_label(&self, actor: &Actor, number: &str, reason: &str) -> Result<Shipment> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 300 {
            return Err(Error::invalid(
                "reason",
                "Say why the label is voided (1–300 characters), e.g. wrong service, damaged label",
            ));
        }
        let sh = self
            .shipment_in(
                number,
                ShipmentStatus::Labelled,
                "only a label the carrier has not taken can be voided",
            )
            .await?;
        let now = self.now();
        crate::db::write!(self.db, |tx| {
            if !db::fulfilment::set_shipment_status(
                tx,
                sh.id,
                ShipmentStatus::Labelled,
                ShipmentStatus::Packed,
                now,
            )
            .await?
            {
                return Err(changed_meanwhile());
            }
            db::fulfilment::clear_label(tx, sh.id).await?;
            db::orders::insert_event(
                tx,
                sh.order_id,
                "label_voided",
                actor.as_str(),
                now,
                &format!(
                    "Label voided for {} ({} {}, tracking {}): {reason}",
                    sh.number,
                    sh.carrier.clone().unwrap_or_default(),
                    sh.service.clone().unwrap_or_default(),
                    sh.tracking_number.clone().unwrap_or_default()
                ),
                &json!({ "shipment": sh.number, "tracking": sh.tracking_number, "reason": reason }),
            )
            .await
        })?;
        self.shipment(&sh.number).await
    }

    /// A tracking number for the shop's own local delivery: `LD` and a running number with a
    /// mod-10 check digit.
    pub(crate) async fn next_local_tracking(&self) -> Result<String> {
        let n = crate::db::write!(self.db, |tx| {
            let n: i64 = db::settings::get(tx, "local_tracking_seq")
                .await?
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
                + 1;
            db::settings::set(tx, "local_tracking_seq", &n.to_string()).await?;
            Ok(n)
        })?;
        Ok(tracking::local_number(tracking::LOCAL_PREFIX, n as u64))
    }

    /// Checks a tracking number against the carrier's check-digit rule (UPS 1Z, USPS / GS1
    /// mod 10, FedEx, UPU S10, the shop's own local numbers) and returns it normalised. For a
    /// carrier without a known rule the number only has to look like one.
    pub(crate) fn check_tracking_for(
        &self,
        cards: &crate::domain::rates::RateCards,
        carrier: &str,
        number: &str,
        field: &str,
    ) -> Result<String> {
        let norm = tracking::normalize(number);
        // A carrier from the rate cards says which check digit its numbers carry.
        let from_cards = cards
            .carriers
            .iter()
            .find(|c| {
                c.code.eq_ignore_ascii_case(carrier.trim())
                    || c.name.eq_ignore_ascii_case(carrier.trim())
            })
            .and_then(|c| scheme_of_carrier(&c.tracking));
        if let Some(scheme) = from_cards.or_else(|| scheme_of_carrier(carrier)) {
            return tracking::validate(scheme, &norm, field);
        }
        if norm.len() < 6 || norm.len() > 40 || !norm.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                field,
                format!(
                    "'{}' does not look like a {carrier} tracking number: 6–40 letters and digits",
                    number.trim()
                ),
            ));
        }
        Ok(norm)
    }

    /// Rate shopping for a packed shipment: every service from its location to its address for
    /// its parcels' weight, cheapest first, and the one to use (the cheapest that meets the
    /// order's promise, else the fastest).
    pub async fn quote_for_shipment(&self, number: &str) -> Result<crate::domain::rates::RateShop> {
        let sh = self.shipment(number).await?;
        let ship_to = sh.ship_to.clone().ok_or_else(|| {
            Error::invalid(
                "shipment",
                format!(
                    "{} has no ship-to address (a pick-up is not shipped)",
                    sh.number
                ),
            )
        })?;
        if sh.packages.is_empty() {
            return Err(Error::InvalidTransition {
                message: format!(
                    "{} has no parcels yet: finish packing to weigh it",
                    sh.number
                ),
            });
        }
        let promise = sh.promised_by.filter(|p| *p >= self.now().date_naive());
        self.quote_shipment(
            &sh.location,
            &ship_to,
            sh.weight_grams(),
            sh.packages.len() as i64,
            promise,
        )
        .await
    }

    /// The carrier took the parcels: the shipments leave (their reserved units leave the stock)
    /// and the orders move to partially shipped / shipped by themselves.
    pub async fn hand_to_carrier(
        &self,
        actor: &Actor,
        numbers: &[String],
    ) -> Result<Vec<Shipment>> {
        if numbers.is_empty() {
            return Err(Error::invalid(
                "shipments",
                "Choose the shipments the carrier took",
            ));
        }
        let mut out = Vec::new();
        for n in numbers {
            let sh = self.find_shipment(n).await?;
            if !matches!(sh.status, ShipmentStatus::Labelled | ShipmentStatus::PoSent) {
                return Err(Error::InvalidTransition {
                    message: format!(
                        "{} is {}: only labelled shipments are handed to the carrier",
                        sh.number,
                        sh.status.label()
                    ),
                });
            }
            let now = self.now();
            crate::db::write!(self.db, |tx| {
                leave(tx, &sh, ShipmentStatus::Shipped, actor, now).await?;
                db::fulfilment::insert_tracking_event(
                    tx,
                    &TrackingInsert {
                        shipment_id: sh.id,
                        kind: TrackingKind::PickedUp,
                        at: now,
                        place: Some(&sh.location),
                        note: None,
                        source: "shop",
                        actor: actor.as_str(),
                    },
                    now,
                )
                .await?;
                settle_order_status(tx, sh.order_id, actor, now, None).await
            })?;
            out.push(self.shipment(&sh.number).await?);
        }
        Ok(out)
    }

    /// Records a tracking event (typed, or one row of a carrier file) and moves the shipment and
    /// its order on. The same event twice is recorded once.
    pub async fn add_tracking_event(
        &self,
        actor: &Actor,
        input: &TrackingInput,
    ) -> Result<(Shipment, bool)> {
        self.apply_tracking(actor, input, "manual").await
    }

    async fn apply_tracking(
        &self,
        actor: &Actor,
        input: &TrackingInput,
        source: &str,
    ) -> Result<(Shipment, bool)> {
        let kind = TrackingKind::parse(&input.kind, "kind")?;
        let sh = self.find_shipment(&input.reference).await?;
        let now = self.now();
        let at = chrono::SubsecRound::trunc_subsecs(input.at.unwrap_or(now), 6);
        if at > now + Duration::hours(1) {
            return Err(Error::invalid(
                "at",
                "A tracking event cannot be in the future",
            ));
        }
        let place = clean(input.place.as_deref(), 200, "place")?;
        let note = clean(input.note.as_deref(), 500, "note")?;
        if matches!(sh.kind, ShipmentKind::Pickup) {
            return Err(Error::invalid(
                "reference",
                format!(
                    "{} is a pick-up: hand it over at the counter instead",
                    sh.number
                ),
            ));
        }
        if matches!(
            sh.status,
            ShipmentStatus::Picking
                | ShipmentStatus::Packed
                | ShipmentStatus::Cancelled
                | ShipmentStatus::Released
        ) && kind != TrackingKind::LabelCreated
        {
            return Err(Error::InvalidTransition {
                message: format!(
                    "{} is {}: give it a label (tracking number) before tracking it",
                    sh.number,
                    sh.status.label()
                ),
            });
        }
        let added = crate::db::write!(self.db, |tx| {
            let latest = db::fulfilment::latest_status_event(tx, sh.id).await?;
            let added = db::fulfilment::insert_tracking_event(
                tx,
                &TrackingInsert {
                    shipment_id: sh.id,
                    kind,
                    at,
                    place: place.as_deref(),
                    note: note.as_deref(),
                    source,
                    actor: actor.as_str(),
                },
                now,
            )
            .await?;
            if !added {
                return Ok(false);
            }
            let mut summary = format!("{}: {}", sh.number, kind.label());
            if let Some(p) = &place {
                summary.push_str(&format!(" at {p}"));
            }
            if let Some(n) = &note {
                summary.push_str(&format!(" ({n})"));
            }
            db::orders::insert_event(
                tx,
                sh.order_id,
                "tracking",
                actor.as_str(),
                now,
                &summary,
                &json!({ "shipment": sh.number, "kind": kind.as_str(), "at": at, "place": place, "note": note, "source": source }),
            )
            .await?;
            // An older event than what is already known does not move the status back.
            if latest.is_some_and(|l| at < l) {
                return Ok(true);
            }
            let next = status_after_tracking(sh.status, kind);
            if next != sh.status {
                if matches!(sh.status, ShipmentStatus::Labelled | ShipmentStatus::PoSent) {
                    // The carrier's first scan: the goods have left.
                    leave(tx, &sh, next, actor, now).await?;
                } else if !db::fulfilment::set_shipment_status(
                    tx,
                    sh.id,
                    sh.status,
                    next,
                    at.min(now),
                )
                .await?
                {
                    return Err(changed_meanwhile());
                }
                settle_order_status(tx, sh.order_id, actor, now, None).await?;
            }
            Ok(true)
        })?;
        Ok((self.shipment(&sh.number).await?, added))
    }

    /// Imports a carrier's tracking file (CSV with a header). Columns are found by name:
    /// tracking number (`tracking`, `tracking_number`, `tracking number`, `awb`), event
    /// (`status`, `event`, `activity`), time (`time`, `date`, `timestamp`, `datetime`: RFC 3339
    /// or `YYYY-MM-DD HH:MM[:SS]` in UTC), place (`location`, `place`, `city`) and note
    /// (`note`, `details`, `description`). Rows that cannot be used are reported by line; the
    /// rest are applied. Importing the same file again changes nothing.
    pub async fn import_tracking_csv(&self, actor: &Actor, text: &str) -> Result<TrackingImport> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| Error::invalid("file", format!("The file is not CSV: {e}")))?
            .iter()
            .map(|h| h.trim().to_ascii_lowercase().replace(['_', '-'], " "))
            .collect();
        let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let col_tracking = find(&[
            "tracking",
            "tracking number",
            "tracking no",
            "awb",
            "shipment",
            "reference",
        ])
        .ok_or_else(|| {
            Error::invalid(
                "file",
                "No tracking number column: name one 'tracking_number'",
            )
        })?;
        let col_kind = find(&["status", "event", "activity", "kind"]).ok_or_else(|| {
            Error::invalid("file", "No event column: name one 'status' or 'event'")
        })?;
        let col_at = find(&["time", "date", "timestamp", "datetime", "date time", "at"]);
        let col_place = find(&["location", "place", "city"]);
        let col_note = find(&["note", "details", "description", "remarks"]);
        let mut rows: Vec<(usize, TrackingInput)> = Vec::new();
        let mut report = TrackingImport::default();
        for (i, rec) in reader.records().enumerate() {
            let line = i + 2;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    report.errors.push(format!("line {line}: {e}"));
                    continue;
                }
            };
            let get = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .map(str::to_owned)
                    .filter(|s| !s.is_empty())
            };
            let at = match get(col_at) {
                None => None,
                Some(t) => match parse_time(&t) {
                    Some(at) => Some(at),
                    None => {
                        report.errors.push(format!(
                            "line {line}: '{t}' is not a time (use 2026-11-27T14:05:00Z or 2026-11-27 14:05)"
                        ));
                        continue;
                    }
                },
            };
            rows.push((
                line,
                TrackingInput {
                    reference: get(Some(col_tracking)).unwrap_or_default(),
                    kind: get(Some(col_kind)).unwrap_or_default(),
                    at,
                    place: get(col_place),
                    note: get(col_note),
                },
            ));
        }
        if rows.len() > 100_000 {
            return Err(Error::invalid("file", "At most 100,000 rows per file"));
        }
        // Oldest first, so each shipment ends in its newest state.
        rows.sort_by_key(|(_, r)| r.at);
        for (line, input) in rows {
            match self.apply_tracking(actor, &input, "import").await {
                Ok((_, true)) => report.applied += 1,
                Ok((_, false)) => report.duplicates += 1,
                Err(e) if e.is_user_error() => report.errors.push(format!("line {line}: {e}")),
                Err(e) => return Err(e),
            }
        }
        tracing::info!(
            applied = report.applied,
            duplicates = report.duplicates,
            errors = report.errors.len(),
            "tracking file imported"
        );
        Ok(report)
    }

    /// Sends a dropship supplier the order: a shipment in `po_sent` for what is reserved there.
    pub async fn send_purchase_order(
        &self,
        actor: &Actor,
        location: &str,
        order: &str,
    ) -> Result<Shipment> {
        let refs = self.refs().await?;
        let loc = location_of(&refs.locations, location, "location")?.clone();
        if loc.kind != LocationKind::Dropship {
            return Err(Error::invalid(
                "location",
                format!(
                    "{} is not a dropship supplier: pick and pack there instead",
                    loc.code
                ),
            ));
        }
        let o = self.order(order).await?;
        let now = self.now();
        let number = crate::db::write!(self.db, |tx| {
            let ready: Vec<_> = db::fulfilment::ready_units(tx, loc.id)
                .await?
                .into_iter()
                .filter(|r| r.order_id == o.id)
                .collect();
            if ready.is_empty() {
                return Err(Error::invalid(
                    "order",
                    format!("{} has nothing waiting at {}", o.number, loc.code),
                ));
            }
            let lines: Vec<(i32, Uuid, i64)> = ready
                .iter()
                .map(|r| (r.line_no, r.product_id, r.ready))
                .collect();
            let (id, number) = db::fulfilment::insert_shipment(
                tx,
                &ShipmentInsert {
                    order_id: o.id,
                    order_seq: o.seq,
                    location_id: loc.id,
                    pick_list_id: None,
                    kind: ShipmentKind::Dropship,
                    status: ShipmentStatus::PoSent,
                    lines: &lines,
                },
                now,
            )
            .await?;
            let _ = id;
            db::orders::insert_event(
                tx,
                o.id,
                "purchase_order",
                actor.as_str(),
                now,
                &format!(
                    "Purchase order {number} sent to {} ({})",
                    loc.name, loc.code
                ),
                &json!({ "shipment": number, "supplier": loc.code }),
            )
            .await?;
            settle_order_status(tx, o.id, actor, now, None).await?;
            Ok(number)
        })?;
        // The order is placed either way; a mail that cannot be queued is logged and can be
        // sent again from the shipment.
        if let Err(e) = self.email_purchase_order(actor, &number).await {
            tracing::warn!(shipment = %number, error = %e, "purchase order not e-mailed");
        }
        self.shipment(&number).await
    }

    /// Queues the purchase order of a dropship shipment to its supplier's e-mail address
    /// (Settings → Fulfilment), with the PDF attached. `false` when the supplier has no address
    /// or e-mail is off; sending it twice queues it once.
    pub async fn email_purchase_order(&self, actor: &Actor, number: &str) -> Result<bool> {
        let sh = self.shipment(number).await?;
        let settings = self.fulfilment_settings().await?;
        let Some(to) = settings.supplier_emails.get(&sh.location).cloned() else {
            return Ok(false);
        };
        let doc = self.purchase_order_document(&sh.number).await?;
        let shop = self.settings().await?.business_name;
        let subject = format!("Purchase order PO-{} from {shop}", sh.number);
        let lines: Vec<String> = sh
            .lines
            .iter()
            .map(|l| format!("  {} × {} {}", l.qty, l.sku, l.name))
            .collect();
        let text = format!(
            "Hello,\n\nplease ship these items straight to our customer (the attached purchase order has the address) \
             and reply with the tracking number for {}:\n\n{}\n\nThank you,\n{shop}\n",
            sh.number,
            lines.join("\n")
        );
        let now = self.now();
        crate::db::write!(self.db, |tx| {
            let queued = super::mail::queue_supplier_mail(
                tx,
                sh.order_id,
                &to,
                &subject,
                &text,
                (&doc.name, &doc.bytes),
                &format!("purchase_order:{}", sh.id),
                now,
            )
            .await?;
            if queued {
                db::orders::insert_event(
                    tx,
                    sh.order_id,
                    "purchase_order_emailed",
                    actor.as_str(),
                    now,
                    &format!("Purchase order for {} queued by e-mail to {to}", sh.number),
                    &json!({ "shipment": sh.number, "to": to }),
                )
                .await?;
            }
            Ok(queued)
        })
    }

    /// The supplier's tracking number closes a purchase order: the shipment has left.
    pub async fn dropship_shipped(
        &self,
        actor: &Actor,
        number: &str,
        carrier: &str,
        tracking: &str,
    ) -> Result<Shipment> {
        let sh = self
            .shipment_in(
                number,
                ShipmentStatus::PoSent,
                "only a sent purchase order waits for the supplier's tracking",
            )
            .await?;
        let carrier = clean(Some(carrier), 60, "carrier")?
            .ok_or_else(|| Error::invalid("carrier", "Name the supplier's carrier"))?;
        let cards = self.refs().await?.rates.cards.clone();
        let t = self.check_tracking_for(&cards, &carrier, tracking, "trackingNumber")?;
        let now = self.now();
        crate::db::write!(self.db, |tx| {
            if let Some(other) = db::fulfilment::tracking_in_use(tx, &t, sh.id).await? {
                return Err(Error::invalid(
                    "trackingNumber",
                    format!("{t} is already on {other}"),
                ));
            }
            db::fulfilment::set_label(tx, sh.id, &carrier, "dropship", &t, None).await?;
            let labelled = Shipment {
                carrier: Some(carrier.clone()),
                service: Some("dropship".into()),
                tracking_number: Some(t.clone()),
                ..sh.clone()
            };
            leave(tx, &labelled, ShipmentStatus::Shipped, actor, now).await?;
            settle_order_status(tx, sh.order_id, actor, now, None).await
        })?;
        self.shipment(&sh.number).await
    }

    /// A pick-up order as the counter sees it when the customer comes: found by the order's
    /// number (its barcode on the ready notice or packing slip).
    pub async fn pickup_handover(&self, code: &str) -> Result<PickupHandover> {
        let order = self.order(code.trim()).await.map_err(|e| match e {
            Error::NotFound { .. } => Error::invalid(
                "code",
                format!("No order '{}': scan the barcode on the customer's notice or type the order number", code.trim()),
            ),
            other => other,
        })?;
        let Some(store) = order.pickup_location.clone() else {
            return Err(Error::invalid(
                "code",
                format!(
                    "{} is not a pick-up order: it ships to the customer",
                    order.number
                ),
            ));
        };
        let shipments = self.shipments_of_order(order.id).await?;
        let ready: Vec<Shipment> = shipments
            .iter()
            .filter(|s| s.status == ShipmentStatus::ReadyForPickup)
            .cloned()
            .collect();
        let mut c = self.db.read().await?;
        let unassigned = db::fulfilment::unassigned_units(&mut c, order.id).await?;
        let active_other: i64 = shipments
            .iter()
            .filter(|s| s.status.is_active() && s.status != ShipmentStatus::ReadyForPickup)
            .map(|s| s.units())
            .sum();
        Ok(PickupHandover {
            order_number: order.number.clone(),
            customer_name: order.customer_name.clone(),
            store,
            ready,
            units_not_ready: unassigned + active_other + order.backordered_units(),
        })
    }

    /// Hands a pick-up order to the customer at the counter, after the name they give was
    /// checked against the order: the units leave the stock and the order is completed (or
    /// partially shipped when some of it is not ready yet).
    pub async fn hand_over(
        &self,
        actor: &Actor,
        code: &str,
        name_given: &str,
    ) -> Result<OrderDetail> {
        let h = self.pickup_handover(code).await?;
        if h.ready.is_empty() {
            return Err(Error::InvalidTransition {
                message: format!("Nothing of {} is ready for pick-up yet", h.order_number),
            });
        }
        let on_order = h.customer_name.clone().unwrap_or_default();
        let given = name_given.trim();
        if on_order.trim().is_empty() {
            // A counter pick-up taken without a name: record who collected it instead.
            if given.is_empty() || given.chars().count() > 100 {
                return Err(Error::invalid(
                    "name",
                    "The order has no name on it: type the name of the person collecting it (it is kept on the order)",
                ));
            }
        } else if !name_matches(&on_order, name_given) {
            return Err(Error::invalid(
                "name",
                format!(
                    "The name does not match the order ({}): ask for the name on the order or an ID",
                    if on_order.is_empty() {
                        "no name on it".to_owned()
                    } else {
                        on_order.clone()
                    }
                ),
            ));
        }
        let now = self.now();
        let order_id = h.ready[0].order_id;
        crate::db::write!(self.db, |tx| {
            for sh in &h.ready {
                leave(tx, sh, ShipmentStatus::Collected, actor, now).await?;
            }
            db::orders::insert_event(
                tx,
                order_id,
                "handed_over",
                actor.as_str(),
                now,
                &format!("Collected by {given} at {} (name checked)", h.store),
                &json!({ "name": given, "store": h.store }),
            )
            .await?;
            settle_order_status(tx, order_id, actor, now, Some("handed over at the counter")).await
        })?;
        tracing::info!(order = %h.order_number, "pick-up handed over");
        self.order_by_id(order_id).await
    }

    /// Releases pick-ups not collected within the hold days: the units go back to stock, the
    /// shipment is marked released and the order cancelled with the reason. Returns the orders.
    pub async fn release_uncollected(&self, actor: &Actor) -> Result<Vec<String>> {
        let settings = self.fulfilment_settings().await?;
        let now = self.now();
        let cutoff = now - Duration::days(settings.pickup_hold_days);
        let ids = {
            let mut c = self.db.read().await?;
            db::fulfilment::uncollected_before(&mut c, cutoff).await?
        };
        let mut released = Vec::new();
        for id in ids {
            let sh = {
                let mut c = self.db.read().await?;
                db::fulfilment::load_shipment(&mut c, id).await?
            };
            let Some(sh) = sh else { continue };
            let reason = format!("not collected within {} days", settings.pickup_hold_days);
            let refs = self.refs().await?;
            let loc = location_of(&refs.locations, &sh.location, "location")?.clone();
            let done = crate::db::write!(self.db, |tx| {
                if !db::fulfilment::set_shipment_status(
                    tx,
                    sh.id,
                    ShipmentStatus::ReadyForPickup,
                    ShipmentStatus::Released,
                    now,
                )
                .await?
                {
                    return Ok(false);
                }
                let order = db::orders::load_order(tx, sh.order_id)
                    .await?
                    .ok_or_else(|| Error::not_found("Order", sh.order_number.clone()))?;
                for l in &sh.lines {
                    if l.qty == 0 {
                        continue;
                    }
                    release_units(
                        tx,
                        sh.order_id,
                        loc.id,
                        l.line_no,
                        l.qty,
                        ReservationState::Released,
                        now,
                    )
                    .await?;
                    super::reroute::release_movement(
                        tx,
                        &order,
                        l.product_id,
                        &l.sku,
                        l.qty,
                        &loc,
                        &reason,
                        actor,
                        now,
                    )
                    .await?;
                }
                // Whatever else the order still holds goes back too: the customer did not come.
                let others = db::orders::load_order(tx, sh.order_id)
                    .await?
                    .map(|o| o.reservations)
                    .unwrap_or_default();
                for r in others
                    .iter()
                    .filter(|r| r.state == ReservationState::Reserved.as_str())
                {
                    if db::orders::close_reservation(tx, r.id, ReservationState::Released, now)
                        .await?
                    {
                        let at = refs
                            .locations
                            .iter()
                            .find(|l| l.id == r.location_id)
                            .cloned()
                            .unwrap_or_else(|| loc.clone());
                        super::reroute::release_movement(
                            tx,
                            &order,
                            r.product_id,
                            &r.sku,
                            r.qty,
                            &at,
                            &reason,
                            actor,
                            now,
                        )
                        .await?;
                    }
                }
                if order.status.next().contains(&OrderStatus::Cancelled)
                    || matches!(order.status, OrderStatus::PartiallyShipped)
                {
                    let ok = db::orders::set_status(
                        tx,
                        order.id,
                        order.status,
                        OrderStatus::Cancelled,
                        now,
                    )
                    .await?;
                    if ok {
                        super::orders::record_status(
                            tx,
                            order.id,
                            actor,
                            now,
                            order.status,
                            OrderStatus::Cancelled,
                            Some(&reason),
                        )
                        .await?;
                    }
                }
                Ok(true)
            })?;
            if done {
                released.push(sh.order_number.clone());
            }
        }
        if !released.is_empty() {
            tracing::info!(count = released.len(), "uncollected pick-ups released");
        }
        Ok(released)
    }
}

impl App {
    /// Releases uncollected pick-ups and cancels interrupted exchanges now and then (every 10
    /// minutes) while the app runs; stops when the database is closed.
    pub fn spawn_fulfilment_sweeper(&self) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            loop {
                match app.release_uncollected(&Actor::system()).await {
                    Ok(_) => {}
                    Err(Error::Database(sqlx::Error::PoolClosed)) => break,
                    Err(e) => tracing::warn!(error = %e, "releasing uncollected pick-ups failed"),
                }
                if let Err(e) = app
                    .cancel_interrupted_exchanges(&Actor::system(), chrono::Duration::minutes(10))
                    .await
                {
                    tracing::warn!(error = %e, "cancelling interrupted exchanges failed");
                }
                tokio::time::sleep(std::time::Duration::from_secs(600)).await;
            }
        })
    }
}

/// A shipment from `loc` for an order: a pick-up when the customer collects there.
fn shipment_kind(loc: &Location, pickup_location: Option<Uuid>) -> ShipmentKind {
    if loc.kind == LocationKind::Dropship {
        ShipmentKind::Dropship
    } else if pickup_location == Some(loc.id) {
        ShipmentKind::Pickup
    } else {
        ShipmentKind::Ship
    }
}

fn kilos(grams: i64) -> String {
    format!("{}.{:03} kg", grams / 1000, grams % 1000)
}

/// The check-digit scheme of a carrier named like one of the known ones (`UPS`, `usps`,
/// `FedEx`, `UPU`/a postal operator's S10, `local`).
pub fn scheme_of_carrier(carrier: &str) -> Option<TrackingScheme> {
    let c: String = carrier
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    match c.as_str() {
        "ups" => Some(TrackingScheme::Ups),
        "usps" | "uspostalservice" | "unitedstatespostalservice" => Some(TrackingScheme::Usps),
        "fedex" | "federalexpress" => Some(TrackingScheme::Fedex),
        "upu" | "s10" | "post" | "postal" => Some(TrackingScheme::UpuS10),
        "local" | "localdelivery" | "owndelivery" => Some(TrackingScheme::Local),
        _ => None,
    }
}

fn parse_time(t: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(t, f) {
            return Some(d.and_utc());
        }
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|d| d.and_utc())
}

/// Ends `qty` units of open reservations of an order line at a location (oldest first) in state
/// `to`; a reservation larger than what is needed is ended whole and its remainder reserved again
/// (no stock moves for the remainder). The caller writes the ledger rows for the units.
async fn release_units(
    tx: &mut db::Tx,
    order_id: Uuid,
    location_id: Uuid,
    line_no: i32,
    qty: i64,
    to: ReservationState,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut need = qty;
    for (id, rq, product_id) in
        db::fulfilment::open_reservations(tx, order_id, location_id, line_no).await?
    {
        if need == 0 {
            break;
        }
        if !db::orders::close_reservation(tx, id, to, now).await? {
            return Err(changed_meanwhile());
        }
        let take = rq.min(need);
        need -= take;
        if rq > take {
            db::orders::insert_reservation(
                tx,
                &ReservationInsert {
                    order_id,
                    line_no,
                    product_id,
                    location_id,
                    qty: rq - take,
                },
                now,
            )
            .await?;
        }
    }
    if need > 0 {
        return Err(Error::InvalidTransition {
            message:
                "The order no longer holds those units here (it was changed meanwhile): reload it"
                    .into(),
        });
    }
    Ok(())
}

/// The goods of a shipment leave: its reserved units leave the stock (one ledger row per line),
/// the shipment moves to `to` (shipped, collected, or a carrier status) and the order's timeline
/// says so.
async fn leave(
    tx: &mut db::Tx,
    sh: &Shipment,
    to: ShipmentStatus,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    if !db::fulfilment::set_shipment_status(tx, sh.id, sh.status, to, now).await? {
        return Err(changed_meanwhile());
    }
    let location_id = sh.location_id;
    let mut what = Vec::new();
    for l in &sh.lines {
        if l.qty == 0 {
            continue;
        }
        release_units(
            tx,
            sh.order_id,
            location_id,
            l.line_no,
            l.qty,
            ReservationState::Shipped,
            now,
        )
        .await?;
        let m = MovementRecord {
            product_id: l.product_id,
            location_id,
            kind: MovementKind::Ship,
            delta: MovementKind::Ship.delta(l.qty, false),
            reason: None,
            order_id: Some(sh.order_id),
            transfer_id: None,
            actor: actor.as_str(),
            at: now,
        };
        if !db::inventory::apply_movement(tx, &m, None).await? {
            return Err(Error::Internal(format!(
                "shipping {} × {} at {} was refused by the balance guard",
                l.qty, l.sku, sh.location
            )));
        }
        what.push(format!("{} × {}", l.qty, l.sku));
    }
    let (kind, summary) = match to {
        ShipmentStatus::Collected => (
            "collected",
            format!(
                "Handed over {} at {}: {}",
                sh.number,
                sh.location,
                what.join(", ")
            ),
        ),
        _ => (
            "shipped",
            format!(
                "Shipped {} from {}: {}{}",
                sh.number,
                sh.location,
                what.join(", "),
                match (&sh.carrier, &sh.tracking_number) {
                    (Some(c), Some(t)) => format!(
                        " ({c} {}, tracking {t})",
                        sh.service.clone().unwrap_or_default()
                    ),
                    _ => String::new(),
                }
            ),
        ),
    };
    db::orders::insert_event(
        tx,
        sh.order_id,
        kind,
        actor.as_str(),
        now,
        &summary,
        &json!({ "shipment": sh.number, "location": sh.location, "carrier": sh.carrier, "tracking": sh.tracking_number }),
    )
    .await?;
    if to != ShipmentStatus::Collected
        && let Some(number) = &sh.tracking_number
    {
        let order = db::orders::load_order(tx, sh.order_id)
            .await?
            .ok_or_else(|| Error::not_found("Order", sh.order_number.clone()))?;
        let carrier = sh.carrier.clone().unwrap_or_default();
        let mail = OrderMail::Shipped {
            tracking_url: scheme_of_carrier(&carrier)
                .and_then(|s| tracking::tracking_url(s, number)),
            carrier,
            service: sh.service.clone().unwrap_or_default(),
            tracking_number: number.clone(),
        };
        super::mail::queue_order_mail(tx, &order, &mail, &format!("shipped:{}", sh.id), now)
            .await?;
    }
    Ok(())
}

/// Moves an order to the status its shipments call for (in progress, partially shipped, shipped,
/// delivered, completed), with an event; payments are captured once everything has left.
pub(crate) async fn settle_order_status(
    tx: &mut db::Tx,
    order_id: Uuid,
    actor: &Actor,
    now: DateTime<Utc>,
    reason: Option<&str>,
) -> Result<()> {
    let Some(order) = db::orders::load_order(tx, order_id).await? else {
        return Ok(());
    };
    let rows = db::fulfilment::shipment_statuses_of_order(tx, order_id).await?;
    let mut state = FulfilmentState {
        unassigned_units: db::fulfilment::unassigned_units(tx, order_id).await?,
        backordered_units: order.backordered_units(),
        active: 0,
        left: 0,
        done: 0,
        all_collected: true,
    };
    for (kind, status) in &rows {
        let Some(s) = ShipmentStatus::parse(status) else {
            continue;
        };
        if s.is_active() {
            state.active += 1;
        }
        if s.has_left() {
            state.left += 1;
            if s != ShipmentStatus::Collected || kind != "pickup" {
                state.all_collected = false;
            }
        }
        if s.is_done() {
            state.done += 1;
        }
    }
    let Some(next) = order_status_from(order.status, &state) else {
        return Ok(());
    };
    if !db::orders::set_status(tx, order_id, order.status, next, now).await? {
        return Err(changed_meanwhile());
    }
    if matches!(
        next,
        OrderStatus::Shipped | OrderStatus::Delivered | OrderStatus::Completed
    ) {
        db::orders::capture_payments(tx, order_id).await?;
    }
    super::orders::record_status(tx, order_id, actor, now, order.status, next, reason).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carriers_map_to_their_check_digit_rule() {
        assert_eq!(scheme_of_carrier("UPS"), Some(TrackingScheme::Ups));
        assert_eq!(scheme_of_carrier("FedEx"), Some(TrackingScheme::Fedex));
        assert_eq!(
            scheme_of_carrier("Local delivery"),
            Some(TrackingScheme::Local)
        );
        assert_eq!(scheme_of_carrier("DHL"), None);
    }

    #[test]
    fn times_in_carrier_files() {
        assert!(parse_time("2026-11-27T10:00:00Z").is_some());
        assert!(parse_time("2026-11-27 10:00").is_some());
        assert!(parse_time("2026-11-27").is_some());
        assert!(parse_time("yesterday").is_none());
    }
}
