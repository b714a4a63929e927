//! The target model's indicators, computed from facts loaded once: the people of the bases (kind,
//! birth date, years of teaching, partner enterprise) and their memberships in pairs (role, form,
//! variant, the dates the pair worked). Pure functions, so every boundary is tested by hand:
//! ages are full years on the period's last day; a pair is «active in the period» when it was
//! agreed on or before the period's last day and had not ended before its first; people missing
//! the field an indicator needs are counted as «нет данных», never silently in or out.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

/// A reporting period, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The school year containing `today` (1 September – 31 August).
    pub fn school_year(today: NaiveDate) -> Period {
        let y = if today.month() >= 9 {
            today.year()
        } else {
            today.year() - 1
        };
        Period {
            from: NaiveDate::from_ymd_opt(y, 9, 1).unwrap_or(today),
            to: NaiveDate::from_ymd_opt(y + 1, 8, 31).unwrap_or(today),
        }
    }

    /// «01.09.2026 – 31.08.2027» or «на 29.11.2026».
    pub fn label(&self) -> String {
        let d = |x: NaiveDate| x.format("%d.%m.%Y").to_string();
        if self.from == self.to {
            format!("на {}", d(self.from))
        } else {
            format!("{} – {}", d(self.from), d(self.to))
        }
    }

    /// «Сейчас»: the one day.
    pub fn now(today: NaiveDate) -> Period {
        Period {
            from: today,
            to: today,
        }
    }
}

/// Full years of age on a date.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// A person of the bases as the indicators see them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PersonFact {
    pub id: Uuid,
    pub kind: String,
    pub birth_date: Option<NaiveDate>,
    pub experience_years: Option<i32>,
    pub partner_org: String,
}

/// A person's place in a pair or group.
#[derive(Clone, Debug)]
pub struct Membership {
    pub person_id: Uuid,
    pub role: String,
    pub pair_id: Uuid,
    pub form: String,
    pub variant: String,
    /// The day the pair was agreed.
    pub start: NaiveDate,
    /// The day it ended (completed), if it has.
    pub end: Option<NaiveDate>,
    /// More than one mentee.
    pub group: bool,
}

impl Membership {
    pub fn active_in(&self, p: &Period) -> bool {
        self.start <= p.to && self.end.is_none_or(|e| e >= p.from)
    }
}

/// One indicator: who is counted above and below the line, and who lacks the data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Indicator {
    pub code: &'static str,
    pub title: &'static str,
    /// The target share (0.7 for 70 %), if the model sets one.
    pub target: Option<f64>,
    /// The denominator: everyone the share is taken of.
    pub base: Vec<Uuid>,
    /// The numerator: those of the base who are in (always a part of the base).
    pub counted: Vec<Uuid>,
    /// Those who might belong to the base but lack the needed field.
    pub missing: Vec<Uuid>,
    /// For the partner indicator the units are enterprises, not people.
    pub units: Vec<String>,
    pub counted_units: Vec<String>,
}

impl Indicator {
    pub fn numerator(&self) -> usize {
        if self.units.is_empty() {
            self.counted.len()
        } else {
            self.counted_units.len()
        }
    }

    pub fn denominator(&self) -> usize {
        if self.units.is_empty() {
            self.base.len()
        } else {
            self.units.len()
        }
    }

    pub fn share(&self) -> Option<f64> {
        (self.denominator() > 0).then(|| self.numerator() as f64 / self.denominator() as f64)
    }

    pub fn meets_target(&self) -> Option<bool> {
        Some(self.share()? >= self.target?)
    }
}

/// An indicator's counts without the people behind them: what may leave the school.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub code: String,
    pub title: String,
    pub target: Option<f64>,
    pub numerator: usize,
    pub denominator: usize,
    pub missing: usize,
}

