//! What the test binaries share, reached from each one's `main.rs` with
//! `#[path = "../support/mod.rs"] mod support;`:
//!
//! - [`server`]: the loopback HTTP server every network test uses (a
//!   handler from request to reply, every request logged);
//! - [`cms_sites`]: sites built the way the CMS families build theirs (also
//!   served by `benches/crawl_sites.rs`);
//! - [`fixture`]: the folders of `tests/fixtures/` and their expectations;
//! - [`rng`]: a deterministic generator for sets made at run time;
//! - here: the shared evaluation data (`../shared`), read at test time and
//!   never copied.
// Each binary uses a part of this module, never all of it.
#![allow(dead_code)]

pub mod cms_sites;
pub mod fixture;
pub mod rng;
pub mod server;
#[cfg(feature = "crawl")]
pub mod states;

use std::path::PathBuf;

use serde_json::Value;

/// `../shared/datasets/NAME`, or `None` (with a note on stderr) when the
/// shared folder is not beside the project. Under CI (`CI` set) a missing
/// set fails the test instead: a quality floor that is never checked would
/// pass in no time and prove nothing.
pub fn dataset(name: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets").join(name);
    if dir.join("truth.jsonl").exists() {
        return Some(dir);
    }
    let why = format!("{} is absent (the shared evaluation data lives beside the project)", dir.display());
    assert!(std::env::var_os("CI").is_none(), "{why}; CI needs it");
    eprintln!("skipped: {why}");
    None
}

/// The truth lines of a dataset.
pub fn truth(dir: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("truth.jsonl"))
        .expect("truth.jsonl is readable")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("truth line is JSON"))
        .collect()
}
