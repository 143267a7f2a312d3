//! Use cases for returns, refunds and exchanges: what an order may return and under which rule,
//! authorising a return, receiving units with a disposition (ledger rows at the receiving
//! location), refunding within what was captured (conditional payment updates, idempotency keys,
//! store credit), exchanges through the normal capture path, cancelling, held stock, the policy.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{Actor, App, Settings};
use crate::db::inventory::MovementRecord;
use crate::db::{self, Executes};
use crate::domain::address::Address;
use crate::domain::catalog::{Location, LocationKind};
use crate::domain::ids::new_id;
use crate::domain::money::{Currency, Money, mul_div_round};
use crate::domain::order::{LineRequest, OrderDetail, OrderLine, OrderStatus};
use crate::domain::returns::{
    Disposition, LineToRefund, Refund, RefundBreakdown, RefundContext, RefundTo, Return,
    ReturnCondition, ReturnMethod, ReturnPolicy, ReturnReason, ReturnStatus, ReturnView,
    ReturnsQueue, check_window, refund_breakdown, spread_refund,
};
use crate::domain::stock::{MovementKind, parse_qty};
use crate::error::{Error, Result};

const KEY_RETURN_POLICY: &str = "return_policy";

/// One order line to return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnLineInput {
    pub line_no: i32,
    pub qty: i64,
    pub reason: ReturnReason,
    pub condition: ReturnCondition,
    pub note: Option<String>,
}

/// A return to authorise (or preview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnInput {
    /// The order number (`SO-10042`) or its barcode text.
    pub order: String,
    pub lines: Vec<ReturnLineInput>,
    pub method: ReturnMethod,
    /// Location code where the goods are expected.
    pub location: String,
    pub override_reason: Option<String>,
    pub note: Option<String>,
}

/// An order line and how much of it may come back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnableLine {
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub ordered_qty: i64,
    pub left_qty: i64,
    pub returnable_qty: i64,
    /// Per unit incl. tax, after discounts (rounded).
    pub unit_paid: i64,
    pub final_sale: bool,
}

/// What an order may return and under which rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnOptions {
    pub order: String,
    pub status: OrderStatus,
    pub channel: String,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub has_customer: bool,
    pub currency: String,
    pub lines: Vec<ReturnableLine>,
    pub window_days: i64,
    pub left_on: Option<NaiveDate>,
    pub returnable_until: Option<NaiveDate>,
    pub within_window: bool,
    pub policy_notes: Vec<String>,
    pub default_location: Option<String>,
    pub store_credit: Option<i64>,
}

/// A preview of a return: whether it may be authorised, why not, and what it would refund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnPreview {
    pub allowed: bool,
    pub problems: Vec<String>,
    pub policy_notes: Vec<String>,
    pub estimate: RefundBreakdown,
}

/// Units scanned or counted at inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveUnits {
    pub ret: String,
    pub location: String,
    pub code: Option<String>,
    pub line_no: Option<i32>,
    pub qty: i64,
    pub disposition: Disposition,
    pub note: Option<String>,
}

/// A refund to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundInput {
    pub ret: String,
    /// `None` = all that is refundable.
    pub amount: Option<i64>,
    pub to: RefundTo,
    pub reason: Option<String>,
    pub before_receipt: bool,
    pub idempotency_key: String,
}

/// A replacement order for a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeInput {
    pub ret: String,
    pub lines: Vec<LineRequest>,
    pub ship_to: Option<Address>,
    pub pickup_location: Option<String>,
    pub payment_method: Option<String>,
    /// Where a credit larger than the new order goes.
    pub refund_to: RefundTo,
    pub idempotency_key: String,
}

/// What an exchange did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    pub ret: String,
    pub order: String,
    pub new_total: i64,
    pub credit: i64,
    /// > 0 the customer pays, < 0 refunded to them.
    pub difference: i64,
    pub settlement: String,
    pub currency: String,
}

/// The ship-back label to make for a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnLabelRequest {
    pub ret: String,
    pub carrier: String,
    pub service: String,
    pub tracking_number: Option<String>,
    pub generate_local: bool,
    pub cost: Option<i64>,
    pub weight_grams: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeldActionKind {
    Dispose,
    Vendor,
}

/// Held units at a location written off or sent back to the vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldAction {
    pub location: String,
    pub sku: String,
    pub qty: i64,
    pub action: HeldActionKind,
    pub reason: String,
}

/// What a return receipt prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReturnDocumentData {
    pub shop: Settings,
    pub ret: Return,
    pub order: OrderDetail,
    pub breakdown: RefundBreakdown,
    pub refunded: i64,
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
        message: "The return was changed by someone else meanwhile: reload it and try again".into(),
    }
}

fn money(amount: i64, currency: &str) -> String {
    match Currency::parse(currency, "currency") {
        Ok(c) => Money::new(amount, c).display(),
        Err(_) => format!("{amount} {currency}"),
    }
}

/// Which units of a return count for its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Counted {
    Received,
    All,
}

/// The value of a return and what may be refunded now (design §3).
async fn breakdown_of(
    ex: &mut impl Executes,
    ret: &Return,
    order: &OrderDetail,
    policy: &ReturnPolicy,
    counted: Counted,
    exchange: bool,
) -> Result<RefundBreakdown> {
    let before = db::returns::units_by_line(ex, order.id, Some(ret.seq)).await?;
    let shipping_before = db::returns::shipping_refunded_elsewhere(ex, order.id, ret.id).await?;
    let payments = db::returns::payments(ex, order.id).await?;
    let captured_remaining: i64 = payments.iter().map(|p| p.captured - p.refunded).sum();
    let lines: Vec<LineToRefund> = ret
        .lines
        .iter()
        .filter_map(|l| {
            let ol = order.lines.iter().find(|o| o.line_no == l.line_no)?;
            Some(LineToRefund {
                line_no: l.line_no,
                sku: l.sku.clone(),
                order_qty: ol.qty,
                unit_price: ol.unit_price,
                line_discount: ol.discount,
                order_discount_share: 0,
                tax: ol.tax,
                before: before
                    .iter()
                    .find(|b| b.0 == l.line_no)
                    .map(|b| b.1)
                    .unwrap_or(0),
                qty: match counted {
                    Counted::Received => l.received,
                    Counted::All => l.qty,
                },
                reason: l.reason,
            })
        })
        .collect();
    let ctx = RefundContext {
        currency: Currency::parse(&order.currency, "currency")?,
        shipping: order.totals.shipping,
        tax_rate_bp: order.tax_rate_bp,
        shipping_refunded_before: shipping_before,
        method: ret.method,
        exchange,
        already_refunded: ret.refunded(),
        captured_remaining,
    };
    Ok(refund_breakdown(policy, &lines, &ctx))
}

/// What `assess` found about a return request.
struct Assessed {
    /// (field, message) of each reason the return cannot be authorised as asked.
    problems: Vec<(String, String)>,
    notes: Vec<String>,
    location: Option<Location>,
    lines: Vec<(OrderLine, ReturnLineInput, uuid::Uuid)>,
    override_reason: Option<String>,
    note: Option<String>,
}

impl App {
    /// The return policy in force (defaults until saved).
    pub async fn return_policy(&self) -> Result<ReturnPolicy> {
        let mut c = self.db.read().await?;
        read_policy(&mut c).await
    }

    /// Checks and saves the return policy; the default location must exist.
    pub async fn save_return_policy(&self, policy: ReturnPolicy) -> Result<ReturnPolicy> {
        let p = policy.validated()?;
        if let Some(code) = &p.default_location {
            self.location_by_code(code, "defaultLocation").await?;
        }
        for (i, w) in p.channel_windows.iter().enumerate() {
            let channels = self.channels().await?;
            if !channels.iter().any(|c| c.code == w.channel) {
                return Err(Error::invalid(
                    format!("channelWindows.{i}.channel"),
                    format!(
                        "There is no channel '{}': choose one of the shop's channels",
                        w.channel
                    ),
                ));
            }
        }
        let text = serde_json::to_string(&p).map_err(|e| Error::Internal(e.to_string()))?;
        db::write!(self.db, |tx| db::settings::set(
            tx,
            KEY_RETURN_POLICY,
            &text
        )
        .await)?;
        Ok(p)
    }

