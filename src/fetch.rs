//! Polite, guarded fetching (feature `fetch`): robots.txt, per-host politeness, retries, size caps.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use tokio::sync::{OnceCell, Semaphore};
use tokio::time::Instant;
use url::Url;

use crate::article::Article;
use crate::error::{Error, ErrorKind};
use crate::extractor::Extractor;
use crate::guard::is_public;

/// A fetched page.
///
/// ```no_run
/// # async fn demo() -> Result<(), report_scraper::Error> {
/// let fetcher = report_scraper::Fetcher::builder().build()?;
/// let page = fetcher.fetch("https://www.chinafpa.org.cn/").await?;
/// println!("{} {} bytes from {}", page.status, page.body.len(), page.final_url);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Fetched {
    /// The HTTP status of the final response.
    pub status: u16,
    /// The address asked for.
    pub url: Url,
    /// The address after redirects.
    pub final_url: Url,
    /// Response headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Fetched {
    /// The value of a response header.
    ///
    /// ```
    /// # let page = report_scraper::Fetched::for_tests();
    /// assert_eq!(page.header("Content-Type"), Some("text/html; charset=utf-8"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    #[doc(hidden)]
    pub fn for_tests() -> Fetched {
        let url = Url::parse("http://example.cn/").expect("valid url");
        Fetched {
            status: 200,
            url: url.clone(),
            final_url: url,
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            body: Vec::new(),
        }
    }
}

/// Fetches pages politely and safely. Build one and share it (it is `Sync`);
/// all its limits apply across every task that uses it.
///
/// ```no_run
/// # async fn demo() -> Result<(), report_scraper::Error> {
/// let fetcher = report_scraper::Fetcher::builder().user_agent("my-bot/1.0 (+https://example.org/bot)").build()?;
/// let article = fetcher.fetch_article("https://www.chinafpa.org.cn/").await?;
/// println!("{:?}", article.title);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    config: FetcherBuilder,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
    global: Semaphore,
    extractor: Extractor,
}

/// Per-host state: one request at a time, the time of the last one, robots.txt.
#[derive(Debug, Default)]
struct HostState {
    turn: tokio::sync::Mutex<Option<Instant>>,
    robots: OnceCell<Robots>,
}

#[derive(Debug)]
enum Robots {
    AllowAll,
    DisallowAll,
    Rules(Box<texting_robots::Robot>),
    /// The host itself is refused by the address guard.
    Blocked(String),
}

/// Configures a [`Fetcher`].
///
/// ```
/// use std::time::Duration;
/// let fetcher = report_scraper::Fetcher::builder()
///     .timeout(Duration::from_secs(20))
///     .politeness_delay(Duration::from_secs(2))
///     .build()
///     .unwrap();
/// # drop(fetcher);
/// ```
#[derive(Debug, Clone)]
pub struct FetcherBuilder {
    user_agent: String,
    connect_timeout: Duration,
    timeout: Duration,
    max_bytes: usize,
    max_redirects: usize,
    retries: usize,
    backoff: Duration,
    max_backoff: Duration,
    politeness_delay: Duration,
    max_concurrency: usize,
    allow_private: bool,
    obey_robots: bool,
    extractor: Extractor,
}

