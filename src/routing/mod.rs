//! Routing: for one order, which locations ship which units, at what cost, and why.
//!
//! A pure part of the core: no I/O, no clock, no database, and deterministic (the same input
//! always gives the same plan, byte for byte). [`parse`] turns a routing file (PRODUCT.md §3) into
//! a checked [`RoutingInput`]; [`route`] returns the [`Plan`]. `docs/routing.md` describes the
//! format, the objectives and the algorithm's guarantees.

mod explain;
mod geo;
mod input;
pub mod sample;
mod solve;

use serde::Serialize;

pub use geo::{EARTH_RADIUS_KM, haversine_km, round_half_away, shipment_cost, transit_days};
pub use input::{
    BALANCE_WEIGHTS, DEFAULT_BACKORDER_PENALTY, DEFAULT_HANDLING_DAYS, DEFAULT_KM_PER_DAY,
    MIX_WEIGHTS, Objective, Point, Rate, RoutingInput, RoutingLine, RoutingLocation, RoutingOrder,
    Rules, UNSHIPPABLE, WeightPrice, Weights, parse,
};
pub use solve::{Budget, EXACT_CANDIDATES, NODE_BUDGET, REFINE_BUDGET, REFINE_BUDGET_LARGE};

use solve::{Problem, Solution};

/// Where each unit ships from. Field names and meaning are the contract of PRODUCT.md §3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub shipments: Vec<Shipment>,
    pub backordered: Vec<PlanLine>,
    /// Shipments plus the backorder penalty, in minor units.
    pub total_cost: i64,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shipment {
    pub location: String,
    pub lines: Vec<PlanLine>,
    /// `base + per_kg × kg + per_km × km`, rounded half away from zero.
    pub cost: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanLine {
    pub sku: String,
    pub qty: i64,
}

/// A plan and what the search proved about it.
#[derive(Debug, Clone)]
pub struct Routed {
    pub plan: Plan,
    /// The objective's score of the plan (the total cost for `cost`).
    pub score: f64,
    /// No plan scores lower than this (equal to `score` when `optimal`).
    pub lower_bound: f64,
    /// True when the search ran to completion, so the plan is optimal for the objective.
    pub optimal: bool,
    /// Locations that could ship at least one unit.
    pub candidates: usize,
    /// Branch-and-bound nodes visited.
    pub nodes: u64,
    /// Allocations tried by the rounding refinement.
    pub refine_nodes: u64,
}

/// The best plan for the order under its rules.
pub fn route(input: &RoutingInput) -> Plan {
    route_with_proof(input).plan
}

/// The best plan, with the bound and optimality the search proved.
pub fn route_with_proof(input: &RoutingInput) -> Routed {
    route_with_budget(input, None)
}

/// [`route_with_proof`] with an explicit search budget (`None`: [`Budget::for_candidates`]);
/// a large budget proves the optimum of big inputs, to measure the default's real gap.
pub fn route_with_budget(input: &RoutingInput, budget: Option<Budget>) -> Routed {
    let everything = Problem::new(input, |_| true);
    let (problem, solution, note) = match input.rules.objective {
        Objective::Fastest => fastest(input, everything, budget),
        Objective::Cost | Objective::Balance | Objective::Mix => {
            let s = solve::solve(&everything, budget);
            (everything, s, None)
        }
    };
    let mut plan = plan_of(input, &problem, &solution);
    plan.explanation = explain::explain(input, &problem, &solution, note);
    Routed {
        plan,
        score: solution.score,
        lower_bound: solution.lower_bound,
        optimal: solution.proven,
        candidates: problem.cands.len(),
        nodes: solution.nodes,
        refine_nodes: solution.refine_nodes,
    }
}

/// `fastest`: the smallest transit-day limit D such that the cheapest plan using only locations
/// within D days backorders no more units than the cheapest plan without a limit; then that plan.
fn fastest(
    input: &RoutingInput,
    everything: Problem,
    budget: Option<Budget>,
) -> (Problem, Solution, Option<String>) {
    let unlimited = solve::solve(&everything, budget);
    let short: i64 = unlimited.alloc.back.iter().sum();
    let mut days: Vec<i64> = everything.cands.iter().map(|c| c.days).collect();
    days.sort_unstable();
    days.dedup();
    let day_of: Vec<Option<i64>> = (0..input.locations.len())
        .map(|i| everything.cands.iter().find(|c| c.loc == i).map(|c| c.days))
        .collect();
    for limit in days {
        let p = Problem::new(input, |i| day_of[i].is_some_and(|d| d <= limit));
        let s = solve::solve(&p, budget);
        if s.alloc.back.iter().sum::<i64>() <= short {
            let note = format!(
                "Objective fastest: every unit that can ship arrives within {limit} day(s) \
                 (1 day per {} km started + handling days); among such plans this is the cheapest.",
                input.rules.km_per_day
            );
            return (p, s, Some(note));
        }
    }
    (everything, unlimited, None)
}

fn plan_of(input: &RoutingInput, p: &Problem, s: &Solution) -> Plan {
    let a = &s.alloc;
    let mut shipments = Vec::new();
    for (c, cand) in p.cands.iter().enumerate() {
        let lines: Vec<PlanLine> = p
            .demand
            .iter()
            .zip(&a.q[c])
            .filter(|(_, n)| **n > 0)
            .map(|(d, n)| PlanLine {
                sku: d.sku.clone(),
                qty: *n,
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        shipments.push(Shipment {
            location: input.locations[cand.loc].id.clone(),
            lines,
            cost: p.shipment_cost(c, &a.q[c]),
        });
    }
    let backordered = p
        .demand
        .iter()
        .zip(&a.back)
        .filter(|(_, n)| **n > 0)
        .map(|(d, n)| PlanLine {
            sku: d.sku.clone(),
            qty: *n,
        })
        .collect();
    Plan {
        shipments,
        backordered,
        total_cost: p.money(a, input.rules.backorder_penalty_per_unit),
        explanation: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
