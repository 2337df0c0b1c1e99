//! Records read one at a time from a WARC file, plain or gzip (a member
//! per record, as Common Crawl writes them, or the whole file in one), in
//! memory bounded by the largest record kept, whatever the file's size.

use std::io::{BufRead, BufReader, Read};

use flate2::bufread::GzDecoder;

use super::record::Record;
use crate::counted::Counted;
use crate::error::{Error, ErrorKind};

/// A record's block larger than this is skipped (reported), not kept: a
/// WARC of web pages has no page this large, and memory stays bounded.
pub const MAX_RECORD_BYTES: u64 = 64 << 20;

/// A header line longer than this is no WARC header.
const MAX_LINE_BYTES: u64 = 64 << 10;

/// Headers per record, at most.
const MAX_HEADERS: usize = 256;

/// The gzip magic number.
const GZIP: [u8; 2] = [0x1f, 0x8b];

/// Where the records come from now.
enum Stream<R> {
    /// A plain file.
    Plain(Counted<BufReader<R>>),
    /// Inside a gzip member that starts at `start` in the file.
    Member { decoder: Box<BufReader<GzDecoder<Counted<BufReader<R>>>>>, start: u64 },
    /// Between gzip members.
    Between(Counted<BufReader<R>>),
    /// After a broken gzip member (starting at the offset given): looking for the next member's start.
    Resync(Counted<BufReader<R>>, u64),
    /// The end, or a failure the file cannot be read past.
    Done,
}

/// Reads the records of a WARC file in order: plain, or gzip as one
/// member per record or one for the whole file (told by the first bytes).
/// A record that cannot be read is an `Err` naming its offset, and reading
/// goes on with the next one; a file cut short ends after the error.
///
/// ```
/// use report_scraper::warc::WarcReader;
/// let http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<h1>t</h1>";
/// let record = |uri: &str| format!(
///     "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n\
///      Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
///     http.len()
/// );
/// // A good record, a broken one, another good one.
/// let warc = format!("{}GARBAGE\r\n\r\n{}", record("http://a.cn/1.html"), record("http://a.cn/2.html"));
/// let read: Vec<_> = WarcReader::new(warc.as_bytes()).collect();
/// assert_eq!(read.len(), 3);
/// assert_eq!(read[0].as_ref().unwrap().target_uri(), Some("http://a.cn/1.html"));
/// assert!(read[1].as_ref().unwrap_err().to_string().contains("at byte"));
/// let http = read[2].as_ref().unwrap().http().unwrap()?;
/// assert_eq!((http.status, http.charset()), (200, Some("utf-8")));
/// # Ok::<(), report_scraper::Error>(())
/// ```
pub struct WarcReader<R> {
    stream: Stream<R>,
    /// A record's first line found while skipping a broken one.
    pending: Option<String>,
}

impl<R: Read> WarcReader<R> {
    /// Reads a WARC from `input` (a file, standard input, any reader).
    pub fn new(input: R) -> WarcReader<R> {
        let mut counted = Counted::new(BufReader::with_capacity(1 << 16, input));
        let gzip = counted.fill_buf().map(|b| b.starts_with(&GZIP)).unwrap_or(false);
        let stream = if gzip { Stream::Between(counted) } else { Stream::Plain(counted) };
        WarcReader { stream, pending: None }
    }

    /// The next record, skipping what cannot be read.
    fn next_record(&mut self) -> Option<Result<Record, Error>> {
        loop {
            match std::mem::replace(&mut self.stream, Stream::Done) {
                Stream::Done => return None,
                Stream::Plain(mut src) => {
                    let start = src.count();
                    let read = self.read_record(&mut src, start);
                    if !matches!(read, Read_::End | Read_::Cut(_)) {
                        self.stream = Stream::Plain(src);
                    }
                    match read {
                        Read_::End => return None,
                        Read_::Record(r) => return Some(Ok(*r)),
                        Read_::Bad(e) | Read_::Cut(e) => return Some(Err(e)),
                    }
                }
                Stream::Resync(mut src, after) => match next_member(&mut src, after) {
                    Ok(true) => self.stream = Stream::Between(src),
                    Ok(false) => return None,
                    Err(e) => return Some(Err(bad(src.count(), e))),
                },
                Stream::Between(mut src) => match src.fill_buf() {
                    Ok([]) => return None,
                    Ok(_) => {
                        let start = src.count();
                        let decoder = Box::new(BufReader::with_capacity(1 << 16, GzDecoder::new(src)));
                        self.stream = Stream::Member { decoder, start };
                    }
                    Err(e) => return Some(Err(bad(src.count(), e))),
                },
                Stream::Member { mut decoder, start } => {
                    let read = self.read_record(&mut *decoder, start);
                    match read {
                        // The member is over: the next one starts where it ended.
                        Read_::End => self.stream = Stream::Between(decoder.into_inner().into_inner()),
                        Read_::Record(r) => {
                            self.stream = Stream::Member { decoder, start };
                            return Some(Ok(*r));
                        }
                        Read_::Bad(e) => {
                            self.stream = Stream::Member { decoder, start };
                            return Some(Err(e));
                        }
                        // Broken gzip or a cut record: read on from the next member.
                        Read_::Cut(e) => {
                            self.stream = Stream::Resync(decoder.into_inner().into_inner(), start);
                            return Some(Err(e));
                        }
                    }
                }
            }
        }
    }

