//! What an element's tag, class and id say about it: the word tables of
//! CMS containers, chrome, headlines and captions, read once per word.

use super::doc::{Attrs, Hint};

/// Ids of article containers in common Chinese CMSs and blog engines.
const CONTENT_IDS: &[&str] = &["zoom", "content_text", "artibody", "js_content", "text", "fontzoom"];

/// Classes of article containers in common Chinese CMSs and blog engines
/// (`TRS_Editor` is the TRS WCM editor's, `pages_content` the State Council's).
const CONTENT_CLASSES: &[&str] = &[
    "TRS_Editor",
    "TRS_UEDITOR",
    "trs_editor_view",
    "pages_content",
    "article-content",
    "article_content",
    "articleContent",
    "art_content",
    "artical-content",
    "content_text",
    "news_content",
    "newsContent",
    "news-content",
    "con_text",
    "conText",
    "post_text",
    "post-content",
    "entry-content",
    "rich_media_content",
    "detail-content",
    "detail_content",
    "Custom_UnionStyle",
    "article-body",
    "articleBody",
    "story-body",
    "main-text",
    "txt_con",
    "text_con",
    "view_content",
    "wenzhang",
];

/// Class or id words of navigation, footers and widgets (matched as whole words).
const CHROME_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "copyright",
    "sidebar",
    "aside",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "share",
    "sharing",
    "social",
    "comment",
    "comments",
    "reply",
    "related",
    "recommend",
    "recommended",
    "rank",
    "ranking",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "banner",
    "sponsor",
    "promo",
    "tags",
    "pager",
    "pagination",
    "login",
    "signup",
    "subscribe",
    "newsletter",
    "toolbar",
    "popup",
    "modal",
    "cookie",
    "weixin",
    "qrcode",
    "qr",
    "ewm",
    "topbar",
    "friendlink",
    "yqlj",
    "gotop",
    "disclaimer",
];

/// Parts of class names that say nothing about the role (`share-box`, `news_list_wrap`).
const LAYOUT_WORDS: &[&str] = &[
    "box",
    "wrap",
    "wrapper",
    "container",
    "inner",
    "outer",
    "con",
    "bd",
    "hd",
    "area",
    "section",
    "block",
    "module",
    "mod",
    "part",
    "panel",
    "cont",
    "w",
    "l",
    "r",
    "left",
    "right",
    "clearfix",
    "fl",
    "fr",
    "col",
    "row",
    "item",
];

/// Words naming an arrangement of parts: the words before them say which
/// parts it arranges (`sidebar-layout`), not what the element is, so
/// reading a name stops at them.
const ARRANGEMENT_WORDS: &[&str] = &["layout", "grid", "columns", "cols"];

/// First words of a name that describe the element's parts (`has-sidebar`,
/// `with-comments`): a state of the page's layout, not a role.
const HAVING_WORDS: &[&str] = &["has", "with"];

/// Words naming live coverage (`live-match-comments`, `liveblog-comment`):
/// the comments of a live feed are the reporter's running commentary, the
/// story itself, not readers' comments.
const LIVE_WORDS: &[&str] = &["live", "liveblog", "liveticker", "ticker", "minute", "commentary"];

/// Chrome words a live word takes back (readers' comments, not a feed's).
const COMMENT_WORDS: &[&str] = &["comment", "comments"];

/// Stems that mark chrome wherever they appear in a word (`morestories`, `relatedNews`).
const CHROME_STEMS: &[&str] = &[
    "recommend",
    "related",
    "comment",
    "sidebar",
    "breadcrumb",
    "footer",
    "copyright",
    "advert",
    "morestor",
    "trending",
    "popular",
    "sharebar",
];

/// Class or id words that say "article", which overrule chrome words on the same element.
const CONTENT_WORDS: &[&str] =
    &["content", "article", "post", "entry", "hentry", "main", "text", "detail", "story", "body"];

/// Elements that are never chrome, whatever their classes say.
const NEVER_CHROME: &[&str] = &["article", "main", "body", "html"];

/// Class or id words of headlines.
const TITLE_WORDS: &[&str] = &["title", "headline", "heading", "article-title", "news-title", "tit", "bt", "biaoti"];

/// Class or id words of image captions.
const CAPTION_WORDS: &[&str] =
    &["caption", "pic-txt", "pictext", "img-desc", "imgdesc", "tuzhu", "pic_txt", "figcaption"];

/// Elements that are never the article.
const CHROME_TAGS: &[&str] = &["nav", "footer", "aside", "menu"];

/// What the words of one `class` attribute say, remembered per distinct
/// attribute value: a page repeats the same few classes thousands of times.
#[derive(Debug, Clone, Copy, Default)]
struct Roles {
    cms: bool,
    caption: bool,
    title: bool,
    chrome: bool,
    content: bool,
}

impl Roles {
    fn add(&mut self, name: &str, cms: bool) {
        self.cms |= cms;
        match role(name) {
            Hint::Caption => self.caption = true,
            Hint::Title => self.title = true,
            Hint::Chrome => self.chrome = true,
            Hint::Content => self.content = true,
            Hint::None => {}
        }
    }
}

/// Distinct class attributes remembered per page.
const MEMO_LIMIT: usize = 4096;

/// Reads elements' hints, memoising class attributes.
#[derive(Debug, Default)]
pub(crate) struct Hinter {
    by_class: rustc_hash::FxHashMap<String, Roles>,
}

