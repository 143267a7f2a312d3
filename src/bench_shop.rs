//! The large shop of `orderly bench`: a synthetic shop of a chosen size (SKUs, locations,
//! customers, years of past orders) generated from a seed, and the read measurements over it —
//! the orders list's first page and search as you type — through the same facade the screens call.
//!
//! Generating a million orders through `create_order` would take hours, so the rows are built here
//! and written with multi-row inserts (`db::bench_shop`) in large transactions with bulk
//! durability. They are what the use cases would have written: ids are UUIDv7 stamped with the
//! row's own time, name and phone search keys come from the core's functions, drafts pass the
//! core's validation, totals come from the core's pricing, and the stock on hand was received
//! through ledger rows, so `App::verify` finds every balance equal to its movements. Past orders
//! are finished (delivered, completed, cancelled; shipped in the last days), so they hold no
//! reservations and no stock; the stock on hand is what remains for new orders.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, SubsecRound, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::app::{App, SystemClock};
use crate::db::bench_shop::{self as rows, Table, Value};
use crate::db::{self, DbKind};
use crate::domain::address::Address;
use crate::domain::catalog::{
    CustomerDraft, LocationDraft, LocationKind, ProductDraft, ShippingRate, gtin_check_digit,
    name_key, phone_key,
};
use crate::domain::ids::order_number;
use crate::domain::money::{Currency, Money};
use crate::domain::order::{LineToPrice, OrderQuery, OrderSort, OrderStatus, price};
use crate::domain::stock::MovementKind;
use crate::error::{Error, Result};

/// The settings key that marks a database holding a generated shop (its size, as JSON).
const MARKER: &str = "bench_shop";
/// Orders written per transaction.
const ORDERS_PER_TX: usize = 10_000;

/// How big a shop to generate, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopSize {
    pub skus: usize,
    pub locations: usize,
    pub customers: usize,
    pub orders: usize,
    pub seed: u64,
}

impl ShopSize {
    /// Checks the size is one this generator makes sense for.
    pub fn validate(&self) -> Result<()> {
        let check = |field: &str, value: usize, lo: usize, hi: usize| {
            if (lo..=hi).contains(&value) {
                Ok(())
            } else {
                Err(Error::invalid(
                    field,
                    format!("Use {lo} to {hi} {field} for the bench shop (got {value})"),
                ))
            }
        };
        check("skus", self.skus, 1, 1_000_000)?;
        check("locations", self.locations, 1, 500)?;
        check("customers", self.customers, 1, 5_000_000)?;
        check("history", self.orders, 1, 20_000_000)
    }
}

/// What was generated, and how long it took.
#[derive(Debug, Clone, Serialize)]
pub struct ShopReport {
    pub size: ShopSize,
    pub warehouses: usize,
    pub stores: usize,
    pub order_lines: usize,
    pub payments: usize,
    pub order_events: usize,
    pub stock_balances: usize,
    pub stock_movements: usize,
    pub seconds: f64,
    pub orders_per_second: f64,
}

/// The size of the generated shop this database holds, if any.
pub async fn existing(app: &App) -> Result<Option<ShopSize>> {
    let mut c = app.db().read().await?;
    match db::settings::get(&mut c, MARKER).await? {
        None => Ok(None),
        Some(s) => serde_json::from_str(&s)
            .map(Some)
            .map_err(|e| Error::Internal(format!("stored bench shop marker unreadable: {e}"))),
    }
}

/// A US city: name, state, ZIP code, latitude, longitude.
type City = (&'static str, &'static str, &'static str, f64, f64);

const CITIES: [City; 36] = [
    ("Newark", "NJ", "07102", 40.7357, -74.1724),
    ("New York", "NY", "10001", 40.7506, -73.9972),
    ("Brooklyn", "NY", "11201", 40.6943, -73.9903),
    ("Philadelphia", "PA", "19103", 39.9525, -75.1740),
    ("Boston", "MA", "02108", 42.3576, -71.0637),
    ("Baltimore", "MD", "21201", 39.2950, -76.6252),
    ("Washington", "DC", "20001", 38.9123, -77.0177),
    ("Pittsburgh", "PA", "15222", 40.4489, -79.9877),
    ("Columbus", "OH", "43215", 39.9654, -83.0058),
    ("Indianapolis", "IN", "46204", 39.7714, -86.1557),
    ("Chicago", "IL", "60601", 41.8858, -87.6181),
    ("Detroit", "MI", "48226", 42.3314, -83.0500),
    ("Minneapolis", "MN", "55401", 44.9847, -93.2700),
    ("Kansas City", "MO", "64105", 39.1029, -94.5891),
    ("St. Louis", "MO", "63101", 38.6317, -90.1929),
    ("Memphis", "TN", "38103", 35.1473, -90.0555),
    ("Nashville", "TN", "37203", 36.1502, -86.7930),
    ("Louisville", "KY", "40202", 38.2527, -85.7520),
    ("Atlanta", "GA", "30303", 33.7526, -84.3916),
    ("Charlotte", "NC", "28202", 35.2283, -80.8432),
    ("Miami", "FL", "33131", 25.7645, -80.1910),
    ("Orlando", "FL", "32801", 28.5418, -81.3790),
    ("Dallas", "TX", "75201", 32.7877, -96.7991),
    ("Houston", "TX", "77002", 29.7567, -95.3656),
    ("Austin", "TX", "78701", 30.2711, -97.7437),
    ("Denver", "CO", "80202", 39.7530, -104.9990),
    ("Salt Lake City", "UT", "84101", 40.7563, -111.8985),
    ("Phoenix", "AZ", "85004", 33.4516, -112.0683),
    ("Las Vegas", "NV", "89101", 36.1719, -115.1233),
    ("Reno", "NV", "89501", 39.5296, -119.8138),
    ("Los Angeles", "CA", "90012", 34.0614, -118.2385),
    ("San Diego", "CA", "92101", 32.7194, -117.1628),
    ("San Francisco", "CA", "94103", 37.7725, -122.4091),
    ("Sacramento", "CA", "95814", 38.5804, -121.4922),
    ("Portland", "OR", "97201", 45.5075, -122.6897),
    ("Seattle", "WA", "98101", 47.6114, -122.3305),
];

#[rustfmt::skip]
const STREETS: [&str; 16] = [
    "Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Pine Rd", "Lake Blvd", "Hill St",
    "Washington Ave", "Park Pl", "Sunset Blvd", "River Rd", "Church St", "Highland Ave",
    "Market St", "2nd Ave",
];

/// First names, most common first (picks favour the front of the list).
#[rustfmt::skip]
const FIRST_NAMES: [&str; 120] = [
    "James", "Mary", "Michael", "Patricia", "John", "Jennifer", "Robert", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy", "Matthew", "Sandra",
    "Anthony", "Ashley", "Mark", "Emily", "Donald", "Michelle", "Steven", "Amanda", "Andrew",
    "Melissa", "Joshua", "Stephanie", "Kevin", "Rebecca", "Brian", "Laura", "George", "Emma",
    "Timothy", "Olivia", "Jose", "Sophia", "Carlos", "Maria", "Luis", "Ana", "Juan", "Gabriela",
    "Miguel", "Lucía", "Wei", "Mei", "Jun", "Yuki", "Hiroshi", "Min-jun", "Ji-woo", "Priya",
    "Arjun", "Ananya", "Rahul", "Fatima", "Mohammed", "Aisha", "Omar", "Layla", "Yusuf", "Noor",
    "Chloé", "Zoë", "Renée", "José", "Inés", "Søren", "Björn", "Jürgen", "François", "Siobhan",
    "Niamh", "Seán", "Kwame", "Amara", "Chidi", "Ngozi", "Tariq", "Leilani", "Kai", "Mateo",
    "Valentina", "Santiago", "Camila", "Diego", "Isabella", "Ethan", "Ava", "Liam", "Mia",
    "Noah", "Harper", "Lucas", "Ella", "Mason", "Aria", "Logan", "Nora", "Elijah", "Hazel",
    "Oliver", "Ivy", "Ada", "Mary-Jane", "Jean-Luc", "Bo", "Al",
];

/// Family names, most common first.
#[rustfmt::skip]
const LAST_NAMES: [&str; 118] = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Chen", "Wang", "Li", "Zhang", "Liu",
    "Kim", "Park", "Choi", "Tanaka", "Sato", "Suzuki", "Patel", "Shah", "Singh", "Kumar",
    "Gupta", "Khan", "Ahmed", "Hassan", "Ali", "Okafor", "Mensah", "Adeyemi", "Diallo",
    "Kowalski", "Nowak", "Novák", "Horvat", "Rossi", "Russo", "Bianchi", "Müller", "Schmidt",
    "Schneider", "Fischer", "Weber", "Dubois", "Lefèvre", "García", "Fernández", "Núñez",
    "Ibáñez", "O'Brien", "O'Connor", "McCarthy", "MacDonald", "Murphy", "Kelly", "Sullivan",
    "Walsh", "Byrne", "Smith-Jones", "Lloyd-Webb", "De la Cruz", "van der Berg", "De Luca",
    "St. James", "Larsen", "Johansson", "Andersson", "Nielsen", "Virtanen", "Ivanov", "Petrov",
    "Popescu", "Papadopoulos", "Yilmaz", "Cohen",
];

