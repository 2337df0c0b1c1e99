//! One pass over the parsed page: visible lines, the element tree they sit in, the `<head>`'s metadata, links.

use super::doc::{Attrs, Doc, DomLine, Elem, Hint, RawLink, Submit};
use super::forms::Form;
use super::hints::Hinter;
use super::links::{refresh_target, script_pages};
use super::scripted::{self, Call};
use super::stamps;
use super::tree::{El, Step, Tree};
use crate::clean::line::{Media, Stamp};
use crate::model::{BlockKind, LinkKind, Post};
use crate::text::{is_year, measure, squash_space, units};

/// Elements whose content is never visible text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "select"
            | "option"
            | "button"
            | "textarea"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "video"
            | "map"
            | "input"
            | "head"
    )
}

/// Elements that start a new line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "tbody"
            | "thead"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "caption"
            | "form"
            | "fieldset"
            | "address"
            | "center"
            | "hr"
            | "body"
            | "html"
            | "title"
    )
}

#[derive(Debug, Clone, Copy, Default)]
struct Frame {
    elem: usize,
    block: usize,
    row: Option<usize>,
    skip: bool,
    link: bool,
    /// The link (in `Doc::links`) whose text is being read.
    anchor: Option<usize>,
    /// The form (in `Doc::forms`) the element is in.
    form: Option<usize>,
    kind: Option<BlockKind>,
    title_candidate: bool,
    capture: Capture,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Capture {
    #[default]
    None,
    Title,
    JsonLd,
    /// A script: its text may set a publish date or write pagination links.
    Script,
}

/// Scripts shorter than this set no publish date and write no pagination.
const MIN_SCRIPT_BYTES: usize = 16;

/// A date part set in a block of its own (`18`, `2024-03`) is at most this long.
const DATE_PART_MAX_BYTES: usize = 16;

/// Script text read per script for dates and pagination: both sit near the top.
const SCRIPT_CAPTURE_BYTES: usize = 64 * 1024;

struct Walker {
    doc: Doc,
    stack: Vec<Frame>,
    line: String,
    /// The line holds something besides white space: kept as the text comes,
    /// so that the many lines of white space between tags are told without a scan.
    line_inked: bool,
    link_units: usize,
    captured: String,
    /// The first line of the block being read, and its link size so far.
    group: Option<usize>,
    hinter: Hinter,
    group_links: usize,
    /// Collect `<a href>`s.
    links: bool,
    /// Note each line's links and images (and collect links for them).
    media: bool,
    /// Links and images met since the last line: an image on a line of its
    /// own goes with the next line (its caption, most often).
    pending: Vec<Pending>,
    /// Dates from elements, waiting for the next line.
    stamps: Vec<Stamp>,
    /// The line being read holds text of a headline element (`<span
    /// class="title">` ended before the `<br>` that ends the line).
    line_title: bool,
    /// The fields a JCMS datastore's `<nextgroup>` carries, for a column
    /// whose `jpage` call gives none.
    nextgroup: Option<Vec<(String, String)>>,
    /// Lines that may still be made; past them, text joins the last line.
    lines_left: usize,
}

/// Lines made for any page, however small.
pub(crate) const MIN_LINES: usize = 20_000;
/// Page bytes per line made beyond [`MIN_LINES`]. A line costs about 600
/// bytes on its way through the pipeline (the walk's, the zoned and the
/// cleaned line, their text), so this keeps lines within three times the
/// page; the densest list pages of the evaluation sets run at one line in
/// 400 bytes.
pub(crate) const BYTES_PER_LINE: usize = 200;

/// The lines a page of `bytes` bytes may make.
pub(crate) fn line_budget(bytes: usize) -> usize {
    MIN_LINES.saturating_add(bytes / BYTES_PER_LINE)
}

/// A link (by its index in the page's links) or an image, not yet on a line.
enum Pending {
    Link(usize),
    Image { src: String, alt: String },
}

/// Walks the tree once, without recursion, so any nesting depth is safe.
/// With `links`, the page's `<a href>` and `<area href>` are collected too;
/// with `media`, each line notes its links and images. Past `max_lines`
/// lines, the text of each further line joins the last (a best effort on
/// markup too dense to hold as lines).
pub(crate) fn walk(tree: &Tree, links: bool, media: bool, max_lines: usize) -> Doc {
    let mut w = Walker {
        doc: Doc::default(),
        stack: Vec::new(),
        line: String::new(),
        line_inked: false,
        link_units: 0,
        captured: String::new(),
        group: None,
        hinter: Hinter::default(),
        group_links: 0,
        links: links || media,
        media,
        pending: Vec::new(),
        stamps: Vec::new(),
        line_title: false,
        nextgroup: None,
        lines_left: max_lines,
    };
    w.doc.elems.push(Elem::new(None, Hint::None));
    w.stack.push(Frame::default());
    tree.walk(|step| match step {
        Step::Open(el) => w.open(el),
        Step::Text(t) => w.text(t),
        Step::Close(name) => w.close(name),
    });
    w.end_block(Frame::default());
    // Dates after the last line ride on it.
    if let Some(last) = w.doc.lines.last_mut() {
        last.stamps.append(&mut w.stamps);
    }
    w.doc
}

impl Walker {
    fn top(&self) -> Frame {
        self.stack.last().copied().unwrap_or_default()
    }

