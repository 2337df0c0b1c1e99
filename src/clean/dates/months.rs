//! Month names of the major European languages, full and abbreviated, as
//! pages print them (Polish, Russian and Ukrainian in the genitive a date
//! takes as well): one table, read into a pattern and a lookup.

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
    // Polish: the genitive dates print (15 sierpnia 2016), the nominative, the abbreviations
    ("stycznia", 1),
    ("styczeń", 1),
    ("sty", 1),
    ("lutego", 2),
    ("luty", 2),
    ("lut", 2),
    ("marca", 3),
    ("marzec", 3),
    ("kwietnia", 4),
    ("kwiecień", 4),
    ("kwi", 4),
    ("maja", 5),
    ("maj", 5),
    ("czerwca", 6),
    ("czerwiec", 6),
    ("cze", 6),
    ("lipca", 7),
    ("lipiec", 7),
    ("lip", 7),
    ("sierpnia", 8),
    ("sierpień", 8),
    ("sie", 8),
    ("września", 9),
    ("wrzesień", 9),
    ("wrz", 9),
    ("października", 10),
    ("październik", 10),
    ("paź", 10),
    ("listopada", 11),
    ("listopad", 11),
    ("lis", 11),
    ("grudnia", 12),
    ("grudzień", 12),
    ("gru", 12),
    // Russian: genitive (15 августа 2016), nominative, abbreviations
    ("января", 1),
    ("январь", 1),
    ("янв", 1),
    ("февраля", 2),
    ("февраль", 2),
    ("фев", 2),
    ("марта", 3),
    ("март", 3),
    ("мар", 3),
    ("апреля", 4),
    ("апрель", 4),
    ("апр", 4),
    ("мая", 5),
    ("май", 5),
    ("июня", 6),
    ("июнь", 6),
    ("июн", 6),
    ("июля", 7),
    ("июль", 7),
    ("июл", 7),
    ("августа", 8),
    ("август", 8),
    ("авг", 8),
    ("сентября", 9),
    ("сентябрь", 9),
    ("сен", 9),
    ("сент", 9),
    ("октября", 10),
    ("октябрь", 10),
    ("окт", 10),
    ("ноября", 11),
    ("ноябрь", 11),
    ("ноя", 11),
    ("декабря", 12),
    ("декабрь", 12),
    ("дек", 12),
    // Ukrainian: genitive (15 серпня 2016), nominative
    ("січня", 1),
    ("січень", 1),
    ("лютого", 2),
    ("лютий", 2),
    ("березня", 3),
    ("березень", 3),
    ("квітня", 4),
    ("квітень", 4),
    ("травня", 5),
    ("травень", 5),
    ("червня", 6),
    ("червень", 6),
    ("липня", 7),
    ("липень", 7),
    ("серпня", 8),
    ("серпень", 8),
    ("вересня", 9),
    ("вересень", 9),
    ("жовтня", 10),
    ("жовтень", 10),
    ("листопада", 11),
    ("листопад", 11),
    ("грудня", 12),
    ("грудень", 12),
];

/// Whether any word of `text` is a month's name: a cheap test before the
/// month-name pattern, which is costly to run.
pub(crate) fn any_in(text: &str) -> bool {
    static NAMES: std::sync::LazyLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::LazyLock::new(|| MONTHS.iter().map(|(n, _)| *n).collect());
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_month_letter(c) {
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

/// The letters month names are written in: Latin (ASCII, Latin-1's and
/// Latin Extended-A's accented ones: `août`, `października`) and Cyrillic.
/// The date pattern's month class ([`LETTER_CLASS`]) is the same set.
pub(crate) fn is_month_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'À'..='ÿ' | 'Ā'..='ž' | 'Ѐ'..='ӿ')
}

/// [`is_month_letter`] as a regex class.
pub(crate) const LETTER_CLASS: &str = "[A-Za-zÀ-ÿĀ-žЀ-ӿ]";

/// No month's name is longer (`października` is 14 bytes, `листопада` 18).
const LONGEST_NAME_BYTES: usize = 24;

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
    fn every_letter_of_every_name_is_a_month_letter() {
        let class = regex::Regex::new(&format!("^{LETTER_CLASS}+$")).unwrap();
        for (name, _) in MONTHS {
            assert!(name.chars().all(is_month_letter), "{name}");
            assert!(class.is_match(name), "{name}");
            assert!(name.len() <= LONGEST_NAME_BYTES, "{name}");
        }
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
