//! Every URL of the product's pages, built in one place: `table` spells each path once,
//! `routes.rs` mounts those constants, and the builders here fill them with ids, so renaming a
//! route is one edit in `table.rs`. Used from Rust (`org.paths().program(id)`) and from
//! templates (`ctx.paths().person(p.id)`); no other module writes a URL with `format!`.

use std::fmt::Display;

mod program;
pub mod table;

pub use program::ProgramPaths;
use table::{Path, org, top};

/// The URLs under `/o/{slug}`.
#[derive(Clone, Copy, Debug)]
pub struct Paths<'a> {
    slug: &'a str,
}

impl<'a> Paths<'a> {
    pub fn of(slug: &'a str) -> Self {
        Paths { slug }
    }

    /// A path of the organization's table, filled with `args`, under `/o/{slug}`.
    pub fn to<const N: usize>(&self, path: Path<N>, args: [&dyn Display; N]) -> String {
        path.under(&top::ORG.with([&self.slug]), args)
    }

    pub fn home(&self) -> String {
        self.to(org::HOME, [])
    }

    pub fn members(&self) -> String {
        self.to(org::MEMBERS, [])
    }

    /// The members list's pages: the page number follows.
    pub fn members_pages(&self) -> String {
        self.to(org::MEMBERS, []) + "?page="
    }

    pub fn member(&self, user: impl Display) -> String {
        self.to(org::MEMBERS, []) + &format!("#m-{user}")
    }

    pub fn settings(&self) -> String {
        self.to(org::SETTINGS, [])
    }

    pub fn people(&self) -> String {
        self.to(org::PEOPLE, [])
    }

    /// The people list filtered by `query`: the page number follows.
    pub fn people_pages(&self, query: &str) -> String {
        self.to(org::PEOPLE, []) + &format!("?{query}&page=")
    }

    pub fn person(&self, id: impl Display) -> String {
        self.to(org::PERSON, [&id])
    }

    pub fn person_edit(&self, id: impl Display) -> String {
        self.to(org::PERSON_EDIT, [&id])
    }

    pub fn import(&self) -> String {
        self.to(org::IMPORT, [])
    }

    pub fn import_preview(&self, upload: impl Display, kind: &str) -> String {
        self.to(org::IMPORT_UPLOAD, [&upload]) + &format!("?kind={kind}")
    }

    pub fn programs(&self) -> String {
        self.to(org::PROGRAMS, [])
    }

    pub fn program_new(&self) -> String {
        self.to(org::PROGRAM_NEW, [])
    }

    /// The URLs of one program's pages.
    pub fn in_program(&self, id: impl Display) -> ProgramPaths {
        ProgramPaths {
            base: self.to(org::PROGRAM, [&id]),
        }
    }

    pub fn program(&self, id: impl Display) -> String {
        self.in_program(id).card()
    }

    pub fn program_edit(&self, id: impl Display) -> String {
        self.in_program(id).edit()
    }

    pub fn roadmap(&self, program: impl Display) -> String {
        self.in_program(program).roadmap()
    }

    pub fn task(&self, program: impl Display, task: impl Display) -> String {
        self.in_program(program).task(task)
    }

    pub fn participants(&self, program: impl Display) -> String {
        self.in_program(program).participants()
    }

    pub fn matching(&self, program: impl Display) -> String {
        self.in_program(program).matching()
    }

    pub fn matching_settings(&self, program: impl Display) -> String {
        self.in_program(program).matching_settings()
    }

    pub fn pairs(&self, program: impl Display) -> String {
        self.in_program(program).pairs()
    }

    pub fn people_base(&self, base: &str) -> String {
        self.to(org::PEOPLE, []) + &format!("?base={base}")
    }

    /// The people list with a query string (filters, sort) as it was.
    pub fn people_query(&self, query: &str) -> String {
        self.to(org::PEOPLE, []) + &format!("?{query}")
    }

    pub fn people_new(&self) -> String {
        self.to(org::PEOPLE_NEW, [])
    }

    pub fn people_bulk(&self) -> String {
        self.to(org::PEOPLE_BULK, [])
    }

    pub fn people_export(&self, query: &str) -> String {
        self.to(org::PEOPLE_XLSX, []) + &format!("?{query}")
    }

    pub fn slips(&self) -> String {
        self.to(org::SLIPS, [])
    }

    pub fn import_upload(&self, upload: impl Display) -> String {
        self.to(org::IMPORT_UPLOAD, [&upload])
    }

    pub fn person_enrol(&self, id: impl Display) -> String {
        self.to(org::PERSON_ENROL, [&id])
    }