    fn open(&mut self, el: El) {
        let name = el.name();
        let a = Attrs::of(el);
        let parent = self.top();
        if is_block(name) {
            self.end_block(parent);
        }
        let mut f = Frame { capture: Capture::None, ..parent };
        match name {
            "title" if self.doc.head.title.is_none() => f.capture = Capture::Title,
            "meta" => self.meta(el),
            "script" if a.kind.is_some_and(|t| t.contains("ld+json")) => f.capture = Capture::JsonLd,
            "script" => f.capture = Capture::Script,
            "html" if self.doc.head.lang.is_none() => {
                self.doc.head.lang = el.attr("lang").or_else(|| el.attr("xml:lang")).map(str::to_string);
            }
            "a" | "area" if self.links => f.anchor = self.anchor(a.href, a.onclick, parent.form),
            "form" if self.links => {
                let post = el.attr("method").is_some_and(|m| m.trim().eq_ignore_ascii_case("post"));
                let action = el.attr("action").map(str::to_string);
                self.doc.forms.push(Form { action, post, ..Form::default() });
                f.form = Some(self.doc.forms.len() - 1);
            }
            "input" if self.links => {
                if let Some(form) = parent.form.and_then(|i| self.doc.forms.get_mut(i)) {
                    form.input(a.kind, el.attr("name"), el.attr("value"), el.attr("checked").is_some());
                }
            }
            "link" if self.links && is_canonical_link(el) => {
                self.link(a.href, LinkKind::Canonical);
            }
            "iframe" | "frame" if self.links => {
                self.link(el.attr("src"), LinkKind::Frame);
            }
            "base" if self.links && self.doc.base.is_none() => self.doc.base = a.href.map(str::to_string),
            "link" if self.links && is_feed_link(el) => {
                self.link(a.href, LinkKind::Feed);
            }
            _ if self.links && a.onclick.is_some() => f.anchor = self.anchor(None, a.onclick, parent.form),
            _ => {}
        }
        let hint = self.hinter.hint(name, &a);
        // A CMS's article container may be hidden until a script shows it
        // (WeChat's `#js_content` is `visibility: hidden`): it is the article all the same.
        let invisible = a.style.is_some_and(|s| is_invisible(s, hint == Hint::Content));
        f.skip = parent.skip || is_skipped(name) || a.hidden || invisible;
        if !f.skip {
            self.stamps.extend(stamps::element(name, &a));
            if self.media {
                self.note_media(name, el, f.anchor);
            }
        }
        self.doc.elems.push(Elem::new(Some(parent.elem), hint));
        f.elem = self.doc.elems.len() - 1;
        if is_block(name) {
            f.block = f.elem;
        }
        f.link |= name == "a";
        f.title_candidate |= matches!(name, "h1" | "h2" | "h3") || hint == Hint::Title;
        f.kind = block_kind(name, hint).or(parent.kind);
        if name == "tr" {
            f.row = Some(f.elem);
        }
        self.stack.push(f);
        if name == "br" || name == "hr" {
            self.end_line(f);
        }
    }

