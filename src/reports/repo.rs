//! The facts the reports are computed from, each loaded in one query per organization: the
//! people of the bases, their memberships in agreed or completed pairs, the satisfaction answers
//! of a period, meetings by month, pairs by status and those without a meeting for too long, and
//! the people behind an indicator's list (names stay inside the school).

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{Membership, PersonFact};

pub async fn people(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<PersonFact>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, birth_date, experience_years, partner_org FROM people
          WHERE org_id = $1 AND anonymized_at IS NULL",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// The people of several organizations: (organization, facts).
pub async fn people_of_orgs(
    conn: &mut PgConnection,
    orgs: &[Uuid],
) -> Result<Vec<(Uuid, PersonFact)>, sqlx::Error> {
    let rows: Vec<OrgPersonRow> = sqlx::query_as(
        "SELECT org_id, id, kind, birth_date, experience_years, partner_org FROM people
          WHERE org_id = ANY($1) AND anonymized_at IS NULL",
    )
    .bind(orgs)
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
    let rows: Vec<MembershipRow> = sqlx::query_as(
        "SELECT m.org_id, m.person_id, m.role, x.id, f.title, coalesce(v.title, ''),
                coalesce(x.settled_at, x.created_at)::date, r.ended_on,
                (SELECT count(*) FROM pair_members k WHERE k.pair_id = x.id AND k.role = 'mentee') > 1
           FROM pair_members m
           JOIN pairs x ON x.org_id = m.org_id AND x.id = m.pair_id
           JOIN programs g ON g.org_id = x.org_id AND g.id = x.program_id
           JOIN mentoring_forms f ON f.code = g.form_code
           LEFT JOIN form_variants v ON v.code = x.variant_code
           LEFT JOIN pair_results r ON r.org_id = x.org_id AND r.pair_id = x.id
          WHERE m.org_id = ANY($1) AND x.status IN ('agreed', 'completed')",
    )
    .bind(orgs)
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
    sqlx::query_as(
        "SELECT id, trim(last_name || ' ' || first_name || ' ' || middle_name) AS name, class_name,
                birth_date, experience_years, partner_org
           FROM people WHERE org_id = $1 AND id = ANY($2)
          ORDER BY class_name, last_name COLLATE ru_icu, first_name COLLATE ru_icu",
    )
    .bind(org_id)
    .bind(ids)
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
    sqlx::query_as(
        "SELECT date_trunc('month', held_on)::date,
                count(*) FILTER (WHERE NOT cancelled AND held_on <= $4),
                count(*) FILTER (WHERE cancelled),
                count(*) FILTER (WHERE NOT cancelled AND held_on > $4)
           FROM meetings WHERE org_id = $1 AND held_on BETWEEN $2 AND $3
          GROUP BY 1 ORDER BY 1",
    )
    .bind(org_id)
    .bind(from)
    .bind(to)
    .bind(today)
    .fetch_all(conn)
    .await
}

/// The organization's pairs by status.
pub async fn pairs_by_status(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT status, count(*) FROM pairs WHERE org_id = $1 GROUP BY status")
        .bind(org_id)
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
    sqlx::query_scalar(
        "SELECT count(*) FROM pairs p
           JOIN programs g ON g.org_id = p.org_id AND g.id = p.program_id
           LEFT JOIN pair_rhythm r ON r.pair_id = p.id
          WHERE p.org_id = $1 AND p.status = 'agreed' AND g.status = 'active'
            AND greatest(coalesce((SELECT max(m.held_on) FROM meetings m
                                    WHERE m.pair_id = p.id AND m.held_on <= $2 AND NOT m.cancelled),
                                  '-infinity'::date),
                         coalesce(p.settled_at, p.created_at)::date)
                + coalesce(r.every_days, $3) + $4 <= $2",
    )
    .bind(org_id)
    .bind(today)
    .bind(default_every)
    .bind(grace)
    .fetch_one(conn)
    .await
}

/// The meeting ratings of a period: (average of 5, answers).
pub async fn meeting_rating(
    conn: &mut PgConnection,
    org_id: Uuid,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<(Option<f64>, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT avg(f.rating)::float8, count(*) FROM meeting_feedback f
           JOIN meetings m ON m.id = f.meeting_id
          WHERE m.org_id = $1 AND m.held_on BETWEEN $2 AND $3",
    )
    .bind(org_id)
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await
}

/// Best mentors confirmed and cases published: (confirmed, nominated, cases, published).
pub async fn best_and_cases(
    conn: &mut PgConnection,
    org_id: Uuid,
) -> Result<(i64, i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM best_mentors WHERE org_id = $1 AND confirmed_at IS NOT NULL),
                (SELECT count(*) FROM best_mentors WHERE org_id = $1),
                (SELECT count(*) FROM cases WHERE org_id = $1),
                (SELECT count(*) FROM cases WHERE org_id = $1 AND published)",
    )
    .bind(org_id)
    .fetch_one(conn)
    .await
}
