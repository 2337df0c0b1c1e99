//! One-pass measures of a line: size in units, clause punctuation, last character.

use super::chars::{is_cjk, is_punct_block, is_sentence_punct, is_terminal};
use crate::tuning::{
    HEADLINE_MAX_UNITS, PATH_MIN_STEPS, PATH_STEP_MAX_UNITS, PROSE_LONG_UNITS, PROSE_PUNCTUATED_UNITS,
    PROSE_SHORT_UNITS,
};

/// Size, punctuation and ending of a text, read in one pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Measure {
    /// See [`units`].
    pub units: usize,
    /// Clause punctuation marks (full-width always, ASCII only before a space, CJK, `"` or the end).
    pub punct: usize,
    /// The last character that is not white space.
    pub last: Option<char>,
}

impl Measure {
    /// The measure of two texts joined by a line break.
    pub(crate) fn then(self, next: Measure) -> Measure {
        Measure { units: self.units + next.units, punct: self.punct + next.punct, last: next.last.or(self.last) }
    }

    /// Reads like running text: long enough and punctuated like a sentence.
    pub(crate) fn is_prose(&self) -> bool {
        let (u, p) = (self.units, self.punct);
        let ends = self.last.is_some_and(is_terminal);
        (u >= PROSE_SHORT_UNITS && ends && p >= 1) || (u >= PROSE_PUNCTUATED_UNITS && p >= 2) || u >= PROSE_LONG_UNITS
    }
}

/// What one character adds to a [`Measure`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Counts as a unit by itself (CJK).
    Unit,
    /// Part of a word of other scripts.
    Word,
    /// Full-width clause punctuation: always a mark.
    Mark,
    /// ASCII clause punctuation: a mark only before a space, CJK, `"` or the end.
    AsciiMark,
    Space,
    Other,
}

/// Classes of the ASCII characters, looked up rather than matched: most
/// of the text of English pages, and much of Chinese ones, is ASCII.
const ASCII: [Class; 128] = {
    let mut table = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => Class::Word,
            b',' | b';' | b'!' | b'?' | b'.' | b':' => Class::AsciiMark,
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => Class::Space,
            _ => Class::Other,
        };
        b += 1;
    }
    table
};

