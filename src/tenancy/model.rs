//! Organizations (tenants) and their rules.

use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Organization {
    pub id: Uuid,
    pub slug: String,
    pub full_name: String,
    pub short_name: String,
    pub kind: String,
    pub municipality: String,
    pub region: String,
    pub students_count: i32,
    pub teachers_count: i32,
}

pub const KINDS: [(&str, &str); 3] = [
    ("school", "школа"),
    ("college", "колледж"),
    ("other", "другое"),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or("другое")
}

/// Slugs: latin letters, digits and dashes, 2–63 chars, starting with a letter or digit.
pub fn valid_slug(slug: &str) -> bool {
    let b = slug.as_bytes();
    (2..=63).contains(&b.len())
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(valid_slug("sosh-1"));
        assert!(valid_slug("college2"));
        assert!(!valid_slug("-x"));
        assert!(!valid_slug("Школа"));
        assert!(!valid_slug("a"));
        assert!(!valid_slug("with space"));
        assert_eq!(kind_label("college"), "колледж");
    }
}
