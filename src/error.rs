//! The one error type of the core. It separates what the user did wrong (shown to them, with the
//! field and the fix, not logged as a failure) from what went wrong inside (logged with context,
//! shown as a short message).

use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable codes the UI and scripts match on; never match on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Invalid,
    NotFound,
    Conflict,
    OutOfStock,
    InvalidTransition,
    Database,
    Internal,
}

impl ErrorCode {
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorCode::Invalid => "invalid",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::OutOfStock => "out_of_stock",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::Database => "database",
            ErrorCode::Internal => "internal",
        }
    }
}

/// A line that cannot be filled: which SKU, how many were asked for, how many can be sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortage {
    pub sku: String,
    pub requested: i64,
    pub available: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{what} '{key}' was not found")]
    NotFound { what: &'static str, key: String },
    #[error("{message}")]
    Conflict { field: String, message: String },
    #[error("{}", out_of_stock_message(.0))]
    OutOfStock(Vec<Shortage>),
    #[error("{message}")]
    InvalidTransition { message: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From the SQLite writer thread, which drives SQLite directly (see `db::sqlite_writer`).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Internal(String),
    /// Stock changed between reading it and taking it (PostgreSQL, optimistic capture): the
    /// transaction is run again on fresh stock.
    #[error("{0}")]
    StockChanged(String),
}

fn out_of_stock_message(short: &[Shortage]) -> String {
    let parts: Vec<String> = short
        .iter()
        .map(|s| {
            format!(
                "{} (asked {}, available {})",
                s.sku, s.requested, s.available
            )
        })
        .collect();
    format!(
        "Not enough stock for {}. Lower the quantity, remove the line, or receive stock first.",
        parts.join(", ")
    )
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Conflict {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        Error::NotFound {
            what,
            key: key.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::OutOfStock(_) => ErrorCode::OutOfStock,
            Error::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Error::Database(_) | Error::Sqlite(_) | Error::Migrate(_) => ErrorCode::Database,
            Error::Internal(_) | Error::StockChanged(_) => ErrorCode::Internal,
        }
    }

    /// The input field the error is about, as a dotted path (`lines.2.qty`), if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } | Error::Conflict { field, .. } => Some(field),
            Error::OutOfStock(_) => Some("lines"),
            _ => None,
        }
    }

    /// True for errors caused by the user's input (not logged as failures).
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            Error::Database(_)
                | Error::Sqlite(_)
                | Error::Migrate(_)
                | Error::Internal(_)
                | Error::StockChanged(_)
        )
    }

    /// The sentence to show a person. Internal details stay in the log.
    pub fn user_message(&self) -> String {
        match self {
            Error::Database(e) => {
                format!("The database failed: {e}. Check the connection in Settings and try again.")
            }
            Error::Sqlite(e) => {
                format!("The database failed: {e}. Check the disk and try again.")
            }
            Error::Migrate(e) => format!("The database could not be prepared: {e}."),
            Error::StockChanged(_) => {
                "Stock kept changing while the order was saved: try again.".to_owned()
            }
            Error::Internal(_) => {
                "Something went wrong inside Orderly; the log has the details.".to_owned()
            }
            other => other.to_string(),
        }
    }

    /// Prefixes the field path, for errors found inside a nested input (`lines.2` + `qty`).
    pub fn within(self, prefix: &str) -> Self {
        match self {
            Error::Invalid { field, message } => Error::Invalid {
                field: join(prefix, &field),
                message,
            },
            Error::Conflict { field, message } => Error::Conflict {
                field: join(prefix, &field),
                message,
            },
            other => other,
        }
    }

    /// True when the database refused a transaction that can simply be run again
    /// (PostgreSQL deadlock or serialization failure, SQLite busy).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Database(sqlx::Error::Database(db)) => matches!(
                db.code().as_deref(),
                Some("40P01") | Some("40001") | Some("5") | Some("517") | Some("261")
            ),
            Error::StockChanged(_) => true,
            Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => matches!(
                f.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }

    /// True when the database reports a unique-constraint violation.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Error::Database(sqlx::Error::Database(db)) => db.is_unique_violation(),
            Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
                f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            }
            _ => false,
        }
    }
}

fn join(prefix: &str, field: &str) -> String {
    if field.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}
