//! Crawl state in an embedded SQLite file (feature `crawl`): the frontier,
//! the seen set, outcomes, the sitemaps read, what was learned about each
//! host, and the crawl's identity; it survives a kill.
//!
//! - [`keys`]: the seen-set key of an address (its canonical form, less the
//!   parameters learned to be irrelevant on its host);
//! - [`queue`]: adding addresses, handing them out by host, finishing them;
//! - [`runs`]: runs, revisits, retries, sitemaps read;
//! - [`dedup`]: articles' fingerprints, aliases, learned parameters.
//!
//! Sized for a million addresses: an address is kept once, as its origin's
//! number and its path; the seen set is a 64-bit SipHash of the canonical
//! form (a collision among a million addresses has odds of about 3 in
//! 10⁸); states are small integers; the queue's index holds queued rows only.

mod dedup;
mod keys;
mod queue;
mod runs;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::AtomicI64;
use std::sync::{Mutex, RwLock};

use rusqlite::{Connection, OptionalExtension, params};
use url::Url;

pub(crate) use self::dedup::Holder;
pub(crate) use self::keys::fingerprint;
pub(crate) use self::queue::{Found, Taken};
pub(crate) use self::runs::RunStart;
use crate::error::{Error, ErrorCode, ErrorKind};

/// What became of a fetched address.
///
/// ```
/// use report_scraper::{ErrorCode, crawl::Outcome};
/// assert_eq!(Outcome::Article.to_string(), "article");
/// assert_eq!(Outcome::Failed(ErrorCode::Http(404)).to_string(), "failed (http-404)");
/// let of = "https://www.example.cn/a.html".parse().unwrap();
/// assert_eq!(Outcome::Duplicate { of: Some(of) }.to_string(), "duplicate of https://www.example.cn/a.html");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// An article, written to the output.
    Article,
    /// A list or index page: its links were followed, nothing was written.
    List,
    /// robots.txt disallowed it.
    Robots,
    /// The same page or article as another address, recorded under that
    /// one: a redirect onto an address seen already, a page whose
    /// canonical address was written, or an article written already under
    /// another address (the same fingerprint).
    Duplicate {
        /// The address it duplicates (`None` only in states written by
        /// versions that did not record it).
        of: Option<Url>,
    },
    /// It failed, with the kind of failure.
    Failed(ErrorCode),
}

/// States as stored: small integers keep a million rows small.
const QUEUED: i64 = 0;
const TAKEN: i64 = 1;
const ARTICLE: i64 = 2;
const LIST: i64 = 3;
const ROBOTS: i64 = 4;
const DUPLICATE: i64 = 5;
const FAILED: i64 = 6;

impl Outcome {
    fn code(&self) -> i64 {
        match self {
            Outcome::Article => ARTICLE,
            Outcome::List => LIST,
            Outcome::Robots => ROBOTS,
            Outcome::Duplicate { .. } => DUPLICATE,
            Outcome::Failed(_) => FAILED,
        }
    }

    /// Reads back a stored state, error code and, for a duplicate, its original.
    fn from_row(state: i64, error: Option<&str>, of: Option<Url>) -> Option<Outcome> {
        Some(match state {
            ARTICLE => Outcome::Article,
            LIST => Outcome::List,
            ROBOTS => Outcome::Robots,
            DUPLICATE => Outcome::Duplicate { of },
            FAILED => Outcome::Failed(error.and_then(|e| e.parse().ok()).unwrap_or(ErrorCode::Internal)),
            _ => return None,
        })
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Article => f.write_str("article"),
            Outcome::List => f.write_str("list"),
            Outcome::Robots => f.write_str("robots"),
            Outcome::Duplicate { of: Some(of) } => write!(f, "duplicate of {of}"),
            Outcome::Duplicate { of: None } => f.write_str("duplicate"),
            Outcome::Failed(code) => write!(f, "failed ({code})"),
        }
    }
}

/// Counts of addresses by state.
///
/// ```
/// let s = report_scraper::crawl::CrawlState::in_memory()?;
/// assert_eq!(s.counts()?.queued, 0);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Counts {
    /// Waiting to be fetched.
    pub queued: u64,
    /// Recorded as articles.
    pub articles: u64,
    /// List pages followed.
    pub lists: u64,
    /// Refused by robots.txt.
    pub robots: u64,
    /// The same page or article as another address.
    pub duplicates: u64,
    /// Failed.
    pub failed: u64,
}

