//! The crawler against a test site these tests serve on 127.0.0.1 (no packet
//! leaves the machine). The site is made of the fixture pages in
//! `tests/fixtures/`, real pages read at test time from
//! `../shared/datasets/zh-dev/` (when present), and pages written here for
//! the faults a crawl meets: pagination, a redirect chain, a 404, a 500 that
//! succeeds on retry, a 429 with `Retry-After`, a page slower than the
//! timeout, one larger than the cap, robots.txt and a sitemap. The server
//! records every request, so tests assert what was never fetched and how far
//! apart requests were.

use crate::backends;
use crate::support::states::Fresh;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use report_scraper::{
    ErrorCode,
    crawl::CrawlConfig,
    crawl::{CrawlEvent, CrawlState, CrawledArticle, Crawler, JsonlSink, Summary},
    fetch::FetchConfig,
    fetch::Fetcher,
};
use serde_json::Value;

use crate::support::{
    self,
    server::{Reply, Req, Server},
};

/// Pause between two requests to the host in these tests.
const DELAY: Duration = Duration::from_millis(40);

/// A page of the test site.
#[derive(Clone)]
struct Page {
    body: Vec<u8>,
    content_type: String,
}

/// An article the crawl must emit once, with this title and date.
#[derive(Debug, Clone)]
pub(super) struct Expected {
    pub(super) path: String,
    title: String,
    published: Option<String>,
}

/// The site's pages and the articles a crawl of it must write.
struct Site {
    pages: HashMap<String, Page>,
    expected: Vec<Expected>,
}

/// The site being served: what it must give, and its server's log.
pub(super) struct Served {
    pub(super) expected: Vec<Expected>,
    pub(super) server: Server,
}

impl Served {
    /// The paths asked for, in order.
    pub(super) fn requests(&self) -> Vec<String> {
        self.server.hits().into_iter().map(|h| h.target.split('?').next().unwrap_or_default().to_string()).collect()
    }
}

fn article_page(title: &str, date: &str, body: &str) -> Page {
    let html = format!(
        "<html><head><meta charset=utf-8><title>{title}_测试计生协</title></head><body>\
         <div class=nav><a href=/>首页</a> <a href=/news/>新闻</a></div><h1>{title}</h1>\
         <div class=info>发布时间:{date} 来源:测试计生协</div><div class=content>{body}</div></body></html>"
    );
    Page { body: html.into_bytes(), content_type: "text/html; charset=utf-8".into() }
}

const BODY: &str = "<p>会议总结了去年的工作,部署了今年的重点任务,要求各级计生协聚焦生育支持和家庭健康服务。</p>\
    <p>会议强调,要加强基层组织建设,创新服务方式,推动协会工作提质增效,更好服务群众。</p>";

/// Fixtures served although they hold one sentence: too short to be
/// recorded as articles, they must be followed like list pages.
const STUBS: &[&str] = &["date-json-ld", "caption-not-the-article"];

/// Fixture pages whose `expected.json` names a title: served at the path of
/// their `url` (dates in addresses must survive) or under `/news/f/`.
fn fixture_pages(pages: &mut HashMap<String, Page>, expected: &mut Vec<Expected>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    for dir in dirs {
        let (Ok(body), Ok(json)) =
            (std::fs::read(dir.join("page.html")), std::fs::read_to_string(dir.join("expected.json")))
        else {
            continue;
        };
        let e: Value = serde_json::from_str(&json).unwrap();
        let Some(title) = e["title"].as_str() else { continue };
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let path = e["url"]
            .as_str()
            .map_or(format!("/news/f/{name}.html"), |u| url::Url::parse(u).unwrap().path().to_string());
        let content_type = e["content_type"].as_str().unwrap_or("text/html").to_string();
        if !STUBS.contains(&name.as_str()) {
            expected.push(Expected {
                path: path.clone(),
                title: title.into(),
                published: e["published"].as_str().map(str::to_string),
            });
        }
        pages.insert(path, Page { body, content_type });
    }
}

/// The first pages of zh-dev, served under `/ds` + their original path.
fn dataset_pages(pages: &mut HashMap<String, Page>, expected: &mut Vec<Expected>) {
    let Some(dir) = crate::support::dataset("zh-dev") else { return };
    for t in crate::support::truth(&dir).into_iter().take(6) {
        let id = t["id"].as_str().unwrap();
        let url = url::Url::parse(t["url"].as_str().unwrap()).unwrap();
        let path = format!("/ds{}", url.path());
        let body = std::fs::read(dir.join("html").join(format!("{id}.html"))).unwrap();
        expected.push(Expected {
            path: path.clone(),
            title: t["title"].as_str().unwrap().into(),
            published: t["date"].as_str().map(str::to_string),
        });
        pages.insert(path, Page { body, content_type: "text/html".into() });
    }
}

