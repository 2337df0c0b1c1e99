//! The PostgreSQL backend's own tests, against a real server
//! (`REPORT_SCRAPER_PG`; skipped with a note outside CI, failed under CI
//! without one): leases, host turns, crawls side by side, articles once,
//! the schema's version.

use std::time::Duration;

use super::*;
use crate::crawl::state::{Backend, Claim, Found, Outcome, Turn};

fn server() -> Option<String> {
    match std::env::var("REPORT_SCRAPER_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(std::env::var_os("CI").is_none(), "REPORT_SCRAPER_PG is not set; CI needs it");
            eprintln!("skipped: REPORT_SCRAPER_PG is not set (`.ci/pg start DIR` starts a server)");
            None
        }
    }
}

fn unique(what: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("unit-{what}-{}-{nanos:x}", std::process::id())
}

async fn worker(url: &str, crawl: &str, name: &str, lease: Duration) -> PgState {
    PgState::builder(url, crawl).worker(name).lease(lease).connect().await.unwrap()
}

fn found(u: &str) -> Found {
    Found::get(u.parse().unwrap(), 0)
}

async fn host_of(s: &PgState) -> i64 {
    s.queued_origins().await.unwrap()[0].0
}

#[tokio::test]
async fn two_crawls_share_a_database_and_never_meet() {
    let Some(url) = server() else { return };
    let (a, b) = (unique("a"), unique("b"));
    let (sa, sb) = (worker(&url, &a, "w", DEFAULT_LEASE).await, worker(&url, &b, "w", DEFAULT_LEASE).await);
    assert_eq!(sa.enqueue_within(vec![found("http://a.cn/1"), found("http://a.cn/2")], 10).await.unwrap(), (2, 0));
    assert_eq!(sb.enqueue_within(vec![found("http://a.cn/1")], 10).await.unwrap(), (1, 0), "its own seen set");
    sa.set_identity("crawl a").await.unwrap();
    assert_eq!(sa.counts().await.unwrap().queued, 2);
    assert_eq!(sb.counts().await.unwrap().queued, 1);
    assert_eq!(sb.identity().await.unwrap(), None);
    assert_eq!(sa.identity().await.unwrap().as_deref(), Some("crawl a"));
}

#[tokio::test]
async fn a_host_is_one_worker_s_at_a_time_and_waits_its_delay() {
    let Some(url) = server() else { return };
    let crawl = unique("turns");
    let a = worker(&url, &crawl, "a", DEFAULT_LEASE).await;
    let b = worker(&url, &crawl, "b", DEFAULT_LEASE).await;
    a.enqueue_within(vec![found("http://a.cn/1"), found("http://a.cn/2")], 10).await.unwrap();
    let host = host_of(&a).await;
    let Claim::Taken(first) = a.take_one(host).await.unwrap() else { panic!("the host is free") };
    assert!(matches!(b.take_one(host).await.unwrap(), Claim::Wait(_)), "a's request is in flight");
    a.release(host, Duration::from_millis(300)).await.unwrap();
    let Claim::Wait(wait) = b.take_one(host).await.unwrap() else { panic!("the delay has not passed") };
    assert!(wait > Duration::from_millis(150) && wait <= Duration::from_millis(300), "{wait:?}");
    tokio::time::sleep(wait).await;
    let Claim::Taken(second) = b.take_one(host).await.unwrap() else { panic!("the host's turn came") };
    assert_ne!(first.id, second.id, "each address once");
    b.release(host, Duration::ZERO).await.unwrap();
    assert!(matches!(a.take_one(host).await.unwrap(), Claim::Empty));
}

