//! Reading dates out of text: every way these pages print them, kept as
//! precise as the page is, read with the page's conventions ([`Reading`]).
//!
//! Each pattern finds its first valid match; of those, the one that starts
//! first wins (the longer on a tie), so a line is read left to right whatever
//! its format.

use std::borrow::Cow;
use std::sync::LazyLock;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use regex::{Captures, Regex};

use super::Reading;
use super::months;
use super::relative;
use crate::model::PubDate;
use crate::text::is_year;
use crate::tuning::{ROC_YEAR_OFFSET, ROC_YEARS};

/// A time after a date: `14:30`, `14:30:05`, `下午2:05`, `09:56AM`, `10:41 GMT`,
/// `13h48`, `um 10:41 Uhr`, `T02:41:00Z`, `- 13:48`.
const TIME: &str = concat!(
    r"(?:(?:T|\s+(?:um|at|à|a\s+las|alle|om|às)\s+|\s*[,|\-–]?\s*)",
    r"(?P<cn>上午|下午|晚上|早上|凌晨|中午)?\s*(?P<H>\d{1,2})\s*(?::|时|點|点|h)\s*(?P<M>\d{1,2})",
    r"(?:\s*(?::|分)\s*(?P<S>\d{1,2})(?:\.\d+)?)?",
    r"(?:\s*(?P<ap>[AaPp]\.?\s?[Mm](?-u:\b)\.?))?(?:\s*Uhr)?",
    r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|(?:GMT|UTC)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?|CEST|CET|MESZ|MEZ|BST|EDT|EST|CDT|PDT|PST|MDT|MST|JST|HKT|AEDT|AEST)(?-u:\b))?)?"
);

/// A weekday between a date and its time: `星期一`, `(周一)`, `週一`.
const WEEKDAY: &str = r"(?:\s*[（(]?(?:星期|周|週|礼拜)[一二三四五六日天][)）]?)?";

/// Year first, the Chinese and ISO order: `2016-03-08`, `2016年3月8日`, `2016/3/8`, `2016.03.08`.
static YMD: LazyLock<Regex> = LazyLock::new(|| {
    let date = r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?:\s*日)?";
    Regex::new(&format!("{date}{WEEKDAY}{TIME}")).expect("valid date pattern")
});

/// Day and month before the year: `19.07.2014`, `19/07/2014`, `07/19/2014`, `06/02/2022 - 13:48`.
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    let date = r"(?P<a>\d{1,2})\s?(?P<sep>[./-])\s?(?P<b>\d{1,2})\s?[./-]\s?(?P<y>(?:19|20)\d{2})";
    Regex::new(&format!("{date}{TIME}")).expect("valid date pattern")
});

/// Month names, month first (`March 8, 2016`, `Mar. 8th 2016`) or day first
/// (`8 Mar 2016`, `8. März 2016`, `8 mars 2016`, `8 de marzo de 2016`,
/// `the 8th of March 2016`). The
/// pattern takes any word where the month goes and [`months::month`] reads
/// it: an alternation of every month's name in every case is a pattern many
/// times as costly to run.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    // ASCII word boundaries: a Unicode one keeps the fast engine off every page with non-ASCII text.
    let l = months::LETTER_CLASS;
    let mdy = format!(
        r"(?-u:\b)(?P<mon1>{l}{{3,13}})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+(?P<y1>(?:19|20)\d{{2}})(?-u:\b)"
    );
    let dmy = format!(
        r"(?-u:\b)(?P<d2>\d{{1,2}})(?:st|nd|rd|th|er|º|\.)?\s*(?:de\s+|of\s+)?(?P<mon2>{l}{{3,13}})\.?,?\s*(?:de\s+)?(?P<y2>(?:19|20)\d{{2}})(?-u:\b)"
    );
    Regex::new(&format!("(?:{mdy}|{dmy}){TIME}")).expect("valid date pattern")
});

