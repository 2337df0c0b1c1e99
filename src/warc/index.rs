//! The CDXJ index written beside each WARC file: one line per `response`
//! and `revisit` record, `SURT-KEY TIMESTAMP {json}`, as pywb and
//! cdxj-indexer write it, so that replay tools and our own re-crawls find a
//! capture by address and by payload.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use super::surt::surt;

/// One line of the index: where a capture of an address is, and what it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The target address.
    pub url: String,
    /// The record's `WARC-Date`, as 14 digits (`20261207050215`).
    pub timestamp: String,
    /// The HTTP media type (`text/html`), `warc/revisit` for a revisit.
    pub mime: Option<String>,
    /// The HTTP status.
    pub status: Option<u16>,
    /// `sha1:` and the payload's digest in base32.
    pub digest: Option<String>,
    /// The record's bytes in the file (its gzip member).
    pub length: u64,
    /// Where the record starts in the file.
    pub offset: u64,
    /// The file's name, without its folder.
    pub filename: String,
}

impl Entry {
    /// The line, newline included: the fields in cdxj-indexer's order and
    /// spelling (every value a string, `", "` between them), the ones not
    /// known left out.
    pub fn line(&self) -> String {
        let quote = ascii_json;
        let mut fields = vec![format!("\"url\": {}", quote(&self.url))];
        fields.extend(self.mime.as_deref().map(|m| format!("\"mime\": {}", quote(m))));
        fields.extend(self.status.map(|s| format!("\"status\": \"{s}\"")));
        fields.extend(self.digest.as_deref().map(|d| format!("\"digest\": {}", quote(d))));
        fields.push(format!("\"length\": \"{}\"", self.length));
        fields.push(format!("\"offset\": \"{}\"", self.offset));
        fields.push(format!("\"filename\": {}", quote(&self.filename)));
        format!("{} {} {{{}}}\n", surt(&self.url), self.timestamp, fields.join(", "))
    }

    /// A line read back; `None` for one that is not whole (the last line of
    /// an index whose writer was killed).
    pub fn parse(line: &str) -> Option<Entry> {
        let mut parts = line.splitn(3, ' ');
        let (_key, timestamp, json) = (parts.next()?, parts.next()?, parts.next()?);
        let v: serde_json::Value = serde_json::from_str(json).ok()?;
        let text = |name: &str| v.get(name).and_then(|x| x.as_str()).map(str::to_string);
        let number = |name: &str| text(name).and_then(|x| x.parse().ok());
        Some(Entry {
            url: text("url")?,
            timestamp: timestamp.to_string(),
            mime: text("mime"),
            status: number("status").and_then(|s: u64| u16::try_from(s).ok()),
            digest: text("digest"),
            length: number("length")?,
            offset: number("offset")?,
            filename: text("filename")?,
        })
    }
}

