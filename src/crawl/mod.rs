//! Crawling (feature `crawl`): take addresses from the [`CrawlState`],
//! fetch them politely, extract each page once for its articles and its
//! links, record the articles and follow the links that stay in scope.
//!
//! A [`Crawler`] ([`Crawler::new`] of a [`CrawlConfig`], the settings read
//! back with [`Crawler::config`]) runs over a [`Fetcher`] and a
//! [`CrawlState`] (SQLite: resumable after any kill), handing out
//! [`CrawlEvent`]s and writing each article once through a [`JsonlSink`];
//! a run ends with a [`Summary`]. [`canonical_url`] is the address form the
//! crawl keys its seen set by, and [`parse_sitemap`] its sitemap reader,
//! both stable for programs that feed a crawl addresses of their own.

// Inside:
// - `archive`: every response kept in a web archive, when one is given;
// - `config`: what to crawl and how, built once and read back;
// - `scope`: which origins the crawl may reach, and its identity;
// - `state`: the frontier and the seen set, one interface and its backends
//   (SQLite; PostgreSQL), resumable after a kill;
// - `schedule`: work handed out by host, each when it is due;
// - `seed_sitemaps`: reading the sitemaps (given, and named in robots.txt);
// - `visit`: one address, fetched and read on a worker;
// - `feed`: RSS, Atom and JSON feeds, read as list pages;
// - `record`: what the crawl hands out (records, events, the summary);
// - `sink`: the JSON Lines output, reconciled with the state on open;
// - `sitemap` and `urls`: sitemap parsing, canonical addresses, file types.

mod archive;
mod config;
mod feed;
mod record;
mod reposts;
mod schedule;
mod scope;
mod seed_sitemaps;
mod shared;
mod sink;
mod sitemap;
mod state;
mod urls;
mod visit;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tokio::task::JoinSet;
use url::Url;

pub use config::{CrawlConfig, CrawlConfigBuilder};
pub use record::{CrawlEvent, CrawledArticle, Summary};
pub use reposts::RepostRow;
pub use sink::JsonlSink;
pub use sitemap::{Sitemap, parse_sitemap};
pub use state::{Counts, CrawlState, Frontier, Outcome};
#[cfg(feature = "postgres")]
pub use state::{CrawlStatus, HostStatus, PgState, PgStateBuilder, WorkerStatus};
pub use urls::canonical_url;

use self::schedule::{Next, Schedule};
use self::scope::Scope;
use self::state::{Claim, Found, Holder, RunStart, Taken, fingerprint};
use self::visit::{Read, Visit, Visited};
use crate::error::{Error, ErrorCode, ErrorKind};
use crate::extract::Extractor;
use crate::fetch::Fetcher;
use crate::model::{Link, LinkKind};

/// Crawls sites: takes addresses from a [`CrawlState`], fetches them with a
/// [`Fetcher`] (robots.txt, politeness, retries), records the pages that
/// [look like articles](crate::Article::looks_like_article) and follows links that stay in
/// scope. Everything it learns goes into the state at once, so a killed
/// crawl resumes where it stopped; a crawl run again after one that
/// finished reads the list pages again and fetches only what is new.
///
/// ```no_run
/// use std::sync::atomic::AtomicBool;
/// use report_scraper::{fetch::{FetchConfig, Fetcher}, crawl::{CrawlConfig, CrawlState, Crawler, JsonlSink}};
/// # async fn demo() -> Result<(), report_scraper::Error> {
/// let config = CrawlConfig::builder().seed("https://www.chinafpa.org.cn/xwzx/").max_depth(2).build();
/// let crawler = Crawler::new(config, Fetcher::new(FetchConfig::default())?)?;
/// let state = CrawlState::open("crawl.db")?;
/// // Reconciled with the state: a crawl killed and run again writes every article once.
/// let mut out = JsonlSink::open("articles.jsonl", &state)?;
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
    archive: Option<archive::Archive>,
}

