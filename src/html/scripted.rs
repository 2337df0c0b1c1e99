//! Links that no anchor carries: addresses opened by event handlers and
//! `javascript:` links, anchors written inside scripts (`document.write`
//! strings, the CDATA records of a Hanweb JCMS XML datastore), the calls
//! that page a list by script (ASP.NET's `__doPostBack`, `goPage(n)`), and
//! the data requests of a JCMS column (`jpage` with its `proxyUrl`).
//!
//! Everything here reads text the page gives, bounded by the walk's script
//! capture; nothing is run.

use std::sync::LazyLock;

use regex::Regex;

/// Groups of a JCMS column asked for at most (a group holds `perPage ×
/// groupSize` records): bounds what one page can make the crawl ask.
const MAX_ENDPOINT_GROUPS: usize = 2000;

/// Anchors read from one script at most.
const MAX_SCRIPT_ANCHORS: usize = 5000;

/// How far past an anchor's tag its text is looked for (its `</a>`), so
/// unclosed anchors cost no more than this each.
const MAX_ANCHOR_TEXT_BYTES: usize = 2000;

/// What a `javascript:` link or an event handler does that a crawler can do too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Call {
    /// Opens an address: `window.open('…')`, `location.href = '…'`, `location.assign('…')`.
    Open(String),
    /// ASP.NET's `__doPostBack('control', 'argument')`: the page's form sent back.
    PostBack { target: String, argument: String },
    /// `goPage(3)` and the like: a form of hidden fields sent with the page's number.
    Page(u32),
}

/// `window.open('…')`, `location.href='…'`, `window.location = "…"`,
/// `location.assign('…')`, `self.location.replace('…')`.
static OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:window\.open\s*\(|location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\()\s*(?:"([^"]+)"|'([^']+)')"#,
    )
    .expect("valid handler pattern")
});

/// `__doPostBack('ctl00$Pager','3')`, quotes of either kind.
static POSTBACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"__doPostBack\s*\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]*)['"]\s*\)"#).expect("valid postback pattern")
});

/// `goPage(3)`, `gotoPage('3')`, `toPage(3)`, `jumpPage(3)`, `turnPage(3)`, `changePage(3)`.
static PAGE_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?-u:\b)(?:go|goto|to|jump|turn|change)_?page\s*\(\s*['"]?(\d{1,6})['"]?\s*\)"#)
        .expect("valid page-call pattern")
});

/// What a handler's code or a `javascript:` address does, if it is one of the calls above.
pub(crate) fn call(code: &str) -> Option<Call> {
    if let Some(c) = POSTBACK.captures(code) {
        return Some(Call::PostBack { target: c[1].to_string(), argument: c[2].to_string() });
    }
    if let Some(c) = PAGE_CALL.captures(code) {
        return c[1].parse().ok().map(Call::Page);
    }
    let c = OPEN.captures(code)?;
    let target = c.get(1).or_else(|| c.get(2))?.as_str().trim();
    (!target.is_empty() && !target.starts_with("javascript:")).then(|| Call::Open(target.to_string()))
}

/// An `<a>` tag with its `href` in double, single or no quotes; in a script
/// string the quotes may be escaped (`href=\"…\"`).
static ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<a\s[^>]*?href\s*=\s*(?:\\?"([^"\\]+)\\?"|\\?'([^'\\]+)\\?'|([^\s>"'\\]+))"#)
        .expect("valid anchor pattern")
});

/// Tags, to drop from an anchor's text.
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid tag pattern"));

/// The anchors written inside a script: `(href, text)`, in order. In an XML
/// datastore only the records' anchors count: its `<nextgroup>` names the
/// endpoint's next group, which [`jpage`] asks for by the page's own call.
pub(crate) fn markup_links(script: &str) -> Vec<(String, String)> {
    if !script.contains("<a") && !script.contains("<A") {
        return Vec::new();
    }
    let text = records(script).unwrap_or(script);
    let mut out = Vec::new();
    for c in ANCHOR.captures_iter(text).take(MAX_SCRIPT_ANCHORS) {
        let Some(href) = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)) else { continue };
        let href = unescape(href.as_str());
        if href.is_empty() || href.starts_with('#') || href.to_ascii_lowercase().starts_with("javascript:") {
            continue;
        }
        let end = c.get(0).map_or(0, |m| m.end());
        let rest = prefix(text.get(end..).unwrap_or_default(), MAX_ANCHOR_TEXT_BYTES);
        let inner = rest.split_once('>').map_or("", |(_, r)| r);
        let inner = inner.get(..find_ci(inner, "</a").unwrap_or(0)).unwrap_or_default();
        let label = decode_entities(&TAG.replace_all(inner, ""));
        out.push((href, label.trim().to_string()));
    }
    out
}

