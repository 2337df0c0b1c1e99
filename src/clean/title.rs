//! The headline: the page's heading that matches `<title>`/`og:title`, or the last headline before the body.

use super::line::{Context, Fate, Field, Line, Zone};
use super::rules::LINK_LIST;
use crate::text::{is_cjk, is_headline_like, units};
use crate::tuning::{
    BYLINE_HEADLINE_WINDOW, HEADING_ABOVE_WINDOW, HEADING_OPENING_WINDOW, HEADLINE_MIN_UNITS, HEADLINE_WINDOW,
    HINT_MIN_CHARS, LABELLED_TITLE_WINDOW, MATCH_CONTAINED, MATCH_CONTAINS, MATCH_EQUAL, MENU_ITEM_MAX_UNITS,
    PART_MIN_CHARS, SEGMENT_MIN_CHARS, SITE_NAME_UNITS, TITLE_MATCH_WINDOW, TITLE_REPEAT_WINDOW, TITLE_UNITS,
};
use rustc_hash::FxHashSet;

/// Separators in `<title>` before which a headline may end (`…-纪检`, `… 东区办事处`).
const PART_SEPARATORS: &[&str] = &["_", "|", "｜", " - ", "-", "–", "—", " ", "　", "::"];

/// Separators before a site's or a column's name in `<title>`.
const TAIL_SEPARATORS: &[&str] = &["_", "|", "｜", "-", "–", "—", "::"];

/// Separators between a headline and the site's name in `<title>`.
const SITE_SEPARATORS: &[&str] = &[" - ", " – ", " — ", "_", " | ", "｜", "|", "--", " :: ", "——"];

/// The headline block of an article.
#[derive(Debug, Default, Clone)]
pub(crate) struct Head {
    pub title: Option<String>,
    pub kicker: Option<String>,
    pub subtitle: Option<String>,
    /// The line the title was read from…
    pub line: Option<usize>,
    /// …and how many lines it spans (a headline broken over two elements).
    span: usize,
    kicker_line: Option<usize>,
    subtitle_line: Option<usize>,
}

