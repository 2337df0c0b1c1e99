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
fn matching_line(
    lines: &[Line],
    ctx: &Context,
    body_start: usize,
    menus: &Menus<'_>,
) -> Option<(usize, usize, String)> {
    let marked = ctx.layout.headlines_marked;
    let first = usize::from(!marked);
    // A one-word headline (a recipe's or a product's name) is a title only
    // when it is marked as a headline and is a title hint's part exactly.
    let one_word = |l: &Line| l.title_candidate && units(&l.text) == 1;
    let usable = |l: &Line| {
        let n = units(&l.text);
        (l.title_candidate || !marked)
            && matches!(l.fate, Fate::Keep)
            && (TITLE_UNITS.contains(&n) || n == 1 && l.title_candidate)
    };
    let window = body_start + TITLE_MATCH_WINDOW;
    let hints = Hints::new(&ctx.titles);
    // Each usable line scored once; a line that matches is tried joined with
    // the next usable line too, kept if that matches better: a headline broken
    // over two elements is read whole.
    let mut scored: Vec<((usize, usize), String, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate().take(window).skip(first).filter(|(_, l)| usable(l)) {
        let n = norm(&l.text);
        let score = hints.score(&n);
        if score == 0 || one_word(l) && score < MATCH_EQUAL {
            continue;
        }
        // Only a line that matches something can be a headline's first part.
        {
            if let Some(next) = lines.get(i + 1).filter(|next| usable(next) && !menus.has(&next.text)) {
                let joined = norm(&join_title(&l.text, &next.text));
                let joined_score = hints.score(&joined);
                if joined_score > score {
                    scored.push(((i, 2), joined, joined_score));
                }
            }
        }
        scored.push(((i, 1), n, score));
    }
    // Unmarked, a copy of `<title>` (`标题-新华网` beside the line `标题`) is the hint, not the headline.
    let texts: FxHashSet<&str> =
        if marked { FxHashSet::default() } else { scored.iter().map(|(_, n, _)| n.as_str()).collect() };
    let own_title = |i: usize| {
        let Some(l) = lines.get(i) else { return false };
        site_suffixed(&l.text).any(|head| texts.contains(norm(head).as_str()))
    };
    let kept = scored.iter().filter(|((i, span), _, _)| {
        let text = lines.get(*i).map_or("", |l| l.text.as_str());
        !(*span == 1 && (menus.has(text) || !marked && own_title(*i)))
    });
    // The best score; on a tie the earlier line.
    let mut best: Option<(usize, (usize, usize))> = None;
    for (key, _, score) in kept {
        if best.is_none_or(|b| *score > b.0) {
            best = Some((*score, *key));
        }
    }
    let (_, (i, span)) = best?;
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
    if cjk_seam { format!("{a}{b}") } else { format!("{a} {b}") }
}

/// Headlines marked but none matching: an unmarked line that equals a
/// title hint, or the part of one before the site's and column's names
/// (`中华人民共和国监察法-纪检` → the line `中华人民共和国监察法`).
fn equal_line(lines: &[Line], ctx: &Context, body_start: usize, menus: &Menus<'_>) -> Option<(usize, usize, String)> {
    let wanted: FxHashSet<String> = ctx
        .titles
        .iter()
        .flat_map(|t| leading_parts(t))
        .map(|t| norm(&t))
        .filter(|t| t.chars().count() >= SEGMENT_MIN_CHARS)
        .collect();
    let longest = wanted.iter().map(String::len).max()?;
    // Cheap tests first: most lines before the body are menus, far from any hint's length.
    let fits = |l: &Line| matches!(l.fate, Fate::Keep) && l.text.len() <= longest * 2;
    let usable = |l: &Line| is_headline_like(&l.text) && !menus.has(&l.text);
    for (i, l) in lines.iter().enumerate().take(body_start + TITLE_MATCH_WINDOW).filter(|(_, l)| fits(l)) {
        // A headline broken over two elements first, then the line alone.
        if let Some(next) = lines.get(i + 1).filter(|n| fits(n)) {
            let joined = join_title(&l.text, &next.text);
            if wanted.contains(&norm(&joined)) && usable(l) && usable(next) {
                return Some((i, 2, joined));
            }
        }
        if wanted.contains(&norm(&l.text)) && usable(l) {
            return Some((i, 1, l.text.clone()));
        }
    }
    None
}

/// No hint matching: a headline-like line just above the dated byline, which sits under the headline.
fn above_byline(lines: &[Line], body_start: usize, menus: &Menus<'_>) -> Option<(usize, String)> {
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
/// Read only when a short candidate is asked about.
struct Menus<'a> {
    lines: &'a [Line],
    items: std::cell::OnceCell<FxHashSet<&'a str>>,
}

impl<'a> Menus<'a> {
    fn of(lines: &'a [Line]) -> Menus<'a> {
        Menus { lines, items: std::cell::OnceCell::new() }
    }

    fn has(&self, text: &str) -> bool {
        let items = self.items.get_or_init(|| {
            let listed = self.lines.iter().filter(|l| matches!(&l.fate, Fate::Drop(rule) if rule == LINK_LIST));
            listed.map(|l| l.text.trim()).collect()
        });
        // A long line is a headline even where a list links to it (a breadcrumb's last item).
        items.contains(text.trim()) && units(text) <= MENU_ITEM_MAX_UNITS
    }
}

/// Separators between a headline and the site's name in a `<title>` (`标题-新华网`).
const SITE_SUFFIX_SEPARATORS: &[&str] = &["_", "-", "|", "｜", " - ", "——"];

/// The headlines a `<title>`-like line may hold: what stands before a site's
/// name (`标题-新华网` gives `标题`), when that is long enough to be one.
pub(crate) fn site_suffixed(line: &str) -> impl Iterator<Item = &str> {
    SITE_SUFFIX_SEPARATORS.iter().filter_map(move |sep| {
        let i = line.rfind(sep)?;
        let (head, site) = (line[..i].trim(), line[i + sep.len()..].trim());
        (head.chars().count() >= SEGMENT_MIN_CHARS && units(site) <= SITE_NAME_UNITS).then_some(head)
    })
}

/// The parts after the first separator, each on its own: `标题_栏目_网站`
/// gives `栏目`, `网站`.
fn trailing_parts(title: &str) -> Vec<String> {
    let t = title.trim();
    let Some(cut) = separator_cuts(t, false).next() else { return Vec::new() };
    let tail = t.get(cut..).unwrap_or_default().trim_start_matches(|c: char| is_separator(c) || c == ':');
    tail.split(is_separator).map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// `_ | ｜ - – —` and the ideographic space: where a `<title>` joins its parts.
fn is_separator(c: char) -> bool {
    matches!(c, '_' | '|' | '｜' | '-' | '–' | '—' | '　')
}

/// Where `t` may be cut into a headline and what follows: before each
/// separator, each `::`, and (with `spaces`) each space between two Chinese
/// characters. One pass, in order.
fn separator_cuts(t: &str, spaces: bool) -> impl Iterator<Item = usize> + '_ {
    let mut prev: Option<char> = None;
    let mut chars = t.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            let before = prev.replace(c);
            let cut = is_separator(c)
                || c == ':' && next == Some(':') && before != Some(':')
                || spaces && c == ' ' && before.is_some_and(is_cjk) && next.is_some_and(is_cjk);
            if cut {
                return Some(i);
            }
        }
        None
    })
}

