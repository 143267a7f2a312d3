//! The search for the best plan. For a fixed set of shipping locations the plan's score is a fixed
//! part per location (base + distance, transit days) plus a per-unit part (weight × per_kg, stock
//! balance) plus the backorder penalty, so the best allocation inside a set is greedy per SKU:
//! cheapest unit first. The search is therefore over *sets* of locations: a depth-first branch and
//! bound (include / exclude one location at a time) whose bound is the fixed part of the locations
//! already in plus the greedy variable part over those in and those still undecided, ignoring the
//! undecided ones' fixed part. Rounding each shipment to a whole minor unit can make a slightly
//! worse split cheaper after rounding (by less than half a unit per shipment), so every set whose
//! unrounded bound comes within that slack of the incumbent is searched allocation by allocation
//! (`refine`). Up to [`EXACT_CANDIDATES`] candidates the search has no budget and is exact;
//! beyond, it stops after a fixed number of nodes (deterministic, no clock) and reports the lower
//! bound it proved, so the gap to the optimum is known.

use super::geo;
use super::input::{Rate, RoutingInput, WeightPrice, parcel_cost};

/// Up to this many candidate locations the search always runs to completion.
pub const EXACT_CANDIDATES: usize = 12;
/// Branch-and-bound nodes allowed when there are more candidates than [`EXACT_CANDIDATES`].
pub const NODE_BUDGET: u64 = 5_000;
/// Allocations the rounding refinement may try per search, up to [`EXACT_CANDIDATES`]
/// candidates. It is a safety net for pathological ties (it is not reached on the shared cases);
/// when it is, the plan is reported as not proven, within half a unit per shipment.
pub const REFINE_BUDGET: u64 = 200_000;
/// The same beyond [`EXACT_CANDIDATES`], where speed matters more than the last minor unit.
pub const REFINE_BUDGET_LARGE: u64 = 2_000;

const EPS: f64 = 1e-6;
/// Deepest recursion the rounding refinement may use (SKUs × (locations in the set + 1)).
const MAX_REFINE_DEPTH: usize = 4_000;

/// One SKU the order wants (lines with the same SKU are merged).
#[derive(Debug, Clone)]
pub(crate) struct Demand {
    pub sku: String,
    pub qty: i64,
    pub weight: f64,
}

/// A location that may ship this order.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// Index into the input's locations.
    pub loc: usize,
    pub rate: Rate,
    /// Prices by weight from rate cards (replace `rate`; per-unit money part is then 0).
    pub priced: Option<Vec<WeightPrice>>,
    pub distance_km: f64,
    pub days: i64,
    /// Score of using the location at all (unrounded): cost weight × (base + per_km × km) + days weight × days.
    pub fixed: f64,
    /// The non-money part of `fixed`.
    pub extra_fixed: f64,
    /// Units held, per demand.
    pub stock: Vec<i64>,
    /// Score per unit shipped from here, per demand (unrounded).
    pub unit: Vec<f64>,
    /// The non-money part of `unit`.
    pub extra_unit: Vec<f64>,
    /// `fixed` divided by the most units this candidate could ship for the order.
    pub amortised: f64,
}

impl Candidate {
    /// The money cost of a shipment of `weight_kg` from here, rounded.
    pub fn cost(&self, weight_kg: f64) -> i64 {
        parcel_cost(
            self.rate,
            self.priced.as_deref(),
            weight_kg,
            self.distance_km,
        )
    }

    /// For a location priced by weight steps: how much more than its least step a shipment
    /// already weighing `weight_kg` costs at the least (the cheapest step that can still hold
    /// it). 0 for the linear rate, whose weight part is counted per unit.
    fn step_excess(&self, weight_kg: f64) -> f64 {
        let Some(steps) = &self.priced else {
            return 0.0;
        };
        let grams = (weight_kg * 1000.0).round() as i64;
        let least = steps.iter().map(|s| s.cost).min().unwrap_or(0);
        let from_here = steps
            .iter()
            .filter(|s| s.up_to_grams >= grams)
            .map(|s| s.cost)
            .min()
            .unwrap_or(super::input::UNSHIPPABLE);
        (from_here - least) as f64
    }
}

