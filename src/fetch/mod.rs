//! Polite, guarded fetching (feature `fetch`): robots.txt, per-host
//! politeness, retries within a budget per address, size caps, redirects
//! followed one hop at a time (each checked by the address guard and, for
//! a crawl, against its scope), and conditional requests.
//!
//! Make one [`Fetcher`] from a [`FetchConfig`] ([`Fetcher::new`]; the
//! settings read back with [`Fetcher::config`]) and share it: every request through it keeps the same
//! per-host politeness. [`Fetcher::get`] asks for one address and gives a
//! [`Fetched`] page; [`is_public_address`] is the address guard's test,
//! stable for programs that check an address before they hand it on.

// Inside:
// - `config`: the settings, built once and read back;
// - `guard`: which addresses may be reached;
// - `request`: one address, hop by hop and attempt by attempt;
// - `robots`: robots.txt per host, asked again when it could not be read;
// - `response`: the fetched page.

mod config;
mod guard;
mod request;
mod response;
mod robots;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

pub use config::{DEFAULT_USER_AGENT, FetchConfig, FetchConfigBuilder};
pub use guard::is_public_address;
pub use request::FetchRequest;
pub use response::Fetched;

use self::guard::GuardedResolver;
pub(crate) use self::robots::RobotsFile;
use self::robots::RobotsSlot;
use crate::error::{Error, ErrorKind};
use crate::model::Article;

/// Fetches pages politely and safely. Build one and share it (it is `Sync`);
/// all its limits apply across every task that uses it.
///
/// ```no_run
/// # async fn demo() -> Result<(), report_scraper::Error> {
/// let fetcher = report_scraper::fetch::Fetcher::new(report_scraper::fetch::FetchConfig::builder().user_agent("my-bot/1.0 (+https://example.org/bot)").build())?;
/// let article = fetcher.fetch_article("https://www.chinafpa.org.cn/").await?;
/// println!("{:?}", article.title);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    config: FetchConfig,
    /// The user's extra headers, checked once: sent only within a request's scope.
    headers: reqwest::header::HeaderMap,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
    global: Semaphore,
    /// robots.txt files are kept to hand to other crawlers of the same crawl.
    shares_robots: std::sync::atomic::AtomicBool,
}

/// Per-host state: one request at a time, the time of the last one, robots.txt.
#[derive(Debug, Default)]
pub(crate) struct HostState {
    turn: tokio::sync::Mutex<Option<Instant>>,
    /// When the last request ended, readable without waiting for the turn.
    last: std::sync::Mutex<Option<Instant>>,
    robots: RobotsSlot,
}

