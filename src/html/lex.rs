//! The page's pieces as html5ever's tokenizer bounds them, read without it.
//!
//! html5ever's tokenizer reads a tag a character at a time, each one popped
//! from its input queue and pushed onto a growing name or value: two thirds
//! of the parser's time on the evaluation sets. Most tags of real pages are
//! plain (`<div class="x">`, `</p>`, `<a href="?a=1&amp;b=2">`);
//! [`simple`] reads those pieces, and text and comments, in one pass over
//! the bytes, text and values sharing the page's buffer unless a character
//! reference is to be replaced ([`unescape`]), and hands the tree builder
//! the token the tokenizer would have made. Every other piece (a doctype, a
//! tag the tokenizer would fix up, text with a NUL) goes to html5ever whole,
//! as a segment at whose end the tokenizer is back in its data state with
//! nothing pending ([`segment_end`]).
//!
//! A test holds the tree built this way to scraper's on every page of the
//! evaluation sets, and property tests on pages made of the pieces (and
//! the characters) that move the tokenizer's states.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{Tag, TagKind};
use html5ever::{Attribute, LocalName, QualName, local_name, ns};

/// Attributes kept on one tag: the tokenizer compares each with every
/// earlier one, so a tag of more is cut ([`read_tag`] finds where).
pub(crate) const MAX_ATTRIBUTES: usize = 256;
/// Attributes a tag may have to be read here; more go to the tokenizer
/// (the duplicate check is quadratic).
const MAX_SIMPLE_ATTRIBUTES: usize = 32;

/// A piece read without the tokenizer.
pub(crate) enum Piece {
    /// Text up to `end`: no NUL, its references and CRs still to be
    /// replaced ([`unescape`]).
    Text(usize),
    /// A tag and where it ends.
    Tag(Tag, usize),
    /// A comment up to `end` (the tree keeps no comment's text).
    Comment(usize),
}

/// The simple piece that starts at `at`, if it is one.
pub(crate) fn simple(page: &StrTendril, at: usize) -> Option<Piece> {
    let b = page.as_bytes();
    if b.get(at) == Some(&b'<') && starts_markup(b, at) {
        if b.get(at + 1..at + 4) == Some(b"!--") {
            return Some(Piece::Comment(comment_end(b, at + 4)));
        }
        return tag(page, at);
    }
    let end = text_end(b, at);
    // A NUL is the tree builder's to drop or keep, by where it stands.
    let plain = memchr::memchr(0, b.get(at..end).unwrap_or_default()).is_none();
    plain.then_some(Piece::Text(end))
}

/// Whether text or a value needs [`unescape`].
pub(crate) fn is_escaped(text: &str) -> bool {
    memchr::memchr2(b'&', b'\r', text.as_bytes()).is_some()
}

/// Text or an attribute's value as the tokenizer hands it on: character
/// references replaced by the spec's rules (html5ever's table of names), a
/// CR or a CR LF as a line feed. The text ends where the tokenizer's
/// reading of it ends (before a `<`, a quote, white space or `>`), so no
/// reference is cut short.
pub(crate) fn unescape(text: &str, attribute: bool) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(k) = memchr::memchr2(b'&', b'\r', b.get(i..).unwrap_or_default()) {
        out.push_str(text.get(i..i + k).unwrap_or_default());
        i += k;
        if b.get(i) == Some(&b'\r') {
            out.push('\n');
            i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            continue;
        }
        i = match b.get(i + 1) {
            Some(c) if c.is_ascii_alphanumeric() => named(text, i, attribute, &mut out),
            Some(b'#') => numeric(b, i, &mut out),
            _ => not_a_reference(i, &mut out),
        };
    }
    out.push_str(text.get(i..).unwrap_or_default());
    out
}

/// The `&` at `at` stands for itself; what follows it is read again.
fn not_a_reference(at: usize, out: &mut String) -> usize {
    out.push('&');
    at + 1
}