const AREA_CODES: [&str; 24] = [
    "201", "212", "215", "312", "347", "404", "415", "503", "512", "602", "617", "646", "702",
    "713", "718", "720", "773", "786", "813", "818", "857", "917", "929", "973",
];

const MAIL_DOMAINS: [&str; 8] = [
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "icloud.com",
    "hotmail.com",
    "aol.com",
    "proton.me",
    "fastmail.com",
];

/// Product families: code, name, price (cents), weight (g), sizes.
type Family = (
    &'static str,
    &'static str,
    i64,
    i64,
    &'static [&'static str],
);

const FAMILIES: [Family; 24] = [
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
    (
        "JKT",
        "Waxed cotton jacket",
        18900,
        1200,
        &["S", "M", "L", "XL"],
    ),
    ("SHRT", "Oxford shirt", 5900, 260, &["S", "M", "L", "XL"]),
    (
        "CHNO",
        "Stretch chinos",
        6900,
        480,
        &["28", "30", "32", "34", "36"],
    ),
    ("BEAN", "Ribbed beanie", 2600, 90, &["OS"]),
    ("SCRF", "Lambswool scarf", 4500, 160, &["OS"]),
    ("GLOV", "Leather gloves", 5200, 140, &["S", "M", "L"]),
    ("BELT", "Bridle leather belt", 4800, 210, &["S", "M", "L"]),
    ("WLLT", "Card wallet", 3900, 60, &["OS"]),
    ("CNDL", "Soy candle 200 g", 2800, 450, &["OS"]),
    ("PLNT", "Ceramic planter", 3400, 900, &["S", "L"]),
    ("BLNK", "Wool throw blanket", 9900, 1400, &["OS"]),
    ("TOWL", "Linen tea towel", 1500, 80, &["OS"]),
    ("APRN", "Denim apron", 4200, 350, &["OS"]),
    ("PENS", "Gel pen set", 1200, 70, &["OS"]),
    ("BKPK", "Roll-top backpack", 11900, 1100, &["OS"]),
    (
        "SNKR",
        "Canvas sneakers",
        7900,
        850,
        &["38", "40", "42", "44", "46"],
    ),
];

const COLOURS: [(&str, &str); 12] = [
    ("BLK", "Black"),
    ("WHT", "White"),
    ("NVY", "Navy"),
    ("GRN", "Forest green"),
    ("RED", "Brick red"),
    ("OAT", "Oat"),
    ("GRY", "Grey"),
    ("PNK", "Pink"),
    ("OLV", "Olive"),
    ("SND", "Sand"),
    ("RST", "Rust"),
    ("SKY", "Sky blue"),
];

const STAFF: [&str; 6] = ["ana", "ben", "chloe", "dev", "emma", "femi"];

const CANCEL_REASONS: [&str; 5] = [
    "customer asked",
    "payment declined",
    "duplicate order",
    "address could not be verified",
    "customer did not collect",
];

/// A deterministic generator for one thing (`stream`, `index`) of a shop made from `seed`, so
/// each row is the same whatever order or batch it is made in.
fn rng_for(seed: u64, stream: u64, index: u64) -> SmallRng {
    let mix = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
        .wrapping_add(index.wrapping_mul(0x8CB9_2BA7_2F3D_8DD7));
    SmallRng::seed_from_u64(mix)
}

/// A UUIDv7 stamped with `at`, its random bits from `rng`: time-ordered like the ids real use
/// makes, and reproducible.
fn id_at(at: DateTime<Utc>, rng: &mut SmallRng) -> Uuid {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &rng.random::<[u8; 10]>()).into_uuid()
}