/// Chinese month words in a Western order, as WordPress and other themes
/// print a localised month (`F j, Y`, `jS F Y`): `十二月 4, 2026`,
/// `3月 8th, 2016`, `4th 十二月 2026`. The month is `一月`…`十二月` or `12月`;
/// the day has no 日 (with one, the text is the Chinese order, read by
/// [`YMD`]) and the year comes last.
static HAN_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    let month = |n: u8| format!(r"(?P<mon{n}>[一二三四五六七八九十]{{1,3}}|\d{{1,2}})\s*月");
    let mdy = format!(r"{}\s*(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(?P<y1>(?:19|20)\d{{2}})", month(1));
    let dmy = format!(r"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{}\s*,?\s*(?P<y2>(?:19|20)\d{{2}})", month(2));
    Regex::new(&format!("(?:{mdy}|{dmy}){TIME}")).expect("valid date pattern")
});

/// Years in Chinese numerals: `二〇二三年三月七日`.
static HANZI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<y>[〇零○Ｏ一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日")
        .expect("valid date pattern")
});

/// 民國 years: `民國105年3月8日` anywhere; on Taiwan's pages also `105年3月8日`, `105/03/08`.
static ROC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<era>民國|民国)?\s*(?P<y>\d{2,3})\s*(?:年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日",
        r"|[/.-](?P<m2>\d{1,2})[/.-](?P<d2>\d{1,2}))"
    ))
    .expect("valid date pattern")
});

/// A date printed in parts, one element each, that make up the whole text:
/// the day and the year with its month (`18 2024-03`, `2024.03 18`), or the
/// year and the month with its day (`03-18 2024`, `2024 03-18`). Templates
/// set the day large beside a small year and month; the walk puts a space
/// where one element's digits meet the next's. Only a text of nothing else
/// is read so: in a sentence, `18 2024-03` is no date.
static PARTS: LazyLock<Regex> = LazyLock::new(|| {
    let ym = |n: u8| format!(r"(?P<y{n}>(?:19|20)\d{{2}})\s*[-/.年]\s*(?P<m{n}>\d{{1,2}})\s*月?");
    let md = |n: u8| format!(r"(?P<m{n}>\d{{1,2}})\s*[-/.月]\s*(?P<d{n}>\d{{1,2}})\s*日?");
    let (day, year) =
        (|n: u8| format!(r"(?P<d{n}>\d{{1,2}})\s*日?"), |n: u8| format!(r"(?P<y{n}>(?:19|20)\d{{2}})\s*年?"));
    let arrangements = [
        format!(r"{}\s+{}", day(1), ym(1)),
        format!(r"{}\s+{}", ym(2), day(2)),
        format!(r"{}\s+{}", md(3), year(3)),
        format!(r"{}\s+{}", year(4), md(4)),
    ];
    Regex::new(&format!(r"^\s*(?:{})\s*$", arrangements.join("|"))).expect("valid date pattern")
});

/// Texts longer than this are never a date in parts alone.
const PARTS_MAX_BYTES: usize = 32;

static MONTH_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日").expect("valid date pattern"));

/// What a text holds that the formats need, found in one pass.
#[derive(Debug, Default)]
struct Shape {
    /// Four digits from 1900 to 2099…
    year: bool,
    /// …followed by a date's separator (`2016-`, `2016/`, `2016.`, `2016年`: 年 opens with byte E5)…
    year_first: bool,
    /// …or preceded by one (`/2016`, `.2016`, `-2016`).
    year_last: bool,
    /// An ASCII letter or a Cyrillic one (lead byte D0 or D1): a month's name may be there.
    letters: bool,
    nian: bool,
    yue: bool,
    /// 民國 or 民国.
    era: bool,
}

impl Shape {
    fn of(text: &str) -> Shape {
        let bytes = text.as_bytes();
        let mut shape = Shape {
            letters: bytes.iter().any(|b| b.is_ascii_alphabetic() || matches!(b, 0xD0 | 0xD1)),
            nian: text.contains('年'),
            yue: text.contains('月'),
            era: text.contains('民') && (text.contains("民國") || text.contains("民国")),
            ..Shape::default()
        };
        for (i, w) in bytes.windows(4).enumerate() {
            if !is_year(w) {
                continue;
            }
            shape.year = true;
            let after = bytes.get(i + 4..).unwrap_or_default().iter().find(|b| !b.is_ascii_whitespace());
            shape.year_first |= after.is_some_and(|b| matches!(b, b'-' | b'/' | b'.' | 0xE5));
            let before = bytes.get(..i).unwrap_or_default().iter().rev().find(|b| !b.is_ascii_whitespace());
            shape.year_last |= before.is_some_and(|b| matches!(b, b'.' | b'/' | b'-'));
        }
        shape
    }
}

