//! Sitemaps and sitemap indexes, gzip-compressed or not, read as a stream:
//! each address is handed on as soon as it is read, so a sitemap of a
//! million addresses is never held whole, and one that breaks off (a
//! truncated file, a gzip bomb stopped at the bound) keeps what came before.

use std::io::{BufRead, BufReader, Read};

use quick_xml::events::Event;

use crate::counted::Counted;
use crate::error::{Error, ErrorKind};

/// Uncompressed bytes read from one sitemap at most (the protocol allows 50 MB).
pub(crate) const MAX_SITEMAP_BYTES: u64 = 100 * 1024 * 1024;

/// What a sitemap lists.
///
/// ```
/// let xml = br#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
///   <url><loc>http://a.cn/1.html</loc></url><url><loc> http://a.cn/2.html </loc></url></urlset>"#;
/// let s = report_scraper::crawl::parse_sitemap(xml)?;
/// assert_eq!(s.pages, ["http://a.cn/1.html", "http://a.cn/2.html"]);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sitemap {
    /// Pages (`<urlset><url><loc>`).
    pub pages: Vec<String>,
    /// Further sitemaps (`<sitemapindex><sitemap><loc>`).
    pub sitemaps: Vec<String>,
}

/// One address a sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Entry {
    Page(String),
    Sitemap(String),
}

/// Reads a sitemap or sitemap index, gzip-compressed or not.
///
/// # Errors
/// [`ErrorKind::BadSitemap`] when the XML or the gzip is broken, or the
/// sitemap is cut short or larger than 100 MB uncompressed.
pub fn parse_sitemap(bytes: &[u8]) -> Result<Sitemap, Error> {
    let mut out = Sitemap::default();
    read_sitemap(bytes, MAX_SITEMAP_BYTES, |entry| match entry {
        Entry::Page(p) => out.pages.push(p),
        Entry::Sitemap(s) => out.sitemaps.push(s),
    })
    .1?;
    Ok(out)
}

/// Hands each address of a sitemap to `on` as it is read, reading at most
/// `limit` bytes uncompressed (and never more than [`MAX_SITEMAP_BYTES`]).
/// The bytes read, uncompressed.
///
/// # Errors
/// As for [`parse_sitemap`]; the addresses read before the error were handed on.
pub(crate) fn read_sitemap(bytes: &[u8], limit: u64, on: impl FnMut(Entry)) -> (u64, Result<(), Error>) {
    let limit = limit.min(MAX_SITEMAP_BYTES);
    if bytes.starts_with(b"\x1f\x8b") {
        let gz = flate2::read::GzDecoder::new(bytes).take(limit + 1);
        read_xml(BufReader::new(gz), limit, on)
    } else {
        read_xml(bytes.take(limit + 1), limit, on)
    }
}

fn bad(message: impl Into<String>) -> Error {
    let message: String = message.into();
    Error::new(ErrorKind::BadSitemap { source: message.into() })
}

fn read_xml(input: impl BufRead, limit: u64, on: impl FnMut(Entry)) -> (u64, Result<(), Error>) {
    let mut reader = quick_xml::Reader::from_reader(Counted::new(input));
    let result = read_events(&mut reader, limit, on);
    (reader.get_ref().count().min(limit), result)
}

fn read_events<R: BufRead>(
    reader: &mut quick_xml::Reader<Counted<R>>,
    limit: u64,
    mut on: impl FnMut(Entry),
) -> Result<(), Error> {
    let mut parents: Vec<Vec<u8>> = Vec::new();
    let mut loc: Option<String> = None;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf);
        if reader.get_ref().count() > limit {
            return Err(match limit {
                MAX_SITEMAP_BYTES => bad("the sitemap is larger than 100 MB uncompressed: read up to there"),
                _ => bad(format!(
                    "the run's sitemap bytes are spent ({limit} bytes left for this one): read up to there"
                )),
            });
        }
        match event.map_err(|e| Error::new(ErrorKind::BadSitemap { source: Box::new(e) }))? {
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
                    let text = text.trim().to_string();
                    // `<sitemap><loc>` names another sitemap; `<url><loc>` a page.
                    match parents.last().map(Vec::as_slice) {
                        Some(b"sitemap") => on(Entry::Sitemap(text)),
                        _ => on(Entry::Page(text)),
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
            Event::Eof if !parents.is_empty() => return Err(bad("the sitemap is cut short: read up to there")),
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, bytes).unwrap();
        gz.finish().unwrap()
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
        let bytes = gzip(b"<urlset><url><loc>http://a.cn/1.html</loc></url></urlset>");
        assert_eq!(parse_sitemap(&bytes).unwrap().pages, ["http://a.cn/1.html"]);
        assert!(parse_sitemap(b"<urlset><url><loc>x</url>").is_err());
    }

    #[test]
    fn a_cut_sitemap_keeps_what_was_read_and_says_so() {
        let xml = b"<urlset><url><loc>http://a.cn/1.html</loc></url><url><loc>http://a.cn/2.html</loc></url><url><lo";
        let mut got = Vec::new();
        let err = read_sitemap(xml, MAX_SITEMAP_BYTES, |e| got.push(e)).1.unwrap_err();
        assert!(err.to_string().contains("bad sitemap"), "{err}");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_bound_with_what_it_listed() {
        // 150 MB of white space after one address, compressed to a few hundred kilobytes.
        let mut xml = b"<urlset><url><loc>http://a.cn/1.html</loc></url>".to_vec();
        xml.resize(xml.len() + 150 * 1024 * 1024, b' ');
        let bomb = gzip(&xml);
        assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
        let mut got = Vec::new();
        let err = read_sitemap(&bomb, MAX_SITEMAP_BYTES, |e| got.push(e)).1.unwrap_err();
        assert!(std::error::Error::source(&err).unwrap().to_string().contains("100 MB"), "{err}");
        assert_eq!(got, [Entry::Page("http://a.cn/1.html".into())]);
    }
}
