//! The fetcher's configuration: set on a builder, readable after build.

use std::time::Duration;

use ipnet::IpNet;

use super::guard::Allowed;

/// How a [`Fetcher`](crate::fetch::Fetcher) behaves; fixed when it is built, read with
/// [`Fetcher::config`](crate::fetch::Fetcher::config).
///
/// ```
/// use std::time::Duration;
/// let fetcher = report_scraper::fetch::Fetcher::builder().timeout(Duration::from_secs(20)).build()?;
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

/// A getter for each setting, with the setting's doc.
macro_rules! getters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {
        impl FetchConfig {
            $(
                $(#[$doc])*
                pub fn $name(&self) -> $ty {
                    self.$name
                }
            )*
        }
    };
}

getters! {
    /// Time allowed to connect (default 10 s).
    connect_timeout: Duration;
    /// Time allowed for a whole request, body included (default 30 s).
    timeout: Duration;
    /// Bodies larger than this are aborted while streaming (default 20 MB).
    max_bytes: usize;
    /// Redirects followed before giving up (default 5).
    max_redirects: usize;
    /// Retries after a timeout, a connection error, 429 or 5xx (default 3).
    retries: usize;
    /// First retry delay; later ones double, with jitter (default 500 ms).
    backoff: Duration;
    /// The longest wait between retries, `Retry-After` included (default 30 s).
    max_backoff: Duration;
    /// Pause between two requests to one host (default 1 s).
    politeness_delay: Duration;
    /// Requests in flight at once across all hosts (default 8).
    max_concurrency: usize;
    /// Whether robots.txt is obeyed (default true).
    obey_robots: bool;
    /// Whether the environment's proxies (`HTTP_PROXY`, `HTTPS_PROXY`,
    /// `ALL_PROXY`, `NO_PROXY`) are used when no proxy is set (default false).
    proxy_from_env: bool;
    /// Whether cookies the servers set are kept and sent back (default false).
    cookies: bool;
}

impl FetchConfig {
    /// The `User-Agent` sent, also the name matched in robots.txt.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().user_agent("jishengxie-bot/0.1").build()?;
    /// assert_eq!(f.config().user_agent(), "jishengxie-bot/0.1");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// Whether every loopback, private and other special-purpose address may be fetched (default false).
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().build()?;
    /// assert!(!f.config().private_addresses_allowed());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn private_addresses_allowed(&self) -> bool {
        self.allowed.all_private
    }

    /// The non-public ranges allowed one by one ([`FetcherBuilder::allow_range`]).
    pub fn allowed_ranges(&self) -> &[IpNet] {
        &self.allowed.ranges
    }

    /// The most one address may take, redirects and retries included
    /// (default: twice the [`timeout`](Self::timeout)).
    ///
    /// ```
    /// use std::time::Duration;
    /// let f = report_scraper::fetch::Fetcher::builder().timeout(Duration::from_secs(10)).build()?;
    /// assert_eq!(f.config().address_budget(), Duration::from_secs(20));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn address_budget(&self) -> Duration {
        self.address_budget.unwrap_or(self.timeout.saturating_mul(2))
    }

    /// The proxy every request goes through, if one was set.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().proxy("http://127.0.0.1:3128").build()?;
    /// assert_eq!(f.config().proxy(), Some("http://127.0.0.1:3128"));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn proxy(&self) -> Option<&str> {
        self.proxy.as_deref()
    }

    /// The headers sent besides the `User-Agent`, only within a request's
    /// scope: the crawl's, or for a single fetch the origin asked for (never
    /// to a redirect's other host, nor to robots.txt).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

/// Configures a [`Fetcher`](crate::fetch::Fetcher); every setting can be read back from
/// [`Fetcher::config`](crate::fetch::Fetcher::config).
///
/// ```
/// use std::time::Duration;
/// let fetcher = report_scraper::fetch::Fetcher::builder()
///     .timeout(Duration::from_secs(20))
///     .politeness_delay(Duration::from_secs(2))
///     .build()?;
/// assert_eq!(fetcher.config().politeness_delay(), Duration::from_secs(2));
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct FetcherBuilder {
    pub(crate) config: FetchConfig,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty;)*) => {
        impl FetcherBuilder {
            $(
                $(#[$doc])*
                pub fn $name(mut self, value: $ty) -> Self {
                    self.config.$name = value;
                    self
                }
            )*
        }
    };
}

