//! The line under a headline: labelled fields (发布日期 / 来源 / 作者 / 编辑 / 浏览) read from one line.

mod english;

use std::sync::LazyLock;

use regex::Regex;

use super::dates::Reading;
use crate::model::PubDate;
use crate::text::units_exceed;
use crate::tuning::{BYLINE_LATIN_MAX_UNITS, BYLINE_LEFTOVER_UNITS, BYLINE_MAX_UNITS, ENGLISH_BYLINE_MAX_BYTES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Date,
    Source,
    Author,
    Editor,
    Count,
    Junk,
}

/// Labels as printed on the pages, longest first where one is a prefix of another.
const LABELS: &[(&str, Field)] = &[
    ("发布日期", Field::Date),
    ("发布时间", Field::Date),
    ("发稿时间", Field::Date),
    ("发表时间", Field::Date),
    ("更新时间", Field::Date),
    ("成文日期", Field::Date),
    ("时间", Field::Date),
    ("日期", Field::Date),
    ("信息来源", Field::Source),
    ("本文来源", Field::Source),
    ("文章来源", Field::Source),
    ("稿件来源", Field::Source),
    ("新闻来源", Field::Source),
    ("来源", Field::Source),
    ("稿源", Field::Source),
    ("作者", Field::Author),
    ("记者", Field::Author),
    ("通讯员", Field::Author),
    ("责任编辑", Field::Editor),
    ("责编", Field::Editor),
    ("编辑", Field::Editor),
    ("浏览次数", Field::Count),
    ("浏览", Field::Count),
    ("阅读", Field::Count),
    ("点击", Field::Count),
    ("访问量", Field::Count),
    ("字号", Field::Junk),
    ("字体", Field::Junk),
];

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let alts: Vec<&str> = LABELS.iter().map(|(l, _)| *l).collect();
    Regex::new(&format!(r"({})\s*[:：]", alts.join("|"))).expect("valid label pattern")
});

/// Phrases around a date that say where it was posted or where it came from
/// (`发布于北京`, `来自北京市`, `本文来源于北京商报`): not sentence text.
static PLACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:发布于|来自|(?:本文)?来源于)\S*").expect("valid place pattern"));

/// What a byline line says.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Byline {
    pub date: Option<(PubDate, String)>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub editors: Vec<String>,
}

/// Reads a line as a byline: it must be short, hold no sentence, and be made
/// almost entirely of labelled fields and a date. Returns `None` for any
/// other line, so article sentences that mention 来源 are never taken.
///
/// Dates are read with the page's `reading`: relative dates (`昨天 14:30`)
/// only against its reference time, when it is known.
pub(crate) fn parse(line: &str, reading: &Reading) -> Option<Byline> {
    // A line too long for either reader below is turned away before the
    // scan for Chinese reads the whole of it (most such lines are paragraphs).
    if line.len() > BYLINE_MAX_UNITS * 4 && line.len() > ENGLISH_BYLINE_MAX_BYTES {
        return None;
    }
    // English bylines have labels of their own and no colon.
    // Short lines only (the length is free), then no Chinese: body paragraphs skip both scans.
    let cjk = line.chars().any(crate::text::is_cjk);
    if line.len() <= ENGLISH_BYLINE_MAX_BYTES
        && !cjk
        && let Some(b) = english::parse(line, reading)
    {
        return Some(b);
    }
    // Cheap tests first: body paragraphs hold 。 and are long.
    // Sentences, and lines long in bytes or in units, are not bylines.
    if line.contains('。')
        || line.len() > BYLINE_MAX_UNITS * 4
        || units_exceed(line, BYLINE_MAX_UNITS)
        || line.contains('，') && !line.contains(['：', ':'])
    {
        return None;
    }
    // Every label is Chinese: a line without Chinese has none to look for.
    let labels: Vec<_> = match cjk {
        true => LABEL.captures_iter(line).filter_map(|c| Some((c.get(0)?, c.get(1)?))).collect(),
        false => Vec::new(),
    };
    let prefix_end = labels.first().map_or(line.len(), |(whole, _)| whole.start());
    let prefix = line.get(..prefix_end).unwrap_or_default();
    // Unlabelled, a line is a date and a few words at most; with no Chinese
    // in it there is no place phrase (发布于…) to discount either.
    if labels.is_empty() && units_exceed(line, BYLINE_LATIN_MAX_UNITS) && !cjk {
        return None;
    }
    let find = |text: &str| reading.find(text, false).map(|f| (f.value, f.raw));
    let prefix_date = find(prefix);
    if labels.is_empty() && prefix_date.is_none() {
        return None;
    }
    let leftover = prefix_date.as_ref().map_or(prefix.to_string(), |(_, raw)| prefix.replacen(raw.as_str(), "", 1));
    if units_exceed(&PLACE.replace_all(&leftover, ""), BYLINE_LEFTOVER_UNITS) {
        return None;
    }
    let mut out = Byline { date: prefix_date, ..Byline::default() };
    for (i, (_, label)) in labels.iter().enumerate() {
        let end = labels.get(i + 1).map_or(line.len(), |(next, _)| next.start());
        let value = line.get(label.end()..end).unwrap_or_default().trim_start_matches([':', '：', ' ']).trim();
        let field = LABELS.iter().find(|(l, _)| *l == label.as_str()).map(|(_, f)| *f);
        match field {
            Some(Field::Date) if out.date.is_none() => out.date = find(value),
            Some(Field::Source) => out.source = out.source.or_else(|| first_token(value)),
            Some(Field::Author) => out.author = out.author.or_else(|| names(value)),
            Some(Field::Editor) => {
                out.editors.push(line.get(label.start()..end).unwrap_or_default().trim().to_string())
            }
            _ => {}
        }
    }
    if out.date.is_none() {
        // A date printed after another field: `来源：太原晚报 2021-11-25 16:26:07`.
        out.date = find(line);
    }
    Some(out)
}

