//! Storage: connecting, migrating and every SQL statement of the core. Nothing outside this
//! module writes SQL.
//!
//! One storage interface, two implementations: each statement is written once in SQL that both
//! SQLite and PostgreSQL accept (`$1` placeholders, `RETURNING`, `ON CONFLICT`), and the
//! [`on_conn!`] macro runs it on whichever driver the [`Tx`] holds, so both databases get the same
//! behaviour from the same text. Where the engines differ (how writers are serialised), the
//! difference is confined to [`Db::begin_write`].
//!
//! Writers: SQLite allows one writer at a time, so write transactions start with
//! `BEGIN IMMEDIATE` (waiting on other processes via the busy timeout) behind an in-process async
//! mutex (so tasks of this process queue instead of polling). PostgreSQL runs writers
//! concurrently under READ COMMITTED; stock is reserved with conditional `UPDATE`s whose `WHERE`
//! is re-checked after the row lock, rows are locked in a fixed order, and deadlocks or
//! serialisation failures are retried by [`Db::write`].

pub mod bench_shop;
pub mod capture;
pub mod catalog;
pub mod customers;
pub mod fulfilment;
pub mod inventory;
pub mod orders;
pub mod outbox;
pub mod rates;
pub mod returns;
pub mod routing;
pub mod settings;
pub mod sqlite_writer;
pub mod what_if;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::error::{Error, Result};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// SQLite copies the WAL back into the database file once it holds this many pages (about 62 MiB
/// at 4 KiB pages; SQLite's default is 1,000). A checkpoint writes each changed page once however
/// often it changed, and the hot pages of a busy shop (the ends of the orders, events and ledger
/// indexes) change with every order: checkpointing 16 times less often made capture ~18% faster
/// (docs/benchmarks.md). The price is a larger `-wal` file and a longer replay after a crash
/// (about 0.1 s), never durability: every commit is still flushed to the WAL first.
pub(crate) const WAL_AUTOCHECKPOINT_PAGES: i64 = 16_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            DbKind::Sqlite => "sqlite",
            DbKind::Postgres => "postgres",
        }
    }

    /// Tells the kind from a URL: `sqlite:` / `sqlite://PATH`, or `postgres://` / `postgresql://`.
    pub fn of_url(url: &str) -> Result<DbKind> {
        if url.starts_with("sqlite:") {
            Ok(DbKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbKind::Postgres)
        } else {
            Err(Error::invalid(
                "url",
                format!(
                    "'{}' is not a database URL: use sqlite://PATH or postgres://USER:PASSWORD@HOST/DATABASE",
                    redact_url(url)
                ),
            ))
        }
    }
}

/// How hard each commit is made to last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Every commit is on disk before it returns (SQLite `synchronous=FULL`). Always used for
    /// real work.
    Full,
    /// For loading generated data only (the demo shop): SQLite `synchronous=NORMAL` in WAL mode
    /// stays consistent after a crash but may lose the last commits on power loss, which for
    /// regenerable data is worth the ten-fold speed. PostgreSQL is unaffected.
    Bulk,
}

/// A connection pool to one of the two databases.
#[derive(Clone)]
pub enum Db {
    Sqlite {
        pool: SqlitePool,
        writer: Arc<Mutex<()>>,
        /// The group-commit writer thread (see [`sqlite_writer`]).
        batch: sqlite_writer::Writer,
    },
    Postgres {
        pool: PgPool,
    },
}

/// A write transaction. For SQLite it also holds this process's writer slot.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>, OwnedMutexGuard<()>),
    Postgres(Transaction<'static, Postgres>),
}

/// A connection for reads.
pub enum Conn {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::pool::PoolConnection<Postgres>),
}

/// Something that can run a statement: a write transaction or a read connection.
pub trait Executes {
    fn sqlite(&mut self) -> Option<&mut SqliteConnection>;
    fn postgres(&mut self) -> Option<&mut PgConnection>;
}

impl Executes for Tx {
    fn sqlite(&mut self) -> Option<&mut SqliteConnection> {
        match self {
            Tx::Sqlite(t, _) => Some(&mut **t),
            Tx::Postgres(_) => None,
        }
    }
    fn postgres(&mut self) -> Option<&mut PgConnection> {
        match self {
            Tx::Postgres(t) => Some(&mut **t),
            Tx::Sqlite(..) => None,
        }
    }
}

