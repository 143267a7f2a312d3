//! Fulfilment vocabulary: shipments and their life (pick, pack, label, hand to the carrier, track
//! to the door; or make ready and hand over at a store), carrier tracking events, the checks a
//! packing scan must pass, and the order status that follows from its shipments. Pure: no I/O,
//! no clock.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::address::Address;
use super::order::OrderStatus;
use crate::error::{Error, Result};

/// How the goods of a shipment reach the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentKind {
    /// Parcels sent by a carrier (or the shop's own delivery).
    Ship,
    /// The customer collects at the store.
    Pickup,
    /// A supplier ships on the shop's behalf from a purchase order.
    Dropship,
}

impl ShipmentKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ShipmentKind::Ship => "ship",
            ShipmentKind::Pickup => "pickup",
            ShipmentKind::Dropship => "dropship",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            ShipmentKind::Ship,
            ShipmentKind::Pickup,
            ShipmentKind::Dropship,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    /// On a pick list: being picked and scanned into parcels.
    Picking,
    /// Scanned and weighed; needs a label.
    Packed,
    /// Has a label and tracking number; waiting for the carrier.
    Labelled,
    /// A purchase order went to the dropship supplier; waiting for its tracking number.
    PoSent,
    /// Left with the carrier.
    Shipped,
    InTransit,
    OutForDelivery,
    Delivered,
    /// The carrier reported a problem (address, damage, refused…).
    Exception,
    /// Packed at the store, the customer was told to come.
    ReadyForPickup,
    /// Handed over at the counter.
    Collected,
    /// Not collected in time: the goods went back to stock.
    Released,
    Cancelled,
}

impl ShipmentStatus {
    pub const ALL: [ShipmentStatus; 13] = [
        ShipmentStatus::Picking,
        ShipmentStatus::Packed,
        ShipmentStatus::Labelled,
        ShipmentStatus::PoSent,
        ShipmentStatus::Shipped,
        ShipmentStatus::InTransit,
        ShipmentStatus::OutForDelivery,
        ShipmentStatus::Delivered,
        ShipmentStatus::Exception,
        ShipmentStatus::ReadyForPickup,
        ShipmentStatus::Collected,
        ShipmentStatus::Released,
        ShipmentStatus::Cancelled,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            ShipmentStatus::Picking => "picking",
            ShipmentStatus::Packed => "packed",
            ShipmentStatus::Labelled => "labelled",
            ShipmentStatus::PoSent => "po_sent",
            ShipmentStatus::Shipped => "shipped",
            ShipmentStatus::InTransit => "in_transit",
            ShipmentStatus::OutForDelivery => "out_for_delivery",
            ShipmentStatus::Delivered => "delivered",
            ShipmentStatus::Exception => "exception",
            ShipmentStatus::ReadyForPickup => "ready_for_pickup",
            ShipmentStatus::Collected => "collected",
            ShipmentStatus::Released => "released",
            ShipmentStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        ShipmentStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(&self) -> String {
        self.as_str().replace('_', " ")
    }

    /// Still in the building (or at the supplier): its units are reserved, not yet gone.
    pub fn is_active(&self) -> bool {
        match self {
            ShipmentStatus::Picking
            | ShipmentStatus::Packed
            | ShipmentStatus::Labelled
            | ShipmentStatus::PoSent
            | ShipmentStatus::ReadyForPickup => true,
            ShipmentStatus::Shipped
            | ShipmentStatus::InTransit
            | ShipmentStatus::OutForDelivery
            | ShipmentStatus::Delivered
            | ShipmentStatus::Exception
            | ShipmentStatus::Collected
            | ShipmentStatus::Released
            | ShipmentStatus::Cancelled => false,
        }
    }

    /// The goods have left: with the carrier, at the door, or with the customer.
    pub fn has_left(&self) -> bool {
        match self {
            ShipmentStatus::Shipped
            | ShipmentStatus::InTransit
            | ShipmentStatus::OutForDelivery
            | ShipmentStatus::Delivered
            | ShipmentStatus::Exception
            | ShipmentStatus::Collected => true,
            ShipmentStatus::Picking
            | ShipmentStatus::Packed
            | ShipmentStatus::Labelled
            | ShipmentStatus::PoSent
            | ShipmentStatus::ReadyForPickup
            | ShipmentStatus::Released
            | ShipmentStatus::Cancelled => false,
        }
    }

    /// Finished for the customer: delivered or collected.
    pub fn is_done(&self) -> bool {
        matches!(self, ShipmentStatus::Delivered | ShipmentStatus::Collected)
    }
}

/// What a carrier (or the shop) reports about a parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackingKind {
    LabelCreated,
    PickedUp,
    InTransit,
    OutForDelivery,
    Delivered,
    Exception,
}

