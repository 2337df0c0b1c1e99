//! The crawler on sites laid out the way the CMS families behind Chinese
//! government and association sites lay them out, served on 127.0.0.1:
//!
//! - **Hanweb JCMS** (大汉): a column page with no list markup, its first
//!   records in an XML datastore inside a `<script type="text/xml">`, the
//!   rest only from the `dataproxy.jsp` endpoint that the page's `jpage`
//!   call names (POST with the column's fields; GET answered too), and a
//!   column of an older install (`/module/jpage/`, fields only in the
//!   datastore's `<nextgroup>`);
//! - **ASP.NET WebForms / Epoint** (新点): pages after the first only as the
//!   answer to a postback (`__doPostBack('MoreInfoList1$Pager','3')`) with
//!   the page's `__VIEWSTATE` and `__EVENTVALIDATION` (a wrong one is a
//!   500), beside a search box, a login form and a comment form that must
//!   never be sent; a Java CMS list paged by `goPage(n)` over hidden fields;
//! - **TRS-style** lists whose links are only in `onclick` handlers, with
//!   tracking (`?from=list`) and print (`?print=1`) variants of each
//!   article, a canonical link, a sitemap of the plain addresses and a
//!   redirect onto an address fetched already.
//!
//! Every article must be written exactly once. The server logs every
//! request, so the tests assert what was sent, what never was, and when.
#![cfg(feature = "crawl")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use common::server::{serve, Reply, Req, Server};
use report_scraper::{CrawlEvent, CrawlState, CrawledArticle, Crawler, Fetcher, JsonlSink, Summary};

/// Pause between two requests to one host.
const DELAY: Duration = Duration::from_millis(5);

fn article(title: &str, n: usize, head: &str, tools: &str) -> String {
    let day = 1 + n % 27;
    format!(
        "<html><head><meta charset=utf-8><title>{title}_示范市计划生育协会</title>{head}</head><body>\
         <div class=nav><a href=/>首页</a></div>\
         <h1>{title}</h1><div class=info>发布日期:2024-03-{day:02} 09:30 来源:示范市计生协</div>\
         <div class=content><p>3月{day}日,示范市计生协召开第{n}次专题会议,总结第{n}项工作的进展,部署下一阶段的重点任务。</p>\
         <p>会议要求,各级协会围绕第{n}项任务加强组织建设,创新服务方式,推动生育支持措施落地见效,更好服务群众。</p></div>\
         <div class=tools>{tools}</div></body></html>"
    )
}

fn title_of(family: &str, n: usize) -> String {
    format!("{family}第{n}号工作动态")
}

/// What a crawl wrote, by final address, and what it said.
struct Crawled {
    rows: Vec<CrawledArticle>,
    summary: Summary,
    duplicates: Vec<(String, String)>,
}

async fn crawl(crawler: &Crawler, state: &CrawlState) -> Crawled {
    let (mut rows, mut duplicates) = (Vec::new(), Vec::new());
    let summary = crawler
        .run(state, &AtomicBool::new(false), |event| {
            match event {
                CrawlEvent::Articles(records) => rows.extend(records.iter().cloned()),
                CrawlEvent::Duplicate { url, of, .. } => duplicates.push((url.to_string(), of.to_string())),
                _ => {}
            }
            Ok(())
        })
        .await
        .unwrap();
    Crawled { rows, summary, duplicates }
}

fn fetcher() -> Fetcher {
    Fetcher::builder()
        .allow_range("127.0.0.1/32".parse().unwrap())
        .politeness_delay(DELAY)
        .backoff(Duration::from_millis(20))
        .timeout(Duration::from_secs(5))
        .retries(1)
        .build()
        .unwrap()
}

/// Titles written, each with how many times.
fn titles(rows: &[CrawledArticle]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for r in rows {
        *out.entry(r.article.title.clone().unwrap_or_default()).or_default() += 1;
    }
    out
}