impl Executes for Conn {
    fn sqlite(&mut self) -> Option<&mut SqliteConnection> {
        match self {
            Conn::Sqlite(c) => Some(&mut **c),
            Conn::Postgres(_) => None,
        }
    }
    fn postgres(&mut self) -> Option<&mut PgConnection> {
        match self {
            Conn::Postgres(c) => Some(&mut **c),
            Conn::Sqlite(_) => None,
        }
    }
}

/// Runs the same statement code on whichever driver `$ex` (an [`Executes`]) holds. Inside the
/// body, `$c` is a `&mut` connection of the right driver; write `&mut *$c` as the executor.
macro_rules! on_conn {
    ($ex:expr, |$c:ident| $body:expr) => {{
        let ex = &mut *$ex;
        if let Some($c) = $crate::db::Executes::sqlite(ex) {
            $body
        } else if let Some($c) = $crate::db::Executes::postgres(ex) {
            $body
        } else {
            unreachable!("an executor is either SQLite or PostgreSQL")
        }
    }};
}
pub(crate) use on_conn;

impl Db {
    /// Connects to the database at `url`, creating a SQLite file if missing, and brings the
    /// schema up to date.
    pub async fn connect(url: &str) -> Result<Db> {
        Self::connect_with(url, Durability::Full).await
    }

    /// Connects with a chosen durability (see [`Durability`]).
    pub async fn connect_with(url: &str, durability: Durability) -> Result<Db> {
        let db = match DbKind::of_url(url)? {
            DbKind::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(|e| Error::invalid("url", format!("Bad SQLite URL: {e}")))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(match durability {
                        Durability::Full => SqliteSynchronous::Full,
                        Durability::Bulk => SqliteSynchronous::Normal,
                    })
                    .foreign_keys(true)
                    .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string())
                    .busy_timeout(Duration::from_secs(60));
                let file = opts.get_filename().to_owned();
                if file.as_os_str().is_empty() || file.as_os_str() == ":memory:" {
                    return Err(Error::invalid(
                        "url",
                        "Orderly keeps its data in a SQLite file: give a path, not an in-memory database",
                    ));
                }
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(60))
                    .connect_with(opts)
                    .await?;
                SQLITE_MIGRATIONS.run(&pool).await?;
                let writer = Arc::new(Mutex::new(()));
                let batch = sqlite_writer::Writer::start(
                    &file,
                    durability == Durability::Full,
                    writer.clone(),
                )?;
                Db::Sqlite {
                    pool,
                    writer,
                    batch,
                }
            }
            DbKind::Postgres => {
                let opts = PgConnectOptions::from_str(url)
                    .map_err(|e| Error::invalid("url", format!("Bad PostgreSQL URL: {e}")))?;
                let pool = PgPoolOptions::new()
                    .max_connections(32)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(opts)
                    .await?;
                POSTGRES_MIGRATIONS.run(&pool).await?;
                Db::Postgres { pool }
            }
        };
        tracing::info!(kind = db.kind().as_str(), "database ready");
        Ok(db)
    }

    pub fn kind(&self) -> DbKind {
        match self {
            Db::Sqlite { .. } => DbKind::Sqlite,
            Db::Postgres { .. } => DbKind::Postgres,
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { pool, .. } => pool.close().await,
            Db::Postgres { pool } => pool.close().await,
        }
    }

    /// A pooled connection for reads.
    pub async fn read(&self) -> Result<Conn> {
        Ok(match self {
            Db::Sqlite { pool, .. } => Conn::Sqlite(pool.acquire().await?),
            Db::Postgres { pool } => Conn::Postgres(pool.acquire().await?),
        })
    }

    /// Starts a write transaction (see the module docs for how each engine serialises writers).
    pub async fn begin_write(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite { pool, writer, .. } => {
                let slot = writer.clone().lock_owned().await;
                let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                Tx::Sqlite(tx, slot)
            }
            Db::Postgres { pool } => Tx::Postgres(pool.begin().await?),
        })
    }
}

impl Db {
    /// The SQLite group-commit writer, on SQLite.
    pub fn sqlite_batch(&self) -> Option<&sqlite_writer::Writer> {
        match self {
            Db::Sqlite { batch, .. } => Some(batch),
            Db::Postgres { .. } => None,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx, _slot) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    /// Rolls back; a failure to roll back is logged, since the transaction is gone either way.
    pub async fn rollback(self) {
        let res = match self {
            Tx::Sqlite(tx, _slot) => tx.rollback().await,
            Tx::Postgres(tx) => tx.rollback().await,
        };
        if let Err(e) = res {
            tracing::warn!(error = %e, "rollback failed");
        }
    }
}

/// Replaces the password of a URL with `***` for display and logs.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.rsplit_once('@')
    {
        let user = creds.split(':').next().unwrap_or("");
        if creds.contains(':') {
            return format!("{scheme}://{user}:***@{host}");
        }
    }
    url.to_owned()
}

