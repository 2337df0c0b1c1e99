//! RSS, Atom and JSON feeds, read as list pages: their entries' addresses
//! are the links to follow. A feed is met as a seed, or announced by a page
//! (`<link rel="alternate" type="application/rss+xml">`); like a list, it
//! is read again (conditionally) by later runs, so new articles are found.
//!
//! Only the entries' addresses and titles matter, so a feed is read as a
//! stream (quick-xml, or serde_json for a JSON Feed, skipping every other
//! field): memory is the entries' links, whatever the feed's descriptions
//! and contents weigh, and at most [`MAX_FEED_ENTRIES`] of them. The
//! entries read whole before a break (a dropped connection, a size cap, bad
//! XML) are kept, and the break reported.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
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

/// Entries read from one feed at most (feeds carry tens; a site's full
/// archive as one feed, thousands).
pub(crate) const MAX_FEED_ENTRIES: usize = 10_000;
/// Bytes of an entry's title kept (the rest is dropped).
const MAX_TITLE_BYTES: usize = 1024;

/// The entries' addresses, resolved against the feed's own, each once; and
/// what stopped the reading early, if anything: then the entries read whole
/// before it are the links.
///
/// # Errors
/// [`ErrorKind::BadFeed`] (as the second value) when the body is no feed,
/// breaks off, or holds more than [`MAX_FEED_ENTRIES`] entries.
pub(crate) fn read(body: &[u8], at: &Url) -> (Vec<Link>, Option<Error>) {
    let mut links = Links { at, seen: std::collections::HashSet::new(), out: Vec::new() };
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let result = if first == Some(&b'{') { read_json(body, &mut links) } else { read_xml(&decoded(body), &mut links) };
    let error = result.err().map(|why| Error::new(ErrorKind::BadFeed { url: at.to_string(), source: why }));
    (links.out, error)
}

/// Entries' links, resolved and each kept once.
struct Links<'a> {
    at: &'a Url,
    seen: std::collections::HashSet<Url>,
    out: Vec<Link>,
}

impl Links<'_> {
    /// Adds an entry; false once the feed has given as many as are read.
    fn add(&mut self, href: &str, title: String) -> bool {
        let Ok(mut url) = self.at.join(href.trim()) else { return true };
        if href.trim().is_empty() || !matches!(url.scheme(), "http" | "https") {
            return true;
        }
        url.set_fragment(None);
        if self.seen.insert(url.clone()) {
            let text = crate::text::squash_space(&title);
            self.out.push(Link { url, text, next_page: false, kind: LinkKind::Anchor, post: None });
        }
        self.out.len() < MAX_FEED_ENTRIES
    }
}

type Why = crate::error::Cause;

fn too_many() -> Why {
    format!("more than {MAX_FEED_ENTRIES} entries: the first {MAX_FEED_ENTRIES} read").into()
}

/// A JSON Feed: `items[].url` (or `external_url`) and `title`.
fn read_json(body: &[u8], links: &mut Links) -> Result<(), Why> {
    #[derive(serde::Deserialize)]
    struct Feed {
        items: Vec<Item>,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        url: Option<String>,
        external_url: Option<String>,
        title: Option<String>,
    }
    let feed: Feed = serde_json::from_slice(body)?;
    for item in feed.items {
        if let Some(href) = item.url.or(item.external_url)
            && !links.add(&href, item.title.unwrap_or_default())
        {
            return Err(too_many());
        }
    }
    Ok(())
}

/// The feed as UTF-8: as its XML declaration says (GB2312 feeds are common), else UTF-8.
fn decoded(body: &[u8]) -> Cow<'_, str> {
    let head = &body[..body.len().min(200)];
    let label = memchr::memmem::find(head, b"encoding=").and_then(|i| {
        let rest = head.get(i + 9..)?;
        let quote = *rest.first()?;
        let end = memchr::memchr(quote, rest.get(1..)?)?;
        rest.get(1..1 + end)
    });
    let encoding = label.and_then(encoding_rs::Encoding::for_label).unwrap_or(encoding_rs::UTF_8);
    encoding.decode_with_bom_removal(body).0
}

