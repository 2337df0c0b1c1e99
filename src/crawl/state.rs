//! Crawl state in an embedded SQLite file (feature `crawl`): frontier, seen set, outcomes; survives a kill.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use url::Url;

use crate::error::{Error, ErrorCode, ErrorKind};

/// What became of a fetched address.
///
/// ```
/// use report_scraper::{ErrorCode, Outcome};
/// assert_eq!(Outcome::Article.to_string(), "article");
/// assert_eq!(Outcome::Failed(ErrorCode::Http(404)).to_string(), "failed (http-404)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// An article, written to the output.
    Article,
    /// A list or index page: its links were followed, nothing was written.
    List,
    /// robots.txt disallowed it.
    Robots,
    /// It redirected to an address seen already (recorded under that address).
    Duplicate,
    /// It failed, with the kind of failure.
    Failed(ErrorCode),
}

impl Outcome {
    /// The name of the state stored in the state file.
    fn state(self) -> &'static str {
        match self {
            Outcome::Article => "article",
            Outcome::List => "list",
            Outcome::Robots => "robots",
            Outcome::Duplicate => "duplicate",
            Outcome::Failed(_) => "failed",
        }
    }

    /// Reads back a stored state and error code.
    fn from_row(state: &str, error: Option<&str>) -> Option<Outcome> {
        Some(match state {
            "article" => Outcome::Article,
            "list" => Outcome::List,
            "robots" => Outcome::Robots,
            "duplicate" => Outcome::Duplicate,
            "failed" => Outcome::Failed(error.and_then(|e| e.parse().ok()).unwrap_or(ErrorCode::Internal)),
            _ => return None,
        })
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Failed(code) => write!(f, "failed ({code})"),
            other => f.write_str(other.state()),
        }
    }
}

/// Counts of addresses by state.
///
/// ```
/// let s = report_scraper::CrawlState::in_memory()?;
/// assert_eq!(s.counts()?.queued, 0);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    /// Redirects to an address seen already.
    pub duplicates: u64,
    /// Failed.
    pub failed: u64,
}

impl Counts {
    /// Addresses finished one way or another: everything not queued.
    ///
    /// ```
    /// assert_eq!(report_scraper::Counts::default().done(), 0);
    /// ```
    pub fn done(&self) -> u64 {
        self.articles + self.lists + self.robots + self.duplicates + self.failed
    }
}

/// The frontier and the seen set of a crawl, in one SQLite file. Every
/// change is committed at once (WAL journal), so killing the process loses
/// nothing that was recorded; addresses taken but not finished go back to
/// the queue when the file is opened again. The [`Crawler`](crate::Crawler)
/// runs the queue; a user reads the counts and outcomes, and marks what an
/// output already holds ([`mark_written`](Self::mark_written)).
///
/// ```
/// use report_scraper::{CrawlState, Outcome};
/// let state = CrawlState::in_memory()?;
/// let url = "https://www.example.cn/a.html".parse().unwrap();
/// state.mark_written(&url)?;
/// assert_eq!(state.outcome(&url)?, Some(Outcome::Article));
/// assert_eq!(state.counts()?.articles, 1);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug)]
pub struct CrawlState {
    conn: Connection,
}

