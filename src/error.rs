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

/// The error kinds, their codes, messages and causes, from one table: a
/// kind cannot be added without its code, its message and its cause.
///
/// Each entry: the kind's docs and name, its fields with their docs, `=>`
/// its code's variant (a number it carries, for HTTP statuses) and name,
/// the field that holds the cause (`source`, a [`Cause`]) if any, and its
/// message as a closure over the formatter and the fields it prints.
macro_rules! error_kinds {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident $({ $($(#[doc = $fdoc:literal])* $field:ident : $ty:ty),* $(,)? })?
        => $code:ident $(($num:ident : $numty:ty))? $code_name:literal $(, cause $src:ident)?,
        |$f:ident $(, $bind:ident)*| $message:expr;
    )*) => {
        /// What went wrong.
        ///
        /// ```
        /// use report_scraper::{ErrorKind, extract};
        /// match extract(b"\x00\x01\x02binary", None).map_err(|e| e.into_kind()) {
        ///     Err(ErrorKind::NotHtml { .. }) => {}
        ///     other => panic!("unexpected {other:?}"),
        /// }
        /// ```
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $(
                $(#[doc = $doc])*
                $name $({ $($(#[doc = $fdoc])* $field: $ty),* })?,
            )*
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
            $(
                #[doc = concat!("[`ErrorKind::", stringify!($name), "`]", $(" with its ", stringify!($num))?)]
                $code $(($numty))?,
            )*
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
                    $(ErrorKind::$name { $($num,)? .. } => ErrorCode::$code $((*$num))?,)*
                }
            }

            /// The message `Display` writes.
            fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(
                        #[allow(unused_variables)]
                        ErrorKind::$name { $($bind,)* .. } => {
                            let $f = f;
                            $message
                        }
                    )*
                }
            }

            /// The lower-level error kept inside, for `source`.
            fn cause(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    $(ErrorKind::$name { $($src,)? .. } => cause!($($src)?),)*
                }
            }
        }

        /// Every code with its name (a numbered code with a sample number).
        #[cfg(test)]
        const CODES: &[(ErrorCode, &str)] = &[$((ErrorCode::$code $((sample!($num)))?, $code_name),)*];

        impl fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(ErrorCode::$code $(($num))? => code_name!(f, $code_name $(, $num)?),)*
                }
            }
        }

        impl std::str::FromStr for ErrorCode {
            type Err = Error;

            fn from_str(s: &str) -> Result<ErrorCode, Error> {
                $(parse_code!(s, $code_name, $code $(, $num)?);)*
                Err(Error::new(ErrorKind::Invalid { what: "error code", value: s.to_string() }))
            }
        }
    };
}