/// What is being read inside an entry.
#[derive(Default)]
struct Entry {
    /// Atom's `alternate` link (or one without a rel), RSS's `<link>`.
    link: Option<String>,
    /// RSS's `<guid>` that is a permalink, RDF's `rdf:about`: when there is no link.
    fallback: Option<String>,
    title: String,
    /// The element whose text is being read, and where it goes.
    reading: Option<Field>,
    text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Link,
    Guid,
    Title,
}

/// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom, by their entries' elements.
fn read_xml(xml: &str, links: &mut Links) -> Result<(), Why> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut depth, mut entry_depth, mut rooted) = (0usize, None::<usize>, false);
    let mut entry = Entry::default();
    loop {
        match reader.read_event()? {
            Event::Start(e) => {
                depth += 1;
                if !rooted {
                    check_root(&e)?;
                    rooted = true;
                }
                match entry_depth {
                    None if is_entry(&e) => {
                        entry = Entry { fallback: attr(&e, b"about"), ..Entry::default() };
                        entry_depth = Some(depth);
                    }
                    // Only the entry's own children: not an enclosure's or a source's.
                    Some(d) if depth == d + 1 => entry.open(&e),
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if !rooted {
                    check_root(&e)?;
                    rooted = true;
                }
                if entry_depth.is_some_and(|d| depth == d) {
                    entry.open(&e);
                    entry.close();
                }
            }
            Event::End(_) => {
                match entry_depth {
                    Some(d) if depth == d => {
                        entry_depth = None;
                        let done = std::mem::take(&mut entry);
                        if let Some(href) = done.link.or(done.fallback)
                            && !links.add(&href, done.title)
                        {
                            return Err(too_many());
                        }
                    }
                    Some(d) if depth == d + 1 => entry.close(),
                    _ => {}
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => entry.push(&t.xml_content()?),
            Event::CData(t) => entry.push(&String::from_utf8_lossy(&t)),
            // Entities arrive on their own: `&amp;` in `?a=1&amp;b=2`.
            Event::GeneralRef(r) => {
                let name: &[u8] = r.as_ref();
                let c = match name {
                    b"amp" => Some('&'),
                    b"lt" => Some('<'),
                    b"gt" => Some('>'),
                    b"quot" => Some('"'),
                    b"apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                if let Some(c) = c {
                    entry.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof if depth > 0 => return Err("the feed is cut short: its whole entries kept".into()),
            Event::Eof if !rooted => return Err("no feed: the body holds no element".into()),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// A feed's root: `<rss>`, `<feed>` (Atom) or `<rdf:RDF>`.
fn check_root(e: &BytesStart) -> Result<(), Why> {
    let name = e.local_name();
    if [&b"rss"[..], b"feed", b"RDF"].contains(&name.as_ref()) {
        return Ok(());
    }
    Err(format!("no feed: the root element is <{}>", String::from_utf8_lossy(name.as_ref())).into())
}

fn is_entry(e: &BytesStart) -> bool {
    matches!(e.local_name().as_ref(), b"item" | b"entry")
}

/// The value of the attribute of that local name (entities resolved).
fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(Cow::into_owned))
}

impl Entry {
    /// A child element of the entry opens.
    fn open(&mut self, e: &BytesStart) {
        self.text.clear();
        self.reading = match e.local_name().as_ref() {
            b"link" => {
                if let Some(href) = attr(e, b"href") {
                    // Atom: the alternate link is the article (an `edit` or `enclosure` one is not).
                    let rel = attr(e, b"rel");
                    if self.link.is_none() && rel.as_deref().is_none_or(|r| r.trim() == "alternate") {
                        self.link = Some(href);
                    }
                    None
                } else {
                    Some(Field::Link)
                }
            }
            b"guid" if attr(e, b"isPermaLink").is_none_or(|p| p.trim() != "false") => Some(Field::Guid),
            b"title" => Some(Field::Title),
            _ => None,
        };
    }

    /// Text inside the entry: kept only inside the child being read.
    fn push(&mut self, text: &str) {
        let limit = if self.reading == Some(Field::Title) { MAX_TITLE_BYTES } else { 8 * 1024 };
        if self.reading.is_some() && self.text.len() < limit {
            self.text.push_str(text);
        }
    }

    /// The child being read closes.
    fn close(&mut self) {
        let text = std::mem::take(&mut self.text);
        match self.reading.take() {
            Some(Field::Link) if self.link.is_none() && !text.trim().is_empty() => self.link = Some(text),
            Some(Field::Guid) if self.fallback.is_none() && !text.trim().is_empty() => self.fallback = Some(text),
            Some(Field::Title) if self.title.is_empty() => self.title = text,
            _ => {}
        }
    }
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

    /// The links of a feed read without a break.
    fn entry_links(body: &[u8], at: &Url) -> Result<Vec<Link>, Error> {
        match read(body, at) {
            (links, None) => Ok(links),
            (_, Some(error)) => Err(error),
        }
    }

    fn cause(error: Option<Error>) -> String {
        std::error::Error::source(&error.expect("an error")).map(ToString::to_string).unwrap_or_default()
    }

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
        let (links, error) = read(cut.as_bytes(), &at);
        assert_eq!(links.iter().map(|l| l.url.as_str()).collect::<Vec<_>>(), ["http://a.cn/xwzx/t20240305_1.html"]);
        assert_eq!(error.unwrap().kind().code(), crate::ErrorCode::BadFeed);
        let atom_cut = format!("{}<entry><title>Cut", &ATOM[..ATOM.rfind("</feed>").unwrap()]);
        assert_eq!(read(atom_cut.as_bytes(), &at).0.len(), 1);
        let (links, error) = read(b"<rss><channel><item><title>x", &at);
        assert!(links.is_empty() && error.is_some(), "no whole entry");
    }

    #[test]
    fn rdf_json_cdata_guids_and_gb2312_feeds_are_read() {
        let at = Url::parse("http://a.cn/feed").unwrap();
        let rdf = r#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="http://a.cn/"><title>站</title></channel>
<item rdf:about="http://a.cn/1.html"><title>一</title></item>
<item><title><![CDATA[二 & 三]]></title><link><![CDATA[/2.html?a=1&b=2]]></link></item>
<item><guid>http://a.cn/3.html</guid><enclosure url="http://a.cn/x.mp3"/></item>
<item><guid isPermaLink="false">urn:4</guid><link>/4.html?x=1&amp;y=2</link></item></rdf:RDF>"#;
        let got: Vec<(String, String)> =
            entry_links(rdf.as_bytes(), &at).unwrap().into_iter().map(|l| (l.url.to_string(), l.text)).collect();
        assert_eq!(
            got,
            [
                ("http://a.cn/1.html".to_string(), "一".to_string()),
                ("http://a.cn/2.html?a=1&b=2".into(), "二 & 三".into()),
                ("http://a.cn/3.html".into(), String::new()),
                ("http://a.cn/4.html?x=1&y=2".into(), String::new()),
            ]
        );
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"/j/1.html","title":"甲","content_html":"<p>x</p>"}]}"#;
        assert_eq!(entry_links(json.as_bytes(), &at).unwrap()[0].url.as_str(), "http://a.cn/j/1.html");
        let (gbk, _, _) = encoding_rs::GBK.encode(
            r#"<?xml version="1.0" encoding="gb2312"?><rss><channel><item><title>计生协</title><link>/g.html</link></item></channel></rss>"#,
        );
        assert_eq!(entry_links(&gbk, &at).unwrap()[0].text, "计生协");
    }

    #[test]
    fn a_feed_is_read_to_its_entry_cap() {
        let at = Url::parse("http://a.cn/feed").unwrap();
        let items: String = (0..MAX_FEED_ENTRIES + 5).map(|i| format!("<item><link>/{i}.html</link></item>")).collect();
        let (links, error) = read(format!("<rss><channel>{items}</channel></rss>").as_bytes(), &at);
        assert_eq!(links.len(), MAX_FEED_ENTRIES);
        assert!(cause(error).contains("more than"));
    }

    #[test]
    fn html_is_no_feed() {
        let (links, error) =
            read(b"<html><body><item><link>/1.html</link></item></body></html>", &Url::parse("http://a.cn/").unwrap());
        assert!(links.is_empty());
        assert!(cause(error).contains("root element is <html>"));
    }

    #[test]
    fn a_broken_feed_is_an_error() {
        let err = entry_links(b"<?xml version='1.0'?><rss><channel><item>", &Url::parse("http://a.cn/f").unwrap());
        assert_eq!(err.unwrap_err().kind().code(), crate::ErrorCode::BadFeed);
    }
}
