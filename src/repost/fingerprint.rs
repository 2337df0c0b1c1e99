//! An article's fingerprint: a MinHash signature of its body's character
//! shingles, robust to what reposting does to a text.
//!
//! The body is folded first: full-width forms to their ASCII twins, case
//! away, and only letters and digits kept (CJK ideographs are letters), so
//! punctuation widths, spacing and line breaks do not matter. Chinese has no
//! spaces, so shingles are runs of [`SHINGLE`] folded characters. Each
//! shingle is hashed once (a fixed mixer, stable across releases and
//! platforms) and falls in one of [`HASHES`] bins, where the smallest hash
//! is kept: one-permutation MinHash (Li, Owen and Zhang 2012), a hash per
//! shingle where classic MinHash computes one per bin; a bin no shingle
//! fell in borrows from another chosen by a fixed sequence (Shrivastava
//! 2017, "optimal densification"), so two bodies fill it alike. The share
//! of equal bins between two signatures estimates the Jaccard similarity of
//! their shingle sets. With the shingle count beside
//! it, it also estimates *containment* (how much of the shorter body is in
//! the longer), which is what a repost cut short by a paywall keeps.

use crate::model::Article;

/// Characters per shingle: long enough that two different Chinese texts
/// share few (a 5-gram of ideographs is nearly a phrase), short enough that
/// an edited sentence keeps most of its shingles.
pub const SHINGLE: usize = 5;

/// Hashes in a signature: [`BANDS`](super::index::BANDS) bands of
/// [`ROWS`](super::index::ROWS).
pub const HASHES: usize = 126;

/// The fingerprint's format. Fingerprints of different versions are not
/// comparable; it changes whenever folding, shingles or hashes do.
pub const VERSION: u16 = 1;

/// Bits of a character (Unicode scalars fit in 21), so a shingle packs in a `u128`.
const CHAR_BITS: u32 = 21;

/// A body with fewer shingles than this is short: two short bodies are the
/// same article only when they are (nearly) the same text. A two-line
/// notice shares most of its shingles with the next one on the same
/// template.
pub const SHORT_SHINGLES: u32 = 80;

/// What two signatures say about two bodies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Estimated Jaccard similarity of the shingle sets (0 to 1).
    pub jaccard: f64,
    /// Estimated share of the shorter body's shingles found in the longer (0 to 1).
    pub containment: f64,
}

/// The fingerprint of an article's body, for finding its reposts.
///
/// ```
/// use report_scraper::repost::Fingerprint;
/// let original = "2月17日，2025年广东省计生协工作会议在广州市召开，总结2024年工作，部署2025年重点任务。\
///                 会议指出，各级计生协深化推进改革，全省计生协工作迈上新台阶，服务群众能力持续提升。";
/// // A repost: half-width punctuation, a line break, a prompt the cleaner left.
/// let repost = "2月17日,2025年广东省计生协工作会议在广州市召开,总结2024年工作,部署2025年重点任务。\n\
///               会议指出,各级计生协深化推进改革,全省计生协工作迈上新台阶,服务群众能力持续提升。";
/// let other = "3月5日，省计生协召开党组会议，传达学习全国两会精神，研究部署贯彻落实工作。";
/// let (a, b, c) = (Fingerprint::of_text(original), Fingerprint::of_text(repost), Fingerprint::of_text(other));
/// assert!(a.same_article(&b));
/// assert!(!a.same_article(&c));
/// assert_eq!(a.to_bytes().len(), Fingerprint::BYTES);
/// assert_eq!(Fingerprint::from_bytes(&a.to_bytes()), Some(a));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The minima, one per hash.
    mins: [u32; HASHES],
    /// Shingles in the body (with repeats).
    shingles: u32,
    /// A hash of the whole folded body: short bodies are compared by it.
    exact: u64,
}

impl Fingerprint {
    /// Length of [`to_bytes`](Self::to_bytes): the version, the shingle
    /// count, the exact hash and the minima.
    pub const BYTES: usize = 2 + 4 + 8 + 4 * HASHES;

    /// The fingerprint of an article's body (its captions left out, as in
    /// [`Article::text`]). The headline is not part of it: reposts often
    /// give a new one.
    pub fn of_article(article: &Article) -> Fingerprint {
        Fingerprint::of_text(&article.text())
    }