/// How a run goes: its number, what it may still queue, its tally, its hosts.
pub(crate) struct Run {
    number: i64,
    /// Addresses the run may still queue (the page limit bounds the queue too).
    room: u64,
    /// Some addresses found did not fit under the limit: the run is not finished.
    capped: bool,
    summary: Summary,
    frontier: Schedule,
    /// Origins whose robots.txt this worker and a shared state agree on.
    robots: HashSet<String>,
}

impl Crawler {
    /// Sets up a crawl of `config` over `fetcher`.
    ///
    /// ```
    /// use report_scraper::{crawl::{CrawlConfig, Crawler}, fetch::{FetchConfig, Fetcher}};
    /// let c = Crawler::new(CrawlConfig::default(), Fetcher::new(FetchConfig::default())?)?;
    /// assert_eq!(c.config().max_depth(), 5);
    /// let bad = Crawler::new(CrawlConfig::builder().seed("not a url").build(), Fetcher::new(FetchConfig::default())?);
    /// assert!(bad.is_err());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::BadUrl`] when a seed, a sitemap or a host is not an http(s) address.
    pub fn new(config: CrawlConfig, fetcher: Fetcher) -> Result<Crawler, Error> {
        let scope = Scope::new(&config)?;
        let extractor = Arc::new(config.extractor().clone());
        Ok(Crawler { fetcher: Arc::new(fetcher), extractor, config, scope: Arc::new(scope), archive: None })
    }

    /// Keeps every response in a web archive as it is fetched (feature
    /// `warc`): a `request` and a `response` record (a `revisit` for a page
    /// archived before, or a `304`), and a `metadata` record of the page's
    /// depth, articles and links. The pages can then be extracted again
    /// from the archive ([`warc`](crate::warc)) without a request. A record
    /// that cannot be written stops the run with the error; the address is
    /// fetched again by the next run.
    ///
    /// ```
    /// use report_scraper::{crawl::{CrawlConfig, Crawler}, fetch::{FetchConfig, Fetcher}, warc::WarcWriter};
    /// let dir = std::env::temp_dir().join(format!("crawl-warc-doc-{}", std::process::id()));
    /// let writer = WarcWriter::builder(&dir).prefix("my-crawl").info("isPartOf", "my-crawl").open()?;
    /// let crawler = Crawler::new(CrawlConfig::default(), Fetcher::new(FetchConfig::default())?)?.archive(writer);
    /// # drop(crawler); std::fs::remove_dir_all(dir).unwrap();
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    #[cfg(feature = "warc")]
    #[must_use]
    pub fn archive(mut self, writer: crate::warc::WarcWriter) -> Crawler {
        self.archive = Some(Arc::new(writer));
        self
    }

