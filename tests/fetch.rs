//! The fetcher against a server these tests start on 127.0.0.1: no packet
//! leaves the machine. The server records every request it receives (path
//! and time), so tests can assert what was *not* fetched and how far apart
//! requests were.
#![cfg(feature = "fetch")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use report_scraper::{ErrorKind, Fetcher};

#[derive(Clone, Default)]
struct Site {
    log: Arc<Mutex<Vec<(String, Instant)>>>,
    flaky: Arc<AtomicUsize>,
    busy: Arc<AtomicUsize>,
}

impl Site {
    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().iter().map(|(p, _)| p.clone()).collect()
    }
    fn times(&self, path: &str) -> Vec<Instant> {
        self.log.lock().unwrap().iter().filter(|(p, _)| p == path).map(|(_, t)| *t).collect()
    }
}

const ARTICLE: &str = "<html><head><title>市计生协召开工作会议_某市计生协</title></head><body>\
    <h1>市计生协召开工作会议</h1><div class=info>发布时间:2024-03-05 09:30 来源:市计生协</div>\
    <div class=content><p>3月5日,市计生协召开全市工作会议,总结去年工作,部署今年重点任务。</p>\
    <p>会议要求,各级计生协要聚焦生育支持和家庭健康服务,推动工作提质增效。</p></div></body></html>";

