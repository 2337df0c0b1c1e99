//! Crawl state in an embedded SQLite file (feature `crawl`): frontier, seen set, outcomes; survives a kill.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use url::Url;

use crate::error::{Error, ErrorKind};

/// What became of a fetched address.
///
/// ```
/// assert_eq!(report_scraper::Outcome::Article.as_str(), "article");
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
    /// It failed (the error kind is kept with it).
    Failed,
}

impl Outcome {
    /// The name stored in the state file.
    ///
    /// ```
    /// assert_eq!(report_scraper::Outcome::Robots.as_str(), "robots");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Article => "article",
            Outcome::List => "list",
            Outcome::Robots => "robots",
            Outcome::Duplicate => "duplicate",
            Outcome::Failed => "failed",
        }
    }
}

/// Counts of addresses by state.
///
/// ```
/// let s = report_scraper::CrawlState::in_memory().unwrap();
/// assert_eq!(s.counts().unwrap().queued, 0);
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

/// The frontier and the seen set of a crawl, in one SQLite file. Every
/// change is committed at once (WAL journal), so killing the process loses
/// nothing that was recorded; addresses taken but not finished go back to
/// the queue when the file is opened again.
///
/// ```
/// use report_scraper::{CrawlState, Outcome};
/// let state = CrawlState::in_memory().unwrap();
/// let url = "https://www.example.cn/a.html".parse().unwrap();
/// assert!(state.enqueue(&url, 0).unwrap());
/// assert!(!state.enqueue(&url, 1).unwrap()); // seen already
/// let batch = state.take(10).unwrap();
/// assert_eq!(batch, vec![(url.clone(), 0)]);
/// state.finish(&url, Outcome::Article, None).unwrap();
/// assert_eq!(state.counts().unwrap().articles, 1);
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
    Error::new(ErrorKind::State { message: e.to_string() })
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
    /// assert!(report_scraper::CrawlState::in_memory().is_ok());
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
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn enqueue(&self, url: &Url, depth: u32) -> Result<bool, Error> {
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
    ///
    /// ```
    /// let s = report_scraper::CrawlState::in_memory().unwrap();
    /// let url = "https://www.example.cn/final.html".parse().unwrap();
    /// assert!(s.claim(&url, 1).unwrap());
    /// assert!(!s.claim(&url, 1).unwrap());
    /// assert!(s.take(1).unwrap().is_empty()); // in flight, not queued
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn claim(&self, url: &Url, depth: u32) -> Result<bool, Error> {
        self.insert(url, depth, "taken")
    }

    /// Counts addresses that were fetched or refused (everything not queued).
    ///
    /// ```
    /// let s = report_scraper::CrawlState::in_memory().unwrap();
    /// assert_eq!(s.done().unwrap(), 0);
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn done(&self) -> Result<u64, Error> {
        self.conn
            .query_row("SELECT COUNT(*) FROM urls WHERE state NOT IN ('queued', 'taken')", [], |r| r.get(0))
            .map_err(db_err)
    }

    /// Takes up to `n` queued addresses, oldest first, marking them in flight.
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn take(&self, n: usize) -> Result<Vec<(Url, u32)>, Error> {
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
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn finish(&self, url: &Url, outcome: Outcome, error: Option<&str>) -> Result<(), Error> {
        self.conn
            .execute("UPDATE urls SET state = ?2, error = ?3 WHERE url = ?1", params![url.as_str(), outcome.as_str(), error])
            .map_err(db_err)?;
        Ok(())
    }

    /// The recorded outcome of an address, if it was finished.
    ///
    /// # Errors
    /// [`ErrorKind::State`] on a database failure.
    pub fn outcome(&self, url: &Url) -> Result<Option<String>, Error> {
        self.conn
            .query_row("SELECT state FROM urls WHERE url = ?1", params![url.as_str()], |r| r.get(0))
            .optional()
            .map_err(db_err)
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
            s.finish(&taken[0].0, Outcome::Article, None).unwrap();
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
        let plan: String = s
            .conn
            .query_row("EXPLAIN QUERY PLAN SELECT MAX(seq) FROM urls", [], |r| r.get(3))
            .unwrap();
        assert!(plan.contains("urls_seq"), "MAX(seq) is not read from its index: {plan}");
        assert_eq!(s.take(1).unwrap()[0].0.as_str(), "http://a.cn/0.html");
    }

    #[test]
    fn outcomes_are_counted() {
        let s = CrawlState::in_memory().unwrap();
        for (i, o) in [Outcome::Article, Outcome::List, Outcome::Robots, Outcome::Duplicate, Outcome::Failed].into_iter().enumerate() {
            let u = url(&format!("http://a.cn/{i}"));
            s.enqueue(&u, 0).unwrap();
            s.take(1).unwrap();
            s.finish(&u, o, (o == Outcome::Failed).then_some("timeout")).unwrap();
        }
        assert_eq!(s.counts().unwrap(), Counts { queued: 0, articles: 1, lists: 1, robots: 1, duplicates: 1, failed: 1 });
        assert_eq!(s.outcome(&url("http://a.cn/4")).unwrap().as_deref(), Some("failed"));
    }
}