/// A JSON string with every character past ASCII escaped (`\u0627`, a
/// surrogate pair past the BMP), as Python's `json.dumps` writes it: the
/// same line as pywb's tools for an address written as an IRI.
fn ascii_json(s: &str) -> String {
    let json = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Sorts an index in place (bytewise, as `LC_ALL=C sort` and pywb do),
/// dropping a line cut short; written to a temporary file and renamed over,
/// so a kill leaves the old index or the new one. Nothing is written when
/// it is sorted and whole already.
pub(crate) fn sort_file(path: &Path) -> io::Result<()> {
    let text = fs::read_to_string(path)?;
    let mut lines: Vec<&str> = text.lines().filter(|l| Entry::parse(l).is_some()).collect();
    let whole = lines.len() == text.lines().count() && (text.is_empty() || text.ends_with('\n'));
    if whole && lines.is_sorted() {
        return Ok(());
    }
    lines.sort_unstable();
    let tmp = path.with_extension("cdxj.tmp");
    let mut out = io::BufWriter::new(fs::File::create(&tmp)?);
    for line in lines {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.into_inner().map_err(io::IntoInnerError::into_error)?.sync_all()?;
    fs::rename(tmp, path)
}

/// Earlier captures, for revisit records: the last capture of each
/// address, and the first capture of each payload.
#[derive(Debug, Default)]
pub(crate) struct Captures {
    by_url: HashMap<String, Capture>,
    by_digest: HashMap<String, Capture>,
}

/// A capture a revisit refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Capture {
    pub url: String,
    /// Its `WARC-Date`.
    pub date: String,
    /// Its `WARC-Record-ID`, when it was written by this writer (an index does not keep it).
    pub record_id: Option<String>,
    pub digest: Option<String>,
}

impl Captures {
    /// Notes a capture of a full payload (a `response`).
    pub fn add(&mut self, capture: Capture) {
        if let Some(d) = &capture.digest {
            self.by_digest.entry(d.clone()).or_insert_with(|| capture.clone());
        }
        self.by_url.insert(capture.url.clone(), capture);
    }

    /// The first capture of this payload.
    #[cfg_attr(not(feature = "fetch"), allow(dead_code))]
    pub fn of_digest(&self, digest: &str) -> Option<&Capture> {
        self.by_digest.get(digest)
    }

    /// The last full capture of this address.
    #[cfg_attr(not(feature = "fetch"), allow(dead_code))]
    pub fn of_url(&self, url: &str) -> Option<&Capture> {
        self.by_url.get(url)
    }

    /// The captures an index holds (its responses; revisits point at them).
    pub fn load(&mut self, path: &Path) -> io::Result<()> {
        for entry in fs::read_to_string(path)?.lines().filter_map(Entry::parse) {
            if entry.mime.as_deref() == Some(REVISIT_MIME) {
                continue;
            }
            let date = warc_date_of(&entry.timestamp);
            self.add(Capture { url: entry.url, date, record_id: None, digest: entry.digest });
        }
        Ok(())
    }
}

/// The media type an index gives a revisit.
pub(crate) const REVISIT_MIME: &str = "warc/revisit";

/// `20261207050215` as `2026-12-07T05:02:15Z`.
fn warc_date_of(ts: &str) -> String {
    let d = |r: std::ops::Range<usize>| ts.get(r).unwrap_or("00");
    format!("{}-{}-{}T{}:{}:{}Z", ts.get(0..4).unwrap_or("0000"), d(4..6), d(6..8), d(8..10), d(10..12), d(12..14))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            url: "http://www.a.cn/1.html".into(),
            timestamp: "20261207050215".into(),
            mime: Some("text/html".into()),
            status: Some(200),
            digest: Some("sha1:JEXJR23VJNMISKZO2PJJFAYRPVKZAOS5".into()),
            length: 349,
            offset: 0,
            filename: "a.warc.gz".into(),
        }
    }

    #[test]
    fn addresses_past_ascii_are_escaped_as_python_writes_them() {
        assert_eq!(ascii_json("http://a.cn/新闻/😀"), r#""http://a.cn/\u65b0\u95fb/\ud83d\ude00""#);
        let line = Entry { url: "http://a.cn/新闻".into(), ..entry() }.line();
        assert_eq!(Entry::parse(line.trim_end()).unwrap().url, "http://a.cn/新闻");
    }

    #[test]
    fn lines_read_back_and_a_cut_one_does_not() {
        let line = entry().line();
        assert!(line.starts_with("cn,a)/1.html 20261207050215 {\"url\": \"http://www.a.cn/1.html\", \"mime\""));
        assert_eq!(Entry::parse(line.trim_end()), Some(entry()));
        assert_eq!(Entry::parse(&line[..line.len() / 2]), None);
    }

    #[test]
    fn a_killed_writers_index_is_sorted_and_its_cut_line_dropped() {
        let dir = std::env::temp_dir().join(format!("rs-cdxj-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("x.cdxj");
        let mut b = entry();
        b.url = "http://a.cn/0.html".into();
        let (la, lb) = (entry().line(), b.line());
        fs::write(&path, format!("{la}{lb}{}", &la[..20])).unwrap();
        sort_file(&path).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), format!("{lb}{la}"));
        let mut captures = Captures::default();
        captures.load(&path).unwrap();
        let c = captures.of_digest("sha1:JEXJR23VJNMISKZO2PJJFAYRPVKZAOS5").unwrap();
        assert_eq!((c.url.as_str(), c.date.as_str()), ("http://a.cn/0.html", "2026-12-07T05:02:15Z"));
        assert_eq!(captures.of_url("http://www.a.cn/1.html").unwrap().url, "http://www.a.cn/1.html");
        fs::remove_dir_all(dir).unwrap();
    }
}
