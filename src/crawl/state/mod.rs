//! The crawl's state, wherever it is kept: the frontier and the seen set,
//! outcomes, runs, the sitemaps read, what was learned about each host,
//! and the crawl's identity. It survives a kill.
//!
//! One interface, [`Frontier`], and two backends, each a module:
//! - [`sqlite`]: [`CrawlState`], one process and its embedded file (the default);
//! - `postgres` (feature `postgres`): `PgState`, many workers on many
//!   machines making one crawl in a PostgreSQL database.
//!
//! Shared by both:
//! - [`keys`]: the seen-set key of an address (its canonical form, less the
//!   parameters learned to be irrelevant on its host), and the fingerprint
//!   of an article;
//! - `backend`: the operations the crawl loop runs on a state;
//! - the types below: outcomes as stored, counts, what is found and taken.

mod backend;
mod keys;
#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;

use std::time::Duration;

use url::Url;

pub(crate) use self::backend::Backend;
pub(crate) use self::keys::fingerprint;
#[cfg(feature = "postgres")]
pub use self::postgres::{CrawlStatus, HostStatus, PgState, PgStateBuilder, WorkerStatus};
pub use self::sqlite::CrawlState;
use crate::error::ErrorCode;
use crate::model::Post;

/// A crawl's state, kept by one of the backends: [`CrawlState`] (SQLite,
/// one process) or, with the feature `postgres`, `PgState` (PostgreSQL,
/// many workers). A [`Crawler`](crate::crawl::Crawler) runs on either; the
/// operations it needs are the crate's own (the trait is sealed), so a
/// backend's tables can change without breaking a program.
pub trait Frontier: Backend {}

impl<T: Backend> Frontier for T {}

/// What became of a fetched address.
///
/// ```
/// use report_scraper::{ErrorCode, crawl::Outcome};
/// assert_eq!(Outcome::Article.to_string(), "article");
/// assert_eq!(Outcome::Failed(ErrorCode::Http(404)).to_string(), "failed (http-404)");
/// let of = "https://www.example.cn/a.html".parse().unwrap();
/// assert_eq!(Outcome::Duplicate { of: Some(of) }.to_string(), "duplicate of https://www.example.cn/a.html");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// An article, written to the output.
    Article,
    /// A list or index page: its links were followed, nothing was written.
    List,
    /// robots.txt disallowed it.
    Robots,
    /// The same page or article as another address, recorded under that
    /// one: a redirect onto an address seen already, a page whose
    /// canonical address was written, or an article written already under
    /// another address (the same fingerprint).
    Duplicate {
        /// The address it duplicates (`None` only in states written by
        /// versions that did not record it).
        of: Option<Url>,
    },
    /// It failed, with the kind of failure.
    Failed(ErrorCode),
}

/// Pieces of evidence (different addresses) that make a parameter learned:
/// one pair of addresses may be a page whose default happens to be what the
/// parameter chose; two are a pattern.
const LEARN_AFTER: i64 = 2;

/// States as stored: small integers keep a million rows small.
const QUEUED: i64 = 0;
const TAKEN: i64 = 1;
const ARTICLE: i64 = 2;
const LIST: i64 = 3;
const ROBOTS: i64 = 4;
const DUPLICATE: i64 = 5;
const FAILED: i64 = 6;

impl Outcome {
    fn code(&self) -> i64 {
        match self {
            Outcome::Article => ARTICLE,
            Outcome::List => LIST,
            Outcome::Robots => ROBOTS,
            Outcome::Duplicate { .. } => DUPLICATE,
            Outcome::Failed(_) => FAILED,
        }
    }

    /// Reads back a stored state, error code and, for a duplicate, its original.
    fn from_row(state: i64, error: Option<&str>, of: Option<Url>) -> Option<Outcome> {
        Some(match state {
            ARTICLE => Outcome::Article,
            LIST => Outcome::List,
            ROBOTS => Outcome::Robots,
            DUPLICATE => Outcome::Duplicate { of },
            FAILED => Outcome::Failed(error.and_then(|e| e.parse().ok()).unwrap_or(ErrorCode::Internal)),
            _ => return None,
        })
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Article => f.write_str("article"),
            Outcome::List => f.write_str("list"),
            Outcome::Robots => f.write_str("robots"),
            Outcome::Duplicate { of: Some(of) } => write!(f, "duplicate of {of}"),
            Outcome::Duplicate { of: None } => f.write_str("duplicate"),
            Outcome::Failed(code) => write!(f, "failed ({code})"),
        }
    }
}

