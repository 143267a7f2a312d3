//! Random but reproducible routing inputs, shaped like the shared routing cases (continental US,
//! warehouses, stores and dropship suppliers with their usual rates), for tests and benchmarks.

use std::collections::BTreeMap;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::input::{
    DEFAULT_BACKORDER_PENALTY, DEFAULT_HANDLING_DAYS, DEFAULT_KM_PER_DAY, Objective, Point, Rate,
    RoutingInput, RoutingLine, RoutingLocation, RoutingOrder, Rules, Weights,
};

/// An order of `lines` lines and `locations` locations drawn from `seed`; the rules have no
/// limit unless `limits` is true, in which case some inputs get `max_shipments` or an exclusion.
pub fn random_input(seed: u64, locations: usize, lines: usize, limits: bool) -> RoutingInput {
    let mut rng = SmallRng::seed_from_u64(seed);
    let skus: Vec<String> = (0..lines)
        .map(|j| format!("SKU-{}-{j}", rng.random_range(100..1000)))
        .collect();
    let mut locs = Vec::with_capacity(locations);
    for j in 0..locations {
        let kind = ["warehouse", "warehouse", "store", "store", "dropship"][rng.random_range(0..5)];
        let (base, per_kg) = match kind {
            "warehouse" => ((300, 700), (40, 120)),
            "store" => ((600, 1400), (80, 200)),
            _ => ((200, 500), (150, 400)),
        };
        let mut stock = BTreeMap::new();
        for s in &skus {
            if rng.random_bool(if kind == "store" { 0.5 } else { 0.75 }) {
                let q = [0, 1, 1, 2, 3, 5, 8, 20, 100][rng.random_range(0..9)];
                stock.insert(s.clone(), q);
            }
        }
        locs.push(RoutingLocation {
            id: format!("{}-{}", kind[..2].to_uppercase(), j + 1),
            kind: kind.to_owned(),
            point: Point {
                lat: round4(rng.random_range(25.5..48.5)),
                lon: round4(rng.random_range(-123.0..-70.5)),
            },
            can_ship: rng.random_bool(0.95),
            rate: Rate {
                base: rng.random_range(base.0..=base.1) as f64,
                per_kg: rng.random_range(per_kg.0..=per_kg.1) as f64,
                per_km: (rng.random_range(0.05..0.6f64) * 1000.0).round() / 1000.0,
            },
            stock,
            handling_days: DEFAULT_HANDLING_DAYS,
            priced: None,
        });
    }
    let order_lines = skus
        .iter()
        .map(|s| RoutingLine {
            sku: s.clone(),
            qty: [1, 1, 1, 2, 2, 3, 4, 6][rng.random_range(0..8)],
            unit_weight_kg: (rng.random_range(0.1..12.0f64) * 100.0).round() / 100.0,
        })
        .collect();
    let mut max_shipments = None;
    let mut exclude = Vec::new();
    if limits {
        if rng.random_bool(0.3) {
            max_shipments = Some(rng.random_range(1..=3));
        }
        if rng.random_bool(0.2) && !locs.is_empty() {
            exclude.push(locs[rng.random_range(0..locs.len())].id.clone());
        }
    }
    RoutingInput {
        order: RoutingOrder {
            id: format!("R-{seed}"),
            ship_to: Point {
                lat: round4(rng.random_range(25.5..48.5)),
                lon: round4(rng.random_range(-123.0..-70.5)),
            },
            lines: order_lines,
        },
        locations: locs,
        rules: Rules {
            objective: Objective::Cost,
            backorder_penalty_per_unit: DEFAULT_BACKORDER_PENALTY,
            max_shipments,
            exclude,
            weights: Weights {
                cost: 1.0,
                days: 0.0,
                balance: 0.0,
            },
            km_per_day: DEFAULT_KM_PER_DAY,
        },
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