/// An index in `0..n` that favours the front (popular names, best-selling products).
fn skewed(rng: &mut SmallRng, n: usize, power: f64) -> usize {
    let u: f64 = rng.random();
    ((n as f64) * u.powf(power)).min(n as f64 - 1.0) as usize
}

/// The letters of a name as they can appear in an e-mail address.
fn mail_part(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let folded = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
            'ú' | 'ù' | 'û' | 'ü' => "u",
            'ñ' => "n",
            'ç' => "c",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => continue,
        };
        out.push_str(folded);
    }
    out
}

fn address(name: &str, rng: &mut SmallRng) -> Address {
    let (city, region, postal, _, _) = CITIES[rng.random_range(0..CITIES.len())];
    Address {
        name: name.to_owned(),
        company: rng.random_bool(0.05).then(|| "Acme LLC".to_owned()),
        line1: format!(
            "{} {}",
            rng.random_range(1..9999),
            STREETS[rng.random_range(0..STREETS.len())]
        ),
        line2: rng
            .random_bool(0.15)
            .then(|| format!("Apt {}", rng.random_range(1..40))),
        city: city.to_owned(),
        region: region.to_owned(),
        postal_code: postal.to_owned(),
        country: "US".to_owned(),
        phone: None,
    }
}

fn json_text(v: &impl Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.to_string()))
}

/// Whole microseconds, as the app's clock gives them.
fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

struct LocationInfo {
    id: Uuid,
    code: String,
    kind: LocationKind,
}

struct ProductInfo {
    id: Uuid,
    sku: String,
    name: String,
    price: i64,
}

struct CustomerInfo {
    id: Uuid,
    name: String,
    /// The address as JSON (the ship-to of its orders) and on one line (for the timeline).
    ship_to: Option<(String, String)>,
}

struct ChannelInfo {
    id: Uuid,
    code: &'static str,
    name: String,
}

/// Everything an order needs to refer to.
struct Context {
    seed: u64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    orders: usize,
    first_seq: i64,
    currency: Currency,
    channels: Vec<ChannelInfo>,
    stores: Vec<usize>,
    locations: Vec<LocationInfo>,
    products: Vec<ProductInfo>,
    customers: Vec<CustomerInfo>,
}

/// Generates a shop of `size` into `app`'s database, which must hold no products, locations,
/// customers or orders yet. Past orders span the two years before `end`. `progress` hears how
/// many orders are written so far.
pub async fn generate(
    app: &App,
    size: &ShopSize,
    end: DateTime<Utc>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ShopReport> {
    size.validate()?;
    let started = Instant::now();
    let end = micros(end);
    let start = end - chrono::Duration::days(730);
    let currency = Currency::parse(&app.settings().await?.currency, "currency")?;
    let channels = app.channels().await?;
    let channel = |code: &'static str| -> Result<ChannelInfo> {
        channels
            .iter()
            .find(|c| c.code == code)
            .map(|c| ChannelInfo {
                id: c.id,
                code,
                name: c.name.clone(),
            })
            .ok_or_else(|| Error::Internal(format!("the default channel {code} is missing")))
    };
    let channels = vec![
        channel("COUNTER")?,
        channel("WEB")?,
        channel("MARKETPLACE")?,
        channel("PHONE")?,
    ];
    let loader = app.bulk_loader(Arc::new(SystemClock)).await?;
    let result = generate_with(&loader, size, start, end, currency, channels, progress).await;
    if loader.database_kind() == DbKind::Sqlite {
        loader.close().await;
    }
    let mut report = result?;
    report.seconds = started.elapsed().as_secs_f64();
    report.orders_per_second = size.orders as f64 / report.seconds.max(1e-9);
    let mut c = app.db().read().await?;
    rows::settle_after_load(&mut c).await?;
    Ok(report)
}

