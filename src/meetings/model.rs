//! Kinds and formats of meetings, the next kind to expect, and how long a pair may go without a
//! meeting before its mentor is reminded.

crate::codes! {
    /// The kinds of meetings in the order a pair's year goes. Stored in `meetings.kind`.
    pub enum MeetingKind: "meeting kind" {
        Intro = "intro" => "встреча-знакомство",
        Trial = "trial" => "пробная рабочая встреча",
        Planning = "planning" => "встреча-планирование",
        Regular = "regular" => "регулярная встреча",
        Final = "final" => "итоговая встреча",
    }
}

crate::codes! {
    /// How a meeting was held. Stored in `meetings.format`.
    pub enum MeetingFormat: "meeting format" {
        Offline = "offline" => "очно",
        Online = "online" => "онлайн",
        Chat = "chat" => "переписка",
    }
}

crate::codes! {
    /// The fit check after the trial meeting. Stored in `meeting_feedback.fit`.
    pub enum Fit: "fit" {
        Yes = "yes" => "подходим",
        Unsure = "unsure" => "пока не ясно",
        No = "no" => "не подходим",
    }
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

/// How often a pair means to meet when nobody set it (days).
pub const DEFAULT_EVERY_DAYS: i32 = 14;
/// Days of grace after the planned interval before the mentor is reminded.
pub const GRACE_DAYS: i32 = 3;
/// The rhythms a curator may set: (days, label).
pub const RHYTHMS: [(&str, &str); 4] = [
    ("7", "раз в неделю"),
    ("14", "раз в две недели"),
    ("21", "раз в три недели"),
    ("30", "раз в месяц"),
];
/// A reminded pair is reminded again at most once a week.
pub const NUDGE_EVERY_DAYS: i64 = 7;

/// The label of a kind's code («встреча» for one it does not know).
pub fn kind_label(code: &str) -> &'static str {
    MeetingKind::parse(code).map_or("встреча", MeetingKind::label)
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

/// What the pair health page knows of one pair.
#[derive(Clone, Debug)]
pub struct Health {
    /// The order's date, or the day the pair was agreed.
    pub start: chrono::NaiveDate,
    pub fixed: bool,
    pub held: i64,
    pub last: Option<chrono::NaiveDate>,
    pub every_days: i32,
    pub low_rating: bool,
    pub misfit: bool,
}

/// Days without a first meeting after the order before a pair is at risk.
pub const FIRST_MEETING_DAYS: i64 = 14;

/// Meetings the pair should have held by `today` at its rhythm.
pub fn expected(h: &Health, today: chrono::NaiveDate) -> i64 {
    ((today - h.start).num_days().max(0) / i64::from(h.every_days.max(1))).max(0)
}

/// Why a pair is at risk (empty when it is healthy), worst first.
pub fn risks(h: &Health, today: chrono::NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    if h.misfit {
        out.push("«не подходим»".to_string());
    }
    if h.low_rating {
        out.push("оценка встречи 1–2".to_string());
    }
    let waited = (today - h.start).num_days();
    match h.last {
        None if waited > FIRST_MEETING_DAYS => out.push(format!(
            "нет первой встречи {waited} дн. после {}",
            if h.fixed {
                "приказа"
            } else {
                "согласования"
            }
        )),
        Some(last) if (today - last).num_days() > 2 * i64::from(h.every_days) => out.push(format!(
            "нет встреч {} дн. (план — раз в {} дн.)",
            (today - last).num_days(),
            h.every_days
        )),
        _ => {}
    }
    out
}

#[cfg(test)]
mod health_tests {
    use super::*;

    fn d(day: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, day).expect("date")
    }

    fn h() -> Health {
        Health {
            start: d(1),
            fixed: true,
            held: 0,
            last: None,
            every_days: 7,
            low_rating: false,
            misfit: false,
        }
    }

    #[test]
    fn no_first_meeting_two_weeks_after_the_order_is_a_risk() {
        assert!(risks(&h(), d(15)).is_empty());
        assert_eq!(
            risks(&h(), d(16)),
            ["нет первой встречи 15 дн. после приказа"]
        );
        assert_eq!(expected(&h(), d(16)), 2);
    }

    #[test]
    fn a_low_rating_a_misfit_and_missed_intervals_are_risks() {
        let mut x = h();
        x.last = Some(d(2));
        x.held = 1;
        assert!(risks(&x, d(16)).is_empty());
        assert_eq!(risks(&x, d(17)), ["нет встреч 15 дн. (план — раз в 7 дн.)"]);
        x.misfit = true;
        x.low_rating = true;
        assert_eq!(risks(&x, d(3)), ["«не подходим»", "оценка встречи 1–2"]);
    }
}
