//! The crawler on a site built the way association and government sites
//! are, served on 127.0.0.1: a home page that is only a meta refresh,
//! columns linked as `/xwzx/index.html` whose directory form answers 404, a
//! column in an iframe, pagination written by a TRS script (no anchor
//! carries it), a notice column in GBK whose addresses differ by a `mod`
//! parameter, tracking parameters on links, a robots.txt that names the
//! sitemap and disallows `/admin/`, an RSS feed the home page announces
//! (one article is found only there), a link and a redirect to another port,
//! and the faults of a real server (404, 500 then 200, 503 for a while, a
//! page slower than the timeout, one over the size cap). Every response
//! carries an `ETag`, answered with `304` when it matches. Articles are
//! real pages from `../shared/datasets/zh-dev` (when present) and written
//! ones. Every request is recorded, so tests assert what was never fetched.

use crate::backends;
use crate::support::states::Fresh;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::server::{self, Reply, Req, Server};
use report_scraper::{
    ErrorCode, ErrorKind, Extractor, Input,
    crawl::CrawlConfig,
    crawl::CrawlConfigBuilder,
    crawl::{CrawlEvent, CrawlState, CrawledArticle, Crawler, JsonlSink, Summary},
    fetch::FetchConfig,
    fetch::Fetcher,
};

/// An article the crawl must write once, with what extracting it directly gives.
#[derive(Debug, Clone)]
struct Expected {
    path: String,
    title: Option<String>,
    day: Option<String>,
}

