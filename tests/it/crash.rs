//! Crash safety: a capture process killed with SIGKILL at random moments loses no order whose
//! create call returned, leaves no half order, and leaves ledger and balances equal. Both databases.

use std::io::Write;

use orderly::App;
use orderly::app::ReceiveStock;
use orderly::domain::catalog::LocationKind;
use orderly::domain::order::{LineRequest, OrderRequest, OrderStatus};
use rand::{Rng, SeedableRng};

use crate::support::{actor, address, assert_ledger_agrees, location, product};

const ROUNDS: usize = 8;

async fn crash_shop(url: &str) {
    let app = App::open(url).await.expect("open");
    app.create_location(location("WH-1", LocationKind::Warehouse, 10))
        .await
        .expect("loc");
    app.create_location(location("WH-2", LocationKind::Warehouse, 20))
        .await
        .expect("loc");
    for sku in ["K1", "K2", "K3"] {
        app.create_product(product(sku, 700, sku == "K3"))
            .await
            .expect("product");
        for loc in ["WH-1", "WH-2"] {
            app.receive_stock(
                &actor(),
                ReceiveStock {
                    sku: sku.into(),
                    location: loc.into(),
                    qty: 400,
                    note: None,
                },
            )
            .await
            .expect("receive");
        }
    }
    app.close().await;
}

/// The child side: captures (and sometimes cancels) orders until killed, appending the channel
/// reference of every order whose create call returned to the log, synced to disk, before the next.
#[tokio::test]
async fn crash_child_capture() {
    let (Ok(url), Ok(log)) = (
        std::env::var("ORDERLY_CRASH_DB"),
        std::env::var("ORDERLY_CRASH_LOG"),
    ) else {
        return;
    };
    let round = std::env::var("ORDERLY_CRASH_ROUND").unwrap_or_default();
    let app = App::open(&url).await.expect("open");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .expect("log");
    for i in 0.. {
        let reference = format!("CRASH-{round}-{i}");
        let req = OrderRequest {
            channel: "web".into(),
            channel_ref: Some(reference.clone()),
            ship_to: Some(address("Crash Test")),
            lines: vec![
                LineRequest {
                    sku: "K1".into(),
                    qty: 1 + (i % 3),
                    unit_price: None,
                    discount: None,
                },
                LineRequest {
                    sku: if i % 2 == 0 { "K2" } else { "K3" }.into(),
                    qty: 1,
                    unit_price: None,
                    discount: None,
                },
            ],
            ..Default::default()
        };
        let o = app.create_order(&actor(), req).await.expect("capture");
        // One write call per line: `writeln!` may write the parts separately, and a kill between
        // them would glue this reference to the next round's line.
        let line = format!("{reference} {}\n", o.number);
        file.write_all(line.as_bytes()).expect("log write");
        file.sync_data().expect("log sync");
        if i % 4 == 3 {
            app.change_status(
                &actor(),
                &o.number,
                OrderStatus::Cancelled,
                Some("crash test"),
            )
            .await
            .expect("cancel");
        }
    }
}

async fn run_rounds(url: &str) {
    crash_shop(url).await;
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("captured.log");
    let exe = std::env::current_exe().expect("test binary");
    let mut rng = rand::rngs::SmallRng::seed_from_u64(7);
    for round in 0..ROUNDS {
        let mut child = tokio::process::Command::new(&exe)
            .args([
                "--exact",
                "crash::crash_child_capture",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("ORDERLY_CRASH_DB", url)
            .env("ORDERLY_CRASH_LOG", &log)
            .env("ORDERLY_CRASH_ROUND", round.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn child");
        // Kill while orders are flowing: wait for this round's first committed order, then a
        // random moment.
        let before = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
        let started = std::time::Instant::now();
        while std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0) == before
            && started.elapsed() < std::time::Duration::from_secs(60)
        {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(rng.random_range(0..600))).await;
        child.kill().await.expect("SIGKILL the child");
    }
    let app = App::open(url).await.expect("reopen after the crashes");
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    let mut count = 0;
    for line in logged.lines() {
        let Some((reference, number)) = line.split_once(' ') else {
            continue;
        };
        let o = app
            .order(number)
            .await
            .unwrap_or_else(|e| panic!("order {number} ({reference}) returned but is lost: {e}"));
        assert_eq!(o.channel_ref.as_deref(), Some(reference));
        count += 1;
    }
    assert!(
        count >= ROUNDS,
        "each round should capture some orders before the kill, got {count}"
    );
    // No half order: every order has its lines, its creation event, and each line is reserved,
    // backordered, or released by a cancellation.
    let all = app
        .list_orders(&orderly::domain::order::OrderQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .expect("list");
    assert!(all.total >= count as i64);
    for summary in &all.rows {
        let o = app.order(&summary.number).await.expect("order");
        assert_eq!(o.lines.len(), 2, "{} has {} lines", o.number, o.lines.len());
        assert!(
            o.events.iter().any(|e| e.kind == "created"),
            "{} lacks its creation event",
            o.number
        );
        for l in &o.lines {
            let held: i64 = o
                .reservations
                .iter()
                .filter(|r| r.line_no == l.line_no)
                .map(|r| r.qty)
                .sum();
            assert_eq!(
                held + l.backordered,
                l.qty,
                "{} line {} is half reserved",
                o.number,
                l.line_no
            );
        }
        let open: i64 = o
            .reservations
            .iter()
            .filter(|r| r.state == "reserved")
            .map(|r| r.qty)
            .sum();
        if o.status == OrderStatus::Cancelled {
            assert_eq!(open, 0, "{} is cancelled but still holds stock", o.number);
        }
    }
    assert_ledger_agrees(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_captures_lose_nothing_committed_sqlite() {
    let db = crate::support::sqlite();
    run_rounds(&db.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_captures_lose_nothing_committed_postgres() {
    let Some(db) = crate::support::postgres().await else {
        eprintln!("ORDERLY_TEST_PG_URL is not set: PostgreSQL run skipped");
        return;
    };
    run_rounds(&db.url).await;
}
