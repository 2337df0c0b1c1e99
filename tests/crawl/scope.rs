//! Nothing leaves the scope it was meant for: the user's headers go only to
//! the origins a fetch or a crawl is about, and a crawl fetches no sitemap
//! of another origin, however it is named (robots.txt, an index, a
//! redirect). A canary server on another port records anything that
//! reaches it; every server is on 127.0.0.1.

use crate::backends;
use crate::support::states::Fresh;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::support::server::{Reply, serve};
use report_scraper::{
    ErrorCode,
    crawl::CrawlConfig,
    crawl::{CrawlEvent, Crawler},
    fetch::FetchConfig,
    fetch::FetchConfigBuilder,
    fetch::Fetcher,
};

fn fetcher() -> FetchConfigBuilder {
    FetchConfig::builder()
        .allow_range("127.0.0.1/32".parse().unwrap())
        .politeness_delay(Duration::ZERO)
        .timeout(Duration::from_secs(2))
        .retries(0)
        .header("Authorization", "Bearer secret-token")
}

const PAGE: &str = "<html><body><h1>市计生协召开会议</h1><p>会议总结了去年的工作,部署了今年的重点任务,要求各级协会聚焦生育支持服务。</p></body></html>";

#[tokio::test]
async fn user_headers_go_only_to_the_origin_asked_for() {
    let canary = serve(|_| Reply::html(PAGE)).await;
    let to = canary.base.clone();
    let site = serve(move |req| match req.path.as_str() {
        "/go" => Reply::redirect(&format!("{to}/page")),
        _ => Reply::html(PAGE),
    })
    .await;
    let f = Fetcher::new(fetcher().build()).unwrap();
    let page = f.fetch(&format!("{}/go", site.base)).await.unwrap();
    assert!(page.final_url.as_str().starts_with(&canary.base));
    let asked = site.hits().into_iter().find(|h| h.target == "/go").unwrap();
    assert_eq!(asked.header("authorization"), Some("Bearer secret-token"), "sent where it was meant for");
    for h in site.hits().iter().chain(canary.hits().iter()).filter(|h| h.target != "/go") {
        assert_eq!(h.header("authorization"), None, "{} got the user's header", h.target);
    }
}

async fn a_crawl_reads_no_sitemap_of_another_origin<S: Fresh>() {
    let canary = serve(|_| Reply::typed("application/xml", "<urlset></urlset>")).await;
    let other = canary.base.clone();
    let base = Arc::new(OnceLock::<String>::new());
    let b = base.clone();
    let site = serve(move |req| {
        let me = b.get().cloned().unwrap_or_default();
        match req.path.as_str() {
            "/robots.txt" => Reply::typed(
                "text/plain",
                format!("User-agent: *\nSitemap: {other}/sitemap.xml\nSitemap: {me}/index.xml\nSitemap: {me}/moved.xml\n"),
            ),
            "/index.xml" => Reply::typed(
                "application/xml",
                format!("<sitemapindex><sitemap><loc>{other}/child.xml</loc></sitemap><sitemap><loc>{me}/child.xml</loc></sitemap></sitemapindex>"),
            ),
            "/moved.xml" => Reply::redirect(&format!("{other}/moved.xml")),
            "/child.xml" => Reply::typed("application/xml", format!("<urlset><url><loc>{me}/a.html</loc></url></urlset>")),
            _ => Reply::html(PAGE),
        }
    })
    .await;
    base.set(site.base.clone()).unwrap();
    let crawler = Crawler::new(
        CrawlConfig::builder().seed(format!("{}/", site.base)).build(),
        Fetcher::new(fetcher().build()).unwrap(),
    )
    .unwrap();
    let mut failed = Vec::new();
    let summary = crawler
        .run(&S::fresh().await, &AtomicBool::new(false), |e| {
            if let CrawlEvent::Failed { url, error, .. } = e {
                failed.push((url.to_string(), error.kind().code()));
            }
            Ok(())
        })
        .await
        .unwrap();
    assert!(canary.hits().is_empty(), "another origin was reached: {:#?}", canary.hits());
    assert!(site.hits().iter().any(|h| h.target == "/child.xml"), "the index's own child is read");
    assert!(site.hits().iter().any(|h| h.target == "/a.html"), "and its page crawled");
    assert_eq!(summary.errors.get(&ErrorCode::OutOfScope), Some(&2), "{failed:?}");
    assert_eq!(summary.errors.get(&ErrorCode::RedirectOutOfScope), Some(&1), "{failed:?}");
    // Inside the crawl's scope the header goes along; robots.txt never gets it.
    let page = site.hits().into_iter().find(|h| h.target == "/a.html").unwrap();
    assert_eq!(page.header("authorization"), Some("Bearer secret-token"));
    let robots = site.hits().into_iter().find(|h| h.target == "/robots.txt").unwrap();
    assert_eq!(robots.header("authorization"), None);
}
backends!(a_crawl_reads_no_sitemap_of_another_origin);

