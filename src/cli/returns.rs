//! `orderly returns …`: returns, refunds and exchanges from the command line — what an order may
//! return, authorising (or previewing) a return, labels, receiving with a disposition, refunds,
//! exchanges, cancelling, held stock and the policy. Thin over the facade, like the rest of the CLI.

use clap::Subcommand;

use super::{print, read_input};
use crate::app::returns::{
    ExchangeInput, HeldAction, HeldActionKind, ReceiveUnits, RefundInput, ReturnInput,
    ReturnLabelRequest, ReturnLineInput,
};
use crate::app::{Actor, App};
use crate::domain::money::{Currency, Money};
use crate::domain::order::LineRequest;
use crate::domain::returns::{
    Disposition, RefundBreakdown, RefundTo, ReturnCondition, ReturnMethod, ReturnPolicy,
    ReturnReason, ReturnView,
};
use crate::error::{Error, Result};

#[derive(Subcommand, Debug)]
pub enum ReturnsCommand {
    /// What an order may return: units per line, the window, final-sale lines.
    Options { order: String },
    /// Authorise a return: --line LINE:QTY:REASON[:CONDITION] once per order line
    /// (reasons: changed_mind, wrong_size, defective, damaged_in_transit, wrong_item,
    /// not_as_described, arrived_late, other; conditions: unopened, opened, damaged).
    Create {
        order: String,
        #[arg(long = "line", required = true)]
        lines: Vec<String>,
        /// Location code where the goods come back.
        #[arg(long)]
        location: String,
        /// Shipped back with a label (default: dropped off).
        #[arg(long)]
        ship_back: bool,
        /// Accept it outside the window or for final-sale items, and say why.
        #[arg(long = "override")]
        override_reason: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// Only show whether it may be authorised and what it would refund.
        #[arg(long)]
        preview: bool,
    },
    /// Show a return.
    Show { number: String },
    /// A location's returns desk: expected, receiving, to refund, recent, held stock.
    Queue { location: String },
    /// Make the ship-back label of a return (typed tracking number, or --local).
    Label {
        ret: String,
        #[arg(long)]
        carrier: String,
        #[arg(long)]
        service: String,
        #[arg(long)]
        tracking: Option<String>,
        #[arg(long)]
        local: bool,
        /// What the carrier charges, in minor units.
        #[arg(long)]
        cost: Option<i64>,
        #[arg(long, default_value_t = 1000)]
        weight_grams: i64,
    },
    /// Receive units of a return: scanned codes (one unit each) or --line N --qty Q.
    Receive {
        ret: String,
        #[arg(long)]
        location: String,
        /// restock, damaged, dispose or vendor.
        #[arg(long, default_value = "restock")]
        disposition: String,
        #[arg(long)]
        line: Option<i32>,
        #[arg(long, default_value_t = 1)]
        qty: i64,
        #[arg(long)]
        note: Option<String>,
        codes: Vec<String>,
    },
    /// What a return would refund now (--before-receipt: count units not received yet).
    RefundPreview {
        ret: String,
        #[arg(long)]
        before_receipt: bool,
    },
    /// Refund a return (all that is refundable unless --amount, in minor units).
    Refund {
        ret: String,
        #[arg(long)]
        amount: Option<i64>,
        /// original or store_credit.
        #[arg(long, default_value = "original")]
        to: String,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        before_receipt: bool,
        /// Makes a repeated command harmless; a new one when absent.
        #[arg(long)]
        key: Option<String>,
    },
    /// Exchange a return for other items: --item SKU:QTY once per item.
    Exchange {
        ret: String,
        #[arg(long = "item", required = true)]
        items: Vec<String>,
        /// How the customer pays a dearer order (card, cash, …).
        #[arg(long)]
        payment: Option<String>,
        /// Collect at this store instead of shipping to the original address.
        #[arg(long)]
        pickup: Option<String>,
        /// Where a cheaper order's difference goes: original or store_credit.
        #[arg(long, default_value = "original")]
        refund_to: String,
        #[arg(long)]
        key: Option<String>,
    },
    /// Cancel a return nothing was received on.
    Cancel {
        ret: String,
        #[arg(long)]
        reason: String,
    },
    /// Write off (--dispose) or send back to the vendor (--vendor) held units at a location.
    Held {
        location: String,
        sku: String,
        qty: i64,
        #[arg(long, conflicts_with = "vendor")]
        dispose: bool,
        #[arg(long)]
        vendor: bool,
        #[arg(long)]
        reason: String,
    },
    /// Show the return policy, or replace it with a JSON file (- for standard input).
    Policy {
        #[arg(long)]
        set: Option<String>,
    },
}

