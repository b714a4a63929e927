//! Every path of the product, spelled once. `routes.rs` mounts each constant on its handler and
//! the builders of `paths/` fill the same constant with ids, so the route table and the links
//! cannot disagree: a path renamed here is renamed in both. A path's holes (`{id}`) are counted
//! when it compiles — `PERSON.with([&id])` with the wrong number of values does not build.
//!
//! Four tables, one per mount: [`top`] (absolute), [`territory`] (under `/t/{scope}`), [`org`]
//! (under `/o/{slug}`) and [`program`] (under `/o/{slug}/programs/{program}`).

use std::fmt::{Display, Write};

/// A path pattern with `N` holes, as axum reads it (`/people/{id}`).
#[derive(Clone, Copy, Debug)]
pub struct Path<const N: usize>(&'static str);

impl<const N: usize> Path<N> {
    /// The pattern the route table mounts.
    pub const fn pattern(&self) -> &'static str {
        self.0
    }

    /// The pattern with its holes filled in order, written after `prefix` (`/o/sosh-1`); the
    /// mount's own root (`/`) adds nothing after a prefix.
    pub fn under(&self, prefix: &str, args: [&dyn Display; N]) -> String {
        let mut out = String::with_capacity(prefix.len() + self.0.len() + 16 * N);
        out.push_str(prefix);
        if !prefix.is_empty() && self.0 == "/" {
            return out;
        }
        let mut args = args.into_iter();
        let mut rest = self.0;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            if let Some(value) = args.next() {
                let _ = write!(out, "{value}");
            }
            rest = rest[open..]
                .find('}')
                .map_or("", |close| &rest[open + close + 1..]);
        }
        out.push_str(rest);
        out
    }

    /// The pattern with its holes filled (an absolute path of the [`top`] table).
    pub fn with(&self, args: [&dyn Display; N]) -> String {
        self.under("", args)
    }
}

/// How many `{…}` holes a pattern has (counted when it compiles).
pub const fn holes(pattern: &str) -> usize {
    let bytes = pattern.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b'{' {
            n += 1;
        }
        i += 1;
    }
    n
}