/// A routing problem reduced to numbers: demands, candidates, and how plans are scored.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub demand: Vec<Demand>,
    pub cands: Vec<Candidate>,
    /// Score per backordered unit.
    pub penalty: f64,
    pub w_cost: f64,
    pub max_shipments: usize,
    /// Per demand: the candidates holding it, cheapest unit first (ties: input order).
    pub by_unit: Vec<Vec<usize>>,
    /// Per demand: the same candidates, cheapest unit plus amortised fixed part first.
    by_amortised: Vec<Vec<usize>>,
    /// 1 when every plan's score is a whole number (the cost objective), else 0.
    pub step: f64,
}

/// Units per candidate and demand, and units backordered per demand.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alloc {
    pub q: Vec<Vec<i64>>,
    pub back: Vec<i64>,
}

#[derive(Debug, Clone)]
pub(crate) struct Solution {
    pub alloc: Alloc,
    pub score: f64,
    /// No plan scores below this.
    pub lower_bound: f64,
    /// True when the search ran to completion: `score` is the optimum.
    pub proven: bool,
    pub nodes: u64,
    pub refine_nodes: u64,
}

impl Problem {
    /// Builds the problem from checked input, keeping only the locations `allowed` accepts among
    /// those that can ship, are not excluded and hold at least one unit the order wants.
    pub fn new(input: &RoutingInput, allowed: impl Fn(usize) -> bool) -> Problem {
        let mut demand: Vec<Demand> = Vec::new();
        for line in &input.order.lines {
            match demand.iter_mut().find(|d| d.sku == line.sku) {
                Some(d) => d.qty = d.qty.saturating_add(line.qty),
                None => demand.push(Demand {
                    sku: line.sku.clone(),
                    qty: line.qty,
                    weight: line.unit_weight_kg,
                }),
            }
        }
        let rules = &input.rules;
        let w = rules.weights;
        let mut cands = Vec::new();
        for (i, l) in input.locations.iter().enumerate() {
            if !l.can_ship || rules.exclude.contains(&l.id) || !allowed(i) {
                continue;
            }
            let stock: Vec<i64> = demand
                .iter()
                .map(|d| l.stock.get(&d.sku).copied().unwrap_or(0))
                .collect();
            if stock.iter().all(|s| *s == 0) {
                continue;
            }
            let distance_km = geo::haversine_km(l.point, input.order.ship_to);
            let days = geo::transit_days(distance_km, rules.km_per_day, l.handling_days);
            let extra_fixed = w.days * days as f64;
            let extra_unit: Vec<f64> = stock
                .iter()
                .map(|s| if *s > 0 { w.balance / *s as f64 } else { 0.0 })
                .collect();
            let unit = demand
                .iter()
                .zip(&extra_unit)
                .map(|(d, e)| {
                    // Priced by weight steps, a unit adds no money until a step is crossed:
                    // the least fixed part below stays a valid bound, `refine` finds the splits.
                    let per_kg = if l.priced.is_some() {
                        0.0
                    } else {
                        l.rate.per_kg
                    };
                    w.cost * per_kg * d.weight + e
                })
                .collect();
            let most: i64 = stock
                .iter()
                .zip(&demand)
                .map(|(s, d)| (*s).min(d.qty))
                .sum();
            let fixed = w.cost * l.least_fixed(distance_km) + extra_fixed;
            cands.push(Candidate {
                amortised: fixed / most.max(1) as f64,
                loc: i,
                rate: l.rate,
                priced: l.priced.clone(),
                distance_km,
                days,
                fixed,
                extra_fixed,
                stock,
                unit,
                extra_unit,
            });
        }
        let by_unit = (0..demand.len())
            .map(|d| {
                let mut v: Vec<usize> = (0..cands.len())
                    .filter(|c| cands[*c].stock[d] > 0)
                    .collect();
                v.sort_by(|a, b| {
                    cands[*a].unit[d]
                        .total_cmp(&cands[*b].unit[d])
                        .then(a.cmp(b))
                });
                v
            })
            .collect();
        let by_amortised = (0..demand.len())
            .map(|d| {
                let key = |c: usize| cands[c].unit[d] + cands[c].amortised;
                let mut v: Vec<usize> = (0..cands.len())
                    .filter(|c| cands[*c].stock[d] > 0)
                    .collect();
                v.sort_by(|a, b| key(*a).total_cmp(&key(*b)).then(a.cmp(b)));
                v
            })
            .collect();
        let whole = w.cost == 1.0 && w.days == 0.0 && w.balance == 0.0;
        Problem {
            demand,
            // With no weight on cost the penalty still counts, at face value, so that backordering
            // never becomes free.
            penalty: rules.backorder_penalty_per_unit as f64
                * if w.cost > 0.0 { w.cost } else { 1.0 },
            w_cost: w.cost,
            max_shipments: rules.max_shipments.unwrap_or(usize::MAX),
            by_unit,
            by_amortised,
            step: if whole { 1.0 } else { 0.0 },
            cands,
        }
    }

