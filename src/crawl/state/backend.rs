//! The operations the crawl loop runs on a state, whatever keeps it.
//!
//! Every operation returns a future: PostgreSQL's client is asynchronous,
//! SQLite's is not (its operations are done when called, and the future is
//! ready). The trait lives in a private module, so programs name the
//! backends and [`Frontier`](super::Frontier), never these operations:
//! they are the crate's to change.

use std::future::Future;
use std::time::Duration;

use url::Url;

use super::{Claim, Counts, Found, Holder, KeptCopy, Outcome, RunStart, SitemapRead, Taken, Turn};
use crate::crawl::CrawledArticle;
use crate::error::{Error, ErrorCode};

/// A result that arrives later.
pub trait Op<T>: Future<Output = Result<T, Error>> + Send {}

impl<T, F: Future<Output = Result<T, Error>> + Send> Op<T> for F {}

/// What a crawl needs from its state. See [`CrawlState`](super::CrawlState)
/// for what each operation means; the PostgreSQL backend adds leases and
/// per-host turns shared between workers.
pub trait Backend: Send + Sync {
    // --- the crawl's identity and runs -------------------------------------
    /// Whether other processes share the state (then a run ends only when
    /// theirs do, and what they started and dropped is taken over).
    fn shared(&self) -> bool;
    /// The identity of the crawl the state belongs to, if recorded.
    fn identity(&self) -> impl Op<Option<String>>;
    /// Records the crawl's identity.
    fn set_identity(&self, identity: &str) -> impl Op<()>;
    /// Records the queued addresses of the origins `keep` refuses as failed.
    fn drop_queued(&self, keep: &(dyn Fn(&str) -> bool + Send + Sync)) -> impl Op<u64>;
    /// Starts a run, or joins the one in progress.
    fn start_run(&self) -> impl Op<(RunStart, i64)>;
    /// Marks the current run finished.
    fn finish_run(&self) -> impl Op<()>;
    /// Addresses finished in run `run`.
    fn done_in_run(&self, run: i64) -> impl Op<u64>;
    /// Queues again the list pages read in an earlier run at least `age_secs` ago.
    fn revisit_lists(&self, run: i64, age_secs: u64) -> impl Op<u64>;
    /// Queues again what failed with an error that can heal.
    fn retry_failed(&self, transient: &[ErrorCode], max_attempts: u32) -> impl Op<u64>;
    /// Gives up the addresses taken `max_attempts` times without an outcome.
    fn give_up_interrupted(&self, max_attempts: u32) -> impl Op<u64>;
    /// Queues again the pages whose links did not all fit last time.
    fn requeue_capped(&self) -> impl Op<u64>;
    /// Pages whose links did not all fit under the limit.
    fn capped(&self) -> impl Op<u64>;
    /// Marks row `id`'s links as not all queued.
    fn mark_capped(&self, id: i64) -> impl Op<()>;
    /// Counts by state.
    fn counts(&self) -> impl Op<Counts>;

