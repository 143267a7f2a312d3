//! A realistic demo shop to learn on: four locations (two warehouses, a store, a dropship
//! supplier), 220+ products with real GTIN barcodes, four channels, 150 customers and 1,100 past
//! orders over the last 90 days, every one captured through the same facade a user would use, so
//! the ledger, reservations and timelines are exactly what real use produces. Its rate cards
//! (UPS, USPS and the Brooklyn store's own local delivery) are saved before the orders, so every
//! demo order is routed and costed by them.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::app::{Actor, App, Clock, KEY_DEMO, ReceiveStock};
use crate::db;
use crate::domain::address::Address;
use crate::domain::catalog::{
    CustomerDraft, LocationDraft, LocationKind, ProductDraft, ShippingRate, gtin_check_digit,
};
use crate::domain::order::{LineRequest, OrderRequest, OrderStatus, PaymentRequest};
use crate::error::{Error, Result};

/// How big a demo to build.
#[derive(Debug, Clone, Copy)]
pub struct DemoSize {
    pub customers: usize,
    pub orders: usize,
}

impl Default for DemoSize {
    fn default() -> Self {
        DemoSize {
            customers: 150,
            orders: 1_100,
        }
    }
}

/// What was loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DemoReport {
    pub locations: usize,
    pub products: usize,
    pub customers: usize,
    pub orders: usize,
}

/// A clock the demo moves through the past 90 days.
struct DemoClock(Mutex<DateTime<Utc>>);

impl Clock for DemoClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl DemoClock {
    fn set(&self, t: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = t;
    }
}

const PRODUCTS: [(&str, &str, i64, i64, &[&str]); 14] = [
    (
        "TEE",
        "Organic cotton T-shirt",
        2400,
        180,
        &["XS", "S", "M", "L", "XL"],
    ),
    (
        "HOOD",
        "Heavyweight hoodie",
        6500,
        650,
        &["S", "M", "L", "XL"],
    ),
    ("CAP", "Six-panel cap", 2200, 120, &["OS"]),
    ("SOCK", "Merino socks", 1400, 60, &["S", "M", "L"]),
    ("MUG", "Stoneware mug 350 ml", 1800, 420, &["OS"]),
    ("NOTE", "Dot-grid notebook A5", 1600, 300, &["OS"]),
    ("TOTE", "Canvas tote bag", 2000, 200, &["OS"]),
    ("BOTL", "Insulated bottle 750 ml", 3200, 380, &["OS"]),
    ("BEAN", "Ribbed beanie", 2600, 90, &["OS"]),
    ("SCRF", "Wool scarf", 4800, 250, &["OS"]),
    ("POST", "Art print 30×40", 3000, 150, &["OS"]),
    ("APRN", "Linen apron", 3800, 280, &["OS"]),
    (
        "PANT",
        "Chino trousers",
        5900,
        520,
        &["28", "30", "32", "34", "36"],
    ),
    ("JCKT", "Rain jacket", 8900, 700, &["S", "M", "L", "XL"]),
];
const COLOURS: [&str; 8] = ["BLK", "WHT", "NVY", "GRN", "RED", "OAT", "GRY", "PNK"];
const COLOUR_NAMES: [&str; 8] = [
    "black",
    "white",
    "navy",
    "forest green",
    "brick red",
    "oat",
    "grey",
    "pink",
];

