//! Crawls sites politely and writes every article once, as JSON Lines.
//!
//! ```text
//! cargo run --release --example crawl -- [OPTIONS] SEED_URL...
//! cargo run --release --example crawl -- --serve examples/site      # the shipped site, offline
//! cargo run --release --example crawl -- --out - https://www.example.cn/ | jq .title
//! ```
//!
//! Run with `--help` for every option.
//!
//! Killing the crawl at any moment loses nothing: the state file holds the
//! frontier and the seen set, and on start the output file is read back so
//! that an article written just before the kill is not written again (and
//! one the state says was written but the file lacks is fetched again).
//! Running the same command after a crawl that finished reads the list
//! pages again, conditionally, and writes only the new articles.
//! Ctrl-C stops after the requests in flight; a second Ctrl-C quits at once.
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use report_scraper::{
    crawl::{CrawlEvent, CrawlState, Crawler, JsonlSink, Summary},
    fetch::Fetcher,
    model::MetaStyle,
};

#[path = "cli/mod.rs"]
mod cli;
use cli::{Format, Net, chain, header, init_logs};

struct Args {
    seeds: Vec<String>,
    sitemaps: Vec<String>,
    hosts: Vec<String>,
    max_depth: u32,
    max_pages: u64,
    out: PathBuf,
    state: PathBuf,
    delay_ms: u64,
    workers: usize,
    timeout_s: u64,
    retries: usize,
    max_mb: usize,
    user_agent: Option<String>,
    allow_private: bool,
    allow: Vec<String>,
    revisit_s: u64,
    max_attempts: u32,
    continue_anyway: bool,
    robots_sitemaps: bool,
    serve: Option<PathBuf>,
    port: u16,
    stats: Option<PathBuf>,
    format: Format,
    out_dir: Option<PathBuf>,
    verbosity: i8,
    net: Net,
    cookies: bool,
}

const HELP: &str = "\
crawl: every article of a site, once, as JSON Lines

usage: crawl [OPTIONS] SEED_URL...

