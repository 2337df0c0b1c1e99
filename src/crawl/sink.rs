//! Exactly-once output: a JSON Lines file that is reconciled with the crawl
//! state when opened, so that a crawl killed at any moment and run again
//! writes every article once.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use super::record::{CrawlEvent, CrawledArticle};
use url::Url;

use super::state::CrawlState;
use crate::error::{Error, ErrorKind};

/// Appends a crawl's articles to a JSON Lines file, one
/// [`CrawledArticle`] a line, each page's lines flushed to the OS before the
/// crawler records the page as done.
///
/// Opening it reconciles the file with the [`CrawlState`]: the lines of a
/// page cut short by a kill (a partial line, or fewer lines than the page's
/// `parts`) are truncated away, and every page the file holds whole is
/// marked written in the state, so it is neither fetched nor written again
/// — even with a state file that was lost and started afresh; and every
/// article the state says was written that the file lacks is queued again
/// ([`requeued`](Self::requeued)), so a lost or cut output is made whole.
///
/// ```
/// use report_scraper::crawl::{CrawlState, JsonlSink, Outcome};
/// let dir = std::env::temp_dir().join(format!("jsonl-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("out.jsonl");
/// let line = r#"{"url":"http://a.cn/1.html","final_url":"http://a.cn/1.html","fetched_at":"2025-02-20T13:14:00Z","depth":1,"part":0,"parts":1,"title":"会议"}"#;
/// std::fs::write(&path, format!("{line}\n{{\"url\":\"http://a.cn/2.h")).unwrap(); // the second line was cut by a kill
/// let state = CrawlState::in_memory()?;
/// let sink = JsonlSink::open(&path, &state)?;
/// assert_eq!(sink.resumed(), 1);
/// assert_eq!(state.outcome(&"http://a.cn/1.html".parse().unwrap())?, Some(Outcome::Article));
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{line}\n"));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), report_scraper::Error>(())
/// ```
pub struct JsonlSink {
    out: BufWriter<Box<dyn Write + Send>>,
    resumed: usize,
    requeued: u64,
}

/// One page's lines in the file: where they start, and whether all its parts are there.
struct Group {
    start: u64,
    url: String,
    final_url: String,
    seen: u32,
    parts: u32,
}

impl std::fmt::Debug for JsonlSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonlSink")
            .field("resumed", &self.resumed)
            .field("requeued", &self.requeued)
            .finish_non_exhaustive()
    }
}

impl JsonlSink {
    /// Opens (or creates) the file for appending, after reconciling it with `state`.
    ///
    /// # Errors
    /// [`ErrorKind::Output`] when the file cannot be read, cut or opened;
    /// [`ErrorKind::State`] when the state cannot record a page.
    pub fn open(path: impl AsRef<Path>, state: &CrawlState) -> Result<JsonlSink, Error> {
        let path = path.as_ref();
        let io = |source: std::io::Error| Error::new(ErrorKind::Output { source: Box::new(source) });
        let mut resumed = 0;
        let mut kept = Vec::new();
        // Only a regular file can be read back and cut: a pipe or a device
        // (`/dev/stdout`) is written to, never read, which would wait forever.
        let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
        if let Some(file) = regular.then(|| File::open(path)).transpose().map_err(io)? {
            let (keep, whole) = read_back(BufReader::new(file)).map_err(io)?;
            for group in &whole {
                kept.extend([&group.url, &group.final_url].into_iter().filter_map(|u| Url::parse(u).ok()));
                resumed += group.parts as usize;
            }
            OpenOptions::new().write(true).open(path).and_then(|f| f.set_len(keep)).map_err(io)?;
        }
        let requeued = state.reconcile(kept)?;
        let file = OpenOptions::new().create(true).append(true).open(path).map_err(io)?;
        Ok(JsonlSink { out: BufWriter::new(Box::new(file)), resumed, requeued })
    }

    /// A sink that streams to `out` (standard output, a socket): lines are
    /// written and flushed as pages finish, and nothing is read back. The
    /// state still records what was written, so a crawl resumed with it
    /// writes no article twice; what a reader of the stream lost in a kill
    /// cannot be checked, unlike with [`open`](Self::open).
    ///
    /// ```
    /// let sink = report_scraper::crawl::JsonlSink::stream(std::io::stdout());
    /// assert_eq!(sink.resumed(), 0);
    /// ```
    pub fn stream(out: impl Write + Send + 'static) -> JsonlSink {
        JsonlSink { out: BufWriter::new(Box::new(out)), resumed: 0, requeued: 0 }
    }

