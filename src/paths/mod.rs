//! Every URL of an organization's pages, built in one place (the route table in `routes.rs`
//! declares them; this module writes them), so that renaming a route is one edit here. Used
//! from Rust (`org.paths().program(id)`) and from templates (`ctx.paths().person(p.id)`).

use std::fmt::Display;

mod program;
#[allow(unused_imports)]
pub use program::*;

/// The URLs under `/o/{slug}`.
#[derive(Clone, Copy, Debug)]
pub struct Paths<'a> {
    slug: &'a str,
}

impl<'a> Paths<'a> {
    pub fn of(slug: &'a str) -> Self {
        Paths { slug }
    }

    /// `/o/{slug}` followed by `rest` (for the few addresses with a query or an anchor).
    pub fn at(&self, rest: &str) -> String {
        format!("/o/{}{rest}", self.slug)
    }

    pub fn home(&self) -> String {
        self.at("")
    }

    pub fn members(&self) -> String {
        self.at("/members")
    }

    /// The members list's pages: the page number follows.
    pub fn members_pages(&self) -> String {
        self.at("/members?page=")
    }

    pub fn member(&self, user: impl Display) -> String {
        self.at(&format!("/members#m-{user}"))
    }

    pub fn settings(&self) -> String {
        self.at("/settings")
    }

    pub fn people(&self) -> String {
        self.at("/people")
    }

    /// The people list filtered by `query`: the page number follows.
    pub fn people_pages(&self, query: &str) -> String {
        self.at(&format!("/people?{query}&page="))
    }

    pub fn person(&self, id: impl Display) -> String {
        self.at(&format!("/people/{id}"))
    }

    pub fn person_edit(&self, id: impl Display) -> String {
        self.at(&format!("/people/{id}/edit"))
    }

    pub fn import(&self) -> String {
        self.at("/people/import")
    }

    pub fn import_preview(&self, upload: impl Display, kind: &str) -> String {
        self.at(&format!("/people/import/{upload}?kind={kind}"))
    }

    pub fn programs(&self) -> String {
        self.at("/programs")
    }

    pub fn program_new(&self) -> String {
        self.at("/programs/new")
    }

