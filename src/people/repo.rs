//! Queries of people, consents, requests and enrolments. Every function takes the organization
//! id first.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

/// SQL: the person `p` is (or is treated as) under 18.
pub const MINOR_SQL: &str = "(CASE WHEN p.birth_date IS NOT NULL
        THEN p.birth_date > (current_date - interval '18 years')::date
        ELSE p.kind IN ('pupil', 'student') END)";

/// SQL: the person `p` has a valid consent.
pub fn valid_consent_sql() -> String {
    format!(
        "EXISTS (SELECT 1 FROM consents c WHERE c.org_id = p.org_id AND c.person_id = p.id
                  AND c.withdrawn_on IS NULL AND (c.given_by = 'representative' OR NOT {MINOR_SQL}))"
    )
}

/// A person of the bases: the fields a form edits ([`PersonInput`], reached through `Deref`) and
/// what the system keeps about them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Person {
    pub id: Uuid,
    pub number: i64,
    #[sqlx(flatten)]
    pub fields: PersonInput,
    pub user_id: Option<Uuid>,
    pub anonymized_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub has_consent: bool,
    pub minor: bool,
}

impl std::ops::Deref for Person {
    type Target = PersonInput;

    fn deref(&self) -> &PersonInput {
        &self.fields
    }
}

fn person_cols() -> String {
    format!(
        "p.id, p.number, p.last_name, p.first_name, p.middle_name, p.kind, p.class_name,
         p.birth_date, p.subjects, p.experience_years, p.position, p.partner_org, p.email, p.phone,
         p.notes, p.user_id, p.in_mentor_base, p.in_mentee_base, p.tags, p.anonymized_at, p.version,
         {} AS has_consent, {MINOR_SQL} AS minor",
        valid_consent_sql()
    )
}

pub async fn person(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<Person>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM people p WHERE p.org_id = $1 AND p.id = $2",
        person_cols()
    )))
    .bind(org_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Filters of the bases pages.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// "mentor", "mentee", "noconsent" or "" (everyone).
    pub base: String,
    pub q: String,
    pub kind: String,
    pub class_name: String,
    pub tag: String,
    pub program: Option<Uuid>,
    pub status: String,
    /// "yes", "no" or "".
    pub consent: String,
    /// "name", "class", "new".
    pub sort: String,
    pub page: i64,
}

pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListRow {
    pub id: Uuid,
    pub number: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub kind: String,
    pub class_name: String,
    pub tags: Vec<String>,
    pub anonymized_at: Option<DateTime<Utc>>,
    pub has_consent: bool,
    pub minor: bool,
    pub has_account: bool,
    pub programs: String,
}

