//! Customer e-mails as pure data: what kinds the shop sends, the outbox row as listed, and the
//! templates that turn an order into a subject, a plain-text body and a simple HTML body. No I/O,
//! no clock: every time a template shows is passed in.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::money::{Currency, Money};
use super::order::OrderDetail;
use crate::error::{Error, Result};

/// An e-mail about an order, with what only the caller knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderMail {
    /// The order was received (queued by the mail dispatcher, not by capture).
    Confirmation,
    /// A shipment left, with its tracking.
    Shipped {
        carrier: String,
        service: String,
        tracking_number: String,
        tracking_url: Option<String>,
    },
    /// A pick-up order is waiting at a store.
    ReadyForPickup {
        store_name: String,
        store_address: String,
        hold_until: DateTime<Utc>,
    },
}

impl OrderMail {
    pub fn kind(&self) -> MailKind {
        match self {
            OrderMail::Confirmation => MailKind::OrderConfirmation,
            OrderMail::Shipped { .. } => MailKind::Shipped,
            OrderMail::ReadyForPickup { .. } => MailKind::ReadyForPickup,
        }
    }
}

/// What an outbox row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    OrderConfirmation,
    Shipped,
    ReadyForPickup,
    /// A dropship purchase order to a supplier, with the PDF attached.
    PurchaseOrder,
    /// A customer's return label (ship-back), with the PDF attached.
    ReturnLabel,
    Test,
}

impl MailKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            MailKind::OrderConfirmation => "order_confirmation",
            MailKind::Shipped => "shipped",
            MailKind::ReadyForPickup => "ready_for_pickup",
            MailKind::PurchaseOrder => "purchase_order",
            MailKind::ReturnLabel => "return_label",
            MailKind::Test => "test",
        }
    }

    pub fn parse(text: &str, field: &str) -> Result<Self> {
        match text {
            "order_confirmation" => Ok(MailKind::OrderConfirmation),
            "shipped" => Ok(MailKind::Shipped),
            "ready_for_pickup" => Ok(MailKind::ReadyForPickup),
            "purchase_order" => Ok(MailKind::PurchaseOrder),
            "return_label" => Ok(MailKind::ReturnLabel),
            "test" => Ok(MailKind::Test),
            other => Err(Error::invalid(
                field,
                format!(
                    "'{other}' is not an e-mail kind: use order_confirmation, shipped, ready_for_pickup, purchase_order, return_label or test"
                ),
            )),
        }
    }
}

/// Where an outbox row is: waiting (first try or a retry), sent, or given up after the last try.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    Queued,
    Sent,
    Failed,
}

impl MailStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str, field: &str) -> Result<Self> {
        match text {
            "queued" => Ok(MailStatus::Queued),
            "sent" => Ok(MailStatus::Sent),
            "failed" => Ok(MailStatus::Failed),
            other => Err(Error::invalid(
                field,
                format!("'{other}' is not an outbox status: use queued, sent or failed"),
            )),
        }
    }
}

/// One row of the outbox as the Outbox screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxRow {
    pub id: uuid::Uuid,
    pub order_id: Option<uuid::Uuid>,
    /// `SO-10001`, when the mail is about an order.
    pub order_number: Option<String>,
    pub kind: MailKind,
    pub to_address: String,
    pub subject: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A rendered e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// How many tries before a row is marked `failed`.
pub const MAX_ATTEMPTS: i32 = 10;

