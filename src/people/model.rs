//! People of an organization and the rules of their personal data (152-ФЗ).

use chrono::{Datelike, NaiveDate};

pub const KINDS: [(&str, &str); 7] = [
    ("pupil", "обучающийся школы"),
    ("student", "студент"),
    ("teacher", "педагог"),
    ("partner", "сотрудник предприятия-партнёра"),
    ("alumnus", "выпускник"),
    ("parent", "родитель"),
    ("other", "другое"),
];

pub fn kind_label(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("другое")
}

pub fn is_kind(code: &str) -> bool {
    KINDS.iter().any(|(c, _)| *c == code)
}

/// Whether a kind of person is a learner — a school's pupil or a college's student: the mentees'
/// base by default, a minor when the birth date is unknown, counted as «обучающиеся» in reports.
/// (The SQL of `valid_consent_sql` and the consent rows says the same: `kind IN ('pupil',
/// 'student')`.)
pub fn is_learner(kind: &str) -> bool {
    matches!(kind, "pupil" | "student")
}

/// Categories from DOMAIN.md: who may need a mentor, who may become one.
pub const MENTEE_TAGS: [&str; 10] = [
    "высокие способности",
    "неуспеваемость",
    "ОВЗ",
    "трудная жизненная ситуация",
    "проблемы с поведением",
    "не вовлечён в жизнь школы",
    "молодой специалист",
    "выгорание",
    "адаптация на новом месте",
    "цифровые навыки",
];

pub const MENTOR_TAGS: [&str; 8] = [
    "победитель олимпиад/конкурсов",
    "победитель чемпионатов (Абилимпикс, Профессионалы)",
    "активист",
    "опытный педагог",
    "педагог-ветеран",
    "активный родитель",
    "выпускник",
    "представитель предприятия",
];

pub fn is_tag(t: &str) -> bool {
    MENTEE_TAGS.contains(&t) || MENTOR_TAGS.contains(&t)
}

pub const REQUEST_SOURCES: [(&str, &str); 5] = [
    ("self", "сам наставляемый"),
    ("class_teacher", "классный руководитель"),
    ("psychologist", "психолог"),
    ("social_worker", "социальный педагог"),
    ("parents", "родители"),
];

pub fn source_label(code: &str) -> &'static str {
    REQUEST_SOURCES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("—")
}

pub const RELATIONS: [&str; 4] = ["мать", "отец", "опекун", "попечитель"];

/// Full years at `today`.
pub fn age(birth: NaiveDate, today: NaiveDate) -> i32 {
    let mut years = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// Whether the person is (or, without a birth date, must be treated as) under 18: pupils and
/// students without a known birth date count as minors.
pub fn is_minor(kind: &str, birth: Option<NaiveDate>, today: NaiveDate) -> bool {
    match birth {
        Some(b) => age(b, today) < 18,
        None => is_learner(kind),
    }
}

/// A consent record as the rule sees it.
#[derive(Clone, Debug)]
pub struct ConsentFacts {
    pub given_by: String,
    pub withdrawn: bool,
}

/// Why the person cannot take part yet, in plain Russian; None when they can. Whether a valid
/// consent exists is decided in one place, the SQL rule (`repo::valid_consent_sql`, read as
/// `Person::has_consent`); this only explains a «no».
pub fn consent_problem(
    has_valid: bool,
    minor: bool,
    consents: &[ConsentFacts],
) -> Option<&'static str> {
    if has_valid {
        return None;
    }
    let withdrawn = consents.iter().any(|c| c.withdrawn);
    let self_only = consents
        .iter()
        .any(|c| !c.withdrawn && c.given_by == "self");
    Some(if withdrawn && !consents.iter().any(|c| !c.withdrawn) {
        "Согласие на обработку персональных данных отозвано."
    } else if minor && self_only {
        "Участнику нет 18 лет: согласие должен дать законный представитель (родитель, опекун)."
    } else if minor {
        "Нет согласия законного представителя на обработку персональных данных \
         (участнику нет 18 лет)."
    } else {
        "Нет согласия на обработку персональных данных."
    })
}

