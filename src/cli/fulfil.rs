//! `orderly fulfil …`: the warehouse and store side from the command line: queues, pick lists,
//! packing scans, parcels, labels, carrier hand-over, tracking events and files, pick-up
//! hand-over, bins and documents. Thin over the facade, like the rest of the CLI.

use clap::Subcommand;

use super::{print, read_input};
use crate::app::fulfilment::{LabelRequest, TrackingInput};
use crate::app::{Actor, App};
use crate::domain::fulfilment::PackageInput;
use crate::error::{Error, Result};
use crate::shipping::print::DocKind;

#[derive(Subcommand, Debug)]
pub enum FulfilCommand {
    /// What a location has to do: ready to pick, picking, packed, waiting for carrier, pick-ups.
    Queues { location: String },
    /// Start picking at a location: the named orders, or the oldest ready ones (--max).
    Pick {
        location: String,
        #[arg(long, value_delimiter = ',')]
        orders: Vec<String>,
        #[arg(long, default_value_t = 20)]
        max: usize,
    },
    /// Show a pick list (rows by bin).
    PickList { number: String },
    /// Show a shipment (by its number or a tracking number).
    Show { reference: String },
    /// Scan items into a shipment being packed (barcodes or SKUs, one unit each).
    Scan {
        shipment: String,
        #[arg(required = true)]
        codes: Vec<String>,
    },
    /// Close packing with its parcels: --parcel WEIGHT_G[:LxWxH_MM], once per parcel;
    /// --short confirms that what was not scanned is missing (it is re-routed).
    Pack {
        shipment: String,
        #[arg(long = "parcel")]
        parcels: Vec<String>,
        #[arg(long)]
        short: bool,
    },
    /// Put the carrier, service and tracking number(s) on a packed shipment.
    Label {
        shipment: String,
        #[arg(long)]
        carrier: String,
        #[arg(long)]
        service: String,
        /// One per package, or one for all.
        #[arg(long = "tracking")]
        tracking: Vec<String>,
        /// Generate a local delivery number instead.
        #[arg(long)]
        local: bool,
        /// What the carrier charges, in minor units.
        #[arg(long)]
        cost: Option<i64>,
    },
    /// Void the label of a shipment the carrier has not taken (it goes back to packed).
    Void {
        shipment: String,
        #[arg(long)]
        reason: String,
    },
    /// The carrier took these shipments: their stock leaves.
    Handover {
        #[arg(required = true)]
        shipments: Vec<String>,
    },
    /// Record a tracking event (label created, picked up, in transit, out for delivery,
    /// delivered, exception) for a shipment or tracking number.
    Track {
        reference: String,
        kind: String,
        /// RFC 3339; now when absent.
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Import a carrier's tracking file (CSV with a header), or - for standard input.
    ImportTracking { file: String },
    /// Hand a pick-up order over at the counter after checking the customer's name.
    Pickup {
        order: String,
        #[arg(long)]
        name: String,
    },
    /// Release pick-ups not collected within the hold days.
    ReleaseUncollected,
    /// Say where a product sits at a location (empty BIN clears it).
    Bin {
        sku: String,
        location: String,
        bin: String,
    },
    /// Send a dropship supplier the purchase order for an order.
    PurchaseOrder { location: String, order: String },
    /// Write a shipment's or pick list's documents into a folder.
    Docs {
        /// labels | slip | pick-list | po | return-receipt | return-label (a return's number)
        what: String,
        reference: String,
        #[arg(long)]
        out: String,
        /// pdf or zpl (labels only).
        #[arg(long, default_value = "pdf")]
        format: String,
    },
}

fn parcel(text: &str, i: usize) -> Result<PackageInput> {
    let field = format!("parcel[{i}]");
    let bad = || {
        Error::invalid(
            field.clone(),
            format!(
                "'{text}' is not a parcel: write grams, optionally with mm sizes: 1200:300x200x100"
            ),
        )
    };
    let (w, dims) = match text.split_once(':') {
        Some((w, d)) => (w, Some(d)),
        None => (text, None),
    };
    let weight_grams: i64 = w.trim().parse().map_err(|_| bad())?;
    let (l, wd, h) = match dims {
        None => (0, 0, 0),
        Some(d) => {
            let parts: Vec<i64> = d
                .split(['x', 'X'])
                .map(|p| p.trim().parse::<i64>())
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| bad())?;
            match parts.as_slice() {
                [l, w, h] => (*l, *w, *h),
                _ => return Err(bad()),
            }
        }
    };
    Ok(PackageInput {
        weight_grams,
        length_mm: l,
        width_mm: wd,
        height_mm: h,
    })
}

