//! Reading publish dates: every way these pages write them, kept as precise as the page is.

use std::sync::LazyLock;

use jiff::civil::{Date, Time};
use jiff::tz::Offset;
use jiff::{Timestamp, ToSpan};
use regex::{Captures, Regex};

use crate::model::PubDate;

/// China Standard Time, the default for a time with no offset.
const CHINA: Offset = Offset::constant(8);

static FULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})(?:\s*日)?",
        r"(?:\s*[（(]?(?:星期|周|週|礼拜)[一二三四五六日天][)）]?)?",
        r"(?:(?:\s*|T)(?P<ap>上午|下午|晚上|早上|凌晨|中午)?\s*(?P<H>\d{1,2})\s*(?::|时|點|点)\s*(?P<M>\d{1,2})",
        r"(?:\s*(?::|分)\s*(?P<S>\d{1,2})(?:\.\d+)?)?(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}))?)?"
    ))
    .expect("valid date pattern")
});

static HANZI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<y>[〇零○Ｏ一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日")
        .expect("valid date pattern")
});

static MONTH_DAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日").expect("valid date pattern"));

/// Dates in addresses, most specific first: `/t20230307_1.html`, `/2023/0307/`, `/2023-03/07/`, `/20230307/`.
static URL_DATES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"/t(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})_",
        r"/(?P<y>(?:19|20)\d{2})[-/_]?(?P<m>[01]\d)[-/_]?(?P<d>[0-3]\d)(?:[/_.A-Za-z-]|$)",
        r"/(?P<y>(?:19|20)\d{2})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)/",
        // A whole path segment of six digits, yyMMdd (`/a/210120/8605520.html`).
        r"/(?P<yy>[0-3]\d)(?P<m>[01]\d)(?P<d>[0-3]\d)/[^/]",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid url date pattern"))
    .collect()
});

impl PubDate {
    /// Finds the first date in `text`: a full date (with time when printed
    /// next to it), a date in Chinese numerals, or failing those a month and
    /// day, which keeps no year.
    ///
    /// ```
    /// use report_scraper::PubDate;
    /// assert_eq!(PubDate::parse("二〇二三年三月七日").unwrap().to_string(), "2023-03-07");
    /// assert_eq!(PubDate::parse("2025.02.20").unwrap().to_string(), "2025-02-20");
    /// assert!(PubDate::parse("第3期").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<PubDate> {
        find_date(text, true).map(|(d, _)| d)
    }

    /// Finds a date written in a web address.
    ///
    /// ```
    /// use report_scraper::PubDate;
    /// let d = PubDate::from_url("http://www.gov.cn/xinwen/2023-03/07/content_1.htm").unwrap();
    /// assert_eq!(d.to_string(), "2023-03-07");
    /// assert_eq!(PubDate::from_url("https://a.cn/art/t20230307_123.html").unwrap().to_string(), "2023-03-07");
    /// ```
    pub fn from_url(url: &str) -> Option<PubDate> {
        let path = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path = path.find('/').map_or("", |i| &path[i..]);
        URL_DATES.iter().find_map(|re| re.captures_iter(path).find_map(|c| ymd(&c)).map(PubDate::Date))
    }
}

/// Finds the first date in `text` with the exact text it came from.
/// Month-day dates are looked for only when `month_day` is set.
pub(crate) fn find_date(text: &str, month_day: bool) -> Option<(PubDate, String)> {
    if !could_hold_date(text) {
        return None;
    }
    let text = normalize_digits(text);
    let full = FULL.captures_iter(&text).filter(|c| stands_alone(&text, c)).find_map(|c| {
        let found = full_date(&c)?;
        Some((found, c.get(0)?.as_str().to_string()))
    });
    let found = full.or_else(|| {
        let c = HANZI.captures(&text)?;
        let y = hanzi_number(c.name("y")?.as_str(), true)?;
        let m = hanzi_number(c.name("m")?.as_str(), false)?;
        let d = hanzi_number(c.name("d")?.as_str(), false)?;
        let date = Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
        Some((PubDate::Date(date), c.get(0)?.as_str().to_string()))
    });
    if found.is_some() || !month_day {
        return found;
    }
    MONTH_DAY.captures_iter(&text).filter(|c| stands_alone(&text, c)).find_map(|c| {
        let month: i8 = c.name("m")?.as_str().parse().ok()?;
        let day: i8 = c.name("d")?.as_str().parse().ok()?;
        // 2000 is a leap year, so 2月29日 is accepted.
        Date::new(2000, month, day).ok()?;
        Some((PubDate::MonthDay { month, day }, c.get(0)?.as_str().to_string()))
    })
}

