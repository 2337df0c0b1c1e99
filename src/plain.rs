//! The plain-text front end: text already pulled out of a page, one block a
//! line. It knows less than the HTML front end (no zones, no tags), and says
//! so once, in its [`Layout`]; the pipeline guesses the rest.

use rustc_hash::FxHashSet;

use crate::clean::line::{Context, Layout, RawLine};
use crate::clean::title::site_suffixed;

/// The pipeline's lines and context for a text. Hints for the headline are
/// the lines that read as the page's `<title>` (a headline that another line
/// prints alone, followed by the site's name), then the first line, which is
/// where a copied page's `<title>` usually sits.
pub(crate) fn read(text: &str, url: Option<&str>) -> (Vec<RawLine>, Context) {
    let lines = text.lines().map(RawLine::text).collect();
    let mut ctx = Context::new(Layout::PLAIN);
    ctx.titles = title_lines(text);
    // A first line longer than any `<title>` is a paragraph, not a hint.
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).filter(|l| l.len() <= MAX_TITLE_LINE_BYTES);
    let first = first.map(str::to_string);
    ctx.titles.extend(first.filter(|f| !ctx.titles.contains(f)));
    ctx.url = url.map(str::to_string);
    (lines, ctx)
}

/// Lines of the form `标题-新华网` where `标题` is also a line of its own:
/// the page's `<title>`, wherever the copy put it.
fn title_lines(text: &str) -> Vec<String> {
    let alone: FxHashSet<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| l.len() <= MAX_TITLE_LINE_BYTES) {
        let is_title = site_suffixed(line).any(|head| alone.contains(head));
        if is_title && !out.iter().any(|t| t == line) {
            out.push(line.to_string());
        }
    }
    out
}

/// Longer lines are never a page's `<title>`.
const MAX_TITLE_LINE_BYTES: usize = 600;
