//! Addresses as the crawl keys them: one canonical spelling per page, and
//! the file types that are never pages.

use url::Url;

use crate::error::{Error, ErrorKind};

/// Query parameters that only track where a click came from (with every
/// `utm_*`). Parameters that can select content (`mod`, `loc`, `id`,
/// `sign`, `tid`, `from`…) are kept: a parameter is dropped only when it is
/// known to track.
const TRACKING: &[&str] = &[
    "spm",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "share_token",
    "isappinstalled",
    "wxfrom",
    "sharer_shareid",
    "sharer_sharetime",
    "scene",
    "refer_scene",
];

/// Index file names that stand for their folder.
const INDEX_FILES: &[&str] = &["index.html", "index.htm", "index.shtml", "default.html", "default.htm"];

/// The one spelling of an address, the key of the crawl's seen set: no
/// fragment, no tracking parameters, no `index.html`, sorted query,
/// lower-case host, no default port. The crawl fetches the address as the
/// page gives it (a server that answers `/xwzx/index.html` may not answer
/// `/xwzx/`); this form only tells two spellings of one page apart.
///
/// ```
/// use report_scraper::crawl::canonical_url;
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

/// File endings of links that are never pages. `.xml` is not one: a linked
/// `.xml` is most often a feed, read as a list of the site's articles.
const NOT_PAGES: &[&str] = &[
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".zip", ".rar", ".7z", ".gz", ".jpg", ".jpeg",
    ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".mp3", ".mp4", ".avi", ".wmv", ".flv", ".mov", ".css", ".js",
    ".apk", ".exe",
];

/// True when the address names a file that is never a page (a PDF, an image, a script…).
pub(crate) fn is_file(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    NOT_PAGES.iter().any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        let c = |s| canonical_url(s).unwrap().to_string();
        assert_eq!(c("https://a.cn/x/index.htm"), "https://a.cn/x/");
        assert_eq!(c("https://a.cn/x.html?spm=1.2&id=5#p"), "https://a.cn/x.html?id=5");
        assert_eq!(
            c("http://a.cn/list.jsp?utm_medium=x&mod=3&loc=2&sign=ab&tid=9&from=1"),
            "http://a.cn/list.jsp?from=1&loc=2&mod=3&sign=ab&tid=9"
        );
        assert_eq!(
            c("http://a.cn/list.jsp?utm_medium=x&mod=3&loc=2&sign=ab&tid=9"),
            "http://a.cn/list.jsp?loc=2&mod=3&sign=ab&tid=9"
        );
        assert_eq!(c("https://a.cn:443/x"), "https://a.cn/x");
        assert!(canonical_url("ftp://a.cn/x").is_err());
    }

    #[test]
    fn files_are_not_pages() {
        assert!(is_file(&"http://a.cn/doc/1.PDF".parse().unwrap()));
        assert!(!is_file(&"http://a.cn/a/1.html".parse().unwrap()));
    }
}
