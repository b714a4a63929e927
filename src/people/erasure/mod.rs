//! Erasure of a person's name from free text. Withdrawing a consent clears the person's own
//! records (`repo::anonymize`); what other people wrote about them — a mentor's meeting notes, a
//! one-person activity, a notification, an e-mail waiting in the outbox, an audit line, a signed
//! order's document — keeps its row and counts, with every form of the name, the e-mail and the
//! phone replaced by «Участник №N».
//!
//! Every text column of the schema is declared here, with the domain that owns it: either
//! [`FREE_TEXT`] (it may hold what someone typed, so the erasure scrubs it in the erasing
//! organization's rows) or [`CODED`] (it cannot hold a name, and why). A test compares the two
//! lists with the schema: a new text column fails it until it is declared.

use sqlx::PgConnection;
use uuid::Uuid;

mod scrub;
#[allow(unused_imports)]
pub use scrub::*;

/// Columns that may hold typed text, by table: scrubbed in the rows `scope` selects (`$1` is the
/// erasing organization).
#[derive(Clone, Copy, Debug)]
pub struct FreeText {
    pub domain: &'static str,
    pub table: &'static str,
    pub scope: &'static str,
    pub columns: &'static [&'static str],
}

pub const FREE_TEXT: &[FreeText] = &[
    FreeText {
        domain: "activities",
        table: "activities",
        scope: "org_id = $1",
        columns: &[
            "cancel_reason",
            "classes",
            "description",
            "expert",
            "link",
            "materials",
            "place",
            "recording",
            "topic",
        ],
    },
    FreeText {
        domain: "activities",
        table: "activity_exceptions",
        scope: "activity_id IN (SELECT id FROM activities WHERE org_id = $1)",
        columns: &["reason"],
    },
    FreeText {
        domain: "activities",
        table: "activity_feedback",
        scope: "org_id = $1",
        columns: &["comment"],
    },
    FreeText {
        domain: "activities",
        table: "activity_formats",
        scope: "org_id = $1",
        columns: &["label"],
    },
    FreeText {
        domain: "recruitment",
        table: "applications",
        scope: "org_id = $1",
        columns: &[
            "class_or_position",
            "contact",
            "full_name",
            "motivation",
            "reason",
        ],
    },
    FreeText {
        domain: "audit",
        table: "audit_log",
        scope: "org_id = $1",
        columns: &["details", "user_name"],
    },
    FreeText {
        domain: "completion",
        table: "best_mentors",
        scope: "org_id = $1",
        columns: &["reason"],
    },
    FreeText {
        domain: "completion",
        table: "cases",
        scope: "org_id = $1",
        columns: &["done", "problem", "quotes", "result", "title"],
    },
    FreeText {
        domain: "people",
        table: "consents",
        scope: "org_id = $1",
        columns: &[
            "document_ref",
            "representative_email",
            "representative_name",
            "representative_relation",
        ],
    },
    FreeText {
        domain: "plans",
        table: "diary_entries",
        scope: "org_id = $1",
        columns: &["done", "hard", "worked"],
    },
    FreeText {
        domain: "participants",
        table: "enrolments",
        scope: "org_id = $1",
        columns: &["results"],
    },
    FreeText {
        domain: "people",
        table: "import_uploads",
        scope: "org_id = $1",
        columns: &["filename", "parsed"],
    },
    FreeText {
        domain: "jobs",
        table: "jobs",
        scope: "org_id = $1",
        columns: &["last_error", "payload"],
    },
    FreeText {
        domain: "meetings",
        table: "meeting_feedback",
        scope: "org_id = $1",
        columns: &["comment"],
    },
    FreeText {
        domain: "meetings",
        table: "meetings",
        scope: "org_id = $1",
        columns: &[
            "cancel_reason",
            "done",
            "goal",
            "next_steps",
            "place",
            "private_note",
            "result",
            "topic",
        ],
    },
    FreeText {
        domain: "tenancy",
        table: "membership_invitations",
        scope: "org_id = $1",
        columns: &["email", "typed_name"],
    },
    FreeText {
        domain: "monitoring",
        table: "monitoring_parameters",
        scope: "org_id = $1",
        columns: &["title"],
    },
    FreeText {
        domain: "notifications",
        table: "notifications",
        scope: "org_id = $1",
        columns: &["link", "text"],
    },
    FreeText {
        domain: "tenancy",
        table: "organizations",
        scope: "id = $1",
        columns: &[
            "doc_curator_order",
            "doc_intro_order",
            "doc_regulation",
            "site_section_url",
        ],
    },
    FreeText {
        domain: "notifications",
        table: "outbox",
        scope: "org_id = $1",
        columns: &[
            "body_html",
            "body_text",
            "last_error",
            "link",
            "subject",
            "to_address",
            "to_name",
            "unsubscribe",
        ],
    },
    FreeText {
        domain: "pairing",
        table: "pair_members",
        scope: "org_id = $1",
        columns: &["comment"],
    },
    FreeText {
        domain: "orders",
        table: "pair_order_documents",
        scope: "org_id = $1",
        columns: &["document"],
    },
    FreeText {
        domain: "completion",
        table: "pair_results",
        scope: "org_id = $1",
        columns: &["links", "mentee_report", "mentor_report", "results"],
    },
    FreeText {
        domain: "pairing",
        table: "pairs",
        scope: "org_id = $1",
        columns: &["explanation"],
    },
    FreeText {
        domain: "people",
        table: "people",
        scope: "org_id = $1",
        columns: &[
            "class_name",
            "notes",
            "partner_org",
            "position",
            "subjects",
            "tags",
        ],
    },
    FreeText {
        domain: "people",
        table: "person_requests",
        scope: "org_id = $1",
        columns: &["text"],
    },
    FreeText {
        domain: "plans",
        table: "plan_goals",
        scope: "org_id = $1",
        columns: &["expected", "measure", "steps", "title"],
    },
    FreeText {
        domain: "plans",
        table: "plan_history",
        scope: "org_id = $1",
        columns: &["what"],
    },
    FreeText {
        domain: "plans",
        table: "plans",
        scope: "org_id = $1",
        columns: &[
            "growth_zones",
            "joint_analysis",
            "self_analysis",
            "strengths",
        ],
    },
    FreeText {
        domain: "monitoring",
        table: "program_swot",
        scope: "org_id = $1",
        columns: &["opportunities", "strengths", "threats", "weaknesses"],
    },
    FreeText {
        domain: "programs",
        table: "programs",
        scope: "org_id = $1",
        columns: &["description", "goal", "name"],
    },
    FreeText {
        domain: "questionnaires",
        table: "questionnaire_versions",
        scope: "org_id = $1",
        columns: &["definition"],
    },
    FreeText {
        domain: "questionnaires",
        table: "questionnaires",
        scope: "org_id = $1",
        columns: &["title"],
    },
    FreeText {
        domain: "questionnaires",
        table: "response_versions",
        scope: "org_id = $1",
        columns: &["answers"],
    },
    FreeText {
        domain: "questionnaires",
        table: "responses",
        scope: "org_id = $1",
        columns: &["answers"],
    },
    FreeText {
        domain: "roadmap",
        table: "roadmap_stages",
        scope: "org_id = $1",
        columns: &["result_text", "task_text", "title"],
    },
    FreeText {
        domain: "roadmap",
        table: "roadmap_tasks",
        scope: "org_id = $1",
        columns: &["period", "title"],
    },
    FreeText {
        domain: "territory",
        table: "school_figures",
        scope: "org_id = $1",
        columns: &["line"],
    },
    FreeText {
        domain: "activities",
        table: "topic_requests",
        scope: "org_id = $1",
        columns: &["text"],
    },
    FreeText {
        domain: "participants",
        table: "training_sessions",
        scope: "org_id = $1",
        columns: &["topic"],
    },
];

