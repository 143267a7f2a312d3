//! Shipping output, checked the way a warehouse would: labels and documents rendered to pixels
//! (`pdftoppm`, ZPL through `labelize`) and their barcodes read back (`zbarimg`); text read back
//! with `pdftotext`; a label sent to a printer stand-in on 127.0.0.1:9100; the CLI commands.
//! No database needed.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use orderly::shipping::documents::{
    PackingSlip, PickList, PickRow, PoLine, PurchaseOrder, SlipLine, packing_slip_pdf,
    pick_list_pdf, purchase_order_pdf,
};
use orderly::shipping::print::{DocKind, PrintDoc, PrinterTarget, print};
use orderly::shipping::{LabelAddress, LabelInput, label_pdf, label_zpl};

fn address(name: &str, city: &str, region: &str, zip: &str) -> LabelAddress {
    LabelAddress {
        name: name.into(),
        company: None,
        line1: "12 Byron Road".into(),
        line2: None,
        city: city.into(),
        region: region.into(),
        postal_code: zip.into(),
        country: "US".into(),
        phone: None,
    }
}

fn input(tracking: &str, carrier: &str, packages: u32) -> LabelInput {
    let mut to = address("Ada Lovelace", "Springfield", "IL", "62704");
    to.company = Some("Analytical Engines Ltd".into());
    to.line2 = Some("Suite 300, Building B".into());
    to.phone = Some("+1 217 555 0100".into());
    LabelInput {
        tracking_number: tracking.into(),
        carrier: carrier.into(),
        service: "Ground".into(),
        ship_from: address("Orderly Demo Shop", "Newark", "NJ", "07102"),
        ship_to: to,
        weight_kg: 2.5,
        reference: "SO-10042".into(),
        packages,
    }
}

/// Renders every page of a PDF at 300 dpi; returns the PNG paths in page order.
fn render_pdf(pdf: &[u8], dir: &Path, stem: &str) -> Vec<PathBuf> {
    let file = dir.join(format!("{stem}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftoppm")
        .args(["-r", "300", "-png"])
        .arg(&file)
        .arg(dir.join(stem))
        .output()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            n.starts_with(&format!("{stem}-")) && n.ends_with(".png")
        })
        .collect();
    pages.sort_by_key(|p| {
        let n = p.file_stem().unwrap().to_string_lossy().to_string();
        n.rsplit('-').next().unwrap().parse::<u32>().unwrap()
    });
    pages
}

/// Every barcode zbarimg reads in the image.
fn decode(png: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(png)
        .output()
        .expect("zbarimg (zbar-tools) is installed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .filter(|l| !l.is_empty())
        .collect()
}

fn pdf_text(pdf: &[u8], dir: &Path, stem: &str) -> String {
    let file = dir.join(format!("{stem}-text.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn pdf_label_barcodes_scan_for_ups_usps_and_s10() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (number, carrier)) in [
        ("1Z999AA10123456784", "UPS"),
        ("9400111201080805483016", "USPS"),
        ("RB123456785US", "upu"),
        ("986578788855", "FedEx"),
    ]
    .into_iter()
    .enumerate()
    {
        let pdf = label_pdf(&input(number, carrier, 1)).unwrap();
        let pages = render_pdf(&pdf, dir.path(), &format!("label{i}"));
        assert_eq!(pages.len(), 1);
        assert_eq!(
            decode(&pages[0]),
            vec![number.to_owned()],
            "{carrier} label"
        );
        let text = pdf_text(&pdf, dir.path(), &format!("label{i}"));
        for want in [
            "Ada Lovelace",
            "Springfield IL 62704",
            "Orderly Demo Shop",
            "SO-10042",
            "GROUND",
            number,
        ] {
            assert!(text.contains(want), "{want} missing from:\n{text}");
        }
    }
}

#[test]
fn multi_package_label_has_a_page_per_package_each_scanning() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = label_pdf(&input("1Z999AA10123456784", "ups", 3)).unwrap();
    let pages = render_pdf(&pdf, dir.path(), "multi");
    assert_eq!(pages.len(), 3);
    for p in &pages {
        assert_eq!(decode(p), vec!["1Z999AA10123456784".to_owned()]);
    }
    let text = pdf_text(&pdf, dir.path(), "multi");
    for n in 1..=3 {
        assert!(text.contains(&format!("Package {n} of 3")), "{text}");
    }
}

#[test]
fn long_addresses_stay_on_the_label_and_the_barcode_still_scans() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = input("9400111201080805483016", "USPS", 1);
    l.ship_to.name =
        "Bartholomew Maximilian Fitzgerald-Worthington the Third of Upper Wallop".into();
    l.ship_to.company =
        Some("The Extraordinarily Long Named Company of Everything Incorporated".into());
    l.ship_to.line1 = "123456 Northwest Extraordinarily Long Boulevard Extension Road".into();
    l.ship_to.line2 = Some("Building 7, Floor 12, Suite 1200, Receiving Dock Door 4".into());
    l.service = "Priority Mail Express International Flat Rate Envelope".into();
    let pdf = label_pdf(&l).unwrap();
    let pages = render_pdf(&pdf, dir.path(), "long");
    assert_eq!(decode(&pages[0]), vec!["9400111201080805483016".to_owned()]);
}