fn money(amount: i64, currency: &str) -> String {
    match Currency::parse(currency, "currency") {
        Ok(c) => Money::new(amount, c).display(),
        Err(_) => format!("{amount} {currency}"),
    }
}

fn return_line(text: &str, i: usize) -> Result<ReturnLineInput> {
    let field = format!("line[{i}]");
    let parts: Vec<&str> = text.split(':').collect();
    if !(3..=4).contains(&parts.len()) {
        return Err(Error::invalid(
            field,
            format!("'{text}' is not LINE:QTY:REASON[:CONDITION], e.g. 1:2:wrong_size"),
        ));
    }
    let num = |s: &str, what: &str| {
        s.trim().parse::<i64>().map_err(|_| {
            Error::invalid(
                format!("line[{i}]"),
                format!("'{s}' is not a {what}: enter a whole number"),
            )
        })
    };
    Ok(ReturnLineInput {
        line_no: num(parts[0], "line number")? as i32,
        qty: num(parts[1], "quantity")?,
        reason: ReturnReason::parse(parts[2], &field)?,
        condition: match parts.get(3) {
            Some(c) => ReturnCondition::parse(c, &field)?,
            None => ReturnCondition::Opened,
        },
        note: None,
    })
}

fn item(text: &str, i: usize) -> Result<LineRequest> {
    let (sku, qty) = text.split_once(':').unwrap_or((text, "1"));
    let qty = qty.trim().parse::<i64>().map_err(|_| {
        Error::invalid(
            format!("item[{i}]"),
            format!("'{text}' is not SKU:QTY, e.g. TEE-M:1"),
        )
    })?;
    Ok(LineRequest {
        sku: sku.trim().to_owned(),
        qty,
        unit_price: None,
        discount: None,
    })
}

fn refund_to(text: &str, field: &str) -> Result<RefundTo> {
    RefundTo::parse(text, field)
}

fn breakdown_text(b: &RefundBreakdown) -> String {
    let m = |v: i64| money(v, &b.currency);
    let mut t = String::new();
    for l in &b.lines {
        t.push_str(&format!(
            "  line {} {} × {}: goods {} − discount {} + tax {} = {}\n",
            l.line_no,
            l.qty,
            l.sku,
            m(l.goods),
            m(l.discount),
            m(l.tax),
            m(l.total)
        ));
    }
    t.push_str(&format!(
        "  shipping {} + tax {}; restocking fee −{}; label fee −{}\n  total {}, already refunded {}, refundable now {}",
        m(b.shipping),
        m(b.shipping_tax),
        m(b.restocking_fee),
        m(b.label_fee),
        m(b.total),
        m(b.already_refunded),
        m(b.refundable)
    ));
    for n in &b.notes {
        t.push_str(&format!("\n  · {n}"));
    }
    t
}

fn return_text(v: &ReturnView) -> String {
    let r = &v.ret;
    let mut t = format!(
        "{} for {} ({}, {} at {}): {}",
        r.number,
        r.order,
        r.customer_name
            .clone()
            .unwrap_or_else(|| "no customer".into()),
        r.method.as_str().replace('_', " "),
        r.location,
        r.status.as_str().replace('_', " ")
    );
    for l in &r.lines {
        t.push_str(&format!(
            "\n  line {}: {} × {} {} ({}, {}), received {}",
            l.line_no,
            l.qty,
            l.sku,
            l.name,
            l.reason.as_str().replace('_', " "),
            l.condition.as_str(),
            l.received
        ));
        for d in &l.dispositions {
            t.push_str(&format!(
                "\n    {} × {} at {} by {}",
                d.qty,
                d.disposition.as_str(),
                d.location,
                d.actor
            ));
        }
    }
    if let Some(l) = &r.label {
        t.push_str(&format!(
            "\n  label: {} {}, tracking {}",
            l.carrier, l.service, l.tracking_number
        ));
    }
    for f in &r.refunds {
        t.push_str(&format!(
            "\n  refund {} to {} at {}",
            money(f.amount, &f.currency),
            f.to.as_str().replace('_', " "),
            f.at.to_rfc3339()
        ));
    }
    if let Some(x) = &r.exchange_order {
        t.push_str(&format!("\n  exchanged for {x}"));
    }
    for n in &r.policy_notes {
        t.push_str(&format!("\n  · {n}"));
    }
    t.push_str(&format!(
        "\n  refunded {}, refundable now {}",
        money(v.refunded, &r.currency),
        money(v.refundable, &r.currency)
    ));
    t
}

