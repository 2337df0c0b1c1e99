//! Named rules (data in `rules/noise.rules`) and the engine that applies them to lines.
//!
//! Every removal the cleaner makes names a rule: the pattern rules of the
//! rules file (built in, or the user's own), and the few removals the
//! pipeline makes by the page's structure ([`PIPELINE_RULES`]), which are
//! named and listed the same way.

mod gate;

use std::sync::LazyLock;

use regex::Regex;

pub(crate) use gate::Gate;

use crate::error::{Error, ErrorKind};

/// The built-in rules, one a line; see the file's header for the format.
const BUILTIN: &str = include_str!("../../../rules/noise.rules");

/// Lines outside the element (or run of text) that holds the article.
pub(crate) const OUTSIDE_ARTICLE: &str = "outside-article";
/// Lines made mostly of links: menus, lists of other articles.
pub(crate) const LINK_LIST: &str = "link-list";
/// Short lines repeated, or any line seen three times (gallery credits, carousel captions).
pub(crate) const DUPLICATE_LINE: &str = "duplicate-line";
/// The byline under the headline, whose fields went into the metadata.
pub(crate) const BYLINE: &str = "byline";
/// A summary box above the body that repeats the body's opening.
pub(crate) const SUMMARY_REPEAT: &str = "summary-repeat";
/// A call to log in, subscribe or pay where the body stops early: the article's truncation.
pub(crate) const PAYWALL_GATE: &str = "paywall-gate";

/// Removals the pipeline makes by the page's structure rather than by a
/// pattern, with what each takes out.
pub(crate) const PIPELINE_RULES: &[(&str, &str)] = &[
    (OUTSIDE_ARTICLE, "lines outside the element (or the run of text) that holds the article"),
    (LINK_LIST, "lines made mostly of links: menus, lists of other articles"),
    (DUPLICATE_LINE, "a short line seen before, or any line seen twice before: gallery credits, captions"),
    (BYLINE, "the line under the headline whose fields (date, source, author) went into the metadata"),
    (SUMMARY_REPEAT, "a summary box at the body's top (摘要, a CMS's description) whose text the body repeats"),
    (
        PAYWALL_GATE,
        "a short call to log in, subscribe, pay or open an app where the body stops early (reported as truncation)",
    ),
];

/// What a rule does to a line it matches. Each action's meaning is
/// written here once; the rules file's header says the same.
///
/// ```
/// use report_scraper::rules::Action;
/// assert_eq!("tail".parse::<Action>()?, Action::DropRest);
/// assert!("shout".parse::<Action>().is_err());
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// `drop`: remove the whole line.
    DropLine,
    /// `strip`: remove only the matched text, keep the rest of the line.
    Strip,
    /// `tail`: remove the line and everything after it, once article text
    /// was seen; with more article text after it than before, only the
    /// line and the short lines after it, up to the next paragraph (a box
    /// inside the article).
    DropRest,
    /// `box`: remove the line and the short lines after it, up to the next
    /// paragraph, wherever it stands: a heading that announces other
    /// content (`Lesen Sie auch`, `Leggi anche`), whose story may go on after it.
    DropBox,
    /// `source`: the first capture group is the article's source; the line is removed.
    Source,
    /// `author`: the first capture group is the author; the line is removed.
    Author,
    /// `editor`: the line is an editing credit, kept in `editors` and removed from the body.
    Editor,
    /// `title`: the first capture group is the headline; the line is removed.
    Title,
    /// `paywall`: the match is a paywall stub, cut out of its line and
    /// reported in `truncated`; the named groups `total`, `shown` and
    /// `omitted` carry the counts it prints.
    Paywall,
}

/// The actions by their names in the rules file.
const ACTIONS: &[(&str, Action)] = &[
    ("drop", Action::DropLine),
    ("strip", Action::Strip),
    ("tail", Action::DropRest),
    ("box", Action::DropBox),
    ("source", Action::Source),
    ("author", Action::Author),
    ("editor", Action::Editor),
    ("title", Action::Title),
    ("paywall", Action::Paywall),
];

impl std::str::FromStr for Action {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        ACTIONS
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, action)| *action)
            .ok_or_else(|| Error::new(ErrorKind::Invalid { what: "rule action", value: s.to_string() }))
    }
}