    pub fn person_account(&self, id: impl Display) -> String {
        self.to(org::PERSON_ACCOUNT, [&id])
    }

    pub fn person_requests(&self, id: impl Display) -> String {
        self.to(org::PERSON_REQUESTS, [&id])
    }

    pub fn person_consents(&self, id: impl Display) -> String {
        self.to(org::PERSON_CONSENTS, [&id])
    }

    pub fn consent_withdraw(&self, person: impl Display, consent: impl Display) -> String {
        self.to(org::CONSENT_WITHDRAW, [&person, &consent])
    }

    pub fn member_roles(&self, user: impl Display) -> String {
        self.to(org::MEMBER_ROLES, [&user])
    }

    pub fn member_invite(&self, user: impl Display) -> String {
        self.to(org::MEMBER_INVITE, [&user])
    }

    pub fn pending(&self) -> String {
        self.to(org::MEMBERS, []) + "#pending"
    }

    pub fn pending_revoke(&self, id: impl Display) -> String {
        self.to(org::PENDING_REVOKE, [&id])
    }

    pub fn audit(&self) -> String {
        self.to(org::AUDIT, [])
    }

    pub fn audit_of(&self, person: impl Display) -> String {
        self.to(org::AUDIT, []) + &format!("?person={person}")
    }

    pub fn audit_export(&self, query: &str) -> String {
        self.to(org::AUDIT_XLSX, []) + &format!("?{query}")
    }

    pub fn questionnaire_schedule_delete(
        &self,
        id: impl Display,
        schedule: impl Display,
    ) -> String {
        self.to(org::SCHEDULE_DELETE, [&id, &schedule])
    }

    pub fn questionnaire_rename(&self, id: impl Display) -> String {
        self.to(org::QUESTIONNAIRE_RENAME, [&id])
    }

    pub fn questionnaire_copy(&self, id: impl Display) -> String {
        self.to(org::QUESTIONNAIRE_COPY, [&id])
    }

    pub fn questions(&self, id: impl Display) -> String {
        self.to(org::QUESTIONS, [&id])
    }

    pub fn questionnaire_assign(&self, id: impl Display) -> String {
        self.to(org::QUESTIONNAIRE_ASSIGN, [&id])
    }

    pub fn questionnaire_schedules(&self, id: impl Display) -> String {
        self.to(org::SCHEDULES, [&id])
    }

    pub fn question(&self, id: impl Display, key: impl Display) -> String {
        self.to(org::QUESTION, [&id, &key])
    }

    pub fn assignment_export(&self, id: impl Display) -> String {
        self.to(org::ASSIGNMENT_XLSX, [&id])
    }

    pub fn assignment_remind(&self, id: impl Display) -> String {
        self.to(org::ASSIGNMENT_REMIND, [&id])
    }

    /// A pair's meetings (the journal) and where a new one is logged.
    pub fn meetings(&self, pair: impl Display) -> String {
        self.to(org::MEETINGS, [&pair])
    }

    pub fn meeting_feedback(&self, pair: impl Display, meeting: impl Display) -> String {
        self.to(org::MEETING_FEEDBACK, [&pair, &meeting])
    }

    pub fn meetings_xlsx(&self, pair: impl Display) -> String {
        self.to(org::MEETINGS_XLSX, [&pair])
    }

    /// One occurrence of an activity (its original date: YYYY-MM-DD).
    pub fn activity(&self, id: impl Display, on_date: impl Display) -> String {
        self.to(org::ACTIVITY, [&id, &on_date])
    }

    /// What one occurrence's forms post to: sign up, rate, attendance, the recording, a change
    /// of this date.
    pub fn activity_signup(&self, id: impl Display, on_date: impl Display) -> String {
        self.to(org::ACTIVITY_SIGNUP, [&id, &on_date])
    }

    pub fn activity_feedback(&self, id: impl Display, on_date: impl Display) -> String {
        self.to(org::ACTIVITY_FEEDBACK, [&id, &on_date])
    }

    pub fn activity_attendance(&self, id: impl Display, on_date: impl Display) -> String {
        self.to(org::ACTIVITY_ATTENDANCE, [&id, &on_date])
    }

    pub fn activity_recording(&self, id: impl Display, on_date: impl Display) -> String {
        self.to(org::ACTIVITY_RECORDING, [&id, &on_date])
    }

    pub fn activity_change(&self, id: impl Display, on_date: impl Display) -> String {
        self.to(org::ACTIVITY_CHANGE, [&id, &on_date])
    }

    /// The whole activity (every date) cancelled or restored.
    pub fn activity_cancel(&self, id: impl Display) -> String {
        self.to(org::ACTIVITY_CANCEL, [&id])
    }

