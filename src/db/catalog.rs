//! Statements for products, locations, channels and customers.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executes, on_conn};
use crate::domain::address::Address;
use crate::domain::catalog::{
    Channel, Customer, CustomerDraft, Location, LocationDraft, LocationKind, Product, ShippingRate,
    ValidProduct, name_key, phone_key, phone_search_key,
};
use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
struct ProductRow {
    id: Uuid,
    sku: String,
    name: String,
    barcode: Option<String>,
    price: i64,
    currency: String,
    weight_grams: i64,
    length_mm: i64,
    width_mm: i64,
    height_mm: i64,
    active: bool,
    allow_backorder: bool,
    final_sale: bool,
    available: i64,
}

impl From<ProductRow> for Product {
    fn from(r: ProductRow) -> Self {
        Product {
            id: r.id,
            sku: r.sku,
            name: r.name,
            barcode: r.barcode,
            price: r.price,
            currency: r.currency,
            weight_grams: r.weight_grams,
            length_mm: r.length_mm,
            width_mm: r.width_mm,
            height_mm: r.height_mm,
            active: r.active,
            allow_backorder: r.allow_backorder,
            final_sale: r.final_sale,
            available: r.available,
        }
    }
}

const PRODUCT_COLUMNS: &str = "p.id, p.sku, p.name, p.barcode, p.price, p.currency, p.weight_grams, p.length_mm, \
     p.width_mm, p.height_mm, p.active, p.allow_backorder, p.final_sale, \
     CAST(COALESCE((SELECT SUM(CASE WHEN b.on_hand - b.reserved - b.safety_stock > 0 \
                 THEN b.on_hand - b.reserved - b.safety_stock ELSE 0 END) \
               FROM stock_balances b WHERE b.product_id = p.id), 0) AS BIGINT) AS available";

/// Maps a unique-constraint violation on products to an error naming the field.
fn product_conflict(e: sqlx::Error, p: &ValidProduct) -> Error {
    let err = Error::Database(e);
    if !err.is_unique_violation() {
        return err;
    }
    let msg = err.to_string();
    if msg.contains("barcode") {
        Error::conflict(
            "barcode",
            format!(
                "Another product already has barcode {}",
                p.barcode.as_ref().map(|b| b.as_str()).unwrap_or("")
            ),
        )
    } else {
        Error::conflict(
            "sku",
            format!(
                "A product with SKU {} already exists: choose another SKU",
                p.sku.as_str()
            ),
        )
    }
}

pub async fn insert_product(
    ex: &mut impl Executes,
    id: Uuid,
    p: &ValidProduct,
    currency: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let res = on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO products (id, sku, name, barcode, price, currency, weight_grams, length_mm, width_mm, height_mm, \
         active, allow_backorder, created_at, updated_at, final_sale) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)"
    )
    .bind(id)
    .bind(p.sku.as_str())
    .bind(&p.name)
    .bind(p.barcode.as_ref().map(|b| b.as_str()))
    .bind(p.price)
    .bind(currency)
    .bind(p.weight_grams)
    .bind(p.length_mm)
    .bind(p.width_mm)
    .bind(p.height_mm)
    .bind(p.active)
    .bind(p.allow_backorder)
    .bind(now)
    .bind(p.final_sale)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected())
    });
    res.map_err(|e| product_conflict(e, p))?;
    Ok(())
}

pub async fn update_product(
    ex: &mut impl Executes,
    id: Uuid,
    p: &ValidProduct,
    now: DateTime<Utc>,
) -> Result<()> {
    let res = on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE products SET sku = $2, name = $3, barcode = $4, price = $5, weight_grams = $6, length_mm = $7, \
         width_mm = $8, height_mm = $9, active = $10, allow_backorder = $11, updated_at = $12, final_sale = $13 WHERE id = $1"
    )
    .bind(id)
    .bind(p.sku.as_str())
    .bind(&p.name)
    .bind(p.barcode.as_ref().map(|b| b.as_str()))
    .bind(p.price)
    .bind(p.weight_grams)
    .bind(p.length_mm)
    .bind(p.width_mm)
    .bind(p.height_mm)
    .bind(p.active)
    .bind(p.allow_backorder)
    .bind(now)
    .bind(p.final_sale)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected())
    });
    let done = res.map_err(|e| product_conflict(e, p))?;
    if done == 0 {
        return Err(Error::not_found("Product", id.to_string()));
    }
    Ok(())
}

