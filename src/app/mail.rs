//! Customer e-mails: the SMTP settings, queuing order mails into the outbox inside a use case's
//! own transaction (no network I/O there), and the dispatcher that queues order confirmations and
//! sends due rows over SMTP with retries, so a mail outage never blocks an order.
//!
//! Sending is at-least-once: a row is claimed for [`CLAIM_FOR`] before it is sent and marked
//! afterwards; if the process dies in between, the claim runs out and the row is sent again.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{App, KEY_BUSINESS_NAME};
use crate::db::{self, Tx};
use crate::domain::catalog::CustomerDraft;
use crate::domain::ids::new_id;
use crate::domain::mail::{
    MAX_ATTEMPTS, MailKind, MailStatus, OrderMail, OutboxRow, render_order_mail, render_test_mail,
    retry_delay,
};
use crate::domain::order::OrderDetail;
use crate::error::{Error, Result};

const KEY_MAIL: &str = "mail_settings";
const KEY_MAIL_PASSWORD: &str = "mail_password";
const KEY_WATERMARK: &str = "mail_confirmation_watermark";

/// How long a claimed row is kept from other senders.
pub const CLAIM_FOR: chrono::Duration = chrono::Duration::minutes(5);
/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Orders younger than this keep the confirmation watermark below them: on PostgreSQL a lower
/// `seq` can commit after a higher one, and must not be skipped.
const WATERMARK_GRACE: chrono::Duration = chrono::Duration::seconds(120);
/// Orders looked at per dispatcher pass.
const CONFIRMATION_BATCH: i64 = 500;
/// How often the dispatcher wakes up.
const DISPATCH_EVERY: Duration = Duration::from_secs(5);

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MailTls {
    /// Plain text (a local relay only).
    None,
    /// Plain connection upgraded with STARTTLS (usually port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl MailTls {
    pub fn as_str(&self) -> &'static str {
        match self {
            MailTls::None => "none",
            MailTls::Starttls => "starttls",
            MailTls::Tls => "tls",
        }
    }

    pub fn parse(text: &str, field: &str) -> Result<Self> {
        match text {
            "none" => Ok(MailTls::None),
            "starttls" => Ok(MailTls::Starttls),
            "tls" => Ok(MailTls::Tls),
            other => Err(Error::invalid(
                field,
                format!("'{other}' is not a TLS mode: use none, starttls or tls"),
            )),
        }
    }
}

/// The e-mail settings. The password is write-only: reading gives `password: None` and
/// `password_set`; saving with `password: None` keeps the stored one, `Some("")` removes it and
/// `Some(p)` replaces it. It is kept in the database's `settings` table, never in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    pub enabled: bool,
    pub host: String,
    pub port: i64,
    pub tls: MailTls,
    pub username: Option<String>,
    #[serde(skip_serializing, default)]
    pub password: Option<String>,
    #[serde(default)]
    pub password_set: bool,
    pub from_address: String,
    pub from_name: String,
    /// Signs the e-mails ("Thank you for shopping with …"); empty means the business name.
    pub shop_name: String,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            enabled: false,
            host: String::new(),
            port: 587,
            tls: MailTls::Starttls,
            username: None,
            password: None,
            password_set: false,
            from_address: String::new(),
            from_name: String::new(),
            shop_name: String::new(),
        }
    }
}

/// What one run of [`App::send_due_mail`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SendReport {
    pub sent: usize,
    /// Failed and scheduled again.
    pub retried: usize,
    /// Failed for the last time.
    pub failed: usize,
}

/// What "Send test e-mail" came to: `ok`, or the SMTP error in `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestMailOutcome {
    pub ok: bool,
    pub message: String,
}

/// The stored part of the settings (no password, not `password_set`).
#[derive(Serialize, Deserialize)]
struct Stored {
    enabled: bool,
    host: String,
    port: i64,
    tls: MailTls,
    username: Option<String>,
    from_address: String,
    from_name: String,
    shop_name: String,
}

/// Settings with the password, for sending.
struct Loaded {
    settings: MailSettings,
    password: Option<String>,
    shop_name: String,
}

