//! The front door: an immutable [`Extractor`] built once, used for any
//! number of pages, with one entry ([`Extractor::page`]) that every path
//! goes through: the one-line helpers, the fetcher and the crawler.

mod config;
mod input;

use std::sync::{Arc, LazyLock};
use std::time::Instant;

pub use config::{DEFAULT_MAX_BYTES, ExtractConfig, ExtractConfigBuilder};
pub use input::Input;
#[cfg(any(feature = "fetch", feature = "warc"))]
pub(crate) use input::http_date;

use self::input::Body;
use crate::clean;
use crate::clean::rules::{Rule, RuleSet};
use crate::error::{Error, ErrorKind};
use crate::html::{self, decode};
use crate::model::{Article, Page};
use crate::plain;

/// Extracts articles with a fixed configuration. Cheap to create, clone
/// and share across threads: the compiled rules are shared, not copied.
///
/// ```
/// use report_scraper::{ExtractConfig, Extractor, Input};
/// let text = "第一段正文,讲述会议召开的情况和主要内容。\n中国竞彩网\n第二段正文,讲述会议部署的重点工作任务。";
/// assert!(!report_scraper::clean_text(text)?.text().contains("中国竞彩网"));
/// let ex = Extractor::new(ExtractConfig::builder().disable_rule("gambling-spam").build())?;
/// assert!(ex.page(Input::text(text))?.text().contains("中国竞彩网"));
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Extractor {
    /// Shared, not copied, by clones: a cloned `regex::Regex` starts with
    /// cold match caches, which made an extractor made per page 3.4× slower
    /// than one reused. With the rules behind an `Arc`, every clone (and
    /// [`Extractor::default`], a clone of the process's default) runs on the
    /// same warm regexes.
    inner: Arc<Compiled>,
}

/// A configuration and the rule set compiled from it.
#[derive(Debug)]
struct Compiled {
    config: ExtractConfig,
    rules: RuleSet,
}

/// The HTML front end's reading of a decoded page, within the input's time budget.
fn read_html(text: &str, input: &Input<'_>, deadline: Option<Instant>) -> Result<html::Front, Error> {
    if text.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    let want = html::Want { links: input.links, details: input.details };
    html::read(text, input.url, want, deadline).ok_or_else(|| {
        let (url, budget) = (input.url.map(str::to_string), input.budget.unwrap_or_default());
        Error::new(ErrorKind::ExtractTimeout { url, budget })
    })
}

static DEFAULT: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::new(ExtractConfig::default()).expect("the default configuration is valid"));

/// The default extractor, compiled once per process.
pub(crate) fn shared() -> &'static Extractor {
    &DEFAULT
}

/// The built-in rules and default limits, compiled once per process and
/// shared by every default extractor.
///
/// ```
/// let ex = report_scraper::Extractor::default();
/// assert_eq!(ex.config().max_bytes(), report_scraper::DEFAULT_MAX_BYTES);
/// ```
impl Default for Extractor {
    fn default() -> Self {
        DEFAULT.clone()
    }
}

impl Extractor {
    /// Compiles an extractor from its configuration.
    ///
    /// ```
    /// use report_scraper::{ExtractConfig, Extractor};
    /// let ex = Extractor::new(ExtractConfig::builder().max_bytes(1 << 20).build())?;
    /// assert_eq!(ex.config().max_bytes(), 1 << 20);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::UnknownRule`] when the configuration switches off a
    /// rule no rule has, [`ErrorKind::FixedRule`] for `outside-article`.
    pub fn new(config: ExtractConfig) -> Result<Extractor, Error> {
        let rules = RuleSet::new(config.rules.clone(), config.builtin_rules(), &config.disabled)?;
        Ok(Extractor { inner: Arc::new(Compiled { config, rules }) })
    }

    /// The configuration it was made with.
    ///
    /// ```
    /// let ex = report_scraper::Extractor::default();
    /// assert!(ex.config().builtin_rules() && ex.config().rules().is_empty());
    /// ```
    pub fn config(&self) -> &ExtractConfig {
        &self.inner.config
    }