impl Default for FetcherBuilder {
    fn default() -> Self {
        FetcherBuilder {
            user_agent: concat!("report-scraper/", env!("CARGO_PKG_VERSION")).to_string(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
            retries: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            politeness_delay: Duration::from_secs(1),
            max_concurrency: 8,
            allow_private: false,
            obey_robots: true,
            extractor: Extractor::new(),
        }
    }
}

macro_rules! setter {
    ($(#[$doc:meta])* $name:ident: $ty:ty) => {
        $(#[$doc])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$name = value;
            self
        }
    };
}

impl FetcherBuilder {
    /// The `User-Agent` sent, also the name matched in robots.txt.
    ///
    /// ```
    /// let f = report_scraper::Fetcher::builder().user_agent("jishengxie-bot/0.1").build();
    /// assert!(f.is_ok());
    /// ```
    pub fn user_agent(mut self, agent: &str) -> Self {
        self.user_agent = agent.to_string();
        self
    }

    setter!(
        /// Time allowed to connect (default 10 s).
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().connect_timeout(std::time::Duration::from_secs(3));
        /// assert!(b.build().is_ok());
        /// ```
        connect_timeout: Duration
    );
    setter!(
        /// Time allowed for a whole request, body included (default 30 s).
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().timeout(std::time::Duration::from_secs(60));
        /// assert!(b.build().is_ok());
        /// ```
        timeout: Duration
    );
    setter!(
        /// Bodies larger than this are aborted while streaming (default 20 MB).
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().max_bytes(5 * 1024 * 1024);
        /// assert!(b.build().is_ok());
        /// ```
        max_bytes: usize
    );
    setter!(
        /// Redirects followed before giving up (default 5).
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().max_redirects(2);
        /// assert!(b.build().is_ok());
        /// ```
        max_redirects: usize
    );
    setter!(
        /// Retries after a timeout, a connection error, 429 or 5xx (default 3).
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().retries(0);
        /// assert!(b.build().is_ok());
        /// ```
        retries: usize
    );
    setter!(
        /// First retry delay; later ones double, with jitter (default 500 ms).
        /// A `Retry-After` header overrides it.
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().backoff(std::time::Duration::from_millis(100));
        /// assert!(b.build().is_ok());
        /// ```
        backoff: Duration
    );
    setter!(
        /// The longest wait between retries, `Retry-After` included (default 30 s).
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().max_backoff(std::time::Duration::from_secs(5));
        /// assert!(b.build().is_ok());
        /// ```
        max_backoff: Duration
    );
    setter!(
        /// Pause between two requests to one host (default 1 s); a longer
        /// robots.txt `Crawl-delay` wins. Requests to one host never overlap.
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().politeness_delay(std::time::Duration::ZERO);
        /// assert!(b.build().is_ok());
        /// ```
        politeness_delay: Duration
    );
    setter!(
        /// Requests in flight at once across all hosts (default 8).
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().max_concurrency(2);
        /// assert!(b.build().is_ok());
        /// ```
        max_concurrency: usize
    );
    setter!(
        /// Obey robots.txt (default true).
        ///
        /// ```
        /// let b = report_scraper::Fetcher::builder().obey_robots(true);
        /// assert!(b.build().is_ok());
        /// ```
        obey_robots: bool
    );
    setter!(
        /// The extractor used by [`Fetcher::fetch_article`].
        ///
        /// ```
        /// let ex = report_scraper::Extractor::builder().disable_rule("mobile-qr").build();
        /// let b = report_scraper::Fetcher::builder().extractor(ex);
        /// assert!(b.build().is_ok());
        /// ```
        extractor: Extractor
    );

    /// Allow loopback, private, link-local and multicast addresses
    /// (default: refused, so a hostile page cannot steer the fetcher
    /// into an internal network). Tests against a local server need it.
    ///
    /// ```
    /// let b = report_scraper::Fetcher::builder().allow_private_addresses(true);
    /// assert!(b.build().is_ok());
    /// ```
    pub fn allow_private_addresses(mut self, allow: bool) -> Self {
        self.allow_private = allow;
        self
    }

    /// Builds the fetcher.
    ///
    /// ```
    /// assert!(report_scraper::Fetcher::builder().build().is_ok());
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Network`] when the HTTP client cannot be set up (no TLS roots).
    pub fn build(self) -> Result<Fetcher, Error> {
        // Another part of the program may have installed a provider already: fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let allow = self.allow_private;
        let max_redirects = self.max_redirects;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                return attempt.error(format!("more than {max_redirects} redirects"));
            }
            match check_url(attempt.url(), allow) {
                Ok(()) => attempt.follow(),
                Err(e) => attempt.error(e),
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect(policy)
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { allow_private: allow }))
            .build()
            .map_err(|e| Error::new(ErrorKind::Network { url: String::new(), message: e.to_string() }))?;
        Ok(Fetcher {
            client,
            global: Semaphore::new(self.max_concurrency.max(1)),
            hosts: Mutex::new(HashMap::new()),
            extractor: self.extractor.clone(),
            config: self,
        })
    }
}

impl Fetcher {
    /// Starts a configuration.
    ///
    /// ```
    /// let f = report_scraper::Fetcher::builder().build().unwrap();
    /// # drop(f);
    /// ```
    pub fn builder() -> FetcherBuilder {
        FetcherBuilder::default()
    }

    /// Fetches `url`: robots.txt first (once per host), then the page, one
    /// request at a time per host with the politeness delay, retrying
    /// timeouts, 429 and 5xx with backoff. Returns the final response of any
    /// status below 400.
    ///
    /// # Errors
    /// A bad or non-http(s) address, a blocked address, a robots.txt refusal,
    /// a timeout, a body over the cap, an HTTP status of 400 or more, or a
    /// network failure, each naming the URL.
    pub async fn fetch(&self, url: &str) -> Result<Fetched, Error> {
        let url = Url::parse(url).map_err(|e| err(ErrorKind::BadUrl { url: url.to_string(), message: e.to_string() }))?;
        check_url(&url, self.config.allow_private).map_err(|e| e.with_url(&url))?;
        let host = self.host(&url);
        if self.config.obey_robots && !self.robots_allow(&host, &url).await? {
            return Err(err(ErrorKind::RobotsDisallowed { url: url.to_string() }));
        }
        let mut delays = ExponentialBuilder::default()
            .with_min_delay(self.config.backoff)
            .with_max_delay(self.config.max_backoff)
            .with_jitter()
            .with_max_times(self.config.retries)
            .build();
        loop {
            let outcome = self.polite_get(&host, &url).await;
            let retry_after = match &outcome {
                Attempt::Done(_) => None,
                Attempt::Retry(_, after) => Some(*after),
            };
            match (outcome, retry_after.and_then(|after| delays.next().map(|d| after.unwrap_or(d)))) {
                (Attempt::Done(result), _) => return result,
                (Attempt::Retry(e, _), None) => return Err(e),
                (Attempt::Retry(_, _), Some(wait)) => tokio::time::sleep(wait.min(self.config.max_backoff)).await,
            }
        }
    }

    /// Fetches `url` and extracts its article, decoding with the HTTP charset.
    ///
    /// # Errors
    /// As for [`fetch`](Self::fetch), and extraction's own errors.
    pub async fn fetch_article(&self, url: &str) -> Result<Article, Error> {
        let page = self.fetch(url).await?;
        let ct = page.header("content-type").map(str::to_string);
        self.extractor.extract_with_content_type(&page.body, Some(page.final_url.as_str()), ct.as_deref())
    }

    /// The extractor this fetcher uses for [`fetch_article`](Self::fetch_article).
    ///
    /// ```
    /// let f = report_scraper::Fetcher::builder().build().unwrap();
    /// let a = f.extractor().extract("<p>正文第一段,这里是内容。</p>".as_bytes(), None).unwrap();
    /// assert_eq!(a.text(), "正文第一段,这里是内容。");
    /// ```
    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    fn host(&self, url: &Url) -> Arc<HostState> {
        let key = url.origin().ascii_serialization();
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts.entry(key).or_default().clone()
    }

    /// One GET in the host's turn, after its delay, within the global cap.
    async fn polite_get(&self, host: &HostState, url: &Url) -> Attempt {
        let mut turn = host.turn.lock().await;
        let delay = self.delay_for(host);
        if let Some(last) = *turn {
            tokio::time::sleep_until(last + delay).await;
        }
        let outcome = match self.global.acquire().await {
            Ok(_permit) => self.get_once(url).await,
            Err(_) => Attempt::Done(Err(err(ErrorKind::Network { url: url.to_string(), message: "fetcher closed".into() }))),
        };
        *turn = Some(Instant::now());
        outcome
    }

    fn delay_for(&self, host: &HostState) -> Duration {
        let crawl_delay = match host.robots.get() {
            Some(Robots::Rules(r)) => r.delay.map(|d| Duration::from_secs_f32(d.clamp(0.0, 120.0))),
            _ => None,
        };
        crawl_delay.map_or(self.config.politeness_delay, |d| d.max(self.config.politeness_delay))
    }

    async fn get_once(&self, url: &Url) -> Attempt {
        let response = match self.client.get(url.clone()).send().await {
            Ok(r) => r,
            Err(e) => return classify(url, e),
        };
        let status = response.status();
        if status.as_u16() == 429 || status.is_server_error() {
            let after = retry_after(&response);
            return Attempt::Retry(err(ErrorKind::HttpStatus { url: url.to_string(), status: status.as_u16() }), after);
        }
        if status.is_client_error() {
            return Attempt::Done(Err(err(ErrorKind::HttpStatus { url: url.to_string(), status: status.as_u16() })));
        }
        Attempt::Done(self.read_body(url, response).await)
    }

    async fn read_body(&self, url: &Url, mut response: reqwest::Response) -> Result<Fetched, Error> {
        let limit = self.config.max_bytes;
        let too_large = |size| err(ErrorKind::TooLarge { size, limit });
        if let Some(len) = response.content_length().filter(|&l| l > limit as u64) {
            return Err(too_large(usize::try_from(len).unwrap_or(usize::MAX)));
        }
        let final_url = response.url().clone();
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        return Err(too_large(body.len() + chunk.len()));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(network_error(url, &e)),
            }
        }
        Ok(Fetched { status, url: url.clone(), final_url, headers, body })
    }

