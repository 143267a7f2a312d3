//! The printed side of fulfilment: shipping labels (PDF or ZPL) for a shipment's packages,
//! packing slips, pick lists and dropship purchase orders, built from what the database holds and
//! rendered by [`crate::shipping`]; and printing them to the workstation's printer.

use serde::Serialize;

use super::App;
use crate::domain::fulfilment::{Shipment, ShipmentKind};
use crate::error::{Error, Result};
use crate::shipping::documents::{
    PackingSlip, PickList as PickListDoc, PickRow as PickRowDoc, PoLine, PurchaseOrder, SlipLine,
    packing_slip_pdf, pick_list_pdf, purchase_order_pdf,
};
use crate::shipping::label::{LabelAddress, LabelInput, label_pdf, label_zpl};
use crate::shipping::print::{DocKind, PrintDoc, PrintReceipt, PrinterTarget, print};

/// A rendered document: a file name, what it is, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub name: String,
    pub kind: DocKind,
    pub bytes: Vec<u8>,
}

impl App {
    async fn ship_from(&self, sh: &Shipment) -> Result<LabelAddress> {
        let refs = self.refs().await?;
        let loc = refs
            .locations
            .iter()
            .find(|l| l.code == sh.location)
            .ok_or_else(|| Error::Internal(format!("location {} is missing", sh.location)))?;
        let mut a: LabelAddress = loc.address.clone().into();
        let shop = self.settings().await?.business_name;
        if a.company.is_none() && !shop.trim().is_empty() && shop.trim() != a.name.trim() {
            a.company = Some(shop);
        }
        Ok(a)
    }

    /// The label of each package of a labelled shipment: one PDF page per package (in one file
    /// per package), or one ZPL file holding every package.
    pub async fn shipment_labels(&self, number: &str, format: DocKind) -> Result<Vec<Document>> {
        let sh = self.shipment(number).await?;
        if sh.tracking_number.is_none() || sh.packages.is_empty() {
            return Err(Error::InvalidTransition {
                message: format!(
                    "{} has no label yet ({}): pack it and enter its tracking number first",
                    sh.number,
                    sh.status.label()
                ),
            });
        }
        let ship_from = self.ship_from(&sh).await?;
        let ship_to: LabelAddress = match (&sh.ship_to, sh.kind) {
            (Some(a), _) => a.clone().into(),
            (None, _) => {
                return Err(Error::invalid(
                    "shipment",
                    format!("{} has no ship-to address", sh.number),
                ));
            }
        };
        let mut zpl = String::new();
        let mut out = Vec::new();
        for p in &sh.packages {
            let input = LabelInput {
                tracking_number: p
                    .tracking_number
                    .clone()
                    .or_else(|| sh.tracking_number.clone())
                    .unwrap_or_default(),
                carrier: sh.carrier.clone().unwrap_or_default(),
                service: sh.service.clone().unwrap_or_default(),
                ship_from: ship_from.clone(),
                ship_to: ship_to.clone(),
                weight_kg: p.weight_grams as f64 / 1000.0,
                reference: sh.number.clone(),
                packages: 1,
            };
            match format {
                DocKind::Pdf => out.push(Document {
                    name: format!("label-{}-{}.pdf", sh.number, p.seq),
                    kind: DocKind::Pdf,
                    bytes: label_pdf(&input)?,
                }),
                DocKind::Zpl => zpl.push_str(&label_zpl(&input)?),
            }
        }
        if format == DocKind::Zpl {
            out.push(Document {
                name: format!("label-{}.zpl", sh.number),
                kind: DocKind::Zpl,
                bytes: zpl.into_bytes(),
            });
        }
        Ok(out)
    }

