//! Why the plan is what it is, in sentences: the objective and what the search proved, each
//! shipment's cost and the best alternatives with what ruled them out, every backorder's cause,
//! and the locations that were never in the running.

use super::input::{Objective, RoutingInput};
use super::solve::{Alloc, Problem, Solution};

/// How many alternatives each shipment lists.
const ALTERNATIVES: usize = 3;

pub(crate) fn explain(
    input: &RoutingInput,
    p: &Problem,
    s: &Solution,
    objective_note: Option<String>,
) -> Vec<String> {
    let rules = &input.rules;
    let penalty = rules.backorder_penalty_per_unit;
    let a = &s.alloc;
    let total = p.money(a, penalty);
    let used = p.used(a);
    let shipments = used.iter().filter(|u| **u).count();
    let back_units: i64 = a.back.iter().sum();
    let mut out = Vec::new();

    out.push(format!(
        "Order {}: {} shipment(s), {} unit(s) backordered, total cost {} (shipments {} + backorder penalty {} × {}).",
        if input.order.id.is_empty() { "-" } else { &input.order.id },
        shipments,
        back_units,
        total,
        total - back_units.saturating_mul(penalty),
        penalty,
        back_units
    ));
    out.push(objective_line(input, p, s, objective_note));

    for c in (0..p.cands.len()).filter(|c| used[*c]) {
        out.push(shipment_line(input, p, c, &a.q[c]));
        out.push(alternatives_line(input, p, s, c));
    }
    if let Some(line) = max_shipments_line(input, p, s) {
        out.push(line);
    }
    for (d, dem) in p.demand.iter().enumerate() {
        if a.back[d] > 0 {
            out.push(backorder_line(input, p, a, d, &dem.sku));
        }
    }
    if let Some(line) = ruled_out_line(input, p) {
        out.push(line);
    }
    out
}

fn objective_line(input: &RoutingInput, p: &Problem, s: &Solution, note: Option<String>) -> String {
    let w = input.rules.weights;
    let what = match (input.rules.objective, note) {
        (Objective::Fastest, Some(n)) => n,
        (Objective::Cost, _) | (Objective::Fastest, None) => {
            "Objective cost: the lowest total cost (shipments + backorder penalty).".to_owned()
        }
        (Objective::Balance, _) => format!(
            "Objective balance: takes stock where the most is left relative to demand (score = cost × {} + share of a location's stock used × {}).",
            w.cost, w.balance
        ),
        (Objective::Mix, _) => format!(
            "Objective mix: score = cost × {} + transit days per shipment × {} + share of a location's stock used × {}.",
            w.cost, w.days, w.balance
        ),
    };
    let proof = if s.proven {
        format!(
            "Optimal: the search over sets of the {} candidate location(s) ran to completion.",
            p.cands.len()
        )
    } else {
        let bound = s.lower_bound.max(0.0).ceil();
        let gap = if s.score > 0.0 {
            100.0 * (s.score - bound).max(0.0) / s.score
        } else {
            0.0
        };
        format!(
            "Best plan found within the search budget over {} candidate locations: score {:.0}; no plan scores below {:.0} (gap at most {:.2}%).",
            p.cands.len(),
            s.score,
            bound,
            gap
        )
    };
    format!("{what} {proof}")
}

