//! The territories' queries: which regions and municipalities a user is a specialist of, the
//! schools of a territory with their documents, per-school figures in a few grouped queries
//! (roadmaps, pairs, meetings, orders fixing pairs, the bases, cases), and the published cases.
//! Nothing here returns a person's name.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

/// A region or a municipality.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Scope {
    pub id: Uuid,
    /// "region" or "municipality".
    pub level: String,
    pub name: String,
    pub region_name: String,
    pub region_id: Uuid,
}

impl Scope {
    pub fn label(&self) -> String {
        if self.level == "region" {
            self.name.clone()
        } else {
            format!("{}, {}", self.name, self.region_name)
        }
    }

    pub fn role_label(&self) -> &'static str {
        if self.level == "region" {
            "специалист региона"
        } else {
            "специалист муниципалитета"
        }
    }
}

/// The territories a user is a specialist of.
pub async fn scopes_of_user(
    conn: &mut PgConnection,
    user_id: Uuid,
) -> Result<Vec<Scope>, sqlx::Error> {
    sqlx::query_as!(
        Scope,
        r#"SELECT s.id AS "id!", s.level AS "level!", s.name AS "name!", s.region_name AS "region_name!",
                s.region_id AS "region_id!" FROM (
    SELECT r.id, 'region' AS level, r.name, r.name AS region_name, r.id AS region_id FROM regions r
    UNION ALL
    SELECT m.id, 'municipality', m.name, r.name, r.id FROM municipalities m JOIN regions r ON r.id = m.region_id) s JOIN territory_members t
            ON t.user_id = $1 AND (t.region_id = s.id OR t.municipality_id = s.id)
          ORDER BY s.level DESC, s.name"#,
        user_id,
    )
    .fetch_all(conn)
    .await
}

/// A territory the user may open: theirs, or a municipality of their region.
pub async fn scope_for_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<Scope>, sqlx::Error> {
    sqlx::query_as!(
        Scope,
        r#"SELECT s.id AS "id!", s.level AS "level!", s.name AS "name!", s.region_name AS "region_name!",
                s.region_id AS "region_id!" FROM (
    SELECT r.id, 'region' AS level, r.name, r.name AS region_name, r.id AS region_id FROM regions r
    UNION ALL
    SELECT m.id, 'municipality', m.name, r.name, r.id FROM municipalities m JOIN regions r ON r.id = m.region_id) s
          WHERE s.id = $2 AND EXISTS (SELECT 1 FROM territory_members t WHERE t.user_id = $1
                AND (t.region_id = s.id OR t.municipality_id = s.id
                     OR (s.level = 'municipality' AND t.region_id = s.region_id)))"#,
        user_id,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// The municipalities of a region (for the filter).
pub async fn municipalities(
    conn: &mut PgConnection,
    region_id: Uuid,
) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query!(
        r#"SELECT id AS "c0!", name AS "c1!" FROM municipalities WHERE region_id = $1 ORDER BY name"#,
        region_id,
    ).map(|r| (r.c0, r.c1))
        .fetch_all(conn)
        .await
}

/// A school of a territory with what it declared for the regional table.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct School {
    pub id: Uuid,
    pub short_name: String,
    pub full_name: String,
    pub kind: String,
    pub municipality_id: Uuid,
    pub municipality: String,
    pub students_count: i32,
    pub teachers_count: i32,
    pub site_section_url: String,
    pub doc_intro_order: String,
    pub doc_regulation: String,
    pub doc_curator_order: String,
}

pub async fn schools(conn: &mut PgConnection, scope: &Scope) -> Result<Vec<School>, sqlx::Error> {
    sqlx::query_as!(
        School,
        r#"SELECT o.id AS "id!", o.short_name AS "short_name!", o.full_name AS "full_name!", o.kind AS "kind!", m.id AS "municipality_id!", m.name AS "municipality!",
                o.students_count AS "students_count!", o.teachers_count AS "teachers_count!", o.site_section_url AS "site_section_url!", o.doc_intro_order AS "doc_intro_order!",
                o.doc_regulation AS "doc_regulation!", o.doc_curator_order AS "doc_curator_order!"
           FROM organizations o JOIN municipalities m ON m.id = o.municipality_id
          WHERE m.id = $1 OR m.region_id = $1
          ORDER BY m.name, o.short_name"#,
        scope.id,
    )
    .fetch_all(conn)
    .await
}

