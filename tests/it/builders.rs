//! Builders for every entity a test needs — organizations, members, programs, roadmap tasks and
//! stages, people of the bases with consents, enrolments, questionnaires given and answered, and
//! two ready scenes (one school with its curator; a club and a teachers' program with answers for
//! matching) — built through the domains' own functions, so no test leans on the demo loader.

use std::sync::OnceLock;

use nastavnik::auth::model::Role;
use nastavnik::people::repo::PersonInput;
use nastavnik::questionnaires::model::{DAYS, PARTS, Raw};
use nastavnik::questionnaires::templates::{FIELDS, FORMAT, FREQUENCY, HELP_AREAS, INTERESTS};
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::{Client, PASSWORD, TestApp, spawn};

fn password_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| nastavnik::auth::model::hash_password(PASSWORD).unwrap())
}

pub async fn org(pool: &PgPool, slug: &str) -> Uuid {
    let mut conn = pool.acquire().await.unwrap();
    let id = nastavnik::tenancy::repo::insert_org(
        &mut conn,
        &nastavnik::tenancy::repo::NewOrg {
            slug,
            full_name: &format!("Организация {slug}"),
            short_name: &format!("Орг {slug}"),
            kind: "school",
            municipality: "",
            region: "",
            students_count: 500,
            teachers_count: 40,
            time_zone: "Europe/Moscow",
        },
    )
    .await
    .unwrap();
    nastavnik::programs::repo::set_org_forms(
        &mut conn,
        id,
        &["student_student".into(), "teacher_teacher".into()],
    )
    .await
    .unwrap();
    id
}

/// A user with a password, member of `org` with `roles`.
pub async fn member(pool: &PgPool, org: Uuid, email: &str, roles: &[Role]) -> Uuid {
    let mut conn = pool.acquire().await.unwrap();
    let (u, _) = nastavnik::auth::repo::find_or_create_user(
        &mut conn,
        email,
        &format!("Пользователь {email}"),
        false,
    )
    .await
    .unwrap();
    let hash = password_hash().to_string();
    nastavnik::auth::repo::set_password(&mut conn, u.id, &hash)
        .await
        .unwrap();
    nastavnik::tenancy::repo::grant_roles(&mut conn, org, u.id, roles)
        .await
        .unwrap();
    u.id
}

