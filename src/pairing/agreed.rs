//! What other domains may read of the agreed pairs (ARCHITECTURE.md, «One owner per table»):
//! which pairs a person is in, a mentor's pairs, the pairs of some programs — with the mentor,
//! the mentees, the day they were agreed and the planned rhythm. Names come from `people`.

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

/// An agreed pair (or group).
#[derive(Clone, Debug)]
pub struct Agreed {
    pub id: Uuid,
    pub program_id: Uuid,
    pub mentor_id: Uuid,
    pub mentees: Vec<Uuid>,
    /// The moment both sides agreed (the moment it was made, for an older pair); the day is
    /// [`Agreed::agreed_on`] on the organization's clock.
    pub agreed_at: chrono::DateTime<chrono::Utc>,
    /// How often the pair means to meet, when the curator set it.
    pub every_days: Option<i32>,
}

impl Agreed {
    /// The day both sides agreed, on the organization's clock (`org.offset()`): a pair agreed
    /// at 01:00 in Yekaterinburg was agreed that day, not the evening before as in UTC.
    pub fn agreed_on(&self, offset: chrono::FixedOffset) -> NaiveDate {
        self.agreed_at.with_timezone(&offset).date_naive()
    }
}

/// The agreed pairs any of `persons` is a member of: (pair, the member).
pub async fn agreed_with(
    conn: &mut PgConnection,
    org_id: Uuid,
    persons: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    if persons.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query!(
        r#"SELECT m.pair_id AS "pair!", m.person_id AS "person!"
             FROM pair_members m JOIN pairs x ON x.id = m.pair_id
            WHERE x.org_id = $1 AND x.status = 'agreed' AND m.person_id = ANY($2)"#,
        org_id,
        persons,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.pair, r.person))
    .collect())
}

/// The people who worked in a pair of the program (agreed or completed), each with the form
/// variant of their first such pair, when the curator set one: (person, variant code).
pub async fn worked_in(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<std::collections::HashMap<Uuid, Option<String>>, sqlx::Error> {
    Ok(sqlx::query!(
        r#"SELECT DISTINCT ON (m.person_id) m.person_id AS "person!", x.variant_code AS "variant?"
             FROM pair_members m JOIN pairs x ON x.id = m.pair_id
            WHERE x.org_id = $1 AND x.program_id = $2 AND x.status IN ('agreed', 'completed')
            ORDER BY m.person_id, x.created_at"#,
        org_id,
        program_id,
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.person, r.variant))
    .collect())
}

/// The agreed pairs of the programs `programs`, or of one mentor in them (`mentor`).
pub async fn agreed_in(
    conn: &mut PgConnection,
    org_id: Uuid,
    programs: &[Uuid],
    mentor: Option<Uuid>,
) -> Result<Vec<Agreed>, sqlx::Error> {
    if programs.is_empty() {
        return Ok(Vec::new());
    }
    read(conn, org_id, (Some(programs), mentor), None).await
}

/// The pairs `ids` of the organization whatever their status (an order names pairs that may have
/// ended since), in the order they were made.
pub async fn pairs_by_id(
    conn: &mut PgConnection,
    org_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Agreed>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    read(conn, org_id, (None, None), Some(ids)).await
}

/// The agreed pairs of the programs (or of one mentor in them), or the pairs `ids` whatever
/// their status — in the order they were made (at most 20,000).
async fn read(
    conn: &mut PgConnection,
    org_id: Uuid,
    (programs, mentor): (Option<&[Uuid]>, Option<Uuid>),
    ids: Option<&[Uuid]>,
) -> Result<Vec<Agreed>, sqlx::Error> {
    sqlx::query_as!(
        Agreed,
        r#"SELECT x.id AS "id!", x.program_id AS "program_id!", x.mentor_id AS "mentor_id!",                   coalesce(x.settled_at, x.created_at) AS "agreed_at!",
                  r.every_days AS "every_days?",
                  ARRAY(SELECT m.person_id FROM pair_members m
                         WHERE m.pair_id = x.id AND m.role = 'mentee') AS "mentees!"
             FROM pairs x LEFT JOIN pair_rhythm r ON r.pair_id = x.id
            WHERE x.org_id = $1
              AND ($2::uuid[] IS NULL OR (x.status = 'agreed' AND x.program_id = ANY($2)))
              AND ($3::uuid IS NULL OR x.mentor_id = $3)
              AND ($4::uuid[] IS NULL OR x.id = ANY($4))
            ORDER BY x.created_at LIMIT 20000"#,
        org_id,
        programs,
        mentor,
        ids,
    )
    .fetch_all(conn)
    .await
}

/// Every pair of the program with its mentor, whatever its status: (pair, mentor).
pub async fn mentors_of_pairs(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<(Uuid, Uuid)>, sqlx::Error> {
    sqlx::query!(
        "SELECT id, mentor_id FROM pairs WHERE org_id = $1 AND program_id = $2 LIMIT 20000",
        org_id,
        program_id,
    )
    .map(|r| (r.id, r.mentor_id))
    .fetch_all(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_of_agreement_is_the_organization_s_day() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-06T21:30:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let pair = Agreed {
            id: Uuid::nil(),
            program_id: Uuid::nil(),
            mentor_id: Uuid::nil(),
            mentees: Vec::new(),
            agreed_at: at,
            every_days: None,
        };
        let day = |h: i32| pair.agreed_on(chrono::FixedOffset::east_opt(h * 3600).unwrap());
        // 02:30 in Yekaterinburg (UTC+5) and 00:30 in Moscow (UTC+3) are the next morning.
        assert_eq!(day(5), NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(day(3), NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        // Kaliningrad (UTC+2) is still on the evening of the 6th.
        assert_eq!(day(2), NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
    }
}
