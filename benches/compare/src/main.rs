//! compare DATASET_DIR OUT_DIR [--repeat N] [--only ENGINE,...]
//!
//! Times, single-threaded and in one process, on the same decoded pages:
//! this crate (`report_scraper`), scraper's parse alone (`parse`, the floor
//! no extractor built on scraper can beat) and the Rust peers
//! (`dom_smoothie`, `rs_trafilatura`, `trafilatura_rs`). Every page is
//! decoded once, by `report_scraper::encoding::decode`, before any clock starts, so
//! each engine is timed on the same strings. Writes OUT_DIR/ENGINE.jsonl
//! (the lines `../shared/eval/score.py` reads) and prints a line per engine:
//! `ENGINE pages/s MB/s`, from the median of N rounds (default 3) that
//! interleave the engines.
use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Page {
    id: String,
    url: Option<String>,
    html: String,
}

type Engine = fn(&Page) -> Value;

const ENGINES: &[(&str, Engine)] = &[
    ("report_scraper", ours),
    ("parse", parse_only),
    ("dom_smoothie", dom_smoothie),
    ("rs_trafilatura", rs_trafilatura),
    ("trafilatura_rs", trafilatura_rs),
];

static EXTRACTOR: LazyLock<report_scraper::Extractor> = LazyLock::new(report_scraper::Extractor::default);

fn ours(p: &Page) -> Value {
    let input = report_scraper::Input::html_str(&p.html);
    match EXTRACTOR.page(p.url.as_deref().map_or(input, |u| input.url(u))) {
        Ok(page) => {
            let a = page.article();
            let title = a.and_then(|a| a.title.clone());
            let published = a.and_then(|a| a.published.as_ref()).map(|d| d.value.to_string());
            json!({"text": page.text(), "title": title, "published": published})
        }
        Err(e) => json!({"text": "", "error": e.to_string()}),
    }
}

fn parse_only(p: &Page) -> Value {
    let doc = scraper::Html::parse_document(&p.html);
    json!({"text": "", "nodes": doc.tree.nodes().count()})
}

fn dom_smoothie(p: &Page) -> Value {
    match dom_smoothie::Readability::new(p.html.as_str(), p.url.as_deref(), None).and_then(|mut r| r.parse()) {
        Ok(a) => json!({"title": a.title, "published": a.published_time, "text": a.text_content.to_string()}),
        Err(e) => json!({"text": "", "error": e.to_string()}),
    }
}

fn rs_trafilatura(p: &Page) -> Value {
    match rs_trafilatura::extract(p.html.as_str()) {
        Ok(r) => json!({"title": r.metadata.title, "published": r.metadata.date.map(|d| d.to_string()), "text": r.content_text}),
        Err(e) => json!({"text": "", "error": e.to_string()}),
    }
}

fn trafilatura_rs(p: &Page) -> Value {
    match trafilatura::extract(p.html.as_str(), &trafilatura::Options::default()) {
        Ok(r) => json!({"title": r.metadata.title, "published": r.metadata.date.map(|d| d.to_string()), "text": r.content_text}),
        Err(e) => json!({"text": "", "error": e.to_string()}),
    }
}

fn load(dir: &Path) -> Result<Vec<Page>, String> {
    let truth = std::fs::read_to_string(dir.join("truth.jsonl")).map_err(|e| format!("{}/truth.jsonl: {e}", dir.display()))?;
    let mut pages = Vec::new();
    for line in truth.lines().filter(|l| !l.trim().is_empty()) {
        let t: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let id = t["id"].as_str().ok_or("truth line without id")?.to_string();
        let path = dir.join("html").join(format!("{id}.html"));
        let raw = std::fs::read(&path).map_err(|e| format!("{}: {e} (only html sets can be compared)", path.display()))?;
        let html = report_scraper::encoding::decode(&raw, None).map(|d| d.text).unwrap_or_default();
        pages.push(Page { id, url: t["url"].as_str().map(str::to_string), html });
    }
    Ok(pages)
}

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut dir, mut out, mut repeat, mut only) = (None, None, 3usize, None::<String>);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).ok_or("--repeat needs a number")?,
            "--only" => only = args.next(),
            _ if dir.is_none() => dir = Some(a),
            _ => out = Some(a),
        }
    }
    let (Some(dir), Some(out)) = (dir, out) else { return Err("usage: compare DATASET_DIR OUT_DIR [--repeat N] [--only a,b]".into()) };
    let pages = load(Path::new(&dir))?;
    let bytes: usize = pages.iter().map(|p| p.html.len()).sum();
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let engines: Vec<(&str, Engine)> =
        ENGINES.iter().copied().filter(|(name, _)| only.as_deref().is_none_or(|o| o.split(',').any(|x| x == *name))).collect();
    for (name, engine) in &engines {
        // An untimed round warms caches and writes the predictions.
        let path = Path::new(&out).join(format!("{name}.jsonl"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| e.to_string())?);
        for p in &pages {
            let mut v = engine(p);
            v["id"] = json!(p.id);
            writeln!(w, "{v}").map_err(|e| e.to_string())?;
        }
    }
    // Rounds interleave the engines, so a noisy moment of the machine hits
    // them alike; each engine's median round is reported.
    let mut rounds: Vec<Vec<Duration>> = vec![Vec::new(); engines.len()];
    for _ in 0..repeat.max(1) {
        for (i, (_, engine)) in engines.iter().enumerate() {
            let t = Instant::now();
            for p in &pages {
                std::hint::black_box(engine(std::hint::black_box(p)));
            }
            rounds[i].push(t.elapsed());
        }
    }
    for ((name, _), mut times) in engines.iter().zip(rounds) {
        times.sort();
        let secs = times[times.len() / 2].as_secs_f64().max(1e-9);
        println!("{name} {:.1} {:.1}", pages.len() as f64 / secs, bytes as f64 / secs / 1e6);
    }
    Ok(())
}
