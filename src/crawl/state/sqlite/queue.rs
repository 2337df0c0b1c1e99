//! The frontier: addresses added once (by key), handed out host by host in
//! the order they were found, and finished with their outcome.

use rusqlite::{Connection, params};
use url::Url;

use super::{CrawlState, db_err};
use crate::crawl::state::keys::split;
use crate::crawl::state::{ARTICLE, Found, LIST, Outcome, QUEUED, TAKEN, Taken};
use crate::error::Error;

/// Inserts at least this large fold the write-ahead log into the file at once.
const BULK: usize = 1000;

impl CrawlState {
    fn origin_id(conn: &Connection, origin: &str) -> Result<i64, Error> {
        conn.execute("INSERT OR IGNORE INTO origins (origin) VALUES (?1)", [origin]).map_err(db_err)?;
        conn.query_row("SELECT id FROM origins WHERE origin = ?1", [origin], |r| r.get(0)).map_err(db_err)
    }

    /// Adds an address unless it was ever seen; true when it is new.
    #[cfg(test)]
    pub(crate) fn enqueue(&self, url: &Url, depth: u32) -> Result<bool, Error> {
        Ok(self.enqueue_many(std::iter::once(Found::get(url.clone(), depth)))? == 1)
    }

    /// Adds the addresses never seen, in one transaction; how many were new.
    #[cfg(test)]
    pub(crate) fn enqueue_many(&self, found: impl IntoIterator<Item = Found>) -> Result<usize, Error> {
        Ok(self.insert_many(found, QUEUED, usize::MAX)?.0)
    }

    /// Adds at most `room` addresses never seen; how many were new, and
    /// how many more were never seen but did not fit. Known addresses take
    /// no room.
    pub(crate) fn enqueue_within(&self, found: Vec<Found>, room: usize) -> Result<(usize, usize), Error> {
        self.insert_many(found, QUEUED, room)
    }

