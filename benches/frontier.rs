//! Frontier operations per second: an address taken (with its host's
//! turn), finished and its turn given back, by 1 to 16 concurrent workers
//! on PostgreSQL (each its own `PgState`, as separate processes would be),
//! beside one worker on a SQLite file. Claims one host at a time, and in
//! batches of [`BATCH`] hosts as the crawl loop takes them (one per free
//! fetch slot; 8 is the crawl's default).
//!
//! ```text
//! REPORT_SCRAPER_PG=postgres://postgres@127.0.0.1:54329/postgres \
//!     cargo bench --features postgres --bench frontier [-- ADDRESSES]
//! ```
//!
//! `.ci/pg start DIR` makes a throw-away server. The addresses (8,000 by
//! default) are spread over 800 hosts, so host turns never make a worker
//! wait: what is measured is the state.
//!
//! Then what the same workers crawl: 1, 2 and 4 workers (each its own
//! `Crawler`, `Fetcher` and `PgState` in this process, 8 fetch slots, as
//! processes on separate machines would be) on loopback sites built like a
//! CMS (`tests/support/cms_sites.rs`), beside one on SQLite: three hosts of
//! 200 articles with a 20 ms delay (wall time against what politeness
//! alone allows: the busiest host's requests × the delay), and fifty hosts
//! of 20 with no delay (pages per second).
#[path = "../tests/support/server.rs"]
mod server;
#[path = "../tests/support/cms_sites.rs"]
mod sites;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use report_scraper::crawl::bench::{drain, enqueue};
use report_scraper::crawl::{CrawlConfig, CrawlState, Crawler, Frontier, PgState};
use report_scraper::fetch::{FetchConfig, Fetcher};
use server::{Server, serve};
use url::Url;

const HOSTS: usize = 800;

/// Hosts asked for in one claim: the crawl's default number of fetch slots.
const BATCH: usize = 8;

fn addresses(n: usize) -> Vec<Url> {
    (0..n).map(|i| Url::parse(&format!("http://h{}.example.cn/a/{i}.html", i % HOSTS)).unwrap()).collect()
}

/// A crawler of `servers` with 8 fetch slots and this delay, as one worker.
fn crawler(servers: &[Server], delay: Duration) -> Arc<Crawler> {
    let seeds = servers.iter().map(|s| format!("{}/", s.base));
    let config = CrawlConfig::builder().workers(8).max_pages(100_000).seeds(seeds).build();
    let fetch = FetchConfig::builder()
        .allow_range("127.0.0.1/32".parse().unwrap())
        .politeness_delay(delay)
        .timeout(Duration::from_secs(10))
        .build();
    Arc::new(Crawler::new(config, Fetcher::new(fetch).unwrap()).unwrap())
}

/// Runs one worker per state at once; the articles they wrote between them.
async fn crawl_with<S: Frontier + 'static>(states: Vec<S>, servers: &[Server], delay: Duration) -> u64 {
    let tasks: Vec<_> = states
        .into_iter()
        .map(|state| {
            let c = crawler(servers, delay);
            tokio::spawn(async move { c.run(&state, &AtomicBool::new(false), |_| Ok(())).await.unwrap().articles })
        })
        .collect();
    let mut articles = 0;
    for t in tasks {
        articles += t.await.unwrap();
    }
    articles
}

/// One crawl of fresh sites: `hosts` of `n` articles each.
async fn sites(hosts: usize, n: usize) -> Vec<Server> {
    let mut servers = Vec::new();
    for h in 0..hosts {
        let name: &'static str = Box::leak(format!("站{h}").into_boxed_str());
        servers.push(serve(sites::paged(name, n, 20)).await);
    }
    servers
}

