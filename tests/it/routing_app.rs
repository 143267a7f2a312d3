//! Routing inside the shop: capture follows the routing settings in force, plans are stored with
//! their explanation, re-routing after a short pick, pick-up transfers, and backorders allocated
//! oldest first when stock arrives.

use orderly::Error;
use orderly::app::ReceiveStock;
use orderly::domain::order::{LineRequest, OrderRequest, OrderStatus};
use orderly::domain::routing_rules::{ChannelRule, RoutingSettings};

use crate::both;
use crate::support::{actor, address, assert_ledger_agrees, shop};

fn order(channel: &str, lines: &[(&str, i64)]) -> OrderRequest {
    OrderRequest {
        channel: channel.into(),
        ship_to: Some(address("Grace Hopper")),
        lines: lines
            .iter()
            .map(|(sku, qty)| LineRequest {
                sku: (*sku).into(),
                qty: *qty,
                unit_price: None,
                discount: None,
            })
            .collect(),
        ..Default::default()
    }
}

fn held_at(o: &orderly::domain::order::OrderDetail) -> Vec<(String, String, i64)> {
    let mut v: Vec<(String, String, i64)> = o
        .reservations
        .iter()
        .filter(|r| r.state == "reserved")
        .map(|r| (r.sku.clone(), r.location.clone(), r.qty))
        .collect();
    v.sort();
    v
}

both!(
    capture_follows_the_routing_settings_in_force,
    |url: String| async move {
        let app = shop(&url).await;
        assert_eq!(app.routing_settings().await.expect("settings").version, 0);
        // Only WH-1 may ship web orders.
        let mut s = RoutingSettings::default();
        s.channels.push(ChannelRule {
            channel: "web".into(),
            allowed_locations: vec!["wh-1".into()],
            no_split: false,
        });
        let saved = app
            .save_routing_settings(&actor(), s.clone(), Some("web from WH-1 only"))
            .await
            .expect("save");
        assert_eq!(saved.version, 1);
        assert_eq!(saved.settings.channels[0].channel, "WEB");
        // B exists only at WH-2, which web may not use, and B is never backordered: refused.
        let err = app
            .create_order(&actor(), order("web", &[("B", 1)]))
            .await
            .expect_err("B only at a location web may not use");
        assert!(matches!(err, Error::OutOfStock(_)), "{err}");
        let o = app
            .create_order(&actor(), order("web", &[("A", 2)]))
            .await
            .expect("A");
        assert_eq!(held_at(&o), vec![("A".into(), "WH-1".into(), 2)]);
        let route = o.routes.last().expect("route");
        assert_eq!(route.settings_version, 1);
        assert!(
            route
                .plan
                .explanation
                .iter()
                .any(|l| l.contains("WH-2 (not allowed for WEB orders)")),
            "{:?}",
            route.plan.explanation
        );
        // Phone orders are not limited.
        let p = app
            .create_order(&actor(), order("phone", &[("B", 1)]))
            .await
            .expect("phone");
        assert_eq!(held_at(&p), vec![("B".into(), "WH-2".into(), 1)]);
        // Bad settings name the field and save nothing.
        let mut bad = s.clone();
        bad.channels[0].allowed_locations.push("NOWHERE".into());
        let e = app
            .save_routing_settings(&actor(), bad, None)
            .await
            .expect_err("unknown location");
        assert_eq!(e.field(), Some("channels.0.allowedLocations.1"));
        assert_eq!(app.routing_history(10).await.expect("history").len(), 1);
        assert_ledger_agrees(&app).await;
    }
);