/// A school's figures (no names).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    pub programs: i64,
    pub programs_active: i64,
    pub tasks_total: i64,
    pub tasks_done: i64,
    pub tasks_overdue: i64,
    pub pairs_agreed: i64,
    pub pairs_completed: i64,
    pub groups: i64,
    pub meetings_held: i64,
    pub meetings_planned: i64,
    pub mentors_base: i64,
    pub mentees_base: i64,
    pub cases_published: i64,
    /// Approved orders fixing pairs: (number, signed on, pairs fixed).
    pub orders: Vec<(String, Option<NaiveDate>, i64)>,
}

/// The figures of every school at once, a grouped query each.
pub async fn figures(
    conn: &mut PgConnection,
    orgs: &[Uuid],
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
) -> Result<HashMap<Uuid, Figures>, sqlx::Error> {
    let mut out: HashMap<Uuid, Figures> = orgs.iter().map(|o| (*o, Figures::default())).collect();
    let programs: Vec<(Uuid, i64, i64, i64, i64, i64)> = sqlx::query!(
        r#"SELECT g.org_id AS "c0!", count(DISTINCT g.id) AS "c1!", count(DISTINCT g.id) FILTER (WHERE g.status = 'active') AS "c2!",
                count(t.id) AS "c3!", count(t.id) FILTER (WHERE t.status = 'done') AS "c4!",
                count(t.id) FILTER (WHERE t.status <> 'done' AND t.due_on < $2) AS "c5!"
           FROM programs g LEFT JOIN roadmap_tasks t ON t.program_id = g.id
          WHERE g.org_id = ANY($1) GROUP BY g.org_id"#,
        orgs,
        today,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3, r.c4, r.c5))
    .fetch_all(&mut *conn)
    .await?;
    for (o, n, active, total, done, overdue) in programs {
        if let Some(f) = out.get_mut(&o) {
            (f.programs, f.programs_active) = (n, active);
            (f.tasks_total, f.tasks_done, f.tasks_overdue) = (total, done, overdue);
        }
    }
    let pairs: Vec<(Uuid, i64, i64, i64)> = sqlx::query!(
        r#"SELECT x.org_id AS "c0!", count(*) FILTER (WHERE x.status = 'agreed') AS "c1!",
                count(*) FILTER (WHERE x.status = 'completed') AS "c2!",
                count(*) FILTER (WHERE x.status IN ('agreed', 'completed')
                                   AND (SELECT count(*) FROM pair_members m
                                         WHERE m.pair_id = x.id AND m.role = 'mentee') > 1) AS "c3!"
           FROM pairs x WHERE x.org_id = ANY($1) GROUP BY x.org_id"#,
        orgs,
    )
    .map(|r| (r.c0, r.c1, r.c2, r.c3))
    .fetch_all(&mut *conn)
    .await?;
    for (o, agreed, completed, groups) in pairs {
        if let Some(f) = out.get_mut(&o) {
            (f.pairs_agreed, f.pairs_completed, f.groups) = (agreed, completed, groups);
        }
    }
    let meetings: Vec<(Uuid, i64, i64)> = sqlx::query!(
        r#"SELECT org_id AS "c0!", count(*) FILTER (WHERE NOT cancelled AND held_on <= $4) AS "c1!",
                count(*) FILTER (WHERE NOT cancelled) AS "c2!"
           FROM meetings WHERE org_id = ANY($1) AND held_on BETWEEN $2 AND $3 GROUP BY org_id"#,
        orgs,
        from,
        to,
        today,
    )
    .map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(&mut *conn)
    .await?;
    for (o, held, planned) in meetings {
        if let Some(f) = out.get_mut(&o) {
            (f.meetings_held, f.meetings_planned) = (held, planned);
        }
    }
    let bases: Vec<(Uuid, i64, i64)> = sqlx::query!(
        r#"SELECT org_id AS "c0!", count(*) FILTER (WHERE in_mentor_base) AS "c1!", count(*) FILTER (WHERE in_mentee_base) AS "c2!"
           FROM people WHERE org_id = ANY($1) AND anonymized_at IS NULL GROUP BY org_id"#,
        orgs,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(&mut *conn)
    .await?;
    for (o, mentors, mentees) in bases {
        if let Some(f) = out.get_mut(&o) {
            (f.mentors_base, f.mentees_base) = (mentors, mentees);
        }
    }
    let cases: Vec<(Uuid, i64)> = sqlx::query!(
        r#"SELECT org_id AS "c0!", count(*) AS "c1!" FROM cases WHERE org_id = ANY($1) AND published AND names_checked GROUP BY org_id"#,
        orgs,
    ).map(|r| (r.c0, r.c1))
    .fetch_all(&mut *conn)
    .await?;
    for (o, n) in cases {
        if let Some(f) = out.get_mut(&o) {
            f.cases_published = n;
        }
    }
    let orders: Vec<(Uuid, String, Option<NaiveDate>, i64)> = sqlx::query!(
        r#"SELECT o.org_id AS "c0!", o.number AS "c1!", o.signed_on AS "c2?",
                (SELECT count(*) FROM pair_order_items i WHERE i.order_id = o.id AND i.action = 'fix') AS "c3!"
           FROM pair_orders o WHERE o.org_id = ANY($1) AND o.status = 'approved'
          ORDER BY o.signed_on"#,
        orgs,
    ).map(|r| (r.c0, r.c1, r.c2, r.c3))
    .fetch_all(&mut *conn)
    .await?;
    for (o, number, signed, n) in orders {
        if let Some(f) = out.get_mut(&o) {
            f.orders.push((number, signed, n));
        }
    }
    Ok(out)
}

