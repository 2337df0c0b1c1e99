//! Choosing a page's publish date by evidence: every date the page carries
//! is a candidate, scored by where it was found, what its label says, how
//! precise it is, how near the headline it sits, whether it is one of a
//! list's dates, and what agrees with it. The best wins if it reaches a floor;
//! otherwise the page stays undated.

use std::collections::{HashMap, HashSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::formats::at;

use crate::model::{DateCandidate, DateLabel, DateOrigin, PubDate, Published};
use crate::tuning::{
    DATE_AGREES, DATE_AGREES_MAX, DATE_CONTRADICTED, DATE_FAR, DATE_FAR_LINES, DATE_FLOOR, DATE_IN_LIST,
    DATE_LABEL_OTHER, DATE_LABEL_PUBLISHED, DATE_LABEL_UPDATED, DATE_MONTH_DAY, DATE_NEAR_HEADLINE, DATE_NEAR_STEP,
    DATE_WITH_TIME, EARLIEST_YEAR,
};

/// A date found on the page, before it is weighed.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub value: PubDate,
    pub raw: String,
    pub origin: DateOrigin,
    pub label: DateLabel,
    /// Lines between the date and the headline; `None` for dates that are
    /// not on a line (metadata, the address, scripts).
    pub distance: Option<usize>,
    /// On a line among sibling lines that each carry a date: a list of
    /// related items, not a byline.
    pub in_list: bool,
    /// The instant, when it was printed in UTC (see [`Found::utc`](super::Found::utc)).
    pub utc: Option<Timestamp>,
}

/// A candidate as weighed: what the caller sees, and the instant behind it.
#[derive(Debug, Clone)]
pub(crate) struct Weighed {
    pub public: DateCandidate,
    utc: Option<Timestamp>,
}

impl Candidate {
    /// The calendar days the candidate stands for: its own, and for a UTC
    /// instant also UTC's (a page that prints its times in UTC prints that day).
    fn days(&self) -> [Option<Date>; 2] {
        [self.value.date(), self.utc.map(|ts| ts.to_zoned_datetime(TimeZone::UTC).date())]
    }

    /// The plain pairwise test `Days` answers in constant time (its proof's reference).
    #[cfg(test)]
    fn shares_a_day(&self, other: &Candidate) -> bool {
        let mine = self.days();
        other.days().iter().flatten().any(|d| mine.contains(&Some(*d)))
    }
}

/// What each origin is worth before any other evidence.
fn origin_weight(origin: DateOrigin) -> i32 {
    use crate::tuning::{
        DATE_BODY, DATE_BYLINE, DATE_ELEMENT, DATE_HEADER, DATE_JSON_LD, DATE_META, DATE_SCRIPT, DATE_URL,
    };
    match origin {
        DateOrigin::Meta => DATE_META,
        DateOrigin::JsonLd => DATE_JSON_LD,
        DateOrigin::Byline => DATE_BYLINE,
        DateOrigin::Element => DATE_ELEMENT,
        DateOrigin::Script => DATE_SCRIPT,
        DateOrigin::Header => DATE_HEADER,
        DateOrigin::Url => DATE_URL,
        DateOrigin::Body => DATE_BODY,
    }
}

fn origin_name(origin: DateOrigin) -> &'static str {
    match origin {
        DateOrigin::Meta => "meta tag",
        DateOrigin::JsonLd => "JSON-LD",
        DateOrigin::Byline => "byline",
        DateOrigin::Element => "date element",
        DateOrigin::Script => "script variable",
        DateOrigin::Header => "line near the headline",
        DateOrigin::Url => "address",
        DateOrigin::Body => "article text",
    }
}