const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    CREATE TABLE IF NOT EXISTS urls (
        url     TEXT PRIMARY KEY,
        depth   INTEGER NOT NULL,
        state   TEXT NOT NULL DEFAULT 'queued',
        error   TEXT,
        seq     INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS urls_state ON urls (state, seq);
    -- Keeps MAX(seq) on every insert a lookup, not a scan of the whole table.
    CREATE INDEX IF NOT EXISTS urls_seq ON urls (seq);
";

fn db_err(e: rusqlite::Error) -> Error {
    Error::new(ErrorKind::State { source: Box::new(e) })
}

impl CrawlState {
    /// Opens (or creates) the state file; addresses left in flight by a
    /// killed run are queued again.
    ///
    /// # Errors
    /// [`ErrorKind::State`] when the file cannot be opened or is not a state file.
    pub fn open(path: &Path) -> Result<CrawlState, Error> {
        Self::setup(Connection::open(path).map_err(db_err)?)
    }

    /// A state that lives in memory only (for tests and one-off crawls).
    ///
    /// ```
    /// let s = report_scraper::CrawlState::in_memory()?;
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
        conn.execute_batch(SCHEMA).map_err(db_err)?;
        conn.execute("UPDATE urls SET state = 'queued' WHERE state = 'taken'", []).map_err(db_err)?;
        Ok(CrawlState { conn })
    }

    /// Adds an address unless it was ever seen; true when it is new.
    pub(crate) fn enqueue(&self, url: &Url, depth: u32) -> Result<bool, Error> {
        self.insert(url, depth, "queued")
    }

    /// Inserts an address never seen in the given state; true when it was new.
    fn insert(&self, url: &Url, depth: u32, state: &str) -> Result<bool, Error> {
        let n = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO urls (url, depth, state, seq) VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(seq), 0) + 1 FROM urls))",
                params![url.as_str(), depth, state],
            )
            .map_err(db_err)?;
        Ok(n == 1)
    }

    /// Claims an address reached by a redirect: true (and marked in flight)
    /// when it was never seen, false when it is known already, so the page
    /// behind two addresses is recorded once.
    pub(crate) fn claim(&self, url: &Url, depth: u32) -> Result<bool, Error> {
        self.insert(url, depth, "taken")
    }

    /// Counts addresses that were fetched or refused (everything not queued).
    pub(crate) fn done(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT COUNT(*) FROM urls WHERE state NOT IN ('queued', 'taken')", [], |r| r.get(0))
            .map_err(db_err)
    }

    /// Takes up to `n` queued addresses, oldest first, marking them in flight.
    pub(crate) fn take(&self, n: usize) -> Result<Vec<(Url, u32)>, Error> {
        let mut stmt = self
            .conn
            .prepare("UPDATE urls SET state = 'taken' WHERE url IN (SELECT url FROM urls WHERE state = 'queued' ORDER BY seq LIMIT ?1) RETURNING url, depth, seq")
            .map_err(db_err)?;
        let mut rows: Vec<(String, u32, i64)> = stmt
            .query_map(params![i64::try_from(n).unwrap_or(i64::MAX)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err)?;
        rows.sort_by_key(|r| r.2);
        Ok(rows.into_iter().filter_map(|(u, d, _)| Url::parse(&u).ok().map(|u| (u, d))).collect())
    }

    /// Records what became of an address taken with [`take`](Self::take).
    pub(crate) fn finish(&self, url: &Url, outcome: Outcome) -> Result<(), Error> {
        let error = match outcome {
            Outcome::Failed(code) => Some(code.to_string()),
            _ => None,
        };
        self.conn
            .execute(
                "UPDATE urls SET state = ?2, error = ?3 WHERE url = ?1",
                params![url.as_str(), outcome.state(), error],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// Records an address as written to the output, whether the state
    /// knew it or not: it is neither fetched nor written again. An output
    /// sink calls it for what the output already holds
    /// ([`JsonlSink::open`](crate::JsonlSink::open) does).
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn mark_written(&self, url: &Url) -> Result<(), Error> {
        self.insert(url, 0, "article")?;
        self.finish(url, Outcome::Article)
    }

    /// The recorded outcome of an address, if it was finished.
    ///
    /// ```
    /// let s = report_scraper::CrawlState::in_memory()?;
    /// assert_eq!(s.outcome(&"https://a.cn/x.html".parse().unwrap())?, None);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn outcome(&self, url: &Url) -> Result<Option<Outcome>, Error> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .query_row("SELECT state, error FROM urls WHERE url = ?1", params![url.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(db_err)?;
        Ok(row.and_then(|(state, error)| Outcome::from_row(&state, error.as_deref())))
    }

    /// Counts by state.
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn counts(&self) -> Result<Counts, Error> {
        let mut stmt = self.conn.prepare("SELECT state, COUNT(*) FROM urls GROUP BY state").map_err(db_err)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?))).map_err(db_err)?;
        let mut c = Counts::default();
        for row in rows {
            let (state, n) = row.map_err(db_err)?;
            match state.as_str() {
                "queued" | "taken" => c.queued += n,
                "article" => c.articles += n,
                "list" => c.lists += n,
                "robots" => c.robots += n,
                "duplicate" => c.duplicates += n,
                _ => c.failed += n,
            }
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        s.parse().unwrap()
    }

    #[test]
    fn a_killed_run_resumes_without_losing_or_repeating() {
        let dir = std::env::temp_dir().join(format!("rs-state-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("crawl.db");
        let _ = std::fs::remove_file(&path);
        {
            let s = CrawlState::open(&path).unwrap();
            for i in 0..5 {
                s.enqueue(&url(&format!("http://a.cn/{i}.html")), 1).unwrap();
            }
            let taken = s.take(3).unwrap();
            s.finish(&taken[0].0, Outcome::Article).unwrap();
            // The process dies here: 1 finished, 2 in flight, 2 queued.
        }
        let s = CrawlState::open(&path).unwrap();
        assert_eq!(s.counts().unwrap(), Counts { queued: 4, articles: 1, ..Counts::default() });
        let rest: Vec<String> = s.take(10).unwrap().into_iter().map(|(u, _)| u.to_string()).collect();
        assert_eq!(rest, ["http://a.cn/1.html", "http://a.cn/2.html", "http://a.cn/3.html", "http://a.cn/4.html"]);
        assert!(!s.enqueue(&url("http://a.cn/0.html"), 0).unwrap());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_large_frontier_stays_fast_to_grow() {
        // 20,000 inserts: with a scan per insert this would be 200 million row reads.
        let s = CrawlState::in_memory().unwrap();
        for i in 0..20_000 {
            assert!(s.enqueue(&url(&format!("http://a.cn/{i}.html")), 1).unwrap());
        }
        let plan: String = s.conn.query_row("EXPLAIN QUERY PLAN SELECT MAX(seq) FROM urls", [], |r| r.get(3)).unwrap();
        assert!(plan.contains("urls_seq"), "MAX(seq) is not read from its index: {plan}");
        assert_eq!(s.take(1).unwrap()[0].0.as_str(), "http://a.cn/0.html");
    }

    #[test]
    fn outcomes_are_counted() {
        let s = CrawlState::in_memory().unwrap();
        let outcomes = [
            Outcome::Article,
            Outcome::List,
            Outcome::Robots,
            Outcome::Duplicate,
            Outcome::Failed(ErrorCode::Http(503)),
        ];
        for (i, o) in outcomes.into_iter().enumerate() {
            let u = url(&format!("http://a.cn/{i}"));
            s.enqueue(&u, 0).unwrap();
            s.take(1).unwrap();
            s.finish(&u, o).unwrap();
        }
        assert_eq!(
            s.counts().unwrap(),
            Counts { queued: 0, articles: 1, lists: 1, robots: 1, duplicates: 1, failed: 1 }
        );
        for (i, o) in outcomes.into_iter().enumerate() {
            assert_eq!(s.outcome(&url(&format!("http://a.cn/{i}"))).unwrap(), Some(o));
        }
        assert_eq!(s.outcome(&url("http://a.cn/queued")).unwrap(), None);
    }

    #[test]
    fn an_address_marked_written_is_never_queued() {
        let s = CrawlState::in_memory().unwrap();
        let u = url("http://a.cn/old.html");
        s.mark_written(&u).unwrap();
        assert!(!s.enqueue(&u, 0).unwrap());
        s.enqueue(&url("http://a.cn/new.html"), 0).unwrap();
        s.mark_written(&url("http://a.cn/new.html")).unwrap();
        assert!(s.take(10).unwrap().is_empty());
        assert_eq!(s.counts().unwrap().articles, 2);
    }
}