    /// Weight in kg of what candidate `c` ships under `q` (summed in demand order, like the plan).
    pub fn weight(&self, q: &[i64]) -> f64 {
        let mut w = 0.0;
        for (d, n) in self.demand.iter().zip(q) {
            if *n > 0 {
                w += *n as f64 * d.weight;
            }
        }
        w
    }

    /// The money cost of candidate `c` shipping `q`, rounded (0 when it ships nothing).
    pub fn shipment_cost(&self, c: usize, q: &[i64]) -> i64 {
        if q.iter().all(|n| *n == 0) {
            return 0;
        }
        let cand = &self.cands[c];
        cand.cost(self.weight(q))
    }

    /// The exact score of candidate `c` shipping `q` (0 when it ships nothing).
    fn shipment_score(&self, c: usize, q: &[i64]) -> f64 {
        if q.iter().all(|n| *n == 0) {
            return 0.0;
        }
        let cand = &self.cands[c];
        let extra: f64 = q
            .iter()
            .zip(&cand.extra_unit)
            .map(|(n, e)| *n as f64 * e)
            .sum();
        self.w_cost * self.shipment_cost(c, q) as f64 + cand.extra_fixed + extra
    }

    /// The exact score of a whole allocation.
    pub fn score(&self, a: &Alloc) -> f64 {
        let ships: f64 = (0..self.cands.len())
            .map(|c| self.shipment_score(c, &a.q[c]))
            .sum();
        ships + a.back.iter().map(|b| *b as f64).sum::<f64>() * self.penalty
    }

    /// The plan's money: shipments plus the backorder penalty.
    pub fn money(&self, a: &Alloc, penalty_per_unit: i64) -> i64 {
        let ships: i64 = (0..self.cands.len())
            .map(|c| self.shipment_cost(c, &a.q[c]))
            .fold(0i64, i64::saturating_add);
        let back: i64 = a.back.iter().sum();
        ships.saturating_add(back.saturating_mul(penalty_per_unit))
    }

    pub fn empty_alloc(&self) -> Alloc {
        Alloc {
            q: vec![vec![0; self.demand.len()]; self.cands.len()],
            back: self.demand.iter().map(|d| d.qty).collect(),
        }
    }

    /// The best allocation using only candidates with `member[c]`: cheapest unit first per demand,
    /// backordering a unit when the penalty is lower than every remaining way to ship it.
    pub fn greedy(&self, member: &[bool]) -> Alloc {
        let mut a = self.empty_alloc();
        for (d, dem) in self.demand.iter().enumerate() {
            let mut left = dem.qty;
            for &c in &self.by_unit[d] {
                if left == 0 || self.cands[c].unit[d] > self.penalty {
                    break;
                }
                if !member[c] {
                    continue;
                }
                let take = left.min(self.cands[c].stock[d]);
                a.q[c][d] = take;
                left -= take;
            }
            a.back[d] = left;
        }
        a
    }

    /// The unrounded variable part (units and penalty) of [`Problem::greedy`] over `member`.
    fn greedy_variable(&self, member: &[bool]) -> f64 {
        let mut total = 0.0;
        for (d, dem) in self.demand.iter().enumerate() {
            let mut left = dem.qty;
            for &c in &self.by_unit[d] {
                if left == 0 || self.cands[c].unit[d] > self.penalty {
                    break;
                }
                if !member[c] {
                    continue;
                }
                let take = left.min(self.cands[c].stock[d]);
                total += take as f64 * self.cands[c].unit[d];
                left -= take;
            }
            total += left as f64 * self.penalty;
        }
        total
    }

