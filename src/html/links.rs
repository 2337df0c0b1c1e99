//! The page's links, resolved against its address (or its `<base href>`),
//! with pagination links of list pages told apart — including the pages a
//! pagination script writes, which no anchor carries.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use super::doc::{RawLink, Submit};
use super::forms::{Form, Submission, is_pager, page_call, paging_form, postback};
use crate::model::{Link, LinkKind, Post, absolute};
use crate::text::squash_space;

/// Pages a pagination script may write, at most.
const MAX_SCRIPT_PAGES: u32 = 2000;

/// Link texts of "next page" links on list pages.
const NEXT_TEXTS: &[&str] = &["下一页", "下页", "后页", "next", "next page", "›", "»", ">", ">>"];

/// Query parameters that number the pages of a list.
const PAGE_PARAMS: &[&str] = &["page", "p", "pageno", "pageNo", "pn"];

/// Every http(s) link, absolute and without its fragment, in page order,
/// each once (a form sent to one address once per page it asks for). Links
/// that send a form are made from the page's `forms`, read whole by now.
/// Without a page address only absolute links can be read.
pub(crate) fn resolve(raw: Vec<RawLink>, forms: &[Form], base: Option<&str>, page: Option<&str>) -> Vec<Link> {
    let base = self::base(base, page);
    let mut seen: HashMap<(Url, Option<String>), usize> = HashMap::new();
    let mut out: Vec<Link> = Vec::new();
    for link in raw {
        let text = squash_space(&link.text);
        let Some((url, post)) = target(&link, &text, forms, base.as_ref()) else { continue };
        let key = (url.clone(), post.as_ref().map(|p| p.selects.clone()));
        if let Some(&at) = seen.get(&key) {
            // A pager names the next page twice ("2" and 下一页): the link keeps the words that say so.
            if says_next(&text) && !says_next(&out[at].text) {
                out[at].text = text;
            }
            continue;
        }
        seen.insert(key, out.len());
        let next_page = match link.kind {
            LinkKind::Script | LinkKind::Postback | LinkKind::Endpoint => true,
            LinkKind::Anchor | LinkKind::Scripted => is_next_page(&text, &url),
            _ => false,
        };
        out.push(Link { url, text, next_page, kind: link.kind, post });
    }
    out
}

/// Where a link leads, and the form it sends there.
fn target(link: &RawLink, text: &str, forms: &[Form], base: Option<&Url>) -> Option<(Url, Option<Post>)> {
    let action = |form: &Form| absolute(form.action.as_deref().unwrap_or_default(), base);
    match &link.submit {
        None => Some((absolute(&link.href, base)?, None)),
        Some(Submit::Body(post)) => Some((absolute(&link.href, base)?, Some(post.clone()))),
        Some(Submit::PostBack { form, target, argument }) => {
            let form = forms.get(*form)?;
            if !is_pager(target, argument, text) || !form.post {
                return None;
            }
            Some((action(form)?, Some(postback(form, target, argument)?)))
        }
        Some(Submit::Page { form, page }) => {
            let form = forms.get(form.or_else(|| paging_form(forms))?)?;
            let mut url = action(form)?;
            match page_call(form, *page)? {
                Submission::Post(post) => Some((url, Some(post))),
                Submission::Query(query) => {
                    url.set_query(Some(&query));
                    Some((url, None))
                }
            }
        }
    }
}

/// What relative addresses resolve against: `<base href>` (itself resolved
/// against the page's address), else the page's address.
pub(crate) fn base(base: Option<&str>, page: Option<&str>) -> Option<Url> {
    let page = page.and_then(|u| Url::parse(u).ok());
    match (base, &page) {
        (Some(b), Some(p)) => p.join(b.trim()).ok().or(page.clone()),
        (Some(b), None) => Url::parse(b.trim()).ok(),
        (None, p) => p.clone(),
    }
}

/// Whether a link's text says it leads to the next page (下一页, ›).
pub(crate) fn says_next(text: &str) -> bool {
    NEXT_TEXTS.contains(&text.trim().to_lowercase().as_str())
}

/// A "next page" link, by its text (下一页, ›) or its address (`index_2.html`, `?page=3`).
fn is_next_page(text: &str, url: &Url) -> bool {
    if says_next(text) {
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

/// The address a `<meta http-equiv="refresh" content="0; url=…">` sends to.
pub(crate) fn refresh_target(content: &str) -> Option<&str> {
    let (_, rest) = content.split_once([';', ','])?;
    let rest = rest.trim_start();
    let value = match rest.get(..3) {
        Some(u) if u.eq_ignore_ascii_case("url") => rest.get(3..)?.trim_start().strip_prefix('=')?.trim(),
        _ => rest.trim(),
    };
    let value = value.trim_matches(|c| c == '\'' || c == '"').trim();
    (!value.is_empty()).then_some(value)
}

/// `createPageHTML(…)` calls, as TRS and the CMSs that copied it print them.
static PAGE_CALL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"createPageHTML\s*\(([^)]{0,200})\)").expect("valid pagination pattern"));

