//! Statements for fulfilment: what is ready to pick, pick lists, shipments with their lines,
//! packages and tracking events, and product bins.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::orders::unreadable;
use super::{Executes, on_conn};
use crate::domain::address::Address;
use crate::domain::fulfilment::{
    Package, Shipment, ShipmentKind, ShipmentLine, ShipmentStatus, TrackingEvent, TrackingKind,
};
use crate::domain::ids::{new_id, order_number};
use crate::error::Result;

/// The statuses of a shipment still in the building, as SQL.
const ACTIVE: &str = "('picking', 'packed', 'labelled', 'po_sent', 'ready_for_pickup')";

/// Units of an order line reserved at a location and not yet on an active or finished shipment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReadyRow {
    pub order_id: Uuid,
    pub seq: i64,
    pub customer_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub promised_by: Option<NaiveDate>,
    pub pickup_location_id: Option<Uuid>,
    pub line_no: i32,
    pub product_id: Uuid,
    pub ready: i64,
}

/// What is reserved at `location` for orders that can be worked on, less what active shipments
/// already carry; only rows with units left. Oldest order first.
pub async fn ready_units(ex: &mut impl Executes, location_id: Uuid) -> Result<Vec<ReadyRow>> {
    let sql = format!(
        "SELECT r.order_id, o.seq, o.customer_name, o.created_at, o.promised_by, o.pickup_location_id, \
         r.line_no, r.product_id, \
         CAST(SUM(r.qty) - COALESCE((SELECT SUM(sl.qty) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id \
           WHERE s.order_id = r.order_id AND s.location_id = r.location_id AND sl.line_no = r.line_no \
           AND s.status IN {ACTIVE}), 0) AS BIGINT) AS ready \
         FROM reservations r JOIN orders o ON o.id = r.order_id \
         WHERE r.location_id = $1 AND r.state = 'reserved' \
         AND o.status IN ('open', 'in_progress', 'partially_shipped') \
         GROUP BY r.order_id, o.seq, o.customer_name, o.created_at, o.promised_by, o.pickup_location_id, \
         r.line_no, r.product_id, r.location_id \
         ORDER BY o.seq, r.line_no"
    );
    let rows: Vec<ReadyRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(location_id)
        .fetch_all(&mut *c)
        .await?);
    Ok(rows.into_iter().filter(|r| r.ready > 0).collect())
}

/// Open reservations (id, units, product) of one order line at one location, oldest first.
pub async fn open_reservations(
    ex: &mut impl Executes,
    order_id: Uuid,
    location_id: Uuid,
    line_no: i32,
) -> Result<Vec<(Uuid, i64, Uuid)>> {
    let rows: Vec<(Uuid, i64, Uuid)> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT id, qty, product_id FROM reservations WHERE order_id = $1 AND location_id = $2 AND line_no = $3 \
         AND state = 'reserved' ORDER BY created_at, id"
    )
    .bind(order_id)
    .bind(location_id)
    .bind(line_no)
    .fetch_all(&mut *c)
    .await?
    });
    Ok(rows)
}

pub async fn next_pick_list_number(ex: &mut impl Executes) -> Result<String> {
    let (n,): (i64,) = on_conn!(ex, |c| sqlx::query_as("SELECT COUNT(*) FROM pick_lists")
        .fetch_one(&mut *c)
        .await?);
    Ok(format!("PL-{}", 1001 + n))
}

pub async fn insert_pick_list(
    ex: &mut impl Executes,
    number: &str,
    location_id: Uuid,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<Uuid> {
    let id = new_id();
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO pick_lists (id, number, location_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(id)
    .bind(number)
    .bind(location_id)
    .bind(actor)
    .bind(at)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PickListRow {
    pub id: Uuid,
    pub number: String,
    pub location_id: Uuid,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

pub async fn pick_list_by_number(
    ex: &mut impl Executes,
    number: &str,
) -> Result<Option<PickListRow>> {
    let row: Option<PickListRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT id, number, location_id, created_by, created_at FROM pick_lists WHERE number = $1"
    )
    .bind(number)
    .fetch_optional(&mut *c)
    .await?
    });
    Ok(row)
}

/// The newest pick lists of a location.
pub async fn recent_pick_lists(
    ex: &mut impl Executes,
    location_id: Uuid,
    limit: i64,
) -> Result<Vec<PickListRow>> {
    let rows: Vec<PickListRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT id, number, location_id, created_by, created_at FROM pick_lists WHERE location_id = $1 \
         ORDER BY created_at DESC, number DESC LIMIT $2"
    )
    .bind(location_id)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?
    });
    Ok(rows)
}