    /// The customer's store credit balance.
    pub async fn customer_store_credit(&self, customer_id: Uuid) -> Result<i64> {
        let mut c = self.db.read().await?;
        db::returns::store_credit_balance(&mut c, customer_id).await
    }

    /// Where ship-backs go: the policy's location, else the first active warehouse.
    async fn default_return_location(&self, policy: &ReturnPolicy) -> Result<Option<String>> {
        if let Some(code) = &policy.default_location {
            return Ok(Some(code.clone()));
        }
        Ok(self
            .locations()
            .await?
            .into_iter()
            .find(|l| l.active && l.kind == LocationKind::Warehouse)
            .map(|l| l.code))
    }

    /// What an order may return: per line the units that left and are not on a return yet, the
    /// window for its channel, final-sale flags, and the customer's store credit.
    pub async fn return_options(&self, order_ref: &str) -> Result<ReturnOptions> {
        let order = self.order(order_ref).await?;
        let policy = self.return_policy().await?;
        let today = self.now().date_naive();
        let mut c = self.db.read().await?;
        let left = db::returns::left_by_line(&mut c, order.id).await?;
        let on_returns = db::returns::units_by_line(&mut c, order.id, None).await?;
        let left_on = left_on(&mut c, order.id).await?;
        let window = check_window(&policy, &order.channel, left_on, today);
        let mut notes = vec![window.note.clone()];
        let mut lines = Vec::new();
        for l in &order.lines {
            let final_sale = db::catalog::product_by_id(&mut c, l.product_id)
                .await?
                .is_some_and(|p| p.final_sale);
            let left_qty = left
                .iter()
                .find(|x| x.0 == l.line_no)
                .map(|x| x.1)
                .unwrap_or(0);
            let taken = on_returns
                .iter()
                .find(|x| x.0 == l.line_no)
                .map(|x| x.1)
                .unwrap_or(0);
            if final_sale {
                notes.push(format!(
                    "{} is final sale: it can be returned only with an override.",
                    l.sku
                ));
            }
            lines.push(ReturnableLine {
                line_no: l.line_no,
                sku: l.sku.clone(),
                name: l.name.clone(),
                ordered_qty: l.qty,
                left_qty,
                returnable_qty: (left_qty - taken).max(0),
                unit_paid: mul_div_round(l.total, 1, l.qty.max(1)),
                final_sale,
            });
        }
        let store_credit = match order.customer_id {
            Some(id) => Some(db::returns::store_credit_balance(&mut c, id).await?),
            None => None,
        };
        drop(c);
        Ok(ReturnOptions {
            order: order.number.clone(),
            status: order.status,
            channel: order.channel.clone(),
            customer_name: order.customer_name.clone(),
            customer_email: order.customer.as_ref().and_then(|c| c.email.clone()),
            has_customer: order.customer_id.is_some(),
            currency: order.currency.clone(),
            lines,
            window_days: window.days,
            left_on: window.left_on,
            returnable_until: window.until,
            within_window: window.within,
            policy_notes: notes,
            default_location: self.default_return_location(&policy).await?,
            store_credit,
        })
    }

    /// Checks a return request against the order and the policy; problems are collected, not
    /// returned as errors, so a preview can list them all.
    async fn assess(
        &self,
        ex: &mut impl Executes,
        order: &OrderDetail,
        input: &ReturnInput,
        policy: &ReturnPolicy,
    ) -> Result<Assessed> {
        let mut problems: Vec<(String, String)> = Vec::new();
        let today = self.now().date_naive();
        let override_reason = clean(input.override_reason.as_deref(), 500, "overrideReason")?;
        let note = clean(input.note.as_deref(), 2000, "note")?;
        let location = match self.location_by_code(&input.location, "location").await {
            Ok(l) if !l.active => {
                problems.push((
                    "location".into(),
                    format!("{} is not active: choose an active location", l.code),
                ));
                None
            }
            Ok(l) => Some(l),
            Err(Error::Invalid { field, message }) => {
                problems.push((field, message));
                None
            }
            Err(e) => return Err(e),
        };
        if input.lines.is_empty() {
            problems.push((
                "lines".into(),
                "No units are chosen: enter how many of a line come back".into(),
            ));
        }
        let left = db::returns::left_by_line(ex, order.id).await?;
        let on_returns = db::returns::units_by_line(ex, order.id, None).await?;
        let left_on = left_on(ex, order.id).await?;
        let window = check_window(policy, &order.channel, left_on, today);
        let mut notes = vec![window.note.clone()];
        let mut lines = Vec::new();
        let mut seen = Vec::new();
        let mut final_sale = Vec::new();
        for (i, l) in input.lines.iter().enumerate() {
            let f = |name: &str| format!("lines.{i}.{name}");
            let Some(ol) = order.lines.iter().find(|o| o.line_no == l.line_no) else {
                problems.push((
                    f("lineNo"),
                    format!(
                        "{} has no line {}: choose one of its lines",
                        order.number, l.line_no
                    ),
                ));
                continue;
            };
            if seen.contains(&l.line_no) {
                problems.push((
                    f("lineNo"),
                    format!(
                        "Line {} is listed twice: enter it once with the total units",
                        l.line_no
                    ),
                ));
                continue;
            }
            seen.push(l.line_no);
            let left_qty = left
                .iter()
                .find(|x| x.0 == l.line_no)
                .map(|x| x.1)
                .unwrap_or(0);
            let taken = on_returns
                .iter()
                .find(|x| x.0 == l.line_no)
                .map(|x| x.1)
                .unwrap_or(0);
            let returnable = (left_qty - taken).max(0);
            if l.qty <= 0 {
                problems.push((
                    f("qty"),
                    format!("Quantity {} is not allowed: enter 1 or more", l.qty),
                ));
                continue;
            }
            if l.qty > returnable {
                problems.push((
                    f("qty"),
                    format!(
                        "Only {returnable} × {} can be returned ({left_qty} left the shop, {taken} already on returns): enter at most {returnable}",
                        ol.sku
                    ),
                ));
                continue;
            }
            if let Some(n) = &l.note
                && n.chars().count() > 2000
            {
                problems.push((f("note"), "At most 2000 characters".into()));
                continue;
            }
            let fs = db::catalog::product_by_id(ex, ol.product_id)
                .await?
                .is_some_and(|p| p.final_sale);
            if fs {
                final_sale.push(ol.sku.clone());
            }
            lines.push((ol.clone(), l.clone(), ol.product_id));
        }
        if left_on.is_some() && !window.within {
            match &override_reason {
                Some(r) => notes.push(format!("Window overridden: {r}.")),
                None => problems.push((
                    "overrideReason".into(),
                    format!(
                        "{} Give an override reason to accept it anyway.",
                        window.note
                    ),
                )),
            }
        }
        for sku in &final_sale {
            match &override_reason {
                Some(r) => notes.push(format!("{sku} is final sale; accepted by override: {r}.")),
                None => problems.push((
                    "overrideReason".into(),
                    format!("{sku} is final sale: give an override reason to accept its return."),
                )),
            }
        }
        Ok(Assessed {
            problems,
            notes,
            location,
            lines,
            override_reason,
            note,
        })
    }

