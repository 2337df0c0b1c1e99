//! The address guard: which IP addresses may be fetched (public unicast
//! only), checked on every URL, every redirect and every DNS answer.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::LazyLock;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Url;

use crate::error::{Error, ErrorKind};

/// The IANA IPv4 Special-Purpose Address Registry, with multicast and the
/// reserved block: none of it is a public web server's address.
const V4_SPECIAL: &[&str] = &[
    "0.0.0.0/8",       // this network
    "10.0.0.0/8",      // private use
    "100.64.0.0/10",   // shared address space (carrier-grade NAT)
    "127.0.0.0/8",     // loopback
    "169.254.0.0/16",  // link local (cloud metadata services)
    "172.16.0.0/12",   // private use
    "192.0.0.0/24",    // IETF protocol assignments (DS-Lite, NAT64 discovery…)
    "192.0.2.0/24",    // documentation (TEST-NET-1)
    "192.31.196.0/24", // AS112-v4
    "192.52.193.0/24", // AMT
    "192.88.99.0/24",  // deprecated 6to4 relay anycast
    "192.168.0.0/16",  // private use
    "192.175.48.0/24", // direct delegation AS112 service
    "198.18.0.0/15",   // benchmarking
    "198.51.100.0/24", // documentation (TEST-NET-2)
    "203.0.113.0/24",  // documentation (TEST-NET-3)
    "224.0.0.0/4",     // multicast
    "240.0.0.0/4",     // reserved, and the limited broadcast address
];

/// The IANA IPv6 Special-Purpose Address Registry, with multicast and the
/// deprecated site-local block. Forms that embed an IPv4 address are read
/// apart (IPv4-mapped, NAT64); the others (IPv4-compatible, 6to4, Teredo)
/// are refused whole.
const V6_SPECIAL: &[&str] = &[
    "::/96",             // unspecified, loopback and IPv4-compatible (deprecated)
    "64:ff9b:1::/48",    // local-use IPv4/IPv6 translation
    "100::/64",          // discard-only
    "100:0:0:1::/64",    // dummy prefix
    "2001::/23",         // IETF protocol assignments: Teredo, benchmarking, ORCHID, AMT…
    "2001:db8::/32",     // documentation
    "2002::/16",         // 6to4
    "2620:4f:8000::/48", // direct delegation AS112 service
    "3fff::/20",         // documentation
    "5f00::/16",         // segment routing (SRv6) SIDs
    "fc00::/7",          // unique local
    "fe80::/10",         // link local
    "fec0::/10",         // site local (deprecated)
    "ff00::/8",          // multicast
];

static V4_NETS: LazyLock<Vec<Ipv4Net>> =
    LazyLock::new(|| V4_SPECIAL.iter().map(|n| n.parse().expect("valid IPv4 range")).collect());
static V6_NETS: LazyLock<Vec<Ipv6Net>> =
    LazyLock::new(|| V6_SPECIAL.iter().map(|n| n.parse().expect("valid IPv6 range")).collect());

/// True for addresses a public web server can have: global unicast, outside
/// every special-purpose range of the IANA IPv4 and IPv6 registries
/// (loopback, private, shared, link-local and metadata, documentation,
/// benchmarking, multicast, reserved, unique-local, site-local…). An IPv4
/// address embedded in an IPv6 one (IPv4-mapped `::ffff:a.b.c.d`, NAT64
/// `64:ff9b::a.b.c.d`) is judged as itself; IPv4-compatible, 6to4 and Teredo
/// addresses are refused.
///
/// ```
/// use std::net::IpAddr;
/// use report_scraper::fetch::is_public_address;
/// let public = |s: &str| is_public_address(s.parse::<IpAddr>().unwrap());
/// assert!(public("202.108.22.5") && public("2400:da00::6666"));
/// assert!(!public("127.0.0.1") && !public("192.168.1.1") && !public("::ffff:10.0.0.1"));
/// assert!(!public("64:ff9b::a9fe:a9fe")); // NAT64 form of the metadata address 169.254.169.254
/// ```
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => public_v4(a),
        IpAddr::V6(a) => public_v6(a),
    }
}

