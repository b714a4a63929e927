//! The club's pairs at work in the demo: five pairs (one a group) agreed five weeks ago and fixed
//! by the director's approved order, weeks of meetings of every type (one cancelled, one group
//! meeting with an absence, planned ones ahead), ratings and the fit check, individual plans with
//! goals at different progress and their history, diary entries — one pair at risk (no meeting
//! for five weeks) and one «не подходим» with the curator's review task.

use chrono::{Duration, NaiveDate};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::meetings::repo as meetings;
use crate::plans::repo as plans;

/// A meeting of the demo: (kind, days from today, topic, result, cancelled reason).
type Demo = (&'static str, i64, &'static str, &'static str, &'static str);

pub(super) async fn meet(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair: Uuid,
    by: Uuid,
    today: NaiveDate,
    (kind, days, topic, result, cancelled): Demo,
    attendance: &[(Uuid, bool)],
) -> Result<Uuid, sqlx::Error> {
    let time = |h: u32, m: u32| chrono::NaiveTime::from_hms_opt(h, m, 0);
    meetings::insert(
        conn,
        org_id,
        &meetings::NewMeeting {
            pair_id: pair,
            kind,
            held_on: today + Duration::days(days),
            starts_at: time(15, 0),
            ends_at: time(15, 45),
            format: if days % 2 == 0 { "offline" } else { "online" },
            place: if days % 2 == 0 {
                "кабинет 214"
            } else {
                "Сферум"
            },
            topic,
            goal: "",
            done: if days > 0 {
                ""
            } else {
                "Разобрали задания, обсудили, что получилось за неделю."
            },
            result: if days > 0 { "" } else { result },
            next_steps: "",
            important: false,
            on_behalf: false,
            cancelled: !cancelled.is_empty(),
            cancel_reason: cancelled,
            private_note: "",
            attendance,
            by,
        },
    )
    .await
}

pub(super) async fn rate(
    conn: &mut PgConnection,
    org_id: Uuid,
    meeting: Uuid,
    person: Uuid,
    rating: i16,
    fit: Option<&str>,
    comment: &str,
) -> Result<(), sqlx::Error> {
    meetings::give_feedback(conn, org_id, meeting, person, rating, fit, comment).await
}

/// A plan with goals: (title, horizon, sphere, stage, status, progress).
async fn plan(
    conn: &mut PgConnection,
    org_id: Uuid,
    (pair, person, by): (Uuid, Uuid, Uuid),
    sphere: &str,
    goals: &[(&str, &str, &str, &str, &str, i16)],
    today: NaiveDate,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let p = plans::plan_of(conn, org_id, pair, person).await?;
    plans::save_analysis(
        conn,
        org_id,
        p.id,
        &plans::Analysis {
            self_analysis: "Хочу лучше понимать математику и не бояться отвечать у доски.",
            joint_analysis: "Сильная память и любознательность; мешает неуверенность и спешка.",
            strengths: "любознательность, ответственность",
            growth_zones: "коммуникация, самоорганизация",
            sphere,
            stages: "club",
        },
    )
    .await?;
    plans::note(
        conn,
        org_id,
        p.id,
        by,
        "Изменено: самоанализ, совместный анализ, сильные стороны, зоны роста",
    )
    .await?;
    let mut ids = Vec::new();
    for (title, horizon, sphere, stage, status, progress) in goals {
        let id = plans::add_goal(
            conn,
            org_id,
            p.id,
            &plans::GoalInput {
                title,
                horizon,
                sphere,
                stage,
                expected: "Результат виден в оценках и в работах",
                measure: "оценки за четверть, портфолио",
                steps: "1) разобрать темы; 2) решать по 5 задач в неделю; 3) показать наставнику",
                due_on: Some(today + Duration::days(60)),
                status,
                progress: *progress,
            },
        )
        .await?;
        plans::note(conn, org_id, p.id, by, &format!("Добавлена цель «{title}»")).await?;
        if *progress > 0 {
            plans::note(
                conn,
                org_id,
                p.id,
                by,
                &format!("Цель «{title}»: прогресс: 0 → {progress} %"),
            )
            .await?;
        }
        ids.push(id);
    }
    Ok(ids)
}

