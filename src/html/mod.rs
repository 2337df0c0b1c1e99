//! The HTML front end: bytes become a parsed tree, the tree one walk's
//! worth of lines, and the lines — zoned by the element that holds the
//! article — the cleaning pipeline's input.
//!
//! 1. [`decode`]: bytes to text (BOM, HTTP charset, `<meta>`, sniffing);
//! 2. [`parse`]: html5ever into scraper's tree, the arena sized once;
//! 3. [`walk`]: one pass over the tree ([`doc`] holds what it yields),
//!    reading class and id words through [`hints`];
//! 4. [`head`]: title hints from `<head>`; [`stamps`]: the dates the markup
//!    gives (`<meta>`, JSON-LD, `<time>`, microdata, script variables);
//! 5. [`main_element`]: which element holds the article;
//! 6. [`rows`]: zoned lines for the pipeline; [`links`]: the page's links.

pub(crate) mod decode;
pub(crate) mod doc;
pub(crate) mod head;
pub(crate) mod hints;
pub(crate) mod links;
pub(crate) mod main_element;
pub(crate) mod parse;
pub(crate) mod rows;
pub(crate) mod stamps;
pub(crate) mod walk;

use std::time::Instant;

use crate::clean::line::{Context, Layout, RawLine};
use crate::clean::title;
use crate::model::Link;

/// What the caller wants beyond the articles.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Want {
    /// The page's links.
    pub links: bool,
    /// Each article's links and images (its language is detected by the pipeline).
    pub details: bool,
}

/// What the HTML front end hands on: the pipeline's lines, what the page
/// says about itself, and its links (when asked for).
pub(crate) struct Front {
    pub lines: Vec<RawLine>,
    pub ctx: Context,
    pub links: Vec<Link>,
}

/// Reads a decoded page; `None` when the deadline passed first. The tree is
/// dropped as soon as it has been walked, so a big page's nodes and lines
/// are not held together.
pub(crate) fn read(html: &str, url: Option<&str>, want: Want, deadline: Option<Instant>) -> Option<Front> {
    let parsed = parse::parse(html, deadline);
    if parsed.timed_out {
        return None;
    }
    let mut doc = walk::walk(&parsed.html, want.links, want.details);
    drop(parsed);
    if deadline.is_some_and(|d| Instant::now() > d) {
        return None;
    }
    let titles = head::titles(&doc.head);
    let candidates = doc.lines.iter().filter(|l| l.title_candidate).map(|l| (l.elem, l.text.as_str()));
    let title_elem = title::best_line(candidates, &titles);
    main_element::choose_main(&mut doc, title_elem);
    let mut ctx = Context::new(Layout::MARKUP);
    ctx.stamps = std::mem::take(&mut doc.head.stamps);
    ctx.lang = doc.head.lang.take();
    ctx.titles = titles;
    ctx.url = url.map(str::to_string);
    ctx.base = links::base(doc.base.as_deref(), url);
    let in_main: Vec<bool> = doc.lines.iter().map(|l| doc.elems.get(l.elem).is_some_and(|e| e.in_main)).collect();
    let links = if want.links { links::resolve(doc.links, doc.base.as_deref(), url) } else { Vec::new() };
    Some(Front { lines: rows::zoned(doc.lines, &in_main), ctx, links })
}