pub async fn product_by_id(ex: &mut impl Executes, id: Uuid) -> Result<Option<Product>> {
    let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.id = $1");
    let row: Option<ProductRow> =
        on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(&mut *c)
            .await?);
    Ok(row.map(Product::from))
}

/// Finds a product by exact SKU (case-insensitive, as SKUs are stored upper-case) or barcode.
pub async fn product_by_code(ex: &mut impl Executes, code: &str) -> Result<Option<Product>> {
    let code = code.trim();
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} FROM products p WHERE p.sku = $1 OR p.barcode = $2 LIMIT 1"
    );
    let row: Option<ProductRow> =
        on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(code.to_ascii_uppercase())
            .bind(code)
            .fetch_optional(&mut *c)
            .await?);
    Ok(row.map(Product::from))
}

/// Products whose SKU or barcode starts with, or whose name contains, `search`; by SKU.
pub async fn list_products(
    ex: &mut impl Executes,
    search: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Product>, i64)> {
    let (filter, upper, like) = match search.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => (
            "WHERE (p.sku >= $1 AND p.sku < $2) OR p.barcode = $3 OR LOWER(p.name) LIKE $4",
            s.to_ascii_uppercase(),
            format!("%{}%", s.to_lowercase().replace(['%', '_'], "")),
        ),
        None => ("", String::new(), String::new()),
    };
    let upper_end = format!("{upper}\u{10FFFF}");
    let raw = search.map(str::trim).unwrap_or("").to_owned();
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} FROM products p {filter} ORDER BY p.sku LIMIT {limit} OFFSET {offset}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM products p {filter}");
    let rows: Vec<ProductRow> = on_conn!(ex, |c| {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
        let q = if filter.is_empty() {
            q
        } else {
            q.bind(&upper).bind(&upper_end).bind(&raw).bind(&like)
        };
        q.fetch_all(&mut *c).await?
    });
    let total: (i64,) = on_conn!(ex, |c| {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(count_sql.clone()));
        let q = if filter.is_empty() {
            q
        } else {
            q.bind(&upper).bind(&upper_end).bind(&raw).bind(&like)
        };
        q.fetch_one(&mut *c).await?
    });
    Ok((rows.into_iter().map(Product::from).collect(), total.0))
}

#[derive(sqlx::FromRow)]
struct LocationRow {
    id: Uuid,
    code: String,
    name: String,
    kind: String,
    address: String,
    latitude: f64,
    longitude: f64,
    can_ship: bool,
    can_pickup: bool,
    priority: i32,
    rate_base: i64,
    rate_per_kg: i64,
    rate_per_1000_km: i64,
    active: bool,
}

impl TryFrom<LocationRow> for Location {
    type Error = Error;
    fn try_from(r: LocationRow) -> Result<Self> {
        Ok(Location {
            id: r.id,
            kind: LocationKind::parse(&r.kind, "kind")?,
            address: serde_json::from_str(&r.address).map_err(|e| {
                Error::Internal(format!(
                    "stored address of location {} is unreadable: {e}",
                    r.code
                ))
            })?,
            code: r.code,
            name: r.name,
            latitude: r.latitude,
            longitude: r.longitude,
            can_ship: r.can_ship,
            can_pickup: r.can_pickup,
            priority: r.priority,
            rate: ShippingRate {
                base: r.rate_base,
                per_kg: r.rate_per_kg,
                per_1000_km: r.rate_per_1000_km,
            },
            active: r.active,
        })
    }
}

const LOCATION_COLUMNS: &str = "id, code, name, kind, address, latitude, longitude, can_ship, can_pickup, priority, \
     rate_base, rate_per_kg, rate_per_1000_km, active";

fn location_conflict(e: sqlx::Error, code: &str) -> Error {
    let err = Error::Database(e);
    if err.is_unique_violation() {
        Error::conflict(
            "code",
            format!("A location with code {code} already exists: choose another code"),
        )
    } else {
        err
    }
}

