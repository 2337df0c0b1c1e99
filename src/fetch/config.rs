//! The fetcher's configuration: built once, passed to
//! [`Fetcher::new`](super::Fetcher::new), read back with
//! [`Fetcher::config`](super::Fetcher::config).

use std::time::Duration;

use ipnet::IpNet;

use super::guard::Allowed;

/// The `User-Agent` a fetcher sends unless its configuration names another.
pub const DEFAULT_USER_AGENT: &str = concat!("report-scraper/", env!("CARGO_PKG_VERSION"));

/// How a [`Fetcher`](super::Fetcher) behaves. Made with
/// [`FetchConfig::builder`], whose setters document each setting; the
/// getters here read it back.
///
/// ```
/// use std::time::Duration;
/// use report_scraper::fetch::{FetchConfig, Fetcher};
/// let fetcher = Fetcher::new(FetchConfig::builder().timeout(Duration::from_secs(20)).build())?;
/// assert_eq!(fetcher.config().timeout(), Duration::from_secs(20));
/// assert_eq!(fetcher.config().retries(), 3); // the default
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) max_bytes: usize,
    pub(crate) max_redirects: usize,
    pub(crate) retries: usize,
    pub(crate) backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) politeness_delay: Duration,
    pub(crate) max_concurrency: usize,
    pub(crate) allowed: Allowed,
    pub(crate) obey_robots: bool,
    pub(crate) address_budget: Option<Duration>,
    pub(crate) proxy: Option<String>,
    pub(crate) proxy_from_env: bool,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
            retries: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            politeness_delay: Duration::from_secs(1),
            max_concurrency: 8,
            allowed: Allowed::default(),
            obey_robots: true,
            address_budget: None,
            proxy: None,
            proxy_from_env: false,
            headers: Vec::new(),
            cookies: false,
        }
    }
}

impl FetchConfig {
    /// Starts a configuration from the defaults.
    pub fn builder() -> FetchConfigBuilder {
        FetchConfigBuilder::default()
    }

    /// The `User-Agent` sent (see [`FetchConfigBuilder::user_agent`]).
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// See [`FetchConfigBuilder::connect_timeout`].
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// See [`FetchConfigBuilder::timeout`].
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// See [`FetchConfigBuilder::max_bytes`].
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// See [`FetchConfigBuilder::max_redirects`].
    pub fn max_redirects(&self) -> usize {
        self.max_redirects
    }

    /// See [`FetchConfigBuilder::retries`].
    pub fn retries(&self) -> usize {
        self.retries
    }

    /// See [`FetchConfigBuilder::backoff`].
    pub fn backoff(&self) -> Duration {
        self.backoff
    }

    /// See [`FetchConfigBuilder::max_backoff`].
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// See [`FetchConfigBuilder::politeness_delay`].
    pub fn politeness_delay(&self) -> Duration {
        self.politeness_delay
    }

    /// See [`FetchConfigBuilder::max_concurrency`].
    pub fn max_concurrency(&self) -> usize {
        self.max_concurrency
    }

    /// See [`FetchConfigBuilder::obey_robots`].
    pub fn obey_robots(&self) -> bool {
        self.obey_robots
    }

    /// See [`FetchConfigBuilder::allow_private_addresses`].
    pub fn private_addresses_allowed(&self) -> bool {
        self.allowed.all_private
    }

    /// See [`FetchConfigBuilder::allow_range`].
    pub fn allowed_ranges(&self) -> &[IpNet] {
        &self.allowed.ranges
    }

    /// The most one address may take (see [`FetchConfigBuilder::address_budget`]):
    /// when none was set, twice the [`timeout`](Self::timeout).
    ///
    /// ```
    /// use std::time::Duration;
    /// let config = report_scraper::fetch::FetchConfig::builder().timeout(Duration::from_secs(10)).build();
    /// assert_eq!(config.address_budget(), Duration::from_secs(20));
    /// ```
    pub fn address_budget(&self) -> Duration {
        self.address_budget.unwrap_or(self.timeout.saturating_mul(2))
    }

    /// See [`FetchConfigBuilder::proxy`].
    pub fn proxy(&self) -> Option<&str> {
        self.proxy.as_deref()
    }

    /// See [`FetchConfigBuilder::proxy_from_env`].
    pub fn proxy_from_env(&self) -> bool {
        self.proxy_from_env
    }

    /// See [`FetchConfigBuilder::header`].
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// See [`FetchConfigBuilder::cookies`].
    pub fn cookies(&self) -> bool {
        self.cookies
    }
}