fn list_page(title: &str, links: &[String], next: Option<&str>) -> Page {
    let items: String = links.iter().map(|l| format!("<li><a href=\"{l}\">{l}</a></li>")).collect();
    let next = next.map_or(String::new(), |n| format!("<a href=\"{n}\">下一页</a>"));
    let html = format!(
        "<html><head><meta charset=utf-8><title>{title}</title></head><body><h2>{title}</h2><ul>{items}</ul>{next}</body></html>"
    );
    Page { body: html.into_bytes(), content_type: "text/html; charset=utf-8".into() }
}

fn build_site() -> Site {
    let mut pages = HashMap::new();
    let mut expected = Vec::new();
    fixture_pages(&mut pages, &mut expected);
    dataset_pages(&mut pages, &mut expected);
    for (path, title, date) in [
        ("/news/final.html", "重定向后的文章", "2024-06-01 10:00"),
        ("/news/flaky.html", "重试后成功的文章", "2024-06-02 10:00"),
        ("/news/busy.html", "限流后成功的文章", "2024-06-03 10:00"),
        ("/extra/only-in-sitemap.html", "只在站点地图中的文章", "2024-06-04 10:00"),
    ] {
        pages.insert(path.into(), article_page(title, date, BODY));
        expected.push(Expected {
            path: path.into(),
            title: title.into(),
            published: Some(format!("{}T{}:00+08:00", &date[..10], &date[11..])),
        });
    }
    pages.insert("/private/secret.html".into(), article_page("不应抓取的文章", "2024-06-05 10:00", BODY));
    // Every article but the sitemap's is linked from the two list pages, with the faults.
    let mut links: Vec<String> = pages.keys().filter(|p| !p.starts_with("/extra/")).cloned().collect();
    links.sort();
    links.extend(["/news/moved.html", "/news/missing.html", "/news/slow.html", "/news/huge.html"].map(String::from));
    links.push("http://10.0.0.1/internal.html".into());
    let half = links.len() / 2;
    pages.insert("/news/".into(), list_page("新闻动态", &links[..half], Some("index_1.html")));
    pages.insert("/news/index_1.html".into(), list_page("新闻动态", &links[half..], None));
    pages.insert("/".into(), list_page("首页", &["/news/".to_string()], None));
    Site { pages, expected }
}

fn answer(req: &Req, pages: &HashMap<String, Page>) -> Reply {
    let base = &req.base;
    match req.path.as_str() {
        "/robots.txt" => Reply::text("User-agent: *\nDisallow: /private/\n"),
        "/sitemap.xml" => Reply::typed(
            "application/xml",
            format!(
                "<urlset><url><loc>{base}/extra/only-in-sitemap.html</loc></url><url><loc>{base}/news/</loc></url></urlset>"
            ),
        ),
        "/news/moved.html" => Reply::redirect("/news/hop.html").with_status(302),
        "/news/hop.html" => Reply::redirect("/news/final.html"),
        // Every first request of a pair fails: each fetch needs its retry.
        "/news/flaky.html" if req.nth % 2 == 1 => Reply::status(500),
        "/news/busy.html" if req.nth % 2 == 1 => Reply::status(429).header("retry-after", "1"),
        "/news/slow.html" => Reply::status(200).delayed(Duration::from_secs(3)),
        "/news/huge.html" => Reply::typed("text/html", vec![b'x'; 2 * 1024 * 1024]),
        path => match pages.get(path) {
            Some(p) => Reply::typed(&p.content_type, p.body.clone()),
            None => Reply::status(404),
        },
    }
}

pub(super) async fn serve() -> (Served, String) {
    let Site { pages, expected } = build_site();
    let server = support::server::serve(move |req| answer(req, &pages)).await;
    let base = server.base.clone();
    (Served { expected, server }, base)
}

/// A fetcher for the test site: loopback allowed (only 127.0.0.1, nothing else private) when `local`.
fn fetcher(local: bool) -> Fetcher {
    let loopback = local.then(|| "127.0.0.1/32".parse().unwrap());
    let config = FetchConfig::builder()
        .allow_ranges(loopback)
        .politeness_delay(DELAY)
        .backoff(Duration::from_millis(50))
        .timeout(Duration::from_secs(1))
        .retries(1)
        .max_bytes(1024 * 1024)
        .build();
    Fetcher::new(config).unwrap()
}

