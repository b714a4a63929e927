//! The organization's own pages: members and roles (invitations), the organization's settings,
//! and the platform administrator's pages. Below: what they share.

pub mod admin;
pub mod members;
pub mod settings;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::auth::model::{Role, normalize_email, valid_email};
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::tenancy::model::{self, KINDS, Organization, kind_label, valid_slug};
use crate::tenancy::{self, NewOrg};
use crate::web::forms::{FormErrors, ru_date, trimmed};
use crate::web::{AppState, AuthUser, PageCtx, redirect_with_flash};

/// The fields of this file's forms, as the browser sends them (a field not sent is empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TenancyForm {
    pub curator_email: String,
    pub curator_name: String,
    pub director_email: String,
    pub director_name: String,
    pub doc_curator_order: String,
    pub doc_intro_order: String,
    pub doc_regulation: String,
    pub forms: Vec<String>,
    pub full_name: String,
    pub kind: String,
    pub municipality: String,
    pub region: String,
    pub short_name: String,
    pub site_section_url: String,
    pub slug: String,
    pub students_count: String,
    pub teachers_count: String,
    pub time_zone: String,
}

/// A role's weight: a member may act on accounts whose roles do not rise above their own.
pub(super) use crate::accounts::members::rank;

pub(super) fn member_views(viewer: &[Role], members: Vec<tenancy::Member>) -> Vec<MemberView> {
    let mine = rank(viewer);
    members
        .into_iter()
        .map(|m| {
            let roles = Role::parse_all(&m.roles);
            let within = rank(&roles) <= mine;
            MemberView {
                user_id: m.user_id.to_string(),
                roles_label: roles
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                roles: roles.iter().map(|r| r.code()).collect(),
                active: m.has_password,
                invite_state: match m.invite_expires {
                    Some(d) => format!(
                        "Ссылка-приглашение выдана, действует до {}.",
                        ru_date(d.date_naive())
                    ),
                    None => "Действующей ссылки нет.".into(),
                },
                can_reissue: !m.has_password && m.elsewhere == 0 && within,
                can_edit: within,
                full_name: m.full_name,
                email: m.email,
            }
        })
        .collect()
}

pub(super) use crate::accounts::members::STAFF;

pub(super) fn org_form_from(o: &Organization, forms: Vec<String>) -> OrgForm {
    OrgForm {
        slug: o.slug.clone(),
        full_name: o.full_name.clone(),
        short_name: o.short_name.clone(),
        kind: o.kind.clone(),
        municipality: o.municipality.clone(),
        region: o.region.clone(),
        time_zone: o.time_zone.clone(),
        students_count: o.students_count.to_string(),
        teachers_count: o.teachers_count.to_string(),
        forms,
        ..Default::default()
    }
}

pub(super) fn read_org_form(data: &TenancyForm) -> OrgForm {
    OrgForm {
        slug: trimmed(&data.slug).to_lowercase(),
        full_name: trimmed(&data.full_name),
        short_name: trimmed(&data.short_name),
        kind: data.kind.clone(),
        municipality: trimmed(&data.municipality),
        region: trimmed(&data.region),
        time_zone: data.time_zone.clone(),
        students_count: trimmed(&data.students_count),
        teachers_count: trimmed(&data.teachers_count),
        forms: data.forms.clone(),
        director_email: trimmed(&data.director_email),
        director_name: trimmed(&data.director_name),
        curator_email: trimmed(&data.curator_email),
        curator_name: trimmed(&data.curator_name),
        site_section_url: trimmed(&data.site_section_url),
        doc_intro_order: trimmed(&data.doc_intro_order),
        doc_regulation: trimmed(&data.doc_regulation),
        doc_curator_order: trimmed(&data.doc_curator_order),
        place_fixed: false,
    }
}

impl OrgForm {
    /// The zones to choose from, the form's (or the region's) selected.
    pub fn zone_choices(&self) -> Vec<crate::web::forms::Choice> {
        let by_region = crate::web::forms::Choice {
            value: String::new(),
            label: "по региону (определить самим)".into(),
            selected: true,
        };
        let zones =
            crate::tenancy::model::ZONES
                .iter()
                .map(|(id, label, _)| crate::web::forms::Choice {
                    value: id.to_string(),
                    label: label.to_string(),
                    selected: *id == self.time_zone,
                });
        if self.time_zone.is_empty() {
            std::iter::once(by_region).chain(zones).collect()
        } else {
            zones.collect()
        }
    }

    /// The zone to store: the one chosen, or the region's usual one.
    pub fn zone(&self) -> &str {
        if self.time_zone.is_empty() {
            crate::tenancy::model::zone_for_region(&self.region)
        } else {
            &self.time_zone
        }
    }

