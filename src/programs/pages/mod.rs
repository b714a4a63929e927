//! The program pages, one file each: the list, the form (create and edit) and the program's own
//! page. The shared names below are what every page file takes with `use super::*`.

pub mod form;
pub mod form_input;
pub mod list;
pub mod show;

use askama::Template;
use askama_web::WebTemplate;

use super::ProgramCtx;
use super::model::{self, ProgramStatus, percent};
use super::repo;
use crate::auth::model::Role;
use crate::error::{AppError, AppResult};
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors, FormFrame, dates, trimmed};