/// What a crawl of the site gave: the summary, the articles' JSON lines,
/// and the error kind of each failed path.
struct Crawled {
    summary: Summary,
    rows: Vec<Value>,
    failed: BTreeMap<String, String>,
}

async fn crawl<S: report_scraper::crawl::Frontier>(crawler: &Crawler, state: &S) -> Crawled {
    let (mut rows, mut failed) = (Vec::new(), BTreeMap::new());
    let summary = crawler
        .run(state, &AtomicBool::new(false), |event| {
            match event {
                CrawlEvent::Articles(records) => {
                    for a in records {
                        rows.push(serde_json::to_value(a)?);
                    }
                }
                CrawlEvent::Failed { url, error, .. } => {
                    failed.insert(url.path().to_string(), error.kind().code().to_string());
                }
                _ => {}
            }
            Ok(())
        })
        .await
        .unwrap();
    Crawled { summary, rows, failed }
}

pub(super) fn path_of(row: &Value, key: &str) -> String {
    url::Url::parse(row[key].as_str().unwrap()).unwrap().path().to_string()
}

/// The same calendar day, as the scorer compares dates.
fn same_date(expected: &str, got: &str) -> bool {
    expected.get(..10) == got.get(..10)
}

async fn every_article_is_emitted_once_with_its_title_and_date<S: Fresh>() {
    let (site, base) = serve().await;
    let crawler = Crawler::new(
        CrawlConfig::builder().seed(format!("{base}/")).sitemap(format!("{base}/sitemap.xml")).workers(4).build(),
        fetcher(true),
    )
    .unwrap();
    let state = S::fresh().await;
    let Crawled { summary, rows, failed } = crawl(&crawler, &state).await;

    let mut by_path: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for row in &rows {
        by_path.entry(path_of(row, "final_url")).or_default().push(row);
    }
    for e in site.expected.iter() {
        let found = by_path.get(&e.path).map_or(0, Vec::len);
        assert_eq!(found, 1, "{} emitted {found} times", e.path);
        let row = by_path[&e.path][0];
        assert_eq!(row["title"].as_str(), Some(e.title.as_str()), "title of {}", e.path);
        if let Some(date) = &e.published {
            let got = row["published"]["value"].as_str().unwrap_or_default();
            assert!(same_date(date, got), "{}: date {got:?}, expected {date:?}", e.path);
        }
    }
    assert_eq!(rows.len(), site.expected.len(), "only the expected articles: {:?}", by_path.keys());
    for stub in STUBS {
        let path = format!("/news/f/{stub}.html");
        assert!(site.requests().contains(&path), "{stub} was not fetched: {:?}", site.requests());
        assert!(!by_path.contains_key(&path), "{stub} was taken for an article");
    }

    let requests = site.requests();
    assert!(!requests.iter().any(|p| p.starts_with("/private")), "a disallowed page was fetched: {requests:?}");
    assert_eq!(requests.iter().filter(|p| *p == "/robots.txt").count(), 1);
    assert_eq!(summary.robots, 1);
    assert_eq!(summary.duplicates, 1, "moved.html leads to final.html, recorded once");
    let fault = |p: &str| failed.get(p).map(String::as_str);
    assert_eq!(fault("/news/missing.html"), Some("http-404"));
    assert_eq!(fault("/news/slow.html"), Some("timeout"));
    assert_eq!(fault("/news/huge.html"), Some("too-large"));
    assert_eq!((fault("/news/flaky.html"), fault("/news/busy.html")), (None, None), "retries should have saved them");
    assert!(
        summary.errors[&ErrorCode::Http(404)] >= 1 && summary.errors[&ErrorCode::Timeout] == 1,
        "{:?}",
        summary.errors
    );
    assert_eq!(summary.articles as usize, rows.len());
    assert_eq!(summary.queued, 0);
}
backends!(every_article_is_emitted_once_with_its_title_and_date);

async fn requests_to_the_host_keep_the_politeness_delay<S: Fresh>() {
    let (site, base) = serve().await;
    let crawler =
        Crawler::new(CrawlConfig::builder().seed(format!("{base}/")).workers(8).max_pages(12).build(), fetcher(true))
            .unwrap();
    crawl(&crawler, &S::fresh().await).await;
    let mut times: Vec<Instant> = site.server.pages().iter().map(|h| h.at).collect();
    times.sort();
    assert!(times.len() >= 12, "{} requests", times.len());
    for w in times.windows(2) {
        assert!(w[1] - w[0] >= DELAY - Duration::from_millis(5), "two requests {:?} apart", w[1] - w[0]);
    }
}
backends!(requests_to_the_host_keep_the_politeness_delay);