    /// Whether a return may be authorised as asked, why not, and an estimate of its refund (all
    /// authorised units counted). Changes nothing.
    pub async fn preview_return(&self, input: &ReturnInput) -> Result<ReturnPreview> {
        let order = self.order(&input.order).await?;
        let policy = self.return_policy().await?;
        let mut c = self.db.read().await?;
        let a = self.assess(&mut c, &order, input, &policy).await?;
        let fake = draft_return(&order, input, &a, 0, Uuid::nil());
        let estimate = breakdown_of(&mut c, &fake, &order, &policy, Counted::All, false).await?;
        Ok(ReturnPreview {
            allowed: a.problems.is_empty(),
            problems: a.problems.into_iter().map(|p| p.1).collect(),
            policy_notes: a.notes,
            estimate,
        })
    }

    /// Authorises a return: checked against the order (units that left, not already on a
    /// return) and the policy (window, final sale — or an override with its reason), numbered
    /// `R-<order digits>-<n>`, on the order's timeline.
    pub async fn create_return(&self, actor: &Actor, input: ReturnInput) -> Result<ReturnView> {
        let order = self.order(&input.order).await?;
        let policy = self.return_policy().await?;
        let now = self.now();
        let id = db::write!(self.db, |tx| {
            db::returns::lock_order(tx, order.id).await?;
            let a = self.assess(tx, &order, &input, &policy).await?;
            if let Some((field, message)) = a.problems.first() {
                return Err(Error::invalid(field.clone(), message.clone()));
            }
            let Some(location) = &a.location else {
                return Err(Error::invalid(
                    "location",
                    "Choose where the goods come back",
                ));
            };
            let seq = db::returns::next_seq(tx, order.id).await?;
            let number = format!("R-{}-{seq}", order.number.trim_start_matches("SO-"));
            let id = new_id();
            db::returns::insert_return(
                tx,
                &db::returns::ReturnInsert {
                    id,
                    number: &number,
                    order_id: order.id,
                    seq,
                    method: input.method,
                    location_id: location.id,
                    policy_notes: &a.notes,
                    override_reason: a.override_reason.as_deref(),
                    note: a.note.as_deref(),
                    actor: actor.as_str(),
                    at: now,
                },
            )
            .await?;
            let mut what = Vec::new();
            for (ol, l, product_id) in &a.lines {
                db::returns::insert_line(
                    tx,
                    id,
                    ol.line_no,
                    *product_id,
                    l.qty,
                    l.reason,
                    l.condition,
                    l.note.as_deref().map(str::trim).filter(|n| !n.is_empty()),
                )
                .await?;
                what.push(format!(
                    "{} × {} ({})",
                    l.qty,
                    ol.sku,
                    l.reason.as_str().replace('_', " ")
                ));
            }
            let mut summary = format!(
                "Return {number} authorised: {}; {} at {}",
                what.join(", "),
                match input.method {
                    ReturnMethod::ShipBack => "shipped back",
                    ReturnMethod::DropOff => "dropped off",
                },
                location.code
            );
            if let Some(r) = &a.override_reason {
                summary.push_str(&format!(" (override by {}: {r})", actor.as_str()));
            }
            db::orders::insert_event(
                tx,
                order.id,
                "return_authorized",
                actor.as_str(),
                now,
                &summary,
                &json!({ "return": number, "method": input.method.as_str(), "location": location.code,
                         "override": a.override_reason, "notes": a.notes }),
            )
            .await?;
            Ok(id)
        })?;
        tracing::info!(order = %order.number, "return authorised");
        self.return_view_by_id(id).await
    }

