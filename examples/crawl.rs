//! Crawls sites politely and writes every article once, as JSON Lines.
//!
//! ```text
//! cargo run --release --example crawl -- [OPTIONS] SEED_URL...
//! cargo run --release --example crawl -- --serve examples/site      # the shipped site, offline
//! cargo run --release --example crawl -- --serve examples/site --warc archive   # and keep it as WARC
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
//!
//! With `--state postgres://…` (built with the feature `postgres`) the
//! state is a PostgreSQL database, and any number of these processes, on
//! any machines, make one crawl (`--crawl NAME`; several crawls share a
//! database): each address fetched once, each host asked once per delay
//! between them all, every article once in the database's `articles`
//! table (`--export FILE` writes them as JSON Lines; `--status` shows the
//! crawl). A worker killed at any moment loses its leases when they expire
//! (`--lease`), and the others take its addresses; Ctrl-C gives them back
//! at once.
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{CommandFactory, Parser};
use report_scraper::crawl::{CrawlConfig, CrawlEvent, CrawlState, Crawler, Frontier, JsonlSink, Summary};
use report_scraper::fetch::{FetchConfig, Fetcher};
use report_scraper::warc::WarcWriter;

#[path = "cli/mod.rs"]
mod cli;
use cli::files::Files;
use cli::progress::CrawlProgress;
use cli::{Format, NetArgs, Verbosity, chain};

/// crawl: every article of a site, once, as JSON Lines
#[derive(Parser, Debug)]
#[command(
    name = "crawl",
    after_help = "Exit codes: 0 when the run fetched something it could use (articles, lists, unchanged lists) \
                  or had nothing left to do, 1 when every page failed or the crawl could not start, 2 for a \
                  usage error, 130 after a second Ctrl-C."
)]
struct Args {
    /// Addresses to start from
    #[arg(value_name = "SEED_URL")]
    seeds: Vec<String>,
    /// More seed addresses, one a line (# comments); - reads standard input
    #[arg(long = "seeds", value_name = "FILE")]
    seed_files: Vec<PathBuf>,
    /// A sitemap or sitemap index (gzip too) to start from (repeatable)
    #[arg(long = "sitemap", value_name = "URL")]
    sitemaps: Vec<String>,
    /// A host that may be crawled (repeatable; default: the seeds' hosts)
    #[arg(long = "host", value_name = "HOST")]
    hosts: Vec<String>,
    /// Links followed from a seed ("next page" links are free)
    #[arg(long, value_name = "N", default_value_t = 3)]
    max_depth: u32,
    /// Addresses fetched by this invocation, failures too; a crawl stopped by it says so, and the next
    /// invocation goes on
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_pages: u64,
    /// JSON Lines output, appended to and reconciled with the state; - streams to standard output
    /// [default: articles.jsonl with a SQLite state; none with PostgreSQL, whose articles are in its table]
    #[arg(short, long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// jsonl (to --out), or json, markdown or text: one file per article in --out-dir
    #[arg(short, long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Where --format json|markdown|text writes, named after each article's address (written again,
    /// never twice over)
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// The crawl state: a SQLite file (run again with it to resume), or a PostgreSQL database
    /// (postgres://user@host/db) that many workers share
    #[arg(long, value_name = "FILE|URL", default_value = "crawl.db")]
    state: String,
    /// The crawl's name in a PostgreSQL state (several crawls share a database)
    #[arg(long = "crawl", value_name = "NAME", default_value = "default")]
    crawl_name: String,
    /// How long an address stays a PostgreSQL worker's unless it finishes it, in seconds: after it a
    /// worker that died has lost it
    #[arg(long = "lease", value_name = "SECS", default_value_t = 300)]
    lease_s: u64,
    /// Print the crawl's progress (counts; with PostgreSQL each host's backlog and the workers seen)
    /// and exit
    #[arg(long)]
    status: bool,
    /// Write the crawl's articles from a PostgreSQL state's table as JSON Lines (- for standard
    /// output) and exit
    #[arg(long, value_name = "FILE")]
    export: Option<PathBuf>,
    /// With --export, only each group of reposts' original (and articles no other site carries)
    #[arg(long, requires = "export")]
    unique: bool,
    /// Write the crawl's reposts as its state groups them now (url, group, repost_of: the group's
    /// original, null on the original) as JSON Lines (- for standard output) and exit
    #[arg(long, value_name = "FILE")]
    reposts: Option<PathBuf>,
    /// The run's summary as JSON (counts, errors by kind, seconds); - writes it to standard output after
    /// the articles
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
    /// Pause between requests to one host, in milliseconds
    #[arg(long = "delay", value_name = "MS", default_value_t = 1000)]
    delay_ms: u64,
    /// Pages in flight
    #[arg(long, value_name = "N", default_value_t = 4)]
    workers: usize,
    /// Time allowed per request, in seconds
    #[arg(long = "timeout", value_name = "S", default_value_t = 30)]
    timeout_s: u64,
    /// Retries of a timeout, 429 or 5xx
    #[arg(long, value_name = "N", default_value_t = 3)]
    retries: usize,
    /// Body size cap in MB
    #[arg(long, value_name = "N", default_value_t = 20)]
    max_mb: usize,
    /// Keep the cookies the site sets, for this run
    #[arg(long)]
    cookies: bool,
    /// Allow every loopback and private address (local test sites)
    #[arg(long)]
    allow_private: bool,
    #[command(flatten)]
    net: NetArgs,
    /// Read list pages again only when older than this, in seconds
    #[arg(long = "revisit", value_name = "SECS", default_value_t = 0)]
    revisit_s: u64,
    /// Tries of an address that fails with an error that can heal
    #[arg(long, value_name = "N", default_value_t = 3)]
    max_attempts: u32,
    /// Take over a state file that records another crawl
    #[arg(long)]
    continue_anyway: bool,
    /// Do not read the sitemaps robots.txt names
    #[arg(long)]
    no_robots_sitemaps: bool,
    /// Keep every response in web archives in DIR: WARC files (one gzip member per record,
    /// request, response or revisit, and metadata records), rotated at --warc-mb, each with a
    /// CDXJ index beside it. `warc DIR/*.warc.gz` extracts them again, offline
    #[arg(long, value_name = "DIR")]
    warc: Option<PathBuf>,
    /// A WARC file is closed and the next begun past this many megabytes
    #[arg(long = "warc-mb", value_name = "MB", default_value_t = 1024, requires = "warc")]
    warc_mb: u64,
    /// Serve DIR on 127.0.0.1 and crawl it (allows 127.0.0.1)
    #[arg(long, value_name = "DIR")]
    serve: Option<PathBuf>,
    /// The port --serve listens on (0 picks a free one)
    #[arg(long, value_name = "N", default_value_t = 8017)]
    port: u16,
    #[command(flatten)]
    verbosity: Verbosity,
}

