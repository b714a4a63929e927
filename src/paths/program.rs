//! The URLs of a program's pages (`org.paths().in_program(id)` in Rust, `prog.…()` in templates).

use std::fmt::Display;

use super::table::program;

/// The URLs under `/o/{slug}/programs/{program}`.
#[derive(Clone, Debug)]
pub struct ProgramPaths {
    pub(super) base: String,
}

impl ProgramPaths {
    pub fn card(&self) -> String {
        self.base.clone()
    }

    pub fn edit(&self) -> String {
        program::EDIT.under(&self.base, [])
    }

    pub fn roadmap(&self) -> String {
        program::ROADMAP.under(&self.base, [])
    }

    pub fn task(&self, task: impl Display) -> String {
        program::ROADMAP.under(&self.base, []) + &format!("#task-{task}")
    }

    pub fn task_edit(&self, task: impl Display) -> String {
        program::TASK_EDIT.under(&self.base, [&task])
    }

    pub fn task_status(&self, task: impl Display) -> String {
        program::TASK_STATUS.under(&self.base, [&task])
    }

    pub fn task_delete(&self, task: impl Display) -> String {
        program::TASK_DELETE.under(&self.base, [&task])
    }

    pub fn task_new(&self, stage: impl Display) -> String {
        program::TASK_NEW.under(&self.base, [&stage])
    }

    pub fn participants(&self) -> String {
        program::PARTICIPANTS.under(&self.base, [])
    }

    pub fn training_anchor(&self) -> String {
        program::PARTICIPANTS.under(&self.base, []) + "#training"
    }

    pub fn participants_status(&self) -> String {
        program::PARTICIPANTS_STATUS.under(&self.base, [])
    }

    pub fn participants_earlier(&self) -> String {
        program::PARTICIPANTS_EARLIER.under(&self.base, [])
    }

    pub fn training(&self) -> String {
        program::TRAINING.under(&self.base, [])
    }

    pub fn training_session(&self, session: impl Display) -> String {
        program::TRAINING_SESSION.under(&self.base, [&session])
    }

    pub fn matching(&self) -> String {
        program::MATCHING.under(&self.base, [])
    }

    pub fn matching_accept(&self) -> String {
        program::MATCHING_ACCEPT.under(&self.base, [])
    }

    pub fn matching_forbid(&self) -> String {
        program::MATCHING_FORBID.under(&self.base, [])
    }

    pub fn matching_settings(&self) -> String {
        program::MATCHING_SETTINGS.under(&self.base, [])
    }

    pub fn mentor_match(&self) -> String {
        program::MENTOR_MATCH.under(&self.base, [])
    }

    pub fn pairs(&self) -> String {
        program::PAIRS.under(&self.base, [])
    }

    pub fn pairs_hand(&self) -> String {
        program::PAIRS.under(&self.base, []) + "#hand"
    }

    /// The pairs page with a mentor and mentee chosen in the form «пара вручную».
    pub fn pairs_chosen(&self, mentor: &str, mentee: &str) -> String {
        program::PAIRS.under(&self.base, []) + &format!("?mentor={mentor}&mentee={mentee}#hand")
    }

    pub fn pair_paper(&self, pair: impl Display) -> String {
        program::PAIR_PAPER.under(&self.base, [&pair])
    }

    pub fn pair_cancel(&self, pair: impl Display) -> String {
        program::PAIR_CANCEL.under(&self.base, [&pair])
    }

    /// The pair health page: every agreed pair, worst first.
    pub fn health(&self) -> String {
        program::HEALTH.under(&self.base, [])
    }

    /// Where the curator sets how often a pair means to meet.
    pub fn pair_rhythm(&self, pair: impl Display) -> String {
        program::RHYTHM.under(&self.base, [&pair])
    }

    pub fn health_xlsx(&self) -> String {
        program::HEALTH_XLSX.under(&self.base, [])
    }

    /// The journal of each mentor of the program (print, XLSX with `?mentor=`).
    pub fn mentor_journal(&self, mentor: impl Display) -> String {
        program::MENTOR_JOURNAL.under(&self.base, [&mentor])
    }

    pub fn mentor_journal_xlsx(&self, mentor: impl Display) -> String {
        program::MENTOR_JOURNAL_XLSX.under(&self.base, [&mentor])
    }

    /// The program's schedule of activities (`?month=YYYY-MM` for a month).
    pub fn activities(&self) -> String {
        program::ACTIVITIES.under(&self.base, [])
    }

    pub fn activities_month(&self, month: &str) -> String {
        program::ACTIVITIES.under(&self.base, []) + &format!("?month={month}")
    }