impl Fetcher {
    /// Sets up a fetcher: its HTTP client, its politeness and its address guard.
    ///
    /// ```
    /// use report_scraper::fetch::{FetchConfig, Fetcher};
    /// let f = Fetcher::new(FetchConfig::builder().retries(1).build())?;
    /// assert_eq!(f.config().retries(), 1);
    /// assert_eq!(f.config().max_redirects(), 5); // the default
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] for a proxy address or a header that cannot
    /// be sent; [`ErrorKind::Client`] when the HTTP client cannot be set up.
    pub fn new(config: FetchConfig) -> Result<Fetcher, Error> {
        // Another part of the program may have installed a provider already: fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            // Redirects are followed hop by hop here, each hop checked.
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(config.cookies)
            .dns_resolver(Arc::new(GuardedResolver { allowed: config.allowed.clone() }));
        // An explicit proxy replaces the environment's; without one, the
        // environment's only when asked for.
        let client = match (&config.proxy, config.proxy_from_env) {
            (Some(proxy), _) => client.proxy(reqwest::Proxy::all(proxy).map_err(|_| invalid("proxy", proxy))?),
            (None, true) => client,
            (None, false) => client.no_proxy(),
        };
        let client = client.build().map_err(|e| Error::new(ErrorKind::Client { source: Box::new(e) }))?;
        Ok(Fetcher {
            client,
            headers: default_headers(&config.headers)?,
            global: Semaphore::new(config.max_concurrency.max(1)),
            hosts: Mutex::new(HashMap::new()),
            shares_robots: std::sync::atomic::AtomicBool::new(false),
            config,
        })
    }

    /// The configuration it was built with.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::new(report_scraper::fetch::FetchConfig::builder().max_bytes(1 << 20).build())?;
    /// assert_eq!(f.config().max_bytes(), 1 << 20);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Fetches `url`: robots.txt first (once per host), then the page, one
    /// request at a time per host with the politeness delay, retrying
    /// timeouts, 429 and 5xx with backoff within the address's budget, and
    /// following redirects hop by hop. Returns the final response of any
    /// status below 400. [`get`](Self::get) sets more (conditional headers,
    /// a scope for redirects).
    ///
    /// # Errors
    /// A bad or non-http(s) address, a blocked address, a robots.txt
    /// refusal, robots.txt unavailable, a timeout, a body over the cap, an
    /// HTTP status of 400 or more, or a network failure, each naming the URL.
    pub async fn fetch(&self, url: &str) -> Result<Fetched, Error> {
        self.get(url).send().await
    }

    /// A request for `url`, to be set up and [sent](FetchRequest::send).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), report_scraper::Error> {
    /// let fetcher = report_scraper::fetch::Fetcher::new(report_scraper::fetch::FetchConfig::default())?;
    /// let page = fetcher.get("https://www.example.cn/news/").if_none_match("\"v1\"").send().await?;
    /// if page.not_modified() {
    ///     println!("unchanged since the last visit");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get<'a>(&'a self, url: &'a str) -> FetchRequest<'a> {
        FetchRequest::new(self, url)
    }

    /// Fetches `url` and extracts its article with the default
    /// [`Extractor`](crate::Extractor), on a blocking thread so the async
    /// task is not held up (decoding with the HTTP charset, relative dates
    /// read against the response's `Date`). With an extractor of your own:
    /// `extractor.page(fetched.input())`.
    ///
    /// # Errors
    /// As for [`fetch`](Self::fetch), and extraction's own errors.
    pub async fn fetch_article(&self, url: &str) -> Result<Article, Error> {
        let page = self.fetch(url).await?;
        let at = page.final_url.to_string();
        spawn_blocking_traced(move || crate::extract::shared().page(page.input())?.into_article())
            .await
            .unwrap_or_else(|e| Err(Error::new(ErrorKind::Internal { url: at, message: e.to_string() })))
    }

    /// The sitemaps that the robots.txt of `url`'s host names (`Sitemap:`
    /// lines), reading robots.txt if it was not read yet; none when it
    /// cannot be read or robots.txt is not obeyed.
    ///
    /// # Errors
    /// A bad address.
    pub async fn robots_sitemaps(&self, url: &str) -> Result<Vec<String>, Error> {
        let url = Url::parse(url)
            .map_err(|e| Error::new(ErrorKind::BadUrl { url: url.to_string(), message: e.to_string() }))?;
        if !self.config.obey_robots {
            return Ok(Vec::new());
        }
        let host = self.host(&url);
        Ok(host.robots.sitemaps(self, &host, &url).await)
    }

    /// Keeps each robots.txt read, for [`robots_file`](Self::robots_file):
    /// a crawl whose workers share their state hands them to each other.
    pub(crate) fn share_robots(&self) {
        self.shares_robots.store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// The robots.txt file `url`'s host's rules came from, once read (kept
    /// only after [`share_robots`](Self::share_robots)).
    pub(crate) fn robots_file(&self, url: &Url) -> Option<RobotsFile> {
        self.host(url).robots.file()
    }

    /// Obeys the robots.txt another crawler read for `url`'s host, unless
    /// this fetcher has read its rules already.
    pub(crate) async fn adopt_robots(&self, url: &Url, file: RobotsFile) {
        self.host(url).robots.adopt(&self.config.user_agent, file).await;
    }

    /// When a request to `url`'s host may start: its last request's end
    /// plus the delay (`None` for a host not asked yet: at once). A crawl
    /// hands out a host's addresses only when it is due, so no worker waits
    /// on a host.
    pub(crate) fn due(&self, url: &Url) -> Option<Instant> {
        let host = self.host(url);
        let last = *host.last.lock().unwrap_or_else(|e| e.into_inner());
        last.map(|last| last + self.delay_for(&host))
    }

    fn host(&self, url: &Url) -> Arc<HostState> {
        let key = url.origin().ascii_serialization();
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts.entry(key).or_default().clone()
    }

    /// The pause between two requests to a host: the politeness delay, or
    /// the host's robots.txt `Crawl-delay` when longer.
    fn delay_for(&self, host: &HostState) -> Duration {
        let crawl_delay = host.robots.crawl_delay();
        crawl_delay.map_or(self.config.politeness_delay, |d| d.max(self.config.politeness_delay))
    }
}

/// Work for a blocking thread that logs to the caller's `tracing`
/// subscriber (a scoped one, as a test or a library user sets, included).
pub(crate) fn spawn_blocking_traced<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> tokio::task::JoinHandle<T> {
    let dispatch = tracing::dispatcher::get_default(Clone::clone);
    tokio::task::spawn_blocking(move || tracing::dispatcher::with_default(&dispatch, work))
}

fn invalid(what: &'static str, value: &str) -> Error {
    Error::new(ErrorKind::Invalid { what, value: value.to_string() })
}

/// The extra headers as requests take them; a bad name or value is refused.
fn default_headers(headers: &[(String, String)]) -> Result<reqwest::header::HeaderMap, Error> {
    use reqwest::header::{HeaderName, HeaderValue};
    let mut map = reqwest::header::HeaderMap::new();
    for (name, value) in headers {
        let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("header name", name))?;
        let v = HeaderValue::from_str(value).map_err(|_| invalid("header value", value))?;
        map.append(n, v);
    }
    Ok(map)
}
