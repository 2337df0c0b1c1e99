//! The crawler on sites laid out the way the CMS families behind Chinese
//! government and association sites lay them out, served on 127.0.0.1:
//!
//! - **Hanweb JCMS** (大汉): a column page with no list markup, its first
//!   records in an XML datastore inside a `<script type="text/xml">`, the
//!   rest only from the `dataproxy.jsp` endpoint that the page's `jpage`
//!   call names (POST with the column's fields; GET answered too), and a
//!   column of an older install (`/module/jpage/`, fields only in the
//!   datastore's `<nextgroup>`);
//! - **ASP.NET WebForms / Epoint** (新点): pages after the first only as the
//!   answer to a postback (`__doPostBack('MoreInfoList1$Pager','3')`) with
//!   the page's `__VIEWSTATE` and `__EVENTVALIDATION` (a wrong one is a
//!   500), beside a search box, a login form and a comment form that must
//!   never be sent; a Java CMS list paged by `goPage(n)` over hidden fields;
//! - **TRS-style** lists whose links are only in `onclick` handlers, with
//!   tracking (`?from=list`) and print (`?print=1`) variants of each
//!   article, a canonical link, a sitemap of the plain addresses and a
//!   redirect onto an address fetched already.
//!
//! Every article must be written exactly once. The server logs every
//! request, so the tests assert what was sent, what never was, and when.

use crate::backends;
use crate::support::states::Fresh;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::support::cms_sites::*;
use crate::support::server::{Server, serve};
use report_scraper::{
    crawl::CrawlConfig,
    crawl::{CrawlEvent, CrawlState, CrawledArticle, Crawler, JsonlSink, Summary},
    fetch::FetchConfig,
    fetch::Fetcher,
};

/// Pause between two requests to one host.
const DELAY: Duration = Duration::from_millis(5);

/// What a crawl wrote, by final address, and what it said.
struct Crawled {
    rows: Vec<CrawledArticle>,
    summary: Summary,
    duplicates: Vec<(String, String)>,
}

async fn crawl<S: report_scraper::crawl::Frontier>(crawler: &Crawler, state: &S) -> Crawled {
    let (mut rows, mut duplicates) = (Vec::new(), Vec::new());
    let summary = crawler
        .run(state, &AtomicBool::new(false), |event| {
            match event {
                CrawlEvent::Articles(records) => rows.extend(records.iter().cloned()),
                CrawlEvent::Duplicate { url, of, .. } => duplicates.push((url.to_string(), of.to_string())),
                _ => {}
            }
            Ok(())
        })
        .await
        .unwrap();
    Crawled { rows, summary, duplicates }
}

fn fetcher() -> Fetcher {
    Fetcher::new(
        FetchConfig::builder()
            .allow_range("127.0.0.1/32".parse().unwrap())
            .politeness_delay(DELAY)
            .backoff(Duration::from_millis(20))
            .timeout(Duration::from_secs(5))
            .retries(1)
            .build(),
    )
    .unwrap()
}

/// Titles written, each with how many times.
fn titles(rows: &[CrawledArticle]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in rows {
        *out.entry(r.article.title.clone().unwrap_or_default()).or_default() += 1;
    }
    out
}

fn assert_once(rows: &[CrawledArticle], expected: &[String]) {
    let got = titles(rows);
    let twice: Vec<(&String, &usize)> = got.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "written more than once: {twice:?}");
    let missing: Vec<&String> = expected.iter().filter(|t| !got.contains_key(*t)).collect();
    assert!(missing.is_empty(), "never written ({} of {}): {missing:?}", missing.len(), expected.len());
    assert_eq!(got.len(), expected.len(), "only the expected articles: {got:?}");
}

// ---------------------------------------------------------------- Hanweb JCMS

