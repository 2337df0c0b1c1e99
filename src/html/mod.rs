//! The HTML front end: bytes become a parsed tree, the tree one walk's
//! worth of lines, and the lines — zoned by the element that holds the
//! article — the cleaning pipeline's input.
//!
//! 1. [`decode`]: bytes to text (BOM, HTTP charset, `<meta>`, sniffing);
//! 2. [`parse`]: html5ever into scraper's tree, the arena sized once;
//! 3. [`walk`]: one pass over the tree ([`doc`] holds what it yields),
//!    reading class and id words through [`hints`];
//! 4. [`head`]: title hints from `<head>`; [`stamps`]: the dates the markup
//!    gives (`<meta>`, JSON-LD, `<time>`, microdata, script variables);
//! 5. [`main_element`]: which element holds the article;
//! 6. [`rows`]: zoned lines for the pipeline; [`links`]: the page's links.

pub(crate) mod decode;
pub(crate) mod doc;
pub(crate) mod forms;
pub(crate) mod head;
pub(crate) mod hints;
pub(crate) mod lex;
pub(crate) mod links;
pub(crate) mod main_element;
pub(crate) mod parse;
pub(crate) mod rows;
pub(crate) mod scripted;
pub(crate) mod stamps;
pub(crate) mod tree;
pub(crate) mod walk;

use std::time::Instant;

#[cfg(feature = "crawl")]
use url::Url;

use crate::clean::line::{Context, Layout, RawLine};
use crate::clean::title;
use crate::model::Link;
#[cfg(feature = "crawl")]
use crate::model::LinkKind;

/// What the caller wants beyond the articles.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Want {
    /// The page's links.
    pub links: bool,
    /// Each article's links and images (its language is detected by the pipeline).
    pub details: bool,
}

/// What the HTML front end hands on: the pipeline's lines, what the page
/// says about itself, and its links (when asked for).
pub(crate) struct Front {
    pub lines: Vec<RawLine>,
    pub ctx: Context,
    pub links: Vec<Link>,
}

/// Reads a decoded page; `None` when the deadline passed first. The tree is
/// dropped as soon as it has been walked, so a big page's nodes and lines
/// are not held together.
pub(crate) fn read(html: &str, url: Option<&str>, want: Want, deadline: Option<Instant>) -> Option<Front> {
    let parsed = parse::parse(html, deadline);
    if parsed.timed_out {
        return None;
    }
    if parsed.flattened > 0 {
        tracing::warn!(url, tags = parsed.flattened, "markup past the element budget read as text");
    }
    let mut doc = walk::walk(&parsed.tree, want.links, want.details, walk::line_budget(html.len()));
    drop(parsed);
    if deadline.is_some_and(|d| Instant::now() > d) {
        return None;
    }
    let titles = head::titles(&doc.head);
    let candidates = doc.lines.iter().filter(|l| l.title_candidate).map(|l| (l.elem, l.text.as_str()));
    let title_elem = title::best_line(candidates, &titles);
    main_element::choose_main(&mut doc, title_elem);
    let mut ctx = Context::new(Layout::MARKUP);
    ctx.stamps = std::mem::take(&mut doc.head.stamps);
    ctx.lang = doc.head.lang.take();
    ctx.site = head::site_name(&doc.head);
    ctx.titles = titles;
    ctx.url = url.map(str::to_string);
    ctx.base = links::base(doc.base.as_deref(), url);
    let in_main: Vec<bool> = doc.lines.iter().map(|l| doc.elems.get(l.elem).is_some_and(|e| e.in_main)).collect();
    let links = if want.links { links::resolve(doc.links, &doc.forms, doc.base.as_deref(), url) } else { Vec::new() };
    Some(Front { lines: rows::zoned(doc.lines, &in_main), ctx, links })
}

/// How far into a body its root element is looked for.
#[cfg(feature = "crawl")]
const ROOT_SNIFF_BYTES: usize = 1024;

