//! The date table: every format the pages print and every trap that is not
//! a publish date, one case a line in `tests/extract/dates.tsv` (its header
//! says how to read it). A case either reads a date alone (`PubDate::parse`)
//! or places it in an article page (under the headline, in `<head>`, after
//! the body, in a script) and checks the publish date extraction gives.

use std::path::Path;

use jiff::Timestamp;
use report_scraper::{Extractor, Input, model::PubDate};

struct Case {
    line: usize,
    how: String,
    lang: Option<String>,
    url: Option<String>,
    now: Option<Timestamp>,
    input: String,
    want: String,
}

fn cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/extract/dates.tsv");
    let table = std::fs::read_to_string(&path).expect("the date table exists");
    let field = |f: &str| (f != "-").then(|| f.to_string());
    table
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 6, "line {}: six tab-separated fields, found {}", i + 1, f.len());
            Case {
                line: i + 1,
                how: f[0].to_string(),
                lang: field(f[1]),
                url: field(f[2]),
                now: field(f[3]).map(|n| n.parse().expect("an RFC 3339 reference time")),
                input: f[4].replace("\\n", "\n"),
                want: f[5].to_string(),
            }
        })
        .collect()
}

/// The article page a snippet is placed in: a menu, the headline, the snippet
/// where `how` says, three paragraphs of body, in the page's language.
fn page(case: &Case) -> String {
    let chinese = case.lang.as_deref().is_none_or(|l| l.starts_with("zh"));
    let (title, body) = if chinese {
        (
            "市计生协召开年度工作会议部署重点任务",
            [
                "会议总结了上一年度的工作,部署了今年的重点任务,要求各级协会扎实推进。",
                "会议强调,要聚焦群众需求,创新服务方式,不断提升服务水平和群众满意度。",
                "会议要求,各单位要加强组织领导,明确责任分工,确保各项工作落到实处。",
            ],
        )
    } else {
        (
            "Council agrees to rebuild the old bridge",
            [
                "The council met on Tuesday and agreed, after a long debate, to rebuild the old bridge.",
                "Work starts in spring, the mayor said, and should end before the first snow of winter.",
                "Residents who spoke at the meeting welcomed the plan, though some worried about the cost.",
            ],
        )
    };
    let at = |how: &str| if case.how == how { case.input.as_str() } else { "" };
    let lang = case.lang.as_deref().map(|l| format!(" lang=\"{l}\"")).unwrap_or_default();
    format!(
        "<html{lang}><head><title>{title}</title>{head}</head><body>\
         <div class=\"nav\"><a href=\"/\">Home</a> <a href=\"/news/\">News</a></div>\
         <div class=\"article\"><h1>{title}</h1><div class=\"info\">{byline}</div>\
         <div class=\"content\"><p>{}</p><p>{}</p><p>{}</p></div>{below}</div>\
         <script>{script}</script></body></html>",
        body[0],
        body[1],
        body[2],
        head = at("head"),
        byline = at("byline"),
        below = at("below"),
        script = at("script"),
    )
}

fn published(case: &Case) -> Option<String> {
    if case.how == "parse" {
        return PubDate::parse(&case.input).map(|d| d.to_string());
    }
    let html;
    let mut input = match case.how.as_str() {
        "text" => Input::text(&case.input),
        "page" => Input::html_str(&case.input),
        _ => {
            html = page(case);
            Input::html_str(&html)
        }
    };
    if let Some(url) = case.url.as_deref() {
        input = input.url(url);
    }
    if let Some(now) = case.now {
        input = input.reference_time(now);
    }
    let page = Extractor::default().page(input).unwrap_or_else(|e| panic!("line {}: {e}", case.line));
    page.article()?.published.as_ref().map(|p| p.value.to_string())
}

#[test]
fn every_case_of_the_date_table() {
    let cases = cases();
    assert!(cases.len() >= 80, "the table holds {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let got = published(c).unwrap_or_else(|| "none".into());
            (got != c.want)
                .then(|| format!("line {} ({}): {:?}\n    want {}\n    got  {got}", c.line, c.how, c.input, c.want))
        })
        .collect();
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn the_table_holds_every_kind_of_case() {
    let cases = cases();
    for how in ["parse", "byline", "head", "below", "script", "page", "text"] {
        assert!(cases.iter().any(|c| c.how == how), "no {how} case");
    }
    let undated = cases.iter().filter(|c| c.want == "none" && c.how != "parse").count();
    assert!(undated >= 10, "only {undated} undated traps");
}