#[tokio::test]
async fn one_claim_takes_an_address_of_every_free_host_asked_for() {
    let Some(url) = server() else { return };
    let crawl = unique("batch");
    let a = worker(&url, &crawl, "a", DEFAULT_LEASE).await;
    let b = worker(&url, &crawl, "b", DEFAULT_LEASE).await;
    let pages = ["http://a.cn/1", "http://b.cn/1", "http://b.cn/2", "http://c.cn/1", "http://d.cn/1"];
    a.enqueue_within(pages.iter().map(|p| found(p)).collect(), 10).await.unwrap();
    let rows: std::collections::HashMap<String, i64> =
        a.queued_origins().await.unwrap().into_iter().map(|(row, origin)| (origin, row)).collect();
    let [ha, hb, hc, hd] = ["http://a.cn", "http://b.cn", "http://c.cn", "http://d.cn"].map(|o| rows[o]);
    // b holds c's turn; d's one address is in flight with b too.
    let Claim::Taken(_) = b.take_one(hc).await.unwrap() else { panic!("c is free") };
    let Claim::Taken(_) = b.take_one(hd).await.unwrap() else { panic!("d is free") };
    b.release(hd, Duration::ZERO).await.unwrap();
    let claims = a.take(&[ha, hb, hc, hd]).await.unwrap();
    let by_host: std::collections::HashMap<i64, &Claim> = claims.iter().map(|(h, c)| (*h, c)).collect();
    assert_eq!(claims.len(), 4, "one claim per host asked for");
    let Claim::Taken(ta) = by_host[&ha] else { panic!("a is free: {:?}", by_host[&ha]) };
    let Claim::Taken(tb) = by_host[&hb] else { panic!("b is free: {:?}", by_host[&hb]) };
    assert_eq!((ta.url.as_str(), tb.url.as_str()), ("http://a.cn/1", "http://b.cn/1"), "the oldest of each");
    // Held by b: asked again soon, not when b's hold would expire (a lease away).
    let Claim::Wait(wait) = by_host[&hc] else { panic!("c's turn is b's: {:?}", by_host[&hc]) };
    assert!(*wait < Duration::from_secs(1), "{wait:?}");
    assert!(matches!(by_host[&hd], Claim::Empty), "d has nothing queued");
    // One address per host and claim: b's second waits for a's turn on b.
    assert!(matches!(b.take_one(hb).await.unwrap(), Claim::Wait(_)));
    a.release(hb, Duration::ZERO).await.unwrap();
    let Claim::Taken(tb2) = b.take_one(hb).await.unwrap() else { panic!("b's turn is free again") };
    assert_eq!(tb2.url.as_str(), "http://b.cn/2");
}

#[tokio::test]
async fn a_turn_is_held_for_robots_txt_and_the_file_kept_for_all() {
    let Some(url) = server() else { return };
    let crawl = unique("robots");
    let a = worker(&url, &crawl, "a", DEFAULT_LEASE).await;
    let b = worker(&url, &crawl, "b", DEFAULT_LEASE).await;
    // A host with nothing queued yet: its row is made for the turn.
    let Turn::Held(row) = a.hold_turn("http://a.cn").await.unwrap() else { panic!("a new host is free") };
    assert!(matches!(b.hold_turn("http://a.cn").await.unwrap(), Turn::Wait(_)), "a holds it");
    assert_eq!(b.robots("http://a.cn").await.unwrap(), None, "nobody read it yet");
    a.keep_robots("http://a.cn", Some(b"User-agent: *\nDisallow: /x/\n")).await.unwrap();
    a.release(row, Duration::from_millis(200)).await.unwrap();
    assert!(matches!(b.hold_turn("http://a.cn").await.unwrap(), Turn::Wait(_)), "the delay holds");
    assert_eq!(b.robots("http://a.cn").await.unwrap(), Some(Some(b"User-agent: *\nDisallow: /x/\n".to_vec())));
    // Pages queued later go to the same host row, and wait for the same turn.
    b.enqueue_within(vec![found("http://a.cn/1")], 10).await.unwrap();
    assert_eq!(host_of(&b).await, row);
    a.keep_robots("http://b.cn", None).await.unwrap();
    assert_eq!(b.robots("http://b.cn").await.unwrap(), Some(None), "a robots.txt that allows all is kept too");
}