#[allow(clippy::too_many_arguments)]
async fn diary(
    conn: &mut PgConnection,
    org_id: Uuid,
    pair: Uuid,
    person: Uuid,
    by: Uuid,
    days: i64,
    text: (&str, &str, &str),
    mood: i16,
    goal: Option<Uuid>,
    today: NaiveDate,
) -> Result<(), sqlx::Error> {
    plans::add_entry(
        conn,
        org_id,
        &plans::NewEntry {
            pair_id: pair,
            person_id: person,
            written_on: today + Duration::days(days),
            done: text.0,
            worked: text.1,
            hard: text.2,
            mood: Some(mood),
            goal_id: goal,
            by,
        },
    )
    .await?;
    Ok(())
}

/// Five pairs of the club at work; `mentors` and `mentees` are the club's people to pair (the
/// demo accounts' own people are left for the matching journey).
/// A pair (or group) of a program agreed by everyone on `day`.
pub(super) async fn agreed_pair(
    conn: &mut PgConnection,
    org_id: Uuid,
    (program, mentor, kids): (Uuid, Uuid, &[Uuid]),
    by: Uuid,
    day: NaiveDate,
) -> Result<Uuid, sqlx::Error> {
    let id = crate::pairing::repo::create_pair(
        conn,
        org_id,
        &crate::pairing::repo::NewPair {
            program_id: program,
            mentor,
            mentees: kids,
            scheme: "questionnaires",
            score: Some(0.8),
            explanation: "совпадение запросов и интересов",
            by,
        },
    )
    .await?;
    sqlx::query(
        "UPDATE pairs SET status = 'agreed', created_at = $3, settled_at = $3 WHERE org_id = $1 AND id = $2",
    )
    .bind(org_id)
    .bind(id)
    .bind(day.and_hms_opt(10, 0, 0).map(|t| t.and_utc()))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE pair_members SET answer = 'yes', answered_at = $3 WHERE org_id = $1 AND pair_id = $2",
    )
    .bind(org_id)
    .bind(id)
    .bind(day.and_hms_opt(12, 0, 0).map(|t| t.and_utc()))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub(super) async fn pairs_at_work(
    conn: &mut PgConnection,
    org_id: Uuid,
    (curator, director): (Uuid, Uuid),
    club: Uuid,
    (mentors, mentees): (&[Uuid], &[Uuid]),
    today: NaiveDate,
) -> Result<(), anyhow::Error> {
    anyhow::ensure!(
        mentors.len() >= 5 && mentees.len() >= 6,
        "too few club people"
    );
    let agreed = today - Duration::days(40);
    let groups: [(Uuid, Vec<Uuid>); 5] = [
        (mentors[0], vec![mentees[0]]),
        (mentors[1], vec![mentees[1]]),
        (mentors[2], vec![mentees[2], mentees[3]]),
        (mentors[3], vec![mentees[4]]),
        (mentors[4], vec![mentees[5]]),
    ];
    let mut pairs = Vec::new();
    for (mentor, kids) in &groups {
        let id = agreed_pair(conn, org_id, (club, *mentor, kids), curator, agreed).await?;
        pairs.push(id);
    }
    // The director's order fixing them, approved two days after.
    let order = crate::orders::repo::create(
        conn,
        org_id,
        &crate::orders::repo::NewOrder {
            program_id: club,
            plans_due: agreed + Duration::days(30),
            curator_name: "Кузнецова Ольга Петровна",
            by: curator,
            fixes: &pairs,
            cancels: &[],
        },
    )
    .await?;
    crate::orders::repo::approve(
        conn,
        org_id,
        order,
        "112-од",
        agreed + Duration::days(2),
        (director, "Смирнова Елена Викторовна"),
    )
    .await?;
    let m = |i: usize| groups[i].0;
    let k = |i: usize, j: usize| groups[i].1[j];
    // Pair 1: every week, both content; a planned meeting ahead; a plan and a diary.
    let p = pairs[0];
    let mut held = Vec::new();
    for d in [
        (
            "intro",
            -35,
            "Знакомство: интересы, любимые предметы",
            "Договорились встречаться по средам",
            "",
        ),
        (
            "trial",
            -28,
            "Пробная работа: дроби",
            "Решили 6 задач, стало понятнее",
            "",
        ),
        (
            "planning",
            -21,
            "Индивидуальный план",
            "Поставили три цели на четверть",
            "",
        ),
        (
            "regular",
            -14,
            "Подготовка к контрольной",
            "Контрольная написана на «4»",
            "",
        ),
        (
            "regular",
            -7,
            "Проект по окружающему миру",
            "Собрали материал",
            "",
        ),
        (
            "regular",
            -1,
            "Повторение: проценты",
            "Разобрали ошибки",
            "",
        ),
    ] {
        held.push(meet(conn, org_id, p, curator, today, d, &[]).await?);
    }
    meet(
        conn,
        org_id,
        p,
        curator,
        today,
        ("regular", 6, "Задачи на движение", "", ""),
        &[],
    )
    .await?;
    for (i, id) in held.iter().enumerate() {
        let fit = (i == 1).then_some("yes");
        rate(
            conn,
            org_id,
            *id,
            k(0, 0),
            5,
            fit,
            if i == 0 {
                "Было интересно!"
            } else {
                ""
            },
        )
        .await?;
        rate(conn, org_id, *id, m(0), 4 + (i % 2) as i16, fit, "").await?;
    }
    let goals = plan(
        conn,
        org_id,
        (p, k(0, 0), curator),
        "study",
        &[
            (
                "Исправить оценку по математике на «4»",
                "months",
                "study",
                "3",
                "active",
                60,
            ),
            (
                "Выступить на школьной конференции",
                "half",
                "personal",
                "2",
                "new",
                0,
            ),
            (
                "Научиться решать задачи на дроби",
                "months",
                "study",
                "4",
                "done",
                100,
            ),
        ],
        today,
    )
    .await?;
    diary(
        conn,
        org_id,
        p,
        k(0, 0),
        curator,
        -27,
        (
            "Решали дроби",
            "Поняла, как приводить к общему знаменателю",
            "Задачи со скобками",
        ),
        4,
        goals.get(2).copied(),
        today,
    )
    .await?;
    diary(
        conn,
        org_id,
        p,
        k(0, 0),
        curator,
        -13,
        ("Готовились к контрольной", "Написала на «4»!", ""),
        5,
        goals.first().copied(),
        today,
    )
    .await?;
    diary(
        conn,
        org_id,
        p,
        k(0, 0),
        curator,
        -6,
        ("Проект", "Нашли интересные факты", "Мало времени"),
        3,
        None,
        today,
    )
    .await?;
    // Pair 2: every other week; the final meeting planned for the end of the year.
    let p = pairs[1];
    for (i, d) in [
        ("intro", -34, "Знакомство", "Узнали друг о друге", ""),
        (
            "trial",
            -27,
            "Пробная встреча: чтение",
            "Прочитали рассказ и обсудили",
            "",
        ),
        ("planning", -20, "План на четверть", "Две цели", ""),
        ("regular", -6, "Сочинение", "Написали план сочинения", ""),
    ]
    .into_iter()
    .enumerate()
    {
        let id = meet(conn, org_id, p, curator, today, d, &[]).await?;
        let fit = (i == 1).then_some("yes");
        rate(conn, org_id, id, k(1, 0), 4, fit, "").await?;
        rate(conn, org_id, id, m(1), 5, fit, "").await?;
    }
    meet(
        conn,
        org_id,
        p,
        curator,
        today,
        (
            "final",
            180,
            "Итоговая встреча: что получилось за год",
            "",
            "",
        ),
        &[],
    )
    .await?;
    plan(
        conn,
        org_id,
        (p, k(1, 0), curator),
        "creative",
        &[
            (
                "Читать по книге в месяц",
                "year",
                "personal",
                "2",
                "active",
                40,
            ),
            (
                "Написать рассказ для школьной газеты",
                "half",
                "creative",
                "3",
                "active",
                20,
            ),
        ],
        today,
    )
    .await?;
    // Pair 3: a group of two; «пока не ясно» then «подходим»; a cancelled meeting; an absence.
    let p = pairs[2];
    let intro = meet(
        conn,
        org_id,
        p,
        curator,
        today,
        (
            "intro",
            -33,
            "Знакомство группы",
            "Придумали название команды",
            "",
        ),
        &[(k(2, 0), true), (k(2, 1), true)],
    )
    .await?;
    let trial = meet(
        conn,
        org_id,
        p,
        curator,
        today,
        (
            "trial",
            -26,
            "Пробная встреча: настольные игры",
            "Сыграли в шахматы",
            "",
        ),
        &[(k(2, 0), true), (k(2, 1), true)],
    )
    .await?;
    meet(
        conn,
        org_id,
        p,
        curator,
        today,
        ("planning", -19, "План группы", "", "Карантин в 5А"),
        &[],
    )
    .await?;
    let regular = meet(
        conn,
        org_id,
        p,
        curator,
        today,
        (
            "regular",
            -12,
            "Шахматная задача недели",
            "Решили две задачи",
            "",
        ),
        &[(k(2, 0), true), (k(2, 1), false)],
    )
    .await?;
    meet(
        conn,
        org_id,
        p,
        curator,
        today,
        (
            "planning",
            -5,
            "План группы (перенесённая встреча)",
            "Цели на каждого",
            "",
        ),
        &[(k(2, 0), true), (k(2, 1), true)],
    )
    .await?;
    rate(conn, org_id, intro, k(2, 0), 5, None, "").await?;
    rate(conn, org_id, trial, k(2, 0), 4, Some("yes"), "").await?;
    rate(
        conn,
        org_id,
        trial,
        k(2, 1),
        3,
        Some("unsure"),
        "Пока непривычно",
    )
    .await?;
    rate(conn, org_id, regular, k(2, 1), 4, Some("yes"), "").await?;
    rate(conn, org_id, trial, m(2), 4, Some("yes"), "").await?;
    for j in 0..2 {
        plan(
            conn,
            org_id,
            (p, k(2, j), curator),
            "sport",
            &[(
                "Разряд по шахматам",
                "year",
                "sport",
                "3",
                "active",
                10 + 20 * j as i16,
            )],
            today,
        )
        .await?;
    }
    // Pair 4: at risk — one meeting five weeks ago, nothing since.
    let id = meet(
        conn,
        org_id,
        pairs[3],
        curator,
        today,
        ("intro", -36, "Знакомство", "Договорились созвониться", ""),
        &[],
    )
    .await?;
    rate(conn, org_id, id, k(3, 0), 3, None, "").await?;
    // Pair 5: «не подходим» after the trial meeting, and the curator's task to review it.
    let p = pairs[4];
    let intro = meet(
        conn,
        org_id,
        p,
        curator,
        today,
        ("intro", -30, "Знакомство", "Поговорили об интересах", ""),
        &[],
    )
    .await?;
    let trial = meet(
        conn,
        org_id,
        p,
        curator,
        today,
        (
            "trial",
            -9,
            "Пробная встреча: английский",
            "Разобрали тему",
            "",
        ),
        &[],
    )
    .await?;
    rate(conn, org_id, intro, k(4, 0), 3, None, "").await?;
    rate(
        conn,
        org_id,
        trial,
        k(4, 0),
        2,
        Some("no"),
        "Мне неловко, хотелось бы другого наставника",
    )
    .await?;
    rate(conn, org_id, trial, m(4), 3, Some("unsure"), "").await?;
    crate::roadmap::add_curator_task(
        conn,
        org_id,
        club,
        "Рассмотреть пару: наставляемый ответил «не подходим» после пробной встречи",
        today + Duration::days(2),
        curator,
    )
    .await?;
    // The group has finished its term: a final meeting, the results written back into the
    // bases, the mentor's report; two best mentors (one confirmed); the curator's SWOT.
    meet(
        conn,
        org_id,
        pairs[2],
        curator,
        today,
        (
            "final",
            -1,
            "Итоговая встреча: турнир группы",
            "Оба сыграли турнир",
            "",
        ),
        &[(k(2, 0), true), (k(2, 1), true)],
    )
    .await?;
    crate::pairing::complete_pair(conn, org_id, pairs[2]).await?;
    let results = "Турнир группы сыгран, оба получили III юношеский разряд по шахматам";
    crate::completion::repo::insert(
        conn,
        org_id,
        pairs[2],
        &crate::completion::repo::Results {
            ended_on: today - Duration::days(1),
            early: false,
            early_reason: String::new(),
            results: results.into(),
            links: "https://disk.yandex.ru/d/demo-chess".into(),
            goals_reached: "yes".into(),
            decision: "continue".into(),
            mentor_report: "Группа занималась регулярно; ребята научились разбирать свои партии."
                .into(),
            mentee_report: String::new(),
        },
        curator,
    )
    .await?;
    let from = crate::web::forms::ru_date(agreed);
    let to = crate::web::forms::ru_date(today - Duration::days(1));
    for (person, others, status) in [
        (m(2), "группой наставляемых", None),
        (k(2, 0), "наставником", Some("in_base")),
        (k(2, 1), "наставником", Some("in_base")),
    ] {
        let line =
            crate::completion::model::history_line(others, (&from, &to), results, "да", None);
        crate::participants::add_results(conn, org_id, (club, person), &line, status).await?;
    }
    for (mentor, reason, confirm) in [
        (
            m(2),
            "Группа достигла всех целей: разряды по шахматам",
            true,
        ),
        (
            m(0),
            "Высокие оценки наставляемой и все встречи по плану",
            false,
        ),
    ] {
        crate::completion::repo::nominate(conn, org_id, (club, mentor), reason, curator).await?;
        if confirm {
            crate::completion::repo::decide_best(conn, org_id, (club, mentor), Some(director))
                .await?;
        }
    }
    crate::monitoring::repo::set_swot(
        conn,
        org_id,
        club,
        &[
            "Старшеклассники-наставники мотивированы; встречи раз в неделю".into(),
            "Не все пары ведут дневник прогресса".into(),
            "Шахматный клуб и школьная газета как площадки для проектов".into(),
            "Нагрузка выпускников в мае".into(),
        ],
        curator,
    )
    .await?;
    // A weekly rhythm for the club's pairs, as the club meets.
    for p in &pairs {
        crate::pairing::set_rhythm(conn, org_id, *p, 7).await?;
    }
    Ok(())
}

