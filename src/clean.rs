//! The cleaning pipeline shared by HTML and text mode: lines in, articles out.

use crate::article::{Article, Block, BlockKind, Removal, Truncation};
use crate::byline::{self, Byline};
use crate::date::{find_date, DateOrigin, PubDate, Published};
use crate::noise::{Action, RuleSet};
use crate::repair;
use crate::split;
use crate::text::{is_headline_like, is_prose, measure, squash_space, squash_space_owned, units, Measure};
use crate::title;

/// Where a line sits relative to the article's main region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    Before,
    Body,
    After,
}

/// A line of the page as the front end (HTML or text) found it.
#[derive(Debug, Clone)]
pub(crate) struct RawLine {
    pub text: String,
    pub kind: BlockKind,
    pub zone: Zone,
    /// A heading element or an element whose class says "title".
    pub title_candidate: bool,
    /// Mostly link text (menus, related-article lists).
    pub link_heavy: bool,
}

impl RawLine {
    pub(crate) fn text(text: &str) -> RawLine {
        RawLine { text: text.to_string(), kind: BlockKind::Paragraph, zone: Zone::Body, title_candidate: false, link_heavy: false }
    }
}

/// What the page says about itself outside its visible lines.
#[derive(Debug, Default, Clone)]
pub(crate) struct Hints {
    /// Titles from `<title>`, `og:title` and the like, best first.
    pub titles: Vec<String>,
    /// A date from `<meta>` or JSON-LD.
    pub date: Option<Published>,
    pub url: Option<String>,
    /// Text mode: zones are to be found here, and lines may be broken mid-sentence.
    pub text_mode: bool,
}

/// What became of one line.
#[derive(Debug, Clone)]
pub(crate) enum Fate {
    Keep,
    Drop(String),
    Tail(String),
    Meta(Action, Option<String>, String),
    Byline(Byline),
}

#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub text: String,
    pub kind: BlockKind,
    pub zone: Zone,
    pub title_candidate: bool,
    pub fate: Fate,
}

/// Metadata found on a line, kept with the line's position so that a page
/// holding several articles gives each its own.
#[derive(Debug, Clone)]
pub(crate) enum MetaEvent {
    Source(String),
    Author(String),
    Editor(String),
    Date(PubDate, String),
}

/// A body line that survived cleaning.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub pos: usize,
    pub kind: BlockKind,
    pub text: String,
}

/// What the caller wants of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// One article: the first article's metadata with the whole page's body.
    Page,
    /// Each article on its own.
    Parts,
}

pub(crate) fn run(raw: Vec<RawLine>, hints: &Hints, rules: &RuleSet, want: Want) -> Vec<Article> {
    let mut removed = Vec::new();
    let mut truncated = None;
    let mut lines = prepare(raw, rules, &mut truncated, &mut removed);
    if hints.text_mode {
        let anchors = title::hint_lines(&lines, hints);
        assign_zones(&mut lines, &anchors);
    }
    let head = title::find(&lines, hints);
    let events = collect_meta(&lines, &head);
    let page_date = pick_date(&lines, &head, hints);
    let items = body_items(lines, &head, &mut removed, hints.text_mode);
    let starts: Vec<usize> = std::iter::once(0).chain(split::split_points(&items)).collect();
    let mut parts: Vec<Article> = starts
        .iter()
        .enumerate()
        .map(|(j, &from)| {
            let to = starts.get(j + 1).copied().unwrap_or(items.len());
            let body = items.get(from..to).unwrap_or_default();
            part_meta(j, body, items.get(to), &events, page_date.as_ref(), &head, hints)
        })
        .collect();
    // Blocks are moved, not copied: a 20 MB page's text is held once.
    let mut part = 0;
    for (i, it) in items.into_iter().enumerate() {
        if want == Want::Parts && starts.get(part + 1) == Some(&i) {
            part += 1;
            continue; // a later article's headline is its title, not its body
        }
        if let Some(a) = parts.get_mut(part) {
            a.blocks.push(Block::new(it.kind, it.text));
        }
    }
    if want == Want::Page {
        parts.truncate(1);
    }
    if let Some(first) = parts.first_mut() {
        first.removed = removed;
        first.truncated = truncated;
    }
    parts
}

