//! Fulfilment end to end in the core: work queues, pick lists by bin, scan-to-verify packing
//! (wrong item, surplus, short pick re-routed), labels with check-digit tracking numbers, handing
//! to the carrier (stock leaves), tracking events typed and imported, orders moving to shipped and
//! delivered by themselves; pick-up ready, hand-over with a name check, and release when not
//! collected.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone, Utc};
use orderly::App;
use orderly::Error;
use orderly::app::Clock;
use orderly::app::fulfilment::{LabelRequest, TrackingInput};
use orderly::app::mail::{MailSettings, MailTls};
use orderly::domain::fulfilment::{PackageInput, ShipmentKind, ShipmentStatus};
use orderly::domain::mail::MailKind;
use orderly::domain::order::{LineRequest, OrderRequest, OrderStatus, PaymentRequest};
use orderly::shipping::print::DocKind;

use crate::both;
use crate::support::{actor, address, assert_ledger_agrees, shop};

/// A clock the test moves.
struct Manual(Mutex<DateTime<Utc>>);

impl Clock for Manual {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
}

fn order(lines: &[(&str, i64)], pickup: Option<&str>) -> OrderRequest {
    OrderRequest {
        channel: "web".into(),
        ship_to: pickup.is_none().then(|| address("Grace Hopper")),
        pickup_location: pickup.map(str::to_owned),
        customer: Some(orderly::domain::catalog::CustomerDraft {
            name: "Grace Hopper".into(),
            email: Some("grace@example.com".into()),
            phone: None,
            address: None,
        }),
        lines: lines
            .iter()
            .map(|(sku, qty)| LineRequest {
                sku: (*sku).into(),
                qty: *qty,
                unit_price: None,
                discount: None,
            })
            .collect(),
        payment: Some(PaymentRequest {
            method: "card".into(),
            captured: false,
        }),
        ..Default::default()
    }
}

/// E-mail on, to a server that is never contacted here (the outbox only queues).
async fn mail_on(app: &App) {
    app.save_mail_settings(MailSettings {
        enabled: true,
        host: "127.0.0.1".into(),
        port: 2525,
        tls: MailTls::None,
        username: None,
        password: None,
        password_set: false,
        from_address: "shop@example.com".into(),
        from_name: "Corner Shop".into(),
        shop_name: "Corner Shop".into(),
    })
    .await
    .expect("mail settings");
}

async fn mails(app: &App, order: &str) -> Vec<(MailKind, String)> {
    app.outbox(None, 100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.order_number.as_deref() == Some(order))
        .map(|m| (m.kind, m.subject))
        .collect()
}

fn parcel(grams: i64) -> PackageInput {
    PackageInput {
        weight_grams: grams,
        length_mm: 300,
        width_mm: 200,
        height_mm: 100,
    }
}

async fn on_hand(app: &App, sku: &str, loc: &str) -> (i64, i64) {
    let page = app
        .balances(Some(sku), Some(loc), 0, 10)
        .await
        .expect("balances");
    let b = page.rows.iter().find(|b| b.sku == sku).expect("balance");
    (b.on_hand, b.reserved)
}

fn held(o: &orderly::domain::order::OrderDetail) -> Vec<(String, String, i64)> {
    let mut v: Vec<_> = o
        .reservations
        .iter()
        .filter(|r| r.state == "reserved")
        .map(|r| (r.sku.clone(), r.location.clone(), r.qty))
        .collect();
    v.sort();
    v
}