    /// Reads one record from `src`, which starts at `offset` in the file.
    fn read_record(&mut self, src: &mut impl BufRead, offset: u64) -> Read_ {
        // The version line, after any blank lines between records.
        let first = match self.pending.take() {
            Some(line) => line,
            None => loop {
                match read_line(src) {
                    Ok(None) => return Read_::End,
                    Ok(Some(l)) if l.trim().is_empty() => continue,
                    Ok(Some(l)) => break l,
                    Err(e) => return Read_::Cut(bad(offset, e)),
                }
            },
        };
        if !first.starts_with("WARC/") {
            // Not a record: skip to the next line that starts one.
            loop {
                match read_line(src) {
                    Ok(Some(l)) if l.starts_with("WARC/1.") => {
                        self.pending = Some(l);
                        break;
                    }
                    Ok(Some(_)) => continue,
                    Ok(None) => break,
                    Err(e) => return Read_::Cut(bad(offset, e)),
                }
            }
            let head: String = first.chars().take(40).collect();
            return Read_::Bad(bad(offset, format!("no WARC record here (found {head:?})")));
        }
        let version = first.trim().to_string();
        let mut headers = Vec::new();
        loop {
            match read_line(src) {
                Ok(Some(l)) if l.trim().is_empty() => break,
                Ok(Some(l)) => {
                    if headers.len() >= MAX_HEADERS {
                        return Read_::Bad(bad(offset, "too many headers"));
                    }
                    if let Some((name, value)) = l.split_once(':') {
                        headers.push((name.trim().to_string(), value.trim().to_string()));
                    }
                }
                Ok(None) => return Read_::Cut(bad(offset, "the file ends inside the record's headers")),
                Err(e) => return Read_::Cut(bad(offset, e)),
            }
        }
        let length =
            headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("Content-Length")).map(|(_, v)| v.parse::<u64>());
        let length = match length {
            Some(Ok(n)) => n,
            _ => return Read_::Bad(bad(offset, "no Content-Length")),
        };
        if length > MAX_RECORD_BYTES {
            return match std::io::copy(&mut src.take(length), &mut std::io::sink()) {
                Ok(n) if n == length => Read_::Bad(bad(
                    offset,
                    format!("a block of {length} bytes, more than the {MAX_RECORD_BYTES} kept (skipped)"),
                )),
                _ => Read_::Cut(bad(offset, "the file ends inside the record")),
            };
        }
        let mut block = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
        match src.take(length).read_to_end(&mut block) {
            Ok(n) if n as u64 == length => {}
            Ok(n) => {
                return Read_::Cut(bad(offset, format!("the file ends inside the record ({n} of {length} bytes)")));
            }
            Err(e) => return Read_::Cut(bad(offset, e)),
        }
        Read_::Record(Box::new(Record { offset, version, headers, block }))
    }
}

impl<R: Read> Iterator for WarcReader<R> {
    type Item = Result<Record, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
    }
}

/// How reading one record went.
enum Read_ {
    /// No record left in this stream.
    End,
    Record(Box<Record>),
    /// This record cannot be read; the next one can be tried.
    Bad(Error),
    /// Nothing past this point can be read.
    Cut(Error),
}

/// Skips to the next gzip member's header (`1f 8b 08`) past `after` (the
/// broken member's start), not consuming it; false at the end of the file.
fn next_member(src: &mut Counted<impl BufRead>, after: u64) -> std::io::Result<bool> {
    loop {
        let at = src.count();
        let buf = src.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        // Never the broken member's own header again.
        let from = usize::from(at <= after);
        match buf.windows(3).skip(from).position(|w| w == [0x1f, 0x8b, 0x08]) {
            Some(p) => {
                src.consume(p + from);
                return Ok(true);
            }
            None => {
                let n = buf.len();
                src.consume(n);
            }
        }
    }
}

/// A line, without its end; `None` at the end of the stream.
fn read_line(src: &mut impl BufRead) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    let n = src.take(MAX_LINE_BYTES).read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

fn bad(offset: u64, why: impl Into<crate::error::Cause>) -> Error {
    Error::new(ErrorKind::BadWarc { offset, source: why.into() })
}