/// The site's pages: body and content type by `path?query`.
type Pages = HashMap<String, (Vec<u8>, &'static str)>;

/// What the site serves, which a test may change while it runs.
#[derive(Clone, Default)]
struct Content {
    pages: Arc<Mutex<Pages>>,
    expected: Arc<Mutex<Vec<Expected>>>,
    /// Requests to `/robots.txt` answered 503 before it is served.
    robots_down: Arc<Mutex<usize>>,
}

impl Content {
    fn page(&self, path: &str, body: Vec<u8>, content_type: &'static str) {
        self.pages.lock().unwrap().insert(path.to_string(), (body, content_type));
    }
}

/// The site being served: its content and its server's log.
struct Site {
    content: Content,
    server: Server,
}

impl Site {
    /// Every `path?query` asked, in order.
    fn requests(&self) -> Vec<String> {
        self.server.targets()
    }

    /// Every `path?query` asked, with the status it got.
    fn statuses(&self) -> Vec<(String, u16)> {
        self.server.hits().into_iter().map(|h| (h.target, h.status)).collect()
    }

    fn page(&self, path: &str, body: Vec<u8>, content_type: &'static str) {
        self.content.page(path, body, content_type);
    }

    fn expected(&self) -> Vec<Expected> {
        self.content.expected.lock().unwrap().clone()
    }
}

fn html(title: &str, body: &str) -> Vec<u8> {
    format!("<html><head><meta charset=utf-8><title>{title}</title></head><body>{body}</body></html>").into_bytes()
}

fn list(title: &str, links: &[String], extra: &str) -> Vec<u8> {
    let items: String = links.iter().map(|l| format!("<li><a href=\"{l}\">{l}</a></li>")).collect();
    html(
        title,
        &format!("<div class=nav><a href=/portal/index.html>首页</a></div><h2>{title}</h2><ul>{items}</ul>{extra}"),
    )
}

fn article(title: &str, date: &str, n: usize) -> Vec<u8> {
    let body = format!(
        "<h1>{title}</h1><div class=info>发布时间:{date} 来源:示范市计生协</div><div class=TRS_Editor>\
         <p>{n}月,示范市计生协召开会议,总结去年工作,部署今年重点任务,要求各级计生协聚焦生育支持服务。</p>\
         <p>会议强调,要加强基层组织建设,创新服务方式,推动协会工作提质增效,更好服务广大群众。</p></div>"
    );
    html(&format!("{title}_示范市计划生育协会"), &body)
}

/// The site's pages, with real pages of zh-dev when present (the rest written here).
fn build(site: &Content, base: &str, other: &str) {
    let mut articles: Vec<(String, Vec<u8>, &'static str)> = Vec::new();
    for i in 0..8 {
        let path = format!("/xwzx/202403/t2024030{}_{}.html", 1 + i % 9, 1000 + i);
        articles.push((
            path,
            article(&format!("示范市计生协第{i}次工作会议召开"), "2024-03-05 09:30", i + 1),
            "text/html",
        ));
    }
    if let Some(dir) = crate::support::dataset("zh-dev") {
        for t in crate::support::truth(&dir).into_iter().take(14) {
            let id = t["id"].as_str().unwrap().to_string();
            let body = std::fs::read(dir.join("html").join(format!("{id}.html"))).unwrap();
            articles.push((format!("/xwzx/art/{id}.html"), body, "text/html"));
        }
    }
    let ex = Extractor::default();
    let mut expected = Vec::new();
    for (path, body, ct) in &articles {
        site.page(path, body.clone(), ct);
        let url = format!("{base}{path}");
        let a = ex.page(Input::html(body).url(&url)).ok().and_then(|p| p.articles.into_iter().next());
        // A page the crawl would not take for an article (too short, no headline) is followed, not written.
        let Some(a) = a.filter(report_scraper::Article::looks_like_article) else { continue };
        let day = a.published.as_ref().map(|p| p.value.to_string()[..10].to_string());
        expected.push(Expected { path: path.clone(), title: a.title, day });
    }
    let paths: Vec<String> = articles.iter().map(|a| a.0.clone()).collect();
    // Two notices told apart only by their `mod` parameter, in a GBK column.
    let notice = |m: usize| article(&format!("关于开展第{m}批会员活动日的通知"), "2024-03-08 10:00", m);
    site.page("/tzgg/show.jsp?id=7&mod=2", notice(2), "text/html");
    site.page("/tzgg/show.jsp?id=7&mod=3", notice(3), "text/html");
    for (m, p) in [(2, "/tzgg/show.jsp?id=7&mod=2"), (3, "/tzgg/show.jsp?id=7&mod=3")] {
        let title = Some(format!("关于开展第{m}批会员活动日的通知"));
        expected.push(Expected { path: p.into(), title, day: Some("2024-03-08".into()) });
    }
    let only_in_sitemap = "/xwzx/202403/t20240309_2000.html";
    site.page(only_in_sitemap, article("只在站点地图中的通知", "2024-03-09 09:00", 9), "text/html");
    expected.push(Expected {
        path: only_in_sitemap.into(),
        title: Some("只在站点地图中的通知".into()),
        day: Some("2024-03-09".into()),
    });
    // An article the site announces only in its RSS feed, which the home page names.
    let only_in_feed = "/xwzx/202403/t20240311_2100.html";
    site.page(only_in_feed, article("只在订阅源中的文章", "2024-03-11 09:00", 11), "text/html");
    expected.push(Expected {
        path: only_in_feed.into(),
        title: Some("只在订阅源中的文章".into()),
        day: Some("2024-03-11".into()),
    });
    site.page(
        "/rss.xml",
        rss(&[("只在订阅源中的文章", only_in_feed), ("新闻中心", "/xwzx/index.html")]),
        "application/rss+xml",
    );
    let flaky = "/xwzx/flaky.html";
    site.page(flaky, article("重试后成功的文章", "2024-03-10 09:00", 10), "text/html");
    expected.push(Expected {
        path: flaky.into(),
        title: Some("重试后成功的文章".into()),
        day: Some("2024-03-10".into()),
    });
    *site.expected.lock().unwrap() = expected;

    site.page(
        "/",
        b"<html><head><meta http-equiv=\"refresh\" content=\"0; url=/portal/index.html\"></head><body></body></html>"
            .to_vec(),
        "text/html",
    );
    let home = format!(
        "<a href=\"/xwzx/index.html\">新闻中心</a> <a href=\"/tzgg/index.html\">通知公告</a> <a href=\"/admin/login.html\">后台</a>\
         <a href=\"/xwzx/index.html?utm_source=home&spm=1.2\">更多新闻</a> <a href=\"{other}/steal.html\">友情链接</a>\
         <a href=\"/go/out\">外部跳转</a><iframe src=\"/portal/column.html\"></iframe>\
         <link rel=\"alternate\" type=\"application/rss+xml\" title=\"RSS\" href=\"/rss.xml\">"
    );
    site.page("/portal/index.html", html("示范市计划生育协会", &home), "text/html");
    site.page("/portal/column.html", list("工作动态", &paths[0..3], ""), "text/html");
    let script = |current: usize| {
        format!(
            "<script>var countPage = 3//共多少页\nvar currentPage = {current};\ncreatePageHTML(countPage, currentPage, \"index\", \"html\");</script>"
        )
    };
    let mut first: Vec<String> = paths[3..paths.len().min(8)].to_vec();
    first.extend(["/xwzx/missing.html", "/xwzx/slow.html", "/xwzx/huge.html", flaky].map(String::from));
    site.page("/xwzx/index.html", list("新闻中心", &first, &script(0)), "text/html");
    let rest = paths.get(8..).unwrap_or_default();
    let half = rest.len() / 2;
    site.page("/xwzx/index_1.html", list("新闻中心", &rest[..half], &script(1)), "text/html");
    site.page("/xwzx/index_2.html", list("新闻中心", &rest[half..], &script(2)), "text/html");
    let notices = ["/tzgg/show.jsp?mod=2&id=7".to_string(), "/tzgg/show.jsp?mod=3&id=7&utm_medium=list".to_string()];
    let gbk = String::from_utf8(list("通知公告", &notices, "")).unwrap().replace("charset=utf-8", "charset=gb2312");
    site.page("/tzgg/index.html", encoding_rs::GBK.encode(&gbk).0.into_owned(), "text/html");
    site.page(
        "/sitemap.xml",
        format!(
            "<urlset><url><loc>{base}{only_in_sitemap}</loc></url><url><loc>{base}/xwzx/index.html</loc></url></urlset>"
        )
        .into_bytes(),
        "application/xml",
    );
    site.page("/admin/login.html", article("后台不应抓取", "2024-03-01 09:00", 1), "text/html");
}

/// An RSS 2.0 feed of these items (title, address).
fn rss(items: &[(&str, &str)]) -> Vec<u8> {
    let items: String = items.iter().map(|(t, l)| format!("<item><title>{t}</title><link>{l}</link></item>")).collect();
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>示范市计生协</title><link>/</link>{items}</channel></rss>").into_bytes()
}

fn etag(body: &[u8]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:x}\"", h.finish())
}

