//! Every threshold and weight of the heuristics, in one place, each with
//! what it decides. Sizes are in *units* (one per CJK character, one per
//! word of other scripts) unless they say characters; windows count lines.
//!
//! They were set on the development sets (`zh-dev`, `scrapinghub`, the
//! seeds) and are checked by the quality floors in `tests/quality.rs`:
//! a change here moves every page, so score every set after one.

use std::ops::RangeInclusive;

// ---- text measures -----------------------------------------------------------

/// Prose: at least this long, ending in terminal punctuation, with a mark inside…
pub(crate) const PROSE_SHORT_UNITS: usize = 8;
/// …or at least this long with two marks…
pub(crate) const PROSE_PUNCTUATED_UNITS: usize = 15;
/// …or at least this long whatever its punctuation.
pub(crate) const PROSE_LONG_UNITS: usize = 60;
/// Headlines, headings and menu items are no longer than this (and unpunctuated).
pub(crate) const HEADLINE_MAX_UNITS: usize = 45;

// ---- the main element (HTML) ---------------------------------------------------

/// A line whose link text is more than this share of it is worth nothing as text.
pub(crate) const LINK_HEAVY_SHARE: f64 = 0.5;
/// Data-table cells count for this share of their units (short, unpunctuated, still content).
pub(crate) const TABLE_CELL_WORTH: f64 = 0.3;
/// Each clause mark of prose adds this many units…
pub(crate) const PUNCT_BONUS: f64 = 2.0;
/// …for at most one mark per this many units (a line of commas is not prose).
pub(crate) const PUNCT_CAP_DIVISOR: f64 = 3.0;
/// Unpunctuated text this long still counts…
pub(crate) const LOOSE_TEXT_UNITS: f64 = 20.0;
/// …for this share of its units.
pub(crate) const LOOSE_TEXT_WORTH: f64 = 0.5;
/// An element's score is its article text minus this many times its chrome.
pub(crate) const CHROME_PENALTY: f64 = 2.5;
/// A CMS content container (`TRS_Editor`, `#zoom`…) scores this share of its text more.
pub(crate) const CONTENT_BONUS: f64 = 0.25;
/// An element holding this share of the page's article text is a wrapper: its chrome hint is not believed.
pub(crate) const WRAPPER_SHARE: f64 = 0.9;
/// A sibling of the main element joins it with at least this share of the main element's text…
pub(crate) const SIBLING_FLOOR_SHARE: f64 = 0.2;
/// …and at least this much text…
pub(crate) const SIBLING_FLOOR_UNITS: f64 = 15.0;
/// …and with this many times its chrome still under its text.
pub(crate) const SIBLING_CHROME_RATIO: f64 = 3.0;
/// Cells of a data-table row longer than this are layout, not data.
pub(crate) const MAX_CELL_UNITS: usize = 40;

// ---- the pipeline: which lines are read --------------------------------------

/// Lines this far before the body are still judged by the rules (headlines, bylines)…
pub(crate) const META_WINDOW_BEFORE: usize = 40;
/// …and this far after it (credits, sources); farther lines are removed unread.
pub(crate) const META_WINDOW_AFTER: usize = 25;
/// Metadata is read from this many lines above the headline…
pub(crate) const META_BEFORE_HEADLINE: usize = 2;
/// …to this many lines after the body.
pub(crate) const META_AFTER_BODY: usize = 15;

// ---- zones of plain text -------------------------------------------------------

/// After a headline, the article starts at the first paragraph within this many lines.
pub(crate) const FIRST_PARAGRAPH_WINDOW: usize = 16;
/// A paragraph: prose this long (or with 。 or ；in it).
pub(crate) const PARAGRAPH_UNITS: usize = 40;
/// A long line that is not a paragraph weighs half its units.
pub(crate) const LONG_LINE_UNITS: usize = 30;
/// What a headline-like line weighs: teaser lists are runs of them.
pub(crate) const HEADLINE_WEIGHT: i64 = -8;
/// What an end-of-article marker or an editor's credit weighs.
pub(crate) const TEXT_END_WEIGHT: i64 = -1;
/// What a line removed by a rule weighs.
pub(crate) const NOISE_WEIGHT: i64 = -6;

