//! Returns, refunds and exchanges — the pure part: reason codes, conditions, methods,
//! dispositions, statuses, the return policy, the return-window check and the refund math
//! (prorated goods, discount and tax per unit; shipping, restocking and label fees), each rule
//! explained in a sentence. No I/O, no clock: the caller passes dates and amounts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::money::{Currency, Money, mul_div_round};
use crate::error::{Error, Result};

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident, $what:literal, { $($v:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            /// Reads the stored / typed text; the error names `field` and lists what is allowed.
            pub fn parse(text: &str, field: &str) -> Result<Self> {
                let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                Self::ALL.iter().copied().find(|v| v.as_str() == t).ok_or_else(|| {
                    Error::invalid(
                        field,
                        format!(
                            "'{}' is not {}: use one of {}",
                            text.trim(),
                            $what,
                            Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    )
                })
            }
        }
    };
}

text_enum!(
    /// Why the customer returns a unit.
    ReturnReason, "a return reason", {
    ChangedMind => "changed_mind",
    WrongSize => "wrong_size",
    Defective => "defective",
    DamagedInTransit => "damaged_in_transit",
    WrongItem => "wrong_item",
    NotAsDescribed => "not_as_described",
    ArrivedLate => "arrived_late",
    Other => "other",
});

impl ReturnReason {
    /// The shop (or its carrier) is at fault: shipping may be refunded, no restocking or label fee.
    pub fn is_shop_fault(&self) -> bool {
        matches!(
            self,
            ReturnReason::Defective
                | ReturnReason::DamagedInTransit
                | ReturnReason::WrongItem
                | ReturnReason::NotAsDescribed
                | ReturnReason::ArrivedLate
        )
    }
}

text_enum!(
    /// What the customer or staff says of the units when the return is authorised.
    ReturnCondition, "a condition", {
    Unopened => "unopened",
    Opened => "opened",
    Damaged => "damaged",
});

text_enum!(
    /// How the goods come back.
    ReturnMethod, "a return method", {
    ShipBack => "ship_back",
    DropOff => "drop_off",
});

text_enum!(
    /// What happens to a unit at inspection.
    Disposition, "a disposition", {
    Restock => "restock",
    Damaged => "damaged",
    Dispose => "dispose",
    Vendor => "vendor",
});

text_enum!(
    /// Where a return stands.
    ReturnStatus, "a return status", {
    Authorized => "authorized",
    InTransit => "in_transit",
    PartiallyReceived => "partially_received",
    Received => "received",
    Closed => "closed",
    Cancelled => "cancelled",
});

text_enum!(
    /// Where refunded money goes.
    RefundTo, "a refund destination", {
    Original => "original",
    StoreCredit => "store_credit",
    Exchange => "exchange",
});

impl ReturnStatus {
    /// Units may still be received.
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            ReturnStatus::Authorized | ReturnStatus::InTransit | ReturnStatus::PartiallyReceived
        )
    }

    /// The status after a receipt, from the units authorised and received.
    pub fn after_receipt(qty: i64, received: i64) -> ReturnStatus {
        if received >= qty {
            ReturnStatus::Received
        } else {
            ReturnStatus::PartiallyReceived
        }
    }
}

/// The return window of one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelWindow {
    pub channel: String,
    pub days: i64,
}

/// The shop's return rules (settings key `return_policy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnPolicy {
    pub default_window_days: i64,
    pub channel_windows: Vec<ChannelWindow>,
    /// Basis points of (goods − discount) of the units returned for a non-shop-fault reason.
    pub restocking_fee_bp: i64,
    pub refund_shipping_on_shop_fault: bool,
    /// Minor units, deducted once for a ship-back return with no shop-fault line.
    pub return_label_fee: i64,
    /// Where ship-backs go (location code); none = the first active warehouse.
    pub default_location: Option<String>,
}

impl Default for ReturnPolicy {
    fn default() -> Self {
        ReturnPolicy {
            default_window_days: 30,
            channel_windows: Vec::new(),
            restocking_fee_bp: 0,
            refund_shipping_on_shop_fault: true,
            return_label_fee: 0,
            default_location: None,
        }
    }
}

pub const MAX_WINDOW_DAYS: i64 = 3650;