/// A named reference at `at`: the longest name in the table that the text
/// starts with (the table holds every prefix of every name, so reading
/// stops at the first character that continues none).
fn named(text: &str, at: usize, attribute: bool, out: &mut String) -> usize {
    let mut end = at + 1;
    let mut found = None;
    while let Some(c) = text.get(end..).and_then(|rest| rest.chars().next()) {
        end += c.len_utf8();
        match html5ever::data::NAMED_ENTITIES.get(text.get(at + 1..end).unwrap_or_default()) {
            Some(&(0, _)) => {}
            Some(&chars) => found = Some((end, chars)),
            None => break,
        }
    }
    let Some((end, (first, second))) = found else { return not_a_reference(at, out) };
    let b = text.as_bytes();
    // In a value, a name without its `;` before `=` or a letter stays as
    // written, for historical reasons (`?a=1&copy=2`).
    let after = b.get(end).copied();
    if attribute && b.get(end - 1) != Some(&b';') && after.is_some_and(|c| c == b'=' || c.is_ascii_alphanumeric()) {
        return not_a_reference(at, out);
    }
    out.extend(char::from_u32(first));
    if second != 0 {
        out.extend(char::from_u32(second));
    }
    end
}

/// A numeric reference at `at` (`&#…` or `&#x…`), its `;` optional.
fn numeric(b: &[u8], at: usize, out: &mut String) -> usize {
    let mut i = at + 2;
    let base = if matches!(b.get(i), Some(b'x' | b'X')) {
        i += 1;
        16
    } else {
        10
    };
    let digits = i;
    let (mut n, mut too_big) = (0u32, false);
    while let Some(d) = b.get(i).and_then(|&c| char::from(c).to_digit(base)) {
        // As html5ever counts: past U+10FFFF nothing more is meant.
        n = n.wrapping_mul(base);
        too_big |= n > 0x10FFFF;
        n = n.wrapping_add(d);
        i += 1;
    }
    if i == digits {
        return not_a_reference(at, out);
    }
    if b.get(i) == Some(&b';') {
        i += 1;
    }
    out.push(match n {
        _ if too_big || n > 0x10FFFF => '\u{FFFD}',
        0 | 0xD800..=0xDFFF => '\u{FFFD}',
        0x80..=0x9F => {
            html5ever::data::C1_REPLACEMENTS[(n - 0x80) as usize].or_else(|| char::from_u32(n)).unwrap_or('\u{FFFD}')
        }
        n => char::from_u32(n).unwrap_or('\u{FFFD}'),
    });
    i
}

/// Whether the `<` at `i` starts markup (a tag, a comment, a declaration)
/// rather than being text.
fn starts_markup(b: &[u8], i: usize) -> bool {
    b.get(i + 1).is_some_and(|&c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?'))
}

/// Where the text that starts at `at` ends: at the next `<` that starts markup.
fn text_end(b: &[u8], mut at: usize) -> usize {
    // The first byte is text even when it is a `<` (the caller knows).
    at += 1;
    while let Some(i) = memchr::memchr(b'<', b.get(at..).unwrap_or_default()) {
        if starts_markup(b, at + i) {
            return at + i;
        }
        at += i + 1;
    }
    b.len()
}

/// White space inside a tag (a CR is a line feed to the tokenizer).
fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// A byte that ends a tag's name: white space, `/` or `>`.
fn ends_name(c: u8) -> bool {
    is_space(c) || c == b'/' || c == b'>'
}

/// A byte of a tag's or attribute's name read here (others are the tokenizer's).
fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':' | b'.' | b'@')
}

/// A plain tag at `at`: a name of letters, digits and `-_:.@`, attributes
/// with such names, unique, and values quoted or not that hold no NUL,
/// white space between them, then `>` or `/>`; an end tag without
/// attributes. Not `<title>`, `<textarea>` or `<plaintext>`, after which the
/// tokenizer's own states read the text.
fn tag(page: &StrTendril, at: usize) -> Option<Piece> {
    let b = page.as_bytes();
    let (kind, mut i) = match b.get(at + 1) {
        Some(b'/') => (TagKind::EndTag, at + 2),
        _ => (TagKind::StartTag, at + 1),
    };
    let name_start = i;
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    while b.get(i).copied().is_some_and(is_name_byte) {
        i += 1;
    }
    let name = atom(page, name_start, i)?;
    if matches!(name, local_name!("title") | local_name!("textarea") | local_name!("plaintext")) {
        return None;
    }
    let mut attrs: Vec<Attribute> = Vec::new();
    let mut self_closing = false;
    loop {
        let c = *b.get(i)?;
        match c {
            b'>' => {
                i += 1;
                break;
            }
            b'/' if b.get(i + 1) == Some(&b'>') => {
                self_closing = true;
                i += 2;
                break;
            }
            _ if !is_space(c) => return None,
            _ => {}
        }
        while b.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        if kind == TagKind::EndTag || !b.get(i).copied().is_some_and(is_name_byte) {
            continue;
        }
        let (attr, end) = attribute(page, i)?;
        if attrs.len() == MAX_SIMPLE_ATTRIBUTES || attrs.iter().any(|a| a.name.local == attr.name.local) {
            return None;
        }
        attrs.push(attr);
        i = end;
    }
    Some(Piece::Tag(Tag { kind, name, self_closing, attrs, had_duplicate_attributes: false }, i))
}