/// A named pattern with an action: the unit of cleaning.
///
/// ```
/// use report_scraper::rules::{Action, Rule};
/// let rule = Rule::new("my-ad", Action::DropLine, r"^本站广告")?;
/// assert_eq!(rule.name(), "my-ad");
/// assert!(Rule::new("broken", Action::DropLine, "(").is_err());
/// # Ok::<(), report_scraper::Error>(())
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
    /// let r = report_scraper::rules::Rule::new("promo", report_scraper::rules::Action::Strip, "【广告】")?;
    /// assert_eq!(r.action(), report_scraper::rules::Action::Strip);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::BadPattern`] when the pattern is not a valid regex.
    pub fn new(name: &str, action: Action, pattern: &str) -> Result<Rule, Error> {
        let regex = Regex::new(pattern)
            .map_err(|source| Error::new(ErrorKind::BadPattern { name: name.to_string(), source: Box::new(source) }))?;
        Ok(Rule { name: name.to_string(), action, gate: Gate::of(pattern), regex })
    }

    /// The rule's name, as reported in [`Removal::rule`](crate::model::Removal::rule).
    ///
    /// ```
    /// assert!(report_scraper::rules::Rule::builtin().iter().any(|r| r.name() == "wechat-follow"));
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the rule does.
    ///
    /// ```
    /// let r = report_scraper::rules::Rule::builtin().into_iter().find(|r| r.name() == "prev-next").unwrap();
    /// assert_eq!(r.action(), report_scraper::rules::Action::DropRest);
    /// ```
    pub fn action(&self) -> Action {
        self.action
    }

    /// The pattern's source text.
    ///
    /// ```
    /// let r = report_scraper::rules::Rule::new("x", report_scraper::rules::Action::DropLine, "^a$")?;
    /// assert_eq!(r.pattern(), "^a$");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn pattern(&self) -> &str {
        self.regex.as_str()
    }

    /// The built-in pattern rules, in the order they are applied.
    ///
    /// ```
    /// assert!(report_scraper::rules::Rule::builtin().len() > 30);
    /// ```
    pub fn builtin() -> Vec<Rule> {
        BUILTIN_RULES.clone()
    }

    /// The name of every built-in rule a removal can report: the pattern
    /// rules of the rules file, then those the pipeline applies by the
    /// page's structure (`outside-article`, `link-list`, `duplicate-line`,
    /// `byline`).
    ///
    /// ```
    /// let names: Vec<&str> = report_scraper::rules::Rule::names().collect();
    /// assert!(names.contains(&"wechat-follow") && names.contains(&"paywall-omitted"));
    /// assert!(names.contains(&"outside-article") && names.contains(&"duplicate-line"));
    /// ```
    pub fn names() -> impl Iterator<Item = &'static str> {
        BUILTIN_RULES.iter().map(|r| r.name.as_str()).chain(PIPELINE_RULES.iter().map(|(name, _)| *name))
    }

    /// Parses rules in the format of the built-in file (`NAME ACTION PATTERN`,
    /// `#` comments), so users can keep their own rules in a file.
    ///
    /// ```
    /// let rules = report_scraper::rules::Rule::parse_list("# mine\nmy-ad  drop  ^广告$\n")?;
    /// assert_eq!(rules[0].name(), "my-ad");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Invalid`] for an unknown action, [`ErrorKind::BadPattern`]
    /// for a pattern that does not compile: the first line that fails.
    pub fn parse_list(text: &str) -> Result<Vec<Rule>, Error> {
        rows(text)
            .map(|(_, name, action, pattern)| {
                // `ACTION:N`: the rule looks only at lines of at most N bytes.
                let (action, cap) = match action.split_once(':') {
                    Some((a, n)) => (a, Some(n.parse::<usize>().map_err(|_| invalid_cap(name, n))?)),
                    None => (action, None),
                };
                let rule = Rule::new(name, action.parse()?, pattern)?;
                Ok(match cap {
                    Some(bytes) => rule.max_len(bytes),
                    None => rule,
                })
            })
            .collect()
    }

    /// The same rule, looking only at lines of at most `bytes` bytes: a
    /// bound on a line's length that costs nothing, where `^.{0,N}…$` in
    /// the pattern would cost the regex engine dearly. In a rules file,
    /// `ACTION:N`.
    ///
    /// ```
    /// use report_scraper::rules::{Action, Rule};
    /// let r = Rule::new("promo", Action::DropLine, "(?i)subscribe.*newsletter")?.max_len(60);
    /// let rules = Rule::parse_list("promo  drop:60  (?i)subscribe.*newsletter")?;
    /// assert_eq!(rules[0].name(), r.name());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    #[must_use]
    pub fn max_len(mut self, bytes: usize) -> Rule {
        self.gate = self.gate.capped(bytes);
        self
    }
}

