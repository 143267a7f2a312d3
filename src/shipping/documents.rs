//! Letter-size (612×792 pt) PDF documents of the warehouse and the counter: packing slips, pick
//! lists, dropship purchase orders and return receipts. Each takes a plain input struct (built by the caller from the database) and
//! returns the PDF bytes. Long tables wrap their cells and continue on new pages with the column
//! headings repeated; nothing is drawn past a page's margins. Pure: no I/O, no clock.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::label::LabelAddress;
use super::pdf::{Doc, Font, Page, ellipsize, text_width, wrap};
use crate::error::{Error, Result};

/// US Letter, in points.
pub const PAGE_WIDTH_PT: f32 = 612.0;
pub const PAGE_HEIGHT_PT: f32 = 792.0;
const MARGIN: f32 = 40.0;
const BOTTOM: f32 = PAGE_HEIGHT_PT - MARGIN - 20.0; // room for the footer
const BODY: f32 = 9.0;
const LEAD: f32 = 11.0;
/// Lines one table cell may take before it is cut with `…`.
const MAX_CELL_LINES: usize = 6;

/// One line of a packing slip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlipLine {
    pub sku: String,
    pub name: String,
    pub qty: i64,
}

/// What goes in the box with an order's shipment (or with a pick-up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackingSlip {
    /// Printed large and as a Code 128 barcode (scanned at hand-over and for returns).
    pub order_number: String,
    pub order_date: DateTime<Utc>,
    /// The sales channel's name (`Web store`, `Counter`, …).
    pub channel: String,
    pub ship_from: LabelAddress,
    /// `None` for a pick-up order (then `pickup_store` names the store).
    pub ship_to: Option<LabelAddress>,
    pub pickup_store: Option<String>,
    pub lines: Vec<SlipLine>,
    pub packages: u32,
    pub note: Option<String>,
}

/// One row of a pick list: a product at a bin, the total to pick, and which orders it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickRow {
    pub bin: Option<String>,
    pub sku: String,
    pub name: String,
    /// The product's GTIN/barcode, printed so the picker can compare it with the shelf.
    pub barcode: Option<String>,
    pub qty: i64,
    /// (order number, quantity for that order).
    pub orders: Vec<(String, i64)>,
}

/// A batch of orders to pick at one location; rows are printed in the order given (sort by bin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickList {
    /// Printed and as a Code 128 barcode.
    pub number: String,
    pub location_code: String,
    pub location_name: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub rows: Vec<PickRow>,
    /// Order numbers in the batch.
    pub orders: Vec<String>,
}

/// One line of a purchase order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoLine {
    pub sku: String,
    pub name: String,
    pub qty: i64,
}

/// A dropship purchase order: the supplier ships the lines straight to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseOrder {
    /// Printed and as a Code 128 barcode.
    pub number: String,
    pub supplier: LabelAddress,
    pub supplier_email: Option<String>,
    pub ship_to: LabelAddress,
    /// The customer order it fulfils.
    pub order_number: String,
    pub created_at: DateTime<Utc>,
    pub lines: Vec<PoLine>,
    pub note: Option<String>,
}

/// One returned order line on a return receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnReceiptLine {
    pub sku: String,
    pub name: String,
    /// Units authorised for return.
    pub qty: i64,
    /// Units received and inspected so far.
    pub received: i64,
    /// The reason in words (`Wrong size`).
    pub reason: String,
    /// The condition stated at authorisation (`Opened`).
    pub condition: String,
    /// What became of the received units, e.g. `1 restocked, 1 damaged (held)`; empty when none yet.
    pub outcome: String,
}

/// One row of a return receipt's money table: a label and an amount already formatted for the
/// shop's currency (`Restocking fee`, `−$4.50`). `total` rows print bold with a rule above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptAmount {
    pub label: String,
    pub amount: String,
    pub total: bool,
}

