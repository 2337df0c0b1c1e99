//! What reading web archives costs: records/s and MB/s of the reader
//! (plain and per-record gzip) beside FastWARC's on the same files, the
//! reading's share of extraction, bulk extraction on one and two threads,
//! writing, and the reader's peak memory as the file grows (100 MB, and
//! 1 GB with `-- --large`).
//!
//! `cargo bench --bench warc [-- --large]` (a table on standard output).
//! The archives are made at bench time from every shared page (never
//! stored): each page a `response` record behind an HTTP head. FastWARC
//! (`pip install fastwarc`) is timed when installed.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use report_scraper::Extractor;
use report_scraper::warc::{NewRecord, Record, WarcReader, WarcWriter, par_map};

/// One WARC record of a page, as WARC 1.1 writes it.
fn record(url: &str, n: usize, page: &[u8]) -> Vec<u8> {
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    http.extend_from_slice(page);
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2026-12-07T00:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012}>\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    out.extend_from_slice(&http);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// Every shared page.
fn pages() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets");
    let mut out = Vec::new();
    for set in ["zh-dev", "zh-more", "scrapinghub", "dates-dev", "tfeval-dev"] {
        if let Ok(entries) = std::fs::read_dir(root.join(set).join("html")) {
            let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
            paths.sort();
            out.extend(paths.iter().filter_map(|p| std::fs::read(p).ok()));
        }
    }
    out
}

/// Writes the pages over and over until `bytes` (uncompressed), plain and
/// gzip a member per record; the two paths.
fn make(dir: &Path, pages: &[Vec<u8>], bytes: u64, name: &str) -> (PathBuf, PathBuf) {
    let (plain, gz) = (dir.join(format!("{name}.warc")), dir.join(format!("{name}.warc.gz")));
    let mut p = std::io::BufWriter::new(std::fs::File::create(&plain).unwrap());
    let mut g = std::io::BufWriter::new(std::fs::File::create(&gz).unwrap());
    let (mut written, mut n) = (0u64, 0usize);
    while written < bytes {
        let page = &pages[n % pages.len()];
        let r = record(&format!("https://bench.example/{n}.html"), n, page);
        p.write_all(&r).unwrap();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&r).unwrap();
        g.write_all(&enc.finish().unwrap()).unwrap();
        written += r.len() as u64;
        n += 1;
    }
    (plain, gz)
}

/// Reads every record; (records, seconds).
fn read_all(path: &Path) -> (u64, f64) {
    let t = Instant::now();
    let mut n = 0;
    for r in WarcReader::new(std::fs::File::open(path).unwrap()) {
        std::hint::black_box(r.unwrap().block.len());
        n += 1;
    }
    (n, t.elapsed().as_secs_f64())
}

/// Whether a record's page gave an article (the work of the `warc` example per record).
fn extract(r: &Record) -> bool {
    let (Some(url), Some(Ok(http))) = (r.target_uri(), r.http()) else { return false };
    Extractor::default().page(http.input(url)).is_ok_and(|p| !p.articles.is_empty())
}

/// Rounds of each bulk configuration, interleaved; the fastest round counts
/// (this machine's neighbours make single runs vary by ±30%).
const BULK_ROUNDS: usize = 5;

