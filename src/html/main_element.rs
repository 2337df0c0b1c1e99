//! Which element holds the article: text and punctuation scored against
//! links and chrome, summed from children to parents.

use super::doc::{Doc, DomLine, Elem, Hint};
use crate::model::BlockKind;
use crate::text::Measure;
use crate::tuning::{
    CHROME_PENALTY, CLIMB_MAX_LINES, CLIMB_MAX_STEPS, CONTENT_BONUS, LINK_HEAVY_SHARE, LINKED_ITEM_OWN_UNITS,
    LOOSE_TEXT_UNITS, LOOSE_TEXT_WORTH, PUNCT_BONUS, PUNCT_CAP_DIVISOR, REGION_HEADING_LINES, REGION_ITEM_SHARE,
    REGION_LABEL_UNITS, REGION_MAX_LEVELS, REGION_MIN_ITEMS, SIBLING_CHROME_RATIO, SIBLING_FLOOR_SHARE,
    SIBLING_FLOOR_UNITS, SUMMARY_LABEL_CHARS, TABLE_CELL_WORTH, WRAPPER_SHARE,
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
    let mut values = values(&doc.lines);
    let wrapper = wrappers(doc, &values, title_elem);
    let mut best = score_with_chrome(doc, &values, &wrapper, true);
    if best.is_none() {
        // Every line sat under a chrome hint: the hints are wrong for this page.
        best = score_with_chrome(doc, &values, &wrapper, false);
    }
    // A picture's caption is not the article, however long: when it wins
    // alone (a story cut short under a long caption), the prose is chosen
    // without the captions.
    let end = subtree_ends(doc);
    if best.is_some_and(|b| only_captions(doc, &end, b)) {
        for (v, l) in values.iter_mut().zip(&doc.lines) {
            if l.kind == BlockKind::Caption {
                *v = (0.0, 0.0);
            }
        }
        best = score_with_chrome(doc, &values, &wrapper, true).or(best);
    }
    let best = best.unwrap_or(0);
    let chosen = with_siblings(doc, &end, best, title_elem);
    for i in 0..doc.elems.len() {
        let parent_in_main = |p: usize| doc.elems.get(p).is_some_and(|p| p.in_main);
        let inside = chosen.contains(&i) || doc.elems.get(i).and_then(|e| e.parent()).is_some_and(parent_in_main);
        if let Some(e) = doc.elems.get_mut(i) {
            e.in_main = inside;
        }
    }
    best
}

/// Whether every visible line inside `elem` is a caption.
fn only_captions(doc: &Doc, end: &[usize], elem: usize) -> bool {
    let mut lines =
        doc.lines.iter().filter(|l| holds(end, elem, l.elem)).filter(|l| !l.text.trim().is_empty()).peekable();
    lines.peek().is_some() && lines.all(|l| l.kind == BlockKind::Caption)
}

/// The best element and those of its siblings that read like more of the
/// same article (pages split a story around ads and pull quotes).
fn with_siblings(doc: &Doc, end: &[usize], best: usize, title_elem: Option<usize>) -> Vec<usize> {
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
    let (mut top, mut parent) = climb(doc, end, best, parent);
    // When the region takes all its parent holds, the parent is the
    // article's element and its own siblings are looked at in turn (a
    // recipe's steps in one box, its ingredients in the box beside it).
    for _ in 0..REGION_MAX_LEVELS {
        let (taken, whole) = region(doc, end, top, parent, title_elem);
        for i in taken {
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        let up = doc.elems.get(parent).filter(|e| !e.chrome).and_then(Elem::parent);
        match up {
            Some(up) if whole => (top, parent) = (parent, up),
            _ => break,
        }
    }
    chosen
}

/// The main element's ancestor that adds only a few short lines without a
/// link (a recipe's time and difficulty beside its steps, a photo's credit),
/// at most [`CLIMB_MAX_STEPS`] levels up, and that ancestor's parent: the
/// level at which [`region`] looks for more of the article. The lines the
/// ancestor adds stay out.
fn climb(doc: &Doc, end: &[usize], best: usize, parent: usize) -> (usize, usize) {
    let inside = |e: usize, l: &DomLine| holds(end, e, l.elem);
    let (mut at, mut up) = (best, parent);
    for _ in 0..CLIMB_MAX_STEPS {
        let Some(next) = doc.elems.get(up).and_then(Elem::parent) else { break };
        let mut extra = doc.lines.iter().filter(|l| inside(up, l) && !inside(at, l));
        let mut n = 0;
        let clean = extra.all(|l| {
            n += 1;
            l.link_units == 0 && !l.chrome && !l.title_candidate && l.kind != BlockKind::Heading
        });
        if !clean || n > CLIMB_MAX_LINES || doc.elems.get(up).is_none_or(|e| e.chrome) {
            break;
        }
        (at, up) = (up, next);
    }
    (at, up)
}

/// One past the last descendant of each element: elements are listed
/// parents first, so an element's subtree is a run of indices.
fn subtree_ends(doc: &Doc) -> Vec<usize> {
    let mut end: Vec<usize> = (1..=doc.elems.len()).collect();
    for i in (1..doc.elems.len()).rev() {
        let Some(p) = doc.elems.get(i).and_then(Elem::parent) else { continue };
        let e = end.get(i).copied().unwrap_or(i + 1);
        if let Some(pe) = end.get_mut(p) {
            *pe = (*pe).max(e);
        }
    }
    end
}

/// Whether element `e` is element `i` or holds it, by [`subtree_ends`].
fn holds(end: &[usize], e: usize, i: usize) -> bool {
    e <= i && end.get(e).is_some_and(|&x| i < x)
}

/// What a sibling of the main element holds, for [`region`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// No visible line: passed over, left out.
    Nothing,
    /// Headings alone: they belong to what they head.
    Headings,
    /// Labels alone (a tab's name, a share bar's): passed over, left out.
    Labels,
    /// Items and rows without a link (ingredients, specifications, steps,
    /// facts of a notice).
    Items,
    /// Running text.
    Prose,
    /// Anything else (chrome, links, the headline) ends the region.
    Other,
}

