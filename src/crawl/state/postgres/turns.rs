//! Host turns and claims on PostgreSQL: several hosts' turns and an
//! address of each taken in one statement, the turns given back, a
//! host's turn held for a request that is not an address (robots.txt, a
//! sitemap), and robots.txt kept for every worker.
//!
//! Taking in batches is what lets the state keep up with a crawl: one
//! round trip hands out as many addresses as the worker has free slots,
//! where one address at a time cost a transaction of four statements.

use std::time::Duration;

use url::Url;

use super::{PgState, pg_err};
use crate::crawl::state::backend::Backend;
use crate::crawl::state::{Claim, Outcome, Taken, Turn};
use crate::error::{Error, ErrorCode};

/// The shortest wait a busy host is given, so workers do not spin on it.
pub(super) const MIN_WAIT: Duration = Duration::from_millis(20);

/// How soon a host whose turn another worker holds is asked again. Its
/// holder gives the turn back when its response is in, with the delay that
/// follows; until then nobody knows when it is due (the hold's expiry only
/// guards against a holder that died, and is a lease away).
const HELD_POLL: Duration = Duration::from_millis(50);

/// How long a robots.txt read by one worker serves all of them (RFC 9309
/// asks that a cached copy be used no longer than a day).
const ROBOTS_FOR_SECS: f64 = 24.0 * 3600.0;

/// Takes the turns of the hosts in `$1` that are due and free, and of each
/// an address: one whose lease expired (its worker died), taken over while
/// it has attempts left, or else the oldest queued. A host with nothing to
/// take keeps its turn untouched. One row per host asked for: what was
/// taken, or whether it was due (then it had nothing) and when it is due.
const TAKE: &str = "
WITH due AS MATERIALIZED (
    SELECT id FROM report_scraper.hosts
    WHERE id = ANY($1) AND next_at <= clock_timestamp()
      AND (held_by IS NULL OR held_until < clock_timestamp())
    FOR UPDATE SKIP LOCKED
), pick AS MATERIALIZED (
    SELECT d.id AS host, COALESCE(
        (SELECT u.id FROM report_scraper.urls u
         WHERE u.host = d.id AND u.state = 1 AND u.lease_until < clock_timestamp() AND u.attempts < $4
         ORDER BY u.lease_until LIMIT 1 FOR UPDATE SKIP LOCKED),
        (SELECT u.id FROM report_scraper.urls u
         WHERE u.host = d.id AND u.state = 0
         ORDER BY u.id LIMIT 1 FOR UPDATE SKIP LOCKED)) AS url
    FROM due d
), turns AS (
    UPDATE report_scraper.hosts h SET held_by = $2, held_until = clock_timestamp() + make_interval(secs => $3)
    FROM pick p WHERE h.id = p.host AND p.url IS NOT NULL
), taken AS (
    UPDATE report_scraper.urls u SET state = 1, attempts = u.attempts + 1, worker = $2,
        lease_until = clock_timestamp() + make_interval(secs => $3)
    FROM pick p WHERE u.id = p.url
    RETURNING u.id, u.host, u.path, u.depth, u.attempts
)
SELECT r.id, h.origin, p.host IS NOT NULL, t.id, t.path, t.depth, t.attempts, l.etag, l.last_modified, po.body,
    CASE WHEN h.held_until > clock_timestamp() THEN NULL
         ELSE EXTRACT(EPOCH FROM GREATEST(h.next_at, clock_timestamp()) - clock_timestamp())::float8 END
FROM unnest($1::bigint[]) AS r(id)
JOIN report_scraper.hosts h ON h.id = r.id
LEFT JOIN pick p ON p.host = r.id
LEFT JOIN taken t ON t.host = r.id
LEFT JOIN report_scraper.lists l ON l.id = t.id
LEFT JOIN report_scraper.posts po ON po.id = t.id";

/// How long to wait for a host that was not free: until its delay has
/// passed (`secs`), or, while another worker holds it (`None`), a short while.
fn wait(secs: Option<f64>) -> Duration {
    secs.map_or(HELD_POLL, |s| Duration::try_from_secs_f64(s).unwrap_or(Duration::ZERO).max(MIN_WAIT))
}

impl PgState {
    /// Takes an address of each host in `origins` whose turn has come.
    pub(super) async fn take_batch(&self, origins: &[i64]) -> Result<Vec<(i64, Claim)>, Error> {
        if origins.is_empty() {
            return Ok(Vec::new());
        }
        let lease = self.lease.as_secs_f64();
        let max_attempts =
            i32::try_from(self.max_attempts.load(std::sync::atomic::Ordering::Relaxed)).unwrap_or(i32::MAX);
        let client = self.client().await?;
        let rows = client.query(TAKE, &[&origins, &self.worker, &lease, &max_attempts]).await.map_err(pg_err)?;
        self.say_alive(&client).await?;
        drop(client);
        let mut claims = Vec::with_capacity(rows.len());
        for row in rows {
            let origin: i64 = row.get(0);
            let claim = match row.get::<_, Option<i64>>(3) {
                Some(id) => self.taken(origin, id, &row).await?,
                None if row.get::<_, bool>(2) => Claim::Empty,
                None => Claim::Wait(wait(row.get(10))),
            };
            claims.push((origin, claim));
        }
        Ok(claims)
    }

