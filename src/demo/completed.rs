//! The demo's completed program: last school year's «Ученик – ученик», closed by the curator —
//! four pairs (one a group, one ended early because the mentee moved) with their meetings, the
//! pairs' form variants, results written back into the bases with both sides' reports, both
//! measurements for most participants (two mentees without a pair; some measurements missing),
//! the satisfaction questionnaires answered, two best mentors confirmed by the director, the
//! curator's SWOT and a published case.

use chrono::{Datelike, Duration, NaiveDate};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::completion::repo::{self as completion, Results};
use crate::people::Side;
use crate::questionnaires::model::{Kind, Raw};

/// One pair of the program: (mentor, mentees, variant, results, goals reached, early reason).
type Story = (
    Uuid,
    Vec<Uuid>,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

/// Last year's program, completed end to end; returns its id.
pub(super) async fn last_year(
    conn: &mut PgConnection,
    org_id: Uuid,
    (curator, director): (Uuid, Uuid),
    (mentors, mentees): (&[Uuid], &[Uuid]),
    this_year: (NaiveDate, NaiveDate),
) -> Result<Uuid, anyhow::Error> {
    anyhow::ensure!(
        mentors.len() >= 4 && mentees.len() >= 7,
        "too few people for last year's program"
    );
    let back = |d: NaiveDate| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), d.day());
    let (start, end) = (
        back(this_year.0).unwrap_or(this_year.0),
        back(this_year.1).unwrap_or(this_year.1),
    );
    let program = super::program(
        conn,
        org_id,
        curator,
        &super::DemoProgram {
            name: &format!("«Ученик – ученик», {}/{} учебный год", start.year(), end.year() % 100),
            form: "student_student",
            variants: &["ss_achiever", "ss_leader_passive"],
            description: "Прошлогодняя программа: старшеклассники помогали пятиклассникам с учёбой и адаптацией. Завершена, итоги подведены.",
            dates: (start, end),
            status: "active",
            progress: super::Progress::Done,
        },
    )
    .await?;
    for (people, role) in [(&mentors[..4], Side::Mentor), (&mentees[..7], Side::Mentee)] {
        for p in people {
            crate::participants::enrol(&mut *conn, org_id, program, *p, role).await?;
        }
    }
    sqlx::query!(
        "UPDATE enrolments SET status = CASE role WHEN 'mentor' THEN 'ready' ELSE 'in_base' END,
                joined_on = $3
          WHERE org_id = $1 AND program_id = $2",
        org_id,
        program,
        start + Duration::days(10),
    )
    .execute(&mut *conn)
    .await?;
    let stories: [Story; 4] = [
        (
            mentors[0],
            vec![mentees[0]],
            "ss_achiever",
            "Годовая оценка по математике поднялась с «3» до «4», контрольные без двоек",
            "yes",
            None,
        ),
        (
            mentors[1],
            vec![mentees[1]],
            "ss_leader_passive",
            "Выступил на школьной конференции с проектом о родном крае",
            "mostly",
            None,
        ),
        (
            mentors[2],
            vec![mentees[2], mentees[3]],
            "ss_achiever",
            "Оба закончили год без троек по русскому языку",
            "yes",
            None,
        ),
        (
            mentors[3],
            vec![mentees[4]],
            "ss_leader_passive",
            "Начали проект школьного радио",
            "partly",
            Some("moved"),
        ),
    ];
    let agreed = start + Duration::days(20);
    for (k, (mentor, kids, variant, results, goals, early)) in stories.iter().enumerate() {
        let pair =
            super::work::agreed_pair(conn, org_id, (program, *mentor, kids), curator, agreed)
                .await?;
        super::as_member(conn, (org_id, curator), async |c, by| {
            crate::pairing::set_variant(c, by, program, pair, Some(variant)).await
        })
        .await?;
        let ended = if early.is_some() {
            start + Duration::days(130)
        } else {
            end - Duration::days(7 + k as i64)
        };
        // A meeting every four weeks, the last one the final meeting.
        let everyone: Vec<(Uuid, bool)> = std::iter::once(*mentor)
            .chain(kids.iter().copied())
            .map(|p| (p, true))
            .collect();
        let mut day = agreed + Duration::days(7);
        let mut n = 0;
        while day < ended {
            let meeting = super::work::meet(
                conn,
                org_id,
                pair,
                curator,
                day,
                (
                    "regular",
                    0,
                    "Разбор заданий недели",
                    "Задания разобраны",
                    "",
                ),
                &everyone,
            )
            .await?;
            // The mentees rate most meetings: 4 or 5 of 5.
            for (j, kid) in kids.iter().enumerate() {
                if (n + j) % 4 != 3 {
                    let stars = if (n + j + k) % 3 == 0 { 4 } else { 5 };
                    super::work::rate(conn, org_id, meeting, *kid, stars, None, "").await?;
                }
            }
            n += 1;
            day += Duration::days(28);
        }
        super::work::meet(
            conn,
            org_id,
            pair,
            curator,
            ended,
            ("final", 0, "Итоговая встреча", results, ""),
            &everyone,
        )
        .await?;
        crate::pairing::complete_pair(conn, org_id, pair).await?;
        let decision = if k == 0 {
            crate::completion::model::Decision::Continue
        } else {
            crate::completion::model::Decision::Stop
        };
        let reached = crate::completion::model::Reached::parse(goals).expect("a code");
        completion::insert(
            conn,
            org_id,
            pair,
            &Results {
                ended_on: ended,
                early: early.is_some(),
                early_reason: early.and_then(crate::completion::model::EarlyReason::parse),
                results: (*results).into(),
                links: String::new(),
                goals_reached: reached,
                decision,
                mentor_report: "Встречались регулярно, план выполнен; наставляемый стал увереннее."
                    .into(),
                mentee_report: "Мне помогли разобраться с трудными темами, было интересно.".into(),
            },
            curator,
        )
        .await?;
        let goals_label = reached.label();
        let dates = (
            crate::web::forms::ru_date(agreed),
            crate::web::forms::ru_date(ended),
        );
        for (person, others, status) in std::iter::once((
            *mentor,
            "наставляемыми",
            Some(crate::participants::EnrolmentStatus::Finished),
        ))
        .chain(kids.iter().map(|k| {
            (
                *k,
                "наставником",
                Some(if decision == crate::completion::model::Decision::Stop {
                    crate::participants::EnrolmentStatus::Finished
                } else {
                    crate::participants::EnrolmentStatus::InBase
                }),
            )
        })) {
            let line = crate::completion::model::history_line(
                others,
                (&dates.0, &dates.1),
                results,
                goals_label,
                early
                    .and_then(crate::completion::model::EarlyReason::parse)
                    .map(crate::completion::model::EarlyReason::label),
            );
            crate::participants::add_results(conn, org_id, (program, person), &line, status)
                .await?;
        }
        crate::participants::set_ready_to_continue(conn, org_id, (program, *mentor), k != 3)
            .await?;
    }
    super::monitoring::program_monitoring(conn, org_id, program, curator).await?;
    satisfaction(conn, org_id, program, curator, end).await?;
    for (mentor, reason) in [
        (
            mentors[0],
            "Наставляемая достигла всех целей, встречи — строго по плану",
        ),
        (
            mentors[2],
            "Группа закончила год без троек, высокие оценки наставляемых",
        ),
    ] {
        let who = (curator, director);
        super::best_mentor(conn, org_id, (program, mentor, reason), who, true).await?;
    }
    super::swot(
        conn,
        org_id,
        (program, curator),
        [
            "Пары встречались регулярно, наставники-старшеклассники ответственные",
            "Мало встреч в период экзаменов",
            "Привлечь выпускников как наставников",
            "Переезд семей и смена школы",
        ],
    )
    .await?;
    let mut case = completion::Case {
            program_id: Some(program),
            title: "От тройки к четвёрке: математика в паре".into(),
            problem: "Пятиклассница боялась контрольных по математике и получала тройки.".into(),
            done: "Раз в неделю пара разбирала трудные задачи; наставница составила план из трёх целей и вела дневник прогресса.".into(),
            result: "Годовая оценка поднялась до «4», контрольные без двоек; наставляемая сама помогает однокласснице.".into(),
            quotes: "«Теперь я не боюсь контрольных» — наставляемая.".into(),
            consented: true,
            published: true,
            ..Default::default()
    };
    // Checked for the names of the school's people, as the curator's page checks it.
    let text = [
        &case.title,
        &case.problem,
        &case.done,
        &case.result,
        &case.quotes,
    ]
    .map(|s| s.as_str())
    .join("\n");
    case.names_checked = completion::names_in_text(conn, org_id, &text)
        .await?
        .is_empty();
    completion::save_case(conn, org_id, &case, curator).await?;
    crate::programs::finish(conn, org_id, program).await?;
    Ok(program)
}

