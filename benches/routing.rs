//! Routing latency, in process: p50/p99 for 10 locations × 5 lines and 50 locations × 20 lines
//! (PRODUCT.md §4: ≤ 1 ms and ≤ 10 ms p99). A benchmark, not a timed test: it asserts nothing
//! about time and is ignored unless asked for. Run it with
//!
//! ```sh
//! cargo test --release -p orderly --bench routing -- --ignored --nocapture
//! ```
//!
//! (`ROUTING_BENCH_ORDERS` sets the orders per size; default 2,000.) The inputs are reproducible
//! (`orderly::routing::sample::random_input`, seeds 0..N, with random `max_shipments` and
//! exclusions), and each measurement is a whole `route` call: search, plan and explanation.

use std::hint::black_box;
use std::time::Instant;

use orderly::routing::{Budget, route_with_budget, route_with_proof, sample::random_input};

#[test]
#[ignore = "benchmark: run with --release -- --ignored --nocapture"]
fn routing_latency() {
    let orders: u64 = std::env::var("ROUTING_BENCH_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    println!(
        "{:<20} {:>7} {:>8} {:>8} {:>8} {:>15} {:>10}",
        "SIZE", "ORDERS", "P50 MS", "P99 MS", "MAX MS", "PROVEN OPTIMAL", "WORST GAP"
    );
    for (locations, lines) in [(10usize, 5usize), (50, 20)] {
        let inputs: Vec<_> = (0..orders)
            .map(|seed| random_input(seed, locations, lines, true))
            .collect();
        for i in inputs.iter().take(100) {
            black_box(route_with_proof(i));
        }
        let mut ms = Vec::with_capacity(inputs.len());
        let mut proven = 0usize;
        let mut worst_gap = 0.0f64;
        for i in &inputs {
            let t = Instant::now();
            let r = route_with_proof(black_box(i));
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            if r.optimal {
                proven += 1;
            } else if r.score > 0.0 {
                worst_gap = worst_gap.max((r.score - r.lower_bound.ceil()).max(0.0) / r.score);
            }
        }
        // The real gap of the default budget: the same inputs with a budget large enough to
        // prove the optimum (checked), on the first 200.
        let mut checked = 0usize;
        let mut real_worst = 0.0f64;
        let mut real_hits = 0usize;
        for i in inputs.iter().take(200) {
            let quick = route_with_proof(i);
            let full = route_with_budget(
                i,
                Some(Budget {
                    nodes: 5_000_000,
                    refine: 5_000_000,
                }),
            );
            if full.optimal {
                checked += 1;
                let gap = (quick.score - full.score) / full.score.max(1.0);
                real_worst = real_worst.max(gap);
                if quick.plan.total_cost == full.plan.total_cost {
                    real_hits += 1;
                }
            }
        }
        println!(
            "  {locations}×{lines}: default budget vs proven optimum on {checked} of the first 200: \
             {real_hits} equal, worst real gap {:.3}%",
            100.0 * real_worst
        );
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        println!(
            "{:<20} {:>7} {:>8.3} {:>8.3} {:>8.3} {:>15} {:>9.2}%",
            format!("{locations} loc × {lines} lines"),
            inputs.len(),
            at(0.5),
            at(0.99),
            at(1.0),
            format!("{proven}/{}", inputs.len()),
            100.0 * worst_gap
        );
    }
}
