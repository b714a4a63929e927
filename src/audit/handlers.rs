use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::web::{AppState, OrgCtx, PageCtx};

pub struct Entry {
    pub at: String,
    pub user: String,
    pub ip: String,
    pub action: &'static str,
    pub person_id: String,
    pub person: String,
    pub details: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/log.html")]
pub struct AuditPage {
    pub ctx: PageCtx,
    pub base: String,
    pub entries: Vec<Entry>,
    pub actions: Vec<(&'static str, &'static str, bool)>,
    pub person: String,
}

type AuditRow = (
    chrono::DateTime<chrono::Utc>,
    String,
    String,
    String,
    Option<Uuid>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<bool>,
    String,
);

/// The director's (and curator's) view of the organization's audit trail.
pub async fn log(
    State(state): State<AppState>,
    org: OrgCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<AuditPage> {
    org.require_any(&[Role::Director, Role::Curator])?;
    let action = q.get("action").cloned().unwrap_or_default();
    let person = q.get("person").cloned().unwrap_or_default();
    let person_id = Uuid::parse_str(&person).ok();
    let mut conn = state.pool.acquire().await?;
    let rows: Vec<AuditRow> =
        sqlx::query_as(
            "SELECT a.at, coalesce(u.full_name, ''), a.ip, a.action, a.person_id, p.number, p.last_name, p.first_name,
                    p.anonymized_at IS NOT NULL, a.details
               FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN people p ON p.org_id = a.org_id AND p.id = a.person_id
              WHERE a.org_id = $1 AND ($2 = '' OR a.action = $2) AND ($3::uuid IS NULL OR a.person_id = $3)
              ORDER BY a.at DESC, a.id DESC LIMIT 500",
        )
        .bind(org.org.id)
        .bind(&action)
        .bind(person_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(AuditPage {
        ctx: org.page("Журнал действий с персональными данными", "audit"),
        base: org.url(""),
        entries: rows
            .into_iter()
            .map(
                |(at, user, ip, act, pid, number, last, first, anon, details)| Entry {
                    at: at
                        .with_timezone(
                            &chrono::FixedOffset::east_opt(3 * 3600)
                                .unwrap_or(chrono::FixedOffset::east_opt(0).expect("zero offset")),
                        )
                        .format("%d.%m.%Y %H:%M")
                        .to_string(),
                    user,
                    ip,
                    action: super::action_label(&act),
                    person_id: pid.map(|p| p.to_string()).unwrap_or_default(),
                    person: match (number, last, first, anon) {
                        (Some(n), Some(l), Some(f), Some(a)) => {
                            crate::people::model::display_name(n, &l, &f, "", a)
                        }
                        _ => String::new(),
                    },
                    details,
                },
            )
            .collect(),
        actions: super::ACTIONS
            .iter()
            .map(|(c, l)| (*c, *l, *c == action))
            .collect(),
        person,
    })
}