pub async fn shipment_ids_of_pick_list(
    ex: &mut impl Executes,
    pick_list_id: Uuid,
) -> Result<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id FROM shipments WHERE pick_list_id = $1 ORDER BY number"
    )
    .bind(pick_list_id)
    .fetch_all(&mut *c)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub struct ShipmentInsert<'a> {
    pub order_id: Uuid,
    pub order_seq: i64,
    pub location_id: Uuid,
    pub pick_list_id: Option<Uuid>,
    pub kind: ShipmentKind,
    pub status: ShipmentStatus,
    pub lines: &'a [(i32, Uuid, i64)],
}

/// Inserts a shipment and its lines; its number is the order's number and a running count.
pub async fn insert_shipment(
    ex: &mut impl Executes,
    s: &ShipmentInsert<'_>,
    at: DateTime<Utc>,
) -> Result<(Uuid, String)> {
    let (n,): (i64,) = on_conn!(ex, |c| sqlx::query_as(
        "SELECT COUNT(*) FROM shipments WHERE order_id = $1"
    )
    .bind(s.order_id)
    .fetch_one(&mut *c)
    .await?);
    let id = new_id();
    let number = format!("{}-{}", order_number(s.order_seq), n + 1);
    on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO shipments (id, number, order_id, location_id, pick_list_id, kind, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
    )
    .bind(id)
    .bind(&number)
    .bind(s.order_id)
    .bind(s.location_id)
    .bind(s.pick_list_id)
    .bind(s.kind.as_str())
    .bind(s.status.as_str())
    .bind(at)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    for (line_no, product_id, qty) in s.lines {
        on_conn!(ex, |c| {
            sqlx::query(
            "INSERT INTO shipment_lines (shipment_id, line_no, product_id, qty, packed) VALUES ($1, $2, $3, $4, 0)"
        )
        .bind(id)
        .bind(*line_no)
        .bind(*product_id)
        .bind(*qty)
        .execute(&mut *c)
        .await?
        .rows_affected()
        });
    }
    Ok((id, number))
}

pub async fn shipment_id_by_number(ex: &mut impl Executes, number: &str) -> Result<Option<Uuid>> {
    let row: Option<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id FROM shipments WHERE number = $1"
    )
    .bind(number.trim().to_ascii_uppercase())
    .fetch_optional(&mut *c)
    .await?);
    Ok(row.map(|r| r.0))
}

/// Shipments whose own or one of whose packages' tracking number is this one.
pub async fn shipment_ids_by_tracking(ex: &mut impl Executes, tracking: &str) -> Result<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id FROM shipments WHERE tracking_number = $1 \
         UNION SELECT shipment_id FROM packages WHERE tracking_number = $1"
    )
    .bind(tracking)
    .fetch_all(&mut *c)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

pub async fn shipment_ids_of_order(ex: &mut impl Executes, order_id: Uuid) -> Result<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT id FROM shipments WHERE order_id = $1 ORDER BY created_at, number"
    )
    .bind(order_id)
    .fetch_all(&mut *c)
    .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Shipments at a location in these statuses, oldest first (at most `limit`).
pub async fn shipment_ids_at(
    ex: &mut impl Executes,
    location_id: Uuid,
    statuses: &[ShipmentStatus],
    limit: i64,
) -> Result<Vec<Uuid>> {
    let list = statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT id FROM shipments WHERE location_id = $1 AND status IN ({list}) ORDER BY created_at, number LIMIT $2"
    );
    let rows: Vec<(Uuid,)> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(location_id)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?);
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Pick-up shipments made ready before `cutoff` and still not collected.
pub async fn uncollected_before(
    ex: &mut impl Executes,
    cutoff: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT id FROM shipments WHERE status = 'ready_for_pickup' AND ready_at < $1 ORDER BY ready_at"
    )
    .bind(cutoff)
    .fetch_all(&mut *c)
    .await?
    });
    Ok(rows.into_iter().map(|r| r.0).collect())
}

#[derive(sqlx::FromRow)]
struct ShipmentRow {
    id: Uuid,
    number: String,
    order_id: Uuid,
    order_seq: i64,
    customer_name: Option<String>,
    customer_email: Option<String>,
    location_id: Uuid,
    location: String,
    location_name: String,
    kind: String,
    status: String,
    pick_list: Option<String>,
    carrier: Option<String>,
    service: Option<String>,
    tracking_number: Option<String>,
    shipping_cost: Option<i64>,
    ship_to: Option<String>,
    promised_by: Option<NaiveDate>,
    created_at: DateTime<Utc>,
    packed_at: Option<DateTime<Utc>>,
    shipped_at: Option<DateTime<Utc>>,
    delivered_at: Option<DateTime<Utc>>,
    ready_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    line_no: i32,
    product_id: Uuid,
    sku: String,
    name: String,
    barcode: Option<String>,
    bin: Option<String>,
    qty: i64,
    packed: i64,
}