async fn a_sitemap_index_of_many_children_is_read_within_bounds<S: Fresh>() {
    let base = Arc::new(OnceLock::<String>::new());
    let b = base.clone();
    let site = serve(move |req| {
        let me = b.get().cloned().unwrap_or_default();
        match req.path.as_str() {
            "/robots.txt" => Reply::typed("text/plain", format!("User-agent: *\nSitemap: {me}/index.xml.gz\n")),
            // 45,000 children, each with a long address: a few hundred KB gzipped, 70 MB read.
            "/index.xml.gz" => {
                use std::io::Write;
                let pad = "x".repeat(1500);
                let children: String =
                    (0..45_000).map(|i| format!("<sitemap><loc>{me}/s/{i}-{pad}.xml</loc></sitemap>")).collect();
                let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                gz.write_all(format!("<sitemapindex>{children}</sitemapindex>").as_bytes()).unwrap();
                Reply::typed("application/x-gzip", gz.finish().unwrap())
            }
            _ => Reply::status(404),
        }
    })
    .await;
    base.set(site.base.clone()).unwrap();
    let crawler = Crawler::new(
        CrawlConfig::builder().seed(format!("{}/", site.base)).max_depth(0).build(),
        Fetcher::new(fetcher().build()).unwrap(),
    )
    .unwrap();
    let summary = crawler.run(&S::fresh().await, &AtomicBool::new(false), |_| Ok(())).await.unwrap();
    let children = site.hits().iter().filter(|h| h.target.starts_with("/s/")).count();
    assert!(children <= 1000, "{children} children fetched");
    assert!(summary.errors.contains_key(&ErrorCode::BadSitemap), "the cut is reported: {:?}", summary.errors);
}
backends!(a_sitemap_index_of_many_children_is_read_within_bounds);

async fn nested_indexes_and_gzip_bombs_stop_at_the_run_bounds<S: Fresh>() {
    use std::io::Write;
    // A chain of indexes, each listing a page and the next index: only two levels are followed.
    // And twelve gzip bombs (a page, then 101 MB of white space): a run reads 1 GB of sitemaps.
    let mut spaces = b"<urlset><url><loc>/bomb.html</loc></url>".to_vec();
    spaces.resize(spaces.len() + 101 * 1024 * 1024, b' ');
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&spaces).unwrap();
    let bomb = Arc::new(gz.finish().unwrap());
    drop(spaces);
    let base = Arc::new(OnceLock::<String>::new());
    let b = base.clone();
    let site = serve(move |req| {
        let me = b.get().cloned().unwrap_or_default();
        let path = req.path.as_str();
        if path == "/robots.txt" {
            let bombs: String = (0..12).map(|i| format!("Sitemap: {me}/bomb{i}.xml.gz\n")).collect();
            return Reply::typed("text/plain", format!("User-agent: *\nSitemap: {me}/i0.xml\n{bombs}"));
        }
        if let Some(n) = path.strip_prefix("/i").and_then(|p| p.strip_suffix(".xml")).and_then(|n| n.parse::<u32>().ok()) {
            let next = n + 1;
            return Reply::typed(
                "application/xml",
                format!("<sitemapindex><sitemap><loc>{me}/i{next}.xml</loc></sitemap><sitemap><loc>{me}/p{n}.xml</loc></sitemap></sitemapindex>"),
            );
        }
        if path.starts_with("/bomb") {
            return Reply::typed("application/x-gzip", bomb.as_ref().clone());
        }
        Reply::status(404)
    })
    .await;
    base.set(site.base.clone()).unwrap();
    let crawler = Crawler::new(
        CrawlConfig::builder().seed(format!("{}/", site.base)).max_depth(0).build(),
        Fetcher::new(fetcher().build()).unwrap(),
    )
    .unwrap();
    let summary = crawler.run(&S::fresh().await, &AtomicBool::new(false), |_| Ok(())).await.unwrap();
    let fetched = |prefix: &str| site.hits().iter().filter(|h| h.target.starts_with(prefix)).count();
    // i0 (named by robots.txt), i1 and i2 are read; i2's children are two levels deep: not read.
    assert_eq!(fetched("/i"), 3, "{:?}", site.hits().iter().map(|h| h.target.clone()).collect::<Vec<_>>());
    assert_eq!(fetched("/p"), 2, "the sitemaps i0 and i1 list are read");
    // Ten bombs of 100 MB spend the run's sitemap bytes; the last two are not fetched.
    assert_eq!(fetched("/bomb"), 10);
    assert!(summary.errors.get(&ErrorCode::BadSitemap).copied().unwrap_or(0) >= 2, "{:?}", summary.errors);
}
backends!(nested_indexes_and_gzip_bombs_stop_at_the_run_bounds);