/// The records of an XML datastore (`<recordset>…</recordset>`), if the script is one.
fn records(script: &str) -> Option<&str> {
    let start = script.find("<recordset>")?;
    let end = script.rfind("</recordset>").filter(|&e| e > start).unwrap_or(script.len());
    script.get(start..end)
}

/// The first `max` bytes of `s`, cut at a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    haystack.as_bytes().windows(n).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A script string's escapes an address can hold: `\/`, `\"`, `\'`, and `&amp;`.
fn unescape(s: &str) -> String {
    decode_entities(&s.replace("\\/", "/").replace("\\\"", "\"").replace("\\'", "'")).trim().to_string()
}

/// The entities markup inside a script keeps (the parser decodes none there).
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

/// A JCMS column's paging, as its `jpage` call gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Jpage {
    pub total: usize,
    pub per_page: usize,
    pub group_size: usize,
    /// The data endpoint (`/module/web/jpage/dataproxy.jsp`, or an older install's path).
    pub proxy: String,
    /// The request's fields (`ajaxParam`, else the datastore's `<nextgroup>` address).
    pub fields: Vec<(String, String)>,
}

/// `totalRecord:123`, `perPage: 15`, `groupSize:'3'`, `var totalRecord = 123`.
static NUMBER_SETTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u:\b)(totalRecord|perPage|groupSize)\s*[:=]\s*['"]?(\d{1,9})"#).expect("valid setting pattern")
});

/// `proxyUrl:'/module/web/jpage/dataproxy.jsp'`.
static PROXY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"proxyUrl\s*[:=]\s*['"]([^'"\s]+)['"]"#).expect("valid proxy pattern"));

/// `ajaxParam:{col:1,appid:1,webname:'…'}`.
static AJAX_PARAM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ajaxParam\s*:\s*\{([^}]*)\}").expect("valid ajaxParam pattern"));

/// One `key: value` of an object literal, the value quoted or bare.
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"['"]?([A-Za-z_][\w]{0,60})['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,'"\s}]+))"#)
        .expect("valid field pattern")
});

/// `<nextgroup>` of an XML datastore: the endpoint's address with the column's fields.
static NEXTGROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?s)<nextgroup>.*?href\s*=\s*['"]([^'"]+)['"]"#).expect("valid nextgroup pattern"));

/// The paging a script sets up for a JCMS column, if it does.
pub(crate) fn jpage(script: &str) -> Option<Jpage> {
    if !script.contains("proxyUrl") {
        return None;
    }
    let (mut total, mut per_page, mut group_size) = (None, None, None);
    for c in NUMBER_SETTING.captures_iter(script) {
        let n: usize = c[2].parse().ok()?;
        match &c[1] {
            "totalRecord" => total = Some(n),
            "perPage" => per_page = Some(n),
            _ => group_size = Some(n),
        }
    }
    let proxy = PROXY.captures(script)?[1].to_string();
    let fields = match AJAX_PARAM.captures(script) {
        Some(c) => FIELD
            .captures_iter(&c[1])
            .filter_map(|f| {
                let value = f.get(2).or_else(|| f.get(3)).or_else(|| f.get(4))?.as_str();
                Some((f[1].to_string(), value.to_string()))
            })
            .collect(),
        None => Vec::new(),
    };
    Some(Jpage {
        total: total?,
        per_page: per_page.filter(|&p| p > 0)?,
        group_size: group_size.unwrap_or(1).max(1),
        proxy,
        fields,
    })
}

/// The fields a datastore's `<nextgroup>` address carries (less its `page`),
/// for a column whose call gives none.
pub(crate) fn nextgroup_fields(script: &str) -> Option<Vec<(String, String)>> {
    let href = unescape(&NEXTGROUP.captures(script)?[1]);
    let query = href.split_once('?')?.1;
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "page")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    (!fields.is_empty()).then_some(fields)
}

