//! Bulk statements for the synthetic shop of `orderly bench` (see `crate::bench_shop`): generated
//! rows written with multi-row `INSERT`s, many to a statement, and a few reads the measurements
//! need. Only generated data goes through here; real use goes through the use cases.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executes, Tx, on_conn};
use crate::error::Result;

/// One bound value of a generated row.
#[derive(Debug, Clone)]
pub enum Value {
    Id(Uuid),
    OptId(Option<Uuid>),
    Text(String),
    OptText(Option<String>),
    Int(i64),
    Int32(i32),
    Real(f64),
    Bool(bool),
    Time(DateTime<Utc>),
}

/// A table the generator fills and the columns it gives, in the order of each row's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Locations,
    Products,
    Customers,
    StockBalances,
    StockMovements,
    Orders,
    OrderLines,
    Payments,
    OrderEvents,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Locations => "locations",
            Table::Products => "products",
            Table::Customers => "customers",
            Table::StockBalances => "stock_balances",
            Table::StockMovements => "stock_movements",
            Table::Orders => "orders",
            Table::OrderLines => "order_lines",
            Table::Payments => "payments",
            Table::OrderEvents => "order_events",
        }
    }

    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Locations => &[
                "id",
                "code",
                "name",
                "kind",
                "address",
                "latitude",
                "longitude",
                "can_ship",
                "can_pickup",
                "priority",
                "rate_base",
                "rate_per_kg",
                "rate_per_1000_km",
                "active",
                "created_at",
            ],
            Table::Products => &[
                "id",
                "sku",
                "name",
                "barcode",
                "price",
                "currency",
                "weight_grams",
                "length_mm",
                "width_mm",
                "height_mm",
                "active",
                "allow_backorder",
                "created_at",
                "updated_at",
            ],
            Table::Customers => &[
                "id",
                "name",
                "name_key",
                "email",
                "phone",
                "phone_key",
                "addresses",
                "created_at",
            ],
            Table::StockBalances => &[
                "product_id",
                "location_id",
                "on_hand",
                "reserved",
                "incoming",
                "safety_stock",
            ],
            Table::StockMovements => &[
                "product_id",
                "location_id",
                "kind",
                "on_hand_delta",
                "reserved_delta",
                "incoming_delta",
                "reason",
                "order_id",
                "transfer_id",
                "actor",
                "at",
            ],
            // The sequence is given explicitly, so the order numbers in the generated timelines
            // are the ones the orders get.
            Table::Orders => &[
                "seq",
                "id",
                "channel_id",
                "channel_ref",
                "customer_id",
                "customer_name",
                "status",
                "currency",
                "ship_to",
                "pickup_location_id",
                "subtotal",
                "discount_total",
                "shipping",
                "tax_total",
                "total",
                "item_count",
                "tax_rate_bp",
                "attributes",
                "notes",
                "created_by",
                "created_at",
                "updated_at",
            ],
            Table::OrderLines => &[
                "order_id",
                "line_no",
                "product_id",
                "sku",
                "name",
                "qty",
                "unit_price",
                "discount",
                "tax",
                "total",
                "backordered",
            ],
            Table::Payments => &[
                "id",
                "order_id",
                "method",
                "authorized",
                "captured",
                "refunded",
                "created_at",
            ],
            Table::OrderEvents => &[
                "id", "order_id", "kind", "actor", "at", "summary", "details",
            ],
        }
    }
}

/// Both engines accept at least 32,766 parameters in one statement; stay under that.
const MAX_PARAMS: usize = 30_000;
/// More rows than this to a statement gains nothing measurable and makes huge statement texts.
const MAX_ROWS: usize = 1_000;