#[tokio::test]
async fn a_dead_worker_s_lease_expires_and_the_late_one_cannot_overwrite() {
    let Some(url) = server() else { return };
    let crawl = unique("lease");
    let lease = Duration::from_secs(1);
    let dead = worker(&url, &crawl, "dead", lease).await;
    let alive = worker(&url, &crawl, "alive", lease).await;
    dead.enqueue_within(vec![found("http://a.cn/1")], 10).await.unwrap();
    let host = host_of(&dead).await;
    let Claim::Taken(t) = dead.take_one(host).await.unwrap() else { panic!("taken") };
    assert!(alive.queued_origins().await.unwrap().is_empty(), "leased, not queued");
    assert!(alive.elsewhere().await.unwrap().is_some(), "the live worker waits for the lease");
    tokio::time::sleep(lease + Duration::from_millis(100)).await;
    let Claim::Taken(again) = alive.take_one(host).await.unwrap() else { panic!("the lease expired") };
    assert_eq!((again.id, again.attempts), (t.id, 2));
    // The dead worker wakes up late: its outcome does not stand, the live one's does.
    dead.finish_row(t.id, &Outcome::Failed(crate::ErrorCode::Timeout)).await.unwrap();
    alive.finish_row(again.id, &Outcome::Article).await.unwrap();
    let c = alive.counts().await.unwrap();
    assert_eq!((c.articles, c.failed, c.queued), (1, 0, 0));
}

#[tokio::test]
async fn a_page_s_articles_are_written_once_by_the_lease_holder() {
    let Some(url) = server() else { return };
    let crawl = unique("articles");
    let lease = Duration::from_secs(1);
    let late = worker(&url, &crawl, "late", lease).await;
    let holder = worker(&url, &crawl, "holder", lease).await;
    late.enqueue_within(vec![found("http://a.cn/1")], 10).await.unwrap();
    let host = host_of(&late).await;
    let Claim::Taken(t) = late.take_one(host).await.unwrap() else { panic!("taken") };
    tokio::time::sleep(lease + Duration::from_millis(100)).await;
    let Claim::Taken(t2) = holder.take_one(host).await.unwrap() else { panic!("the lease expired") };
    let article = crate::clean_text("市计生协召开会议\n会议指出,要做好工作。").unwrap();
    let record = |t: &crate::crawl::state::Taken| crate::crawl::CrawledArticle {
        url: t.url.clone(),
        final_url: t.url.clone(),
        fetched_at: jiff::Timestamp::now(),
        depth: 0,
        part: 0,
        parts: 1,
        group: None,
        repost_of: None,
        article: article.clone(),
    };
    holder.finish_articles(&[t2.id], &[record(&t2)]).await.unwrap();
    late.finish_articles(&[t.id], &[record(&t)]).await.unwrap();
    holder.finish_articles(&[t2.id], &[record(&t2)]).await.unwrap();
    let (lines, _) = holder.articles(0, 10).await.unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let v: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(v["title"], "市计生协召开会议");
}

#[tokio::test]
async fn tables_of_a_newer_format_are_refused() {
    let Some(url) = server() else { return };
    // A database of its own: the shared one's schema stays as the other tests need it.
    let db = unique("schema").replace('-', "_");
    let admin = PgState::connect(&url, &unique("admin")).await.unwrap();
    admin.client().await.unwrap().execute(&format!("CREATE DATABASE {db}"), &[]).await.unwrap();
    let mut config: tokio_postgres::Config = url.parse().unwrap();
    config.dbname(&db);
    let there =
        format!("postgres://{}@{}:{}/{db}", config.get_user().unwrap_or("postgres"), host(&config), port(&config));
    let s = PgState::connect(&there, "c").await.unwrap();
    assert_eq!(s.counts().await.unwrap(), Counts::default(), "created and migrated");
    s.client()
        .await
        .unwrap()
        .execute("UPDATE report_scraper.meta SET value = '99' WHERE key = 'schema'", &[])
        .await
        .unwrap();
    drop(s);
    let err = PgState::connect(&there, "c").await.unwrap_err();
    assert!(format!("{err:?}").contains("format 99"), "{err:?}");
}

fn host(c: &tokio_postgres::Config) -> String {
    match c.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".into(),
    }
}

fn port(c: &tokio_postgres::Config) -> u16 {
    c.get_ports().first().copied().unwrap_or(5432)
}