impl Hinter {
    pub(crate) fn hint(&mut self, name: &str, a: &Attrs) -> Hint {
        if CHROME_TAGS.contains(&name) {
            return Hint::Chrome;
        }
        let mut r = match a.class {
            Some(classes) => self.classes(classes),
            None => Roles::default(),
        };
        if let Some(id) = a.id {
            r.add(id, CONTENT_IDS.contains(&id));
        }
        if r.cms || a.itemprop == Some("articleBody") {
            Hint::Content
        } else if r.caption {
            Hint::Caption
        } else if r.title {
            Hint::Title
        } else if r.chrome && !r.content && !NEVER_CHROME.contains(&name) {
            Hint::Chrome
        } else {
            Hint::None
        }
    }

    fn classes(&mut self, attr: &str) -> Roles {
        if let Some(r) = self.by_class.get(attr) {
            return *r;
        }
        let mut r = Roles::default();
        for c in attr.split_ascii_whitespace() {
            r.add(c, CONTENT_CLASSES.contains(&c));
        }
        // Bounded, so a page of crafted class names cannot grow it (or its probe chains) without end.
        if self.by_class.len() < MEMO_LIMIT {
            self.by_class.insert(attr.to_string(), r);
        }
        r
    }
}

/// What one class or id name says. Its words are read from the last one
/// back, skipping layout words, so `detail-content__recommend` is a
/// recommendation widget and `tag-wordpress` is nothing in particular.
fn role(name: &str) -> Hint {
    let lower = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(name.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(name)
    };
    match WORDS.get(lower.as_ref()) {
        Some(Word::Caption) => return Hint::Caption,
        Some(Word::Title) => return Hint::Title,
        _ => {}
    }
    if lower.split(['-', '_', ' ']).next().is_some_and(|first| HAVING_WORDS.contains(&first)) {
        return Hint::None;
    }
    let live = || lower.split(['-', '_', ' ']).any(|w| LIVE_WORDS.contains(&w));
    for w in lower.rsplit(['-', '_', ' ']).filter(|w| !w.is_empty()) {
        match WORDS.get(w) {
            Some(Word::Layout) => continue,
            Some(Word::Arrangement) => return Hint::None,
            Some(Word::Caption) => return Hint::Caption,
            Some(Word::Chrome) if COMMENT_WORDS.contains(&w) && live() => return Hint::None,
            Some(Word::Chrome) => return Hint::Chrome,
            Some(Word::Content) => return Hint::Content,
            Some(Word::Title) => return Hint::Title,
            None if w.len() >= CHROME_STEM.1 && CHROME_STEM.0.is_match(w) => return Hint::Chrome,
            None => {}
        }
    }
    Hint::None
}

/// The kind of a class or id word, from the word lists above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Layout,
    Arrangement,
    Caption,
    Chrome,
    Content,
    Title,
}

/// Every listed word with its kind, looked up once per word; where a word is
/// in two lists the earlier kind here wins (captions, then chrome, content, titles).
static WORDS: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, Word>> = std::sync::LazyLock::new(|| {
    let lists: [(&[&str], Word); 6] = [
        (TITLE_WORDS, Word::Title),
        (CONTENT_WORDS, Word::Content),
        (CHROME_WORDS, Word::Chrome),
        (CAPTION_WORDS, Word::Caption),
        (LAYOUT_WORDS, Word::Layout),
        (ARRANGEMENT_WORDS, Word::Arrangement),
    ];
    lists.iter().flat_map(|(words, kind)| words.iter().map(move |w| (*w, *kind))).collect()
});

/// [`CHROME_STEMS`] as one pattern (a word holding any of them is chrome),
/// and the shortest stem's length: shorter words skip the pattern.
static CHROME_STEM: std::sync::LazyLock<(regex::Regex, usize)> = std::sync::LazyLock::new(|| {
    let shortest = CHROME_STEMS.iter().map(|s| s.len()).min().unwrap_or(0);
    (regex::Regex::new(&CHROME_STEMS.join("|")).expect("stems are literals"), shortest)
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_read_from_the_last_one_back_past_layout_words() {
        assert_eq!(role("detail-content__recommend"), Hint::Chrome);
        assert_eq!(role("share-box"), Hint::Chrome);
        assert_eq!(role("news_content_wrap"), Hint::Content);
        assert_eq!(role("relatedNews"), Hint::Chrome);
        assert_eq!(role("tag-wordpress"), Hint::None);
        assert_eq!(role("pic-txt"), Hint::Caption);
        assert_eq!(role("c-fixed-sidebar-layout--140--left@lg"), Hint::None, "a layout with a sidebar");
        assert_eq!(role("has-sidebar"), Hint::None);
        assert_eq!(role("sidebar-left"), Hint::Chrome);
        assert_eq!(role("live-match-comments"), Hint::None, "a live feed's running commentary");
        assert_eq!(role("live-match-comment-body"), Hint::Content);
        assert_eq!(role("comments"), Hint::Chrome);
        assert_eq!(role("article-comments"), Hint::Chrome, "readers' comments below a story");
        assert_eq!(role("live-share"), Hint::Chrome, "a live page's share bar is still one");
        assert_eq!(role("js_pc_qr_code"), Hint::Chrome, "WeChat's QR box beside a post");
    }

    #[test]
    fn cms_containers_and_chrome_tags() {
        let mut h = Hinter::default();
        let a = Attrs { class: Some("TRS_Editor"), ..Attrs::default() };
        assert_eq!(h.hint("div", &a), Hint::Content);
        assert_eq!(h.hint("nav", &Attrs::default()), Hint::Chrome);
        let a = Attrs { class: Some("sidebar"), ..Attrs::default() };
        assert_eq!(h.hint("article", &a), Hint::None, "an <article> is never chrome");
        let a = Attrs { class: Some("comment main-content"), ..Attrs::default() };
        assert_eq!(h.hint("div", &a), Hint::None, "a content word overrules a chrome word");
    }
}
