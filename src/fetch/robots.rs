//! robots.txt per host (RFC 9309): read once, from its first 512 KiB; a 4xx
//! allows all; a server error or a timeout (after retries) refuses the host
//! *for now* — it is asked again after [`ASK_AGAIN`], and the crawl records
//! the refusal as one that can heal; a network failure is the page's own.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use super::request::{Body, ROBOTS_MAX_BYTES, Reply, Send};
use super::{Fetcher, HostState};
use crate::error::{Error, ErrorKind};

/// How long a robots.txt that could not be read keeps its host refused before it is asked again.
const ASK_AGAIN: Duration = Duration::from_secs(60);

/// Redirects followed for robots.txt (RFC 9309 asks for at least five).
const ROBOTS_REDIRECTS: usize = 5;

/// What a host's robots.txt says.
#[derive(Debug)]
enum Robots {
    AllowAll,
    Rules(Box<texting_robots::Robot>),
    /// It could not be read (server error, timeout): refused for now.
    Unavailable {
        message: String,
        since: Instant,
    },
    /// The host could not be reached at all.
    Unreachable {
        message: String,
        since: Instant,
    },
    /// The host itself is refused by the address guard.
    Blocked(String),
}

/// What a host's robots.txt said, as a file another crawler of the same
/// crawl can read again instead of asking the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RobotsFile {
    /// Nothing to obey: a 4xx, or no robots.txt at all.
    AllowAll,
    /// The file as read (its first 512 KiB).
    Text(Vec<u8>),
}

/// A host's robots.txt, read on first use; its `Crawl-delay` and `Sitemap:`
/// lines kept apart for cheap reads.
#[derive(Debug, Default)]
pub(crate) struct RobotsSlot {
    robots: tokio::sync::Mutex<Option<Robots>>,
    crawl_delay: Mutex<Option<Duration>>,
    sitemaps: Mutex<Vec<String>>,
    /// The file the rules came from, kept when the fetcher shares robots.txt.
    file: Mutex<Option<RobotsFile>>,
}

