//! Machine-readable dates in the markup: `<meta>` keys, JSON-LD fields,
//! `<time datetime>` and microdata, date attributes, and the variables CMSs
//! print into scripts. Each becomes a [`Stamp`] with what its key says it is;
//! reading and weighing them is the date module's work.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::doc::Attrs;
use crate::clean::line::Stamp;
use crate::model::{DateLabel, DateOrigin};

/// `<meta>` keys (lower case) of dates, with what each says the date is.
const META_KEYS: &[(&str, DateLabel)] = &[
    ("article:published_time", DateLabel::Published),
    ("article:published", DateLabel::Published),
    ("og:published_time", DateLabel::Published),
    ("og:article:published_time", DateLabel::Published),
    ("og:release_date", DateLabel::Published),
    ("pubdate", DateLabel::Published),
    ("publishdate", DateLabel::Published),
    ("publish_date", DateLabel::Published),
    ("publish-date", DateLabel::Published),
    ("publishtime", DateLabel::Published),
    ("publish_time", DateLabel::Published),
    ("publication_date", DateLabel::Published),
    ("published_time", DateLabel::Published),
    ("published-date", DateLabel::Published),
    ("firstpublishedtime", DateLabel::Published),
    ("datepublished", DateLabel::Published),
    ("datecreated", DateLabel::Published),
    ("og:time", DateLabel::Published),
    ("article:create_at", DateLabel::Published),
    ("weibo:article:create_at", DateLabel::Published),
    ("weibo: article:create_at", DateLabel::Published),
    ("sailthru.date", DateLabel::Published),
    ("parsely-pub-date", DateLabel::Published),
    ("citation_publication_date", DateLabel::Published),
    ("citation_date", DateLabel::Published),
    ("dc.date.issued", DateLabel::Published),
    ("dc.date.created", DateLabel::Published),
    ("dcterms.issued", DateLabel::Published),
    ("dcterms.created", DateLabel::Published),
    ("dcterms:created", DateLabel::Published),
    ("dcterms:issued", DateLabel::Published),
    ("dc.date", DateLabel::Unlabelled),
    ("dcterms.date", DateLabel::Unlabelled),
    ("date", DateLabel::Unlabelled),
    ("created", DateLabel::Unlabelled),
    ("article:modified_time", DateLabel::Updated),
    ("og:updated_time", DateLabel::Updated),
    ("datemodified", DateLabel::Updated),
    ("last-modified", DateLabel::Updated),
    ("lastmod", DateLabel::Updated),
    ("dcterms.modified", DateLabel::Updated),
    ("dc.date.modified", DateLabel::Updated),
];

/// JSON-LD fields of dates.
const JSON_LD_KEYS: &[(&str, DateLabel)] = &[
    ("datePublished", DateLabel::Published),
    ("dateCreated", DateLabel::Published),
    ("uploadDate", DateLabel::Published),
    ("dateModified", DateLabel::Updated),
];

/// The date a `<meta>` gives, if its key is a date's.
pub(crate) fn meta(key: &str, content: &str) -> Option<Stamp> {
    let (_, label) = META_KEYS.iter().find(|(k, _)| *k == key)?;
    Some(Stamp { raw: content.to_string(), label: *label, origin: DateOrigin::Meta })
}

/// What a JSON-LD block says: its date fields (objects, arrays, `@graph`),
/// in document order, and its first headline. Read once, for both.
#[derive(Debug, Default)]
pub(crate) struct JsonLd {
    pub stamps: Vec<Stamp>,
    pub headline: Option<String>,
}

/// Reads a JSON-LD block; one that is not JSON says nothing.
pub(crate) fn json_ld(json: &str) -> JsonLd {
    let Ok(value) = serde_json::from_str::<Value>(json.trim()) else { return JsonLd::default() };
    let mut headline = None;
    let mut out = Vec::new();
    let mut stack = vec![&value];
    let mut budget = 10_000usize;
    while let Some(v) = stack.pop() {
        let Some(left) = budget.checked_sub(1) else { break };
        budget = left;
        match v {
            Value::Object(map) => {
                if let (None, Some(Value::String(h))) = (&headline, map.get("headline")) {
                    headline = Some(h.clone());
                }
                for (key, label) in JSON_LD_KEYS {
                    if let Some(Value::String(s)) = map.get(*key) {
                        out.push(Stamp { raw: s.clone(), label: *label, origin: DateOrigin::JsonLd });
                    }
                }
                stack.extend(map.values().rev());
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    JsonLd { stamps: out, headline }
}

/// Variables CMSs print into scripts: WeChat's `var ct = "1581517074"`,
/// `publish_time`, `pubtime: '…'`, `pagepubtime = "…"`, `publishTime: …`.
/// Build and cache stamps (`buildTime`, `version`) are not among them.
static SCRIPT_VARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // Every alternative a literal of six letters or more: the search skips to them
        // (an optional `var ` before each would make it stop at every `var` of the script).
        r#"(?-u:\b)(?:var ct|publish_time|publishTime|publishtime|pubtime|pubTime|pagepubtime|pubDate"#,
        r#"|publishDate|publish_date|datePublished|publishedDate|published_at|firstPublishTime|create_time|releaseDate)"#,
        r#"["']?\s*[:=]\s*["']?"#,
        r#"(?P<v>\d{10}(?-u:\b)|\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}[^"',;\n]{0,24})"#
    ))
    .expect("valid script pattern")
});

