//! The address guard: which IP addresses may be fetched (public unicast
//! only), checked on every URL, every redirect and every DNS answer.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Url;

use crate::error::{Error, ErrorKind};

/// True for addresses on the public internet; false for loopback, private,
/// shared (CGNAT), link-local, multicast, broadcast, documentation,
/// unspecified and unique-local addresses, IPv4-mapped ones included.
///
/// ```
/// use std::net::IpAddr;
/// use report_scraper::is_public_address;
/// assert!(is_public_address("202.108.22.5".parse::<IpAddr>().unwrap()));
/// assert!(!is_public_address("127.0.0.1".parse::<IpAddr>().unwrap()));
/// assert!(!is_public_address("192.168.1.1".parse::<IpAddr>().unwrap()));
/// assert!(!is_public_address("::ffff:10.0.0.1".parse::<IpAddr>().unwrap()));
/// ```
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => public_v4(a),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => public_v4(v4),
            None => public_v6(a),
        },
    }
}

fn public_v4(a: Ipv4Addr) -> bool {
    let [o0, o1, ..] = a.octets();
    let shared = o0 == 100 && (64..128).contains(&o1); // 100.64.0.0/10, carrier-grade NAT
    let benchmarking = o0 == 198 && (o1 == 18 || o1 == 19); // 198.18.0.0/15
    let reserved = o0 >= 240; // 240.0.0.0/4 and broadcast
    let this_network = o0 == 0;
    !(a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_multicast()
        || a.is_broadcast()
        || a.is_documentation()
        || a.is_unspecified()
        || shared
        || benchmarking
        || reserved
        || this_network)
}

fn public_v6(a: Ipv6Addr) -> bool {
    let s0 = a.segments()[0];
    let unique_local = (s0 & 0xfe00) == 0xfc00; // fc00::/7
    let link_local = (s0 & 0xffc0) == 0xfe80; // fe80::/10
    let documentation = s0 == 0x2001 && a.segments()[1] == 0x0db8; // 2001:db8::/32
    !(a.is_loopback() || a.is_unspecified() || a.is_multicast() || unique_local || link_local || documentation)
}

/// Why the guard refused an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// Not http or https.
    Scheme,
    /// Loopback, private, link-local or another special-purpose address.
    NonPublic,
}

/// The guard's refusal of an address. It travels through reqwest as the
/// cause of a redirect or DNS error, and is found again by [`Blocked::find`].
#[derive(Debug, Clone)]
pub(crate) struct Blocked {
    host: String,
    addr: Option<IpAddr>,
    reason: Reason,
}

impl Blocked {
    /// The refusal as the crate's error for `url`.
    pub(crate) fn into_error(self, url: &Url) -> Error {
        let kind = match self.reason {
            Reason::Scheme => {
                ErrorKind::BadUrl { url: url.to_string(), message: "only http and https are fetched".into() }
            }
            Reason::NonPublic => ErrorKind::BlockedAddress {
                url: url.to_string(),
                address: self.addr.map_or(self.host, |a| a.to_string()),
            },
        };
        Error::new(kind)
    }

    /// Our refusal, wherever reqwest wrapped it.
    pub(crate) fn find(e: &reqwest::Error) -> Option<Blocked> {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(s) = source {
            if let Some(b) = s.downcast_ref::<Blocked>() {
                return Some(b.clone());
            }
            source = s.source();
        }
        None
    }
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.reason {
            Reason::Scheme => write!(f, "{} refused (not http or https)", self.host),
            Reason::NonPublic => write!(f, "{} refused (not a public address)", self.host),
        }
    }
}

impl std::error::Error for Blocked {}

/// Scheme and literal-address checks, for the first URL and every redirect.
pub(crate) fn check_url(url: &Url, allow_private: bool) -> Result<(), Blocked> {
    let host = url.host_str().unwrap_or_default().to_string();
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Blocked { host, addr: None, reason: Reason::Scheme });
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(a)) => Some(IpAddr::V4(a)),
        Some(url::Host::Ipv6(a)) => Some(IpAddr::V6(a)),
        _ => None,
    };
    match literal {
        Some(a) if !allow_private && !is_public_address(a) => {
            Err(Blocked { host, addr: Some(a), reason: Reason::NonPublic })
        }
        _ => Ok(()),
    }
}

/// DNS resolution that drops non-public addresses (unless allowed), so a
/// name pointing into an internal network is refused before connecting.
#[derive(Debug)]
pub(crate) struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let usable: Vec<SocketAddr> =
                found.iter().copied().filter(|a| allow || is_public_address(a.ip())).collect();
            if usable.is_empty() {
                let addr = found.first().map(SocketAddr::ip);
                let blocked = Blocked { host, addr, reason: Reason::NonPublic };
                return Err(Box::new(blocked) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(usable.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn private_and_special_ranges_are_refused() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:192.168.1.1",
            "2001:db8::1",
        ] {
            assert!(!is_public_address(ip(s)), "{s}");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for s in ["1.1.1.1", "202.108.22.5", "172.32.0.1", "100.128.0.1", "2400:da00::6666", "::ffff:8.8.8.8"] {
            assert!(is_public_address(ip(s)), "{s}");
        }
    }
}
