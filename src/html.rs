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
    let parsed = Html::parse_document(html);
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
    let in_main = |l: &DomLine| doc.elems.get(l.elem).is_some_and(|e| e.in_main);
    let first = doc.lines.iter().position(in_main);
    let zone = |i: usize, l: &DomLine| {
        if in_main(l) {
            Zone::Body
        } else if first.is_none_or(|f| i < f) {
            Zone::Before
        } else {
            Zone::After
        }
    };
    let mut out: Vec<RawLine> = Vec::with_capacity(doc.lines.len());
    let mut lines = doc.lines.iter().enumerate().peekable();
    while let Some((i, l)) = lines.next() {
        let z = zone(i, l);
        let mut row = vec![l];
        while let Some(&(j, next)) = lines.peek() {
            if l.row.is_none() || next.row != l.row || zone(j, next) != z {
                break;
            }
            row.push(next);
            lines.next();
        }
        out.extend(row_lines(&row, z));
    }
    (out, hints)
}

/// A table row of short cells is one data row (`a | b | c`); any other
/// group of lines stays as it is, table cells turning into paragraphs.
fn row_lines(row: &[&DomLine], zone: Zone) -> Vec<RawLine> {
    let data_row = row.len() >= 2 && row.iter().all(|l| l.kind == BlockKind::Table && units(&l.text) <= MAX_CELL_UNITS);
    if data_row {
        let text = row.iter().map(|l| l.text.trim()).collect::<Vec<_>>().join(" | ");
        let links: usize = row.iter().map(|l| l.link_units).sum();
        let chrome = row.iter().any(|l| l.chrome) || links * 2 > units(&text);
        return vec![RawLine { text, kind: BlockKind::Table, zone, title_candidate: false, link_heavy: chrome }];
    }
    row.iter()
        .map(|l| {
            let kind = if l.kind == BlockKind::Table { BlockKind::Paragraph } else { l.kind };
            let linky = l.link_units * 2 > units(&l.text) && !l.title_candidate;
            RawLine { text: l.text.clone(), kind, zone, title_candidate: l.title_candidate, link_heavy: l.chrome || linky }
        })
        .collect()
}
