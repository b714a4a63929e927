//! Parameter templates per form of mentorship, and the influence statistics: for one parameter,
//! the participants' values before and after → means, the mean change with its spread, the share
//! who improved (in the parameter's good direction), and who is missing a measurement.

/// A parameter template: (title, min, max, higher is better).
pub type Template = (&'static str, f64, f64, bool);

/// The mentees' parameters by form (the methodology's examples), and the mentors'.
pub fn templates(form: &str, role: crate::people::Side) -> &'static [Template] {
    match (form, role.code()) {
        (_, "mentor") => &[
            ("Лидерские навыки (1–10)", 1.0, 10.0, true),
            ("Коммуникативные навыки (1–10)", 1.0, 10.0, true),
            ("Удовлетворённость участием (1–10)", 1.0, 10.0, true),
        ],
        ("teacher_teacher" | "college_teacher_teacher", _) => &[
            (
                "Уровень профессиональной уверенности (1–10)",
                1.0,
                10.0,
                true,
            ),
            ("Освоение методик (1–10)", 1.0, 10.0, true),
            ("Число открытых уроков", 0.0, 100.0, true),
            ("Удовлетворённость работой (1–10)", 1.0, 10.0, true),
        ],
        _ => &[
            ("Средний балл по предметам", 2.0, 5.0, true),
            ("Число пропусков", 0.0, 500.0, false),
            ("Мотивация к учёбе (1–10)", 1.0, 10.0, true),
            ("Уверенность в себе (1–10)", 1.0, 10.0, true),
            ("Вовлечённость в жизнь школы (1–10)", 1.0, 10.0, true),
            ("Участие в олимпиадах и конкурсах (число)", 0.0, 100.0, true),
        ],
    }
}

/// One parameter's influence over a group.
#[derive(Clone, Debug, PartialEq)]
pub struct Influence {
    /// People with both measurements.
    pub paired: usize,
    pub before_mean: Option<f64>,
    pub after_mean: Option<f64>,
    pub change_mean: Option<f64>,
    /// Sample standard deviation of the change (n − 1); None below two pairs.
    pub change_sd: Option<f64>,
    /// Share (0–1) of the paired who improved in the good direction.
    pub improved: Option<f64>,
    pub missing_before: usize,
    pub missing_after: usize,
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The influence from each person's (before, after); means over the paired only, so that the
/// change compares the same people.
pub fn influence(values: &[(Option<f64>, Option<f64>)], higher_is_better: bool) -> Influence {
    let pairs: Vec<(f64, f64)> = values
        .iter()
        .filter_map(|(b, a)| Some(((*b)?, (*a)?)))
        .collect();
    let changes: Vec<f64> = pairs.iter().map(|(b, a)| a - b).collect();
    let change_mean = mean(&changes);
    let change_sd = (changes.len() >= 2).then(|| {
        let m = change_mean.unwrap_or(0.0);
        (changes.iter().map(|c| (c - m).powi(2)).sum::<f64>() / (changes.len() - 1) as f64).sqrt()
    });
    let improved = (!changes.is_empty()).then(|| {
        changes
            .iter()
            .filter(|c| {
                if higher_is_better {
                    **c > 0.0
                } else {
                    **c < 0.0
                }
            })
            .count() as f64
            / changes.len() as f64
    });
    Influence {
        paired: pairs.len(),
        before_mean: mean(&pairs.iter().map(|p| p.0).collect::<Vec<_>>()),
        after_mean: mean(&pairs.iter().map(|p| p.1).collect::<Vec<_>>()),
        change_mean,
        change_sd,
        improved,
        missing_before: values.iter().filter(|v| v.0.is_none()).count(),
        missing_after: values.iter().filter(|v| v.1.is_none()).count(),
    }
}

/// A number as the report writes it: «4,25».
pub fn fmt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}").replace('.', ","))
        .unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn influence_on_a_hand_computed_set() {
        // Five people: three with both, one without «after», one without «before».
        let v = [
            (Some(4.0), Some(6.0)),
            (Some(5.0), Some(5.0)),
            (Some(3.0), Some(7.0)),
            (Some(6.0), None),
            (None, Some(9.0)),
        ];
        let i = influence(&v, true);
        assert_eq!(i.paired, 3);
        assert_eq!(i.before_mean, Some(4.0));
        assert_eq!(i.after_mean, Some(6.0));
        assert_eq!(i.change_mean, Some(2.0));
        // changes 2, 0, 4: variance ((0)² + (−2)² + (2)²) / 2 = 4 → sd 2.
        assert_eq!(i.change_sd, Some(2.0));
        assert_eq!(i.improved, Some(2.0 / 3.0));
        assert_eq!((i.missing_before, i.missing_after), (1, 1));
        // Absences: fewer is better.
        let a = influence(&[(Some(10.0), Some(4.0)), (Some(2.0), Some(3.0))], false);
        assert_eq!(a.improved, Some(0.5));
        assert_eq!(fmt(a.change_mean), "−2,50".replace('−', "-"));
        assert_eq!(influence(&[], true).paired, 0);
    }
}