const FIRST: [&str; 30] = [
    "Ada", "Ben", "Chloe", "Diego", "Emma", "Farah", "George", "Hana", "Ivan", "Julia", "Kofi",
    "Lena", "Mateo", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera",
    "Wes", "Xin", "Yara", "Zoe", "Liam", "Maya", "Noah", "Iris",
];
const LAST: [&str; 25] = [
    "Anderson", "Brooks", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen",
    "Khan", "Lopez", "Murphy", "Nguyen", "Okafor", "Patel", "Quinn", "Rossi", "Smith", "Tanaka",
    "Usman", "Varga", "Weber", "Young", "Zhang",
];
const CITIES: [(&str, &str, &str); 10] = [
    ("New York", "NY", "10001"),
    ("Philadelphia", "PA", "19103"),
    ("Boston", "MA", "02108"),
    ("Chicago", "IL", "60601"),
    ("Austin", "TX", "73301"),
    ("Denver", "CO", "80202"),
    ("Seattle", "WA", "98101"),
    ("Atlanta", "GA", "30303"),
    ("Portland", "OR", "97201"),
    ("Baltimore", "MD", "21201"),
];
const STREETS: [&str; 8] = [
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Elm St",
    "Pine Rd",
    "Lake Blvd",
    "Hill St",
];

fn address(name: &str, rng: &mut SmallRng) -> Address {
    let (city, region, zip) = CITIES[rng.random_range(0..CITIES.len())];
    Address {
        name: name.to_owned(),
        company: None,
        line1: format!(
            "{} {}",
            rng.random_range(1..2000),
            STREETS[rng.random_range(0..STREETS.len())]
        ),
        line2: None,
        city: city.to_owned(),
        region: region.to_owned(),
        postal_code: zip.to_owned(),
        country: "US".to_owned(),
        phone: None,
    }
}

fn location(
    code: &str,
    name: &str,
    kind: LocationKind,
    city: (&str, &str, &str),
    lat: f64,
    lon: f64,
    priority: i32,
) -> LocationDraft {
    LocationDraft {
        code: code.into(),
        name: name.into(),
        kind,
        address: Address {
            name: name.into(),
            company: Some("Orderly Demo Co.".into()),
            line1: "100 Commerce Way".into(),
            line2: None,
            city: city.0.into(),
            region: city.1.into(),
            postal_code: city.2.into(),
            country: "US".into(),
            phone: None,
        },
        latitude: lat,
        longitude: lon,
        can_ship: kind != LocationKind::Store || code == "ST-BKLYN",
        can_pickup: kind == LocationKind::Store,
        priority,
        rate: match kind {
            LocationKind::Warehouse => ShippingRate {
                base: 450,
                per_kg: 80,
                per_1000_km: 200,
            },
            LocationKind::Store => ShippingRate {
                base: 650,
                per_kg: 90,
                per_1000_km: 250,
            },
            LocationKind::Dropship => ShippingRate {
                base: 800,
                per_kg: 60,
                per_1000_km: 150,
            },
        },
    }
}