    /// Articles the file held whole when it was opened.
    pub fn resumed(&self) -> usize {
        self.resumed
    }

    /// Articles the state recorded as written that the file did not hold
    /// when opened (a file deleted or cut behind the state's back): queued
    /// again, so the crawl writes them again instead of losing them.
    pub fn requeued(&self) -> u64 {
        self.requeued
    }

    /// Writes one page's articles and flushes them to the OS.
    ///
    /// # Errors
    /// The I/O error of the write or the flush.
    pub fn write(&mut self, articles: &[CrawledArticle]) -> std::io::Result<()> {
        for a in articles {
            serde_json::to_writer(&mut self.out, a)?;
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }

    /// Writes the articles of an event, ignores the others: the sink a
    /// [`Crawler::run`](crate::crawl::Crawler::run) call can hand its events to.
    ///
    /// # Errors
    /// As for [`write`](Self::write).
    pub fn record(&mut self, event: &CrawlEvent<'_>) -> std::io::Result<()> {
        match event {
            CrawlEvent::Articles(articles) => self.write(articles),
            _ => Ok(()),
        }
    }
}

/// Reads the file's lines back: the length to keep (up to the last page
/// written whole) and the pages written whole.
fn read_back(mut reader: impl BufRead) -> std::io::Result<(u64, Vec<Group>)> {
    let mut whole = Vec::new();
    let mut open: Option<Group> = None;
    let (mut offset, mut keep) = (0u64, 0u64);
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line)? > 0 {
        if line.last() != Some(&b'\n') {
            break; // cut short by a kill
        }
        let start = offset;
        offset += line.len() as u64;
        // A line that is not a record (hand-edited, another tool's) is kept as it is.
        if let Ok(row) = serde_json::from_slice::<Row>(&line) {
            let same_page = open.as_ref().is_some_and(|g| g.url == row.url && g.seen < g.parts);
            if !same_page {
                open = Some(Group { start, url: row.url, final_url: row.final_url, seen: 0, parts: row.parts.max(1) });
            }
            if let Some(g) = open.as_mut() {
                g.seen += 1;
            }
        }
        if open.as_ref().is_some_and(|g| g.seen == g.parts) {
            whole.extend(open.take());
        }
        if open.is_none() {
            keep = offset;
        }
        line.clear();
    }
    // A page with fewer lines than its parts was cut by a kill: it goes, to be written again.
    Ok((open.map_or(keep, |g| g.start), whole))
}

/// What reconciling needs of a line.
#[derive(serde::Deserialize)]
struct Row {
    url: String,
    final_url: String,
    #[serde(default = "one")]
    parts: u32,
}

fn one() -> u32 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(url: &str, parts: u32) -> String {
        format!("{{\"url\":\"{url}\",\"final_url\":\"{url}\",\"parts\":{parts}}}\n")
    }

    #[test]
    fn a_page_cut_between_its_parts_is_dropped_whole() {
        let text = [row("http://a.cn/1", 1), row("http://a.cn/2", 2), row("http://a.cn/2", 2), row("http://a.cn/3", 2)]
            .concat();
        let (keep, whole) = read_back(text.as_bytes()).unwrap();
        let urls: Vec<&str> = whole.iter().map(|g| g.url.as_str()).collect();
        assert_eq!(urls, ["http://a.cn/1", "http://a.cn/2"]);
        assert_eq!(keep as usize, text.len() - row("http://a.cn/3", 2).len());
    }

    #[test]
    fn a_line_cut_short_is_dropped() {
        let text = format!("{}{{\"url\":\"http://a.cn/2\"", row("http://a.cn/1", 1));
        let (keep, whole) = read_back(text.as_bytes()).unwrap();
        assert_eq!((keep as usize, whole.len()), (row("http://a.cn/1", 1).len(), 1));
    }

    #[test]
    fn lines_that_are_not_records_stay() {
        let text = format!("not json\n{}", row("http://a.cn/1", 1));
        let (keep, whole) = read_back(text.as_bytes()).unwrap();
        assert_eq!((keep as usize, whole.len()), (text.len(), 1));
    }
}