fn public_v4(a: Ipv4Addr) -> bool {
    !V4_NETS.iter().any(|n| n.contains(&a))
}

fn public_v6(a: Ipv6Addr) -> bool {
    if let Some(v4) = a.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let nat64: Ipv6Net = "64:ff9b::/96".parse().expect("valid range");
    if nat64.contains(&a) {
        let [.., a0, a1, a2, a3] = a.octets();
        return public_v4(Ipv4Addr::new(a0, a1, a2, a3));
    }
    // Global unicast is 2000::/3; the rest of the space is unassigned or special.
    let global: Ipv6Net = "2000::/3".parse().expect("valid range");
    global.contains(&a) && !V6_NETS.iter().any(|n| n.contains(&a))
}

/// Which addresses the fetcher may connect to: public ones, and those the
/// configuration allows (private addresses all, or given ranges).
#[derive(Debug, Clone, Default)]
pub(crate) struct Allowed {
    pub all_private: bool,
    pub ranges: Vec<IpNet>,
}

impl Allowed {
    pub(crate) fn admits(&self, ip: IpAddr) -> bool {
        self.all_private || is_public_address(ip) || self.ranges.iter().any(|n| n.contains(&ip))
    }
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
pub(crate) fn check_url(url: &Url, allowed: &Allowed) -> Result<(), Blocked> {
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
        Some(a) if !allowed.admits(a) => Err(Blocked { host, addr: Some(a), reason: Reason::NonPublic }),
        _ => Ok(()),
    }
}

/// DNS resolution that drops non-public addresses (unless allowed), so a
/// name pointing into an internal network is refused before connecting.
#[derive(Debug)]
pub(crate) struct GuardedResolver {
    pub allowed: Allowed,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allowed = self.allowed.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let usable: Vec<SocketAddr> = found.iter().copied().filter(|a| allowed.admits(a.ip())).collect();
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

    /// One address inside each special-purpose range (its first, a middle
    /// one and its last where they differ), and the embedded forms.
    #[test]
    fn every_special_purpose_range_is_refused() {
        let inside = [
            "0.0.0.0",
            "0.255.255.255",
            "10.0.0.1",
            "10.255.255.255",
            "100.64.0.1",
            "100.127.255.255",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.1",
            "192.0.0.170",
            "192.0.2.1",
            "192.31.196.1",
            "192.52.193.1",
            "192.88.99.1",
            "192.168.0.1",
            "192.168.255.255",
            "192.175.48.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.1",
            "203.0.113.1",
            "224.0.0.1",
            "239.255.255.255",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:192.168.1.1",
            "::ffff:169.254.169.254",
            "::7f00:1",
            "::808:808",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "100::1",
            "100:0:0:1::1",
            "2001::1",
            "2001:0:4136:e378::1",
            "2001:2::1",
            "2001:3::1",
            "2001:10::1",
            "2001:20::1",
            "2001:1ff::1",
            "2001:db8::1",
            "2002::1",
            "2002:c0a8:101::1",
            "2002:808:808::1",
            "2620:4f:8000::1",
            "3fff::1",
            "5f00::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "feff::1",
            "ff02::1",
            "4000::1",
            "1000::1",
        ];
        for s in inside {
            assert!(!is_public_address(ip(s)), "{s} is special-purpose");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for s in [
            "1.1.1.1",
            "8.8.8.8",
            "202.108.22.5",
            "172.32.0.1",
            "100.128.0.1",
            "192.0.1.1",
            "198.20.0.1",
            "223.255.255.255",
            "2400:da00::6666",
            "2001:200::1",
            "2620:4f:8001::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(is_public_address(ip(s)), "{s} is public");
        }
    }

    #[test]
    fn allowing_a_range_allows_only_it() {
        let allowed = Allowed { all_private: false, ranges: vec!["127.0.0.1/32".parse().unwrap()] };
        assert!(allowed.admits(ip("127.0.0.1")));
        assert!(!allowed.admits(ip("127.0.0.2")));
        assert!(!allowed.admits(ip("10.0.0.1")));
        assert!(allowed.admits(ip("8.8.8.8")));
        assert!(Allowed { all_private: true, ranges: Vec::new() }.admits(ip("10.0.0.1")));
    }
}