    /// The packing slip that goes in the box (or with a pick-up), with the order's barcode.
    pub async fn packing_slip(&self, number: &str) -> Result<Document> {
        let sh = self.shipment(number).await?;
        let order = self.order_by_id(sh.order_id).await?;
        let refs = self.refs().await?;
        let channel = refs
            .channels
            .iter()
            .find(|c| c.code == order.channel)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| order.channel.clone());
        let slip = PackingSlip {
            order_number: order.number.clone(),
            order_date: order.created_at,
            channel,
            ship_from: self.ship_from(&sh).await?,
            ship_to: if sh.kind == ShipmentKind::Pickup {
                None
            } else {
                sh.ship_to.clone().map(Into::into)
            },
            pickup_store: (sh.kind == ShipmentKind::Pickup)
                .then(|| format!("{} ({})", sh.location_name, sh.location)),
            lines: sh
                .lines
                .iter()
                .filter(|l| l.qty > 0)
                .map(|l| SlipLine {
                    sku: l.sku.clone(),
                    name: l.name.clone(),
                    qty: l.qty,
                })
                .collect(),
            packages: sh.packages.len().max(1) as u32,
            note: order.notes.clone(),
        };
        Ok(Document {
            name: format!("packing-slip-{}.pdf", sh.number),
            kind: DocKind::Pdf,
            bytes: packing_slip_pdf(&slip)?,
        })
    }

    /// A pick list as a printable PDF, rows by bin.
    pub async fn pick_list_document(&self, number: &str) -> Result<Document> {
        let pl = self.pick_list(number).await?;
        let mut orders: Vec<String> = pl
            .shipments
            .iter()
            .map(|s| s.order_number.clone())
            .collect();
        orders.dedup();
        let doc = PickListDoc {
            number: pl.number.clone(),
            location_code: pl.location.clone(),
            location_name: pl.location_name.clone(),
            created_at: pl.created_at,
            created_by: pl.created_by.clone(),
            rows: pl
                .rows
                .iter()
                .map(|r| PickRowDoc {
                    bin: r.bin.clone(),
                    sku: r.sku.clone(),
                    name: r.name.clone(),
                    barcode: r.barcode.clone(),
                    qty: r.qty,
                    orders: r.shipments.clone(),
                })
                .collect(),
            orders,
        };
        Ok(Document {
            name: format!("pick-list-{}.pdf", pl.number),
            kind: DocKind::Pdf,
            bytes: pick_list_pdf(&doc)?,
        })
    }

    /// The purchase order a dropship supplier gets for a shipment it makes.
    pub async fn purchase_order_document(&self, number: &str) -> Result<Document> {
        let sh = self.shipment(number).await?;
        if sh.kind != ShipmentKind::Dropship {
            return Err(Error::invalid(
                "shipment",
                format!("{} is not a dropship shipment", sh.number),
            ));
        }
        let refs = self.refs().await?;
        let loc = refs
            .locations
            .iter()
            .find(|l| l.code == sh.location)
            .ok_or_else(|| Error::Internal(format!("location {} is missing", sh.location)))?;
        let ship_to = sh.ship_to.clone().ok_or_else(|| {
            Error::invalid("shipment", format!("{} has no ship-to address", sh.number))
        })?;
        let po = PurchaseOrder {
            number: format!("PO-{}", sh.number),
            supplier: loc.address.clone().into(),
            supplier_email: self
                .fulfilment_settings()
                .await?
                .supplier_emails
                .get(&sh.location)
                .cloned(),
            ship_to: ship_to.into(),
            order_number: sh.order_number.clone(),
            created_at: sh.created_at,
            lines: sh
                .lines
                .iter()
                .map(|l| PoLine {
                    sku: l.sku.clone(),
                    name: l.name.clone(),
                    qty: l.qty,
                })
                .collect(),
            note: Some(format!(
                "Ship straight to the customer and send us the tracking number for {}.",
                sh.number
            )),
        };
        Ok(Document {
            name: format!("purchase-order-{}.pdf", sh.number),
            kind: DocKind::Pdf,
            bytes: purchase_order_pdf(&po)?,
        })
    }

    /// The ship-back label of a return (PDF or ZPL, like outbound labels): from the customer's
    /// ship-to address to the return location, the return number as reference.
    pub async fn return_label_document(&self, number: &str, format: DocKind) -> Result<Document> {
        let v = self.get_return(number).await?;
        let order = self.order_by_id(v.ret.order_id).await?;
        self.return_label_files(&v.ret, &order, format)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::Internal(format!("no label rendered for {number}")))
    }

    pub(crate) async fn return_label_files(
        &self,
        ret: &crate::domain::returns::Return,
        order: &crate::domain::order::OrderDetail,
        format: DocKind,
    ) -> Result<Vec<Document>> {
        let Some(label) = &ret.label else {
            return Err(Error::InvalidTransition {
                message: format!(
                    "{} has no return label yet: make one first (ship-back returns only)",
                    ret.number
                ),
            });
        };
        let ship_from: LabelAddress = order
            .ship_to
            .clone()
            .ok_or_else(|| {
                Error::invalid(
                    "ret",
                    format!("{} has no address to ship back from", order.number),
                )
            })?
            .into();
        let refs = self.refs().await?;
        let loc = refs
            .locations
            .iter()
            .find(|l| l.id == ret.location_id)
            .ok_or_else(|| Error::Internal(format!("location {} is missing", ret.location)))?;
        let mut ship_to: LabelAddress = loc.address.clone().into();
        let shop = self.settings().await?.business_name;
        if ship_to.company.is_none()
            && !shop.trim().is_empty()
            && shop.trim() != ship_to.name.trim()
        {
            ship_to.company = Some(shop);
        }
        let input = LabelInput {
            tracking_number: label.tracking_number.clone(),
            carrier: label.carrier.clone(),
            service: label.service.clone(),
            ship_from,
            ship_to,
            weight_kg: label.weight_grams as f64 / 1000.0,
            reference: ret.number.clone(),
            packages: 1,
        };
        Ok(vec![match format {
            DocKind::Pdf => Document {
                name: format!("return-label-{}.pdf", ret.number),
                kind: DocKind::Pdf,
                bytes: label_pdf(&input)?,
            },
            DocKind::Zpl => Document {
                name: format!("return-label-{}.zpl", ret.number),
                kind: DocKind::Zpl,
                bytes: label_zpl(&input)?.into_bytes(),
            },
        }])
    }

    /// Sends a rendered document to a printer (a CUPS queue, a label printer's TCP port, or a
    /// folder).
    pub async fn print_document(
        &self,
        target: &PrinterTarget,
        doc: &Document,
    ) -> Result<PrintReceipt> {
        target.validate("printer")?;
        let receipt = print(
            target,
            PrintDoc {
                name: &doc.name,
                bytes: &doc.bytes,
                kind: doc.kind,
            },
        )
        .await?;
        tracing::info!(document = %doc.name, destination = %receipt.destination, "printed");
        Ok(receipt)
    }
}