/// Makes a [`FetchConfig`]. Every setting is documented here, with its effect.
///
/// ```
/// use std::time::Duration;
/// use report_scraper::fetch::{FetchConfig, Fetcher};
/// let config = FetchConfig::builder()
///     .timeout(Duration::from_secs(20))
///     .politeness_delay(Duration::from_secs(2))
///     .build();
/// let fetcher = Fetcher::new(config)?;
/// assert_eq!(fetcher.config().politeness_delay(), Duration::from_secs(2));
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct FetchConfigBuilder {
    config: FetchConfig,
}

impl FetchConfigBuilder {
    /// The `User-Agent` sent, also the name matched in robots.txt (default
    /// [`DEFAULT_USER_AGENT`]).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().user_agent("jishengxie-bot/0.1").build();
    /// assert_eq!(config.user_agent(), "jishengxie-bot/0.1");
    /// ```
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.config.user_agent = agent.into();
        self
    }

    /// Time allowed to connect (default 10 s).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().connect_timeout(std::time::Duration::from_secs(3)).build();
    /// assert_eq!(config.connect_timeout().as_secs(), 3);
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// Time allowed for a whole request, body included (default 30 s); a
    /// slower response is a [`Timeout`](crate::ErrorKind::Timeout).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().timeout(std::time::Duration::from_secs(60)).build();
    /// assert_eq!(config.timeout().as_secs(), 60);
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// Bodies larger than this are aborted while streaming and reported as
    /// [`TooLarge`](crate::ErrorKind::TooLarge) (default 20 MB).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().max_bytes(5 * 1024 * 1024).build();
    /// assert_eq!(config.max_bytes(), 5 * 1024 * 1024);
    /// ```
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.config.max_bytes = bytes;
        self
    }

    /// Redirects followed before giving up (default 5); each hop is checked
    /// by the address guard and, for a crawl, against its scope.
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().max_redirects(2).build();
    /// assert_eq!(config.max_redirects(), 2);
    /// ```
    pub fn max_redirects(mut self, redirects: usize) -> Self {
        self.config.max_redirects = redirects;
        self
    }

    /// Retries after a timeout, a connection error, 429 or 5xx (default 3).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().retries(0).build();
    /// assert_eq!(config.retries(), 0);
    /// ```
    pub fn retries(mut self, retries: usize) -> Self {
        self.config.retries = retries;
        self
    }

    /// First retry delay; later ones double, with jitter (default 500 ms).
    /// A `Retry-After` header overrides it.
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().backoff(std::time::Duration::from_millis(100)).build();
    /// assert_eq!(config.backoff().as_millis(), 100);
    /// ```
    pub fn backoff(mut self, first: Duration) -> Self {
        self.config.backoff = first;
        self
    }

    /// The longest wait between retries, `Retry-After` included (default 30 s).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().max_backoff(std::time::Duration::from_secs(5)).build();
    /// assert_eq!(config.max_backoff().as_secs(), 5);
    /// ```
    pub fn max_backoff(mut self, longest: Duration) -> Self {
        self.config.max_backoff = longest;
        self
    }

    /// Pause between two requests to one host (default 1 s); a longer
    /// robots.txt `Crawl-delay` wins. Requests to one host never overlap.
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().politeness_delay(std::time::Duration::ZERO).build();
    /// assert!(config.politeness_delay().is_zero());
    /// ```
    pub fn politeness_delay(mut self, delay: Duration) -> Self {
        self.config.politeness_delay = delay;
        self
    }

    /// Requests in flight at once across all hosts (default 8).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().max_concurrency(2).build();
    /// assert_eq!(config.max_concurrency(), 2);
    /// ```
    pub fn max_concurrency(mut self, requests: usize) -> Self {
        self.config.max_concurrency = requests;
        self
    }

    /// Obey robots.txt (default true). Off, robots.txt is not even fetched.
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().obey_robots(false).build();
    /// assert!(!config.obey_robots());
    /// ```
    pub fn obey_robots(mut self, obey: bool) -> Self {
        self.config.obey_robots = obey;
        self
    }

    /// Allow every loopback, private, link-local and other special-purpose
    /// address (default: refused, so a hostile page cannot steer the fetcher
    /// into an internal network). [`allow_range`](Self::allow_range)
    /// allows only what a local site needs.
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().allow_private_addresses(true).build();
    /// assert!(config.private_addresses_allowed());
    /// ```
    pub fn allow_private_addresses(mut self, allow: bool) -> Self {
        self.config.allowed.all_private = allow;
        self
    }

    /// Allow one non-public range (or address, as a `/32` or `/128`), the
    /// others staying refused: a crawl of a site on loopback allows
    /// `127.0.0.1/32`, and nothing else private.
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().allow_range("127.0.0.1/32".parse().unwrap()).build();
    /// assert_eq!(config.allowed_ranges()[0].to_string(), "127.0.0.1/32");
    /// assert!(!config.private_addresses_allowed());
    /// ```
    pub fn allow_range(mut self, range: IpNet) -> Self {
        self.config.allowed.ranges.push(range);
        self
    }

    /// Allow non-public ranges, as [`allow_range`](Self::allow_range) does one.
    ///
    /// ```
    /// let ranges = ["127.0.0.1/32", "::1/128"].map(|r| r.parse().unwrap());
    /// let config = report_scraper::fetch::FetchConfig::builder().allow_ranges(ranges).build();
    /// assert_eq!(config.allowed_ranges().len(), 2);
    /// ```
    pub fn allow_ranges(mut self, ranges: impl IntoIterator<Item = IpNet>) -> Self {
        self.config.allowed.ranges.extend(ranges);
        self
    }

    /// The most one address may take, redirects and retries included
    /// (default: twice the timeout): a slow server costs this, not
    /// `(retries + 1) × timeout`.
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().address_budget(std::time::Duration::from_secs(15)).build();
    /// assert_eq!(config.address_budget().as_secs(), 15);
    /// ```
    pub fn address_budget(mut self, budget: Duration) -> Self {
        self.config.address_budget = Some(budget);
        self
    }

    /// Send every request through this proxy (`http://`, `https://`,
    /// `socks5://` with the `socks` feature of reqwest enabled by your
    /// crate); `None`, the default, sends them directly. The proxy is your
    /// choice and is not checked by the address guard (a proxy on
    /// 127.0.0.1 needs no `allow_range`). Requests through it are resolved
    /// by the proxy: the guard still refuses the literal addresses written
    /// in the URLs (`http://10.0.0.1/`), but it cannot see where a host
    /// name leads — the proxy must be trusted to keep its own limits. A bad
    /// address is an [`Invalid`](crate::ErrorKind::Invalid) error from
    /// [`Fetcher::new`](super::Fetcher::new).
    ///
    /// ```
    /// use report_scraper::fetch::{FetchConfig, Fetcher};
    /// let config = FetchConfig::builder().proxy(Some("http://127.0.0.1:3128")).build();
    /// assert_eq!(config.proxy(), Some("http://127.0.0.1:3128"));
    /// let err = Fetcher::new(FetchConfig::builder().proxy(Some("not a proxy")).build()).unwrap_err();
    /// assert!(err.to_string().contains("proxy"));
    /// ```
    pub fn proxy(mut self, url: Option<impl Into<String>>) -> Self {
        self.config.proxy = url.map(Into::into);
        self
    }

    /// Use the environment's proxies (`HTTP_PROXY`, `HTTPS_PROXY`,
    /// `ALL_PROXY`, `NO_PROXY`) when no [`proxy`](Self::proxy) is set
    /// (default false: a crawler does not pick up a proxy by surprise).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().proxy_from_env(true).build();
    /// assert!(config.proxy_from_env());
    /// ```
    pub fn proxy_from_env(mut self, use_env: bool) -> Self {
        self.config.proxy_from_env = use_env;
        self
    }

    /// A header sent with requests (an API key, `Accept-Language`,
    /// `Referer`). It goes only where it was meant for: within the crawl's
    /// scope, or for a single fetch to the origin asked for — never to a
    /// redirect's other host, nor to robots.txt. A bad name or value is an
    /// [`Invalid`](crate::ErrorKind::Invalid) error from
    /// [`Fetcher::new`](super::Fetcher::new).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().header("Accept-Language", "zh-CN,zh;q=0.9").build();
    /// assert_eq!(config.headers()[0], ("Accept-Language".to_string(), "zh-CN,zh;q=0.9".to_string()));
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.headers.push((name.into(), value.into()));
        self
    }

    /// Headers sent with requests, as [`header`](Self::header) does one.
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().headers([("X-Key", "1"), ("Referer", "https://a.cn/")]).build();
    /// assert_eq!(config.headers().len(), 2);
    /// ```
    pub fn headers(mut self, headers: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>) -> Self {
        self.config.headers.extend(headers.into_iter().map(|(n, v)| (n.into(), v.into())));
        self
    }

    /// Keep the cookies servers set and send them back, one jar per
    /// fetcher (so per crawl): sites that set a session cookie on the
    /// first page and refuse later pages without it (default false).
    ///
    /// ```
    /// let config = report_scraper::fetch::FetchConfig::builder().cookies(true).build();
    /// assert!(config.cookies());
    /// ```
    pub fn cookies(mut self, keep: bool) -> Self {
        self.config.cookies = keep;
        self
    }

    /// The configuration.
    pub fn build(self) -> FetchConfig {
        self.config
    }
}
