//! The customer page in the core: the figures checked by hand (orders, open orders, spend after a
//! refund, returns, store credit), the orders newest first, and the timeline — order events and
//! store credit merged newest first, each with its order number, paged by a cursor that returns
//! every entry exactly once (also across times whose stored text has fractions of 0, 3 and 6
//! digits), never another customer's entries; an unknown customer is refused.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use orderly::App;
use orderly::app::Clock;
use orderly::app::returns::{ReceiveUnits, RefundInput, ReturnInput, ReturnLineInput};
use orderly::domain::catalog::CustomerDraft;
use orderly::domain::customer::{TimelineEntry, TimelineSource};
use orderly::domain::order::{LineRequest, OrderDetail, OrderRequest, OrderStatus, PaymentRequest};
use orderly::domain::returns::{
    Disposition, RefundTo, ReturnCondition, ReturnMethod, ReturnReason,
};
use orderly::error::ErrorCode;
use uuid::Uuid;

use crate::both;
use crate::support::{actor, address, shop};

struct Manual(Mutex<DateTime<Utc>>);

impl Clock for Manual {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

impl Manual {
    fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().expect("clock") = t;
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

/// A web order of `qty` × A (10.00) with 10% tax and 5.00 shipping, paid by card (authorised,
/// captured when it ships), for a new customer (`name`) or an existing one (`customer`).
async fn order(app: &App, name: &str, customer: Option<Uuid>, qty: i64) -> OrderDetail {
    app.create_order(
        &actor(),
        OrderRequest {
            channel: "web".into(),
            ship_to: Some(address(name)),
            customer_id: customer.map(|c| c.to_string()),
            customer: customer.is_none().then(|| CustomerDraft {
                name: name.into(),
                email: Some(format!(
                    "{}@example.com",
                    name.to_lowercase().replace(' ', ".")
                )),
                phone: Some("+1 555 0100".into()),
                address: Some(address(name)),
            }),
            lines: vec![LineRequest {
                sku: "A".into(),
                qty,
                unit_price: None,
                discount: None,
            }],
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
    .expect("order")
}

/// Returns `qty` units of line 1 (dropped off at WH-2), receives them to stock and refunds the
/// lot to store credit.
async fn return_to_store_credit(
    app: &App,
    clock: &Manual,
    o: &OrderDetail,
    qty: i64,
    at: DateTime<Utc>,
) {
    clock.set(at);
    let r = app
        .create_return(
            &actor(),
            ReturnInput {
                order: o.number.clone(),
                lines: vec![ReturnLineInput {
                    line_no: 1,
                    qty,
                    reason: ReturnReason::ChangedMind,
                    condition: ReturnCondition::Unopened,
                    note: None,
                }],
                method: ReturnMethod::DropOff,
                location: "WH-2".into(),
                override_reason: None,
                note: None,
            },
        )
        .await
        .expect("return");
    // Fractions of 3 and 6 digits, so SQLite's text times of one second differ in length.
    clock.set(at + Duration::milliseconds(250));
    for _ in 0..qty {
        app.receive_return(
            &actor(),
            ReceiveUnits {
                ret: r.ret.number.clone(),
                location: "WH-2".into(),
                code: Some("A".into()),
                line_no: None,
                qty: 1,
                disposition: Disposition::Restock,
                note: None,
            },
        )
        .await
        .expect("receive");
    }
    clock.set(at + Duration::microseconds(500_120));
    app.refund_return(
        &actor(),
        RefundInput {
            ret: r.ret.number.clone(),
            amount: None,
            to: RefundTo::StoreCredit,
            reason: None,
            before_receipt: false,
            idempotency_key: format!("cust-{}", r.ret.number),
        },
    )
    .await
    .expect("refund");
}

async fn whole_timeline(app: &App, id: Uuid, limit: i64) -> Vec<TimelineEntry> {
    let mut all = Vec::new();
    let mut before = None;
    for _ in 0..1000 {
        let page = app
            .customer_timeline(id, before, limit)
            .await
            .expect("timeline page");
        assert!(page.entries.len() as i64 <= limit);
        all.extend(page.entries);
        match page.next {
            Some(n) => before = Some(n),
            None => return all,
        }
    }
    panic!("the timeline never ended");
}

/// Grace: SO-1 (2 × A) shipped, both returned and refunded to store credit; SO-2 (1 × A) open;
/// SO-3 (1 × A) cancelled. Ada: one order of her own, shipped.
async fn story(url: &str) -> (App, Uuid, [OrderDetail; 3], Uuid, OrderDetail) {
    let (app, clock) = clocked(url).await;
    let o1 = order(&app, "Grace Hopper", None, 2).await;
    let grace = o1.customer_id.expect("grace");
    clock.set(t0() + Duration::minutes(1));
    app.change_status(&actor(), &o1.number, OrderStatus::Shipped, None)
        .await
        .expect("ship");
    clock.set(t0() + Duration::minutes(2));
    let ada_order = order(&app, "Ada Lovelace", None, 1).await;
    let ada = ada_order.customer_id.expect("ada");
    app.change_status(&actor(), &ada_order.number, OrderStatus::Shipped, None)
        .await
        .expect("ship ada");
    return_to_store_credit(&app, &clock, &o1, 2, t0() + Duration::minutes(3)).await;
    clock.set(t0() + Duration::minutes(4));
    let o2 = order(&app, "Grace Hopper", Some(grace), 1).await;
    clock.set(t0() + Duration::minutes(5));
    let o3 = order(&app, "Grace Hopper", Some(grace), 1).await;
    app.change_status(
        &actor(),
        &o3.number,
        OrderStatus::Cancelled,
        Some("customer changed their mind"),
    )
    .await
    .expect("cancel");
    (app, grace, [o1, o2, o3], ada, ada_order)
}

both!(the_figures_add_up_by_hand, |url: String| async move {
    let (app, grace, [o1, o2, o3], ada, _) = story(&url).await;
    let d = app.customer_detail(grace).await.expect("detail");
    assert_eq!(d.name, "Grace Hopper");
    assert_eq!(d.email.as_deref(), Some("grace.hopper@example.com"));
    assert_eq!(d.addresses.len(), 1);
    assert_eq!(d.order_count, 3);
    // SO-1 is returned, SO-3 cancelled: only SO-2 is open.
    assert_eq!(d.open_orders, 1);
    // SO-1 captured 2 × 10.00 + 10% tax + 5.00 shipping + 10% tax = 27.50 when it shipped;
    // 22.00 (goods and their tax, shipping kept by policy) went back as store credit. SO-2 is
    // only authorised and SO-3 was cancelled: nothing captured.
    let o1 = app.order(&o1.number).await.expect("o1");
    let captured: i64 = o1.payments.iter().map(|p| p.captured).sum();
    let refunded: i64 = o1.payments.iter().map(|p| p.refunded).sum();
    assert_eq!((captured, refunded), (2750, 2200));
    assert_eq!(d.lifetime_spend.len(), 1);
    assert_eq!(d.lifetime_spend[0].currency, "USD");
    assert_eq!(d.lifetime_spend[0].amount, 550);
    assert_eq!(d.return_count, 1);
    assert_eq!(
        (d.store_credit, d.store_credit_currency.as_str()),
        (2200, "USD")
    );
    assert_eq!(d.last_order_at, Some(t0() + Duration::minutes(5)));
    assert_eq!(d.created_at, t0());

    let page = app.customer_orders(grace, 0, 10).await.expect("orders");
    assert_eq!(page.total, 3);
    let numbers: Vec<&str> = page.rows.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(
        numbers,
        [o3.number.as_str(), o2.number.as_str(), o1.number.as_str()]
    );
    assert_eq!(page.rows[0].status, OrderStatus::Cancelled);
    let second = app.customer_orders(grace, 2, 2).await.expect("page 2");
    assert_eq!(second.rows.len(), 1);
    assert_eq!(second.rows[0].number, o1.number);

    let a = app.customer_detail(ada).await.expect("ada");
    assert_eq!(
        (a.order_count, a.open_orders, a.return_count, a.store_credit),
        (1, 1, 0, 0)
    );
    // 1 × 10.00 + 1.00 tax + 5.00 + 0.50 tax, captured when it shipped.
    assert_eq!(a.lifetime_spend[0].amount, 1650);
});

both!(
    the_timeline_tells_the_return_story_newest_first,
    |url: String| async move {
        let (app, grace, [o1, o2, o3], _, ada_order) = story(&url).await;
        let all = app
            .customer_timeline(grace, None, 200)
            .await
            .expect("timeline");
        assert!(all.next.is_none());
        let t = all.entries;
        for w in t.windows(2) {
            assert!(
                (w[0].at, w[0].id) > (w[1].at, w[1].id),
                "not newest first: {} {} then {} {}",
                w[0].at,
                w[0].kind,
                w[1].at,
                w[1].kind
            );
        }
        let pos = |kind: &str, order: &str| {
            t.iter()
                .position(|e| e.kind == kind && e.order_number.as_deref() == Some(order))
                .unwrap_or_else(|| panic!("no {kind} of {order} in {:?}", kinds(&t)))
        };
        let created = pos("created", &o1.number);
        let authorised = pos("return_authorized", &o1.number);
        let received = pos("return_received", &o1.number);
        let refund = pos("refund", &o1.number);
        let credit = pos("store_credit_issued", &o1.number);
        // Newest first: the refund and its credit (one transaction), receipts, the return, the order.
        assert!(refund < received && credit < received, "{:?}", kinds(&t));
        assert!(
            received < authorised && authorised < created,
            "{:?}",
            kinds(&t)
        );
        assert!(pos("created", &o3.number) < pos("created", &o2.number));
        assert!(pos("created", &o2.number) < refund);
        assert_eq!(t.last().map(|e| e.kind.as_str()), Some("created"));

        let c = &t[credit];
        assert_eq!(c.source, TimelineSource::StoreCredit);
        assert_eq!((c.amount, c.currency.as_deref()), (Some(2200), Some("USD")));
        assert_eq!(c.order_id, Some(o1.id));
        assert!(
            c.return_number
                .as_deref()
                .is_some_and(|r| r.starts_with("R-"))
        );
        assert!(c.summary.contains("Store credit issued"), "{}", c.summary);
        assert_eq!(c.actor, "test");
        let r = &t[refund];
        assert_eq!(r.source, TimelineSource::Order);
        assert_eq!(r.return_number, c.return_number);
        assert_eq!(r.amount, None);
        assert_eq!(t[authorised].return_number, c.return_number);

        // Only Grace's orders, never Ada's.
        let mine: HashSet<Uuid> = [o1.id, o2.id, o3.id].into();
        assert!(
            t.iter()
                .all(|e| e.order_id.is_some_and(|o| mine.contains(&o)))
        );
        assert!(
            t.iter()
                .all(|e| e.order_number.as_deref() != Some(&ada_order.number))
        );
    }
);

both!(
    keyset_pages_return_every_entry_once_in_order,
    |url: String| async move {
        let (app, grace, _, ada, _) = story(&url).await;
        let whole = app
            .customer_timeline(grace, None, 200)
            .await
            .expect("timeline")
            .entries;
        assert!(whole.len() > 7, "{}", whole.len());
        for limit in [1, 2, 3, 7] {
            let paged = whole_timeline(&app, grace, limit).await;
            let a: Vec<Uuid> = paged.iter().map(|e| e.id).collect();
            let b: Vec<Uuid> = whole.iter().map(|e| e.id).collect();
            assert_eq!(a, b, "pages of {limit}");
            assert_eq!(a.iter().collect::<HashSet<_>>().len(), a.len());
        }
        let ada_t = whole_timeline(&app, ada, 2).await;
        let grace_ids: HashSet<Uuid> = whole.iter().map(|e| e.id).collect();
        assert!(!ada_t.is_empty());
        assert!(ada_t.iter().all(|e| !grace_ids.contains(&e.id)));
    }
);

both!(an_unknown_customer_is_not_found, |url: String| async move {
    let (app, _clock) = clocked(&url).await;
    let nobody = Uuid::now_v7();
    let e = app.customer_detail(nobody).await.expect_err("unknown");
    assert_eq!(e.code(), ErrorCode::NotFound);
    assert!(e.to_string().contains(&nobody.to_string()), "{e}");
    let e = app
        .customer_orders(nobody, 0, 10)
        .await
        .expect_err("orders");
    assert_eq!(e.code(), ErrorCode::NotFound);
    let e = app
        .customer_timeline(nobody, None, 10)
        .await
        .expect_err("timeline");
    assert_eq!(e.code(), ErrorCode::NotFound);
    let e = app
        .customer_id("nobody@example.com")
        .await
        .expect_err("email");
    assert_eq!(e.code(), ErrorCode::NotFound);
    let e = app.customer_id("nobody").await.expect_err("neither");
    assert_eq!(e.field(), Some("customer"));
});

fn kinds(t: &[TimelineEntry]) -> Vec<String> {
    t.iter()
        .map(|e| format!("{} {}", e.kind, e.order_number.as_deref().unwrap_or("-")))
        .collect()
}

both!(
    the_command_line_shows_a_customer_by_email_or_id,
    |url: String| async move {
        let (app, grace, _, _, _) = story(&url).await;
        app.close().await;
        let url = &url;
        let run = |a: Vec<String>| async move {
            let full: Vec<std::ffi::OsString> = ["orderly", "--db", url.as_str()]
                .into_iter()
                .map(String::from)
                .chain(a)
                .map(std::ffi::OsString::from)
                .collect();
            orderly::cli::run(full).await
        };
        let ok = std::process::ExitCode::SUCCESS;
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            run(s(&["customers", "show", "grace.hopper@example.com"])).await,
            ok
        );
        assert_eq!(
            run(s(&["--json", "customers", "show", &grace.to_string()])).await,
            ok
        );
        assert_eq!(
            run(s(&[
                "customers",
                "timeline",
                "GRACE.HOPPER@example.com",
                "--limit",
                "3"
            ]))
            .await,
            ok
        );
        assert_ne!(
            run(s(&["customers", "show", "nobody@example.com"])).await,
            ok
        );
        assert_ne!(
            run(s(&[
                "customers",
                "timeline",
                &grace.to_string(),
                "--before",
                "soon"
            ]))
            .await,
            ok
        );
    }
);
