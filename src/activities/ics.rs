//! Calendar feeds (RFC 5545) with the `icalendar` crate: each event in UTC (Russia keeps no
//! daylight saving, so an organization's clock is a fixed offset and UTC puts the event at the
//! right local time in Yandex and Google calendars), a series as one VEVENT with RRULE (its
//! weekdays shifted when the UTC date differs from the local one) and EXDATE for its cancelled
//! and moved dates, a moved date as an override with RECURRENCE-ID, a cancelled activity as
//! STATUS:CANCELLED, UID stable across edits and SEQUENCE bumped on each.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

use super::model::{Exception, Timing, WEEKDAYS};

/// One event of a feed.
#[derive(Clone, Debug)]
pub struct FeedEvent {
    pub uid: String,
    pub sequence: u32,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub url: String,
    pub updated: DateTime<Utc>,
    pub when: When,
}

#[derive(Clone, Debug)]
pub enum When {
    /// An activity, one-off or a series, with its exceptions.
    Timed {
        timing: Timing,
        exceptions: Vec<Exception>,
        offset: FixedOffset,
    },
    /// A roadmap task's due date, as an all-day event.
    Day(NaiveDate),
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// RRULE of a weekly series whose first start is `starts` (UTC) on a clock `offset`.
pub fn rrule(timing: &Timing, offset: FixedOffset) -> Option<String> {
    let until = timing
        .repeat_until
        .filter(|_| !timing.repeat_days.is_empty())?;
    let local = timing.starts_at.with_timezone(&offset);
    // The UTC date may be a day before or after the local one (Хабаровск at 02:00 local).
    let shift = (timing.starts_at.date_naive() - local.date_naive()).num_days() as i16;
    let first = chrono::Datelike::weekday(&local.date_naive()).number_from_monday() as i16;
    let mut days: Vec<i16> = timing.repeat_days.clone();
    if !days.contains(&first) {
        days.push(first);
    }
    days.sort_unstable();
    let byday: Vec<&str> = days
        .iter()
        .map(|d| (d - 1 + shift).rem_euclid(7) as usize)
        .map(|i| WEEKDAYS[i].2)
        .collect();
    let end_of_until = until
        .and_hms_opt(23, 59, 59)?
        .and_local_timezone(offset)
        .single()?
        .with_timezone(&Utc);
    Some(format!(
        "FREQ=WEEKLY;BYDAY={};UNTIL={}",
        byday.join(","),
        utc(end_of_until)
    ))
}

/// A text value with every line break as `\n`: the crate escapes LF, but a bare CR (or CRLF)
/// typed into a topic would end the line for line-based readers.
fn text(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn base(e: &FeedEvent, now: DateTime<Utc>) -> Event {
    let mut ev = Event::new();
    ev.uid(&text(&e.uid))
        .sequence(e.sequence)
        .summary(&text(&e.summary))
        .timestamp(now)
        .last_modified(e.updated);
    if !e.description.is_empty() {
        ev.description(&text(&e.description));
    }
    if !e.location.is_empty() {
        ev.location(&text(&e.location));
    }
    if !e.url.is_empty() {
        ev.url(&text(&e.url));
    }
    ev
}

/// The feed as text.
pub fn calendar(name: &str, events: &[FeedEvent], now: DateTime<Utc>) -> String {
    let mut cal = Calendar::new();
    cal.name(name);
    cal.append_property(icalendar::Property::new("X-PUBLISHED-TTL", "PT1H"));
    for e in events {
        match &e.when {
            When::Day(day) => {
                let mut ev = base(e, now);
                ev.all_day(*day);
                cal.push(ev.done());
            }
            When::Timed {
                timing,
                exceptions,
                offset,
            } => {
                let length = Duration::minutes(i64::from(timing.minutes));
                let mut ev = base(e, now);
                ev.starts(timing.starts_at).ends(timing.starts_at + length);
                if timing.cancelled {
                    ev.status(EventStatus::Cancelled);
                } else {
                    ev.status(EventStatus::Confirmed);
                }
                let rule = rrule(timing, *offset);
                if let Some(rule) = &rule {
                    ev.add_property("RRULE", rule);
                    let time = timing.starts_at.with_timezone(offset).time();
                    for x in exceptions {
                        let original = x
                            .on_date
                            .and_time(time)
                            .and_local_timezone(*offset)
                            .single()
                            .map(|t| t.with_timezone(&Utc));
                        if let Some(original) = original {
                            ev.add_multi_property("EXDATE", &utc(original));
                        }
                    }
                }
                cal.push(ev.done());
                // A moved date: a separate event at its new time (its own UID, so that calendars
                // that drop EXDATE'd instances still show it).
                if rule.is_some() {
                    for x in exceptions {
                        if let Some(at) = x.moved_to {
                            let mut moved = base(e, now);
                            moved
                                .uid(&format!("{}-{}", e.uid, x.on_date.format("%Y%m%d")))
                                .summary(&format!("{} (перенесено)", e.summary))
                                .starts(at)
                                .ends(at + length)
                                .status(if timing.cancelled {
                                    EventStatus::Cancelled
                                } else {
                                    EventStatus::Confirmed
                                });
                            cal.push(moved.done());
                        }
                    }
                }
            }
        }
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_series_in_utc_with_shifted_weekdays_and_exdates() {
        let khv = FixedOffset::east_opt(10 * 3600).unwrap();
        // Tuesday 1 December, 02:00 in Khabarovsk = Monday 30 November 16:00Z.
        let timing = Timing {
            starts_at: Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap(),
            minutes: 60,
            repeat_days: vec![2, 4],
            repeat_until: NaiveDate::from_ymd_opt(2026, 12, 10),
            cancelled: false,
        };
        assert_eq!(
            rrule(&timing, khv).unwrap(),
            "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261210T135959Z"
        );
        let e = FeedEvent {
            uid: "a1@nastavnik".into(),
            sequence: 2,
            summary: "Вебинар: Git, ветки; слияние".into(),
            description: "Строка 1\nСтрока 2".into(),
            location: "https://meet.example/room".into(),
            url: "https://nastavnik.example/o/x".into(),
            updated: timing.starts_at,
            when: When::Timed {
                timing: timing.clone(),
                exceptions: vec![Exception {
                    on_date: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
                    moved_to: None,
                }],
                offset: khv,
            },
        };
        let text = calendar("Программа", &[e], timing.starts_at);
        assert!(text.contains("DTSTART:20261130T160000Z"), "{text}");
        assert!(text.contains("EXDATE:20261202T160000Z"), "{text}");
        assert!(text.contains("SEQUENCE:2"));
        assert!(text.contains("UID:a1@nastavnik"));
        assert!(text.contains("Git\\, ветки\\; слияние"), "{text}");
    }

    /// Issue 28: a bare CR (or CRLF) typed into a text is escaped like LF, so line-based readers
    /// see one property line (folded lines start with a space).
    #[test]
    fn a_bare_carriage_return_is_escaped() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let e = FeedEvent {
            uid: "t1@nastavnik".into(),
            sequence: 0,
            summary: "Тема\rBEGIN:VEVENT".into(),
            description: "a\r\nb\rc".into(),
            location: String::new(),
            url: String::new(),
            updated: Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
            when: When::Day(day),
        };
        let out = calendar(
            "x",
            &[e],
            Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
        );
        for line in out.split("\r\n") {
            assert!(!line.contains('\r') && !line.contains('\n'), "{line:?}");
        }
        assert!(out.contains("SUMMARY:Тема\\nBEGIN:VEVENT"), "{out}");
        assert_eq!(
            out.matches("BEGIN:VEVENT").count(),
            2,
            "one event, the other is text"
        );
    }
}
