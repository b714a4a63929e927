//! Security round two (issue 28): a member's account is linked only by its owner and survives an
//! erasure; erasure leaves no name in free text.

use axum::http::StatusCode;

use nastavnik::auth::model::Role;

use crate::support::*;

/// Finding 1: a curator sets a person's e-mail to the director's, asks for an account and then
/// withdraws the consent. The director's account is not linked (an invitation waits for them),
/// and after the erasure it still logs in with its roles; when the director accepts the
/// invitation and the person is erased, the account only loses the link and the mentor role.
#[tokio::test]
async fn a_curator_never_links_or_erases_a_member_s_account() {
    let (app, org, _program, mut c) = school_with_program().await;
    let director = member(&app.pool, org, "director@test.ru", &[Role::Director]).await;
    let teacher = adult(&app.pool, org, "Подставная", "teacher", false).await;
    sqlx::query("UPDATE people SET email = 'Director@test.ru' WHERE id = $1")
        .bind(teacher)
        .execute(&app.pool)
        .await
        .unwrap();
    let r = c
        .post(&format!("/o/school-a/people/{teacher}/account"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let flash = c.get(r.location()).await;
    flash.assert_contains("приглашение отправлено на электронную почту");
    assert!(!flash.body.contains("/invite/"), "no link for the curator");
    let linked: Option<uuid::Uuid> = app
        .one_for("SELECT user_id FROM people WHERE id = $1", teacher)
        .await;
    assert_eq!(linked, None, "not linked without the owner");
    let links: i64 = app
        .one_for(
            "SELECT count(*) FROM invitations WHERE user_id = $1",
            director,
        )
        .await;
    assert_eq!(links, 0);
    // The erasure of the record leaves the director as they were.
    let consent: uuid::Uuid = app
        .one_for("SELECT id FROM consents WHERE person_id = $1", teacher)
        .await;
    let r = c
        .post(
            &format!("/o/school-a/people/{teacher}/consents/{consent}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut d = app.login("director@test.ru").await;
    assert_eq!(d.get("/o/school-a").await.status, StatusCode::OK);

    // Now the director accepts an invitation for a record of their own, which is then erased.
    let own = adult(&app.pool, org, "Директорова", "teacher", false).await;
    sqlx::query("UPDATE people SET email = 'director@test.ru' WHERE id = $1")
        .bind(own)
        .execute(&app.pool)
        .await
        .unwrap();
    c.post(&format!("/o/school-a/people/{own}/account"), &[])
        .await;
    let invitation: uuid::Uuid = app
        .one_for(
            "SELECT id FROM membership_invitations WHERE user_id = $1 AND person_id IS NOT NULL ORDER BY created_at DESC LIMIT 1",
            director,
        )
        .await;
    let chooser = d.get("/orgs").await;
    chooser.assert_contains("наставник");
    let r = d
        .post(&format!("/invitations/{invitation}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let linked: Option<uuid::Uuid> = app
        .one_for("SELECT user_id FROM people WHERE id = $1", own)
        .await;
    assert_eq!(linked, Some(director), "linked by the owner's acceptance");
    let consent: uuid::Uuid = app
        .one_for("SELECT id FROM consents WHERE person_id = $1", own)
        .await;
    c.post(
        &format!("/o/school-a/people/{own}/consents/{consent}/withdraw"),
        &[],
    )
    .await;
    let (email, disabled, roles): (String, bool, Vec<String>) = sqlx::query_as(
        "SELECT u.email, u.disabled_at IS NOT NULL, m.roles FROM users u
           JOIN memberships m ON m.user_id = u.id WHERE u.id = $1",
    )
    .bind(director)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(email, "director@test.ru");
    assert!(!disabled);
    assert_eq!(roles, ["director"], "only the participant's role is taken");
    let mut again = app.login("director@test.ru").await;
    assert_eq!(again.get("/o/school-a").await.status, StatusCode::OK);
    // A new code for that account is never handed to the curator either.
    let r = c
        .post(&format!("/o/school-a/people/{own}/account"), &[])
        .await;
    let page = c.get(r.location()).await;
    assert!(!page.body.contains("Одноразовый код"), "{}", page.body);
}

/// Every text column of the schema is declared with its domain: free text the erasure scrubs, or
/// a coded column that cannot hold a name (issue 28). A new column fails here until declared.
#[tokio::test]
async fn every_text_column_is_declared_free_or_coded() {
    let app = spawn().await;
    let columns: Vec<String> = app
        .all(
            "SELECT c.table_name || '.' || c.column_name FROM information_schema.columns c
               JOIN information_schema.tables t ON t.table_schema = c.table_schema
                AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
              WHERE c.table_schema = 'public' AND c.table_name NOT LIKE '\\_sqlx%'
                AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
              ORDER BY 1",
        )
        .await;
    let mut declared: Vec<String> = nastavnik::home::erasure::free_text()
        .flat_map(|f| f.columns.iter().map(move |c| format!("{}.{c}", f.table)))
        .chain(nastavnik::home::erasure::coded().map(|(t, c, _)| format!("{t}.{c}")))
        .collect();
    declared.sort();
    let undeclared: Vec<&String> = columns.iter().filter(|c| !declared.contains(c)).collect();
    assert!(
        undeclared.is_empty(),
        "text columns not declared by their domain's forget::ERASURE (free_text or coded): {undeclared:?}"
    );
    let gone: Vec<&String> = declared.iter().filter(|c| !columns.contains(c)).collect();
    assert!(gone.is_empty(), "declared but not in the schema: {gone:?}");
}

/// The erasure reaches free text everywhere: every declared free-text column of every row of the
/// demo school (generated from the schema) gets the pupil's name, patronymic, e-mail and phone;
/// after the consent is withdrawn neither appears anywhere in `pg_dump`, and the mentor's journal
/// keeps its meetings and hours.
#[tokio::test]
async fn after_erasure_no_name_or_email_is_left_anywhere_in_the_dump() {
    let app = spawn().await;
    assert!(nastavnik::demo::load(&app.pool).await.unwrap());
    // The mentee of the demo school whose pair has met most (a pair at work).
    let (org, kid): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT pm.org_id, pm.person_id FROM pair_members pm
           JOIN memberships ms ON ms.org_id = pm.org_id
           JOIN users u ON u.id = ms.user_id AND u.email = 'curator@demo.local'
          WHERE pm.role = 'mentee'
          ORDER BY (SELECT count(*) FROM meetings m WHERE m.pair_id = pm.pair_id) DESC LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    // A name nobody else in the demo has, so the dump can be searched for it.
    sqlx::query(
        "UPDATE people SET last_name = 'Неповторимов', first_name = 'Евстигней',
                middle_name = 'Феоктистович', email = 'evstigney@family.example',
                phone = '+7 (912) 345-67-89' WHERE id = $1",
    )
    .bind(kid)
    .execute(&app.pool)
    .await
    .unwrap();
    let hours = || async {
        let r: (i64, f64) = sqlx::query_as(
            "SELECT count(*), coalesce(sum(extract(epoch FROM ends_at - starts_at)) / 3600, 0)::float8
               FROM meetings m JOIN pairs x ON x.id = m.pair_id
               JOIN pair_members pm ON pm.pair_id = x.id WHERE pm.person_id = $1",
        )
        .bind(kid)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        r
    };
    let before = hours().await;
    assert!(before.0 > 0, "the demo pupil has meetings");
    let forms = [
        "Неповторимов Евстигней Феоктистович",
        "Евстигней Неповторимов",
        "НЕПОВТОРИМОВ ЕВСТИГНЕЙ",
        "Евстигней Феоктистович Неповторимов",
        "Неповторимов Е. Ф.",
        "evstigney@family.example",
        "+7 912 345-67-89",
    ];
    let marker = forms.join("; ");
    let kinds: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns
          WHERE table_schema = 'public'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut filled = 0u64;
    let mut failed = Vec::new();
    for f in nastavnik::home::erasure::free_text() {
        for c in f.columns {
            let kind = kinds
                .iter()
                .find(|k| k.0 == f.table && &k.1 == c)
                .map(|k| k.2.clone())
                .unwrap();
            let set = match kind.as_str() {
                "jsonb" => format!("{c} = jsonb_build_object('typed', $2::text, 'was', {c})"),
                "ARRAY" => format!("{c} = array_append({c}, $2::text)"),
                _ => format!("{c} = {c} || ' ' || $2"),
            };
            let sql = format!("UPDATE {} SET {set} WHERE {}", f.table, f.scope);
            let mut tx = app.pool.begin().await.unwrap();
            sqlx::query("SELECT set_config('nastavnik.erasure', 'on', true)")
                .execute(&mut *tx)
                .await
                .unwrap();
            match sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(org)
                .bind(&marker)
                .execute(&mut *tx)
                .await
            {
                Ok(r) => {
                    filled += r.rows_affected();
                    tx.commit().await.unwrap();
                }
                Err(e) => failed.push(format!("{}.{c}: {e}", f.table)),
            }
        }
    }
    assert!(
        failed.is_empty(),
        "free-text columns that cannot hold a name: {failed:?}"
    );
    assert!(filled > 500, "{filled} rows filled");
    // The curator withdraws the consent: the one erasure runs.
    let mut c = app.client();
    assert_eq!(
        c.login("curator@demo.local", "demo12345").await.status,
        StatusCode::SEE_OTHER
    );
    let slug: String = app
        .one_for("SELECT slug FROM organizations WHERE id = $1", org)
        .await;
    let consents: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT id FROM consents WHERE person_id = $1 AND withdrawn_on IS NULL")
            .bind(kid)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    for consent in consents {
        let r = c
            .post(
                &format!("/o/{slug}/people/{kid}/consents/{consent}/withdraw"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let pg_dump = nastavnik::db::embedded::find_bin_dir()
        .map(|d| d.join("pg_dump"))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| "pg_dump".into());
    let dump = std::process::Command::new(&pg_dump)
        .args(["--data-only", "--no-owner", "-d", &database_url(&app.db)])
        .output()
        .unwrap_or_else(|e| panic!("{} runs: {e}", pg_dump.display()));
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let text = String::from_utf8_lossy(&dump.stdout).to_lowercase();
    assert!(text.len() > 100_000, "a real dump");
    for needle in [
        "неповторимов",
        "евстигней феоктистович",
        "evstigney@family.example",
        "345-67-89",
    ] {
        if let Some(i) = text.find(needle) {
            let mut from = i.saturating_sub(300);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let around: String = text[from..].chars().take(500).collect();
            panic!("«{needle}» is still in the dump: …{around}…");
        }
    }
    assert!(text.contains("участник №"));
    assert_eq!(
        hours().await,
        before,
        "the mentor's journal keeps its meetings and hours"
    );
}