async fn a_jcms_column_is_read_through_its_data_endpoint<S: Fresh>() {
    let site = serve(jcms).await;
    let state = S::fresh().await;
    let crawler =
        Crawler::new(CrawlConfig::builder().seed(format!("{}/", site.base)).workers(4).build(), fetcher()).unwrap();
    let c = crawl(&crawler, &state).await;
    assert_once(&c.rows, &jcms_expected());
    let hits = site.pages();
    let endpoint: Vec<_> = hits.iter().filter(|h| h.target.contains("dataproxy.jsp")).collect();
    // Column 1234: records 16–30 and 31–38; column 77: 6–10 and 11–12. Each asked once, by POST.
    assert_eq!(endpoint.len(), 4, "{endpoint:#?}");
    assert!(endpoint.iter().all(|h| h.method == "POST" && h.status == 200), "{endpoint:#?}");
    assert!(endpoint.iter().any(|h| h.target.starts_with("/module/jpage/")), "the older install's endpoint");
    assert!(endpoint.iter().any(|h| h.body.contains("sourceContentType=1")), "ajaxParam's fields are sent");
    assert_eq!(c.summary.failed(), 0, "{:?}", c.summary.errors);
}
backends!(a_jcms_column_is_read_through_its_data_endpoint);

// ------------------------------------------------------- ASP.NET WebForms

/// Requests no crawl may send: searches, logins, comments.
fn forbidden(site: &Server) -> Vec<String> {
    site.hits()
        .into_iter()
        .filter(|h| {
            h.target.starts_with("/login")
                || h.target.starts_with("/comment")
                || h.body.contains("btnSearch")
                || h.body.contains("btnComment")
        })
        .map(|h| format!("{} {} {}", h.method, h.target, h.body))
        .collect()
}

async fn postback_pagers_are_replayed_and_no_other_form_is_sent<S: Fresh>() {
    let site = serve(aspnet).await;
    let state = S::fresh().await;
    let crawler =
        Crawler::new(CrawlConfig::builder().seed(format!("{}/", site.base)).workers(4).build(), fetcher()).unwrap();
    let c = crawl(&crawler, &state).await;
    assert_once(&c.rows, &aspnet_expected());
    assert!(forbidden(&site).is_empty(), "{:#?}", forbidden(&site));
    let posts: Vec<String> =
        site.hits().iter().filter(|h| h.method == "POST").map(|h| format!("{} {}", h.status, h.target)).collect();
    // Pages 1–5 of the pager (page 1 by postback too: its 首页 link), pages 1–3 of goPage.
    assert_eq!(posts.len(), PAGES + 3, "each postback page once: {posts:#?}");
    assert!(posts.iter().all(|p| p.starts_with("200")), "a postback was refused: {posts:#?}");
    assert_eq!(c.summary.failed(), 0, "{:?}", c.summary.errors);
}
backends!(postback_pagers_are_replayed_and_no_other_form_is_sent);

