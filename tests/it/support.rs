//! Fresh databases for tests and a small shop to test on.

use std::sync::atomic::{AtomicU32, Ordering};

use orderly::App;
use orderly::app::{Actor, ReceiveStock};
use orderly::domain::address::Address;
use orderly::domain::catalog::{LocationDraft, LocationKind, ProductDraft, ShippingRate};

pub const PG_ENV: &str = "ORDERLY_TEST_PG_URL";

/// A database for one test; the folder (SQLite) or schema (PostgreSQL) goes away with it.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("orderly.db").display());
    TestDb {
        url,
        _dir: Some(dir),
    }
}

/// A fresh schema in the test PostgreSQL, or `None` when no server is configured.
pub async fn postgres() -> Option<TestDb> {
    let base = std::env::var(PG_ENV).ok().filter(|u| !u.is_empty())?;
    let schema = format!(
        "t{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        uuid::Uuid::now_v7()
            .simple()
            .to_string()
            .get(..8)
            .unwrap_or("x")
    );
    let pool = sqlx::PgPool::connect(&base)
        .await
        .expect("connect to ORDERLY_TEST_PG_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&pool)
        .await
        .expect("create schema");
    pool.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(TestDb {
        url: format!("{base}{sep}options=-c%20search_path%3D{schema}"),
        _dir: None,
    })
}

/// Declares one test per database: `name::sqlite` always and `name::postgres` (which passes
/// without running when `ORDERLY_TEST_PG_URL` is unset, saying so).
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::support::sqlite();
                let run = $body;
                run(db.url.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::support::postgres().await else {
                    eprintln!("ORDERLY_TEST_PG_URL is not set: PostgreSQL run skipped");
                    return;
                };
                let run = $body;
                run(db.url.clone()).await;
            }
        }
    };
}

pub fn actor() -> Actor {
    Actor::new("test")
}

pub fn address(name: &str) -> Address {
    Address {
        name: name.into(),
        company: None,
        line1: "1 Test St".into(),
        line2: None,
        city: "Springfield".into(),
        region: "IL".into(),
        postal_code: "62701".into(),
        country: "US".into(),
        phone: None,
    }
}

pub fn location(code: &str, kind: LocationKind, priority: i32) -> LocationDraft {
    LocationDraft {
        code: code.into(),
        name: format!("{code} location"),
        kind,
        address: address(code),
        latitude: 40.0,
        longitude: -75.0,
        can_ship: kind != LocationKind::Store,
        can_pickup: kind == LocationKind::Store,
        priority,
        rate: ShippingRate {
            base: 450,
            per_kg: 80,
            per_1000_km: 200,
        },
    }
}

pub fn product(sku: &str, price: i64, backorder: bool) -> ProductDraft {
    ProductDraft {
        sku: sku.into(),
        name: format!("Product {sku}"),
        barcode: None,
        price,
        weight_grams: 500,
        length_mm: 100,
        width_mm: 100,
        height_mm: 100,
        active: true,
        allow_backorder: backorder,
        final_sale: false,
    }
}

/// A shop with WH-1 (priority 10), WH-2 (20) and a store ST-1 (30); products A (10.00), B (5.50)
/// and P (backorderable); stock A: 5 at WH-1, 10 at WH-2, 3 at ST-1; B: 4 at WH-2.
pub async fn shop(url: &str) -> App {
    let app = App::open(url).await.expect("open database");
    app.create_location(location("WH-1", LocationKind::Warehouse, 10))
        .await
        .expect("WH-1");
    app.create_location(location("WH-2", LocationKind::Warehouse, 20))
        .await
        .expect("WH-2");
    app.create_location(location("ST-1", LocationKind::Store, 30))
        .await
        .expect("ST-1");
    app.create_product(product("A", 1000, false))
        .await
        .expect("A");
    app.create_product(product("B", 550, false))
        .await
        .expect("B");
    app.create_product(product("P", 2500, true))
        .await
        .expect("P");
    for (sku, loc, qty) in [
        ("A", "WH-1", 5),
        ("A", "WH-2", 10),
        ("A", "ST-1", 3),
        ("B", "WH-2", 4),
    ] {
        app.receive_stock(
            &actor(),
            ReceiveStock {
                sku: sku.into(),
                location: loc.into(),
                qty,
                note: None,
            },
        )
        .await
        .expect("receive");
    }
    app
}

/// Asserts the ledger and the balances agree.
pub async fn assert_ledger_agrees(app: &App) {
    let report = app.verify().await.expect("verify");
    assert!(
        report.differences.is_empty(),
        "ledger and balances disagree: {:?}",
        report.differences
    );
}
