//! Which element holds the article: text and punctuation scored against
//! links and chrome, summed from children to parents.

use super::doc::{Doc, DomLine, Elem, Hint};
use crate::model::BlockKind;
use crate::text::Measure;
use crate::tuning::{
    CHROME_PENALTY, CONTENT_BONUS, LINK_HEAVY_SHARE, LINKED_ITEM_OWN_UNITS, LOOSE_TEXT_UNITS, LOOSE_TEXT_WORTH,
    PUNCT_BONUS, PUNCT_CAP_DIVISOR, SIBLING_CHROME_RATIO, SIBLING_FLOOR_SHARE, SIBLING_FLOOR_UNITS, TABLE_CELL_WORTH,
    WRAPPER_SHARE,
};

/// A line's worth as article text (`good`) and as chrome (`bad`), in units.
/// Punctuation counts for a lot: Chinese prose is dense with ,。;: and menus have none.
pub(crate) fn line_value(m: Measure, link_units: usize, kind: BlockKind) -> (f64, f64) {
    let u = m.units as f64;
    let links = link_units as f64;
    let own_sentence = m.units.saturating_sub(link_units) >= LINKED_ITEM_OWN_UNITS && m.is_prose();
    if links > LINK_HEAVY_SHARE * u && !own_sentence {
        return (0.0, u.max(1.0));
    }
    let own = u - links;
    if kind == BlockKind::Table {
        // Data tables are short cells without punctuation, and still content.
        (TABLE_CELL_WORTH * own, 0.0)
    } else if m.is_prose() {
        let p = m.punct as f64;
        (own + PUNCT_BONUS * p.min(own / PUNCT_CAP_DIVISOR), 0.0)
    } else if own >= LOOSE_TEXT_UNITS {
        (own * LOOSE_TEXT_WORTH, 0.0)
    } else {
        (0.0, 1.0)
    }
}

/// Each line's [`line_value`]: a block's first line carries the block's, the others nothing.
fn values(lines: &[DomLine]) -> Vec<(f64, f64)> {
    lines.iter().map(|l| l.block.map_or((0.0, 0.0), |(m, links)| line_value(m, links, l.kind))).collect()
}

/// Picks the main element and marks it and everything inside it.
///
/// Scores add up from children to parents in backward sweeps (parents
/// precede children in the element list). A chrome hint is not believed
/// for an element that wraps the headline or nearly all of the page's
/// article-like text: a wrapper called `Page-ad-margins` or `one-sidebar`
/// around the whole page is not chrome. The best element maximises article
/// text minus chrome, ties going to the deeper element.
pub(crate) fn choose_main(doc: &mut Doc, title_elem: Option<usize>) -> usize {
    let values = values(&doc.lines);
    let wrapper = wrappers(doc, &values, title_elem);
    let mut best = score_with_chrome(doc, &values, &wrapper, true);
    if best.is_none() {
        // Every line sat under a chrome hint: the hints are wrong for this page.
        best = score_with_chrome(doc, &values, &wrapper, false);
    }
    let best = best.unwrap_or(0);
    let chosen = with_siblings(doc, best);
    for i in 0..doc.elems.len() {
        let parent_in_main = |p: usize| doc.elems.get(p).is_some_and(|p| p.in_main);
        let inside = chosen.contains(&i) || doc.elems.get(i).and_then(|e| e.parent()).is_some_and(parent_in_main);
        if let Some(e) = doc.elems.get_mut(i) {
            e.in_main = inside;
        }
    }
    best
}

/// The best element and those of its siblings that read like more of the
/// same article (pages split a story around ads and pull quotes).
fn with_siblings(doc: &Doc, best: usize) -> Vec<usize> {
    let Some(b) = doc.elems.get(best) else { return vec![best] };
    let Some(parent) = b.parent() else { return vec![best] };
    let floor = (SIBLING_FLOOR_SHARE * b.good).max(SIBLING_FLOOR_UNITS);
    let more_of_it = |e: &Elem| !e.chrome && e.good >= floor && e.bad * SIBLING_CHROME_RATIO < e.good;
    let mut chosen: Vec<usize> = doc
        .elems
        .iter()
        .enumerate()
        .filter(|(i, e)| *i != best && e.parent() == Some(parent) && more_of_it(e))
        .map(|(i, _)| i)
        .collect();
    chosen.push(best);
    chosen
}

/// Elements whose chrome hint is not believed: ancestors of the headline and
/// elements holding nearly all of the page's article-like text.
fn wrappers(doc: &mut Doc, values: &[(f64, f64)], title_elem: Option<usize>) -> Vec<bool> {
    let mut wrapper = vec![false; doc.elems.len()];
    let mut at = title_elem;
    while let Some(i) = at {
        if let Some(w) = wrapper.get_mut(i) {
            *w = true;
        }
        at = doc.elems.get(i).and_then(|e| e.parent());
    }
    reset(doc);
    for (l, value) in doc.lines.iter().zip(values) {
        if let Some(e) = doc.elems.get_mut(l.elem) {
            e.good += value.0;
        }
    }
    sum_up(doc);
    let total = doc.elems.first().map_or(0.0, |e| e.good);
    for (w, e) in wrapper.iter_mut().zip(&doc.elems) {
        *w |= e.good >= WRAPPER_SHARE * total;
    }
    wrapper
}

