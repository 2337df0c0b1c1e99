//! The headline: the page's heading that matches `<title>`/`og:title`, or the last headline before the body.

use super::line::{Context, Fate, Field, Line, Zone};
use crate::text::{is_cjk, is_headline_like, units};
use crate::tuning::{
    HEADING_ABOVE_WINDOW, HEADING_OPENING_WINDOW, HEADLINE_MIN_UNITS, HEADLINE_WINDOW, HINT_MIN_CHARS,
    LABELLED_TITLE_WINDOW, MATCH_CONTAINED, MATCH_CONTAINS, MATCH_EQUAL, PART_MIN_CHARS, SITE_NAME_UNITS,
    TITLE_MATCH_WINDOW, TITLE_REPEAT_WINDOW, TITLE_UNITS,
};

/// Separators between a headline and the site's name in `<title>`.
const SITE_SEPARATORS: &[&str] = &[" - ", " – ", " — ", "_", " | ", "｜", "|", "--", " :: ", "——"];

/// The headline block of an article.
#[derive(Debug, Default, Clone)]
pub(crate) struct Head {
    pub title: Option<String>,
    pub kicker: Option<String>,
    pub subtitle: Option<String>,
    /// The line the title was read from.
    pub line: Option<usize>,
    kicker_line: Option<usize>,
    subtitle_line: Option<usize>,
}

impl Head {
    /// Lines that belong to the headline, not the body: its own lines, and
    /// a repeat of the title just after it (pages often print it twice).
    pub(crate) fn is_head_line(&self, i: usize, text: &str) -> bool {
        let near = i <= self.line.unwrap_or(0) + TITLE_REPEAT_WINDOW;
        [self.line, self.kicker_line, self.subtitle_line].contains(&Some(i))
            || near && self.title.as_deref().is_some_and(|t| norm_chars(t).eq(norm_chars(text)))
    }

    /// A body that opens by repeating the headline (`讲话 同志们:…`) loses the repeat.
    pub(crate) fn strip_title_prefix(&self, text: &str) -> String {
        let Some(title) = self.title.as_deref() else { return text.to_string() };
        match text.strip_prefix(title) {
            Some(rest) if rest.starts_with(char::is_whitespace) && units(rest) > 0 => rest.trim_start().to_string(),
            _ => text.to_string(),
        }
    }
}

/// Letters, digits and CJK characters only, lower-cased: how titles are compared.
pub(crate) fn norm(s: &str) -> String {
    norm_chars(s).collect()
}

/// The characters of [`norm`], compared without building the string (most comparisons fail early).
fn norm_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|c| c.is_alphanumeric() || is_cjk(*c)).flat_map(char::to_lowercase)
}

/// Finds the headline (and kicker and subtitle) among the judged lines.
pub(crate) fn find(lines: &[Line], ctx: &Context) -> Head {
    let body_start = lines.iter().position(|l| l.zone == Zone::Body).unwrap_or(0);
    let labelled = lines.iter().enumerate().take(body_start + LABELLED_TITLE_WINDOW).find_map(|(i, l)| match &l.fate {
        Fate::Field(Field::Title, Some(t), _) => Some((i, t.clone())),
        _ => None,
    });
    let marked = ctx.layout.headlines_marked;
    let (line, title) = match labelled.or_else(|| matching_line(lines, ctx, body_start)) {
        Some((i, t)) => (Some(i), Some(t)),
        None if !marked => match last_headline(lines, body_start) {
            Some((i, t)) => (Some(i), Some(t)),
            None => (None, None),
        },
        None => match first_heading(lines, body_start) {
            Some((i, t)) => (Some(i), Some(t)),
            None => (None, ctx.titles.first().map(|t| strip_site(t))),
        },
    };
    let mut head = Head { title, line, ..Head::default() };
    if let Some(t) = line {
        neighbours(&mut head, lines, t, !marked);
    }
    head
}

/// The candidate line that best matches one of the page's title hints.
/// With headlines unmarked any line is a candidate but the first, which is
/// the page's title itself.
fn matching_line(lines: &[Line], ctx: &Context, body_start: usize) -> Option<(usize, String)> {
    let marked = ctx.layout.headlines_marked;
    let first = usize::from(!marked);
    let candidates = lines.iter().enumerate().take(body_start + TITLE_MATCH_WINDOW).skip(first).filter(|(_, l)| {
        (l.title_candidate || !marked) && matches!(l.fate, Fate::Keep) && TITLE_UNITS.contains(&units(&l.text))
    });
    let i = best_line(candidates.map(|(i, l)| (i, l.text.as_str())), &ctx.titles)?;
    lines.get(i).map(|l| (i, l.text.clone()))
}

/// Every line after the first that matches a title hint, anywhere in the
/// text: where the article may start when zones must be found.
pub(crate) fn hint_lines(lines: &[Line], titles: &[String]) -> Vec<usize> {
    let wanted: Vec<String> = titles.iter().map(|t| norm(t)).filter(|t| !t.is_empty()).collect();
    lines
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| matches!(l.fate, Fate::Keep) && TITLE_UNITS.contains(&units(&l.text)))
        .filter(|(_, l)| wanted.iter().any(|w| match_score(&norm(&l.text), w) > 0))
        .map(|(i, _)| i)
        .collect()
}

