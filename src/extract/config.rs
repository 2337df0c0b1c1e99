//! The extractor's configuration: built once, passed to
//! [`Extractor::new`](super::Extractor::new), read back with
//! [`Extractor::config`](super::Extractor::config).
//!
//! The crate configures its three workers (extractor, fetcher, crawler) one
//! way: an immutable `…Config` made by its builder, whose setters carry the
//! docs; the getters read it back and link to them.

use crate::clean::rules::Rule;

/// Pages (and texts) larger than this are refused unless the configuration raises the cap.
pub const DEFAULT_MAX_BYTES: usize = 32 * 1024 * 1024;

/// How an [`Extractor`](super::Extractor) extracts: the rules it applies and
/// the largest input it takes. Made with [`ExtractConfig::builder`]; the
/// default is the built-in rules and [`DEFAULT_MAX_BYTES`].
///
/// ```
/// use report_scraper::{ExtractConfig, Extractor};
/// let ex = Extractor::new(ExtractConfig::builder().max_bytes(1 << 20).disable_rules(["share-bar"]).build())?;
/// assert_eq!(ex.config().max_bytes(), 1 << 20);
/// assert_eq!(ex.config().disabled_rules(), ["share-bar"]);
/// assert!(ex.config().builtin_rules());
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ExtractConfig {
    pub(crate) rules: Vec<Rule>,
    pub(crate) disabled: Vec<String>,
    builtin_rules: bool,
    max_bytes: usize,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        ExtractConfig { rules: Vec::new(), disabled: Vec::new(), builtin_rules: true, max_bytes: DEFAULT_MAX_BYTES }
    }
}

impl ExtractConfig {
    /// Starts a configuration from the defaults.
    pub fn builder() -> ExtractConfigBuilder {
        ExtractConfigBuilder::default()
    }

    /// The user's rules, in the order they are tried (see [`ExtractConfigBuilder::rule`]).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rules switched off by name (see [`ExtractConfigBuilder::disable_rule`]).
    pub fn disabled_rules(&self) -> &[String] {
        &self.disabled
    }

    /// Whether the built-in rules apply (see [`ExtractConfigBuilder::builtin_rules`]).
    pub fn builtin_rules(&self) -> bool {
        self.builtin_rules
    }

    /// The size cap on inputs, in bytes (see [`ExtractConfigBuilder::max_bytes`]).
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }
}

/// Makes an [`ExtractConfig`]. Every setting is documented here, with its effect.
///
/// ```
/// use report_scraper::{ExtractConfig, Extractor};
/// let ex = Extractor::new(ExtractConfig::builder().max_bytes(1024).build())?;
/// assert!(ex.extract(&vec![b'a'; 2048], None).is_err());
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ExtractConfigBuilder {
    config: ExtractConfig,
}

impl ExtractConfigBuilder {
    /// Adds a rule; the user's rules are tried before the built-in ones.
    ///
    /// ```
    /// use report_scraper::{ExtractConfig, Extractor, Input, rules::{Action, Rule}};
    /// let ex = Extractor::new(ExtractConfig::builder().rule(Rule::new("house-ad", Action::DropLine, "^本站热线")?).build())?;
    /// let page = ex.page(Input::text("第一段正文,讲述会议召开的情况。\n本站热线:12345\n第二段正文,讲述会议部署的任务。"))?;
    /// assert_eq!(page.text(), "第一段正文,讲述会议召开的情况。\n第二段正文,讲述会议部署的任务。");
    /// assert!(page.removed.iter().any(|r| r.rule == "house-ad" && r.text == "本站热线:12345"));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn rule(mut self, rule: Rule) -> Self {
        self.config.rules.push(rule);
        self
    }

    /// Adds rules, in order (a file of them read with [`Rule::parse_list`]).
    ///
    /// ```
    /// use report_scraper::{ExtractConfig, rules::Rule};
    /// let rules = Rule::parse_list("house-ad drop ^本站热线\nhouse-qr drop ^扫码关注本站")?;
    /// let config = ExtractConfig::builder().rules(rules).build();
    /// assert_eq!(config.rules().iter().map(Rule::name).collect::<Vec<_>>(), ["house-ad", "house-qr"]);
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn rules(mut self, rules: impl IntoIterator<Item = Rule>) -> Self {
        self.config.rules.extend(rules);
        self
    }

    /// Switches off a rule by name: a built-in one (see [`Rule::names`]) or
    /// one added with [`rule`](Self::rule). [`Extractor::new`](super::Extractor::new)
    /// refuses a name no rule has.
    ///
    /// ```
    /// use report_scraper::{ExtractConfig, Extractor, Input};
    /// let text = "第一段正文,讲述会议召开的情况。\n扫一扫在手机打开当前页\n第二段正文,讲述会议部署的任务。";
    /// let ex = Extractor::new(ExtractConfig::builder().disable_rule("mobile-qr").build())?;
    /// assert!(ex.page(Input::text(text))?.text().contains("扫一扫"));
    /// assert!(Extractor::new(ExtractConfig::builder().disable_rule("mobile-qrr").build()).is_err());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn disable_rule(mut self, name: impl Into<String>) -> Self {
        self.config.disabled.push(name.into());
        self
    }

    /// Switches off rules by name, as [`disable_rule`](Self::disable_rule) does one.
    ///
    /// ```
    /// let config = report_scraper::ExtractConfig::builder().disable_rules(["mobile-qr", "share-bar"]).build();
    /// assert_eq!(config.disabled_rules(), ["mobile-qr", "share-bar"]);
    /// ```
    pub fn disable_rules(mut self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.config.disabled.extend(names.into_iter().map(Into::into));
        self
    }

    /// Whether the built-in rules apply (default true); off, only the
    /// rules added with [`rule`](Self::rule) do.
    ///
    /// ```
    /// use report_scraper::{ExtractConfig, Extractor, Input};
    /// let ex = Extractor::new(ExtractConfig::builder().builtin_rules(false).build())?;
    /// let page = ex.page(Input::text("第一段正文,讲述会议召开的情况。\n点赞\n第二段正文,讲述会议部署的任务。"))?;
    /// assert!(page.text().contains("点赞"));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn builtin_rules(mut self, on: bool) -> Self {
        self.config.builtin_rules = on;
        self
    }

    /// Refuses inputs larger than `bytes`, HTML or text (default [`DEFAULT_MAX_BYTES`]).
    ///
    /// ```
    /// use report_scraper::{ErrorKind, ExtractConfig, Extractor};
    /// let ex = Extractor::new(ExtractConfig::builder().max_bytes(10).build())?;
    /// let err = ex.extract(b"<p>0123456789 0123456789</p>", None).unwrap_err();
    /// assert!(matches!(err.kind(), ErrorKind::TooLarge { .. }));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn max_bytes(mut self, bytes: usize) -> Self {
        self.config.max_bytes = bytes;
        self
    }

    /// The configuration.
    pub fn build(self) -> ExtractConfig {
        self.config
    }
}
