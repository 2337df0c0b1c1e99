//! Dates written in web addresses: `/t20230307_1.html`, `/2016/0308/`,
//! `/a/20160308/001234.htm`, `/html/2016-03/08/`, `/20160308001234.htm`,
//! `/a/160308/1.html`.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::{Captures, Regex};

/// Most specific first.
static URL_DATES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"/t(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})_",
        r"/(?P<y>(?:19|20)\d{2})[-/_]?(?P<m>[01]\d)[-/_]?(?P<d>[0-3]\d)(?:[/_.A-Za-z-]|$)",
        r"/(?P<y>(?:19|20)\d{2})[-/](?P<m>[01]?\d)[-/](?P<d>[0-3]?\d)/",
        // A CMS's article number that opens with its day: `/20160308001234.htm`.
        r"/(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)\d{4,8}\.s?html?(?-u:\b)",
        // A whole path segment of six digits, yyMMdd (`/a/210120/8605520.html`).
        r"/(?P<yy>[0-3]\d)(?P<m>[01]\d)(?P<d>[0-3]\d)/[^/]",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid url date pattern"))
    .collect()
});

/// The host of a web address, lower case.
pub(crate) fn host(url: &str) -> Option<String> {
    // Only the domain's last label is read: no need to parse the whole address.
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The date a web address carries, from its path.
pub(crate) fn date_in(url: &str) -> Option<Date> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.find('/').map_or("", |i| &path[i..]);
    // Every pattern needs six digits in a row or a year with a separator after it.
    let digits = path.as_bytes().windows(6).any(|w| w.iter().all(u8::is_ascii_digit));
    let year =
        path.as_bytes().windows(5).any(|w| w[..4].iter().all(u8::is_ascii_digit) && matches!(w[4], b'-' | b'/' | b'_'));
    if !digits && !year {
        return None;
    }
    URL_DATES.iter().find_map(|re| re.captures_iter(path).find_map(|c| ymd(&c)))
}

fn ymd(c: &Captures) -> Option<Date> {
    let m: i8 = c.name("m")?.as_str().parse().ok()?;
    let d: i8 = c.name("d")?.as_str().parse().ok()?;
    let y: i16 = match c.name("yy") {
        Some(yy) => {
            // `200502` is as much May 2005 (yyyyMM) as 2 May 2020: a segment
            // that reads both ways says nothing.
            let whole = c.get(0)?.as_str();
            if whole.get(1..5).and_then(|y| y.parse::<i16>().ok()).is_some_and(|y| (1990..2100).contains(&y))
                && (1..=12).contains(&d)
            {
                return None;
            }
            2000 + yy.as_str().parse::<i16>().ok()?
        }
        None => c.name("y")?.as_str().parse().ok()?,
    };
    Date::new(y, m, d).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> String {
        date_in(s).map(|d| d.to_string()).unwrap_or_default()
    }

    #[test]
    fn dates_in_addresses() {
        assert_eq!(u("https://news.youth.cn/gj/202405/t20240520_15263156.htm"), "2024-05-20");
        assert_eq!(u("http://health.people.com.cn/n1/2024/0517/c14739-40237861.html"), "2024-05-17");
        assert_eq!(u("https://news.gmw.cn/2024-05/20/content_37330990.htm"), "2024-05-20");
        assert_eq!(u("https://finance.sina.com.cn/roll/2016-05-25/doc-ifx.shtml"), "2016-05-25");
        assert_eq!(u("http://www.he.news.cn/20240515/d59c/c.html"), "2024-05-15");
        assert_eq!(u("https://new.qq.com/rain/a/20240518A060RN00"), "2024-05-18");
        assert_eq!(u("http://news.xx.cn/html/2016-3/8/content_1.htm"), "2016-03-08");
        assert_eq!(u("http://www.xx.cn/news/20160308001234.htm"), "2016-03-08");
        assert_eq!(u("https://example.com/article/12345.html"), "");
        assert_eq!(u("http://food.39.net/a/210120/8605520.html"), "2021-01-20");
        assert_eq!(u("http://a.cn/a/219999/1.html"), "");
    }

    #[test]
    fn a_six_digit_segment_that_reads_two_ways_says_nothing() {
        // May 2005 or 2 May 2020: the page (an archive of 2005) is undated.
        assert_eq!(u("http://bynews.bjmu.edu.cn/200502/article/2005-07/4651.htm"), "");
        assert_eq!(u("http://cn.news.yahoo.com/050404/346/2al02.html"), "2005-04-04");
    }
}