impl Head {
    /// Lines that belong to the headline, not the body: its own lines, and
    /// a repeat of the title just after it (pages often print it twice).
    pub(crate) fn is_head_line(&self, i: usize, text: &str) -> bool {
        let near = i <= self.line.unwrap_or(0) + TITLE_REPEAT_WINDOW;
        let in_title = self.line.is_some_and(|t| (t..t + self.span.max(1)).contains(&i));
        in_title
            || [self.kicker_line, self.subtitle_line].contains(&Some(i))
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
    let labelled = labelled.map(|(i, t)| (i, 1, t));
    let menus = Menus::of(lines);
    let found = labelled
        .or_else(|| matching_line(lines, ctx, body_start, &menus))
        .or_else(|| if marked { equal_line(lines, ctx, body_start, &menus) } else { None })
        .or_else(|| above_byline(lines, body_start, &menus).map(|(i, t)| (i, 1, t)));
    let (line, span, title) = match found {
        Some((i, span, t)) => (Some(i), span, Some(t)),
        // Unmarked and no line matching: the last headline before the body,
        // else the `<title>` itself (a copied page's first line), if it reads as one.
        None if !marked => match last_headline(lines, body_start) {
            Some((i, t)) => (Some(i), 1, Some(t)),
            None => (None, 0, hint_headline(ctx)),
        },
        None => match first_heading(lines, body_start) {
            Some((i, t)) => (Some(i), 1, Some(t)),
            None => (None, 0, ctx.titles.first().map(|t| strip_site(t))),
        },
    };
    let title = title.filter(|t| !t.trim().is_empty());
    let mut head = Head { title, line, span, ..Head::default() };
    if let Some(t) = line {
        neighbours(&mut head, lines, t, !marked);
    }
    head
}

/// The candidate line that best matches one of the page's title hints.
/// With headlines unmarked any line is a candidate but the first, which is
/// the page's title itself.
fn matching_line(lines: &[Line], ctx: &Context, body_start: usize, menus: &Menus) -> Option<(usize, usize, String)> {
    let marked = ctx.layout.headlines_marked;
    let first = usize::from(!marked);
    let usable = |l: &Line| {
        (l.title_candidate || !marked) && matches!(l.fate, Fate::Keep) && TITLE_UNITS.contains(&units(&l.text))
    };
    let window = body_start + TITLE_MATCH_WINDOW;
    // A headline broken over two elements is read whole: each usable line
    // alone, and joined with the next usable one.
    let mut candidates: Vec<((usize, usize), String)> = Vec::new();
    for (i, l) in lines.iter().enumerate().take(window).skip(first).filter(|(_, l)| usable(l)) {
        candidates.push(((i, 1), l.text.clone()));
        if let Some(next) = lines.get(i + 1).filter(|n| usable(n) && !menus.has(&n.text)) {
            candidates.push(((i, 2), join_title(&l.text, &next.text)));
        }
    }
    // Unmarked, a copy of `<title>` (`标题-新华网` beside the line `标题`) is the hint, not the headline.
    let own_title = |t: &str| {
        !marked
            && leading_parts(t)
                .iter()
                .skip(1)
                .any(|p| p.chars().count() >= SEGMENT_MIN_CHARS && candidates.iter().any(|(_, other)| other == p))
    };
    let candidates: Vec<((usize, usize), String)> =
        candidates.iter().filter(|((_, span), t)| !(menus.has(t) || *span == 1 && own_title(t))).cloned().collect();
    let candidates = candidates.iter();
    let (i, span) = best_line(candidates.map(|(k, t)| (*k, t.as_str())), &ctx.titles)?;
    let text = candidates_text(lines, i, span);
    Some((i, span, text))
}

/// The text of `span` lines from `i`, joined as a headline.
fn candidates_text(lines: &[Line], i: usize, span: usize) -> String {
    let mut parts = lines.iter().skip(i).take(span).map(|l| l.text.as_str());
    let first = parts.next().unwrap_or_default().to_string();
    parts.fold(first, |acc, p| join_title(&acc, p))
}

/// Two pieces of a headline: run together between Chinese characters, with a space otherwise.
fn join_title(a: &str, b: &str) -> String {
    let cjk_seam = a.chars().next_back().is_some_and(|c| is_cjk(c) || !c.is_alphanumeric())
        && b.chars().next().is_some_and(|c| is_cjk(c) || !c.is_alphanumeric());
    if cjk_seam {
        format!("{a}{b}")
    } else {
        format!("{a} {b}")
    }
}

/// Headlines marked but none matching: an unmarked line that equals a
/// title hint, or the part of one before the site's and column's names
/// (`中华人民共和国监察法-纪检` → the line `中华人民共和国监察法`).
fn equal_line(lines: &[Line], ctx: &Context, body_start: usize, menus: &Menus) -> Option<(usize, usize, String)> {
    let wanted: Vec<String> = ctx
        .titles
        .iter()
        .flat_map(|t| leading_parts(t))
        .map(|t| norm(&t))
        .filter(|t| t.chars().count() >= SEGMENT_MIN_CHARS)
        .collect();
    let usable = |l: &Line| matches!(l.fate, Fate::Keep) && is_headline_like(&l.text) && !menus.has(&l.text);
    for (i, l) in lines.iter().enumerate().take(body_start + TITLE_MATCH_WINDOW).filter(|(_, l)| usable(l)) {
        // A headline broken over two elements first, then the line alone.
        if let Some(next) = lines.get(i + 1).filter(|n| usable(n)) {
            let joined = join_title(&l.text, &next.text);
            if wanted.contains(&norm(&joined)) {
                return Some((i, 2, joined));
            }
        }
        if wanted.contains(&norm(&l.text)) {
            return Some((i, 1, l.text.clone()));
        }
    }
    None
}

/// No hint matching: a headline-like line just above the dated byline, which sits under the headline.
fn above_byline(lines: &[Line], body_start: usize, menus: &Menus) -> Option<(usize, String)> {
    let limit = body_start + BYLINE_HEADLINE_WINDOW;
    let byline = lines.iter().take(limit).position(|l| matches!(&l.fate, Fate::Byline(b) if b.date.is_some()))?;
    let above = lines.get(byline.checked_sub(1)?)?;
    // Not a labelled cell (`发文机关： | 吉林省人民政府`): a headline.
    let labelled = above.text.contains(" | ") || above.text.trim_end().ends_with(['：', ':']);
    let usable = matches!(above.fate, Fate::Keep)
        && !labelled
        && is_headline_like(&above.text)
        && units(&above.text) >= HEADLINE_MIN_UNITS
        && !menus.has(&above.text);
    usable.then(|| (byline - 1, above.text.clone()))
}

/// The items of the menus and link lists around the article (`新闻动态`,
/// `通知公告`): columns' names, never a headline.
struct Menus(FxHashSet<String>);

impl Menus {
    fn of(lines: &[Line]) -> Menus {
        let items = lines.iter().filter(|l| matches!(&l.fate, Fate::Drop(rule) if rule == LINK_LIST));
        Menus(items.filter(|l| units(&l.text) <= MENU_ITEM_MAX_UNITS).map(|l| norm(&l.text)).collect())
    }

