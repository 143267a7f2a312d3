//! Returns end to end in the core: the policy (window per channel, final sale, override), the
//! refund math checked by hand, dispositions in the ledger (restock, held, dispose, vendor) at any
//! location, wrong scans refused, refunds to the original payment and to store credit, the cap
//! under two concurrent refunds, idempotent repeats, exchanges reserved and routed at once, and the
//! order moving to partially returned and returned.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use orderly::App;
use orderly::app::Clock;
use orderly::app::returns::{
    ExchangeInput, HeldAction, HeldActionKind, ReceiveUnits, RefundInput, ReturnInput,
    ReturnLineInput,
};
use orderly::domain::order::{LineRequest, OrderDetail, OrderRequest, OrderStatus, PaymentRequest};
use orderly::domain::returns::{
    ChannelWindow, Disposition, RefundTo, ReturnCondition, ReturnMethod, ReturnPolicy,
    ReturnReason, ReturnStatus,
};

use crate::both;
use crate::support::{actor, address, assert_ledger_agrees, product, shop};

struct Manual(Mutex<DateTime<Utc>>);

impl Clock for Manual {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0)
        .single()
        .expect("t0")
}

async fn clocked(url: &str) -> (App, Arc<Manual>) {
    let clock = Arc::new(Manual(Mutex::new(t0())));
    let app = shop(url).await.with_clock(clock.clone());
    (app, clock)
}

/// A web order (10% tax, 5.00 shipping) paid by card and shipped at once.
async fn shipped(app: &App, lines: &[(&str, i64, i64)]) -> OrderDetail {
    let o = app
        .create_order(
            &actor(),
            OrderRequest {
                channel: "web".into(),
                ship_to: Some(address("Grace Hopper")),
                customer: Some(orderly::domain::catalog::CustomerDraft {
                    name: "Grace Hopper".into(),
                    email: Some("grace@example.com".into()),
                    phone: None,
                    address: None,
                }),
                lines: lines
                    .iter()
                    .map(|(sku, qty, discount)| LineRequest {
                        sku: (*sku).into(),
                        qty: *qty,
                        unit_price: None,
                        discount: Some(*discount),
                    })
                    .collect(),
                shipping_charge: Some(500),
                tax_rate_bp: Some(1000),
                payment: Some(PaymentRequest {
                    method: "card".into(),
                    captured: false,
                }),
                ..Default::default()
            },
        )
        .await
        .expect("order");
    app.change_status(&actor(), &o.number, OrderStatus::Shipped, None)
        .await
        .expect("shipped")
}

fn input(order: &str, lines: &[(i32, i64, ReturnReason)], location: &str) -> ReturnInput {
    ReturnInput {
        order: order.into(),
        lines: lines
            .iter()
            .map(|(line_no, qty, reason)| ReturnLineInput {
                line_no: *line_no,
                qty: *qty,
                reason: *reason,
                condition: ReturnCondition::Opened,
                note: None,
            })
            .collect(),
        method: ReturnMethod::DropOff,
        location: location.into(),
        override_reason: None,
        note: None,
    }
}

fn receive(ret: &str, location: &str, code: &str, d: Disposition) -> ReceiveUnits {
    ReceiveUnits {
        ret: ret.into(),
        location: location.into(),
        code: Some(code.into()),
        line_no: None,
        qty: 1,
        disposition: d,
        note: None,
    }
}

fn refund(ret: &str, amount: Option<i64>, to: RefundTo, key: &str) -> RefundInput {
    RefundInput {
        ret: ret.into(),
        amount,
        to,
        reason: None,
        before_receipt: false,
        idempotency_key: key.into(),
    }
}

async fn refunded(app: &App, order: &str) -> (i64, i64) {
    let o = app.order(order).await.expect("order");
    (
        o.payments.iter().map(|p| p.captured).sum(),
        o.payments.iter().map(|p| p.refunded).sum(),
    )
}

async fn stock(app: &App, sku: &str, loc: &str) -> (i64, i64) {
    let page = app
        .balances(Some(sku), Some(loc), 0, 10)
        .await
        .expect("balances");
    page.rows
        .iter()
        .find(|b| b.sku == sku && b.location == loc)
        .map(|b| (b.on_hand, b.held))
        .unwrap_or((0, 0))
}

