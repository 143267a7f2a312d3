//! `orderly customers …`: a customer's page from the command line — the profile with its figures
//! (`show`) and the timeline of their orders and store credit, newest first (`timeline`). A
//! customer is named by id or e-mail address. Thin over the facade, like the rest of the CLI.

use clap::Subcommand;

use super::print;
use crate::app::App;
use crate::domain::customer::{CustomerDetail, TimelineCursor};
use crate::domain::money::{Currency, Money};
use crate::error::Result;

#[derive(Subcommand, Debug)]
pub enum CustomersCommand {
    /// A customer's profile and figures: orders, open orders, lifetime spend, returns, store
    /// credit. CUSTOMER is an id or an e-mail address.
    Show { customer: String },
    /// A customer's timeline, newest first: every event of their orders and their store credit.
    Timeline {
        customer: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Start after this position (the `next` of the previous page).
        #[arg(long)]
        before: Option<String>,
    },
}

pub async fn run(app: &App, json: bool, cmd: CustomersCommand) -> Result<()> {
    match cmd {
        CustomersCommand::Show { customer } => {
            let id = app.customer_id(&customer).await?;
            let d = app.customer_detail(id).await?;
            print(json, &d, || detail_text(&d))
        }
        CustomersCommand::Timeline {
            customer,
            limit,
            before,
        } => {
            let id = app.customer_id(&customer).await?;
            let before = before
                .as_deref()
                .map(|b| TimelineCursor::parse(b, "before"))
                .transpose()?;
            let page = app.customer_timeline(id, before, limit).await?;
            print(json, &page, || {
                let mut t = String::new();
                for e in &page.entries {
                    t.push_str(&format!(
                        "{} {:<8} {:<20} {}{}\n",
                        e.at.format("%Y-%m-%d %H:%M"),
                        e.order_number.as_deref().unwrap_or("-"),
                        e.kind,
                        e.summary,
                        if e.actor.is_empty() {
                            String::new()
                        } else {
                            format!(" — {}", e.actor)
                        }
                    ));
                }
                match &page.next {
                    Some(n) => t.push_str(&format!("More: --before {}", n.token())),
                    None => t.push_str(&format!("{} entries", page.entries.len())),
                }
                t
            })
        }
    }
}

fn money(amount: i64, currency: &str) -> String {
    match Currency::parse(currency, "currency") {
        Ok(c) => Money::new(amount, c).display(),
        Err(_) => format!("{amount} {currency}"),
    }
}

fn detail_text(d: &CustomerDetail) -> String {
    let mut t = format!("{} ({})", d.name, d.id);
    if let Some(e) = &d.email {
        t.push_str(&format!("\nE-mail: {e}"));
    }
    if let Some(p) = &d.phone {
        t.push_str(&format!("\nPhone: {p}"));
    }
    for a in &d.addresses {
        t.push_str(&format!(
            "\nAddress: {}, {}, {} {} {}",
            a.line1, a.city, a.region, a.postal_code, a.country
        ));
    }
    let spend: Vec<String> = d
        .lifetime_spend
        .iter()
        .map(|s| money(s.amount, &s.currency))
        .collect();
    t.push_str(&format!(
        "\nOrders: {} ({} open), last {}\nLifetime spend: {}\nReturns: {}\nStore credit: {}",
        d.order_count,
        d.open_orders,
        d.last_order_at
            .map(|a| a.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "never".into()),
        if spend.is_empty() {
            "nothing yet".to_owned()
        } else {
            spend.join(", ")
        },
        d.return_count,
        money(d.store_credit, &d.store_credit_currency)
    ));
    t
}
