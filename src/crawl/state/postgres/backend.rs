//! The crawl loop's operations on PostgreSQL: the SQLite backend's, with
//! every row keyed by its crawl, leases on what is in flight, and host
//! turns shared by the workers.

use std::time::Duration;

use deadpool_postgres::GenericClient;
use url::Url;

use super::turns::MIN_WAIT;
use super::{PgState, pg_err};
use crate::crawl::CrawledArticle;
use crate::crawl::state::backend::{Backend, Op};
use crate::crawl::state::keys::split;
use crate::crawl::state::{
    ARTICLE, Claim, Counts, Found, Holder, KeptCopy, LIST, Outcome, QUEUED, RunStart, SitemapRead, TAKEN, Taken, Turn,
};
use crate::error::{Error, ErrorCode};

/// A worker says it is alive (for `--status`) at most this often.
const ALIVE_EVERY_SECS: i64 = 5;

/// How often a worker with nothing to do looks for what other workers queued.
const LOOK_AGAIN: Duration = Duration::from_millis(500);

impl PgState {
    /// The row of an address, by key.
    async fn row_by_key(&self, key: i64) -> Result<Option<i64>, Error> {
        let client = self.client().await?;
        let row = client
            .query_opt("SELECT id FROM report_scraper.urls WHERE crawl = $1 AND key = $2", &[&self.crawl, &key])
            .await
            .map_err(pg_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Inserts the addresses never seen, at most `room`, with `state`; how
    /// many were new, how many more never seen did not fit.
    async fn insert_many(&self, found: Vec<Found>, state: i64, room: usize) -> Result<(usize, usize), Error> {
        let rows: Vec<(i64, Found)> = found
            .into_iter()
            .map(|f| (self.learned.key(&f.url, f.post.as_ref().map(|p| p.selects.as_str())), f))
            .collect();
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let known =
            tx.prepare("SELECT 1 FROM report_scraper.urls WHERE crawl = $1 AND key = $2").await.map_err(pg_err)?;
        let host = tx
            .prepare(
                // DO UPDATE, not DO NOTHING: it returns the row another worker inserted a moment
                // ago too, which this statement's snapshot would not see.
                "INSERT INTO report_scraper.hosts (crawl, origin) VALUES ($1, $2)
                 ON CONFLICT (crawl, origin) DO UPDATE SET origin = excluded.origin RETURNING id",
            )
            .await
            .map_err(pg_err)?;
        let insert = tx
            .prepare(
                "INSERT INTO report_scraper.urls (crawl, key, host, path, depth, state, worker)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (crawl, key) DO NOTHING RETURNING id",
            )
            .await
            .map_err(pg_err)?;
        let worker = (state == TAKEN).then_some(self.worker.as_str());
        let (mut new, mut cut) = (0, 0);
        let mut last: Option<(String, i64)> = None;
        for (key, f) in rows {
            if new >= room {
                cut += usize::from(tx.query_opt(&known, &[&self.crawl, &key]).await.map_err(pg_err)?.is_none());
                continue;
            }
            let (origin, path) = split(&f.url);
            let host_id = match &last {
                Some((o, id)) if *o == origin => *id,
                _ => {
                    let id: i64 = tx.query_one(&host, &[&self.crawl, &origin]).await.map_err(pg_err)?.get(0);
                    last = Some((origin, id));
                    id
                }
            };
            let depth = i32::try_from(f.depth).unwrap_or(i32::MAX);
            let added = tx
                .query_opt(&insert, &[&self.crawl, &key, &host_id, &path, &depth, &(state as i16), &worker])
                .await
                .map_err(pg_err)?;
            if let Some(row) = added {
                new += 1;
                if let Some(post) = &f.post {
                    let id: i64 = row.get(0);
                    tx.execute("INSERT INTO report_scraper.posts VALUES ($1, $2)", &[&id, &post.body])
                        .await
                        .map_err(pg_err)?;
                }
            }
        }
        tx.commit().await.map_err(pg_err)?;
        Ok((new, cut))
    }

    async fn finish_in(&self, client: &impl GenericClient, id: i64, outcome: &Outcome) -> Result<bool, Error> {
        let (error, failed) = match outcome {
            Outcome::Failed(code) => (Some(code.to_string()), true),
            _ => (None, false),
        };
        let run = self.run.load(std::sync::atomic::Ordering::Relaxed);
        // Finished only by the worker that holds its lease, or held it and was not
        // replaced since (the address went back to the queue and nobody took it).
        let sql = "UPDATE report_scraper.urls SET state = $2, error = $3,
                 attempts = CASE WHEN $4 THEN attempts ELSE 0 END,
                 fetched_at = now(), run = $5, lease_until = NULL
             WHERE id = $1 AND worker = $6 AND state IN (0, 1)";
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] =
            [&id, &(outcome.code() as i16), &error, &failed, &run, &self.worker];
        let n = client.execute(sql, &params).await.map_err(pg_err)?;
        if n == 0 {
            tracing::warn!(id, worker = %self.worker, "lease lost: another worker has this address; its outcome stands");
        }
        Ok(n == 1)
    }

    /// Records that this worker is alive, at most once every few seconds.
    pub(super) async fn say_alive(&self, client: &impl GenericClient) -> Result<(), Error> {
        let now = jiff::Timestamp::now().as_second();
        let last = self.seen.load(std::sync::atomic::Ordering::Relaxed);
        if now - last < ALIVE_EVERY_SECS {
            return Ok(());
        }
        self.seen.store(now, std::sync::atomic::Ordering::Relaxed);
        client
            .execute(
                "UPDATE report_scraper.workers SET seen = now() WHERE crawl = $1 AND worker = $2",
                &[&self.crawl, &self.worker],
            )
            .await
            .map_err(pg_err)
            .map(|_| ())
    }

    async fn simple(&self, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)]) -> Result<u64, Error> {
        self.client().await?.execute(sql, params).await.map_err(pg_err)
    }
}

