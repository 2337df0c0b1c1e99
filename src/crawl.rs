//! Crawl helpers (feature `crawl`): canonical URLs, link discovery with pagination, sitemaps, article pages.

use std::io::Read;

use quick_xml::events::Event;
use scraper::{Html, Node};
use url::Url;

use crate::article::Article;
use crate::error::{Error, ErrorKind};

/// Query parameters that only track where a click came from.
const TRACKING: &[&str] = &[
    "spm", "from", "fbclid", "gclid", "share_token", "share", "scene", "isappinstalled", "wxfrom", "sharer_shareid",
    "sharer_sharetime", "mod", "loc", "rfunc", "cre", "doct", "tj_url", "hsid", "sign", "refer_scene",
];

/// Link texts of "next page" links on list pages.
const NEXT_TEXTS: &[&str] = &["下一页", "下页", "后页", "next", "next page", "›", "»", ">", ">>"];

/// Index file names that stand for their folder.
const INDEX_FILES: &[&str] = &["index.html", "index.htm", "index.shtml", "default.html", "default.htm"];

/// The one spelling of an address: no fragment, no tracking parameters,
/// no `index.html`, sorted query, lower-case host, no default port.
///
/// ```
/// use report_scraper::canonical_url;
/// let u = canonical_url("HTTP://WWW.Example.cn:80/news/index.html?utm_source=wx&b=2&a=1#top").unwrap();
/// assert_eq!(u.as_str(), "http://www.example.cn/news/?a=1&b=2");
/// ```
///
/// # Errors
/// [`ErrorKind::BadUrl`] when `url` is not an absolute http(s) address.
pub fn canonical_url(url: &str) -> Result<Url, Error> {
    let bad = |message: &str| Error::new(ErrorKind::BadUrl { url: url.to_string(), message: message.to_string() });
    let mut u = Url::parse(url.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(bad("only http and https are crawled"));
    }
    u.set_fragment(None);
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_") && !TRACKING.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let path = u.path().to_string();
    if let Some(dir) = INDEX_FILES.iter().find_map(|f| path.strip_suffix(f)).filter(|d| d.ends_with('/')) {
        u.set_path(dir);
    }
    Ok(u)
}

/// A link found on a page.
///
/// ```
/// let page = r#"<a href="/a/1.html">第一篇</a> <a href="index_2.html">下一页</a>"#;
/// let links = report_scraper::discover_links(page, &"http://www.example.cn/news/".parse().unwrap());
/// assert_eq!(links[0].url.as_str(), "http://www.example.cn/a/1.html");
/// assert!(links[1].next_page);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Link {
    /// The canonical absolute address.
    pub url: Url,
    /// The link's text.
    pub text: String,
    /// A pagination link of a list page (下一页, `index_2.html`, `?page=2`).
    pub next_page: bool,
}

/// Every http(s) link of a page, canonical, in page order, each once.
/// `<base href>` is honoured.
///
/// ```
/// let links = report_scraper::discover_links(r#"<a href="mailto:a@b.cn">信</a><a href="2.html#x">二</a><a href="2.html">二</a>"#,
///     &"https://a.cn/list/".parse().unwrap());
/// assert_eq!(links.len(), 1);
/// ```
pub fn discover_links(html: &str, base: &Url) -> Vec<Link> {
    links_in(&crate::html::parse(html), base)
}

/// [`discover_links`] on a page parsed already.
pub(crate) fn links_in(doc: &Html, base: &Url) -> Vec<Link> {
    let mut base = base.clone();
    let mut out: Vec<Link> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for node in doc.tree.root().descendants() {
        let Node::Element(el) = node.value() else { continue };
        match el.name() {
            "base" => {
                if let Some(b) = el.attr("href").and_then(|h| base.join(h).ok()) {
                    base = b;
                }
            }
            "a" | "area" => {
                let Some(href) = el.attr("href") else { continue };
                let Some(url) = base.join(href.trim()).ok().and_then(|u| canonical_url(u.as_str()).ok()) else { continue };
                if !seen.insert(url.clone()) {
                    continue;
                }
                let text: String = node.descendants().filter_map(|n| n.value().as_text().map(|t| t.to_string())).collect();
                let text = crate::text::squash_space(&text);
                let next_page = is_next_page(&text, &url);
                out.push(Link { url, text, next_page });
            }
            _ => {}
        }
    }
    out
}

fn is_next_page(text: &str, url: &Url) -> bool {
    let t = text.trim().to_lowercase();
    if NEXT_TEXTS.contains(&t.as_str()) {
        return true;
    }
    let file = url.path().rsplit('/').next().unwrap_or_default();
    let numbered_index = file.strip_prefix("index_").and_then(|r| r.split('.').next()).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let page_param = url.query_pairs().any(|(k, v)| matches!(k.as_ref(), "page" | "p" | "pageno" | "pageNo" | "pn") && v.parse::<u32>().is_ok());
    numbered_index || page_param
}