/// A published case with its school.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublishedCase {
    pub school: String,
    pub title: String,
    pub problem: String,
    pub done: String,
    pub result: String,
    pub quotes: String,
}

pub async fn published_cases(
    conn: &mut PgConnection,
    orgs: &[Uuid],
) -> Result<Vec<PublishedCase>, sqlx::Error> {
    sqlx::query_as!(
        PublishedCase,
        r#"SELECT o.short_name AS "school!", c.title AS "title!", c.problem AS "problem!", c.done AS "done!", c.result AS "result!", c.quotes AS "quotes!"
           FROM cases c JOIN organizations o ON o.id = c.org_id
          WHERE c.org_id = ANY($1) AND c.published AND c.consented AND c.names_checked
          ORDER BY c.updated_at DESC LIMIT 1000"#,
        orgs,
    )
    .fetch_all(conn)
    .await
}

/// A region with its municipalities, their schools and specialists (the administrator's page).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Unit {
    pub id: Uuid,
    pub region_id: Uuid,
    pub region: String,
    /// Empty for the region's own line.
    pub municipality: String,
    pub schools: i64,
    pub specialists: String,
}

pub async fn units(conn: &mut PgConnection) -> Result<Vec<Unit>, sqlx::Error> {
    sqlx::query_as!(
        Unit,
        r#"SELECT r.id AS "id!", r.id AS "region_id!", r.name AS "region!", '' AS "municipality!",
                (SELECT count(*) FROM organizations o JOIN municipalities m ON m.id = o.municipality_id
                  WHERE m.region_id = r.id) AS "schools!",
                coalesce((SELECT string_agg(u.email, ', ' ORDER BY u.email) FROM territory_members t
                            JOIN users u ON u.id = t.user_id WHERE t.region_id = r.id), '') AS "specialists!"
           FROM regions r
         UNION ALL
         SELECT m.id, r.id, r.name, m.name,
                (SELECT count(*) FROM organizations o WHERE o.municipality_id = m.id),
                coalesce((SELECT string_agg(u.email, ', ' ORDER BY u.email) FROM territory_members t
                            JOIN users u ON u.id = t.user_id WHERE t.municipality_id = m.id), '')
           FROM municipalities m JOIN regions r ON r.id = m.region_id
          ORDER BY 3, 4"#,
    )
    .fetch_all(conn)
    .await
}

