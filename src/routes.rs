//! The route table: every URL of the product and the page handler that answers it, grouped the
//! way a user meets them (accounts, the platform admin, an organization, a program inside it).
//! Reading this file tells a newcomer every page there is; handlers live in their domains.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::error::AppError;
use crate::web::AppState;
use crate::{
    accounts, activities, audit, auth, completion, home, meetings, monitoring, notifications,
    orders, pairing, participants, people, plans, programs, questionnaires, recruitment, reports,
    roadmap, tenancy, territory,
};

/// Every page of the product. Service routes (`/healthz`, `/metrics`, `/static`) are added in
/// `lib.rs` outside the session and CSRF layers.
pub fn pages() -> Router<AppState> {
    Router::new()
        .merge(accounts())
        .merge(admin())
        .nest("/o/{slug}", organization())
        .fallback(not_found_or_without_slash)
}

/// Login, logout, one-time links, the organization chooser with pending invitations.
fn accounts() -> Router<AppState> {
    use auth::pages::{invite as i, login as l};
    use home::pages::chooser as c;
    Router::new()
        .route("/", get(c::root))
        .route("/login", get(l::login_page).post(l::login))
        .route("/logout", post(l::logout))
        .route("/orgs", get(c::chooser))
        .route("/invitations/{id}/accept", post(c::accept_membership))
        .route("/invitations/{id}/decline", post(c::decline_membership))
        .route(
            "/apply/{token}",
            get(recruitment::pages::apply::apply_page).post(recruitment::pages::apply::apply),
        )
        .route(
            "/calendar/{file}",
            get(activities::pages::feeds::public_feed),
        )
        .route(
            "/unsubscribe/{token}",
            get(notifications::pages::prefs::unsubscribe_page)
                .post(notifications::pages::prefs::unsubscribe),
        )
        .route(
            "/invite/{token}",
            get(i::invite_page).post(i::accept_invite),
        )
}

/// The platform administrator: organizations, the outbox and the job queue.
fn admin() -> Router<AppState> {
    use notifications::pages::outbox as o;
    use tenancy::pages::admin as a;
    Router::new()
        .route("/t/{scope}", get(territory::pages::schools::schools))
        .route(
            "/t/{scope}/schools.xlsx",
            get(territory::pages::schools::schools_xlsx),
        )
        .route(
            "/t/{scope}/schools/{org}",
            get(territory::pages::school::school),
        )
        .route(
            "/t/{scope}/monitoring",
            get(territory::pages::monitoring::monitoring),
        )
        .route(
            "/t/{scope}/monitoring.xlsx",
            get(territory::pages::monitoring::monitoring_xlsx),
        )
        .route("/t/{scope}/cases", get(territory::pages::cases::cases))
        .route("/t/{scope}/recount", post(territory::pages::recount))
        .route(
            territory::pages::admin::PATH,
            get(territory::pages::admin::territories).post(territory::pages::admin::change),
        )
        .route("/admin", get(a::admin_orgs))
        .route(
            "/admin/orgs/new",
            get(a::admin_new_org).post(a::admin_create_org),
        )
        .route("/admin/orgs/{id}", get(a::admin_org))
        .route("/admin/mail", get(o::outbox_page))
        .route("/admin/mail/{id}/resend", post(o::resend))
        .route("/admin/jobs/{id}/retry", post(o::retry_job))
}

