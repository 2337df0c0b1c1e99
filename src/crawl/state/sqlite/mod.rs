//! The state in an embedded SQLite file (feature `crawl`), for one process:
//!
//! - [`backend`]: the crawl loop's operations, each done when called;
//! - [`queue`]: adding addresses, handing them out by host, finishing them;
//! - [`runs`]: runs, revisits, retries, sitemaps read;
//! - [`dedup`]: articles' fingerprints, aliases, learned parameters;
//! - [`reposts`]: copies kept for finding reposts across sites.
//!
//! Sized for a million addresses: an address is kept once, as its origin's
//! number and its path; the seen set is a 64-bit SipHash of the canonical
//! form (a collision among a million addresses has odds of about 3 in
//! 10⁸); states are small integers; the queue's index holds queued rows only.

mod backend;
mod dedup;
mod queue;
mod reposts;
mod runs;

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::AtomicI64;

use rusqlite::{Connection, OptionalExtension, params};
use url::Url;

use super::keys::Learned;
use super::{Counts, DUPLICATE, Outcome};
use crate::error::{Error, ErrorKind};

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
    /// Query parameters learned to be irrelevant (a copy of the `params`
    /// table, read by every key).
    learned: Learned,
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
    -- Copies of articles kept for finding reposts across sites: what each
    -- says of itself and its fingerprint; its bands index the copies.
    CREATE TABLE IF NOT EXISTS reposts (
        row           INTEGER NOT NULL,
        part          INTEGER NOT NULL,
        grp           TEXT NOT NULL,
        url           TEXT NOT NULL,
        published     TEXT,
        source        TEXT,
        sites         TEXT NOT NULL,
        truncated     INTEGER NOT NULL,
        chars         INTEGER NOT NULL,
        fp            BLOB NOT NULL,
        PRIMARY KEY (row, part)
    );
    CREATE TABLE IF NOT EXISTS repost_bands (
        band          INTEGER NOT NULL,
        row           INTEGER NOT NULL,
        part          INTEGER NOT NULL,
        PRIMARY KEY (band, row, part)
    ) WITHOUT ROWID;
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
        let state = CrawlState { conn: Mutex::new(conn), run: AtomicI64::new(0), learned: Learned::default() };
        state.load_learned()?;
        Ok(state)
    }

    /// The seen-set key of an address (see [`Learned::key`]).
    pub(in crate::crawl::state) fn key(&self, url: &Url, selects: Option<&str>) -> i64 {
        self.learned.key(url, selects)
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
            c.add(state, n);
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
