//! The crawl loop (feature `crawl`): fetch what the state has queued, record articles, follow links in scope.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::task::JoinSet;
use url::Url;

use crate::article::{Article, Block, Truncation};
use crate::crawl::{canonical_url, links_in, looks_like_article, parse_sitemap, Link};
use crate::date::Published;
use crate::error::{Error, ErrorKind};
use crate::extractor::Extractor;
use crate::fetch::{Fetched, Fetcher};
use crate::state::{CrawlState, Outcome};

/// File endings of links that are never pages.
const NOT_PAGES: &[&str] = &[
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".zip", ".rar", ".7z", ".gz", ".jpg", ".jpeg",
    ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".mp3", ".mp4", ".avi", ".wmv", ".flv", ".mov", ".css", ".js",
    ".apk", ".exe", ".xml",
];

/// Sitemaps read at most per run (an index may point at more).
const MAX_SITEMAPS: usize = 1000;

/// An article found by a crawl. Serialises as one JSON object: `url`,
/// `final_url`, `fetched_at`, `depth`, then the [`Article`] fields (its
/// `removed` list is left out; `removed_count` says how long it was).
///
/// ```
/// # let record = report_scraper::CrawledArticle::for_tests();
/// let line = serde_json::to_string(&record).unwrap();
/// assert!(line.starts_with(r#"{"url":"http://example.cn/a.html","final_url":"#));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CrawledArticle {
    /// The address taken from the frontier.
    pub url: Url,
    /// The address after redirects.
    pub final_url: Url,
    /// When the response arrived.
    pub fetched_at: jiff::Timestamp,
    /// Links followed from a seed to reach it.
    pub depth: u32,
    /// What was extracted.
    pub article: Article,
}

impl CrawledArticle {
    #[doc(hidden)]
    pub fn for_tests() -> CrawledArticle {
        let url = Url::parse("http://example.cn/a.html").expect("valid url");
        let article = crate::clean_text("标题\n正文第一段,内容。");
        CrawledArticle { final_url: url.clone(), url, fetched_at: jiff::Timestamp::UNIX_EPOCH, depth: 0, article }
    }
}

#[derive(Serialize)]
struct Row<'a> {
    url: &'a str,
    final_url: &'a str,
    fetched_at: jiff::Timestamp,
    depth: u32,
    title: &'a Option<String>,
    kicker: &'a Option<String>,
    subtitle: &'a Option<String>,
    published: &'a Option<Published>,
    source: &'a Option<String>,
    author: &'a Option<String>,
    editors: &'a [String],
    text: String,
    blocks: &'a [Block],
    truncated: &'a Option<Truncation>,
    removed_count: usize,
}

impl Serialize for CrawledArticle {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let a = &self.article;
        Row {
            url: self.url.as_str(),
            final_url: self.final_url.as_str(),
            fetched_at: self.fetched_at,
            depth: self.depth,
            title: &a.title,
            kicker: &a.kicker,
            subtitle: &a.subtitle,
            published: &a.published,
            source: &a.source,
            author: &a.author,
            editors: &a.editors,
            text: a.text(),
            blocks: &a.blocks,
            truncated: &a.truncated,
            removed_count: a.removed.len(),
        }
        .serialize(serializer)
    }
}

/// What happened to one address; the crawl hands each to its sink once.
#[derive(Debug)]
#[non_exhaustive]
pub enum CrawlEvent<'a> {
    /// An article: write it out.
    Article(&'a CrawledArticle),
    /// A list or index page, followed and not recorded.
    List {
        /// Its address.
        url: &'a Url,
        /// Addresses it added to the frontier.
        new_links: usize,
    },
    /// robots.txt disallows it; it was not fetched.
    Robots {
        /// Its address.
        url: &'a Url,
    },
    /// It redirected to an address seen already.
    Duplicate {
        /// Its address.
        url: &'a Url,
        /// Where it led.
        final_url: &'a Url,
    },
    /// Fetching or decoding failed.
    Failed {
        /// Its address.
        url: &'a Url,
        /// What went wrong.
        error: &'a Error,
    },
}

