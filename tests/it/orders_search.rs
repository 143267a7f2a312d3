//! The planned orders search (`db::orders::list_orders`): on the small bench shop, every plan
//! (chosen, through the customers' orders, walking the sort's index with a list or a subquery) returns the same rows in the
//! same order and the same count as the one-statement reference, for many terms, filters, sorts
//! and offsets; counts stop at the cap and say so.

use chrono::{DateTime, TimeZone, Utc};
use orderly::App;
use orderly::bench_shop::{self, ShopSize};
use orderly::db::orders::{self, ListPlan, OrderList, SearchPlan};
use orderly::domain::order::{OrderQuery, OrderSort, OrderStatus};

use crate::both;

const SIZE: ShopSize = ShopSize {
    skus: 30,
    locations: 4,
    customers: 120,
    orders: 1_500,
    seed: 11,
};

const PLANS: [SearchPlan; 4] = [
    SearchPlan::Chosen,
    SearchPlan::Customers,
    SearchPlan::Walk,
    SearchPlan::WalkBroad,
];

fn end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .single()
        .expect("a valid date")
}

/// The search terms: parts of a loyal customer's name, their e-mail, a channel reference, an
/// order number (as typed and in lower case), and one that matches nothing.
async fn terms(app: &App) -> Vec<String> {
    let first = app
        .list_orders(&bench_shop::first_page_query())
        .await
        .expect("first page");
    let newest = app
        .order(&first.rows[0].number)
        .await
        .expect("newest order");
    let with_ref = first
        .rows
        .iter()
        .find(|o| o.channel == "WEB")
        .expect("a web order on the first page");
    let web = app.order(&with_ref.number).await.expect("web order");
    let name = first
        .rows
        .iter()
        .find_map(|o| o.customer_name.clone())
        .expect("an order with a customer");
    let people = app.search_customers(&name).await.expect("quick-find");
    let email = people
        .iter()
        .find_map(|c| c.email.clone())
        .expect("a customer with an e-mail");
    let first_name = name.split_whitespace().next().unwrap_or(&name).to_owned();
    vec![
        name.chars().take(3).collect(),
        first_name.to_lowercase(),
        name.clone(),
        email,
        web.channel_ref.expect("web orders have a reference"),
        newest.number.clone(),
        newest.number.to_lowercase(),
        "m".to_owned(),
        "zzqx nobody".to_owned(),
    ]
}

async fn list(app: &App, q: &OrderQuery, plan: ListPlan) -> OrderList {
    let channel_id = match q.channel.as_deref() {
        Some(code) => Some(
            app.channels()
                .await
                .expect("channels")
                .into_iter()
                .find(|c| c.code == code)
                .expect("known channel")
                .id,
        ),
        None => None,
    };
    let mut c = app.db().read().await.expect("connection");
    orders::list_orders_planned(&mut c, q, channel_id, plan)
        .await
        .expect("list orders")
}

async fn reference(app: &App, q: &OrderQuery) -> OrderList {
    let channel_id = match q.channel.as_deref() {
        Some(code) => Some(
            app.channels()
                .await
                .expect("channels")
                .into_iter()
                .find(|c| c.code == code)
                .expect("known channel")
                .id,
        ),
        None => None,
    };
    let mut c = app.db().read().await.expect("connection");
    orders::list_orders_reference(&mut c, q, channel_id)
        .await
        .expect("reference list")
}