/// Bulk extraction of the gzip file of every page: on one thread (read,
/// HTTP, extract in one loop), then `par_map` on 1 and 2 threads (a reader
/// thread besides), beside extraction of the same pages from memory (what
/// `examples/eval` does) on one thread and on two (the machine's ceiling
/// for this work, with no reading at all).
fn bulk(pages: &[Vec<u8>], gz: &Path) {
    let from_memory = |page: (usize, &Vec<u8>)| {
        let url = format!("https://bench.example/{}.html", page.0);
        std::hint::black_box(Extractor::default().page(report_scraper::Input::html(page.1).url(&url)).is_ok());
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let articles = WarcReader::new(std::fs::File::open(gz).unwrap()).filter(|r| extract(r.as_ref().unwrap())).count();
    let mut best = [f64::MAX; 5];
    for _ in 0..BULK_ROUNDS {
        let runs: [&dyn Fn(); 5] = [
            &|| pages.iter().enumerate().for_each(from_memory),
            &|| {
                pool.install(|| {
                    use rayon::prelude::*;
                    pages.par_iter().enumerate().for_each(from_memory);
                })
            },
            &|| {
                let n =
                    WarcReader::new(std::fs::File::open(gz).unwrap()).filter(|r| extract(r.as_ref().unwrap())).count();
                assert_eq!(n, articles);
            },
            &|| {
                let done = par_map(WarcReader::new(std::fs::File::open(gz).unwrap()), 1, |r| extract(&r.unwrap()));
                assert_eq!(done.filter(|&a| a).count(), articles);
            },
            &|| {
                let done = par_map(WarcReader::new(std::fs::File::open(gz).unwrap()), 2, |r| extract(&r.unwrap()));
                assert_eq!(done.filter(|&a| a).count(), articles);
            },
        ];
        for (i, run) in runs.iter().enumerate() {
            let t = Instant::now();
            run();
            best[i] = best[i].min(t.elapsed().as_secs_f64());
        }
    }
    let [memory, memory2, single, par1, par2] = best;
    let n = pages.len() as f64;
    println!();
    println!(
        "| bulk extraction, {} pages, gzip WARC (fastest of {BULK_ROUNDS}) | seconds | records/s | speed-up |",
        pages.len()
    );
    println!("|---|---:|---:|---:|");
    println!("| the pages from memory, one thread (as `examples/eval`) | {memory:.2} | {:.0} | 1.00 |", n / memory);
    println!(
        "| the pages from memory, two threads (the machine's ceiling) | {memory2:.2} | {:.0} | {:.2} |",
        n / memory2,
        memory / memory2
    );
    println!("| read + HTTP + extract, one thread | {single:.2} | {:.0} | 1.00 |", n / single);
    println!("| `par_map`, 1 thread | {par1:.2} | {:.0} | {:.2} |", n / par1, single / par1);
    println!(
        "| `par_map`, 2 threads (taking turns at the reader) | {par2:.2} | {:.0} | {:.2} |",
        n / par2,
        single / par2
    );
    println!();
    println!("per-core rate, one thread, against extraction from memory: {:.2}×", memory / single);
}

/// Writing every page as a `response` record with `WarcWriter` (digests, a
/// gzip member each, the index).
fn writing(dir: &Path, pages: &[Vec<u8>]) {
    let out = dir.join("written");
    let writer = WarcWriter::builder(&out).open().unwrap();
    let t = Instant::now();
    let mut bytes = 0;
    for (n, page) in pages.iter().enumerate() {
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
        http.extend_from_slice(page);
        bytes += http.len();
        let record = NewRecord::new("response", http)
            .header("WARC-Target-URI", format!("https://bench.example/{n}.html"))
            .header("Content-Type", "application/http; msgtype=response");
        writer.write(record).unwrap();
    }
    writer.finish().unwrap();
    let s = t.elapsed().as_secs_f64();
    println!();
    println!("| writing (gzip, digests, index) | records/s | MB/s |");
    println!("|---|---:|---:|");
    println!(
        "| `WarcWriter::write`, {} pages | {:.0} | {:.0} |",
        pages.len(),
        pages.len() as f64 / s,
        bytes as f64 / 1e6 / s
    );
}

/// FastWARC's time over the same file (all records, payloads read), when installed.
fn fastwarc(path: &Path) -> Option<f64> {
    let script = "import sys, time\nfrom fastwarc.warc import ArchiveIterator\nt = time.perf_counter()\nn = 0\n\
                  for r in ArchiveIterator(open(sys.argv[1], 'rb'), parse_http=False):\n    r.reader.read(); n += 1\n\
                  print(time.perf_counter() - t)";
    let out = Command::new("python3").args(["-c", script]).arg(path).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// The peak resident memory of this process reading `path` (a child run of the bench).
fn peak_reading(path: &Path) -> Option<u64> {
    let out = Command::new(std::env::current_exe().ok()?).arg("--peak").arg(path).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn vm_hwm() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok());
    kb.unwrap_or(0u64) * 1024
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peak") {
        read_all(Path::new(&args[i + 1]));
        println!("{}", vm_hwm());
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let pages = pages();
    if pages.is_empty() {
        eprintln!("skipped: the shared pages are absent");
        return;
    }
    let dir = std::env::temp_dir().join(format!("rs-warc-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (plain, gz) = make(&dir, &pages, 100 << 20, "100mb");
    let mb = |p: &Path| std::fs::metadata(p).unwrap().len() as f64 / 1e6;
    println!("| file | MB | reader | records/s | MB/s | FastWARC | ours / FastWARC |");
    println!("|---|---:|---|---:|---:|---:|---:|");
    for (name, path) in [("plain", &plain), ("gzip per record", &gz)] {
        let (n, s) = read_all(path);
        let fw = fastwarc(path);
        println!(
            "| {name} | {:.0} | report_scraper | {:.0} | {:.0} | {} | {} |",
            mb(path),
            n as f64 / s,
            mb(path) / s,
            fw.map_or("–".into(), |f| format!("{:.0} records/s", n as f64 / f)),
            fw.map_or("–".into(), |f| format!("{:.2}× its time", s / f)),
        );
    }
    // The reading's share of extraction, on one pass of the pages.
    let (one, once_gz) = make(&dir, &pages, pages.iter().map(|p| p.len() as u64).sum::<u64>(), "once");
    let (n, read_s) = read_all(&one);
    let t = Instant::now();
    let mut articles = 0;
    for r in WarcReader::new(std::fs::File::open(&one).unwrap()) {
        let r = r.unwrap();
        let (Some(url), Some(Ok(http))) = (r.target_uri(), r.http()) else { continue };
        articles += usize::from(Extractor::default().page(http.input(url)).is_ok_and(|p| !p.articles.is_empty()));
    }
    let total = t.elapsed().as_secs_f64();
    println!();
    println!("| records | articles | reading | reading + HTTP + extraction | reading's share |");
    println!("|---:|---:|---:|---:|---:|");
    println!("| {n} | {articles} | {read_s:.3} s | {total:.2} s | {:.1}% |", read_s / total * 100.0);
    bulk(&pages, &once_gz);
    writing(&dir, &pages);
    // Peak memory as the file grows.
    println!();
    println!("| file | peak memory reading it |");
    println!("|---|---:|");
    let mut sizes = vec![(100u64 << 20, "100mb")];
    if args.iter().any(|a| a == "--large") {
        sizes.push((1 << 30, "1gb"));
    }
    for (bytes, name) in sizes {
        let (p, g) = if name == "100mb" { (plain.clone(), gz.clone()) } else { make(&dir, &pages, bytes, name) };
        for path in [p, g] {
            if let Some(peak) = peak_reading(&path) {
                println!(
                    "| {} ({:.0} MB) | {:.1} MB |",
                    path.file_name().unwrap().to_string_lossy(),
                    mb(&path),
                    peak as f64 / 1e6
                );
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
