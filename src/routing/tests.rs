//! Routing against hand-checked inputs and, on many small random inputs, against a brute force
//! that tries every allocation of every unit.

use std::collections::BTreeMap;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use super::*;

fn location(
    id: &str,
    lat: f64,
    lon: f64,
    rate: (f64, f64, f64),
    stock: &[(&str, i64)],
) -> serde_json::Value {
    json!({
        "id": id, "kind": "warehouse", "lat": lat, "lon": lon, "can_ship": true,
        "rate": {"base": rate.0, "per_kg": rate.1, "per_km": rate.2},
        "stock": stock.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
    })
}

fn input(value: serde_json::Value) -> RoutingInput {
    match RoutingInput::from_json(&value) {
        Ok(i) => i,
        Err(e) => panic!("test input refused: {e}"),
    }
}

fn two_warehouses(rules: serde_json::Value) -> RoutingInput {
    input(json!({
        "order": {"id": "R-1", "ship_to": {"lat": 40.71, "lon": -74.0},
                  "lines": [{"sku": "A", "qty": 2, "unit_weight_kg": 0.5},
                            {"sku": "B", "qty": 1, "unit_weight_kg": 2.0}]},
        "locations": [
            location("WH-1", 39.9, -75.1, (450.0, 80.0, 0.2), &[("A", 10), ("B", 0)]),
            location("WH-2", 41.88, -87.63, (300.0, 60.0, 0.5), &[("A", 1), ("B", 5)]),
            location("ST-3", 40.73, -74.0, (100.0, 10.0, 0.1), &[("A", 10), ("B", 10)]),
        ],
        "rules": rules,
    }))
}

fn error_of(value: serde_json::Value) -> (String, String) {
    match RoutingInput::from_json(&value) {
        Ok(_) => panic!("accepted bad input {value}"),
        Err(e) => (e.field().unwrap_or_default().to_owned(), e.to_string()),
    }
}

#[test]
fn cheapest_single_location_wins_and_costs_add_up() {
    let i = two_warehouses(json!({}));
    let plan = route(&i);
    assert_eq!(plan.shipments.len(), 1);
    assert_eq!(plan.shipments[0].location, "ST-3");
    let d = haversine_km(i.locations[2].point, i.order.ship_to);
    let expect = round_half_away(100.0 + 10.0 * 3.0 + 0.1 * d);
    assert_eq!(plan.shipments[0].cost, expect);
    assert_eq!(plan.total_cost, expect);
    assert!(plan.backordered.is_empty());
}

#[test]
fn exclusion_and_can_ship_are_hard_limits() {
    let i = two_warehouses(json!({"exclude": ["ST-3"]}));
    let plan = route(&i);
    assert!(plan.shipments.iter().all(|s| s.location != "ST-3"));
    // WH-1 ships A, WH-2 ships B (WH-1 has no B).
    let locs: Vec<&str> = plan.shipments.iter().map(|s| s.location.as_str()).collect();
    assert_eq!(locs, ["WH-1", "WH-2"]);
    let text = plan.explanation.join("\n");
    assert!(text.contains("ST-3: excluded by rules.exclude"), "{text}");

    let mut j = two_warehouses(json!({}));
    j.locations[2].can_ship = false;
    let plan = route(&j);
    assert!(plan.shipments.iter().all(|s| s.location != "ST-3"));
    assert!(plan.explanation.join("\n").contains("ST-3: cannot ship"));
}

#[test]
fn max_shipments_backorders_rather_than_split_and_says_why() {
    let i = two_warehouses(json!({"exclude": ["ST-3"], "max_shipments": 1}));
    let plan = route(&i);
    assert_eq!(plan.shipments.len(), 1);
    assert_eq!(plan.shipments[0].location, "WH-1");
    assert_eq!(
        plan.backordered,
        vec![PlanLine {
            sku: "B".into(),
            qty: 1
        }]
    );
    assert_eq!(
        plan.total_cost,
        plan.shipments[0].cost + DEFAULT_BACKORDER_PENALTY
    );
    let text = plan.explanation.join("\n");
    assert!(text.contains("max_shipments 1 reached"), "{text}");
    assert!(text.contains("B × 1 backordered"), "{text}");
}

