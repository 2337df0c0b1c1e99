//! The last stage: body items and the metadata found on the lines become
//! articles, each with its own title, date, credits and truncation.

use super::byline;
use super::dates::Reading;
use super::line::{Fate, Field, Item, Line, Media, MetaEvent, Zone};
use super::paywall::{self, Stub};
use super::title::Head;
use crate::model::{Article, Block, BlockKind, Credit, DateOrigin, Image, Link, LinkKind, Published, absolute};
use crate::tuning::{DATELINE_CHARS, META_AFTER_BODY, META_BEFORE_HEADLINE};

/// Metadata events from every line that is near the article: the header
/// (from just above the headline on), the body, and the first lines after it.
pub(crate) fn meta_events(lines: &[Line], head: &Head) -> Vec<(usize, MetaEvent)> {
    let body_end = lines.iter().rposition(|l| l.zone == Zone::Body).map_or(0, |i| i + 1);
    let from = head.line.unwrap_or_else(|| lines.iter().position(|l| l.zone == Zone::Body).unwrap_or(0));
    let mut events = Vec::new();
    for (i, l) in
        lines.iter().enumerate().take(body_end + META_AFTER_BODY).skip(from.saturating_sub(META_BEFORE_HEADLINE))
    {
        match &l.fate {
            Fate::Field(Field::Source, Some(v), _) => events.push((i, MetaEvent::Source(v.clone()))),
            Fate::Field(Field::Author, Some(v), _) => {
                if let Some(n) = byline::names(v) {
                    events.push((i, MetaEvent::Author(n)));
                }
            }
            Fate::Field(Field::Editor, _, _) => events.push((i, MetaEvent::Editor(l.text.clone()))),
            Fate::Byline(b) => {
                events.extend(b.source.clone().map(|s| (i, MetaEvent::Source(s))));
                events.extend(b.author.clone().map(|s| (i, MetaEvent::Author(s))));
                events.extend(b.editors.iter().map(|s| (i, MetaEvent::Editor(s.clone()))));
                events.extend(b.date.clone().map(|(d, raw)| (i, MetaEvent::Date(d, raw))));
            }
            _ => {}
        }
    }
    events
}

/// What the articles of a page are made of.
pub(crate) struct Parts<'a> {
    pub items: Vec<Item>,
    /// Where each article starts: indexes into `items`, the first 0.
    pub starts: Vec<usize>,
    pub events: &'a [(usize, MetaEvent)],
    pub page_date: Option<Published>,
    pub head: &'a Head,
    pub stubs: &'a [Stub],
    pub reading: &'a Reading,
    /// What the items' links and images resolve against.
    pub base: Option<&'a url::Url>,
}

impl Parts<'_> {
    /// One article per start; a later article's headline item is its title, not its body.
    pub(crate) fn articles(self) -> Vec<Article> {
        let mut articles: Vec<Article> = (0..self.starts.len()).map(|j| self.meta(j)).collect();
        // Blocks are moved, not copied: a 20 MB page's text is held once.
        let mut part = 0;
        for (i, it) in self.items.into_iter().enumerate() {
            if self.starts.get(part + 1) == Some(&i) {
                part += 1;
                continue;
            }
            if let Some(a) = articles.get_mut(part) {
                add_media(a, &it, self.base);
                a.blocks.push(Block::new(it.kind, it.text));
            }
        }
        articles
    }

    /// The lines `[first, end)` of the `j`th article: the first article
    /// reaches back to the top of the page, the last to its end.
    fn span(&self, j: usize) -> (usize, usize) {
        let pos = |k: Option<&usize>| k.and_then(|&k| self.items.get(k)).map(|it| it.pos);
        let first = if j == 0 { 0 } else { pos(self.starts.get(j)).unwrap_or(0) };
        (first, pos(self.starts.get(j + 1)).unwrap_or(usize::MAX))
    }

    /// The metadata of the `j`th article.
    fn meta(&self, j: usize) -> Article {
        let (first, end) = self.span(j);
        let mut a = Article::default();
        apply(&mut a, self.events.iter().filter(|(p, _)| (first..end).contains(p)).map(|(_, e)| e));
        let from = self.starts.get(j).copied().unwrap_or(0);
        let to = self.starts.get(j + 1).copied().unwrap_or(self.items.len());
        let body = self.items.get(from..to).unwrap_or_default();
        if j == 0 {
            a.title = self.head.title.clone();
            a.kicker = self.head.kicker.clone();
            a.subtitle = self.head.subtitle.clone();
            // The page's date was chosen by evidence among every date near the
            // headline, its byline's included: what it turned down stays out.
            a.published = self.page_date.clone();
        } else {
            a.title = body.first().map(|it| it.text.clone());
        }
        if a.published.is_none() {
            let skip = usize::from(j > 0);
            a.published = dateline(body.get(skip..).unwrap_or_default(), self.reading);
        }
        a.truncated = paywall::truncation(self.stubs.iter().filter(|s| (first..end).contains(&s.pos)));
        a
    }
}

/// The item's links and images, absolute, each once in its article; an
/// image on a caption line takes the caption.
fn add_media(a: &mut Article, it: &Item, base: Option<&url::Url>) {
    for m in &it.media {
        match m {
            Media::Link { href, text } => {
                let Some(url) = absolute(href, base) else { continue };
                if a.links.iter().all(|l| l.url != url) {
                    a.links.push(Link {
                        url,
                        text: text.clone(),
                        next_page: false,
                        kind: LinkKind::Anchor,
                        post: None,
                    });
                }
            }
            Media::Image { src, alt } => {
                let Some(src) = absolute(src, base) else { continue };
                if a.images.iter().all(|i| i.src != src) {
                    let alt = (!alt.is_empty()).then(|| alt.clone());
                    let caption = (it.kind == BlockKind::Caption).then(|| it.text.clone());
                    a.images.push(Image { src, alt, caption });
                }
            }
        }
    }
}

fn apply<'a>(a: &mut Article, events: impl Iterator<Item = &'a MetaEvent>) {
    for e in events {
        match e {
            MetaEvent::Source(s) if a.source.is_none() => a.source = Some(s.clone()),
            MetaEvent::Author(s) if a.author.is_none() => a.author = Some(s.clone()),
            MetaEvent::Editor(s) => a.editors.extend(Credit::parse(s)),
            MetaEvent::Date(d, raw) if a.published.is_none() => {
                a.published = Some(Published::new(*d, raw, DateOrigin::Byline));
            }
            _ => {}
        }
    }
}

/// A date opening the first paragraph (`11月8日上午,…`), for articles with no dated byline.
fn dateline(items: &[Item], reading: &Reading) -> Option<Published> {
    let first = items.iter().find(|i| i.kind == BlockKind::Paragraph)?;
    let opening: String = first.text.chars().take(DATELINE_CHARS).collect();
    let found = reading.find(&opening, true)?;
    (found.start == 0).then(|| Published::new(found.value, &found.raw, DateOrigin::Body))
}