    fn close(&mut self, name: &str) {
        let f = self.stack.pop().unwrap_or_default();
        match f.capture {
            Capture::Title => self.doc.head.title = Some(std::mem::take(&mut self.captured)),
            Capture::JsonLd => {
                let read = stamps::json_ld(&self.captured);
                self.doc.head.stamps.extend(read.stamps);
                self.doc.head.json_ld_headlines.extend(read.headline);
                self.captured.clear();
            }
            // Most scripts are empty (`src=`) or a line long: no variable set in them.
            Capture::Script if self.captured.len() < MIN_SCRIPT_BYTES => self.captured.clear(),
            Capture::Script => {
                self.doc.head.stamps.extend(stamps::script(&self.captured));
                if self.links {
                    self.script_links();
                }
                self.captured.clear();
            }
            Capture::None => {}
        }
        if is_block(name) {
            self.end_block(f);
        }
    }

    fn text(&mut self, t: &str) {
        let f = self.top();
        if f.capture == Capture::Script {
            if self.captured.len() < SCRIPT_CAPTURE_BYTES {
                self.captured.push_str(t);
            }
            return;
        }
        if f.capture != Capture::None {
            self.captured.push_str(t);
            return;
        }
        if let Some(link) = f.anchor.and_then(|k| self.doc.links.get_mut(k)) {
            link.text.push_str(t);
        }
        if f.skip {
            return;
        }
        if f.link {
            self.link_units += units(t);
        }
        let inked = !t.trim().is_empty();
        self.line_inked |= inked;
        // Digits of two elements that meet are two numbers, not one: a day
        // set apart from its year and month (`<b>18</b><i>2024-03</i>`).
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        if digit(self.line.chars().next_back()) && digit(t.chars().next()) {
            self.line.push(' ');
        }
        // A link's title (a related item's) is no headline.
        self.line_title |= f.title_candidate && !f.link && inked;
        self.line.push_str(t);
    }

    /// Notes a link or an image for the line being read.
    fn note_media(&mut self, name: &str, el: El, anchor: Option<usize>) {
        match name {
            "a" | "area" => self.pending.extend(anchor.map(Pending::Link)),
            "img" => {
                // Lazy-loading CMSs keep the real address in a data attribute.
                let src = ["data-src", "data-original", "data-echo", "src"].iter().find_map(|k| el.attr(k));
                let src = src.map(str::trim).filter(|s| !s.is_empty() && !s.starts_with("data:"));
                if let Some(src) = src {
                    let alt = el.attr("alt").unwrap_or_default().trim().to_string();
                    self.pending.push(Pending::Image { src: src.to_string(), alt });
                }
            }
            _ => {}
        }
    }

    /// The line's links and images, its anchors' text as read so far.
    fn take_media(&mut self) -> Vec<Media> {
        let pending = std::mem::take(&mut self.pending);
        let links = &self.doc.links;
        pending
            .into_iter()
            .filter_map(|p| match p {
                // A pager's call is no link of the article's.
                Pending::Link(i) => links
                    .get(i)
                    .filter(|l| l.submit.is_none())
                    .map(|l| Media::Link { href: l.href.clone(), text: squash_space(&l.text) }),
                Pending::Image { src, alt } => Some(Media::Image { src, alt }),
            })
            .collect()
    }

    /// Starts a link; an anchor's text is read as the walk goes on.
    fn link(&mut self, href: Option<&str>, kind: LinkKind) -> Option<usize> {
        self.doc.links.push(RawLink::new(href?, kind));
        Some(self.doc.links.len() - 1)
    }

    /// An anchor, or an element with a handler: a plain link, an address a
    /// script opens, or a pager's call (`__doPostBack`, `goPage`). The
    /// link whose text the element's text is comes back.
    fn anchor(&mut self, href: Option<&str>, onclick: Option<&str>, form: Option<usize>) -> Option<usize> {
        let scripted = href.filter(|h| h.trim_start().get(..11).is_some_and(|s| s.eq_ignore_ascii_case("javascript:")));
        let plain = href.filter(|h| scripted.is_none() && !h.trim().is_empty() && h.trim() != "#");
        let plain = plain.and_then(|h| self.link(Some(h), LinkKind::Anchor));
        let call = scripted.or(onclick).and_then(scripted::call);
        let called = match call {
            None => None,
            Some(Call::Open(target)) => self.link(Some(&target), LinkKind::Scripted),
            Some(Call::PostBack { target, argument }) => {
                let form = form?;
                let submit = Submit::PostBack { form, target, argument };
                self.doc.links.push(RawLink { submit: Some(submit), ..RawLink::new("", LinkKind::Postback) });
                Some(self.doc.links.len() - 1)
            }
            Some(Call::Page(page)) => {
                let submit = Submit::Page { form, page };
                self.doc.links.push(RawLink { submit: Some(submit), ..RawLink::new("", LinkKind::Postback) });
                Some(self.doc.links.len() - 1)
            }
        };
        // The text reads as the call's when the anchor itself goes nowhere.
        if href.is_some() && plain.is_some() { plain } else { called.or(plain) }
    }