options:
      --seeds FILE        more seed addresses, one a line (# comments); - reads stdin
      --sitemap URL       a sitemap or sitemap index to start from (repeatable)
      --host HOST         a host that may be crawled (repeatable; default: the seeds' hosts)
      --max-depth N       links followed from a seed (default 3; \"next page\" links are free)
      --max-pages N       addresses fetched by this invocation, failures too (default 1000);
                          a crawl stopped by it says so, and the next invocation goes on
  -o, --out FILE          JSON Lines output, appended to and reconciled with the state
                          (default articles.jsonl); - streams to standard output
  -f, --format FORMAT     jsonl (default, to --out), or json, markdown or text:
                          one file per article in --out-dir
      --out-dir DIR       where --format json|markdown|text writes, named after
                          each article's address (written again, never twice over)
      --state FILE        SQLite crawl state (default crawl.db); run again with it to resume
      --stats FILE        the run's summary as JSON (counts, errors by kind, seconds);
                          - writes it to standard output after the articles
      --delay MS          pause between requests to one host (default 1000)
      --workers N         pages in flight (default 4)
      --timeout S         per request (default 30)
      --retries N         retries of a timeout, 429 or 5xx (default 3)
      --max-mb N          body size cap in MB (default 20)
      --user-agent UA     the User-Agent, also matched in robots.txt
      --proxy URL         fetch through this proxy (http://, https://)
      --proxy-from-env    use HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY
      --header 'N: V'     send this header with every request (repeatable)
      --cookies           keep the cookies the site sets, for this run
      --allow-private     allow every loopback and private address (local test sites)
      --allow RANGE       allow one non-public range, e.g. 127.0.0.1/32 (repeatable)
      --revisit SECS      read list pages again only when older than this (default 0)
      --max-attempts N    tries of an address that fails with an error that can heal (default 3)
      --continue-anyway   take over a state file that records another crawl
      --no-robots-sitemaps  do not read the sitemaps robots.txt names
      --serve DIR         serve DIR on 127.0.0.1 and crawl it (allows 127.0.0.1)
      --port N            the port --serve listens on (default 8017; 0 picks a free one)
  -v, --verbose           log fetches, retries and robots.txt (more with -vv); RUST_LOG overrides
  -q, --quiet             no progress lines, only errors
  -h, --help              this help

exit codes: 0 when the run fetched something it could use (articles, lists,
unchanged lists) or had nothing left to do, 1 when every page failed or the
crawl could not start, 2 for a usage error, 130 after a second Ctrl-C.
";

const USAGE: &str = "usage: crawl [OPTIONS] SEED_URL...   (crawl --help for every option)";

fn parse_args() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let mut a = Args {
        seeds: Vec::new(),
        sitemaps: Vec::new(),
        hosts: Vec::new(),
        max_depth: 3,
        max_pages: 1000,
        out: "articles.jsonl".into(),
        state: "crawl.db".into(),
        delay_ms: 1000,
        workers: 4,
        timeout_s: 30,
        retries: 3,
        max_mb: 20,
        user_agent: None,
        allow_private: false,
        allow: Vec::new(),
        revisit_s: 0,
        max_attempts: 3,
        continue_anyway: false,
        robots_sitemaps: true,
        serve: None,
        port: 8017,
        stats: None,
        format: Format::Jsonl,
        out_dir: None,
        verbosity: 0,
        net: Net::default(),
        cookies: false,
    };
    let mut p = lexopt::Parser::from_env();
    while let Some(arg) = p.next()? {
        match arg {
            Long("seeds") => a.seeds.extend(read_seed_file(&p.value()?.string()?)?),
            Long("sitemap") => a.sitemaps.push(p.value()?.string()?),
            Long("host") => a.hosts.push(p.value()?.string()?),
            Long("max-depth") => a.max_depth = p.value()?.parse()?,
            Long("max-pages") => a.max_pages = p.value()?.parse()?,
            Short('o') | Long("out") => a.out = p.value()?.into(),
            Long("stats") => a.stats = Some(p.value()?.into()),
            Short('f') | Long("format") => a.format = Format::parse(&p.value()?.string()?)?,
            Long("out-dir") => a.out_dir = Some(p.value()?.into()),
            Short('v') | Long("verbose") => a.verbosity += 1,
            Short('q') | Long("quiet") => a.verbosity = -1,
            Long("state") => a.state = p.value()?.into(),
            Long("delay") => a.delay_ms = p.value()?.parse()?,
            Long("workers") => a.workers = p.value()?.parse()?,
            Long("timeout") => a.timeout_s = p.value()?.parse()?,
            Long("retries") => a.retries = p.value()?.parse()?,
            Long("max-mb") => a.max_mb = p.value()?.parse()?,
            Long("user-agent") => a.user_agent = Some(p.value()?.string()?),
            Long("proxy") => a.net.proxy = Some(p.value()?.string()?),
            Long("proxy-from-env") => a.net.proxy_from_env = true,
            Long("header") => a.net.headers.push(header(&p.value()?.string()?)?),
            Long("cookies") => a.cookies = true,
            Long("allow-private") => a.allow_private = true,
            Long("allow") => a.allow.push(p.value()?.string()?),
            Long("revisit") => a.revisit_s = p.value()?.parse()?,
            Long("max-attempts") => a.max_attempts = p.value()?.parse()?,
            Long("continue-anyway") => a.continue_anyway = true,
            Long("no-robots-sitemaps") => a.robots_sitemaps = false,
            Long("serve") => a.serve = Some(p.value()?.into()),
            Long("port") => a.port = p.value()?.parse()?,
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            Value(v) => a.seeds.push(v.string()?),
            _ => return Err(arg.unexpected()),
        }
    }
    if (a.format == Format::Jsonl) == a.out_dir.is_some() {
        let why = if a.out_dir.is_some() {
            "--out-dir needs --format json, markdown or text"
        } else {
            "--format json, markdown and text write one file per article: give --out-dir"
        };
        return Err(why.into());
    }
    if a.seeds.is_empty() && a.sitemaps.is_empty() && a.serve.is_none() {
        return Err("no seed address given".into());
    }
    Ok(a)
}

fn read_seed_file(path: &str) -> Result<Vec<String>, lexopt::Error> {
    let text = if path == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("standard input: {e}"))?
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?
    };
    Ok(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect())
}

#[tokio::main]
async fn main() {
    let mut args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("crawl: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    if let Some(dir) = args.serve.clone() {
        match serve(&dir, args.port).await {
            Ok(base) => {
                eprintln!("serving {} at {base}", dir.display());
                // Its robots.txt names the sitemap.
                args.seeds.push(base.clone());
                args.allow.push("127.0.0.1/32".into());
            }
            Err(e) => fail(&format!("cannot serve {}: {e}", dir.display())),
        }
    }
    init_logs(args.verbosity);
    match crawl(&args).await {
        Ok(summary) => {
            if args.verbosity >= 0 {
                report(&summary, args.max_pages);
            }
            if let Some(path) = &args.stats {
                let json = serde_json::to_string_pretty(&summary).expect("a summary serializes") + "\n";
                let written = if path == Path::new("-") {
                    std::io::Write::write_all(&mut std::io::stdout(), json.as_bytes())
                } else {
                    std::fs::write(path, json)
                };
                if let Err(e) = written {
                    fail(&format!("{}: {e}", path.display()));
                }
            }
            if !produced_something(&summary) {
                std::process::exit(1);
            }
        }
        Err(e) => fail(&e),
    }
}

/// A run did its job when it fetched something it could use, or found
/// nothing left to do; not when every page it tried failed or was refused.
fn produced_something(s: &Summary) -> bool {
    let used = s.articles + s.lists + s.unchanged + s.duplicates;
    used > 0 || s.fetched == 0 && s.failed() == 0 && s.robots == 0
}

fn fail(message: &str) -> ! {
    eprintln!("crawl: {message}");
    std::process::exit(1);
}

async fn crawl(args: &Args) -> Result<Summary, String> {
    let state = CrawlState::open(&args.state).map_err(|e| chain(&e))?;
    let crawler = build(args)?;
    // A state of another crawl is refused before the output is reconciled with it: a refusal touches nothing.
    crawler.check_state(&state).map_err(|e| chain(&e))?;
    let mut out = match &args.out_dir {
        Some(dir) => Out::Files(Files::open(dir, args.format, &state)?),
        None => Out::Jsonl(jsonl_sink(args, &state)?),
    };
    match &out {
        Out::Jsonl(out) => report_resume(out, &args.out),
        Out::Files(files) if files.requeued > 0 => {
            let (n, dir) = (files.requeued, args.out_dir.as_deref().unwrap_or(Path::new(".")).display());
            eprintln!("{n} articles the state had written are missing from {dir}: fetching them again");
        }
        Out::Files(_) => {}
    }
    run(args, &crawler, &state, &mut out).await
}

/// What opening the output found: articles already there, or missing.
fn report_resume(out: &JsonlSink, path: &Path) {
    if out.resumed() > 0 {
        eprintln!("resuming: {} articles already in {}", out.resumed(), path.display());
    }
    if out.requeued() > 0 {
        let n = out.requeued();
        eprintln!("{n} articles the state had written are missing from {}: fetching them again", path.display());
    }
}

/// The JSON Lines output: a file reconciled with the state (what it holds
/// is never fetched or written again), or standard output, streamed (the
/// state alone keeps articles from being written twice).
fn jsonl_sink(args: &Args, state: &CrawlState) -> Result<JsonlSink, String> {
    if args.out == Path::new("-") {
        return Ok(JsonlSink::stream(std::io::stdout()));
    }
    JsonlSink::open(&args.out, state).map_err(|e| format!("{}: {}", args.out.display(), chain(&e)))
}

/// Where the articles go.
enum Out {
    Jsonl(JsonlSink),
    Files(Files),
}

impl Out {
    fn record(&mut self, event: &CrawlEvent<'_>) -> std::io::Result<()> {
        match self {
            Out::Jsonl(sink) => sink.record(event),
            Out::Files(files) => files.record(event),
        }
    }
}

/// One file per article, named after its address: writing one again
/// replaces it, so a resumed crawl never leaves an article twice, and each
/// file is written whole (to a temporary name, then renamed) before the
/// state marks its page done.
struct Files {
    dir: PathBuf,
    format: Format,
    /// `INDEX` in the folder: a line per article file, appended once the file is in place.
    index: std::fs::File,
    /// Articles the state had written that the folder lacked: queued again.
    requeued: u64,
}

/// The folder's index of what it holds, read back to reconcile it with the state.
const INDEX: &str = ".index.jsonl";

/// A line of the index.
#[derive(serde::Serialize, serde::Deserialize)]
struct Indexed {
    url: url::Url,
    final_url: url::Url,
    part: u32,
    parts: u32,
    file: String,
}

impl Files {
    /// Opens the folder, reconciled with the state like a JSON Lines output:
    /// the pages whose every article file is there are marked written, and
    /// the articles the state wrote that the folder lacks (deleted files, a
    /// folder removed) are queued again.
    fn open(dir: &Path, format: Format, state: &CrawlState) -> Result<Files, String> {
        let io = |e: std::io::Error| format!("{}: {e}", dir.display());
        std::fs::create_dir_all(dir).map_err(io)?;
        let text = std::fs::read_to_string(dir.join(INDEX)).unwrap_or_default();
        let mut pages: std::collections::BTreeMap<String, (Vec<url::Url>, u32, u32)> = Default::default();
        for row in text.lines().filter_map(|l| serde_json::from_str::<Indexed>(l).ok()) {
            let page = pages
                .entry(row.url.to_string())
                .or_insert_with(|| (vec![row.url.clone(), row.final_url.clone()], 0, row.parts));
            page.1 += u32::from(dir.join(&row.file).is_file());
        }
        let kept = pages.into_values().filter(|(_, found, parts)| found >= parts).flat_map(|(urls, _, _)| urls);
        let requeued = state.reconcile(kept).map_err(|e| chain(&e))?;
        let index = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(INDEX)).map_err(io)?;
        Ok(Files { dir: dir.to_path_buf(), format, index, requeued })
    }

    fn record(&mut self, event: &CrawlEvent<'_>) -> std::io::Result<()> {
        let CrawlEvent::Articles(records) = event else { return Ok(()) };
        for r in records.iter() {
            let text = match self.format {
                Format::Json => serde_json::to_string_pretty(r)? + "\n",
                Format::Markdown => cli::markdown(&r.article, Some(r.final_url.as_str()), MetaStyle::FrontMatter),
                Format::Text | Format::Jsonl => r.article.to_plain_text(),
            };
            let file = file_name(&r.final_url, r.part, r.parts, self.format);
            let path = self.dir.join(&file);
            let partial = path.with_extension("partial");
            std::fs::write(&partial, text)?;
            std::fs::rename(&partial, &path)?;
            // Indexed once in place: a kill in between leaves a file the next run writes again.
            let row =
                Indexed { url: r.url.clone(), final_url: r.final_url.clone(), part: r.part, parts: r.parts, file };
            writeln!(self.index, "{}", serde_json::to_string(&row)?)?;
        }
        self.index.flush()
    }
}