pub async fn insert_location(
    ex: &mut impl Executes,
    id: Uuid,
    l: &LocationDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let address = serde_json::to_string(&l.address).map_err(|e| Error::Internal(e.to_string()))?;
    let res = on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO locations (id, code, name, kind, address, latitude, longitude, can_ship, can_pickup, priority, \
         rate_base, rate_per_kg, rate_per_1000_km, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, TRUE, $14)"
    )
    .bind(id)
    .bind(&l.code)
    .bind(&l.name)
    .bind(l.kind.as_str())
    .bind(&address)
    .bind(l.latitude)
    .bind(l.longitude)
    .bind(l.can_ship)
    .bind(l.can_pickup)
    .bind(l.priority)
    .bind(l.rate.base)
    .bind(l.rate.per_kg)
    .bind(l.rate.per_1000_km)
    .bind(now)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected())
    });
    res.map_err(|e| location_conflict(e, &l.code))?;
    Ok(())
}

pub async fn update_location(ex: &mut impl Executes, id: Uuid, l: &LocationDraft) -> Result<()> {
    let address = serde_json::to_string(&l.address).map_err(|e| Error::Internal(e.to_string()))?;
    let res = on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE locations SET code = $2, name = $3, kind = $4, address = $5, latitude = $6, longitude = $7, \
         can_ship = $8, can_pickup = $9, priority = $10, rate_base = $11, rate_per_kg = $12, rate_per_1000_km = $13 \
         WHERE id = $1"
    )
    .bind(id)
    .bind(&l.code)
    .bind(&l.name)
    .bind(l.kind.as_str())
    .bind(&address)
    .bind(l.latitude)
    .bind(l.longitude)
    .bind(l.can_ship)
    .bind(l.can_pickup)
    .bind(l.priority)
    .bind(l.rate.base)
    .bind(l.rate.per_kg)
    .bind(l.rate.per_1000_km)
    .execute(&mut *c)
    .await.map(|r| r.rows_affected())
    });
    let done = res.map_err(|e| location_conflict(e, &l.code))?;
    if done == 0 {
        return Err(Error::not_found("Location", id.to_string()));
    }
    Ok(())
}

/// All locations, in priority order (then code).
pub async fn list_locations(ex: &mut impl Executes) -> Result<Vec<Location>> {
    let sql = format!("SELECT {LOCATION_COLUMNS} FROM locations ORDER BY priority, code");
    let rows: Vec<LocationRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_all(&mut *c)
        .await?);
    rows.into_iter().map(Location::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct ChannelRow {
    id: Uuid,
    code: String,
    name: String,
    safety_stock: i64,
}

pub async fn insert_channel(
    ex: &mut impl Executes,
    ch: &Channel,
    now: DateTime<Utc>,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO channels (id, code, name, safety_stock, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (code) DO NOTHING"
    )
    .bind(ch.id)
    .bind(&ch.code)
    .bind(&ch.name)
    .bind(ch.safety_stock)
    .bind(now)
    .execute(&mut *c)
    .await?.rows_affected()
    });
    Ok(())
}

