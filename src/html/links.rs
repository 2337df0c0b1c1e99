//! The page's links, resolved against its address (or its `<base href>`),
//! with pagination links of list pages told apart.

use std::collections::HashSet;

use url::Url;

use super::doc::RawLink;
use crate::model::Link;
use crate::text::squash_space;

/// Link texts of "next page" links on list pages.
const NEXT_TEXTS: &[&str] = &["下一页", "下页", "后页", "next", "next page", "›", "»", ">", ">>"];

/// Query parameters that number the pages of a list.
const PAGE_PARAMS: &[&str] = &["page", "p", "pageno", "pageNo", "pn"];

/// Every http(s) link, absolute and without its fragment, in page order, each once.
/// Without a page address only absolute links can be read.
pub(crate) fn resolve(raw: Vec<RawLink>, base: Option<&str>, page: Option<&str>) -> Vec<Link> {
    let page = page.and_then(|u| Url::parse(u).ok());
    let base = match (base, &page) {
        (Some(b), Some(p)) => p.join(b.trim()).ok().or(page.clone()),
        (Some(b), None) => Url::parse(b.trim()).ok(),
        (None, p) => p.clone(),
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for link in raw {
        let href = link.href.trim();
        let resolved = match &base {
            Some(b) => b.join(href),
            None => Url::parse(href),
        };
        let Ok(mut url) = resolved else { continue };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        url.set_fragment(None);
        if !seen.insert(url.clone()) {
            continue;
        }
        let text = squash_space(&link.text);
        let next_page = is_next_page(&text, &url);
        out.push(Link { url, text, next_page });
    }
    out
}

/// A "next page" link, by its text (下一页, ›) or its address (`index_2.html`, `?page=3`).
fn is_next_page(text: &str, url: &Url) -> bool {
    let t = text.trim().to_lowercase();
    if NEXT_TEXTS.contains(&t.as_str()) {
        return true;
    }
    let file = url.path().rsplit('/').next().unwrap_or_default();
    let numbered_index = file
        .strip_prefix("index_")
        .and_then(|r| r.split('.').next())
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let page_param = url.query_pairs().any(|(k, v)| PAGE_PARAMS.contains(&k.as_ref()) && v.parse::<u32>().is_ok());
    numbered_index || page_param
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(href: &str, text: &str) -> RawLink {
        RawLink { href: href.into(), text: text.into() }
    }

    #[test]
    fn links_resolve_against_the_page_or_its_base() {
        let links = resolve(
            vec![raw("a/1.html#top", " 第一篇 "), raw("mailto:a@b.cn", "信"), raw("a/1.html", "again"), raw("/x", "x")],
            None,
            Some("http://a.cn/news/"),
        );
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["http://a.cn/news/a/1.html", "http://a.cn/x"]);
        assert_eq!(links[0].text, "第一篇");
        let based = resolve(vec![raw("1.html", "一")], Some("http://b.cn/list/"), Some("http://a.cn/"));
        assert_eq!(based[0].url.as_str(), "http://b.cn/list/1.html");
        assert!(resolve(vec![raw("1.html", "一")], None, None).is_empty(), "relative with nothing to resolve against");
    }

    #[test]
    fn pagination_links() {
        let links = resolve(
            vec![raw("index_1.html", "2"), raw("?page=3", "3"), raw("t1.html", "文章"), raw("x", "下一页")],
            None,
            Some("http://a.cn/tzgg/"),
        );
        let next: Vec<bool> = links.iter().map(|l| l.next_page).collect();
        assert_eq!(next, [true, true, false, true]);
    }
}