impl TrackingKind {
    pub const ALL: [TrackingKind; 6] = [
        TrackingKind::LabelCreated,
        TrackingKind::PickedUp,
        TrackingKind::InTransit,
        TrackingKind::OutForDelivery,
        TrackingKind::Delivered,
        TrackingKind::Exception,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            TrackingKind::LabelCreated => "label_created",
            TrackingKind::PickedUp => "picked_up",
            TrackingKind::InTransit => "in_transit",
            TrackingKind::OutForDelivery => "out_for_delivery",
            TrackingKind::Delivered => "delivered",
            TrackingKind::Exception => "exception",
        }
    }

    pub fn label(&self) -> String {
        let s = self.as_str().replace('_', " ");
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => s,
        }
    }

    /// Reads the names carriers and people use: `delivered`, `Out for delivery`, `IN_TRANSIT`,
    /// `Picked up`, `pre-transit`, `origin scan`, `exception`, `delivery attempted`…
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        let key: String = text
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let kind = match key.as_str() {
            "label created"
            | "label"
            | "pre transit"
            | "shipping label created"
            | "manifest"
            | "information received"
            | "label printed" => TrackingKind::LabelCreated,
            "picked up"
            | "pickup"
            | "origin scan"
            | "accepted"
            | "collected by carrier"
            | "shipped"
            | "pickup scan"
            | "acceptance" => TrackingKind::PickedUp,
            "in transit"
            | "transit"
            | "departed"
            | "arrived"
            | "arrived at facility"
            | "departed facility"
            | "on its way" => TrackingKind::InTransit,
            "out for delivery" | "with courier" | "on vehicle for delivery" => {
                TrackingKind::OutForDelivery
            }
            "delivered" | "delivery" | "left at door" | "signed" => TrackingKind::Delivered,
            "exception" | "delivery exception" | "delivery attempted" | "attempted"
            | "failed attempt" | "returned to sender" | "damaged" | "delayed" | "held" => {
                TrackingKind::Exception
            }
            _ => {
                return Err(Error::invalid(
                    field,
                    format!(
                        "'{}' is not a tracking event: use label created, picked up, in transit, out for delivery, delivered or exception",
                        text.trim()
                    ),
                ));
            }
        };
        Ok(kind)
    }

    /// The shipment status this event moves a shipment to, if it moves it.
    pub fn status(&self) -> Option<ShipmentStatus> {
        match self {
            TrackingKind::LabelCreated => None,
            TrackingKind::PickedUp => Some(ShipmentStatus::Shipped),
            TrackingKind::InTransit => Some(ShipmentStatus::InTransit),
            TrackingKind::OutForDelivery => Some(ShipmentStatus::OutForDelivery),
            TrackingKind::Delivered => Some(ShipmentStatus::Delivered),
            TrackingKind::Exception => Some(ShipmentStatus::Exception),
        }
    }
}