#[derive(sqlx::FromRow)]
struct PackageRow {
    seq: i32,
    weight_grams: i64,
    length_mm: i64,
    width_mm: i64,
    height_mm: i64,
    tracking_number: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TrackingRow {
    kind: String,
    at: DateTime<Utc>,
    place: Option<String>,
    note: Option<String>,
    source: String,
    actor: String,
}

/// One shipment with its lines (and their bins), packages and tracking events.
pub async fn load_shipment(ex: &mut impl Executes, id: Uuid) -> Result<Option<Shipment>> {
    let row: Option<ShipmentRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT s.id, s.number, s.order_id, o.seq AS order_seq, o.customer_name, cu.email AS customer_email, \
         s.location_id, l.code AS location, l.name AS location_name, s.kind, s.status, pl.number AS pick_list, s.carrier, \
         s.service, s.tracking_number, s.shipping_cost, o.ship_to, o.promised_by, s.created_at, s.packed_at, \
         s.shipped_at, s.delivered_at, s.ready_at \
         FROM shipments s JOIN orders o ON o.id = s.order_id JOIN locations l ON l.id = s.location_id \
         LEFT JOIN customers cu ON cu.id = o.customer_id LEFT JOIN pick_lists pl ON pl.id = s.pick_list_id \
         WHERE s.id = $1"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await?
    });
    let Some(s) = row else { return Ok(None) };
    let lines: Vec<LineRow> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT sl.line_no, sl.product_id, p.sku, ol.name, p.barcode, b.bin, sl.qty, sl.packed \
         FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id \
         JOIN products p ON p.id = sl.product_id \
         JOIN order_lines ol ON ol.order_id = s.order_id AND ol.line_no = sl.line_no \
         LEFT JOIN bins b ON b.product_id = sl.product_id AND b.location_id = s.location_id \
         WHERE sl.shipment_id = $1 ORDER BY sl.line_no"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?);
    let packages: Vec<PackageRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT seq, weight_grams, length_mm, width_mm, height_mm, tracking_number FROM packages \
         WHERE shipment_id = $1 ORDER BY seq"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?
    });
    let tracking: Vec<TrackingRow> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT kind, at, place, note, source, actor FROM tracking_events WHERE shipment_id = $1 \
         ORDER BY at, created_at"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?
    });
    let ship_to: Option<Address> = s
        .ship_to
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| unreadable("ship-to address", e))?;
    Ok(Some(Shipment {
        id: s.id,
        number: s.number,
        order_id: s.order_id,
        order_number: order_number(s.order_seq),
        customer_name: s.customer_name,
        customer_email: s.customer_email,
        location_id: s.location_id,
        location: s.location,
        location_name: s.location_name,
        kind: ShipmentKind::parse(&s.kind).ok_or_else(|| unreadable("shipment kind", &s.kind))?,
        status: ShipmentStatus::parse(&s.status)
            .ok_or_else(|| unreadable("shipment status", &s.status))?,
        pick_list: s.pick_list,
        carrier: s.carrier,
        service: s.service,
        tracking_number: s.tracking_number,
        shipping_cost: s.shipping_cost,
        ship_to,
        promised_by: s.promised_by,
        created_at: s.created_at,
        packed_at: s.packed_at,
        shipped_at: s.shipped_at,
        delivered_at: s.delivered_at,
        ready_at: s.ready_at,
        lines: lines
            .into_iter()
            .map(|l| ShipmentLine {
                line_no: l.line_no,
                product_id: l.product_id,
                sku: l.sku,
                name: l.name,
                barcode: l.barcode,
                bin: l.bin,
                qty: l.qty,
                packed: l.packed,
            })
            .collect(),
        packages: packages
            .into_iter()
            .map(|p| Package {
                seq: p.seq,
                weight_grams: p.weight_grams,
                length_mm: p.length_mm,
                width_mm: p.width_mm,
                height_mm: p.height_mm,
                tracking_number: p.tracking_number,
            })
            .collect(),
        tracking: tracking
            .into_iter()
            .map(|t| {
                Ok(TrackingEvent {
                    kind: TrackingKind::parse(&t.kind, "kind")
                        .map_err(|e| unreadable("tracking event", e))?,
                    at: t.at,
                    place: t.place,
                    note: t.note,
                    source: t.source,
                    actor: t.actor,
                })
            })
            .collect::<Result<Vec<_>>>()?,
    }))
}