both!(
    an_order_goes_from_captured_to_delivered,
    |url: String| async move {
        let app = shop(&url).await;
        let o = app
            .create_order(&actor(), order(&[("A", 2), ("B", 1)], None))
            .await
            .expect("order");
        // B exists only at WH-2, so one parcel from WH-2 is the cheapest plan.
        assert_eq!(
            held(&o),
            vec![
                ("A".into(), "WH-2".into(), 2),
                ("B".into(), "WH-2".into(), 1)
            ]
        );
        app.set_bin("B", "WH-2", Some("A-01-1"))
            .await
            .expect("bin B");
        app.set_bin("A", "WH-2", Some("C-07-2"))
            .await
            .expect("bin A");
        let q = app.work_queues("wh-2").await.expect("queues");
        assert_eq!(q.ready_to_pick.len(), 1);
        assert_eq!(q.ready_to_pick[0].order_number, o.number);
        assert_eq!(q.ready_to_pick[0].units, 3);
        assert_eq!(q.ready_to_pick[0].kind, ShipmentKind::Ship);
        assert!(
            app.work_queues("WH-1")
                .await
                .expect("wh-1")
                .ready_to_pick
                .is_empty()
        );

        let pl = app
            .create_pick_list(&actor(), "WH-2", &[], 10)
            .await
            .expect("pick list");
        // Sorted by bin: B (A-01-1) before A (C-07-2).
        let rows: Vec<(Option<String>, String, i64)> = pl
            .rows
            .iter()
            .map(|r| (r.bin.clone(), r.sku.clone(), r.qty))
            .collect();
        assert_eq!(
            rows,
            vec![
                (Some("A-01-1".into()), "B".into(), 1),
                (Some("C-07-2".into()), "A".into(), 2)
            ]
        );
        assert_eq!(pl.shipments.len(), 1);
        let number = pl.shipments[0].number.clone();
        assert_eq!(number, format!("{}-1", o.number));
        assert_eq!(
            app.order(&o.number).await.expect("o").status,
            OrderStatus::InProgress
        );
        let q = app.work_queues("WH-2").await.expect("queues");
        assert!(
            q.ready_to_pick.is_empty(),
            "picked orders leave the ready queue"
        );
        assert_eq!(q.picking.len(), 1);
        let pdf = app
            .pick_list_document(&pl.number)
            .await
            .expect("pick list pdf");
        assert!(pdf.bytes.starts_with(b"%PDF"));

        // Scan to verify: a wrong item and a surplus are refused and change nothing.
        let e = app.pack_scan(&number, "P").await.expect_err("wrong item");
        assert!(e.to_string().contains("Wrong item"), "{e}");
        app.pack_scan(&number, "B").await.expect("B");
        let e = app.pack_scan(&number, "B").await.expect_err("surplus");
        assert!(e.to_string().contains("Surplus"), "{e}");
        let e = app
            .pack_scan(&number, "NOPE-404")
            .await
            .expect_err("unknown");
        assert_eq!(e.field(), Some("code"));
        app.pack_scan(&number, "A").await.expect("A1");
        let sh = app.pack_scan(&number, "A").await.expect("A2");
        assert_eq!(sh.packed_units(), 3);
        let e = app
            .finish_packing(&actor(), &number, &[], false)
            .await
            .expect_err("no parcel");
        assert_eq!(e.field(), Some("packages"));
        let sh = app
            .finish_packing(&actor(), &number, &[parcel(1_500), parcel(800)], false)
            .await
            .expect("packed");
        assert_eq!(sh.status, ShipmentStatus::Packed);
        assert_eq!(sh.packages.len(), 2);
        assert_eq!(app.work_queues("WH-2").await.expect("q").packed.len(), 1);

        // A UPS number with a wrong check digit is caught at the counter.
        let bad = LabelRequest {
            carrier: "UPS".into(),
            service: "Ground".into(),
            tracking_numbers: vec!["1Z999AA10123456785".into()],
            generate_local: false,
            cost: Some(1234),
        };
        let e = app
            .label_shipment(&actor(), &number, &bad)
            .await
            .expect_err("check digit");
        assert_eq!(e.field(), Some("trackingNumbers[0]"));
        let sh = app
            .label_shipment(
                &actor(),
                &number,
                &LabelRequest {
                    tracking_numbers: vec!["1z 999 aa1 0123 4567 84".into()],
                    ..bad.clone()
                },
            )
            .await
            .expect("labelled");
        assert_eq!(sh.status, ShipmentStatus::Labelled);
        assert_eq!(sh.tracking_number.as_deref(), Some("1Z999AA10123456784"));
        assert_eq!(sh.shipping_cost, Some(1234));
        let labels = app
            .shipment_labels(&number, DocKind::Pdf)
            .await
            .expect("labels");
        assert_eq!(labels.len(), 2);
        assert!(labels.iter().all(|l| l.bytes.starts_with(b"%PDF")));
        let zpl = app
            .shipment_labels(&number, DocKind::Zpl)
            .await
            .expect("zpl");
        let zpl = String::from_utf8(zpl[0].bytes.clone()).expect("utf8");
        assert_eq!(zpl.matches("^XA").count(), 2);
        assert!(
            app.packing_slip(&number)
                .await
                .expect("slip")
                .bytes
                .starts_with(b"%PDF")
        );
        assert_eq!(
            app.work_queues("WH-2")
                .await
                .expect("q")
                .waiting_for_carrier
                .len(),
            1
        );

        // Stock leaves only when the carrier takes it; the customer is told, with the tracking.
        mail_on(&app).await;
        assert_eq!(on_hand(&app, "A", "WH-2").await, (10, 2));
        app.hand_to_carrier(&actor(), std::slice::from_ref(&number))
            .await
            .expect("handed over");
        assert_eq!(on_hand(&app, "A", "WH-2").await, (8, 0));
        // Customer service finds the order from the tracking number, however it is typed.
        let found = app
            .list_orders(&orderly::domain::order::OrderQuery {
                search: Some("1z999aa1 0123456784".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .expect("search");
        assert_eq!(found.rows.len(), 1);
        assert_eq!(found.rows[0].number, o.number);
        assert_eq!(on_hand(&app, "B", "WH-2").await, (3, 0));
        let o2 = app.order(&o.number).await.expect("order");
        assert_eq!(o2.status, OrderStatus::Shipped);
        assert!(o2.payments.iter().all(|p| p.captured == p.authorized));
        let sent = mails(&app, &o.number).await;
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0].0, MailKind::Shipped);

        // Tracking: typed, then a carrier file; the same file twice changes nothing.
        let (sh, added) = app
            .add_tracking_event(
                &actor(),
                &TrackingInput {
                    reference: "1Z999AA10123456784".into(),
                    kind: "in transit".into(),
                    at: None,
                    place: Some("Chicago, IL".into()),
                    note: None,
                },
            )
            .await
            .expect("in transit");
        assert!(added);
        assert_eq!(sh.status, ShipmentStatus::InTransit);
        let now = Utc::now();
        let csv = format!(
            "Tracking Number,Status,Date,Location\n1Z999AA10123456784,Out for delivery,{},Springfield IL\n\
             1Z999AA10123456784,Delivered,{},Springfield IL\nNOT-A-PARCEL,Delivered,{},x\n",
            (now + Duration::seconds(1)).to_rfc3339(),
            (now + Duration::seconds(2)).to_rfc3339(),
            (now + Duration::seconds(2)).to_rfc3339()
        );
        let r = app
            .import_tracking_csv(&actor(), &csv)
            .await
            .expect("import");
        assert_eq!(r.applied, 2, "{r:?}");
        assert_eq!(r.errors.len(), 1, "{r:?}");
        assert!(r.errors[0].starts_with("line 4:"), "{r:?}");
        let again = app
            .import_tracking_csv(&actor(), &csv)
            .await
            .expect("again");
        assert_eq!((again.applied, again.duplicates), (0, 2));
        let sh = app.shipment(&number).await.expect("shipment");
        assert_eq!(sh.status, ShipmentStatus::Delivered);
        assert!(sh.tracking.len() >= 5, "{:?}", sh.tracking);
        let o3 = app.order(&o.number).await.expect("order");
        assert_eq!(o3.status, OrderStatus::Delivered);
        let kinds: Vec<&str> = o3.events.iter().map(|e| e.kind.as_str()).collect();
        for k in ["picking", "packed", "labelled", "shipped", "tracking"] {
            assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
        }
        assert_ledger_agrees(&app).await;
    }
);

both!(
    a_short_pick_sends_the_missing_units_elsewhere,
    |url: String| async move {
        let app = shop(&url).await;
        let o = app
            .create_order(&actor(), order(&[("A", 3)], None))
            .await
            .expect("order");
        let (_, first, _) = held(&o)[0].clone();
        let pl = app
            .create_pick_list(&actor(), &first, std::slice::from_ref(&o.number), 0)
            .await
            .expect("pick list");
        let number = pl.shipments[0].number.clone();
        app.pack_scan(&number, "A").await.expect("one");
        let e = app
            .finish_packing(&actor(), &number, &[parcel(500)], false)
            .await
            .expect_err("short must be confirmed");
        assert_eq!(e.field(), Some("confirmShort"));
        assert!(e.to_string().contains("2 × A"), "{e}");
        let sh = app
            .finish_packing(&actor(), &number, &[parcel(500)], true)
            .await
            .expect("short pick");
        assert_eq!(sh.units(), 1);
        let o = app.order(&o.number).await.expect("order");
        let here: i64 = held(&o).iter().filter(|h| h.1 == first).map(|h| h.2).sum();
        let elsewhere: i64 = held(&o).iter().filter(|h| h.1 != first).map(|h| h.2).sum();
        assert_eq!((here, elsewhere), (1, 2), "{:?}", held(&o));
        assert!(o.events.iter().any(|e| e.kind == "rerouted"));
        // The re-routed units are ready at the other location.
        let other = held(&o)
            .iter()
            .find(|h| h.1 != first)
            .expect("other")
            .1
            .clone();
        let q = app.work_queues(&other).await.expect("queue");
        assert_eq!(q.ready_to_pick.len(), 1);
        assert_eq!(q.ready_to_pick[0].units, 2);
        assert_ledger_agrees(&app).await;
    }
);

both!(
    a_pickup_is_handed_over_after_a_name_check,
    |url: String| async move {
        let app = shop(&url).await;
        mail_on(&app).await;
        let o = app
            .create_order(&actor(), order(&[("A", 2)], Some("ST-1")))
            .await
            .expect("pick-up order");
        assert_eq!(held(&o), vec![("A".into(), "ST-1".into(), 2)]);
        let q = app.work_queues("ST-1").await.expect("queue");
        assert_eq!(q.ready_to_pick[0].kind, ShipmentKind::Pickup);
        let pl = app
            .create_pick_list(&actor(), "ST-1", &[], 5)
            .await
            .expect("pick list");
        let number = pl.shipments[0].number.clone();
        let e = app
            .hand_over(&actor(), &o.number, "Grace Hopper")
            .await
            .expect_err("not ready");
        assert!(e.to_string().contains("ready"), "{e}");
        app.pack_scan(&number, "A").await.expect("1");
        app.pack_scan(&number, "A").await.expect("2");
        let sh = app
            .finish_packing(&actor(), &number, &[], false)
            .await
            .expect("ready");
        assert_eq!(sh.status, ShipmentStatus::ReadyForPickup);
        assert_eq!(
            app.work_queues("ST-1")
                .await
                .expect("q")
                .ready_for_pickup
                .len(),
            1
        );
        let sent = mails(&app, &o.number).await;
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0].0, MailKind::ReadyForPickup);
        let h = app.pickup_handover(&o.number).await.expect("lookup");
        assert_eq!(h.customer_name.as_deref(), Some("Grace Hopper"));
        assert_eq!(h.units_not_ready, 0);
        let e = app
            .hand_over(&actor(), &o.number, "Ada Lovelace")
            .await
            .expect_err("wrong name");
        assert_eq!(e.field(), Some("name"));
        assert_eq!(on_hand(&app, "A", "ST-1").await, (3, 2));
        let done = app
            .hand_over(&actor(), &o.number, "hopper")
            .await
            .expect("handed over");
        assert_eq!(done.status, OrderStatus::Completed);
        assert_eq!(on_hand(&app, "A", "ST-1").await, (1, 0));
        let o2 = app.order(&o.number).await.expect("order");
        assert!(
            o2.events
                .iter()
                .any(|e| e.kind == "handed_over" && e.summary.contains("hopper"))
        );
        let e = app.pickup_handover("SO-99999").await.expect_err("unknown");
        assert_eq!(e.field(), Some("code"));
        assert_ledger_agrees(&app).await;
    }
);

