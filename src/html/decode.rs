//! Bytes to text: BOM, HTTP charset, `<meta>` prescan, then sniffing, with wrong labels caught.

use std::borrow::Cow;
use std::sync::LazyLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;
use serde::Serialize;

use crate::error::{Error, ErrorKind};

/// How the page's character encoding was decided.
///
/// ```
/// let page = report_scraper::encoding::decode(b"<meta charset=gbk><p>\xd6\xd0\xce\xc4</p>", None).unwrap();
/// assert_eq!(page.text, "<meta charset=gbk><p>中文</p>");
/// assert_eq!(page.encoding, "GBK");
/// assert_eq!(page.found_by, report_scraper::encoding::CharsetSource::Meta);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CharsetSource {
    /// A byte order mark.
    Bom,
    /// The `charset` of the HTTP `Content-Type`.
    Http,
    /// `<meta charset>` or `<meta http-equiv="Content-Type">`.
    Meta,
    /// The bytes are valid UTF-8 whatever the labels say.
    Utf8Valid,
    /// Statistical detection (a label was missing or wrong).
    Sniffed,
}

/// A page turned into text.
///
/// ```
/// let page = report_scraper::encoding::decode("<p>你好</p>".as_bytes(), Some("text/html; charset=utf-8")).unwrap();
/// assert_eq!(page.text, "<p>你好</p>");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The WHATWG name of the encoding used (`UTF-8`, `GBK`, `gb18030`, `Big5`…).
    pub encoding: &'static str,
    /// How that encoding was chosen.
    pub found_by: CharsetSource,
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#).expect("valid meta pattern")
});

/// Magic numbers of files that are not pages.
const NOT_PAGES: &[(&[u8], &str)] = &[
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"RIFF", "a RIFF media file"),
];

/// Decodes a page as a browser would, but catching labels that lie.
///
/// The order is: a BOM; valid UTF-8 (pages labelled gb2312 that are really
/// UTF-8 are common); the HTTP `Content-Type` charset, then the `<meta>`
/// charset, each used only if the bytes decode cleanly with it; else
/// chardetng's guess with the `cn` hint. gb2312 and gbk labels decode as GBK,
/// as the WHATWG Encoding Standard says.
///
/// ```
/// // GBK bytes with no label anywhere are sniffed.
/// let (gbk, _, _) = encoding_rs::GBK.encode("<p>计划生育协会召开工作会议,部署全年任务。</p>");
/// let page = report_scraper::encoding::decode(&gbk, None).unwrap();
/// assert!(page.text.contains("计划生育协会"));
/// ```
///
/// # Errors
/// [`ErrorKind::Empty`] for no bytes, [`ErrorKind::NotHtml`] for images,
/// PDFs, archives and other binary data.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Result<Decoded, Error> {
    let (text, enc, found_by) = decode_inner(bytes, content_type)?;
    Ok(Decoded { text: text.into_owned(), encoding: enc.name(), found_by })
}

/// Like [`decode`], borrowing the input when it is UTF-8 already (no copy of a big page).
pub(crate) fn decode_cow<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Result<Cow<'a, str>, Error> {
    decode_inner(bytes, content_type).map(|(text, _, _)| text)
}

fn decode_inner<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Result<Decoding<'a>, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::new(ErrorKind::Empty));
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        return Ok(finish(enc, rest, CharsetSource::Bom));
    }
    check_is_text(bytes)?;
    if std::str::from_utf8(bytes).is_ok() || mostly_utf8(bytes) {
        return Ok(finish(UTF_8, bytes, CharsetSource::Utf8Valid));
    }
    let labelled =
        [(content_type.and_then(charset_param), CharsetSource::Http), (meta_charset(bytes), CharsetSource::Meta)];
    for (enc, how) in labelled {
        if let Some(enc) = enc.filter(|e| decodes_cleanly(e, bytes)) {
            return Ok(finish(enc, bytes, how));
        }
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(Some(b"cn"), Utf8Detection::Allow);
    Ok(finish(enc, bytes, CharsetSource::Sniffed))
}

