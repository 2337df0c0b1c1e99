//! The crate's error type.

use std::fmt;

/// An error from extraction or rule building.
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
        /// The input's size in bytes.
        size: usize,
        /// The cap in bytes.
        limit: usize,
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
        /// Why.
        message: String,
    },
    /// The address resolves to a loopback, private, link-local or multicast
    /// address, refused unless the fetcher allows them.
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
    /// The connection failed (after retries).
    Network {
        /// The address.
        url: String,
        /// What the HTTP client said.
        message: String,
    },
    /// A sitemap that is not well-formed XML (or broken gzip).
    BadSitemap {
        /// The parser's message.
        message: String,
    },
    /// The crawl state file failed (SQLite).
    State {
        /// SQLite's message.
        message: String,
    },
    /// The crawl's output could not be written.
    Output {
        /// The I/O error's message.
        message: String,
    },
    /// Extracting this page panicked: a bug in this crate, reported for the
    /// page instead of stopping the crawl.
    Internal {
        /// The address.
        url: String,
        /// The panic's message.
        message: String,
    },
    /// A user rule's pattern does not compile.
    BadRule {
        /// The rule's name.
        name: String,
        /// The pattern compiler's message.
        message: String,
    },
}

impl ErrorKind {
    /// A short, stable name for the kind, for counting errors by kind.
    ///
    /// ```
    /// let e = report_scraper::extract(b"", None).unwrap_err();
    /// assert_eq!(e.kind().code(), "empty");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Empty => "empty",
            ErrorKind::TooLarge { .. } => "too-large",
            ErrorKind::NotHtml { .. } => "not-html",
            ErrorKind::NoContent => "no-content",
            ErrorKind::BadUrl { .. } => "bad-url",
            ErrorKind::BlockedAddress { .. } => "blocked-address",
            ErrorKind::RobotsDisallowed { .. } => "robots-disallowed",
            ErrorKind::Timeout { .. } => "timeout",
            ErrorKind::HttpStatus { .. } => "http-status",
            ErrorKind::Network { .. } => "network",
            ErrorKind::BadSitemap { .. } => "bad-sitemap",
            ErrorKind::State { .. } => "state",
            ErrorKind::BadRule { .. } => "bad-rule",
            ErrorKind::Output { .. } => "output",
            ErrorKind::Internal { .. } => "internal",
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
            ErrorKind::TooLarge { size, limit } => {
                write!(f, "the page has {size} bytes, more than the limit of {limit}")
            }
            ErrorKind::NotHtml { looks_like } => write!(f, "not a text page: it looks like {looks_like}"),
            ErrorKind::NoContent => write!(f, "no article text found on the page"),
            ErrorKind::BadRule { name, message } => write!(f, "rule {name:?} does not compile: {message}"),
            ErrorKind::BadUrl { url, message } => write!(f, "{url}: {message}"),
            ErrorKind::BadSitemap { message } => write!(f, "bad sitemap: {message}"),
            ErrorKind::State { message } => write!(f, "crawl state: {message}"),
            ErrorKind::Output { message } => write!(f, "writing the crawl's output: {message}"),
            ErrorKind::BlockedAddress { url, address } => write!(f, "{url}: refused to connect to non-public address {address}"),
            ErrorKind::RobotsDisallowed { url } => write!(f, "{url}: disallowed by robots.txt"),
            ErrorKind::Timeout { url } => write!(f, "{url}: timed out"),
            ErrorKind::HttpStatus { url, status } => write!(f, "{url}: HTTP status {status}"),
            ErrorKind::Network { url, message } => write!(f, "{url}: {message}"),
            ErrorKind::Internal { url, message } => write!(f, "{url}: extraction failed (a bug, please report it): {message}"),
        }
    }
}

impl std::error::Error for Error {}