    /// The fingerprint of a body's text.
    pub fn of_text(text: &str) -> Fingerprint {
        let mut mins = [EMPTY; HASHES];
        let mut window: u128 = 0;
        let mut filled = 0usize;
        let mut shingles = 0u32;
        let mut exact: u64 = 0x243f_6a88_85a3_08d3;
        let mask: u128 = (1u128 << (CHAR_BITS as usize * SHINGLE)) - 1;
        for c in text.chars().filter_map(fold) {
            exact = mix(exact ^ u64::from(c as u32));
            window = ((window << CHAR_BITS) | u128::from(c as u32)) & mask;
            filled += 1;
            if filled >= SHINGLE {
                shingles = shingles.saturating_add(1);
                // One hash a shingle: its high half picks the bin, its low half competes there.
                let h = mix(window as u64 ^ mix((window >> 64) as u64));
                let bin = (((h >> 32) * HASHES as u64) >> 32) as usize;
                let v = (h as u32).min(EMPTY - 1);
                if v < mins[bin] {
                    mins[bin] = v;
                }
            }
        }
        densify(&mut mins);
        Fingerprint { mins, shingles, exact }
    }

    /// Shingles in the body (with repeats): its length, as the fingerprint sees it.
    pub fn shingles(&self) -> u32 {
        self.shingles
    }

    /// Whether the body is short: then only a (nearly) equal body is the same article.
    pub fn is_short(&self) -> bool {
        self.shingles < SHORT_SHINGLES
    }

    /// How alike two bodies are.
    pub fn similarity(&self, other: &Fingerprint) -> Similarity {
        if self.shingles == 0 || other.shingles == 0 {
            let same = self.exact == other.exact;
            return Similarity { jaccard: f64::from(u8::from(same)), containment: f64::from(u8::from(same)) };
        }
        let equal = self.mins.iter().zip(other.mins.iter()).filter(|(a, b)| a == b).count();
        let jaccard = equal as f64 / HASHES as f64;
        let (a, b) = (f64::from(self.shingles), f64::from(other.shingles));
        // |A ∩ B| = J (|A| + |B|) / (1 + J), over the smaller set.
        let containment = (jaccard * (a + b) / (1.0 + jaccard) / a.min(b)).min(1.0);
        Similarity { jaccard, containment }
    }

    /// Whether two bodies are the same article: most of the shorter one is
    /// in the longer (a repost cut short keeps its opening), and they
    /// overlap enough that a short notice inside a long report is not
    /// taken for it; two short bodies must be (nearly) the same text.
    pub fn same_article(&self, other: &Fingerprint) -> bool {
        // A body without a shingle says nothing of whose copy it is.
        if self.shingles == 0 || other.shingles == 0 {
            return false;
        }
        if self.exact == other.exact {
            return true;
        }
        let s = self.similarity(other);
        if self.is_short() || other.is_short() {
            // Nearly the same text; or the short one whole inside the other
            // and a good part of it: a short article cut short by a paywall.
            // Two notices on one template differ in their names and dates,
            // which leaves a good share of either outside the other.
            return s.jaccard >= SHORT_JACCARD || (s.containment >= SHORT_CONTAINMENT && s.jaccard >= MIN_CUT_SHARE);
        }
        s.containment >= MIN_CONTAINMENT && s.jaccard >= MIN_JACCARD
    }

    /// The id of a group this body founds: its folded text's hash, in hex.
    /// A group keeps its first copy's id as copies join.
    pub fn group_id(&self) -> String {
        format!("{:016x}", self.exact)
    }

    /// The hash of the whole folded body.
    pub(crate) fn exact_hash(&self) -> u64 {
        self.exact
    }

    /// The minima, for an index's bands.
    pub(crate) fn mins(&self) -> &[u32; HASHES] {
        &self.mins
    }

    /// The fingerprint as bytes, to store (little-endian; [`VERSION`] first).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::BYTES);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&self.shingles.to_le_bytes());
        out.extend_from_slice(&self.exact.to_le_bytes());
        for m in &self.mins {
            out.extend_from_slice(&m.to_le_bytes());
        }
        out
    }

    /// A stored fingerprint; `None` when the bytes are not one of this
    /// [`VERSION`] (then compute it again from the article).
    pub fn from_bytes(bytes: &[u8]) -> Option<Fingerprint> {
        if bytes.len() != Self::BYTES || bytes[..2] != VERSION.to_le_bytes() {
            return None;
        }
        let shingles = u32::from_le_bytes(bytes[2..6].try_into().ok()?);
        let exact = u64::from_le_bytes(bytes[6..14].try_into().ok()?);
        let mut mins = [0u32; HASHES];
        for (m, chunk) in mins.iter_mut().zip(bytes[14..].chunks_exact(4)) {
            *m = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Fingerprint { mins, shingles, exact })
    }
}

