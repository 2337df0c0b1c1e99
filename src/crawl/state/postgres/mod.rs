//! The state in PostgreSQL (feature `postgres`), for many workers on many
//! machines making one crawl:
//!
//! - [`schema`]: the tables, created and migrated by the crate (versioned);
//! - [`backend`]: the crawl loop's operations, with leases;
//! - [`reposts`]: copies kept for finding reposts across sites;
//! - [`turns`]: host turns and claims, several hosts a round trip; robots.txt kept for every worker.
//!
//! An address is handed out under a lease (the worker, until when): a
//! worker that dies loses it when it expires, and the address goes back to
//! the queue; finishing checks the lease, so a late worker cannot overwrite
//! a newer outcome. A host's turn is a row too: one request at a time
//! between all workers, the next not before its delay has passed since the
//! last ended. Articles are written in the transaction that finishes their
//! address: a kill at any moment loses none and writes none twice.

mod backend;
mod reposts;
mod schema;
mod turns;

use std::sync::atomic::{AtomicI64, AtomicU32};
use std::time::Duration;

use deadpool_postgres::{Client, Pool};
use tokio_postgres::NoTls;

use super::Counts;
use super::keys::Learned;
use crate::error::{Error, ErrorKind};

/// How long an address stays leased to a worker unless it finishes it.
const DEFAULT_LEASE: Duration = Duration::from_secs(300);

/// Connections a worker keeps open.
const POOL_SIZE: usize = 4;

pub(super) fn pg_err(e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::new(ErrorKind::State { source: Box::new(e) })
}

/// One crawl's state in a PostgreSQL database, shared by every worker that
/// connects to it under the same crawl name. Tables are created (and
/// migrated) on connecting, in the schema `report_scraper`; several crawls
/// share them.
///
/// ```no_run
/// use report_scraper::crawl::PgState;
/// # async fn demo() -> Result<(), report_scraper::Error> {
/// let state = PgState::connect("postgres://crawler@db.example.cn/crawls", "jsx-2026").await?;
/// println!("worker {} sees {:?}", state.worker(), state.counts().await?);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct PgState {
    pool: Pool,
    /// The crawl's row.
    crawl: i64,
    /// This worker's name in leases and host turns.
    worker: String,
    lease: Duration,
    /// The run in progress (0 before one starts).
    run: AtomicI64,
    learned: Learned,
    /// When this worker last said it is alive (seconds since the epoch).
    seen: AtomicI64,
    /// Times an address is taken before it is given up (the crawl's `max_attempts`).
    max_attempts: AtomicU32,
}

/// How to connect a [`PgState`]: the lease and the worker's name.
///
/// ```
/// use std::time::Duration;
/// let b = report_scraper::crawl::PgState::builder("postgres://localhost/crawls", "jsx")
///     .lease(Duration::from_secs(30))
///     .worker("box-7");
/// assert_eq!(b.lease_time(), Duration::from_secs(30));
/// ```
#[derive(Debug, Clone)]
pub struct PgStateBuilder {
    url: String,
    crawl: String,
    lease: Duration,
    worker: Option<String>,
}

