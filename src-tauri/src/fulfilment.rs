//! Transport types and conversions for fulfilment (work queues, pick lists, shipments, packing,
//! labels, tracking, pick-up hand-over, printing). Kept apart from `dto.rs` / `convert.rs` only
//! for size; the same rules apply: the UI sees these shapes, the core never does.

use orderly::app::documents::Document;
use orderly::app::fulfilment::{
    FulfilmentSettings, LabelRequest, PickList, PickupHandover, QueueOrder, QueueShipment,
    TrackingImport, TrackingInput, WorkQueues,
};
use orderly::domain::fulfilment::{
    Package, PackageInput, Shipment, ShipmentKind, ShipmentStatus, TrackingEvent, TrackingKind,
};
use orderly::domain::tracking::TrackingCheck;
use orderly::shipping::print::{DocKind, PrintReceipt, PrinterTarget};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::convert::{address, kind, time};
use crate::dto::{AddressDto, LocationKindDto};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentKindDto {
    Ship,
    Pickup,
    Dropship,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatusDto {
    Picking,
    Packed,
    Labelled,
    PoSent,
    Shipped,
    InTransit,
    OutForDelivery,
    Delivered,
    Exception,
    ReadyForPickup,
    Collected,
    Released,
    Cancelled,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TrackingKindDto {
    LabelCreated,
    PickedUp,
    InTransit,
    OutForDelivery,
    Delivered,
    Exception,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueOrderDto {
    pub order_number: String,
    pub customer_name: Option<String>,
    pub created_at: String,
    /// `YYYY-MM-DD`
    pub promised_by: Option<String>,
    /// `YYYY-MM-DD`: the day it must leave.
    pub due: String,
    pub late: bool,
    pub kind: ShipmentKindDto,
    pub units: i64,
    pub lines: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueShipmentDto {
    pub number: String,
    pub order_number: String,
    pub customer_name: Option<String>,
    pub kind: ShipmentKindDto,
    pub status: ShipmentStatusDto,
    pub units: i64,
    pub packed_units: i64,
    pub packages: i64,
    pub carrier: Option<String>,
    pub service: Option<String>,
    pub tracking_number: Option<String>,
    pub pick_list: Option<String>,
    pub created_at: String,
    pub ready_at: Option<String>,
    pub due: String,
    pub late: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkQueuesDto {
    pub location: String,
    pub location_name: String,
    pub location_kind: LocationKindDto,
    pub ready_to_pick: Vec<QueueOrderDto>,
    pub picking: Vec<QueueShipmentDto>,
    pub packed: Vec<QueueShipmentDto>,
    pub waiting_for_carrier: Vec<QueueShipmentDto>,
    pub ready_for_pickup: Vec<QueueShipmentDto>,
    pub late: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PickShareDto {
    pub shipment: String,
    pub qty: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PickRowDto {
    pub bin: Option<String>,
    pub sku: String,
    pub name: String,
    pub barcode: Option<String>,
    pub qty: i64,
    pub shipments: Vec<PickShareDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PickListDto {
    pub number: String,
    pub location: String,
    pub location_name: String,
    pub created_at: String,
    pub created_by: String,
    pub rows: Vec<PickRowDto>,
    pub shipments: Vec<QueueShipmentDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatePickListDto {
    pub location: String,
    /// Order numbers; empty = the oldest ready orders, at most `maxOrders`.
    pub orders: Vec<String>,
    pub max_orders: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentLineDto {
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub barcode: Option<String>,
    pub bin: Option<String>,
    pub qty: i64,
    pub packed: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageDto {
    pub seq: i32,
    pub weight_grams: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub tracking_number: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrackingEventDto {
    pub kind: TrackingKindDto,
    /// Human words: "Out for delivery".
    pub label: String,
    pub at: String,
    pub place: Option<String>,
    pub note: Option<String>,
    pub source: String,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentDto {
    pub number: String,
    pub order_number: String,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub location: String,
    pub location_name: String,
    pub kind: ShipmentKindDto,
    pub status: ShipmentStatusDto,
    pub pick_list: Option<String>,
    pub carrier: Option<String>,
    pub service: Option<String>,
    pub tracking_number: Option<String>,
    /// The carrier's public tracking page, when the carrier is a known one.
    pub tracking_url: Option<String>,
    pub shipping_cost: Option<i64>,
    pub ship_to: Option<AddressDto>,
    pub promised_by: Option<String>,
    pub created_at: String,
    pub packed_at: Option<String>,
    pub shipped_at: Option<String>,
    pub delivered_at: Option<String>,
    pub ready_at: Option<String>,
    pub units: i64,
    pub packed_units: i64,
    pub weight_grams: i64,
    pub lines: Vec<ShipmentLineDto>,
    pub packages: Vec<PackageDto>,
    pub tracking: Vec<TrackingEventDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PackageInputDto {
    pub weight_grams: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FinishPackingDto {
    pub shipment: String,
    pub packages: Vec<PackageInputDto>,
    /// The packer confirmed that what was not scanned is missing (a short pick).
    pub confirm_short: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabelRequestDto {
    pub shipment: String,
    pub carrier: String,
    pub service: String,
    pub tracking_numbers: Vec<String>,
    pub generate_local: bool,
    pub cost: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrackingInputDto {
    /// A shipment number or a tracking number.
    pub reference: String,
    pub kind: String,
    /// RFC 3339; now when absent.
    pub at: Option<String>,
    pub place: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrackingImportDto {
    pub applied: i64,
    pub duplicates: i64,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrackingCheckDto {
    pub normalized: String,
    /// `ups`, `usps`, `fedex`, `upu`, `local`, or `null` when the shape is not recognised.
    pub scheme: Option<String>,
    pub carrier_name: Option<String>,
    pub valid: bool,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PickupHandoverDto {
    pub order_number: String,
    pub customer_name: Option<String>,
    pub store: String,
    pub ready: Vec<ShipmentDto>,
    pub units_not_ready: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FulfilmentSettingsDto {
    pub ship_within_days: i64,
    pub pickup_hold_days: i64,
    /// Dropship suppliers' order e-mail addresses; left out on save = keep the ones saved.
    #[serde(default)]
    #[ts(optional)]
    pub supplier_emails: Option<Vec<SupplierEmailDto>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SupplierEmailDto {
    pub location: String,
    pub email: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DocKindDto {
    Pdf,
    Zpl,
}

/// Which document of a shipment or pick list to print.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DocumentDto {
    Labels,
    PackingSlip,
    PickList,
    PurchaseOrder,
    /// A return's receipt; `reference` is the return number (`R-10042-1`).
    ReturnReceipt,
    /// A return's ship-back label (PDF or ZPL like outbound labels); `reference` is the return number.
    ReturnLabel,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintRequestDto {
    pub document: DocumentDto,
    /// The shipment number (labels, packing slip, purchase order), pick list number or return
    /// number (return receipt, return label).
    pub reference: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrintedDto {
    /// Where each file went: `cups://queue`, `raw://host:port` or a file path.
    pub destinations: Vec<String>,
    pub files: i64,
}

/// A printer as the workstation stores it: `raw://HOST:PORT`, `cups://QUEUE` or `file:///DIR`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkstationDto {
    /// This desk's own location (a store's counter shows its store first).
    pub home_location: Option<String>,
    pub label_printer: Option<String>,
    pub label_format: DocKindDto,
    pub document_printer: Option<String>,
    /// Where documents go when no printer is set (a folder).
    pub default_folder: String,
}

pub fn shipment_kind(k: ShipmentKind) -> ShipmentKindDto {
    match k {
        ShipmentKind::Ship => ShipmentKindDto::Ship,
        ShipmentKind::Pickup => ShipmentKindDto::Pickup,
        ShipmentKind::Dropship => ShipmentKindDto::Dropship,
    }
}

pub fn shipment_status(s: ShipmentStatus) -> ShipmentStatusDto {
    match s {
        ShipmentStatus::Picking => ShipmentStatusDto::Picking,
        ShipmentStatus::Packed => ShipmentStatusDto::Packed,
        ShipmentStatus::Labelled => ShipmentStatusDto::Labelled,
        ShipmentStatus::PoSent => ShipmentStatusDto::PoSent,
        ShipmentStatus::Shipped => ShipmentStatusDto::Shipped,
        ShipmentStatus::InTransit => ShipmentStatusDto::InTransit,
        ShipmentStatus::OutForDelivery => ShipmentStatusDto::OutForDelivery,
        ShipmentStatus::Delivered => ShipmentStatusDto::Delivered,
        ShipmentStatus::Exception => ShipmentStatusDto::Exception,
        ShipmentStatus::ReadyForPickup => ShipmentStatusDto::ReadyForPickup,
        ShipmentStatus::Collected => ShipmentStatusDto::Collected,
        ShipmentStatus::Released => ShipmentStatusDto::Released,
        ShipmentStatus::Cancelled => ShipmentStatusDto::Cancelled,
    }
}

fn tracking_kind(k: TrackingKind) -> TrackingKindDto {
    match k {
        TrackingKind::LabelCreated => TrackingKindDto::LabelCreated,
        TrackingKind::PickedUp => TrackingKindDto::PickedUp,
        TrackingKind::InTransit => TrackingKindDto::InTransit,
        TrackingKind::OutForDelivery => TrackingKindDto::OutForDelivery,
        TrackingKind::Delivered => TrackingKindDto::Delivered,
        TrackingKind::Exception => TrackingKindDto::Exception,
    }
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn queue_order(o: QueueOrder) -> QueueOrderDto {
    QueueOrderDto {
        order_number: o.order_number,
        customer_name: o.customer_name,
        created_at: time(o.created_at),
        promised_by: o.promised_by.map(date),
        due: date(o.due),
        late: o.late,
        kind: shipment_kind(o.kind),
        units: o.units,
        lines: o.lines as i64,
    }
}

pub fn queue_shipment(s: QueueShipment) -> QueueShipmentDto {
    QueueShipmentDto {
        number: s.number,
        order_number: s.order_number,
        customer_name: s.customer_name,
        kind: shipment_kind(s.kind),
        status: shipment_status(s.status),
        units: s.units,
        packed_units: s.packed_units,
        packages: s.packages as i64,
        carrier: s.carrier,
        service: s.service,
        tracking_number: s.tracking_number,
        pick_list: s.pick_list,
        created_at: time(s.created_at),
        ready_at: s.ready_at.map(time),
        due: date(s.due),
        late: s.late,
    }
}

pub fn work_queues(q: WorkQueues) -> WorkQueuesDto {
    let list = |v: Vec<QueueShipment>| v.into_iter().map(queue_shipment).collect();
    WorkQueuesDto {
        location: q.location,
        location_name: q.location_name,
        location_kind: kind(q.location_kind),
        ready_to_pick: q.ready_to_pick.into_iter().map(queue_order).collect(),
        picking: list(q.picking),
        packed: list(q.packed),
        waiting_for_carrier: list(q.waiting_for_carrier),
        ready_for_pickup: list(q.ready_for_pickup),
        late: q.late as i64,
    }
}

pub fn pick_list(p: PickList) -> PickListDto {
    PickListDto {
        number: p.number,
        location: p.location,
        location_name: p.location_name,
        created_at: time(p.created_at),
        created_by: p.created_by,
        rows: p
            .rows
            .into_iter()
            .map(|r| PickRowDto {
                bin: r.bin,
                sku: r.sku,
                name: r.name,
                barcode: r.barcode,
                qty: r.qty,
                shipments: r
                    .shipments
                    .into_iter()
                    .map(|(shipment, qty)| PickShareDto { shipment, qty })
                    .collect(),
            })
            .collect(),
        shipments: p.shipments.into_iter().map(queue_shipment).collect(),
    }
}

fn package(p: Package) -> PackageDto {
    PackageDto {
        seq: p.seq,
        weight_grams: p.weight_grams,
        length_mm: p.length_mm,
        width_mm: p.width_mm,
        height_mm: p.height_mm,
        tracking_number: p.tracking_number,
    }
}

fn tracking_event(t: TrackingEvent) -> TrackingEventDto {
    TrackingEventDto {
        kind: tracking_kind(t.kind),
        label: t.kind.label(),
        at: time(t.at),
        place: t.place,
        note: t.note,
        source: t.source,
        actor: t.actor,
    }
}

pub fn shipment(s: Shipment) -> ShipmentDto {
    let tracking_url = match (&s.carrier, &s.tracking_number) {
        (Some(c), Some(t)) => orderly::app::fulfilment::scheme_of_carrier(c)
            .and_then(|scheme| orderly::domain::tracking::tracking_url(scheme, t)),
        _ => None,
    };
    ShipmentDto {
        units: s.units(),
        packed_units: s.packed_units(),
        weight_grams: s.weight_grams(),
        number: s.number,
        order_number: s.order_number,
        customer_name: s.customer_name,
        customer_email: s.customer_email,
        location: s.location,
        location_name: s.location_name,
        kind: shipment_kind(s.kind),
        status: shipment_status(s.status),
        pick_list: s.pick_list,
        carrier: s.carrier,
        service: s.service,
        tracking_number: s.tracking_number,
        tracking_url,
        shipping_cost: s.shipping_cost,
        ship_to: s.ship_to.map(address),
        promised_by: s.promised_by.map(date),
        created_at: time(s.created_at),
        packed_at: s.packed_at.map(time),
        shipped_at: s.shipped_at.map(time),
        delivered_at: s.delivered_at.map(time),
        ready_at: s.ready_at.map(time),
        lines: s
            .lines
            .into_iter()
            .map(|l| ShipmentLineDto {
                line_no: l.line_no,
                sku: l.sku,
                name: l.name,
                barcode: l.barcode,
                bin: l.bin,
                qty: l.qty,
                packed: l.packed,
            })
            .collect(),
        packages: s.packages.into_iter().map(package).collect(),
        tracking: s.tracking.into_iter().map(tracking_event).collect(),
    }
}

pub fn packages_in(p: Vec<PackageInputDto>) -> Vec<PackageInput> {
    p.into_iter()
        .map(|p| PackageInput {
            weight_grams: p.weight_grams,
            length_mm: p.length_mm,
            width_mm: p.width_mm,
            height_mm: p.height_mm,
        })
        .collect()
}

pub fn label_request_in(r: &LabelRequestDto) -> LabelRequest {
    LabelRequest {
        carrier: r.carrier.clone(),
        service: r.service.clone(),
        tracking_numbers: r.tracking_numbers.clone(),
        generate_local: r.generate_local,
        cost: r.cost,
    }
}

pub fn tracking_input_in(t: TrackingInputDto) -> Result<TrackingInput, orderly::Error> {
    let at = match t.at.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(
            chrono::DateTime::parse_from_rfc3339(a)
                .map_err(|_| {
                    orderly::Error::invalid("at", format!("'{a}' is not a time: use RFC 3339"))
                })?
                .with_timezone(&chrono::Utc),
        ),
    };
    Ok(TrackingInput {
        reference: t.reference,
        kind: t.kind,
        at,
        place: t.place,
        note: t.note,
    })
}

pub fn tracking_import(r: TrackingImport) -> TrackingImportDto {
    TrackingImportDto {
        applied: r.applied as i64,
        duplicates: r.duplicates as i64,
        errors: r.errors,
    }
}

pub fn tracking_check(c: TrackingCheck) -> TrackingCheckDto {
    TrackingCheckDto {
        normalized: c.normalized,
        scheme: c.scheme.map(|s| s.as_str().to_owned()),
        carrier_name: c.carrier_name.map(str::to_owned),
        valid: c.valid,
        message: c.message,
    }
}

pub fn handover(h: PickupHandover) -> PickupHandoverDto {
    PickupHandoverDto {
        order_number: h.order_number,
        customer_name: h.customer_name,
        store: h.store,
        ready: h.ready.into_iter().map(shipment).collect(),
        units_not_ready: h.units_not_ready,
    }
}

pub fn fulfilment_settings(s: FulfilmentSettings) -> FulfilmentSettingsDto {
    FulfilmentSettingsDto {
        ship_within_days: s.ship_within_days,
        pickup_hold_days: s.pickup_hold_days,
        supplier_emails: Some(
            s.supplier_emails
                .into_iter()
                .map(|(location, email)| SupplierEmailDto { location, email })
                .collect(),
        ),
    }
}

/// The settings to save; `current` supplies the supplier addresses when the input leaves them out.
pub fn fulfilment_settings_in(
    s: FulfilmentSettingsDto,
    current: &FulfilmentSettings,
) -> FulfilmentSettings {
    FulfilmentSettings {
        ship_within_days: s.ship_within_days,
        pickup_hold_days: s.pickup_hold_days,
        supplier_emails: match s.supplier_emails {
            Some(list) => list.into_iter().map(|e| (e.location, e.email)).collect(),
            None => current.supplier_emails.clone(),
        },
    }
}

pub fn doc_kind_in(k: DocKindDto) -> DocKind {
    match k {
        DocKindDto::Pdf => DocKind::Pdf,
        DocKindDto::Zpl => DocKind::Zpl,
    }
}

fn printer_text(t: &PrinterTarget) -> String {
    match t {
        PrinterTarget::Cups { queue } => format!("cups://{queue}"),
        PrinterTarget::Raw { host, port } => format!("raw://{host}:{port}"),
        PrinterTarget::File { dir } => format!("file://{}", dir.display()),
    }
}

pub fn workstation(w: &orderly::config::Workstation) -> WorkstationDto {
    WorkstationDto {
        home_location: w.home_location.clone(),
        label_printer: w.label_printer.as_ref().map(printer_text),
        label_format: match w.label_format {
            Some(DocKind::Zpl) => DocKindDto::Zpl,
            _ => DocKindDto::Pdf,
        },
        document_printer: w.document_printer.as_ref().map(printer_text),
        default_folder: orderly::config::printouts_dir()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    }
}

pub fn printed(receipts: Vec<PrintReceipt>, docs: &[Document]) -> PrintedDto {
    PrintedDto {
        files: docs.len() as i64,
        destinations: receipts.into_iter().map(|r| r.destination).collect(),
    }
}