fn key(given: Option<String>) -> String {
    given.unwrap_or_else(|| crate::domain::ids::new_id().to_string())
}

pub async fn run(app: &App, actor: &Actor, json: bool, cmd: ReturnsCommand) -> Result<()> {
    match cmd {
        ReturnsCommand::Options { order } => {
            let o = app.return_options(&order).await?;
            print(json, &o, || {
                let mut t = format!(
                    "{} ({}, {}): {}-day window{}",
                    o.order,
                    o.channel,
                    o.status.as_str().replace('_', " "),
                    o.window_days,
                    o.returnable_until
                        .map(|d| format!(", returnable until {d}"))
                        .unwrap_or_default()
                );
                for l in &o.lines {
                    t.push_str(&format!(
                        "\n  line {}: {} × {} left, {} returnable at {} each{}",
                        l.line_no,
                        l.left_qty,
                        l.sku,
                        l.returnable_qty,
                        money(l.unit_paid, &o.currency),
                        if l.final_sale { " (final sale)" } else { "" }
                    ));
                }
                for n in &o.policy_notes {
                    t.push_str(&format!("\n  · {n}"));
                }
                t
            })
        }
        ReturnsCommand::Create {
            order,
            lines,
            location,
            ship_back,
            override_reason,
            note,
            preview,
        } => {
            let input = ReturnInput {
                order,
                lines: lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| return_line(l, i))
                    .collect::<Result<_>>()?,
                method: if ship_back {
                    ReturnMethod::ShipBack
                } else {
                    ReturnMethod::DropOff
                },
                location,
                override_reason,
                note,
            };
            if preview {
                let p = app.preview_return(&input).await?;
                return print(json, &p, || {
                    let mut t = if p.allowed {
                        "Allowed.".to_owned()
                    } else {
                        format!("Not allowed:\n  {}", p.problems.join("\n  "))
                    };
                    for n in &p.policy_notes {
                        t.push_str(&format!("\n  · {n}"));
                    }
                    t.push_str(&format!("\nEstimate:\n{}", breakdown_text(&p.estimate)));
                    t
                });
            }
            let v = app.create_return(actor, input).await?;
            print(json, &v, || return_text(&v))
        }
        ReturnsCommand::Show { number } => {
            let v = app.get_return(&number).await?;
            print(json, &v, || return_text(&v))
        }
        ReturnsCommand::Queue { location } => {
            let q = app.returns_queue(&location).await?;
            print(json, &q, || {
                let mut t = format!("Returns at {}", q.location);
                for (name, list) in [
                    ("Expected", &q.expected),
                    ("Receiving", &q.receiving),
                    ("To refund", &q.to_refund),
                    ("Recent", &q.recent),
                ] {
                    t.push_str(&format!("\n{name}: {}", list.len()));
                    for v in list.iter() {
                        t.push_str(&format!(
                            "\n  {} {} {}/{} unit(s) {}",
                            v.ret.number,
                            v.ret.order,
                            v.ret.received(),
                            v.ret.units(),
                            v.ret.status.as_str().replace('_', " ")
                        ));
                    }
                }
                t.push_str(&format!("\nHeld: {}", q.held.len()));
                for h in &q.held {
                    t.push_str(&format!("\n  {} × {} {}", h.qty, h.sku, h.name));
                }
                t
            })
        }
        ReturnsCommand::Label {
            ret,
            carrier,
            service,
            tracking,
            local,
            cost,
            weight_grams,
        } => {
            let v = app
                .return_label(
                    actor,
                    ReturnLabelRequest {
                        ret,
                        carrier,
                        service,
                        tracking_number: tracking,
                        generate_local: local,
                        cost,
                        weight_grams,
                    },
                )
                .await?;
            print(json, &v, || return_text(&v))
        }
        ReturnsCommand::Receive {
            ret,
            location,
            disposition,
            line,
            qty,
            note,
            codes,
        } => {
            let disposition = Disposition::parse(&disposition, "disposition")?;
            let unit = |code: Option<String>, qty: i64| ReceiveUnits {
                ret: ret.clone(),
                location: location.clone(),
                code,
                line_no: line,
                qty,
                disposition,
                note: note.clone(),
            };
            let mut last = None;
            if codes.is_empty() {
                last = Some(app.receive_return(actor, unit(None, qty)).await?);
            }
            for c in codes {
                last = Some(app.receive_return(actor, unit(Some(c), 1)).await?);
            }
            match last {
                Some(v) => print(json, &v, || return_text(&v)),
                None => Ok(()),
            }
        }
        ReturnsCommand::RefundPreview {
            ret,
            before_receipt,
        } => {
            let b = app.refund_preview(&ret, before_receipt).await?;
            print(json, &b, || breakdown_text(&b))
        }
        ReturnsCommand::Refund {
            ret,
            amount,
            to,
            reason,
            before_receipt,
            key: k,
        } => {
            let f = app
                .refund_return(
                    actor,
                    RefundInput {
                        ret,
                        amount,
                        to: refund_to(&to, "to")?,
                        reason,
                        before_receipt,
                        idempotency_key: key(k),
                    },
                )
                .await?;
            print(json, &f, || {
                format!(
                    "Refunded {} to {} on {}",
                    money(f.amount, &f.currency),
                    f.to.as_str().replace('_', " "),
                    f.ret.clone().unwrap_or_else(|| f.order.clone())
                )
            })
        }
        ReturnsCommand::Exchange {
            ret,
            items,
            payment,
            pickup,
            refund_to: to,
            key: k,
        } => {
            let x = app
                .create_exchange(
                    actor,
                    ExchangeInput {
                        ret,
                        lines: items
                            .iter()
                            .enumerate()
                            .map(|(i, t)| item(t, i))
                            .collect::<Result<_>>()?,
                        ship_to: None,
                        pickup_location: pickup,
                        payment_method: payment,
                        refund_to: refund_to(&to, "refundTo")?,
                        idempotency_key: key(k),
                    },
                )
                .await?;
            print(json, &x, || format!("{}: {}", x.order, x.settlement))
        }
        ReturnsCommand::Cancel { ret, reason } => {
            let v = app.cancel_return(actor, &ret, &reason).await?;
            print(json, &v, || return_text(&v))
        }
        ReturnsCommand::Held {
            location,
            sku,
            qty,
            dispose,
            vendor,
            reason,
        } => {
            let action = match (dispose, vendor) {
                (true, false) => HeldActionKind::Dispose,
                (false, true) => HeldActionKind::Vendor,
                _ => {
                    return Err(Error::invalid(
                        "action",
                        "Say what happens to the held units: --dispose or --vendor",
                    ));
                }
            };
            let done = app
                .held_stock_action(
                    actor,
                    HeldAction {
                        location: location.clone(),
                        sku: sku.clone(),
                        qty,
                        action,
                        reason,
                    },
                )
                .await?;
            print(json, &done, || {
                format!(
                    "{qty} × {sku} at {location} {}",
                    match action {
                        HeldActionKind::Dispose => "written off",
                        HeldActionKind::Vendor => "sent back to the vendor",
                    }
                )
            })
        }
        ReturnsCommand::Policy { set } => {
            let p = match set {
                Some(file) => {
                    let text = read_input(&file)?;
                    let policy: ReturnPolicy = serde_json::from_str(&text).map_err(|e| {
                        Error::invalid("file", format!("The policy is not valid JSON: {e}"))
                    })?;
                    app.save_return_policy(policy).await?
                }
                None => app.return_policy().await?,
            };
            print(json, &p, || {
                serde_json::to_string_pretty(&p).unwrap_or_else(|e| e.to_string())
            })
        }
    }
}