    /// Links a script gives: pages its pagination writes, anchors written
    /// inside it (`document.write`, a datastore's records), a JCMS column's
    /// further groups asked from its endpoint.
    fn script_links(&mut self) {
        for href in script_pages(&self.captured) {
            self.doc.links.push(RawLink::new(href, LinkKind::Script));
        }
        for (href, text) in scripted::markup_links(&self.captured) {
            self.doc.links.push(RawLink { text, ..RawLink::new(href, LinkKind::Scripted) });
        }
        if self.captured.contains("<datastore") {
            self.nextgroup = scripted::nextgroup_fields(&self.captured).or(self.nextgroup.take());
        }
        if let Some(mut jpage) = scripted::jpage(&self.captured) {
            if jpage.fields.is_empty() {
                jpage.fields = self.nextgroup.clone().unwrap_or_default();
            }
            for (href, body) in scripted::endpoint_requests(&jpage) {
                let post = Post { selects: body.clone(), body };
                self.doc
                    .links
                    .push(RawLink { submit: Some(Submit::Body(post)), ..RawLink::new(href, LinkKind::Endpoint) });
            }
        }
    }

    fn meta(&mut self, el: El) {
        if self.links
            && el.attr("http-equiv").is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh"))
            && let Some(target) = el.attr("content").and_then(refresh_target)
        {
            self.doc.links.push(RawLink::new(target, LinkKind::Refresh));
        }
        let key = el.attr("property").or_else(|| el.attr("name")).or_else(|| el.attr("itemprop"));
        if let (Some(k), Some(v)) = (key, el.attr("content")) {
            let key = k.trim().to_ascii_lowercase();
            self.doc.head.stamps.extend(stamps::meta(&key, v.trim()));
            self.doc.head.metas.push((key, v.trim().to_string()));
        }
    }

    /// Ends the current line and the block it is in; the block's lines
    /// (split by `<br>`) are scored together, as one paragraph.
    fn end_block(&mut self, f: Frame) {
        self.end_line(f);
        let Some(first) = self.group.take() else { return };
        let links = std::mem::take(&mut self.group_links);
        let group = self.doc.lines.get(first..).unwrap_or_default();
        let Some(head) = group.first() else { return };
        let m = group.iter().skip(1).fold(head.measure, |m, l| m.then(l.measure));
        if let Some(l) = self.doc.lines.get_mut(first) {
            l.block = Some((m, links));
        }
    }

