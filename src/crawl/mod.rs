//! Crawling (feature `crawl`): take addresses from the [`CrawlState`],
//! fetch them politely, extract each page once for its articles and its
//! links, record the articles and follow the links that stay in scope.
//!
//! - [`config`]: what to crawl and how;
//! - [`state`]: the frontier and the seen set in SQLite, resumable after a kill;
//! - [`record`]: what the crawl hands out (records, events, the summary);
//! - [`sink`]: the JSON Lines output, reconciled with the state on open;
//! - [`sitemap`] and [`urls`]: sitemaps, canonical addresses, file types.

mod config;
mod record;
mod sink;
mod sitemap;
mod state;
mod urls;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;
use url::Url;

pub use config::{CrawlConfig, CrawlerBuilder};
pub use record::{looks_like_article, CrawlEvent, CrawledArticle, Summary};
pub use sink::JsonlSink;
pub use sitemap::{parse_sitemap, Sitemap};
pub use state::{Counts, CrawlState, Outcome};
pub use urls::canonical_url;

use crate::error::{Error, ErrorKind};
use crate::extract::Extractor;
use crate::fetch::{Fetched, Fetcher};
use crate::model::{Article, Link};

/// Sitemaps read at most per run (an index may point at more).
const MAX_SITEMAPS: usize = 1000;

/// Crawls sites: takes addresses from a [`CrawlState`], fetches them with a
/// [`Fetcher`] (robots.txt, politeness, retries), records the pages that
/// [look like articles](looks_like_article) and follows links that stay on
/// the allowed hosts. Everything it learns goes into the state at once, so a
/// killed crawl resumes where it stopped.
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
    hosts: HashSet<String>,
}

/// The result of one address, made on a worker.
struct Visit {
    url: Url,
    depth: u32,
    result: Result<Visited, Error>,
}

/// A fetched page, read.
struct Visited {
    final_url: Url,
    fetched_at: jiff::Timestamp,
    /// The articles worth recording.
    articles: Vec<Article>,
    links: Vec<Link>,
    extracting: Duration,
    bytes: u64,
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
    /// [`ErrorKind::BadUrl`](crate::ErrorKind::BadUrl) when a seed or sitemap is not an http(s) address.
    pub fn build(self, fetcher: Fetcher) -> Result<Crawler, Error> {
        let config = self.config;
        let mut hosts: HashSet<String> = config.hosts.iter().cloned().collect();
        for url in config.seeds.iter().chain(&config.sitemaps) {
            let url = canonical_url(url)?;
            if config.hosts.is_empty() {
                hosts.extend(url.host_str().map(str::to_string));
            }
        }
        Ok(Crawler::new(fetcher, config, hosts))
    }
}

impl Crawler {
    fn new(fetcher: Fetcher, config: CrawlConfig, hosts: HashSet<String>) -> Crawler {
        let extractor = Arc::new(config.extractor().clone());
        Crawler { fetcher: Arc::new(fetcher), extractor, config, hosts }
    }

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