both!(
    the_policy_applies_the_channel_window_and_final_sale_unless_overridden,
    |url: String| async move {
        let (app, clock) = clocked(&url).await;
        let mut f = product("F", 2000, false);
        f.final_sale = true;
        app.create_product(f).await.expect("F");
        app.receive_stock(
            &actor(),
            orderly::app::ReceiveStock {
                sku: "F".into(),
                location: "WH-2".into(),
                qty: 5,
                note: None,
            },
        )
        .await
        .expect("stock F");
        app.save_return_policy(ReturnPolicy {
            channel_windows: vec![ChannelWindow {
                channel: "web".into(),
                days: 14,
            }],
            ..ReturnPolicy::default()
        })
        .await
        .expect("policy");
        let o = shipped(&app, &[("A", 1, 0), ("F", 1, 0)]).await;

        let opts = app.return_options(&o.number).await.expect("options");
        assert_eq!(opts.window_days, 14);
        assert!(opts.within_window);
        assert_eq!(
            opts.returnable_until.map(|d| d.to_string()),
            Some("2026-11-16".into())
        );
        assert_eq!(opts.lines[0].returnable_qty, 1);
        assert!(opts.lines[1].final_sale);

        // Final sale needs an override, even inside the window.
        let p = app
            .preview_return(&input(
                &o.number,
                &[(2, 1, ReturnReason::ChangedMind)],
                "WH-2",
            ))
            .await
            .expect("preview");
        assert!(!p.allowed);
        assert!(p.problems[0].contains("final sale"), "{:?}", p.problems);
        let e = app
            .create_return(
                &actor(),
                input(&o.number, &[(2, 1, ReturnReason::ChangedMind)], "WH-2"),
            )
            .await
            .expect_err("final sale");
        assert_eq!(e.field(), Some("overrideReason"));

        // Outside the window: refused, then accepted with an override that is recorded.
        *clock.0.lock().expect("clock") = t0() + Duration::days(20);
        let e = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 1, ReturnReason::ChangedMind)], "WH-2"),
            )
            .await
            .expect_err("late");
        assert_eq!(e.field(), Some("overrideReason"));
        assert!(
            e.to_string().contains("Outside the 14-day web window"),
            "{e}"
        );
        let mut late = input(&o.number, &[(1, 1, ReturnReason::ChangedMind)], "WH-2");
        late.override_reason = Some("loyal customer".into());
        let r = app.create_return(&actor(), late).await.expect("override");
        assert_eq!(
            r.ret.number,
            format!("R-{}-1", o.number.trim_start_matches("SO-"))
        );
        assert_eq!(r.ret.status, ReturnStatus::Authorized);
        assert!(r.ret.policy_notes.iter().any(|n| n.contains("overridden")));
        let o2 = app.order(&o.number).await.expect("order");
        let ev = o2
            .events
            .iter()
            .find(|e| e.kind == "return_authorized")
            .expect("event");
        assert!(
            ev.summary.contains("override by test: loyal customer"),
            "{}",
            ev.summary
        );
        // The unit is on a return now: nothing more of line 1 may come back.
        let opts = app.return_options(&o.number).await.expect("options");
        assert_eq!(opts.lines[0].returnable_qty, 0);
    }
);

both!(
    a_partial_return_refunds_what_the_hand_computes,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        app.save_return_policy(ReturnPolicy {
            restocking_fee_bp: 1500,
            ..ReturnPolicy::default()
        })
        .await
        .expect("policy");
        // A: 3 × 10.00 − 3.00 = 27.00, tax 2.70; B: 5.50, tax 0.55; shipping 5.00 + 0.50 tax.
        let o = shipped(&app, &[("A", 3, 300), ("B", 1, 0)]).await;
        assert_eq!(o.totals.total, 4125);
        let r = app
            .create_return(
                &actor(),
                input(
                    &o.number,
                    &[
                        (1, 1, ReturnReason::ChangedMind),
                        (2, 1, ReturnReason::Defective),
                    ],
                    "WH-2",
                ),
            )
            .await
            .expect("return");
        let before = app.refund_preview(&r.ret.number, false).await.expect("p");
        assert_eq!(before.total, 0, "nothing received yet");
        let all = app.refund_preview(&r.ret.number, true).await.expect("p");
        app.receive_return(
            &actor(),
            receive(&r.ret.number, "WH-2", "A", Disposition::Restock),
        )
        .await
        .expect("A");
        let v = app
            .receive_return(
                &actor(),
                receive(&r.ret.number, "WH-2", "B", Disposition::Restock),
            )
            .await
            .expect("B");
        assert_eq!(v.ret.status, ReturnStatus::Received);
        let b = app.refund_preview(&r.ret.number, false).await.expect("b");
        assert_eq!(b, all);
        let a = &b.lines[0];
        assert_eq!((a.goods, a.discount, a.tax, a.total), (1000, 100, 90, 990));
        let bl = &b.lines[1];
        assert_eq!((bl.goods, bl.discount, bl.tax, bl.total), (550, 0, 55, 605));
        assert_eq!((b.shipping, b.shipping_tax), (500, 50));
        assert_eq!(b.restocking_fee, 135); // 15% of 9.00 (A only: B is defective)
        assert_eq!(b.label_fee, 0);
        assert_eq!(b.total, 990 + 605 + 550 - 135);
        assert_eq!(b.refundable, 2010);
        assert!(
            b.notes
                .iter()
                .any(|n| n.contains("Restocking fee 15% on changed mind"))
        );

        let f = app
            .refund_return(
                &actor(),
                refund(&r.ret.number, None, RefundTo::Original, "k-1"),
            )
            .await
            .expect("refund");
        assert_eq!(f.amount, 2010);
        assert_eq!(refunded(&app, &o.number).await, (4125, 2010));
        let v = app.get_return(&r.ret.number).await.expect("ret");
        assert_eq!(v.ret.status, ReturnStatus::Closed);
        assert_eq!((v.refunded, v.refundable), (2010, 0));
        let o = app.order(&o.number).await.expect("o");
        assert_eq!(o.status, OrderStatus::PartiallyReturned);
        assert!(
            o.events
                .iter()
                .any(|e| e.kind == "refund" && e.summary.contains("20.10 USD"))
        );
        assert_ledger_agrees(&app).await;
    }
);

