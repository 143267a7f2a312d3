//! Capturing orders: pricing, reservation, idempotency, validation, backorders, status changes.

use orderly::Error;
use orderly::domain::order::{LineRequest, OrderQuery, OrderRequest, OrderStatus, PaymentRequest};

use crate::both;
use crate::support::{actor, address, assert_ledger_agrees, shop};

fn web_order(lines: &[(&str, i64)]) -> OrderRequest {
    OrderRequest {
        channel: "web".into(),
        ship_to: Some(address("Ada Lovelace")),
        lines: lines
            .iter()
            .map(|(sku, qty)| LineRequest {
                sku: (*sku).into(),
                qty: *qty,
                unit_price: None,
                discount: None,
            })
            .collect(),
        shipping_charge: Some(595),
        tax_rate_bp: Some(1000),
        payment: Some(PaymentRequest {
            method: "card".into(),
            captured: false,
        }),
        ..Default::default()
    }
}

async fn balance(app: &orderly::App, sku: &str, loc: &str) -> (i64, i64) {
    let page = app
        .balances(Some(sku), Some(loc), 0, 10)
        .await
        .expect("balances");
    page.rows
        .iter()
        .find(|b| b.sku == sku)
        .map(|b| (b.on_hand, b.reserved))
        .unwrap_or((0, 0))
}

