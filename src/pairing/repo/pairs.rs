//! Pairs and their members: made, read with their members in one statement, answered by each member, cancelled, completed; the pair's form variant and rhythm.

#[allow(unused_imports)]
use super::*;

/// A pair (or group) to create, «предложена».
pub struct NewPair<'a> {
    pub program_id: Uuid,
    pub mentor: Uuid,
    pub mentees: &'a [Uuid],
    pub scheme: &'a str,
    pub score: Option<f64>,
    pub explanation: &'a str,
    pub by: Uuid,
}

pub async fn create_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    p: &NewPair<'_>,
) -> Result<Uuid, sqlx::Error> {
    let NewPair {
        program_id,
        mentor,
        mentees,
        scheme,
        score,
        explanation,
        by,
    } = *p;
    let id: Uuid = sqlx::query_scalar!(
        r#"INSERT INTO pairs (org_id, program_id, mentor_id, scheme, score, explanation, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id AS "v!""#,
        org_id,
        program_id,
        mentor,
        scheme,
        score.map(|s| s as f32),
        explanation,
        by,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO pair_members (org_id, pair_id, person_id, role)
         SELECT $1::uuid, $2::uuid, $3::uuid, 'mentor' UNION ALL SELECT $1, $2, unnest($4::uuid[]), 'mentee'",
        org_id,
        id,
        mentor,
        mentees,
    )
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub struct MemberRow {
    pub person_id: Uuid,
    pub name: String,
    pub class_name: String,
    pub role: Side,
    pub answer: Option<String>,
    pub comment: String,
    pub on_paper: bool,
    pub user_id: Option<Uuid>,
}

pub struct PairRow {
    pub id: Uuid,
    pub program_id: Uuid,
    pub program_name: String,
    pub status: Status,
    pub scheme: String,
    pub score: Option<f32>,
    pub explanation: String,
    pub created_at: DateTime<Utc>,
    pub members: Vec<MemberRow>,
    /// The form variant the curator set («Успевающий – неуспевающий»): (code, title).
    pub variant: Option<(String, String)>,
    /// How often the pair means to meet, in days, when the curator set it.
    pub every_days: Option<i32>,
}

impl PairRow {
    /// «наставник» or «наставляемый»: what `person` is in the pair ("" for someone not in it).
    pub fn role_word_of(&self, person: Uuid) -> &'static str {
        self.members
            .iter()
            .find(|m| m.person_id == person)
            .map_or("", |m| m.role.label())
    }

    /// The names of the members of `role`, joined with commas.
    pub fn names_of(&self, role: Side) -> String {
        self.members
            .iter()
            .filter(|m| m.role == role)
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A pair as the pair statements return it: pairing's own columns; the names of the program,
/// the variant and the members come from their owners ([`with_members`]).
pub(super) struct PairSql {
    id: Uuid,
    program_id: Uuid,
    status: Status,
    scheme: String,
    score: Option<f32>,
    explanation: String,
    created_at: DateTime<Utc>,
    variant_code: Option<String>,
    members: sqlx::types::Json<Vec<MemberJson>>,
    every_days: Option<i32>,
}

/// A member as the pair's statement returns it (its `members` column).
#[derive(serde::Deserialize)]
pub(super) struct MemberJson {
    person_id: Uuid,
    role: Side,
    answer: Option<String>,
    comment: String,
    on_paper: bool,
}

/// The rows as pairs with their members: the members' cards (people), the programs' names and
/// the variants' titles (programs) are read once for the whole list — a list of pairs is four
/// round trips, however long.
pub(super) async fn with_members(
    conn: &mut PgConnection,
    org_id: Uuid,
    rows: Vec<PairSql>,
) -> Result<Vec<PairRow>, sqlx::Error> {
    let mut people: Vec<Uuid> = rows
        .iter()
        .flat_map(|r| r.members.0.iter().map(|m| m.person_id))
        .collect();
    people.sort();
    people.dedup();
    let cards = crate::people::cards(&mut *conn, org_id, &people).await?;
    let mut programs: Vec<Uuid> = rows.iter().map(|r| r.program_id).collect();
    programs.sort();
    programs.dedup();
    let names = crate::programs::names_by_id(&mut *conn, org_id, &programs).await?;
    let variants: std::collections::HashMap<String, String> =
        if rows.iter().any(|r| r.variant_code.is_some()) {
            crate::programs::variants(&mut *conn)
                .await?
                .into_iter()
                .map(|v| (v.code, v.title))
                .collect()
        } else {
            Default::default()
        };
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut members: Vec<(MemberRow, (String, String))> = r
                .members
                .0
                .into_iter()
                .map(|m| {
                    let card = cards.get(&m.person_id).cloned().unwrap_or_default();
                    let key = card.sort_key();
                    (
                        MemberRow {
                            name: card.short_name(),
                            person_id: m.person_id,
                            class_name: card.class_name,
                            role: m.role,
                            answer: m.answer,
                            comment: m.comment,
                            on_paper: m.on_paper,
                            user_id: card.user_id,
                        },
                        key,
                    )
                })
                .collect();
            // The mentor first, then the mentees by name.
            members.sort_by(|a, b| {
                b.0.role
                    .code()
                    .cmp(a.0.role.code())
                    .then_with(|| a.1.cmp(&b.1))
            });
            PairRow {
                every_days: r.every_days,
                variant: r
                    .variant_code
                    .and_then(|c| variants.get(&c).map(|t| (c.clone(), t.clone()))),
                members: members.into_iter().map(|m| m.0).collect(),
                program_name: names.get(&r.program_id).cloned().unwrap_or_default(),
                id: r.id,
                program_id: r.program_id,
                status: r.status,
                scheme: r.scheme,
                score: r.score,
                explanation: r.explanation,
                created_at: r.created_at,
            }
        })
        .collect())
}

