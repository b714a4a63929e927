//! The route table: every URL of the product and the page handler that answers it, grouped the
//! way a user meets them (accounts, the platform admin, an organization, a program inside it).
//! Reading this file tells a newcomer every page there is; handlers live in their domains.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::error::AppError;
use crate::paths::table as pt;
use crate::web::AppState;
use crate::{
    accounts, activities, auth, completion, home, meetings, monitoring, notifications, orders,
    pairing, participants, people, plans, programs, questionnaires, recruitment, reports,
    territory,
};

/// Every page of the product. Service routes (`/healthz`, `/metrics`, `/static`) are added in
/// `lib.rs` outside the session and CSRF layers.
pub fn pages() -> Router<AppState> {
    Router::new()
        .merge(accounts())
        .merge(admin())
        .nest(pt::top::TERRITORY.pattern(), territory_pages())
        .nest(pt::top::ORG.pattern(), organization())
        .fallback(not_found_or_without_slash)
}

/// Login, logout, one-time links, the organization chooser with pending invitations.
fn accounts() -> Router<AppState> {
    use accounts::pages::invite as i;
    use auth::pages::login as l;
    use home::pages::chooser as c;
    Router::new()
        .route(pt::top::ROOT.pattern(), get(c::root))
        .route(pt::top::LOGIN.pattern(), get(l::login_page).post(l::login))
        .route(pt::top::LOGOUT.pattern(), post(l::logout))
        .route(pt::top::CHOOSER.pattern(), get(c::chooser))
        .route(
            pt::top::INVITATION_ACCEPT.pattern(),
            post(c::accept_membership),
        )
        .route(
            pt::top::INVITATION_DECLINE.pattern(),
            post(c::decline_membership),
        )
        .route(
            pt::top::APPLY.pattern(),
            get(recruitment::pages::apply::apply_page).post(recruitment::pages::apply::apply),
        )
        .route(
            pt::top::CALENDAR_FEED.pattern(),
            get(activities::pages::feeds::public_feed),
        )
        .route(
            pt::top::UNSUBSCRIBE.pattern(),
            get(notifications::pages::prefs::unsubscribe_page)
                .post(notifications::pages::prefs::unsubscribe),
        )
        .route(
            pt::top::INVITE.pattern(),
            get(i::invite_page).post(i::accept_invite),
        )
}

/// `/t/{scope}/…`: a municipality's or region's schools, their monitoring and cases.
fn territory_pages() -> Router<AppState> {
    Router::new()
        .route(
            pt::territory::SCHOOLS.pattern(),
            get(territory::pages::schools::schools),
        )
        .route(
            pt::territory::SCHOOLS_XLSX.pattern(),
            get(territory::pages::schools::schools_xlsx),
        )
        .route(
            pt::territory::SCHOOL.pattern(),
            get(territory::pages::school::school),
        )
        .route(
            pt::territory::MONITORING.pattern(),
            get(territory::pages::monitoring::monitoring),
        )
        .route(
            pt::territory::MONITORING_XLSX.pattern(),
            get(territory::pages::monitoring::monitoring_xlsx),
        )
        .route(
            pt::territory::CASES.pattern(),
            get(territory::pages::cases::cases),
        )
        .route(
            pt::territory::RECOUNT.pattern(),
            post(territory::pages::recount),
        )
}

/// The platform administrator: organizations, the outbox and the job queue.
fn admin() -> Router<AppState> {
    use home::pages::org::admin as a;
    use notifications::pages::outbox as o;
    Router::new()
        .route(
            pt::top::ADMIN_TERRITORIES.pattern(),
            get(territory::pages::admin::territories).post(territory::pages::admin::change),
        )
        .route(pt::top::ADMIN.pattern(), get(a::admin_orgs))
        .route(
            pt::top::ADMIN_NEW_ORG.pattern(),
            get(a::admin_new_org).post(a::admin_create_org),
        )
        .route(pt::top::ADMIN_ORG.pattern(), get(a::admin_org))
        .route(pt::top::ADMIN_MAIL.pattern(), get(o::outbox_page))
        .route(pt::top::ADMIN_RESEND.pattern(), post(o::resend))
        .route(pt::top::ADMIN_RETRY.pattern(), post(o::retry_job))
}