both!(
    all_units_over_two_returns_refund_exactly_the_line,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        // 3 × 10.00 − 1.00 = 29.00, tax 2.90: line total 31.90.
        let o = shipped(&app, &[("A", 3, 100)]).await;
        assert_eq!(o.lines[0].total, 3190);
        let mut sum = 0;
        for (n, qty) in [(1, 1), (2, 2)] {
            let r = app
                .create_return(
                    &actor(),
                    input(&o.number, &[(1, qty, ReturnReason::Other)], "WH-2"),
                )
                .await
                .expect("return");
            for _ in 0..qty {
                app.receive_return(
                    &actor(),
                    receive(&r.ret.number, "WH-2", "A", Disposition::Restock),
                )
                .await
                .expect("receive");
            }
            let f = app
                .refund_return(
                    &actor(),
                    refund(&r.ret.number, None, RefundTo::Original, &format!("k{n}")),
                )
                .await
                .expect("refund");
            assert_eq!(f.amount, if n == 1 { 1064 } else { 2126 });
            sum += f.amount;
        }
        assert_eq!(sum, 3190);
        let o = app.order(&o.number).await.expect("o");
        assert_eq!(o.status, OrderStatus::Returned);
        assert!(
            o.events
                .iter()
                .any(|e| e.summary.contains("→ partially returned"))
        );
        assert!(
            o.events
                .iter()
                .any(|e| e.summary.contains("partially returned → returned"))
        );
    }
);

both!(
    dispositions_write_the_ledger_at_the_receiving_location,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        let o = shipped(&app, &[("A", 5, 0)]).await;
        let (wh2_before, _) = stock(&app, "A", "WH-2").await;
        let (st_before, _) = stock(&app, "A", "ST-1").await;
        let r = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 5, ReturnReason::Defective)], "WH-2"),
            )
            .await
            .expect("return");
        let n = r.ret.number.clone();
        app.receive_return(&actor(), receive(&n, "WH-2", "A", Disposition::Restock))
            .await
            .expect("1");
        app.receive_return(&actor(), receive(&n, "WH-2", "A", Disposition::Damaged))
            .await
            .expect("2");
        app.receive_return(&actor(), receive(&n, "WH-2", "A", Disposition::Dispose))
            .await
            .expect("3");
        app.receive_return(&actor(), receive(&n, "WH-2", "A", Disposition::Vendor))
            .await
            .expect("4");
        // The last unit came back at the store, not where it was expected.
        let v = app
            .receive_return(&actor(), receive(&n, "ST-1", "A", Disposition::Restock))
            .await
            .expect("5");
        assert_eq!(v.ret.status, ReturnStatus::Received);
        assert_eq!(
            stock(&app, "A", "WH-2").await,
            (wh2_before + 1, 1),
            "restock on hand, damaged held"
        );
        assert_eq!(stock(&app, "A", "ST-1").await, (st_before + 1, 0));
        let ledger: Vec<(String, i64, i64)> = app
            .movements("A", Some("WH-2"))
            .await
            .expect("movements")
            .into_iter()
            .filter(|m| {
                m.order_number.as_deref() == Some(o.number.as_str())
                    && m.kind != "ship"
                    && m.kind != "reserve"
            })
            .map(|m| (m.kind, m.on_hand_delta, m.held_delta))
            .rev()
            .collect();
        assert_eq!(
            ledger,
            vec![
                ("return_restock".to_owned(), 1, 0),
                ("return_held".to_owned(), 0, 1),
                ("return_held".to_owned(), 0, 1),
                ("dispose".to_owned(), 0, -1),
                ("return_held".to_owned(), 0, 1),
                ("vendor_return".to_owned(), 0, -1),
            ]
        );
        assert_ledger_agrees(&app).await;
        // The held unit is written off later; there is no second one.
        let q = app.returns_queue("WH-2").await.expect("queue");
        assert_eq!(q.held.len(), 1);
        assert!(q.to_refund.iter().any(|v| v.ret.number == n));
        let held = |qty| HeldAction {
            location: "WH-2".into(),
            sku: "A".into(),
            qty,
            action: HeldActionKind::Dispose,
            reason: "broken".into(),
        };
        assert!(
            app.held_stock_action(&actor(), held(1))
                .await
                .expect("dispose")
        );
        let e = app
            .held_stock_action(&actor(), held(1))
            .await
            .expect_err("none held");
        assert_eq!(e.field(), Some("qty"));
        assert_eq!(stock(&app, "A", "WH-2").await.1, 0);
        assert_ledger_agrees(&app).await;
    }
);