/// Where a carried shipment stands after a tracking event at least as new as every earlier one.
/// Delivered stays delivered unless the carrier reports an exception after it.
pub fn status_after_tracking(current: ShipmentStatus, kind: TrackingKind) -> ShipmentStatus {
    match kind.status() {
        None => current,
        Some(next) => {
            if current == ShipmentStatus::Delivered && next != ShipmentStatus::Exception {
                current
            } else {
                next
            }
        }
    }
}

/// One order line on a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShipmentLine {
    pub line_no: i32,
    pub product_id: Uuid,
    pub sku: String,
    pub name: String,
    pub barcode: Option<String>,
    pub bin: Option<String>,
    pub qty: i64,
    /// Units verified by a scan.
    pub packed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    pub seq: i32,
    pub weight_grams: i64,
    pub length_mm: i64,
    pub width_mm: i64,
    pub height_mm: i64,
    pub tracking_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackingEvent {
    pub kind: TrackingKind,
    pub at: chrono::DateTime<chrono::Utc>,
    pub place: Option<String>,
    pub note: Option<String>,
    pub source: String,
    pub actor: String,
}

/// A shipment with everything on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shipment {
    pub id: Uuid,
    pub number: String,
    pub order_id: Uuid,
    pub order_number: String,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub location_id: Uuid,
    pub location: String,
    pub location_name: String,
    pub kind: ShipmentKind,
    pub status: ShipmentStatus,
    pub pick_list: Option<String>,
    pub carrier: Option<String>,
    pub service: Option<String>,
    pub tracking_number: Option<String>,
    pub shipping_cost: Option<i64>,
    pub ship_to: Option<Address>,
    pub promised_by: Option<chrono::NaiveDate>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub packed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub shipped_at: Option<chrono::DateTime<chrono::Utc>>,
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ready_at: Option<chrono::DateTime<chrono::Utc>>,
    pub lines: Vec<ShipmentLine>,
    pub packages: Vec<Package>,
    pub tracking: Vec<TrackingEvent>,
}

impl Shipment {
    pub fn units(&self) -> i64 {
        self.lines.iter().map(|l| l.qty).sum()
    }

    pub fn packed_units(&self) -> i64 {
        self.lines.iter().map(|l| l.packed).sum()
    }

    pub fn weight_grams(&self) -> i64 {
        self.packages.iter().map(|p| p.weight_grams).sum()
    }
}

/// Which line a scanned product fills, or why the scan is refused: a product that is not on the
/// shipment, or one more than it needs, is refused at once, naming the product and what to do.
pub fn scan_line(shipment: &Shipment, product_id: Uuid, product_label: &str) -> Result<usize> {
    let mut seen = false;
    for (i, l) in shipment.lines.iter().enumerate() {
        if l.product_id == product_id {
            seen = true;
            if l.packed < l.qty {
                return Ok(i);
            }
        }
    }
    if seen {
        let need: i64 = shipment
            .lines
            .iter()
            .filter(|l| l.product_id == product_id)
            .map(|l| l.qty)
            .sum();
        Err(Error::invalid(
            "code",
            format!(
                "Surplus: all {need} × {product_label} for {} are already packed — put this one back",
                shipment.number
            ),
        ))
    } else {
        Err(Error::invalid(
            "code",
            format!(
                "Wrong item: {product_label} is not in {} — put it back",
                shipment.number
            ),
        ))
    }
}

/// A parcel as the packer enters it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageInput {
    pub weight_grams: i64,
    #[serde(default)]
    pub length_mm: i64,
    #[serde(default)]
    pub width_mm: i64,
    #[serde(default)]
    pub height_mm: i64,
}