/// Crawls the sites with `workers` workers on PostgreSQL (0: one on SQLite)
/// and prints a row: wall time, its ratio to the politeness bound, pages/s.
async fn crawl_row(pg: Option<&str>, workers: usize, hosts: usize, n: usize, delay: Duration) {
    let servers = sites(hosts, n).await;
    let started = Instant::now();
    let articles = match pg {
        None => crawl_with(vec![CrawlState::in_memory().unwrap()], &servers, delay).await,
        Some(url) => {
            let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
            let crawl = format!("bench-crawl-{stamp:x}");
            let mut states = Vec::new();
            for w in 0..workers {
                states.push(PgState::builder(url, &crawl).worker(&format!("crawler-{w}")).connect().await.unwrap());
            }
            crawl_with(states, &servers, delay).await
        }
    };
    let wall = started.elapsed().as_secs_f64();
    let requests: usize = servers.iter().map(|s| s.hits().len()).sum();
    let busiest = servers.iter().map(|s| s.hits().len()).max().unwrap_or(0);
    let bound = delay.as_secs_f64() * busiest as f64;
    let ratio = if bound > 0.0 { format!("{:.2}", wall / bound) } else { "–".into() };
    let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite (memory)" };
    println!(
        "| {backend} | {workers} | {hosts} × {n} | {} ms | {articles} | {requests} | {wall:.2} s | {bound:.2} s | {ratio} | {:.0} |",
        delay.as_millis(),
        requests as f64 / wall
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo test --benches` runs it with no argument: then only build.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    }
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(8_000);
    if let (Some(_), Ok(url)) = (std::env::var_os("CRAWL_ONLY"), std::env::var("REPORT_SCRAPER_PG")) {
        crawl_table(&url).await;
        return;
    }
    println!("| backend | workers | hosts per claim | addresses | seconds | claim+finish per second |");
    println!("|---|---:|---:|---:|---:|---:|");
    let dir = std::env::temp_dir().join(format!("rs-frontier-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = CrawlState::open(dir.join("state.db")).unwrap();
    enqueue(&sqlite, addresses(n)).await.unwrap();
    let t = Instant::now();
    let done = drain(&sqlite, BATCH, 0).await.unwrap();
    let s = t.elapsed().as_secs_f64();
    println!("| SQLite (file) | 1 | {BATCH} | {done} | {s:.2} | {:.0} |", done as f64 / s);
    std::fs::remove_dir_all(&dir).ok();

    let Ok(url) = std::env::var("REPORT_SCRAPER_PG") else {
        eprintln!("PostgreSQL skipped: set REPORT_SCRAPER_PG (`.ci/pg start DIR` starts a server)");
        return;
    };
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    for (workers, batch) in [1usize, 2, 4, 8, 16].into_iter().flat_map(|w| [(w, 1), (w, BATCH)]) {
        let crawl = format!("bench-frontier-{stamp}-{workers}-{batch}");
        let first = PgState::connect(&url, &crawl).await.unwrap();
        enqueue(&first, addresses(n)).await.unwrap();
        let mut states = vec![Arc::new(first)];
        for w in 1..workers {
            let s = PgState::builder(&url, &crawl).worker(&format!("bench-{w}")).connect().await.unwrap();
            states.push(Arc::new(s));
        }
        let t = Instant::now();
        let tasks: Vec<_> = states
            .iter()
            .cloned()
            .enumerate()
            .map(|(w, s)| tokio::spawn(async move { drain(&*s, batch, w * HOSTS / workers).await.unwrap() }))
            .collect();
        let mut done = 0;
        for task in tasks {
            done += task.await.unwrap();
        }
        let s = t.elapsed().as_secs_f64();
        println!("| PostgreSQL | {workers} | {batch} | {done} | {s:.2} | {:.0} |", done as f64 / s);
    }

    println!();
    crawl_table(&url).await;
}

/// The crawling table: what the same workers crawl.
async fn crawl_table(url: &str) {
    println!(
        "| backend | workers | sites | delay | articles | requests | wall | politeness bound | wall / bound | pages/s |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    let only: Option<usize> = std::env::var("WORKERS").ok().and_then(|w| w.parse().ok());
    for (hosts, n, delay) in [(3, 200, Duration::from_millis(20)), (50, 20, Duration::ZERO)] {
        if only.is_none() {
            crawl_row(None, 1, hosts, n, delay).await;
        }
        for workers in [1, 2, 4].into_iter().filter(|w| only.is_none_or(|o| o == *w)) {
            crawl_row(Some(url), workers, hosts, n, delay).await;
        }
    }
}
