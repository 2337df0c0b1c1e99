//! English bylines: `By Jane Smith | Published March 7, 2023`, `Posted on
//! March 7, 2023 by Jane Smith`, `By JANE DOE · Updated 7 March 2023 · 4 min read`.
//!
//! A line is read only when every one of its segments is a byline field, so
//! a sentence that opens with "By the end of 2023" stays in the body.

use std::sync::LazyLock;

use regex::Regex;

use super::Byline;
use crate::clean::dates::Reading;
use crate::tuning::ENGLISH_BYLINE_MAX_BYTES;

/// Where a byline's segments meet: a bar, a middle dot or a bullet, or a
/// dash with space around it (a hyphen inside a name is not one).
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[|·•]\s*|\s+[-–—]\s+").expect("valid separator pattern"));

/// A reading-time badge: `4 min read`.
static READ_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\d+\s*(?:min|mins|minutes?)\s+read$").expect("valid read-time pattern"));

/// Words that may stand beside a byline's date and say nothing else.
const DATE_WORDS: &[&str] = &["published", "posted", "updated", "last", "modified", "on", "at", "date", "first"];

/// Lower-case words that may sit inside a name (`Ludwig van Beethoven`).
const NAME_PARTICLES: &[&str] =
    &["and", "&", "de", "del", "van", "von", "der", "den", "la", "le", "da", "di", "du", "al", "bin"];

/// A name list holds at most this many words (`Jane Smith and John Doe` is five).
const NAME_MAX_WORDS: usize = 8;

/// What one segment of the line is.
enum Segment {
    Author(String),
    Date { value: (crate::model::PubDate, String), labelled: bool, updated: bool, author: Option<String> },
    ReadTime,
}

/// The byline a line without Chinese holds, when each of its segments is a
/// field: an author after "By", a date with at most a label beside it, a
/// reading time. A bare date alone is left to the general reader.
pub(crate) fn parse(line: &str, reading: &Reading) -> Option<Byline> {
    if line.len() > ENGLISH_BYLINE_MAX_BYTES || !could_be_byline(line) {
        return None;
    }
    let mut out = Byline::default();
    let mut updated = None;
    let mut labelled = false;
    for seg in SEPARATOR.split(line.trim()).map(str::trim).filter(|s| !s.is_empty()) {
        match segment(seg, reading)? {
            Segment::Author(name) => {
                labelled = true;
                out.author.get_or_insert(name);
            }
            Segment::Date { value, labelled: l, updated: u, author } => {
                labelled |= l || author.is_some();
                if u {
                    updated.get_or_insert(value);
                } else {
                    out.date.get_or_insert(value);
                }
                out.author = out.author.take().or(author);
            }
            Segment::ReadTime => {}
        }
    }
    // A publish date wins over an update; a bare date with nothing else is the general reader's.
    out.date = out.date.or(updated);
    (labelled && (out.author.is_some() || out.date.is_some())).then_some(out)
}

/// Cheap test first: a byline names its author with "by" or labels its
/// date. ASCII case is ignored without building a lower-case copy.
fn could_be_byline(line: &str) -> bool {
    const WORDS: [&[u8]; 4] = [b"by ", b"published", b"posted", b"updated"];
    let bytes = line.as_bytes();
    WORDS.iter().any(|w| bytes.windows(w.len()).any(|window| window.eq_ignore_ascii_case(w)))
}

fn segment(seg: &str, reading: &Reading) -> Option<Segment> {
    if READ_TIME.is_match(seg) {
        return Some(Segment::ReadTime);
    }
    if let Some(rest) = strip_by(seg) {
        return names(rest).map(Segment::Author);
    }
    let found = reading.find(seg, false)?;
    let (before, after) = (seg.get(..found.start)?, seg.get(found.start + found.raw.len()..)?);
    let words = before.split(|c: char| c.is_whitespace() || c == ':' || c == ',').filter(|w| !w.is_empty());
    let (mut updated, mut labelled) = (false, false);
    for w in words {
        labelled = true;
        let w = w.to_ascii_lowercase();
        if !DATE_WORDS.contains(&w.as_str()) {
            return None;
        }
        updated |= w == "updated" || w == "modified";
    }
    // `Posted on March 7, 2023 by Jane Smith`.
    let after = after.trim_matches(|c: char| c.is_whitespace() || c == ',');
    let author = match after {
        "" => None,
        _ => Some(names(strip_by(after)?)?),
    };
    Some(Segment::Date { value: (found.value, found.raw), labelled, updated, author })
}

/// The text after a leading "by" (`By`, `BY`, `Written by`, `Story by`).
fn strip_by(seg: &str) -> Option<&str> {
    let lower = seg.to_ascii_lowercase();
    ["by ", "written by ", "words by ", "story by ", "text by ", "reporting by "]
        .iter()
        .find(|p| lower.starts_with(*p))
        .and_then(|p| seg.get(p.len()..))
}

/// Personal names: capitalised words (particles allowed between them), a
/// comma between names; `None` for anything else (`by the end of the year`).
fn names(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches(',');
    let words: Vec<&str> = text.split_whitespace().collect();
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let fits = |w: &&str| {
        let bare = w.trim_end_matches(',');
        capitalised(bare) || NAME_PARTICLES.contains(&bare)
    };
    let ok = !words.is_empty()
        && words.len() <= NAME_MAX_WORDS
        && words.first().is_some_and(|w| capitalised(w))
        && words.last().is_some_and(|w| capitalised(w))
        && words.iter().all(fits);
    ok.then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Option<(Option<String>, Option<String>)> {
        let b = parse(line, &Reading::default())?;
        Some((b.author, b.date.map(|(d, _)| d.to_string())))
    }

    fn some(author: Option<&str>, date: Option<&str>) -> Option<(Option<String>, Option<String>)> {
        Some((author.map(str::to_string), date.map(str::to_string)))
    }

    #[test]
    fn author_and_date() {
        assert_eq!(read("By Jane Smith | Published March 7, 2023"), some(Some("Jane Smith"), Some("2023-03-07")));
        assert_eq!(read("Posted on March 7, 2023 by Jane Smith"), some(Some("Jane Smith"), Some("2023-03-07")));
        assert_eq!(read("BY JANE DOE · 4 min read"), some(Some("JANE DOE"), None));
        assert_eq!(read("By Ludwig van Beethoven"), some(Some("Ludwig van Beethoven"), None));
    }

    #[test]
    fn a_publish_date_wins_over_an_update() {
        let got = read("Updated: April 2, 2023 | Published: March 7, 2023 | By Li Wei");
        assert_eq!(got, some(Some("Li Wei"), Some("2023-03-07")));
        assert_eq!(read("Last updated on April 2, 2023"), some(None, Some("2023-04-02")));
    }

    #[test]
    fn sentences_are_not_bylines() {
        assert_eq!(read("By the end of 2023, the programme reached every district."), None);
        assert_eq!(read("Published by the Ministry on March 7, 2023 after a long review"), None);
        assert_eq!(read("The report was posted online - see March 7, 2023"), None);
        // A bare date is the general reader's, not this one's.
        assert_eq!(read("March 7, 2023"), None);
    }
}
