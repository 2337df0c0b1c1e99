//! The fixtures of `tests/fixtures/`: each folder's page, its
//! `expected.json`, and the page extracted with the inputs that file names
//! (`url`, `content_type`, `details`). Shared by the tests that read them.

use std::path::{Path, PathBuf};

use report_scraper::{Extractor, Input, Page};
use serde_json::Value;

/// Every fixture folder, in name order.
pub fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.json").exists())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 15, "fixtures missing from {}", root.display());
    dirs
}

/// One fixture as read from its folder.
pub struct Case {
    pub name: String,
    pub expected: Value,
    pub html: Option<Vec<u8>>,
    pub text: Option<String>,
}

/// Reads the fixture in `dir`.
pub fn load(dir: &Path) -> Case {
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let html = std::fs::read(dir.join("page.html")).ok();
    let text = std::fs::read_to_string(dir.join("page.txt")).ok();
    Case { name: dir.file_name().unwrap().to_string_lossy().into_owned(), expected, html, text }
}

/// Extracts the fixture's page with the inputs its `expected.json` names.
pub fn run(case: &Case) -> Result<Page, report_scraper::Error> {
    let mut input = match (&case.text, case.html.as_deref()) {
        (Some(text), _) => Input::text(text),
        (None, Some(bytes)) => Input::html(bytes),
        (None, None) => panic!("{}: no page.html or page.txt", case.name),
    };
    if let Some(url) = case.expected["url"].as_str() {
        input = input.url(url);
    }
    if let Some(ct) = case.expected["content_type"].as_str() {
        input = input.content_type(ct);
    }
    if case.expected["details"].as_bool() == Some(true) {
        input = input.with_details();
    }
    Extractor::default().page(input)
}
