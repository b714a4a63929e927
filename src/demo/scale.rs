//! The territory's specialists of the demo and a school at scale (the load and benchmark data).

#[allow(unused_imports)]
use super::*;
use crate::people::Side;

/// The region and municipality of the demo organizations with a specialist each, and the
/// school's documents for the regional table (once; a data directory from before gets them too).
pub(super) async fn territory_specialists(conn: &mut PgConnection) -> Result<bool, anyhow::Error> {
    let exists: bool = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM users WHERE email = 'region@demo.local') AS "v!""#,
    )
    .fetch_one(&mut *conn)
    .await?;
    if exists {
        return Ok(false);
    }
    let (region, municipality): (Uuid, Uuid) = sqlx::query!(
        r#"SELECT m.region_id AS "c0!", m.id AS "c1!" FROM organizations o JOIN municipalities m ON m.id = o.municipality_id
          WHERE o.slug = $1"#,
        SCHOOL_SLUG,
    ).map(|r| (r.c0, r.c1))
    .fetch_one(&mut *conn)
    .await?;
    for (email, name, unit) in [
        ("region@demo.local", "Белова Наталья Юрьевна", region),
        (
            "municipality@demo.local",
            "Орлов Сергей Викторович",
            municipality,
        ),
    ] {
        let id = user(&mut *conn, email, name, false).await?;
        crate::territory::repo::add_specialist(&mut *conn, id, unit).await?;
    }
    sqlx::query!(
        "UPDATE organizations SET site_section_url = 'https://sosh1-verhneozersk.ru/nastavnichestvo',
                doc_intro_order = 'приказ № 87-од от 28.08.2025', doc_regulation = 'утверждено приказом № 88-од от 28.08.2025',
                doc_curator_order = 'приказ № 89-од от 28.08.2025'
          WHERE slug = $1",
        SCHOOL_SLUG,
    )
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// A school-scale program in the demo school for timing the proposal page: `mentees` pupils of
/// grades 5–8 and `mentors` of grades 9–11, all with consents, enrolled, with the mentor and mentee
/// questionnaires answered as in the club (a few drafts and missing). Returns (id, name).
pub async fn school_scale(
    pool: &PgPool,
    mentees: usize,
    mentors: usize,
) -> Result<(Uuid, String), anyhow::Error> {
    let mut tx = pool.begin().await?;
    let org = tenancy::org_by_slug(&mut tx, SCHOOL_SLUG)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo school"))?;
    let curator: Uuid =
        sqlx::query_scalar!(r#"SELECT id AS "v!" FROM users WHERE email = 'curator@demo.local'"#,)
            .fetch_one(&mut *tx)
            .await?;
    let taken: i64 = sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM programs WHERE org_id = $1"#,
        org.id,
    )
    .fetch_one(&mut *tx)
    .await?;
    let name = format!("Подбор школьного масштаба № {}", taken + 1);
    let year = school_year(Utc::now().date_naive());
    let id = program(
        &mut tx,
        org.id,
        curator,
        &DemoProgram {
            name: &name,
            form: "student_student",
            variants: &["ss_achiever"],
            description: "Замер подбора пар на программе школьного масштаба.",
            dates: year,
            status: "active",
            progress: Progress::NotStarted,
        },
    )
    .await?;
    let this_year = Utc::now().date_naive().year();
    for (role, count, grades) in [
        (Side::Mentee, mentees, 5..=8),
        (Side::Mentor, mentors, 9..=11),
    ] {
        let span = grades.end() - grades.start() + 1;
        for k in 0..count {
            let grade = grades.start() + (k as i32 % span);
            let letter = ["А", "Б", "В"][(k / span as usize) % 3];
            let person = demo_person(
                &mut tx,
                org.id,
                curator,
                &DemoPerson {
                    name: demo_name(k * 3 + if role == Side::Mentor { 1 } else { 0 }),
                    kind: "pupil",
                    class_name: &format!("{grade}{letter}"),
                    birth: NaiveDate::from_ymd_opt(
                        this_year - 6 - grade,
                        1 + (k % 12) as u32,
                        1 + (k % 28) as u32,
                    ),
                    extra: ("", None, "", ""),
                    tags: &[],
                    consent: true,
                },
            )
            .await?;
            crate::participants::enrol(&mut tx, org.id, id, person, role).await?;
        }
    }
    demo_questionnaires(&mut tx, org.id, curator, id).await?;
    tx.commit().await?;
    Ok((id, name))
}
