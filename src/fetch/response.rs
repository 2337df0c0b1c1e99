//! A fetched page, and how it goes on to extraction.

use std::net::SocketAddr;

use jiff::Timestamp;
use url::Url;

use crate::extract::Input;
pub(crate) use crate::extract::http_date;

/// A fetched page.
///
/// ```no_run
/// use report_scraper::{Extractor, fetch::{FetchConfig, Fetcher}};
/// # async fn demo() -> Result<(), report_scraper::Error> {
/// let fetcher = Fetcher::new(FetchConfig::default())?;
/// let page = fetcher.fetch("https://www.chinafpa.org.cn/").await?;
/// println!("{} {} bytes from {}", page.status, page.body.len(), page.final_url);
/// println!("{:?}", page.header("Content-Type"));
/// // Extraction with any extractor: charset, address and reference time come along.
/// let extracted = Extractor::default().page(page.input())?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Fetched {
    /// The HTTP status of the final response.
    pub status: u16,
    /// The address asked for.
    pub url: Url,
    /// The address after redirects.
    pub final_url: Url,
    /// Response headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
    /// When the response arrived.
    pub fetched_at: Timestamp,
    /// The server's address, when the connection tells it.
    pub remote_addr: Option<SocketAddr>,
    /// The request as sent, and the protocol of the answer (for archiving).
    #[cfg_attr(not(feature = "warc"), allow(dead_code))]
    pub(crate) sent: Sent,
}

/// The request a response answered, as sent, and the answer's protocol:
/// what a web archive keeps beside the response.
#[derive(Debug, Clone, Default)]
#[cfg_attr(not(feature = "warc"), allow(dead_code))]
pub(crate) struct Sent {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The headers sent, names lower-cased: the request's own, then those
    /// the client adds to every request (its user agent, the encodings it
    /// accepts).
    pub headers: Vec<(String, String)>,
    /// A form's body.
    pub body: Option<String>,
    /// The response's protocol: `HTTP/1.1`, `HTTP/2.0`.
    pub version: String,
}

impl Sent {
    /// The request about to be sent, with the headers the client adds.
    pub(crate) fn of(request: &reqwest::Request, user_agent: &str, form: Option<&str>) -> Sent {
        let mut headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let has = |headers: &[(String, String)], name: &str| headers.iter().any(|(n, _)| n == name);
        // What the client adds when the request does not say (its features: gzip, deflate, br).
        for (name, value) in [("user-agent", user_agent), ("accept", "*/*"), ("accept-encoding", "gzip, deflate, br")] {
            if !has(&headers, name) {
                headers.push((name.to_string(), value.to_string()));
            }
        }
        let method = if request.method() == reqwest::Method::POST { "POST" } else { "GET" };
        Sent { method, headers, body: form.map(str::to_string), version: String::new() }
    }
}

impl Fetched {
    /// The value of a response header, its name in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// True for a `304 Not Modified` answer to a conditional request: the
    /// page is as it was, and no body came.
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }

    /// The response's `ETag`, to send back as `If-None-Match`.
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// The response's `Last-Modified`, to send back as `If-Modified-Since`.
    pub fn last_modified(&self) -> Option<&str> {
        self.header("last-modified")
    }

    /// The page as extraction's input: its body, final address and
    /// `Content-Type`, and as the reference for relative dates the server's
    /// `Date` header (else the time it arrived).
    pub fn input(&self) -> Input<'_> {
        let now = self.header("date").and_then(http_date).unwrap_or(self.fetched_at);
        let input = Input::html(&self.body).url(self.final_url.as_str()).reference_time(now);
        match self.header("content-type") {
            Some(ct) => input.content_type(ct),
            None => input,
        }
    }
}