    async fn return_by_number(&self, number: &str) -> Result<Return> {
        let mut c = self.db.read().await?;
        let id = db::returns::id_by_number(&mut c, number)
            .await?
            .ok_or_else(|| Error::not_found("Return", number.trim()))?;
        db::returns::load(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Return", number.trim()))
    }

    async fn return_view_by_id(&self, id: Uuid) -> Result<ReturnView> {
        let mut c = self.db.read().await?;
        let ret = db::returns::load(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Return", id.to_string()))?;
        let order = db::orders::load_order(&mut c, ret.order_id)
            .await?
            .ok_or_else(|| Error::not_found("Order", ret.order.clone()))?;
        let policy = read_policy(&mut c).await?;
        view(&mut c, ret, &order, &policy).await
    }

    /// One return with its money (refunded, refundable now for the received units).
    pub async fn get_return(&self, number: &str) -> Result<ReturnView> {
        let id = {
            let mut c = self.db.read().await?;
            db::returns::id_by_number(&mut c, number)
                .await?
                .ok_or_else(|| Error::not_found("Return", number.trim()))?
        };
        self.return_view_by_id(id).await
    }

    /// An order's returns, oldest first.
    pub async fn order_returns(&self, order_id: Uuid) -> Result<Vec<ReturnView>> {
        let ids = {
            let mut c = self.db.read().await?;
            db::returns::ids_of_order(&mut c, order_id).await?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.return_view_by_id(id).await?);
        }
        Ok(out)
    }

    /// A location's returns desk.
    pub async fn returns_queue(&self, location: &str) -> Result<ReturnsQueue> {
        let loc = self.location_by_code(location, "location").await?;
        let (mut ids, held) = {
            let mut c = self.db.read().await?;
            let mut ids = db::returns::ids_at_location(&mut c, loc.id, 20).await?;
            ids.extend(db::returns::ids_received_at(&mut c, loc.id).await?);
            (ids, db::returns::held_at(&mut c, loc.id).await?)
        };
        ids.sort();
        ids.dedup();
        let mut q = ReturnsQueue {
            location: loc.code.clone(),
            expected: Vec::new(),
            receiving: Vec::new(),
            to_refund: Vec::new(),
            recent: Vec::new(),
            held,
        };
        let mut all = Vec::new();
        for id in ids {
            all.push(self.return_view_by_id(id).await?);
        }
        all.sort_by_key(|v| std::cmp::Reverse(v.ret.created_at));
        for v in all {
            match v.ret.status {
                ReturnStatus::Authorized | ReturnStatus::InTransit => q.expected.push(v),
                ReturnStatus::PartiallyReceived => {
                    if v.refundable > 0 {
                        q.to_refund.push(v.clone());
                    }
                    q.receiving.push(v)
                }
                ReturnStatus::Received if v.refundable > 0 => q.to_refund.push(v),
                _ => {
                    if q.recent.len() < 20 {
                        q.recent.push(v)
                    }
                }
            }
        }
        Ok(q)
    }

    /// Receives units of a return at any location: a scan (SKU / barcode, qty 1) or a line and a
    /// count, with a disposition. A wrong item or a surplus is refused (field `code`) and nothing
    /// changes. Restocked units go on hand here; damaged, dispose and vendor units enter `held`
    /// (dispose and vendor leave it again at once, with the reason). The return and the order move
    /// to (partially) received / returned.
    pub async fn receive_return(&self, actor: &Actor, input: ReceiveUnits) -> Result<ReturnView> {
        let ret = self.return_by_number(&input.ret).await?;
        if matches!(ret.status, ReturnStatus::Received | ReturnStatus::Closed) {
            return Err(Error::invalid(
                if input.code.is_some() { "code" } else { "qty" },
                format!(
                    "Surplus: all {} unit(s) of return {} are received already",
                    ret.units(),
                    ret.number
                ),
            ));
        }
        if !ret.status.is_open() {
            return Err(Error::InvalidTransition {
                message: format!(
                    "Return {} is {}: nothing more can be received on it",
                    ret.number,
                    ret.status.as_str().replace('_', " ")
                ),
            });
        }
        let location = self.location_by_code(&input.location, "location").await?;
        let note = clean(input.note.as_deref(), 2000, "note")?;
        let qty = parse_qty(input.qty, "qty")?;
        let code = input
            .code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let line = match (code, input.line_no) {
            (Some(code), _) => {
                let product = self.find_product(code).await?.ok_or_else(|| {
                    Error::invalid(
                        "code",
                        format!(
                            "Nothing is known by '{code}': scan the item's barcode or type its SKU"
                        ),
                    )
                })?;
                let mine: Vec<_> = ret
                    .lines
                    .iter()
                    .filter(|l| l.product_id == product.id)
                    .collect();
                if mine.is_empty() {
                    return Err(Error::invalid(
                        "code",
                        format!(
                            "Wrong item: {} is not on return {}: put it aside and scan an item of this return",
                            product.sku, ret.number
                        ),
                    ));
                }
                mine.iter()
                    .find(|l| l.received + qty <= l.qty)
                    .copied()
                    .ok_or_else(|| {
                        let (got, of) = mine
                            .iter()
                            .fold((0, 0), |(g, o), l| (g + l.received, o + l.qty));
                        Error::invalid(
                            "code",
                            format!(
                                "Surplus: {got} of {of} × {} on return {} are received already: this unit is not part of it",
                                product.sku, ret.number
                            ),
                        )
                    })?
            }
            (None, Some(n)) => {
                let l = ret.lines.iter().find(|l| l.line_no == n).ok_or_else(|| {
                    Error::invalid(
                        "lineNo",
                        format!(
                            "Return {} has no line {n}: choose one of its lines",
                            ret.number
                        ),
                    )
                })?;
                if l.received + qty > l.qty {
                    return Err(Error::invalid(
                        "qty",
                        format!(
                            "Surplus: {} of {} × {} are received already: enter at most {}",
                            l.received,
                            l.qty,
                            l.sku,
                            l.qty - l.received
                        ),
                    ));
                }
                l
            }
            (None, None) => {
                return Err(Error::invalid(
                    "code",
                    "Nothing was scanned: scan the item or choose the return line",
                ));
            }
        };
        let line = line.clone();
        let policy = self.return_policy().await?;
        let now = self.now();
        db::write!(self.db, |tx| {
            let Some(status) = db::returns::lock(tx, ret.id).await? else {
                return Err(Error::not_found("Return", ret.number.clone()));
            };
            if !status.is_open() {
                return Err(changed_meanwhile());
            }
            if !db::returns::add_received(tx, ret.id, line.line_no, qty).await? {
                return Err(Error::invalid(
                    if code.is_some() { "code" } else { "qty" },
                    format!(
                        "Surplus: the units of {} on return {} were received meanwhile",
                        line.sku, ret.number
                    ),
                ));
            }
            db::returns::insert_receipt(
                tx,
                ret.id,
                line.line_no,
                input.disposition,
                qty,
                location.id,
                note.as_deref(),
                actor.as_str(),
                now,
            )
            .await?;
            let reason = note
                .clone()
                .unwrap_or_else(|| format!("returned on {}", ret.number));
            let mut kinds = vec![match input.disposition {
                Disposition::Restock => MovementKind::ReturnRestock,
                _ => MovementKind::ReturnHeld,
            }];
            match input.disposition {
                Disposition::Dispose => kinds.push(MovementKind::Dispose),
                Disposition::Vendor => kinds.push(MovementKind::VendorReturn),
                Disposition::Restock | Disposition::Damaged => {}
            }
            for kind in kinds {
                let m = MovementRecord {
                    product_id: line.product_id,
                    location_id: location.id,
                    kind,
                    delta: kind.delta(qty, false),
                    reason: matches!(kind, MovementKind::Dispose | MovementKind::VendorReturn)
                        .then_some(reason.as_str()),
                    order_id: Some(ret.order_id),
                    transfer_id: None,
                    actor: actor.as_str(),
                    at: now,
                };
                if !db::inventory::apply_movement(tx, &m, None).await? {
                    return Err(Error::Internal(format!(
                        "{} of {qty} × {} at {} was refused by the balance guard",
                        kind.as_str(),
                        line.sku,
                        location.code
                    )));
                }
            }
            let fresh = db::returns::load(tx, ret.id)
                .await?
                .ok_or_else(|| Error::not_found("Return", ret.number.clone()))?;
            let mut next = ReturnStatus::after_receipt(fresh.units(), fresh.received());
            let order = db::orders::load_order(tx, ret.order_id)
                .await?
                .ok_or_else(|| Error::not_found("Order", ret.order.clone()))?;
            if next == ReturnStatus::Received {
                let b = breakdown_of(tx, &fresh, &order, &policy, Counted::Received, false).await?;
                if b.total - fresh.refunded() <= 0 && !fresh.refunds.is_empty() {
                    next = ReturnStatus::Closed;
                }
            }
            if next != status && !db::returns::set_status(tx, ret.id, status, next, now).await? {
                return Err(changed_meanwhile());
            }
            db::orders::insert_event(
                tx,
                ret.order_id,
                "return_received",
                actor.as_str(),
                now,
                &format!(
                    "Received {qty} × {} on {} at {}: {}",
                    line.sku,
                    ret.number,
                    location.code,
                    input.disposition.as_str()
                ),
                &json!({ "return": ret.number, "sku": line.sku, "qty": qty,
                         "disposition": input.disposition.as_str(), "location": location.code, "note": note }),
            )
            .await?;
            settle_returned(tx, &order, actor, now).await
        })?;
        self.return_view_by_id(ret.id).await
    }

    /// What a return would refund now: its received units (all authorised units with
    /// `before_receipt`), less what it refunded, within the order's captured − refunded.
    pub async fn refund_preview(&self, ret: &str, before_receipt: bool) -> Result<RefundBreakdown> {
        let r = self.return_by_number(ret).await?;
        let mut c = self.db.read().await?;
        let order = db::orders::load_order(&mut c, r.order_id)
            .await?
            .ok_or_else(|| Error::not_found("Order", r.order.clone()))?;
        let policy = read_policy(&mut c).await?;
        let counted = if before_receipt {
            Counted::All
        } else {
            Counted::Received
        };
        breakdown_of(&mut c, &r, &order, &policy, counted, false).await
    }

    /// Refunds (part of) a return: never above its refundable amount nor the order's captured −
    /// refunded, also when two refunds race (the return row is locked, each payment update is
    /// conditional); to the original payments (largest room first) or to store credit. The same
    /// idempotency key again returns the first refund and changes nothing.
    pub async fn refund_return(&self, actor: &Actor, input: RefundInput) -> Result<Refund> {
        let key = input.idempotency_key.trim().to_owned();
        if key.is_empty() || key.len() > 200 {
            return Err(Error::invalid(
                "idempotencyKey",
                "A refund needs an idempotency key of 1-200 characters (the dialog makes one)",
            ));
        }
        {
            let mut c = self.db.read().await?;
            if let Some(first) = db::returns::refund_by_key(&mut c, &key).await? {
                return Ok(first);
            }
        }
        if input.to == RefundTo::Exchange {
            return Err(Error::invalid(
                "to",
                "An exchange credit is made by creating the exchange: refund to original or store credit",
            ));
        }
        let reason = clean(input.reason.as_deref(), 500, "reason")?;
        let ret = self.return_by_number(&input.ret).await?;
        if ret.status == ReturnStatus::Cancelled {
            return Err(Error::InvalidTransition {
                message: format!(
                    "Return {} is cancelled: nothing can be refunded",
                    ret.number
                ),
            });
        }
        let order = self.order_by_id(ret.order_id).await?;
        if input.to == RefundTo::StoreCredit && order.customer_id.is_none() {
            return Err(Error::invalid(
                "to",
                "Store credit needs a customer on the order: refund to the original payment",
            ));
        }
        let policy = self.return_policy().await?;
        let now = self.now();
        let res = db::write!(self.db, |tx| {
            if db::returns::lock(tx, ret.id).await?.is_none() {
                return Err(Error::not_found("Return", ret.number.clone()));
            }
            if let Some(first) = db::returns::refund_by_key(tx, &key).await? {
                return Ok(first);
            }
            let fresh = db::returns::load(tx, ret.id)
                .await?
                .ok_or_else(|| Error::not_found("Return", ret.number.clone()))?;
            let counted = if input.before_receipt {
                Counted::All
            } else {
                Counted::Received
            };
            let b = breakdown_of(tx, &fresh, &order, &policy, counted, false).await?;
            let amount = input.amount.unwrap_or(b.refundable);
            if amount <= 0 {
                return Err(Error::invalid(
                    "amount",
                    if b.refundable == 0 {
                        format!(
                            "Nothing can be refunded on {} now{}",
                            fresh.number,
                            if fresh.received() == 0 && !input.before_receipt {
                                ": no unit is received yet (refund before receipt to pay now)"
                            } else {
                                ""
                            }
                        )
                    } else {
                        "Enter an amount above 0".to_owned()
                    },
                ));
            }
            if amount > b.refundable {
                return Err(Error::invalid(
                    "amount",
                    format!(
                        "At most {} can be refunded on {} now: enter that or less",
                        money(b.refundable, &order.currency),
                        fresh.number
                    ),
                ));
            }
            if amount < b.refundable && reason.is_none() {
                return Err(Error::invalid(
                    "reason",
                    "A partial refund needs a reason: say why less than the refundable amount is paid",
                ));
            }
            // The first refund of a return whose breakdown includes the shipping claims it for
            // this return, partial or not, so no other return of the order refunds it again.
            let shipping = if b.shipping > 0 && !fresh.refunds.iter().any(|r| r.shipping > 0) {
                b.shipping
            } else {
                0
            };
            let refund = write_refund(
                tx,
                RefundWrite {
                    order: &order,
                    return_id: Some(fresh.id),
                    ret_number: &fresh.number,
                    amount,
                    to: input.to,
                    shipping,
                    reason: reason.as_deref(),
                    before_receipt: input.before_receipt && fresh.received() < fresh.units(),
                    breakdown: &b,
                    key: &key,
                    actor,
                    now,
                },
            )
            .await?;
            if fresh.status == ReturnStatus::Received && b.total - fresh.refunded() - amount <= 0 {
                db::returns::set_status(
                    tx,
                    fresh.id,
                    ReturnStatus::Received,
                    ReturnStatus::Closed,
                    now,
                )
                .await?;
            }
            Ok(refund)
        });
        match res {
            Err(e) if e.is_unique_violation() => {
                let mut c = self.db.read().await?;
                match db::returns::refund_by_key(&mut c, &key).await? {
                    Some(first) => Ok(first),
                    None => Err(e),
                }
            }
            other => other,
        }
    }

    /// An exchange: a replacement order (the original's channel and customer; its ship-to unless
    /// another is given, or a pick-up) captured through the normal path, so it is reserved and
    /// routed at once, paid first by the return's value as exchange credit (no restocking or
    /// label fee; allowed before the goods arrive). A dearer order is charged the difference with
    /// the given method; a cheaper one has the difference refunded. The same idempotency key
    /// again returns the first exchange.
    pub async fn create_exchange(&self, actor: &Actor, input: ExchangeInput) -> Result<Exchange> {
        let key = input.idempotency_key.trim().to_owned();
        if key.is_empty() || key.len() > 200 {
            return Err(Error::invalid(
                "idempotencyKey",
                "An exchange needs an idempotency key of 1-200 characters (the dialog makes one)",
            ));
        }
        let ret = self.return_by_number(&input.ret).await?;
        {
            let mut c = self.db.read().await?;
            if db::returns::refund_by_key(&mut c, &key).await?.is_some()
                || db::returns::refund_by_key(&mut c, &format!("{key}:difference"))
                    .await?
                    .is_some()
            {
                drop(c);
                return self.exchange_result(&ret.number, &key).await;
            }
        }
        if ret.status == ReturnStatus::Cancelled {
            return Err(Error::InvalidTransition {
                message: format!("Return {} is cancelled: it cannot be exchanged", ret.number),
            });
        }
        if let Some(x) = &ret.exchange_order {
            return Err(Error::InvalidTransition {
                message: format!("Return {} was exchanged already for {x}", ret.number),
            });
        }
        if input.refund_to == RefundTo::Exchange {
            return Err(Error::invalid(
                "refundTo",
                "Choose where a credit larger than the new order goes: original or store credit",
            ));
        }
        if input.lines.is_empty() {
            return Err(Error::invalid(
                "lines",
                "The exchange has no items: add what the customer gets instead",
            ));
        }
        let original = self.order_by_id(ret.order_id).await?;
        if input.refund_to == RefundTo::StoreCredit && original.customer_id.is_none() {
            return Err(Error::invalid(
                "refundTo",
                "Store credit needs a customer on the order: refund to the original payment",
            ));
        }
        let policy = self.return_policy().await?;
        let credit = {
            let mut c = self.db.read().await?;
            breakdown_of(&mut c, &ret, &original, &policy, Counted::All, true)
                .await?
                .refundable
        };
        if credit <= 0 {
            return Err(Error::invalid(
                "ret",
                format!("Return {} has no value left to exchange", ret.number),
            ));
        }
        // The new order's total before capture, to ask for a payment method when it is dearer.
        let mut to_price = Vec::new();
        for (i, l) in input.lines.iter().enumerate() {
            let p = self.find_product(&l.sku).await?.ok_or_else(|| {
                Error::invalid(
                    format!("lines.{i}.sku"),
                    format!("There is no product '{}': scan or type a SKU", l.sku.trim()),
                )
            })?;
            to_price.push(crate::domain::order::LineToPrice {
                qty: l.qty,
                unit_price: l.unit_price.unwrap_or(p.price),
                discount: l.discount.unwrap_or(0),
            });
        }
        let (_, totals) = crate::domain::order::price(&to_price, 0, original.tax_rate_bp)?;
        let payment_method = clean(input.payment_method.as_deref(), 40, "paymentMethod")?;
        if totals.total > credit && payment_method.is_none() {
            return Err(Error::invalid(
                "paymentMethod",
                format!(
                    "The new order costs {} more than the credit: choose how the customer pays it",
                    money(totals.total - credit, &original.currency)
                ),
            ));
        }
        let pickup = input
            .pickup_location
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        let req = crate::domain::order::OrderRequest {
            channel: original.channel.clone(),
            channel_ref: Some(format!("exchange:{key}")),
            customer_id: original.customer_id.map(|c| c.to_string()),
            ship_to: if pickup.is_some() {
                None
            } else {
                input.ship_to.clone().or_else(|| original.ship_to.clone())
            },
            pickup_location: pickup,
            lines: input.lines.clone(),
            shipping_charge: Some(0),
            tax_rate_bp: Some(original.tax_rate_bp),
            payment: payment_method.map(|m| crate::domain::order::PaymentRequest {
                method: m,
                captured: false,
            }),
            attributes: vec![crate::domain::order::Attribute {
                key: "exchange_for".into(),
                value: ret.number.clone(),
            }],
            notes: Some(format!(
                "Exchange for return {} of {}",
                ret.number, original.number
            )),
            ..Default::default()
        };
        let new = self
            .create_order_with_credit(actor, req, Some(credit))
            .await?;
        let now = self.now();
        let res = db::write!(self.db, |tx| {
            if db::returns::lock(tx, ret.id).await?.is_none() {
                return Err(Error::not_found("Return", ret.number.clone()));
            }
            if db::returns::refund_by_key(tx, &key).await?.is_some()
                || db::returns::refund_by_key(tx, &format!("{key}:difference"))
                    .await?
                    .is_some()
            {
                return Ok(());
            }
            let fresh = db::returns::load(tx, ret.id)
                .await?
                .ok_or_else(|| Error::not_found("Return", ret.number.clone()))?;
            if fresh.exchange_order_id.is_some() || fresh.status == ReturnStatus::Cancelled {
                return Err(changed_meanwhile());
            }
            let b = breakdown_of(tx, &fresh, &original, &policy, Counted::All, true).await?;
            if b.refundable < credit {
                return Err(Error::conflict(
                    "ret",
                    format!(
                        "Return {} was refunded meanwhile: reload it and try again",
                        fresh.number
                    ),
                ));
            }
            let moved = credit.min(new.totals.total);
            if moved > 0 {
                write_refund(
                    tx,
                    RefundWrite {
                        order: &original,
                        return_id: Some(fresh.id),
                        ret_number: &fresh.number,
                        amount: moved,
                        to: RefundTo::Exchange,
                        shipping: 0,
                        reason: Some(&format!("exchange {}", new.number)),
                        before_receipt: fresh.received() < fresh.units(),
                        breakdown: &b,
                        key: &key,
                        actor,
                        now,
                    },
                )
                .await?;
            }
            if credit > moved {
                write_refund(
                    tx,
                    RefundWrite {
                        order: &original,
                        return_id: Some(fresh.id),
                        ret_number: &fresh.number,
                        amount: credit - moved,
                        to: input.refund_to,
                        shipping: 0,
                        reason: Some(&format!("difference of exchange {}", new.number)),
                        before_receipt: fresh.received() < fresh.units(),
                        breakdown: &b,
                        key: &format!("{key}:difference"),
                        actor,
                        now,
                    },
                )
                .await?;
            }
            db::returns::set_exchange_order(tx, fresh.id, new.id, now).await?;
            if fresh.status == ReturnStatus::Received {
                db::returns::set_status(
                    tx,
                    fresh.id,
                    ReturnStatus::Received,
                    ReturnStatus::Closed,
                    now,
                )
                .await?;
            }
            db::orders::insert_event(
                tx,
                original.id,
                "exchange_created",
                actor.as_str(),
                now,
                &format!(
                    "Exchange {} created for return {} (credit {})",
                    new.number,
                    fresh.number,
                    money(credit, &original.currency)
                ),
                &json!({ "return": fresh.number, "order": new.number, "credit": credit }),
            )
            .await?;
            db::orders::insert_event(
                tx,
                new.id,
                "exchange_of",
                actor.as_str(),
                now,
                &format!(
                    "Exchange for return {} of {} (credit {})",
                    fresh.number,
                    original.number,
                    money(credit, &original.currency)
                ),
                &json!({ "return": fresh.number, "order": original.number, "credit": credit }),
            )
            .await
        });
        match res {
            Ok(()) => self.exchange_result(&ret.number, &key).await,
            Err(e) if e.is_unique_violation() => self.exchange_result(&ret.number, &key).await,
            Err(e) => {
                // The replacement order must not stay without its credit: cancel it.
                let why = format!("exchange for {} failed: {e}", ret.number);
                if let Err(c) = self
                    .change_status(actor, &new.number, OrderStatus::Cancelled, Some(&why))
                    .await
                {
                    tracing::warn!(order = %new.number, error = %c, "could not cancel a failed exchange order");
                }
                Err(e)
            }
        }
    }

    /// The exchange made for a return with this idempotency key.
    async fn exchange_result(&self, ret: &str, key: &str) -> Result<Exchange> {
        let r = self.return_by_number(ret).await?;
        let order_id = r
            .exchange_order_id
            .ok_or_else(|| Error::InvalidTransition {
                message: format!("Return {} has no exchange order yet", r.number),
            })?;
        let new = self.order_by_id(order_id).await?;
        let diff_key = format!("{key}:difference");
        let (mut credit, mut refunded_back, mut back_to) = (0, 0, None);
        {
            let mut c = self.db.read().await?;
            if let Some(f) = db::returns::refund_by_key(&mut c, key).await? {
                credit += f.amount;
            }
            if let Some(f) = db::returns::refund_by_key(&mut c, &diff_key).await? {
                credit += f.amount;
                refunded_back = f.amount;
                back_to = Some(f.to);
            }
        }
        let difference = new.totals.total - credit;
        let cur = &new.currency;
        let settlement = if difference > 0 {
            let method = new
                .payments
                .iter()
                .find(|p| p.method != "exchange credit")
                .map(|p| p.method.clone())
                .unwrap_or_default();
            format!(
                "Exchange credit {} pays part of {}; the customer pays {} by {method}.",
                money(credit, cur),
                new.number,
                money(difference, cur)
            )
        } else if refunded_back > 0 {
            format!(
                "Exchange credit {} pays {}; {} is refunded {}.",
                money(credit, cur),
                new.number,
                money(refunded_back, cur),
                match back_to {
                    Some(RefundTo::StoreCredit) => "to store credit",
                    _ => "to the original payment",
                }
            )
        } else {
            format!(
                "Even exchange: the credit {} pays {}.",
                money(credit, cur),
                new.number
            )
        };
        Ok(Exchange {
            ret: r.number,
            order: new.number.clone(),
            new_total: new.totals.total,
            credit,
            difference,
            settlement,
            currency: new.currency,
        })
    }

    /// A ship-back label for a return, from the same label machinery as outbound parcels
    /// (tracking number checked by carrier, or a local one generated): from the customer's
    /// ship-to address to the return location. The return goes in transit and the customer gets
    /// the label by e-mail (PDF attached) when e-mail is on and the order has an address.
    pub async fn return_label(&self, actor: &Actor, req: ReturnLabelRequest) -> Result<ReturnView> {
        let ret = self.return_by_number(&req.ret).await?;
        if ret.method != ReturnMethod::ShipBack {
            return Err(Error::invalid(
                "ret",
                format!("Return {} is a drop-off: it needs no label", ret.number),
            ));
        }
        if ret.status != ReturnStatus::Authorized {
            return Err(Error::InvalidTransition {
                message: format!(
                    "Return {} is {}: only an authorised return without a label gets one",
                    ret.number,
                    ret.status.as_str().replace('_', " ")
                ),
            });
        }
        let carrier = clean(Some(&req.carrier), 60, "carrier")?
            .ok_or_else(|| Error::invalid("carrier", "Choose the carrier"))?;
        let service = clean(Some(&req.service), 60, "service")?
            .ok_or_else(|| Error::invalid("service", "Choose the carrier's service"))?;
        if req.cost.is_some_and(|c| !(0..=1_000_000_000).contains(&c)) {
            return Err(Error::invalid("cost", "The label cost must be 0 or more"));
        }
        if !(1..=1_000_000).contains(&req.weight_grams) {
            return Err(Error::invalid(
                "weightGrams",
                "Enter the parcel's weight: 1 to 1,000,000 grams",
            ));
        }
        let order = self.order_by_id(ret.order_id).await?;
        if order.ship_to.is_none() {
            return Err(Error::invalid(
                "ret",
                format!(
                    "{} has no address to ship back from: take the return as a drop-off",
                    order.number
                ),
            ));
        }
        let given = req
            .tracking_number
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let tracking = match (req.generate_local, given) {
            (true, Some(_)) => {
                return Err(Error::invalid(
                    "trackingNumber",
                    "Either type the carrier's tracking number or generate a local one, not both",
                ));
            }
            (true, None) => self.next_local_tracking().await?,
            (false, Some(t)) => {
                let cards = self.refs().await?.rates.cards.clone();
                self.check_tracking_for(&cards, &carrier, t, "trackingNumber")?
            }
            (false, None) => {
                return Err(Error::invalid(
                    "trackingNumber",
                    "Scan or type the tracking number of the carrier's return label (or generate a local one)",
                ));
            }
        };
        let label = crate::domain::returns::ReturnLabelInfo {
            carrier: carrier.clone(),
            service: service.clone(),
            tracking_number: tracking.clone(),
            cost: req.cost,
            weight_grams: req.weight_grams,
        };
        let mut labelled = ret.clone();
        labelled.label = Some(label.clone());
        let pdf = self
            .return_label_files(&labelled, &order, crate::shipping::print::DocKind::Pdf)
            .await?;
        let email = order
            .customer
            .as_ref()
            .and_then(|c| c.email.clone())
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty());
        let shop = self.settings().await?.business_name;
        let now = self.now();
        db::write!(self.db, |tx| {
            if !db::returns::set_status(
                tx,
                ret.id,
                ReturnStatus::Authorized,
                ReturnStatus::InTransit,
                now,
            )
            .await?
            {
                return Err(changed_meanwhile());
            }
            db::returns::set_label(tx, ret.id, &label, now).await?;
            db::orders::insert_event(
                tx,
                ret.order_id,
                "return_label",
                actor.as_str(),
                now,
                &format!(
                    "Return label for {}: {carrier} {service}, tracking {tracking}",
                    ret.number
                ),
                &json!({ "return": ret.number, "carrier": carrier, "service": service,
                         "tracking": tracking, "cost": req.cost }),
            )
            .await?;
            if let (Some(to), Some(doc)) = (&email, pdf.first()) {
                let subject = format!(
                    "Your return label for order {} ({})",
                    order.number, ret.number
                );
                let text = format!(
                    "Hello{},\n\nThank you for your return {} of order {}. Print the attached label, stick it on the parcel and hand it to {carrier} ({service}). Tracking number: {tracking}.\n\n{shop}\n",
                    order
                        .customer_name
                        .as_deref()
                        .map(|n| format!(" {n}"))
                        .unwrap_or_default(),
                    ret.number,
                    order.number
                );
                super::mail::queue_attachment_mail(
                    tx,
                    crate::domain::mail::MailKind::ReturnLabel,
                    order.id,
                    to,
                    &subject,
                    &text,
                    (&doc.name, &doc.bytes),
                    &format!("return_label:{}:{tracking}", ret.id),
                    now,
                )
                .await?;
            }
            Ok(())
        })?;
        self.return_view_by_id(ret.id).await
    }

