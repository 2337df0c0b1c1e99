//! Extracts articles from pages: files, folders, addresses or standard input.
//!
//! ```text
//! cargo run --release --example extract -- PAGE.html
//! cargo run --release --example extract -- --format markdown https://www.example.cn/a/t20250220_1.html
//! cargo run --release --example extract -- --format jsonl --out-dir out/ pages/   # a folder, all cores
//! cat page.html | cargo run --release --example extract -- -
//! ```
//!
//! Run with `--help` for every option. Exit codes: 0 when at least one
//! input gave an output, 1 when every input failed, 2 for a usage error.
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use report_scraper::{
    Article, Extractor, Input, Page,
    model::{DateCandidate, MetaStyle, Removal},
};

#[path = "cli/mod.rs"]
mod cli;
use cli::{Format, Net, chain, header, init_logs};
use serde::Serialize;

const HELP: &str = "\
extract: clean, dated articles from pages

usage: extract [OPTIONS] INPUT...

INPUT is a file, a folder (its .html, .htm, .shtml and .txt files, read
recursively), an http(s) address (fetched politely: robots.txt, retries,
size cap), or - for standard input.

options:
  -f, --format FORMAT  json (default; pretty), jsonl (one line an input),
                       markdown, or text
      --meta STYLE     Markdown's metadata: front-matter (default), header, none
      --all            every article of a page, not only the first
      --text           the inputs are text already pulled out of a page
      --details        each article's links and images, and its language
                       detected when the page declares none
      --url URL        the address of the page read from a file or stdin
                       (resolves links, dates from the address, time zone)
      --explain        the full list of removals (rule and text) and every
                       date the page carries with its score; without it the
                       JSON gives only the number of removals
  -o, --out FILE       write here instead of standard output (- is stdout)
      --out-dir DIR    one output per input, named after it (.json, .md, .txt)
  -j, --jobs N         inputs extracted at once (default: every core)
      --allow RANGE    let addresses reach a non-public range, e.g.
                       127.0.0.1/32 (for local test servers)
      --user-agent UA  the User-Agent sent and matched in robots.txt
      --proxy URL      fetch through this proxy (http://, https://)
      --proxy-from-env use HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY
      --header 'N: V'  send this header with every request (repeatable)
  -v, --verbose        log what happens (more with -vv); RUST_LOG overrides
  -q, --quiet          print no warnings, only errors
  -h, --help           this help

exit codes: 0 when at least one input gave an output, 1 when every input
failed, 2 for a usage error.
";

struct Args {
    inputs: Vec<String>,
    format: Format,
    meta: MetaStyle,
    all: bool,
    text: bool,
    details: bool,
    url: Option<String>,
    explain: bool,
    out: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    jobs: usize,
    allow: Vec<String>,
    user_agent: Option<String>,
    verbosity: i8,
    net: Net,
}

fn parse_args() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut a = Args {
        inputs: Vec::new(),
        format: Format::Json,
        meta: MetaStyle::FrontMatter,
        all: false,
        text: false,
        details: false,
        url: None,
        explain: false,
        out: None,
        out_dir: None,
        jobs: cores,
        allow: Vec::new(),
        user_agent: None,
        verbosity: 0,
        net: Net::default(),
    };
    let mut p = lexopt::Parser::from_env();
    while let Some(arg) = p.next()? {
        match arg {
            Short('f') | Long("format") => a.format = Format::parse(&p.value()?.string()?)?,
            Long("meta") => {
                a.meta = match p.value()?.string()?.as_str() {
                    "front-matter" => MetaStyle::FrontMatter,
                    "header" => MetaStyle::HeaderLine,
                    "none" => MetaStyle::None,
                    other => return Err(format!("--meta: unknown style {other:?} (front-matter, header, none)").into()),
                }
            }
            Long("all") => a.all = true,
            Long("text") => a.text = true,
            Long("details") => a.details = true,
            Long("url") => a.url = Some(p.value()?.string()?),
            Long("explain") => a.explain = true,
            Short('o') | Long("out") => a.out = Some(p.value()?.into()),
            Long("out-dir") => a.out_dir = Some(p.value()?.into()),
            Short('j') | Long("jobs") => a.jobs = p.value()?.parse::<usize>()?.max(1),
            Long("allow") => a.allow.push(p.value()?.string()?),
            Long("user-agent") => a.user_agent = Some(p.value()?.string()?),
            Long("proxy") => a.net.proxy = Some(p.value()?.string()?),
            Long("proxy-from-env") => a.net.proxy_from_env = true,
            Long("header") => a.net.headers.push(header(&p.value()?.string()?)?),
            Short('v') | Long("verbose") => a.verbosity += 1,
            Short('q') | Long("quiet") => a.verbosity = -1,
            Short('h') | Long("help") => {
                print!("{HELP}");
                std::process::exit(0);
            }
            Value(v) => a.inputs.push(v.string()?),
            _ => return Err(arg.unexpected()),
        }
    }
    if a.inputs.is_empty() {
        return Err("no input given (a file, a folder, an address, or - for standard input)".into());
    }
    if a.out.is_some() && a.out_dir.is_some() {
        return Err("--out and --out-dir exclude each other".into());
    }
    if a.url.is_some() && a.inputs.len() > 1 {
        return Err("--url names the address of one input, not of several".into());
    }
    Ok(a)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("extract: {e}\n\nusage: extract [OPTIONS] INPUT...   (extract --help for every option)");
            std::process::exit(2);
        }
    };
    init_logs(args.verbosity);
    let jobs = match list_inputs(&args) {
        Ok(jobs) => jobs,
        Err(e) => {
            eprintln!("extract: {e}");
            std::process::exit(1);
        }
    };
    let produced = run(&args, &jobs);
    std::process::exit(if produced > 0 { 0 } else { 1 });
}

