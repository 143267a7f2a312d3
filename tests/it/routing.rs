//! `orderly route`: a routing file in, the plan out, with no database involved.

use std::ffi::OsString;
use std::process::ExitCode;

const SAMPLE: &str = r#"{
  "order": { "id": "R-1", "ship_to": {"lat": 40.71, "lon": -74.0},
             "lines": [ {"sku": "SKU-1", "qty": 2, "unit_weight_kg": 0.5},
                        {"sku": "SKU-9", "qty": 1, "unit_weight_kg": 1.0} ] },
  "locations": [
    { "id": "WH-1", "kind": "warehouse", "lat": 39.9, "lon": -75.1, "can_ship": true,
      "rate": {"base": 450, "per_kg": 80, "per_km": 0.2}, "stock": {"SKU-1": 10} },
    { "id": "ST-2", "kind": "store", "lat": 40.73, "lon": -73.99, "can_ship": true,
      "rate": {"base": 900, "per_kg": 150, "per_km": 0.5}, "stock": {"SKU-1": 1} },
    { "id": "ST-3", "kind": "store", "lat": 40.75, "lon": -73.98, "can_ship": true,
      "rate": {"base": 100, "per_kg": 10, "per_km": 0.1}, "stock": {"SKU-1": 5, "SKU-9": 5} }
  ],
  "rules": { "objective": "cost", "backorder_penalty_per_unit": 100000,
             "max_shipments": 2, "exclude": ["ST-3"] }
}"#;

fn args(list: &[&str]) -> Vec<OsString> {
    std::iter::once("orderly")
        .chain(list.iter().copied())
        .map(OsString::from)
        .collect()
}

/// A database URL that cannot be opened: `route` must not try.
const NO_DB: &str = "sqlite:///nonexistent-folder/for/sure/orderly.db";

#[tokio::test]
async fn route_prints_a_plan_without_a_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("order.json");
    std::fs::write(&file, SAMPLE).expect("write sample");
    let path = file.to_string_lossy().to_string();
    let code = orderly::cli::run(args(&["--db", NO_DB, "route", &path])).await;
    assert_eq!(code, ExitCode::SUCCESS);

    // The same file through the library: what the command printed.
    let input = orderly::routing::parse(SAMPLE).expect("sample parses");
    let plan = orderly::routing::route(&input);
    assert_eq!(plan.shipments.len(), 1);
    assert_eq!(plan.shipments[0].location, "WH-1");
    assert_eq!(plan.shipments[0].lines[0].sku, "SKU-1");
    assert_eq!(plan.shipments[0].lines[0].qty, 2);
    assert_eq!(plan.backordered.len(), 1);
    assert_eq!(plan.backordered[0].sku, "SKU-9");
    assert_eq!(plan.total_cost, plan.shipments[0].cost + 100_000);
    let d = orderly::routing::haversine_km(input.locations[0].point, input.order.ship_to);
    assert_eq!(
        plan.shipments[0].cost,
        orderly::routing::round_half_away(450.0 + 80.0 * 1.0 + 0.2 * d)
    );
    let json = serde_json::to_value(&plan).expect("plan serialises");
    let keys: Vec<&str> = json
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["backordered", "explanation", "shipments", "total_cost"]
    );
    let text = plan.explanation.join("\n");
    assert!(text.contains("ST-3 holds 5 but is excluded"), "{text}");
    assert!(text.contains("ST-2: plan"), "{text}");
}

#[tokio::test]
async fn route_refuses_bad_input_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, SAMPLE.replace(r#""qty": 1,"#, r#""qty": 0,"#)).expect("write");
    let path = bad.to_string_lossy().to_string();
    assert_eq!(
        orderly::cli::run(args(&["--db", NO_DB, "route", &path])).await,
        ExitCode::from(2)
    );
    let err = orderly::routing::parse(&SAMPLE.replace(r#""qty": 1,"#, r#""qty": 0,"#))
        .expect_err("qty 0 is refused");
    assert_eq!(err.field(), Some("order.lines[1].qty"));
    assert_eq!(
        err.to_string(),
        "order.lines[1].qty: must be a positive integer"
    );
    let missing = dir
        .path()
        .join("missing.json")
        .to_string_lossy()
        .to_string();
    assert_eq!(
        orderly::cli::run(args(&["--db", NO_DB, "route", &missing])).await,
        ExitCode::from(2)
    );
}