/// Class or group names: «7Б», «7 Б», «10-А», «ТМ-21», «11а» are fine; normalised to «7Б».
pub fn normalize_class(raw: &str) -> Result<String, &'static str> {
    let s: String = raw.split_whitespace().collect::<Vec<_>>().join("");
    if s.is_empty() {
        return Ok(String::new());
    }
    if s.chars().count() > 20 {
        return Err("слишком длинное название класса или группы");
    }
    // School classes: 1–11 and a letter.
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        let rest: String = s[digits.len()..]
            .trim_start_matches(['-', '«', '"'])
            .trim_end_matches(['»', '"'])
            .to_string();
        let n: u32 = digits.parse().map_err(|_| "неизвестный формат класса")?;
        if !(1..=11).contains(&n) {
            return Err("номер класса должен быть от 1 до 11");
        }
        if rest.is_empty() {
            return Ok(digits);
        }
        let letters: Vec<char> = rest.chars().collect();
        if letters.len() <= 2 && letters.iter().all(|c| c.is_alphabetic()) {
            return Ok(format!("{digits}{}", rest.to_uppercase()));
        }
        return Err("неизвестный формат класса");
    }
    // College groups: letters, digits and dashes, like «ТМ-21», «ПК-1-22».
    if s.chars().all(|c| c.is_alphanumeric() || c == '-') && s.chars().any(|c| c.is_alphabetic()) {
        return Ok(s.to_uppercase());
    }
    Err("неизвестный формат класса или группы")
}

/// «Иванов Иван Иванович» → (Иванов, Иван, Иванович); «Иванов Иван» → no patronymic.
pub fn split_full_name(full: &str) -> Option<(String, String, String)> {
    let parts: Vec<&str> = full.split_whitespace().collect();
    match parts.as_slice() {
        [last, first] => Some((cap(last), cap(first), String::new())),
        [last, first, rest @ ..] => Some((
            cap(last),
            cap(first),
            rest.iter().map(|p| cap(p)).collect::<Vec<_>>().join(" "),
        )),
        _ => None,
    }
}

/// «иванов» → «Иванов», «ИВАНОВ» → «Иванов», «Петров-Водкин» kept per part.
pub fn cap(s: &str) -> String {
    let all_upper = s
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| c.is_uppercase());
    let all_lower = s
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| c.is_lowercase());
    if !(all_upper || all_lower) {
        return s.to_string();
    }
    s.split('-')
        .map(|p| {
            let mut cs = p.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(|c| c.to_lowercase()))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join("-")
}