/// The rows of a rules file (`rules/noise.rules`, `rules/gates.txt`): each
/// line's number (from 1), first word, second word and the rest (the
/// pattern, spaces and all), blank lines and `#` notes left out. A missing
/// field is empty.
pub(crate) fn rows(text: &str) -> impl Iterator<Item = (usize, &str, &str, &str)> {
    text.lines().enumerate().map(|(n, l)| (n + 1, l.trim())).filter(|(_, l)| !l.is_empty() && !l.starts_with('#')).map(
        |(n, line)| {
            let (first, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let (second, rest) = rest.trim_start().split_once(char::is_whitespace).unwrap_or((rest, ""));
            (n, first, second, rest.trim())
        },
    )
}

fn invalid_cap(name: &str, cap: &str) -> Error {
    Error::new(ErrorKind::Invalid {
        what: "rule line length",
        value: format!("{name}: the line length after ':' must be a number of bytes, not {cap:?}"),
    })
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
    /// The first `strip` rule that changed the line.
    pub stripped_by: Option<&'r str>,
    /// The deciding rule and its capture, if any rule other than `strip` matched.
    pub decision: Option<(&'r Rule, Option<String>)>,
}

/// A compiled rule set: the line rules tried in order, the paywall rules
/// apart (they cut lines before the line rules judge them), and which of
/// the pipeline's own removals are on.
///
/// Each rule is matched on its own: small anchored patterns run on the lazy
/// DFA and fail fast, where one `RegexSet` of them all fell back to the
/// PikeVM and took half of the extraction time.
#[derive(Debug, Clone)]
pub(crate) struct RuleSet {
    lines: Vec<Rule>,
    paywalls: Vec<Rule>,
    /// Pipeline rules switched off by the user.
    off: Vec<&'static str>,
}

impl RuleSet {
    /// The user's rules (tried first), then the built-in ones if wanted,
    /// minus those switched off by name.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownRule`] for a name no rule has, [`ErrorKind::FixedRule`]
    /// for `outside-article`, which extraction cannot do without.
    pub(crate) fn new(user: Vec<Rule>, builtin: bool, disabled: &[String]) -> Result<RuleSet, Error> {
        for name in disabled {
            let known = user.iter().any(|r| &r.name == name) || Rule::names().any(|n| n == name);
            if !known {
                return Err(Error::new(ErrorKind::UnknownRule { name: name.clone() }));
            }
            if name == OUTSIDE_ARTICLE {
                return Err(Error::new(ErrorKind::FixedRule { name: name.clone() }));
            }
        }
        let builtin = if builtin { Rule::builtin() } else { Vec::new() };
        let (paywalls, lines) = user
            .into_iter()
            .chain(builtin)
            .filter(|r| !disabled.contains(&r.name))
            .partition(|r| r.action == Action::Paywall);
        let off = PIPELINE_RULES.iter().map(|(n, _)| *n).filter(|n| disabled.iter().any(|d| d == n)).collect();
        Ok(RuleSet { lines, paywalls, off })
    }

    /// Whether one of the pipeline's own removals is on.
    pub(crate) fn applies(&self, pipeline_rule: &str) -> bool {
        !self.off.contains(&pipeline_rule)
    }

    /// The paywall rules, in order.
    pub(crate) fn paywalls(&self) -> &[Rule] {
        &self.paywalls
    }

    /// Every rule in the set, paywalls first (for listing).
    pub(crate) fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.paywalls.iter().chain(&self.lines)
    }

    /// Runs the line rules on `line`: every `strip` rule that matches, then
    /// the first other rule that matches what is left decides.
    pub(crate) fn judge(&self, line: &str) -> Verdict<'_> {
        let (first, last) = (line.chars().next(), line.chars().next_back());
        let mut hits =
            self.lines.iter().filter(|r| r.gate.admits(line, first, last) && r.regex.is_match(line)).peekable();
        if hits.peek().is_none() {
            return Verdict::default();
        }
        let mut text = line.to_string();
        let mut stripped_by = None;
        let mut stripped = Vec::new();
        for rule in hits {
            if rule.action == Action::Strip {
                let before = text.clone();
                let cut: Vec<String> = rule.regex.find_iter(&before).map(|m| m.as_str().to_string()).collect();
                text = rule.regex.replace_all(&before, "").into_owned();
                stripped_by = stripped_by.or(Some(rule.name.as_str()));
                stripped.extend(cut.into_iter().filter(|c| !c.trim().is_empty()).map(|c| (rule.name.as_str(), c)));
                continue;
            }
            // Rules are judged on the line after stripping, so `字体:[ ]` does not hide a byline.
            if let Some(c) = rule.regex.captures(text.trim()) {
                let capture = c.get(1).map(|m| m.as_str().trim().to_string());
                let text = stripped_by.map(|_| text);
                return Verdict { text, stripped, stripped_by, decision: Some((rule, capture)) };
            }
        }
        Verdict { text: stripped_by.map(|_| text), stripped, stripped_by, decision: None }
    }
}