async fn a_private_address_is_refused_unless_allowed<S: Fresh>() {
    let (site, base) = serve().await;
    let crawler = Crawler::new(CrawlConfig::builder().seed(format!("{base}/")).build(), fetcher(false)).unwrap();
    let Crawled { summary, rows, .. } = crawl(&crawler, &S::fresh().await).await;
    assert!(rows.is_empty());
    assert_eq!(summary.errors.get(&ErrorCode::BlockedAddress), Some(&1));
    assert!(site.requests().is_empty(), "the server was reached: {:?}", site.requests());
}
backends!(a_private_address_is_refused_unless_allowed);

async fn depth_and_page_limits_hold_and_a_second_run_continues<S: Fresh>() {
    let (_site, base) = serve().await;
    let state = S::fresh().await;
    let shallow =
        Crawler::new(CrawlConfig::builder().seed(format!("{base}/")).max_depth(1).build(), fetcher(true)).unwrap();
    let Crawled { summary, rows, .. } = crawl(&shallow, &state).await;
    // Depth 0 is the home page, depth 1 the list and its next page: no article.
    assert_eq!((summary.fetched, summary.lists, rows.len()), (3, 3, 0));

    // The limit bounds what is queued, not only what is fetched.
    let state = S::fresh().await;
    let limited =
        Crawler::new(CrawlConfig::builder().seed(format!("{base}/")).max_pages(5).build(), fetcher(true)).unwrap();
    let first = crawl(&limited, &state).await;
    let counts = state.tally().await;
    assert_eq!((counts.done(), counts.queued, first.summary.fetched), (5, 0, 5), "{counts:?}");
    assert!(first.summary.limit_reached, "{:?}", first.summary);
    // Cut short by the limit, the run is resumed: the list pages whose links did not
    // fit are read again, and it goes on to new pages, within the new call's limit.
    let more =
        Crawler::new(CrawlConfig::builder().seed(format!("{base}/")).max_pages(4).build(), fetcher(true)).unwrap();
    let second = crawl(&more, &state).await;
    let done = state.tally().await.done();
    assert!(done > 5 && done <= 5 + 4, "{done} addresses done");
    let first_paths: Vec<String> = first.rows.iter().map(|r| path_of(r, "url")).collect();
    assert!(second.rows.iter().all(|r| !first_paths.contains(&path_of(r, "url"))), "an article written twice");
}
backends!(depth_and_page_limits_hold_and_a_second_run_continues);

