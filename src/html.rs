//! The HTML front end: a parsed page becomes zoned lines plus metadata hints for the cleaner.

use scraper::Html;

use crate::article::BlockKind;
use crate::clean::{Hints, RawLine, Zone};
use crate::dom::{self, DomLine};
use crate::meta;
use crate::score;
use crate::text::units;
use crate::title;

/// Cells of a data-table row longer than this are layout, not data.
const MAX_CELL_UNITS: usize = 40;

pub(crate) fn page_lines(html: &str, url: Option<&str>) -> (Vec<RawLine>, Hints) {
    parsed_lines(parse(html), url)
}

/// Parses a page as [`Html::parse_document`] does, with the node arena
/// sized up front from the count of `<`: nodes number about one to one and a
/// half per `<`, so the arena is allocated once instead of doubling, which at
/// its last doubling holds the old and the new arena together (on a 20 MB
/// page of short paragraphs that transient alone is three times the page).
pub(crate) fn parse(html: &str) -> Html {
    use html5ever::tendril::TendrilSink;
    let tags = memchr::memchr_iter(b'<', html.as_bytes()).count();
    let mut doc = Html::new_document();
    doc.tree = ego_tree::Tree::with_capacity(scraper::Node::Document, tags.saturating_add(tags / 2).saturating_add(16));
    html5ever::driver::parse_document(scraper::HtmlTreeSink::new(doc), Default::default()).one(html)
}

/// As [`page_lines`] for a page parsed already; the tree is dropped as soon
/// as it has been walked, so a big page's nodes and lines are not held together.
pub(crate) fn parsed_lines(parsed: Html, url: Option<&str>) -> (Vec<RawLine>, Hints) {
    let mut doc = dom::walk(&parsed);
    drop(parsed);
    let titles = meta::titles(&doc.head);
    let title_elem = title::best_line(doc.lines.iter().filter(|l| l.title_candidate).map(|l| (l.elem, l.text.as_str())), &titles);
    score::choose_main(&mut doc, title_elem);
    let hints = Hints {
        titles,
        date: meta::date(&doc.head),
        url: url.map(str::to_string),
        text_mode: false,
    };
    let in_main: Vec<bool> = doc.lines.iter().map(|l| doc.elems.get(l.elem).is_some_and(|e| e.in_main)).collect();
    let first = in_main.iter().position(|&m| m);
    let zone = |i: usize| match in_main.get(i) {
        Some(true) => Zone::Body,
        _ if first.is_none_or(|f| i < f) => Zone::Before,
        _ => Zone::After,
    };
    let mut out: Vec<RawLine> = Vec::with_capacity(doc.lines.len());
    let mut row: Vec<DomLine> = Vec::new();
    let mut row_zone = Zone::Before;
    // Lines are moved, not copied: a big page's text is held once.
    for (i, l) in doc.lines.into_iter().enumerate() {
        let z = zone(i);
        let same_row = row.last().is_some_and(|p| p.row.is_some() && p.row == l.row) && z == row_zone;
        if !same_row && !row.is_empty() {
            out.extend(row_lines(std::mem::take(&mut row), row_zone));
        }
        row_zone = z;
        row.push(l);
    }
    if !row.is_empty() {
        out.extend(row_lines(row, row_zone));
    }
    (out, hints)
}

/// A table row of short cells is one data row (`a | b | c`); any other
/// group of lines stays as it is, table cells turning into paragraphs.
fn row_lines(row: Vec<DomLine>, zone: Zone) -> Vec<RawLine> {
    let data_row = row.len() >= 2 && row.iter().all(|l| l.kind == BlockKind::Table && l.measure.units <= MAX_CELL_UNITS);
    if data_row {
        let text = row.iter().map(|l| l.text.trim()).collect::<Vec<_>>().join(" | ");
        let links: usize = row.iter().map(|l| l.link_units).sum();
        let chrome = row.iter().any(|l| l.chrome) || links * 2 > units(&text);
        return vec![RawLine { text, kind: BlockKind::Table, zone, title_candidate: false, link_heavy: chrome }];
    }
    row.into_iter()
        .map(|l| {
            let kind = if l.kind == BlockKind::Table { BlockKind::Paragraph } else { l.kind };
            let linky = l.link_units * 2 > l.measure.units && !l.title_candidate;
            RawLine { link_heavy: l.chrome || linky, text: l.text, kind, zone, title_candidate: l.title_candidate }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sized_parse_builds_the_same_tree_as_scraper() {
        for page in [
            "",
            "纯文本,没有标签。",
            "<table><tr><td>implied tbody<td>两格</table><p>unclosed <b>bold <i>nest</p>",
            "<!doctype html><html><head><title>t</title><!-- note --></head><body><br/><p>a<p>b</body>",
            "<<<>>> < p>not a tag</p><script>if (a < b) {}</script>",
        ] {
            let (ours, theirs) = (parse(page), Html::parse_document(page));
            assert_eq!(ours.html(), theirs.html(), "{page}");
            assert_eq!(ours.tree.nodes().count(), theirs.tree.nodes().count(), "{page}");
        }
    }
}
