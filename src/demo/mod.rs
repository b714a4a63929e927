//! The demo data set: a school with three programs (one per form it runs) and a college, so that
//! tenancy is visible. Idempotent: a second run changes nothing.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

mod college;
mod completed;
mod monitoring;
mod region;
mod work;

pub use college::activities_scale;
pub use monitoring::monitoring_scale;
pub use region::{Made, region_scale};
pub use work::pairs_scale;

use crate::auth::model::{Role, hash_password};
use crate::programs::{self as programs, ProgramInput};
use crate::tenancy::{self as tenancy, NewOrg};

pub const PASSWORD: &str = "demo12345";

pub const LOGINS: [(&str, &str); 10] = [
    ("admin@demo.local", "администратор платформы"),
    ("director@demo.local", "директор, МБОУ «СОШ № 1»"),
    ("curator@demo.local", "куратор, МБОУ «СОШ № 1»"),
    ("mentor@demo.local", "наставник, МБОУ «СОШ № 1»"),
    ("mentee@demo.local", "наставляемый, МБОУ «СОШ № 1»"),
    (
        "college-curator@demo.local",
        "куратор, ГАПОУ «Строительный колледж»",
    ),
    (
        "college-mentor@demo.local",
        "наставник (ведёт занятия), колледж",
    ),
    (
        "college-student@demo.local",
        "студент (посещает занятия), колледж",
    ),
    (
        "municipality@demo.local",
        "специалист муниципалитета, ГО Верхнеозёрск (без персональных данных)",
    ),
    (
        "region@demo.local",
        "специалист региона, Самарская область (без персональных данных)",
    ),
];

pub const SCHOOL_SLUG: &str = "sosh-1";
pub const COLLEGE_SLUG: &str = "stroy-college";

/// How far along a demo roadmap is.
#[derive(Clone, Copy)]
enum Progress {
    /// Tasks due before today are done, but the last two of them (overdue / in progress).
    Running,
    /// Behind schedule: only half of the past tasks are done.
    Behind,
    /// Nothing started.
    NotStarted,
    /// Every task done (a completed program).
    Done,
}

async fn user(
    conn: &mut PgConnection,
    email: &str,
    name: &str,
    admin: bool,
) -> Result<Uuid, anyhow::Error> {
    let (u, _) = crate::auth::find_or_create_user(&mut *conn, email, name, admin).await?;
    if !crate::auth::has_password(&mut *conn, u.id).await? {
        let hash = crate::auth::model::blocking(|| hash_password(PASSWORD))
            .await?
            .map_err(anyhow::Error::msg)?;
        crate::auth::set_password(&mut *conn, u.id, &hash).await?;
    }
    Ok(u.id)
}

fn school_year(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let y = if today.month() >= 8 {
        today.year()
    } else {
        today.year() - 1
    };
    (
        NaiveDate::from_ymd_opt(y, 9, 1).unwrap_or(today),
        NaiveDate::from_ymd_opt(y + 1, 5, 31).unwrap_or(today + Duration::days(270)),
    )
}

async fn set_progress(
    conn: &mut PgConnection,
    org_id: Uuid,
    program_id: Uuid,
    progress: Progress,
    by: Uuid,
) -> Result<(), sqlx::Error> {
    let today = Utc::now().date_naive();
    let tasks = crate::roadmap::tasks(&mut *conn, org_id, program_id).await?;
    let past: Vec<_> = tasks.iter().filter(|t| t.due_on < today).collect();
    let upcoming: Vec<_> = tasks.iter().filter(|t| t.due_on >= today).collect();
    for (i, t) in past.iter().enumerate() {
        let status = match progress {
            Progress::Running if i + 2 >= past.len() => {
                if i + 1 == past.len() {
                    "in_progress"
                } else {
                    "todo"
                }
            }
            Progress::Running | Progress::Done => "done",
            Progress::Behind if i % 2 == 0 => "done",
            Progress::Behind => "in_progress",
            Progress::NotStarted => "todo",
        };
        crate::roadmap::set_task_status(
            &mut *conn, org_id, program_id, t.id, t.version, by, status,
        )
        .await?;
    }
    if let (Progress::Running, Some(t)) = (progress, upcoming.first()) {
        crate::roadmap::set_task_status(
            &mut *conn,
            org_id,
            program_id,
            t.id,
            t.version,
            by,
            "in_progress",
        )
        .await?;
    }
    Ok(())
}

/// A demo program: its name, form and variants, description, dates, status and how far its
/// roadmap has come.
struct DemoProgram<'a> {
    name: &'a str,
    form: &'a str,
    variants: &'a [&'a str],
    description: &'a str,
    dates: (NaiveDate, NaiveDate),
    status: &'a str,
    progress: Progress,
}