both!(
    a_wrong_scan_or_a_surplus_is_refused_and_changes_nothing,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        let o = shipped(&app, &[("A", 1, 0), ("B", 1, 0)]).await;
        let r = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 1, ReturnReason::WrongSize)], "WH-2"),
            )
            .await
            .expect("return");
        let before = (
            stock(&app, "A", "WH-2").await,
            stock(&app, "B", "WH-2").await,
        );
        let e = app
            .receive_return(
                &actor(),
                receive(&r.ret.number, "WH-2", "B", Disposition::Restock),
            )
            .await
            .expect_err("wrong item");
        assert_eq!(e.field(), Some("code"));
        assert!(e.to_string().contains("Wrong item"), "{e}");
        let e = app
            .receive_return(
                &actor(),
                receive(&r.ret.number, "WH-2", "NOPE-1", Disposition::Restock),
            )
            .await
            .expect_err("unknown");
        assert_eq!(e.field(), Some("code"));
        app.receive_return(
            &actor(),
            receive(&r.ret.number, "WH-2", "A", Disposition::Restock),
        )
        .await
        .expect("A");
        let e = app
            .receive_return(
                &actor(),
                receive(&r.ret.number, "WH-2", "A", Disposition::Restock),
            )
            .await
            .expect_err("surplus");
        assert!(
            e.to_string().contains("received already") || e.to_string().contains("Surplus"),
            "{e}"
        );
        let v = app.get_return(&r.ret.number).await.expect("ret");
        assert_eq!(v.ret.received(), 1);
        assert_eq!(stock(&app, "B", "WH-2").await, before.1);
        assert_eq!(stock(&app, "A", "WH-2").await.0, before.0.0 + 1);
        assert_ledger_agrees(&app).await;
    }
);

both!(
    refunds_go_to_store_credit_and_repeat_idempotently,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        let o = shipped(&app, &[("A", 2, 0)]).await;
        let r = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 2, ReturnReason::ChangedMind)], "WH-2"),
            )
            .await
            .expect("return");
        let e = app
            .refund_return(
                &actor(),
                refund(&r.ret.number, None, RefundTo::StoreCredit, "s-0"),
            )
            .await
            .expect_err("nothing received");
        assert_eq!(e.field(), Some("amount"));
        // Refunding before the goods arrive is a deliberate choice, recorded.
        let mut early = refund(&r.ret.number, Some(1000), RefundTo::StoreCredit, "s-1");
        early.before_receipt = true;
        let e = app
            .refund_return(&actor(), early.clone())
            .await
            .expect_err("reason");
        assert_eq!(e.field(), Some("reason"));
        early.reason = Some("first unit now, the rest on arrival".into());
        let f1 = app
            .refund_return(&actor(), early.clone())
            .await
            .expect("refund");
        let again = app.refund_return(&actor(), early).await.expect("repeat");
        assert_eq!(f1.id, again.id);
        assert_eq!(f1.to, RefundTo::StoreCredit);
        let customer = app
            .order(&o.number)
            .await
            .expect("o")
            .customer_id
            .expect("customer");
        assert_eq!(
            app.customer_store_credit(customer).await.expect("credit"),
            1000
        );
        assert_eq!(refunded(&app, &o.number).await.1, 1000);
        let o2 = app.order(&o.number).await.expect("o");
        assert!(
            o2.events
                .iter()
                .any(|e| e.kind == "refund" && e.summary.contains("before the goods arrived"))
        );
        // 2 × 10.00 + 10% tax = 22.00; 10.00 refunded: 12.00 left once both are in.
        for _ in 0..2 {
            app.receive_return(
                &actor(),
                receive(&r.ret.number, "WH-2", "A", Disposition::Restock),
            )
            .await
            .expect("receive");
        }
        let b = app.refund_preview(&r.ret.number, false).await.expect("b");
        assert_eq!(
            (b.total, b.already_refunded, b.refundable),
            (2200, 1000, 1200)
        );
        let f2 = app
            .refund_return(
                &actor(),
                refund(&r.ret.number, None, RefundTo::Original, "s-2"),
            )
            .await
            .expect("rest");
        assert_eq!(f2.amount, 1200);
        assert_eq!(refunded(&app, &o.number).await.1, 2200);
        assert_eq!(
            app.get_return(&r.ret.number).await.expect("r").ret.status,
            ReturnStatus::Closed
        );
    }
);

