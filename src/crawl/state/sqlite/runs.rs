//! Runs of a crawl: numbered, resumed when cut short; what a new run reads
//! again (lists, sitemaps, failures that can heal, pages cut by the limit).

use std::sync::atomic::Ordering;

use rusqlite::{OptionalExtension, params};

use super::{CrawlState, db_err};
use crate::crawl::state::{RunStart, SitemapRead};
use crate::error::{Error, ErrorCode};

impl CrawlState {
    /// Runs an update that queues addresses again; how many it queued.
    fn requeue(&self, sql: &str, args: impl rusqlite::Params) -> Result<u64, Error> {
        let n = self.conn().prepare_cached(sql).map_err(db_err)?.execute(args).map_err(db_err)?;
        Ok(n as u64)
    }

    /// Starts a run: a new one (numbered one more) when the last finished,
    /// else the interrupted one is resumed. Returns how it starts and its number.
    pub(crate) fn start_run(&self) -> Result<(RunStart, i64), Error> {
        let run: i64 = self.meta("run")?.and_then(|r| r.parse().ok()).unwrap_or(0);
        let finished = self.meta("run_finished")?.as_deref() == Some("1");
        let (start, run) = if run == 0 || finished { (RunStart::New, run + 1) } else { (RunStart::Resume, run) };
        self.set_meta("run", &run.to_string())?;
        self.set_meta("run_finished", "0")?;
        self.run.store(run, Ordering::Relaxed);
        Ok((start, run))
    }

    /// Marks the current run finished: the next one is a new run.
    pub(crate) fn finish_run(&self) -> Result<(), Error> {
        self.set_meta("run_finished", "1")
    }

    /// Addresses finished in run `run`.
    pub(crate) fn done_in_run(&self, run: i64) -> Result<u64, Error> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM urls WHERE run = ?1 AND state >= 2", [run], |r| r.get(0))
            .map_err(db_err)
    }

    /// Queues again, for run `run`, the list pages (and seeds) read in an
    /// earlier run at least `age_secs` ago; they are fetched conditionally.
    /// Pages reached by a form (postbacks, data requests) are not: their
    /// forms are stale, and the list's first page leads to them again when
    /// it has something new ([`revive`](Self::revive)).
    pub(crate) fn revisit_lists(&self, run: i64, age_secs: u64) -> Result<u64, Error> {
        self.requeue(
            "UPDATE urls SET state = 0 WHERE state = 3 AND COALESCE(fetched_at, 0) <= unixepoch() - ?2
             AND id IN (SELECT id FROM lists WHERE run < ?1) AND id NOT IN (SELECT id FROM posts)",
            params![run, i64::try_from(age_secs).unwrap_or(i64::MAX)],
        )
    }

    /// Marks row `id`, whose links did not all fit under the run's page
    /// limit: it is read again (in full) by the next run.
    pub(crate) fn mark_capped(&self, id: i64) -> Result<(), Error> {
        self.conn()
            .execute(
                "INSERT INTO lists (id, run, capped) VALUES (?1, 0, 1) ON CONFLICT (id) DO UPDATE SET capped = 1",
                [id],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// Queues again, unconditionally, the pages whose links did not all fit last time.
    pub(crate) fn requeue_capped(&self) -> Result<u64, Error> {
        let n = self.requeue(
            "UPDATE urls SET state = 0 WHERE state >= 2 AND id IN (SELECT id FROM lists WHERE capped = 1)",
            [],
        )?;
        // Read in full: a conditional request would get a 304 and no links.
        self.conn()
            .execute("UPDATE lists SET capped = 0, etag = NULL, last_modified = NULL WHERE capped = 1", [])
            .map_err(db_err)?;
        Ok(n)
    }

    /// Pages whose links did not all fit under the limit, to be read again.
    pub(crate) fn capped(&self) -> Result<u64, Error> {
        self.conn().query_row("SELECT COUNT(*) FROM lists WHERE capped = 1", [], |r| r.get(0)).map_err(db_err)
    }

    /// Queues again the addresses that failed with an error that can heal
    /// (`transient`), fewer than `max_attempts` times.
    pub(crate) fn retry_failed(&self, transient: &[ErrorCode], max_attempts: u32) -> Result<u64, Error> {
        let mut n = 0;
        for code in transient {
            n += self.requeue(
                "UPDATE urls SET state = 0 WHERE state = 6 AND error = ?1 AND attempts < ?2",
                params![code.to_string(), max_attempts],
            )?;
        }
        // Server errors of every status.
        n += self.requeue(
            "UPDATE urls SET state = 0 WHERE state = 6 AND error LIKE 'http-5__' AND attempts < ?1",
            params![max_attempts],
        )?;
        Ok(n)
    }

    /// Gives up the queued addresses taken `max_attempts` times without an
    /// outcome (each time the crawl was killed while they were in flight, a
    /// page that holds its host for long): recorded as `interrupted`.
    pub(crate) fn give_up_interrupted(&self, max_attempts: u32) -> Result<u64, Error> {
        let n = self
            .conn()
            .execute(
                "UPDATE urls SET state = 6, error = 'interrupted' WHERE state = 0 AND attempts >= ?1",
                [max_attempts],
            )
            .map_err(db_err)?;
        Ok(n as u64)
    }

    /// The last read of a sitemap, if any.
    pub(crate) fn sitemap(&self, url: &str) -> Result<Option<SitemapRead>, Error> {
        self.conn()
            .query_row("SELECT run, etag, last_modified FROM sitemaps WHERE url = ?1", [url], |r| {
                Ok(SitemapRead { run: r.get(0)?, etag: r.get(1)?, last_modified: r.get(2)? })
            })
            .optional()
            .map_err(db_err)
    }

    /// Records a sitemap as read in `run`, keeping its validators unless new ones came.
    pub(crate) fn sitemap_read(
        &self,
        url: &str,
        run: i64,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<(), Error> {
        self.conn()
            .execute(
                "INSERT INTO sitemaps VALUES (?1, ?2, ?3, ?4) ON CONFLICT (url) DO UPDATE SET run = ?2,
                 etag = COALESCE(?3, etag), last_modified = COALESCE(?4, last_modified)",
                params![url, run, etag, last_modified],
            )
            .map_err(db_err)
            .map(|_| ())
    }

    /// Every sitemap read in an earlier run.
    pub(crate) fn known_sitemaps(&self) -> Result<Vec<String>, Error> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT url FROM sitemaps ORDER BY url").map_err(db_err)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }
}
