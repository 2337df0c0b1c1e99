//! Relative dates (`昨天 14:30`, `3小时前`, `刚刚`): read only against a
//! reference time the caller gives, on the page's clock.

use std::sync::LazyLock;

use jiff::civil::{DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use regex::Regex;

use crate::model::PubDate;

/// `今天`/`昨天`/`前天` with an optional time, `N分钟前`/`N小时前`/`N天前`, `刚刚`.
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<day>今天|今日|昨天|昨日|前天)\s*(?:(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2}))?",
        r"|(?P<n>\d{1,3})\s*(?P<unit>分钟|小时|天)前|(?P<now>刚刚)"
    ))
    .expect("valid relative date pattern")
});

/// A relative date read against `now` in `zone`, as precise as it is
/// (`昨天 14:30` a date-time, `3小时前` a day, `5分钟前` a minute), with the
/// text it was read from and where that starts.
pub(crate) fn read(text: &str, now: Timestamp, zone: &TimeZone) -> Option<(PubDate, String, usize)> {
    if !text.contains(['天', '日', '前', '刚']) {
        return None;
    }
    let c = RELATIVE.captures(text)?;
    let whole = c.get(0)?;
    let (raw, start) = (whole.as_str().to_string(), whole.start());
    let local = now.to_zoned_datetime(zone.clone()).datetime();
    let at = |dt: DateTime| {
        let time = Time::new(dt.hour(), dt.minute(), 0, 0).ok()?;
        let offset = dt.to_zoned_datetime(zone.clone()).ok()?.offset();
        Some(PubDate::DateTime { date: dt.date(), time, offset })
    };
    if c.name("now").is_some() {
        return Some((at(local)?, raw, start));
    }
    if let Some(day) = c.name("day") {
        let back = match day.as_str() {
            "今天" | "今日" => 0,
            "昨天" | "昨日" => 1,
            _ => 2,
        };
        let date = local.date().checked_sub(back.days()).ok()?;
        let found = match (c.name("H"), c.name("M")) {
            (Some(h), Some(m)) => {
                let time = Time::new(h.as_str().parse().ok()?, m.as_str().parse().ok()?, 0, 0).ok()?;
                at(DateTime::from_parts(date, time))?
            }
            _ => PubDate::Date(date),
        };
        return Some((found, raw, start));
    }
    let n: i64 = c.name("n")?.as_str().parse().ok()?;
    let found = match c.name("unit")?.as_str() {
        "分钟" => at(local.checked_sub(n.minutes()).ok()?)?,
        "小时" => PubDate::Date(local.checked_sub(n.hours()).ok()?.date()),
        _ => PubDate::Date(local.date().checked_sub(n.days()).ok()?),
    };
    Some((found, raw, start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::Offset;

    #[test]
    fn relative_dates_keep_their_precision() {
        // 10:00 in Beijing on 21 February 2025.
        let now: Timestamp = "2025-02-21T02:00:00Z".parse().unwrap();
        let china = TimeZone::fixed(Offset::constant(8));
        let at = |s: &str| read(s, now, &china).map(|(d, _, _)| d.to_string()).unwrap_or_default();
        assert_eq!(at("昨天 14:30"), "2025-02-20T14:30:00+08:00");
        assert_eq!(at("今天"), "2025-02-21");
        assert_eq!(at("前天 08:05"), "2025-02-19T08:05:00+08:00");
        assert_eq!(at("3小时前"), "2025-02-21");
        assert_eq!(at("12小时前"), "2025-02-20");
        assert_eq!(at("5分钟前"), "2025-02-21T09:55:00+08:00");
        assert_eq!(at("2天前"), "2025-02-19");
        assert_eq!(at("刚刚"), "2025-02-21T10:00:00+08:00");
        assert_eq!(at("明天见"), "");
        assert_eq!(at("昨天 25:30"), "");
    }
}