impl PgStateBuilder {
    /// How long an address taken stays this worker's unless finished (5
    /// minutes by default): after it, a worker that died has lost it and
    /// another takes it. Longer than the slowest fetch and extraction.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(Duration::from_secs(1));
        self
    }

    /// The lease time set.
    pub fn lease_time(&self) -> Duration {
        self.lease
    }

    /// This worker's name (by default the machine's name, the process id
    /// and a random suffix): it appears in leases, host turns and `--status`.
    pub fn worker(mut self, name: &str) -> Self {
        self.worker = Some(name.to_string());
        self
    }

    /// Connects, creates or migrates the tables, and registers the crawl and the worker.
    ///
    /// # Errors
    /// [`ErrorKind::State`] when the address is not a PostgreSQL one, the
    /// server cannot be reached, or its tables are of a newer format.
    pub async fn connect(self) -> Result<PgState, Error> {
        let config: tokio_postgres::Config = self.url.parse().map_err(pg_err)?;
        let manager = deadpool_postgres::Manager::new(config, NoTls);
        let pool = Pool::builder(manager).max_size(POOL_SIZE).build().map_err(pg_err)?;
        let mut client = pool.get().await.map_err(pg_err)?;
        schema::migrate(&mut client).await?;
        let crawl: i64 = client
            .query_one(
                "INSERT INTO report_scraper.crawls (name) VALUES ($1)
                 ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
                &[&self.crawl],
            )
            .await
            .map_err(pg_err)?
            .get(0);
        let worker = self.worker.unwrap_or_else(worker_name);
        drop(client);
        let state = PgState {
            pool,
            crawl,
            worker,
            lease: self.lease,
            run: AtomicI64::new(0),
            learned: Learned::default(),
            seen: AtomicI64::new(0),
            max_attempts: AtomicU32::new(u32::MAX),
        };
        state.load_learned().await?;
        tracing::info!(worker = %state.worker, crawl = %self.crawl, schema = schema::version(), "PostgreSQL state connected");
        Ok(state)
    }
}

impl PgState {
    /// Connects to the crawl named `crawl` in the database at `url`
    /// (`postgres://user:password@host:port/database`), with the defaults
    /// of [`builder`](Self::builder).
    ///
    /// # Errors
    /// As [`PgStateBuilder::connect`].
    pub async fn connect(url: &str, crawl: &str) -> Result<PgState, Error> {
        Self::builder(url, crawl).connect().await
    }

    /// A builder, to set the lease and the worker's name.
    pub fn builder(url: &str, crawl: &str) -> PgStateBuilder {
        PgStateBuilder { url: url.to_string(), crawl: crawl.to_string(), lease: DEFAULT_LEASE, worker: None }
    }

