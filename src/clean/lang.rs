//! The language an article's text reads as, for pages that declare none.

/// Text read for the language: enough for a sure answer, bounded in cost.
const SAMPLE_CHARS: usize = 2000;

/// ISO 639-3 codes (what the detector gives) with an ISO 639-1 code.
const TWO_LETTER: &[(&str, &str)] = &[
    ("cmn", "zh"),
    ("eng", "en"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("rus", "ru"),
    ("deu", "de"),
    ("fra", "fr"),
    ("spa", "es"),
    ("por", "pt"),
    ("ita", "it"),
    ("nld", "nl"),
    ("vie", "vi"),
    ("tha", "th"),
    ("ind", "id"),
    ("ara", "ar"),
    ("tur", "tr"),
    ("pol", "pl"),
    ("ukr", "uk"),
    ("hin", "hi"),
    ("uig", "ug"),
    ("mya", "my"),
    ("khm", "km"),
    ("tgl", "tl"),
    ("zsm", "ms"),
];

/// The language of `text` as an ISO 639-1 code where there is one (else
/// 639-3); `None` when the detector is not sure.
pub(crate) fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(SAMPLE_CHARS).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    let code = info.lang().code();
    Some(TWO_LETTER.iter().find(|(three, _)| *three == code).map_or(code, |(_, two)| two).to_string())
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn chinese_and_english_are_told_apart() {
        assert_eq!(detect("会议指出,各级计生协要聚焦生育支持和家庭健康服务,推动工作提质增效。").as_deref(), Some("zh"));
        let en = "More than four hundred family health workers finished a two-week course this month.";
        assert_eq!(detect(en).as_deref(), Some("en"));
        assert_eq!(detect("").as_deref(), None);
    }
}
