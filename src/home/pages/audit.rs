//! «Журнал» (a page of `home`: it gathers the audit trail, the members' names and the people's
//! names): the audit trail of personal data, filtered by person, user, action and dates, and
//! its XLSX export.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;

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
    pub entries: Vec<Entry>,
    pub actions: Vec<crate::web::forms::Choice>,
    pub users: Vec<crate::web::forms::Choice>,
    pub person: String,
    pub from: String,
    pub to: String,
    pub export_query: String,
}

struct Query_ {
    action: String,
    person: String,
    user: String,
    from: String,
    to: String,
}

fn read_query(q: &HashMap<String, String>) -> Query_ {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    Query_ {
        action: get("action"),
        person: get("person"),
        user: get("user"),
        from: get("from"),
        to: get("to"),
    }
}

async fn entries(org: &OrgCtx, f: &Query_, limit: i64) -> AppResult<Vec<Entry>> {
    let filter = crate::audit::LogFilter {
        action: f.action.clone(),
        person_id: Uuid::parse_str(&f.person).ok(),
        user_id: Uuid::parse_str(&f.user).ok(),
        from: crate::web::forms::parse_date(&f.from),
        to: crate::web::forms::parse_date(&f.to),
        // The dates are the organization's: its offset from UTC.
        offset_secs: f64::from(org.org.offset().local_minus_utc()),
    };
    let mut conn = org.conn().await?;
    let rows = crate::audit::log_rows(&mut conn, org.org.id, &filter, limit).await?;
    let mut users: Vec<Uuid> = rows.iter().filter_map(|r| r.user_id).collect();
    users.sort();
    users.dedup();
    let names = crate::auth::full_names(&mut conn, &users).await?;
    let mut people: Vec<Uuid> = rows.iter().filter_map(|r| r.person_id).collect();
    people.sort();
    people.dedup();
    let cards = crate::people::cards(&mut conn, org.org.id, &people).await?;
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            at: org.org.local(r.at).format("%d.%m.%Y %H:%M").to_string(),
            user: r
                .user_id
                .and_then(|u| names.get(&u).cloned())
                .unwrap_or_default(),
            ip: r.ip,
            action: crate::audit::action_label(&r.action),
            person_id: r.person_id.map(|p| p.to_string()).unwrap_or_default(),
            person: r
                .person_id
                .and_then(|p| cards.get(&p))
                .map(|c| c.short_name())
                .unwrap_or_default(),
            details: r.details,
        })
        .collect())
}

/// The director's (and curator's) view of the organization's audit trail: by person, user,
/// action and dates (the last 500 entries; the XLSX holds up to 50,000).
pub async fn log(org: OrgCtx, Query(q): Query<HashMap<String, String>>) -> AppResult<AuditPage> {
    org.require_any(&[Role::Director, Role::Curator])?;
    let f = read_query(&q);
    let entries = entries(&org, &f, 500).await?;
    let mut conn = org.conn().await?;
    let users = crate::tenancy::member_names(&mut conn, org.org.id).await?;
    Ok(AuditPage {
        ctx: org.page("Журнал действий с персональными данными", "audit"),
        entries,
        actions: crate::web::forms::choices(&crate::audit::ACTIONS, &f.action),
        users: users
            .into_iter()
            .map(|(id, name)| crate::web::forms::Choice {
                selected: id.to_string() == f.user,
                value: id.to_string(),
                label: name,
            })
            .collect(),
        export_query: form_urlencoded::Serializer::new(String::new())
            .append_pair("action", &f.action)
            .append_pair("person", &f.person)
            .append_pair("user", &f.user)
            .append_pair("from", &f.from)
            .append_pair("to", &f.to)
            .finish(),
        person: f.person,
        from: f.from,
        to: f.to,
    })
}

/// The same entries as an XLSX file (the export itself is recorded).
pub async fn export(
    org: OrgCtx,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    use rust_xlsxwriter::{Format, Workbook};
    org.require_any(&[Role::Director, Role::Curator])?;
    let f = read_query(&q);
    let rows = entries(&org, &f, 50_000).await?;
    crate::audit::read(
        &org.state.pool,
        &org,
        "audit.export",
        None,
        &format!("{} записей", rows.len()),
    )
    .await?;
    let bytes =
        tokio::task::spawn_blocking(move || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
            let mut book = Workbook::new();
            let sheet = book.add_worksheet();
            let bold = Format::new().set_bold();
            for (i, h) in [
                "Когда",
                "Кто",
                "Действие",
                "Человек",
                "Подробности",
                "Адрес",
            ]
            .iter()
            .enumerate()
            {
                sheet.write_string_with_format(0, i as u16, *h, &bold)?;
            }
            let safe = crate::web::xlsx::safe_cell;
            for (r, e) in rows.iter().enumerate() {
                let r = r as u32 + 1;
                sheet.write_string(r, 0, &e.at)?;
                sheet.write_string(r, 1, safe(&e.user))?;
                sheet.write_string(r, 2, e.action)?;
                sheet.write_string(r, 3, safe(&e.person))?;
                sheet.write_string(r, 4, safe(&e.details))?;
                sheet.write_string(r, 5, safe(&e.ip))?;
            }
            sheet.autofit();
            book.save_to_buffer()
        })
        .await
        .map_err(crate::error::AppError::internal)?
        .map_err(crate::error::AppError::internal)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