    /// Extracts a page: its articles, every removal, and its links when the
    /// input [asks for them](Input::with_links). The one entry every other way
    /// in goes through. A page with text but no article is not an error:
    /// it comes back with no articles (and its links).
    ///
    /// ```
    /// use report_scraper::{Extractor, Input};
    /// let html = "<html><head><title>会议召开_某某协会</title></head><body>\
    ///   <div class=nav><a href=/>首页</a> <a href=/a>新闻</a></div>\
    ///   <h1>会议召开</h1><div class=info>发布时间:2025-02-20 21:14 来源:省计生协</div>\
    ///   <div id=zoom><p>2月17日,全省计生协工作会议在广州召开,总结工作,部署任务。</p></div></body></html>";
    /// let page = Extractor::default().page(Input::html(html.as_bytes()).url("https://example.cn/a/1.html"))?;
    /// let a = &page.articles[0];
    /// assert_eq!(a.title.as_deref(), Some("会议召开"));
    /// assert_eq!(a.published.as_ref().unwrap().value.to_string(), "2025-02-20T21:14:00+08:00");
    /// assert_eq!(a.source.as_deref(), Some("省计生协"));
    /// assert_eq!(a.text(), "2月17日,全省计生协工作会议在广州召开,总结工作,部署任务。");
    /// assert!(page.removed.iter().any(|r| r.rule == "link-list" && r.text == "首页 新闻"));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Empty`] for no text, [`ErrorKind::TooLarge`] over the
    /// size cap, [`ErrorKind::NotHtml`] for images, PDFs and other binary data.
    pub fn page(&self, input: Input<'_>) -> Result<Page, Error> {
        let url = || input.url.map(str::to_string);
        let _span = tracing::debug_span!("extract", url = input.url.unwrap_or("-")).entered();
        // The clock is read only when someone listens.
        let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
        if input.len() > self.config().max_bytes() {
            return Err(Error::new(ErrorKind::TooLarge {
                url: url(),
                size: input.len(),
                limit: self.config().max_bytes(),
            }));
        }
        let deadline = input.budget.map(|b| Instant::now() + b);
        let (lines, mut ctx, links) = match input.body {
            Body::Html(bytes) => {
                let text = decode::decode_cow(bytes, input.content_type)?;
                let front = read_html(&text, &input, deadline)?;
                (front.lines, front.ctx, front.links)
            }
            Body::HtmlStr(text) => {
                let front = read_html(text, &input, deadline)?;
                (front.lines, front.ctx, front.links)
            }
            Body::Text(text) => {
                if text.trim().is_empty() {
                    return Err(Error::new(ErrorKind::Empty));
                }
                let (lines, ctx) = plain::read(text, input.url);
                (lines, ctx, Vec::new())
            }
        };
        ctx.now = input.now;
        ctx.detect_lang = input.details;
        let cleaned = clean::run(lines, &ctx, &self.inner.rules, deadline);
        let Some(clean::Cleaned { articles, removed, dates }) = cleaned else {
            let budget = input.budget.unwrap_or_default();
            return Err(Error::new(ErrorKind::ExtractTimeout { url: url(), budget }));
        };
        let page = Page { url: input.url.map(str::to_string), articles, removed, links, dates };
        if let Some(started) = started {
            log_page(&page, input.len(), started.elapsed());
        }
        Ok(page)
    }

    /// The article of a page's raw bytes, in any encoding: the page's first
    /// article (see [`page`](Self::page) for all of them).
    ///
    /// ```
    /// let a = report_scraper::Extractor::default().extract("<p>正文第一段,这里是内容。</p>".as_bytes(), None)?;
    /// assert_eq!(a.text(), "正文第一段,这里是内容。");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// As for [`page`](Self::page), and [`ErrorKind::NoContent`] when no text reads like an article.
    pub fn extract(&self, bytes: &[u8], url: Option<&str>) -> Result<Article, Error> {
        let input = Input::html(bytes);
        self.page(url.map_or(input, |u| input.url(u)))?.into_article()
    }

    /// The article in text already pulled out of a page (see [`Input::text`]).
    ///
    /// ```
    /// let a = report_scraper::Extractor::default().clean_text("热点新闻\n会议召开\n2025-02-20 21:14 浏览:374\n点击上方蓝字\n会议在广州召开,部署任务。\n编辑 | 康晓杰")?;
    /// assert_eq!(a.title.as_deref(), Some("会议召开"));
    /// assert_eq!(a.text(), "会议在广州召开,部署任务。");
    /// assert_eq!(a.editors, [report_scraper::model::Credit::new(Some("编辑"), "康晓杰")]);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// As for [`extract`](Self::extract).
    pub fn clean_text(&self, text: &str) -> Result<Article, Error> {
        self.page(Input::text(text))?.into_article()
    }

    /// The names of the pattern rules in use, in the order they are tried
    /// (paywall rules first); the pipeline's own rules are on unless switched off.
    ///
    /// ```
    /// use report_scraper::{ExtractConfig, Extractor};
    /// let ex = Extractor::new(ExtractConfig::builder().disable_rule("share-bar").build())?;
    /// assert!(!ex.rule_names().any(|n| n == "share-bar"));
    /// assert!(ex.rule_names().any(|n| n == "wechat-follow"));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn rule_names(&self) -> impl Iterator<Item = &str> {
        self.inner.rules.rules().map(Rule::name)
    }
}

/// What one extraction did, for a `tracing` subscriber: the page at debug
/// (size, articles, time, removals by rule), each removal's text at trace.
fn log_page(page: &Page, bytes: usize, elapsed: std::time::Duration) {
    let mut hits: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in &page.removed {
        *hits.entry(r.rule.as_str()).or_default() += 1;
        tracing::trace!(rule = %r.rule, text = %r.text, "removed");
    }
    let url = page.url.as_deref().unwrap_or("-");
    let rules: Vec<String> = hits.iter().map(|(rule, n)| format!("{rule}×{n}")).collect();
    tracing::debug!(url, bytes, articles = page.articles.len(), elapsed_us = elapsed.as_micros() as u64, removed = %rules.join(" "), "extracted");
}
