//! The pipeline's data: lines as a front end hands them over, what the
//! pipeline decides about each, and what the page says about itself.
//!
//! These types are the pipeline's vocabulary, shared by all its stages and
//! by the front ends that feed it; they hold no logic of their own.

use jiff::Timestamp;

use super::byline::Byline;
use crate::model::{BlockKind, DateLabel, DateOrigin, PubDate};

/// Where a line sits relative to the article's main region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    Before,
    Body,
    After,
}

/// A machine-readable date the markup carries, not yet read: a `<time
/// datetime>`, microdata, a date attribute, a `<meta>`, JSON-LD, a script
/// variable. An empty `raw` means the date is the text of the line it rides on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub raw: String,
    pub label: DateLabel,
    pub origin: DateOrigin,
}

/// A link or an image on a line, as the markup gives it (resolved against
/// the page's address when the article is made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Media {
    Link { href: String, text: String },
    Image { src: String, alt: String },
}

/// A line of the page as the front end (HTML or text) found it.
#[derive(Debug, Clone)]
pub(crate) struct RawLine {
    pub text: String,
    pub kind: BlockKind,
    pub zone: Zone,
    /// A heading element or an element whose class says "title".
    pub title_candidate: bool,
    /// Mostly link text (menus, related-article lists).
    pub link_heavy: bool,
    /// Dates the markup gives on or just before this line.
    pub stamps: Vec<Stamp>,
    /// Links and images on the line (images just before it too), when asked for.
    pub media: Vec<Media>,
}

impl RawLine {
    /// A line of plain text: a paragraph, in the body until zones are found.
    pub(crate) fn text(text: &str) -> RawLine {
        RawLine {
            text: text.to_string(),
            kind: BlockKind::Paragraph,
            zone: Zone::Body,
            title_candidate: false,
            link_heavy: false,
            stamps: Vec::new(),
            media: Vec::new(),
        }
    }
}

/// What the front end's lines carry and what the pipeline must guess: the
/// one place where reading HTML and reading plain text differ. The front
/// end chooses it once ([`Layout::MARKUP`] or [`Layout::PLAIN`]); each
/// stage asks only the question it depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Lines come with their zones (HTML: the main element). Otherwise the
    /// article is the run of lines that reads most like prose.
    pub zones_known: bool,
    /// Headlines are marked (`<h1>`–`<h3>`, title classes): only marked lines
    /// may be the headline, and failing a match with the page's title the
    /// nearest marked heading is taken. Unmarked, any line may be the
    /// headline, the first line is the page's `<title>` itself, a kicker may
    /// stand above the headline, and the fallback is the last headline-like
    /// line before the body.
    pub headlines_marked: bool,
    /// Block kinds come from tags and lines are whole paragraphs. Otherwise a
    /// short unpunctuated line between paragraphs is a heading, and a long
    /// line may break off mid-sentence (text copied from a page wraps).
    pub blocks_marked: bool,
}

impl Layout {
    /// Lines read from markup.
    pub(crate) const MARKUP: Layout = Layout { zones_known: true, headlines_marked: true, blocks_marked: true };
    /// Lines of plain text.
    pub(crate) const PLAIN: Layout = Layout { zones_known: false, headlines_marked: false, blocks_marked: false };
}

/// What the page says about itself outside its visible lines, and how its
/// lines are to be read.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    /// Titles from `<title>`, `og:title` and the like, best first.
    pub titles: Vec<String>,
    /// Dates from `<meta>`, JSON-LD and scripts: the page's, on no line.
    pub stamps: Vec<Stamp>,
    /// The page's language (`<html lang>`), which says how its dates are read.
    pub lang: Option<String>,
    /// What relative links and image sources resolve against: `<base href>`
    /// or the page's address.
    pub base: Option<url::Url>,
    /// Detect each article's language when the page declares none.
    pub detect_lang: bool,
    /// The page's address.
    pub url: Option<String>,
    /// The name the page's site goes by (`og:site_name`, the `<title>`'s suffix).
    pub site: Option<String>,
    /// When the page was fetched (or what the caller gave as "now"): the
    /// reference for relative dates (`昨天 14:30`, `3小时前`).
    pub now: Option<Timestamp>,
    pub layout: Layout,
}

impl Context {
    pub(crate) fn new(layout: Layout) -> Context {
        let (base, detect_lang) = (None, false);
        let (url, site) = (None, None);
        Context { titles: Vec::new(), stamps: Vec::new(), lang: None, url, site, now: None, layout, base, detect_lang }
    }
}

/// What an end-of-article rule, a credit rule or a title rule found on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Source,
    Author,
    /// The whole line is kept as an editing credit.
    Editor,
    Title,
}

/// What became of one line.
#[derive(Debug, Clone)]
pub(crate) enum Fate {
    Keep,
    /// Removed by the named rule.
    Drop(String),
    /// The article ends here (or, with article text after it, a box inside it
    /// ends at the next paragraph); the named rule said so.
    Tail(String),
    /// A box pointing elsewhere starts here and ends at the next paragraph;
    /// the named rule said so.
    Box(String),
    /// A labelled field: the line leaves the body, its value (the rule's
    /// first capture group, if any) goes into the metadata.
    Field(Field, Option<String>, String),
    /// The byline under the headline, read into its fields.
    Byline(Byline),
}

impl Fate {
    /// Ends a run of article text: an end-of-article marker or an editor's credit.
    pub(crate) fn ends_text(&self) -> bool {
        matches!(self, Fate::Tail(_) | Fate::Field(Field::Editor, _, _))
    }
}

/// A line after cleaning: its text, and what became of it.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub text: String,
    pub kind: BlockKind,
    pub zone: Zone,
    pub title_candidate: bool,
    pub fate: Fate,
    pub stamps: Vec<Stamp>,
    pub media: Vec<Media>,
}

#[cfg(test)]
impl Line {
    /// A body paragraph with this fate, for the stages' unit tests.
    pub(crate) fn body(text: &str, fate: Fate) -> Line {
        let (kind, zone, title_candidate) = (BlockKind::Paragraph, Zone::Body, false);
        Line { text: text.into(), kind, zone, title_candidate, fate, stamps: Vec::new(), media: Vec::new() }
    }
}

/// Metadata found on a line, kept with the line's position so that a page
/// holding several articles gives each its own.
#[derive(Debug, Clone)]
pub(crate) enum MetaEvent {
    Source(String),
    Author(String),
    Editor(String),
    Date(PubDate, String),
}

/// A body line that survived cleaning, with its position among the lines.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub pos: usize,
    pub kind: BlockKind,
    pub text: String,
    /// The links and images of the lines that make the item.
    pub media: Vec<Media>,
}
