//! The seen-set key of an address, and the fingerprint of an article.

use std::collections::{BTreeSet, HashMap};
use std::hash::Hasher;
use std::sync::RwLock;

use url::Url;

use super::LEARN_AFTER;
use crate::crawl::urls::canonical_url;
use crate::model::Article;

/// A SipHash-1-3 with fixed keys: stable across runs and versions.
fn hasher() -> siphasher::sip::SipHasher13 {
    siphasher::sip::SipHasher13::new_with_keys(0x7265_706f_7274, 0x0073_6372_6170_6572)
}

/// `scheme://host:port` of an address, and its path with query.
pub(crate) fn split(url: &Url) -> (String, String) {
    let origin = url.origin().ascii_serialization();
    let mut path = url.path().to_string();
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(q);
    }
    (origin, path)
}

/// Query parameters learned to be irrelevant, by origin: a backend's copy
/// of its table, read by every key.
#[derive(Debug, Default)]
pub(super) struct Learned(RwLock<HashMap<String, BTreeSet<String>>>);

impl Learned {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, BTreeSet<String>>> {
        // A panic while holding the lock left a map, whole.
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, BTreeSet<String>>> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Replaces the copy with these `(origin, name)` rows.
    pub(super) fn replace(&self, rows: impl IntoIterator<Item = (String, String)>) {
        let mut learned = self.write();
        learned.clear();
        for (origin, name) in rows {
            learned.entry(origin).or_default().insert(name);
        }
    }

    /// Adds parameters learned on `origin`.
    fn add(&self, origin: &str, names: &[String]) {
        self.write().entry(origin.to_string()).or_default().extend(names.iter().cloned());
    }

    /// A piece of evidence was recorded for each of `names` on `origin`
    /// (`added`: it was new; `pieces`: how many the parameter has now).
    /// Those it makes learned are added, logged and returned.
    pub(super) fn evidence(&self, origin: &str, names: impl IntoIterator<Item = (String, bool, i64)>) -> Vec<String> {
        let now: Vec<String> =
            names.into_iter().filter(|(_, added, pieces)| *added && *pieces == LEARN_AFTER).map(|(n, ..)| n).collect();
        if !now.is_empty() {
            self.add(origin, &now);
            tracing::info!(origin, params = ?now, "query parameters learned to be irrelevant");
        }
        now
    }

    /// Every `(origin, name)`, sorted.
    pub(super) fn list(&self) -> Vec<(String, String)> {
        let learned = self.read();
        let mut out: Vec<(String, String)> =
            learned.iter().flat_map(|(o, names)| names.iter().map(move |n| (o.clone(), n.clone()))).collect();
        out.sort();
        out
    }

    /// The seen-set key of an address: a hash of its canonical form, less
    /// the parameters learned to be irrelevant on its origin, and for a
    /// form sent by POST, of the fields that choose its answer.
    pub(super) fn key(&self, url: &Url, selects: Option<&str>) -> i64 {
        let mut canonical = canonical_url(url.as_str()).unwrap_or_else(|_| url.clone());
        let learned = self.read();
        if let Some(names) = learned.get(&url.origin().ascii_serialization()).filter(|_| canonical.query().is_some()) {
            let kept: Vec<(String, String)> = canonical
                .query_pairs()
                .filter(|(k, _)| !names.contains(k.as_ref()))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            if kept.is_empty() {
                canonical.set_query(None);
            } else {
                canonical.query_pairs_mut().clear().extend_pairs(kept);
            }
        }
        let mut h = hasher();
        h.write(canonical.as_str().as_bytes());
        if let Some(selects) = selects {
            // A separator no address holds keeps "a?b" + "c" apart from "a?bc".
            h.write(b"\0POST\0");
            h.write(selects.as_bytes());
        }
        h.finish() as i64
    }
}

/// The fingerprint of an article: its headline and body with all white
/// space dropped and full-width ASCII read as ASCII, hashed. Two copies of
/// one article (a print version, the same page under a tracking parameter)
/// agree; two notices that share a body but not a headline do not.
pub(crate) fn fingerprint(article: &Article) -> i64 {
    let mut h = hasher();
    feed(&mut h, article.title.as_deref().unwrap_or_default());
    h.write(b"\0");
    for block in &article.blocks {
        feed(&mut h, &block.text);
    }
    h.finish() as i64
}

/// Hashes `text` without its white space, full-width ASCII as ASCII.
fn feed(h: &mut impl Hasher, text: &str) {
    let mut buf = [0u8; 4];
    for c in text.chars().filter(|c| !c.is_whitespace()).map(narrow) {
        h.write(c.encode_utf8(&mut buf).as_bytes());
    }
}

/// Full-width forms of ASCII (！ to ～) as ASCII; every other character as it is.
fn narrow(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::state::CrawlState;

    fn article(title: &str, text: &str) -> Article {
        crate::clean_text(&format!("{title}\n{text}")).unwrap()
    }

    #[test]
    fn fingerprints_ignore_space_and_width_not_headlines() {
        let a = article("市计生协召开会议", "会议指出,要做好2024年工作。会议要求各级协会抓好落实。");
        let b = article("市计生协召开会议", "会议指出，要做好２０２４年工作。 会议要求各级协会抓好落实。");
        let c = article("区计生协召开会议", "会议指出,要做好2024年工作。会议要求各级协会抓好落实。");
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }

    #[test]
    fn keys_follow_canonical_forms_and_learned_parameters() {
        let s = CrawlState::in_memory().unwrap();
        let u = |x: &str| x.parse::<Url>().unwrap();
        assert_eq!(s.key(&u("http://a.cn/x/index.html?utm_source=1"), None), s.key(&u("http://a.cn/x/"), None));
        assert_ne!(s.key(&u("http://a.cn/a.html?from=list"), None), s.key(&u("http://a.cn/a.html"), None));
        assert_ne!(s.key(&u("http://a.cn/l.aspx"), Some("p=2")), s.key(&u("http://a.cn/l.aspx"), Some("p=3")));
        let from = ["from".to_string()];
        assert!(s.learn("http://a.cn", &from, "http://a.cn/a.html").unwrap().is_empty(), "one piece of evidence");
        assert_ne!(s.key(&u("http://a.cn/a.html?from=list"), None), s.key(&u("http://a.cn/a.html"), None));
        assert_eq!(s.learn("http://a.cn", &from, "http://a.cn/b.html").unwrap(), from);
        assert_eq!(s.key(&u("http://a.cn/a.html?from=list"), None), s.key(&u("http://a.cn/a.html"), None));
        assert_eq!(s.key(&u("http://a.cn/a.html?from=x&id=2"), None), s.key(&u("http://a.cn/a.html?id=2"), None));
        assert_ne!(
            s.key(&u("http://b.cn/a.html?from=list"), None),
            s.key(&u("http://b.cn/a.html"), None),
            "learned on one host only"
        );
    }
}