/// A date found in a text, with where it starts and the text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub value: PubDate,
    pub raw: String,
    pub start: usize,
    /// The instant, when the text printed it in UTC (`Z`, `+00:00`, `GMT`,
    /// seconds since 1970): its calendar day depends on a zone the page may
    /// not have said, so the day the page prints elsewhere may settle it.
    pub utc: Option<Timestamp>,
}

impl Reading {
    /// The first date in `text` (the leftmost of every format's first match),
    /// month-days included when `month_day` is set, then — when the
    /// reference time is known — a relative date.
    pub(crate) fn find(&self, text: &str, month_day: bool) -> Option<Found> {
        if !could_hold_date(text) {
            return self.relative(text);
        }
        let text = normalize_digits(text);
        let text = text.as_ref();
        let shape = Shape::of(text);
        // Each format runs only where the text has what it needs: most lines
        // with digits hold no year at all.
        let readers: [(bool, &dyn Fn() -> Option<Found>); 7] = [
            (shape.year_first, &|| first(&YMD, text, |c| self.full(c, ymd(c, "y", "m", "d")?))),
            (shape.year_last, &|| first(&NUMERIC, text, |c| self.full(c, self.numeric(c)?))),
            (shape.year && shape.letters && months::any_in(text), &|| first(&NAMED, text, |c| self.full(c, named(c)?))),
            (shape.year && shape.yue, &|| first(&HAN_MONTH, text, |c| self.full(c, han_month(c)?))),
            (shape.nian, &|| first(&HANZI, text, |c| hanzi(c).map(|d| (PubDate::Date(d), None)))),
            (self.roc || shape.era, &|| first(&ROC, text, |c| self.roc(c).map(|d| (PubDate::Date(d), None)))),
            (shape.year && text.len() <= PARTS_MAX_BYTES, &|| {
                first(&PARTS, text, |c| parts(c).map(|d| (PubDate::Date(d), None)))
            }),
        ];
        let found = readers.iter().filter(|(needed, _)| *needed).filter_map(|(_, r)| r());
        let best = found.min_by_key(|f| (f.start, std::cmp::Reverse(f.raw.len())));
        let month_day = month_day && shape.yue;
        best.or_else(|| if month_day { first(&MONTH_DAY, text, |c| month_day_of(c).map(|v| (v, None))) } else { None })
            .or_else(|| self.relative(text))
    }

    /// A machine-written date: seconds since 1970 (WeChat's `ct`), or a date
    /// as [`find`](Self::find) reads it, without month-days.
    pub(crate) fn stamp(&self, raw: &str) -> Option<Found> {
        let raw = raw.trim();
        if raw.len() == 10 && raw.bytes().all(|b| b.is_ascii_digit()) {
            let ts = Timestamp::from_second(raw.parse().ok()?).ok()?;
            let value = at(ts, &self.zone)?;
            return Some(Found { value, raw: raw.to_string(), start: 0, utc: Some(ts) });
        }
        self.iso(raw).or_else(|| self.find(raw, false))
    }

    /// The ISO 8601 forms metadata is written in (`2016-03-08`,
    /// `2016-03-08T10:41:00+01:00`, `…Z`, with fractions), read by jiff without
    /// running a pattern, with [`find`](Self::find)'s meaning: an offset kept,
    /// UTC moved to the page's zone (midnight UTC a day), no offset read in it.
    fn iso(&self, raw: &str) -> Option<Found> {
        let b = raw.as_bytes();
        if b.len() < 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let found = |value, utc| Some(Found { value, raw: raw.to_string(), start: 0, utc });
        if b.len() == 10 {
            return found(PubDate::Date(raw.parse().ok()?), None);
        }
        if b.get(10) != Some(&b'T') {
            return None;
        }
        let zone_at = raw[11..].find(['Z', '+', '-']).map(|i| i + 11);
        let Some(zone_at) = zone_at else {
            let civil: DateTime = raw.parse().ok()?;
            let ts = civil.to_zoned_datetime(self.zone.clone()).ok()?.timestamp();
            return found(at(ts, &self.zone)?, None);
        };
        let ts: Timestamp = raw.parse().ok()?;
        let offset = parse_offset(&raw[zone_at..])?;
        if offset != Offset::UTC {
            return found(at(ts, &TimeZone::fixed(offset))?, None);
        }
        let utc = ts.to_zoned_datetime(TimeZone::UTC);
        if (utc.hour(), utc.minute(), utc.second()) == (0, 0, 0) {
            return found(PubDate::Date(utc.date()), None);
        }
        found(at(ts, &self.zone)?, Some(ts))
    }