    /// Score of the greedy allocation over `member`, exact (rounded shipments); the same figure
    /// as `score(&greedy(member))` without building the allocation.
    pub fn greedy_score(&self, member: &[bool]) -> f64 {
        let n = self.cands.len();
        let mut weight = vec![0.0f64; n];
        let mut extra = vec![0.0f64; n];
        let mut ships = vec![false; n];
        let mut total = 0.0;
        for (d, dem) in self.demand.iter().enumerate() {
            let mut left = dem.qty;
            for &c in &self.by_unit[d] {
                if left == 0 || self.cands[c].unit[d] > self.penalty {
                    break;
                }
                if !member[c] {
                    continue;
                }
                let take = left.min(self.cands[c].stock[d]);
                weight[c] += take as f64 * dem.weight;
                extra[c] += take as f64 * self.cands[c].extra_unit[d];
                ships[c] = true;
                left -= take;
            }
            total += left as f64 * self.penalty;
        }
        for c in (0..n).filter(|c| ships[*c]) {
            let cand = &self.cands[c];
            let money = cand.cost(weight[c]);
            total += self.w_cost * money as f64 + cand.extra_fixed + extra[c];
        }
        total
    }

    /// A lower bound on the variable part of any plan using every candidate in `inside` and any
    /// of the others in `allowed`: units from an undecided candidate also carry its fixed part
    /// spread over the most units it could ship (it pays at least that share if used at all).
    fn bound_variable(&self, inside: &[bool], allowed: &[bool]) -> f64 {
        let mut total = 0.0;
        for (d, dem) in self.demand.iter().enumerate() {
            let mut left = dem.qty;
            let (xs, ys) = (&self.by_unit[d], &self.by_amortised[d]);
            let (mut i, mut j) = (0, 0);
            while left > 0 {
                while i < xs.len() && !inside[xs[i]] {
                    i += 1;
                }
                while j < ys.len() && (inside[ys[j]] || !allowed[ys[j]]) {
                    j += 1;
                }
                let a = xs.get(i).map(|c| (self.cands[*c].unit[d], *c));
                let b = ys
                    .get(j)
                    .map(|c| (self.cands[*c].unit[d] + self.cands[*c].amortised, *c));
                let (cost, c, from_inside) = match (a, b) {
                    (Some(a), Some(b)) if a.0 <= b.0 => (a.0, a.1, true),
                    (Some(a), None) => (a.0, a.1, true),
                    (_, Some(b)) => (b.0, b.1, false),
                    (None, None) => break,
                };
                if cost > self.penalty {
                    break;
                }
                let take = left.min(self.cands[c].stock[d]);
                total += take as f64 * cost;
                left -= take;
                if from_inside {
                    i += 1;
                } else {
                    j += 1;
                }
            }
            total += left as f64 * self.penalty;
        }
        total
    }

    /// The candidates that ship something under `a`.
    pub fn used(&self, a: &Alloc) -> Vec<bool> {
        a.q.iter().map(|q| q.iter().any(|n| *n > 0)).collect()
    }
}

/// Finds the best plan (see the module doc for the method and its guarantees).
/// How much search is allowed: branch-and-bound nodes and rounding-refinement allocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub nodes: u64,
    pub refine: u64,
}

impl Budget {
    /// The default: unlimited nodes up to [`EXACT_CANDIDATES`] candidates, else the budgets above.
    pub fn for_candidates(n: usize) -> Budget {
        if n <= EXACT_CANDIDATES {
            Budget {
                nodes: u64::MAX,
                refine: REFINE_BUDGET,
            }
        } else {
            Budget {
                nodes: NODE_BUDGET,
                refine: REFINE_BUDGET_LARGE,
            }
        }
    }
}

