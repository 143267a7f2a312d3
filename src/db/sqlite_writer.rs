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
//! Jobs run as they arrive, each in its savepoint of the transaction the writer has open, and the
//! transaction is committed when nothing more is queued. So the statements of one caller run while
//! the others are still validating, pricing and routing theirs, instead of all of them waiting for
//! the batch to be gathered first.
//!
//! Why a thread and a direct SQLite handle: sqlx drives SQLite through a worker thread and a
//! channel round trip per statement (about 60 µs here), which capped capture near 1,000 orders/s
//! however few statements an order took. Prepared, cached statements on the thread that owns the
//! connection cost a few microseconds each. The in-process writer lock is shared with the sqlx
//! write transactions (`Db::begin_write`), and SQLite's own lock (with a busy timeout) keeps
//! other processes out, so there is still exactly one writer at a time.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{Mutex, OwnedMutexGuard, mpsc, oneshot};

use crate::error::{Error, Result};

/// The most jobs one batch takes.
const MAX_BATCH: usize = 256;

/// How long a batch smaller than the last ones waits once for its stragglers before committing
/// (well under a commit).
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
        conn.pragma_update(None, "wal_autocheckpoint", super::WAL_AUTOCHECKPOINT_PAGES)?;
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

/// The transaction the writer has open: the lock it holds and who waits for its commit.
struct Batch {
    _guard: OwnedMutexGuard<()>,
    answers: Vec<Deliver>,
    size: usize,
    started: Instant,
}

/// The writer loop: runs until every [`Writer`] is gone.
///
/// Each job runs as soon as it arrives, in its savepoint of the open transaction; the transaction
/// is committed when nothing more is queued. A batch smaller than the recent ones first waits
/// [`GATHER`] once for the callers that are about to send (group commit's "commit delay").
fn run(conn: Connection, lock: Arc<Mutex<()>>, mut queue: mpsc::Receiver<Job>) {
    // Sizes of the last batches: their largest is about how many callers are writing now.
    let mut recent = [0usize; 8];
    let mut turn = 0usize;
    let mut open: Option<Batch> = None;
    let mut waited = false;
    loop {
        let job = if open.is_some() {
            match queue.try_recv() {
                Ok(job) => Some(job),
                Err(mpsc::error::TryRecvError::Empty) => {
                    let size = open.as_ref().map_or(0, |b| b.size);
                    let busy = recent.iter().copied().max().unwrap_or(0);
                    if !waited && size < busy {
                        waited = true;
                        std::thread::sleep(GATHER);
                        continue;
                    }
                    None
                }
                Err(mpsc::error::TryRecvError::Disconnected) => None,
            }
        } else {
            match queue.blocking_recv() {
                Some(job) => Some(job),
                None => break,
            }
        };
        let Some(job) = job else {
            if let Some(batch) = open.take() {
                recent[turn % recent.len()] = batch.size;
                turn += 1;
                waited = false;
                commit(&conn, batch);
            }
            continue;
        };
        if open.is_none() {
            let guard = lock.clone().blocking_lock_owned();
            if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
                let e = Error::from(e);
                tracing::error!(error = %e, "a write batch could not start");
                // Jobs only answer after running: dropping it closes its caller's channel,
                // which reports that the writer stopped before answering; the cause is logged.
                drop(job);
                continue;
            }
            open = Some(Batch {
                _guard: guard,
                answers: Vec::new(),
                size: 0,
                started: Instant::now(),
            });
        }
        if let Some(batch) = open.as_mut() {
            run_job(&conn, job, batch);
            if batch.size >= MAX_BATCH
                && let Some(full) = open.take()
            {
                commit(&conn, full);
            }
        }
    }
    if let Some(batch) = open.take() {
        commit(&conn, batch);
    }
    tracing::debug!("SQLite writer stopped");
}

/// Runs one job in its own savepoint of the open batch; a failed job is rolled back alone and
/// answered at once, a good one waits for the batch to be on disk.
fn run_job(conn: &Connection, job: Job, batch: &mut Batch) {
    batch.size += 1;
    if let Err(e) = conn.execute_batch("SAVEPOINT job") {
        tracing::error!(error = %e, "could not open a savepoint for a write");
        return;
    }
    let (ok, deliver) = (job.0)(conn);
    if ok {
        match conn.execute_batch("RELEASE job") {
            Ok(()) => batch.answers.push(deliver),
            Err(e) => deliver(Some(&Error::from(e))),
        }
    } else {
        if let Err(e) = conn.execute_batch("ROLLBACK TO job; RELEASE job") {
            tracing::error!(error = %e, "could not roll back a failed write inside its batch");
        }
        deliver(None);
    }
}

/// Commits the batch, releases the write lock and answers its callers: success only now that
/// the commit returned (on disk), or the commit's error to each of them.
fn commit(conn: &Connection, batch: Batch) {
    let Batch {
        _guard,
        answers,
        size,
        started,
    } = batch;
    let worked = started.elapsed();
    let result = conn.execute_batch("COMMIT");
    tracing::trace!(
        size,
        work_us = worked.as_micros() as u64,
        commit_us = (started.elapsed() - worked).as_micros() as u64,
        "group commit"
    );
    let error = match result {
        Ok(()) => None,
        Err(e) => {
            let e = Error::from(e);
            tracing::error!(error = %e, size, "a group commit failed");
            if let Err(r) = conn.execute_batch("ROLLBACK") {
                tracing::error!(error = %r, "could not roll back a failed group commit");
            }
            Some(e)
        }
    };
    drop(_guard);
    for deliver in answers {
        deliver(error.as_ref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_answered_write_is_in_the_database_and_a_failed_one_is_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("w.db");
        let writer = Writer::start(&db, true, Arc::new(Mutex::new(()))).expect("writer starts");
        writer
            .submit(|conn| {
                Ok(conn.execute_batch("CREATE TABLE t (n INTEGER NOT NULL CHECK (n >= 0))")?)
            })
            .await
            .expect("table");
        let mut tasks = Vec::new();
        for n in -20..200i64 {
            let w = writer.clone();
            tasks.push(tokio::spawn(async move {
                w.submit(move |conn| {
                    conn.execute("INSERT INTO t (n) VALUES (?1)", [n])?;
                    Ok(n)
                })
                .await
            }));
        }
        let mut answered = 0;
        for task in tasks {
            match task.await.expect("task") {
                Ok(n) => {
                    assert!(n >= 0);
                    answered += 1;
                }
                Err(e) => assert!(e.to_string().contains("CHECK"), "{e}"),
            }
        }
        assert_eq!(answered, 200);
        let check = Connection::open(&db).expect("open");
        let (rows, negative): (i64, i64) = check
            .query_row(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE n < 0) FROM t",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("count");
        assert_eq!(
            (rows, negative),
            (200, 0),
            "the failed jobs were rolled back alone"
        );
    }
}
