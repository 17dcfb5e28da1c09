//! Which `Host` a request may name. A web page can point a name it controls at 127.0.0.1
//! (DNS rebinding) and then read whatever the preview serves, drafts included, as its own
//! origin; its requests still say that name in `Host`. So the preview answers only requests
//! naming the address it serves: a loopback name (`127.0.0.1`, `localhost`, `[::1]`), the
//! address it is bound to, the machine's own address the request reached it on (so that a
//! phone on the LAN can preview with `--bind`), or a name given with `--host`, each with the
//! port served.

use std::net::{IpAddr, SocketAddr};

/// The names a request's `Host` may give, and the port it must give.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    port: u16,
    names: Vec<String>,
}

/// The loopback names every preview answers to.
const LOOPBACK: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

impl AllowedHosts {
    /// The hosts of a preview bound to `bound`, with the extra `names` given by `--host`.
    pub fn new(bound: SocketAddr, names: &[String]) -> AllowedHosts {
        let mut allowed: Vec<String> = LOOPBACK.iter().map(|n| n.to_string()).collect();
        if !bound.ip().is_unspecified() {
            allowed.push(host_name(bound.ip()));
        }
        allowed.extend(names.iter().map(|n| normalised(n)));
        AllowedHosts {
            port: bound.port(),
            names: allowed,
        }
    }

    /// Whether a request with `host` (its `Host` header), reaching the machine at `local`,
    /// is for this preview.
    pub fn allow(&self, host: &str, local: Option<IpAddr>) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        port == self.port
            && (self.names.contains(&name) || local.is_some_and(|ip| host_name(ip) == name))
    }
}

/// An address as a `Host` header names it: IPv6 in brackets.
fn host_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => format!("[{ip}]"),
        },
    }
}

/// A name compared as hosts are: lowercase, without a trailing dot.
fn normalised(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// `name:port` (or `[v6]:port`, or `name` for port 80) as its name and port.
fn split_host(host: &str) -> Option<(String, u16)> {
    let host = host.trim();
    let (name, port) = match host.rfind(':') {
        // A colon inside brackets is part of an IPv6 address, not a port.
        Some(colon) if !host[colon..].contains(']') => {
            (&host[..colon], host[colon + 1..].parse().ok()?)
        }
        _ => (host, 80),
    };
    if name.is_empty() {
        return None;
    }
    Some((normalised(name), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_served_address_and_port_are_answered() {
        let loopback = AllowedHosts::new("127.0.0.1:1111".parse().unwrap(), &[]);
        let local = Some("127.0.0.1".parse().unwrap());
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST.:1111",
            "[::1]:1111",
        ] {
            assert!(loopback.allow(host, local), "{host}");
        }
        for host in [
            "evil.example:1111",
            "evil.example",
            "127.0.0.1:2222",
            "127.0.0.1",
            "localhost.evil.example:1111",
            ":1111",
            "",
            "[::1]",
        ] {
            assert!(!loopback.allow(host, local), "{host}");
        }
    }

    #[test]
    fn a_lan_preview_answers_its_own_addresses_and_the_names_given() {
        let names = ["Laptop.local".to_string()];
        let any = AllowedHosts::new("0.0.0.0:8080".parse().unwrap(), &names);
        let lan = Some("192.168.1.5".parse().unwrap());
        assert!(any.allow("192.168.1.5:8080", lan));
        assert!(any.allow("laptop.local:8080", lan));
        assert!(any.allow("localhost:8080", lan));
        assert!(
            !any.allow("192.168.1.6:8080", lan),
            "another machine's address"
        );
        assert!(!any.allow("evil.example:8080", lan));
        let bound = AllowedHosts::new("10.0.0.2:80".parse().unwrap(), &[]);
        assert!(bound.allow("10.0.0.2", None), "port 80 may go unsaid");
        let v6 = AllowedHosts::new("[fe80::1]:9000".parse().unwrap(), &[]);
        assert!(v6.allow("[fe80::1]:9000", None));
        assert!(!v6.allow("[fe80::2]:9000", None));
    }
}