async fn load(ex: &mut impl db::Executes) -> Result<Loaded> {
    let stored: Option<Stored> =
        match db::settings::get(ex, KEY_MAIL).await? {
            Some(text) => Some(serde_json::from_str(&text).map_err(|e| {
                Error::Internal(format!("stored e-mail settings are unreadable: {e}"))
            })?),
            None => None,
        };
    let password = db::settings::get(ex, KEY_MAIL_PASSWORD).await?;
    let business = db::settings::get(ex, KEY_BUSINESS_NAME)
        .await?
        .unwrap_or_else(|| "My Shop".into());
    let settings = match stored {
        Some(s) => MailSettings {
            enabled: s.enabled,
            host: s.host,
            port: s.port,
            tls: s.tls,
            username: s.username,
            password: None,
            password_set: password.is_some(),
            from_address: s.from_address,
            from_name: s.from_name,
            shop_name: s.shop_name,
        },
        None => MailSettings::default(),
    };
    let shop_name = if settings.shop_name.trim().is_empty() {
        business
    } else {
        settings.shop_name.clone()
    };
    Ok(Loaded {
        settings,
        password,
        shop_name,
    })
}

/// Checks an e-mail address the way customer addresses are checked; lower-cased.
fn check_email(text: &str, field: &str) -> Result<String> {
    let draft = CustomerDraft {
        name: "x".into(),
        email: Some(text.to_owned()),
        ..Default::default()
    }
    .validate("")
    .map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid(field, message),
        other => other,
    })?;
    draft
        .email
        .ok_or_else(|| Error::invalid(field, "The e-mail address is empty: enter one"))
}

/// Trims and checks the settings; field names are `mail.<camelCase>`.
fn validate(s: MailSettings) -> Result<MailSettings> {
    let host = s.host.trim().to_owned();
    if host.chars().any(char::is_whitespace) || host.contains('/') {
        return Err(Error::invalid(
            "mail.host",
            format!(
                "'{host}' is not a server name: give a host such as smtp.example.com, without spaces or slashes"
            ),
        ));
    }
    if s.enabled && host.is_empty() {
        return Err(Error::invalid(
            "mail.host",
            "The SMTP server is empty: enter its host name (such as smtp.example.com) or switch e-mail off",
        ));
    }
    if !(1..=65535).contains(&s.port) {
        return Err(Error::invalid(
            "mail.port",
            format!(
                "{} is not a port: use 1 to 65535 (usually 587 for STARTTLS, 465 for TLS, 25 for none)",
                s.port
            ),
        ));
    }
    let from_address = match s.from_address.trim() {
        "" if s.enabled => {
            return Err(Error::invalid(
                "mail.fromAddress",
                "The sender address is empty: enter the address customers see e-mails come from",
            ));
        }
        "" => String::new(),
        a => check_email(a, "mail.fromAddress")?,
    };
    let one_line = |t: &str, field: &str, what: &str| -> Result<String> {
        let t = t.trim();
        if t.contains(['\r', '\n']) || t.chars().count() > 200 {
            return Err(Error::invalid(
                field,
                format!("The {what} must be one line of at most 200 characters"),
            ));
        }
        Ok(t.to_owned())
    };
    let username = s
        .username
        .as_deref()
        .map(|u| one_line(u, "mail.username", "user name"))
        .transpose()?
        .filter(|u| !u.is_empty());
    if let Some(p) = &s.password
        && p.contains(['\r', '\n'])
    {
        return Err(Error::invalid(
            "mail.password",
            "The password must not contain line breaks",
        ));
    }
    Ok(MailSettings {
        enabled: s.enabled,
        host,
        port: s.port,
        tls: s.tls,
        username,
        password: s.password,
        password_set: false,
        from_address,
        from_name: one_line(&s.from_name, "mail.fromName", "sender name")?,
        shop_name: one_line(&s.shop_name, "mail.shopName", "shop name")?,
    })
}

/// The customer's e-mail address of an order, if any (looked up when the caller did not fill in
/// the customer).
async fn recipient(tx: &mut Tx, order: &OrderDetail) -> Result<Option<String>> {
    let email = match (&order.customer, order.customer_id) {
        (Some(c), _) => c.email.clone(),
        (None, Some(id)) => db::catalog::customer_by_id(tx, id)
            .await?
            .and_then(|c| c.email),
        (None, None) => None,
    };
    Ok(email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty()))
}