impl ReturnPolicy {
    /// Checks every figure; channel codes are upper-cased and may appear once.
    pub fn validated(mut self) -> Result<Self> {
        if !(0..=MAX_WINDOW_DAYS).contains(&self.default_window_days) {
            return Err(Error::invalid(
                "defaultWindowDays",
                format!("The return window must be 0 to {MAX_WINDOW_DAYS} days"),
            ));
        }
        let mut seen = Vec::new();
        for (i, w) in self.channel_windows.iter_mut().enumerate() {
            w.channel = w.channel.trim().to_ascii_uppercase();
            if w.channel.is_empty() {
                return Err(Error::invalid(
                    format!("channelWindows.{i}.channel"),
                    "Choose the channel this window is for",
                ));
            }
            if seen.contains(&w.channel) {
                return Err(Error::invalid(
                    format!("channelWindows.{i}.channel"),
                    format!("{} has two windows: keep one", w.channel),
                ));
            }
            seen.push(w.channel.clone());
            if !(0..=MAX_WINDOW_DAYS).contains(&w.days) {
                return Err(Error::invalid(
                    format!("channelWindows.{i}.days"),
                    format!("The return window must be 0 to {MAX_WINDOW_DAYS} days"),
                ));
            }
        }
        if !(0..=10_000).contains(&self.restocking_fee_bp) {
            return Err(Error::invalid(
                "restockingFeeBp",
                "The restocking fee must be 0% to 100% (0 to 10000 basis points)",
            ));
        }
        super::money::check_amount(self.return_label_fee, "returnLabelFee", false)?;
        self.default_location = self
            .default_location
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty());
        Ok(self)
    }

    /// The window in days for a channel (its own, else the default).
    pub fn window_for(&self, channel: &str) -> i64 {
        self.channel_windows
            .iter()
            .find(|w| w.channel.eq_ignore_ascii_case(channel))
            .map(|w| w.days)
            .unwrap_or(self.default_window_days)
    }
}

/// The outcome of the window rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowCheck {
    pub days: i64,
    pub left_on: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub within: bool,
    pub note: String,
}

/// Whether `today` is within the channel's window counted from the day the units left.
/// Nothing left yet → not within (there is nothing to return).
pub fn check_window(
    policy: &ReturnPolicy,
    channel: &str,
    left_on: Option<NaiveDate>,
    today: NaiveDate,
) -> WindowCheck {
    let days = policy.window_for(channel);
    let ch = channel.to_ascii_lowercase();
    let Some(left) = left_on else {
        return WindowCheck {
            days,
            left_on: None,
            until: None,
            within: false,
            note: "Nothing has left yet: only units that left can be returned.".into(),
        };
    };
    let until = left + chrono::Days::new(days.max(0) as u64);
    let within = today <= until;
    let note = if within {
        format!("Within the {days}-day {ch} window: left {left}, returnable until {until}.")
    } else {
        format!(
            "Outside the {days}-day {ch} window: left {left}, returnable until {until} ({} day(s) late).",
            (today - until).num_days()
        )
    };
    WindowCheck {
        days,
        left_on: Some(left),
        until: Some(until),
        within,
        note,
    }
}

/// `x · n / q` rounded half away from zero: the share of `x` that `n` of `q` units carry.
pub fn cum(n: i64, q: i64, x: i64) -> i64 {
    if q <= 0 {
        return 0;
    }
    mul_div_round(x, n, q)
}

/// One order line's units on a return, with what the order charged for the whole line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineToRefund {
    pub line_no: i32,
    pub sku: String,
    /// Units ordered on the line (Q).
    pub order_qty: i64,
    pub unit_price: i64,
    /// The line's own discount (D).
    pub line_discount: i64,
    /// The line's share of order-level discounts (S); 0 while those do not exist.
    pub order_discount_share: i64,
    /// The line's tax (T).
    pub tax: i64,
    /// Units of this line returned before (on earlier returns) — j.
    pub before: i64,
    /// Units counted now — k.
    pub qty: i64,
    pub reason: ReturnReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundLine {
    pub line_no: i32,
    pub sku: String,
    pub qty: i64,
    pub goods: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
}

/// The order-level facts the refund needs beyond the lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundContext {
    pub currency: Currency,
    pub shipping: i64,
    pub tax_rate_bp: i64,
    /// Another return of this order refunded the shipping already.
    pub shipping_refunded_before: bool,
    pub method: ReturnMethod,
    /// An exchange: no restocking fee, no label fee.
    pub exchange: bool,
    /// What this return refunded already (all destinations).
    pub already_refunded: i64,
    /// The order's captured − refunded.
    pub captured_remaining: i64,
}