/// Moves a shipment from `from` to `to` (and stamps the time column the new status has);
/// `false` if it was no longer in `from`.
pub async fn set_shipment_status(
    ex: &mut impl Executes,
    id: Uuid,
    from: ShipmentStatus,
    to: ShipmentStatus,
    at: DateTime<Utc>,
) -> Result<bool> {
    let stamp = match to {
        ShipmentStatus::Packed => ", packed_at = $4",
        ShipmentStatus::ReadyForPickup => ", packed_at = COALESCE(packed_at, $4), ready_at = $4",
        ShipmentStatus::Shipped | ShipmentStatus::Collected => {
            ", shipped_at = COALESCE(shipped_at, $4)"
        }
        ShipmentStatus::Delivered => {
            ", shipped_at = COALESCE(shipped_at, $4), delivered_at = COALESCE(delivered_at, $4)"
        }
        ShipmentStatus::InTransit | ShipmentStatus::OutForDelivery | ShipmentStatus::Exception => {
            ", shipped_at = COALESCE(shipped_at, $4)"
        }
        ShipmentStatus::Picking
        | ShipmentStatus::Labelled
        | ShipmentStatus::PoSent
        | ShipmentStatus::Released
        | ShipmentStatus::Cancelled => "",
    };
    let sql = format!(
        "UPDATE shipments SET status = $3, updated_at = $4{stamp} WHERE id = $1 AND status = $2"
    );
    let n = on_conn!(ex, |c| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(at)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Counts one more verified unit on a line, unless it is already full.
pub async fn add_packed(ex: &mut impl Executes, shipment_id: Uuid, line_no: i32) -> Result<bool> {
    let n = on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE shipment_lines SET packed = packed + 1 WHERE shipment_id = $1 AND line_no = $2 AND packed < qty"
    )
    .bind(shipment_id)
    .bind(line_no)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(n == 1)
}

pub async fn reset_packed(ex: &mut impl Executes, shipment_id: Uuid) -> Result<()> {
    on_conn!(ex, |c| sqlx::query(
        "UPDATE shipment_lines SET packed = 0 WHERE shipment_id = $1"
    )
    .bind(shipment_id)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

/// Shrinks a line to what was packed (a short pick).
pub async fn set_line_qty(
    ex: &mut impl Executes,
    shipment_id: Uuid,
    line_no: i32,
    qty: i64,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE shipment_lines SET qty = $3 WHERE shipment_id = $1 AND line_no = $2 AND packed <= $3"
    )
    .bind(shipment_id)
    .bind(line_no)
    .bind(qty)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

pub async fn insert_package(
    ex: &mut impl Executes,
    shipment_id: Uuid,
    seq: i32,
    p: &crate::domain::fulfilment::PackageInput,
) -> Result<()> {
    on_conn!(ex, |c| sqlx::query(
        "INSERT INTO packages (shipment_id, seq, weight_grams, length_mm, width_mm, height_mm) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(shipment_id)
    .bind(seq)
    .bind(p.weight_grams)
    .bind(p.length_mm)
    .bind(p.width_mm)
    .bind(p.height_mm)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

pub async fn set_label(
    ex: &mut impl Executes,
    shipment_id: Uuid,
    carrier: &str,
    service: &str,
    tracking: &str,
    cost: Option<i64>,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE shipments SET carrier = $2, service = $3, tracking_number = $4, shipping_cost = $5 WHERE id = $1"
    )
    .bind(shipment_id)
    .bind(carrier)
    .bind(service)
    .bind(tracking)
    .bind(cost)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

/// Takes the carrier, service, cost and every tracking number off a shipment (a voided label).
pub async fn clear_label(ex: &mut impl Executes, shipment_id: Uuid) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE shipments SET carrier = NULL, service = NULL, tracking_number = NULL, shipping_cost = NULL \
         WHERE id = $1"
    )
    .bind(shipment_id)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    on_conn!(ex, |c| sqlx::query(
        "UPDATE packages SET tracking_number = NULL WHERE shipment_id = $1"
    )
    .bind(shipment_id)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

pub async fn set_package_tracking(
    ex: &mut impl Executes,
    shipment_id: Uuid,
    seq: i32,
    tracking: &str,
) -> Result<()> {
    on_conn!(ex, |c| sqlx::query(
        "UPDATE packages SET tracking_number = $3 WHERE shipment_id = $1 AND seq = $2"
    )
    .bind(shipment_id)
    .bind(seq)
    .bind(tracking)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(())
}

/// Whether another shipment already uses this tracking number.
pub async fn tracking_in_use(
    ex: &mut impl Executes,
    tracking: &str,
    except: Uuid,
) -> Result<Option<String>> {
    let row: Option<(String,)> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT s.number FROM shipments s WHERE s.id <> $2 AND (s.tracking_number = $1 \
         OR EXISTS (SELECT 1 FROM packages p WHERE p.shipment_id = s.id AND p.tracking_number = $1))"
    )
    .bind(tracking)
    .bind(except)
    .fetch_optional(&mut *c)
    .await?
    });
    Ok(row.map(|r| r.0))
}

pub struct TrackingInsert<'a> {
    pub shipment_id: Uuid,
    pub kind: TrackingKind,
    pub at: DateTime<Utc>,
    pub place: Option<&'a str>,
    pub note: Option<&'a str>,
    pub source: &'a str,
    pub actor: &'a str,
}

/// Records a tracking event; `false` when the same event (shipment, kind, time) is already there.
pub async fn insert_tracking_event(
    ex: &mut impl Executes,
    t: &TrackingInsert<'_>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let n = on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO tracking_events (id, shipment_id, kind, at, place, note, source, actor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (shipment_id, kind, at) DO NOTHING"
    )
    .bind(new_id())
    .bind(t.shipment_id)
    .bind(t.kind.as_str())
    .bind(t.at)
    .bind(t.place)
    .bind(t.note)
    .bind(t.source)
    .bind(t.actor)
    .bind(now)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(n == 1)
}

/// The newest time of any tracking event of a shipment that moves its status.
pub async fn latest_status_event(
    ex: &mut impl Executes,
    shipment_id: Uuid,
) -> Result<Option<DateTime<Utc>>> {
    let row: Option<(Option<DateTime<Utc>>,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT MAX(at) FROM tracking_events WHERE shipment_id = $1 AND kind <> 'label_created'"
    )
    .bind(shipment_id)
    .fetch_optional(&mut *c)
    .await?);
    Ok(row.and_then(|r| r.0))
}

/// Counts of an order's shipments by whether they are active, have left, or are done, and units
/// reserved but on no active shipment (see [`crate::domain::fulfilment::FulfilmentState`]).
pub async fn shipment_statuses_of_order(
    ex: &mut impl Executes,
    order_id: Uuid,
) -> Result<Vec<(String, String)>> {
    let rows: Vec<(String, String)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT kind, status FROM shipments WHERE order_id = $1"
    )
    .bind(order_id)
    .fetch_all(&mut *c)
    .await?);
    Ok(rows)
}