both!(
    a_short_pick_is_rerouted_and_then_backordered,
    |url: String| async move {
        let app = shop(&url).await;
        let o = app
            .create_order(&actor(), order("web", &[("A", 2)]))
            .await
            .expect("order");
        let first = held_at(&o)[0].1.clone();
        let other = if first == "WH-1" { "WH-2" } else { "WH-1" };
        let err = app
            .reroute(&actor(), &o.number, &first, " ")
            .await
            .expect_err("no reason");
        assert_eq!(err.field(), Some("reason"));
        let o = app
            .reroute(&actor(), &o.number, &first, "short pick: shelf empty")
            .await
            .expect("reroute");
        assert_eq!(held_at(&o), vec![("A".into(), other.to_owned(), 2)]);
        assert_eq!(o.routes.len(), 2);
        assert_eq!(o.routes[1].kind, "reroute");
        assert!(
            o.events
                .iter()
                .any(|e| e.kind == "rerouted" && e.summary.contains("short pick"))
        );
        // The other warehouse fails too: nothing else ships (ST-1 does not), so it waits.
        let o = app
            .reroute(&actor(), &o.number, other, "damaged in the bin")
            .await
            .expect("reroute again");
        assert!(held_at(&o).is_empty());
        assert_eq!(o.status, OrderStatus::Backordered);
        assert_eq!(o.lines[0].backordered, 2);
        let err = app
            .reroute(&actor(), &o.number, other, "again")
            .await
            .expect_err("nothing held there any more");
        assert_eq!(err.field(), Some("location"));
        // Stock arriving anywhere that ships fills it again.
        app.receive_stock(
            &actor(),
            ReceiveStock {
                sku: "A".into(),
                location: "WH-1".into(),
                qty: 1,
                note: None,
            },
        )
        .await
        .expect("receive");
        let o = app.order(&o.number).await.expect("reload");
        assert_eq!(
            o.lines[0].backordered, 0,
            "WH-1 had 5 + 1 free again: all 2 allocated"
        );
        assert_eq!(o.status, OrderStatus::Open);
        assert_ledger_agrees(&app).await;
    }
);

both!(
    backorders_are_allocated_oldest_order_first,
    |url: String| async move {
        let app = shop(&url).await;
        let first = app
            .create_order(&actor(), order("web", &[("P", 2)]))
            .await
            .expect("first");
        let second = app
            .create_order(&actor(), order("phone", &[("P", 2)]))
            .await
            .expect("second");
        assert_eq!(first.status, OrderStatus::Backordered);
        assert_eq!(second.status, OrderStatus::Backordered);
        app.receive_stock(
            &actor(),
            ReceiveStock {
                sku: "P".into(),
                location: "WH-2".into(),
                qty: 3,
                note: Some("PO 17".into()),
            },
        )
        .await
        .expect("receive");
        let first = app.order(&first.number).await.expect("first");
        let second = app.order(&second.number).await.expect("second");
        assert_eq!(first.status, OrderStatus::Open);
        assert_eq!(held_at(&first), vec![("P".into(), "WH-2".into(), 2)]);
        assert!(first.events.iter().any(|e| e.kind == "allocated"));
        assert_eq!(second.status, OrderStatus::Backordered);
        assert_eq!(second.lines[0].backordered, 1);
        assert_eq!(held_at(&second), vec![("P".into(), "WH-2".into(), 1)]);
        assert_ledger_agrees(&app).await;
    }
);

both!(
    a_pickup_short_at_its_store_is_topped_up_by_transfer,
    |url: String| async move {
        let app = shop(&url).await;
        let req = OrderRequest {
            channel: "phone".into(),
            pickup_location: Some("ST-1".into()),
            lines: vec![LineRequest {
                sku: "A".into(),
                qty: 5,
                unit_price: None,
                discount: None,
            }],
            ..Default::default()
        };
        let o = app.create_order(&actor(), req).await.expect("pickup");
        let held = held_at(&o);
        assert!(held.contains(&("A".into(), "ST-1".into(), 3)), "{held:?}");
        assert_eq!(held.iter().map(|h| h.2).sum::<i64>(), 5);
        let plan = &o.routes.last().expect("route").plan;
        let transfer = plan
            .shipments
            .iter()
            .find(|s| s.transfer_to.is_some())
            .expect("a transfer");
        assert_eq!(transfer.transfer_to.as_deref(), Some("ST-1"));
        assert_eq!(transfer.lines[0].qty, 2);
        assert!(
            o.events
                .iter()
                .any(|e| e.summary.contains("for transfer to ST-1"))
        );
        assert_ledger_agrees(&app).await;
    }
);