impl Summary {
    pub fn share(&self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    pub fn meets_target(&self) -> Option<bool> {
        Some(self.share()? >= self.target?)
    }
}

impl Indicator {
    /// The counts only.
    pub fn summary(&self) -> Summary {
        Summary {
            code: self.code.to_string(),
            title: self.title.to_string(),
            target: self.target,
            numerator: self.numerator(),
            denominator: self.denominator(),
            missing: self.missing.len(),
        }
    }
}

/// The indicator codes with their titles and targets.
pub const INDICATORS: [(&str, &str, Option<f64>); 4] = [
    (
        "mentees_10_18",
        "Обучающиеся 10–18 лет — наставляемые",
        Some(0.7),
    ),
    ("mentors_15_19", "Обучающиеся 15–19 лет — наставники", None),
    (
        "young_teachers",
        "Педагоги до 35 лет в первые три года работы, у которых есть наставник",
        Some(0.7),
    ),
    (
        "partners",
        "Предприятия-партнёры, предоставившие наставников",
        None,
    ),
];

fn active(ms: &[Membership], p: &Period, role: &str) -> BTreeSet<Uuid> {
    ms.iter()
        .filter(|m| m.role == role && m.active_in(p))
        .map(|m| m.person_id)
        .collect()
}

fn blank(code: &'static str) -> Indicator {
    let (_, title, target) = INDICATORS
        .iter()
        .find(|i| i.0 == code)
        .copied()
        .unwrap_or((code, "", None));
    Indicator {
        code,
        title,
        target,
        ..Default::default()
    }
}

/// Students of an age range: the base, those in the role during the period, those without a
/// birth date.
fn students_by_age(
    code: &'static str,
    people: &[PersonFact],
    in_role: &BTreeSet<Uuid>,
    p: &Period,
    (low, high): (i32, i32),
) -> Indicator {
    let mut ind = blank(code);
    for x in people
        .iter()
        .filter(|x| crate::people::model::is_learner(&x.kind))
    {
        match x.birth_date {
            None => ind.missing.push(x.id),
            Some(b) if (low..=high).contains(&age_on(b, p.to)) => {
                ind.base.push(x.id);
                if in_role.contains(&x.id) {
                    ind.counted.push(x.id);
                }
            }
            Some(_) => {}
        }
    }
    ind
}

/// Every indicator for a period.
pub fn indicators(people: &[PersonFact], ms: &[Membership], p: &Period) -> Vec<Indicator> {
    let mentees = active(ms, p, "mentee");
    let mentors = active(ms, p, "mentor");
    let mut young = blank("young_teachers");
    for x in people.iter().filter(|x| x.kind == "teacher") {
        match (x.birth_date, x.experience_years) {
            (Some(b), Some(e)) => {
                if age_on(b, p.to) < 35 && e <= 3 {
                    young.base.push(x.id);
                    if mentees.contains(&x.id) {
                        young.counted.push(x.id);
                    }
                }
            }
            _ => young.missing.push(x.id),
        }
    }
    let mut partners = blank("partners");
    let mut units = BTreeSet::new();
    let mut with_mentors = BTreeSet::new();
    for x in people.iter().filter(|x| x.kind == "partner") {
        let name = x.partner_org.trim();
        if name.is_empty() {
            partners.missing.push(x.id);
            continue;
        }
        let key = name.to_lowercase();
        units.insert(key.clone());
        partners.base.push(x.id);
        if mentors.contains(&x.id) {
            partners.counted.push(x.id);
            with_mentors.insert(key);
        }
    }
    // Show each enterprise by its first spelling.
    let mut spelled: BTreeMap<String, String> = BTreeMap::new();
    for x in people.iter().filter(|x| x.kind == "partner") {
        let name = x.partner_org.trim();
        if !name.is_empty() {
            spelled
                .entry(name.to_lowercase())
                .or_insert_with(|| name.to_string());
        }
    }
    partners.units = units.iter().map(|k| spelled[k].clone()).collect();
    partners.counted_units = with_mentors.iter().map(|k| spelled[k].clone()).collect();
    vec![
        students_by_age("mentees_10_18", people, &mentees, p, (10, 18)),
        students_by_age("mentors_15_19", people, &mentors, p, (15, 19)),
        young,
        partners,
    ]
}

/// The variant of pairs the curator did not set one for.
pub const NO_VARIANT: &str = "вариант не указан";

/// A line of the counts by form and variant.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormCount {
    pub form: String,
    pub variant: String,
    pub mentors: usize,
    pub mentees: usize,
    pub pairs: usize,
    pub groups: usize,
}