/// Units reserved for an order and not carried by any of its active shipments.
pub async fn unassigned_units(ex: &mut impl Executes, order_id: Uuid) -> Result<i64> {
    let sql = format!(
        "SELECT CAST(COALESCE((SELECT SUM(qty) FROM reservations WHERE order_id = $1 AND state = 'reserved'), 0) - \
         COALESCE((SELECT SUM(sl.qty) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id \
         WHERE s.order_id = $1 AND s.status IN {ACTIVE}), 0) AS BIGINT)"
    );
    let (n,): (i64,) = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(order_id)
        .fetch_one(&mut *c)
        .await?);
    Ok(n.max(0))
}

pub async fn set_bin(
    ex: &mut impl Executes,
    product_id: Uuid,
    location_id: Uuid,
    bin: Option<&str>,
) -> Result<()> {
    match bin {
        Some(b) => on_conn!(ex, |c| sqlx::query(
            "INSERT INTO bins (product_id, location_id, bin) VALUES ($1, $2, $3) \
             ON CONFLICT (product_id, location_id) DO UPDATE SET bin = excluded.bin"
        )
        .bind(product_id)
        .bind(location_id)
        .bind(b)
        .execute(&mut *c)
        .await?
        .rows_affected()),
        None => on_conn!(ex, |c| sqlx::query(
            "DELETE FROM bins WHERE product_id = $1 AND location_id = $2"
        )
        .bind(product_id)
        .bind(location_id)
        .execute(&mut *c)
        .await?
        .rows_affected()),
    };
    Ok(())
}

pub async fn bins_at(
    ex: &mut impl Executes,
    location_id: Uuid,
    product_ids: &[Uuid],
) -> Result<Vec<(Uuid, String)>> {
    let mut out = Vec::new();
    for p in product_ids {
        let row: Option<(String,)> = on_conn!(ex, |c| sqlx::query_as(
            "SELECT bin FROM bins WHERE product_id = $1 AND location_id = $2"
        )
        .bind(*p)
        .bind(location_id)
        .fetch_optional(&mut *c)
        .await?);
        if let Some((b,)) = row {
            out.push((*p, b));
        }
    }
    Ok(out)
}
