//! The tables, in a schema of their own, created and brought up to date by
//! the crate: each migration runs once, in order, in one transaction under
//! an advisory lock, so workers starting together migrate once.

use deadpool_postgres::Client;

use super::pg_err;
use crate::error::{Error, ErrorKind};

/// An advisory lock's key for migrations ("rs-schema").
const MIGRATION_LOCK: i64 = 0x7273_2d73_6368_656d;

/// The migrations, oldest first; the schema's version is how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: the first format.
    "
    CREATE TABLE report_scraper.crawls (
        id            bigserial PRIMARY KEY,
        name          text NOT NULL UNIQUE,
        identity      text,
        run           bigint NOT NULL DEFAULT 0,
        run_finished  boolean NOT NULL DEFAULT false,
        created       timestamptz NOT NULL DEFAULT now()
    );
    -- A host's turn, shared by the workers: the next request not before
    -- next_at, and one request at a time (held_by until held_until).
    CREATE TABLE report_scraper.hosts (
        id            bigserial PRIMARY KEY,
        crawl         bigint NOT NULL REFERENCES report_scraper.crawls ON DELETE CASCADE,
        origin        text NOT NULL,
        next_at       timestamptz NOT NULL DEFAULT '-infinity',
        held_by       text,
        held_until    timestamptz,
        UNIQUE (crawl, origin)
    );
    CREATE TABLE report_scraper.urls (
        id            bigserial PRIMARY KEY,
        crawl         bigint NOT NULL REFERENCES report_scraper.crawls ON DELETE CASCADE,
        key           bigint NOT NULL,
        host          bigint NOT NULL REFERENCES report_scraper.hosts ON DELETE CASCADE,
        path          text NOT NULL,
        depth         integer NOT NULL,
        state         smallint NOT NULL,
        error         text,
        attempts      integer NOT NULL DEFAULT 0,
        run           bigint,
        fetched_at    timestamptz,
        -- The lease of an address in flight: the worker and until when.
        worker        text,
        lease_until   timestamptz,
        UNIQUE (crawl, key)
    );
    CREATE INDEX urls_queue ON report_scraper.urls (host, id) WHERE state = 0;
    CREATE INDEX urls_leased ON report_scraper.urls (host, lease_until) WHERE state = 1;
    CREATE TABLE report_scraper.lists (
        id            bigint PRIMARY KEY REFERENCES report_scraper.urls ON DELETE CASCADE,
        run           bigint NOT NULL,
        capped        boolean NOT NULL DEFAULT false,
        etag          text,
        last_modified text
    );
    CREATE TABLE report_scraper.sitemaps (
        crawl         bigint NOT NULL REFERENCES report_scraper.crawls ON DELETE CASCADE,
        url           text NOT NULL,
        run           bigint NOT NULL,
        etag          text,
        last_modified text,
        -- The worker reading it now, and until when its claim holds.
        reader        text,
        reading_until timestamptz,
        PRIMARY KEY (crawl, url)
    );
    CREATE TABLE report_scraper.posts (
        id            bigint PRIMARY KEY REFERENCES report_scraper.urls ON DELETE CASCADE,
        body          text NOT NULL
    );
    CREATE TABLE report_scraper.fingerprints (
        crawl         bigint NOT NULL REFERENCES report_scraper.crawls ON DELETE CASCADE,
        fp            bigint NOT NULL,
        id            bigint NOT NULL,
        PRIMARY KEY (crawl, fp)
    );
    CREATE TABLE report_scraper.aliases (
        id            bigint PRIMARY KEY REFERENCES report_scraper.urls ON DELETE CASCADE,
        of            bigint NOT NULL,
        why           text NOT NULL
    );
    CREATE TABLE report_scraper.params (
        crawl         bigint NOT NULL REFERENCES report_scraper.crawls ON DELETE CASCADE,
        origin        text NOT NULL,
        name          text NOT NULL,
        evidence      text NOT NULL,
        PRIMARY KEY (crawl, origin, name, evidence)
    );
    -- The articles, written in the transaction that finishes their address.
    CREATE TABLE report_scraper.articles (
        id            bigserial PRIMARY KEY,
        crawl         bigint NOT NULL REFERENCES report_scraper.crawls ON DELETE CASCADE,
        url_id        bigint NOT NULL REFERENCES report_scraper.urls ON DELETE CASCADE,
        part          integer NOT NULL,
        url           text NOT NULL,
        final_url     text NOT NULL,
        fetched_at    timestamptz,
        title         text,
        published     text,
        source        text,
        fingerprint   bigint NOT NULL,
        record        jsonb NOT NULL,
        worker        text NOT NULL,
        UNIQUE (url_id, part)
    );
    CREATE INDEX articles_crawl ON report_scraper.articles (crawl, id);
    CREATE TABLE report_scraper.workers (
        crawl         bigint NOT NULL REFERENCES report_scraper.crawls ON DELETE CASCADE,
        worker        text NOT NULL,
        started       timestamptz NOT NULL DEFAULT now(),
        seen          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (crawl, worker)
    );
    ",
    // 2: robots.txt read once for every worker: the file (NULL when it
    // allows all) and when it was read.
    "
    ALTER TABLE report_scraper.hosts ADD COLUMN robots bytea, ADD COLUMN robots_at timestamptz;
    ",
    // 3: copies of articles kept for finding reposts across sites, their
    // fingerprints' bands the keys that find them.
    "
    CREATE TABLE report_scraper.reposts (
        crawl         bigint NOT NULL REFERENCES report_scraper.crawls ON DELETE CASCADE,
        url_id        bigint NOT NULL,
        part          integer NOT NULL,
        grp           text NOT NULL,
        url           text NOT NULL,
        published     text,
        source        text,
        sites         text NOT NULL,
        truncated     boolean NOT NULL,
        chars         bigint NOT NULL,
        fp            bytea NOT NULL,
        PRIMARY KEY (crawl, url_id, part)
    );
    CREATE TABLE report_scraper.repost_bands (
        crawl         bigint NOT NULL REFERENCES report_scraper.crawls ON DELETE CASCADE,
        band          bigint NOT NULL,
        url_id        bigint NOT NULL,
        part          integer NOT NULL,
        PRIMARY KEY (crawl, band, url_id, part)
    );
    ",
];

