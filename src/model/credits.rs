//! Credit lines read into roles and names: `责任编辑：张三 审核：李四` →
//! (责任编辑, 张三), (审核, 李四).

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// One credit of the people who made an article: a role as printed and a name.
///
/// ```
/// use report_scraper::model::Credit;
/// let credits = Credit::parse("责任编辑：张三 审核：李四、王五");
/// let pairs: Vec<(Option<&str>, &str)> = credits.iter().map(|c| (c.role.as_deref(), c.name.as_str())).collect();
/// assert_eq!(pairs, [(Some("责任编辑"), "张三"), (Some("审核"), "李四"), (Some("审核"), "王五")]);
///
/// let c = &Credit::parse("Edited by Jane Smith")[0];
/// assert_eq!((c.role.as_deref(), c.name.as_str()), (Some("Edited by"), "Jane Smith"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Credit {
    /// The role as the page prints it (`编辑`, `责任编辑`, `审核`, `Edited by`);
    /// `None` when the line names no role this crate knows.
    pub role: Option<String>,
    /// Who: one person or body.
    pub name: String,
}

impl Credit {
    /// Makes a credit.
    ///
    /// ```
    /// let c = report_scraper::model::Credit::new(Some("编辑"), "康晓杰");
    /// assert_eq!(c.name, "康晓杰");
    /// ```
    pub fn new(role: Option<&str>, name: impl Into<String>) -> Self {
        Self { role: role.map(str::to_string), name: name.into() }
    }

    /// The credits a printed credit line holds, one per name, in order. A
    /// line naming no known role is one credit without a role; an empty
    /// line is none.
    pub fn parse(line: &str) -> Vec<Credit> {
        parse(line)
    }
}

/// Roles printed on Chinese pages, longest first where one ends another
/// (`责任编辑` before `编辑`), so the whole role is read.
const HAN_ROLES: &[&str] = &[
    "责任编辑",
    "执行编辑",
    "值班编辑",
    "特约编辑",
    "新媒体编辑",
    "副主编",
    "总监制",
    "责编",
    "编辑",
    "主编",
    "编审",
    "校审",
    "审核",
    "审校",
    "审读",
    "审签",
    "审定",
    "终审",
    "初审",
    "复审",
    "三审",
    "二审",
    "一审",
    "策划",
    "校对",
    "监制",
    "排版",
    "统筹",
    "美编",
    "制作",
    "设计",
    "摄影",
    "摄像",
    "图片",
    "文字",
    "视频",
    "撰稿",
    "出品",
    "翻译",
];

/// Roles printed on English pages: `Edited by Jane Smith`, `Photo: Li Wei`.
const LATIN_ROLES: &[&str] = &[
    "additional reporting by",
    "fact-checked by",
    "illustrations? by",
    "photography by",
    "photos? by",
    "produced by",
    "reviewed by",
    "translated by",
    "edited by",
    "editing by",
    "editor",
    "photos?",
];

/// A role where a credit starts: at the line's start or after a separator,
/// followed by its own separator (a colon, a bar, a slash or a space).
static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    let han = HAN_ROLES.join("|");
    let latin = LATIN_ROLES.join("|");
    Regex::new(&format!(r"(?:^|[\s|｜丨/、,，;；【\[（(])((?:{han})|(?i:{latin}))\s*(?:[:：|｜丨/]|\s)\s*"))
        .expect("valid role pattern")
});

/// The credits of one printed line, one per name (see [`Credit::parse`]).
pub(crate) fn parse(line: &str) -> Vec<Credit> {
    let line = line.trim();
    let roles: Vec<(usize, usize, &str)> = ROLE
        .captures_iter(line)
        .filter_map(|c| Some((c.get(0)?.start(), c.get(0)?.end(), c.get(1)?.as_str())))
        .collect();
    if roles.is_empty() {
        return names(line).into_iter().map(|n| Credit::new(None, n)).collect();
    }
    let mut out = Vec::new();
    for (i, &(_, value_start, role)) in roles.iter().enumerate() {
        let value_end = roles.get(i + 1).map_or(line.len(), |next| next.0);
        let value = line.get(value_start..value_end).unwrap_or_default();
        out.extend(names(value).into_iter().map(|n| Credit::new(Some(role), n)));
    }
    out
}

/// The names of a credit's value: Chinese names are split at spaces and
/// list marks, Latin ones only at commas, `and` and `&` (a Latin name holds spaces).
fn names(value: &str) -> Vec<String> {
    let value = value.trim_matches(|c: char| c.is_whitespace() || "|｜丨/:：,，;；、()（）[]【】".contains(c));
    let han = value.chars().any(crate::text::is_cjk);
    let parts: Vec<&str> = if han {
        value.split(|c: char| c.is_whitespace() || "、,，;；/".contains(c)).collect()
    } else {
        value.split([',', ';', '&']).flat_map(|p| p.split(" and ")).collect()
    };
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(line: &str) -> Vec<(Option<String>, String)> {
        parse(line).into_iter().map(|c| (c.role, c.name)).collect()
    }

    fn credit(role: &str, name: &str) -> (Option<String>, String) {
        (Some(role.to_string()), name.to_string())
    }

    #[test]
    fn one_role_one_name() {
        assert_eq!(pairs("编辑 | 康晓杰"), [credit("编辑", "康晓杰")]);
        assert_eq!(pairs("责任编辑：张三"), [credit("责任编辑", "张三")]);
        assert_eq!(pairs("【责任编辑：王宁】"), [credit("责任编辑", "王宁")]);
    }

    #[test]
    fn several_roles_on_a_line() {
        assert_eq!(
            pairs("编辑：李琪 校审：张清 审核：王燕"),
            [credit("编辑", "李琪"), credit("校审", "张清"), credit("审核", "王燕")]
        );
        assert_eq!(pairs("文字/王明 图片/李华"), [credit("文字", "王明"), credit("图片", "李华")]);
    }

    #[test]
    fn several_names_for_one_role() {
        assert_eq!(pairs("策划：王建宏 张文攀"), [credit("策划", "王建宏"), credit("策划", "张文攀")]);
        assert_eq!(
            pairs("Edited by Jane Smith and John Doe"),
            [credit("Edited by", "Jane Smith"), credit("Edited by", "John Doe")]
        );
    }

    #[test]
    fn a_role_inside_a_word_is_not_a_role() {
        // 编辑部 is a department, not the role 编辑 followed by a name.
        assert_eq!(pairs("本网编辑部"), [(None, "本网编辑部".to_string())]);
    }

    #[test]
    fn no_role_and_empty_lines() {
        assert_eq!(pairs("康晓杰"), [(None, "康晓杰".to_string())]);
        assert!(pairs("").is_empty());
        assert!(pairs("编辑：").is_empty());
    }
}