/// `/o/{slug}/…`: one organization (its home, members, settings, bases, questionnaires, audit,
/// the participant's own pages) and its programs.
fn organization() -> Router<AppState> {
    use tenancy::pages::{members as m, settings as s};
    Router::new()
        .route("/", get(home::pages::home::home))
        .route("/members", get(m::members).post(m::add_member))
        .route("/members/pending/{id}/revoke", post(m::revoke_pending))
        .route("/members/{user}/invite", post(m::reissue_invite))
        .route("/members/{user}/roles", post(m::set_member_roles))
        .route("/settings", get(s::settings).post(s::save_settings))
        .route("/audit", get(audit::pages::log::log))
        .route("/audit.xlsx", get(audit::pages::log::export))
        .merge(people_pages())
        .merge(questionnaire_pages())
        .route(
            "/my/pairs/{pair}",
            get(pairing::pages::mine::mine).post(pairing::pages::mine::answer_mine),
        )
        .route(
            "/pairs/{pair}/meetings",
            get(meetings::pages::pair::meetings).post(meetings::pages::log::log_meeting),
        )
        .route(
            "/pairs/{pair}/meetings/{id}/feedback",
            post(meetings::pages::feedback::give_feedback),
        )
        .route("/dashboard", get(reports::pages::dashboard::dashboard))
        .route("/reports", get(reports::pages::tables::list))
        .route("/reports/all.xlsx", get(reports::pages::tables::export_all))
        .route("/reports/{code}", get(reports::pages::tables::report))
        .route(
            "/reports/{code}/export.xlsx",
            get(reports::pages::tables::export),
        )
        .route(
            "/reports/indicators.xlsx",
            get(reports::pages::export::indicators_xlsx),
        )
        .route(
            "/reports/indicators/{code}",
            get(reports::pages::indicator::indicator),
        )
        .route(
            "/cases",
            get(completion::pages::cases::cases).post(completion::pages::cases::create),
        )
        .route(
            "/cases/{id}",
            get(completion::pages::cases::case).post(completion::pages::cases::update),
        )
        .route(
            "/calendar",
            get(activities::pages::feeds::calendar).post(activities::pages::feeds::set_feed),
        )
        .route(
            "/activities/{id}/ics",
            get(activities::pages::feeds::activity_ics),
        )
        .route(
            "/activities/{id}/cancel",
            post(activities::pages::manage::cancel_all),
        )
        .route(
            "/activities/{id}/{date}",
            get(activities::pages::occurrence::occurrence),
        )
        .route(
            "/activities/{id}/{date}/signup",
            post(activities::pages::occurrence::signup),
        )
        .route(
            "/activities/{id}/{date}/feedback",
            post(activities::pages::occurrence::feedback),
        )
        .route(
            "/activities/{id}/{date}/attendance",
            post(activities::pages::manage::attendance),
        )
        .route(
            "/activities/{id}/{date}/recording",
            post(activities::pages::manage::recording),
        )
        .route(
            "/activities/{id}/{date}/change",
            post(activities::pages::manage::change_date),
        )
        .route(
            "/pairs/{pair}/complete",
            get(completion::pages::complete::complete_page)
                .post(completion::pages::complete::complete),
        )
        .route(
            "/pairs/{pair}/complete/report",
            post(completion::pages::complete::report),
        )
        .route("/pairs/{pair}/plan", get(plans::pages::plan::first_plan))
        .route(
            "/pairs/{pair}/plan/{person}",
            get(plans::pages::plan::plan).post(plans::pages::plan::save_analysis),
        )
        .route(
            "/pairs/{pair}/plan/{person}/goals",
            post(plans::pages::goals::add_goal),
        )
        .route(
            "/pairs/{pair}/plan/{person}/goals/{id}",
            post(plans::pages::goals::update_goal),
        )
        .route(
            "/pairs/{pair}/diary",
            get(plans::pages::diary::diary).post(plans::pages::diary::write_entry),
        )
        .route(
            "/pairs/{pair}/meetings.xlsx",
            get(meetings::pages::journal::journal_xlsx),
        )
        .route("/programs", get(programs::pages::list::list))
        .route(
            "/programs/new",
            get(programs::pages::form::new_page).post(programs::pages::form::create),
        )
        .nest("/programs/{program}", program())
}

/// The bases of mentors and mentees: people, consents, requests, import and export, accounts.
fn people_pages() -> Router<AppState> {
    use accounts::pages::slips as a;
    use participants::pages::enrol as pe;
    use people::pages::{
        card as c, consents as cs, export as x, form as f, import as i, list as l,
    };
    Router::new()
        .route("/people", get(l::list))
        .route("/people/new", get(f::new_page).post(f::create))
        .route("/people/bulk", post(l::bulk))
        .route("/people/slips", get(a::slips_page).post(a::slips))
        .route("/people/export.xlsx", get(x::export))
        .route(
            "/people/import",
            get(i::import_page)
                .post(i::upload)
                .layer(DefaultBodyLimit::max(
                    people::import::MAX_BYTES + 256 * 1024,
                )),
        )
        .route("/people/import/{id}", get(i::preview).post(i::confirm))
        .route("/people/{id}", get(c::card))
        .route("/people/{id}/edit", get(f::edit_page).post(f::update))
        .route("/people/{id}/consents", post(cs::add_consent))
        .route(
            "/people/{id}/consents/{consent}/withdraw",
            post(cs::withdraw_consent),
        )
        .route("/people/{id}/requests", post(cs::add_request))
        .route("/people/{id}/enrol", post(pe::enrol_one))
        .route("/people/{id}/account", post(a::account))
}

