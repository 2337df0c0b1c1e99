//! Polite, guarded fetching (feature `fetch`): robots.txt, per-host
//! politeness, retries, size caps, and the address guard ([`guard`]).

mod config;
mod guard;
mod response;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use tokio::sync::{OnceCell, Semaphore};
use tokio::time::Instant;
use url::Url;

pub use config::{FetchConfig, FetcherBuilder};
pub use guard::is_public_address;
pub use response::Fetched;

use self::guard::{check_url, Blocked, GuardedResolver};
use crate::error::{Error, ErrorKind};
use crate::model::Article;

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
    config: FetchConfig,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
    global: Semaphore,
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

impl FetcherBuilder {
    /// Builds the fetcher.
    ///
    /// ```
    /// let f = report_scraper::Fetcher::builder().build()?;
    /// assert_eq!(f.config().max_redirects(), 5);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Client`](crate::ErrorKind::Client) when the HTTP client cannot be set up.
    pub fn build(self) -> Result<Fetcher, Error> {
        Fetcher::new(self.config)
    }
}

impl Fetcher {
    /// Starts a configuration.
    ///
    /// ```
    /// let f = report_scraper::Fetcher::builder().retries(1).build()?;
    /// assert_eq!(f.config().retries(), 1);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn builder() -> FetcherBuilder {
        FetcherBuilder::default()
    }

    /// A fetcher with this configuration.
    ///
    /// # Errors
    /// [`ErrorKind::Client`] when the HTTP client cannot be set up.
    fn new(config: FetchConfig) -> Result<Fetcher, Error> {
        // Another part of the program may have installed a provider already: fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let allow = config.allow_private;
        let max_redirects = config.max_redirects;
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
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(policy)
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { allow_private: allow }))
            .build()
            .map_err(|e| err(ErrorKind::Client { source: Box::new(e) }))?;
        Ok(Fetcher {
            client,
            global: Semaphore::new(config.max_concurrency.max(1)),
            hosts: Mutex::new(HashMap::new()),
            config,
        })
    }

    /// The configuration it was built with.
    ///
    /// ```
    /// let f = report_scraper::Fetcher::builder().max_bytes(1 << 20).build()?;
    /// assert_eq!(f.config().max_bytes(), 1 << 20);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn config(&self) -> &FetchConfig {
        &self.config
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
        let url =
            Url::parse(url).map_err(|e| err(ErrorKind::BadUrl { url: url.to_string(), message: e.to_string() }))?;
        check_url(&url, self.config.allow_private).map_err(|e| e.into_error(&url))?;
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
        tokio::task::spawn_blocking(move || crate::extract::shared().page(page.input())?.into_article())
            .await
            .unwrap_or_else(|e| Err(err(ErrorKind::Internal { url: at, message: e.to_string() })))
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
            Err(closed) => {
                Attempt::Done(Err(err(ErrorKind::Network { url: url.to_string(), source: Box::new(closed) })))
            }
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
        let too_large = |size| err(ErrorKind::TooLarge { url: Some(url.to_string()), size, limit });
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
                Err(e) => return Err(network_error(url, e)),
            }
        }
        Ok(Fetched { status, url: url.clone(), final_url, headers, body, fetched_at: jiff::Timestamp::now() })
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
    if let Some(blocked) = Blocked::find(&e) {
        return Attempt::Done(Err(blocked.into_error(url)));
    }
    if e.is_timeout() {
        return Attempt::Retry(err(ErrorKind::Timeout { url: url.to_string() }), None);
    }
    if e.is_redirect() {
        return Attempt::Done(Err(network_error(url, e)));
    }
    Attempt::Retry(network_error(url, e), None)
}

/// The client's error as ours; the client's is kept as the source.
fn network_error(url: &Url, e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return err(ErrorKind::Timeout { url: url.to_string() });
    }
    err(ErrorKind::Network { url: url.to_string(), source: Box::new(e) })
}

fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}