pub(crate) fn solve(p: &Problem, budget: Option<Budget>) -> Solution {
    let n = p.cands.len();
    let budget = budget.unwrap_or_else(|| Budget::for_candidates(n));
    let empty = p.empty_alloc();
    let empty_score = p.score(&empty);
    let (seed_alloc, seed_score) = local_search(p);
    let (alloc, score) = if seed_score < empty_score {
        (seed_alloc, seed_score)
    } else {
        (empty, empty_score)
    };
    // Good locations first, so the include branch finds good incumbents early.
    let mut order: Vec<usize> = (0..n).collect();
    let alone: Vec<f64> = (0..n)
        .map(|c| {
            let mut m = vec![false; n];
            m[c] = true;
            p.greedy_score(&m)
        })
        .collect();
    order.sort_by(|a, b| alone[*a].total_cmp(&alone[*b]).then(a.cmp(b)));
    let mut s = Search {
        p,
        order,
        inside: vec![false; n],
        allowed: vec![true; n],
        best: score,
        best_alloc: alloc,
        nodes: 0,
        budget: budget.nodes,
        open_bound: f64::INFINITY,
        refine_nodes: 0,
        refine_budget: budget.refine,
    };
    s.node(0, 0, 0.0);
    let proven = s.open_bound == f64::INFINITY;
    Solution {
        lower_bound: if proven {
            s.best
        } else {
            s.open_bound.min(s.best)
        },
        score: s.best,
        alloc: s.best_alloc,
        proven,
        nodes: s.nodes,
        refine_nodes: s.refine_nodes,
    }
}

/// A quick good plan: add the location that helps most until none helps, then try dropping and
/// swapping locations until no move improves the score.
fn local_search(p: &Problem) -> (Alloc, f64) {
    let n = p.cands.len();
    let mut member = vec![false; n];
    let mut count = 0usize;
    let mut cur = p.greedy_score(&member);
    for _pass in 0..50 {
        let mut improved = false;
        // Add.
        while count < p.max_shipments {
            let mut best: Option<(usize, f64)> = None;
            for c in 0..n {
                if member[c] {
                    continue;
                }
                member[c] = true;
                let s = p.greedy_score(&member);
                member[c] = false;
                if s < cur - EPS && best.is_none_or(|(_, b)| s < b) {
                    best = Some((c, s));
                }
            }
            match best {
                Some((c, s)) => {
                    member[c] = true;
                    count += 1;
                    cur = s;
                    improved = true;
                }
                None => break,
            }
        }
        // Drop and swap.
        for c in 0..n {
            if !member[c] {
                continue;
            }
            member[c] = false;
            let s = p.greedy_score(&member);
            if s < cur - EPS {
                cur = s;
                improved = true;
                continue;
            }
            let mut best: Option<(usize, f64)> = None;
            for x in 0..n {
                if member[x] || x == c {
                    continue;
                }
                member[x] = true;
                let s = p.greedy_score(&member);
                member[x] = false;
                if s < cur - EPS && best.is_none_or(|(_, b)| s < b) {
                    best = Some((x, s));
                }
            }
            match best {
                Some((x, s)) => {
                    member[x] = true;
                    cur = s;
                    improved = true;
                }
                None => member[c] = true,
            }
        }
        // A member the greedy allocation leaves empty adds nothing but would take units from
        // a better location after the next move: keep only the used ones.
        member = p.used(&p.greedy(&member));
        count = member.iter().filter(|m| **m).count();
        if !improved {
            // Compound move: add one location, then drop every member that no longer pays
            // for itself (replaces two shipments by one, which single swaps cannot see).
            if let Some((m, s)) = add_then_drop(p, &member, cur) {
                member = m;
                count = member.iter().filter(|m| **m).count();
                cur = s;
                continue;
            }
            break;
        }
    }
    let a = p.greedy(&member);
    let s = p.score(&a);
    (a, s)
}