/// The metadata of the `j`th article on the page, whose items are `body`
/// (`next` is the first item of the article after it).
fn part_meta(
    j: usize,
    body: &[Item],
    next: Option<&Item>,
    events: &[(usize, MetaEvent)],
    page_date: Option<&Published>,
    head: &title::Head,
    hints: &Hints,
) -> Article {
    let first_pos = if j == 0 { 0 } else { body.first().map_or(0, |it| it.pos) };
    let end_pos = next.map_or(usize::MAX, |it| it.pos);
    let mut a = Article { url: hints.url.clone(), ..Article::default() };
    apply_meta(&mut a, events.iter().filter(|(p, _)| (first_pos..end_pos).contains(p)).map(|(_, e)| e));
    if j == 0 {
        a.title = head.title.clone();
        a.kicker = head.kicker.clone();
        a.subtitle = head.subtitle.clone();
        a.published = page_date.cloned().or(a.published);
    } else {
        a.title = body.first().map(|it| it.text.clone());
    }
    if a.published.is_none() {
        let skip = usize::from(j > 0);
        a.published = first_sentence_date(body.get(skip..).unwrap_or_default());
    }
    a
}

/// How far before and after the body lines are still read for metadata.
const NEAR_BEFORE: usize = 40;
const NEAR_AFTER: usize = 25;

/// Normalises space, unwraps pipe layouts, cuts paywall stubs and judges every line.
fn prepare(raw: Vec<RawLine>, rules: &RuleSet, trunc: &mut Option<Truncation>, removed: &mut Vec<Removal>) -> Vec<Line> {
    let mut out = Vec::with_capacity(raw.len());
    let mut stubs = Vec::new();
    // Lines far from a known body (HTML menus, footers) are never read by
    // the headline, byline or metadata steps, so no rule is run on them.
    let body = raw.iter().position(|r| r.zone == Zone::Body).zip(raw.iter().rposition(|r| r.zone == Zone::Body));
    let near = |i: usize| body.is_none_or(|(first, last)| i + NEAR_BEFORE >= first && i <= last + NEAR_AFTER);
    for (i, r) in raw.into_iter().enumerate() {
        if !near(i) && !r.title_candidate {
            out.push(Line { fate: Fate::Drop("outside-article".into()), text: r.text, kind: r.kind, zone: r.zone, title_candidate: false });
            continue;
        }
        let text = squash_space_owned(r.text);
        // Menus and link lists around the body: no rule can make them
        // article text, only a byline among them matters.
        if r.link_heavy && r.zone != Zone::Body && !r.title_candidate {
            let fate = byline::parse(&text).map_or_else(|| Fate::Drop("link-list".into()), Fate::Byline);
            out.push(Line { text, kind: r.kind, zone: r.zone, title_candidate: false, fate });
            continue;
        }
        for cell in repair::unwrap_pipes(text) {
            for piece in repair::cut_paywalls(cell, trunc, &mut stubs) {
                let piece = squash_space_owned(piece);
                if piece.is_empty() {
                    continue;
                }
                let (text, fate) = judge(piece, rules, r.link_heavy, r.zone, removed);
                out.push(Line { text, kind: r.kind, zone: r.zone, title_candidate: r.title_candidate, fate });
            }
        }
    }
    removed.extend(stubs.into_iter().map(|s| Removal::new(s.rule, s.text)));
    out
}