async fn generate_with(
    loader: &App,
    size: &ShopSize,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    currency: Currency,
    channels: Vec<ChannelInfo>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ShopReport> {
    let seed = size.seed;
    let opened = start - chrono::Duration::days(60);

    // Catalogue: locations, products, customers, in one transaction.
    let mut tx = loader.db().begin_write().await?;
    rows::prepare_bulk(&mut tx).await?;
    let first_seq = rows::max_order_seq(&mut tx).await? + 1;
    let (locations, location_rows) = locations(size, opened)?;
    rows::insert(&mut tx, Table::Locations, location_rows).await?;
    let (products, product_rows) = products(size, currency, opened)?;
    rows::insert(&mut tx, Table::Products, product_rows).await?;
    let (customers, customer_rows) = customers(size, start)?;
    rows::insert(&mut tx, Table::Customers, customer_rows).await?;
    tx.commit().await?;
    tracing::info!(
        skus = products.len(),
        locations = locations.len(),
        customers = customers.len(),
        "bench shop catalogue written"
    );

    // Stock: every balance is exactly the sum of its receipts and counts.
    let (balances, movements) = stock(seed, &locations, &products, start, end)?;
    let (stock_balances, stock_movements) = (
        balances.len() / Table::StockBalances.columns().len(),
        movements.len() / Table::StockMovements.columns().len(),
    );
    let mut tx = loader.db().begin_write().await?;
    rows::prepare_bulk(&mut tx).await?;
    rows::insert(&mut tx, Table::StockBalances, balances).await?;
    rows::insert(&mut tx, Table::StockMovements, movements).await?;
    tx.commit().await?;

    // Past orders, oldest first, a batch per transaction; the next batch is built on another
    // thread while this one is written.
    let stores: Vec<usize> = (0..locations.len())
        .filter(|i| locations[*i].kind == LocationKind::Store)
        .collect();
    let warehouses = locations.len() - stores.len();
    let ctx = Arc::new(Context {
        seed,
        start,
        end,
        orders: size.orders,
        first_seq,
        currency,
        channels,
        stores,
        locations,
        products,
        customers,
    });
    let build = |from: usize| {
        let ctx = ctx.clone();
        tokio::task::spawn_blocking(move || {
            let to = (from + ORDERS_PER_TX).min(ctx.orders);
            order_batch(&ctx, from, to)
        })
    };
    let (mut lines, mut payments, mut events) = (0, 0, 0);
    let mut next = Some(build(0));
    let mut from = 0;
    while let Some(pending) = next.take() {
        let batch = pending
            .await
            .map_err(|e| Error::Internal(format!("order generator failed: {e}")))??;
        let to = (from + ORDERS_PER_TX).min(size.orders);
        if to < size.orders {
            next = Some(build(to));
        }
        lines += batch.lines.len() / Table::OrderLines.columns().len();
        payments += batch.payments.len() / Table::Payments.columns().len();
        events += batch.events.len() / Table::OrderEvents.columns().len();
        let mut tx = loader.db().begin_write().await?;
        rows::prepare_bulk(&mut tx).await?;
        rows::insert(&mut tx, Table::Orders, batch.orders).await?;
        rows::insert(&mut tx, Table::OrderLines, batch.lines).await?;
        rows::insert(&mut tx, Table::Payments, batch.payments).await?;
        rows::insert(&mut tx, Table::OrderEvents, batch.events).await?;
        if to == size.orders {
            rows::sync_order_sequence(&mut tx).await?;
            db::settings::set(&mut tx, MARKER, &json_text(size)?).await?;
        }
        tx.commit().await?;
        progress(to, size.orders);
        from = to;
    }
    Ok(ShopReport {
        size: *size,
        warehouses,
        stores: ctx.stores.len(),
        order_lines: lines,
        payments,
        order_events: events,
        stock_balances,
        stock_movements,
        seconds: 0.0,
        orders_per_second: 0.0,
    })
}

/// A quarter of the locations are warehouses (shipping only), the rest stores (pick-up and
/// counter sales; one in three also ships), each in a real US city with its own shipping rate.
fn locations(size: &ShopSize, at: DateTime<Utc>) -> Result<(Vec<LocationInfo>, Vec<Value>)> {
    let mut infos = Vec::with_capacity(size.locations);
    let mut values = Vec::new();
    let (mut warehouses, mut stores) = (0i32, 0i32);
    for i in 0..size.locations {
        let mut rng = rng_for(size.seed, 1, i as u64);
        let warehouse = i % 4 == 0;
        let (city, region, postal, lat, lon) = CITIES[(i * 7) % CITIES.len()];
        let (code, name, kind) = if warehouse {
            warehouses += 1;
            (
                format!("WH-{warehouses:02}"),
                format!("{city} warehouse"),
                LocationKind::Warehouse,
            )
        } else {
            stores += 1;
            (
                format!("ST-{stores:02}"),
                format!("{city} store {stores}"),
                LocationKind::Store,
            )
        };
        let draft = LocationDraft {
            code,
            name,
            kind,
            address: Address {
                name: "Receiving".into(),
                company: None,
                line1: format!(
                    "{} {}",
                    rng.random_range(1..2000),
                    STREETS[rng.random_range(0..STREETS.len())]
                ),
                line2: None,
                city: city.into(),
                region: region.into(),
                postal_code: postal.into(),
                country: "US".into(),
                phone: None,
            },
            latitude: lat,
            longitude: lon,
            can_ship: warehouse || stores % 3 == 0,
            can_pickup: !warehouse,
            priority: if warehouse {
                10 * warehouses
            } else {
                100 + stores
            },
            rate: if warehouse {
                ShippingRate {
                    base: rng.random_range(40..70) * 10,
                    per_kg: rng.random_range(6..13) * 10,
                    per_1000_km: rng.random_range(15..31) * 10,
                }
            } else {
                ShippingRate {
                    base: rng.random_range(70..100) * 10,
                    per_kg: rng.random_range(10..16) * 10,
                    per_1000_km: rng.random_range(25..41) * 10,
                }
            },
        }
        .validate()?;
        let id = id_at(at, &mut rng);
        values.extend([
            Value::Id(id),
            Value::Text(draft.code.clone()),
            Value::Text(draft.name.clone()),
            Value::Text(draft.kind.as_str().to_owned()),
            Value::Text(json_text(&draft.address)?),
            Value::Real(draft.latitude),
            Value::Real(draft.longitude),
            Value::Bool(draft.can_ship),
            Value::Bool(draft.can_pickup),
            Value::Int32(draft.priority),
            Value::Int(draft.rate.base),
            Value::Int(draft.rate.per_kg),
            Value::Int(draft.rate.per_1000_km),
            Value::Bool(true),
            Value::Time(at),
        ]);
        infos.push(LocationInfo {
            id,
            code: draft.code,
            kind: draft.kind,
        });
    }
    Ok((infos, values))
}

/// Products in families, styles and colours (`TEE-0042-NVY-M`), with valid GTIN-13 barcodes.
fn products(
    size: &ShopSize,
    currency: Currency,
    at: DateTime<Utc>,
) -> Result<(Vec<ProductInfo>, Vec<Value>)> {
    let mut infos = Vec::with_capacity(size.skus);
    let mut values = Vec::with_capacity(size.skus * Table::Products.columns().len());
    for i in 0..size.skus {
        let mut rng = rng_for(size.seed, 2, i as u64);
        let (fam, fam_name, base, weight, sizes) = FAMILIES[i % FAMILIES.len()];
        let style = i / FAMILIES.len();
        let (col, col_name) = COLOURS[rng.random_range(0..COLOURS.len())];
        let size_label = sizes[style % sizes.len()];
        let sku = if size_label == "OS" {
            format!("{fam}-{style:04}-{col}")
        } else {
            format!("{fam}-{style:04}-{col}-{size_label}")
        };
        // 20-29 is GS1's prefix for numbers a business assigns itself.
        let data: Vec<u32> = format!("2{:011}", i)
            .chars()
            .filter_map(|c| c.to_digit(10))
            .collect();
        let barcode: String = data
            .iter()
            .chain(std::iter::once(&gtin_check_digit(&data)))
            .map(|d| char::from(b'0' + *d as u8))
            .collect();
        let price = (base * rng.random_range(80..=130) / 100 / 100) * 100 - 1;
        let draft = ProductDraft {
            sku,
            name: format!("{fam_name}, {col_name} ({size_label}) no. {style}"),
            barcode: Some(barcode),
            price: price.max(99),
            weight_grams: weight,
            length_mm: 300,
            width_mm: 200,
            height_mm: 50,
            active: rng.random_bool(0.97),
            allow_backorder: rng.random_bool(0.05),
            final_sale: false,
        };
        let p = draft.validate()?;
        let id = id_at(at, &mut rng);
        values.extend([
            Value::Id(id),
            Value::Text(p.sku.as_str().to_owned()),
            Value::Text(p.name.clone()),
            Value::OptText(p.barcode.as_ref().map(|b| b.as_str().to_owned())),
            Value::Int(p.price),
            Value::Text(currency.code().to_owned()),
            Value::Int(p.weight_grams),
            Value::Int(p.length_mm),
            Value::Int(p.width_mm),
            Value::Int(p.height_mm),
            Value::Bool(p.active),
            Value::Bool(p.allow_backorder),
            Value::Time(at),
            Value::Time(at),
        ]);
        infos.push(ProductInfo {
            id,
            sku: p.sku.as_str().to_owned(),
            name: p.name,
            price: p.price,
        });
    }
    Ok((infos, values))
}

/// Customer number `i`, as the counter would enter it.
fn customer_draft(i: usize, rng: &mut SmallRng) -> CustomerDraft {
    let first = FIRST_NAMES[skewed(rng, FIRST_NAMES.len(), 1.3)];
    let last = LAST_NAMES[skewed(rng, LAST_NAMES.len(), 1.3)];
    let name = format!("{first} {last}");
    let (f, l) = (mail_part(first), mail_part(last));
    let domain = MAIL_DOMAINS[skewed(rng, MAIL_DOMAINS.len(), 1.5)];
    let email = match rng.random_range(0..10) {
        0..=3 => Some(format!("{f}.{l}{}@{domain}", i % 1000)),
        4..=5 => Some(format!("{}{l}{}@{domain}", &f[..f.len().min(1)], i)),
        6 => Some(format!("{f}_{l}@{domain}")),
        7..=8 => Some(format!("{l}.{f}{}@{domain}", rng.random_range(1..99))),
        _ => None,
    };
    let phone = rng.random_bool(0.8).then(|| {
        let area = AREA_CODES[rng.random_range(0..AREA_CODES.len())];
        let (a, b) = (rng.random_range(200..1000), rng.random_range(0..10_000));
        match rng.random_range(0..3) {
            0 => format!("({area}) {a}-{b:04}"),
            1 => format!("+1 {area} {a} {b:04}"),
            _ => format!("{area}.{a}.{b:04}"),
        }
    });
    let address = rng.random_bool(0.85).then(|| address(&name, rng));
    CustomerDraft {
        name,
        email,
        phone,
        address,
    }
}

fn customers(size: &ShopSize, start: DateTime<Utc>) -> Result<(Vec<CustomerInfo>, Vec<Value>)> {
    let mut infos = Vec::with_capacity(size.customers);
    let mut values = Vec::with_capacity(size.customers * Table::Customers.columns().len());
    for i in 0..size.customers {
        let mut rng = rng_for(size.seed, 3, i as u64);
        // Validated exactly as the counter's "new customer" is, so stored forms match real use.
        let d = customer_draft(i, &mut rng).validate("customer")?;
        let at = micros(start - chrono::Duration::seconds(rng.random_range(0..30 * 86_400)));
        let id = id_at(at, &mut rng);
        let addresses: Vec<&Address> = d.address.iter().collect();
        values.extend([
            Value::Id(id),
            Value::Text(d.name.clone()),
            Value::Text(name_key(&d.name)),
            Value::OptText(d.email.clone()),
            Value::OptText(d.phone.clone()),
            Value::OptText(d.phone.as_deref().map(phone_key)),
            Value::Text(json_text(&addresses)?),
            Value::Time(at),
        ]);
        infos.push(CustomerInfo {
            id,
            ship_to: match &d.address {
                Some(a) => Some((json_text(a)?, a.one_line())),
                None => None,
            },
            name: d.name,
        });
    }
    Ok((infos, values))
}

/// Stock of every product at most warehouses and some stores, received in one to three
/// deliveries, sometimes corrected by a count: balance rows and the ledger rows they sum.
fn stock(
    seed: u64,
    locations: &[LocationInfo],
    products: &[ProductInfo],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(Vec<Value>, Vec<Value>)> {
    let mut balances = Vec::new();
    let mut movements = Vec::new();
    let span = (end - start).num_seconds().max(1);
    for (p, product) in products.iter().enumerate() {
        let mut rng = rng_for(seed, 4, p as u64);
        for loc in locations {
            let (stocked, lo, hi) = match loc.kind {
                LocationKind::Warehouse => (rng.random_bool(0.85), 20, 400),
                LocationKind::Store | LocationKind::Dropship => (rng.random_bool(0.35), 2, 40),
            };
            if !stocked {
                continue;
            }
            let mut on_hand = 0i64;
            let mut movement =
                |kind: MovementKind, qty: i64, reason: String, rng: &mut SmallRng| {
                    let at = micros(start + chrono::Duration::seconds(rng.random_range(0..span)));
                    let d = kind.delta(qty, false);
                    movements.extend([
                        Value::Id(product.id),
                        Value::Id(loc.id),
                        Value::Text(kind.as_str().to_owned()),
                        Value::Int(d.on_hand),
                        Value::Int(d.reserved),
                        Value::Int(d.incoming),
                        Value::OptText(Some(reason)),
                        Value::OptId(None),
                        Value::OptId(None),
                        Value::Text(STAFF[rng.random_range(0..STAFF.len())].to_owned()),
                        Value::Time(at),
                    ]);
                    d.on_hand
                };
            for _ in 0..rng.random_range(1..=3) {
                let qty = rng.random_range(lo..=hi);
                let po = format!("PO-{}", rng.random_range(10_000..99_999));
                on_hand += movement(MovementKind::Receive, qty, po, &mut rng);
            }
            if rng.random_bool(0.1) {
                let delta = -rng.random_range(1..=3).min(on_hand);
                if delta != 0 {
                    on_hand += movement(MovementKind::Adjust, delta, "count".into(), &mut rng);
                }
            }
            let safety = match loc.kind {
                LocationKind::Store if rng.random_bool(0.3) => 2,
                _ => 0,
            };
            balances.extend([
                Value::Id(product.id),
                Value::Id(loc.id),
                Value::Int(on_hand),
                Value::Int(0),
                Value::Int(0),
                Value::Int(safety),
            ]);
        }
    }
    Ok((balances, movements))
}

/// The rows of a batch of orders.
struct OrderBatch {
    orders: Vec<Value>,
    lines: Vec<Value>,
    payments: Vec<Value>,
    events: Vec<Value>,
}

/// How an order reached the customer.
enum Handover {
    /// The address as JSON and on one line.
    Ship(String, String),
    Pickup(usize),
    Counter(usize),
}

/// Orders `from..to`, evenly spread over the two years (order `i` in the `i`-th slot of time),
/// so sequence and creation time rise together as in real use.
fn order_batch(ctx: &Context, from: usize, to: usize) -> Result<OrderBatch> {
    let n = to - from;
    let mut b = OrderBatch {
        orders: Vec::with_capacity(n * Table::Orders.columns().len()),
        lines: Vec::with_capacity(n * 2 * Table::OrderLines.columns().len()),
        payments: Vec::with_capacity(n * Table::Payments.columns().len()),
        events: Vec::with_capacity(n * 3 * Table::OrderEvents.columns().len()),
    };
    let span_us = (ctx.end - ctx.start).num_microseconds().unwrap_or(i64::MAX) as f64;
    let slot = span_us / ctx.orders as f64;
    for i in from..to {
        let mut rng = rng_for(ctx.seed, 5, i as u64);
        let offset = (i as f64 + rng.random::<f64>() * 0.999) * slot;
        let at = micros(ctx.start + chrono::Duration::microseconds(offset as i64));
        one_order(ctx, i, at, &mut rng, &mut b)?;
    }
    Ok(b)
}

fn one_order(
    ctx: &Context,
    i: usize,
    at: DateTime<Utc>,
    rng: &mut SmallRng,
    b: &mut OrderBatch,
) -> Result<()> {
    let seq = ctx.first_seq + i as i64;
    let number = order_number(seq);
    let id = id_at(at, rng);
    let has_stores = !ctx.stores.is_empty();
    // Channel mix: web 40%, counter 25%, marketplace 20%, phone 15%.
    let roll = rng.random_range(0..100);
    let channel = match roll {
        0..=39 => &ctx.channels[1],
        40..=64 if has_stores => &ctx.channels[0],
        // Without stores there is no counter: those orders go to the marketplace.
        40..=84 => &ctx.channels[2],
        _ => &ctx.channels[3],
    };
    // Repeat buyers: half the orders come from the most loyal tenth of the customers.
    let customer = if channel.code == "COUNTER" && rng.random_bool(0.6) {
        None
    } else {
        let k = if rng.random_bool(0.5) {
            rng.random_range(0..ctx.customers.len().div_ceil(10))
        } else {
            rng.random_range(0..ctx.customers.len())
        };
        Some(&ctx.customers[k])
    };
    let store = |rng: &mut SmallRng| ctx.stores[rng.random_range(0..ctx.stores.len())];
    let handover = match channel.code {
        "COUNTER" => Handover::Counter(store(rng)),
        "PHONE" if has_stores && rng.random_bool(0.3) => Handover::Pickup(store(rng)),
        "WEB" if has_stores && rng.random_bool(0.1) => Handover::Pickup(store(rng)),
        _ => {
            let name = customer.map(|c| c.name.as_str()).unwrap_or("Guest");
            let (json, line) = match customer.and_then(|c| c.ship_to.clone()) {
                Some(pair) => pair,
                None => {
                    let a = address(name, rng);
                    (json_text(&a)?, a.one_line())
                }
            };
            Handover::Ship(json, line)
        }
    };
    let channel_ref = match channel.code {
        "WEB" => Some(format!("W{}", 100_000 + i)),
        "MARKETPLACE" => Some(format!(
            "{:03}-{:07}-{:07}",
            100 + i % 900,
            (i / 900) % 10_000_000,
            rng.random_range(0..10_000_000)
        )),
        _ => None,
    };

    // Lines: one to four products, best sellers more often.
    let count = match rng.random_range(0..100) {
        0..=49 => 1,
        50..=79 => 2,
        80..=94 => 3,
        _ => 4,
    };
    let mut picked: Vec<usize> = Vec::with_capacity(count);
    while picked.len() < count.min(ctx.products.len()) {
        let p = skewed(rng, ctx.products.len(), 2.2);
        if !picked.contains(&p) {
            picked.push(p);
        }
    }
    let to_price: Vec<LineToPrice> = picked
        .iter()
        .map(|p| {
            let unit_price = ctx.products[*p].price;
            let qty = match rng.random_range(0..100) {
                0..=74 => 1,
                75..=92 => 2,
                _ => rng.random_range(3..=5),
            };
            let discount = if rng.random_bool(0.08) {
                qty * unit_price / 10
            } else {
                0
            };
            LineToPrice {
                qty,
                unit_price,
                discount,
            }
        })
        .collect();
    let shipping = match &handover {
        Handover::Ship(..) => [0, 595, 895][rng.random_range(0..3)],
        Handover::Pickup(_) | Handover::Counter(_) => 0,
    };
    let tax_rate_bp = [0, 600, 625, 700, 825, 887, 1025][rng.random_range(0..7)];
    let (priced, totals) = price(&to_price, shipping, tax_rate_bp)?;

    // Where it ended: counter sales are completed on the spot; pick-ups are collected; parcels
    // are delivered, except the last days' which may still be on their way. Some are cancelled.
    let age_days = (ctx.end - at).num_days();
    let status = match &handover {
        Handover::Counter(_) => OrderStatus::Completed,
        Handover::Pickup(_) if rng.random_bool(0.07) => OrderStatus::Cancelled,
        Handover::Pickup(_) => OrderStatus::Completed,
        Handover::Ship(..) if rng.random_bool(0.06) => OrderStatus::Cancelled,
        Handover::Ship(..) if age_days < 3 && rng.random_bool(0.6) => OrderStatus::Shipped,
        Handover::Ship(..) => OrderStatus::Delivered,
    };
    let created_by = match channel.code {
        "WEB" => "web".to_owned(),
        "MARKETPLACE" => "marketplace".to_owned(),
        _ => STAFF[rng.random_range(0..STAFF.len())].to_owned(),
    };
    let later = |rng: &mut SmallRng, from: DateTime<Utc>, lo_h: i64, hi_h: i64| {
        let t = from + chrono::Duration::minutes(rng.random_range(lo_h * 60..hi_h * 60));
        micros(t.min(ctx.end).max(from))
    };

    // Timeline: created, paid, and how it ended.
    let money = |amount: i64| Money::new(amount, ctx.currency).display();
    let how = match &handover {
        Handover::Ship(_, line) => format!("to ship to {line}"),
        Handover::Pickup(s) => format!("for pick-up at {}", ctx.locations[*s].code),
        Handover::Counter(s) => format!("sold at the counter of {}", ctx.locations[*s].code),
    };
    let mut events: Vec<(DateTime<Utc>, &str, String, String, serde_json::Value)> = vec![(
        at,
        "created",
        created_by.clone(),
        format!(
            "Order {number} created on {} {how}, total {}",
            channel.name,
            money(totals.total)
        ),
        json!({ "channel": channel.code, "channelRef": channel_ref, "total": totals.total,
                "currency": ctx.currency.code(), "lines": priced.len() }),
    )];
    let method = match (&handover, channel.code) {
        (_, "MARKETPLACE") => "marketplace",
        (Handover::Counter(_), _) if rng.random_bool(0.3) => "cash",
        (_, "PHONE") if rng.random_bool(0.3) => "invoice",
        (_, "WEB") if rng.random_bool(0.25) => "paypal",
        _ => "card",
    };
    let captured = status != OrderStatus::Cancelled;
    events.push((
        at,
        "payment",
        created_by.clone(),
        format!(
            "{} {} by {method}",
            if captured { "Paid" } else { "Authorised" },
            money(totals.total)
        ),
        json!({ "method": method, "amount": totals.total, "captured": captured }),
    ));
    let staff = STAFF[rng.random_range(0..STAFF.len())].to_owned();
    let status_event =
        |t: DateTime<Utc>, from: OrderStatus, to: OrderStatus, reason: Option<&str>| {
            let mut summary = format!(
                "Status {} → {}",
                from.as_str().replace('_', " "),
                to.as_str().replace('_', " ")
            );
            if let Some(r) = reason {
                summary.push_str(&format!(" ({r})"));
            }
            let kind = if to == OrderStatus::Cancelled {
                "cancelled"
            } else {
                "status_changed"
            };
            (
                t,
                kind,
                staff.clone(),
                summary,
                json!({ "from": from.as_str(), "to": to.as_str(), "reason": reason }),
            )
        };
    match (status, &handover) {
        (OrderStatus::Completed, Handover::Counter(_)) => events.push(status_event(
            at,
            OrderStatus::Open,
            OrderStatus::Completed,
            Some("handed over at the counter"),
        )),
        (OrderStatus::Completed, _) => {
            let t = later(rng, at, 2, 96);
            events.push(status_event(
                t,
                OrderStatus::Open,
                OrderStatus::Completed,
                None,
            ));
        }
        (OrderStatus::Cancelled, _) => {
            let t = later(rng, at, 0, 48);
            let reason = CANCEL_REASONS[rng.random_range(0..CANCEL_REASONS.len())];
            events.push(status_event(
                t,
                OrderStatus::Open,
                OrderStatus::Cancelled,
                Some(reason),
            ));
        }
        (OrderStatus::Shipped | OrderStatus::Delivered, _) => {
            let shipped = later(rng, at, 4, 72);
            events.push(status_event(
                shipped,
                OrderStatus::Open,
                OrderStatus::Shipped,
                None,
            ));
            if status == OrderStatus::Delivered {
                let delivered = later(rng, shipped, 24, 144);
                events.push(status_event(
                    delivered,
                    OrderStatus::Shipped,
                    OrderStatus::Delivered,
                    None,
                ));
            }
        }
        (
            OrderStatus::Open
            | OrderStatus::Backordered
            | OrderStatus::InProgress
            | OrderStatus::PartiallyShipped
            | OrderStatus::PartiallyReturned
            | OrderStatus::Returned,
            _,
        ) => {
            return Err(Error::Internal(format!(
                "the bench shop makes only finished orders, not {}",
                status.as_str()
            )));
        }
    }
    let updated = events.iter().map(|e| e.0).max().unwrap_or(at);

    let (ship_to, pickup) = match &handover {
        Handover::Ship(json, _) => (Some(json.clone()), None),
        Handover::Pickup(s) | Handover::Counter(s) => (None, Some(ctx.locations[*s].id)),
    };
    let attributes: Vec<(String, String)> = if channel.code == "MARKETPLACE" {
        vec![("marketplace".into(), "Amazon".into())]
    } else {
        Vec::new()
    };
    let notes = rng
        .random_bool(0.03)
        .then(|| "Please leave at the side door".to_owned());
    b.orders.extend([
        Value::Int(seq),
        Value::Id(id),
        Value::Id(channel.id),
        Value::OptText(channel_ref),
        Value::OptId(customer.map(|c| c.id)),
        Value::OptText(customer.map(|c| c.name.clone())),
        Value::Text(status.as_str().to_owned()),
        Value::Text(ctx.currency.code().to_owned()),
        Value::OptText(ship_to),
        Value::OptId(pickup),
        Value::Int(totals.subtotal),
        Value::Int(totals.discount),
        Value::Int(totals.shipping),
        Value::Int(totals.tax),
        Value::Int(totals.total),
        Value::Int(priced.iter().map(|l| l.qty).sum()),
        Value::Int(tax_rate_bp),
        Value::Text(json_text(&attributes)?),
        Value::OptText(notes),
        Value::Text(created_by),
        Value::Time(at),
        Value::Time(updated),
    ]);
    for (n, (p, l)) in picked.iter().zip(&priced).enumerate() {
        let product = &ctx.products[*p];
        b.lines.extend([
            Value::Id(id),
            Value::Int32(n as i32 + 1),
            Value::Id(product.id),
            Value::Text(product.sku.clone()),
            Value::Text(product.name.clone()),
            Value::Int(l.qty),
            Value::Int(l.unit_price),
            Value::Int(l.discount),
            Value::Int(l.tax),
            Value::Int(l.total),
            Value::Int(0),
        ]);
    }
    b.payments.extend([
        Value::Id(id_at(at, rng)),
        Value::Id(id),
        Value::Text(method.to_owned()),
        Value::Int(totals.total),
        Value::Int(if captured { totals.total } else { 0 }),
        Value::Int(0),
        Value::Time(at),
    ]);
    for (t, kind, actor, summary, details) in events {
        b.events.extend([
            Value::Id(id_at(t, rng)),
            Value::Id(id),
            Value::Text(kind.to_owned()),
            Value::Text(actor),
            Value::Time(t),
            Value::Text(summary),
            Value::Text(details.to_string()),
        ]);
    }
    Ok(())
}

/// One measured read: how many, and the latency distribution in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct QueryRun {
    pub name: String,
    pub database: &'static str,
    pub operations: usize,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// What the rows matched, summed over the operations (shows the searches found something).
    pub rows_matched: i64,
}

impl QueryRun {
    fn new(
        name: &str,
        database: &'static str,
        elapsed: Duration,
        mut latencies: Vec<Duration>,
        rows_matched: i64,
    ) -> QueryRun {
        latencies.sort();
        // Nearest rank, as `bench::Run` computes it.
        let pct = |p: f64| -> f64 {
            if latencies.is_empty() {
                return 0.0;
            }
            let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
            latencies[i].as_secs_f64() * 1000.0
        };
        let secs = elapsed.as_secs_f64();
        QueryRun {
            name: name.to_owned(),
            database,
            operations: latencies.len(),
            seconds: secs,
            per_second: latencies.len() as f64 / secs.max(1e-9),
            p50_ms: pct(0.50),
            p95_ms: pct(0.95),
            p99_ms: pct(0.99),
            max_ms: pct(1.0),
            rows_matched,
        }
    }
}

/// The query the Orders screen sends when it opens: no filter, newest first, the first 100 rows.
pub fn first_page_query() -> OrderQuery {
    OrderQuery {
        sort: OrderSort::CreatedAt,
        descending: true,
        offset: 0,
        limit: 100,
        ..OrderQuery::default()
    }
}

/// What was typed into a search box, as a kind of term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    /// The first three letters of the name (`mar`).
    ThreeLetters,
    /// The first name (`maria`).
    FirstName,
    /// The first name and the initial of the last (`maria g`).
    FirstNameInitial,
    /// The whole name (`maria garcia`).
    FullName,
}