/// The dates a script's variables give, in the order they are set.
pub(crate) fn script(text: &str) -> Vec<Stamp> {
    SCRIPT_VARS
        .captures_iter(text)
        .filter_map(|c| c.name("v"))
        .map(|v| Stamp { raw: v.as_str().trim().to_string(), label: DateLabel::Published, origin: DateOrigin::Script })
        .collect()
}

/// The date an element carries: `<time datetime>`, microdata
/// (`itemprop="datePublished"`), a `data-date`-like attribute, or the
/// `title` of an element whose class says it is a date (`<abbr
/// class="published" title="…">`). With a date class or itemprop but no
/// machine value, the stamp is empty: the date is the element's text.
pub(crate) fn element(name: &str, a: &Attrs) -> Option<Stamp> {
    // A `<meta>` in the body is read with the others. Most elements carry
    // nothing a date could be in: they are turned away before any class is read.
    let may_carry = name == "time"
        || a.itemprop.is_some()
        || a.data_date.is_some()
        || a.title.is_some() && matches!(name, "abbr" | "span");
    if name == "meta" || !may_carry {
        return None;
    }
    let label = a.itemprop.and_then(itemprop_label).or_else(|| class_label(a.class)).or_else(|| {
        let pubdate = name == "time" && a.pubdate;
        pubdate.then_some(DateLabel::Published)
    });
    let value = match name {
        "time" => a.datetime.or(a.content),
        _ if a.itemprop.is_some_and(|p| itemprop_label(p).is_some()) => a.content.or(a.datetime),
        _ => None,
    }
    .or(a.data_date)
    .or_else(|| label.and(a.title));
    let stamp = |raw: &str, label| Some(Stamp { raw: raw.trim().to_string(), label, origin: DateOrigin::Element });
    match (value, label) {
        (Some(raw), label) => stamp(raw, label.unwrap_or(DateLabel::Unlabelled)),
        (None, Some(label)) if name == "time" || a.itemprop.is_some() => stamp("", label),
        (None, _) if name == "time" => stamp("", DateLabel::Unlabelled),
        _ => None,
    }
}

fn itemprop_label(prop: &str) -> Option<DateLabel> {
    prop.split_whitespace().find_map(|p| match p {
        "datePublished" | "dateCreated" | "uploadDate" => Some(DateLabel::Published),
        "dateModified" => Some(DateLabel::Updated),
        _ => None,
    })
}

/// What class words say of a date element: `published`, `entry-date`,
/// `post-date`, `pubtime` say published; `updated`, `modified` say updated.
fn class_label(class: Option<&str>) -> Option<DateLabel> {
    let class = class?.to_ascii_lowercase();
    let has = |stems: &[&str]| stems.iter().any(|s| class.contains(s));
    if has(&["updated", "modified"]) {
        Some(DateLabel::Updated)
    } else if has(&[
        "publish",
        "pubdate",
        "pubtime",
        "entry-date",
        "post-date",
        "posted-on",
        "article-date",
        "dateline",
    ]) {
        Some(DateLabel::Published)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_in_a_graph_in_document_order() {
        let j = r#"{"@graph":[{"@type":"WebPage","dateModified":"2024-05-21"},
            {"@type":"NewsArticle","headline":"标题","datePublished":"2024-05-20T09:37:00+08:00"}]}"#;
        let read = json_ld(j);
        assert_eq!(read.headline.as_deref(), Some("标题"));
        let got: Vec<(String, DateLabel)> = read.stamps.into_iter().map(|s| (s.raw, s.label)).collect();
        assert_eq!(
            got,
            [
                ("2024-05-21".to_string(), DateLabel::Updated),
                ("2024-05-20T09:37:00+08:00".to_string(), DateLabel::Published)
            ]
        );
        assert!(json_ld("not json").stamps.is_empty());
    }

    #[test]
    fn script_variables_but_not_build_stamps() {
        let s = r#"var nickname = "x"; var ct = "1581517074"; var buildTime = "2024-01-01 10:00";
            window.DATA = {pubtime: '2023-03-07 16:31:05', version: "2024.05.20"};"#;
        let got: Vec<String> = script(s).into_iter().map(|s| s.raw).collect();
        assert_eq!(got, ["1581517074", "2023-03-07 16:31:05"]);
        assert!(script("var ct = 0; var act = \"1581517074\";").is_empty());
    }

    #[test]
    fn meta_keys() {
        assert_eq!(meta("dcterms.created", "2016-03-08").unwrap().label, DateLabel::Published);
        assert_eq!(meta("article:modified_time", "2016-03-08").unwrap().label, DateLabel::Updated);
        assert!(meta("description", "2016-03-08").is_none());
    }
}
