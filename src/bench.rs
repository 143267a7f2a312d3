//! `orderly bench`: measures capture the way a shop uses it — many clients creating orders at once
//! through the facade (validate, price, reserve, persist, record) — next to a ceiling: a minimal
//! writer of the same rows with the same durability, one transaction per order, no validation.
//! Reports throughput, median and 99th-percentile latency, and the ratio to the ceiling.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::app::{Actor, App, ReceiveStock};
use crate::db;
use crate::db::capture::{CaptureRows, EventRow, MovementRow, OrderRow, ReservationRow, RouteRow};
use crate::domain::address::Address;
use crate::domain::catalog::{LocationDraft, LocationKind, ProductDraft, ShippingRate};
use crate::domain::ids::new_id;
use crate::domain::order::{LineRequest, OrderRequest};
use crate::domain::order::{OrderLine, OrderStatus, ReservationState, Totals};
use crate::domain::stock::MovementKind;
use crate::error::{Error, Result};

/// One measured run.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub name: String,
    pub database: &'static str,
    pub clients: usize,
    pub operations: usize,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Run {
    fn new(
        name: &str,
        database: &'static str,
        clients: usize,
        elapsed: Duration,
        mut latencies: Vec<Duration>,
    ) -> Run {
        latencies.sort();
        let pct = |p: f64| -> f64 {
            if latencies.is_empty() {
                return 0.0;
            }
            let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
            latencies[i].as_secs_f64() * 1000.0
        };
        let secs = elapsed.as_secs_f64();
        Run {
            name: name.to_owned(),
            database,
            clients,
            operations: latencies.len(),
            seconds: secs,
            per_second: latencies.len() as f64 / secs.max(1e-9),
            p50_ms: pct(0.50),
            p99_ms: pct(0.99),
        }
    }
}

pub const BENCH_SKUS: usize = 1_000;

/// Fills an empty database with a bench shop: two warehouses and `BENCH_SKUS` products with
/// plenty of stock, so captures never run short.
pub async fn prepare(app: &App) -> Result<()> {
    let actor = Actor::new("bench");
    for (code, priority) in [("BW-1", 10), ("BW-2", 20)] {
        app.create_location(LocationDraft {
            code: code.into(),
            name: format!("Bench warehouse {code}"),
            kind: LocationKind::Warehouse,
            address: bench_address(),
            latitude: 40.0,
            longitude: -75.0,
            can_ship: true,
            can_pickup: false,
            priority,
            rate: ShippingRate {
                base: 450,
                per_kg: 80,
                per_1000_km: 200,
            },
        })
        .await?;
    }
    let mut receipts = Vec::new();
    for i in 0..BENCH_SKUS {
        let sku = format!("B-{i:05}");
        app.create_product(ProductDraft {
            sku: sku.clone(),
            name: format!("Bench product {i}"),
            barcode: None,
            price: 1000 + (i as i64 % 50) * 100,
            weight_grams: 400,
            length_mm: 100,
            width_mm: 100,
            height_mm: 50,
            active: true,
            allow_backorder: false,
            final_sale: false,
        })
        .await?;
        receipts.push(ReceiveStock {
            sku: sku.clone(),
            location: "BW-1".into(),
            qty: 1_000_000,
            note: None,
        });
    }
    app.receive_stock_batch(&actor, receipts).await?;
    Ok(())
}

fn bench_address() -> Address {
    Address {
        name: "Bench Buyer".into(),
        company: None,
        line1: "1 Bench St".into(),
        line2: None,
        city: "Newark".into(),
        region: "NJ".into(),
        postal_code: "07102".into(),
        country: "US".into(),
        phone: None,
    }
}

fn request(client: usize, i: usize) -> OrderRequest {
    let (a, b) = spread(client, i, BENCH_SKUS);
    OrderRequest {
        channel: "web".into(),
        channel_ref: Some(format!("BENCH-{client}-{i}-{}", new_id().simple())),
        ship_to: Some(bench_address()),
        lines: vec![
            LineRequest {
                sku: format!("B-{a:05}"),
                qty: 1 + (i % 3) as i64,
                unit_price: None,
                discount: None,
            },
            LineRequest {
                sku: format!("B-{b:05}"),
                qty: 1,
                unit_price: None,
                discount: None,
            },
        ],
        shipping_charge: Some(595),
        tax_rate_bp: Some(825),
        ..Default::default()
    }
}

type Client = tokio::task::JoinHandle<Result<Vec<Duration>>>;

