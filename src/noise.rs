//! Named noise rules (data in `rules/noise.rules`) and the engine that applies them to lines.

use std::sync::LazyLock;

use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind, Look};

use crate::error::{Error, ErrorKind};

/// The built-in rules, one a line; see the file's header for the format.
const BUILTIN: &str = include_str!("../rules/noise.rules");

/// What a rule does to a line it matches.
///
/// ```
/// use report_scraper::Action;
/// assert_eq!("tail".parse::<Action>(), Ok(Action::DropRest));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Remove the whole line.
    DropLine,
    /// Remove only the matched text.
    Strip,
    /// Remove the line and everything after it, once article text was seen.
    DropRest,
    /// The first capture group is the source; the line is removed.
    Source,
    /// The first capture group is the author; the line is removed.
    Author,
    /// The line is an editing credit, kept in `editors`.
    Editor,
    /// The first capture group is the title; the line is removed.
    Title,
}

impl std::str::FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "drop" => Action::DropLine,
            "strip" => Action::Strip,
            "tail" => Action::DropRest,
            "source" => Action::Source,
            "author" => Action::Author,
            "editor" => Action::Editor,
            "title" => Action::Title,
            other => return Err(format!("unknown action {other:?}")),
        })
    }
}

/// A named pattern with an action: the unit of cleaning.
///
/// ```
/// use report_scraper::{Action, Rule};
/// let rule = Rule::new("my-ad", Action::DropLine, r"^本站广告").unwrap();
/// assert_eq!(rule.name(), "my-ad");
/// assert!(Rule::new("broken", Action::DropLine, "(").is_err());
/// ```
#[derive(Debug, Clone)]
pub struct Rule {
    name: String,
    action: Action,
    regex: Regex,
    gate: Gate,
}

impl Rule {
    /// Compiles a rule.
    ///
    /// ```
    /// let r = report_scraper::Rule::new("promo", report_scraper::Action::Strip, "【广告】").unwrap();
    /// assert_eq!(r.action(), report_scraper::Action::Strip);
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::BadRule`] when the pattern is not a valid regex.
    pub fn new(name: &str, action: Action, pattern: &str) -> Result<Rule, Error> {
        let regex = Regex::new(pattern)
            .map_err(|e| Error::new(ErrorKind::BadRule { name: name.to_string(), message: e.to_string() }))?;
        Ok(Rule { name: name.to_string(), action, gate: Gate::of(pattern), regex })
    }

    /// The rule's name, as reported in [`crate::Removal::rule`].
    ///
    /// ```
    /// assert!(report_scraper::Rule::builtin().iter().any(|r| r.name() == "wechat-follow"));
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the rule does.
    ///
    /// ```
    /// let r = report_scraper::Rule::builtin().into_iter().find(|r| r.name() == "prev-next").unwrap();
    /// assert_eq!(r.action(), report_scraper::Action::DropRest);
    /// ```
    pub fn action(&self) -> Action {
        self.action
    }

    /// The pattern's source text.
    ///
    /// ```
    /// let r = report_scraper::Rule::new("x", report_scraper::Action::DropLine, "^a$").unwrap();
    /// assert_eq!(r.pattern(), "^a$");
    /// ```
    pub fn pattern(&self) -> &str {
        self.regex.as_str()
    }

    /// The built-in rule set, in the order it is applied.
    ///
    /// ```
    /// assert!(report_scraper::Rule::builtin().len() > 30);
    /// ```
    pub fn builtin() -> Vec<Rule> {
        BUILTIN_RULES.clone()
    }