fn shipment_text(s: &crate::domain::fulfilment::Shipment) -> String {
    let mut t = format!(
        "{} ({}) for {} at {}: {}",
        s.number,
        s.kind.as_str(),
        s.order_number,
        s.location,
        s.status.label()
    );
    if let (Some(c), Some(n)) = (&s.carrier, &s.tracking_number) {
        t.push_str(&format!(
            " — {c} {}, tracking {n}",
            s.service.clone().unwrap_or_default()
        ));
    }
    for l in &s.lines {
        t.push_str(&format!(
            "\n  {} × {} {} (packed {}){}",
            l.qty,
            l.sku,
            l.name,
            l.packed,
            l.bin
                .as_ref()
                .map(|b| format!(" bin {b}"))
                .unwrap_or_default()
        ));
    }
    for p in &s.packages {
        t.push_str(&format!("\n  parcel {}: {} g", p.seq, p.weight_grams));
    }
    for e in &s.tracking {
        t.push_str(&format!(
            "\n  {} {}{}",
            e.at.to_rfc3339(),
            e.kind.label(),
            e.place
                .as_ref()
                .map(|p| format!(" at {p}"))
                .unwrap_or_default()
        ));
    }
    t
}

pub async fn run(app: &App, actor: &Actor, json: bool, cmd: FulfilCommand) -> Result<()> {
    match cmd {
        FulfilCommand::Queues { location } => {
            let q = app.work_queues(&location).await?;
            print(json, &q, || {
                let mut t = format!("{} ({}): {} late", q.location, q.location_name, q.late);
                t.push_str(&format!("\nReady to pick: {}", q.ready_to_pick.len()));
                for o in &q.ready_to_pick {
                    t.push_str(&format!(
                        "\n  {} {} unit(s) due {}{}",
                        o.order_number,
                        o.units,
                        o.due,
                        if o.late { " LATE" } else { "" }
                    ));
                }
                for (name, list) in [
                    ("Picking", &q.picking),
                    ("Packed", &q.packed),
                    ("Waiting for carrier", &q.waiting_for_carrier),
                    ("Ready for pick-up", &q.ready_for_pickup),
                ] {
                    t.push_str(&format!("\n{name}: {}", list.len()));
                    for s in list.iter() {
                        t.push_str(&format!("\n  {} {} unit(s)", s.number, s.units));
                    }
                }
                t
            })
        }
        FulfilCommand::Pick {
            location,
            orders,
            max,
        } => {
            let pl = app.create_pick_list(actor, &location, &orders, max).await?;
            print(json, &pl, || pick_list_text(&pl))
        }
        FulfilCommand::PickList { number } => {
            let pl = app.pick_list(&number).await?;
            print(json, &pl, || pick_list_text(&pl))
        }
        FulfilCommand::Show { reference } => {
            let s = app.find_shipment(&reference).await?;
            print(json, &s, || shipment_text(&s))
        }
        FulfilCommand::Scan { shipment, codes } => {
            let mut last = None;
            for c in codes {
                last = Some(app.pack_scan(&shipment, &c).await?);
            }
            match last {
                Some(s) => print(json, &s, || shipment_text(&s)),
                None => Ok(()),
            }
        }
        FulfilCommand::Pack {
            shipment,
            parcels,
            short,
        } => {
            let packages = parcels
                .iter()
                .enumerate()
                .map(|(i, p)| parcel(p, i))
                .collect::<Result<Vec<_>>>()?;
            let s = app
                .finish_packing(actor, &shipment, &packages, short)
                .await?;
            print(json, &s, || shipment_text(&s))
        }
        FulfilCommand::Label {
            shipment,
            carrier,
            service,
            tracking,
            local,
            cost,
        } => {
            let s = app
                .label_shipment(
                    actor,
                    &shipment,
                    &LabelRequest {
                        carrier,
                        service,
                        tracking_numbers: tracking,
                        generate_local: local,
                        cost,
                    },
                )
                .await?;
            print(json, &s, || shipment_text(&s))
        }
        FulfilCommand::Void { shipment, reason } => {
            let s = app.void_label(actor, &shipment, &reason).await?;
            print(json, &s, || shipment_text(&s))
        }
        FulfilCommand::Handover { shipments } => {
            let list = app.hand_to_carrier(actor, &shipments).await?;
            print(json, &list, || {
                list.iter()
                    .map(shipment_text)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        FulfilCommand::Track {
            reference,
            kind,
            at,
            place,
            note,
        } => {
            let at = match at {
                None => None,
                Some(a) => Some(
                    chrono::DateTime::parse_from_rfc3339(a.trim())
                        .map_err(|_| {
                            Error::invalid("at", format!("'{a}' is not an RFC 3339 time"))
                        })?
                        .with_timezone(&chrono::Utc),
                ),
            };
            let (s, added) = app
                .add_tracking_event(
                    actor,
                    &TrackingInput {
                        reference,
                        kind,
                        at,
                        place,
                        note,
                    },
                )
                .await?;
            print(json, &s, || {
                format!(
                    "{}{}",
                    if added { "" } else { "(already recorded) " },
                    shipment_text(&s)
                )
            })
        }
        FulfilCommand::ImportTracking { file } => {
            let text = read_input(&file)?;
            let r = app.import_tracking_csv(actor, &text).await?;
            print(json, &r, || {
                let mut t = format!(
                    "{} event(s) applied, {} already recorded, {} row(s) not used",
                    r.applied,
                    r.duplicates,
                    r.errors.len()
                );
                for e in &r.errors {
                    t.push_str(&format!("\n  {e}"));
                }
                t
            })
        }
        FulfilCommand::Pickup { order, name } => {
            let o = app.hand_over(actor, &order, &name).await?;
            print(json, &o, || {
                format!(
                    "{} handed over: {}",
                    o.number,
                    o.status.as_str().replace('_', " ")
                )
            })
        }
        FulfilCommand::ReleaseUncollected => {
            let list = app.release_uncollected(actor).await?;
            print(json, &list, || {
                if list.is_empty() {
                    "Nothing to release.".to_owned()
                } else {
                    format!("Released: {}", list.join(", "))
                }
            })
        }
        FulfilCommand::Bin { sku, location, bin } => {
            let b = bin.trim();
            app.set_bin(&sku, &location, (!b.is_empty()).then_some(b))
                .await?;
            print(
                json,
                &serde_json::json!({ "sku": sku, "location": location, "bin": b }),
                || {
                    format!(
                        "{sku} at {location}: bin {}",
                        if b.is_empty() { "cleared" } else { b }
                    )
                },
            )
        }
        FulfilCommand::PurchaseOrder { location, order } => {
            let s = app.send_purchase_order(actor, &location, &order).await?;
            print(json, &s, || shipment_text(&s))
        }
        FulfilCommand::Docs {
            what,
            reference,
            out: dir,
            format,
        } => {
            let format = match format.as_str() {
                "pdf" => DocKind::Pdf,
                "zpl" => DocKind::Zpl,
                other => {
                    return Err(Error::invalid(
                        "format",
                        format!("'{other}' is not a format: use pdf or zpl"),
                    ));
                }
            };
            let docs = match what.as_str() {
                "labels" => app.shipment_labels(&reference, format).await?,
                "slip" => vec![app.packing_slip(&reference).await?],
                "pick-list" => vec![app.pick_list_document(&reference).await?],
                "po" => vec![app.purchase_order_document(&reference).await?],
                "return-receipt" => vec![app.return_receipt_document(&reference).await?],
                "return-label" => vec![app.return_label_document(&reference, format).await?],
                other => {
                    return Err(Error::invalid(
                        "what",
                        format!(
                            "'{other}' is not a document: use labels, slip, pick-list, po, return-receipt or return-label"
                        ),
                    ));
                }
            };
            let dir = std::path::PathBuf::from(dir);
            std::fs::create_dir_all(&dir).map_err(|e| {
                Error::invalid("out", format!("cannot create {}: {e}", dir.display()))
            })?;
            let mut written = Vec::new();
            for d in &docs {
                let path = dir.join(&d.name);
                std::fs::write(&path, &d.bytes).map_err(|e| {
                    Error::invalid("out", format!("cannot write {}: {e}", path.display()))
                })?;
                written.push(path.display().to_string());
            }
            print(json, &written, || written.join("\n"))
        }
    }
}

fn pick_list_text(pl: &crate::app::fulfilment::PickList) -> String {
    let mut t = format!(
        "{} at {} ({} shipment(s))",
        pl.number,
        pl.location,
        pl.shipments.len()
    );
    for r in &pl.rows {
        t.push_str(&format!(
            "\n  {:<10} {:>4} × {} {}  [{}]",
            r.bin.clone().unwrap_or_else(|| "-".into()),
            r.qty,
            r.sku,
            r.name,
            r.shipments
                .iter()
                .map(|(s, q)| format!("{s}: {q}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    t
}
