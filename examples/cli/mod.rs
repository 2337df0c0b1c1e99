//! What the example programs share: output formats, logging, error chains,
//! network options. Included by each with `#[path = "cli/mod.rs"] mod cli;`
//! (a folder without `main.rs` is not an example of its own).

use report_scraper::{Article, Page, fetch::FetcherBuilder, model::MetaStyle};

/// What an article is written as.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Jsonl,
    Markdown,
    Text,
}

impl Format {
    /// The format a `--format` value names.
    pub fn parse(name: &str) -> Result<Format, lexopt::Error> {
        match name {
            "json" => Ok(Format::Json),
            "jsonl" => Ok(Format::Jsonl),
            "markdown" | "md" => Ok(Format::Markdown),
            "text" | "txt" => Ok(Format::Text),
            other => Err(format!("--format: unknown format {other:?} (json, jsonl, markdown, text)").into()),
        }
    }

    /// The file extension of an output in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Markdown => "md",
            Format::Text => "txt",
        }
    }
}

/// One article as Markdown, its page's address in the metadata.
pub fn markdown(article: &Article, url: Option<&str>, style: MetaStyle) -> String {
    let mut page = Page::default();
    page.url = url.map(str::to_string);
    page.articles = vec![article.clone()];
    page.to_markdown(style)
}

/// Logs on standard error: warnings by default, more with `-v`, only errors
/// with `-q`; `RUST_LOG` (e.g. `report_scraper=debug`) overrides.
pub fn init_logs(verbosity: i8) {
    let level = match verbosity {
        i8::MIN..=-1 => "error",
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("{level},hyper=warn,reqwest=warn,rustls=warn")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// An error and its causes, outermost first.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message = format!("{message}: {c}");
        cause = c.source();
    }
    message
}

/// How requests reach the network: a proxy, the environment's, extra headers.
#[derive(Default)]
pub struct Net {
    pub proxy: Option<String>,
    pub proxy_from_env: bool,
    pub headers: Vec<(String, String)>,
}

impl Net {
    pub fn apply(&self, mut builder: FetcherBuilder) -> FetcherBuilder {
        if let Some(proxy) = &self.proxy {
            builder = builder.proxy(proxy);
        }
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        builder.proxy_from_env(self.proxy_from_env)
    }
}

/// `Name: value` as a header.
pub fn header(text: &str) -> Result<(String, String), lexopt::Error> {
    let (name, value) = text.split_once(':').ok_or_else(|| format!("--header {text:?}: expected 'Name: value'"))?;
    Ok((name.trim().to_string(), value.trim().to_string()))
}