/// Sets a pair's form variant (one of its program's variants) or clears it; false when the pair
/// is not the program's or the variant is not one the program runs.
pub async fn set_variant(
    conn: &mut PgConnection,
    (org_id, program_id, pair_id): (Uuid, Uuid, Uuid),
    variant: Option<&str>,
) -> Result<bool, sqlx::Error> {
    if let Some(code) = variant
        && !crate::programs::program_variants(&mut *conn, org_id, program_id)
            .await?
            .iter()
            .any(|v| v.code == code)
    {
        return Ok(false);
    }
    Ok(sqlx::query!(
        "UPDATE pairs SET variant_code = $4
          WHERE org_id = $1 AND program_id = $2 AND id = $3",
        org_id,
        program_id,
        pair_id,
        variant,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn pairs_of_program(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<Vec<PairRow>, sqlx::Error> {
    read(conn, org_id, (Some(program_id), None, None)).await
}

pub async fn pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<Option<PairRow>, sqlx::Error> {
    Ok(read(conn, org_id, (None, Some(pair_id), None)).await?.pop())
}

/// The pairs of a program, the one pair `only`, or those the people `persons` belong to (not
/// refused, not cancelled), with their members and rhythm: proposed first, then agreed, then
/// the rest, newest first in each.
async fn read(
    conn: &mut PgConnection,
    org_id: Uuid,
    (program, only, persons): (Option<Uuid>, Option<Uuid>, Option<&[Uuid]>),
) -> Result<Vec<PairRow>, sqlx::Error> {
    let rows: Vec<PairSql> = sqlx::query_as!(
        PairSql,
        r#"SELECT x.id AS "id!", x.program_id AS "program_id!", x.status AS "status!: Status", x.scheme AS "scheme!", x.score AS "score?", x.explanation AS "explanation!",
           x.created_at AS "created_at!", x.variant_code AS "variant_code?",
           (SELECT coalesce(json_agg(json_build_object(
                       'person_id', m.person_id, 'role', m.role, 'answer', m.answer,
                       'comment', m.comment, 'on_paper', m.on_paper)), '[]')
              FROM pair_members m
             WHERE m.org_id = x.org_id AND m.pair_id = x.id) AS "members!: sqlx::types::Json<Vec<MemberJson>>",
           (SELECT r.every_days FROM pair_rhythm r WHERE r.org_id = x.org_id AND r.pair_id = x.id) AS "every_days?"
   FROM pairs x WHERE x.org_id = $1 AND ($2::uuid IS NULL OR x.program_id = $2) AND ($3::uuid IS NULL OR x.id = $3)
          AND ($4::uuid[] IS NULL OR (x.status IN ('proposed', 'agreed', 'completed') AND EXISTS (
                SELECT 1 FROM pair_members m
                 WHERE m.pair_id = x.id AND m.person_id = ANY($4) AND m.answer IS DISTINCT FROM 'no')))
          ORDER BY CASE x.status WHEN 'proposed' THEN 0 WHEN 'agreed' THEN 1 ELSE 2 END, x.created_at DESC LIMIT 5000"#,
        org_id,
        program,
        only,
        persons,
    )
    .fetch_all(&mut *conn)
    .await?;
    with_members(conn, org_id, rows).await
}

/// Pairs and groups the user belongs to (through their person), live ones first.
pub async fn pairs_of_user(
    conn: &mut PgConnection,
    org_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<PairRow>, sqlx::Error> {
    let persons = crate::people::persons_of_user(&mut *conn, org_id, user_id).await?;
    if persons.is_empty() {
        return Ok(Vec::new());
    }
    read(conn, org_id, (None, None, Some(&persons))).await
}

/// One member's answer to a proposed pair (in their account, or on paper through the curator).
pub struct Answer<'a> {
    pub pair_id: Uuid,
    pub person_id: Uuid,
    pub yes: bool,
    pub comment: &'a str,
    pub on_paper: bool,
    pub by: Uuid,
}

/// Records one member's answer and settles the pair; returns the new status (None when the
/// person is not a member or the pair is no longer waiting).
pub async fn answer(
    conn: &mut PgConnection,
    org_id: Uuid,
    a: &Answer<'_>,
) -> Result<Option<Status>, sqlx::Error> {
    let Answer {
        pair_id,
        person_id,
        yes,
        comment,
        on_paper,
        by,
    } = *a;
    let status: Option<String> = sqlx::query_scalar!(
        r#"SELECT status AS "v!" FROM pairs WHERE org_id = $1 AND id = $2 FOR UPDATE"#,
        org_id,
        pair_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if status.as_deref() != Some("proposed") {
        return Ok(None);
    }
    let done = sqlx::query!(
        "UPDATE pair_members SET answer = $4, comment = $5, on_paper = $6, answered_by = $7, answered_at = now()
          WHERE org_id = $1 AND pair_id = $2 AND person_id = $3",
        org_id,
        pair_id,
        person_id,
        if yes { "yes" } else { "no" },
        comment,
        on_paper,
        by,
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(None);
    }
    let members: Vec<(Side, Option<String>)> =
        sqlx::query!(
            r#"SELECT role AS "c0!: Side", answer AS "c1?" FROM pair_members WHERE org_id = $1 AND pair_id = $2"#,
            org_id,
            pair_id,
        ).map(|r| (r.c0, r.c1))
            .fetch_all(&mut *conn)
            .await?;
    let view: Vec<(Side, Option<bool>)> = members
        .iter()
        .map(|(r, a)| (*r, a.as_deref().map(|a| a == "yes")))
        .collect();
    let status = crate::pairing::model::settle(&view);
    sqlx::query!(
        "UPDATE pairs SET status = $3, version = version + 1,
                settled_at = CASE WHEN $3 = 'proposed' THEN NULL ELSE now() END
          WHERE org_id = $1 AND id = $2",
        org_id,
        pair_id,
        status.code(),
    )
    .execute(&mut *conn)
    .await?;
    if status == Status::Agreed {
        let agreed = sqlx::query!(
            r#"SELECT x.program_id AS "program!", m.person_id AS "person!", m.role AS "role!: Side"
                 FROM pairs x JOIN pair_members m ON m.pair_id = x.id
                WHERE x.org_id = $1 AND x.id = $2 AND m.answer = 'yes'"#,
            org_id,
            pair_id,
        )
        .fetch_all(&mut *conn)
        .await?;
        if let Some(program) = agreed.first().map(|r| r.program) {
            let members: Vec<(Uuid, Side)> =
                agreed.into_iter().map(|r| (r.person, r.role)).collect();
            crate::participants::mark_paired(&mut *conn, org_id, program, &members).await?;
        }
    }
    Ok(Some(status))
}

pub async fn cancel(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE pairs SET status = 'cancelled', settled_at = now(), version = version + 1
          WHERE org_id = $1 AND id = $2 AND status IN ('proposed', 'agreed')",
        org_id,
        pair_id,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Refusals answered since `since`: (program, who refused, the pair).
pub async fn refusals_since(
    conn: &mut PgConnection,
    org_id: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<(Uuid, String, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "SELECT p.program_id, m.person_id
           FROM pair_members m JOIN pairs p ON p.org_id = m.org_id AND p.id = m.pair_id
          WHERE m.org_id = $1 AND m.answer = 'no' AND m.answered_at >= $2
          ORDER BY m.answered_at LIMIT 200",
        org_id,
        since,
    )
    .fetch_all(&mut *conn)
    .await?;
    let programs: Vec<Uuid> = rows.iter().map(|r| r.program_id).collect();
    let names = crate::programs::names_by_id(&mut *conn, org_id, &programs).await?;
    let people: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
    let cards = crate::people::cards(conn, org_id, &people).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let who = cards.get(&r.person_id)?;
            Some((
                r.program_id,
                names.get(&r.program_id)?.clone(),
                format!("{} {}", who.last_name, who.first_name)
                    .trim()
                    .to_string(),
            ))
        })
        .collect())
}

pub async fn set_rhythm(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
    every_days: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO pair_rhythm (pair_id, org_id, every_days) VALUES ($1, $2, $3)
         ON CONFLICT (pair_id) DO UPDATE SET every_days = EXCLUDED.every_days",
        pair_id,
        org_id,
        every_days,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// How many of the program's pairs are still proposed or agreed.
pub async fn open_pairs(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM pairs WHERE org_id = $1 AND program_id = $2 AND status IN ('proposed', 'agreed')"#,
        org_id,
        program_id,
    )
    .fetch_one(conn)
    .await
}

/// Marks an agreed pair completed (false when it is not agreed any more).
pub async fn complete(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair_id: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "UPDATE pairs SET status = 'completed', version = version + 1
          WHERE org_id = $1 AND id = $2 AND status = 'agreed'",
        org_id,
        pair_id,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}
