//! The guard against DNS rebinding: a hostile page whose own name is made
//! to resolve to 127.0.0.1 could otherwise read the preview, since the
//! browser thinks it is talking to that page's origin. The browser still
//! sends the page's name as `Host:`, so only loopback names are answered:
//! `localhost`, `127.0.0.1` and `[::1]`, each with or without a port.

/// Whether a `Host:` value (or a request target's authority) names this
/// machine's loopback interface.
pub fn is_loopback(host: &str) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inner, port)) => (inner, port),
            None => return false,
        },
        None => host.split_at(host.find(':').unwrap_or(host.len())),
    };
    let port_ok = match port.strip_prefix(':') {
        Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<u16>().is_ok(),
        None => port.is_empty(),
    };
    let name_ok = if host.starts_with('[') {
        name == "::1"
    } else {
        name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost")
    };
    port_ok && name_ok
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn loopback_names_with_or_without_a_port() {
        for ok in [
            "localhost",
            "LOCALHOST",
            "localhost:8000",
            "127.0.0.1",
            "127.0.0.1:1",
            "[::1]",
            "[::1]:65535",
        ] {
            assert!(is_loopback(ok), "{ok}");
        }
    }

    #[test]
    fn every_other_name_is_refused() {
        for bad in [
            "",
            "evil.example",
            "evil.example:8000",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "evil.example#@localhost",
            "localhost@evil.example",
            "127.0.0.2",
            "0.0.0.0",
            "[::2]",
            "[::1",
            "::1",
            "[::1]x",
            "localhost:",
            "localhost:80x",
            "localhost:99999",
            "localhost:80:80",
            "localhost.",
        ] {
            assert!(!is_loopback(bad), "{bad}");
        }
    }
}
