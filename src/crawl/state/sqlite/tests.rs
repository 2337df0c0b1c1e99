//! The state's own tests: resuming, keys, outcomes, reconciling, runs, scale.

use super::*;
use crate::crawl::state::{Found, RunStart};
use crate::error::ErrorCode;

fn url(s: &str) -> Url {
    s.parse().unwrap()
}

/// A state file's path in a folder of its own, no file there yet.
fn fresh_state_file(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("rs-state-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("crawl.db");
    let _ = std::fs::remove_file(&path);
    (dir, path)
}

fn taken_urls(s: &CrawlState, n: usize) -> Vec<String> {
    s.take(n).unwrap().into_iter().map(|t| t.url.to_string()).collect()
}

#[test]
fn a_killed_run_resumes_without_losing_or_repeating() {
    let (dir, path) = fresh_state_file("resume");
    {
        let s = CrawlState::open(&path).unwrap();
        for i in 0..5 {
            s.enqueue(&url(&format!("http://a.cn/{i}.html")), 1).unwrap();
        }
        let taken = s.take(3).unwrap();
        s.finish_row(taken[0].id, &Outcome::Article).unwrap();
        // The process dies here: 1 finished, 2 in flight, 2 queued.
    }
    let s = CrawlState::open(&path).unwrap();
    assert_eq!(s.counts().unwrap(), Counts { queued: 4, articles: 1, ..Counts::default() });
    assert_eq!(
        taken_urls(&s, 10),
        ["http://a.cn/1.html", "http://a.cn/2.html", "http://a.cn/3.html", "http://a.cn/4.html"]
    );
    assert!(!s.enqueue(&url("http://a.cn/0.html"), 0).unwrap());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn addresses_are_fetched_as_found_and_seen_by_their_canonical_form() {
    let s = CrawlState::in_memory().unwrap();
    assert!(s.enqueue(&url("http://a.cn/xwzx/index.html?utm_source=wx"), 0).unwrap());
    assert!(!s.enqueue(&url("http://a.cn/xwzx/"), 0).unwrap(), "the same page by its canonical form");
    assert!(s.enqueue(&url("http://a.cn/list.jsp?mod=2&id=7"), 0).unwrap());
    assert_eq!(taken_urls(&s, 10), ["http://a.cn/xwzx/index.html?utm_source=wx", "http://a.cn/list.jsp?mod=2&id=7"]);
}

#[test]
fn outcomes_are_counted_and_read_back() {
    let s = CrawlState::in_memory().unwrap();
    let outcomes = [
        Outcome::Article,
        Outcome::List,
        Outcome::Robots,
        Outcome::Duplicate { of: None },
        Outcome::Failed(ErrorCode::Http(503)),
    ];
    for (i, o) in outcomes.clone().into_iter().enumerate() {
        let u = url(&format!("http://a.cn/{i}"));
        s.enqueue(&u, 0).unwrap();
        s.take(1).unwrap();
        s.finish_row(s.row_of(&u, None).unwrap().unwrap(), &o).unwrap();
    }
    assert_eq!(s.counts().unwrap(), Counts { queued: 0, articles: 1, lists: 1, robots: 1, duplicates: 1, failed: 1 });
    for (i, o) in outcomes.into_iter().enumerate() {
        assert_eq!(s.outcome(&url(&format!("http://a.cn/{i}"))).unwrap(), Some(o));
    }
    assert_eq!(s.outcome(&url("http://a.cn/queued")).unwrap(), None);
}

#[test]
fn an_address_marked_written_is_never_queued() {
    let s = CrawlState::in_memory().unwrap();
    let u = url("http://a.cn/old.html");
    s.mark_written(&u).unwrap();
    assert!(!s.enqueue(&u, 0).unwrap());
    s.enqueue(&url("http://a.cn/new.html"), 0).unwrap();
    s.mark_written(&url("http://a.cn/new.html")).unwrap();
    assert!(s.take(10).unwrap().is_empty());
    assert_eq!(s.counts().unwrap().articles, 2);
}

#[test]
fn the_state_is_reconciled_with_what_the_output_holds() {
    let s = CrawlState::in_memory().unwrap();
    for i in 0..4 {
        s.mark_written(&url(&format!("http://a.cn/{i}.html"))).unwrap();
    }
    // The output holds 0 and 2 of them, and 9, which the state never knew.
    let kept = [url("http://a.cn/0.html"), url("http://a.cn/2.html"), url("http://a.cn/9.html")];
    assert_eq!(s.reconcile(kept).unwrap(), 2);
    assert_eq!(taken_urls(&s, 10), ["http://a.cn/1.html", "http://a.cn/3.html"]);
    assert_eq!(s.outcome(&url("http://a.cn/9.html")).unwrap(), Some(Outcome::Article));
}

#[test]
fn failures_that_can_heal_are_retried_up_to_a_cap() {
    let s = CrawlState::in_memory().unwrap();
    for (path, code) in [("t", ErrorCode::Timeout), ("404", ErrorCode::Http(404)), ("503", ErrorCode::Http(503))] {
        let u = url(&format!("http://a.cn/{path}"));
        s.enqueue(&u, 0).unwrap();
        s.take(1).unwrap();
        s.finish(&u, &Outcome::Failed(code)).unwrap();
    }
    assert_eq!(s.retry_failed(&[ErrorCode::Timeout], 3).unwrap(), 2, "the timeout and the 503, not the 404");
    let again = s.take(10).unwrap();
    assert_eq!(again.iter().map(|t| t.attempts).collect::<Vec<_>>(), [2, 2]);
    for t in &again {
        s.finish_row(t.id, &Outcome::Failed(ErrorCode::Timeout)).unwrap();
    }
    assert_eq!(s.retry_failed(&[ErrorCode::Timeout], 2).unwrap(), 0, "two attempts each: the cap");
}

#[test]
fn runs_resume_until_one_finishes_and_lists_are_revisited_in_the_next() {
    let s = CrawlState::in_memory().unwrap();
    assert_eq!(s.start_run().unwrap(), (RunStart::New, 1));
    let list = url("http://a.cn/news/");
    s.enqueue(&list, 0).unwrap();
    s.take(1).unwrap();
    s.finish_list(s.row_of(&list, None).unwrap().unwrap(), 1, Some("\"v1\""), None).unwrap();
    assert_eq!(s.start_run().unwrap(), (RunStart::Resume, 1), "the first run never finished");
    s.finish_run().unwrap();
    assert_eq!(s.start_run().unwrap(), (RunStart::New, 2));
    assert_eq!(s.revisit_lists(2, 3600).unwrap(), 0, "read less than an hour ago");
    assert_eq!(s.revisit_lists(2, 0).unwrap(), 1);
    let t = s.take(1).unwrap();
    assert_eq!(t[0].etag.as_deref(), Some("\"v1\""));
}

#[test]
fn a_million_addresses_fit_in_the_state() {
    // Batched: one transaction per batch. Row size is what the target is about;
    // the time is measured in the crawl bench, not here.
    let s = CrawlState::in_memory().unwrap();
    let batch = |from: usize| (from..from + 10_000).map(|i| (url(&format!("http://a.cn/a/{i:07}.html")), 0));
    for b in 0..10 {
        assert_eq!(s.enqueue_many(batch(b * 10_000).map(|(u, d)| Found::get(u, d))).unwrap(), 10_000);
    }
    assert_eq!(s.enqueue_many(batch(0).map(|(u, d)| Found::get(u, d))).unwrap(), 0);
    assert_eq!(s.counts().unwrap().queued, 100_000);
    // A host's queue is read through the index of queued rows: taking from a long frontier does not rescan it.
    let plan: String = s
        .conn()
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id FROM urls WHERE origin = 1 AND state = 0 ORDER BY id LIMIT 8",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("urls_queue"), "the queue is not read by its index: {plan}");
    assert_eq!(s.take(2).unwrap().len(), 2);
}

fn post(body: &str, selects: &str) -> crate::model::Post {
    crate::model::Post { body: body.into(), selects: selects.into() }
}

#[test]
fn addresses_are_handed_out_host_by_host() {
    let s = CrawlState::in_memory().unwrap();
    let found = ["http://a.cn/1", "http://b.cn/1", "http://a.cn/2", "http://b.cn/2"];
    s.enqueue_many(found.iter().map(|u| Found::get(url(u), 0))).unwrap();
    let origins = s.queued_origins().unwrap();
    assert_eq!(origins.iter().map(|(_, o)| o.as_str()).collect::<Vec<_>>(), ["http://a.cn", "http://b.cn"]);
    let b = origins[1].0;
    let taken: Vec<String> = s.take_from(b, 5).unwrap().into_iter().map(|t| t.url.to_string()).collect();
    assert_eq!(taken, ["http://b.cn/1", "http://b.cn/2"], "one host's queue, in the order found");
    assert_eq!(s.queued_origins().unwrap().len(), 1, "b has nothing queued left");
}

#[test]
fn a_form_is_kept_with_its_address_and_keyed_by_what_it_selects() {
    let s = CrawlState::in_memory().unwrap();
    let list = url("http://a.cn/jyxx/MoreInfo.aspx?CategoryNum=001");
    let pages = [
        Found { url: list.clone(), depth: 1, post: Some(post("__VIEWSTATE=x&__EVENTARGUMENT=2", "__EVENTARGUMENT=2")) },
        // Found again from another page, with another view state: the same page of the list.
        Found { url: list.clone(), depth: 1, post: Some(post("__VIEWSTATE=y&__EVENTARGUMENT=2", "__EVENTARGUMENT=2")) },
        Found { url: list.clone(), depth: 1, post: Some(post("__VIEWSTATE=x&__EVENTARGUMENT=3", "__EVENTARGUMENT=3")) },
        Found::get(list.clone(), 1),
    ];
    assert_eq!(s.enqueue_many(pages).unwrap(), 3, "two postbacks and the plain page");
    let taken = s.take(10).unwrap();
    let forms: Vec<Option<&str>> = taken.iter().map(|t| t.form.as_deref()).collect();
    assert_eq!(forms, [Some("__VIEWSTATE=x&__EVENTARGUMENT=2"), Some("__VIEWSTATE=x&__EVENTARGUMENT=3"), None]);
}

#[test]
fn a_duplicate_names_its_original_and_fingerprints_stay_with_what_was_written() {
    let s = CrawlState::in_memory().unwrap();
    for u in ["http://a.cn/a.html", "http://a.cn/a.html?from=list"] {
        s.enqueue(&url(u), 0).unwrap();
    }
    let taken = s.take(2).unwrap();
    let (first, second) = (taken[0].id, taken[1].id);
    s.hold(&[42], first).unwrap();
    s.finish_row(first, &Outcome::Article).unwrap();
    // A second address with the same article does not take the fingerprint over.
    s.hold(&[42], second).unwrap();
    let holder = s.holder(42).unwrap().unwrap();
    assert_eq!((holder.id, holder.written), (first, true));
    s.duplicate(second, first, "same article").unwrap();
    assert_eq!(
        s.outcome(&url("http://a.cn/a.html?from=list")).unwrap(),
        Some(Outcome::Duplicate { of: Some(url("http://a.cn/a.html")) })
    );
    // A holder whose article was never written gives way.
    s.enqueue(&url("http://a.cn/b.html"), 0).unwrap();
    let b = s.take(1).unwrap()[0].id;
    s.hold(&[7], b).unwrap();
    s.enqueue(&url("http://a.cn/c.html"), 0).unwrap();
    let c = s.take(1).unwrap()[0].id;
    s.hold(&[7], c).unwrap();
    assert_eq!(s.holder(7).unwrap().unwrap().id, c);
}

#[test]
fn variants_queued_before_a_parameter_was_learned_are_known() {
    let s = CrawlState::in_memory().unwrap();
    for u in ["http://a.cn/c.html", "http://a.cn/c.html?print=1", "http://a.cn/d.html?print=1"] {
        s.enqueue(&url(u), 0).unwrap();
    }
    let print = ["print".to_string()];
    s.learn("http://a.cn", &print, "http://a.cn/a.html").unwrap();
    s.learn("http://a.cn", &print, "http://a.cn/b.html").unwrap();
    let taken = s.take(3).unwrap();
    assert_eq!(s.known_as(&taken[1]).unwrap(), Some(taken[0].id), "c.html?print=1 is c.html");
    assert_eq!(s.known_as(&taken[2]).unwrap(), None, "d.html was never seen");
    assert!(!s.enqueue(&url("http://a.cn/c.html?print=2"), 0).unwrap(), "later variants are not queued");
    // Learned parameters are kept in the file.
    assert_eq!(s.irrelevant_params().unwrap(), [("http://a.cn".to_string(), "print".to_string())]);
}

#[test]
fn next_pages_read_in_an_earlier_run_are_revived_with_their_new_form() {
    let s = CrawlState::in_memory().unwrap();
    let list = url("http://a.cn/list.aspx");
    let page2 = |vs: &str| Found { url: list.clone(), depth: 0, post: Some(post(&format!("vs={vs}&p=2"), "p=2")) };
    s.enqueue_many([page2("old")]).unwrap();
    let t = s.take(1).unwrap();
    s.finish_list(t[0].id, 1, None, None).unwrap();
    assert!(!s.revive(&page2("new"), 1).unwrap(), "read in this run");
    assert_eq!(s.revisit_lists(2, 0).unwrap(), 0, "a form's page is not revisited on its own");
    assert!(s.revive(&page2("new"), 2).unwrap());
    assert_eq!(s.take(1).unwrap()[0].form.as_deref(), Some("vs=new&p=2"));
}

#[test]
fn a_state_of_the_previous_format_is_brought_up_to_date() {
    let (dir, path) = fresh_state_file("v3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
             INSERT INTO meta VALUES ('schema', '3');
             CREATE TABLE origins (id INTEGER PRIMARY KEY, origin TEXT NOT NULL UNIQUE);
             CREATE TABLE urls (id INTEGER PRIMARY KEY, key INTEGER NOT NULL, origin INTEGER NOT NULL,
                 path TEXT NOT NULL, depth INTEGER NOT NULL, state INTEGER NOT NULL, error TEXT,
                 attempts INTEGER NOT NULL DEFAULT 0, run INTEGER, fetched_at INTEGER);
             CREATE UNIQUE INDEX urls_key ON urls (key);
             INSERT INTO origins VALUES (1, 'http://a.cn');",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO urls (key, origin, path, depth, state) VALUES (?1, 1, '/q.html', 0, 0)",
            [CrawlState::in_memory().unwrap().key(&url("http://a.cn/q.html"), None)],
        )
        .unwrap();
    }
    let s = CrawlState::open(&path).unwrap();
    assert_eq!(taken_urls(&s, 5), ["http://a.cn/q.html"]);
    assert_eq!(s.meta("schema").unwrap().as_deref(), Some(SCHEMA_VERSION));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_adopted_state_keeps_only_the_queue_in_its_new_scope() {
    let s = CrawlState::in_memory().unwrap();
    for u in ["http://a.cn/1", "http://b.cn/1", "http://b.cn/2"] {
        s.enqueue(&url(u), 0).unwrap();
    }
    assert_eq!(s.drop_queued(|origin| origin == "http://a.cn").unwrap(), 2);
    assert_eq!(taken_urls(&s, 10), ["http://a.cn/1"]);
    assert_eq!(s.outcome(&url("http://b.cn/1")).unwrap(), Some(Outcome::Failed(ErrorCode::OutOfScope)));
}

#[test]
fn an_address_in_flight_at_every_kill_is_given_up_after_its_attempts() {
    let (dir, path) = fresh_state_file("kills");
    for kill in 0..3 {
        let s = CrawlState::open(&path).unwrap();
        if kill == 0 {
            s.enqueue(&url("http://a.cn/slow.html"), 0).unwrap();
        }
        assert_eq!(s.give_up_interrupted(3).unwrap(), 0, "kill {kill}: attempts left");
        assert_eq!(s.take(1).unwrap()[0].attempts, kill + 1);
        // Killed with it in flight.
    }
    let s = CrawlState::open(&path).unwrap();
    assert_eq!(s.give_up_interrupted(3).unwrap(), 1);
    assert_eq!(s.outcome(&url("http://a.cn/slow.html")).unwrap(), Some(Outcome::Failed(ErrorCode::Interrupted)));
    // A success starts the count again.
    s.enqueue(&url("http://a.cn/ok.html"), 0).unwrap();
    let t = s.take(1).unwrap();
    s.finish_list(t[0].id, 1, None, None).unwrap();
    assert_eq!(s.revisit_lists(2, 0).unwrap(), 1, "queued again by the next run");
    assert_eq!(s.give_up_interrupted(1).unwrap(), 0, "its one attempt succeeded");
    std::fs::remove_dir_all(&dir).ok();
}
