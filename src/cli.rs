//! The `orderly` command line: the scripting face of the product, thin over the facade.
//!
//! Every command takes `--db URL` (or `ORDERLY_DATABASE_URL`; default: the desktop app's own
//! database) and `--json` for machine-readable output, and exits non-zero with a one-line error on
//! bad input: 2 for input the user can fix, 1 for anything else.

use std::ffi::OsString;
use std::io::Read;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod customers;
mod fulfil;
mod returns;
use serde::Serialize;

use crate::app::{Actor, AdjustStock, App, ReceiveStock, TransferStock};
use crate::config;
use crate::domain::address::Address;
use crate::domain::catalog::{LocationDraft, LocationKind, ProductDraft, ShippingRate};
use crate::domain::money::{Money, parse_decimal};
use crate::domain::order::{OrderDetail, OrderQuery, OrderRequest, OrderSort, OrderStatus};
use crate::error::{Error, Result};

#[derive(Parser, Debug)]
#[command(
    name = "orderly",
    version,
    about = "Orderly order management. With no command, opens the desktop app."
)]
pub struct Cli {
    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB (default: the desktop app's database).
    #[arg(
        long,
        global = true,
        env = "ORDERLY_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: Option<String>,
    /// Print results as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Load the demo shop (locations, 220+ products, customers, 1,000+ past orders) into an empty database.
    Demo {
        /// Number of past orders to create.
        #[arg(long, default_value_t = 1100)]
        orders: usize,
    },
    /// Locations: warehouses, stores and dropship suppliers.
    #[command(subcommand)]
    Location(LocationCommand),
    /// Products.
    #[command(subcommand)]
    Product(ProductCommand),
    /// Sales channels and their stock buffers.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// Stock movements: receive, adjust, transfer.
    #[command(subcommand)]
    Stock(StockCommand),
    /// Orders.
    #[command(subcommand)]
    Order(OrderCommand),
    /// Stock balances by SKU × location.
    Inventory {
        #[arg(long)]
        sku: Option<String>,
        #[arg(long)]
        location: Option<String>,
        #[arg(long, default_value_t = 200)]
        limit: i64,
    },
    /// Recompute every balance from the ledger and report differences (exit 3 if any).
    Verify,
    /// Plan where an order ships from: a routing file (or - for standard input), see
    /// docs/routing.md. Prints the plan as JSON; needs no database.
    Route { file: String },
    /// Make a 4×6 shipping label from a label input file (or - for standard input), see
    /// docs/labels.md: PDF (one page per package) or ZPL for thermal printers. Needs no database.
    Label(LabelArgs),
    /// Tracking numbers: which carrier, and whether the check digit is right. Needs no database.
    #[command(subcommand)]
    Tracking(TrackingCommand),
    /// Send a PDF or ZPL file (or - for standard input) to a printer. Needs no database.
    Print {
        /// raw://HOST:PORT (network label printer, port 9100 by default), cups://QUEUE (system
        /// printer) or file:///FOLDER (save into a folder).
        #[arg(long)]
        printer: String,
        file: String,
    },
    /// The shop's routing settings: show the version in force, list versions, or save a new one.
    #[command(subcommand)]
    Routing(RoutingCommand),
    /// Fulfilment: queues, pick lists, packing, labels, carrier hand-over, tracking, pick-ups.
    #[command(subcommand)]
    Fulfil(fulfil::FulfilCommand),
    /// Returns, refunds and exchanges: authorise, label, receive, refund, exchange, held stock.
    #[command(subcommand)]
    Returns(returns::ReturnsCommand),
    /// Customers: a customer's figures (`show`) and timeline of orders and store credit.
    #[command(subcommand)]
    Customers(customers::CustomersCommand),
    /// Carriers, services and rate cards: show, list versions, save a new version, or quote a
    /// shipment (rate shopping), see docs/rates.md.
    #[command(subcommand)]
    Rates(RatesCommand),
    /// Measure capture throughput and latency against a raw-insert ceiling, and a hot SKU; with
    /// --history, also generate a large shop and measure the orders list and search over it.
    /// Without --db it uses a fresh SQLite file in a temporary folder; with --db the database
    /// must be empty (it is filled with a bench shop), or hold the same large shop for --only list.
    Bench(BenchArgs),
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Concurrent clients for the capture run (the 1-client run is always made too).
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Orders per client.
    #[arg(long, default_value_t = 250)]
    orders: usize,
    /// Units of the hot SKU that 16 clients race for.
    #[arg(long, default_value_t = 2000)]
    hot_stock: i64,
    /// Run only one part: `capture` (capture, ceiling, hot SKU) or `list` (the large shop's
    /// orders list and searches; needs --history).
    #[arg(long, value_enum)]
    only: Option<BenchPart>,
    /// Past orders of the large shop (e.g. 1000000); 0 = no large shop.
    #[arg(long, default_value_t = 0)]
    history: usize,
    /// SKUs of the large shop.
    #[arg(long, default_value_t = 10_000)]
    skus: usize,
    /// Locations of the large shop (a quarter warehouses, the rest stores).
    #[arg(long, default_value_t = 20)]
    locations: usize,
    /// Customers of the large shop.
    #[arg(long, default_value_t = 100_000)]
    customers: usize,
    /// Seed the large shop and the search terms are made from.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Times the first page of the orders list is loaded.
    #[arg(long, default_value_t = 300)]
    reps: usize,
    /// Search terms (customer-name prefixes) typed into the orders search and the quick-find.
    #[arg(long, default_value_t = 400)]
    searches: usize,
}

#[derive(Args, Debug)]
pub struct LabelArgs {
    /// The label input (JSON, PRODUCT.md §3), or - for standard input.
    #[arg(long)]
    input: String,
    /// pdf (laser printers) or zpl (thermal printers, 203 dpi).
    #[arg(long, value_enum, default_value = "pdf")]
    format: LabelFormat,
    /// Where to write the label, or - for standard output.
    #[arg(long)]
    out: String,
}

/// The output of `orderly label`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelFormat {
    Pdf,
    Zpl,
}

