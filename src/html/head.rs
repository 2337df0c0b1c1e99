//! What `<meta>`, JSON-LD and `<title>` say: title hints and a machine-written publish date.

use serde_json::Value;

use super::doc::HeadInfo;
use crate::clean::date::find_date;
use crate::model::{DateOrigin, Published};

/// `<meta>` keys of publish dates, most trusted first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publishtime",
    "publish_time",
    "firstpublishedtime",
    "datepublished",
    "og:published_time",
    "og:release_date",
    "og:time",
    "article:create_at",
    "weibo:article:create_at",
    "weibo: article:create_at",
    "article:published",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "date",
];

/// `<meta>` keys of titles, most trusted first.
const TITLE_KEYS: &[&str] = &["articletitle", "og:title", "twitter:title", "headline", "title"];

/// Title hints, best first: CMS and Open Graph metas, JSON-LD, then `<title>`.
pub(crate) fn titles(head: &HeadInfo) -> Vec<String> {
    let mut out: Vec<String> = TITLE_KEYS
        .iter()
        .filter_map(|k| head.metas.iter().find(|(name, _)| name == k).map(|(_, v)| v.trim().to_string()))
        .collect();
    out.extend(head.json_ld.iter().filter_map(|j| json_ld_field(j, "headline")));
    out.extend(head.title.as_ref().map(|t| t.trim().to_string()));
    out.retain(|t| !t.is_empty());
    out
}

/// The publish date that metadata gives, if any.
pub(crate) fn date(head: &HeadInfo) -> Option<Published> {
    let from_meta = DATE_KEYS.iter().find_map(|k| {
        let (_, v) = head.metas.iter().find(|(name, _)| name == k)?;
        let (d, _) = find_date(v, false)?;
        Some(Published::new(d, v, DateOrigin::Meta))
    });
    from_meta.or_else(|| {
        head.json_ld.iter().find_map(|j| {
            let v = json_ld_field(j, "datePublished")?;
            let (d, _) = find_date(&v, false)?;
            Some(Published::new(d, &v, DateOrigin::JsonLd))
        })
    })
}

/// The first string value of `key` anywhere in a JSON-LD block (objects, arrays, `@graph`).
fn json_ld_field(json: &str, key: &str) -> Option<String> {
    let value: Value = serde_json::from_str(json.trim()).ok()?;
    let mut stack = vec![&value];
    let mut budget = 10_000usize;
    while let Some(v) = stack.pop() {
        budget = budget.checked_sub(1)?;
        match v {
            Value::Object(map) => {
                if let Some(Value::String(s)) = map.get(key) {
                    return Some(s.clone());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_in_a_graph() {
        let j = r#"{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","headline":"标题","datePublished":"2024-05-20T09:37:00+08:00"}]}"#;
        assert_eq!(json_ld_field(j, "headline").as_deref(), Some("标题"));
        let head = HeadInfo { json_ld: vec![j.to_string()], ..HeadInfo::default() };
        assert_eq!(date(&head).unwrap().value.to_string(), "2024-05-20T09:37:00+08:00");
    }

    #[test]
    fn gov_cms_metas() {
        let head = HeadInfo {
            metas: vec![("pubdate".into(), "2023-03-07 16:31".into()), ("articletitle".into(), "工作要点".into())],
            title: Some("工作要点_江西省卫生健康委员会".into()),
            ..HeadInfo::default()
        };
        assert_eq!(date(&head).unwrap().value.to_string(), "2023-03-07T16:31:00+08:00");
        assert_eq!(titles(&head), ["工作要点", "工作要点_江西省卫生健康委员会"]);
    }
}