/// `/o/{slug}/…`: one organization (its home, members, settings, bases, questionnaires, audit,
/// the participant's own pages) and its programs.
fn organization() -> Router<AppState> {
    use home::pages::org::{members as m, settings as s};
    Router::new()
        .route(pt::org::HOME.pattern(), get(home::pages::home::home))
        .route(
            pt::org::MEMBERS.pattern(),
            get(m::members).post(m::add_member),
        )
        .route(pt::org::PENDING_REVOKE.pattern(), post(m::revoke_pending))
        .route(pt::org::MEMBER_INVITE.pattern(), post(m::reissue_invite))
        .route(pt::org::MEMBER_ROLES.pattern(), post(m::set_member_roles))
        .route(
            pt::org::SETTINGS.pattern(),
            get(s::settings).post(s::save_settings),
        )
        .route(pt::org::AUDIT.pattern(), get(home::pages::audit::log))
        .route(
            pt::org::AUDIT_XLSX.pattern(),
            get(home::pages::audit::export),
        )
        .merge(people_pages())
        .merge(questionnaire_pages())
        .route(
            pt::org::MY_PAIR.pattern(),
            get(pairing::pages::mine::mine).post(pairing::pages::mine::answer_mine),
        )
        .route(
            pt::org::MEETINGS.pattern(),
            get(meetings::pages::pair::meetings).post(meetings::pages::log::log_meeting),
        )
        .route(
            pt::org::MEETING_FEEDBACK.pattern(),
            post(meetings::pages::feedback::give_feedback),
        )
        .route(
            pt::org::DASHBOARD.pattern(),
            get(reports::pages::dashboard::dashboard),
        )
        .route(
            pt::org::REPORTS.pattern(),
            get(reports::pages::tables::list),
        )
        .route(
            pt::org::REPORTS_XLSX.pattern(),
            get(reports::pages::tables::export_all),
        )
        .route(
            pt::org::REPORT.pattern(),
            get(reports::pages::tables::report),
        )
        .route(
            pt::org::REPORT_XLSX.pattern(),
            get(reports::pages::tables::export),
        )
        .route(
            pt::org::INDICATORS_XLSX.pattern(),
            get(reports::pages::export::indicators_xlsx),
        )
        .route(
            pt::org::INDICATOR.pattern(),
            get(reports::pages::indicator::indicator),
        )
        .route(
            pt::org::CASES.pattern(),
            get(completion::pages::cases::cases).post(completion::pages::cases::create),
        )
        .route(
            pt::org::CASE.pattern(),
            get(completion::pages::cases::case).post(completion::pages::cases::update),
        )
        .route(
            pt::org::CALENDAR.pattern(),
            get(activities::pages::feeds::calendar).post(activities::pages::feeds::set_feed),
        )
        .route(
            pt::org::ACTIVITY_ICS.pattern(),
            get(activities::pages::feeds::activity_ics),
        )
        .route(
            pt::org::ACTIVITY_CANCEL.pattern(),
            post(activities::pages::manage::cancel_all),
        )
        .route(
            pt::org::ACTIVITY.pattern(),
            get(activities::pages::occurrence::occurrence),
        )
        .route(
            pt::org::ACTIVITY_SIGNUP.pattern(),
            post(activities::pages::occurrence::signup),
        )
        .route(
            pt::org::ACTIVITY_FEEDBACK.pattern(),
            post(activities::pages::occurrence::feedback),
        )
        .route(
            pt::org::ACTIVITY_ATTENDANCE.pattern(),
            post(activities::pages::manage::attendance),
        )
        .route(
            pt::org::ACTIVITY_RECORDING.pattern(),
            post(activities::pages::manage::recording),
        )
        .route(
            pt::org::ACTIVITY_CHANGE.pattern(),
            post(activities::pages::manage::change_date),
        )
        .route(
            pt::org::COMPLETE.pattern(),
            get(completion::pages::complete::complete_page)
                .post(completion::pages::complete::complete),
        )
        .route(
            pt::org::COMPLETE_REPORT.pattern(),
            post(completion::pages::complete::report),
        )
        .route(pt::org::PLAN.pattern(), get(plans::pages::plan::first_plan))
        .route(
            pt::org::PLAN_OF.pattern(),
            get(plans::pages::plan::plan).post(plans::pages::plan::save_analysis),
        )
        .route(
            pt::org::PLAN_GOALS.pattern(),
            post(plans::pages::goals::add_goal),
        )
        .route(
            pt::org::PLAN_GOAL.pattern(),
            post(plans::pages::goals::update_goal),
        )
        .route(
            pt::org::DIARY.pattern(),
            get(plans::pages::diary::diary).post(plans::pages::diary::write_entry),
        )
        .route(
            pt::org::MEETINGS_XLSX.pattern(),
            get(meetings::pages::journal::journal_xlsx),
        )
        .route(
            pt::org::PROGRAMS.pattern(),
            get(programs::pages::list::list),
        )
        .route(
            pt::org::PROGRAM_NEW.pattern(),
            get(programs::pages::form::new_page).post(programs::pages::form::create),
        )
        .nest(pt::org::PROGRAM.pattern(), program())
}

