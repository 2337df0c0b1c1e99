//! Parsing: html5ever's tokenizer and tree builder into the compact
//! [`Tree`], the arena sized once, and the work bounded on any input.
//!
//! html5ever does quadratic work on two kinds of hostile markup: its scope
//! checks walk the stack of open elements, so every tag of a page nested
//! 100,000 deep costs 100,000 steps; and its tokenizer compares each new
//! attribute with every earlier one of the tag, so one tag of 80,000
//! attributes costs billions of steps. Two bounds make the work linear:
//!
//! - **[`MAX_DEPTH`]**: start tags that would nest deeper (counting the
//!   elements whose end tag the page must write) are dropped, with their
//!   matching end tags; their text stays, in the deepest element kept.
//! - **[`MAX_ATTRIBUTES`]**: a tag with more attributes is cut after that
//!   many before the tokenizer sees it ([`bound_attributes`]); the tags
//!   read without the tokenizer ([`lex`]) have a few dozen at most.
//!
//! Memory is bounded too: a node costs about 150 bytes from parsing to the
//! pipeline's lines (a tree node, the walk's element, a share of a line), so
//! markup denser than a node every 15 bytes would cost over ten times the
//! page. Two rules keep it under:
//!
//! - **Runs of `<br>`** (without attributes, white space between) are read
//!   as one: the walk ends a line at a `<br>` and drops empty lines, so the
//!   rest change nothing.
//! - **[`MIN_ELEMENTS`] + page bytes / [`BYTES_PER_ELEMENT`]** elements are
//!   built; past them the page's tags are dropped and its text kept (a
//!   dropped block's start is read as a line break, raw text as
//!   `<script>`'s is skipped as the walk would), a best effort that no
//!   page of the evaluation sets comes near.
//!
//! A deadline, when given, is checked as tokens arrive; past it the rest of
//! the page is not built.
//!
//! **Most of the page is read without html5ever's tokenizer.** It reads a
//! character at a time, pushing each onto the name or value being built,
//! and style sheets and scripts a line at a time: on the evaluation sets
//! it was two thirds of the parse. The driver ([`Driver`]) reads plain
//! tags, text, comments and character references itself ([`lex`]), and
//! the text of scripts and raw-text elements up to their end tag
//! ([`lex::script_end`], [`lex::raw_end`]); it hands the tree builder the
//! tokens the tokenizer would have made, and gives the tokenizer the rest
//! (doctypes, `<title>`, odd tags) a segment at a time. The tree is the
//! tokenizer's own, which tests hold to scraper's on every evaluation page
//! and on generated pages, but for one difference made on purpose: a
//! `<style>` has no text (nothing reads a style sheet).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::time::Instant;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use html5ever::tree_builder::{TreeBuilder, TreeSink};
use html5ever::{LocalName, TokenizerResult, local_name};

use super::lex::{self, MAX_ATTRIBUTES, Piece};
use super::tree::{Sink, Tree};

/// Elements nested deeper than this are flattened into their deepest kept ancestor.
pub(crate) const MAX_DEPTH: usize = 512;
/// A segment for the tokenizer shorter than this cannot hold more than
/// [`MAX_ATTRIBUTES`] attributes (each takes two bytes at least).
const MIN_FLOOD_BYTES: usize = 2 * MAX_ATTRIBUTES;
/// Pages are read up to here (a tendril's offsets are 32-bit): far past
/// any size limit the extractor is given.
const MAX_PAGE_BYTES: usize = u32::MAX as usize;
/// Tokens between two looks at the clock.
const TOKENS_PER_CLOCK: u32 = 1024;
/// Elements built for any page, however small (a few MB at most).
pub(crate) const MIN_ELEMENTS: usize = 20_000;
/// Page bytes per element built beyond [`MIN_ELEMENTS`]: at about 150
/// bytes an element from parsing to the lines, ten times the page at most.
/// Real pages run at 30 to 60 bytes an element.
pub(crate) const BYTES_PER_ELEMENT: usize = 32;

/// The page's tree, and whether the deadline or the element budget cut it short.
pub(crate) struct Parsed {
    pub tree: Tree,
    pub timed_out: bool,
    /// Start tags dropped past the element budget.
    pub flattened: usize,
}

