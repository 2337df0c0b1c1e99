//! The body: kept lines of the main region, minus the headline's lines,
//! cut at an end-of-article marker, with broken paragraphs rejoined.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::line::{Fate, Item, Line, Media, Zone};
use super::paywall::{self, Gate, Stub};
use super::repair;
use super::rules::{BYLINE, DUPLICATE_LINE, LINK_LIST, OUTSIDE_ARTICLE, PAYWALL_GATE, RuleSet, SUMMARY_REPEAT};
use super::title::{Head, norm};
use crate::model::{BlockKind, Removal};
use crate::text::{Measure, is_headline_like, measure, units};
use crate::tuning::{
    GATE_BOX_LINES, GATE_MAX_PROSE_AFTER, GATE_WINDOW, GUESSED_HEADING_UNITS, REPEATED_SHORT_UNITS,
    SUMMARY_LABEL_CHARS, SUMMARY_MIN_UNITS, SUMMARY_WINDOW, TEASER_SHARE,
};

/// How the body is read off the lines.
pub(crate) struct Reader<'a> {
    pub head: &'a Head,
    pub rules: &'a RuleSet,
    /// Block kinds come from tags; otherwise headings are guessed and long lines may wrap.
    pub blocks_marked: bool,
}

impl Reader<'_> {
    /// The body's items; every line left out goes to `removed`, named by its rule.
    ///
    /// A marker (相关新闻, Related) with more article text after it than
    /// before it is a box inside the article: only the marker and the short
    /// lines after it go, up to the next paragraph. Otherwise it ends the
    /// article.
    ///
    /// A gate (a call to log in or pay, [`paywall::gate`]) just after the
    /// body's last item, with next to no article text after it, ends the
    /// article too, and goes to `stubs`: the article was cut there.
    pub(crate) fn items(&self, lines: Vec<Line>, removed: &mut Vec<Removal>, stubs: &mut Vec<Stub>) -> Vec<Item> {
        let prose_units: Vec<usize> = lines.iter().map(prose).collect();
        let mut prose_after: usize = prose_units.iter().sum();
        let mut prose_before = 0usize;
        let mut items: Vec<Item> = Vec::new();
        let mut seen = HashMap::new();
        let mut end: Option<String> = None;
        let mut in_box: Option<String> = None;
        // A headline inside the article's element opens the article: what the
        // element holds above it is a gallery's captions, a column's name, a kicker's place.
        let opens_at = self.head.line.filter(|&h| lines.get(h).is_some_and(|l| l.zone == Zone::Body));
        let paywall_box = self.paywall_box(&lines);
        let teasers_after = teaser_prose_after(&lines, &prose_units);
        for (i, (l, p)) in lines.into_iter().zip(prose_units).enumerate() {
            prose_after -= p;
            // A box's opening sentence and its closing gate are stubs, the perks
            // between only go; a gate line on its own is a stub whole.
            let stub = match paywall_box.as_ref().filter(|(from, to, _)| (*from..=*to).contains(&i)) {
                Some((from, _, opening)) if i == *from => Some(Some(opening.as_str())),
                Some((_, to, _)) => Some((i == *to).then_some(l.text.as_str())),
                None => self
                    .is_gate(&l, i, items.last().map(|it| it.pos), prose_after, end.as_deref())
                    .then_some(Some(l.text.as_str())),
            };
            if let Some(stub) = stub {
                stubs.extend(stub.map(|text| Stub::gate(i, text)));
                removed.push(Removal::new(PAYWALL_GATE, l.text));
                end.get_or_insert_with(|| PAYWALL_GATE.to_string());
                continue;
            }
            let above_headline = opens_at.is_some_and(|h| i < h) && !self.head.is_head_line(i, &l.text);
            if l.zone != Zone::Body || above_headline {
                if !(l.zone == Zone::Before && self.head.line == Some(i)) {
                    // The rule that judged the line names its removal; failing one, its place does.
                    let rule = match l.fate {
                        Fate::Drop(rule) | Fate::Tail(rule) | Fate::Box(rule) | Fate::Field(_, _, rule) => rule,
                        Fate::Byline(_) => BYLINE.to_string(),
                        Fate::Keep => OUTSIDE_ARTICLE.to_string(),
                    };
                    removed.push(Removal::new(rule, l.text));
                }
                continue;
            }
            if let Some(rule) = end.as_ref().or(in_box.as_ref().filter(|_| p == 0)) {
                removed.push(Removal::new(rule.clone(), l.text));
                continue;
            }
            in_box = None;
            prose_before += p;
            match l.fate {
                Fate::Keep if self.head.is_head_line(i, &l.text) => {}
                // Galleries and templates repeat credits ("Photo: AP", "Close") and captions.
                Fate::Keep if self.rules.applies(DUPLICATE_LINE) && repeated(&mut seen, &l.text) => {
                    removed.push(Removal::new(DUPLICATE_LINE, l.text))
                }
                Fate::Keep => self.push(&mut items, i, l.text, l.kind, l.media),
                Fate::Tail(rule) if !items.is_empty() => {
                    removed.push(Removal::new(rule.clone(), l.text));
                    // More text after a marker is the article going on, unless it is other posts' teasers.
                    let teasers = teasers_after[i] as f64 >= TEASER_SHARE * prose_after as f64;
                    if prose_after > prose_before && !teasers {
                        in_box = Some(rule);
                    } else {
                        end = Some(rule);
                    }
                }
                Fate::Box(rule) => {
                    removed.push(Removal::new(rule.clone(), l.text));
                    in_box = Some(rule);
                }
                Fate::Drop(rule) | Fate::Tail(rule) | Fate::Field(_, _, rule) => {
                    removed.push(Removal::new(rule, l.text))
                }
                Fate::Byline(_) if self.rules.applies(BYLINE) => removed.push(Removal::new(BYLINE, l.text)),
                Fate::Byline(_) => self.push(&mut items, i, l.text, l.kind, l.media),
            }
        }
        self.drop_summary(&mut items, removed);
        items
    }

    /// A summary box at the body's top (a CMS's 摘要, the page's description
    /// set above the text) repeats the opening below it, often after the
    /// headline and cut with `……`: kept, the opening would come twice.
    fn drop_summary(&self, items: &mut Vec<Item>, removed: &mut Vec<Removal>) {
        if !self.rules.applies(SUMMARY_REPEAT) {
            return;
        }
        let title = self.head.title.as_deref().map(norm).unwrap_or_default();
        let Some(i) = (0..items.len().min(SUMMARY_WINDOW)).find(|&i| repeated_below(items, i, &title)) else { return };
        let item = items.remove(i);
        removed.push(Removal::new(SUMMARY_REPEAT, item.text));
    }

    /// A paywall box at the body's end: a line that opens with a gate
    /// sentence ([`paywall::opening_gate`]), the perks it lists, and a
    /// closing gate (`…already a subscriber, you can log in…`) just after.
    /// Only the body's last [`GATE_BOX_LINES`] lines are read: the box is
    /// where the article stops, and the patterns stay off the rest.
    fn paywall_box(&self, lines: &[Line]) -> Option<(usize, usize, String)> {
        if !self.rules.applies(PAYWALL_GATE) {
            return None;
        }
        let last = lines.iter().rposition(|l| l.zone == Zone::Body)?;
        let from = last.saturating_sub(GATE_BOX_LINES);
        let (start, opening) = (from..=last).find_map(|i| {
            let l = &lines[i];
            let body = l.zone == Zone::Body && matches!(l.fate, Fate::Keep);
            body.then(|| paywall::opening_gate(&l.text)).flatten().map(|s| (i, s.to_string()))
        })?;
        let until = (last + GATE_WINDOW).min(lines.len().saturating_sub(1));
        let close = (start + 1..=until).rev().find(|&j| paywall::gate(&lines[j].text) != Gate::No)?;
        // A promotion inside the article, with the story going on after it, is no box at its end.
        let prose_after: usize = lines[close + 1..].iter().map(prose).sum();
        (prose_after <= GATE_MAX_PROSE_AFTER).then_some((start, close, opening))
    }

    /// Whether line `i` is a gate where the body stops: within
    /// [`GATE_WINDOW`] lines of the last item, before at most
    /// [`GATE_MAX_PROSE_AFTER`] units of article. Two words of access
    /// (开通会员 立即登录) are a gate inside the article's element, or after one.
    fn is_gate(&self, l: &Line, i: usize, last_item: Option<usize>, prose_after: usize, end: Option<&str>) -> bool {
        let near_end = last_item.is_some_and(|p| i <= p + GATE_WINDOW) && prose_after <= GATE_MAX_PROSE_AFTER;
        if !near_end || !self.rules.applies(PAYWALL_GATE) || self.head.is_head_line(i, &l.text) {
            return false;
        }
        match paywall::gate(&l.text) {
            Gate::Strong => true,
            Gate::Weak => l.zone == Zone::Body || end == Some(PAYWALL_GATE),
            Gate::No => false,
        }
    }

    /// Adds a kept line: joined to the paragraph it continues, or as an item of its own.
    fn push(&self, items: &mut Vec<Item>, pos: usize, mut text: String, kind: BlockKind, media: Vec<Media>) {
        let guess = !self.blocks_marked;
        if items.is_empty() {
            text = self.head.strip_title_prefix(&text);
        }
        if let Some(prev) = items.last_mut() {
            if prev.kind == BlockKind::Table && kind == BlockKind::Table {
                prev.text.push('\n');
                prev.text.push_str(&text);
                prev.media.extend(media);
                return;
            }
            // A guessed heading may be the start of a paragraph broken off.
            let prev_open = prev.kind == BlockKind::Paragraph || guess && prev.kind == BlockKind::Heading;
            let joinable = prev_open && matches!(kind, BlockKind::Paragraph | BlockKind::Heading);
            if joinable && repair::continues(&prev.text, &text, guess) {
                prev.text.push_str(&text);
                prev.media.extend(media);
                prev.kind =
                    if guess && looks_like_heading(&prev.text) { BlockKind::Heading } else { BlockKind::Paragraph };
                return;
            }
        }
        let numbered = repair::ENUMERATION.is_match(&text);
        let heading = kind == BlockKind::Paragraph && (guess || numbered) && looks_like_heading(&text);
        let kind = if heading { BlockKind::Heading } else { kind };
        items.push(Item { pos, kind, text, media });
    }
}