/// The bases of mentors and mentees: people, consents, requests, import and export, accounts.
fn people_pages() -> Router<AppState> {
    use accounts::pages::slips as a;
    use home::pages::people::export as x;
    use home::pages::people::{card as c, consents as cs, list as l};
    use participants::pages::enrol as pe;
    use people::pages::{form as f, import as i};
    Router::new()
        .route(pt::org::PEOPLE.pattern(), get(l::list))
        .route(
            pt::org::PEOPLE_NEW.pattern(),
            get(f::new_page).post(f::create),
        )
        .route(pt::org::PEOPLE_BULK.pattern(), post(l::bulk))
        .route(pt::org::SLIPS.pattern(), get(a::slips_page).post(a::slips))
        .route(pt::org::PEOPLE_XLSX.pattern(), get(x::export))
        .route(
            pt::org::IMPORT.pattern(),
            get(i::import_page)
                .post(i::upload)
                .layer(DefaultBodyLimit::max(
                    people::import::MAX_BYTES + 256 * 1024,
                )),
        )
        .route(
            pt::org::IMPORT_UPLOAD.pattern(),
            get(i::preview).post(i::confirm),
        )
        .route(pt::org::PERSON.pattern(), get(c::card))
        .route(
            pt::org::PERSON_EDIT.pattern(),
            get(f::edit_page).post(f::update),
        )
        .route(pt::org::PERSON_CONSENTS.pattern(), post(cs::add_consent))
        .route(
            pt::org::CONSENT_WITHDRAW.pattern(),
            post(cs::withdraw_consent),
        )
        .route(pt::org::PERSON_REQUESTS.pattern(), post(cs::add_request))
        .route(pt::org::PERSON_ENROL.pattern(), post(pe::enrol_one))
        .route(pt::org::PERSON_ACCOUNT.pattern(), post(a::account))
}