/// The best result of adding one non-member and then dropping, one at a time, members whose
/// removal lowers the score; `None` when no such move beats `cur`.
fn add_then_drop(p: &Problem, member: &[bool], cur: f64) -> Option<(Vec<bool>, f64)> {
    let n = p.cands.len();
    let mut best: Option<(Vec<bool>, f64)> = None;
    for x in 0..n {
        if member[x] {
            continue;
        }
        let mut m = member.to_vec();
        m[x] = true;
        let mut s = p.greedy_score(&m);
        loop {
            let mut drop: Option<(usize, f64)> = None;
            for c in 0..n {
                if !m[c] || c == x {
                    continue;
                }
                m[c] = false;
                let t = p.greedy_score(&m);
                m[c] = true;
                if t < s - EPS && drop.is_none_or(|(_, b)| t < b) {
                    drop = Some((c, t));
                }
            }
            match drop {
                Some((c, t)) => {
                    m[c] = false;
                    s = t;
                }
                None => break,
            }
        }
        let size = m.iter().filter(|v| **v).count();
        if size <= p.max_shipments && s < cur - EPS && best.as_ref().is_none_or(|(_, b)| s < *b) {
            best = Some((m, s));
        }
    }
    best
}

struct Search<'p> {
    p: &'p Problem,
    order: Vec<usize>,
    /// Candidates decided in.
    inside: Vec<bool>,
    /// Candidates in or undecided.
    allowed: Vec<bool>,
    best: f64,
    best_alloc: Alloc,
    nodes: u64,
    budget: u64,
    /// The lowest bound among parts of the search the budget cut off.
    open_bound: f64,
    refine_nodes: u64,
    refine_budget: u64,
}

