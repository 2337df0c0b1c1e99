//! A fetched page, and how it goes on to extraction.

use jiff::Timestamp;
use url::Url;

use crate::extract::Input;

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

/// An HTTP date (`Tue, 15 Nov 1994 08:12:31 GMT`, RFC 9110's IMF-fixdate).
pub(crate) fn http_date(value: &str) -> Option<Timestamp> {
    jiff::fmt::rfc2822::parse(value.trim()).ok().map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_read() {
        let t = http_date("Tue, 15 Nov 1994 08:12:31 GMT").unwrap();
        assert_eq!(t.to_string(), "1994-11-15T08:12:31Z");
        assert!(http_date("yesterday").is_none());
    }
}