both!(
    two_concurrent_refunds_never_exceed_what_was_captured,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        let o = shipped(&app, &[("A", 2, 0)]).await;
        let r = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 2, ReturnReason::Defective)], "WH-2"),
            )
            .await
            .expect("return");
        for _ in 0..2 {
            app.receive_return(
                &actor(),
                receive(&r.ret.number, "WH-2", "A", Disposition::Restock),
            )
            .await
            .expect("receive");
        }
        // Worth 22.00 + 5.50 shipping (defective); each asks for 20.00.
        let mut tasks = Vec::new();
        for k in ["c-1", "c-2"] {
            let app = app.clone();
            let mut input = refund(&r.ret.number, Some(2000), RefundTo::Original, k);
            input.reason = Some("agreed amount".into());
            tasks.push(tokio::spawn(async move {
                app.refund_return(&actor(), input).await
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.expect("task") {
                Ok(f) => {
                    assert_eq!(f.amount, 2000);
                    ok += 1;
                }
                Err(e) => assert!(e.to_string().contains("At most"), "{e}"),
            }
        }
        assert_eq!(ok, 1);
        let (captured, refunded) = refunded(&app, &o.number).await;
        assert_eq!(refunded, 2000);
        assert!(refunded <= captured);
        let v = app.get_return(&r.ret.number).await.expect("r");
        assert_eq!(v.refunded, 2000);
        assert_eq!(v.refundable, 2750 - 2000);
    }
);

both!(
    exchanges_are_reserved_at_once_and_settle_the_difference,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        app.create_product(product("D", 1500, false))
            .await
            .expect("D");
        app.receive_stock(
            &actor(),
            orderly::app::ReceiveStock {
                sku: "D".into(),
                location: "WH-1".into(),
                qty: 5,
                note: None,
            },
        )
        .await
        .expect("stock D");
        // 3 × A at 10.00 + 10% tax: each unit is worth 11.00.
        let o = shipped(&app, &[("A", 3, 0)]).await;
        let mut results = Vec::new();
        for (i, sku) in ["A", "D", "B"].into_iter().enumerate() {
            let r = app
                .create_return(
                    &actor(),
                    input(&o.number, &[(1, 1, ReturnReason::WrongSize)], "WH-2"),
                )
                .await
                .expect("return");
            let ex = ExchangeInput {
                ret: r.ret.number.clone(),
                lines: vec![LineRequest {
                    sku: sku.into(),
                    qty: 1,
                    unit_price: None,
                    discount: None,
                }],
                ship_to: None,
                pickup_location: None,
                payment_method: (sku == "D").then(|| "card".to_owned()),
                refund_to: RefundTo::Original,
                idempotency_key: format!("x-{i}"),
            };
            let x = app
                .create_exchange(&actor(), ex.clone())
                .await
                .expect("exchange");
            let again = app.create_exchange(&actor(), ex).await.expect("repeat");
            assert_eq!(x, again, "a repeat returns the first exchange");
            let new = app.order(&x.order).await.expect("new order");
            assert!(
                new.reservations.iter().all(|r| r.state == "reserved")
                    && !new.reservations.is_empty(),
                "reserved at once"
            );
            assert!(!new.routes.is_empty(), "routed at once");
            assert!(
                new.attributes
                    .contains(&("exchange_for".to_owned(), r.ret.number.clone()))
            );
            assert!(new.events.iter().any(|e| e.kind == "exchange_of"));
            let v = app.get_return(&r.ret.number).await.expect("ret");
            assert_eq!(v.ret.exchange_order.as_deref(), Some(x.order.as_str()));
            results.push((x, new));
        }
        let (same, new_a) = &results[0];
        assert_eq!(
            (same.credit, same.new_total, same.difference),
            (1100, 1100, 0)
        );
        assert_eq!(new_a.payments.len(), 1);
        assert_eq!(new_a.payments[0].method, "exchange credit");
        assert_eq!(new_a.payments[0].captured, 1100);
        let (dearer, new_d) = &results[1];
        assert_eq!(
            (dearer.credit, dearer.new_total, dearer.difference),
            (1100, 1650, 550)
        );
        let card = new_d
            .payments
            .iter()
            .find(|p| p.method == "card")
            .expect("card");
        assert_eq!((card.authorized, card.captured), (550, 0));
        assert!(
            dearer.settlement.contains("5.50 USD by card"),
            "{}",
            dearer.settlement
        );
        let (cheaper, _) = &results[2];
        assert_eq!(
            (cheaper.credit, cheaper.new_total, cheaper.difference),
            (1100, 605, -495)
        );
        assert!(
            cheaper.settlement.contains("4.95 USD is refunded"),
            "{}",
            cheaper.settlement
        );
        // All three credits came off the original payments.
        assert_eq!(refunded(&app, &o.number).await, (3850, 3300));
        let o = app.order(&o.number).await.expect("o");
        assert_eq!(
            o.events
                .iter()
                .filter(|e| e.kind == "exchange_created")
                .count(),
            3
        );
        assert_ledger_agrees(&app).await;
    }
);

