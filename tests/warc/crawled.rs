//! A crawl's own web archive, checked by real clients of the format: the
//! crawler archives three loopback sites built like the CMS families (TRS
//! print and tracking variants, Hanweb JCMS data requests by POST, ASP.NET
//! postbacks) in files rotated at a small size, twice (the second run
//! reads the lists again); `warcio check` verifies every digest,
//! `cdxj-indexer` indexes each file as we did, and extracting the archive
//! gives the articles the crawl wrote. A writer killed mid-record leaves a
//! file readers read up to the cut, and the next writer starts anew.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use report_scraper::crawl::{CrawlConfig, CrawlEvent, CrawlState, Crawler};
use report_scraper::fetch::{FetchConfig, Fetcher};
use report_scraper::warc::{NewRecord, WarcReader, WarcWriter};
use report_scraper::{Article, ErrorCode, Extractor};

use crate::support::cms_sites::{aspnet, jcms, trs};
use crate::support::server::serve;

/// Files are closed past this size, so that a small crawl spans several.
const FILE_BYTES: u64 = 24 * 1024;

/// Runs `python3 -c SCRIPT ARGS…` and gives its standard output; `None`
/// when `module` is not installed (outside CI; CI installs it).
fn python(module: &str, script: &str, args: &[&Path]) -> Option<String> {
    let has = Command::new("python3").args(["-c", &format!("import {module}")]).status().is_ok_and(|s| s.success());
    if !has {
        assert!(std::env::var_os("CI").is_none(), "{module} is not installed; CI needs it (pip install)");
        eprintln!("skipped: {module} is not installed");
        return None;
    }
    let out = Command::new("python3").arg("-c").arg(script).args(args).output().unwrap();
    assert!(out.status.success(), "{module}: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).unwrap())
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rs-warc-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn fetcher() -> Fetcher {
    let config = FetchConfig::builder()
        .allow_range("127.0.0.1/32".parse().unwrap())
        .politeness_delay(Duration::from_millis(2))
        .timeout(Duration::from_secs(5))
        .retries(1)
        .build();
    Fetcher::new(config).unwrap()
}

/// What an article is, for comparing the crawl's with the archive's.
type Key = (String, u32);
type Seen = (Option<String>, Option<String>, String);

fn seen(article: &Article) -> Seen {
    (article.title.clone(), article.published.as_ref().map(|p| p.value.to_string()), article.text())
}

/// Every article the archive's HTML responses give, as a crawl records them.
fn extract_archive(files: &[PathBuf]) -> BTreeMap<Key, Seen> {
    let mut out = BTreeMap::new();
    for file in files {
        for record in WarcReader::new(std::fs::File::open(file).unwrap()) {
            let record = record.unwrap();
            let (Some(url), Some(http)) = (record.target_uri(), record.http()) else { continue };
            let http = http.unwrap();
            if !http.is_html() {
                continue;
            }
            let page = Extractor::default().page(http.input(url)).unwrap();
            let articles = page.articles.iter().filter(|a| a.looks_like_article());
            for (part, a) in (0..).zip(articles) {
                assert!(out.insert((url.to_string(), part), seen(a)).is_none(), "{url} archived twice in full");
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawls_archive_passes_warcio_matches_cdxj_indexer_and_extracts_to_its_articles() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let trs_site = serve(move |req| trs(b.get().map(String::as_str).unwrap_or_default(), req)).await;
    base.set(trs_site.base.clone()).unwrap();
    let (jcms_site, aspnet_site) = (serve(jcms).await, serve(aspnet).await);
    let seeds: Vec<String> = [&trs_site, &jcms_site, &aspnet_site].iter().map(|s| format!("{}/", s.base)).collect();
    let dir = temp_dir("crawl");
    let state = CrawlState::in_memory().unwrap();
    let mut crawled: BTreeMap<Key, Seen> = BTreeMap::new();
    for run in 0..2 {
        let writer = WarcWriter::builder(&dir).prefix("test").max_file_bytes(FILE_BYTES).open().unwrap();
        let config = CrawlConfig::builder().seeds(&seeds).workers(4).build();
        let crawler = Crawler::new(config, fetcher()).unwrap().archive(writer);
        let summary = crawler
            .run(&state, &AtomicBool::new(false), |event| {
                if let CrawlEvent::Articles(records) = event {
                    for r in records {
                        crawled.insert((r.final_url.to_string(), r.part), seen(&r.article));
                    }
                }
                Ok(())
            })
            .await
            .unwrap();
        assert!(summary.fetched > 0, "run {run}: {summary:?}");
    }
    assert!(crawled.len() >= 30, "{} articles", crawled.len());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "rotated at {FILE_BYTES} bytes: {files:?}");

    // The crawl's articles, and no other, come out of its archive.
    let archived = extract_archive(&files);
    let missing: Vec<&Key> = crawled.keys().filter(|k| !archived.contains_key(*k)).collect();
    assert!(missing.is_empty(), "written by the crawl, not in its archive: {missing:?}");
    for (key, article) in &crawled {
        assert_eq!(&archived[key], article, "{key:?}: the archive's extraction differs");
    }

    // warcio: every block and payload digest checks.
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let check = "import sys\nfrom warcio.cli import main\nsys.exit(main(['check', '-v'] + sys.argv[1:]))";
    let Some(report) = python("warcio", check, &paths) else { return };
    assert!(report.matches("digest pass").count() > 100, "{report}");
    assert!(!report.contains("fail"), "{report}");

    // What warcio reads: types, request and response paired, revisits pointing at a response.
    const TALLY: &str = r#"
import sys, json
from warcio.archiveiterator import ArchiveIterator
out = {"types": {}, "first": [], "concurrent": 0, "unpaired": 0, "refers": [], "responses": {}, "posts": 0}
records = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        for i, r in enumerate(ArchiveIterator(f)):
            h = r.rec_headers
            t = h.get_header("WARC-Type")
            out["types"][t] = out["types"].get(t, 0) + 1
            if i == 0: out["first"].append(t)
            records.append((t, h.get_header("WARC-Record-ID"), h.get_header("WARC-Concurrent-To")))
            if t == "response":
                out["responses"][h.get_header("WARC-Payload-Digest")] = h.get_header("WARC-Target-URI")
                out.setdefault("ips", []).append(h.get_header("WARC-IP-Address"))
            if t == "revisit":
                out["refers"].append([h.get_header("WARC-Profile"), h.get_header("WARC-Payload-Digest"),
                                      h.get_header("WARC-Refers-To-Target-URI")])
            if t == "request" and r.http_headers.protocol == "POST":
                out["posts"] += 1
ids = {i for (t, i, _) in records if t in ("response", "revisit")}
for (t, i, c) in records:
    if t in ("request", "metadata"):
        if c in ids: out["concurrent"] += 1
        else: out["unpaired"] += 1
print(json.dumps(out))
"#;
    let tally: serde_json::Value = serde_json::from_str(&python("warcio", TALLY, &paths).unwrap()).unwrap();
    let types = &tally["types"];
    assert!(tally["first"].as_array().unwrap().iter().all(|t| t == "warcinfo"), "{tally}");
    assert_eq!(tally["unpaired"], 0, "every request and metadata record is concurrent to a response: {tally}");
    let fetched = types["response"].as_u64().unwrap() + types["revisit"].as_u64().unwrap();
    assert_eq!(types["request"].as_u64().unwrap(), fetched, "{tally}");
    assert!(tally["ips"].as_array().unwrap().iter().all(|ip| ip == "127.0.0.1"), "WARC-IP-Address: {tally}");
    assert!(tally["posts"].as_u64().unwrap() >= 2, "JCMS and ASP.NET pages asked by POST: {tally}");
    // Revisits: the print variants' identical payloads, and the second run's lists.
    let refers = tally["refers"].as_array().unwrap();
    assert!(refers.len() >= 5, "{tally}");
    for r in refers {
        assert!(r[0].as_str().unwrap().ends_with("/identical-payload-digest"), "{r}");
        assert_eq!(tally["responses"][r[1].as_str().unwrap()], r[2], "a revisit names the response it repeats: {r}");
    }

    // cdxj-indexer indexes each file as we did, line for line.
    let index = "import sys\nfrom cdxj_indexer.main import main\nmain(['-s'] + sys.argv[1:])";
    for file in &files {
        let Some(theirs) = python("cdxj_indexer", index, &[file]) else { return };
        let ours = std::fs::read_to_string(file.to_string_lossy().replace(".warc.gz", ".cdxj")).unwrap();
        assert_eq!(ours, theirs, "{}", file.display());
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_writer_killed_mid_record_leaves_a_file_read_to_the_cut_and_the_next_writer_starts_anew() {
    let dir = temp_dir("killed");
    let writer = WarcWriter::builder(&dir).open().unwrap();
    let page = |n: usize| format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<h1>第{n}篇</h1>").into_bytes();
    for n in 0..5 {
        let record = NewRecord::new("response", page(n))
            .header("WARC-Target-URI", format!("http://a.cn/{n}.html"))
            .header("Content-Type", "application/http; msgtype=response");
        writer.write(record).unwrap();
    }
    // Killed: the last record cut, its index line half written, the index never sorted.
    let file = writer.finish().unwrap().remove(0);
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() - 40]).unwrap();
    let index = file.to_string_lossy().replace(".warc.gz", ".cdxj");
    let lines = std::fs::read_to_string(&index).unwrap();
    let mut reversed: Vec<&str> = lines.lines().rev().collect();
    reversed.push("cn,a)/9.html 2026");
    std::fs::write(&index, reversed.join("\n")).unwrap();

    let read: Vec<_> = WarcReader::new(std::fs::File::open(&file).unwrap()).collect();
    assert_eq!(read.len(), 6, "warcinfo, four records, the cut one's error");
    assert!(read[..5].iter().all(Result::is_ok));
    assert_eq!(read[5].as_ref().unwrap_err().kind().code(), ErrorCode::BadWarc);

    // The next writer repairs the index, and writes a file of its own.
    let again = WarcWriter::builder(&dir).open().unwrap();
    assert_eq!(std::fs::read_to_string(&index).unwrap(), lines, "sorted again, the cut line dropped");
    let record = NewRecord::new("resource", b"x".as_slice()).header("WARC-Target-URI", "http://a.cn/x");
    let written = again.write(record).unwrap();
    assert_ne!(written.path, file);
    assert_eq!(std::fs::read(&file).unwrap().len(), bytes.len() - 40, "the killed file is left as it was");
    std::fs::remove_dir_all(dir).ok();
}

/// The shared pages that have their real addresses, with those addresses.
fn real_pages() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for set in ["zh-dev", "zh-more", "scrapinghub", "dates-dev", "tfeval-dev"] {
        let Some(dir) = crate::support::dataset(set) else { return Vec::new() };
        for t in crate::support::truth(&dir) {
            let (Some(id), Some(url)) = (t["id"].as_str(), t["url"].as_str().filter(|u| u.starts_with("http"))) else {
                continue;
            };
            out.push((url.to_string(), dir.join("html").join(format!("{id}.html"))));
        }
    }
    out
}

/// Real addresses (Chinese paths, long queries, ports, `www2.`) and real
/// pages, written by our writer: warcio checks every digest and reads the
/// pages back byte for byte, and cdxj-indexer keys and orders the index as
/// we did.
#[test]
fn real_pages_written_check_with_warcio_and_index_as_cdxj_indexer_does() {
    let pages = real_pages();
    if pages.is_empty() {
        return;
    }
    assert!(pages.len() > 500, "{} pages with addresses", pages.len());
    let dir = temp_dir("real");
    let writer = WarcWriter::builder(&dir).prefix("real").open().unwrap();
    for (url, path) in &pages {
        let body = std::fs::read(path).unwrap();
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
        http.extend_from_slice(&body);
        let record = NewRecord::new("response", http)
            .header("WARC-Target-URI", url.as_str())
            .header("Content-Type", "application/http; msgtype=response");
        writer.write(record).unwrap();
    }
    let file = writer.finish().unwrap().remove(0);
    let check = "import sys\nfrom warcio.cli import main\nsys.exit(main(['check'] + sys.argv[1:]))";
    let Some(_) = python("warcio", check, &[&file]) else { return };
    // warcio reads each page back as it was, under its address.
    const PAYLOADS: &str = r#"
import sys, json
from warcio.archiveiterator import ArchiveIterator
pages = json.load(open(sys.argv[2]))
got = [(r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
       for r in ArchiveIterator(open(sys.argv[1], "rb")) if r.rec_type == "response"]
# Addresses as header values: white space around them is no part of them.
same = sum(1 for (u, b), (url, path) in zip(got, pages) if u == url.strip() and b == open(path, "rb").read())
print(len(got), same)
"#;
    let spec = dir.join("pages.json");
    std::fs::write(&spec, serde_json::to_string(&pages).unwrap()).unwrap();
    let read = python("warcio", PAYLOADS, &[&file, &spec]).unwrap();
    assert_eq!(read.trim(), format!("{0} {0}", pages.len()), "responses read, and read as written");
    let index = "import sys\nfrom cdxj_indexer.main import main\nmain(['-s'] + sys.argv[1:])";
    let Some(theirs) = python("cdxj_indexer", index, &[&file]) else { return };
    let ours = std::fs::read_to_string(file.to_string_lossy().replace(".warc.gz", ".cdxj")).unwrap();
    assert_eq!(ours.lines().count(), pages.len());
    for (a, b) in ours.lines().zip(theirs.lines()) {
        assert_eq!(a, b, "our index line, then cdxj-indexer's");
    }
    assert_eq!(ours, theirs);
    std::fs::remove_dir_all(dir).ok();
}
