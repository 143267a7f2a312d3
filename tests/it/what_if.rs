//! The routing what-if: the last orders replayed under the settings in force and under proposed
//! ones, from the same stock, with the planner capture uses.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use orderly::App;
use orderly::app::routing::geocode;
use orderly::app::what_if::PlanOutline;
use orderly::app::{Clock, ReceiveStock};
use orderly::domain::catalog::LocationKind;
use orderly::domain::order::{LineRequest, OrderRequest, PaymentRequest};
use orderly::domain::routing_rules::{ChannelRule, LocationRule, RoutingSettings};
use orderly::routing::{Point, haversine_km, round_half_away};

use crate::both;
use crate::support::{actor, address, location, product};

struct Fixed(DateTime<Utc>);

impl Clock for Fixed {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// WH-1 next to the customers (Springfield, IL), WH-2 far away (Philadelphia), store ST-1 in
/// Springfield. Every location charges 4.50 + 0.80/kg + 0.20/km; A and B weigh 0.5 kg.
async fn shop(url: &str) -> App {
    let app = App::open(url).await.expect("open database");
    let app = app.with_clock(Arc::new(Fixed(
        Utc.with_ymd_and_hms(2026, 11, 20, 15, 0, 0).unwrap(),
    )));
    for (code, kind, lat, lon) in [
        ("WH-1", LocationKind::Warehouse, 39.80, -89.64),
        ("WH-2", LocationKind::Warehouse, 39.95, -75.17),
        ("ST-1", LocationKind::Store, 39.78, -89.65),
    ] {
        let mut l = location(code, kind, 10);
        l.latitude = lat;
        l.longitude = lon;
        app.create_location(l).await.expect("location");
    }
    for sku in ["A", "B"] {
        app.create_product(product(sku, 1000, false))
            .await
            .expect("product");
    }
    for (sku, loc, qty) in [
        ("A", "WH-1", 6),
        ("A", "WH-2", 20),
        ("A", "ST-1", 5),
        ("B", "WH-1", 10),
        ("B", "WH-2", 10),
    ] {
        let r = ReceiveStock {
            sku: sku.into(),
            location: loc.into(),
            qty,
            note: None,
        };
        app.receive_stock(&actor(), r).await.expect("receive");
    }
    app
}

fn order(channel: &str, sku: &str, qty: i64) -> OrderRequest {
    OrderRequest {
        channel: channel.into(),
        ship_to: Some(address("Ada Lovelace")),
        lines: vec![LineRequest {
            sku: sku.into(),
            qty,
            unit_price: None,
            discount: None,
        }],
        ..Default::default()
    }
}

/// What a parcel of `units` × 0.5 kg from a location at (lat, lon) to the customers costs.
fn cost(from: (f64, f64), units: i64) -> i64 {
    let to = geocode(&address("x")).expect("62701 is on the map");
    let km = haversine_km(
        Point {
            lat: from.0,
            lon: from.1,
        },
        to,
    );
    round_half_away(450.0 + 80.0 * 0.5 * units as f64 + 0.2 * km)
}

const WH1: (f64, f64) = (39.80, -89.64);
const WH2: (f64, f64) = (39.95, -75.17);

fn locations(o: &PlanOutline) -> Vec<&str> {
    o.locations.iter().map(String::as_str).collect()
}

both!(
    a_web_rule_moves_web_orders_and_leaves_the_rest,
    |url: String| async move {
        let app = shop(&url).await;
        let a = actor();
        let o1 = app
            .create_order(&a, order("web", "A", 2))
            .await
            .expect("o1");
        let o2 = app
            .create_order(&a, order("phone", "B", 1))
            .await
            .expect("o2");
        // A counter sale: leaves from the counter whatever the settings, so it is not replayed.
        let mut sale = order("counter", "A", 1);
        sale.ship_to = None;
        sale.pickup_location = Some("ST-1".into());
        sale.take_away = true;
        sale.payment = Some(PaymentRequest {
            method: "cash".into(),
            captured: true,
        });
        app.create_order(&a, sale).await.expect("counter sale");
        let mut pickup = order("web", "A", 1);
        pickup.ship_to = None;
        pickup.pickup_location = Some("ST-1".into());
        let o4 = app.create_order(&a, pickup).await.expect("pick-up");
        let o5 = app
            .create_order(&a, order("web", "A", 3))
            .await
            .expect("o5");
        let o6 = app
            .create_order(&a, order("web", "A", 2))
            .await
            .expect("o6");

        let current = app.routing_settings().await.expect("settings").settings;
        let mut proposed = current.clone();
        proposed.channels.push(ChannelRule {
            channel: "web".into(),
            allowed_locations: vec!["wh-2".into()],
            no_split: false,
        });
        let r = app.what_if(proposed, 200).await.expect("what-if");

        assert_eq!(r.currency, "USD");
        assert_eq!(r.current_version, 0);
        assert_eq!(r.proposed_settings.channels[0].channel, "WEB");
        assert_eq!(r.orders, 5, "the counter sale is not replayed");
        assert_eq!(r.first_order.as_deref(), Some(o1.number.as_str()));
        assert_eq!(r.last_order.as_deref(), Some(o6.number.as_str()));

        // Current: WH-1 is nearest and ships o1, o2 and o5 (2 + 3 of its 6 A); with 1 A left
        // there, o6 goes whole from WH-2 rather than in two parcels. The pick-up is at the store.
        // Proposed: web parcels only from WH-2; the phone order and the pick-up do not move.
        let want_current = cost(WH1, 2) + cost(WH1, 1) + cost(WH1, 3) + cost(WH2, 2);
        let want_proposed = cost(WH2, 2) + cost(WH1, 1) + cost(WH2, 3) + cost(WH2, 2);
        assert_eq!(r.current.shipping_cost, want_current);
        assert_eq!(r.proposed.shipping_cost, want_proposed);
        assert!(r.proposed.shipping_cost > r.current.shipping_cost);
        for side in [&r.current, &r.proposed] {
            assert_eq!(side.orders, 5);
            assert_eq!(side.shipments, 5);
            assert_eq!(side.split_orders, 0);
            assert_eq!(side.split_rate, 0.0);
            assert_eq!(side.backordered_units, 0);
            assert_eq!(side.backordered_orders, 0);
        }
        assert!(
            r.proposed.average_delivery_days > r.current.average_delivery_days,
            "{:?} vs {:?}",
            r.current,
            r.proposed
        );

        assert_eq!(r.changed_orders, 2);
        let changed: Vec<&str> = r.changed.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(changed, [o1.number.as_str(), o5.number.as_str()]);
        assert_eq!(locations(&r.changed[0].current), ["WH-1"]);
        assert_eq!(locations(&r.changed[0].proposed), ["WH-2"]);
        assert_eq!(r.changed[0].current.shipping_cost, cost(WH1, 2));
        assert_eq!(r.changed[0].proposed.shipping_cost, cost(WH2, 2));
        assert!(r.changed[1].proposed.days > r.changed[1].current.days);
        assert!(!changed.contains(&o2.number.as_str()));
        assert!(!changed.contains(&o4.number.as_str()));
        assert!(!changed.contains(&o6.number.as_str()));

        // The same settings on both sides change nothing; the replay is deterministic.
        let same = app.what_if(current.clone(), 200).await.expect("same");
        assert_eq!(same.changed_orders, 0);
        assert_eq!(same.current, same.proposed);
        assert_eq!(same.current, r.current);

        // Only the last N orders.
        let last2 = app.what_if(current.clone(), 2).await.expect("last 2");
        assert_eq!(last2.orders, 2);
        assert_eq!(last2.first_order.as_deref(), Some(o5.number.as_str()));

        // A daily capacity of one shipment at WH-1: o1 takes it, o2 and o5 go to WH-2 that day.
        let mut capped = current.clone();
        capped.locations.push(LocationRule {
            location: "WH-1".into(),
            daily_capacity: Some(1),
            keep_units: 0,
            handling_days: 1,
        });
        let c = app.what_if(capped, 200).await.expect("capacity");
        let moved: Vec<&str> = c.changed.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(moved, [o2.number.as_str(), o5.number.as_str()]);
        assert_eq!(locations(&c.changed[0].proposed), ["WH-2"]);
    }
);

both!(
    proposed_settings_are_checked_before_anything_runs,
    |url: String| async move {
        let app = shop(&url).await;
        let mut bad = RoutingSettings::default();
        bad.channels.push(ChannelRule {
            channel: "WEB".into(),
            allowed_locations: vec!["WH-2".into(), "NOWHERE".into()],
            no_split: false,
        });
        let e = app.what_if(bad, 200).await.expect_err("unknown location");
        assert_eq!(e.field(), Some("channels.0.allowedLocations.1"));
        assert!(e.to_string().contains("NOWHERE"), "{e}");

        let e = app
            .what_if(RoutingSettings::default(), 0)
            .await
            .expect_err("no orders");
        assert_eq!(e.field(), Some("lastOrders"));

        // No orders yet: an empty, valid report.
        let r = app
            .what_if(RoutingSettings::default(), 200)
            .await
            .expect("empty");
        assert_eq!(r.orders, 0);
        assert_eq!(r.current.average_delivery_days, 0.0);
        assert!(r.changed.is_empty());
    }
);

/// Speed on a demo shop of 1,600 orders (over 1,000 of them not counter sales): `cargo test
/// --release --test it what_if_speed -- --ignored --nocapture`. Not run by default: it loads the
/// demo first and means nothing in a debug build.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn what_if_speed_on_the_demo_shop() {
    let db = crate::support::sqlite();
    let app = App::open(&db.url).await.expect("open");
    let size = orderly::demo::DemoSize {
        customers: 150,
        orders: 1_600,
    };
    orderly::demo::load(&app, size).await.expect("demo");
    let mut proposed = app.routing_settings().await.expect("settings").settings;
    proposed.objective = orderly::domain::routing_rules::RoutingObjective::Fastest;
    for n in [200, 1000] {
        let mut best = std::time::Duration::MAX;
        for _ in 0..3 {
            let t = std::time::Instant::now();
            let r = app.what_if(proposed.clone(), n).await.expect("what-if");
            best = best.min(t.elapsed());
            assert_eq!(r.orders, n);
        }
        println!("what-if over {n} orders: {best:?} (best of 3)");
    }
}