impl Backend for PgState {
    fn shared(&self) -> bool {
        true
    }

    fn identity(&self) -> impl Op<Option<String>> {
        async move {
            let client = self.client().await?;
            let row = client
                .query_one("SELECT identity FROM report_scraper.crawls WHERE id = $1", &[&self.crawl])
                .await
                .map_err(pg_err)?;
            Ok(row.get(0))
        }
    }

    fn set_identity(&self, identity: &str) -> impl Op<()> {
        async move {
            self.simple("UPDATE report_scraper.crawls SET identity = $2 WHERE id = $1", &[&self.crawl, &identity])
                .await
                .map(|_| ())
        }
    }

    fn drop_queued(&self, keep: &(dyn Fn(&str) -> bool + Send + Sync)) -> impl Op<u64> {
        async move {
            let mut n = 0;
            for (host, origin) in self.queued_origins().await? {
                if !keep(&origin) {
                    n += self
                        .simple(
                            "UPDATE report_scraper.urls SET state = 6, error = 'out-of-scope' WHERE host = $1 AND state = 0",
                            &[&host],
                        )
                        .await?;
                }
            }
            Ok(n)
        }
    }

    fn start_run(&self) -> impl Op<(RunStart, i64)> {
        async move {
            let client = self.client().await?;
            // A worker is one that runs: connecting to read the status or export is not.
            client
                .execute(
                    "INSERT INTO report_scraper.workers (crawl, worker) VALUES ($1, $2)
                     ON CONFLICT (crawl, worker) DO UPDATE SET seen = now()",
                    &[&self.crawl, &self.worker],
                )
                .await
                .map_err(pg_err)?;
            // A new run when the last finished; else every worker joins the one in progress.
            // The row is locked first, so two workers starting together see each other's run.
            let mut client = client;
            let tx = client.transaction().await.map_err(pg_err)?;
            let old = tx
                .query_one(
                    "SELECT run, run_finished FROM report_scraper.crawls WHERE id = $1 FOR UPDATE",
                    &[&self.crawl],
                )
                .await
                .map_err(pg_err)?;
            let (old_run, finished): (i64, bool) = (old.get(0), old.get(1));
            let new = old_run == 0 || finished;
            let run = if new { old_run + 1 } else { old_run };
            tx.execute(
                "UPDATE report_scraper.crawls SET run = $2, run_finished = false WHERE id = $1",
                &[&self.crawl, &run],
            )
            .await
            .map_err(pg_err)?;
            tx.commit().await.map_err(pg_err)?;
            self.run.store(run, std::sync::atomic::Ordering::Relaxed);
            if new {
                return Ok((RunStart::New, run));
            }
            // Another worker alive (seen within a lease) makes this run now: join it.
            let lease = self.lease.as_secs_f64();
            let others = client
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM report_scraper.workers WHERE crawl = $1 AND worker <> $2
                         AND seen > now() - make_interval(secs => $3))",
                    &[&self.crawl, &self.worker, &lease],
                )
                .await
                .map_err(pg_err)?;
            Ok((if others.get(0) { RunStart::Join } else { RunStart::Resume }, run))
        }
    }

    fn finish_run(&self) -> impl Op<()> {
        async move {
            // Finished only when no worker has anything queued or in flight.
            self.simple(
                "UPDATE report_scraper.crawls SET run_finished = true WHERE id = $1
                 AND NOT EXISTS (SELECT 1 FROM report_scraper.urls WHERE crawl = $1 AND state IN (0, 1))",
                &[&self.crawl],
            )
            .await
            .map(|_| ())
        }
    }

    fn done_in_run(&self, run: i64) -> impl Op<u64> {
        async move {
            let client = self.client().await?;
            let row = client
                .query_one(
                    "SELECT COUNT(*) FROM report_scraper.urls WHERE crawl = $1 AND run = $2 AND state >= 2",
                    &[&self.crawl, &run],
                )
                .await
                .map_err(pg_err)?;
            Ok(row.get::<_, i64>(0) as u64)
        }
    }

    fn revisit_lists(&self, run: i64, age_secs: u64) -> impl Op<u64> {
        async move {
            let age = i64::try_from(age_secs).unwrap_or(i64::MAX / 2) as f64;
            self.simple(
                "UPDATE report_scraper.urls u SET state = 0 FROM report_scraper.lists l
                 WHERE l.id = u.id AND u.crawl = $1 AND u.state = 3 AND l.run < $2
                 AND COALESCE(u.fetched_at, '-infinity') <= now() - make_interval(secs => $3)
                 AND NOT EXISTS (SELECT 1 FROM report_scraper.posts p WHERE p.id = u.id)",
                &[&self.crawl, &run, &age],
            )
            .await
        }
    }

    fn retry_failed(&self, transient: &[ErrorCode], max_attempts: u32) -> impl Op<u64> {
        let codes: Vec<String> = transient.iter().map(ToString::to_string).collect();
        async move {
            let max = i32::try_from(max_attempts).unwrap_or(i32::MAX);
            self.simple(
                "UPDATE report_scraper.urls SET state = 0 WHERE crawl = $1 AND state = 6 AND attempts < $3
                 AND (error = ANY($2) OR error LIKE 'http-5__')",
                &[&self.crawl, &codes, &max],
            )
            .await
        }
    }

    fn give_up_interrupted(&self, max_attempts: u32) -> impl Op<u64> {
        // Kept for the leases that expire during the run.
        self.max_attempts.store(max_attempts, std::sync::atomic::Ordering::Relaxed);
        async move {
            let max = i32::try_from(max_attempts).unwrap_or(i32::MAX);
            self.simple(
                "UPDATE report_scraper.urls SET state = 6, error = 'interrupted'
                 WHERE crawl = $1 AND attempts >= $2
                 AND (state = 0 OR (state = 1 AND lease_until < clock_timestamp()))",
                &[&self.crawl, &max],
            )
            .await
        }
    }

    fn requeue_capped(&self) -> impl Op<u64> {
        async move {
            let n = self
                .simple(
                    "UPDATE report_scraper.urls u SET state = 0 FROM report_scraper.lists l
                     WHERE l.id = u.id AND u.crawl = $1 AND u.state >= 2 AND l.capped",
                    &[&self.crawl],
                )
                .await?;
            self.simple(
                "UPDATE report_scraper.lists l SET capped = false, etag = NULL, last_modified = NULL
                 FROM report_scraper.urls u WHERE u.id = l.id AND u.crawl = $1 AND l.capped",
                &[&self.crawl],
            )
            .await?;
            Ok(n)
        }
    }

    fn capped(&self) -> impl Op<u64> {
        async move {
            let client = self.client().await?;
            let row = client
                .query_one(
                    "SELECT COUNT(*) FROM report_scraper.lists l JOIN report_scraper.urls u ON u.id = l.id
                     WHERE u.crawl = $1 AND l.capped",
                    &[&self.crawl],
                )
                .await
                .map_err(pg_err)?;
            Ok(row.get::<_, i64>(0) as u64)
        }
    }

    fn mark_capped(&self, id: i64) -> impl Op<()> {
        async move {
            self.simple(
                "INSERT INTO report_scraper.lists (id, run, capped) VALUES ($1, 0, true)
                 ON CONFLICT (id) DO UPDATE SET capped = true",
                &[&id],
            )
            .await
            .map(|_| ())
        }
    }

    fn counts(&self) -> impl Op<Counts> {
        PgState::counts(self)
    }

    fn enqueue_within(&self, found: Vec<Found>, room: usize) -> impl Op<(usize, usize)> {
        self.insert_many(found, QUEUED, room)
    }

    fn queued_origins(&self) -> impl Op<Vec<(i64, String)>> {
        async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT h.id, h.origin FROM report_scraper.hosts h WHERE h.crawl = $1 AND EXISTS
                         (SELECT 1 FROM report_scraper.urls u WHERE u.host = h.id
                          AND (u.state = 0 OR (u.state = 1 AND u.lease_until < clock_timestamp())))",
                    &[&self.crawl],
                )
                .await
                .map_err(pg_err)?;
            Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
        }
    }

    fn take(&self, origins: &[i64]) -> impl Op<Vec<(i64, Claim)>> {
        self.take_batch(origins)
    }

    fn release(&self, origin: i64, delay: Duration) -> impl Op<()> {
        self.give_turn(origin, delay)
    }

    fn reposts_near(&self, bands: &[i64]) -> impl Op<Vec<KeptCopy>> {
        PgState::reposts_near(self, bands)
    }

    fn keep_repost(&self, copy: &KeptCopy) -> impl Op<()> {
        PgState::keep_repost(self, copy)
    }

    fn repost_copies(&self) -> impl Op<Vec<KeptCopy>> {
        PgState::repost_copies(self)
    }

    fn hold_turn(&self, origin: &str) -> impl Op<Turn> {
        PgState::hold_turn(self, origin)
    }

    fn robots(&self, origin: &str) -> impl Op<Option<Option<Vec<u8>>>> {
        self.stored_robots(origin)
    }

    fn keep_robots(&self, origin: &str, file: Option<&[u8]>) -> impl Op<()> {
        PgState::keep_robots(self, origin, file)
    }

    fn elsewhere(&self) -> impl Op<Option<Duration>> {
        async move {
            // An address whose lease expired as often as the crawl tries one is given up
            // here: taking skips it, so nobody else would.
            let max_attempts = self.max_attempts.load(std::sync::atomic::Ordering::Relaxed);
            Backend::give_up_interrupted(self, max_attempts).await?;
            let client = self.client().await?;
            let row = client
                .query_one(
                    "SELECT bool_or(state = 0), EXTRACT(EPOCH FROM LEAST(MIN(lease_until),
                         (SELECT MIN(reading_until) FROM report_scraper.sitemaps s
                          WHERE s.crawl = $1 AND s.reader IS NOT NULL AND s.reader <> $2
                          AND s.reading_until > clock_timestamp())) - clock_timestamp())::float8
                     FROM report_scraper.urls WHERE crawl = $1 AND state IN (0, 1)",
                    &[&self.crawl, &self.worker],
                )
                .await
                .map_err(pg_err)?;
            let (queued, expiry): (Option<bool>, Option<f64>) = (row.get(0), row.get(1));
            Ok(match (queued, expiry) {
                (Some(true), _) => Some(MIN_WAIT),
                (_, Some(secs)) => {
                    Some(Duration::try_from_secs_f64(secs).unwrap_or(Duration::ZERO).clamp(MIN_WAIT, LOOK_AGAIN))
                }
                _ => None,
            })
        }
    }

    fn known_as(&self, taken: &Taken) -> impl Op<Option<i64>> {
        let key = (taken.form.is_none() && taken.url.query().is_some()).then(|| self.learned.key(&taken.url, None));
        let id = taken.id;
        async move {
            let Some(key) = key else { return Ok(None) };
            Ok(self.row_by_key(key).await?.filter(|&row| row != id))
        }
    }

    fn url_of(&self, id: i64) -> impl Op<Option<Url>> {
        async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT h.origin, u.path FROM report_scraper.urls u JOIN report_scraper.hosts h ON h.id = u.host
                     WHERE u.id = $1",
                    &[&id],
                )
                .await
                .map_err(pg_err)?;
            Ok(row.and_then(|r| Url::parse(&format!("{}{}", r.get::<_, String>(0), r.get::<_, String>(1))).ok()))
        }
    }

    fn row_of(&self, url: &Url, selects: Option<&str>) -> impl Op<Option<i64>> {
        self.row_by_key(self.learned.key(url, selects))
    }

    fn claim(&self, url: &Url, depth: u32) -> impl Op<Option<i64>> {
        let url = url.clone();
        async move {
            if self.insert_many(vec![Found::get(url.clone(), depth)], TAKEN, 1).await?.0 == 0 {
                return Ok(None);
            }
            self.row_by_key(self.learned.key(&url, None)).await
        }
    }

    fn revive(&self, page: &Found, run: i64) -> impl Op<bool> {
        let key = self.learned.key(&page.url, page.post.as_ref().map(|p| p.selects.as_str()));
        let body = page.post.as_ref().map(|p| p.body.clone());
        async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "UPDATE report_scraper.urls u SET state = 0 FROM report_scraper.lists l
                     WHERE l.id = u.id AND u.crawl = $1 AND u.key = $2 AND u.state = $3 AND l.run < $4
                     RETURNING u.id",
                    &[&self.crawl, &key, &(LIST as i16), &run],
                )
                .await
                .map_err(pg_err)?;
            if let (Some(row), Some(body)) = (&row, body) {
                let id: i64 = row.get(0);
                client
                    .execute(
                        "INSERT INTO report_scraper.posts VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET body = $2",
                        &[&id, &body],
                    )
                    .await
                    .map_err(pg_err)?;
            }
            Ok(row.is_some())
        }
    }

    fn finish_row(&self, id: i64, outcome: &Outcome) -> impl Op<()> {
        async move {
            let client = self.client().await?;
            self.finish_in(&client, id, outcome).await.map(|_| ())
        }
    }

    fn finish_list(&self, id: i64, run: i64, etag: Option<&str>, last_modified: Option<&str>) -> impl Op<()> {
        async move {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg_err)?;
            if self.finish_in(&tx, id, &Outcome::List).await? {
                tx.execute(
                    "INSERT INTO report_scraper.lists (id, run, etag, last_modified) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (id) DO UPDATE SET run = $2, etag = COALESCE($3, lists.etag),
                         last_modified = COALESCE($4, lists.last_modified)",
                    &[&id, &run, &etag, &last_modified],
                )
                .await
                .map_err(pg_err)?;
            }
            tx.commit().await.map_err(pg_err)
        }
    }

    fn finish_articles(&self, rows: &[i64], records: &[CrawledArticle]) -> impl Op<()> {
        // The record as `--out` writes it, and its date as it prints there.
        let encoded: Vec<(String, Option<String>, i64)> = records
            .iter()
            .map(|r| {
                let value = serde_json::to_value(r).unwrap_or_default();
                let published = value.get("published").and_then(|p| p.as_str()).map(str::to_string);
                (value.to_string(), published, crate::crawl::state::fingerprint(&r.article))
            })
            .collect();
        async move {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg_err)?;
            // The address taken holds the lease: without it, another worker's outcome stands.
            let Some(&first) = rows.first() else { return Ok(()) };
            for &row in rows.iter().rev() {
                if !self.finish_in(&tx, row, &Outcome::Article).await? && row == first {
                    tx.rollback().await.map_err(pg_err)?;
                    return Ok(());
                }
            }
            let insert = tx
                .prepare(
                    "INSERT INTO report_scraper.articles
                         (crawl, url_id, part, url, final_url, fetched_at, title, published, source, fingerprint, record, worker)
                     VALUES ($1, $2, $3, $4, $5, to_timestamp($6), $7, $8, $9, $10, $11::text::jsonb, $12)
                     ON CONFLICT (url_id, part) DO NOTHING",
                )
                .await
                .map_err(pg_err)?;
            for (r, (json, published, fp)) in records.iter().zip(&encoded) {
                let fetched = r.fetched_at.as_millisecond() as f64 / 1000.0;
                let part = i32::try_from(r.part).unwrap_or(i32::MAX);
                tx.execute(
                    &insert,
                    &[
                        &self.crawl,
                        &first,
                        &part,
                        &r.url.as_str(),
                        &r.final_url.as_str(),
                        &fetched,
                        &r.article.title,
                        published,
                        &r.article.source,
                        fp,
                        json,
                        &self.worker,
                    ],
                )
                .await
                .map_err(pg_err)?;
            }
            tx.commit().await.map_err(pg_err)
        }
    }

    fn duplicate(&self, id: i64, of: i64, why: &str) -> impl Op<()> {
        async move {
            let mut client = self.client().await?;
            let tx = client.transaction().await.map_err(pg_err)?;
            if self.finish_in(&tx, id, &Outcome::Duplicate { of: None }).await? {
                tx.execute(
                    "INSERT INTO report_scraper.aliases VALUES ($1, $2, $3)
                     ON CONFLICT (id) DO UPDATE SET of = $2, why = $3",
                    &[&id, &of, &why],
                )
                .await
                .map_err(pg_err)?;
            }
            tx.commit().await.map_err(pg_err)
        }
    }

    fn holder(&self, fp: i64) -> impl Op<Option<Holder>> {
        async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT f.id, u.state FROM report_scraper.fingerprints f JOIN report_scraper.urls u ON u.id = f.id
                     WHERE f.crawl = $1 AND f.fp = $2",
                    &[&self.crawl, &fp],
                )
                .await
                .map_err(pg_err)?;
            drop(client);
            let Some(row) = row else { return Ok(None) };
            let (id, state): (i64, i16) = (row.get(0), row.get(1));
            Ok(self.url_of(id).await?.map(|url| Holder { id, url, written: i64::from(state) == ARTICLE }))
        }
    }

    fn hold(&self, fps: &[i64], id: i64) -> impl Op<()> {
        async move {
            let client = self.client().await?;
            for fp in fps {
                client
                    .execute(
                        "INSERT INTO report_scraper.fingerprints VALUES ($1, $2, $3)
                         ON CONFLICT (crawl, fp) DO UPDATE SET id = excluded.id
                         WHERE (SELECT state FROM report_scraper.urls u WHERE u.id = fingerprints.id) IS DISTINCT FROM 2",
                        &[&self.crawl, fp, &id],
                    )
                    .await
                    .map_err(pg_err)?;
            }
            Ok(())
        }
    }

    fn learn(&self, origin: &str, names: &[String], evidence: &str) -> impl Op<Vec<String>> {
        async move {
            let client = self.client().await?;
            let mut pieces = Vec::new();
            for name in names {
                let added = client
                    .execute(
                        "INSERT INTO report_scraper.params VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                        &[&self.crawl, &origin, name, &evidence],
                    )
                    .await
                    .map_err(pg_err)?;
                let n: i64 = client
                    .query_one(
                        "SELECT COUNT(*) FROM report_scraper.params WHERE crawl = $1 AND origin = $2 AND name = $3",
                        &[&self.crawl, &origin, name],
                    )
                    .await
                    .map_err(pg_err)?
                    .get(0);
                pieces.push((name.clone(), added == 1, n));
            }
            Ok(self.learned.evidence(origin, pieces))
        }
    }

    fn sitemap(&self, url: &str) -> impl Op<Option<SitemapRead>> {
        async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    "SELECT run, etag, last_modified FROM report_scraper.sitemaps WHERE crawl = $1 AND url = $2",
                    &[&self.crawl, &url],
                )
                .await
                .map_err(pg_err)?;
            Ok(row.map(|r| SitemapRead { run: r.get(0), etag: r.get(1), last_modified: r.get(2) }))
        }
    }

    fn claim_sitemap(&self, url: &str, run: i64) -> impl Op<bool> {
        async move {
            let lease = self.lease.as_secs_f64();
            let client = self.client().await?;
            let claimed = client
                .query_opt(
                    "INSERT INTO report_scraper.sitemaps (crawl, url, run, reader, reading_until)
                     VALUES ($1, $2, 0, $3, clock_timestamp() + make_interval(secs => $5))
                     ON CONFLICT (crawl, url) DO UPDATE SET reader = $3, reading_until = excluded.reading_until
                     WHERE sitemaps.run < $4
                     AND (sitemaps.reader IS NULL OR sitemaps.reader = $3 OR sitemaps.reading_until < clock_timestamp())
                     RETURNING 1",
                    &[&self.crawl, &url, &self.worker, &run, &lease],
                )
                .await
                .map_err(pg_err)?;
            Ok(claimed.is_some())
        }
    }

    fn release_sitemap(&self, url: &str) -> impl Op<()> {
        async move {
            self.simple(
                "UPDATE report_scraper.sitemaps SET reader = NULL, reading_until = NULL
                 WHERE crawl = $1 AND url = $2 AND reader = $3",
                &[&self.crawl, &url, &self.worker],
            )
            .await
            .map(|_| ())
        }
    }

    fn abandoned_sitemaps(&self, run: i64) -> impl Op<Vec<String>> {
        async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT url FROM report_scraper.sitemaps WHERE crawl = $1 AND run < $2
                     AND reader IS NOT NULL AND reading_until < clock_timestamp() ORDER BY url",
                    &[&self.crawl, &run],
                )
                .await
                .map_err(pg_err)?;
            Ok(rows.into_iter().map(|r| r.get(0)).collect())
        }
    }

    fn sitemap_read(&self, url: &str, run: i64, etag: Option<&str>, last_modified: Option<&str>) -> impl Op<()> {
        async move {
            self.simple(
                "INSERT INTO report_scraper.sitemaps (crawl, url, run, etag, last_modified) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (crawl, url) DO UPDATE SET run = $3, etag = COALESCE($4, sitemaps.etag),
                     last_modified = COALESCE($5, sitemaps.last_modified), reader = NULL, reading_until = NULL",
                &[&self.crawl, &url, &run, &etag, &last_modified],
            )
            .await
            .map(|_| ())
        }
    }

    fn known_sitemaps(&self) -> impl Op<Vec<String>> {
        async move {
            let client = self.client().await?;
            let rows = client
                .query("SELECT url FROM report_scraper.sitemaps WHERE crawl = $1 ORDER BY url", &[&self.crawl])
                .await
                .map_err(pg_err)?;
            Ok(rows.into_iter().map(|r| r.get(0)).collect())
        }
    }
}