    /// Parses rules in the format of the built-in file (`NAME ACTION PATTERN`,
    /// `#` comments), so users can keep their own rules in a file.
    ///
    /// ```
    /// let rules = report_scraper::Rule::parse_list("# mine\nmy-ad  drop  ^广告$\n").unwrap();
    /// assert_eq!(rules[0].name(), "my-ad");
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::BadRule`] naming the first line that does not parse.
    pub fn parse_list(text: &str) -> Result<Vec<Rule>, Error> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|line| {
                let (name, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
                let (action, pattern) = rest.trim_start().split_once(char::is_whitespace).unwrap_or((rest, ""));
                let bad = |message: String| Error::new(ErrorKind::BadRule { name: name.to_string(), message });
                let action: Action = action.parse().map_err(bad)?;
                Rule::new(name, action, pattern.trim())
            })
            .collect()
    }
}

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

    /// False when the pattern cannot match `line`.
    pub(crate) fn admits_line(&self, line: &str) -> bool {
        self.admits(line, line.chars().next(), line.chars().next_back())
    }

    /// False when the rule cannot match `line`, which starts with `first` and ends with `last`.
    fn admits(&self, line: &str, first: Option<char>, last: Option<char>) -> bool {
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
    let seq = Extractor::new().kind(kind).limit_class(64).limit_total(1000).extract(hir);
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

static BUILTIN_RULES: LazyLock<Vec<Rule>> =
    LazyLock::new(|| Rule::parse_list(BUILTIN).expect("the built-in rules compile"));

/// What the rules say about one line.
#[derive(Debug, Default)]
pub(crate) struct Verdict<'r> {
    /// The line after `strip` rules, when one of them changed it.
    pub text: Option<String>,
    /// The `strip` rules that fired, with what each removed.
    pub stripped: Vec<(&'r str, String)>,
    /// The deciding rule, its action and its capture, if any rule other than `strip` matched.
    pub decision: Option<(&'r Rule, Option<String>)>,
}

/// A compiled rule set, tried in order.
///
/// Each rule is matched on its own: small anchored patterns run on the lazy
/// DFA and fail fast, where one `RegexSet` of them all fell back to the
/// PikeVM and took half of the extraction time.
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    pub(crate) fn new(rules: Vec<Rule>) -> RuleSet {
        RuleSet { rules }
    }

    pub(crate) fn judge(&self, line: &str) -> Verdict<'_> {
        let (first, last) = (line.chars().next(), line.chars().next_back());
        let mut hits =
            self.rules.iter().filter(|r| r.gate.admits(line, first, last) && r.regex.is_match(line)).peekable();
        if hits.peek().is_none() {
            return Verdict::default();
        }
        let mut text = line.to_string();
        let mut changed = false;
        let mut stripped = Vec::new();
        for rule in hits {
            if rule.action == Action::Strip {
                let before = text.clone();
                let cut: Vec<String> = rule.regex.find_iter(&before).map(|m| m.as_str().to_string()).collect();
                text = rule.regex.replace_all(&before, "").into_owned();
                changed = true;
                stripped.extend(cut.into_iter().filter(|c| !c.trim().is_empty()).map(|c| (rule.name.as_str(), c)));
                continue;
            }
            // Rules are judged on the line after stripping, so `字体:[ ]` does not hide a byline.
            if let Some(c) = rule.regex.captures(text.trim()) {
                let capture = c.get(1).map(|m| m.as_str().trim().to_string());
                return Verdict { text: changed.then_some(text), stripped, decision: Some((rule, capture)) };
            }
        }
        Verdict { text: changed.then_some(text), stripped, decision: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(line: &str) -> Option<String> {
        let set = RuleSet::new(Rule::builtin());
        let v = set.judge(line);
        v.decision.map(|(r, _)| r.name.clone())
    }

    #[test]
    fn every_kind_of_seed_noise_has_a_rule() {
        let cases = [
            ("展会发布 展会网站大全 报名观展合作 软文发布", "menu-bar"),
            ("点击上方蓝字", "wechat-follow"),
            ("扫一扫在手机打开当前页", "mobile-qr"),
            ("当前位置/ 首页/ 资讯快递/ 正文", "breadcrumb"),
            ("> 机构设置 > 处室导航 > 江西省计划生育协会 > 通知公告", "breadcrumb-path"),
            ("温馨提示:信息一旦丢失不一定找得到,请务必收藏信息以备急用!", "warm-tip"),
            ("联系我时,请说明是在手机全球会展网看到的信息,谢谢。", "contact-me"),
            ("发布人:fa51****    IP:124.223.189***     举报/删稿", "poster-ip"),
            ("让朕来说2句", "comment-prompt"),
            ("点赞", "share-bar"),
            ("中国竞彩网", "gambling-spam"),
            ("nload=\"this.removeAttribute('width'); this.removeAttribute('onload');\" />", "leaked-attr"),
            ("1 (1).jpg", "image-filename"),
            ("01", "section-badge"),
            ("上一篇:在全市历史文化名城保护规划审查会议上的讲话", "prev-next"),
            ("CLICK TO SEE YOU LOOK THE BEST", "wechat-click"),
            ("微信订阅", "wechat-subscribe"),
            ("打开微信,点击底部的“通讯录”,点击右上角的 “添加” 搜号码 lifechina1981 或查找公众号 人生网 即可。", "wechat-howto"),
            ("(厦门市计划生育协会)", "closing-source"),
            ("本文来源:广东省计生协", "source-line"),
            ("作者:刘均刚 山东省计生协会长", "author-line"),
            ("□本报记者 陈才源", "author-line"),
            ("编辑 | 康晓杰", "editor-line"),
            ("策划 | 王菲菲 崔晨", "editor-line"),
            ("39健康网(www.39.net)专稿,未经书面授权请勿转载。", "reprint-notice"),
            ("阅读剩余全文（）", "read-more-stub"),
            ("值班总编推荐", "recommend-box"),
            ("调查问题加载中,请稍候。", "loading-ui"),
        ];
        for (line, rule) in cases {
            assert_eq!(decide(line).as_deref(), Some(rule), "{line}");
        }
    }

    #[test]
    fn article_sentences_are_left_alone() {
        for line in [
            "记者从上海昆剧团获悉,沈斌同志因病医治无效。",
            "一是全面加强党的领导,",
            "深入学习宣传贯彻党的二十大精神求实效",
            "01发挥优势学习宣传党的二十大精神。",
            "走“改革路” 打“创新牌”",
            "The quick brown fox jumps over the lazy dog",
        ] {
            assert_eq!(decide(line), None, "{line}");
        }
    }

    #[test]
    fn strip_rules_keep_the_rest_of_the_line() {
        let set = RuleSet::new(Rule::builtin());
        let v = set.judge("发布日期: 2023- 03- 07 16: 31 信息来源: 省计生协 字体:[ ]");
        assert_eq!(v.text.unwrap().trim(), "发布日期: 2023- 03- 07 16: 31 信息来源: 省计生协");
        assert_eq!(v.stripped[0].0, "font-controls");
    }

    #[test]
    fn gates_are_read_from_the_pattern() {
        let gate = |p: &str| Gate::of(p);
        let g = gate(r"^(?:上一篇|下一篇)\s*[:：]?");
        assert_eq!(g.first, Some(vec!['上', '下']));
        assert_eq!((g.min_len, g.max_len, g.last), (9, None, None));
        let g = gate(r"^(?:首页|返回顶部)$");
        assert_eq!(g.max_len, Some(12));
        assert_eq!(g.last, Some(vec!['部', '页']));
        assert_eq!(gate(r"(?i)^[^\p{Han}]*(?:src|href)\s*=\s*x").needs.as_deref(), Some("="));
        // Unanchored, or too many first characters to list: the gate stays open.
        let open = gate(r"[\p{Han}]{2,}广告");
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
            for rule in Rule::builtin() {
                if rule.regex.is_match(&line) {
                    proptest::prop_assert!(rule.gate.admits(&line, first, last), "{} hides {line:?}", rule.name);
                }
            }
        }
    }

    /// Lines some built-in rule matches, and near misses.
    const SAMPLES: &[&str] = &[
        "首页", "English", "当前位置: 首页 > 新闻", "首页 > 工作动态 > 正文", "字体:[大 中 小]", "打印本页 关闭窗口",
        "【纠错】", "浏览次数: 120", "点击上方蓝字关注我们", "微信订阅", "Click to see more", "阅读原文",
        "扫一扫在手机打开当前页", "下载人民日报客户端", "温馨提示:请收藏", "版权所有 © 2023", "京ICP备12345号",
        "未经授权不得转载", "加载中", "原标题:文章", "IP属地:广东", "发布人:a IP: 1.2.3.4", "IP: 124.223.189.1 来自",
        "举报/删稿", "点赞 12 转发 3", "我来说两句", "全文……【详细】", "1.5x", "00:12 / 03:40", "彩票开户送",
        "<div class=\"a\">", "style=\"width:10px\" />", "var a = 1;", "photo 1.JPG", "IMG_001.jpeg", "03",
        "PART 2", "A", "阅读全文", "编辑推荐", "上一篇:新闻", "相关新闻", "分享到:", "上一页 1 2 下一页",
        "Advertisement", "Photo: Reuters", "Sign up for our newsletter", "Related stories", "(厦门市计划生育协会)",
        "来源:新华社", "作者:张三", "责任编辑:李四", "标题:工作要点", "The quick brown fox.", "会议指出,要加强领导。",
    ];
}