/// One thing to extract: a file, standard input, or an address.
#[derive(Clone)]
enum Job {
    File(PathBuf),
    Stdin,
    Url(String),
}

impl Job {
    fn name(&self) -> String {
        match self {
            Job::File(p) => p.display().to_string(),
            Job::Stdin => "-".to_string(),
            Job::Url(u) => u.clone(),
        }
    }

    /// The output file in `dir` named after the input, with the format's extension.
    fn out_path(&self, dir: &Path, root: Option<&Path>, format: Format) -> PathBuf {
        let stem = match self {
            Job::File(p) => {
                let rel = root.and_then(|r| p.strip_prefix(r).ok()).unwrap_or(p);
                rel.with_extension("").to_string_lossy().replace(['/', '\\'], "__")
            }
            Job::Stdin => "stdin".to_string(),
            Job::Url(u) => {
                u.trim_start_matches("https://").trim_start_matches("http://").replace(['/', '?', '&', ':', '='], "_")
            }
        };
        dir.join(format!("{stem}.{}", format.extension()))
    }
}

/// The inputs, folders expanded to their pages in name order.
fn list_inputs(args: &Args) -> Result<Vec<(Job, Option<PathBuf>)>, String> {
    let mut jobs = Vec::new();
    for input in &args.inputs {
        if input == "-" {
            jobs.push((Job::Stdin, None));
        } else if input.starts_with("http://") || input.starts_with("https://") {
            jobs.push((Job::Url(input.clone()), None));
        } else {
            let path = PathBuf::from(input);
            if path.is_dir() {
                let mut files = Vec::new();
                walk(&path, &mut files).map_err(|e| format!("{input}: {e}"))?;
                files.sort();
                if files.is_empty() {
                    tracing::warn!(folder = %input, "no .html, .htm, .shtml or .txt file in the folder");
                }
                jobs.extend(files.into_iter().map(|f| (Job::File(f), Some(path.clone()))));
            } else {
                jobs.push((Job::File(path), None));
            }
        }
    }
    Ok(jobs)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["html", "htm", "shtml", "txt"].contains(&e))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Extracts every job on `args.jobs` threads and writes the outputs in input
/// order (to stdout, `--out`, or one file each in `--out-dir`). Returns how
/// many inputs gave an output.
fn run(args: &Args, jobs: &[(Job, Option<PathBuf>)]) -> usize {
    let fetcher = jobs.iter().any(|(j, _)| matches!(j, Job::Url(_))).then(|| Fetch::new(args));
    let fetcher = match fetcher.transpose() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("extract: {e}");
            return 0;
        }
    };
    if let Some(dir) = &args.out_dir
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("extract: {}: {e}", dir.display());
        return 0;
    }
    let mut sink: Box<dyn Write> = match args.out.as_deref() {
        Some(p) if p != Path::new("-") => match std::fs::File::create(p) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("extract: {}: {e}", p.display());
                return 0;
            }
        },
        _ => Box::new(std::io::stdout().lock()),
    };
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Result<String, String>)>();
    let mut produced = 0;
    std::thread::scope(|s| {
        for _ in 0..args.jobs.min(jobs.len()) {
            let (tx, next, fetcher) = (tx.clone(), &next, fetcher.as_ref());
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((job, _)) = jobs.get(i) else { break };
                    let out = extract_one(args, job, fetcher).map_err(|e| e.to_string());
                    if tx.send((i, out)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Outputs are written in input order: results that arrive early wait.
        let mut pending = std::collections::BTreeMap::new();
        let mut due = 0;
        for (i, result) in rx {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&due) {
                let (job, root) = &jobs[due];
                let written = result.map(|text| deliver(args, job, root.as_deref(), &mut sink, &text));
                match written {
                    Ok(Ok(())) => produced += 1,
                    // `extract … | head` closes the pipe early: stop, quietly.
                    Ok(Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return,
                    Ok(Err(e)) => eprintln!("extract: {}: {e}", job.name()),
                    Err(e) => eprintln!("extract: {}: {e}", job.name()),
                }
                due += 1;
            }
        }
    });
    if let Err(e) = sink.flush()
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("extract: {e}");
    }
    produced
}

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

/// Reads, extracts and renders one input.
fn extract_one(
    args: &Args,
    job: &Job,
    fetcher: Option<&Fetch>,
) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let started = std::time::Instant::now();
    let page = match job {
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
            Extractor::new().page(input).map_err(|e| chain(&e))?
        }
    };
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
        Format::Markdown if args.all => page.to_markdown(args.meta),
        Format::Markdown => first.map_or_else(String::new, |a| cli::markdown(a, page.url.as_deref(), args.meta)),
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
    fetcher: report_scraper::fetch::Fetcher,
}

impl Fetch {
    fn new(args: &Args) -> Result<Fetch, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let mut builder = report_scraper::fetch::Fetcher::builder();
        for range in &args.allow {
            builder = builder.allow_range(range.parse().map_err(|e| format!("--allow {range}: {e}"))?);
        }
        if let Some(ua) = &args.user_agent {
            builder = builder.user_agent(ua);
        }
        let fetcher = args.net.apply(builder).build().map_err(|e| chain(&e))?;
        Ok(Fetch { runtime, fetcher })
    }

    fn page(&self, url: &str, details: bool) -> Result<Page, report_scraper::Error> {
        let fetched = self.runtime.block_on(self.fetcher.fetch(url))?;
        let input = fetched.input();
        Extractor::new().page(if details { input.with_details() } else { input })
    }
}
