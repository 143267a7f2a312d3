//! The command line: exit codes and that bad input changes nothing.

use std::ffi::OsString;
use std::process::ExitCode;

fn args(list: &[&str]) -> Vec<OsString> {
    std::iter::once("orderly")
        .chain(list.iter().copied())
        .map(OsString::from)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_succeed_and_bad_input_exits_2_without_writing() {
    let db = crate::support::sqlite();
    let url = db.url.as_str();
    let run = |a: Vec<&'static str>| {
        let mut full = vec!["--db", url];
        full.extend(a);
        let owned: Vec<String> = full.iter().map(|s| s.to_string()).collect();
        async move {
            let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
            orderly::cli::run(args(&refs)).await
        }
    };
    let ok = ExitCode::SUCCESS;
    assert_eq!(
        run(vec![
            "location",
            "add",
            "--code",
            "WH-1",
            "--name",
            "Main",
            "--line1",
            "1 Main St",
            "--city",
            "Newark",
            "--postal-code",
            "07102",
            "--lat",
            "40.7",
            "--lon",
            "-74.1"
        ])
        .await,
        ok
    );
    assert_eq!(
        run(vec![
            "product",
            "add",
            "--sku",
            "tee-1",
            "--name",
            "Tee",
            "--price",
            "24.00",
            "--barcode",
            "4006381333931"
        ])
        .await,
        ok
    );
    assert_eq!(
        run(vec![
            "product", "add", "--sku", "tee-2", "--name", "Tee", "--price", "24.001"
        ])
        .await,
        ExitCode::from(2)
    );
    assert_eq!(
        run(vec![
            "product",
            "add",
            "--sku",
            "tee-3",
            "--name",
            "Tee",
            "--price",
            "1",
            "--barcode",
            "4006381333932"
        ])
        .await,
        ExitCode::from(2)
    );
    assert_eq!(
        run(vec![
            "stock",
            "receive",
            "--sku",
            "TEE-1",
            "--location",
            "WH-1",
            "--qty",
            "5"
        ])
        .await,
        ok
    );
    assert_eq!(
        run(vec![
            "stock",
            "receive",
            "--sku",
            "TEE-1",
            "--location",
            "NOPE",
            "--qty",
            "5"
        ])
        .await,
        ExitCode::from(2)
    );
    assert_eq!(
        run(vec![
            "stock",
            "adjust",
            "--sku",
            "TEE-1",
            "--location",
            "WH-1",
            "--delta",
            "-9",
            "--reason",
            "count"
        ])
        .await,
        ExitCode::from(2)
    );
    assert_eq!(
        run(vec!["order", "create", "/nonexistent/order.json"]).await,
        ExitCode::from(2)
    );
    assert_eq!(
        run(vec!["order", "show", "SO-99999"]).await,
        ExitCode::from(2)
    );
    assert_eq!(run(vec!["--json", "inventory"]).await, ok);
    assert_eq!(run(vec!["verify"]).await, ok);
    // Routing settings: show the defaults, refuse a bad file, save a good one.
    assert_eq!(run(vec!["routing", "show"]).await, ok);
    let dir = tempfile::tempdir().expect("dir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"objective": "cheapest"}"#).expect("write");
    let good = dir.path().join("good.json");
    std::fs::write(&good, r#"{"objective": "fastest", "maxShipments": 2}"#).expect("write");
    let bad: &'static str = Box::leak(bad.display().to_string().into_boxed_str());
    let good: &'static str = Box::leak(good.display().to_string().into_boxed_str());
    assert_eq!(run(vec!["routing", "set", bad]).await, ExitCode::from(2));
    assert_eq!(
        run(vec!["routing", "set", good, "--note", "faster"]).await,
        ok
    );
    assert_eq!(run(vec!["routing", "history"]).await, ok);
    assert_eq!(
        run(vec![
            "order", "reroute", "SO-99999", "--from", "WH-1", "--reason", "short"
        ])
        .await,
        ExitCode::from(2)
    );

    let app = orderly::App::open(url).await.expect("open");
    let products = app.list_products(None, 0, 10).await.expect("products");
    assert_eq!(products.total, 1, "refused products were not written");
    let routing = app.routing_settings().await.expect("routing");
    assert_eq!(routing.version, 1, "only the good settings file was saved");
    assert_eq!(routing.settings.max_shipments, Some(2));
    let b = app
        .balances(Some("TEE-1"), None, 0, 10)
        .await
        .expect("balances");
    assert_eq!(
        b.rows[0].on_hand, 5,
        "refused stock changes were not written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_builds_a_realistic_shop_whose_ledger_agrees() {
    let db = crate::support::sqlite();
    let app = orderly::App::open(&db.url).await.expect("open");
    let report = orderly::demo::load(
        &app,
        orderly::demo::DemoSize {
            customers: 40,
            orders: 150,
        },
    )
    .await
    .expect("demo");
    assert_eq!(report.locations, 4);
    assert!(report.products >= 200, "{report:?}");
    assert!(report.orders >= 140, "{report:?}");
    let info = app.info().await.expect("info");
    assert!(info.demo_loaded);
    let locs = app.locations().await.expect("locations");
    assert!(
        locs.iter()
            .any(|l| l.kind == orderly::domain::catalog::LocationKind::Store)
    );
    assert!(
        locs.iter()
            .any(|l| l.kind == orderly::domain::catalog::LocationKind::Dropship)
    );
    crate::support::assert_ledger_agrees(&app).await;
    // The returns screens have something to show: one return expected at the store, one
    // received at the east warehouse with its damaged unit held and refunded.
    let store = app.returns_queue("ST-BKLYN").await.expect("store returns");
    assert_eq!(store.expected.len(), 1, "{store:?}");
    let east = app.returns_queue("WH-EAST").await.expect("east returns");
    assert_eq!(east.held.iter().map(|h| h.qty).sum::<i64>(), 1, "{east:?}");
    assert!(east.recent.iter().any(|v| v.refunded > 0), "{east:?}");
    // Loading twice is refused instead of mixing demo data into a shop.
    assert!(orderly::demo::load(&app, Default::default()).await.is_err());
    app.clear_data().await.expect("clear");
    assert_eq!(
        app.list_products(None, 0, 1).await.expect("products").total,
        0
    );
    assert!(!app.info().await.expect("info").demo_loaded);
    assert_eq!(
        app.channels().await.expect("channels").len(),
        4,
        "default channels come back"
    );
}
