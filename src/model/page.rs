//! What extraction returns: the page, with its articles, what was removed, and its links.

use serde::{Deserialize, Serialize};
use url::Url;

use super::article::{Article, BlockKind, Removal};
use super::date::DateCandidate;
use crate::error::{Error, ErrorKind};

/// One page, extracted: the articles it holds (most pages hold one), every
/// removal the cleaner made, and — when asked for — the links it carries.
///
/// Facts about the page live here; facts about an article live on its
/// [`Article`]. A page whose text holds no article (a list of links, a
/// menu) is still a `Page`, with no articles.
///
/// ```
/// use report_scraper::{Extractor, Input};
/// let html = "<body><p>第一篇文章第一段,内容。</p><p>第一篇第二段,内容。</p><p>第一篇第三段,内容。</p>\
///   <p>厦门召开会议推进家庭健康促进行动</p><p>11月8日上午,厦门市计生协召开推进会,总结经验。</p></body>";
/// let page = Extractor::new().page(Input::html(html.as_bytes()))?;
/// assert_eq!(page.articles.len(), 2);
/// assert_eq!(page.articles[1].title.as_deref(), Some("厦门召开会议推进家庭健康促进行动"));
/// assert_eq!(page.articles[1].published.as_ref().unwrap().value.to_string(), "--11-08");
/// // The page's text is every article's, the later headlines included.
/// assert!(page.text().contains("厦门召开会议推进家庭健康促进行动\n11月8日上午"));
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Page {
    /// The page's address, when the caller gave one.
    pub url: Option<String>,
    /// The articles, in page order. Empty when no text on the page reads like one.
    pub articles: Vec<Article>,
    /// Every piece of text the cleaner took out of the page, with the rule that did it.
    pub removed: Vec<Removal>,
    /// The page's links, in page order, each once; collected only when the
    /// input [asks for them](crate::Input::with_links).
    pub links: Vec<Link>,
    /// Every date the page carries that could be its first article's
    /// publish date, best first, each with the evidence that scored it.
    pub dates: Vec<DateCandidate>,
}

impl Page {
    /// The page's first (for most pages, only) article.
    ///
    /// ```
    /// let page = report_scraper::Extractor::new().page(report_scraper::Input::text("首页\n新闻\n通知公告"))?;
    /// assert!(page.article().is_none()); // a menu, not an article
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn article(&self) -> Option<&Article> {
        self.articles.first()
    }

    /// The first article, or [`ErrorKind::NoContent`] when the page holds none.
    ///
    /// ```
    /// use report_scraper::{Extractor, Input};
    /// let page = Extractor::new().page(Input::text("正文第一段,这里是内容。"))?;
    /// assert_eq!(page.into_article()?.text(), "正文第一段,这里是内容。");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::NoContent`] when no text on the page reads like an article.
    pub fn into_article(self) -> Result<Article, Error> {
        self.articles.into_iter().next().ok_or_else(|| Error::new(ErrorKind::NoContent))
    }

    /// The text of the whole page: every article's running text (see
    /// [`Article::text`]: captions left out), one block a line, each later
    /// article opening with its headline.
    ///
    /// ```
    /// let page = report_scraper::Extractor::new().page(report_scraper::Input::text("第一段,内容。\n第二段,内容。"))?;
    /// assert_eq!(page.text(), "第一段,内容。\n第二段,内容。");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, article) in self.articles.iter().enumerate() {
            let headline = article.title.as_deref().filter(|_| i > 0);
            let running = article.blocks.iter().filter(|b| b.kind != BlockKind::Caption);
            for line in headline.into_iter().chain(running.map(|b| b.text.as_str())) {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(line);
            }
        }
        out
    }

    /// True when a paywall stub says some article of the page is not shown whole.
    ///
    /// ```
    /// let page = report_scraper::Extractor::new().page(report_scraper::Input::text("开头。……(未完,全文共4443字,当前只显示2468字)"))?;
    /// assert!(page.is_truncated());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn is_truncated(&self) -> bool {
        self.articles.iter().any(|a| a.truncated.is_some())
    }
}

