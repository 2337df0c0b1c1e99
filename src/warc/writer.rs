//! WARC files written: one gzip member per record (as Common Crawl writes
//! them, so a record is reached by its offset), sha1 digests in base32,
//! files rotated at a size, and a CDXJ index beside each file.

use std::borrow::Cow;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use flate2::Compression;
use flate2::write::GzEncoder;
use jiff::Timestamp;
use sha1::{Digest, Sha1};

use super::index::{Capture, Captures, Entry, REVISIT_MIME, sort_file};
use crate::error::{Error, ErrorKind};

/// A file is closed and the next one started once it holds this much
/// (Common Crawl's files hold about 1 GB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1 << 30;

/// The version every record is written in.
const VERSION: &str = "WARC/1.1";

/// Files a writer tries to create in one second before it gives up (another
/// writer on the same folder takes a name first).
const MAX_NAME_TRIES: u32 = 10_000;

/// A record to write: its type and block, and any headers of its own. The
/// writer adds `WARC-Record-ID` and `WARC-Date` (unless given),
/// `Content-Length`, `WARC-Block-Digest`, and for a `response` of
/// `application/http` the `WARC-Payload-Digest` of its body.
///
/// ```
/// use report_scraper::warc::NewRecord;
/// let record = NewRecord::new("resource", b"hello".as_slice())
///     .header("WARC-Target-URI", "http://a.cn/hello.txt")
///     .header("Content-Type", "text/plain");
/// assert_eq!(record.kind(), "resource");
/// ```
#[derive(Debug, Clone)]
pub struct NewRecord<'a> {
    kind: String,
    block: Cow<'a, [u8]>,
    headers: Vec<(String, String)>,
}

impl<'a> NewRecord<'a> {
    /// A record of type `kind` (`response`, `request`, `metadata`,
    /// `resource`, `revisit`…) holding `block`.
    pub fn new(kind: &str, block: impl Into<Cow<'a, [u8]>>) -> NewRecord<'a> {
        NewRecord { kind: kind.to_string(), block: block.into(), headers: Vec::new() }
    }

    /// A header, written in the order given (line breaks in the value
    /// become spaces, and white space around it goes: readers trim it).
    pub fn header(mut self, name: &str, value: impl Into<String>) -> NewRecord<'a> {
        let value: String = value.into().chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }).collect();
        self.headers.push((name.to_string(), value.trim().to_string()));
        self
    }

    /// The record's type.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Where a record went.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Written {
    /// Its `WARC-Record-ID` (`<urn:uuid:…>`).
    pub record_id: String,
    /// The file it is in.
    pub path: PathBuf,
    /// Where it starts in the file (its gzip member's first byte).
    pub offset: u64,
    /// Its bytes in the file.
    pub length: u64,
}

/// Writes WARC 1.1 files into a folder: a `warcinfo` record first in each
/// file, then the records given, each its own gzip member (or plain, on
/// request), the file rotated at a size, a CDXJ index (`NAME.cdxj`) beside
/// each file, sorted when the file is closed. It is `Sync`: the workers of
/// a crawl share one.
///
/// A writer never appends to a file it did not create: a kill leaves at
/// most the last record cut short, which readers skip, and the next writer
/// starts a file of its own. Captures already indexed in the folder are
/// read at open, so that a payload met again (the same page on a re-crawl,
/// or under another address) is written as a `revisit` record pointing at
/// it ([`write_fetched`](Self::write_fetched)).
///
/// ```
/// use report_scraper::warc::{NewRecord, WarcReader, WarcWriter};
/// let dir = std::env::temp_dir().join(format!("warc-doc-{}", std::process::id()));
/// let writer = WarcWriter::builder(&dir).prefix("demo").open()?;
/// let http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10\r\n\r\n<h1>t</h1>";
/// let record = NewRecord::new("response", http.as_slice())
///     .header("WARC-Target-URI", "http://a.cn/1.html")
///     .header("Content-Type", "application/http; msgtype=response");
/// let written = writer.write(record)?;
/// let files = writer.finish()?;
/// let read: Vec<_> = WarcReader::new(std::fs::File::open(&files[0]).unwrap()).collect::<Result<_, _>>()?;
/// assert_eq!(read[0].kind(), Some("warcinfo"));
/// assert_eq!(read[1].record_id(), Some(written.record_id.as_str()));
/// assert!(read[1].header("WARC-Payload-Digest").unwrap().starts_with("sha1:"));
/// let index = std::fs::read_to_string(files[0].with_extension("").with_extension("cdxj")).unwrap();
/// assert!(index.starts_with("cn,a)/1.html "));
/// # std::fs::remove_dir_all(dir).unwrap();
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug)]
pub struct WarcWriter {
    dir: PathBuf,
    prefix: String,
    max_file_bytes: u64,
    gzip: bool,
    info: Vec<(String, String)>,
    files: Mutex<Files>,
    captures: Mutex<Captures>,
}

