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

use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::tenancy::model::{self, KINDS, Organization, kind_label};
use crate::tenancy::{self, OrgForm};
use crate::web::forms::{FormErrors, Refused, ru_date, trimmed};
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

pub struct FormChoice {
    pub code: String,
    pub title: String,
    pub family: String,
    pub checked: bool,
}
