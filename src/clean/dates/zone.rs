//! The page's clock: which time zone its times are printed in, and how it
//! orders numeric dates, read from its address and its `<html lang>`.
//!
//! A country's domain is the surest sign of where a page is published; a
//! language with a region (`en-GB`, `zh-TW`) is next; a bare language last.
//! Pages that say nothing are read by their script: Chinese text on China's
//! clock (Taiwan's when written in traditional characters), anything else on
//! UTC, which moves no instant to another day.

use jiff::tz::{self, TimeZone};

/// `(country domain or language region, zone, numeric dates month first)`.
const REGIONS: &[(&str, &str, bool)] = &[
    ("cn", "Asia/Shanghai", false),
    ("tw", "Asia/Taipei", false),
    ("hk", "Asia/Hong_Kong", false),
    ("mo", "Asia/Macau", false),
    ("sg", "Asia/Singapore", false),
    ("jp", "Asia/Tokyo", false),
    ("kr", "Asia/Seoul", false),
    ("in", "Asia/Kolkata", false),
    ("de", "Europe/Berlin", false),
    ("at", "Europe/Vienna", false),
    ("ch", "Europe/Zurich", false),
    ("fr", "Europe/Paris", false),
    ("be", "Europe/Brussels", false),
    ("nl", "Europe/Amsterdam", false),
    ("lu", "Europe/Luxembourg", false),
    ("it", "Europe/Rome", false),
    ("es", "Europe/Madrid", false),
    ("pt", "Europe/Lisbon", false),
    ("uk", "Europe/London", false),
    ("gb", "Europe/London", false),
    ("ie", "Europe/Dublin", false),
    ("pl", "Europe/Warsaw", false),
    ("cz", "Europe/Prague", false),
    ("dk", "Europe/Copenhagen", false),
    ("se", "Europe/Stockholm", false),
    ("no", "Europe/Oslo", false),
    ("fi", "Europe/Helsinki", false),
    ("gr", "Europe/Athens", false),
    ("ru", "Europe/Moscow", false),
    ("tr", "Europe/Istanbul", false),
    ("br", "America/Sao_Paulo", false),
    ("ar", "America/Argentina/Buenos_Aires", false),
    ("mx", "America/Mexico_City", false),
    ("ca", "America/Toronto", true),
    ("us", "America/New_York", true),
    ("au", "Australia/Sydney", false),
    ("nz", "Pacific/Auckland", false),
];

/// `(language, the region it stands for when none is given)`.
const LANGUAGES: &[(&str, &str)] = &[
    ("zh", "cn"),
    ("ja", "jp"),
    ("ko", "kr"),
    ("de", "de"),
    ("fr", "fr"),
    ("it", "it"),
    ("es", "es"),
    ("pt", "pt"),
    ("nl", "nl"),
    ("pl", "pl"),
    ("cs", "cz"),
    ("da", "dk"),
    ("sv", "se"),
    ("nb", "no"),
    ("fi", "fi"),
    ("el", "gr"),
    ("ru", "ru"),
    ("tr", "tr"),
    ("en", "us"),
];

/// Each region's zone, read from the bundled database once (a zone is read
/// from its rules: not work to repeat for every page). The database cannot
/// miss a name from the table; UTC+8 stands in if it ever does.
static ZONES: std::sync::LazyLock<Vec<TimeZone>> = std::sync::LazyLock::new(|| {
    REGIONS
        .iter()
        .map(|(_, name, _)| tz::db().get(name).unwrap_or_else(|_| TimeZone::fixed(tz::Offset::constant(8))))
        .collect()
});

/// What the page's address and language say about its clock.
#[derive(Debug, Clone)]
pub(crate) struct Clock {
    pub zone: TimeZone,
    pub month_first: bool,
    /// Taiwan: three-digit years before 年 are 民國 years.
    pub roc: bool,
}

/// The script a page is written in, for pages that declare no language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Simplified,
    Traditional,
    Other,
}

/// The clock of a page at `host` (any case) whose `<html lang>` is `lang`;
/// `script` tells what it is written in, asked only when neither says.
pub(crate) fn clock(host: Option<&str>, lang: Option<&str>, script: impl FnOnce() -> Script) -> Clock {
    let tld = host.and_then(|h| h.trim_end_matches('.').rsplit('.').next()).map(str::to_ascii_lowercase);
    let lang = lang.map(|l| l.trim().to_ascii_lowercase().replace('_', "-")).unwrap_or_default();
    let mut subtags = lang.split('-');
    let language = subtags.next().unwrap_or_default();
    let rest: Vec<&str> = subtags.collect();
    // `zh-Hant` without a region is Taiwan's script.
    let region = rest.iter().find(|t| t.len() == 2).copied().or(rest.contains(&"hant").then_some("tw")).unwrap_or("");
    let from_tld = tld.as_deref().filter(|t| REGIONS.iter().any(|(r, _, _)| r == t));
    // The script is read at most once, and only when it is needed.
    let (mut script, mut read) = (Some(script), None);
    let mut script = move || *read.get_or_insert_with(|| script.take().map_or(Script::Other, |f| f()));
    // A template's `lang="en"` over Chinese text says nothing of the page's clock.
    let contradicted = !language.is_empty() && !HAN_LANGUAGES.contains(&language) && script() != Script::Other;
    let from_lang = LANGUAGES.iter().find(|(l, _)| *l == language).map(|(_, r)| *r).filter(|_| !contradicted);
    let region_known = !contradicted && REGIONS.iter().any(|(r, _, _)| *r == region);
    let by_script = || match script() {
        Script::Simplified => Some("cn"),
        Script::Traditional => Some("tw"),
        Script::Other => None,
    };
    let Some(chosen) = from_tld.or(region_known.then_some(region)).or(from_lang).or_else(by_script) else {
        return Clock { zone: TimeZone::UTC, month_first: false, roc: false };
    };
    let at = REGIONS.iter().position(|(r, _, _)| *r == chosen).unwrap_or(0);
    let month_first = REGIONS.get(at).is_some_and(|(_, _, m)| *m);
    let zone = ZONES.get(at).cloned().unwrap_or(TimeZone::UTC);
    Clock { zone, month_first, roc: chosen == "tw" }
}