both!(
    prices_reserves_and_records_an_order,
    |url: String| async move {
        let app = shop(&url).await;
        let mut req = web_order(&[("A", 2), ("B", 1)]);
        req.lines[1].discount = Some(50);
        let o = app.create_order(&actor(), req).await.expect("order");
        assert!(o.number.starts_with("SO-"));
        assert_eq!(o.status, OrderStatus::Open);
        assert_eq!(o.totals.subtotal, 2550);
        assert_eq!(o.totals.discount, 50);
        // 10% tax on 2000 + 500 + shipping 595.
        assert_eq!(o.totals.tax, 200 + 50 + 60);
        assert_eq!(o.totals.total, 2550 - 50 + 595 + 310);
        assert_eq!(o.payments[0].authorized, o.totals.total);
        assert_eq!(o.payments[0].captured, 0);
        // B only exists at WH-2, which also holds A: one parcel from WH-2 is cheaper than two.
        let at: Vec<(String, String, i64)> = o
            .reservations
            .iter()
            .map(|r| (r.sku.clone(), r.location.clone(), r.qty))
            .collect();
        assert!(at.contains(&("A".into(), "WH-2".into(), 2)), "{at:?}");
        assert!(at.contains(&("B".into(), "WH-2".into(), 1)), "{at:?}");
        assert_eq!(balance(&app, "A", "WH-2").await, (10, 2));
        assert_eq!(balance(&app, "A", "WH-1").await, (5, 0));
        // The plan and why are on the order.
        let route = o.routes.last().expect("a route");
        assert_eq!(route.kind, "capture");
        assert_eq!(route.plan.shipments.len(), 1);
        assert_eq!(route.plan.shipments[0].location, "WH-2");
        assert!(
            route.plan.explanation.iter().any(|l| l.contains("WH-1")),
            "{:?}",
            route.plan.explanation
        );
        let again = app.order(&o.number).await.expect("reload");
        assert_eq!(
            again.routes, o.routes,
            "what capture returns is what was stored"
        );
        assert_eq!(again.events, o.events);
        assert_eq!(again.reservations, o.reservations);
        assert_eq!(again.lines, o.lines);
        let kinds: Vec<&str> = o.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "reserved").count(), 2);
        assert!(kinds.contains(&"created") && kinds.contains(&"payment"));
        assert!(o.events.iter().all(|e| e.actor == "test"));
        // The same order is found again by number and in the list.
        let again = app.order(&o.number).await.expect("show");
        assert_eq!(again, o);
        let page = app
            .list_orders(&OrderQuery {
                search: Some("ada".into()),
                limit: 10,
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(
            page.total, 0,
            "no customer was given, so a name search finds nothing"
        );
        let page = app
            .list_orders(&OrderQuery {
                search: Some(o.number.clone()),
                limit: 10,
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(page.rows.len(), 1);
        assert_ledger_agrees(&app).await;
    }
);

both!(
    a_repeated_channel_reference_returns_the_first_order,
    |url: String| async move {
        let app = shop(&url).await;
        let mut req = web_order(&[("A", 1)]);
        req.channel_ref = Some("W-1001".into());
        let first = app
            .create_order(&actor(), req.clone())
            .await
            .expect("first");
        let second = app.create_order(&actor(), req).await.expect("second");
        assert_eq!(first.id, second.id);
        assert_eq!(balance(&app, "A", "WH-1").await, (5, 1), "reserved once");
        let all = app
            .list_orders(&OrderQuery {
                limit: 100,
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(all.total, 1);
    }
);

both!(
    bad_input_names_the_field_and_writes_nothing,
    |url: String| async move {
        let app = shop(&url).await;
        let cases: Vec<(OrderRequest, &str)> = vec![
            (web_order(&[]), "lines"),
            (web_order(&[("NOPE", 1)]), "lines.0.sku"),
            (web_order(&[("A", 1), ("B", 0)]), "lines.1.qty"),
            (
                OrderRequest {
                    channel: "fax".into(),
                    ..web_order(&[("A", 1)])
                },
                "channel",
            ),
            (
                OrderRequest {
                    ship_to: None,
                    ..web_order(&[("A", 1)])
                },
                "shipTo",
            ),
            (
                OrderRequest {
                    ship_to: Some(orderly::domain::address::Address {
                        country: "USA".into(),
                        ..address("x")
                    }),
                    ..web_order(&[("A", 1)])
                },
                "shipTo.country",
            ),
            (
                OrderRequest {
                    tax_rate_bp: Some(20_000),
                    ..web_order(&[("A", 1)])
                },
                "taxRateBp",
            ),
            (
                OrderRequest {
                    pickup_location: Some("WH-1".into()),
                    ..web_order(&[("A", 1)])
                },
                "pickupLocation",
            ),
        ];
        for (req, field) in cases {
            let err = app
                .create_order(&actor(), req)
                .await
                .expect_err("must be refused");
            assert_eq!(err.field(), Some(field), "{err}");
            assert!(!err.user_message().is_empty());
        }
        let all = app
            .list_orders(&OrderQuery {
                limit: 100,
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(all.total, 0);
        assert_eq!(balance(&app, "A", "WH-1").await, (5, 0));
        assert_ledger_agrees(&app).await;
    }
);

both!(
    short_stock_refuses_or_backorders,
    |url: String| async move {
        let app = shop(&url).await;
        // B has 4 in all: asking 5 is refused, listing B, and nothing of A is kept reserved.
        let err = app
            .create_order(&actor(), web_order(&[("A", 1), ("B", 5)]))
            .await
            .expect_err("short");
        match &err {
            Error::OutOfStock(short) => {
                assert_eq!(short.len(), 1);
                assert_eq!(short[0].sku, "B");
                assert_eq!(short[0].requested, 5);
                assert_eq!(short[0].available, 4);
            }
            other => panic!("expected out of stock, got {other}"),
        }
        assert!(err.user_message().contains('B'));
        assert_eq!(balance(&app, "A", "WH-1").await, (5, 0));
        // P allows backorders: the order is taken and waits.
        let o = app
            .create_order(&actor(), web_order(&[("P", 2)]))
            .await
            .expect("backorder");
        assert_eq!(o.status, OrderStatus::Backordered);
        assert_eq!(o.lines[0].backordered, 2);
        assert!(o.reservations.is_empty());
        assert!(
            app.change_status(&actor(), &o.number, OrderStatus::Shipped, None)
                .await
                .is_err()
        );
        assert_ledger_agrees(&app).await;
    }
);

both!(
    cancel_releases_and_ship_takes_stock_out,
    |url: String| async move {
        let app = shop(&url).await;
        let o = app
            .create_order(&actor(), web_order(&[("A", 3)]))
            .await
            .expect("order");
        assert_eq!(balance(&app, "A", "WH-1").await, (5, 3));
        let err = app
            .change_status(&actor(), &o.number, OrderStatus::Cancelled, None)
            .await
            .expect_err("needs reason");
        assert_eq!(err.field(), Some("reason"));
        let c = app
            .change_status(
                &actor(),
                &o.number,
                OrderStatus::Cancelled,
                Some("customer asked"),
            )
            .await
            .expect("cancel");
        assert_eq!(c.status, OrderStatus::Cancelled);
        assert!(c.reservations.iter().all(|r| r.state == "released"));
        assert_eq!(balance(&app, "A", "WH-1").await, (5, 0));
        assert!(
            c.events
                .iter()
                .any(|e| e.kind == "cancelled" && e.summary.contains("customer asked"))
        );
        // A cancelled order cannot be cancelled again (no double release).
        assert!(
            app.change_status(&actor(), &o.number, OrderStatus::Cancelled, Some("again"))
                .await
                .is_err()
        );

        let o = app
            .create_order(&actor(), web_order(&[("A", 2)]))
            .await
            .expect("order");
        let s = app
            .change_status(&actor(), &o.number, OrderStatus::Shipped, None)
            .await
            .expect("ship");
        assert_eq!(s.status, OrderStatus::Shipped);
        assert_eq!(s.payments[0].captured, s.totals.total);
        assert_eq!(balance(&app, "A", "WH-1").await, (3, 0));
        let d = app
            .change_status(&actor(), &o.number, OrderStatus::Delivered, None)
            .await
            .expect("deliver");
        assert!(d.next_is_empty());
        assert_ledger_agrees(&app).await;
    }
);

trait NextEmpty {
    fn next_is_empty(&self) -> bool;
}
impl NextEmpty for orderly::domain::order::OrderDetail {
    fn next_is_empty(&self) -> bool {
        self.status.next().is_empty()
    }
}

both!(
    counter_sale_takes_stock_from_the_store_at_once,
    |url: String| async move {
        let app = shop(&url).await;
        let req = OrderRequest {
            channel: "counter".into(),
            pickup_location: Some("ST-1".into()),
            take_away: true,
            lines: vec![LineRequest {
                sku: "A".into(),
                qty: 2,
                unit_price: Some(900),
                discount: None,
            }],
            payment: Some(PaymentRequest {
                method: "cash".into(),
                captured: true,
            }),
            ..Default::default()
        };
        let o = app.create_order(&actor(), req.clone()).await.expect("sale");
        assert_eq!(o.status, OrderStatus::Completed);
        assert_eq!(o.totals.subtotal, 1800);
        assert_eq!(balance(&app, "A", "ST-1").await, (1, 0));
        // The store has 1 left: a take-away of 2 cannot come from a warehouse.
        let err = app
            .create_order(&actor(), req)
            .await
            .expect_err("short at store");
        assert!(matches!(err, Error::OutOfStock(_)));
        assert_ledger_agrees(&app).await;
    }
);

both!(
    customers_are_created_with_the_order_and_found_by_search,
    |url: String| async move {
        let app = shop(&url).await;
        let mut req = web_order(&[("A", 1)]);
        req.customer = Some(orderly::domain::catalog::CustomerDraft {
            name: "Grace Hopper".into(),
            email: Some("Grace@Example.com".into()),
            phone: Some("+1 (555) 010-2030".into()),
            address: None,
        });
        let o = app.create_order(&actor(), req).await.expect("order");
        let c = o.customer.expect("customer on the order");
        assert_eq!(c.email.as_deref(), Some("grace@example.com"));
        assert_eq!(c.phone.as_deref(), Some("+15550102030"));
        // A customer on the phone gives their family name as often as their first.
        for q in ["hop", "Hopper"] {
            let found = app.search_customers(q).await.expect("search");
            assert_eq!(found.len(), 1, "family-name search {q}");
            assert_eq!(found[0].name, "Grace Hopper");
        }
        assert!(
            app.search_customers("rac")
                .await
                .expect("search")
                .is_empty()
        );
        for q in ["gra", "grace@ex", "555 010 2030", "2030"] {
            let found = app.search_customers(q).await.expect("search");
            assert_eq!(found.len(), 1, "search {q}");
            let page = app
                .list_orders(&OrderQuery {
                    search: Some(q.into()),
                    limit: 10,
                    ..Default::default()
                })
                .await
                .expect("list");
            assert_eq!(page.total, 1, "order search {q}");
        }
        let mut bad = web_order(&[("A", 1)]);
        bad.customer = Some(orderly::domain::catalog::CustomerDraft {
            name: "X".into(),
            email: Some("nope".into()),
            ..Default::default()
        });
        assert_eq!(
            app.create_order(&actor(), bad)
                .await
                .expect_err("bad email")
                .field(),
            Some("customer.email")
        );
    }
);

both!(
    channels_can_be_added_and_their_buffer_changed,
    |url: String| async move {
        let app = shop(&url).await;
        let ch = app
            .create_channel("ebay", "eBay", 3)
            .await
            .expect("channel");
        assert_eq!(ch.code, "EBAY");
        assert_eq!(
            app.create_channel("EBAY", "again", 0)
                .await
                .expect_err("duplicate")
                .field(),
            Some("code")
        );
        assert_eq!(
            app.create_channel("x y", "bad", 0)
                .await
                .expect_err("bad code")
                .field(),
            Some("code")
        );
        let ch = app
            .update_channel("ebay", "eBay US", 0)
            .await
            .expect("update");
        assert_eq!((ch.name.as_str(), ch.safety_stock), ("eBay US", 0));
        let mut req = web_order(&[("B", 4)]);
        req.channel = "ebay".into();
        app.create_order(&actor(), req)
            .await
            .expect("the whole stock sells with no buffer");
    }
);