/// Parses a page as scraper's `Html::parse_document` does, within the bounds above.
pub(crate) fn parse(html: &str, deadline: Option<Instant>) -> Parsed {
    let html = clip(html);
    let builder = TreeBuilder::new(Sink::new(Tree::new()), Default::default());
    let budget = MIN_ELEMENTS.saturating_add(html.len() / BYTES_PER_ELEMENT);
    let driver = Driver {
        tokenizer: Tokenizer::new(Bounded::new(builder, deadline, budget), Default::default()),
        input: BufferQueue::default(),
        page: StrTendril::from_slice(html),
    };
    driver.run();
    let Bounded { inner, timed_out, flattened, .. } = driver.tokenizer.sink;
    Parsed { tree: inner.sink.finish(), timed_out: timed_out.get(), flattened: flattened.get() }
}

/// The page up to [`MAX_PAGE_BYTES`] (a tendril's offsets are 32-bit).
fn clip(html: &str) -> &str {
    let mut end = html.len().min(MAX_PAGE_BYTES);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    html.get(..end).unwrap_or_default()
}

/// Reads the page piece by piece: plain tags and text itself
/// ([`lex::simple`]), raw text itself, the rest through html5ever's tokenizer.
struct Driver<S> {
    tokenizer: Tokenizer<Bounded<S>>,
    /// The tokenizer's input: a segment of the page at a time.
    input: BufferQueue,
    /// The page, whose buffer the tokens' text shares.
    page: StrTendril,
}

impl<S: TokenSink<Handle: Default>> Driver<S> {
    fn run(&self) {
        let len = self.page.len();
        // The tokenizer drops a byte-order mark at the page's start.
        let mut at = if self.page.starts_with('\u{FEFF}') { 3 } else { 0 };
        while at < len {
            let sink = &self.tokenizer.sink;
            if sink.timed_out.get() {
                break;
            }
            // Past the element budget, raw text is skipped by the tokenizer's
            // states, which only the tokenizer keeps: the rest is its own.
            if sink.budget.get() == 0 {
                self.tokenize(at, len);
                break;
            }
            let next = match lex::simple(&self.page, at) {
                Some(Piece::Text(end)) => {
                    if let Some(text) = self.text(at, end) {
                        let _ = sink.process_token(Token::CharacterTokens(text), 0);
                    }
                    end
                }
                Some(Piece::Comment(end)) => {
                    // The tree keeps no comment's text: the piece's bytes do.
                    if let Some(text) = lex::slice(&self.page, at, end) {
                        let _ = sink.process_token(Token::CommentToken(text), 0);
                    }
                    end
                }
                Some(Piece::Tag(tag, end)) => self.tag(tag, end),
                None => {
                    let foreign = sink.adjusted_current_node_present_but_not_in_html_namespace();
                    self.tokenize(at, lex::segment_end(self.page.as_bytes(), at, foreign))
                }
            };
            // Every piece is a byte long at least; were one not, the
            // tokenizer would read the rest rather than the loop spin.
            if next <= at {
                self.tokenize(at, len);
                break;
            }
            at = next;
        }
        self.tokenizer.end();
    }

    /// The page's text `from..to` as the tokenizer hands it on: sharing the
    /// page's buffer unless a reference or a CR is to be replaced.
    fn text(&self, from: usize, to: usize) -> Option<StrTendril> {
        let text = self.page.get(from..to)?;
        if lex::is_escaped(text) {
            Some(StrTendril::from(lex::unescape(text, false)))
        } else {
            lex::slice(&self.page, from, to)
        }
    }

    /// Raw text (a script's, say) as the tokenizer hands it on: no
    /// references, but a CR as a line feed and a NUL as U+FFFD.
    fn raw(&self, from: usize, to: usize) -> Option<StrTendril> {
        let text = self.page.get(from..to)?;
        if needs_preprocessing(text) { Some(preprocess(text)) } else { lex::slice(&self.page, from, to) }
    }

    /// Hands a plain tag to the tree builder; where reading goes on.
    fn tag(&self, tag: Tag, end: usize) -> usize {
        let sink = &self.tokenizer.sink;
        // The tree builder reads a script or raw text (`Bounded` pauses: a
        // tag read here never leaves the tokenizer behind in another state).
        let _ = sink.process_token(Token::TagToken(tag), 0);
        match sink.raw.take() {
            Some(raw) => self.raw_text(&raw, end),
            None => end,
        }
    }

