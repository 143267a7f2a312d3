//! Transport types and conversions for returns, refunds and exchanges (the desktop contract of
//! issue 6, design §5). Kept apart from `dto.rs` / `convert.rs` only for size; the same rules
//! apply: the UI sees these shapes, the core never does.

use orderly::Error;
use orderly::app::returns::{
    Exchange, ExchangeInput, HeldAction, HeldActionKind, ReceiveUnits, RefundInput, ReturnInput,
    ReturnLabelRequest, ReturnLineInput, ReturnOptions, ReturnPreview, ReturnableLine,
};
use orderly::domain::order::LineRequest;
use orderly::domain::returns::{
    ChannelWindow, Disposition, DispositionCount, HeldStock, Refund, RefundBreakdown, RefundLine,
    RefundTo, ReturnCondition, ReturnLabelInfo, ReturnLine, ReturnMethod, ReturnPolicy,
    ReturnReason, ReturnStatus, ReturnView, ReturnsQueue,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::convert::{address_in, money, status, time};
use crate::dto::{AddressDto, MoneyDto, OrderLineInputDto, OrderStatusDto};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReturnReasonDto {
    ChangedMind,
    WrongSize,
    Defective,
    DamagedInTransit,
    WrongItem,
    NotAsDescribed,
    ArrivedLate,
    Other,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReturnConditionDto {
    Unopened,
    Opened,
    Damaged,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReturnMethodDto {
    ShipBack,
    DropOff,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DispositionDto {
    Restock,
    Damaged,
    Dispose,
    Vendor,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReturnStatusDto {
    Authorized,
    InTransit,
    PartiallyReceived,
    Received,
    Closed,
    Cancelled,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RefundToDto {
    Original,
    StoreCredit,
    Exchange,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnableLineDto {
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub ordered_qty: i64,
    pub left_qty: i64,
    pub returnable_qty: i64,
    /// Per unit incl. tax, after discounts.
    pub unit_paid: MoneyDto,
    pub final_sale: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnOptionsDto {
    pub order: String,
    pub status: OrderStatusDto,
    pub channel: String,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub has_customer: bool,
    pub currency: String,
    pub lines: Vec<ReturnableLineDto>,
    pub window_days: i64,
    /// YYYY-MM-DD
    pub left_on: Option<String>,
    pub returnable_until: Option<String>,
    pub within_window: bool,
    pub policy_notes: Vec<String>,
    /// Location code.
    pub default_location: Option<String>,
    pub store_credit: Option<MoneyDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnLineInputDto {
    /// Order line.
    pub line_no: i32,
    pub qty: i64,
    pub reason: ReturnReasonDto,
    pub condition: ReturnConditionDto,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnInputDto {
    pub order: String,
    pub lines: Vec<ReturnLineInputDto>,
    pub method: ReturnMethodDto,
    /// Location code.
    pub location: String,
    pub override_reason: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefundLineDto {
    pub line_no: i32,
    pub sku: String,
    pub qty: i64,
    pub goods: MoneyDto,
    pub discount: MoneyDto,
    pub tax: MoneyDto,
    pub total: MoneyDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefundBreakdownDto {
    pub lines: Vec<RefundLineDto>,
    pub goods: MoneyDto,
    pub discount: MoneyDto,
    pub tax: MoneyDto,
    pub shipping: MoneyDto,
    pub shipping_tax: MoneyDto,
    pub restocking_fee: MoneyDto,
    pub label_fee: MoneyDto,
    pub total: MoneyDto,
    pub already_refunded: MoneyDto,
    pub refundable: MoneyDto,
    pub captured_remaining: MoneyDto,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnPreviewDto {
    pub allowed: bool,
    /// Why not, with the fix.
    pub problems: Vec<String>,
    pub policy_notes: Vec<String>,
    pub estimate: RefundBreakdownDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DispositionCountDto {
    pub disposition: DispositionDto,
    pub qty: i64,
    pub location: String,
    pub at: String,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnLineDto {
    /// Order line.
    pub line_no: i32,
    pub sku: String,
    pub name: String,
    pub qty: i64,
    pub received: i64,
    pub reason: ReturnReasonDto,
    pub condition: ReturnConditionDto,
    pub note: Option<String>,
    pub dispositions: Vec<DispositionCountDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnLabelInfoDto {
    pub carrier: String,
    pub service: String,
    pub tracking_number: String,
    pub cost: Option<MoneyDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefundDto {
    pub id: String,
    pub ret: Option<String>,
    pub order: String,
    pub amount: MoneyDto,
    pub to: RefundToDto,
    pub reason: Option<String>,
    pub at: String,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnDto {
    pub id: String,
    pub number: String,
    pub order: String,
    pub status: ReturnStatusDto,
    pub method: ReturnMethodDto,
    pub location: String,
    pub location_name: String,
    pub created_at: String,
    pub created_by: String,
    pub customer_name: Option<String>,
    /// The order's customer, for the link to the customer page; none for a walk-in order.
    pub customer_id: Option<String>,
    pub lines: Vec<ReturnLineDto>,
    pub label: Option<ReturnLabelInfoDto>,
    pub policy_notes: Vec<String>,
    pub override_reason: Option<String>,
    pub note: Option<String>,
    pub refunds: Vec<RefundDto>,
    pub exchange_order: Option<String>,
    pub refunded: MoneyDto,
    pub refundable: MoneyDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnSummaryDto {
    pub number: String,
    pub order: String,
    pub status: ReturnStatusDto,
    pub method: ReturnMethodDto,
    pub location: String,
    pub customer_name: Option<String>,
    pub units: i64,
    pub received: i64,
    pub created_at: String,
    pub refundable: MoneyDto,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeldStockDto {
    pub sku: String,
    pub name: String,
    pub qty: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnsQueueDto {
    pub location: String,
    pub expected: Vec<ReturnSummaryDto>,
    pub receiving: Vec<ReturnSummaryDto>,
    pub to_refund: Vec<ReturnSummaryDto>,
    pub recent: Vec<ReturnSummaryDto>,
    pub held: Vec<HeldStockDto>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnLabelRequestDto {
    pub ret: String,
    pub carrier: String,
    pub service: String,
    pub tracking_number: Option<String>,
    pub generate_local: bool,
    pub cost: Option<MoneyDto>,
    pub weight_grams: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReceiveUnitsDto {
    pub ret: String,
    pub location: String,
    /// Scanned SKU / barcode.
    pub code: Option<String>,
    pub line_no: Option<i32>,
    pub qty: i64,
    pub disposition: DispositionDto,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefundInputDto {
    pub ret: String,
    /// `null` = all refundable.
    pub amount: Option<MoneyDto>,
    pub to: RefundToDto,
    pub reason: Option<String>,
    pub before_receipt: bool,
    pub idempotency_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeInputDto {
    pub ret: String,
    pub lines: Vec<OrderLineInputDto>,
    pub ship_to: Option<AddressDto>,
    pub pickup_location: Option<String>,
    pub payment_method: Option<String>,
    pub refund_to: RefundToDto,
    pub idempotency_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeDto {
    pub ret: String,
    /// New order number.
    pub order: String,
    pub new_total: MoneyDto,
    pub credit: MoneyDto,
    /// > 0 customer pays, < 0 refunded to them.
    pub difference: MoneyDto,
    /// A sentence.
    pub settlement: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HeldActionKindDto {
    Dispose,
    Vendor,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeldActionDto {
    pub location: String,
    pub sku: String,
    pub qty: i64,
    #[ts(type = "\"dispose\" | \"vendor\"")]
    pub action: HeldActionKindDto,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelWindowDto {
    pub channel: String,
    pub days: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReturnPolicyDto {
    pub default_window_days: i64,
    pub channel_windows: Vec<ChannelWindowDto>,
    pub restocking_fee_bp: i64,
    pub refund_shipping_on_shop_fault: bool,
    /// Minor units.
    pub return_label_fee: i64,
    pub default_location: Option<String>,
}

// Conversions.

fn date(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn reason(r: ReturnReason) -> ReturnReasonDto {
    match r {
        ReturnReason::ChangedMind => ReturnReasonDto::ChangedMind,
        ReturnReason::WrongSize => ReturnReasonDto::WrongSize,
        ReturnReason::Defective => ReturnReasonDto::Defective,
        ReturnReason::DamagedInTransit => ReturnReasonDto::DamagedInTransit,
        ReturnReason::WrongItem => ReturnReasonDto::WrongItem,
        ReturnReason::NotAsDescribed => ReturnReasonDto::NotAsDescribed,
        ReturnReason::ArrivedLate => ReturnReasonDto::ArrivedLate,
        ReturnReason::Other => ReturnReasonDto::Other,
    }
}

fn reason_in(r: ReturnReasonDto) -> ReturnReason {
    match r {
        ReturnReasonDto::ChangedMind => ReturnReason::ChangedMind,
        ReturnReasonDto::WrongSize => ReturnReason::WrongSize,
        ReturnReasonDto::Defective => ReturnReason::Defective,
        ReturnReasonDto::DamagedInTransit => ReturnReason::DamagedInTransit,
        ReturnReasonDto::WrongItem => ReturnReason::WrongItem,
        ReturnReasonDto::NotAsDescribed => ReturnReason::NotAsDescribed,
        ReturnReasonDto::ArrivedLate => ReturnReason::ArrivedLate,
        ReturnReasonDto::Other => ReturnReason::Other,
    }
}

fn condition(c: ReturnCondition) -> ReturnConditionDto {
    match c {
        ReturnCondition::Unopened => ReturnConditionDto::Unopened,
        ReturnCondition::Opened => ReturnConditionDto::Opened,
        ReturnCondition::Damaged => ReturnConditionDto::Damaged,
    }
}

fn condition_in(c: ReturnConditionDto) -> ReturnCondition {
    match c {
        ReturnConditionDto::Unopened => ReturnCondition::Unopened,
        ReturnConditionDto::Opened => ReturnCondition::Opened,
        ReturnConditionDto::Damaged => ReturnCondition::Damaged,
    }
}

fn method(m: ReturnMethod) -> ReturnMethodDto {
    match m {
        ReturnMethod::ShipBack => ReturnMethodDto::ShipBack,
        ReturnMethod::DropOff => ReturnMethodDto::DropOff,
    }
}

fn method_in(m: ReturnMethodDto) -> ReturnMethod {
    match m {
        ReturnMethodDto::ShipBack => ReturnMethod::ShipBack,
        ReturnMethodDto::DropOff => ReturnMethod::DropOff,
    }
}

fn disposition(d: Disposition) -> DispositionDto {
    match d {
        Disposition::Restock => DispositionDto::Restock,
        Disposition::Damaged => DispositionDto::Damaged,
        Disposition::Dispose => DispositionDto::Dispose,
        Disposition::Vendor => DispositionDto::Vendor,
    }
}

fn disposition_in(d: DispositionDto) -> Disposition {
    match d {
        DispositionDto::Restock => Disposition::Restock,
        DispositionDto::Damaged => Disposition::Damaged,
        DispositionDto::Dispose => Disposition::Dispose,
        DispositionDto::Vendor => Disposition::Vendor,
    }
}

fn return_status(s: ReturnStatus) -> ReturnStatusDto {
    match s {
        ReturnStatus::Authorized => ReturnStatusDto::Authorized,
        ReturnStatus::InTransit => ReturnStatusDto::InTransit,
        ReturnStatus::PartiallyReceived => ReturnStatusDto::PartiallyReceived,
        ReturnStatus::Received => ReturnStatusDto::Received,
        ReturnStatus::Closed => ReturnStatusDto::Closed,
        ReturnStatus::Cancelled => ReturnStatusDto::Cancelled,
    }
}

fn refund_to(t: RefundTo) -> RefundToDto {
    match t {
        RefundTo::Original => RefundToDto::Original,
        RefundTo::StoreCredit => RefundToDto::StoreCredit,
        RefundTo::Exchange => RefundToDto::Exchange,
    }
}

fn refund_to_in(t: RefundToDto) -> RefundTo {
    match t {
        RefundToDto::Original => RefundTo::Original,
        RefundToDto::StoreCredit => RefundTo::StoreCredit,
        RefundToDto::Exchange => RefundTo::Exchange,
    }
}

/// The amount of a money input; the currency must be the shop's (or empty).
fn amount_in(m: MoneyDto, currency: &str, field: &str) -> Result<i64, Error> {
    let c = m.currency.trim();
    if !c.is_empty() && !c.eq_ignore_ascii_case(currency) {
        return Err(Error::invalid(
            field,
            format!("Amounts are in {currency}, not {c}"),
        ));
    }
    Ok(m.amount)
}

fn returnable_line(l: ReturnableLine, currency: &str) -> ReturnableLineDto {
    ReturnableLineDto {
        line_no: l.line_no,
        sku: l.sku,
        name: l.name,
        ordered_qty: l.ordered_qty,
        left_qty: l.left_qty,
        returnable_qty: l.returnable_qty,
        unit_paid: money(l.unit_paid, currency),
        final_sale: l.final_sale,
    }
}

pub fn options(o: ReturnOptions) -> ReturnOptionsDto {
    let cur = o.currency.clone();
    ReturnOptionsDto {
        order: o.order,
        status: status(o.status),
        channel: o.channel,
        customer_name: o.customer_name,
        customer_email: o.customer_email,
        has_customer: o.has_customer,
        lines: o
            .lines
            .into_iter()
            .map(|l| returnable_line(l, &cur))
            .collect(),
        window_days: o.window_days,
        left_on: o.left_on.map(date),
        returnable_until: o.returnable_until.map(date),
        within_window: o.within_window,
        policy_notes: o.policy_notes,
        default_location: o.default_location,
        store_credit: o.store_credit.map(|a| money(a, &cur)),
        currency: cur,
    }
}

pub fn return_input(i: ReturnInputDto) -> ReturnInput {
    ReturnInput {
        order: i.order,
        lines: i
            .lines
            .into_iter()
            .map(|l| ReturnLineInput {
                line_no: l.line_no,
                qty: l.qty,
                reason: reason_in(l.reason),
                condition: condition_in(l.condition),
                note: l.note,
            })
            .collect(),
        method: method_in(i.method),
        location: i.location,
        override_reason: i.override_reason,
        note: i.note,
    }
}

fn refund_line(l: RefundLine, cur: &str) -> RefundLineDto {
    RefundLineDto {
        line_no: l.line_no,
        sku: l.sku,
        qty: l.qty,
        goods: money(l.goods, cur),
        discount: money(l.discount, cur),
        tax: money(l.tax, cur),
        total: money(l.total, cur),
    }
}

pub fn breakdown(b: RefundBreakdown) -> RefundBreakdownDto {
    let cur = b.currency.clone();
    let m = |a: i64| money(a, &cur);
    RefundBreakdownDto {
        lines: b.lines.into_iter().map(|l| refund_line(l, &cur)).collect(),
        goods: m(b.goods),
        discount: m(b.discount),
        tax: m(b.tax),
        shipping: m(b.shipping),
        shipping_tax: m(b.shipping_tax),
        restocking_fee: m(b.restocking_fee),
        label_fee: m(b.label_fee),
        total: m(b.total),
        already_refunded: m(b.already_refunded),
        refundable: m(b.refundable),
        captured_remaining: m(b.captured_remaining),
        notes: b.notes,
    }
}

pub fn preview(p: ReturnPreview) -> ReturnPreviewDto {
    ReturnPreviewDto {
        allowed: p.allowed,
        problems: p.problems,
        policy_notes: p.policy_notes,
        estimate: breakdown(p.estimate),
    }
}

fn disposition_count(d: DispositionCount) -> DispositionCountDto {
    DispositionCountDto {
        disposition: disposition(d.disposition),
        qty: d.qty,
        location: d.location,
        at: time(d.at),
        actor: d.actor,
    }
}

fn return_line(l: ReturnLine) -> ReturnLineDto {
    ReturnLineDto {
        line_no: l.line_no,
        sku: l.sku,
        name: l.name,
        qty: l.qty,
        received: l.received,
        reason: reason(l.reason),
        condition: condition(l.condition),
        note: l.note,
        dispositions: l.dispositions.into_iter().map(disposition_count).collect(),
    }
}

fn label(l: ReturnLabelInfo, cur: &str) -> ReturnLabelInfoDto {
    ReturnLabelInfoDto {
        carrier: l.carrier,
        service: l.service,
        tracking_number: l.tracking_number,
        cost: l.cost.map(|c| money(c, cur)),
    }
}

pub fn refund(r: Refund) -> RefundDto {
    RefundDto {
        id: r.id.to_string(),
        ret: r.ret,
        order: r.order,
        amount: money(r.amount, &r.currency),
        to: refund_to(r.to),
        reason: r.reason,
        at: time(r.at),
        actor: r.actor,
    }
}

pub fn return_dto(v: ReturnView) -> ReturnDto {
    let r = v.ret;
    let cur = r.currency.clone();
    ReturnDto {
        id: r.id.to_string(),
        number: r.number,
        order: r.order,
        status: return_status(r.status),
        method: method(r.method),
        location: r.location,
        location_name: r.location_name,
        created_at: time(r.created_at),
        created_by: r.created_by,
        customer_name: r.customer_name,
        customer_id: r.customer_id.map(|i| i.to_string()),
        lines: r.lines.into_iter().map(return_line).collect(),
        label: r.label.map(|l| label(l, &cur)),
        policy_notes: r.policy_notes,
        override_reason: r.override_reason,
        note: r.note,
        refunds: r.refunds.into_iter().map(refund).collect(),
        exchange_order: r.exchange_order,
        refunded: money(v.refunded, &cur),
        refundable: money(v.refundable, &cur),
    }
}

pub fn summary(v: ReturnView) -> ReturnSummaryDto {
    let r = &v.ret;
    ReturnSummaryDto {
        number: r.number.clone(),
        order: r.order.clone(),
        status: return_status(r.status),
        method: method(r.method),
        location: r.location.clone(),
        customer_name: r.customer_name.clone(),
        units: r.units(),
        received: r.received(),
        created_at: time(r.created_at),
        refundable: money(v.refundable, &r.currency),
    }
}

fn held(h: HeldStock) -> HeldStockDto {
    HeldStockDto {
        sku: h.sku,
        name: h.name,
        qty: h.qty,
    }
}

pub fn queue(q: ReturnsQueue) -> ReturnsQueueDto {
    ReturnsQueueDto {
        location: q.location,
        expected: q.expected.into_iter().map(summary).collect(),
        receiving: q.receiving.into_iter().map(summary).collect(),
        to_refund: q.to_refund.into_iter().map(summary).collect(),
        recent: q.recent.into_iter().map(summary).collect(),
        held: q.held.into_iter().map(held).collect(),
    }
}

pub fn label_request(
    r: ReturnLabelRequestDto,
    currency: &str,
) -> Result<ReturnLabelRequest, Error> {
    Ok(ReturnLabelRequest {
        ret: r.ret,
        carrier: r.carrier,
        service: r.service,
        tracking_number: r.tracking_number,
        generate_local: r.generate_local,
        cost: r.cost.map(|c| amount_in(c, currency, "cost")).transpose()?,
        weight_grams: r.weight_grams,
    })
}

pub fn receive_units(r: ReceiveUnitsDto) -> ReceiveUnits {
    ReceiveUnits {
        ret: r.ret,
        location: r.location,
        code: r.code,
        line_no: r.line_no,
        qty: r.qty,
        disposition: disposition_in(r.disposition),
        note: r.note,
    }
}

pub fn refund_input(r: RefundInputDto, currency: &str) -> Result<RefundInput, Error> {
    Ok(RefundInput {
        ret: r.ret,
        amount: r
            .amount
            .map(|a| amount_in(a, currency, "amount"))
            .transpose()?,
        to: refund_to_in(r.to),
        reason: r.reason,
        before_receipt: r.before_receipt,
        idempotency_key: r.idempotency_key,
    })
}

pub fn exchange_input(e: ExchangeInputDto) -> ExchangeInput {
    ExchangeInput {
        ret: e.ret,
        lines: e
            .lines
            .into_iter()
            .map(|l| LineRequest {
                sku: l.sku,
                qty: l.qty,
                unit_price: l.unit_price,
                discount: l.discount,
            })
            .collect(),
        ship_to: e.ship_to.map(address_in),
        pickup_location: e.pickup_location,
        payment_method: e.payment_method,
        refund_to: refund_to_in(e.refund_to),
        idempotency_key: e.idempotency_key,
    }
}

pub fn exchange(x: Exchange) -> ExchangeDto {
    let cur = x.currency.clone();
    ExchangeDto {
        ret: x.ret,
        order: x.order,
        new_total: money(x.new_total, &cur),
        credit: money(x.credit, &cur),
        difference: money(x.difference, &cur),
        settlement: x.settlement,
    }
}

pub fn held_action(h: HeldActionDto) -> HeldAction {
    HeldAction {
        location: h.location,
        sku: h.sku,
        qty: h.qty,
        action: match h.action {
            HeldActionKindDto::Dispose => HeldActionKind::Dispose,
            HeldActionKindDto::Vendor => HeldActionKind::Vendor,
        },
        reason: h.reason,
    }
}

pub fn policy(p: ReturnPolicy) -> ReturnPolicyDto {
    ReturnPolicyDto {
        default_window_days: p.default_window_days,
        channel_windows: p
            .channel_windows
            .into_iter()
            .map(|w| ChannelWindowDto {
                channel: w.channel,
                days: w.days,
            })
            .collect(),
        restocking_fee_bp: p.restocking_fee_bp,
        refund_shipping_on_shop_fault: p.refund_shipping_on_shop_fault,
        return_label_fee: p.return_label_fee,
        default_location: p.default_location,
    }
}

pub fn policy_in(p: ReturnPolicyDto) -> ReturnPolicy {
    ReturnPolicy {
        default_window_days: p.default_window_days,
        channel_windows: p
            .channel_windows
            .into_iter()
            .map(|w| ChannelWindow {
                channel: w.channel,
                days: w.days,
            })
            .collect(),
        restocking_fee_bp: p.restocking_fee_bp,
        refund_shipping_on_shop_fault: p.refund_shipping_on_shop_fault,
        return_label_fee: p.return_label_fee,
        default_location: p.default_location,
    }
}