/// Queues one e-mail about `order` in the caller's write transaction: rendered now, sent later by
/// the dispatcher. Returns `false`, writing nothing, when e-mail is switched off, the customer has
/// no e-mail address, or `dedupe_key` (e.g. `shipped:<shipment id>`) was queued before — so a
/// retried use case never queues twice. Does no network I/O.
pub async fn queue_order_mail(
    tx: &mut Tx,
    order: &OrderDetail,
    mail: &OrderMail,
    dedupe_key: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let loaded = load(tx).await?;
    if !loaded.settings.enabled {
        return Ok(false);
    }
    queue_with(tx, order, mail, dedupe_key, now, &loaded.shop_name).await
}

/// Queues an e-mail to a supplier (a dropship purchase order) with a PDF attached, in the
/// caller's transaction. `false`, writing nothing, when e-mail is off or the key was queued before.
#[allow(clippy::too_many_arguments)]
pub async fn queue_supplier_mail(
    tx: &mut Tx,
    order_id: Uuid,
    to: &str,
    subject: &str,
    text: &str,
    attachment: (&str, &[u8]),
    dedupe_key: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    queue_attachment_mail(
        tx,
        MailKind::PurchaseOrder,
        order_id,
        to,
        subject,
        text,
        attachment,
        dedupe_key,
        now,
    )
    .await
}

/// Queues an e-mail of `kind` about an order with a file attached (a supplier's purchase order,
/// a customer's return label), in the caller's transaction. `false`, writing nothing, when e-mail
/// is off or the key was queued before.
#[allow(clippy::too_many_arguments)]
pub async fn queue_attachment_mail(
    tx: &mut Tx,
    kind: MailKind,
    order_id: Uuid,
    to: &str,
    subject: &str,
    text: &str,
    attachment: (&str, &[u8]),
    dedupe_key: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let loaded = load(tx).await?;
    if !loaded.settings.enabled || db::outbox::exists(tx, dedupe_key).await? {
        return Ok(false);
    }
    db::outbox::insert(
        tx,
        &db::outbox::NewMail {
            id: new_id(),
            dedupe_key,
            order_id: Some(order_id),
            kind,
            to_address: to,
            subject,
            body_text: text,
            body_html: None,
            attachment: Some(attachment),
            now,
        },
    )
    .await
}

async fn queue_with(
    tx: &mut Tx,
    order: &OrderDetail,
    mail: &OrderMail,
    dedupe_key: &str,
    now: DateTime<Utc>,
    shop_name: &str,
) -> Result<bool> {
    let Some(to) = recipient(tx, order).await? else {
        return Ok(false);
    };
    if db::outbox::exists(tx, dedupe_key).await? {
        return Ok(false);
    }
    let r = render_order_mail(order, mail, shop_name);
    let queued = db::outbox::insert(
        tx,
        &db::outbox::NewMail {
            id: new_id(),
            dedupe_key,
            order_id: Some(order.id),
            kind: mail.kind(),
            to_address: &to,
            subject: &r.subject,
            body_text: &r.text,
            body_html: Some(&r.html),
            attachment: None,
            now,
        },
    )
    .await?;
    if queued {
        tracing::debug!(order = %order.number, kind = mail.kind().as_str(), "e-mail queued");
    }
    Ok(queued)
}

