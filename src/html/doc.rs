//! What one walk over the parsed page yields: its visible lines, the element
//! tree they sit in, what `<head>` says, and the links met on the way.

use super::forms::Form;
use super::tree::El;
use crate::clean::line::{Media, Stamp};
use crate::model::{BlockKind, LinkKind, Post};
use crate::text::Measure;

/// What an element's tag, class and id say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    None,
    Content,
    Chrome,
    Title,
    Caption,
}

/// An element of the page, with the text scores of everything inside it.
#[derive(Debug, Clone)]
pub(crate) struct Elem {
    /// The parent's index, [`NO_PARENT`] for the root (32 bits: elements number
    /// far fewer, by the parser's budget, and a page has one per element).
    parent: u32,
    pub good: f64,
    pub bad: f64,
    pub hint: Hint,
    /// Navigation, footers, share bars, comment widgets and the like (decided after the walk).
    pub chrome: bool,
    pub in_main: bool,
}

/// The root's parent.
const NO_PARENT: u32 = u32::MAX;

impl Elem {
    pub(crate) fn new(parent: Option<usize>, hint: Hint) -> Elem {
        let parent = parent.and_then(|p| u32::try_from(p).ok()).unwrap_or(NO_PARENT);
        Elem { parent, good: 0.0, bad: 0.0, hint, chrome: false, in_main: false }
    }

    /// The parent element's index.
    pub(crate) fn parent(&self) -> Option<usize> {
        (self.parent != NO_PARENT).then_some(self.parent as usize)
    }
}

/// A visible line of the page.
#[derive(Debug, Clone)]
pub(crate) struct DomLine {
    pub text: String,
    pub kind: BlockKind,
    /// The innermost block element holding the line.
    pub elem: usize,
    /// The table row holding the line, for rows of a data table.
    pub row: Option<usize>,
    pub link_units: usize,
    /// Size and punctuation of `text`.
    pub measure: Measure,
    pub title_candidate: bool,
    /// On the first line of a block (lines split by `<br>`): the measure and
    /// link units of the whole block, which is scored as one paragraph.
    pub block: Option<(Measure, usize)>,
    /// Inside navigation, footers, share bars, comment widgets and the like.
    pub chrome: bool,
    /// Dates the markup gives on or just before the line.
    pub stamps: Vec<Stamp>,
    /// Links on the line and images on it or just before it (when asked for).
    pub media: Vec<Media>,
}

/// What `<head>` and JSON-LD say.
#[derive(Debug, Default, Clone)]
pub(crate) struct HeadInfo {
    pub title: Option<String>,
    /// `(name or property, content)` of every `<meta>` with content.
    pub metas: Vec<(String, String)>,
    /// The first `headline` of each JSON-LD block.
    pub json_ld_headlines: Vec<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// Dates from `<meta>`, JSON-LD and scripts, in document order.
    pub stamps: Vec<Stamp>,
}

/// A link as the page writes it: not yet resolved against the page's address.
#[derive(Debug, Clone)]
pub(crate) struct RawLink {
    pub href: String,
    pub text: String,
    pub kind: LinkKind,
    /// For a link that sends a form: which, and how.
    pub submit: Option<Submit>,
}

impl RawLink {
    pub(crate) fn new(href: impl Into<String>, kind: LinkKind) -> RawLink {
        RawLink { href: href.into(), text: String::new(), kind, submit: None }
    }
}

/// A link that sends a form (resolved once the page's forms are read whole:
/// ASP.NET writes `__EVENTVALIDATION` after the pager).
#[derive(Debug, Clone)]
pub(crate) enum Submit {
    /// `__doPostBack(target, argument)` on the form (an index in `Doc::forms`).
    PostBack { form: usize, target: String, argument: String },
    /// `goPage(n)`: on the enclosing form, else on the page's paging form.
    Page { form: Option<usize>, page: u32 },
    /// A request whose body is known (a JCMS column's data request).
    Body(Post),
}

#[derive(Debug, Default)]
pub(crate) struct Doc {
    pub elems: Vec<Elem>,
    pub lines: Vec<DomLine>,
    pub head: HeadInfo,
    /// Links (anchors, frames, refreshes, script-written pages), when asked for.
    pub links: Vec<RawLink>,
    /// The first `<base href>`.
    pub base: Option<String>,
    /// The page's forms, when links are asked for (postback pagers send one).
    pub forms: Vec<Form>,
}

/// The attributes the walk reads, found in one pass over the element's
/// attributes (`Element::attr` interns its argument on every call).
#[derive(Debug, Default)]
pub(crate) struct Attrs<'a> {
    pub class: Option<&'a str>,
    pub id: Option<&'a str>,
    pub itemprop: Option<&'a str>,
    pub style: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub href: Option<&'a str>,
    pub hidden: bool,
    pub datetime: Option<&'a str>,
    pub content: Option<&'a str>,
    pub title: Option<&'a str>,
    /// `data-date`, `data-published` and the like.
    pub data_date: Option<&'a str>,
    pub pubdate: bool,
    /// An event handler that may open an address or page a list.
    pub onclick: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    pub(crate) fn of(el: El<'a>) -> Attrs<'a> {
        let mut a = Attrs::default();
        for (name, value) in el.attrs() {
            match name {
                "class" => a.class = Some(value),
                "id" => a.id = Some(value),
                "itemprop" => a.itemprop = Some(value),
                "style" => a.style = Some(value),
                "type" => a.kind = Some(value),
                "href" => a.href = Some(value),
                "hidden" => a.hidden = true,
                "datetime" => a.datetime = Some(value),
                "content" => a.content = Some(value),
                "title" => a.title = Some(value),
                "pubdate" => a.pubdate = true,
                "onclick" => a.onclick = Some(value),
                _ if name.starts_with("data-") && (has(name, b"date") || has(name, b"publish")) => {
                    a.data_date = a.data_date.or(Some(value));
                }
                _ => {}
            }
        }
        a
    }
}

/// Whether an attribute's name holds `part` (names are short: no searcher is built).
fn has(name: &str, part: &[u8]) -> bool {
    name.as_bytes().windows(part.len()).any(|w| w == part)
}