pub async fn program(pool: &PgPool, org: Uuid, curator: Uuid, name: &str) -> Uuid {
    let mut tx = pool.begin().await.unwrap();
    let id = nastavnik::programs::repo::create_program(
        &mut tx,
        org,
        &nastavnik::programs::repo::ProgramInput {
            name,
            form_code: "student_student",
            variant_codes: &["ss_peer".to_string()],
            goal: "Цель",
            description: "",
            starts_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2027, 5, 31).unwrap(),
            status: "active",
            curator_user_id: Some(curator),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// (task id, version) of the task with `code` in the program.
pub async fn task(pool: &PgPool, program: Uuid, code: &str) -> (Uuid, i32) {
    sqlx::query_as("SELECT id, version FROM roadmap_tasks WHERE program_id = $1 AND code = $2")
        .bind(program)
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap()
}

pub async fn stage(pool: &PgPool, program: Uuid, number: i32) -> Uuid {
    sqlx::query_scalar("SELECT id FROM roadmap_stages WHERE program_id = $1 AND number = $2")
        .bind(program)
        .bind(number)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Two organizations with a curator, director, mentor and a program each.
pub struct TwoOrgs {
    pub a: Uuid,
    pub b: Uuid,
    pub a_curator: Uuid,
    pub b_curator: Uuid,
    pub a_program: Uuid,
    pub b_program: Uuid,
}

pub async fn two_orgs(app: &TestApp) -> TwoOrgs {
    let a = org(&app.pool, "school-a").await;
    let b = org(&app.pool, "school-b").await;
    let a_curator = member(&app.pool, a, "curator-a@test.ru", &[Role::Curator]).await;
    let b_curator = member(&app.pool, b, "curator-b@test.ru", &[Role::Curator]).await;
    member(&app.pool, a, "director-a@test.ru", &[Role::Director]).await;
    member(&app.pool, a, "mentor-a@test.ru", &[Role::Mentor]).await;
    member(&app.pool, b, "mentor-b@test.ru", &[Role::Mentor]).await;
    let a_program = program(&app.pool, a, a_curator, "Программа А").await;
    let b_program = program(&app.pool, b, b_curator, "Программа Б").await;
    TwoOrgs {
        a,
        b,
        a_curator,
        b_curator,
        a_program,
        b_program,
    }
}

/// A person of the bases with the fields given (no consent).
pub async fn person(pool: &PgPool, org: Uuid, input: PersonInput) -> Uuid {
    let mut conn = pool.acquire().await.unwrap();
    nastavnik::people::repo::insert(&mut conn, org, &input)
        .await
        .unwrap()
}

/// A pupil of organization `org` with a representative's consent.
pub async fn pupil(pool: &PgPool, org: Uuid, last: &str, class_name: &str, consent: bool) -> Uuid {
    let id = person(
        pool,
        org,
        PersonInput {
            last_name: last.into(),
            first_name: "Иван".into(),
            kind: "pupil".into(),
            class_name: class_name.into(),
            in_mentee_base: true,
            ..Default::default()
        },
    )
    .await;
    if consent {
        give_consent(pool, org, id, Some(("Иванова Мария", "мать"))).await;
    }
    id
}

/// One school (`school-a`) with its curator (`curator@test.ru`) logged in: the most common start.
pub struct School {
    pub app: TestApp,
    pub org: Uuid,
    pub curator: Uuid,
    pub c: Client,
}

pub async fn school() -> School {
    let app = spawn().await;
    let org = org(&app.pool, "school-a").await;
    let curator = member(&app.pool, org, "curator@test.ru", &[Role::Curator]).await;
    let c = app.login("curator@test.ru").await;
    School {
        app,
        org,
        curator,
        c,
    }
}

/// [`school`] with a program «Программа А»: (app, organization, program, the curator's client).
pub async fn school_with_program() -> (TestApp, uuid::Uuid, uuid::Uuid, Client) {
    let School {
        app,
        org,
        curator,
        c,
    } = school().await;
    let p = program(&app.pool, org, curator, "Программа А").await;
    (app, org, p, c)
}

/// `n` pupils of 10А with consents.
pub async fn pupils_of(app: &TestApp, org_id: uuid::Uuid, n: usize) -> Vec<uuid::Uuid> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(
            pupil(
                &app.pool,
                org_id,
                &format!("Ученик{}", ["А", "Б", "В", "Г"][i]),
                "10А",
                true,
            )
            .await,
        );
    }
    out
}

/// An adult of the bases (a teacher, a partner …) with their own consent, in the mentor base
/// unless `mentee`.
pub async fn adult(pool: &PgPool, org: Uuid, last: &str, kind: &str, mentee: bool) -> Uuid {
    let id = person(
        pool,
        org,
        PersonInput {
            last_name: last.into(),
            first_name: "Анна".into(),
            kind: kind.into(),
            in_mentor_base: !mentee,
            in_mentee_base: mentee,
            ..Default::default()
        },
    )
    .await;
    give_consent(pool, org, id, None).await;
    id
}

/// A consent to take part given on 1 September 2026, by the person or by a representative
/// (name, relation).
pub async fn give_consent(
    pool: &PgPool,
    org: Uuid,
    person: Uuid,
    representative: Option<(&str, &str)>,
) {
    let by = any_member(pool, org).await;
    let mut conn = pool.acquire().await.unwrap();
    let (name, relation) = representative.unwrap_or_default();
    nastavnik::people::repo::add_consent(
        &mut conn,
        org,
        person,
        by,
        &nastavnik::people::repo::ConsentInput {
            representative_email: "",
            inform_representative: false,
            given_by: if representative.is_some() {
                "representative"
            } else {
                "self"
            },
            representative_name: name,
            representative_relation: relation,
            given_on: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            scope: "участие",
            document_ref: "",
        },
    )
    .await
    .unwrap();
}

async fn any_member(pool: &PgPool, org: Uuid) -> Uuid {
    sqlx::query_scalar("SELECT user_id FROM memberships WHERE org_id = $1 LIMIT 1")
        .bind(org)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Enrols `person` in `program` as `role` ("mentor" or "mentee").
pub async fn enrol(pool: &PgPool, org: Uuid, program: Uuid, person: Uuid, role: &str) {
    let mut conn = pool.acquire().await.unwrap();
    nastavnik::participants::enrol(
        &mut conn,
        org,
        program,
        person,
        nastavnik::people::Side::parse(role).expect("mentor or mentee"),
    )
    .await
    .unwrap();
}

/// The person `person` is the account `user` (their own questionnaires, pairs, home page).
pub async fn link_account(pool: &PgPool, org: Uuid, person: Uuid, user: Uuid) {
    let mut conn = pool.acquire().await.unwrap();
    nastavnik::people::repo::link_user(&mut conn, org, person, user)
        .await
        .unwrap();
}

/// A participant with an account, enrolled in the program.
pub async fn participant(
    app: &TestApp,
    org_id: uuid::Uuid,
    program: uuid::Uuid,
    email: &str,
    last: &str,
    role: &str,
    consent: bool,
) -> uuid::Uuid {
    let user = member(
        &app.pool,
        org_id,
        email,
        &[if role == "mentor" {
            Role::Mentor
        } else {
            Role::Mentee
        }],
    )
    .await;
    let person = pupil(&app.pool, org_id, last, "7А", consent).await;
    link_account(&app.pool, org_id, person, user).await;
    // Straight into the table: the enrolment rule (a valid consent) is what some tests check.
    sqlx::query("INSERT INTO enrolments (org_id, program_id, person_id, role, status) VALUES ($1, $2, $3, $4, 'application')")
        .bind(org_id)
        .bind(program)
        .bind(person)
        .bind(role)
        .execute(&app.pool)
        .await
        .unwrap();
    person
}

/// A pair (or group) both sides agreed to, agreed on `settled`.
pub async fn agreed_pair(
    pool: &PgPool,
    org: Uuid,
    program: Uuid,
    mentor: Uuid,
    mentees: &[Uuid],
    settled: chrono::DateTime<chrono::Utc>,
) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO pairs (org_id, program_id, mentor_id, status, scheme, settled_at)
         VALUES ($1, $2, $3, 'agreed', 'curator', $4) RETURNING id",
    )
    .bind(org)
    .bind(program)
    .bind(mentor)
    .bind(settled)
    .fetch_one(pool)
    .await
    .unwrap();
    for (person, role) in
        std::iter::once((mentor, "mentor")).chain(mentees.iter().map(|m| (*m, "mentee")))
    {
        sqlx::query(
            "INSERT INTO pair_members (org_id, pair_id, person_id, role, answer, answered_at)
             VALUES ($1, $2, $3, $4, 'yes', $5)",
        )
        .bind(org)
        .bind(id)
        .bind(person)
        .bind(role)
        .bind(settled)
        .execute(pool)
        .await
        .unwrap();
    }
    id
}

