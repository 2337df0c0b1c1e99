//! Sites built the way the CMS families behind Chinese government and
//! association sites build theirs (see `tests/crawl/cms.rs` for what each one
//! holds): handlers from request to reply, and the articles each must yield.
//! Shared by the tests and by the crawl benchmark (`benches/crawl_sites.rs`).
#![allow(dead_code)]

use std::time::Duration;

use super::server::{Reply, Req};

pub fn article(title: &str, n: usize, head: &str, tools: &str) -> String {
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

pub fn title_of(family: &str, n: usize) -> String {
    format!("{family}第{n}号工作动态")
}

/// A JCMS column: `total` records, `per_page` a page, `group` pages a request.
pub struct Column {
    pub id: usize,
    pub unit: usize,
    pub total: usize,
    pub per_page: usize,
    pub group: usize,
    pub proxy: &'static str,
    /// The `jpage` call carries `ajaxParam` (newer installs) or not (older ones).
    pub ajax_param: bool,
}

pub const COLUMNS: [Column; 2] = [
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

pub fn jcms_record(col: &Column, i: usize) -> String {
    let title = title_of(&format!("大汉栏目{}", col.id), i);
    format!(
        "<record><![CDATA[<li><a href='/art/2024/3/{d}/art_{c}_{i}.html' title='{title}' target='_blank'>{title}</a><span>2024-03-{d:02}</span></li>]]></record>",
        d = 1 + i % 27,
        c = col.id
    )
}

pub fn datastore(col: &Column, from: usize, to: usize) -> String {
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

pub fn jcms_column_page(col: &Column) -> String {
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

pub fn jcms(req: &Req) -> Reply {
    let path = req.path.as_str();
    if path == "/" {
        return Reply::html(
            "<html><body><a href=\"/col/col1234/index.html\">工作动态</a> <a href=\"/col/col77/index.html\">通知公告</a></body></html>",
        );
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

pub fn jcms_expected() -> Vec<String> {
    COLUMNS.iter().flat_map(|c| (1..=c.total).map(|i| title_of(&format!("大汉栏目{}", c.id), i))).collect()
}

pub const PAGES: usize = 5;
pub const PER_PAGE: usize = 6;

/// The article at position `k` (from 1) of the list when `extra` new ones sit on top.
pub fn aspnet_item(k: usize, extra: usize) -> usize {
    if k <= extra { 1000 + extra - k + 1 } else { k - extra }
}

pub fn aspnet_list(page: usize, extra: usize) -> String {
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
pub fn java_list(page: usize) -> String {
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

pub fn aspnet(req: &Req) -> Reply {
    aspnet_with(req, 0)
}

/// The site with `extra` new articles on top of its list.
pub fn aspnet_with(req: &Req, extra: usize) -> Reply {
    let pages = (PAGES * PER_PAGE + extra).div_ceil(PER_PAGE);
    match (req.method.as_str(), req.path.as_str()) {
        (_, "/") => Reply::html(
            "<html><body><a href=\"/jyxx/MoreInfo.aspx?CategoryNum=001\">交易信息</a> <a href=\"/list.jsp\">公示公告</a></body></html>",
        ),
        ("GET", "/jyxx/MoreInfo.aspx") => Reply::html(aspnet_list(1, extra)),
        ("POST", "/jyxx/MoreInfo.aspx") => {
            let target = req.field("__EVENTTARGET").unwrap_or_default();
            let arg: usize = req.field("__EVENTARGUMENT").and_then(|a| a.parse().ok()).unwrap_or(0);
            // The view state and event validation must be a pair this server issued.
            let state = req.field("__VIEWSTATE").unwrap_or_default();
            let from = (1..=pages).find(|p| state == format!("/wEPDwUKMTk{p}NjQ+vs=="));
            let valid = from.is_some_and(|p| req.field("__EVENTVALIDATION") == Some(format!("/wEWB{p}AuL+ev")));
            if target != "MoreInfoList1$Pager"
                || !valid
                || !(1..=pages).contains(&arg)
                || req.field("__VIEWSTATEGENERATOR").is_none()
            {
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

pub fn aspnet_expected() -> Vec<String> {
    let mut out: Vec<String> = (1..=PAGES * PER_PAGE).map(|n| title_of("交易信息", n)).collect();
    out.extend((1..=12).map(|n| title_of("公示公告", n)));
    out
}

pub const TRS_ARTICLES: usize = 10;

pub fn trs_path(n: usize) -> String {
    format!("/xwzx/202311/t202311{:02}_{n}.htm", 1 + n % 28)
}

pub fn trs(base: &str, req: &Req) -> Reply {
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
            // A special report linked only under a parameter, its canonical address never
            // seen; a later page links that canonical address.
            Reply::html(format!(
                "<html><head><meta charset=utf-8><title>新闻中心</title></head><body><ul>{items}</ul>\
                 <a href=\"/old/first.htm\">旧版链接</a> <a href=\"/zt/report.htm?source=home\">专题报道</a>\
                 <a href=\"/xwzx/more.html\">更多</a></body></html>"
            ))
        }
        "/xwzx/more.html" => Reply::html("<html><body><a href=\"/zt/report.htm\">专题报道</a></body></html>"),
        "/zt/report.htm" => {
            let canonical = format!("<link rel=\"canonical\" href=\"{base}/zt/report.htm\">");
            Reply::html(article(&title_of("专题", 1), 250, &canonical, ""))
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

/// A plain list site of `n` articles on its own port; `slow` pages answer late.
pub fn plain(name: &'static str, n: usize, slow: Option<usize>) -> impl Fn(&Req) -> Reply + Send + Sync {
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
                if Some(i) == slow { reply.delayed(Duration::from_millis(1500)) } else { reply }
            }
            None => Reply::status(404),
        }
    }
}

/// A plain paged list site (`index.html`, `index_1.html`… with 下一页) of
/// `n` articles, `per_page` a list page, on its own port.
pub fn paged(name: &'static str, n: usize, per_page: usize) -> impl Fn(&Req) -> Reply + Send + Sync {
    move |req| {
        let path = req.path.as_str();
        let pages = n.div_ceil(per_page);
        let list = |p: usize| {
            let items: String = (p * per_page + 1..=((p + 1) * per_page).min(n))
                .map(|i| format!("<li><a href=\"/a/{i}.html\">{}</a></li>", title_of(name, i)))
                .collect();
            let next =
                if p + 1 < pages { format!("<a href=\"index_{}.html\">下一页</a>", p + 1) } else { String::new() };
            Reply::html(format!(
                "<html><head><meta charset=utf-8><title>{name}</title></head><body><ul>{items}</ul>{next}</body></html>"
            ))
        };
        if path == "/" || path == "/index.html" {
            return list(0);
        }
        if let Some(p) =
            path.strip_prefix("/index_").and_then(|p| p.strip_suffix(".html")).and_then(|p| p.parse::<usize>().ok())
            && p < pages
        {
            return list(p);
        }
        let i = path.strip_prefix("/a/").and_then(|p| p.strip_suffix(".html")).and_then(|p| p.parse::<usize>().ok());
        match i.filter(|i| (1..=n).contains(i)) {
            Some(i) => Reply::html(article(&title_of(name, i), 400 + i, "", "")),
            None => Reply::status(404),
        }
    }
}
