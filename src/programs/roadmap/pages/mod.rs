//! The roadmap pages, one file each: the roadmap with its tasks (and the htmx status change) and
//! the task form. The shared names below are what every page file takes with `use super::*`.

pub mod roadmap;
pub mod task_form;

use askama::Template;
use askama_web::WebTemplate;

use super::model::{Responsible, TaskStatus};
use super::repo::{self, TaskRow};
use super::stage_counts;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::programs::ProgramCtx;
use crate::programs::{ProgramRow, percent};
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors, ru_date, trimmed};
