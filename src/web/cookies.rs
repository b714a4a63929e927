//! Minimal cookie reading and writing (HttpOnly, SameSite=Lax, Secure when configured).

use axum::http::HeaderMap;

pub const SESSION: &str = "nv_session";
pub const CSRF: &str = "nv_csrf";
pub const FLASH: &str = "nv_flash";

pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    for value in headers.get_all(axum::http::header::COOKIE) {
        let Ok(s) = value.to_str() else { continue };
        for part in s.split(';') {
            if let Some((k, v)) = part.trim().split_once('=')
                && k == name
            {
                return Some(v.to_string());
            }
        }
    }
    None
}

pub fn build(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

pub fn clear(name: &str, secure: bool) -> String {
    build(name, "", Some(0), secure)
}

/// The SHA-256 digest (hex) under which a secret is stored: session ids, links, login codes and
/// throttling keys never reach the database as they are.
pub fn digest(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The CSRF token of a session: derived from the session secret in the browser's cookie, so the
/// database (which holds only the digest of that secret) cannot yield it.
pub fn csrf_for(session_secret: &str) -> String {
    digest(&format!("csrf:{session_secret}"))
}

/// A random token: 32 bytes from the OS, hex-encoded.
pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "a=1; nv_session=abc; b=2".parse().unwrap());
        assert_eq!(get(&h, SESSION).as_deref(), Some("abc"));
        assert_eq!(get(&h, CSRF), None);
    }

    #[test]
    fn tokens_are_random_and_long() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
    }

    #[test]
    fn digests_are_sha256_hex() {
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(csrf_for("x"), digest("x"));
    }

    #[test]
    fn cookie_flags() {
        let c = build(SESSION, "x", None, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
    }
}