    /// True when `url` may be fetched: an allowed host and not a file type
    /// that is never a page.
    ///
    /// ```
    /// let c = report_scraper::Crawler::builder().seed("http://www.example.cn/").build(report_scraper::Fetcher::builder().build()?)?;
    /// assert!(c.in_scope(&"http://www.example.cn/a/1.html".parse().unwrap()));
    /// assert!(!c.in_scope(&"http://www.example.cn/a/1.pdf".parse().unwrap()));
    /// assert!(!c.in_scope(&"http://other.example.cn/a/1.html".parse().unwrap()));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn in_scope(&self, url: &Url) -> bool {
        url.host_str().is_some_and(|h| self.hosts.contains(h)) && !urls::is_file(url)
    }

    /// Crawls until the frontier is empty, the page limit is reached or
    /// `stop` is set. Seeds and sitemaps are (re)read first; addresses seen
    /// in an earlier run are not queued again. `sink` sees each address's
    /// event once, before the state records it as done: an article whose
    /// sink call did not return is fetched again by the next run.
    /// Setting `stop` lets the requests in flight finish and be recorded.
    /// A [`JsonlSink`]'s [`record`](JsonlSink::record) is a ready sink.
    ///
    /// # Errors
    /// [`ErrorKind::State`] when the state file fails, [`ErrorKind::Output`]
    /// when the sink fails. Failures of single pages are events, not errors.
    pub async fn run<F>(&self, state: &CrawlState, stop: &AtomicBool, mut sink: F) -> Result<Summary, Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let started = Instant::now();
        let mut summary = Summary::default();
        for seed in self.config.seeds() {
            state.enqueue(&canonical_url(seed)?, 0)?;
        }
        self.read_sitemaps(state, &mut summary, &mut sink).await?;
        let mut done = state.done()?;
        let mut workers: JoinSet<Visit> = JoinSet::new();
        loop {
            let room = self.config.workers().saturating_sub(workers.len());
            let budget = self.config.max_pages().saturating_sub(done + workers.len() as u64);
            if !stop.load(Ordering::Relaxed) && room > 0 && budget > 0 {
                for (url, depth) in state.take(room.min(usize::try_from(budget).unwrap_or(usize::MAX)))? {
                    workers.spawn(visit(self.fetcher.clone(), self.extractor.clone(), url, depth));
                }
            }
            let Some(joined) = workers.join_next().await else { break };
            let visit = joined.map_err(|e| Error::new(ErrorKind::State { source: Box::new(e) }))?;
            self.record(state, visit, &mut summary, &mut sink)?;
            done += 1;
        }
        summary.stopped = stop.load(Ordering::Relaxed);
        summary.queued = state.counts()?.queued;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Applies one visit to the state, after handing it to the sink.
    fn record<F>(&self, state: &CrawlState, visit: Visit, summary: &mut Summary, sink: &mut F) -> Result<(), Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let Visit { url, depth, result } = visit;
        let page = match result {
            Ok(page) => page,
            Err(error) if matches!(error.kind(), ErrorKind::RobotsDisallowed { .. }) => {
                summary.robots += 1;
                emit(sink, CrawlEvent::Robots { url: &url })?;
                return state.finish(&url, Outcome::Robots);
            }
            Err(error) => {
                let code = error.kind().code();
                *summary.errors.entry(code).or_default() += 1;
                emit(sink, CrawlEvent::Failed { url: &url, error: &error })?;
                return state.finish(&url, Outcome::Failed(code));
            }
        };
        summary.fetched += 1;
        summary.bytes += page.bytes;
        summary.extracting += page.extracting;
        let final_url = canonical_url(page.final_url.as_str()).unwrap_or_else(|_| page.final_url.clone());
        let redirected = final_url != url;
        if redirected && !state.claim(&final_url, depth)? {
            summary.duplicates += 1;
            emit(sink, CrawlEvent::Duplicate { url: &url, final_url: &final_url })?;
            return state.finish(&url, Outcome::Duplicate);
        }
        let new_links = self.follow(state, &page.links, depth)?;
        let outcome = if page.articles.is_empty() {
            emit(sink, CrawlEvent::List { url: &url, new_links })?;
            summary.lists += 1;
            Outcome::List
        } else {
            let parts = u32::try_from(page.articles.len()).unwrap_or(u32::MAX);
            let records: Vec<CrawledArticle> = (0..)
                .zip(page.articles)
                .map(|(part, article)| CrawledArticle {
                    url: url.clone(),
                    final_url: final_url.clone(),
                    fetched_at: page.fetched_at,
                    depth,
                    part,
                    parts,
                    article,
                })
                .collect();
            emit(sink, CrawlEvent::Articles(&records))?;
            summary.articles += records.len() as u64;
            Outcome::Article
        };
        if redirected {
            state.finish(&final_url, outcome)?;
        }
        state.finish(&url, outcome)
    }

    /// Queues a page's links that are in scope and within the depth limit.
    fn follow(&self, state: &CrawlState, links: &[Link], depth: u32) -> Result<usize, Error> {
        let mut new = 0;
        for link in links {
            let Ok(url) = canonical_url(link.url.as_str()) else { continue };
            let next = if link.next_page { depth } else { depth + 1 };
            if self.in_scope(&url) && next <= self.config.max_depth() && state.enqueue(&url, next)? {
                new += 1;
            }
        }
        Ok(new)
    }

    /// Fetches the sitemaps (and the sitemaps they list) and queues their pages.
    async fn read_sitemaps<F>(&self, state: &CrawlState, summary: &mut Summary, sink: &mut F) -> Result<(), Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let mut todo: Vec<String> = self.config.sitemaps().to_vec();
        let mut seen = HashSet::new();
        while let Some(address) = todo.pop() {
            if seen.len() >= MAX_SITEMAPS || !seen.insert(address.clone()) {
                continue;
            }
            let url = canonical_url(&address)?;
            let listed = match self.fetcher.fetch(url.as_str()).await {
                Ok(page) => parse_sitemap(&page.body),
                Err(e) => Err(e),
            };
            match listed {
                Ok(map) => {
                    for page in map.pages.iter().filter_map(|p| canonical_url(p).ok()).filter(|u| self.in_scope(u)) {
                        state.enqueue(&page, 0)?;
                    }
                    todo.extend(map.sitemaps);
                }
                Err(error) => {
                    *summary.errors.entry(error.kind().code()).or_default() += 1;
                    emit(sink, CrawlEvent::Failed { url: &url, error: &error })?;
                }
            }
        }
        Ok(())
    }
}

fn emit<F>(sink: &mut F, event: CrawlEvent<'_>) -> Result<(), Error>
where
    F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
{
    sink(event).map_err(|source| Error::new(ErrorKind::Output { source }))
}

/// Fetches one address, then decodes, extracts and finds links off the async threads.
async fn visit(fetcher: Arc<Fetcher>, extractor: Arc<Extractor>, url: Url, depth: u32) -> Visit {
    let result = match fetcher.fetch(url.as_str()).await {
        Ok(fetched) => tokio::task::spawn_blocking(move || read(&fetched, &extractor))
            .await
            .unwrap_or_else(|e| Err(Error::new(ErrorKind::Internal { url: url.to_string(), message: e.to_string() }))),
        Err(e) => Err(e),
    };
    Visit { url, depth, result }
}

/// One pass over the page serves both its articles and its links, through
/// the extractor's one entry (size cap and all); a page that cannot be
/// read is a failure, not a list.
fn read(fetched: &Fetched, extractor: &Extractor) -> Result<Visited, Error> {
    let started = Instant::now();
    let page = extractor.page(fetched.input().with_links())?;
    Ok(Visited {
        final_url: fetched.final_url.clone(),
        fetched_at: fetched.fetched_at,
        articles: page.articles.into_iter().filter(looks_like_article).collect(),
        links: page.links,
        extracting: started.elapsed(),
        bytes: fetched.body.len() as u64,
    })
}