    /// robots.txt, fetched once per host: 4xx allows all, 5xx and network
    /// failures disallow all (RFC 9309, 2.3.1).
    async fn robots_allow(&self, host: &HostState, url: &Url) -> Result<bool, Error> {
        let robots = host
            .robots
            .get_or_init(|| async {
                let Ok(robots_url) = url.join("/robots.txt") else { return Robots::AllowAll };
                match self.polite_get(host, &robots_url).await {
                    Attempt::Done(Ok(page)) => match texting_robots::Robot::new(&self.config.user_agent, &page.body) {
                        Ok(r) => Robots::Rules(Box::new(r)),
                        Err(_) => Robots::AllowAll,
                    },
                    Attempt::Done(Err(e)) => match e.into_kind() {
                        ErrorKind::HttpStatus { status, .. } if status < 500 => Robots::AllowAll,
                        ErrorKind::BlockedAddress { address, .. } => Robots::Blocked(address),
                        _ => Robots::DisallowAll,
                    },
                    Attempt::Retry(..) => Robots::DisallowAll,
                }
            })
            .await;
        Ok(match robots {
            Robots::AllowAll => true,
            Robots::DisallowAll => false,
            Robots::Rules(r) => r.allowed(url.as_str()),
            Robots::Blocked(address) => {
                return Err(err(ErrorKind::BlockedAddress { url: url.to_string(), address: address.clone() }));
            }
        })
    }
}

