//! Which IP addresses a crawler may connect to: public unicast only.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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

pub(crate) use is_public_address as is_public;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn private_and_special_ranges_are_refused() {
        for s in [
            "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "255.255.255.255", "224.0.0.1", "198.18.0.1", "192.0.2.1", "::1", "::", "fe80::1", "fc00::1",
            "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:192.168.1.1", "2001:db8::1",
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