    /// Hands the tree builder the text of the raw-text element whose start
    /// tag ends at `at`, unless nothing reads it; where its end tag starts.
    fn raw_text(&self, raw: &RawStart, at: usize) -> usize {
        let len = raw.text_len(self.page.as_bytes().get(at..).unwrap_or_default());
        if raw.is_read()
            && len > 0
            && let Some(text) = self.raw(at, at + len)
        {
            let _ = self.tokenizer.sink.process_token(Token::CharacterTokens(text), 0);
        }
        at + len
    }

    /// Feeds the tokenizer the page's bytes `from..to`, a segment at whose
    /// end it is in its data state; where reading goes on.
    fn tokenize(&self, from: usize, to: usize) -> usize {
        let sink = &self.tokenizer.sink;
        let Some(segment) = lex::slice(&self.page, from, to) else { return to };
        // A tag of a great many attributes costs the tokenizer their square
        // (a short segment cannot hold that many: it is not read again).
        let segment = match (to - from > MIN_FLOOD_BYTES).then(|| bound_attributes(&segment)) {
            Some(Cow::Owned(bounded)) => StrTendril::from(bounded),
            _ => segment,
        };
        self.input.push_back(segment);
        loop {
            match self.tokenizer.feed(&self.input) {
                TokenizerResult::Done => break,
                // Scripts and encoding indicators pause the tokenizer, which
                // is not acted on; so does a raw-text element (`Bounded`),
                // whose text is read here.
                TokenizerResult::Script(_) | TokenizerResult::EncodingIndicator(_) => {
                    if let Some(raw) = sink.raw.take() {
                        // The rest of the segment follows the element's start
                        // tag: the page's bytes, even in a segment whose
                        // tag was cut (a segment ends with its one tag).
                        let queued: usize = std::iter::from_fn(|| self.input.pop_front()).map(|t| t.len()).sum();
                        return self.raw_text(&raw, to.saturating_sub(queued));
                    }
                }
            }
        }
        // After `<title>` or `<textarea>` the tokenizer reads the text itself
        // (character references in it), up to the end tag's end.
        if let Some(name) = sink.rcdata.take() {
            let b = self.page.as_bytes();
            let close = lex::raw_end(b, to, name.as_bytes());
            return self.tokenize(to, lex::segment_end(b, close, false));
        }
        if sink.plaintext.get() && to < self.page.len() {
            return self.tokenize(to, self.page.len());
        }
        to
    }
}

/// A raw-text element's start, at which the tokenizer paused.
#[derive(Debug)]
struct RawStart {
    name: LocalName,
    kind: RawKind,
}

impl RawStart {
    /// How many bytes of `rest` are the element's text, up to its end tag or the page's end.
    fn text_len(&self, rest: &[u8]) -> usize {
        match self.kind {
            RawKind::ScriptData => lex::script_end(rest),
            _ => lex::raw_end(rest, 0, self.name.as_bytes()),
        }
    }

    /// Whether the text goes into the tree: a style sheet's does not, as nothing reads it.
    fn is_read(&self) -> bool {
        self.name != local_name!("style")
    }
}

/// Whether the tokenizer would change the text: a CR or a NUL.
fn needs_preprocessing(text: &str) -> bool {
    memchr::memchr2(b'\r', 0, text.as_bytes()).is_some()
}

/// Raw text as the tokenizer hands it on: line breaks as `\n`, NUL as U+FFFD
/// (for text that [`needs_preprocessing`]; other text shares the page's buffer).
fn preprocess(text: &str) -> StrTendril {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    StrTendril::from(out)
}

/// Passes tokens on to the tree builder, dropping start tags past
/// [`MAX_DEPTH`] (and their end tags), repeated `<br>`s, every tag past the
/// element budget, and every token past the deadline.
struct Bounded<S> {
    inner: S,
    /// Open elements whose end tag is required, by the tags seen so far.
    depth: Cell<usize>,
    /// Names of the start tags dropped and not yet closed, innermost last.
    dropped: RefCell<Vec<LocalName>>,
    deadline: Option<Instant>,
    /// Tokens seen, whatever became of them.
    seen: Cell<u32>,
    timed_out: Cell<bool>,
    /// Start tags that may still be built.
    budget: Cell<usize>,
    /// Start tags dropped past the budget.
    flattened: Cell<usize>,
    /// The raw-text element dropped past the budget whose text is being skipped.
    skipping: RefCell<Option<LocalName>>,
    /// The last tag was a `<br>`, and only white space came after it.
    after_break: Cell<bool>,
    /// The raw-text element just opened, its text left to the driver: the
    /// tokenizer is paused.
    raw: RefCell<Option<RawStart>>,
    /// The `<title>` or `<textarea>` just opened: the tokenizer reads its
    /// text (RCDATA) up to the end tag.
    rcdata: RefCell<Option<LocalName>>,
    /// A `<plaintext>` was opened: the rest of the page is its text.
    plaintext: Cell<bool>,
}

