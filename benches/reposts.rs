//! What finding reposts costs: fingerprinting beside extraction on the
//! shared Chinese pages, and a lookup among 1,000,000 stored articles
//! (their memory stated).
//!
//! `cargo bench --bench reposts [-- STORED]` (a table on standard output).
//! The stored articles are made at bench time: bodies of 200 to 600
//! characters drawn from 3,500 common ideographs, so unrelated; the probes
//! are half reposts of stored ones (punctuation, a cut), half new.
#[path = "../tests/support/rng.rs"]
mod rng;

use std::hint::black_box;
use std::time::Instant;

use report_scraper::repost::{Fingerprint, RepostIndex};
use rng::Rng;

fn body(rng: &mut Rng) -> String {
    let n = 200 + (rng.next() % 400) as usize;
    (0..n)
        .map(|i| if i % 25 == 24 { '，' } else { char::from_u32(0x4E00 + (rng.next() % 3500) as u32).unwrap() })
        .collect()
}

/// Resident memory of this process, in bytes (Linux).
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    statm.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()).unwrap_or(0) * 4096
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let stored: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    println!("| measure | value |");
    println!("|---|---:|");
    // Fingerprinting beside extraction, on the real pages.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets");
    let mut pages = Vec::new();
    for set in ["zh-dev", "zh-more"] {
        if let Ok(entries) = std::fs::read_dir(dir.join(set).join("html")) {
            pages.extend(entries.filter_map(|e| std::fs::read(e.ok()?.path()).ok()));
        }
    }
    if !pages.is_empty() {
        let rounds = 5;
        let t = Instant::now();
        let mut articles = Vec::new();
        for _ in 0..rounds {
            articles = pages.iter().filter_map(|p| report_scraper::extract(p, None).ok()).collect();
        }
        let extracting = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for _ in 0..rounds {
            for a in &articles {
                black_box(Fingerprint::of_article(a));
            }
        }
        let printing = t.elapsed().as_secs_f64();
        let per = printing / (rounds * articles.len()) as f64;
        println!("| pages | {} |", pages.len());
        println!("| extraction per page | {:.0} µs |", extracting / (rounds * pages.len()) as f64 * 1e6);
        println!("| fingerprint per article | {:.1} µs |", per * 1e6);
        println!("| fingerprint / extraction | {:.1}% |", printing / extracting * 100.0);
    }
    // Lookups among many.
    let mut rng = Rng(0x1234_5678);
    let before = rss();
    let t = Instant::now();
    let mut index = RepostIndex::new();
    let mut kept = Vec::new();
    for n in 0..stored {
        let text = body(&mut rng);
        if n % (stored / 500).max(1) == 0 {
            kept.push(text.clone());
        }
        index.insert(n as u32, Fingerprint::of_text(&text));
    }
    let building = t.elapsed().as_secs_f64();
    let memory = rss().saturating_sub(before);
    let probes: Vec<Fingerprint> = kept
        .iter()
        .map(|t| {
            Fingerprint::of_text(&t.replace('，', ",").chars().take(t.chars().count() * 8 / 10).collect::<String>())
        })
        .chain((0..kept.len()).map(|_| Fingerprint::of_text(&body(&mut rng))))
        .collect();
    let t = Instant::now();
    let mut found = 0;
    for p in &probes {
        found += index.same_article(p).count();
    }
    let lookup = t.elapsed().as_secs_f64() / probes.len() as f64;
    println!("| stored articles | {stored} |");
    println!("| building (fingerprints and index) | {building:.1} s |");
    println!(
        "| index memory | {:.0} MB ({:.0} bytes an article) |",
        memory as f64 / 1e6,
        memory as f64 / stored as f64
    );
    println!("| lookup | {:.1} µs |", lookup * 1e6);
    println!("| reposts found | {found} of {} |", kept.len());
}