/// How a [`WarcWriter`] is set up: [`WarcWriter::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct WarcWriterBuilder {
    dir: PathBuf,
    prefix: String,
    max_file_bytes: u64,
    gzip: bool,
    info: Vec<(String, String)>,
}

impl WarcWriterBuilder {
    /// The start of every file's name (default `report-scraper`): files are
    /// `PREFIX-YYYYMMDDHHMMSS-NNNNN.warc.gz`.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// A file is closed, and the next begun, once it holds this many bytes
    /// (default [`DEFAULT_MAX_FILE_BYTES`]); the records of one exchange stay in one file.
    pub fn max_file_bytes(mut self, bytes: u64) -> Self {
        self.max_file_bytes = bytes.max(1);
        self
    }

    /// Each record its own gzip member (`.warc.gz`, the default), or plain (`.warc`).
    pub fn gzip(mut self, gzip: bool) -> Self {
        self.gzip = gzip;
        self
    }

    /// A field of every file's `warcinfo` record (`operator`, `isPartOf`,
    /// `robots`…), besides `software` and `format`.
    pub fn info(mut self, name: &str, value: impl Into<String>) -> Self {
        self.info.push((name.to_string(), value.into()));
        self
    }

    /// Creates the folder if need be and reads the indexes already in it
    /// (sorting one a killed writer left unsorted).
    ///
    /// # Errors
    /// [`ErrorKind::WarcWrite`] when the folder cannot be made or read.
    pub fn open(self) -> Result<WarcWriter, Error> {
        let failed = |e: io::Error| write_error(&self.dir, e);
        fs::create_dir_all(&self.dir).map_err(failed)?;
        let mut captures = Captures::default();
        for entry in fs::read_dir(&self.dir).map_err(failed)? {
            let path = entry.map_err(failed)?.path();
            if path.extension().is_some_and(|e| e == "cdxj") {
                sort_file(&path).and_then(|()| captures.load(&path)).map_err(|e| write_error(&path, e))?;
            }
        }
        Ok(WarcWriter {
            dir: self.dir,
            prefix: self.prefix,
            max_file_bytes: self.max_file_bytes,
            gzip: self.gzip,
            info: self.info,
            files: Mutex::new(Files::default()),
            captures: Mutex::new(captures),
        })
    }
}

/// The files of a writer: the one open, and those closed.
#[derive(Debug, Default)]
struct Files {
    current: Option<Current>,
    closed: Vec<PathBuf>,
    serial: u32,
}

/// The file being written, and its index.
#[derive(Debug)]
struct Current {
    path: PathBuf,
    name: String,
    file: File,
    index_path: PathBuf,
    index: File,
    bytes: u64,
}

/// A record made ready to write, outside the lock: its bytes, and what the index and the captures learn.
struct Encoded {
    bytes: Vec<u8>,
    record_id: String,
    entry: Option<Entry>,
    capture: Option<Capture>,
}