/// Questionnaires: the builder, assignments with their results, filling (own or on paper),
/// notifications.
fn questionnaire_pages() -> Router<AppState> {
    use questionnaires::pages::{
        answers as a, export as x, fill as f, list as l, question as q, results as r, show as s,
    };
    Router::new()
        .route(
            pt::org::QUESTIONNAIRES.pattern(),
            get(l::list).post(l::create),
        )
        .route(pt::org::QUESTIONNAIRE.pattern(), get(s::show))
        .route(pt::org::QUESTIONNAIRE_RENAME.pattern(), post(s::rename))
        .route(pt::org::QUESTIONNAIRE_COPY.pattern(), post(l::copy))
        .route(pt::org::QUESTIONS.pattern(), post(q::save_question))
        .route(
            pt::org::QUESTION.pattern(),
            get(q::edit_question).post(q::question_action),
        )
        .route(pt::org::QUESTIONNAIRE_ASSIGN.pattern(), post(s::assign))
        .route(
            pt::org::SCHEDULES.pattern(),
            post(questionnaires::pages::schedules::add_schedule),
        )
        .route(
            pt::org::SCHEDULE_DELETE.pattern(),
            post(questionnaires::pages::schedules::delete_schedule),
        )
        .route(pt::org::ASSIGNMENT.pattern(), get(r::results))
        .route(pt::org::ASSIGNMENT_XLSX.pattern(), get(x::export))
        .route(pt::org::ASSIGNMENT_REMIND.pattern(), post(r::remind))
        .route(pt::org::ANSWERS.pattern(), get(a::answers))
        .route(
            pt::org::FILL_FOR.pattern(),
            get(f::fill_for).post(f::save_for::<false>),
        )
        .route(pt::org::FILL_FOR_DRAFT.pattern(), post(f::save_for::<true>))
        .route(
            pt::org::MY_FORM.pattern(),
            get(f::fill_mine).post(f::save_mine::<false>),
        )
        .route(pt::org::MY_FORM_DRAFT.pattern(), post(f::save_mine::<true>))
        .route(
            pt::org::NOTIFICATIONS.pattern(),
            get(notifications::pages::list::list),
        )
        .route(
            pt::org::NOTIFICATION_PREFS.pattern(),
            get(notifications::pages::prefs::prefs).post(notifications::pages::prefs::save_prefs),
        )
        .route(
            pt::org::NOTIFICATIONS_READ_ALL.pattern(),
            post(notifications::pages::list::read_all),
        )
        .route(
            pt::org::NOTIFICATION.pattern(),
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
    use programs::roadmap::pages::{roadmap as r, task_form as t};
    Router::new()
        .route(pt::program::CARD.pattern(), get(show::show))
        .route(
            pt::program::EDIT.pattern(),
            get(form::edit_page).post(form::update),
        )
        .route(pt::program::ROADMAP.pattern(), get(r::roadmap))
        .route(pt::program::TASK_STATUS.pattern(), post(r::set_status))
        .route(
            pt::program::TASK_EDIT.pattern(),
            get(t::edit_task_page).post(t::update_task),
        )
        .route(pt::program::TASK_DELETE.pattern(), post(t::delete_task))
        .route(
            pt::program::TASK_NEW.pattern(),
            get(t::new_task_page).post(t::create_task),
        )
        .route(pt::program::PARTICIPANTS.pattern(), get(e::participants))
        .route(
            pt::program::PARTICIPANTS_STATUS.pattern(),
            post(e::set_status),
        )
        .route(
            pt::program::PARTICIPANTS_EARLIER.pattern(),
            post(e::enrol_earlier),
        )
        .route(pt::program::TRAINING.pattern(), post(e::add_training))
        .route(pt::program::TRAINING_SESSION.pattern(), post(e::attendance))
        .route(pt::program::MATCHING.pattern(), get(pr::proposal))
        .route(pt::program::MATCHING_ACCEPT.pattern(), post(pr::accept))
        .route(pt::program::MATCHING_FORBID.pattern(), post(pr::forbid))
        .route(
            pt::program::MATCHING_SETTINGS.pattern(),
            get(st::settings).post(st::save_settings),
        )
        .route(pt::program::MENTOR_MATCH.pattern(), get(mm::mentor_match))
        .route(
            pt::program::PAIRS.pattern(),
            get(pp::pairs).post(pp::create_by_hand),
        )
        .route(pt::program::PAIR_PAPER.pattern(), post(pp::paper))
        .route(pt::program::PAIR_CANCEL.pattern(), post(pp::cancel))
        .route(pt::program::PAIR_VARIANT.pattern(), post(pp::set_variant))
        .route(
            pt::program::ACTIVITIES.pattern(),
            get(activities::pages::schedule::activities),
        )
        .route(
            pt::program::ACTIVITY_NEW.pattern(),
            get(activities::pages::form::new_page).post(activities::pages::save::create),
        )
        .route(
            pt::program::ACTIVITY_EDIT.pattern(),
            get(activities::pages::form::edit_page).post(activities::pages::save::update),
        )
        .route(
            pt::program::TOPICS.pattern(),
            get(activities::pages::topics::topics).post(activities::pages::topics::propose),
        )
        .route(
            pt::program::RATING.pattern(),
            get(activities::pages::rating::rating).post(activities::pages::rating::save_settings),
        )
        .route(
            pt::program::APPLICATIONS.pattern(),
            get(recruitment::pages::applications::applications),
        )
        .route(
            pt::program::APPLICATION.pattern(),
            post(recruitment::pages::applications::decide),
        )
        .route(
            pt::program::POSTER.pattern(),
            get(recruitment::pages::poster::poster),
        )
        .route(
            pt::program::MONITORING.pattern(),
            get(monitoring::pages::parameters::parameters).post(monitoring::pages::parameters::add),
        )
        .route(
            pt::program::PARAMETER_DELETE.pattern(),
            post(monitoring::pages::parameters::delete),
        )
        .route(
            pt::program::PARAMETER_SOURCE.pattern(),
            post(monitoring::pages::parameters::set_source),
        )
        .route(
            pt::program::MONITORING_FROM_ANSWERS.pattern(),
            post(monitoring::pages::answers::fill),
        )
        .route(
            pt::program::MONITORING_REPORT.pattern(),
            get(monitoring::pages::report::report),
        )
        .route(
            pt::program::MONITORING_PERSON.pattern(),
            get(monitoring::pages::person::person),
        )
        .route(
            pt::program::QUALITY.pattern(),
            get(monitoring::pages::quality::quality).post(monitoring::pages::quality::save_swot),
        )
        .route(
            pt::program::MONITORING_IMPORT.pattern(),
            post(monitoring::pages::import::import).layer(DefaultBodyLimit::max(
                people::import::MAX_BYTES + 256 * 1024,
            )),
        )
        .route(
            pt::program::MONITORING_STAGE.pattern(),
            get(monitoring::pages::entry::entry).post(monitoring::pages::entry::save),
        )
        .route(
            pt::program::CLOSE.pattern(),
            post(completion::pages::close::close),
        )
        .route(
            pt::program::BEST.pattern(),
            get(completion::pages::best::best).post(completion::pages::best::decide),
        )
        .route(
            pt::program::CERTIFICATES.pattern(),
            get(completion::pages::certificates::certificates),
        )
        .route(
            pt::program::CERTIFICATES_PRINT.pattern(),
            get(completion::pages::certificates::print),
        )
        .route(
            pt::program::HEALTH.pattern(),
            get(meetings::pages::health::health),
        )
        .route(
            pt::program::MENTOR_JOURNAL.pattern(),
            get(meetings::pages::journal::mentor_journal),
        )
        .route(
            pt::program::MENTOR_JOURNAL_XLSX.pattern(),
            get(meetings::pages::journal::mentor_journal_xlsx),
        )
        .route(
            pt::program::HEALTH_XLSX.pattern(),
            get(meetings::pages::health::health_xlsx),
        )
        .route(
            pt::program::RHYTHM.pattern(),
            post(meetings::pages::health::set_rhythm),
        )
        .route(
            pt::program::ORDERS.pattern(),
            get(ol::orders).post(ol::prepare),
        )
        .route(pt::program::ORDERS_AMEND.pattern(), post(ol::amend))
        .route(pt::program::ORDER.pattern(), get(od::order))
        .route(pt::program::ORDER_DOCX.pattern(), get(od::order_docx))
        .route(pt::program::ORDER_APPROVE.pattern(), post(od::approve))
        .route(pt::program::ORDER_DELETE.pattern(), post(od::delete))
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