#[test]
fn a_low_penalty_makes_backordering_cheaper_than_shipping() {
    let i = two_warehouses(json!({"backorder_penalty_per_unit": 1}));
    let plan = route(&i);
    assert!(plan.shipments.is_empty());
    assert_eq!(plan.total_cost, 3);
    assert!(
        plan.explanation
            .join("\n")
            .contains("costs more than the penalty")
    );
}

#[test]
fn explanation_names_cost_parts_and_alternatives_with_their_reason() {
    let i = two_warehouses(json!({}));
    let plan = route(&i);
    let text = plan.explanation.join("\n");
    assert!(text.contains("Optimal"), "{text}");
    assert!(
        text.contains("ST-3 (warehouse) ships A × 2, B × 1"),
        "{text}"
    );
    assert!(text.contains("base 100 + 10/kg × 3.00 kg"), "{text}");
    assert!(text.contains("Alternatives to ST-3:"), "{text}");
    assert!(
        text.contains("WH-1: plan") && text.contains("not enough stock (holds 0 of 1 B)"),
        "{text}"
    );
}

#[test]
fn unknown_and_unusable_locations_are_listed_as_not_considered() {
    let i = two_warehouses(json!({"exclude": ["NOPE"]}));
    let plan = route(&i);
    assert!(
        plan.explanation
            .join("\n")
            .contains("NOPE (in rules.exclude but not among the locations)")
    );
}

#[test]
fn fastest_prefers_the_near_location_and_breaks_ties_by_cost() {
    // FAR is cheaper but 4 days away; NEAR arrives in 2.
    let i = input(json!({
        "order": {"ship_to": {"lat": 40.0, "lon": -75.0},
                  "lines": [{"sku": "A", "qty": 1, "unit_weight_kg": 1.0}]},
        "locations": [
            location("FAR", 34.05, -118.24, (10.0, 1.0, 0.0), &[("A", 5)]),
            location("NEAR", 40.5, -75.0, (900.0, 50.0, 1.0), &[("A", 5)]),
            location("NEAR-DEAR", 40.4, -75.0, (2900.0, 50.0, 1.0), &[("A", 5)]),
        ],
        "rules": {"objective": "fastest"},
    }));
    let plan = route(&i);
    assert_eq!(plan.shipments[0].location, "NEAR");
    assert!(
        plan.explanation[1].contains("within 2 day(s)"),
        "{:?}",
        plan.explanation
    );
    let mut cost = i.clone();
    cost.rules.objective = Objective::Cost;
    assert_eq!(route(&cost).shipments[0].location, "FAR");
}

#[test]
fn balance_takes_from_the_location_with_more_stock() {
    let i = input(json!({
        "order": {"ship_to": {"lat": 40.0, "lon": -75.0},
                  "lines": [{"sku": "A", "qty": 2, "unit_weight_kg": 1.0}]},
        "locations": [
            location("THIN", 40.0, -75.1, (400.0, 50.0, 0.1), &[("A", 2)]),
            location("DEEP", 40.0, -75.2, (420.0, 50.0, 0.1), &[("A", 200)]),
        ],
        "rules": {"objective": "balance"},
    }));
    assert_eq!(route(&i).shipments[0].location, "DEEP");
    let mut cost = i.clone();
    cost.rules.objective = Objective::Cost;
    cost.rules.weights = Weights {
        cost: 1.0,
        days: 0.0,
        balance: 0.0,
    };
    assert_eq!(route(&cost).shipments[0].location, "THIN");
}

#[test]
fn mix_weighs_transit_days_against_cost() {
    // FAR is cheaper by 300 but 4 transit days slower than NEAR.
    let make = |weights: serde_json::Value| {
        input(json!({
            "order": {"ship_to": {"lat": 40.0, "lon": -75.0},
                      "lines": [{"sku": "A", "qty": 1, "unit_weight_kg": 1.0}]},
            "locations": [
                location("FAR", 34.05, -118.24, (100.0, 0.0, 0.0), &[("A", 5)]),
                location("NEAR", 40.5, -75.0, (400.0, 0.0, 0.0), &[("A", 5)]),
            ],
            "rules": {"objective": "mix", "weights": weights},
        }))
    };
    let slow_days = make(json!({"days": 10, "balance": 0}));
    assert_eq!(route(&slow_days).shipments[0].location, "FAR");
    let dear_days = make(json!({"days": 100, "balance": 0}));
    let plan = route(&dear_days);
    assert_eq!(plan.shipments[0].location, "NEAR");
    assert_eq!(plan.total_cost, 400);
    assert!(plan.explanation[1].starts_with("Objective mix"));
}