    /// The activity as an .ics file.
    pub fn activity_ics(&self, id: impl Display) -> String {
        self.to(org::ACTIVITY_ICS, [&id])
    }

    /// The organization's case library, and one case.
    pub fn cases(&self) -> String {
        self.to(org::CASES, [])
    }

    /// The director's dashboard: the indicators and the state of the programs.
    pub fn dashboard(&self) -> String {
        self.to(org::DASHBOARD, [])
    }

    /// The reports (`query` — the period and filters — starts with `?` or is empty).
    pub fn reports(&self, query: &str) -> String {
        self.to(org::REPORTS, []) + query
    }

    pub fn report(&self, code: &str, query: &str) -> String {
        self.to(org::REPORT, [&code]) + query
    }

    pub fn report_xlsx(&self, code: &str, query: &str) -> String {
        self.to(org::REPORT_XLSX, [&code]) + query
    }

    /// Every report in one workbook.
    pub fn reports_xlsx(&self, query: &str) -> String {
        self.to(org::REPORTS_XLSX, []) + query
    }

    /// The people behind an indicator (with the period's query, e.g. `?from=…&to=…`).
    pub fn indicator(&self, code: &str, query: &str) -> String {
        self.to(org::INDICATOR, [&code]) + query
    }

    /// The indicators and counts as XLSX (with the period's query).
    pub fn indicators_xlsx(&self, query: &str) -> String {
        self.to(org::INDICATORS_XLSX, []) + query
    }

    pub fn case(&self, id: impl Display) -> String {
        self.to(org::CASE, [&id])
    }

    /// The person's calendar: their feed links.
    pub fn calendar(&self) -> String {
        self.to(org::CALENDAR, [])
    }

    /// The first visible mentee's plan of a pair.
    pub fn plan(&self, pair: impl Display) -> String {
        self.to(org::PLAN, [&pair])
    }

    /// One mentee's individual plan (and where its analysis is saved).
    pub fn plan_of(&self, pair: impl Display, person: impl Display) -> String {
        self.to(org::PLAN_OF, [&pair, &person])
    }

    pub fn plan_goals(&self, pair: impl Display, person: impl Display) -> String {
        self.to(org::PLAN_GOALS, [&pair, &person])
    }

    pub fn plan_goal(
        &self,
        pair: impl Display,
        person: impl Display,
        goal: impl Display,
    ) -> String {
        self.to(org::PLAN_GOAL, [&pair, &person, &goal])
    }

    /// The pair's completion, its results and final reports.
    pub fn complete(&self, pair: impl Display) -> String {
        self.to(org::COMPLETE, [&pair])
    }

    /// Where a member's final report on the pair is saved.
    pub fn complete_report(&self, pair: impl Display) -> String {
        self.to(org::COMPLETE_REPORT, [&pair])
    }

    /// The pair's progress diary.
    pub fn diary(&self, pair: impl Display) -> String {
        self.to(org::DIARY, [&pair])
    }

    pub fn my_pair(&self, pair: impl Display) -> String {
        self.to(org::MY_PAIR, [&pair])
    }

    pub fn questionnaires(&self) -> String {
        self.to(org::QUESTIONNAIRES, [])
    }

    pub fn questionnaire(&self, id: impl Display) -> String {
        self.to(org::QUESTIONNAIRE, [&id])
    }

    pub fn assignment(&self, id: impl Display) -> String {
        self.to(org::ASSIGNMENT, [&id])
    }

    pub fn answers(&self, assignment: impl Display, person: impl Display) -> String {
        self.to(org::ANSWERS, [&assignment, &person])
    }

    pub fn fill_for(&self, assignment: impl Display, person: impl Display) -> String {
        self.to(org::FILL_FOR, [&assignment, &person])
    }

    pub fn my_form(&self, assignment: impl Display) -> String {
        self.to(org::MY_FORM, [&assignment])
    }

    /// Where a participant's draft is kept.
    pub fn my_form_draft(&self, assignment: impl Display) -> String {
        self.to(org::MY_FORM_DRAFT, [&assignment])
    }

    /// Where a draft filled on someone's behalf is kept.
    pub fn fill_for_draft(&self, assignment: impl Display, person: impl Display) -> String {
        self.to(org::FILL_FOR_DRAFT, [&assignment, &person])
    }

    pub fn notifications(&self) -> String {
        self.to(org::NOTIFICATIONS, [])
    }

    /// The notifications' pages: the page number follows.
    pub fn notifications_pages(&self) -> String {
        self.to(org::NOTIFICATIONS, []) + "?page="
    }