/// A program at scale for timing the pages of pairs at work: `pairs` agreed pairs (two per
/// mentor; the demo mentor has three of them) fixed by an approved order, `meetings` meetings
/// spread over them (most held, some planned), ratings on half of them, a plan with three goals
/// per pair. Returns (program id, name).
pub async fn pairs_scale(
    pool: &sqlx::PgPool,
    pairs: usize,
    meetings: usize,
) -> Result<(Uuid, String), anyhow::Error> {
    use super::{DemoPerson, DemoProgram, Progress, demo_name, demo_person, program};
    let mut tx = pool.begin().await?;
    let org = crate::tenancy::org_by_slug(&mut tx, super::SCHOOL_SLUG)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo school"))?;
    let today = chrono::Utc::now().date_naive();
    let id_of = |email: &'static str| {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM users WHERE email = $1").bind(email)
    };
    let curator = id_of("curator@demo.local").fetch_one(&mut *tx).await?;
    let director = id_of("director@demo.local").fetch_one(&mut *tx).await?;
    let demo_mentor: Uuid = sqlx::query_scalar(
        "SELECT p.id FROM people p JOIN users u ON u.id = p.user_id
          WHERE p.org_id = $1 AND u.email = 'mentor@demo.local'",
    )
    .bind(org.id)
    .fetch_one(&mut *tx)
    .await?;
    let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM programs WHERE org_id = $1")
        .bind(org.id)
        .fetch_one(&mut *tx)
        .await?;
    let name = format!("Пары в работе (замер) № {}", taken + 1);
    let program_id = program(
        &mut tx,
        org.id,
        curator,
        &DemoProgram {
            name: &name,
            form: "student_student",
            variants: &["ss_achiever"],
            description: "Замер страниц пар в работе: встречи, оценки, планы.",
            dates: super::school_year(today),
            status: "active",
            progress: Progress::NotStarted,
        },
    )
    .await?;
    let person = |k: usize, class: &'static str| DemoPerson {
        name: demo_name(k),
        kind: "pupil",
        class_name: class,
        birth: None,
        extra: ("", None, "", ""),
        tags: &[],
        consent: true,
    };
    let mut mentors = vec![demo_mentor];
    for k in 0..pairs.div_ceil(2) {
        let p = person(k * 3 + 1, "10А");
        mentors.push(demo_person(&mut tx, org.id, curator, &p).await?);
    }
    let mut mentees = Vec::new();
    for k in 0..pairs {
        let p = person(k * 3 + 2, "6Б");
        mentees.push(demo_person(&mut tx, org.id, curator, &p).await?);
    }
    for m in &mentors {
        crate::participants::enrol(&mut tx, org.id, program_id, *m, "mentor").await?;
    }
    for m in &mentees {
        crate::participants::enrol(&mut tx, org.id, program_id, *m, "mentee").await?;
    }
    let mut ids = Vec::with_capacity(pairs);
    for (i, kid) in mentees.iter().enumerate() {
        // The demo mentor leads the first three pairs; then two pairs per mentor.
        let mentor = if i < 3 {
            mentors[0]
        } else {
            mentors[1 + (i - 3) / 2]
        };
        ids.push(
            crate::pairing::repo::create_pair(
                &mut tx,
                org.id,
                &crate::pairing::repo::NewPair {
                    program_id,
                    mentor,
                    mentees: std::slice::from_ref(kid),
                    scheme: "questionnaires",
                    score: Some(0.7),
                    explanation: "",
                    by: curator,
                },
            )
            .await?,
        );
    }
    let agreed = today - Duration::days(120);
    sqlx::query(
        "UPDATE pairs SET status = 'agreed', settled_at = $3 WHERE org_id = $1 AND id = ANY($2)",
    )
    .bind(org.id)
    .bind(&ids)
    .bind(agreed.and_hms_opt(10, 0, 0).map(|t| t.and_utc()))
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE pair_members SET answer = 'yes' WHERE org_id = $1 AND pair_id = ANY($2)")
        .bind(org.id)
        .bind(&ids)
        .execute(&mut *tx)
        .await?;
    let order = crate::orders::repo::create(
        &mut tx,
        org.id,
        &crate::orders::repo::NewOrder {
            program_id,
            plans_due: agreed + Duration::days(30),
            curator_name: "Кузнецова Ольга Петровна",
            by: curator,
            fixes: &ids,
            cancels: &[],
        },
    )
    .await?;
    crate::orders::repo::approve(
        &mut tx,
        org.id,
        order,
        "200-од",
        agreed + Duration::days(1),
        (director, "Смирнова Елена Викторовна"),
    )
    .await?;
    // Meetings: spread evenly, every 3–4 days from the agreement on (the last ones ahead).
    let per = meetings.div_ceil(pairs.max(1)) as i32;
    sqlx::query(
        "INSERT INTO meetings (org_id, pair_id, kind, held_on, starts_at, ends_at, format, topic,
                               result, done)
         SELECT $1, p.id,
                CASE WHEN k = 1 THEN 'intro' WHEN k = 2 THEN 'trial' WHEN k = 3 THEN 'planning'
                     ELSE 'regular' END,
                $3::date + (k * 120 / $4)::int + (p.n % 3)::int, time '15:00', time '15:45',
                CASE WHEN k % 3 = 0 THEN 'online' ELSE 'offline' END,
                'Встреча № ' || k, 'Разобрали тему, наметили шаги', 'Решали задачи'
           FROM unnest($2::uuid[]) WITH ORDINALITY AS p(id, n), generate_series(1, $4) AS k
          LIMIT $5",
    )
    .bind(org.id)
    .bind(&ids)
    .bind(agreed)
    .bind(per + per / 10)
    .bind(meetings as i64)
    .execute(&mut *tx)
    .await?;
    // The mentee rates every other held meeting; the trial one says «подходим».
    sqlx::query(
        "INSERT INTO meeting_feedback (meeting_id, org_id, person_id, rating, fit)
         SELECT m.id, m.org_id, pm.person_id, 3 + (abs(hashtext(m.id::text)) % 3),
                CASE WHEN m.kind = 'trial' THEN 'yes' END
           FROM meetings m JOIN pair_members pm ON pm.pair_id = m.pair_id AND pm.role = 'mentee'
          WHERE m.org_id = $1 AND m.pair_id = ANY($2) AND m.held_on <= $3
            AND (m.kind = 'trial' OR abs(hashtext(m.id::text)) % 2 = 0)",
    )
    .bind(org.id)
    .bind(&ids)
    .bind(today)
    .execute(&mut *tx)
    .await?;
    // A plan with three goals per pair.
    sqlx::query(
        "WITH p AS (
            INSERT INTO plans (org_id, pair_id, person_id, sphere)
            SELECT $1, pm.pair_id, pm.person_id, 'study' FROM pair_members pm
             WHERE pm.org_id = $1 AND pm.pair_id = ANY($2) AND pm.role = 'mentee'
            RETURNING id)
         INSERT INTO plan_goals (org_id, plan_id, title, horizon, sphere, status, progress)
         SELECT $1, p.id, 'Цель ' || g, 'months', 'study',
                CASE WHEN g = 1 THEN 'done' ELSE 'active' END, (g * 30)::smallint
           FROM p, generate_series(1, 3) AS g",
    )
    .bind(org.id)
    .bind(&ids)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // Fresh statistics, as autovacuum would gather them after such a load.
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok((program_id, name))
}