/// The siblings right before and after the main element that hold more of
/// the article, up to the first that does not: a recipe's description and
/// ingredients beside its steps, a product's specifications beside its
/// description, each with the heading that announces it. Items scored as
/// chrome (short lines without punctuation) are content here when none is
/// a link: menus, tags and related boxes are links, an ingredient is not.
///
/// Says too whether that is all the parent holds: every sibling with a
/// visible line taken.
fn region(doc: &Doc, end: &[usize], best: usize, parent: usize, title_elem: Option<usize>) -> (Vec<usize>, bool) {
    let siblings: Vec<usize> =
        (parent + 1..doc.elems.len()).filter(|&i| doc.elems.get(i).and_then(Elem::parent) == Some(parent)).collect();
    let Some(at) = siblings.iter().position(|&i| i == best) else { return (Vec::new(), false) };
    let mut parts = parts(doc, parent, &siblings);
    // The headline's element is where the article's head is, not more of its body.
    let holds_title = |s: usize| title_elem.is_some_and(|t| holds(end, s, t));
    for (p, &s) in parts.iter_mut().zip(&siblings) {
        if holds_title(s) {
            *p = Part::Other;
        }
    }
    let mut chosen = Vec::new();
    // Before: a heading is followed by what was just taken (or the main
    // element); prose is a lead or a description.
    for k in (0..at).rev() {
        match parts.get(k) {
            Some(Part::Nothing | Part::Labels) => {}
            Some(Part::Headings | Part::Items | Part::Prose) => chosen.extend(siblings.get(k)),
            _ => break,
        }
    }
    // After: a heading counts only once what it heads is taken; prose after
    // the story is an author's note or another story's teaser, and the
    // story's own continuation joins by its size ([`with_siblings`]).
    let mut pending = Vec::new();
    for k in at + 1..siblings.len() {
        match parts.get(k) {
            Some(Part::Nothing | Part::Labels) => {}
            Some(Part::Headings) => pending.extend(siblings.get(k)),
            Some(Part::Items) => {
                chosen.append(&mut pending);
                chosen.extend(siblings.get(k));
            }
            _ => break,
        }
    }
    let visible =
        parts.iter().enumerate().filter(|&(k, p)| k != at && !matches!(p, Part::Nothing | Part::Labels)).count();
    let whole = visible == chosen.len();
    (chosen, whole)
}

/// Each sibling's [`Part`], from the lines inside it.
fn parts(doc: &Doc, parent: usize, siblings: &[usize]) -> Vec<Part> {
    // The sibling each element sits in (parents come before their children).
    let mut top: Vec<Option<usize>> = vec![None; doc.elems.len()];
    for (k, &s) in siblings.iter().enumerate() {
        if let Some(t) = top.get_mut(s) {
            *t = Some(k);
        }
    }
    for i in parent + 1..doc.elems.len() {
        let inherited = doc.elems.get(i).and_then(Elem::parent).and_then(|p| top.get(p).copied().flatten());
        if let (Some(k), Some(t @ None)) = (inherited, top.get_mut(i)) {
            *t = Some(k);
        }
    }
    let mut tally = vec![Tally::default(); siblings.len()];
    for l in &doc.lines {
        if let Some(t) = top.get(l.elem).copied().flatten().and_then(|k| tally.get_mut(k)) {
            t.add(l);
        }
    }
    siblings.iter().zip(&tally).map(|(&s, t)| doc.elems.get(s).map_or(Part::Other, |e| t.part(e))).collect()
}

/// Counts of a sibling's lines by what they are.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    lines: usize,
    headings: usize,
    /// List items and table rows without a link.
    items: usize,
    /// Chrome.
    chrome: usize,
    /// Labels: a few words without punctuation or a link (a tab's
    /// `INGREDIENTS`, `HOW TO PREPARE`), which head what follows as a heading does.
    labels: usize,
    /// The first line opens with a short label (`核心提示：`, `Summary:`):
    /// a box of its own, not a lead.
    labelled: bool,
}

