//! Articles written out as Markdown and as plain text: what search indexes
//! and language-model pipelines take in.

use std::fmt::Write as _;

use super::article::{Article, Block, BlockKind};
use super::page::Page;

/// Where [`Article::to_markdown`] puts the title and the metadata.
///
/// ```
/// use report_scraper::model::MetaStyle;
/// let a = report_scraper::clean_text("会议召开\n发布时间:2025-02-20 来源:省计生协\n会议在广州召开,部署任务。")?;
/// assert!(a.to_markdown(MetaStyle::FrontMatter).starts_with("---\ntitle: \"会议召开\"\n"));
/// assert!(a.to_markdown(MetaStyle::HeaderLine).starts_with("# 会议召开\n\n*2025-02-20 · 省计生协*\n"));
/// assert!(a.to_markdown(MetaStyle::None).starts_with("会议在广州召开"));
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetaStyle {
    /// A YAML front matter block (`---` … `---`) with every field that is
    /// set, then the body. Static site generators and most Markdown
    /// pipelines read it.
    #[default]
    FrontMatter,
    /// The title as a `#` heading and one italic line of date, source,
    /// author and credits, then the body: for reading.
    HeaderLine,
    /// The body alone.
    None,
}

impl Article {
    /// The article as Markdown: headings as `##`, list items as `-`, tables
    /// as pipe tables (the first row the header), captions in italics,
    /// quotes as `>`; Markdown's own characters in the text escaped.
    ///
    /// ```
    /// use report_scraper::{Extractor, Input, model::MetaStyle};
    /// let html = "<h1>2024年各县区会员发展情况</h1><p>截至2024年底,全市会员总数稳步增长,各县区情况如下表所示。</p>\
    ///   <table><tr><th>县区</th><th>会员数</th></tr><tr><td>东湖区</td><td>12000</td></tr>\
    ///   <tr><td>西湖区</td><td>9800</td></tr></table><p>下一步,各县区要继续加强基层组织建设,扩大覆盖面。</p>";
    /// let a = Extractor::default().page(Input::html_str(html))?.into_article()?;
    /// assert_eq!(
    ///     a.to_markdown(MetaStyle::None),
    ///     "截至2024年底,全市会员总数稳步增长,各县区情况如下表所示。\n\n\
    ///      | 县区 | 会员数 |\n| --- | --- |\n| 东湖区 | 12000 |\n| 西湖区 | 9800 |\n\n\
    ///      下一步,各县区要继续加强基层组织建设,扩大覆盖面。\n"
    /// );
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn to_markdown(&self, style: MetaStyle) -> String {
        let mut out = String::new();
        self.write_markdown(&mut out, style, None);
        out
    }

    /// The article as plain text: the title, a line of date and source,
    /// then one block a paragraph (captions and tables included), blank
    /// lines between them. [`text`](Self::text) is the running text alone.
    ///
    /// ```
    /// let a = report_scraper::clean_text("会议召开\n发布时间:2025-02-20 来源:省计生协\n第一段,内容。\n第二段,内容。")?;
    /// assert_eq!(a.to_plain_text(), "会议召开\n2025-02-20 · 省计生协\n\n第一段,内容。\n\n第二段,内容。\n");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn to_plain_text(&self) -> String {
        let mut out = String::new();
        let meta = self.meta_line();
        for line in self.title.iter().chain((!meta.is_empty()).then_some(&meta)) {
            out.push_str(line);
            out.push('\n');
        }
        for (i, b) in self.blocks.iter().enumerate() {
            if !out.is_empty() && !continues_list(&self.blocks, i) {
                out.push('\n');
            }
            if b.kind == BlockKind::ListItem {
                out.push_str("- ");
            }
            out.push_str(&b.text);
            out.push('\n');
        }
        out
    }

    /// Date, source, author and credits on one line, ` · ` between them.
    fn meta_line(&self) -> String {
        let date = self.published.as_ref().map(|p| p.value.to_string());
        let credits = self.editors.iter().map(|c| match &c.role {
            Some(role) => format!("{role} {}", c.name),
            None => c.name.clone(),
        });
        let parts: Vec<String> =
            date.into_iter().chain(self.source.clone()).chain(self.author.clone()).chain(credits).collect();
        parts.join(" · ")
    }

    fn write_markdown(&self, out: &mut String, style: MetaStyle, url: Option<&str>) {
        match style {
            MetaStyle::FrontMatter => self.front_matter(out, url),
            MetaStyle::HeaderLine => {
                if let Some(t) = &self.title {
                    let _ = writeln!(out, "# {}\n", escape_heading(t));
                }
                let meta = self.meta_line();
                if !meta.is_empty() {
                    let _ = writeln!(out, "*{}*\n", escape_inline(&meta));
                }
                if let Some(u) = url {
                    let _ = writeln!(out, "<{u}>\n");
                }
            }
            MetaStyle::None => {}
        }
        write_blocks(out, &self.blocks);
    }

    /// YAML front matter. Strings are written as JSON strings, which YAML
    /// reads as double-quoted scalars with the same escapes.
    fn front_matter(&self, out: &mut String, url: Option<&str>) {
        out.push_str("---\n");
        let fields = [
            ("title", self.title.as_deref()),
            ("kicker", self.kicker.as_deref()),
            ("subtitle", self.subtitle.as_deref()),
            ("url", url),
            ("source", self.source.as_deref()),
            ("author", self.author.as_deref()),
        ];
        let date = self.published.as_ref().map(|p| p.value.to_string());
        for (key, value) in fields.into_iter().chain([("published", date.as_deref())]) {
            if let Some(v) = value {
                let _ = writeln!(out, "{key}: {}", quoted(v));
            }
        }
        if !self.editors.is_empty() {
            out.push_str("editors:\n");
            for c in &self.editors {
                let role = c.role.as_deref().map_or("null".to_string(), quoted);
                let _ = writeln!(out, "  - role: {role}\n    name: {}", quoted(&c.name));
            }
        }
        if let Some(t) = &self.truncated {
            out.push_str("truncated: true\n");
            for (key, n) in [("shown_chars", t.shown_chars), ("total_chars", t.total_chars)] {
                if let Some(n) = n {
                    let _ = writeln!(out, "{key}: {n}");
                }
            }
        }
        out.push_str("---\n\n");
    }
}

