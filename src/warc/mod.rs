//! Web archives (feature `warc`): WARC 1.0 and 1.1 files read as a stream,
//! plain or gzip, one record at a time in bounded memory, and the pages
//! their `response` records hold handed to extraction with their HTTP
//! charset.
//!
//! Data teams extract from archives (Common Crawl's WARC files, a national
//! library's crawl, their own earlier crawls) rather than fetch page by
//! page. [`WarcReader`] yields each [`Record`] (type, target URI, date,
//! record id, content type, block); [`Record::http`] splits a response's
//! HTTP head off and undoes its chunked and gzip or deflate encodings;
//! [`HttpResponse::input`] is extraction's [`Input`](crate::Input);
//! [`par_map`] maps the records on several threads, in order. A
//! record that cannot be read is an error naming its offset
//! ([`ErrorKind::BadWarc`](crate::ErrorKind::BadWarc)), and reading goes on.
//!
//! ```
//! use report_scraper::{Extractor, warc::WarcReader};
//! let page = "<html><head><meta charset=utf-8></head><body><h1>市计生协召开会议</h1>\
//!             <p>会议指出，各级计生协要深化改革，全面提升服务群众的能力和水平，推动工作迈上新台阶。</p></body></html>";
//! let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{page}");
//! let warc = format!(
//!     "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://a.cn/1.html\r\n\
//!      Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
//!     http.len()
//! );
//! for record in WarcReader::new(warc.as_bytes()) {
//!     let record = record?;
//!     let (Some(url), Some(http)) = (record.target_uri(), record.http()) else { continue };
//!     let http = http?;
//!     let article = Extractor::default().page(http.input(url))?.into_article()?;
//!     assert_eq!(article.title.as_deref(), Some("市计生协召开会议"));
//! }
//! # Ok::<(), report_scraper::Error>(())
//! ```

// Inside:
// - `reader`: records from a plain or gzip stream, broken ones skipped;
// - `record`: a record's headers, and the HTTP response it holds;
// - `parallel`: a map over the records on several threads, in order;
// - `writer`: records written (gzip members, digests), files rotated;
// - `exchange`: a fetched page as its request and response, or a revisit;
// - `index`: the CDXJ index beside each file, and the captures it holds;
// - `surt`: the index's address keys.

#[cfg(feature = "fetch")]
mod exchange;
mod index;
mod parallel;
mod reader;
mod record;
mod surt;
mod writer;

pub use parallel::{ParMap, par_map};
pub use reader::{MAX_RECORD_BYTES, WarcReader};
pub use record::{HttpResponse, Record};
pub use surt::surt;
pub use writer::{DEFAULT_MAX_FILE_BYTES, NewRecord, WarcWriter, WarcWriterBuilder, Written};