/// Of `(key, text)` candidates, the key of the one that best matches a title hint.
pub(crate) fn best_line<'a, K>(candidates: impl Iterator<Item = (K, &'a str)>, hints: &[String]) -> Option<K> {
    let wanted: Vec<String> = hints.iter().map(|t| norm(t)).filter(|t| !t.is_empty()).collect();
    let mut best: Option<(usize, K)> = None;
    for (key, text) in candidates {
        let n = norm(text);
        let score = wanted.iter().map(|w| match_score(&n, w)).max().unwrap_or(0);
        if score > 0 && best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, key));
        }
    }
    best.map(|(_, k)| k)
}

/// How well a line matches a hint: equal beats contained, longer beats shorter.
fn match_score(line: &str, hint: &str) -> usize {
    let len = line.chars().count();
    let hint_len = hint.chars().count();
    if line == hint {
        MATCH_EQUAL + len
    } else if len >= PART_MIN_CHARS && hint.contains(line) && len * 3 >= hint_len {
        MATCH_CONTAINED + len
    } else if hint_len >= HINT_MIN_CHARS && line.contains(hint) && len <= hint_len * 2 {
        MATCH_CONTAINS + len
    } else {
        0
    }
}

/// Headlines unmarked, no hint matching: the last headline-like line before the body.
fn last_headline(lines: &[Line], body_start: usize) -> Option<(usize, String)> {
    lines.iter().enumerate().take(body_start).rev().take(HEADLINE_WINDOW).find_map(|(i, l)| {
        let usable = matches!(l.fate, Fate::Keep) && is_headline_like(&l.text) && units(&l.text) >= HEADLINE_MIN_UNITS;
        usable.then(|| (i, l.text.clone()))
    })
}

/// Headlines marked, no hint matching: the heading nearest above the body, or opening it.
fn first_heading(lines: &[Line], body_start: usize) -> Option<(usize, String)> {
    let usable = |l: &Line| {
        l.title_candidate
            && matches!(l.fate, Fate::Keep)
            && is_headline_like(&l.text)
            && units(&l.text) >= HEADLINE_MIN_UNITS
    };
    let above = lines.iter().enumerate().take(body_start).rev().take(HEADING_ABOVE_WINDOW).find(|(_, l)| usable(l));
    let opening = || lines.iter().enumerate().skip(body_start).take(HEADING_OPENING_WINDOW).find(|(_, l)| usable(l));
    above.or_else(opening).map(|(i, l)| (i, l.text.clone()))
}

/// A subtitle (——…) below the title, and, where headlines are unmarked, a
/// kicker above it (a quoted or spaced line: newspapers' 引题).
fn neighbours(head: &mut Head, lines: &[Line], t: usize, kicker: bool) {
    let usable = |l: &Line| matches!(l.fate, Fate::Keep) && l.zone != Zone::Body && is_headline_like(&l.text);
    if let Some(l) = t.checked_sub(1).and_then(|k| lines.get(k)) {
        if kicker && usable(l) && units(&l.text) >= HEADLINE_MIN_UNITS && l.text.contains(['“', '"', ' ']) {
            head.kicker = Some(l.text.clone());
            head.kicker_line = t.checked_sub(1);
        }
    }
    if let Some(l) = lines.get(t + 1) {
        if matches!(l.fate, Fate::Keep) && (l.text.starts_with("——") || l.text.starts_with("--")) {
            head.subtitle = Some(l.text.trim_start_matches(['—', '-']).trim().to_string());
            head.subtitle_line = Some(t + 1);
        }
    }
}

/// `标题_栏目_网站` → `标题`. Cuts only when everything after the first
/// separator reads like site and column names (short, unpunctuated), so
/// `书记市长这一周 | 奋马扬鞭争春色，“虎”力全开向未来` stays whole.
pub(crate) fn strip_site(title: &str) -> String {
    let t = title.trim();
    let Some((i, sep)) = SITE_SEPARATORS.iter().filter_map(|s| t.find(s).map(|i| (i, *s))).min() else {
        return t.to_string();
    };
    let (head, tail) = (&t[..i], &t[i + sep.len()..]);
    let site_like = tail
        .split(|c: char| SITE_SEPARATORS.iter().any(|s| s.trim() == c.to_string()) || c == '-')
        .all(|seg| units(seg) <= SITE_NAME_UNITS && !seg.contains(['，', ',', '。', '！', '？', '：']));
    if units(head) >= HEADLINE_MIN_UNITS && site_like {
        head.trim().to_string()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_cut_from_page_titles() {
        assert_eq!(strip_site("以战时内阁审查重启停火谈判提案_新闻频道_中国青年网"), "以战时内阁审查重启停火谈判提案");
        assert_eq!(strip_site("关于印发工作要点的通知 - 江西省卫生健康委员会"), "关于印发工作要点的通知");
        assert_eq!(strip_site("首页_中国计划生育协会"), "首页_中国计划生育协会");
        assert_eq!(
            strip_site("书记市长这一周 | 奋马扬鞭争春色，“虎”力全开向未来"),
            "书记市长这一周 | 奋马扬鞭争春色，“虎”力全开向未来"
        );
    }

    #[test]
    fn equal_beats_contained() {
        let hint = norm("新华视界｜河北遵化：数字农机服务助力农业生产-新华网");
        assert!(match_score(&norm("新华视界｜河北遵化：数字农机服务助力农业生产"), &hint) > 0);
        assert_eq!(match_score(&norm("新华网"), &hint), 0);
    }
}
