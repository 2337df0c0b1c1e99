//! The cleaning pipeline shared by HTML and text mode: lines in, articles out.
//!
//! A front end hands over [`RawLine`]s and a [`Context`]; the stages run in
//! this order, each in its own module:
//!
//! 1. [`prepare`]: white space normalised, pipe layouts unwrapped, paywall
//!    stubs cut out ([`paywall`]), every line judged by the [`rules`]
//!    (bylines read by [`byline`], dates by [`date`]);
//! 2. [`zones`], only where the front end could not tell them: the article
//!    is the run of lines that reads most like prose;
//! 3. [`title`]: the headline, kicker and subtitle;
//! 4. [`assemble`] reads the metadata off the lines, [`body`] keeps the
//!    article's lines ([`repair`] rejoins broken paragraphs), [`split`]
//!    finds where later articles start, and [`assemble`] makes the articles.

pub(crate) mod assemble;
pub(crate) mod body;
pub(crate) mod byline;
pub(crate) mod date;
pub(crate) mod line;
pub(crate) mod paywall;
pub(crate) mod prepare;
pub(crate) mod repair;
pub(crate) mod rules;
pub(crate) mod split;
pub(crate) mod title;
pub(crate) mod zones;

use self::assemble::Parts;
use self::line::{Context, RawLine};
use self::rules::RuleSet;
use crate::model::{Article, Removal};

/// The articles in the lines, and every removal made on the way.
pub(crate) fn run(raw: Vec<RawLine>, ctx: &Context, rules: &RuleSet) -> (Vec<Article>, Vec<Removal>) {
    let prepare::Prepared { mut lines, stubs, mut removed } = prepare::prepare(raw, rules, ctx.now);
    if !ctx.layout.zones_known {
        let anchors = title::hint_lines(&lines, &ctx.titles);
        zones::assign(&mut lines, &anchors);
    }
    let head = title::find(&lines, ctx);
    let events = assemble::meta_events(&lines, &head);
    let page_date = assemble::page_date(&lines, &head, ctx);
    let reader = body::Reader { head: &head, rules, blocks_marked: ctx.layout.blocks_marked };
    let items = reader.items(lines, &mut removed);
    let starts = std::iter::once(0).chain(split::split_points(&items)).collect();
    let parts = Parts { items, starts, events: &events, page_date, head: &head, stubs: &stubs };
    let articles = parts.articles().into_iter().filter(|a| !(a.is_empty() && a.title.is_none())).collect();
    (articles, removed)
}
