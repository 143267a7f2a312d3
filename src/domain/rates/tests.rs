use super::*;
use proptest::prelude::*;

fn ground() -> Service {
    Service {
        code: "GROUND".into(),
        name: "Ground".into(),
        transit_days: 4,
        from_locations: None,
        zones: ZoneRule::Distance {
            bands: vec![
                DistanceBand {
                    up_to_km: 200,
                    zone: 1,
                },
                DistanceBand {
                    up_to_km: 1000,
                    zone: 2,
                },
                DistanceBand {
                    up_to_km: 5000,
                    zone: 3,
                },
            ],
        },
        brackets: vec![
            WeightBracket {
                up_to_grams: 500,
                prices: vec![500, 700, 900],
            },
            WeightBracket {
                up_to_grams: 2000,
                prices: vec![800, 1000, 1300],
            },
            WeightBracket {
                up_to_grams: 10000,
                prices: vec![1500, 2000, 2600],
            },
        ],
        surcharges: Surcharges {
            per_package: 100,
            fuel_bp: 1250,
            residential: 300,
            over_weight: Some(OverWeight {
                over_grams: 5000,
                amount: 1000,
            }),
        },
    }
}

fn express() -> Service {
    Service {
        code: "2DAY".into(),
        name: "2nd Day".into(),
        transit_days: 2,
        from_locations: Some(vec!["WH-1".into()]),
        zones: ZoneRule::PostalPrefix {
            rules: vec![
                PrefixRule {
                    prefix: "10".into(),
                    zone: 1,
                },
                PrefixRule {
                    prefix: "100".into(),
                    zone: 2,
                },
            ],
            default_zone: Some(3),
        },
        brackets: vec![WeightBracket {
            up_to_grams: 5000,
            prices: vec![1800, 2000, 2500],
        }],
        surcharges: Surcharges::default(),
    }
}

fn cards() -> RateCards {
    RateCards {
        currency: "usd".into(),
        carriers: vec![Carrier {
            code: "ups".into(),
            name: "UPS".into(),
            tracking: "UPS".into(),
            services: vec![ground(), express()],
        }],
    }
}

fn place(lat: f64, lon: f64, zip: &str) -> Place {
    Place {
        point: Some(Point { lat, lon }),
        postal_code: zip.into(),
    }
}

