//! Web archives read against a real client of the format: `warcio` (from
//! pip) writes WARC files at test time from the shared pages with their
//! addresses (never stored here), gzip a member per record and plain; the
//! crate reads them, whole-file gzip too, and extracts the same articles as
//! from the pages themselves. Fixtures made here cover what breaks: a
//! record of garbage, a file cut inside a record, a broken gzip member.
#![cfg(feature = "warc")]

#[path = "../support/mod.rs"]
mod support;

#[cfg(feature = "crawl")]
mod crawled;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use report_scraper::warc::{Record, WarcReader};
use report_scraper::{ErrorCode, Extractor};
use support::{dataset, truth};

/// Writes a WARC of `pages` (address, file) with warcio: a response (the
/// page behind an HTTP head) and a request for each. `None` when warcio is
/// not installed outside CI.
fn warcio_write(pages: &[(String, PathBuf)], out: &Path, gzip: bool) -> Option<()> {
    const SCRIPT: &str = r#"
import io, json, sys
from warcio.warcwriter import WARCWriter
from warcio.statusandheaders import StatusAndHeaders
spec = json.load(sys.stdin)
with open(spec["out"], "wb") as f:
    w = WARCWriter(f, gzip=spec["gzip"])
    for url, path in spec["pages"]:
        body = open(path, "rb").read()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example")], is_http_request=True)
        w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
"#;
    let has = Command::new("python3").args(["-c", "import warcio"]).status().is_ok_and(|s| s.success());
    if !has {
        assert!(std::env::var_os("CI").is_none(), "warcio is not installed; CI needs it (pip install warcio)");
        eprintln!("skipped: warcio is not installed (pip install warcio)");
        return None;
    }
    let spec = serde_json::json!({"out": out, "gzip": gzip, "pages": pages});
    let mut child = Command::new("python3").args(["-c", SCRIPT]).stdin(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(spec.to_string().as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "warcio failed");
    Some(())
}

/// The zh-dev pages with their addresses.
fn pages() -> Option<Vec<(String, PathBuf)>> {
    let dir = dataset("zh-dev")?;
    Some(
        truth(&dir)
            .iter()
            .map(|t| {
                let id = t["id"].as_str().unwrap();
                // A page kept without its address gets one: an archive names each page's.
                let url = t["url"]
                    .as_str()
                    .filter(|u| !u.is_empty())
                    .map_or_else(|| format!("https://zh-dev.example/{id}.html"), str::to_string);
                (url, dir.join("html").join(format!("{id}.html")))
            })
            .collect(),
    )
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rs-warc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn read(bytes: &[u8]) -> (Vec<Record>, Vec<report_scraper::Error>) {
    let (mut records, mut errors) = (Vec::new(), Vec::new());
    for r in WarcReader::new(bytes) {
        match r {
            Ok(r) => records.push(r),
            Err(e) => errors.push(e),
        }
    }
    (records, errors)
}

#[test]
fn warcio_files_read_and_extract_as_the_pages_do() {
    let Some(pages) = pages() else { return };
    for gzip in [true, false] {
        let path = temp(if gzip { "pages.warc.gz" } else { "pages.warc" });
        let Some(()) = warcio_write(&pages, &path, gzip) else { return };
        let (records, errors) = read(&std::fs::read(&path).unwrap());
        assert!(errors.is_empty(), "{errors:?}");
        let responses: Vec<&Record> = records.iter().filter(|r| r.kind() == Some("response")).collect();
        assert_eq!(responses.len(), pages.len());
        assert_eq!(records.iter().filter(|r| r.kind() == Some("request")).count(), pages.len());
        assert!(
            records.iter().all(|r| r.record_id().is_some_and(|id| id.starts_with("<urn:uuid:")) && r.date().is_some())
        );
        for (record, (url, file)) in responses.iter().zip(&pages) {
            assert_eq!(record.target_uri(), Some(url.as_str()));
            let http = record.http().unwrap().unwrap();
            let bytes = std::fs::read(file).unwrap();
            assert_eq!(http.body, bytes, "{url}: the payload as written");
            let from_warc = Extractor::default().page(http.input(url)).unwrap().into_article().unwrap();
            let direct = report_scraper::extract(&bytes, Some(url)).unwrap();
            assert_eq!((&from_warc.title, from_warc.text()), (&direct.title, direct.text()), "{url}");
        }
        // Per-record gzip: each record's offset is its member's, as a CDX index gives it.
        if gzip {
            let file = std::fs::read(&path).unwrap();
            assert!(records.iter().all(|r| file[r.offset as usize..].starts_with(&[0x1f, 0x8b])));
            let offsets: Vec<u64> = records.iter().map(|r| r.offset).collect();
            assert!(offsets.windows(2).all(|w| w[0] < w[1]), "one member a record");
            // A reader started at a record's offset reads that record first.
            let third = &records[2];
            let (again, _) = read(&file[third.offset as usize..]);
            assert_eq!(again[0].record_id(), third.record_id());
        }
    }
}

#[test]
fn whole_file_gzip_reads_like_the_plain_file() {
    let Some(pages) = pages() else { return };
    let path = temp("whole.warc");
    let Some(()) = warcio_write(&pages[..5], &path, false) else { return };
    let plain = std::fs::read(&path).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).unwrap();
    let (a, ea) = read(&plain);
    let (b, eb) = read(&gz.finish().unwrap());
    assert!(ea.is_empty() && eb.is_empty());
    assert_eq!(a.len(), 10);
    assert_eq!(a.iter().map(|r| &r.block).collect::<Vec<_>>(), b.iter().map(|r| &r.block).collect::<Vec<_>>());
}

#[test]
fn broken_records_are_reported_with_their_offset_and_skipped() {
    let Some(pages) = pages() else { return };
    let path = temp("broken.warc");
    let Some(()) = warcio_write(&pages[..4], &path, false) else { return };
    let plain = std::fs::read(&path).unwrap();
    let (records, _) = read(&plain);
    // Garbage where the third record starts, the file cut inside the last one.
    let third = records[2].offset as usize;
    let mut broken = plain[..third].to_vec();
    broken.extend_from_slice(b"this is not a record\r\nnor this\r\n\r\n");
    broken.extend_from_slice(&plain[third..plain.len() - 100]);
    let (got, errors) = read(&broken);
    assert_eq!(got.len(), records.len() - 1, "every record but the cut one");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().all(|e| e.kind().code() == ErrorCode::BadWarc));
    assert!(errors[0].to_string().contains(&format!("byte {third}")), "{}", errors[0]);

    // A gzip member broken inside: that record is reported, the next ones read.
    let gz_path = temp("broken.warc.gz");
    warcio_write(&pages[..4], &gz_path, true).unwrap();
    let mut file = std::fs::read(&gz_path).unwrap();
    let (records, _) = read(&file);
    let second = records[1].offset as usize;
    for b in &mut file[second + 20..second + 60] {
        *b ^= 0x5a;
    }
    let (got, errors) = read(&file);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].to_string().contains(&format!("byte {second}")), "{}", errors[0]);
    assert_eq!(got.len(), records.len() - 1);
    assert_eq!(got[1].record_id(), records[2].record_id(), "reading went on at the next member");
}

#[test]
fn non_html_and_empty_input_do_not_fail_the_reader() {
    assert_eq!(read(b"").0.len(), 0);
    let png = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n";
    let warc = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        png.len()
    );
    let mut bytes = warc.into_bytes();
    bytes.extend_from_slice(png);
    bytes.extend_from_slice(b"\r\n\r\n");
    let (records, errors) = read(&bytes);
    assert!(errors.is_empty());
    let http = records[0].http().unwrap().unwrap();
    assert!(!http.is_html());
    assert_eq!(records[0].target_uri(), None);
}
