//! Paywall stubs (`……省略950字……`, `全文共4443字,当前只显示2468字`) cut out of
//! their lines and kept, with the counts they print, for `Article::truncated`;
//! and gates: a short call to log in, subscribe, pay or open an app where a
//! body stops early (`剩余内容请登录后阅读全文`, `This article is for
//! subscribers only`), recognised by its words' kinds in nine languages
//! (`rules/gates.txt`) and by where it stands (`body`), not by its wording.

use std::sync::LazyLock;

use regex::Regex;

use super::rules::{self, PAYWALL_GATE, Rule};
use crate::model::Truncation;
use crate::text::units_exceed;
use crate::tuning::GATE_MAX_UNITS;

/// The gate words, by kind and language.
const GATE_WORDS: &str = include_str!("../../rules/gates.txt");

/// A paywall stub found in a line, with the counts it prints.
#[derive(Debug, Clone)]
pub(crate) struct Stub {
    /// The line the text after the stub went to (the stub's place in the page).
    pub pos: usize,
    pub rule: String,
    pub text: String,
    total: Option<u32>,
    shown: Option<u32>,
    omitted: Option<u32>,
}

impl Stub {
    /// A gate line: the whole line is the stub.
    pub(crate) fn gate(pos: usize, text: &str) -> Stub {
        let text = text.trim().to_string();
        Stub { pos, rule: PAYWALL_GATE.to_string(), text, total: None, shown: None, omitted: None }
    }
}

/// How a line reads as a gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    No,
    /// Two words of access (开通会员 立即登录): a gate inside the article's element.
    Weak,
    /// A word of access and one of the content held back: a gate anywhere near the body's end.
    Strong,
}

/// The gate words as two patterns: access (log in, subscribe, pay, an app)
/// and content (the full text, the rest, this article).
struct GateWords {
    access: Regex,
    content: Regex,
}

static GATES: LazyLock<GateWords> = LazyLock::new(|| {
    let words = gate_words(GATE_WORDS).unwrap_or_default();
    let pattern = |kind: &str| {
        let parts: Vec<&str> = words.iter().filter(|(k, _)| k == kind).map(|(_, p)| p.as_str()).collect();
        // The file is ours and a test reads it: broken, it matches nothing rather than panicking.
        let never = || Regex::new(r"[^\s\S]").expect("a constant pattern");
        if parts.is_empty() {
            return never();
        }
        // Word boundaries are ASCII ones: the words that need them start and
        // end in Latin letters, and a Unicode `\b` keeps the regex off its
        // lazy DFA for any non-ASCII line (a Chinese body: 160,000
        // instructions a line instead of a few thousand).
        let joined = parts.join("|").replace(r"\b", r"(?-u:\b)");
        Regex::new(&format!("(?i)(?:{joined})")).unwrap_or_else(|_| never())
    };
    GateWords { access: pattern("access"), content: pattern("content") }
});

/// `(kind, pattern)` of each line of the gate words; an error names a bad line.
fn gate_words(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (n, kind, lang, pattern) in rules::rows(text) {
        if lang.is_empty() || pattern.is_empty() {
            return Err(format!("line {n}: KIND LANG PATTERN"));
        }
        if !matches!(kind, "access" | "content") || Regex::new(pattern).is_err() {
            return Err(format!("line {n}: {kind} {pattern}"));
        }
        out.push((kind.to_string(), pattern.to_string()));
    }
    Ok(out)
}

/// Whether a line reads as a gate: short, and made of the gate words' kinds.
pub(crate) fn gate(text: &str) -> Gate {
    // A line that announces what follows it (`…und können sich anmelden:`) ends nothing.
    if units_exceed(text, GATE_MAX_UNITS) || text.trim_end().ends_with([':', '：']) {
        return Gate::No;
    }
    let words = &*GATES;
    let mut access = words.access.find_iter(text).map(|m| m.as_str().to_lowercase());
    let Some(first) = access.next() else { return Gate::No };
    if words.content.is_match(text) {
        Gate::Strong
    } else if access.any(|a| a != first) {
        Gate::Weak
    } else {
        Gate::No
    }
}

/// The first sentence of `text`, when it is a gate and more follows it:
/// a paywall box's opening (`To view the full story, please subscribe to
/// The Haitian Times. You can choose a $60 Annual Subscription…`).
pub(crate) fn opening_gate(text: &str) -> Option<&str> {
    let text = text.trim();
    let end = text.char_indices().find_map(|(i, c)| {
        let after = i + c.len_utf8();
        let closes = matches!(c, '。' | '！' | '？')
            || matches!(c, '.' | '!' | '?') && text[after..].starts_with(char::is_whitespace);
        closes.then_some(after)
    })?;
    let first = &text[..end];
    (end < text.len() && gate(first) == Gate::Strong).then_some(first)
}

/// Splits `line` around every paywall stub it holds (each found stub goes
/// to `stubs`, placed at `pos`) and returns the pieces left: the text before
/// and after each stub.
pub(crate) fn cut(line: String, rules: &[Rule], pos: usize, stubs: &mut Vec<Stub>) -> Vec<String> {
    // The gate and the DFA say no for nearly every line; only a hit pays for captures.
    let hits: Vec<&Rule> = rules.iter().filter(|r| r.is_match(&line)).collect();
    if hits.is_empty() {
        return vec![line];
    }
    let mut pieces = vec![line];
    for rule in hits {
        let mut next = Vec::with_capacity(pieces.len());
        for piece in pieces {
            let mut last = 0;
            for c in rule.regex().captures_iter(&piece) {
                let Some(m) = c.get(0) else { continue };
                next.push(piece[last..m.start()].to_string());
                last = m.end();
                let num = |name| c.name(name).and_then(|v| v.as_str().parse::<u32>().ok());
                stubs.push(Stub {
                    pos,
                    rule: rule.name().to_string(),
                    text: m.as_str().trim().to_string(),
                    total: num("total"),
                    shown: num("shown"),
                    omitted: num("omitted"),
                });
            }
            next.push(piece[last..].to_string());
        }
        pieces = next;
    }
    pieces.retain(|p| !p.trim().is_empty());
    pieces
}

