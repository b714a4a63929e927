//! Meetings of a pair or group — the mentor's journal (журнал наставника): each meeting by type
//! (знакомство, пробная, планирование, регулярная, итоговая), date and time, format, topic and
//! result, held or planned; logged by the mentor (or by the curator «со слов наставника») on the
//! pair's page; and the morning nudge for pairs that have gone too long without one. Other
//! domains use the functions re-exported here.

pub mod feedback;
pub mod forget;
pub mod log;
pub mod model;
pub mod nudges;
pub mod pages;
pub mod repo;
pub mod rhythm;

pub use feedback::{FeedbackForm, rate};
pub use log::{Capacity, Logged, MeetingForm, MeetingInput, log};
pub use nudges::{Stale, mentor_ratings, program_figures, stale_pairs};
pub use repo::{
    PairFigures, Unrated, Upcoming, figures, planned_for_user, unrated_for_user, upcoming_for_user,
};
pub use rhythm::set_rhythm;
