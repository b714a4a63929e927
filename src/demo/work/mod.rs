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

mod scale;
#[allow(unused_imports)]
pub use scale::*;

mod club;
#[allow(unused_imports)]
pub use club::*;

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
            kind: crate::meetings::model::MeetingKind::parse(kind).expect("a meeting kind"),
            held_on: today + Duration::days(days),
            starts_at: time(15, 0),
            ends_at: time(15, 45),
            format: if days % 2 == 0 {
                crate::meetings::model::MeetingFormat::Offline
            } else {
                crate::meetings::model::MeetingFormat::Online
            },
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
        let id = plans::save_goal(
            conn,
            (org_id, p.id),
            None,
            &plans::GoalInput {
                title,
                horizon: crate::plans::model::Horizon::parse(horizon).expect("a horizon"),
                sphere: crate::plans::model::Sphere::parse(sphere).expect("a sphere"),
                stage,
                expected: "Результат виден в оценках и в работах",
                measure: "оценки за четверть, портфолио",
                steps: "1) разобрать темы; 2) решать по 5 задач в неделю; 3) показать наставнику",
                due_on: Some(today + Duration::days(60)),
                status: crate::plans::GoalStatus::parse(status).expect("a goal status"),
                progress: *progress,
            },
        )
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
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
    sqlx::query!(
        "UPDATE pairs SET status = 'agreed', created_at = $3, settled_at = $3 WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        day.and_hms_opt(10, 0, 0).map(|t| t.and_utc()),
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE pair_members SET answer = 'yes', answered_at = $3 WHERE org_id = $1 AND pair_id = $2",
        org_id,
        id,
        day.and_hms_opt(12, 0, 0).map(|t| t.and_utc()),
    )
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
    // The curator's order fixing them, approved by the director two days after — through the
    // orders' commands, as on the page.
    let program = crate::programs::program(conn, org_id, club)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the club program"))?;
    let draft = crate::orders::DraftForm {
        plans_due: (agreed + Duration::days(30)).to_string(),
        curator_name: "Кузнецова Ольга Петровна".into(),
    };
    let order = super::as_member(conn, (org_id, curator), async |c, by| {
        crate::orders::prepare(c, by, &program, &draft).await
    })
    .await?;
    let approval = crate::orders::ApprovalForm {
        number: "112-од".into(),
        signed_on: (agreed + Duration::days(2)).to_string(),
    };
    super::as_member(conn, (org_id, director), async |c, by| {
        crate::orders::approve(c, by, &program, order, &approval).await
    })
    .await?;
    let m = |i: usize| groups[i].0;
    let k = |i: usize, j: usize| groups[i].1[j];
    pair_one(conn, org_id, (pairs[0], m(0), k(0, 0)), curator, today).await?;
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
    pairs_three_to_five(conn, org_id, (club, curator), &pairs, &groups, today).await?;
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
            early_reason: None,
            results: results.into(),
            links: "https://disk.yandex.ru/d/demo-chess".into(),
            goals_reached: crate::completion::model::Reached::Yes,
            decision: crate::completion::model::Decision::Continue,
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
        (
            k(2, 0),
            "наставником",
            Some(crate::participants::EnrolmentStatus::InBase),
        ),
        (
            k(2, 1),
            "наставником",
            Some(crate::participants::EnrolmentStatus::InBase),
        ),
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
        let who = (curator, director);
        super::best_mentor(conn, org_id, (club, mentor, reason), who, confirm).await?;
    }
    super::swot(
        conn,
        org_id,
        (club, curator),
        [
            "Старшеклассники-наставники мотивированы; встречи раз в неделю",
            "Не все пары ведут дневник прогресса",
            "Шахматный клуб и школьная газета как площадки для проектов",
            "Нагрузка выпускников в мае",
        ],
    )
    .await?;
    // A weekly rhythm for the club's pairs, as the club meets.
    for p in &pairs {
        crate::pairing::set_rhythm(conn, org_id, *p, 7).await?;
    }
    Ok(())
}
