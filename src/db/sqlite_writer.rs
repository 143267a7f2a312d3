//! Group commit for SQLite on a writer thread of its own.
//!
//! One thread owns a SQLite connection (opened on the same file as the read pool, WAL, the same
//! `synchronous` level). It takes every job waiting in its queue, runs each in its own savepoint of
//! one `BEGIN IMMEDIATE` transaction, and commits them together: one fsync for the whole batch
//! instead of one per order, with unchanged durability.
//!
//! Each caller still gets its own result: a job that fails is rolled back to its savepoint and
//! its error returned (the rest of the batch goes on); a job that succeeds is answered only after
//! the batch's `COMMIT` returned, so a success always means "on disk". If the commit fails, every
//! caller of that batch gets the error and nothing of the batch is kept.
//!
//! Why a thread and a direct SQLite handle: sqlx drives SQLite through a worker thread and a
//! channel round trip per statement (about 60 µs here), which capped capture near 1,000 orders/s
//! however few statements an order took. Prepared, cached statements on the thread that owns the
//! connection cost a few microseconds each. The in-process writer lock is shared with the sqlx
//! write transactions (`Db::begin_write`), and SQLite's own lock (with a busy timeout) keeps
//! other processes out, so there is still exactly one writer at a time.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{Mutex, mpsc, oneshot};

use crate::error::{Error, Result};

/// The most jobs one batch takes.
const MAX_BATCH: usize = 256;

/// How long a batch smaller than the last one waits for its stragglers (well under a commit).
const GATHER: Duration = Duration::from_micros(250);

/// Tells a waiting caller how its job ended, given the batch commit's error if any.
type Deliver = Box<dyn FnOnce(Option<&Error>) + Send>;

/// A unit of work: runs on the batch's connection inside its savepoint, says whether it
/// succeeded, and hands back how to answer its caller.
pub struct Job(Box<JobFn>);

type JobFn = dyn FnOnce(&Connection) -> (bool, Deliver) + Send;

/// The queue into the writer thread.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writer's connection on `path` and starts its thread.
    pub fn start(path: &Path, full_sync: bool, lock: Arc<Mutex<()>>) -> Result<Writer> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(60))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(
            None,
            "synchronous",
            if full_sync { "FULL" } else { "NORMAL" },
        )?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(64);
        let (jobs, queue) = mpsc::channel(4096);
        std::thread::Builder::new()
            .name("orderly-sqlite-writer".into())
            .spawn(move || run(conn, lock, queue))
            .map_err(|e| Error::Internal(format!("could not start the SQLite writer: {e}")))?;
        Ok(Writer { jobs })
    }

    /// Queues `work` for the writer and waits for its committed result.
    pub async fn submit<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel::<Result<T>>();
        let job = Job(Box::new(move |conn: &Connection| {
            let outcome = work(conn);
            let ok = outcome.is_ok();
            let deliver: Deliver = Box::new(move |commit_error: Option<&Error>| {
                let result = match (outcome, commit_error) {
                    (Ok(_), Some(e)) => {
                        Err(Error::Internal(format!("the batch commit failed: {e}")))
                    }
                    (outcome, _) => outcome,
                };
                let _ = answer.send(result);
            });
            (ok, deliver)
        }));
        self.jobs
            .send(job)
            .await
            .map_err(|_| Error::Internal("the database writer has stopped".into()))?;
        answered
            .await
            .map_err(|_| Error::Internal("the database writer stopped before answering".into()))?
    }
}

/// The writer loop: runs until every sender is gone.
fn run(conn: Connection, lock: Arc<Mutex<()>>, mut queue: mpsc::Receiver<Job>) {
    // Sizes of the last batches: their largest is about how many callers are writing now.
    let mut recent = [0usize; 8];
    let mut turn = 0usize;
    while let Some(first) = queue.blocking_recv() {
        let busy = recent.iter().copied().max().unwrap_or(0);
        let mut batch = vec![first];
        let mut waited = false;
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                // Callers of the last batches are sending their next work right now: a short
                // wait lets them join this batch instead of paying a commit of their own.
                Err(_) if !waited && batch.len() < busy => {
                    waited = true;
                    std::thread::sleep(GATHER);
                }
                Err(_) => break,
            }
        }
        recent[turn % recent.len()] = batch.len();
        turn += 1;
        let guard = lock.blocking_lock();
        run_batch(&conn, batch);
        drop(guard);
    }
    tracing::debug!("SQLite writer stopped");
}

fn run_batch(conn: &Connection, batch: Vec<Job>) {
    let size = batch.len();
    let started = std::time::Instant::now();
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        let e = Error::from(e);
        tracing::error!(error = %e, size, "a write batch could not start");
        // Jobs only answer after running: dropping them closes their callers' channels, which
        // report that the writer stopped before answering; the cause is logged here.
        drop(batch);
        return;
    }
    let mut pending: Vec<Deliver> = Vec::with_capacity(size);
    for job in batch {
        if let Err(e) = conn.execute_batch("SAVEPOINT job") {
            tracing::error!(error = %e, "could not open a savepoint for a write");
            continue;
        }
        let (ok, deliver) = (job.0)(conn);
        if ok {
            match conn.execute_batch("RELEASE job") {
                Ok(()) => pending.push(deliver),
                Err(e) => deliver(Some(&Error::from(e))),
            }
        } else {
            if let Err(e) = conn.execute_batch("ROLLBACK TO job; RELEASE job") {
                tracing::error!(error = %e, "could not roll back a failed write inside its batch");
            }
            deliver(None);
        }
    }
    let worked = started.elapsed();
    match conn.execute_batch("COMMIT") {
        Ok(()) => {
            tracing::trace!(
                size,
                work_us = worked.as_micros() as u64,
                commit_us = (started.elapsed() - worked).as_micros() as u64,
                "group commit"
            );
            for deliver in pending {
                deliver(None);
            }
        }
        Err(e) => {
            let e = Error::from(e);
            tracing::error!(error = %e, size, "a group commit failed");
            if let Err(r) = conn.execute_batch("ROLLBACK") {
                tracing::error!(error = %r, "could not roll back a failed group commit");
            }
            for deliver in pending {
                deliver(Some(&e));
            }
        }
    }
}
