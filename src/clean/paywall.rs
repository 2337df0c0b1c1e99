//! Paywall stubs (`……省略950字……`, `全文共4443字,当前只显示2468字`) cut out of
//! their lines and kept, with the counts they print, for `Article::truncated`.

use super::rules::Rule;
use crate::model::Truncation;

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
