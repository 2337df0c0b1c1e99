//! Character classes: which characters count as CJK, as clause punctuation, as the end of a sentence.

/// True for Han ideographs and the other scripts scored a character at a time.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3040..=0x30FF | 0xAC00..=0xD7AF | 0x20000..=0x2FA1F)
}

/// Blocks of punctuation and symbols (general punctuation, CJK symbols,
/// full-width forms' punctuation): never letters, so the Unicode tables
/// need not be read for them.
pub(crate) fn is_punct_block(c: char) -> bool {
    matches!(c as u32,
        0x2000..=0x206F | 0x3000..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D..=0x303F | 0xFF00..=0xFF0F
        | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Sentence and clause punctuation, full-width and ASCII.
pub(crate) fn is_sentence_punct(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '：' | '！' | '？' | '、' | ',' | ';' | '!' | '?' | '…' | '.' | ':')
}

/// Punctuation that ends a sentence or a paragraph.
pub(crate) fn is_terminal(c: char) -> bool {
    matches!(
        c,
        '。' | '！' | '？' | '!' | '?' | '…' | '.' | '；' | ';' | '”' | '」' | '』' | '"' | '）' | ')' | '：' | ':'
    )
}

/// Four bytes that are a year from 1900 to 2099 (`2016`), as date readers
/// look for one before running a pattern.
pub(crate) fn is_year(w: &[u8]) -> bool {
    matches!(w, [b'1', b'9', c, d] | [b'2', b'0', c, d] if c.is_ascii_digit() && d.is_ascii_digit())
}