    /// Cancels a return on which nothing was received yet, with a reason.
    pub async fn cancel_return(
        &self,
        actor: &Actor,
        ret: &str,
        reason: &str,
    ) -> Result<ReturnView> {
        let reason = clean(Some(reason), 500, "reason")?
            .ok_or_else(|| Error::invalid("reason", "Say why the return is cancelled"))?;
        let r = self.return_by_number(ret).await?;
        if !r.status.is_open() || r.received() > 0 {
            return Err(Error::InvalidTransition {
                message: format!(
                    "Return {} cannot be cancelled: {}",
                    r.number,
                    if r.received() > 0 {
                        "units were received on it already".to_owned()
                    } else {
                        format!("it is {}", r.status.as_str().replace('_', " "))
                    }
                ),
            });
        }
        let now = self.now();
        db::write!(self.db, |tx| {
            let Some(status) = db::returns::lock(tx, r.id).await? else {
                return Err(Error::not_found("Return", r.number.clone()));
            };
            if !db::returns::set_cancelled(tx, r.id, status, &reason, now).await? {
                return Err(changed_meanwhile());
            }
            db::orders::insert_event(
                tx,
                r.order_id,
                "return_cancelled",
                actor.as_str(),
                now,
                &format!("Return {} cancelled ({reason})", r.number),
                &json!({ "return": r.number, "reason": reason }),
            )
            .await
        })?;
        self.return_view_by_id(r.id).await
    }