fn locs() -> Vec<String> {
    vec!["WH-1".into(), "ST-1".into()]
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn validation_normalises_codes_and_accepts_good_cards() {
    let c = cards().validated(&locs()).unwrap();
    assert_eq!(c.currency, "USD");
    assert_eq!(c.carriers[0].code, "UPS");
    assert_eq!(c.carriers[0].tracking, "ups");
    assert!(!c.is_empty());
}

#[test]
fn validation_names_the_field() {
    let mut c = cards();
    c.carriers[0].services[0].brackets[2].up_to_grams = 1000;
    let e = c.validated(&locs()).unwrap_err();
    assert_eq!(
        e.field(),
        Some("carriers[0].services[0].brackets[2].upToGrams")
    );
    let mut c = cards();
    c.carriers[0].services[1].from_locations = Some(vec!["XX".into()]);
    let e = c.validated(&locs()).unwrap_err();
    assert_eq!(e.field(), Some("carriers[0].services[1].fromLocations[0]"));
    let mut c = cards();
    c.carriers[0].services[0].brackets[1].prices = vec![800, 1000];
    let e = c.validated(&locs()).unwrap_err();
    assert_eq!(
        e.field(),
        Some("carriers[0].services[0].brackets[1].prices")
    );
    let mut c = cards();
    c.carriers[0].tracking = "dhl".into();
    assert_eq!(
        c.validated(&locs()).unwrap_err().field(),
        Some("carriers[0].tracking")
    );
    let mut c = cards();
    c.carriers[0].services[1].code = "ground".into();
    assert_eq!(
        c.validated(&locs()).unwrap_err().field(),
        Some("carriers[0].services[1].code")
    );
    let mut c = cards();
    c.carriers[0].services[0].brackets[1].prices[0] = 100;
    assert_eq!(
        c.validated(&locs()).unwrap_err().field(),
        Some("carriers[0].services[0].brackets[1].prices[0]")
    );
}

#[test]
fn json_is_camel_case_and_round_trips() {
    let c = cards().validated(&locs()).unwrap();
    let text = serde_json::to_string(&c).unwrap();
    assert!(text.contains("\"upToGrams\":500"), "{text}");
    assert!(text.contains("\"kind\":\"postalPrefix\""), "{text}");
    assert!(text.contains("\"defaultZone\":3"), "{text}");
    assert!(text.contains("\"fuelBp\":1250"), "{text}");
    let back: RateCards = serde_json::from_str(&text).unwrap();
    assert_eq!(back, c);
}

#[test]
fn exact_price_examples() {
    let s = ground();
    // About 130 km apart: zone 1.
    let from = place(40.71, -74.0, "10001");
    let to = place(39.95, -75.16, "19103");
    let q = |grams, packages, residential| {
        quote(
            &s,
            &Shipment {
                from_location: "WH-1",
                from: &from,
                to: &to,
                weight_grams: grams,
                packages,
                residential,
            },
        )
    };
    // 1.2 kg, one package, business: 800 + 12.5 % of 800 (100) + 100 per package.
    let p = q(1200, 1, false).unwrap();
    assert_eq!(
        (p.zone, p.base, p.fuel, p.surcharges, p.total),
        (1, 800, 100, 100, 1000)
    );
    // Residential adds 300 per package.
    assert_eq!(q(1200, 1, true).unwrap().total, 1300);
    // 6 kg: over-weight surcharge; 1500 + 187.5 → 188 (half away from zero) + 100 + 1000.
    let p = q(6000, 1, false).unwrap();
    assert_eq!((p.base, p.fuel, p.total), (1500, 188, 2788));
    // Two packages of 3 kg each: 2 × 1500 base, no over-weight.
    let p = q(6000, 2, false).unwrap();
    assert_eq!(
        (p.package_grams, p.base, p.fuel, p.surcharges, p.total),
        (3000, 3000, 375, 200, 3575)
    );
    // Over the top bracket: no price.
    assert_eq!(q(10_001, 1, false), None);
    assert_eq!(q(20_000, 2, false).map(|p| p.base), Some(3000));
}

#[test]
fn postal_prefix_zones_take_the_longest_prefix() {
    let s = express();
    let from = place(40.71, -74.0, "10001");
    let z = |zip: &str| {
        zone_of(
            &s.zones,
            &from,
            &Place {
                point: None,
                postal_code: zip.into(),
            },
        )
    };
    assert_eq!(z("10001"), Some(2));
    assert_eq!(z("10543"), Some(1));
    assert_eq!(z("94105"), Some(3));
    assert_eq!(z(" 100-01 "), Some(2));
    let no_default = ZoneRule::PostalPrefix {
        rules: vec![PrefixRule {
            prefix: "9".into(),
            zone: 1,
        }],
        default_zone: None,
    };
    assert_eq!(
        zone_of(
            &no_default,
            &from,
            &Place {
                point: None,
                postal_code: "10001".into()
            }
        ),
        None
    );
    // Distance zones need both points.
    assert_eq!(
        zone_of(
            &ground().zones,
            &from,
            &Place {
                point: None,
                postal_code: "1".into()
            }
        ),
        None
    );
}

#[test]
fn shopping_picks_the_cheapest_in_time_else_the_fastest() {
    let c = cards().validated(&locs()).unwrap();
    let from = place(40.71, -74.0, "10001");
    let to = place(39.95, -75.16, "19103");
    let sh = Shipment {
        from_location: "WH-1",
        from: &from,
        to: &to,
        weight_grams: 1200,
        packages: 1,
        residential: false,
    };
    let ship = d("2026-03-02");
    // No promise: Ground at 1000 beats 2nd Day at 2500 (zone 3 by default).
    let r = shop(&c, &sh, ship, None);
    assert_eq!(r.quotes.len(), 2);
    assert_eq!(r.chosen.as_ref().unwrap().service, "GROUND");
    assert!(r.quotes[0].price.total <= r.quotes[1].price.total);
    // Promise in 3 days: only 2nd Day makes it.
    let r = shop(&c, &sh, ship, Some(d("2026-03-05")));
    let chosen = r.chosen.unwrap();
    assert_eq!(chosen.service, "2DAY");
    assert_eq!(chosen.delivery_date, d("2026-03-04"));
    assert!(!r.quotes[0].meets_promise);
    // Promise tomorrow: nothing makes it; the fastest is chosen and the summary says so.
    let r = shop(&c, &sh, ship, Some(d("2026-03-03")));
    assert_eq!(r.chosen.unwrap().service, "2DAY");
    assert!(
        r.summary
            .starts_with("No service is delivered by 2026-03-03"),
        "{}",
        r.summary
    );
    // From a store, 2nd Day does not collect.
    let sh2 = Shipment {
        from_location: "ST-1",
        ..sh.clone()
    };
    let r = shop(&c, &sh2, ship, None);
    assert_eq!(r.quotes.len(), 1);
    assert!(
        r.unavailable[0].contains("does not collect from ST-1"),
        "{:?}",
        r.unavailable
    );
}

#[test]
fn price_steps_follow_the_cheapest_service_per_weight() {
    let c = cards().validated(&locs()).unwrap();
    let from = place(40.71, -74.0, "10001");
    let to = place(39.95, -75.16, "19103");
    let steps = price_steps(&c, "WH-1", &from, &to, false, d("2026-03-02"), None);
    let cuts: Vec<i64> = steps.iter().map(|s| s.up_to_grams).collect();
    assert_eq!(cuts, vec![500, 2000, 5000, 10000]);
    assert_eq!(steps[0].total, 500 + 63 + 100);
    assert!(steps.iter().all(|s| s.service == "GROUND"));
    // With a 3-day promise only 2nd Day (up to 5 kg) is in time; above that Ground is used.
    let steps = price_steps(
        &c,
        "WH-1",
        &from,
        &to,
        false,
        d("2026-03-02"),
        Some(d("2026-03-05")),
    );
    assert_eq!(steps[0].service, "2DAY");
    assert_eq!(steps[2].service, "2DAY");
    assert_eq!(steps[3].service, "GROUND");
    assert!(!steps[3].meets_promise);
}

proptest! {
    #[test]
    fn prices_never_fall_with_weight_and_are_never_negative(
        a in 0i64..12_000, b in 0i64..12_000, packages in 1i64..4, residential: bool,
    ) {
        let s = ground();
        let from = place(40.71, -74.0, "10001");
        let to = place(34.05, -118.24, "90001");
        let q = |g| quote(&s, &Shipment { from_location: "WH-1", from: &from, to: &to, weight_grams: g, packages, residential });
        let (lo, hi) = (a.min(b), a.max(b));
        if let Some(ph) = q(hi) {
            let pl = q(lo).expect("a lighter shipment is priced when a heavier one is");
            prop_assert!(pl.total <= ph.total);
            prop_assert!(pl.total >= 0);
            prop_assert_eq!(ph.total, ph.base + ph.fuel + ph.surcharges);
        }
    }
}