setters! {
    /// Time allowed to connect (default 10 s).
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().connect_timeout(std::time::Duration::from_secs(3)).build()?;
    /// assert_eq!(f.config().connect_timeout().as_secs(), 3);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    connect_timeout: Duration;
    /// Time allowed for a whole request, body included (default 30 s); a
    /// slower response is a [`Timeout`](crate::ErrorKind::Timeout).
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().timeout(std::time::Duration::from_secs(60)).build()?;
    /// assert_eq!(f.config().timeout().as_secs(), 60);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    timeout: Duration;
    /// Bodies larger than this are aborted while streaming and reported as
    /// [`TooLarge`](crate::ErrorKind::TooLarge) (default 20 MB).
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().max_bytes(5 * 1024 * 1024).build()?;
    /// assert_eq!(f.config().max_bytes(), 5 * 1024 * 1024);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    max_bytes: usize;
    /// Redirects followed before giving up (default 5); each hop is checked
    /// by the address guard and, for a crawl, against its scope.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().max_redirects(2).build()?;
    /// assert_eq!(f.config().max_redirects(), 2);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    max_redirects: usize;
    /// Retries after a timeout, a connection error, 429 or 5xx (default 3).
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().retries(0).build()?;
    /// assert_eq!(f.config().retries(), 0);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    retries: usize;
    /// First retry delay; later ones double, with jitter (default 500 ms).
    /// A `Retry-After` header overrides it.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().backoff(std::time::Duration::from_millis(100)).build()?;
    /// assert_eq!(f.config().backoff().as_millis(), 100);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    backoff: Duration;
    /// The longest wait between retries, `Retry-After` included (default 30 s).
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().max_backoff(std::time::Duration::from_secs(5)).build()?;
    /// assert_eq!(f.config().max_backoff().as_secs(), 5);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    max_backoff: Duration;
    /// Pause between two requests to one host (default 1 s); a longer
    /// robots.txt `Crawl-delay` wins. Requests to one host never overlap.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().politeness_delay(std::time::Duration::ZERO).build()?;
    /// assert!(f.config().politeness_delay().is_zero());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    politeness_delay: Duration;
    /// Requests in flight at once across all hosts (default 8).
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().max_concurrency(2).build()?;
    /// assert_eq!(f.config().max_concurrency(), 2);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    max_concurrency: usize;
    /// Obey robots.txt (default true). Off, robots.txt is not even fetched.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().obey_robots(false).build()?;
    /// assert!(!f.config().obey_robots());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    obey_robots: bool;
}

impl FetcherBuilder {
    /// The `User-Agent` sent, also the name matched in robots.txt.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().user_agent("jishengxie-bot/0.1").build()?;
    /// assert_eq!(f.config().user_agent(), "jishengxie-bot/0.1");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn user_agent(mut self, agent: &str) -> Self {
        self.config.user_agent = agent.to_string();
        self
    }

    /// Allow every loopback, private, link-local and other special-purpose
    /// address (default: refused, so a hostile page cannot steer the fetcher
    /// into an internal network). [`allow_range`](Self::allow_range)
    /// allows only what a local site needs.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().allow_private_addresses(true).build()?;
    /// assert!(f.config().private_addresses_allowed());
    /// # Ok::<(), report_scraper::Error>(())
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
    /// let f = report_scraper::fetch::Fetcher::builder().allow_range("127.0.0.1/32".parse().unwrap()).build()?;
    /// assert_eq!(f.config().allowed_ranges()[0].to_string(), "127.0.0.1/32");
    /// assert!(!f.config().private_addresses_allowed());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn allow_range(mut self, range: IpNet) -> Self {
        self.config.allowed.ranges.push(range);
        self
    }

    /// The most one address may take, redirects and retries included
    /// (default: twice the timeout): a slow server costs this, not
    /// `(retries + 1) × timeout`.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().address_budget(std::time::Duration::from_secs(15)).build()?;
    /// assert_eq!(f.config().address_budget().as_secs(), 15);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn address_budget(mut self, budget: std::time::Duration) -> Self {
        self.config.address_budget = Some(budget);
        self
    }

    /// Send every request through this proxy (`http://`, `https://`,
    /// `socks5://` with the `socks` feature of reqwest enabled by your
    /// crate). The proxy is your choice and is not checked by the address
    /// guard (a proxy on 127.0.0.1 needs no `allow_range`). Requests
    /// through it are resolved by the proxy: the guard still refuses the
    /// literal addresses written in the URLs (`http://10.0.0.1/`), but it
    /// cannot see where a host name leads — the proxy must be trusted to
    /// keep its own limits. A bad address is an
    /// [`Invalid`](crate::ErrorKind::Invalid) error from `build`.
    ///
    /// ```
    /// let err = report_scraper::fetch::Fetcher::builder().proxy("not a proxy").build().unwrap_err();
    /// assert!(err.to_string().contains("proxy"));
    /// ```
    pub fn proxy(mut self, url: &str) -> Self {
        self.config.proxy = Some(url.to_string());
        self
    }

    /// Use the environment's proxies (`HTTP_PROXY`, `HTTPS_PROXY`,
    /// `ALL_PROXY`, `NO_PROXY`) when no [`proxy`](Self::proxy) is set
    /// (default false: a crawler does not pick up a proxy by surprise).
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().proxy_from_env(true).build()?;
    /// assert!(f.config().proxy_from_env());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn proxy_from_env(mut self, use_env: bool) -> Self {
        self.config.proxy_from_env = use_env;
        self
    }

    /// A header sent with requests (an API key, `Accept-Language`,
    /// `Referer`); repeatable. It goes only where it was meant for: within
    /// the crawl's scope, or for a single fetch to the origin asked for —
    /// never to a redirect's other host, nor to robots.txt. A bad name or value is an
    /// [`Invalid`](crate::ErrorKind::Invalid) error from `build`.
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().header("Accept-Language", "zh-CN,zh;q=0.9").build()?;
    /// assert_eq!(f.config().headers()[0], ("Accept-Language".to_string(), "zh-CN,zh;q=0.9".to_string()));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.config.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Keep the cookies servers set and send them back, one jar per
    /// fetcher (so per crawl): sites that set a session cookie on the
    /// first page and refuse later pages without it (default false).
    ///
    /// ```
    /// let f = report_scraper::fetch::Fetcher::builder().cookies(true).build()?;
    /// assert!(f.config().cookies());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn cookies(mut self, keep: bool) -> Self {
        self.config.cookies = keep;
        self
    }
}