    /// The configuration it was built with.
    ///
    /// ```
    /// use report_scraper::{crawl::{CrawlConfig, Crawler}, fetch::{FetchConfig, Fetcher}};
    /// let config = CrawlConfig::builder().max_pages(50).build();
    /// let c = Crawler::new(config, Fetcher::new(FetchConfig::default())?)?;
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
    /// use report_scraper::{crawl::{CrawlConfig, Crawler}, fetch::{FetchConfig, Fetcher}};
    /// let config = CrawlConfig::builder().seed("http://www.example.cn/").build();
    /// let c = Crawler::new(config, Fetcher::new(FetchConfig::default())?)?;
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
    /// sitemaps and hosts) unless told to [adopt](CrawlConfigBuilder::adopt_state)
    /// it. A run cut short is resumed; after one that finished, the list
    /// pages and sitemaps are read again (conditionally) and only new
    /// articles fetched. Failures that can heal are tried again, up to
    /// [`max_attempts`](CrawlConfigBuilder::max_attempts). Work is handed out by
    /// host: an address is taken only when its host is due and has no
    /// request in flight, so the workers spread over the hosts. `sink` sees
    /// each address's event once, before the state records it as done: an
    /// article whose sink call did not return is fetched again by the next
    /// run. Setting `stop` lets the requests in flight finish and be recorded.
    /// A [`JsonlSink`]'s [`record`](JsonlSink::record) is a ready sink.
    ///
    /// # Errors
    /// [`ErrorKind::StateMismatch`] for another crawl's state,
    /// [`ErrorKind::State`] when the state file fails, [`ErrorKind::Output`]
    /// when the sink fails. Failures of single pages are events, not errors.
    pub async fn run<S, F>(&self, state: &S, stop: &AtomicBool, mut sink: F) -> Result<Summary, Error>
    where
        S: Frontier,
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let started = Instant::now();
        self.check_state(state).await?;
        let (start, number) = state.start_run().await?;
        if start == RunStart::New {
            state.revisit_lists(number, self.config.revisit_after().as_secs()).await?;
        }
        if start != RunStart::Join {
            let transient: Vec<ErrorCode> = TRANSIENT.to_vec();
            state.retry_failed(&transient, self.config.max_attempts()).await?;
            state.requeue_capped().await?;
        }
        state.give_up_interrupted(self.config.max_attempts()).await?;
        let counts = state.counts().await?;
        let done_in_run = state.done_in_run(number).await?;
        tracing::info!(
            run = number,
            resumed = start != RunStart::New,
            queued = counts.queued,
            done = done_in_run,
            "crawl run starts"
        );
        // The limit is this call's: the queue is bounded by it too, and a
        // run cut by it goes on in the next call.
        let room = self.config.max_pages().saturating_sub(counts.queued);
        if state.shared() {
            self.fetcher.share_robots();
        }
        let mut run = Run {
            number,
            room,
            capped: false,
            summary: Summary::default(),
            frontier: Schedule::default(),
            robots: HashSet::new(),
        };
        let seeds = self.config.seeds().iter().filter_map(|s| Url::parse(s).ok()).map(|u| Found::get(u, 0)).collect();
        self.queue(state, &mut run, seeds).await?;
        self.read_sitemaps(state, &mut run, start, &mut sink).await?;
        run.frontier.refresh(state).await?;
        let mut done = 0;
        let mut workers: JoinSet<Visit> = JoinSet::new();
        let (fetched_tx, mut fetched_rx) = tokio::sync::mpsc::unbounded_channel::<(i64, i64)>();
        // The schedule is read again from the state after waiting on other workers.
        let mut look_again = false;
        let mut sitemaps_again = false;
        loop {
            let mut wake = None;
            while !stop.load(Ordering::Relaxed)
                && workers.len() < self.config.workers()
                && done + (workers.len() as u64) < self.config.max_pages()
            {
                // As many hosts as there are free workers, taken in one claim.
                let free = (self.config.workers() - workers.len())
                    .min(usize::try_from(self.config.max_pages() - done - workers.len() as u64).unwrap_or(usize::MAX));
                let now = tokio::time::Instant::now();
                let hosts = run.frontier.due(&self.fetcher, now, free);
                if hosts.is_empty() {
                    if let Next::Wait(at) = run.frontier.next(&self.fetcher, now) {
                        wake = Some(at);
                    }
                    break;
                }
                for (origin, claim) in state.take(&hosts).await? {
                    let taken = match claim {
                        Claim::Taken(taken) => taken,
                        Claim::Empty => {
                            run.frontier.exhausted(origin);
                            continue;
                        }
                        // Another worker has the host's turn: it is due again after a while.
                        Claim::Wait(after) => {
                            run.frontier.not_before(origin, now + after);
                            continue;
                        }
                    };
                    if self.known_variant(state, &mut run, &taken, &mut sink).await? {
                        // No request was made: the host's turn goes back at once.
                        state.release(origin, std::time::Duration::ZERO).await?;
                        continue;
                    }
                    self.robots_from_state(state, &mut run, &taken.url).await?;
                    run.frontier.busy(origin, taken.id);
                    let job = visit::Job {
                        fetcher: self.fetcher.clone(),
                        extractor: self.extractor.clone(),
                        scope: self.scope.clone(),
                        budget: self.config.extract_budget(),
                        fetched: fetched_tx.clone(),
                        archive: self.archive.clone(),
                    };
                    // Spawned tasks log to the caller's subscriber, not only a global one.
                    workers.spawn(tracing::instrument::WithSubscriber::with_current_subscriber(job.run(taken)));
                }
            }
            if workers.is_empty() && wake.is_none() {
                // Other workers of a shared state may still queue addresses, or die
                // holding some: while they have any, look again after a while.
                let more = !stop.load(Ordering::Relaxed) && done < self.config.max_pages();
                match if more { state.elsewhere().await? } else { None } {
                    Some(after) => {
                        wake = Some(tokio::time::Instant::now() + after);
                        look_again = true;
                    }
                    // A sitemap another worker claimed and dropped (it died) is read now.
                    None if more && state.shared() && !sitemaps_again => {
                        sitemaps_again = true;
                        self.read_abandoned_sitemaps(state, &mut run, &mut sink).await?;
                        run.frontier.refresh(state).await?;
                        continue;
                    }
                    None => break,
                }
            }
            tokio::select! {
                Some(joined) = workers.join_next(), if !workers.is_empty() => {
                    let visit = joined.map_err(|e| Error::new(ErrorKind::State { source: Box::new(e) }))?;
                    self.release(state, &mut run, visit.taken.origin, visit.taken.id).await?;
                    self.record(state, &mut run, visit, &mut sink).await?;
                    done += 1;
                }
                Some((origin, id)) = fetched_rx.recv() => self.release(state, &mut run, origin, id).await?,
                () = sleep_until(wake), if wake.is_some() => {
                    if std::mem::take(&mut look_again) {
                        run.frontier.refresh(state).await?;
                    }
                }
            }
        }
        let mut summary = run.summary;
        summary.stopped = stop.load(Ordering::Relaxed);
        summary.queued = state.counts().await?.queued;
        let capped = run.capped || state.capped().await? > 0;
        summary.limit_reached = !summary.stopped && (summary.queued > 0 || capped);
        if !summary.stopped && summary.queued == 0 && !capped {
            state.finish_run().await?;
        }
        summary.elapsed = started.elapsed();
        tracing::info!(
            run = number,
            fetched = summary.fetched,
            articles = summary.articles,
            failed = summary.failed(),
            queued = summary.queued,
            cut = summary.cut,
            stopped = summary.stopped,
            limit_reached = summary.limit_reached,
            "crawl run ends"
        );
        Ok(summary)
    }

    /// Records this crawl's identity in the state, or refuses a state of
    /// another crawl (other seeds, sitemaps or hosts) unless told to
    /// [adopt](CrawlConfigBuilder::adopt_state) it; an adopted state's queue
    /// keeps only the addresses in this crawl's scope. [`run`](Self::run)
    /// does this first; call it yourself before reconciling an output with
    /// the state ([`JsonlSink::open`]), so that a refused state is left as
    /// it was.
    ///
    /// ```
    /// use report_scraper::{ErrorCode, fetch::{FetchConfig, Fetcher}, crawl::{CrawlConfig, CrawlState, Crawler}};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), report_scraper::Error> {
    /// let state = CrawlState::in_memory()?;
    /// let config = CrawlConfig::builder().seed("http://a.cn/").build();
    /// let ours = Crawler::new(config, Fetcher::new(FetchConfig::default())?)?;
    /// ours.check_state(&state).await?;
    /// let theirs = Crawler::new(CrawlConfig::builder().seed("http://b.cn/").build(), Fetcher::new(FetchConfig::default())?)?;
    /// assert_eq!(theirs.check_state(&state).await.unwrap_err().kind().code(), ErrorCode::StateMismatch);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::StateMismatch`], or [`ErrorKind::State`] when the state fails.
    pub async fn check_state<S: Frontier>(&self, state: &S) -> Result<(), Error> {
        let asked = self.scope.identity();
        match state.identity().await? {
            Some(recorded) if recorded != asked && !self.config.adopts_state() => {
                Err(Error::new(ErrorKind::StateMismatch { recorded, asked }))
            }
            Some(recorded) if recorded == asked => Ok(()),
            Some(_) => {
                let scope = self.scope.clone();
                let keep = move |origin: &str| Url::parse(origin).is_ok_and(|u| scope.admits_origin(&u));
                let dropped = state.drop_queued(&keep).await?;
                tracing::info!(dropped, "an adopted state's queue outside this crawl's scope dropped");
                state.set_identity(&asked).await
            }
            None => state.set_identity(&asked).await,
        }
    }

    /// Queues new addresses in scope, as many as the run has room for; true
    /// in the second place when some did not fit.
    async fn queue<S: Frontier>(&self, state: &S, run: &mut Run, found: Vec<Found>) -> Result<(usize, bool), Error> {
        let room = usize::try_from(run.room).unwrap_or(usize::MAX);
        let admitted: Vec<Found> = found.into_iter().filter(|f| self.in_scope(&f.url)).collect();
        let origins: BTreeSet<String> = admitted.iter().map(|f| f.url.origin().ascii_serialization()).collect();
        let (new, cut) = state.enqueue_within(admitted, room).await?;
        if new > 0 && run.frontier.queued(origins.iter().map(String::as_str)) {
            run.frontier.refresh(state).await?;
        }
        run.room = run.room.saturating_sub(new as u64);
        run.capped |= cut > 0;
        run.summary.cut += cut as u64;
        Ok((new, cut > 0))
    }

    /// A host's request is done (fetched or failed): it may be due again,
    /// after the delay the fetcher keeps for it (shared with other workers
    /// by a backend that has them).
    async fn release<S: Frontier>(&self, state: &S, run: &mut Run, origin: i64, id: i64) -> Result<(), Error> {
        // Done twice (response in, page read): the second finds the turn given back.
        let Some(url) = run.frontier.release(origin, id).cloned() else { return Ok(()) };
        let now = tokio::time::Instant::now();
        let delay = self.fetcher.due(&url).map_or(std::time::Duration::ZERO, |at| at.saturating_duration_since(now));
        state.release(origin, delay).await?;
        // The robots.txt read in this turn, if one was, serves the other workers.
        self.robots_to_state(state, run, &url).await
    }

    /// Applies one visit to the state, after handing it to the sink.
    async fn record<S: Frontier, F>(&self, state: &S, run: &mut Run, visit: Visit, sink: &mut F) -> Result<(), Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let Visit { taken, result } = visit;
        let url = taken.url.clone();
        let summary = &mut run.summary;
        let page = match result {
            Ok(Visited::Unchanged) => {
                summary.unchanged += 1;
                emit(sink, CrawlEvent::Unchanged { url: &url })?;
                return state.finish_list(taken.id, run.number, None, None).await;
            }
            Ok(Visited::Page(page)) => page,
            // The archive cannot be written: the crawl stops, the address is fetched again next run.
            Err(error) if matches!(error.kind(), ErrorKind::WarcWrite { .. }) => return Err(error),
            Err(error) if matches!(error.kind(), ErrorKind::RobotsDisallowed { .. }) => {
                summary.robots += 1;
                emit(sink, CrawlEvent::Robots { url: &url })?;
                return state.finish_row(taken.id, &Outcome::Robots).await;
            }
            Err(error) => {
                let code = error.kind().code();
                *summary.errors.entry(code).or_default() += 1;
                emit(sink, CrawlEvent::Failed { url: &url, error: &error, attempt: taken.attempts.max(1) })?;
                return state.finish_row(taken.id, &Outcome::Failed(code)).await;
            }
        };
        summary.fetched += 1;
        summary.bytes += page.bytes;
        summary.extracting += page.extracting;
        // A form's answer is its own page, whatever address it comes from.
        let redirected =
            taken.form.is_none() && canonical_url(page.final_url.as_str()).ok() != canonical_url(url.as_str()).ok();
        let mut rows = vec![taken.id];
        if redirected {
            match state.claim(&page.final_url, taken.depth).await? {
                Some(row) => rows.push(row),
                // Both addresses may have one key (a parameter learned to be irrelevant): then no duplicate.
                None => {
                    if let Some(of) = state.row_of(&page.final_url, None).await?.filter(|&of| of != taken.id) {
                        let at = &page.final_url;
                        return self.duplicate(state, run, &taken, at, (of, at), "redirect", sink).await;
                    }
                }
            }
        }
        if page.articles.is_empty() {
            return self.record_list(state, run, &taken, &page, &rows, sink).await;
        }
        let fingerprints: Vec<i64> = page.articles.iter().map(fingerprint).collect();
        if let Some(held) = self.held_elsewhere(state, &fingerprints, &rows).await? {
            self.learn_from(state, &url, &held.url).await?;
            for &row in &rows[1..] {
                state.duplicate(row, held.id, "same article").await?;
            }
            return self
                .duplicate(state, run, &taken, &page.final_url, (held.id, &held.url), "same article", sink)
                .await;
        }
        self.claim_canonical(state, &page, &taken, &url).await?;
        let (new_links, _) = self.follow(state, run, &page.links, taken.depth).await?;
        state.hold(&fingerprints, taken.id).await?;
        let parts = u32::try_from(page.articles.len()).unwrap_or(u32::MAX);
        let mut records: Vec<CrawledArticle> = (0..)
            .zip(page.articles)
            .map(|(part, article)| CrawledArticle {
                url: url.clone(),
                final_url: page.final_url.clone(),
                fetched_at: page.fetched_at,
                depth: taken.depth,
                part,
                parts,
                group: None,
                repost_of: None,
                article,
            })
            .collect();
        self.place_reposts(state, &mut records, taken.id).await?;
        emit(sink, CrawlEvent::Articles(&records))?;
        tracing::trace!(url = %url, new_links, "articles recorded");
        run.summary.articles += records.len() as u64;
        // An article is never fetched again, even when its links did not all fit:
        // the lists that lead to them are read again instead.
        state.finish_articles(&rows, &records).await
    }

    /// A list page: its links followed; when it led to something new in a
    /// run that reads lists again, its next page (read in an earlier run) is
    /// read again too, and so on until a page has nothing new. This is how
    /// pages reached by a form (postbacks, data requests), which are not
    /// revisited on their own, are read again.
    async fn record_list<S: Frontier, F>(
        &self,
        state: &S,
        run: &mut Run,
        taken: &Taken,
        page: &Read,
        rows: &[i64],
        sink: &mut F,
    ) -> Result<(), Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let (new_links, cut) = self.follow(state, run, &page.links, taken.depth).await?;
        if new_links > 0
            && let Some(next) = next_page(&page.links).filter(|l| self.in_scope(&l.url))
        {
            let next = Found { url: next.url.clone(), depth: taken.depth, post: next.post.clone() };
            if state.revive(&next, run.number).await? {
                run.frontier.queued([next.url.origin().ascii_serialization().as_str()]);
            }
        }
        if let Some(error) = &page.partial {
            *run.summary.errors.entry(error.kind().code()).or_default() += 1;
        }
        emit(sink, CrawlEvent::List { url: &taken.url, new_links })?;
        run.summary.lists += 1;
        // A list read in part is read again in full, not asked whether it changed.
        let whole = page.partial.is_none();
        let (etag, modified) = if whole { (page.etag.as_deref(), page.last_modified.as_deref()) } else { (None, None) };
        for &row in rows {
            state.finish_list(row, run.number, etag, modified).await?;
            if cut {
                state.mark_capped(row).await?;
            }
        }
        Ok(())
    }

    /// An address queued before one of its parameters was learned to be
    /// irrelevant, whose variant without it is known: recorded as its
    /// duplicate without a request. True when it was one.
    async fn known_variant<S: Frontier, F>(
        &self,
        state: &S,
        run: &mut Run,
        taken: &Taken,
        sink: &mut F,
    ) -> Result<bool, Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let Some(of) = state.known_as(taken).await? else { return Ok(false) };
        let Some(of_url) = state.url_of(of).await? else { return Ok(false) };
        self.duplicate(state, run, taken, &taken.url, (of, &of_url), "learned parameter", sink).await?;
        Ok(true)
    }

    /// Records the taken address as a duplicate of `of` (its row and address).
    #[allow(clippy::too_many_arguments)]
    async fn duplicate<S: Frontier, F>(
        &self,
        state: &S,
        run: &mut Run,
        taken: &Taken,
        final_url: &Url,
        of: (i64, &Url),
        why: &str,
        sink: &mut F,
    ) -> Result<(), Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        run.summary.duplicates += 1;
        emit(sink, CrawlEvent::Duplicate { url: &taken.url, final_url, of: of.1 })?;
        tracing::debug!(url = %taken.url, of = %of.1, why, "duplicate");
        state.duplicate(taken.id, of.0, why).await
    }

    /// The address already written that holds every one of the page's
    /// articles, if one does (the page's own rows aside: parts of one page
    /// are not duplicates of each other).
    async fn held_elsewhere<S: Frontier>(
        &self,
        state: &S,
        fingerprints: &[i64],
        rows: &[i64],
    ) -> Result<Option<Holder>, Error> {
        let mut first = None;
        for fp in fingerprints {
            match state.holder(*fp).await? {
                Some(h) if h.written && !rows.contains(&h.id) => first = first.or(Some(h)),
                _ => return Ok(None),
            }
        }
        Ok(first)
    }

    /// Two addresses of one host that differ only by parameters one of them
    /// lacks gave the same article: evidence that those parameters choose
    /// nothing there.
    async fn learn_from<S: Frontier>(&self, state: &S, a: &Url, b: &Url) -> Result<(), Error> {
        if let Some((names, evidence)) = irrelevant_params(a, b) {
            state.learn(&a.origin().ascii_serialization(), &names, &evidence).await?;
        }
        Ok(())
    }

    /// The page's same-site canonical address, when it is another one and
    /// was never seen, is recorded as this page's alias: it is not fetched.
    /// (One already seen is left alone: a template that names the home page
    /// as every page's canonical address must not hide it.)
    async fn claim_canonical<S: Frontier>(
        &self,
        state: &S,
        page: &Read,
        taken: &Taken,
        url: &Url,
    ) -> Result<(), Error> {
        let canonical = page.links.iter().find(|l| l.kind == LinkKind::Canonical).map(|l| &l.url);
        let Some(canonical) = canonical.filter(|c| self.in_scope(c) && c.path() != "/") else { return Ok(()) };
        let same = |u: &Url| canonical_url(u.as_str()).ok() == canonical_url(canonical.as_str()).ok();
        if same(url) || same(&page.final_url) || taken.form.is_some() {
            return Ok(());
        }
        if let Some(row) = state.claim(canonical, taken.depth).await? {
            state.duplicate(row, taken.id, "canonical").await?;
        }
        Ok(())
    }

    /// Queues a page's links that are in scope and within the depth limit;
    /// frames, refreshes and further pages of a list stay at the page's depth.
    async fn follow<S: Frontier>(
        &self,
        state: &S,
        run: &mut Run,
        links: &[Link],
        depth: u32,
    ) -> Result<(usize, bool), Error> {
        let next = |l: &Link| if l.next_page || !l.kind.goes_deeper() { depth } else { depth + 1 };
        let wanted: Vec<Found> = links
            .iter()
            .filter(|l| l.kind != LinkKind::Canonical)
            .map(|l| Found { url: l.url.clone(), depth: next(l), post: l.post.clone() })
            .filter(|f| f.depth <= self.config.max_depth())
            .collect();
        self.queue(state, run, wanted).await
    }
}

