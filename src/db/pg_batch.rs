//! Group commit for PostgreSQL captures: one task per process takes every capture waiting in its
//! queue, runs each in its own savepoint of one transaction, and commits them together — one WAL
//! flush for the whole batch instead of one per order, with the same durability
//! (`synchronous_commit=on`). It matters most for a hot SKU: its balance row stays locked until
//! the commit is flushed, so one flush per order would cap that SKU at one order per flush.
//!
//! Each caller still gets its own result: work that fails is rolled back to its savepoint and its
//! error returned at once (the rest of the batch goes on); work that succeeds is answered only after
//! the batch's `COMMIT` returned, so a success always means "on disk". If the commit fails, every
//! caller of that batch gets the error and nothing of the batch is kept.

use std::future::Future;
use std::pin::Pin;

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot};

use super::{Tx, on_conn};
use crate::error::{Error, Result};

/// The most work items one batch takes.
const MAX_BATCH: usize = 64;

pub type WorkFuture<'t, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 't>>;

/// Tells a waiting caller how its work ended, given the batch commit's error if any.
type Deliver = Box<dyn FnOnce(Option<&Error>) + Send>;
type JobFuture<'t> = Pin<Box<dyn Future<Output = (bool, Deliver)> + Send + 't>>;

/// A unit of work in the queue: runs on the batch transaction, says whether it succeeded, and
/// hands back how to answer its caller.
pub struct Job(Box<dyn for<'t> FnOnce(&'t mut Tx) -> JobFuture<'t> + Send>);

/// Queues `work` for the writer and waits for its committed result.
pub async fn submit<T, F>(jobs: &mpsc::Sender<Job>, work: F) -> Result<T>
where
    T: Send + 'static,
    F: for<'t> FnOnce(&'t mut Tx) -> WorkFuture<'t, T> + Send + 'static,
{
    let (answer, answered) = oneshot::channel::<Result<T>>();
    let job = Job(Box::new(move |tx: &mut Tx| -> JobFuture<'_> {
        Box::pin(async move {
            let outcome = work(tx).await;
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
        })
    }));
    jobs.send(job)
        .await
        .map_err(|_| Error::Internal("the database writer has stopped".into()))?;
    answered
        .await
        .map_err(|_| Error::Internal("the database writer stopped before answering".into()))?
}

/// The writer loop: runs until every sender is gone.
pub async fn run(pool: PgPool, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        run_batch(&pool, batch).await;
    }
}

async fn run_batch(pool: &PgPool, batch: Vec<Job>) {
    let size = batch.len();
    let mut tx = match pool.begin().await {
        Ok(t) => Tx::Postgres(t),
        Err(e) => {
            let e = Error::Database(e);
            for job in batch {
                // The work never ran: answer with the error through a throw-away transaction-less
                // path by running nothing; callers see the begin failure.
                fail_unrun(job, &e);
            }
            return;
        }
    };
    let mut pending: Vec<Deliver> = Vec::with_capacity(size);
    for job in batch {
        if let Err(e) = savepoint(&mut tx, "SAVEPOINT work").await {
            fail_unrun(job, &e);
            continue;
        }
        let (ok, deliver) = (job.0)(&mut tx).await;
        if ok {
            match savepoint(&mut tx, "RELEASE work").await {
                Ok(()) => pending.push(deliver),
                Err(e) => deliver(Some(&e)),
            }
        } else {
            let undone = async {
                savepoint(&mut tx, "ROLLBACK TO work").await?;
                savepoint(&mut tx, "RELEASE work").await
            }
            .await;
            if let Err(e) = undone {
                tracing::error!(error = %e, "could not roll back a failed capture inside its batch");
            }
            deliver(None);
        }
    }
    match tx.commit().await {
        Ok(()) => {
            tracing::trace!(size, "group commit");
            for deliver in pending {
                deliver(None);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, size, "a group commit failed");
            for deliver in pending {
                deliver(Some(&e));
            }
        }
    }
}

/// Answers a job that could not run with `error`.
fn fail_unrun(job: Job, error: &Error) {
    // A job only answers after running, so drop it: its caller's channel closes and it reports
    // that the writer stopped before answering. Log the real cause here.
    tracing::error!(error = %error, "a queued write could not start");
    drop(job);
}

async fn savepoint(tx: &mut Tx, sql: &'static str) -> Result<()> {
    on_conn!(tx, |c| sqlx::query(sql)
        .execute(&mut *c)
        .await?
        .rows_affected());
    Ok(())
}
