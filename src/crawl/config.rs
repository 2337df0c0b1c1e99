//! The crawler's configuration: built once, passed to
//! [`Crawler::new`](super::Crawler::new), read back with
//! [`Crawler::config`](super::Crawler::config).

use std::time::Duration;

use crate::extract::Extractor;

/// What a [`Crawler`](super::Crawler) crawls and how. Made with
/// [`CrawlConfig::builder`], whose setters document each setting; the
/// getters here read it back.
///
/// ```
/// use report_scraper::{crawl::{CrawlConfig, Crawler}, fetch::{FetchConfig, Fetcher}};
/// let config = CrawlConfig::builder().seed("https://www.chinafpa.org.cn/").max_depth(2).build();
/// let crawler = Crawler::new(config, Fetcher::new(FetchConfig::default())?)?;
/// assert_eq!(crawler.config().max_depth(), 2);
/// assert_eq!(crawler.config().seeds(), ["https://www.chinafpa.org.cn/"]);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    pub(crate) seeds: Vec<String>,
    pub(crate) sitemaps: Vec<String>,
    pub(crate) hosts: Vec<String>,
    max_depth: u32,
    max_pages: u64,
    workers: usize,
    extractor: Extractor,
    extract_budget: Duration,
    robots_sitemaps: bool,
    revisit_after: Duration,
    max_attempts: u32,
    adopt_state: bool,
    reposts: bool,
}

impl Default for CrawlConfig {
    fn default() -> Self {
        CrawlConfig {
            seeds: Vec::new(),
            sitemaps: Vec::new(),
            hosts: Vec::new(),
            max_depth: 5,
            max_pages: 10_000,
            workers: 8,
            extractor: Extractor::default(),
            extract_budget: Duration::from_secs(10),
            robots_sitemaps: true,
            revisit_after: Duration::ZERO,
            max_attempts: 3,
            adopt_state: false,
            reposts: true,
        }
    }
}

impl CrawlConfig {
    /// Starts a configuration from the defaults.
    pub fn builder() -> CrawlConfigBuilder {
        CrawlConfigBuilder::default()
    }

    /// See [`CrawlConfigBuilder::seed`].
    pub fn seeds(&self) -> &[String] {
        &self.seeds
    }

    /// See [`CrawlConfigBuilder::sitemap`].
    pub fn sitemaps(&self) -> &[String] {
        &self.sitemaps
    }

    /// See [`CrawlConfigBuilder::allow_host`] (empty: the seeds' and sitemaps' hosts).
    pub fn hosts(&self) -> &[String] {
        &self.hosts
    }

    /// See [`CrawlConfigBuilder::max_depth`].
    pub fn max_depth(&self) -> u32 {
        self.max_depth
    }

    /// See [`CrawlConfigBuilder::max_pages`].
    pub fn max_pages(&self) -> u64 {
        self.max_pages
    }

    /// See [`CrawlConfigBuilder::workers`].
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// See [`CrawlConfigBuilder::extractor`].
    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// See [`CrawlConfigBuilder::extract_budget`].
    pub fn extract_budget(&self) -> Duration {
        self.extract_budget
    }

    /// See [`CrawlConfigBuilder::robots_sitemaps`].
    pub fn robots_sitemaps(&self) -> bool {
        self.robots_sitemaps
    }

    /// See [`CrawlConfigBuilder::revisit_after`].
    pub fn revisit_after(&self) -> Duration {
        self.revisit_after
    }

    /// See [`CrawlConfigBuilder::max_attempts`].
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// See [`CrawlConfigBuilder::adopt_state`].
    pub fn adopts_state(&self) -> bool {
        self.adopt_state
    }

    /// See [`CrawlConfigBuilder::reposts`].
    pub fn reposts(&self) -> bool {
        self.reposts
    }
}

/// Makes a [`CrawlConfig`]. Every setting is documented here, with its effect.
///
/// ```
/// use report_scraper::{crawl::{CrawlConfig, Crawler}, fetch::{FetchConfig, Fetcher}};
/// let config = CrawlConfig::builder()
///     .seed("https://www.chinafpa.org.cn/")
///     .sitemap("https://www.chinafpa.org.cn/sitemap.xml")
///     .allow_host("news.chinafpa.org.cn")
///     .max_depth(3)
///     .max_pages(5000)
///     .workers(4)
///     .build();
/// let crawler = Crawler::new(config, Fetcher::new(FetchConfig::default())?)?;
/// assert!(crawler.in_scope(&"https://news.chinafpa.org.cn/a/1.html".parse().unwrap()));
/// assert_eq!(crawler.config().workers(), 4);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct CrawlConfigBuilder {
    config: CrawlConfig,
}

