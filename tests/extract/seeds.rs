//! The five seed documents the project was created from, through the public
//! API, against their hand-written truth (`../shared/datasets/seeds-text`).

use report_scraper::{Article, Extractor, Input, clean_text, model::Credit};
use serde_json::Value;

fn seeds() -> Vec<(Value, String)> {
    let Some(dir) = crate::support::dataset("seeds-text") else { return Vec::new() };
    crate::support::truth(&dir)
        .into_iter()
        .map(|t| {
            let id = t["id"].as_str().expect("id").to_string();
            let text = std::fs::read_to_string(dir.join("text").join(format!("{id}.txt"))).expect("seed text");
            (t, text)
        })
        .collect()
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(|l| l.split_whitespace().collect::<String>()).filter(|l| !l.is_empty()).collect()
}

#[test]
fn seed_bodies_equal_their_truth_line_for_line() {
    for (truth, text) in seeds() {
        let page = Extractor::default().page(Input::text(&text)).unwrap();
        assert_eq!(lines(&page.text()), lines(truth["text"].as_str().unwrap()), "{}", truth["id"]);
    }
}

#[test]
fn seed_metadata_equals_truth() {
    for (truth, text) in seeds() {
        let a: Article = clean_text(&text).unwrap();
        let id = &truth["id"];
        assert_eq!(a.title.as_deref(), truth["title"].as_str(), "{id}: title");
        assert_eq!(a.source.as_deref(), truth["source"].as_str(), "{id}: source");
        assert_eq!(a.author.as_deref(), truth["author"].as_str(), "{id}: author");
        let want_date = truth["date"].as_str().map(str::to_string);
        assert_eq!(a.published.as_ref().map(|p| p.value.to_string()), want_date, "{id}: date");
        if let Some(editors) = truth.get("editors") {
            // The truth keeps the credit lines as printed; each is read into roles and names.
            let lines = editors.as_array().expect("editors is a list").iter().filter_map(|l| l.as_str());
            let want: Vec<Credit> = lines.flat_map(Credit::parse).collect();
            assert!(want.iter().all(|c| c.role.is_some()), "{id}: every seed credit names its role");
            assert_eq!(a.editors, want, "{id}: editors");
        }
        if let Some(t) = truth.get("truncated") {
            let got = a.truncated.as_ref().expect("truncated");
            assert_eq!(got.shown_chars, t["shown_chars"].as_u64().map(|n| n as u32), "{id}");
            assert_eq!(got.total_chars, t["total_chars"].as_u64().map(|n| n as u32), "{id}");
        } else {
            assert!(a.truncated.is_none(), "{id}: not truncated");
        }
    }
}

#[test]
fn a_page_with_two_articles_gives_two() {
    for (truth, text) in seeds() {
        let Some(parts) = truth["articles"].as_array() else { continue };
        let all = Extractor::default().page(Input::text(&text)).unwrap().articles;
        assert_eq!(all.len(), parts.len(), "{}", truth["id"]);
        for (got, want) in all.iter().zip(parts) {
            assert_eq!(got.title.as_deref(), want["title"].as_str());
            assert_eq!(got.published.as_ref().map(|p| p.value.to_string()).as_deref(), want["date"].as_str());
            assert_eq!(got.source.as_deref(), want["source"].as_str());
            if want.get("kicker").is_some() {
                assert_eq!(got.kicker.as_deref(), want["kicker"].as_str());
            }
        }
    }
}

#[test]
fn every_removal_names_a_rule_and_no_noise_line_survives() {
    let noise =
        ["点击上方蓝字", "扫一扫在手机打开当前页", "举报/删稿", "微信订阅", ".jpg", "nload=", "上一篇", "中国竞彩网"];
    let names: Vec<&str> = report_scraper::rules::Rule::names().collect();
    for (truth, text) in seeds() {
        let page = Extractor::default().page(Input::text(&text)).unwrap();
        let body = page.text();
        for n in noise {
            assert!(!body.contains(n), "{}: {n:?} left in the body", truth["id"]);
        }
        assert!(page.removed.iter().all(|r| names.contains(&r.rule.as_str()) && !r.text.is_empty()));
    }
}
