//! The accounts pages: login slips (issued per class, shown once), a person's account, and the
//! one-time link that sets a first password (an invitation, or the setup after a login + code).

pub mod invite;
pub mod slips;

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::tenancy::OrgCtx;
use crate::web::forms::Choice;
use crate::web::{AppState, PageCtx};

use super::*;

const EDITORS: [Role; 1] = [Role::Curator];