impl TermKind {
    pub const ALL: [TermKind; 4] = [
        TermKind::ThreeLetters,
        TermKind::FirstName,
        TermKind::FirstNameInitial,
        TermKind::FullName,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            TermKind::ThreeLetters => "3 letters",
            TermKind::FirstName => "first name",
            TermKind::FirstNameInitial => "first name + initial",
            TermKind::FullName => "full name",
        }
    }
}

/// A search term and what kind of typing it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchTerm {
    pub text: String,
    pub kind: TermKind,
}

/// What people type to find a customer's orders, from `count` customers of the shop chosen with
/// `seed`: each kind of [`TermKind`] in turn, as typed (capitals) or in lower case.
pub async fn search_terms(app: &App, seed: u64, count: usize) -> Result<Vec<SearchTerm>> {
    let names = {
        let mut c = app.db().read().await?;
        rows::customer_names(&mut c).await?
    };
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut rng = rng_for(seed, 6, 0);
    let mut terms = Vec::with_capacity(count);
    for k in 0..count {
        let name = &names[rng.random_range(0..names.len())];
        let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
        let kind = TermKind::ALL[k % TermKind::ALL.len()];
        let text = match kind {
            TermKind::ThreeLetters => first.chars().take(3).collect::<String>(),
            TermKind::FirstName => first.to_owned(),
            TermKind::FirstNameInitial => match last.chars().next() {
                Some(initial) => format!("{first} {initial}"),
                None => first.to_owned(),
            },
            TermKind::FullName => name.clone(),
        };
        let text = if rng.random_bool(0.5) {
            text.to_lowercase()
        } else {
            text
        };
        terms.push(SearchTerm { text, kind });
    }
    Ok(terms)
}

