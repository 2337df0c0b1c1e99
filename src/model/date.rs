//! Publish dates as the page gave them: a date-time with its offset, a day, or only a month and day.

use std::fmt;

use jiff::civil::{Date, Time};
use jiff::tz::Offset;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

/// A publish date as precise as the page gave it.
///
/// ```
/// use report_scraper::model::PubDate;
/// let d = PubDate::parse("发布日期: 2023- 03- 07 16: 31").unwrap();
/// assert_eq!(d.to_string(), "2023-03-07T16:31:00+08:00");
/// let md = PubDate::parse("2月17日,会议在广州召开").unwrap();
/// assert_eq!(md.to_string(), "--02-17"); // no invented year
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
#[non_exhaustive]
pub enum PubDate {
    /// Date and time of day with its UTC offset (+08:00 unless the page says otherwise).
    DateTime {
        /// The calendar day.
        date: Date,
        /// The time of day.
        time: Time,
        /// The offset from UTC.
        offset: Offset,
    },
    /// A calendar day with no time.
    Date(Date),
    /// Month and day only: the page gave no year.
    MonthDay {
        /// 1 to 12.
        month: i8,
        /// 1 to 31.
        day: i8,
    },
}

/// Where a publish date was found.
///
/// ```
/// assert_eq!(serde_json::to_string(&report_scraper::model::DateOrigin::Url).unwrap(), "\"url\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DateOrigin {
    /// A `<meta>` tag such as `PubDate` or `article:published_time`.
    Meta,
    /// JSON-LD `datePublished`.
    JsonLd,
    /// The line under the headline (发布日期 / 发布时间 / 时间).
    Byline,
    /// The page's address.
    Url,
    /// The article's first sentence.
    Body,
    /// A machine-readable date on an element: `<time datetime>`,
    /// `itemprop="datePublished"`, a `data-date` or `title` attribute.
    Element,
    /// A variable that the page's scripts set (`var ct = "…"`, `publishTime: "…"`).
    Script,
    /// A short line near the headline holding a date and little else
    /// (`AUTO.SOHU.COM 2003年11月12日16:36 金羊网`).
    Header,
}

/// What the words printed with a date say it is.
///
/// ```
/// assert_eq!(serde_json::to_string(&report_scraper::model::DateLabel::Updated).unwrap(), "\"updated\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DateLabel {
    /// Published, posted, 发布, 发表, `datePublished`…
    Published,
    /// Nothing says what the date is.
    Unlabelled,
    /// Updated, modified, 更新, `dateModified`…
    Updated,
    /// Not a publish date: an event's, a deadline's, a copyright's (截止, 活动, 会议, ©…).
    Other,
}

/// A date the page carries, as it was weighed when the publish date was
/// chosen: [`Page::dates`](crate::Page::dates) lists them best first, so
/// `--explain` can say why the winner won.
///
/// ```
/// use report_scraper::{Extractor, Input, model::DateOrigin};
/// let html = r#"<html><head><meta name="PubDate" content="2023-03-07 16:31"></head><body>
///   <h1>关于开展活动的通知</h1><p>发布时间：2023-03-07 16:31</p>
///   <p>各有关单位：现将有关事项通知如下，请认真组织实施。</p></body></html>"#;
/// let page = Extractor::default().page(Input::html_str(html))?;
/// let best = &page.dates[0];
/// assert_eq!(best.value.to_string(), "2023-03-07T16:31:00+08:00");
/// // The byline and the meta tag agree: each counts for the other.
/// assert!(page.dates.iter().any(|d| d.found_in == DateOrigin::Meta));
/// assert!(best.evidence.iter().any(|(what, _)| what.starts_with("agrees")));
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DateCandidate {
    /// The date.
    pub value: PubDate,
    /// The text as the page printed it.
    pub raw: String,
    /// Where it was found.
    pub found_in: DateOrigin,
    /// What the words around it say it is.
    pub label: DateLabel,
    /// The sum of the evidence's weights; the highest wins if it reaches
    /// the floor every publish date must reach.
    pub score: i32,
    /// Each piece of evidence and its weight, as `(what, weight)`.
    pub evidence: Vec<(String, i32)>,
}

/// A publish date with the text it was read from and where that text was.
///
/// ```
/// let a = report_scraper::clean_text("标题\n发布时间:2025-02-20 21:14\n正文,内容。")?;
/// let p = a.published.unwrap();
/// assert_eq!(p.raw, "2025-02-20 21:14");
/// assert_eq!(p.found_in, report_scraper::model::DateOrigin::Byline);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Published {
    /// The date.
    pub value: PubDate,
    /// The text as the page printed it.
    pub raw: String,
    /// Where it was found.
    pub found_in: DateOrigin,
}

impl DateCandidate {
    pub(crate) fn new(
        value: PubDate,
        raw: String,
        found_in: DateOrigin,
        label: DateLabel,
        score: i32,
        evidence: Vec<(String, i32)>,
    ) -> Self {
        Self { value, raw, found_in, label, score, evidence }
    }
}

impl Published {
    pub(crate) fn new(value: PubDate, raw: &str, found_in: DateOrigin) -> Self {
        Self { value, raw: raw.trim().to_string(), found_in }
    }
}