/// Adds a region (false when one of that name exists).
pub async fn add_region(conn: &mut PgConnection, name: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "INSERT INTO regions (name) VALUES ($1) ON CONFLICT DO NOTHING",
        name,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Adds a municipality to a region (false when the region has one of that name).
pub async fn add_municipality(
    conn: &mut PgConnection,
    region_id: Uuid,
    name: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "INSERT INTO municipalities (region_id, name) SELECT id, $2 FROM regions WHERE id = $1
         ON CONFLICT DO NOTHING",
        region_id,
        name,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Makes a user a specialist of a region or a municipality (by the unit's id).
pub async fn add_specialist(
    conn: &mut PgConnection,
    user_id: Uuid,
    unit: Uuid,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query!(
        "INSERT INTO territory_members (user_id, region_id, municipality_id)
         SELECT $1, (SELECT id FROM regions WHERE id = $2), (SELECT id FROM municipalities WHERE id = $2)
          WHERE EXISTS (SELECT 1 FROM regions WHERE id = $2) OR EXISTS (SELECT 1 FROM municipalities WHERE id = $2)
         ON CONFLICT DO NOTHING",
        user_id,
        unit,
    )
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// A school's line as the territory sees it: indicator counts and figures.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Cached {
    pub indicators: Vec<crate::reports::model::Summary>,
    pub figures: Figures,
}

/// The stored lines of the schools for a period: organization → (computed at, line).
pub async fn cached(
    conn: &mut PgConnection,
    orgs: &[Uuid],
    (from, to): (NaiveDate, NaiveDate),
) -> Result<HashMap<Uuid, (chrono::DateTime<chrono::Utc>, Cached)>, sqlx::Error> {
    let rows: Vec<(
        Uuid,
        chrono::DateTime<chrono::Utc>,
        sqlx::types::Json<Cached>,
    )> = sqlx::query!(
        r#"SELECT org_id AS "c0!", computed_at AS "c1!", line AS "c2!: sqlx::types::Json<Cached>" FROM school_figures
              WHERE org_id = ANY($1) AND period_from = $2 AND period_to = $3"#,
        orgs,
        from,
        to,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(o, at, l)| (o, (at, l.0))).collect())
}

/// Computes and stores the lines of the schools for a period.
pub async fn refresh(
    conn: &mut PgConnection,
    orgs: &[Uuid],
    p: &crate::reports::model::Period,
    today: NaiveDate,
) -> Result<HashMap<Uuid, Cached>, sqlx::Error> {
    let mut figures = figures(&mut *conn, orgs, (p.from, p.to), today).await?;
    let mut indicators = crate::reports::indicators_of_orgs(&mut *conn, orgs, p).await?;
    let mut out = HashMap::new();
    for o in orgs {
        let line = Cached {
            indicators: indicators
                .remove(o)
                .unwrap_or_default()
                .iter()
                .map(|i| i.summary())
                .collect(),
            figures: figures.remove(o).unwrap_or_default(),
        };
        out.insert(*o, line);
    }
    let keys: Vec<Uuid> = out.keys().copied().collect();
    let lines: Vec<sqlx::types::Json<&Cached>> =
        keys.iter().map(|k| sqlx::types::Json(&out[k])).collect();
    sqlx::query!(
        "INSERT INTO school_figures (org_id, period_from, period_to, computed_at, line)
         SELECT o, $2, $3, now(), l FROM unnest($1::uuid[], $4::jsonb[]) AS t(o, l)
         ON CONFLICT (org_id, period_from, period_to)
         DO UPDATE SET computed_at = now(), line = EXCLUDED.line",
        &keys,
        p.from,
        p.to,
        &lines as _,
    )
    .execute(conn)
    .await?;
    Ok(out)
}
