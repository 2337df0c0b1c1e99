//! Specification by example: every folder in `tests/fixtures/` holds a page
//! (`page.html` as raw bytes, or `page.txt` for text mode) and
//! `expected.json`, which states what extraction must give. Only the fields
//! an `expected.json` names are checked:
//!
//! - `url`, `content_type`: inputs passed to the extractor; `details`:
//!   collect each article's links and images, detect its language;
//! - `title`, `kicker`, `source`, `author`, `published` (ISO or `--MM-DD`,
//!   `null` for none), `published_from`, `editors`, `lang`, `links` (url
//!   and text of each), `images` (src, alt, caption of each);
//! - `text` (exact, the whole page's), `text_contains`, `text_excludes`,
//!   `blocks_kinds` (the first article's);
//! - `truncated` (`shown_chars`, `total_chars`, `omitted_chars`, and the
//!   `stubs` when named; `null`: not truncated);
//! - `removed_rules`: rules that must appear among the page's removals;
//! - `articles`: how many articles the page holds, `second`: fields of the second;
//! - `error`: `empty` or `not_html`.
//!
//! The full Page of every fixture is also kept as an insta snapshot.

use crate::support::fixture::{cases, load, run};
use report_scraper::{Article, ErrorKind, Page};
use serde_json::Value;

fn check_fields(name: &str, a: &Article, want: &Value) {
    let opt = |field: &str, got: Option<&str>| {
        if let Some(w) = want.get(field) {
            assert_eq!(got, w.as_str(), "{name}: {field}");
        }
    };
    opt("title", a.title.as_deref());
    opt("kicker", a.kicker.as_deref());
    opt("source", a.source.as_deref());
    opt("author", a.author.as_deref());
    let published = a.published.as_ref().map(|p| p.value.to_string());
    opt("published", published.as_deref());
    if let Some(w) = want.get("published_from") {
        let got = a.published.as_ref().map(|p| serde_json::to_value(p.found_in).unwrap());
        assert_eq!(got.as_ref(), Some(w), "{name}: published_from");
    }
    if let Some(w) = want.get("editors") {
        assert_eq!(serde_json::to_value(&a.editors).unwrap(), *w, "{name}: editors");
    }
    opt("lang", a.lang.as_deref());
    if let Some(w) = want.get("links") {
        let got: Vec<Value> =
            a.links.iter().map(|l| serde_json::json!({ "url": l.url.as_str(), "text": l.text })).collect();
        assert_eq!(Value::Array(got), *w, "{name}: links");
    }
    if let Some(w) = want.get("images") {
        assert_eq!(serde_json::to_value(&a.images).unwrap(), *w, "{name}: images");
    }
}

fn check_body(name: &str, page: &Page, want: &Value) {
    let text = page.text();
    let a = page.article().expect("one article at least");
    if let Some(w) = want["text"].as_str() {
        assert_eq!(text, w, "{name}: text");
    }
    for s in want["text_contains"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        assert!(text.contains(s), "{name}: text lacks {s:?}\n{text}");
    }
    for s in want["text_excludes"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        assert!(!text.contains(s), "{name}: text keeps {s:?}\n{text}");
    }
    if let Some(w) = want.get("blocks_kinds") {
        let kinds: Vec<Value> = a.blocks.iter().map(|b| serde_json::to_value(b.kind).unwrap()).collect();
        assert_eq!(Value::Array(kinds), *w, "{name}: block kinds");
    }
    if let Some(w) = want.get("truncated") {
        let truncated = page.articles.iter().find_map(|a| a.truncated.as_ref());
        if w.is_null() {
            assert!(truncated.is_none(), "{name}: truncated {truncated:?}");
        } else {
            let got = serde_json::to_value(truncated.expect("truncated")).unwrap();
            for key in ["shown_chars", "total_chars", "omitted_chars", "stubs"] {
                if w.get(key).is_some() || key != "stubs" {
                    assert_eq!(got[key], w[key], "{name}: truncated.{key}");
                }
            }
        }
    }
    for rule in want["removed_rules"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        assert!(page.removed.iter().any(|r| r.rule == rule), "{name}: no removal by {rule}: {:?}", page.removed);
    }
    let names: Vec<&str> = report_scraper::rules::Rule::names().collect();
    for r in &page.removed {
        assert!(names.contains(&r.rule.as_str()), "{name}: removal by {:?}, which is no rule", r.rule);
    }
}

#[test]
fn every_fixture_meets_its_expectations() {
    for dir in cases() {
        let case = load(&dir);
        let want = &case.expected;
        match (run(&case), want["error"].as_str()) {
            (Err(e), Some(kind)) => {
                let ok =
                    matches!((e.kind(), kind), (ErrorKind::Empty, "empty") | (ErrorKind::NotHtml { .. }, "not_html"));
                assert!(ok, "{}: wrong error {e}", case.name);
            }
            (Err(e), None) => panic!("{}: {e}", case.name),
            (Ok(_), Some(kind)) => panic!("{}: expected error {kind}", case.name),
            (Ok(page), None) => {
                let first = page.article().expect("one article at least");
                check_fields(&case.name, first, want);
                check_body(&case.name, &page, want);
                if let Some(n) = want["articles"].as_u64() {
                    assert_eq!(page.articles.len() as u64, n, "{}: articles", case.name);
                }
                if let Some(second) = want.get("second") {
                    check_fields(&case.name, page.articles.get(1).expect("a second article"), second);
                }
            }
        }
    }
}

#[test]
fn fixture_articles_match_their_snapshots() {
    for dir in cases() {
        let case = load(&dir);
        if let Ok(page) = run(&case) {
            insta::assert_json_snapshot!(case.name.clone(), page);
        }
    }
}