/// The root element of an XML body, as far as its first bytes tell.
#[cfg(feature = "crawl")]
pub(crate) struct XmlRoot {
    /// It opens with an XML declaration (`<?xml …?>`).
    pub declared: bool,
    /// The root element's name, lower-cased (`rss`, `feed`, `datastore`, `html`).
    pub name: String,
}

/// The root element a body opens with, past a byte-order mark, the XML
/// declaration, processing instructions, comments and a doctype: what the
/// crawler tells feeds, XML list answers and pages apart by.
#[cfg(feature = "crawl")]
pub(crate) fn xml_root(body: &[u8]) -> Option<XmlRoot> {
    let head = String::from_utf8_lossy(body.get(..ROOT_SNIFF_BYTES.min(body.len())).unwrap_or_default());
    let mut rest = head.trim_start_matches('\u{feff}').trim_start();
    let declared = rest.starts_with("<?xml");
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>")?.1.trim_start();
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->")?.1.trim_start();
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = r.split_once('>')?.1.trim_start();
        } else {
            break;
        }
    }
    let name: String = rest.strip_prefix('<')?.chars().take_while(|c| c.is_alphanumeric() || *c == ':').collect();
    (!name.is_empty()).then(|| XmlRoot { declared, name: name.to_ascii_lowercase() })
}

/// The links of an XML list answer — an XML body that is not HTML, a feed
/// or a sitemap, such as the `<datastore>` a Hanweb JCMS data endpoint
/// answers with its records as markup — or `None` for any other body.
#[cfg(feature = "crawl")]
pub(crate) fn xml_list(body: &[u8], content_type: Option<&str>, at: &Url) -> Option<Vec<Link>> {
    let root = xml_root(body)?;
    let other = ["html", "rss", "feed", "rdf:rdf", "urlset", "sitemapindex"].contains(&root.name.as_str());
    // A datastore is one declared or not; any other declared XML that is no page, feed or sitemap.
    let listed = root.name == "datastore" || root.declared && !other;
    if !listed {
        return None;
    }
    let text = decode::decode_cow(body, content_type).ok()?;
    let raw = scripted::markup_links(&text)
        .into_iter()
        .map(|(href, text)| doc::RawLink { text, ..doc::RawLink::new(href, LinkKind::Scripted) })
        .collect();
    Some(links::resolve(raw, &[], None, Some(at.as_str())))
}

#[cfg(all(test, feature = "crawl"))]
mod tests {
    use super::*;

    #[test]
    fn an_xml_datastore_is_a_list_of_its_records() {
        let answer = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore><totalrecord>38</totalrecord><totalpage>8</totalpage>\
            <nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=2\"></a>]]></nextgroup><recordset>\
            <record><![CDATA[<li><a href='/art/2024/3/7/art_1_2.html'>会议召开</a></li>]]></record></recordset></datastore>";
        let at: Url = "http://a.cn/module/web/jpage/dataproxy.jsp?startrecord=16".parse().unwrap();
        let links = xml_list(answer.as_bytes(), Some("text/xml"), &at).unwrap();
        let got: Vec<(&str, &str)> = links.iter().map(|l| (l.url.as_str(), l.text.as_str())).collect();
        assert_eq!(got, [("http://a.cn/art/2024/3/7/art_1_2.html", "会议召开")]);
        assert!(
            xml_list(b"<datastore><recordset></recordset></datastore>", None, &at).is_some(),
            "no declaration needed"
        );
        assert!(xml_list(b"<!DOCTYPE html><html><body><a href=x>x</a></body></html>", None, &at).is_none());
        assert!(
            xml_list(b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'></html>", None, &at).is_none()
        );
        assert!(xml_list(b"<?xml version='1.0'?><rss><channel></channel></rss>", None, &at).is_none());
        assert!(xml_list("\u{4f1a}\u{8bae}".as_bytes(), None, &at).is_none());
    }
}
