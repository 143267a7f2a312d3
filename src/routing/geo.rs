//! Distance and the shipment cost formula (PRODUCT.md §3). The only floats in routing money live
//! here: the formula is computed in `f64` and rounded once, per shipment, to whole minor units.

use super::input::{Point, Rate};

/// Mean Earth radius used by the product's routing contract.
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance in kilometres (haversine), from `a` to `b`.
pub fn haversine_km(a: Point, b: Point) -> f64 {
    let (lat1, lon1, lat2, lon2) = (
        a.lat.to_radians(),
        a.lon.to_radians(),
        b.lat.to_radians(),
        b.lon.to_radians(),
    );
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Rounds half away from zero to a whole minor unit (`f64::round` does exactly that).
pub fn round_half_away(x: f64) -> i64 {
    // `as` saturates on overflow; inputs are bounded far below i64::MAX by parsing.
    x.round() as i64
}

/// The unrounded cost of a shipment of `weight_kg` over `distance_km` at `rate`.
pub fn raw_cost(rate: Rate, weight_kg: f64, distance_km: f64) -> f64 {
    rate.base + rate.per_kg * weight_kg + rate.per_km * distance_km
}

/// The cost of one shipment, in whole minor units.
pub fn shipment_cost(rate: Rate, weight_kg: f64, distance_km: f64) -> i64 {
    round_half_away(raw_cost(rate, weight_kg, distance_km))
}

/// Transit days: one per `km_per_day` started, plus the location's handling days.
pub fn transit_days(distance_km: f64, km_per_day: f64, handling_days: i64) -> i64 {
    (distance_km / km_per_day).ceil() as i64 + handling_days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> Point {
        Point { lat, lon }
    }

    #[test]
    fn haversine_matches_known_distances() {
        assert_eq!(haversine_km(p(40.0, -74.0), p(40.0, -74.0)), 0.0);
        // One degree of latitude is 2πR/360 km.
        let one_degree = 2.0 * std::f64::consts::PI * EARTH_RADIUS_KM / 360.0;
        assert!((haversine_km(p(10.0, 5.0), p(11.0, 5.0)) - one_degree).abs() < 1e-9);
        // New York → Los Angeles, about 3,936 km on a 6371 km sphere.
        let d = haversine_km(p(40.7128, -74.0060), p(34.0522, -118.2437));
        assert!((d - 3935.75).abs() < 1.0, "{d}");
        // Symmetric, and antipodes are half the circumference.
        assert!(
            (haversine_km(p(0.0, 0.0), p(0.0, 180.0)) - std::f64::consts::PI * EARTH_RADIUS_KM)
                .abs()
                < 1e-6
        );
        assert_eq!(
            haversine_km(p(1.0, 2.0), p(3.0, 4.0)),
            haversine_km(p(3.0, 4.0), p(1.0, 2.0))
        );
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_half_away(2.5), 3);
        assert_eq!(round_half_away(2.4999), 2);
        assert_eq!(round_half_away(-2.5), -3);
        assert_eq!(round_half_away(511.5), 512);
        assert_eq!(round_half_away(0.0), 0);
    }

    #[test]
    fn shipment_cost_follows_the_formula() {
        let rate = Rate {
            base: 450.0,
            per_kg: 80.0,
            per_km: 0.2,
        };
        // 450 + 80 × 1 + 0.2 × 110.5 = 552.1 → 552
        assert_eq!(shipment_cost(rate, 1.0, 110.5), 552);
        // 450 + 80 × 0.5 + 0.2 × 2.5 = 490.5 → 491
        assert_eq!(shipment_cost(rate, 0.5, 2.5), 491);
    }

    #[test]
    fn transit_days_start_a_day_per_800_km() {
        assert_eq!(transit_days(0.0, 800.0, 1), 1);
        assert_eq!(transit_days(1.0, 800.0, 1), 2);
        assert_eq!(transit_days(800.0, 800.0, 0), 1);
        assert_eq!(transit_days(801.0, 800.0, 2), 4);
    }
}