    fn relative(&self, text: &str) -> Option<Found> {
        let now = self.now?;
        relative::read(text, now, &self.zone).map(|(value, raw, start)| Found { value, raw, start, utc: None })
    }

    /// `a/b/y`: day first unless a field over 12 or the page says otherwise; dots are always day first.
    fn numeric(&self, c: &Captures) -> Option<Date> {
        let a: i8 = c.name("a")?.as_str().parse().ok()?;
        let b: i8 = c.name("b")?.as_str().parse().ok()?;
        let y: i16 = c.name("y")?.as_str().parse().ok()?;
        let month_first = match (a > 12, b > 12) {
            (true, true) => return None,
            (true, false) => false,
            (false, true) => true,
            (false, false) => self.month_first && c.name("sep").is_some_and(|s| s.as_str() != "."),
        };
        let (m, d) = if month_first { (a, b) } else { (b, a) };
        Date::new(y, m, d).ok()
    }

    fn roc(&self, c: &Captures) -> Option<Date> {
        if c.name("era").is_none() && !self.roc {
            return None;
        }
        let y: i16 = c.name("y")?.as_str().parse().ok()?;
        if !ROC_YEARS.contains(&y) {
            return None;
        }
        let m = c.name("m").or_else(|| c.name("m2"))?.as_str().parse().ok()?;
        let d = c.name("d").or_else(|| c.name("d2"))?.as_str().parse().ok()?;
        Date::new(y + ROC_YEAR_OFFSET, m, d).ok()
    }

    /// A date with the time printed after it, when there is one: read in the
    /// page's zone when it gives no offset; a UTC time moved to the page's zone,
    /// so the calendar day is the page's own. Midnight UTC is a day written as
    /// a timestamp (`2020-01-10T00:00:00Z`): it keeps its day.
    fn full(&self, c: &Captures, date: Date) -> Option<(PubDate, Option<Timestamp>)> {
        let Some(time) = time_of(c) else { return Some((PubDate::Date(date), None)) };
        let civil = DateTime::from_parts(date, time);
        let Some(tz) = c.name("tz") else {
            let zoned = civil.to_zoned_datetime(self.zone.clone()).ok()?;
            return Some((at(zoned.timestamp(), &self.zone)?, None));
        };
        let offset = parse_offset(tz.as_str())?;
        let ts = civil.to_zoned_datetime(TimeZone::fixed(offset)).ok()?.timestamp();
        match offset == Offset::UTC {
            true if time == Time::midnight() => Some((PubDate::Date(date), None)),
            true => Some((at(ts, &self.zone)?, Some(ts))),
            false => Some((at(ts, &TimeZone::fixed(offset))?, None)),
        }
    }
}

/// An instant as a date-time on `zone`'s clock, to the second.
pub(crate) fn at(ts: Timestamp, zone: &TimeZone) -> Option<PubDate> {
    let zoned = ts.to_zoned_datetime(zone.clone());
    let time = Time::new(zoned.hour(), zoned.minute(), zoned.second(), 0).ok()?;
    Some(PubDate::DateTime { date: zoned.date(), time, offset: zoned.offset() })
}

type Read = Option<(PubDate, Option<Timestamp>)>;

/// The first match of `re` in `text` that stands alone and reads as a date.
fn first(re: &Regex, text: &str, read: impl Fn(&Captures) -> Read) -> Option<Found> {
    re.captures_iter(text).filter(|c| stands_alone(text, c)).find_map(|c| {
        let m = c.get(0)?;
        let (value, utc) = read(&c)?;
        Some(Found { value, raw: m.as_str().trim().to_string(), start: m.start(), utc })
    })
}

/// A match must not be part of a longer number (`12025-01-01`, `2023-03-071`).
/// A match that ends in a time may be followed by digits: pages glue the
/// source's name on (`04:29:4439健康网`).
fn stands_alone(text: &str, c: &Captures) -> bool {
    let Some(m) = c.get(0) else { return false };
    let before = text[..m.start()].chars().next_back();
    let after = text[m.end()..].chars().next();
    let timed = c.name("M").is_some();
    !before.is_some_and(|ch| ch.is_ascii_digit()) && (timed || !after.is_some_and(|ch| ch.is_ascii_digit()))
}

