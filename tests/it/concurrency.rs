//! No overselling under concurrency: many buyers at once for little stock, as tasks in one process
//! and as separate processes on one SQLite file.

use std::sync::Arc;

use orderly::App;
use orderly::app::ReceiveStock;
use orderly::domain::catalog::LocationKind;
use orderly::domain::order::{LineRequest, OrderRequest};

use crate::both;
use crate::support::{actor, address, assert_ledger_agrees, location, product};

fn buy(sku: &str, qty: i64) -> OrderRequest {
    OrderRequest {
        channel: "web".into(),
        ship_to: Some(address("Buyer")),
        lines: vec![LineRequest {
            sku: sku.into(),
            qty,
            unit_price: None,
            discount: None,
        }],
        ..Default::default()
    }
}

async fn hot_shop(url: &str, stock: i64) -> App {
    let app = App::open(url).await.expect("open");
    app.create_location(location("WH-1", LocationKind::Warehouse, 10))
        .await
        .expect("loc");
    app.create_location(location("WH-2", LocationKind::Warehouse, 20))
        .await
        .expect("loc");
    app.create_product(product("HOT", 100, false))
        .await
        .expect("product");
    app.create_product(product("COLD", 100, false))
        .await
        .expect("product");
    for (loc, qty) in [("WH-1", stock), ("WH-2", 2)] {
        app.receive_stock(
            &actor(),
            ReceiveStock {
                sku: "HOT".into(),
                location: loc.into(),
                qty,
                note: None,
            },
        )
        .await
        .expect("receive");
    }
    app.receive_stock(
        &actor(),
        ReceiveStock {
            sku: "COLD".into(),
            location: "WH-1".into(),
            qty: 1000,
            note: None,
        },
    )
    .await
    .expect("receive");
    app
}

both!(
    twenty_buyers_for_seven_units_exactly_seven_win,
    |url: String| async move {
        let app = Arc::new(hot_shop(&url, 5).await);
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                app.create_order(&actor(), buy("HOT", 1)).await
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(orderly::Error::OutOfStock(_)) => {}
                Err(e) => panic!("unexpected error (an undersell): {e}"),
            }
        }
        assert_eq!(ok, 7, "5 at WH-1 + 2 at WH-2, never more, never fewer");
        let page = app
            .balances(Some("HOT"), None, 0, 10)
            .await
            .expect("balances");
        for b in &page.rows {
            assert_eq!(b.reserved, b.on_hand, "{b:?}");
        }
        assert_ledger_agrees(&app).await;
    }
);

both!(
    mixed_buyers_and_cancels_never_oversell,
    |url: String| async move {
        use orderly::domain::order::OrderStatus;
        let app = Arc::new(hot_shop(&url, 10).await);
        let mut tasks = Vec::new();
        for i in 0..24 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let req = OrderRequest {
                    lines: vec![
                        LineRequest {
                            sku: if i % 2 == 0 { "HOT" } else { "COLD" }.into(),
                            qty: 1,
                            unit_price: None,
                            discount: None,
                        },
                        LineRequest {
                            sku: if i % 2 == 0 { "COLD" } else { "HOT" }.into(),
                            qty: 2,
                            unit_price: None,
                            discount: None,
                        },
                    ],
                    ..buy("HOT", 1)
                };
                if let Ok(o) = app.create_order(&actor(), req).await
                    && i % 3 == 0
                {
                    app.change_status(&actor(), &o.number, OrderStatus::Cancelled, Some("test"))
                        .await
                        .expect("cancel");
                }
            }));
        }
        for t in tasks {
            t.await.expect("task");
        }
        for b in app
            .balances(None, None, 0, 100)
            .await
            .expect("balances")
            .rows
        {
            assert!(b.reserved <= b.on_hand && b.reserved >= 0, "{b:?}");
        }
        assert_ledger_agrees(&app).await;
    }
);

/// The child side of the multi-process test: when started with `ORDERLY_CHILD_DB`, buys one unit
/// `ORDERLY_CHILD_BUYS` times and prints `won N`.
#[tokio::test]
async fn child_buyer() {
    let Ok(url) = std::env::var("ORDERLY_CHILD_DB") else {
        return;
    };
    let buys: usize = std::env::var("ORDERLY_CHILD_BUYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let app = App::open(&url).await.expect("open");
    let mut won = 0;
    for _ in 0..buys {
        match app.create_order(&actor(), buy("HOT", 1)).await {
            Ok(_) => won += 1,
            Err(orderly::Error::OutOfStock(_)) => {}
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    println!("won {won}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn separate_processes_on_one_sqlite_file_never_oversell() {
    let db = crate::support::sqlite();
    let app = hot_shop(&db.url, 5).await;
    app.close().await;
    let exe = std::env::current_exe().expect("test binary");
    let mut children = Vec::new();
    for _ in 0..6 {
        children.push(
            tokio::process::Command::new(&exe)
                .args([
                    "--exact",
                    "concurrency::child_buyer",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("ORDERLY_CHILD_DB", &db.url)
                .env("ORDERLY_CHILD_BUYS", "3")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn child"),
        );
    }
    let mut won = 0;
    for c in children {
        let out = c.wait_with_output().await.expect("child");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let n: i64 = text
            .lines()
            .find_map(|l| l.split("won ").nth(1).and_then(|n| n.trim().parse().ok()))
            .unwrap_or_else(|| panic!("child printed no result: {text}"));
        won += n;
    }
    assert_eq!(won, 7, "18 attempts for 7 units across 6 processes");
    let app = App::open(&db.url).await.expect("reopen");
    for b in app
        .balances(Some("HOT"), None, 0, 10)
        .await
        .expect("balances")
        .rows
    {
        assert_eq!(b.reserved, b.on_hand);
    }
    assert_ledger_agrees(&app).await;
}