/// Renders ZPL with labelize (first label) to a PNG file.
fn render_zpl(zpl: &str, path: &Path) {
    let r = labelize::render_png(
        zpl.as_bytes(),
        labelize::RenderOptions {
            width_mm: Some(101.6),
            height_mm: Some(152.4),
            dpmm: 8,
            ..Default::default()
        },
    )
    .expect("labelize renders the label");
    std::fs::write(path, r.bytes).unwrap();
}

#[test]
fn zpl_label_renders_offline_and_its_barcode_scans() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (number, carrier)) in [
        ("1Z999AA10123456784", "UPS"),
        ("9400111201080805483016", "USPS"),
        ("RB123456785US", "upu"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut l = input(number, carrier, 2);
        l.ship_to.name = "Zoë ^Caret~Tilde_Under".into();
        let zpl = label_zpl(&l).unwrap();
        assert!(zpl.starts_with("^XA"));
        assert_eq!(zpl.matches("^XA").count(), 2);
        assert_eq!(zpl.matches("^XZ").count(), 2);
        let png = dir.path().join(format!("zpl{i}.png"));
        render_zpl(&zpl, &png);
        assert_eq!(decode(&png), vec![number.to_owned()], "{carrier} ZPL label");
    }
}

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 9, 30, 0).unwrap()
}

#[test]
fn packing_slip_shows_the_order_and_its_barcode() {
    let dir = tempfile::tempdir().unwrap();
    let slip = PackingSlip {
        order_number: "SO-10042".into(),
        order_date: t0(),
        channel: "Web store".into(),
        ship_from: address("Orderly Demo Shop", "Newark", "NJ", "07102"),
        ship_to: Some(address("Ada Lovelace", "Springfield", "IL", "62704")),
        pickup_store: None,
        lines: vec![
            SlipLine {
                sku: "TEE-BLK-M".into(),
                name: "Organic cotton tee, black, M".into(),
                qty: 2,
            },
            SlipLine {
                sku: "MUG-01".into(),
                name: "Café mug".into(),
                qty: 1,
            },
        ],
        packages: 1,
        note: Some("Gift: please leave the price out.".into()),
    };
    let pdf = packing_slip_pdf(&slip).unwrap();
    let pages = render_pdf(&pdf, dir.path(), "slip");
    assert_eq!(pages.len(), 1);
    assert_eq!(decode(&pages[0]), vec!["SO-10042".to_owned()]);
    let text = pdf_text(&pdf, dir.path(), "slip");
    for want in [
        "PACKING SLIP",
        "SO-10042",
        "TEE-BLK-M",
        "Café mug",
        "Ada Lovelace",
        "Gift: please",
        "3 items in 1 package",
        "2026-03-14",
    ] {
        assert!(text.contains(want), "{want} missing from:\n{text}");
    }
    // Pick-up: no ship-to, the store instead.
    let pickup = PackingSlip {
        ship_to: None,
        pickup_store: Some("Downtown store".into()),
        ..slip
    };
    let text = pdf_text(&packing_slip_pdf(&pickup).unwrap(), dir.path(), "pickup");
    assert!(
        text.contains("PICK UP AT") && text.contains("Downtown store"),
        "{text}"
    );
}

