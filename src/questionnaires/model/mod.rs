//! Questionnaires (анкеты): the definition of a version (sections and questions, stored as JSON),
//! validation of answers, built-in templates, summaries. Pure.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::codes! {
    /// Where one person's answer stands: a draft they may change, or submitted — then final.
    /// Stored as its code in `responses.status`; no row means not started.
    pub enum ResponseStatus: "response status" {
        Draft = "draft" => "черновик",
        Submitted = "submitted" => "отправлено",
    }
}

mod summary;
#[allow(unused_imports)]
pub use summary::*;

pub const PURPOSES: [(&str, &str); 8] = [
    ("mentor_form", "анкета наставника"),
    ("mentee_form", "анкета наставляемого"),
    ("mentor_test", "тестирование наставника"),
    ("preferences", "предпочтения после групповой встречи"),
    ("meeting_feedback", "обратная связь после встречи"),
    ("satisfaction", "удовлетворённость участием"),
    ("monitoring", "мониторинг: параметры участника"),
    ("other", "другое"),
];

pub fn purpose_label(code: &str) -> &'static str {
    PURPOSES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("другое")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Single,
    Multiple,
    Scale,
    YesNo,
    ShortText,
    LongText,
    Number,
    Date,
    Availability,
    RankPeople,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Single,
        Kind::Multiple,
        Kind::Scale,
        Kind::YesNo,
        Kind::ShortText,
        Kind::LongText,
        Kind::Number,
        Kind::Date,
        Kind::Availability,
        Kind::RankPeople,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Scale => "scale",
            Kind::YesNo => "yes_no",
            Kind::ShortText => "short_text",
            Kind::LongText => "long_text",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Availability => "availability",
            Kind::RankPeople => "rank_people",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Single => "один вариант",
            Kind::Multiple => "несколько вариантов",
            Kind::Scale => "шкала",
            Kind::YesNo => "да / нет",
            Kind::ShortText => "короткий текст",
            Kind::LongText => "длинный текст",
            Kind::Number => "число",
            Kind::Date => "дата",
            Kind::Availability => "расписание на неделю",
            Kind::RankPeople => "выбор людей по порядку",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

pub const DAYS: [(&str, &str); 7] = [
    ("mon", "Пн"),
    ("tue", "Вт"),
    ("wed", "Ср"),
    ("thu", "Чт"),
    ("fri", "Пт"),
    ("sat", "Сб"),
    ("sun", "Вс"),
];
pub const PARTS: [(&str, &str); 3] = [
    ("morning", "утро"),
    ("afternoon", "день"),
    ("evening", "вечер"),
];

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within a questionnaire across versions ("q1", "q2", …).
    pub key: String,
    pub kind: Option<Kind>,
    pub text: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<String>,
    /// Several choices: at most this many (0 = no limit).
    #[serde(default)]
    pub max_choices: u32,
    /// Scale: 5 or 10, with labelled ends.
    #[serde(default)]
    pub scale_max: u32,
    #[serde(default)]
    pub min_label: String,
    #[serde(default)]
    pub max_label: String,
    /// Number: the allowed range.
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// Ties a choice question to one on the other side (e.g. `help_areas`), for matching.
    #[serde(default)]
    pub matching_key: String,
    /// Ranked choice of people: up to this many.
    #[serde(default)]
    pub rank_max: u32,
}