/// A link found on a page.
///
/// ```
/// use report_scraper::{Extractor, Input};
/// let html = r#"<a href="/a/1.html#top">第一篇</a> <a href="index_2.html">下一页</a>"#;
/// let page = Extractor::new().page(Input::html(html.as_bytes()).url("http://www.example.cn/news/").with_links())?;
/// assert_eq!(page.links[0].url.as_str(), "http://www.example.cn/a/1.html");
/// assert!(page.links[1].next_page);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Link {
    /// The absolute address as the page gives it, without its fragment.
    pub url: Url,
    /// The link's text.
    pub text: String,
    /// A pagination link of a list page (下一页, `index_2.html`, `?page=2`,
    /// or a page a pagination script writes).
    pub next_page: bool,
    /// How the page gives it.
    pub kind: LinkKind,
    /// For a link that is a form sent to its address (a postback pager, a
    /// list's data request): what is sent. `None` for an ordinary link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<Post>,
}

/// A form a link sends by `POST` (`application/x-www-form-urlencoded`): an
/// ASP.NET pager's postback with the page's view state, a Java CMS's
/// `goPage(n)` form, a Hanweb JCMS column's data request.
///
/// ```
/// use report_scraper::{Extractor, Input, LinkKind};
/// let html = r#"<form method="post" action="./list.aspx"><input type="hidden" name="__VIEWSTATE" value="dDwx">
///   <a href="javascript:__doPostBack('Pager1','2')">2</a></form>"#;
/// let page = Extractor::new().page(Input::html(html.as_bytes()).url("http://a.cn/col/list.aspx").with_links())?;
/// let link = &page.links[0];
/// assert_eq!((link.kind, link.next_page), (LinkKind::Postback, true));
/// let post = link.post.as_ref().unwrap();
/// assert_eq!(post.body, "__VIEWSTATE=dDwx&__EVENTTARGET=Pager1&__EVENTARGUMENT=2");
/// // The page it asks for, without the view state that changes from page to page.
/// assert_eq!(post.selects, "__EVENTTARGET=Pager1&__EVENTARGUMENT=2");
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Post {
    /// The form's fields, URL-encoded, as a browser sends them.
    pub body: String,
    /// The fields that choose what the answer holds (the control and the
    /// page number, not a view state that changes with every page): with
    /// the address, what tells two such requests apart.
    pub selects: String,
}

/// How a page gives a link.
///
/// ```
/// use report_scraper::{Extractor, Input, LinkKind};
/// let html = r#"<meta http-equiv="refresh" content="0; url=/xwzx/index.html"><iframe src="/col/list.html"></iframe>
///   <script>var countPage = 3; createPageHTML(countPage, 0, "index", "html");</script>"#;
/// let page = Extractor::new().page(Input::html(html.as_bytes()).url("http://a.cn/xwzx/index.html").with_links())?;
/// let kinds: Vec<(LinkKind, &str)> = page.links.iter().map(|l| (l.kind, l.url.path())).collect();
/// assert_eq!(kinds, [
///     (LinkKind::Refresh, "/xwzx/index.html"),
///     (LinkKind::Frame, "/col/list.html"),
///     (LinkKind::Script, "/xwzx/index_1.html"),
///     (LinkKind::Script, "/xwzx/index_2.html"),
/// ]);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkKind {
    /// `<a href>` or `<area href>`.
    Anchor,
    /// The source of an `<iframe>` or `<frame>`: part of the page, shown elsewhere.
    Frame,
    /// `<meta http-equiv="refresh">`: where the page sends the browser.
    Refresh,
    /// A page of a list that a pagination script writes (TRS `createPageHTML`…).
    Script,
    /// An RSS or Atom feed the page announces (`<link rel="alternate"
    /// type="application/rss+xml">`): a list of the site's newest articles.
    Feed,
    /// An address a script or an event handler opens (`onclick="window.open('…')"`,
    /// `location.href='…'`), or a link written inside a script (`document.write`,
    /// a JCMS XML datastore's records).
    Scripted,
    /// A further page of a list that exists only as a form sent back to the
    /// server: an ASP.NET pager (`__doPostBack`), a `goPage(n)` form.
    Postback,
    /// A further group of a list's records asked from the list's data
    /// endpoint (Hanweb JCMS `dataproxy.jsp`).
    Endpoint,
    /// The address the page names as its own (`<link rel="canonical">`).
    Canonical,
}

impl LinkKind {
    /// Whether following the link goes a level deeper: an anchor (or a
    /// scripted link) does; a frame, a refresh or a further page of the same
    /// list does not.
    pub fn goes_deeper(self) -> bool {
        matches!(self, LinkKind::Anchor | LinkKind::Scripted)
    }
}

/// An address on the page, absolute, http(s) and without its fragment.
pub(crate) fn absolute(href: &str, base: Option<&Url>) -> Option<Url> {
    let href = href.trim();
    let mut url = match base {
        Some(b) => b.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}