fn assert_once(rows: &[CrawledArticle], expected: &[String]) {
    let got = titles(rows);
    let twice: Vec<(&String, &usize)> = got.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "written more than once: {twice:?}");
    let missing: Vec<&String> = expected.iter().filter(|t| !got.contains_key(*t)).collect();
    assert!(missing.is_empty(), "never written ({} of {}): {missing:?}", missing.len(), expected.len());
    assert_eq!(got.len(), expected.len(), "only the expected articles: {got:?}");
}

// ---------------------------------------------------------------- Hanweb JCMS

/// A JCMS column: `total` records, `per_page` a page, `group` pages a request.
struct Column {
    id: usize,
    unit: usize,
    total: usize,
    per_page: usize,
    group: usize,
    proxy: &'static str,
    /// The `jpage` call carries `ajaxParam` (newer installs) or not (older ones).
    ajax_param: bool,
}

const COLUMNS: [Column; 2] = [
    Column {
        id: 1234,
        unit: 5678,
        total: 38,
        per_page: 5,
        group: 3,
        proxy: "/module/web/jpage/dataproxy.jsp",
        ajax_param: true,
    },
    Column {
        id: 77,
        unit: 99,
        total: 12,
        per_page: 5,
        group: 1,
        proxy: "/module/jpage/dataproxy.jsp",
        ajax_param: false,
    },
];

fn jcms_record(col: &Column, i: usize) -> String {
    let title = title_of(&format!("大汉栏目{}", col.id), i);
    format!(
        "<record><![CDATA[<li><a href='/art/2024/3/{d}/art_{c}_{i}.html' title='{title}' target='_blank'>{title}</a><span>2024-03-{d:02}</span></li>]]></record>",
        d = 1 + i % 27,
        c = col.id
    )
}

fn datastore(col: &Column, from: usize, to: usize) -> String {
    let records: String = (from..=to.min(col.total)).map(|i| jcms_record(col, i)).collect();
    format!(
        "<datastore><totalrecord>{}</totalrecord><totalpage>{}</totalpage><nextgroup><![CDATA[<a href=\"{}?page=1&appid=1&webid=2&path=/&columnid={}&unitid={}&webname=%E7%A4%BA%E8%8C%83&permissiontype=0\"></a>]]></nextgroup><recordset>{records}</recordset></datastore>",
        col.total,
        col.total.div_ceil(col.per_page),
        col.proxy,
        col.id,
        col.unit
    )
}

fn jcms_column_page(col: &Column) -> String {
    let first = datastore(col, 1, col.per_page * col.group);
    let ajax = if col.ajax_param {
        format!(
            ",ajaxParam:{{col:1,appid:1,webid:2,path:'/',columnid:{},sourceContentType:1,unitid:{},webname:'示范市计生协',permissiontype:0}}",
            col.id, col.unit
        )
    } else {
        String::new()
    };
    format!(
        "<html><head><meta charset=utf-8><title>工作动态</title><script src=\"/module/web/jpage/jpage.js\"></script></head><body>\
         <div class=nav><a href=/>首页</a></div><div class=bt>工作动态</div>\
         <div id=\"{unit}\"><script type=\"text/xml\">{first}</script></div>\
         <script>$(document).ready(function(){{ $('#{unit}').jpage({{ dataStore: $('#{unit} datastore'), totalRecord:{total}, perPage:{per}, groupSize:{group},\
         proxyUrl:'{proxy}', barPosition:'bottom', pageInfo:{{ pageSize:{per} }}{ajax} }}); }});</script></body></html>",
        unit = col.unit,
        total = col.total,
        per = col.per_page,
        group = col.group,
        proxy = col.proxy,
    )
}

