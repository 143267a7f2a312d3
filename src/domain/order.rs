//! Orders: the status machine and pricing. Pure: the caller supplies catalogue prices and time.

use serde::{Deserialize, Serialize};

use super::money::{add, check_amount, mul, mul_div_round};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Open,
    Backordered,
    InProgress,
    PartiallyShipped,
    Shipped,
    Delivered,
    Completed,
    Cancelled,
    /// Some units that left came back (set by receiving a return, never by hand).
    PartiallyReturned,
    /// Every unit that left came back.
    Returned,
}

/// What a status change does to the order's reserved stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockEffect {
    None,
    /// Give every open reservation back (cancel).
    ReleaseAll,
    /// The goods left: reserved units leave on-hand stock (ship, hand over).
    ShipAll,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 10] = [
        OrderStatus::Open,
        OrderStatus::Backordered,
        OrderStatus::InProgress,
        OrderStatus::PartiallyShipped,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
        OrderStatus::PartiallyReturned,
        OrderStatus::Returned,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            OrderStatus::Open => "open",
            OrderStatus::Backordered => "backordered",
            OrderStatus::InProgress => "in_progress",
            OrderStatus::PartiallyShipped => "partially_shipped",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::PartiallyReturned => "partially_returned",
            OrderStatus::Returned => "returned",
        }
    }

    pub fn parse(text: &str, field: &str) -> Result<Self> {
        OrderStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
            .ok_or_else(|| {
                Error::invalid(
                    field,
                    format!(
                        "'{text}' is not an order status: use one of {}",
                        OrderStatus::ALL.map(|s| s.as_str()).join(", ")
                    ),
                )
            })
    }

    /// The statuses an order may move to from this one by a person's action.
    /// Partial shipment and delivery are reported by fulfilment, not chosen here.
    pub fn next(&self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            Open => &[InProgress, Shipped, Completed, Cancelled],
            Backordered => &[Cancelled],
            InProgress => &[Shipped, Completed, Cancelled],
            PartiallyShipped => &[Shipped],
            Shipped => &[Delivered],
            Delivered | Completed | Cancelled | PartiallyReturned | Returned => &[],
        }
    }

    /// Checks a change and says what it does to stock. `pickup` tells whether the customer
    /// collects (completed = handed over) or the order ships (shipped).
    pub fn transition(
        &self,
        to: OrderStatus,
        pickup: bool,
        backordered_units: i64,
    ) -> Result<StockEffect> {
        if !self.next().contains(&to) {
            return Err(Error::InvalidTransition {
                message: format!(
                    "An order that is {} cannot become {}{}",
                    self.as_str().replace('_', " "),
                    to.as_str().replace('_', " "),
                    match self.next() {
                        [] => " (it is finished)".to_owned(),
                        next => format!(
                            ": it can become {}",
                            next.iter()
                                .map(|s| s.as_str().replace('_', " "))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }
                ),
            });
        }
        match to {
            OrderStatus::Cancelled => Ok(StockEffect::ReleaseAll),
            OrderStatus::Shipped | OrderStatus::Completed => {
                if backordered_units > 0 {
                    return Err(Error::InvalidTransition {
                        message: format!(
                            "{backordered_units} unit(s) are still waiting for stock: receive stock or cancel those lines first"
                        ),
                    });
                }
                if to == OrderStatus::Shipped && pickup {
                    return Err(Error::InvalidTransition {
                        message: "This is a pick-up order: mark it completed when the customer collects it".to_owned(),
                    });
                }
                Ok(StockEffect::ShipAll)
            }
            _ => Ok(StockEffect::None),
        }
    }

    /// Orders in these statuses may still have their lines, address or method changed.
    pub fn is_editable(&self) -> bool {
        matches!(self, OrderStatus::Open | OrderStatus::Backordered)
    }
}

/// A line to price: the unit price (catalogue or override) and a line discount, both minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineToPrice {
    pub qty: i64,
    pub unit_price: i64,
    pub discount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PricedLine {
    pub qty: i64,
    pub unit_price: i64,
    pub discount: i64,
    pub tax: i64,
    /// qty × unit price − discount + tax.
    pub total: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub tax: i64,
    pub total: i64,
}