    fn new_org<'a>(&'a self, slug: &'a str, students: i32, teachers: i32) -> NewOrg<'a> {
        NewOrg {
            slug,
            full_name: &self.full_name,
            short_name: &self.short_name,
            kind: &self.kind,
            municipality: &self.municipality,
            region: &self.region,
            students_count: students,
            teachers_count: teachers,
            time_zone: self.zone(),
        }
    }
}

pub(super) fn parse_count(s: &str) -> Option<i32> {
    if s.is_empty() {
        return Some(0);
    }
    s.replace([' ', '\u{a0}'], "")
        .parse::<i32>()
        .ok()
        .filter(|n| (0..=1_000_000).contains(n))
}

/// Validates the fields common to creating and editing; returns the two counts.
pub(super) fn validate_org(form: &OrgForm, errors: &mut FormErrors) -> (i32, i32) {
    if form.full_name.is_empty() {
        errors.add("full_name", "Введите полное наименование.");
    }
    if form.short_name.is_empty() {
        errors.add("short_name", "Введите краткое наименование.");
    }
    errors.limit("full_name", &form.full_name, 300);
    errors.limit("short_name", &form.short_name, 100);
    errors.limit("municipality", &form.municipality, 200);
    errors.limit("region", &form.region, 200);
    errors.limit("director_name", &form.director_name, 200);
    errors.limit("curator_name", &form.curator_name, 200);
    for (k, v) in [
        ("site_section_url", &form.site_section_url),
        ("doc_intro_order", &form.doc_intro_order),
        ("doc_regulation", &form.doc_regulation),
        ("doc_curator_order", &form.doc_curator_order),
    ] {
        errors.limit(k, v, 500);
    }
    let url = &form.site_section_url;
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        errors.add(
            "site_section_url",
            "Ссылка на раздел сайта начинается с https:// или http://.",
        );
    }
    if !KINDS.iter().any(|(k, _)| *k == form.kind) {
        errors.add("kind", "Выберите тип организации.");
    }
    if !form.time_zone.is_empty() && !crate::tenancy::model::valid_zone(&form.time_zone) {
        errors.add("time_zone", "Выберите часовой пояс.");
    }
    let students = parse_count(&form.students_count).unwrap_or_else(|| {
        errors.add("students_count", "Введите целое число от 0.");
        0
    });
    let teachers = parse_count(&form.teachers_count).unwrap_or_else(|| {
        errors.add("teachers_count", "Введите целое число от 0.");
        0
    });
    (students, teachers)
}

pub(super) async fn form_choices(
    state: &AppState,
    checked: &[String],
) -> AppResult<Vec<FormChoice>> {
    let mut conn = state.pool.acquire().await?;
    Ok(crate::programs::forms(&mut conn)
        .await?
        .into_iter()
        .map(|f| FormChoice {
            checked: checked.contains(&f.code),
            code: f.code,
            title: f.title,
            family: if f.family == "college" {
                "модель колледжа".into()
            } else {
                "методология".into()
            },
        })
        .collect())
}

pub struct MemberView {
    pub user_id: String,
    pub full_name: String,
    pub email: String,
    pub roles_label: String,
    pub roles: Vec<&'static str>,
    pub active: bool,
    /// «ссылка действует до …» / «ссылки нет» for this organization's link.
    pub invite_state: String,
    /// Whether this organization may issue them a new link (no password, no other
    /// organization, no role above the viewer's).
    pub can_reissue: bool,
    /// Whether the viewer may change their roles (no role above the viewer's).
    pub can_edit: bool,
}

#[derive(Clone, Debug, Default)]
pub struct OrgForm {
    pub slug: String,
    pub full_name: String,
    pub short_name: String,
    pub kind: String,
    pub municipality: String,
    pub region: String,
    /// Empty on a new organization: the region's usual zone is taken.
    pub time_zone: String,
    pub students_count: String,
    pub teachers_count: String,
    pub forms: Vec<String>,
    pub director_email: String,
    pub director_name: String,
    pub curator_email: String,
    pub curator_name: String,
    /// For the regional monitoring table: the site's «Наставничество» section and the
    /// documents (number and date, or a link), as the school states them.
    pub site_section_url: String,
    pub doc_intro_order: String,
    pub doc_regulation: String,
    pub doc_curator_order: String,
    /// The organization's own settings: its region and municipality are shown, not edited (a
    /// change of territory is the platform administrator's or the territory's decision).
    pub place_fixed: bool,
}

pub struct FormChoice {
    pub code: String,
    pub title: String,
    pub family: String,
    pub checked: bool,
}