/// Query parameters in any order, tracking ones left out, name the same page.
fn sorted(target: &str) -> String {
    match target.split_once('?') {
        Some((path, q)) => {
            let mut pairs: Vec<&str> =
                q.split('&').filter(|kv| !kv.starts_with("utm_") && !kv.starts_with("spm=")).collect();
            pairs.sort_unstable();
            if pairs.is_empty() { path.to_string() } else { format!("{path}?{}", pairs.join("&")) }
        }
        None => target.to_string(),
    }
}

fn answer(req: &Req, site: &Content, other: &str) -> Reply {
    let base = &req.base;
    match req.target().as_str() {
        "/robots.txt" => {
            let down = {
                let mut d = site.robots_down.lock().unwrap();
                let was = *d;
                *d = d.saturating_sub(1);
                was
            };
            if down > 0 {
                Reply::status(503)
            } else {
                Reply::text(format!("User-agent: *\nDisallow: /admin/\nSitemap: {base}/sitemap.xml\n"))
            }
        }
        "/go/out" => Reply::redirect(&format!("{other}/elsewhere.html")).with_status(302),
        "/xwzx/flaky.html" if req.nth == 1 => Reply::status(500),
        "/xwzx/slow.html" => Reply::status(200).delayed(Duration::from_secs(3)),
        "/xwzx/huge.html" => Reply::typed("text/html", vec![b'x'; 5 * 1024 * 1024]),
        target => match site.pages.lock().unwrap().get(&sorted(target)).cloned() {
            Some((body, ct)) => {
                let tag = etag(&body);
                if req.header("if-none-match") == Some(tag.as_str()) {
                    Reply::status(304)
                } else {
                    Reply::typed(ct, body).header("etag", tag)
                }
            }
            None => Reply::status(404),
        },
    }
}

/// Serves the site and, on another port, a server that must never be reached.
async fn serve() -> (Site, String, Server) {
    let (here, there) = (server::bind().await, server::bind().await);
    let (base, other) = (here.base.clone(), there.base.clone());
    let content = Content::default();
    build(&content, &base, &other);
    let served = content.clone();
    let server = here.serve(move |req| answer(req, &served, &other));
    let nothing = Content::default();
    let elsewhere = there.serve(move |req| answer(req, &nothing, ""));
    (Site { content, server }, base, elsewhere)
}