both!(
    a_ship_back_label_is_mailed_and_prints_like_outbound_labels,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        app.save_mail_settings(orderly::app::mail::MailSettings {
            enabled: true,
            host: "127.0.0.1".into(),
            port: 2525,
            tls: orderly::app::mail::MailTls::None,
            username: None,
            password: None,
            password_set: false,
            from_address: "shop@example.com".into(),
            from_name: "Corner Shop".into(),
            shop_name: "Corner Shop".into(),
        })
        .await
        .expect("mail settings");
        let o = shipped(&app, &[("A", 2, 0)]).await;
        // A cancelled return gives its units back.
        let r = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 2, ReturnReason::ChangedMind)], "WH-2"),
            )
            .await
            .expect("return");
        let e = app
            .cancel_return(&actor(), &r.ret.number, " ")
            .await
            .expect_err("reason");
        assert_eq!(e.field(), Some("reason"));
        let c = app
            .cancel_return(&actor(), &r.ret.number, "customer kept it")
            .await
            .expect("cancel");
        assert_eq!(c.ret.status, ReturnStatus::Cancelled);
        let mut ship = input(&o.number, &[(1, 2, ReturnReason::ChangedMind)], "WH-2");
        ship.method = ReturnMethod::ShipBack;
        let r = app.create_return(&actor(), ship).await.expect("return 2");
        assert_eq!(
            r.ret.number,
            format!("R-{}-2", o.number.trim_start_matches("SO-"))
        );
        let req =
            |generate: bool, tracking: Option<&str>| orderly::app::returns::ReturnLabelRequest {
                ret: r.ret.number.clone(),
                carrier: "UPS".into(),
                service: "Ground".into(),
                tracking_number: tracking.map(str::to_owned),
                generate_local: generate,
                cost: Some(850),
                weight_grams: 1200,
            };
        let e = app
            .return_label(&actor(), req(false, Some("1Z999AA10123456785")))
            .await
            .expect_err("bad check digit");
        assert_eq!(e.field(), Some("trackingNumber"));
        let v = app
            .return_label(&actor(), req(false, Some("1Z999AA10123456784")))
            .await
            .expect("label");
        assert_eq!(v.ret.status, ReturnStatus::InTransit);
        let label = v.ret.label.clone().expect("label info");
        assert_eq!((label.carrier.as_str(), label.cost), ("UPS", Some(850)));
        let mails: Vec<_> = app
            .outbox(None, 100)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|m| m.kind == orderly::domain::mail::MailKind::ReturnLabel)
            .collect();
        assert_eq!(mails.len(), 1);
        assert!(
            mails[0].subject.contains(&r.ret.number),
            "{}",
            mails[0].subject
        );
        let pdf = app
            .return_label_document(&r.ret.number, orderly::shipping::print::DocKind::Pdf)
            .await
            .expect("pdf");
        assert!(pdf.bytes.starts_with(b"%PDF"));
        let zpl = app
            .return_label_document(&r.ret.number, orderly::shipping::print::DocKind::Zpl)
            .await
            .expect("zpl");
        assert!(String::from_utf8_lossy(&zpl.bytes).contains(&label.tracking_number));
        let o = app.order(&o.number).await.expect("o");
        assert!(o.events.iter().any(|e| e.kind == "return_label"));
        assert!(o.events.iter().any(|e| e.kind == "return_cancelled"));
        // The queue at WH-2 expects it.
        let q = app.returns_queue("WH-2").await.expect("queue");
        assert_eq!(q.expected.len(), 1);
        let data = app
            .return_document_data(&r.ret.number)
            .await
            .expect("doc data");
        assert_eq!(data.ret.number, r.ret.number);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_takes_a_return_from_authorised_to_refunded() {
    let db = crate::support::sqlite();
    let app = shop(&db.url).await;
    let o = shipped(&app, &[("A", 2, 0)]).await;
    app.close().await;
    let url = db.url.clone();
    let run = |list: Vec<String>| {
        let url = url.clone();
        async move {
            let args: Vec<std::ffi::OsString> = ["orderly", "--db", url.as_str()]
                .iter()
                .map(|s| std::ffi::OsString::from(*s))
                .chain(list.iter().map(std::ffi::OsString::from))
                .collect();
            orderly::cli::run(args).await
        }
    };
    let ok = std::process::ExitCode::SUCCESS;
    let bad = std::process::ExitCode::from(2);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let ret = format!("R-{}-1", o.number.trim_start_matches("SO-"));
    assert_eq!(run(s(&["returns", "options", &o.number])).await, ok);
    assert_eq!(
        run(s(&[
            "returns",
            "create",
            &o.number,
            "--line",
            "1:2:defective",
            "--location",
            "WH-2",
            "--preview"
        ]))
        .await,
        ok
    );
    assert_eq!(
        run(s(&[
            "returns",
            "create",
            &o.number,
            "--line",
            "1:3:defective",
            "--location",
            "WH-2"
        ]))
        .await,
        bad,
        "more than left"
    );
    assert_eq!(
        run(s(&[
            "returns",
            "create",
            &o.number,
            "--line",
            "1:2:defective:opened",
            "--location",
            "WH-2"
        ]))
        .await,
        ok
    );
    assert_eq!(
        run(s(&["returns", "receive", &ret, "--location", "WH-2", "B"])).await,
        bad,
        "wrong item"
    );
    assert_eq!(
        run(s(&[
            "returns",
            "receive",
            &ret,
            "--location",
            "WH-2",
            "--disposition",
            "damaged",
            "A",
            "A"
        ]))
        .await,
        ok
    );
    assert_eq!(run(s(&["returns", "refund-preview", &ret])).await, ok);
    assert_eq!(
        run(s(&["returns", "refund", &ret, "--key", "cli-1"])).await,
        ok
    );
    assert_eq!(
        run(s(&["returns", "refund", &ret, "--key", "cli-1"])).await,
        ok,
        "a repeat"
    );
    assert_eq!(run(s(&["returns", "show", &ret])).await, ok);
    assert_eq!(run(s(&["returns", "queue", "WH-2"])).await, ok);
    assert_eq!(
        run(s(&[
            "returns", "held", "WH-2", "A", "2", "--vendor", "--reason", "RMA 77"
        ]))
        .await,
        ok
    );
    let app = App::open(&url).await.expect("reopen");
    let v = app.get_return(&ret).await.expect("ret");
    assert_eq!(v.ret.status, ReturnStatus::Closed);
    // 2 × 11.00 + 5.50 shipping (defective).
    assert_eq!(v.refunded, 2750);
    assert_eq!(stock(&app, "A", "WH-2").await.1, 0);
    assert_eq!(
        app.order(&o.number).await.expect("o").status,
        OrderStatus::Returned
    );
    assert_ledger_agrees(&app).await;
}