impl Question {
    pub fn kind(&self) -> Kind {
        self.kind.unwrap_or(Kind::ShortText)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    pub sections: Vec<Section>,
}

impl Definition {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn next_key(&self) -> String {
        let n = self
            .questions()
            .filter_map(|q| q.key.strip_prefix('q').and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0);
        format!("q{}", n + 1)
    }
}

/// Raw answers as typed: question key → the submitted values (several for checkboxes, grids and
/// ranked choices). Drafts keep exactly this; nothing typed is ever lost.
pub type Raw = BTreeMap<String, Vec<String>>;

/// Validation messages by question key.
pub type Problems = BTreeMap<String, String>;

fn clean(values: Option<&Vec<String>>) -> Vec<String> {
    values
        .map(|v| {
            v.iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

pub fn parse_number(s: &str) -> Option<f64> {
    s.trim()
        .replace(',', ".")
        .replace(' ', "")
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
}

/// Checks the raw answers against the definition; `people` are the ids allowed in a ranked choice.
pub fn validate(def: &Definition, raw: &Raw, people: &[String]) -> Problems {
    let mut p = Problems::new();
    for q in def.questions() {
        let v = clean(raw.get(&q.key));
        if v.is_empty() {
            if q.required {
                p.insert(q.key.clone(), "Это обязательный вопрос.".into());
            }
            continue;
        }
        let problem: Option<String> = match q.kind() {
            Kind::Single => (v.len() > 1 || !q.options.contains(&v[0]))
                .then(|| "Выберите один вариант из списка.".into()),
            Kind::Multiple => {
                if v.iter().any(|x| !q.options.contains(x)) {
                    Some("Выберите варианты из списка.".into())
                } else if q.max_choices > 0 && v.len() > q.max_choices as usize {
                    Some(format!("Можно выбрать не больше {}.", q.max_choices))
                } else {
                    None
                }
            }
            Kind::Scale => {
                let max = if q.scale_max == 10 { 10 } else { 5 };
                match v[0].parse::<u32>() {
                    Ok(n) if (1..=max).contains(&n) => None,
                    _ => Some(format!("Выберите значение от 1 до {max}.")),
                }
            }
            Kind::YesNo => {
                (!matches!(v[0].as_str(), "yes" | "no")).then(|| "Ответьте «да» или «нет».".into())
            }
            Kind::ShortText => {
                (v[0].chars().count() > 300).then(|| "Не длиннее 300 символов.".into())
            }
            Kind::LongText => {
                (v[0].chars().count() > 5000).then(|| "Не длиннее 5000 символов.".into())
            }
            Kind::Number => match parse_number(&v[0]) {
                None => Some("Введите число.".into()),
                Some(n) => match (q.min, q.max) {
                    (Some(lo), Some(hi)) if n < lo || n > hi => Some(format!(
                        "Введите число от {} до {}.",
                        fmt_num(lo),
                        fmt_num(hi)
                    )),
                    (Some(lo), None) if n < lo => Some(format!("Число не меньше {}.", fmt_num(lo))),
                    (None, Some(hi)) if n > hi => Some(format!("Число не больше {}.", fmt_num(hi))),
                    _ => None,
                },
            },
            Kind::Date => crate::web::forms::parse_date(&v[0])
                .is_none()
                .then(|| "Введите дату (ДД.ММ.ГГГГ).".into()),
            Kind::Availability => v
                .iter()
                .any(|c| !is_grid_cell(c))
                .then(|| "Отметьте клетки расписания.".into()),
            Kind::RankPeople => {
                let max = if q.rank_max == 0 { 3 } else { q.rank_max } as usize;
                let mut seen = std::collections::HashSet::new();
                if v.len() > max {
                    Some(format!("Можно выбрать не больше {max} человек."))
                } else if v.iter().any(|x| !people.contains(x)) {
                    Some("Выберите людей из списка.".into())
                } else if !v.iter().all(|x| seen.insert(x.clone())) {
                    Some("Каждого человека можно выбрать один раз.".into())
                } else {
                    None
                }
            }
        };
        if let Some(msg) = problem {
            p.insert(q.key.clone(), msg);
        }
    }
    p
}

pub fn is_grid_cell(c: &str) -> bool {
    c.split_once('-')
        .map(|(d, part)| DAYS.iter().any(|(x, _)| *x == d) && PARTS.iter().any(|(x, _)| *x == part))
        .unwrap_or(false)
}

pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n:.2}").trim_end_matches('0').replace('.', ",")
    }
}

/// Keeps only the answers of questions in `def`, in the shape the fill form sends; ranked choices
/// keep their order, empty rank slots are dropped.
pub fn raw_from_form(def: &Definition, pairs: &[(String, String)]) -> Raw {
    let mut raw = Raw::new();
    for q in def.questions() {
        let name = format!("a_{}", q.key);
        let mut values: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.trim().to_string())
            .collect();
        if q.kind() == Kind::RankPeople {
            values.retain(|v| !v.is_empty());
        }
        if !values.iter().all(|v| v.is_empty()) {
            raw.insert(q.key.clone(), values);
        }
    }
    raw
}

// ---- summaries -----------------------------------------------------------------------------------

pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: Kind, f: impl FnOnce(&mut Question)) -> Question {
        let mut q = Question {
            key: "q1".into(),
            kind: Some(kind),
            text: "?".into(),
            required: true,
            ..Default::default()
        };
        f(&mut q);
        q
    }

    fn check(q: Question, values: &[&str]) -> Option<String> {
        let def = Definition {
            sections: vec![Section {
                title: String::new(),
                questions: vec![q],
            }],
        };
        let mut raw = Raw::new();
        raw.insert("q1".into(), values.iter().map(|s| s.to_string()).collect());
        validate(
            &def,
            &raw,
            &["p1".into(), "p2".into(), "p3".into(), "p4".into()],
        )
        .remove("q1")
    }

    #[test]
    fn every_type_validates() {
        let opts = |q: &mut Question| q.options = vec!["а".into(), "б".into(), "в".into()];
        // Required.
        assert!(
            check(q(Kind::ShortText, |_| {}), &[])
                .unwrap()
                .contains("обязательный")
        );
        assert!(check(q(Kind::ShortText, |q| q.required = false), &[" "]).is_none());
        // One choice.
        assert!(check(q(Kind::Single, opts), &["а"]).is_none());
        assert!(check(q(Kind::Single, opts), &["г"]).is_some());
        assert!(check(q(Kind::Single, opts), &["а", "б"]).is_some());
        // Several, with a maximum.
        assert!(
            check(
                q(Kind::Multiple, |q| {
                    opts(q);
                    q.max_choices = 2
                }),
                &["а", "б"]
            )
            .is_none()
        );
        assert!(
            check(
                q(Kind::Multiple, |q| {
                    opts(q);
                    q.max_choices = 2
                }),
                &["а", "б", "в"]
            )
            .unwrap()
            .contains("не больше 2")
        );
        assert!(check(q(Kind::Multiple, opts), &["а", "x"]).is_some());
        // Scales.
        assert!(check(q(Kind::Scale, |q| q.scale_max = 5), &["5"]).is_none());
        assert!(
            check(q(Kind::Scale, |q| q.scale_max = 5), &["6"])
                .unwrap()
                .contains("от 1 до 5")
        );
        assert!(check(q(Kind::Scale, |q| q.scale_max = 10), &["10"]).is_none());
        assert!(check(q(Kind::Scale, |q| q.scale_max = 10), &["0"]).is_some());
        // Yes / no.
        assert!(check(q(Kind::YesNo, |_| {}), &["yes"]).is_none());
        assert!(check(q(Kind::YesNo, |_| {}), &["maybe"]).is_some());
        // Texts.
        assert!(check(q(Kind::ShortText, |_| {}), &[&"я".repeat(301)]).is_some());
        assert!(check(q(Kind::LongText, |_| {}), &[&"я".repeat(5000)]).is_none());
        // Numbers with a range, Russian decimal comma.
        let range = |q: &mut Question| {
            q.min = Some(2.0);
            q.max = Some(5.0)
        };
        assert!(check(q(Kind::Number, range), &["4,5"]).is_none());
        assert!(
            check(q(Kind::Number, range), &["5.5"])
                .unwrap()
                .contains("от 2 до 5")
        );
        assert!(
            check(q(Kind::Number, range), &["пять"])
                .unwrap()
                .contains("число")
        );
        // Dates.
        assert!(check(q(Kind::Date, |_| {}), &["2026-11-23"]).is_none());
        assert!(check(q(Kind::Date, |_| {}), &["31.02.2026"]).is_some());
        // Availability grid.
        assert!(
            check(
                q(Kind::Availability, |_| {}),
                &["mon-evening", "sat-morning"]
            )
            .is_none()
        );
        assert!(check(q(Kind::Availability, |_| {}), &["mon-night"]).is_some());
        // Ranked people: from the list, at most N, no repeats.
        let rank = |q: &mut Question| q.rank_max = 3;
        assert!(check(q(Kind::RankPeople, rank), &["p2", "p1"]).is_none());
        assert!(
            check(q(Kind::RankPeople, rank), &["p1", "p2", "p3", "p4"])
                .unwrap()
                .contains("не больше 3")
        );
        assert!(
            check(q(Kind::RankPeople, rank), &["p1", "p1"])
                .unwrap()
                .contains("один раз")
        );
        assert!(check(q(Kind::RankPeople, rank), &["stranger"]).is_some());
    }

    #[test]
    fn form_values_are_kept_as_typed() {
        let def = super::super::templates::all().remove(1).3;
        let pairs: Vec<(String, String)> = vec![
            ("a_q1".into(), "уверенность в себе".into()),
            ("a_q1".into(), "творчество".into()),
            ("a_q2".into(), "  хочу  ".into()),
            ("a_q99".into(), "чужое".into()),
            ("a_q6".into(), "mon-evening".into()),
        ];
        let raw = raw_from_form(&def, &pairs);
        assert_eq!(raw["q1"], vec!["уверенность в себе", "творчество"]);
        assert_eq!(raw["q2"], vec!["хочу"]);
        assert!(!raw.contains_key("q99"));
        assert_eq!(raw["q6"], vec!["mon-evening"]);
        let problems = validate(&def, &raw, &[]);
        assert!(
            problems.contains_key("q4") && problems.contains_key("q5"),
            "{problems:?}"
        );
        assert!(!problems.contains_key("q1"));
    }

    #[test]
    fn summaries() {
        let choice = q(Kind::Multiple, |q| q.options = vec!["а".into(), "б".into()]);
        let mut r1 = Raw::new();
        r1.insert("q1".into(), vec!["а".into(), "б".into()]);
        let mut r2 = Raw::new();
        r2.insert("q1".into(), vec!["а".into()]);
        let r3 = Raw::new();
        let names = |s: &str| s.to_uppercase();
        assert_eq!(
            summarize(&choice, &[&r1, &r2, &r3], &names),
            Summary::Counts {
                answered: 2,
                rows: vec![("а".into(), 2, 100), ("б".into(), 1, 50)]
            }
        );
        let scale = q(Kind::Scale, |q| q.scale_max = 5);
        let mk = |v: &str| {
            let mut r = Raw::new();
            r.insert("q1".into(), vec![v.into()]);
            r
        };
        let (a, b, c, d) = (mk("1"), mk("4"), mk("5"), mk("5"));
        match summarize(&scale, &[&a, &b, &c, &d], &names) {
            Summary::Numbers {
                answered,
                mean,
                median,
                histogram,
            } => {
                assert_eq!(answered, 4);
                assert!((mean - 3.75).abs() < 1e-9);
                assert!((median - 4.5).abs() < 1e-9);
                assert_eq!(
                    histogram.iter().map(|h| h.1).collect::<Vec<_>>(),
                    vec![1, 0, 0, 1, 2]
                );
            }
            other => panic!("{other:?}"),
        }
        let grid = q(Kind::Availability, |_| {});
        let mut g = Raw::new();
        g.insert(
            "q1".into(),
            vec!["mon-evening".into(), "tue-morning".into()],
        );
        match summarize(&grid, &[&g, &g], &names) {
            Summary::Grid { answered, cells } => {
                assert_eq!(answered, 2);
                assert_eq!(cells[0][2], 2);
                assert_eq!(cells[1][0], 2);
            }
            other => panic!("{other:?}"),
        }
        let rank = q(Kind::RankPeople, |q| q.rank_max = 3);
        let mut p = Raw::new();
        p.insert("q1".into(), vec!["x".into(), "y".into()]);
        match summarize(&rank, &[&p], &names) {
            Summary::Counts { rows, .. } => assert_eq!(rows[0].0, "X (первым выбором: 1)"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            histogram(&[1.0, 2.0, 3.0, 10.0], 3)
                .iter()
                .map(|h| h.1)
                .sum::<usize>(),
            4
        );
        assert_eq!(display(&grid, &["mon-evening".into()], &names), "Пн вечер");
        // The mentor test: gaps are the sections below the bar.
        let test = super::super::templates::all().remove(2).3;
        let mut r = Raw::new();
        for (i, q) in test.questions().enumerate() {
            r.insert(q.key.clone(), vec![if i < 2 { "2" } else { "5" }.into()]);
        }
        let scores = section_scores(&test, &r, 3.5);
        assert_eq!(scores.len(), 4);
        assert_eq!(scores[0], ("Общение".to_string(), 2.0, true));
        assert!(scores[1..].iter().all(|s| !s.2));
    }
}
