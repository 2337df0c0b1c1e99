//! What extraction is given: a page's bytes or text already pulled out of
//! one, and what is known about it.

use std::time::Duration;

use jiff::Timestamp;

/// A page to extract, and what the caller knows about it. Build one with
/// [`Input::html`] or [`Input::text`] and add what is known.
///
/// ```
/// use report_scraper::{Extractor, Input};
/// let (gbk, _, _) = encoding_rs::GBK.encode("<p>计划生育协会召开工作会议,部署全年任务。</p>");
/// let input = Input::html(&gbk)
///     .url("https://www.example.gov.cn/art/2023/3/7/art_1.html")
///     .content_type("text/html; charset=GBK");
/// let page = Extractor::default().page(input)?;
/// assert_eq!(page.text(), "计划生育协会召开工作会议,部署全年任务。");
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct Input<'a> {
    pub(crate) body: Body<'a>,
    pub(crate) url: Option<&'a str>,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) now: Option<Timestamp>,
    pub(crate) links: bool,
    pub(crate) details: bool,
    pub(crate) budget: Option<Duration>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Body<'a> {
    /// Raw bytes, to be decoded.
    Html(&'a [u8]),
    /// HTML decoded already.
    HtmlStr(&'a str),
    Text(&'a str),
}

impl<'a> Input<'a> {
    /// A body with every setting at its default.
    fn of(body: Body<'a>) -> Input<'a> {
        Input { body, url: None, content_type: None, now: None, links: false, details: false, budget: None }
    }

    /// A page's raw bytes, in any encoding these sites use (UTF-8,
    /// GBK/GB18030, Big5…): decoded, parsed and read as HTML.
    ///
    /// ```
    /// let page = report_scraper::Extractor::default().page(report_scraper::Input::html(b"<p>Hello, world.</p>"))?;
    /// assert_eq!(page.text(), "Hello, world.");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn html(bytes: &'a [u8]) -> Input<'a> {
        Input::of(Body::Html(bytes))
    }

    /// A page's HTML decoded already (from an HTTP client's text, say):
    /// read as HTML without decoding again.
    ///
    /// ```
    /// let html = String::from("<p>会议在广州召开,部署全年任务。</p>");
    /// let page = report_scraper::Extractor::default().page(report_scraper::Input::html_str(&html))?;
    /// assert_eq!(page.text(), "会议在广州召开,部署全年任务。");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn html_str(html: &'a str) -> Input<'a> {
        Input::of(Body::HtmlStr(html))
    }

    /// Text already pulled out of a page, one block a line: the same rules,
    /// metadata and repair as for HTML, with the article found in the text.
    /// The first line may be the page's `<title>`; it is used as a hint for
    /// the headline.
    ///
    /// ```
    /// use report_scraper::{Extractor, Input};
    /// let page = Extractor::default().page(Input::text("热点新闻\n会议召开\n2025-02-20 21:14 浏览:374\n会议在广州召开,部署任务。"))?;
    /// assert_eq!(page.articles[0].title.as_deref(), Some("会议召开"));
    /// assert_eq!(page.text(), "会议在广州召开,部署任务。");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn text(text: &'a str) -> Input<'a> {
        Input::of(Body::Text(text))
    }

    /// The page's address: links are resolved against it, and a date in it
    /// (`/t20230307_1.html`, `/2023/0307/`) is the last resort for the publish date.
    ///
    /// ```
    /// use report_scraper::{Extractor, Input};
    /// let html = "<p>会议在广州召开,总结工作,部署任务。</p>".as_bytes();
    /// let page = Extractor::default().page(Input::html(html).url("https://a.cn/2023/0307/c1.html"))?;
    /// assert_eq!(page.articles[0].published.as_ref().unwrap().value.to_string(), "2023-03-07");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn url(mut self, url: &'a str) -> Input<'a> {
        self.url = Some(url);
        self
    }

    /// The HTTP `Content-Type` header's value: its charset is tried before
    /// the page's own `<meta>`, if the bytes decode cleanly with it.
    ///
    /// ```
    /// use report_scraper::{Extractor, Input};
    /// let (big5, _, _) = encoding_rs::BIG5.encode("<p>本會召開年度會員大會,討論來年的重點計畫。</p>");
    /// let page = Extractor::default().page(Input::html(&big5).content_type("text/html; charset=big5"))?;
    /// assert_eq!(page.text(), "本會召開年度會員大會,討論來年的重點計畫。");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn content_type(mut self, content_type: &'a str) -> Input<'a> {
        self.content_type = Some(content_type);
        self
    }

    /// When the page was fetched: relative dates (`昨天 14:30`, `3小时前`)
    /// are read against it, in the page's time zone (+08:00 unless it says
    /// otherwise). Without it they are left out, never guessed.
    ///
    /// ```
    /// use report_scraper::{Extractor, Input};
    /// let text = "会议召开\n发布时间:昨天 14:30\n会议在广州召开,部署任务。";
    /// let fetched: jiff::Timestamp = "2025-02-21T02:00:00Z".parse().unwrap(); // 10:00 in Beijing
    /// let page = Extractor::default().page(Input::text(text).reference_time(fetched))?;
    /// assert_eq!(page.articles[0].published.as_ref().unwrap().value.to_string(), "2025-02-20T14:30:00+08:00");
    /// let page = Extractor::default().page(Input::text(text))?;
    /// assert!(page.articles[0].published.is_none());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn reference_time(mut self, now: Timestamp) -> Input<'a> {
        self.now = Some(now);
        self
    }

    /// Collect the page's links into [`Page::links`](crate::Page::links),
    /// resolved against its address or its `<base href>` (HTML only; off by
    /// default, as extraction alone need not resolve every address).
    ///
    /// ```
    /// use report_scraper::{Extractor, Input};
    /// let html = r#"<p>正文,内容。</p><a href="/a/2.html#top">下一篇</a>"#;
    /// let input = Input::html(html.as_bytes()).url("https://a.cn/a/1.html");
    /// assert!(Extractor::default().page(input)?.links.is_empty());
    /// let page = Extractor::default().page(input.with_links())?;
    /// assert_eq!(page.links[0].url.as_str(), "https://a.cn/a/2.html");
    /// assert_eq!(page.links[0].text, "下一篇");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn with_links(mut self) -> Input<'a> {
        self.links = true;
        self
    }

    /// Collect each article's links and images ([`Article::links`],
    /// [`Article::images`]) and detect its language when the page declares
    /// none ([`Article::lang`]). Off by default: extraction alone need not
    /// resolve every address nor read the text for its language.
    ///
    /// ```
    /// use report_scraper::{Extractor, Input};
    /// let html = r#"<h1>会议召开</h1><p>会议指出,要按照<a href="/zcwj/1.html">通知要求</a>做好各项工作,推动协会工作提质增效。</p>
    ///   <p>会议要求,各级计生协要聚焦生育支持和家庭健康服务,更好服务广大群众。</p>"#;
    /// let input = Input::html_str(html).url("https://a.cn/xwzx/2.html");
    /// let plain = Extractor::default().page(input)?.into_article()?;
    /// assert!(plain.links.is_empty() && plain.lang.is_none());
    /// let a = Extractor::default().page(input.with_details())?.into_article()?;
    /// assert_eq!(a.links[0].url.as_str(), "https://a.cn/zcwj/1.html");
    /// assert_eq!(a.links[0].text, "通知要求");
    /// assert_eq!(a.lang.as_deref(), Some("zh"));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// [`Article::links`]: crate::Article::links
    /// [`Article::images`]: crate::Article::images
    /// [`Article::lang`]: crate::Article::lang
    pub fn with_details(mut self) -> Input<'a> {
        self.details = true;
        self
    }

    /// Gives up with [`ExtractTimeout`](crate::ErrorKind::ExtractTimeout)
    /// when extraction takes longer. Work is linear in the page's size
    /// (nesting and attribute floods are bounded), so this is a guard for
    /// a crawler's workers, not a limit ordinary pages meet.
    ///
    /// ```
    /// use std::time::Duration;
    /// use report_scraper::{ErrorKind, Extractor, Input};
    /// let page = "<p>段落,内容。</p>".repeat(100_000);
    /// let err = Extractor::default().page(Input::html(page.as_bytes()).time_budget(Duration::ZERO)).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::ExtractTimeout { .. }));
    /// ```
    pub fn time_budget(mut self, budget: Duration) -> Input<'a> {
        self.budget = Some(budget);
        self
    }

    /// The input's size in bytes.
    pub(crate) fn len(&self) -> usize {
        match self.body {
            Body::Html(b) => b.len(),
            Body::HtmlStr(t) | Body::Text(t) => t.len(),
        }
    }
}

/// An HTTP date (`Tue, 15 Nov 1994 08:12:31 GMT`, RFC 9110's IMF-fixdate):
/// a response's `Date`, the reference for its page's relative dates.
#[cfg(any(feature = "fetch", feature = "warc"))]
pub(crate) fn http_date(value: &str) -> Option<Timestamp> {
    jiff::fmt::rfc2822::parse(value.trim()).ok().map(|z| z.timestamp())
}

#[cfg(all(test, any(feature = "fetch", feature = "warc")))]
mod http_date_tests {
    use super::http_date;

    #[test]
    fn http_dates_are_read() {
        let t = http_date("Tue, 15 Nov 1994 08:12:31 GMT").unwrap();
        assert_eq!(t.to_string(), "1994-11-15T08:12:31Z");
        assert!(http_date("yesterday").is_none());
    }
}