/// The display name: ФИО, or «Участник №…» once the personal data is gone.
pub fn display_name(
    number: i64,
    last: &str,
    first: &str,
    middle: &str,
    anonymized: bool,
) -> String {
    if anonymized || (last.is_empty() && first.is_empty()) {
        return format!("Участник №{number}");
    }
    [last, first, middle]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

crate::codes! {
    /// The side a person takes in mentorship — the base they stand in, their enrolment in a
    /// program, their place in a pair, their application, a monitoring parameter's respondents.
    /// Stored as its code in `enrolments.role`, `pair_members.role`, `applications.role`,
    /// `application_links.role` and `monitoring_parameters.role`.
    pub enum Side: "participant role" {
        Mentor = "mentor" => "наставник",
        Mentee = "mentee" => "наставляемый",
    }
}

impl Side {
    /// The other side of a pair.
    pub fn other(self) -> Side {
        match self {
            Side::Mentor => Side::Mentee,
            Side::Mentee => Side::Mentor,
        }
    }

    /// A form's role field: «mentor» is the mentor, anything else the mentee (the forms offer
    /// just the two).
    pub fn of_form(code: &str) -> Side {
        Side::parse(code).unwrap_or(Side::Mentee)
    }
}

/// A side, or a code read as one (a rule's test speaks of "mentor" and "mentee").
pub trait AsSide {
    fn side(&self) -> Option<Side>;
}

impl AsSide for Side {
    fn side(&self) -> Option<Side> {
        Some(*self)
    }
}

impl AsSide for &str {
    fn side(&self) -> Option<Side> {
        Side::parse(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn age_and_minority() {
        let today = d(2026, 11, 23);
        assert_eq!(age(d(2008, 11, 23), today), 18);
        assert_eq!(age(d(2008, 11, 24), today), 17);
        assert!(is_minor("teacher", Some(d(2010, 1, 1)), today));
        assert!(!is_minor("pupil", Some(d(2000, 1, 1)), today));
        assert!(is_minor("pupil", None, today));
        assert!(!is_minor("teacher", None, today));
    }

    #[test]
    fn consent_rule() {
        let rep = ConsentFacts {
            given_by: "representative".into(),
            withdrawn: false,
        };
        let own = ConsentFacts {
            given_by: "self".into(),
            withdrawn: false,
        };
        let gone = ConsentFacts {
            given_by: "representative".into(),
            withdrawn: true,
        };
        // The decision is the SQL rule's (tests/it/people.rs: the_consent_rule_is_decided_in_sql);
        // here only the explanation of a «no».
        assert!(
            consent_problem(false, true, &[own])
                .unwrap()
                .contains("законный представитель")
        );
        assert!(
            consent_problem(false, false, &[gone])
                .unwrap()
                .contains("отозвано")
        );
        assert!(consent_problem(true, true, &[rep]).is_none());
    }

    #[test]
    fn classes() {
        assert_eq!(normalize_class("7б").unwrap(), "7Б");
        assert_eq!(normalize_class(" 10 - а ").unwrap(), "10А");
        assert_eq!(normalize_class("11").unwrap(), "11");
        assert_eq!(normalize_class("тм-21").unwrap(), "ТМ-21");
        assert_eq!(normalize_class("").unwrap(), "");
        assert!(normalize_class("15А").is_err());
        assert!(normalize_class("7 класс Б").is_err());
        assert!(normalize_class("???").is_err());
    }

    #[test]
    fn names() {
        assert_eq!(
            split_full_name("иванов  иван иванович"),
            Some(("Иванов".into(), "Иван".into(), "Иванович".into()))
        );
        assert_eq!(
            split_full_name("ПЕТРОВ-ВОДКИН Кузьма"),
            Some(("Петров-Водкин".into(), "Кузьма".into(), String::new()))
        );
        assert_eq!(
            split_full_name("Оглы Мамед Али оглы"),
            Some(("Оглы".into(), "Мамед".into(), "Али Оглы".into()))
        );
        assert_eq!(split_full_name("Иванов"), None);
        assert_eq!(cap("МакДональд"), "МакДональд");
        assert_eq!(display_name(7, "", "", "", true), "Участник №7");
        assert_eq!(display_name(7, "Иванов", "Иван", "", false), "Иванов Иван");
    }
}

/// The search key of a name: upper-case А–Я and A–Z folded to lower case, ё to е, spaces
/// collapsed — exactly what the database's `nastavnik_fold` does, so that a query folded here
/// matches the stored key on any server, whatever its locale.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        out.push(match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            'Ё' | 'ё' => 'е',
            'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
            c => c,
        });
    }
    out
}

#[cfg(test)]
mod fold_tests {
    use super::fold;

    #[test]
    fn folds_like_the_database() {
        assert_eq!(fold("  ПОПОВ   Иван "), "попов иван");
        assert_eq!(fold("Семёнова"), "семенова");
        assert_eq!(fold("СЕМЁНОВА"), "семенова");
        assert_eq!(fold("Petrov@Mail.RU"), "petrov@mail.ru");
        assert_eq!(fold("Яна Щукина"), "яна щукина");
    }
}