impl RobotsSlot {
    /// The host's `Crawl-delay`, once robots.txt was read.
    pub(crate) fn crawl_delay(&self) -> Option<Duration> {
        *self.crawl_delay.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `url` may be fetched.
    ///
    /// # Errors
    /// [`ErrorKind::RobotsDisallowed`], [`ErrorKind::RobotsUnavailable`],
    /// the network error that kept robots.txt from being read, or the
    /// address guard's refusal of the host.
    pub(crate) async fn check(&self, f: &Fetcher, host: &HostState, url: &Url) -> Result<(), Error> {
        let mut slot = self.robots.lock().await;
        let stale = match slot.as_ref() {
            None => true,
            Some(Robots::Unavailable { since, .. } | Robots::Unreachable { since, .. }) => since.elapsed() >= ASK_AGAIN,
            Some(_) => false,
        };
        if stale {
            let robots = self.read(f, host, url).await;
            match &robots {
                Robots::Rules(r) => {
                    tracing::debug!(host = %url.origin().ascii_serialization(), sitemaps = r.sitemaps.len(), "robots.txt read")
                }
                Robots::AllowAll => {
                    tracing::debug!(host = %url.origin().ascii_serialization(), "no robots.txt rules: all allowed")
                }
                Robots::Unavailable { message, .. } | Robots::Unreachable { message, .. } => {
                    tracing::warn!(host = %url.origin().ascii_serialization(), %message, "robots.txt unavailable: the host's pages wait")
                }
                Robots::Blocked(address) => {
                    tracing::warn!(host = %url.origin().ascii_serialization(), %address, "robots.txt host refused by the address guard")
                }
            }
            *slot = Some(robots);
        }
        let page = url.to_string();
        match slot.as_ref() {
            Some(Robots::Rules(r)) if !r.allowed(url.as_str()) => {
                tracing::info!(url = %page, "disallowed by robots.txt");
                Err(Error::new(ErrorKind::RobotsDisallowed { url: page }))
            }
            Some(Robots::Unavailable { message, .. }) => {
                Err(Error::new(ErrorKind::RobotsUnavailable { url: page, source: message.clone().into() }))
            }
            Some(Robots::Unreachable { message, .. }) => {
                Err(Error::new(ErrorKind::Network { url: page, source: message.clone().into() }))
            }
            Some(Robots::Blocked(address)) => {
                Err(Error::new(ErrorKind::BlockedAddress { url: page, address: address.clone() }))
            }
            _ => Ok(()),
        }
    }

    /// The file the host's rules were read from, when the fetcher keeps
    /// files ([`Fetcher::share_robots`]) and one was read (not a failure).
    pub(crate) fn file(&self) -> Option<RobotsFile> {
        self.file.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Takes the rules of a file another crawler read, unless this slot
    /// holds rules already (a failure to read is replaced).
    pub(crate) async fn adopt(&self, agent: &str, file: RobotsFile) {
        let mut slot = self.robots.lock().await;
        if matches!(slot.as_ref(), Some(Robots::AllowAll | Robots::Rules(_))) {
            return;
        }
        *slot = Some(match &file {
            RobotsFile::AllowAll => Robots::AllowAll,
            RobotsFile::Text(body) => self.parse(agent, body),
        });
        *self.file.lock().unwrap_or_else(|e| e.into_inner()) = Some(file);
    }

    /// The `Sitemap:` lines of the host's robots.txt, reading it if needed.
    pub(crate) async fn sitemaps(&self, f: &Fetcher, host: &HostState, url: &Url) -> Vec<String> {
        // Whatever the verdict for this address, the file has been read (or could not be).
        let _ = self.check(f, host, url).await;
        self.sitemaps.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Fetches and reads robots.txt, following its redirects.
    async fn read(&self, f: &Fetcher, host: &HostState, url: &Url) -> Robots {
        let Ok(mut at) = url.join("/robots.txt") else { return Robots::AllowAll };
        let deadline = Instant::now() + f.config.address_budget();
        for _ in 0..=ROBOTS_REDIRECTS {
            // A robots.txt redirected to another host is fetched in that host's turn.
            let hop = f.host(&at);
            let hop = if hop.robots_is(self) { host } else { &hop };
            let reply = match super::guard::check_url(&at, &f.config.allowed) {
                Ok(()) => {
                    f.with_retries(
                        hop,
                        &at,
                        Send { headers: &[], form: None, user_headers: false },
                        Body::Truncate(ROBOTS_MAX_BYTES),
                        deadline,
                    )
                    .await
                }
                Err(blocked) => Err(blocked.into_error(&at)),
            };
            match reply {
                Ok(Reply::Redirect(next, _)) => at = next,
                Ok(Reply::Page(page)) => {
                    self.keep(f, RobotsFile::Text(page.body.clone()));
                    return self.parse(&f.config.user_agent, &page.body);
                }
                Err(e) => {
                    let robots = failure(e);
                    if matches!(robots, Robots::AllowAll) {
                        self.keep(f, RobotsFile::AllowAll);
                    }
                    return robots;
                }
            }
        }
        self.keep(f, RobotsFile::AllowAll);
        Robots::AllowAll
    }

    /// Keeps the file read when the fetcher shares them (only then: a
    /// crawl of many hosts on one process need not hold every file).
    fn keep(&self, f: &Fetcher, file: RobotsFile) {
        if f.shares_robots.load(std::sync::atomic::Ordering::Relaxed) {
            *self.file.lock().unwrap_or_else(|e| e.into_inner()) = Some(file);
        }
    }

    fn parse(&self, agent: &str, body: &[u8]) -> Robots {
        match texting_robots::Robot::new(agent, body) {
            Ok(r) => {
                let delay = r.delay.map(|d| Duration::from_secs_f32(d.clamp(0.0, 120.0)));
                *self.crawl_delay.lock().unwrap_or_else(|e| e.into_inner()) = delay;
                self.sitemaps.lock().unwrap_or_else(|e| e.into_inner()).clone_from(&r.sitemaps);
                Robots::Rules(Box::new(r))
            }
            // A file that is not robots.txt at all says nothing: allow.
            Err(_) => Robots::AllowAll,
        }
    }
}

impl HostState {
    /// Whether this host's robots slot is `slot` (a robots.txt redirected to another host is read there).
    fn robots_is(&self, slot: &RobotsSlot) -> bool {
        std::ptr::eq(&self.robots, slot)
    }
}

/// What a failure to read robots.txt means for the host (RFC 9309, 2.3.1).
fn failure(e: Error) -> Robots {
    let message = e.to_string();
    match e.into_kind() {
        ErrorKind::HttpStatus { status, .. } if status < 500 && status != 429 => Robots::AllowAll,
        ErrorKind::BlockedAddress { address, .. } => Robots::Blocked(address),
        ErrorKind::Network { .. } | ErrorKind::BadUrl { .. } => Robots::Unreachable { message, since: Instant::now() },
        _ => Robots::Unavailable { message, since: Instant::now() },
    }
}