impl Counts {
    /// Addresses finished one way or another: everything not queued.
    ///
    /// ```
    /// assert_eq!(report_scraper::crawl::Counts::default().done(), 0);
    /// ```
    pub fn done(&self) -> u64 {
        self.articles + self.lists + self.robots + self.duplicates + self.failed
    }
}

/// The frontier and the seen set of a crawl, in one SQLite file. Every
/// change is committed at once (WAL journal), so killing the process loses
/// nothing that was recorded; addresses taken but not finished go back to
/// the queue when the file is opened again. The [`Crawler`](crate::crawl::Crawler)
/// runs the queue; a user reads the counts and outcomes, and marks what an
/// output already holds ([`mark_written`](Self::mark_written)). It can be
/// shared between tasks (`Send + Sync`).
///
/// ```
/// use report_scraper::crawl::{CrawlState, Outcome};
/// let state = CrawlState::in_memory()?;
/// let url = "https://www.example.cn/a.html".parse().unwrap();
/// state.mark_written(&url)?;
/// assert_eq!(state.outcome(&url)?, Some(Outcome::Article));
/// assert_eq!(state.counts()?.articles, 1);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug)]
pub struct CrawlState {
    conn: Mutex<Connection>,
    /// The run in progress (0 before one starts).
    run: AtomicI64,
    /// Query parameters learned to be irrelevant, by origin (a copy of the
    /// `params` table, read by every key).
    learned: RwLock<HashMap<String, BTreeSet<String>>>,
}

const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    -- The log is folded into the file as it goes; this keeps it from staying large afterwards.
    PRAGMA journal_size_limit = 8388608;
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS origins (id INTEGER PRIMARY KEY, origin TEXT NOT NULL UNIQUE);
    CREATE TABLE IF NOT EXISTS urls (
        id            INTEGER PRIMARY KEY,   -- order of discovery
        key           INTEGER NOT NULL,      -- SipHash of the canonical address: the seen set
        origin        INTEGER NOT NULL,
        path          TEXT NOT NULL,         -- path and query, as found
        depth         INTEGER NOT NULL,
        state         INTEGER NOT NULL,
        error         TEXT,
        attempts      INTEGER NOT NULL DEFAULT 0,
        run           INTEGER,               -- the run that last finished it
        fetched_at    INTEGER                -- seconds since the epoch
    );
    CREATE UNIQUE INDEX IF NOT EXISTS urls_key ON urls (key);
    -- The queue, host by host, in the order addresses were found: queued rows only.
    CREATE INDEX IF NOT EXISTS urls_queue ON urls (origin, id) WHERE state = 0;
    -- What only list pages carry, kept apart so a million article rows stay small.
    CREATE TABLE IF NOT EXISTS lists (
        id            INTEGER PRIMARY KEY,   -- urls.id
        run           INTEGER NOT NULL,      -- the run that last read it
        capped        INTEGER NOT NULL DEFAULT 0, -- its links did not all fit under the page limit
        etag          TEXT,
        last_modified TEXT
    );
    CREATE TABLE IF NOT EXISTS sitemaps (
        url           TEXT PRIMARY KEY,
        run           INTEGER NOT NULL,
        etag          TEXT,
        last_modified TEXT
    ) WITHOUT ROWID;
    -- Forms sent by POST (a pager's postback, a list's data request): urls.id and the body.
    CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
    -- The fingerprint of each article written, and the address that holds it.
    CREATE TABLE IF NOT EXISTS fingerprints (fp INTEGER PRIMARY KEY, id INTEGER NOT NULL);
    -- Duplicates: the address each one duplicates, and why.
    CREATE TABLE IF NOT EXISTS aliases (id INTEGER PRIMARY KEY, of INTEGER NOT NULL, why TEXT NOT NULL);
    -- Evidence that a query parameter is irrelevant on an origin: the address
    -- that gave the same article with and without it. Two pieces of evidence make it learned.
    CREATE TABLE IF NOT EXISTS params (
        origin        TEXT NOT NULL,
        name          TEXT NOT NULL,
        evidence      TEXT NOT NULL,
        PRIMARY KEY (origin, name, evidence)
    ) WITHOUT ROWID;
";

/// The format of the tables above.
const SCHEMA_VERSION: &str = "4";

/// Formats this version opens and brings up to date (the tables added
/// since are created empty).
const UPGRADABLE: &[&str] = &["3"];