/// `Some(cause)` for a kind that keeps one, `None` for the others.
macro_rules! cause {
    () => {
        None
    };
    ($src:ident) => {
        Some($src.as_ref() as &(dyn std::error::Error + 'static))
    };
}

/// A code's name, with its number when it carries one (`http-404`).
macro_rules! code_name {
    ($f:ident, $name:literal) => {
        $f.write_str($name)
    };
    ($f:ident, $name:literal, $num:ident) => {
        write!($f, "{}-{}", $name, $num)
    };
}

/// Returns the code `s` names, if it is this one.
macro_rules! parse_code {
    ($s:ident, $name:literal, $code:ident) => {
        if $s == $name {
            return Ok(ErrorCode::$code);
        }
    };
    ($s:ident, $name:literal, $code:ident, $num:ident) => {
        if let Some($num) = $s.strip_prefix(concat!($name, "-")).and_then(|n| n.parse().ok()) {
            return Ok(ErrorCode::$code($num));
        }
    };
}

/// The number a numbered code is tested with.
#[cfg(test)]
macro_rules! sample {
    ($num:ident) => {
        503
    };
}

error_kinds! {
    /// The input holds no bytes, or only white space.
    Empty => Empty "empty",
        |f| write!(f, "the page is empty");
    /// The input is larger than the configured cap.
    TooLarge {
        /// The page's address, when known.
        url: Option<String>,
        /// The input's size in bytes (at least this much, for a body cut off while streaming).
        size: usize,
        /// The cap in bytes.
        limit: usize,
    } => TooLarge "too-large",
        |f, url, size, limit| write!(f, "{}the page has {size} bytes, more than the limit of {limit}", at(url));
    /// Extraction took longer than the input's [time budget](crate::Input::time_budget).
    ExtractTimeout {
        /// The page's address, when known.
        url: Option<String>,
        /// The budget.
        budget: std::time::Duration,
    } => ExtractTimeout "extract-timeout",
        |f, url, budget| write!(f, "{}extraction took longer than its budget of {budget:?}", at(url));
    /// The input is not a text page (an image, a PDF, an archive…).
    NotHtml {
        /// What it looks like instead.
        looks_like: &'static str,
    } => NotHtml "not-html",
        |f, looks_like| write!(f, "not a text page: it looks like {looks_like}");
    /// The page has text but nothing that reads like an article.
    NoContent => NoContent "no-content",
        |f| write!(f, "no article text found on the page");
    /// An address that cannot be fetched (not a URL, or not http/https).
    BadUrl {
        /// The address.
        url: String,
        /// What is wrong with it.
        message: String,
    } => BadUrl "bad-url",
        |f, url, message| write!(f, "{url}: {message}");
    /// The address resolves to a loopback, private, link-local or other
    /// special-purpose address, refused unless the fetcher allows it.
    BlockedAddress {
        /// The address asked for.
        url: String,
        /// The IP (or host) refused.
        address: String,
    } => BlockedAddress "blocked-address",
        |f, url, address| write!(f, "{url}: refused to connect to non-public address {address}");
    /// robots.txt disallows the address.
    RobotsDisallowed {
        /// The address.
        url: String,
    } => RobotsDisallowed "robots-disallowed",
        |f, url| write!(f, "{url}: disallowed by robots.txt");
    /// robots.txt could not be read (a server error, a timeout): the host is
    /// not crawled for now, and asked again later. The cause is the source.
    RobotsUnavailable {
        /// The address asked for.
        url: String,
        /// Why robots.txt could not be read.
        source: Cause,
    } => RobotsUnavailable "robots-unavailable", cause source,
        |f, url| write!(f, "{url}: robots.txt could not be read (asked again later)");
    /// A redirect led out of the crawl's scope: recorded, not followed.
    RedirectOutOfScope {
        /// The address asked for.
        url: String,
        /// Where the redirect pointed.
        location: String,
    } => RedirectOutOfScope "redirect-out-of-scope",
        |f, url, location| write!(f, "{url}: redirects out of the crawl's scope, to {location} (not followed)");
    /// An address the crawl was led to outside its scope (a sitemap that
    /// robots.txt or an index names on another origin): recorded, not fetched.
    OutOfScope {
        /// The address.
        url: String,
        /// What named it.
        found_in: String,
    } => OutOfScope "out-of-scope",
        |f, url, found_in| write!(f, "{url}: outside the crawl's scope, named by the {found_in} (not fetched)");
    /// The address was in flight each time the crawl was killed, as many
    /// times as attempts are allowed: given up.
    Interrupted {
        /// The address.
        url: String,
    } => Interrupted "interrupted",
        |f, url| write!(f, "{url}: in flight each time the crawl was killed, as often as attempts are allowed (given up)");
    /// The server did not answer in time.
    Timeout {
        /// The address.
        url: String,
    } => Timeout "timeout",
        |f, url| write!(f, "{url}: timed out");
    /// The server answered with an error status (after retries, for 429 and 5xx).
    HttpStatus {
        /// The address.
        url: String,
        /// The HTTP status.
        status: u16,
    } => Http(status: u16) "http",
        |f, url, status| write!(f, "{url}: HTTP status {status}");
    /// The connection failed (after retries); the HTTP client's error is the source.
    Network {
        /// The address.
        url: String,
        /// The HTTP client's error.
        source: Cause,
    } => Network "network", cause source,
        |f, url| write!(f, "{url}: the request failed");
    /// The HTTP client could not be set up (no TLS provider, a bad setting).
    Client {
        /// The HTTP client's error.
        source: Cause,
    } => Client "client", cause source,
        |f| write!(f, "the HTTP client could not be set up");
    /// A fetch was polled outside a Tokio runtime (the HTTP client and the
    /// politeness timers need one): run it inside `#[tokio::main]` or
    /// `Runtime::block_on`.
    NoRuntime => NoRuntime "no-runtime",
        |f| write!(f, "fetching needs a Tokio runtime: run it inside one (#[tokio::main] or Runtime::block_on)");
    /// A feed (RSS, Atom, JSON Feed) that cannot be read; the parser's error is the source.
    BadFeed {
        /// The feed's address.
        url: String,
        /// The parser's error.
        source: Cause,
    } => BadFeed "bad-feed", cause source,
        |f, url| write!(f, "{url}: not a feed that can be read");
    /// A web archive record that cannot be read (a bad header, a block cut
    /// short, broken gzip, an HTTP response that cannot be decoded);
    /// reading goes on at the next record where it can.
    BadWarc {
        /// Where the record starts: a plain file's byte offset, or the
        /// offset of the gzip member it begins in.
        offset: u64,
        /// What is wrong.
        source: Cause,
    } => BadWarc "bad-warc", cause source,
        |f, offset| write!(f, "web archive record at byte {offset} cannot be read");
    /// A web archive could not be written (its folder, a file, its index);
    /// the I/O error is the source.
    WarcWrite {
        /// The file or folder.
        path: String,
        /// The I/O error.
        source: Cause,
    } => WarcWrite "warc-write", cause source,
        |f, path| write!(f, "writing the web archive {path} failed");
    /// A sitemap that is not well-formed XML (or broken gzip); the reader's error is the source.
    BadSitemap {
        /// The XML or gzip reader's error.
        source: Cause,
    } => BadSitemap "bad-sitemap", cause source,
        |f| write!(f, "bad sitemap");
    /// The crawl state belongs to another crawl (other seeds or hosts).
    StateMismatch {
        /// The crawl the state file records.
        recorded: String,
        /// The crawl asked for.
        asked: String,
    } => StateMismatch "state-mismatch",
        |f, recorded, asked| write!(
            f,
            "the crawl state belongs to another crawl (it records {recorded}; this crawl is {asked}); \
             use another state file, or continue anyway"
        );
    /// The crawl state file failed; SQLite's error is the source.
    State {
        /// SQLite's error (or the task's, when a crawl worker died).
        source: Cause,
    } => State "state", cause source,
        |f| write!(f, "the crawl state failed");
    /// The crawl's output could not be written.
    Output {
        /// The I/O error.
        source: Cause,
    } => Output "output", cause source,
        |f| write!(f, "writing the crawl's output failed");
    /// Extracting this page panicked: a bug in this crate, reported for the
    /// page instead of stopping the crawl.
    Internal {
        /// The address.
        url: String,
        /// The panic's message.
        message: String,
    } => Internal "internal",
        |f, url, message| write!(f, "{url}: extraction failed (a bug, please report it): {message}");
    /// A rule's pattern does not compile.
    BadPattern {
        /// The rule's name.
        name: String,
        /// The pattern compiler's error.
        source: Cause,
    } => BadPattern "bad-pattern", cause source,
        |f, name| write!(f, "rule {name:?} does not compile");
    /// [`disable_rule`](crate::ExtractConfigBuilder::disable_rule) named no rule
    /// of the built-in set or of the user's.
    UnknownRule {
        /// The name given.
        name: String,
    } => UnknownRule "unknown-rule",
        |f, name| write!(f, "no rule is called {name:?}");
    /// A rule that extraction cannot do without was asked to be switched off.
    FixedRule {
        /// The rule's name.
        name: String,
    } => FixedRule "fixed-rule",
        |f, name| write!(f, "rule {name:?} cannot be switched off: it marks what lies outside the article");
    /// A value that does not parse: a rule action, a date, an error code.
    Invalid {
        /// What the value was meant to be.
        what: &'static str,
        /// The value.
        value: String,
    } => Invalid "invalid",
        |f, what, value| write!(f, "not a valid {what}: {value:?}");
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
        self.0.describe(f)
    }
}

/// `"URL: "`, or nothing when the address is not known.
fn at(url: &Option<String>) -> String {
    url.as_deref().map_or(String::new(), |u| format!("{u}: "))
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.cause()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_from_its_name() {
        for &(code, name) in CODES {
            let shown = code.to_string();
            assert!(shown == name || shown == format!("{name}-503"), "{code:?} is shown as {shown}");
            assert_eq!(shown.parse::<ErrorCode>().unwrap(), code);
        }
        assert!("http-x".parse::<ErrorCode>().is_err() && "http".parse::<ErrorCode>().is_err());
    }

    #[test]
    fn no_two_kinds_share_a_name() {
        let names: std::collections::BTreeSet<&str> = CODES.iter().map(|(_, n)| *n).collect();
        assert_eq!(names.len(), CODES.len());
    }

    #[test]
    fn the_cause_is_the_source() {
        use std::error::Error as _;
        let io = std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full");
        let e = Error::new(ErrorKind::Output { source: Box::new(io) });
        assert_eq!(e.to_string(), "writing the crawl's output failed");
        assert_eq!(e.source().map(ToString::to_string).as_deref(), Some("disk full"));
        let e = Error::new(ErrorKind::Timeout { url: "http://a.cn/".to_string() });
        assert!(e.source().is_none());
    }

    #[test]
    fn a_status_is_kept_in_the_code() {
        let e = ErrorKind::HttpStatus { url: "http://a.cn/x".to_string(), status: 404 };
        assert_eq!(e.code(), ErrorCode::Http(404));
        assert_eq!(Error::new(e).to_string(), "http://a.cn/x: HTTP status 404");
    }
}
