//! The large bench shop at a small size: generated rows are consistent (ledger, counts), the
//! orders list's first page is the newest orders, and a customer-name search finds exactly that
//! customer's orders. Also `orderly bench --only list` end to end, the one-shot check CI runs.

use std::ffi::OsString;
use std::process::ExitCode;

use chrono::{DateTime, TimeZone, Utc};
use orderly::App;
use orderly::bench_shop::{self, ShopSize};
use orderly::domain::catalog::name_key;
use orderly::domain::order::{OrderQuery, OrderSummary};

use crate::both;
use crate::support::assert_ledger_agrees;

const SIZE: ShopSize = ShopSize {
    skus: 50,
    locations: 4,
    customers: 150,
    orders: 2_000,
    seed: 7,
};

fn end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .single()
        .expect("a valid date")
}

/// Every order, newest first, paged the way the grid pages (independent of any search).
async fn all_orders(app: &App) -> Vec<OrderSummary> {
    let mut all = Vec::new();
    loop {
        let page = app
            .list_orders(&OrderQuery {
                offset: all.len() as i64,
                limit: 1000,
                ..bench_shop::first_page_query()
            })
            .await
            .expect("list a page");
        let n = page.rows.len();
        all.extend(page.rows);
        if n == 0 || all.len() as i64 >= page.total {
            return all;
        }
    }
}

