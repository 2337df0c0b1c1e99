//! The plain-text front end: text already pulled out of a page, one block a
//! line. It knows less than the HTML front end (no zones, no tags), and says
//! so once, in its [`Layout`]; the pipeline guesses the rest.

use crate::clean::line::{Context, Layout, RawLine};

/// The pipeline's lines and context for a text. Its first line is taken as
/// the page's `<title>`, a hint for the headline.
pub(crate) fn read(text: &str, url: Option<&str>) -> (Vec<RawLine>, Context) {
    let lines = text.lines().map(RawLine::text).collect();
    let mut ctx = Context::new(Layout::PLAIN);
    ctx.titles = text.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_string).into_iter().collect();
    ctx.url = url.map(str::to_string);
    (lines, ctx)
}
