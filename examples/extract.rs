//! Extracts one page and prints the Article as pretty JSON.
//!
//! ```text
//! cargo run --release --example extract -- PAGE.html [--url URL]
//! cargo run --release --example extract -- - < page.html
//! cargo run --release --example extract -- --text PAGE.txt      # text already pulled out of a page
//! cargo run --release --example extract -- --all PAGE.html      # every article on the page
//! cargo run --release --example extract -- --explain PAGE.html  # what was removed, by rule; the dates weighed
//! ```
use std::io::{Read, Write};

use report_scraper::{Extractor, Input, Page};

#[derive(Default)]
struct Args {
    path: Option<String>,
    url: Option<String>,
    text: bool,
    all: bool,
    explain: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--text" => a.text = true,
            "--all" => a.all = true,
            "--explain" => a.explain = true,
            "--url" => a.url = Some(it.next().ok_or("--url needs a value")?),
            "-h" | "--help" => return Err(String::new()),
            _ if a.path.is_none() => a.path = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    if a.path.is_none() {
        return Err("no page given".into());
    }
    Ok(a)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("error: {msg}");
            }
            eprintln!("usage: extract [--text] [--all] [--explain] [--url URL] PAGE|-");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        // The error and its causes, outermost first.
        let mut message = e.to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            message = format!("{message}: {c}");
            cause = c.source();
        }
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let path = args.path.as_deref().unwrap_or("-");
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        buf
    } else {
        std::fs::read(path).map_err(|e| format!("{path}: {e}"))?
    };
    let text = String::from_utf8_lossy(&bytes);
    let input = if args.text { Input::text(&text) } else { Input::html(&bytes) };
    let page = Extractor::new().page(args.url.as_deref().map_or(input, |u| input.url(u)))?;
    let mut out = std::io::stdout().lock();
    let written = if args.explain {
        explain(&mut out, &page)
    } else if args.all {
        writeln!(out, "{}", serde_json::to_string_pretty(&page.articles)?)
    } else {
        let article = page.article().ok_or("no article text found on the page")?;
        writeln!(out, "{}", serde_json::to_string_pretty(article)?)
    };
    match written {
        // `extract … | head` closes the pipe early: that is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// What was removed, by rule; then every date the page carries, best first,
/// with the evidence that scored it (the first, if any, is the publish date
/// unless it scored under the floor).
fn explain(out: &mut impl Write, page: &Page) -> std::io::Result<()> {
    for r in &page.removed {
        writeln!(out, "[{}] {}", r.rule, r.text)?;
    }
    writeln!(out, "dates, best first:")?;
    for d in &page.dates {
        let why: Vec<String> = d.evidence.iter().map(|(what, w)| format!("{what} {w:+}")).collect();
        let raw: String = d.raw.chars().take(60).collect();
        writeln!(out, "{:5}  {}  {:?}/{:?}  {raw:?}  [{}]", d.score, d.value, d.found_in, d.label, why.join(", "))?;
    }
    let chosen = page.article().and_then(|a| a.published.as_ref());
    writeln!(out, "published: {}", chosen.map_or("none".to_string(), |p| format!("{} ({:?})", p.value, p.found_in)))
}
