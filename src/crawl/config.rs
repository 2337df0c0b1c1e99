//! The crawler's configuration: set on a builder, readable after build.

use std::time::Duration;

use crate::extract::Extractor;

/// What a [`Crawler`](crate::crawl::Crawler) crawls and how; fixed when it is built, read with
/// [`Crawler::config`](crate::crawl::Crawler::config).
///
/// ```
/// let crawler = report_scraper::crawl::Crawler::builder()
///     .seed("https://www.chinafpa.org.cn/")
///     .max_depth(2)
///     .build(report_scraper::fetch::Fetcher::builder().build()?)?;
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
        }
    }
}

impl CrawlConfig {
    /// The addresses the crawl starts from.
    pub fn seeds(&self) -> &[String] {
        &self.seeds
    }

    /// The sitemaps whose pages start the crawl.
    pub fn sitemaps(&self) -> &[String] {
        &self.sitemaps
    }

    /// The hosts named with [`CrawlerBuilder::allow_host`] (empty: the seeds' and sitemaps' hosts).
    pub fn hosts(&self) -> &[String] {
        &self.hosts
    }

    /// Links followed away from a seed (default 5).
    pub fn max_depth(&self) -> u32 {
        self.max_depth
    }

    /// Addresses fetched by one call of [`Crawler::run`](crate::crawl::Crawler::run) (default 10,000).
    pub fn max_pages(&self) -> u64 {
        self.max_pages
    }

    /// Pages in flight at once (default 8).
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// The extractor crawled pages go through (default: the built-in rules).
    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// The time one page's extraction may take (default 10 s).
    pub fn extract_budget(&self) -> Duration {
        self.extract_budget
    }

    /// Whether the sitemaps named in the seeds' robots.txt are read (default true).
    pub fn robots_sitemaps(&self) -> bool {
        self.robots_sitemaps
    }

    /// How old a list page read by an earlier run must be to be read again (default 0: every one).
    pub fn revisit_after(&self) -> Duration {
        self.revisit_after
    }

    /// Attempts at an address that fails with an error that can heal, across runs (default 3).
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a state file of another crawl is taken over (default false: refused).
    pub fn adopts_state(&self) -> bool {
        self.adopt_state
    }
}

/// Configures a [`Crawler`](crate::crawl::Crawler); every setting can be read back from
/// [`Crawler::config`](crate::crawl::Crawler::config).
///
/// ```
/// let crawler = report_scraper::crawl::Crawler::builder()
///     .seed("https://www.chinafpa.org.cn/")
///     .sitemap("https://www.chinafpa.org.cn/sitemap.xml")
///     .allow_host("news.chinafpa.org.cn")
///     .max_depth(3)
///     .max_pages(5000)
///     .workers(4)
///     .build(report_scraper::fetch::Fetcher::builder().build()?)?;
/// assert!(crawler.in_scope(&"https://news.chinafpa.org.cn/a/1.html".parse().unwrap()));
/// assert_eq!(crawler.config().workers(), 4);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct CrawlerBuilder {
    pub(crate) config: CrawlConfig,
}