type Decoding<'a> = (Cow<'a, str>, &'static Encoding, CharsetSource);

fn finish<'a>(enc: &'static Encoding, bytes: &'a [u8], found_by: CharsetSource) -> Decoding<'a> {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text, enc, found_by)
}

fn check_is_text(bytes: &[u8]) -> Result<(), Error> {
    if let Some((_, what)) = NOT_PAGES.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(Error::new(ErrorKind::NotHtml { looks_like: what }));
    }
    let head = bytes.get(..4096).unwrap_or(bytes);
    let controls = head.iter().filter(|&&b| b < 9).count();
    if controls * 20 > head.len().max(1) || head.contains(&0) && controls > 2 {
        return Err(Error::new(ErrorKind::NotHtml { looks_like: "binary data" }));
    }
    Ok(())
}

/// UTF-8 with a stray broken sequence or two (a page cut mid-character) is still UTF-8.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut errors = 0usize;
    let mut rest = bytes;
    let mut multibyte = 0usize;
    while let Err(e) = std::str::from_utf8(rest) {
        let good = e.valid_up_to();
        multibyte += rest.get(..good).unwrap_or_default().iter().filter(|&&b| b >= 0x80).count();
        errors += 1;
        if errors > 3 {
            return false;
        }
        let skip = good + e.error_len().unwrap_or(rest.len() - good).max(1);
        rest = rest.get(skip..).unwrap_or_default();
    }
    multibyte += rest.iter().filter(|&&b| b >= 0x80).count();
    multibyte > 30 * errors
}

fn decodes_cleanly(enc: &'static Encoding, bytes: &[u8]) -> bool {
    enc.decode_without_bom_handling_and_without_replacement(bytes).is_some()
}

fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    let (_, value) = content_type.split_once("charset=").or_else(|| content_type.split_once("CHARSET="))?;
    let label = value.trim().trim_matches(|c| c == '"' || c == '\'').split(';').next()?;
    Encoding::for_label(label.trim().as_bytes())
}

fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..8192).unwrap_or(bytes);
    let label = META_CHARSET.captures(head)?.get(1)?.as_bytes();
    let enc = Encoding::for_label(label)?;
    // A <meta> that claims UTF-16 is read as UTF-8, as browsers do.
    Some(if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE { UTF_8 } else { enc })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_that_says_utf8_but_is_gbk_is_sniffed() {
        let body = "<html><head><meta charset=\"utf-8\"></head><body><p>江西省计划生育协会2023年工作要点,全省计生协要以习近平新时代中国特色社会主义思想为指导。</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(body);
        let page = decode(&gbk, None).unwrap();
        assert_eq!(page.found_by, CharsetSource::Sniffed);
        assert!(page.text.contains("江西省计划生育协会"), "{}", page.text);
    }

    #[test]
    fn a_page_labelled_gb2312_that_is_utf8_stays_utf8() {
        let page = decode("<meta charset=gb2312><p>中文内容</p>".as_bytes(), None).unwrap();
        assert_eq!(page.encoding, "UTF-8");
        assert!(page.text.contains("中文内容"));
    }

    #[test]
    fn http_charset_wins_over_meta() {
        let (big5, _, _) = encoding_rs::BIG5.encode("<meta charset=gbk><p>臺灣新聞</p>");
        let page = decode(&big5, Some("text/html; charset=big5")).unwrap();
        assert_eq!(page.found_by, CharsetSource::Http);
        assert!(page.text.contains("臺灣新聞"));
    }

    #[test]
    fn bom_decides() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("<p>正文</p>".as_bytes());
        let page = decode(&bytes, Some("text/html; charset=gbk")).unwrap();
        assert_eq!(page.found_by, CharsetSource::Bom);
        assert_eq!(page.text, "<p>正文</p>");
    }

    #[test]
    fn binary_is_refused() {
        assert!(matches!(decode(b"%PDF-1.4 ...", None).unwrap_err().kind(), ErrorKind::NotHtml { .. }));
        assert!(matches!(decode(&[0u8; 100], None).unwrap_err().kind(), ErrorKind::NotHtml { .. }));
    }
}