/// Mentors, mentees, pairs and groups active in the period, by form and variant (a person in two
/// programs of one line is counted once in it).
pub fn by_form(ms: &[Membership], p: &Period) -> Vec<FormCount> {
    type Sets = (
        BTreeSet<Uuid>,
        BTreeSet<Uuid>,
        BTreeSet<Uuid>,
        BTreeSet<Uuid>,
    );
    let mut lines: BTreeMap<(String, String), Sets> = BTreeMap::new();
    for m in ms.iter().filter(|m| m.active_in(p)) {
        let e = lines
            .entry((m.form.clone(), m.variant.clone()))
            .or_default();
        if m.role == "mentor" {
            e.0.insert(m.person_id);
        } else {
            e.1.insert(m.person_id);
        }
        if m.group {
            e.3.insert(m.pair_id);
        } else {
            e.2.insert(m.pair_id);
        }
    }
    lines
        .into_iter()
        .map(|((form, variant), (a, b, c, d))| FormCount {
            form,
            variant: if variant.is_empty() {
                NO_VARIANT.to_string()
            } else {
                variant
            },
            mentors: a.len(),
            mentees: b.len(),
            pairs: c.len(),
            groups: d.len(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn person(kind: &str, birth: Option<NaiveDate>) -> PersonFact {
        PersonFact {
            id: Uuid::new_v4(),
            kind: kind.into(),
            birth_date: birth,
            experience_years: None,
            partner_org: String::new(),
        }
    }

    fn member(p: &PersonFact, role: &str, start: NaiveDate, end: Option<NaiveDate>) -> Membership {
        Membership {
            person_id: p.id,
            role: role.into(),
            pair_id: Uuid::new_v4(),
            form: "Ученик – ученик".into(),
            variant: String::new(),
            start,
            end,
            group: false,
        }
    }

    #[test]
    fn ages_are_full_years_on_the_day() {
        assert_eq!(age_on(d(2010, 5, 31), d(2026, 5, 31)), 16);
        assert_eq!(age_on(d(2010, 6, 1), d(2026, 5, 31)), 15);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
    }

    #[test]
    fn the_school_year_runs_september_to_august() {
        let p = Period::school_year(d(2026, 11, 29));
        assert_eq!((p.from, p.to), (d(2026, 9, 1), d(2027, 8, 31)));
        let p = Period::school_year(d(2027, 3, 1));
        assert_eq!(p.from, d(2026, 9, 1));
    }

    #[test]
    fn mentees_10_18_on_the_boundaries_with_the_missing_listed() {
        let p = Period {
            from: d(2025, 9, 1),
            to: d(2026, 5, 31),
        };
        // Turns 10 on the last day: in. Turns 19 on the last day: out. 18 until the day after: in.
        let ten = person("pupil", Some(d(2016, 5, 31)));
        let nineteen = person("pupil", Some(d(2007, 5, 31)));
        let eighteen = person("pupil", Some(d(2007, 6, 1)));
        let nine = person("pupil", Some(d(2016, 6, 1)));
        let unknown = person("pupil", None);
        let teacher = person("teacher", Some(d(1990, 1, 1)));
        let people = vec![
            ten.clone(),
            nineteen.clone(),
            eighteen.clone(),
            nine.clone(),
            unknown.clone(),
            teacher.clone(),
        ];
        let ms = vec![
            // In two programs: counted once.
            member(&ten, "mentee", d(2025, 10, 1), None),
            member(&ten, "mentee", d(2025, 11, 1), None),
            // A pair that ended mid-period still counts for the period.
            member(&eighteen, "mentee", d(2025, 9, 20), Some(d(2025, 12, 20))),
            // Before the period: not counted.
            member(&nine, "mentee", d(2024, 9, 1), Some(d(2025, 5, 1))),
            member(&nineteen, "mentee", d(2025, 10, 1), None),
            // No birth date: «нет данных», not in the share.
            member(&unknown, "mentee", d(2025, 10, 1), None),
        ];
        let all = indicators(&people, &ms, &p);
        let i = &all[0];
        assert_eq!(i.code, "mentees_10_18");
        assert_eq!(i.base.len(), 2, "ten and eighteen");
        assert_eq!(i.counted.len(), 2);
        assert_eq!(i.missing, vec![unknown.id]);
        assert_eq!(i.share(), Some(1.0));
        assert_eq!(i.meets_target(), Some(true));
        // «Сейчас» on 10.01.2026: ages on that day — the «ten» is 9 (out), the «nineteen» is 18
        // (in, his pair works); the «eighteen»'s pair ended in December.
        let now = indicators(&people, &ms, &Period::now(d(2026, 1, 10)));
        assert_eq!(now[0].counted, vec![nineteen.id]);
        assert!(now[0].base.contains(&eighteen.id));
    }

    #[test]
    fn young_teachers_under_35_exactly_and_partners_by_enterprise() {
        let p = Period {
            from: d(2025, 9, 1),
            to: d(2026, 5, 31),
        };
        let mut young = person("teacher", Some(d(1995, 1, 1)));
        young.experience_years = Some(2);
        let mut thirty_five = person("teacher", Some(d(1991, 5, 31)));
        thirty_five.experience_years = Some(1);
        let mut veteran = person("teacher", Some(d(1996, 1, 1)));
        veteran.experience_years = Some(4);
        let no_experience = person("teacher", Some(d(1999, 1, 1)));
        let mut a = person("partner", None);
        a.partner_org = "ООО «Завод»".into();
        let mut a2 = person("partner", None);
        a2.partner_org = "ооо «завод» ".into();
        let mut b = person("partner", None);
        b.partner_org = "АО «Стройка»".into();
        let nameless = person("partner", None);
        let people = vec![
            young.clone(),
            thirty_five.clone(),
            veteran.clone(),
            no_experience.clone(),
            a.clone(),
            a2.clone(),
            b.clone(),
            nameless.clone(),
        ];
        let ms = vec![
            member(&young, "mentee", d(2025, 9, 10), None),
            member(&thirty_five, "mentee", d(2025, 9, 10), None),
            member(&a2, "mentor", d(2025, 9, 10), None),
        ];
        let all = indicators(&people, &ms, &p);
        let t = &all[2];
        assert_eq!(t.base, vec![young.id], "35 exactly is not under 35");
        assert_eq!(t.counted, vec![young.id]);
        assert_eq!(t.missing, vec![no_experience.id]);
        let e = &all[3];
        assert_eq!(e.units, vec!["АО «Стройка»", "ООО «Завод»"]);
        assert_eq!(e.counted_units, vec!["ООО «Завод»"]);
        assert_eq!((e.numerator(), e.denominator()), (1, 2));
        assert_eq!(e.missing, vec![nameless.id]);
    }

    #[test]
    fn counts_by_form_and_variant() {
        let p = Period {
            from: d(2025, 9, 1),
            to: d(2026, 5, 31),
        };
        let m = person("pupil", None);
        let k1 = person("pupil", None);
        let k2 = person("pupil", None);
        let group = Uuid::new_v4();
        let mut ms = vec![
            member(&m, "mentor", d(2025, 9, 1), None),
            member(&k1, "mentee", d(2025, 9, 1), None),
            member(&k2, "mentee", d(2025, 9, 1), None),
        ];
        for x in &mut ms {
            x.pair_id = group;
            x.group = true;
        }
        let lines = by_form(&ms, &p);
        assert_eq!(
            lines,
            vec![FormCount {
                form: "Ученик – ученик".into(),
                variant: NO_VARIANT.into(),
                mentors: 1,
                mentees: 2,
                pairs: 0,
                groups: 1,
            }]
        );
    }
}