/// Changes a channel's name and buffer; `false` if there is no such channel.
pub async fn update_channel(
    ex: &mut impl Executes,
    code: &str,
    name: &str,
    safety_stock: i64,
) -> Result<bool> {
    let n = on_conn!(ex, |c| sqlx::query(
        "UPDATE channels SET name = $2, safety_stock = $3 WHERE code = $1"
    )
    .bind(code)
    .bind(name)
    .bind(safety_stock)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

pub async fn list_channels(ex: &mut impl Executes) -> Result<Vec<Channel>> {
    let rows: Vec<ChannelRow> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id, code, name, safety_stock FROM channels ORDER BY created_at, code"
    )
    .fetch_all(&mut *c)
    .await?);
    Ok(rows
        .into_iter()
        .map(|r| Channel {
            id: r.id,
            code: r.code,
            name: r.name,
            safety_stock: r.safety_stock,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: Uuid,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    addresses: String,
    order_count: i64,
}

impl TryFrom<CustomerRow> for Customer {
    type Error = Error;
    fn try_from(r: CustomerRow) -> Result<Self> {
        let addresses: Vec<Address> = serde_json::from_str(&r.addresses).map_err(|e| {
            Error::Internal(format!(
                "stored addresses of customer {} are unreadable: {e}",
                r.id
            ))
        })?;
        Ok(Customer {
            id: r.id,
            name: r.name,
            email: r.email,
            phone: r.phone,
            addresses,
            order_count: r.order_count,
        })
    }
}

const CUSTOMER_COLUMNS: &str = "c.id, c.name, c.email, c.phone, c.addresses, \
     (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS order_count";

pub async fn insert_customer(
    ex: &mut impl Executes,
    id: Uuid,
    d: &CustomerDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let addresses: Vec<&Address> = d.address.iter().collect();
    let addresses =
        serde_json::to_string(&addresses).map_err(|e| Error::Internal(e.to_string()))?;
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO customers (id, name, name_key, email, phone, phone_key, addresses, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(id)
    .bind(&d.name)
    .bind(name_key(&d.name))
    .bind(&d.email)
    .bind(&d.phone)
    .bind(d.phone.as_deref().map(phone_key))
    .bind(&addresses)
    .bind(now)
    .execute(&mut *c)
    .await?.rows_affected()
    });
    Ok(())
}

pub async fn customer_by_id(ex: &mut impl Executes, id: Uuid) -> Result<Option<Customer>> {
    let sql = format!("SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id = $1");
    let row: Option<CustomerRow> =
        on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .fetch_optional(&mut *c)
            .await?);
    row.map(Customer::try_from).transpose()
}

/// Customers whose name, e-mail or phone starts with `search` (case-insensitive), at most `limit`.
pub async fn search_customers(
    ex: &mut impl Executes,
    search: &str,
    limit: i64,
) -> Result<Vec<Customer>> {
    let key = name_key(search);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let end = format!("{key}\u{10FFFF}");
    let (phone, phone_end) = if let Some(k) = phone_search_key(search) {
        (k.clone(), format!("{k}\u{10FFFF}"))
    } else {
        ("\u{10FFFF}".to_owned(), "\u{10FFFF}".to_owned())
    };
    let sql = format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers c WHERE c.id IN ( \
           SELECT id FROM customers WHERE name_key >= $1 AND name_key < $2 \
           UNION SELECT id FROM customers WHERE family_key >= $1 AND family_key < $2 \
           UNION SELECT id FROM customers WHERE email >= $1 AND email < $2 \
           UNION SELECT id FROM customers WHERE phone_key >= $3 AND phone_key < $4) \
         ORDER BY c.name LIMIT {limit}"
    );
    let rows: Vec<CustomerRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(&key)
        .bind(&end)
        .bind(&phone)
        .bind(&phone_end)
        .fetch_all(&mut *c)
        .await?);
    rows.into_iter().map(Customer::try_from).collect()
}

/// The products with these SKUs (upper-cased) or barcodes, for capture: one statement for the
/// whole order. `available` is left at 0 (capture reads stock in its own transaction).
pub async fn products_by_codes(ex: &mut impl Executes, codes: &[String]) -> Result<Vec<Product>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let n = codes.len();
    let skus: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    let barcodes: Vec<String> = (n + 1..=2 * n).map(|i| format!("${i}")).collect();
    // Only numbered placeholders are formatted into the text; every value is bound.
    let sql = format!(
        "SELECT p.id, p.sku, p.name, p.barcode, p.price, p.currency, p.weight_grams, p.length_mm, \
         p.width_mm, p.height_mm, p.active, p.allow_backorder, p.final_sale, CAST(0 AS BIGINT) AS available \
         FROM products p WHERE p.sku IN ({}) OR p.barcode IN ({})",
        skus.join(", "),
        barcodes.join(", ")
    );
    let rows: Vec<ProductRow> = on_conn!(ex, |c| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
        for code in codes {
            q = q.bind(code.trim().to_ascii_uppercase());
        }
        for code in codes {
            q = q.bind(code.trim().to_owned());
        }
        q.fetch_all(&mut *c).await?
    });
    Ok(rows.into_iter().map(Product::from).collect())
}