/// What the stubs say together: the first count of each kind a stub
/// prints, the omitted characters summed over all of them.
pub(crate) fn truncation<'a>(stubs: impl Iterator<Item = &'a Stub>) -> Option<Truncation> {
    let mut out: Option<Truncation> = None;
    for s in stubs {
        let t = out.get_or_insert_with(Truncation::default);
        t.total_chars = t.total_chars.or(s.total);
        t.shown_chars = t.shown_chars.or(s.shown);
        if let Some(o) = s.omitted {
            t.omitted_chars = Some(t.omitted_chars.unwrap_or(0) + o);
        }
        t.stubs.push(s.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::rules::RuleSet;

    #[test]
    fn the_gate_words_file_reads() {
        let words = gate_words(GATE_WORDS).unwrap();
        assert!(words.len() >= 18, "{}", words.len());
        assert!(gate_words("access zh (").is_err());
        assert!(gate_words("access zh").is_err(), "a line without its pattern");
    }

    #[test]
    fn gates_are_told_by_their_words_kinds() {
        for (text, want) in [
            ("剩余内容请登录后阅读全文", Gate::Strong),
            ("开通会员 立即登录", Gate::Weak),
            ("下载APP，阅读完整内容", Gate::Strong),
            ("To view the full story, please subscribe to the Daily Mail.", Gate::Strong),
            ("This article is for subscribers only.", Gate::Strong),
            ("Log in or register to continue reading", Gate::Strong),
            ("Jetzt abonnieren und den ganzen Artikel lesen", Gate::Strong),
            ("Abonnez-vous pour lire la suite", Gate::Strong),
            ("Suscríbete para seguir leyendo", Gate::Strong),
            ("Assine para continuar lendo esta matéria", Gate::Strong),
            ("Zaloguj się, aby czytać dalej", Gate::Strong),
            // Not gates: one access word, no content; a sentence about members; prose.
            ("Subscribe to our newsletter", Gate::No),
            ("Hier finden Sie das vollständige Programm und können sich anmelden:", Gate::No),
            ("欢迎加入会员", Gate::No),
            (
                "会议强调,要充分发挥会员单位作用,进一步加强计划生育协会基层组织建设,扎实推进各项工作,确保全年目标任务圆满完成,为建设健康中国作出新的更大贡献。",
                Gate::No,
            ),
            ("The committee met on Tuesday.", Gate::No),
        ] {
            assert_eq!(gate(text), want, "{text}");
        }
    }

    #[test]
    fn a_box_opens_with_a_gate_sentence() {
        let opening =
            "To view the full story, please subscribe to The Valley Courier. You can choose a $60 annual plan.";
        assert_eq!(opening_gate(opening), Some("To view the full story, please subscribe to The Valley Courier."));
        assert_eq!(
            opening_gate("剩余内容请登录后阅读全文。开通会员可享更多权益，每月仅需十元。"),
            Some("剩余内容请登录后阅读全文。")
        );
        // A gate that is the whole line is the plain gate's case; prose opens no box.
        assert_eq!(opening_gate("This article is for subscribers only."), None);
        assert_eq!(opening_gate("The committee met on Tuesday. It agreed the budget."), None);
    }

    fn paywalls() -> Vec<Rule> {
        RuleSet::new(Vec::new(), true, &[]).unwrap().paywalls().to_vec()
    }

    #[test]
    fn paywall_stubs_are_cut_and_counted() {
        let rules = paywalls();
        let mut stubs = Vec::new();
        let line = "基础工程 ……(快文网http://www.fanwy.cn省略950字,正式会员可完整阅读)…… 2.培训工作成效显著。";
        let parts = cut(line.to_string(), &rules, 0, &mut stubs);
        assert_eq!(parts.iter().map(|p| p.trim()).collect::<Vec<_>>(), ["基础工程", "2.培训工作成效显著。"]);
        let line = "解决偏远地区 ……(未完,全文共4443字,当前只显示2468字,请阅读下面提示信息。收藏在全市会议上的讲话) 上一篇:讲话";
        let parts = cut(line.to_string(), &rules, 3, &mut stubs);
        assert_eq!(parts.len(), 2);
        assert_eq!(
            stubs.iter().map(|s| (s.pos, s.rule.as_str())).collect::<Vec<_>>(),
            [(0, "paywall-omitted"), (3, "paywall-partial")]
        );
        let t = truncation(stubs.iter()).unwrap();
        assert_eq!((t.shown_chars, t.total_chars, t.omitted_chars), (Some(2468), Some(4443), Some(950)));
    }

    #[test]
    fn lines_without_a_stub_s_fixed_text_skip_the_paywall_patterns() {
        let rules = paywalls();
        let prose = "会议指出,要加强组织领导(共三条)。";
        assert!(rules.iter().all(|r| !r.is_match(prose)));
        let mut stubs = Vec::new();
        assert_eq!(cut(prose.to_string(), &rules, 0, &mut stubs), [prose]);
        assert!(stubs.is_empty());
        assert!(rules.iter().any(|r| r.is_match("……(剩余1200字,登录后阅读)")));
    }
}