/// Creates the tables or brings them up to date. A database of a newer
/// format (a later version of the crate migrated it) is refused.
pub(super) async fn migrate(client: &mut Client) -> Result<(), Error> {
    let tx = client.transaction().await.map_err(pg_err)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(pg_err)?;
    tx.batch_execute(
        "CREATE SCHEMA IF NOT EXISTS report_scraper;
         CREATE TABLE IF NOT EXISTS report_scraper.meta (key text PRIMARY KEY, value text NOT NULL);",
    )
    .await
    .map_err(pg_err)?;
    let row = tx.query_opt("SELECT value FROM report_scraper.meta WHERE key = 'schema'", &[]).await.map_err(pg_err)?;
    let version: usize = match row {
        Some(r) => r.get::<_, String>(0).parse().unwrap_or(usize::MAX),
        None => 0,
    };
    if version > MIGRATIONS.len() {
        let message = format!(
            "the database's report_scraper schema is of format {version}, this version knows formats up to {}",
            MIGRATIONS.len()
        );
        return Err(Error::new(ErrorKind::State { source: message.into() }));
    }
    for sql in &MIGRATIONS[version..] {
        tx.batch_execute(sql).await.map_err(pg_err)?;
    }
    tx.execute(
        "INSERT INTO report_scraper.meta VALUES ('schema', $1) ON CONFLICT (key) DO UPDATE SET value = $1",
        &[&MIGRATIONS.len().to_string()],
    )
    .await
    .map_err(pg_err)?;
    tx.commit().await.map_err(pg_err)
}

/// The format the tables are in once migrated.
pub(super) fn version() -> usize {
    MIGRATIONS.len()
}