#[test]
fn large_quantities_and_many_lines_stay_fast_and_exact_enough() {
    let mut i = sample::random_input(7, 8, 40, false);
    for (n, l) in i.order.lines.iter_mut().enumerate() {
        l.qty = 1_000 + n as i64;
    }
    for loc in &mut i.locations {
        for q in loc.stock.values_mut() {
            *q *= 300;
        }
    }
    let r = route_with_proof(&i);
    assert!(r.lower_bound <= r.score + 1e-6);
    let ships: i64 = r.plan.shipments.iter().map(|s| s.cost).sum();
    let back: i64 = r.plan.backordered.iter().map(|b| b.qty).sum();
    assert_eq!(
        r.plan.total_cost,
        ships + back * i.rules.backorder_penalty_per_unit
    );
}

#[test]
fn bad_input_names_the_field() {
    let good = json!({
        "order": {"ship_to": {"lat": 40.0, "lon": -75.0},
                  "lines": [{"sku": "A", "qty": 1, "unit_weight_kg": 1.0},
                            {"sku": "B", "qty": 1, "unit_weight_kg": 1.0},
                            {"sku": "C", "qty": 1, "unit_weight_kg": 1.0}]},
        "locations": [location("L", 40.0, -75.1, (1.0, 1.0, 1.0), &[("A", 1)])],
    });
    input(good.clone());
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        (
            "/order/lines/2/qty",
            json!(0),
            "order.lines[2].qty: must be a positive integer",
        ),
        (
            "/order/lines/2/qty",
            json!(1.5),
            "order.lines[2].qty: must be a positive integer",
        ),
        (
            "/order/lines/2/qty",
            json!(2_000_000),
            "order.lines[2].qty: must be at most 1,000,000",
        ),
        (
            "/order/lines/0/unit_weight_kg",
            json!(-1),
            "order.lines[0].unit_weight_kg: must be a number ≥ 0",
        ),
        (
            "/order/lines/1/sku",
            json!(""),
            "order.lines[1].sku: must be a non-empty string",
        ),
        (
            "/order/ship_to/lat",
            json!(91),
            "order.ship_to.lat: must be a latitude",
        ),
        (
            "/locations/0/rate/per_km",
            json!("x"),
            "locations[0].rate.per_km: must be a number",
        ),
        (
            "/locations/0/stock/A",
            json!(-2),
            "locations[0].stock.A: must be a non-negative integer",
        ),
        (
            "/locations/0/can_ship",
            json!("yes"),
            "locations[0].can_ship: must be true or false",
        ),
        (
            "/rules",
            json!({"objective": "cheap"}),
            "rules.objective: must be one of",
        ),
        (
            "/rules",
            json!({"max_shipments": -1}),
            "rules.max_shipments: must be a non-negative integer",
        ),
        (
            "/rules",
            json!({"exclude": "ST-3"}),
            "rules.exclude: must be a JSON array",
        ),
    ];
    for (pointer, value, message) in cases {
        let mut v = good.clone();
        match v.pointer_mut(pointer) {
            Some(slot) => *slot = value,
            None => {
                // A key that is not there yet (rules).
                if let Some(m) = v.as_object_mut() {
                    m.insert(pointer.trim_start_matches('/').to_owned(), value);
                }
            }
        }
        let (field, text) = error_of(v);
        assert!(text.starts_with(message), "{text} (wanted {message})");
        assert_eq!(field, message.split(':').next().unwrap_or_default());
    }
    let mut v = good.clone();
    if let Some(m) = v.pointer_mut("/order").and_then(|o| o.as_object_mut()) {
        m.remove("lines");
    }
    assert_eq!(error_of(v).1, "order.lines: is required");
    let mut dup = good;
    if let Some(l) = dup.pointer_mut("/locations").and_then(|l| l.as_array_mut()) {
        let first = l[0].clone();
        l.push(first);
    }
    assert!(
        error_of(dup)
            .1
            .starts_with("locations[1].id: 'L' appears twice")
    );
    assert!(parse("{").is_err());
}