async fn program(
    conn: &mut PgConnection,
    org_id: Uuid,
    curator: Uuid,
    p: &DemoProgram<'_>,
) -> Result<Uuid, anyhow::Error> {
    let DemoProgram {
        name,
        form,
        variants,
        description,
        dates: (start, end),
        status,
        progress,
    } = *p;
    let goal = programs::form(&mut *conn, form)
        .await?
        .map(|f| f.goal)
        .unwrap_or_default();
    let variants: Vec<String> = variants.iter().map(|v| v.to_string()).collect();
    let id = programs::create_program(
        &mut *conn,
        org_id,
        &ProgramInput {
            name,
            form_code: form,
            variant_codes: &variants,
            goal: &goal,
            description,
            starts_on: start,
            ends_on: end,
            status,
            curator_user_id: Some(curator),
        },
    )
    .await?;
    set_progress(&mut *conn, org_id, id, progress, curator).await?;
    Ok(id)
}

/// Common Russian surnames (masculine, feminine): for demo people, test data and generated lists.
pub const SURNAMES: [(&str, &str); 20] = [
    ("Иванов", "Иванова"),
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Васильев", "Васильева"),
    ("Петров", "Петрова"),
    ("Соколов", "Соколова"),
    ("Михайлов", "Михайлова"),
    ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Алексеев", "Алексеева"),
    ("Лебедев", "Лебедева"),
    ("Семёнов", "Семёнова"),
    ("Егоров", "Егорова"),
    ("Павлов", "Павлова"),
    ("Козлов", "Козлова"),
    ("Степанов", "Степанова"),
    ("Николаев", "Николаева"),
];
/// Boys' first names.
pub const BOYS: [&str; 10] = [
    "Александр",
    "Максим",
    "Артём",
    "Михаил",
    "Даниил",
    "Иван",
    "Дмитрий",
    "Кирилл",
    "Егор",
    "Никита",
];
const GIRLS: [&str; 10] = [
    "Анна",
    "Мария",
    "София",
    "Алиса",
    "Виктория",
    "Полина",
    "Елизавета",
    "Дарья",
    "Ксения",
    "Варвара",
];
/// Patronymics (masculine, feminine).
pub const FATHERS: [(&str, &str); 6] = [
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Андреевич", "Андреевна"),
    ("Игоревич", "Игоревна"),
    ("Олегович", "Олеговна"),
];

fn demo_name(i: usize) -> (String, String, String) {
    let girl = i % 2 == 1;
    let (m, f) = SURNAMES[(i * 7) % SURNAMES.len()];
    let (pm, pf) = FATHERS[(i * 5) % FATHERS.len()];
    // Surnames repeat every 20 people; the first name shifts with each round, so that the first
    // 200 names are all different.
    let first = (i / 2 + i / 20) % 10;
    if girl {
        (f.into(), GIRLS[first].into(), pf.into())
    } else {
        (m.into(), BOYS[first].into(), pm.into())
    }
}

/// A demo person: (last, first, middle) name, kind, class, birth date, (subjects, experience,
/// position, partner organization), tags, and whether a consent is on file.
struct DemoPerson<'a> {
    name: (String, String, String),
    kind: &'a str,
    class_name: &'a str,
    birth: Option<NaiveDate>,
    extra: (&'a str, Option<i32>, &'a str, &'a str),
    tags: &'a [&'a str],
    consent: bool,
}

