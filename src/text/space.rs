//! White space normalised without touching full-width punctuation.

/// [`squash_space`] keeping the string (no copy) when it is clean already.
pub(crate) fn squash_space_owned(text: String) -> String {
    if is_squashed(&text) { text } else { collapse(&text) }
}

/// Would not be changed by [`squash_space`].
fn is_squashed(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return false;
    }
    let mut space = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if space => return false,
            b' ' => {
                space = true;
                continue;
            }
            0..=0x1F | 0x7F => return false,
            // Every other white space and control character starts with one
            // of these bytes (U+0080–U+00A0, U+1680, U+2000–U+205F, U+3000, U+FEFF);
            // Han text (E4–E9) is skipped without decoding.
            0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF if text.get(i..).and_then(|t| t.chars().next()).is_some_and(is_blank) => {
                return false;
            }
            _ => {}
        }
        space = false;
    }
    true
}

/// White space, control characters and the invisible spaces pages use.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '\u{3000}' | '\u{a0}' | '\u{200b}' | '\u{feff}')
}

/// [`is_blank`], checking the Unicode tables only in the few ranges that hold
/// white space or control characters.
fn is_blank_fast(c: char) -> bool {
    if c.is_ascii() {
        c <= ' ' || c == '\x7f'
    } else {
        matches!(c as u32, 0x80..=0xA0 | 0x1680 | 0x2000..=0x205F | 0x3000 | 0xFEFF) && is_blank(c)
    }
}

/// Collapses runs of white space (including no-break and ideographic spaces) to one space and trims.
pub(crate) fn squash_space(text: &str) -> String {
    if is_squashed(text) { text.to_string() } else { collapse(text) }
}

/// The work of [`squash_space`] on a text known to need it.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Runs of visible text are copied whole, not a character at a time.
    let mut run: Option<usize> = None;
    let flush = |out: &mut String, from: usize, to: usize| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(text.get(from..to).unwrap_or_default());
    };
    for (i, c) in text.char_indices() {
        match (is_blank_fast(c), run) {
            (true, Some(from)) => {
                flush(&mut out, from, i);
                run = None;
            }
            (false, None) => run = Some(i),
            _ => {}
        }
    }
    if let Some(from) = run {
        flush(&mut out, from, text.len());
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn squash_keeps_full_width_punctuation() {
        assert_eq!(squash_space("  发布日期:\u{3000}2023- 03- 07 \u{a0} 16: 31 "), "发布日期: 2023- 03- 07 16: 31");
        assert_eq!(squash_space("“你好”,《书》"), "“你好”,《书》");
    }

    /// Squashing as its definition says: split on blanks, join with one space.
    fn squash(text: &str) -> String {
        text.split(is_blank).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    }

    /// Han, Latin, Cyrillic, digits, every kind of space and punctuation the measures treat apart.
    pub(crate) fn mixed() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('计'),
                Just('生'),
                Just('あ'),
                Just('a'),
                Just('Z'),
                Just('7'),
                Just('ж'),
                Just('é'),
                Just(' '),
                Just('\t'),
                Just('\n'),
                Just('\u{3000}'),
                Just('\u{a0}'),
                Just('\u{200b}'),
                Just('\u{feff}'),
                Just('\u{2003}'),
                Just('\u{85}'),
                Just('\u{1680}'),
                Just('\u{7f}'),
                Just(','),
                Just('.'),
                Just(':'),
                Just('"'),
                Just('-'),
                Just('，'),
                Just('。'),
                Just('…'),
                Just('“'),
                Just('》'),
                Just('・'),
                Just('’'),
                any::<char>(),
            ],
            0..24,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        /// The byte scan in [`is_squashed`] and the run copying in [`collapse`] agree with the definition.
        #[test]
        fn squash_agrees(text in mixed()) {
            prop_assert_eq!(squash_space(&text), squash(&text));
            prop_assert_eq!(is_squashed(&text), squash(&text) == text);
        }
    }
}
