//! The extracted article and the pieces it is made of.

use serde::{Deserialize, Serialize};

use url::Url;

use super::credits::Credit;
use super::date::Published;
use super::link::Link;
use crate::text::measure;
use crate::tuning::{ARTICLE_MIN_LINES, ARTICLE_MIN_PUNCT, ARTICLE_MIN_UNITS};

/// A clean, dated article: what a careful editor keeps of a page.
///
/// ```
/// let article = report_scraper::clean_text("标题示例\n发布时间:2025-02-20 21:14\n正文第一段,内容。\n")?;
/// assert_eq!(article.title.as_deref(), Some("标题示例"));
/// assert_eq!(article.text(), "正文第一段,内容。");
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Article {
    /// The headline.
    pub title: Option<String>,
    /// A lead line printed above the headline (newspapers' 引题).
    pub kicker: Option<String>,
    /// A line printed below the headline (副题).
    pub subtitle: Option<String>,
    /// When the page says it was published, as precisely as the page says it.
    pub published: Option<Published>,
    /// Where the text comes from (信息来源 / 来源 / 本文来源).
    pub source: Option<String>,
    /// The name the page's own site goes by (`og:site_name`, the `<title>`'s
    /// suffix: `…_广东省计生协`); `None` in text mode. A repost credits
    /// its original's site as its [`source`](Self::source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// Who wrote it (作者 / 记者 / 通讯员 / 文).
    pub author: Option<String>,
    /// Editing credits, each a role and a name (`编辑 | 康晓杰` → role
    /// `编辑`, name `康晓杰`; 责任编辑 / 校审 / 审核 / 策划 / `Edited by`…).
    pub editors: Vec<Credit>,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
    /// Set when the page shows only part of this article (a paywall stub in its stretch of the page).
    pub truncated: Option<Truncation>,
    /// The language: the page's declared `<html lang>`, else (when the
    /// input [asks for details](crate::Input::with_details)) the one its
    /// text reads as, as an ISO 639-1 code where there is one.
    pub lang: Option<String>,
    /// The links inside the article's body, absolute, in reading order,
    /// each once; collected when the input [asks for details](crate::Input::with_details).
    pub links: Vec<Link>,
    /// The images inside the article's body, with their `alt` text and
    /// caption; collected when the input [asks for details](crate::Input::with_details).
    pub images: Vec<Image>,
}

impl Article {
    /// Whether the article is worth recording, not a list or index page
    /// read as one: a headline and a body of real length, in sentences, or
    /// (a dated post of short lines: a poem, a video's captions) in lines.
    /// A crawl records only such articles.
    ///
    /// ```
    /// let a = report_scraper::clean_text("全省计生协工作会议召开\n会议在广州召开,总结2024年工作,部署2025年重点任务。会议要求,各级计生协要全面深化改革,健全工作服务体系,扎实落实各项重点任务。")?;
    /// assert!(a.looks_like_article());
    /// let stub = report_scraper::clean_text("会议召开\n会议在广州召开。")?;
    /// assert!(!stub.looks_like_article());
    /// let lines = ["春风吹过田野", "小草探出了头", "妈妈的手", "牵着我走过路口", "花开的声音", "藏在她的笑里", "燕子飞回屋檐", "柳枝轻轻摇晃", "我把春天写成诗", "读给妈妈听"];
    /// let html = format!("<h1>春天的诗</h1><p>2024-03-08</p>{}", lines.map(|l| format!("<p>{l}</p>")).concat());
    /// let poem = report_scraper::extract(html.as_bytes(), None)?;
    /// assert!(poem.looks_like_article(), "a dated post of short lines");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn looks_like_article(&self) -> bool {
        let text = self.text();
        let m = measure(&text);
        let in_lines = self.published.is_some() && text.lines().count() >= ARTICLE_MIN_LINES;
        self.title.is_some() && m.units >= ARTICLE_MIN_UNITS && (m.punct >= ARTICLE_MIN_PUNCT || in_lines)
    }

    /// The article's running text: one block a line, image captions left
    /// out (they are blocks of the article, in [`blocks`](Self::blocks), but
    /// not part of what it says in sequence).
    ///
    /// ```
    /// use report_scraper::{Extractor, Input, model::BlockKind};
    /// let a = report_scraper::clean_text("第一段,这是内容。\n第二段,也是内容。")?;
    /// assert_eq!(a.text(), "第一段,这是内容。\n第二段,也是内容。");
    ///
    /// let html = "<h1>关于开展专项活动的通知</h1><p>第一段,这是内容。</p><figure><img src=a.jpg>\
    ///   <figcaption>图为会议现场。</figcaption></figure><p>第二段,也是内容。</p>";
    /// let a = Extractor::default().page(Input::html_str(html))?.into_article()?;
    /// assert!(a.blocks.iter().any(|b| b.kind == BlockKind::Caption));
    /// assert_eq!(a.text(), "第一段,这是内容。\n第二段,也是内容。");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn text(&self) -> String {
        let mut out = String::new();
        for block in self.blocks.iter().filter(|b| b.kind != BlockKind::Caption) {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&block.text);
        }
        out
    }

    /// True when the body holds no text at all.
    ///
    /// ```
    /// assert!(report_scraper::Article::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.blocks.iter().all(|b| b.text.trim().is_empty())
    }
}