/// `host__path__to__page[.partN].ext`: one name per article, from its address.
fn file_name(url: &url::Url, part: u32, parts: u32, format: Format) -> String {
    let mut name = format!("{}{}", url.host_str().unwrap_or("page"), url.path());
    if let Some(q) = url.query() {
        name.push('_');
        name.push_str(q);
    }
    let mut name: String = name
        .trim_end_matches('/')
        .chars()
        .map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' })
        .collect();
    for ext in [".html", ".htm", ".shtml", ".jsp", ".php", ".aspx", ".asp"] {
        if let Some(stem) = name.strip_suffix(ext) {
            name = stem.to_string();
            break;
        }
    }
    if parts > 1 {
        name.push_str(&format!(".part{part}"));
    }
    // Text from a JSON Lines crawl is not a case that arises: --out-dir refuses jsonl.
    let ext = format.extension();
    format!("{name}.{ext}")
}

fn build(args: &Args) -> Result<Crawler, String> {
    let fetcher = Fetcher::builder()
        .politeness_delay(Duration::from_millis(args.delay_ms))
        .timeout(Duration::from_secs(args.timeout_s))
        .retries(args.retries)
        .max_bytes(args.max_mb.saturating_mul(1024 * 1024))
        .max_concurrency(args.workers)
        .allow_private_addresses(args.allow_private)
        .cookies(args.cookies);
    let mut fetcher = args.net.apply(fetcher);
    for range in &args.allow {
        let net = range.parse().map_err(|e| format!("--allow {range}: {e}"))?;
        fetcher = fetcher.allow_range(net);
    }
    if let Some(ua) = &args.user_agent {
        fetcher = fetcher.user_agent(ua);
    }
    let mut crawler = Crawler::builder()
        .max_depth(args.max_depth)
        .max_pages(args.max_pages)
        .workers(args.workers)
        .revisit_after(Duration::from_secs(args.revisit_s))
        .max_attempts(args.max_attempts)
        .adopt_state(args.continue_anyway)
        .robots_sitemaps(args.robots_sitemaps);
    for seed in &args.seeds {
        crawler = crawler.seed(seed);
    }
    for sitemap in &args.sitemaps {
        crawler = crawler.sitemap(sitemap);
    }
    for host in &args.hosts {
        crawler = crawler.allow_host(host);
    }
    crawler.build(fetcher.build().map_err(|e| chain(&e))?).map_err(|e| chain(&e))
}