fn db_err(e: rusqlite::Error) -> Error {
    Error::new(ErrorKind::State { source: Box::new(e) })
}

impl CrawlState {
    /// Opens (or creates) the state file; addresses left in flight by a
    /// killed run are queued again.
    ///
    /// # Errors
    /// [`ErrorKind::State`] when the file cannot be opened or is not a state
    /// file of this version.
    pub fn open(path: impl AsRef<Path>) -> Result<CrawlState, Error> {
        let path = path.as_ref();
        Self::setup(Connection::open(path).map_err(db_err)?)
    }

    /// A state that lives in memory only (for tests and one-off crawls).
    ///
    /// ```
    /// let s = report_scraper::crawl::CrawlState::in_memory()?;
    /// assert_eq!(s.counts()?.done(), 0);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::State`] if SQLite cannot start.
    pub fn in_memory() -> Result<CrawlState, Error> {
        Self::setup(Connection::open_in_memory().map_err(db_err)?)
    }

    fn setup(conn: Connection) -> Result<CrawlState, Error> {
        let version: Option<String> =
            conn.query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| r.get(0)).optional().unwrap_or(None);
        if let Some(v) = version.filter(|v| v != SCHEMA_VERSION && !UPGRADABLE.contains(&v.as_str())) {
            let message = format!("state file of format {v}, this version reads format {SCHEMA_VERSION}");
            return Err(Error::new(ErrorKind::State { source: message.into() }));
        }
        conn.execute_batch(SCHEMA).map_err(db_err)?;
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?1)", [SCHEMA_VERSION]).map_err(db_err)?;
        conn.execute("UPDATE urls SET state = 0 WHERE state = 1", []).map_err(db_err)?;
        let state = CrawlState { conn: Mutex::new(conn), run: AtomicI64::new(0), learned: RwLock::default() };
        state.load_learned()?;
        Ok(state)
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock left SQLite consistent (each statement is atomic).
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The recorded outcome of an address, if it was finished.
    ///
    /// ```
    /// let s = report_scraper::crawl::CrawlState::in_memory()?;
    /// assert_eq!(s.outcome(&"https://a.cn/x.html".parse().unwrap())?, None);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn outcome(&self, url: &Url) -> Result<Option<Outcome>, Error> {
        let key = self.key(url, None);
        let row: Option<(i64, i64, Option<String>)> = self
            .conn()
            .query_row("SELECT id, state, error FROM urls WHERE key = ?1", params![key], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
            .map_err(db_err)?;
        let Some((id, state, error)) = row else { return Ok(None) };
        let of = if state == DUPLICATE { self.alias_of(id)? } else { None };
        Ok(Outcome::from_row(state, error.as_deref(), of))
    }

    /// Counts by state.
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn counts(&self) -> Result<Counts, Error> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT state, COUNT(*) FROM urls GROUP BY state").map_err(db_err)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u64>(1)?))).map_err(db_err)?;
        let mut c = Counts::default();
        for row in rows {
            let (state, n) = row.map_err(db_err)?;
            match state {
                QUEUED | TAKEN => c.queued += n,
                ARTICLE => c.articles += n,
                LIST => c.lists += n,
                ROBOTS => c.robots += n,
                DUPLICATE => c.duplicates += n,
                _ => c.failed += n,
            }
        }
        Ok(c)
    }

    fn meta(&self, key: &str) -> Result<Option<String>, Error> {
        self.conn().query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional().map_err(db_err)
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<(), Error> {
        self.conn().execute("INSERT OR REPLACE INTO meta VALUES (?1, ?2)", [key, value]).map_err(db_err).map(|_| ())
    }

    /// The identity of the crawl the state belongs to, if recorded.
    pub(crate) fn identity(&self) -> Result<Option<String>, Error> {
        self.meta("identity")
    }

    pub(crate) fn set_identity(&self, identity: &str) -> Result<(), Error> {
        self.set_meta("identity", identity)
    }

    /// The address of row `id`.
    pub(crate) fn url_of(&self, id: i64) -> Result<Option<Url>, Error> {
        let row: Option<(String, String)> = self
            .conn()
            .query_row(
                "SELECT (SELECT origin FROM origins WHERE origins.id = urls.origin), path FROM urls WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(db_err)?;
        Ok(row.and_then(|(origin, path)| Url::parse(&format!("{origin}{path}")).ok()))
    }
}

#[cfg(test)]
mod tests;
