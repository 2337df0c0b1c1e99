//! Quality floors on the shared evaluation sets, scored the way
//! `../shared/eval/score.py` scores them (token F1 with every CJK character a
//! token, line F1, date by calendar day, title by its tokens). The floors are
//! the project's targets; a change that drops below one fails here.

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use report_scraper::{Extractor, Input, Page};
use serde_json::Value;

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    let cjk = r"\x{3400}-\x{4dbf}\x{4e00}-\x{9fff}\x{f900}-\x{faff}\x{3040}-\x{309f}\x{30a0}-\x{30ff}\x{ac00}-\x{d7af}";
    Regex::new(&format!(r"[{cjk}]|[\w--[_{cjk}]]+")).unwrap()
});

fn bag<'a>(items: impl Iterator<Item = String> + 'a) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for t in items {
        *m.entry(t).or_insert(0) += 1;
    }
    m
}

fn tokens(text: &str) -> HashMap<String, usize> {
    bag(TOKEN.find_iter(text).map(|m| m.as_str().to_lowercase()))
}

fn lines(text: &str) -> HashMap<String, usize> {
    bag(text.lines().map(|l| l.split_whitespace().collect::<String>()).filter(|l| !l.is_empty()))
}

fn f1(pred: &HashMap<String, usize>, truth: &HashMap<String, usize>) -> f64 {
    if pred.is_empty() && truth.is_empty() {
        return 1.0;
    }
    let common: usize = pred.iter().map(|(k, n)| (*n).min(truth.get(k).copied().unwrap_or(0))).sum();
    let p = common as f64 / pred.values().sum::<usize>().max(1) as f64;
    let r = common as f64 / truth.values().sum::<usize>().max(1) as f64;
    if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
}

fn day(s: Option<&str>) -> Option<String> {
    let s = s?;
    let re = Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})").unwrap();
    let c = re.captures(s)?;
    Some(format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]))
}

fn title_key(t: &str) -> String {
    TOKEN.find_iter(&t.to_lowercase()).map(|m| m.as_str().to_string()).collect()
}

#[derive(Debug, Default)]
struct Score {
    f1: f64,
    lines_f1: f64,
    date: f64,
    title: f64,
}

fn score(dir: &Path) -> Score {
    let ex = Extractor::default();
    let truth = crate::support::truth(dir);
    let (mut s, mut dated, mut titled) = (Score::default(), 0.0f64, 0.0f64);
    for t in &truth {
        let id = t["id"].as_str().unwrap();
        let html = dir.join("html").join(format!("{id}.html"));
        let page: Option<Page> = if html.exists() {
            let bytes = std::fs::read(&html).unwrap();
            let input = Input::html(&bytes);
            ex.page(t["url"].as_str().map_or(input, |u| input.url(u))).ok()
        } else {
            ex.page(Input::text(&std::fs::read_to_string(dir.join("text").join(format!("{id}.txt"))).unwrap())).ok()
        };
        // The truth holds the whole page's text; title and date are the first article's.
        let article = page.as_ref().and_then(Page::article);
        let text = page.as_ref().map(Page::text).unwrap_or_default();
        let want = t["text"].as_str().unwrap_or_default();
        s.f1 += f1(&tokens(&text), &tokens(want));
        s.lines_f1 += f1(&lines(&text), &lines(want));
        if t.get("date").is_some() {
            dated += 1.0;
            let got = article.and_then(|a| a.published.as_ref()).map(|p| p.value.to_string());
            s.date += f64::from(u8::from(day(got.as_deref()) == day(t["date"].as_str())));
        }
        if let Some(title) = t["title"].as_str() {
            titled += 1.0;
            let accepted: Vec<String> = std::iter::once(title)
                .chain(t["titles"].as_array().into_iter().flatten().filter_map(Value::as_str))
                .map(title_key)
                .collect();
            let got = article.and_then(|a| a.title.as_deref()).map(title_key).unwrap_or_default();
            s.title += f64::from(u8::from(accepted.contains(&got)));
        }
    }
    let n = truth.len() as f64;
    Score { f1: s.f1 / n, lines_f1: s.lines_f1 / n, date: s.date / dated.max(1.0), title: s.title / titled.max(1.0) }
}

#[test]
fn seeds_text_mode() {
    let Some(dir) = crate::support::dataset("seeds-text") else { return };
    let s = score(&dir);
    eprintln!("seeds-text: {s:?}");
    assert!(s.f1 >= 0.995 && s.lines_f1 >= 0.95 && s.date == 1.0 && s.title == 1.0, "{s:?}");
}

#[test]
fn chinese_html_pages() {
    let Some(dir) = crate::support::dataset("zh-dev") else { return };
    let s = score(&dir);
    eprintln!("zh-dev: {s:?}");
    assert!(s.f1 >= 0.95 && s.lines_f1 >= 0.80 && s.date >= 0.95 && s.title >= 0.95, "{s:?}");
}

#[test]
fn chinese_whole_page_text() {
    let Some(dir) = crate::support::dataset("zh-dev-text") else { return };
    let s = score(&dir);
    eprintln!("zh-dev-text: {s:?}");
    assert!(s.f1 >= 0.90 && s.date >= 0.90 && s.title >= 0.90, "{s:?}");
}

#[test]
fn english_html_pages() {
    let Some(dir) = crate::support::dataset("scrapinghub") else { return };
    let s = score(&dir);
    eprintln!("scrapinghub: {s:?}");
    assert!(s.f1 >= 0.95, "{s:?}");
}