both!(
    generated_shop_is_consistent_and_searchable,
    |url: String| async move {
        let app = App::open(&url).await.expect("open database");
        let report = bench_shop::generate(&app, &SIZE, end(), &|_, _| {})
            .await
            .expect("generate the bench shop");
        assert_eq!(report.size, SIZE);
        assert_eq!((report.warehouses, report.stores), (1, 3));
        assert!(report.order_lines >= SIZE.orders && report.order_events >= 2 * SIZE.orders);
        assert_eq!(report.payments, SIZE.orders);
        assert_eq!(
            bench_shop::existing(&app).await.expect("marker"),
            Some(SIZE)
        );
        assert_ledger_agrees(&app).await;
        let verify = app.verify().await.expect("verify");
        assert_eq!(verify.balances_checked as usize, report.stock_balances);
        assert_eq!(verify.movements_checked as usize, report.stock_movements);
        assert_eq!(
            app.list_products(None, 0, 1).await.expect("products").total,
            50
        );
        assert_eq!(app.locations().await.expect("locations").len(), 4);

        // The first page: 100 orders, newest first, and the newest of all of them.
        let first = app
            .list_orders(&bench_shop::first_page_query())
            .await
            .expect("first page");
        assert_eq!(first.total, SIZE.orders as i64);
        assert_eq!(first.rows.len(), 100);
        assert!(
            first
                .rows
                .windows(2)
                .all(|w| w[0].created_at >= w[1].created_at),
            "first page not newest first"
        );
        let all = all_orders(&app).await;
        assert_eq!(all.len(), SIZE.orders);
        let newest = all.iter().map(|o| o.created_at).max().expect("orders");
        let oldest = all.iter().map(|o| o.created_at).min().expect("orders");
        assert_eq!(first.rows[0].created_at, newest);
        assert!(newest <= end() && oldest >= end() - chrono::Duration::days(730));
        // Numbers follow time, and the last order holds the last number.
        assert_eq!(first.rows[0].number, format!("SO-{}", 10_000 + SIZE.orders));
        let detail = app
            .order(&first.rows[0].number)
            .await
            .expect("open the newest order");
        assert!(!detail.events.is_empty() && !detail.lines.is_empty());
        assert!(detail.reservations.is_empty(), "past orders hold no stock");

        // Search by a customer's full name: exactly the orders whose customer name starts with
        // it, counted here over the whole list rather than by the search.
        let mut counts = std::collections::HashMap::<String, usize>::new();
        for o in &all {
            if let Some(n) = &o.customer_name {
                *counts.entry(n.clone()).or_default() += 1;
            }
        }
        let (name, _) = counts
            .iter()
            .max_by_key(|(n, c)| (**c, n.as_str()))
            .expect("orders with customers");
        for term in [name.clone(), name.to_uppercase(), format!("  {name} ")] {
            let key = name_key(&term);
            let expected: Vec<&OrderSummary> = all
                .iter()
                .filter(|o| {
                    o.customer_name
                        .as_deref()
                        .is_some_and(|n| name_key(n).starts_with(&key))
                })
                .collect();
            let found = app
                .list_orders(&OrderQuery {
                    search: Some(term.clone()),
                    limit: 1000,
                    ..bench_shop::first_page_query()
                })
                .await
                .expect("search");
            assert_eq!(found.total as usize, expected.len(), "count for '{term}'");
            let ids: Vec<_> = found.rows.iter().map(|o| o.id).collect();
            let want: Vec<_> = expected.iter().map(|o| o.id).collect();
            assert_eq!(ids, want, "rows for '{term}'");
        }
        // The counter's quick-find knows the customer too.
        let people = app.search_customers(name).await.expect("quick-find");
        assert!(people.iter().any(|c| &c.name == name));
        assert!(
            people
                .iter()
                .all(|c| name_key(&c.name).starts_with(&name_key(name)))
        );

        // The measurements run over it and find what they look for.
        let terms = bench_shop::search_terms(&app, 1, 8).await.expect("terms");
        assert_eq!(terms.len(), 8);
        let runs = bench_shop::search_orders(&app, &terms).await.expect("runs");
        assert_eq!(runs.len(), 5, "all terms, then each of the 4 kinds");
        assert_eq!(runs[0].operations, 8);
        assert_eq!(runs[1..].iter().map(|r| r.operations).sum::<usize>(), 8);
        assert!(
            runs[0].rows_matched >= 8,
            "every term names a customer with orders"
        );
        assert!(
            runs.iter()
                .all(|r| r.p50_ms <= r.p95_ms && r.p95_ms <= r.p99_ms)
        );
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_same_shop() {
    let (a, b) = (crate::support::sqlite(), crate::support::sqlite());
    let size = ShopSize {
        orders: 300,
        ..SIZE
    };
    let mut pages = Vec::new();
    for db in [&a, &b] {
        let app = App::open(&db.url).await.expect("open");
        bench_shop::generate(&app, &size, end(), &|_, _| {})
            .await
            .expect("generate");
        let page = app
            .list_orders(&OrderQuery {
                limit: 1000,
                ..bench_shop::first_page_query()
            })
            .await
            .expect("list");
        pages.push(page);
    }
    assert_eq!(pages[0], pages[1]);
}

fn args(list: &[&str]) -> Vec<OsString> {
    std::iter::once("orderly")
        .chain(list.iter().copied())
        .map(OsString::from)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orderly_bench_only_list_runs_once_at_a_small_size() {
    let db = crate::support::sqlite();
    let shop = [
        "--history",
        "1500",
        "--skus",
        "40",
        "--locations",
        "5",
        "--customers",
        "100",
    ];
    let run = |extra: &[&str]| {
        let mut a = vec!["--db", db.url.as_str(), "--json", "bench", "--only", "list"];
        a.extend(shop);
        a.extend(extra);
        orderly::cli::run(args(&a))
    };
    assert_eq!(
        run(&["--reps", "5", "--searches", "8"]).await,
        ExitCode::SUCCESS
    );
    // The same shop again is measured as it is; another size is refused.
    assert_eq!(
        run(&["--reps", "3", "--searches", "4"]).await,
        ExitCode::SUCCESS
    );
    assert_eq!(run(&["--seed", "2"]).await, ExitCode::from(2));
    // Without a size there is nothing to measure.
    let no_size = orderly::cli::run(args(&["--db", db.url.as_str(), "bench", "--only", "list"]));
    assert_eq!(no_size.await, ExitCode::from(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orderly_bench_with_history_captures_then_measures_the_large_shop() {
    let db = crate::support::sqlite();
    let a = [
        "--db",
        db.url.as_str(),
        "bench",
        "--history",
        "300",
        "--skus",
        "20",
        "--locations",
        "4",
        "--customers",
        "30",
        "--clients",
        "2",
        "--orders",
        "5",
        "--hot-stock",
        "10",
        "--reps",
        "2",
        "--searches",
        "4",
    ];
    assert_eq!(orderly::cli::run(args(&a)).await, ExitCode::SUCCESS);
}
