//! The audit trail of personal data: every change to a person or consent, every import, every
//! export and every printout of login slips. Append-only (a trigger refuses UPDATE and DELETE).
//! It stands under the domains that record into it: who acts is anything that says [`Who`]
//! (`tenancy::OrgCtx` does); the log's page is `home::pages::audit`.

pub mod forget;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

/// Who acts, as the trail names them: the organization, the account and the client's address.
pub trait Who {
    fn who(&self) -> (Uuid, Uuid, &str);
}

impl<T: Who + ?Sized> Who for &T {
    fn who(&self) -> (Uuid, Uuid, &str) {
        (**self).who()
    }
}

pub const ACTIONS: [(&str, &str); 39] = [
    ("login", "вход"),
    ("login.failed", "неудачная попытка входа"),
    ("person.view", "просмотр карточки"),
    ("people.search", "поиск по базам"),
    ("people.list", "просмотр списка людей"),
    ("answers.view", "просмотр ответов человека"),
    ("results.view", "просмотр результатов анкеты"),
    ("import.preview", "просмотр файла импорта"),
    ("members.view", "просмотр пользователей"),
    ("matching.view", "просмотр подбора пар"),
    ("audit.export", "выгрузка журнала"),
    ("person.erase", "персональные данные удалены"),
    ("membership.invite", "приглашение в организацию"),
    ("membership.accept", "приглашение принято"),
    ("participants.view", "просмотр участников программы"),
    ("pairs.view", "просмотр пар"),
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
    ("response.change", "изменён отправленный ответ анкеты"),
    ("slips.print", "печать листков входа"),
    ("pair.create", "предложена пара"),
    ("pair.answer", "ответ на предложение пары"),
    ("pair.cancel", "пара отменена"),
    ("reports.indicator", "списки показателя"),
    ("reports.view", "просмотр отчёта"),
    ("reports.export", "выгрузка отчёта"),
    ("monitoring.view", "просмотр замеров участника"),
    ("monitoring.enter", "ввод замера"),
    ("monitoring.import", "замер из файла"),
    ("monitoring.from_answers", "замер из анкеты"),
    ("monitoring.report", "отчёт о влиянии"),
];

pub fn action_label(code: &str) -> &'static str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("действие")
}

/// Records a read of personal data (a card, a search, answers, a matching page) on its own
/// connection. `details` names nobody (ids and kinds only; a search's text is not kept).
pub async fn read(
    pool: &sqlx::PgPool,
    who: &impl Who,
    action: &str,
    person_id: Option<Uuid>,
    details: &str,
) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    viewed(&mut conn, who, action, person_id, details).await
}

/// Records a read of personal data on a connection of the pool outside any transaction (the
/// type says so: a transaction is not a `PoolConnection`). The entry is in the log before the
/// page is sent, but its commit does not wait for the disk (`synchronous_commit` off for this
/// statement's own transaction): a page view costs no flush of the write-ahead log, which held
/// the busiest pages at a third of their speed (issue 18); a crash of the database server can
/// lose the view entries of its last fraction of a second, never a change or a change's entry,
/// which commit with the change.
pub async fn viewed(
    conn: &mut sqlx::pool::PoolConnection<sqlx::Postgres>,
    who: &impl Who,
    action: &str,
    person_id: Option<Uuid>,
    details: &str,
) -> Result<(), sqlx::Error> {
    insert(conn, who.who(), (action, person_id, details), true).await
}

/// A login or a failed login of an account: one entry in each organization it belongs to (the
/// audit trail names the account by id only).
pub async fn login_event(
    conn: &mut PgConnection,
    user_id: Option<Uuid>,
    action: &str,
    ip: &str,
) -> Result<(), sqlx::Error> {
    let Some(user_id) = user_id else {
        return Ok(());
    };
    sqlx::query!(
        "INSERT INTO audit_log (org_id, user_id, ip, action)
         SELECT org_id, user_id, $2, $3 FROM memberships WHERE user_id = $1",
        user_id,
        ip,
        action,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records one entry for the organization of `who`. `details` must name nobody: people are
/// referred to by `person_id` (and accounts by id), so erasure never has to rewrite the log.
pub async fn record(
    conn: &mut PgConnection,
    who: &impl Who,
    action: &str,
    person_id: Option<Uuid>,
    details: &str,
) -> Result<(), sqlx::Error> {
    let (org_id, user_id, ip) = who.who();
    record_for(conn, org_id, user_id, ip, action, person_id, details).await
}

/// [`record`] without an organization context (e.g. accepting an invitation).
pub async fn record_for(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    ip: &str,
    action: &str,
    person_id: Option<Uuid>,
    details: &str,
) -> Result<(), sqlx::Error> {
    insert(
        conn,
        (org_id, user_id, ip),
        (action, person_id, details),
        false,
    )
    .await
}

/// One entry: who (organization, account, address) did what; with `view`, committed without
/// waiting for the disk (see [`viewed`]).
async fn insert(
    conn: &mut PgConnection,
    (org_id, user_id, ip): (Uuid, Uuid, &str),
    (action, person_id, details): (&str, Option<Uuid>, &str),
    view: bool,
) -> Result<(), sqlx::Error> {
    // A page view is written without waiting for the disk (`synchronous_commit` off for this
    // transaction): losing the last views in a crash is acceptable, a change is not.
    sqlx::query!(
        "INSERT INTO audit_log (org_id, user_id, ip, action, person_id, details)
         SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::uuid, $6::text
           FROM (SELECT CASE WHEN $7 THEN set_config('synchronous_commit', 'off', true) END) s",
        org_id,
        user_id,
        ip,
        action,
        person_id,
        details,
        view,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What the log page asks for: an action code (empty: any), a person, an account, dates in the
/// organization's clock (`offset_secs` east of UTC).
pub struct LogFilter {
    pub action: String,
    pub person_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub offset_secs: f64,
}

/// One entry of the log with the account's name and the person's numbered name parts (the
/// page formats the name; an erased person shows as erased).
pub struct LogRow {
    pub at: DateTime<Utc>,
    /// Who acted (their name is auth's: the page asks it).
    pub user_id: Option<Uuid>,
    pub ip: String,
    pub action: String,
    /// Whose data (their name is people's).
    pub person_id: Option<Uuid>,
    pub details: String,
}

/// The organization's newest `limit` entries under `f`.
pub async fn log_rows(
    conn: &mut PgConnection,
    org_id: Uuid,
    f: &LogFilter,
    limit: i64,
) -> Result<Vec<LogRow>, sqlx::Error> {
    sqlx::query_as!(
        LogRow,
        r#"SELECT a.at, a.user_id AS "user_id?", a.ip, a.action, a.person_id AS "person_id?", a.details
           FROM audit_log a
          WHERE a.org_id = $1 AND ($2 = '' OR a.action = $2) AND ($3::uuid IS NULL OR a.person_id = $3)
            AND ($4::uuid IS NULL OR a.user_id = $4)
            AND ($5::date IS NULL OR a.at >= ($5::date::timestamp - make_interval(secs => $8)))
            AND ($6::date IS NULL OR a.at < (($6::date + 1)::timestamp - make_interval(secs => $8)))
          ORDER BY a.at DESC, a.id DESC LIMIT $7"#,
        org_id,
        &f.action,
        f.person_id,
        f.user_id,
        f.from,
        f.to,
        limit,
        f.offset_secs,
    )
    .fetch_all(conn)
    .await
}