#[test]
fn pick_list_of_120_rows_paginates_and_every_row_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<PickRow> = (0..120)
        .map(|i| PickRow {
            bin: Some(format!("A-{:02}-{:02}", i / 10, i % 10)),
            sku: format!("SKU-{i:04}"),
            name: if i % 7 == 0 {
                format!(
                    "Product {i} with a rather long descriptive name that has to wrap in its column"
                )
            } else {
                format!("Product {i}")
            },
            barcode: Some("4006381333931".into()),
            qty: 1 + i % 3,
            orders: vec![(format!("SO-{}", 10000 + i), 1 + i % 3)],
        })
        .collect();
    let list = PickList {
        number: "PL-0007".into(),
        location_code: "WH-1".into(),
        location_name: "Main warehouse".into(),
        created_at: t0(),
        created_by: "sam".into(),
        orders: (0..120).map(|i| format!("SO-{}", 10000 + i)).collect(),
        rows,
    };
    let pdf = pick_list_pdf(&list).unwrap();
    let pages = render_pdf(&pdf, dir.path(), "pick");
    assert!(
        pages.len() >= 3,
        "120 rows should take several pages, got {}",
        pages.len()
    );
    assert_eq!(decode(&pages[0]), vec!["PL-0007".to_owned()]);
    let text = pdf_text(&pdf, dir.path(), "pick");
    for i in 0..120 {
        assert!(text.contains(&format!("SKU-{i:04}")), "row {i} missing");
    }
    assert!(text.contains(&format!("page {} of {}", pages.len(), pages.len())));
    assert!(text.contains("Pick list PL-0007 (continued)"));
    assert!(text.contains("Main warehouse"));
}

#[test]
fn purchase_order_shows_supplier_customer_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    let po = PurchaseOrder {
        number: "PO-00012".into(),
        supplier: address("Acme Dropship Co", "Austin", "TX", "73301"),
        supplier_email: Some("orders@acme.example".into()),
        ship_to: address("Ada Lovelace", "Springfield", "IL", "62704"),
        order_number: "SO-10042".into(),
        created_at: t0(),
        lines: vec![PoLine {
            sku: "SOFA-3".into(),
            name: "Three-seat sofa".into(),
            qty: 1,
        }],
        note: None,
    };
    let pdf = purchase_order_pdf(&po).unwrap();
    let pages = render_pdf(&pdf, dir.path(), "po");
    assert_eq!(pages.len(), 1);
    assert_eq!(decode(&pages[0]), vec!["PO-00012".to_owned()]);
    let text = pdf_text(&pdf, dir.path(), "po");
    for want in [
        "PURCHASE ORDER PO-00012",
        "Acme Dropship Co",
        "orders@acme.example",
        "SHIP DIRECTLY TO",
        "Ada Lovelace",
        "SOFA-3",
        "SO-10042",
    ] {
        assert!(text.contains(want), "{want} missing from:\n{text}");
    }
}

/// A printer stand-in: accepts one connection and returns everything it received.
async fn stand_in() -> (u16, tokio::task::JoinHandle<Vec<u8>>, bool) {
    use tokio::io::AsyncReadExt;
    let (listener, on_9100) = match tokio::net::TcpListener::bind("127.0.0.1:9100").await {
        Ok(l) => (l, true),
        Err(_) => (
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            false,
        ),
    };
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut got = Vec::new();
        sock.read_to_end(&mut got).await.unwrap();
        got
    });
    (port, task, on_9100)
}