macro_rules! paths {
    ($($(#[$meta:meta])* $name:ident = $pattern:literal;)*) => {
        use super::{holes, Path};
        $($(#[$meta])* pub const $name: Path<{ holes($pattern) }> = Path($pattern);)*
        /// Every pattern of this table (for the tests).
        #[allow(dead_code)]
        pub const ALL: &[(&str, &str)] = &[$((stringify!($name), $pattern)),*];
    };
}

/// Absolute paths: accounts, one-time links, the platform admin, and the mounts of the others.
pub mod top {
    paths! {
        ROOT = "/";
        LOGIN = "/login";
        LOGOUT = "/logout";
        CHOOSER = "/orgs";
        INVITATION_ACCEPT = "/invitations/{id}/accept";
        INVITATION_DECLINE = "/invitations/{id}/decline";
        APPLY = "/apply/{token}";
        /// A calendar feed: `{file}` is the secret token followed by `.ics`.
        CALENDAR_FEED = "/calendar/{file}";
        UNSUBSCRIBE = "/unsubscribe/{token}";
        INVITE = "/invite/{token}";
        ADMIN = "/admin";
        ADMIN_TERRITORIES = "/admin/territories";
        ADMIN_NEW_ORG = "/admin/orgs/new";
        ADMIN_ORG = "/admin/orgs/{id}";
        ADMIN_MAIL = "/admin/mail";
        ADMIN_RESEND = "/admin/mail/{id}/resend";
        ADMIN_RETRY = "/admin/jobs/{id}/retry";
        /// The mount of [`super::territory`].
        TERRITORY = "/t/{scope}";
        /// The mount of [`super::org`].
        ORG = "/o/{slug}";
    }
}

/// Under `/t/{scope}`: a municipality's or region's schools.
pub mod territory {
    paths! {
        SCHOOLS = "/";
        SCHOOLS_XLSX = "/schools.xlsx";
        SCHOOL = "/schools/{org}";
        MONITORING = "/monitoring";
        MONITORING_XLSX = "/monitoring.xlsx";
        CASES = "/cases";
        RECOUNT = "/recount";
    }
}

/// Under `/o/{slug}`: one organization.
pub mod org {
    paths! {
        HOME = "/";
        MEMBERS = "/members";
        PENDING_REVOKE = "/members/pending/{id}/revoke";
        MEMBER_INVITE = "/members/{user}/invite";
        MEMBER_ROLES = "/members/{user}/roles";
        SETTINGS = "/settings";
        AUDIT = "/audit";
        AUDIT_XLSX = "/audit.xlsx";
        MY_PAIR = "/my/pairs/{pair}";
        MEETINGS = "/pairs/{pair}/meetings";
        MEETING_FEEDBACK = "/pairs/{pair}/meetings/{id}/feedback";
        MEETINGS_XLSX = "/pairs/{pair}/meetings.xlsx";
        DASHBOARD = "/dashboard";
        REPORTS = "/reports";
        REPORTS_XLSX = "/reports/all.xlsx";
        REPORT = "/reports/{code}";
        REPORT_XLSX = "/reports/{code}/export.xlsx";
        INDICATORS_XLSX = "/reports/indicators.xlsx";
        INDICATOR = "/reports/indicators/{code}";
        CASES = "/cases";
        CASE = "/cases/{id}";
        CALENDAR = "/calendar";
        ACTIVITY_ICS = "/activities/{id}/ics";
        ACTIVITY_CANCEL = "/activities/{id}/cancel";
        ACTIVITY = "/activities/{id}/{date}";
        ACTIVITY_SIGNUP = "/activities/{id}/{date}/signup";
        ACTIVITY_FEEDBACK = "/activities/{id}/{date}/feedback";
        ACTIVITY_ATTENDANCE = "/activities/{id}/{date}/attendance";
        ACTIVITY_RECORDING = "/activities/{id}/{date}/recording";
        ACTIVITY_CHANGE = "/activities/{id}/{date}/change";
        COMPLETE = "/pairs/{pair}/complete";
        COMPLETE_REPORT = "/pairs/{pair}/complete/report";
        PLAN = "/pairs/{pair}/plan";
        PLAN_OF = "/pairs/{pair}/plan/{person}";
        PLAN_GOALS = "/pairs/{pair}/plan/{person}/goals";
        PLAN_GOAL = "/pairs/{pair}/plan/{person}/goals/{id}";
        DIARY = "/pairs/{pair}/diary";
        PROGRAMS = "/programs";
        PROGRAM_NEW = "/programs/new";
        /// The mount of [`super::program`].
        PROGRAM = "/programs/{program}";
        PEOPLE = "/people";
        PEOPLE_NEW = "/people/new";
        PEOPLE_BULK = "/people/bulk";
        SLIPS = "/people/slips";
        PEOPLE_XLSX = "/people/export.xlsx";
        IMPORT = "/people/import";
        IMPORT_UPLOAD = "/people/import/{id}";
        PERSON = "/people/{id}";
        PERSON_EDIT = "/people/{id}/edit";
        PERSON_CONSENTS = "/people/{id}/consents";
        CONSENT_WITHDRAW = "/people/{id}/consents/{consent}/withdraw";
        PERSON_REQUESTS = "/people/{id}/requests";
        PERSON_ENROL = "/people/{id}/enrol";
        PERSON_ACCOUNT = "/people/{id}/account";
        QUESTIONNAIRES = "/questionnaires";
        QUESTIONNAIRE = "/questionnaires/{id}";
        QUESTIONNAIRE_RENAME = "/questionnaires/{id}/rename";
        QUESTIONNAIRE_COPY = "/questionnaires/{id}/copy";
        QUESTIONS = "/questionnaires/{id}/questions";
        QUESTION = "/questionnaires/{id}/questions/{key}";
        QUESTIONNAIRE_ASSIGN = "/questionnaires/{id}/assign";
        SCHEDULES = "/questionnaires/{id}/schedules";
        SCHEDULE_DELETE = "/questionnaires/{id}/schedules/{schedule}/delete";
        ASSIGNMENT = "/assignments/{id}";
        ASSIGNMENT_XLSX = "/assignments/{id}/export.xlsx";
        ASSIGNMENT_REMIND = "/assignments/{id}/remind";
        ANSWERS = "/assignments/{id}/answers/{person}";
        FILL_FOR = "/assignments/{id}/fill/{person}";
        FILL_FOR_DRAFT = "/assignments/{id}/fill/{person}/draft";
        MY_FORM = "/my/forms/{id}";
        MY_FORM_DRAFT = "/my/forms/{id}/draft";
        NOTIFICATIONS = "/notifications";
        NOTIFICATION_PREFS = "/notifications/settings";
        NOTIFICATIONS_READ_ALL = "/notifications/read-all";
        NOTIFICATION = "/notifications/{id}";
    }
}

/// Under `/o/{slug}/programs/{program}`: one program.
pub mod program {
    paths! {
        CARD = "/";
        EDIT = "/edit";
        ROADMAP = "/roadmap";
        TASK_STATUS = "/roadmap/tasks/{task}/status";
        TASK_EDIT = "/roadmap/tasks/{task}/edit";
        TASK_DELETE = "/roadmap/tasks/{task}/delete";
        TASK_NEW = "/roadmap/stages/{stage}/tasks/new";
        PARTICIPANTS = "/participants";
        PARTICIPANTS_STATUS = "/participants/status";
        PARTICIPANTS_EARLIER = "/participants/earlier";
        TRAINING = "/training";
        TRAINING_SESSION = "/training/{session}";
        MATCHING = "/matching";
        MATCHING_ACCEPT = "/matching/accept";
        MATCHING_FORBID = "/matching/forbid";
        MATCHING_SETTINGS = "/matching/settings";
        MENTOR_MATCH = "/mentor-match";
        PAIRS = "/pairs";
        PAIR_PAPER = "/pairs/{pair}/paper";
        PAIR_CANCEL = "/pairs/{pair}/cancel";
        PAIR_VARIANT = "/pairs/{pair}/variant";
        ACTIVITIES = "/activities";
        ACTIVITY_NEW = "/activities/new";
        ACTIVITY_EDIT = "/activities/{id}/edit";
        TOPICS = "/topics";
        RATING = "/rating";
        APPLICATIONS = "/applications";
        APPLICATION = "/applications/{id}";
        POSTER = "/applications/poster/{role}";
        MONITORING = "/monitoring";
        PARAMETER_DELETE = "/monitoring/parameters/{id}/delete";
        PARAMETER_SOURCE = "/monitoring/parameters/{id}/source";
        MONITORING_FROM_ANSWERS = "/monitoring/{stage}/from-answers";
        MONITORING_REPORT = "/monitoring/report";
        MONITORING_PERSON = "/monitoring/person/{person}";
        QUALITY = "/monitoring/quality";
        MONITORING_IMPORT = "/monitoring/{stage}/import";
        MONITORING_STAGE = "/monitoring/{stage}";
        CLOSE = "/close";
        BEST = "/best";
        CERTIFICATES = "/certificates";
        CERTIFICATES_PRINT = "/certificates/print";
        HEALTH = "/health";
        HEALTH_XLSX = "/health.xlsx";
        RHYTHM = "/health/{pair}/rhythm";
        MENTOR_JOURNAL = "/journal/{person}";
        MENTOR_JOURNAL_XLSX = "/journal/{person}/xlsx";
        ORDERS = "/orders";
        ORDERS_AMEND = "/orders/amend";
        ORDER = "/orders/{id}";
        ORDER_DOCX = "/orders/{id}/docx";
        ORDER_APPROVE = "/orders/{id}/approve";
        ORDER_DELETE = "/orders/{id}/delete";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_filled_in_order_and_the_mount_root_adds_nothing() {
        assert_eq!(org::PERSON.under("/o/s", [&"P"]), "/o/s/people/P");
        assert_eq!(
            org::CONSENT_WITHDRAW.under("/o/s", [&1, &2]),
            "/o/s/people/1/consents/2/withdraw"
        );
        assert_eq!(org::HOME.under("/o/s", []), "/o/s");
        assert_eq!(top::ROOT.with([]), "/");
        assert_eq!(top::INVITE.with([&"abc"]), "/invite/abc");
        assert_eq!(top::ORG.with([&"sosh-1"]), "/o/sosh-1");
    }

    #[test]
    fn every_pattern_is_well_formed_and_spelled_once_in_its_table() {
        for table in [top::ALL, territory::ALL, org::ALL, program::ALL] {
            let mut seen = std::collections::HashSet::new();
            for (name, pattern) in table {
                assert!(pattern.starts_with('/'), "{name}: {pattern}");
                assert!(
                    pattern == &"/" || !pattern.ends_with('/'),
                    "{name}: {pattern}"
                );
                assert_eq!(
                    pattern.matches('{').count(),
                    pattern.matches('}').count(),
                    "{name}: {pattern}"
                );
                assert!(seen.insert(*pattern), "{name}: {pattern} twice");
            }
        }
    }
}