async fn run(args: &Args, crawler: &Crawler, state: &CrawlState, out: &mut Out) -> Result<Summary, String> {
    let stop = Arc::new(AtomicBool::new(false));
    tokio::spawn(stop_on_ctrl_c(stop.clone()));
    let mut progress = Progress::new(args.verbosity < 0);
    let summary = crawler
        .run(state, &stop, |event| {
            // Each page's lines reach the OS before the state records the page as done.
            out.record(&event)?;
            progress.show(&event);
            Ok(())
        })
        .await
        .map_err(|e| chain(&e))?;
    progress.finish();
    Ok(summary)
}

async fn stop_on_ctrl_c(stop: Arc<AtomicBool>) {
    if tokio::signal::ctrl_c().await.is_ok() {
        eprintln!(
            "\nstopping after the requests in flight (Ctrl-C again quits at once; the state file keeps the rest)"
        );
        stop.store(true, Ordering::Relaxed);
    }
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(130);
    }
}

/// A progress bar on a terminal, one plain line per page otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    pages: u64,
    articles: u64,
    failed: u64,
    quiet: bool,
}

impl Progress {
    fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} {pos} pages {msg}").expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress { bar, pages: 0, articles: 0, failed: 0, quiet }
    }

    fn show(&mut self, event: &CrawlEvent<'_>) {
        self.pages += 1;
        let line = match event {
            CrawlEvent::Articles(records) => {
                self.articles += records.len() as u64;
                let titles: Vec<&str> =
                    records.iter().map(|a| a.article.title.as_deref().unwrap_or("(no title)")).collect();
                format!(
                    "article {} {}",
                    records.first().map_or(String::new(), |a| a.url.to_string()),
                    titles.join(" | ")
                )
            }
            CrawlEvent::List { url, new_links } => format!("list    {url} (+{new_links} links)"),
            CrawlEvent::Robots { url } => format!("robots  {url}"),
            CrawlEvent::Duplicate { url, final_url, of } => format!("dup     {url} -> {final_url} (same as {of})"),
            CrawlEvent::Failed { error, attempt, .. } => {
                self.failed += 1;
                let again =
                    if error.kind().code().is_transient() { format!(" (attempt {attempt})") } else { String::new() };
                format!("failed  {}{again}", chain(error))
            }
            CrawlEvent::Unchanged { url } => format!("same    {url} (304)"),
            _ => format!("{event:?}"),
        };
        match &self.bar {
            Some(bar) => {
                bar.set_position(self.pages);
                bar.set_message(format!("{} articles, {} failed | {line}", self.articles, self.failed));
            }
            None if self.quiet => {}
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn report(s: &Summary, max_pages: u64) {
    let secs = s.elapsed.as_secs_f64().max(1e-9);
    if !s.errors.is_empty() {
        let kinds: Vec<String> = s.errors.iter().map(|(k, n)| format!("{k} {n}")).collect();
        eprintln!("errors by kind: {}", kinds.join(", "));
    }
    if let Some(cpu) = process_cpu() {
        let share = 100.0 * s.extracting.as_secs_f64() / cpu.as_secs_f64().max(1e-9);
        eprintln!(
            "CPU: {:.2} s in all; decoding, parsing, extracting and finding links took {:.2} s ({share:.0}%; exact with --workers 1, \
             inflated when workers outnumber cores), the rest is networking, TLS, SQLite and output",
            cpu.as_secs_f64(),
            s.extracting.as_secs_f64()
        );
    }
    // The last line says how the run ended, and what is left.
    let how = if s.stopped {
        "stopped".to_string()
    } else if s.limit_reached {
        format!("stopped at the page limit (--max-pages {max_pages}, which counts every address fetched, failures too)")
    } else {
        "done".to_string()
    };
    let left = match (s.queued, s.cut) {
        (0, 0) => String::new(),
        (q, 0) => format!("; {q} addresses still queued: run again to continue"),
        (q, c) => format!("; {q} addresses still queued and {c} found but not queued: run again to continue"),
    };
    eprintln!(
        "{how}: {} fetched ({:.1} pages/s, {:.1} MB), {} articles, {} lists, {} unchanged, {} skipped by robots.txt, \
         {} duplicates, {} failed{left}",
        s.fetched,
        s.fetched as f64 / secs,
        s.bytes as f64 / 1e6,
        s.articles,
        s.lists,
        s.unchanged,
        s.robots,
        s.duplicates,
        s.failed(),
    );
}

/// User plus system CPU time of this process (Linux only).
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at state (field 3).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10)) // USER_HZ is 100 on Linux
}