/// An attribute whose name starts at `i`, and where it ends.
fn attribute(page: &StrTendril, mut i: usize) -> Option<(Attribute, usize)> {
    let b = page.as_bytes();
    let name_start = i;
    while b.get(i).copied().is_some_and(is_name_byte) {
        i += 1;
    }
    let local = atom(page, name_start, i)?;
    let name_end = i;
    while b.get(i).copied().is_some_and(is_space) {
        i += 1;
    }
    let value = if b.get(i) == Some(&b'=') {
        i += 1;
        while b.get(i).copied().is_some_and(is_space) {
            i += 1;
        }
        let (from, to, end) = match *b.get(i)? {
            q @ (b'"' | b'\'') => {
                let close = i + 1 + memchr::memchr(q, b.get(i + 1..)?)?;
                (i + 1, close, close + 1)
            }
            _ => {
                let mut j = i;
                while b.get(j).is_some_and(|&c| !is_space(c) && c != b'>') {
                    j += 1;
                }
                // An empty value, or one the tokenizer would call an error.
                let odd = |c: &u8| matches!(c, b'"' | b'\'' | b'<' | b'=' | b'`');
                if j == i || b.get(i..j)?.iter().any(odd) {
                    return None;
                }
                (i, j, j)
            }
        };
        // A NUL is U+FFFD to the tokenizer: rare enough to leave to it.
        if memchr::memchr(0, b.get(from..to)?).is_some() {
            return None;
        }
        // After a value, white space or the tag's end.
        if !b.get(end).is_some_and(|&c| is_space(c) || matches!(c, b'>' | b'/')) {
            return None;
        }
        i = end;
        let value = page.get(from..to)?;
        if is_escaped(value) { StrTendril::from(unescape(value, true)) } else { slice(page, from, to)? }
    } else {
        // No value: what follows the name is read as the tag's next part.
        i = name_end;
        StrTendril::new()
    };
    Some((Attribute { name: QualName::new(None, ns!(), local), value }, i))
}

/// The name at `from..to`, lower-cased as the tokenizer lower-cases it.
fn atom(page: &StrTendril, from: usize, to: usize) -> Option<LocalName> {
    let name = page.get(from..to)?;
    Some(if name.bytes().any(|c| c.is_ascii_uppercase()) {
        LocalName::from(name.to_ascii_lowercase())
    } else {
        LocalName::from(name)
    })
}

/// The page's bytes `from..to`, sharing its buffer.
pub(crate) fn slice(page: &StrTendril, from: usize, to: usize) -> Option<StrTendril> {
    let len = u32::try_from(to.checked_sub(from)?).ok()?;
    page.try_subtendril(u32::try_from(from).ok()?, len).ok()
}

/// Where a segment that starts at `at` and goes to the tokenizer should
/// end for the tokenizer to be in its data state there with nothing
/// pending: after the next piece that is not text, as text may end in a
/// character reference or a CR that the next character settles. `foreign`:
/// the tree builder's current node is not HTML, where `<![CDATA[` opens a
/// section up to `]]>`, not a bogus comment.
pub(crate) fn segment_end(b: &[u8], mut at: usize, foreign: bool) -> usize {
    loop {
        if at >= b.len() {
            return b.len();
        }
        if !(b.get(at) == Some(&b'<') && starts_markup(b, at)) {
            at = text_end(b, at);
            continue;
        }
        return markup_end(b, at, foreign);
    }
}

/// Just past the markup that starts at the `<` at `at`.
fn markup_end(b: &[u8], at: usize, foreign: bool) -> usize {
    let past = |from: usize, end: &[u8]| {
        memchr::memmem::find(b.get(from..).unwrap_or_default(), end).map_or(b.len(), |i| from + i + end.len())
    };
    match b.get(at + 1..) {
        Some([b'/', c, ..]) if c.is_ascii_alphabetic() => read_tag(b, at + 2).end,
        Some([b'/', b'>', ..]) => at + 3,
        // `</` at the page's end is text.
        Some([b'/']) => b.len(),
        Some([b'!', b'-', b'-', ..]) => comment_end(b, at + 4),
        Some([b'!', b'[', b'C', b'D', b'A', b'T', b'A', b'[', ..]) if foreign => past(at + 9, b"]]>"),
        Some([b'!' | b'?' | b'/', ..]) => past(at + 2, b">"),
        _ => read_tag(b, at + 1).end,
    }
}