fn ymd(c: &Captures, y: &str, m: &str, d: &str) -> Option<Date> {
    let y: i16 = c.name(y)?.as_str().parse().ok()?;
    let m: i8 = c.name(m)?.as_str().parse().ok()?;
    let d: i8 = c.name(d)?.as_str().parse().ok()?;
    Date::new(y, m, d).ok()
}

/// The date of a [`PARTS`] match, whichever arrangement matched.
fn parts(c: &Captures) -> Option<Date> {
    (1..=4).find_map(|n| ymd(c, &format!("y{n}"), &format!("m{n}"), &format!("d{n}")))
}

fn named(c: &Captures) -> Option<Date> {
    let (mon, d, y) = match c.name("mon1") {
        Some(mon) => (mon, c.name("d1")?, c.name("y1")?),
        None => (c.name("mon2")?, c.name("d2")?, c.name("y2")?),
    };
    Date::new(y.as_str().parse().ok()?, months::month(mon.as_str())?, d.as_str().parse().ok()?).ok()
}

/// The date of a [`HAN_MONTH`] match: the month in Han or Arabic numerals.
fn han_month(c: &Captures) -> Option<Date> {
    let (mon, d, y) = match c.name("mon1") {
        Some(mon) => (mon, c.name("d1")?, c.name("y1")?),
        None => (c.name("mon2")?, c.name("d2")?, c.name("y2")?),
    };
    let mon = mon.as_str();
    let m = mon.parse().ok().or_else(|| hanzi_number(mon, false))?;
    Date::new(y.as_str().parse().ok()?, i8::try_from(m).ok()?, d.as_str().parse().ok()?).ok()
}

fn hanzi(c: &Captures) -> Option<Date> {
    let y = hanzi_number(c.name("y")?.as_str(), true)?;
    let m = hanzi_number(c.name("m")?.as_str(), false)?;
    let d = hanzi_number(c.name("d")?.as_str(), false)?;
    Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

fn month_day_of(c: &Captures) -> Option<PubDate> {
    let month: i8 = c.name("m")?.as_str().parse().ok()?;
    let day: i8 = c.name("d")?.as_str().parse().ok()?;
    // 2000 is a leap year, so 2月29日 is accepted.
    Date::new(2000, month, day).ok()?;
    Some(PubDate::MonthDay { month, day })
}

/// The time after a date, on a 24-hour clock (`下午2:05` and `2:05 PM` are 14:05).
fn time_of(c: &Captures) -> Option<Time> {
    let (h, mi) = (c.name("H")?, c.name("M")?);
    let mut hour: i8 = h.as_str().parse().ok()?;
    let minute: i8 = mi.as_str().parse().ok()?;
    let second: i8 = c.name("S").map_or(Some(0), |s| s.as_str().parse().ok())?;
    let afternoon = c.name("cn").is_some_and(|p| matches!(p.as_str(), "下午" | "晚上"))
        || c.name("ap").is_some_and(|p| p.as_str().starts_with(['p', 'P']));
    let morning = c.name("ap").is_some_and(|p| p.as_str().starts_with(['a', 'A']));
    if afternoon && hour < 12 {
        hour += 12;
    } else if morning && hour == 12 {
        hour = 0;
    }
    Time::new(hour, minute, second, 0).ok()
}

/// Offsets as printed: `Z`, `+08:00`, `+0800`, `GMT`, `GMT+8`, `UTC+01:00`, and zone abbreviations.
fn parse_offset(tz: &str) -> Option<Offset> {
    let hours = |h: i8| Offset::constant(h);
    let named = match tz {
        "Z" | "GMT" | "UTC" => Some(Offset::UTC),
        "CET" | "MEZ" => Some(hours(1)),
        "CEST" | "MESZ" => Some(hours(2)),
        "BST" => Some(hours(1)),
        "EST" | "CDT" => Some(hours(-5)),
        "EDT" => Some(hours(-4)),
        "MST" | "PDT" => Some(hours(-7)),
        "MDT" => Some(hours(-6)),
        "PST" => Some(hours(-8)),
        "JST" => Some(hours(9)),
        "HKT" => Some(hours(8)),
        "AEST" => Some(hours(10)),
        "AEDT" => Some(hours(11)),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    let signed = tz.trim_start_matches(|c: char| c.is_ascii_alphabetic()).trim();
    let sign = match signed.chars().next()? {
        '-' => -1,
        '+' => 1,
        _ => return None,
    };
    let digits: String = signed.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.as_str(), "0"),
        3 => digits.split_at(1),
        _ => digits.split_at(2),
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.get(..2.min(m.len()))?.parse().ok()?);
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

/// Reads 二〇二三 (digit by digit, for years) or 十七 / 二十三 (as a number).
fn hanzi_number(s: &str, digit_by_digit: bool) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九".find(c).map(|i| (i / 3) as u32).or(match c {
            '零' | '○' | 'Ｏ' => Some(0),
            _ => None,
        })
    };
    if digit_by_digit {
        return s.chars().try_fold(0u32, |acc, c| Some(acc * 10 + digit(c)?));
    }
    match s.chars().collect::<Vec<_>>().as_slice() {
        ['十'] => Some(10),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        [a] => digit(*a),
        _ => None,
    }
}