#[tokio::test]
async fn raw_printer_receives_exactly_the_zpl_bytes() {
    let zpl = label_zpl(&input("1Z999AA10123456784", "UPS", 2)).unwrap();
    let (port, task, on_9100) = stand_in().await;
    if !on_9100 {
        eprintln!("port 9100 is taken: the printer stand-in listens on {port} instead");
    }
    let target = PrinterTarget::Raw {
        host: "127.0.0.1".into(),
        port,
    };
    let receipt = print(
        &target,
        PrintDoc {
            name: "label",
            bytes: zpl.as_bytes(),
            kind: DocKind::Zpl,
        },
    )
    .await
    .unwrap();
    assert_eq!(receipt.bytes, zpl.len());
    assert_eq!(receipt.destination, format!("raw://127.0.0.1:{port}"));
    let got = tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got, zpl.as_bytes());
}

#[tokio::test]
async fn unreachable_printer_fails_clearly_within_the_timeout() {
    // A port nobody listens on: refused at once.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let doc = PrintDoc {
        name: "label",
        bytes: b"^XA^XZ",
        kind: DocKind::Zpl,
    };
    let e = print(
        &PrinterTarget::Raw {
            host: "127.0.0.1".into(),
            port: closed,
        },
        doc,
    )
    .await
    .unwrap_err();
    assert_eq!(e.field(), Some("printer"));
    assert!(e.to_string().contains("did not answer"), "{e}");
    // An address that never answers (TEST-NET-1): refused or timed out, within the 5 s limit.
    let start = Instant::now();
    let e = print(
        &PrinterTarget::Raw {
            host: "192.0.2.1".into(),
            port: 9100,
        },
        doc,
    )
    .await
    .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(7),
        "{:?}",
        start.elapsed()
    );
    assert!(e.to_string().contains("192.0.2.1:9100"), "{e}");
}

#[tokio::test]
async fn file_target_saves_the_document_and_a_missing_lp_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let target = PrinterTarget::File {
        dir: dir.path().join("labels"),
    };
    let r = print(
        &target,
        PrintDoc {
            name: "Label SO-1",
            bytes: b"%PDF-1.7 x",
            kind: DocKind::Pdf,
        },
    )
    .await
    .unwrap();
    let saved = dir.path().join("labels/Label_SO-1.pdf");
    assert_eq!(std::fs::read(&saved).unwrap(), b"%PDF-1.7 x");
    assert_eq!(r.destination, saved.display().to_string());
    let cups = PrinterTarget::Cups {
        queue: "no_such_queue_orderly".into(),
    };
    let e = print(
        &cups,
        PrintDoc {
            name: "x",
            bytes: b"^XA^XZ",
            kind: DocKind::Zpl,
        },
    )
    .await
    .unwrap_err();
    // Either lp is missing (cups-client not installed) or the queue is unknown; both say so.
    let m = e.to_string();
    assert!(
        m.contains("cups-client") || m.contains("no_such_queue_orderly") || m.contains("refused"),
        "{m}"
    );
}

fn args(list: &[&str]) -> Vec<OsString> {
    std::iter::once("orderly")
        .chain(list.iter().copied())
        .map(OsString::from)
        .collect()
}