    /// The URLs of one program's pages.
    pub fn in_program(&self, id: impl Display) -> ProgramPaths {
        ProgramPaths {
            base: self.at(&format!("/programs/{id}")),
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
        self.at(&format!("/people?base={base}"))
    }

    /// The people list with a query string (filters, sort) as it was.
    pub fn people_query(&self, query: &str) -> String {
        self.at(&format!("/people?{query}"))
    }

    pub fn people_new(&self) -> String {
        self.at("/people/new")
    }

    pub fn people_bulk(&self) -> String {
        self.at("/people/bulk")
    }

    pub fn people_export(&self, query: &str) -> String {
        self.at(&format!("/people/export.xlsx?{query}"))
    }

    pub fn slips(&self) -> String {
        self.at("/people/slips")
    }

    pub fn import_upload(&self, upload: impl Display) -> String {
        self.at(&format!("/people/import/{upload}"))
    }

    pub fn person_enrol(&self, id: impl Display) -> String {
        self.at(&format!("/people/{id}/enrol"))
    }

    pub fn person_account(&self, id: impl Display) -> String {
        self.at(&format!("/people/{id}/account"))
    }

    pub fn person_requests(&self, id: impl Display) -> String {
        self.at(&format!("/people/{id}/requests"))
    }

    pub fn person_consents(&self, id: impl Display) -> String {
        self.at(&format!("/people/{id}/consents"))
    }

    pub fn consent_withdraw(&self, person: impl Display, consent: impl Display) -> String {
        self.at(&format!("/people/{person}/consents/{consent}/withdraw"))
    }

    pub fn member_roles(&self, user: impl Display) -> String {
        self.at(&format!("/members/{user}/roles"))
    }

    pub fn member_invite(&self, user: impl Display) -> String {
        self.at(&format!("/members/{user}/invite"))
    }

    pub fn pending(&self) -> String {
        self.at("/members#pending")
    }

    pub fn pending_revoke(&self, id: impl Display) -> String {
        self.at(&format!("/members/pending/{id}/revoke"))
    }

    pub fn audit(&self) -> String {
        self.at("/audit")
    }

    pub fn audit_of(&self, person: impl Display) -> String {
        self.at(&format!("/audit?person={person}"))
    }

    pub fn audit_export(&self, query: &str) -> String {
        self.at(&format!("/audit.xlsx?{query}"))
    }

    pub fn questionnaire_schedule_delete(
        &self,
        id: impl Display,
        schedule: impl Display,
    ) -> String {
        self.at(&format!("/questionnaires/{id}/schedules/{schedule}/delete"))
    }

    pub fn questionnaire_action(&self, id: impl Display, action: &str) -> String {
        self.at(&format!("/questionnaires/{id}/{action}"))
    }

    pub fn question(&self, id: impl Display, key: impl Display) -> String {
        self.at(&format!("/questionnaires/{id}/questions/{key}"))
    }

    pub fn assignment_export(&self, id: impl Display) -> String {
        self.at(&format!("/assignments/{id}/export.xlsx"))
    }

    pub fn assignment_remind(&self, id: impl Display) -> String {
        self.at(&format!("/assignments/{id}/remind"))
    }

    /// A pair's meetings (the journal) and where a new one is logged.
    pub fn meetings(&self, pair: impl Display) -> String {
        self.at(&format!("/pairs/{pair}/meetings"))
    }

    pub fn meeting_feedback(&self, pair: impl Display, meeting: impl Display) -> String {
        self.at(&format!("/pairs/{pair}/meetings/{meeting}/feedback"))
    }

    pub fn meetings_xlsx(&self, pair: impl Display) -> String {
        self.at(&format!("/pairs/{pair}/meetings.xlsx"))
    }

    /// One occurrence of an activity (its original date: YYYY-MM-DD).
    pub fn activity(&self, id: impl Display, on_date: impl Display) -> String {
        self.at(&format!("/activities/{id}/{on_date}"))
    }

    /// The activity as an .ics file.
    pub fn activity_ics(&self, id: impl Display) -> String {
        self.at(&format!("/activities/{id}/ics"))
    }

    /// The organization's case library, and one case.
    pub fn cases(&self) -> String {
        self.at("/cases")
    }

    /// The director's dashboard: the indicators and the state of the programs.
    pub fn dashboard(&self) -> String {
        self.at("/dashboard")
    }

    /// The people behind an indicator (with the period's query, e.g. `?from=…&to=…`).
    pub fn indicator(&self, code: &str, query: &str) -> String {
        self.at(&format!("/reports/indicators/{code}{query}"))
    }

    /// The indicators and counts as XLSX (with the period's query).
    pub fn indicators_xlsx(&self, query: &str) -> String {
        self.at(&format!("/reports/indicators.xlsx{query}"))
    }

    pub fn case(&self, id: impl Display) -> String {
        self.at(&format!("/cases/{id}"))
    }

    /// The person's calendar: their feed links.
    pub fn calendar(&self) -> String {
        self.at("/calendar")
    }

    /// The first visible mentee's plan of a pair.
    pub fn plan(&self, pair: impl Display) -> String {
        self.at(&format!("/pairs/{pair}/plan"))
    }

    /// One mentee's individual plan (and where its analysis is saved).
    pub fn plan_of(&self, pair: impl Display, person: impl Display) -> String {
        self.at(&format!("/pairs/{pair}/plan/{person}"))
    }

    pub fn plan_goals(&self, pair: impl Display, person: impl Display) -> String {
        self.at(&format!("/pairs/{pair}/plan/{person}/goals"))
    }

    pub fn plan_goal(
        &self,
        pair: impl Display,
        person: impl Display,
        goal: impl Display,
    ) -> String {
        self.at(&format!("/pairs/{pair}/plan/{person}/goals/{goal}"))
    }

    /// The pair's completion, its results and final reports.
    pub fn complete(&self, pair: impl Display) -> String {
        self.at(&format!("/pairs/{pair}/complete"))
    }

    /// The pair's progress diary.
    pub fn diary(&self, pair: impl Display) -> String {
        self.at(&format!("/pairs/{pair}/diary"))
    }

    pub fn my_pair(&self, pair: impl Display) -> String {
        self.at(&format!("/my/pairs/{pair}"))
    }

    pub fn questionnaires(&self) -> String {
        self.at("/questionnaires")
    }

    pub fn questionnaire(&self, id: impl Display) -> String {
        self.at(&format!("/questionnaires/{id}"))
    }

    pub fn assignment(&self, id: impl Display) -> String {
        self.at(&format!("/assignments/{id}"))
    }

    pub fn answers(&self, assignment: impl Display, person: impl Display) -> String {
        self.at(&format!("/assignments/{assignment}/answers/{person}"))
    }

    pub fn fill_for(&self, assignment: impl Display, person: impl Display) -> String {
        self.at(&format!("/assignments/{assignment}/fill/{person}"))
    }

    pub fn my_form(&self, assignment: impl Display) -> String {
        self.at(&format!("/my/forms/{assignment}"))
    }

    pub fn notifications(&self) -> String {
        self.at("/notifications")
    }

    /// The notifications' pages: the page number follows.
    pub fn notifications_pages(&self) -> String {
        self.at("/notifications?page=")
    }

    pub fn notification_prefs(&self) -> String {
        self.at("/notifications/settings")
    }

    pub fn notifications_read_all(&self) -> String {
        self.at("/notifications/read-all")
    }

    pub fn notification(&self, id: impl Display) -> String {
        self.at(&format!("/notifications/{id}"))
    }
}

/// Outside an organization: the pages of accounts and of the platform admin.
pub const LOGIN: &str = "/login";
pub const LOGOUT: &str = "/logout";
pub const CHOOSER: &str = "/orgs";
pub const ADMIN: &str = "/admin";
pub const ADMIN_NEW_ORG: &str = "/admin/orgs/new";

pub fn admin_org(id: impl Display) -> String {
    format!("/admin/orgs/{id}")
}

/// The platform admin's «Почта и задания».
pub fn admin_mail() -> String {
    "/admin/mail".into()
}

pub fn admin_resend(message: impl Display) -> String {
    format!("/admin/mail/{message}/resend")
}

pub fn admin_retry(job: impl Display) -> String {
    format!("/admin/jobs/{job}/retry")
}

/// Outside an organization: an invitation to a membership, a one-time link.
pub fn invitation(id: impl Display, answer: &str) -> String {
    format!("/invitations/{id}/{answer}")
}

/// A calendar feed at its secret link.
pub fn calendar_feed(token: &str) -> String {
    format!("/calendar/{token}.ics")
}

/// The one-click unsubscribe page of an e-mail.
pub fn unsubscribe(token: &str) -> String {
    format!("/unsubscribe/{token}")
}

pub fn invite(token: &str) -> String {
    format!("/invite/{token}")
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
