//! Reposts grouped, and each group's original named by evidence.
//!
//! A copy joins the group of every stored copy it is the same article as
//! (groups it bridges merge). The original is the copy the evidence points
//! at, in this order: the one whose site the other copies name as their
//! source (来源：广东省计生协 on a portal, with the association's site
//! among the copies going by that name; or its domain named); not a copy
//! that says it was taken from the web (来源：网络整理); the earliest date;
//! an official domain (`.gov.cn`, `.org.cn`…)
//! over portals; a whole body over one cut short; the longest body; the
//! copy seen first.

use std::cmp::Ordering;

use url::Url;

use super::fingerprint::Fingerprint;
use super::index::RepostIndex;
use crate::model::Article;

/// Sources a copy credits that say only "from the web" (来源：网络整理): a
/// copy saying so declares itself a copy of something else, whatever its
/// date. Matched whole.
const VAGUE_SOURCES: &[&str] = &[
    "网络",
    "互联网",
    "网络整理",
    "网络综合",
    "综合",
    "综合整理",
    "网络转载",
    "转载",
    "转自网络",
    "来自网络",
    "来源网络",
    "网友投稿",
    "网友分享",
];

/// Domain endings of official sites and associations: an original over a portal's copy.
const OFFICIAL_SUFFIXES: &[&str] = &[".gov.cn", ".org.cn", ".gov", ".edu.cn", ".gov.hk", ".gov.mo", ".gov.tw", ".org"];

/// One copy of an article: where it was found and what it says of itself.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Member {
    /// Where the copy was found.
    pub url: String,
    /// Its publish date, as `YYYY-MM-DD…` (what sorts by time), when it gives one.
    pub published: Option<String>,
    /// The source it credits (来源), when it names one.
    pub source: Option<String>,
    /// The names its own site goes by ([`Article::site_name`], and any the
    /// caller knows): a copy whose site the others name as their source is the original.
    pub site_names: Vec<String>,
    /// Its body was cut short (a paywall, a login stub).
    pub truncated: bool,
    /// Characters in its body.
    pub chars: usize,
    /// Its fingerprint.
    pub fingerprint: Fingerprint,
}

impl Member {
    /// A copy as an article found at `url` describes it.
    pub fn of_article(url: &str, article: &Article) -> Member {
        let text = article.text();
        Member {
            url: url.to_string(),
            published: article.published.as_ref().map(|p| p.value.to_string()),
            source: article.source.clone(),
            site_names: article.site_name.iter().cloned().collect(),
            truncated: article.truncated.is_some(),
            chars: text.chars().count(),
            fingerprint: Fingerprint::of_text(&text),
        }
    }

    /// A copy as a store kept it.
    #[cfg(feature = "crawl")]
    pub(crate) fn stored(
        url: String,
        published: Option<String>,
        source: Option<String>,
        site_names: Vec<String>,
        truncated: bool,
        chars: usize,
        fingerprint: Fingerprint,
    ) -> Member {
        Member { url, published, source, site_names, truncated, chars, fingerprint }
    }

    /// The same copy, its site going by these names.
    pub fn with_site_names(mut self, names: impl IntoIterator<Item = impl Into<String>>) -> Member {
        self.site_names = names.into_iter().map(Into::into).collect();
        self
    }

    fn host(&self) -> String {
        Url::parse(&self.url).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase)).unwrap_or_default()
    }

    /// It says it was taken from "the web" (来源：网络整理): a copy, not an original.
    fn credits_the_web(&self) -> bool {
        let Some(source) = self.source.as_deref() else { return false };
        let source: String = source.chars().filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation()).collect();
        VAGUE_SOURCES.contains(&source.as_str())
    }

    fn is_official(&self) -> bool {
        let host = self.host();
        OFFICIAL_SUFFIXES.iter().any(|s| host.ends_with(s))
    }
}

/// Where a copy stands in its group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The group's id: stable as copies join (its first copy's fingerprint
    /// hash), the same for every copy of the group.
    pub group: String,
    /// The address of the group's original; `None` on the original itself.
    pub repost_of: Option<String>,
}

/// Copies of articles, grouped as they are added.
///
/// ```
/// use report_scraper::repost::{Member, Reposts};
/// let body = "2月17日，2025年广东省计生协工作会议在广州市召开，总结2024年工作，部署2025年重点任务。\
///             会议指出，各级计生协深化推进改革，全省计生协工作迈上新台阶，服务群众能力持续提升。";
/// let original = report_scraper::clean_text(&format!("发布时间：2025-02-20\n{body}"))?;
/// let repost = report_scraper::clean_text(&format!("2025-02-21\n点击上方蓝字\n{}\n来源：广东省计生协", body.replace('，', ",")))?;
/// let mut reposts = Reposts::new();
/// let a = reposts.add(Member::of_article("https://www.zhanhui.com/news/77.html", &repost));
/// let b = reposts.add(Member::of_article("https://www.gdjsx.org.cn/xw/1.html", &original));
/// let (pa, pb) = (reposts.placement(a), reposts.placement(b));
/// assert_eq!(pa.group, pb.group);
/// assert_eq!(pa.repost_of.as_deref(), Some("https://www.gdjsx.org.cn/xw/1.html"));
/// assert_eq!(pb.repost_of, None);
/// # Ok::<(), report_scraper::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Reposts {
    index: RepostIndex<usize>,
    members: Vec<Member>,
    /// Union-find: each copy's parent; a group's root is its first copy.
    parent: Vec<usize>,
    /// A root's copies, in the order added (empty for copies that are not roots).
    copies: Vec<Vec<usize>>,
}