    // --- the frontier ------------------------------------------------------
    /// Adds at most `room` addresses never seen: how many were new, how many did not fit.
    fn enqueue_within(&self, found: Vec<Found>, room: usize) -> impl Op<(usize, usize)>;
    /// The origins (rows and `scheme://host:port`) with queued addresses.
    fn queued_origins(&self) -> impl Op<Vec<(i64, String)>>;
    /// Takes an address of each origin in `origins` whose turn has come
    /// (one round trip for them all where the state is a server): the
    /// oldest queued, or one whose worker died holding it. One claim per
    /// origin asked for.
    fn take(&self, origins: &[i64]) -> impl Op<Vec<(i64, Claim)>>;
    /// [`take`](Self::take) for one origin.
    fn take_one(&self, origin: i64) -> impl Op<Claim> {
        async move { Ok(self.take(&[origin]).await?.pop().map_or(Claim::Empty, |(_, claim)| claim)) }
    }
    /// The request of an origin's address is done: its next turn comes after `delay`.
    fn release(&self, origin: i64, delay: Duration) -> impl Op<()>;
    /// Takes the turn of `origin` (`scheme://host:port`) for a request
    /// that is not a queued address: robots.txt, a sitemap. One process
    /// keeps its hosts' turns in its fetcher: held at once.
    fn hold_turn(&self, origin: &str) -> impl Op<Turn>;
    /// The robots.txt another worker read for `origin` lately: `Some(None)`
    /// when it allows all; `None` when none is kept (or with one process).
    fn robots(&self, origin: &str) -> impl Op<Option<Option<Vec<u8>>>>;
    /// Keeps the robots.txt read for `origin` (`None`: it allows all) for the other workers.
    fn keep_robots(&self, origin: &str, file: Option<&[u8]>) -> impl Op<()>;
    /// Whether work may still come that this process does not see: other
    /// workers' addresses in flight (they may queue links, or die and give
    /// them back) or queued for hosts not yet scheduled here. When so, how
    /// long to wait before looking again; `None` with one process.
    fn elsewhere(&self) -> impl Op<Option<Duration>>;
    /// Another row with the key `taken` has now (a parameter learned since it was queued).
    fn known_as(&self, taken: &Taken) -> impl Op<Option<i64>>;
    /// The address of row `id`.
    fn url_of(&self, id: i64) -> impl Op<Option<Url>>;
    /// The row of an address, if it was seen.
    fn row_of(&self, url: &Url, selects: Option<&str>) -> impl Op<Option<i64>>;
    /// Claims an address reached another way (a redirect's target), if never seen.
    fn claim(&self, url: &Url, depth: u32) -> impl Op<Option<i64>>;
    /// Queues again the next page of a list read in an earlier run.
    fn revive(&self, page: &Found, run: i64) -> impl Op<bool>;

    // --- outcomes ----------------------------------------------------------
    /// Records what became of row `id`.
    fn finish_row(&self, id: i64, outcome: &Outcome) -> impl Op<()>;
    /// Records row `id` as a list read in `run`, with its validators.
    fn finish_list(&self, id: i64, run: i64, etag: Option<&str>, last_modified: Option<&str>) -> impl Op<()>;
    /// Records the rows of one page as its articles, written: a backend that
    /// keeps articles stores `records` in the same step.
    fn finish_articles(&self, rows: &[i64], records: &[CrawledArticle]) -> impl Op<()>;
    /// Records row `id` as a duplicate of row `of`.
    fn duplicate(&self, id: i64, of: i64, why: &str) -> impl Op<()>;

    // --- one article, one record -------------------------------------------
    /// The address that holds a fingerprint.
    fn holder(&self, fp: i64) -> impl Op<Option<Holder>>;
    /// Makes row `id` the holder of these fingerprints.
    fn hold(&self, fps: &[i64], id: i64) -> impl Op<()>;
    /// Records evidence that parameters choose nothing on an origin; the ones learned now.
    fn learn(&self, origin: &str, names: &[String], evidence: &str) -> impl Op<Vec<String>>;

    // --- reposts across sites ----------------------------------------------
    /// The copies kept with any of these band keys (each once).
    fn reposts_near(&self, bands: &[i64]) -> impl Op<Vec<KeptCopy>>;
    /// Keeps a copy (again: a copy kept before under its row and part is replaced).
    fn keep_repost(&self, copy: &KeptCopy) -> impl Op<()>;
    /// Every copy kept, oldest first.
    fn repost_copies(&self) -> impl Op<Vec<KeptCopy>>;

    // --- sitemaps ----------------------------------------------------------
    /// The last read of a sitemap.
    fn sitemap(&self, url: &str) -> impl Op<Option<SitemapRead>>;
    /// Claims a sitemap for this worker to read in `run`: false when another
    /// worker reads it now or read it in this run.
    fn claim_sitemap(&self, url: &str, run: i64) -> impl Op<bool>;
    /// Gives back this worker's claim on a sitemap it could not read.
    fn release_sitemap(&self, url: &str) -> impl Op<()>;
    /// Sitemaps claimed for `run` by workers whose claim expired unread.
    fn abandoned_sitemaps(&self, run: i64) -> impl Op<Vec<String>>;
    /// Records a sitemap as read in `run`.
    fn sitemap_read(&self, url: &str, run: i64, etag: Option<&str>, last_modified: Option<&str>) -> impl Op<()>;
    /// Every sitemap read in an earlier run.
    fn known_sitemaps(&self) -> impl Op<Vec<String>>;
}