impl Args {
    /// The arguments, their seed files read; a usage error exits with 2.
    fn parse_checked() -> Args {
        let mut args = Args::parse();
        let usage =
            |message: &str| -> ! { Args::command().error(clap::error::ErrorKind::ValueValidation, message).exit() };
        if (args.format == Format::Jsonl) == args.out_dir.is_some() {
            usage(if args.out_dir.is_some() {
                "--out-dir needs --format json, markdown or text"
            } else {
                "--format json, markdown and text write one file per article: give --out-dir"
            });
        }
        for file in std::mem::take(&mut args.seed_files) {
            args.seeds.extend(read_seed_file(&file).unwrap_or_else(|e| usage(&e)));
        }
        if args.out_dir.is_some() && is_postgres(&args.state) {
            usage("--out-dir needs a SQLite state (a PostgreSQL state keeps the articles in its table)");
        }
        let inspecting = args.status || args.export.is_some() || args.reposts.is_some();
        if args.seeds.is_empty() && args.sitemaps.is_empty() && args.serve.is_none() && !inspecting {
            usage("no seed address given");
        }
        args
    }

    /// The fetcher and crawler these arguments ask for.
    fn crawler(&self) -> Result<Crawler, String> {
        let fetch = FetchConfig::builder()
            .politeness_delay(Duration::from_millis(self.delay_ms))
            .timeout(Duration::from_secs(self.timeout_s))
            .retries(self.retries)
            .max_bytes(self.max_mb.saturating_mul(1024 * 1024))
            .max_concurrency(self.workers)
            .allow_private_addresses(self.allow_private)
            .cookies(self.cookies);
        let fetcher = Fetcher::new(self.net.apply(fetch).build()).map_err(|e| chain(&e))?;
        let config = CrawlConfig::builder()
            .seeds(&self.seeds)
            .sitemaps(&self.sitemaps)
            .allow_hosts(&self.hosts)
            .max_depth(self.max_depth)
            .max_pages(self.max_pages)
            .workers(self.workers)
            .revisit_after(Duration::from_secs(self.revisit_s))
            .max_attempts(self.max_attempts)
            .adopt_state(self.continue_anyway)
            .robots_sitemaps(!self.no_robots_sitemaps)
            .build();
        let crawler = Crawler::new(config, fetcher).map_err(|e| chain(&e))?;
        let Some(dir) = &self.warc else { return Ok(crawler) };
        let writer = WarcWriter::builder(dir)
            .prefix(format!("crawl-{}", self.crawl_name))
            .max_file_bytes(self.warc_mb.saturating_mul(1_000_000))
            .info("isPartOf", self.crawl_name.clone())
            .info("robots", "obey")
            .open()
            .map_err(|e| chain(&e))?;
        Ok(crawler.archive(writer))
    }
}