/// The statement inserting `rows` rows into `table`. SQLite gets anonymous `?` placeholders:
/// binding to `$n` makes sqlx look each name up in a list as long as the statement (quadratic in
/// the parameters, 85% of the load time with a thousand rows a statement); PostgreSQL needs `$n`.
fn insert_sql(tx: &Tx, table: Table, rows: usize) -> String {
    let cols = table.columns();
    let postgres = matches!(tx, Tx::Postgres(_));
    let mut sql = format!("INSERT INTO {} ({})", table.name(), cols.join(", "));
    // PostgreSQL generates identity columns itself unless told to take the given value.
    if table == Table::Orders && postgres {
        sql.push_str(" OVERRIDING SYSTEM VALUE");
    }
    sql.push_str(" VALUES ");
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            if postgres {
                sql.push('$');
                sql.push_str(&n.to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

/// Inserts rows of `table`: `values` holds them one after another, each with the values of
/// [`Table::columns`] in order. Many rows go to one statement.
pub async fn insert(tx: &mut Tx, table: Table, values: Vec<Value>) -> Result<()> {
    let width = table.columns().len();
    debug_assert_eq!(
        values.len() % width,
        0,
        "a partial row for {}",
        table.name()
    );
    let per_statement = (MAX_PARAMS / width).min(MAX_ROWS) * width;
    let mut values = values.into_iter().peekable();
    while values.peek().is_some() {
        let chunk: Vec<Value> = values.by_ref().take(per_statement).collect();
        let sql = insert_sql(tx, table, chunk.len() / width);
        on_conn!(tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in chunk {
                q = match v {
                    Value::Id(u) => q.bind(u),
                    Value::OptId(u) => q.bind(u),
                    Value::Text(s) => q.bind(s),
                    Value::OptText(s) => q.bind(s),
                    Value::Int(i) => q.bind(i),
                    Value::Int32(i) => q.bind(i),
                    Value::Real(f) => q.bind(f),
                    Value::Bool(b) => q.bind(b),
                    Value::Time(t) => q.bind(t),
                };
            }
            q.execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

/// Gives the loading connection a large page cache (256 MiB) on SQLite, so index pages stay in
/// memory while a million rows go in. Only the bulk loader's own connections get it.
pub async fn prepare_bulk(tx: &mut Tx) -> Result<()> {
    if let Tx::Sqlite(..) = tx {
        on_conn!(tx, |c| sqlx::query("PRAGMA cache_size = -262144")
            .execute(&mut *c)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// After orders were inserted with explicit sequence numbers, moves PostgreSQL's identity on past
/// them so the next captured order gets the next number (SQLite's AUTOINCREMENT follows by itself).
pub async fn sync_order_sequence(tx: &mut Tx) -> Result<()> {
    if let Tx::Postgres(..) = tx {
        on_conn!(tx, |c| sqlx::query(
            "SELECT setval(pg_get_serial_sequence('orders', 'seq'), \
             (SELECT COALESCE(MAX(seq), 0) + 1 FROM orders), false)"
        )
        .execute(&mut *c)
        .await?
        .rows_affected());
    }
    Ok(())
}

/// The highest order sequence in use (0 when there are no orders).
pub async fn max_order_seq(ex: &mut impl Executes) -> Result<i64> {
    let row: (Option<i64>,) = on_conn!(ex, |c| sqlx::query_as(
        "SELECT CAST(MAX(seq) AS BIGINT) FROM orders"
    )
    .fetch_one(&mut *c)
    .await?);
    Ok(row.0.unwrap_or(0))
}

/// Refreshes PostgreSQL's planner statistics and visibility map after a bulk load, as autovacuum
/// would shortly after on a live server. SQLite gets nothing: the app never runs `ANALYZE` there,
/// so the measurements see the planner as users get it.
pub async fn settle_after_load(ex: &mut impl Executes) -> Result<()> {
    if let Some(c) = ex.postgres() {
        sqlx::query(
            "VACUUM (ANALYZE) locations, products, customers, stock_balances, stock_movements, \
             orders, order_lines, payments, order_events",
        )
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// The names of every customer, in id order (for choosing search terms).
pub async fn customer_names(ex: &mut impl Executes) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT name FROM customers ORDER BY id"
    )
    .fetch_all(&mut *c)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}