/// Questionnaires: the builder, assignments with their results, filling (own or on paper),
/// notifications.
fn questionnaire_pages() -> Router<AppState> {
    use questionnaires::pages::{
        answers as a, export as x, fill as f, list as l, question as q, results as r, show as s,
    };
    Router::new()
        .route("/questionnaires", get(l::list).post(l::create))
        .route("/questionnaires/{id}", get(s::show))
        .route("/questionnaires/{id}/rename", post(s::rename))
        .route("/questionnaires/{id}/copy", post(l::copy))
        .route("/questionnaires/{id}/questions", post(q::save_question))
        .route(
            "/questionnaires/{id}/questions/{key}",
            get(q::edit_question).post(q::question_action),
        )
        .route("/questionnaires/{id}/assign", post(s::assign))
        .route(
            "/questionnaires/{id}/schedules",
            post(questionnaires::pages::schedules::add_schedule),
        )
        .route(
            "/questionnaires/{id}/schedules/{schedule}/delete",
            post(questionnaires::pages::schedules::delete_schedule),
        )
        .route("/assignments/{id}", get(r::results))
        .route("/assignments/{id}/export.xlsx", get(x::export))
        .route("/assignments/{id}/remind", post(r::remind))
        .route("/assignments/{id}/answers/{person}", get(a::answers))
        .route(
            "/assignments/{id}/fill/{person}",
            get(f::fill_for).post(f::save_for::<false>),
        )
        .route(
            "/assignments/{id}/fill/{person}/draft",
            post(f::save_for::<true>),
        )
        .route(
            "/my/forms/{id}",
            get(f::fill_mine).post(f::save_mine::<false>),
        )
        .route("/my/forms/{id}/draft", post(f::save_mine::<true>))
        .route("/notifications", get(notifications::pages::list::list))
        .route(
            "/notifications/settings",
            get(notifications::pages::prefs::prefs).post(notifications::pages::prefs::save_prefs),
        )
        .route(
            "/notifications/read-all",
            post(notifications::pages::list::read_all),
        )
        .route(
            "/notifications/{id}",
            get(notifications::pages::open_notification),
        )
}