fn shipment_line(input: &RoutingInput, p: &Problem, c: usize, q: &[i64]) -> String {
    let cand = &p.cands[c];
    let loc = &input.locations[cand.loc];
    let items: Vec<String> = p
        .demand
        .iter()
        .zip(q)
        .filter(|(_, n)| **n > 0)
        .map(|(d, n)| format!("{} × {}", d.sku, n))
        .collect();
    let kg = p.weight(q);
    if loc.priced.is_some() {
        return format!(
            "{} ({}) ships {}: {:.2} kg over {:.1} km, about {} day(s); cost {} by the rate cards.",
            loc.id,
            loc.kind,
            items.join(", "),
            kg,
            cand.distance_km,
            cand.days,
            p.shipment_cost(c, q),
        );
    }
    format!(
        "{} ({}) ships {}: {:.2} kg over {:.1} km, about {} day(s); cost {} = base {} + {}/kg × {:.2} kg + {}/km × {:.1} km.",
        loc.id,
        loc.kind,
        items.join(", "),
        kg,
        cand.distance_km,
        cand.days,
        p.shipment_cost(c, q),
        loc.rate.base,
        loc.rate.per_kg,
        kg,
        loc.rate.per_km,
        cand.distance_km
    )
}

/// Swaps shipment `c` for every other candidate and reports the best few, plus locations that
/// hold the same SKUs but were ruled out by a rule.
fn alternatives_line(input: &RoutingInput, p: &Problem, s: &Solution, c: usize) -> String {
    let a = &s.alloc;
    let penalty = input.rules.backorder_penalty_per_unit;
    let total = p.money(a, penalty);
    let back: i64 = a.back.iter().sum();
    let id = &input.locations[p.cands[c].loc].id;
    let used = p.used(a);
    let mut options: Vec<(f64, String)> = Vec::new();
    for x in 0..p.cands.len() {
        if used[x] {
            continue;
        }
        let mut member = used.clone();
        member[c] = false;
        member[x] = true;
        let alt = p.greedy(&member);
        let score = p.score(&alt);
        let money = p.money(&alt, penalty);
        let alt_back: i64 = alt.back.iter().sum();
        let xid = &input.locations[p.cands[x].loc].id;
        let diff = money - total;
        let why = if alt_back > back {
            let short = shortfall(input, p, &a.q[c], x);
            format!("not enough stock ({short}), {diff:+}")
        } else if diff > 0 {
            format!("more expensive by {diff}")
        } else {
            format!(
                "cost {diff:+} but a worse {} score ({:+.0})",
                input.rules.objective.as_str(),
                score - s.score
            )
        };
        let days = if matches!(input.rules.objective, Objective::Cost) {
            String::new()
        } else {
            format!(", {} day(s)", p.cands[x].days)
        };
        options.push((score, format!("{xid}: plan {money}{days}, {why}")));
    }
    options.sort_by(|l, r| l.0.total_cmp(&r.0).then_with(|| l.1.cmp(&r.1)));
    let mut parts: Vec<String> = options
        .into_iter()
        .take(ALTERNATIVES)
        .map(|(_, t)| t)
        .collect();
    // Locations ruled out by a rule that hold something this shipment carries.
    let skus: Vec<&str> = p
        .demand
        .iter()
        .zip(&a.q[c])
        .filter(|(_, n)| **n > 0)
        .map(|(d, _)| d.sku.as_str())
        .collect();
    for l in &input.locations {
        if &l.id == id || !skus.iter().any(|k| l.stock.get(*k).is_some_and(|n| *n > 0)) {
            continue;
        }
        if input.rules.exclude.contains(&l.id) {
            parts.push(format!("{}: excluded by rules.exclude", l.id));
        } else if !l.can_ship {
            parts.push(format!("{}: cannot ship (can_ship is false)", l.id));
        }
    }
    if parts.is_empty() {
        format!("Why {id}: no other location holds what it ships.")
    } else {
        format!("Alternatives to {id}: {}.", parts.join("; "))
    }
}

/// What candidate `x` lacks of what shipment `q` carries, e.g. "holds 1 of 2 SKU-1".
fn shortfall(input: &RoutingInput, p: &Problem, q: &[i64], x: usize) -> String {
    let loc = &input.locations[p.cands[x].loc];
    let parts: Vec<String> = p
        .demand
        .iter()
        .enumerate()
        .filter(|(d, _)| q[*d] > p.cands[x].stock[*d])
        .map(|(d, dem)| format!("holds {} of {} {}", p.cands[x].stock[d], q[d], dem.sku))
        .collect();
    if parts.is_empty() {
        format!("{} cannot cover the rest", loc.id)
    } else {
        parts.join(", ")
    }
}