impl<S> Bounded<S> {
    fn new(inner: S, deadline: Option<Instant>, budget: usize) -> Self {
        Bounded {
            inner,
            depth: Cell::new(0),
            dropped: RefCell::new(Vec::new()),
            deadline,
            seen: Cell::new(0),
            timed_out: Cell::new(false),
            budget: Cell::new(budget),
            flattened: Cell::new(0),
            skipping: RefCell::new(None),
            after_break: Cell::new(false),
            raw: RefCell::new(None),
            rcdata: RefCell::new(None),
            plaintext: Cell::new(false),
        }
    }

    /// A `<br>` right after another: the walk would make nothing of it
    /// (`</br>` is a `<br>` to the tree builder).
    #[inline]
    fn repeats_break(&self, tag: &Tag) -> bool {
        let is_break = tag.name == local_name!("br") && tag.attrs.is_empty();
        let repeated = is_break && self.after_break.get();
        self.after_break.set(is_break);
        repeated
    }

    /// Past the budget, what becomes of a tag: nothing, but a block's start
    /// is a line break and a raw-text element's text is skipped.
    fn flatten(&self, tag: &Tag) -> Flat {
        let mut skipping = self.skipping.borrow_mut();
        if tag.kind == TagKind::EndTag {
            if skipping.as_ref() == Some(&tag.name) {
                *skipping = None;
            }
            return Flat::Drop;
        }
        self.flattened.set(self.flattened.get() + 1);
        if let Some(kind) = raw_kind(&tag.name).filter(|_| !tag.self_closing) {
            *skipping = Some(tag.name.clone());
            return Flat::Raw(kind);
        }
        if is_phrasing(&tag.name) { Flat::Drop } else { Flat::Break }
    }

    #[inline]
    /// Counts a token; true once the deadline has passed (the clock is read every so many tokens).
    fn late(&self) -> bool {
        let n = self.seen.get().wrapping_add(1);
        self.seen.set(n);
        let Some(deadline) = self.deadline else { return false };
        if !self.timed_out.get() && n.is_multiple_of(TOKENS_PER_CLOCK) && Instant::now() > deadline {
            self.timed_out.set(true);
        }
        self.timed_out.get()
    }

    /// Whether the tag is passed on, keeping the depth count.
    #[inline]
    fn admit(&self, tag: &Tag) -> bool {
        if !nests(&tag.name) || tag.self_closing {
            return true;
        }
        match tag.kind {
            TagKind::StartTag if self.depth.get() >= MAX_DEPTH => {
                self.dropped.borrow_mut().push(tag.name.clone());
                false
            }
            TagKind::StartTag => {
                self.depth.set(self.depth.get() + 1);
                true
            }
            TagKind::EndTag => {
                let mut dropped = self.dropped.borrow_mut();
                if dropped.last() == Some(&tag.name) {
                    dropped.pop();
                    return false;
                }
                self.depth.set(self.depth.get().saturating_sub(1));
                true
            }
        }
    }
}

/// What becomes of a tag past the element budget.
enum Flat {
    Drop,
    /// A line break in its place.
    Break,
    /// The tokenizer reads the element's text as raw text, which is skipped.
    Raw(RawKind),
}

impl<S: TokenSink<Handle: Default>> TokenSink for Bounded<S> {
    type Handle = S::Handle;

