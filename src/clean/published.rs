//! The page's publish date, gathered: every date the page carries becomes a
//! candidate — the markup's stamps (`<meta>`, JSON-LD, scripts, `<time>`),
//! the address, and the dated lines around the headline — and
//! `dates::evidence` weighs them.
//!
//! Only the lines around the headline are read for dates: that is where a
//! page prints its own. Dates deeper in (an event's, a related item's) are
//! the article's text, not its date.

use super::dates::evidence::{self, Candidate};
use super::dates::labels::label_of;
use super::dates::{Found, Reading, url};
use super::line::{Context, Fate, Line, Stamp, Zone};
use super::title::Head;
use crate::model::{DateCandidate, DateLabel, DateOrigin, PubDate, Published};
use crate::text::units;
use crate::tuning::{
    DATE_FAR_STAMPS, DATE_LINE_MAX_UNITS, DATE_LIST_NEIGHBOURS, DATE_LIST_REACH, DATE_PAGE_STAMPS, DATE_WINDOW_ABOVE,
    DATE_WINDOW_BELOW_BODY_START, DATE_WINDOW_MAX_BELOW, DATELINE_OPENING_CHARS, DATELINE_PARAGRAPHS,
    DATELINE_PLACE_WORDS, LABEL_CELL_MAX_UNITS, META_AFTER_BODY, META_BEFORE_HEADLINE,
};

/// Every candidate, weighed, best first, and the publish date chosen among them.
pub(crate) fn dates(
    lines: &[Line],
    head: &Head,
    ctx: &Context,
    reading: &Reading,
) -> (Vec<DateCandidate>, Option<Published>) {
    let weighed = evidence::weigh(candidates(lines, head, ctx, reading), reading.now);
    let chosen = evidence::choose(&weighed);
    (weighed.into_iter().map(|w| w.public).collect(), chosen)
}

fn candidates(lines: &[Line], head: &Head, ctx: &Context, reading: &Reading) -> Vec<Candidate> {
    // The page's own stamps, each once: a listing's JSON-LD may give every item's date.
    let mut seen: Vec<&Stamp> = Vec::new();
    for s in &ctx.stamps {
        if seen.len() < DATE_PAGE_STAMPS && !seen.contains(&s) {
            seen.push(s);
        }
    }
    let mut out: Vec<Candidate> = seen.into_iter().filter_map(|s| stamped(s, reading, None)).collect();
    if let Some(u) = ctx.url.as_deref()
        && let Some(d) = url::date_in(u)
    {
        out.push(Candidate {
            value: crate::model::PubDate::Date(d),
            raw: u.to_string(),
            origin: DateOrigin::Url,
            label: DateLabel::Unlabelled,
            distance: None,
            in_list: false,
            utc: None,
        });
    }
    let body_start = lines.iter().position(|l| l.zone == Zone::Body).unwrap_or(0);
    let anchor = head.line.unwrap_or(body_start);
    let below = (body_start.max(anchor + 1) + DATE_WINDOW_BELOW_BODY_START).min(anchor + DATE_WINDOW_MAX_BELOW);
    let window = anchor.saturating_sub(DATE_WINDOW_ABOVE)..below;
    // Each line's own date, read once: for itself and for its neighbours' list test.
    let reach = window.start.saturating_sub(DATE_LIST_REACH)..window.end + DATE_LIST_REACH;
    let dates_from = reach.start;
    let dates = reach
        .map(|i| lines.get(i).filter(|l| is_date_line(&l.text)).and_then(|l| reading.find(&l.text, false)))
        .collect();
    let reader = Lines { lines, reading, anchor, headline: head.line, dates, dates_from };
    for i in window.clone().take_while(|&i| i < lines.len()) {
        reader.read(i, &mut out);
    }
    reader.read_dateline(window.clone(), &mut out);
    // Dated bylines beyond the window, in the article's stretch (a source
    // and date closing the article): far from the headline, weighed as such.
    let body_end = lines.iter().rposition(|l| l.zone == Zone::Body).map_or(0, |i| i + 1);
    let stretch = anchor.saturating_sub(META_BEFORE_HEADLINE)..(body_end + META_AFTER_BODY).min(lines.len());
    for i in stretch.filter(|i| !window.contains(i)) {
        if matches!(&lines[i].fate, Fate::Byline(b) if b.date.is_some()) {
            reader.read_text(i, &mut out);
        }
    }
    // Outside the window only the markup's explicit publish dates count, the
    // first few: a list page's every item carries one.
    let far = lines.iter().enumerate().filter(|(i, _)| !window.contains(i)).flat_map(|(i, l)| {
        let published = l.stamps.iter().filter(|s| s.label == DateLabel::Published && !s.raw.is_empty());
        published.map(move |s| (i, s))
    });
    out.extend(far.take(DATE_FAR_STAMPS).filter_map(|(i, s)| stamped(s, reading, Some(i.abs_diff(anchor)))));
    order_as_the_markup(&mut out);
    out
}