async fn a_re_crawl_reads_postback_pages_only_while_they_hold_something_new<S: Fresh>() {
    let extra = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let e = extra.clone();
    let site = serve(move |req| aspnet_with(req, e.load(std::sync::atomic::Ordering::Relaxed))).await;
    let state = S::fresh().await;
    let crawler =
        Crawler::new(CrawlConfig::builder().seed(format!("{}/", site.base)).workers(4).build(), fetcher()).unwrap();
    assert_eq!(crawl(&crawler, &state).await.rows.len(), aspnet_expected().len());
    // Two new articles on top: the second run reads page 1 again, then page 2 (its
    // postback read again with the new view state), which holds nothing new: it stops
    // there. The pager's new last page (6) is new, and read.
    extra.store(2, std::sync::atomic::Ordering::Relaxed);
    site.clear();
    let second = crawl(&crawler, &state).await;
    assert_eq!(
        titles(&second.rows).into_keys().collect::<Vec<_>>(),
        [title_of("交易信息", 1001), title_of("交易信息", 1002)]
    );
    let posts: Vec<String> =
        site.hits().iter().filter(|h| h.method == "POST").map(|h| format!("{} {}", h.status, h.body)).collect();
    assert_eq!(posts.len(), 2, "only the page after the first, and the new one: {posts:#?}");
    assert!(posts.iter().all(|p| p.starts_with("200")), "{posts:#?}");
    assert!(posts.iter().any(|p| p.contains("__EVENTARGUMENT=2&")), "{posts:#?}");
    assert!(posts.iter().any(|p| p.contains("__EVENTARGUMENT=6&")), "{posts:#?}");
    assert!(forbidden(&site).is_empty());
}
backends!(a_re_crawl_reads_postback_pages_only_while_they_hold_something_new);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_killed_in_the_middle_of_postback_paging_resumes() {
    let site = serve(aspnet).await;
    let dir = std::env::temp_dir().join(format!("rs-cms-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (db, out) = (dir.join("crawl.db"), dir.join("out.jsonl"));
    let _ = (std::fs::remove_file(&db), std::fs::remove_file(&out));
    let crawler = Arc::new(
        Crawler::new(CrawlConfig::builder().seed(format!("{}/", site.base)).workers(4).build(), fetcher()).unwrap(),
    );
    // Killed (the run dropped where it stands) once the third postback page is in.
    {
        let state = CrawlState::open(&db).unwrap();
        let mut sink = JsonlSink::open(&out, &state).unwrap();
        let posted = || site.hits().iter().filter(|h| h.method == "POST" && h.target.starts_with("/jyxx")).count();
        let never = AtomicBool::new(false);
        let run = crawler.run(&state, &never, |e| sink.record(&e));
        tokio::select! {
            _ = run => panic!("the run ended before it was killed"),
            () = async { while posted() < 3 { tokio::time::sleep(Duration::from_millis(2)).await } } => {}
        }
    }
    let before: Vec<String> = site.hits().iter().filter(|h| h.method == "POST").map(|h| h.body.clone()).collect();
    let state = CrawlState::open(&db).unwrap();
    let mut sink = JsonlSink::open(&out, &state).unwrap();
    crawler.run(&state, &AtomicBool::new(false), |e| sink.record(&e)).await.unwrap();
    drop(sink);
    let rows: Vec<CrawledArticle> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_once(&rows, &aspnet_expected());
    // A postback answered before the kill is not sent again (one in flight may be).
    let mut sent: BTreeMap<String, usize> = BTreeMap::new();
    for h in site.hits().iter().filter(|h| h.method == "POST") {
        let page = h
            .body
            .split('&')
            .find(|kv| kv.starts_with("__EVENTARGUMENT") || kv.starts_with("pageNo"))
            .unwrap_or("")
            .to_string();
        *sent.entry(format!("{} {page}", h.target)).or_default() += 1;
    }
    let again: Vec<_> = sent.iter().filter(|(_, n)| **n > 1).collect();
    assert!(again.len() <= 1, "postbacks repeated after resuming: {again:?} (before the kill: {before:?})");
    assert!(forbidden(&site).is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

// ------------------------------------------------- TRS-style, with variants

async fn handler_links_tracking_and_print_variants_and_redirects_give_each_article_once<S: Fresh>() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let site = serve(move |req| trs(b.get().map(String::as_str).unwrap_or_default(), req)).await;
    base.set(site.base.clone()).unwrap();
    let state = S::fresh().await;
    let crawler =
        Crawler::new(CrawlConfig::builder().seed(format!("{}/", site.base)).workers(4).build(), fetcher()).unwrap();
    let c = crawl(&crawler, &state).await;
    let mut expected: Vec<String> = (1..=TRS_ARTICLES).map(|n| title_of("新闻中心", n)).collect();
    expected.push(title_of("专题", 1));
    assert_once(&c.rows, &expected);
    // The canonical address a page named, never seen then, was not fetched when linked later.
    assert!(
        !site.pages().iter().any(|h| h.target == "/zt/report.htm"),
        "{:#?}",
        site.pages().iter().map(|h| &h.target).collect::<Vec<_>>()
    );
    // The redirect onto a fetched address is a duplicate naming it.
    assert!(
        c.duplicates.iter().any(|(url, of)| url.ends_with("/old/first.htm") && of.ends_with(&trs_path(1))),
        "{:#?}",
        c.duplicates
    );
    // Variants found the same article twice each and were learned: most were never fetched.
    // Two give the evidence; one more may be fetched while the second is recorded (a host's
    // next request goes out once the last one's response is in, before it is extracted).
    let print = site.pages().iter().filter(|h| h.target.contains("print=1")).count();
    let from = site.pages().iter().filter(|h| h.target.contains("from=list")).count();
    assert!(print <= 3 && from <= 3, "variants fetched of {TRS_ARTICLES}: print {print}, from {from}");
    let learned: BTreeSet<String> = state.learned_params().await.into_iter().map(|(_, n)| n).collect();
    assert_eq!(learned, BTreeSet::from(["from".to_string(), "print".to_string()]));
    // No address fetched twice, but the redirect's target (fetched to learn where it leads).
    let mut fetched: BTreeMap<String, usize> = BTreeMap::new();
    for h in site.pages() {
        *fetched.entry(h.target).or_default() += usize::from(h.target != trs_path(1));
    }
    assert!(fetched.values().all(|n| *n <= 1), "an address fetched twice: {fetched:?}");
}
backends!(handler_links_tracking_and_print_variants_and_redirects_give_each_article_once);

// ------------------------------------------------------- several hosts

async fn hosts_are_served_side_by_side_each_at_its_own_pace<S: Fresh>() {
    let delay = Duration::from_millis(30);
    let sites = [
        serve(plain("甲站", 12, Some(2))).await,
        serve(plain("乙站", 12, None)).await,
        serve(plain("丙站", 12, None)).await,
    ];
    let config = CrawlConfig::builder().workers(8).seeds(sites.iter().map(|s| format!("{}/", s.base))).build();
    let f = Fetcher::new(
        FetchConfig::builder().allow_range("127.0.0.1/32".parse().unwrap()).politeness_delay(delay).build(),
    )
    .unwrap();
    let crawler = Crawler::new(config, f).unwrap();
    let c = crawl(&crawler, &S::fresh().await).await;
    assert_eq!(c.rows.len(), 36, "{:?}", c.summary);
    for s in &sites {
        let hits = s.hits();
        // One request at a time per host, the delay between them (measured from arrival to arrival).
        for w in hits.windows(2) {
            let gap = w[1].at.duration_since(w[0].at);
            assert!(gap >= delay - Duration::from_millis(3), "{} then {} only {gap:?} apart", w[0].target, w[1].target);
        }
    }
    // While host 甲 sat on its slow page, the other hosts went on.
    let slow = sites[0].hits().into_iter().find(|h| h.target == "/a/2.html").unwrap();
    let (from, to) = (slow.at, slow.at + Duration::from_millis(1400));
    let meanwhile: usize =
        sites[1..].iter().map(|s| s.hits().iter().filter(|h| h.at > from && h.at < to).count()).sum();
    assert!(meanwhile >= 10, "the other hosts got {meanwhile} requests while one page was slow");
    // Requests interleave: each host's first request comes before every other host's last.
    let spans: Vec<(std::time::Instant, std::time::Instant)> =
        sites.iter().map(|s| (s.hits().first().unwrap().at, s.hits().last().unwrap().at)).collect();
    for (i, a) in spans.iter().enumerate() {
        for (j, b) in spans.iter().enumerate() {
            assert!(i == j || a.0 < b.1, "host {i} started only after host {j} had finished");
        }
    }
}
backends!(hosts_are_served_side_by_side_each_at_its_own_pace);

// ------------------------------------------------------- the page limit

async fn a_run_at_the_page_limit_says_so_and_the_next_one_goes_on<S: Fresh>() {
    let site = serve(plain("丁站", 20, None)).await;
    let state = S::fresh().await;
    let crawler =
        Crawler::new(CrawlConfig::builder().seed(format!("{}/", site.base)).max_pages(8).workers(2).build(), fetcher())
            .unwrap();
    let first = crawl(&crawler, &state).await;
    assert!(first.summary.limit_reached, "{:?}", first.summary);
    assert_eq!(first.summary.fetched, 8);
    assert!(first.summary.queued > 0 || first.summary.cut > 0, "{:?}", first.summary);
    let json = serde_json::to_value(&first.summary).unwrap();
    assert_eq!(json["limit_reached"], true);
    let mut all = first.rows;
    for _ in 0..5 {
        let next = crawl(&crawler, &state).await;
        all.extend(next.rows);
        if !next.summary.limit_reached {
            break;
        }
    }
    let expected: Vec<String> = (1..=20).map(|i| title_of("丁站", i)).collect();
    assert_once(&all, &expected);
}
backends!(a_run_at_the_page_limit_says_so_and_the_next_one_goes_on);