both!(
    an_uncollected_pickup_goes_back_to_stock,
    |url: String| async move {
        let start = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
        let clock = Arc::new(Manual(Mutex::new(start)));
        let app = shop(&url).await.with_clock(clock.clone());
        let o = app
            .create_order(&actor(), order(&[("A", 1)], Some("ST-1")))
            .await
            .expect("pick-up order");
        let pl = app
            .create_pick_list(&actor(), "ST-1", &[], 5)
            .await
            .expect("pl");
        let number = pl.shipments[0].number.clone();
        app.pack_scan(&number, "A").await.expect("scan");
        app.finish_packing(&actor(), &number, &[], false)
            .await
            .expect("ready");
        assert_eq!(on_hand(&app, "A", "ST-1").await, (3, 1));
        *clock.0.lock().expect("clock") = start + Duration::days(6);
        assert!(
            app.release_uncollected(&actor())
                .await
                .expect("early")
                .is_empty()
        );
        *clock.0.lock().expect("clock") = start + Duration::days(8);
        let released = app.release_uncollected(&actor()).await.expect("release");
        assert_eq!(released, vec![o.number.clone()]);
        assert_eq!(on_hand(&app, "A", "ST-1").await, (3, 0));
        let o = app.order(&o.number).await.expect("order");
        assert_eq!(o.status, OrderStatus::Cancelled);
        assert_eq!(
            app.shipment(&number).await.expect("sh").status,
            ShipmentStatus::Released
        );
        // Late flags: an order due yesterday shows as late.
        assert_ledger_agrees(&app).await;
        let _ = Error::invalid("x", "y");
    }
);