/// An SMTP transport and sender built from the settings.
struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    fn new(loaded: &Loaded) -> std::result::Result<Smtp, String> {
        let s = &loaded.settings;
        if s.host.is_empty() {
            return Err("no SMTP server is set: enter one in Settings → E-mail".into());
        }
        let port = u16::try_from(s.port).map_err(|_| format!("{} is not a port", s.port))?;
        let builder = match s.tls {
            MailTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host),
            MailTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)
                .map_err(|e| format!("cannot set up STARTTLS for {}: {e}", s.host))?,
            MailTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)
                .map_err(|e| format!("cannot set up TLS for {}: {e}", s.host))?,
        };
        let mut builder = builder.port(port).timeout(Some(SMTP_TIMEOUT));
        if let Some(user) = &s.username {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                loaded.password.clone().unwrap_or_default(),
            ));
        }
        let address = s
            .from_address
            .parse()
            .map_err(|e| format!("the sender address '{}' is not usable: {e}", s.from_address))?;
        let name = if s.from_name.is_empty() {
            loaded.shop_name.clone()
        } else {
            s.from_name.clone()
        };
        Ok(Smtp {
            transport: builder.build(),
            from: Mailbox::new(Some(name), address),
        })
    }

    /// Sends one message; the error is the text to record and show.
    async fn send(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        html: Option<&str>,
    ) -> std::result::Result<(), String> {
        self.send_with(to, subject, text, html, None).await
    }

    /// Sends one message with an optional PDF attached.
    async fn send_with(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        html: Option<&str>,
        attachment: Option<(&str, &[u8])>,
    ) -> std::result::Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| format!("the recipient '{to}' is not usable: {e}"))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject);
        let message = match (html, attachment) {
            (_, Some((name, bytes))) => {
                let pdf = lettre::message::header::ContentType::parse("application/pdf")
                    .map_err(|e| format!("the attachment type is not usable: {e}"))?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(lettre::message::SinglePart::plain(text.to_owned()))
                        .singlepart(
                            lettre::message::Attachment::new(name.to_owned())
                                .body(bytes.to_vec(), pdf),
                        ),
                )
            }
            (Some(h), None) => builder.multipart(MultiPart::alternative_plain_html(
                text.to_owned(),
                h.to_owned(),
            )),
            (None, None) => builder.body(text.to_owned()),
        }
        .map_err(|e| format!("the message could not be built: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| smtp_error_text(&e))
    }
}

