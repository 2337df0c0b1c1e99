//! What the words printed next to a date say it is: published (发布,
//! posted), updated (更新, modified), or another date altogether (截止,
//! 活动, ©). One table, read near the date.

use crate::model::DateLabel;

/// Words, lower case, with what they say of a date printed next to them.
const WORDS: &[(&str, DateLabel)] = &[
    ("发布", DateLabel::Published),
    ("發布", DateLabel::Published),
    ("發佈", DateLabel::Published),
    ("发表", DateLabel::Published),
    ("發表", DateLabel::Published),
    ("发稿", DateLabel::Published),
    ("发文", DateLabel::Published),
    ("录入", DateLabel::Published),
    ("上传", DateLabel::Published),
    ("刊发", DateLabel::Published),
    ("刊登", DateLabel::Published),
    ("刊出", DateLabel::Published),
    ("出版", DateLabel::Published),
    ("published", DateLabel::Published),
    ("posted", DateLabel::Published),
    ("veröffentlicht", DateLabel::Published),
    ("erschienen", DateLabel::Published),
    ("publié", DateLabel::Published),
    ("publicado", DateLabel::Published),
    ("pubblicato", DateLabel::Published),
    ("gepubliceerd", DateLabel::Published),
    ("更新", DateLabel::Updated),
    ("修改", DateLabel::Updated),
    ("修订", DateLabel::Updated),
    ("updated", DateLabel::Updated),
    ("last update", DateLabel::Updated),
    ("modified", DateLabel::Updated),
    ("aktualisiert", DateLabel::Updated),
    ("geändert", DateLabel::Updated),
    ("mis à jour", DateLabel::Updated),
    ("actualizado", DateLabel::Updated),
    ("aggiornato", DateLabel::Updated),
    ("bijgewerkt", DateLabel::Updated),
    // A document's date of writing (成文日期), not when it was published.
    ("成文", DateLabel::Other),
    ("截止", DateLabel::Other),
    ("活动", DateLabel::Other),
    ("会议", DateLabel::Other),
    ("开幕", DateLabel::Other),
    ("举办", DateLabel::Other),
    ("举行", DateLabel::Other),
    ("报名", DateLabel::Other),
    ("开始", DateLabel::Other),
    ("结束", DateLabel::Other),
    ("期限", DateLabel::Other),
    ("有效期", DateLabel::Other),
    ("考试", DateLabel::Other),
    ("出生", DateLabel::Other),
    ("成立", DateLabel::Other),
    ("版权", DateLabel::Other),
    ("©", DateLabel::Other),
    ("copyright", DateLabel::Other),
    ("deadline", DateLabel::Other),
    ("expires", DateLabel::Other),
    ("event", DateLabel::Other),
    ("born", DateLabel::Other),
];

/// Characters looked at before a date for its label…
const BEFORE_CHARS: usize = 16;
/// …and after it.
const AFTER_CHARS: usize = 6;

/// The label of the date at `start..end` (byte offsets) of `text`: the
/// nearest word before it, else the first word after it.
pub(crate) fn label_of(text: &str, start: usize, end: usize) -> DateLabel {
    let before: Vec<char> = text.get(..start).unwrap_or_default().chars().rev().take(BEFORE_CHARS).collect();
    let before: String = before.iter().rev().collect::<String>().to_lowercase();
    // Word ends from the date backwards: the nearest word wins.
    let mut ends = before.char_indices().map(|(i, c)| i + c.len_utf8()).rev();
    let nearest_before = ends.find_map(|end| word_ending(&before[..end]));
    nearest_before.unwrap_or_else(|| {
        let after = text.get(end..).unwrap_or_default().chars().take(AFTER_CHARS).collect::<String>().to_lowercase();
        let mut starts = after.char_indices().map(|(i, _)| i);
        starts.find_map(|i| word_starting(&after[i..])).unwrap_or(DateLabel::Unlabelled)
    })
}

fn word_ending(text: &str) -> Option<DateLabel> {
    WORDS.iter().find(|(w, _)| text.ends_with(w)).map(|(_, label)| *label)
}

fn word_starting(text: &str) -> Option<DateLabel> {
    WORDS.iter().find(|(w, _)| text.starts_with(w)).map(|(_, label)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str, date: &str) -> DateLabel {
        let start = text.find(date).unwrap();
        label_of(text, start, start + date.len())
    }

    #[test]
    fn the_nearest_word_says_what_a_date_is() {
        assert_eq!(label("发布时间：2021-03-09", "2021-03-09"), DateLabel::Published);
        assert_eq!(label("2005-04-05 06:40更新 来源：新华网", "2005-04-05 06:40"), DateLabel::Updated);
        assert_eq!(label("报名截止时间：2021-03-09", "2021-03-09"), DateLabel::Other);
        assert_eq!(label("Posted on March 8, 2016", "March 8, 2016"), DateLabel::Published);
        assert_eq!(label("Updated: March 9, 2016", "March 9, 2016"), DateLabel::Updated);
        assert_eq!(label("© 2016-03-08 新华网", "2016-03-08"), DateLabel::Other);
        assert_eq!(label("新华网 2016-03-08", "2016-03-08"), DateLabel::Unlabelled);
    }
}