impl Rule {
    /// Whether the rule can match `line`: the gate first, then the pattern.
    pub(crate) fn is_match(&self, line: &str) -> bool {
        self.gate.admits_line(line) && self.regex.is_match(line)
    }

    pub(crate) fn regex(&self) -> &Regex {
        &self.regex
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> RuleSet {
        RuleSet::new(Vec::new(), true, &[]).unwrap()
    }

    fn decide(line: &str) -> Option<String> {
        builtin().judge(line).decision.map(|(r, _)| r.name.clone())
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
            ("微信扫一扫", "wechat-subscribe"),
            ("关注该公众号", "wechat-subscribe"),
            (
                "打开微信,点击底部的“通讯录”,点击右上角的 “添加” 搜号码 lifechina1981 或查找公众号 人生网 即可。",
                "wechat-howto",
            ),
            ("(厦门市计划生育协会)", "closing-source"),
            ("本文来源:广东省计生协", "source-line"),
            ("作者:刘均刚 山东省计生协会长", "author-line"),
            ("□本报记者 陈才源", "author-line"),
            ("编辑 | 康晓杰", "editor-line"),
            ("策划 | 王菲菲 崔晨", "editor-line"),
            ("Edited by Tom Baker", "editor-line-en"),
            ("Reviewed by Jane Smith and John Doe", "editor-line-en"),
            ("39健康网(www.39.net)专稿,未经书面授权请勿转载。", "reprint-notice"),
            ("阅读剩余全文（）", "read-more-stub"),
            ("值班总编推荐", "recommend-box"),
            ("调查问题加载中,请稍候。", "loading-ui"),
            ("drukuj", "ui-furniture"),
            ("Teilen", "ui-furniture"),
            ("weiterlesen", "ui-furniture"),
            ("Quellen ausblenden", "sources-toggle"),
            ("Show sources", "sources-toggle"),
            ("Follow The Gleaner on Twitter and Instagram @JamaicaGleaner", "follow-us"),
            ("Folgen Sie uns auf Facebook", "follow-us"),
            (
                "Follow The Gleaner on Twitter and Instagram @JamaicaGleaner and on Facebook @GleanerJamaica",
                "follow-us",
            ),
            ("Lesen Sie auch die folgenden Beiträge:", "more-on"),
            ("weiterlesen 5 Minuten", "ui-furniture"),
            ("Read more · 4 min read", "ui-furniture"),
            (
                "Follow The Gleaner on Twitter and Instagram @JamaicaGleaner and on Facebook @GleanerJamaica. \
                 Send us a message on WhatsApp at 1-876-499-0169 or email us at onlinefeedback@gleanerjm.com.",
                "follow-us",
            ),
            ("¡Mira lo que tiene nuestro canal de YouTube!", "channel-promo"),
            ("Besuchen Sie auch unseren Kanal auf YouTube", "channel-promo"),
            (
                "Lust auf mehr? Lass dir die besten Storys von Refinery29 Deutschland jede Woche in deinen \
                 Posteingang liefern. Melde dich hier für unseren Newsletter an!",
                "newsletter-promo",
            ),
            ("Sign up for our weekly newsletter to get the best stories in your inbox.", "newsletter-promo"),
            ("Suscríbete a nuestro boletín y recibe las noticias más importantes.", "newsletter-promo"),
            ("Anzeige, enthält Affiliate Links", "ad-disclosure"),
            ("Werbung", "ad-disclosure"),
            ("*Sponsored*", "ad-disclosure"),
            ("Beitragsbild: Titelseite der FAZ vom 2.4.2019, Ausriss.", "image-credit"),
            ("Tags", "en-furniture"),
            ("Lo Último", "more-on"),
            ("Meistgelesen", "more-on"),
            ("Auch auf gofeminin.de", "more-on"),
            ("Mehr auf spiegel.de", "more-on"),
            ("Alles über nachhaltige Wanderschuhe findest Du hier.", "pointer-line"),
            ("Weitere Rezepte für den Sommer gibt es hier!", "pointer-line"),
            (
                "Czytasz właśnie nowy rodzaj materiału na naszym portalu. W krótki sposób informujemy Cię o tym, \
                 co ważne z perspektywy naszych priorytetów. Wesprzyj nas darowizną i pomóż nam rozwijać portal.",
                "donation-appeal",
            ),
            ("If you value our reporting, please support us with a donation of any size.", "donation-appeal"),
            ("Like recipe? Add the ingredients to your basket and deliver to you.", "shop-cta"),
            ("In den Warenkorb", "shop-cta"),
            ("Kontakt:", "contact-box"),
            ("Pressekontakt", "contact-box"),
            ("Zusatzinformationen:", "sources-box"),
            ("Quellen", "sources-box"),
            ("References", "sources-box"),
            (
                "Deprecated: Assigning the return value of new by reference is deprecated in /www/htdocs/w0094d70/wp-includes/cache.php on line 36",
                "php-error",
            ),
            ("Warning: mysql_connect(): Too many connections in /data/www/include/db.php on line 12", "php-error"),
            ("你可能還想看", "related-you"),
            ("您可能感兴趣的文章：", "related-you"),
            ("楼盘名称：翠湖御景 参考均价：13800元/㎡", "listing-ad"),
            ("售楼热线：400-810-6688转3021", "listing-ad"),
            ("开盘时间：2024年6月 主力户型：89-128㎡", "listing-ad"),
            ("参考价格：约2.1万元/平米", "listing-ad"),
            ("查房价、看户型、领优惠，尽在某某房产网", "listing-cta"),
            ("【免费看房】看房团每周六发车，报名电话：0771-5566789", "listing-cta"),
            ("MIRA: Madre se acerca a conocer los motivos de captura de su hijo", "teaser-line"),
            ("ALSO READ | Serena donates signed dress to Australian bushfire appeal", "teaser-line"),
            ("Lire aussi : La réforme des retraites devant le Conseil", "teaser-line"),
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
            "Teilen ist einfach, wenn man genug hat.",
            "Zobacz [więcej] w raporcie rocznym na stronie fundacji.",
            "Following the vote, the party said on Twitter that it would appeal.",
            "Die Quellen zeigen, dass die Stadt früher größer war.",
            "Lee: We never expected the council to agree so quickly.",
            "Lesen Sie auch, was die Ministerin dazu sagt, bevor Sie urteilen.",
            "Read more about the council's plans in the report published on Monday.",
            "Der Newsletter-Markt in Deutschland wächst seit Jahren, sagen Verlage.",
            "Our channel partners on YouTube reported a sharp drop in revenue last quarter, the company said.",
            "Die Anzeige erschien am Montag in drei Tageszeitungen.",
            "Werbung für Tabak ist in Deutschland weitgehend verboten.",
            "Weiterlesen lohnt sich, denn im zweiten Teil wird es spannend.",
            "Hier geht’s zur Facebook Veranstaltung",
            "Die Tags werden länger, die Nächte kürzer.",
            "Lo último que supimos del ministro fue su renuncia al cargo el lunes por la tarde.",
            "Die Stadt bittet um Spenden für die Opfer des Hochwassers, sagte der Bürgermeister.",
            "The charity said donations had fallen sharply, and asked readers to support its appeal.",
            "Einen Parkplatz gibt es hier nicht.",
            "Mehr auf Seite 3 der Zeitung.",
            "Add the flour to the bowl and stir until smooth.",
            "Kontakt: Jan Koch, Telefon 040 490711",
            "Kontakt",
            "Quellen zufolge hat die Regierung den Plan aufgegeben.",
            "Warning: the bridge will close in March, the city said in a notice on line 3 of its website.",
            "你可能还想看看这份报告的全文，它会告诉你更多。",
            // A notice's own labels and prices sell nothing; a sentence about a listing is news.
            "楼面地价：3000元/平方米",
            "成交价：19608万元",
            "宗地编号：XC2024-07",
            "报名电话：0771-5566789",
            "猪肉均价：26.5元/公斤",
            "中标单价：1200元/台",
            "据统计，5月该楼盘均价：13800元/㎡，环比上涨3%。",
            "市民可通过住建局网站查房价、查备案信息，了解楼盘的真实成交情况。",
        ] {
            assert_eq!(decide(line), None, "{line}");
        }
    }

