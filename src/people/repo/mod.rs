//! Queries of people, consents, requests and enrolments. Every function takes the organization
//! id first.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

mod consents;
#[allow(unused_imports)]
pub use consents::*;

mod uploads;
#[allow(unused_imports)]
pub use uploads::*;

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
    /// Only these people, when given: those of `program` and `status` (participants' enrolments,
    /// found by the page that composes the list).
    pub among: Option<Vec<Uuid>>,
    /// The people enrolled in the role of the `base` tab: they count as in that base.
    pub enrolled_in_base: Vec<Uuid>,
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
    /// «Программа (наставник), …»: filled by the page that composes the list (participants,
    /// programs).
    #[sqlx(default)]
    pub programs: String,
}

fn push_filter(qb: &mut QueryBuilder<Postgres>, org_id: Uuid, f: &Filter) {
    qb.push(" FROM people p WHERE p.org_id = ")
        .push_bind(org_id);
    match f.base.as_str() {
        "mentor" => {
            qb.push(" AND (p.in_mentor_base OR p.id = ANY(")
                .push_bind(&f.enrolled_in_base)
                .push("))");
        }
        "mentee" => {
            qb.push(" AND (p.in_mentee_base OR p.id = ANY(")
                .push_bind(&f.enrolled_in_base)
                .push("))");
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
    if let Some(among) = &f.among {
        qb.push(" AND p.id = ANY(").push_bind(among).push(")");
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
                p.anonymized_at, {} AS has_consent, {MINOR_SQL} AS minor, p.user_id IS NOT NULL AS has_account",
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
    sqlx::query_scalar!(
        r#"SELECT DISTINCT class_name AS "v!" FROM people WHERE org_id = $1 AND class_name <> '' ORDER BY 1 LIMIT 1000"#,
        org_id,
    )
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
    let id = sqlx::query_scalar!(
        "INSERT INTO people (org_id, last_name, first_name, middle_name, kind, class_name, birth_date,
                subjects, experience_years, position, partner_org, email, phone, notes,
                in_mentor_base, in_mentee_base, tags)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         RETURNING id",
        org_id,
        &p.last_name,
        &p.first_name,
        &p.middle_name,
        &p.kind,
        &p.class_name,
        p.birth_date,
        &p.subjects as _,
        p.experience_years,
        &p.position,
        &p.partner_org,
        &p.email,
        &p.phone,
        &p.notes,
        p.in_mentor_base,
        p.in_mentee_base,
        &p.tags as _,
    )
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Saves if `version` is current; false on a concurrent change.
pub async fn update(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    version: i32,
    p: &PersonInput,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query!(
        "UPDATE people SET last_name = $4, first_name = $5, middle_name = $6, kind = $7,
                class_name = $8, birth_date = $9, subjects = $10, experience_years = $11,
                position = $12, partner_org = $13, email = $14, phone = $15, notes = $16,
                in_mentor_base = $17, in_mentee_base = $18, tags = $19,
                version = version + 1, updated_at = now()
          WHERE org_id = $1 AND id = $2 AND version = $3 AND anonymized_at IS NULL",
        org_id,
        id,
        version,
        &p.last_name,
        &p.first_name,
        &p.middle_name,
        &p.kind,
        &p.class_name,
        p.birth_date,
        &p.subjects as _,
        p.experience_years,
        &p.position,
        &p.partner_org,
        &p.email,
        &p.phone,
        &p.notes,
        p.in_mentor_base,
        p.in_mentee_base,
        &p.tags as _,
    )
    .execute(conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

// ---- import ------------------------------------------------------------------------------------

// ---- enrolment ---------------------------------------------------------------------------------

/// People of the organization among `ids` (drops foreign or unknown ids).
pub async fn own_ids(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT id AS "v!" FROM people WHERE org_id = $1 AND id = ANY ($2) ORDER BY last_name COLLATE ru_icu, first_name COLLATE ru_icu"#,
        org_id,
        ids,
    )
    .fetch_all(conn)
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

/// Puts the person into the base of their side: mentors' or mentees'.
pub async fn add_to_base(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    role: super::model::Side,
) -> Result<(), sqlx::Error> {
    let mentor = role == super::model::Side::Mentor;
    sqlx::query!(
        "UPDATE people SET in_mentor_base = in_mentor_base OR $3, in_mentee_base = in_mentee_base OR NOT $3
          WHERE org_id = $1 AND id = $2",
        org_id,
        person_id,
        mentor,
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn link_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    person_id: Uuid,
    user_id: Uuid,
) -> Result<(), sqlx::Error> {
    link(conn, org_id, person_id, user_id, "").await
}

/// A person as the XLSX export of the bases shows them (their programs are added by the page
/// that composes the export).
#[derive(Clone, Debug)]
pub struct ExportPerson {
    pub id: Uuid,
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
}

/// The people who pass the filter `f` (at most 100,000), in a Russian list's order, for the
/// XLSX export.
pub async fn export_people(
    conn: &mut PgConnection,
    org_id: Uuid,
    f: &Filter,
) -> Result<Vec<ExportPerson>, sqlx::Error> {
    let mut qb = QueryBuilder::<Postgres>::new("SELECT p.id");
    push_filter(&mut qb, org_id, f);
    qb.push(" LIMIT 100000");
    let ids: Vec<Uuid> = qb.build_query_scalar().fetch_all(&mut *conn).await?;
    sqlx::query_as!(
        ExportPerson,
        r#"SELECT p.id, p.number, p.last_name, p.first_name, p.middle_name, p.anonymized_at IS NOT NULL AS "anonymized!",
                p.email, p.phone, p.class_name, p.position, p.partner_org, p.notes
           FROM people p
          WHERE p.org_id = $1 AND p.id = ANY ($2)
          ORDER BY p.anonymized_at IS NOT NULL, p.last_name COLLATE ru_icu, p.first_name COLLATE ru_icu, p.number"#,
        org_id,
        &ids,
    )
    .fetch_all(conn)
    .await
}

/// The person of the organization's base linked to the account (not erased): (person, name).
pub async fn linked_person(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Option<(Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT id, trim(last_name || ' ' || first_name) AS "name!" FROM people
          WHERE org_id = $1 AND user_id = $2 AND anonymized_at IS NULL LIMIT 1"#,
        org_id,
        user_id,
    )
    .map(|r| (r.id, r.name))
    .fetch_optional(conn)
    .await
}