    /// Ends the current line (at a `<br>` or a block boundary).
    fn end_line(&mut self, f: Frame) {
        let link_units = std::mem::take(&mut self.link_units);
        let title_candidate = std::mem::take(&mut self.line_title) || f.title_candidate;
        if !std::mem::take(&mut self.line_inked) {
            self.line.clear();
            return;
        }
        if self.lines_left == 0
            && let Some(last) = self.doc.lines.last_mut()
        {
            last.text.push(' ');
            last.text.push_str(&self.line);
            last.measure = last.measure.then(measure(&self.line));
            last.link_units += link_units;
            last.stamps.append(&mut self.stamps);
            self.line.clear();
            return;
        }
        self.lines_left = self.lines_left.saturating_sub(1);
        // One allocation of the line's size; the buffer keeps its capacity for the next line,
        // where taking it would regrow a new one by doubling for every line.
        let text = self.line.as_str().to_owned();
        self.line.clear();
        if self.joins_date_part(&text, link_units, f.row)
            && let Some(last) = self.doc.lines.last_mut()
        {
            last.text.push(' ');
            last.text.push_str(&text);
            last.measure = last.measure.then(measure(&text));
            last.stamps.append(&mut self.stamps);
            return;
        }
        let measure = measure(&text);
        if self.group.is_none() {
            self.group = Some(self.doc.lines.len());
        }
        self.group_links += link_units;
        let media = if self.pending.is_empty() { Vec::new() } else { self.take_media() };
        self.doc.lines.push(DomLine {
            text,
            kind: f.kind.unwrap_or(BlockKind::Paragraph),
            elem: f.block,
            row: f.row,
            link_units,
            measure,
            title_candidate,
            block: None,
            chrome: false,
            stamps: std::mem::take(&mut self.stamps),
            media,
        });
    }
}

impl Walker {
    /// A date set in two blocks, the day in one and the year and month in
    /// the next (`<p>18</p><p>2024-03</p>`), is read as one line: both lines
    /// are bare date parts, not links or table cells, and exactly one holds
    /// the year.
    fn joins_date_part(&self, text: &str, link_units: usize, row: Option<usize>) -> bool {
        let Some(last) = self.doc.lines.last() else { return false };
        let plain = link_units == 0 && row.is_none() && self.pending.is_empty();
        let last_plain = last.link_units == 0 && last.row.is_none() && last.media.is_empty();
        plain && last_plain && is_date_part(text) && is_date_part(&last.text) && has_year(text) != has_year(&last.text)
    }
}

/// A short text of digits and date separators only (`18`, `2024-03`, `03月18日`).
fn is_date_part(text: &str) -> bool {
    let t = text.trim();
    t.len() <= DATE_PART_MAX_BYTES
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '/' | '.' | '年' | '月' | '日'))
}

/// Holds a year from 1900 to 2099.
fn has_year(text: &str) -> bool {
    text.as_bytes().windows(4).any(is_year)
}

fn block_kind(name: &str, hint: Hint) -> Option<BlockKind> {
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(BlockKind::Heading),
        "li" | "dd" => Some(BlockKind::ListItem),
        "figcaption" | "caption" => Some(BlockKind::Caption),
        "blockquote" => Some(BlockKind::Quote),
        "td" | "th" => Some(BlockKind::Table),
        "p" | "div" if hint == Hint::Caption => Some(BlockKind::Caption),
        _ => None,
    }
}

/// An inline style that hides the element; `visibility: hidden` is not
/// believed of an article container (`content`), which scripts reveal.
fn is_invisible(style: &str, content: bool) -> bool {
    // Most styles hide nothing: told without lowering a copy of each.
    let holds = |word: &str| style.as_bytes().windows(word.len()).any(|w| w.eq_ignore_ascii_case(word.as_bytes()));
    if !holds("none") && (content || !holds("hidden")) {
        return false;
    }
    let s = style.to_ascii_lowercase();
    // `display : none` with any white space around the colon.
    let says = |prop: &str, value: &str| {
        s.match_indices(prop).any(|(i, _)| {
            let rest = s.get(i + prop.len()..).unwrap_or_default().trim_start();
            rest.strip_prefix(':').is_some_and(|r| r.trim_start().starts_with(value))
        })
    };
    says("display", "none") || !content && says("visibility", "hidden")
}

/// `<link rel="canonical">`: the address the page names as its own.
fn is_canonical_link(el: El) -> bool {
    el.attr("rel").is_some_and(|r| r.split_ascii_whitespace().any(|w| w.eq_ignore_ascii_case("canonical")))
}

/// `<link rel="alternate" type="application/rss+xml">` (or Atom): the page's feed.
fn is_feed_link(el: El) -> bool {
    let alternate =
        el.attr("rel").is_some_and(|r| r.split_ascii_whitespace().any(|w| w.eq_ignore_ascii_case("alternate")));
    let feed_type = el.attr("type").is_some_and(|t| {
        let t = t.trim().to_ascii_lowercase();
        t == "application/rss+xml" || t == "application/atom+xml" || t == "application/feed+json"
    });
    alternate && feed_type
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::parse::parse;

    #[test]
    fn past_the_line_budget_text_joins_the_last_line() {
        let page: String = (0..10).map(|i| format!("<p>第{i}段</p>")).collect();
        let lines = walk(&parse(&page, None).tree, false, false, 3).lines;
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["第0段", "第1段", "第2段 第3段 第4段 第5段 第6段 第7段 第8段 第9段"]);
        assert_eq!(lines[2].measure.units, measure(texts[2]).units);
    }
}
