//! The walk's lines become the pipeline's lines: zoned by the main element,
//! the cells of a data-table row joined into one line.

use super::doc::DomLine;
use crate::clean::line::{RawLine, Zone};
use crate::model::BlockKind;
use crate::text::units;
use crate::tuning::{
    FORGIVEN_ROW_CELLS, FORGIVEN_ROW_PLAIN, FORGIVEN_ROW_WINDOW, LINKED_ITEM_OWN_UNITS, MAX_CELL_UNITS,
};

/// Between the cells of a data row joined into one line.
const CELL_SEPARATOR: &str = " | ";

/// The lines in page order, each with its zone; `in_main[i]` says whether
/// line `i` sits in the main element. Lines are moved, not copied: a big
/// page's text is held once.
pub(crate) fn zoned(lines: Vec<DomLine>, in_main: &[bool]) -> Vec<RawLine> {
    let first = in_main.iter().position(|&m| m);
    let zone = |i: usize| match in_main.get(i) {
        Some(true) => Zone::Body,
        _ if first.is_none_or(|f| i < f) => Zone::Before,
        _ => Zone::After,
    };
    let mut out: Vec<RawLine> = Vec::with_capacity(lines.len());
    let mut row: Vec<DomLine> = Vec::new();
    let mut row_zone = Zone::Before;
    for (i, l) in lines.into_iter().enumerate() {
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
    forgive_linked_rows(&mut out);
    out
}

/// A data row counted as links for its share of link text is data after all
/// among rows of its table that have no such links: an ingredient whose
/// product name is a link, among ingredients that are not. A menu or a list
/// of other articles set in a table is links row after row, and a row of
/// many cells is a bar of links, not a record.
fn forgive_linked_rows(lines: &mut [RawLine]) {
    // Only data rows leave here as tables (any other cell is a paragraph).
    let data = |l: &RawLine| l.kind == BlockKind::Table;
    let cells = |l: &RawLine| l.text.matches(CELL_SEPARATOR).count() + 1;
    let plain: Vec<bool> = lines.iter().map(|l| data(l) && !l.link_heavy).collect();
    for i in 0..lines.len() {
        let near = i.saturating_sub(FORGIVEN_ROW_WINDOW)..(i + FORGIVEN_ROW_WINDOW + 1).min(plain.len());
        let plain_near = plain.get(near).map_or(0, |p| p.iter().filter(|&&p| p).count());
        if let Some(l) = lines.get_mut(i)
            && data(l)
            && l.link_heavy
            && cells(l) <= FORGIVEN_ROW_CELLS
            && plain_near >= FORGIVEN_ROW_PLAIN
        {
            l.link_heavy = false;
        }
    }
}

/// A table row of short cells is one data row (`a | b | c`); any other
/// group of lines stays as it is, table cells turning into paragraphs. A
/// row holding a headline is layout, not data: old CMSs set the headline
/// in a cell between the tools and the source.
fn row_lines(row: Vec<DomLine>, zone: Zone) -> Vec<RawLine> {
    let data_row = row.len() >= 2
        && row.iter().all(|l| l.kind == BlockKind::Table && l.measure.units <= MAX_CELL_UNITS && !l.title_candidate);
    if data_row {
        let text = row.iter().map(|l| l.text.trim()).collect::<Vec<_>>().join(CELL_SEPARATOR);
        let links: usize = row.iter().map(|l| l.link_units).sum();
        let chrome = row.iter().any(|l| l.chrome) || links * 2 > units(&text);
        let (mut stamps, mut media) = (Vec::new(), Vec::new());
        for l in row {
            stamps.extend(l.stamps);
            media.extend(l.media);
        }
        return vec![RawLine {
            text,
            kind: BlockKind::Table,
            zone,
            title_candidate: false,
            link_heavy: chrome,
            stamps,
            media,
        }];
    }
    row.into_iter()
        .map(|l| {
            let kind = if l.kind == BlockKind::Table { BlockKind::Paragraph } else { l.kind };
            // Mostly link text, unless what is not a link is a sentence of its
            // own (a list of news items, each a linked lead and its story).
            let own = l.measure.units.saturating_sub(l.link_units);
            let linky = l.link_units * 2 > l.measure.units && own < LINKED_ITEM_OWN_UNITS && !l.title_candidate;
            RawLine {
                link_heavy: l.chrome || linky,
                text: l.text,
                kind,
                zone,
                title_candidate: l.title_candidate,
                stamps: l.stamps,
                media: l.media,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: &str, link_heavy: bool) -> RawLine {
        RawLine { kind: BlockKind::Table, link_heavy, ..RawLine::text(text) }
    }

    fn heavy(lines: Vec<RawLine>) -> Vec<bool> {
        let mut lines = lines;
        forgive_linked_rows(&mut lines);
        lines.iter().map(|l| l.link_heavy).collect()
    }

    #[test]
    fn a_linked_record_among_plain_ones_is_data() {
        let table = vec![
            row("400 g | Weizenmehl", false),
            row("1 Pck. | Trockenbackhefe", true),
            row("200 ml | Milch", false),
            row("60 g | Zucker", false),
        ];
        assert_eq!(heavy(table), [false, false, false, false]);
    }

    #[test]
    fn links_row_after_row_and_bars_of_links_stay_links() {
        let menu = vec![row("新闻 | 通知", true), row("图片 | 视频", true), row("专题 | 下载", true)];
        assert_eq!(heavy(menu), [true, true, true]);
        let bar = vec![row("a | b", false), row("今 | 日 | 推 | 荐 | 明星", true), row("c | d", false)];
        assert_eq!(heavy(bar), [false, true, false], "a row of many cells is a bar of links");
        let alone = vec![row("正文第一段，讲述会议召开的情况。", false), row("2024-01-01 | 相关文章", true)];
        assert_eq!(heavy(alone), [false, true], "no plain record near it");
    }
}
