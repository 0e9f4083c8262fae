//! Serve, listening: which port `quire serve` takes, and the addresses it
//! tells a reader to open.
//!
//! A port asked for with `--port` is that port or an error saying so; only
//! the default port moves on to the next free one. An address to open is
//! one a browser can reach: listening on every interface (`0.0.0.0`, `::`)
//! is reached at loopback on this machine, and at the machine's own
//! addresses from others, never at `0.0.0.0` itself.

use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use tokio::net::TcpListener;

use crate::error::{Error, Result};

/// The port used when none is asked for.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after the default one are tried when it is taken.
const PORT_TRIES: u16 = 10;

/// Binds the port asked for, which must be free, or else the default port
/// or the next free one (saying so).
pub async fn bind(interface: IpAddr, asked: Option<u16>) -> Result<TcpListener> {
    if let Some(port) = asked {
        return TcpListener::bind(SocketAddr::new(interface, port)).await.map_err(|source| {
            match source.kind() {
                ErrorKind::AddrInUse => Error::PortInUse { port, interface, default: DEFAULT_PORT },
                _ => Error::Server {
                    action: format!("listen on {}", SocketAddr::new(interface, port)),
                    source,
                },
            }
        });
    }
    let mut last = None;
    for candidate in DEFAULT_PORT..DEFAULT_PORT.saturating_add(PORT_TRIES) {
        match TcpListener::bind(SocketAddr::new(interface, candidate)).await {
            Ok(listener) => {
                if candidate != DEFAULT_PORT {
                    eprintln!("port {DEFAULT_PORT} is in use; using {candidate} instead");
                }
                return Ok(listener);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(Error::Server {
        action: format!(
            "listen on {interface} ports {DEFAULT_PORT}-{} (choose another with --port)",
            DEFAULT_PORT.saturating_add(PORT_TRIES - 1)
        ),
        source: last.unwrap_or_else(|| std::io::Error::other("no port to try")),
    })
}

/// The address to open on this machine: the one listened on, or loopback
/// when that is every interface.
pub fn local(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(Ipv4Addr::LOCALHOST.into(), addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(Ipv6Addr::LOCALHOST.into(), addr.port()),
        _ => addr,
    }
}

/// The addresses other machines reach a server listening on every
/// interface at: each of `machine`'s addresses that is not loopback nor
/// IPv6 link-local (which needs a zone), IPv4 only when listening on
/// `0.0.0.0`. None when listening on one address.
pub fn network(addr: SocketAddr, machine: &[IpAddr]) -> Vec<SocketAddr> {
    if !addr.ip().is_unspecified() {
        return Vec::new();
    }
    machine
        .iter()
        .filter(|ip| !ip.is_loopback() && (addr.is_ipv6() || ip.is_ipv4()))
        .filter(|ip| !matches!(ip, IpAddr::V6(v6) if v6.is_unicast_link_local()))
        .map(|&ip| SocketAddr::new(ip, addr.port()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[tokio::test]
    async fn a_port_asked_for_that_is_taken_is_named_and_no_other_is_tried() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
        match bind(loopback, Some(port)).await {
            Err(Error::PortInUse { port: p, interface, default }) => {
                assert_eq!((p, interface, default), (port, loopback, DEFAULT_PORT))
            }
            other => panic!("{:?}", other.map(|l| l.local_addr())),
        }
    }

    #[test]
    fn every_interface_is_opened_at_loopback_or_the_machines_addresses() {
        let any4: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        let any6: SocketAddr = "[::]:1111".parse().unwrap();
        assert_eq!(local(any4).to_string(), "127.0.0.1:1111");
        assert_eq!(local(any6).to_string(), "[::1]:1111");
        let one: SocketAddr = "192.168.1.5:8080".parse().unwrap();
        assert_eq!(local(one), one);
        let machine = ips(&["127.0.0.1", "192.168.1.5", "::1", "fe80::1", "2001:db8::5"]);
        let shown = |addr| network(addr, &machine).iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(shown(any4), ["192.168.1.5:1111"]);
        assert_eq!(shown(any6), ["192.168.1.5:1111", "[2001:db8::5]:1111"]);
        assert!(shown(one).is_empty());
    }
}
