//! The fetcher against a server these tests start on 127.0.0.1: no packet
//! leaves the machine. The server records every request it receives (path
//! and time), so tests can assert what was *not* fetched and how far apart
//! requests were.
#![cfg(feature = "fetch")]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use report_scraper::{ErrorKind, fetch::FetchConfig, fetch::FetchConfigBuilder, fetch::Fetcher};

#[path = "../support/mod.rs"]
mod support;
use support::server::{Reply, Req, Server};

/// The test site and, set once another server is up, where its
/// `/to-other-port` redirects.
struct Site {
    server: Server,
    other: Arc<Mutex<String>>,
}

impl Site {
    fn requests(&self) -> Vec<String> {
        self.server.targets()
    }

    fn times(&self, path: &str) -> Vec<Instant> {
        self.server.times(path)
    }
}

const ARTICLE: &str = "<html><head><title>市计生协召开工作会议_某市计生协</title></head><body>\
    <h1>市计生协召开工作会议</h1><div class=info>发布时间:2024-03-05 09:30 来源:市计生协</div>\
    <div class=content><p>3月5日,市计生协召开全市工作会议,总结去年工作,部署今年重点任务。</p>\
    <p>会议要求,各级计生协要聚焦生育支持和家庭健康服务,推动工作提质增效。</p></div></body></html>";

fn answer(req: &Req, other: &Mutex<String>) -> Reply {
    let first = req.nth == 1;
    match req.path.as_str() {
        "/robots.txt" => Reply::text("User-agent: *\nDisallow: /private/\n"),
        "/article" => Reply::html(ARTICLE),
        "/gbk" => Reply::typed("text/html", encoding_rs::GBK.encode(ARTICLE).0.into_owned()),
        "/hop1" => Reply::redirect("/hop2").with_status(302),
        "/hop2" => Reply::redirect("/article"),
        // The first request fails, the retry succeeds.
        "/flaky" if first => Reply::status(500),
        "/busy" if first => Reply::status(429).header("retry-after", "1"),
        "/busy-until" if first => {
            let at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2);
            let date = jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&at).unwrap();
            Reply::status(503).header("retry-after", date)
        }
        "/flaky" | "/busy" | "/busy-until" => Reply::html(ARTICLE),
        "/slow" => Reply::html(ARTICLE).delayed(Duration::from_secs(3)),
        "/big" => Reply::typed("text/html", vec![b'a'; 2 * 1024 * 1024]),
        "/to-other-port" => Reply::redirect(&format!("{}/landing", other.lock().unwrap())).with_status(302),
        "/needs-key" if req.header("x-api-key") == Some("k-123") => Reply::html(ARTICLE),
        "/needs-key" => Reply::status(403),
        "/login" => Reply::text("welcome").header("set-cookie", "session=s-42; Path=/"),
        "/members" if req.header("cookie").is_some_and(|c| c.contains("session=s-42")) => Reply::html(ARTICLE),
        "/members" => Reply::status(403),
        "/to-refused-address" => Reply::redirect("http://127.0.0.2:9/x").with_status(302),
        _ => Reply::status(404),
    }
}

/// Starts the site on an ephemeral loopback port.
async fn serve() -> (Site, String) {
    let other = Arc::new(Mutex::new(String::new()));
    let to = other.clone();
    let server = support::server::serve(move |req| answer(req, &to)).await;
    let base = server.base.clone();
    (Site { server, other }, base)
}

fn local() -> FetchConfigBuilder {
    FetchConfig::builder()
        .allow_range("127.0.0.1/32".parse().unwrap())
        .politeness_delay(Duration::ZERO)
        .backoff(Duration::from_millis(50))
        .timeout(Duration::from_secs(1))
}

#[tokio::test]
async fn fetches_and_extracts_an_article() {
    let (_site, base) = serve().await;
    let f = Fetcher::new(local().build()).unwrap();
    let a = f.fetch_article(&format!("{base}/article")).await.unwrap();
    assert_eq!(a.title.as_deref(), Some("市计生协召开工作会议"));
    assert_eq!(a.published.unwrap().value.to_string(), "2024-03-05T09:30:00+08:00");
}

#[tokio::test]
async fn gbk_without_a_charset_is_decoded() {
    let (_site, base) = serve().await;
    let a = Fetcher::new(local().build()).unwrap().fetch_article(&format!("{base}/gbk")).await.unwrap();
    assert!(a.text().contains("市计生协召开全市工作会议"), "{}", a.text());
}

