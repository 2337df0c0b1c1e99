//! The crawl on sites built like the CMS families (`tests/support/cms_sites.rs`),
//! on loopback: per family, articles found against expected, articles
//! written twice, requests, and wall time against what politeness alone
//! allows (the busiest host's requests × the delay); then several hosts at
//! once, and how pages/s grow with the number of hosts.
//!
//! `cargo bench --bench crawl_sites` (a table on standard output). It uses
//! only the crawler's long-standing API, so the same file measures earlier
//! versions too.

#[path = "../tests/support/server.rs"]
mod server;
#[path = "../tests/support/cms_sites.rs"]
mod sites;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use report_scraper::{
    crawl::CrawlConfig,
    crawl::{CrawlEvent, CrawlState, Crawler},
    fetch::FetchConfig,
    fetch::Fetcher,
};
use server::{Server, serve};

struct Row {
    name: String,
    expected: usize,
    found: usize,
    twice: usize,
    requests: usize,
    wall: Duration,
    bound: Duration,
}

async fn measure(name: &str, servers: &[Server], expected: &[String], delay: Duration, workers: usize) -> Row {
    let seeds = servers.iter().map(|s| format!("{}/", s.base));
    let config = CrawlConfig::builder().workers(workers).max_pages(100_000).seeds(seeds).build();
    let fetcher = Fetcher::new(
        FetchConfig::builder()
            .allow_range("127.0.0.1/32".parse().unwrap())
            .politeness_delay(delay)
            .timeout(Duration::from_secs(10))
            .build(),
    )
    .unwrap();
    let crawler = Crawler::new(config, fetcher).unwrap();
    let state = CrawlState::in_memory().unwrap();
    let mut written: BTreeMap<String, usize> = BTreeMap::new();
    let started = Instant::now();
    crawler
        .run(&state, &AtomicBool::new(false), |event| {
            if let CrawlEvent::Articles(records) = event {
                for r in records {
                    *written.entry(r.article.title.clone().unwrap_or_default()).or_default() += 1;
                }
            }
            Ok(())
        })
        .await
        .unwrap();
    let wall = started.elapsed();
    let busiest = servers.iter().map(|s| s.hits().len()).max().unwrap_or(0);
    Row {
        name: name.to_string(),
        expected: expected.len(),
        found: expected.iter().filter(|t| written.contains_key(*t)).count(),
        twice: written.values().filter(|n| **n > 1).count(),
        requests: servers.iter().map(|s| s.hits().len()).sum(),
        wall,
        bound: delay * busiest as u32,
    }
}

fn print(rows: &[Row]) {
    println!("| site | found | kept twice | requests | wall | politeness bound | wall / bound |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {}/{} | {} | {} | {:.2} s | {:.2} s | {:.2} |",
            r.name,
            r.found,
            r.expected,
            r.twice,
            r.requests,
            r.wall.as_secs_f64(),
            r.bound.as_secs_f64(),
            r.wall.as_secs_f64() / r.bound.as_secs_f64().max(1e-9)
        );
    }
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs it with no argument: then only build.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let delay = Duration::from_millis(20);
    let mut rows = Vec::new();

    let jcms = serve(sites::jcms).await;
    rows.push(measure("Hanweb JCMS", &[jcms], &sites::jcms_expected(), delay, 8).await);
    let aspnet = serve(sites::aspnet).await;
    rows.push(measure("ASP.NET / Epoint + goPage", &[aspnet], &sites::aspnet_expected(), delay, 8).await);
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let trs = serve(move |req| sites::trs(b.get().map(String::as_str).unwrap_or_default(), req)).await;
    base.set(trs.base.clone()).unwrap();
    let mut expected: Vec<String> = (1..=sites::TRS_ARTICLES).map(|n| sites::title_of("新闻中心", n)).collect();
    expected.push(sites::title_of("专题", 1));
    rows.push(measure("TRS-style handlers, variants", &[trs], &expected, delay, 8).await);

    let names = ["甲站", "乙站", "丙站"];
    let mut hosts = Vec::new();
    let mut expected = Vec::new();
    for name in names {
        hosts.push(serve(sites::paged(name, 200, 20)).await);
        expected.extend((1..=200).map(|i| sites::title_of(name, i)));
    }
    rows.push(measure("3 hosts × 200 articles", &hosts, &expected, delay, 8).await);
    print(&rows);

    println!();
    println!("| hosts | articles | wall | pages/s |");
    println!("|---:|---:|---:|---:|");
    for n in [1usize, 5, 10, 25, 50] {
        let mut hosts = Vec::new();
        let mut expected = Vec::new();
        for h in 0..n {
            let name: &'static str = Box::leak(format!("站{h}").into_boxed_str());
            hosts.push(serve(sites::paged(name, 20, 20)).await);
            expected.extend((1..=20).map(|i| sites::title_of(name, i)));
        }
        let r = measure("hosts", &hosts, &expected, delay, 8).await;
        println!(
            "| {n} | {}/{} | {:.2} s | {:.0} |",
            r.found,
            r.expected,
            r.wall.as_secs_f64(),
            r.requests as f64 / r.wall.as_secs_f64()
        );
    }
}
