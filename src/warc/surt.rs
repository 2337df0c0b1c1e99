//! SURT keys (Sort-friendly URI Reordering Transform), the first column of
//! a CDXJ index: `http://www.Example.com/a/?b=2&a=1` is
//! `com,example)/a?a=1&b=2`. The rules are those of the Internet Archive's
//! canonicalizer (the `surt` package pywb and cdxj-indexer use), so that
//! our index sorts and looks up like theirs.

use std::sync::LazyLock;

use regex::bytes::Regex;

/// `www.`, `www2.`… at the start of a host: dropped.
static WWW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^www\d*\.").expect("valid pattern"));

/// Session ids in a query, dropped (the Internet Archive's list: keeps the
/// parts before and after).
static QUERY_SESSION_IDS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i-u)^(.*)(?:jsessionid=[0-9a-z]{32})(?:&(.*))?$",
        r"(?i-u)^(.*)(?:phpsessid=[0-9a-z]{32})(?:&(.*))?$",
        r"(?i-u)^(.*)(?:sid=[0-9a-z]{32})(?:&(.*))?$",
        r"(?i-u)^(.*)(?:aspsessionid[a-z]{8}=[a-z]{24})(?:&(.*))?$",
        r"(?i-u)^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid pattern"))
    .collect()
});

/// ASP.NET's cookieless session ids in a path, dropped.
static PATH_SESSION_IDS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"(?i-u)^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^?]+\.aspx.*)$",
        r"(?i-u)^(.*/)(\([0-9a-z]{24}\)/)([^?]+\.aspx.*)$",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid pattern"))
    .collect()
});

/// The SURT key of an address; the address itself, lower-cased, when it
/// cannot be parsed.
///
/// ```
/// use report_scraper::warc::surt;
/// assert_eq!(surt("http://www.Example.com/A/b.html?z=1&a=2#top"), "com,example)/a/b.html?a=2&z=1");
/// assert_eq!(surt("https://example.com:443/"), "com,example)/");
/// assert_eq!(surt("http://127.0.0.1:8017/a/"), "1,0,0,127:8017)/a");
/// ```
pub fn surt(address: &str) -> String {
    let Ok(url) = url::Url::parse(address.trim()) else { return address.to_lowercase() };
    let mut key = host_key(&url);
    if let Some(port) = url.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push(')');
    key.push_str(&path_key(url.path()));
    if let Some(query) = url.query().map(query_key).filter(|q| !q.is_empty()) {
        key.push('?');
        key.push_str(&query);
    }
    key
}

/// The host, lower-cased, without `www.` and a final dot, its labels reversed and joined by commas.
fn host_key(url: &url::Url) -> String {
    let host = match url.host() {
        Some(url::Host::Ipv6(ip)) => return ip.to_string(),
        Some(host) => host.to_string().to_lowercase(),
        None => return String::new(),
    };
    let host = host.trim_end_matches('.');
    let host = WWW.find(host.as_bytes()).map_or(host, |m| &host[m.end()..]);
    host.rsplit('.').collect::<Vec<_>>().join(",")
}

/// The path, escaped the canonical way, lower-cased, slashes not doubled,
/// no session id, no trailing slash (but for the root).
fn path_key(path: &str) -> String {
    let mut path = canonical_escapes(path).to_lowercase();
    while path.contains("//") {
        path = path.replace("//", "/");
    }
    for re in PATH_SESSION_IDS.iter() {
        if let Some(c) = re.captures(path.as_bytes()) {
            path = format!("{}{}", lossy(c.get(1)), lossy(c.get(3)));
        }
    }
    if path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    if path.is_empty() { "/".into() } else { path }
}