fn read_seed_file(path: &Path) -> Result<Vec<String>, String> {
    let text = if path == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).map_err(|e| format!("standard input: {e}"))?
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?
    };
    Ok(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect())
}

#[tokio::main]
async fn main() {
    let mut args = Args::parse_checked();
    if let Some(dir) = args.serve.clone() {
        match cli::serve::serve(&dir, args.port).await {
            Ok(base) => {
                eprintln!("serving {} at {base}", dir.display());
                // Its robots.txt names the sitemap.
                args.seeds.push(base);
                args.net.allow("127.0.0.1/32".parse().expect("a range"));
            }
            Err(e) => fail(&format!("cannot serve {}: {e}", dir.display())),
        }
    }
    args.verbosity.init_logs();
    if args.status || args.export.is_some() || args.reposts.is_some() {
        inspect(&args).await.unwrap_or_else(|e| fail(&e));
        return;
    }
    let summary = crawl(&args).await.unwrap_or_else(|e| fail(&e));
    if !args.verbosity.quiet() {
        report(&summary, args.max_pages);
    }
    if let Some(path) = &args.stats {
        let json = serde_json::to_string_pretty(&summary).expect("a summary serializes") + "\n";
        let written = if path == Path::new("-") {
            std::io::Write::write_all(&mut std::io::stdout(), json.as_bytes())
        } else {
            std::fs::write(path, json)
        };
        written.unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    }
    if !produced_something(&summary) {
        std::process::exit(1);
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

/// A PostgreSQL address rather than a file.
fn is_postgres(state: &str) -> bool {
    state.starts_with("postgres://") || state.starts_with("postgresql://")
}

async fn crawl(args: &Args) -> Result<Summary, String> {
    let crawler = args.crawler()?;
    if is_postgres(&args.state) {
        return crawl_shared(args, &crawler).await;
    }
    let state = CrawlState::open(&args.state).map_err(|e| chain(&e))?;
    // A state of another crawl is refused before the output is reconciled with it: a refusal touches nothing.
    crawler.check_state(&state).await.map_err(|e| chain(&e))?;
    let out = Out::open(args, &state)?;
    let stop = Arc::new(AtomicBool::new(false));
    tokio::spawn(stop_on_ctrl_c(stop.clone()));
    run(args, &crawler, &state, out, &stop).await
}

/// One worker of a crawl kept in PostgreSQL.
#[cfg(feature = "postgres")]
async fn crawl_shared(args: &Args, crawler: &Crawler) -> Result<Summary, String> {
    let state = connect(args).await?;
    eprintln!("worker {} on crawl {}", state.worker(), args.crawl_name);
    crawler.check_state(&state).await.map_err(|e| chain(&e))?;
    let out = match &args.out {
        None => Out::None,
        Some(path) if path == Path::new("-") => Out::Jsonl(JsonlSink::stream(std::io::stdout())),
        // This worker's own copy; the table is the crawl's record.
        Some(path) => {
            let file = std::fs::OpenOptions::new().create(true).append(true).open(path);
            Out::Jsonl(JsonlSink::stream(file.map_err(|e| format!("{}: {e}", path.display()))?))
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    tokio::spawn(stop_on_ctrl_c(stop.clone()));
    let summary = run(args, crawler, &state, out, &stop).await;
    if stop.load(Ordering::Relaxed) {
        // Stopped by Ctrl-C: the others need not wait for this worker's leases to expire.
        state.release_leases().await.map_err(|e| chain(&e))?;
    }
    summary
}

#[cfg(not(feature = "postgres"))]
async fn crawl_shared(_: &Args, _: &Crawler) -> Result<Summary, String> {
    Err(NO_POSTGRES.into())
}

#[cfg(not(feature = "postgres"))]
const NO_POSTGRES: &str = "a PostgreSQL state needs the example built with --features postgres";

#[cfg(feature = "postgres")]
async fn connect(args: &Args) -> Result<report_scraper::crawl::PgState, String> {
    report_scraper::crawl::PgState::builder(&args.state, &args.crawl_name)
        .lease(Duration::from_secs(args.lease_s))
        .connect()
        .await
        .map_err(|e| chain(&e))
}

/// `--status`, `--export` and `--reposts`.
async fn inspect(args: &Args) -> Result<(), String> {
    if let Some(path) = &args.reposts {
        let rows = if is_postgres(&args.state) {
            shared_reposts(args).await?
        } else {
            let state = CrawlState::open(&args.state).map_err(|e| chain(&e))?;
            Crawler::reposts(&state).await.map_err(|e| chain(&e))?
        };
        let lines: String = rows.iter().map(|r| serde_json::to_string(r).expect("a row serializes") + "\n").collect();
        let written = if path == Path::new("-") {
            std::io::Write::write_all(&mut std::io::stdout(), lines.as_bytes())
        } else {
            std::fs::write(path, lines)
        };
        written.map_err(|e| format!("{}: {e}", path.display()))?;
        let groups = rows.iter().map(|r| &r.group).collect::<std::collections::BTreeSet<_>>().len();
        eprintln!(
            "{} articles in {groups} groups, {} reposts",
            rows.len(),
            rows.iter().filter(|r| r.repost_of.is_some()).count()
        );
        return Ok(());
    }
    if !is_postgres(&args.state) {
        if args.export.is_some() {
            return Err("--export reads a PostgreSQL state; a SQLite crawl's articles are in its --out file".into());
        }
        let counts = CrawlState::open(&args.state).and_then(|s| s.counts()).map_err(|e| chain(&e))?;
        println!("{}", serde_json::to_string_pretty(&counts).expect("counts serialize"));
        return Ok(());
    }
    inspect_shared(args).await
}

/// The final grouping of a PostgreSQL state's reposts.
#[cfg(feature = "postgres")]
async fn shared_reposts(args: &Args) -> Result<Vec<report_scraper::crawl::RepostRow>, String> {
    Crawler::reposts(&connect(args).await?).await.map_err(|e| chain(&e))
}

#[cfg(not(feature = "postgres"))]
async fn shared_reposts(_: &Args) -> Result<Vec<report_scraper::crawl::RepostRow>, String> {
    Err(NO_POSTGRES.into())
}

#[cfg(feature = "postgres")]
async fn inspect_shared(args: &Args) -> Result<(), String> {
    use std::io::Write;
    let state = connect(args).await?;
    if let Some(path) = &args.export {
        // With --unique, the reposts (as the state groups them now) are left out.
        let reposts: std::collections::HashSet<String> = if args.unique {
            let rows = Crawler::reposts(&state).await.map_err(|e| chain(&e))?;
            rows.into_iter().filter(|r| r.repost_of.is_some()).map(|r| r.url).collect()
        } else {
            Default::default()
        };
        let mut out: Box<dyn Write> = if path == Path::new("-") {
            Box::new(std::io::stdout().lock())
        } else {
            Box::new(std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?)
        };
        let (mut after, mut n) = (0, 0u64);
        loop {
            let (lines, last) = state.articles(after, 1000).await.map_err(|e| chain(&e))?;
            if lines.is_empty() {
                break;
            }
            for line in &lines {
                if !reposts.is_empty() {
                    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
                    if v["final_url"].as_str().is_some_and(|u| reposts.contains(u)) {
                        continue;
                    }
                }
                writeln!(out, "{line}").map_err(|e| format!("{}: {e}", path.display()))?;
                n += 1;
            }
            after = last;
        }
        out.flush().map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("{n} articles of crawl {} exported", args.crawl_name);
        return Ok(());
    }
    let s = state.status().await.map_err(|e| chain(&e))?;
    let c = &s.counts;
    println!(
        "crawl {}, run {}: {} queued, {} articles, {} lists, {} duplicates, {} robots, {} failed",
        args.crawl_name, s.run, c.queued, c.articles, c.lists, c.duplicates, c.robots, c.failed
    );
    println!("hosts (queued / in flight / done):");
    for h in &s.hosts {
        let turn = h.held_by.as_deref().map(|w| format!("  requested by {w}")).unwrap_or_default();
        println!("  {}  {} / {} / {}{turn}", h.origin, h.queued, h.leased, h.done);
    }
    println!("workers:");
    for w in &s.workers {
        println!("  {}  started {}  seen {:.0}s ago  holding {}", w.worker, w.started, w.seen_secs_ago, w.leased);
    }
    Ok(())
}

#[cfg(not(feature = "postgres"))]
async fn inspect_shared(_: &Args) -> Result<(), String> {
    Err(NO_POSTGRES.into())
}

/// Runs the crawl on a state, its articles to `out`, with progress on a terminal.
async fn run<S: Frontier>(
    args: &Args,
    crawler: &Crawler,
    state: &S,
    mut out: Out,
    stop: &AtomicBool,
) -> Result<Summary, String> {
    let mut progress = CrawlProgress::new(args.verbosity.quiet());
    let summary = crawler
        .run(state, stop, |event| {
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

/// Where the articles go: JSON Lines (a file reconciled with the state, or
/// standard output, streamed), or one file per article.
enum Out {
    Jsonl(JsonlSink),
    Files(Files),
    /// Nothing here: a PostgreSQL state keeps the articles.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    None,
}

impl Out {
    /// Opens the output and says what reconciling it with the state found.
    fn open(args: &Args, state: &CrawlState) -> Result<Out, String> {
        if let Some(dir) = &args.out_dir {
            let files = Files::open(dir, args.format, state)?;
            say_requeued(files.requeued, dir);
            return Ok(Out::Files(files));
        }
        let path = args.out.clone().unwrap_or_else(|| PathBuf::from("articles.jsonl"));
        if path == Path::new("-") {
            return Ok(Out::Jsonl(JsonlSink::stream(std::io::stdout())));
        }
        let sink = JsonlSink::open(&path, state).map_err(|e| format!("{}: {}", path.display(), chain(&e)))?;
        if sink.resumed() > 0 {
            eprintln!("resuming: {} articles already in {}", sink.resumed(), path.display());
        }
        say_requeued(sink.requeued(), &path);
        Ok(Out::Jsonl(sink))
    }

    fn record(&mut self, event: &CrawlEvent<'_>) -> std::io::Result<()> {
        match self {
            Out::Jsonl(sink) => sink.record(event),
            Out::Files(files) => files.record(event),
            Out::None => Ok(()),
        }
    }
}

fn say_requeued(n: u64, place: &Path) {
    if n > 0 {
        eprintln!("{n} articles the state had written are missing from {}: fetching them again", place.display());
    }
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

/// The run's summary on standard error; its last line says how the run ended, and what is left.
fn report(s: &Summary, max_pages: u64) {
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
    let rate = s.fetched as f64 / s.elapsed.as_secs_f64().max(1e-9);
    eprintln!(
        "{how}: {} fetched ({rate:.1} pages/s, {:.1} MB), {} articles, {} lists, {} unchanged, {} skipped by robots.txt, \
         {} duplicates, {} failed{left}",
        s.fetched,
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
