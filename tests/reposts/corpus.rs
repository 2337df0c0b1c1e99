//! The labelled repost set, built from the shared pages at test time.

use report_scraper::Article;

use crate::support::rng::Rng;
use crate::support::{dataset, truth};

/// Reposts made of each original.
const REPOSTS: usize = 3;

/// One copy of a story.
pub struct Copy {
    pub url: String,
    pub article: Article,
    /// Which story it is a copy of.
    pub story: usize,
    /// The story's original (the real page).
    pub original: bool,
    /// How to name it in a report.
    pub label: String,
}

pub struct Set {
    pub copies: Vec<Copy>,
}

/// Noise lines portals and WeChat mirrors add around a repost (the seeds'
/// kinds), for the cleaner to take away.
const NOISE: &[&str] = &[
    "点击上方蓝字",
    "点击上方蓝字关注我们",
    "温馨提示:信息一旦丢失不一定找得到,请务必收藏信息以备急用!",
    "扫一扫在手机打开当前页",
    "分享到：微信 微博 QQ空间",
    "【打印本页】【关闭窗口】",
    "责任编辑：李明",
    "展会发布 展会网站大全 报名观展合作 软文发布",
];

/// Stubs a paywalled repost ends with.
const STUBS: &[&str] = &["剩余内容请登录后阅读全文", "开通会员 立即登录", "还剩80%内容，打开APP阅读全文"];

/// Where reposts live: portals, a county site, a WeChat mirror.
const HOSTS: &[&str] = &[
    "https://www.zhanhui-portal.com/news/",
    "https://www.sohu.com/a/",
    "https://m.163.com/dy/article/",
    "https://www.xxian.gov.cn/xwzx/",
    "https://mp.weixin.qq.com/s/",
];

/// The set, or `None` when the shared pages are absent.
pub fn build() -> Option<Set> {
    let mut originals: Vec<(String, Article)> = Vec::new();
    for name in ["zh-dev", "zh-more"] {
        let dir = dataset(name)?;
        for line in truth(&dir) {
            let id = line["id"].as_str().unwrap_or_default();
            // A page kept without its address gets one: a crawl always knows where a copy was.
            let url = match line["url"].as_str() {
                Some(u) if !u.is_empty() => u.to_string(),
                _ => format!("https://{name}.example/{id}.html"),
            };
            let Ok(bytes) = std::fs::read(dir.join("html").join(format!("{id}.html"))) else { continue };
            let Ok(article) = report_scraper::extract(&bytes, Some(&url)) else { continue };
            // What a crawl writes: pages that look like articles.
            if article.looks_like_article() {
                originals.push((url, article));
            }
        }
    }
    let mut copies = Vec::new();
    let firsts: Vec<String> = originals.iter().map(|(_, a)| first_sentence(a)).collect();
    for (story, (url, article)) in originals.iter().enumerate() {
        copies.push(Copy {
            url: url.clone(),
            article: article.clone(),
            story,
            original: true,
            label: format!("original {url}"),
        });
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (story as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d));
        for r in 0..REPOSTS {
            let elsewhere = &firsts[(story + 7) % firsts.len()];
            let (text, what) = repost(article, url, elsewhere, &mut rng);
            let Ok(copy) = report_scraper::clean_text(&text) else { continue };
            let host = HOSTS[rng.below(HOSTS.len())];
            copies.push(Copy {
                url: format!("{host}{story}_{r}.html"),
                article: copy,
                story,
                original: false,
                label: format!("repost {r} of {url} ({what})"),
            });
        }
    }
    // The seeds: reposts of five different articles, each a story of its own.
    let seeds = dataset("seeds-text")?;
    for line in truth(&seeds) {
        let id = line["id"].as_str().unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(seeds.join("text").join(format!("{id}.txt"))) else { continue };
        let Ok(article) = report_scraper::clean_text(&text) else { continue };
        if !article.looks_like_article() {
            continue;
        }
        let story = originals.len() + copies.len();
        copies.push(Copy {
            url: format!("https://seed.example/{id}"),
            article,
            story,
            original: true,
            label: id.into(),
        });
    }
    // Copies arrive in no particular order: reposts before their original too.
    let mut rng = Rng(0x5eed);
    for i in (1..copies.len()).rev() {
        copies.swap(i, rng.below(i + 1));
    }
    Some(Set { copies })
}

