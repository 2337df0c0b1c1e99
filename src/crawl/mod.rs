//! Crawling (feature `crawl`): take addresses from the [`CrawlState`],
//! fetch them politely, extract each page once for its articles and its
//! links, record the articles and follow the links that stay in scope.
//!
//! - [`config`]: what to crawl and how;
//! - [`scope`]: which origins the crawl may reach, and its identity;
//! - [`state`]: the frontier and the seen set in SQLite, resumable after a kill;
//! - [`sitemaps`]: reading the sitemaps (given, and named in robots.txt);
//! - [`visit`]: one address, fetched and read on a worker;
//! - [`feed`]: RSS, Atom and JSON feeds, read as list pages;
//! - [`record`]: what the crawl hands out (records, events, the summary);
//! - [`sink`]: the JSON Lines output, reconciled with the state on open;
//! - [`sitemap`] and [`urls`]: sitemap parsing, canonical addresses, file types.

mod config;
mod feed;
mod record;
mod scope;
mod sink;
mod sitemap;
mod sitemaps;
mod state;
mod urls;
mod visit;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tokio::task::JoinSet;
use url::Url;

pub use config::{CrawlConfig, CrawlerBuilder};
pub use record::{looks_like_article, CrawlEvent, CrawledArticle, Summary};
pub use sink::JsonlSink;
pub use sitemap::{parse_sitemap, Sitemap};
pub use state::{Counts, CrawlState, Outcome};
pub use urls::canonical_url;

use self::scope::Scope;
use self::state::RunStart;
use self::visit::{Visit, Visited};
use crate::error::{Error, ErrorCode, ErrorKind};
use crate::extract::Extractor;
use crate::fetch::Fetcher;
use crate::model::Link;

/// Crawls sites: takes addresses from a [`CrawlState`], fetches them with a
/// [`Fetcher`] (robots.txt, politeness, retries), records the pages that
/// [look like articles](looks_like_article) and follows links that stay in
/// scope. Everything it learns goes into the state at once, so a killed
/// crawl resumes where it stopped; a crawl run again after one that
/// finished reads the list pages again and fetches only what is new.
///
/// ```no_run
/// use std::sync::atomic::AtomicBool;
/// use report_scraper::{CrawlState, Crawler, Fetcher, JsonlSink};
/// # async fn demo() -> Result<(), report_scraper::Error> {
/// let crawler = Crawler::builder()
///     .seed("https://www.chinafpa.org.cn/xwzx/")
///     .max_depth(2)
///     .build(Fetcher::builder().build()?)?;
/// let state = CrawlState::open("crawl.db".as_ref())?;
/// // Reconciled with the state: a crawl killed and run again writes every article once.
/// let mut out = JsonlSink::open("articles.jsonl".as_ref(), &state)?;
/// let summary = crawler.run(&state, &AtomicBool::new(false), |event| out.record(&event)).await?;
/// eprintln!("{} articles", summary.articles);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Crawler {
    fetcher: Arc<Fetcher>,
    /// The configuration's extractor, shared with the blocking threads.
    extractor: Arc<Extractor>,
    config: CrawlConfig,
    scope: Arc<Scope>,
}

impl CrawlerBuilder {
    /// Builds the crawler around `fetcher`.
    ///
    /// ```
    /// let bad = report_scraper::Crawler::builder().seed("not a url").build(report_scraper::Fetcher::builder().build()?);
    /// assert!(bad.is_err());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::BadUrl`] when a seed, a sitemap or a host is not an http(s) address.
    pub fn build(self, fetcher: Fetcher) -> Result<Crawler, Error> {
        let config = self.config;
        let scope = Scope::new(&config)?;
        let extractor = Arc::new(config.extractor().clone());
        Ok(Crawler { fetcher: Arc::new(fetcher), extractor, config, scope: Arc::new(scope) })
    }
}

/// How a run goes: its number, what it may still queue, its tally.
pub(crate) struct Run {
    number: i64,
    /// Addresses the run may still queue (the page limit bounds the queue too).
    room: u64,
    /// Some addresses found did not fit under the limit: the run is not finished.
    capped: bool,
    summary: Summary,
}