impl Page {
    /// The page's articles as one Markdown document: the first with its
    /// metadata in `style` (the page's address included), each later one
    /// after a rule, with its title as a heading and its metadata line.
    ///
    /// ```
    /// use report_scraper::{Extractor, Input, model::MetaStyle};
    /// let page = Extractor::default().page(Input::text("会议召开\n会议在广州召开,部署任务。").url("https://example.cn/a.html"))?;
    /// assert!(page.to_markdown(MetaStyle::FrontMatter).contains("url: \"https://example.cn/a.html\"\n"));
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn to_markdown(&self, style: MetaStyle) -> String {
        let mut out = String::new();
        for (i, a) in self.articles.iter().enumerate() {
            if i == 0 {
                a.write_markdown(&mut out, style, self.url.as_deref());
            } else {
                out.push_str("\n---\n\n");
                let later = if style == MetaStyle::None { MetaStyle::None } else { MetaStyle::HeaderLine };
                a.write_markdown(&mut out, later, None);
            }
        }
        out
    }
}

/// Block `i` is a list item after another: no blank line between them.
fn continues_list(blocks: &[Block], i: usize) -> bool {
    let kind = |j: usize| blocks.get(j).map(|b| b.kind);
    kind(i) == Some(BlockKind::ListItem) && i.checked_sub(1).and_then(kind) == Some(BlockKind::ListItem)
}

/// The blocks, a blank line between each but between items of one list.
fn write_blocks(out: &mut String, blocks: &[Block]) {
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 && !continues_list(blocks, i) {
            out.push('\n');
        }
        match b.kind {
            BlockKind::Heading => line(out, "## ", &b.text),
            BlockKind::Paragraph => lines(out, "", &b.text),
            BlockKind::ListItem => line(out, "- ", &b.text),
            BlockKind::Quote => lines(out, "> ", &b.text),
            BlockKind::Caption => line(out, "*", &format!("{}*", escape_inline(&b.text))),
            BlockKind::Table => table(out, &b.text),
        }
    }
}

/// One line, its text escaped (captions come escaped already).
fn line(out: &mut String, prefix: &str, text: &str) {
    let flat = text.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    let body = match prefix {
        "*" => flat,
        "## " => escape_heading(&flat),
        _ => escape_line(&flat),
    };
    let _ = writeln!(out, "{prefix}{body}");
}

/// A heading's text escaped: `## a #` reads as the heading `a` with a
/// closing sequence, so trailing `#`s are escaped too.
fn escape_heading(text: &str) -> String {
    let rest = text.trim_end_matches('#');
    let hashes = text.len() - rest.len();
    escape_line(rest) + &"\\#".repeat(hashes)
}

/// Each line of a block with the prefix; lines after the first kept as hard breaks.
fn lines(out: &mut String, prefix: &str, text: &str) {
    let parts: Vec<String> = text.split('\n').map(|l| escape_line(l.trim())).filter(|l| !l.is_empty()).collect();
    for (i, l) in parts.iter().enumerate() {
        let hard_break = if i + 1 < parts.len() { "\\" } else { "" };
        let _ = writeln!(out, "{prefix}{l}{hard_break}");
    }
}

/// A pipe table: rows on lines, cells split at ` | `; the first row is the
/// header, short rows padded so every row has as many cells.
fn table(out: &mut String, text: &str) {
    let rows: Vec<Vec<String>> = text
        .split('\n')
        .filter(|r| !r.trim().is_empty())
        .map(|r| r.split(" | ").map(|c| escape_inline(c.trim()).replace('|', "\\|")).collect())
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for (i, row) in rows.iter().enumerate() {
        out.push('|');
        for c in 0..width {
            let cell = row.get(c).map_or("", String::as_str);
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
        if i == 0 {
            out.push('|');
            out.push_str(&" --- |".repeat(width));
            out.push('\n');
        }
    }
}

/// A string as YAML reads it back: a JSON string is a double-quoted scalar.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// Text with the characters that start inline Markdown escaped.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // `&` only where an entity could start (`&amp;`, `&#35;`): "A & B" stays as it is.
        let entity = c == '&' && chars.peek().is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#');
        if entity || matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line's text escaped, and a leading block marker (`1.`, `-`, `+`,
/// `#`, `>`) kept as text: `1. ` would open an ordered list.
fn escape_line(text: &str) -> String {
    let escaped = escape_inline(text);
    let digits = escaped.chars().take_while(char::is_ascii_digit).count();
    // ASCII digits are one byte each: `digits` is a byte offset too.
    if let (Some(number), Some(rest)) = (escaped.get(..digits), escaped.get(digits..))
        && digits > 0
        && (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
    {
        return format!("{number}\\{rest}");
    }
    if escaped.starts_with(['-', '+', '=', '#', '>']) {
        return format!("\\{escaped}");
    }
    escaped
}
