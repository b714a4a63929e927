//! The school's demo people (bases, classes, consents, accounts), its questionnaires with answers and the club's Mentor Match.

#[allow(unused_imports)]
use super::*;
use crate::people::Side;

/// About 60 pupils in six classes, 15 teachers, 5 partner employees; consents (a few missing),
/// tags and requests, enrolments in the three programs, two training sessions with attendance.
pub(super) async fn school_people(
    conn: &mut PgConnection,
    org_id: Uuid,
    curator: Uuid,
    [club, young, trials]: [Uuid; 3],
    (mentor_user, mentee_user): (Uuid, Uuid),
    year_start: NaiveDate,
) -> Result<(), anyhow::Error> {
    use crate::people;
    let classes = [
        ("5А", 2015),
        ("5Б", 2015),
        ("7А", 2013),
        ("7Б", 2013),
        ("9А", 2011),
        ("10А", 2010),
    ];
    let mentee_tags = [
        "неуспеваемость",
        "не вовлечён в жизнь школы",
        "трудная жизненная ситуация",
        "ОВЗ",
        "проблемы с поведением",
        "высокие способности",
    ];
    let requests = [
        (
            "Не получается математика, отстаю по дробям",
            "class_teacher",
        ),
        ("Трудно найти друзей в новом классе", "psychologist"),
        ("Хочу научиться программировать", "self"),
        ("Нужна помощь с подготовкой к ОГЭ по русскому", "parents"),
        (
            "Не хожу ни в какие кружки, скучно после уроков",
            "social_worker",
        ),
    ];
    let mut older = Vec::new();
    let mut younger = Vec::new();
    let mut n = 0usize;
    for (ci, (class_name, year)) in classes.iter().enumerate() {
        for k in 0..10 {
            n += 1;
            let consent = !(k == 7 || (k == 3 && ci % 2 == 0));
            let birth = NaiveDate::from_ymd_opt(
                *year,
                1 + ((n * 5) % 12) as u32,
                1 + ((n * 3) % 28) as u32,
            );
            let tags: Vec<&str> = if ci < 4 && k % 3 == 0 {
                vec![mentee_tags[n % mentee_tags.len()]]
            } else if ci >= 4 && k % 4 == 0 {
                vec!["активист"]
            } else {
                vec![]
            };
            let id = demo_person(
                &mut *conn,
                org_id,
                curator,
                &DemoPerson {
                    name: demo_name(n),
                    kind: "pupil",
                    class_name,
                    birth,
                    extra: ("", None, "", ""),
                    tags: &tags,
                    consent,
                },
            )
            .await?;
            if consent && ci < 4 && k % 3 == 0 {
                let (text, source) = requests[n % requests.len()];
                people::add_request(&mut *conn, org_id, id, curator, text, source).await?;
            }
            if consent {
                if ci >= 4 {
                    older.push(id)
                } else {
                    younger.push(id)
                }
            }
        }
    }
    let mut teachers = Vec::new();
    let subjects = [
        "математика",
        "русский язык и литература",
        "физика",
        "история",
        "английский язык",
        "биология",
        "информатика",
        "химия",
    ];
    for k in 0..15 {
        n += 1;
        let exp = if k < 5 {
            1 + (k % 3) as i32
        } else {
            8 + (k * 3 % 25) as i32
        };
        let tags: Vec<&str> = if k < 5 {
            vec!["молодой специалист"]
        } else if k % 4 == 0 {
            vec!["опытный педагог", "победитель олимпиад/конкурсов"]
        } else {
            vec!["опытный педагог"]
        };
        let birth = NaiveDate::from_ymd_opt(if k < 5 { 1999 } else { 1975 + k as i32 }, 3, 10);
        let id = demo_person(
            &mut *conn,
            org_id,
            curator,
            &DemoPerson {
                name: demo_name(n + 1),
                kind: "teacher",
                class_name: "",
                birth,
                extra: (subjects[k % subjects.len()], Some(exp), "учитель", ""),
                tags: &tags,
                consent: k != 14,
            },
        )
        .await?;
        teachers.push((id, k < 5));
    }
    let mut partners = Vec::new();
    let firms = [
        ("ООО «СтройИнвест»", "инженер-проектировщик"),
        ("АО «Энергосеть»", "главный энергетик"),
        ("ИП Орлова А. В.", "дизайнер"),
        ("ООО «ЦифраСофт»", "программист"),
        ("ГБУЗ «Городская больница № 2»", "врач-терапевт"),
    ];
    for (k, (firm, position)) in firms.iter().enumerate() {
        n += 1;
        let id = demo_person(
            &mut *conn,
            org_id,
            curator,
            &DemoPerson {
                name: demo_name(n + 3),
                kind: "partner",
                class_name: "",
                birth: NaiveDate::from_ymd_opt(1980 + k as i32, 6, 15),
                extra: ("", Some(10 + k as i32), position, firm),
                tags: &["представитель предприятия"],
                consent: true,
            },
        )
        .await?;
        partners.push(id);
    }
    // Enrolments: the club (older pupils mentor younger ones), young teachers, partners.
    for (i, id) in older.iter().take(10).enumerate() {
        crate::participants::enrol(&mut *conn, org_id, club, *id, Side::Mentor).await?;
        let status = [
            "training",
            "training",
            "ready",
            "ready",
            "screening",
            "training",
            "ready",
            "application",
            "training",
            "ready",
        ][i];
        sqlx::query!(
            "UPDATE enrolments SET status = $2 WHERE program_id = $1 AND person_id = $3",
            club,
            status,
            id,
        )
        .execute(&mut *conn)
        .await?;
    }
    for (i, id) in younger.iter().take(20).enumerate() {
        crate::participants::enrol(&mut *conn, org_id, club, *id, Side::Mentee).await?;
        if i % 3 != 0 {
            sqlx::query!(
                "UPDATE enrolments SET status = 'in_base' WHERE program_id = $1 AND person_id = $2",
                club,
                id,
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    for (id, is_young) in teachers.iter().take(10) {
        crate::participants::enrol(
            &mut *conn,
            org_id,
            young,
            *id,
            if *is_young {
                Side::Mentee
            } else {
                Side::Mentor
            },
        )
        .await?;
    }
    for id in &partners {
        crate::participants::enrol(&mut *conn, org_id, trials, *id, Side::Mentor).await?;
    }
    // Two training sessions of the club's mentors.
    let s1 = crate::participants::add_training(
        &mut *conn,
        org_id,
        club,
        year_start + chrono::Duration::days(50),
        "Кто такой наставник: роль, права и обязанности",
    )
    .await?;
    let s2 = crate::participants::add_training(
        &mut *conn,
        org_id,
        club,
        year_start + chrono::Duration::days(57),
        "Ролевая игра «Первая встреча с наставляемым»",
    )
    .await?;
    let mentors: Vec<Uuid> = older.iter().take(10).copied().collect();
    crate::participants::set_attendance(&mut *conn, org_id, club, s1, &mentors[..9]).await?;
    crate::participants::set_attendance(&mut *conn, org_id, club, s2, &mentors[..7]).await?;
    // The demo mentor and mentee accounts are people of the club.
    if let (Some(m), Some(e)) = (mentors.first(), younger.first()) {
        people::link_user(&mut *conn, org_id, *m, mentor_user).await?;
        people::link_user(&mut *conn, org_id, *e, mentee_user).await?;
        // Their people carry the names of the demo accounts.
        for (id, (last, first, middle)) in [
            (*m, ("Иванов", "Андрей", "Сергеевич")),
            (*e, ("Петров", "Никита", "Алексеевич")),
        ] {
            sqlx::query!(
                "UPDATE people SET last_name = $3, first_name = $4, middle_name = $5 WHERE org_id = $1 AND id = $2",
                org_id,
                id,
                last,
                first,
                middle,
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// The mentor and mentee questionnaires given in the club, with varied answers from most
/// participants, a few drafts and a few missing — so that matching has something to work with.
pub(super) async fn demo_questionnaires(
    conn: &mut PgConnection,
    org_id: Uuid,
    curator: Uuid,
    club: Uuid,
) -> Result<(), anyhow::Error> {
    use crate::questionnaires as q;
    use crate::questionnaires::model::{DAYS, PARTS, Raw};
    use crate::questionnaires::templates::{FIELDS, FORMAT, FREQUENCY, HELP_AREAS, INTERESTS};
    q::ensure_templates(&mut *conn, org_id).await?;
    let ids: Vec<(Uuid, String)> = sqlx::query!(
        r#"SELECT id AS "c0!", template_code AS "c1!" FROM questionnaires WHERE org_id = $1 AND template_code IN ('mentor_form', 'mentee_form')"#,
        org_id,
    ).map(|r| (r.c0, r.c1))
        .fetch_all(&mut *conn)
        .await?;
    let participants = crate::participants::participants(&mut *conn, org_id, club).await?;
    let motivations = [
        "Хочу помочь младшим так, как когда-то помогли мне.",
        "Нравится объяснять, и самому так лучше запоминается.",
        "Хочу попробовать себя в роли учителя.",
        "Для портфолио и потому что это интересно.",
        "Сам прошёл через трудный переход в новую школу, знаю, как это.",
    ];
    let goals = [
        "Подтянуть математику и перестать бояться контрольных.",
        "Найти друзей и чувствовать себя увереннее в классе.",
        "Научиться делать проекты и выступать.",
        "Понять, чем хочу заниматься после школы.",
        "Начать программировать.",
    ];
    for (qid, code) in ids {
        let role = if code == "mentor_form" {
            Side::Mentor
        } else {
            Side::Mentee
        };
        let cur = q::current(&mut *conn, org_id, qid)
            .await?
            .ok_or_else(|| anyhow::anyhow!("template"))?;
        let targets: Vec<Uuid> = participants
            .iter()
            .filter(|p| p.role == role)
            .map(|p| p.person_id)
            .collect();
        let aid = q::create_assignment(
            &mut *conn,
            org_id,
            &crate::questionnaires::NewAssignment {
                questionnaire_id: qid,
                program_id: Some(club),
                audience: if role == Side::Mentor {
                    "mentors"
                } else {
                    "mentees"
                },
                deadline: None,
                by: curator,
                people: &targets,
            },
        )
        .await?;
        // Mentors and mentees answer differently, so that some pairs fit better than others.
        let salt = if role == Side::Mentor { 1 } else { 0 };
        for (i, person) in targets.iter().enumerate() {
            // Every seventh has not started, every fifth left a draft.
            if i % 7 == 6 {
                continue;
            }
            let mut raw = Raw::new();
            for question in cur.def.questions() {
                let pick = |list: &[&str], n: usize, shift: usize| -> Vec<String> {
                    (0..n)
                        .map(|k| list[(i * 3 + salt * 5 + k * shift + k) % list.len()].to_string())
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect()
                };
                let v: Vec<String> = match question.matching_key.as_str() {
                    "help_areas" => {
                        if role == Side::Mentor {
                            pick(&HELP_AREAS, 4, 0)
                        } else {
                            pick(&HELP_AREAS, 2 + i % 2, 5)
                        }
                    }
                    "interests" => pick(&INTERESTS, 2 + i % 3, 7),
                    "fields" => pick(&FIELDS, 1 + i % 2, 3),
                    "frequency" => vec![FREQUENCY[(i + salt) % FREQUENCY.len()].to_string()],
                    "format" => vec![FORMAT[(i / 2 + salt) % FORMAT.len()].to_string()],
                    "availability" => (0..3 + i % 4)
                        .map(|k| {
                            format!(
                                "{}-{}",
                                DAYS[(i + salt + k * 2) % 5].0,
                                PARTS[if (i + k + salt) % 3 == 0 { 1 } else { 2 }].0
                            )
                        })
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect(),
                    _ => match question.kind() {
                        crate::questionnaires::model::Kind::LongText if question.required => {
                            vec![
                                if role == Side::Mentor {
                                    motivations[i % motivations.len()]
                                } else {
                                    goals[i % goals.len()]
                                }
                                .to_string(),
                            ]
                        }
                        crate::questionnaires::model::Kind::YesNo => {
                            vec![if i % 3 == 0 { "yes" } else { "no" }.to_string()]
                        }
                        _ => continue,
                    },
                };
                raw.insert(question.key.clone(), v);
            }
            let submit = i % 5 != 4;
            q::save_response(
                &mut *conn,
                org_id,
                &crate::questionnaires::ResponseInput {
                    assignment_id: aid,
                    person_id: *person,
                    version_id: cur.version_id,
                    answers: &raw,
                    submit,
                    on_behalf: false,
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// Mentor Match in «Школа молодого педагога»: after a group meeting both sides ranked whom they
/// would like to work with; three pairs are mutual first choices, one is found by the stable
/// matching, one young teacher has not answered.
pub(super) async fn demo_mentor_match(
    conn: &mut PgConnection,
    org_id: Uuid,
    curator: Uuid,
    program: Uuid,
) -> Result<(), anyhow::Error> {
    use crate::questionnaires as q;
    use crate::questionnaires::model::{Kind, Raw};
    let qid: Uuid = sqlx::query_scalar!(
        r#"SELECT id AS "v!" FROM questionnaires WHERE org_id = $1 AND template_code = 'preferences'"#,
        org_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    let cur = q::current(&mut *conn, org_id, qid)
        .await?
        .ok_or_else(|| anyhow::anyhow!("template"))?;
    let questions: Vec<_> = cur.def.questions().collect();
    let rank = questions
        .iter()
        .find(|x| x.kind() == Kind::RankPeople)
        .ok_or_else(|| anyhow::anyhow!("rank question"))?;
    let why = questions.iter().find(|x| x.kind() == Kind::LongText);
    let people = crate::participants::participants(&mut *conn, org_id, program).await?;
    let side = |role: Side| -> Vec<Uuid> {
        people
            .iter()
            .filter(|p| p.role == role)
            .map(|p| p.person_id)
            .collect()
    };
    let (t, e) = (side(Side::Mentor), side(Side::Mentee));
    if t.len() < 5 || e.len() < 5 {
        return Ok(());
    }
    // (person, ranked choices)
    let wishes: Vec<(Uuid, Vec<Uuid>, &str)> = vec![
        (
            e[0],
            vec![t[0], t[1]],
            "Мы преподаём один предмет, хочу учиться у неё.",
        ),
        (
            e[1],
            vec![t[1], t[0]],
            "Понравилось, как он разбирал трудный урок.",
        ),
        (
            e[2],
            vec![t[0], t[2], t[3]],
            "Нужна помощь с классным руководством.",
        ),
        (e[3], vec![t[2]], "Хочу научиться работать с родителями."),
        (
            t[0],
            vec![e[0], e[2]],
            "Общий предмет, смогу помочь с планированием.",
        ),
        (t[1], vec![e[1]], "Вижу, чем помочь в первый год."),
        (t[2], vec![e[3], e[2]], ""),
        (t[3], vec![e[2], e[4]], ""),
        (t[4], vec![e[4]], ""),
    ];
    for (role, audience) in [(Side::Mentor, "mentors"), (Side::Mentee, "mentees")] {
        let targets = side(role);
        let aid = q::create_assignment(
            &mut *conn,
            org_id,
            &crate::questionnaires::NewAssignment {
                questionnaire_id: qid,
                program_id: Some(program),
                audience,
                deadline: None,
                by: curator,
                people: &targets,
            },
        )
        .await?;
        for (person, list, text) in wishes.iter().filter(|w| targets.contains(&w.0)) {
            let mut raw = Raw::new();
            raw.insert(
                rank.key.clone(),
                list.iter().map(|x| x.to_string()).collect(),
            );
            if let Some(w) = why.filter(|_| !text.is_empty()) {
                raw.insert(w.key.clone(), vec![text.to_string()]);
            }
            q::save_response(
                &mut *conn,
                org_id,
                &crate::questionnaires::ResponseInput {
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
    }
    Ok(())
}
