//! Formats, levels and audiences of activities, and the occurrences of a series: weekly on chosen
//! days until a date, in the organization's time zone, with moved and cancelled dates.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Utc};

/// The built-in formats: (code, label). An organization adds its own (`activity_formats`).
pub const FORMATS: [(&str, &str); 10] = [
    ("webinar", "вебинар"),
    ("text_webinar", "текстовый вебинар"),
    ("livecoding", "livecoding"),
    ("masscoding", "сессия масскодинга"),
    ("qa", "Q&A встреча"),
    ("interview", "пробное собеседование"),
    ("masterclass", "мастер-класс"),
    (
        "group_meeting",
        "групповая встреча наставников и наставляемых",
    ),
    ("training", "обучение наставников"),
    ("festive", "праздничное мероприятие"),
];

pub const LEVELS: [(&str, &str); 3] = [
    ("начальный", "начальный"),
    ("средний", "средний"),
    ("продвинутый", "продвинутый"),
];

crate::codes! {
    /// Whom an activity is for. Stored as its code in `activities.audience`.
    pub enum Audience: "activity audience" {
        All = "all" => "вся программа",
        Mentees = "mentees" => "наставляемые",
        Mentors = "mentors" => "наставники",
        Classes = "classes" => "выбранные классы или группы",
        Person = "person" => "один человек (например, пробное собеседование)",
    }
}

/// Days of the week, ISO numbers (1 = понедельник).
pub const WEEKDAYS: [(i16, &str, &str); 7] = [
    (1, "пн", "MO"),
    (2, "вт", "TU"),
    (3, "ср", "WE"),
    (4, "чт", "TH"),
    (5, "пт", "FR"),
    (6, "сб", "SA"),
    (7, "вс", "SU"),
];

/// A format's label: a built-in code's, or the organization's own label as stored.
pub fn format_label(code: &str) -> String {
    FORMATS
        .iter()
        .find(|f| f.0 == code)
        .map(|f| f.1.to_string())
        .unwrap_or_else(|| code.to_string())
}

/// What decides when an activity happens.
#[derive(Clone, Debug)]
pub struct Timing {
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    /// ISO weekdays; empty for a one-off activity.
    pub repeat_days: Vec<i16>,
    pub repeat_until: Option<NaiveDate>,
    pub cancelled: bool,
}

/// One date of a series moved (`moved_to`) or cancelled.
#[derive(Clone, Debug)]
pub struct Exception {
    pub on_date: NaiveDate,
    pub moved_to: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// The original local date: the occurrence's key (sign-ups, attendance, feedback).
    pub on_date: NaiveDate,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub moved: bool,
    pub cancelled: bool,
}

/// At most this many occurrences of a series (a school year of daily activities).
pub const MAX_OCCURRENCES: usize = 400;

/// Every original local date of the activity: the first, then each chosen weekday until
/// `repeat_until` (the first date's weekday always counts).
pub fn dates(t: &Timing, offset: FixedOffset) -> Vec<NaiveDate> {
    let first = t.starts_at.with_timezone(&offset).date_naive();
    let Some(until) = t.repeat_until.filter(|_| !t.repeat_days.is_empty()) else {
        return vec![first];
    };
    let mut out = Vec::new();
    let mut d = first;
    while d <= until && out.len() < MAX_OCCURRENCES {
        let wd = d.weekday().number_from_monday() as i16;
        if d == first || t.repeat_days.contains(&wd) {
            out.push(d);
        }
        d += Duration::days(1);
    }
    out
}

