//! Text primitives: the character classes and line measures every other
//! wing reads, the same for Chinese and English.
//!
//! A line's size is counted in *units* (one per CJK character, one per word
//! of other scripts), so that the thresholds of the heuristics mean the same
//! on both kinds of page.

mod chars;
mod measure;
mod space;

pub(crate) use chars::{is_cjk, is_terminal, is_year};
pub(crate) use measure::{Measure, is_headline_like, is_prose, measure, units, units_exceed};
pub(crate) use space::{squash_space, squash_space_owned};