/// Characters only traditional Chinese writes (their simplified forms differ).
/// Languages written in Han characters (with kana or hangul).
const HAN_LANGUAGES: &[&str] = &["zh", "ja", "ko"];

const TRADITIONAL: &str = "發於時間來與這們說為會國從對開關東門實點";

/// Characters read for the script test: enough for a page's header and first paragraphs.
const SCRIPT_SAMPLE_CHARS: usize = 1_000;
/// Traditional characters in the sample that make a page traditional.
const TRADITIONAL_MIN: usize = 8;

/// Chinese characters in the sample that make a page Chinese.
const HAN_MIN_SHARE: f64 = 0.2;

/// The script of the page's first lines: Chinese (simplified or
/// traditional: Taiwan's pages print 民國 years without the era's name) or not.
pub(crate) fn script<'a>(lines: impl Iterator<Item = &'a str>) -> Script {
    let (mut letters, mut han, mut traditional) = (0usize, 0usize, 0usize);
    'sample: for line in lines {
        for c in line.chars() {
            if crate::text::is_cjk(c) {
                han += 1;
                traditional += usize::from(TRADITIONAL.contains(c));
            } else if !(c.is_ascii_alphabetic() || !c.is_ascii() && c.is_alphabetic()) {
                continue;
            }
            letters += 1;
            if letters >= SCRIPT_SAMPLE_CHARS {
                break 'sample;
            }
        }
    }
    if (han as f64) < HAN_MIN_SHARE * letters as f64 || han == 0 {
        Script::Other
    } else if traditional >= TRADITIONAL_MIN {
        Script::Traditional
    } else {
        Script::Simplified
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(host: Option<&str>, lang: Option<&str>) -> String {
        named(host, lang, Script::Other)
    }

    fn named(host: Option<&str>, lang: Option<&str>, script: Script) -> String {
        clock(host, lang, || script).zone.iana_name().unwrap_or_default().to_string()
    }

    #[test]
    fn the_domain_beats_the_language() {
        assert_eq!(name(Some("www.spiegel.de"), Some("de")), "Europe/Berlin");
        assert_eq!(name(Some("www.nachrichten.at"), Some("de")), "Europe/Vienna");
        assert_eq!(name(Some("www.bbc.co.uk"), Some("en")), "Europe/London");
        assert_eq!(name(Some("www.rfi.fr"), Some("zh")), "Europe/Paris");
        assert_eq!(name(Some("nypost.com"), Some("en-US")), "America/New_York");
        assert_eq!(name(Some("example.com"), Some("en-GB")), "Europe/London");
        assert_eq!(name(Some("example.com"), Some("de-DE")), "Europe/Berlin");
        assert_eq!(name(Some("www.gov.cn"), None), "Asia/Shanghai");
        assert_eq!(named(None, None, Script::Simplified), "Asia/Shanghai");
        assert_eq!(name(Some("news.ltn.com.tw"), Some("zh-Hant-TW")), "Asia/Taipei");
    }

    #[test]
    fn a_language_the_text_contradicts_says_nothing() {
        // A template's lang="en" over Chinese text, read from an address with no domain.
        assert_eq!(named(None, Some("en"), Script::Simplified), "Asia/Shanghai");
        assert_eq!(named(Some("127.0.0.1"), Some("en-US"), Script::Simplified), "Asia/Shanghai");
        assert_eq!(named(Some("localhost"), Some("en"), Script::Traditional), "Asia/Taipei");
        assert_eq!(named(None, Some("en"), Script::Other), "America/New_York", "an English page");
        assert_eq!(named(Some("www.rfi.fr"), Some("en"), Script::Simplified), "Europe/Paris", "the domain still rules");
        assert_eq!(named(None, Some("zh"), Script::Other), "Asia/Shanghai", "only Chinese text contradicts");
    }

    #[test]
    fn traditional_text_is_told_from_simplified() {
        assert_eq!(
            script(["發布時間：105年3月8日", "這是一個關於國家發展的報導，來自臺北。"].into_iter()),
            Script::Traditional
        );
        assert_eq!(
            script(["发布时间：2016年3月8日", "这是一个关于国家发展的报道，来自北京。"].into_iter()),
            Script::Simplified
        );
        assert_eq!(script(["Posted on March 8, 2016", "A story about 北京."].into_iter()), Script::Other);
    }

    #[test]
    fn conventions_follow_the_region() {
        let clock = |host, lang| clock(host, lang, || Script::Other);
        assert!(clock(Some("example.com"), Some("en")).month_first);
        assert!(!clock(Some("example.co.uk"), Some("en")).month_first);
        assert!(clock(None, Some("zh-TW")).roc);
        assert!(clock(None, Some("zh-Hant")).roc);
        assert!(!clock(None, Some("zh-CN")).roc);
        // A page that says nothing and is not Chinese keeps UTC's day.
        assert_eq!(clock(Some("example.com"), None).zone, TimeZone::UTC);
        assert!(super::clock(None, None, || Script::Traditional).roc);
    }
}