/// "changed_mind" → "Changed mind".
fn words(code: &str) -> String {
    let text = code.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

fn money_text(amount: i64, currency: &str) -> String {
    match crate::domain::money::Currency::parse(currency, "currency") {
        Ok(c) => crate::domain::money::Money::new(amount, c).display(),
        Err(_) => format!("{amount} {currency}"),
    }
}

/// "1 restocked, 1 damaged (held)" for a return line's inspections.
fn outcome(line: &crate::domain::returns::ReturnLine) -> String {
    use crate::domain::returns::Disposition;
    let mut parts = Vec::new();
    for d in Disposition::ALL {
        let qty: i64 = line
            .dispositions
            .iter()
            .filter(|c| c.disposition == *d)
            .map(|c| c.qty)
            .sum();
        if qty > 0 {
            let what = match d {
                Disposition::Restock => "restocked",
                Disposition::Damaged => "damaged (held)",
                Disposition::Dispose => "disposed",
                Disposition::Vendor => "back to vendor",
            };
            parts.push(format!("{qty} {what}"));
        }
    }
    parts.join(", ")
}

impl App {
    /// The return receipt the customer keeps: lines and what became of them, the refund
    /// breakdown, refunds made, the policy applied, and the return number as a barcode.
    pub async fn return_receipt_document(&self, number: &str) -> Result<Document> {
        use crate::domain::returns::{RefundTo, ReturnMethod};
        use crate::shipping::documents::{
            ReceiptAmount, ReturnReceiptDoc, ReturnReceiptLine, return_receipt_pdf,
        };
        let data = self.return_document_data(number).await?;
        let (ret, b) = (&data.ret, &data.breakdown);
        let cur = ret.currency.as_str();
        let shop = match &data.shop.business_address {
            Some(a) => {
                let mut l: LabelAddress = a.clone().into();
                if !data.shop.business_name.trim().is_empty() {
                    l.name = data.shop.business_name.clone();
                }
                l
            }
            None => LabelAddress {
                name: data.shop.business_name.clone(),
                ..LabelAddress::default()
            },
        };
        let amount = |label: &str, value: i64, total: bool| ReceiptAmount {
            label: label.to_owned(),
            amount: money_text(value, cur),
            total,
        };
        let mut rows = vec![amount("Goods", b.goods, false)];
        if b.discount != 0 {
            rows.push(amount("Discounts", -b.discount, false));
        }
        rows.push(amount("Tax", b.tax, false));
        if b.shipping != 0 {
            rows.push(amount("Shipping", b.shipping, false));
        }
        if b.shipping_tax != 0 {
            rows.push(amount("Shipping tax", b.shipping_tax, false));
        }
        if b.restocking_fee != 0 {
            rows.push(amount("Restocking fee", -b.restocking_fee, false));
        }
        if b.label_fee != 0 {
            rows.push(amount("Return label fee", -b.label_fee, false));
        }
        rows.push(amount("Total", b.total, true));
        rows.push(amount("Refunded", data.refunded, false));
        if b.refundable > 0 {
            rows.push(amount("Still to refund", b.refundable, true));
        }
        let refunds = ret
            .refunds
            .iter()
            .map(|r| {
                let to = match r.to {
                    RefundTo::Original => "to the original payment",
                    RefundTo::StoreCredit => "as store credit",
                    RefundTo::Exchange => "as credit for the exchange",
                };
                format!(
                    "{}  {} {to}{}",
                    r.at.format("%Y-%m-%d"),
                    money_text(r.amount, cur),
                    r.reason
                        .as_deref()
                        .map(|why| format!(" ({why})"))
                        .unwrap_or_default()
                )
            })
            .collect();
        let doc = ReturnReceiptDoc {
            shop,
            return_number: ret.number.clone(),
            order_number: ret.order.clone(),
            created_at: ret.created_at,
            printed_at: self.now(),
            customer_name: ret.customer_name.clone(),
            method: match ret.method {
                ReturnMethod::ShipBack => "Ship back".to_owned(),
                ReturnMethod::DropOff => format!("Drop off at {}", ret.location_name),
            },
            location: format!("{} — {}", ret.location, ret.location_name),
            status: words(ret.status.as_str()),
            lines: ret
                .lines
                .iter()
                .map(|l| ReturnReceiptLine {
                    sku: l.sku.clone(),
                    name: l.name.clone(),
                    qty: l.qty,
                    received: l.received,
                    reason: words(l.reason.as_str()),
                    condition: words(l.condition.as_str()),
                    outcome: outcome(l),
                })
                .collect(),
            refund_rows: rows,
            refunds,
            exchange_order: ret.exchange_order.clone(),
            policy_notes: ret.policy_notes.clone(),
            label_tracking: ret
                .label
                .as_ref()
                .map(|l| format!("{} {}", l.carrier, l.tracking_number)),
        };
        Ok(Document {
            name: format!("return-receipt-{}.pdf", ret.number),
            kind: DocKind::Pdf,
            bytes: return_receipt_pdf(&doc)?,
        })
    }
}