/// Scores every candidate, best first. `now` bounds plausible dates (a
/// publish date is not in the future); without it the clock is asked.
pub(crate) fn weigh(candidates: Vec<Candidate>, now: Option<Timestamp>) -> Vec<Weighed> {
    let latest =
        now.unwrap_or_else(Timestamp::now).to_zoned_datetime(jiff::tz::TimeZone::UTC).date().checked_add(1.day()).ok();
    let days = Days::of(&candidates);
    let mut scored: Vec<Weighed> = candidates
        .iter()
        .map(|c| {
            let mut evidence = vec![(origin_name(c.origin).to_string(), origin_weight(c.origin))];
            let mut add = |what: &str, weight: i32| evidence.push((what.to_string(), weight));
            match c.label {
                DateLabel::Published => add("labelled published", DATE_LABEL_PUBLISHED),
                DateLabel::Updated => add("labelled updated", DATE_LABEL_UPDATED),
                DateLabel::Other => add("labelled as another date", DATE_LABEL_OTHER),
                _ => {}
            }
            match c.value {
                PubDate::DateTime { .. } => add("has a time", DATE_WITH_TIME),
                PubDate::MonthDay { .. } => add("no year", DATE_MONTH_DAY),
                _ => {}
            }
            match c.distance {
                Some(d) if d > DATE_FAR_LINES => add("far from the headline", DATE_FAR),
                Some(d) => {
                    let near = DATE_NEAR_HEADLINE - DATE_NEAR_STEP * i32::try_from(d).unwrap_or(i32::MAX / 4);
                    add("near the headline", near.max(-DATE_NEAR_HEADLINE));
                }
                None => {}
            }
            if c.in_list {
                add("one of a list's dates", DATE_IN_LIST);
            }
            let agreeing = days.agreeing_origins(c).min(DATE_AGREES_MAX);
            if agreeing > 0 {
                add(&format!("agrees with {agreeing} other source(s)"), DATE_AGREES * agreeing);
            }
            if !is_printed(c) && days.contradicted(c) {
                add("no printed date agrees", DATE_CONTRADICTED);
            }
            let implausible = c.value.date().is_some_and(|d| d.year() < EARLIEST_YEAR || latest.is_some_and(|l| d > l));
            if implausible {
                add("implausible (before the web or in the future)", -1000);
            }
            let score = evidence.iter().map(|(_, w)| w).sum();
            let public = DateCandidate::new(c.value, c.raw.clone(), c.origin, c.label, score, evidence);
            Weighed { public, utc: c.utc }
        })
        .collect();
    // Stable: on a tie the candidate found first (metadata, then lines in page order) stays first.
    scored.sort_by_key(|c| std::cmp::Reverse(c.public.score));
    dedup(scored)
}

/// A date printed on a line near the headline, as opposed to one the markup carries.
fn is_printed(c: &Candidate) -> bool {
    matches!(c.origin, DateOrigin::Byline | DateOrigin::Header) && c.distance.is_some_and(|d| d <= DATE_FAR_LINES)
}

/// What all the candidates say, gathered once, so that weighing each one
/// is constant work, not a pass over the others (a page of 100,000 dated
/// lines is weighed in linear time): the origins that give each calendar
/// day, and the days printed under the headline.
struct Days {
    /// Each day, with the origins (a bit each) whose candidates stand for it.
    origins: HashMap<Date, u16>,
    /// The days printed under the headline (not a list's, not another date's).
    printed: HashSet<Date>,
}

impl Days {
    fn of(candidates: &[Candidate]) -> Days {
        let mut days = Days { origins: HashMap::new(), printed: HashSet::new() };
        for c in candidates {
            for d in c.days().into_iter().flatten() {
                if c.label != DateLabel::Other {
                    *days.origins.entry(d).or_default() |= origin_bit(c.origin);
                }
                // What the page prints under its headline is what its readers see as its date.
                if is_printed(c) && !c.in_list && c.label != DateLabel::Other {
                    days.printed.insert(d);
                }
            }
        }
        days
    }

    /// How many other origins give one of the candidate's calendar days.
    fn agreeing_origins(&self, c: &Candidate) -> i32 {
        let mask = c.days().into_iter().flatten().filter_map(|d| self.origins.get(&d)).fold(0u16, |m, o| m | o);
        i32::try_from((mask & !origin_bit(c.origin)).count_ones()).unwrap_or(i32::MAX)
    }

    /// The page prints a date under its headline, and none on the candidate's days.
    fn contradicted(&self, c: &Candidate) -> bool {
        !self.printed.is_empty() && !c.days().into_iter().flatten().any(|d| self.printed.contains(&d))
    }
}

/// An origin as one bit of a set.
fn origin_bit(origin: DateOrigin) -> u16 {
    1 << match origin {
        DateOrigin::Meta => 0,
        DateOrigin::JsonLd => 1,
        DateOrigin::Byline => 2,
        DateOrigin::Element => 3,
        DateOrigin::Script => 4,
        DateOrigin::Header => 5,
        DateOrigin::Url => 6,
        DateOrigin::Body => 7,
    }
}

