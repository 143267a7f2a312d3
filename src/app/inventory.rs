//! Use cases for stock: receive, adjust, transfer, look up and verify the ledger.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::reroute::allocate_backorders;
use super::{Actor, App, Page};
use crate::db;
use crate::db::inventory::MovementRecord;
use crate::domain::catalog::Product;
use crate::domain::ids::new_id;
use crate::domain::stock::{
    Balance, Movement, MovementKind, Transfer, VerifyReport, parse_adjust_reason, parse_qty,
};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveStock {
    pub sku: String,
    pub location: String,
    pub qty: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustStock {
    pub sku: String,
    pub location: String,
    pub delta: i64,
    pub reason: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferStock {
    pub sku: String,
    pub from: String,
    pub to: String,
    pub qty: i64,
    pub arrived: bool,
}

impl App {
    async fn product_for(&self, code: &str, field: &str) -> Result<Product> {
        if code.trim().is_empty() {
            return Err(Error::invalid(
                field,
                "The SKU is empty: scan or type a SKU",
            ));
        }
        self.find_product(code).await?.ok_or_else(|| {
            Error::invalid(
                field,
                format!("There is no product with SKU or barcode '{}'", code.trim()),
            )
        })
    }

    async fn balance_of(&self, product_id: Uuid, location_id: Uuid) -> Result<Balance> {
        let mut c = self.db.read().await?;
        db::inventory::balance(&mut c, product_id, location_id)
            .await?
            .ok_or_else(|| Error::Internal("balance row missing after a movement".into()))
    }

    /// Goods arrived at a location: on hand goes up.
    pub async fn receive_stock(&self, actor: &Actor, r: ReceiveStock) -> Result<Balance> {
        let qty = parse_qty(r.qty, "qty")?;
        let product = self.product_for(&r.sku, "sku").await?;
        let location = self.location_by_code(&r.location, "location").await?;
        let note = r.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let refs = self.refs().await?;
        let now = self.now();
        crate::db::write!(self.db, |tx| {
            let m = MovementRecord {
                product_id: product.id,
                location_id: location.id,
                kind: MovementKind::Receive,
                delta: MovementKind::Receive.delta(qty, false),
                reason: note,
                order_id: None,
                transfer_id: None,
                actor: actor.as_str(),
                at: now,
            };
            if !db::inventory::apply_movement(tx, &m, None).await? {
                return Err(Error::Internal(
                    "receiving stock was refused by the balance guard".into(),
                ));
            }
            allocate_backorders(tx, &refs, product.id, &location, actor, now).await
        })?;
        tracing::info!(sku = %product.sku, location = %location.code, qty, "stock received");
        self.balance_of(product.id, location.id).await
    }

    /// Receives many lines in one transaction (opening stock, a supplier delivery, an import):
    /// all of them or, on any error, none.
    pub async fn receive_stock_batch(
        &self,
        actor: &Actor,
        lines: Vec<ReceiveStock>,
    ) -> Result<usize> {
        let locations = self.locations().await?;
        let mut resolved = Vec::with_capacity(lines.len());
        for (i, r) in lines.iter().enumerate() {
            let qty = parse_qty(r.qty, &format!("lines.{i}.qty"))?;
            let product = self.product_for(&r.sku, &format!("lines.{i}.sku")).await?;
            let code = r.location.trim().to_ascii_uppercase();
            let location = locations.iter().find(|l| l.code == code).ok_or_else(|| {
                Error::invalid(
                    format!("lines.{i}.location"),
                    format!("There is no location '{code}'"),
                )
            })?;
            resolved.push((product.id, location.clone(), qty, r.note.clone()));
        }
        let refs = self.refs().await?;
        let now = self.now();
        crate::db::write!(self.db, |tx| {
            for (product_id, location, qty, note) in &resolved {
                let m = MovementRecord {
                    product_id: *product_id,
                    location_id: location.id,
                    kind: MovementKind::Receive,
                    delta: MovementKind::Receive.delta(*qty, false),
                    reason: note.as_deref(),
                    order_id: None,
                    transfer_id: None,
                    actor: actor.as_str(),
                    at: now,
                };
                if !db::inventory::apply_movement(tx, &m, None).await? {
                    return Err(Error::Internal(
                        "receiving stock was refused by the balance guard".into(),
                    ));
                }
                allocate_backorders(tx, &refs, *product_id, location, actor, now).await?;
            }
            Ok(())
        })?;
        Ok(resolved.len())
    }

    /// A correction of on-hand stock with a reason. It may not leave fewer on hand than reserved.
    pub async fn adjust_stock(&self, actor: &Actor, a: AdjustStock) -> Result<Balance> {
        if a.delta == 0 || a.delta.abs() > 1_000_000 {
            return Err(Error::invalid(
                "delta",
                "Enter a change other than 0, at most 1,000,000 either way",
            ));
        }
        let reason = parse_adjust_reason(&a.reason)?;
        let product = self.product_for(&a.sku, "sku").await?;
        let location = self.location_by_code(&a.location, "location").await?;
        let reason_text = match a.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => format!("{reason}: {n}"),
            None => reason.to_owned(),
        };
        let refs = self.refs().await?;
        let now = self.now();
        let applied = crate::db::write!(self.db, |tx| {
            let m = MovementRecord {
                product_id: product.id,
                location_id: location.id,
                kind: MovementKind::Adjust,
                delta: MovementKind::Adjust.delta(a.delta, false),
                reason: Some(&reason_text),
                order_id: None,
                transfer_id: None,
                actor: actor.as_str(),
                at: now,
            };
            let applied = db::inventory::apply_movement(tx, &m, None).await?;
            if applied && a.delta > 0 {
                // Found stock (a count, a correction) can fill orders waiting for it.
                allocate_backorders(tx, &refs, product.id, &location, actor, now).await?;
            }
            Ok(applied)
        })?;
        if !applied {
            let b = {
                let mut c = self.db.read().await?;
                db::inventory::balance(&mut c, product.id, location.id).await?
            };
            let (on_hand, reserved) = b.map(|b| (b.on_hand, b.reserved)).unwrap_or((0, 0));
            return Err(Error::invalid(
                "delta",
                format!(
                    "{} has {on_hand} on hand at {} with {reserved} reserved: the change {} would leave too few. \
                     Use at least {}.",
                    product.sku,
                    location.code,
                    a.delta,
                    reserved - on_hand
                ),
            ));
        }
        self.balance_of(product.id, location.id).await
    }

    /// Moves stock between locations: out of `from` now, into `to` now (`arrived`) or when the
    /// transfer is received.
    pub async fn transfer_stock(&self, actor: &Actor, t: TransferStock) -> Result<Transfer> {
        let qty = parse_qty(t.qty, "qty")?;
        let product = self.product_for(&t.sku, "sku").await?;
        let from = self.location_by_code(&t.from, "from").await?;
        let to = self.location_by_code(&t.to, "to").await?;
        if from.id == to.id {
            return Err(Error::invalid(
                "to",
                "The transfer goes to the location it comes from: choose another",
            ));
        }
        let now = self.now();
        let transfer = Transfer {
            id: new_id(),
            product_id: product.id,
            sku: product.sku.clone(),
            from_location_id: from.id,
            from: from.code.clone(),
            to_location_id: to.id,
            to: to.code.clone(),
            qty,
            created_at: now,
            received_at: t.arrived.then_some(now),
        };
        let moved = crate::db::write!(self.db, |tx| {
            db::inventory::insert_transfer(tx, &transfer).await?;
            let base = MovementRecord {
                product_id: product.id,
                location_id: from.id,
                kind: MovementKind::TransferOut,
                delta: MovementKind::TransferOut.delta(qty, false),
                reason: None,
                order_id: None,
                transfer_id: Some(transfer.id),
                actor: actor.as_str(),
                at: now,
            };
            if !db::inventory::apply_movement(tx, &base, None).await? {
                return Ok(false);
            }
            let kind = if t.arrived {
                MovementKind::TransferIn
            } else {
                MovementKind::TransferInTransit
            };
            let inbound = MovementRecord {
                location_id: to.id,
                kind,
                delta: kind.delta(qty, false),
                ..base
            };
            if !db::inventory::apply_movement(tx, &inbound, None).await? {
                return Err(Error::Internal(
                    "the receiving side of a transfer was refused".into(),
                ));
            }
            Ok(true)
        })?;
        if !moved {
            let mut c = self.db.read().await?;
            let b = db::inventory::balance(&mut c, product.id, from.id).await?;
            let free = b.map(|b| b.on_hand - b.reserved).unwrap_or(0);
            return Err(Error::invalid(
                "qty",
                format!(
                    "{} has only {free} unreserved at {}: transfer at most {free}",
                    product.sku, from.code
                ),
            ));
        }
        Ok(transfer)
    }

    /// The goods of an in-transit transfer arrived: incoming down, on hand up at the destination.
    pub async fn receive_transfer(&self, actor: &Actor, id: Uuid) -> Result<Transfer> {
        let refs = self.refs().await?;
        let now = self.now();
        let t = {
            let mut c = self.db.read().await?;
            db::inventory::transfer(&mut c, id)
                .await?
                .ok_or_else(|| Error::not_found("Transfer", id.to_string()))?
        };
        crate::db::write!(self.db, |tx| {
            if !db::inventory::mark_transfer_received(tx, id, now).await? {
                return Err(Error::InvalidTransition {
                    message: "This transfer was received already".into(),
                });
            }
            let m = MovementRecord {
                product_id: t.product_id,
                location_id: t.to_location_id,
                kind: MovementKind::TransferIn,
                delta: MovementKind::TransferIn.delta(t.qty, true),
                reason: None,
                order_id: None,
                transfer_id: Some(id),
                actor: actor.as_str(),
                at: now,
            };
            if !db::inventory::apply_movement(tx, &m, None).await? {
                return Err(Error::Internal(
                    "receiving a transfer was refused by the balance guard".into(),
                ));
            }
            match refs.locations.iter().find(|l| l.id == t.to_location_id) {
                Some(to) => allocate_backorders(tx, &refs, t.product_id, to, actor, now)
                    .await
                    .map(|_| ()),
                None => Ok(()),
            }
        })?;
        let mut c = self.db.read().await?;
        db::inventory::transfer(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("Transfer", id.to_string()))
    }

    pub async fn transfers(&self, open_only: bool) -> Result<Vec<Transfer>> {
        let mut c = self.db.read().await?;
        db::inventory::list_transfers(&mut c, open_only).await
    }

    /// Sets how many units of a SKU a location keeps back from sale.
    pub async fn set_safety_stock(&self, sku: &str, location: &str, units: i64) -> Result<Balance> {
        if !(0..=1_000_000).contains(&units) {
            return Err(Error::invalid(
                "safetyStock",
                "Safety stock must be 0 to 1,000,000 units",
            ));
        }
        let product = self.product_for(sku, "sku").await?;
        let location = self.location_by_code(location, "location").await?;
        crate::db::write!(self.db, |tx| db::inventory::set_safety_stock(
            tx,
            product.id,
            location.id,
            units
        )
        .await)?;
        self.balance_of(product.id, location.id).await
    }

    /// A page of balances by SKU × location, filtered by SKU/name/barcode and location code.
    pub async fn balances(
        &self,
        search: Option<&str>,
        location: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Page<Balance>> {
        let location_id = match location.map(str::trim).filter(|l| !l.is_empty()) {
            Some(code) => Some(self.location_by_code(code, "location").await?.id),
            None => None,
        };
        let mut c = self.db.read().await?;
        let (rows, total) = db::inventory::list_balances(
            &mut c,
            search,
            location_id,
            offset.max(0),
            limit.clamp(1, 1000),
        )
        .await?;
        Ok(Page {
            rows,
            total,
            total_is_capped: false,
        })
    }

    /// The newest 200 ledger rows of a SKU (at one location, or everywhere).
    pub async fn movements(&self, sku: &str, location: Option<&str>) -> Result<Vec<Movement>> {
        let product = self.product_for(sku, "sku").await?;
        let location_id = match location.map(str::trim).filter(|l| !l.is_empty()) {
            Some(code) => Some(self.location_by_code(code, "location").await?.id),
            None => None,
        };
        let mut c = self.db.read().await?;
        db::inventory::movements(&mut c, product.id, location_id, 200).await
    }

    /// Recomputes every balance from the ledger and reports any difference.
    pub async fn verify(&self) -> Result<VerifyReport> {
        // Read inside a write transaction so no movement lands between the two reads.
        let report = crate::db::write!(self.db, |tx| db::inventory::verify(tx).await)?;
        if report.differences.is_empty() {
            tracing::info!(
                balances = report.balances_checked,
                movements = report.movements_checked,
                "ledger verified"
            );
        } else {
            tracing::error!(
                differences = report.differences.len(),
                "ledger and balances disagree"
            );
        }
        Ok(report)
    }
}
