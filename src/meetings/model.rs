//! Kinds and formats of meetings, the next kind to expect, and how long a pair may go without a
//! meeting before its mentor is reminded.

/// The kinds of meetings in the order a pair's year goes: (code, label).
pub const KINDS: [(&str, &str); 5] = [
    ("intro", "встреча-знакомство"),
    ("trial", "пробная рабочая встреча"),
    ("planning", "встреча-планирование"),
    ("regular", "регулярная встреча"),
    ("final", "итоговая встреча"),
];

pub const FORMATS: [(&str, &str); 3] = [
    ("offline", "очно"),
    ("online", "онлайн"),
    ("chat", "переписка"),
];

/// The fit check after the trial meeting: (code, label).
pub const FITS: [(&str, &str); 3] = [
    ("yes", "подходим"),
    ("unsure", "пока не ясно"),
    ("no", "не подходим"),
];

pub fn fit_label(code: &str) -> &'static str {
    FITS.iter().find(|f| f.0 == code).map(|f| f.1).unwrap_or("")
}

/// Days without a meeting (or since the pair was agreed) before the mentor is reminded: the
/// planned interval of two weeks and three days of grace.
pub const NUDGE_AFTER_DAYS: i64 = 17;
/// A reminded pair is reminded again at most once a week.
pub const NUDGE_EVERY_DAYS: i64 = 7;

pub fn kind_label(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|k| k.0 == code)
        .map(|k| k.1)
        .unwrap_or("встреча")
}

pub fn format_label(code: &str) -> &'static str {
    FORMATS
        .iter()
        .find(|f| f.0 == code)
        .map(|f| f.1)
        .unwrap_or("")
}

/// The kind to suggest for the next meeting, from the kinds already held: the first of
/// знакомство, пробная, планирование not yet held, then регулярная.
pub fn next_kind(held: &[String]) -> &'static str {
    ["intro", "trial", "planning"]
        .into_iter()
        .find(|k| !held.iter().any(|h| h == k))
        .unwrap_or("regular")
}

/// Minutes between two times of day (`None` unless the end is after the start).
pub fn minutes(start: Option<chrono::NaiveTime>, end: Option<chrono::NaiveTime>) -> Option<i64> {
    match (start, end) {
        (Some(s), Some(e)) if e > s => Some((e - s).num_minutes()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_goes_in_order() {
        assert_eq!(next_kind(&[]), "intro");
        assert_eq!(next_kind(&["intro".into()]), "trial");
        assert_eq!(next_kind(&["intro".into(), "trial".into()]), "planning");
        assert_eq!(
            next_kind(&["intro".into(), "trial".into(), "planning".into()]),
            "regular"
        );
        assert_eq!(kind_label("final"), "итоговая встреча");
        let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(minutes(t(15, 0), t(15, 45)), Some(45));
        assert_eq!(minutes(t(15, 0), t(14, 0)), None);
    }
}