/// Containment at least this: the shorter body is mostly in the longer.
/// Measured on the repost evaluation (`tests/reposts.rs`).
pub const MIN_CONTAINMENT: f64 = 0.7;
/// Jaccard at least this besides: a short text inside a long one is not
/// the long one's repost.
pub const MIN_JACCARD: f64 = 0.3;
/// Two short bodies: Jaccard at least this…
pub const SHORT_JACCARD: f64 = 0.8;
/// …or the shorter one this much inside the other (estimated from the
/// signatures: a share of 126 hashes, so only a nearly whole containment
/// passes)…
pub const SHORT_CONTAINMENT: f64 = 0.95;
/// …and this much of the other at least (a paywall keeps 40% and more).
pub const MIN_CUT_SHARE: f64 = 0.4;

/// A character as the fingerprint sees it: full-width forms folded to
/// ASCII, lower case; `None` for what is not a letter or a digit.
fn fold(c: char) -> Option<char> {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.is_alphanumeric().then(|| c.to_ascii_lowercase())
}

/// splitmix64's finaliser: a fixed, well-mixed 64-bit hash.
const fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A bin no shingle fell in.
const EMPTY: u32 = u32::MAX;

/// Fills each empty bin from a non-empty one, the donors tried in a fixed
/// order per bin (the same for every body), so two bodies with the same
/// shingles fill their empty bins alike. A body without a shingle stays empty.
fn densify(mins: &mut [u32; HASHES]) {
    if mins.iter().all(|m| *m == EMPTY) {
        return;
    }
    let filled = *mins;
    for (bin, slot) in mins.iter_mut().enumerate() {
        if *slot != EMPTY {
            continue;
        }
        let mut attempt: u64 = 0;
        *slot = loop {
            let donor = (mix(((bin as u64) << 32) | attempt) % HASHES as u64) as usize;
            if filled[donor] != EMPTY {
                break filled[donor];
            }
            attempt += 1;
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_widths_case_and_punctuation() {
        let a = Fingerprint::of_text("ＡＢＣ，计生协ａｂｃ１２３。");
        let b = Fingerprint::of_text("abc 计生协 ABC 123");
        assert_eq!(a, b);
    }

    #[test]
    fn a_cut_repost_is_contained_in_its_original() {
        let body: String = (0..40).map(|i| format!("第{i}段，计生协开展第{i}项工作，服务群众{i}次。")).collect();
        let cut: String = body.chars().take(body.chars().count() * 6 / 10).collect();
        let (a, b) = (Fingerprint::of_text(&body), Fingerprint::of_text(&cut));
        let s = a.similarity(&b);
        assert!(s.containment > 0.85 && s.jaccard < 0.75, "{s:?}");
        assert!(a.same_article(&b));
    }

    /// A short notice cut short by a paywall is its copy; the association's
    /// other notices on the same template are not.
    #[test]
    fn a_short_notice_cut_short_is_its_copy_and_its_template_siblings_are_not() {
        let notice = |month: u32, day: u32, n: &str, who: &str, phone: u32| {
            format!(
                "各会员单位：经研究，定于2024年{month}月{day}日上午9时在协会三楼会议室召开第五届理事会第{n}次会议，\
                 请各位理事准时参加。联系人：{who}，电话：0571-85{phone}。"
            )
        };
        let whole = notice(3, 15, "二", "王芳", 123_456);
        let a = Fingerprint::of_text(&whole);
        assert!(a.is_short());
        for tenths in [5, 6, 8] {
            let cut: String = whole.chars().take(whole.chars().count() * tenths / 10).collect();
            assert!(a.same_article(&Fingerprint::of_text(&cut)), "cut to {tenths}/10");
        }
        let siblings = [
            notice(6, 20, "三", "王芳", 123_456),
            notice(3, 15, "三", "李明", 654_321),
            notice(9, 8, "四", "张伟", 123_456),
            notice(12, 1, "五", "王芳", 777_888),
        ];
        for other in &siblings {
            assert!(!a.same_article(&Fingerprint::of_text(other)), "{other}");
        }
    }

    #[test]
    fn bytes_of_another_version_are_refused() {
        let mut bytes = Fingerprint::of_text("会议指出，各级计生协工作迈上新台阶。").to_bytes();
        bytes[0] ^= 0xFF;
        assert_eq!(Fingerprint::from_bytes(&bytes), None);
        assert_eq!(Fingerprint::from_bytes(&bytes[..10]), None);
    }

    #[test]
    fn empty_and_tiny_bodies_compare_by_their_text() {
        let (a, b) = (Fingerprint::of_text("关于召开年会的通知"), Fingerprint::of_text("关于召开年会的通知。"));
        assert!(a.same_article(&b));
        assert!(!a.same_article(&Fingerprint::of_text("关于召开理事会的通知")));
        let empty = Fingerprint::of_text("");
        assert_eq!(empty.shingles(), 0);
        assert!(!empty.same_article(&Fingerprint::of_text("")), "empty bodies are nobody's copies");
    }
}
