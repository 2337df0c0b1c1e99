//! The cleaning pipeline shared by HTML and text mode: lines in, articles out.
//!
//! A front end hands over [`RawLine`]s and a [`Context`]; the stages run in
//! this order, each in its own module:
//!
//! 1. [`prepare`]: white space normalised, pipe layouts unwrapped, paywall
//!    stubs cut out ([`paywall`]), every line judged by the [`rules`]
//!    (bylines read by [`byline`], dates by [`dates`] with the page's
//!    `Reading`);
//! 2. [`zones`], only where the front end could not tell them: the article
//!    is the run of lines that reads most like prose;
//! 3. [`title`]: the headline, kicker and subtitle;
//! 4. [`published`] gathers the page's dates and [`dates`] weighs them;
//!    [`assemble`] reads the other metadata off the lines, [`body`] keeps the
//!    article's lines ([`repair`] rejoins broken paragraphs), [`split`]
//!    finds where later articles start, and [`assemble`] makes the articles.

pub(crate) mod assemble;
pub(crate) mod body;
pub(crate) mod byline;
pub(crate) mod dates;
pub(crate) mod lang;
pub(crate) mod line;
pub(crate) mod paywall;
pub(crate) mod prepare;
pub(crate) mod published;
pub(crate) mod repair;
pub(crate) mod rules;
pub(crate) mod split;
pub(crate) mod title;
pub(crate) mod zones;

use std::time::Instant;

use self::assemble::Parts;
use self::dates::Reading;
use self::line::{Context, RawLine};
use self::rules::RuleSet;
use crate::model::{Article, DateCandidate, Removal};

/// What the pipeline makes of a page's lines.
pub(crate) struct Cleaned {
    pub articles: Vec<Article>,
    /// Every removal made on the way.
    pub removed: Vec<Removal>,
    /// The page's dates as they were weighed, best first.
    pub dates: Vec<DateCandidate>,
}

/// The articles in the lines; `None` when the deadline passed first. The
/// deadline is looked at between stages (each is linear in the lines), so a
/// page past its budget costs its budget and one stage, not the whole run.
pub(crate) fn run(raw: Vec<RawLine>, ctx: &Context, rules: &RuleSet, deadline: Option<Instant>) -> Option<Cleaned> {
    let late = || deadline.is_some_and(|d| Instant::now() > d);
    // The article's own lines say best what it is written in; menus may be in English.
    let script = || {
        let body = raw.iter().filter(|l| l.zone == line::Zone::Body);
        dates::zone::script(body.chain(raw.iter().filter(|l| l.zone != line::Zone::Body)).map(|l| l.text.as_str()))
    };
    let reading = Reading::for_page(ctx.url.as_deref(), ctx.lang.as_deref(), script, ctx.now);
    let prepare::Prepared { mut lines, mut stubs, mut removed } = prepare::prepare(raw, rules, &reading);
    if late() {
        return None;
    }
    if !ctx.layout.zones_known {
        let anchors = title::hint_lines(&lines, &ctx.titles);
        zones::assign(&mut lines, &anchors);
    }
    let head = title::find(&lines, ctx);
    if late() {
        return None;
    }
    let events = assemble::meta_events(&lines, &head);
    let (dates, page_date) = published::dates(&lines, &head, ctx, &reading);
    if late() {
        return None;
    }
    let reader = body::Reader { head: &head, rules, blocks_marked: ctx.layout.blocks_marked };
    let items = reader.items(lines, &mut removed, &mut stubs);
    if late() {
        return None;
    }
    let starts = std::iter::once(0).chain(split::split_points(&items)).collect();
    let base = ctx.base.as_ref();
    let parts =
        Parts { items, starts, events: &events, page_date, head: &head, stubs: &stubs, reading: &reading, base };
    let mut articles: Vec<Article> =
        parts.articles().into_iter().filter(|a| !(a.is_empty() && a.title.is_none())).collect();
    for a in &mut articles {
        a.lang = ctx.lang.clone().or_else(|| ctx.detect_lang.then(|| lang::detect(&a.text())).flatten());
        a.site_name = ctx.site.clone();
    }
    Some(Cleaned { articles, removed, dates })
}