/// When the plan uses every allowed shipment, the best extra shipment the limit ruled out.
fn max_shipments_line(input: &RoutingInput, p: &Problem, s: &Solution) -> Option<String> {
    let max = input.rules.max_shipments?;
    let used = p.used(&s.alloc);
    if used.iter().filter(|u| **u).count() < max {
        return None;
    }
    let penalty = input.rules.backorder_penalty_per_unit;
    let total = p.money(&s.alloc, penalty);
    let mut best: Option<(f64, usize, i64)> = None;
    for x in (0..p.cands.len()).filter(|x| !used[*x]) {
        let mut member = used.clone();
        member[x] = true;
        let alt = p.greedy(&member);
        let score = p.score(&alt);
        if score < s.score && best.is_none_or(|(b, _, _)| score < b) {
            best = Some((score, x, p.money(&alt, penalty)));
        }
    }
    let (_, x, money) = best?;
    Some(format!(
        "max_shipments {max} reached: also shipping from {} would bring the plan to {money} ({:+}), but the rule forbids another shipment.",
        input.locations[p.cands[x].loc].id,
        money - total
    ))
}

fn backorder_line(input: &RoutingInput, p: &Problem, a: &Alloc, d: usize, sku: &str) -> String {
    let penalty = input.rules.backorder_penalty_per_unit;
    let wanted = p.demand[d].qty;
    let usable: i64 = p.cands.iter().map(|c| c.stock[d]).sum();
    let shipped: i64 = a.q.iter().map(|q| q[d]).sum();
    let mut why = if usable <= shipped {
        format!("the locations that may ship hold {usable} of the {wanted} wanted")
    } else if input
        .rules
        .max_shipments
        .is_some_and(|m| p.used(a).iter().filter(|u| **u).count() >= m)
    {
        format!(
            "{} more are held elsewhere, but max_shipments {} is reached",
            usable - shipped,
            input.rules.max_shipments.unwrap_or(0)
        )
    } else {
        format!(
            "{} more are held elsewhere, but shipping them costs more than the penalty",
            usable - shipped
        )
    };
    for l in &input.locations {
        let held = l.stock.get(sku).copied().unwrap_or(0);
        if held == 0 {
            continue;
        }
        if input.rules.exclude.contains(&l.id) {
            why.push_str(&format!("; {} holds {held} but is excluded", l.id));
        } else if !l.can_ship {
            why.push_str(&format!("; {} holds {held} but cannot ship", l.id));
        }
    }
    format!(
        "{sku} × {} backordered (penalty {penalty} per unit): {why}.",
        a.back[d]
    )
}

fn ruled_out_line(input: &RoutingInput, p: &Problem) -> Option<String> {
    let mut parts = Vec::new();
    for id in &input.rules.exclude {
        if !input.locations.iter().any(|l| &l.id == id) {
            parts.push(format!(
                "{id} (in rules.exclude but not among the locations)"
            ));
        }
    }
    for (i, l) in input.locations.iter().enumerate() {
        if p.cands.iter().any(|c| c.loc == i) {
            continue;
        }
        let reason = if input.rules.exclude.contains(&l.id) {
            "excluded by rules.exclude"
        } else if !l.can_ship {
            "cannot ship"
        } else if p
            .demand
            .iter()
            .all(|d| l.stock.get(&d.sku).copied().unwrap_or(0) == 0)
        {
            "holds none of the order's SKUs"
        } else {
            "slower than the fastest plan allows"
        };
        parts.push(format!("{} ({reason})", l.id));
    }
    if parts.is_empty() {
        None
    } else {
        Some(format!("Not considered: {}.", parts.join(", ")))
    }
}