fn push_filter(qb: &mut QueryBuilder<Postgres>, org_id: Uuid, f: &Filter) {
    qb.push(" FROM people p WHERE p.org_id = ")
        .push_bind(org_id);
    match f.base.as_str() {
        "mentor" => {
            qb.push(" AND (p.in_mentor_base OR EXISTS (SELECT 1 FROM enrolments e WHERE e.org_id = p.org_id AND e.person_id = p.id AND e.role = 'mentor'))");
        }
        "mentee" => {
            qb.push(" AND (p.in_mentee_base OR EXISTS (SELECT 1 FROM enrolments e WHERE e.org_id = p.org_id AND e.person_id = p.id AND e.role = 'mentee'))");
        }
        "noconsent" => {
            qb.push(format!(" AND NOT {}", valid_consent_sql()));
        }
        _ => {}
    }
    // Every word of the query anywhere in the folded name or e-mail (any case, ё = е), without
    // the server's lower() (see migrations/…_russian_text.sql).
    for word in super::model::fold(&f.q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(5)
    {
        let like = format!(
            "%{}%",
            word.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        // Within one organization the scan of its own people (a school: hundreds to a few
        // thousand rows) beats the trigram index, whose lists span every organization: `|| ''`
        // keeps the planner on the organization's index (2–3× faster on the region data set,
        // and it does not grow with the number of schools).
        qb.push(" AND (p.search_key || '') LIKE ").push_bind(like);
    }
    if !f.kind.is_empty() {
        qb.push(" AND p.kind = ").push_bind(&f.kind);
    }
    if !f.class_name.is_empty() {
        qb.push(" AND p.class_name = ").push_bind(&f.class_name);
    }
    if !f.tag.is_empty() {
        qb.push(" AND ").push_bind(&f.tag).push(" = ANY (p.tags)");
    }
    if let Some(program) = f.program {
        qb.push(" AND EXISTS (SELECT 1 FROM enrolments e WHERE e.org_id = p.org_id AND e.person_id = p.id AND e.program_id = ")
            .push_bind(program);
        if !f.status.is_empty() {
            qb.push(" AND e.status = ").push_bind(&f.status);
        }
        qb.push(")");
    } else if !f.status.is_empty() {
        qb.push(" AND EXISTS (SELECT 1 FROM enrolments e WHERE e.org_id = p.org_id AND e.person_id = p.id AND e.status = ")
            .push_bind(&f.status)
            .push(")");
    }
    match f.consent.as_str() {
        "yes" => {
            qb.push(format!(" AND {}", valid_consent_sql()));
        }
        "no" => {
            qb.push(format!(" AND NOT {}", valid_consent_sql()));
        }
        _ => {}
    }
}

/// One page of people matching `f`, and the total count.
impl Filter {
    /// What decides the count of the list: the filter without its page and order.
    pub fn count_key(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}|{:?}|{}|{}",
            self.base,
            self.q,
            self.kind,
            self.class_name,
            self.tag,
            self.program,
            self.status,
            self.consent
        )
    }
}

/// How many people pass the filter `f`.
pub async fn count(conn: &mut PgConnection, org_id: Uuid, f: &Filter) -> Result<i64, sqlx::Error> {
    let mut count = QueryBuilder::<Postgres>::new("SELECT count(*)");
    push_filter(&mut count, org_id, f);
    count.build_query_scalar().fetch_one(&mut *conn).await
}

/// One page of the people who pass the filter `f`, in its order.
pub async fn list(
    conn: &mut PgConnection,
    org_id: Uuid,
    f: &Filter,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let mut qb = QueryBuilder::<Postgres>::new(format!(
        "SELECT p.id, p.number, p.last_name, p.first_name, p.middle_name, p.kind, p.class_name, p.tags,
                p.anonymized_at, {} AS has_consent, {MINOR_SQL} AS minor, p.user_id IS NOT NULL AS has_account,
                coalesce((SELECT string_agg(pr.name || ' (' || CASE e.role WHEN 'mentor' THEN 'наставник' ELSE 'наставляемый' END || ')', ', ' ORDER BY pr.starts_on DESC)
                            FROM enrolments e JOIN programs pr ON pr.id = e.program_id
                           WHERE e.org_id = p.org_id AND e.person_id = p.id), '') AS programs",
        valid_consent_sql()
    ));
    push_filter(&mut qb, org_id, f);
    qb.push(match f.sort.as_str() {
        "class" => " ORDER BY p.class_name, p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu, p.number",
        "new" => " ORDER BY p.created_at DESC, p.number DESC",
        _ => " ORDER BY p.anonymized_at IS NOT NULL, p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu, p.middle_name COLLATE ru_icu, p.number",
    });
    qb.push(" LIMIT ")
        .push_bind(PAGE_SIZE)
        .push(" OFFSET ")
        .push_bind(f.page.max(0) * PAGE_SIZE);
    qb.build_query_as().fetch_all(&mut *conn).await
}

