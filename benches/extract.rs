//! Extraction throughput on real pages, next to the parse-only floor.
//!
//! ```text
//! cargo bench --bench extract                 # everything
//! cargo bench --bench extract -- pages/large  # one group
//! ```
//!
//! Pages come from `../shared/datasets/{zh-dev,scrapinghub}/html` (read at
//! bench time, never copied here); without them, the fixture pages and the
//! demo site shipped in the repository are used. Groups:
//!
//! - `pages/small|medium|large|gbk`: pages under 30 KB, up to 300 KB, over
//!   300 KB, and GBK-encoded ones; `extract_html` (our whole job on decoded
//!   text: `Extractor::page` on `Input::html_str`) beside `parse_only`
//!   (scraper's parse of the same text: the floor);
//! - `extractor`: the small pages with one extractor reused and with
//!   `Extractor::default()` per page (the rules are shared: both cost alike);
//! - `decode`: bytes to text alone; `date`: date parsing alone;
//! - `clean_text`: text mode on the seed documents;
//! - `pathological`: 100,000 paragraphs, 10,000- and 100,000-deep nesting,
//!   a tag of 1,000,000 attributes, a 5 MB text node, 100,000 links;
//! - `dense_20mb`: 20 MB of markup as dense as it gets (`<br>` runs, a
//!   1M-row table, table cells, short paragraphs), the pages whose memory
//!   `tests/robustness.rs` bounds at 10 times their size.
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use report_scraper::{Extractor, Input, encoding::decode, model::PubDate};

struct Page {
    bytes: Vec<u8>,
    text: String,
    gbk: bool,
    url: Option<String>,
}