both!(every_plan_matches_the_reference, |url: String| async move {
    let app = App::open(&url).await.expect("open database");
    bench_shop::generate(&app, &SIZE, end(), &|_, _| {})
        .await
        .expect("generate the bench shop");
    let terms = terms(&app).await;
    let day = |d: u32, m: u32, y: i32| chrono::NaiveDate::from_ymd_opt(y, m, d);
    let filters: Vec<OrderQuery> = vec![
        OrderQuery::default(),
        OrderQuery {
            status: Some(OrderStatus::Delivered),
            ..OrderQuery::default()
        },
        OrderQuery {
            channel: Some("WEB".to_owned()),
            ..OrderQuery::default()
        },
        OrderQuery {
            from: day(1, 3, 2026),
            to: day(30, 9, 2026),
            ..OrderQuery::default()
        },
    ];
    let sorts = [
        OrderSort::CreatedAt,
        OrderSort::Number,
        OrderSort::Customer,
        OrderSort::Total,
        OrderSort::Status,
    ];
    let mut checked = 0;
    let mut found = 0;
    for (t, term) in terms.iter().enumerate() {
        for (f, filter) in filters.iter().enumerate() {
            for (s, sort) in sorts.iter().enumerate() {
                for descending in [true, false] {
                    let offset = [0, 3, 40][(t + f + s) % 3];
                    let q = OrderQuery {
                        search: Some(term.clone()),
                        sort: *sort,
                        descending,
                        offset,
                        limit: 25,
                        ..filter.clone()
                    };
                    let want = reference(&app, &q).await;
                    found += want.rows.len();
                    for search in PLANS {
                        let got = list(
                            &app,
                            &q,
                            ListPlan {
                                search,
                                ..ListPlan::default()
                            },
                        )
                        .await;
                        let ids = |l: &OrderList| l.rows.iter().map(|o| o.id).collect::<Vec<_>>();
                        assert_eq!(ids(&got), ids(&want), "rows of {search:?} for {q:?}");
                        assert_eq!(got.rows, want.rows, "summaries of {search:?} for {q:?}");
                        assert_eq!(
                            (got.total, got.total_is_capped),
                            (want.total, false),
                            "count of {search:?} for {q:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(
        checked,
        terms.len() * filters.len() * sorts.len() * 2 * PLANS.len()
    );
    assert!(found > 1000, "the terms find orders ({found} rows)");

    // Without a search, the list is the reference too (all filters, one sort each).
    for filter in &filters {
        let q = OrderQuery {
            limit: 50,
            offset: 10,
            ..filter.clone()
        };
        let want = reference(&app, &q).await;
        let got = app.list_orders(&q).await.expect("list");
        assert_eq!(got.rows, want.rows);
        assert_eq!((got.total, got.total_is_capped), (want.total, false));
    }
});

both!(counts_stop_at_the_cap, |url: String| async move {
    let app = App::open(&url).await.expect("open database");
    bench_shop::generate(&app, &SIZE, end(), &|_, _| {})
        .await
        .expect("generate the bench shop");
    let cap = ListPlan {
        count_cap: 50,
        ..ListPlan::default()
    };
    // A broad search (one letter) and a filter: at most the cap, said to be capped.
    for q in [
        OrderQuery {
            search: Some("m".to_owned()),
            ..bench_shop::first_page_query()
        },
        OrderQuery {
            status: Some(OrderStatus::Delivered),
            ..bench_shop::first_page_query()
        },
    ] {
        let want = reference(&app, &q).await;
        assert!(want.total > 50, "the reference counts {}", want.total);
        for search in PLANS {
            let got = list(&app, &q, ListPlan { search, ..cap }).await;
            assert_eq!(
                (got.total, got.total_is_capped),
                (50, true),
                "{search:?} {q:?}"
            );
            assert_eq!(got.rows, want.rows, "the page is whole whatever the count");
        }
    }
    // A narrow search below the cap stays exact.
    let first = app
        .list_orders(&bench_shop::first_page_query())
        .await
        .expect("first page");
    let q = OrderQuery {
        search: Some(first.rows[0].number.clone()),
        ..bench_shop::first_page_query()
    };
    let got = list(&app, &q, cap).await;
    assert_eq!((got.total, got.total_is_capped), (1, false));
    // Unfiltered: exact on both (far below the app's cap; PostgreSQL's estimate is used only
    // above it).
    let all = app
        .list_orders(&bench_shop::first_page_query())
        .await
        .expect("list");
    assert_eq!(
        (all.total, all.total_is_capped),
        (SIZE.orders as i64, false)
    );
    assert_eq!(orders::COUNT_CAP, 10_000);
});