/// The pause before try `attempts + 1` after `attempts` failures: 30 s, 2 min, 10 min, 1 h, then
/// every 6 h.
pub fn retry_delay(attempts: i32) -> chrono::Duration {
    match attempts {
        i32::MIN..=1 => chrono::Duration::seconds(30),
        2 => chrono::Duration::minutes(2),
        3 => chrono::Duration::minutes(10),
        4 => chrono::Duration::hours(1),
        _ => chrono::Duration::hours(6),
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One line for a header: no line breaks, trimmed.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An amount with its currency's exponent (`12.34 USD`, `500 JPY`); never through a float.
fn money(amount: i64, currency: &str) -> String {
    match Currency::parse(currency, "currency") {
        Ok(c) => Money::new(amount, c).display(),
        Err(_) => format!("{amount} {currency} (minor units)"),
    }
}

/// Plain text and HTML built side by side, so the two always say the same thing.
struct Body {
    text: String,
    html: String,
}

impl Body {
    fn new() -> Self {
        Body {
            text: String::new(),
            html: String::new(),
        }
    }

    fn para(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push_str("\n\n");
        self.html.push_str("<p>");
        self.html.push_str(&escape_html(text).replace('\n', "<br>"));
        self.html.push_str("</p>\n");
    }

    /// A table of (label, value) rows; the text form aligns nothing, it just lists.
    fn table(&mut self, rows: &[(String, String)], bold_last: bool) {
        self.html
            .push_str("<table cellpadding=\"4\" style=\"border-collapse:collapse\">\n");
        for (i, (label, value)) in rows.iter().enumerate() {
            self.text.push_str(&format!("{label}  {value}\n"));
            let (b, eb) = if bold_last && i + 1 == rows.len() {
                ("<strong>", "</strong>")
            } else {
                ("", "")
            };
            self.html.push_str(&format!(
                "<tr><td>{b}{}{eb}</td><td style=\"text-align:right\">{b}{}{eb}</td></tr>\n",
                escape_html(label),
                escape_html(value)
            ));
        }
        self.html.push_str("</table>\n");
        self.text.push('\n');
    }

    fn link(&mut self, label: &str, url: &str) {
        self.text.push_str(&format!("{label}: {url}\n\n"));
        self.html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>\n",
            escape_html(url),
            escape_html(label)
        ));
    }

    fn finish(self, subject: &str) -> (String, String) {
        let html = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family:sans-serif\">\n{}</body></html>\n",
            escape_html(subject),
            self.html
        );
        (self.text.trim_end().to_owned() + "\n", html)
    }
}

fn greeting(order: &OrderDetail) -> String {
    let name = order
        .customer
        .as_ref()
        .map(|c| c.name.clone())
        .or_else(|| order.customer_name.clone())
        .or_else(|| order.ship_to.as_ref().map(|a| a.name.clone()))
        .map(|n| one_line(&n))
        .filter(|n| !n.is_empty());
    match name {
        Some(n) => format!("Hello {n},"),
        None => "Hello,".to_owned(),
    }
}

fn order_table(order: &OrderDetail) -> Vec<(String, String)> {
    let c = order.currency.as_str();
    let mut rows: Vec<(String, String)> = order
        .lines
        .iter()
        .map(|l| {
            (
                format!("{} × {} ({})", l.qty, one_line(&l.name), l.sku),
                money(l.total, c),
            )
        })
        .collect();
    let t = &order.totals;
    rows.push(("Subtotal".into(), money(t.subtotal, c)));
    if t.discount != 0 {
        rows.push(("Discount".into(), money(-t.discount, c)));
    }
    rows.push(("Shipping".into(), money(t.shipping, c)));
    rows.push(("Tax".into(), money(t.tax, c)));
    rows.push(("Total".into(), money(t.total, c)));
    rows
}