fn class(c: char) -> Class {
    if let Some(&k) = ASCII.get(c as usize) {
        k
    } else if is_cjk(c) {
        Class::Unit
    } else if is_sentence_punct(c) {
        Class::Mark
    } else if c.is_whitespace() {
        Class::Space
    } else if is_punct_block(c) {
        // The Unicode letter tables are only read for the other scripts.
        Class::Other
    } else if let Some(letter) = european_letter(c) {
        if letter { Class::Word } else { Class::Other }
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// `c.is_alphanumeric()` for the accented Latin and the Cyrillic letters
/// European pages are full of, without the Unicode tables' binary search
/// (`None`: another script, ask the tables). Proved against the tables
/// for every character of these blocks in the tests.
fn european_letter(c: char) -> Option<bool> {
    match c {
        'À'..='ÿ' => Some(!matches!(c, '×' | '÷')),
        'Ā'..='ɏ' | 'Ѐ'..='ҁ' | 'Ҋ'..='ԯ' => Some(true),
        _ => None,
    }
}

/// Measures a text in one pass over its characters.
pub(crate) fn measure(text: &str) -> Measure {
    measure_upto(text, usize::MAX)
}

/// The measuring state after a character: bit 0 inside a word, bit 1 just
/// after an ASCII mark (which ends a clause only before a space, CJK, `"` or the end).
const IN_WORD: u8 = 1;
const AFTER_MARK: u8 = 2;

/// One step of [`measure_upto`] over an ASCII byte, per state: bits 0–1 the
/// next state, bit 2 set when a word starts, bit 3 when the byte confirms a
/// pending mark. A table look-up per byte instead of a chain of tests.
const ASCII_STEP: [[u8; 128]; 4] = {
    let mut table = [[0u8; 128]; 4];
    let mut state = 0;
    while state < 4 {
        let mut b = 0;
        while b < 128 {
            let k = ASCII[b];
            let word = matches!(k, Class::Word);
            let mut step = (word as u8) | ((matches!(k, Class::AsciiMark) as u8) << 1);
            if word && state & IN_WORD as usize == 0 {
                step |= 4;
            }
            if state & AFTER_MARK as usize != 0 && (matches!(k, Class::Space) || b == b'"' as usize) {
                step |= 8;
            }
            table[state][b] = step;
            b += 1;
        }
        state += 1;
    }
    table
};

/// [`measure`], stopping once more than `cap` units are seen (the other
/// counts are then partial): enough to tell a headline from a paragraph.
fn measure_upto(text: &str, cap: usize) -> Measure {
    let bytes = text.as_bytes();
    let (mut units, mut punct) = (0, 0);
    let mut state = 0u8;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            let step = ASCII_STEP[usize::from(state & 3)][usize::from(b)];
            units += usize::from(step >> 2 & 1);
            punct += usize::from(step >> 3);
            state = step & 3;
            i += 1;
        } else {
            let c = text.get(i..).and_then(|t| t.chars().next()).unwrap_or(' ');
            let k = class(c);
            if state & AFTER_MARK != 0 {
                punct += usize::from(k == Class::Space || k == Class::Unit);
            }
            units += usize::from(k == Class::Unit || k == Class::Word && state & IN_WORD == 0);
            punct += usize::from(k == Class::Mark);
            state = u8::from(k == Class::Word);
            i += c.len_utf8();
        }
        if units > cap {
            break;
        }
    }
    punct += usize::from(state & AFTER_MARK != 0);
    Measure { units, punct, last: text.trim_end().chars().next_back() }
}

/// Size of a text in "units": one per CJK character, one per word of other scripts.
/// Chinese has no spaces, so counting characters and words this way puts both
/// languages on one scale.
pub(crate) fn units(text: &str) -> usize {
    measure(text).units
}

/// `units(text) > cap`, reading no further than needed to tell.
pub(crate) fn units_exceed(text: &str, cap: usize) -> bool {
    measure_upto(text, cap).units > cap
}

/// A short line with no clause punctuation: a headline, heading or menu item.
pub(crate) fn is_headline_like(text: &str) -> bool {
    // The size first, read no further than a headline's: the scans below
    // then only ever see short lines, never a paragraph.
    let u = measure_upto(text, HEADLINE_MAX_UNITS).units;
    if !(2..=HEADLINE_MAX_UNITS).contains(&u) {
        return false;
    }
    // A headline may end in one ！ or ？ (`徒手抓子弹真的存在吗？`), never hold a sentence's end inside.
    let inner = text.trim_end().trim_end_matches(['”', '"', '’', '」']).trim_end_matches(['！', '？', '!', '?']);
    // An address is not a headline (`http://www.qianlong.com/`).
    let address = text.contains(':') && text.contains("://") || text.trim_start().starts_with("www.");
    !address
        && !inner.chars().any(|c| matches!(c, '。' | '；' | '！' | '？'))
        && !text.trim_end().ends_with(['.', ',', '，'])
        && !is_path(text)
}

/// The separators of a path of links (`网易首页 > 财经频道 > 正文`).
const PATH_SEPARATORS: [char; 5] = ['>', '＞', '»', '›', '→'];

/// Reads like a path of links, a breadcrumb: [`PATH_MIN_STEPS`] steps or more
/// joined by `>`, `»`, `›` or `→`, each a short name with no sentence
/// punctuation. A headline is never one, however it is worded; a step may be
/// empty only at the start (`> 机构设置 > 通知公告`).
pub(crate) fn is_path(text: &str) -> bool {
    let mut n = 0;
    for step in text.split(|c| PATH_SEPARATORS.contains(&c)).map(str::trim).filter(|s| !s.is_empty()) {
        if units(step) > PATH_STEP_MAX_UNITS || step.chars().any(is_sentence_punct) {
            return false;
        }
        n += 1;
    }
    n >= PATH_MIN_STEPS
}