impl PubDate {
    /// The calendar day, when the year is known.
    ///
    /// ```
    /// let d = report_scraper::model::PubDate::parse("2025年2月20日").unwrap();
    /// assert_eq!(d.date().unwrap().to_string(), "2025-02-20");
    /// ```
    pub fn date(&self) -> Option<Date> {
        match self {
            PubDate::DateTime { date, .. } | PubDate::Date(date) => Some(*date),
            PubDate::MonthDay { .. } => None,
        }
    }
}

impl PubDate {
    /// What dates are ordered by: a month-day (no year) before every full date;
    /// then the calendar day as printed; on one day a plain date before the
    /// date-times, which follow each other by the instant they name.
    /// The last two fields make the order agree with `==`.
    fn order_key(&self) -> (bool, i16, i8, i8, Option<i128>, i32, Option<Time>) {
        match *self {
            PubDate::MonthDay { month, day } => (false, 0, month, day, None, 0, None),
            PubDate::Date(d) => (true, d.year(), d.month(), d.day(), None, 0, None),
            PubDate::DateTime { date, time, offset } => {
                let instant = date.to_datetime(time).to_zoned_datetime(jiff::tz::TimeZone::fixed(offset));
                let nanos = instant.map_or(i128::MIN, |z| z.timestamp().as_nanosecond());
                (true, date.year(), date.month(), date.day(), Some(nanos), offset.seconds(), Some(time))
            }
        }
    }
}

/// A total order, for sorting and maps: a month-day (no year) before every
/// full date; then the calendar day as printed; on one day a plain date
/// before the date-times, which follow each other by the instant they name.
///
/// ```
/// use report_scraper::model::PubDate;
/// let mut dates: Vec<PubDate> = ["2023-03-08", "--03-07", "2023-03-07T16:31:00+08:00", "2023-03-07"]
///     .iter().map(|s| s.parse().unwrap()).collect();
/// dates.sort();
/// let order: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
/// assert_eq!(order, ["--03-07", "2023-03-07", "2023-03-07T16:31:00+08:00", "2023-03-08"]);
/// ```
impl Ord for PubDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.order_key().cmp(&other.order_key())
    }
}

impl PartialOrd for PubDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PubDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PubDate::DateTime { date, time, offset } => {
                let secs = offset.seconds();
                let sign = if secs < 0 { '-' } else { '+' };
                let secs = secs.abs();
                write!(
                    f,
                    "{date}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
                    time.hour(),
                    time.minute(),
                    time.second(),
                    secs / 3600,
                    secs % 3600 / 60
                )
            }
            PubDate::Date(date) => write!(f, "{date}"),
            PubDate::MonthDay { month, day } => write!(f, "--{month:02}-{day:02}"),
        }
    }
}

impl From<PubDate> for String {
    fn from(d: PubDate) -> String {
        d.to_string()
    }
}

/// Reads back exactly what [`Display`](fmt::Display) writes: `2023-03-07T16:31:00+08:00`,
/// `2023-03-07` or `--03-07`. Dates as pages print them go through [`PubDate::parse`].
///
/// ```
/// use report_scraper::model::PubDate;
/// let d: PubDate = "2023-03-07T16:31:00+08:00".parse()?;
/// assert_eq!(d.to_string(), "2023-03-07T16:31:00+08:00");
/// assert!("2023年3月7日".parse::<PubDate>().is_err());
/// # Ok::<(), report_scraper::Error>(())
/// ```
impl std::str::FromStr for PubDate {
    type Err = Error;

    fn from_str(s: &str) -> Result<PubDate, Error> {
        let bad = || Error::new(ErrorKind::Invalid { what: "date", value: s.to_string() });
        if let Some(md) = s.strip_prefix("--") {
            let (m, d) = md.split_once('-').ok_or_else(bad)?;
            let (month, day): (i8, i8) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
            // 2000 is a leap year, so --02-29 is accepted.
            Date::new(2000, month, day).map_err(|_| bad())?;
            return Ok(PubDate::MonthDay { month, day });
        }
        let (day, rest) = match s.split_once('T') {
            Some((day, rest)) => (day, Some(rest)),
            None => (s, None),
        };
        let date: Date = day.parse().map_err(|_| bad())?;
        let Some(rest) = rest else { return Ok(PubDate::Date(date)) };
        let split = rest.rfind(['+', '-']).ok_or_else(bad)?;
        let time: Time = rest[..split].parse().map_err(|_| bad())?;
        let (hours, minutes) = rest[split + 1..].split_once(':').ok_or_else(bad)?;
        let (hours, minutes): (i32, i32) = (hours.parse().map_err(|_| bad())?, minutes.parse().map_err(|_| bad())?);
        let sign = if rest[split..].starts_with('-') { -1 } else { 1 };
        let offset = Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).map_err(|_| bad())?;
        Ok(PubDate::DateTime { date, time, offset })
    }
}

impl TryFrom<String> for PubDate {
    type Error = Error;

    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_round_trips() {
        for s in ["2023-03-07T16:31:00+08:00", "2023-03-07T16:31:05-05:30", "2023-03-07", "--11-08", "--02-29"] {
            assert_eq!(s.parse::<PubDate>().unwrap().to_string(), s);
        }
        for bad in ["", "2023-13-07", "--02-30", "2023-03-07T16:31", "2023-03-07T25:00:00+08:00", "昨天"] {
            assert!(bad.parse::<PubDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn round_trips_through_serde() {
        let d = PubDate::Date(jiff::civil::date(2023, 3, 7));
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(json, "\"2023-03-07\"");
        assert_eq!(serde_json::from_str::<PubDate>(&json).unwrap(), d);
    }
}
