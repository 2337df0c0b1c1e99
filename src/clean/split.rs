//! Pages that hold several articles: each later article starts at a headline followed by a news lead.

use std::sync::LazyLock;

use regex::Regex;

use super::line::Item;
use super::repair::ENUMERATION;
use crate::model::BlockKind;
use crate::text::{is_headline_like, units};
use crate::tuning::{SPLIT_HEADLINE_UNITS, SPLIT_MIN_ITEMS};

/// Openings of a news story (a dateline or its stand-ins).
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,2}月\d{1,2}日|近日|日前|本报讯|本报[\p{Han}]{0,4}\d{0,2}月?\d{0,2}日?电|新华社[\p{Han}]{0,6}\d{1,2}月\d{1,2}日电|[\p{Han}]{2,8}讯[ ,，]|据[\p{Han}]{2,8}(?:报道|消息))")
        .expect("valid lead pattern")
});

/// Where later articles start: indexes of their headline items.
pub(crate) fn split_points(items: &[Item]) -> Vec<usize> {
    let mut points = Vec::new();
    let mut last = 0;
    for k in SPLIT_MIN_ITEMS..items.len().saturating_sub(1) {
        let (Some(head), Some(lead), Some(before)) = (items.get(k), items.get(k + 1), items.get(k - 1)) else {
            continue;
        };
        let headline = is_headline_like(&head.text)
            && SPLIT_HEADLINE_UNITS.contains(&units(&head.text))
            && !ENUMERATION.is_match(&head.text);
        let starts_story = lead.kind == BlockKind::Paragraph && LEAD.is_match(&lead.text);
        if headline && starts_story && before.kind != BlockKind::Heading && k - last >= SPLIT_MIN_ITEMS {
            points.push(k);
            last = k;
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: BlockKind, text: &str) -> Item {
        Item { pos: 0, kind, text: text.to_string(), media: Vec::new() }
    }

    #[test]
    fn a_second_story_starts_at_headline_plus_lead() {
        let p = BlockKind::Paragraph;
        let items = vec![
            item(p, "第一篇第一段,内容。"),
            item(p, "第一篇第二段,内容。"),
            item(p, "第一篇第三段,内容。"),
            item(BlockKind::Heading, "厦门召开会议推进家庭健康促进行动提质增效"),
            item(p, "11月8日上午,厦门市计生协召开推进会。"),
        ];
        assert_eq!(split_points(&items), [3]);
    }

    #[test]
    fn numbered_sections_do_not_split() {
        let p = BlockKind::Paragraph;
        let items = vec![
            item(p, "第一段,内容。"),
            item(p, "第二段,内容。"),
            item(p, "第三段,内容。"),
            item(BlockKind::Heading, "二、坚持上下联动,持续深化宣传教育"),
            item(p, "5月10日,开展活动。"),
        ];
        assert!(split_points(&items).is_empty());
    }
}
