//! Every threshold and weight of the heuristics, in one place, each with
//! what it decides. Sizes are in *units* (one per CJK character, one per
//! word of other scripts) unless they say characters; windows count lines.
//!
//! They were set on the development sets (`zh-dev`, `scrapinghub`, the
//! seeds) and are checked by the quality floors in `tests/extract/quality.rs`:
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
/// The main element grows into its parent when the parent adds at most this many short link-free lines…
pub(crate) const CLIMB_MAX_LINES: usize = 3;
/// …at most this many levels up.
pub(crate) const CLIMB_MAX_STEPS: usize = 3;
/// The region grows past a parent it takes whole at most this many levels up.
pub(crate) const REGION_MAX_LEVELS: usize = 3;
/// A sibling next to the main element of at most this many lines, all headings, heads what follows it.
pub(crate) const REGION_HEADING_LINES: usize = 2;
/// A paragraph of at most this many units, without punctuation or a link, is a label heading what follows.
pub(crate) const REGION_LABEL_UNITS: usize = 4;
/// A sibling next to the main element with this many link-free items…
pub(crate) const REGION_MIN_ITEMS: usize = 2;
/// …making this share of its lines but headings (the rest: a caption, a serving size) is more of the article.
pub(crate) const REGION_ITEM_SHARE: f64 = 0.75;
/// A data row of at most this many cells, its value a link…
pub(crate) const FORGIVEN_ROW_CELLS: usize = 3;
/// …with at least this many rows without links…
pub(crate) const FORGIVEN_ROW_PLAIN: usize = 2;
/// …within this many lines either side, is a record of its table, not a link list.
pub(crate) const FORGIVEN_ROW_WINDOW: usize = 3;
/// A mostly-linked line with this much text of its own besides is an item of
/// the article (a linked lead and its story), not a link list.
pub(crate) const LINKED_ITEM_OWN_UNITS: usize = 12;
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
/// A data line (`成人票原价：260元`) has a label of at most this many characters…
pub(crate) const LABEL_FIGURE_LABEL_CHARS: usize = 10;
/// …and a figure within this many characters of its value.
pub(crate) const LABEL_FIGURE_VALUE_CHARS: usize = 4;

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
/// A leading part of a title hint (before the site's name) is matched when at least this long.
pub(crate) const SEGMENT_MIN_CHARS: usize = 6;
/// A menu's item (a column's name) is at most this long.
pub(crate) const MENU_ITEM_MAX_UNITS: usize = 12;
/// The dated byline under an unmatched headline is looked for this many lines into the body.
pub(crate) const BYLINE_HEADLINE_WINDOW: usize = 6;
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
/// An unlabelled byline without Chinese is a date and a few words: at most this long.
pub(crate) const BYLINE_LATIN_MAX_UNITS: usize = 14;
/// Text outside a byline's labelled fields and date is at most this long.
pub(crate) const BYLINE_LEFTOVER_UNITS: usize = 4;
/// A dateline (`11月8日上午,…`) opens the first paragraph within this many characters.
pub(crate) const DATELINE_CHARS: usize = 16;
/// A news dateline (`Karlsruhe, (12.11.2021).`, `BERLIN, 12. November 2021 –`)
/// ends within this many characters of the first paragraph…
pub(crate) const DATELINE_OPENING_CHARS: usize = 60;
/// …of one of the body's first this many paragraphs (a standfirst may come first)…
pub(crate) const DATELINE_PARAGRAPHS: usize = 2;
/// …after a place of at most this many words (`NEW YORK`, `Frankfurt am Main`).
pub(crate) const DATELINE_PLACE_WORDS: usize = 3;

// ---- choosing the publish date ----------------------------------------------------
// A candidate's score is its origin's weight plus the weight of each piece of
// evidence; the best wins if it reaches `DATE_FLOOR`.

