//! Accounts: users, roles, password hashing, login throttling rules.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};

/// The signed-in user as every request carries it (declared in `web::ctx`, below the domains).
pub use crate::web::ctx::User;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Curator,
    Director,
    Mentor,
    Mentee,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Curator, Role::Director, Role::Mentor, Role::Mentee];

    pub fn code(self) -> &'static str {
        match self {
            Role::Curator => "curator",
            Role::Director => "director",
            Role::Mentor => "mentor",
            Role::Mentee => "mentee",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Curator => "куратор",
            Role::Director => "директор",
            Role::Mentor => "наставник",
            Role::Mentee => "наставляемый",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn parse_all(codes: &[String]) -> Vec<Role> {
        let mut roles: Vec<Role> = codes.iter().filter_map(|c| Role::parse(c)).collect();
        roles.sort_by_key(|r| Role::ALL.iter().position(|x| x == r));
        roles.dedup();
        roles
    }
}

pub const MIN_PASSWORD_LEN: usize = 8;

/// Argon2id (the crate's default parameters: 19 MiB, t=2, p=1). Call in `spawn_blocking`.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub use crate::web::blocking;

/// A hash to verify against when the account is unknown, so that the work is the same.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

/// Verifies; with `None` (unknown email or no password yet) does the same work and fails.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let (target, real) = match hash {
        Some(h) => (h, true),
        None => (dummy_hash(), false),
    };
    let ok = PasswordHash::new(target)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    ok && real
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && email.len() <= 254
}

/// Login throttling. Three keys: the account from this address (a few failures, then growing
/// waits), the address (many accounts from one school network: its wrong answers are slowed and,
/// past a higher limit, refused — a right password from it always passes), and the account
/// from anywhere (only slows answers down: a known account cannot be locked out by others).
pub mod throttle {
    use super::*;

    /// Failures are forgotten this long after the last one's wait ended.
    pub const WINDOW_MINUTES: i64 = 60;
    /// The longest wait.
    pub const MAX_WAIT_MINUTES: i64 = 15;
    /// Failures of one account from one address before it has to wait.
    pub const ACCOUNT_LIMIT: i32 = 5;
    /// Failures from one address (any accounts) before it has to wait.
    pub const ADDRESS_LIMIT: i32 = 30;
    /// From this many failures of one account (from anywhere) on, each answer is delayed.
    pub const SLOW_FROM: i32 = 3;

    pub fn window() -> Duration {
        Duration::minutes(WINDOW_MINUTES)
    }

    /// The wait after the `over`-th failure past the limit (0, 1, 2, …): 1, 2, 4, 8, 15 minutes.
    pub fn wait_after(over: i32) -> Duration {
        let minutes = 1i64 << over.clamp(0, 10);
        Duration::minutes(minutes.min(MAX_WAIT_MINUTES))
    }

    /// Delay before answering a failed attempt, growing with the failures.
    pub fn delay_ms(failures: i32) -> u64 {
        if failures < SLOW_FROM {
            0
        } else {
            (500 * (failures - SLOW_FROM + 1) as u64).min(3000)
        }
    }

    /// Delay before answering a failed attempt from an address with `failures` failures of any
    /// accounts: none below `ADDRESS_LIMIT`, then 250 ms more for each, at most 5 s. The right
    /// password from that address is never delayed nor refused.
    pub fn address_delay_ms(failures: i32) -> u64 {
        let over = failures - ADDRESS_LIMIT + 1;
        if over <= 0 {
            0
        } else {
            (250 * over as u64).min(5000)
        }
    }

    /// Minutes left, rounded up, for the Russian message.
    pub fn minutes_left(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
        let secs = (until - now).num_seconds().max(0);
        ((secs + 59) / 60).max(1)
    }

    pub fn account_key(login: &str, ip: &str) -> String {
        format!("account-address:{login}|{ip}")
    }

    pub fn address_key(ip: &str) -> String {
        format!("address:{ip}")
    }

    pub fn account_anywhere_key(login: &str) -> String {
        format!("account:{login}")
    }
}

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 10;

/// A one-time login code: 10 characters without look-alikes (0/O, 1/I) — 50 bits, and only
/// accepted together with its login, under the login throttling.
pub fn new_code() -> String {
    let mut buf = [0u8; CODE_LEN];
    getrandom::fill(&mut buf).expect("the OS random source is available");
    // 256 is a multiple of 32: no bias.
    buf.iter()
        .map(|b| CODE_ALPHABET[(*b as usize) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// A code as typed: any case, spaces and dashes ignored.
pub fn normalize_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash_password("demo12345").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("demo12345", Some(&h)));
        assert!(!verify_password("demo12346", Some(&h)));
        assert!(!verify_password("demo12345", None));
    }

    #[test]
    fn roles_parse_and_sort() {
        let r = Role::parse_all(&[
            "mentee".into(),
            "curator".into(),
            "bogus".into(),
            "curator".into(),
        ]);
        assert_eq!(r, vec![Role::Curator, Role::Mentee]);
    }

    #[test]
    fn emails() {
        assert!(valid_email("a.b@school.ru"));
        assert!(!valid_email("a b@school.ru"));
        assert!(!valid_email("nobody"));
        assert!(!valid_email("x@localhost"));
        assert_eq!(normalize_email("  Ivan@Mail.RU "), "ivan@mail.ru");
    }

    #[test]
    fn throttle_delays_grow_and_cap() {
        assert_eq!(throttle::delay_ms(1), 0);
        assert_eq!(throttle::delay_ms(3), 500);
        assert_eq!(throttle::delay_ms(4), 1000);
        assert_eq!(throttle::delay_ms(50), 3000);
        assert_eq!(throttle::address_delay_ms(29), 0);
        assert_eq!(throttle::address_delay_ms(31), 500);
        assert_eq!(throttle::address_delay_ms(1000), 5000);
        let now = Utc::now();
        assert_eq!(throttle::minutes_left(now + Duration::seconds(61), now), 2);
        assert_eq!(throttle::minutes_left(now, now), 1);
        assert_eq!(throttle::wait_after(0), Duration::minutes(1));
        assert_eq!(throttle::wait_after(2), Duration::minutes(4));
        assert_eq!(throttle::wait_after(40), Duration::minutes(15));
    }

    #[test]
    fn codes_are_long_and_typed_loosely() {
        let c = new_code();
        assert_eq!(c.len(), CODE_LEN);
        assert!(c.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(c, new_code());
        assert_eq!(normalize_code("abcd-efgh jk"), "ABCDEFGHJK");
    }
}