/// What a return is worth and what may be refunded now, each rule explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundBreakdown {
    pub currency: String,
    pub lines: Vec<RefundLine>,
    pub goods: i64,
    pub discount: i64,
    pub tax: i64,
    pub shipping: i64,
    pub shipping_tax: i64,
    pub restocking_fee: i64,
    pub label_fee: i64,
    /// goods − discount + tax + shipping + shipping tax − fees, never below 0.
    pub total: i64,
    pub already_refunded: i64,
    /// min(total − already refunded, captured remaining), never below 0.
    pub refundable: i64,
    pub captured_remaining: i64,
    pub notes: Vec<String>,
}

fn percent(bp: i64) -> String {
    if bp % 100 == 0 {
        format!("{}%", bp / 100)
    } else {
        let s = format!("{}.{:02}", bp / 100, bp % 100);
        format!("{}%", s.trim_end_matches('0'))
    }
}

/// The refund math of a return (design §3): per line the units' prorated goods, discount and
/// tax (`cum(j+k) − cum(j)`, so all units over any number of returns refund the line exactly);
/// shipping with its tax on a shop-fault return when the policy says so and no other return took
/// it; the restocking fee on non-shop-fault lines; the label fee once for a ship-back with no
/// shop-fault line. Lines with no units counted contribute nothing.
pub fn refund_breakdown(
    policy: &ReturnPolicy,
    lines: &[LineToRefund],
    ctx: &RefundContext,
) -> RefundBreakdown {
    let money = |a: i64| Money::new(a, ctx.currency).display();
    let mut out = RefundBreakdown {
        currency: ctx.currency.code().to_owned(),
        lines: Vec::new(),
        goods: 0,
        discount: 0,
        tax: 0,
        shipping: 0,
        shipping_tax: 0,
        restocking_fee: 0,
        label_fee: 0,
        total: 0,
        already_refunded: ctx.already_refunded,
        refundable: 0,
        captured_remaining: ctx.captured_remaining,
        notes: Vec::new(),
    };
    let mut fee_base = 0i64;
    let mut fee_reasons: Vec<&'static str> = Vec::new();
    let mut shop_fault = false;
    let mut counted = 0i64;
    for l in lines.iter().filter(|l| l.qty > 0) {
        let (j, k, q) = (l.before, l.qty, l.order_qty);
        let gross = l.unit_price * q;
        let disc = l.line_discount + l.order_discount_share;
        let goods = cum(j + k, q, gross) - cum(j, q, gross);
        let discount = cum(j + k, q, disc) - cum(j, q, disc);
        let tax = cum(j + k, q, l.tax) - cum(j, q, l.tax);
        let total = goods - discount + tax;
        out.goods += goods;
        out.discount += discount;
        out.tax += tax;
        counted += k;
        if l.reason.is_shop_fault() {
            shop_fault = true;
        } else {
            fee_base += goods - discount;
            if !fee_reasons.contains(&l.reason.as_str()) {
                fee_reasons.push(l.reason.as_str());
            }
        }
        out.lines.push(RefundLine {
            line_no: l.line_no,
            sku: l.sku.clone(),
            qty: k,
            goods,
            discount,
            tax,
            total,
        });
    }
    if counted == 0 {
        out.notes
            .push("No units are counted yet: nothing to refund until units are received.".into());
    }
    // Shipping.
    if counted > 0 && ctx.shipping > 0 {
        if !shop_fault {
            out.notes.push(
                "Shipping is not refunded: no line was returned for a shop-fault reason.".into(),
            );
        } else if !policy.refund_shipping_on_shop_fault {
            out.notes.push(
                "Shipping is not refunded: the policy keeps it on shop-fault returns.".into(),
            );
        } else if ctx.shipping_refunded_before {
            out.notes.push(
                "Shipping is not refunded again: an earlier return of this order refunded it."
                    .into(),
            );
        } else {
            out.shipping = ctx.shipping;
            out.shipping_tax = mul_div_round(ctx.shipping, ctx.tax_rate_bp, 10_000);
            out.notes.push(format!(
                "Shipping refunded on a shop-fault return: {} + {} tax.",
                money(out.shipping),
                money(out.shipping_tax)
            ));
        }
    }
    // Restocking fee.
    if policy.restocking_fee_bp > 0 && fee_base > 0 {
        if ctx.exchange {
            out.notes
                .push("No restocking fee: it is waived for exchanges.".into());
        } else {
            out.restocking_fee = mul_div_round(fee_base, policy.restocking_fee_bp, 10_000);
            out.notes.push(format!(
                "Restocking fee {} on {}: −{}.",
                percent(policy.restocking_fee_bp),
                fee_reasons.join(", ").replace('_', " "),
                money(out.restocking_fee)
            ));
        }
    }
    // Label fee.
    if counted > 0 && ctx.method == ReturnMethod::ShipBack && policy.return_label_fee > 0 {
        if shop_fault {
            out.notes
                .push("No return label fee: the return is the shop's fault.".into());
        } else if ctx.exchange {
            out.notes
                .push("No return label fee: it is waived for exchanges.".into());
        } else {
            out.label_fee = policy.return_label_fee;
            out.notes.push(format!(
                "Return label fee: −{}.",
                money(policy.return_label_fee)
            ));
        }
    }
    let raw = out.goods - out.discount + out.tax + out.shipping + out.shipping_tax
        - out.restocking_fee
        - out.label_fee;
    out.total = raw.max(0);
    let remaining = (out.total - ctx.already_refunded).max(0);
    out.refundable = remaining.min(ctx.captured_remaining.max(0));
    if ctx.already_refunded > 0 {
        out.notes.push(format!(
            "Already refunded on this return: {}.",
            money(ctx.already_refunded)
        ));
    }
    if out.refundable < remaining {
        out.notes.push(format!(
            "Limited to {}: what the order's payments captured and have not refunded.",
            money(out.refundable)
        ));
    }
    out
}

