//! What a rule's pattern can match, read from the pattern itself, so that
//! lines it cannot match skip the regex call.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind, Look};

/// What a rule's pattern says about the lines it can match, read once from
/// the pattern: most lines fail one of these checks, which cost a few
/// nanoseconds where even a failing regex call costs tens, and a pattern
/// like `^[^\p{Han}]*…=…$` would otherwise scan every English line to its end.
#[derive(Debug, Clone, Default)]
pub(crate) struct Gate {
    /// No match is shorter (in bytes).
    min_len: usize,
    /// A pattern anchored at both ends matches no longer line.
    max_len: Option<usize>,
    /// The characters a line must start with, for a pattern anchored at the start (sorted).
    first: Option<Vec<char>>,
    /// The characters a line must end with, for a pattern anchored at the end (sorted).
    last: Option<Vec<char>>,
    /// Text every match contains.
    needs: Option<String>,
}

impl Gate {
    pub(crate) fn of(pattern: &str) -> Gate {
        // The regex crate parsed the same pattern with the same defaults, so this cannot fail;
        // if it did, an open gate is still correct.
        let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else { return Gate::default() };
        let props = hir.properties();
        let at_start = props.look_set_prefix().contains(Look::Start);
        let at_end = props.look_set_suffix().contains(Look::End);
        Gate {
            min_len: props.minimum_len().unwrap_or(0),
            max_len: props.maximum_len().filter(|_| at_start && at_end),
            first: at_start.then(|| edge_chars(&hir, ExtractKind::Prefix)).flatten(),
            last: at_end.then(|| edge_chars(&hir, ExtractKind::Suffix)).flatten(),
            needs: required(&hir),
        }
    }

    /// The gate, turning away lines longer than `bytes` too (a rule that
    /// only fits short lines, bounded without a costly `.{0,N}`).
    pub(crate) fn capped(mut self, bytes: usize) -> Gate {
        self.max_len = Some(self.max_len.map_or(bytes, |m| m.min(bytes)));
        self
    }

    /// False when the pattern cannot match `line`.
    pub(crate) fn admits_line(&self, line: &str) -> bool {
        self.admits(line, line.chars().next(), line.chars().next_back())
    }

    /// False when the rule cannot match `line`, which starts with `first` and ends with `last`.
    pub(crate) fn admits(&self, line: &str, first: Option<char>, last: Option<char>) -> bool {
        let one_of = |set: &Option<Vec<char>>, c: Option<char>| match (set, c) {
            (None, _) => true,
            (Some(set), Some(c)) => set.binary_search(&c).is_ok(),
            (Some(_), None) => false,
        };
        line.len() >= self.min_len
            && self.max_len.is_none_or(|max| line.len() <= max)
            && one_of(&self.first, first)
            && one_of(&self.last, last)
            && self.needs.as_deref().is_none_or(|n| line.contains(n))
    }
}

/// The first (or last) characters of every match, when they are few and known.
fn edge_chars(hir: &Hir, kind: ExtractKind) -> Option<Vec<char>> {
    let prefix = matches!(kind, ExtractKind::Prefix);
    let seq = Extractor::default().kind(kind).limit_class(64).limit_total(1000).extract(hir);
    let mut chars = Vec::new();
    for lit in seq.literals()? {
        // A literal cut short inside its edge character tells nothing.
        let b = lit.as_bytes();
        let edge = (1..=b.len().min(4)).find_map(|n| {
            let part = if prefix { &b[..n] } else { &b[b.len() - n..] };
            std::str::from_utf8(part).ok()
        })?;
        chars.push(if prefix { edge.chars().next()? } else { edge.chars().next_back()? });
    }
    chars.sort_unstable();
    chars.dedup();
    Some(chars)
}

/// The longest literal text that every match of `hir` contains.
fn required(hir: &Hir) -> Option<String> {
    match hir.kind() {
        HirKind::Literal(lit) => std::str::from_utf8(&lit.0).ok().map(str::to_string),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Concat(parts) => parts.iter().filter_map(required).max_by_key(String::len),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gates_are_read_from_the_pattern() {
        let g = Gate::of(r"^(?:上一篇|下一篇)\s*[:：]?");
        assert_eq!(g.first, Some(vec!['上', '下']));
        assert_eq!((g.min_len, g.max_len, g.last), (9, None, None));
        let g = Gate::of(r"^(?:首页|返回顶部)$");
        assert_eq!(g.max_len, Some(12));
        assert_eq!(g.last, Some(vec!['部', '页']));
        assert_eq!(Gate::of(r"(?i)^[^\p{Han}]*(?:src|href)\s*=\s*x").needs.as_deref(), Some("="));
        // Unanchored, or too many first characters to list: the gate stays open.
        let open = Gate::of(r"[\p{Han}]{2,}广告");
        assert_eq!((&open.first, &open.last, open.max_len), (&None, &None, None));
        assert!(open.admits("任何一行都可以含有广告", Some('任'), Some('告')));
    }

    proptest::proptest! {
        /// A gate never turns away a line its rule matches: built-in rule
        /// samples wrapped in arbitrary text, tried against every rule.
        #[test]
        fn gates_never_hide_a_match(
            pre in "[ a-z0-9计生协:：>|.（(]{0,3}",
            pick in 0usize..SAMPLES.len(),
            post in "[ a-z0-9计生协:：<|.）)]{0,3}",
        ) {
            let line = format!("{pre}{}{post}", SAMPLES[pick]);
            let (first, last) = (line.chars().next(), line.chars().next_back());
            for rule in crate::clean::rules::Rule::builtin() {
                if rule.regex.is_match(&line) {
                    proptest::prop_assert!(rule.gate.admits(&line, first, last), "{} hides {line:?}", rule.name);
                }
            }
        }
    }

    /// Lines some built-in rule matches, and near misses.
    const SAMPLES: &[&str] = &[
        "首页",
        "English",
        "当前位置: 首页 > 新闻",
        "首页 > 工作动态 > 正文",
        "字体:[大 中 小]",
        "打印本页 关闭窗口",
        "【纠错】",
        "浏览次数: 120",
        "点击上方蓝字关注我们",
        "微信订阅",
        "Click to see more",
        "阅读原文",
        "扫一扫在手机打开当前页",
        "下载人民日报客户端",
        "温馨提示:请收藏",
        "版权所有 © 2023",
        "京ICP备12345号",
        "未经授权不得转载",
        "加载中",
        "原标题:文章",
        "IP属地:广东",
        "发布人:a IP: 1.2.3.4",
        "IP: 124.223.189.1 来自",
        "举报/删稿",
        "点赞 12 转发 3",
        "我来说两句",
        "全文……【详细】",
        "1.5x",
        "00:12 / 03:40",
        "彩票开户送",
        "<div class=\"a\">",
        "style=\"width:10px\" />",
        "var a = 1;",
        "photo 1.JPG",
        "IMG_001.jpeg",
        "03",
        "PART 2",
        "A",
        "阅读全文",
        "编辑推荐",
        "上一篇:新闻",
        "相关新闻",
        "分享到:",
        "上一页 1 2 下一页",
        "Advertisement",
        "Photo: Reuters",
        "Sign up for our newsletter",
        "Related stories",
        "(厦门市计划生育协会)",
        "来源:新华社",
        "作者:张三",
        "责任编辑:李四",
        "标题:工作要点",
        "The quick brown fox.",
        "会议指出,要加强领导。",
    ];
}