    /// Writes off or sends back to the vendor held units at a location, with a reason.
    pub async fn held_stock_action(&self, actor: &Actor, input: HeldAction) -> Result<bool> {
        let location = self.location_by_code(&input.location, "location").await?;
        let product = self.find_product(&input.sku).await?.ok_or_else(|| {
            Error::invalid("sku", format!("There is no product '{}'", input.sku.trim()))
        })?;
        let qty = parse_qty(input.qty, "qty")?;
        let reason = clean(Some(&input.reason), 500, "reason")?.ok_or_else(|| {
            Error::invalid("reason", "Say why the units leave (e.g. broken, RMA 1234)")
        })?;
        let kind = match input.action {
            HeldActionKind::Dispose => MovementKind::Dispose,
            HeldActionKind::Vendor => MovementKind::VendorReturn,
        };
        let now = self.now();
        db::write!(self.db, |tx| {
            let m = MovementRecord {
                product_id: product.id,
                location_id: location.id,
                kind,
                delta: kind.delta(qty, false),
                reason: Some(reason.as_str()),
                order_id: None,
                transfer_id: None,
                actor: actor.as_str(),
                at: now,
            };
            if !db::inventory::apply_movement(tx, &m, None).await? {
                let held = db::inventory::balance(tx, product.id, location.id)
                    .await?
                    .map(|b| b.held)
                    .unwrap_or(0);
                return Err(Error::invalid(
                    "qty",
                    format!(
                        "Only {held} × {} are held at {}: enter at most {held}",
                        product.sku, location.code
                    ),
                ));
            }
            Ok(true)
        })
    }