both!(
    local_delivery_numbers_are_generated_and_bad_input_changes_nothing,
    |url: String| async move {
        let app = shop(&url).await;
        let o = app
            .create_order(&actor(), order(&[("A", 1)], None))
            .await
            .expect("order");
        let (_, loc, _) = held(&o)[0].clone();
        let pl = app
            .create_pick_list(&actor(), &loc, &[], 1)
            .await
            .expect("pl");
        let number = pl.shipments[0].number.clone();
        let e = app
            .create_pick_list(&actor(), &loc, std::slice::from_ref(&o.number), 0)
            .await
            .expect_err("already picking");
        assert_eq!(e.field(), Some("orders[0]"));
        app.pack_scan(&number, "A").await.expect("scan");
        let e = app
            .finish_packing(&actor(), &number, &[parcel(0)], false)
            .await
            .expect_err("weightless");
        assert_eq!(e.field(), Some("packages[0].weightGrams"));
        assert_eq!(
            app.shipment(&number).await.expect("sh").status,
            ShipmentStatus::Picking
        );
        app.finish_packing(&actor(), &number, &[parcel(700)], false)
            .await
            .expect("packed");
        let sh = app
            .label_shipment(
                &actor(),
                &number,
                &LabelRequest {
                    carrier: "Local".into(),
                    service: "Same day".into(),
                    tracking_numbers: vec![],
                    generate_local: true,
                    cost: None,
                },
            )
            .await
            .expect("local");
        let t = sh.tracking_number.clone().expect("tracking");
        assert!(t.starts_with("LD"), "{t}");
        // A wrong label is voided (reason required) and made again; the number can be reused.
        let e = app
            .void_label(&actor(), &number, " ")
            .await
            .expect_err("no reason");
        assert_eq!(e.field(), Some("reason"));
        let v = app
            .void_label(&actor(), &number, "wrong service")
            .await
            .expect("void");
        assert_eq!(v.status, ShipmentStatus::Packed);
        assert!(
            v.tracking_number.is_none() && v.packages.iter().all(|p| p.tracking_number.is_none())
        );
        let sh = app
            .label_shipment(
                &actor(),
                &number,
                &LabelRequest {
                    carrier: "Local".into(),
                    service: "Next day".into(),
                    tracking_numbers: vec![t.clone()],
                    generate_local: false,
                    cost: None,
                },
            )
            .await
            .expect("labelled again with the same number");
        assert_eq!(sh.tracking_number.as_deref(), Some(t.as_str()));
        assert!(orderly::domain::tracking::check(&t).valid, "{t}");
        let e = app
            .add_tracking_event(
                &actor(),
                &TrackingInput {
                    reference: t.clone(),
                    kind: "teleported".into(),
                    at: None,
                    place: None,
                    note: None,
                },
            )
            .await
            .expect_err("unknown kind");
        assert_eq!(e.field(), Some("kind"));
        let (sh, _) = app
            .add_tracking_event(
                &actor(),
                &TrackingInput {
                    reference: t,
                    kind: "delivered".into(),
                    at: None,
                    place: None,
                    note: Some("left with neighbour".into()),
                },
            )
            .await
            .expect("delivered");
        // The first carrier event also counts as the hand-over: the stock has left.
        assert_eq!(sh.status, ShipmentStatus::Delivered);
        assert_eq!(
            app.order(&o.number).await.expect("o").status,
            OrderStatus::Delivered
        );
        assert_ledger_agrees(&app).await;
    }
);