/// The query, escaped the canonical way, without session ids, lower-cased,
/// its parameters sorted by name, then value.
fn query_key(query: &str) -> String {
    let mut query = canonical_escapes(query);
    for re in QUERY_SESSION_IDS.iter() {
        if let Some(c) = re.captures(query.as_bytes()) {
            query = match c.get(2) {
                Some(after) => format!("{}{}", lossy(c.get(1)), String::from_utf8_lossy(after.as_bytes())),
                None => lossy(c.get(1)),
            };
        }
    }
    let query = query.to_lowercase();
    let mut params: Vec<(&str, Option<&str>)> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (p, None),
        })
        .collect();
    params.sort();
    let params: Vec<String> = params
        .into_iter()
        .map(|(k, v)| match v {
            Some(v) => format!("{k}={v}"),
            None => k.to_string(),
        })
        .collect();
    params.join("&")
}

fn lossy(m: Option<regex::bytes::Match<'_>>) -> String {
    m.map_or_else(String::new, |m| String::from_utf8_lossy(m.as_bytes()).into_owned())
}

/// Escapes undone until none is left, then redone for what must be escaped
/// (controls, space, `#`, `%` and bytes past ASCII): one spelling per
/// address, as the canonicalizer's.
fn canonical_escapes(s: &str) -> String {
    let mut bytes = s.as_bytes().to_vec();
    loop {
        let undone = unescape(&bytes);
        if undone == bytes {
            break;
        }
        bytes = undone;
    }
    let mut out = String::with_capacity(bytes.len());
    for b in bytes {
        if b <= 0x20 || b >= 0x7f || b == b'#' || b == b'%' {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    out
}

/// One pass of percent-decoding; a `%` not followed by two hex digits stays.
fn unescape(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok());
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let pair = bytes.get(i + 1).copied().and_then(hex).zip(bytes.get(i + 2).copied().and_then(hex));
        match (bytes[i], pair) {
            (b'%', Some((hi, lo))) => {
                out.push(hi << 4 | lo);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::surt;

    /// Keys the `surt` package (0.3.1, as cdxj-indexer calls it) gives for these addresses.
    #[test]
    fn keys_are_the_internet_archives() {
        let cases = [
            ("http://www.Example.com/A/B.html?Z=1&a=2&jsessionid=123", "com,example)/a/b.html?a=2&jsessionid=123&z=1"),
            ("http://www2.example.com/a;jsessionid=ABC?x", "com,example)/a;jsessionid=abc?x"),
            ("http://example.com/a?", "com,example)/a"),
            ("http://example.com/a#frag", "com,example)/a"),
            ("http://a.gov.cn/%E4%B8%AD/x.html?b=%E4%B8%AD", "cn,gov,a)/%e4%b8%ad/x.html?b=%e4%b8%ad"),
            ("http://127.0.0.1:8017/a", "1,0,0,127:8017)/a"),
            ("http://example.com", "com,example)/"),
            ("http://example.com/a//b/./c", "com,example)/a/b/c"),
            ("http://EXAMPLE.com./a", "com,example)/a"),
            ("http://example.com/a?b&a", "com,example)/a?a&b"),
            ("http://example.com/a?b=2&b=1", "com,example)/a?b=1&b=2"),
            ("http://example.com/a?phpsessid=0123456789abcdef0123456789abcdef&x=1", "com,example)/a?x=1"),
            ("https://www.example.com:8443/", "com,example:8443)/"),
            ("http://a.cn/a-b/?a-b=1&a=2", "cn,a)/a-b?a=2&a-b=1"),
            ("http://a.cn/x.aspx?&&", "cn,a)/x.aspx?&&"),
            ("http://a.cn/a?b=%zz", "cn,a)/a?b=%25zz"),
            ("http://a.cn/a b", "cn,a)/a%20b"),
        ];
        for (url, key) in cases {
            assert_eq!(surt(url), key, "{url}");
        }
    }

    #[test]
    fn escapes_have_one_spelling() {
        assert_eq!(surt("http://a.cn/%41%2562?q=a%2Bb%20c"), "cn,a)/ab?q=a+b%20c");
    }
}