/// One entry per value and origin: the best scored.
fn dedup(scored: Vec<Weighed>) -> Vec<Weighed> {
    let mut seen = HashSet::new();
    scored.into_iter().filter(|c| seen.insert((c.public.value, c.public.found_in))).collect()
}

/// The publish date: the best candidate, if it reaches the floor.
///
/// A UTC instant was moved to the page's zone by a guess at that zone; when
/// the page prints a day (under the headline, or in its address) that the
/// instant can fall on and its moved day is not printed anywhere, the
/// printed day is the page's own: the instant is given in UTC when that is
/// its day, otherwise the printed date is.
pub(crate) fn choose(scored: &[Weighed]) -> Option<Published> {
    choose_day(scored).map(|p| most_precise(p, scored))
}

/// A day chosen, and a time of that same day printed elsewhere on the page
/// (a byline's `19. Juni 2016` and the markup's `2016-06-19T08:20:49+02:00`):
/// the date is given as precisely as the page gives it, by the best-scored
/// source of that day that carries the time.
///
/// A time to the minute is given to the second the same way, when another
/// source prints that same minute with its seconds (a byline's `28 kwietnia
/// 2021, 06:29` and the markup's `2021-04-28 06:29:18+0200`).
fn most_precise(chosen: Published, scored: &[Weighed]) -> Published {
    let sure = scored.iter().map(|w| &w.public).filter(|c| c.score >= DATE_FLOOR);
    let finer = match chosen.value {
        PubDate::Date(day) => sure.clone().find(|c| matches!(c.value, PubDate::DateTime { date, .. } if date == day)),
        PubDate::DateTime { date, time, offset } if time.second() == 0 && time.subsec_nanosecond() == 0 => {
            sure.clone().find(|c| match c.value {
                PubDate::DateTime { date: d, time: t, offset: o } => {
                    d == date
                        && o == offset
                        && t.hour() == time.hour()
                        && t.minute() == time.minute()
                        && t.second() != 0
                }
                _ => false,
            })
        }
        _ => None,
    };
    finer.map_or(chosen, |c| Published::new(c.value, &c.raw, c.found_in))
}

