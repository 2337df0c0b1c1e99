//! Markdown and plain text out. Every fixture's Markdown is kept as a
//! snapshot, and read back by real readers: pulldown-cmark (CommonMark with
//! GitHub's tables) must find the article's blocks in it, and Python's
//! PyYAML must read its front matter into the article's fields.

use std::process::{Command, Stdio};

use crate::support::fixture;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use report_scraper::{
    Article, Page,
    model::{BlockKind, MetaStyle},
};

/// Every fixture page that extracts, with its folder's name.
fn pages() -> Vec<(String, Page)> {
    let cases = fixture::cases().iter().map(|dir| fixture::load(dir)).collect::<Vec<_>>();
    cases.into_iter().filter_map(|case| Some((case.name.clone(), fixture::run(&case).ok()?))).collect()
}

#[test]
fn fixture_markdown_matches_its_snapshot() {
    for (name, page) in pages() {
        insta::assert_snapshot!(format!("{name}.md"), page.to_markdown(MetaStyle::FrontMatter));
    }
}

/// What a Markdown reader finds: each block's kind and its text as rendered.
fn read_back(markdown: &str) -> Vec<(BlockKind, String)> {
    let mut out: Vec<(BlockKind, String)> = Vec::new();
    let mut current: Option<(BlockKind, String)> = None;
    let mut row: Vec<String> = Vec::new();
    let mut in_cell = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Heading { .. }) => current = Some((BlockKind::Heading, String::new())),
            Event::Start(Tag::Item) => current = Some((BlockKind::ListItem, String::new())),
            Event::Start(Tag::BlockQuote(_)) => current = Some((BlockKind::Quote, String::new())),
            Event::Start(Tag::Table(_)) => current = Some((BlockKind::Table, String::new())),
            Event::Start(Tag::Paragraph) if current.is_none() => current = Some((BlockKind::Paragraph, String::new())),
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                row.push(String::new());
            }
            Event::End(TagEnd::TableCell) => in_cell = false,
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                if let Some((_, t)) = current.as_mut() {
                    if !t.is_empty() {
                        t.push('\n');
                    }
                    t.push_str(&row.join(" | "));
                }
                row.clear();
            }
            Event::Text(s) | Event::Code(s) => {
                if in_cell {
                    row.last_mut().expect("a cell was opened").push_str(&s);
                } else if let Some((_, t)) = current.as_mut() {
                    t.push_str(&s);
                }
            }
            Event::HardBreak | Event::SoftBreak => {
                if let Some((_, t)) = current.as_mut() {
                    t.push('\n');
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_) | TagEnd::Table)
            | Event::End(TagEnd::Paragraph) => {
                if let Some(block) = current.take() {
                    out.push(block);
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a_markdown_reader_finds_every_block() {
    for (name, page) in pages() {
        for a in &page.articles {
            let got = read_back(&a.to_markdown(MetaStyle::None));
            let want: Vec<(BlockKind, String)> = a
                .blocks
                .iter()
                // A caption reads back as a paragraph in italics.
                .map(|b| (if b.kind == BlockKind::Caption { BlockKind::Paragraph } else { b.kind }, b.text.clone()))
                .collect();
            assert_eq!(got, want, "{name}: the Markdown does not read back as the article's blocks");
        }
    }
}

/// The front matter of each fixture, read by PyYAML, as JSON.
fn yaml_read(documents: &[String]) -> Option<Vec<serde_json::Value>> {
    let script = "import sys, json, yaml\n\
                  docs = json.load(sys.stdin)\n\
                  out = [yaml.safe_load(d.split('---\\n')[1]) for d in docs]\n\
                  json.dump(out, sys.stdout, ensure_ascii=False)";
    let child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: python3 not found ({e})");
            return None;
        }
        Err(e) => panic!("python3 is needed under CI: {e}"),
    };
    serde_json::to_writer(child.stdin.take().unwrap(), documents).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && stderr.contains("No module named 'yaml'") && std::env::var_os("CI").is_none() {
        eprintln!("skipped: PyYAML is not installed");
        return None;
    }
    assert!(out.status.success(), "PyYAML failed: {stderr}");
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn pyyaml_reads_the_front_matter_as_the_article_says() {
    let pages = pages();
    let docs: Vec<String> = pages.iter().map(|(_, p)| p.to_markdown(MetaStyle::FrontMatter)).collect();
    let Some(read) = yaml_read(&docs) else { return };
    for ((name, page), meta) in pages.iter().zip(read) {
        let Some(a) = page.article() else { continue };
        let field = |key: &str| meta.get(key).and_then(|v| v.as_str()).map(str::to_string);
        assert_eq!(field("title"), a.title, "{name}: title");
        assert_eq!(field("source"), a.source, "{name}: source");
        assert_eq!(field("author"), a.author, "{name}: author");
        assert_eq!(field("url"), page.url, "{name}: url");
        assert_eq!(field("published"), a.published.as_ref().map(|p| p.value.to_string()), "{name}: published");
        let editors = meta.get("editors").cloned().unwrap_or(serde_json::Value::Array(vec![]));
        assert_eq!(editors, serde_json::to_value(&a.editors).unwrap(), "{name}: editors");
    }
}

#[test]
fn markdown_characters_in_the_text_stay_text() {
    let text =
        "标题示例\n1. 第一条,内容是*重要*的。\n# 不是标题,是正文里的一行。\n- 不是列表,是正文,含有[方括号]和<尖括号>。";
    let a: Article = report_scraper::clean_text(text).unwrap();
    let got: Vec<String> = read_back(&a.to_markdown(MetaStyle::None)).into_iter().map(|(_, t)| t).collect();
    let want: Vec<String> = a.blocks.iter().map(|b| b.text.clone()).collect();
    assert_eq!(got, want);
    assert!(read_back(&a.to_markdown(MetaStyle::None)).iter().all(|(k, _)| *k == BlockKind::Paragraph));
}

#[test]
fn plain_text_holds_every_block() {
    for (name, page) in pages() {
        for a in &page.articles {
            let plain = a.to_plain_text();
            for b in &a.blocks {
                assert!(plain.contains(&b.text), "{name}: plain text lacks {:?}", b.text);
            }
        }
    }
}

mod any_text {
    //! Whatever the text of the blocks, a Markdown reader finds the same
    //! blocks with the same text: escaping is checked against a real parser.
    use proptest::prelude::*;
    use report_scraper::{
        Article,
        model::{Block, BlockKind, MetaStyle},
    };

    fn word() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a', 'b', 'Z', '1', '2', '中', '文', '，', '。', '*', '_', '`', '[', ']', '(', ')', '<', '>', '#', '-',
            '+', '=', '|', '!', '&', ';', '\\', '~', '.', ':', '"', '\'', '/', '@',
        ]);
        let random = prop::collection::vec(chars, 1..6).prop_map(|c| c.into_iter().collect::<String>());
        // Tokens Markdown gives a meaning to, whole.
        let tokens = prop::sample::select(vec![
            "&amp;",
            "&#35;",
            "&copy",
            "<br>",
            "<div>",
            "</p>",
            "**",
            "***",
            "---",
            "===",
            "```",
            "~~~",
            "1.",
            "1)",
            "http://a.cn/x_y",
            "a_b_c",
            "[x](y)",
            "![i](s)",
            "<http://a.cn>",
            "\\",
            "2024年1月",
            "*强调*",
        ])
        .prop_map(str::to_string);
        prop_oneof![3 => random, 1 => tokens]
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(word(), 1..6).prop_map(|w| w.join(" "))
    }

    fn kind() -> impl Strategy<Value = BlockKind> {
        prop::sample::select(vec![
            BlockKind::Paragraph,
            BlockKind::Heading,
            BlockKind::ListItem,
            BlockKind::Quote,
            BlockKind::Caption,
        ])
    }

    /// A table: rows of as many cells, cells of words without ` | `.
    fn table() -> impl Strategy<Value = String> {
        (1usize..4, 1usize..4).prop_flat_map(|(rows, cols)| {
            let cell = prop::collection::vec(word(), 1..3).prop_map(|w| w.join(" "));
            prop::collection::vec(prop::collection::vec(cell, cols), rows)
                .prop_map(|rows| rows.iter().map(|r| r.join(" | ")).collect::<Vec<_>>().join("\n"))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        #[test]
        fn tables_read_back_as_written(text in table().prop_filter("no cell made of a bar", |t| !t.contains(" | | "))) {
            let mut a = Article::default();
            a.blocks = vec![Block::new(BlockKind::Table, text.clone())];
            let got = super::read_back(&a.to_markdown(MetaStyle::None));
            prop_assert_eq!(got, vec![(BlockKind::Table, text)], "{}", a.to_markdown(MetaStyle::None));
        }

        #[test]
        fn a_title_reads_back_as_its_heading(title in text()) {
            let mut a = Article::default();
            a.title = Some(title.clone());
            let md = a.to_markdown(MetaStyle::HeaderLine);
            prop_assert_eq!(super::read_back(&md), vec![(BlockKind::Heading, title)], "{}", md);
        }

        #[test]
        fn blocks_read_back_as_written(blocks in prop::collection::vec((kind(), text()), 1..6)) {
            let mut a = Article::default();
            a.blocks = blocks.iter().map(|(k, t)| Block::new(*k, t.clone())).collect();
            let got = super::read_back(&a.to_markdown(MetaStyle::None));
            let want: Vec<(BlockKind, String)> = blocks
                .iter()
                .map(|(k, t)| (if *k == BlockKind::Caption { BlockKind::Paragraph } else { *k }, t.clone()))
                .collect();
            prop_assert_eq!(got, want, "{}", a.to_markdown(MetaStyle::None));
        }
    }
}
