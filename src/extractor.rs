//! The configurable entry point: an immutable `Extractor` built once, used for any number of pages.

use std::sync::LazyLock;

use crate::article::Article;
use crate::clean::{self, Hints, RawLine, Want};
use crate::error::{Error, ErrorKind};
use crate::html;
use crate::noise::{Rule, RuleSet};

/// Pages larger than this are refused unless the builder raises the cap.
pub const DEFAULT_MAX_BYTES: usize = 32 * 1024 * 1024;

/// Extracts articles with a fixed configuration. Cheap to share across
/// threads; build one and reuse it.
///
/// ```
/// use report_scraper::Extractor;
/// let text = "第一段正文,讲述会议召开的情况和主要内容。\n中国竞彩网\n第二段正文,讲述会议部署的重点工作任务。";
/// assert!(!report_scraper::clean_text(text).text().contains("中国竞彩网"));
/// let ex = Extractor::builder().disable_rule("gambling-spam").build();
/// assert!(ex.clean_text(text).text().contains("中国竞彩网"));
/// ```
#[derive(Debug, Clone)]
pub struct Extractor {
    rules: RuleSet,
    max_bytes: usize,
}

/// Builds an [`Extractor`].
///
/// ```
/// let ex = report_scraper::Extractor::builder().max_bytes(1024).build();
/// assert!(ex.extract(&vec![b'a'; 2048], None).is_err());
/// ```
#[derive(Debug, Clone)]
pub struct ExtractorBuilder {
    user: Vec<Rule>,
    disabled: Vec<String>,
    builtin: bool,
    max_bytes: usize,
}

impl Default for ExtractorBuilder {
    fn default() -> Self {
        Self { user: Vec::new(), disabled: Vec::new(), builtin: true, max_bytes: DEFAULT_MAX_BYTES }
    }
}

impl ExtractorBuilder {
    /// Adds a rule; user rules are tried before the built-in ones.
    ///
    /// ```
    /// use report_scraper::{Action, Extractor, Rule};
    /// let ex = Extractor::builder()
    ///     .rule(Rule::new("house-ad", Action::DropLine, "^本站热线").unwrap())
    ///     .build();
    /// let a = ex.clean_text("第一段正文,讲述会议召开的情况。\n本站热线:12345\n第二段正文,讲述会议部署的任务。");
    /// assert_eq!(a.text(), "第一段正文,讲述会议召开的情况。\n第二段正文,讲述会议部署的任务。");
    /// assert!(a.removed.iter().any(|r| r.rule == "house-ad" && r.text == "本站热线:12345"));
    /// ```
    pub fn rule(mut self, rule: Rule) -> Self {
        self.user.push(rule);
        self
    }

    /// Switches off a built-in or user rule by name.
    ///
    /// ```
    /// let ex = report_scraper::Extractor::builder().disable_rule("mobile-qr").build();
    /// let a = ex.clean_text("第一段正文,讲述会议召开的情况。\n扫一扫在手机打开当前页\n第二段正文,讲述会议部署的任务。");
    /// assert!(a.text().contains("扫一扫"));
    /// ```
    pub fn disable_rule(mut self, name: &str) -> Self {
        self.disabled.push(name.to_string());
        self
    }

    /// Uses only the rules added with [`rule`](Self::rule).
    ///
    /// ```
    /// let ex = report_scraper::Extractor::builder().without_builtin_rules().build();
    /// let a = ex.clean_text("第一段正文,讲述会议召开的情况。\n点赞\n第二段正文,讲述会议部署的任务。");
    /// assert!(a.text().contains("点赞"));
    /// ```
    pub fn without_builtin_rules(mut self) -> Self {
        self.builtin = false;
        self
    }

    /// Refuses pages larger than `bytes` (default [`DEFAULT_MAX_BYTES`]).
    ///
    /// ```
    /// let ex = report_scraper::Extractor::builder().max_bytes(10).build();
    /// let err = ex.extract(b"<p>0123456789 0123456789</p>", None).unwrap_err();
    /// assert!(matches!(err.kind(), report_scraper::ErrorKind::TooLarge { .. }));
    /// ```
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// Compiles the rule set.
    ///
    /// ```
    /// let ex = report_scraper::Extractor::builder().build();
    /// assert_eq!(ex.clean_text("正文,内容。").text(), "正文,内容。");
    /// ```
    pub fn build(self) -> Extractor {
        let builtin = if self.builtin { Rule::builtin() } else { Vec::new() };
        let rules = self.user.into_iter().chain(builtin).filter(|r| !self.disabled.iter().any(|d| d == r.name())).collect();
        Extractor { rules: RuleSet::new(rules), max_bytes: self.max_bytes }
    }
}