/// What the customer takes away when a return is authorised, received or refunded; the return
/// number is printed as a Code 128 barcode so the counter can scan it to find the return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnReceiptDoc {
    /// The shop issuing the receipt (its main address).
    pub shop: LabelAddress,
    /// `R-10042-1`: printed large and as the barcode.
    pub return_number: String,
    pub order_number: String,
    pub created_at: DateTime<Utc>,
    /// When this copy is printed (the caller reads the clock).
    pub printed_at: DateTime<Utc>,
    pub customer_name: Option<String>,
    /// `Ship back` or `Drop off at Downtown store`.
    pub method: String,
    /// Where the units go, e.g. `WH-1 — Main warehouse`.
    pub location: String,
    /// The status in words (`Partially received`).
    pub status: String,
    pub lines: Vec<ReturnReceiptLine>,
    /// The refund breakdown, in the order given (goods, fees, … total refunded / refundable).
    pub refund_rows: Vec<ReceiptAmount>,
    /// Refunds made, one sentence each (`2026-11-27  $40.50 to the original payment (card)`).
    pub refunds: Vec<String>,
    /// The replacement order's number when the return was exchanged.
    pub exchange_order: Option<String>,
    /// Every policy rule applied, one sentence each.
    pub policy_notes: Vec<String>,
    /// The ship-back label's carrier and tracking number, e.g. `UPS 1Z999AA10123456784`.
    pub label_tracking: Option<String>,
}