#[derive(Subcommand, Debug)]
pub enum TrackingCommand {
    /// Check a tracking number: prints the carrier and validity; exits 2 when it is invalid.
    Check {
        /// The number; spaces and dashes are ignored (quote it when it has spaces).
        number: String,
    },
}

/// A part of `orderly bench`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BenchPart {
    Capture,
    List,
}

#[derive(Subcommand, Debug)]
pub enum LocationCommand {
    /// Add a location.
    Add(Box<LocationArgs>),
    /// List locations.
    List,
}

#[derive(Args, Debug)]
pub struct LocationArgs {
    #[arg(long)]
    code: String,
    #[arg(long)]
    name: String,
    /// warehouse, store or dropship.
    #[arg(long, default_value = "warehouse")]
    kind: String,
    #[arg(long)]
    line1: String,
    #[arg(long)]
    city: String,
    #[arg(long, default_value = "")]
    region: String,
    #[arg(long)]
    postal_code: String,
    #[arg(long, default_value = "US")]
    country: String,
    #[arg(long, allow_hyphen_values = true)]
    lat: f64,
    #[arg(long, allow_hyphen_values = true)]
    lon: f64,
    /// The location does not ship parcels.
    #[arg(long)]
    no_ship: bool,
    /// Customers can collect orders here.
    #[arg(long)]
    pickup: bool,
    /// Lower = tried first.
    #[arg(long, default_value_t = 100)]
    priority: i32,
    /// Shipping rate base, minor units.
    #[arg(long, default_value_t = 0)]
    rate_base: i64,
    /// Shipping rate per kg, minor units.
    #[arg(long, default_value_t = 0)]
    rate_per_kg: i64,
    /// Shipping rate per 1,000 km, minor units.
    #[arg(long, default_value_t = 0)]
    rate_per_1000_km: i64,
}

#[derive(Subcommand, Debug)]
pub enum ChannelCommand {
    /// Add a channel.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// Units per SKU and location this channel never sells.
        #[arg(long, default_value_t = 0)]
        buffer: i64,
    },
    /// Change a channel's name or buffer.
    Set {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        buffer: i64,
    },
    /// List channels.
    List,
}