#[tokio::test]
async fn redirects_are_followed_and_the_final_url_reported() {
    let (_site, base) = serve().await;
    let page = Fetcher::new(local().build()).unwrap().fetch(&format!("{base}/hop1")).await.unwrap();
    assert_eq!(page.final_url.as_str(), format!("{base}/article"));
    assert_eq!(page.status, 200);
    let short = Fetcher::new(local().max_redirects(1).build()).unwrap();
    assert!(short.fetch(&format!("{base}/hop1")).await.is_err());
}

#[tokio::test]
async fn a_404_is_an_error_naming_the_url() {
    let (_site, base) = serve().await;
    let e = Fetcher::new(local().build()).unwrap().fetch(&format!("{base}/missing")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::HttpStatus { status: 404, .. }));
    assert!(e.to_string().contains("/missing"));
}

#[tokio::test]
async fn a_500_is_retried_until_it_succeeds() {
    let (site, base) = serve().await;
    let page = Fetcher::new(local().build()).unwrap().fetch(&format!("{base}/flaky")).await.unwrap();
    assert_eq!(page.status, 200);
    assert_eq!(site.times("/flaky").len(), 2);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let (site, base) = serve().await;
    let page = Fetcher::new(local().build()).unwrap().fetch(&format!("{base}/busy")).await.unwrap();
    assert_eq!(page.status, 200);
    let t = site.times("/busy");
    assert_eq!(t.len(), 2);
    assert!(t[1] - t[0] >= Duration::from_millis(950), "{:?}", t[1] - t[0]);
}

#[tokio::test]
async fn a_slow_page_times_out() {
    let (_site, base) = serve().await;
    let e = Fetcher::new(local().retries(0).build()).unwrap().fetch(&format!("{base}/slow")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Timeout { .. }), "{e}");
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused() {
    let (_site, base) = serve().await;
    let e =
        Fetcher::new(local().max_bytes(1024 * 1024).build()).unwrap().fetch(&format!("{base}/big")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::TooLarge { limit: 1_048_576, .. }), "{e}");
}

#[tokio::test]
async fn robots_txt_is_obeyed_and_the_page_never_requested() {
    let (site, base) = serve().await;
    let f = Fetcher::new(local().build()).unwrap();
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
    let f = Arc::new(Fetcher::new(local().politeness_delay(Duration::from_millis(300)).build()).unwrap());
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
    let mut times: Vec<Instant> = site.server.hits().iter().map(|h| h.at).collect();
    times.sort();
    assert_eq!(times.len(), 4); // robots.txt and three pages
    for w in times.windows(2) {
        assert!(w[1] - w[0] >= Duration::from_millis(290), "{:?}", w[1] - w[0]);
    }
}

#[tokio::test]
async fn loopback_is_refused_by_default_and_nothing_is_sent() {
    let (site, base) = serve().await;
    let guarded = Fetcher::new(FetchConfig::default()).unwrap();
    let e = guarded.fetch(&format!("{base}/article")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::BlockedAddress { .. }), "{e}");
    let port = base.rsplit(':').next().unwrap();
    let e = guarded.fetch(&format!("http://localhost:{port}/article")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::BlockedAddress { .. }), "{e}");
    assert!(site.requests().is_empty(), "{:?}", site.requests());
}

#[tokio::test]
async fn only_http_and_https_are_fetched() {
    let f = Fetcher::new(FetchConfig::default()).unwrap();
    for url in ["file:///etc/passwd", "ftp://example.cn/a", "not a url"] {
        let e = f.fetch(url).await.unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::BadUrl { .. }), "{url}: {e}");
    }
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let (site, base) = serve().await;
    let f = Fetcher::new(local().address_budget(Duration::from_secs(10)).build()).unwrap();
    let page = f.fetch(&format!("{base}/busy-until")).await.unwrap();
    assert_eq!(page.status, 200);
    let t = site.times("/busy-until");
    assert_eq!(t.len(), 2);
    // An HTTP date has whole seconds: the wait is at least the one second left of them.
    assert!(t[1] - t[0] >= Duration::from_millis(900), "{:?}", t[1] - t[0]);
}