impl Search<'_> {
    /// True when no plan whose score is above `bound` can beat the incumbent.
    fn cannot_improve(&self, bound: f64) -> bool {
        bound >= self.best - self.p.step + EPS
    }

    fn slack(&self, shipments: usize) -> f64 {
        0.5 * self.p.w_cost * shipments as f64
    }

    fn offer(&mut self, a: &Alloc) {
        let s = self.p.score(a);
        if s < self.best - EPS {
            self.best = s;
            self.best_alloc = a.clone();
        }
    }

    fn node(&mut self, depth: usize, n_in: usize, fixed_in: f64) {
        let p = self.p;
        let n = self.order.len();
        if depth == n || n_in >= p.max_shipments {
            self.leaf(fixed_in, n_in);
            return;
        }
        let most = p.max_shipments.min(n_in + (n - depth));
        let bound = fixed_in + p.bound_variable(&self.inside, &self.allowed) - self.slack(most);
        if self.cannot_improve(bound) {
            return;
        }
        self.nodes += 1;
        if self.nodes > self.budget {
            self.open_bound = self.open_bound.min(bound);
            return;
        }
        let c = self.order[depth];
        self.inside[c] = true;
        self.node(depth + 1, n_in + 1, fixed_in + p.cands[c].fixed);
        self.inside[c] = false;
        self.allowed[c] = false;
        self.node(depth + 1, n_in, fixed_in);
        self.allowed[c] = true;
    }

    /// The set is `inside`; every location in it must ship something.
    fn leaf(&mut self, fixed_in: f64, n_in: usize) {
        if n_in == 0 {
            return;
        }
        let p = self.p;
        let bound = fixed_in + p.greedy_variable(&self.inside) - self.slack(n_in);
        if self.cannot_improve(bound) {
            return;
        }
        let a = p.greedy(&self.inside);
        self.offer(&a);
        if !self.cannot_improve(bound) {
            let set: Vec<usize> = (0..p.cands.len()).filter(|c| self.inside[*c]).collect();
            self.refine(&set, fixed_in, bound);
        }
    }

    /// Every allocation inside `set` that uses each of its locations and could beat the
    /// incumbent after rounding, searched depth first (demand by demand, location by location).
    fn refine(&mut self, set: &[usize], fixed: f64, set_bound: f64) {
        let p = self.p;
        // The search recurses once per SKU and location: keep its depth well inside a stack.
        if p.demand.len() * (set.len() + 1) > MAX_REFINE_DEPTH {
            self.open_bound = self.open_bound.min(set_bound);
            return;
        }
        let member: Vec<bool> = (0..p.cands.len()).map(|c| set.contains(&c)).collect();
        let opts: Vec<Vec<usize>> = p
            .by_unit
            .iter()
            .map(|v| v.iter().copied().filter(|c| member[*c]).collect())
            .collect();
        // rest[d]: the least the demands from d on can add (greedy, capacities per demand).
        let mut rest = vec![0.0; p.demand.len() + 1];
        for d in (0..p.demand.len()).rev() {
            let mut left = p.demand[d].qty;
            let mut v = 0.0;
            for &c in &opts[d] {
                if left == 0 || p.cands[c].unit[d] > p.penalty {
                    break;
                }
                let take = left.min(p.cands[c].stock[d]);
                v += take as f64 * p.cands[c].unit[d];
                left -= take;
            }
            rest[d] = rest[d + 1] + v + left as f64 * p.penalty;
        }
        let mut r = Refine {
            opts,
            rest,
            base: fixed - self.slack(set.len()),
            set: set.to_vec(),
            alloc: p.empty_alloc(),
            weight: vec![0.0; p.cands.len()],
            excess: 0.0,
        };
        let first = p.demand.first().map(|d| d.qty).unwrap_or(0);
        if !self.dfs(&mut r, 0, 0, first, 0.0) {
            self.open_bound = self.open_bound.min(set_bound);
        }
    }

    /// Returns false when the refinement budget ran out.
    fn dfs(&mut self, r: &mut Refine, d: usize, j: usize, left: i64, lin: f64) -> bool {
        let p = self.p;
        if self.refine_nodes >= self.refine_budget {
            return false;
        }
        self.refine_nodes += 1;
        if d == p.demand.len() {
            if r.set.iter().all(|c| r.alloc.q[*c].iter().any(|n| *n > 0)) {
                let a = r.alloc.clone();
                self.offer(&a);
            }
            return true;
        }
        if j == r.opts[d].len() {
            let lin = lin + left as f64 * p.penalty;
            r.alloc.back[d] = left;
            let next = p.demand.get(d + 1).map(|x| x.qty).unwrap_or(0);
            let ok = self.dfs(r, d + 1, 0, next, lin);
            r.alloc.back[d] = p.demand[d].qty;
            return ok;
        }
        let c = r.opts[d][j];
        let unit = p.cands[c].unit[d];
        let next_unit = r.opts[d]
            .get(j + 1)
            .map(|x| p.cands[*x].unit[d].min(p.penalty))
            .unwrap_or(p.penalty);
        let most = left.min(p.cands[c].stock[d]);
        let mut ok = true;
        // A location priced by weight steps already pays at least the cheapest step that holds
        // what it carries so far: that excess over its least step tightens the bound, but makes
        // it non-linear in `take`, so a pruned value does not end the walk there.
        let cand = &p.cands[c];
        let stepped = cand.priced.is_some();
        let (w0, excess0) = (r.weight[c], cand.step_excess(r.weight[c]));
        // The bound is linear in `take` for a linear rate: walk from its low end and stop at the
        // first pruned value (most units first when this location is the cheaper way to ship them).
        let cheaper_here = unit <= next_unit;
        for k in 0..=most {
            let take = if cheaper_here { most - k } else { k };
            let w = w0 + take as f64 * p.demand[d].weight;
            let excess = if stepped {
                p.w_cost * (cand.step_excess(w) - excess0)
            } else {
                0.0
            };
            let bound = r.base
                + r.excess
                + excess
                + lin
                + take as f64 * unit
                + (left - take) as f64 * next_unit
                + r.rest[d + 1];
            if self.cannot_improve(bound) {
                if stepped {
                    continue;
                }
                break;
            }
            r.alloc.q[c][d] = take;
            r.weight[c] = w;
            r.excess += excess;
            ok &= self.dfs(r, d, j + 1, left - take, lin + take as f64 * unit);
            r.excess -= excess;
            r.weight[c] = w0;
            r.alloc.q[c][d] = 0;
            if !ok {
                break;
            }
        }
        ok
    }
}

struct Refine {
    /// Weight (kg) each candidate carries so far.
    weight: Vec<f64>,
    /// Σ over candidates of their step excess at that weight (see `Candidate::step_excess`).
    excess: f64,
    opts: Vec<Vec<usize>>,
    rest: Vec<f64>,
    /// Fixed part of the set minus the rounding slack.
    base: f64,
    set: Vec<usize>,
    alloc: Alloc,
}