/// The demo's carriers: UPS Ground and 2nd Day Air and USPS Ground Advantage and Priority Mail,
/// zoned by distance (about the carriers' own zone widths), and same-day-ish local delivery from
/// the Brooklyn store and the East warehouse to New York City and northern New Jersey ZIPs.
pub fn rate_cards() -> Result<crate::domain::rates::RateCards> {
    let distance = serde_json::json!({ "kind": "distance", "bands": [
        { "upToKm": 250, "zone": 1 }, { "upToKm": 800, "zone": 2 }, { "upToKm": 1600, "zone": 3 },
        { "upToKm": 2800, "zone": 4 }, { "upToKm": 6000, "zone": 5 } ] });
    let cards = serde_json::json!({
        "currency": "USD",
        "carriers": [
            { "code": "UPS", "name": "UPS", "tracking": "ups", "services": [
                { "code": "GROUND", "name": "Ground", "transitDays": 4, "zones": distance,
                  "brackets": [
                      { "upToGrams": 500, "prices": [1015, 1080, 1150, 1240, 1330] },
                      { "upToGrams": 1000, "prices": [1060, 1140, 1240, 1365, 1480] },
                      { "upToGrams": 2000, "prices": [1135, 1250, 1395, 1570, 1760] },
                      { "upToGrams": 5000, "prices": [1390, 1625, 1930, 2320, 2710] },
                      { "upToGrams": 10000, "prices": [1780, 2210, 2790, 3530, 4210] },
                      { "upToGrams": 30000, "prices": [3150, 4120, 5480, 7050, 8600] } ],
                  "surcharges": { "fuelBp": 1450, "residential": 585,
                                  "overWeight": { "overGrams": 22000, "amount": 3100 } } },
                { "code": "2DA", "name": "2nd Day Air", "transitDays": 2, "zones": distance,
                  "brackets": [
                      { "upToGrams": 500, "prices": [2240, 2395, 2560, 2790, 3015] },
                      { "upToGrams": 2000, "prices": [2610, 2930, 3290, 3710, 4180] },
                      { "upToGrams": 5000, "prices": [3390, 4050, 4790, 5610, 6480] },
                      { "upToGrams": 10000, "prices": [4620, 5800, 7010, 8390, 9850] } ],
                  "surcharges": { "fuelBp": 1650, "residential": 585 } } ] },
            { "code": "USPS", "name": "USPS", "tracking": "usps", "services": [
                { "code": "GA", "name": "Ground Advantage", "transitDays": 5, "zones": distance,
                  "brackets": [
                      { "upToGrams": 500, "prices": [590, 640, 690, 760, 850] },
                      { "upToGrams": 1000, "prices": [780, 860, 960, 1090, 1230] },
                      { "upToGrams": 2000, "prices": [1010, 1150, 1340, 1590, 1890] },
                      { "upToGrams": 5000, "prices": [1480, 1820, 2290, 2850, 3520] },
                      { "upToGrams": 10000, "prices": [2350, 3010, 3920, 5010, 6230] } ] },
                { "code": "PRIORITY", "name": "Priority Mail", "transitDays": 3, "zones": distance,
                  "brackets": [
                      { "upToGrams": 500, "prices": [915, 960, 1020, 1130, 1240] },
                      { "upToGrams": 2000, "prices": [1190, 1340, 1560, 1860, 2190] },
                      { "upToGrams": 5000, "prices": [1750, 2180, 2790, 3520, 4330] },
                      { "upToGrams": 10000, "prices": [2710, 3560, 4690, 6010, 7490] } ] } ] },
            { "code": "LOCAL", "name": "Orderly Local", "tracking": "local", "services": [
                { "code": "COURIER", "name": "Courier", "transitDays": 1,
                  "fromLocations": ["ST-BKLYN", "WH-EAST"],
                  "zones": { "kind": "postalPrefix", "rules": [
                      { "prefix": "100", "zone": 1 }, { "prefix": "101", "zone": 1 },
                      { "prefix": "102", "zone": 1 }, { "prefix": "104", "zone": 1 },
                      { "prefix": "112", "zone": 1 }, { "prefix": "113", "zone": 1 },
                      { "prefix": "070", "zone": 2 }, { "prefix": "071", "zone": 2 },
                      { "prefix": "073", "zone": 2 } ] },
                  "brackets": [
                      { "upToGrams": 5000, "prices": [800, 1100] },
                      { "upToGrams": 15000, "prices": [1300, 1700] } ],
                  "surcharges": { "perPackage": 0 } } ] }
        ]
    });
    serde_json::from_value(cards)
        .map_err(|e| Error::Internal(format!("the demo rate cards do not parse: {e}")))
}