fn html(body: impl Into<Body>, content_type: &'static str) -> Response {
    let mut r = Response::new(body.into());
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

async fn handle(State(site): State<Site>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    site.log.lock().unwrap().push((path.clone(), Instant::now()));
    match path.as_str() {
        "/robots.txt" => html("User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/article" => html(ARTICLE, "text/html; charset=utf-8"),
        "/gbk" => {
            let (bytes, _, _) = encoding_rs::GBK.encode(ARTICLE);
            html(bytes.into_owned(), "text/html")
        }
        "/hop1" => (StatusCode::FOUND, [(header::LOCATION, "/hop2")]).into_response(),
        "/hop2" => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/article")]).into_response(),
        "/flaky" if site.flaky.fetch_add(1, Ordering::SeqCst) == 0 => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        "/flaky" => html(ARTICLE, "text/html; charset=utf-8"),
        "/busy" if site.busy.fetch_add(1, Ordering::SeqCst) == 0 => {
            (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]).into_response()
        }
        "/busy" => html(ARTICLE, "text/html; charset=utf-8"),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            html(ARTICLE, "text/html; charset=utf-8")
        }
        "/big" => html(vec![b'a'; 2 * 1024 * 1024], "text/html"),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Starts the site on an ephemeral loopback port.
async fn serve() -> (Site, String) {
    let site = Site::default();
    let app = Router::new().fallback(handle).with_state(site.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (site, base)
}

fn local() -> report_scraper::FetcherBuilder {
    Fetcher::builder()
        .allow_private_addresses(true)
        .politeness_delay(Duration::ZERO)
        .backoff(Duration::from_millis(50))
        .timeout(Duration::from_secs(1))
}

#[tokio::test]
async fn fetches_and_extracts_an_article() {
    let (_site, base) = serve().await;
    let f = local().build().unwrap();
    let a = f.fetch_article(&format!("{base}/article")).await.unwrap();
    assert_eq!(a.title.as_deref(), Some("市计生协召开工作会议"));
    assert_eq!(a.published.unwrap().value.to_string(), "2024-03-05T09:30:00+08:00");
}

#[tokio::test]
async fn gbk_without_a_charset_is_decoded() {
    let (_site, base) = serve().await;
    let a = local().build().unwrap().fetch_article(&format!("{base}/gbk")).await.unwrap();
    assert!(a.text().contains("市计生协召开全市工作会议"), "{}", a.text());
}

#[tokio::test]
async fn redirects_are_followed_and_the_final_url_reported() {
    let (_site, base) = serve().await;
    let page = local().build().unwrap().fetch(&format!("{base}/hop1")).await.unwrap();
    assert_eq!(page.final_url.as_str(), format!("{base}/article"));
    assert_eq!(page.status, 200);
    let short = local().max_redirects(1).build().unwrap();
    assert!(short.fetch(&format!("{base}/hop1")).await.is_err());
}

#[tokio::test]
async fn a_404_is_an_error_naming_the_url() {
    let (_site, base) = serve().await;
    let e = local().build().unwrap().fetch(&format!("{base}/missing")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::HttpStatus { status: 404, .. }));
    assert!(e.to_string().contains("/missing"));
}

#[tokio::test]
async fn a_500_is_retried_until_it_succeeds() {
    let (site, base) = serve().await;
    let page = local().build().unwrap().fetch(&format!("{base}/flaky")).await.unwrap();
    assert_eq!(page.status, 200);
    assert_eq!(site.times("/flaky").len(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (site, base) = serve().await;
    let page = local().build().unwrap().fetch(&format!("{base}/busy")).await.unwrap();
    assert_eq!(page.status, 200);
    let t = site.times("/busy");
    assert_eq!(t.len(), 2);
    assert!(t[1] - t[0] >= Duration::from_millis(950), "{:?}", t[1] - t[0]);
}

#[tokio::test]
async fn a_slow_page_times_out() {
    let (_site, base) = serve().await;
    let e = local().retries(0).build().unwrap().fetch(&format!("{base}/slow")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Timeout { .. }), "{e}");
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused() {
    let (_site, base) = serve().await;
    let e = local().max_bytes(1024 * 1024).build().unwrap().fetch(&format!("{base}/big")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::TooLarge { limit: 1_048_576, .. }), "{e}");
}

#[tokio::test]
async fn robots_txt_is_obeyed_and_the_page_never_requested() {
    let (site, base) = serve().await;
    let f = local().build().unwrap();
    let e = f.fetch(&format!("{base}/private/secret.html")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::RobotsDisallowed { .. }));
    f.fetch(&format!("{base}/article")).await.unwrap();
    let requests = site.requests();
    assert_eq!(requests.iter().filter(|p| *p == "/robots.txt").count(), 1, "{requests:?}");
    assert!(!requests.iter().any(|p| p.starts_with("/private")), "{requests:?}");
}

#[tokio::test]
async fn requests_to_one_host_keep_the_politeness_delay() {
    let (site, base) = serve().await;
    let f = Arc::new(local().politeness_delay(Duration::from_millis(300)).build().unwrap());
    let urls = ["/article", "/gbk", "/article"];
    let tasks: Vec<_> = urls
        .iter()
        .map(|u| {
            let (f, url) = (f.clone(), format!("{base}{u}"));
            tokio::spawn(async move { f.fetch(&url).await.map(|_| ()) })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let mut times: Vec<Instant> = site.log.lock().unwrap().iter().map(|(_, t)| *t).collect();
    times.sort();
    assert_eq!(times.len(), 4); // robots.txt and three pages
    for w in times.windows(2) {
        assert!(w[1] - w[0] >= Duration::from_millis(290), "{:?}", w[1] - w[0]);
    }
}

#[tokio::test]
async fn loopback_is_refused_by_default_and_nothing_is_sent() {
    let (site, base) = serve().await;
    let guarded = Fetcher::builder().build().unwrap();
    let e = guarded.fetch(&format!("{base}/article")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::BlockedAddress { .. }), "{e}");
    let port = base.rsplit(':').next().unwrap();
    let e = guarded.fetch(&format!("http://localhost:{port}/article")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::BlockedAddress { .. }), "{e}");
    assert!(site.requests().is_empty(), "{:?}", site.requests());
}

#[tokio::test]
async fn only_http_and_https_are_fetched() {
    let f = Fetcher::builder().build().unwrap();
    for url in ["file:///etc/passwd", "ftp://example.cn/a", "not a url"] {
        let e = f.fetch(url).await.unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::BadUrl { .. }), "{url}: {e}");
    }
}