/// The units of running text a body line holds (0 for anything else).
fn prose(l: &Line) -> usize {
    let m = if l.zone == Zone::Body && matches!(l.fate, Fate::Keep) { measure(&l.text) } else { Measure::default() };
    if m.is_prose() { m.units } else { 0 }
}

/// Whether item `i`, without its label (`摘要：`) and the headline it may
/// start with, opens one of the items just below it.
fn repeated_below(items: &[Item], i: usize, title: &str) -> bool {
    if items[i].kind == BlockKind::Heading {
        return false;
    }
    let text = &items[i].text;
    let unlabelled = match text.split_once(['：', ':']) {
        Some((label, rest)) if label.chars().count() <= SUMMARY_LABEL_CHARS => rest,
        _ => text.as_str(),
    };
    let whole = norm(unlabelled);
    let after_title = whole.strip_prefix(title).filter(|_| !title.is_empty());
    let own = after_title.unwrap_or(&whole);
    let title_units = if after_title.is_some() { units(title) } else { 0 };
    if units(unlabelled).saturating_sub(title_units) < SUMMARY_MIN_UNITS {
        return false;
    }
    // The opening it repeats goes on past it: an item repeated whole is a
    // caption printed twice, not a summary.
    let mut below = items.iter().skip(i + 1).take(SUMMARY_WINDOW).filter(|b| b.kind == BlockKind::Paragraph);
    below.any(|below| {
        let below = norm(&below.text);
        below.len() > own.len() && below.starts_with(own)
    })
}