/// The requests for the groups after the first (which the page holds):
/// `(address, body)` with `startrecord`, `endrecord` and `perpage` in the
/// address and the column's fields as the form, as the jpage script sends them.
pub(crate) fn endpoint_requests(j: &Jpage) -> Vec<(String, String)> {
    let group = j.per_page.saturating_mul(j.group_size).max(1);
    let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&j.fields).finish();
    let sep = if j.proxy.contains('?') { '&' } else { '?' };
    (1..)
        .map(|g| g * group + 1)
        .take_while(|&start| start <= j.total)
        .take(MAX_ENDPOINT_GROUPS)
        .map(|start| {
            let end = (start + group - 1).min(j.total);
            (format!("{}{sep}startrecord={start}&endrecord={end}&perpage={}", j.proxy, j.per_page), body.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handlers_open_addresses() {
        let open = |s: &str| call(s);
        assert_eq!(
            open("window.open('./202311/t20231115_1.htm')"),
            Some(Call::Open("./202311/t20231115_1.htm".into()))
        );
        assert_eq!(open("location.href='/art/1.html';return false;"), Some(Call::Open("/art/1.html".into())));
        assert_eq!(open("javascript:window.location = \"a.html\""), Some(Call::Open("a.html".into())));
        assert_eq!(open("self.location.replace('b.html')"), Some(Call::Open("b.html".into())));
        assert_eq!(open("this.style.color='red'"), None);
        assert_eq!(open("window.open('javascript:void(0)')"), None);
    }

    #[test]
    fn paging_calls() {
        assert_eq!(
            call("javascript:__doPostBack('MoreInfoList1$Pager','3')"),
            Some(Call::PostBack { target: "MoreInfoList1$Pager".into(), argument: "3".into() })
        );
        assert_eq!(call("javascript:goPage(4);"), Some(Call::Page(4)));
        assert_eq!(call("gotoPage('12')"), Some(Call::Page(12)));
        assert_eq!(call("javascript:void(0)"), None);
    }

    #[test]
    fn anchors_inside_scripts() {
        let datastore = "<datastore><nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&appid=1\"></a>]]></nextgroup>\
            <recordset><record><![CDATA[<li><a href='/art/2024/3/7/art_123_456.html' title='会议'>会议召开</a><span>2024-03-07</span></li>]]></record>\
            <record><![CDATA[<li><a href=\"/art/2024/3/6/art_123_455.html\"><b>培训</b>举办</a></li>]]></record></recordset></datastore>";
        assert_eq!(
            markup_links(datastore),
            [
                ("/art/2024/3/7/art_123_456.html".to_string(), "会议召开".to_string()),
                ("/art/2024/3/6/art_123_455.html".to_string(), "培训举办".to_string())
            ]
        );
        let written = r#"document.write("<li><a href=\"/xwzx/t1.html\" target=_blank>新闻一</a></li>");document.write('<a href=/x/2.html>二</a>')"#;
        assert_eq!(
            markup_links(written),
            [("/xwzx/t1.html".to_string(), "新闻一".to_string()), ("/x/2.html".to_string(), "二".to_string())]
        );
        assert!(markup_links("var a = 1 < 2;").is_empty());
    }

    const JPAGE: &str = "$(document).ready(function(){ $('#110574').jpage({ dataStore: dataStore, totalRecord:38, perPage:5, groupSize:3,\
        proxyUrl:'/module/web/jpage/dataproxy.jsp', ajaxParam:{col:1,appid:1,webid:2,path:'/',columnid:1234,sourceContentType:1,unitid:110574,webname:'示范市计生协',permissiontype:0} }); });";

    #[test]
    fn a_jcms_column_is_paged_through_its_endpoint() {
        let j = jpage(JPAGE).unwrap();
        assert_eq!(
            (j.total, j.per_page, j.group_size, j.proxy.as_str()),
            (38, 5, 3, "/module/web/jpage/dataproxy.jsp")
        );
        assert_eq!(j.fields[4], ("columnid".to_string(), "1234".to_string()));
        assert_eq!(j.fields[7], ("webname".to_string(), "示范市计生协".to_string()));
        let r = endpoint_requests(&j);
        let addresses: Vec<&str> = r.iter().map(|(a, _)| a.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=5",
                "/module/web/jpage/dataproxy.jsp?startrecord=31&endrecord=38&perpage=5"
            ]
        );
        assert!(r[0].1.starts_with(
            "col=1&appid=1&webid=2&path=%2F&columnid=1234&sourceContentType=1&unitid=110574&webname=%E7%A4%BA"
        ));
        let huge = JPAGE
            .replace("totalRecord:38", "totalRecord:999999999")
            .replace("perPage:5", "perPage:1")
            .replace("groupSize:3", "groupSize:1");
        assert_eq!(endpoint_requests(&jpage(&huge).unwrap()).len(), MAX_ENDPOINT_GROUPS, "bounded");
        assert!(jpage("var totalRecord = 5;").is_none(), "no endpoint, no paging");
    }

    #[test]
    fn a_datastore_s_next_group_gives_the_fields() {
        let ds = "<datastore><nextgroup><![CDATA[<a href=\"/module/jpage/dataproxy.jsp?page=1&appid=1&webid=9&path=/&columnid=77&unitid=5&webname=%E5%8D%8F&permissiontype=0\"></a>]]></nextgroup>";
        let f = nextgroup_fields(ds).unwrap();
        assert_eq!(f[0], ("appid".to_string(), "1".to_string()));
        assert_eq!(f[5], ("webname".to_string(), "协".to_string()));
        assert!(!f.iter().any(|(k, _)| k == "page"));
    }
}