/// Reads like running text: long enough and punctuated like a sentence.
pub(crate) fn is_prose(text: &str) -> bool {
    measure(text).is_prose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn european_letters_are_what_the_unicode_tables_say() {
        for c in ('\u{80}'..='\u{52f}').filter(|c| european_letter(*c).is_some()) {
            assert_eq!(european_letter(c), Some(c.is_alphanumeric()), "{c:?} U+{:04X}", c as u32);
        }
        assert_eq!(european_letter('ž'), Some(true));
        assert_eq!(european_letter('я'), Some(true));
        assert_eq!(european_letter('中'), None);
    }

    #[test]
    fn paths_of_links_are_told_from_headlines() {
        for path in [
            "网易首页 > 财经频道 > 正文",
            "首页 › 新闻中心 › 协会动态",
            "> 机构设置 > 处室导航 > 通知公告",
            "Home » News » Health",
        ] {
            assert!(is_path(path), "{path}");
            assert!(!is_headline_like(path), "{path}");
        }
        for headline in ["“暖心行动”温暖计生特殊家庭", "A > B", "收入增长 > 支出增长，消费信心回升 > 预期", "5G → 6G"]
        {
            assert!(!is_path(headline), "{headline}");
        }
    }

    #[test]
    fn units_count_han_by_character_and_latin_by_word() {
        assert_eq!(units("计生协 work plan 2023"), 3 + 3);
        assert_eq!(units(",。!"), 0);
    }

    #[test]
    fn decimals_and_addresses_are_not_punctuation() {
        assert_eq!(measure("3.14 www.a.cn").punct, 0);
        assert_eq!(measure("Hello, world. 你好,世界。").punct, 4);
    }

    #[test]
    fn headlines_and_prose() {
        assert!(is_headline_like("江西省计划生育协会2023年工作要点"));
        assert!(!is_headline_like("会议指出,各级计生协深入贯彻落实精神。"));
        assert!(is_prose("会议指出,各级计生协深入贯彻落实精神。"));
        assert!(!is_prose("热点新闻"));
    }

    /// The measures as their definitions say, one question at a time: the
    /// one-pass [`measure`] must agree with them.
    mod by_definition {
        use super::super::*;
        use proptest::prelude::*;

        fn units(text: &str) -> usize {
            let words = text
                .split(|c: char| is_cjk(c) || !c.is_alphanumeric() || is_punct_block(c) || is_sentence_punct(c))
                .filter(|w| !w.is_empty())
                .count();
            words + text.chars().filter(|c| is_cjk(*c)).count()
        }

        fn punct(text: &str) -> usize {
            let chars: Vec<char> = text.chars().collect();
            (0..chars.len())
                .filter(|&i| {
                    let c = chars[i];
                    let next = chars.get(i + 1);
                    is_sentence_punct(c)
                        && (!c.is_ascii() || next.is_none_or(|n| n.is_whitespace() || is_cjk(*n) || *n == '"'))
                })
                .count()
        }

        proptest! {
            #[test]
            fn measure_agrees(text in crate::text::space::tests::mixed()) {
                let m = measure(&text);
                prop_assert_eq!(m.units, units(&text));
                prop_assert_eq!(m.punct, punct(&text));
                prop_assert_eq!(m.last, text.trim_end().chars().next_back());
            }

            #[test]
            fn capped_measure_stops_only_past_the_cap(text in crate::text::space::tests::mixed(), cap in 0usize..12) {
                let (full, capped) = (units(&text), measure_upto(&text, cap).units);
                if full <= cap {
                    prop_assert_eq!(capped, full);
                } else {
                    prop_assert_eq!(capped, cap + 1);
                }
            }
        }
    }
}