pub async fn classes(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT class_name FROM people WHERE org_id = $1 AND class_name <> '' ORDER BY 1 LIMIT 1000",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// The fields of a person a form edits.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct PersonInput {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub kind: String,
    pub class_name: String,
    pub birth_date: Option<NaiveDate>,
    pub subjects: String,
    pub experience_years: Option<i32>,
    pub position: String,
    pub partner_org: String,
    pub email: String,
    pub phone: String,
    pub notes: String,
    pub in_mentor_base: bool,
    pub in_mentee_base: bool,
    pub tags: Vec<String>,
}

impl PersonInput {
    /// Whether anything beyond name, class and kind is filled in.
    pub fn has_extra_personal_data(&self) -> bool {
        self.birth_date.is_some()
            || !self.subjects.is_empty()
            || self.experience_years.is_some()
            || !self.position.is_empty()
            || !self.partner_org.is_empty()
            || !self.email.is_empty()
            || !self.phone.is_empty()
            || !self.notes.is_empty()
            || !self.tags.is_empty()
    }
}

pub async fn insert(
    conn: &mut PgConnection,
    org_id: Uuid,
    p: &PersonInput,
) -> Result<Uuid, sqlx::Error> {
    let q = sqlx::query(
        "INSERT INTO people (org_id, last_name, first_name, middle_name, kind, class_name, birth_date,
                subjects, experience_years, position, partner_org, email, phone, notes,
                in_mentor_base, in_mentee_base, tags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         RETURNING id",
    )
    .bind(org_id);
    let row = bind_person(q, p).fetch_one(conn).await?;
    sqlx::Row::try_get(&row, "id")
}

type PgQuery<'q> = sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>;

/// Binds the sixteen fields of a person, in the order of the INSERT and UPDATE above.
fn bind_person<'q>(q: PgQuery<'q>, p: &'q PersonInput) -> PgQuery<'q> {
    q.bind(&p.last_name)
        .bind(&p.first_name)
        .bind(&p.middle_name)
        .bind(&p.kind)
        .bind(&p.class_name)
        .bind(p.birth_date)
        .bind(&p.subjects)
        .bind(p.experience_years)
        .bind(&p.position)
        .bind(&p.partner_org)
        .bind(&p.email)
        .bind(&p.phone)
        .bind(&p.notes)
        .bind(p.in_mentor_base)
        .bind(p.in_mentee_base)
        .bind(&p.tags)
}

/// Saves if `version` is current; false on a concurrent change.
pub async fn update(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    version: i32,
    p: &PersonInput,
) -> Result<bool, sqlx::Error> {
    let q = sqlx::query(
        "UPDATE people SET last_name = $4, first_name = $5, middle_name = $6, kind = $7,
                class_name = $8, birth_date = $9, subjects = $10, experience_years = $11,
                position = $12, partner_org = $13, email = $14, phone = $15, notes = $16,
                in_mentor_base = $17, in_mentee_base = $18, tags = $19,
                version = version + 1, updated_at = now()
          WHERE org_id = $1 AND id = $2 AND version = $3 AND anonymized_at IS NULL",
    )
    .bind(org_id)
    .bind(id)
    .bind(version);
    let n = bind_person(q, p).execute(conn).await?.rows_affected();
    Ok(n == 1)
}