both!(
    an_exchange_before_the_goods_arrive_closes_the_return_on_receipt,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        app.save_return_policy(ReturnPolicy {
            restocking_fee_bp: 1000,
            ..ReturnPolicy::default()
        })
        .await
        .expect("policy");
        let o = shipped(&app, &[("A", 1, 0)]).await;
        let r = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 1, ReturnReason::ChangedMind)], "WH-2"),
            )
            .await
            .expect("return");
        // No restocking fee on an exchange: the full 11.00 is credit.
        let x = app
            .create_exchange(
                &actor(),
                ExchangeInput {
                    ret: r.ret.number.clone(),
                    lines: vec![LineRequest {
                        sku: "A".into(),
                        qty: 1,
                        unit_price: None,
                        discount: None,
                    }],
                    ship_to: None,
                    pickup_location: Some("ST-1".into()),
                    payment_method: None,
                    refund_to: RefundTo::Original,
                    idempotency_key: "x-before".into(),
                },
            )
            .await
            .expect("exchange");
        assert_eq!((x.credit, x.difference), (1100, 0));
        let new = app.order(&x.order).await.expect("new");
        assert_eq!(new.pickup_location.as_deref(), Some("ST-1"));
        assert_eq!(
            app.get_return(&r.ret.number).await.expect("r").ret.status,
            ReturnStatus::Authorized
        );
        let e = app
            .refund_return(&actor(), {
                let mut f = refund(&r.ret.number, None, RefundTo::Original, "after-x");
                f.before_receipt = true;
                f
            })
            .await
            .expect_err("nothing left to refund");
        assert_eq!(e.field(), Some("amount"));
        let v = app
            .receive_return(
                &actor(),
                receive(&r.ret.number, "WH-2", "A", Disposition::Restock),
            )
            .await
            .expect("receive");
        assert_eq!(v.ret.status, ReturnStatus::Closed);
        assert_eq!(v.refundable, 0);
        assert_eq!(refunded(&app, &o.number).await, (1650, 1100));
    }
);

