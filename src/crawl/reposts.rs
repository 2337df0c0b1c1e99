//! Reposts across the crawl's sites: each article written is placed among
//! the copies the state keeps (any worker's, any run's), joins the group of
//! the oldest copy it is the same article as, and names the group's
//! original as known then. The state keeps every copy, so the final
//! grouping ([`Crawler::reposts`]) names each group's original whatever
//! order the copies came in, and joins groups that workers started apart.

use serde::Serialize;

use super::state::{Frontier, KeptCopy};
use super::{CrawledArticle, Crawler};
use crate::error::Error;
use crate::repost::{Member, Reposts, choose_original};

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
    /// here). The copies are grouped again from their fingerprints, so
    /// groups that two workers started at the same moment for one story
    /// are one here (under the older group's id); the copies are held in
    /// memory for it (about 1.5 KB each).
    ///
    /// # Errors
    /// [`ErrorKind::State`](crate::ErrorKind::State) when the state fails.
    pub async fn reposts<S: Frontier>(state: &S) -> Result<Vec<RepostRow>, Error> {
        let copies = state.repost_copies().await?;
        let mut grouping = Reposts::new();
        for c in &copies {
            grouping.add(c.member.clone());
        }
        let mut rows: Vec<(usize, RepostRow)> = Vec::with_capacity(copies.len());
        for (members, original) in grouping.groups() {
            // The group keeps the id its oldest copy was written with.
            let group = members.first().map(|&m| copies[m].group.clone()).unwrap_or_default();
            for m in members {
                let repost_of = (m != original).then(|| copies[original].member.url.clone());
                rows.push((m, RepostRow { url: copies[m].member.url.clone(), group: group.clone(), repost_of }));
            }
        }
        rows.sort_by_key(|(m, _)| *m);
        Ok(rows.into_iter().map(|(_, r)| r).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::CrawlState;

    fn copy(row: i64, group: &str, url: &str, date: &str, body: &str) -> KeptCopy {
        let article = crate::clean_text(&format!("{date}\n{body}")).unwrap();
        KeptCopy { row, part: 0, group: group.into(), member: Member::of_article(url, &article) }
    }

    #[tokio::test]
    async fn groups_two_workers_started_at_once_are_one_in_the_final_grouping() {
        let body = "2月17日，2025年全省计生协工作会议在广州市召开，总结2024年工作，部署2025年重点任务。\
                    会议指出，各级计生协深入贯彻落实重要指示精神，深化推进改革，全省计生协工作迈上新台阶。";
        let state = CrawlState::in_memory().unwrap();
        // Each worker met no copy of the other's: two groups for one story.
        state.keep_repost(&copy(1, "aaaa", "https://portal.com/1.html", "2025-02-21", body)).unwrap();
        state.keep_repost(&copy(2, "bbbb", "https://gdjsx.org.cn/1.html", "2025-02-20", body)).unwrap();
        let other =
            "3月5日，省计生协召开党组会议，传达学习全国两会精神，研究部署贯彻落实工作，要求各级计生协抓好落实。";
        state.keep_repost(&copy(3, "cccc", "https://gdjsx.org.cn/2.html", "2025-03-05", other)).unwrap();
        let rows = Crawler::reposts(&state).await.unwrap();
        let by: Vec<(&str, &str, Option<&str>)> =
            rows.iter().map(|r| (r.url.as_str(), r.group.as_str(), r.repost_of.as_deref())).collect();
        assert_eq!(
            by,
            [
                ("https://portal.com/1.html", "aaaa", Some("https://gdjsx.org.cn/1.html")),
                ("https://gdjsx.org.cn/1.html", "aaaa", None),
                ("https://gdjsx.org.cn/2.html", "cccc", None),
            ]
        );
    }
}
