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

/// Whether a member is asked if the pair fits on a meeting held `held_on`: on the trial meeting,
/// and again on each later meeting while their last answer (`answers`: date, fit) is «пока не
/// ясно».
pub fn asks_fit(
    kind: &str,
    held_on: chrono::NaiveDate,
    answers: &[(chrono::NaiveDate, String)],
) -> bool {
    kind == "trial"
        || answers
            .iter()
            .filter(|(d, _)| *d < held_on)
            .max_by_key(|(d, _)| *d)
            .is_some_and(|(_, f)| f == "unsure")
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
        let d = |n| chrono::NaiveDate::from_ymd_opt(2026, 11, n).unwrap();
        assert!(asks_fit("trial", d(5), &[]));
        assert!(!asks_fit("regular", d(10), &[]));
        let unsure = vec![(d(5), "unsure".to_string())];
        assert!(
            asks_fit("regular", d(10), &unsure),
            "asked again after «пока не ясно»"
        );
        assert!(!asks_fit("regular", d(4), &unsure), "not before it");
        let settled = vec![(d(5), "unsure".to_string()), (d(10), "yes".to_string())];
        assert!(!asks_fit("regular", d(12), &settled));
        let t = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(minutes(t(15, 0), t(15, 45)), Some(45));
        assert_eq!(minutes(t(15, 0), t(14, 0)), None);
    }
}
