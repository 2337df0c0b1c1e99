//! Zones for lines that came without them (plain text): the article is the
//! stretch of lines that reads most like prose.

use super::line::{Fate, Line, Zone};
use crate::text::{is_cjk, is_headline_like, is_prose, measure, units};
use crate::tuning::{
    FIRST_PARAGRAPH_WINDOW, HEADLINE_WEIGHT, LABEL_FIGURE_LABEL_CHARS, LABEL_FIGURE_VALUE_CHARS, LONG_LINE_UNITS,
    NOISE_WEIGHT, PARAGRAPH_UNITS, TEXT_END_WEIGHT,
};

/// Marks the article's lines as the body: a maximum-sum run where prose
/// counts for its size and chrome against it. When the headline is known
/// (`anchors`: lines matching the page's title) the run must start at the
/// first paragraph after one of them, so a long list of teasers elsewhere
/// on the page cannot win. No run crosses an end-of-article marker or an
/// editor's credit.
pub(crate) fn assign(lines: &mut [Line], anchors: &[usize]) {
    let (start, end) = best_run(lines, anchors);
    for (i, l) in lines.iter_mut().enumerate() {
        l.zone = if i < start {
            Zone::Before
        } else if i < end {
            Zone::Body
        } else {
            Zone::After
        };
    }
}

/// The run `[start, end)` of the best weight.
fn best_run(lines: &[Line], anchors: &[usize]) -> (usize, usize) {
    let mut prefix = Vec::with_capacity(lines.len() + 1);
    prefix.push(0i64);
    for l in lines {
        prefix.push(prefix.last().copied().unwrap_or(0) + weight(l));
    }
    // best_end[s]: the end (exclusive) after s with the largest prefix sum,
    // not crossing a line that ends the text.
    let mut best_end = vec![lines.len(); lines.len() + 1];
    for s in (0..lines.len()).rev() {
        let barrier = lines.get(s).is_some_and(|l| l.fate.ends_text());
        let next = best_end.get(s + 1).copied().unwrap_or(lines.len());
        let here = s + 1;
        let end = if barrier {
            s
        } else if prefix.get(here) >= prefix.get(next) || lines.get(s + 1).is_some_and(|l| l.fate.ends_text()) {
            here
        } else {
            next
        };
        if let Some(b) = best_end.get_mut(s) {
            *b = end;
        }
    }
    let best_from = |starts: &mut dyn Iterator<Item = usize>| {
        let mut best = (0i64, 0usize, 0usize);
        for s in starts {
            let e = best_end.get(s).copied().unwrap_or(s);
            let sum = prefix.get(e).copied().unwrap_or(0) - prefix.get(s).copied().unwrap_or(0);
            if sum > best.0 {
                best = (sum, s, e);
            }
        }
        best
    };
    // After a headline the article starts at the first paragraph.
    let first_paragraph = |t: usize| {
        (t + 1..(t + FIRST_PARAGRAPH_WINDOW).min(lines.len()))
            .find(|&i| lines.get(i).is_some_and(|l| matches!(l.fate, Fate::Keep) && is_paragraph(&l.text)))
    };
    let mut near_title = anchors.iter().filter_map(|&t| first_paragraph(t));
    let mut best = best_from(&mut near_title);
    if best.0 <= 0 {
        best = best_from(&mut (0..lines.len()));
    }
    (best.1, best.2)
}

/// How much a line of plain text says "article": Chinese prose has 。 in
/// it; headline lists, teasers and menus do not.
fn weight(l: &Line) -> i64 {
    let u = units(&l.text) as i64;
    match &l.fate {
        Fate::Keep if is_paragraph(&l.text) => u,
        Fate::Keep if u >= LONG_LINE_UNITS as i64 => u / 2,
        // A label and its figure (`成人票原价：260元`) is a notice's data, and a line of
        // code a post's: short, but not a teaser's headline.
        Fate::Keep if is_label_figure(&l.text) || is_code(&l.text) => 0,
        Fate::Keep if is_headline_like(&l.text) => HEADLINE_WEIGHT,
        Fate::Keep => 0,
        fate if fate.ends_text() => TEXT_END_WEIGHT,
        _ => NOISE_WEIGHT,
    }
}

/// A short label, a colon and a value holding a figure: `游客咨询电话：58792888`.
fn is_label_figure(text: &str) -> bool {
    let Some((label, value)) = text.split_once(['：', ':']) else { return false };
    let label_chars = label.trim().chars().count();
    (1..=LABEL_FIGURE_LABEL_CHARS).contains(&label_chars)
        && !label.contains(['。', '，', '！', '？'])
        && value.trim_start().chars().take(LABEL_FIGURE_VALUE_CHARS).any(|c| c.is_ascii_digit())
}

/// A line of program code in a Chinese post (`import json`, `data = client.lpop('test')`):
/// Latin text with a statement's punctuation or keyword, which a headline or a menu never has.
fn is_code(text: &str) -> bool {
    let t = text.trim();
    let keyword = ["import ", "from ", "def ", "return", "class ", "print(", "if ", "for ", "while ", "try:"];
    !t.chars().any(is_cjk)
        && t.chars().any(|c| c.is_ascii_alphabetic())
        && (t.contains(['=', '(', '{', '}', ';']) || t.ends_with(':') || keyword.iter().any(|k| t.starts_with(k)))
}

