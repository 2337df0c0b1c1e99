//! The crate's error type: what failed, with the cause kept for [`std::error::Error::source`].

use std::fmt;

/// A cause kept inside an error: the HTTP client's, SQLite's, the XML reader's.
/// [`source`](std::error::Error::source) returns it, so it can be downcast
/// (`reqwest::Error`, `rusqlite::Error`…).
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error from extraction, rule building, fetching or crawling.
///
/// Its `Display` says what failed; the lower-level cause, when there is
/// one, is its [`source`](std::error::Error::source).
///
/// ```
/// let err = report_scraper::extract(b"", None).unwrap_err();
/// assert!(matches!(err.kind(), report_scraper::ErrorKind::Empty));
/// assert_eq!(err.to_string(), "the page is empty");
/// ```
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong.
///
/// ```
/// use report_scraper::{extract, ErrorKind};
/// match extract(b"\x00\x01\x02binary", None).map_err(|e| e.into_kind()) {
///     Err(ErrorKind::NotHtml { .. }) => {}
///     other => panic!("unexpected {other:?}"),
/// }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input holds no bytes, or only white space.
    Empty,
    /// The input is larger than the configured cap.
    TooLarge {
        /// The page's address, when known.
        url: Option<String>,
        /// The input's size in bytes (at least this much, for a body cut off while streaming).
        size: usize,
        /// The cap in bytes.
        limit: usize,
    },
    /// Extraction took longer than the input's [time budget](crate::Input::time_budget).
    ExtractTimeout {
        /// The page's address, when known.
        url: Option<String>,
        /// The budget.
        budget: std::time::Duration,
    },
    /// The input is not a text page (an image, a PDF, an archive…).
    NotHtml {
        /// What it looks like instead.
        looks_like: &'static str,
    },
    /// The page has text but nothing that reads like an article.
    NoContent,
    /// An address that cannot be fetched (not a URL, or not http/https).
    BadUrl {
        /// The address.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// The address resolves to a loopback, private, link-local or other
    /// special-purpose address, refused unless the fetcher allows it.
    BlockedAddress {
        /// The address asked for.
        url: String,
        /// The IP (or host) refused.
        address: String,
    },
    /// robots.txt disallows the address.
    RobotsDisallowed {
        /// The address.
        url: String,
    },
    /// robots.txt could not be read (a server error, a timeout): the host is
    /// not crawled for now, and asked again later. The cause is the source.
    RobotsUnavailable {
        /// The address asked for.
        url: String,
        /// Why robots.txt could not be read.
        source: Cause,
    },
    /// A redirect led out of the crawl's scope: recorded, not followed.
    RedirectOutOfScope {
        /// The address asked for.
        url: String,
        /// Where the redirect pointed.
        location: String,
    },
    /// An address the crawl was led to outside its scope (a sitemap that
    /// robots.txt or an index names on another origin): recorded, not fetched.
    OutOfScope {
        /// The address.
        url: String,
        /// What named it.
        found_in: String,
    },
    /// The address was in flight each time the crawl was killed, as many
    /// times as attempts are allowed: given up.
    Interrupted {
        /// The address.
        url: String,
    },
    /// The server did not answer in time.
    Timeout {
        /// The address.
        url: String,
    },
    /// The server answered with an error status (after retries, for 429 and 5xx).
    HttpStatus {
        /// The address.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The connection failed (after retries); the HTTP client's error is the source.
    Network {
        /// The address.
        url: String,
        /// The HTTP client's error.
        source: Cause,
    },
    /// The HTTP client could not be set up (no TLS provider, a bad setting).
    Client {
        /// The HTTP client's error.
        source: Cause,
    },
    /// A fetch was polled outside a Tokio runtime (the HTTP client and the
    /// politeness timers need one): run it inside `#[tokio::main]` or
    /// `Runtime::block_on`.
    NoRuntime,
    /// A feed (RSS, Atom, JSON Feed) that cannot be read; the parser's error is the source.
    BadFeed {
        /// The feed's address.
        url: String,
        /// The parser's error.
        source: Cause,
    },
    /// A sitemap that is not well-formed XML (or broken gzip); the reader's error is the source.
    BadSitemap {
        /// The XML or gzip reader's error.
        source: Cause,
    },
    /// The crawl state belongs to another crawl (other seeds or hosts).
    StateMismatch {
        /// The crawl the state file records.
        recorded: String,
        /// The crawl asked for.
        asked: String,
    },
    /// The crawl state file failed; SQLite's error is the source.
    State {
        /// SQLite's error (or the task's, when a crawl worker died).
        source: Cause,
    },
    /// The crawl's output could not be written.
    Output {
        /// The I/O error.
        source: std::io::Error,
    },
    /// Extracting this page panicked: a bug in this crate, reported for the
    /// page instead of stopping the crawl.
    Internal {
        /// The address.
        url: String,
        /// The panic's message.
        message: String,
    },
    /// A rule's pattern does not compile.
    BadPattern {
        /// The rule's name.
        name: String,
        /// The pattern compiler's error.
        source: regex::Error,
    },
    /// [`disable_rule`](crate::ExtractorBuilder::disable_rule) named no rule
    /// of the built-in set or of the user's.
    UnknownRule {
        /// The name given.
        name: String,
    },
    /// A rule that extraction cannot do without was asked to be switched off.
    FixedRule {
        /// The rule's name.
        name: String,
    },
    /// A value that does not parse: a rule action, a date, an error code.
    Invalid {
        /// What the value was meant to be.
        what: &'static str,
        /// The value.
        value: String,
    },
}

/// The kind of an error as a short, stable name: for counting failures and
/// storing them. HTTP statuses keep their number (`http-404`).
///
/// ```
/// use report_scraper::ErrorCode;
/// assert_eq!(ErrorCode::Http(404).to_string(), "http-404");
/// assert_eq!("timeout".parse::<ErrorCode>()?, ErrorCode::Timeout);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// [`ErrorKind::Empty`]
    Empty,
    /// [`ErrorKind::TooLarge`]
    TooLarge,
    /// [`ErrorKind::ExtractTimeout`]
    ExtractTimeout,
    /// [`ErrorKind::NotHtml`]
    NotHtml,
    /// [`ErrorKind::NoContent`]
    NoContent,
    /// [`ErrorKind::BadUrl`]
    BadUrl,
    /// [`ErrorKind::BlockedAddress`]
    BlockedAddress,
    /// [`ErrorKind::RobotsDisallowed`]
    RobotsDisallowed,
    /// [`ErrorKind::RobotsUnavailable`]
    RobotsUnavailable,
    /// [`ErrorKind::RedirectOutOfScope`]
    RedirectOutOfScope,
    /// [`ErrorKind::OutOfScope`]
    OutOfScope,
    /// [`ErrorKind::Interrupted`]
    Interrupted,
    /// [`ErrorKind::StateMismatch`]
    StateMismatch,
    /// [`ErrorKind::Timeout`]
    Timeout,
    /// [`ErrorKind::HttpStatus`], with the status.
    Http(u16),
    /// [`ErrorKind::Network`]
    Network,
    /// [`ErrorKind::Client`]
    Client,
    /// [`ErrorKind::NoRuntime`]
    NoRuntime,
    /// [`ErrorKind::BadSitemap`]
    BadSitemap,
    /// [`ErrorKind::BadFeed`]
    BadFeed,
    /// [`ErrorKind::State`]
    State,
    /// [`ErrorKind::Output`]
    Output,
    /// [`ErrorKind::Internal`]
    Internal,
    /// [`ErrorKind::BadPattern`]
    BadPattern,
    /// [`ErrorKind::UnknownRule`]
    UnknownRule,
    /// [`ErrorKind::FixedRule`]
    FixedRule,
    /// [`ErrorKind::Invalid`]
    Invalid,
}