fn when(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn need_number(field: &str, value: &str, what: &str) -> Result<()> {
    let v = value.trim();
    if v.is_empty() || v.len() > 40 || !v.chars().all(|c| c.is_ascii_graphic()) {
        return Err(Error::invalid(
            field,
            format!(
                "'{v}' cannot be the {what}: use 1 to 40 letters, digits or ASCII punctuation, no spaces"
            ),
        ));
    }
    Ok(())
}

/// A table column: heading, width in points, right-aligned or not.
struct Col {
    title: &'static str,
    width: f32,
    right: bool,
}

/// Pages that fill from the top, with a continuation heading and page numbers.
struct Flow {
    doc: Doc,
    y: f32,
    heading: String,
}

impl Flow {
    fn new(heading: String) -> Self {
        let mut doc = Doc::new(PAGE_WIDTH_PT, PAGE_HEIGHT_PT);
        doc.add_page();
        Flow {
            doc,
            y: MARGIN,
            heading,
        }
    }

    fn page(&mut self) -> &mut Page {
        let last = self.doc.page_count() - 1;
        self.doc.page_mut(last).expect("a flow always has a page")
    }

    fn new_page(&mut self) {
        self.doc.add_page();
        let h = self.heading.clone();
        let p = self.page();
        p.text(
            MARGIN,
            MARGIN + 10.0,
            Font::Bold,
            10.0,
            &format!("{h} (continued)"),
        );
        p.line(
            MARGIN,
            MARGIN + 16.0,
            PAGE_WIDTH_PT - MARGIN,
            MARGIN + 16.0,
            0.5,
        );
        self.y = MARGIN + 28.0;
    }

    /// Makes room for `h` points, starting a page when needed; true when a page was started.
    fn need(&mut self, h: f32) -> bool {
        if self.y + h > BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// A small bold section heading, kept on the page with at least `keep` points after it.
    fn section(&mut self, title: &str, keep: f32) {
        self.need(14.0 + keep);
        self.y += 14.0;
        let y = self.y;
        self.page().text(MARGIN, y - 2.0, Font::Bold, 8.0, title);
    }

    /// A bulleted item: the text wraps with a hanging indent.
    fn bullet(&mut self, text: &str, size: f32) {
        let indent = 12.0;
        for (i, line) in wrap(
            text,
            Font::Regular,
            size,
            PAGE_WIDTH_PT - 2.0 * MARGIN - indent,
        )
        .iter()
        .enumerate()
        {
            self.need(size * 1.3);
            self.y += size * 1.3;
            let y = self.y - size * 0.3;
            let p = self.page();
            if i == 0 {
                p.text(MARGIN + 2.0, y, Font::Regular, size, "•");
            }
            p.text(MARGIN + indent, y, Font::Regular, size, line);
        }
    }

    /// A paragraph of wrapped text.
    fn paragraph(&mut self, text: &str, font: Font, size: f32) {
        for line in wrap(text, font, size, PAGE_WIDTH_PT - 2.0 * MARGIN) {
            self.need(size * 1.25);
            self.y += size * 1.25;
            let y = self.y;
            self.page().text(MARGIN, y - size * 0.25, font, size, &line);
        }
    }

    fn table_head(&mut self, cols: &[Col], tick: bool) {
        self.need(LEAD + 6.0 + LEAD);
        let mut x = MARGIN + if tick { 18.0 } else { 0.0 };
        let y = self.y + LEAD;
        for c in cols {
            let p = self.page();
            if c.right {
                p.text_right(x + c.width - 4.0, y, Font::Bold, BODY, c.title);
            } else {
                p.text(x, y, Font::Bold, BODY, c.title);
            }
            x += c.width;
        }
        let yl = self.y + LEAD + 4.0;
        self.page()
            .line(MARGIN, yl, PAGE_WIDTH_PT - MARGIN, yl, 0.75);
        self.y += LEAD + 6.0;
    }

    /// One table row: each cell wrapped to its column, a tick box in front when `tick`.
    fn table_row(&mut self, cols: &[Col], cells: &[String], tick: bool) {
        let lines: Vec<Vec<String>> = cols
            .iter()
            .zip(cells)
            .map(|(c, t)| {
                let w = c.width - 6.0;
                let mut l = wrap(t, Font::Regular, BODY, w);
                if l.len() > MAX_CELL_LINES {
                    let rest = l[MAX_CELL_LINES - 1..].join(" ");
                    l.truncate(MAX_CELL_LINES - 1);
                    l.push(ellipsize(&rest, Font::Regular, BODY, w));
                }
                l
            })
            .collect();
        let n = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = n as f32 * LEAD + 5.0;
        if self.need(h) {
            self.table_head(cols, tick);
        }
        let top = self.y;
        let p = self.page();
        if tick {
            p.stroke_rect(MARGIN + 2.0, top + 2.0, 9.0, 9.0, 0.75);
        }
        let mut x = MARGIN + if tick { 18.0 } else { 0.0 };
        for (c, cell) in cols.iter().zip(&lines) {
            for (i, l) in cell.iter().enumerate() {
                let y = top + LEAD * (i as f32 + 1.0) - 2.0;
                if c.right {
                    p.text_right(x + c.width - 4.0, y, Font::Regular, BODY, l);
                } else {
                    p.text(x, y, Font::Regular, BODY, l);
                }
            }
            x += c.width;
        }
        p.line(
            MARGIN,
            top + h - 1.0,
            PAGE_WIDTH_PT - MARGIN,
            top + h - 1.0,
            0.25,
        );
        self.y += h;
    }

    /// Two address blocks side by side (left, right), with headings; moves below the taller.
    fn addresses(&mut self, left: (&str, Vec<String>), right: (&str, Vec<String>)) {
        let col = (PAGE_WIDTH_PT - 2.0 * MARGIN) / 2.0 - 10.0;
        let lay = |lines: &[String]| -> Vec<String> {
            lines
                .iter()
                .flat_map(|l| wrap(l, Font::Regular, 10.0, col).into_iter().take(3))
                .take(12)
                .collect()
        };
        let (l, r) = (lay(&left.1), lay(&right.1));
        let h = 16.0 + 12.5 * l.len().max(r.len()) as f32 + 8.0;
        self.need(h);
        let top = self.y;
        for (x, title, lines) in [(MARGIN, left.0, l), (MARGIN + col + 20.0, right.0, r)] {
            let p = self.page();
            p.text(x, top + 10.0, Font::Bold, 8.0, title);
            for (i, line) in lines.iter().enumerate() {
                let font = if i == 0 { Font::Bold } else { Font::Regular };
                p.text(x, top + 24.0 + 12.5 * i as f32, font, 10.0, line);
            }
        }
        self.y += h;
    }

    /// Page numbers at the foot of every page, then the PDF.
    fn finish(mut self, title: &str) -> Vec<u8> {
        let n = self.doc.page_count();
        for i in 0..n {
            if let Some(p) = self.doc.page_mut(i) {
                let footer = format!("{}  ·  page {} of {n}", self.heading, i + 1);
                p.line(
                    MARGIN,
                    PAGE_HEIGHT_PT - MARGIN - 10.0,
                    PAGE_WIDTH_PT - MARGIN,
                    PAGE_HEIGHT_PT - MARGIN - 10.0,
                    0.25,
                );
                p.text_right(
                    PAGE_WIDTH_PT - MARGIN,
                    PAGE_HEIGHT_PT - MARGIN,
                    Font::Regular,
                    8.0,
                    &footer,
                );
            }
        }
        self.doc.finish(title)
    }
}

fn address_text(a: &LabelAddress) -> Vec<String> {
    let mut v = vec![a.name.trim().to_owned()];
    for part in [&a.company, &Some(a.line1.clone()), &a.line2] {
        if let Some(s) = part.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            v.push(s.to_owned());
        }
    }
    let mut city = a.city.trim().to_owned();
    if !a.region.trim().is_empty() {
        city.push_str(&format!(", {}", a.region.trim()));
    }
    city.push_str(&format!(" {}", a.postal_code.trim()));
    v.push(city);
    v.push(a.country.trim().to_ascii_uppercase());
    if let Some(p) = a.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        v.push(format!("Tel. {p}"));
    }
    v
}

