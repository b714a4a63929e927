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

mod commands;
use crate::people::Side;
pub(crate) use commands::as_member;
use commands::{best_mentor, swot};

mod school;
#[allow(unused_imports)]
pub use school::*;

mod scale;
#[allow(unused_imports)]
pub use scale::*;

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
    let tasks = crate::programs::roadmap::tasks(&mut *conn, org_id, program_id).await?;
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
        crate::programs::roadmap::set_task_status(
            &mut *conn, org_id, program_id, t.id, t.version, by, status,
        )
        .await?;
    }
    if let (Progress::Running, Some(t)) = (progress, upcoming.first()) {
        crate::programs::roadmap::set_task_status(
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
        sqlx::query!(
            "UPDATE people SET email = 'uchenik' || number || '@demo.local' WHERE org_id = $1 AND id = $2",
            org_id,
            id,
        )
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

/// Loads the demo data set; returns whether anything was created.
pub async fn load(pool: &PgPool) -> Result<bool, anyhow::Error> {
    let mut tx = pool.begin().await?;
    // One demo load at a time (two `serve --demo` on one database).
    sqlx::query!("SELECT pg_advisory_xact_lock(4242)",)
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
        let pick = |role: Side| -> Vec<Uuid> {
            people
                .iter()
                .filter(|p| p.role == role && p.profile.consent && p.user_id.is_none())
                .map(|p| p.person_id)
                .collect()
        };
        let (mentors, mentees) = (pick(Side::Mentor), pick(Side::Mentee));
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