/// Loads the demo shop into an empty database. Refuses if the shop already has products, so real
/// data is never mixed with demo data.
pub async fn load(app: &App, size: DemoSize) -> Result<DemoReport> {
    {
        let (existing, _) = {
            let mut c = app.db().read().await?;
            db::catalog::list_products(&mut c, None, 0, 1).await?
        };
        if !existing.is_empty() {
            return Err(Error::conflict(
                "demo",
                "The shop already has products: clear all data first (Settings → Clear all data) to load the demo",
            ));
        }
    }
    let started = std::time::Instant::now();
    let mut rng = SmallRng::seed_from_u64(20_261_127);
    let now = app.now();
    let clock = Arc::new(DemoClock(Mutex::new(now - Duration::days(91))));
    let demo = app.bulk_loader(clock.clone()).await?;
    let actor = Actor::new("demo");

    let locations = [
        location(
            "WH-EAST",
            "East warehouse",
            LocationKind::Warehouse,
            ("Newark", "NJ", "07102"),
            40.7357,
            -74.1724,
            10,
        ),
        location(
            "WH-WEST",
            "West warehouse",
            LocationKind::Warehouse,
            ("Reno", "NV", "89501"),
            39.5296,
            -119.8138,
            20,
        ),
        location(
            "ST-BKLYN",
            "Brooklyn store",
            LocationKind::Store,
            ("Brooklyn", "NY", "11201"),
            40.6943,
            -73.9903,
            30,
        ),
        location(
            "DS-PRINT",
            "PrintCo dropship",
            LocationKind::Dropship,
            ("Columbus", "OH", "43215"),
            39.9612,
            -82.9988,
            90,
        ),
    ];
    for l in locations.iter().cloned() {
        demo.create_location(l).await?;
    }
    demo.save_rate_cards(&actor, rate_cards()?, Some("Demo carriers and rates"))
        .await?;

    let mut skus: Vec<String> = Vec::new();
    let mut item = 1u32;
    for (code, name, price, grams, sizes) in PRODUCTS {
        for (ci, colour) in COLOURS.iter().enumerate() {
            for size in sizes.iter() {
                let sku = if *size == "OS" {
                    format!("{code}-{colour}")
                } else {
                    format!("{code}-{colour}-{size}")
                };
                let data: Vec<u32> = format!("0614141{item:05}")
                    .chars()
                    .filter_map(|c| c.to_digit(10))
                    .collect();
                let check = gtin_check_digit(&data);
                let barcode = format!("0614141{item:05}{check}");
                item += 1;
                let title = if *size == "OS" {
                    format!("{name}, {}", COLOUR_NAMES[ci])
                } else {
                    format!("{name}, {}, {size}", COLOUR_NAMES[ci])
                };
                demo.create_product(ProductDraft {
                    sku: sku.clone(),
                    name: title,
                    barcode: Some(barcode),
                    price,
                    weight_grams: grams,
                    length_mm: 250,
                    width_mm: 200,
                    height_mm: 40,
                    active: true,
                    allow_backorder: code == "POST",
                    final_sale: false,
                })
                .await?;
                skus.push(sku);
            }
        }
    }

    // Opening stock: warehouses hold most, the store a shelf's worth, the dropship supplier only
    // prints. A few SKUs are kept scarce so out-of-stock and backorders can be tried.
    let mut receipts = Vec::new();
    for (i, sku) in skus.iter().enumerate() {
        let scarce = i % 37 == 5;
        let is_print = sku.starts_with("POST");
        for (loc, range) in [
            ("WH-EAST", 120..400),
            ("WH-WEST", 60..250),
            ("ST-BKLYN", 10..40),
            ("DS-PRINT", 50..200),
        ] {
            let stocked = match loc {
                "DS-PRINT" => is_print,
                "ST-BKLYN" => true,
                _ => !is_print,
            };
            if !stocked {
                continue;
            }
            let qty = if scarce {
                rng.random_range(1..4)
            } else {
                rng.random_range(range)
            };
            receipts.push(ReceiveStock {
                sku: sku.clone(),
                location: loc.into(),
                qty,
                note: Some("opening stock".into()),
            });
        }
    }
    demo.receive_stock_batch(&actor, receipts).await?;

    let mut customer_ids = Vec::new();
    for i in 0..size.customers {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i * 7 + i / FIRST.len()) % LAST.len()];
        let name = format!("{first} {last}");
        let c = demo
            .create_customer(CustomerDraft {
                name: name.clone(),
                email: Some(format!(
                    "{}.{}{}@example.com",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    i
                )),
                phone: Some(format!(
                    "+1 555 {:03} {:04}",
                    100 + i % 900,
                    rng.random_range(0..10_000)
                )),
                address: Some(address(&name, &mut rng)),
            })
            .await?;
        customer_ids.push((c.id, c.addresses.first().cloned()));
    }

    let start = now - Duration::days(90);
    let mut times: Vec<DateTime<Utc>> = (0..size.orders)
        .map(|_| start + Duration::seconds(rng.random_range(0..90 * 86_400 - 3_600)))
        .collect();
    times.sort();
    let mut placed = 0;
    for (n, at) in times.into_iter().enumerate() {
        clock.set(at);
        let roll = rng.random_range(0..100);
        let channel = match roll {
            0..50 => "web",
            50..70 => "counter",
            70..90 => "marketplace",
            _ => "phone",
        };
        let line_count = rng.random_range(1..=3);
        let mut lines = Vec::new();
        for _ in 0..line_count {
            let sku = &skus[rng.random_range(0..skus.len())];
            if lines.iter().any(|l: &LineRequest| &l.sku == sku) {
                continue;
            }
            lines.push(LineRequest {
                sku: sku.clone(),
                qty: rng.random_range(1..=2),
                unit_price: None,
                discount: None,
            });
        }
        let (cid, addr) = customer_ids[rng.random_range(0..customer_ids.len())].clone();
        let counter = channel == "counter";
        let pickup = !counter && rng.random_range(0..10) == 0;
        let req = OrderRequest {
            channel: channel.into(),
            channel_ref: match channel {
                "web" => Some(format!("W-{}", 500_000 + n)),
                "marketplace" => Some(format!(
                    "114-{:07}-{:07}",
                    1_000_000 + n * 37,
                    2_000_000 + n * 91
                )),
                _ => None,
            },
            customer_id: (!counter || rng.random_range(0..3) == 0).then(|| cid.to_string()),
            customer: None,
            ship_to: if counter || pickup {
                None
            } else {
                addr.clone()
            },
            pickup_location: (counter || pickup).then(|| "ST-BKLYN".to_owned()),
            take_away: counter,
            lines,
            shipping_charge: if counter || pickup {
                None
            } else {
                Some(if channel == "marketplace" { 0 } else { 595 })
            },
            tax_rate_bp: Some(if counter { 887 } else { 0 }),
            payment: Some(PaymentRequest {
                method: match channel {
                    "marketplace" => "marketplace".into(),
                    "counter" if rng.random_range(0..3) == 0 => "cash".into(),
                    _ => "card".into(),
                },
                captured: counter,
            }),
            attributes: Vec::new(),
            notes: None,
            no_split: false,
            // Web and marketplace orders come with a delivery promise.
            promised_by: matches!(channel, "web" | "marketplace")
                .then(|| (at + Duration::days(if channel == "web" { 5 } else { 4 })).date_naive()),
        };
        let order = match demo.create_order(&actor, req).await {
            Ok(o) => o,
            Err(Error::OutOfStock(_)) => continue, // a scarce SKU ran out: a real shop turns that buyer away too
            Err(e) => return Err(e),
        };
        placed += 1;
        // Move older orders along their life, as the shop would have.
        let age = now - at;
        if order.status == OrderStatus::Open && age > Duration::days(2) {
            clock.set(at + Duration::hours(rng.random_range(2..30)));
            let roll = rng.random_range(0..100);
            let to = if roll < 3 {
                OrderStatus::Cancelled
            } else if order.pickup_location.is_some() {
                OrderStatus::Completed
            } else {
                OrderStatus::Shipped
            };
            let reason = (to == OrderStatus::Cancelled).then_some("customer changed their mind");
            demo.change_status(&actor, &order.number, to, reason)
                .await?;
            if to == OrderStatus::Shipped && age > Duration::days(6) {
                clock.set(at + Duration::days(rng.random_range(3..6)));
                demo.change_status(&actor, &order.number, OrderStatus::Delivered, None)
                    .await?;
            }
        }
    }
    clock.set(now - Duration::hours(3));
    fulfil_recent(&demo, &actor, &skus).await?;
    if let Err(e) = returns_recent(&demo, &actor).await {
        // The returns screens then start empty; the rest of the demo shop stands.
        tracing::warn!(error = %e, "demo returns were not created");
    }
    {
        crate::db::write!(demo.db(), |tx| db::settings::set(
            tx,
            KEY_DEMO,
            &now.to_rfc3339()
        )
        .await)?;
    }
    if demo.database_kind() == crate::db::DbKind::Sqlite {
        demo.close().await;
    }
    let report = DemoReport {
        locations: locations.len(),
        products: skus.len(),
        customers: size.customers,
        orders: placed,
    };
    tracing::info!(
        ?report,
        seconds = started.elapsed().as_secs_f64(),
        "demo shop loaded"
    );
    Ok(report)
}