/// A crawl written through the library's sink: the articles the file held
/// when opened, and the summary.
async fn crawl_into(crawler: &Crawler, out: &Path, state: CrawlState) -> (usize, Summary) {
    let mut sink = JsonlSink::open(out, &state).unwrap();
    let resumed = sink.resumed();
    let summary = crawler.run(&state, &AtomicBool::new(false), |e| sink.record(&e)).await.unwrap();
    (resumed, summary)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_state_with_its_output_kept_writes_nothing_twice() {
    let (site, base) = serve().await;
    let dir = std::env::temp_dir().join(format!("rs-sink-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("articles.jsonl");
    let _ = std::fs::remove_file(&out);
    let crawler =
        Crawler::new(CrawlConfig::builder().seed(format!("{base}/")).workers(4).build(), fetcher(true)).unwrap();
    let (resumed, first) = crawl_into(&crawler, &out, CrawlState::in_memory().unwrap()).await;
    assert_eq!(resumed, 0);
    assert!(first.articles > 10, "{first:?}");
    let written: Vec<CrawledArticle> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(written.len() as u64, first.articles);

    // The state is lost (a new one), the output kept: what it holds is neither fetched nor written again.
    site.server.clear();
    let (resumed, second) = crawl_into(&crawler, &out, CrawlState::in_memory().unwrap()).await;
    assert_eq!(resumed as u64, first.articles);
    assert_eq!(second.articles, 0, "{second:?}");
    let paths: Vec<String> = written.iter().map(|r| r.url.path().to_string()).collect();
    let requests = site.requests();
    // moved.html was a duplicate, not an article: fetched again, its redirect chain ends at final.html.
    let redirected = |p: &String| p == "/news/final.html" && requests.contains(&"/news/hop.html".to_string());
    let refetched: Vec<&String> = requests.iter().filter(|p| paths.contains(p) && !redirected(p)).collect();
    assert!(refetched.is_empty(), "written pages fetched again: {refetched:?}");
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count() as u64, first.articles);
    std::fs::remove_dir_all(&dir).ok();
}

// ---- the example binary, killed and resumed ------------------------------

/// `target/<profile>/examples/crawl`, which `cargo test` builds beside the tests.
pub(super) fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin =
        exe.parent().unwrap().parent().unwrap().join("examples").join(format!("crawl{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: `cargo test` builds it; after `cargo test --test crawl` alone run `cargo build --example crawl`",
        bin.display()
    );
    bin
}

fn start_crawl(base: &str, dir: &Path, name: &str) -> Child {
    Command::new(example_binary())
        .args([
            "--allow-private",
            "--delay",
            "60",
            "--timeout",
            "1",
            "--retries",
            "1",
            "--max-mb",
            "1",
            "--workers",
            "2",
        ])
        .arg("--state")
        .arg(dir.join(format!("{name}.db")))
        .arg("--out")
        .arg(dir.join(format!("{name}.jsonl")))
        .args(["--sitemap", &format!("{base}/sitemap.xml"), &format!("{base}/")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

pub(super) fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap_or_default().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Waits (without blocking the server's threads) until the output has `n` lines.
pub(super) async fn wait_for_lines(path: &Path, n: usize) {
    for _ in 0..600 {
        if lines(path).len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{} never reached {n} lines", path.display());
}

pub(super) async fn finish(child: Child) -> (bool, String) {
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()).await.unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

pub(super) fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap().success();
    assert!(ok, "kill {sig} failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_killed_mid_way_resumes_to_the_same_articles() {
    let (site, base) = serve().await;
    let dir = std::env::temp_dir().join(format!("rs-crawl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["once.db", "once.jsonl", "resumed.db", "resumed.jsonl"] {
        let _ = std::fs::remove_file(dir.join(f));
    }

    let (ok, log) = finish(start_crawl(&base, &dir, "once")).await;
    assert!(ok, "uninterrupted run failed: {log}");
    let once = lines(&dir.join("once.jsonl"));
    assert_eq!(once.len(), site.expected.len(), "{log}");

    // Ctrl-C: the crawl stops after the requests in flight, output flushed.
    let out = dir.join("resumed.jsonl");
    let child = start_crawl(&base, &dir, "resumed");
    wait_for_lines(&out, 2).await;
    signal(&child, "-INT");
    let (ok, log) = finish(child).await;
    assert!(ok && log.contains("stopped:"), "{log}");
    let after_int = lines(&out).len();
    assert!(after_int < once.len(), "the interrupt came too late to test anything");

    // SIGKILL: no chance to clean up.
    let child = start_crawl(&base, &dir, "resumed");
    wait_for_lines(&out, after_int + 2).await;
    signal(&child, "-KILL");
    finish(child).await;
    let written: Vec<String> = lines(&out).iter().map(|r| path_of(r, "url")).collect();
    assert!(written.len() < once.len(), "the kill came too late to test anything");

    site.server.clear();
    let (ok, log) = finish(start_crawl(&base, &dir, "resumed")).await;
    assert!(ok, "resumed run failed: {log}");
    let refetched: Vec<String> = site.requests().into_iter().filter(|p| written.contains(p)).collect();
    assert!(refetched.is_empty(), "pages already written were fetched again: {refetched:?}");

    let paths = |rows: &[Value]| {
        let mut p: Vec<String> = rows.iter().map(|r| path_of(r, "final_url")).collect();
        p.sort();
        p
    };
    let resumed = lines(&out);
    let (a, b) = (paths(&once), paths(&resumed));
    let mut unique = b.clone();
    unique.dedup();
    assert_eq!(unique.len(), b.len(), "duplicates after resuming: {b:?}");
    assert_eq!(a, b, "the resumed crawl found other articles than the uninterrupted one");
    std::fs::remove_dir_all(&dir).ok();
}

/// A crawl is a task like any other: its future is `Send`, its state and
/// crawler shared through `Arc`, so it runs inside `tokio::spawn`.
async fn a_crawl_runs_inside_tokio_spawn<S: Fresh>() {
    let (_site, base) = serve().await;
    let state = Arc::new(S::fresh().await);
    let crawler = Arc::new(
        Crawler::new(CrawlConfig::builder().seed(format!("{base}/")).max_pages(6).build(), fetcher(true)).unwrap(),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let task = {
        let (state, crawler, stop) = (state.clone(), crawler.clone(), stop.clone());
        tokio::spawn(async move { crawler.run(&*state, &stop, |_| Ok(())).await })
    };
    let summary = task.await.expect("the task ran to its end").unwrap();
    assert_eq!(summary.fetched, 6);
    assert_eq!(state.tally().await.done(), 6);
}
backends!(a_crawl_runs_inside_tokio_spawn);
