//! One article, one record: fingerprints of the articles written, aliases
//! of the addresses that duplicate another, and the query parameters
//! learned to be irrelevant on a host (two addresses that differ only by
//! them gave the same article), which leave that host's keys from then on.

use rusqlite::{OptionalExtension, params};
use url::Url;

use super::{CrawlState, db_err};
use crate::crawl::state::{ARTICLE, DUPLICATE, Holder, LEARN_AFTER};
use crate::error::Error;

impl CrawlState {
    /// Reads the learned parameters into memory.
    pub(super) fn load_learned(&self) -> Result<(), Error> {
        let rows: Vec<(String, String)> = {
            let conn = self.conn();
            let mut stmt = conn
                .prepare("SELECT origin, name FROM params GROUP BY origin, name HAVING COUNT(*) >= ?1")
                .map_err(db_err)?;
            let rows = stmt.query_map([LEARN_AFTER], |r| Ok((r.get(0)?, r.get(1)?))).map_err(db_err)?;
            rows.collect::<Result<_, _>>().map_err(db_err)?
        };
        self.learned.replace(rows);
        Ok(())
    }

    /// Records evidence that on `origin` the parameters `names` choose
    /// nothing (`evidence`: the address they were added to); once a
    /// parameter has [`LEARN_AFTER`] pieces, keys made from then on leave it
    /// out. The parameters learned by this call come back.
    pub(crate) fn learn(&self, origin: &str, names: &[String], evidence: &str) -> Result<Vec<String>, Error> {
        let mut pieces = Vec::new();
        {
            let conn = self.conn();
            let mut insert = conn.prepare_cached("INSERT OR IGNORE INTO params VALUES (?1, ?2, ?3)").map_err(db_err)?;
            let mut count =
                conn.prepare_cached("SELECT COUNT(*) FROM params WHERE origin = ?1 AND name = ?2").map_err(db_err)?;
            for name in names {
                let added = insert.execute(params![origin, name, evidence]).map_err(db_err)?;
                let n: i64 = count.query_row(params![origin, name], |r| r.get(0)).map_err(db_err)?;
                pieces.push((name.clone(), added == 1, n));
            }
        }
        Ok(self.learned.evidence(origin, pieces))
    }

    /// The query parameters learned to be irrelevant, as `(origin, name)`:
    /// on that origin, addresses that differed only by them gave the same
    /// article (twice, at different addresses), so they leave its keys and
    /// their variants are not fetched.
    ///
    /// ```
    /// let s = report_scraper::crawl::CrawlState::in_memory()?;
    /// assert!(s.irrelevant_params()?.is_empty());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::State`](crate::ErrorKind::State) on a database failure.
    pub fn irrelevant_params(&self) -> Result<Vec<(String, String)>, Error> {
        Ok(self.learned.list())
    }

    /// The address that holds an article's fingerprint, if any.
    pub(crate) fn holder(&self, fp: i64) -> Result<Option<Holder>, Error> {
        let row: Option<(i64, i64)> = self
            .conn()
            .query_row(
                "SELECT f.id, u.state FROM fingerprints f JOIN urls u ON u.id = f.id WHERE f.fp = ?1",
                [fp],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(db_err)?;
        let Some((id, state)) = row else { return Ok(None) };
        Ok(self.url_of(id)?.map(|url| Holder { id, url, written: state == ARTICLE }))
    }

    /// Makes row `id` the holder of these fingerprints, before its articles
    /// are written: a holder whose article is written keeps them.
    pub(crate) fn hold(&self, fps: &[i64], id: i64) -> Result<(), Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "INSERT INTO fingerprints VALUES (?1, ?2) ON CONFLICT (fp) DO UPDATE SET id = excluded.id
                 WHERE (SELECT state FROM urls WHERE urls.id = fingerprints.id) IS NOT 2",
            )
            .map_err(db_err)?;
        for fp in fps {
            stmt.execute(params![fp, id]).map_err(db_err)?;
        }
        Ok(())
    }

    /// Records row `id` as a duplicate of row `of`, and why.
    pub(crate) fn duplicate(&self, id: i64, of: i64, why: &str) -> Result<(), Error> {
        let run = self.run.load(std::sync::atomic::Ordering::Relaxed);
        let conn = self.conn();
        conn.execute(
            "UPDATE urls SET state = ?2, error = NULL, fetched_at = unixepoch(), run = ?3 WHERE id = ?1",
            params![id, DUPLICATE, run],
        )
        .map_err(db_err)?;
        conn.execute("INSERT OR REPLACE INTO aliases VALUES (?1, ?2, ?3)", params![id, of, why]).map_err(db_err)?;
        Ok(())
    }

    /// The address row `id` duplicates, if recorded.
    pub(super) fn alias_of(&self, id: i64) -> Result<Option<Url>, Error> {
        let of: Option<i64> = self
            .conn()
            .query_row("SELECT of FROM aliases WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(db_err)?;
        match of {
            Some(of) => self.url_of(of),
            None => Ok(None),
        }
    }
}
