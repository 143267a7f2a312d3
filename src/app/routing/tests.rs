use super::*;
use crate::domain::catalog::ShippingRate;

fn loc(code: &str, kind: LocationKind, lat: f64, lon: f64) -> Location {
    Location {
        id: Uuid::now_v7(),
        code: code.into(),
        name: code.into(),
        kind,
        address: Address::default(),
        latitude: lat,
        longitude: lon,
        can_ship: kind != LocationKind::Store || code.starts_with("ST-SHIP"),
        can_pickup: kind == LocationKind::Store,
        priority: 10,
        rate: ShippingRate {
            base: 500,
            per_kg: 100,
            per_1000_km: 1000,
        },
        active: true,
    }
}

fn product(sku: &str) -> Product {
    Product {
        id: Uuid::now_v7(),
        sku: sku.into(),
        name: sku.into(),
        barcode: None,
        price: 1000,
        currency: "USD".into(),
        weight_grams: 1000,
        length_mm: 1,
        width_mm: 1,
        height_mm: 1,
        active: true,
        allow_backorder: true,
        final_sale: false,
        available: 0,
    }
}

fn channel(buffer: i64) -> Channel {
    Channel {
        id: Uuid::now_v7(),
        code: "WEB".into(),
        name: "Web".into(),
        safety_stock: buffer,
    }
}

fn row(p: &Product, l: &Location, on_hand: i64) -> StockRow {
    StockRow {
        product_id: p.id,
        location_id: l.id,
        on_hand,
        reserved: 0,
        safety_stock: 0,
    }
}

const NYC: Point = Point {
    lat: 40.71,
    lon: -74.0,
};

struct Shop {
    east: Location,
    west: Location,
    drop: Location,
    store: Location,
    a: Product,
    b: Product,
}

fn shop() -> Shop {
    Shop {
        east: loc("WH-EAST", LocationKind::Warehouse, 40.0, -75.0),
        west: loc("WH-WEST", LocationKind::Warehouse, 34.0, -118.0),
        drop: loc("DS-1", LocationKind::Dropship, 40.7, -74.0),
        store: loc("ST-1", LocationKind::Store, 40.7, -73.9),
        a: product("A"),
        b: product("B"),
    }
}

fn request<'a>(
    s: &'a Shop,
    lines: &'a [(&'a Product, i64)],
    locations: &'a [Location],
    stock: &'a [StockRow],
    settings: &'a RoutingSettings,
    channel: &'a Channel,
    empty: &'a HashMap<Uuid, i64>,
) -> RouteRequest<'a> {
    let _ = s;
    RouteRequest {
        order_ref: "SO-1",
        channel,
        lines,
        destination: Destination::Ship(Some(NYC)),
        no_split: false,
        locations,
        settings,
        stock,
        shipped_today: empty,
        exclude: &[],
        rates: None,
    }
}

#[test]
fn ships_from_the_cheapest_location_and_explains_it() {
    let s = shop();
    let locations = vec![s.west.clone(), s.east.clone()];
    let stock = vec![row(&s.a, &s.east, 5), row(&s.a, &s.west, 5)];
    let settings = RoutingSettings::default();
    let ch = channel(0);
    let none = HashMap::new();
    let lines = [(&s.a, 2)];
    let r = route_order(&request(
        &s, &lines, &locations, &stock, &settings, &ch, &none,
    ));
    assert_eq!(
        r.allocations,
        vec![Allocation {
            line: 0,
            location_id: s.east.id,
            qty: 2
        }]
    );
    assert_eq!(r.backordered, vec![0]);
    assert_eq!(r.plan.shipments[0].location, "WH-EAST");
    assert!(r.plan.optimal);
    assert!(
        r.plan.explanation.iter().any(|l| l.contains("WH-WEST")),
        "the alternative is named: {:?}",
        r.plan.explanation
    );
}

#[test]
fn channel_rule_buffer_and_keep_units_limit_what_a_location_gives() {
    let s = shop();
    let locations = vec![s.west.clone(), s.east.clone()];
    let stock = vec![row(&s.a, &s.east, 5), row(&s.a, &s.west, 5)];
    let mut settings = RoutingSettings::default();
    settings
        .channels
        .push(crate::domain::routing_rules::ChannelRule {
            channel: "WEB".into(),
            allowed_locations: vec!["WH-WEST".into()],
            no_split: false,
        });
    let ch = channel(1);
    let none = HashMap::new();
    let lines = [(&s.a, 5)];
    let r = route_order(&request(
        &s, &lines, &locations, &stock, &settings, &ch, &none,
    ));
    // WH-EAST is not allowed; WH-WEST gives 5 − 1 (channel buffer) = 4; 1 backordered.
    assert_eq!(r.allocations.len(), 1);
    assert_eq!(r.allocations[0].location_id, s.west.id);
    assert_eq!(r.allocations[0].qty, 4);
    assert_eq!(r.backordered, vec![1]);
    assert!(
        r.plan
            .explanation
            .iter()
            .any(|l| l.contains("WH-EAST (not allowed for WEB orders)"))
    );
}

