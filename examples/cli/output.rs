//! What an article is written as.

use report_scraper::{Article, Page, model::MetaStyle};

/// An output format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Pretty JSON
    Json,
    /// One JSON object a line
    Jsonl,
    /// Markdown with the metadata as --meta says
    #[value(alias = "md")]
    Markdown,
    /// Plain text: headline, metadata line, body
    #[value(alias = "txt")]
    Text,
}

impl Format {
    /// The file extension of an output in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Markdown => "md",
            Format::Text => "txt",
        }
    }
}

/// Where Markdown puts the article's metadata.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum Meta {
    /// YAML front matter
    FrontMatter,
    /// A `# headline` and a line of metadata
    Header,
    /// Only the body
    None,
}

impl From<Meta> for MetaStyle {
    fn from(meta: Meta) -> MetaStyle {
        match meta {
            Meta::FrontMatter => MetaStyle::FrontMatter,
            Meta::Header => MetaStyle::HeaderLine,
            Meta::None => MetaStyle::None,
        }
    }
}

/// One article as Markdown, its page's address in the metadata.
pub fn markdown(article: &Article, url: Option<&str>, style: MetaStyle) -> String {
    let mut page = Page::default();
    page.url = url.map(str::to_string);
    page.articles = vec![article.clone()];
    page.to_markdown(style)
}
