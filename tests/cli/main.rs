//! The example programs run as a user runs them: `--help`, a wrong flag,
//! `-` for standard input and output, a folder in and out, an address on a
//! loopback server, `crawl --out -`, `--stats`, and the exit codes.
#![cfg(feature = "crawl")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

#[path = "../support/mod.rs"]
mod support;
use support::server::{Reply, Server};

/// `target/<profile>/examples/NAME`, which `cargo test` builds beside the tests.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap().join("examples");
    let bin = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing: `cargo test` builds the examples", bin.display());
    bin
}

fn run(name: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(example(name))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = child.stdin.take().unwrap();
    let bytes = stdin.map(<[u8]>::to_vec);
    // Written from a thread: a large input must not wait on a full stdout pipe.
    let writer = std::thread::spawn(move || {
        let mut input = input;
        if let Some(b) = bytes {
            let _ = input.write_all(&b);
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("report-scraper-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The options README.md's commands give the program (`--example NAME -- …`,
/// continuation lines included): the documentation must not name one the
/// program lacks.
fn options_in_readme(name: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let re = regex::Regex::new(r"(?:^|\s)(--[a-z][a-z-]+)").unwrap();
    let mut options = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some((_, args)) = line.split_once(&format!("--example {name} -- ")) else { continue };
        let mut command = args.to_string();
        while command.trim_end().ends_with('\\') {
            command.push_str(lines.next().unwrap_or_default());
        }
        options.extend(re.captures_iter(&command).map(|c| c[1].to_string()));
    }
    options
}

#[test]
fn help_lists_the_options_the_readme_uses() {
    let always = ["--out", "--format", "--proxy", "--header", "--allow", "--user-agent", "--verbose", "--quiet"];
    for (name, own) in
        [("extract", &["--text", "--url", "--explain", "--jobs"][..]), ("crawl", &["--serve", "--stats"])]
    {
        let out = run(name, &["--help"], None);
        assert!(out.status.success(), "{name} --help failed");
        let help = stdout(&out);
        let documented = options_in_readme(name);
        assert!(!documented.is_empty(), "README gives no {name} command");
        for option in always.iter().chain(own).map(|o| o.to_string()).chain(documented) {
            // The whole option, not the start of a longer one (--out in --out-dir).
            let named = regex::Regex::new(&format!("{option}([^a-z-]|$)")).unwrap();
            assert!(named.is_match(&help), "{name} --help does not mention {option}:\n{help}");
        }
    }
}

#[test]
fn an_unknown_flag_is_refused_with_the_usage() {
    for name in ["extract", "crawl"] {
        let out = run(name, &["--frobnicate", "x"], None);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(err.contains("--frobnicate") && err.to_lowercase().contains("usage:"), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name} wrote to stdout");
    }
}

#[test]
fn extract_reads_stdin_and_writes_each_format() {
    let page = std::fs::read(fixture("table-in-article/page.html")).unwrap();
    let json: Value = serde_json::from_str(&stdout(&run("extract", &["-"], Some(&page)))).unwrap();
    assert_eq!(json["title"], "2024年各县区会员发展情况");
    // Without --explain the removals are a count; with it, every one with its rule.
    assert!(json["removed"].is_u64(), "{json}");
    let explained: Value = serde_json::from_str(&stdout(&run("extract", &["--explain", "-"], Some(&page)))).unwrap();
    let removed = explained["removed"].as_array().expect("a list with --explain");
    assert_eq!(removed.len() as u64, json["removed"].as_u64().unwrap());
    assert!(removed.iter().all(|r| r["rule"].is_string()));

    let md = stdout(&run("extract", &["--format", "markdown", "-"], Some(&page)));
    assert!(md.starts_with("---\ntitle: \"2024年各县区会员发展情况\"\n"), "{md}");
    assert!(md.contains("| 县区 | 会员数 | 增长率 |\n| --- | --- | --- |\n"), "{md}");
    let header = stdout(&run("extract", &["-f", "markdown", "--meta", "header", "-"], Some(&page)));
    assert!(header.starts_with("# 2024年各县区会员发展情况\n"), "{header}");
    let text = stdout(&run("extract", &["-f", "text", "-"], Some(&page)));
    assert!(text.starts_with("2024年各县区会员发展情况\n") && !text.contains("| --- |"), "{text}");

    // --details: the article's links and images, absolute against --url, and its language.
    let captions = std::fs::read(fixture("captions-and-quotes/page.html")).unwrap();
    let args = ["--details", "--url", "http://www.example.gov.cn/xwzx/a.html", "-"];
    let detailed: Value = serde_json::from_str(&stdout(&run("extract", &args, Some(&captions)))).unwrap();
    assert_eq!(detailed["images"][0]["src"], "http://www.example.gov.cn/uploads/2024/01/visit-1.jpg");
    assert_eq!(detailed["links"][0]["url"], "http://www.example.gov.cn/tzgg/202401/t20240110_2.html");
    assert_eq!(detailed["lang"], "zh-CN");

    // Text mode from stdin, written to `-o -`.
    let seed = "会议召开\n发布时间:2025-02-20 来源:省计生协\n会议在广州召开,部署任务。\n扫一扫在手机打开当前页";
    let out = run("extract", &["--text", "-f", "jsonl", "-o", "-", "-"], Some(seed.as_bytes()));
    let row: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    // Two removals: the byline (read into metadata) and the QR prompt.
    assert_eq!((row["title"].as_str(), row["removed"].as_u64()), (Some("会议召开"), Some(2)));
}

#[test]
fn extract_takes_a_folder_and_writes_one_output_each() {
    let dir = temp_dir("folder");
    let (pages, outs) = (dir.join("pages"), dir.join("out"));
    std::fs::create_dir_all(pages.join("sub")).unwrap();
    std::fs::copy(fixture("table-in-article/page.html"), pages.join("a.html")).unwrap();
    std::fs::copy(fixture("captions-and-quotes/page.html"), pages.join("sub/b.html")).unwrap();
    std::fs::write(pages.join("empty.html"), "").unwrap();
    std::fs::write(pages.join("notes.csv"), "not a page").unwrap();
    let out = run("extract", &["-f", "markdown", "--out-dir", outs.to_str().unwrap(), pages.to_str().unwrap()], None);
    // One input failed, the others gave an output: success, the failure on stderr.
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("empty.html"), "{}", stderr(&out));
    let mut written: Vec<String> =
        std::fs::read_dir(&outs).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    written.sort();
    assert_eq!(written, ["a.md", "sub__b.md"]);
    let b = std::fs::read_to_string(outs.join("sub__b.md")).unwrap();
    assert!(b.contains("> “有你们常来看看"), "{b}");

    // Several inputs to one stream, in input order whatever thread finished first.
    let a = pages.join("a.html");
    let b = pages.join("sub/b.html");
    let args = ["-f", "jsonl", "-j", "2", a.to_str().unwrap(), b.to_str().unwrap(), a.to_str().unwrap()];
    let lines: Vec<Value> =
        stdout(&run("extract", &args, None)).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let titles: Vec<&str> = lines.iter().map(|l| l["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["2024年各县区会员发展情况", "市计生协开展“暖心家庭”走访慰问活动", "2024年各县区会员发展情况"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn extract_exits_non_zero_only_when_every_input_failed() {
    let out = run("extract", &["-"], Some(b""));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("empty"), "{}", stderr(&out));
    let out = run("extract", &["/nonexistent/page.html"], None);
    assert_eq!(out.status.code(), Some(1));
    let png = fixture("error-png/page.html");
    let ok = fixture("table-in-article/page.html");
    let out = run("extract", &[png.to_str().unwrap(), ok.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "one of two inputs gave an output");
}

/// A loopback server with one article.
async fn serve() -> Server {
    support::server::serve(|req| match req.path.as_str() {
        "/robots.txt" => Reply::text("User-agent: *\nDisallow: /private/\n"),
        "/news/t20240118_1.html" => Reply::html(std::fs::read(fixture("captions-and-quotes/page.html")).unwrap()),
        _ => Reply::status(404),
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extract_fetches_an_address_politely() {
    let site = serve().await;
    let base = site.base.clone();
    let url = format!("{base}/news/t20240118_1.html");
    let out =
        tokio::task::spawn_blocking(move || run("extract", &["--allow", "127.0.0.1/32", "-f", "jsonl", &url], None))
            .await
            .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let row: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(row["title"], "市计生协开展“暖心家庭”走访慰问活动");
    assert_eq!(site.targets().first().map(String::as_str), Some("/robots.txt"), "robots.txt first");

    // robots.txt forbids this one: nothing fetched, exit 1.
    let private = format!("{base}/private/a.html");
    let out = tokio::task::spawn_blocking(move || run("extract", &["--allow", "127.0.0.1/32", &private], None))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.targets().iter().any(|p| p.starts_with("/private")), "a refused page was fetched");

    // Without --allow the guard refuses loopback before any request.
    let before = site.hits().len();
    let url = format!("{base}/news/t20240118_1.html");
    let out = tokio::task::spawn_blocking(move || run("extract", &[&url], None)).await.unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(site.hits().len(), before, "the guard let a request through");
}

/// The crawl example's arguments for the demo site it ships, served on
/// `port` (0: a free one, so each run is another crawl) with no delay,
/// then `rest`.
fn demo_crawl<'a>(port: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/site");
    ["--serve", SITE, "--port", port, "--delay", "0"].into_iter().chain(rest.iter().copied()).collect()
}

#[test]
fn crawl_streams_jsonl_to_stdout_and_writes_its_stats() {
    let dir = temp_dir("crawl-stdout");
    let (state, stats) = (dir.join("s.db"), dir.join("stats.json"));
    let args =
        demo_crawl("0", &["-q", "--out", "-", "--state", state.to_str().unwrap(), "--stats", stats.to_str().unwrap()]);
    let out = run("crawl", &args, None);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(rows.len() >= 5 && rows.iter().all(|r| r["title"].is_string()), "{} rows", rows.len());
    assert!(!Path::new("-").exists(), "a file named - was written");
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(&stats).unwrap()).unwrap();
    assert_eq!(summary["articles"].as_u64(), Some(rows.len() as u64));
    assert!(summary["elapsed_secs"].is_f64());

    // /dev/stdout is a stream too: it is written, not read back (which would wait forever).
    let args2: Vec<&str> = args.iter().map(|a| if *a == "-" { "/dev/stdout" } else { a }).collect();
    let fresh = dir.join("s2.db");
    let args2: Vec<&str> =
        args2.iter().map(|a| if *a == state.to_str().unwrap() { fresh.to_str().unwrap() } else { a }).collect();
    let out = run("crawl", &args2, None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), rows.len());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_crawl_stopped_by_the_page_limit_says_so_on_its_last_line_and_in_its_stats() {
    let dir = temp_dir("crawl-limit");
    let (state, out, stats) = (dir.join("s.db"), dir.join("o.jsonl"), dir.join("stats.json"));
    let args = demo_crawl(
        "0",
        &[
            "--max-pages",
            "3",
            "--state",
            state.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--stats",
            stats.to_str().unwrap(),
        ],
    );
    let done = run("crawl", &args, None);
    assert!(done.status.success(), "{}", stderr(&done));
    let err = stderr(&done);
    let last = err.lines().last().unwrap_or_default();
    assert!(last.starts_with("stopped at the page limit (--max-pages 3"), "{last}");
    assert!(last.contains("run again to continue"), "{last}");
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(&stats).unwrap()).unwrap();
    assert_eq!(summary["limit_reached"], true, "{summary}");
    assert_eq!(summary["fetched"].as_u64(), Some(3));
    assert!(summary["queued"].as_u64().unwrap() + summary["cut"].as_u64().unwrap() > 0, "{summary}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_state_of_another_crawl_is_refused_before_anything_is_touched() {
    let dir = temp_dir("crawl-refused");
    let (state, out) = (dir.join("s.db"), dir.join("o.jsonl"));
    // Port 0: each run serves the site on another port, so each is another crawl.
    let args = demo_crawl("0", &["-q", "--state", state.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(run("crawl", &args, None).status.success());
    let before = report_scraper::crawl::CrawlState::open(&state).unwrap().counts().unwrap();
    assert!(before.articles >= 5 && before.queued == 0, "{before:?}");
    // The output is lost: reconciling it would queue every article again, but the state is refused first.
    std::fs::remove_file(&out).unwrap();
    let refused = run("crawl", &args, None);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("another crawl"), "{}", stderr(&refused));
    let after = report_scraper::crawl::CrawlState::open(&state).unwrap().counts().unwrap();
    assert_eq!(after, before, "the refused run changed the state");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn crawl_exits_non_zero_when_every_page_failed() {
    let dir = temp_dir("crawl-fail");
    let (state, out) = (dir.join("s.db"), dir.join("o.jsonl"));
    // Seeds from stdin, the summary to stdout. Nothing listens on port 9 of
    // 127.0.0.1: every request fails at once.
    let args = [
        "--allow",
        "127.0.0.1/32",
        "--retries",
        "0",
        "--timeout",
        "2",
        "-q",
        "--state",
        state.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--seeds",
        "-",
        "--stats",
        "-",
    ];
    let done = run("crawl", &args, Some(b"# one seed\nhttp://127.0.0.1:9/\n"));
    assert_eq!(done.status.code(), Some(1), "{}", stderr(&done));
    let summary: Value = serde_json::from_str(&stdout(&done)).unwrap();
    assert_eq!((summary["articles"].as_u64(), summary["errors"]["network"].as_u64()), (Some(0), Some(1)), "{summary}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--proxy-from-env` takes the proxy from `HTTP_PROXY`; without it the
/// environment is ignored. The proxy is a loopback server that answers
/// what it is asked for; nothing listens at the page's own address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extract_uses_the_environment_proxy_only_when_asked() {
    // It answers whatever it is asked for, and logs the whole address it was asked.
    let proxy = support::server::serve(|req| match req.path.as_str() {
        "/robots.txt" => Reply::text("User-agent: *\nAllow: /\n"),
        _ => Reply::html(std::fs::read(fixture("captions-and-quotes/page.html")).unwrap()),
    })
    .await;
    let proxy_url = proxy.base.clone();
    let fetch = move |from_env: bool| {
        let proxy_url = proxy_url.clone();
        tokio::task::spawn_blocking(move || {
            let mut cmd = Command::new(example("extract"));
            cmd.args(["--allow", "127.0.0.1/32", "-f", "jsonl", "-q"]);
            if from_env {
                cmd.arg("--proxy-from-env");
            }
            cmd.arg("http://127.0.0.1:1/news/t20240118_1.html")
                .env("HTTP_PROXY", &proxy_url)
                .env_remove("NO_PROXY")
                .env_remove("no_proxy")
                .env_remove("http_proxy")
                .output()
                .unwrap()
        })
    };
    let ignored = fetch(false).await.unwrap();
    assert_eq!(ignored.status.code(), Some(1), "the environment's proxy was used unasked");
    assert!(proxy.hits().is_empty());
    let used = fetch(true).await.unwrap();
    assert!(used.status.success(), "{}", stderr(&used));
    assert!(stdout(&used).contains("暖心家庭"));
    let asked = proxy.hits().last().map(|h| h.uri.clone());
    assert_eq!(asked.as_deref(), Some("http://127.0.0.1:1/news/t20240118_1.html"));
}

#[test]
fn crawl_writes_one_markdown_file_per_article_into_a_folder() {
    let dir = temp_dir("crawl-markdown");
    let (state, out) = (dir.join("s.db"), dir.join("md"));
    let args = demo_crawl(
        "0",
        &["-q", "-f", "markdown", "--out-dir", out.to_str().unwrap(), "--state", state.to_str().unwrap()],
    );
    let first = run("crawl", &args, None);
    assert!(first.status.success(), "{}", stderr(&first));
    let names = |d: &Path| {
        let mut n: Vec<String> =
            std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        n.sort();
        n
    };
    let written: Vec<String> = names(&out).into_iter().filter(|n| !n.starts_with('.')).collect();
    assert!(written.len() >= 5 && written.iter().all(|n| n.ends_with(".md")), "{written:?}");
    let one = std::fs::read_to_string(out.join(&written[0])).unwrap();
    assert!(one.starts_with("---\ntitle: ") && one.contains("\nurl: \"http://127.0.0.1:"), "{one}");
    // The folder lost behind the state's back: the next run (same site, same port) writes it again.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port().to_string()
    };
    let mut again: Vec<&str> = args.to_vec();
    again[3] = port.as_str();
    let state2 = dir.join("s2.db");
    let again: Vec<&str> =
        again.iter().map(|a| if *a == state.to_str().unwrap() { state2.to_str().unwrap() } else { a }).collect();
    assert!(run("crawl", &again, None).status.success());
    let whole: Vec<String> = names(&out);
    std::fs::remove_dir_all(&out).unwrap();
    let rerun = run("crawl", &again, None);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    assert_eq!(names(&out), whole, "every article file written again");
    // Run once more: nothing is missing, nothing is written twice (no file is new, none lost).
    assert!(run("crawl", &again, None).status.success());
    assert_eq!(names(&out), whole);
    // Without --out-dir a per-article format is refused with the usage.
    let refused = run("crawl", &["-f", "markdown", "http://127.0.0.1:9/"], None);
    assert_eq!(refused.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_crawl_of_the_served_site_is_answered_not_modified() {
    let dir = temp_dir("crawl-304");
    let (state, out, stats) = (dir.join("s.db"), dir.join("o.jsonl"), dir.join("stats.json"));
    // The same port both times: the same site, so the same crawl.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let args = demo_crawl(
        &port,
        &["-q", "--state", state.to_str().unwrap(), "--out", out.to_str().unwrap(), "--stats", stats.to_str().unwrap()],
    );
    let summary = |out: &Output| -> Value {
        assert!(out.status.success(), "{}", stderr(out));
        serde_json::from_str(&std::fs::read_to_string(&stats).unwrap()).unwrap()
    };
    let first = summary(&run("crawl", &args, None));
    assert!(first["articles"].as_u64().unwrap() >= 5, "{first}");
    let second = summary(&run("crawl", &args, None));
    assert_eq!(second["articles"], 0, "{second}");
    assert!(second["unchanged"].as_u64().unwrap() >= 5, "list pages answered 304: {second}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A WARC record of a page, as WARC 1.1 writes it.
fn warc_record(url: &str, kind: &str, http: &[u8]) -> Vec<u8> {
    let head = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2026-12-07T00:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{url}>\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        http.len()
    );
    [head.as_bytes(), http, b"\r\n\r\n"].concat()
}

#[test]
fn warc_extracts_an_archive_in_order_and_counts_what_it_skipped() {
    let page = std::fs::read(fixture("cms-trs-editor/page.html")).unwrap();
    let ok = [b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".as_slice(), &page].concat();
    let mut gz = Vec::new();
    for (i, (kind, http)) in [
        ("response", ok.clone()),
        ("request", b"GET / HTTP/1.1\r\nHost: a.cn\r\n\r\n".to_vec()),
        ("response", b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG".to_vec()),
        ("response", ok),
    ]
    .into_iter()
    .enumerate()
    {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&warc_record(&format!("http://a.cn/{i}.html"), kind, &http)).unwrap();
        gz.extend(enc.finish().unwrap());
    }
    gz.extend_from_slice(&[0x1f, 0x8b, 0x08, 0, 1, 2, 3]); // a member cut short
    let dir = temp_dir("warc");
    let path = dir.join("pages.warc.gz");
    std::fs::write(&path, &gz).unwrap();
    let out = run("warc", &["--jobs", "2", path.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let uris: Vec<&str> = lines.iter().map(|l| l["target_uri"].as_str().unwrap()).collect();
    assert_eq!(uris, ["http://a.cn/0.html", "http://a.cn/3.html"], "the HTML responses, in order");
    assert!(lines.iter().all(|l| l["title"].is_string() && l["record_id"].is_string() && l["text"].is_string()));
    let summary = stderr(&out);
    assert!(
        summary.contains("5 records") && summary.contains("2 articles") && summary.contains("bad-warc 1"),
        "{summary}"
    );
    // Nothing to extract: exit 1, said on standard error.
    std::fs::write(&path, b"").unwrap();
    let out = run("warc", &[path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

/// The README's offline pair: the demo site crawled with `--warc`, then the
/// archive extracted by `warc` with no server running: the same articles.
#[test]
fn a_crawls_warc_extracts_offline_to_the_articles_the_crawl_wrote() {
    let dir = temp_dir("crawl-warc");
    let (state, out, archive) = (dir.join("demo.db"), dir.join("articles.jsonl"), dir.join("archive"));
    let args = demo_crawl("0", &["-q", "--state", state.to_str().unwrap(), "--out", out.to_str().unwrap(), "--warc"]);
    let args: Vec<&str> = args.into_iter().chain([archive.to_str().unwrap()]).collect();
    let crawled = run("crawl", &args, None);
    assert!(crawled.status.success(), "{}", stderr(&crawled));
    let files: Vec<String> = std::fs::read_dir(&archive)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".warc.gz"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(Path::new(&files[0].replace(".warc.gz", ".cdxj")).exists(), "an index beside the file");
    let again = run("warc", &files.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(again.status.success(), "{}", stderr(&again));
    let key =
        |v: &Value, url: &str| (v[url].as_str().unwrap().to_string(), v["title"].to_string(), v["text"].to_string());
    let mut a: Vec<_> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| key(&serde_json::from_str(l).unwrap(), "final_url"))
        .collect();
    let mut b: Vec<_> = stdout(&again).lines().map(|l| key(&serde_json::from_str(l).unwrap(), "target_uri")).collect();
    a.sort();
    b.sort();
    assert!(a.len() >= 5, "{} articles", a.len());
    assert_eq!(a, b, "the archive gives the articles the crawl wrote");
    let _ = std::fs::remove_dir_all(&dir);
}