    /// This worker's name.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    async fn client(&self) -> Result<Client, Error> {
        self.pool.get().await.map_err(pg_err)
    }

    /// Counts by state, over every worker; addresses leased count as queued.
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub async fn counts(&self) -> Result<Counts, Error> {
        let rows = self
            .client()
            .await?
            .query("SELECT state, COUNT(*) FROM report_scraper.urls WHERE crawl = $1 GROUP BY state", &[&self.crawl])
            .await
            .map_err(pg_err)?;
        let mut c = Counts::default();
        for row in rows {
            let (state, n): (i16, i64) = (row.get(0), row.get(1));
            c.add(i64::from(state), n as u64);
        }
        Ok(c)
    }

    /// Gives back every address and host turn this worker holds, at once
    /// (on Ctrl-C): the other workers need not wait for the leases to expire.
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub async fn release_leases(&self) -> Result<u64, Error> {
        let client = self.client().await?;
        let n = client
            .execute(
                "UPDATE report_scraper.urls SET state = 0, lease_until = NULL
                 WHERE crawl = $1 AND state = 1 AND worker = $2",
                &[&self.crawl, &self.worker],
            )
            .await
            .map_err(pg_err)?;
        client
            .execute(
                "UPDATE report_scraper.hosts SET held_by = NULL, held_until = NULL WHERE crawl = $1 AND held_by = $2",
                &[&self.crawl, &self.worker],
            )
            .await
            .map_err(pg_err)?;
        Ok(n)
    }

    /// The crawl's articles as JSON Lines records, oldest first, from row
    /// `after` on (0 for all): up to `limit` of them, with the last row's number.
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub async fn articles(&self, after: i64, limit: i64) -> Result<(Vec<String>, i64), Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, record::text FROM report_scraper.articles WHERE crawl = $1 AND id > $2 ORDER BY id LIMIT $3",
                &[&self.crawl, &after, &limit],
            )
            .await
            .map_err(pg_err)?;
        let last = rows.last().map_or(after, |r| r.get(0));
        Ok((rows.into_iter().map(|r| r.get(1)).collect(), last))
    }

    /// The query parameters learned to be irrelevant, as `(origin, name)`
    /// (as [`CrawlState::irrelevant_params`](crate::crawl::CrawlState::irrelevant_params)),
    /// as this worker knows them.
    ///
    /// # Errors
    /// None today; a `Result` as the SQLite state's.
    pub fn irrelevant_params(&self) -> Result<Vec<(String, String)>, Error> {
        Ok(self.learned.list())
    }

    /// A crawl's progress as every worker left it: counts, each host's
    /// backlog and turn, and the workers seen.
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub async fn status(&self) -> Result<CrawlStatus, Error> {
        let counts = self.counts().await?;
        let client = self.client().await?;
        let hosts = client
            .query(
                "SELECT h.origin,
                     COUNT(*) FILTER (WHERE u.state = 0),
                     COUNT(*) FILTER (WHERE u.state = 1),
                     COUNT(*) FILTER (WHERE u.state >= 2),
                     h.held_by
                 FROM report_scraper.hosts h LEFT JOIN report_scraper.urls u ON u.host = h.id
                 WHERE h.crawl = $1 GROUP BY h.id ORDER BY 2 DESC, h.origin",
                &[&self.crawl],
            )
            .await
            .map_err(pg_err)?
            .into_iter()
            .map(|r| HostStatus {
                origin: r.get(0),
                queued: r.get::<_, i64>(1) as u64,
                leased: r.get::<_, i64>(2) as u64,
                done: r.get::<_, i64>(3) as u64,
                held_by: r.get(4),
            })
            .collect();
        let workers = client
            .query(
                "SELECT worker, to_char(started AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                     EXTRACT(EPOCH FROM now() - seen)::float8,
                     (SELECT COUNT(*) FROM report_scraper.urls u WHERE u.crawl = $1 AND u.state = 1 AND u.worker = w.worker)
                 FROM report_scraper.workers w WHERE crawl = $1 ORDER BY seen DESC",
                &[&self.crawl],
            )
            .await
            .map_err(pg_err)?
            .into_iter()
            .map(|r| WorkerStatus {
                worker: r.get(0),
                started: r.get(1),
                seen_secs_ago: r.get::<_, f64>(2).max(0.0),
                leased: r.get::<_, i64>(3) as u64,
            })
            .collect();
        let run: i64 = client
            .query_one("SELECT run FROM report_scraper.crawls WHERE id = $1", &[&self.crawl])
            .await
            .map_err(pg_err)?
            .get(0);
        Ok(CrawlStatus { run, counts, hosts, workers })
    }

    async fn load_learned(&self) -> Result<(), Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT origin, name FROM report_scraper.params WHERE crawl = $1
                 GROUP BY origin, name HAVING COUNT(*) >= $2",
                &[&self.crawl, &super::LEARN_AFTER],
            )
            .await
            .map_err(pg_err)?;
        self.learned.replace(rows.into_iter().map(|r| (r.get(0), r.get(1))));
        Ok(())
    }
}

/// A crawl's progress, from [`PgState::status`].
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct CrawlStatus {
    /// The run in progress, or the last one.
    pub run: i64,
    /// Addresses by state (leased ones count as queued).
    pub counts: Counts,
    /// Each host, the largest backlog first.
    pub hosts: Vec<HostStatus>,
    /// Each worker that connected, the last seen first.
    pub workers: Vec<WorkerStatus>,
}

/// One host of a [`CrawlStatus`].
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct HostStatus {
    /// `scheme://host:port`.
    pub origin: String,
    /// Addresses waiting.
    pub queued: u64,
    /// Addresses in flight, under a worker's lease.
    pub leased: u64,
    /// Addresses finished.
    pub done: u64,
    /// The worker whose request to it is in flight.
    pub held_by: Option<String>,
}

/// One worker of a [`CrawlStatus`].
#[derive(Debug, Clone, serde::Serialize)]
#[non_exhaustive]
pub struct WorkerStatus {
    /// Its name.
    pub worker: String,
    /// When it first connected (UTC).
    pub started: String,
    /// Seconds since it last took an address.
    pub seen_secs_ago: f64,
    /// Addresses it holds now.
    pub leased: u64,
}

/// The machine's name, the process id and a random suffix.
fn worker_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "worker".into());
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{host}-{}-{:04x}", std::process::id(), nanos & 0xffff)
}

#[cfg(test)]
mod tests;
