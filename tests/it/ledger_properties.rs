//! Property: whatever sequence of stock operations and orders is applied, the balances equal the
//! ledger, nothing goes negative and reserved never exceeds on hand.

use orderly::app::{AdjustStock, ReceiveStock, TransferStock};
use orderly::domain::order::{LineRequest, OrderRequest, OrderStatus};
use proptest::prelude::*;

use crate::support::{actor, address, shop};

#[derive(Debug, Clone)]
enum Op {
    Receive {
        sku: usize,
        loc: usize,
        qty: i64,
    },
    Adjust {
        sku: usize,
        loc: usize,
        delta: i64,
    },
    Transfer {
        sku: usize,
        from: usize,
        to: usize,
        qty: i64,
        arrived: bool,
    },
    ReceiveOpenTransfer,
    Order {
        sku: usize,
        qty: i64,
    },
    Cancel {
        nth: usize,
    },
    Ship {
        nth: usize,
    },
}

const SKUS: [&str; 3] = ["A", "B", "P"];
const LOCS: [&str; 3] = ["WH-1", "WH-2", "ST-1"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize, 0..3usize, 1..20i64).prop_map(|(sku, loc, qty)| Op::Receive { sku, loc, qty }),
        (0..3usize, 0..3usize, -10..10i64).prop_map(|(sku, loc, delta)| Op::Adjust {
            sku,
            loc,
            delta
        }),
        (0..3usize, 0..3usize, 0..3usize, 1..8i64, any::<bool>()).prop_map(
            |(sku, from, to, qty, arrived)| Op::Transfer {
                sku,
                from,
                to,
                qty,
                arrived
            }
        ),
        Just(Op::ReceiveOpenTransfer),
        (0..3usize, 1..6i64).prop_map(|(sku, qty)| Op::Order { sku, qty }),
        (0..8usize).prop_map(|nth| Op::Cancel { nth }),
        (0..8usize).prop_map(|nth| Op::Ship { nth }),
    ]
}

async fn apply(url: &str, ops: Vec<Op>) {
    let app = shop(url).await;
    let mut orders: Vec<String> = Vec::new();
    for op in ops {
        // Refusals are expected (not enough stock, already cancelled...); what matters is that
        // every accepted and refused operation leaves the ledger and balances in agreement.
        let _ = match op {
            Op::Receive { sku, loc, qty } => app
                .receive_stock(
                    &actor(),
                    ReceiveStock {
                        sku: SKUS[sku].into(),
                        location: LOCS[loc].into(),
                        qty,
                        note: None,
                    },
                )
                .await
                .map(|_| ()),
            Op::Adjust { sku, loc, delta } => app
                .adjust_stock(
                    &actor(),
                    AdjustStock {
                        sku: SKUS[sku].into(),
                        location: LOCS[loc].into(),
                        delta,
                        reason: "count".into(),
                        note: None,
                    },
                )
                .await
                .map(|_| ()),
            Op::Transfer {
                sku,
                from,
                to,
                qty,
                arrived,
            } => app
                .transfer_stock(
                    &actor(),
                    TransferStock {
                        sku: SKUS[sku].into(),
                        from: LOCS[from].into(),
                        to: LOCS[to].into(),
                        qty,
                        arrived,
                    },
                )
                .await
                .map(|_| ()),
            Op::ReceiveOpenTransfer => {
                match app.transfers(true).await.expect("transfers").first() {
                    Some(t) => app.receive_transfer(&actor(), t.id).await.map(|_| ()),
                    None => Ok(()),
                }
            }
            Op::Order { sku, qty } => {
                let req = OrderRequest {
                    channel: "web".into(),
                    ship_to: Some(address("p")),
                    lines: vec![LineRequest {
                        sku: SKUS[sku].into(),
                        qty,
                        unit_price: None,
                        discount: None,
                    }],
                    ..Default::default()
                };
                app.create_order(&actor(), req)
                    .await
                    .map(|o| orders.push(o.number))
            }
            Op::Cancel { nth } => match orders.get(nth) {
                Some(n) => app
                    .change_status(&actor(), n, OrderStatus::Cancelled, Some("p"))
                    .await
                    .map(|_| ()),
                None => Ok(()),
            },
            Op::Ship { nth } => match orders.get(nth) {
                Some(n) => app
                    .change_status(&actor(), n, OrderStatus::Shipped, None)
                    .await
                    .map(|_| ()),
                None => Ok(()),
            },
        };
        for b in app
            .balances(None, None, 0, 100)
            .await
            .expect("balances")
            .rows
        {
            assert!(
                b.on_hand >= 0 && b.reserved >= 0 && b.incoming >= 0 && b.reserved <= b.on_hand,
                "{b:?}"
            );
        }
    }
    let report = app.verify().await.expect("verify");
    assert!(report.differences.is_empty(), "{:?}", report.differences);
    app.close().await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 50, ..ProptestConfig::default() })]
    #[test]
    fn ledger_and_balances_always_agree(ops in proptest::collection::vec(op(), 1..30)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let db = crate::support::sqlite();
        rt.block_on(apply(&db.url, ops));
    }
}

proptest! {
    // Fewer cases on PostgreSQL: each one makes a fresh schema on the server.
    #![proptest_config(ProptestConfig { cases: 8, max_shrink_iters: 20, ..ProptestConfig::default() })]
    #[test]
    fn ledger_and_balances_always_agree_on_postgres(ops in proptest::collection::vec(op(), 1..30)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            match crate::support::postgres().await {
                Some(db) => apply(&db.url, ops).await,
                None => eprintln!("ORDERLY_TEST_PG_URL is not set: PostgreSQL run skipped"),
            }
        });
    }
}