    fn has(&self, text: &str) -> bool {
        units(text) <= MENU_ITEM_MAX_UNITS && self.0.contains(&norm(text))
    }
}

/// The parts after the first separator, each on its own: `标题_栏目_网站`
/// gives `栏目`, `网站`.
fn trailing_parts(title: &str) -> Vec<String> {
    let t = title.trim();
    let Some((i, sep)) = TAIL_SEPARATORS.iter().filter_map(|s| t.find(s).map(|i| (i, *s))).min() else {
        return Vec::new();
    };
    let tail = &t[i + sep.len()..];
    tail.split(|c: char| "_|｜-–—".contains(c)).map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// The title itself and its leading parts before each separator:
/// `标题_栏目_网站` gives `标题_栏目_网站`, `标题_栏目`, `标题`.
fn leading_parts(title: &str) -> Vec<String> {
    let t = title.trim();
    let mut cuts: Vec<usize> = PART_SEPARATORS.iter().flat_map(|s| t.match_indices(s).map(|(i, _)| i)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = vec![t.to_string()];
    out.extend(cuts.iter().rev().filter_map(|&i| t.get(..i)).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()));
    out
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

/// Of `(key, text)` candidates, the key of the one that best matches a title
/// hint or a hint's leading part (the headline before the site's name).
pub(crate) fn best_line<'a, K>(candidates: impl Iterator<Item = (K, &'a str)>, hints: &[String]) -> Option<K> {
    let mut wanted: Vec<String> = hints.iter().map(|t| norm(t)).filter(|t| !t.is_empty()).collect();
    let parts = hints.iter().flat_map(|t| leading_parts(t).into_iter().skip(1)).map(|p| norm(&p));
    wanted.extend(parts.filter(|p| p.chars().count() >= SEGMENT_MIN_CHARS));
    // The names after a hint's first separator (`科普中国-辟谣文章`): a line
    // that is only one of them is the site's or the column's name.
    let tails: Vec<String> = hints.iter().flat_map(|t| trailing_parts(t)).map(|p| norm(&p)).collect();
    let mut best: Option<(usize, K)> = None;
    for (key, text) in candidates {
        let n = norm(text);
        if tails.contains(&n) && !wanted.contains(&n) {
            continue;
        }
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
        let usable = matches!(l.fate, Fate::Keep)
            && is_headline_like(&l.text)
            && units(&l.text) >= HEADLINE_MIN_UNITS
            && !is_bare_date(&l.text);
        usable.then(|| (i, l.text.clone()))
    })
}

/// The first title hint, without the site's name, if it reads as a headline.
fn hint_headline(ctx: &Context) -> Option<String> {
    let t = strip_site(ctx.titles.first()?);
    (is_headline_like(&t) && units(&t) >= HEADLINE_MIN_UNITS && !is_bare_date(&t)).then_some(t)
}

/// A line that is only a date (`2003年5月`, `2016-03-08`): never a headline.
fn is_bare_date(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "年月日号-/.:：".contains(c))
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
    let after = t + head.span.max(1);
    if let Some(l) = lines.get(after) {
        if matches!(l.fate, Fate::Keep) && (l.text.starts_with("——") || l.text.starts_with("--")) {
            head.subtitle = Some(l.text.trim_start_matches(['—', '-']).trim().to_string());
            head.subtitle_line = Some(after);
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