/// The title itself and its leading parts before each separator:
/// `标题_栏目_网站` gives `标题_栏目_网站`, `标题_栏目`, `标题`.
fn leading_parts(title: &str) -> Vec<String> {
    let t = title.trim();
    let cuts: Vec<usize> = separator_cuts(t, true).collect();
    let mut out = vec![t.to_string()];
    out.extend(cuts.iter().rev().filter_map(|&i| t.get(..i)).map(|p| p.trim().to_string()).filter(|p| !p.is_empty()));
    out.dedup();
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
    let hints = Hints::new(hints);
    // A line more than twice a hint's length matches none (see `match_score`): not even normalised.
    let limit = hints.wanted.iter().map(String::len).max().unwrap_or(0) * 2 + LENGTH_SLACK_BYTES;
    hints.best(candidates.filter(|(_, t)| t.len() <= limit).map(|(k, t)| (k, norm(t))))
}

/// Hints longer than this are not cut into leading parts (no title is this long).
const MAX_HINT_BYTES: usize = 600;

/// Room for the spaces and punctuation a line holds beyond its normalised text.
const LENGTH_SLACK_BYTES: usize = 64;

/// The page's title hints, read once for every candidate line.
struct Hints {
    /// The hints and their leading parts (`标题_栏目_网站`, `标题_栏目`, `标题`), normalised.
    wanted: Vec<String>,
    /// The names after a hint's first separator (`科普中国-辟谣文章`): a line
    /// that is only one of them is the site's or the column's name.
    tails: Vec<String>,
}

