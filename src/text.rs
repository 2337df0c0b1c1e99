//! Measures of a line of text that work for Chinese and English alike.

/// True for Han ideographs and the other scripts scored a character at a time.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3040..=0x30FF | 0xAC00..=0xD7AF | 0x20000..=0x2FA1F)
}

/// Blocks of punctuation and symbols (general punctuation, CJK symbols,
/// full-width forms' punctuation): never letters, so the Unicode tables
/// need not be read for them.
fn is_punct_block(c: char) -> bool {
    matches!(c as u32, 0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Sentence and clause punctuation, full-width and ASCII.
pub(crate) fn is_sentence_punct(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '：' | '！' | '？' | '、' | ',' | ';' | '!' | '?' | '…' | '.' | ':')
}

/// Punctuation that ends a sentence or a paragraph.
pub(crate) fn is_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '.' | '；' | ';' | '”' | '」' | '』' | '"' | '）' | ')' | '：' | ':')
}

/// Size of a text in "units": one per CJK character, one per word of other scripts.
/// Chinese has no spaces, so counting characters and words this way puts both
/// languages on one scale.
pub(crate) fn units(text: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in text.chars() {
        // ASCII first: the Unicode tables are only read for other scripts.
        let word_char = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else if is_cjk(c) {
            n += 1;
            in_word = false;
            continue;
        } else if is_punct_block(c) {
            false
        } else {
            c.is_alphanumeric()
        };
        if word_char && !in_word {
            n += 1;
        }
        in_word = word_char;
    }
    n
}

/// How many clause punctuation marks a text holds, counting an ASCII mark
/// only where it ends a clause (followed by a space or the end), so that
/// `3.14` and `www.a.cn` do not count.
pub(crate) fn punct_count(text: &str) -> usize {
    let mut n = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !is_sentence_punct(c) {
            continue;
        }
        if c.is_ascii() {
            let next = chars.peek().copied();
            if next.is_none_or(|n| n.is_whitespace() || is_cjk(n) || n == '"') {
                n += 1;
            }
        } else {
            n += 1;
        }
    }
    n
}

/// A short line with no clause punctuation: a headline, heading or menu item.
pub(crate) fn is_headline_like(text: &str) -> bool {
    let u = units(text);
    (2..=45).contains(&u) && !text.chars().any(|c| matches!(c, '。' | '；' | '！' | '？'))
        && !text.trim_end().ends_with(['.', ',', '，'])
}

/// Reads like running text: long enough and punctuated like a sentence.
pub(crate) fn is_prose(text: &str) -> bool {
    let u = units(text);
    let p = punct_count(text);
    let ends = text.trim_end().chars().next_back().is_some_and(is_terminal);
    (u >= 8 && ends && p >= 1) || (u >= 15 && p >= 2) || u >= 60
}

/// [`squash_space`] keeping the string (no copy) when it is clean already.
pub(crate) fn squash_space_owned(text: String) -> String {
    if is_squashed(&text) {
        text
    } else {
        squash_space(&text)
    }
}

fn is_squashed(text: &str) -> bool {
    let clean = |c: char| !(c.is_whitespace() || c.is_control() || matches!(c, '\u{3000}' | '\u{a0}' | '\u{200b}' | '\u{feff}'));
    !text.starts_with(|c: char| !clean(c))
        && !text.ends_with(|c: char| !clean(c))
        && !text.contains("  ")
        && text.chars().all(|c| clean(c) || c == ' ')
}

/// Collapses runs of white space (including no-break and ideographic spaces) to one space and trims.
pub(crate) fn squash_space(text: &str) -> String {
    if is_squashed(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || matches!(c, '\u{3000}' | '\u{a0}' | '\u{200b}' | '\u{feff}') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_count_han_by_character_and_latin_by_word() {
        assert_eq!(units("计生协 work plan 2023"), 3 + 3);
        assert_eq!(units(",。!"), 0);
    }

    #[test]
    fn decimals_and_addresses_are_not_punctuation() {
        assert_eq!(punct_count("3.14 www.a.cn"), 0);
        assert_eq!(punct_count("Hello, world. 你好,世界。"), 4);
    }

    #[test]
    fn squash_keeps_full_width_punctuation() {
        assert_eq!(squash_space("  发布日期:\u{3000}2023- 03- 07 \u{a0} 16: 31 "), "发布日期: 2023- 03- 07 16: 31");
        assert_eq!(squash_space("“你好”,《书》"), "“你好”,《书》");
    }

    #[test]
    fn headlines_and_prose() {
        assert!(is_headline_like("江西省计划生育协会2023年工作要点"));
        assert!(!is_headline_like("会议指出,各级计生协深入贯彻落实精神。"));
        assert!(is_prose("会议指出,各级计生协深入贯彻落实精神。"));
        assert!(!is_prose("热点新闻"));
    }
}