impl CrawlConfigBuilder {
    /// An address to start from (depth 0). Its host is allowed unless
    /// [`allow_host`](Self::allow_host) names the hosts.
    ///
    /// ```
    /// use report_scraper::{crawl::{CrawlConfig, Crawler}, fetch::{FetchConfig, Fetcher}};
    /// let c = Crawler::new(CrawlConfig::builder().seed("http://www.example.cn/news/")
    ///     .build(), Fetcher::new(FetchConfig::default())?)?;
    /// assert!(c.in_scope(&"http://www.example.cn/other/1.html".parse().unwrap()));
    /// assert!(!c.in_scope(&"http://elsewhere.cn/1.html".parse().unwrap()));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn seed(mut self, url: impl Into<String>) -> Self {
        self.config.seeds.push(url.into());
        self
    }

    /// Addresses to start from, as [`seed`](Self::seed) gives one.
    ///
    /// ```
    /// let config = report_scraper::crawl::CrawlConfig::builder().seeds(["http://a.cn/", "http://b.cn/"]).build();
    /// assert_eq!(config.seeds(), ["http://a.cn/", "http://b.cn/"]);
    /// ```
    pub fn seeds(mut self, urls: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.config.seeds.extend(urls.into_iter().map(Into::into));
        self
    }

    /// A sitemap (or sitemap index, gzip or not) whose pages start the crawl.
    ///
    /// ```
    /// use report_scraper::{crawl::{CrawlConfig, Crawler}, fetch::{FetchConfig, Fetcher}};
    /// let config = CrawlConfig::builder().sitemap("http://www.example.cn/sitemap.xml").build();
    /// let c = Crawler::new(config, Fetcher::new(FetchConfig::default())?)?;
    /// assert!(c.in_scope(&"http://www.example.cn/a/1.html".parse().unwrap()));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn sitemap(mut self, url: impl Into<String>) -> Self {
        self.config.sitemaps.push(url.into());
        self
    }

    /// Sitemaps whose pages start the crawl, as [`sitemap`](Self::sitemap) gives one.
    ///
    /// ```
    /// let config = report_scraper::crawl::CrawlConfig::builder().sitemaps(["http://a.cn/sitemap.xml"]).build();
    /// assert_eq!(config.sitemaps(), ["http://a.cn/sitemap.xml"]);
    /// ```
    pub fn sitemaps(mut self, urls: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.config.sitemaps.extend(urls.into_iter().map(Into::into));
        self
    }

    /// A host whose pages may be fetched, over http and https on their
    /// default ports, or an origin (`http://127.0.0.1:8017`). Without any,
    /// the seeds' and sitemaps' origins are allowed (with the other scheme
    /// on its default port: a site moved to https stays in scope).
    ///
    /// ```
    /// use report_scraper::{crawl::{CrawlConfig, Crawler}, fetch::{FetchConfig, Fetcher}};
    /// let config = CrawlConfig::builder().seed("http://www.example.cn/").allow_host("news.example.cn").build();
    /// let c = Crawler::new(config, Fetcher::new(FetchConfig::default())?)?;
    /// assert!(c.in_scope(&"http://news.example.cn/1.html".parse().unwrap()));
    /// assert!(!c.in_scope(&"http://www.example.cn/1.html".parse().unwrap()), "named hosts replace the seeds'");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn allow_host(mut self, host: impl Into<String>) -> Self {
        self.config.hosts.push(host.into().trim().to_ascii_lowercase());
        self
    }

    /// Hosts or origins whose pages may be fetched, as [`allow_host`](Self::allow_host) names one.
    ///
    /// ```
    /// let config = report_scraper::crawl::CrawlConfig::builder().allow_hosts(["News.A.cn", "b.cn"]).build();
    /// assert_eq!(config.hosts(), ["news.a.cn", "b.cn"]);
    /// ```
    pub fn allow_hosts(self, hosts: impl IntoIterator<Item = impl Into<String>>) -> Self {
        hosts.into_iter().fold(self, |b, h| b.allow_host(h))
    }

    /// Links followed away from a seed (default 5); "next page" links of a
    /// list do not count, so a long list is read to its end.
    ///
    /// ```
    /// let c = report_scraper::crawl::CrawlConfig::builder().max_depth(1).build();
    /// assert_eq!(c.max_depth(), 1);
    /// ```
    pub fn max_depth(mut self, depth: u32) -> Self {
        self.config.max_depth = depth;
        self
    }

    /// Addresses fetched by one call of [`Crawler::run`](crate::crawl::Crawler::run)
    /// (default 10,000): every request's address counts, failures too, and
    /// addresses skipped without a request (known variants) do not. It
    /// bounds the addresses queued as well. A run that reaches it with work
    /// left says so ([`Summary::limit_reached`](crate::crawl::Summary::limit_reached),
    /// with what is left queued or [cut](crate::crawl::Summary::cut)) and is not
    /// finished: the next call goes on where it stopped.
    ///
    /// ```
    /// let c = report_scraper::crawl::CrawlConfig::builder().max_pages(100).build();
    /// assert_eq!(c.max_pages(), 100);
    /// ```
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.config.max_pages = pages;
        self
    }

    /// Pages in flight at once (default 8, at least 1); the fetcher's
    /// per-host politeness still applies, so more workers help across hosts.
    ///
    /// ```
    /// let c = report_scraper::crawl::CrawlConfig::builder().workers(0).build();
    /// assert_eq!(c.workers(), 1);
    /// ```
    pub fn workers(mut self, workers: usize) -> Self {
        self.config.workers = workers.max(1);
        self
    }

    /// Extraction of one page may take this long before it is recorded as
    /// failed with `extract-timeout` (default 10 s; work is linear in the
    /// page's size, so this guards the workers, and ordinary pages never meet it).
    ///
    /// ```
    /// use std::time::Duration;
    /// let c = report_scraper::crawl::CrawlConfig::builder().extract_budget(Duration::from_secs(2)).build();
    /// assert_eq!(c.extract_budget(), Duration::from_secs(2));
    /// ```
    pub fn extract_budget(mut self, budget: Duration) -> Self {
        self.config.extract_budget = budget;
        self
    }

    /// Find reposts across the crawl's sites (default true): each article
    /// written is fingerprinted, kept in the state and placed among the
    /// copies met so far; its record carries `group` and `repost_of`.
    /// Off, records carry neither and the state keeps no copies.
    ///
    /// ```
    /// let c = report_scraper::crawl::CrawlConfig::builder().reposts(false).build();
    /// assert!(!c.reposts());
    /// assert!(report_scraper::crawl::CrawlConfig::default().reposts());
    /// ```
    pub fn reposts(mut self, on: bool) -> Self {
        self.config.reposts = on;
        self
    }

    /// Read the sitemaps that the seeds' robots.txt names (`Sitemap:` lines; default true).
    ///
    /// ```
    /// let c = report_scraper::crawl::CrawlConfig::builder().robots_sitemaps(false).build();
    /// assert!(!c.robots_sitemaps());
    /// ```
    pub fn robots_sitemaps(mut self, read: bool) -> Self {
        self.config.robots_sitemaps = read;
        self
    }

    /// A run after one that finished reads again the list pages (seeds,
    /// columns) and sitemaps read by earlier runs — conditionally, with
    /// their `ETag` and `Last-Modified`, so an unchanged page costs a
    /// `304` — and fetches only the articles it has not written. This sets
    /// how old such a page must be to be read again (default 0: all of them).
    ///
    /// ```
    /// use std::time::Duration;
    /// let c = report_scraper::crawl::CrawlConfig::builder().revisit_after(Duration::from_secs(6 * 3600)).build();
    /// assert_eq!(c.revisit_after().as_secs(), 6 * 3600);
    /// ```
    pub fn revisit_after(mut self, age: Duration) -> Self {
        self.config.revisit_after = age;
        self
    }

    /// How many times, across runs, an address that fails with an error
    /// that can heal (a timeout, a 5xx, robots.txt unavailable…) is tried (default 3).
    ///
    /// ```
    /// let c = report_scraper::crawl::CrawlConfig::builder().max_attempts(5).build();
    /// assert_eq!(c.max_attempts(), 5);
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.config.max_attempts = attempts.max(1);
        self
    }

    /// Take over a state file that records another crawl (other seeds,
    /// sitemaps or hosts) instead of refusing it (default false).
    ///
    /// ```
    /// let c = report_scraper::crawl::CrawlConfig::builder().adopt_state(true).build();
    /// assert!(c.adopts_state());
    /// ```
    pub fn adopt_state(mut self, adopt: bool) -> Self {
        self.config.adopt_state = adopt;
        self
    }

    /// The extractor crawled pages go through: your rules, your size cap.
    ///
    /// ```
    /// use report_scraper::{ExtractConfig, Extractor, crawl::CrawlConfig};
    /// let ex = Extractor::new(ExtractConfig::builder().disable_rule("mobile-qr").build())?;
    /// let config = CrawlConfig::builder().extractor(ex).build();
    /// assert!(!config.extractor().rule_names().any(|n| n == "mobile-qr"));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn extractor(mut self, extractor: Extractor) -> Self {
        self.config.extractor = extractor;
        self
    }

    /// The configuration.
    pub fn build(self) -> CrawlConfig {
        self.config
    }
}