/// A printed day and month that read either way (`11/01/2021`) are read the
/// way the page's machine-written publish date has them, when that is the
/// other way: the order a page's language suggests is a guess (an Austrian
/// edition of a US site prints month first), an ISO date in the markup or
/// the address is not.
fn order_as_the_markup(out: &mut [Candidate]) {
    let machine: Vec<jiff::civil::Date> = out
        .iter()
        .filter(|c| matches!(c.origin, DateOrigin::Meta | DateOrigin::JsonLd | DateOrigin::Url))
        .filter(|c| !matches!(c.label, DateLabel::Updated | DateLabel::Other))
        .filter_map(|c| c.value.date().filter(|&d| either_way(&c.raw, d).is_none()))
        .collect();
    if machine.is_empty() {
        return;
    }
    for c in out.iter_mut().filter(|c| c.distance.is_some() && c.utc.is_none()) {
        let Some(date) = c.value.date().filter(|d| !machine.contains(d)) else { continue };
        let Some(swapped) = either_way(&c.raw, date) else { continue };
        if machine.contains(&swapped) {
            c.value = match c.value {
                PubDate::DateTime { time, offset, .. } => PubDate::DateTime { date: swapped, time, offset },
                _ => PubDate::Date(swapped),
            };
        }
    }
}

/// The other reading of `date` when `raw` prints it as two numbers of at
/// most 12 before the year, apart by a slash or a hyphen (`11/01/2021`); a
/// date with dots (`01.11.2021`) is day first wherever it is printed.
fn either_way(raw: &str, date: jiff::civil::Date) -> Option<jiff::civil::Date> {
    let head = raw.trim_start().split(|c: char| c.is_whitespace() || c == ',').next()?;
    if head.contains('.') {
        return None;
    }
    let mut numbers = raw.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty());
    let (a, b, y) = (numbers.next()?, numbers.next()?, numbers.next()?);
    let (a, b): (i8, i8) = (a.parse().ok()?, b.parse().ok()?);
    let plain = (1..=12).contains(&a) && (1..=12).contains(&b) && a != b && y.len() == 4;
    let as_read = [(a, b), (b, a)].contains(&(date.month(), date.day()));
    (plain && as_read && y.parse() == Ok(date.year()))
        .then(|| jiff::civil::Date::new(date.year(), date.day(), date.month()).ok())?
}

/// A stamp read into a candidate.
fn stamped(s: &Stamp, reading: &Reading, distance: Option<usize>) -> Option<Candidate> {
    let found = reading.stamp(&s.raw)?;
    let (origin, label, utc) = (s.origin, s.label, found.utc);
    Some(Candidate { value: found.value, raw: s.raw.clone(), origin, label, distance, in_list: false, utc })
}

/// The judged lines, read for dates around the headline.
struct Lines<'a> {
    lines: &'a [Line],
    reading: &'a Reading,
    anchor: usize,
    headline: Option<usize>,
    /// The date each line from `dates_from` on prints, if it is a date line.
    dates: Vec<Option<Found>>,
    dates_from: usize,
}