pub const MAX_LINE_QTY: i64 = 1_000_000;
/// Tax rates are basis points: 825 = 8.25 %.
pub const MAX_TAX_RATE_BP: i64 = 10_000;

/// Prices an order: per line `qty × price − discount`, tax on that at `tax_rate_bp` (rounded half
/// away from zero per line), shipping taxed at the same rate, and totals that add up exactly.
pub fn price(
    lines: &[LineToPrice],
    shipping: i64,
    tax_rate_bp: i64,
) -> Result<(Vec<PricedLine>, Totals)> {
    if !(0..=MAX_TAX_RATE_BP).contains(&tax_rate_bp) {
        return Err(Error::invalid(
            "taxRateBp",
            "The tax rate must be between 0 and 100% (0 to 10000 basis points)",
        ));
    }
    check_amount(shipping, "shippingCharge", false)?;
    let mut priced = Vec::with_capacity(lines.len());
    let mut t = Totals::default();
    for (i, l) in lines.iter().enumerate() {
        let f = |name: &str| format!("lines.{i}.{name}");
        if l.qty <= 0 || l.qty > MAX_LINE_QTY {
            return Err(Error::invalid(
                f("qty"),
                format!(
                    "Quantity {} is not allowed: enter 1 to {MAX_LINE_QTY}",
                    l.qty
                ),
            ));
        }
        check_amount(l.unit_price, &f("unitPrice"), false)?;
        check_amount(l.discount, &f("discount"), false)?;
        let gross = mul(l.qty, l.unit_price, &f("unitPrice"))?;
        if l.discount > gross {
            return Err(Error::invalid(
                f("discount"),
                format!(
                    "The discount {} is more than the line's value {gross}: lower it",
                    l.discount
                ),
            ));
        }
        let net = gross - l.discount;
        let tax = mul_div_round(net, tax_rate_bp, 10_000);
        let total = add(net, tax, &f("unitPrice"))?;
        t.subtotal = add(t.subtotal, gross, "lines")?;
        t.discount = add(t.discount, l.discount, "lines")?;
        t.tax = add(t.tax, tax, "lines")?;
        priced.push(PricedLine {
            qty: l.qty,
            unit_price: l.unit_price,
            discount: l.discount,
            tax,
            total,
        });
    }
    let shipping_tax = mul_div_round(shipping, tax_rate_bp, 10_000);
    t.shipping = shipping;
    t.tax = add(t.tax, shipping_tax, "shippingCharge")?;
    t.total = add(
        add(t.subtotal - t.discount, t.shipping, "shippingCharge")?,
        t.tax,
        "shippingCharge",
    )?;
    Ok((priced, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_add_up() {
        let lines = [
            LineToPrice {
                qty: 2,
                unit_price: 1999,
                discount: 0,
            },
            LineToPrice {
                qty: 1,
                unit_price: 500,
                discount: 100,
            },
        ];
        let (priced, t) = price(&lines, 595, 825).unwrap();
        assert_eq!(priced[0].tax, 330); // 3998 × 8.25% = 329.835 → 330
        assert_eq!(priced[1].tax, 33); // 400 × 8.25% = 33
        assert_eq!(t.subtotal, 4498);
        assert_eq!(t.discount, 100);
        assert_eq!(t.tax, 330 + 33 + 49); // shipping 595 × 8.25% = 49.09 → 49
        assert_eq!(t.total, 4498 - 100 + 595 + 412);
    }

    #[test]
    fn bad_lines_name_the_field() {
        let err = price(
            &[LineToPrice {
                qty: 0,
                unit_price: 1,
                discount: 0,
            }],
            0,
            0,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("lines.0.qty"));
        let err = price(
            &[LineToPrice {
                qty: 1,
                unit_price: 100,
                discount: 101,
            }],
            0,
            0,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("lines.0.discount"));
    }

    #[test]
    fn transitions_follow_the_machine() {
        use OrderStatus::*;
        assert_eq!(
            Open.transition(Cancelled, false, 0).unwrap(),
            StockEffect::ReleaseAll
        );
        assert_eq!(
            Open.transition(Shipped, false, 0).unwrap(),
            StockEffect::ShipAll
        );
        assert!(Open.transition(Shipped, true, 0).is_err());
        assert!(Open.transition(Shipped, false, 2).is_err());
        assert!(Cancelled.transition(Open, false, 0).is_err());
        assert!(Shipped.transition(Cancelled, false, 0).is_err());
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str(), "s").unwrap(), s);
        }
    }
}

