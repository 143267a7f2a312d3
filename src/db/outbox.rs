//! The customer e-mail outbox (`mail_outbox`): queuing rows idempotently by dedupe key, claiming
//! due rows so two desktops on one PostgreSQL never send the same row, recording each try's
//! outcome, listing, and finding orders that still need a confirmation.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executes, Tx, on_conn};
use crate::domain::ids::order_number;
use crate::domain::mail::{MailKind, MailStatus, OutboxRow};
use crate::error::{Error, Result};

/// A row to queue.
pub struct NewMail<'a> {
    pub id: Uuid,
    pub dedupe_key: &'a str,
    pub order_id: Option<Uuid>,
    pub kind: MailKind,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: Option<&'a str>,
    /// A file sent with the message: (file name, PDF bytes).
    pub attachment: Option<(&'a str, &'a [u8])>,
    pub now: DateTime<Utc>,
}

/// Queues a row, due now; `false` (and nothing written) when the dedupe key is already queued.
pub async fn insert(ex: &mut impl Executes, m: &NewMail<'_>) -> Result<bool> {
    let n = on_conn!(ex, |c| {
        sqlx::query(
        "INSERT INTO mail_outbox (id, dedupe_key, order_id, kind, to_address, subject, body_text, body_html, \
         status, attempts, next_attempt_at, created_at, attachment_name, attachment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', 0, $9, $9, $10, $11) ON CONFLICT (dedupe_key) DO NOTHING"
    )
    .bind(m.id)
    .bind(m.dedupe_key)
    .bind(m.order_id)
    .bind(m.kind.as_str())
    .bind(m.to_address)
    .bind(m.subject)
    .bind(m.body_text)
    .bind(m.body_html)
    .bind(m.now)
    .bind(m.attachment.map(|a| a.0))
    .bind(m.attachment.map(|a| a.1))
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(n == 1)
}

/// Whether a row with this dedupe key exists (in any status).
pub async fn exists(ex: &mut impl Executes, dedupe_key: &str) -> Result<bool> {
    let row: Option<(i32,)> = on_conn!(ex, |c| sqlx::query_as(
        "SELECT 1 FROM mail_outbox WHERE dedupe_key = $1"
    )
    .bind(dedupe_key)
    .fetch_optional(&mut *c)
    .await?);
    Ok(row.is_some())
}

/// A claimed row, with what is needed to send it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueMail {
    pub id: Uuid,
    pub order_id: Option<Uuid>,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub attempts: i32,
    pub attachment_name: Option<String>,
    pub attachment: Option<Vec<u8>>,
}

const DUE_SQLITE: &str = "SELECT id, order_id, kind, to_address, subject, body_text, body_html, attempts, \
     attachment_name, attachment FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= $1 \
     AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY next_attempt_at, id LIMIT $2";
/// On PostgreSQL a row another desktop is claiming is skipped, not waited for.
const DUE_POSTGRES: &str = "SELECT id, order_id, kind, to_address, subject, body_text, body_html, attempts, \
     attachment_name, attachment FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= $1 \
     AND (claimed_until IS NULL OR claimed_until <= $1) ORDER BY next_attempt_at, id LIMIT $2 \
     FOR UPDATE SKIP LOCKED";

/// Claims up to `max` due rows until `until`: nobody else takes them before then, and if this
/// process dies while sending, they become due again after it. Run in its own short transaction
/// (SQLite serialises writers; PostgreSQL skips rows locked by another claimer).
pub async fn claim_due(
    tx: &mut Tx,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    max: usize,
) -> Result<Vec<DueMail>> {
    let sql = if tx.postgres().is_some() {
        DUE_POSTGRES
    } else {
        DUE_SQLITE
    };
    let limit = i64::try_from(max).unwrap_or(i64::MAX);
    let rows: Vec<DueMail> = on_conn!(tx, |c| sqlx::query_as(sql)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?);
    for r in &rows {
        on_conn!(tx, |c| sqlx::query(
            "UPDATE mail_outbox SET claimed_until = $2 WHERE id = $1"
        )
        .bind(r.id)
        .bind(until)
        .execute(&mut *c)
        .await?
        .rows_affected());
    }
    Ok(rows)
}

/// Records a successful send.
pub async fn mark_sent(
    ex: &mut impl Executes,
    id: Uuid,
    attempts: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE mail_outbox SET status = 'sent', attempts = $2, sent_at = $3, claimed_until = NULL, \
         last_error = NULL WHERE id = $1"
    )
    .bind(id)
    .bind(attempts)
    .bind(now)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

/// Records a failed try: `queued` again at `next` (a retry), or `failed` when `next` is `None`.
pub async fn mark_failure(
    ex: &mut impl Executes,
    id: Uuid,
    attempts: i32,
    next: Option<DateTime<Utc>>,
    error: &str,
) -> Result<()> {
    let status = match next {
        Some(_) => MailStatus::Queued,
        None => MailStatus::Failed,
    };
    on_conn!(ex, |c| {
        sqlx::query(
        "UPDATE mail_outbox SET status = $2, attempts = $3, next_attempt_at = COALESCE($4, next_attempt_at), \
         last_error = $5, claimed_until = NULL WHERE id = $1"
    )
    .bind(id)
    .bind(status.as_str())
    .bind(attempts)
    .bind(next)
    .bind(error)
    .execute(&mut *c)
    .await?
    .rows_affected()
    });
    Ok(())
}

/// Makes a queued or failed row due at `now` (the Retry button); `false` if there is no such row
/// or it was sent already.
pub async fn make_due(ex: &mut impl Executes, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let n = on_conn!(ex, |c| sqlx::query(
        "UPDATE mail_outbox SET status = 'queued', next_attempt_at = $2, claimed_until = NULL \
         WHERE id = $1 AND status <> 'sent'"
    )
    .bind(id)
    .bind(now)
    .execute(&mut *c)
    .await?
    .rows_affected());
    Ok(n == 1)
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    order_id: Option<Uuid>,
    order_seq: Option<i64>,
    kind: String,
    to_address: String,
    subject: String,
    status: String,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

const LIST: &str = "SELECT m.id, m.order_id, o.seq AS order_seq, m.kind, m.to_address, m.subject, m.status, \
     m.attempts, m.next_attempt_at, m.last_error, m.created_at, m.sent_at \
     FROM mail_outbox m LEFT JOIN orders o ON o.id = m.order_id";

/// The newest rows first, optionally of one status.
pub async fn list(
    ex: &mut impl Executes,
    status: Option<MailStatus>,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let rows: Vec<ListRow> = match status {
        Some(s) => on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{LIST} WHERE m.status = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT $2"
        )))
        .bind(s.as_str())
        .bind(limit)
        .fetch_all(&mut *c)
        .await?),
        None => on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{LIST} ORDER BY m.created_at DESC, m.id DESC LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(&mut *c)
        .await?),
    };
    rows.into_iter().map(to_outbox_row).collect()
}

