//! The participants pages: the program's participants with statuses and training, and enrolling
//! one person from their card.

pub mod enrol;
pub mod participants;

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::programs::ProgramCtx;
use crate::tenancy::OrgCtx;
use crate::web::forms::ru_date;
use crate::web::{PageCtx, parse_id};

use super::model::EnrolmentStatus;
use super::repo;
use crate::people::model;

const EDITORS: [Role; 1] = [Role::Curator];