/// A short line seen before, or any line seen twice before: two photos may
/// share a caption, a carousel prints it once a slide. Lines are keyed by a
/// hash so the body's text is not held twice.
/// For each line, the prose below it that stands in teasers: a body
/// paragraph whose line just above was dropped as a list of links (another
/// post's headline above its excerpt).
fn teaser_prose_after(lines: &[Line], prose: &[usize]) -> Vec<usize> {
    let mut after = vec![0; lines.len()];
    let mut sum = 0;
    for i in (0..lines.len()).rev() {
        after[i] = sum;
        let below_link = i > 0 && matches!(&lines[i - 1].fate, Fate::Drop(rule) if rule == LINK_LIST);
        if below_link && lines[i].zone == Zone::Body && matches!(lines[i].fate, Fate::Keep) {
            sum += prose[i];
        }
    }
    after
}

fn repeated(seen: &mut HashMap<u64, usize>, text: &str) -> bool {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    let n = seen.entry(h.finish()).or_insert(0);
    *n += 1;
    *n > 2 || *n > 1 && units(text) <= REPEATED_SHORT_UNITS
}

/// A short unpunctuated line between paragraphs, read as a heading.
fn looks_like_heading(text: &str) -> bool {
    is_headline_like(text) && units(text) <= GUESSED_HEADING_UNITS
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "会议指出,各级计生协要深入贯彻落实会议精神,扎实推动各项任务落实。";
    const PROSE2: &str = "会议要求,要加强基层组织建设,创新服务方式,推动协会工作提质增效。";
    const PROSE3: &str = "会议强调,要聚焦生育支持和家庭健康服务,更好地服务广大群众。";

    fn line(text: &str, fate: Fate) -> Line {
        Line::body(text, fate)
    }

    fn read(lines: Vec<Line>) -> (Vec<String>, Vec<(String, String)>) {
        let rules = RuleSet::new(Vec::new(), true, &[]).unwrap();
        let head = Head::default();
        let reader = Reader { head: &head, rules: &rules, blocks_marked: true };
        let mut removed = Vec::new();
        let items = reader.items(lines, &mut removed, &mut Vec::new());
        (items.into_iter().map(|i| i.text).collect(), removed.into_iter().map(|r| (r.rule, r.text)).collect())
    }

    #[test]
    fn a_marker_with_more_article_after_it_is_a_box_not_the_end() {
        let (kept, removed) = read(vec![
            line(PROSE, Fate::Keep),
            line("相关新闻", Fate::Tail("related".into())),
            line("另一篇文章的标题", Fate::Keep),
            line(PROSE2, Fate::Keep),
            line(PROSE3, Fate::Keep),
        ]);
        assert_eq!(kept, [PROSE, PROSE2, PROSE3]);
        assert_eq!(removed, [("related".into(), "相关新闻".into()), ("related".into(), "另一篇文章的标题".into())]);
    }

    #[test]
    fn a_marker_with_less_article_after_it_ends_the_article() {
        let (kept, removed) = read(vec![
            line(PROSE, Fate::Keep),
            line(PROSE2, Fate::Keep),
            line("相关新闻", Fate::Tail("related".into())),
            line(PROSE3, Fate::Keep),
            line("另一篇文章的标题", Fate::Keep),
        ]);
        assert_eq!(kept, [PROSE, PROSE2]);
        assert_eq!(removed.len(), 3);
        assert!(removed.iter().all(|(rule, _)| rule == "related"));
    }

    #[test]
    fn a_box_pointing_elsewhere_ends_at_the_next_paragraph_with_less_article_after_it() {
        // Where a `tail` marker would end the article, a `box` takes only itself and the teaser.
        let (kept, removed) = read(vec![
            line(PROSE, Fate::Keep),
            line(PROSE2, Fate::Keep),
            line("Leggi anche", Fate::Box("more-on".into())),
            line("另一篇文章的标题", Fate::Keep),
            line(PROSE3, Fate::Keep),
        ]);
        assert_eq!(kept, [PROSE, PROSE2, PROSE3]);
        assert_eq!(removed, [("more-on".into(), "Leggi anche".into()), ("more-on".into(), "另一篇文章的标题".into())]);
    }

    #[test]
    fn a_marker_followed_by_teasers_ends_the_article_however_much_follows() {
        let link = |t: &str| line(t, Fate::Drop(LINK_LIST.into()));
        let (kept, removed) = read(vec![
            line("一．会议时间", Fate::Keep),
            line("3月28日上午9时", Fate::Keep),
            line("相关文章", Fate::Tail("related".into())),
            link("市计生协举办培训班"),
            line(PROSE, Fate::Keep),
            link("市计生协召开理事会"),
            line(PROSE2, Fate::Keep),
            link("市计生协开展调研"),
            line(PROSE3, Fate::Keep),
        ]);
        assert_eq!(kept, ["一．会议时间", "3月28日上午9时"]);
        assert!(removed.iter().any(|(rule, text)| rule == "related" && text == PROSE), "{removed:?}");
    }

    #[test]
    fn a_marker_before_any_article_text_only_removes_itself() {
        let (kept, removed) = read(vec![line("相关新闻", Fate::Tail("related".into())), line(PROSE, Fate::Keep)]);
        assert_eq!(kept, [PROSE]);
        assert_eq!(removed, [("related".into(), "相关新闻".into())]);
    }

    #[test]
    fn short_lines_repeat_once_long_lines_twice() {
        let mut seen = HashMap::new();
        assert!(!repeated(&mut seen, "Photo: AP"));
        assert!(repeated(&mut seen, "Photo: AP"));
        assert!(!repeated(&mut seen, PROSE));
        assert!(!repeated(&mut seen, PROSE));
        assert!(repeated(&mut seen, PROSE));
    }

    #[test]
    fn switching_duplicate_line_off_keeps_repeats() {
        let rules = RuleSet::new(Vec::new(), true, &[DUPLICATE_LINE.into()]).unwrap();
        let head = Head::default();
        let reader = Reader { head: &head, rules: &rules, blocks_marked: true };
        let lines =
            vec![line("图片来源:新华社", Fate::Keep), line(PROSE, Fate::Keep), line("图片来源:新华社", Fate::Keep)];
        assert_eq!(reader.items(lines, &mut Vec::new(), &mut Vec::new()).len(), 3);
    }
}