impl Crawler {
    /// Starts a configuration.
    ///
    /// ```
    /// let c = report_scraper::Crawler::builder().build(report_scraper::Fetcher::builder().build()?)?;
    /// assert_eq!(c.config().max_depth(), 5);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn builder() -> CrawlerBuilder {
        CrawlerBuilder::default()
    }

    /// The configuration it was built with.
    ///
    /// ```
    /// let c = report_scraper::Crawler::builder().max_pages(50).build(report_scraper::Fetcher::builder().build()?)?;
    /// assert_eq!(c.config().max_pages(), 50);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn config(&self) -> &CrawlConfig {
        &self.config
    }

    /// True when `url` may be fetched: its origin (scheme, host and port) is
    /// in the crawl's scope, and it is not a file type that is never a page.
    ///
    /// ```
    /// let c = report_scraper::Crawler::builder().seed("http://www.example.cn/").build(report_scraper::Fetcher::builder().build()?)?;
    /// assert!(c.in_scope(&"http://www.example.cn/a/1.html".parse().unwrap()));
    /// assert!(c.in_scope(&"https://www.example.cn/a/1.html".parse().unwrap()), "the same site over https");
    /// assert!(!c.in_scope(&"http://www.example.cn:8080/a/1.html".parse().unwrap()), "another port");
    /// assert!(!c.in_scope(&"http://www.example.cn/a/1.pdf".parse().unwrap()));
    /// assert!(!c.in_scope(&"http://other.example.cn/a/1.html".parse().unwrap()));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn in_scope(&self, url: &Url) -> bool {
        self.scope.admits(url)
    }

    /// Crawls until the frontier is empty, the page limit is reached or
    /// `stop` is set. The state must belong to this crawl (same seeds,
    /// sitemaps and hosts) unless told to [adopt](CrawlerBuilder::adopt_state)
    /// it. A run cut short is resumed; after one that finished, the list
    /// pages and sitemaps are read again (conditionally) and only new
    /// articles fetched. Failures that can heal are tried again, up to
    /// [`max_attempts`](CrawlerBuilder::max_attempts). `sink` sees each
    /// address's event once, before the state records it as done: an
    /// article whose sink call did not return is fetched again by the next
    /// run. Setting `stop` lets the requests in flight finish and be recorded.
    /// A [`JsonlSink`]'s [`record`](JsonlSink::record) is a ready sink.
    ///
    /// # Errors
    /// [`ErrorKind::StateMismatch`] for another crawl's state,
    /// [`ErrorKind::State`] when the state file fails, [`ErrorKind::Output`]
    /// when the sink fails. Failures of single pages are events, not errors.
    pub async fn run<F>(&self, state: &CrawlState, stop: &AtomicBool, mut sink: F) -> Result<Summary, Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let started = Instant::now();
        self.claim_state(state)?;
        let (start, number) = state.start_run()?;
        if start == RunStart::New {
            state.revisit_lists(number, self.config.revisit_after().as_secs())?;
        }
        let transient: Vec<ErrorCode> = TRANSIENT.to_vec();
        state.retry_failed(&transient, self.config.max_attempts())?;
        state.requeue_capped()?;
        let counts = state.counts()?;
        let done_in_run = state.done_in_run(number)?;
        tracing::info!(
            run = number,
            resumed = start != RunStart::New,
            queued = counts.queued,
            done = done_in_run,
            "crawl run starts"
        );
        let room = self.config.max_pages().saturating_sub(done_in_run + counts.queued);
        let mut run = Run { number, room, capped: false, summary: Summary::default() };
        let seeds: Vec<(Url, u32)> =
            self.config.seeds().iter().filter_map(|s| Url::parse(s).ok()).map(|u| (u, 0)).collect();
        self.queue(state, &mut run, seeds)?;
        self.read_sitemaps(state, &mut run, start, &mut sink).await?;
        let mut done = done_in_run;
        let mut workers: JoinSet<Visit> = JoinSet::new();
        loop {
            let slots = self.config.workers().saturating_sub(workers.len());
            let budget = self.config.max_pages().saturating_sub(done + workers.len() as u64);
            if !stop.load(Ordering::Relaxed) && slots > 0 && budget > 0 {
                for taken in state.take(slots.min(usize::try_from(budget).unwrap_or(usize::MAX)))? {
                    let job = visit::Job {
                        fetcher: self.fetcher.clone(),
                        extractor: self.extractor.clone(),
                        scope: self.scope.clone(),
                        budget: self.config.extract_budget(),
                    };
                    // Spawned tasks log to the caller's subscriber, not only a global one.
                    workers.spawn(tracing::instrument::WithSubscriber::with_current_subscriber(job.run(taken)));
                }
            }
            let Some(joined) = workers.join_next().await else { break };
            let visit = joined.map_err(|e| Error::new(ErrorKind::State { source: Box::new(e) }))?;
            self.record(state, &mut run, visit, &mut sink)?;
            done += 1;
        }
        let mut summary = run.summary;
        summary.stopped = stop.load(Ordering::Relaxed);
        summary.queued = state.counts()?.queued;
        if !summary.stopped && summary.queued == 0 && !run.capped {
            state.finish_run()?;
        }
        summary.elapsed = started.elapsed();
        tracing::info!(
            run = number,
            fetched = summary.fetched,
            articles = summary.articles,
            failed = summary.failed(),
            queued = summary.queued,
            stopped = summary.stopped,
            "crawl run ends"
        );
        Ok(summary)
    }

    /// Records this crawl's identity in the state, or refuses a state of another crawl.
    fn claim_state(&self, state: &CrawlState) -> Result<(), Error> {
        let asked = self.scope.identity();
        match state.identity()? {
            Some(recorded) if recorded != asked && !self.config.adopts_state() => {
                Err(Error::new(ErrorKind::StateMismatch { recorded, asked }))
            }
            Some(recorded) if recorded == asked => Ok(()),
            _ => state.set_identity(&asked),
        }
    }

    /// Queues new addresses in scope, as many as the run has room for; true
    /// in the second place when some did not fit.
    fn queue(&self, state: &CrawlState, run: &mut Run, urls: Vec<(Url, u32)>) -> Result<(usize, bool), Error> {
        let room = usize::try_from(run.room).unwrap_or(usize::MAX);
        let mut admitted: Vec<(Url, u32)> = urls.into_iter().filter(|(u, _)| self.in_scope(u)).collect();
        let cut = admitted.len() > room;
        admitted.truncate(room);
        let new = state.enqueue_many(admitted)?;
        run.room = run.room.saturating_sub(new as u64);
        run.capped |= cut;
        Ok((new, cut))
    }

    /// Applies one visit to the state, after handing it to the sink.
    fn record<F>(&self, state: &CrawlState, run: &mut Run, visit: Visit, sink: &mut F) -> Result<(), Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let Visit { taken, result } = visit;
        let url = taken.url;
        let summary = &mut run.summary;
        let page = match result {
            Ok(Visited::Unchanged) => {
                summary.unchanged += 1;
                emit(sink, CrawlEvent::Unchanged { url: &url })?;
                return state.finish_list(&url, run.number, None, None);
            }
            Ok(Visited::Page(page)) => page,
            Err(error) if matches!(error.kind(), ErrorKind::RobotsDisallowed { .. }) => {
                summary.robots += 1;
                emit(sink, CrawlEvent::Robots { url: &url })?;
                return state.finish(&url, Outcome::Robots);
            }
            Err(error) => {
                let code = error.kind().code();
                *summary.errors.entry(code).or_default() += 1;
                emit(sink, CrawlEvent::Failed { url: &url, error: &error, attempt: taken.attempts + 1 })?;
                return state.finish(&url, Outcome::Failed(code));
            }
        };
        summary.fetched += 1;
        summary.bytes += page.bytes;
        summary.extracting += page.extracting;
        let redirected = canonical_url(page.final_url.as_str()).ok() != canonical_url(url.as_str()).ok();
        if redirected && !state.claim(&page.final_url, taken.depth)? {
            summary.duplicates += 1;
            emit(sink, CrawlEvent::Duplicate { url: &url, final_url: &page.final_url })?;
            return state.finish(&url, Outcome::Duplicate);
        }
        let (new_links, cut) = self.follow(state, run, &page.links, taken.depth)?;
        let summary = &mut run.summary;
        if page.articles.is_empty() {
            emit(sink, CrawlEvent::List { url: &url, new_links })?;
            summary.lists += 1;
            for at in [&url, &page.final_url].into_iter().take(1 + usize::from(redirected)) {
                state.finish_list(at, run.number, page.etag.as_deref(), page.last_modified.as_deref())?;
                if cut {
                    state.mark_capped(at)?;
                }
            }
            return Ok(());
        }
        let parts = u32::try_from(page.articles.len()).unwrap_or(u32::MAX);
        let records: Vec<CrawledArticle> = (0..)
            .zip(page.articles)
            .map(|(part, article)| CrawledArticle {
                url: url.clone(),
                final_url: page.final_url.clone(),
                fetched_at: page.fetched_at,
                depth: taken.depth,
                part,
                parts,
                article,
            })
            .collect();
        emit(sink, CrawlEvent::Articles(&records))?;
        summary.articles += records.len() as u64;
        if redirected {
            state.finish(&page.final_url, Outcome::Article)?;
        }
        // An article is never fetched again, even when its links did not all fit:
        // the lists that lead to them are read again instead.
        state.finish(&url, Outcome::Article)
    }

    /// Queues a page's links that are in scope and within the depth limit;
    /// frames, refreshes and further pages of a list stay at the page's depth.
    fn follow(&self, state: &CrawlState, run: &mut Run, links: &[Link], depth: u32) -> Result<(usize, bool), Error> {
        let next = |l: &Link| if l.next_page || !l.kind.goes_deeper() { depth } else { depth + 1 };
        let wanted: Vec<(Url, u32)> =
            links.iter().map(|l| (l.url.clone(), next(l))).filter(|(_, d)| *d <= self.config.max_depth()).collect();
        self.queue(state, run, wanted)
    }
}

/// Failures that can heal, tried again on a later run (with any 5xx).
const TRANSIENT: &[ErrorCode] = &[
    ErrorCode::Timeout,
    ErrorCode::Network,
    ErrorCode::Http(429),
    ErrorCode::RobotsUnavailable,
    ErrorCode::ExtractTimeout,
];

fn emit<F>(sink: &mut F, event: CrawlEvent<'_>) -> Result<(), Error>
where
    F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
{
    sink(event).map_err(|source| Error::new(ErrorKind::Output { source }))
}
