//! Questionnaires (анкеты): builder with versions, built-in templates, assigning, filling on a
//! phone with drafts, results with server-rendered SVG charts and XLSX.

pub mod handlers;
pub mod model;
pub mod repo;
pub mod templates;
pub mod views;