/// The built-in satisfaction questionnaires given at the end and answered by all but one.
async fn satisfaction(
    conn: &mut PgConnection,
    org_id: Uuid,
    program: Uuid,
    curator: Uuid,
    answered_on: NaiveDate,
) -> Result<(), anyhow::Error> {
    use crate::questionnaires as q;
    q::ensure_templates(&mut *conn, org_id).await?;
    let participants = crate::participants::participants(&mut *conn, org_id, program).await?;
    for (code, role, audience) in [
        ("satisfaction_mentors", Side::Mentor, "mentors"),
        ("satisfaction_mentees", Side::Mentee, "mentees"),
    ] {
        let cur = q::template(&mut *conn, org_id, code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no {code}"))?;
        let targets: Vec<Uuid> = participants
            .iter()
            .filter(|p| p.role == role)
            .map(|p| p.person_id)
            .collect();
        let aid = q::create_assignment(
            &mut *conn,
            org_id,
            &q::NewAssignment {
                questionnaire_id: cur.id,
                program_id: Some(program),
                audience,
                deadline: None,
                by: curator,
                people: &targets,
            },
        )
        .await?;
        for (i, person) in targets.iter().enumerate().filter(|(i, _)| i % 6 != 5) {
            let mut raw = Raw::new();
            for (j, question) in cur.def.questions().enumerate() {
                let v = match question.kind() {
                    Kind::Scale => (7 + (i + j) % 4).to_string(),
                    Kind::Single => question.options[(i + j) % 2 + 1].clone(),
                    Kind::YesNo => if (i + j) % 4 == 0 { "no" } else { "yes" }.to_string(),
                    Kind::LongText if j % 2 == 0 => [
                        "Регулярные встречи и поддержка",
                        "Совместный проект",
                        "Что меня слушали",
                    ][i % 3]
                        .to_string(),
                    _ => continue,
                };
                raw.insert(question.key.clone(), vec![v]);
            }
            q::save_response(
                &mut *conn,
                org_id,
                &q::ResponseInput {
                    assignment_id: aid,
                    person_id: *person,
                    version_id: cur.version_id,
                    answers: &raw,
                    submit: true,
                    on_behalf: false,
                },
            )
            .await?;
        }
        // Answered in the program's last week, not on the day the demo was loaded.
        sqlx::query!(
            "UPDATE responses SET submitted_at = $3, updated_at = $3 WHERE org_id = $1 AND assignment_id = $2",
            org_id,
            aid,
            answered_on.and_hms_opt(12, 0, 0).map(|t| t.and_utc()),
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