/// A tag as the tokenizer reads it.
pub(crate) struct TagSpan {
    /// The tag's name, lower-cased (only the first bytes matter: raw-text names are short).
    pub name: Vec<u8>,
    /// Just past its `>` (the page's end if it has none).
    pub end: usize,
    /// Where to cut it to keep [`MAX_ATTRIBUTES`] attributes: before the first one over.
    pub cut: Option<usize>,
}

/// Reads the tag whose name starts at `i`.
pub(crate) fn read_tag(b: &[u8], mut i: usize) -> TagSpan {
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
pub(crate) fn raw_text_end(b: &[u8], tag: &TagSpan) -> Option<usize> {
    const RAW: &[&[u8]] =
        &[b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes", b"noscript"];
    RAW.contains(&tag.name.as_slice()).then(|| raw_end(b, tag.end, &tag.name))
}

/// Where the end tag of a raw-text element named `name` starts, from `at`
/// on: `</` and the name in any case, then white space, `/` or `>`; the
/// page's end when there is none (an end tag cut by the page's end is text).
pub(crate) fn raw_end(b: &[u8], mut at: usize, name: &[u8]) -> usize {
    while let Some(i) = memchr::memmem::find(b.get(at..).unwrap_or_default(), b"</") {
        let close = at + i;
        let found = b.get(close + 2..close + 2 + name.len()).unwrap_or_default();
        let after = b.get(close + 2 + name.len());
        if found.eq_ignore_ascii_case(name) && after.copied().is_some_and(ends_name) {
            return close;
        }
        at = close + 2;
    }
    b.len()
}

/// Where a script's text ends, as the tokenizer's script-data states find
/// it: the first `</script` (any case) followed by white space, `/` or `>`,
/// except inside `<!--` … `-->` where a `<script` opens a part in which
/// `</script` only closes that part (the spec's double-escaped states).
pub(crate) fn script_end(b: &[u8]) -> usize {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let tag_at = |i: usize| -> bool {
        b.get(i..i + 6).is_some_and(|n| n.eq_ignore_ascii_case(b"script"))
            && b.get(i + 6).copied().is_some_and(ends_name)
    };
    let (mut state, mut i) = (State::Data, 0);
    // Dashes just read in the escaped states: `-->` ends an escape.
    let mut dashes = 0;
    while let Some(&c) = b.get(i) {
        match (state, c) {
            (State::Data, b'<') if b.get(i + 1) == Some(&b'/') && tag_at(i + 2) => return i,
            (State::Data, b'<') if b.get(i + 1..i + 4) == Some(b"!--") => {
                state = State::Escaped;
                // `<!--` leaves the tokenizer as after two dashes: `<!-->` ends at once.
                dashes = 2;
                i += 4;
                continue;
            }
            (State::Escaped | State::DoubleEscaped, b'-') => dashes += 1,
            (State::Escaped | State::DoubleEscaped, b'>') if dashes >= 2 => state = State::Data,
            (State::Escaped, b'<') if b.get(i + 1) == Some(&b'/') && tag_at(i + 2) => return i,
            (State::Escaped, b'<') if tag_at(i + 1) => {
                state = State::DoubleEscaped;
                dashes = 0;
                i += 7;
                continue;
            }
            (State::DoubleEscaped, b'<') if b.get(i + 1) == Some(&b'/') && tag_at(i + 2) => {
                state = State::Escaped;
                dashes = 0;
                i += 8;
                continue;
            }
            _ => {}
        }
        if c != b'-' {
            dashes = 0;
        }
        i += 1;
    }
    b.len()
}

/// Just past the end of a comment whose text starts at `from` (after
/// `<!--`): `-->` or `--!>`, or at once for `<!-->` and `<!--->`.
pub(crate) fn comment_end(b: &[u8], from: usize) -> usize {
    for short in [&b">"[..], b"->"] {
        if b.get(from..from + short.len()) == Some(short) {
            return from + short.len();
        }
    }
    let mut at = from;
    while let Some(i) = memchr::memmem::find(b.get(at..).unwrap_or_default(), b"--") {
        let dashes = at + i;
        match b.get(dashes + 2..) {
            Some([b'>', ..]) => return dashes + 3,
            Some([b'!', b'>', ..]) => return dashes + 4,
            _ => at = dashes + 1,
        }
    }
    b.len()
}
