//! Questionnaires (анкеты): definitions with versions, the built-in templates, giving them to
//! people (the consent rule), filling on a phone with drafts, results with server-rendered SVG
//! charts and XLSX. Other domains use the functions re-exported here.

pub mod answer;
pub mod builder;
pub mod forget;
pub mod give;
pub mod latest;
pub mod model;
pub mod numbers;
pub mod pages;
pub mod questions;
pub mod remind;
pub mod repo;
pub mod schedules;
pub mod templates;

pub use answer::{Answered, NotTaken, Sending, Target, answer, closed};
pub use give::{give, give_as};
pub use latest::{matching_answers, preference_answers};
pub use model::ResponseStatus;
pub use repo::{
    Current, NewAssignment, ResponseInput, answers_of, change_response, create_assignment, current,
    ensure_templates, late, list, mine, save_response, template, titles,
};
