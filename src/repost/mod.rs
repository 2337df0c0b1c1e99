//! The same article on many sites: reposts found and grouped, the original
//! named.
//!
//! Association news travels: a provincial 计生协 posts an article, and
//! portals, aggregators, county sites and WeChat mirrors repost it with
//! their own noise, sometimes cut short or under a new headline. The
//! cleaner takes the noise away; what is left is fingerprinted
//! ([`Fingerprint`]: MinHash over character shingles, robust to widths,
//! punctuation, a missing tail, a paragraph more or less), stored in an
//! index that finds near-duplicates without a scan ([`RepostIndex`]), and
//! grouped with the original chosen by evidence ([`Reposts`], [`Member`]).
//!
//! ```
//! use report_scraper::repost::Fingerprint;
//! let a = report_scraper::clean_text("会议指出，2024年各级计生协深入贯彻落实重要指示精神，深化推进改革，全省计生协工作迈上新台阶，服务群众八百三十余万人次。")?;
//! let b = report_scraper::clean_text("点击上方蓝字\n会议指出,2024年各级计生协深入贯彻落实重要指示精神,深化推进改革,全省计生协工作迈上新台阶,服务群众八百三十余万人次。")?;
//! assert!(Fingerprint::of_article(&a).same_article(&Fingerprint::of_article(&b)));
//! # Ok::<(), report_scraper::Error>(())
//! ```

// Inside:
// - `fingerprint`: folding, shingles, the signature and the decision;
// - `index`: bands in hash tables, candidates checked;
// - `group`: groups as copies arrive, the original by evidence.

mod fingerprint;
mod group;
mod index;

pub use fingerprint::{Fingerprint, HASHES, SHINGLE, Similarity, VERSION};
pub use group::{Member, Placement, Reposts, choose_original};
#[cfg(feature = "crawl")]
pub(crate) use index::bands;
pub use index::{BANDS, ROWS, RepostIndex};
