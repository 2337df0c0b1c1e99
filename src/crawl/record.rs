//! What a crawl hands out: a record per article (written and read back the
//! same way), an event per address, and a summary per run.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, ErrorCode};
use crate::model::Article;

/// An article found by a crawl: one JSON object a line in the output,
/// `url`, `final_url`, `fetched_at`, `depth`, `part` and `parts` (a page
/// holding several articles gives one record each), then the [`Article`]'s
/// fields and its `text`. Reads back with serde as written (`text` is
/// derived from the blocks and ignored on reading).
///
/// ```
/// let line = r#"{"url":"http://a.cn/1.html","final_url":"http://a.cn/1.html","fetched_at":"2025-02-20T13:14:00Z",
///   "depth":1,"part":0,"parts":1,"title":"会议召开","blocks":[{"kind":"paragraph","text":"正文。"}],"text":"正文。"}"#;
/// let record: report_scraper::crawl::CrawledArticle = serde_json::from_str(line)?;
/// assert_eq!(record.article.title.as_deref(), Some("会议召开"));
/// assert_eq!(serde_json::to_value(&record)?["text"], "正文。");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct CrawledArticle {
    /// The address taken from the frontier.
    pub url: Url,
    /// The address after redirects.
    pub final_url: Url,
    /// When the response arrived.
    pub fetched_at: Timestamp,
    /// Links followed from a seed to reach it.
    pub depth: u32,
    /// Which of the page's recorded articles this is, from 0.
    #[serde(default)]
    pub part: u32,
    /// How many articles were recorded from the page.
    #[serde(default = "one")]
    pub parts: u32,
    /// The group of copies of this article the crawl has met (on any of its
    /// sites): the same id on every copy. `None` for a body too short to
    /// tell.
    #[serde(default)]
    pub group: Option<String>,
    /// The address of the group's original as known when this record was
    /// written (see [`repost`](crate::repost) for the evidence); `None` on
    /// the original itself. A copy written before its original was met
    /// names none: [`Crawler::reposts`](super::Crawler::reposts) gives the
    /// crawl's final grouping.
    #[serde(default)]
    pub repost_of: Option<String>,
    /// What was extracted.
    #[serde(flatten)]
    pub article: Article,
}

fn one() -> u32 {
    1
}

/// The record as written: the fields, then the body as plain text.
#[derive(Serialize)]
struct Written<'a> {
    url: &'a Url,
    final_url: &'a Url,
    fetched_at: Timestamp,
    depth: u32,
    part: u32,
    parts: u32,
    group: &'a Option<String>,
    repost_of: &'a Option<String>,
    #[serde(flatten)]
    article: &'a Article,
    text: String,
}

impl Serialize for CrawledArticle {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Written {
            url: &self.url,
            final_url: &self.final_url,
            fetched_at: self.fetched_at,
            depth: self.depth,
            part: self.part,
            parts: self.parts,
            group: &self.group,
            repost_of: &self.repost_of,
            article: &self.article,
            text: self.article.text(),
        }
        .serialize(serializer)
    }
}

/// What happened to one address; the crawl hands each to its sink once.
#[derive(Debug)]
#[non_exhaustive]
pub enum CrawlEvent<'a> {
    /// The page's articles (most pages hold one): write them out, together.
    Articles(&'a [CrawledArticle]),
    /// A list page read before, unchanged since (`304 Not Modified`).
    Unchanged {
        /// Its address.
        url: &'a Url,
    },
    /// A list or index page, followed and not recorded.
    List {
        /// Its address.
        url: &'a Url,
        /// Addresses it added to the frontier.
        new_links: usize,
    },
    /// robots.txt disallows it; it was not fetched.
    Robots {
        /// Its address.
        url: &'a Url,
    },
    /// The same page or article as an address recorded already (a
    /// redirect onto it, or the same article under another address); it
    /// is not written again.
    Duplicate {
        /// Its address.
        url: &'a Url,
        /// Where it led.
        final_url: &'a Url,
        /// The address it duplicates.
        of: &'a Url,
    },
    /// Fetching, decoding or extracting failed.
    Failed {
        /// Its address.
        url: &'a Url,
        /// What went wrong.
        error: &'a Error,
        /// Which attempt this was, across runs (a failure that can heal is
        /// tried again by later runs, up to the crawl's `max_attempts`).
        attempt: u32,
    },
}

/// What a [`Crawler::run`](crate::crawl::Crawler::run) did. It serializes with
/// its durations in seconds (`elapsed_secs`, `extracting_secs`) and its
/// errors keyed by code, as the crawl example's `--stats` file holds it.
///
/// ```
/// let json = serde_json::to_value(report_scraper::crawl::Summary::default())?;
/// assert_eq!(json["elapsed_secs"], 0.0);
/// assert!(json["errors"].as_object().unwrap().is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// Responses received (article pages, lists and duplicates).
    pub fetched: u64,
    /// Articles handed to the sink.
    pub articles: u64,
    /// List pages followed.
    pub lists: u64,
    /// List pages read again and found unchanged (`304 Not Modified`).
    pub unchanged: u64,
    /// Addresses refused by robots.txt.
    pub robots: u64,
    /// Pages and articles seen already under another address (a redirect
    /// onto it, the same article under another address).
    pub duplicates: u64,
    /// Failures by kind (`timeout`, `http-404`, `blocked-address`…).
    pub errors: BTreeMap<ErrorCode, u64>,
    /// Addresses left in the frontier (stopped early or page limit reached).
    pub queued: u64,
    /// Addresses found that did not fit under the page limit: the pages
    /// that led to them are read again by the next run.
    pub cut: u64,
    /// True when the run ended at the page limit with work left (addresses
    /// queued or cut): the next run goes on where this one stopped.
    pub limit_reached: bool,
    /// True when the stop flag ended the run.
    pub stopped: bool,
    /// Wall time of the run.
    #[serde(rename = "elapsed_secs", serialize_with = "seconds")]
    pub elapsed: Duration,
    /// Time spent decoding, parsing, extracting and finding links, summed over
    /// the blocking threads that do it: the CPU time of that work when the
    /// threads do not outnumber the cores, more when they wait for one.
    #[serde(rename = "extracting_secs", serialize_with = "seconds")]
    pub extracting: Duration,
    /// Bytes received.
    pub bytes: u64,
}

/// A duration as seconds, fractions included.
fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

impl Summary {
    /// Failures of every kind.
    ///
    /// ```
    /// assert_eq!(report_scraper::crawl::Summary::default().failed(), 0);
    /// ```
    pub fn failed(&self) -> u64 {
        self.errors.values().sum()
    }
}
