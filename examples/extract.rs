//! Extracts one page and prints the Article as pretty JSON.
//!
//! ```text
//! cargo run --release --example extract -- PAGE.html [--url URL]
//! cargo run --release --example extract -- - < page.html
//! cargo run --release --example extract -- --text PAGE.txt      # text already pulled out of a page
//! cargo run --release --example extract -- --all PAGE.html      # every article on the page
//! cargo run --release --example extract -- --explain PAGE.html  # list what was removed, by rule
//! ```
use std::io::{Read, Write};

use report_scraper::{Article, Extractor};

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
        eprintln!("error: {e}");
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
    let ex = Extractor::new();
    let articles: Vec<Article> = if args.text {
        let text = String::from_utf8_lossy(&bytes);
        if args.all { ex.clean_text_all(&text) } else { vec![ex.clean_text(&text)] }
    } else if args.all {
        ex.extract_all(&bytes, args.url.as_deref())?
    } else {
        vec![ex.extract(&bytes, args.url.as_deref())?]
    };
    let mut out = std::io::stdout().lock();
    let written = if args.explain {
        articles.iter().flat_map(|a| &a.removed).try_for_each(|r| writeln!(out, "[{}] {}", r.rule, r.text))
    } else if args.all {
        writeln!(out, "{}", serde_json::to_string_pretty(&articles)?)
    } else {
        writeln!(out, "{}", serde_json::to_string_pretty(&articles.first())?)
    };
    match written {
        // `extract … | head` closes the pipe early: that is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