fn fetcher() -> Fetcher {
    Fetcher::new(
        FetchConfig::builder()
            .allow_range("127.0.0.1/32".parse().unwrap())
            .politeness_delay(Duration::from_millis(5))
            .backoff(Duration::from_millis(50))
            .timeout(Duration::from_secs(1))
            .retries(1)
            .max_bytes(4 * 1024 * 1024)
            .build(),
    )
    .unwrap()
}

fn crawler(base: &str) -> CrawlConfigBuilder {
    CrawlConfig::builder().seed(format!("{base}/")).workers(4)
}

struct Crawled {
    summary: Summary,
    rows: Vec<CrawledArticle>,
    failed: BTreeMap<String, ErrorCode>,
}

async fn crawl<S: report_scraper::crawl::Frontier>(crawler: &Crawler, state: &S) -> Crawled {
    let (mut rows, mut failed) = (Vec::new(), BTreeMap::new());
    let summary = crawler
        .run(state, &AtomicBool::new(false), |event| {
            match event {
                CrawlEvent::Articles(records) => rows.extend(records.iter().cloned()),
                CrawlEvent::Failed { url, error, .. } => {
                    failed.insert(url.path().to_string(), error.kind().code());
                }
                _ => {}
            }
            Ok(())
        })
        .await
        .unwrap();
    Crawled { summary, rows, failed }
}

/// `path?query` of a record's final address.
fn path_of(r: &CrawledArticle) -> String {
    match r.final_url.query() {
        Some(q) => format!("{}?{q}", r.final_url.path()),
        None => r.final_url.path().to_string(),
    }
}

fn same_page(a: &str, b: &str) -> bool {
    let norm = |p: &str| {
        let (path, q) = p.split_once('?').unwrap_or((p, ""));
        let mut pairs: Vec<&str> = q.split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("utm_")).collect();
        pairs.sort_unstable();
        format!("{path}?{}", pairs.join("&"))
    };
    norm(a) == norm(b)
}

async fn every_article_of_an_association_site_is_found_once<S: Fresh>() {
    let (site, base, elsewhere) = serve().await;
    let state = S::fresh().await;
    let Crawled { summary, rows, failed } =
        crawl(&Crawler::new(crawler(&base).build(), fetcher()).unwrap(), &state).await;

    let expected = site.expected();
    for e in &expected {
        let found: Vec<&CrawledArticle> = rows.iter().filter(|r| same_page(&path_of(r), &e.path)).collect();
        assert_eq!(
            found.len(),
            1,
            "{} written {} times; written: {:?}",
            e.path,
            found.len(),
            rows.iter().map(path_of).collect::<Vec<_>>()
        );
        let a = &found[0].article;
        if let Some(title) = &e.title {
            assert_eq!(a.title.as_ref(), Some(title), "title of {}", e.path);
        }
        if let Some(day) = &e.day {
            let got = a.published.as_ref().map(|p| p.value.to_string());
            assert_eq!(got.as_deref().map(|d| &d[..10]), Some(day.as_str()), "date of {}", e.path);
        }
    }
    assert_eq!(rows.len(), expected.len(), "only the expected articles");

    let requests = site.requests();
    assert!(!requests.iter().any(|p| p.starts_with("/admin")), "robots.txt was not obeyed: {requests:?}");
    assert!(!requests.contains(&"/xwzx/".to_string()), "the canonical form was fetched instead of the link");
    assert!(elsewhere.targets().is_empty(), "another port was reached: {:?}", elsewhere.targets());
    assert_eq!(failed.get("/go/out"), Some(&ErrorCode::RedirectOutOfScope));
    assert_eq!(failed.get("/xwzx/missing.html"), Some(&ErrorCode::Http(404)));
    assert_eq!(failed.get("/xwzx/slow.html"), Some(&ErrorCode::Timeout));
    assert_eq!(failed.get("/xwzx/huge.html"), Some(&ErrorCode::TooLarge));
    assert!(!failed.contains_key("/xwzx/flaky.html"), "the retry should have saved it");
    assert_eq!(
        requests.iter().filter(|p| *p == "/sitemap.xml").count(),
        1,
        "the sitemap robots.txt names is read once"
    );
    assert_eq!(summary.articles as usize, rows.len());
}
backends!(every_article_of_an_association_site_is_found_once);