/// A paragraph of running text, not a headline that happens to end in ？ or ！.
pub(crate) fn is_paragraph(text: &str) -> bool {
    let cjk = text.chars().filter(|c| is_cjk(*c)).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if cjk * 2 < letters {
        return is_prose(text);
    }
    let m = measure(text);
    text.contains('。') || text.contains('；') || m.is_prose() && m.units >= PARAGRAPH_UNITS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::line::Field;

    fn line(text: &str, fate: Fate) -> Line {
        Line::body(text, fate)
    }

    fn keep(text: &str) -> Line {
        line(text, Fate::Keep)
    }

    fn zones(lines: &[Line]) -> String {
        lines.iter().map(|l| ['B', 'x', 'A'][l.zone as usize]).collect()
    }

    const PROSE: &str = "会议指出,各级计生协要深入贯彻落实会议精神,扎实推动各项任务落实。";

    #[test]
    fn the_run_of_prose_is_the_body() {
        let mut lines = vec![
            keep("首页"),
            keep("新闻中心"),
            keep("会议召开"),
            keep(PROSE),
            keep(PROSE),
            line("点赞", Fate::Drop("share-bar".into())),
            keep("热门文章标题一"),
            keep("热门文章标题二"),
        ];
        assign(&mut lines, &[]);
        assert_eq!(zones(&lines), "BBBxxAAA");
    }

    #[test]
    fn a_short_noisy_gap_inside_the_article_does_not_split_it() {
        let mut lines = vec![keep(PROSE), line("点赞", Fate::Drop("share-bar".into())), keep(PROSE)];
        assign(&mut lines, &[]);
        assert_eq!(zones(&lines), "xxx");
    }

    #[test]
    fn no_run_crosses_an_end_marker_or_an_editor_credit() {
        let mut lines = vec![
            keep(PROSE),
            line("相关新闻", Fate::Tail("related".into())),
            keep(PROSE),
            keep(PROSE),
            line("编辑 | 康晓杰", Fate::Field(Field::Editor, None, "editor-line".into())),
            keep(PROSE),
        ];
        assign(&mut lines, &[]);
        assert_eq!(zones(&lines), "BBxxAA");
    }

    #[test]
    fn after_a_headline_the_article_starts_at_its_first_paragraph() {
        // A longer teaser list before the headline would win on size alone.
        let mut lines = vec![keep(PROSE), keep(PROSE), keep(PROSE), keep("会议召开"), keep("2025-02-20"), keep(PROSE)];
        assign(&mut lines, &[3]);
        assert_eq!(zones(&lines), "BBBBBx");
    }

    #[test]
    fn a_notice_s_items_of_labels_and_figures_stay_in_the_body() {
        // Each item: its name, its prices and number, a note (a long line, not a sentence).
        let note = "备注：仅限成人套票实行半价优惠，其余单票型均不参加本次半价优惠活动";
        let mut lines = vec![keep("首页"), keep(PROSE)];
        for item in ["5、上海欢乐谷", "6、上海海昌海洋公园", "7、上海海洋水族馆"] {
            let figures = ["成人票原价：260元", "老人票原价：130元", "游客咨询电话：58792888"];
            lines.push(keep(item));
            lines.extend(figures.map(keep));
            lines.push(keep(note));
        }
        lines.extend([keep("热门文章标题一"), keep("热门文章标题二")]);
        assign(&mut lines, &[]);
        assert_eq!(zones(&lines), format!("B{}AA", "x".repeat(lines.len() - 3)));
        // A headline with a colon is still a headline: `市长：…` holds no figure.
        assert!(!is_label_figure("市长：全力推进城市更新"));
        assert!(is_label_figure("游客咨询电话：58792888"));
    }

    #[test]
    fn code_in_a_post_stays_in_the_body() {
        let code = ["import json", "client = redis.Redis()", "def parse():", "data = client.lpop('test')", "return"];
        let mut lines = vec![keep("首页"), keep(PROSE)];
        for _ in 0..2 {
            lines.extend(code.map(keep));
            lines.push(keep(PROSE));
        }
        lines.extend([keep("热门文章标题一"), keep("热门文章标题二")]);
        assign(&mut lines, &[]);
        assert_eq!(zones(&lines), format!("B{}AA", "x".repeat(lines.len() - 3)));
        // Menus and headlines are not code.
        for line in ["首页 | 新闻 | 关于", "Home", "About us", "市长：全力推进城市更新"] {
            assert!(!is_code(line), "{line}");
        }
    }

    #[test]
    fn paragraphs_are_told_from_headlines() {
        assert!(is_paragraph(PROSE));
        assert!(!is_paragraph("计生协工作会议召开了吗？"));
        assert!(is_paragraph("The association met on Monday, and agreed on the plan for the year."));
    }
}
