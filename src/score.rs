//! Which element holds the article: text and punctuation scored against links and chrome, class hints as data.


use crate::article::BlockKind;
use crate::dom::{Attrs, Doc};
use crate::text::Measure;

/// Ids of article containers in common Chinese CMSs and blog engines.
const CONTENT_IDS: &[&str] = &["zoom", "content_text", "artibody", "js_content", "text", "fontzoom"];

/// Classes of article containers in common Chinese CMSs and blog engines
/// (`TRS_Editor` is the TRS WCM editor's, `pages_content` the State Council's).
const CONTENT_CLASSES: &[&str] = &[
    "TRS_Editor", "TRS_UEDITOR", "trs_editor_view", "pages_content", "article-content", "article_content",
    "articleContent", "art_content", "artical-content", "content_text", "news_content", "newsContent", "news-content",
    "con_text", "conText", "post_text", "post-content", "entry-content", "rich_media_content", "detail-content",
    "detail_content", "Custom_UnionStyle", "article-body", "articleBody", "story-body", "main-text", "txt_con",
    "text_con", "view_content", "wenzhang",
];

/// Class or id words of navigation, footers and widgets (matched as whole words).
const CHROME_WORDS: &[&str] = &[
    "nav", "navbar", "navigation", "menu", "footer", "copyright", "sidebar", "aside", "breadcrumb", "breadcrumbs",
    "crumb", "crumbs", "share", "sharing", "social", "comment", "comments", "reply", "related", "recommend",
    "recommended", "rank", "ranking", "ad", "ads", "advert", "advertisement", "banner", "sponsor", "promo", "tags",
    "pager", "pagination", "login", "signup", "subscribe", "newsletter", "toolbar", "popup", "modal", "cookie",
    "weixin", "qrcode", "ewm", "topbar", "friendlink", "yqlj", "gotop", "disclaimer",
];

/// Parts of class names that say nothing about the role (`share-box`, `news_list_wrap`).
const LAYOUT_WORDS: &[&str] = &[
    "box", "wrap", "wrapper", "container", "inner", "outer", "con", "bd", "hd", "area", "section", "block", "module",
    "mod", "part", "panel", "cont", "w", "l", "r", "left", "right", "clearfix", "fl", "fr", "col", "row", "item",
];

/// Stems that mark chrome wherever they appear in a word (`morestories`, `relatedNews`).
const CHROME_STEMS: &[&str] = &["recommend", "related", "comment", "sidebar", "breadcrumb", "footer", "copyright", "advert", "morestor", "trending", "popular", "sharebar"];

/// Class or id words that say "article", which overrule chrome words on the same element.
const CONTENT_WORDS: &[&str] = &["content", "article", "post", "entry", "hentry", "main", "text", "detail", "story", "body"];

/// Elements that are never chrome, whatever their classes say.
const NEVER_CHROME: &[&str] = &["article", "main", "body", "html"];

/// Class or id words of headlines.
const TITLE_WORDS: &[&str] = &["title", "headline", "article-title", "news-title", "tit", "bt", "biaoti"];

/// Class or id words of image captions.
const CAPTION_WORDS: &[&str] = &["caption", "pic-txt", "pictext", "img-desc", "imgdesc", "tuzhu", "pic_txt", "figcaption"];

/// Elements that are never the article.
const CHROME_TAGS: &[&str] = &["nav", "footer", "aside", "menu"];