#[tokio::test]
async fn one_address_costs_its_budget_not_retries_times_the_timeout() {
    let (site, base) = serve().await;
    // Without a budget: (5 + 1) × 1 s. With 1.5 s: the first attempt and one more at most.
    let config = local().retries(5).backoff(Duration::from_millis(10)).address_budget(Duration::from_millis(1500));
    let e = Fetcher::new(config.build()).unwrap().fetch(&format!("{base}/slow")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Timeout { .. }), "{e}");
    let tries = site.times("/slow").len();
    assert!((1..=2).contains(&tries), "{tries} requests within a budget of 1.5 s");
}

#[tokio::test]
async fn a_host_that_refuses_connections_is_a_network_error_not_a_robots_refusal() {
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let f = Fetcher::new(local().retries(0).build()).unwrap();
    let e = f.fetch(&format!("http://127.0.0.1:{port}/page.html")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Network { .. }), "{e}");
    assert!(std::error::Error::source(&e).is_some(), "the cause is kept");
}

#[tokio::test]
async fn a_robots_txt_over_the_body_cap_is_read_from_its_start() {
    let big_robots = format!("User-agent: *\nDisallow: /private/\n{}", "# padding\n".repeat(300_000));
    let server = support::server::serve(move |req| match req.path.as_str() {
        "/robots.txt" => Reply::text(big_robots.clone()),
        "/private/x" => Reply::text("secret"),
        "/open" => Reply::html(ARTICLE),
        _ => Reply::status(404),
    })
    .await;
    let base = server.base;
    // The fetcher's own cap (1 MB) is under robots.txt's 3 MB: the first 512 KiB are read, not refused.
    let f = Fetcher::new(local().max_bytes(1024 * 1024).build()).unwrap();
    assert!(f.fetch(&format!("{base}/open")).await.is_ok());
    let e = f.fetch(&format!("{base}/private/x")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::RobotsDisallowed { .. }), "{e}");
}

#[tokio::test]
async fn a_redirect_out_of_scope_is_reported_not_followed() {
    let (site, base) = serve().await;
    let (other_site, other) = serve().await;
    *site.other.lock().unwrap() = other.clone();
    let f = Fetcher::new(local().build()).unwrap();
    let in_scope = |u: &url::Url| u.as_str().starts_with(&base);
    let url = format!("{base}/to-other-port");
    let e = f.get(&url).within(&in_scope).send().await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::RedirectOutOfScope { .. }), "{e}");
    assert!(other_site.requests().is_empty(), "{:?}", other_site.requests());
    // Without a scope the redirect is followed (the guard allows this loopback address).
    let page = f.fetch(&url).await.unwrap_err();
    assert!(matches!(page.kind(), ErrorKind::HttpStatus { status: 404, .. }), "{page}");
    assert_eq!(other_site.requests(), ["/robots.txt", "/landing"]);
}

#[tokio::test]
async fn a_redirect_to_an_address_outside_the_allowed_range_is_refused() {
    let (_site, base) = serve().await;
    let f = Fetcher::new(
        FetchConfig::builder()
            .allow_range("127.0.0.1/32".parse().unwrap())
            .politeness_delay(Duration::ZERO)
            .timeout(Duration::from_secs(1))
            .build(),
    )
    .unwrap();
    let e = f.fetch(&format!("{base}/to-refused-address")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::BlockedAddress { .. }), "{e}");
    assert!(f.fetch(&format!("{base}/article")).await.is_ok(), "the allowed address itself is fetched");
}

#[tokio::test]
async fn a_robots_txt_that_fails_once_is_asked_again_not_taken_for_a_refusal() {
    let server = support::server::serve(|req| match req.path.as_str() {
        "/robots.txt" if req.nth == 1 => Reply::status(503),
        "/robots.txt" => Reply::text("User-agent: *\nDisallow: /private/\n"),
        "/open" => Reply::html(ARTICLE),
        _ => Reply::status(404),
    })
    .await;
    let base = server.base.clone();
    let f = Fetcher::new(local().build()).unwrap();
    assert!(f.fetch(&format!("{base}/open")).await.is_ok(), "the 503 was retried");
    assert_eq!(server.times("/robots.txt").len(), 2);
    let e = f.fetch(&format!("{base}/private/x")).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::RobotsDisallowed { .. }), "{e}");
}

