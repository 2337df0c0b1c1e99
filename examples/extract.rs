//! Extracts articles from pages: files, folders, addresses or standard input.
//!
//! ```text
//! cargo run --release --example extract -- PAGE.html
//! cargo run --release --example extract -- --format markdown https://www.example.cn/a/t20250220_1.html
//! cargo run --release --example extract -- --format jsonl --out-dir out/ pages/   # a folder, all cores
//! cargo run --release --example extract -- --group pages/    # which pages are reposts of which
//! cat page.html | cargo run --release --example extract -- -
//! ```
//!
//! Run with `--help` for every option. Exit codes: 0 when at least one
//! input gave an output, 1 when every input failed, 2 for a usage error.
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser};
use rayon::prelude::*;
use report_scraper::repost::{Member, Reposts};
use report_scraper::{
    Article, Extractor, Input, Page,
    fetch::{FetchConfig, Fetcher},
    model::{DateCandidate, Removal},
};
use serde::Serialize;

#[path = "cli/mod.rs"]
mod cli;
use cli::inputs::Job;
use cli::output::Meta;
use cli::{Format, NetArgs, Verbosity, chain};

/// extract: clean, dated articles from pages
#[derive(Parser, Debug)]
#[command(
    name = "extract",
    after_help = "Exit codes: 0 when at least one input gave an output, 1 when every input failed, 2 for a usage error."
)]
struct Args {
    /// A file, a folder (its .html, .htm, .shtml and .txt files, read recursively), an http(s) address
    /// (fetched politely: robots.txt, retries, size cap), or - for standard input
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<String>,
    /// Output format: json is pretty, jsonl one line an input
    #[arg(short, long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Markdown's metadata
    #[arg(long, value_enum, default_value_t = Meta::FrontMatter)]
    meta: Meta,
    /// Every article of a page, not only the first
    #[arg(long)]
    all: bool,
    /// The inputs are text already pulled out of a page
    #[arg(long)]
    text: bool,
    /// Each article's links and images, and its language detected when the page declares none
    #[arg(long)]
    details: bool,
    /// The address of the page read from a file or stdin (resolves links, dates from the address, time zone)
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// The full list of removals (rule and text) and every date the page carries with its score; without
    /// it the JSON gives only the number of removals
    #[arg(long)]
    explain: bool,
    /// Write here instead of standard output (- is stdout)
    #[arg(short, long, value_name = "FILE", conflicts_with = "out_dir")]
    out: Option<PathBuf>,
    /// One output per input, named after it (.json, .md, .txt)
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Group the inputs' articles by story: each input's group and the group's original (null on the
    /// original itself) as JSON Lines, in place of the articles
    #[arg(long, conflicts_with_all = ["out_dir", "all"])]
    group: bool,
    /// Inputs extracted at once (default: every core)
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    #[command(flatten)]
    net: NetArgs,
    #[command(flatten)]
    verbosity: Verbosity,
}

fn main() {
    let args = Args::parse();
    if args.url.is_some() && args.inputs.len() > 1 {
        let message = "--url names the address of one input, not of several";
        Args::command().error(clap::error::ErrorKind::ArgumentConflict, message).exit();
    }
    args.verbosity.init_logs();
    let run = if args.group { group } else { run };
    let produced = cli::inputs::list(&args.inputs).and_then(|jobs| run(&args, &jobs)).unwrap_or_else(|e| {
        eprintln!("extract: {e}");
        0
    });
    std::process::exit(if produced > 0 { 0 } else { 1 });
}