/// Which pages belong in a group.
type Pick = dyn Fn(&Page) -> bool;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.html` file under `dir`, recursively.
fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

fn load_pages() -> Vec<Page> {
    let shared = root().join("../shared/datasets");
    let mut files = Vec::new();
    for set in ["zh-dev", "scrapinghub"] {
        html_files(&shared.join(set).join("html"), &mut files);
    }
    if files.is_empty() {
        eprintln!("note: {} is absent; benchmarking the fixture pages and examples/site instead", shared.display());
        html_files(&root().join("tests/fixtures"), &mut files);
        html_files(&root().join("examples/site"), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|f| {
            let bytes = std::fs::read(&f).ok()?;
            let d = decode(&bytes, None).ok()?;
            Some(Page { gbk: d.encoding.starts_with("GB"), text: d.text, bytes, url: None })
        })
        .collect()
}

/// A decoded page as extraction's input.
fn input<'a>(text: &'a str, url: Option<&'a str>) -> Input<'a> {
    let input = Input::html_str(text);
    url.map_or(input, |u| input.url(u))
}

fn pages(c: &mut Criterion) {
    let all = load_pages();
    let ex = Extractor::default();
    let groups: [(&str, &Pick); 4] = [
        ("small", &|p| p.bytes.len() < 30 * 1024),
        ("medium", &|p| (30 * 1024..=300 * 1024).contains(&p.bytes.len())),
        ("large", &|p| p.bytes.len() > 300 * 1024),
        ("gbk", &|p| p.gbk),
    ];
    for (name, pick) in groups {
        let set: Vec<&Page> = all.iter().filter(|p| pick(p)).collect();
        if set.is_empty() {
            eprintln!("note: no {name} pages");
            continue;
        }
        let mut g = c.benchmark_group(format!("pages/{name}"));
        g.throughput(Throughput::Bytes(set.iter().map(|p| p.text.len() as u64).sum()));
        g.bench_function(BenchmarkId::new("extract_html", set.len()), |b| {
            b.iter(|| set.iter().filter(|p| ex.page(input(&p.text, p.url.as_deref())).is_ok()).count())
        });
        g.bench_function(BenchmarkId::new("parse_only", set.len()), |b| {
            b.iter(|| set.iter().map(|p| scraper::Html::parse_document(&p.text).tree.nodes().count()).sum::<usize>())
        });
        g.finish();
    }
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(all.iter().map(|p| p.bytes.len() as u64).sum()));
    g.bench_function("all_pages", |b| b.iter(|| all.iter().filter(|p| decode(&p.bytes, None).is_ok()).count()));
    g.finish();
}

/// An extractor made per page (`Extractor::default()`, as a program that
/// extracts one input per call does) against one reused: the rules are
/// shared, so the two should cost the same.
fn extractor_per_page(c: &mut Criterion) {
    let all = load_pages();
    let set: Vec<&Page> = all.iter().filter(|p| p.bytes.len() < 30 * 1024).collect();
    let mut g = c.benchmark_group("extractor");
    g.throughput(Throughput::Bytes(set.iter().map(|p| p.text.len() as u64).sum()));
    let ex = Extractor::default();
    g.bench_function(BenchmarkId::new("reused", set.len()), |b| {
        b.iter(|| set.iter().filter(|p| ex.page(input(&p.text, p.url.as_deref())).is_ok()).count())
    });
    g.bench_function(BenchmarkId::new("new_per_page", set.len()), |b| {
        b.iter(|| set.iter().filter(|p| Extractor::default().page(input(&p.text, p.url.as_deref())).is_ok()).count())
    });
    g.finish();
}

fn dates(c: &mut Criterion) {
    let samples = [
        "发布时间:2023- 03- 07 16: 31",
        "2025年2月20日 21:14",
        "二〇二三年三月七日",
        "2024年5月20日週一 下午2:05",
        "来源:太原晚报 2021-11-25 16:26:07",
        "2月17日,全省计生协工作会议召开",
        "Published May 20, 2024 09:37",
        "没有日期的一行字,只有内容。",
    ];
    let urls = [
        "http://www.a.gov.cn/art/2023/3/7/art_1.html",
        "https://a.cn/xwzx/202303/t20230307_123.html",
        "https://a.cn/n1/2024/0517/c1-1.html",
    ];
    let mut g = c.benchmark_group("date");
    g.bench_function("parse", |b| b.iter(|| samples.iter().filter(|s| PubDate::parse(s).is_some()).count()));
    g.bench_function("from_url", |b| b.iter(|| urls.iter().filter(|u| PubDate::from_url(u).is_some()).count()));
    g.finish();
}

fn seeds(c: &mut Criterion) {
    let dir = root().join("../shared/seeds");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .map(|it| it.flatten().filter_map(|e| std::fs::read_to_string(e.path()).ok()).collect())
        .unwrap_or_default();
    if texts.is_empty() {
        eprintln!("note: {} is absent; text mode runs on the text fixtures", dir.display());
        let fixtures = root().join("tests/fixtures");
        texts = ["paywall-text", "two-articles-text"]
            .iter()
            .filter_map(|c| std::fs::read_to_string(fixtures.join(c).join("page.txt")).ok())
            .collect();
    }
    let ex = Extractor::default();
    let mut g = c.benchmark_group("clean_text");
    g.throughput(Throughput::Bytes(texts.iter().map(|t| t.len() as u64).sum()));
    g.bench_function("seeds", |b| {
        b.iter(|| texts.iter().filter_map(|t| ex.page(Input::text(t)).ok()).map(|p| p.articles.len()).sum::<usize>())
    });
    g.finish();
}

fn pathological(c: &mut Criterion) {
    let para = |i: usize| format!("<p>第{i}段,全省计生协深入推进改革,扎实推动各项任务落实,宣传服务群众。</p>\n");
    let cases = [
        ("100k_paragraphs", (0..100_000).map(para).collect::<String>()),
        (
            "10k_deep_nesting",
            format!("{}<p>深处的正文,内容在这里。</p>{}", "<div>".repeat(10_000), "</div>".repeat(10_000)),
        ),
        (
            "100k_deep_nesting",
            format!("{}<p>深处的正文,内容在这里。</p>{}", "<div>".repeat(100_000), "</div>".repeat(100_000)),
        ),
        ("1m_attributes", {
            let attrs: String = (0..1_000_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
            format!("<div{attrs}><p>洪水之后的正文,内容在这里。</p></div>")
        }),
        ("5mb_text_node", format!("<p>{}</p>", "很长的一段文字,没有换行。".repeat(5 * 1024 * 1024 / 39))),
        ("100k_links", {
            let links: String = (0..100_000).map(|i| format!("<a href=/{i}>链接{i}</a> ")).collect();
            format!("<div>{links}</div><div class=content>{}</div>", para(1))
        }),
    ];
    let ex = Extractor::default();
    let mut g = c.benchmark_group("pathological");
    g.sample_size(10);
    for (name, page) in &cases {
        g.throughput(Throughput::Bytes(page.len() as u64));
        g.bench_function(*name, |b| b.iter(|| ex.page(Input::html_str(page)).map(|p| p.articles.len())));
    }
    g.finish();
}

fn dense(c: &mut Criterion) {
    const MB20: usize = 20 * 1024 * 1024;
    let fill = |open: &str, item: &dyn Fn(usize) -> String| {
        let (mut page, mut i) = (format!("<html><body><p>正文,内容在这里。</p>{open}"), 0);
        while page.len() < MB20 {
            page.push_str(&item(i));
            i += 1;
        }
        page
    };
    let cases = [
        ("br_runs", format!("<p>正文,内容在这里。</p>{}<p>之后</p>", "<br>".repeat(MB20 / 4))),
        ("million_rows", fill("<table>", &|i| format!("<tr><td>{i}</td></tr>"))),
        (
            "cells",
            fill("<table><tr>", &|i| format!("<td>{}</td>{}", i % 10, if i % 1000 == 999 { "</tr><tr>" } else { "" })),
        ),
        (
            "short_paragraphs",
            fill("<div class=content>", &|i| format!("<p>第{i}段,全省计生协深入推进改革,宣传服务群众。</p>")),
        ),
    ];
    let ex = Extractor::default();
    let mut g = c.benchmark_group("dense_20mb");
    g.sample_size(10);
    for (name, page) in &cases {
        g.throughput(Throughput::Bytes(page.len() as u64));
        g.bench_function(*name, |b| b.iter(|| ex.page(Input::html_str(page)).map(|p| p.articles.len())));
    }
    g.finish();
}

criterion_group!(benches, pages, extractor_per_page, dates, seeds, pathological, dense);
criterion_main!(benches);
