//! Month names of the major European languages, full and abbreviated, as
//! pages print them: one table, read into a pattern and a lookup.

/// `(name, month)`, lower case. Abbreviations are listed as printed, without
/// their dot (the pattern allows one).
const MONTHS: &[(&str, i8)] = &[
    // English
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("jän", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    // French
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    // Spanish
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("ago", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("dic", 12),
    // Italian
    ("gennaio", 1),
    ("gen", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("mag", 5),
    ("giugno", 6),
    ("giu", 6),
    ("luglio", 7),
    ("lug", 7),
    ("settembre", 9),
    ("set", 9),
    ("ottobre", 10),
    ("ott", 10),
    ("dicembre", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("fev", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("out", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mrt", 3),
    ("mei", 5),
    ("augustus", 8),
];

/// Whether any word of `text` is a month's name: a cheap test before the
/// month-name pattern, which is costly to run.
pub(crate) fn any_in(text: &str) -> bool {
    static NAMES: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| MONTHS.iter().map(|(n, _)| *n).collect());
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        // Month names are written in Latin letters (ASCII and Latin-1's accented ones).
        if c.is_ascii_alphabetic() || matches!(c, 'À'..='ÿ') {
            if word.len() < LONGEST_NAME_BYTES {
                word.extend(c.to_lowercase());
            }
            continue;
        }
        if !word.is_empty() && NAMES.contains(word.as_str()) {
            return true;
        }
        word.clear();
    }
    false
}

/// No month's name is longer (`septiembre`, `setembro` in bytes with room to spare).
const LONGEST_NAME_BYTES: usize = 16;

/// The month a name stands for, in any case.
pub(crate) fn month(name: &str) -> Option<i8> {
    let lower = name.to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == lower).map(|(_, m)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_read_back_in_any_case() {
        for (name, m) in MONTHS {
            assert_eq!(month(name), Some(*m), "{name}");
            assert_eq!(month(&name.to_uppercase()), Some(*m), "{name}");
        }
        assert_eq!(month("Märchen"), None);
    }

    #[test]
    fn names_are_not_listed_twice_with_different_months() {
        for (a, ma) in MONTHS {
            for (b, mb) in MONTHS {
                assert!(a != b || ma == mb, "{a}");
            }
        }
    }
}