/// The first sentence of an article's body.
fn first_sentence(a: &Article) -> String {
    let text = a.text();
    let sentence = text.split_inclusive('。').next().unwrap_or_default();
    sentence.chars().take(80).collect()
}

/// A repost of `article` as a portal would print it (as text, for the
/// text-mode cleaner), and what was done to it.
fn repost(article: &Article, url: &str, elsewhere: &str, rng: &mut Rng) -> (String, String) {
    let mut what = Vec::new();
    let mut paras: Vec<String> = article.text().lines().map(str::to_string).collect();
    if paras.len() >= 4 && rng.chance(30) {
        paras.remove(1 + rng.below(paras.len() - 2));
        what.push("paragraph dropped");
    }
    if rng.chance(30) {
        let at = rng.below(paras.len() + 1);
        paras.insert(at, elsewhere.to_string());
        what.push("paragraph inserted");
    }
    let mut stub = None;
    if rng.chance(35) {
        let total: usize = paras.iter().map(|p| p.chars().count()).sum();
        let keep = total * (45 + rng.below(40)) / 100;
        paras = cut(&paras, keep);
        stub = Some(STUBS[rng.below(STUBS.len())]);
        what.push("cut");
    }
    let mut body = paras.join("\n");
    if rng.chance(50) {
        body = swap_widths(&body);
        what.push("widths");
    }
    let title = article.title.clone().unwrap_or_default();
    let title = if rng.chance(50) {
        what.push("new headline");
        format!("【关注】{}", title.chars().take(12).collect::<String>())
    } else {
        title
    };
    let date = article.published.as_ref().map(|p| p.value.to_string().chars().take(10).collect::<String>());
    let date = match date {
        Some(d) if !rng.chance(20) => format!("发布时间：{}", later(&d, rng.below(3))),
        _ => String::new(),
    };
    let mut lines = vec![title, date];
    lines.extend((0..1 + rng.below(2)).map(|_| NOISE[rng.below(NOISE.len())].to_string()));
    lines.push(body);
    if let Some(stub) = stub {
        lines.push(stub.to_string());
    }
    lines.push(NOISE[rng.below(NOISE.len())].to_string());
    // Half the reposts credit the original's site, by the name it goes by (or by its
    // domain when its pages give none), some a vague source, some none.
    let host = url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let credit = article.site_name.clone().unwrap_or_else(|| host.trim_start_matches("www.").to_string());
    match rng.below(4) {
        0 | 1 => lines.push(format!("来源：{credit}")),
        2 => lines.push("来源：网络整理".to_string()),
        _ => {}
    }
    let mut text = lines.join("\n");
    if rng.chance(30) {
        // Through GBK and back, as a GBK portal serves it and a reader decodes it.
        let (bytes, _, _) = encoding_rs::GBK.encode(&text);
        text = report_scraper::encoding::decode(&bytes, Some("text/plain; charset=gbk")).unwrap().text;
        what.push("gbk");
    }
    (text, what.join(", "))
}

/// The paragraphs up to `keep` characters, the last one cut at a character.
fn cut(paras: &[String], keep: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut left = keep;
    for p in paras {
        let n = p.chars().count();
        if n <= left {
            out.push(p.clone());
            left -= n;
        } else {
            if left > 0 {
                out.push(p.chars().take(left).collect());
            }
            break;
        }
    }
    out
}

/// Full-width punctuation to ASCII and back.
fn swap_widths(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '！' => '!',
            '？' => '?',
            '（' => '(',
            '）' => ')',
            ',' => '，',
            ':' => '：',
            c => c,
        })
        .collect()
}

/// `day` (YYYY-MM-DD) plus `days`.
fn later(day: &str, days: usize) -> String {
    match day.parse::<jiff::civil::Date>() {
        Ok(d) => d.checked_add(jiff::Span::new().days(days as i64)).map_or(day.to_string(), |d| d.to_string()),
        Err(_) => day.to_string(),
    }
}