/// Every table that refers to a person, and what erasure does there. A test compares this list
/// with the database's own list of tables holding a person reference (`person_id`, `mentor_id`,
/// `mentee_id`): a new table must be added here — and handled in [`anonymize`] — to pass.
pub const ERASURE_COVERS: &[(&str, &str)] = &[
    (
        "people",
        "name, birth date, contacts, notes, tags cleared; «Участник №N» stays",
    ),
    (
        "consents",
        "representative's name and relation, document reference cleared; dates stay",
    ),
    ("person_requests", "deleted"),
    ("enrolments", "kept (counts); results text cleared"),
    ("training_attendance", "kept (a mark, no personal data)"),
    ("assignment_targets", "deleted"),
    ("responses", "deleted (answers are personal data)"),
    ("pair_members", "the person's comment cleared"),
    (
        "meeting_feedback",
        "the person's comment cleared; the rating stays",
    ),
    (
        "pairs",
        "kept: the mentor by id; explanations name criteria, not people",
    ),
    (
        "plans",
        "deleted with their goals and history (the mentee's plan is personal data)",
    ),
    ("diary_entries", "deleted"),
    ("meeting_attendance", "kept (a mark, no personal data)"),
    (
        "activities",
        "kept: a one-person activity refers to the person by id",
    ),
    ("activity_signups", "kept (sign-up and attendance marks)"),
    ("measurements", "deleted (monitoring values of the person)"),
    ("best_mentors", "deleted (a nomination names the person)"),
    (
        "applications",
        "deleted (the application names the person and their contact)",
    ),
    (
        "activity_feedback",
        "the person's comment cleared; the rating stays",
    ),
    ("matching_forbidden", "deleted"),
    ("membership_invitations", "deleted"),
    ("audit_log", "kept: entries refer to the person by id only"),
    (
        "outbox",
        "e-mail to the person's addresses or naming them deleted, sent or not",
    ),
];