async fn demo_person(
    conn: &mut PgConnection,
    org_id: Uuid,
    by: Uuid,
    p: &DemoPerson<'_>,
) -> Result<Uuid, anyhow::Error> {
    let DemoPerson {
        ref name,
        kind,
        class_name,
        birth,
        extra,
        tags,
        consent,
    } = *p;
    let name = name.clone();
    use crate::people::{self as people, ConsentInput, PersonInput};
    let (subjects, experience, position, partner_org) = extra;
    let minor = crate::people::model::is_minor(kind, birth, Utc::now().date_naive());
    let input = PersonInput {
        last_name: name.0.clone(),
        first_name: name.1,
        middle_name: name.2,
        kind: kind.into(),
        class_name: class_name.into(),
        birth_date: if consent { birth } else { None },
        subjects: if consent {
            subjects.into()
        } else {
            String::new()
        },
        experience_years: if consent { experience } else { None },
        position: if consent {
            position.into()
        } else {
            String::new()
        },
        partner_org: if consent {
            partner_org.into()
        } else {
            String::new()
        },
        in_mentee_base: matches!(kind, "pupil"),
        in_mentor_base: !matches!(kind, "pupil"),
        tags: if consent {
            tags.iter().map(|t| t.to_string()).collect()
        } else {
            Vec::new()
        },
        ..Default::default()
    };
    let id = people::insert(&mut *conn, org_id, &input).await?;
    // Younger pupils (the club's mentees) with a consent have an e-mail in the base: reminders
    // reach them by e-mail. Older ones have none (their accounts use printed codes).
    let younger = ["5А", "5Б", "7А", "7Б"].contains(&class_name);
    if consent && kind == "pupil" && younger {
        sqlx::query(
            "UPDATE people SET email = 'uchenik' || number || '@demo.local' WHERE org_id = $1 AND id = $2",
        )
        .bind(org_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    if consent {
        let mother = if name.0.ends_with('а') {
            name.0.clone()
        } else {
            format!("{}а", name.0)
        };
        let rep = format!("{mother} Ольга Николаевна");
        people::add_consent(
            &mut *conn,
            org_id,
            id,
            by,
            &ConsentInput {
                representative_email: "",
                inform_representative: false,
                given_by: if minor { "representative" } else { "self" },
                representative_name: if minor { rep.as_str() } else { "" },
                representative_relation: if minor { "мать" } else { "" },
                given_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or(Utc::now().date_naive()),
                scope: "Участие в программах наставничества: ФИО, класс, дата рождения, контакты, анкеты",
                document_ref: "Папка согласий, кабинет 12",
            },
        )
        .await?;
    }
    Ok(id)
}

/// About 60 pupils in six classes, 15 teachers, 5 partner employees; consents (a few missing),
/// tags and requests, enrolments in the three programs, two training sessions with attendance.
async fn school_people(
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
        crate::participants::enrol(&mut *conn, org_id, club, *id, "mentor").await?;
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
        sqlx::query("UPDATE enrolments SET status = $2 WHERE program_id = $1 AND person_id = $3")
            .bind(club)
            .bind(status)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    for (i, id) in younger.iter().take(20).enumerate() {
        crate::participants::enrol(&mut *conn, org_id, club, *id, "mentee").await?;
        if i % 3 != 0 {
            sqlx::query(
                "UPDATE enrolments SET status = 'in_base' WHERE program_id = $1 AND person_id = $2",
            )
            .bind(club)
            .bind(id)
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
            if *is_young { "mentee" } else { "mentor" },
        )
        .await?;
    }
    for id in &partners {
        crate::participants::enrol(&mut *conn, org_id, trials, *id, "mentor").await?;
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
            sqlx::query(
                "UPDATE people SET last_name = $3, first_name = $4, middle_name = $5 WHERE org_id = $1 AND id = $2",
            )
            .bind(org_id)
            .bind(id)
            .bind(last)
            .bind(first)
            .bind(middle)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// The mentor and mentee questionnaires given in the club, with varied answers from most
/// participants, a few drafts and a few missing — so that matching has something to work with.
async fn demo_questionnaires(
    conn: &mut PgConnection,
    org_id: Uuid,
    curator: Uuid,
    club: Uuid,
) -> Result<(), anyhow::Error> {
    use crate::questionnaires as q;
    use crate::questionnaires::model::{DAYS, PARTS, Raw};
    use crate::questionnaires::templates::{FIELDS, FORMAT, FREQUENCY, HELP_AREAS, INTERESTS};
    q::ensure_templates(&mut *conn, org_id).await?;
    let ids: Vec<(Uuid, String)> = sqlx::query_as("SELECT id, template_code FROM questionnaires WHERE org_id = $1 AND template_code IN ('mentor_form', 'mentee_form')")
        .bind(org_id)
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
            "mentor"
        } else {
            "mentee"
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
                audience: if role == "mentor" {
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
        let salt = if role == "mentor" { 1 } else { 0 };
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
                        if role == "mentor" {
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
                                if role == "mentor" {
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
async fn demo_mentor_match(
    conn: &mut PgConnection,
    org_id: Uuid,
    curator: Uuid,
    program: Uuid,
) -> Result<(), anyhow::Error> {
    use crate::questionnaires as q;
    use crate::questionnaires::model::{Kind, Raw};
    let qid: Uuid = sqlx::query_scalar(
        "SELECT id FROM questionnaires WHERE org_id = $1 AND template_code = 'preferences'",
    )
    .bind(org_id)
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
    let side = |role: &str| -> Vec<Uuid> {
        people
            .iter()
            .filter(|p| p.role == role)
            .map(|p| p.person_id)
            .collect()
    };
    let (t, e) = (side("mentor"), side("mentee"));
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
    for (role, audience) in [("mentor", "mentors"), ("mentee", "mentees")] {
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

/// Loads the demo data set; returns whether anything was created.
pub async fn load(pool: &PgPool) -> Result<bool, anyhow::Error> {
    let mut tx = pool.begin().await?;
    // One demo load at a time (two `serve --demo` on one database).
    sqlx::query("SELECT pg_advisory_xact_lock(4242)")
        .execute(&mut *tx)
        .await?;
    let mut created = false;
    user(&mut tx, "admin@demo.local", "Администратор платформы", true).await?;
    let today = Utc::now().date_naive();
    let year = school_year(today);

    if tenancy::org_by_slug(&mut tx, SCHOOL_SLUG).await?.is_none() {
        created = true;
        let org_id = tenancy::insert_org(
            &mut tx,
            &NewOrg {
                slug: SCHOOL_SLUG,
                full_name: "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»",
                short_name: "МБОУ «СОШ № 1»",
                kind: "school",
                municipality: "Городской округ Верхнеозёрск",
                region: "Самарская область",
                students_count: 640,
                teachers_count: 48,
                time_zone: crate::tenancy::model::zone_for_region("Самарская область"),
            },
        )
        .await?;
        programs::set_org_forms(
            &mut tx,
            org_id,
            &[
                "student_student".into(),
                "teacher_teacher".into(),
                "employer_pupil".into(),
            ],
        )
        .await?;
        let director = user(
            &mut tx,
            "director@demo.local",
            "Смирнова Елена Викторовна",
            false,
        )
        .await?;
        let curator = user(
            &mut tx,
            "curator@demo.local",
            "Кузнецова Ольга Петровна",
            false,
        )
        .await?;
        let mentor = user(
            &mut tx,
            "mentor@demo.local",
            "Иванов Андрей Сергеевич",
            false,
        )
        .await?;
        let mentee = user(
            &mut tx,
            "mentee@demo.local",
            "Петров Никита Алексеевич",
            false,
        )
        .await?;
        tenancy::grant_roles(&mut tx, org_id, director, &[Role::Director]).await?;
        tenancy::grant_roles(&mut tx, org_id, curator, &[Role::Curator]).await?;
        tenancy::grant_roles(&mut tx, org_id, mentor, &[Role::Mentor]).await?;
        tenancy::grant_roles(&mut tx, org_id, mentee, &[Role::Mentee]).await?;
        let club = program(&mut tx, org_id, curator, &DemoProgram { name: "Клуб наставничества «Точка развития»", form: "student_student", variants: &["ss_achiever", "ss_leader_passive", "ss_peer"], description: "Старшеклассники помогают ученикам 5–7 классов с учёбой и адаптацией; встречи клуба раз в неделю.", dates: year, status: "active", progress: Progress::Running })
        .await?;
        let young = program(&mut tx, org_id, curator, &DemoProgram { name: "Школа молодого педагога", form: "teacher_teacher", variants: &["tt_young", "tt_subject"], description: "Поддержка педагогов со стажем до трёх лет: опытные учителя-предметники и классные руководители.", dates: year, status: "active", progress: Progress::Behind })
        .await?;
        let spring = (
            NaiveDate::from_ymd_opt(year.1.year(), 1, 12).unwrap_or(year.0),
            NaiveDate::from_ymd_opt(year.1.year(), 6, 30).unwrap_or(year.1),
        );
        let trials = program(&mut tx, org_id, curator, &DemoProgram { name: "Профессиональные пробы с предприятиями-партнёрами", form: "employer_pupil", variants: &["ep_future", "ep_active"], description: "Представители предприятий-партнёров знакомят учеников 9–11 классов с профессиями.", dates: spring, status: "draft", progress: Progress::NotStarted })
        .await?;
        school_people(
            &mut tx,
            org_id,
            curator,
            [club, young, trials],
            (mentor, mentee),
            year.0,
        )
        .await?;
        demo_questionnaires(&mut tx, org_id, curator, club).await?;
        demo_mentor_match(&mut tx, org_id, curator, young).await?;
        // Five of the club's pairs at work (not the demo accounts' own people: the matching
        // journey pairs them).
        let people = crate::pairing::repo::participants(&mut tx, org_id, club).await?;
        let pick = |role: &str| -> Vec<Uuid> {
            people
                .iter()
                .filter(|p| p.role == role && p.profile.consent && p.user_id.is_none())
                .map(|p| p.person_id)
                .collect()
        };
        let (mentors, mentees) = (pick("mentor"), pick("mentee"));
        work::pairs_at_work(
            &mut tx,
            org_id,
            (curator, director),
            club,
            (
                &mentors[..mentors.len().min(5)],
                &mentees[..mentees.len().min(6)],
            ),
            today,
        )
        .await?;
        monitoring::program_monitoring(&mut tx, org_id, club, curator).await?;
        completed::last_year(
            &mut tx,
            org_id,
            (curator, director),
            (&mentors, &mentees),
            year,
        )
        .await?;
    }

    if tenancy::org_by_slug(&mut tx, COLLEGE_SLUG).await?.is_none() {
        created = true;
        let org_id = tenancy::insert_org(
            &mut tx,
            &NewOrg {
                slug: COLLEGE_SLUG,
                full_name: "Государственное автономное профессиональное образовательное учреждение «Строительный колледж»",
                short_name: "ГАПОУ «Строительный колледж»",
                kind: "college",
                municipality: "Городской округ Верхнеозёрск",
                region: "Самарская область",
                students_count: 1200,
                teachers_count: 85,
                // The college's clock is Yekaterinburg's (UTC+5), not Moscow's nor the school's.
                time_zone: "Asia/Yekaterinburg",
            },
        )
        .await?;
        programs::set_org_forms(
            &mut tx,
            org_id,
            &[
                "college_teacher_teacher".into(),
                "college_lecturer_student".into(),
                "college_champion_student".into(),
                "college_enterprise_student".into(),
            ],
        )
        .await?;
        crate::questionnaires::ensure_templates(&mut tx, org_id).await?;
        let curator = user(
            &mut tx,
            "college-curator@demo.local",
            "Соколов Дмитрий Игоревич",
            false,
        )
        .await?;
        tenancy::grant_roles(&mut tx, org_id, curator, &[Role::Curator]).await?;
        program(&mut tx, org_id, curator, &DemoProgram { name: "Адаптация новых преподавателей", form: "college_teacher_teacher", variants: &["ctt_new"], description: "Опытные преподаватели сопровождают вновь принятых сотрудников в первый год работы.", dates: year, status: "active", progress: Progress::Running })
        .await?;
        college::college_term(&mut tx, org_id, curator, year, Utc::now()).await?;
    }
    created |= territory_specialists(&mut tx).await?;
    tx.commit().await?;
    Ok(created)
}

/// The region and municipality of the demo organizations with a specialist each, and the
/// school's documents for the regional table (once; a data directory from before gets them too).
async fn territory_specialists(conn: &mut PgConnection) -> Result<bool, anyhow::Error> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE email = 'region@demo.local')")
            .fetch_one(&mut *conn)
            .await?;
    if exists {
        return Ok(false);
    }
    let (region, municipality): (Uuid, Uuid) = sqlx::query_as(
        "SELECT m.region_id, m.id FROM organizations o JOIN municipalities m ON m.id = o.municipality_id
          WHERE o.slug = $1",
    )
    .bind(SCHOOL_SLUG)
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
    sqlx::query(
        "UPDATE organizations SET site_section_url = 'https://sosh1-verhneozersk.ru/nastavnichestvo',
                doc_intro_order = 'приказ № 87-од от 28.08.2025', doc_regulation = 'утверждено приказом № 88-од от 28.08.2025',
                doc_curator_order = 'приказ № 89-од от 28.08.2025'
          WHERE slug = $1",
    )
    .bind(SCHOOL_SLUG)
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
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'curator@demo.local'")
            .fetch_one(&mut *tx)
            .await?;
    let taken: i64 = sqlx::query_scalar("SELECT count(*) FROM programs WHERE org_id = $1")
        .bind(org.id)
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
    for (role, count, grades) in [("mentee", mentees, 5..=8), ("mentor", mentors, 9..=11)] {
        let span = grades.end() - grades.start() + 1;
        for k in 0..count {
            let grade = grades.start() + (k as i32 % span);
            let letter = ["А", "Б", "В"][(k / span as usize) % 3];
            let person = demo_person(
                &mut tx,
                org.id,
                curator,
                &DemoPerson {
                    name: demo_name(k * 3 + if role == "mentor" { 1 } else { 0 }),
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

pub fn print_logins(url: &str) {
    println!();
    println!("  «Наставник» запущен: {url}");
    println!("  Демо-входы (пароль у всех: {PASSWORD}):");
    for (email, who) in LOGINS {
        println!("    {email:<28} {who}");
    }
    println!("  Остановить: Ctrl-C");
    println!();
}