/// The error of a send as one readable line, with the causes lettre wraps.
fn smtp_error_text(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

impl App {
    /// The e-mail settings (the password is never returned, only whether one is set).
    pub async fn mail_settings(&self) -> Result<MailSettings> {
        let mut c = self.db.read().await?;
        Ok(load(&mut c).await?.settings)
    }

    /// Checks and saves the e-mail settings. When e-mail is switched on, orders taken so far are
    /// not confirmed by mail: only orders after this moment are.
    pub async fn save_mail_settings(&self, s: MailSettings) -> Result<MailSettings> {
        let s = validate(s)?;
        let stored = serde_json::to_string(&Stored {
            enabled: s.enabled,
            host: s.host.clone(),
            port: s.port,
            tls: s.tls,
            username: s.username.clone(),
            from_address: s.from_address.clone(),
            from_name: s.from_name.clone(),
            shop_name: s.shop_name.clone(),
        })
        .map_err(|e| Error::Internal(e.to_string()))?;
        let switched_on = db::write!(self.db, |tx| {
            let before = load(tx).await?.settings.enabled;
            db::settings::set(tx, KEY_MAIL, &stored).await?;
            match s.password.as_deref() {
                None => {}
                Some("") => db::settings::delete(tx, KEY_MAIL_PASSWORD).await?,
                Some(p) => db::settings::set(tx, KEY_MAIL_PASSWORD, p).await?,
            }
            let switched_on = s.enabled && !before;
            if switched_on {
                let top = db::outbox::max_order_seq(tx).await?;
                db::settings::set(tx, KEY_WATERMARK, &top.to_string()).await?;
            }
            Ok(switched_on)
        })?;
        tracing::info!(
            enabled = s.enabled,
            host = %s.host,
            port = s.port,
            tls = s.tls.as_str(),
            switched_on,
            "e-mail settings saved"
        );
        self.mail_settings().await
    }

    /// Queues a confirmation for each new order whose customer has an e-mail address (dedupe key
    /// `confirmation:<order id>`), and moves the watermark past them in the same transaction.
    /// Capture itself never touches the outbox. Returns how many were queued.
    pub async fn queue_confirmations(&self) -> Result<usize> {
        let now = self.now();
        db::write!(self.db, |tx| {
            let loaded = load(tx).await?;
            if !loaded.settings.enabled {
                return Ok(0);
            }
            let watermark = match db::settings::get(tx, KEY_WATERMARK).await? {
                Some(w) => w.parse::<i64>().map_err(|e| {
                    Error::Internal(format!("stored e-mail watermark is unreadable: {e}"))
                })?,
                None => {
                    let top = db::outbox::max_order_seq(tx).await?;
                    db::settings::set(tx, KEY_WATERMARK, &top.to_string()).await?;
                    return Ok(0);
                }
            };
            let orders = db::outbox::orders_after(tx, watermark, CONFIRMATION_BATCH).await?;
            let mut queued = 0;
            let mut advance_to = watermark;
            let mut settled = true;
            for o in orders {
                if o.has_email {
                    let key = format!("confirmation:{}", o.id);
                    if !db::outbox::exists(tx, &key).await?
                        && let Some(order) = db::orders::load_order(tx, o.id).await?
                        && queue_with(
                            tx,
                            &order,
                            &OrderMail::Confirmation,
                            &key,
                            now,
                            &loaded.shop_name,
                        )
                        .await?
                    {
                        queued += 1;
                    }
                }
                // A young order keeps the watermark below it (a lower seq may still commit).
                settled &= o.created_at <= now - WATERMARK_GRACE;
                if settled {
                    advance_to = o.seq;
                }
            }
            if advance_to != watermark {
                db::settings::set(tx, KEY_WATERMARK, &advance_to.to_string()).await?;
            }
            Ok(queued)
        })
    }

    /// Sends up to `max` due rows over SMTP: each is marked sent, or scheduled again with growing
    /// pauses (30 s, 2 min, 10 min, 1 h, then every 6 h) and the error, and after
    /// [`MAX_ATTEMPTS`] failures marked failed. Sent and finally failed mails of an order go on its
    /// timeline. Nothing is sent while e-mail is switched off.
    pub async fn send_due_mail(&self, max: usize) -> Result<SendReport> {
        let mut report = SendReport::default();
        let loaded = {
            let mut c = self.db.read().await?;
            load(&mut c).await?
        };
        if !loaded.settings.enabled || max == 0 {
            return Ok(report);
        }
        let now = self.now();
        let claimed = db::write!(self.db, |tx| {
            db::outbox::claim_due(tx, now, now + CLAIM_FOR, max).await
        })?;
        if claimed.is_empty() {
            return Ok(report);
        }
        let smtp = Smtp::new(&loaded);
        for row in claimed {
            let outcome = match &smtp {
                Ok(smtp) => {
                    let attachment = match (&row.attachment_name, &row.attachment) {
                        (Some(n), Some(b)) => Some((n.as_str(), b.as_slice())),
                        _ => None,
                    };
                    smtp.send_with(
                        &row.to_address,
                        &row.subject,
                        &row.body_text,
                        row.body_html.as_deref(),
                        attachment,
                    )
                    .await
                }
                Err(e) => Err(e.clone()),
            };
            let done = self.now();
            let attempts = row.attempts.saturating_add(1);
            let result = match &outcome {
                Ok(()) => {
                    report.sent += 1;
                    tracing::info!(id = %row.id, to = %row.to_address, kind = %row.kind, "e-mail sent");
                    self.record(&row, attempts, None, done).await
                }
                Err(error) if attempts >= MAX_ATTEMPTS => {
                    report.failed += 1;
                    tracing::warn!(id = %row.id, to = %row.to_address, attempts, %error, "e-mail failed for the last time");
                    self.record(&row, attempts, Some((error, None)), done).await
                }
                Err(error) => {
                    report.retried += 1;
                    let next = done + retry_delay(attempts);
                    tracing::warn!(id = %row.id, to = %row.to_address, attempts, %next, %error, "e-mail not sent; will retry");
                    self.record(&row, attempts, Some((error, Some(next))), done)
                        .await
                }
            };
            result?;
        }
        Ok(report)
    }

    /// Writes a try's outcome (and the timeline event of a sent or finally failed order mail).
    async fn record(
        &self,
        row: &db::outbox::DueMail,
        attempts: i32,
        failure: Option<(&String, Option<DateTime<Utc>>)>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        db::write!(self.db, |tx| {
            let event = match failure {
                None => {
                    db::outbox::mark_sent(tx, row.id, attempts, now).await?;
                    Some((
                        "email_sent",
                        format!("E-mail sent to {}: {}", row.to_address, row.subject),
                        None,
                    ))
                }
                Some((error, next)) => {
                    db::outbox::mark_failure(tx, row.id, attempts, next, error).await?;
                    next.is_none().then(|| {
                        (
                            "email_failed",
                            format!(
                                "E-mail to {} failed after {attempts} tries: {}",
                                row.to_address, row.subject
                            ),
                            Some(error.as_str()),
                        )
                    })
                }
            };
            if let (Some(order_id), Some((kind, summary, error))) = (row.order_id, event) {
                let details = serde_json::json!({
                    "outboxId": row.id.to_string(),
                    "kind": row.kind,
                    "to": row.to_address,
                    "subject": row.subject,
                    "attempts": attempts,
                    "error": error,
                });
                db::orders::insert_event(tx, order_id, kind, "system", now, &summary, &details)
                    .await?;
            }
            Ok(())
        })
    }

    /// The newest outbox rows, optionally of one status (at most 500).
    pub async fn outbox(&self, status: Option<MailStatus>, limit: i64) -> Result<Vec<OutboxRow>> {
        let mut c = self.db.read().await?;
        db::outbox::list(&mut c, status, limit.clamp(1, 500)).await
    }

    /// Makes a queued or failed row due now (the Retry button); the attempt count carries on.
    pub async fn retry_mail(&self, id: Uuid) -> Result<OutboxRow> {
        let now = self.now();
        let changed = db::write!(self.db, |tx| db::outbox::make_due(tx, id, now).await)?;
        let mut c = self.db.read().await?;
        let row = db::outbox::get(&mut c, id)
            .await?
            .ok_or_else(|| Error::not_found("e-mail", id.to_string()))?;
        if !changed {
            return Err(Error::conflict(
                "id",
                format!(
                    "The e-mail to {} was sent already: there is nothing to retry",
                    row.to_address
                ),
            ));
        }
        Ok(row)
    }

    /// Sends a test e-mail to `to` right away with the saved settings (even while e-mail is
    /// switched off) and says what the server answered. The try is kept in the outbox as a `test`
    /// row.
    pub async fn send_test_mail(&self, to: &str) -> Result<TestMailOutcome> {
        let to = check_email(to.trim(), "to")?;
        let loaded = {
            let mut c = self.db.read().await?;
            load(&mut c).await?
        };
        let r = render_test_mail(&loaded.shop_name);
        let outcome = match Smtp::new(&loaded) {
            Ok(smtp) => smtp.send(&to, &r.subject, &r.text, Some(&r.html)).await,
            Err(e) => Err(e),
        };
        let now = self.now();
        let id = new_id();
        let key = format!("test:{id}");
        db::write!(self.db, |tx| {
            db::outbox::insert(
                tx,
                &db::outbox::NewMail {
                    id,
                    dedupe_key: &key,
                    order_id: None,
                    kind: MailKind::Test,
                    to_address: &to,
                    subject: &r.subject,
                    body_text: &r.text,
                    body_html: Some(&r.html),
                    attachment: None,
                    now,
                },
            )
            .await?;
            match &outcome {
                Ok(()) => db::outbox::mark_sent(tx, id, 1, now).await,
                Err(e) => db::outbox::mark_failure(tx, id, 1, None, e).await,
            }
        })?;
        Ok(match outcome {
            Ok(()) => {
                tracing::info!(%to, "test e-mail sent");
                TestMailOutcome {
                    ok: true,
                    message: format!("Test e-mail sent to {to}."),
                }
            }
            Err(e) => {
                tracing::warn!(%to, error = %e, "test e-mail failed");
                TestMailOutcome {
                    ok: false,
                    message: format!(
                        "The test e-mail to {to} was not sent: {e}. Check the server, port, TLS mode, user and password."
                    ),
                }
            }
        })
    }

    /// One pass of the dispatcher: queue confirmations, then send what is due.
    pub async fn dispatch_mail_once(&self) -> Result<SendReport> {
        self.queue_confirmations().await?;
        self.send_due_mail(50).await
    }

    /// Starts the background dispatcher: every few seconds it queues confirmations and sends due
    /// mail. Errors are logged and the loop goes on; it ends when the database is closed
    /// ([`App::close`]) or the task is aborted.
    pub fn spawn_mail_dispatcher(&self) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            tracing::info!("e-mail dispatcher started");
            loop {
                match app.dispatch_mail_once().await {
                    Ok(r) if r.sent + r.retried + r.failed > 0 => {
                        tracing::info!(
                            sent = r.sent,
                            retried = r.retried,
                            failed = r.failed,
                            "e-mail dispatch"
                        )
                    }
                    Ok(_) => {}
                    Err(Error::Database(sqlx::Error::PoolClosed)) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "e-mail dispatch failed; trying again shortly")
                    }
                }
                tokio::time::sleep(DISPATCH_EVERY).await;
            }
            tracing::info!("e-mail dispatcher stopped");
        })
    }
}
