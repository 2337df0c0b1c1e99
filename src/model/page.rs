//! What extraction returns: the page, with its articles, what was removed, and its links.

use serde::{Deserialize, Serialize};

use super::article::{Article, BlockKind, Removal};
use super::date::DateCandidate;
use super::link::Link;
use crate::error::{Error, ErrorKind};

/// One page, extracted: the articles it holds (most pages hold one), every
/// removal the cleaner made, and — when asked for — the links it carries.
///
/// Facts about the page live here; facts about an article live on its
/// [`Article`]. A page whose text holds no article (a list of links, a
/// menu) is still a `Page`, with no articles.
///
/// ```
/// use report_scraper::{Extractor, Input};
/// let html = "<body><p>第一篇文章第一段,内容。</p><p>第一篇第二段,内容。</p><p>第一篇第三段,内容。</p>\
///   <p>厦门召开会议推进家庭健康促进行动</p><p>11月8日上午,厦门市计生协召开推进会,总结经验。</p></body>";
/// let page = Extractor::default().page(Input::html(html.as_bytes()))?;
/// assert_eq!(page.articles.len(), 2);
/// assert_eq!(page.articles[1].title.as_deref(), Some("厦门召开会议推进家庭健康促进行动"));
/// assert_eq!(page.articles[1].published.as_ref().unwrap().value.to_string(), "--11-08");
/// // The page's text is every article's, the later headlines included.
/// assert!(page.text().contains("厦门召开会议推进家庭健康促进行动\n11月8日上午"));
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Page {
    /// The page's address, when the caller gave one.
    pub url: Option<String>,
    /// The articles, in page order. Empty when no text on the page reads like one.
    pub articles: Vec<Article>,
    /// Every piece of text the cleaner took out of the page, with the rule that did it.
    pub removed: Vec<Removal>,
    /// The page's links, in page order, each once; collected only when the
    /// input [asks for them](crate::Input::with_links).
    pub links: Vec<Link>,
    /// Every date the page carries that could be its first article's
    /// publish date, best first, each with the evidence that scored it.
    pub dates: Vec<DateCandidate>,
}

impl Page {
    /// The page's first (for most pages, only) article.
    ///
    /// ```
    /// let page = report_scraper::Extractor::default().page(report_scraper::Input::text("首页\n新闻\n通知公告"))?;
    /// assert!(page.article().is_none()); // a menu, not an article
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn article(&self) -> Option<&Article> {
        self.articles.first()
    }

    /// The first article, or [`ErrorKind::NoContent`] when the page holds none.
    ///
    /// ```
    /// use report_scraper::{Extractor, Input};
    /// let page = Extractor::default().page(Input::text("正文第一段,这里是内容。"))?;
    /// assert_eq!(page.into_article()?.text(), "正文第一段,这里是内容。");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::NoContent`] when no text on the page reads like an article.
    pub fn into_article(self) -> Result<Article, Error> {
        self.articles.into_iter().next().ok_or_else(|| Error::new(ErrorKind::NoContent))
    }

    /// The text of the whole page: every article's running text (see
    /// [`Article::text`]: captions left out), one block a line, each later
    /// article opening with its headline.
    ///
    /// ```
    /// let page = report_scraper::Extractor::default().page(report_scraper::Input::text("第一段,内容。\n第二段,内容。"))?;
    /// assert_eq!(page.text(), "第一段,内容。\n第二段,内容。");
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, article) in self.articles.iter().enumerate() {
            let headline = article.title.as_deref().filter(|_| i > 0);
            let running = article.blocks.iter().filter(|b| b.kind != BlockKind::Caption);
            for line in headline.into_iter().chain(running.map(|b| b.text.as_str())) {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(line);
            }
        }
        out
    }

    /// True when a paywall stub says some article of the page is not shown whole.
    ///
    /// ```
    /// let page = report_scraper::Extractor::default().page(report_scraper::Input::text("开头。……(未完,全文共4443字,当前只显示2468字)"))?;
    /// assert!(page.is_truncated());
    /// # Ok::<(), report_scraper::Error>(())
    /// ```
    pub fn is_truncated(&self) -> bool {
        self.articles.iter().any(|a| a.truncated.is_some())
    }
}