impl Tally {
    fn add(&mut self, l: &DomLine) {
        if self.lines == 0 {
            self.labelled = l.text.split_once(['：', ':']).is_some_and(|(label, _)| {
                let n = label.trim().chars().count();
                n > 0 && n <= SUMMARY_LABEL_CHARS
            });
        }
        self.lines += 1;
        self.headings += usize::from(l.kind == BlockKind::Heading);
        let item = matches!(l.kind, BlockKind::ListItem | BlockKind::Table);
        self.items += usize::from(item && l.link_units == 0);
        self.chrome += usize::from(l.chrome);
        self.labels += usize::from(is_label(l));
    }

    fn part(&self, e: &Elem) -> Part {
        let prose = e.good >= SIBLING_FLOOR_UNITS && e.bad * SIBLING_CHROME_RATIO < e.good;
        if self.lines == 0 {
            Part::Nothing
        } else if e.chrome || self.chrome > 0 {
            Part::Other
        } else if self.headings + self.labels == self.lines && self.lines <= REGION_HEADING_LINES {
            // A label beside a heading is the heading's (a tab's name over
            // the section's title); alone it may as well be a share bar's.
            if self.headings > 0 { Part::Headings } else { Part::Labels }
        } else if self.items >= REGION_MIN_ITEMS
            && self.items as f64 >= REGION_ITEM_SHARE * (self.lines - self.headings - self.labels) as f64
        {
            Part::Items
        } else if prose && !self.labelled {
            Part::Prose
        } else {
            Part::Other
        }
    }
}

/// A paragraph of a few words without punctuation or a link: a label that
/// heads what follows it (a tab's name over its panel).
fn is_label(l: &DomLine) -> bool {
    l.kind == BlockKind::Paragraph
        && l.link_units == 0
        && l.measure.punct == 0
        && l.measure.units > 0
        && l.measure.units <= REGION_LABEL_UNITS
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
    fn a_recipe_keeps_its_lead_and_ingredients_beside_its_steps() {
        let lead = "Ein saftiger Kuchen mit Kirschen, marmoriertem Teig und einer Creme, die alle begeistert.";
        let step = "Den Pudding kochen, abkühlen lassen und danach mit der weichen Butter cremig aufschlagen.";
        let tags: String = (0..30).map(|i| format!("<li><a href=/{i}>Backen {i}</a></li>")).collect();
        let html = format!(
            "<h1>Kuchen</h1><article><p>{lead}</p><h2>Zutaten</h2>\
             <ul><li>1 Pck. Puddingpulver</li><li>350 g Zucker</li><li>500 ml Milch</li></ul><div class=ad></div>\
             <h2>Zubereitung</h2><div class=prep><div>120 Minuten</div><dl><dd>{step}</dd><dd>{step}</dd><dd>{step}</dd></dl></div>\
             <h2>Tags</h2><ul>{tags}</ul>\
             <p>Die Autorin schreibt seit Jahren über das Backen, am liebsten über Kuchen mit Obst.</p></article>"
        );
        let want =
            [lead, "Zutaten", "1 Pck. Puddingpulver", "350 g Zucker", "500 ml Milch", "Zubereitung", step, step, step];
        assert_eq!(main_text(&html), want.join("|"), "the time stays out, and the tags, and prose after the steps");
    }

    #[test]
    fn a_label_beside_a_heading_heads_its_section_and_alone_is_passed_over() {
        let step = "Heat the oil in a pot and cook the onion for five minutes, until it is soft and golden.";
        let items = "<ul><li>250 g lentils</li><li>1 onion</li><li>1 lemon</li></ul>";
        // A tab's name with the section's title over the steps: the region
        // grows past it to the ingredients' panel.
        let tabs = format!(
            "<main><div class=tabs><div class=panel><div>INGREDIENTS</div>{items}</div>\
             <div class=panel><div class=head><div>HOW TO PREPARE</div><h2>Soup</h2></div>\
             <div class=steps><p>{step}</p><p>{step}</p><p>{step}</p></div></div></div></main>"
        );
        let want = ["INGREDIENTS", "250 g lentils", "1 onion", "1 lemon", "HOW TO PREPARE", "Soup", step, step, step];
        assert_eq!(main_text(&tabs), want.join("|"));
        // A label alone before the body (a share bar's) stays out, and the
        // items beyond it join all the same.
        let share =
            format!("<main><div>{items}</div><div>Share</div><div class=steps><p>{step}</p><p>{step}</p></div></main>");
        assert_eq!(main_text(&share), ["250 g lentils", "1 onion", "1 lemon", step, step].join("|"));
    }

    #[test]
    fn items_with_links_or_a_labelled_box_before_the_body_are_not_taken() {
        let related: String = (0..30).map(|i| format!("<li><a href=/{i}>相关新闻{i}</a></li>")).collect();
        // Long enough that the box is too small to join as a part of the story.
        let story = format!("<p>{PROSE}</p>").repeat(8);
        let html = format!(
            "<div><p>核心提示：各级计生协要深入贯彻落实会议精神，扎实推动各项任务落实。</p>\
             <div class=story>{story}</div><ul>{related}</ul></div>"
        );
        assert_eq!(main_text(&html), [PROSE; 8].join("|"));
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
