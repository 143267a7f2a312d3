//! Carriers, services and rate cards in the shop: saved as append-only versions after validation,
//! rate shopping for a promised date, postal-prefix zones, and capture routing priced by the
//! cards (the stored route's cost is the cards' price, and cheaper cards move the order).

use orderly::Error;
use orderly::domain::order::{LineRequest, OrderRequest};
use orderly::domain::rates::RateCards;
use serde_json::json;

use crate::both;
use crate::support::{actor, address, shop};

/// UPS Ground (5 days, distance zones) and 2nd Day (2 days, ZIP-prefix zones) from every
/// location, and a cheap courier that collects from WH-2 only.
fn cards() -> RateCards {
    serde_json::from_value(json!({
        "currency": "USD",
        "carriers": [
            { "code": "ups", "name": "UPS", "tracking": "ups", "services": [
                { "code": "GROUND", "name": "Ground", "transitDays": 5,
                  "zones": { "kind": "distance", "bands": [
                      { "upToKm": 500, "zone": 1 }, { "upToKm": 5000, "zone": 2 } ] },
                  "brackets": [
                      { "upToGrams": 1000, "prices": [900, 1200] },
                      { "upToGrams": 5000, "prices": [1400, 1800] } ],
                  "surcharges": { "perPackage": 50, "fuelBp": 1000, "residential": 0 } },
                { "code": "2DAY", "name": "2nd Day", "transitDays": 2,
                  "zones": { "kind": "postalPrefix",
                             "rules": [ { "prefix": "627", "zone": 1 }, { "prefix": "1", "zone": 2 } ],
                             "defaultZone": 3 },
                  "brackets": [ { "upToGrams": 5000, "prices": [2000, 2500, 3000] } ] } ] },
            { "code": "COURIER", "name": "Courier", "tracking": "local", "services": [
                { "code": "STD", "name": "Standard", "transitDays": 3, "fromLocations": ["wh-2"],
                  "zones": { "kind": "postalPrefix", "rules": [], "defaultZone": 1 },
                  "brackets": [ { "upToGrams": 3000, "prices": [700] } ] } ] }
        ]
    }))
    .expect("cards JSON")
}

fn order(lines: &[(&str, i64)]) -> OrderRequest {
    OrderRequest {
        channel: "web".into(),
        ship_to: Some(address("Grace Hopper")),
        lines: lines
            .iter()
            .map(|(sku, qty)| LineRequest {
                sku: (*sku).into(),
                qty: *qty,
                unit_price: None,
                discount: None,
            })
            .collect(),
        ..Default::default()
    }
}

both!(
    rate_cards_are_validated_and_versioned,
    |url: String| async move {
        let app = shop(&url).await;
        let none = app.rate_cards().await.expect("cards");
        assert_eq!(none.version, 0);
        assert!(none.cards.carriers.is_empty());
        assert_eq!(none.cards.currency, "USD");
        // A bracket out of order is refused by its path, and nothing is saved.
        let mut bad = cards();
        bad.carriers[0].services[0].brackets[1].up_to_grams = 500;
        let err = app
            .save_rate_cards(&actor(), bad, None)
            .await
            .expect_err("brackets out of order");
        assert_eq!(
            err.field(),
            Some("carriers[0].services[0].brackets[1].upToGrams")
        );
        assert!(matches!(err, Error::Invalid { .. }));
        let mut bad = cards();
        bad.carriers[1].services[0].from_locations = Some(vec!["WH-9".into()]);
        let err = app
            .save_rate_cards(&actor(), bad, None)
            .await
            .expect_err("unknown location");
        assert_eq!(
            err.field(),
            Some("carriers[1].services[0].fromLocations[0]")
        );
        let mut bad = cards();
        bad.currency = "EUR".into();
        let err = app
            .save_rate_cards(&actor(), bad, None)
            .await
            .expect_err("currency");
        assert_eq!(err.field(), Some("currency"));
        assert!(app.rate_card_history(10).await.expect("history").is_empty());
        // Good cards: versions 1 and 2, newest first, codes normalised.
        let v1 = app
            .save_rate_cards(&actor(), cards(), Some("first cards"))
            .await
            .expect("save");
        assert_eq!(v1.version, 1);
        assert_eq!(v1.cards.carriers[0].code, "UPS");
        assert_eq!(
            v1.cards.carriers[1].services[0].from_locations,
            Some(vec!["WH-2".to_string()])
        );
        let mut next = cards();
        next.carriers.truncate(1);
        let v2 = app
            .save_rate_cards(&actor(), next, Some("no courier"))
            .await
            .expect("save 2");
        assert_eq!(v2.version, 2);
        let history = app.rate_card_history(10).await.expect("history");
        let seen: Vec<(i64, Option<String>)> = history
            .iter()
            .map(|v| (v.version, v.note.clone()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (2, Some("no courier".into())),
                (1, Some("first cards".into()))
            ]
        );
        let current = app.rate_cards().await.expect("current");
        assert_eq!(current.version, 2);
        assert_eq!(current.cards.carriers.len(), 1);
        assert_eq!(current.created_by, "test");
    }
);