    #[test]
    fn strip_rules_keep_the_rest_of_the_line() {
        let set = builtin();
        let v = set.judge("发布日期: 2023- 03- 07 16: 31 信息来源: 省计生协 字体:[ ]");
        assert_eq!(v.text.unwrap().trim(), "发布日期: 2023- 03- 07 16: 31 信息来源: 省计生协");
        assert_eq!(v.stripped[0].0, "font-controls");
        // A bracketed "more" link at a paragraph's end, in any language the rule lists.
        for (line, kept) in [
            (
                "Głos w obronie Fundacji zabrała również Akcja Katolicka. [czytaj więcej]",
                "Głos w obronie Fundacji zabrała również Akcja Katolicka.",
            ),
            (
                "Die Stadt plant einen neuen Radweg entlang des Flusses. [mehr]",
                "Die Stadt plant einen neuen Radweg entlang des Flusses.",
            ),
            ("Read the council's decision [Read More]", "Read the council's decision"),
        ] {
            let v = set.judge(line);
            assert_eq!(v.text.as_deref().map(str::trim), Some(kept), "{line}");
            assert_eq!(v.stripped[0].0, "more-link");
        }
    }

    #[test]
    fn every_pipeline_rule_is_listed_and_unknown_names_are_refused() {
        let names: Vec<&str> = Rule::names().collect();
        for (name, _) in PIPELINE_RULES {
            assert!(names.contains(name), "{name}");
        }
        let mut seen = std::collections::HashSet::new();
        assert!(names.iter().all(|n| seen.insert(*n)), "a rule name is used twice");
        let err = RuleSet::new(Vec::new(), true, &["no-such-rule".into()]).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::UnknownRule { .. }), "{err}");
        let err = RuleSet::new(Vec::new(), true, &[OUTSIDE_ARTICLE.into()]).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::FixedRule { .. }), "{err}");
        let set = RuleSet::new(Vec::new(), true, &[DUPLICATE_LINE.into(), "mobile-qr".into()]).unwrap();
        assert!(!set.applies(DUPLICATE_LINE) && set.applies(LINK_LIST));
        assert!(set.rules().all(|r| r.name() != "mobile-qr"));
    }

    #[test]
    fn paywall_rules_are_kept_apart_from_line_rules() {
        let set = builtin();
        let paywalls: Vec<&str> = set.paywalls().iter().map(Rule::name).collect();
        assert_eq!(paywalls, ["paywall-omitted", "paywall-partial", "paywall-members"]);
        assert!(decide("……(剩余1200字,登录后阅读)").is_none());
    }
}