async fn a_second_run_costs_a_handful_of_304s_and_finds_what_is_new<S: Fresh>() {
    let (site, base, _) = serve().await;
    let state = S::fresh().await;
    let crawler = Crawler::new(crawler(&base).build(), fetcher()).unwrap();
    let first = crawl(&crawler, &state).await;
    assert!(first.rows.len() > 5);

    site.server.clear();
    let second = crawl(&crawler, &state).await;
    assert!(second.rows.is_empty(), "{:?}", second.rows.iter().map(path_of).collect::<Vec<_>>());
    let statuses = site.statuses();
    let pages: Vec<&(String, u16)> =
        statuses.iter().filter(|(p, _)| p != "/robots.txt" && p != "/xwzx/slow.html").collect();
    assert!(pages.iter().all(|(_, s)| *s == 304 || *s == 302 || *s == 404), "only 304s: {pages:?}");
    assert!(second.summary.unchanged >= 5, "{:?}", second.summary);
    assert!(pages.len() <= 12, "a handful of requests: {pages:?}");

    // A new article on the news column: the next run finds it, and only it.
    site.page("/xwzx/202403/t20240320_3000.html", article("新的一条新闻", "2024-03-20 09:00", 20), "text/html");
    let mut links: Vec<String> = vec!["/xwzx/202403/t20240320_3000.html".into()];
    links.extend(site.expected().iter().skip(3).take(5).map(|e| e.path.clone()));
    site.page("/xwzx/index.html", list("新闻中心", &links, ""), "text/html");
    let third = crawl(&crawler, &state).await;
    let written: Vec<String> = third.rows.iter().map(path_of).collect();
    assert_eq!(written, ["/xwzx/202403/t20240320_3000.html"]);

    // A new item in the feed alone: the next run reads the feed again and finds it.
    site.page("/xwzx/202403/t20240321_3100.html", article("订阅源里的新文章", "2024-03-21 09:00", 21), "text/html");
    let items = [
        ("订阅源里的新文章", "/xwzx/202403/t20240321_3100.html"),
        ("只在订阅源中的文章", "/xwzx/202403/t20240311_2100.html"),
    ];
    site.page("/rss.xml", rss(&items), "application/rss+xml");
    let fourth = crawl(&crawler, &state).await;
    let written: Vec<String> = fourth.rows.iter().map(path_of).collect();
    assert_eq!(written, ["/xwzx/202403/t20240321_3100.html"]);
}
backends!(a_second_run_costs_a_handful_of_304s_and_finds_what_is_new);