/// The result of one request: final, or worth retrying (with a `Retry-After`).
/// It lives for one request, so the size difference of its variants is moot.
#[allow(clippy::large_enum_variant)]
enum Attempt {
    Done(Result<Fetched, Error>),
    Retry(Error, Option<Duration>),
}

fn err(kind: ErrorKind) -> Error {
    Error::new(kind)
}

fn classify(url: &Url, e: reqwest::Error) -> Attempt {
    if let Some(blocked) = find_blocked(&e) {
        return Attempt::Done(Err(blocked.with_url(url)));
    }
    if e.is_timeout() {
        return Attempt::Retry(err(ErrorKind::Timeout { url: url.to_string() }), None);
    }
    if e.is_redirect() {
        return Attempt::Done(Err(network_error(url, &e)));
    }
    Attempt::Retry(network_error(url, &e), None)
}

fn network_error(url: &Url, e: &reqwest::Error) -> Error {
    if e.is_timeout() {
        return err(ErrorKind::Timeout { url: url.to_string() });
    }
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    err(ErrorKind::Network { url: url.to_string(), message })
}

/// Our guard's refusal, wherever reqwest wrapped it.
fn find_blocked(e: &reqwest::Error) -> Option<Blocked> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(b) = s.downcast_ref::<Blocked>() {
            return Some(b.clone());
        }
        source = s.source();
    }
    None
}

fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// The guard's refusal of an address.
#[derive(Debug, Clone)]
struct Blocked {
    host: String,
    addr: Option<IpAddr>,
    reason: &'static str,
}

impl Blocked {
    fn with_url(self, url: &Url) -> Error {
        match self.reason {
            "scheme" => err(ErrorKind::BadUrl { url: url.to_string(), message: "only http and https are fetched".into() }),
            _ => err(ErrorKind::BlockedAddress { url: url.to_string(), address: self.addr.map_or(self.host, |a| a.to_string()) }),
        }
    }
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} refused ({})", self.host, self.reason)
    }
}

impl std::error::Error for Blocked {}

/// Scheme and literal-address checks, for the first URL and every redirect.
fn check_url(url: &Url, allow_private: bool) -> Result<(), Blocked> {
    let host = url.host_str().unwrap_or_default().to_string();
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Blocked { host, addr: None, reason: "scheme" });
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(a)) => Some(IpAddr::V4(a)),
        Some(url::Host::Ipv6(a)) => Some(IpAddr::V6(a)),
        _ => None,
    };
    match literal {
        Some(a) if !allow_private && !is_public(a) => Err(Blocked { host, addr: Some(a), reason: "non-public address" }),
        _ => Ok(()),
    }
}

/// DNS resolution that drops non-public addresses (unless allowed), so a
/// name pointing into an internal network is refused before connecting.
#[derive(Debug)]
struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let usable: Vec<SocketAddr> = found.iter().copied().filter(|a| allow || is_public(a.ip())).collect();
            if usable.is_empty() {
                let addr = found.first().map(SocketAddr::ip);
                return Err(Box::new(Blocked { host, addr, reason: "non-public address" }) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(usable.into_iter()) as Addrs)
        })
    }
}