fn judge(line: String, rules: &RuleSet, link_heavy: bool, zone: Zone, removed: &mut Vec<Removal>) -> (String, Fate) {
    let v = rules.judge(&line);
    if zone == Zone::Body {
        removed.extend(v.stripped.iter().map(|(rule, cut)| Removal::new(*rule, cut.trim())));
    }
    // Only a `strip` rule changes the line, and may leave double spaces behind.
    let text = match &v.text {
        Some(stripped) => squash_space(stripped),
        None => line,
    };
    let fate = match v.decision {
        Some((rule, _)) if rule.action() == Action::DropLine => Fate::Drop(rule.name().to_string()),
        Some((rule, _)) if rule.action() == Action::DropRest => Fate::Tail(rule.name().to_string()),
        Some((rule, capture)) => match byline::parse(&text) {
            // A credit line that also carries the date is read as a byline.
            Some(b) if b.date.is_some() && rule.action() != Action::Title => Fate::Byline(b),
            _ => Fate::Meta(rule.action(), capture, rule.name().to_string()),
        },
        None if text.is_empty() => Fate::Drop(v.stripped.first().map_or("empty", |s| s.0).to_string()),
        None => match byline::parse(&text) {
            Some(b) => Fate::Byline(b),
            None if link_heavy => Fate::Drop("link-list".to_string()),
            None => Fate::Keep,
        },
    };
    (text, fate)
}

/// Text mode: the article is the stretch of lines that reads most like prose
/// (a maximum-sum run: prose counts for its size, chrome against it). When
/// the headline is known the run must start within a few lines after it,
/// so a long list of teasers elsewhere on the page cannot win.
fn assign_zones(lines: &mut [Line], anchors: &[usize]) {
    let mut prefix = Vec::with_capacity(lines.len() + 1);
    prefix.push(0i64);
    for l in lines.iter() {
        prefix.push(prefix.last().copied().unwrap_or(0) + text_weight(l));
    }
    // best_end[s]: the end (exclusive) after s with the largest prefix sum;
    // no run crosses an end-of-article marker or an editor's credit.
    let mut best_end = vec![lines.len(); lines.len() + 1];
    for s in (0..lines.len()).rev() {
        let barrier = lines.get(s).is_some_and(|l| matches!(l.fate, Fate::Tail(_) | Fate::Meta(Action::Editor, _, _)));
        let next = best_end.get(s + 1).copied().unwrap_or(lines.len());
        let here = s + 1;
        let end = if barrier {
            s
        } else if prefix.get(here) >= prefix.get(next) || lines.get(s + 1).is_some_and(|l| matches!(l.fate, Fate::Tail(_) | Fate::Meta(Action::Editor, _, _))) {
            here
        } else {
            next
        };
        if let Some(b) = best_end.get_mut(s) {
            *b = end;
        }
    }
    let best_from = |starts: &mut dyn Iterator<Item = usize>| {
        let mut best = (0i64, 0usize, 0usize);
        for s in starts {
            let e = best_end.get(s).copied().unwrap_or(s);
            let sum = prefix.get(e).copied().unwrap_or(0) - prefix.get(s).copied().unwrap_or(0);
            if sum > best.0 {
                best = (sum, s, e);
            }
        }
        best
    };
    // After a headline the article starts at the first paragraph.
    let first_paragraph = |t: usize| (t + 1..(t + 16).min(lines.len())).find(|&i| lines.get(i).is_some_and(|l| matches!(l.fate, Fate::Keep) && is_paragraph(&l.text)));
    let mut near_title = anchors.iter().filter_map(|&t| first_paragraph(t));
    let mut best = best_from(&mut near_title);
    if best.0 <= 0 {
        best = best_from(&mut (0..lines.len()));
    }
    for (i, l) in lines.iter_mut().enumerate() {
        l.zone = if i < best.1 {
            Zone::Before
        } else if i < best.2 {
            Zone::Body
        } else {
            Zone::After
        };
    }
}

/// How much a line of plain text says "article": Chinese prose has 。 in
/// it; headline lists, teasers and menus do not.
fn text_weight(l: &Line) -> i64 {
    let u = units(&l.text) as i64;
    match &l.fate {
        Fate::Keep if is_paragraph(&l.text) => u,
        Fate::Keep if u >= 30 => u / 2,
        Fate::Keep if is_headline_like(&l.text) => -8,
        Fate::Keep => 0,
        Fate::Tail(_) | Fate::Meta(Action::Editor, _, _) => -1,
        _ => -6,
    }
}

