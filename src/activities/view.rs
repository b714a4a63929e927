//! How an occurrence reads on a schedule (the program's, the home page's): one line with its day,
//! time on the organization's clock, format, topic, program, place, cancelled or moved.

use super::{Slot, model};
use crate::tenancy::OrgCtx;
use chrono::NaiveDate;

/// One occurrence as a schedule line.
pub struct SlotView {
    pub url: String,
    pub day: String,
    pub time: String,
    pub format: String,
    pub topic: String,
    pub program: String,
    pub place: String,
    pub cancelled: bool,
    pub moved: bool,
}

const DAYS: [&str; 7] = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];

/// «пн 07.12».
pub fn day_label(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {}",
        DAYS[d.weekday().num_days_from_monday() as usize],
        d.format("%d.%m")
    )
}

pub fn slot_view(org: &OrgCtx, s: &Slot) -> SlotView {
    let starts = org.org.local(s.occurrence.starts);
    let ends = org.org.local(s.occurrence.ends);
    SlotView {
        url: org.paths().activity(s.activity.id, s.occurrence.on_date),
        day: day_label(starts.date_naive()),
        time: format!("{}–{}", starts.format("%H:%M"), ends.format("%H:%M")),
        format: model::format_label(&s.activity.format),
        topic: s.activity.topic.clone(),
        program: s.activity.program_name.clone(),
        place: if s.activity.link.is_empty() {
            s.activity.place.clone()
        } else {
            "онлайн".into()
        },
        cancelled: s.occurrence.cancelled,
        moved: s.occurrence.moved,
    }
}