/// [`find_date`] without month-days, then — when the reference time is
/// known — a relative date (`昨天 14:30`, `3小时前`), read against it.
pub(crate) fn find_date_at(text: &str, now: Option<Timestamp>) -> Option<(PubDate, String)> {
    find_date(text, false).or_else(|| relative_date(text, now?))
}

/// `今天`/`昨天`/`前天` with an optional time, `N分钟前`/`N小时前`/`N天前`, `刚刚`.
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<day>今天|今日|昨天|昨日|前天)\s*(?:(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2}))?",
        r"|(?P<n>\d{1,3})\s*(?P<unit>分钟|小时|天)前|(?P<now>刚刚)"
    ))
    .expect("valid relative date pattern")
});

/// A relative date read against `now`, on China's clock: as precise as it
/// is (`昨天 14:30` a date-time, `3小时前` a day, `5分钟前` a minute).
pub(crate) fn relative_date(text: &str, now: Timestamp) -> Option<(PubDate, String)> {
    if !text.contains(['天', '日', '前', '刚']) {
        return None;
    }
    let c = RELATIVE.captures(text)?;
    let raw = c.get(0)?.as_str().to_string();
    let local = CHINA.to_datetime(now);
    let to_minute = |dt: jiff::civil::DateTime| {
        let time = Time::new(dt.hour(), dt.minute(), 0, 0).ok()?;
        Some(PubDate::DateTime { date: dt.date(), time, offset: CHINA })
    };
    if c.name("now").is_some() {
        return Some((to_minute(local)?, raw));
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
                PubDate::DateTime { date, time, offset: CHINA }
            }
            _ => PubDate::Date(date),
        };
        return Some((found, raw));
    }
    let n: i64 = c.name("n")?.as_str().parse().ok()?;
    let found = match c.name("unit")?.as_str() {
        "分钟" => to_minute(local.checked_sub(n.minutes()).ok()?)?,
        "小时" => PubDate::Date(local.checked_sub(n.hours()).ok()?.date()),
        _ => PubDate::Date(local.date().checked_sub(n.days()).ok()?),
    };
    Some((found, raw))
}

/// A match must not be part of a longer number (`12025-01-01`, `2023-03-071`).
fn stands_alone(text: &str, c: &Captures) -> bool {
    let Some(m) = c.get(0) else { return false };
    let before = text[..m.start()].chars().next_back();
    let after = text[m.end()..].chars().next();
    !before.is_some_and(|ch| ch.is_ascii_digit()) && !after.is_some_and(|ch| ch.is_ascii_digit())
}

fn ymd(c: &Captures) -> Option<Date> {
    let y: i16 = match c.name("yy") {
        Some(yy) => 2000 + yy.as_str().parse::<i16>().ok()?,
        None => c.name("y")?.as_str().parse().ok()?,
    };
    let m: i8 = c.name("m")?.as_str().parse().ok()?;
    let d: i8 = c.name("d")?.as_str().parse().ok()?;
    Date::new(y, m, d).ok()
}

fn full_date(c: &Captures) -> Option<PubDate> {
    let date = ymd(c)?;
    let (Some(h), Some(mi)) = (c.name("H"), c.name("M")) else {
        return Some(PubDate::Date(date));
    };
    let sec = c.name("S").map_or(Some(0), |s| s.as_str().parse().ok())?;
    let mut hour: i8 = h.as_str().parse().ok()?;
    if c.name("ap").is_some_and(|ap| matches!(ap.as_str(), "下午" | "晚上")) && hour < 12 {
        hour += 12;
    }
    let Ok(time) = Time::new(hour, mi.as_str().parse().ok()?, sec, 0) else {
        return Some(PubDate::Date(date));
    };
    let offset = c.name("tz").map_or(Some(CHINA), |tz| parse_offset(tz.as_str()))?;
    Some(PubDate::DateTime { date, time, offset })
}

fn parse_offset(tz: &str) -> Option<Offset> {
    if tz == "Z" {
        return Some(Offset::UTC);
    }
    let sign = if tz.starts_with('-') { -1 } else { 1 };
    let digits: String = tz.chars().filter(char::is_ascii_digit).collect();
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4)?.parse().ok()?;
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
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
fn could_hold_date(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit()) || text.contains('年') || text.chars().any(|c| matches!(c, '０'..='９'))
}