    pub fn activity_new(&self) -> String {
        program::ACTIVITY_NEW.under(&self.base, [])
    }

    pub fn activity_edit(&self, id: impl Display) -> String {
        program::ACTIVITY_EDIT.under(&self.base, [&id])
    }

    /// The program's applications (заявки) and its application links.
    pub fn applications(&self) -> String {
        program::APPLICATIONS.under(&self.base, [])
    }

    pub fn application(&self, id: impl Display) -> String {
        program::APPLICATION.under(&self.base, [&id])
    }

    /// The printable poster of the application link for `role` (mentor, mentee).
    pub fn poster(&self, role: &str) -> String {
        program::POSTER.under(&self.base, [&role])
    }

    /// Where the curator closes the program.
    pub fn close(&self) -> String {
        program::CLOSE.under(&self.base, [])
    }

    /// «Лучшие наставники» of the program.
    pub fn best(&self) -> String {
        program::BEST.under(&self.base, [])
    }

    /// Certificates and letters for the program's mentors, and their print.
    pub fn certificates(&self) -> String {
        program::CERTIFICATES.under(&self.base, [])
    }

    pub fn certificates_print(&self) -> String {
        program::CERTIFICATES_PRINT.under(&self.base, [])
    }

    /// The program's monitoring: parameters (and where they are added).
    pub fn monitoring(&self) -> String {
        program::MONITORING.under(&self.base, [])
    }

    pub fn monitoring_parameter(&self, id: impl Display) -> String {
        program::PARAMETER_DELETE.under(&self.base, [&id])
    }

    /// Where a parameter is tied to a questionnaire's question.
    pub fn monitoring_source(&self, id: impl Display) -> String {
        program::PARAMETER_SOURCE.under(&self.base, [&id])
    }

    /// Where a measurement is filled from a questionnaire's sending.
    /// Where a stage's assessments are uploaded from a file.
    pub fn monitoring_import(&self, stage: &str) -> String {
        program::MONITORING_IMPORT.under(&self.base, [&stage])
    }

    pub fn monitoring_from_answers(&self, stage: &str) -> String {
        program::MONITORING_FROM_ANSWERS.under(&self.base, [&stage])
    }

    /// Where the curator sets a pair's form variant.
    pub fn pair_variant(&self, pair: impl Display) -> String {
        program::PAIR_VARIANT.under(&self.base, [&pair])
    }

    /// One measurement's table: `entry` or `final`.
    pub fn monitoring_stage(&self, stage: &str) -> String {
        program::MONITORING_STAGE.under(&self.base, [&stage])
    }

    /// The program's own quality: events held, satisfaction, the curator's SWOT.
    pub fn quality(&self) -> String {
        program::QUALITY.under(&self.base, [])
    }

    /// One measurement's table for a role and (if not empty) a class.
    pub fn monitoring_table(&self, stage: &str, role: &str, class: &str) -> String {
        let mut url = format!("{}?role={role}", self.monitoring_stage(stage));
        if !class.is_empty() {
            url.push_str("&class=");
            url.extend(form_urlencoded::byte_serialize(class.as_bytes()));
        }
        url
    }

    /// One participant's entry and final values.
    pub fn monitoring_person(&self, person: impl Display) -> String {
        program::MONITORING_PERSON.under(&self.base, [&person])
    }

    pub fn monitoring_report(&self) -> String {
        program::MONITORING_REPORT.under(&self.base, [])
    }

    /// Topic requests of the program.
    pub fn topics(&self) -> String {
        program::TOPICS.under(&self.base, [])
    }

    /// The mentors' rating.
    pub fn rating(&self) -> String {
        program::RATING.under(&self.base, [])
    }

    /// The director's orders fixing the pairs; where a draft is prepared.
    pub fn orders(&self) -> String {
        program::ORDERS.under(&self.base, [])
    }

    /// Where an amending order (cancelling fixed pairs) is prepared.
    pub fn orders_amend(&self) -> String {
        program::ORDERS_AMEND.under(&self.base, [])
    }

    /// One order: the print-ready page.
    pub fn order(&self, id: impl Display) -> String {
        program::ORDER.under(&self.base, [&id])
    }

    pub fn order_docx(&self, id: impl Display) -> String {
        program::ORDER_DOCX.under(&self.base, [&id])
    }

    pub fn order_approve(&self, id: impl Display) -> String {
        program::ORDER_APPROVE.under(&self.base, [&id])
    }

    pub fn order_delete(&self, id: impl Display) -> String {
        program::ORDER_DELETE.under(&self.base, [&id])
    }
}