/// The publish day, by the scores and the UTC rules above.
fn choose_day(scored: &[Weighed]) -> Option<Published> {
    let best = scored.first().filter(|c| c.public.score >= DATE_FLOOR)?;
    let published = |c: &DateCandidate| Some(Published::new(c.value, &c.raw, c.found_in));
    let Some(ts) = best.utc else { return published(&best.public) };
    let printed: Vec<&DateCandidate> = scored
        .iter()
        .map(|w| &w.public)
        .filter(|c| matches!(c.found_in, DateOrigin::Byline | DateOrigin::Header | DateOrigin::Url))
        .filter(|c| c.score >= DATE_FLOOR)
        .collect();
    if printed.iter().any(|c| c.value.date() == best.public.value.date()) {
        return published(&best.public);
    }
    let utc_day = ts.to_zoned_datetime(TimeZone::UTC).date();
    let earliest = ts.checked_sub(12.hours()).ok()?.to_zoned_datetime(TimeZone::UTC).date();
    let latest = ts.checked_add(14.hours()).ok()?.to_zoned_datetime(TimeZone::UTC).date();
    match printed.iter().find(|c| c.value.date().is_some_and(|d| (earliest..=latest).contains(&d))) {
        Some(c) if c.value.date() == Some(utc_day) => {
            Some(Published::new(at(ts, &TimeZone::UTC)?, &best.public.raw, best.public.found_in))
        }
        Some(c) => published(c),
        None => published(&best.public),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(value: &str, origin: DateOrigin, label: DateLabel, distance: Option<usize>) -> Candidate {
        Candidate {
            value: value.parse().unwrap(),
            raw: value.into(),
            origin,
            label,
            distance,
            in_list: false,
            utc: None,
        }
    }

    mod linear {
        //! `Days` answers what a pass over every other candidate would.
        use super::*;
        use proptest::prelude::*;

        fn candidate() -> impl Strategy<Value = Candidate> {
            let origins = prop::sample::select(vec![
                DateOrigin::Meta,
                DateOrigin::JsonLd,
                DateOrigin::Byline,
                DateOrigin::Element,
                DateOrigin::Header,
                DateOrigin::Url,
                DateOrigin::Body,
            ]);
            let labels = prop::sample::select(vec![
                DateLabel::Published,
                DateLabel::Updated,
                DateLabel::Other,
                DateLabel::Unlabelled,
            ]);
            (1u8..6, 0i64..3, origins, labels, prop::option::of(0usize..30), any::<bool>(), any::<bool>()).prop_map(
                |(day, hours, origin, label, distance, in_list, utc)| {
                    let value = format!("2024-03-0{day}T2{hours}:00:00+08:00");
                    let mut c = cand(&value, origin, label, distance);
                    c.in_list = in_list;
                    c.utc = utc.then(|| value.parse::<jiff::Timestamp>().unwrap());
                    c
                },
            )
        }

        proptest! {
            #[test]
            fn days_agree_with_the_pairwise_reference(all in prop::collection::vec(candidate(), 1..12)) {
                let days = Days::of(&all);
                let printed: Vec<&Candidate> =
                    all.iter().filter(|c| is_printed(c) && !c.in_list && c.label != DateLabel::Other).collect();
                for c in &all {
                    let mut origins: Vec<&str> = all
                        .iter()
                        .filter(|o| o.origin != c.origin && o.label != DateLabel::Other && c.shares_a_day(o))
                        .map(|o| origin_name(o.origin))
                        .collect();
                    origins.sort_unstable();
                    origins.dedup();
                    prop_assert_eq!(days.agreeing_origins(c), origins.len() as i32);
                    let contradicted = !printed.is_empty() && !printed.iter().any(|p| p.shares_a_day(c));
                    prop_assert_eq!(days.contradicted(c), contradicted);
                }
            }
        }
    }

    fn winner(cands: Vec<Candidate>) -> Option<String> {
        choose(&weigh(cands, Some("2026-01-01T00:00:00Z".parse().unwrap()))).map(|p| p.value.to_string())
    }

    #[test]
    fn agreement_outweighs_a_lone_source() {
        let got = winner(vec![
            cand("2020-01-01", DateOrigin::Meta, DateLabel::Published, None),
            cand("2020-03-08T10:00:00+08:00", DateOrigin::Byline, DateLabel::Published, Some(1)),
            cand("2020-03-08", DateOrigin::Url, DateLabel::Unlabelled, None),
        ]);
        assert_eq!(got.as_deref(), Some("2020-03-08T10:00:00+08:00"));
    }

    #[test]
    fn published_beats_updated_beats_nothing() {
        let got = winner(vec![
            cand("2020-03-09", DateOrigin::Meta, DateLabel::Updated, None),
            cand("2020-03-08", DateOrigin::Meta, DateLabel::Published, None),
        ]);
        assert_eq!(got.as_deref(), Some("2020-03-08"));
        let only_updated = winner(vec![cand("2020-03-09", DateOrigin::Meta, DateLabel::Updated, None)]);
        assert_eq!(only_updated.as_deref(), Some("2020-03-09"));
    }

    #[test]
    fn a_minute_is_given_with_the_seconds_another_source_prints() {
        let byline = || cand("2021-04-28T06:29:00+02:00", DateOrigin::Byline, DateLabel::Unlabelled, Some(1));
        let meta = |v: &str| cand(v, DateOrigin::Meta, DateLabel::Published, None);
        let got = winner(vec![byline(), meta("2021-04-28T06:29:18+02:00")]);
        assert_eq!(got.as_deref(), Some("2021-04-28T06:29:18+02:00"));
        // Another minute, or another offset, is another time: the byline's stands.
        for other in ["2021-04-28T06:31:18+02:00", "2021-04-28T06:29:18+00:00"] {
            assert_eq!(winner(vec![byline(), meta(other)]).as_deref(), Some("2021-04-28T06:29:00+02:00"), "{other}");
        }
    }

    #[test]
    fn list_dates_event_dates_and_future_dates_stay_out() {
        let mut listed = cand("2020-03-08", DateOrigin::Header, DateLabel::Unlabelled, Some(2));
        listed.in_list = true;
        assert_eq!(winner(vec![listed]), None);
        assert_eq!(winner(vec![cand("2020-03-08", DateOrigin::Header, DateLabel::Other, Some(1))]), None);
        assert_eq!(winner(vec![cand("2031-03-08", DateOrigin::Meta, DateLabel::Published, None)]), None);
        assert_eq!(winner(vec![cand("1985-03-08", DateOrigin::Meta, DateLabel::Published, None)]), None);
    }
}