async fn a_state_from_another_crawl_is_refused_unless_adopted<S: Fresh>() {
    let (_site, base, _) = serve().await;
    let state = S::fresh().await;
    let first = Crawler::new(crawler(&base).max_pages(3).build(), fetcher()).unwrap();
    crawl(&first, &state).await;
    let other =
        Crawler::new(CrawlConfig::builder().seed(format!("{base}/tzgg/index.html")).build(), fetcher()).unwrap();
    let err = other.run(&state, &AtomicBool::new(false), |_| Ok(())).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::StateMismatch { .. }), "{err}");
    let adopted = Crawler::new(
        CrawlConfig::builder().seed(format!("{base}/tzgg/index.html")).adopt_state(true).build(),
        fetcher(),
    )
    .unwrap();
    assert!(adopted.run(&state, &AtomicBool::new(false), |_| Ok(())).await.is_ok());
}
backends!(a_state_from_another_crawl_is_refused_unless_adopted);

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rs-site-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_output_cut_behind_the_state_s_back_is_made_whole() {
    let (site, base, _) = serve().await;
    let dir = temp("cut");
    let (db, out) = (dir.join("crawl.db"), dir.join("articles.jsonl"));
    let crawler = Crawler::new(crawler(&base).build(), fetcher()).unwrap();
    {
        let state = CrawlState::open(&db).unwrap();
        let mut sink = JsonlSink::open(&out, &state).unwrap();
        crawler.run(&state, &AtomicBool::new(false), |e| sink.record(&e)).await.unwrap();
    }
    let all = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = all.lines().collect();
    let kept = lines.len() / 2;
    std::fs::write(&out, lines[..kept].iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();

    site.server.clear();
    let state = CrawlState::open(&db).unwrap();
    let mut sink = JsonlSink::open(&out, &state).unwrap();
    assert_eq!(sink.requeued() as usize, lines.len() - kept, "every article cut from the output is queued again");
    crawler.run(&state, &AtomicBool::new(false), |e| sink.record(&e)).await.unwrap();
    let mut before: Vec<&str> = lines.iter().map(|l| url_of(l)).collect();
    let after = std::fs::read_to_string(&out).unwrap();
    let mut now: Vec<&str> = after.lines().map(url_of).collect();
    before.sort_unstable();
    now.sort_unstable();
    assert_eq!(before, now, "the output holds every article once again");
    std::fs::remove_dir_all(&dir).ok();
}

fn url_of(line: &str) -> &str {
    let start = line.find("\"url\":\"").unwrap() + 7;
    let end = line[start..].find('"').unwrap() + start;
    &line[start..end]
}

async fn failures_that_can_heal_are_tried_again_by_later_runs<S: Fresh>() {
    let (site, base, _) = serve().await;
    // robots.txt is down for the whole first run (each request retried once).
    *site.content.robots_down.lock().unwrap() = 1000;
    let state = S::fresh().await;
    let crawler = Crawler::new(crawler(&base).build(), fetcher()).unwrap();
    let first = crawl(&crawler, &state).await;
    assert!(first.rows.is_empty());
    assert_eq!(first.failed.get("/"), Some(&ErrorCode::RobotsUnavailable), "{:?}", first.failed);
    assert_eq!(first.summary.robots, 0, "robots.txt that cannot be read is not a refusal");
    *site.content.robots_down.lock().unwrap() = 0;
    // The fetcher asks again once its minute is up; a new fetcher (a new process) asks at once.
    let again = crawler_with_new_fetcher(&base);
    let second = crawl(&again, &state).await;
    assert!(second.rows.len() > 5, "{:?}", second.summary);
    // The slow page failed with a timeout in this run, twice; the cap stops it.
    for _ in 0..3 {
        crawl(&again, &state).await;
    }
    let tries = site.requests().iter().filter(|p| *p == "/xwzx/slow.html").count();
    assert!(tries <= 3 * 2, "{tries} requests to a page that always times out");
}
backends!(failures_that_can_heal_are_tried_again_by_later_runs);

fn crawler_with_new_fetcher(base: &str) -> Crawler {
    Crawler::new(crawler(base).build(), fetcher()).unwrap()
}

async fn extraction_past_its_budget_is_recorded_not_waited_for<S: Fresh>() {
    let (_site, base, _) = serve().await;
    let crawler = Crawler::new(crawler(&base).extract_budget(Duration::ZERO).build(), fetcher()).unwrap();
    let Crawled { summary, rows, .. } = crawl(&crawler, &S::fresh().await).await;
    assert!(rows.is_empty());
    assert!(summary.errors.get(&ErrorCode::ExtractTimeout).is_some_and(|n| *n >= 1), "{:?}", summary.errors);
}
backends!(extraction_past_its_budget_is_recorded_not_waited_for);

async fn a_resumed_run_does_not_read_its_sitemaps_again<S: Fresh>() {
    let (site, base, _) = serve().await;
    let state = S::fresh().await;
    let crawler = Crawler::new(crawler(&base).build(), fetcher()).unwrap();
    // Stopped before any page: the sitemaps were read, the run is not finished.
    let stopped = crawler.run(&state, &AtomicBool::new(true), |_| Ok(())).await.unwrap();
    assert!(stopped.stopped && stopped.queued > 0);
    assert_eq!(site.requests().iter().filter(|p| *p == "/sitemap.xml").count(), 1);
    crawl(&crawler, &state).await;
    assert_eq!(site.requests().iter().filter(|p| *p == "/sitemap.xml").count(), 1, "read again on resuming");
}
backends!(a_resumed_run_does_not_read_its_sitemaps_again);

async fn a_feed_is_a_seed_like_any_list<S: Fresh>() {
    let (_site, base, _) = serve().await;
    let state = S::fresh().await;
    // The sitemap robots.txt names is left out: only what the feed leads to is crawled.
    let config = CrawlConfig::builder().seed(format!("{base}/rss.xml")).max_depth(1).robots_sitemaps(false).build();
    let crawler = Crawler::new(config, fetcher()).unwrap();
    let c = crawl(&crawler, &state).await;
    let written: Vec<String> = c.rows.iter().map(path_of).collect();
    assert_eq!(written, ["/xwzx/202403/t20240311_2100.html"], "{:?}", c.failed);
    // The feed's other entry, the news column, was followed as a list.
    assert!(c.summary.lists >= 2, "{:?}", c.summary);
}
backends!(a_feed_is_a_seed_like_any_list);