both!(
    quote_picks_the_cheapest_in_time_else_the_fastest,
    |url: String| async move {
        let app = shop(&url).await;
        app.save_rate_cards(&actor(), cards(), None)
            .await
            .expect("save");
        let today = app.now().date_naive();
        let to = address("Ada"); // ZIP 62701, about 1,150 km from the warehouses: Ground zone 2.
        let days = |n: u64| today.checked_add_days(chrono::Days::new(n)).expect("date");
        // No promise, 900 g: Ground at 1200 + 120 fuel + 50 = 1370 beats 2nd Day at 2000.
        let r = app
            .quote_shipment("wh-1", &to, 900, 1, None)
            .await
            .expect("quote");
        let chosen = r.chosen.clone().expect("chosen");
        assert_eq!(
            (chosen.carrier.as_str(), chosen.service.as_str()),
            ("UPS", "GROUND")
        );
        assert_eq!(chosen.price.total, 1370);
        assert_eq!(r.quotes.len(), 2, "{:?}", r.quotes);
        assert!(
            r.quotes
                .windows(2)
                .all(|w| w[0].price.total <= w[1].price.total)
        );
        assert!(
            r.unavailable
                .iter()
                .any(|u| u.contains("does not collect from WH-1")),
            "{:?}",
            r.unavailable
        );
        // Within 3 days: only 2nd Day is in time.
        let r = app
            .quote_shipment("WH-1", &to, 1200, 1, Some(days(3)))
            .await
            .expect("quote");
        let chosen = r.chosen.clone().expect("chosen");
        assert_eq!(chosen.service, "2DAY");
        assert_eq!(chosen.price.total, 2000);
        assert_eq!(chosen.delivery_date, days(2));
        assert!(chosen.meets_promise);
        // Tomorrow: nothing is in time, so the fastest, and the summary says so.
        let r = app
            .quote_shipment("WH-1", &to, 1200, 1, Some(days(1)))
            .await
            .expect("quote");
        assert_eq!(r.chosen.expect("chosen").service, "2DAY");
        assert!(
            r.summary.starts_with("No service is delivered by"),
            "{}",
            r.summary
        );
        assert!(r.quotes.iter().all(|q| !q.meets_promise));
        // WH-2 also has the courier, cheapest of all; a 4 kg parcel is too heavy for it.
        let r = app
            .quote_shipment("WH-2", &to, 1200, 1, None)
            .await
            .expect("quote");
        assert_eq!(r.chosen.expect("chosen").carrier, "COURIER");
        let r = app
            .quote_shipment("WH-2", &to, 4000, 1, None)
            .await
            .expect("quote");
        // Ground 1800 + 180 + 50 = 2030 loses to 2nd Day's 2000.
        assert_eq!(r.chosen.expect("chosen").service, "2DAY");
        assert!(r.unavailable.iter().any(|u| u.contains("over 3000 g")));
        // Bad input is refused by field.
        let err = app
            .quote_shipment("XX", &to, 1200, 1, None)
            .await
            .expect_err("unknown location");
        assert_eq!(err.field(), Some("from"));
        let err = app
            .quote_shipment("WH-1", &to, -1, 1, None)
            .await
            .expect_err("weight");
        assert_eq!(err.field(), Some("weight"));
    }
);

both!(
    postal_prefix_zones_price_by_the_ship_to_zip,
    |url: String| async move {
        let app = shop(&url).await;
        app.save_rate_cards(&actor(), cards(), None)
            .await
            .expect("save");
        let price = |zip: &'static str| {
            let app = &app;
            async move {
                let mut to = address("Zip");
                to.postal_code = zip.into();
                let r = app
                    .quote_shipment("WH-1", &to, 800, 1, None)
                    .await
                    .expect("quote");
                r.quotes
                    .iter()
                    .find(|q| q.service == "2DAY")
                    .map(|q| (q.price.zone, q.price.total))
            }
        };
        assert_eq!(price("62701").await, Some((1, 2000)));
        assert_eq!(price("10001").await, Some((2, 2500)));
        assert_eq!(price("94105").await, Some((3, 3000)));
    }
);