// ---- the headline --------------------------------------------------------------

/// A labelled title (`标题:…`) is looked for up to this many lines into the body.
pub(crate) const LABELLED_TITLE_WINDOW: usize = 20;
/// Lines matching the page's title are looked for up to this many lines into the body.
pub(crate) const TITLE_MATCH_WINDOW: usize = 8;
/// A headline is this long.
pub(crate) const TITLE_UNITS: RangeInclusive<usize> = 2..=80;
/// A headline found without a title hint is at least this long.
pub(crate) const HEADLINE_MIN_UNITS: usize = 4;
/// Unmarked headlines: the fallback is searched this many lines above the body.
pub(crate) const HEADLINE_WINDOW: usize = 12;
/// Marked headlines: the nearest heading is searched this many lines above the body…
pub(crate) const HEADING_ABOVE_WINDOW: usize = 15;
/// …or among the body's first lines.
pub(crate) const HEADING_OPENING_WINDOW: usize = 3;
/// A repeat of the headline this close after it is not body text.
pub(crate) const TITLE_REPEAT_WINDOW: usize = 10;
/// A line equal to a title hint scores this (plus its length)…
pub(crate) const MATCH_EQUAL: usize = 10_000;
/// …one inside the hint (the hint adds a site name) this…
pub(crate) const MATCH_CONTAINED: usize = 5_000;
/// …and one holding the hint (the line adds a kicker) this.
pub(crate) const MATCH_CONTAINS: usize = 1_000;
/// A line inside a title hint has at least this many characters (and a third of the hint's).
pub(crate) const PART_MIN_CHARS: usize = 4;
/// A title hint found inside a line has at least this many characters (and half the line's).
pub(crate) const HINT_MIN_CHARS: usize = 6;
/// Each site or column name `<title>` appends is at most this long.
pub(crate) const SITE_NAME_UNITS: usize = 15;

// ---- bylines and dates ---------------------------------------------------------

/// A byline is no longer than this.
pub(crate) const BYLINE_MAX_UNITS: usize = 70;
/// Text outside a byline's labelled fields and date is at most this long.
pub(crate) const BYLINE_LEFTOVER_UNITS: usize = 4;
/// The dated byline is looked for from the headline to this many lines into the body…
pub(crate) const BYLINE_BELOW_BODY_START: usize = 4;
/// …in at most this many lines…
pub(crate) const BYLINE_WINDOW: usize = 12;
/// …then this many lines above the headline.
pub(crate) const BYLINE_ABOVE_HEADLINE: usize = 3;
/// A dateline (`11月8日上午,…`) opens the first paragraph within this many characters.
pub(crate) const DATELINE_CHARS: usize = 16;

// ---- the body ------------------------------------------------------------------

/// A line this short repeats once before it is a duplicate (longer lines twice).
pub(crate) const REPEATED_SHORT_UNITS: usize = 8;
/// Plain text: a headline-like line this short between paragraphs is a heading.
pub(crate) const GUESSED_HEADING_UNITS: usize = 30;
/// Plain text: a line this long stopping mid-phrase wraps onto the next.
pub(crate) const BROKEN_LINE_UNITS: usize = 30;
/// A line that ends a clause at one of these character positions continues the one before (`…引` + `领。`).
pub(crate) const EARLY_CLAUSE_END: RangeInclusive<usize> = 1..=2;

// ---- several articles on a page ------------------------------------------------

/// A later article starts no earlier than this many items into the page, or after the last start.
pub(crate) const SPLIT_MIN_ITEMS: usize = 3;
/// A later article's headline is this long.
pub(crate) const SPLIT_HEADLINE_UNITS: RangeInclusive<usize> = 6..=40;

// ---- crawling ------------------------------------------------------------------

/// A crawled page is recorded as an article with at least this much body text…
#[cfg_attr(not(feature = "crawl"), allow(dead_code))]
pub(crate) const ARTICLE_MIN_UNITS: usize = 50;
/// …holding at least this many clause marks (and a headline).
#[cfg_attr(not(feature = "crawl"), allow(dead_code))]
pub(crate) const ARTICLE_MIN_PUNCT: usize = 3;
