//! The college's term of activities in the demo (Екатеринбург, UTC+5): a program «Преподаватель –
//! обучающийся» with three lecturers (one is `college-mentor@demo.local`, who leads) and twelve
//! students (one is `college-student@demo.local`); weekly webinars and Q&A meetings since the
//! start of the term and six weeks ahead, livecoding and a trial interview as one-offs, a
//! cancelled and a moved date, attendance and recordings on past ones, feedback enough for the
//! published rating dashboard, topic requests.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{DemoPerson, DemoProgram, Progress, demo_name, demo_person, program, user};
use crate::activities::{model, repo};
use crate::people;
use crate::people::Side;

/// The college's students and lecturers, their program and its activities.
pub(super) async fn college_term(
    conn: &mut PgConnection,
    org_id: Uuid,
    curator: Uuid,
    year: (NaiveDate, NaiveDate),
    now: DateTime<Utc>,
) -> Result<(), anyhow::Error> {
    let offset = chrono::FixedOffset::east_opt(5 * 3600).expect("UTC+5");
    let mentor_user = user(
        conn,
        "college-mentor@demo.local",
        "Орлова Марина Викторовна",
        false,
    )
    .await?;
    let student_user = user(
        conn,
        "college-student@demo.local",
        "Лебедев Артём Павлович",
        false,
    )
    .await?;
    crate::tenancy::grant_roles(
        conn,
        org_id,
        mentor_user,
        &[crate::auth::model::Role::Mentor],
    )
    .await?;
    crate::tenancy::grant_roles(
        conn,
        org_id,
        student_user,
        &[crate::auth::model::Role::Mentee],
    )
    .await?;
    let prog = program(conn, org_id, curator, &DemoProgram {
        name: "Преподаватель – обучающийся: карьера и чемпионаты",
        form: "college_lecturer_student",
        variants: &["cls_career", "cls_group"],
        description: "Преподаватели ведут еженедельные вебинары и Q&A для студентов второго курса, готовят к чемпионату «Профессионалы».",
        dates: year,
        status: "active",
        progress: Progress::Running,
    })
    .await?;
    let mut lecturers = Vec::new();
    for (k, (last, first, middle)) in [
        ("Орлова", "Марина", "Викторовна"),
        ("Зайцев", "Павел", "Олегович"),
        ("Белова", "Ирина", "Сергеевна"),
    ]
    .into_iter()
    .enumerate()
    {
        let id = demo_person(
            conn,
            org_id,
            curator,
            &DemoPerson {
                name: (last.into(), first.into(), middle.into()),
                kind: "teacher",
                class_name: "",
                birth: None,
                extra: (
                    "строительные технологии",
                    Some(8 + k as i32),
                    "преподаватель",
                    "",
                ),
                tags: &[],
                consent: true,
            },
        )
        .await?;
        crate::participants::enrol(&mut *conn, org_id, prog, id, Side::Mentor).await?;
        lecturers.push(id);
    }
    let mut students = Vec::new();
    for k in 0..12 {
        let name = if k == 0 {
            (
                "Лебедев".to_string(),
                "Артём".to_string(),
                "Павлович".to_string(),
            )
        } else {
            demo_name(k * 5 + 2)
        };
        let id = demo_person(
            conn,
            org_id,
            curator,
            &DemoPerson {
                name,
                kind: "student",
                class_name: if k % 2 == 0 { "СТР-21" } else { "СТР-22" },
                birth: NaiveDate::from_ymd_opt(2007, 1 + (k % 12) as u32, 3),
                extra: ("", None, "", ""),
                tags: &[],
                consent: true,
            },
        )
        .await?;
        crate::participants::enrol(&mut *conn, org_id, prog, id, Side::Mentee).await?;
        students.push(id);
    }
    people::link_user(&mut *conn, org_id, lecturers[0], mentor_user).await?;
    people::link_user(&mut *conn, org_id, students[0], student_user).await?;
    // The term: from the Monday eight weeks ago to six weeks ahead.
    let today = now.with_timezone(&offset).date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let start = monday - Duration::weeks(8);
    let until = monday + Duration::weeks(6);
    let at = |d: NaiveDate, h: u32, m: u32| {
        d.and_hms_opt(h, m, 0)
            .and_then(|t| t.and_local_timezone(offset).single())
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    };
    let series = [
        (
            "webinar",
            "Вебинар недели: технологии строительного производства",
            "средний",
            1,
            2,
            (17, 0),
            90,
            lecturers[0],
        ),
        (
            "qa",
            "Q&A: вопросы по практике и чемпионату",
            "",
            3,
            4,
            (17, 30),
            60,
            lecturers[1],
        ),
    ];
    let mut made = Vec::new();
    for (format, topic, level, offset_days, weekday, (h, m), minutes, leader) in series {
        let first = start + Duration::days(offset_days);
        let id = add_activity(conn, org_id, prog, &repo::Input {
            format,
            topic,
            description: "Ссылка на видеокомнату — в поле «Место»; запись публикуем через 1–2 дня.",
            level,
            leaders: &[leader],
            expert: "",
            starts_at: at(first, h, m),
            minutes,
            place: "",
            link: "https://telemost.yandex.ru/j/demo-college",
            audience: model::Audience::All,
            classes: &[],
            person_id: None,
            capacity: None,
            repeat_days: &[weekday],
            repeat_until: Some(until),
            recording: "https://disk.yandex.ru/d/demo-college-recordings",
            materials: "Конспекты и задания — в папке группы.",
            feedback_questionnaire: None,
        }, curator)
        .await?;
        made.push(id);
    }
    // A cancelled date and a moved one of the webinar.
    repo::set_exception(
        conn,
        made[0],
        start + Duration::weeks(3) + Duration::days(1),
        Some((None, "Праздничный день")),
    )
    .await?;
    let moved = start + Duration::weeks(5) + Duration::days(1);
    repo::set_exception(
        conn,
        made[0],
        moved,
        Some((
            Some(at(moved + Duration::days(1), 17, 0)),
            "Аудитория занята",
        )),
    )
    .await?;
    // One-offs: a livecoding session two weeks ago, a trial interview next week for the demo student.
    let live = add_activity(
        conn,
        org_id,
        prog,
        &repo::Input {
            format: "livecoding",
            topic: "Livecoding: смета в табличном редакторе",
            description: "",
            level: "начальный",
            leaders: &[lecturers[2]],
            expert: "",
            starts_at: at(monday - Duration::weeks(2) + Duration::days(4), 16, 0),
            minutes: 120,
            place: "ауд. 305",
            link: "",
            audience: model::Audience::Classes,
            classes: &["СТР-21".to_string()],
            person_id: None,
            capacity: Some(15),
            repeat_days: &[],
            repeat_until: None,
            recording: "https://disk.yandex.ru/d/demo-livecoding",
            materials: "",
            feedback_questionnaire: None,
        },
        curator,
    )
    .await?;
    let interview = add_activity(
        conn,
        org_id,
        prog,
        &repo::Input {
            format: "interview",
            topic: "Пробное собеседование: мастер участка",
            description: "Резюме возьмите с собой.",
            level: "",
            leaders: &[lecturers[1]],
            expert: "Ковалёв Н. А., ООО «СтройИнвест»",
            starts_at: at(monday + Duration::days(9), 15, 0),
            minutes: 45,
            place: "каб. 12",
            link: "",
            audience: model::Audience::Person,
            classes: &[],
            person_id: Some(students[0]),
            capacity: Some(1),
            repeat_days: &[],
            repeat_until: None,
            recording: "",
            materials: "",
            feedback_questionnaire: None,
        },
        curator,
    )
    .await?;
    let _ = interview;
    made.push(live);
    // Attendance and feedback on everything that has ended; the demo student leaves the last
    // webinar unrated (to rate it in the app).
    let comments = [
        "Понятно и по делу",
        "Хотелось бы больше практики",
        "",
        "Спасибо!",
        "",
        "Полезные примеры",
    ];
    let mut last_webinar: Option<NaiveDate> = None;
    for id in &made {
        let Some(a) = repo::one(conn, org_id, *id).await? else {
            continue;
        };
        let audience: Vec<Uuid> = repo::audience(conn, org_id, &a)
            .await?
            .into_iter()
            .map(|p| p.0)
            .collect();
        for o in model::occurrences(
            &a.timing(),
            &a.exceptions,
            offset,
            a.starts_at - Duration::days(1),
            now,
        ) {
            if o.cancelled || o.ends > now {
                continue;
            }
            let n = o.on_date.ordinal() as usize;
            let present: Vec<Uuid> = audience
                .iter()
                .enumerate()
                .filter(|(i, _)| (i + n) % 4 != 3)
                .map(|(_, p)| *p)
                .collect();
            repo::set_attendance(conn, org_id, a.id, o.on_date, &audience, &present).await?;
            if *id == made[0] {
                last_webinar = Some(o.on_date);
            }
            for (i, p) in present.iter().enumerate() {
                if *p == students[0]
                    && *id == made[0]
                    && Some(o.on_date) == last_webinar
                    && o.ends > now - Duration::days(7)
                {
                    continue;
                }
                if (i + n).is_multiple_of(3) {
                    continue;
                }
                let rating = [5, 4, 5, 3, 4, 5][(i + n) % 6];
                repo::give_feedback(
                    conn,
                    org_id,
                    (a.id, o.on_date),
                    *p,
                    rating,
                    comments[(i * 7 + n) % comments.len()],
                )
                .await?;
            }
        }
        sqlx::query!(
            "UPDATE activity_signups SET asked = true WHERE activity_id = $1",
            a.id,
        )
        .execute(&mut *conn)
        .await?;
    }
    // The demo student is signed up for the next webinar.
    if let Some(a) = repo::one(conn, org_id, made[0]).await?
        && let Some(o) = model::occurrences(
            &a.timing(),
            &a.exceptions,
            offset,
            now,
            now + Duration::days(14),
        )
        .into_iter()
        .find(|o| !o.cancelled)
    {
        repo::sign_up(conn, org_id, a.id, o.on_date, students[0], None).await?;
    }
    repo::set_rating_settings(
        conn,
        org_id,
        prog,
        &repo::RatingSettings {
            public: true,
            anonymous: false,
            min_answers: 5,
            comments_public: false,
        },
    )
    .await?;
    for text in [
        "Как оформить портфолио для чемпионата",
        "Разбор типовых ошибок в сметах",
    ] {
        repo::add_topic(conn, org_id, prog, student_user, text).await?;
    }
    Ok(())
}