impl Lines<'_> {
    /// The candidates of line `i`: its stamps, and the date its text prints.
    fn read(&self, i: usize, out: &mut Vec<Candidate>) {
        let Some(l) = self.lines.get(i) else { return };
        let distance = Some(i.abs_diff(self.anchor));
        for s in &l.stamps {
            let found = if s.raw.is_empty() { self.reading.find(&l.text, false) } else { self.reading.stamp(&s.raw) };
            if let Some(f) = found {
                let raw = if s.raw.is_empty() { f.raw } else { s.raw.clone() };
                let (origin, label, utc) = (s.origin, s.label, f.utc);
                out.push(Candidate { value: f.value, raw, origin, label, distance, in_list: false, utc });
            }
        }
        self.read_text(i, out);
    }

    /// The candidate of the date line `i`'s text prints.
    fn read_text(&self, i: usize, out: &mut Vec<Candidate>) {
        let Some(l) = self.lines.get(i) else { return };
        let distance = Some(i.abs_diff(self.anchor));
        if Some(i) == self.headline {
            return;
        }
        let Some((found, text)) = self.printed(i) else { return };
        let label = match label_of(&text, found.start, found.start + found.raw.len()) {
            DateLabel::Unlabelled if found.start == 0 => self.label_cell(i),
            label => label,
        };
        let origin = match (&l.fate, label) {
            (Fate::Byline(_), _) | (_, DateLabel::Published | DateLabel::Updated) => DateOrigin::Byline,
            _ => DateOrigin::Header,
        };
        let in_list = label != DateLabel::Published && self.in_list(i);
        let utc = found.utc;
        out.push(Candidate { value: found.value, raw: found.raw, origin, label, distance, in_list, utc });
    }

    /// The dateline opening one of the article's first paragraphs in `window`
    /// (`Karlsruhe, (12.11.2021). Traditionell…`, `BERLIN, 12. November 2021
    /// – Die…`; a standfirst may come before it): the place and day a report
    /// was filed, read as a byline.
    fn read_dateline(&self, window: std::ops::Range<usize>, out: &mut Vec<Candidate>) {
        let opening = window.take_while(|&i| i < self.lines.len()).filter(|&i| {
            let l = &self.lines[i];
            l.zone == Zone::Body && matches!(l.fate, Fate::Keep) && Some(i) != self.headline && !is_date_line(&l.text)
        });
        let found =
            opening.take(DATELINE_PARAGRAPHS).find_map(|i| Some((i, dateline(&self.lines[i].text, self.reading)?)));
        let Some((i, found)) = found else { return };
        let distance = Some(i.abs_diff(self.anchor));
        let (value, raw, utc) = (found.value, found.raw, found.utc);
        let label = DateLabel::Unlabelled;
        out.push(Candidate { value, raw, origin: DateOrigin::Byline, label, distance, in_list: false, utc });
    }

    /// The date line `i` prints, with the text it was read in: a byline's,
    /// or the first date of a short line that is not a sentence, or a date
    /// split over this line and the next (`2016年03月` + `08日`).
    fn printed(&self, i: usize) -> Option<(Found, String)> {
        let l = self.lines.get(i)?;
        if let Fate::Byline(b) = &l.fate {
            let (value, raw) = b.date.clone()?;
            let start = l.text.find(raw.as_str()).unwrap_or(0);
            let utc = self.reading.find(&raw, false).and_then(|f| f.utc);
            return Some((Found { value, raw, start, utc }, l.text.clone()));
        }
        if !is_date_line(&l.text) {
            return None;
        }
        if let Some(f) = self.date_of(i) {
            return Some((f.clone(), l.text.clone()));
        }
        let next = self.lines.get(i + 1)?;
        let joined = format!("{}{}", l.text, next.text);
        let f = self
            .reading
            .find(&joined, false)
            .filter(|f| f.start < l.text.len() && f.start + f.raw.len() > l.text.len())?;
        Some((f, joined))
    }

    /// The label of a date that opens line `i`, printed alone on the line
    /// before (a table's label cell: `成文日期：` above `2022年01月27日`).
    fn label_cell(&self, i: usize) -> DateLabel {
        let Some(prev) = i.checked_sub(1).and_then(|p| self.lines.get(p)) else { return DateLabel::Unlabelled };
        let text = prev.text.trim_end();
        if !text.ends_with(['：', ':']) || units(text) > LABEL_CELL_MAX_UNITS {
            return DateLabel::Unlabelled;
        }
        label_of(text, text.len(), text.len())
    }

    /// Whether line `i` sits among sibling lines that also carry dates.
    fn in_list(&self, i: usize) -> bool {
        let from = i.saturating_sub(DATE_LIST_REACH);
        let dated = (from..=i + DATE_LIST_REACH).filter(|&j| j != i && self.is_dated(j)).count();
        dated >= DATE_LIST_NEIGHBOURS
    }

    /// The date line `i` prints, read once for the window.
    fn date_of(&self, i: usize) -> Option<&Found> {
        self.dates.get(i.checked_sub(self.dates_from)?)?.as_ref()
    }

    /// Whether line `i` prints a date: read once in the window, read again beyond it.
    fn is_dated(&self, i: usize) -> bool {
        match i.checked_sub(self.dates_from).and_then(|k| self.dates.get(k)) {
            Some(found) => found.is_some(),
            None => {
                self.lines.get(i).is_some_and(|l| is_date_line(&l.text) && self.reading.find(&l.text, false).is_some())
            }
        }
    }
}

