//! The crawl's scope — the origins (scheme, host and port) it may reach —
//! and its identity, recorded in the state so that another crawl's state
//! is not taken for this one's.

use std::collections::BTreeSet;

use url::Url;

use super::config::CrawlConfig;
use super::urls::is_file;
use crate::error::{Error, ErrorKind};

/// The origins a crawl may reach.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    origins: BTreeSet<String>,
    identity: String,
}

impl Scope {
    /// The named hosts' origins (http and https, default ports; or the origin
    /// given), else the seeds' and sitemaps' own, each with its scheme twin
    /// on the default port (a site moved to https stays in scope).
    pub(crate) fn new(config: &CrawlConfig) -> Result<Scope, Error> {
        let parse = |s: &str| {
            Url::parse(s.trim())
                .map_err(|e| Error::new(ErrorKind::BadUrl { url: s.to_string(), message: e.to_string() }))
        };
        let mut origins = BTreeSet::new();
        let mut starts = Vec::new();
        for s in config.seeds().iter().chain(config.sitemaps()) {
            let url = parse(s)?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                let message = "only http and https are crawled".to_string();
                return Err(Error::new(ErrorKind::BadUrl { url: s.clone(), message }));
            }
            starts.push(url);
        }
        if config.hosts().is_empty() {
            for url in &starts {
                origins.extend(with_twin(url));
            }
        }
        for host in config.hosts() {
            let url = if host.contains("://") { parse(host)? } else { parse(&format!("http://{host}/"))? };
            origins.extend(with_twin(&url));
        }
        let mut seeds: Vec<&str> = config.seeds().iter().map(String::as_str).collect();
        let mut sitemaps: Vec<&str> = config.sitemaps().iter().map(String::as_str).collect();
        seeds.sort_unstable();
        sitemaps.sort_unstable();
        let identity = serde_json::json!({ "seeds": seeds, "sitemaps": sitemaps, "scope": origins }).to_string();
        Ok(Scope { origins, identity })
    }

    /// Whether `url` is in scope and may be a page.
    pub(crate) fn admits(&self, url: &Url) -> bool {
        self.admits_origin(url) && !is_file(url)
    }

    /// Whether `url`'s origin is in scope (a sitemap, which may be a `.gz` file).
    pub(crate) fn admits_origin(&self, url: &Url) -> bool {
        self.origins.contains(&url.origin().ascii_serialization())
    }

    /// Seeds, sitemaps and scope, as recorded in the state.
    pub(crate) fn identity(&self) -> String {
        self.identity.clone()
    }
}

/// An address's origin, and on a default port the other scheme's on its default port.
fn with_twin(url: &Url) -> Vec<String> {
    let mut out = vec![url.origin().ascii_serialization()];
    let host = url.host_str().unwrap_or_default();
    let host = if url.host().is_some_and(|h| matches!(h, url::Host::Ipv6(_))) {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    let default_port = url.port().is_none();
    if default_port {
        let twin = if url.scheme() == "http" { "https" } else { "http" };
        out.push(format!("{twin}://{host}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::{CrawlConfig, CrawlConfigBuilder};

    fn scope(b: CrawlConfigBuilder) -> Scope {
        Scope::new(&b.build()).unwrap()
    }

    fn admits(s: &Scope, url: &str) -> bool {
        s.admits(&url.parse().unwrap())
    }

    #[test]
    fn scope_is_scheme_host_and_port() {
        let s = scope(CrawlConfig::builder().seed("http://127.0.0.1:8017/"));
        assert!(admits(&s, "http://127.0.0.1:8017/a.html"));
        assert!(!admits(&s, "http://127.0.0.1:8018/a.html"), "another port of the same address");
        assert!(!admits(&s, "https://127.0.0.1:8017/a.html"), "another scheme on a port of its own");
        let s = scope(CrawlConfig::builder().seed("http://www.a.cn/news/"));
        assert!(admits(&s, "https://www.a.cn/a.html") && admits(&s, "http://www.a.cn:80/a.html"));
        assert!(!admits(&s, "http://a.cn/a.html"));
    }

    #[test]
    fn named_hosts_and_origins() {
        let s = scope(
            CrawlConfig::builder().seed("http://www.a.cn/").allow_host("news.a.cn").allow_host("http://[::1]:9000"),
        );
        assert!(admits(&s, "https://news.a.cn/1.html") && admits(&s, "http://[::1]:9000/1.html"));
        assert!(!admits(&s, "http://www.a.cn/1.html"), "named hosts replace the seeds'");
    }

    #[test]
    fn identity_ignores_order_and_changes_with_the_seeds() {
        let a = scope(CrawlConfig::builder().seed("http://a.cn/1").seed("http://a.cn/2")).identity();
        let b = scope(CrawlConfig::builder().seed("http://a.cn/2").seed("http://a.cn/1")).identity();
        let c = scope(CrawlConfig::builder().seed("http://b.cn/1")).identity();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
