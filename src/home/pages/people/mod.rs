//! The pages of the bases that gather other domains: the lists with their bulk actions (enrol,
//! give a questionnaire, accounts) and a person's card (consents, requests, programs, answers,
//! account). What they share with the people's own pages is `people::view`.

pub mod card;
pub mod consents;
pub mod list;

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::auth::model::Role;
use crate::error::AppResult;
use crate::tenancy::OrgCtx;
use crate::web::forms::{Choice, FormErrors, Refused, ru_date};
use crate::web::{PageCtx, parse_id};

use crate::people::model;
use crate::people::view::*;
use crate::people::{self, Filter};