/// Withdrawal of consent: one erasure of everything the platform holds about the person; the
/// row (its number, enrolments, pairs, counts) stays as «Участник №…». Their account is
/// disabled and de-personalised (or, if it belongs to other organizations too, only leaves this
/// one). Runs inside the caller's transaction.
pub async fn anonymize(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<(), sqlx::Error> {
    type Row = (i64, String, String, String, String, Option<Uuid>);
    let Some((number, last, first, middle, phone, user_id)): Option<Row> = sqlx::query_as(
        "SELECT number, last_name, first_name, middle_name, phone, user_id FROM people
              WHERE org_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(org_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    // E-mail to the person (their address in the base or their account's) or naming them.
    let addresses: Vec<String> = sqlx::query_scalar(
        "SELECT lower(a) FROM (SELECT p.email AS a FROM people p WHERE p.org_id = $1 AND p.id = $2
                              UNION SELECT u.email FROM people p JOIN users u ON u.id = p.user_id
                               WHERE p.org_id = $1 AND p.id = $2) x WHERE a <> ''",
    )
    .bind(org_id)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    // What others typed about the person (meeting notes, a one-person activity, a case, an
    // order's document, e-mails and notifications …): every form of the name, the e-mails and
    // the phone become «Участник №N», in every declared free-text column of this organization.
    let forms: Vec<String> = std::iter::once(super::erasure::pattern(
        (&last, &first, &middle),
        "",
        &phone,
    ))
    .chain(
        addresses
            .iter()
            .map(|a| super::erasure::pattern(("", "", ""), a, "")),
    )
    .flatten()
    .collect();
    // One pass over the free text for every form at once.
    let pattern = (!forms.is_empty()).then(|| forms.join("|"));
    // Their own final report in a pair of their own.
    sqlx::query(
        "UPDATE pair_results r SET mentee_report = '' WHERE r.org_id = $1
            AND r.pair_id IN (SELECT pair_id FROM pair_members WHERE org_id = $1 AND person_id = $2
                                AND role = 'mentee')
            AND (SELECT count(*) FROM pair_members m WHERE m.pair_id = r.pair_id AND m.role = 'mentee') = 1",
    )
    .bind(org_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let names: Vec<String> = [format!("{last} {first}"), format!("{first} {last}")]
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| n.chars().count() > 3)
        .collect();
    crate::notifications::forget_mail(&mut *conn, org_id, &addresses, &names).await?;
    // Notifications that name the person (to anyone in the organization).
    for name in [format!("{last} {first}"), format!("{first} {last}")] {
        if name.trim().chars().count() > 3 {
            sqlx::query("DELETE FROM notifications WHERE org_id = $1 AND strpos(text, $2) > 0")
                .bind(org_id)
                .bind(name.trim())
                .execute(&mut *conn)
                .await?;
        }
    }
    sqlx::query(
        "UPDATE people SET last_name = '', first_name = '', middle_name = '', birth_date = NULL,
                subjects = '', experience_years = NULL, position = '', partner_org = '', email = '',
                phone = '', notes = '', tags = '{}', anonymized_at = now(), version = version + 1,
                updated_at = now(), user_id = NULL
          WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for sql in [
        "DELETE FROM person_requests WHERE org_id = $1 AND person_id = $2",
        "UPDATE consents SET representative_name = '', representative_relation = '', document_ref = '',
                representative_email = '', inform_representative = false
          WHERE org_id = $1 AND person_id = $2",
        "UPDATE enrolments SET results = '' WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM responses WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM assignment_targets WHERE org_id = $1 AND person_id = $2",
        "UPDATE pair_members SET comment = '' WHERE org_id = $1 AND person_id = $2",
        "UPDATE meeting_feedback SET comment = '' WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM plans WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM diary_entries WHERE org_id = $1 AND person_id = $2",
        "UPDATE activity_feedback SET comment = '' WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM applications WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM measurements WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM best_mentors WHERE org_id = $1 AND person_id = $2",
        "DELETE FROM matching_forbidden WHERE org_id = $1 AND (mentor_id = $2 OR mentee_id = $2)",
        "DELETE FROM membership_invitations WHERE org_id = $1 AND person_id = $2",
        // A class list that may hold the person's row and is not imported yet.
        "DELETE FROM import_uploads WHERE org_id = $1 AND imported_at IS NULL AND $2::uuid IS NOT NULL",
    ] {
        sqlx::query(sql)
            .bind(org_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    let replacement = format!("Участник №{number}");
    if let Some(pattern) = pattern {
        super::erasure::scrub(&mut *conn, org_id, &pattern, &replacement).await?;
    }
    if let Some(uid) = user_id {
        // An account that is anyone's beyond this participant (a staff role here, another
        // organization, the platform, a territory) only loses the link and the participant's
        // roles: it is never disabled or rewritten.
        if crate::tenancy::account_is_shared(&mut *conn, org_id, uid).await? {
            sqlx::query(
                "UPDATE memberships SET roles = ARRAY(SELECT r FROM unnest(roles) r
                                                       WHERE r NOT IN ('mentor', 'mentee'))
                  WHERE org_id = $1 AND user_id = $2",
            )
            .bind(org_id)
            .bind(uid)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2 AND roles = '{}'",
            )
            .bind(org_id)
            .bind(uid)
            .execute(&mut *conn)
            .await?;
            return Ok(());
        }
        sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(uid)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM notifications WHERE org_id = $1 AND user_id = $2")
            .bind(org_id)
            .bind(uid)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE users SET email = 'erased-' || id::text, full_name = $2,
                    password_hash = NULL, disabled_at = now(), is_platform_admin = false
              WHERE id = $1",
        )
        .bind(uid)
        .bind(format!("Участник №{number}"))
        .execute(&mut *conn)
        .await?;
        for sql in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM invitations WHERE user_id = $1",
            "DELETE FROM membership_invitations WHERE user_id = $1",
            "DELETE FROM notifications WHERE user_id = $1",
        ] {
            sqlx::query(sql).bind(uid).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Consent {
    pub id: Uuid,
    pub given_by: String,
    pub representative_name: String,
    pub representative_relation: String,
    pub given_on: NaiveDate,
    pub scope: String,
    pub document_ref: String,
    pub withdrawn_on: Option<NaiveDate>,
}

pub async fn consents(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<Consent>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, given_by, representative_name, representative_relation, given_on, scope,
                document_ref, withdrawn_on
           FROM consents WHERE org_id = $1 AND person_id = $2 ORDER BY given_on DESC, created_at DESC LIMIT 200",
    )
    .bind(org_id)
    .bind(person_id)
    .fetch_all(conn)
    .await
}

pub struct ConsentInput<'a> {
    pub given_by: &'a str,
    pub representative_name: &'a str,
    pub representative_relation: &'a str,
    /// The representative's e-mail (optional) and whether the curator turned on telling them
    /// what concerns the child.
    pub representative_email: &'a str,
    pub inform_representative: bool,
    pub given_on: NaiveDate,
    pub scope: &'a str,
    pub document_ref: &'a str,
}

pub async fn add_consent(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    by: Uuid,
    c: &ConsentInput<'_>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO consents (org_id, person_id, given_by, representative_name,
                representative_relation, given_on, scope, document_ref, created_by,
                representative_email, inform_representative)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(org_id)
    .bind(person_id)
    .bind(c.given_by)
    .bind(c.representative_name)
    .bind(c.representative_relation)
    .bind(c.given_on)
    .bind(c.scope)
    .bind(c.document_ref)
    .bind(by)
    .bind(c.representative_email)
    .bind(c.inform_representative && !c.representative_email.is_empty())
    .fetch_one(conn)
    .await
}

pub async fn withdraw_consent(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    consent_id: Uuid,
    on: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "UPDATE consents SET withdrawn_on = $4
          WHERE org_id = $1 AND person_id = $2 AND id = $3 AND withdrawn_on IS NULL",
    )
    .bind(org_id)
    .bind(person_id)
    .bind(consent_id)
    .bind(on)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The person and, if they may not take part (enrolment, questionnaires, accounts), why — in
/// plain Russian. None if the person is not in the organization.
pub async fn participation(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<(Person, Option<&'static str>)>, sqlx::Error> {
    let Some(p) = person(&mut *conn, org_id, id).await? else {
        return Ok(None);
    };
    if p.anonymized_at.is_some() {
        return Ok(Some((p, Some("согласие отозвано"))));
    }
    let facts: Vec<super::model::ConsentFacts> = consents(conn, org_id, id)
        .await?
        .iter()
        .map(|c| super::model::ConsentFacts {
            given_by: c.given_by.clone(),
            withdrawn: c.withdrawn_on.is_some(),
        })
        .collect();
    let problem = super::model::consent_problem(p.has_consent, p.minor, &facts);
    Ok(Some((p, problem)))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Request {
    pub text: String,
    pub source: String,
    pub created_at: DateTime<Utc>,
}

pub async fn requests(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<Vec<Request>, sqlx::Error> {
    sqlx::query_as(
        "SELECT text, source, created_at FROM person_requests
          WHERE org_id = $1 AND person_id = $2 ORDER BY created_at LIMIT 500",
    )
    .bind(org_id)
    .bind(person_id)
    .fetch_all(conn)
    .await
}

pub async fn add_request(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    by: Uuid,
    text: &str,
    source: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO person_requests (org_id, person_id, text, source, created_by)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(org_id)
    .bind(person_id)
    .bind(text)
    .bind(source)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

// ---- import ------------------------------------------------------------------------------------

/// Matching keys of everyone in the organization (see `import::person_keys`).
pub async fn existing_keys(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<std::collections::HashSet<String>, sqlx::Error> {
    let rows: Vec<(String, String, String, Option<NaiveDate>, String)> = sqlx::query_as(
        "SELECT last_name, first_name, middle_name, birth_date, class_name FROM people
          WHERE org_id = $1 AND anonymized_at IS NULL",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .flat_map(|(l, f, m, b, c)| super::import::person_keys(l, f, m, *b, c))
        .collect())
}

/// Keeps an uploaded list as parsed (the file itself is not kept).
pub async fn save_upload(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
    filename: &str,
    parsed: &serde_json::Value,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO import_uploads (org_id, user_id, filename, content, parsed)
         VALUES ($1, $2, $3, ''::bytea, $4) RETURNING id",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(filename)
    .bind(parsed)
    .fetch_one(conn)
    .await
}

/// An uploaded list: its file name, its parsed rows (none once imported) and when it was
/// imported.
pub async fn upload(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<Option<(String, Option<serde_json::Value>, Option<DateTime<Utc>>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT filename, parsed, imported_at FROM import_uploads WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Deletes uploaded files older than a day (imported or abandoned): class lists are personal data.
pub async fn drop_stale_uploads(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM import_uploads WHERE created_at < now() - interval '24 hours'")
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

pub async fn mark_imported(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    // The file's content is deleted as soon as it is imported (the row stays to refuse a repeat).
    let n = sqlx::query("UPDATE import_uploads SET imported_at = now(), content = ''::bytea, parsed = NULL WHERE org_id = $1 AND id = $2 AND imported_at IS NULL")
        .bind(org_id)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Inserts the rows in one statement; returns the new ids.
pub async fn insert_many(
    conn: &mut PgConnection,
    org_id: Uuid,
    kind: &str,
    rows: &[&super::import::RowResult],
    keep_personal_data: bool,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let col = |f: &dyn Fn(&super::import::RowResult) -> String| {
        rows.iter().map(|r| f(r)).collect::<Vec<String>>()
    };
    let pd = |f: &dyn Fn(&super::import::RowResult) -> String| {
        rows.iter()
            .map(|r| {
                if keep_personal_data {
                    f(r)
                } else {
                    String::new()
                }
            })
            .collect::<Vec<String>>()
    };
    let births: Vec<Option<NaiveDate>> = rows
        .iter()
        .map(|r| {
            if keep_personal_data {
                r.birth_date
            } else {
                None
            }
        })
        .collect();
    let mentee = matches!(kind, "pupil" | "student");
    sqlx::query_scalar(
        "INSERT INTO people (org_id, kind, in_mentee_base, in_mentor_base, last_name, first_name,
                middle_name, class_name, birth_date, email, phone, subjects, position, notes)
         SELECT $1, $2, $3, NOT $3, * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[],
                $8::date[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         RETURNING id",
    )
    .bind(org_id)
    .bind(kind)
    .bind(mentee)
    .bind(col(&|r| r.last_name.clone()))
    .bind(col(&|r| r.first_name.clone()))
    .bind(col(&|r| r.middle_name.clone()))
    .bind(col(&|r| r.class_name.clone()))
    .bind(births)
    .bind(pd(&|r| r.email.clone()))
    .bind(pd(&|r| r.phone.clone()))
    .bind(pd(&|r| r.subjects.clone()))
    .bind(pd(&|r| r.position.clone()))
    .bind(pd(&|r| r.notes.clone()))
    .fetch_all(conn)
    .await
}

/// Records paper consents for the given people: from a representative for minors.
pub async fn consents_for(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
    by: Uuid,
    given_on: NaiveDate,
    document_ref: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO consents (org_id, person_id, given_by, representative_relation, given_on, scope,
                document_ref, created_by)
         SELECT p.org_id, p.id, CASE WHEN {MINOR_SQL} THEN 'representative' ELSE 'self' END,
                CASE WHEN {MINOR_SQL} THEN 'законный представитель' ELSE '' END, $3,
                'Участие в программе наставничества (согласие собрано на бумаге, отмечено при импорте)',
                $4, $5
           FROM people p WHERE p.org_id = $1 AND p.id = ANY ($2)"
    )))
    .bind(org_id)
    .bind(ids)
    .bind(given_on)
    .bind(document_ref)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

// ---- enrolment ---------------------------------------------------------------------------------

/// People of the organization among `ids` (drops foreign or unknown ids).
pub async fn own_ids(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM people WHERE org_id = $1 AND id = ANY ($2) ORDER BY last_name COLLATE ru_icu, first_name COLLATE ru_icu",
    )
    .bind(org_id)
    .bind(ids)
    .fetch_all(conn)
    .await
}

/// Whether the person has a valid consent now (and their data is not erased).
pub async fn has_valid_consent(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT EXISTS (SELECT 1 FROM people p WHERE p.org_id = $1 AND p.id = $2
                          AND p.anonymized_at IS NULL AND {})",
        valid_consent_sql()
    )))
    .bind(org_id)
    .bind(person_id)
    .fetch_one(conn)
    .await
}

/// Links a person to an account that accepted the organization's invitation — only if the person
/// has no account yet and still has their data.
pub async fn link_account_if_free(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    user_id: Uuid,
) -> Result<(), sqlx::Error> {
    link(
        conn,
        org_id,
        person_id,
        user_id,
        "AND user_id IS NULL AND anonymized_at IS NULL",
    )
    .await
}

async fn link(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    user_id: Uuid,
    condition: &'static str,
) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE people SET user_id = $3 WHERE org_id = $1 AND id = $2 {condition}"
    )))
    .bind(org_id)
    .bind(person_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A legal representative to tell about a child: (the child's person, their account if any, the
/// representative's address and name, the child's first name).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Guardian {
    pub person_id: Uuid,
    pub user_id: Option<Uuid>,
    pub email: String,
    pub name: String,
    pub child: String,
}

/// The representatives to tell about these people (by person or by account): those whose valid
/// consent carries an e-mail and the curator's «сообщать представителю».
pub async fn guardians(
    conn: &mut PgConnection,
    org_id: Uuid,
    people: &[Uuid],
    users: &[Uuid],
) -> Result<Vec<Guardian>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT ON (p.id) p.id AS person_id, p.user_id, c.representative_email AS email,
                c.representative_name AS name, p.first_name AS child
           FROM people p JOIN consents c ON c.org_id = p.org_id AND c.person_id = p.id
          WHERE p.org_id = $1 AND (p.id = ANY ($2) OR p.user_id = ANY ($3))
            AND p.anonymized_at IS NULL AND c.withdrawn_on IS NULL
            AND c.given_by = 'representative' AND c.inform_representative
            AND c.representative_email <> ''
          ORDER BY p.id, c.given_on DESC, c.created_at DESC",
    )
    .bind(org_id)
    .bind(people)
    .bind(users)
    .fetch_all(conn)
    .await
}