/// Every code without a number, with its name.
const CODES: &[(ErrorCode, &str)] = &[
    (ErrorCode::Empty, "empty"),
    (ErrorCode::TooLarge, "too-large"),
    (ErrorCode::ExtractTimeout, "extract-timeout"),
    (ErrorCode::NotHtml, "not-html"),
    (ErrorCode::NoContent, "no-content"),
    (ErrorCode::BadUrl, "bad-url"),
    (ErrorCode::BlockedAddress, "blocked-address"),
    (ErrorCode::RobotsDisallowed, "robots-disallowed"),
    (ErrorCode::RobotsUnavailable, "robots-unavailable"),
    (ErrorCode::RedirectOutOfScope, "redirect-out-of-scope"),
    (ErrorCode::OutOfScope, "out-of-scope"),
    (ErrorCode::Interrupted, "interrupted"),
    (ErrorCode::StateMismatch, "state-mismatch"),
    (ErrorCode::Timeout, "timeout"),
    (ErrorCode::Network, "network"),
    (ErrorCode::Client, "client"),
    (ErrorCode::BadFeed, "bad-feed"),
    (ErrorCode::NoRuntime, "no-runtime"),
    (ErrorCode::BadSitemap, "bad-sitemap"),
    (ErrorCode::State, "state"),
    (ErrorCode::Output, "output"),
    (ErrorCode::Internal, "internal"),
    (ErrorCode::BadPattern, "bad-pattern"),
    (ErrorCode::UnknownRule, "unknown-rule"),
    (ErrorCode::FixedRule, "fixed-rule"),
    (ErrorCode::Invalid, "invalid"),
];

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Http(status) => write!(f, "http-{status}"),
            code => f.write_str(CODES.iter().find(|(c, _)| c == code).map_or("unknown", |(_, name)| name)),
        }
    }
}