/// What a sitemap lists.
///
/// ```
/// let xml = br#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
///   <url><loc>http://a.cn/1.html</loc></url><url><loc> http://a.cn/2.html </loc></url></urlset>"#;
/// let s = report_scraper::parse_sitemap(xml).unwrap();
/// assert_eq!(s.pages, ["http://a.cn/1.html", "http://a.cn/2.html"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sitemap {
    /// Pages (`<urlset><url><loc>`).
    pub pages: Vec<String>,
    /// Further sitemaps (`<sitemapindex><sitemap><loc>`).
    pub sitemaps: Vec<String>,
}

/// Reads a sitemap or sitemap index, gzip-compressed or not.
///
/// # Errors
/// [`ErrorKind::BadSitemap`] when the XML (or gzip) is broken.
pub fn parse_sitemap(bytes: &[u8]) -> Result<Sitemap, Error> {
    let bad = |message: String| Error::new(ErrorKind::BadSitemap { message });
    let unzipped;
    let xml = if bytes.starts_with(b"\x1f\x8b") {
        let mut out = Vec::new();
        // Bound the output: a tiny gzip bomb must not fill memory.
        flate2::read::GzDecoder::new(bytes).take(100 * 1024 * 1024).read_to_end(&mut out).map_err(|e| bad(e.to_string()))?;
        unzipped = out;
        &unzipped[..]
    } else {
        bytes
    };
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Sitemap::default();
    let mut parents: Vec<Vec<u8>> = Vec::new();
    let mut loc: Option<String> = None;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).map_err(|e| bad(e.to_string()))? {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_vec();
                if name == b"loc" {
                    loc = Some(String::new());
                }
                parents.push(name);
            }
            Event::End(_) => {
                parents.pop();
                if let Some(text) = loc.take() {
                    // `<sitemap><loc>` names another sitemap; `<url><loc>` a page.
                    match parents.last().map(Vec::as_slice) {
                        Some(b"sitemap") => out.sitemaps.push(text.trim().to_string()),
                        _ => out.pages.push(text.trim().to_string()),
                    }
                }
            }
            Event::Text(t) => {
                if let Some(l) = loc.as_mut() {
                    l.push_str(&String::from_utf8_lossy(t.as_ref()));
                }
            }
            // Entities arrive on their own: `&amp;` in `?a=1&amp;b=2`.
            Event::GeneralRef(r) => {
                if let Some(l) = loc.as_mut() {
                    let name: &[u8] = r.as_ref();
                    l.push_str(match name {
                        b"amp" => "&",
                        b"lt" => "<",
                        b"gt" => ">",
                        b"quot" => "\"",
                        b"apos" => "'",
                        _ => "",
                    });
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        l.push(c);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Whether an extracted page is an article worth recording, not a list or
/// index page: a headline and a body of real length.
///
/// ```
/// let a = report_scraper::clean_text("全省计生协工作会议召开\n会议在广州召开,总结2024年工作,部署2025年重点任务。会议要求,各级计生协要全面深化改革,健全工作服务体系,扎实落实各项重点任务。");
/// assert!(report_scraper::looks_like_article(&a));
/// assert!(!report_scraper::looks_like_article(&report_scraper::clean_text("首页\n新闻\n通知公告")));
/// ```
pub fn looks_like_article(a: &Article) -> bool {
    let body = a.text();
    let m = crate::text::measure(&body);
    a.title.is_some() && m.units >= 50 && m.punct >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        let c = |s| canonical_url(s).unwrap().to_string();
        assert_eq!(c("https://a.cn/x/index.htm"), "https://a.cn/x/");
        assert_eq!(c("https://a.cn/x.html?spm=1.2&id=5#p"), "https://a.cn/x.html?id=5");
        assert_eq!(c("https://a.cn:443/x"), "https://a.cn/x");
        assert!(canonical_url("ftp://a.cn/x").is_err());
    }

    #[test]
    fn pagination_links() {
        let base: Url = "http://a.cn/tzgg/".parse().unwrap();
        let links = discover_links(r#"<a href="index_1.html">2</a><a href="?page=3">3</a><a href="t1.html">文章</a><a href="x">下一页</a>"#, &base);
        let next: Vec<bool> = links.iter().map(|l| l.next_page).collect();
        assert_eq!(next, [true, true, false, true]);
    }

    #[test]
    fn sitemap_entities_are_decoded() {
        let xml = br#"<urlset><url><loc>http://a.cn/list?a=1&amp;b=2</loc></url></urlset>"#;
        assert_eq!(parse_sitemap(xml).unwrap().pages, ["http://a.cn/list?a=1&b=2"]);
    }

    #[test]
    fn sitemap_index_and_gzip() {
        let xml = br#"<sitemapindex><sitemap><loc>http://a.cn/s1.xml</loc></sitemap></sitemapindex>"#;
        assert_eq!(parse_sitemap(xml).unwrap().sitemaps, ["http://a.cn/s1.xml"]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, b"<urlset><url><loc>http://a.cn/1.html</loc></url></urlset>").unwrap();
        let bytes = gz.finish().unwrap();
        assert_eq!(parse_sitemap(&bytes).unwrap().pages, ["http://a.cn/1.html"]);
        assert!(parse_sitemap(b"<urlset><url><loc>x</url>").is_err());
    }
}
