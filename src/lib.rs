//! Clean, dated articles from Chinese association, government and portal pages.
//!
//! `report_scraper` takes a page (raw bytes in any encoding these sites use,
//! or text already pulled out of a page), finds the article, strips the
//! portal noise around and inside it, and returns a [`Page`]: its
//! [`Article`]s (title, publish date as precise as the page gives it,
//! source, author, editors, and the body as [`Block`](model::Block)s), every removal with
//! the rule that made it, and its links when asked for.
//!
//! # Quick start
//!
//! ```
//! let html = r#"<html><head><title>召开2025年全省计生协工作会议_广东省计生协</title></head>
//! <body>
//!   <div class="nav"><a href="/">首页</a> <a href="/news">新闻</a> <a href="/about">关于</a></div>
//!   <h1>召开2025年全省计生协工作会议</h1>
//!   <div class="info">发布时间:2025-02-20 21:14 来源:广东省计生协</div>
//!   <div class="TRS_Editor">
//!     <p>2月17日,2025年广东省计生协工作会议在广州市召开,总结2024年工作,部署2025年重点任务。</p>
//!     <p>点击上方蓝字</p>
//!     <p>会议指出,各级计生协深化推进改革,全省计生协工作迈上新台阶。</p>
//!   </div>
//!   <div class="share">评论 收藏 点赞 转发</div>
//! </body></html>"#;
//!
//! let article = report_scraper::extract(html.as_bytes(), Some("https://example.cn/t20250220_1.html"))?;
//! assert_eq!(article.title.as_deref(), Some("召开2025年全省计生协工作会议"));
//! assert_eq!(article.published.as_ref().unwrap().value.to_string(), "2025-02-20T21:14:00+08:00");
//! assert_eq!(article.source.as_deref(), Some("广东省计生协"));
//! assert_eq!(article.blocks.len(), 2);
//! # Ok::<(), report_scraper::Error>(())
//! ```
//!
//! The whole page — several articles, removals, links — comes from
//! [`Extractor::page`], the one entry every other path goes through:
//!
//! ```
//! use report_scraper::{Extractor, Input};
//! let page = Extractor::default().page(Input::text("会议指出,各级计生协工作迈上新台阶。\n扫一扫在手机打开当前页"))?;
//! assert_eq!(page.text(), "会议指出,各级计生协工作迈上新台阶。");
//! assert_eq!(page.removed[0].rule, "mobile-qr");
//! # Ok::<(), report_scraper::Error>(())
//! ```
//!
//! # Which entry point do I use
//!
//! | you have | you want | use |
//! |---|---|---|
//! | a page's bytes (any encoding) | its article | [`extract`] |
//! | text already pulled out of a page | the article, noise removed | [`clean_text`] |
//! | a page, with options (rules, links, details, time budget) | every article, removals, links | [`Extractor::page`] with an [`Input`] |
//! | an address | the page fetched politely, then extracted | [`fetch::Fetcher`] (feature `fetch`) |
//! | a site, or many | every article once, resumable | [`crawl::Crawler`] (feature `crawl`) |
//! | bytes of unknown charset | text | [`encoding::decode`] |
//!
//! The types extraction returns are in [`model`], the noise rules in
//! [`rules`]; the crate's design, and why, in [`design`].
//!
//! # Dates never get invented years
//!
//! [`PubDate`](model::PubDate) keeps what the page said: a date-time with its offset
//! (+08:00 unless the page says otherwise), a date, or only a month and day.
//!
//! # Rules are data
//!
//! Every removal names its [`Rule`](rules::Rule). The built-in rules live in
//! `rules/noise.rules`; [`Rule::names`](rules::Rule::names) lists them with the few the
//! pipeline applies by the page's structure; users add or switch off rules
//! by name in an [`ExtractConfig`].
//!
//! # Configuration
//!
//! The extractor, the fetcher and the crawler are configured one way: an
//! immutable `…Config` made by its builder, passed to `new`, read back
//! through the worker's `config()`. Each setting is documented on its
//! builder's setter; flags take a `bool`, names `impl Into<String>`, and
//! the plural setters (`seeds`, `disable_rules`, `allow_ranges`…) take
//! iterators.
//!
//! ```
//! use report_scraper::{ExtractConfig, Extractor};
//! let config = ExtractConfig::builder().disable_rules(["share-bar", "mobile-qr"]).max_bytes(4 << 20).build();
//! let ex = Extractor::new(config)?; // compiled once: reuse it, clone it, share it across threads
//! assert_eq!(ex.config().max_bytes(), 4 << 20);
//! # Ok::<(), report_scraper::Error>(())
//! ```
//!
//! # Fetching and crawling
//!
//! With the default features, `Fetcher` fetches politely (robots.txt,
//! per-host delay, retries, size caps, an address guard) and `Crawler`
//! crawls sites into a resumable `CrawlState`, writing each article once
//! through a `JsonlSink`; `default-features = false` leaves extraction
//! alone, without tokio or reqwest.
//!
//! # Robustness
//!
//! Any input gives an `Ok` or an [`Error`], never a panic: the tree is
//! walked without recursion, inputs are capped in size
//! ([`DEFAULT_MAX_BYTES`]), and every pass is linear in the page's size.
//!
//! # Errors and public dependencies
//!
//! Every failure is an [`Error`]: its [`ErrorKind`] says what failed (with
//! the address, when there is one), its [`ErrorCode`] names the kind for
//! counting and storing (`timeout`, `http-404`), and the lower-level error,
//! when there is one, is its `source` as a [`Cause`] to downcast
//! (`reqwest::Error`, `rusqlite::Error`, `regex::Error`, `std::io::Error`,
//! `quick_xml::Error`). The kinds, codes and messages come from one table in
//! `src/error.rs`, so a kind cannot be half-added.
//!
//! Types of other crates appear in the public API, and their major versions
//! are part of this crate's: [`url::Url`] (addresses of links, pages and
//! images), [`jiff`]'s civil dates and offsets (inside [`PubDate`](model::PubDate)), `ipnet`'s
//! `IpNet` (the ranges a fetcher may be allowed to reach), and `serde`'s
//! traits on every model type.
//!
//! The design — the wings, how a page travels through them, and why — is
//! in [`design`] (`DESIGN.md`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod clean;
#[cfg(any(feature = "crawl", feature = "warc"))]
mod counted;
#[cfg(feature = "crawl")]
#[cfg_attr(docsrs, doc(cfg(feature = "crawl")))]
pub mod crawl;
mod error;
mod extract;
#[cfg(feature = "fetch")]
#[cfg_attr(docsrs, doc(cfg(feature = "fetch")))]
pub mod fetch;
mod html;
pub mod model;
mod plain;
pub mod repost;
mod text;
mod tuning;
#[cfg(feature = "warc")]
pub mod warc;