/// The page after this one of a list: the link that says so (下一页,
/// "next"), else the first further page the list names.
fn next_page(links: &[Link]) -> Option<&Link> {
    let pages = || links.iter().filter(|l| l.next_page);
    pages().find(|l| crate::html::links::says_next(&l.text)).or_else(|| pages().next())
}

/// The parameters that tell `a` from `b` when they are the same resource
/// but for parameters one of them lacks (`/a.html?from=list` and
/// `/a.html`), and the evidence: the address without them. `None` when they
/// differ otherwise (another path, a parameter with two values).
fn irrelevant_params(a: &Url, b: &Url) -> Option<(Vec<String>, String)> {
    let (a, b) = (canonical_url(a.as_str()).ok()?, canonical_url(b.as_str()).ok()?);
    if a.origin() != b.origin() || a.path() != b.path() {
        return None;
    }
    let pairs = |u: &Url| -> BTreeMap<String, String> { u.query_pairs().map(|(k, v)| (k.into(), v.into())).collect() };
    let (pa, pb) = (pairs(&a), pairs(&b));
    let (more, less) = if pa.len() >= pb.len() { (&pa, &pb) } else { (&pb, &pa) };
    if less.iter().any(|(k, v)| more.get(k) != Some(v)) {
        return None;
    }
    let names: Vec<String> = more.keys().filter(|k| !less.contains_key(*k)).cloned().collect();
    let shorter = if pa.len() >= pb.len() { b } else { a };
    (!names.is_empty()).then(|| (names, shorter.to_string()))
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
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
    sink(event).map_err(|source| Error::new(ErrorKind::Output { source: Box::new(source) }))
}