/// Written as its code (`"http-404"`), so it can key a JSON object.
impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for ErrorCode {
    type Err = Error;

    fn from_str(s: &str) -> Result<ErrorCode, Error> {
        if let Some(status) = s.strip_prefix("http-").and_then(|n| n.parse().ok()) {
            return Ok(ErrorCode::Http(status));
        }
        CODES
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(code, _)| *code)
            .ok_or_else(|| Error::new(ErrorKind::Invalid { what: "error code", value: s.to_string() }))
    }
}

impl ErrorCode {
    /// Whether a failure of this kind can heal by itself (a timeout, a
    /// server error, a busy server, a network failure): worth trying again later.
    ///
    /// ```
    /// use report_scraper::ErrorCode;
    /// assert!(ErrorCode::Http(503).is_transient() && ErrorCode::Timeout.is_transient());
    /// assert!(!ErrorCode::Http(404).is_transient() && !ErrorCode::TooLarge.is_transient());
    /// ```
    pub fn is_transient(self) -> bool {
        match self {
            ErrorCode::Http(status) => status == 429 || (500..600).contains(&status),
            ErrorCode::Timeout | ErrorCode::Network | ErrorCode::RobotsUnavailable | ErrorCode::ExtractTimeout => true,
            _ => false,
        }
    }
}