#[test]
fn routing_is_deterministic() {
    for seed in 0..20 {
        let i = sample::random_input(seed, 15, 6, true);
        assert_eq!(route(&i), route(&i));
    }
}

/// Every allocation of every unit over the usable locations (and the backorder), within the hard
/// limits, costed shipment by shipment with rounding: the true optimum, independent of the solver.
fn brute_force(i: &RoutingInput) -> i64 {
    let mut skus: Vec<(String, i64, f64)> = Vec::new();
    for l in &i.order.lines {
        match skus.iter_mut().find(|s| s.0 == l.sku) {
            Some(s) => s.1 += l.qty,
            None => skus.push((l.sku.clone(), l.qty, l.unit_weight_kg)),
        }
    }
    let usable: Vec<&RoutingLocation> = i
        .locations
        .iter()
        .filter(|l| l.can_ship && !i.rules.exclude.contains(&l.id))
        .collect();
    let mut b = Brute {
        i,
        q: vec![vec![0i64; skus.len()]; usable.len()],
        skus,
        usable,
        best: i64::MAX,
    };
    let first = b.skus.first().map(|s| s.1).unwrap_or(0);
    b.rec(0, 0, first);
    b.best
}

struct Brute<'a> {
    i: &'a RoutingInput,
    skus: Vec<(String, i64, f64)>,
    usable: Vec<&'a RoutingLocation>,
    q: Vec<Vec<i64>>,
    best: i64,
}

impl Brute<'_> {
    fn rec(&mut self, s: usize, l: usize, left: i64) {
        if s == self.skus.len() {
            self.leaf();
            return;
        }
        if l == self.usable.len() {
            // The rest of this SKU is backordered.
            let next = self.skus.get(s + 1).map(|x| x.1).unwrap_or(0);
            self.rec(s + 1, 0, next);
            return;
        }
        let held = self.usable[l]
            .stock
            .get(&self.skus[s].0)
            .copied()
            .unwrap_or(0);
        for take in 0..=left.min(held) {
            self.q[l][s] = take;
            self.rec(s, l + 1, left - take);
        }
        self.q[l][s] = 0;
    }

    fn leaf(&mut self) {
        let i = self.i;
        let mut shipments = 0;
        let mut cost = 0i64;
        for (li, loc) in self.usable.iter().enumerate() {
            if self.q[li].iter().all(|n| *n == 0) {
                continue;
            }
            shipments += 1;
            let mut w = 0.0;
            for (k, sk) in self.skus.iter().enumerate() {
                if self.q[li][k] > 0 {
                    w += self.q[li][k] as f64 * sk.2;
                }
            }
            cost += super::input::parcel_cost(
                loc.rate,
                loc.priced.as_deref(),
                w,
                haversine_km(loc.point, i.order.ship_to),
            );
        }
        if i.rules.max_shipments.is_some_and(|m| shipments > m) {
            return;
        }
        let shipped: i64 = self.q.iter().flatten().sum();
        let wanted: i64 = self.skus.iter().map(|s| s.1).sum();
        cost += (wanted - shipped) * i.rules.backorder_penalty_per_unit;
        self.best = self.best.min(cost);
    }
}

/// A small random input; some have tied or fractional rates so rounding decides, some a penalty
/// low enough that backordering competes with shipping.
fn small_random(seed: u64) -> RoutingInput {
    let mut rng = SmallRng::seed_from_u64(seed ^ 0x5eed);
    let locations = rng.random_range(1..=5);
    let lines = rng.random_range(1..=3);
    let mut i = sample::random_input(seed, locations, lines, true);
    for l in &mut i.order.lines {
        l.qty = rng.random_range(1..=3);
    }
    let tied = rng.random_bool(0.3);
    let per_kg =
        rng.random_range(10.0..200.0f64).round() + if rng.random_bool(0.5) { 0.5 } else { 0.0 };
    for loc in &mut i.locations {
        let mut stock = BTreeMap::new();
        for l in &i.order.lines {
            stock.insert(l.sku.clone(), rng.random_range(0..=3));
        }
        loc.stock = stock;
        if tied {
            loc.rate.per_kg = per_kg;
        }
        if rng.random_bool(0.2) {
            loc.rate.base += 0.5;
        }
    }
    i.rules.backorder_penalty_per_unit = [100_000, 100_000, 2_000, 500, 50][rng.random_range(0..5)];
    i
}