/// The document title (left) and a barcode of `code` (right) at the top of the first page.
fn title_with_barcode(
    flow: &mut Flow,
    title: &str,
    code: &str,
    field: &str,
    info: &[String],
) -> Result<()> {
    let p = flow.page();
    let size = {
        let mut s = 20.0;
        while s > 10.0 && text_width(title, Font::Bold, s) > 300.0 {
            s -= 1.0;
        }
        s
    };
    p.text(
        MARGIN,
        MARGIN + 18.0,
        Font::Bold,
        size,
        &ellipsize(title, Font::Bold, size, 300.0),
    );
    for (i, line) in info.iter().enumerate() {
        p.text(
            MARGIN,
            MARGIN + 38.0 + 13.0 * i as f32,
            Font::Regular,
            10.0,
            &ellipsize(line, Font::Regular, 10.0, 300.0),
        );
    }
    p.barcode(
        code,
        field,
        PAGE_WIDTH_PT - MARGIN - 220.0,
        MARGIN,
        220.0,
        42.0,
        1.5,
        Some(10.0),
    )?;
    flow.y = MARGIN + (38.0 + 13.0 * info.len() as f32).max(70.0);
    let y = flow.y;
    flow.page().line(MARGIN, y, PAGE_WIDTH_PT - MARGIN, y, 1.0);
    flow.y += 8.0;
    Ok(())
}

/// The packing slip of one shipment (or pick-up), with the order number as a barcode.
pub fn packing_slip_pdf(slip: &PackingSlip) -> Result<Vec<u8>> {
    need_number("order_number", &slip.order_number, "order number")?;
    let mut flow = Flow::new(format!("Packing slip {}", slip.order_number.trim()));
    let units: i64 = slip.lines.iter().map(|l| l.qty).sum();
    title_with_barcode(
        &mut flow,
        "PACKING SLIP",
        slip.order_number.trim(),
        "order_number",
        &[
            format!("Order {}", slip.order_number.trim()),
            format!(
                "Ordered {}  ·  {}",
                when(&slip.order_date),
                slip.channel.trim()
            ),
            format!(
                "{} item{} in {} package{}",
                units,
                if units == 1 { "" } else { "s" },
                slip.packages,
                if slip.packages == 1 { "" } else { "s" }
            ),
        ],
    )?;
    let right = match (&slip.ship_to, &slip.pickup_store) {
        (Some(a), _) => ("SHIP TO", address_text(a)),
        (None, Some(store)) => (
            "PICK UP AT",
            vec![
                store.trim().to_owned(),
                "Bring this slip or the order number.".to_owned(),
            ],
        ),
        (None, None) => ("SHIP TO", vec!["-".to_owned()]),
    };
    flow.addresses(("FROM", address_text(&slip.ship_from)), right);
    let cols = [
        Col {
            title: "SKU",
            width: 130.0,
            right: false,
        },
        Col {
            title: "ITEM",
            width: 334.0,
            right: false,
        },
        Col {
            title: "QTY",
            width: 50.0,
            right: true,
        },
    ];
    flow.table_head(&cols, true);
    for l in &slip.lines {
        flow.table_row(
            &cols,
            &[l.sku.clone(), l.name.clone(), l.qty.to_string()],
            true,
        );
    }
    if let Some(note) = slip.note.as_deref().filter(|n| !n.trim().is_empty()) {
        flow.y += 8.0;
        flow.paragraph("NOTE", Font::Bold, 8.0);
        flow.paragraph(note.trim(), Font::Regular, 10.0);
    }
    flow.y += 10.0;
    flow.paragraph("Thank you for your order. To return an item, keep this slip: its barcode finds your order.", Font::Regular, 9.0);
    Ok(flow.finish(&format!("Packing slip {}", slip.order_number.trim())))
}