/// What a [`Crawler::run`] did.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Summary {
    /// Responses received (articles, lists and duplicates).
    pub fetched: u64,
    /// Articles handed to the sink.
    pub articles: u64,
    /// List pages followed.
    pub lists: u64,
    /// Addresses refused by robots.txt.
    pub robots: u64,
    /// Redirects to a page seen already.
    pub duplicates: u64,
    /// Failures by kind (`timeout`, `http-404`, `blocked-address`…).
    pub errors: BTreeMap<String, u64>,
    /// Addresses left in the frontier (stopped early or page limit reached).
    pub queued: u64,
    /// True when the stop flag ended the run.
    pub stopped: bool,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Time spent decoding, parsing, extracting and finding links, summed over
    /// the blocking threads that do it: the CPU time of that work when the
    /// threads do not outnumber the cores, more when they wait for one.
    pub extracting: Duration,
    /// Bytes received.
    pub bytes: u64,
}

impl Summary {
    /// Failures of every kind.
    ///
    /// ```
    /// assert_eq!(report_scraper::Summary::default().failed(), 0);
    /// ```
    pub fn failed(&self) -> u64 {
        self.errors.values().sum()
    }
}

/// Crawls sites: takes addresses from a [`CrawlState`], fetches them with a
/// [`Fetcher`] (robots.txt, politeness, retries), records the pages that
/// [look like articles](looks_like_article) and follows links that stay on
/// the allowed hosts. Everything it learns goes into the state at once, so a
/// killed crawl resumes where it stopped.
///
/// ```no_run
/// use std::sync::atomic::AtomicBool;
/// use report_scraper::{CrawlEvent, CrawlState, Crawler, Fetcher};
/// # async fn demo() -> Result<(), report_scraper::Error> {
/// let crawler = Crawler::builder()
///     .seed("https://www.chinafpa.org.cn/xwzx/")
///     .max_depth(2)
///     .build(Fetcher::builder().build()?)?;
/// let state = CrawlState::open("crawl.db".as_ref())?;
/// let summary = crawler
///     .run(&state, &AtomicBool::new(false), |event| {
///         if let CrawlEvent::Article(a) = event {
///             println!("{}", serde_json::to_string(a)?);
///         }
///         Ok(())
///     })
///     .await?;
/// eprintln!("{} articles", summary.articles);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Crawler {
    fetcher: Arc<Fetcher>,
    config: CrawlerBuilder,
    hosts: HashSet<String>,
}

/// Configures a [`Crawler`].
///
/// ```
/// let crawler = report_scraper::Crawler::builder()
///     .seed("https://www.chinafpa.org.cn/")
///     .sitemap("https://www.chinafpa.org.cn/sitemap.xml")
///     .allow_host("news.chinafpa.org.cn")
///     .max_depth(3)
///     .max_pages(5000)
///     .workers(4)
///     .build(report_scraper::Fetcher::builder().build().unwrap());
/// assert!(crawler.is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct CrawlerBuilder {
    seeds: Vec<String>,
    sitemaps: Vec<String>,
    hosts: Vec<String>,
    max_depth: u32,
    max_pages: u64,
    workers: usize,
}

impl Default for CrawlerBuilder {
    fn default() -> Self {
        CrawlerBuilder { seeds: Vec::new(), sitemaps: Vec::new(), hosts: Vec::new(), max_depth: 5, max_pages: 10_000, workers: 8 }
    }
}

impl CrawlerBuilder {
    /// An address to start from (depth 0). Its host is allowed unless
    /// [`allow_host`](Self::allow_host) names the hosts.
    ///
    /// ```
    /// let b = report_scraper::Crawler::builder().seed("http://www.example.cn/news/");
    /// assert!(b.build(report_scraper::Fetcher::builder().build().unwrap()).is_ok());
    /// ```
    pub fn seed(mut self, url: &str) -> Self {
        self.seeds.push(url.to_string());
        self
    }

    /// A sitemap (or sitemap index, gzip or not) whose pages start the crawl.
    ///
    /// ```
    /// let b = report_scraper::Crawler::builder().sitemap("http://www.example.cn/sitemap.xml");
    /// assert!(b.build(report_scraper::Fetcher::builder().build().unwrap()).is_ok());
    /// ```
    pub fn sitemap(mut self, url: &str) -> Self {
        self.sitemaps.push(url.to_string());
        self
    }