impl Hints {
    fn new(hints: &[String]) -> Hints {
        // A hint longer than any title (a `<title>` stuffed with text) is
        // matched whole but not cut into parts: its parts would cost the
        // square of its length.
        let mut wanted: Vec<String> = hints.iter().map(|t| norm(t)).filter(|t| !t.is_empty()).collect();
        let cuttable = || hints.iter().filter(|t| t.len() <= MAX_HINT_BYTES);
        let parts = cuttable().flat_map(|t| leading_parts(t).into_iter().skip(1)).map(|p| norm(&p));
        wanted.extend(parts.filter(|p| p.chars().count() >= SEGMENT_MIN_CHARS));
        let tails = cuttable().flat_map(|t| trailing_parts(t)).map(|p| norm(&p)).collect();
        Hints { wanted, tails }
    }

    /// How well a normalised line matches the best hint; 0 for no match.
    fn score(&self, n: &str) -> usize {
        if self.tails.iter().any(|t| t == n) && !self.wanted.iter().any(|w| w == n) {
            return 0;
        }
        self.wanted.iter().map(|w| match_score(n, w)).max().unwrap_or(0)
    }

    fn best<K>(&self, candidates: impl Iterator<Item = (K, String)>) -> Option<K> {
        let mut best: Option<(usize, K)> = None;
        for (key, n) in candidates {
            let score = self.score(&n);
            if score > 0 && best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, key));
            }
        }
        best.map(|(_, k)| k)
    }
}