/// Frontier operations as the crawl loop runs them, for the crate's
/// benchmarks (`benches/frontier.rs`); not part of the API.
#[doc(hidden)]
pub mod bench {
    use std::time::Duration;

    use url::Url;

    use crate::crawl::state::{Claim, Found};
    use crate::crawl::{Frontier, Outcome};
    use crate::error::Error;

    /// Queues `urls` (depth 0); how many were new.
    pub async fn enqueue<S: Frontier>(state: &S, urls: Vec<Url>) -> Result<usize, Error> {
        Ok(state.enqueue_within(urls.into_iter().map(|u| Found::get(u, 0)).collect(), usize::MAX).await?.0)
    }

    /// Takes and finishes queued addresses (a claim of up to `batch` hosts,
    /// then for each address taken a finish and its host's turn given back,
    /// no delay) until none is left for this worker; how many it took.
    /// Workers start at different hosts (`offset`), as a crawl's would.
    pub async fn drain<S: Frontier>(state: &S, batch: usize, offset: usize) -> Result<u64, Error> {
        let mut n = 0;
        loop {
            let mut origins: Vec<i64> = state.queued_origins().await?.into_iter().map(|(row, _)| row).collect();
            if origins.is_empty() {
                return Ok(n);
            }
            let len = origins.len();
            origins.rotate_left(offset % len);
            for hosts in origins.chunks(batch.max(1)) {
                for (origin, claim) in state.take(hosts).await? {
                    if let Claim::Taken(t) = claim {
                        state.finish_row(t.id, &Outcome::Article).await?;
                        state.release(origin, Duration::ZERO).await?;
                        n += 1;
                    }
                }
            }
        }
    }
}
