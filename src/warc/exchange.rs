//! A fetched page archived: its request and its response, or a `revisit`
//! when the payload is one already archived (the same page on a re-crawl,
//! or under another address) or the server answered `304 Not Modified`.

use super::writer::{NewRecord, WarcWriter, Written, sha1_digest, warc_date};
use crate::error::Error;
use crate::fetch::Fetched;

/// The profile of a revisit whose payload is an earlier record's.
const IDENTICAL: &str = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
/// The profile of a revisit the server said was not modified.
const NOT_MODIFIED: &str = "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

/// Response headers not kept as received: the client undid the body's
/// encodings, so the archived body is the decoded one and its length is
/// stated anew. The content encoding is kept under this name.
const UNDONE: [&str; 3] = ["content-encoding", "transfer-encoding", "content-length"];

impl WarcWriter {
    /// Archives a page [fetched](crate::fetch::Fetcher::fetch): a `request`
    /// record and, concurrent to it, a `response` (or a `revisit` when the
    /// payload is one already archived, here or in an index in the folder,
    /// or for a `304`). Gives where the response or revisit went, for
    /// records that describe it (`WARC-Concurrent-To`).
    ///
    /// The body is kept as the client decoded it (gzip, deflate and brotli
    /// undone, no chunks): `Content-Length` states its length and the
    /// encoding it came in is kept as `X-Archive-Orig-Content-Encoding`, so
    /// every reader gets the page as the crawl read it.
    ///
    /// # Errors
    /// [`ErrorKind::WarcWrite`](crate::ErrorKind::WarcWrite) when a file cannot be written.
    pub fn write_fetched(&self, fetched: &Fetched) -> Result<Written, Error> {
        let url = fetched.final_url.as_str();
        let date = warc_date(fetched.fetched_at);
        let head = response_head(fetched);
        let digest = sha1_digest(&fetched.body);
        let response = if fetched.not_modified() {
            let earlier = self.earlier(url, None);
            let record = NewRecord::new("revisit", head.into_bytes()).header("WARC-Profile", NOT_MODIFIED);
            refer(record, earlier.as_ref())
        } else if let Some(earlier) = self.earlier(url, Some(&digest)) {
            let record = NewRecord::new("revisit", head.into_bytes()).header("WARC-Profile", IDENTICAL);
            refer(record, Some(&earlier)).header("WARC-Truncated", "length")
        } else {
            let mut block = head.into_bytes();
            block.extend_from_slice(&fetched.body);
            NewRecord::new("response", block).header("WARC-Payload-Digest", digest)
        };
        let response = response
            .header("WARC-Date", date.clone())
            .header("WARC-Target-URI", url)
            .header("Content-Type", "application/http; msgtype=response");
        let response = match fetched.remote_addr {
            Some(addr) => response.header("WARC-IP-Address", addr.ip().to_string()),
            None => response,
        };
        let response_id = format!("<urn:uuid:{}>", uuid::Uuid::new_v4());
        let request = NewRecord::new("request", request_block(fetched))
            .header("WARC-Date", date)
            .header("WARC-Target-URI", url)
            .header("WARC-Concurrent-To", response_id.clone())
            .header("Content-Type", "application/http; msgtype=request");
        let written = self.write_all(vec![response.header("WARC-Record-ID", response_id), request])?;
        Ok(written.into_iter().next().expect("two records were written"))
    }
}

/// A revisit's pointers to the capture it repeats (when known) and that capture's payload digest.
fn refer<'a>(record: NewRecord<'a>, earlier: Option<&super::index::Capture>) -> NewRecord<'a> {
    let Some(earlier) = earlier else { return record };
    let mut record = record
        .header("WARC-Refers-To-Target-URI", earlier.url.clone())
        .header("WARC-Refers-To-Date", earlier.date.clone());
    if let Some(id) = &earlier.record_id {
        record = record.header("WARC-Refers-To", id.clone());
    }
    match &earlier.digest {
        Some(d) => record.header("WARC-Payload-Digest", d.clone()),
        None => record,
    }
}

/// The response's status line and headers, as the body is kept.
fn response_head(fetched: &Fetched) -> String {
    let version = if fetched.sent.version.is_empty() { "HTTP/1.1" } else { fetched.sent.version.as_str() };
    let reason = reqwest::StatusCode::from_u16(fetched.status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
    let mut head = format!("{version} {} {reason}\r\n", fetched.status);
    for (name, value) in &fetched.headers {
        if name == "content-encoding" {
            head.push_str(&format!("X-Archive-Orig-Content-Encoding: {value}\r\n"));
        }
        if !UNDONE.contains(&name.as_str()) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    if !fetched.not_modified() {
        head.push_str(&format!("content-length: {}\r\n", fetched.body.len()));
    }
    head.push_str("\r\n");
    head
}

/// The request as sent: its line, its headers (with `host`), a form's body.
fn request_block(fetched: &Fetched) -> Vec<u8> {
    let url = &fetched.final_url;
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let version = if fetched.sent.version == "HTTP/2.0" { "HTTP/2.0" } else { "HTTP/1.1" };
    let method = if fetched.sent.method.is_empty() { "GET" } else { fetched.sent.method };
    let mut block = format!("{method} {target} {version}\r\n");
    let host = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or("")),
        None => url.host_str().unwrap_or("").to_string(),
    };
    block.push_str(&format!("host: {host}\r\n"));
    for (name, value) in &fetched.sent.headers {
        block.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = fetched.sent.body.as_deref().unwrap_or("");
    if !body.is_empty() {
        block.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    block.push_str("\r\n");
    block.push_str(body);
    block.into_bytes()
}