#[derive(Subcommand, Debug)]
pub enum ProductCommand {
    /// Add a product.
    Add {
        #[arg(long)]
        sku: String,
        #[arg(long)]
        name: String,
        /// Price as a decimal in the shop currency, e.g. 24.00.
        #[arg(long)]
        price: String,
        /// GTIN barcode (EAN-13, UPC-A, EAN-8, GTIN-14).
        #[arg(long)]
        barcode: Option<String>,
        #[arg(long, default_value_t = 0)]
        weight_grams: i64,
        #[arg(long, default_value_t = 0)]
        length_mm: i64,
        #[arg(long, default_value_t = 0)]
        width_mm: i64,
        #[arg(long, default_value_t = 0)]
        height_mm: i64,
        /// Accept orders when out of stock (backorder).
        #[arg(long)]
        backorder: bool,
        /// Sold as final: a return needs an override.
        #[arg(long)]
        final_sale: bool,
    },
    /// List products.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum StockCommand {
    /// Goods arrived: on hand goes up.
    Receive {
        #[arg(long)]
        sku: String,
        #[arg(long)]
        location: String,
        #[arg(long)]
        qty: i64,
        #[arg(long)]
        note: Option<String>,
    },
    /// Correct on-hand stock (delta may be negative) with a reason: count, damaged, lost, found, other.
    Adjust {
        #[arg(long)]
        sku: String,
        #[arg(long)]
        location: String,
        #[arg(long, allow_hyphen_values = true)]
        delta: i64,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Move stock between locations.
    Transfer {
        #[arg(long)]
        sku: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        qty: i64,
        /// Keep the goods in transit until received (default: they arrive at once).
        #[arg(long)]
        in_transit: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RatesCommand {
    /// Print the rate cards in force (version 0: none saved yet).
    Show,
    /// List saved versions, newest first.
    History {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Save the rate cards in a JSON file (or - for standard input) as the next version; the
    /// format is the output of `rates show --json` (its `cards`), see docs/rates.md.
    Set {
        file: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Rate shopping: every service from a location to a postal code, cheapest first, and the
    /// one to use (the cheapest delivered by --promised-by, else the fastest).
    Quote {
        /// Ship-from location code.
        #[arg(long)]
        from: String,
        /// Ship-to postal code.
        #[arg(long)]
        to_zip: String,
        /// Ship-to country (ISO 3166-1 alpha-2).
        #[arg(long, default_value = "US")]
        country: String,
        /// Shipment weight in kg (up to 3 decimals, e.g. 1.2).
        #[arg(long)]
        weight_kg: String,
        #[arg(long, default_value_t = 1)]
        packages: i64,
        /// Latest delivery date promised (YYYY-MM-DD).
        #[arg(long)]
        promised_by: Option<String>,
        /// The ship-to is a business (no residential surcharge).
        #[arg(long)]
        business: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RoutingCommand {
    /// Print the routing settings in force (version 0: the built-in defaults).
    Show,
    /// List saved versions, newest first.
    History {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Save the settings in a JSON file (or - for standard input) as the next version; the
    /// format is the output of `routing show --json` (its `settings`), see docs/routing.md.
    Set {
        file: String,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum OrderCommand {
    /// Create an order from a JSON file (or - for standard input); see docs/order-request.md.
    Create { file: String },
    /// Show one order with its lines, reservations and timeline.
    Show { number: String },
    /// List orders, newest first.
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Release what the order holds at a location and route those units again without it
    /// (a short pick, a closed store); what nothing else can fill goes on backorder.
    Reroute {
        number: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        reason: String,
    },
    /// Change an order's status (e.g. cancelled --reason "...", shipped, completed).
    Status {
        number: String,
        status: String,
        #[arg(long)]
        reason: Option<String>,
    },
}

/// Parses `args` (including the program name) and runs the command; returns the exit code.
pub async fn run(args: Vec<OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let json = cli.json;
    match execute(cli).await {
        Ok(code) => code,
        Err(e) => {
            let field = e
                .field()
                .map(|f| format!(" (field: {f})"))
                .unwrap_or_default();
            if json {
                err(&serde_json::json!({ "error": { "code": e.code().as_str(), "message": e.user_message(), "field": e.field() } })
                    .to_string());
            } else {
                err(&format!(
                    "error: {}: {}{field}",
                    e.code().as_str(),
                    e.user_message()
                ));
            }
            ExitCode::from(if e.is_user_error() { 2 } else { 1 })
        }
    }
}

/// Writes a line to standard output (a closed pipe is not an error worth failing for).
fn out(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// Writes a line to standard error.
fn err(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) -> Result<()> {
    if json {
        let s = serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
        out(&s);
    } else {
        out(&text());
    }
    Ok(())
}

async fn execute(cli: Cli) -> Result<ExitCode> {
    // Routing is pure: it runs without opening (or creating) a database.
    if let Command::Route { file } = &cli.command {
        return route(file);
    }
    if let Command::Bench(args) = &cli.command {
        return bench(cli.db.as_deref(), cli.json, args).await;
    }
    // Labels, tracking checks and printing need no database either.
    match &cli.command {
        Command::Label(args) => return label(cli.json, args),
        Command::Tracking(TrackingCommand::Check { number }) => {
            return tracking_check(cli.json, number);
        }
        Command::Print { printer, file } => return print_file(cli.json, printer, file).await,
        _ => {}
    }
    let url = config::resolve_database_url(cli.db.as_deref())?;
    let app = App::open(&url).await?;
    let actor = Actor::new("cli");
    let json = cli.json;
    let currency = app.settings().await?.currency;
    let cur = crate::domain::money::Currency::parse(&currency, "currency")?;
    match cli.command {
        Command::Demo { orders } => {
            let r = crate::demo::load(
                &app,
                crate::demo::DemoSize {
                    orders,
                    ..Default::default()
                },
            )
            .await?;
            print(json, &r, || {
                format!(
                    "Demo shop loaded: {} locations, {} products, {} customers, {} orders.",
                    r.locations, r.products, r.customers, r.orders
                )
            })?;
        }
        Command::Location(LocationCommand::Add(a)) => {
            let kind = LocationKind::parse(&a.kind, "kind")?;
            let l = app
                .create_location(LocationDraft {
                    code: a.code,
                    name: a.name.clone(),
                    kind,
                    address: Address {
                        name: a.name,
                        company: None,
                        line1: a.line1,
                        line2: None,
                        city: a.city,
                        region: a.region,
                        postal_code: a.postal_code,
                        country: a.country,
                        phone: None,
                    },
                    latitude: a.lat,
                    longitude: a.lon,
                    can_ship: !a.no_ship,
                    can_pickup: a.pickup,
                    priority: a.priority,
                    rate: ShippingRate {
                        base: a.rate_base,
                        per_kg: a.rate_per_kg,
                        per_1000_km: a.rate_per_1000_km,
                    },
                })
                .await?;
            print(json, &l, || {
                format!("Location {} ({}) added.", l.code, l.kind.as_str())
            })?;
        }
        Command::Location(LocationCommand::List) => {
            let ls = app.locations().await?;
            print(json, &ls, || {
                let mut out = format!(
                    "{:<12} {:<10} {:>8} {:<5} {:<6} NAME",
                    "CODE", "KIND", "PRIORITY", "SHIP", "PICKUP"
                );
                for l in &ls {
                    out.push_str(&format!(
                        "\n{:<12} {:<10} {:>8} {:<5} {:<6} {}",
                        l.code,
                        l.kind.as_str(),
                        l.priority,
                        yes(l.can_ship),
                        yes(l.can_pickup),
                        l.name
                    ));
                }
                out
            })?;
        }
        Command::Product(ProductCommand::Add {
            sku,
            name,
            price,
            barcode,
            weight_grams,
            length_mm,
            width_mm,
            height_mm,
            backorder,
            final_sale,
        }) => {
            let price = parse_decimal(&price, cur, "price")?;
            let p = app
                .create_product(ProductDraft {
                    sku,
                    name,
                    barcode,
                    price,
                    weight_grams,
                    length_mm,
                    width_mm,
                    height_mm,
                    active: true,
                    allow_backorder: backorder,
                    final_sale,
                })
                .await?;
            print(json, &p, || {
                format!(
                    "Product {} added at {}.",
                    p.sku,
                    Money::new(p.price, cur).display()
                )
            })?;
        }
        Command::Channel(ChannelCommand::Add { code, name, buffer }) => {
            let ch = app.create_channel(&code, &name, buffer).await?;
            print(json, &ch, || {
                format!("Channel {} added (buffer {}).", ch.code, ch.safety_stock)
            })?;
        }
        Command::Channel(ChannelCommand::Set { code, name, buffer }) => {
            let ch = app.update_channel(&code, &name, buffer).await?;
            print(json, &ch, || {
                format!(
                    "Channel {} is now '{}' with buffer {}.",
                    ch.code, ch.name, ch.safety_stock
                )
            })?;
        }
        Command::Channel(ChannelCommand::List) => {
            let chs = app.channels().await?;
            print(json, &chs, || {
                let mut out = format!("{:<14} {:>6} NAME", "CODE", "BUFFER");
                for c in &chs {
                    out.push_str(&format!(
                        "\n{:<14} {:>6} {}",
                        c.code, c.safety_stock, c.name
                    ));
                }
                out
            })?;
        }
        Command::Product(ProductCommand::List { search, limit }) => {
            let page = app.list_products(search.as_deref(), 0, limit).await?;
            print(json, &page, || {
                let mut out = format!("{:<20} {:>12} {:>9} NAME", "SKU", "PRICE", "AVAILABLE");
                for p in &page.rows {
                    out.push_str(&format!(
                        "\n{:<20} {:>12} {:>9} {}",
                        p.sku,
                        Money::new(p.price, cur).display(),
                        p.available,
                        p.name
                    ));
                }
                out.push_str(&format!("\n{} of {} products", page.rows.len(), page.total));
                out
            })?;
        }
        Command::Stock(StockCommand::Receive {
            sku,
            location,
            qty,
            note,
        }) => {
            let b = app
                .receive_stock(
                    &actor,
                    ReceiveStock {
                        sku,
                        location,
                        qty,
                        note,
                    },
                )
                .await?;
            print(json, &b, || balance_line("Received.", &b))?;
        }
        Command::Stock(StockCommand::Adjust {
            sku,
            location,
            delta,
            reason,
            note,
        }) => {
            let b = app
                .adjust_stock(
                    &actor,
                    AdjustStock {
                        sku,
                        location,
                        delta,
                        reason,
                        note,
                    },
                )
                .await?;
            print(json, &b, || balance_line("Adjusted.", &b))?;
        }
        Command::Stock(StockCommand::Transfer {
            sku,
            from,
            to,
            qty,
            in_transit,
        }) => {
            let t = app
                .transfer_stock(
                    &actor,
                    TransferStock {
                        sku,
                        from,
                        to,
                        qty,
                        arrived: !in_transit,
                    },
                )
                .await?;
            print(json, &t, || {
                format!(
                    "Transferred {} × {} from {} to {}{}.",
                    t.qty,
                    t.sku,
                    t.from,
                    t.to,
                    if t.received_at.is_some() {
                        ""
                    } else {
                        " (in transit)"
                    }
                )
            })?;
        }
        Command::Order(OrderCommand::Create { file }) => {
            let text = read_input(&file)?;
            let req: OrderRequest = serde_json::from_str(&text).map_err(|e| {
                Error::invalid(
                    "order",
                    format!("The order file is not a valid order request: {e}"),
                )
            })?;
            let o = app.create_order(&actor, req).await?;
            print(json, &o, || order_text(&o, cur))?;
        }
        Command::Order(OrderCommand::Show { number }) => {
            let o = app.order(&number).await?;
            print(json, &o, || order_text(&o, cur))?;
        }
        Command::Order(OrderCommand::List { search, limit }) => {
            let q = OrderQuery {
                search,
                sort: OrderSort::Number,
                descending: true,
                limit,
                ..Default::default()
            };
            let page = app.list_orders(&q).await?;
            print(json, &page, || {
                let mut out = format!(
                    "{:<10} {:<20} {:<12} {:<18} {:>12} CUSTOMER",
                    "NUMBER", "CREATED", "CHANNEL", "STATUS", "TOTAL"
                );
                for o in &page.rows {
                    out.push_str(&format!(
                        "\n{:<10} {:<20} {:<12} {:<18} {:>12} {}",
                        o.number,
                        o.created_at.format("%Y-%m-%d %H:%M"),
                        o.channel,
                        o.status.as_str(),
                        Money::new(o.total, cur).display(),
                        o.customer_name.as_deref().unwrap_or("-")
                    ));
                }
                out.push_str(&format!("\n{} of {} orders", page.rows.len(), page.total));
                out
            })?;
        }
        Command::Order(OrderCommand::Reroute {
            number,
            from,
            reason,
        }) => {
            let o = app.reroute(&actor, &number, &from, &reason).await?;
            print(json, &o, || {
                let held: Vec<String> = o
                    .reservations
                    .iter()
                    .filter(|r| r.state == "reserved")
                    .map(|r| format!("{} × {} at {}", r.qty, r.sku, r.location))
                    .collect();
                format!(
                    "{} re-routed ({}): {}; {} unit(s) on backorder.",
                    o.number,
                    o.status.as_str(),
                    if held.is_empty() {
                        "nothing reserved".to_owned()
                    } else {
                        held.join(", ")
                    },
                    o.backordered_units()
                )
            })?;
        }
        Command::Routing(RoutingCommand::Show) => {
            let v = app.routing_settings().await?;
            print(json, &v, || {
                serde_json::to_string_pretty(&v.settings)
                    .map(|s| format!("Routing settings version {}:\n{s}", v.version))
                    .unwrap_or_default()
            })?;
        }
        Command::Routing(RoutingCommand::History { limit }) => {
            let list = app.routing_history(limit).await?;
            print(json, &list, || {
                if list.is_empty() {
                    return "No routing settings saved yet: the built-in defaults are in force."
                        .to_owned();
                }
                list.iter()
                    .map(|v| {
                        format!(
                            "v{}  {}  {}  {}  {}",
                            v.version,
                            v.created_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                            v.created_by,
                            v.settings.objective.as_str(),
                            v.note.as_deref().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
        }
        Command::Routing(RoutingCommand::Set { file, note }) => {
            let text = read_input(&file)?;
            let settings: crate::domain::routing_rules::RoutingSettings =
                serde_json::from_str(&text).map_err(|e| {
                    Error::invalid(
                        "file",
                        format!("{file} is not valid routing settings JSON: {e}"),
                    )
                })?;
            let v = app
                .save_routing_settings(&actor, settings, note.as_deref())
                .await?;
            print(json, &v, || {
                format!("Routing settings version {} saved and in force.", v.version)
            })?;
        }
        Command::Rates(cmd) => rates(&app, &actor, json, cmd).await?,
        Command::Order(OrderCommand::Status {
            number,
            status,
            reason,
        }) => {
            let to = OrderStatus::parse(&status, "status")?;
            let o = app
                .change_status(&actor, &number, to, reason.as_deref())
                .await?;
            print(json, &o, || {
                format!("{} is now {}.", o.number, o.status.as_str())
            })?;
        }
        Command::Inventory {
            sku,
            location,
            limit,
        } => {
            let page = app
                .balances(sku.as_deref(), location.as_deref(), 0, limit)
                .await?;
            print(json, &page, || {
                let mut out = format!(
                    "{:<20} {:<10} {:>8} {:>8} {:>7} {:>9} {:>8} {:>6}",
                    "SKU",
                    "LOCATION",
                    "ON HAND",
                    "RESERVED",
                    "SAFETY",
                    "AVAILABLE",
                    "INCOMING",
                    "HELD"
                );
                for b in &page.rows {
                    out.push_str(&format!(
                        "\n{:<20} {:<10} {:>8} {:>8} {:>7} {:>9} {:>8} {:>6}",
                        b.sku,
                        b.location,
                        b.on_hand,
                        b.reserved,
                        b.safety_stock,
                        b.available(),
                        b.incoming,
                        b.held
                    ));
                }
                out.push_str(&format!("\n{} of {} balances", page.rows.len(), page.total));
                out
            })?;
        }
        Command::Fulfil(cmd) => fulfil::run(&app, &actor, json, cmd).await?,
        Command::Returns(cmd) => returns::run(&app, &actor, json, cmd).await?,
        Command::Customers(cmd) => customers::run(&app, json, cmd).await?,
        Command::Bench(_) => unreachable!("handled before the database is opened"),
        Command::Route { .. } => unreachable!("routing runs before the database is opened"),
        Command::Label(_) | Command::Tracking(_) | Command::Print { .. } => {
            unreachable!("labels, tracking and printing run before the database is opened")
        }
        Command::Verify => {
            let r = app.verify().await?;
            print(json, &r, || {
                if r.differences.is_empty() {
                    format!(
                        "Ledger and balances agree: {} balances, {} movements checked.",
                        r.balances_checked, r.movements_checked
                    )
                } else {
                    let mut out = format!(
                        "{} differences between ledger and balances:",
                        r.differences.len()
                    );
                    for d in &r.differences {
                        out.push_str(&format!(
                            "\n{} at {}: {} stored {}, ledger says {}",
                            d.sku, d.location, d.field, d.stored, d.from_ledger
                        ));
                    }
                    out
                }
            })?;
            if !r.differences.is_empty() {
                app.close().await;
                return Ok(ExitCode::from(3));
            }
        }
    }
    app.close().await;
    Ok(ExitCode::SUCCESS)
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn balance_line(prefix: &str, b: &crate::domain::stock::Balance) -> String {
    format!(
        "{prefix} {} at {}: on hand {}, reserved {}, available {}, incoming {}",
        b.sku,
        b.location,
        b.on_hand,
        b.reserved,
        b.available(),
        b.incoming
    )
}

fn read_input(file: &str) -> Result<String> {
    if file == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            Error::invalid("file", format!("Standard input could not be read: {e}"))
        })?;
        Ok(s)
    } else {
        std::fs::read_to_string(file)
            .map_err(|e| Error::invalid("file", format!("{file} could not be read: {e}")))
    }
}

fn order_text(o: &OrderDetail, cur: crate::domain::money::Currency) -> String {
    let m = |v: i64| Money::new(v, cur).display();
    let mut out = format!(
        "{}  {}  {}{}\ncreated {} by {}\ncustomer: {}\n{}",
        o.number,
        o.status.as_str(),
        o.channel,
        o.channel_ref
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default(),
        o.created_at.to_rfc3339(),
        o.created_by,
        o.customer_name.as_deref().unwrap_or("-"),
        match (&o.ship_to, &o.pickup_location) {
            (Some(a), _) => format!("ship to: {}", a.one_line()),
            (None, Some(l)) => format!("pick up at: {l}"),
            _ => String::new(),
        }
    );
    out.push_str("\n\nLINES");
    for l in &o.lines {
        out.push_str(&format!(
            "\n  {:>3}. {:<18} {:>4} × {:>12}  disc {:>10}  tax {:>10}  = {:>12}{}",
            l.line_no,
            l.sku,
            l.qty,
            m(l.unit_price),
            m(l.discount),
            m(l.tax),
            m(l.total),
            if l.backordered > 0 {
                format!("  ({} backordered)", l.backordered)
            } else {
                String::new()
            }
        ));
    }
    let t = o.totals;
    out.push_str(&format!(
        "\nsubtotal {}  discount {}  shipping {}  tax {}  TOTAL {}",
        m(t.subtotal),
        m(t.discount),
        m(t.shipping),
        m(t.tax),
        m(t.total)
    ));
    out.push_str("\n\nRESERVATIONS");
    for r in &o.reservations {
        out.push_str(&format!(
            "\n  {} × {} at {} ({})",
            r.qty, r.sku, r.location, r.state
        ));
    }
    out.push_str("\n\nTIMELINE");
    for e in &o.events {
        out.push_str(&format!(
            "\n  {}  {:<8} {}",
            e.at.format("%Y-%m-%d %H:%M:%S"),
            e.actor,
            e.summary
        ));
    }
    out
}

async fn bench(db: Option<&str>, json: bool, a: &BenchArgs) -> Result<ExitCode> {
    use crate::bench_shop::{self, ShopSize};

    let (clients, orders, hot_stock) = (a.clients, a.orders, a.hot_stock);
    if !(1..=256).contains(&clients)
        || !(1..=100_000).contains(&orders)
        || !(1..=1_000_000).contains(&hot_stock)
    {
        return Err(Error::invalid(
            "clients",
            "Use 1-256 clients, 1-100,000 orders per client and 1-1,000,000 hot units",
        ));
    }
    let capture = a.only != Some(BenchPart::List);
    let large = a.only != Some(BenchPart::Capture) && a.history > 0;
    if a.only == Some(BenchPart::List) && a.history == 0 {
        return Err(Error::invalid(
            "history",
            "--only list measures the large shop: give its size with --history N (e.g. 1000000)",
        ));
    }
    if !(1..=100_000).contains(&a.reps) || !(1..=100_000).contains(&a.searches) {
        return Err(Error::invalid(
            "reps",
            "Use 1-100,000 repetitions and 1-100,000 search terms",
        ));
    }
    let size = ShopSize {
        skus: a.skus,
        locations: a.locations,
        customers: a.customers,
        orders: a.history,
        seed: a.seed,
    };
    if large {
        size.validate()?;
    }
    let temp = match db {
        Some(_) => None,
        None => Some(tempfile_dir()?),
    };
    let url = match (db, &temp) {
        (Some(u), _) => u.to_owned(),
        (None, Some(dir)) => config::sqlite_url(&dir.join("bench.db")),
        (None, None) => unreachable!(),
    };
    let app = App::open(&url).await?;
    // A database that already holds this very large shop can be measured again as it is.
    let reuse = match bench_shop::existing(&app).await? {
        Some(held) if large && !capture && held == size => true,
        Some(held) => {
            return Err(Error::invalid(
                "db",
                format!(
                    "The database holds a bench shop of {} SKUs, {} locations, {} customers, {} orders, seed {}: \
                     measure it with --only list and that size, or use an empty database",
                    held.skus, held.locations, held.customers, held.orders, held.seed
                ),
            ));
        }
        None => false,
    };
    if !reuse && !app.list_products(None, 0, 1).await?.rows.is_empty() {
        return Err(Error::invalid(
            "db",
            "The bench needs an empty database: it fills it with a bench shop",
        ));
    }
    // Capture first, on the empty database its bench shop expects; the large shop then goes next
    // to it (its own SKUs and locations), and its history predates the orders captured here.
    let mut runs = Vec::new();
    let mut hot_sku = None;
    if capture {
        crate::bench::prepare(&app).await?;
        for c in [1, clients] {
            let cap = crate::bench::capture(&app, c, orders).await?;
            let ceil = crate::bench::ceiling(&app, c, orders).await?;
            runs.push(cap);
            runs.push(ceil);
            if clients == 1 {
                break;
            }
        }
        let (hot, won) = crate::bench::hot_sku(&app, 16, hot_stock).await?;
        runs.push(hot);
        hot_sku = Some(won);
    }
    let mut shop = None;
    let mut queries = Vec::new();
    if large {
        if !reuse {
            let day = app
                .now()
                .date_naive()
                .and_time(chrono::NaiveTime::MIN)
                .and_utc();
            let progress = |done: usize, total: usize| {
                eprint!("\rgenerating the bench shop: {done} of {total} orders");
                if done == total {
                    eprintln!();
                }
            };
            shop = Some(bench_shop::generate(&app, &size, day, &progress).await?);
        }
        let terms = bench_shop::search_terms(&app, a.seed, a.searches).await?;
        queries.push(bench_shop::list_first_page(&app, a.reps).await?);
        queries.extend(bench_shop::search_orders(&app, &terms).await?);
        queries.extend(bench_shop::search_customers(&app, &terms).await?);
    }
    let report = app.verify().await?;
    let database = app.database_kind().as_str();
    app.close().await;
    if let Some(dir) = temp {
        let _ = std::fs::remove_dir_all(dir);
    }
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    // The targets at 1,000,000 orders, by p95.
    let targets = [
        ("orders list, first page", 50.0),
        ("orders search, customer name", 30.0),
        ("customer quick-find", 30.0),
    ];
    let mut value = serde_json::json!({ "cores": cores, "build": build, "database": database,
                                         "runs": runs, "ledger_differences": report.differences.len() });
    if let Some(won) = hot_sku {
        value["hot_sku_won"] = won.into();
        value["hot_sku_stock"] = hot_stock.into();
    }
    if large {
        value["shop_size"] =
            serde_json::to_value(size).map_err(|e| Error::Internal(e.to_string()))?;
        value["shop"] = serde_json::to_value(&shop).map_err(|e| Error::Internal(e.to_string()))?;
        value["queries"] =
            serde_json::to_value(&queries).map_err(|e| Error::Internal(e.to_string()))?;
    }
    print(json, &value, || {
        let mut out = format!("{cores} cores; database {database}; {build} build\n");
        if large {
            out.push_str(&format!(
                "large shop: {} SKUs, {} locations, {} customers, {} past orders (seed {})",
                size.skus, size.locations, size.customers, size.orders, size.seed
            ));
            match &shop {
                Some(s) => out.push_str(&format!(
                    "\n  {} warehouses, {} stores, {} order lines, {} payments, {} order events, \
                     {} balances from {} ledger rows\n  generated in {:.0} s ({:.0} orders/s)\n",
                    s.warehouses,
                    s.stores,
                    s.order_lines,
                    s.payments,
                    s.order_events,
                    s.stock_balances,
                    s.stock_movements,
                    s.seconds,
                    s.orders_per_second
                )),
                None => out.push_str("\n  already in the database: measured as it is\n"),
            }
            out.push_str(&format!(
                "{:<30} {:>6} {:>9} {:>9} {:>9} {:>9} {:>12}",
                "QUERY", "OPS", "P50 MS", "P95 MS", "P99 MS", "MAX MS", "ROWS MATCHED"
            ));
            for q in &queries {
                out.push_str(&format!(
                    "\n{:<30} {:>6} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>12}",
                    q.name, q.operations, q.p50_ms, q.p95_ms, q.p99_ms, q.max_ms, q.rows_matched
                ));
            }
            for (name, limit) in targets {
                if let Some(q) = queries.iter().find(|q| q.name == name) {
                    out.push_str(&format!(
                        "\ntarget {name}: p95 <= {limit:.0} ms at 1,000,000 orders: {} ({:.2} ms)",
                        if q.p95_ms <= limit { "met" } else { "MISSED" },
                        q.p95_ms
                    ));
                }
            }
            out.push('\n');
        }
        if capture {
            out.push_str(&format!(
                "{:<22} {:>7} {:>8} {:>10} {:>9} {:>9}",
                "RUN", "CLIENTS", "OPS", "OPS/S", "P50 MS", "P99 MS"
            ));
            for r in &runs {
                out.push_str(&format!(
                    "\n{:<22} {:>7} {:>8} {:>10.0} {:>9.2} {:>9.2}",
                    r.name, r.clients, r.operations, r.per_second, r.p50_ms, r.p99_ms
                ));
            }
            for pair in runs
                .chunks(2)
                .filter(|p| p.len() == 2 && p[1].name.starts_with("ceiling"))
            {
                out.push_str(&format!(
                    "\ncapture with {} client(s) runs at {:.0}% of the ceiling",
                    pair[0].clients,
                    100.0 * pair[0].per_second / pair[1].per_second.max(1e-9)
                ));
            }
            if let Some(won) = hot_sku {
                out.push_str(&format!(
                    "\nhot SKU: {won} of {hot_stock} units sold to 16 clients ({})",
                    if won == hot_stock {
                        "no oversell, no undersell"
                    } else {
                        "MISMATCH"
                    }
                ));
            }
            out.push('\n');
        }
        out.push_str(&format!("ledger differences: {}", report.differences.len()));
        out
    })?;
    Ok(
        if hot_sku.is_none_or(|won| won == hot_stock) && report.differences.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(3)
        },
    )
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "orderly-bench-{}",
        crate::domain::ids::new_id().simple()
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::Internal(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// `orderly route FILE`: parses the routing file and prints the plan as JSON.
fn route(file: &str) -> Result<ExitCode> {
    let text = read_input(file)?;
    let input = crate::routing::parse(&text)?;
    let plan = crate::routing::route(&input);
    let s = serde_json::to_string_pretty(&plan).map_err(|e| Error::Internal(e.to_string()))?;
    out(&s);
    Ok(ExitCode::SUCCESS)
}

/// `orderly label`: validates the label input and writes the PDF or ZPL.
fn label(json: bool, a: &LabelArgs) -> Result<ExitCode> {
    use crate::shipping::label::{LabelInput, label_pdf, label_zpl};
    let input = LabelInput::from_json(&read_input(&a.input)?)?;
    let bytes = match a.format {
        LabelFormat::Pdf => label_pdf(&input)?,
        LabelFormat::Zpl => label_zpl(&input)?.into_bytes(),
    };
    if a.out == "-" {
        use std::io::Write;
        let mut o = std::io::stdout().lock();
        o.write_all(&bytes)
            .and_then(|_| o.flush())
            .map_err(|e| Error::Internal(format!("standard output could not be written: {e}")))?;
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::write(&a.out, &bytes)
        .map_err(|e| Error::invalid("out", format!("{} could not be written: {e}", a.out)))?;
    let tracking = crate::domain::tracking::normalize(&input.tracking_number);
    print(
        json,
        &serde_json::json!({ "out": a.out, "format": a.format, "packages": input.packages,
                             "tracking_number": tracking, "bytes": bytes.len() }),
        || {
            format!(
                "Wrote the {} label for {} ({} package{}) to {}",
                match a.format {
                    LabelFormat::Pdf => "PDF",
                    LabelFormat::Zpl => "ZPL",
                },
                tracking,
                input.packages,
                if input.packages == 1 { "" } else { "s" },
                a.out
            )
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `orderly tracking check NUMBER`: carrier and validity; exit 2 with the reason when invalid.
fn tracking_check(json: bool, number: &str) -> Result<ExitCode> {
    use crate::domain::tracking::{check, tracking_url};
    let c = check(number);
    if json {
        let url = c.scheme.and_then(|s| tracking_url(s, &c.normalized));
        let mut v = serde_json::to_value(&c).map_err(|e| Error::Internal(e.to_string()))?;
        v["tracking_url"] = serde_json::json!(url);
        out(&serde_json::to_string_pretty(&v).map_err(|e| Error::Internal(e.to_string()))?);
        return Ok(if c.valid {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        });
    }
    if !c.valid {
        return Err(Error::invalid("number", c.message));
    }
    out(&format!(
        "{}: {} — valid ({})",
        c.normalized,
        c.carrier_name.unwrap_or("unknown carrier"),
        c.message
    ));
    Ok(ExitCode::SUCCESS)
}

/// `orderly print --printer TARGET FILE`: sends a PDF or ZPL file.
async fn print_file(json: bool, printer: &str, file: &str) -> Result<ExitCode> {
    use crate::shipping::print::{DocKind, PrintDoc, PrinterTarget, print as send};
    let target = PrinterTarget::parse(printer, "printer")?;
    let bytes = if file == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map_err(|e| {
            Error::invalid("file", format!("Standard input could not be read: {e}"))
        })?;
        b
    } else {
        std::fs::read(file)
            .map_err(|e| Error::invalid("file", format!("{file} could not be read: {e}")))?
    };
    let kind = DocKind::sniff(&bytes).ok_or_else(|| {
        Error::invalid(
            "file",
            format!("{file} is neither a PDF nor ZPL: print the files that orderly label and the documents make"),
        )
    })?;
    let name = std::path::Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .filter(|n| n != "-")
        .unwrap_or_else(|| "document".to_owned());
    let receipt = send(
        &target,
        PrintDoc {
            name: &name,
            bytes: &bytes,
            kind,
        },
    )
    .await?;
    print(json, &receipt, || {
        format!(
            "Sent {} ({} bytes) to {}{}",
            name,
            receipt.bytes,
            receipt.destination,
            receipt
                .job
                .as_deref()
                .map(|j| format!(" (job {j})"))
                .unwrap_or_default()
        )
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn rates(app: &App, actor: &Actor, json: bool, cmd: RatesCommand) -> Result<()> {
    match cmd {
        RatesCommand::Show => {
            let v = app.rate_cards().await?;
            print(json, &v, || {
                serde_json::to_string_pretty(&v.cards)
                    .map(|s| format!("Rate cards version {}:\n{s}", v.version))
                    .unwrap_or_default()
            })
        }
        RatesCommand::History { limit } => {
            let list = app.rate_card_history(limit).await?;
            print(json, &list, || {
                if list.is_empty() {
                    return "No rate cards saved yet: routing uses each location's simple rate."
                        .to_owned();
                }
                list.iter()
                    .map(|v| {
                        let services: usize =
                            v.cards.carriers.iter().map(|c| c.services.len()).sum();
                        format!(
                            "v{}  {}  {}  {} carrier(s), {services} service(s)  {}",
                            v.version,
                            v.created_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                            v.created_by,
                            v.cards.carriers.len(),
                            v.note.as_deref().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        RatesCommand::Set { file, note } => {
            let text = read_input(&file)?;
            let cards: crate::domain::rates::RateCards =
                serde_json::from_str(&text).map_err(|e| {
                    Error::invalid(
                        "file",
                        format!("{file} is not valid rate cards JSON: {e} (see docs/rates.md)"),
                    )
                })?;
            let v = app.save_rate_cards(actor, cards, note.as_deref()).await?;
            print(json, &v, || {
                format!("Rate cards version {} saved and in force.", v.version)
            })
        }
        RatesCommand::Quote {
            from,
            to_zip,
            country,
            weight_kg,
            packages,
            promised_by,
            business,
        } => {
            let grams = parse_kg(&weight_kg, "weightKg")?;
            let promised_by = promised_by
                .map(|d| {
                    d.trim().parse::<chrono::NaiveDate>().map_err(|_| {
                        Error::invalid(
                            "promisedBy",
                            format!("\"{d}\" is not a date: write it as YYYY-MM-DD"),
                        )
                    })
                })
                .transpose()?;
            let to = crate::domain::address::Address {
                name: "Quote".into(),
                company: business.then(|| "Business".to_owned()),
                postal_code: to_zip.trim().to_owned(),
                country: country.trim().to_ascii_uppercase(),
                ..Default::default()
            };
            let shop = app
                .quote_shipment(&from, &to, grams, packages, promised_by)
                .await?;
            print(json, &shop, || {
                let mut lines = vec![shop.summary.clone()];
                for q in &shop.quotes {
                    let mark = if shop
                        .chosen
                        .as_ref()
                        .is_some_and(|c| c.carrier == q.carrier && c.service == q.service)
                    {
                        "*"
                    } else {
                        " "
                    };
                    lines.push(format!(
                        "{mark} {:<10} {:<10} {:>10} {}  arrives {}  {}",
                        q.carrier, q.service, q.price.total, shop.currency, q.delivery_date, q.why
                    ));
                }
                for u in &shop.unavailable {
                    lines.push(format!("  unavailable: {u}"));
                }
                lines.join("\n")
            })
        }
    }
}

/// A weight in kilograms with up to three decimals, as whole grams (no floats).
fn parse_kg(text: &str, field: &str) -> Result<i64> {
    let t = text.trim();
    let bad = || {
        Error::invalid(
            field,
            format!("\"{t}\" is not a weight: write kilograms with up to 3 decimals, e.g. 1.25"),
        )
    };
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 3
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || whole.len() > 6
    {
        return Err(bad());
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let f: i64 = format!("{frac:0<3}").parse().map_err(|_| bad())?;
    Ok(w * 1000 + f)
}