/// For timing calendar feeds: `n` more one-off activities (over the next year, two a day at most)
/// in the college program, for everyone in it — the demo student's feed then holds them all.
/// Returns how many activities the program has.
pub async fn activities_scale(pool: &sqlx::PgPool, n: usize) -> Result<i64, anyhow::Error> {
    let mut tx = pool.begin().await?;
    let org = crate::tenancy::org_by_slug(&mut tx, super::COLLEGE_SLUG)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo college"))?;
    let (prog, curator, leader): (Uuid, Uuid, Uuid) = sqlx::query!(
        r#"SELECT a.program_id AS "c0!", a.created_by AS "c1!", a.leaders[1] AS "c2!" FROM activities a
          WHERE a.org_id = $1 AND a.format = 'webinar' LIMIT 1"#,
        org.id,
    ).map(|r| (r.c0, r.c1, r.c2))
    .fetch_one(&mut *tx)
    .await?;
    let start = Utc::now() + Duration::days(1);
    for k in 0..n {
        let at = start + Duration::hours(12 * k as i64);
        add_activity(
            &mut tx,
            org.id,
            prog,
            &repo::Input {
                format: ["webinar", "qa", "livecoding", "masterclass"][k % 4],
                topic: &format!("Занятие для замера № {}", k + 1),
                description: "Замер календарной ленты.",
                level: "",
                leaders: &[leader],
                expert: "",
                starts_at: at,
                minutes: 60,
                place: "ауд. 101",
                link: "",
                audience: model::Audience::All,
                classes: &[],
                person_id: None,
                capacity: None,
                repeat_days: &[],
                repeat_until: None,
                recording: "",
                materials: "",
                feedback_questionnaire: None,
            },
            curator,
        )
        .await?;
    }
    let total: i64 = sqlx::query_scalar!(
        r#"SELECT count(*) AS "v!" FROM activities WHERE program_id = $1"#,
        prog,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query!("ANALYZE",).execute(pool).await?;
    Ok(total)
}

/// A new activity of the program, written as the activities' own statement writes it.
async fn add_activity(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    input: &repo::Input<'_>,
    by: Uuid,
) -> Result<Uuid, sqlx::Error> {
    repo::save(conn, (org_id, program_id), None, input, by)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}