    pub fn notification_prefs(&self) -> String {
        self.to(org::NOTIFICATION_PREFS, [])
    }

    pub fn notifications_read_all(&self) -> String {
        self.to(org::NOTIFICATIONS_READ_ALL, [])
    }

    pub fn notification(&self, id: impl Display) -> String {
        self.to(org::NOTIFICATION, [&id])
    }
}

/// Outside an organization: the pages of accounts and of the platform admin.
pub const LOGIN: &str = top::LOGIN.pattern();
pub const LOGOUT: &str = top::LOGOUT.pattern();
pub const CHOOSER: &str = top::CHOOSER.pattern();
pub const ADMIN: &str = top::ADMIN.pattern();
pub const ADMIN_NEW_ORG: &str = top::ADMIN_NEW_ORG.pattern();
pub const ADMIN_TERRITORIES: &str = top::ADMIN_TERRITORIES.pattern();

pub fn admin_org(id: impl Display) -> String {
    top::ADMIN_ORG.with([&id])
}

/// The platform admin's «Почта и задания».
pub fn admin_mail() -> String {
    top::ADMIN_MAIL.with([])
}

pub fn admin_resend(message: impl Display) -> String {
    top::ADMIN_RESEND.with([&message])
}

pub fn admin_retry(job: impl Display) -> String {
    top::ADMIN_RETRY.with([&job])
}

/// Outside an organization: an invitation to a membership, accepted or declined.
pub fn invitation_accept(id: impl Display) -> String {
    top::INVITATION_ACCEPT.with([&id])
}

pub fn invitation_decline(id: impl Display) -> String {
    top::INVITATION_DECLINE.with([&id])
}

/// A calendar feed at its secret link.
pub fn calendar_feed(token: &str) -> String {
    top::CALENDAR_FEED.with([&format_args!("{token}.ics")])
}

/// The one-click unsubscribe page of an e-mail.
pub fn unsubscribe(token: &str) -> String {
    top::UNSUBSCRIBE.with([&token])
}

/// A one-time link: an invitation to set a password.
pub fn invite(token: &str) -> String {
    top::INVITE.with([&token])
}

/// The public page where a person applies to a program (the poster's QR code).
pub fn apply(token: &str) -> String {
    top::APPLY.with([&token])
}

/// A territory's pages (`/t/{scope}/…`): its schools, one school, monitoring, cases.
#[derive(Clone, Debug)]
pub struct TerritoryPaths {
    prefix: String,
}

impl TerritoryPaths {
    pub fn of(scope: impl Display) -> Self {
        TerritoryPaths {
            prefix: top::TERRITORY.with([&scope]),
        }
    }

    /// A path of the territory's table, filled with `args`, under `/t/{scope}`.
    pub fn to<const N: usize>(&self, path: Path<N>, args: [&dyn Display; N]) -> String {
        path.under(&self.prefix, args)
    }

    pub fn schools(&self) -> String {
        self.to(table::territory::SCHOOLS, [])
    }

    pub fn school(&self, org: impl Display) -> String {
        self.to(table::territory::SCHOOL, [&org])
    }

    /// The schools list with a query (the period, filters): `query` starts with `?` or is empty.
    pub fn schools_query(&self, query: &str) -> String {
        self.schools() + query
    }

    pub fn schools_xlsx(&self, query: &str) -> String {
        self.to(table::territory::SCHOOLS_XLSX, []) + query
    }

    pub fn monitoring(&self) -> String {
        self.to(table::territory::MONITORING, [])
    }

    pub fn monitoring_xlsx(&self, query: &str) -> String {
        self.to(table::territory::MONITORING_XLSX, []) + query
    }

    pub fn cases(&self) -> String {
        self.to(table::territory::CASES, [])
    }

    pub fn recount(&self, query: &str) -> String {
        self.to(table::territory::RECOUNT, []) + query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_under_the_organization() {
        let p = Paths::of("sosh-1");
        assert_eq!(p.home(), "/o/sosh-1");
        assert_eq!(p.task("P", "T"), "/o/sosh-1/programs/P/roadmap#task-T");
        assert_eq!(p.answers("A", "B"), "/o/sosh-1/assignments/A/answers/B");
        assert_eq!(
            p.in_program("P").pair_paper("X"),
            "/o/sosh-1/programs/P/pairs/X/paper"
        );
        assert_eq!(p.program("P"), "/o/sosh-1/programs/P");
        assert_eq!(
            p.import_preview("U", "pupil"),
            "/o/sosh-1/people/import/U?kind=pupil"
        );
    }
}