/// A pick list: rows in the order given, a tick box each, the list number as a barcode.
pub fn pick_list_pdf(list: &PickList) -> Result<Vec<u8>> {
    need_number("number", &list.number, "pick list number")?;
    let mut flow = Flow::new(format!("Pick list {}", list.number.trim()));
    let units: i64 = list.rows.iter().map(|r| r.qty).sum();
    title_with_barcode(
        &mut flow,
        &format!("PICK LIST {}", list.number.trim()),
        list.number.trim(),
        "number",
        &[
            format!(
                "{} — {}",
                list.location_code.trim(),
                list.location_name.trim()
            ),
            format!(
                "Created {} by {}",
                when(&list.created_at),
                list.created_by.trim()
            ),
            format!(
                "{} rows, {} units, {} orders",
                list.rows.len(),
                units,
                list.orders.len()
            ),
        ],
    )?;
    if !list.orders.is_empty() {
        flow.paragraph(
            &format!("Orders: {}", list.orders.join(", ")),
            Font::Regular,
            9.0,
        );
        flow.y += 6.0;
    }
    let cols = [
        Col {
            title: "BIN",
            width: 62.0,
            right: false,
        },
        Col {
            title: "SKU",
            width: 92.0,
            right: false,
        },
        Col {
            title: "ITEM",
            width: 158.0,
            right: false,
        },
        Col {
            title: "BARCODE",
            width: 82.0,
            right: false,
        },
        Col {
            title: "QTY",
            width: 34.0,
            right: true,
        },
        Col {
            title: "ORDERS",
            width: 86.0,
            right: false,
        },
    ];
    flow.table_head(&cols, true);
    for r in &list.rows {
        let orders = r
            .orders
            .iter()
            .map(|(o, q)| format!("{o}×{q}"))
            .collect::<Vec<_>>()
            .join(" ");
        flow.table_row(
            &cols,
            &[
                r.bin.clone().unwrap_or_else(|| "-".to_owned()),
                r.sku.clone(),
                r.name.clone(),
                r.barcode.clone().unwrap_or_default(),
                r.qty.to_string(),
                orders,
            ],
            true,
        );
    }
    Ok(flow.finish(&format!("Pick list {}", list.number.trim())))
}

/// A dropship purchase order to a supplier.
pub fn purchase_order_pdf(po: &PurchaseOrder) -> Result<Vec<u8>> {
    need_number("number", &po.number, "purchase order number")?;
    let mut flow = Flow::new(format!("Purchase order {}", po.number.trim()));
    title_with_barcode(
        &mut flow,
        &format!("PURCHASE ORDER {}", po.number.trim()),
        po.number.trim(),
        "number",
        &[
            format!("Issued {}", when(&po.created_at)),
            format!("For customer order {}", po.order_number.trim()),
            "Dropship: please ship directly to the customer below.".to_owned(),
        ],
    )?;
    let mut supplier = address_text(&po.supplier);
    if let Some(e) = po
        .supplier_email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    {
        supplier.push(e.trim().to_owned());
    }
    flow.addresses(
        ("SUPPLIER", supplier),
        ("SHIP DIRECTLY TO", address_text(&po.ship_to)),
    );
    let cols = [
        Col {
            title: "SKU",
            width: 140.0,
            right: false,
        },
        Col {
            title: "ITEM",
            width: 322.0,
            right: false,
        },
        Col {
            title: "QTY",
            width: 70.0,
            right: true,
        },
    ];
    flow.table_head(&cols, false);
    for l in &po.lines {
        flow.table_row(
            &cols,
            &[l.sku.clone(), l.name.clone(), l.qty.to_string()],
            false,
        );
    }
    if let Some(note) = po.note.as_deref().filter(|n| !n.trim().is_empty()) {
        flow.y += 8.0;
        flow.paragraph("NOTE", Font::Bold, 8.0);
        flow.paragraph(note.trim(), Font::Regular, 10.0);
    }
    flow.y += 10.0;
    flow.paragraph(
        &format!(
            "Please reply with the carrier and tracking number, quoting {}. Do not include prices or invoices in the parcel.",
            po.number.trim()
        ),
        Font::Regular,
        9.0,
    );
    Ok(flow.finish(&format!("Purchase order {}", po.number.trim())))
}

/// Words for a count: `1 unit`, `3 units`.
fn units(n: i64) -> String {
    format!("{n} unit{}", if n == 1 { "" } else { "s" })
}