/// `var countPage = 5`, `countPage=5`: a number given to a variable.
static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:var\s+)?([A-Za-z_$][\w$]*)\s*=\s*(\d{1,6})(?-u:\b)").expect("valid assignment pattern")
});

/// The pages of a list that a pagination script writes (relative addresses,
/// the first page included): `createPageHTML(countPage, currentPage,
/// "index", "html")` with the numbers given or assigned in the script, and
/// a bare `var countPage = 5`, which TRS pages print for the same
/// `index_N.html` pages.
pub(crate) fn script_pages(script: &str) -> Vec<String> {
    if !script.contains("createPageHTML") && !script.contains("countPage") {
        return Vec::new();
    }
    let vars: Vec<(&str, u32)> = ASSIGNMENT
        .captures_iter(script)
        .filter_map(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str().parse().ok()?)))
        .collect();
    let value = |arg: &str| arg.parse::<u32>().ok().or_else(|| vars.iter().rev().find(|(n, _)| *n == arg).map(|v| v.1));
    let (count, name, ext) = match PAGE_CALL.captures(script) {
        Some(call) => {
            let args: Vec<&str> = call.get(1).map_or("", |m| m.as_str()).split(',').map(str::trim).collect();
            let strings: Vec<&str> = args
                .iter()
                .filter(|a| a.starts_with(['"', '\'']))
                .map(|a| a.trim_matches(|c| c == '"' || c == '\''))
                .collect();
            let numbers: Vec<u32> =
                args.iter().filter(|a| !a.starts_with(['"', '\''])).filter_map(|a| value(a)).collect();
            let [.., name, ext] = strings.as_slice() else { return Vec::new() };
            let Some(&count) = numbers.first() else { return Vec::new() };
            (count, *name, *ext)
        }
        None => match value("countPage") {
            Some(count) => (count, "index", "html"),
            None => return Vec::new(),
        },
    };
    let safe = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    if !safe(name) || !safe(ext) {
        return Vec::new();
    }
    (0..count.min(MAX_SCRIPT_PAGES))
        .map(|i| if i == 0 { format!("{name}.{ext}") } else { format!("{name}_{i}.{ext}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(href: &str, text: &str) -> RawLink {
        RawLink { text: text.into(), ..RawLink::new(href, LinkKind::Anchor) }
    }

    #[test]
    fn refresh_targets() {
        assert_eq!(refresh_target("0; url=/xwzx/index.html"), Some("/xwzx/index.html"));
        assert_eq!(refresh_target("0;URL='http://a.cn/b/'"), Some("http://a.cn/b/"));
        assert_eq!(refresh_target("5, /next.html"), Some("/next.html"));
        assert_eq!(refresh_target("30"), None);
    }

    #[test]
    fn pagination_scripts_write_their_pages() {
        let trs = "var countPage = 4//共多少页\nvar currentPage = 0//当前页\ncreatePageHTML(countPage, currentPage, \"index\", \"html\");";
        assert_eq!(script_pages(trs), ["index.html", "index_1.html", "index_2.html", "index_3.html"]);
        assert_eq!(
            script_pages("createPageHTML('page_div', 3, 1, 'list', 'shtml', 45);"),
            ["list.shtml", "list_1.shtml", "list_2.shtml"]
        );
        assert_eq!(script_pages("var countPage = 2;"), ["index.html", "index_1.html"]);
        assert!(
            script_pages("var a = 1; createPageHTML(n, 0, 'index', 'html');").is_empty(),
            "an unknown count writes nothing"
        );
        assert!(script_pages("createPageHTML(3, 0, '../x', 'html')").is_empty(), "names stay plain");
        let bound = MAX_SCRIPT_PAGES as usize;
        assert_eq!(script_pages("createPageHTML(99999999, 0, 'index', 'html')").len(), bound, "a count is bounded");
        assert_eq!(script_pages("var countPage = 50000;").len(), bound);
    }

    #[test]
    fn links_resolve_against_the_page_or_its_base() {
        let links = resolve(
            vec![raw("a/1.html#top", " 第一篇 "), raw("mailto:a@b.cn", "信"), raw("a/1.html", "again"), raw("/x", "x")],
            &[],
            None,
            Some("http://a.cn/news/"),
        );
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["http://a.cn/news/a/1.html", "http://a.cn/x"]);
        assert_eq!(links[0].text, "第一篇");
        let based = resolve(vec![raw("1.html", "一")], &[], Some("http://b.cn/list/"), Some("http://a.cn/"));
        assert_eq!(based[0].url.as_str(), "http://b.cn/list/1.html");
        assert!(
            resolve(vec![raw("1.html", "一")], &[], None, None).is_empty(),
            "relative with nothing to resolve against"
        );
    }

    #[test]
    fn pagination_links() {
        let links = resolve(
            vec![raw("index_1.html", "2"), raw("?page=3", "3"), raw("t1.html", "文章"), raw("x", "下一页")],
            &[],
            None,
            Some("http://a.cn/tzgg/"),
        );
        let next: Vec<bool> = links.iter().map(|l| l.next_page).collect();
        assert_eq!(next, [true, true, false, true]);
    }
}
