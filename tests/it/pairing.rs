//! Matching and pairs: proposals, accepting, weights and rules, Mentor Match, the consent of each member.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn a_club_gets_a_proposal_with_explanations() {
    let Club {
        app, mut c, club, ..
    } = club().await;
    c.get(&format!("/o/school-a/programs/{club}"))
        .await
        .assert_contains("Подобрать пары");
    let page = c
        .get(&format!("/o/school-a/programs/{club}/matching"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Предложенные пары");
    page.assert_contains("совпадение запросов");
    page.assert_contains("общее расписание");
    page.assert_contains("нет ответов на анкету наставляемого");
    page.assert_contains("Пять лучших вариантов");
    let pairs = page.body.matches("class=\"task-code\"").count();
    assert!(pairs >= 5, "{pairs} pairs");
    // Coverage pairs at least as many mentees.
    let cov = c
        .get(&format!(
            "/o/school-a/programs/{club}/matching?objective=coverage&min=0"
        ))
        .await;
    assert!(cov.body.matches("class=\"task-code\"").count() >= pairs);
    // Other organizations and roles.
    let mut college = app.login("curator-b@test.ru").await;
    assert_eq!(
        college
            .get(&format!("/o/school-b/programs/{club}/matching"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let mut mentor = app.login("mentor@test.ru").await;
    assert_eq!(
        mentor
            .get(&format!("/o/school-a/programs/{club}/matching"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

/// (select name, selected mentor id) of each proposed pair on the page.
pub fn picks(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("name=\"pick.") {
        let s = &rest[i + 6..];
        let name = s[..s.find('"').unwrap()].to_string();
        let end = s.find("</select>").unwrap();
        let opts = &s[..end];
        let sel = opts
            .find("\" selected>")
            .map(|j| {
                let start = opts[..j].rfind("value=\"").unwrap() + 7;
                opts[start..j].to_string()
            })
            .unwrap_or_default();
        out.push((name, sel));
        rest = &s[end..];
    }
    out
}

async fn status_of(app: &TestApp, pair: uuid::Uuid) -> String {
    app.one_for("SELECT status FROM pairs WHERE id = $1", pair)
        .await
}

#[tokio::test]
async fn proposals_become_pairs_only_when_every_member_agrees() {
    let Club {
        app,
        mut c,
        club,
        mentor: m,
        mentee: e,
        ..
    } = club().await;
    let base = format!("/o/school-a/programs/{club}");
    let page = c.get(&format!("{base}/matching")).await;
    let all = picks(&page.body);
    assert!(all.len() >= 5, "{} proposals", all.len());
    assert!(
        all.iter().all(|(_, m)| !m.is_empty()),
        "proposed mentor preselected"
    );

    // Two mentees given the same one-place mentor: refused, nothing created, choices kept.
    let clash = [
        (all[0].0.as_str(), all[0].1.as_str()),
        (all[1].0.as_str(), all[0].1.as_str()),
    ];
    let r = c.post(&format!("{base}/matching/accept"), &clash).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Пары не созданы");
    r.assert_contains("мест 1");
    let kept = picks(&r.body);
    assert_eq!(kept.iter().find(|k| k.0 == all[1].0).unwrap().1, all[0].1);
    let count: i64 = app.one("SELECT count(*) FROM pairs").await;
    assert_eq!(count, 0);

    // Accept three as proposed, reject the fourth («не принимать»).
    let mut fields: Vec<(&str, &str)> = all[..3]
        .iter()
        .map(|(n, m)| (n.as_str(), m.as_str()))
        .collect();
    fields.push((all[3].0.as_str(), ""));
    let r = c.post(&format!("{base}/matching/accept"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{base}/pairs"));
    let proposed: Vec<(uuid::Uuid, String, String)> =
        sqlx::query_as("SELECT id, status, scheme FROM pairs ORDER BY created_at")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(proposed.len(), 3);
    assert!(
        proposed
            .iter()
            .all(|p| p.1 == "proposed" && p.2 == "questionnaires")
    );

    // Re-running keeps them: those mentees are not proposed again, their mentors are used.
    let again = c.get(&format!("{base}/matching")).await;
    again.assert_contains("уже в парах: 3");
    let now = picks(&again.body);
    for (name, _) in &all[..3] {
        assert!(now.iter().all(|n| &n.0 != name), "{name} proposed again");
    }
    for (_, mentor) in &all[..3] {
        assert!(
            now.iter().all(|n| &n.1 != mentor),
            "a full mentor proposed again"
        );
    }

    // A pair by hand (the accounts' mentor and mentee), confirmed by both in their accounts.
    c.get(&format!("{base}/pairs")).await;
    let r = c
        .post(
            &format!("{base}/pairs"),
            &[("mentor", &m.to_string()), ("mentee", &e.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let hand: uuid::Uuid = app
        .one("SELECT id FROM pairs WHERE scheme = 'curator'")
        .await;
    let mut mentor = app.login("mentor@test.ru").await;
    let home = mentor.get("/o/school-a").await;
    home.assert_contains("Мои пары");
    home.assert_contains("ждёт вашего ответа");
    home.assert_contains("Вам предложена пара");
    let mine = format!("/o/school-a/my/pairs/{hand}");
    mentor.get(&mine).await.assert_contains("Вы согласны?");
    let r = mentor
        .post(&mine, &[("answer", "yes"), ("comment", "Буду рад помочь")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        status_of(&app, hand).await,
        "proposed",
        "one side is not enough"
    );
    // Answering twice is refused.
    mentor.get(&mine).await;
    mentor.post(&mine, &[("answer", "no")]).await;
    assert_eq!(status_of(&app, hand).await, "proposed");
    let mut mentee = app.login("mentee@test.ru").await;
    mentee.get(&mine).await.assert_contains("Согласен(на)");
    mentee.post(&mine, &[("answer", "yes")]).await;
    assert_eq!(status_of(&app, hand).await, "agreed");
    let enrol: Vec<String> = sqlx::query_scalar(
        "SELECT status FROM enrolments WHERE program_id = $1 AND person_id = ANY($2)",
    )
    .bind(club)
    .bind(vec![m, e])
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(enrol.iter().all(|s| s == "paired"), "{enrol:?}");
    mentee
        .get("/o/school-a")
        .await
        .assert_contains("Пара согласована");
    // Someone outside a pair cannot see or answer it.
    let other = proposed[0].0;
    assert_eq!(
        mentee
            .get(&format!("/o/school-a/my/pairs/{other}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A refusal on paper: the pair is refused, the mentee is back in the pool, the curator told.
    let row: (uuid::Uuid,) =
        sqlx::query_as("SELECT person_id FROM pair_members WHERE pair_id = $1 AND role = 'mentee'")
            .bind(other)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    c.get(&format!("{base}/pairs")).await;
    let r = c
        .post(
            &format!("{base}/pairs/{other}/paper"),
            &[("person", &row.0.to_string()), ("answer", "no")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, other).await, "refused");
    c.get("/o/school-a")
        .await
        .assert_contains("вернулись в список для подбора");
    c.get(&format!("{base}/matching"))
        .await
        .assert_contains("уже в парах: 3");
    // Consent on paper from both members of another pair.
    let second = proposed[1].0;
    let members: Vec<uuid::Uuid> = app
        .all_for(
            "SELECT person_id FROM pair_members WHERE pair_id = $1",
            second,
        )
        .await;
    for p in &members {
        c.get(&format!("{base}/pairs")).await;
        c.post(
            &format!("{base}/pairs/{second}/paper"),
            &[("person", &p.to_string()), ("answer", "yes")],
        )
        .await;
    }
    assert_eq!(status_of(&app, second).await, "agreed");
    // The agreed pair plans to meet as its members answered «Как часто готовы встречаться?»
    // (the least frequent answer); the pair whose members gave no answers keeps the default.
    let rhythm: i32 = app
        .one_for(
            "SELECT every_days FROM pair_rhythm WHERE pair_id = $1",
            second,
        )
        .await;
    assert!([7, 14, 30].contains(&rhythm), "{rhythm}");
    let none: i64 = app
        .one_for("SELECT count(*) FROM pair_rhythm WHERE pair_id = $1", hand)
        .await;
    assert_eq!(none, 0);
    let page = c.get(&format!("{base}/pairs")).await;
    page.assert_contains("согласие на бумаге");
    page.assert_contains("«Буду рад помочь»");

    // Another organization's curator and a mentor cannot touch any of it.
    let mut college = app.login("curator-b@test.ru").await;
    let third = proposed[2].0;
    for (path, fields) in [
        (
            format!("/o/school-b/programs/{club}/matching/accept"),
            vec![(all[4].0.as_str(), all[4].1.as_str())],
        ),
        (
            format!("/o/school-b/programs/{club}/pairs/{third}/cancel"),
            vec![],
        ),
        (
            format!("/o/school-b/programs/{club}/pairs"),
            vec![("mentor", all[4].1.as_str())],
        ),
        (
            format!("/o/school-b/my/pairs/{third}"),
            vec![("answer", "no")],
        ),
    ] {
        let r = college.post(&path, &fields).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        format!("/o/school-b/programs/{club}/pairs"),
        format!("/o/school-b/programs/{club}/mentor-match"),
        format!("/o/school-b/programs/{club}/matching/settings"),
    ] {
        assert_eq!(
            college.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = mentor
        .post(&format!("{base}/pairs/{third}/cancel"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, third).await, "proposed");
    // The curator cancels it: its mentee is free again.
    c.get(&format!("{base}/pairs")).await;
    c.post(&format!("{base}/pairs/{third}/cancel"), &[]).await;
    assert_eq!(status_of(&app, third).await, "cancelled");
}

#[tokio::test]
async fn weights_capacities_and_forbidden_pairs() {
    let Club {
        app, mut c, club, ..
    } = club().await;
    let base = format!("/o/school-a/programs/{club}");
    let page = c.get(&format!("{base}/matching/settings")).await;
    page.assert_contains("Веса критериев");
    page.assert_contains("классов");
    let mentors: Vec<uuid::Uuid> = app
        .all_for(
            "SELECT person_id FROM enrolments WHERE program_id = $1 AND role = 'mentor'",
            club,
        )
        .await;
    let cap_field = format!("cap.{}", mentors[0]);
    let mut fields = vec![
        ("w.needs", "150"),
        ("w.interests", "15"),
        ("w.availability", "20"),
        ("w.frequency", "10"),
        ("w.format", "5"),
        ("w.rule", "10"),
        ("w.test", "5"),
        ("objective", "coverage"),
        ("min_score", "20"),
        ("rule_gap", "3"),
        ("version", "0"),
        (cap_field.as_str(), "3"),
    ];
    let r = c.post(&format!("{base}/matching/settings"), &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("от 0 до 100");
    r.assert_contains("value=\"150\"");
    fields[0] = ("w.needs", "90");
    let r = c.post(&format!("{base}/matching/settings"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{base}/matching"));
    let page = c.get(&format!("{base}/matching")).await;
    page.assert_contains("совпадение запросов 90");
    page.assert_contains("С весами формы по умолчанию было бы");
    page.assert_contains("<option value=\"coverage\" selected>");
    // A stale form (version 0 again) is refused with the input kept.
    c.get(&format!("{base}/matching/settings")).await;
    fields[0] = ("w.needs", "70");
    let r = c.post(&format!("{base}/matching/settings"), &fields).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    r.assert_contains("value=\"70\"");
    let cap: i32 = sqlx::query_scalar(
        "SELECT capacity FROM enrolments WHERE program_id = $1 AND person_id = $2",
    )
    .bind(club)
    .bind(mentors[0])
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(cap, 3);
    // With three places a mentor takes a group.
    let page = c.get(&format!("{base}/matching")).await;
    let all = picks(&page.body);
    let group: Vec<(&str, &str)> = all.iter().take(2).map(|(n, _)| (n.as_str(), "")).collect();
    let m0 = mentors[0].to_string();
    let group: Vec<(&str, &str)> = group.iter().map(|(n, _)| (*n, m0.as_str())).collect();
    let r = c.post(&format!("{base}/matching/accept"), &group).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let members: i64 = app.one_for("SELECT count(*) FROM pair_members m JOIN pairs p ON p.id = m.pair_id WHERE p.mentor_id = $1 AND m.role = 'mentee'", mentors[0]).await;
    assert_eq!(members, 2, "one group with two mentees");
    c.get(&format!("{base}/pairs"))
        .await
        .assert_contains("группа");
    // «Не ставить вместе»: the pair is not proposed again until the ban is lifted.
    let page = c.get(&format!("{base}/matching")).await;
    let (name, mentor) = picks(&page.body).into_iter().next().unwrap();
    let mentee = name.trim_start_matches("pick.").to_string();
    let pair = format!("{mentor}:{mentee}");
    let r = c
        .post(&format!("{base}/matching/forbid"), &[("pair", &pair)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&format!("{base}/matching")).await;
    assert!(
        !picks(&page.body)
            .iter()
            .any(|(n, m)| n == &name && m == &mentor),
        "a forbidden pair proposed"
    );
    let settings = c.get(&format!("{base}/matching/settings")).await;
    settings.assert_contains("Снять запрет");
    // A forbidden pair cannot be made by hand either.
    c.get(&format!("{base}/pairs")).await;
    let r = c
        .post(
            &format!("{base}/pairs"),
            &[("mentor", &mentor), ("mentee", &mentee)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let made: i64 = app
        .one("SELECT count(*) FROM pairs WHERE scheme = 'curator'")
        .await;
    assert_eq!(made, 0);
    c.get(&format!("{base}/matching/settings")).await;
    c.post(
        &format!("{base}/matching/forbid"),
        &[("pair", &pair), ("on", "0"), ("back", "settings")],
    )
    .await;
    let n: i64 = app.one("SELECT count(*) FROM matching_forbidden").await;
    assert_eq!(n, 0);
}

#[tokio::test]
async fn mentor_match_pairs_mutual_choices() {
    let Club {
        app, mut c, young, ..
    } = club().await;
    let base = format!("/o/school-a/programs/{young}");
    let page = c.get(&format!("{base}/mentor-match")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Взаимных первых выборов: 3");
    assert_eq!(page.body.matches(">взаимный первый выбор<").count(), 3);
    page.assert_contains("пожелания совпали");
    page.assert_contains("не указал(а), с кем хотел(а) бы работать");
    let all = picks(&page.body);
    assert_eq!(all.len(), 4);
    let fields: Vec<(&str, &str)> = all
        .iter()
        .map(|(n, m)| (n.as_str(), m.as_str()))
        .chain([("scheme", "mentor_match")])
        .collect();
    let r = c.post(&format!("{base}/matching/accept"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let n: i64 = app
        .one("SELECT count(*) FROM pairs WHERE scheme = 'mentor_match' AND status = 'proposed'")
        .await;
    assert_eq!(n, 4);
    // Paired people drop out of the next run.
    let page = c.get(&format!("{base}/mentor-match")).await;
    assert!(picks(&page.body).is_empty());
    page.assert_contains("уже в парах: 4");
}

/// The pair commands keep the pairs' rules whoever calls them (no page, no HTTP): a mentee
/// without a consent is refused and nothing is made; a pair is made once — its members are not
/// paired twice —; it is agreed only when every member says yes.
#[tokio::test]
async fn the_pair_commands_keep_their_rules_without_a_page() {
    use std::collections::BTreeMap;

    use nastavnik::pairing::model::Status;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let mentor = participant(
        &app,
        org_id,
        program_id,
        "m@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    let kid = participant(
        &app,
        org_id,
        program_id,
        "k@test.ru",
        "Котов",
        "mentee",
        true,
    )
    .await;
    let no_consent = participant(
        &app,
        org_id,
        program_id,
        "n@test.ru",
        "Безсогласия",
        "mentee",
        false,
    )
    .await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by = nastavnik::tenancy::Actor::new(&org, curator, "http://localhost");
    let pairs = || app.one::<i64>("SELECT count(*) FROM pairs");
    let group = |mentee| -> BTreeMap<uuid::Uuid, Vec<uuid::Uuid>> {
        [(mentor, vec![mentee])].into_iter().collect()
    };

    let mut tx = app.pool.begin().await.unwrap();
    let refused =
        nastavnik::pairing::make_pairs(&mut tx, &by, &program, &group(no_consent), "curator")
            .await
            .unwrap()
            .unwrap_err();
    assert!(
        refused.iter().any(|e| e.contains("согласи")),
        "the consent is named: {refused:?}"
    );
    drop(tx);
    assert_eq!(pairs().await, 0, "a refused proposal makes nothing");

    let mut tx = app.pool.begin().await.unwrap();
    let made = nastavnik::pairing::make_pairs(&mut tx, &by, &program, &group(kid), "curator")
        .await
        .unwrap();
    assert_eq!(made, Ok(1));
    tx.commit().await.unwrap();
    let mut tx = app.pool.begin().await.unwrap();
    let again = nastavnik::pairing::make_pairs(&mut tx, &by, &program, &group(kid), "curator")
        .await
        .unwrap();
    assert!(again.is_err(), "the members are paired already: {again:?}");
    drop(tx);
    assert_eq!(pairs().await, 1);

    let pair: uuid::Uuid = app.one("SELECT id FROM pairs").await;
    let mut tx = app.pool.begin().await.unwrap();
    let mut row = nastavnik::pairing::pair(&mut tx, org_id, pair)
        .await
        .unwrap()
        .unwrap();
    let first = nastavnik::pairing::record_answer(&mut tx, &by, &mut row, mentor, true, "", true)
        .await
        .unwrap();
    assert_eq!(first, Some(Status::Proposed), "one yes of two");
    let second = nastavnik::pairing::record_answer(&mut tx, &by, &mut row, kid, true, "", true)
        .await
        .unwrap();
    assert_eq!(second, Some(Status::Agreed));
    tx.commit().await.unwrap();
    assert_eq!(status_of(&app, pair).await, "agreed");
}

/// Cancelling a pair and setting its form variant keep their rules whoever calls them (no page,
/// no HTTP): a curator's only, on a pair of this program; a pair is cancelled once; a variant is
/// one the program chose.
#[tokio::test]
async fn cancelling_a_pair_and_its_variant_are_commands_with_their_rules() {
    use nastavnik::error::AppError;
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(
        &app.pool,
        org_id,
        "director@test.ru",
        &[nastavnik::auth::model::Role::Director],
    )
    .await;
    let pair = new_pair(
        &app,
        (org_id, program_id),
        ("m1@test.ru", "Абрамова"),
        ("k1@test.ru", "Котов"),
        5,
    )
    .await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by_curator = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let mut tx = app.pool.begin().await.unwrap();
    let r =
        nastavnik::pairing::set_variant(&mut tx, &by_curator, program.id, pair, Some("nonsense"))
            .await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first() == "Этот вариант не выбран для программы."),
        "{r:?}"
    );
    let r = nastavnik::pairing::cancel(&mut tx, &by_director, &program, pair).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = nastavnik::pairing::cancel(&mut tx, &by_curator, &program, uuid::Uuid::new_v4()).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    nastavnik::pairing::cancel(&mut tx, &by_curator, &program, pair)
        .await
        .unwrap();
    let r = nastavnik::pairing::cancel(&mut tx, &by_curator, &program, pair).await;
    assert!(
        matches!(&r, Err(Refused::Invalid(e)) if e.first().contains("уже завершена или отменена")),
        "{r:?}"
    );
    tx.commit().await.unwrap();
    assert_eq!(
        app.one_for::<String>("SELECT status FROM pairs WHERE id = $1", pair)
            .await,
        "cancelled"
    );
    assert_eq!(
        app.one_for::<i64>(
            "SELECT count(*) FROM audit_log WHERE action = 'pair.cancel' AND org_id = $1",
            org_id
        )
        .await,
        2,
        "one entry per member"
    );
}

/// «Не ставить вместе» is a curator's command (no page, no HTTP), for the program's mentor and
/// mentee only; it can be taken back.
#[tokio::test]
async fn forbidding_a_pair_is_a_curator_s_command() {
    use nastavnik::error::AppError;
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(
        &app.pool,
        org_id,
        "director@test.ru",
        &[nastavnik::auth::model::Role::Director],
    )
    .await;
    let mentor = participant(
        &app,
        org_id,
        program_id,
        "m1@test.ru",
        "Абрамова",
        "mentor",
        true,
    )
    .await;
    let kid = participant(
        &app,
        org_id,
        program_id,
        "k1@test.ru",
        "Котов",
        "mentee",
        true,
    )
    .await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let by = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    let r =
        nastavnik::pairing::forbid(&mut conn, &by_director, program.id, (mentor, kid), true).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let r = nastavnik::pairing::forbid(&mut conn, &by, program.id, (kid, mentor), true).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "roles swapped: {r:?}"
    );
    let (t, e) = nastavnik::pairing::forbid(&mut conn, &by, program.id, (mentor, kid), true)
        .await
        .unwrap();
    assert!(
        t.starts_with("Абрамова") && e.starts_with("Котов"),
        "{t} {e}"
    );
    let forbidden = || app.one::<i64>("SELECT count(*) FROM matching_forbidden");
    assert_eq!(forbidden().await, 1);
    nastavnik::pairing::forbid(&mut conn, &by, program.id, (mentor, kid), false)
        .await
        .unwrap();
    assert_eq!(forbidden().await, 0);
}

/// «Веса и правила» without a page: a curator's; every bad value is named, nothing saved; a save
/// from an old version is a conflict; places are stored only for the program's mentors.
#[tokio::test]
async fn the_settings_command_keeps_its_rules_without_a_page() {
    use nastavnik::error::AppError;
    use nastavnik::matching::score::CRITERIA;
    use nastavnik::pairing::settings::{SettingsInput, SettingsSaved, save_settings};

    let (app, org_id, program_id, _c) = school_with_program().await;
    let mentor = participant(
        &app,
        org_id,
        program_id,
        "m@test.ru",
        "Наставникова",
        "mentor",
        true,
    )
    .await;
    let kid = participant(
        &app,
        org_id,
        program_id,
        "k@test.ru",
        "Котов",
        "mentee",
        true,
    )
    .await;
    let m_user: uuid::Uuid = app
        .one("SELECT id FROM users WHERE email = 'm@test.ru'")
        .await;
    let (curator, org, _program) = command_scene(&app, org_id, program_id).await;
    let by = nastavnik::tenancy::Actor::new(&org, curator, "http://localhost");
    let by_mentor = nastavnik::tenancy::Actor::new(&org, m_user, "http://localhost");
    let weights = |v: &str| {
        CRITERIA
            .iter()
            .map(|(c, _)| (c.to_string(), v.to_string()))
            .collect()
    };
    let good = SettingsInput {
        weights: weights("10"),
        objective: "coverage".into(),
        min_score: "20".into(),
        rule_gap: "3".into(),
        same_subject: true,
        version: "0".into(),
        places: vec![(mentor, "4".into()), (kid, "9".into())],
    };
    let mut tx = app.pool.begin().await.unwrap();
    let r = save_settings(&mut tx, &by_mentor, program_id, &good).await;
    assert!(matches!(r, Err(AppError::Forbidden)), "{r:?}");
    let bad = SettingsInput {
        weights: weights("0"),
        min_score: "200".into(),
        rule_gap: "99".into(),
        places: vec![(mentor, "31".into())],
        ..good.clone()
    };
    match save_settings(&mut tx, &by, program_id, &bad).await.unwrap() {
        SettingsSaved::Invalid(e) => {
            assert_eq!(e.len(), 4, "{e:?}");
            assert!(
                e[0].contains("больше нуля") && e[3].contains("Наставникова"),
                "{e:?}"
            );
        }
        r => panic!("expected the problems, got {r:?}"),
    }
    assert_eq!(
        save_settings(&mut tx, &by, program_id, &good)
            .await
            .unwrap(),
        SettingsSaved::Saved
    );
    // The form was made from version 0; it is 1 now.
    assert_eq!(
        save_settings(&mut tx, &by, program_id, &good)
            .await
            .unwrap(),
        SettingsSaved::Conflict
    );
    assert!(matches!(
        save_settings(&mut tx, &by, uuid::Uuid::new_v4(), &good).await,
        Err(AppError::NotFound)
    ));
    tx.commit().await.unwrap();
    let places: Vec<(uuid::Uuid, i32)> = sqlx::query_as(
        "SELECT person_id, capacity FROM enrolments WHERE program_id = $1 ORDER BY role",
    )
    .bind(program_id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        places,
        [(kid, 1), (mentor, 4)],
        "a mentee's places are not a mentor's"
    );
}