impl Reposts {
    /// No copies yet.
    pub fn new() -> Reposts {
        Reposts { index: RepostIndex::new(), members: Vec::new(), parent: Vec::new(), copies: Vec::new() }
    }

    /// Adds a copy; its number, for [`placement`](Self::placement).
    pub fn add(&mut self, member: Member) -> usize {
        let n = self.members.len();
        self.parent.push(n);
        self.copies.push(vec![n]);
        let same: Vec<usize> = self.index.same_article(&member.fingerprint).map(|(k, _)| *k).collect();
        for other in same {
            self.union(n, other);
        }
        self.index.insert(n, member.fingerprint.clone());
        self.members.push(member);
        n
    }

    /// Copies added.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether none was added.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The copy added `n`th.
    pub fn member(&self, n: usize) -> Option<&Member> {
        self.members.get(n)
    }

    /// The groups: each its copies' numbers (in the order added) and its original's.
    pub fn groups(&self) -> Vec<(Vec<usize>, usize)> {
        self.copies.iter().filter(|c| !c.is_empty()).map(|c| (c.clone(), self.original(c))).collect()
    }

    /// Where copy `n` stands: its group and the group's original.
    ///
    /// # Panics
    /// When `n` is not the number of a copy added.
    pub fn placement(&self, n: usize) -> Placement {
        let root = self.root(n);
        let original = self.original(&self.copies[root]);
        Placement {
            group: self.members[root].fingerprint.group_id(),
            repost_of: (original != n).then(|| self.members[original].url.clone()),
        }
    }

    fn root(&self, mut n: usize) -> usize {
        while self.parent[n] != n {
            n = self.parent[n];
        }
        n
    }

    /// Joins two copies' groups under the older root.
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra == rb {
            return;
        }
        let (keep, fold) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[fold] = keep;
        let moved = std::mem::take(&mut self.copies[fold]);
        self.copies[keep].extend(moved);
        self.copies[keep].sort_unstable();
        // Paths shortened, so roots stay a step or two away.
        self.parent[a] = keep;
        self.parent[b] = keep;
    }

    /// The group's original, by the evidence in the module's order.
    fn original(&self, members: &[usize]) -> usize {
        let copies: Vec<&Member> = members.iter().map(|&m| &self.members[m]).collect();
        members.get(choose_original(&copies)).copied().unwrap_or(0)
    }
}

/// Which of a group's copies is the original (its index in `copies`), by
/// the evidence in the module's order; the first on a tie of everything.
/// 0 for no copies.
///
/// ```
/// use report_scraper::repost::{choose_original, Member};
/// let body = "会议指出，2024年各级计生协深入贯彻落实重要指示精神，深化推进改革，全省计生协工作迈上新台阶。";
/// let original = report_scraper::clean_text(&format!("2025-02-20\n{body}"))?;
/// let repost = report_scraper::clean_text(&format!("2025-02-20\n{body}\n来源：gdjsx.org.cn"))?;
/// let copies = [
///     Member::of_article("https://www.portal.com/a/1.html", &repost),
///     Member::of_article("https://www.gdjsx.org.cn/xw/1.html", &original),
/// ];
/// assert_eq!(choose_original(&[&copies[0], &copies[1]]), 1);
/// # Ok::<(), report_scraper::Error>(())
/// ```
pub fn choose_original(copies: &[&Member]) -> usize {
    let named = |m: &Member| {
        let host = m.host();
        let host = host.trim_start_matches("www.");
        copies
            .iter()
            .filter(|o| o.host() != m.host())
            .filter_map(|o| o.source.as_deref())
            .filter(|source| {
                let source = source.to_ascii_lowercase();
                (host.contains('.') && source.contains(host))
                    || m.site_names.iter().any(|name| !name.is_empty() && source.contains(name.as_str()))
            })
            .count()
    };
    let best = (0..copies.len()).max_by(|&a, &b| {
        let (ma, mb) = (copies[a], copies[b]);
        named(ma)
            .cmp(&named(mb))
            .then_with(|| mb.credits_the_web().cmp(&ma.credits_the_web()))
            .then_with(|| earlier(ma.published.as_deref(), mb.published.as_deref()))
            .then_with(|| ma.is_official().cmp(&mb.is_official()))
            .then_with(|| mb.truncated.cmp(&ma.truncated))
            .then_with(|| ma.chars.cmp(&mb.chars))
            .then_with(|| b.cmp(&a))
    });
    best.unwrap_or(0)
}

/// `Greater` when `a` is the earlier day (a copy without a date is the latest).
fn earlier(a: Option<&str>, b: Option<&str>) -> Ordering {
    let day = |d: Option<&str>| d.map(|d| d.chars().take(10).collect::<String>());
    match (day(a), day(b)) {
        (Some(a), Some(b)) => b.cmp(&a),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    }
}