/// A program of the form `form` (its first variant) with the curator `curator`.
pub async fn program_of_form(
    pool: &PgPool,
    org: Uuid,
    curator: Uuid,
    name: &str,
    form: &str,
) -> Uuid {
    let id = program(pool, org, curator, name).await;
    sqlx::query("UPDATE programs SET form_code = $2 WHERE id = $1")
        .bind(id)
        .bind(form)
        .execute(pool)
        .await
        .unwrap();
    id
}

/// The organization's questionnaire made from the template `code` given to `people` of
/// `program` (audience "mentors" or "mentees"): (assignment id, the questionnaire's current version).
pub async fn give(
    pool: &PgPool,
    org: Uuid,
    program: Uuid,
    code: &str,
    audience: &str,
    people: &[Uuid],
) -> (Uuid, nastavnik::questionnaires::Current) {
    let mut conn = pool.acquire().await.unwrap();
    nastavnik::questionnaires::ensure_templates(&mut conn, org)
        .await
        .unwrap();
    let qid: Uuid = sqlx::query_scalar(
        "SELECT id FROM questionnaires WHERE org_id = $1 AND template_code = $2",
    )
    .bind(org)
    .bind(code)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    let cur = nastavnik::questionnaires::current(&mut conn, org, qid)
        .await
        .unwrap()
        .unwrap();
    let by = any_member(pool, org).await;
    let aid = nastavnik::questionnaires::create_assignment(
        &mut conn,
        org,
        &nastavnik::questionnaires::NewAssignment {
            questionnaire_id: qid,
            program_id: Some(program),
            audience,
            deadline: None,
            by,
            people,
        },
    )
    .await
    .unwrap();
    (aid, cur)
}

/// Submits `answers` of `person` to the assignment `aid`.
pub async fn answer(
    pool: &PgPool,
    org: Uuid,
    (aid, cur): &(Uuid, nastavnik::questionnaires::Current),
    person: Uuid,
    answers: &Raw,
) {
    let mut conn = pool.acquire().await.unwrap();
    nastavnik::questionnaires::save_response(
        &mut conn,
        org,
        &nastavnik::questionnaires::ResponseInput {
            assignment_id: *aid,
            person_id: person,
            version_id: cur.version_id,
            answers,
            submit: true,
            on_behalf: false,
        },
    )
    .await
    .unwrap();
}