impl CrawlerBuilder {
    /// An address to start from (depth 0). Its host is allowed unless
    /// [`allow_host`](Self::allow_host) names the hosts.
    ///
    /// ```
    /// let c = report_scraper::crawl::Crawler::builder().seed("http://www.example.cn/news/")
    ///     .build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert!(c.in_scope(&"http://www.example.cn/other/1.html".parse().unwrap()));
    /// assert!(!c.in_scope(&"http://elsewhere.cn/1.html".parse().unwrap()));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn seed(mut self, url: &str) -> Self {
        self.config.seeds.push(url.to_string());
        self
    }

    /// A sitemap (or sitemap index, gzip or not) whose pages start the crawl.
    ///
    /// ```
    /// let c = report_scraper::crawl::Crawler::builder().sitemap("http://www.example.cn/sitemap.xml")
    ///     .build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert!(c.in_scope(&"http://www.example.cn/a/1.html".parse().unwrap()));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn sitemap(mut self, url: &str) -> Self {
        self.config.sitemaps.push(url.to_string());
        self
    }

    /// A host whose pages may be fetched, over http and https on their
    /// default ports, or an origin (`http://127.0.0.1:8017`). Without any,
    /// the seeds' and sitemaps' origins are allowed (with the other scheme
    /// on its default port: a site moved to https stays in scope).
    ///
    /// ```
    /// let c = report_scraper::crawl::Crawler::builder().seed("http://www.example.cn/").allow_host("news.example.cn")
    ///     .build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert!(c.in_scope(&"http://news.example.cn/1.html".parse().unwrap()));
    /// assert!(!c.in_scope(&"http://www.example.cn/1.html".parse().unwrap()), "named hosts replace the seeds'");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn allow_host(mut self, host: &str) -> Self {
        self.config.hosts.push(host.trim().to_ascii_lowercase());
        self
    }

    /// Links followed away from a seed (default 5); "next page" links of a
    /// list do not count, so a long list is read to its end.
    ///
    /// ```
    /// let c = report_scraper::crawl::Crawler::builder().max_depth(1).build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert_eq!(c.config().max_depth(), 1);
    /// # Ok::<(), report_scraper::Error>(())
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
    /// let c = report_scraper::crawl::Crawler::builder().max_pages(100).build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert_eq!(c.config().max_pages(), 100);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.config.max_pages = pages;
        self
    }

    /// Pages in flight at once (default 8, at least 1); the fetcher's
    /// per-host politeness still applies, so more workers help across hosts.
    ///
    /// ```
    /// let c = report_scraper::crawl::Crawler::builder().workers(0).build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert_eq!(c.config().workers(), 1);
    /// # Ok::<(), report_scraper::Error>(())
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
    /// let c = report_scraper::crawl::Crawler::builder().extract_budget(Duration::from_secs(2)).build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert_eq!(c.config().extract_budget(), Duration::from_secs(2));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn extract_budget(mut self, budget: Duration) -> Self {
        self.config.extract_budget = budget;
        self
    }

    /// Read the sitemaps that the seeds' robots.txt names (`Sitemap:` lines; default true).
    ///
    /// ```
    /// let c = report_scraper::crawl::Crawler::builder().robots_sitemaps(false).build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert!(!c.config().robots_sitemaps());
    /// # Ok::<(), report_scraper::Error>(())
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
    /// let c = report_scraper::crawl::Crawler::builder().revisit_after(Duration::from_secs(6 * 3600)).build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert_eq!(c.config().revisit_after().as_secs(), 6 * 3600);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn revisit_after(mut self, age: Duration) -> Self {
        self.config.revisit_after = age;
        self
    }

    /// How many times, across runs, an address that fails with an error
    /// that can heal (a timeout, a 5xx, robots.txt unavailable…) is tried (default 3).
    ///
    /// ```
    /// let c = report_scraper::crawl::Crawler::builder().max_attempts(5).build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert_eq!(c.config().max_attempts(), 5);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.config.max_attempts = attempts.max(1);
        self
    }

    /// Take over a state file that records another crawl (other seeds,
    /// sitemaps or hosts) instead of refusing it (default false).
    ///
    /// ```
    /// let c = report_scraper::crawl::Crawler::builder().adopt_state(true).build(report_scraper::fetch::Fetcher::builder().build()?)?;
    /// assert!(c.config().adopts_state());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn adopt_state(mut self, adopt: bool) -> Self {
        self.config.adopt_state = adopt;
        self
    }

    /// The extractor crawled pages go through: your rules, your size cap.
    ///
    /// ```
    /// use report_scraper::{Extractor, fetch::Fetcher, crawl::Crawler};
    /// let ex = Extractor::builder().disable_rule("mobile-qr").build()?;
    /// let c = Crawler::builder().extractor(ex).build(Fetcher::builder().build()?)?;
    /// assert!(!c.config().extractor().rule_names().any(|n| n == "mobile-qr"));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn extractor(mut self, extractor: Extractor) -> Self {
        self.config.extractor = extractor;
        self
    }
}