    pub(super) fn insert_many(
        &self,
        found: impl IntoIterator<Item = Found>,
        state: i64,
        room: usize,
    ) -> Result<(usize, usize), Error> {
        // Keys first: they read the learned parameters, which the connection's lock must not wait on.
        let rows: Vec<(i64, Found)> =
            found.into_iter().map(|f| (self.key(&f.url, f.post.as_ref().map(|p| p.selects.as_str())), f)).collect();
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_err)?;
        let (mut new, mut cut) = (0, 0);
        {
            let mut known = tx.prepare_cached("SELECT 1 FROM urls WHERE key = ?1").map_err(db_err)?;
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO urls (key, origin, path, depth, state) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(db_err)?;
            let mut body = tx.prepare_cached("INSERT OR REPLACE INTO posts VALUES (?1, ?2)").map_err(db_err)?;
            let mut last_origin: Option<(String, i64)> = None;
            for (key, f) in rows {
                if new >= room {
                    cut += usize::from(!known.exists([key]).map_err(db_err)?);
                    continue;
                }
                let (origin, path) = split(&f.url);
                let origin_id = match &last_origin {
                    Some((o, id)) if *o == origin => *id,
                    _ => {
                        let id = Self::origin_id(&tx, &origin)?;
                        last_origin = Some((origin, id));
                        id
                    }
                };
                let added = insert.execute(params![key, origin_id, path, f.depth, state]).map_err(db_err)?;
                if added == 1
                    && let Some(post) = &f.post
                {
                    body.execute(params![tx.last_insert_rowid(), post.body]).map_err(db_err)?;
                }
                new += added;
            }
        }
        tx.commit().map_err(db_err)?;
        // A bulk insert (a sitemap's batch) leaves a long log behind: fold it into the file now.
        if new >= BULK {
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").map_err(db_err)?;
        }
        Ok((new, cut))
    }

    /// Claims an address reached another way (a redirect's target): its row
    /// when it was never seen (marked in flight), `None` when it is known
    /// already, so the page behind two addresses is recorded once.
    pub(crate) fn claim(&self, url: &Url, depth: u32) -> Result<Option<i64>, Error> {
        if self.insert_many(std::iter::once(Found::get(url.clone(), depth)), TAKEN, 1)?.0 == 0 {
            return Ok(None);
        }
        self.row_of(url, None)
    }

    /// The row of an address, if it was seen.
    pub(crate) fn row_of(&self, url: &Url, selects: Option<&str>) -> Result<Option<i64>, Error> {
        use rusqlite::OptionalExtension;
        let key = self.key(url, selects);
        self.conn().query_row("SELECT id FROM urls WHERE key = ?1", [key], |r| r.get(0)).optional().map_err(db_err)
    }

    /// Another row with the key that `taken` has now: an address queued
    /// before a parameter of its was learned to be irrelevant, whose
    /// variant without it is known. It need not be fetched.
    pub(crate) fn known_as(&self, taken: &Taken) -> Result<Option<i64>, Error> {
        if taken.form.is_some() || taken.url.query().is_none() {
            return Ok(None);
        }
        use rusqlite::OptionalExtension;
        let key = self.key(&taken.url, None);
        self.conn()
            .query_row("SELECT id FROM urls WHERE key = ?1 AND id != ?2", params![key, taken.id], |r| r.get(0))
            .optional()
            .map_err(db_err)
    }

    /// Records the queued addresses of the origins `keep` refuses as failed
    /// (`out-of-scope`): they are not fetched. How many.
    pub(crate) fn drop_queued(&self, keep: impl Fn(&str) -> bool) -> Result<u64, Error> {
        let mut n = 0;
        for (row, origin) in self.queued_origins()? {
            if !keep(&origin) {
                n += self
                    .conn()
                    .execute("UPDATE urls SET state = 6, error = 'out-of-scope' WHERE origin = ?1 AND state = 0", [row])
                    .map_err(db_err)? as u64;
            }
        }
        Ok(n)
    }

    /// The origins (rows and `scheme://host:port`) that have queued addresses.
    pub(crate) fn queued_origins(&self) -> Result<Vec<(i64, String)>, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, origin FROM origins o
                 WHERE EXISTS (SELECT 1 FROM urls u WHERE u.origin = o.id AND u.state = 0)",
            )
            .map_err(db_err)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(db_err)?;
        rows.collect::<Result<_, _>>().map_err(db_err)
    }

    /// Takes up to `n` queued addresses of one origin, oldest first, marking them in flight.
    pub(crate) fn take_from(&self, origin: i64, n: usize) -> Result<Vec<Taken>, Error> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "UPDATE urls SET state = 1, attempts = attempts + 1 WHERE id IN
                     (SELECT id FROM urls WHERE origin = ?1 AND state = 0 ORDER BY id LIMIT ?2)
                 RETURNING id, (SELECT origin FROM origins WHERE origins.id = urls.origin), path, depth, attempts,
                     (SELECT etag FROM lists WHERE lists.id = urls.id),
                     (SELECT last_modified FROM lists WHERE lists.id = urls.id),
                     (SELECT body FROM posts WHERE posts.id = urls.id)",
            )
            .map_err(db_err)?;
        let limit = i64::try_from(n).unwrap_or(i64::MAX);
        let mut rows: Vec<(i64, Option<Taken>)> = stmt
            .query_map(params![origin, limit], |r| {
                let (id, host, path): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                let url = Url::parse(&format!("{host}{path}")).ok();
                let taken = url.map(|url| Taken {
                    id,
                    origin,
                    url,
                    depth: r.get(3).unwrap_or(0),
                    attempts: r.get(4).unwrap_or(0),
                    etag: r.get(5).unwrap_or(None),
                    last_modified: r.get(6).unwrap_or(None),
                    form: r.get(7).unwrap_or(None),
                });
                Ok((id, taken))
            })
            .map_err(db_err)?
            .collect::<Result<_, _>>()
            .map_err(db_err)?;
        rows.sort_by_key(|r| r.0);
        Ok(rows.into_iter().filter_map(|(_, t)| t).collect())
    }

    /// Takes up to `n` queued addresses, origin by origin (for tests).
    #[cfg(test)]
    pub(crate) fn take(&self, n: usize) -> Result<Vec<Taken>, Error> {
        let mut out = Vec::new();
        for (origin, _) in self.queued_origins()? {
            out.extend(self.take_from(origin, n - out.len())?);
        }
        out.sort_by_key(|t| t.id);
        Ok(out)
    }

    /// Records what became of row `id` (for a duplicate, see [`duplicate`](Self::duplicate)).
    pub(crate) fn finish_row(&self, id: i64, outcome: &Outcome) -> Result<(), Error> {
        let (error, failed) = match outcome {
            Outcome::Failed(code) => (Some(code.to_string()), true),
            _ => (None, false),
        };
        let run = self.run.load(std::sync::atomic::Ordering::Relaxed);
        // Attempts were counted when it was taken; a success starts the count again.
        self.conn()
            .execute(
                "UPDATE urls SET state = ?2, error = ?3, attempts = CASE WHEN ?4 THEN attempts ELSE 0 END,
                 fetched_at = unixepoch(), run = ?5 WHERE id = ?1",
                params![id, outcome.code(), error, failed, run],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// Records what became of an address reached by GET, by its key.
    pub(crate) fn finish(&self, url: &Url, outcome: &Outcome) -> Result<(), Error> {
        match self.row_of(url, None)? {
            Some(id) => self.finish_row(id, outcome),
            None => Ok(()),
        }
    }

    /// Records row `id` as a list page read in `run`, with the validators of its response.
    pub(crate) fn finish_list(
        &self,
        id: i64,
        run: i64,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<(), Error> {
        self.finish_row(id, &Outcome::List)?;
        self.conn()
            .execute(
                "INSERT INTO lists (id, run, etag, last_modified) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET run = ?2, etag = COALESCE(?3, etag),
                     last_modified = COALESCE(?4, last_modified)",
                params![id, run, etag, last_modified],
            )
            .map_err(db_err)?;
        Ok(())
    }

    /// Records an address as written to the output, whether the state
    /// knew it or not: it is neither fetched nor written again. An output
    /// sink calls it for what the output already holds
    /// ([`JsonlSink::open`](crate::crawl::JsonlSink::open) does).
    ///
    /// # Errors
    /// [`ErrorKind::State`](crate::ErrorKind::State) on a database failure.
    pub fn mark_written(&self, url: &Url) -> Result<(), Error> {
        self.insert_many(std::iter::once(Found::get(url.clone(), 0)), ARTICLE, 1)?;
        self.finish(url, &Outcome::Article)
    }

    /// Makes the state agree with an output that holds the pages `kept`:
    /// each is recorded as written (known or not: a state started afresh
    /// beside an old output writes nothing twice), and every article the
    /// state records as written that the output lacks (an output lost or cut
    /// behind the state's back) is queued again, to be fetched and written
    /// again. Returns how many were queued again. An output of your own
    /// (files, a database) calls it when opened, as
    /// [`JsonlSink::open`](crate::crawl::JsonlSink::open) does for its file.
    ///
    /// ```
    /// use report_scraper::crawl::{CrawlState, Outcome};
    /// let state = CrawlState::in_memory()?;
    /// let (a, b) = ("http://a.cn/1.html".parse().unwrap(), "http://a.cn/2.html".parse().unwrap());
    /// state.mark_written(&a)?;
    /// state.mark_written(&b)?;
    /// // The output holds only the first: the second is queued, to be written again.
    /// assert_eq!(state.reconcile([a.clone()])?, 1);
    /// assert_eq!(state.outcome(&a)?, Some(Outcome::Article));
    /// assert_eq!(state.outcome(&b)?, None);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::State`](crate::ErrorKind::State) on a database failure.
    pub fn reconcile(&self, kept: impl IntoIterator<Item = Url>) -> Result<u64, Error> {
        let kept: Vec<Url> = kept.into_iter().collect();
        self.insert_many(kept.iter().map(|u| Found::get(u.clone(), 0)), ARTICLE, usize::MAX)?;
        let keys: Vec<i64> = kept.iter().map(|u| self.key(u, None)).collect();
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_err)?;
        tx.execute_batch("CREATE TEMP TABLE IF NOT EXISTS kept (key INTEGER PRIMARY KEY); DELETE FROM kept;")
            .map_err(db_err)?;
        {
            let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO kept VALUES (?1)").map_err(db_err)?;
            let mut written =
                tx.prepare_cached("UPDATE urls SET state = 2, error = NULL WHERE key = ?1").map_err(db_err)?;
            for key in &keys {
                insert.execute([key]).map_err(db_err)?;
                written.execute([key]).map_err(db_err)?;
            }
        }
        let n = tx
            .execute("UPDATE urls SET state = 0 WHERE state = 2 AND key NOT IN (SELECT key FROM kept)", [])
            .map_err(db_err)?;
        tx.execute_batch("DROP TABLE kept;").map_err(db_err)?;
        tx.commit().map_err(db_err)?;
        Ok(n as u64)
    }

    /// Queues again, with the body found now, the next page of a list that
    /// was read as a list in an earlier run: a list read again that led to
    /// something new may have more on its next page. True when it was queued.
    pub(crate) fn revive(&self, page: &Found, run: i64) -> Result<bool, Error> {
        use rusqlite::OptionalExtension;
        let key = self.key(&page.url, page.post.as_ref().map(|p| p.selects.as_str()));
        let conn = self.conn();
        let revived: Option<i64> = conn
            .query_row(
                "UPDATE urls SET state = 0 WHERE key = ?1 AND state = ?2
                 AND id IN (SELECT id FROM lists WHERE run < ?3) RETURNING id",
                params![key, LIST, run],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)?;
        if let (Some(id), Some(post)) = (revived, &page.post) {
            conn.execute("INSERT OR REPLACE INTO posts VALUES (?1, ?2)", params![id, post.body]).map_err(db_err)?;
        }
        Ok(revived.is_some())
    }
}