/// Full-width digits and separators to ASCII, so one pattern reads both.
pub(crate) fn normalize_digits(text: &str) -> std::borrow::Cow<'_, str> {
    let wide = |c: char| matches!(c, '０'..='９' | '：' | '－' | '／' | '．');
    if !text.chars().any(wide) {
        return std::borrow::Cow::Borrowed(text);
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
        PubDate::parse(s).map(|d| d.to_string()).unwrap_or_default()
    }

    #[test]
    fn formats_seen_on_chinese_pages() {
        assert_eq!(iso("发布日期: 2023- 03- 07 16: 31 信息来源"), "2023-03-07T16:31:00+08:00");
        assert_eq!(iso("发布时间:2025-02-20 21:14"), "2025-02-20T21:14:00+08:00");
        assert_eq!(iso("2025年2月20日"), "2025-02-20");
        assert_eq!(iso("2025年02月20日 08:05:09"), "2025-02-20T08:05:09+08:00");
        assert_eq!(iso("2025.02.20"), "2025-02-20");
        assert_eq!(iso("2025/2/20"), "2025-02-20");
        assert_eq!(iso("二〇二三年三月七日"), "2023-03-07");
        assert_eq!(iso("二〇二三年十二月二十一日"), "2023-12-21");
        assert_eq!(iso("２０２３年３月７日"), "2023-03-07");
        assert_eq!(iso("2022-02-06T13:48:00+01:00"), "2022-02-06T13:48:00+01:00");
        assert_eq!(iso("2024-05-20T06:05:02.000Z"), "2024-05-20T06:05:02+00:00");
        assert_eq!(iso("2019年09月23日 星期一 14:34"), "2019-09-23T14:34:00+08:00");
        assert_eq!(iso("2024年5月20日週一 下午2:05"), "2024-05-20T14:05:00+08:00");
    }

    #[test]
    fn a_year_is_never_invented() {
        assert_eq!(iso("11月8日上午,厦门市计生协召开"), "--11-08");
        assert_eq!(iso("2月30日"), "");
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert_eq!(iso("2023-13-07"), "");
        assert_eq!(iso("2023-02-30"), "");
        assert_eq!(iso("12023-01-01"), "");
    }

    #[test]
    fn relative_dates_need_a_reference_and_keep_their_precision() {
        // 10:00 in Beijing on 21 February 2025.
        let now: Timestamp = "2025-02-21T02:00:00Z".parse().unwrap();
        let at = |s: &str| relative_date(s, now).map(|(d, _)| d.to_string()).unwrap_or_default();
        assert_eq!(at("昨天 14:30"), "2025-02-20T14:30:00+08:00");
        assert_eq!(at("今天"), "2025-02-21");
        assert_eq!(at("前天 08:05"), "2025-02-19T08:05:00+08:00");
        assert_eq!(at("3小时前"), "2025-02-21");
        assert_eq!(at("12小时前"), "2025-02-20");
        assert_eq!(at("5分钟前"), "2025-02-21T09:55:00+08:00");
        assert_eq!(at("2天前"), "2025-02-19");
        assert_eq!(at("刚刚"), "2025-02-21T10:00:00+08:00");
        assert_eq!(at("明天见"), "");
        assert_eq!(find_date_at("发布时间:昨天 14:30", None), None);
        assert_eq!(find_date_at("昨天 25:30", Some(now)), None);
    }

    #[test]
    fn dates_in_addresses() {
        let u = |s| PubDate::from_url(s).map(|d| d.to_string()).unwrap_or_default();
        assert_eq!(u("https://news.youth.cn/gj/202405/t20240520_15263156.htm"), "2024-05-20");
        assert_eq!(u("http://health.people.com.cn/n1/2024/0517/c14739-40237861.html"), "2024-05-17");
        assert_eq!(u("https://news.gmw.cn/2024-05/20/content_37330990.htm"), "2024-05-20");
        assert_eq!(u("https://finance.sina.com.cn/roll/2016-05-25/doc-ifx.shtml"), "2016-05-25");
        assert_eq!(u("http://www.he.news.cn/20240515/d59c/c.html"), "2024-05-15");
        assert_eq!(u("https://new.qq.com/rain/a/20240518A060RN00"), "2024-05-18");
        assert_eq!(u("https://example.com/article/12345.html"), "");
        assert_eq!(u("http://food.39.net/a/210120/8605520.html"), "2021-01-20");
        assert_eq!(u("http://a.cn/a/219999/1.html"), "");
    }
}
