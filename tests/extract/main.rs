//! Extraction through the public API, driven by data files: the fixture
//! folders (`tests/fixtures/`, with their snapshots and Markdown read back
//! by real readers), the date table (`dates.tsv`), the seeds, and quality
//! floors on the shared evaluation sets.
//!
//! A new extraction case is a new fixture folder, or a line of the date
//! table; a new kind of check is a module here.

#[path = "../support/mod.rs"]
mod support;

mod dates;
mod fixtures;
mod markdown;
mod quality;
mod seeds;