    /// A host whose pages may be fetched. Without any, the seeds' and
    /// sitemaps' hosts are allowed.
    ///
    /// ```
    /// let b = report_scraper::Crawler::builder().allow_host("www.example.cn");
    /// assert!(b.build(report_scraper::Fetcher::builder().build().unwrap()).is_ok());
    /// ```
    pub fn allow_host(mut self, host: &str) -> Self {
        self.hosts.push(host.trim().to_ascii_lowercase());
        self
    }

    /// Links followed away from a seed (default 5); "next page" links of a
    /// list do not count, so a long list is read to its end.
    ///
    /// ```
    /// let b = report_scraper::Crawler::builder().max_depth(1);
    /// assert!(b.build(report_scraper::Fetcher::builder().build().unwrap()).is_ok());
    /// ```
    pub fn max_depth(mut self, depth: u32) -> Self {
        self.max_depth = depth;
        self
    }

    /// Addresses fetched in all, counted across resumed runs (default 10,000).
    ///
    /// ```
    /// let b = report_scraper::Crawler::builder().max_pages(100);
    /// assert!(b.build(report_scraper::Fetcher::builder().build().unwrap()).is_ok());
    /// ```
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages;
        self
    }

    /// Pages in flight at once (default 8); the fetcher's per-host
    /// politeness still applies, so more workers help across hosts.
    ///
    /// ```
    /// let b = report_scraper::Crawler::builder().workers(2);
    /// assert!(b.build(report_scraper::Fetcher::builder().build().unwrap()).is_ok());
    /// ```
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// Builds the crawler around `fetcher`.
    ///
    /// ```
    /// let bad = report_scraper::Crawler::builder().seed("not a url").build(report_scraper::Fetcher::builder().build().unwrap());
    /// assert!(bad.is_err());
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::BadUrl`] when a seed or sitemap is not an http(s) address.
    pub fn build(self, fetcher: Fetcher) -> Result<Crawler, Error> {
        let mut hosts: HashSet<String> = self.hosts.iter().cloned().collect();
        for url in self.seeds.iter().chain(&self.sitemaps) {
            let url = canonical_url(url)?;
            if self.hosts.is_empty() {
                hosts.extend(url.host_str().map(str::to_string));
            }
        }
        Ok(Crawler { fetcher: Arc::new(fetcher), config: self, hosts })
    }
}

/// The result of one address, made on a worker.
struct Visit {
    url: Url,
    depth: u32,
    result: Result<Page, Error>,
}

struct Page {
    final_url: Url,
    fetched_at: jiff::Timestamp,
    article: Option<Article>,
    links: Vec<Link>,
    extracting: Duration,
    bytes: u64,
}

impl Crawler {
    /// Starts a configuration.
    ///
    /// ```
    /// let b = report_scraper::Crawler::builder();
    /// assert!(b.build(report_scraper::Fetcher::builder().build().unwrap()).is_ok());
    /// ```
    pub fn builder() -> CrawlerBuilder {
        CrawlerBuilder::default()
    }

    /// True when `url` may be fetched: an allowed host and not a file type
    /// that is never a page.
    ///
    /// ```
    /// let c = report_scraper::Crawler::builder().seed("http://www.example.cn/").build(report_scraper::Fetcher::builder().build().unwrap()).unwrap();
    /// assert!(c.in_scope(&"http://www.example.cn/a/1.html".parse().unwrap()));
    /// assert!(!c.in_scope(&"http://www.example.cn/a/1.pdf".parse().unwrap()));
    /// assert!(!c.in_scope(&"http://other.example.cn/a/1.html".parse().unwrap()));
    /// ```
    pub fn in_scope(&self, url: &Url) -> bool {
        let path = url.path().to_ascii_lowercase();
        url.host_str().is_some_and(|h| self.hosts.contains(h)) && !NOT_PAGES.iter().any(|ext| path.ends_with(ext))
    }

    /// Crawls until the frontier is empty, the page limit is reached or
    /// `stop` is set. Seeds and sitemaps are (re)read first; addresses seen
    /// in an earlier run are not queued again. `sink` sees each address's
    /// event once, before the state records it as done: an article whose
    /// sink call did not return is fetched again by the next run.
    /// Setting `stop` lets the requests in flight finish and be recorded.
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
        for seed in &self.config.seeds {
            state.enqueue(&canonical_url(seed)?, 0)?;
        }
        self.read_sitemaps(state, &mut summary, &mut sink).await?;
        let mut done = state.done()?;
        let mut workers: JoinSet<Visit> = JoinSet::new();
        loop {
            let room = self.config.workers.saturating_sub(workers.len());
            let budget = self.config.max_pages.saturating_sub(done + workers.len() as u64);
            if !stop.load(Ordering::Relaxed) && room > 0 && budget > 0 {
                for (url, depth) in state.take(room.min(usize::try_from(budget).unwrap_or(usize::MAX)))? {
                    workers.spawn(visit(self.fetcher.clone(), url, depth));
                }
            }
            let Some(joined) = workers.join_next().await else { break };
            let visit = joined.map_err(|e| Error::new(ErrorKind::State { message: format!("a crawl worker failed: {e}") }))?;
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
                return state.finish(&url, Outcome::Robots, None);
            }
            Err(error) => {
                let code = error_code(&error);
                *summary.errors.entry(code.clone()).or_default() += 1;
                emit(sink, CrawlEvent::Failed { url: &url, error: &error })?;
                return state.finish(&url, Outcome::Failed, Some(&code));
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
            return state.finish(&url, Outcome::Duplicate, None);
        }
        let new_links = self.follow(state, &page.links, depth)?;
        let outcome = match page.article {
            Some(article) => {
                let record = CrawledArticle { url: url.clone(), final_url: final_url.clone(), fetched_at: page.fetched_at, depth, article };
                emit(sink, CrawlEvent::Article(&record))?;
                summary.articles += 1;
                Outcome::Article
            }
            None => {
                emit(sink, CrawlEvent::List { url: &url, new_links })?;
                summary.lists += 1;
                Outcome::List
            }
        };
        if redirected {
            state.finish(&final_url, outcome, None)?;
        }
        state.finish(&url, outcome, None)
    }

    /// Queues a page's links that are in scope and within the depth limit.
    fn follow(&self, state: &CrawlState, links: &[Link], depth: u32) -> Result<usize, Error> {
        let mut new = 0;
        for link in links.iter().filter(|l| self.in_scope(&l.url)) {
            let next = if link.next_page { depth } else { depth + 1 };
            if next <= self.config.max_depth && state.enqueue(&link.url, next)? {
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
        let mut todo: Vec<String> = self.config.sitemaps.clone();
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
                    *summary.errors.entry(error_code(&error)).or_default() += 1;
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
    sink(event).map_err(|e| Error::new(ErrorKind::Output { message: e.to_string() }))
}

/// The error's kind, with the status for HTTP errors (`http-404`).
fn error_code(error: &Error) -> String {
    match error.kind() {
        ErrorKind::HttpStatus { status, .. } => format!("http-{status}"),
        kind => kind.code().to_string(),
    }
}

/// Fetches one address, then decodes, extracts and finds links off the async threads.
async fn visit(fetcher: Arc<Fetcher>, url: Url, depth: u32) -> Visit {
    let fetched = fetcher.fetch(url.as_str()).await;
    let result = match fetched {
        Ok(fetched) => {
            let fetched_at = jiff::Timestamp::now();
            // The fetcher's own extractor does the work: one configuration, not a copy of it.
            tokio::task::spawn_blocking(move || analyse(&fetched, fetcher.extractor(), fetched_at))
                .await
                .unwrap_or_else(|e| Err(Error::new(ErrorKind::Internal { url: url.to_string(), message: e.to_string() })))
        }
        Err(e) => Err(e),
    };
    Visit { url, depth, result }
}

fn analyse(fetched: &Fetched, extractor: &Extractor, fetched_at: jiff::Timestamp) -> Result<Page, Error> {
    let started = Instant::now();
    let decoded = crate::decode::decode_cow(&fetched.body, fetched.header("content-type"))?;
    // One parse serves both the links and the article.
    let parsed = crate::html::parse(&decoded);
    drop(decoded);
    let links = links_in(&parsed, &fetched.final_url);
    let article = extractor.extract_parsed(parsed, Some(fetched.final_url.as_str())).ok().filter(looks_like_article);
    Ok(Page {
        final_url: fetched.final_url.clone(),
        fetched_at,
        article,
        links,
        extracting: started.elapsed(),
        bytes: fetched.body.len() as u64,
    })
}