/// `<meta>` publish dates: machine-written, but sometimes a template's.
pub(crate) const DATE_META: i32 = 50;
/// JSON-LD `datePublished`.
pub(crate) const DATE_JSON_LD: i32 = 50;
/// The byline under the headline: what the reader sees as the date.
pub(crate) const DATE_BYLINE: i32 = 60;
/// `<time datetime>`, microdata and date attributes.
pub(crate) const DATE_ELEMENT: i32 = 40;
/// Script variables that CMSs print (`var ct`, `publishTime`).
pub(crate) const DATE_SCRIPT: i32 = 45;
/// A short dated line near the headline with no label.
pub(crate) const DATE_HEADER: i32 = 35;
/// The address: the day the CMS filed the page.
pub(crate) const DATE_URL: i32 = 30;
/// The article's own text (its first sentence).
pub(crate) const DATE_BODY: i32 = 10;
/// Published, posted, 发布, `datePublished`.
pub(crate) const DATE_LABEL_PUBLISHED: i32 = 10;
/// Updated, modified, 更新: the page's publish date only when nothing else is.
pub(crate) const DATE_LABEL_UPDATED: i32 = -15;
/// An event's, a deadline's or a copyright's date.
pub(crate) const DATE_LABEL_OTHER: i32 = -60;
/// A time of day: printed by a CMS, not a sentence.
pub(crate) const DATE_WITH_TIME: i32 = 4;
/// Month and day only.
pub(crate) const DATE_MONTH_DAY: i32 = -30;
/// A date on the headline's line or next to it gains this much…
pub(crate) const DATE_NEAR_HEADLINE: i32 = 10;
/// …less this much for each line between them (down to minus as much).
pub(crate) const DATE_NEAR_STEP: i32 = 2;
/// A date more than this many lines from the headline is far from it…
pub(crate) const DATE_FAR_LINES: usize = 20;
/// …and counts for this much less: a closing byline's date, or a comment's.
pub(crate) const DATE_FAR: i32 = -30;
/// One of a list's dates (related items), not the article's.
pub(crate) const DATE_IN_LIST: i32 = -40;
/// Each other origin giving the same day adds this much…
pub(crate) const DATE_AGREES: i32 = 8;
/// …for at most this many origins.
pub(crate) const DATE_AGREES_MAX: i32 = 3;
/// A date the markup carries that no date printed near the headline agrees with.
pub(crate) const DATE_CONTRADICTED: i32 = -15;
/// A publish date scores at least this much; a page with none stays undated.
pub(crate) const DATE_FLOOR: i32 = 25;
/// No web page was published before this year.
pub(crate) const EARLIEST_YEAR: i16 = 1994;
/// 民國 years read as such (1991 to 2061)…
pub(crate) const ROC_YEARS: RangeInclusive<i16> = 80..=150;
/// …and what makes them Gregorian.
pub(crate) const ROC_YEAR_OFFSET: i16 = 1911;
/// Dates are looked for this many lines around the headline.
pub(crate) const DATE_WINDOW_ABOVE: usize = 4;
/// …and from the headline to this many lines into the body.
pub(crate) const DATE_WINDOW_BELOW_BODY_START: usize = 4;
/// …but never more than this many lines below the headline.
pub(crate) const DATE_WINDOW_MAX_BELOW: usize = 20;
/// The page's `<meta>`, JSON-LD and script dates read at most (distinct ones, in page order).
pub(crate) const DATE_PAGE_STAMPS: usize = 12;
/// Outside that window, this many of the markup's publish dates are read at most.
pub(crate) const DATE_FAR_STAMPS: usize = 4;
/// A dated line with at least this many dated lines among its neighbours is one of a list.
pub(crate) const DATE_LIST_NEIGHBOURS: usize = 2;
/// Neighbours are the lines this far on either side.
pub(crate) const DATE_LIST_REACH: usize = 2;
/// A label printed in its own cell before a date (`成文日期：`) is at most this long.
pub(crate) const LABEL_CELL_MAX_UNITS: usize = 8;
/// A line holding a date and this much else at most is a header line, not a sentence.
pub(crate) const DATE_LINE_MAX_UNITS: usize = 40;

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
/// …holding at least this many clause marks (and a headline)…
#[cfg_attr(not(feature = "crawl"), allow(dead_code))]
pub(crate) const ARTICLE_MIN_PUNCT: usize = 3;
/// …or, for a dated post of short lines without punctuation (a poem, a
/// video's captions, a music card), at least this many lines.
#[cfg_attr(not(feature = "crawl"), allow(dead_code))]
pub(crate) const ARTICLE_MIN_LINES: usize = 6;

/// An English byline (`By Jane Smith | Published March 7, 2023`) is at most this long in bytes.
pub(crate) const ENGLISH_BYLINE_MAX_BYTES: usize = 160;

/// A gate (a call to log in, subscribe or pay) is a short line: at most this many units.
pub(crate) const GATE_MAX_UNITS: usize = 40;
/// Lines after the body's last item a gate may stand (its stub's lines, a box between).
pub(crate) const GATE_WINDOW: usize = 3;
/// A paywall box (an opening gate, perks, a closing gate) is looked for
/// among the body's last this many lines.
pub(crate) const GATE_BOX_LINES: usize = 12;
/// Units of article text after a gate that still make it the body's end
/// (a closing word, a caption); more, and it is a box inside the article.
pub(crate) const GATE_MAX_PROSE_AFTER: usize = 20;

/// A path of links (a breadcrumb) has at least this many steps.
pub(crate) const PATH_MIN_STEPS: usize = 3;
/// Each step of a path of links is a short name: at most this many units.
pub(crate) const PATH_STEP_MAX_UNITS: usize = 12;

/// After an end marker (相关文章, Related), text at least this share of
/// which stands in teasers (a paragraph just below a link's line: another
/// post's headline and its excerpt) is a list of other posts, and the
/// article ends at the marker however much of it there is.
pub(crate) const TEASER_SHARE: f64 = 0.6;

/// A summary box is looked for among the body's first items, and the text
/// it repeats among the items just below it: this many each.
pub(crate) const SUMMARY_WINDOW: usize = 3;
/// A summary repeats at least this many units of the opening: a sentence
/// or two, not a heading that the text takes up.
pub(crate) const SUMMARY_MIN_UNITS: usize = 20;
/// A summary's label (`摘要：`, `内容提要：`) is at most this many characters.
pub(crate) const SUMMARY_LABEL_CHARS: usize = 6;