/// The first word of a value (`省计生协 字体` → `省计生协`).
pub(crate) fn first_token(value: &str) -> Option<String> {
    let t = value.split_whitespace().next()?.trim_matches(|c: char| "[]【】|｜".contains(c));
    (!t.is_empty()).then(|| t.to_string())
}

/// Personal names at the start of a value: two to four characters each,
/// stopping at the first longer word (`刘均刚 山东省计生协会长` → `刘均刚`).
pub(crate) fn names(value: &str) -> Option<String> {
    let picked: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || c == '、' || c == ',' || c == '，')
        .filter(|w| !w.is_empty())
        .take_while(|w| (2..=4).contains(&w.chars().count()) || !w.chars().any(crate::text::is_cjk))
        .take(4)
        .collect();
    (!picked.is_empty()).then(|| picked.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_now(line: &str) -> Option<Byline> {
        parse(line, &Reading::default())
    }

    #[test]
    fn relative_dates_are_read_against_the_reference_time() {
        let reading = Reading { now: Some("2025-02-21T02:00:00Z".parse().unwrap()), ..Reading::default() };
        let b = parse("发布时间:昨天 14:30 来源:市计生协", &reading).unwrap();
        assert_eq!(b.date.unwrap().0.to_string(), "2025-02-20T14:30:00+08:00");
        assert_eq!(b.source.as_deref(), Some("市计生协"));
        assert!(parse("3小时前", &reading).unwrap().date.is_some());
        assert!(parse_now("3小时前").is_none(), "no reference, no date, no byline");
    }

    #[test]
    fn reads_a_gov_cms_byline() {
        let b = parse_now("发布日期: 2023- 03- 07 16: 31 信息来源: 省计生协 字体:[ ]").unwrap();
        assert_eq!(b.date.unwrap().0.to_string(), "2023-03-07T16:31:00+08:00");
        assert_eq!(b.source.as_deref(), Some("省计生协"));
    }

    #[test]
    fn reads_a_portal_date_line() {
        let b = parse_now("2025-02-20 21:14  浏览:374  搜索引擎搜索“手机全球会展网”").unwrap();
        assert_eq!(b.date.unwrap().0.to_string(), "2025-02-20T21:14:00+08:00");
    }

    #[test]
    fn a_date_after_the_source_is_found() {
        let b = parse_now("来源：太原晚报 2021-11-25 16:26:07").unwrap();
        assert_eq!(b.date.unwrap().0.to_string(), "2021-11-25T16:26:07+08:00");
        assert_eq!(b.source.as_deref(), Some("太原晚报"));
    }

    #[test]
    fn platform_bylines() {
        assert!(parse_now("2024-05-18 16:56发布于北京环球时报新媒体官方账号").unwrap().date.is_some());
        assert!(parse_now("2022-06-02 09:52:19政能亮 来自北京市").unwrap().date.is_some());
        assert!(parse_now("本文来源于北京商报 2024-05-20 09:47:48").unwrap().date.is_some());
    }

    #[test]
    fn sentences_are_not_bylines() {
        assert!(parse_now("据了解,该项目资金来源:省级财政专项资金,共计300万元。").is_none());
        assert!(parse_now("2023年是全面贯彻落实党的二十大精神的开局之年").is_none());
    }

    #[test]
    fn names_stop_at_titles() {
        assert_eq!(names("刘均刚 山东省计生协会长").as_deref(), Some("刘均刚"));
        assert_eq!(names("王建宏 张文攀").as_deref(), Some("王建宏 张文攀"));
    }
}
