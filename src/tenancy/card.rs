//! The organization's card as typed (trimmed): its names, kind, place, zone, the numbers of
//! students and teachers (the denominators of the 70 % indicators), its forms of mentorship, the
//! documents it states for the regional table, and — on a new organization — its director and
//! curator. What makes a card valid is here; the commands that store it are
//! `accounts::orgs::{create_org, save_settings}` (they also touch auth and programs).

use crate::web::forms::FormErrors;

use super::NewOrg;
use super::model::KINDS;

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

impl OrgForm {
    /// The zone to store: the one chosen, or the region's usual one.
    pub fn zone(&self) -> &str {
        if self.time_zone.is_empty() {
            super::model::zone_for_region(&self.region)
        } else {
            &self.time_zone
        }
    }

    /// The row to store, with the counts [`OrgForm::validate`] read.
    pub fn new_org<'a>(&'a self, slug: &'a str, students: i32, teachers: i32) -> NewOrg<'a> {
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

    /// The documents' four fields, in the order `set_documents` takes them.
    pub fn documents(&self) -> [&str; 4] {
        [
            &self.site_section_url,
            &self.doc_intro_order,
            &self.doc_regulation,
            &self.doc_curator_order,
        ]
    }

    /// Checks the fields common to creating and editing; returns the two counts.
    pub fn validate(&self, errors: &mut FormErrors) -> (i32, i32) {
        if self.full_name.is_empty() {
            errors.add("full_name", "Введите полное наименование.");
        }
        if self.short_name.is_empty() {
            errors.add("short_name", "Введите краткое наименование.");
        }
        errors.limit("full_name", &self.full_name, 300);
        errors.limit("short_name", &self.short_name, 100);
        errors.limit("municipality", &self.municipality, 200);
        errors.limit("region", &self.region, 200);
        errors.limit("director_name", &self.director_name, 200);
        errors.limit("curator_name", &self.curator_name, 200);
        for (k, v) in [
            ("site_section_url", &self.site_section_url),
            ("doc_intro_order", &self.doc_intro_order),
            ("doc_regulation", &self.doc_regulation),
            ("doc_curator_order", &self.doc_curator_order),
        ] {
            errors.limit(k, v, 500);
        }
        let url = &self.site_section_url;
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            errors.add(
                "site_section_url",
                "Ссылка на раздел сайта начинается с https:// или http://.",
            );
        }
        if !KINDS.iter().any(|(k, _)| *k == self.kind) {
            errors.add("kind", "Выберите тип организации.");
        }
        if !self.time_zone.is_empty() && !super::model::valid_zone(&self.time_zone) {
            errors.add("time_zone", "Выберите часовой пояс.");
        }
        let students = parse_count(&self.students_count).unwrap_or_else(|| {
            errors.add("students_count", "Введите целое число от 0.");
            0
        });
        let teachers = parse_count(&self.teachers_count).unwrap_or_else(|| {
            errors.add("teachers_count", "Введите целое число от 0.");
            0
        });
        (students, teachers)
    }
}

/// A count as typed («1 200» too): 0 when empty, `None` unless 0…1 000 000.
pub fn parse_count(s: &str) -> Option<i32> {
    if s.is_empty() {
        return Some(0);
    }
    s.replace([' ', '\u{a0}'], "")
        .parse::<i32>()
        .ok()
        .filter(|n| (0..=1_000_000).contains(n))
}
