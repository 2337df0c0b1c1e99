//! `crawl --out-dir`: one file per article, named after its address.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use report_scraper::crawl::{CrawlEvent, CrawlState};
use report_scraper::model::MetaStyle;
use url::Url;

use super::{Format, chain, output};

/// One file per article: writing one again replaces it, so a resumed crawl
/// never leaves an article twice, and each file is written whole (to a
/// temporary name, then renamed) before the state marks its page done.
pub struct Files {
    dir: PathBuf,
    format: Format,
    /// `INDEX` in the folder: a line per article file, appended once the file is in place.
    index: std::fs::File,
    /// Articles the state had written that the folder lacked: queued again.
    pub requeued: u64,
}

/// The folder's index of what it holds, read back to reconcile it with the state.
const INDEX: &str = ".index.jsonl";

/// A line of the index.
#[derive(serde::Serialize, serde::Deserialize)]
struct Indexed {
    url: Url,
    final_url: Url,
    part: u32,
    parts: u32,
    file: String,
}

impl Files {
    /// Opens the folder, reconciled with the state like a JSON Lines output:
    /// the pages whose every article file is there are marked written, and
    /// the articles the state wrote that the folder lacks (deleted files, a
    /// folder removed) are queued again.
    pub fn open(dir: &Path, format: Format, state: &CrawlState) -> Result<Files, String> {
        let io = |e: std::io::Error| format!("{}: {e}", dir.display());
        std::fs::create_dir_all(dir).map_err(io)?;
        let text = std::fs::read_to_string(dir.join(INDEX)).unwrap_or_default();
        let mut pages: BTreeMap<String, (Vec<Url>, u32, u32)> = BTreeMap::new();
        for row in text.lines().filter_map(|l| serde_json::from_str::<Indexed>(l).ok()) {
            let page = pages
                .entry(row.url.to_string())
                .or_insert_with(|| (vec![row.url.clone(), row.final_url.clone()], 0, row.parts));
            page.1 += u32::from(dir.join(&row.file).is_file());
        }
        let kept = pages.into_values().filter(|(_, found, parts)| found >= parts).flat_map(|(urls, _, _)| urls);
        let requeued = state.reconcile(kept).map_err(|e| chain(&e))?;
        let index = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(INDEX)).map_err(io)?;
        Ok(Files { dir: dir.to_path_buf(), format, index, requeued })
    }

    /// Writes the articles of one page, each to its file, then indexes them.
    pub fn record(&mut self, event: &CrawlEvent<'_>) -> std::io::Result<()> {
        let CrawlEvent::Articles(records) = event else { return Ok(()) };
        for r in records.iter() {
            let text = match self.format {
                Format::Json => serde_json::to_string_pretty(r)? + "\n",
                Format::Markdown => output::markdown(&r.article, Some(r.final_url.as_str()), MetaStyle::FrontMatter),
                Format::Text | Format::Jsonl => r.article.to_plain_text(),
            };
            let file = file_name(&r.final_url, r.part, r.parts, self.format);
            let path = self.dir.join(&file);
            let partial = path.with_extension("partial");
            std::fs::write(&partial, text)?;
            std::fs::rename(&partial, &path)?;
            // Indexed once in place: a kill in between leaves a file the next run writes again.
            let row =
                Indexed { url: r.url.clone(), final_url: r.final_url.clone(), part: r.part, parts: r.parts, file };
            writeln!(self.index, "{}", serde_json::to_string(&row)?)?;
        }
        self.index.flush()
    }
}

/// `host__path__to__page[.partN].ext`: one name per article, from its address.
fn file_name(url: &Url, part: u32, parts: u32, format: Format) -> String {
    let mut name = format!("{}{}", url.host_str().unwrap_or("page"), url.path());
    if let Some(q) = url.query() {
        name.push('_');
        name.push_str(q);
    }
    let mut name: String = name
        .trim_end_matches('/')
        .chars()
        .map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' })
        .collect();
    for ext in [".html", ".htm", ".shtml", ".jsp", ".php", ".aspx", ".asp"] {
        if let Some(stem) = name.strip_suffix(ext) {
            name = stem.to_string();
            break;
        }
    }
    if parts > 1 {
        name.push_str(&format!(".part{part}"));
    }
    format!("{name}.{}", format.extension())
}