/// Text columns that cannot hold a name: (table, column, why).
pub const CODED: &[(&str, &str, &str)] = &[
    ("activities", "audience", "a fixed vocabulary"),
    (
        "activities",
        "format",
        "a format code or the organization's own label",
    ),
    ("activities", "leaders", "user ids (uuid[])"),
    ("activities", "level", "a fixed vocabulary"),
    ("activities", "repeat_days", "weekday numbers"),
    ("application_links", "role", "mentor or mentee"),
    ("application_links", "token", "a digest"),
    ("applications", "role", "mentor or mentee"),
    ("applications", "source", "a fixed vocabulary"),
    ("applications", "status", "a status"),
    ("assignments", "audience", "an audience code"),
    ("audit_log", "action", "an action code"),
    ("audit_log", "ip", "an address"),
    ("backups", "file", "a file name made by the app"),
    ("backups", "kind", "daily or weekly"),
    ("calendar_feeds", "digest", "a digest"),
    ("consents", "given_by", "self or representative"),
    ("consents", "scope", "a fixed vocabulary"),
    ("done_once", "key", "ids and dates"),
    ("done_once", "kind", "a kind code"),
    ("enrolments", "role", "a role"),
    ("enrolments", "status", "a status"),
    ("form_variants", "code", "the platform catalogue"),
    ("form_variants", "form_code", "the platform catalogue"),
    ("form_variants", "goal", "the platform catalogue"),
    ("form_variants", "title", "the platform catalogue"),
    ("invitations", "kind", "a kind code"),
    ("invitations", "token", "a digest"),
    ("jobs", "kind", "a kind code"),
    ("jobs", "locked_by", "host:pid"),
    ("jobs", "status", "a status"),
    ("jobs", "unique_key", "ids and dates"),
    ("login_throttle", "key", "a digest"),
    ("matching_settings", "objective", "an objective code"),
    ("matching_settings", "weights", "numbers"),
    ("measurements", "source", "a source code"),
    ("measurements", "stage", "entry or final"),
    ("meeting_feedback", "fit", "a fixed vocabulary"),
    ("meetings", "format", "a format code"),
    ("meetings", "kind", "a kind code"),
    ("membership_invitations", "roles", "role codes"),
    ("memberships", "roles", "role codes"),
    ("mentoring_forms", "code", "the platform catalogue"),
    ("mentoring_forms", "family", "the platform catalogue"),
    ("mentoring_forms", "goal", "the platform catalogue"),
    ("mentoring_forms", "mentee_side", "the platform catalogue"),
    ("mentoring_forms", "mentor_side", "the platform catalogue"),
    ("mentoring_forms", "results", "the platform catalogue"),
    ("mentoring_forms", "tasks", "the platform catalogue"),
    ("mentoring_forms", "title", "the platform catalogue"),
    ("monitoring_parameters", "question_key", "a question key"),
    ("monitoring_parameters", "role", "a role"),
    (
        "municipalities",
        "name",
        "the platform's list of territories",
    ),
    ("notification_prefs", "channel", "a channel code"),
    ("notification_prefs", "kind", "a kind code"),
    ("notifications", "kind", "a kind code"),
    ("org_forms", "form_code", "a catalogue code"),
    (
        "organizations",
        "full_name",
        "the organization's own name or place, set by the platform administrator (a school named after a person keeps its name)",
    ),
    ("organizations", "kind", "a kind code"),
    (
        "organizations",
        "municipality",
        "the organization's own name or place, set by the platform administrator (a school named after a person keeps its name)",
    ),
    (
        "organizations",
        "region",
        "the organization's own name or place, set by the platform administrator (a school named after a person keeps its name)",
    ),
    (
        "organizations",
        "short_name",
        "the organization's own name or place, set by the platform administrator (a school named after a person keeps its name)",
    ),
    ("organizations", "slug", "Latin letters, digits and hyphens"),
    ("organizations", "time_zone", "a time zone name"),
    ("outbox", "idempotency_key", "ids and digests"),
    ("outbox", "kind", "a kind code"),
    ("outbox", "status", "a status"),
    ("pair_members", "answer", "a status"),
    ("pair_members", "role", "a role"),
    ("pair_order_items", "action", "fix or cancel"),
    (
        "pair_orders",
        "curator_name",
        "staff names as signed: an approved order is frozen by a trigger (its document, pair_order_documents, is scrubbed)",
    ),
    (
        "pair_orders",
        "director_name",
        "staff names as signed: an approved order is frozen by a trigger (its document, pair_order_documents, is scrubbed)",
    ),
    ("pair_orders", "number", "the order's number"),
    ("pair_orders", "status", "a status"),
    ("pair_results", "decision", "continue or stop"),
    (
        "pair_results",
        "early_reason",
        "a fixed vocabulary (a check)",
    ),
    ("pair_results", "goals_reached", "a fixed vocabulary"),
    ("pairs", "scheme", "a scheme code"),
    ("pairs", "status", "a status"),
    ("pairs", "variant_code", "a catalogue code"),
    (
        "people",
        "email",
        "a person's own address: the erased person's row is cleared; anyone else's is theirs",
    ),
    (
        "people",
        "first_name",
        "a person's own name: the erased person's row is cleared; anyone else's is theirs",
    ),
    ("people", "kind", "a kind code"),
    (
        "people",
        "last_name",
        "a person's own name: the erased person's row is cleared; anyone else's is theirs",
    ),
    (
        "people",
        "middle_name",
        "a person's own name: the erased person's row is cleared; anyone else's is theirs",
    ),
    (
        "people",
        "phone",
        "a person's own phone: the erased person's row is cleared; anyone else's is theirs",
    ),
    (
        "people",
        "search_key",
        "derived from the name by a trigger (rebuilt when the name is cleared)",
    ),
    ("person_requests", "source", "a source code"),
    ("plan_goals", "horizon", "a fixed vocabulary"),
    ("plan_goals", "sphere", "a fixed vocabulary"),
    ("plan_goals", "stage", "a fixed vocabulary"),
    ("plan_goals", "status", "a status"),
    ("plans", "stages", "three or club (a check)"),
    ("plans", "sphere", "a fixed vocabulary"),
    ("program_variants", "variant_code", "a catalogue code"),
    ("programs", "form_code", "a catalogue code"),
    ("programs", "status", "a status"),
    ("questionnaire_schedules", "audience", "an audience code"),
    ("questionnaires", "purpose", "a purpose code"),
    ("questionnaires", "template_code", "a template code"),
    ("regions", "name", "the platform's list of territories"),
    ("responses", "status", "a status"),
    ("roadmap_tasks", "code", "a task code"),
    ("roadmap_tasks", "responsible_role", "a role"),
    ("roadmap_tasks", "status", "a status"),
    ("sessions", "id", "a digest"),
    ("unsubscribe_links", "kind", "a kind code"),
    ("unsubscribe_links", "token_hash", "a digest"),
    (
        "users",
        "email",
        "an account's own address: the person's own account is rewritten by the erasure, anyone else's is theirs",
    ),
    (
        "users",
        "full_name",
        "an account's own name: the person's own account is rewritten by the erasure, anyone else's is theirs",
    ),
    ("users", "login_kind", "a kind code"),
    ("users", "password_hash", "a digest"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_column_once() {
        let mut seen = std::collections::HashSet::new();
        for f in FREE_TEXT {
            for c in f.columns {
                assert!(seen.insert((f.table, *c)), "{}.{c} twice", f.table);
            }
        }
        for (t, c, _) in CODED {
            assert!(seen.insert((*t, *c)), "{t}.{c} twice");
        }
    }

    #[test]
    fn the_forms_of_a_name() {
        let p = pattern(("Ёлкин", "Пётр", "Ильич"), "p@x.ru", "+7 (912) 000-11-22").unwrap();
        assert!(p.contains("[еёЕЁ]"));
        assert!(p.contains("[пП][еёЕЁ][тТ][рР]"));
        assert!(p.contains("9[\\s()\\-]*1"));
        assert_eq!(pattern(("", "", ""), "", ""), None);
    }
}