impl WarcWriter {
    /// A writer into `dir`, set up by the builder's methods.
    pub fn builder(dir: impl AsRef<Path>) -> WarcWriterBuilder {
        WarcWriterBuilder {
            dir: dir.as_ref().to_path_buf(),
            prefix: "report-scraper".into(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            gzip: true,
            info: Vec::new(),
        }
    }

    /// The folder it writes into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one record.
    ///
    /// # Errors
    /// [`ErrorKind::WarcWrite`] when a file cannot be created or written.
    pub fn write(&self, record: NewRecord<'_>) -> Result<Written, Error> {
        let mut written = self.write_all(vec![record])?;
        Ok(written.remove(0))
    }

    /// Writes records one after the other into one file (a request and its
    /// response, say): the file is rotated before them, not between them.
    ///
    /// # Errors
    /// [`ErrorKind::WarcWrite`] when a file cannot be created or written.
    pub fn write_all(&self, records: Vec<NewRecord<'_>>) -> Result<Vec<Written>, Error> {
        // Digests and compression outside the lock: the workers of a crawl share the writer.
        let encoded: Vec<Encoded> = records.into_iter().map(|r| self.encode(r)).collect();
        let mut files = self.lock_files();
        let total: u64 = encoded.iter().map(|e| e.bytes.len() as u64).sum();
        let current = self.current(&mut files, total)?;
        let mut index = String::new();
        let mut written = Vec::with_capacity(encoded.len());
        for e in &encoded {
            current.file.write_all(&e.bytes).map_err(|err| write_error(&current.path, err))?;
            let (offset, length) = (current.bytes, e.bytes.len() as u64);
            current.bytes += length;
            if let Some(entry) = &e.entry {
                index.push_str(&Entry { offset, length, filename: current.name.clone(), ..entry.clone() }.line());
            }
            written.push(Written { record_id: e.record_id.clone(), path: current.path.clone(), offset, length });
        }
        // The index follows its records: a kill between them loses a line, never points at nothing.
        current.index.write_all(index.as_bytes()).map_err(|err| write_error(&current.index_path, err))?;
        drop(files);
        let mut captures = self.lock_captures();
        for capture in encoded.into_iter().filter_map(|e| e.capture) {
            captures.add(capture);
        }
        Ok(written)
    }

    /// Closes the file being written (its index sorted) and gives every
    /// file this writer wrote, in order.
    ///
    /// # Errors
    /// [`ErrorKind::WarcWrite`] when the index cannot be sorted.
    pub fn finish(self) -> Result<Vec<PathBuf>, Error> {
        let mut files = self.lock_files();
        close(&mut files)?;
        Ok(std::mem::take(&mut files.closed))
    }

    /// The earlier capture a payload or a `304` points at.
    #[cfg(feature = "fetch")]
    pub(crate) fn earlier(&self, url: &str, digest: Option<&str>) -> Option<Capture> {
        let captures = self.lock_captures();
        match digest {
            Some(d) => captures.of_digest(d).cloned(),
            None => captures.of_url(url).cloned(),
        }
    }

    fn lock_files(&self) -> MutexGuard<'_, Files> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_captures(&self) -> MutexGuard<'_, Captures> {
        self.captures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The file to write `bytes` more into: the one open, or the next when
    /// it is full (or none is open).
    fn current<'f>(&self, files: &'f mut Files, bytes: u64) -> Result<&'f mut Current, Error> {
        if files.current.as_ref().is_some_and(|c| c.bytes > 0 && c.bytes + bytes > self.max_file_bytes) {
            close(files)?;
        }
        if files.current.is_none() {
            let current = self.create(files)?;
            files.current = Some(current);
        }
        Ok(files.current.as_mut().expect("a file was just opened"))
    }