/// The return receipt: return and order numbers, the return number as a barcode, the lines with
/// what became of them, the refund breakdown (amounts right-aligned), refunds made, the exchange
/// order, the policy notes and the ship-back label. Long tables continue on further pages.
pub fn return_receipt_pdf(doc: &ReturnReceiptDoc) -> Result<Vec<u8>> {
    need_number("return_number", &doc.return_number, "return number")?;
    let number = doc.return_number.trim();
    let heading = format!("Return receipt {number}");
    let mut flow = Flow::new(heading.clone());
    let authorised: i64 = doc.lines.iter().map(|l| l.qty).sum();
    let received: i64 = doc.lines.iter().map(|l| l.received).sum();
    title_with_barcode(
        &mut flow,
        &format!("RETURN {number}"),
        number,
        "return_number",
        &[
            format!("Return receipt for order {}", doc.order_number.trim()),
            format!("Created {}", when(&doc.created_at)),
            format!(
                "{} authorised, {} received  ·  {}",
                units(authorised),
                received,
                doc.status.trim()
            ),
            format!("Printed {}", when(&doc.printed_at)),
        ],
    )?;
    let mut details = vec![
        doc.customer_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or("No customer on the order")
            .to_owned(),
        format!("Method: {}", doc.method.trim()),
        format!("Returned to: {}", doc.location.trim()),
    ];
    if let Some(t) = doc
        .label_tracking
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        details.push(format!("Return label: {t}"));
    }
    if let Some(o) = doc
        .exchange_order
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        details.push(format!("Exchanged for order {o}"));
    }
    flow.addresses(("SHOP", address_text(&doc.shop)), ("CUSTOMER", details));
    // The empty column keeps the received count off the reason next to it.
    let cols = [
        Col {
            title: "SKU",
            width: 80.0,
            right: false,
        },
        Col {
            title: "ITEM",
            width: 130.0,
            right: false,
        },
        Col {
            title: "QTY",
            width: 30.0,
            right: true,
        },
        Col {
            title: "RECEIVED",
            width: 52.0,
            right: true,
        },
        Col {
            title: "",
            width: 10.0,
            right: false,
        },
        Col {
            title: "REASON",
            width: 76.0,
            right: false,
        },
        Col {
            title: "CONDITION",
            width: 60.0,
            right: false,
        },
        Col {
            title: "OUTCOME",
            width: 94.0,
            right: false,
        },
    ];
    flow.table_head(&cols, false);
    for l in &doc.lines {
        flow.table_row(
            &cols,
            &[
                l.sku.clone(),
                l.name.clone(),
                l.qty.to_string(),
                l.received.to_string(),
                String::new(),
                l.reason.clone(),
                l.condition.clone(),
                if l.outcome.trim().is_empty() {
                    "-".to_owned()
                } else {
                    l.outcome.clone()
                },
            ],
            false,
        );
    }
    if !doc.refund_rows.is_empty() {
        flow.y += 6.0;
        // The whole breakdown on one page when it fits one.
        let rows = doc.refund_rows.len() as f32 * 15.0;
        let (left, right) = (PAGE_WIDTH_PT - MARGIN - 300.0, PAGE_WIDTH_PT - MARGIN);
        flow.need(14.0 + rows.min(BOTTOM - MARGIN - 60.0));
        flow.y += 14.0;
        let y = flow.y;
        flow.page().text(left, y - 2.0, Font::Bold, 8.0, "REFUND");
        for a in &doc.refund_rows {
            let font = if a.total { Font::Bold } else { Font::Regular };
            let amount = ellipsize(a.amount.trim(), font, 10.0, 110.0);
            let label = ellipsize(a.label.trim(), font, 10.0, 300.0 - 120.0);
            flow.need(15.0);
            if a.total {
                let y = flow.y + 2.0;
                flow.page().line(left, y, right, y, 0.75);
            }
            flow.y += 15.0;
            let y = flow.y - 3.0;
            let p = flow.page();
            p.text(left, y, font, 10.0, &label);
            p.text_right(right, y, font, 10.0, &amount);
        }
    }
    if !doc.refunds.is_empty() {
        flow.y += 4.0;
        flow.section("REFUNDS MADE", 12.0);
        for r in &doc.refunds {
            flow.bullet(r.trim(), 9.0);
        }
    }
    if !doc.policy_notes.is_empty() {
        flow.y += 4.0;
        flow.section("RETURN POLICY", 12.0);
        for n in &doc.policy_notes {
            flow.bullet(n.trim(), 9.0);
        }
    }
    flow.y += 12.0;
    flow.paragraph(
        &format!(
            "Keep this receipt. It is your proof of the return; its barcode finds return {number} at any of our stores."
        ),
        Font::Bold,
        9.0,
    );
    Ok(flow.finish(&heading))
}
