//! Frontier operations per second: an address taken (with its host's
//! turn), finished and its turn given back, by 1 to 16 concurrent workers
//! on PostgreSQL (each its own `PgState`, as separate processes would be),
//! beside one worker on a SQLite file.
//!
//! ```text
//! REPORT_SCRAPER_PG=postgres://postgres@127.0.0.1:54329/postgres \
//!     cargo bench --features postgres --bench frontier [-- ADDRESSES]
//! ```
//!
//! `.ci/pg start DIR` makes a throw-away server. The addresses (8,000 by
//! default) are spread over 800 hosts, so host turns never make a worker
//! wait: what is measured is the state.
use std::sync::Arc;
use std::time::Instant;

use report_scraper::crawl::bench::{drain, enqueue};
use report_scraper::crawl::{CrawlState, PgState};
use url::Url;

const HOSTS: usize = 800;

fn addresses(n: usize) -> Vec<Url> {
    (0..n).map(|i| Url::parse(&format!("http://h{}.example.cn/a/{i}.html", i % HOSTS)).unwrap()).collect()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(8_000);
    println!("| backend | workers | addresses | seconds | claim+finish per second |");
    println!("|---|---:|---:|---:|---:|");
    let dir = std::env::temp_dir().join(format!("rs-frontier-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = CrawlState::open(dir.join("state.db")).unwrap();
    enqueue(&sqlite, addresses(n)).await.unwrap();
    let t = Instant::now();
    let done = drain(&sqlite).await.unwrap();
    let s = t.elapsed().as_secs_f64();
    println!("| SQLite (file) | 1 | {done} | {s:.2} | {:.0} |", done as f64 / s);
    std::fs::remove_dir_all(&dir).ok();

    let Ok(url) = std::env::var("REPORT_SCRAPER_PG") else {
        eprintln!("PostgreSQL skipped: set REPORT_SCRAPER_PG (`.ci/pg start DIR` starts a server)");
        return;
    };
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    for workers in [1usize, 2, 4, 8, 16] {
        let crawl = format!("bench-frontier-{stamp}-{workers}");
        let first = PgState::connect(&url, &crawl).await.unwrap();
        enqueue(&first, addresses(n)).await.unwrap();
        let mut states = vec![Arc::new(first)];
        for w in 1..workers {
            let s = PgState::builder(&url, &crawl).worker(&format!("bench-{w}")).connect().await.unwrap();
            states.push(Arc::new(s));
        }
        let t = Instant::now();
        let tasks: Vec<_> =
            states.iter().cloned().map(|s| tokio::spawn(async move { drain(&*s).await.unwrap() })).collect();
        let mut done = 0;
        for task in tasks {
            done += task.await.unwrap();
        }
        let s = t.elapsed().as_secs_f64();
        println!("| PostgreSQL | {workers} | {done} | {s:.2} | {:.0} |", done as f64 / s);
    }
}