pub use crate::error::{Cause, Error, ErrorCode, ErrorKind};
pub use crate::extract::{DEFAULT_MAX_BYTES, ExtractConfig, ExtractConfigBuilder, Extractor, Input};
pub use crate::model::{Article, Page};

/// Noise rules: the built-in set and the user's, each named, with what it does.
///
/// ```
/// use report_scraper::rules::{Action, Rule};
/// let rule = Rule::new("site-ad", Action::DropLine, "^本站广告")?;
/// assert_eq!(rule.name(), "site-ad");
/// assert!(Rule::names().any(|n| n == "mobile-qr"));
/// # Ok::<(), report_scraper::Error>(())
/// ```
pub mod rules {
    pub use crate::clean::rules::{Action, Rule};
}

/// Bytes to text: the charset a page declares or its bytes show (UTF-8,
/// GBK/GB18030, Big5…), decoded with the WHATWG decoders. Extraction does
/// this itself; it is here for a program that wants the text alone.
///
/// ```
/// use report_scraper::encoding::{CharsetSource, decode};
/// let gbk = b"\xbc\xc6\xc9\xfa\xd0\xad"; // 计生协 in GBK
/// let d = decode(gbk, Some("text/html; charset=gbk"))?;
/// assert_eq!((d.text.as_str(), d.encoding), ("计生协", "GBK"));
/// assert_eq!(d.found_by, CharsetSource::Http);
/// # Ok::<(), report_scraper::Error>(())
/// ```
pub mod encoding {
    pub use crate::html::decode::{CharsetSource, Decoded, decode};
}

/// How the crate is built, and why: `DESIGN.md`, for whoever changes it.
#[doc = include_str!("../DESIGN.md")]
pub mod design {}

/// The code in README.md, compiled and run as doc tests so it cannot rot.
#[cfg(all(doctest, feature = "crawl"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The article of a page's raw bytes, with the default [`Extractor`].
///
/// ```
/// let a = report_scraper::extract("<p>正文第一段,这里是内容。</p>".as_bytes(), None)?;
/// assert_eq!(a.text(), "正文第一段,这里是内容。");
/// # Ok::<(), report_scraper::Error>(())
/// ```
///
/// # Errors
/// See [`Extractor::extract`].
pub fn extract(bytes: &[u8], url: Option<&str>) -> Result<Article, Error> {
    extract::shared().extract(bytes, url)
}

/// The article in text already pulled out of a page, with the default [`Extractor`].
///
/// ```
/// let a = report_scraper::clean_text("正文,内容。\n点赞\n转发")?;
/// assert_eq!(a.text(), "正文,内容。");
/// assert!(report_scraper::clean_text("").is_err());
/// # Ok::<(), report_scraper::Error>(())
/// ```
///
/// # Errors
/// See [`Extractor::clean_text`].
pub fn clean_text(text: &str) -> Result<Article, Error> {
    extract::shared().clean_text(text)
}
