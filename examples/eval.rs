//! Runs the extractor over an evaluation set and prints one JSON line a page
//! (`id`, `title`, `published`, `text`), the format `../shared/eval/score.py` reads.
//!
//! ```text
//! cargo run --release --example eval -- ../shared/datasets/zh-dev [--repeat N] > pred.jsonl
//! ```
//! A set holds `truth.jsonl` and either `html/ID.html` (raw bytes, extracted
//! with the url from truth) or `text/ID.txt` (text mode). Pages per second,
//! extraction only, go to standard error.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use report_scraper::{Extractor, Input, Page};

struct Item {
    id: String,
    url: Option<String>,
    input: Source,
}

enum Source {
    Html(Vec<u8>),
    Text(String),
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir: Option<PathBuf> = None;
    let mut repeat = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().ok_or("--repeat needs a number")?.parse()?,
            "-h" | "--help" => {
                eprintln!("usage: eval DATASET_DIR [--repeat N] > pred.jsonl");
                return Ok(());
            }
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.ok_or("usage: eval DATASET_DIR [--repeat N] > pred.jsonl")?;
    let pages = load(&dir)?;
    let ex = Extractor::default();
    let mut elapsed = Duration::ZERO;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for round in 0..repeat.max(1) {
        for page in &pages {
            let start = Instant::now();
            // Text sets are scored as text alone, as a user who has only the text has it.
            let input = match (&page.input, page.url.as_deref()) {
                (Source::Html(bytes), Some(url)) => Input::html(bytes).url(url),
                (Source::Html(bytes), None) => Input::html(bytes),
                (Source::Text(text), _) => Input::text(text),
            };
            let extracted = ex.page(input).ok();
            elapsed += start.elapsed();
            if round == 0 {
                writeln!(out, "{}", line(&page.id, extracted.as_ref()))?;
            }
        }
    }
    out.flush()?;
    let n = pages.len() * repeat.max(1);
    let size = |p: &Item| match &p.input {
        Source::Html(b) => b.len(),
        Source::Text(t) => t.len(),
    };
    let bytes: usize = pages.iter().map(size).sum::<usize>() * repeat.max(1);
    let secs = elapsed.as_secs_f64().max(1e-9);
    eprintln!("{n} pages in {secs:.3}s ({:.1} pages/s, {:.1} MB/s)", n as f64 / secs, bytes as f64 / secs / 1e6);
    Ok(())
}

/// The page's first article's title and date, and the text of the whole page
/// (every article on it: the sets' truth holds the page's whole text).
fn line(id: &str, page: Option<&Page>) -> String {
    let a = page.and_then(Page::article);
    let value = serde_json::json!({
        "id": id,
        "title": a.and_then(|a| a.title.clone()),
        "published": a.and_then(|a| a.published.as_ref().map(|p| p.value.to_string())),
        "text": page.map(Page::text).unwrap_or_default(),
    });
    value.to_string()
}

fn load(dir: &Path) -> Result<Vec<Item>, Box<dyn std::error::Error>> {
    let truth = std::fs::read_to_string(dir.join("truth.jsonl"))
        .map_err(|e| format!("{}: {e}", dir.join("truth.jsonl").display()))?;
    let mut pages = Vec::new();
    for l in truth.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(l)?;
        let id = v["id"].as_str().ok_or("truth line without id")?.to_string();
        let url = v["url"].as_str().map(str::to_string);
        let html = dir.join("html").join(format!("{id}.html"));
        let input = if html.exists() {
            Source::Html(std::fs::read(&html)?)
        } else {
            Source::Text(std::fs::read_to_string(dir.join("text").join(format!("{id}.txt")))?)
        };
        pages.push(Item { id, url, input });
    }
    Ok(pages)
}