/// A paragraph of running text, not a headline that happens to end in ？ or ！.
fn is_paragraph(text: &str) -> bool {
    let cjk = text.chars().filter(|c| crate::text::is_cjk(*c)).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if cjk * 2 < letters {
        return is_prose(text);
    }
    let m = measure(text);
    text.contains('。') || text.contains('；') || m.is_prose() && m.units >= 40
}

/// Metadata events from every line that is near the article: the header
/// (from the title on), the body, and the first lines after it.
fn collect_meta(lines: &[Line], head: &title::Head) -> Vec<(usize, MetaEvent)> {
    let body_end = lines.iter().rposition(|l| l.zone == Zone::Body).map_or(0, |i| i + 1);
    let from = head.line.unwrap_or_else(|| lines.iter().position(|l| l.zone == Zone::Body).unwrap_or(0)).saturating_sub(2);
    let mut events = Vec::new();
    for (i, l) in lines.iter().enumerate().take(body_end + 15).skip(from) {
        match &l.fate {
            Fate::Meta(Action::Source, Some(v), _) => events.push((i, MetaEvent::Source(v.clone()))),
            Fate::Meta(Action::Author, Some(v), _) => {
                if let Some(n) = byline::names(v) {
                    events.push((i, MetaEvent::Author(n)));
                }
            }
            Fate::Meta(Action::Editor, _, _) => events.push((i, MetaEvent::Editor(l.text.clone()))),
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

fn apply_meta<'a>(a: &mut Article, events: impl Iterator<Item = &'a MetaEvent>) {
    for e in events {
        match e {
            MetaEvent::Source(s) if a.source.is_none() => a.source = Some(s.clone()),
            MetaEvent::Author(s) if a.author.is_none() => a.author = Some(s.clone()),
            MetaEvent::Editor(s) => a.editors.push(s.clone()),
            MetaEvent::Date(d, raw) if a.published.is_none() => {
                a.published = Some(Published::new(*d, raw, DateOrigin::Byline));
            }
            _ => {}
        }
    }
}

/// Meta tags first (they are machine-written), then the byline near the
/// headline, then the address.
fn pick_date(lines: &[Line], head: &title::Head, hints: &Hints) -> Option<Published> {
    if let Some(d) = &hints.date {
        return Some(d.clone());
    }
    let body_start = lines.iter().position(|l| l.zone == Zone::Body).unwrap_or(0);
    // The byline is usually just under the headline, sometimes just above it.
    let title = head.line.unwrap_or(body_start);
    let below = (title + 1..body_start.max(title + 1) + 4).take(12);
    let above = (title.saturating_sub(3)..title).rev();
    let byline_date = below.chain(above).find_map(|i| match lines.get(i).map(|l| &l.fate) {
        Some(Fate::Byline(b)) => b.date.clone(),
        _ => None,
    });
    if let Some((d, raw)) = byline_date {
        return Some(Published::new(d, &raw, DateOrigin::Byline));
    }
    let url = hints.url.as_deref()?;
    PubDate::from_url(url).map(|d| Published::new(d, url, DateOrigin::Url))
}

/// A date opening the first paragraph (`11月8日上午,…`), for pages with no dated byline.
fn first_sentence_date(items: &[Item]) -> Option<Published> {
    let first = items.iter().find(|i| i.kind == BlockKind::Paragraph)?;
    let opening: String = first.text.chars().take(16).collect();
    let (d, raw) = find_date(&opening, true)?;
    opening.starts_with(raw.trim()).then(|| Published::new(d, &raw, DateOrigin::Body))
}

/// The body: kept lines of the main region, minus the headline lines, cut at
/// an end-of-article marker, with broken paragraphs rejoined.
///
/// A marker (相关新闻, Related) with more article text after it than before
/// it is a box inside the article: only the marker and the short lines
/// after it go, up to the next paragraph.
fn body_items(lines: Vec<Line>, head: &title::Head, removed: &mut Vec<Removal>, text_mode: bool) -> Vec<Item> {
    let prose = |l: &Line| {
        let m = if l.zone == Zone::Body && matches!(l.fate, Fate::Keep) { measure(&l.text) } else { Measure::default() };
        if m.is_prose() { m.units } else { 0 }
    };
    let prose_units: Vec<usize> = lines.iter().map(prose).collect();
    let mut prose_after: usize = prose_units.iter().sum();
    let mut prose_before = 0usize;
    let mut items: Vec<Item> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let mut end: Option<String> = None;
    let mut in_box: Option<String> = None;
    for (i, (l, p)) in lines.into_iter().zip(prose_units).enumerate() {
        prose_after -= p;
        if l.zone != Zone::Body {
            if !(l.zone == Zone::Before && head.line == Some(i)) {
                removed.push(Removal::new("outside-article", l.text));
            }
            continue;
        }
        if let Some(rule) = end.as_ref().or(in_box.as_ref().filter(|_| p == 0)) {
            removed.push(Removal::new(rule.clone(), l.text));
            continue;
        }
        in_box = None;
        prose_before += p;
        match l.fate {
            Fate::Keep if head.is_head_line(i, &l.text) => {}
            // Galleries and templates repeat credits ("Photo: AP", "Close") and captions.
            Fate::Keep if repeated(&mut seen, &l.text) => removed.push(Removal::new("duplicate-line", l.text)),
            Fate::Keep => push_item(&mut items, i, l.text, l.kind, head, text_mode),
            Fate::Tail(rule) if !items.is_empty() => {
                removed.push(Removal::new(rule.clone(), l.text));
                if prose_after > prose_before {
                    in_box = Some(rule);
                } else {
                    end = Some(rule);
                }
            }
            Fate::Drop(rule) | Fate::Tail(rule) | Fate::Meta(_, _, rule) => removed.push(Removal::new(rule, l.text)),
            Fate::Byline(_) => removed.push(Removal::new("byline", l.text)),
        }
    }
    items
}

/// A short line seen before, or any line seen twice before: two photos may
/// share a caption, a carousel prints it once a slide. Lines are keyed by a
/// hash so the body's text is not held twice.
fn repeated(seen: &mut std::collections::HashMap<u64, usize>, text: &str) -> bool {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    let n = seen.entry(h.finish()).or_insert(0);
    *n += 1;
    *n > 2 || *n > 1 && units(text) <= 8
}

fn push_item(items: &mut Vec<Item>, pos: usize, mut text: String, kind: BlockKind, head: &title::Head, text_mode: bool) {
    if items.is_empty() {
        text = head.strip_title_prefix(&text);
    }
    if let Some(prev) = items.last_mut() {
        if prev.kind == BlockKind::Table && kind == BlockKind::Table {
            prev.text.push('\n');
            prev.text.push_str(&text);
            return;
        }
        let prev_open = prev.kind == BlockKind::Paragraph || text_mode && prev.kind == BlockKind::Heading;
        let joinable = prev_open && matches!(kind, BlockKind::Paragraph | BlockKind::Heading);
        if joinable && repair::continues(&prev.text, &text, text_mode) {
            prev.text.push_str(&text);
            prev.kind = if text_mode && looks_like_heading(&prev.text) { BlockKind::Heading } else { BlockKind::Paragraph };
            return;
        }
    }
    let numbered = repair::ENUMERATION.is_match(&text);
    let kind = if kind == BlockKind::Paragraph && (text_mode || numbered) && looks_like_heading(&text) { BlockKind::Heading } else { kind };
    items.push(Item { pos, kind, text });
}

/// In text mode a short unpunctuated line between paragraphs is a heading.
fn looks_like_heading(text: &str) -> bool {
    is_headline_like(text) && units(text) <= 30
}