/// Renders an order e-mail: subject, plain text and HTML. `shop_name` signs it. Every piece of
/// user text (names, addresses, carrier, tracking) is HTML-escaped in the HTML body.
pub fn render_order_mail(order: &OrderDetail, mail: &OrderMail, shop_name: &str) -> RenderedMail {
    let shop = one_line(shop_name);
    let number = &order.number;
    let mut body = Body::new();
    body.para(&greeting(order));
    let subject = match mail {
        OrderMail::Confirmation => {
            body.para(&format!(
                "Thank you for your order {number}. We have received it and will let you know when it is on its way."
            ));
            body.table(&order_table(order), true);
            if let Some(a) = &order.ship_to {
                body.para(&format!("Shipping to:\n{}", address_lines(a)));
            } else if let Some(store) = &order.pickup_location {
                body.para(&format!(
                    "For pick-up at our store {}: we will e-mail you when it is ready.",
                    one_line(store)
                ));
            }
            format!("Your order {number} is confirmed")
        }
        OrderMail::Shipped {
            carrier,
            service,
            tracking_number,
            tracking_url,
        } => {
            body.para(&format!("Good news: your order {number} has shipped."));
            body.table(
                &[
                    ("Carrier".into(), one_line(carrier)),
                    ("Service".into(), one_line(service)),
                    ("Tracking number".into(), one_line(tracking_number)),
                ],
                false,
            );
            if let Some(url) = tracking_url.as_deref().map(str::trim)
                && (url.starts_with("https://") || url.starts_with("http://"))
            {
                body.link("Track your parcel", url);
            }
            if let Some(a) = &order.ship_to {
                body.para(&format!("Shipping to:\n{}", address_lines(a)));
            }
            format!("Your order {number} has shipped")
        }
        OrderMail::ReadyForPickup {
            store_name,
            store_address,
            hold_until,
        } => {
            body.para(&format!(
                "Your order {number} is ready for pick-up at {}.",
                one_line(store_name)
            ));
            body.para(&format!(
                "Address:\n{}\n\nWe hold it for you until {} (UTC). Please bring your order number {number}.",
                store_address.trim(),
                hold_until.format("%-d %B %Y")
            ));
            body.table(&order_table(order), true);
            format!("Your order {number} is ready for pick-up")
        }
    };
    body.para(&format!("Thank you for shopping with {shop}."));
    let (text, html) = body.finish(&subject);
    RenderedMail {
        subject,
        text,
        html,
    }
}

/// The message "Send test e-mail" sends.
pub fn render_test_mail(shop_name: &str) -> RenderedMail {
    let shop = one_line(shop_name);
    let subject = format!("Test e-mail from {shop}");
    let mut body = Body::new();
    body.para(&format!(
        "This is a test e-mail from Orderly for {shop}. If you can read it, the e-mail settings work."
    ));
    let (text, html) = body.finish(&subject);
    RenderedMail {
        subject,
        text,
        html,
    }
}

