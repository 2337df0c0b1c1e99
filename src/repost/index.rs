//! Finding an article's near-duplicates among many without comparing it to
//! each: the signature cut into [`BANDS`] bands of [`ROWS`] minima, each
//! band hashed into a table. Two bodies with Jaccard similarity `j` share
//! at least one band with probability `1 - (1 - j^ROWS)^BANDS`: 0.94 at
//! 0.4 (a repost cut to 40% of its original), 0.996 at 0.5, 0.005 at 0.05
//! (two unrelated articles of the same field). The candidates are then
//! checked with [`Fingerprint::same_article`].
//!
//! Each band's table maps a band's hash to the last article that had it;
//! earlier ones are chained through a flat array, so an article costs
//! `BANDS` table entries and `BANDS` links, and no allocation of its own.

use std::collections::HashMap;

use super::fingerprint::{Fingerprint, HASHES};

/// Bands of a signature in the index.
pub const BANDS: usize = 42;
/// Minima per band.
pub const ROWS: usize = HASHES / BANDS;

/// No article: the end of a chain.
const NONE: u32 = u32::MAX;

/// Near-duplicate lookup over fingerprints, each stored with a key of the
/// caller's (an address, a row id).
///
/// ```
/// use report_scraper::repost::{Fingerprint, RepostIndex};
/// let mut index = RepostIndex::new();
/// let body = "2月17日，2025年广东省计生协工作会议在广州市召开，总结2024年工作，部署2025年重点任务。\
///             会议指出，各级计生协深化推进改革，全省计生协工作迈上新台阶，服务群众能力持续提升。";
/// index.insert("https://www.gdjsx.cn/a.html", Fingerprint::of_text(body));
/// index.insert("https://www.gdjsx.cn/b.html", Fingerprint::of_text("3月5日，省计生协召开党组会议，传达学习全国两会精神。"));
/// let repost = Fingerprint::of_text(&body.replace('，', ","));
/// let found: Vec<_> = index.same_article(&repost).map(|(key, _)| *key).collect();
/// assert_eq!(found, ["https://www.gdjsx.cn/a.html"]);
/// ```
#[derive(Debug, Default)]
pub struct RepostIndex<K> {
    keys: Vec<K>,
    prints: Vec<Fingerprint>,
    /// Per band: a band's hash → the last article with it.
    heads: Vec<HashMap<u32, u32>>,
    /// Per article and band: the previous article with the same band hash.
    next: Vec<u32>,
    /// Short bodies are found by their exact hash instead (a band of a short body says little).
    exact: HashMap<u64, u32>,
}

impl<K> RepostIndex<K> {
    /// An empty index.
    pub fn new() -> RepostIndex<K> {
        RepostIndex {
            keys: Vec::new(),
            prints: Vec::new(),
            heads: (0..BANDS).map(|_| HashMap::new()).collect(),
            next: Vec::new(),
            exact: HashMap::new(),
        }
    }

    /// Articles stored.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether none is stored.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Stores a fingerprint under `key`.
    ///
    /// # Panics
    /// Never in practice: past 4 billion articles the index is full and
    /// further ones are not stored.
    pub fn insert(&mut self, key: K, print: Fingerprint) {
        let Ok(id) = u32::try_from(self.keys.len()) else { return };
        if id == NONE {
            return;
        }
        for (band, hash) in bands(&print).into_iter().enumerate() {
            let previous = self.heads[band].insert(hash, id).unwrap_or(NONE);
            self.next.push(previous);
        }
        self.exact.entry(print.exact_hash()).or_insert(id);
        self.keys.push(key);
        self.prints.push(print);
    }

    /// The stored articles that share a band with `print` (or its exact
    /// text), unchecked; each once.
    pub fn candidates(&self, print: &Fingerprint) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        if let Some(&id) = self.exact.get(&print.exact_hash()) {
            found.push(id as usize);
        }
        for (band, hash) in bands(print).into_iter().enumerate() {
            let mut at = self.heads[band].get(&hash).copied().unwrap_or(NONE);
            while at != NONE {
                found.push(at as usize);
                at = self.next[at as usize * BANDS + band];
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The stored articles that are the same article as `print`, oldest first.
    pub fn same_article<'a>(&'a self, print: &'a Fingerprint) -> impl Iterator<Item = (&'a K, &'a Fingerprint)> + 'a {
        self.candidates(print)
            .into_iter()
            .filter(move |&id| self.prints[id].same_article(print))
            .map(move |id| (&self.keys[id], &self.prints[id]))
    }

    /// The key and fingerprint stored `n`th (from 0).
    pub fn get(&self, n: usize) -> Option<(&K, &Fingerprint)> {
        Some((self.keys.get(n)?, self.prints.get(n)?))
    }
}

/// The hashes of a signature's bands (a stored index keeps them as keys).
pub(crate) fn bands(print: &Fingerprint) -> [u32; BANDS] {
    let mut out = [0u32; BANDS];
    for (band, rows) in print.mins().chunks_exact(ROWS).enumerate() {
        let mut h: u64 = band as u64;
        for r in rows {
            h = h.wrapping_mul(0x100_0000_01b3) ^ u64::from(*r);
        }
        out[band] = (h ^ (h >> 32)) as u32;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(seed: usize) -> String {
        (0..30).map(|i| format!("第{}段，计生协开展第{}项工作，服务群众{}次。", i + seed, i * seed, seed)).collect()
    }

    #[test]
    fn finds_the_same_article_and_only_it() {
        let mut index = RepostIndex::new();
        for seed in 1..50 {
            index.insert(seed, Fingerprint::of_text(&body(seed)));
        }
        let repost = body(7).replace('，', ",");
        let found: Vec<_> = index.same_article(&Fingerprint::of_text(&repost)).map(|(k, _)| *k).collect();
        assert_eq!(found, [7]);
        assert_eq!(index.len(), 49);
    }

    #[test]
    fn candidates_agree_with_a_scan_of_every_article() {
        // The index is an optimisation: what it finds among the candidates is what
        // checking every stored article finds, for near and far pairs alike.
        let mut index = RepostIndex::new();
        let mut all = Vec::new();
        for seed in 1..40 {
            let text = body(seed % 13);
            let cut: String = text.chars().take(200 + seed * 7).collect();
            let print = Fingerprint::of_text(&cut);
            index.insert(seed, print.clone());
            all.push((seed, print));
        }
        let (mut found, mut pairs) = (0, 0);
        for (_, probe) in &all {
            let by_index: Vec<_> = index.same_article(probe).map(|(k, _)| *k).collect();
            let by_scan: Vec<_> = all.iter().filter(|(_, p)| p.same_article(probe)).map(|(k, _)| *k).collect();
            // Banding may miss a pair the scan finds (that is its error rate); it never adds one.
            assert!(by_index.iter().all(|k| by_scan.contains(k)), "{by_index:?} vs {by_scan:?}");
            (found, pairs) = (found + by_index.len(), pairs + by_scan.len());
        }
        assert!(found * 100 >= pairs * 95, "the index found {found} of {pairs} pairs");
    }
}
