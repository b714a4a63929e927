//! A region at scale for the reports' figures (`nastavnik demo --region N`): N schools (300 by
//! default) in 20 municipalities of a new region, 500 people each (pupils of grades 1–11, a few
//! without a birth date, teachers, partners), a program each with its roadmap, 67 pairs each
//! (every tenth completed), 25 meetings per pair, ratings, two weekly activities, five monitoring
//! parameters measured twice — 150,000 people, 20,100 pairs and 502,500 meetings for 300 —
//! generated in SQL. `region@demo.local` becomes its specialist too, and
//! `load-director@demo.local` the director of its first school. The schools' lines for the
//! territory are stored as their morning jobs would.

use chrono::{Datelike, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::{DemoProgram, Progress, SURNAMES, program, school_year, user};
use crate::auth::model::Role;

/// People per school, pairs per school, meetings per pair.
const PEOPLE: i32 = 500;
const PAIRS: i64 = 67;
const MEETINGS: i32 = 25;

/// What was made: (region id, first school's slug, schools, people, pairs, meetings).
pub struct Made {
    pub region: Uuid,
    pub first_slug: String,
    pub schools: usize,
    pub people: i64,
    pub pairs: i64,
    pub meetings: i64,
}

pub async fn region_scale(pool: &PgPool, n: usize) -> Result<Made, anyhow::Error> {
    anyhow::ensure!((1..=5000).contains(&n), "от 1 до 5000 организаций");
    let today = Utc::now().date_naive();
    let year = school_year(today);
    let mut tx = pool.begin().await?;
    let run: i64 = sqlx::query_scalar(
        "SELECT count(*) + 1 FROM regions WHERE name LIKE 'Нагрузочная область%'",
    )
    .fetch_one(&mut *tx)
    .await?;
    let region_name = format!("Нагрузочная область № {run}");
    let region: Uuid = sqlx::query_scalar("INSERT INTO regions (name) VALUES ($1) RETURNING id")
        .bind(&region_name)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO municipalities (region_id, name)
         SELECT $1, 'Муниципальный округ № ' || k FROM generate_series(1, 20) k",
    )
    .bind(region)
    .execute(&mut *tx)
    .await?;
    let orgs: Vec<(Uuid, String)> = sqlx::query_as(
        "WITH ms AS (SELECT id, name, row_number() OVER (ORDER BY name) - 1 AS k
                       FROM municipalities WHERE region_id = $1)
         INSERT INTO organizations (slug, full_name, short_name, kind, municipality, region,
                                    students_count, teachers_count, time_zone, municipality_id,
                                    site_section_url, doc_intro_order)
         SELECT 'load-' || $2 || '-' || i,
                'Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № ' || i || '»',
                'Школа № ' || i, 'school', ms.name, $3, 450, 40, 'Europe/Samara', ms.id,
                CASE WHEN i % 4 <> 0 THEN 'https://school' || i || '.example.ru/nastavnichestvo' ELSE '' END,
                CASE WHEN i % 3 <> 0 THEN 'приказ № ' || i || '-од от 29.08.' || $5 ELSE '' END
           FROM generate_series(1, $4) i JOIN ms ON ms.k = i % 20
         ORDER BY i
         RETURNING id, slug",
    )
    .bind(region)
    .bind(run)
    .bind(&region_name)
    .bind(n as i32)
    .bind(year.0.year())
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<Uuid> = orgs.iter().map(|o| o.0).collect();
    sqlx::query(
        "INSERT INTO org_forms (org_id, form_code) SELECT unnest($1::uuid[]), 'student_student'",
    )
    .bind(&ids)
    .execute(&mut *tx)
    .await?;
    // The school's director (for the dashboard's figures) and the region's specialist.
    let director = user(
        &mut tx,
        "load-director@demo.local",
        "Директор нагрузочной школы",
        false,
    )
    .await?;
    crate::tenancy::grant_roles(&mut tx, ids[0], director, &[Role::Director, Role::Curator])
        .await?;
    let specialist = user(
        &mut tx,
        "region@demo.local",
        "Белова Наталья Юрьевна",
        false,
    )
    .await?;
    crate::territory::repo::add_specialist(&mut tx, specialist, region).await?;
    // A program each, with its roadmap.
    let mut programs = Vec::with_capacity(n);
    for (i, (org, _)) in orgs.iter().enumerate() {
        let id = program(
            &mut tx,
            *org,
            director,
            &DemoProgram {
                name: "Наставничество «Ученик – ученик»",
                form: "student_student",
                variants: &["ss_achiever", "ss_leader_passive"],
                description: "",
                dates: year,
                status: "active",
                progress: if i % 3 == 0 {
                    Progress::Behind
                } else {
                    Progress::Running
                },
            },
        )
        .await?;
        programs.push(id);
    }
    sqlx::query(
        "CREATE TEMP TABLE load_orgs (org_id uuid, program_id uuid, oi int) ON COMMIT DROP",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO load_orgs SELECT o, p, i::int FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(o, p, i)",
    )
    .bind(&ids)
    .bind(&programs)
    .execute(&mut *tx)
    .await?;
    let men: Vec<&str> = SURNAMES.iter().map(|s| s.0).collect();
    let women: Vec<&str> = SURNAMES.iter().map(|s| s.1).collect();
    // People: pupils of grades 1–11 (every 37th without a birth date), teachers, partners.
    sqlx::query(
        "INSERT INTO people (org_id, last_name, first_name, kind, class_name, birth_date,
                             experience_years, partner_org, in_mentor_base, in_mentee_base)
         SELECT o.org_id,
                CASE WHEN g % 2 = 0 THEN ($1::text[])[1 + (g * 7 + o.oi) % 20] ELSE ($2::text[])[1 + (g * 11 + o.oi) % 20] END,
                CASE WHEN g % 2 = 0 THEN (ARRAY['Иван','Пётр','Алексей','Дмитрий','Максим'])[1 + g % 5]
                     ELSE (ARRAY['Анна','Мария','Елена','Дарья','Софья'])[1 + g % 5] END,
                CASE WHEN g <= 450 THEN 'pupil' WHEN g <= 490 THEN 'teacher' ELSE 'partner' END,
                CASE WHEN g <= 450 THEN (1 + g % 11) || 'А' ELSE '' END,
                CASE WHEN g <= 450 AND g % 37 <> 0
                       THEN make_date($3 - 7 - g % 11, 1 + g % 12, 1 + g % 28)
                     WHEN g > 450 AND g <= 490 AND g % 13 <> 0
                       THEN make_date(1965 + g % 36, 1 + g % 12, 1 + g % 28) END,
                CASE WHEN g > 450 AND g <= 490 AND g % 11 <> 0 THEN g % 30 END,
                CASE WHEN g > 490 THEN 'ООО «Партнёр ' || (g % 4) || '»' ELSE '' END,
                g > 450 OR 1 + g % 11 >= 9, g <= 450 AND 1 + g % 11 <= 8
           FROM load_orgs o, generate_series(1, $4) g",
    )
    .bind(&men)
    .bind(&women)
    .bind(year.0.year() + 1)
    .bind(PEOPLE)
    .execute(&mut *tx)
    .await?;
    // Pairs: the older pupils mentor the younger ones; every tenth pair completed.
    sqlx::query(
        "CREATE TEMP TABLE load_pairs ON COMMIT DROP AS
         WITH mentors AS (
              SELECT p.org_id, p.id, row_number() OVER (PARTITION BY p.org_id ORDER BY p.id) AS rn
                FROM people p JOIN load_orgs o ON o.org_id = p.org_id
               WHERE p.kind = 'pupil' AND p.class_name IN ('10А', '11А', '9А')),
              mentees AS (
              SELECT p.org_id, p.id, row_number() OVER (PARTITION BY p.org_id ORDER BY p.id) AS rn
                FROM people p JOIN load_orgs o ON o.org_id = p.org_id
               WHERE p.kind = 'pupil' AND p.class_name IN ('5А', '6А', '7А', '8А'))
         SELECT gen_random_uuid() AS id, o.org_id, o.program_id, a.id AS mentor, b.id AS mentee, a.rn
           FROM load_orgs o JOIN mentors a ON a.org_id = o.org_id AND a.rn <= $1
           JOIN mentees b ON b.org_id = o.org_id AND b.rn = a.rn",
    )
    .bind(PAIRS)
    .execute(&mut *tx)
    .await?;
    let start = year.0;
    sqlx::query(
        "INSERT INTO pairs (id, org_id, program_id, mentor_id, status, scheme, settled_at, created_at, variant_code)
         SELECT id, org_id, program_id, mentor,
                CASE WHEN rn % 10 = 0 THEN 'completed' ELSE 'agreed' END, 'questionnaires',
                ($1::date + (rn % 30)::int)::timestamptz, ($1::date + (rn % 30)::int)::timestamptz,
                CASE WHEN rn % 2 = 0 THEN 'ss_achiever' ELSE 'ss_leader_passive' END
           FROM load_pairs",
    )
    .bind(start)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO pair_members (org_id, pair_id, person_id, role, answer)
         SELECT org_id, id, mentor, 'mentor', 'yes' FROM load_pairs
         UNION ALL SELECT org_id, id, mentee, 'mentee', 'yes' FROM load_pairs",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO enrolments (org_id, program_id, person_id, role, status, joined_on)
         SELECT org_id, program_id, mentor, 'mentor', 'paired', $1 FROM load_pairs
         UNION ALL SELECT org_id, program_id, mentee, 'mentee', 'paired', $1 FROM load_pairs",
    )
    .bind(start)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO pair_results (pair_id, org_id, ended_on, results, goals_reached, decision)
         SELECT id, org_id, $1::date + 120, 'Цели плана достигнуты', 'yes', 'stop' FROM load_pairs WHERE rn % 10 = 0",
    )
    .bind(start)
    .execute(&mut *tx)
    .await?;
    // Meetings: weekly from the pair's third week; a few cancelled; those ahead are planned.
    sqlx::query(
        "INSERT INTO meetings (org_id, pair_id, kind, held_on, starts_at, ends_at, topic, format, cancelled)
         SELECT p.org_id, p.id,
                CASE k WHEN 1 THEN 'intro' WHEN 2 THEN 'trial' WHEN 3 THEN 'planning' ELSE 'regular' END,
                $1::date + (p.rn % 30)::int + 14 + k * 7, '15:00', '15:45', 'Встреча ' || k,
                CASE WHEN k % 4 = 0 THEN 'online' ELSE 'offline' END, k % 19 = 0
           FROM load_pairs p, generate_series(1, $2) k",
    )
    .bind(start)
    .bind(MEETINGS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO meeting_feedback (meeting_id, org_id, person_id, rating)
         SELECT m.id, m.org_id, p.mentee, 3 + (abs(hashtext(m.id::text)) % 3)
           FROM meetings m JOIN load_pairs p ON p.id = m.pair_id
          WHERE m.held_on <= $1 AND NOT m.cancelled AND abs(hashtext(m.id::text)) % 3 = 0",
    )
    .bind(today)
    .execute(&mut *tx)
    .await?;
    // Two weekly activities per school, led by its first mentor.
    sqlx::query(
        "INSERT INTO activities (org_id, program_id, format, topic, leaders, starts_at, minutes,
                                 repeat_days, repeat_until)
         SELECT o.org_id, o.program_id, f, t, ARRAY[(SELECT mentor FROM load_pairs p
                                                      WHERE p.org_id = o.org_id AND p.rn = 1)],
                ($1::date + 14 + d)::timestamp + time '12:00', 60, ARRAY[(1 + d)::smallint], $2
           FROM load_orgs o,
                (VALUES ('webinar', 'Вебинар недели', 0), ('qa', 'Вопросы и ответы', 2)) AS a(f, t, d)",
    )
    .bind(start)
    .bind(year.1)
    .execute(&mut *tx)
    .await?;
    // Five monitoring parameters, measured at entry and (for most) at the end.
    sqlx::query(
        "INSERT INTO monitoring_parameters (org_id, program_id, role, title, min_value, max_value, higher_is_better, sort)
         SELECT o.org_id, o.program_id, 'mentee', t, 1, 10, true, s
           FROM load_orgs o, unnest(ARRAY['Мотивация к учёбе (1–10)', 'Уверенность в себе (1–10)',
                                         'Вовлечённость в жизнь школы (1–10)', 'Навыки общения (1–10)',
                                         'Интерес к проектам (1–10)']) WITH ORDINALITY AS x(t, s)",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO measurements (parameter_id, org_id, person_id, stage, value)
         SELECT x.id, p.org_id, p.mentee, s,
                least(10, 2 + (abs(hashtext(p.mentee::text || x.id::text)) % 50) / 10.0
                          + CASE WHEN s = 'final' THEN 1.5 ELSE 0 END)
           FROM load_pairs p JOIN monitoring_parameters x ON x.program_id = p.program_id,
                unnest(ARRAY['entry', 'final']) AS s
          WHERE NOT (s = 'final' AND p.rn % 9 = 0)",
    )
    .execute(&mut *tx)
    .await?;
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM people WHERE org_id IN (SELECT org_id FROM load_orgs)),
                (SELECT count(*) FROM load_pairs),
                (SELECT count(*) FROM meetings m JOIN load_pairs p ON p.id = m.pair_id)",
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    // What the schools' morning jobs would have stored for their territory.
    let mut conn = pool.acquire().await?;
    crate::territory::repo::refresh(
        &mut conn,
        &ids,
        &crate::reports::model::Period::school_year(today),
        today,
    )
    .await?;
    Ok(Made {
        region,
        first_slug: orgs[0].1.clone(),
        schools: n,
        people: counts.0,
        pairs: counts.1,
        meetings: counts.2,
    })
}