/// Tries a database URL without keeping the connection: says whether it works and what it is.
pub async fn test_connection(url: &str) -> Result<String> {
    match DbKind::of_url(url)? {
        DbKind::Sqlite => {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| Error::invalid("url", format!("Bad SQLite URL: {e}")))?
                .create_if_missing(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(opts)
                .await?;
            let v: (String,) = sqlx::query_as("SELECT sqlite_version()")
                .fetch_one(&pool)
                .await?;
            pool.close().await;
            Ok(format!("SQLite {}", v.0))
        }
        DbKind::Postgres => {
            let opts = PgConnectOptions::from_str(url)
                .map_err(|e| Error::invalid("url", format!("Bad PostgreSQL URL: {e}")))?;
            let pool = PgPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(opts)
                .await?;
            let v: (String,) = sqlx::query_as("SHOW server_version")
                .fetch_one(&pool)
                .await?;
            pool.close().await;
            Ok(format!("PostgreSQL {}", v.0))
        }
    }
}

/// What became of a write transaction's attempt (see [`write!`]).
pub enum Settled<T> {
    Done(T),
    Retry,
    Failed(Error),
}

impl Db {
    /// Commits or rolls back an attempt of [`write!`] and says whether to try again: after a
    /// deadlock, serialisation failure or busy database the whole transaction is rolled back and
    /// run again (up to 8 times, with a short growing pause). Any other error rolls back and is
    /// returned: nothing is half-written.
    pub async fn settle<T>(&self, tx: Tx, outcome: Result<T>, attempt: &mut u32) -> Settled<T> {
        let err = match outcome {
            Ok(value) => match tx.commit().await {
                Ok(()) => return Settled::Done(value),
                Err(e) => e,
            },
            Err(e) => {
                tx.rollback().await;
                e
            }
        };
        if err.is_retryable() && *attempt < 8 {
            *attempt += 1;
            tracing::debug!(
                attempt = *attempt,
                "retrying a write transaction after a conflict"
            );
            tokio::time::sleep(Duration::from_millis(2u64 << (*attempt).min(6))).await;
            Settled::Retry
        } else {
            Settled::Failed(err)
        }
    }
}

/// Runs `$body` (an expression of type `Result<T>` using `$tx: &mut Tx`) in a write transaction
/// of `$db`, committing on `Ok`, rolling back on `Err`, and retrying the whole body on transient
/// conflicts (see [`Db::settle`]). Evaluates to `Result<T>`. A macro rather than a method taking an
/// async closure, so the futures it makes stay `Send` for the desktop shell.
macro_rules! write {
    ($db:expr, |$tx:ident| $body:expr) => {{
        let db: &$crate::db::Db = &$db;
        let mut attempt = 0u32;
        loop {
            let mut tx_ = match db.begin_write().await {
                Ok(t) => t,
                Err(e) => break Err(e),
            };
            let outcome = {
                let $tx: &mut $crate::db::Tx = &mut tx_;
                async { $body }.await
            };
            match db.settle(tx_, outcome, &mut attempt).await {
                $crate::db::Settled::Done(v) => break Ok(v),
                $crate::db::Settled::Retry => continue,
                $crate::db::Settled::Failed(e) => break Err(e),
            }
        }
    }};
}
pub(crate) use write;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }

    #[tokio::test]
    async fn sqlite_checkpoints_at_the_same_wal_size_on_every_connection() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("ck.db").display());
        let db = Db::connect(&url).await.expect("connect");
        let mut conn = db.read().await.expect("read");
        let c = Executes::sqlite(&mut conn).expect("sqlite");
        let pool_pages: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
            .fetch_one(&mut *c)
            .await
            .expect("pragma");
        assert_eq!(pool_pages, WAL_AUTOCHECKPOINT_PAGES);
        let writer_pages = db
            .sqlite_batch()
            .expect("writer")
            .submit(|c| Ok(c.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get::<_, i64>(0))?))
            .await
            .expect("writer pragma");
        assert_eq!(writer_pages, WAL_AUTOCHECKPOINT_PAGES);
    }
}