/// Bins on the shelves, and today's work under way: a pick list at the east warehouse with one
/// shipment packed and one labelled, and a pick-up ready at the store, so the fulfilment screens
/// show every queue.
async fn fulfil_recent(demo: &App, actor: &Actor, skus: &[String]) -> Result<()> {
    for (i, sku) in skus.iter().enumerate() {
        let aisle = (b'A' + (i / 40) as u8) as char;
        let bay = (i % 40) / 4 + 1;
        let shelf = i % 4 + 1;
        for loc in ["WH-EAST", "WH-WEST", "ST-BKLYN"] {
            let bin = format!("{aisle}-{bay:02}-{shelf}");
            demo.set_bin(sku, loc, Some(&bin)).await?;
        }
    }
    let east = demo.work_queues("WH-EAST").await?;
    let ship: Vec<String> = east
        .ready_to_pick
        .iter()
        .filter(|o| o.kind == crate::domain::fulfilment::ShipmentKind::Ship)
        .take(3)
        .map(|o| o.order_number.clone())
        .collect();
    if ship.len() == 3 {
        let pl = demo.create_pick_list(actor, "WH-EAST", &ship, 0).await?;
        for (n, sh) in pl.shipments.iter().take(2).enumerate() {
            let full = demo.shipment(&sh.number).await?;
            for l in &full.lines {
                for _ in 0..l.qty {
                    demo.pack_scan(&sh.number, &l.sku).await?;
                }
            }
            let grams = 250 + 400 * full.units();
            let parcel = crate::domain::fulfilment::PackageInput {
                weight_grams: grams,
                length_mm: 300,
                width_mm: 220,
                height_mm: 120,
            };
            demo.finish_packing(actor, &sh.number, &[parcel], false)
                .await?;
            if n == 1 {
                demo.label_shipment(
                    actor,
                    &sh.number,
                    &crate::app::fulfilment::LabelRequest {
                        carrier: "UPS".into(),
                        service: "Ground".into(),
                        tracking_numbers: vec!["1Z999AA10123456784".into()],
                        generate_local: false,
                        cost: Some(1089),
                    },
                )
                .await?;
            }
        }
    }
    let store = demo.work_queues("ST-BKLYN").await?;
    if let Some(o) = store
        .ready_to_pick
        .iter()
        .find(|o| o.kind == crate::domain::fulfilment::ShipmentKind::Pickup)
    {
        let pl = demo
            .create_pick_list(actor, "ST-BKLYN", std::slice::from_ref(&o.order_number), 0)
            .await?;
        let number = pl.shipments[0].number.clone();
        let full = demo.shipment(&number).await?;
        for l in &full.lines {
            for _ in 0..l.qty {
                demo.pack_scan(&number, &l.sku).await?;
            }
        }
        demo.finish_packing(actor, &number, &[], false).await?;
    }
    Ok(())
}