pub async fn link_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    user_id: Uuid,
) -> Result<(), sqlx::Error> {
    link(conn, org_id, person_id, user_id, "").await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ExportRow {
    pub number: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub anonymized: bool,
    pub email: String,
    pub phone: String,
    pub class_name: String,
    pub position: String,
    pub partner_org: String,
    pub notes: String,
    pub form_title: Option<String>,
    pub program_name: Option<String>,
    pub role: Option<String>,
    pub joined_on: Option<NaiveDate>,
    pub results: Option<String>,
}

/// One row per person and enrolment (people without programs: one row), for the XLSX export.
pub async fn export_rows(
    conn: &mut PgConnection,
    org_id: Uuid,
    f: &Filter,
) -> Result<Vec<ExportRow>, sqlx::Error> {
    let mut qb = QueryBuilder::<Postgres>::new("SELECT p.id");
    push_filter(&mut qb, org_id, f);
    qb.push(" LIMIT 100000");
    let ids: Vec<Uuid> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
    sqlx::query_as(
        "SELECT p.number, p.last_name, p.first_name, p.middle_name, p.anonymized_at IS NOT NULL AS anonymized,
                p.email, p.phone, p.class_name, p.position, p.partner_org, p.notes,
                mf.title AS form_title, pr.name AS program_name, e.role, e.joined_on, e.results
           FROM people p
           LEFT JOIN enrolments e ON e.org_id = p.org_id AND e.person_id = p.id
           LEFT JOIN programs pr ON pr.id = e.program_id
           LEFT JOIN mentoring_forms mf ON mf.code = pr.form_code
          WHERE p.org_id = $1 AND p.id = ANY ($2)
          ORDER BY p.anonymized_at IS NOT NULL, p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu, p.number, pr.starts_on",
    )
    .bind(org_id)
    .bind(&ids)
    .fetch_all(conn)
    .await
}