    /// The address taken from a row of [`TAKE`]; one that no longer parses
    /// is finished as a bad address and its host's turn given back.
    async fn taken(&self, origin: i64, id: i64, row: &tokio_postgres::Row) -> Result<Claim, Error> {
        let (host, path): (String, String) = (row.get(1), row.get(4));
        let Ok(url) = Url::parse(&format!("{host}{path}")) else {
            Backend::finish_row(self, id, &Outcome::Failed(ErrorCode::BadUrl)).await?;
            self.give_turn(origin, Duration::ZERO).await?;
            return Ok(Claim::Empty);
        };
        Ok(Claim::Taken(Taken {
            id,
            origin,
            url,
            depth: u32::try_from(row.get::<_, i32>(5)).unwrap_or(0),
            attempts: u32::try_from(row.get::<_, i32>(6)).unwrap_or(0),
            etag: row.get(7),
            last_modified: row.get(8),
            form: row.get(9),
        }))
    }

    /// Gives a host's turn back: its next request not before `delay` from now.
    pub(super) async fn give_turn(&self, origin: i64, delay: Duration) -> Result<(), Error> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE report_scraper.hosts SET held_by = NULL, held_until = NULL,
                     next_at = clock_timestamp() + make_interval(secs => $3)
                 WHERE id = $1 AND held_by = $2",
                &[&origin, &self.worker, &delay.as_secs_f64()],
            )
            .await
            .map_err(pg_err)?;
        Ok(())
    }

    /// Takes the turn of `origin` (`scheme://host:port`, its row made when
    /// new) for a request that is not one of its addresses.
    pub(super) async fn hold_turn(&self, origin: &str) -> Result<Turn, Error> {
        let lease = self.lease.as_secs_f64();
        let client = self.client().await?;
        let id: i64 = client
            .query_one(
                // DO UPDATE returns the row another worker inserted a moment ago too.
                "INSERT INTO report_scraper.hosts (crawl, origin) VALUES ($1, $2)
                 ON CONFLICT (crawl, origin) DO UPDATE SET origin = excluded.origin RETURNING id",
                &[&self.crawl, &origin],
            )
            .await
            .map_err(pg_err)?
            .get(0);
        let row = client
            .query_one(
                "WITH held AS (
                     UPDATE report_scraper.hosts SET held_by = $2,
                         held_until = clock_timestamp() + make_interval(secs => $3)
                     WHERE id = $1 AND next_at <= clock_timestamp()
                       AND (held_by IS NULL OR held_until < clock_timestamp())
                     RETURNING id
                 )
                 SELECT EXISTS (SELECT 1 FROM held),
                     CASE WHEN held_until > clock_timestamp() THEN NULL
                          ELSE EXTRACT(EPOCH FROM GREATEST(next_at, clock_timestamp()) - clock_timestamp())::float8 END
                 FROM report_scraper.hosts WHERE id = $1",
                &[&id, &self.worker, &lease],
            )
            .await
            .map_err(pg_err)?;
        let (held, secs): (bool, Option<f64>) = (row.get(0), row.get(1));
        Ok(if held { Turn::Held(id) } else { Turn::Wait(wait(secs)) })
    }

    /// The robots.txt another worker read for `origin` within a day: the
    /// file (`None`: it allows all), or nothing when none was kept.
    pub(super) async fn stored_robots(&self, origin: &str) -> Result<Option<Option<Vec<u8>>>, Error> {
        let client = self.client().await?;
        let row = client
            .query_opt(
                "SELECT robots FROM report_scraper.hosts WHERE crawl = $1 AND origin = $2
                 AND robots_at > clock_timestamp() - make_interval(secs => $3)",
                &[&self.crawl, &origin, &ROBOTS_FOR_SECS],
            )
            .await
            .map_err(pg_err)?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Keeps the robots.txt read for `origin` for the other workers.
    pub(super) async fn keep_robots(&self, origin: &str, file: Option<&[u8]>) -> Result<(), Error> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO report_scraper.hosts (crawl, origin, robots, robots_at) VALUES ($1, $2, $3, clock_timestamp())
                 ON CONFLICT (crawl, origin) DO UPDATE SET robots = excluded.robots, robots_at = excluded.robots_at",
                &[&self.crawl, &origin, &file],
            )
            .await
            .map_err(pg_err)?;
        Ok(())
    }
}