/// Two recent returns so the returns screens have something to show: one authorised to be
/// dropped off at the store, and one received at the east warehouse with its damaged unit held
/// and refunded.
async fn returns_recent(demo: &App, actor: &Actor) -> Result<()> {
    use crate::app::returns::{ReceiveUnits, RefundInput, ReturnInput, ReturnLineInput};
    use crate::domain::returns::{
        Disposition, RefundTo, ReturnCondition, ReturnMethod, ReturnReason,
    };
    let delivered = demo
        .list_orders(&crate::domain::order::OrderQuery {
            status: Some(OrderStatus::Delivered),
            sort: crate::domain::order::OrderSort::CreatedAt,
            descending: true,
            limit: 10,
            ..Default::default()
        })
        .await?;
    let mut picked = Vec::new();
    for o in &delivered.rows {
        let opts = demo.return_options(&o.number).await?;
        if opts.has_customer
            && opts
                .lines
                .iter()
                .any(|l| l.returnable_qty > 0 && !l.final_sale)
        {
            picked.push(opts);
        }
        if picked.len() == 2 {
            break;
        }
    }
    for (n, opts) in picked.into_iter().enumerate() {
        let Some(line) = opts.lines.iter().find(|l| l.returnable_qty > 0) else {
            continue;
        };
        let (reason, condition, location) = if n == 0 {
            (
                ReturnReason::WrongSize,
                ReturnCondition::Unopened,
                "ST-BKLYN",
            )
        } else {
            (ReturnReason::Defective, ReturnCondition::Damaged, "WH-EAST")
        };
        let r = demo
            .create_return(
                actor,
                ReturnInput {
                    order: opts.order.clone(),
                    lines: vec![ReturnLineInput {
                        line_no: line.line_no,
                        qty: 1,
                        reason,
                        condition,
                        note: None,
                    }],
                    method: ReturnMethod::DropOff,
                    location: location.into(),
                    override_reason: (!opts.within_window)
                        .then(|| "goodwill for a regular customer".to_owned()),
                    note: None,
                },
            )
            .await?;
        if n == 1 {
            demo.receive_return(
                actor,
                ReceiveUnits {
                    ret: r.ret.number.clone(),
                    location: location.into(),
                    code: Some(line.sku.clone()),
                    line_no: None,
                    qty: 1,
                    disposition: Disposition::Damaged,
                    note: Some("cracked casing".into()),
                },
            )
            .await?;
            demo.refund_return(
                actor,
                RefundInput {
                    ret: r.ret.number.clone(),
                    amount: None,
                    to: RefundTo::Original,
                    reason: None,
                    before_receipt: false,
                    idempotency_key: format!("demo-refund-{}", r.ret.number),
                },
            )
            .await?;
        }
    }
    Ok(())
}

const KEY_INITIALIZED: &str = "initialized_at";

/// Whether this is the very first start of a database (never initialised, no products), in
/// which case the demo shop should be loaded so a new owner has something to learn on. Marks the
/// database initialised, so this answers `true` once: clearing the data later does not bring the
/// demo back.
pub async fn first_start(app: &App) -> Result<bool> {
    let now = app.now();
    crate::db::write!(app.db(), |tx| {
        if db::settings::get(tx, KEY_INITIALIZED).await?.is_some() {
            return Ok(false);
        }
        db::settings::set(tx, KEY_INITIALIZED, &now.to_rfc3339()).await?;
        let (products, _) = db::catalog::list_products(tx, None, 0, 1).await?;
        Ok(products.is_empty())
    })
}

/// Loads the demo shop if this is the database's first start; returns whether it did.
pub async fn load_on_first_start(app: &App) -> Result<bool> {
    if first_start(app).await? {
        load(app, DemoSize::default()).await?;
        return Ok(true);
    }
    Ok(false)
}
