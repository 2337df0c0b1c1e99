//! Sitemaps and sitemap indexes, gzip-compressed or not.

use std::io::Read;

use quick_xml::events::Event;

use crate::error::{Error, ErrorKind};

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
    let bad = |source: Box<dyn std::error::Error + Send + Sync>| Error::new(ErrorKind::BadSitemap { source });
    let unzipped;
    let xml = if bytes.starts_with(b"\x1f\x8b") {
        let mut out = Vec::new();
        // Bound the output: a tiny gzip bomb must not fill memory.
        flate2::read::GzDecoder::new(bytes)
            .take(100 * 1024 * 1024)
            .read_to_end(&mut out)
            .map_err(|e| bad(Box::new(e)))?;
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
        match reader.read_event_into(&mut buf).map_err(|e| bad(Box::new(e)))? {
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

#[cfg(test)]
mod tests {
    use super::*;

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