/// One row of the orders list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderSummary {
    pub id: uuid::Uuid,
    pub number: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub channel: String,
    pub customer_name: Option<String>,
    pub status: OrderStatus,
    pub item_count: i64,
    pub total: i64,
    pub currency: String,
    pub pickup_location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderLine {
    pub line_no: i32,
    pub product_id: uuid::Uuid,
    pub sku: String,
    pub name: String,
    pub qty: i64,
    pub unit_price: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    pub backordered: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    pub method: String,
    pub authorized: i64,
    pub captured: i64,
    pub refunded: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReservationState {
    Reserved,
    Released,
    Shipped,
}

impl ReservationState {
    pub fn as_str(&self) -> &'static str {
        match self {
            ReservationState::Reserved => "reserved",
            ReservationState::Released => "released",
            ReservationState::Shipped => "shipped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reservation {
    pub id: uuid::Uuid,
    pub line_no: i32,
    pub product_id: uuid::Uuid,
    pub sku: String,
    pub location_id: uuid::Uuid,
    pub location: String,
    pub qty: i64,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderEvent {
    pub kind: String,
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub summary: String,
    /// JSON text.
    pub details: String,
}

/// Everything about one order, for the order screen and `order show`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderDetail {
    pub id: uuid::Uuid,
    pub seq: i64,
    pub number: String,
    pub status: OrderStatus,
    pub channel: String,
    pub channel_ref: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    pub customer_id: Option<uuid::Uuid>,
    pub customer: Option<super::catalog::Customer>,
    pub customer_name: Option<String>,
    pub ship_to: Option<super::address::Address>,
    pub pickup_location: Option<String>,
    pub currency: String,
    pub lines: Vec<OrderLine>,
    pub totals: Totals,
    pub tax_rate_bp: i64,
    pub payments: Vec<Payment>,
    pub reservations: Vec<Reservation>,
    pub attributes: Vec<(String, String)>,
    pub notes: Option<String>,
    /// The delivery date promised to the customer, if any.
    pub promised_by: Option<chrono::NaiveDate>,
    pub events: Vec<OrderEvent>,
    /// Routing decisions, oldest first (the last one is in force).
    pub routes: Vec<super::routing_rules::OrderRoute>,
}

impl OrderDetail {
    pub fn backordered_units(&self) -> i64 {
        self.lines.iter().map(|l| l.backordered).sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OrderSort {
    Number,
    #[default]
    CreatedAt,
    Customer,
    Total,
    Status,
}

/// Filters, sort and page of the orders list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderQuery {
    pub search: Option<String>,
    pub channel: Option<String>,
    pub status: Option<OrderStatus>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub sort: OrderSort,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

/// One line of an order request: a SKU or barcode and a quantity; price and discount optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineRequest {
    pub sku: String,
    pub qty: i64,
    #[serde(default)]
    pub unit_price: Option<i64>,
    #[serde(default)]
    pub discount: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    pub method: String,
    #[serde(default)]
    pub captured: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    pub key: String,
    pub value: String,
}

/// An order as a channel, the counter or a file submits it (documented in docs/order-request.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    pub channel: String,
    #[serde(default)]
    pub channel_ref: Option<String>,
    #[serde(default)]
    pub customer_id: Option<String>,
    #[serde(default)]
    pub customer: Option<super::catalog::CustomerDraft>,
    #[serde(default)]
    pub ship_to: Option<super::address::Address>,
    #[serde(default)]
    pub pickup_location: Option<String>,
    #[serde(default)]
    pub take_away: bool,
    pub lines: Vec<LineRequest>,
    #[serde(default)]
    pub shipping_charge: Option<i64>,
    #[serde(default)]
    pub tax_rate_bp: Option<i64>,
    #[serde(default)]
    pub payment: Option<PaymentRequest>,
    #[serde(default)]
    pub attributes: Vec<Attribute>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Ship the whole order in one parcel from one location (never split it).
    #[serde(default)]
    pub no_split: bool,
    /// The delivery date promised to the customer (`YYYY-MM-DD`), if the channel gave one.
    #[serde(default)]
    pub promised_by: Option<chrono::NaiveDate>,
}