/// What an element's tag, class and id say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    None,
    Content,
    Chrome,
    Title,
    Caption,
}

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
    for w in lower.rsplit(['-', '_', ' ']).filter(|w| !w.is_empty()) {
        match WORDS.get(w) {
            Some(Word::Layout) => continue,
            Some(Word::Caption) => return Hint::Caption,
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
    Caption,
    Chrome,
    Content,
    Title,
}

/// Every listed word with its kind, looked up once per word; where a word is
/// in two lists the earlier kind here wins (captions, then chrome, content, titles).
static WORDS: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, Word>> = std::sync::LazyLock::new(|| {
    let lists: [(&[&str], Word); 5] = [
        (TITLE_WORDS, Word::Title),
        (CONTENT_WORDS, Word::Content),
        (CHROME_WORDS, Word::Chrome),
        (CAPTION_WORDS, Word::Caption),
        (LAYOUT_WORDS, Word::Layout),
    ];
    lists.iter().flat_map(|(words, kind)| words.iter().map(move |w| (*w, *kind))).collect()
});

/// [`CHROME_STEMS`] as one pattern (a word holding any of them is chrome),
/// and the shortest stem's length: shorter words skip the pattern.
static CHROME_STEM: std::sync::LazyLock<(regex::Regex, usize)> = std::sync::LazyLock::new(|| {
    let shortest = CHROME_STEMS.iter().map(|s| s.len()).min().unwrap_or(0);
    (regex::Regex::new(&CHROME_STEMS.join("|")).expect("stems are literals"), shortest)
});

/// A line's worth as article text (`good`) and as chrome (`bad`), in units.
/// Punctuation counts for a lot: Chinese prose is dense with ,。;: and menus have none.
pub(crate) fn line_value(m: Measure, link_units: usize, kind: BlockKind) -> (f64, f64) {
    let u = m.units as f64;
    let links = link_units as f64;
    if links > 0.5 * u {
        return (0.0, u.max(1.0));
    }
    let own = u - links;
    if kind == BlockKind::Table {
        // Data tables are short cells without punctuation, and still content.
        (0.3 * own, 0.0)
    } else if m.is_prose() {
        let p = m.punct as f64;
        (own + 2.0 * p.min(own / 3.0), 0.0)
    } else if own >= 20.0 {
        (own * 0.5, 0.0)
    } else {
        (0.0, 1.0)
    }
}

/// Picks the main element and marks it and everything inside it.
///
/// Scores add up from children to parents in backward sweeps (parents
/// precede children in the element list). A chrome hint is not believed
/// for an element that wraps the headline or nearly all of the page's
/// article-like text: a wrapper called `Page-ad-margins` or `one-sidebar`
/// around the whole page is not chrome. The best element maximises article
/// text minus chrome, ties going to the deeper element.
pub(crate) fn choose_main(doc: &mut Doc, title_elem: Option<usize>) -> usize {
    let wrapper = wrappers(doc, title_elem);
    let mut best = score_with_chrome(doc, &wrapper, true);
    if best.is_none() {
        // Every line sat under a chrome hint: the hints are wrong for this page.
        best = score_with_chrome(doc, &wrapper, false);
    }
    let best = best.unwrap_or(0);
    let chosen = with_siblings(doc, best);
    for i in 0..doc.elems.len() {
        let inside = chosen.contains(&i) || doc.elems.get(i).and_then(|e| e.parent).is_some_and(|p| doc.elems.get(p).is_some_and(|p| p.in_main));
        if let Some(e) = doc.elems.get_mut(i) {
            e.in_main = inside;
        }
    }
    best
}

/// The best element and those of its siblings that read like more of the
/// same article (pages split a story around ads and pull quotes).
fn with_siblings(doc: &Doc, best: usize) -> Vec<usize> {
    let Some(b) = doc.elems.get(best) else { return vec![best] };
    let Some(parent) = b.parent else { return vec![best] };
    let floor = (0.2 * b.good).max(15.0);
    let mut chosen: Vec<usize> = doc
        .elems
        .iter()
        .enumerate()
        .filter(|(i, e)| *i != best && e.parent == Some(parent) && !e.chrome && e.good >= floor && e.bad * 3.0 < e.good)
        .map(|(i, _)| i)
        .collect();
    chosen.push(best);
    chosen
}

/// Elements whose chrome hint is not believed: ancestors of the headline and
/// elements holding nearly all of the page's article-like text.
fn wrappers(doc: &mut Doc, title_elem: Option<usize>) -> Vec<bool> {
    let mut wrapper = vec![false; doc.elems.len()];
    let mut at = title_elem;
    while let Some(i) = at {
        if let Some(w) = wrapper.get_mut(i) {
            *w = true;
        }
        at = doc.elems.get(i).and_then(|e| e.parent);
    }
    reset(doc);
    for l in &doc.lines {
        if let Some(e) = doc.elems.get_mut(l.elem) {
            e.good += l.value.0;
        }
    }
    sum_up(doc);
    let total = doc.elems.first().map_or(0.0, |e| e.good);
    for (w, e) in wrapper.iter_mut().zip(&doc.elems) {
        *w |= e.good >= 0.9 * total;
    }
    wrapper
}

/// Scores every element and returns the best, if any holds article text.
fn score_with_chrome(doc: &mut Doc, wrapper: &[bool], believe_hints: bool) -> Option<usize> {
    for i in 0..doc.elems.len() {
        let parent_chrome = doc.elems.get(i).and_then(|e| e.parent).and_then(|p| doc.elems.get(p)).is_some_and(|p| p.chrome);
        let hinted = believe_hints && !wrapper.get(i).copied().unwrap_or(false);
        if let Some(e) = doc.elems.get_mut(i) {
            e.chrome = parent_chrome || hinted && e.hint == Hint::Chrome;
        }
    }
    reset(doc);
    for l in &mut doc.lines {
        if let Some(e) = doc.elems.get_mut(l.elem) {
            l.chrome = e.chrome;
            let (good, bad) = if e.chrome { (0.0, (l.measure.units as f64).max(1.0)) } else { l.value };
            e.good += good;
            e.bad += bad;
        }
    }
    sum_up(doc);
    let mut best: Option<(f64, usize)> = None;
    for (i, e) in doc.elems.iter().enumerate() {
        let bonus = if e.hint == Hint::Content { 0.25 * e.good } else { 0.0 };
        let s = e.good - 2.5 * e.bad + bonus;
        if e.good > 0.0 && best.is_none_or(|b| s >= b.0) {
            best = Some((s, i));
        }
    }
    best.map(|b| b.1)
}

fn reset(doc: &mut Doc) {
    for e in &mut doc.elems {
        (e.good, e.bad) = (0.0, 0.0);
    }
}

/// Adds every element's scores into its parent's, children first.
fn sum_up(doc: &mut Doc) {
    for i in (1..doc.elems.len()).rev() {
        let Some((good, bad, Some(p))) = doc.elems.get(i).map(|e| (e.good, e.bad, e.parent)) else { continue };
        if let Some(p) = doc.elems.get_mut(p) {
            p.good += good;
            p.bad += bad;
        }
    }
}
