//! The facts the reports are computed from, each loaded in one query per organization: the
//! people of the bases, their memberships in agreed or completed pairs, the satisfaction answers
//! of a period, meetings by month, pairs by status and those without a meeting for too long, and
//! the people behind an indicator's list (names stay inside the school).

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{Membership, PersonFact};

pub async fn people(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<PersonFact>, sqlx::Error> {
    sqlx::query_as!(
        PersonFact,
        r#"SELECT id AS "id!", kind AS "kind!", birth_date AS "birth_date?", experience_years AS "experience_years?", partner_org AS "partner_org!" FROM people
          WHERE org_id = $1 AND anonymized_at IS NULL"#,
        org_id,
    )
    .fetch_all(conn)
    .await
}

/// The people of several organizations: (organization, facts).
pub async fn people_of_orgs(
    conn: &mut PgConnection,
    orgs: &[Uuid],
) -> Result<Vec<(Uuid, PersonFact)>, sqlx::Error> {
    let rows: Vec<OrgPersonRow> = sqlx::query!(
        r#"SELECT org_id AS "c0!", id AS "c1!", kind AS "c2!", birth_date AS "c3?", experience_years AS "c4?", partner_org AS "c5!" FROM people
          WHERE org_id = ANY($1) AND anonymized_at IS NULL"#,
        orgs,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(org, id, kind, birth_date, experience_years, partner_org)| {
                (
                    org,
                    PersonFact {
                        id,
                        kind,
                        birth_date,
                        experience_years,
                        partner_org,
                    },
                )
            },
        )
        .collect())
}

type OrgPersonRow = (Uuid, Uuid, String, Option<NaiveDate>, Option<i32>, String);

/// (organization, person, role, pair, form, variant, start, end, group).
type MembershipRow = (
    Uuid,
    Uuid,
    String,
    Uuid,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
    bool,
);

/// Every member of the organization's agreed or completed pairs (a completed pair ends on its
/// results' date).
pub async fn memberships(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<Membership>, sqlx::Error> {
    Ok(memberships_of_orgs(conn, &[org_id])
        .await?
        .into_iter()
        .map(|(_, m)| m)
        .collect())
}

/// The memberships of several organizations: (organization, membership).
pub async fn memberships_of_orgs(
    conn: &mut PgConnection,
    orgs: &[Uuid],
) -> Result<Vec<(Uuid, Membership)>, sqlx::Error> {
    let rows: Vec<MembershipRow> = sqlx::query!(
        r#"SELECT m.org_id AS "c0!", m.person_id AS "c1!", m.role AS "c2!", x.id AS "c3!", f.title AS "c4!", coalesce(v.title, '') AS "c5!",
                coalesce(x.settled_at, x.created_at)::date AS "c6!", r.ended_on AS "c7?",
                (SELECT count(*) FROM pair_members k WHERE k.pair_id = x.id AND k.role = 'mentee') > 1 AS "c8!"
           FROM pair_members m
           JOIN pairs x ON x.org_id = m.org_id AND x.id = m.pair_id
           JOIN programs g ON g.org_id = x.org_id AND g.id = x.program_id
           JOIN mentoring_forms f ON f.code = g.form_code
           LEFT JOIN form_variants v ON v.code = x.variant_code
           LEFT JOIN pair_results r ON r.org_id = x.org_id AND r.pair_id = x.id
          WHERE m.org_id = ANY($1) AND x.status IN ('agreed', 'completed')"#,
        orgs,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5, r.c6, r.c7, r.c8))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(org, person_id, role, pair_id, form, variant, start, end, group)| {
                (
                    org,
                    Membership {
                        person_id,
                        role,
                        pair_id,
                        form,
                        variant,
                        start,
                        end,
                        group,
                    },
                )
            },
        )
        .collect())
}

/// A person behind an indicator: (id, name, class or position, birth date, years of teaching,
/// enterprise).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Named {
    pub id: Uuid,
    pub name: String,
    pub class_name: String,
    pub birth_date: Option<NaiveDate>,
    pub experience_years: Option<i32>,
    pub partner_org: String,
}