/// One row by id.
pub async fn get(ex: &mut impl Executes, id: Uuid) -> Result<Option<OutboxRow>> {
    let row: Option<ListRow> = on_conn!(ex, |c| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LIST} WHERE m.id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *c)
    .await?);
    row.map(to_outbox_row).transpose()
}

fn to_outbox_row(r: ListRow) -> Result<OutboxRow> {
    let bad =
        |what: &str, e: Error| Error::Internal(format!("stored outbox {what} unreadable: {e}"));
    Ok(OutboxRow {
        id: r.id,
        order_id: r.order_id,
        order_number: r.order_seq.map(order_number),
        kind: MailKind::parse(&r.kind, "kind").map_err(|e| bad("kind", e))?,
        to_address: r.to_address,
        subject: r.subject,
        status: MailStatus::parse(&r.status, "status").map_err(|e| bad("status", e))?,
        attempts: r.attempts,
        next_attempt_at: r.next_attempt_at,
        last_error: r.last_error,
        created_at: r.created_at,
        sent_at: r.sent_at,
    })
}

/// An order the confirmation pass looks at.
pub struct NewOrder {
    pub seq: i64,
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    /// Whether its customer has an e-mail address.
    pub has_email: bool,
}

/// Orders after `after_seq`, oldest first, at most `limit`.
pub async fn orders_after(
    ex: &mut impl Executes,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<NewOrder>> {
    let rows: Vec<(i64, Uuid, DateTime<Utc>, Option<String>)> = on_conn!(ex, |c| {
        sqlx::query_as(
        "SELECT o.seq, o.id, o.created_at, c.email FROM orders o LEFT JOIN customers c ON c.id = o.customer_id \
         WHERE o.seq > $1 ORDER BY o.seq LIMIT $2"
    )
    .bind(after_seq)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?
    });
    Ok(rows
        .into_iter()
        .map(|(seq, id, created_at, email)| NewOrder {
            seq,
            id,
            created_at,
            has_email: email.is_some_and(|e| !e.trim().is_empty()),
        })
        .collect())
}

/// The highest order seq so far (0 with no orders).
pub async fn max_order_seq(ex: &mut impl Executes) -> Result<i64> {
    let row: (Option<i64>,) = on_conn!(ex, |c| sqlx::query_as("SELECT MAX(seq) FROM orders")
        .fetch_one(&mut *c)
        .await?);
    Ok(row.0.unwrap_or(0))
}