both!(
    a_partial_refund_still_claims_the_shipping_for_its_return,
    |url: String| async move {
        let (app, _clock) = clocked(&url).await;
        let o = shipped(&app, &[("A", 2, 0)]).await;
        // First return: one defective unit; its breakdown includes the shipping.
        let r1 = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 1, ReturnReason::Defective)], "WH-2"),
            )
            .await
            .expect("return 1");
        app.receive_return(
            &actor(),
            receive(&r1.ret.number, "WH-2", "A", Disposition::Restock),
        )
        .await
        .expect("receive 1");
        let b1 = app
            .refund_preview(&r1.ret.number, false)
            .await
            .expect("preview 1");
        assert!(b1.shipping > 0, "{b1:?}");
        // The clerk refunds less than the shipping alone, with a reason.
        let mut part = refund(&r1.ret.number, Some(100), RefundTo::Original, "p-1");
        part.reason = Some("goodwill agreed on the phone".into());
        app.refund_return(&actor(), part).await.expect("partial");
        // Second return of the same order, also defective: no shipping a second time.
        let r2 = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 1, ReturnReason::Defective)], "WH-2"),
            )
            .await
            .expect("return 2");
        app.receive_return(
            &actor(),
            receive(&r2.ret.number, "WH-2", "A", Disposition::Restock),
        )
        .await
        .expect("receive 2");
        let b2 = app
            .refund_preview(&r2.ret.number, false)
            .await
            .expect("preview 2");
        assert_eq!((b2.shipping, b2.shipping_tax), (0, 0), "{b2:?}");
        assert!(
            b2.notes.iter().any(|n| n.contains("earlier return")),
            "{:?}",
            b2.notes
        );
    }
);

both!(
    an_interrupted_exchange_is_cancelled_and_a_finished_one_is_kept,
    |url: String| async move {
        let (app, clock) = clocked(&url).await;
        let o = shipped(&app, &[("A", 2, 0)]).await;
        let r = app
            .create_return(
                &actor(),
                input(&o.number, &[(1, 1, ReturnReason::WrongSize)], "WH-2"),
            )
            .await
            .expect("return");
        // A finished exchange: linked to its return.
        let done = app
            .create_exchange(
                &actor(),
                ExchangeInput {
                    ret: r.ret.number.clone(),
                    lines: vec![LineRequest {
                        sku: "A".into(),
                        qty: 1,
                        unit_price: None,
                        discount: None,
                    }],
                    ship_to: None,
                    pickup_location: None,
                    payment_method: None,
                    refund_to: RefundTo::Original,
                    idempotency_key: "done-1".into(),
                },
            )
            .await
            .expect("exchange");
        // What a crash between the exchange's two transactions leaves: the replacement order,
        // captured with its exchange reference, never linked to a return.
        let orphan = app
            .create_order(
                &actor(),
                OrderRequest {
                    channel: "web".into(),
                    channel_ref: Some("exchange:crashed-1".into()),
                    ship_to: Some(address("Grace Hopper")),
                    lines: vec![LineRequest {
                        sku: "A".into(),
                        qty: 1,
                        unit_price: None,
                        discount: None,
                    }],
                    ..Default::default()
                },
            )
            .await
            .expect("orphan");
        // Within the grace period nothing is touched (an exchange may be finishing).
        let none = app
            .cancel_interrupted_exchanges(&actor(), Duration::minutes(10))
            .await
            .expect("sweep");
        assert!(none.is_empty(), "{none:?}");
        *clock.0.lock().expect("clock") = t0() + Duration::minutes(11);
        let cancelled = app
            .cancel_interrupted_exchanges(&actor(), Duration::minutes(10))
            .await
            .expect("sweep");
        assert_eq!(cancelled, vec![orphan.number.clone()]);
        let orphan = app.order(&orphan.number).await.expect("orphan");
        assert_eq!(orphan.status, OrderStatus::Cancelled);
        assert!(orphan.reservations.iter().all(|r| r.state != "reserved"));
        assert!(
            orphan
                .events
                .iter()
                .any(|e| e.summary.contains("Exchange interrupted")
                    || e.details.contains("Exchange interrupted")),
            "{:?}",
            orphan.events
        );
        let kept = app.order(&done.order).await.expect("kept");
        assert_ne!(kept.status, OrderStatus::Cancelled);
        assert_ledger_agrees(&app).await;
    }
);
