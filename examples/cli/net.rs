//! How requests reach the network: the options both programs share.

use ipnet::IpNet;
use report_scraper::fetch::{DEFAULT_USER_AGENT, FetchConfigBuilder};

/// Network options.
#[derive(clap::Args, Debug, Clone)]
pub struct NetArgs {
    /// The User-Agent sent, also the name matched in robots.txt
    #[arg(long, value_name = "UA", default_value = DEFAULT_USER_AGENT)]
    user_agent: String,
    /// Fetch through this proxy (http://, https://)
    #[arg(long, value_name = "URL")]
    proxy: Option<String>,
    /// Use HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY
    #[arg(long)]
    proxy_from_env: bool,
    /// Send this header with every request, within the request's scope (repeatable)
    #[arg(long = "header", value_name = "'NAME: VALUE'", value_parser = header)]
    headers: Vec<(String, String)>,
    /// Let addresses reach one non-public range, e.g. 127.0.0.1/32 for a local test site (repeatable)
    #[arg(long = "allow", value_name = "RANGE")]
    allow: Vec<IpNet>,
}

impl NetArgs {
    /// The fetcher settings these options give.
    pub fn apply(&self, config: FetchConfigBuilder) -> FetchConfigBuilder {
        config
            .user_agent(&self.user_agent)
            .proxy(self.proxy.as_deref())
            .proxy_from_env(self.proxy_from_env)
            .headers(self.headers.iter().cloned())
            .allow_ranges(self.allow.iter().copied())
    }

    /// Allows one more range (`crawl --serve` allows its own loopback address).
    pub fn allow(&mut self, range: IpNet) {
        self.allow.push(range);
    }
}

/// `Name: value` as a header.
fn header(text: &str) -> Result<(String, String), String> {
    let (name, value) = text.split_once(':').ok_or_else(|| format!("{text:?}: expected 'Name: value'"))?;
    Ok((name.trim().to_string(), value.trim().to_string()))
}