/// Serves a folder on 127.0.0.1; returns its base address. The port is
/// fixed by default so that a resumed crawl sees the same addresses.
async fn serve(dir: &Path, port: u16) -> std::io::Result<String> {
    let root = dir.canonicalize()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let base = format!("http://{}/", listener.local_addr()?);
    let site_base = base.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri, headers: axum::http::HeaderMap| {
        static_file(root.clone(), site_base.clone(), uri, headers)
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(base)
}

async fn static_file(
    root: PathBuf,
    base: String,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let rel = uri.path().trim_start_matches('/');
    // Only plain names below the root: `..` and absolute paths are never read.
    if !Path::new(rel).components().all(|c| matches!(c, std::path::Component::Normal(_))) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut path = root.join(rel);
    if path.is_dir() {
        if !path.join("index.html").exists() {
            return listing(&path).await.into_response();
        }
        path = path.join("index.html");
    }
    // A validator as a web server gives one: size and modification time.
    let etag = tokio::fs::metadata(&path).await.ok().and_then(|m| {
        let mtime = m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(format!("\"{:x}-{:x}\"", m.len(), mtime.as_secs()))
    });
    if let Some(tag) = &etag
        && headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == tag.as_bytes())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let response = match tokio::fs::read(&path).await {
        Ok(bytes) => {
            // Pages say their charset (or don't) themselves: the header names none.
            match path.extension().and_then(|e| e.to_str()) {
                // Sitemaps need absolute addresses: `{base}` stands for this server's.
                Some("xml") => {
                    let xml = String::from_utf8_lossy(&bytes).replace("{base}", &base);
                    ([(header::CONTENT_TYPE, "application/xml")], xml).into_response()
                }
                Some("txt") => {
                    let text = String::from_utf8_lossy(&bytes).replace("{base}", &base);
                    ([(header::CONTENT_TYPE, "text/plain")], text).into_response()
                }
                _ => ([(header::CONTENT_TYPE, "text/html")], bytes).into_response(),
            }
        }
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    match etag.and_then(|t| axum::http::HeaderValue::from_str(&t).ok()) {
        Some(tag) => ([(header::ETAG, tag)], response).into_response(),
        None => response,
    }
}

/// A list page of a folder without `index.html`, so any folder of pages can be crawled.
async fn listing(dir: &Path) -> axum::response::Html<String> {
    let mut names = Vec::new();
    if let Ok(mut entries) = tokio::fs::read_dir(dir).await {
        while let Ok(Some(e)) = entries.next_entry().await {
            let dir_mark = if e.path().is_dir() { "/" } else { "" };
            names.push(format!("{}{dir_mark}", e.file_name().to_string_lossy()));
        }
    }
    names.sort();
    let items: String = names.iter().map(|n| format!("<li><a href=\"{n}\">{n}</a></li>\n")).collect();
    axum::response::Html(format!(
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>Index</title></head><body><ul>\n{items}</ul></body></html>"
    ))
}
