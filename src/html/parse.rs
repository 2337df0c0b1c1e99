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
//!   many. The page is fed to the tokenizer in chunks; only when a whole
//!   chunk goes by without a token (the tokenizer is inside one tag, comment
//!   or doctype longer than a chunk) is the page read again with its long
//!   tags cut first ([`bound_attributes`]), so ordinary pages pay nothing.
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
//! the page is tokenized but not built.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::time::Instant;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use html5ever::tree_builder::{TreeBuilder, TreeSink};
use html5ever::{LocalName, TokenizerResult, local_name};

use super::tree::{Sink, Tree};

/// Elements nested deeper than this are flattened into their deepest kept ancestor.
pub(crate) const MAX_DEPTH: usize = 512;
/// Attributes kept on one tag.
pub(crate) const MAX_ATTRIBUTES: usize = 256;
/// Bytes fed to the tokenizer at a time; a chunk without a token means a tag
/// (or comment) this long, which may hold enough attributes to matter.
const CHUNK_BYTES: usize = 16 * 1024;
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
    match feed(html, deadline, true) {
        Some(parsed) => parsed,
        // A token longer than a chunk: read the page again with its long tags cut.
        None => feed(&bound_attributes(html), deadline, false).unwrap_or_else(|| Parsed {
            tree: Tree::new(),
            timed_out: false,
            flattened: 0,
        }),
    }
}

/// Feeds the page to the tokenizer a chunk at a time. With `watch`, gives up
/// (`None`) when a whole chunk goes by without a token.
fn feed(html: &str, deadline: Option<Instant>, watch: bool) -> Option<Parsed> {
    let builder = TreeBuilder::new(Sink::new(Tree::new()), Default::default());
    let budget = MIN_ELEMENTS.saturating_add(html.len() / BYTES_PER_ELEMENT);
    let tokenizer = Tokenizer::new(Bounded::new(builder, deadline, budget), Default::default());
    let input = BufferQueue::default();
    let mut rest = html;
    while !rest.is_empty() {
        let mut at = CHUNK_BYTES.min(rest.len());
        while !rest.is_char_boundary(at) {
            at += 1;
        }
        let (chunk, after) = rest.split_at(at);
        rest = after;
        let before = tokenizer.sink.seen.get();
        input.push_back(StrTendril::from(chunk));
        // As html5ever's own driver: feed until the input is used up (scripts and
        // encoding indicators pause the tokenizer; neither is acted on here).
        while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
        if watch && chunk.len() == CHUNK_BYTES && tokenizer.sink.seen.get() == before {
            return None;
        }
    }
    tokenizer.end();
    let Bounded { inner, timed_out, flattened, .. } = tokenizer.sink;
    Some(Parsed { tree: inner.sink.finish(), timed_out: timed_out.get(), flattened: flattened.get() })
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

impl<S: TokenSink> TokenSink for Bounded<S> {
    type Handle = S::Handle;

    #[inline]
    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<S::Handle> {
        if self.late() {
            return TokenSinkResult::Continue;
        }
        match &token {
            Token::TagToken(tag) => {
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
        self.inner.process_token(token, line_number)
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
                let tag = read_tag(bytes, start + 1);
                cuts.extend(tag.cut.map(|cut| (cut, tag.end)));
                raw_text_end(bytes, &tag).unwrap_or(tag.end)
            }
            Some(b'/') if bytes.get(start + 2).is_some_and(u8::is_ascii_alphabetic) => {
                let tag = read_tag(bytes, start + 2);
                cuts.extend(tag.cut.map(|cut| (cut, tag.end)));
                tag.end
            }
            Some(b'!') if bytes.get(start + 2..start + 4) == Some(b"--") => comment_end(bytes, start + 4),
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

/// A tag as the tokenizer reads it.
struct TagSpan {
    /// The tag's name, lower-cased (only the first bytes matter: raw-text names are short).
    name: Vec<u8>,
    /// Just past its `>` (the page's end if it has none).
    end: usize,
    /// Where to cut it to keep [`MAX_ATTRIBUTES`] attributes: before the first one over.
    cut: Option<usize>,
}

/// Reads the tag whose name starts at `i`.
fn read_tag(b: &[u8], mut i: usize) -> TagSpan {
    let is_space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let name_start = i;
    while b.get(i).is_some_and(|&c| !is_space(c) && c != b'/' && c != b'>') {
        i += 1;
    }
    let name = b.get(name_start..i.min(name_start + 16)).unwrap_or_default().to_ascii_lowercase();
    let (mut count, mut cut) = (0usize, None);
    loop {
        match b.get(i) {
            None => return TagSpan { name, end: b.len(), cut },
            Some(b'>') => return TagSpan { name, end: i + 1, cut },
            Some(&c) if is_space(c) || c == b'/' => i += 1,
            Some(_) => {
                count += 1;
                if count > MAX_ATTRIBUTES && cut.is_none() {
                    cut = Some(i);
                }
                // The name (its first character may be `=`), then `=` and a value.
                i += 1;
                while b.get(i).is_some_and(|&c| !is_space(c) && !matches!(c, b'/' | b'>' | b'=')) {
                    i += 1;
                }
                while b.get(i).copied().is_some_and(is_space) {
                    i += 1;
                }
                if b.get(i) != Some(&b'=') {
                    continue;
                }
                i += 1;
                while b.get(i).copied().is_some_and(is_space) {
                    i += 1;
                }
                match b.get(i) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        i = memchr::memchr(q, b.get(i + 1..).unwrap_or_default()).map_or(b.len(), |j| i + 1 + j + 1);
                    }
                    _ => {
                        while b.get(i).is_some_and(|&c| !is_space(c) && c != b'>') {
                            i += 1;
                        }
                    }
                }
            }
        }
    }
}

/// After a start tag of an element holding raw text, where its end tag starts.
fn raw_text_end(b: &[u8], tag: &TagSpan) -> Option<usize> {
    const RAW: &[&[u8]] =
        &[b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes", b"noscript"];
    if !RAW.contains(&tag.name.as_slice()) {
        return None;
    }
    let mut at = tag.end;
    while let Some(i) = memchr::memmem::find(b.get(at..).unwrap_or_default(), b"</") {
        let close = at + i;
        let name = b.get(close + 2..close + 2 + tag.name.len()).unwrap_or_default();
        let after = b.get(close + 2 + tag.name.len());
        let ends = after.is_none_or(|c| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'));
        if name.eq_ignore_ascii_case(&tag.name) && ends {
            return Some(close);
        }
        at = close + 2;
    }
    Some(b.len())
}

/// Just past the `-->` that ends a comment opened before `from`.
fn comment_end(b: &[u8], from: usize) -> usize {
    // `<!-->` and `<!--->` are empty comments.
    for short in [&b">"[..], b"->"] {
        if b.get(from..from + short.len()) == Some(short) {
            return from + short.len();
        }
    }
    memchr::memmem::find(b.get(from..).unwrap_or_default(), b"-->").map_or(b.len(), |i| from + i + 3)
}

#[cfg(test)]
mod tests {
    use super::super::tree::Step;
    use super::super::tree::testing::{scraper_steps, steps};
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
