//! The URLs of a program's pages (`org.paths().in_program(id)` in Rust, `prog.…()` in templates).

#[allow(unused_imports)]
use super::*;

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
        format!("{}/edit", self.base)
    }

    pub fn roadmap(&self) -> String {
        format!("{}/roadmap", self.base)
    }

    pub fn task(&self, task: impl Display) -> String {
        format!("{}/roadmap#task-{task}", self.base)
    }

    pub fn task_edit(&self, task: impl Display) -> String {
        format!("{}/roadmap/tasks/{task}/edit", self.base)
    }

    pub fn task_status(&self, task: impl Display) -> String {
        format!("{}/roadmap/tasks/{task}/status", self.base)
    }

    pub fn task_delete(&self, task: impl Display) -> String {
        format!("{}/roadmap/tasks/{task}/delete", self.base)
    }

    pub fn task_new(&self, stage: impl Display) -> String {
        format!("{}/roadmap/stages/{stage}/tasks/new", self.base)
    }

    pub fn participants(&self) -> String {
        format!("{}/participants", self.base)
    }

    pub fn training_anchor(&self) -> String {
        format!("{}/participants#training", self.base)
    }

    pub fn participants_status(&self) -> String {
        format!("{}/participants/status", self.base)
    }

    pub fn participants_earlier(&self) -> String {
        format!("{}/participants/earlier", self.base)
    }

    pub fn training(&self) -> String {
        format!("{}/training", self.base)
    }

    pub fn training_session(&self, session: impl Display) -> String {
        format!("{}/training/{session}", self.base)
    }

    pub fn matching(&self) -> String {
        format!("{}/matching", self.base)
    }

    pub fn matching_accept(&self) -> String {
        format!("{}/matching/accept", self.base)
    }

    pub fn matching_forbid(&self) -> String {
        format!("{}/matching/forbid", self.base)
    }

    pub fn matching_settings(&self) -> String {
        format!("{}/matching/settings", self.base)
    }

    pub fn mentor_match(&self) -> String {
        format!("{}/mentor-match", self.base)
    }

    pub fn pairs(&self) -> String {
        format!("{}/pairs", self.base)
    }

    pub fn pairs_hand(&self) -> String {
        format!("{}/pairs#hand", self.base)
    }

    /// The pairs page with a mentor and mentee chosen in the form «пара вручную».
    pub fn pairs_chosen(&self, mentor: &str, mentee: &str) -> String {
        format!("{}/pairs?mentor={mentor}&mentee={mentee}#hand", self.base)
    }

    pub fn pair_paper(&self, pair: impl Display) -> String {
        format!("{}/pairs/{pair}/paper", self.base)
    }

    pub fn pair_cancel(&self, pair: impl Display) -> String {
        format!("{}/pairs/{pair}/cancel", self.base)
    }

    /// The pair health page: every agreed pair, worst first.
    pub fn health(&self) -> String {
        format!("{}/health", self.base)
    }

    /// Where the curator sets how often a pair means to meet.
    pub fn pair_rhythm(&self, pair: impl Display) -> String {
        format!("{}/health/{pair}/rhythm", self.base)
    }

    pub fn health_xlsx(&self) -> String {
        format!("{}/health.xlsx", self.base)
    }

    /// The journal of each mentor of the program (print, XLSX with `?mentor=`).
    pub fn mentor_journal(&self, mentor: impl Display) -> String {
        format!("{}/journal/{mentor}", self.base)
    }

    pub fn mentor_journal_xlsx(&self, mentor: impl Display) -> String {
        format!("{}/journal/{mentor}/xlsx", self.base)
    }

    /// The program's schedule of activities (`?month=YYYY-MM` for a month).
    pub fn activities(&self) -> String {
        format!("{}/activities", self.base)
    }

    pub fn activities_month(&self, month: &str) -> String {
        format!("{}/activities?month={month}", self.base)
    }

    pub fn activity_new(&self) -> String {
        format!("{}/activities/new", self.base)
    }

    pub fn activity_edit(&self, id: impl Display) -> String {
        format!("{}/activities/{id}/edit", self.base)
    }

    /// The program's applications (заявки) and its application links.
    pub fn applications(&self) -> String {
        format!("{}/applications", self.base)
    }

    pub fn application(&self, id: impl Display) -> String {
        format!("{}/applications/{id}", self.base)
    }

    /// The printable poster of the application link for `role` (mentor, mentee).
    pub fn poster(&self, role: &str) -> String {
        format!("{}/applications/poster/{role}", self.base)
    }

    /// Where the curator closes the program.
    pub fn close(&self) -> String {
        format!("{}/close", self.base)
    }

    /// «Лучшие наставники» of the program.
    pub fn best(&self) -> String {
        format!("{}/best", self.base)
    }

    /// Certificates and letters for the program's mentors, and their print.
    pub fn certificates(&self) -> String {
        format!("{}/certificates", self.base)
    }

    pub fn certificates_print(&self) -> String {
        format!("{}/certificates/print", self.base)
    }

    /// The program's monitoring: parameters (and where they are added).
    pub fn monitoring(&self) -> String {
        format!("{}/monitoring", self.base)
    }

    pub fn monitoring_parameter(&self, id: impl Display) -> String {
        format!("{}/monitoring/parameters/{id}/delete", self.base)
    }

    /// Where a parameter is tied to a questionnaire's question.
    pub fn monitoring_source(&self, id: impl Display) -> String {
        format!("{}/monitoring/parameters/{id}/source", self.base)
    }

    /// Where a measurement is filled from a questionnaire's sending.
    pub fn monitoring_from_answers(&self, stage: &str) -> String {
        format!("{}/monitoring/{stage}/from-answers", self.base)
    }

    /// Where the curator sets a pair's form variant.
    pub fn pair_variant(&self, pair: impl Display) -> String {
        format!("{}/pairs/{pair}/variant", self.base)
    }

    /// One measurement's table: `entry` or `final`.
    pub fn monitoring_stage(&self, stage: &str) -> String {
        format!("{}/monitoring/{stage}", self.base)
    }

    /// The program's own quality: events held, satisfaction, the curator's SWOT.
    pub fn quality(&self) -> String {
        format!("{}/monitoring/quality", self.base)
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
        format!("{}/monitoring/person/{person}", self.base)
    }

    pub fn monitoring_report(&self) -> String {
        format!("{}/monitoring/report", self.base)
    }

    /// Topic requests of the program.
    pub fn topics(&self) -> String {
        format!("{}/topics", self.base)
    }

    /// The mentors' rating.
    pub fn rating(&self) -> String {
        format!("{}/rating", self.base)
    }

    /// The director's orders fixing the pairs; where a draft is prepared.
    pub fn orders(&self) -> String {
        format!("{}/orders", self.base)
    }

    /// Where an amending order (cancelling fixed pairs) is prepared.
    pub fn orders_amend(&self) -> String {
        format!("{}/orders/amend", self.base)
    }

    /// One order: the print-ready page.
    pub fn order(&self, id: impl Display) -> String {
        format!("{}/orders/{id}", self.base)
    }

    pub fn order_docx(&self, id: impl Display) -> String {
        format!("{}/orders/{id}/docx", self.base)
    }

    pub fn order_approve(&self, id: impl Display) -> String {
        format!("{}/orders/{id}/approve", self.base)
    }

    pub fn order_delete(&self, id: impl Display) -> String {
        format!("{}/orders/{id}/delete", self.base)
    }
}
