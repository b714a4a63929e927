//! The audit trail of personal data: every change to a person or consent, every import, every
//! export and every printout of login slips. Append-only (a trigger refuses UPDATE and DELETE).

pub mod handlers;

use axum::Router;
use axum::routing::get;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::web::{AppState, OrgCtx};

pub fn router() -> Router<AppState> {
    Router::new().route("/o/{slug}/audit", get(handlers::log))
}

pub const ACTIONS: [(&str, &str); 14] = [
    ("person.create", "человек добавлен"),
    ("person.update", "данные изменены"),
    ("consent.add", "согласие оформлено"),
    ("consent.withdraw", "согласие отозвано"),
    ("request.add", "запрос добавлен"),
    ("enrolment", "включение в программу"),
    ("import", "импорт из файла"),
    ("export", "выгрузка персональных данных"),
    ("account.create", "учётная запись создана"),
    ("account.code", "выдан код входа"),
    ("slips.print", "печать листков входа"),
    ("pair.create", "предложена пара"),
    ("pair.answer", "ответ на предложение пары"),
    ("pair.cancel", "пара отменена"),
];

pub fn action_label(code: &str) -> &'static str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("действие")
}

/// Records one entry for the organization of `who`.
pub async fn record(
    conn: &mut PgConnection,
    who: &OrgCtx,
    action: &str,
    person_id: Option<Uuid>,
    details: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (org_id, user_id, user_name, ip, action, person_id, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(who.org.id)
    .bind(who.user.id)
    .bind(&who.user.full_name)
    .bind(&who.ctx.ip)
    .bind(action)
    .bind(person_id)
    .bind(details)
    .execute(conn)
    .await?;
    Ok(())
}
