//! The demo data set: a school with three programs (one per form it runs) and a college, so that
//! tenancy is visible. Idempotent: a second run changes nothing.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::auth::model::{Role, hash_password};
use crate::programs::repo::{self as programs, ProgramInput};
use crate::tenancy::repo::{self as tenancy, NewOrg};

pub const PASSWORD: &str = "demo12345";

pub const LOGINS: [(&str, &str); 6] = [
    ("admin@demo.local", "администратор платформы"),
    ("director@demo.local", "директор, МБОУ «СОШ № 1»"),
    ("curator@demo.local", "куратор, МБОУ «СОШ № 1»"),
    ("mentor@demo.local", "наставник, МБОУ «СОШ № 1»"),
    ("mentee@demo.local", "наставляемый, МБОУ «СОШ № 1»"),
    (
        "college-curator@demo.local",
        "куратор, ГАПОУ «Строительный колледж»",
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
}

async fn user(
    conn: &mut PgConnection,
    email: &str,
    name: &str,
    admin: bool,
) -> Result<Uuid, anyhow::Error> {
    let (u, _) = crate::auth::repo::find_or_create_user(&mut *conn, email, name, admin).await?;
    if !crate::auth::repo::has_password(&mut *conn, u.id).await? {
        let hash = crate::auth::model::blocking(|| hash_password(PASSWORD))
            .await?
            .map_err(anyhow::Error::msg)?;
        crate::auth::repo::set_password(&mut *conn, u.id, &hash).await?;
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
    let tasks = programs::tasks(&mut *conn, org_id, program_id).await?;
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
            Progress::Running => "done",
            Progress::Behind if i % 2 == 0 => "done",
            Progress::Behind => "in_progress",
            Progress::NotStarted => "todo",
        };
        programs::set_task_status(&mut *conn, org_id, program_id, t.id, t.version, by, status)
            .await?;
    }
    if let (Progress::Running, Some(t)) = (progress, upcoming.first()) {
        programs::set_task_status(
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

#[allow(clippy::too_many_arguments)]
async fn program(
    conn: &mut PgConnection,
    org_id: Uuid,
    curator: Uuid,
    name: &str,
    form: &str,
    variants: &[&str],
    description: &str,
    (start, end): (NaiveDate, NaiveDate),
    status: &str,
    progress: Progress,
) -> Result<(), anyhow::Error> {
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
        program(
            &mut tx,
            org_id,
            curator,
            "Клуб наставничества «Точка развития»",
            "student_student",
            &["ss_achiever", "ss_leader_passive", "ss_peer"],
            "Старшеклассники помогают ученикам 5–7 классов с учёбой и адаптацией; встречи клуба раз в неделю.",
            year,
            "active",
            Progress::Running,
        )
        .await?;
        program(
            &mut tx,
            org_id,
            curator,
            "Школа молодого педагога",
            "teacher_teacher",
            &["tt_young", "tt_subject"],
            "Поддержка педагогов со стажем до трёх лет: опытные учителя-предметники и классные руководители.",
            year,
            "active",
            Progress::Behind,
        )
        .await?;
        let spring = (
            NaiveDate::from_ymd_opt(year.1.year(), 1, 12).unwrap_or(year.0),
            NaiveDate::from_ymd_opt(year.1.year(), 6, 30).unwrap_or(year.1),
        );
        program(
            &mut tx,
            org_id,
            curator,
            "Профессиональные пробы с предприятиями-партнёрами",
            "employer_pupil",
            &["ep_future", "ep_active"],
            "Представители предприятий-партнёров знакомят учеников 9–11 классов с профессиями.",
            spring,
            "draft",
            Progress::NotStarted,
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
        let curator = user(
            &mut tx,
            "college-curator@demo.local",
            "Соколов Дмитрий Игоревич",
            false,
        )
        .await?;
        tenancy::grant_roles(&mut tx, org_id, curator, &[Role::Curator]).await?;
        program(
            &mut tx,
            org_id,
            curator,
            "Адаптация новых преподавателей",
            "college_teacher_teacher",
            &["ctt_new"],
            "Опытные преподаватели сопровождают вновь принятых сотрудников в первый год работы.",
            year,
            "active",
            Progress::Running,
        )
        .await?;
    }
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