/// How well a line matches a hint: equal beats contained, longer beats shorter.
fn match_score(line: &str, hint: &str) -> usize {
    // Byte lengths rule most pairs out before a character is counted: a line
    // under a twelfth of a hint's bytes neither equals nor contains it, nor
    // holds a third of its characters (a character is at most four bytes).
    if line.len().saturating_mul(12) < hint.len() {
        return 0;
    }
    let len = line.chars().count();
    let hint_len = hint.chars().count();
    // The lengths are compared before the texts are searched: cheap tests first.
    if line == hint {
        MATCH_EQUAL + len
    } else if len >= PART_MIN_CHARS && len * 3 >= hint_len && hint.contains(line) {
        MATCH_CONTAINED + len
    } else if hint_len >= HINT_MIN_CHARS && len <= hint_len * 2 && line.contains(hint) {
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
    if let Some(l) = t.checked_sub(1).and_then(|k| lines.get(k))
        && kicker
        && usable(l)
        && units(&l.text) >= HEADLINE_MIN_UNITS
        && l.text.contains(['“', '"', ' '])
    {
        head.kicker = Some(l.text.clone());
        head.kicker_line = t.checked_sub(1);
    }
    let after = t + head.span.max(1);
    if let Some(l) = lines.get(after)
        && matches!(l.fate, Fate::Keep)
        && (l.text.starts_with("——") || l.text.starts_with("--"))
    {
        head.subtitle = Some(l.text.trim_start_matches(['—', '-']).trim().to_string());
        head.subtitle_line = Some(after);
    }
}

/// `标题_栏目_网站` → `标题`. Cuts at the first separator after which
/// everything reads like site and column names (short, unpunctuated), so
/// `书记市长这一周 | 奋马扬鞭争春色，“虎”力全开向未来` stays whole. A bare
/// hyphen or dash separates only between Chinese text
/// (`关于印发工作要点的通知-江西省卫生健康委员会`), never inside a word
/// (`after-hours`).
pub(crate) fn strip_site(title: &str) -> String {
    let t = title.trim();
    site_cut(t).map_or_else(|| t.to_string(), |(i, _)| t[..i].trim().to_string())
}

/// The site's name in a `<title>`: the last of the names after the
/// headline (`标题_栏目_网站` → `网站`), when [`strip_site`] finds them.
pub(crate) fn site_of(title: &str) -> Option<String> {
    let t = title.trim();
    let (i, len) = site_cut(t)?;
    let site = site_segments(&t[i + len..]).map(str::trim).filter(|seg| !seg.is_empty()).last()?;
    Some(site.to_string())
}

/// Where the site's and column's names start in a `<title>`: the
/// separator's byte offset and length.
fn site_cut(t: &str) -> Option<(usize, usize)> {
    let site_like = |tail: &str| {
        site_segments(tail)
            .all(|seg| units(seg) <= SITE_NAME_UNITS && !seg.contains(['，', ',', '。', '！', '？', '：']))
    };
    separators(t).find(|&(i, len)| units(&t[..i]) >= HEADLINE_MIN_UNITS && site_like(&t[i + len..]))
}

/// The names after a headline, split at their separators.
fn site_segments(tail: &str) -> impl Iterator<Item = &str> {
    tail.split(|c: char| SITE_SEPARATORS.iter().any(|s| s.trim() == c.to_string()) || BARE_DASHES.contains(&c))
}

/// Dashes that separate a site's name with no space around them, between Chinese text.
const BARE_DASHES: [char; 3] = ['-', '—', '－'];

/// Every separator in `t` as (byte offset, byte length), in order.
fn separators(t: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    (0..chars.len()).filter_map(move |k| {
        let (i, c) = chars[k];
        if let Some(sep) = SITE_SEPARATORS.iter().find(|s| t[i..].starts_with(*s)) {
            // `——` and `--` are separators of their own; their first dash is not a bare one.
            return Some((i, sep.len()));
        }
        let cjk_around = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|&(_, c)| is_cjk(c));
        let bare = BARE_DASHES.contains(&c)
            && !chars.get(k.wrapping_sub(1)).is_some_and(|&(_, p)| BARE_DASHES.contains(&p))
            && !chars.get(k + 1).is_some_and(|&(_, n)| BARE_DASHES.contains(&n))
            && cjk_around(k.checked_sub(1))
            && cjk_around(Some(k + 1));
        bare.then(|| (i, c.len_utf8()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_are_cut_from_page_titles() {
        assert_eq!(strip_site("以战时内阁审查重启停火谈判提案_新闻频道_中国青年网"), "以战时内阁审查重启停火谈判提案");
        assert_eq!(site_of("以战时内阁审查重启停火谈判提案_新闻频道_中国青年网").as_deref(), Some("中国青年网"));
        assert_eq!(site_of("市计生协开展春节走访慰问活动—中国计生协网").as_deref(), Some("中国计生协网"));
        assert_eq!(site_of("首页_中国计划生育协会"), None, "no headline before it");
        assert_eq!(strip_site("关于印发工作要点的通知 - 江西省卫生健康委员会"), "关于印发工作要点的通知");
        assert_eq!(strip_site("首页_中国计划生育协会"), "首页_中国计划生育协会");
        assert_eq!(strip_site("关于印发2024年工作要点的通知-江西省卫生健康委员会"), "关于印发2024年工作要点的通知");
        assert_eq!(strip_site("市计生协开展春节走访慰问活动—中国计生协网"), "市计生协开展春节走访慰问活动");
        assert_eq!(strip_site("County clinics open after-hours care"), "County clinics open after-hours care");
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
