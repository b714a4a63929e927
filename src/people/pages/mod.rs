//! The pages of the bases, one file each: the person form and the import (the lists with their
//! bulk actions, the XLSX export and the person's card gather other domains:
//! `home::pages::people`). What
//! they share is `people::view`; every page file takes it with `use super::*`.

pub mod form;
pub mod import;

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::tenancy::OrgCtx;
use crate::web::PageCtx;
use crate::web::forms::{Choice, FormErrors, FormFrame, Refused, ru_date, trimmed};

use super::model;
use super::repo;
use super::view::*;
