//! A sitemap of a million addresses, queued: time and state size.
//!
//! ```text
//! cargo bench --bench sitemap            # 1,000,000 addresses
//! cargo bench --bench sitemap -- 200000  # another count
//! ```
//!
//! Serves one gzip-compressed sitemap on 127.0.0.1, runs a crawl that
//! stops before fetching any page (the sitemaps are read first), and prints
//! how long queuing took, the state file's size, and the same again for a
//! resumed run (which must not read the sitemap again).
use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use report_scraper::{
    crawl::CrawlConfig,
    crawl::{CrawlState, Crawler},
    fetch::FetchConfig,
    fetch::Fetcher,
};

#[path = "../tests/support/server.rs"]
mod server;
use server::Reply;

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let bound = server::bind().await;
    let base = bound.base.clone();
    let mut xml = String::from("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
    for i in 0..n {
        xml.push_str(&format!("<url><loc>{base}/xwzx/{:04}/t2024{:04}_{i}.html</loc></url>", i % 997, i % 1231));
    }
    xml.push_str("</urlset>");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(xml.as_bytes()).unwrap();
    let body = gz.finish().unwrap();
    eprintln!("sitemap: {n} addresses, {:.1} MB, {:.1} MB gzipped", xml.len() as f64 / 1e6, body.len() as f64 / 1e6);
    let _server = bound.serve(move |req| match req.path.as_str() {
        "/robots.txt" => Reply::text("User-agent: *\nAllow: /\n"),
        "/sitemap.xml.gz" => Reply::typed("application/octet-stream", body.clone()),
        _ => Reply::status(404),
    });

    let dir = std::env::temp_dir().join(format!("rs-sitemap-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("crawl.db");
    let fetcher = || {
        Fetcher::new(
            FetchConfig::builder()
                .allow_range("127.0.0.1/32".parse().unwrap())
                .politeness_delay(Duration::ZERO)
                .max_bytes(100 * 1024 * 1024)
                .build(),
        )
        .unwrap()
    };
    let crawler = || {
        Crawler::new(
            CrawlConfig::builder().sitemap(format!("{base}/sitemap.xml.gz")).max_pages(u64::MAX).build(),
            fetcher(),
        )
        .unwrap()
    };
    let size = || {
        ["crawl.db", "crawl.db-wal", "crawl.db-shm"]
            .iter()
            .filter_map(|f| std::fs::metadata(dir.join(f)).ok())
            .map(|m| m.len())
            .sum::<u64>()
    };
    let stop = AtomicBool::new(true);
    let state = CrawlState::open(&db).unwrap();
    let t = Instant::now();
    let summary = crawler().run(&state, &stop, |_| Ok(())).await.unwrap();
    let queued = t.elapsed();
    eprintln!(
        "queued {} addresses in {:.2} s ({:.0} per second); state {:.1} MB",
        summary.queued,
        queued.as_secs_f64(),
        summary.queued as f64 / queued.as_secs_f64(),
        size() as f64 / 1e6
    );
    drop(state);
    eprintln!("state file when closed (write-ahead log folded in): {:.1} MB", size() as f64 / 1e6);
    let state = CrawlState::open(&db).unwrap();
    let t = Instant::now();
    crawler().run(&state, &stop, |_| Ok(())).await.unwrap();
    eprintln!("resumed in {:.2} s (the sitemap is not read again)", t.elapsed().as_secs_f64());
    if std::env::var_os("KEEP").is_some() {
        drop(state);
        std::fs::copy(&db, "/tmp/sitemap-bench.db").unwrap();
    }
    std::fs::remove_dir_all(&dir).ok();
}