#[test]
fn cost_objective_matches_brute_force_on_small_random_inputs() {
    for seed in 0..1500 {
        let i = small_random(seed);
        let r = route_with_proof(&i);
        assert!(r.optimal, "seed {seed}: not proven optimal");
        let best = brute_force(&i);
        assert_eq!(r.plan.total_cost, best, "seed {seed}: plan {:?}", r.plan);
        // The plan's own figures add up.
        let ships: i64 = r.plan.shipments.iter().map(|s| s.cost).sum();
        let back: i64 = r.plan.backordered.iter().map(|b| b.qty).sum();
        assert_eq!(
            r.plan.total_cost,
            ships + back * i.rules.backorder_penalty_per_unit
        );
    }
}

/// Rate-card prices (steps by weight) on some locations: still the exact optimum, proven.
#[test]
fn priced_locations_match_brute_force_on_small_random_inputs() {
    for seed in 0..1500 {
        let mut i = small_random(seed);
        let mut rng = SmallRng::seed_from_u64(seed ^ 0x9a1ce);
        for loc in &mut i.locations {
            if rng.random_bool(0.7) {
                let mut steps = Vec::new();
                let (mut grams, mut cost) = (0i64, rng.random_range(300..1500i64));
                for _ in 0..rng.random_range(1..=4) {
                    grams += rng.random_range(200..4000i64);
                    cost += rng.random_range(0..900i64);
                    steps.push(super::WeightPrice {
                        up_to_grams: grams,
                        cost,
                    });
                }
                loc.priced = Some(steps);
            }
        }
        let r = route_with_proof(&i);
        assert!(r.optimal, "seed {seed}: not proven optimal");
        let best = brute_force(&i);
        assert_eq!(r.plan.total_cost, best, "seed {seed}: plan {:?}", r.plan);
        let ships: i64 = r.plan.shipments.iter().map(|s| s.cost).sum();
        let back: i64 = r.plan.backordered.iter().map(|b| b.qty).sum();
        assert_eq!(
            r.plan.total_cost,
            ships.saturating_add(back * i.rules.backorder_penalty_per_unit)
        );
    }
}

#[test]
fn plans_are_feasible_and_bounds_hold_beyond_the_exact_range() {
    for seed in 0..40 {
        let i = sample::random_input(seed, 30, 10, true);
        let r = route_with_proof(&i);
        assert!(r.lower_bound <= r.score + 1e-6, "seed {seed}");
        let stock = |loc: &str, sku: &str| {
            i.locations.iter().find(|l| l.id == loc).map(|l| {
                (
                    l.can_ship && !i.rules.exclude.contains(&l.id),
                    l.stock.get(sku).copied().unwrap_or(0),
                )
            })
        };
        if let Some(m) = i.rules.max_shipments {
            assert!(r.plan.shipments.len() <= m);
        }
        for s in &r.plan.shipments {
            for line in &s.lines {
                let (usable, held) = stock(&s.location, &line.sku).unwrap_or((false, 0));
                assert!(usable && line.qty <= held, "seed {seed}: {s:?}");
            }
        }
        for l in &i.order.lines {
            let shipped: i64 = r
                .plan
                .shipments
                .iter()
                .flat_map(|s| &s.lines)
                .filter(|x| x.sku == l.sku)
                .map(|x| x.qty)
                .sum();
            let back: i64 = r
                .plan
                .backordered
                .iter()
                .filter(|x| x.sku == l.sku)
                .map(|x| x.qty)
                .sum();
            assert_eq!(shipped + back, l.qty, "seed {seed}");
        }
    }
}