/// Spreads `amount` over payments' refundable room (captured − refunded), largest room first.
/// Returns (index, amount) pairs, or `None` when the room is too small.
pub fn spread_refund(amount: i64, rooms: &[i64]) -> Option<Vec<(usize, i64)>> {
    let mut order: Vec<usize> = (0..rooms.len()).filter(|i| rooms[*i] > 0).collect();
    order.sort_by_key(|i| (std::cmp::Reverse(rooms[*i]), *i));
    let mut left = amount;
    let mut out = Vec::new();
    for i in order {
        if left == 0 {
            break;
        }
        let take = rooms[i].min(left);
        out.push((i, take));
        left -= take;
    }
    (left == 0).then_some(out)
}

/// One inspection of some units of a return line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DispositionCount {
    pub disposition: Disposition,
    pub qty: i64,
    pub location: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
}

/// The units of one order line on a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnLine {
    pub line_no: i32,
    pub product_id: uuid::Uuid,
    pub sku: String,
    pub name: String,
    pub qty: i64,
    pub received: i64,
    pub reason: ReturnReason,
    pub condition: ReturnCondition,
    pub note: Option<String>,
    pub dispositions: Vec<DispositionCount>,
}

/// The ship-back label of a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnLabelInfo {
    pub carrier: String,
    pub service: String,
    pub tracking_number: String,
    pub cost: Option<i64>,
    pub weight_grams: i64,
}

/// Money given back on an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refund {
    pub id: uuid::Uuid,
    pub ret: Option<String>,
    pub order: String,
    pub amount: i64,
    pub currency: String,
    pub to: RefundTo,
    pub shipping: i64,
    pub reason: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
}

/// A return as stored, with its lines, inspections and refunds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Return {
    pub id: uuid::Uuid,
    pub number: String,
    pub seq: i64,
    pub order_id: uuid::Uuid,
    pub order: String,
    pub status: ReturnStatus,
    pub method: ReturnMethod,
    pub location_id: uuid::Uuid,
    pub location: String,
    pub location_name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    pub customer_name: Option<String>,
    /// The order's customer (none for a walk-in order), for linking the customer page.
    pub customer_id: Option<uuid::Uuid>,
    pub lines: Vec<ReturnLine>,
    pub label: Option<ReturnLabelInfo>,
    pub policy_notes: Vec<String>,
    pub override_reason: Option<String>,
    pub note: Option<String>,
    pub refunds: Vec<Refund>,
    pub exchange_order: Option<String>,
    pub exchange_order_id: Option<uuid::Uuid>,
    pub currency: String,
}

impl Return {
    pub fn units(&self) -> i64 {
        self.lines.iter().map(|l| l.qty).sum()
    }
    pub fn received(&self) -> i64 {
        self.lines.iter().map(|l| l.received).sum()
    }
    pub fn refunded(&self) -> i64 {
        self.refunds.iter().map(|r| r.amount).sum()
    }
}