/// A dateline: a place in capitals, a comma, the full date (in brackets or
/// not), then a dash, a stop, a slash or a colon before the report begins.
/// A date with no place before it (`3月15日，…`) is the event's, not this.
fn dateline(text: &str, reading: &Reading) -> Option<Found> {
    let opening: String = text.chars().take(DATELINE_OPENING_CHARS).collect();
    let found = reading.find(&opening, false)?;
    let before = opening.get(..found.start)?.trim_end().trim_end_matches(['(', '（']).trim_end();
    let after = opening.get(found.start + found.raw.len()..)?.trim_start().trim_start_matches([')', '）']).trim_start();
    let place = before.strip_suffix([',', '，'])?.trim();
    let words = place.split_whitespace().count();
    let is_place = (1..=DATELINE_PLACE_WORDS).contains(&words)
        && place.chars().next().is_some_and(char::is_uppercase)
        && place.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '.' | '/'));
    let opens_report = ['.', '–', '—', '-', '/', ':', '|'].iter().any(|&c| after.starts_with(c));
    (is_place && opens_report && matches!(found.value, PubDate::Date(_) | PubDate::DateTime { .. })).then_some(found)
}

/// A line that may print a date of its own: short, and not a sentence.
fn is_date_line(text: &str) -> bool {
    super::dates::formats::could_hold_date(text) && !text.contains('。') && units(text) <= DATE_LINE_MAX_UNITS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> jiff::civil::Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_dateline_is_a_place_a_comma_the_full_date_and_a_break() {
        let reading = Reading::for_page(None, Some("de"), || crate::clean::dates::zone::Script::Other, None);
        let read = |t: &str| dateline(t, &reading).map(|f| f.value.to_string());
        for (text, want) in [
            ("Karlsruhe, (12.11.2021). Traditionell gedenken evangelische Christen", "2021-11-12"),
            ("Wien, 14. Dezember 2021 – Aufgrund der steigenden Technologisierung", "2021-12-14"),
            ("NEW YORK, March 8, 2016 /PRNewswire/ -- The company announced", "2016-03-08"),
        ] {
            assert_eq!(read(text).as_deref(), Some(want), "{text}");
        }
        for text in [
            "Am 12.11.2021 gedenken evangelische Christen der Verstorbenen.",
            "In London, 12 March 2020 was the day the schools closed.",
            "12.11.2021 – Traditionell gedenken evangelische Christen",
            "Der Rat der Stadt, 12.11.2021 – so steht es im Protokoll.",
            "3月15日，市计划生育协会召开年度基层协会工作会议。",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }

    #[test]
    fn only_two_small_numbers_apart_by_a_slash_or_hyphen_read_either_way() {
        assert_eq!(either_way("11/01/2021", day("2021-01-11")), Some(day("2021-11-01")));
        assert_eq!(either_way("11-01-2021, 05:00", day("2021-01-11")), Some(day("2021-11-01")));
        // Dots are day first everywhere; a day past 12, a day equal to its month,
        // a year first, or a text that did not give this date cannot be read otherwise.
        for (raw, read) in [
            ("01.11.2021", "2021-11-01"),
            ("13/01/2021", "2021-01-13"),
            ("05/05/2021", "2021-05-05"),
            ("2021-01-11", "2021-01-11"),
            ("11/01/2021", "2021-02-11"),
        ] {
            assert_eq!(either_way(raw, day(read)), None, "{raw}");
        }
    }
}
