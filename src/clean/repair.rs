//! Text repair: table-pipe layouts unwrapped, broken paragraphs rejoined.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::{is_cjk, is_prose, is_terminal, units};
use crate::tuning::{BROKEN_LINE_UNITS, EARLY_CLAUSE_END};

/// The opening of a numbered item or section (`一、`, `（二）`, `3.`, `第一章`, `●`).
pub(crate) static ENUMERATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+[、是]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．]|第[一二三四五六七八九十\d]+[章节条部分]|[▲△●■◆])")
        .expect("valid enumeration pattern")
});

/// `| 标题:… |` and `| a | b |` layouts (a table copied as text) become one line a cell.
pub(crate) fn unwrap_pipes(line: String) -> Vec<String> {
    let t = line.trim();
    let inner = match t.strip_prefix('|').and_then(|r| r.strip_suffix('|')) {
        Some(inner) => inner,
        None => return vec![line],
    };
    // Cells with no letters or digits are layout residue (`|||`).
    inner.split(" | ").map(|c| c.trim().to_string()).filter(|c| c.chars().any(|ch| ch.is_alphanumeric())).collect()
}

/// Whether `next` continues the sentence `prev` broke off.
///
/// Strong signs (any text): `prev` ends in a comma or an opening mark, or
/// `next` starts with punctuation or ends a clause within two characters
/// (`三是注重青年引` + `领。联合…`). Where lines may wrap (text copied from a
/// page), a long line that stops on a Chinese character mid-phrase also
/// continues onto a Chinese line.
pub(crate) fn continues(prev: &str, next: &str, may_wrap: bool) -> bool {
    let (Some(last), Some(first)) = (prev.trim_end().chars().next_back(), next.trim_start().chars().next()) else {
        return false;
    };
    if is_terminal(last) || ENUMERATION.is_match(next.trim_start()) {
        return false;
    }
    if matches!(last, '，' | ',' | '、' | '(' | '（' | '“' | '《' | '—') {
        return true;
    }
    if matches!(first, '，' | '。' | '、' | '；' | '：' | '！' | '？' | '）' | '”' | '》') {
        return true;
    }
    let early_stop = next.chars().take(3).position(|c| matches!(c, '。' | '，' | '；' | '、'));
    if is_cjk(last) && early_stop.is_some_and(|i| EARLY_CLAUSE_END.contains(&i)) {
        return true;
    }
    // A long line stopping mid-phrase, followed by running text (not a headline).
    may_wrap
        && units(prev) >= BROKEN_LINE_UNITS
        && is_cjk(last)
        && is_cjk(first)
        && is_prose(next)
        && last != '摄'
        && !prev.trim_end().ends_with("供图")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_sentences_are_rejoined() {
        assert!(continues("三是注重青年引", "领。联合卫健、教育等部门出台意见", true));
        assert!(continues(
            "三是开展群众性宣传行动。开展“5·29会员活动日”等群众性主题宣传,通过发放婚育新风倡议、摄影展、有奖竞答、文艺演出等形式,营造社会氛围。95.27%的",
            "村(社区)将生育友好内容纳入计划生育村规民约或自治章程。",
            true
        ));
        assert!(continues("一是全面加强党的领导,", "计生协政治性、先进性、群众性进一步增强", true));
        assert!(continues(
            "湖里区禾山社区“家庭健康服务中心”作为全国家庭健康促进行动试点单位,以“阵地嵌入、",
            "优化功能布局",
            true
        ));
    }

    #[test]
    fn headings_stay_apart() {
        assert!(!continues("深入学习宣传贯彻党的二十大精神求实效", "01发挥优势学习宣传党的二十大精神。", true));
        assert!(!continues("会议指出,工作迈上新台阶。", "一是全面加强党的领导,", true));
        assert!(!continues(
            "一、坚持系统思维,着力夯实基层组织网络基础",
            "一是强化党的领导。我省把设立党组织作为重点。",
            true
        ));
    }

    #[test]
    fn pipes_unwrap_into_cells() {
        assert_eq!(unwrap_pipes("| 标题:讲话 |".into()), ["标题:讲话"]);
        assert_eq!(unwrap_pipes("普通一行".into()), ["普通一行"]);
    }
}
