//! Text repair: table-pipe layouts unwrapped, paywall stubs cut out, broken paragraphs rejoined.

use std::sync::LazyLock;

use regex::Regex;

use crate::article::Truncation;
use crate::noise::Gate;
use crate::text::{is_cjk, is_prose, is_terminal, units};

/// Paywall stubs: (rule name, pattern). Named groups `total`, `shown` and
/// `omitted` carry the counts the stub prints.
const PAYWALLS: &[(&str, &str)] = &[
    (
        "paywall-omitted",
        r"(?:……|…|\.{3,6})?\s*[(（][^()（）]{0,80}?省略\s*(?P<omitted>\d+)\s*字[^()（）]{0,60}[)）]\s*(?:……|…|\.{3,6})?",
    ),
    (
        "paywall-partial",
        r"(?:……|…|\.{3,6})?\s*[(（]?\s*未完\s*[,，、]?\s*全文共\s*(?P<total>\d+)\s*字\s*[,，、]?\s*当前(?:只|仅)?显示\s*(?P<shown>\d+)\s*字[^)）]{0,120}[)）]?",
    ),
    (
        "paywall-members",
        r"(?:……|…)\s*[(（]?\s*(?:剩余|余下)\s*(?P<omitted>\d+)\s*字\s*[,，]?\s*(?:登录|开通|购买)[^)）]{0,40}[)）]?",
    ),
];

/// The stubs' patterns, each with the gate that turns away lines without its fixed text (`省略`, `字`).
static PAYWALL_RES: LazyLock<Vec<(&'static str, Regex, Gate)>> = LazyLock::new(|| {
    PAYWALLS.iter().map(|(n, p)| (*n, Regex::new(p).expect("valid paywall pattern"), Gate::of(p))).collect()
});

pub(crate) static ENUMERATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+[、是]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．]|第[一二三四五六七八九十\d]+[章节条部分]|[▲△●■◆])")
        .expect("valid enumeration pattern")
});

/// A paywall stub found in a line.
pub(crate) struct Stub {
    pub rule: &'static str,
    pub text: String,
}

/// Splits `line` around every paywall stub it holds, records the counts in
/// `trunc`, and returns the pieces left (text before and after each stub).
pub(crate) fn cut_paywalls(line: String, trunc: &mut Option<Truncation>, stubs: &mut Vec<Stub>) -> Vec<String> {
    // The DFA says no for nearly every line; only a hit pays for captures.
    let hits: Vec<_> = PAYWALL_RES.iter().filter(|(_, re, gate)| gate.admits_line(&line) && re.is_match(&line)).collect();
    let mut pieces = vec![line];
    for (rule, re, _) in hits {
        let mut next = Vec::with_capacity(pieces.len());
        for piece in pieces {
            let mut last = 0;
            for c in re.captures_iter(&piece) {
                let Some(m) = c.get(0) else { continue };
                next.push(piece[last..m.start()].to_string());
                last = m.end();
                let t = trunc.get_or_insert_with(Truncation::default);
                let num = |name| c.name(name).and_then(|v| v.as_str().parse::<u32>().ok());
                t.total_chars = t.total_chars.or(num("total"));
                t.shown_chars = t.shown_chars.or(num("shown"));
                if let Some(o) = num("omitted") {
                    t.omitted_chars = Some(t.omitted_chars.unwrap_or(0) + o);
                }
                t.stubs.push(m.as_str().trim().to_string());
                stubs.push(Stub { rule, text: m.as_str().trim().to_string() });
            }
            next.push(piece[last..].to_string());
        }
        pieces = next;
    }
    pieces.retain(|p| !p.trim().is_empty());
    pieces
}

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
/// (`三是注重青年引` + `领。联合…`). In text mode a long line that stops on a
/// Chinese character mid-phrase also continues onto a Chinese line.
pub(crate) fn continues(prev: &str, next: &str, text_mode: bool) -> bool {
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
    if is_cjk(last) && matches!(early_stop, Some(1..=2)) {
        return true;
    }
    // A long line stopping mid-phrase, followed by running text (not a headline).
    text_mode
        && units(prev) >= 30
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
        assert!(continues("三是开展群众性宣传行动。开展“5·29会员活动日”等群众性主题宣传,通过发放婚育新风倡议、摄影展、有奖竞答、文艺演出等形式,营造社会氛围。95.27%的", "村(社区)将生育友好内容纳入计划生育村规民约或自治章程。", true));
        assert!(continues("一是全面加强党的领导,", "计生协政治性、先进性、群众性进一步增强", true));
        assert!(continues("湖里区禾山社区“家庭健康服务中心”作为全国家庭健康促进行动试点单位,以“阵地嵌入、", "优化功能布局", true));
    }

    #[test]
    fn headings_stay_apart() {
        assert!(!continues("深入学习宣传贯彻党的二十大精神求实效", "01发挥优势学习宣传党的二十大精神。", true));
        assert!(!continues("会议指出,工作迈上新台阶。", "一是全面加强党的领导,", true));
        assert!(!continues("一、坚持系统思维,着力夯实基层组织网络基础", "一是强化党的领导。我省把设立党组织作为重点。", true));
    }

    #[test]
    fn paywall_stubs_are_cut_and_counted() {
        let mut t = None;
        let mut stubs = Vec::new();
        let line = "基础工程 ……(快文网http://www.fanwy.cn省略950字,正式会员可完整阅读)…… 2.培训工作成效显著。";
        let parts = cut_paywalls(line.to_string(), &mut t, &mut stubs);
        assert_eq!(parts.iter().map(|p| p.trim()).collect::<Vec<_>>(), ["基础工程", "2.培训工作成效显著。"]);
        let line = "解决偏远地区 ……(未完,全文共4443字,当前只显示2468字,请阅读下面提示信息。收藏在全市会议上的讲话) 上一篇:讲话";
        let parts = cut_paywalls(line.to_string(), &mut t, &mut stubs);
        assert_eq!(parts.len(), 2);
        let t = t.unwrap();
        assert_eq!((t.shown_chars, t.total_chars, t.omitted_chars), (Some(2468), Some(4443), Some(950)));
    }

    #[test]
    fn lines_without_a_stub_s_fixed_text_skip_the_paywall_patterns() {
        let prose = "会议指出,要加强组织领导(共三条)。";
        assert!(PAYWALL_RES.iter().all(|(_, _, gate)| !gate.admits_line(prose)));
        let stub = "……(剩余1200字,登录后阅读)";
        assert!(PAYWALL_RES.iter().any(|(_, re, gate)| gate.admits_line(stub) && re.is_match(stub)));
    }

    #[test]
    fn pipes_unwrap_into_cells() {
        assert_eq!(unwrap_pipes("| 标题:讲话 |".into()), ["标题:讲话"]);
        assert_eq!(unwrap_pipes("普通一行".into()), ["普通一行"]);
    }
}