fn cli_args(url: &str, list: &[&str]) -> Vec<std::ffi::OsString> {
    ["orderly", "--db", url]
        .iter()
        .chain(list.iter())
        .map(std::ffi::OsString::from)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_takes_an_order_from_pick_to_delivered() {
    let db = crate::support::sqlite();
    let app = shop(&db.url).await;
    let o = app
        .create_order(&actor(), order(&[("B", 2)], None))
        .await
        .expect("order");
    app.close().await;
    let url = db.url.clone();
    let run = |list: Vec<String>| {
        let url = url.clone();
        async move {
            let refs: Vec<&str> = list.iter().map(String::as_str).collect();
            orderly::cli::run(cli_args(&url, &refs)).await
        }
    };
    let ok = std::process::ExitCode::SUCCESS;
    let bad = std::process::ExitCode::from(2);
    let sh = format!("{}-1", o.number);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(run(s(&["fulfil", "bin", "B", "WH-2", "A-01"])).await, ok);
    assert_eq!(run(s(&["fulfil", "queues", "WH-2"])).await, ok);
    assert_eq!(
        run(s(&["fulfil", "pick", "WH-2", "--orders", &o.number])).await,
        ok
    );
    assert_eq!(
        run(s(&["fulfil", "scan", &sh, "P"])).await,
        bad,
        "wrong item"
    );
    assert_eq!(run(s(&["fulfil", "scan", &sh, "B", "B"])).await, ok);
    assert_eq!(
        run(s(&["fulfil", "pack", &sh, "--parcel", "heavy"])).await,
        bad
    );
    assert_eq!(
        run(s(&["fulfil", "pack", &sh, "--parcel", "1100:300x200x100"])).await,
        ok
    );
    assert_eq!(
        run(s(&[
            "fulfil",
            "label",
            &sh,
            "--carrier",
            "FedEx",
            "--service",
            "Ground",
            "--tracking",
            "986578788856"
        ]))
        .await,
        bad,
        "FedEx check digit"
    );
    assert_eq!(
        run(s(&[
            "fulfil",
            "label",
            &sh,
            "--carrier",
            "FedEx",
            "--service",
            "Ground",
            "--tracking",
            "986578788855"
        ]))
        .await,
        ok
    );
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().display().to_string();
    assert_eq!(
        run(s(&[
            "fulfil", "docs", "labels", &sh, "--out", &out, "--format", "zpl"
        ]))
        .await,
        ok
    );
    assert_eq!(
        run(s(&["fulfil", "docs", "slip", &sh, "--out", &out])).await,
        ok
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("read").count(), 2);
    assert_eq!(run(s(&["fulfil", "handover", &sh])).await, ok);
    assert_eq!(
        run(s(&[
            "fulfil",
            "track",
            "986578788855",
            "delivered",
            "--place",
            "Front door"
        ]))
        .await,
        ok
    );
    let app = App::open(&db.url).await.expect("reopen");
    assert_eq!(
        app.order(&o.number).await.expect("o").status,
        OrderStatus::Delivered
    );
    assert_ledger_agrees(&app).await;
}

both!(
    rate_shopping_prices_a_packed_shipment_and_card_carriers_set_the_check_digit,
    |url: String| async move {
        let app = shop(&url).await;
        let cards: orderly::domain::rates::RateCards = serde_json::from_value(serde_json::json!({
            "currency": "USD",
            "carriers": [
                { "code": "UPS", "name": "UPS", "tracking": "ups", "services": [
                    { "code": "GROUND", "name": "Ground", "transitDays": 5,
                      "zones": { "kind": "distance", "bands": [ { "upToKm": 5000, "zone": 1 } ] },
                      "brackets": [ { "upToGrams": 5000, "prices": [900] } ] },
                    { "code": "2DAY", "name": "2nd Day", "transitDays": 2,
                      "zones": { "kind": "distance", "bands": [ { "upToKm": 5000, "zone": 1 } ] },
                      "brackets": [ { "upToGrams": 5000, "prices": [2100] } ] } ] },
                { "code": "RUNNER", "name": "Bike runner", "tracking": "local", "services": [
                    { "code": "SAMEDAY", "name": "Same day", "transitDays": 1,
                      "zones": { "kind": "postalPrefix", "rules": [], "defaultZone": 1 },
                      "brackets": [ { "upToGrams": 3000, "prices": [1500] } ] } ] }
            ]
        }))
        .expect("cards");
        app.save_rate_cards(&actor(), cards, Some("test"))
            .await
            .expect("save cards");
        let o = app
            .create_order(&actor(), order(&[("A", 1)], None))
            .await
            .expect("order");
        let (_, loc, _) = held(&o)[0].clone();
        let pl = app
            .create_pick_list(&actor(), &loc, &[], 1)
            .await
            .expect("pl");
        let number = pl.shipments[0].number.clone();
        let e = app
            .quote_for_shipment(&number)
            .await
            .expect_err("not weighed yet");
        assert!(e.to_string().contains("parcels"), "{e}");
        app.pack_scan(&number, "A").await.expect("scan");
        app.finish_packing(&actor(), &number, &[parcel(900)], false)
            .await
            .expect("packed");
        let shop = app.quote_for_shipment(&number).await.expect("quotes");
        assert!(shop.quotes.len() >= 2, "{shop:?}");
        let chosen = shop.chosen.clone().expect("a service");
        assert_eq!(
            chosen.service_name, "Ground",
            "cheapest without a promise: {shop:?}"
        );
        // The runner's numbers are the shop's own local ones: a UPS number is refused for it.
        let e = app
            .label_shipment(
                &actor(),
                &number,
                &LabelRequest {
                    carrier: "RUNNER".into(),
                    service: "Same day".into(),
                    tracking_numbers: vec!["1Z999AA10123456784".into()],
                    generate_local: false,
                    cost: None,
                },
            )
            .await
            .expect_err("not a local number");
        assert_eq!(e.field(), Some("trackingNumbers[0]"));
        assert_ledger_agrees(&app).await;
    }
);

both!(
    a_dropship_supplier_gets_a_purchase_order_and_its_tracking_closes_it,
    |url: String| async move {
        let app = shop(&url).await;
        let mut ds =
            crate::support::location("DS-1", orderly::domain::catalog::LocationKind::Dropship, 40);
        ds.can_ship = true;
        app.create_location(ds).await.expect("DS-1");
        app.create_product(crate::support::product("D", 4000, false))
            .await
            .expect("D");
        app.receive_stock(
            &actor(),
            orderly::app::ReceiveStock {
                sku: "D".into(),
                location: "DS-1".into(),
                qty: 50,
                note: None,
            },
        )
        .await
        .expect("feed");
        let o = app
            .create_order(&actor(), order(&[("D", 2)], None))
            .await
            .expect("order");
        assert_eq!(held(&o), vec![("D".into(), "DS-1".into(), 2)]);
        let e = app
            .create_pick_list(&actor(), "DS-1", &[], 5)
            .await
            .expect_err("no pick lists at a supplier");
        assert_eq!(e.field(), Some("location"));
        let e = app
            .send_purchase_order(&actor(), "WH-1", &o.number)
            .await
            .expect_err("not a supplier");
        assert_eq!(e.field(), Some("location"));
        mail_on(&app).await;
        let mut fs = app.fulfilment_settings().await.expect("settings");
        fs.supplier_emails
            .insert("ds-1".into(), "not-an-address".into());
        let e = app
            .save_fulfilment_settings(fs.clone())
            .await
            .expect_err("bad address");
        assert_eq!(e.field(), Some("supplierEmails.DS-1"));
        fs.supplier_emails
            .insert("ds-1".into(), "orders@supplier.example".into());
        app.save_fulfilment_settings(fs).await.expect("settings");
        let sh = app
            .send_purchase_order(&actor(), "DS-1", &o.number)
            .await
            .expect("purchase order");
        let sent = mails(&app, &o.number).await;
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0].0, MailKind::PurchaseOrder);
        // Asking again queues nothing more.
        assert!(
            !app.email_purchase_order(&actor(), &sh.number)
                .await
                .expect("again")
        );
        assert_eq!(sh.status, ShipmentStatus::PoSent);
        assert_eq!(sh.kind, ShipmentKind::Dropship);
        let po = app
            .purchase_order_document(&sh.number)
            .await
            .expect("po pdf");
        assert!(po.bytes.starts_with(b"%PDF"));
        assert_eq!(
            app.work_queues("DS-1")
                .await
                .expect("q")
                .waiting_for_carrier
                .len(),
            1
        );
        let e = app
            .dropship_shipped(&actor(), &sh.number, "USPS", "9400111201080805483017")
            .await
            .expect_err("check digit");
        assert_eq!(e.field(), Some("trackingNumber"));
        let sh = app
            .dropship_shipped(&actor(), &sh.number, "USPS", "9400111201080805483016")
            .await
            .expect("shipped");
        assert_eq!(sh.status, ShipmentStatus::Shipped);
        assert_eq!(on_hand(&app, "D", "DS-1").await, (48, 0));
        assert_eq!(
            app.order(&o.number).await.expect("o").status,
            OrderStatus::Shipped
        );
        assert_ledger_agrees(&app).await;
    }
);
