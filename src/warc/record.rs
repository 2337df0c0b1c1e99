//! One WARC record: its headers and block; for a `response` of HTTP, the
//! HTTP head split off (its charset reaches decoding) and the body undone
//! from its transfer and content encodings.

use std::io::Read;

use crate::error::{Error, ErrorKind};
use crate::extract::Input;

/// A decoded body larger than this is not kept (a compression bomb).
const MAX_BODY_BYTES: u64 = 64 << 20;

/// HTTP headers of a response, at most.
const MAX_HTTP_HEADERS: usize = 128;

/// A WARC record: its headers and its block, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Where the record starts in the file: the byte offset of a plain
    /// file's record, or of the gzip member it begins in.
    pub offset: u64,
    /// `WARC/1.0` or `WARC/1.1`.
    pub version: String,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The block: for a `response`, the HTTP response as received.
    pub block: Vec<u8>,
}

impl Record {
    /// A header's value (names compare without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`: `response`, `request`, `revisit`, `metadata`, `warcinfo`…
    pub fn kind(&self) -> Option<&str> {
        self.header("WARC-Type")
    }

    /// `WARC-Target-URI`, without the angle brackets WARC 1.0 files may put around it.
    pub fn target_uri(&self) -> Option<&str> {
        self.header("WARC-Target-URI").map(|u| u.trim_start_matches('<').trim_end_matches('>'))
    }

    /// `WARC-Date`.
    pub fn date(&self) -> Option<&str> {
        self.header("WARC-Date")
    }

    /// `WARC-Record-ID`.
    pub fn record_id(&self) -> Option<&str> {
        self.header("WARC-Record-ID")
    }

    /// `Content-Type` of the block.
    pub fn content_type(&self) -> Option<&str> {
        self.header("Content-Type")
    }

    /// The HTTP response a `response` record holds: `None` for another
    /// record; an error for one whose HTTP cannot be read.
    pub fn http(&self) -> Option<Result<HttpResponse, Error>> {
        let http = self.content_type().is_some_and(|t| t.to_ascii_lowercase().starts_with("application/http"));
        (self.kind() == Some("response") && http).then(|| HttpResponse::parse(&self.block, self.offset))
    }
}

/// An HTTP response as a WARC keeps it, its body decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body, its chunked transfer and gzip or deflate content encoding undone.
    pub body: Vec<u8>,
}

impl HttpResponse {
    fn parse(block: &[u8], offset: u64) -> Result<HttpResponse, Error> {
        let mut slots = [httparse::EMPTY_HEADER; MAX_HTTP_HEADERS];
        let mut response = httparse::Response::new(&mut slots);
        let head = match response.parse(block) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) => return Err(bad(offset, "the HTTP head is cut short")),
            Err(e) => return Err(bad(offset, format!("the HTTP head cannot be read: {e}"))),
        };
        let status = response.code.unwrap_or(0);
        let headers: Vec<(String, String)> = response
            .headers
            .iter()
            .map(|h| (h.name.to_string(), String::from_utf8_lossy(h.value).trim().to_string()))
            .collect();
        let mut r = HttpResponse { status, headers, body: Vec::new() };
        let raw = &block[head..];
        let dechunked;
        let body = if r.header("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
            dechunked = dechunk(raw).ok_or_else(|| bad(offset, "a chunked body that cannot be read"))?;
            &dechunked[..]
        } else {
            raw
        };
        r.body = match r.header("Content-Encoding").map(|e| e.trim().to_ascii_lowercase()) {
            Some(e) if e == "gzip" || e == "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(body), offset)?,
            Some(e) if e == "deflate" => inflate(flate2::read::ZlibDecoder::new(body), offset)
                .or_else(|_| inflate(flate2::read::DeflateDecoder::new(body), offset))?,
            Some(e) if !e.is_empty() && e != "identity" => {
                return Err(bad(offset, format!("a body in the content encoding {e:?}, which is not read")));
            }
            _ => body.to_vec(),
        };
        Ok(r)
    }

    /// A header's value (names compare without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The response's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.header("Content-Type")
    }

    /// The charset its `Content-Type` names.
    pub fn charset(&self) -> Option<&str> {
        let t = self.content_type()?;
        let at = t.to_ascii_lowercase().find("charset=")?;
        Some(t[at + "charset=".len()..].split(';').next()?.trim().trim_matches('"'))
    }

    /// Whether it is a page to extract: a 200 of HTML (or of no stated type).
    pub fn is_html(&self) -> bool {
        let t = self.content_type().unwrap_or("text/html").to_ascii_lowercase();
        self.status == 200 && (t.contains("html") || t.starts_with("text/plain"))
    }

    /// The body as extraction's input, its address and `Content-Type`
    /// given, and its `Date` as the reference for relative dates (as a
    /// fetched page's).
    pub fn input<'a>(&'a self, url: &'a str) -> Input<'a> {
        let input = Input::html(&self.body).url(url);
        let input = match self.header("Date").and_then(crate::extract::http_date) {
            Some(now) => input.reference_time(now),
            None => input,
        };
        match self.content_type() {
            Some(t) => input.content_type(t),
            None => input,
        }
    }
}

/// A body decoded, at most [`MAX_BODY_BYTES`].
fn inflate(decoder: impl Read, offset: u64) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    decoder
        .take(MAX_BODY_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| bad(offset, format!("the body cannot be decoded: {e}")))?;
    if out.len() as u64 > MAX_BODY_BYTES {
        return Err(bad(offset, format!("a body past {MAX_BODY_BYTES} bytes once decoded")));
    }
    Ok(out)
}

/// A chunked body joined; `None` when its chunks cannot be read.
fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&raw[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        if raw.len() < size || out.len() + size > MAX_BODY_BYTES as usize {
            return None;
        }
        out.extend_from_slice(&raw[..size]);
        raw = raw.get(size..)?.strip_prefix(b"\r\n").unwrap_or(&raw[size..]);
    }
}

fn bad(offset: u64, why: impl Into<crate::error::Cause>) -> Error {
    Error::new(ErrorKind::BadWarc { offset, source: why.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(block: &[u8]) -> Record {
        let headers = vec![
            ("WARC-Type".into(), "response".into()),
            ("Content-Type".into(), "application/http; msgtype=response".into()),
        ];
        Record { offset: 7, version: "WARC/1.1".into(), headers, block: block.to_vec() }
    }

    #[test]
    fn chunked_and_gzip_bodies_are_undone() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all("<p>计生协</p>".as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let (a, b) = gz.split_at(5);
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"GBK\"\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(format!("{:x}\r\n", a.len()).as_bytes());
        block.extend(a);
        block.extend(format!("\r\n{:x};ext=1\r\n", b.len()).as_bytes());
        block.extend(b);
        block.extend(b"\r\n0\r\n\r\n");
        let http = record(&block).http().unwrap().unwrap();
        assert_eq!(http.body, "<p>计生协</p>".as_bytes());
        assert_eq!(http.charset(), Some("GBK"));
        assert!(http.is_html());
    }

    #[test]
    fn a_broken_http_head_or_body_is_an_error_with_the_offset() {
        let e = record(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n").http().unwrap().unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::BadWarc { offset: 7, .. }), "{e}");
        let e = record(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip").http().unwrap().unwrap_err();
        assert_eq!(e.kind().code(), crate::ErrorCode::BadWarc);
        let e = record(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").http().unwrap().unwrap_err();
        assert!(e.to_string().contains("7"), "{e}");
    }
}