/// Answers to the mentor or mentee form that overlap between neighbours: requests, interests,
/// afternoons, frequency and format taken round the lists from position `i`.
pub fn profile_answers(cur: &nastavnik::questionnaires::Current, i: usize, mentor: bool) -> Raw {
    let take = |list: &[&str], n: usize| -> Vec<String> {
        let mut v: Vec<String> = (0..n)
            .map(|k| list[(i + k) % list.len()].to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let mut raw = Raw::new();
    for q in cur.def.questions() {
        let v = match q.matching_key.as_str() {
            "help_areas" => take(&HELP_AREAS, if mentor { 4 } else { 2 }),
            "interests" => take(&INTERESTS, 3),
            "fields" => take(&FIELDS, 1),
            "frequency" => take(&FREQUENCY, 1),
            "format" => take(&FORMAT, 1),
            "availability" => (0..3)
                .map(|k| format!("{}-{}", DAYS[(i + k) % 5].0, PARTS[1].0))
                .collect(),
            _ if q.required => vec!["Хочу участвовать.".to_string()],
            _ => continue,
        };
        raw.insert(q.key.clone(), v);
    }
    raw
}

/// The scene for matching and pairs in `school-a`: a club (student – student) with six mentors
/// and eight mentees who answered their forms, plus the accounts `mentor@test.ru` and
/// `mentee@test.ru` as a mentor and a mentee of the club who have not; a teachers' program
/// (teacher – teacher) where five experienced and five young teachers ranked each other (three
/// mutual first choices, one young teacher silent); and `school-b` with its curator
/// `curator-b@test.ru`.
pub struct Club {
    pub app: TestApp,
    pub c: Client,
    pub club: Uuid,
    pub young: Uuid,
    pub mentor: Uuid,
    pub mentee: Uuid,
}

pub async fn club() -> Club {
    let School {
        app,
        org: a,
        curator,
        c,
    } = school().await;
    let pool = &app.pool;
    let b = org(pool, "school-b").await;
    member(pool, b, "curator-b@test.ru", &[Role::Curator]).await;
    let club = program(pool, a, curator, "Клуб наставничества").await;
    let mut mentors = Vec::new();
    for i in 0..7 {
        mentors.push(pupil(pool, a, &format!("Старший{i}"), "10А", true).await);
    }
    let mut mentees = Vec::new();
    for i in 0..9 {
        mentees.push(pupil(pool, a, &format!("Младший{i}"), "6А", true).await);
    }
    for m in &mentors {
        enrol(pool, a, club, *m, "mentor").await;
    }
    for e in &mentees {
        enrol(pool, a, club, *e, "mentee").await;
    }
    for (code, audience, people, mentor) in [
        ("mentor_form", "mentors", &mentors, true),
        ("mentee_form", "mentees", &mentees, false),
    ] {
        let given = give(pool, a, club, code, audience, people).await;
        // The last of each side has not answered.
        for (i, p) in people[..people.len() - 1].iter().enumerate() {
            answer(pool, a, &given, *p, &profile_answers(&given.1, i, mentor)).await;
        }
    }
    let (mentor, mentee) = (mentors[6], mentees[8]);
    let u = member(pool, a, "mentor@test.ru", &[Role::Mentor]).await;
    link_account(pool, a, mentor, u).await;
    let u = member(pool, a, "mentee@test.ru", &[Role::Mentee]).await;
    link_account(pool, a, mentee, u).await;
    let young = teachers_who_ranked(pool, a, curator).await;
    Club {
        app,
        c,
        club,
        young,
        mentor,
        mentee,
    }
}

/// A teacher – teacher program where both sides ranked whom they would like to work with.
async fn teachers_who_ranked(pool: &PgPool, org: Uuid, curator: Uuid) -> Uuid {
    use nastavnik::questionnaires::model::Kind;
    let young = program_of_form(
        pool,
        org,
        curator,
        "Школа молодого педагога",
        "teacher_teacher",
    )
    .await;
    let mut t = Vec::new();
    let mut e = Vec::new();
    for i in 0..5 {
        t.push(adult(pool, org, &format!("Опытная{i}"), "teacher", false).await);
        e.push(adult(pool, org, &format!("Молодая{i}"), "teacher", true).await);
    }
    for p in &t {
        enrol(pool, org, young, *p, "mentor").await;
    }
    for p in &e {
        enrol(pool, org, young, *p, "mentee").await;
    }
    let wishes: [(Uuid, Vec<Uuid>); 9] = [
        (e[0], vec![t[0], t[1]]),
        (e[1], vec![t[1], t[0]]),
        (e[2], vec![t[0], t[2], t[3]]),
        (e[3], vec![t[2]]),
        (t[0], vec![e[0], e[2]]),
        (t[1], vec![e[1]]),
        (t[2], vec![e[3], e[2]]),
        (t[3], vec![e[2], e[4]]),
        (t[4], vec![e[4]]),
    ];
    for (audience, side) in [("mentors", &t), ("mentees", &e)] {
        let given = give(pool, org, young, "preferences", audience, side).await;
        let rank = given
            .1
            .def
            .questions()
            .find(|q| q.kind() == Kind::RankPeople)
            .unwrap()
            .key
            .clone();
        for (person, list) in wishes.iter().filter(|w| side.contains(&w.0)) {
            let mut raw = Raw::new();
            raw.insert(rank.clone(), list.iter().map(|x| x.to_string()).collect());
            answer(pool, org, &given, *person, &raw).await;
        }
    }
    young
}

/// A mentor and a mentee with accounts (by e-mail and surname) in a pair agreed `days_ago`.
pub async fn new_pair(
    app: &TestApp,
    (org, program): (uuid::Uuid, uuid::Uuid),
    mentor: (&str, &str),
    mentee: (&str, &str),
    days_ago: i64,
) -> uuid::Uuid {
    let m = participant(app, org, program, mentor.0, mentor.1, "mentor", true).await;
    let k = participant(app, org, program, mentee.0, mentee.1, "mentee", true).await;
    let settled = chrono::Utc::now() - chrono::Duration::days(days_ago);
    agreed_pair(&app.pool, org, program, m, &[k], settled).await
}

/// A second school («school-b») with its curator logged in: the outsider of tenancy checks.
pub async fn school_b_curator(app: &TestApp) -> Client {
    let b = org(&app.pool, "school-b").await;
    member(&app.pool, b, "curator-b@test.ru", &[Role::Curator]).await;
    app.login("curator-b@test.ru").await
}

/// A class list as a CSV file (`ФИО;Класс`, a header, then `n` rows of distinct full names — 30
/// surnames × 10 names × 10 patronymics — each name in every class of `classes` in turn).
pub fn class_list_csv(n: usize, classes: &[&str]) -> String {
    const LAST: [&str; 30] = [
        "Иванова",
        "Петрова",
        "Сидорова",
        "Кузнецова",
        "Смирнова",
        "Попова",
        "Васильева",
        "Соколова",
        "Михайлова",
        "Новикова",
        "Фёдорова",
        "Морозова",
        "Волкова",
        "Алексеева",
        "Лебедева",
        "Семёнова",
        "Егорова",
        "Павлова",
        "Козлова",
        "Степанова",
        "Николаева",
        "Орлова",
        "Андреева",
        "Макарова",
        "Никитина",
        "Захарова",
        "Зайцева",
        "Соловьёва",
        "Борисова",
        "Яковлева",
    ];
    const FIRST: [&str; 10] = [
        "Анна",
        "Мария",
        "Елена",
        "Ольга",
        "Дарья",
        "Софья",
        "Алиса",
        "Полина",
        "Вера",
        "Нина",
    ];
    const MIDDLE: [&str; 10] = [
        "Сергеевна",
        "Ивановна",
        "Петровна",
        "Андреевна",
        "Олеговна",
        "Павловна",
        "Юрьевна",
        "Игоревна",
        "Денисовна",
        "Романовна",
    ];
    let mut csv = String::from("ФИО;Класс\n");
    let rows = LAST
        .iter()
        .flat_map(|l| FIRST.iter().map(move |f| (l, f)))
        .flat_map(|(l, f)| MIDDLE.iter().map(move |m| (l, f, m)))
        .flat_map(|(l, f, m)| classes.iter().map(move |k| format!("{l} {f} {m};{k}\n")))
        .take(n);
    for row in rows {
        csv.push_str(&row);
    }
    assert!(
        csv.lines().count() == n + 1,
        "at most {} rows",
        3000 * classes.len()
    );
    csv
}

/// The scene of a command test (no HTTP): the curator's account (`curator@test.ru`), the
/// organization and the program as the domains' commands take them.
pub async fn command_scene(
    app: &TestApp,
    org: Uuid,
    program: Uuid,
) -> (
    Uuid,
    nastavnik::tenancy::Organization,
    nastavnik::programs::ProgramRow,
) {
    let curator: Uuid = app
        .one("SELECT id FROM users WHERE email = 'curator@test.ru'")
        .await;
    let mut conn = app.pool.acquire().await.unwrap();
    let o = nastavnik::tenancy::org_by_id(&mut conn, org).await.unwrap();
    let p = nastavnik::programs::program(&mut conn, org, program)
        .await
        .unwrap()
        .unwrap();
    (curator, o, p)
}