/// Every client's latencies, or the first failure.
async fn gather(tasks: Vec<Client>) -> Result<Vec<Duration>> {
    let mut all = Vec::new();
    for t in tasks {
        all.extend(
            t.await
                .map_err(|e| Error::Internal(format!("bench client failed: {e}")))??,
        );
    }
    Ok(all)
}

/// The two products (indexes below `n`) the `i`-th order of `client` buys: spread over the
/// shop so that neither the capture nor the ceiling run hits one hot row.
fn spread(client: usize, i: usize, n: usize) -> (usize, usize) {
    let a = (client * 7919 + i * 104_729) % n;
    (a, (a + 1 + i % 17) % n)
}

/// `clients` tasks each capture `per_client` orders through the facade.
pub async fn capture(app: &App, clients: usize, per_client: usize) -> Result<Run> {
    let app = Arc::new(app.clone());
    let actor = Actor::new("bench");
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let app = app.clone();
        let actor = actor.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per_client);
            for i in 0..per_client {
                let t = Instant::now();
                app.create_order(&actor, request(c, i)).await?;
                lat.push(t.elapsed());
            }
            Ok::<_, Error>(lat)
        }));
    }
    let all = gather(tasks).await?;
    Ok(Run::new(
        "capture",
        app.database_kind().as_str(),
        clients,
        started.elapsed(),
        all,
    ))
}

/// The ceiling: the rows a capture of a bench order writes (customer-less order, 2 lines, 2
/// reservations, 2 guarded balance updates, 2 ledger rows, its route and 5 timeline events)
/// through the same statements and commit path (group commit on SQLite, a transaction per order
/// on PostgreSQL) with the same durability, but no reads, validation, pricing or routing.
pub async fn ceiling(app: &App, clients: usize, per_client: usize) -> Result<Run> {
    let (products, _) = {
        let mut c = app.db().read().await?;
        db::catalog::list_products(&mut c, None, 0, BENCH_SKUS as i64).await?
    };
    let locations = app.locations().await?;
    let products: Arc<Vec<uuid::Uuid>> = Arc::new(products.iter().map(|p| p.id).collect());
    let (false, Some(l)) = (
        products.is_empty(),
        locations.iter().find(|l| l.code == "BW-1").map(|l| l.id),
    ) else {
        return Err(Error::Internal(
            "the bench shop is empty: run prepare first".into(),
        ));
    };
    let channel = app
        .channels()
        .await?
        .into_iter()
        .find(|c| c.code == "WEB")
        .map(|c| c.id)
        .ok_or_else(|| Error::Internal("no WEB channel".into()))?;
    let db = app.db().clone();
    let now = app.now();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let db = db.clone();
        let products = products.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per_client);
            for i in 0..per_client {
                let (a, b) = spread(client, i, products.len());
                let rows = Arc::new(raw_rows(channel, [products[a], products[b]], l, now));
                let t = Instant::now();
                db::capture::write_rows(&db, rows).await?;
                lat.push(t.elapsed());
            }
            Ok::<_, Error>(lat)
        }));
    }
    let all = gather(tasks).await?;
    Ok(Run::new(
        "ceiling (raw rows)",
        app.database_kind().as_str(),
        clients,
        started.elapsed(),
        all,
    ))
}