static DEFAULT: LazyLock<Extractor> = LazyLock::new(|| Extractor::builder().build());

/// The default extractor, compiled once per process.
pub(crate) fn shared() -> &'static Extractor {
    &DEFAULT
}

impl Default for Extractor {
    fn default() -> Self {
        DEFAULT.clone()
    }
}

impl Extractor {
    /// An extractor with the built-in rules and default limits.
    ///
    /// ```
    /// let ex = report_scraper::Extractor::new();
    /// assert!(ex.clean_text("").is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a configuration.
    ///
    /// ```
    /// let ex = report_scraper::Extractor::builder().build();
    /// # let _ = ex;
    /// ```
    pub fn builder() -> ExtractorBuilder {
        ExtractorBuilder::default()
    }

    /// Extracts the article from a page's raw bytes in any encoding.
    /// On a page holding several articles it returns the first article's
    /// metadata with the whole page's body; see [`extract_all`](Self::extract_all).
    ///
    /// ```
    /// let html = "<html><head><title>会议召开_某某协会</title></head><body>\
    ///   <div class=nav><a href=/>首页</a> <a href=/a>新闻</a></div>\
    ///   <h1>会议召开</h1><div class=info>发布时间:2025-02-20 21:14 来源:省计生协</div>\
    ///   <div id=zoom><p>2月17日,全省计生协工作会议在广州召开,总结工作,部署任务。</p></div></body></html>";
    /// let a = report_scraper::extract(html.as_bytes(), Some("https://example.cn/a/1.html")).unwrap();
    /// assert_eq!(a.title.as_deref(), Some("会议召开"));
    /// assert_eq!(a.published.as_ref().unwrap().value.to_string(), "2025-02-20T21:14:00+08:00");
    /// assert_eq!(a.source.as_deref(), Some("省计生协"));
    /// assert_eq!(a.text(), "2月17日,全省计生协工作会议在广州召开,总结工作,部署任务。");
    /// ```
    ///
    /// # Errors
    /// Empty input, input over the size cap, binary input, or a page with no text.
    pub fn extract(&self, bytes: &[u8], url: Option<&str>) -> Result<Article, Error> {
        self.extract_with_content_type(bytes, url, None)
    }

    /// Like [`extract`](Self::extract), with the HTTP `Content-Type` header's
    /// value so its charset is honoured.
    ///
    /// ```
    /// let (gbk, _, _) = encoding_rs::GBK.encode("<p>计划生育协会召开工作会议,部署全年任务。</p>");
    /// let a = report_scraper::Extractor::new()
    ///     .extract_with_content_type(&gbk, None, Some("text/html; charset=GBK"))
    ///     .unwrap();
    /// assert_eq!(a.text(), "计划生育协会召开工作会议,部署全年任务。");
    /// ```
    ///
    /// # Errors
    /// As for [`extract`](Self::extract).
    pub fn extract_with_content_type(&self, bytes: &[u8], url: Option<&str>, content_type: Option<&str>) -> Result<Article, Error> {
        first(self.run_bytes(bytes, url, content_type, Want::Page)?)
    }

    /// Every article on the page, each with its own title, date and source.
    ///
    /// ```
    /// let html = "<body><p>第一篇文章第一段,内容。</p><p>第一篇第二段,内容。</p><p>第一篇第三段,内容。</p>\
    ///   <p>厦门召开会议推进家庭健康促进行动</p><p>11月8日上午,厦门市计生协召开推进会,总结经验。</p></body>";
    /// let all = report_scraper::extract_all(html.as_bytes(), None).unwrap();
    /// assert_eq!(all.len(), 2);
    /// assert_eq!(all[1].published.as_ref().unwrap().value.to_string(), "--11-08");
    /// ```
    ///
    /// # Errors
    /// As for [`extract`](Self::extract).
    pub fn extract_all(&self, bytes: &[u8], url: Option<&str>) -> Result<Vec<Article>, Error> {
        self.extract_all_with_content_type(bytes, url, None)
    }

    /// Like [`extract_all`](Self::extract_all), honouring the HTTP `Content-Type` charset.
    ///
    /// ```
    /// let (big5, _, _) = encoding_rs::BIG5.encode("<p>本會召開年度會員大會,討論來年的重點計畫。</p>");
    /// let all = report_scraper::Extractor::new()
    ///     .extract_all_with_content_type(&big5, None, Some("text/html; charset=big5"))
    ///     .unwrap();
    /// assert_eq!(all[0].text(), "本會召開年度會員大會,討論來年的重點計畫。");
    /// ```
    ///
    /// # Errors
    /// As for [`extract`](Self::extract).
    pub fn extract_all_with_content_type(&self, bytes: &[u8], url: Option<&str>, content_type: Option<&str>) -> Result<Vec<Article>, Error> {
        self.run_bytes(bytes, url, content_type, Want::Parts)
    }

