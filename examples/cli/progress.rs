//! Progress on standard error: a bar on a terminal, plain lines otherwise.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use report_scraper::crawl::CrawlEvent;

use super::chain;

/// A crawl's progress: a spinner with counts on a terminal, one line a page
/// otherwise, nothing when quiet.
pub struct CrawlProgress {
    bar: Option<ProgressBar>,
    pages: u64,
    articles: u64,
    failed: u64,
    quiet: bool,
}

impl CrawlProgress {
    pub fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} {pos} pages {msg}").expect("valid template"),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        CrawlProgress { bar, pages: 0, articles: 0, failed: 0, quiet }
    }

    pub fn show(&mut self, event: &CrawlEvent<'_>) {
        self.pages += 1;
        let line = self.line(event);
        match &self.bar {
            Some(bar) => {
                bar.set_position(self.pages);
                bar.set_message(format!("{} articles, {} failed | {line}", self.articles, self.failed));
            }
            None if self.quiet => {}
            None => eprintln!("{line}"),
        }
    }

    fn line(&mut self, event: &CrawlEvent<'_>) -> String {
        match event {
            CrawlEvent::Articles(records) => {
                self.articles += records.len() as u64;
                let titles: Vec<&str> =
                    records.iter().map(|a| a.article.title.as_deref().unwrap_or("(no title)")).collect();
                let url = records.first().map_or(String::new(), |a| a.url.to_string());
                format!("article {url} {}", titles.join(" | "))
            }
            CrawlEvent::List { url, new_links } => format!("list    {url} (+{new_links} links)"),
            CrawlEvent::Robots { url } => format!("robots  {url}"),
            CrawlEvent::Duplicate { url, final_url, of } => format!("dup     {url} -> {final_url} (same as {of})"),
            CrawlEvent::Failed { error, attempt, .. } => {
                self.failed += 1;
                let again =
                    if error.kind().code().is_transient() { format!(" (attempt {attempt})") } else { "".into() };
                format!("failed  {}{again}", chain(error))
            }
            CrawlEvent::Unchanged { url } => format!("same    {url} (304)"),
            _ => format!("{event:?}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A bar over a known number of inputs, on a terminal only.
pub fn bar(len: usize, quiet: bool) -> Option<ProgressBar> {
    (!quiet && len > 1 && std::io::stderr().is_terminal()).then(|| {
        let style =
            ProgressStyle::with_template("{bar:30} {pos}/{len} {per_sec} {elapsed} {msg}").expect("valid template");
        ProgressBar::new(len as u64).with_style(style)
    })
}
