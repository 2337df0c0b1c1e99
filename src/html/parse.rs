//! Parsing: scraper's own html5ever driver with the node arena sized once.

use html5ever::tendril::TendrilSink;
use scraper::Html;

/// Parses a page as [`Html::parse_document`] does, with the node arena
/// sized up front from the count of `<`: nodes number about one to one and a
/// half per `<`, so the arena is allocated once instead of doubling, which at
/// its last doubling holds the old and the new arena together (on a 20 MB
/// page of short paragraphs that transient alone is three times the page).
pub(crate) fn parse(html: &str) -> Html {
    let tags = memchr::memchr_iter(b'<', html.as_bytes()).count();
    let mut doc = Html::new_document();
    doc.tree = ego_tree::Tree::with_capacity(scraper::Node::Document, tags.saturating_add(tags / 2).saturating_add(16));
    html5ever::driver::parse_document(scraper::HtmlTreeSink::new(doc), Default::default()).one(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sized_parse_builds_the_same_tree_as_scraper() {
        for page in [
            "",
            "纯文本,没有标签。",
            "<table><tr><td>implied tbody<td>两格</table><p>unclosed <b>bold <i>nest</p>",
            "<!doctype html><html><head><title>t</title><!-- note --></head><body><br/><p>a<p>b</body>",
            "<<<>>> < p>not a tag</p><script>if (a < b) {}</script>",
        ] {
            let (ours, theirs) = (parse(page), Html::parse_document(page));
            assert_eq!(ours.html(), theirs.html(), "{page}");
            assert_eq!(ours.tree.nodes().count(), theirs.tree.nodes().count(), "{page}");
        }
    }
}
