//! Stock operations: receive, adjust, transfer (immediate and in transit), safety stock, verify.

use orderly::app::{AdjustStock, ReceiveStock, TransferStock};

use crate::both;
use crate::support::{actor, assert_ledger_agrees, shop};

both!(
    receive_adjust_and_transfer_keep_the_ledger_true,
    |url: String| async move {
        let app = shop(&url).await;
        let b = app
            .receive_stock(
                &actor(),
                ReceiveStock {
                    sku: "a".into(),
                    location: "wh-1".into(),
                    qty: 7,
                    note: Some("PO-1".into()),
                },
            )
            .await
            .expect("receive");
        assert_eq!((b.on_hand, b.reserved, b.available()), (12, 0, 12));

        let b = app
            .adjust_stock(
                &actor(),
                AdjustStock {
                    sku: "A".into(),
                    location: "WH-1".into(),
                    delta: -2,
                    reason: "damaged".into(),
                    note: None,
                },
            )
            .await
            .expect("adjust");
        assert_eq!(b.on_hand, 10);
        let err = app
            .adjust_stock(
                &actor(),
                AdjustStock {
                    sku: "A".into(),
                    location: "WH-1".into(),
                    delta: -1,
                    reason: "stolen".into(),
                    note: None,
                },
            )
            .await
            .expect_err("unknown reason");
        assert_eq!(err.field(), Some("reason"));
        let err = app
            .adjust_stock(
                &actor(),
                AdjustStock {
                    sku: "A".into(),
                    location: "WH-1".into(),
                    delta: -11,
                    reason: "count".into(),
                    note: None,
                },
            )
            .await
            .expect_err("below zero");
        assert_eq!(err.field(), Some("delta"));

        // Immediate transfer.
        let t = app
            .transfer_stock(
                &actor(),
                TransferStock {
                    sku: "A".into(),
                    from: "WH-1".into(),
                    to: "ST-1".into(),
                    qty: 4,
                    arrived: true,
                },
            )
            .await
            .expect("transfer");
        assert!(t.received_at.is_some());
        // In transit: out of WH-2 now, incoming at ST-1 until received.
        let t = app
            .transfer_stock(
                &actor(),
                TransferStock {
                    sku: "A".into(),
                    from: "WH-2".into(),
                    to: "ST-1".into(),
                    qty: 3,
                    arrived: false,
                },
            )
            .await
            .expect("transfer");
        let st = app
            .balances(Some("A"), Some("ST-1"), 0, 10)
            .await
            .expect("bal")
            .rows
            .remove(0);
        assert_eq!((st.on_hand, st.incoming), (3 + 4, 3));
        assert_eq!(app.transfers(true).await.expect("open").len(), 1);
        app.receive_transfer(&actor(), t.id)
            .await
            .expect("receive transfer");
        assert!(
            app.receive_transfer(&actor(), t.id).await.is_err(),
            "a transfer is received once"
        );
        let st = app
            .balances(Some("A"), Some("ST-1"), 0, 10)
            .await
            .expect("bal")
            .rows
            .remove(0);
        assert_eq!((st.on_hand, st.incoming), (10, 0));
        assert!(app.transfers(true).await.expect("open").is_empty());

        let err = app
            .transfer_stock(
                &actor(),
                TransferStock {
                    sku: "B".into(),
                    from: "WH-2".into(),
                    to: "WH-1".into(),
                    qty: 5,
                    arrived: true,
                },
            )
            .await
            .expect_err("only 4");
        assert_eq!(err.field(), Some("qty"));
        let err = app
            .transfer_stock(
                &actor(),
                TransferStock {
                    sku: "B".into(),
                    from: "WH-2".into(),
                    to: "WH-2".into(),
                    qty: 1,
                    arrived: true,
                },
            )
            .await
            .expect_err("same place");
        assert_eq!(err.field(), Some("to"));

        let moves = app.movements("A", Some("ST-1")).await.expect("movements");
        assert!(
            moves
                .iter()
                .any(|m| m.kind == "transfer_in_transit" && m.incoming_delta == 3)
        );
        assert!(moves.iter().all(|m| m.actor == "test"));
        assert_ledger_agrees(&app).await;
    }
);

both!(
    safety_stock_and_channel_buffers_hold_units_back,
    |url: String| async move {
        use orderly::domain::order::{LineRequest, OrderRequest};
        let app = shop(&url).await;
        // B: 4 at WH-2. Keep 1 back at WH-2; the marketplace channel also keeps 2 back.
        let b = app.set_safety_stock("B", "WH-2", 1).await.expect("safety");
        assert_eq!(b.available(), 3);
        let order = |channel: &str, qty: i64| OrderRequest {
            channel: channel.into(),
            ship_to: Some(crate::support::address("x")),
            lines: vec![LineRequest {
                sku: "B".into(),
                qty,
                unit_price: None,
                discount: None,
            }],
            ..Default::default()
        };
        assert!(
            app.create_order(&actor(), order("marketplace", 2))
                .await
                .is_err(),
            "4 - 1 safety - 2 buffer = 1"
        );
        app.create_order(&actor(), order("marketplace", 1))
            .await
            .expect("one is fine");
        assert!(
            app.create_order(&actor(), order("web", 3)).await.is_err(),
            "2 sellable left for web"
        );
        app.create_order(&actor(), order("web", 2))
            .await
            .expect("web takes 2");
        assert_ledger_agrees(&app).await;
    }
);

both!(
    verify_reports_a_tampered_balance,
    |url: String| async move {
        let app = shop(&url).await;
        assert_ledger_agrees(&app).await;
        match app.db() {
            orderly::db::Db::Sqlite { pool, .. } => {
                sqlx::query("UPDATE stock_balances SET on_hand = on_hand + 1 WHERE on_hand = 5")
                    .execute(pool)
                    .await
                    .expect("tamper");
            }
            orderly::db::Db::Postgres { pool, .. } => {
                sqlx::query("UPDATE stock_balances SET on_hand = on_hand + 1 WHERE on_hand = 5")
                    .execute(pool)
                    .await
                    .expect("tamper");
            }
        }
        let report = app.verify().await.expect("verify");
        assert_eq!(report.differences.len(), 1);
        assert_eq!(report.differences[0].field, "on_hand");
        assert_eq!(
            (
                report.differences[0].stored,
                report.differences[0].from_ledger
            ),
            (6, 5)
        );
        // The ledger itself cannot be edited.
        let edit = match app.db() {
            orderly::db::Db::Sqlite { pool, .. } => {
                sqlx::query("UPDATE stock_movements SET on_hand_delta = 0")
                    .execute(pool)
                    .await
                    .is_err()
            }
            orderly::db::Db::Postgres { pool, .. } => {
                sqlx::query("UPDATE stock_movements SET on_hand_delta = 0")
                    .execute(pool)
                    .await
                    .is_err()
            }
        };
        assert!(edit, "stock_movements is append-only");
    }
);