fn address_lines(a: &super::address::Address) -> String {
    let mut lines = vec![a.name.clone()];
    lines.extend(a.company.clone());
    lines.push(a.line1.clone());
    lines.extend(a.line2.clone());
    let region = if a.region.is_empty() {
        String::new()
    } else {
        format!(" {}", a.region)
    };
    lines.push(format!("{}{region} {}", a.city, a.postal_code));
    lines.push(a.country.clone());
    lines
        .iter()
        .map(|l| one_line(l))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::address::Address;
    use crate::domain::order::{OrderLine, OrderStatus, Totals};
    use chrono::TimeZone;

    fn order(currency: &str) -> OrderDetail {
        OrderDetail {
            id: uuid::Uuid::nil(),
            seq: 1,
            number: "SO-10001".into(),
            status: OrderStatus::Open,
            channel: "WEB".into(),
            channel_ref: None,
            created_at: Utc.with_ymd_and_hms(2026, 11, 20, 15, 0, 0).unwrap(),
            created_by: "test".into(),
            customer_id: None,
            customer: None,
            customer_name: Some("Ada <Lovelace> & Co".into()),
            ship_to: Some(Address {
                name: "Ada Lovelace".into(),
                line1: "1 <b>Test</b> St".into(),
                city: "Springfield".into(),
                region: "IL".into(),
                postal_code: "62701".into(),
                country: "US".into(),
                ..Default::default()
            }),
            pickup_location: None,
            currency: currency.into(),
            lines: vec![OrderLine {
                line_no: 1,
                product_id: uuid::Uuid::nil(),
                sku: "A".into(),
                name: "Mug \"large\"".into(),
                qty: 2,
                unit_price: 1000,
                discount: 0,
                tax: 0,
                total: 2000,
                backordered: 0,
            }],
            totals: Totals {
                subtotal: 2000,
                discount: 5,
                shipping: 450,
                tax: 0,
                total: 2445,
            },
            tax_rate_bp: 0,
            payments: vec![],
            reservations: vec![],
            attributes: vec![],
            notes: None,
            promised_by: None,
            events: vec![],
            routes: vec![],
        }
    }

    #[test]
    fn confirmation_lists_lines_and_totals_in_minor_units() {
        let m = render_order_mail(&order("USD"), &OrderMail::Confirmation, "Corner\nShop");
        assert_eq!(m.subject, "Your order SO-10001 is confirmed");
        assert!(
            m.text.starts_with("Hello Ada <Lovelace> & Co,"),
            "{}",
            m.text
        );
        assert!(
            m.text.contains("2 × Mug \"large\" (A)  20.00 USD"),
            "{}",
            m.text
        );
        assert!(m.text.contains("Discount  -0.05 USD"), "{}", m.text);
        assert!(m.text.contains("Total  24.45 USD"), "{}", m.text);
        assert!(m.text.contains("Thank you for shopping with Corner Shop."));
        // User text is escaped in HTML, never passed through.
        assert!(
            m.html.contains("Hello Ada &lt;Lovelace&gt; &amp; Co,"),
            "{}",
            m.html
        );
        assert!(m.html.contains("1 &lt;b&gt;Test&lt;/b&gt; St"));
        assert!(!m.html.contains("<b>"));
        let jpy = render_order_mail(&order("JPY"), &OrderMail::Confirmation, "S");
        assert!(jpy.text.contains("Total  2445 JPY"), "{}", jpy.text);
    }

    #[test]
    fn shipped_has_tracking_and_only_web_links() {
        let mut mail = OrderMail::Shipped {
            carrier: "UPS".into(),
            service: "Ground".into(),
            tracking_number: "1Z999AA10123456784".into(),
            tracking_url: Some("https://www.ups.com/track?tracknum=1Z999AA10123456784&x=1".into()),
        };
        let m = render_order_mail(&order("USD"), &mail, "Shop");
        assert_eq!(m.subject, "Your order SO-10001 has shipped");
        assert!(m.text.contains("Tracking number  1Z999AA10123456784"));
        assert!(m.text.contains(
            "Track your parcel: https://www.ups.com/track?tracknum=1Z999AA10123456784&x=1"
        ));
        assert!(
            m.html
                .contains("href=\"https://www.ups.com/track?tracknum=1Z999AA10123456784&amp;x=1\"")
        );
        if let OrderMail::Shipped { tracking_url, .. } = &mut mail {
            *tracking_url = Some("javascript:alert(1)".into());
        }
        let m = render_order_mail(&order("USD"), &mail, "Shop");
        assert!(!m.html.contains("javascript"));
        assert!(!m.text.contains("Track your parcel"));
    }

    #[test]
    fn ready_for_pickup_says_where_and_until_when() {
        let m = render_order_mail(
            &order("EUR"),
            &OrderMail::ReadyForPickup {
                store_name: "Main Street store".into(),
                store_address: "5 Main St\nSpringfield".into(),
                hold_until: Utc.with_ymd_and_hms(2026, 12, 4, 18, 0, 0).unwrap(),
            },
            "Shop",
        );
        assert_eq!(m.subject, "Your order SO-10001 is ready for pick-up");
        assert!(m.text.contains("ready for pick-up at Main Street store."));
        assert!(m.text.contains("until 4 December 2026"), "{}", m.text);
        assert!(m.html.contains("5 Main St<br>Springfield"), "{}", m.html);
    }

    #[test]
    fn retries_back_off_then_settle_every_six_hours() {
        let s = |a| retry_delay(a).num_seconds();
        assert_eq!(
            [s(1), s(2), s(3), s(4), s(5), s(9)],
            [30, 120, 600, 3600, 21600, 21600]
        );
        for k in [
            MailKind::OrderConfirmation,
            MailKind::Shipped,
            MailKind::ReadyForPickup,
            MailKind::Test,
        ] {
            assert_eq!(MailKind::parse(k.as_str(), "k").unwrap(), k);
        }
        assert!(MailStatus::parse("lost", "status").is_err());
    }
}