/// Scores every element and returns the best, if any holds article text.
fn score_with_chrome(doc: &mut Doc, values: &[(f64, f64)], wrapper: &[bool], believe_hints: bool) -> Option<usize> {
    for i in 0..doc.elems.len() {
        let parent = doc.elems.get(i).and_then(|e| e.parent()).and_then(|p| doc.elems.get(p));
        let parent_chrome = parent.is_some_and(|p| p.chrome);
        let hinted = believe_hints && !wrapper.get(i).copied().unwrap_or(false);
        if let Some(e) = doc.elems.get_mut(i) {
            e.chrome = parent_chrome || hinted && e.hint == Hint::Chrome;
        }
    }
    reset(doc);
    for (l, value) in doc.lines.iter_mut().zip(values) {
        if let Some(e) = doc.elems.get_mut(l.elem) {
            l.chrome = e.chrome;
            let (good, bad) = if e.chrome { (0.0, (l.measure.units as f64).max(1.0)) } else { *value };
            e.good += good;
            e.bad += bad;
        }
    }
    sum_up(doc);
    let mut best: Option<(f64, usize)> = None;
    for (i, e) in doc.elems.iter().enumerate() {
        let bonus = if e.hint == Hint::Content { CONTENT_BONUS * e.good } else { 0.0 };
        let s = e.good - CHROME_PENALTY * e.bad + bonus;
        if e.good > 0.0 && best.is_none_or(|b| s >= b.0) {
            best = Some((s, i));
        }
    }
    best.map(|b| b.1)
}

fn reset(doc: &mut Doc) {
    for e in &mut doc.elems {
        (e.good, e.bad) = (0.0, 0.0);
    }
}

/// Adds every element's scores into its parent's, children first.
fn sum_up(doc: &mut Doc) {
    for i in (1..doc.elems.len()).rev() {
        let Some((good, bad, Some(p))) = doc.elems.get(i).map(|e| (e.good, e.bad, e.parent())) else { continue };
        if let Some(p) = doc.elems.get_mut(p) {
            p.good += good;
            p.bad += bad;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::{parse, walk};

    const PROSE: &str = "会议指出,各级计生协要深入贯彻落实会议精神,扎实推动各项任务落实,更好服务群众。";

    /// The text of the lines in the chosen element, joined by `|`.
    fn main_text(html: &str) -> String {
        let mut doc = walk::walk(&parse::parse(html, None).tree, false, false, walk::line_budget(html.len()));
        choose_main(&mut doc, None);
        let in_main = |l: &DomLine| doc.elems.get(l.elem).is_some_and(|e| e.in_main);
        doc.lines.iter().filter(|l| in_main(l)).map(|l| l.text.as_str()).collect::<Vec<_>>().join("|")
    }

    #[test]
    fn prose_beats_a_longer_menu() {
        let menu: String = (0..40).map(|i| format!("<a href=/{i}>栏目{i}</a>")).collect();
        let html = format!("<div id=nav>{menu}</div><div id=story><p>{PROSE}</p><p>{PROSE}</p></div>");
        assert_eq!(main_text(&html), format!("{PROSE}|{PROSE}"));
    }

    #[test]
    fn siblings_that_continue_the_story_are_included() {
        let links: String = (0..20).map(|i| format!("<a href=/{i}>链接{i}</a> ")).collect();
        let html = format!(
            "<div><div class=part><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div>\
             <div class=ad>广告</div><div class=part><p>{PROSE}</p></div><div class=part>{links}</div></div>"
        );
        assert_eq!(main_text(&html), [PROSE; 4].join("|"));
    }

    #[test]
    fn a_chrome_hint_on_the_wrapper_of_nearly_all_text_is_not_believed() {
        let html = format!("<div class=sidebar><div><p>{PROSE}</p><p>{PROSE}</p></div></div><div><p>页脚</p></div>");
        assert_eq!(main_text(&html), format!("{PROSE}|{PROSE}"));
    }

    #[test]
    fn chrome_hints_are_dropped_when_every_line_sits_under_one() {
        let html = format!("<footer><p>{PROSE}</p></footer>");
        assert_eq!(main_text(&html), PROSE);
    }

    #[test]
    fn link_heavy_lines_are_worth_nothing_as_text() {
        let m = crate::text::measure("全部是链接的一行文字");
        assert_eq!(line_value(m, m.units, BlockKind::Paragraph), (0.0, m.units as f64));
        let prose = crate::text::measure(PROSE);
        assert!(line_value(prose, 0, BlockKind::Paragraph).0 > prose.units as f64, "punctuation adds to prose");
    }
}