fn jcms(req: &Req) -> Reply {
    let path = req.path.as_str();
    if path == "/" {
        return Reply::html("<html><body><a href=\"/col/col1234/index.html\">工作动态</a> <a href=\"/col/col77/index.html\">通知公告</a></body></html>");
    }
    for col in &COLUMNS {
        if path == format!("/col/col{}/index.html", col.id) {
            return Reply::html(jcms_column_page(col));
        }
        if path == col.proxy {
            // The endpoint answers only for the column's own fields.
            if req.field("columnid") != Some(col.id.to_string()) || req.field("unitid") != Some(col.unit.to_string()) {
                continue;
            }
            let (from, to) = match (req.field("startrecord"), req.field("endrecord"), req.field("page")) {
                (Some(s), Some(e), _) => (s.parse().unwrap_or(1), e.parse().unwrap_or(0)),
                (_, _, Some(p)) => {
                    let p: usize = p.parse().unwrap_or(1);
                    ((p - 1) * col.per_page + 1, p * col.per_page)
                }
                _ => return Reply::status(400),
            };
            let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{}", datastore(col, from, to));
            return Reply::typed("text/xml;charset=UTF-8", xml);
        }
        if let Some(rest) = path.strip_prefix("/art/") {
            let prefix = format!("art_{}_", col.id);
            if let Some(i) =
                rest.rsplit('/').next().and_then(|f| f.strip_prefix(&prefix)).and_then(|f| f.strip_suffix(".html"))
            {
                let i: usize = i.parse().unwrap_or(0);
                if (1..=col.total).contains(&i) {
                    return Reply::html(article(&title_of(&format!("大汉栏目{}", col.id), i), i, "", ""));
                }
            }
        }
    }
    Reply::status(404)
}