    #[inline]
    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<S::Handle> {
        if self.late() {
            return TokenSinkResult::Continue;
        }
        let mut raw_start = None;
        match &token {
            Token::TagToken(tag) => {
                if tag.kind == TagKind::StartTag && raw_kind(&tag.name).is_some() {
                    raw_start = Some(tag.name.clone());
                }
                if self.repeats_break(tag) || !self.admit(tag) {
                    return TokenSinkResult::Continue;
                }
                if self.budget.get() == 0 {
                    return match self.flatten(tag) {
                        Flat::Drop => TokenSinkResult::Continue,
                        Flat::Break => {
                            self.inner.process_token(Token::CharacterTokens(StrTendril::from("\n")), line_number)
                        }
                        Flat::Raw(kind) => TokenSinkResult::RawData(kind),
                    };
                }
                if tag.kind == TagKind::StartTag {
                    self.budget.set(self.budget.get() - 1);
                }
            }
            Token::CharacterTokens(text) => {
                if self.skipping.borrow().is_some() {
                    return TokenSinkResult::Continue;
                }
                // Read only after a `<br>`: most text follows no break.
                if self.after_break.get() && !text.trim().is_empty() {
                    self.after_break.set(false);
                }
            }
            Token::CommentToken(_) => {}
            _ => self.after_break.set(false),
        }
        let result = self.inner.process_token(token, line_number);
        // The tree builder read the element as raw text or a script (not as
        // an SVG element, say): the tokenizer pauses (`Script` leaves it in
        // the data state) and the driver reads the text up to the end tag,
        // sparing the tokenizer's byte-at-a-time scan, line by line, of style
        // sheets and scripts: a third to a half of a page's bytes.
        match (raw_start, &result) {
            (Some(name), TokenSinkResult::RawData(kind @ (RawKind::Rawtext | RawKind::ScriptData))) => {
                *self.raw.borrow_mut() = Some(RawStart { name, kind: *kind });
                return TokenSinkResult::Script(S::Handle::default());
            }
            (Some(name), TokenSinkResult::RawData(RawKind::Rcdata)) => *self.rcdata.borrow_mut() = Some(name),
            (_, TokenSinkResult::Plaintext) => self.plaintext.set(true),
            _ => {}
        }
        result
    }

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner.adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Elements that can nest without bound: not void, not closed implicitly by
/// their next sibling (`<p>`, `<li>`, `<td>`… cannot pile up), and not
/// holding raw text (the tokenizer must see `<script>` to read its content as text).
#[inline]
fn nests(name: &LocalName) -> bool {
    // The commonest tags first: each arm is a comparison, and most tags are these.
    match *name {
        local_name!("div") | local_name!("a") | local_name!("span") => return true,
        local_name!("p") | local_name!("li") | local_name!("td") | local_name!("br") | local_name!("img") => {
            return false;
        }
        _ => {}
    }
    !matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
            | local_name!("p")
            | local_name!("li")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("thead")
            | local_name!("tbody")
            | local_name!("tfoot")
            | local_name!("option")
            | local_name!("optgroup")
            | local_name!("rb")
            | local_name!("rt")
            | local_name!("rp")
            | local_name!("html")
            | local_name!("head")
            | local_name!("body")
            | local_name!("script")
            | local_name!("style")
            | local_name!("textarea")
            | local_name!("title")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("noscript")
            | local_name!("plaintext")
    )
}

/// How the tokenizer reads the text of an element it holds as raw text
/// (as html5ever's tree builder tells it to, scripting on).
fn raw_kind(name: &LocalName) -> Option<RawKind> {
    match *name {
        local_name!("script") => Some(RawKind::ScriptData),
        local_name!("title") | local_name!("textarea") => Some(RawKind::Rcdata),
        local_name!("style")
        | local_name!("xmp")
        | local_name!("iframe")
        | local_name!("noembed")
        | local_name!("noframes")
        | local_name!("noscript") => Some(RawKind::Rawtext),
        _ => None,
    }
}

/// Inline elements: dropped past the budget without a line break.
fn is_phrasing(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("a")
            | local_name!("span")
            | local_name!("b")
            | local_name!("i")
            | local_name!("em")
            | local_name!("strong")
            | local_name!("font")
            | local_name!("u")
            | local_name!("small")
            | local_name!("sub")
            | local_name!("sup")
            | local_name!("code")
            | local_name!("img")
            | local_name!("wbr")
    )
}