/// An image of the article.
///
/// ```
/// use report_scraper::{Extractor, Input};
/// let html = r#"<h1>走访慰问活动</h1><p>1月16日,市计生协走访慰问计划生育特殊家庭,送去慰问金和生活用品。</p>
///   <figure><img src="/img/1.jpg" alt="走访现场"><figcaption>图为工作人员与慰问对象交谈。</figcaption></figure>
///   <p>每到一户,工作人员都详细了解家庭成员的身体状况和生活困难。</p>"#;
/// let page = Extractor::default().page(Input::html_str(html).url("http://a.cn/news/1.html").with_details())?;
/// let image = &page.articles[0].images[0];
/// assert_eq!(image.src.as_str(), "http://a.cn/img/1.jpg");
/// assert_eq!(image.alt.as_deref(), Some("走访现场"));
/// assert_eq!(image.caption.as_deref(), Some("图为工作人员与慰问对象交谈。"));
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Image {
    /// Where the image is, absolute (`src`, or the `data-src` of a lazy-loaded one).
    pub src: Url,
    /// Its `alt` text, when not empty.
    pub alt: Option<String>,
    /// The caption printed with it (`<figcaption>` or a caption line).
    pub caption: Option<String>,
}

/// One unit of the body.
///
/// ```
/// use report_scraper::model::{Block, BlockKind};
/// let b = Block::new(BlockKind::Heading, "一、坚持系统思维");
/// assert_eq!(b.kind, BlockKind::Heading);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Block {
    /// What the block is.
    pub kind: BlockKind,
    /// Its text; a table's rows are separated by newlines, cells by ` | `.
    pub text: String,
}

impl Block {
    /// Makes a block.
    ///
    /// ```
    /// let b = report_scraper::model::Block::new(report_scraper::model::BlockKind::Paragraph, "正文。");
    /// assert_eq!(b.text, "正文。");
    /// ```
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Self { kind, text: text.into() }
    }
}

/// The kinds of body block.
///
/// ```
/// assert_eq!(serde_json::to_string(&report_scraper::model::BlockKind::ListItem).unwrap(), "\"list_item\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BlockKind {
    /// A section heading inside the article.
    Heading,
    /// A paragraph of running text.
    Paragraph,
    /// An item of a list.
    ListItem,
    /// A data table (rows on lines, cells separated by ` | `).
    Table,
    /// An image caption.
    Caption,
    /// A quotation.
    Quote,
}

/// What a paywall stub said about the part that is not shown.
///
/// ```
/// let a = report_scraper::clean_text("开头。……(未完,全文共4443字,当前只显示2468字)")?;
/// let t = a.truncated.unwrap();
/// assert_eq!((t.shown_chars, t.total_chars), (Some(2468), Some(4443)));
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Truncation {
    /// Characters shown, when the stub says.
    pub shown_chars: Option<u32>,
    /// Characters of the whole article, when the stub says.
    pub total_chars: Option<u32>,
    /// Characters left out, summed over every stub that says.
    pub omitted_chars: Option<u32>,
    /// The stubs' text, as found.
    pub stubs: Vec<String>,
}

/// One removal made by the cleaner: which rule took out which text.
///
/// ```
/// use report_scraper::{Extractor, Input};
/// let page = Extractor::default().page(Input::text("正文第一段,内容。\n扫一扫在手机打开当前页"))?;
/// let r = page.removed.iter().find(|r| r.text == "扫一扫在手机打开当前页").unwrap();
/// assert_eq!(r.rule, "mobile-qr");
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Removal {
    /// The rule's name (see [`crate::rules::Rule::names`]).
    pub rule: String,
    /// The text it removed.
    pub text: String,
}

impl Removal {
    pub(crate) fn new(rule: impl Into<String>, text: impl Into<String>) -> Self {
        Self { rule: rule.into(), text: text.into() }
    }
}