/// The occurrences that start in [from, to), with moved and cancelled ones marked (a moved one
/// counts at its new time).
pub fn occurrences(
    t: &Timing,
    exceptions: &[Exception],
    offset: FixedOffset,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Occurrence> {
    let time = t.starts_at.with_timezone(&offset).time();
    let length = Duration::minutes(i64::from(t.minutes));
    dates(t, offset)
        .into_iter()
        .filter_map(|d| {
            let original = d
                .and_time(time)
                .and_local_timezone(offset)
                .single()?
                .with_timezone(&Utc);
            let ex = exceptions.iter().find(|e| e.on_date == d);
            let (starts, moved, cancelled) = match ex {
                Some(Exception {
                    moved_to: Some(at), ..
                }) => (*at, true, t.cancelled),
                Some(_) => (original, false, true),
                None => (original, false, t.cancelled),
            };
            (starts >= from && starts < to).then_some(Occurrence {
                on_date: d,
                starts,
                ends: starts + length,
                moved,
                cancelled,
            })
        })
        .collect()
}

/// One occurrence by its original date.
pub fn occurrence(
    t: &Timing,
    exceptions: &[Exception],
    offset: FixedOffset,
    on_date: NaiveDate,
) -> Option<Occurrence> {
    let far = Duration::days(3660);
    occurrences(t, exceptions, offset, t.starts_at - far, t.starts_at + far)
        .into_iter()
        .find(|o| o.on_date == on_date)
}

/// «пн, ср, пт до 25.12.2026» for a series; empty for a one-off.
pub fn repeat_label(t: &Timing) -> String {
    match t.repeat_until {
        Some(until) if !t.repeat_days.is_empty() => format!(
            "еженедельно: {} до {}",
            WEEKDAYS
                .iter()
                .filter(|w| t.repeat_days.contains(&w.0))
                .map(|w| w.1)
                .collect::<Vec<_>>()
                .join(", "),
            crate::web::forms::ru_date(until)
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn khv() -> FixedOffset {
        FixedOffset::east_opt(10 * 3600).expect("offset")
    }

    #[test]
    fn a_weekly_series_in_khabarovsk_with_a_moved_and_a_cancelled_date() {
        // Tuesday 1 December 2026, 18:00 in Khabarovsk = 08:00Z; Tuesdays and Thursdays until the 10th.
        let t = Timing {
            starts_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
            minutes: 90,
            repeat_days: vec![2, 4],
            repeat_until: NaiveDate::from_ymd_opt(2026, 12, 10),
            cancelled: false,
        };
        let d = |day| NaiveDate::from_ymd_opt(2026, 12, day).unwrap();
        assert_eq!(dates(&t, khv()), [d(1), d(3), d(8), d(10)]);
        let ex = [
            Exception {
                on_date: d(3),
                moved_to: None,
            },
            Exception {
                on_date: d(8),
                moved_to: Some(Utc.with_ymd_and_hms(2026, 12, 9, 9, 0, 0).unwrap()),
            },
        ];
        let all = occurrences(
            &t,
            &ex,
            khv(),
            Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
        );
        assert_eq!(all.len(), 4);
        assert!(all[1].cancelled && !all[1].moved);
        assert!(all[2].moved && all[2].starts.to_rfc3339().starts_with("2026-12-09T09:00"));
        assert_eq!(
            all[3].starts,
            Utc.with_ymd_and_hms(2026, 12, 10, 8, 0, 0).unwrap()
        );
        assert_eq!(all[3].ends - all[3].starts, Duration::minutes(90));
        assert_eq!(repeat_label(&t), "еженедельно: вт, чт до 10.12.2026");
        assert!(occurrence(&t, &ex, khv(), d(8)).is_some_and(|o| o.moved));
    }

    #[test]
    fn a_one_off_and_a_cancelled_activity() {
        let mut t = Timing {
            starts_at: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
            minutes: 60,
            repeat_days: vec![],
            repeat_until: None,
            cancelled: false,
        };
        assert_eq!(dates(&t, khv()).len(), 1);
        t.cancelled = true;
        let far = Duration::days(30);
        let o = occurrences(&t, &[], khv(), t.starts_at - far, t.starts_at + far);
        assert!(o[0].cancelled);
        assert_eq!(repeat_label(&t), "");
    }
}