    /// What a return receipt prints: the shop, the return, its order and its money.
    /// Cancels replacement orders whose exchange was interrupted after the order was captured and
    /// before it was linked to its return and credited (a crash between the two transactions):
    /// nothing was confirmed to the clerk, so the order is cancelled, its stock released, and the
    /// reason put on its timeline. Only orders older than `grace` are touched, so an exchange in
    /// progress is never disturbed. Returns the cancelled order numbers.
    pub async fn cancel_interrupted_exchanges(
        &self,
        actor: &Actor,
        grace: chrono::Duration,
    ) -> Result<Vec<String>> {
        let before = self.now() - grace;
        let numbers = {
            let mut c = self.db.read().await?;
            db::returns::unlinked_exchange_orders(&mut c, before).await?
        };
        let mut cancelled = Vec::new();
        for number in numbers {
            match self
                .change_status(
                    actor,
                    &number,
                    crate::domain::order::OrderStatus::Cancelled,
                    Some("Exchange interrupted before it was credited: create the exchange again from its return"),
                )
                .await
            {
                Ok(_) => {
                    tracing::warn!(order = %number, "interrupted exchange cancelled");
                    cancelled.push(number);
                }
                Err(e) => tracing::warn!(order = %number, error = %e, "could not cancel an interrupted exchange"),
            }
        }
        Ok(cancelled)
    }

