//! What `<meta>`, JSON-LD and `<title>` say of the headline: title hints, best first.

use super::doc::HeadInfo;

/// `<meta>` keys of titles, most trusted first.
const TITLE_KEYS: &[&str] = &["articletitle", "og:title", "twitter:title", "headline", "title"];

/// Title hints, best first: CMS and Open Graph metas, JSON-LD, then `<title>`.
pub(crate) fn titles(head: &HeadInfo) -> Vec<String> {
    let mut out: Vec<String> = TITLE_KEYS
        .iter()
        .filter_map(|k| head.metas.iter().find(|(name, _)| name == k).map(|(_, v)| v.trim().to_string()))
        .collect();
    out.extend(head.json_ld_headlines.iter().map(|h| h.trim().to_string()));
    out.extend(head.title.as_ref().map(|t| t.trim().to_string()));
    let mut out: Vec<String> = out.into_iter().filter(|t| t.len() <= MAX_HINT_BYTES).map(|t| plain_text(&t)).collect();
    out.retain(|t| !t.is_empty());
    out
}

/// `<meta>` keys of the site's own name, most trusted first.
const SITE_KEYS: &[&str] = &["og:site_name", "application-name", "sitename", "site_name", "site"];

/// A site's name is no longer than this (characters).
const MAX_SITE_CHARS: usize = 40;

/// The name the page's site goes by: a `<meta>` that says it, else the
/// site's part of `<title>` (`标题_栏目_广东省计生协` → `广东省计生协`).
pub(crate) fn site_name(head: &HeadInfo) -> Option<String> {
    let meta = SITE_KEYS
        .iter()
        .filter_map(|k| head.metas.iter().find(|(name, _)| name == k).map(|(_, v)| plain_text(v)))
        .find(|v| !v.is_empty() && v.chars().count() <= MAX_SITE_CHARS);
    meta.or_else(|| head.title.as_deref().and_then(|t| crate::clean::title::site_of(&plain_text(t))))
}

/// Hints longer than this are no headline (and are not parsed again).
const MAX_HINT_BYTES: usize = 4096;

/// A hint's text without markup: CMSs put tags into `og:title`
/// (`标题<div>——副题</div>`), and entities come decoded from the attribute.
fn plain_text(hint: &str) -> String {
    if !hint.contains('<') {
        return hint.trim().to_string();
    }
    let fragment = scraper::Html::parse_fragment(hint);
    crate::text::squash_space_owned(fragment.root_element().text().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_meta_title_is_dropped() {
        let head = HeadInfo {
            metas: vec![("og:title".into(), "为建设凝聚力量<div>——热烈祝贺会议开幕</div>".into())],
            ..HeadInfo::default()
        };
        assert_eq!(titles(&head), ["为建设凝聚力量——热烈祝贺会议开幕"]);
    }

    #[test]
    fn the_site_s_name_from_a_meta_or_the_title() {
        let by_meta = HeadInfo { metas: vec![("og:site_name".into(), "新华网".into())], ..HeadInfo::default() };
        assert_eq!(site_name(&by_meta).as_deref(), Some("新华网"));
        let by_title = HeadInfo {
            title: Some("召开2025年全省计生协工作会议_工作动态_广东省计生协".into()),
            ..HeadInfo::default()
        };
        assert_eq!(site_name(&by_title).as_deref(), Some("广东省计生协"));
        let none = HeadInfo {
            title: Some("书记市长这一周 | 奋马扬鞭争春色，“虎”力全开向未来".into()),
            ..HeadInfo::default()
        };
        assert_eq!(site_name(&none), None);
    }

    #[test]
    fn gov_cms_metas() {
        let head = HeadInfo {
            metas: vec![("pubdate".into(), "2023-03-07 16:31".into()), ("articletitle".into(), "工作要点".into())],
            title: Some("工作要点_江西省卫生健康委员会".into()),
            ..HeadInfo::default()
        };
        assert_eq!(titles(&head), ["工作要点", "工作要点_江西省卫生健康委员会"]);
    }
}