/// Every date pattern needs a digit (ASCII or full-width) or, in Han numerals, 年:
/// most lines are turned away before the patterns run.
pub(crate) fn could_hold_date(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit()) || text.contains('年') || text.chars().any(|c| matches!(c, '０'..='９'))
}

/// Full-width digits and separators to ASCII, so one pattern reads both.
pub(crate) fn normalize_digits(text: &str) -> Cow<'_, str> {
    let wide = |c: char| matches!(c, '０'..='９' | '：' | '－' | '／' | '．');
    if !text.chars().any(wide) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '：' => ':',
            '－' => '-',
            '／' => '/',
            '．' => '.',
            _ => c,
        })
        .collect::<String>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        Reading::default().find(s, true).map(|f| f.value.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_date_in_parts_is_read_only_when_the_parts_are_the_whole_text() {
        for (parts, want) in [
            ("18 2024-03", "2024-03-18"),
            ("18日 2024年03月", "2024-03-18"),
            ("2024.03 18", "2024-03-18"),
            ("03-18 2024", "2024-03-18"),
            ("2024 03-18", "2024-03-18"),
            // Not the whole text, or no valid day: no date.
            ("截止18 2024-03", ""),
            ("第18期 2024-03", ""),
            ("32 2024-03", ""),
        ] {
            assert_eq!(iso(parts), want, "{parts}");
        }
    }

    #[test]
    fn the_leftmost_date_wins_whatever_its_format() {
        assert_eq!(iso("March 8, 2016; updated 2016-03-09"), "2016-03-08");
        assert_eq!(iso("2016-03-09, first printed March 8, 2016"), "2016-03-09");
    }

    #[test]
    fn iso_metadata_reads_as_the_patterns_read_it() {
        let r = Reading { zone: jiff::tz::db().get("Europe/Berlin").unwrap(), ..Reading::default() };
        for raw in [
            "2016-03-08",
            "2016-03-08T10:41:00+01:00",
            "2016-03-08T10:41:00.123+05:30",
            "2016-03-07T23:30:00Z",
            "2016-03-07T23:30:00.000Z",
            "2016-03-08T00:00:00Z",
            "2016-03-08T00:00:00+00:00",
            "2016-03-08T10:41:00",
            "2016-03-08T10:41",
        ] {
            assert_eq!(r.iso(raw), r.find(raw, false), "{raw}");
        }
        assert_eq!(r.iso("2016/03/08"), None);
    }

    #[test]
    fn offsets_as_printed() {
        let s = |tz: &str| parse_offset(tz).map(|o| o.seconds() / 60);
        assert_eq!(s("+0800"), Some(480));
        assert_eq!(s("-05:30"), Some(-330));
        assert_eq!(s("GMT+8"), Some(480));
        assert_eq!(s("UTC+01:00"), Some(60));
        assert_eq!(s("CEST"), Some(120));
        assert_eq!(s("BST"), Some(60));
        assert_eq!(s("XYZ"), None);
    }

    #[test]
    fn a_year_is_never_invented() {
        assert_eq!(iso("11月8日上午,厦门市计生协召开"), "--11-08");
        assert_eq!(iso("2月30日"), "");
    }
}