fn jcms_expected() -> Vec<String> {
    COLUMNS.iter().flat_map(|c| (1..=c.total).map(|i| title_of(&format!("大汉栏目{}", c.id), i))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jcms_column_is_read_through_its_data_endpoint() {
    let site = serve(jcms).await;
    let state = CrawlState::in_memory().unwrap();
    let crawler = Crawler::builder().seed(&format!("{}/", site.base)).workers(4).build(fetcher()).unwrap();
    let c = crawl(&crawler, &state).await;
    assert_once(&c.rows, &jcms_expected());
    let hits = site.pages();
    let endpoint: Vec<_> = hits.iter().filter(|h| h.target.contains("dataproxy.jsp")).collect();
    // Column 1234: records 16–30 and 31–38; column 77: 6–10 and 11–12. Each asked once, by POST.
    assert_eq!(endpoint.len(), 4, "{endpoint:#?}");
    assert!(endpoint.iter().all(|h| h.method == "POST" && h.status == 200), "{endpoint:#?}");
    assert!(endpoint.iter().any(|h| h.target.starts_with("/module/jpage/")), "the older install's endpoint");
    assert!(endpoint.iter().any(|h| h.body.contains("sourceContentType=1")), "ajaxParam's fields are sent");
    assert_eq!(c.summary.failed(), 0, "{:?}", c.summary.errors);
}

// ------------------------------------------------------- ASP.NET WebForms

const PAGES: usize = 5;
const PER_PAGE: usize = 6;

/// The article at position `k` (from 1) of the list when `extra` new ones sit on top.
fn aspnet_item(k: usize, extra: usize) -> usize {
    if k <= extra {
        1000 + extra - k + 1
    } else {
        k - extra
    }
}

fn aspnet_list(page: usize, extra: usize) -> String {
    let pages = (PAGES * PER_PAGE + extra).div_ceil(PER_PAGE);
    let items: String = (1..=PER_PAGE)
        .map(|k| (page - 1) * PER_PAGE + k)
        .filter(|&k| k <= PAGES * PER_PAGE + extra)
        .map(|k| {
            let n = aspnet_item(k, extra);
            format!(
                "<tr><td><a href=\"/jyxx/InfoDetail/Default.aspx?InfoID={n:08x}-5e1f-4c2a&CategoryNum=001\" target=\"_blank\">{}</a></td><td>2024-03-{:02}</td></tr>",
                title_of("交易信息", n),
                1 + n % 27
            )
        })
        .collect();
    let link =
        |p: usize, text: &str| format!("<a href=\"javascript:__doPostBack('MoreInfoList1$Pager','{p}')\">{text}</a> ");
    let mut pager = link(1, "首页");
    pager.extend((1..=pages).map(|p| link(p, &p.to_string())));
    pager.push_str(&link((page + 1).min(pages), "下一页"));
    pager.push_str(&link(pages, "尾页"));
    format!(
        "<html><head><meta charset=utf-8><title>交易信息</title></head><body>\
         <form name=\"Form1\" method=\"post\" action=\"./MoreInfo.aspx?CategoryNum=001\" id=\"Form1\">\
         <div><input type=\"hidden\" name=\"__EVENTTARGET\" id=\"__EVENTTARGET\" value=\"\" />\
         <input type=\"hidden\" name=\"__EVENTARGUMENT\" id=\"__EVENTARGUMENT\" value=\"\" />\
         <input type=\"hidden\" name=\"__VIEWSTATE\" id=\"__VIEWSTATE\" value=\"/wEPDwUKMTk{page}NjQ+vs==\" /></div>\
         <script type=\"text/javascript\">var theForm = document.forms['Form1'];\
         function __doPostBack(eventTarget, eventArgument) {{ if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{\
         theForm.__EVENTTARGET.value = eventTarget; theForm.__EVENTARGUMENT.value = eventArgument; theForm.submit(); }} }}</script>\
         <div class=search><input name=\"txtTitle\" type=\"text\" id=\"txtTitle\" /><a id=\"btnSearch\" href=\"javascript:__doPostBack('btnSearch','')\">搜索</a></div>\
         <table id=\"MoreInfoList1_DataGrid1\">{items}</table>\
         <div id=\"MoreInfoList1_Pager\">{pager}</div>\
         <input type=\"hidden\" name=\"__VIEWSTATEGENERATOR\" value=\"CB8E6F2A\" />\
         <input type=\"hidden\" name=\"__EVENTVALIDATION\" id=\"__EVENTVALIDATION\" value=\"/wEWB{page}AuL+ev\" /></form>\
         <form method=\"post\" action=\"/login.aspx\"><input name=\"user\" /><input type=\"password\" name=\"pwd\" />\
         <a href=\"javascript:__doPostBack('LoginPager','2')\">2</a></form>\
         <form method=\"post\" action=\"/comment.aspx\"><textarea name=\"content\"></textarea><input type=\"submit\" value=\"发表评论\" />\
         <a href=\"javascript:__doPostBack('btnComment','')\">发表评论</a></form></body></html>"
    )
}

/// A Java CMS list paged by `goPage(n)` over a form of hidden fields.
fn java_list(page: usize) -> String {
    let items: String = (1..=4)
        .map(|k| {
            let n = (page - 1) * 4 + k;
            format!("<li><a href=\"/content.jsp?id={}\">{}</a></li>", 500 + n, title_of("公示公告", n))
        })
        .collect();
    let pager: String = (1..=3).map(|p| format!("<a href=\"javascript:goPage({p})\">{p}</a> ")).collect();
    format!(
        "<html><head><meta charset=utf-8><title>公示公告</title><script>function goPage(n){{ document.pageForm.pageNo.value = n; document.pageForm.submit(); }}</script></head><body>\
         <ul>{items}</ul><div class=page>{pager}<a href=\"javascript:goPage({next})\">下一页</a></div>\
         <form name=\"pageForm\" method=\"post\" action=\"/list.jsp\"><input type=\"hidden\" name=\"channelId\" value=\"12\"><input type=\"hidden\" name=\"pageNo\" value=\"{page}\"></form></body></html>",
        next = (page + 1).min(3)
    )
}

fn aspnet(req: &Req) -> Reply {
    aspnet_with(req, 0)
}

/// The site with `extra` new articles on top of its list.
fn aspnet_with(req: &Req, extra: usize) -> Reply {
    let pages = (PAGES * PER_PAGE + extra).div_ceil(PER_PAGE);
    match (req.method.as_str(), req.path.as_str()) {
        (_, "/") => Reply::html("<html><body><a href=\"/jyxx/MoreInfo.aspx?CategoryNum=001\">交易信息</a> <a href=\"/list.jsp\">公示公告</a></body></html>"),
        ("GET", "/jyxx/MoreInfo.aspx") => Reply::html(aspnet_list(1, extra)),
        ("POST", "/jyxx/MoreInfo.aspx") => {
            let target = req.field("__EVENTTARGET").unwrap_or_default();
            let arg: usize = req.field("__EVENTARGUMENT").and_then(|a| a.parse().ok()).unwrap_or(0);
            // The view state and event validation must be a pair this server issued.
            let state = req.field("__VIEWSTATE").unwrap_or_default();
            let from = (1..=pages).find(|p| state == format!("/wEPDwUKMTk{p}NjQ+vs=="));
            let valid = from.is_some_and(|p| req.field("__EVENTVALIDATION") == Some(format!("/wEWB{p}AuL+ev")));
            if target != "MoreInfoList1$Pager" || !valid || !(1..=pages).contains(&arg) || req.field("__VIEWSTATEGENERATOR").is_none() {
                return Reply::status(500);
            }
            Reply::html(aspnet_list(arg, extra))
        }
        ("GET", "/jyxx/InfoDetail/Default.aspx") => {
            let id = req.field("InfoID").unwrap_or_default();
            let n = usize::from_str_radix(id.split('-').next().unwrap_or_default(), 16).unwrap_or(0);
            if (1..=PAGES * PER_PAGE).contains(&n) || (1001..=1000 + extra).contains(&n) {
                Reply::html(article(&title_of("交易信息", n), n, "", ""))
            } else {
                Reply::status(404)
            }
        }
        ("GET", "/list.jsp") => Reply::html(java_list(1)),
        ("POST", "/list.jsp") if req.field("channelId").as_deref() == Some("12") => {
            match req.field("pageNo").and_then(|p| p.parse().ok()).filter(|p| (1..=3).contains(p)) {
                Some(p) => Reply::html(java_list(p)),
                None => Reply::status(500),
            }
        }
        ("GET", "/content.jsp") => {
            let n = req.field("id").and_then(|i| i.parse::<usize>().ok()).unwrap_or(0).saturating_sub(500);
            if (1..=12).contains(&n) {
                Reply::html(article(&title_of("公示公告", n), 100 + n, "", ""))
            } else {
                Reply::status(404)
            }
        }
        _ => Reply::status(404),
    }
}

fn aspnet_expected() -> Vec<String> {
    let mut out: Vec<String> = (1..=PAGES * PER_PAGE).map(|n| title_of("交易信息", n)).collect();
    out.extend((1..=12).map(|n| title_of("公示公告", n)));
    out
}

/// Requests no crawl may send: searches, logins, comments.
fn forbidden(site: &Server) -> Vec<String> {
    site.hits()
        .into_iter()
        .filter(|h| {
            h.target.starts_with("/login")
                || h.target.starts_with("/comment")
                || h.body.contains("btnSearch")
                || h.body.contains("btnComment")
        })
        .map(|h| format!("{} {} {}", h.method, h.target, h.body))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postback_pagers_are_replayed_and_no_other_form_is_sent() {
    let site = serve(aspnet).await;
    let state = CrawlState::in_memory().unwrap();
    let crawler = Crawler::builder().seed(&format!("{}/", site.base)).workers(4).build(fetcher()).unwrap();
    let c = crawl(&crawler, &state).await;
    assert_once(&c.rows, &aspnet_expected());
    assert!(forbidden(&site).is_empty(), "{:#?}", forbidden(&site));
    let posts: Vec<String> =
        site.hits().iter().filter(|h| h.method == "POST").map(|h| format!("{} {}", h.status, h.target)).collect();
    // Pages 1–5 of the pager (page 1 by postback too: its 首页 link), pages 1–3 of goPage.
    assert_eq!(posts.len(), PAGES + 3, "each postback page once: {posts:#?}");
    assert!(posts.iter().all(|p| p.starts_with("200")), "a postback was refused: {posts:#?}");
    assert_eq!(c.summary.failed(), 0, "{:?}", c.summary.errors);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_re_crawl_reads_postback_pages_only_while_they_hold_something_new() {
    let extra = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let e = extra.clone();
    let site = serve(move |req| aspnet_with(req, e.load(std::sync::atomic::Ordering::Relaxed))).await;
    let state = CrawlState::in_memory().unwrap();
    let crawler = Crawler::builder().seed(&format!("{}/", site.base)).workers(4).build(fetcher()).unwrap();
    assert_eq!(crawl(&crawler, &state).await.rows.len(), aspnet_expected().len());
    // Two new articles on top: the second run reads page 1 again, then page 2 (its
    // postback read again with the new view state), which holds nothing new: it stops
    // there. The pager's new last page (6) is new, and read.
    extra.store(2, std::sync::atomic::Ordering::Relaxed);
    site.clear();
    let second = crawl(&crawler, &state).await;
    assert_eq!(
        titles(&second.rows).into_keys().collect::<Vec<_>>(),
        [title_of("交易信息", 1001), title_of("交易信息", 1002)]
    );
    let posts: Vec<String> =
        site.hits().iter().filter(|h| h.method == "POST").map(|h| format!("{} {}", h.status, h.body)).collect();
    assert_eq!(posts.len(), 2, "only the page after the first, and the new one: {posts:#?}");
    assert!(posts.iter().all(|p| p.starts_with("200")), "{posts:#?}");
    assert!(posts.iter().any(|p| p.contains("__EVENTARGUMENT=2&")), "{posts:#?}");
    assert!(posts.iter().any(|p| p.contains("__EVENTARGUMENT=6&")), "{posts:#?}");
    assert!(forbidden(&site).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_killed_in_the_middle_of_postback_paging_resumes() {
    let site = serve(aspnet).await;
    let dir = std::env::temp_dir().join(format!("rs-cms-kill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (db, out) = (dir.join("crawl.db"), dir.join("out.jsonl"));
    let _ = (std::fs::remove_file(&db), std::fs::remove_file(&out));
    let crawler = Arc::new(Crawler::builder().seed(&format!("{}/", site.base)).workers(4).build(fetcher()).unwrap());
    // Killed (the run dropped where it stands) once the third postback page is in.
    {
        let state = CrawlState::open(&db).unwrap();
        let mut sink = JsonlSink::open(&out, &state).unwrap();
        let posted = || site.hits().iter().filter(|h| h.method == "POST" && h.target.starts_with("/jyxx")).count();
        let never = AtomicBool::new(false);
        let run = crawler.run(&state, &never, |e| sink.record(&e));
        tokio::select! {
            _ = run => panic!("the run ended before it was killed"),
            () = async { while posted() < 3 { tokio::time::sleep(Duration::from_millis(2)).await } } => {}
        }
    }
    let before: Vec<String> = site.hits().iter().filter(|h| h.method == "POST").map(|h| h.body.clone()).collect();
    let state = CrawlState::open(&db).unwrap();
    let mut sink = JsonlSink::open(&out, &state).unwrap();
    crawler.run(&state, &AtomicBool::new(false), |e| sink.record(&e)).await.unwrap();
    drop(sink);
    let rows: Vec<CrawledArticle> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_once(&rows, &aspnet_expected());
    // A postback answered before the kill is not sent again (one in flight may be).
    let mut sent: BTreeMap<String, usize> = BTreeMap::new();
    for h in site.hits().iter().filter(|h| h.method == "POST") {
        let page = h
            .body
            .split('&')
            .find(|kv| kv.starts_with("__EVENTARGUMENT") || kv.starts_with("pageNo"))
            .unwrap_or("")
            .to_string();
        *sent.entry(format!("{} {page}", h.target)).or_default() += 1;
    }
    let again: Vec<_> = sent.iter().filter(|(_, n)| **n > 1).collect();
    assert!(again.len() <= 1, "postbacks repeated after resuming: {again:?} (before the kill: {before:?})");
    assert!(forbidden(&site).is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

// ------------------------------------------------- TRS-style, with variants

const TRS_ARTICLES: usize = 10;

fn trs_path(n: usize) -> String {
    format!("/xwzx/202311/t202311{:02}_{n}.htm", 1 + n % 28)
}

fn trs(base: &str, req: &Req) -> Reply {
    let path = req.path.as_str();
    match path {
        "/robots.txt" => Reply::typed("text/plain", format!("User-agent: *\nSitemap: {base}/sitemap.xml\n")),
        "/sitemap.xml" => {
            let locs: String =
                (1..=TRS_ARTICLES).map(|n| format!("<url><loc>{base}{}</loc></url>", trs_path(n))).collect();
            Reply::typed("application/xml", format!("<urlset>{locs}</urlset>"))
        }
        "/" => Reply::html("<html><body><a href=\"/xwzx/index.html\">新闻中心</a></body></html>"),
        "/xwzx/index.html" => {
            // Links only in handlers, in three ways, and with a tracking parameter.
            let items: String = (1..=TRS_ARTICLES)
                .map(|n| {
                    let rel = format!(".{}", trs_path(n).trim_start_matches("/xwzx"));
                    let t = title_of("新闻中心", n);
                    match n % 3 {
                        0 => format!("<li onclick=\"window.open('{rel}?from=list')\">{t}</li>"),
                        1 => format!("<li><a href=\"javascript:void(0)\" onclick=\"location.href='{rel}?from=list';return false;\">{t}</a></li>"),
                        _ => format!("<li><span onclick=\"window.location='{rel}'\">{t}</span></li>"),
                    }
                })
                .collect();
            Reply::html(format!(
                "<html><head><meta charset=utf-8><title>新闻中心</title></head><body><ul>{items}</ul>\
                 <a href=\"/old/first.htm\">旧版链接</a></body></html>"
            ))
        }
        "/old/first.htm" => Reply::redirect(&trs_path(1)),
        _ => {
            let n = (1..=TRS_ARTICLES).find(|&n| trs_path(n) == path);
            let Some(n) = n else { return Reply::status(404) };
            let canonical = format!("<link rel=\"canonical\" href=\"{base}{path}\">");
            let tools = "<a href=\"?print=1\">打印本页</a> <a href=\"javascript:window.close()\">关闭窗口</a>";
            Reply::html(article(&title_of("新闻中心", n), 200 + n, &canonical, tools))
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handler_links_tracking_and_print_variants_and_redirects_give_each_article_once() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = base.clone();
    let site = serve(move |req| trs(b.get().map(String::as_str).unwrap_or_default(), req)).await;
    base.set(site.base.clone()).unwrap();
    let state = CrawlState::in_memory().unwrap();
    let crawler = Crawler::builder().seed(&format!("{}/", site.base)).workers(4).build(fetcher()).unwrap();
    let c = crawl(&crawler, &state).await;
    let expected: Vec<String> = (1..=TRS_ARTICLES).map(|n| title_of("新闻中心", n)).collect();
    assert_once(&c.rows, &expected);
    // The redirect onto a fetched address is a duplicate naming it.
    assert!(
        c.duplicates.iter().any(|(url, of)| url.ends_with("/old/first.htm") && of.ends_with(&trs_path(1))),
        "{:#?}",
        c.duplicates
    );
    // Variants found the same article twice each and were learned: most were never fetched.
    let print = site.pages().iter().filter(|h| h.target.contains("print=1")).count();
    let from = site.pages().iter().filter(|h| h.target.contains("from=list")).count();
    assert!(print <= 2 && from <= 2, "variants fetched: print {print}, from {from}");
    let learned: BTreeSet<String> = state.irrelevant_params().unwrap().into_iter().map(|(_, n)| n).collect();
    assert_eq!(learned, BTreeSet::from(["from".to_string(), "print".to_string()]));
    // No address fetched twice, but the redirect's target (fetched to learn where it leads).
    let mut fetched: BTreeMap<String, usize> = BTreeMap::new();
    for h in site.pages() {
        *fetched.entry(h.target).or_default() += usize::from(h.target != trs_path(1));
    }
    assert!(fetched.values().all(|n| *n <= 1), "an address fetched twice: {fetched:?}");
}

// ------------------------------------------------------- several hosts

/// A plain list site of `n` articles on its own port; `slow` pages answer late.
fn plain(name: &'static str, n: usize, slow: Option<usize>) -> impl Fn(&Req) -> Reply + Send + Sync {
    move |req| {
        let path = req.path.as_str();
        if path == "/" {
            let items: String =
                (1..=n).map(|i| format!("<li><a href=\"/a/{i}.html\">{}</a></li>", title_of(name, i))).collect();
            return Reply::html(format!("<html><body><ul>{items}</ul></body></html>"));
        }
        let i = path.strip_prefix("/a/").and_then(|p| p.strip_suffix(".html")).and_then(|p| p.parse::<usize>().ok());
        match i.filter(|i| (1..=n).contains(i)) {
            Some(i) => {
                let reply = Reply::html(article(&title_of(name, i), 300 + i, "", ""));
                if Some(i) == slow {
                    reply.delayed(Duration::from_millis(1500))
                } else {
                    reply
                }
            }
            None => Reply::status(404),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hosts_are_served_side_by_side_each_at_its_own_pace() {
    let delay = Duration::from_millis(30);
    let sites = [
        serve(plain("甲站", 12, Some(2))).await,
        serve(plain("乙站", 12, None)).await,
        serve(plain("丙站", 12, None)).await,
    ];
    let mut builder = Crawler::builder().workers(8);
    for s in &sites {
        builder = builder.seed(&format!("{}/", s.base));
    }
    let f = Fetcher::builder().allow_range("127.0.0.1/32".parse().unwrap()).politeness_delay(delay).build().unwrap();
    let crawler = builder.build(f).unwrap();
    let c = crawl(&crawler, &CrawlState::in_memory().unwrap()).await;
    assert_eq!(c.rows.len(), 36, "{:?}", c.summary);
    for s in &sites {
        let hits = s.hits();
        // One request at a time per host, the delay between them (measured from arrival to arrival).
        for w in hits.windows(2) {
            let gap = w[1].at.duration_since(w[0].at);
            assert!(gap >= delay - Duration::from_millis(3), "{} then {} only {gap:?} apart", w[0].target, w[1].target);
        }
    }
    // While host 甲 sat on its slow page, the other hosts went on.
    let slow = sites[0].hits().into_iter().find(|h| h.target == "/a/2.html").unwrap();
    let (from, to) = (slow.at, slow.at + Duration::from_millis(1400));
    let meanwhile: usize =
        sites[1..].iter().map(|s| s.hits().iter().filter(|h| h.at > from && h.at < to).count()).sum();
    assert!(meanwhile >= 10, "the other hosts got {meanwhile} requests while one page was slow");
    // Requests interleave: each host's first request comes before every other host's last.
    let spans: Vec<(std::time::Instant, std::time::Instant)> =
        sites.iter().map(|s| (s.hits().first().unwrap().at, s.hits().last().unwrap().at)).collect();
    for (i, a) in spans.iter().enumerate() {
        for (j, b) in spans.iter().enumerate() {
            assert!(i == j || a.0 < b.1, "host {i} started only after host {j} had finished");
        }
    }
}

// ------------------------------------------------------- the page limit

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_at_the_page_limit_says_so_and_the_next_one_goes_on() {
    let site = serve(plain("丁站", 20, None)).await;
    let state = CrawlState::in_memory().unwrap();
    let crawler = Crawler::builder().seed(&format!("{}/", site.base)).max_pages(8).workers(2).build(fetcher()).unwrap();
    let first = crawl(&crawler, &state).await;
    assert!(first.summary.limit_reached, "{:?}", first.summary);
    assert_eq!(first.summary.fetched, 8);
    assert!(first.summary.queued > 0 || first.summary.cut > 0, "{:?}", first.summary);
    let json = serde_json::to_value(&first.summary).unwrap();
    assert_eq!(json["limit_reached"], true);
    let mut all = first.rows;
    for _ in 0..5 {
        let next = crawl(&crawler, &state).await;
        all.extend(next.rows);
        if !next.summary.limit_reached {
            break;
        }
    }
    let expected: Vec<String> = (1..=20).map(|i| title_of("丁站", i)).collect();
    assert_once(&all, &expected);
}