/// Checks the parcels of a packed shipment: at least one, each with a weight of 1 g – 70 kg and
/// sizes of at most 3 m.
pub fn validate_packages(packages: &[PackageInput]) -> Result<()> {
    if packages.is_empty() {
        return Err(Error::invalid(
            "packages",
            "Add at least one package with its weight",
        ));
    }
    if packages.len() > 50 {
        return Err(Error::invalid(
            "packages",
            "At most 50 packages per shipment",
        ));
    }
    for (i, p) in packages.iter().enumerate() {
        if p.weight_grams <= 0 || p.weight_grams > 70_000 {
            return Err(Error::invalid(
                format!("packages[{i}].weightGrams"),
                format!(
                    "Package {} needs a weight between 1 g and 70 kg (weigh it and enter grams)",
                    i + 1
                ),
            ));
        }
        for (name, v) in [
            ("lengthMm", p.length_mm),
            ("widthMm", p.width_mm),
            ("heightMm", p.height_mm),
        ] {
            if !(0..=3_000).contains(&v) {
                return Err(Error::invalid(
                    format!("packages[{i}].{name}"),
                    format!(
                        "Package {}: sizes are 0–3,000 mm (0 when not measured)",
                        i + 1
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A summary of an order's shipments, enough to decide its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FulfilmentState {
    /// Units reserved but on no active or finished shipment yet.
    pub unassigned_units: i64,
    /// Units waiting for stock.
    pub backordered_units: i64,
    /// Shipments by status: active ones, ones that left, ones done (delivered or collected).
    pub active: usize,
    pub left: usize,
    pub done: usize,
    /// Whether every shipment that left was a pick-up hand-over.
    pub all_collected: bool,
}

/// The order status that follows from its shipments, or `None` when it should stay as it is.
/// Cancelled, completed and delivered orders never move; an order moves forward only.
pub fn order_status_from(current: OrderStatus, s: &FulfilmentState) -> Option<OrderStatus> {
    use OrderStatus::*;
    if matches!(
        current,
        Cancelled | Completed | Delivered | PartiallyReturned | Returned
    ) {
        return None;
    }
    let pending = s.unassigned_units + s.backordered_units + s.active as i64;
    let next = if s.left == 0 {
        if s.active > 0 && matches!(current, Open) {
            InProgress
        } else {
            return None;
        }
    } else if pending > 0 {
        PartiallyShipped
    } else if s.all_collected {
        Completed
    } else if s.done == s.left {
        Delivered
    } else {
        Shipped
    };
    (next != current).then_some(next)
}

/// Whether the typed or confirmed name matches the name on the order, for a pick-up hand-over:
/// case, accents of ASCII letters, punctuation and word order do not matter, and the last name
/// alone is enough when it is at least 2 letters.
pub fn name_matches(on_order: &str, given: &str) -> bool {
    fn words(s: &str) -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    }
    let order = words(on_order);
    let given = words(given);
    if order.is_empty() || given.is_empty() {
        return false;
    }
    let mut a = order.clone();
    let mut b = given.clone();
    a.sort();
    b.sort();
    if a == b {
        return true;
    }
    given.len() == 1 && given[0].chars().count() >= 2 && order.last() == Some(&given[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipment(lines: &[(Uuid, i64, i64)]) -> Shipment {
        Shipment {
            id: Uuid::nil(),
            number: "SO-10001-1".into(),
            order_id: Uuid::nil(),
            order_number: "SO-10001".into(),
            customer_name: None,
            customer_email: None,
            location_id: Uuid::nil(),
            location: "WH-1".into(),
            location_name: "Main".into(),
            kind: ShipmentKind::Ship,
            status: ShipmentStatus::Picking,
            pick_list: None,
            carrier: None,
            service: None,
            tracking_number: None,
            shipping_cost: None,
            ship_to: None,
            promised_by: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
            packed_at: None,
            shipped_at: None,
            delivered_at: None,
            ready_at: None,
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, (p, qty, packed))| ShipmentLine {
                    line_no: i as i32 + 1,
                    product_id: *p,
                    sku: format!("SKU-{i}"),
                    name: "x".into(),
                    barcode: None,
                    bin: None,
                    qty: *qty,
                    packed: *packed,
                })
                .collect(),
            packages: vec![],
            tracking: vec![],
        }
    }

    #[test]
    fn scans_fill_lines_and_refuse_wrong_items_and_surplus() {
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        let s = shipment(&[(a, 2, 1), (b, 1, 1)]);
        assert_eq!(scan_line(&s, a, "SKU-A").unwrap(), 0);
        let surplus = scan_line(&s, b, "SKU-B").unwrap_err().to_string();
        assert!(
            surplus.contains("Surplus") && surplus.contains("SKU-B"),
            "{surplus}"
        );
        let wrong = scan_line(&s, Uuid::from_u128(3), "SKU-C")
            .unwrap_err()
            .to_string();
        assert!(
            wrong.contains("Wrong item") && wrong.contains("SKU-C"),
            "{wrong}"
        );
        // The same product on two lines fills the second once the first is full.
        let s = shipment(&[(a, 1, 1), (a, 2, 0)]);
        assert_eq!(scan_line(&s, a, "SKU-A").unwrap(), 1);
    }

    #[test]
    fn packages_are_checked_by_field() {
        assert!(validate_packages(&[]).is_err());
        let bad = validate_packages(&[PackageInput {
            weight_grams: 0,
            length_mm: 0,
            width_mm: 0,
            height_mm: 0,
        }]);
        match bad {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, "packages[0].weightGrams"),
            other => panic!("{other:?}"),
        }
        assert!(
            validate_packages(&[PackageInput {
                weight_grams: 1200,
                length_mm: 300,
                width_mm: 200,
                height_mm: 100,
            }])
            .is_ok()
        );
    }

    fn state(
        unassigned: i64,
        back: i64,
        active: usize,
        left: usize,
        done: usize,
    ) -> FulfilmentState {
        FulfilmentState {
            unassigned_units: unassigned,
            backordered_units: back,
            active,
            left,
            done,
            all_collected: false,
        }
    }

    #[test]
    fn order_status_follows_shipments() {
        use OrderStatus::*;
        assert_eq!(
            order_status_from(Open, &state(0, 0, 1, 0, 0)),
            Some(InProgress)
        );
        assert_eq!(
            order_status_from(InProgress, &state(2, 0, 0, 1, 0)),
            Some(PartiallyShipped)
        );
        assert_eq!(
            order_status_from(InProgress, &state(0, 0, 0, 2, 1)),
            Some(Shipped)
        );
        assert_eq!(
            order_status_from(Shipped, &state(0, 0, 0, 2, 2)),
            Some(Delivered)
        );
        assert_eq!(
            order_status_from(PartiallyShipped, &state(0, 1, 0, 1, 1)),
            None
        );
        assert_eq!(order_status_from(Cancelled, &state(0, 0, 0, 1, 1)), None);
        let collected = FulfilmentState {
            all_collected: true,
            ..state(0, 0, 0, 1, 1)
        };
        assert_eq!(order_status_from(InProgress, &collected), Some(Completed));
    }

    #[test]
    fn tracking_names_and_status() {
        assert_eq!(
            TrackingKind::parse("Out for Delivery", "x").unwrap(),
            TrackingKind::OutForDelivery
        );
        assert_eq!(
            TrackingKind::parse("IN_TRANSIT", "x").unwrap(),
            TrackingKind::InTransit
        );
        assert!(TrackingKind::parse("teleported", "x").is_err());
        assert_eq!(
            status_after_tracking(ShipmentStatus::Delivered, TrackingKind::InTransit),
            ShipmentStatus::Delivered
        );
        assert_eq!(
            status_after_tracking(ShipmentStatus::Labelled, TrackingKind::PickedUp),
            ShipmentStatus::Shipped
        );
    }

    #[test]
    fn hand_over_names() {
        assert!(name_matches("Maria García", "maria garcía"));
        assert!(name_matches("Maria Garcia", "Garcia, Maria"));
        assert!(name_matches("Maria Garcia", "garcia"));
        assert!(!name_matches("Maria Garcia", "Mario"));
        assert!(!name_matches("Maria Garcia", ""));
    }
}