/// The page with every tag of more than [`MAX_ATTRIBUTES`] attributes cut
/// after that many; the page itself (no copy) when there is none.
///
/// It reads the page as the tokenizer does, as far as tag boundaries go:
/// comments, `<!…>` and `<?…>` declarations, raw text (`<script>`,
/// `<style>`, `<textarea>`, `<title>`…) up to its end tag, and attributes
/// with quoted or unquoted values.
pub(crate) fn bound_attributes(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(lt) = memchr::memchr(b'<', bytes.get(at..).unwrap_or_default()) {
        let start = at + lt;
        at = match bytes.get(start + 1) {
            Some(b) if b.is_ascii_alphabetic() => {
                let tag = lex::read_tag(bytes, start + 1);
                cuts.extend(tag.cut.map(|cut| (cut, tag.end)));
                lex::raw_text_end(bytes, &tag).unwrap_or(tag.end)
            }
            Some(b'/') if bytes.get(start + 2).is_some_and(u8::is_ascii_alphabetic) => {
                let tag = lex::read_tag(bytes, start + 2);
                cuts.extend(tag.cut.map(|cut| (cut, tag.end)));
                tag.end
            }
            Some(b'!') if bytes.get(start + 2..start + 4) == Some(b"--") => lex::comment_end(bytes, start + 4),
            Some(b'!' | b'?') => {
                memchr::memchr(b'>', bytes.get(start..).unwrap_or_default()).map_or(bytes.len(), |i| start + i + 1)
            }
            _ => start + 1,
        };
    }
    if cuts.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (cut, end) in cuts {
        // Cuts and ends fall on ASCII bytes (white space, a quote, `>`), so on char boundaries.
        out.push_str(html.get(from..cut).unwrap_or_default());
        out.push('>');
        from = end;
    }
    out.push_str(html.get(from..).unwrap_or_default());
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::super::tree::Step;
    use super::super::tree::testing::{one_break_a_run, scraper_steps, steps};
    use super::*;

    fn tree(html: &str) -> Tree {
        parse(html, None).tree
    }

    /// The deepest nesting of elements, the text, and the `<p>`s that are children of `<body>`.
    fn shape(tree: &Tree) -> (usize, String, usize) {
        let (mut stack, mut deepest, mut text, mut body_ps) = (Vec::new(), 0, String::new(), 0);
        tree.walk(|step| match step {
            Step::Open(el) => {
                body_ps += usize::from(el.name() == "p" && stack.last() == Some(&"body"));
                stack.push(el.name());
                deepest = deepest.max(stack.len());
            }
            Step::Text(t) => text.push_str(t),
            Step::Close(_) => drop(stack.pop()),
        });
        (deepest, text, body_ps)
    }

    #[test]
    fn parses_the_same_tree_as_scraper() {
        for page in [
            "",
            "纯文本,没有标签。",
            "<table><tr><td>implied tbody<td>两格</table><p>unclosed <b>bold <i>nest</p>",
            "<!doctype html><html><head><title>t</title><!-- note --></head><body><br/><p>a<p>b</body>",
            "<<<>>> < p>not a tag</p><script>if (a < b) {}</script>",
            "<div title=\"a>b\" data-x='<p>'>引号里的尖括号</div><ul><li>一<li>二</ul>",
            // Foster parenting, the adoption agency, templates, foreign content, attributes added to <body>.
            "<table>前<tr>中<td>格</td></tr>后</table><b>1<p>2</b>3</p><a>x<div>y</a>z</div>",
            "<template><p>模板</p></template><svg><a xlink:href=\"#a\">s</a></svg><math><mi>x</mi></math>",
            "<body z=1 a=2><p>一</p><body b=3 a=9><p>二</p><form><input name=q></form>",
        ] {
            assert_eq!(steps(&tree(page)), scraper_steps(page), "{page}");
        }
    }

    #[test]
    fn style_sheets_are_skipped_to_their_end_tag_as_the_tokenizer_finds_it() {
        let long = format!("<style>{}</style><p>after</p>", "p { color: red }\n".repeat(3000));
        let straddling = format!("{}<style>a{{}}</style><p>后</p>", "x&amp;".repeat(3000));
        for page in [
            "<style>p { color: red } </p> <b>not a tag</b></style><p>正文</p>",
            "<STYLE type=text/css>a{}</STYLE ><p>一</p><style>b{}</style/><p>二</p>",
            "<style>a::after { content: '</stylex>' }</style><p>still the sheet above</p>",
            "<style>a{}</style\r\n><p>CR before the end</p>",
            "<p>前</p><style>never closed </style",
            "<table><style>td{}</style><tr><td>格</td></tr></table>",
            // In SVG, <style> is an element like another: its text is read.
            "<svg><style>circle { fill: red }</style></svg><p>后</p>",
            // Inside <noscript> (raw text itself), "<style>" is text.
            "<noscript><style>a</style><p>x</p></noscript><style></style>",
            &long,
            &straddling,
        ] {
            let ours = steps(&tree(page));
            assert_eq!(ours, scraper_steps(page), "{page}");
            assert!(!ours.contains("{}"), "{ours}");
        }
        assert!(steps(&tree("<svg><style>circle{}</style></svg>")).contains("circle{}"));
    }

    #[test]
    fn scripts_end_where_the_tokenizer_ends_them() {
        for page in [
            "<script>document.write('<p>' + x + '</p>')</script><p>正文</p>",
            "<script>var s = '</scriptx>'; a < b && c > d</SCRIPT\t><p>一</p>",
            // Inside <!-- -->, a <script> hides the next </script>.
            "<script><!-- document.write('<script>x()</script>') --></script><p>二</p>",
            "<script><!--<script></script>--></script><p>still inside</p></script><p>三</p>",
            "<script><!--></script><p>四</p>",
            "<script>a\r\nb\rc\0d</script>",
            "<p>前</p><script>never closed </script",
            "<svg><script>x</script></svg><xmp><b>字</b></xmp><iframe><p>i</p></iframe>",
        ] {
            assert_eq!(steps(&tree(page)), scraper_steps(page), "{page}");
        }
    }

    proptest::proptest! {
        /// The driver's reading of raw text and scripts (`script_end`,
        /// `raw_end`, `preprocess`) against html5ever's own tokenizer, on
        /// pages made of the pieces that move its states.
        #[test]
        fn raw_text_reads_as_the_tokenizer_reads_it(pieces in proptest::collection::vec(proptest::sample::select(&[
            "<script>", "</script>", "</SCRIPT ", "<script ", "<!--", "-->", "--", "-", "<!-", "<", ">", "/",
            "script", "<style>", "</style>", "<noscript>", "</noscript>", "<xmp>", "</xmp>", "<svg>", "</svg>",
            "<p>", "a", "字", " ", "\r\n", "\r", "\0", "<title>", "</title>",
        ][..]), 0..40)) {
            let page = pieces.concat();
            proptest::prop_assert_eq!(steps(&tree(&page)), scraper_steps(&page), "{:?}", page);
        }
    }

    proptest::proptest! {
        /// The pieces read without the tokenizer (`lex`: tags, text,
        /// comments, character references) against html5ever's own
        /// tokenizer, on pages made of the pieces that move its states.
        #[test]
        fn pieces_read_as_the_tokenizer_reads_them(pieces in proptest::collection::vec(proptest::sample::select(&[
            // Tags, plain and not: case, quotes, spacing, duplicates, CRs, slashes, odd names.
            "<p>", "</p>", "<P CLASS=a>", "<div id=\"x\" class='y z'>", "</div >", "<hr/>", "<img src=a.png alt>",
            "<a href=\"?a=1&amp;b=2&copy=3&c\">", "<a href=?x&lt=1>", "<a title='&notit; &notin; &#x80;'>",
            "<a b=1 b=2>", "<a\r\nhref=x>", "<a href=\"x\r\ny\">", "<a href=\"x\"title=y>", "<a/b>", "<a b=>",
            "<a =b>", "<a b='c\0'>", "<x-y:z.w @click=f>", "<p<b>", "</p x=1>", "</>", "</ >", "<!DOCTYPE html>",
            "<?xml?>", "<!x>", "<table>", "<td>", "<svg>", "</svg>", "<![CDATA[x<p>]]>", "<title>", "</title>",
            "<textarea>", "</textarea>", "<plaintext>", "<script>", "</script>", "<style>", "</style>",
            // Comments.
            "<!--", "-->", "--!>", "<!-->", "<!--->", "-", "!",
            // Text and references.
            "text", "字", " ", "\n", "\r\n", "\r", "\0", "<", ">", "&", "&amp;", "&amp", "&AMP;", "&ampx", "&nbsp",
            "&#38;", "&#x26", "&#0;", "&#x110000;", "&#xD800;", "&#150;", "&#", "&#x;", "&;", "&notit;", "&lt=",
            "=", "\"", "'", "a", "1", ";",
        ][..]), 0..30)) {
            let page = pieces.concat();
            proptest::prop_assert_eq!(steps(&tree(&page)), one_break_a_run(&scraper_steps(&page)), "{:?}", page);
            let bom = format!("\u{FEFF}{page}");
            proptest::prop_assert_eq!(steps(&tree(&bom)), one_break_a_run(&scraper_steps(&bom)), "{:?}", bom);
        }
    }

    proptest::proptest! {
        /// The same, a character at a time: pages of the characters that
        /// matter to the tokenizer, in any order.
        #[test]
        fn characters_read_as_the_tokenizer_reads_them(page in "[<>/!?&#;=\"' \r\n\t\x00a-cpsxAX0-9字-]{0,60}") {
            proptest::prop_assert_eq!(steps(&tree(&page)), one_break_a_run(&scraper_steps(&page)), "{:?}", page);
        }
    }

    #[test]
    fn nesting_past_the_bound_is_flattened_and_its_text_kept() {
        let n = MAX_DEPTH * 4;
        let page = format!("{}<p>深处的正文</p>{}<p>之后的正文</p>", "<div>".repeat(n), "</div>".repeat(n));
        let (deepest, text, body_ps) = shape(&tree(&page));
        assert!(deepest <= MAX_DEPTH + 8, "{deepest}");
        assert_eq!(text, "深处的正文之后的正文");
        // The text after the deep part is not inside it: every dropped end tag was dropped too.
        assert_eq!(body_ps, 1);
    }

    #[test]
    fn a_tag_past_the_attribute_bound_is_cut() {
        // Values hold `>`, `<` and the other quote: only a reading as the tokenizer's finds the tag's end.
        let attrs: String = (0..MAX_ATTRIBUTES * 40).map(|i| format!(" a{i}=\"v>'<{i}\" b{i}='\"'")).collect();
        let page = format!("<p>前文</p><div{attrs}>正文</div><p>后文</p>");
        let parsed = tree(&page);
        let mut div = None;
        parsed.walk(|step| {
            if let Step::Open(el) = step
                && el.name() == "div"
            {
                div = Some((el.attrs().count(), el.attr("a0").map(str::to_string)));
            }
        });
        assert_eq!(div, Some((MAX_ATTRIBUTES, Some("v>'<0".to_string()))));
        assert_eq!(shape(&parsed).1, "前文正文后文");
        let end_tag = format!("<div>正文</div{attrs}><p>后文</p>");
        assert_eq!(shape(&tree(&end_tag)).1, "正文后文");
    }

    #[test]
    fn long_tokens_that_are_not_attribute_floods_read_the_same() {
        let long_value = format!("<img src=\"data:{}\"><p>后文</p>", "A".repeat(100_000));
        let comment = format!("<!-- {} --><p>后文</p>", "注释 a=1 ".repeat(20_000));
        let script = format!("<script>var s = '{}';</script><p>后文</p>", "x y ".repeat(20_000));
        let words = format!("<p {}>正文</p>", (0..MAX_ATTRIBUTES).map(|i| format!("w{i} ")).collect::<String>());
        for page in [long_value, comment, script, words] {
            assert!(matches!(bound_attributes(&page), Cow::Borrowed(_)), "{}", &page[..40]);
            assert_eq!(steps(&tree(&page)), scraper_steps(&page));
        }
    }

    #[test]
    fn past_the_element_budget_tags_go_and_text_stays() {
        let n = MIN_ELEMENTS * 2;
        let page = format!(
            "{}<script>var hidden = '脚本';</script><p>最后</p>",
            (0..n).map(|i| format!("<p>{i}号</p>")).collect::<String>()
        );
        let parsed = parse(&page, None);
        assert!(parsed.flattened > 0);
        let (_, text, body_ps) = shape(&parsed.tree);
        assert!(body_ps <= MIN_ELEMENTS + page.len() / BYTES_PER_ELEMENT, "{body_ps}");
        // Every number is there, a dropped block's start a line break; the script's text is not.
        assert!(text.contains(&format!("号\n{}号", n - 1)));
        let numbers: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
        assert_eq!(numbers.len(), n);
        assert_eq!(numbers.last(), Some(&(n - 1).to_string().as_str()));
        assert!(text.ends_with("最后") && !text.contains("脚本"), "{}", &text[text.len() - 40..]);
    }

    #[test]
    fn runs_of_breaks_are_one() {
        let page = "<p>一<br><br>\n<br/></br><!-- c --><br>二<br><br class=x>三</p>";
        assert_eq!(
            steps(&tree(page)),
            "<html><head></head><body><p>一<br></br>\n二<br></br><br class=\"x\"></br>三</p></body></html>"
        );
    }

    #[test]
    fn a_past_deadline_stops_building() {
        let page = "<p>段落</p>".repeat(10_000);
        let parsed = parse(&page, Some(Instant::now()));
        assert!(parsed.timed_out);
        assert!(parsed.tree.len() < 10_000);
        assert!(!parse(&page, None).timed_out);
    }
}
