//! The crawl loop's operations on the SQLite state. SQLite is local and
//! synchronous: each operation is done when called, and its future is ready.
//! One process owns the file, so a host's turn is the fetcher's to keep
//! ([`release`](Backend::release) has nothing to record).

use std::future::ready;
use std::time::Duration;

use url::Url;

use super::CrawlState;
use crate::crawl::CrawledArticle;
use crate::crawl::state::backend::{Backend, Op};
use crate::crawl::state::{Claim, Counts, Found, Holder, KeptCopy, Outcome, RunStart, SitemapRead, Taken, Turn};
use crate::error::{Error, ErrorCode};

impl Backend for CrawlState {
    fn shared(&self) -> bool {
        false
    }
    fn identity(&self) -> impl Op<Option<String>> {
        ready(CrawlState::identity(self))
    }
    fn set_identity(&self, identity: &str) -> impl Op<()> {
        ready(CrawlState::set_identity(self, identity))
    }
    fn drop_queued(&self, keep: &(dyn Fn(&str) -> bool + Send + Sync)) -> impl Op<u64> {
        ready(CrawlState::drop_queued(self, keep))
    }
    fn start_run(&self) -> impl Op<(RunStart, i64)> {
        ready(CrawlState::start_run(self))
    }
    fn finish_run(&self) -> impl Op<()> {
        ready(CrawlState::finish_run(self))
    }
    fn done_in_run(&self, run: i64) -> impl Op<u64> {
        ready(CrawlState::done_in_run(self, run))
    }
    fn revisit_lists(&self, run: i64, age_secs: u64) -> impl Op<u64> {
        ready(CrawlState::revisit_lists(self, run, age_secs))
    }
    fn retry_failed(&self, transient: &[ErrorCode], max_attempts: u32) -> impl Op<u64> {
        ready(CrawlState::retry_failed(self, transient, max_attempts))
    }
    fn give_up_interrupted(&self, max_attempts: u32) -> impl Op<u64> {
        ready(CrawlState::give_up_interrupted(self, max_attempts))
    }
    fn requeue_capped(&self) -> impl Op<u64> {
        ready(CrawlState::requeue_capped(self))
    }
    fn capped(&self) -> impl Op<u64> {
        ready(CrawlState::capped(self))
    }
    fn mark_capped(&self, id: i64) -> impl Op<()> {
        ready(CrawlState::mark_capped(self, id))
    }
    fn counts(&self) -> impl Op<Counts> {
        ready(CrawlState::counts(self))
    }
    fn enqueue_within(&self, found: Vec<Found>, room: usize) -> impl Op<(usize, usize)> {
        ready(CrawlState::enqueue_within(self, found, room))
    }
    fn queued_origins(&self) -> impl Op<Vec<(i64, String)>> {
        ready(CrawlState::queued_origins(self))
    }
    fn take(&self, origins: &[i64]) -> impl Op<Vec<(i64, Claim)>> {
        let taken = origins
            .iter()
            .map(|&origin| Ok((origin, self.take_from(origin, 1)?.pop().map_or(Claim::Empty, Claim::Taken))))
            .collect::<Result<Vec<_>, Error>>();
        ready(taken)
    }
    fn hold_turn(&self, _origin: &str) -> impl Op<Turn> {
        ready(Ok::<_, Error>(Turn::Held(0)))
    }
    fn robots(&self, _origin: &str) -> impl Op<Option<Option<Vec<u8>>>> {
        // The one process keeps what it read in its fetcher.
        ready(Ok::<_, Error>(None))
    }
    fn keep_robots(&self, _origin: &str, _file: Option<&[u8]>) -> impl Op<()> {
        ready(Ok::<(), Error>(()))
    }
    fn release(&self, _origin: i64, _delay: Duration) -> impl Op<()> {
        ready(Ok::<(), Error>(()))
    }
    fn elsewhere(&self) -> impl Op<Option<Duration>> {
        // One process owns the file: nothing is in flight anywhere else.
        ready(Ok::<_, Error>(None))
    }
    fn known_as(&self, taken: &Taken) -> impl Op<Option<i64>> {
        ready(CrawlState::known_as(self, taken))
    }
    fn url_of(&self, id: i64) -> impl Op<Option<Url>> {
        ready(CrawlState::url_of(self, id))
    }
    fn row_of(&self, url: &Url, selects: Option<&str>) -> impl Op<Option<i64>> {
        ready(CrawlState::row_of(self, url, selects))
    }
    fn claim(&self, url: &Url, depth: u32) -> impl Op<Option<i64>> {
        ready(CrawlState::claim(self, url, depth))
    }
    fn revive(&self, page: &Found, run: i64) -> impl Op<bool> {
        ready(CrawlState::revive(self, page, run))
    }
    fn finish_row(&self, id: i64, outcome: &Outcome) -> impl Op<()> {
        ready(CrawlState::finish_row(self, id, outcome))
    }
    fn finish_list(&self, id: i64, run: i64, etag: Option<&str>, last_modified: Option<&str>) -> impl Op<()> {
        ready(CrawlState::finish_list(self, id, run, etag, last_modified))
    }
    fn finish_articles(&self, rows: &[i64], _records: &[CrawledArticle]) -> impl Op<()> {
        // The articles went to the sink; the rows record that they did.
        ready(rows.iter().rev().try_for_each(|&row| CrawlState::finish_row(self, row, &Outcome::Article)))
    }
    fn duplicate(&self, id: i64, of: i64, why: &str) -> impl Op<()> {
        ready(CrawlState::duplicate(self, id, of, why))
    }
    fn holder(&self, fp: i64) -> impl Op<Option<Holder>> {
        ready(CrawlState::holder(self, fp))
    }
    fn hold(&self, fps: &[i64], id: i64) -> impl Op<()> {
        ready(CrawlState::hold(self, fps, id))
    }
    fn reposts_near(&self, bands: &[i64]) -> impl Op<Vec<KeptCopy>> {
        ready(CrawlState::reposts_near(self, bands))
    }
    fn keep_repost(&self, copy: &KeptCopy) -> impl Op<()> {
        ready(CrawlState::keep_repost(self, copy))
    }
    fn repost_copies(&self) -> impl Op<Vec<KeptCopy>> {
        ready(CrawlState::repost_copies(self))
    }
    fn learn(&self, origin: &str, names: &[String], evidence: &str) -> impl Op<Vec<String>> {
        ready(CrawlState::learn(self, origin, names, evidence))
    }
    fn sitemap(&self, url: &str) -> impl Op<Option<SitemapRead>> {
        ready(CrawlState::sitemap(self, url))
    }
    fn claim_sitemap(&self, _url: &str, _run: i64) -> impl Op<bool> {
        ready(Ok::<_, Error>(true))
    }
    fn release_sitemap(&self, _url: &str) -> impl Op<()> {
        ready(Ok::<_, Error>(()))
    }
    fn abandoned_sitemaps(&self, _run: i64) -> impl Op<Vec<String>> {
        ready(Ok::<_, Error>(Vec::new()))
    }
    fn sitemap_read(&self, url: &str, run: i64, etag: Option<&str>, last_modified: Option<&str>) -> impl Op<()> {
        ready(CrawlState::sitemap_read(self, url, run, etag, last_modified))
    }
    fn known_sitemaps(&self) -> impl Op<Vec<String>> {
        ready(CrawlState::known_sitemaps(self))
    }
}
