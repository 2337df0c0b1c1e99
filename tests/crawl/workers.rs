//! Many workers, one crawl: processes of the crawl example sharing a
//! PostgreSQL state (`REPORT_SCRAPER_PG`), on the faults site. Every
//! article once in the database's table, no address fetched twice (nor
//! robots.txt), the host's delay held between all workers' requests
//! (robots.txt and the sitemap included), and workers killed
//! with SIGKILL losing nothing once their leases expire.
#![cfg(feature = "postgres")]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use super::faults::{Served, example_binary, finish, path_of, serve, signal};
use crate::support::states::{crawl_name, pg_url};

/// The site's politeness delay for these workers.
const DELAY_MS: u64 = 60;
/// A dead worker's addresses come back after this long: longer than the
/// slowest page takes (two tries of a one-second timeout).
const LEASE_SECS: u64 = 4;

fn worker(pg: &str, crawl: &str, base: &str) -> Child {
    Command::new(example_binary())
        .args(["--allow-private", "--timeout", "1", "--retries", "1", "--max-mb", "1", "--workers", "2", "--quiet"])
        .args(["--delay", &DELAY_MS.to_string(), "--lease", &LEASE_SECS.to_string()])
        .args(["--state", pg, "--crawl", crawl])
        .args(["--sitemap", &format!("{base}/sitemap.xml"), &format!("{base}/")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for a worker and checks that its run went to its end. Its exit
/// status may be 1: a worker whose every page failed (the site's faults
/// all fell to it) says so.
async fn assert_ran(child: Child) {
    let (_, log) = finish(child).await;
    assert!(!log.contains("crawl: ") && !log.contains("panicked"), "a worker failed: {log}");
}

/// The crawl's articles, as `--export` writes them.
fn export(pg: &str, crawl: &str, dir: &Path) -> Vec<Value> {
    let file = dir.join(format!("{crawl}.jsonl"));
    let status = Command::new(example_binary())
        .args(["--state", pg, "--crawl", crawl, "--export"])
        .arg(&file)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "--export failed");
    super::faults::lines(&file)
}

/// Each expected article exactly once in the table, nothing else.
fn assert_every_article_once(site: &Served, rows: &[Value]) {
    let mut by_path: BTreeMap<String, usize> = BTreeMap::new();
    for r in rows {
        *by_path.entry(path_of(r, "final_url")).or_default() += 1;
    }
    let twice: Vec<_> = by_path.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "articles written twice: {twice:?}");
    let mut expected: Vec<&str> = site.expected.iter().map(|e| e.path.as_str()).collect();
    expected.sort_unstable();
    let got: Vec<&str> = by_path.keys().map(String::as_str).collect();
    assert_eq!(got, expected, "the workers' articles are not the site's");
}

/// Pages fetched more than once, but those whose fault asks for a second
/// request (a 500 or a 429 then 200; a page slower than the timeout), the
/// target of a redirect (fetched again to learn where the redirect leads,
/// as one process does too). robots.txt is read once, by one worker for all.
fn fetched_twice(site: &Served) -> Vec<(String, usize)> {
    let mut n: BTreeMap<String, usize> = BTreeMap::new();
    for h in site.server.hits() {
        *n.entry(h.target).or_default() += 1;
    }
    let retried = ["/news/flaky.html", "/news/busy.html", "/news/slow.html", "/news/final.html"];
    n.into_iter().filter(|(p, c)| *c > 1 && !retried.contains(&p.as_str())).collect()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rs-workers-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_workers_make_one_crawl_each_page_once_the_host_polite() {
    let Some(pg) = pg_url() else { return };
    let (site, base) = serve().await;
    let crawl = crawl_name("four");
    let dir = temp_dir("four");
    let children: Vec<Child> = (0..4).map(|_| worker(&pg, &crawl, &base)).collect();
    for child in children {
        assert_ran(child).await;
    }
    assert_every_article_once(&site, &export(&pg, &crawl, &dir));
    assert_eq!(fetched_twice(&site), [], "addresses fetched by two workers");
    // One request at a time to the host between all workers, the delay between them:
    // robots.txt and the sitemap are fetched in the host's turn like its pages.
    let hits = site.server.hits();
    assert_eq!(hits.iter().filter(|h| h.target == "/robots.txt").count(), 1, "robots.txt once for all");
    assert_eq!(hits.iter().filter(|h| h.target == "/sitemap.xml").count(), 1, "the sitemap once for all");
    let delay = Duration::from_millis(DELAY_MS);
    for w in hits.windows(2) {
        let gap = w[1].at.duration_since(w[0].at);
        assert!(gap + Duration::from_millis(5) >= delay, "{} then {} only {gap:?} apart", w[0].target, w[1].target);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_killed_at_any_moment_lose_nothing_and_write_nothing_twice() {
    let Some(pg) = pg_url() else { return };
    let (site, base) = serve().await;
    let dir = temp_dir("killed");
    // Kills at different moments: after the first request, a few, a third of the site.
    for (round, after) in [1usize, 6, site.expected.len() / 3].into_iter().enumerate() {
        site.server.clear();
        let crawl = crawl_name(&format!("killed{round}"));
        let mut children: Vec<Child> = (0..4).map(|_| worker(&pg, &crawl, &base)).collect();
        for _ in 0..1000 {
            if site.requests().len() >= after {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        for child in children.drain(..2) {
            signal(&child, "-KILL");
            finish(child).await;
        }
        for child in children {
            assert_ran(child).await;
        }
        assert_every_article_once(&site, &export(&pg, &crawl, &dir));
    }
    std::fs::remove_dir_all(&dir).ok();
}