/// Extracts every job on `--jobs` threads and writes the outputs in input
/// order (to stdout, `--out`, or one file each in `--out-dir`), a window of
/// inputs at a time so that memory stays bounded however many there are.
/// Returns how many inputs gave an output.
fn run(args: &Args, jobs: &[(Job, Option<PathBuf>)]) -> Result<usize, String> {
    let needs_fetcher = jobs.iter().any(|(j, _)| matches!(j, Job::Url(_)));
    let fetcher = needs_fetcher.then(|| Fetch::new(&args.net)).transpose()?;
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut sink: Box<dyn Write> = match args.out.as_deref() {
        Some(p) if p != Path::new("-") => {
            Box::new(std::io::BufWriter::new(std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?))
        }
        _ => Box::new(std::io::stdout().lock()),
    };
    let threads = args.jobs.map_or(0, usize::from); // 0: rayon's default, every core
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
    let progress = cli::progress::bar(jobs.len(), args.verbosity.quiet());
    let (mut produced, mut failed) = (0, 0);
    'windows: for window in jobs.chunks(pool.current_num_threads() * WINDOW_PER_THREAD) {
        let outputs: Vec<_> =
            pool.install(|| window.par_iter().map(|(job, _)| extract_one(args, job, fetcher.as_ref())).collect());
        for ((job, root), output) in window.iter().zip(outputs) {
            match output.map(|text| deliver(args, job, root.as_deref(), &mut sink, &text)) {
                Ok(Ok(())) => produced += 1,
                // `extract … | head` closes the pipe early: stop, quietly.
                Ok(Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => break 'windows,
                Ok(Err(e)) => {
                    failed += 1;
                    eprintln!("extract: {}: {e}", job.name());
                }
                Err(e) => {
                    failed += 1;
                    eprintln!("extract: {}: {e}", job.name());
                }
            }
        }
        if let Some(bar) = &progress {
            bar.inc(window.len() as u64);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    match sink.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => eprintln!("extract: {e}"),
        _ => {}
    }
    if jobs.len() > 1 && !args.verbosity.quiet() {
        eprintln!("extract: {} inputs, {produced} written, {failed} failed", jobs.len());
    }
    Ok(produced)
}

/// Inputs a thread is given per window: enough that threads seldom wait on
/// the window's slowest input, few enough that the outputs held are small.
const WINDOW_PER_THREAD: usize = 8;

/// Writes one input's output where it goes.
fn deliver(args: &Args, job: &Job, root: Option<&Path>, sink: &mut dyn Write, text: &str) -> std::io::Result<()> {
    match &args.out_dir {
        Some(dir) => {
            let path = job.out_path(dir, root, args.format);
            std::fs::write(&path, text)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            tracing::info!(input = %job.name(), output = %path.display(), "written");
            Ok(())
        }
        None => sink.write_all(text.as_bytes()),
    }
}

/// `--group`: every input extracted (on every core), its first article's
/// copies found among the others, one line an input in input order.
/// Returns how many inputs had an article.
fn group(args: &Args, jobs: &[(Job, Option<PathBuf>)]) -> Result<usize, String> {
    let fetcher = jobs.iter().any(|(j, _)| matches!(j, Job::Url(_))).then(|| Fetch::new(&args.net)).transpose()?;
    let threads = args.jobs.map_or(0, usize::from);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
    let members: Vec<Option<(String, Member)>> = pool.install(|| {
        jobs.par_iter()
            .map(|(job, _)| {
                let page = read_page(args, job, fetcher.as_ref()).ok()?;
                let article = page.article()?;
                let at = page.url.clone().unwrap_or_else(|| job.name());
                Some((article.title.clone().unwrap_or_default(), Member::of_article(&at, article)))
            })
            .collect()
    });
    let mut reposts = Reposts::new();
    let numbers: Vec<Option<(usize, String)>> =
        members.into_iter().map(|m| m.map(|(title, member)| (reposts.add(member), title))).collect();
    let mut out = std::io::stdout().lock();
    for ((job, _), n) in jobs.iter().zip(&numbers) {
        let Some((n, title)) = n else {
            eprintln!("extract: {}: no article", job.name());
            continue;
        };
        let place = reposts.placement(*n);
        let url = reposts.member(*n).map(|m| m.url.as_str());
        let line = serde_json::json!({"input": job.name(), "url": url, "title": title, "group": place.group, "repost_of": place.repost_of});
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    let groups = reposts.groups();
    let copies: usize = groups.iter().map(|(m, _)| m.len() - 1).sum();
    eprintln!("extract: {} articles in {} groups, {copies} reposts", reposts.len(), groups.len());
    Ok(reposts.len())
}

/// Reads and extracts one input.
fn read_page(
    args: &Args,
    job: &Job,
    fetcher: Option<&Fetch>,
) -> Result<Page, Box<dyn std::error::Error + Send + Sync>> {
    Ok(match job {
        Job::Url(url) => fetcher.ok_or("no fetcher")?.page(url, args.details).map_err(|e| chain(&e))?,
        Job::File(_) | Job::Stdin => {
            let bytes = match job {
                Job::File(p) => std::fs::read(p).map_err(|e| format!("cannot read: {e}"))?,
                _ => {
                    let mut buf = Vec::new();
                    std::io::stdin().read_to_end(&mut buf)?;
                    buf
                }
            };
            let text = args.text.then(|| String::from_utf8_lossy(&bytes).into_owned());
            let input = match &text {
                Some(t) => Input::text(t),
                None => Input::html(&bytes),
            };
            let input = match &args.url {
                Some(u) => input.url(u),
                None => input,
            };
            let input = if args.details { input.with_details() } else { input };
            Extractor::default().page(input).map_err(|e| chain(&e))?
        }
    })
}

/// Reads, extracts and renders one input.
fn extract_one(
    args: &Args,
    job: &Job,
    fetcher: Option<&Fetch>,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let started = std::time::Instant::now();
    let page = read_page(args, job, fetcher)?;
    tracing::debug!(input = %job.name(), articles = page.articles.len(), elapsed = ?started.elapsed(), "extracted");
    if page.articles.is_empty() {
        return Err("no article text found on the page".into());
    }
    if args.explain && matches!(args.format, Format::Markdown | Format::Text) {
        explain(&page);
    }
    render(args, &page)
}

/// The JSON of one page: the article's fields (or every article's), its
/// address, and its removals as a count, or in full with `--explain`.
#[derive(Serialize)]
struct Record<'a> {
    url: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    article: Option<&'a Article>,
    #[serde(skip_serializing_if = "Option::is_none")]
    articles: Option<&'a [Article]>,
    removed: Removed<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dates: Option<&'a [DateCandidate]>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Removed<'a> {
    Count(usize),
    All(&'a [Removal]),
}

fn render(args: &Args, page: &Page) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let first = page.article();
    let record = Record {
        url: page.url.as_deref(),
        article: (!args.all).then_some(first).flatten(),
        articles: args.all.then_some(page.articles.as_slice()),
        removed: if args.explain { Removed::All(&page.removed) } else { Removed::Count(page.removed.len()) },
        dates: args.explain.then_some(page.dates.as_slice()),
    };
    Ok(match args.format {
        Format::Json => serde_json::to_string_pretty(&record)? + "\n",
        Format::Jsonl => serde_json::to_string(&record)? + "\n",
        Format::Markdown if args.all => page.to_markdown(args.meta.into()),
        Format::Markdown => {
            first.map_or_else(String::new, |a| cli::output::markdown(a, page.url.as_deref(), args.meta.into()))
        }
        Format::Text => {
            let shown = if args.all { page.articles.len() } else { 1 };
            page.articles.iter().take(shown).map(Article::to_plain_text).collect::<Vec<_>>().join("\n")
        }
    })
}

/// What was removed, by rule, and every date the page carries, best first,
/// with the evidence that scored it: on standard error, beside Markdown or text.
fn explain(page: &Page) {
    let mut err = std::io::stderr().lock();
    for r in &page.removed {
        let _ = writeln!(err, "[{}] {}", r.rule, r.text);
    }
    let _ = writeln!(err, "dates, best first:");
    for d in &page.dates {
        let why: Vec<String> = d.evidence.iter().map(|(what, w)| format!("{what} {w:+}")).collect();
        let raw: String = d.raw.chars().take(60).collect();
        let _ =
            writeln!(err, "{:5}  {}  {:?}/{:?}  {raw:?}  [{}]", d.score, d.value, d.found_in, d.label, why.join(", "));
    }
}

/// The polite fetcher, driven from the worker threads by one Tokio runtime.
struct Fetch {
    runtime: tokio::runtime::Runtime,
    fetcher: Fetcher,
}

impl Fetch {
    fn new(net: &NetArgs) -> Result<Fetch, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let fetcher = Fetcher::new(net.apply(FetchConfig::builder()).build()).map_err(|e| chain(&e))?;
        Ok(Fetch { runtime, fetcher })
    }

    fn page(&self, url: &str, details: bool) -> Result<Page, report_scraper::Error> {
        let fetched = self.runtime.block_on(self.fetcher.fetch(url))?;
        let input = fetched.input();
        Extractor::default().page(if details { input.with_details() } else { input })
    }
}
