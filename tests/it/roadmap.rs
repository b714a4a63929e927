//! The roadmap of a program: statuses in place, adding, editing and deleting tasks, overdue tasks, the concurrent-edit guard.

use axum::http::StatusCode;
use chrono::NaiveDate;
use nastavnik::auth::model::Role;

use crate::support::*;

#[tokio::test]
async fn roadmap_edits_status_task_add_and_delete() {
    let School {
        app,
        org: org_id,
        curator: cur,
        mut c,
    } = school().await;
    let p = program(&app.pool, org_id, cur, "Программа").await;
    let base = format!("/o/school-a/programs/{p}/roadmap");
    c.get(&base).await;
    // Status through the htmx partial.
    let (t11, v) = task(&app.pool, p, "1.1").await;
    let body = form_body(&[
        ("_csrf", c.csrf.clone().unwrap().as_str()),
        ("status", "in_progress"),
        ("version", &v.to_string()),
    ]);
    let r = c
        .send(
            axum::http::Request::post(format!("{base}/tasks/{t11}/status"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("hx-request", "true")
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    r.assert_contains(&format!("id=\"task-{t11}\""));
    r.assert_contains("value=\"in_progress\" selected");
    // The change is announced to screen readers (the live region updated out of band).
    r.assert_contains("hx-swap-oob=\"true\">Задача 1.1: в работе</div>");
    // Plain form post with redirect and flash.
    let (t12, v12) = task(&app.pool, p, "1.2").await;
    let r = c
        .post(
            &format!("{base}/tasks/{t12}/status"),
            &[("status", "done"), ("version", &v12.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get(&base).await;
    page.assert_contains("Статус задачи 1.2 изменён");
    // 2 of 35 tasks started or done: progress shows 1 done of 35.
    page.assert_contains("Выполнено 1 из 35 задач");
    // Edit a task: due date, responsible person, wording.
    let (t21, v21) = task(&app.pool, p, "2.1").await;
    let edit = c.get(&format!("{base}/tasks/{t21}/edit")).await;
    edit.assert_contains("Проведение анкетирования");
    let cur_s = cur.to_string();
    let r = c
        .post(
            &format!("{base}/tasks/{t21}/edit"),
            &[
                ("title", "Анкетирование 5–7 классов"),
                ("due_on", "2026-10-20"),
                ("responsible_role", "curator"),
                ("responsible_user", &cur_s),
                ("status", "in_progress"),
                ("version", &v21.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (title, due, who): (String, NaiveDate, Option<uuid::Uuid>) = sqlx::query_as(
        "SELECT title, due_on, responsible_user_id FROM roadmap_tasks WHERE id = $1",
    )
    .bind(t21)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (title.as_str(), due, who),
        (
            "Анкетирование 5–7 классов",
            NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(),
            Some(cur)
        )
    );
    // Validation keeps the input.
    let (_, v21) = task(&app.pool, p, "2.1").await;
    let r = c
        .post(
            &format!("{base}/tasks/{t21}/edit"),
            &[
                ("title", "Новая формулировка"),
                ("due_on", "32.13.2026"),
                ("responsible_role", "curator"),
                ("status", "todo"),
                ("version", &v21.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("Новая формулировка");
    r.assert_contains("Укажите срок");
    // Add a task to stage 3: numbered 3.5.
    let s3 = stage(&app.pool, p, 3).await;
    c.get(&format!("{base}/stages/{s3}/tasks/new"))
        .await
        .assert_contains("Новая задача");
    let r = c
        .post(
            &format!("{base}/stages/{s3}/tasks/new"),
            &[
                ("title", "Встреча с психологом"),
                ("due_on", "2026-10-25"),
                ("responsible_role", "curator"),
                ("status", "todo"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (t35, _) = task(&app.pool, p, "3.5").await;
    c.get(&base).await.assert_contains("Встреча с психологом");
    // Delete it.
    let r = c.post(&format!("{base}/tasks/{t35}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let n: i64 = app
        .one_for(
            "SELECT count(*) FROM roadmap_tasks WHERE program_id = $1",
            p,
        )
        .await;
    assert_eq!(n, 35);
}

#[tokio::test]
async fn overdue_tasks_stand_out() {
    let (app, _, p, mut c) = school_with_program().await;
    sqlx::query("UPDATE roadmap_tasks SET due_on = current_date + 10 WHERE program_id = $1")
        .bind(p)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE roadmap_tasks SET due_on = current_date - 3 WHERE program_id = $1 AND code = '1.3'",
    )
    .bind(p)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE roadmap_tasks SET due_on = current_date - 3, status = 'done' WHERE program_id = $1 AND code = '1.4'")
        .bind(p)
        .execute(&app.pool)
        .await
        .unwrap();
    let (t13, _) = task(&app.pool, p, "1.3").await;
    let page = c.get(&format!("/o/school-a/programs/{p}/roadmap")).await;
    page.assert_contains(&format!("task is-overdue\" id=\"task-{t13}\""));
    page.assert_contains("Просрочено: 1");
    assert_eq!(page.body.matches("task is-overdue").count(), 1);
}

#[tokio::test]
async fn two_curators_editing_the_same_task_never_overwrite_silently() {
    let app = spawn().await;
    let a = org(&app.pool, "school-a").await;
    let c1 = member(&app.pool, a, "one@test.ru", &[Role::Curator]).await;
    member(&app.pool, a, "two@test.ru", &[Role::Curator]).await;
    let p = program(&app.pool, a, c1, "Программа").await;
    let mut one = app.login("one@test.ru").await;
    let mut two = app.login("two@test.ru").await;
    let (t, v) = task(&app.pool, p, "4.4").await;
    let url = format!("/o/school-a/programs/{p}/roadmap/tasks/{t}/edit");
    // Both open the form at the same version.
    one.get(&url).await;
    two.get(&url).await;
    let v = v.to_string();
    let r = one
        .post(
            &url,
            &[
                ("title", "Обучение наставников: 8 встреч"),
                ("due_on", "2026-11-30"),
                ("responsible_role", "curator"),
                ("status", "in_progress"),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The second curator's edit, sent with the version their form carried.
    let second = |version: String| {
        let mut fields = vec![
            ("title", "Обучение наставников (ролевые игры)".to_string()),
            ("due_on", "2026-12-15".to_string()),
            ("responsible_role", "director".to_string()),
            ("status", "done".to_string()),
        ];
        fields.push(("version", version));
        fields
    };
    let sent = second(v.clone());
    let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = two.post(&url, &sent).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    r.assert_contains("изменил другой пользователь");
    r.assert_contains("Обучение наставников (ролевые игры)");
    r.assert_contains("value=\"2026-12-15\"");
    r.assert_contains("Обучение наставников: 8 встреч");
    let (title, status): (String, String) =
        sqlx::query_as("SELECT title, status FROM roadmap_tasks WHERE id = $1")
            .bind(t)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), status.as_str()),
        ("Обучение наставников: 8 встреч", "in_progress")
    );
    // The re-rendered form carries the new version: pressing again saves knowingly.
    let new_version = r.field("version");
    let sent = second(new_version);
    let sent: Vec<(&str, &str)> = sent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = two.post(&url, &sent).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The quick status change is guarded the same way.
    let (_, v_now) = task(&app.pool, p, "4.4").await;
    let stale = (v_now - 1).to_string();
    let r = one
        .post(
            &format!("/o/school-a/programs/{p}/roadmap/tasks/{t}/status"),
            &[("status", "todo"), ("version", &stale)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let status: String = app
        .one_for("SELECT status FROM roadmap_tasks WHERE id = $1", t)
        .await;
    assert_eq!(status, "done");
    one.get(&format!("/o/school-a/programs/{p}/roadmap"))
        .await
        .assert_contains("уже изменил другой пользователь");
}

/// The roadmap's command keeps its rules whoever calls it (no page, no HTTP): only a curator
/// changes a task's status, only to a known status, only a task of the program, and only from
/// the version seen — a change made meanwhile wins and is named.
#[tokio::test]
async fn the_status_command_keeps_its_rules_without_a_page() {
    use nastavnik::error::AppError;
    use nastavnik::programs::roadmap::StatusChange;
    use nastavnik::tenancy::Actor;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let (id, version) = task(&app.pool, program_id, "1.1").await;
    let by = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let mut conn = app.pool.acquire().await.unwrap();
    let change = |by, task, version, status| {
        let pool = app.pool.clone();
        let program = program.clone();
        async move {
            let mut conn = pool.acquire().await.unwrap();
            nastavnik::programs::roadmap::change_status(
                &mut conn, &by, &program, task, version, status,
            )
            .await
        }
    };
    let r = change(by_director, id, version, "done").await;
    assert!(matches!(r, Err(AppError::Forbidden)), "{r:?}");
    let r = change(by, id, version, "lost").await;
    assert!(matches!(r, Err(AppError::Validation(_))), "{r:?}");
    let r = change(by, uuid::Uuid::new_v4(), version, "done").await;
    assert!(matches!(r, Err(AppError::NotFound)), "{r:?}");
    assert_eq!(
        change(by, id, version, "in_progress").await.unwrap(),
        StatusChange::Saved { code: "1.1".into() }
    );
    assert_eq!(
        change(by, id, version, "done").await.unwrap(),
        StatusChange::Stale {
            code: "1.1".into(),
            current: "in_progress".into()
        },
        "a change from a version gone by is not saved"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM roadmap_tasks WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(status, "in_progress");
}

/// The task commands keep the roadmap's rules whoever calls them (no page, no HTTP): a curator's
/// only; a task needs a wording, a date, a role and a status, and a responsible person among the
/// organization's members; a change over a newer version is a conflict that saves nothing; a
/// task of another program is not found.
#[tokio::test]
async fn the_task_commands_keep_their_rules_without_a_page() {
    use nastavnik::error::AppError;
    use nastavnik::programs::roadmap::{TaskForm, TaskSaved, add_task, delete_task, update_task};
    use nastavnik::tenancy::Actor;
    use nastavnik::web::forms::Refused;

    let (app, org_id, program_id, _c) = school_with_program().await;
    let director = member(&app.pool, org_id, "director@test.ru", &[Role::Director]).await;
    let (curator, org, program) = command_scene(&app, org_id, program_id).await;
    let (existing, version) = task(&app.pool, program_id, "1.1").await;
    let stage: uuid::Uuid = app
        .one_for("SELECT stage_id FROM roadmap_tasks WHERE id = $1", existing)
        .await;
    let by = Actor::new(&org, curator, "http://localhost");
    let by_director = Actor::new(&org, director, "http://localhost");
    let good = TaskForm {
        title: "Провести родительское собрание".into(),
        due_on: program.starts_on.to_string(),
        responsible_role: "curator".into(),
        responsible_user: curator.to_string(),
        status: "todo".into(),
        version: 0,
    };
    let mut conn = app.pool.acquire().await.unwrap();
    let r = add_task(&mut conn, &by_director, &program, stage, &good).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let bad = TaskForm {
        responsible_user: uuid::Uuid::new_v4().to_string(),
        ..TaskForm::default()
    };
    match add_task(&mut conn, &by, &program, stage, &bad).await {
        Err(Refused::Invalid(e)) => {
            for f in [
                "title",
                "due_on",
                "responsible_role",
                "status",
                "responsible_user",
            ] {
                assert!(e.has(f), "{f}: {e:?}");
            }
        }
        r => panic!("expected a refusal, got {r:?}"),
    }
    let r = add_task(&mut conn, &by, &program, uuid::Uuid::new_v4(), &good).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    let id = add_task(&mut conn, &by, &program, stage, &good)
        .await
        .unwrap();

    // A change from the version seen; a stale one saves nothing.
    let edit = TaskForm {
        title: "Собрание для родителей 5-х классов".into(),
        version,
        ..good.clone()
    };
    assert!(matches!(
        update_task(&mut conn, &by, &program, existing, &edit).await,
        Ok(TaskSaved::Saved(code)) if code == "1.1"
    ));
    match update_task(&mut conn, &by, &program, existing, &edit).await {
        Ok(TaskSaved::Conflict(now)) => assert_eq!(now.title, edit.title),
        r => panic!("expected a conflict, got {r:?}"),
    }
    let r = update_task(&mut conn, &by, &program, uuid::Uuid::new_v4(), &edit).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
    let r = delete_task(&mut conn, &by_director, &program, id).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::Forbidden))),
        "{r:?}"
    );
    let (_, title) = delete_task(&mut conn, &by, &program, id).await.unwrap();
    assert_eq!(title, good.title);
    let r = delete_task(&mut conn, &by, &program, id).await;
    assert!(
        matches!(r, Err(Refused::Failed(AppError::NotFound))),
        "{r:?}"
    );
}
