//! Activities and the calendar: the curator plans a weekly series and a one-off on the
//! organization's clock, participants sign up; the personal feed read back by an independent
//! parser (Python's `icalendar`) has the events at the right UTC times, RRULE/EXDATE, a cancelled
//! event, UIDs stable and SEQUENCE bumped on edits; the Monday plan and the hour-before reminder
//! from `jobs run-due --now`; feedback reaches those who attended and feeds the mentors' rating,
//! hidden below the minimum number of answers; nobody outside sees any of it.

use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use serde_json::Value;

use crate::support::*;
use nastavnik::auth::model::Role;

/// The events of a feed as the Python parser reads them.
fn parse_ics(text: &str) -> Value {
    use std::io::Write;
    let mut child = std::process::Command::new("/usr/bin/python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/ics_check.py"
        ))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with the icalendar package (apt-get install python3-icalendar)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn next(weekday: Weekday, after: NaiveDate) -> NaiveDate {
    let mut d = after + Duration::days(1);
    while d.weekday() != weekday {
        d += Duration::days(1);
    }
    d
}

async fn plan(
    c: &mut Client,
    program: uuid::Uuid,
    fields: &[(&str, &str)],
) -> (uuid::Uuid, String) {
    let url = format!("/o/school-a/programs/{program}/activities/new");
    c.get(&url).await;
    let r = c.post(&url, fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().to_string();
    let id = loc.split('/').rev().nth(1).unwrap().parse().unwrap();
    (id, loc)
}

#[tokio::test]
async fn the_feed_puts_a_khabarovsk_series_at_the_right_utc_times_and_follows_edits() {
    let (app, org, program, mut curator) = school_with_program().await;
    sqlx::query("UPDATE organizations SET time_zone = 'Asia/Vladivostok' WHERE id = $1")
        .bind(org)
        .execute(&app.pool)
        .await
        .unwrap();
    let mentor = participant(&app, org, program, "m@test.ru", "Ведущая", "mentor", true).await;
    participant(&app, org, program, "k@test.ru", "Ученик", "mentee", true).await;
    let tue = next(Weekday::Tue, Utc::now().date_naive() + Duration::days(7));
    let (tue_s, until) = (tue.to_string(), (tue + Duration::days(9)).to_string());
    let leader = mentor.to_string();
    let series = [
        ("format", "webinar"),
        ("topic", "Git: ветки, слияние"),
        ("date", tue_s.as_str()),
        ("time", "18:00"),
        ("minutes", "90"),
        ("leader", leader.as_str()),
        ("audience", "all"),
        ("repeat_day", "2"),
        ("repeat_day", "4"),
        ("repeat_until", until.as_str()),
        ("link", "https://meet.example/room-1"),
    ];
    // A mistake keeps what was typed.
    let url = format!("/o/school-a/programs/{program}/activities/new");
    let mut wrong = series.to_vec();
    wrong[3] = ("time", "25:99");
    let r = curator.post(&url, &wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Git: ветки, слияние");
    let (id, occurrence) = plan(&mut curator, program, &series).await;
    let starts: chrono::DateTime<Utc> = app
        .one_for("SELECT starts_at FROM activities WHERE id = $1", id)
        .await;
    assert_eq!(
        starts.format("%H:%M").to_string(),
        "08:00",
        "18:00 in Khabarovsk is 08:00Z"
    );
    let wed = (tue + Duration::days(1)).to_string();
    let (qa, _) = plan(
        &mut curator,
        program,
        &[
            ("format", "qa"),
            ("topic", "Вопросы и ответы"),
            ("date", wed.as_str()),
            ("time", "18:00"),
            ("minutes", "60"),
            ("leader", leader.as_str()),
            ("audience", "mentees"),
            ("place", "каб. 12"),
        ],
    )
    .await;
    // The mentee sees both and makes a feed link (shown once).
    let mut kid = app.login("k@test.ru").await;
    let page = kid.get(&occurrence).await;
    page.assert_contains("Git: ветки, слияние");
    page.assert_contains("18:00–19:30");
    let r = kid
        .post(
            "/o/school-a/calendar",
            &[("program", ""), ("action", "create")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let token = r.body.split("/calendar/").nth(1).unwrap()[..64].to_string();
    let feed_url = format!("/calendar/{token}.ics");
    let mut anon = app.client();
    let feed = anon.get(&feed_url).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let parsed = parse_ics(&feed.body);
    let events = parsed["events"].as_array().unwrap();
    let uid = format!("activity-{id}@nastavnik");
    let ev = events
        .iter()
        .find(|e| e["uid"] == uid.as_str())
        .expect("the series");
    assert_eq!(ev["start"], format!("{tue}T08:00:00Z"));
    assert_eq!(ev["end"], format!("{tue}T09:30:00Z"));
    let rrule = ev["rrule"].as_str().unwrap();
    assert!(
        rrule.contains("FREQ=WEEKLY") && rrule.contains("BYDAY=TU,TH"),
        "{rrule}"
    );
    assert!(
        rrule.contains(&format!(
            "UNTIL={}T135959Z",
            (tue + Duration::days(9)).format("%Y%m%d")
        )),
        "{rrule}"
    );
    assert_eq!(ev["location"], "https://meet.example/room-1");
    assert_eq!(ev["sequence"], 0);
    let qa_ev = events
        .iter()
        .find(|e| e["uid"] == format!("activity-{qa}@nastavnik").as_str())
        .unwrap();
    assert_eq!(qa_ev["start"], format!("{wed}T08:00:00Z"));
    assert_eq!(qa_ev["status"], "CONFIRMED");
    // An edit keeps the UID and bumps SEQUENCE; a cancelled date becomes an EXDATE; a cancelled
    // one-off is STATUS:CANCELLED.
    let edit = format!("/o/school-a/programs/{program}/activities/{id}/edit");
    curator
        .get(&edit)
        .await
        .assert_contains("Git: ветки, слияние");
    let mut changed = series.to_vec();
    changed[1] = ("topic", "Git: ветки и слияние");
    let r = curator.post(&edit, &changed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let thu = tue + Duration::days(2);
    let r = curator
        .post(
            &format!("/o/school-a/activities/{id}/{thu}/change"),
            &[("action", "cancel"), ("reason", "Олимпиада")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = curator
        .post(
            &format!("/o/school-a/activities/{qa}/cancel"),
            &[("action", "cancel"), ("reason", "Болезнь ведущей")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    kid.get(&format!("/o/school-a/activities/{id}/{thu}"))
        .await
        .assert_contains("Это занятие отменено. Олимпиада");
    let parsed = parse_ics(&anon.get(&feed_url).await.body);
    let events = parsed["events"].as_array().unwrap();
    let ev = events.iter().find(|e| e["uid"] == uid.as_str()).unwrap();
    assert_eq!(ev["summary"], "вебинар: Git: ветки и слияние");
    assert_eq!(ev["sequence"], 2);
    assert_eq!(
        ev["exdates"],
        serde_json::json!([format!("{thu}T08:00:00Z")])
    );
    let qa_ev = events
        .iter()
        .find(|e| e["uid"] == format!("activity-{qa}@nastavnik").as_str())
        .unwrap();
    assert_eq!(qa_ev["status"], "CANCELLED");
    // A single event as a file; the program's feed; a revoked or made-up link is gone.
    let one = kid.get(&format!("/o/school-a/activities/{id}/ics")).await;
    assert_eq!(parse_ics(&one.body)["events"].as_array().unwrap().len(), 1);
    let r = kid
        .post(
            "/o/school-a/calendar",
            &[
                ("program", program.to_string().as_str()),
                ("action", "create"),
            ],
        )
        .await;
    let ptoken = r.body.split("/calendar/").nth(1).unwrap()[..64].to_string();
    let program_feed = parse_ics(&anon.get(&format!("/calendar/{ptoken}.ics")).await.body);
    assert_eq!(program_feed["events"].as_array().unwrap().len(), 2);
    kid.post(
        "/o/school-a/calendar",
        &[("program", ""), ("action", "revoke")],
    )
    .await;
    assert_eq!(anon.get(&feed_url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        anon.get(&format!("/calendar/{}.ics", "0".repeat(64)))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anon.get("/calendar/not-a-token.ics").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_monday_plan_and_the_reminder_an_hour_before_come_from_jobs_run_due() {
    let (app, org, program, mut curator) = school_with_program().await;
    let mentor = participant(&app, org, program, "m@test.ru", "Ведущая", "mentor", true).await;
    participant(
        &app,
        org,
        program,
        "k@test.ru",
        "Записанный",
        "mentee",
        true,
    )
    .await;
    participant(
        &app,
        org,
        program,
        "other@test.ru",
        "Незаписанный",
        "mentee",
        true,
    )
    .await;
    let monday = next(Weekday::Mon, Utc::now().date_naive());
    let tuesday = (monday + Duration::days(1)).to_string();
    let leader = mentor.to_string();
    let (id, occurrence) = plan(
        &mut curator,
        program,
        &[
            ("format", "masterclass"),
            ("topic", "Публичное выступление"),
            ("date", tuesday.as_str()),
            ("time", "18:00"),
            ("minutes", "60"),
            ("leader", leader.as_str()),
            ("audience", "all"),
            ("capacity", "1"),
        ],
    )
    .await;
    let mut kid = app.login("k@test.ru").await;
    let r = kid
        .post(&format!("{occurrence}/signup"), &[("action", "join")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    kid.get(&occurrence).await.assert_contains("Вы записаны");
    // The one place is taken.
    let mut other = app.login("other@test.ru").await;
    other
        .get(&occurrence)
        .await
        .assert_contains("Мест больше нет");
    other
        .post(&format!("{occurrence}/signup"), &[("action", "join")])
        .await;
    let signed: i64 = app
        .one_for(
            "SELECT count(*) FROM activity_signups WHERE activity_id = $1 AND signed_up",
            id,
        )
        .await;
    assert_eq!(signed, 1);
    let run = |at: String| {
        jobs_run_due(&app, &at);
    };
    // Monday 09:05 in Moscow: everyone of the program gets the plan of the week (the server was
    // up on Sunday: that run queues Monday's plan).
    run(format!("{}T12:00", monday - Duration::days(1)));
    run(format!("{monday}T06:05"));
    let plans: Vec<String> = app
        .all("SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.text LIKE 'План на неделю%' ORDER BY 1")
        .await;
    assert_eq!(plans, ["k@test.ru", "m@test.ru", "other@test.ru"]);
    let none: i64 = app
        .one("SELECT count(*) FROM notifications WHERE text LIKE 'Через час%'")
        .await;
    assert_eq!(none, 0);
    // Tuesday 17:05: the one who signed up is reminded, nobody else.
    run(format!("{tuesday}T14:05"));
    let reminded: Vec<String> = app
        .all("SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.text LIKE 'Через час%' ORDER BY 1")
        .await;
    assert_eq!(reminded, ["k@test.ru"]);
}

#[tokio::test]
async fn feedback_reaches_those_who_attended_and_the_rating_waits_for_enough_answers() {
    let (app, org, program, mut curator) = school_with_program().await;
    let mentor = participant(&app, org, program, "m@test.ru", "Ведущая", "mentor", true).await;
    participant(&app, org, program, "a@test.ru", "Пришедший", "mentee", true).await;
    let b = participant(
        &app,
        org,
        program,
        "b@test.ru",
        "Отсутствующий",
        "mentee",
        true,
    )
    .await;
    let a: uuid::Uuid = app.one("SELECT p.id FROM people p JOIN users u ON u.id = p.user_id WHERE u.email = 'a@test.ru'").await;
    let yesterday = (Utc::now().date_naive() - Duration::days(1)).to_string();
    let leader = mentor.to_string();
    let qid = curator.first_questionnaire("school-a").await;
    let (_, occurrence) = plan(
        &mut curator,
        program,
        &[
            ("format", "interview"),
            ("topic", "Пробное собеседование"),
            ("date", yesterday.as_str()),
            ("time", "10:00"),
            ("minutes", "45"),
            ("leader", leader.as_str()),
            ("audience", "mentees"),
            ("questionnaire", qid.as_str()),
        ],
    )
    .await;
    // The leader marks who came: only they are asked for feedback.
    let mut m = app.login("m@test.ru").await;
    m.get(&occurrence)
        .await
        .assert_contains("Отметьте, кто был");
    let r = m
        .post(
            &format!("{occurrence}/attendance"),
            &[("present", a.to_string().as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let asked: Vec<String> = app
        .all("SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.text LIKE 'Оцените занятие%' ORDER BY 1")
        .await;
    assert_eq!(asked, ["a@test.ru"]);
    let picked: Option<uuid::Uuid> = app
        .one("SELECT feedback_questionnaire FROM activities")
        .await;
    assert!(
        picked.is_some(),
        "the questionnaire was saved with the activity"
    );
    let n_assign: i64 = app.one("SELECT count(*) FROM assignments").await;
    assert_eq!(n_assign, 1, "an assignment was made");
    // The picked questionnaire went to them too, kept with the occurrence.
    let targets: Vec<uuid::Uuid> = app
        .all("SELECT t.person_id FROM assignment_targets t JOIN activity_feedback_forms f ON f.assignment_id = t.assignment_id")
        .await;
    assert_eq!(targets, [a]);
    curator
        .get(&occurrence)
        .await
        .assert_contains("Ответы на анкету обратной связи");
    let mut ka = app.login("a@test.ru").await;
    ka.get(&occurrence)
        .await
        .assert_contains("Как прошло занятие?");
    ka.post(
        &format!("{occurrence}/feedback"),
        &[("rating", "5"), ("comment", "Очень полезно")],
    )
    .await;
    let mut kb = app.login("b@test.ru").await;
    assert!(
        !kb.get(&occurrence)
            .await
            .body
            .contains("Как прошло занятие?")
    );
    kb.post(&format!("{occurrence}/feedback"), &[("rating", "1")])
        .await;
    let rows: i64 = app.one("SELECT count(*) FROM activity_feedback").await;
    assert_eq!(rows, 1, "only who attended rates");
    let _ = b;
    // The rating: one answer is below the default minimum of five.
    let rating = format!("/o/school-a/programs/{program}/rating");
    let page = curator.get(&rating).await;
    page.assert_contains("Ведущая");
    page.assert_contains("недостаточно ответов");
    assert_eq!(
        ka.get(&rating).await.status,
        StatusCode::NOT_FOUND,
        "not published yet"
    );
    let r = curator
        .post(
            &rating,
            &[("public", "1"), ("anonymous", "1"), ("min_answers", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    curator
        .get(&rating)
        .await
        .assert_contains("<strong>5.0</strong>");
    let page = ka.get(&rating).await;
    page.assert_contains("<strong>5.0</strong>");
    page.assert_contains("Наставник 1");
    assert!(!page.body.contains("Ведущая"), "anonymous: no names");
    assert!(
        !page.body.contains("Очень полезно"),
        "comments are the curator's"
    );
    curator
        .post(
            &rating,
            &[("public", "1"), ("min_answers", "2"), ("anonymous", "1")],
        )
        .await;
    assert!(
        !ka.get(&rating).await.body.contains("5.0"),
        "below the minimum: hidden"
    );
}

#[tokio::test]
async fn nobody_outside_an_activity_s_audience_or_organization_reaches_it() {
    let (app, org, program, mut curator) = school_with_program().await;
    let mentor = participant(&app, org, program, "m@test.ru", "Ведущая", "mentor", true).await;
    participant(&app, org, program, "k@test.ru", "Ученик", "mentee", true).await;
    let day = (Utc::now().date_naive() + Duration::days(3)).to_string();
    let leader = mentor.to_string();
    let (id, occurrence) = plan(
        &mut curator,
        program,
        &[
            ("format", "training"),
            ("topic", "Обучение наставников"),
            ("date", day.as_str()),
            ("time", "15:00"),
            ("minutes", "60"),
            ("leader", leader.as_str()),
            ("audience", "mentors"),
        ],
    )
    .await;
    // A mentee is not in a mentors' activity.
    let mut kid = app.login("k@test.ru").await;
    for url in [
        occurrence.clone(),
        format!("/o/school-a/activities/{id}/ics"),
    ] {
        assert_eq!(kid.get(&url).await.status, StatusCode::NOT_FOUND, "{url}");
    }
    assert_eq!(
        kid.post(&format!("{occurrence}/signup"), &[("action", "join")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !kid.get(&format!("/o/school-a/programs/{program}/activities"))
            .await
            .body
            .contains("Обучение наставников")
    );
    // The mentor sees it but cannot change the schedule.
    let mut m = app.login("m@test.ru").await;
    m.get(&occurrence)
        .await
        .assert_contains("Обучение наставников");
    assert_eq!(
        m.post(&format!("{occurrence}/change"), &[("action", "cancel")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        m.get(&format!("/o/school-a/programs/{program}/activities/new"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Another school: 404 everywhere.
    let b = crate::builders::org(&app.pool, "school-b").await;
    member(
        &app.pool,
        b,
        "curator-b@test.ru",
        &[Role::Curator, Role::Director],
    )
    .await;
    let mut other = app.login("curator-b@test.ru").await;
    let foreign = occurrence.replace("school-a", "school-b");
    for url in [
        foreign.clone(),
        format!("/o/school-b/activities/{id}/ics"),
        format!("/o/school-b/programs/{program}/activities"),
        format!("/o/school-b/programs/{program}/activities/{id}/edit"),
        format!("/o/school-b/programs/{program}/rating"),
        format!("/o/school-b/programs/{program}/topics"),
    ] {
        assert_eq!(other.get(&url).await.status, StatusCode::NOT_FOUND, "{url}");
    }
    for (url, form) in [
        (format!("{foreign}/attendance"), vec![("present", "x")]),
        (format!("{foreign}/change"), vec![("action", "cancel")]),
        (
            format!("/o/school-b/activities/{id}/cancel"),
            vec![("action", "cancel")],
        ),
        (
            format!("/o/school-b/programs/{program}/activities/{id}/edit"),
            vec![("topic", "x")],
        ),
    ] {
        assert_eq!(
            other.post(&url, &form).await.status,
            StatusCode::NOT_FOUND,
            "{url}"
        );
    }
    let r = other
        .post(
            "/o/school-b/calendar",
            &[
                ("program", program.to_string().as_str()),
                ("action", "create"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Topic requests: a participant proposes, the curator turns it into an activity.
    let topics = format!("/o/school-a/programs/{program}/topics");
    kid.post(&topics, &[("text", "Как готовиться к ОГЭ по математике")])
        .await;
    let page = curator.get(&topics).await;
    page.assert_contains("Как готовиться к ОГЭ по математике");
    page.assert_contains("Сделать занятием");
    let tid: uuid::Uuid = app.one("SELECT id FROM topic_requests").await;
    curator
        .get(&format!(
            "/o/school-a/programs/{program}/activities/new?topic={tid}"
        ))
        .await
        .assert_contains("value=\"Как готовиться к ОГЭ по математике\"");
}

#[tokio::test]
async fn a_questionnaire_given_every_friday_by_the_morning_job() {
    let (app, org, program, mut curator) = school_with_program().await;
    participant(&app, org, program, "k@test.ru", "Ученик", "mentee", true).await;
    let qid = curator.first_questionnaire("school-a").await;
    let page = format!("/o/school-a/questionnaires/{qid}");
    curator
        .get(&page)
        .await
        .assert_contains("Выдавать по расписанию");
    let r = curator
        .post(
            &format!("{page}/schedules"),
            &[
                ("program", program.to_string().as_str()),
                ("audience", "mentees"),
                ("weekday", "5"),
                ("days_to_answer", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    curator
        .get(&page)
        .await
        .assert_contains("каждую неделю: пятница, ответить за 3 дн.");
    let run = |at: String| {
        jobs_run_due(&app, &at);
    };
    let friday = next(Weekday::Fri, Utc::now().date_naive());
    // Friday 07:05 in Moscow: given, three days to answer; not again that day nor on Saturday.
    jobs_run_morning(&app, friday);
    let deadlines: Vec<NaiveDate> = app
        .all_for(
            "SELECT deadline FROM assignments WHERE program_id = $1",
            program,
        )
        .await;
    assert_eq!(deadlines, [friday + Duration::days(3)]);
    let told: i64 = app.one("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = 'k@test.ru' AND n.text LIKE 'Новая анкета%'").await;
    assert_eq!(told, 1);
    run(format!("{friday}T09:00"));
    run(format!("{}T04:05", friday + Duration::days(1)));
    let n: i64 = app
        .one_for(
            "SELECT count(*) FROM assignments WHERE program_id = $1",
            program,
        )
        .await;
    assert_eq!(n, 1);
    // The next Friday: again.
    run(format!("{}T04:05", friday + Duration::days(7)));
    let n: i64 = app
        .one_for(
            "SELECT count(*) FROM assignments WHERE program_id = $1",
            program,
        )
        .await;
    assert_eq!(n, 2);
    // Another school cannot remove it.
    let sid: uuid::Uuid = app.one("SELECT id FROM questionnaire_schedules").await;
    let b = crate::builders::org(&app.pool, "school-b").await;
    member(&app.pool, b, "curator-b@test.ru", &[Role::Curator]).await;
    let mut other = app.login("curator-b@test.ru").await;
    let r = other
        .post(
            &format!("/o/school-b/questionnaires/{qid}/schedules/{sid}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = curator
        .post(&format!("{page}/schedules/{sid}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let left: i64 = app
        .one("SELECT count(*) FROM questionnaire_schedules")
        .await;
    assert_eq!(left, 0);
}

/// The sign-up command keeps its rules whoever calls it (no page, no HTTP): only a participant of
/// the activity's program takes a place (a curator who takes no part is refused), never beyond
/// the places, only on a date the activity holds; a place given back is free for the next one.
#[tokio::test]
async fn the_sign_up_command_keeps_its_rules_without_a_page() {
    use nastavnik::activities::{Place, SignUp};
    use nastavnik::error::AppError;
    use nastavnik::tenancy::Actor;

    let (app, org_id, program_id, mut curator) = school_with_program().await;
    let mentor = participant(
        &app,
        org_id,
        program_id,
        "m@test.ru",
        "Ведущая",
        "mentor",
        true,
    )
    .await;
    participant(
        &app,
        org_id,
        program_id,
        "k@test.ru",
        "Первый",
        "mentee",
        true,
    )
    .await;
    participant(
        &app,
        org_id,
        program_id,
        "o@test.ru",
        "Второй",
        "mentee",
        true,
    )
    .await;
    let day = Utc::now().date_naive() + Duration::days(3);
    let date = day.to_string();
    let leader = mentor.to_string();
    let (id, _) = plan(
        &mut curator,
        program_id,
        &[
            ("format", "masterclass"),
            ("topic", "Публичное выступление"),
            ("date", date.as_str()),
            ("time", "18:00"),
            ("minutes", "60"),
            ("leader", leader.as_str()),
            ("audience", "all"),
            ("capacity", "1"),
        ],
    )
    .await;
    let (curator_id, org, _) = command_scene(&app, org_id, program_id).await;
    let user = |email: &'static str| {
        app.one_for::<uuid::Uuid>("SELECT id FROM users WHERE email = $1", email)
    };
    let (first, second) = (user("k@test.ru").await, user("o@test.ru").await);
    let sign = |who: uuid::Uuid, on: NaiveDate, place: Place| {
        let pool = app.pool.clone();
        let org = org.clone();
        async move {
            let by = Actor::new(&org, who, "http://localhost");
            let mut tx = pool.begin().await.unwrap();
            let r = nastavnik::activities::sign_up(&mut tx, &by, id, on, place).await;
            tx.commit().await.unwrap();
            r
        }
    };
    let r = sign(curator_id, day, Place::Take).await;
    assert!(matches!(r, Err(AppError::Forbidden)), "{r:?}");
    let r = sign(first, day + Duration::days(1), Place::Take).await;
    assert!(matches!(r, Err(AppError::NotFound)), "{r:?}");
    assert_eq!(
        sign(first, day, Place::Take).await.unwrap(),
        SignUp::SignedUp
    );
    assert_eq!(sign(second, day, Place::Take).await.unwrap(), SignUp::Full);
    assert_eq!(sign(first, day, Place::Give).await.unwrap(), SignUp::Left);
    assert_eq!(
        sign(second, day, Place::Take).await.unwrap(),
        SignUp::SignedUp
    );
    let signed: i64 = app
        .one_for(
            "SELECT count(*) FROM activity_signups WHERE activity_id = $1 AND signed_up",
            id,
        )
        .await;
    assert_eq!(signed, 1);
}

/// The commands on an activity's occurrences keep their rules whoever calls them (no page, no
/// HTTP): attendance and the recording are the leaders' or a curator's, attendance only once the
/// occurrence has started and only for its audience; moving, cancelling or restoring a date and
/// cancelling the whole activity are a curator's; a recording link is a web address.
#[tokio::test]
async fn the_occurrence_commands_keep_their_rules_without_a_page() {
    use nastavnik::activities::manage::{
        DateChange, cancel_all, change_date, mark_attendance, save_recording,
    };
    use nastavnik::error::AppError;
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, mut curator) = school_with_program().await;
    let mentor = participant(
        &app,
        org_id,
        program_id,
        "m@test.ru",
        "Ведущая",
        "mentor",
        true,
    )
    .await;
    let kid = participant(
        &app,
        org_id,
        program_id,
        "k@test.ru",
        "Первый",
        "mentee",
        true,
    )
    .await;
    let day = Utc::now().date_naive() + Duration::days(3);
    let (date, leader) = (day.to_string(), mentor.to_string());
    let (id, _) = plan(
        &mut curator,
        program_id,
        &[
            ("format", "masterclass"),
            ("topic", "Публичное выступление"),
            ("date", date.as_str()),
            ("time", "18:00"),
            ("minutes", "60"),
            ("leader", leader.as_str()),
            ("audience", "all"),
        ],
    )
    .await;
    let (curator_id, org, _) = command_scene(&app, org_id, program_id).await;
    let user = |email: &'static str| {
        app.one_for::<uuid::Uuid>("SELECT id FROM users WHERE email = $1", email)
    };
    let by_curator = Actor::new(&org, curator_id, "http://localhost");
    let (leader_user, kid_user) = (user("m@test.ru").await, user("k@test.ru").await);
    let by_leader = Actor::new(&org, leader_user, "http://localhost");
    let by_kid = Actor::new(&org, kid_user, "http://localhost");
    let mut tx = app.pool.begin().await.unwrap();
    let r = mark_attendance(&mut tx, &by_kid, (id, day), &[kid]).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = mark_attendance(&mut tx, &by_leader, (id, day), &[kid]).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first().contains("когда занятие началось")),
        "{r:?}"
    );
    let r = save_recording(&mut tx, &by_leader, id, ("ftp://files/rec", "")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("recording")),
        "{r:?}"
    );
    save_recording(
        &mut tx,
        &by_leader,
        id,
        (" https://video.example/1 ", "Слайды"),
    )
    .await
    .unwrap();
    // Dates: a curator's.
    let r = change_date(&mut tx, &by_leader, (id, day), &DateChange::Restore).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = change_date(
        &mut tx,
        &by_curator,
        (id, day + Duration::days(1)),
        &DateChange::Restore,
    )
    .await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "no such date: {r:?}"
    );
    let r = change_date(
        &mut tx,
        &by_curator,
        (id, day),
        &DateChange::Move(None, String::new()),
    )
    .await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("date")),
        "{r:?}"
    );
    change_date(
        &mut tx,
        &by_curator,
        (id, day),
        &DateChange::Cancel("Карантин".into()),
    )
    .await
    .unwrap();
    let r = cancel_all(&mut tx, &by_leader, id, Some("Каникулы")).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    assert_eq!(
        cancel_all(&mut tx, &by_curator, id, Some("Каникулы"))
            .await
            .unwrap(),
        day
    );
    tx.commit().await.unwrap();
    assert!(
        app.one_for::<bool>("SELECT cancelled FROM activities WHERE id = $1", id)
            .await
    );
    assert_eq!(
        app.one_for::<String>("SELECT recording FROM activities WHERE id = $1", id)
            .await,
        "https://video.example/1"
    );
    let mut tx = app.pool.begin().await.unwrap();
    cancel_all(&mut tx, &by_curator, id, None).await.unwrap();
    change_date(&mut tx, &by_curator, (id, day), &DateChange::Restore)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        !app.one_for::<bool>("SELECT cancelled FROM activities WHERE id = $1", id)
            .await
    );

    // Once it has started: attendance for its audience only.
    sqlx::query("UPDATE activities SET starts_at = now() - interval '2 hours' WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    let started = org
        .local(
            app.one_for::<chrono::DateTime<Utc>>(
                "SELECT starts_at FROM activities WHERE id = $1",
                id,
            )
            .await,
        )
        .date_naive();
    let mut tx = app.pool.begin().await.unwrap();
    let present = mark_attendance(
        &mut tx,
        &by_leader,
        (id, started),
        &[kid, uuid::Uuid::new_v4()],
    )
    .await
    .unwrap();
    assert_eq!(present, 1, "someone outside the audience is not marked");
    tx.commit().await.unwrap();
    // Those present rate it once it has ended: 1 to 5.
    let mut tx = app.pool.begin().await.unwrap();
    let at = (id, started);
    let r = nastavnik::activities::rate(&mut tx, &by_kid, at, ("7", "")).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("rating")),
        "{r:?}"
    );
    let r = nastavnik::activities::rate(&mut tx, &by_curator, at, ("5", "")).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "takes no part: {r:?}"
    );
    nastavnik::activities::rate(&mut tx, &by_kid, at, ("5", " Понравилось "))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        app.one::<String>("SELECT comment FROM activity_feedback")
            .await,
        "Понравилось"
    );
    // A topic: from the program's people only.
    let outsider = member(&app.pool, org_id, "out@test.ru", &[Role::Mentee]).await;
    let by_outsider = Actor::new(&org, outsider, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    let r =
        nastavnik::activities::propose_topic(&mut conn, &by_outsider, program_id, "Шахматы").await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    let r = nastavnik::activities::propose_topic(&mut conn, &by_kid, program_id, " ").await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("text")),
        "{r:?}"
    );
    nastavnik::activities::propose_topic(&mut conn, &by_kid, program_id, "Шахматы")
        .await
        .unwrap();
    // A calendar feed: for a program one sees; the rating's settings: a curator's.
    use nastavnik::activities::manage::{set_feed, set_rating};
    let r = set_feed(&mut conn, &by_outsider, Some(program_id), false).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    let token = set_feed(&mut conn, &by_kid, Some(program_id), false)
        .await
        .unwrap();
    assert!(token.is_some_and(|t| t.len() >= 20));
    assert!(
        set_feed(&mut conn, &by_kid, Some(program_id), true)
            .await
            .unwrap()
            .is_none()
    );
    let flags = (true, true, false);
    let r = set_rating(&mut conn, &by_leader, program_id, flags, "3").await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = set_rating(&mut conn, &by_curator, program_id, flags, "0").await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.has("min_answers")),
        "{r:?}"
    );
    set_rating(&mut conn, &by_curator, program_id, flags, "3")
        .await
        .unwrap();
}

/// The activity form is a curator's command (no page, no HTTP): every field checked — a format,
/// a topic, a date and time, a duration, a leader among the program's mentors or an expert, an
/// audience, a repetition within a year — a refused form writes nothing; an edit of another
/// program's activity is not found.
#[tokio::test]
async fn the_activity_form_is_a_command_with_its_rules() {
    use nastavnik::activities::save::{ActivityForm, save_activity};
    use nastavnik::error::AppError;
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let mentor = participant(
        &app,
        org_id,
        program_id,
        "m@test.ru",
        "Ведущая",
        "mentor",
        true,
    )
    .await;
    let kid = participant(
        &app,
        org_id,
        program_id,
        "k@test.ru",
        "Первый",
        "mentee",
        true,
    )
    .await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let day = Utc::now().date_naive() + Duration::days(10);
    let good = ActivityForm {
        format: "masterclass".into(),
        topic: "Публичное выступление".into(),
        date: day.to_string(),
        time: "18:00".into(),
        minutes: "60".into(),
        leaders: vec![mentor.to_string()],
        audience: "all".into(),
        ..ActivityForm::default()
    };
    let activities = || app.one::<i64>("SELECT count(*) FROM activities");
    let mut conn = app.pool.acquire().await.unwrap();
    let r = save_activity(&mut conn, &by_director, program.id, None, &good).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let bad = ActivityForm {
        format: "séance".into(),
        leaders: vec![kid.to_string()],
        time: "six".into(),
        minutes: "1000".into(),
        link: "ftp://x".into(),
        repeat_days: vec!["2".into()],
        repeat_until: (day + Duration::days(400)).to_string(),
        ..good.clone()
    };
    match save_activity(&mut conn, &by, program.id, None, &bad).await {
        Err(Refused::Invalid(e)) => {
            for f in [
                "format",
                "leader",
                "time",
                "minutes",
                "link",
                "repeat_until",
            ] {
                assert!(e.has(f), "{f}: {e:?}");
            }
        }
        r => panic!("expected a refusal, got {r:?}"),
    }
    assert_eq!(activities().await, 0, "a refused form writes nothing");
    let (id, first) = save_activity(&mut conn, &by, program.id, None, &good)
        .await
        .unwrap();
    assert_eq!(first, day);
    let moved = ActivityForm {
        topic: "Выступление перед классом".into(),
        ..good.clone()
    };
    save_activity(&mut conn, &by, program.id, Some(id), &moved)
        .await
        .unwrap();
    let r = save_activity(
        &mut conn,
        &by,
        program.id,
        Some(uuid::Uuid::new_v4()),
        &moved,
    )
    .await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    assert_eq!(
        app.one_for::<String>("SELECT topic FROM activities WHERE id = $1", id)
            .await,
        "Выступление перед классом"
    );
}
