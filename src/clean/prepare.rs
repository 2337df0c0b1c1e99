//! The first stage: white space normalised, pipe layouts unwrapped, paywall
//! stubs cut out, and every line judged by the rules.

use super::byline;
use super::dates::Reading;
use super::line::{Fate, Field, Line, RawLine, Zone};
use super::paywall::{self, Stub};
use super::repair;
use super::rules::{Action, LINK_LIST, OUTSIDE_ARTICLE, Rule, RuleSet};
use crate::model::Removal;
use crate::text::{squash_space, squash_space_owned};
use crate::tuning::{META_WINDOW_AFTER, META_WINDOW_BEFORE};

/// The judged lines of a page, with what was cut from them on the way.
pub(crate) struct Prepared {
    pub lines: Vec<Line>,
    pub stubs: Vec<Stub>,
    pub removed: Vec<Removal>,
}

/// Normalises space, unwraps pipe layouts, cuts paywall stubs and judges
/// every line; bylines' dates are read with the page's `reading`.
pub(crate) fn prepare(raw: Vec<RawLine>, rules: &RuleSet, reading: &Reading) -> Prepared {
    let mut out = Prepared { lines: Vec::with_capacity(raw.len()), stubs: Vec::new(), removed: Vec::new() };
    // Lines far from a known body (HTML menus, footers) are never read by
    // the headline, byline or metadata steps, so no rule is run on them.
    let body = raw.iter().position(|r| r.zone == Zone::Body).zip(raw.iter().rposition(|r| r.zone == Zone::Body));
    let near =
        |i: usize| body.is_none_or(|(first, last)| i + META_WINDOW_BEFORE >= first && i <= last + META_WINDOW_AFTER);
    for (i, r) in raw.into_iter().enumerate() {
        // Headlines may stand far above the body, never below it.
        let before_body = body.is_none_or(|(first, _)| i < first);
        if !(near(i) || r.title_candidate && before_body) {
            let fate = Fate::Drop(OUTSIDE_ARTICLE.into());
            let (text, kind, zone, stamps) = (r.text, r.kind, r.zone, r.stamps);
            out.lines.push(Line { fate, text, kind, zone, title_candidate: false, stamps, media: Vec::new() });
            continue;
        }
        let text = squash_space_owned(r.text);
        // Menus and link lists around the body: no rule can make them
        // article text, only a byline among them matters.
        if r.link_heavy && r.zone != Zone::Body && !r.title_candidate && rules.applies(LINK_LIST) {
            let fate = byline::parse(&text, reading).map_or_else(|| Fate::Drop(LINK_LIST.into()), Fate::Byline);
            let (kind, zone, stamps) = (r.kind, r.zone, r.stamps);
            out.lines.push(Line { text, kind, zone, title_candidate: false, fate, stamps, media: Vec::new() });
            continue;
        }
        // The markup's dates, links and images ride on the first piece of the line.
        let (mut stamps, mut media) = (r.stamps, r.media);
        for cell in repair::unwrap_pipes(text) {
            for piece in paywall::cut(cell, rules.paywalls(), out.lines.len(), &mut out.stubs) {
                let piece = squash_space_owned(piece);
                if piece.is_empty() {
                    continue;
                }
                let judged = Judged { rules, reading, link_heavy: r.link_heavy, zone: r.zone };
                let (text, fate) = judged.judge(piece, &mut out.removed);
                let (stamps, media) = (std::mem::take(&mut stamps), std::mem::take(&mut media));
                let title_candidate = r.title_candidate;
                out.lines.push(Line { text, kind: r.kind, zone: r.zone, title_candidate, fate, stamps, media });
            }
        }
    }
    let stubs = out.stubs.iter().map(|s| Removal::new(s.rule.clone(), s.text.clone()));
    out.removed.extend(stubs);
    out
}

/// A line to judge, with what its judging depends on.
struct Judged<'a> {
    rules: &'a RuleSet,
    reading: &'a Reading,
    link_heavy: bool,
    zone: Zone,
}

impl Judged<'_> {
    /// What the rules make of one line: its text after `strip` rules, and its fate.
    fn judge(&self, line: String, removed: &mut Vec<Removal>) -> (String, Fate) {
        let (rules, link_heavy, zone) = (self.rules, self.link_heavy, self.zone);
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
            Some((rule, capture)) => self.decided(rule, capture, &text),
            // Everything on the line was stripped (only a strip rule changes a line).
            None if text.is_empty() => v.stripped_by.map_or(Fate::Keep, |rule| Fate::Drop(rule.to_string())),
            None => match byline::parse(&text, self.reading) {
                Some(b) => Fate::Byline(b),
                None if link_heavy && rules.applies(LINK_LIST) => Fate::Drop(LINK_LIST.to_string()),
                None => Fate::Keep,
            },
        };
        (text, fate)
    }

    /// The fate a deciding rule gives a line: what each action means, in one place.
    fn decided(&self, rule: &Rule, capture: Option<String>, text: &str) -> Fate {
        let name = rule.name().to_string();
        let field = match rule.action() {
            Action::DropLine => return Fate::Drop(name),
            Action::DropRest => return Fate::Tail(name),
            Action::DropBox => return Fate::Box(name),
            Action::Source => Field::Source,
            Action::Author => Field::Author,
            Action::Editor => Field::Editor,
            Action::Title => Field::Title,
            // Neither decides a line: strips are applied before, paywalls cut lines earlier still.
            Action::Strip | Action::Paywall => return Fate::Keep,
        };
        match byline::parse(text, self.reading) {
            // A credit line that also carries the date is read as a byline.
            Some(b) if b.date.is_some() && field != Field::Title => Fate::Byline(b),
            _ => Fate::Field(field, capture, name),
        }
    }
}