/// Counts of addresses by state.
///
/// ```
/// let s = report_scraper::crawl::CrawlState::in_memory()?;
/// assert_eq!(s.counts()?.queued, 0);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Counts {
    /// Waiting to be fetched.
    pub queued: u64,
    /// Recorded as articles.
    pub articles: u64,
    /// List pages followed.
    pub lists: u64,
    /// Refused by robots.txt.
    pub robots: u64,
    /// The same page or article as another address.
    pub duplicates: u64,
    /// Failed.
    pub failed: u64,
}

impl Counts {
    /// Adds `n` addresses in the stored state `state` (taken ones count as queued).
    fn add(&mut self, state: i64, n: u64) {
        match state {
            QUEUED | TAKEN => self.queued += n,
            ARTICLE => self.articles += n,
            LIST => self.lists += n,
            ROBOTS => self.robots += n,
            DUPLICATE => self.duplicates += n,
            _ => self.failed += n,
        }
    }

    /// Addresses finished one way or another: everything not queued.
    ///
    /// ```
    /// assert_eq!(report_scraper::crawl::Counts::default().done(), 0);
    /// ```
    pub fn done(&self) -> u64 {
        self.articles + self.lists + self.robots + self.duplicates + self.failed
    }
}

/// An address found, to be queued unless it was ever seen.
#[derive(Debug, Clone)]
pub struct Found {
    pub url: Url,
    pub depth: u32,
    /// The form it sends, for a postback or a data request.
    pub post: Option<Post>,
}

impl Found {
    pub fn get(url: Url, depth: u32) -> Found {
        Found { url, depth, post: None }
    }
}

/// An address taken from the frontier.
#[derive(Debug, Clone)]
pub struct Taken {
    /// Its row.
    pub id: i64,
    /// Its origin's row: the host whose turn it takes.
    pub origin: i64,
    /// The address to fetch, as it was found.
    pub url: Url,
    pub depth: u32,
    /// Attempts so far, this one included: times taken since it last
    /// succeeded (a kill in the middle of a fetch counts).
    pub attempts: u32,
    /// The validators of its last fetch, for a conditional request.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The form to send by POST, for a postback or a data request.
    pub form: Option<String>,
}

/// The address that holds a fingerprint.
#[derive(Debug, Clone)]
pub struct Holder {
    pub id: i64,
    pub url: Url,
    /// Its article is written (not only fetched, or queued again).
    pub written: bool,
}

/// The last read of a sitemap: the run that read it, and its validators.
#[derive(Debug, Clone)]
pub struct SitemapRead {
    pub run: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// How a run starts: resuming one that was cut short, a new one after one
/// that finished, or joining one that other workers are making now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStart {
    Resume,
    New,
    /// Other workers of a shared state are in this run: what a run does
    /// once at its start (retrying failures, reading capped lists again)
    /// is theirs, done already.
    Join,
}

/// What a claim on one host's queue gave.
#[derive(Debug)]
pub enum Claim {
    /// An address, in flight from now on.
    Taken(Taken),
    /// The host has no queued address (left).
    Empty,
    /// Another worker holds the host, or its delay has not passed: try again after this long.
    Wait(Duration),
}

/// A copy of an article kept for finding its reposts: the address row and
/// part it was written under, its group, and what it says of itself.
#[derive(Debug, Clone)]
pub struct KeptCopy {
    /// The address row the copy was written under.
    pub row: i64,
    /// Which of the page's articles.
    pub part: u32,
    /// Its group's id.
    pub group: String,
    /// The copy.
    pub member: crate::repost::Member,
}

impl KeptCopy {
    /// The copy's band keys, as the state stores them.
    pub(crate) fn band_keys(&self) -> Vec<i64> {
        crate::repost::bands(&self.member.fingerprint).iter().map(|&b| i64::from(b)).collect()
    }

    /// The site names, one a line, as stored.
    pub(crate) fn sites(&self) -> String {
        self.member.site_names.join("\n")
    }

    /// A stored copy; `None` when its fingerprint is of another version.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn stored(
        (row, part, group): (i64, u32, String),
        url: String,
        published: Option<String>,
        source: Option<String>,
        sites: &str,
        truncated: bool,
        chars: usize,
        fp: &[u8],
    ) -> Option<KeptCopy> {
        let fingerprint = crate::repost::Fingerprint::from_bytes(fp)?;
        let site_names: Vec<String> = sites.lines().filter(|l| !l.is_empty()).map(str::to_string).collect();
        let member = crate::repost::Member::stored(url, published, source, site_names, truncated, chars, fingerprint);
        Some(KeptCopy { row, part, group, member })
    }
}

/// A host's turn asked for a request that is not one of its queued
/// addresses (its robots.txt, a sitemap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    /// Held from now on (the host's row): give it back with `release`.
    Held(i64),
    /// Another worker holds it, or its delay has not passed: ask again after this long.
    Wait(Duration),
}