/// A return with its money, as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnView {
    pub ret: Return,
    pub refunded: i64,
    /// What may be refunded now for the received units.
    pub refundable: i64,
}

/// Returned units held (not sellable) at a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeldStock {
    pub sku: String,
    pub name: String,
    pub qty: i64,
}

/// A location's returns desk: what is expected, being received, waiting for a refund, recent, and
/// the held stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnsQueue {
    pub location: String,
    pub expected: Vec<ReturnView>,
    pub receiving: Vec<ReturnView>,
    pub to_refund: Vec<ReturnView>,
    pub recent: Vec<ReturnView>,
    pub held: Vec<HeldStock>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(q: i64, p: i64, d: i64, t: i64, j: i64, k: i64, reason: ReturnReason) -> LineToRefund {
        LineToRefund {
            line_no: 1,
            sku: "A".into(),
            order_qty: q,
            unit_price: p,
            line_discount: d,
            order_discount_share: 0,
            tax: t,
            before: j,
            qty: k,
            reason,
        }
    }

    fn ctx(shipping: i64, method: ReturnMethod) -> RefundContext {
        RefundContext {
            currency: Currency::USD,
            shipping,
            tax_rate_bp: 825,
            shipping_refunded_before: false,
            method,
            exchange: false,
            already_refunded: 0,
            captured_remaining: 1_000_000,
        }
    }

    #[test]
    fn cum_rounds_half_away_from_zero() {
        assert_eq!(cum(1, 3, 100), 33);
        assert_eq!(cum(2, 3, 100), 67);
        assert_eq!(cum(1, 2, 5), 3);
        assert_eq!(cum(3, 3, 100), 100);
        assert_eq!(cum(0, 3, 100), 0);
    }

    #[test]
    fn a_partial_return_prorates_discount_and_tax_and_charges_a_restocking_fee() {
        // 3 × 10.00 with a 3.00 discount: net 27.00, tax 8.25% = 2.2275 → 2.23.
        let policy = ReturnPolicy {
            restocking_fee_bp: 1500,
            ..ReturnPolicy::default()
        };
        let b = refund_breakdown(
            &policy,
            &[line(3, 1000, 300, 223, 0, 1, ReturnReason::ChangedMind)],
            &ctx(500, ReturnMethod::DropOff),
        );
        assert_eq!(b.goods, 1000);
        assert_eq!(b.discount, 100);
        assert_eq!(b.tax, 74); // 223 / 3 = 74.33 → 74
        assert_eq!(b.shipping, 0);
        assert_eq!(b.restocking_fee, 135); // 15% of 9.00
        assert_eq!(b.total, 1000 - 100 + 74 - 135);
        assert!(
            b.notes
                .iter()
                .any(|n| n.contains("Restocking fee 15% on changed mind: −1.35 USD"))
        );
        assert!(
            b.notes
                .iter()
                .any(|n| n.contains("Shipping is not refunded"))
        );
    }

    #[test]
    fn shop_fault_refunds_shipping_once_and_no_fees() {
        let policy = ReturnPolicy {
            restocking_fee_bp: 1500,
            return_label_fee: 400,
            ..ReturnPolicy::default()
        };
        let mut c = ctx(500, ReturnMethod::ShipBack);
        let b = refund_breakdown(
            &policy,
            &[line(1, 1000, 0, 83, 0, 1, ReturnReason::Defective)],
            &c,
        );
        assert_eq!((b.shipping, b.shipping_tax), (500, 41)); // 500 × 8.25% = 41.25 → 41
        assert_eq!((b.restocking_fee, b.label_fee), (0, 0));
        assert_eq!(b.total, 1000 + 83 + 500 + 41);
        c.shipping_refunded_before = true;
        let b = refund_breakdown(
            &policy,
            &[line(1, 1000, 0, 83, 0, 1, ReturnReason::Defective)],
            &c,
        );
        assert_eq!(b.shipping, 0);
        // Not the shop's fault, shipped back: the label fee applies once.
        let b = refund_breakdown(
            &policy,
            &[line(1, 1000, 0, 83, 0, 1, ReturnReason::WrongSize)],
            &ctx(500, ReturnMethod::ShipBack),
        );
        assert_eq!(b.label_fee, 400);
        assert_eq!(b.restocking_fee, 150);
    }

    #[test]
    fn refundable_is_capped_by_what_was_captured_and_already_refunded() {
        let policy = ReturnPolicy::default();
        let mut c = ctx(0, ReturnMethod::DropOff);
        c.already_refunded = 300;
        c.captured_remaining = 500;
        let b = refund_breakdown(
            &policy,
            &[line(1, 1000, 0, 0, 0, 1, ReturnReason::Other)],
            &c,
        );
        assert_eq!(b.total, 1000);
        assert_eq!(b.refundable, 500);
    }

    #[test]
    fn spread_takes_the_largest_room_first() {
        assert_eq!(
            spread_refund(700, &[500, 600]),
            Some(vec![(1, 600), (0, 100)])
        );
        assert_eq!(spread_refund(1200, &[500, 600]), None);
        assert_eq!(spread_refund(0, &[500]), Some(vec![]));
    }

    #[test]
    fn the_window_counts_from_the_day_the_units_left() {
        let policy = ReturnPolicy {
            channel_windows: vec![ChannelWindow {
                channel: "WEB".into(),
                days: 14,
            }],
            ..ReturnPolicy::default()
        };
        let left = NaiveDate::from_ymd_opt(2026, 11, 2);
        let w = check_window(
            &policy,
            "WEB",
            left,
            NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
        );
        assert!(w.within, "{}", w.note);
        assert_eq!(
            w.note,
            "Within the 14-day web window: left 2026-11-02, returnable until 2026-11-16."
        );
        let w = check_window(
            &policy,
            "WEB",
            left,
            NaiveDate::from_ymd_opt(2026, 11, 17).unwrap(),
        );
        assert!(!w.within);
        let w = check_window(
            &policy,
            "COUNTER",
            left,
            NaiveDate::from_ymd_opt(2026, 11, 17).unwrap(),
        );
        assert!(w.within);
        assert_eq!(w.days, 30);
    }

    #[test]
    fn names_round_trip() {
        for r in ReturnReason::ALL {
            assert_eq!(ReturnReason::parse(r.as_str(), "r").unwrap(), *r);
        }
        assert_eq!(
            ReturnReason::parse("x", "lines.0.reason")
                .unwrap_err()
                .field(),
            Some("lines.0.reason")
        );
        assert_eq!(
            Disposition::parse("Restock", "d").unwrap(),
            Disposition::Restock
        );
    }

    proptest! {
        /// Returning every unit of a line over any number of returns refunds its goods, discount
        /// and tax exactly, and no return refunds a negative amount.
        #[test]
        fn all_units_over_any_returns_refund_the_line_exactly(
            q in 1i64..50,
            price in 0i64..100_000,
            disc_pct in 0i64..=100,
            tax_bp in 0i64..=3000,
            cuts in proptest::collection::vec(1i64..10, 1..8),
        ) {
            let gross = q * price;
            let d = gross * disc_pct / 100;
            let t = mul_div_round(gross - d, tax_bp, 10_000);
            let policy = ReturnPolicy::default();
            let c = ctx(0, ReturnMethod::DropOff);
            let mut j = 0;
            let (mut g, mut dd, mut tt, mut tot) = (0, 0, 0, 0);
            let mut parts = cuts.clone();
            parts.push(q);
            for k in parts {
                let k = k.min(q - j);
                if k == 0 { continue; }
                let b = refund_breakdown(&policy, &[line(q, price, d, t, j, k, ReturnReason::Other)], &c);
                prop_assert!(b.lines[0].goods >= 0 && b.lines[0].discount >= 0 && b.lines[0].tax >= 0);
                prop_assert!(b.lines[0].total >= 0);
                g += b.goods; dd += b.discount; tt += b.tax; tot += b.total;
                j += k;
            }
            prop_assert_eq!(j, q);
            prop_assert_eq!(g, gross);
            prop_assert_eq!(dd, d);
            prop_assert_eq!(tt, t);
            prop_assert_eq!(tot, gross - d + t);
        }

        #[test]
        fn a_spread_adds_up_and_fits_each_room(amount in 0i64..10_000, rooms in proptest::collection::vec(0i64..5_000, 0..5)) {
            match spread_refund(amount, &rooms) {
                Some(parts) => {
                    prop_assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), amount);
                    for (i, a) in parts { prop_assert!(a > 0 && a <= rooms[i]); }
                }
                None => prop_assert!(rooms.iter().sum::<i64>() < amount),
            }
        }
    }
}
