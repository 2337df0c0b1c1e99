//! RSS, Atom and JSON feeds, read as list pages: their entries' addresses
//! are the links to follow. A feed is met as a seed, or announced by a page
//! (`<link rel="alternate" type="application/rss+xml">`); like a list, it
//! is read again (conditionally) by later runs, so new articles are found.

use url::Url;

use crate::error::{Error, ErrorKind};
use crate::fetch::Fetched;
use crate::model::{Link, LinkKind};

/// Whether a response is a feed: by its content type, or for a generic XML
/// or text type, by the root element it opens with.
pub(crate) fn is_feed(fetched: &Fetched) -> bool {
    let content_type = fetched.header("content-type").unwrap_or_default().to_ascii_lowercase();
    if ["rss+xml", "atom+xml", "feed+json", "rdf+xml"].iter().any(|t| content_type.contains(t)) {
        return true;
    }
    if content_type.contains("html") {
        return false;
    }
    // After the XML declaration and comments, the root element names the format.
    crate::html::xml_root(&fetched.body)
        .is_some_and(|root| root.declared && ["rss", "feed", "rdf:rdf"].contains(&root.name.as_str()))
}

/// The entries' addresses, resolved against the feed's own, each once.
///
/// # Errors
/// [`ErrorKind::BadFeed`] when the body is no feed the parser can read.
pub(crate) fn entry_links(body: &[u8], at: &Url) -> Result<Vec<Link>, Error> {
    let feed = feed_rs::parser::parse(body)
        .map_err(|e| Error::new(ErrorKind::BadFeed { url: at.to_string(), source: Box::new(e) }))?;
    Ok(links_of(feed, at))
}

/// A feed cut short (a dropped connection, a size cap): the entries read
/// whole before the cut, and the error that says it was cut. `None` when
/// not even they can be read.
pub(crate) fn salvage(body: &[u8], at: &Url) -> Option<(Vec<Link>, Error)> {
    let error = match feed_rs::parser::parse(body) {
        Ok(_) => return None,
        Err(e) => Error::new(ErrorKind::BadFeed { url: at.to_string(), source: Box::new(e) }),
    };
    // Up to the end of the last whole entry, then the closing tags the cut lost.
    let text = String::from_utf8_lossy(body);
    let (end, close) = [("</item>", "</channel></rss>"), ("</entry>", "</feed>")]
        .iter()
        .filter_map(|(tag, close)| text.rfind(tag).map(|i| (i + tag.len(), *close)))
        .max()?;
    let mended = format!("{}{close}", &text[..end]);
    let feed = feed_rs::parser::parse(mended.as_bytes()).ok()?;
    Some((links_of(feed, at), error))
}

fn links_of(feed: feed_rs::model::Feed, at: &Url) -> Vec<Link> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for entry in feed.entries {
        // Atom's article is the `alternate` link (or one without a rel); RSS has one link.
        let link = entry.links.iter().find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"));
        let Some(href) = link.map(|l| l.href.trim()).filter(|h| !h.is_empty()) else { continue };
        let Ok(mut url) = at.join(href) else { continue };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        url.set_fragment(None);
        if seen.insert(url.clone()) {
            let text = entry.title.map(|t| t.content).unwrap_or_default();
            out.push(Link { url, text, next_page: false, kind: LinkKind::Anchor, post: None });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>计生协新闻</title><link>http://a.cn/</link>
<item><title>市计生协召开工作会议</title><link>/xwzx/t20240305_1.html</link></item>
<item><title>重复的条目</title><link>http://a.cn/xwzx/t20240305_1.html#top</link></item>
<item><title>没有地址的条目</title></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title><id>urn:x</id><updated>2024-03-05T00:00:00Z</updated>
<entry><title>Workers trained</title><id>urn:1</id><updated>2024-03-05T00:00:00Z</updated>
<link rel="edit" href="http://a.cn/edit/1"/><link rel="alternate" href="http://a.cn/news/1.html"/></entry>
</feed>"#;

    #[test]
    fn rss_items_are_links_resolved_and_once() {
        let links = entry_links(RSS.as_bytes(), &Url::parse("http://a.cn/rss.xml").unwrap()).unwrap();
        let got: Vec<(&str, &str)> = links.iter().map(|l| (l.url.as_str(), l.text.as_str())).collect();
        assert_eq!(got, [("http://a.cn/xwzx/t20240305_1.html", "市计生协召开工作会议")]);
    }

    #[test]
    fn atom_entries_use_their_alternate_link() {
        let links = entry_links(ATOM.as_bytes(), &Url::parse("http://a.cn/atom.xml").unwrap()).unwrap();
        assert_eq!(links.iter().map(|l| l.url.as_str()).collect::<Vec<_>>(), ["http://a.cn/news/1.html"]);
    }

    #[test]
    fn a_feed_cut_short_keeps_its_whole_entries() {
        let at = Url::parse("http://a.cn/rss.xml").unwrap();
        let cut = &RSS[..RSS.find("<item><title>重复").unwrap() + "<item><title>".len()];
        assert!(entry_links(cut.as_bytes(), &at).is_err());
        let (links, error) = salvage(cut.as_bytes(), &at).unwrap();
        assert_eq!(links.iter().map(|l| l.url.as_str()).collect::<Vec<_>>(), ["http://a.cn/xwzx/t20240305_1.html"]);
        assert_eq!(error.kind().code(), crate::ErrorCode::BadFeed);
        let atom_cut = format!("{}<entry><title>Cut", &ATOM[..ATOM.rfind("</feed>").unwrap()]);
        assert_eq!(salvage(atom_cut.as_bytes(), &at).unwrap().0.len(), 1);
        assert!(salvage(b"<rss><channel><item><title>x", &at).is_none(), "no whole entry");
    }

    #[test]
    fn a_broken_feed_is_an_error() {
        let err = entry_links(b"<?xml version='1.0'?><rss><channel><item>", &Url::parse("http://a.cn/f").unwrap());
        assert_eq!(err.unwrap_err().kind().code(), crate::ErrorCode::BadFeed);
    }
}