#[tokio::test]
async fn extra_headers_are_sent_with_every_request() {
    let (_site, base) = serve().await;
    let url = format!("{base}/needs-key");
    let without = Fetcher::new(local().build()).unwrap().fetch(&url).await.unwrap_err();
    assert!(matches!(without.kind(), ErrorKind::HttpStatus { status: 403, .. }), "{without}");
    let with = Fetcher::new(local().header("X-Api-Key", "k-123").build()).unwrap().fetch(&url).await.unwrap();
    assert_eq!(with.status, 200);
    let bad = Fetcher::new(local().header("bad header\n", "x").build()).unwrap_err();
    assert!(matches!(bad.kind(), ErrorKind::Invalid { what: "header name", .. }), "{bad}");
}

#[tokio::test]
async fn cookies_set_by_the_site_are_sent_back_when_kept() {
    let (_site, base) = serve().await;
    let (login, members) = (format!("{base}/login"), format!("{base}/members"));
    // Without a jar the session cookie is dropped and the members' page refuses.
    let plain = Fetcher::new(local().build()).unwrap();
    plain.fetch(&login).await.unwrap();
    assert!(plain.fetch(&members).await.is_err());
    let keeping = Fetcher::new(local().cookies(true).build()).unwrap();
    keeping.fetch(&login).await.unwrap();
    let page = keeping.fetch(&members).await.unwrap();
    assert_eq!(page.status, 200);
    // The jar belongs to the fetcher: another one starts empty.
    assert!(Fetcher::new(local().cookies(true).build()).unwrap().fetch(&members).await.is_err());
}

/// A forward proxy on loopback: it answers the absolute addresses it is
/// asked for itself, as a caching proxy would (its log keeps them).
async fn serve_proxy() -> Server {
    support::server::serve(|req| match req.path.as_str() {
        "/robots.txt" => Reply::text("User-agent: *\nAllow: /\n"),
        _ => Reply::html(ARTICLE),
    })
    .await
}

#[tokio::test]
async fn requests_go_through_the_proxy_when_one_is_set() {
    let proxy_server = serve_proxy().await;
    let proxy = proxy_server.base.clone();
    // Nothing listens on port 1: the page can only come through the proxy.
    let target = "http://127.0.0.1:1/news/a.html";
    let direct = Fetcher::new(local().retries(0).build()).unwrap().fetch(target).await;
    assert!(direct.is_err(), "port 1 answered directly");
    let f = Fetcher::new(local().proxy(Some(proxy.as_str())).build()).unwrap();
    let a = f.fetch_article(target).await.unwrap();
    assert_eq!(a.title.as_deref(), Some("市计生协召开工作会议"));
    let asked: Vec<String> = proxy_server.hits().into_iter().map(|h| h.uri).collect();
    assert_eq!(asked, ["http://127.0.0.1:1/robots.txt", "http://127.0.0.1:1/news/a.html"]);
    let bad = Fetcher::new(local().proxy(Some("::not a url::")).build()).unwrap_err();
    assert!(matches!(bad.kind(), ErrorKind::Invalid { what: "proxy", .. }), "{bad}");
}

/// Polled by an executor that is not Tokio's, a fetch says so instead of panicking.
#[test]
fn fetching_outside_a_tokio_runtime_is_an_error_not_a_panic() {
    use std::future::Future;
    use std::task::{Context, Poll, Waker};
    let f = Fetcher::new(FetchConfig::default()).unwrap();
    let mut fetch = std::pin::pin!(f.fetch("http://127.0.0.1:1/"));
    let mut cx = Context::from_waker(Waker::noop());
    match fetch.as_mut().poll(&mut cx) {
        Poll::Ready(Err(e)) => {
            assert_eq!(e.kind().code(), report_scraper::ErrorCode::NoRuntime);
            assert!(e.to_string().contains("Tokio runtime"), "{e}");
        }
        Poll::Ready(Ok(_)) => panic!("fetched without a runtime"),
        Poll::Pending => panic!("waited instead of saying there is no runtime"),
    }
    let mut article = std::pin::pin!(f.fetch_article("http://127.0.0.1:1/"));
    assert!(matches!(article.as_mut().poll(&mut cx), Poll::Ready(Err(_))));
}

/// With a subscriber listening, the fetcher says what it does: robots.txt,
/// each fetch, each retry.
#[tokio::test]
async fn fetching_is_logged_through_tracing() {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let (_site, base) = serve().await;
    Fetcher::new(local().build()).unwrap().fetch_article(&format!("{base}/flaky")).await.unwrap();
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    for what in ["robots.txt read", "fetching", "retrying", "fetched", "extracted"] {
        assert!(log.contains(what), "no {what:?} in the log:\n{log}");
    }
}