/// `/o/{slug}/programs/{program}/…`: one program — its card, roadmap, participants and training,
/// matching and pairs.
fn program() -> Router<AppState> {
    use orders::pages::{order as od, orders as ol};
    use pairing::pages::{mentor_match as mm, pairs as pp, proposal as pr, settings as st};
    use participants::pages::participants as e;
    use programs::pages::{form, show};
    use roadmap::pages::{roadmap as r, task_form as t};
    Router::new()
        .route("/", get(show::show))
        .route("/edit", get(form::edit_page).post(form::update))
        .route("/roadmap", get(r::roadmap))
        .route("/roadmap/tasks/{task}/status", post(r::set_status))
        .route(
            "/roadmap/tasks/{task}/edit",
            get(t::edit_task_page).post(t::update_task),
        )
        .route("/roadmap/tasks/{task}/delete", post(t::delete_task))
        .route(
            "/roadmap/stages/{stage}/tasks/new",
            get(t::new_task_page).post(t::create_task),
        )
        .route("/participants", get(e::participants))
        .route("/participants/status", post(e::set_status))
        .route("/participants/earlier", post(e::enrol_earlier))
        .route("/training", post(e::add_training))
        .route("/training/{session}", post(e::attendance))
        .route("/matching", get(pr::proposal))
        .route("/matching/accept", post(pr::accept))
        .route("/matching/forbid", post(pr::forbid))
        .route(
            "/matching/settings",
            get(st::settings).post(st::save_settings),
        )
        .route("/mentor-match", get(mm::mentor_match))
        .route("/pairs", get(pp::pairs).post(pp::create_by_hand))
        .route("/pairs/{pair}/paper", post(pp::paper))
        .route("/pairs/{pair}/cancel", post(pp::cancel))
        .route("/pairs/{pair}/variant", post(pp::set_variant))
        .route("/activities", get(activities::pages::schedule::activities))
        .route(
            "/activities/new",
            get(activities::pages::form::new_page).post(activities::pages::save::create),
        )
        .route(
            "/activities/{id}/edit",
            get(activities::pages::form::edit_page).post(activities::pages::save::update),
        )
        .route(
            "/topics",
            get(activities::pages::topics::topics).post(activities::pages::topics::propose),
        )
        .route(
            "/rating",
            get(activities::pages::rating::rating).post(activities::pages::rating::save_settings),
        )
        .route(
            "/applications",
            get(recruitment::pages::applications::applications),
        )
        .route(
            "/applications/{id}",
            post(recruitment::pages::applications::decide),
        )
        .route(
            "/applications/poster/{role}",
            get(recruitment::pages::poster::poster),
        )
        .route(
            "/monitoring",
            get(monitoring::pages::parameters::parameters).post(monitoring::pages::parameters::add),
        )
        .route(
            "/monitoring/parameters/{id}/delete",
            post(monitoring::pages::parameters::delete),
        )
        .route(
            "/monitoring/parameters/{id}/source",
            post(monitoring::pages::parameters::set_source),
        )
        .route(
            "/monitoring/{stage}/from-answers",
            post(monitoring::pages::answers::fill),
        )
        .route("/monitoring/report", get(monitoring::pages::report::report))
        .route(
            "/monitoring/person/{person}",
            get(monitoring::pages::person::person),
        )
        .route(
            "/monitoring/quality",
            get(monitoring::pages::quality::quality).post(monitoring::pages::quality::save_swot),
        )
        .route(
            "/monitoring/{stage}/import",
            post(monitoring::pages::import::import).layer(DefaultBodyLimit::max(
                people::import::MAX_BYTES + 256 * 1024,
            )),
        )
        .route(
            "/monitoring/{stage}",
            get(monitoring::pages::entry::entry).post(monitoring::pages::entry::save),
        )
        .route("/close", post(completion::pages::close::close))
        .route(
            "/best",
            get(completion::pages::best::best).post(completion::pages::best::decide),
        )
        .route(
            "/certificates",
            get(completion::pages::certificates::certificates),
        )
        .route(
            "/certificates/print",
            get(completion::pages::certificates::print),
        )
        .route("/health", get(meetings::pages::health::health))
        .route(
            "/journal/{person}",
            get(meetings::pages::journal::mentor_journal),
        )
        .route(
            "/journal/{person}/xlsx",
            get(meetings::pages::journal::mentor_journal_xlsx),
        )
        .route("/health.xlsx", get(meetings::pages::health::health_xlsx))
        .route(
            "/health/{pair}/rhythm",
            post(meetings::pages::health::set_rhythm),
        )
        .route("/orders", get(ol::orders).post(ol::prepare))
        .route("/orders/amend", post(ol::amend))
        .route("/orders/{id}", get(od::order))
        .route("/orders/{id}/docx", get(od::order_docx))
        .route("/orders/{id}/approve", post(od::approve))
        .route("/orders/{id}/delete", post(od::delete))
}

/// Unknown pages answer the Russian 404; a GET with a trailing slash (`/o/sosh-1/`) is sent to
/// the same address without it.
async fn not_found_or_without_slash(uri: Uri) -> Response {
    let path = uri.path();
    if path.len() > 1 && path.ends_with('/') {
        let trimmed = path.trim_end_matches('/');
        let to = match uri.query() {
            Some(q) => format!("{}?{q}", if trimmed.is_empty() { "/" } else { trimmed }),
            None => if trimmed.is_empty() { "/" } else { trimmed }.to_string(),
        };
        // Only our own paths: a `//evil.example/` path must not become an open redirect.
        if !to.starts_with("//") {
            return Redirect::permanent(&to).into_response();
        }
    }
    AppError::NotFound.into_response()
}
