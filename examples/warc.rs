//! Extracts the articles of web archives: WARC files in, one JSON line per
//! article out, on every core, in input order.
//!
//! ```text
//! cargo run --release --example warc -- crawl.warc.gz other.warc > articles.jsonl
//! cargo run --release --example warc -- --jobs 2 --out articles.jsonl CC-MAIN-*.warc.gz
//! ```
//!
//! Each line holds the record's id, target URI and date, then the
//! article's fields and its text. A summary on standard error counts
//! records read, HTML responses, articles and errors by kind; a progress
//! line (records/s, MB/s) shows on a terminal.

#[path = "cli/mod.rs"]
mod cli;

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use jiff::Timestamp;
use report_scraper::warc::{Record, WarcReader, par_map};
use report_scraper::{Article, Extractor};
use serde::Serialize;

use cli::{Verbosity, chain};

#[derive(Parser)]
#[command(about = "Extract the articles of WARC files (plain or gzip) on every core, in input order")]
struct Args {
    /// WARC files (.warc, .warc.gz)
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Write here instead of standard output
    #[arg(short, long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Records extracted at once (default: every core)
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    #[command(flatten)]
    verbosity: Verbosity,
}

/// The progress line is redrawn every this many records.
const PROGRESS_EVERY: u64 = 64;

/// One line of output.
#[derive(Serialize)]
struct Line<'a> {
    record_id: Option<&'a str>,
    target_uri: &'a str,
    warc_date: Option<&'a str>,
    /// Which of the page's articles this is, from 0, and how many it holds.
    part: usize,
    parts: usize,
    #[serde(flatten)]
    article: &'a Article,
    text: String,
}

/// What a run read and wrote.
#[derive(Default)]
struct Tally {
    records: u64,
    bytes: u64,
    html: u64,
    articles: u64,
    errors: BTreeMap<String, u64>,
}

fn main() {
    let args = Args::parse();
    args.verbosity.init_logs();
    match run(&args) {
        Ok(t) => {
            if !args.verbosity.quiet() {
                let errors: Vec<String> = t.errors.iter().map(|(k, n)| format!("{k} {n}")).collect();
                eprintln!(
                    "warc: {} records ({:.1} MB), {} HTML responses, {} articles; errors: {}",
                    t.records,
                    t.bytes as f64 / 1e6,
                    t.html,
                    t.articles,
                    if errors.is_empty() { "none".into() } else { errors.join(", ") }
                );
            }
            std::process::exit(if t.articles > 0 { 0 } else { 1 });
        }
        Err(e) => {
            eprintln!("warc: {e}");
            std::process::exit(1);
        }
    }
}

/// What one record gave.
enum Done {
    /// It could not be read: the error's code.
    Broken(String),
    /// Its block's size, and its articles and their lines (`None`: not an
    /// HTML page) or why it could not be read.
    Read(u64, Result<Option<(u64, String)>, String>),
}

fn run(args: &Args) -> Result<Tally, String> {
    let threads = args.jobs.map_or_else(|| std::thread::available_parallelism().map_or(1, usize::from), usize::from);
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => {
            Box::new(std::io::BufWriter::new(std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let show = !args.verbosity.quiet() && std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut tally = Tally::default();
    for path in &args.files {
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let shown = path.display().to_string();
        // The threads take turns reading the records and extract them; the lines come in order.
        let done = par_map(WarcReader::new(file), threads, move |r| match r {
            Ok(r) => Done::Read(r.block.len() as u64, extract(&r)),
            Err(e) => {
                tracing::warn!(file = %shown, "{}", chain(&e));
                Done::Broken(e.kind().code().to_string())
            }
        });
        for d in done {
            tally.records += 1;
            match d {
                Done::Broken(code) => *tally.errors.entry(code).or_default() += 1,
                Done::Read(bytes, line) => {
                    tally.bytes += bytes;
                    match line {
                        Ok(Some((articles, lines))) => {
                            tally.html += 1;
                            tally.articles += articles;
                            out.write_all(lines.as_bytes()).map_err(|e| e.to_string())?;
                        }
                        Ok(None) => {}
                        Err(code) => {
                            tally.html += 1;
                            *tally.errors.entry(code).or_default() += 1;
                        }
                    }
                }
            }
            if show && tally.records % PROGRESS_EVERY == 0 {
                let s = started.elapsed().as_secs_f64().max(1e-9);
                eprint!(
                    "\r{} records, {} articles, {:.0} records/s, {:.1} MB/s   ",
                    tally.records,
                    tally.articles,
                    tally.records as f64 / s,
                    tally.bytes as f64 / 1e6 / s
                );
            }
        }
    }
    if show {
        eprintln!();
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(tally)
}

/// One record's lines, one per article the page holds (those that look
/// like articles, as a crawl records them): `Ok(None)` for a record that is
/// not an HTML page (a request, a revisit, a redirect, an image); `Err`
/// with the error's code for a page that could not be read.
fn extract(record: &Record) -> Result<Option<(u64, String)>, String> {
    let (Some(url), Some(http)) = (record.target_uri(), record.http()) else { return Ok(None) };
    let http = http.map_err(|e| e.kind().code().to_string())?;
    if !http.is_html() {
        return Ok(None);
    }
    let mut input = http.input(url);
    // Relative dates count from the capture when the server sent no `Date`.
    if http.header("Date").is_none()
        && let Some(at) = record.date().and_then(|d| d.parse::<Timestamp>().ok())
    {
        input = input.reference_time(at);
    }
    let page = Extractor::default().page(input).map_err(|e| e.kind().code().to_string())?;
    let articles: Vec<Article> = page.articles.into_iter().filter(Article::looks_like_article).collect();
    let parts = articles.len();
    let mut lines = String::new();
    for (part, article) in articles.iter().enumerate() {
        let line = Line {
            record_id: record.record_id(),
            target_uri: url,
            warc_date: record.date(),
            part,
            parts,
            text: article.text(),
            article,
        };
        lines.push_str(&serde_json::to_string(&line).map_err(|e| e.to_string())?);
        lines.push('\n');
    }
    Ok(Some((parts as u64, lines)))
}