/// One timed call per term: the run over all of them first, then one per kind of term.
fn runs_by_kind(
    name: &str,
    database: &'static str,
    elapsed: Duration,
    timed: Vec<(TermKind, Duration, i64)>,
) -> Vec<QueryRun> {
    let all = QueryRun::new(
        name,
        database,
        elapsed,
        timed.iter().map(|t| t.1).collect(),
        timed.iter().map(|t| t.2).sum(),
    );
    let mut runs = vec![all];
    for kind in TermKind::ALL {
        let of_kind: Vec<&(TermKind, Duration, i64)> =
            timed.iter().filter(|t| t.0 == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        runs.push(QueryRun::new(
            &format!("  {}", kind.label()),
            database,
            of_kind.iter().map(|t| t.1).sum(),
            of_kind.iter().map(|t| t.1).collect(),
            of_kind.iter().map(|t| t.2).sum(),
        ));
    }
    runs
}

/// A few untimed calls first, so the runs measure a warm database as a working shop has.
const WARM_UP: usize = 5;

/// The Orders screen's first page, `reps` times.
pub async fn list_first_page(app: &App, reps: usize) -> Result<QueryRun> {
    let q = first_page_query();
    for _ in 0..WARM_UP {
        app.list_orders(&q).await?;
    }
    let started = Instant::now();
    let mut lat = Vec::with_capacity(reps);
    let mut matched = 0;
    for _ in 0..reps {
        let t = Instant::now();
        let page = app.list_orders(&q).await?;
        lat.push(t.elapsed());
        matched += page.rows.len() as i64;
    }
    Ok(QueryRun::new(
        "orders list, first page",
        app.database_kind().as_str(),
        started.elapsed(),
        lat,
        matched,
    ))
}

/// The Orders screen's search box: each term as the list query it sends (first page, newest
/// first, with the count of matches). The first run covers every term, the next one kind each.
pub async fn search_orders(app: &App, terms: &[SearchTerm]) -> Result<Vec<QueryRun>> {
    let query = |t: &SearchTerm| OrderQuery {
        search: Some(t.text.clone()),
        ..first_page_query()
    };
    for t in terms.iter().take(WARM_UP) {
        app.list_orders(&query(t)).await?;
    }
    let started = Instant::now();
    let mut timed = Vec::with_capacity(terms.len());
    for t in terms {
        let q = query(t);
        let s = Instant::now();
        let page = app.list_orders(&q).await?;
        timed.push((t.kind, s.elapsed(), page.total));
    }
    Ok(runs_by_kind(
        "orders search, customer name",
        app.database_kind().as_str(),
        started.elapsed(),
        timed,
    ))
}

/// The counter's customer quick-find (`App::search_customers`) for each term; runs as
/// [`search_orders`] makes them.
pub async fn search_customers(app: &App, terms: &[SearchTerm]) -> Result<Vec<QueryRun>> {
    for t in terms.iter().take(WARM_UP) {
        app.search_customers(&t.text).await?;
    }
    let started = Instant::now();
    let mut timed = Vec::with_capacity(terms.len());
    for t in terms {
        let s = Instant::now();
        let found = app.search_customers(&t.text).await?;
        timed.push((t.kind, s.elapsed(), found.len() as i64));
    }
    Ok(runs_by_kind(
        "customer quick-find",
        app.database_kind().as_str(),
        started.elapsed(),
        timed,
    ))
}