    /// The next file, with its `warcinfo` record, and its index.
    fn create(&self, files: &mut Files) -> Result<Current, Error> {
        let stamp = Timestamp::now().strftime("%Y%m%d%H%M%S").to_string();
        let ext = if self.gzip { "warc.gz" } else { "warc" };
        for _ in 0..MAX_NAME_TRIES {
            files.serial += 1;
            let stem = format!("{}-{stamp}-{:05}", self.prefix, files.serial);
            let path = self.dir.join(format!("{stem}.{ext}"));
            let file = match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(f) => f,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(write_error(&path, e)),
            };
            let index_path = self.dir.join(format!("{stem}.cdxj"));
            let index = File::create(&index_path).map_err(|e| write_error(&index_path, e))?;
            let name = format!("{stem}.{ext}");
            let mut current = Current { path, name, file, index_path, index, bytes: 0 };
            let info = self.encode(self.warcinfo(&current.name));
            current.file.write_all(&info.bytes).map_err(|e| write_error(&current.path, e))?;
            current.bytes = info.bytes.len() as u64;
            return Ok(current);
        }
        Err(write_error(&self.dir, io::Error::other("no free file name")))
    }

    fn warcinfo(&self, filename: &str) -> NewRecord<'static> {
        let mut fields = format!(
            "software: report-scraper/{}\r\nformat: WARC File Format 1.1\r\n\
             conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
            env!("CARGO_PKG_VERSION")
        );
        for (name, value) in &self.info {
            fields.push_str(&format!("{name}: {}\r\n", value.replace(['\r', '\n'], " ")));
        }
        NewRecord::new("warcinfo", fields.into_bytes())
            .header("WARC-Filename", filename)
            .header("Content-Type", "application/warc-fields")
    }

    /// The record's bytes (a gzip member, or plain), and its index line and capture.
    fn encode(&self, record: NewRecord<'_>) -> Encoded {
        let record_id = record.get("WARC-Record-ID").map_or_else(new_record_id, str::to_string);
        let date = record.get("WARC-Date").map_or_else(|| warc_date(Timestamp::now()), str::to_string);
        let http = record.get("Content-Type").is_some_and(|t| t.to_ascii_lowercase().starts_with("application/http"));
        let payload_digest = match record.get("WARC-Payload-Digest") {
            Some(d) => Some(d.to_string()),
            None if http && record.kind == "response" => Some(sha1_digest(http_body(&record.block))),
            None => None,
        };
        let mut head =
            format!("{VERSION}\r\nWARC-Type: {}\r\nWARC-Record-ID: {record_id}\r\nWARC-Date: {date}\r\n", record.kind);
        for (name, value) in &record.headers {
            let ours = ["WARC-Type", "WARC-Record-ID", "WARC-Date", "Content-Length", "WARC-Payload-Digest"];
            if !ours.iter().any(|o| o.eq_ignore_ascii_case(name)) {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        if record.get("WARC-Block-Digest").is_none() {
            head.push_str(&format!("WARC-Block-Digest: {}\r\n", sha1_digest(&record.block)));
        }
        if let Some(d) = &payload_digest {
            head.push_str(&format!("WARC-Payload-Digest: {d}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", record.block.len()));
        let mut plain = Vec::with_capacity(head.len() + record.block.len() + 4);
        plain.extend_from_slice(head.as_bytes());
        plain.extend_from_slice(&record.block);
        plain.extend_from_slice(b"\r\n\r\n");
        let bytes = if self.gzip { gzip(&plain) } else { plain };
        let uri = record.get("WARC-Target-URI").map(|u| u.trim_start_matches('<').trim_end_matches('>').to_string());
        let indexed = http && matches!(record.kind.as_str(), "response" | "revisit");
        let entry = uri.as_ref().filter(|_| indexed).map(|url| {
            let (status, mime) = http_status_and_mime(&record.block);
            let mime = if record.kind == "revisit" { Some(REVISIT_MIME.to_string()) } else { mime };
            let timestamp: String = date.chars().filter(char::is_ascii_digit).take(14).collect();
            Entry { url: url.clone(), timestamp, mime, status, digest: payload_digest.clone(), ..Entry::default() }
        });
        let capture = uri.filter(|_| indexed && record.kind == "response").map(|url| Capture {
            url,
            date,
            record_id: Some(record_id.clone()),
            digest: payload_digest,
        });
        Encoded { bytes, record_id, entry, capture }
    }
}

impl Drop for WarcWriter {
    fn drop(&mut self) {
        let mut files = self.lock_files();
        if let Err(e) = close(&mut files) {
            tracing::warn!(error = %e, "the last web archive's index could not be sorted");
        }
    }
}

/// Closes the open file, if one is, and sorts its index.
fn close(files: &mut Files) -> Result<(), Error> {
    let Some(current) = files.current.take() else { return Ok(()) };
    let Current { path, index_path, .. } = current;
    sort_file(&index_path).map_err(|e| write_error(&index_path, e))?;
    files.closed.push(path);
    Ok(())
}

/// `<urn:uuid:…>`, random.
fn new_record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

/// A `WARC-Date`: UTC to the second.
pub(crate) fn warc_date(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `sha1:` and the digest in base32, as WARC files spell it.
pub(crate) fn sha1_digest(bytes: &[u8]) -> String {
    format!("sha1:{}", data_encoding::BASE32.encode(&Sha1::digest(bytes)))
}

/// The body of an HTTP message: what follows its head (all of it when no head ends).
fn http_body(block: &[u8]) -> &[u8] {
    memchr::memmem::find(block, b"\r\n\r\n").map_or(&block[..0], |at| &block[at + 4..])
}

/// The status and media type of an HTTP response's head, as cdxj-indexer reads them.
fn http_status_and_mime(block: &[u8]) -> (Option<u16>, Option<String>) {
    let mut slots = [httparse::EMPTY_HEADER; 128];
    let mut response = httparse::Response::new(&mut slots);
    if response.parse(block).is_err() {
        return (None, None);
    }
    let mime = response.headers.iter().find(|h| h.name.eq_ignore_ascii_case("content-type")).map(|h| {
        let value = String::from_utf8_lossy(h.value);
        value.split(|c: char| c == ';' || c.is_whitespace()).next().unwrap_or("").trim().to_string()
    });
    (response.code, mime)
}

fn gzip(plain: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(plain.len() / 3), Compression::default());
    // Writing into memory cannot fail.
    let _ = encoder.write_all(plain);
    encoder.finish().unwrap_or_default()
}

fn write_error(path: &Path, e: io::Error) -> Error {
    Error::new(ErrorKind::WarcWrite { path: path.display().to_string(), source: Box::new(e) })
}