    /// Extracts from an already decoded HTML string.
    ///
    /// ```
    /// let a = report_scraper::Extractor::new().extract_html("<p>正文第一段,这里是内容。</p>", None).unwrap();
    /// assert_eq!(a.text(), "正文第一段,这里是内容。");
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::NoContent`] when the page has no text.
    pub fn extract_html(&self, html: &str, url: Option<&str>) -> Result<Article, Error> {
        first(self.run_html(html, url, Want::Page)?)
    }

    /// Cleans text already pulled out of a page (one block a line): the same
    /// rules, metadata and repair as for HTML. The first line may be the
    /// page's `<title>`; it is used as a hint for the headline.
    ///
    /// ```
    /// let a = report_scraper::clean_text("热点新闻\n会议召开\n2025-02-20 21:14 浏览:374\n点击上方蓝字\n会议在广州召开,部署任务。\n编辑 | 康晓杰");
    /// assert_eq!(a.title.as_deref(), Some("会议召开"));
    /// assert_eq!(a.text(), "会议在广州召开,部署任务。");
    /// assert_eq!(a.editors, ["编辑 | 康晓杰"]);
    /// ```
    pub fn clean_text(&self, text: &str) -> Article {
        self.run_text(text, Want::Page).into_iter().next().unwrap_or_default()
    }

    /// Every article in a text, each with its own metadata.
    ///
    /// ```
    /// let t = "第一篇第一段,内容。\n第一篇第二段,内容。\n第一篇第三段,内容。\n厦门召开会议推进家庭健康促进行动\n11月8日上午,厦门市计生协召开推进会。\n(厦门市计划生育协会)";
    /// let all = report_scraper::clean_text_all(t);
    /// assert_eq!(all.len(), 2);
    /// assert_eq!(all[1].source.as_deref(), Some("厦门市计划生育协会"));
    /// ```
    pub fn clean_text_all(&self, text: &str) -> Vec<Article> {
        self.run_text(text, Want::Parts)
    }

    fn run_bytes(&self, bytes: &[u8], url: Option<&str>, content_type: Option<&str>, want: Want) -> Result<Vec<Article>, Error> {
        if bytes.len() > self.max_bytes {
            return Err(Error::new(ErrorKind::TooLarge { size: bytes.len(), limit: self.max_bytes }));
        }
        let page = crate::decode::decode_cow(bytes, content_type)?;
        self.run_html(&page, url, want)
    }

    /// The article of a page parsed already (the crawler parses once for links and article).
    #[cfg(feature = "crawl")]
    pub(crate) fn extract_parsed(&self, parsed: scraper::Html, url: Option<&str>) -> Result<Article, Error> {
        let (lines, hints) = html::parsed_lines(parsed, url);
        first(self.clean_lines(lines, &hints, Want::Page)?)
    }

    fn run_html(&self, html: &str, url: Option<&str>, want: Want) -> Result<Vec<Article>, Error> {
        if html.trim().is_empty() {
            return Err(Error::new(ErrorKind::Empty));
        }
        let (lines, hints) = html::page_lines(html, url);
        self.clean_lines(lines, &hints, want)
    }

    fn clean_lines(&self, lines: Vec<RawLine>, hints: &Hints, want: Want) -> Result<Vec<Article>, Error> {
        let out = clean::run(lines, hints, &self.rules, want);
        if out.iter().all(|a| a.is_empty() && a.title.is_none()) {
            return Err(Error::new(ErrorKind::NoContent));
        }
        Ok(out)
    }

    fn run_text(&self, text: &str, want: Want) -> Vec<Article> {
        let lines: Vec<RawLine> = text.lines().map(RawLine::text).collect();
        let first = text.lines().map(str::trim).find(|l| !l.is_empty());
        let hints = Hints { titles: first.map(str::to_string).into_iter().collect(), text_mode: true, ..Hints::default() };
        clean::run(lines, &hints, &self.rules, want)
    }
}

/// The one article of a [`Want::Page`] run.
fn first(mut articles: Vec<Article>) -> Result<Article, Error> {
    articles.pop().ok_or_else(|| Error::new(ErrorKind::NoContent))
}
