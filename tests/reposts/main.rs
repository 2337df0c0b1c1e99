//! Reposts grouped and their originals named, measured on a labelled set
//! built at test time from the shared evaluation pages (never copied): each
//! real page of `zh-dev` and `zh-more` is an original, extracted from its
//! HTML; its reposts are made by what portals do to a text (their noise
//! lines, a paywall cut, a new headline, other punctuation widths, a
//! paragraph dropped or another inserted, a trip through GBK) and read back
//! through the text-mode cleaner. Every pair of different pages is a
//! negative: the same sites and templates, the same topics, and the seeds
//! (themselves reposts of different articles) against each other.
//!
//! Pair precision and recall, and the share of groups whose original is
//! chosen right, against the targets.

#[path = "../support/mod.rs"]
mod support;

mod corpus;

use std::collections::HashMap;

use report_scraper::repost::{Member, Reposts};

/// Pair precision at least this.
const PRECISION: f64 = 0.99;
/// Pair recall at least this.
const RECALL: f64 = 0.95;
/// Groups whose original is chosen right, at least this share (the
/// issue's target; 0.958 is measured).
const ORIGINALS: f64 = 0.95;

#[test]
fn reposts_are_grouped_under_their_original() {
    let Some(set) = corpus::build() else { return };
    let mut reposts = Reposts::new();
    let mut truth: Vec<usize> = Vec::new();
    for copy in &set.copies {
        reposts.add(Member::of_article(&copy.url, &copy.article));
        truth.push(copy.story);
    }
    // Pairs: in the same group by the grouping, and by the truth.
    let placements: Vec<_> = (0..reposts.len()).map(|n| reposts.placement(n)).collect();
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    let mut wrong = Vec::new();
    for a in 0..truth.len() {
        for b in a + 1..truth.len() {
            match (placements[a].group == placements[b].group, truth[a] == truth[b]) {
                (true, true) => tp += 1,
                (true, false) => {
                    fp += 1;
                    wrong.push(format!("merged: {} and {}", set.copies[a].label, set.copies[b].label));
                }
                (false, true) => {
                    fn_ += 1;
                    wrong.push(format!("apart: {} and {}", set.copies[a].label, set.copies[b].label));
                }
                (false, false) => {}
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    // Originals: per true story with reposts, the copy named original by its members.
    let mut stories: HashMap<usize, Vec<usize>> = HashMap::new();
    for (n, story) in truth.iter().enumerate() {
        stories.entry(*story).or_default().push(n);
    }
    let (mut right, mut groups) = (0, 0);
    for members in stories.values().filter(|m| m.len() > 1) {
        groups += 1;
        let original = members.iter().copied().find(|&n| set.copies[n].original);
        let named = members.iter().copied().find(|&n| placements[n].repost_of.is_none());
        let agreed = members.iter().all(|&n| match (&placements[n].repost_of, original) {
            (None, Some(o)) => n == o,
            (Some(url), Some(o)) => *url == set.copies[o].url,
            _ => false,
        });
        if agreed && named == original {
            right += 1;
        } else if let Some(o) = original {
            wrong.push(format!("original of {}: {:?}", set.copies[o].label, named.map(|n| &set.copies[n].label)));
        }
    }
    let originals = f64::from(right) / f64::from(groups.max(1));
    eprintln!(
        "repost evaluation: {} copies of {} stories ({} with reposts); pairs: precision {precision:.4} recall {recall:.4} \
         (tp {tp}, fp {fp}, fn {fn_}); originals right {right}/{groups} = {originals:.3}",
        truth.len(),
        stories.len(),
        groups
    );
    wrong.sort_by_key(|w| !w.starts_with("original"));
    for w in wrong.iter().take(30) {
        eprintln!("  {w}");
    }
    if let Ok(pat) = std::env::var("REPOST_SHOW") {
        for c in set.copies.iter().filter(|c| c.label.contains(&pat)) {
            eprintln!(
                "--- {} [{}] {:?} src={:?}\n{}",
                c.label,
                c.url,
                c.article.published.as_ref().map(|p| p.value.to_string()),
                c.article.source,
                c.article.text()
            );
        }
    }
    assert!(precision >= PRECISION, "pair precision {precision:.4} below {PRECISION}");
    assert!(recall >= RECALL, "pair recall {recall:.4} below {RECALL}");
    assert!(originals >= ORIGINALS, "originals right {originals:.3} below {ORIGINALS}");
}