pub async fn named(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Named>, sqlx::Error> {
    sqlx::query_as!(
        Named,
        r#"SELECT id AS "id!", trim(last_name || ' ' || first_name || ' ' || middle_name) AS "name!", class_name AS "class_name!",
                birth_date AS "birth_date?", experience_years AS "experience_years?", partner_org AS "partner_org!"
           FROM people WHERE org_id = $1 AND id = ANY($2)
          ORDER BY class_name, last_name COLLATE ru_icu, first_name COLLATE ru_icu"#,
        org_id,
        ids,
    )
    .fetch_all(conn)
    .await
}

/// Meetings of the pairs by month within the period: (month, held, cancelled, planned ahead).
pub async fn meetings_by_month(
    conn: &mut PgConnection,
    org_id: Uuid,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Result<Vec<(NaiveDate, i64, i64, i64)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT date_trunc('month', held_on)::date AS "c0!",
                count(*) FILTER (WHERE NOT cancelled AND held_on <= $4) AS "c1!",
                count(*) FILTER (WHERE cancelled) AS "c2!",
                count(*) FILTER (WHERE NOT cancelled AND held_on > $4) AS "c3!"
           FROM meetings WHERE org_id = $1 AND held_on BETWEEN $2 AND $3
          GROUP BY 1 ORDER BY 1"#,
        org_id,
        from,
        to,
        today,
    )
    .map(|r| (r.c0, r.c1, r.c2, r.c3))
    .fetch_all(conn)
    .await
}

/// The organization's pairs by status.
pub async fn pairs_by_status(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT status AS "c0!", count(*) AS "c1!" FROM pairs WHERE org_id = $1 GROUP BY status"#,
        org_id,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_all(conn)
    .await
}

/// Agreed pairs of active programs whose last meeting held (or agreement) is older than their
/// rhythm plus the grace days: the pairs at risk.
pub async fn pairs_without_meetings(
    conn: &mut PgConnection,
    org_id: Uuid,
    today: NaiveDate,
    (default_every, grace): (i32, i32),
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM pairs p
           JOIN programs g ON g.org_id = p.org_id AND g.id = p.program_id
           LEFT JOIN pair_rhythm r ON r.pair_id = p.id
          WHERE p.org_id = $1 AND p.status = 'agreed' AND g.status = 'active'
            AND greatest(coalesce((SELECT max(m.held_on) FROM meetings m
                                    WHERE m.pair_id = p.id AND m.held_on <= $2 AND NOT m.cancelled),
                                  '-infinity'::date),
                         coalesce(p.settled_at, p.created_at)::date)
                + coalesce(r.every_days, $3) + $4::int <= $2"#,
        org_id,
        today,
        default_every,
        grace,
    )
    .fetch_one(conn)
    .await
}

/// The meeting ratings of a period: (average of 5, answers).
pub async fn meeting_rating(
    conn: &mut PgConnection,
    org_id: Uuid,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<(Option<f64>, i64), sqlx::Error> {
    sqlx::query!(
        r#"SELECT avg(f.rating)::float8 AS "c0?", count(*) AS "c1!" FROM meeting_feedback f
           JOIN meetings m ON m.id = f.meeting_id
          WHERE m.org_id = $1 AND m.held_on BETWEEN $2 AND $3"#,
        org_id,
        from,
        to,
    )
    .map(|r| (r.c0, r.c1))
    .fetch_one(conn)
    .await
}

/// Best mentors confirmed and cases published: (confirmed, nominated, cases, published).
pub async fn best_and_cases(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<(i64, i64, i64, i64), sqlx::Error> {
    sqlx::query!(
        r#"SELECT (SELECT count(*) FROM best_mentors WHERE org_id = $1 AND confirmed_at IS NOT NULL) AS "c0!",
                (SELECT count(*) FROM best_mentors WHERE org_id = $1) AS "c1!",
                (SELECT count(*) FROM cases WHERE org_id = $1) AS "c2!",
                (SELECT count(*) FROM cases WHERE org_id = $1 AND published) AS "c3!""#,
        org_id,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3))
    .fetch_one(conn)
    .await
}