#[tokio::test]
async fn cli_label_tracking_and_print_commands() {
    let dir = tempfile::tempdir().unwrap();
    let json = serde_json::to_string(&input("9400111201080805483016", "USPS", 1)).unwrap();
    let shipment = dir.path().join("shipment.json");
    std::fs::write(&shipment, &json).unwrap();
    let s = shipment.to_str().unwrap();
    let pdf = dir.path().join("out.pdf");
    let zpl = dir.path().join("out.zpl");
    let run = |a: Vec<String>| async move {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        orderly::cli::run(args(&refs)).await
    };
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        run(v(&[
            "label",
            "--input",
            s,
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap()
        ]))
        .await,
        ExitCode::SUCCESS
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let pages = render_pdf(&std::fs::read(&pdf).unwrap(), dir.path(), "cli");
    assert_eq!(decode(&pages[0]), vec!["9400111201080805483016".to_owned()]);
    assert_eq!(
        run(v(&[
            "label",
            "--input",
            s,
            "--format",
            "zpl",
            "--out",
            zpl.to_str().unwrap()
        ]))
        .await,
        ExitCode::SUCCESS
    );
    assert!(std::fs::read_to_string(&zpl).unwrap().starts_with("^XA"));
    // Bad input: exit 2, nothing written.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, json.replace("62704", "627")).unwrap();
    let never = dir.path().join("never.pdf");
    assert_eq!(
        run(v(&[
            "label",
            "--input",
            bad.to_str().unwrap(),
            "--format",
            "pdf",
            "--out",
            never.to_str().unwrap()
        ]))
        .await,
        ExitCode::from(2)
    );
    assert!(!never.exists());
    // Tracking check: valid 0, invalid 2.
    assert_eq!(
        run(v(&["tracking", "check", "1Z 999 AA1 0123 4567 84"])).await,
        ExitCode::SUCCESS
    );
    assert_eq!(
        run(v(&["--json", "tracking", "check", "986578788855"])).await,
        ExitCode::SUCCESS
    );
    assert_eq!(
        run(v(&["tracking", "check", "1Z999AA10123456787"])).await,
        ExitCode::from(2)
    );
    assert_eq!(
        run(v(&["tracking", "check", "hello"])).await,
        ExitCode::from(2)
    );
    // Print to a folder and to the raw stand-in.
    let saved = dir.path().join("saved");
    let url = format!("file://{}", saved.display());
    assert_eq!(
        run(v(&["print", "--printer", &url, zpl.to_str().unwrap()])).await,
        ExitCode::SUCCESS
    );
    assert_eq!(
        std::fs::read(saved.join("out.zpl")).unwrap(),
        std::fs::read(&zpl).unwrap()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut got = Vec::new();
        sock.read_to_end(&mut got).await.unwrap();
        got
    });
    let raw = format!("raw://127.0.0.1:{port}");
    assert_eq!(
        run(v(&["print", "--printer", &raw, zpl.to_str().unwrap()])).await,
        ExitCode::SUCCESS
    );
    assert_eq!(task.await.unwrap(), std::fs::read(&zpl).unwrap());
    assert_eq!(
        run(v(&["print", "--printer", "lpt1", zpl.to_str().unwrap()])).await,
        ExitCode::from(2)
    );
}

/// With `ORDERLY_SAMPLES_DIR` set, writes a sample of each document there to look at.
#[test]
fn write_samples_when_asked() {
    let Ok(dir) = std::env::var("ORDERLY_SAMPLES_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let l = input("1Z999AA10123456784", "UPS", 2);
    std::fs::write(dir.join("label.pdf"), label_pdf(&l).unwrap()).unwrap();
    let zpl = label_zpl(&l).unwrap();
    std::fs::write(dir.join("label.zpl"), &zpl).unwrap();
    render_zpl(&zpl, &dir.join("label-zpl.png"));
    let rows = (0..60)
        .map(|i| PickRow {
            bin: Some(format!("A-{:02}-{:02}", i / 10, i % 10)),
            sku: format!("SKU-{i:04}"),
            name: format!("Product {i} in a colour and a size"),
            barcode: Some("4006381333931".into()),
            qty: 1 + i % 3,
            orders: vec![
                (format!("SO-{}", 10000 + i), 1 + i % 3),
                ("SO-20000".into(), 1),
            ],
        })
        .collect();
    let list = PickList {
        number: "PL-0007".into(),
        location_code: "WH-1".into(),
        location_name: "Main warehouse".into(),
        created_at: t0(),
        created_by: "sam".into(),
        orders: vec!["SO-10000".into(), "SO-20000".into()],
        rows,
    };
    std::fs::write(dir.join("pick-list.pdf"), pick_list_pdf(&list).unwrap()).unwrap();
    let slip = PackingSlip {
        order_number: "SO-10042".into(),
        order_date: t0(),
        channel: "Web store".into(),
        ship_from: address("Orderly Demo Shop", "Newark", "NJ", "07102"),
        ship_to: Some(l.ship_to.clone()),
        pickup_store: None,
        lines: vec![SlipLine {
            sku: "TEE-BLK-M".into(),
            name: "Organic cotton tee, black, M".into(),
            qty: 2,
        }],
        packages: 2,
        note: Some("Gift: please leave the price out.".into()),
    };
    std::fs::write(
        dir.join("packing-slip.pdf"),
        packing_slip_pdf(&slip).unwrap(),
    )
    .unwrap();
}
