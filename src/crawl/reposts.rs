//! Reposts across the crawl's sites: each article written is placed among
//! the copies the state keeps (any worker's, any run's), joins the group of
//! the oldest copy it is the same article as, and names the group's
//! original as known then. The state keeps every copy, so the final
//! grouping ([`Crawler::reposts`]) names each group's original whatever
//! order the copies came in.

use std::collections::BTreeMap;

use serde::Serialize;

use super::state::{Frontier, KeptCopy};
use super::{CrawledArticle, Crawler};
use crate::error::Error;
use crate::repost::{Member, choose_original};

/// A copy in the crawl's final grouping of reposts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RepostRow {
    /// Where the copy was found (after redirects).
    pub url: String,
    /// Its group's id, as in its record.
    pub group: String,
    /// The group's original; `None` on the original itself.
    pub repost_of: Option<String>,
}

impl Crawler {
    /// Places each record of a page among the kept copies, sets its
    /// `group` and `repost_of`, and keeps it.
    pub(crate) async fn place_reposts<S: Frontier>(
        &self,
        state: &S,
        records: &mut [CrawledArticle],
        row: i64,
    ) -> Result<(), Error> {
        if !self.config.reposts() {
            return Ok(());
        }
        for record in records.iter_mut() {
            let member = Member::of_article(record.final_url.as_str(), &record.article);
            // A body without a shingle is nobody's copy, and nothing is its copy.
            if member.fingerprint.shingles() == 0 {
                continue;
            }
            let mut copy = KeptCopy { row, part: record.part, group: member.fingerprint.group_id(), member };
            let same: Vec<KeptCopy> = state
                .reposts_near(&copy.band_keys())
                .await?
                .into_iter()
                .filter(|k| (k.row, k.part) != (row, record.part))
                .filter(|k| k.member.fingerprint.same_article(&copy.member.fingerprint))
                .collect();
            if let Some(oldest) = same.iter().min_by_key(|k| (k.row, k.part)) {
                copy.group.clone_from(&oldest.group);
            }
            let mut members: Vec<&Member> = same.iter().filter(|k| k.group == copy.group).map(|k| &k.member).collect();
            members.push(&copy.member);
            let original = choose_original(&members);
            record.repost_of = (original + 1 != members.len()).then(|| members[original].url.clone());
            record.group = Some(copy.group.clone());
            state.keep_repost(&copy).await?;
        }
        Ok(())
    }

    /// The crawl's grouping of reposts as its state keeps it now: every
    /// copy written, its group, and the group's original chosen among all
    /// its copies (a record written before its original was met names it
    /// here).
    ///
    /// # Errors
    /// [`ErrorKind::State`](crate::ErrorKind::State) when the state fails.
    pub async fn reposts<S: Frontier>(state: &S) -> Result<Vec<RepostRow>, Error> {
        let copies = state.repost_copies().await?;
        let mut groups: BTreeMap<&str, Vec<&Member>> = BTreeMap::new();
        for c in &copies {
            groups.entry(c.group.as_str()).or_default().push(&c.member);
        }
        let originals: BTreeMap<&str, &str> =
            groups.iter().map(|(g, m)| (*g, m[choose_original(m)].url.as_str())).collect();
        Ok(copies
            .iter()
            .map(|c| {
                let original = originals.get(c.group.as_str()).copied().unwrap_or_default();
                RepostRow {
                    url: c.member.url.clone(),
                    group: c.group.clone(),
                    repost_of: (original != c.member.url).then(|| original.to_string()),
                }
            })
            .collect())
    }
}