both!(
    capture_routes_by_rate_card_prices,
    |url: String| async move {
        let app = shop(&url).await;
        // Without cards, A ships from WH-1 at its simple rate.
        let before = app
            .create_order(&actor(), order(&[("A", 1)]))
            .await
            .expect("order");
        let route = before.routes.last().expect("route");
        assert_eq!(route.plan.shipments[0].location, "WH-1");
        // With cards, WH-2's courier (700) is cheaper than WH-1's cheapest, Ground: the order moves.
        app.save_rate_cards(&actor(), cards(), Some("cards"))
            .await
            .expect("save");
        let after = app
            .create_order(&actor(), order(&[("A", 1)]))
            .await
            .expect("order");
        let route = after.routes.last().expect("route");
        let s = &route.plan.shipments[0];
        assert_eq!(s.location, "WH-2");
        let quote = app
            .quote_shipment("WH-2", &address("Grace Hopper"), 500, 1, None)
            .await
            .expect("quote");
        let chosen = quote.chosen.expect("chosen");
        assert_eq!(s.cost, chosen.price.total);
        assert_eq!(s.cost, 700);
        assert_eq!(route.plan.total_cost, 700);
        assert_eq!(s.days, 1 + 3, "handling day + courier transit");
        assert!(
            route
                .plan
                .explanation
                .iter()
                .any(|l| l.contains("WH-2 ships by Courier Standard") && l.contains("700")),
            "{:?}",
            route.plan.explanation
        );
        // B only at WH-2 and A at WH-1 priced by Ground: 4 × A + 4 × B = 4 kg > the courier's 3 kg, so
        // WH-2 pays Ground for the heavy parcel. The stored cost is the cards' price per shipment.
        let o = app
            .create_order(&actor(), order(&[("B", 4), ("A", 4)]))
            .await
            .expect("order");
        let route = o.routes.last().expect("route");
        for s in &route.plan.shipments {
            let grams: i64 = s.lines.iter().map(|l| l.qty * 500).sum();
            let q = app
                .quote_shipment(&s.location, &address("Grace Hopper"), grams, 1, None)
                .await
                .expect("quote");
            assert_eq!(s.cost, q.chosen.expect("chosen").price.total, "{s:?}");
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_sets_shows_and_quotes_rate_cards() {
    use std::ffi::OsString;
    use std::process::ExitCode;
    let db = crate::support::sqlite();
    let app = shop(&db.url).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("cards.json");
    std::fs::write(&file, serde_json::to_string(&cards()).expect("json")).expect("write");
    let mut bad = cards();
    bad.carriers[0].services[0].transit_days = -1;
    let bad_file = dir.path().join("bad.json");
    std::fs::write(&bad_file, serde_json::to_string(&bad).expect("json")).expect("write");
    let url = db.url.clone();
    let run = |list: Vec<String>| {
        let mut full: Vec<OsString> = vec!["orderly".into(), "--db".into(), url.clone().into()];
        full.extend(list.into_iter().map(OsString::from));
        orderly::cli::run(full)
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let path = file.to_string_lossy().to_string();
    let bad_path = bad_file.to_string_lossy().to_string();
    assert_eq!(
        run(s(&["rates", "set", &bad_path])).await,
        ExitCode::from(2)
    );
    assert_eq!(app.rate_cards().await.expect("cards").version, 0);
    assert_eq!(
        run(s(&["rates", "set", &path, "--note", "from the CLI"])).await,
        ExitCode::SUCCESS
    );
    assert_eq!(app.rate_cards().await.expect("cards").version, 1);
    for cmd in [
        s(&["rates", "show"]),
        s(&["rates", "history"]),
        s(&[
            "--json",
            "rates",
            "quote",
            "--from",
            "WH-2",
            "--to-zip",
            "62701",
            "--weight-kg",
            "1.2",
        ]),
        s(&[
            "rates",
            "quote",
            "--from",
            "WH-1",
            "--to-zip",
            "10001",
            "--weight-kg",
            ".5",
            "--packages",
            "1",
            "--promised-by",
            "2099-01-01",
        ]),
    ] {
        assert_eq!(run(cmd.clone()).await, ExitCode::SUCCESS, "{cmd:?}");
    }
    for cmd in [
        s(&[
            "rates",
            "quote",
            "--from",
            "WH-1",
            "--to-zip",
            "62701",
            "--weight-kg",
            "1,2",
        ]),
        s(&[
            "rates",
            "quote",
            "--from",
            "WH-1",
            "--to-zip",
            "62701",
            "--weight-kg",
            "1.2",
            "--promised-by",
            "tomorrow",
        ]),
        s(&[
            "rates",
            "quote",
            "--from",
            "NOPE",
            "--to-zip",
            "62701",
            "--weight-kg",
            "1",
        ]),
    ] {
        assert_eq!(run(cmd.clone()).await, ExitCode::from(2), "{cmd:?}");
    }
}