#[test]
fn dropship_only_for_what_own_stock_cannot_ship() {
    let s = shop();
    let locations = vec![s.east.clone(), s.drop.clone()];
    // The supplier is next door (cheaper) but own stock comes first.
    let stock = vec![row(&s.a, &s.east, 1), row(&s.a, &s.drop, 100)];
    let settings = RoutingSettings::default();
    let ch = channel(0);
    let none = HashMap::new();
    let lines = [(&s.a, 3)];
    let r = route_order(&request(
        &s, &lines, &locations, &stock, &settings, &ch, &none,
    ));
    let at = |id: Uuid| {
        r.allocations
            .iter()
            .filter(|a| a.location_id == id)
            .map(|a| a.qty)
            .sum::<i64>()
    };
    assert_eq!(at(s.east.id), 1);
    assert_eq!(at(s.drop.id), 2);
    assert_eq!(r.backordered, vec![0]);
}

#[test]
fn no_split_and_capacity_are_hard_rules() {
    let s = shop();
    let locations = vec![s.east.clone(), s.west.clone()];
    let stock = vec![
        row(&s.a, &s.east, 2),
        row(&s.b, &s.west, 2),
        row(&s.a, &s.west, 2),
    ];
    let mut settings = RoutingSettings::default();
    let ch = channel(0);
    let none = HashMap::new();
    let lines = [(&s.a, 2), (&s.b, 1)];
    let mut req = request(&s, &lines, &locations, &stock, &settings, &ch, &none);
    req.no_split = true;
    let r = route_order(&req);
    assert_eq!(r.plan.shipments.len(), 1);
    assert_eq!(r.plan.shipments[0].location, "WH-WEST");

    settings
        .locations
        .push(crate::domain::routing_rules::LocationRule {
            location: "WH-WEST".into(),
            daily_capacity: Some(3),
            keep_units: 0,
            handling_days: 1,
        });
    let full: HashMap<Uuid, i64> = [(s.west.id, 3)].into_iter().collect();
    let mut req = request(&s, &lines, &locations, &stock, &settings, &ch, &full);
    req.no_split = true;
    let r = route_order(&req);
    // WH-WEST is full; WH-EAST has no B: A ships, B is backordered.
    assert_eq!(r.plan.shipments.len(), 1);
    assert_eq!(r.plan.shipments[0].location, "WH-EAST");
    assert_eq!(r.backordered, vec![0, 1]);
    assert!(
        r.plan
            .explanation
            .iter()
            .any(|l| l.contains("daily capacity of 3"))
    );
}

#[test]
fn pickup_takes_the_store_stock_and_transfers_the_rest() {
    let s = shop();
    let locations = vec![s.store.clone(), s.east.clone(), s.west.clone()];
    let stock = vec![
        row(&s.a, &s.store, 1),
        row(&s.a, &s.east, 5),
        row(&s.a, &s.west, 5),
    ];
    let settings = RoutingSettings::default();
    let ch = channel(0);
    let none = HashMap::new();
    let lines = [(&s.a, 3)];
    let mut req = request(&s, &lines, &locations, &stock, &settings, &ch, &none);
    req.destination = Destination::Pickup(&s.store);
    let r = route_order(&req);
    let mut got: Vec<(Uuid, i64)> = r
        .allocations
        .iter()
        .map(|a| (a.location_id, a.qty))
        .collect();
    got.sort();
    let mut want = vec![(s.store.id, 1), (s.east.id, 2)];
    want.sort();
    assert_eq!(got, want);
    let transfer = r
        .plan
        .shipments
        .iter()
        .find(|x| x.location == "WH-EAST")
        .expect("a transfer shipment");
    assert_eq!(transfer.transfer_to.as_deref(), Some("ST-1"));
}

#[test]
fn duplicate_skus_on_two_lines_are_spread_in_line_order() {
    let s = shop();
    let locations = vec![s.east.clone()];
    let stock = vec![row(&s.a, &s.east, 3)];
    let settings = RoutingSettings::default();
    let ch = channel(0);
    let none = HashMap::new();
    let lines = [(&s.a, 2), (&s.a, 2)];
    let r = route_order(&request(
        &s, &lines, &locations, &stock, &settings, &ch, &none,
    ));
    assert_eq!(r.backordered, vec![0, 1]);
    assert_eq!(r.allocations.iter().map(|a| a.qty).sum::<i64>(), 3);
}

#[test]
fn geocodes_us_zip_codes() {
    let a = Address {
        country: "US".into(),
        postal_code: "10001-1234".into(),
        ..Default::default()
    };
    let p = geocode(&a).expect("NYC ZIP is known");
    assert!(
        (p.lat - 40.75).abs() < 0.2 && (p.lon + 74.0).abs() < 0.2,
        "{p:?}"
    );
    let b = Address {
        country: "DE".into(),
        postal_code: "10115".into(),
        ..Default::default()
    };
    assert!(geocode(&b).is_none());
}
