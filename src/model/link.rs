//! Links a page holds: their address, text and kind, and the form a
//! postback link sends.

use serde::{Deserialize, Serialize};
use url::Url;

/// A link found on a page.
///
/// ```
/// use report_scraper::{Extractor, Input};
/// let html = r#"<a href="/a/1.html#top">第一篇</a> <a href="index_2.html">下一页</a>"#;
/// let page = Extractor::default().page(Input::html(html.as_bytes()).url("http://www.example.cn/news/").with_links())?;
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
/// use report_scraper::{Extractor, Input, model::LinkKind};
/// let html = r#"<form method="post" action="./list.aspx"><input type="hidden" name="__VIEWSTATE" value="dDwx">
///   <a href="javascript:__doPostBack('Pager1','2')">2</a></form>"#;
/// let page = Extractor::default().page(Input::html(html.as_bytes()).url("http://a.cn/col/list.aspx").with_links())?;
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
/// use report_scraper::{Extractor, Input, model::LinkKind};
/// let html = r#"<meta http-equiv="refresh" content="0; url=/xwzx/index.html"><iframe src="/col/list.html"></iframe>
///   <script>var countPage = 3; createPageHTML(countPage, 0, "index", "html");</script>"#;
/// let page = Extractor::default().page(Input::html(html.as_bytes()).url("http://a.cn/xwzx/index.html").with_links())?;
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