    pub async fn return_document_data(&self, ret: &str) -> Result<ReturnDocumentData> {
        let shop = self.settings().await?;
        // One read: the return, its order, the policy and the breakdown of the received units.
        let mut c = self.db.read().await?;
        let id = db::returns::id_by_number(&mut c, ret)
            .await?
            .ok_or_else(|| Error::not_found("Return", ret.trim()))?;
        let ret = db::returns::load(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Return", id.to_string()))?;
        let order = db::orders::load_order(&mut c, ret.order_id)
            .await?
            .ok_or_else(|| Error::not_found("Order", ret.order.clone()))?;
        let policy = read_policy(&mut c).await?;
        let breakdown =
            breakdown_of(&mut c, &ret, &order, &policy, Counted::Received, false).await?;
        Ok(ReturnDocumentData {
            shop,
            refunded: ret.refunded(),
            ret,
            order,
            breakdown,
        })
    }
}

async fn read_policy(ex: &mut impl Executes) -> Result<ReturnPolicy> {
    Ok(db::settings::get(ex, KEY_RETURN_POLICY)
        .await?
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// The day the order's units last left: its shipments' delivered / collected / shipped time,
/// else the ledger's last `ship` row (a take-away sale, a status changed by hand).
async fn left_on(ex: &mut impl Executes, order_id: Uuid) -> Result<Option<NaiveDate>> {
    let by_line = db::returns::left_at_by_line(ex, order_id).await?;
    let latest: Option<DateTime<Utc>> = by_line.iter().filter_map(|r| r.1).max();
    let at = match latest {
        Some(t) => Some(t),
        None => db::returns::last_ship_movement(ex, order_id).await?,
    };
    Ok(at.map(|t| t.date_naive()))
}

async fn view(
    ex: &mut impl Executes,
    ret: Return,
    order: &OrderDetail,
    policy: &ReturnPolicy,
) -> Result<ReturnView> {
    let refundable = if matches!(ret.status, ReturnStatus::Cancelled) {
        0
    } else {
        breakdown_of(ex, &ret, order, policy, Counted::Received, false)
            .await?
            .refundable
    };
    Ok(ReturnView {
        refunded: ret.refunded(),
        refundable,
        ret,
    })
}

/// A return not yet stored, for the preview's estimate.
fn draft_return(
    order: &OrderDetail,
    input: &ReturnInput,
    a: &Assessed,
    seq: i64,
    id: Uuid,
) -> Return {
    Return {
        id,
        number: String::new(),
        seq: if seq == 0 { i64::MAX } else { seq },
        order_id: order.id,
        order: order.number.clone(),
        status: ReturnStatus::Authorized,
        method: input.method,
        location_id: a.location.as_ref().map(|l| l.id).unwrap_or_default(),
        location: a
            .location
            .as_ref()
            .map(|l| l.code.clone())
            .unwrap_or_default(),
        location_name: a
            .location
            .as_ref()
            .map(|l| l.name.clone())
            .unwrap_or_default(),
        created_at: DateTime::<Utc>::default(),
        created_by: String::new(),
        customer_name: order.customer_name.clone(),
        customer_id: order.customer_id,
        lines: a
            .lines
            .iter()
            .map(|(ol, l, pid)| crate::domain::returns::ReturnLine {
                line_no: ol.line_no,
                product_id: *pid,
                sku: ol.sku.clone(),
                name: ol.name.clone(),
                qty: l.qty,
                received: 0,
                reason: l.reason,
                condition: l.condition,
                note: l.note.clone(),
                dispositions: Vec::new(),
            })
            .collect(),
        label: None,
        policy_notes: a.notes.clone(),
        override_reason: a.override_reason.clone(),
        note: a.note.clone(),
        refunds: Vec::new(),
        exchange_order: None,
        exchange_order_id: None,
        currency: order.currency.clone(),
    }
}

/// Moves the order to partially returned / returned from the units received on its returns.
async fn settle_returned(
    tx: &mut db::Tx,
    order: &OrderDetail,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<()> {
    let left: i64 = db::returns::left_by_line(tx, order.id)
        .await?
        .iter()
        .map(|r| r.1)
        .sum();
    let received: i64 = db::returns::units_by_line(tx, order.id, None)
        .await?
        .iter()
        .map(|r| r.2)
        .sum();
    if received == 0 {
        return Ok(());
    }
    let next = if received >= left {
        OrderStatus::Returned
    } else {
        OrderStatus::PartiallyReturned
    };
    if next == order.status {
        return Ok(());
    }
    if !db::orders::set_status(tx, order.id, order.status, next, now).await? {
        return Err(changed_meanwhile());
    }
    super::orders::record_status(tx, order.id, actor, now, order.status, next, None).await
}

/// A refund to write (the caller has checked the amount against the return).
struct RefundWrite<'a> {
    order: &'a OrderDetail,
    return_id: Option<Uuid>,
    ret_number: &'a str,
    amount: i64,
    to: RefundTo,
    shipping: i64,
    reason: Option<&'a str>,
    before_receipt: bool,
    breakdown: &'a RefundBreakdown,
    key: &'a str,
    actor: &'a Actor,
    now: DateTime<Utc>,
}

/// Takes `amount` back from the order's payments (largest room first, each update conditional on
/// staying within what it captured), writes the refund, its payment rows, store credit when asked,
/// and the timeline event.
async fn write_refund(tx: &mut db::Tx, w: RefundWrite<'_>) -> Result<Refund> {
    let payments = db::returns::payments(tx, w.order.id).await?;
    let rooms: Vec<i64> = payments.iter().map(|p| p.captured - p.refunded).collect();
    let room: i64 = rooms.iter().map(|r| (*r).max(0)).sum();
    let parts = spread_refund(w.amount, &rooms).ok_or_else(|| {
        Error::conflict(
            "amount",
            format!(
                "Only {} of {}'s payments can still be refunded: refund that or less",
                money(room, &w.order.currency),
                w.order.number
            ),
        )
    })?;
    let id = new_id();
    let breakdown = json!({
        "total": w.breakdown.total, "goods": w.breakdown.goods, "discount": w.breakdown.discount,
        "tax": w.breakdown.tax, "shipping": w.breakdown.shipping, "shippingTax": w.breakdown.shipping_tax,
        "restockingFee": w.breakdown.restocking_fee, "labelFee": w.breakdown.label_fee,
        "refundable": w.breakdown.refundable, "notes": w.breakdown.notes,
    });
    db::returns::insert_refund(
        tx,
        &db::returns::RefundInsert {
            id,
            order_id: w.order.id,
            return_id: w.return_id,
            amount: w.amount,
            currency: &w.order.currency,
            to: w.to,
            shipping: w.shipping,
            reason: w.reason,
            before_receipt: w.before_receipt,
            breakdown: &breakdown,
            idempotency_key: w.key,
            actor: w.actor.as_str(),
            at: w.now,
        },
    )
    .await?;
    let mut from = Vec::new();
    for (i, part) in parts {
        let p = &payments[i];
        if !db::returns::refund_payment(tx, p.id, part).await? {
            return Err(Error::conflict(
                "amount",
                format!(
                    "{}'s payments were refunded by someone else meanwhile: reload and try again",
                    w.order.number
                ),
            ));
        }
        db::returns::insert_refund_payment(tx, id, p.id, part).await?;
        from.push(format!("{} {}", money(part, &w.order.currency), p.method));
    }
    if w.to == RefundTo::StoreCredit {
        let customer = w
            .order
            .customer_id
            .ok_or_else(|| Error::invalid("to", "Store credit needs a customer on the order"))?;
        db::returns::insert_store_credit(
            tx,
            customer,
            Some(w.order.id),
            Some(id),
            w.amount,
            &w.order.currency,
            &format!("refund of {}", w.ret_number),
            w.actor.as_str(),
            w.now,
        )
        .await?;
    }
    let to_text = match w.to {
        RefundTo::Original => format!("to the original payment ({})", from.join(", ")),
        RefundTo::StoreCredit => "to store credit".to_owned(),
        RefundTo::Exchange => "as exchange credit".to_owned(),
    };
    let mut summary = format!(
        "Refunded {} {to_text} on {}",
        money(w.amount, &w.order.currency),
        w.ret_number
    );
    if w.before_receipt {
        summary.push_str(" before the goods arrived");
    }
    if let Some(r) = w.reason {
        summary.push_str(&format!(" ({r})"));
    }
    db::orders::insert_event(
        tx,
        w.order.id,
        "refund",
        w.actor.as_str(),
        w.now,
        &summary,
        &json!({ "return": w.ret_number, "amount": w.amount, "to": w.to.as_str(),
                 "beforeReceipt": w.before_receipt, "reason": w.reason, "breakdown": breakdown }),
    )
    .await?;
    Ok(Refund {
        id,
        ret: (!w.ret_number.is_empty()).then(|| w.ret_number.to_owned()),
        order: w.order.number.clone(),
        amount: w.amount,
        currency: w.order.currency.clone(),
        to: w.to,
        shipping: w.shipping,
        reason: w.reason.map(str::to_owned),
        at: w.now,
        actor: w.actor.as_str().to_owned(),
    })
}