impl ErrorKind {
    /// The kind's short, stable name.
    ///
    /// ```
    /// let e = report_scraper::extract(b"", None).unwrap_err();
    /// assert_eq!(e.kind().code(), report_scraper::ErrorCode::Empty);
    /// assert_eq!(e.kind().code().to_string(), "empty");
    /// ```
    pub fn code(&self) -> ErrorCode {
        match self {
            ErrorKind::Empty => ErrorCode::Empty,
            ErrorKind::TooLarge { .. } => ErrorCode::TooLarge,
            ErrorKind::ExtractTimeout { .. } => ErrorCode::ExtractTimeout,
            ErrorKind::NotHtml { .. } => ErrorCode::NotHtml,
            ErrorKind::NoContent => ErrorCode::NoContent,
            ErrorKind::BadUrl { .. } => ErrorCode::BadUrl,
            ErrorKind::BlockedAddress { .. } => ErrorCode::BlockedAddress,
            ErrorKind::RobotsDisallowed { .. } => ErrorCode::RobotsDisallowed,
            ErrorKind::RobotsUnavailable { .. } => ErrorCode::RobotsUnavailable,
            ErrorKind::RedirectOutOfScope { .. } => ErrorCode::RedirectOutOfScope,
            ErrorKind::OutOfScope { .. } => ErrorCode::OutOfScope,
            ErrorKind::Interrupted { .. } => ErrorCode::Interrupted,
            ErrorKind::StateMismatch { .. } => ErrorCode::StateMismatch,
            ErrorKind::Timeout { .. } => ErrorCode::Timeout,
            ErrorKind::HttpStatus { status, .. } => ErrorCode::Http(*status),
            ErrorKind::Network { .. } => ErrorCode::Network,
            ErrorKind::Client { .. } => ErrorCode::Client,
            ErrorKind::NoRuntime => ErrorCode::NoRuntime,
            ErrorKind::BadFeed { .. } => ErrorCode::BadFeed,
            ErrorKind::BadSitemap { .. } => ErrorCode::BadSitemap,
            ErrorKind::State { .. } => ErrorCode::State,
            ErrorKind::Output { .. } => ErrorCode::Output,
            ErrorKind::Internal { .. } => ErrorCode::Internal,
            ErrorKind::BadPattern { .. } => ErrorCode::BadPattern,
            ErrorKind::UnknownRule { .. } => ErrorCode::UnknownRule,
            ErrorKind::FixedRule { .. } => ErrorCode::FixedRule,
            ErrorKind::Invalid { .. } => ErrorCode::Invalid,
        }
    }
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }

    /// What went wrong.
    ///
    /// ```
    /// let e = report_scraper::extract(b"   ", None).unwrap_err();
    /// assert!(matches!(e.kind(), report_scraper::ErrorKind::Empty));
    /// ```
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Takes the kind out of the error.
    ///
    /// ```
    /// let e = report_scraper::extract(b"", None).unwrap_err();
    /// assert!(matches!(e.into_kind(), report_scraper::ErrorKind::Empty));
    /// ```
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Empty => write!(f, "the page is empty"),
            ErrorKind::TooLarge { url, size, limit } => {
                write!(f, "{}the page has {size} bytes, more than the limit of {limit}", at(url))
            }
            ErrorKind::ExtractTimeout { url, budget } => {
                write!(f, "{}extraction took longer than its budget of {budget:?}", at(url))
            }
            ErrorKind::NotHtml { looks_like } => write!(f, "not a text page: it looks like {looks_like}"),
            ErrorKind::NoContent => write!(f, "no article text found on the page"),
            ErrorKind::BadUrl { url, message } => write!(f, "{url}: {message}"),
            ErrorKind::BlockedAddress { url, address } => {
                write!(f, "{url}: refused to connect to non-public address {address}")
            }
            ErrorKind::RobotsDisallowed { url } => write!(f, "{url}: disallowed by robots.txt"),
            ErrorKind::RobotsUnavailable { url, .. } => {
                write!(f, "{url}: robots.txt could not be read (asked again later)")
            }
            ErrorKind::Interrupted { url } => {
                write!(
                    f,
                    "{url}: in flight each time the crawl was killed, as often as attempts are allowed (given up)"
                )
            }
            ErrorKind::OutOfScope { url, found_in } => {
                write!(f, "{url}: outside the crawl's scope, named by the {found_in} (not fetched)")
            }
            ErrorKind::RedirectOutOfScope { url, location } => {
                write!(f, "{url}: redirects out of the crawl's scope, to {location} (not followed)")
            }
            ErrorKind::StateMismatch { recorded, asked } => write!(
                f,
                "the crawl state belongs to another crawl (it records {recorded}; this crawl is {asked}); \
                 use another state file, or continue anyway"
            ),
            ErrorKind::Timeout { url } => write!(f, "{url}: timed out"),
            ErrorKind::HttpStatus { url, status } => write!(f, "{url}: HTTP status {status}"),
            ErrorKind::Network { url, .. } => write!(f, "{url}: the request failed"),
            ErrorKind::Client { .. } => write!(f, "the HTTP client could not be set up"),
            ErrorKind::NoRuntime => {
                write!(f, "fetching needs a Tokio runtime: run it inside one (#[tokio::main] or Runtime::block_on)")
            }
            ErrorKind::BadSitemap { .. } => write!(f, "bad sitemap"),
            ErrorKind::BadFeed { url, .. } => write!(f, "{url}: not a feed that can be read"),
            ErrorKind::State { .. } => write!(f, "the crawl state failed"),
            ErrorKind::Output { .. } => write!(f, "writing the crawl's output failed"),
            ErrorKind::Internal { url, message } => {
                write!(f, "{url}: extraction failed (a bug, please report it): {message}")
            }
            ErrorKind::BadPattern { name, .. } => write!(f, "rule {name:?} does not compile"),
            ErrorKind::UnknownRule { name } => write!(f, "no rule is called {name:?}"),
            ErrorKind::FixedRule { name } => {
                write!(f, "rule {name:?} cannot be switched off: it marks what lies outside the article")
            }
            ErrorKind::Invalid { what, value } => write!(f, "not a valid {what}: {value:?}"),
        }
    }
}

/// `"URL: "`, or nothing when the address is not known.
fn at(url: &Option<String>) -> String {
    url.as_deref().map_or(String::new(), |u| format!("{u}: "))
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Network { source, .. }
            | ErrorKind::RobotsUnavailable { source, .. }
            | ErrorKind::Client { source }
            | ErrorKind::BadSitemap { source }
            | ErrorKind::BadFeed { source, .. }
            | ErrorKind::State { source } => Some(source.as_ref()),
            ErrorKind::Output { source } => Some(source),
            ErrorKind::BadPattern { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_from_its_name() {
        for (code, name) in CODES.iter().copied().chain([(ErrorCode::Http(503), "http-503")]) {
            assert_eq!(code.to_string(), name);
            assert_eq!(name.parse::<ErrorCode>().unwrap(), code);
        }
        assert!("http-x".parse::<ErrorCode>().is_err());
    }

    #[test]
    fn the_cause_is_the_source() {
        use std::error::Error as _;
        let io = std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full");
        let e = Error::new(ErrorKind::Output { source: io });
        assert_eq!(e.to_string(), "writing the crawl's output failed");
        assert_eq!(e.source().map(ToString::to_string).as_deref(), Some("disk full"));
    }
}
