//! What a phone downloads: pages and assets compressed (brotli or gzip, as the browser accepts),
//! assets named by their content and cached for a year; a first visit — the login page with its
//! assets, then the mentee's home — under 100 KB, a following page under 15 KB.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::builders::{participant, school_with_program};
use crate::support::{Client, Resp};

/// GET as a browser does it: compressed if the server will.
async fn fetched(c: &mut Client, path: &str) -> Resp {
    let cookies: Vec<String> = c.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut req = Request::get(path)
        .header(header::ACCEPT_ENCODING, "br, gzip, deflate")
        .body(Body::empty())
        .unwrap();
    if !cookies.is_empty() {
        req.headers_mut()
            .insert(header::COOKIE, cookies.join("; ").parse().unwrap());
    }
    // Without the client's cookie handling: the answer is only measured.
    let saved = (c.cookies.clone(), c.csrf.clone());
    let r = c.send(req).await;
    (c.cookies, c.csrf) = saved;
    r
}

/// The assets a page links.
fn assets(body: &str) -> Vec<String> {
    body.split("\"/static/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| format!("/static/{s}"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[tokio::test]
async fn a_first_visit_and_a_following_page_weigh_little_on_a_phone() {
    let (app, org, program, _) = school_with_program().await;
    participant(&app, org, program, "kid@test.ru", "Котов", "mentee", true).await;
    let mut c = app.client();

    // The login page, compressed, and what it links.
    let page = c.get("/login").await;
    let login = fetched(&mut c, "/login").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(login.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(login.headers[header::CACHE_CONTROL], "no-store");
    let mut first = login.bytes.len();
    let linked = assets(&page.body);
    assert!(linked.len() >= 4, "{linked:?}");
    for a in &linked {
        let r = fetched(&mut c, a).await;
        assert_eq!(r.status, StatusCode::OK, "{a}");
        assert_eq!(
            r.headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{a}"
        );
        if !a.ends_with(".svg") || r.bytes.len() > 1024 {
            assert!(r.headers.contains_key(header::CONTENT_ENCODING), "{a}");
        }
        first += r.bytes.len();
    }
    // The plain name still answers (a bookmark, an old page), with a short cache.
    let plain = fetched(&mut c, "/static/js/htmx.min.js").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.headers[header::CACHE_CONTROL], "public, max-age=300");

    // Logged in: the mentee's home.
    let r = c.login("kid@test.ru", crate::support::PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut home = r.location().to_string();
    let mut home_page = c.get(&home).await;
    while home_page.status == StatusCode::SEE_OTHER {
        home = home_page.location().to_string();
        home_page = c.get(&home).await;
    }
    assert_eq!(home_page.status, StatusCode::OK, "{home}");
    assert_eq!(assets(&home_page.body), linked, "the same assets, cached");
    let home_fetched = fetched(&mut c, &home).await;
    first += home_fetched.bytes.len();
    assert!(first < 100 * 1024, "a first visit transfers {first} bytes");

    // A following page: only its compressed HTML.
    let next = fetched(&mut c, "/o/school-a/notifications").await;
    assert_eq!(next.status, StatusCode::OK);
    assert!(
        next.bytes.len() < 15 * 1024,
        "a following page transfers {} bytes",
        next.bytes.len()
    );
    println!(
        "first visit: {first} bytes (login {} + assets + home {}); a following page: {} bytes",
        login.bytes.len(),
        home_fetched.bytes.len(),
        next.bytes.len()
    );
}

/// The check of a 5,000-row class list: its problems first, the rows that will simply be added
/// sampled — not 1.3 MB of HTML — and everything still counted and imported.
#[tokio::test]
async fn a_long_class_list_preview_lists_its_problems_first_and_samples_the_rest() {
    let (app, _org, _p, mut c) = school_with_program().await;
    let mut csv = crate::builders::class_list_csv(5000, &["5А", "6Б", "7В", "8Г", "9Д"]);
    // Three rows without a name, at the end of the file.
    csv.push_str(";7А\n;7Б\n;7В\n");
    c.get("/o/school-a/people/import").await;
    let r = c
        .upload(
            "/o/school-a/people/import",
            &[("kind", "pupil")],
            "вся-школа.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let preview = c.get(r.location()).await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview.bytes.len() < 200 * 1024,
        "the preview is {} bytes",
        preview.bytes.len()
    );
    let first_error = preview
        .body
        .find("class=\"row-error\"")
        .expect("the broken rows");
    let first_new = preview
        .body
        .find("class=\"row-new\"")
        .expect("a sample of the rest");
    assert!(first_error < first_new, "problems first");
    assert_eq!(preview.body.matches("class=\"row-error\"").count(), 3);
    assert_eq!(preview.body.matches("class=\"row-new\"").count(), 200);
    preview.assert_contains("не показаны ещё 4800 строк");
    preview.assert_contains("Импортировать 5000 строк");
    let _ = app;
}
