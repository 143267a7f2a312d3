//! Stock movements: the append-only ledger's vocabulary. Every change of on-hand, reserved or
//! in-transit stock is one of these; balances are only ever the sum of movements.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// Goods arrived from a supplier: on hand up.
    Receive,
    /// A count or a correction, with a reason: on hand up or down.
    Adjust,
    /// Goods left for another location: on hand down here.
    TransferOut,
    /// Goods are on their way here: incoming up.
    TransferInTransit,
    /// Goods of a transfer arrived: incoming down (if they were in transit), on hand up.
    TransferIn,
    /// Held for an order: reserved up.
    Reserve,
    /// An order let go of held stock: reserved down.
    Release,
    /// Held stock left with the order: on hand and reserved down.
    Ship,
    /// A returned unit inspected as sellable: on hand up.
    ReturnRestock,
    /// A returned unit that is back but not sellable (damaged, to dispose, to the vendor): held up.
    ReturnHeld,
    /// Held units written off, with a reason: held down.
    Dispose,
    /// Held units sent back to the vendor, with a reason: held down.
    VendorReturn,
}

impl MovementKind {
    pub const ALL: [MovementKind; 12] = [
        MovementKind::Receive,
        MovementKind::Adjust,
        MovementKind::TransferOut,
        MovementKind::TransferInTransit,
        MovementKind::TransferIn,
        MovementKind::Reserve,
        MovementKind::Release,
        MovementKind::Ship,
        MovementKind::ReturnRestock,
        MovementKind::ReturnHeld,
        MovementKind::Dispose,
        MovementKind::VendorReturn,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            MovementKind::Receive => "receive",
            MovementKind::Adjust => "adjust",
            MovementKind::TransferOut => "transfer_out",
            MovementKind::TransferInTransit => "transfer_in_transit",
            MovementKind::TransferIn => "transfer_in",
            MovementKind::Reserve => "reserve",
            MovementKind::Release => "release",
            MovementKind::Ship => "ship",
            MovementKind::ReturnRestock => "return_restock",
            MovementKind::ReturnHeld => "return_held",
            MovementKind::Dispose => "dispose",
            MovementKind::VendorReturn => "vendor_return",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        MovementKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// The change one movement makes to a balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Delta {
    pub on_hand: i64,
    pub reserved: i64,
    pub incoming: i64,
    /// Returned units that are here but not sellable.
    pub held: i64,
}

impl MovementKind {
    /// The balance change for `qty` units (for `Adjust`, `qty` is signed; for the rest positive).
    /// `from_transit` says whether a `TransferIn` ends a transit (incoming down) or was immediate.
    pub fn delta(&self, qty: i64, from_transit: bool) -> Delta {
        match self {
            MovementKind::Receive | MovementKind::Adjust => Delta {
                on_hand: qty,
                ..Delta::default()
            },
            MovementKind::TransferOut => Delta {
                on_hand: -qty,
                ..Delta::default()
            },
            MovementKind::TransferInTransit => Delta {
                incoming: qty,
                ..Delta::default()
            },
            MovementKind::TransferIn => Delta {
                on_hand: qty,
                incoming: if from_transit { -qty } else { 0 },
                ..Delta::default()
            },
            MovementKind::Reserve => Delta {
                reserved: qty,
                ..Delta::default()
            },
            MovementKind::Release => Delta {
                reserved: -qty,
                ..Delta::default()
            },
            MovementKind::Ship => Delta {
                on_hand: -qty,
                reserved: -qty,
                ..Delta::default()
            },
            MovementKind::ReturnRestock => Delta {
                on_hand: qty,
                ..Delta::default()
            },
            MovementKind::ReturnHeld => Delta {
                held: qty,
                ..Delta::default()
            },
            MovementKind::Dispose | MovementKind::VendorReturn => Delta {
                held: -qty,
                ..Delta::default()
            },
        }
    }
}

/// Reasons an adjustment may give; the ledger keeps the reason with the movement.
pub const ADJUST_REASONS: [&str; 5] = ["count", "damaged", "lost", "found", "other"];

pub fn parse_adjust_reason(text: &str) -> Result<&'static str> {
    let t = text.trim().to_ascii_lowercase();
    ADJUST_REASONS.into_iter().find(|r| *r == t).ok_or_else(|| {
        Error::invalid(
            "reason",
            format!(
                "'{t}' is not a reason: use one of {}",
                ADJUST_REASONS.join(", ")
            ),
        )
    })
}

/// A positive quantity of units, at most a million per movement.
pub fn parse_qty(qty: i64, field: &str) -> Result<i64> {
    if qty <= 0 || qty > 1_000_000 {
        return Err(Error::invalid(
            field,
            format!("Quantity {qty} is not allowed: enter 1 to 1,000,000"),
        ));
    }
    Ok(qty)
}

/// Stock a channel may sell at one location: on hand − reserved − safety stock − channel buffer,
/// never below zero.
pub fn sellable(on_hand: i64, reserved: i64, safety_stock: i64, channel_buffer: i64) -> i64 {
    (on_hand - reserved - safety_stock - channel_buffer).max(0)
}

/// A balance of one SKU at one location, with names for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub product_id: uuid::Uuid,
    pub location_id: uuid::Uuid,
    pub sku: String,
    pub product_name: String,
    pub location: String,
    pub location_name: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub safety_stock: i64,
    pub incoming: i64,
    /// Returned units here that are not sellable (never on hand, never available).
    pub held: i64,
}

impl Balance {
    /// on hand − reserved − safety stock, never below zero.
    pub fn available(&self) -> i64 {
        sellable(self.on_hand, self.reserved, self.safety_stock, 0)
    }
}

/// One ledger row, for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Movement {
    pub at: chrono::DateTime<chrono::Utc>,
    pub sku: String,
    pub location: String,
    pub kind: String,
    pub on_hand_delta: i64,
    pub reserved_delta: i64,
    pub incoming_delta: i64,
    pub held_delta: i64,
    pub reason: Option<String>,
    pub order_number: Option<String>,
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transfer {
    pub id: uuid::Uuid,
    pub product_id: uuid::Uuid,
    pub sku: String,
    pub from_location_id: uuid::Uuid,
    pub from: String,
    pub to_location_id: uuid::Uuid,
    pub to: String,
    pub qty: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A balance that does not match the sum of its ledger rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BalanceDifference {
    pub sku: String,
    pub location: String,
    pub field: &'static str,
    pub stored: i64,
    pub from_ledger: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub balances_checked: i64,
    pub movements_checked: i64,
    pub differences: Vec<BalanceDifference>,
}