/// The rows of one bench order, made up without reading anything.
fn raw_rows(
    channel: uuid::Uuid,
    products: [uuid::Uuid; 2],
    location: uuid::Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> CaptureRows {
    let order_id = new_id();
    let event = |kind: &str, summary: &str| EventRow {
        id: new_id(),
        kind: kind.into(),
        summary: summary.into(),
        details: r#"{"sku":"B-00001","qty":1,"location":"BW-1","line":1}"#.into(),
    };
    let lines = products
        .iter()
        .enumerate()
        .map(|(i, p)| OrderLine {
            line_no: i as i32 + 1,
            product_id: *p,
            sku: format!("B-{i:05}"),
            name: "Bench product".into(),
            qty: 1,
            unit_price: 1000,
            discount: 0,
            tax: 83,
            total: 1083,
            backordered: 0,
        })
        .collect();
    CaptureRows {
        customer: None,
        order: OrderRow {
            id: order_id,
            channel_id: channel,
            channel_ref: Some(order_id.simple().to_string()),
            customer_id: None,
            customer_name: None,
            status: OrderStatus::Open,
            currency: "USD".into(),
            ship_to: Some(RAW_SHIP_TO.into()),
            pickup_location_id: None,
            totals: Totals {
                subtotal: 2000,
                discount: 0,
                shipping: 595,
                tax: 214,
                total: 2809,
            },
            item_count: 2,
            tax_rate_bp: 825,
            promised_by: None,
            attributes: "[]".into(),
            notes: None,
        },
        lines,
        reservations: products
            .iter()
            .enumerate()
            .map(|(i, p)| ReservationRow {
                id: new_id(),
                line_no: i as i32 + 1,
                product_id: *p,
                location_id: location,
                qty: 1,
                state: ReservationState::Reserved,
            })
            .collect(),
        movements: products
            .iter()
            .map(|p| MovementRow {
                product_id: *p,
                location_id: location,
                kind: MovementKind::Reserve,
                qty: 1,
            })
            .collect(),
        payments: Vec::new(),
        events: vec![
            event(
                "created",
                "Order created on Web store to ship to Bench Buyer, 1 Bench St, Newark NJ 07102 US, total $28.09",
            ),
            event(
                "routed",
                "Routed by cost (routing settings v0): BW-1: 1 × B-00001, 1 × B-00002; cost $4.98",
            ),
            event("reserved", "Reserved 1 × B-00001 at BW-1"),
            event("reserved", "Reserved 1 × B-00002 at BW-1"),
        ],
        route: Some(RouteRow {
            id: new_id(),
            settings_version: 0,
            objective: "cost".into(),
            total_cost: 498,
            plan: RAW_PLAN.into(),
        }),
        channel_buffer: 0,
        actor: "bench".into(),
        at: now,
    }
}

const RAW_SHIP_TO: &str = r#"{"name":"Bench Buyer","company":null,"line1":"1 Bench St","line2":null,"city":"Newark","region":"NJ","postal_code":"07102","country":"US","phone":null}"#;
const RAW_PLAN: &str = r#"{"objective":"cost","shipments":[{"location":"BW-1","lines":[{"sku":"B-00001","qty":1},{"sku":"B-00002","qty":1}],"cost":498,"days":2,"transferTo":null}],"backordered":[],"totalCost":498,"optimal":true,"explanation":["Order new order: 1 shipment(s), 0 unit(s) backordered, total cost 498 (shipments 498 + backorder penalty 100000 × 0).","Objective cost: the lowest total cost (shipments + backorder penalty).","Optimal: the search over sets of the 1 candidate location(s) ran to completion.","Ship from BW-1: 1 × B-00001, 1 × B-00002; cost 498 = base 450 + 0.80 kg × 80 + 45 km × 0.2.","Not considered: BW-2 (no stock of the order's SKUs)."]}"#;

/// `clients` tasks reserve one unit each of a single SKU with `stock` units until it runs out;
/// returns the run and how many reservations succeeded (must equal `stock`).
pub async fn hot_sku(app: &App, clients: usize, stock: i64) -> Result<(Run, i64)> {
    let actor = Actor::new("bench");
    let sku = format!("HOT-{}", new_id().simple());
    let sku = &sku[..20];
    app.create_product(ProductDraft {
        sku: sku.to_owned(),
        name: "Hot product".into(),
        barcode: None,
        price: 1000,
        weight_grams: 100,
        length_mm: 10,
        width_mm: 10,
        height_mm: 10,
        active: true,
        allow_backorder: false,
        final_sale: false,
    })
    .await?;
    app.receive_stock(
        &actor,
        ReceiveStock {
            sku: sku.to_owned(),
            location: "BW-1".into(),
            qty: stock,
            note: None,
        },
    )
    .await?;
    let app = Arc::new(app.clone());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let app = app.clone();
        let actor = actor.clone();
        let sku = sku.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let t = Instant::now();
                let req = OrderRequest {
                    channel: "web".into(),
                    ship_to: Some(bench_address()),
                    lines: vec![LineRequest {
                        sku: sku.clone(),
                        qty: 1,
                        unit_price: None,
                        discount: None,
                    }],
                    ..Default::default()
                };
                match app.create_order(&actor, req).await {
                    Ok(_) => lat.push(t.elapsed()),
                    Err(Error::OutOfStock(_)) => break,
                    Err(e) => return Err(e),
                }
            }
            Ok::<_, Error>(lat)
        }));
    }
    let all = gather(tasks).await?;
    let won = all.len() as i64;
    let run = Run::new(
        "hot SKU reservations",
        app.database_kind().as_str(),
        clients,
        started.elapsed(),
        all,
    );
    Ok((run, won))
}
