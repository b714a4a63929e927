//! Horizons, spheres, statuses and stages of a plan's goals, the plan's progress, and how a
//! change of a goal reads in the history.

crate::codes! {
    /// How far a goal looks: the sprints from 1–2 months to 3–5 years. Stored as its code in
    /// `plan_goals.horizon`.
    pub enum Horizon: "goal horizon" {
        Months = "months" => "1–2 месяца",
        Half = "half" => "полгода",
        Year = "year" => "год",
        Years = "years" => "3–5 лет",
    }
}

crate::codes! {
    /// The sphere of life a goal (or a plan, when the pair chose one) is about. Stored as its
    /// code in `plan_goals.sphere` and `plans.sphere` ('' for a plan without one).
    pub enum Sphere: "sphere" {
        Study = "study" => "учёба",
        Profession = "profession" => "профессия",
        Personal = "personal" => "личностное развитие",
        Creative = "creative" => "творчество",
        Sport = "sport" => "спорт",
        Other = "other" => "другое",
    }
}

crate::codes! {
    /// Where a goal of a plan stands. Stored as its code in `plan_goals.status`.
    pub enum GoalStatus: "goal status" {
        New = "new" => "не начата",
        Active = "active" => "в работе",
        Done = "done" => "достигнута",
        Paused = "paused" => "отложена",
        Dropped = "dropped" => "отменена",
    }
}

/// How the plan follows the interaction: the three stages of the Положение, or the club's five
/// steps.
pub const STAGE_MODELS: [(&str, &str); 2] = [
    (
        "three",
        "Три этапа: адаптационный, основной, контрольно-оценочный",
    ),
    (
        "club",
        "Пять шагов клуба: «Я расскажу – ты послушай» … «Сделай сам и расскажи»",
    ),
];

pub const STAGES_THREE: [(&str, &str); 3] = [
    ("I", "I адаптационный"),
    ("II", "II основной (проектировочный)"),
    ("III", "III контрольно-оценочный"),
];

pub const STAGES_CLUB: [(&str, &str); 5] = [
    ("1", "«Я расскажу – ты послушай!»"),
    ("2", "«Я покажу – ты посмотри!»"),
    ("3", "«Сделаем вместе!»"),
    ("4", "«Сделай сам – я подскажу!»"),
    ("5", "«Сделай сам и расскажи, что сделал!»"),
];

/// The stages of a plan's model.
pub fn stages(model: &str) -> &'static [(&'static str, &'static str)] {
    if model == "club" {
        &STAGES_CLUB
    } else {
        &STAGES_THREE
    }
}

pub fn label(table: &[(&'static str, &'static str)], code: &str) -> &'static str {
    table
        .iter()
        .find(|t| t.0 == code)
        .map(|t| t.1)
        .unwrap_or("")
}

/// The plan's progress: the mean of its live goals' progress (cancelled ones do not count;
/// achieved ones count as 100 %). None without such goals.
pub fn progress(goals: &[(GoalStatus, i16)]) -> Option<i32> {
    let live: Vec<i32> = goals
        .iter()
        .filter(|(status, _)| *status != GoalStatus::Dropped)
        .map(|(status, p)| {
            if *status == GoalStatus::Done {
                100
            } else {
                i32::from(*p)
            }
        })
        .collect();
    if live.is_empty() {
        None
    } else {
        Some((live.iter().sum::<i32>() as f64 / live.len() as f64).round() as i32)
    }
}

/// What changed in a goal, as the history says it: «статус: в работе → достигнута; прогресс:
/// 40 → 100 %». Empty when nothing changed.
pub fn goal_change(before: (&str, i16, &str), after: (&str, i16, &str)) -> String {
    let mut parts = Vec::new();
    if before.0 != after.0 {
        parts.push(format!(
            "статус: {} → {}",
            GoalStatus::label_of(before.0),
            GoalStatus::label_of(after.0)
        ));
    }
    if before.1 != after.1 {
        parts.push(format!("прогресс: {} → {} %", before.1, after.1));
    }
    if before.2 != after.2 {
        parts.push("шаги изменены".to_string());
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_the_mean_of_live_goals() {
        assert_eq!(progress(&[]), None);
        let g = |s: &str, p: i16| (GoalStatus::parse(s).unwrap(), p);
        assert_eq!(progress(&[g("active", 40), g("done", 10)]), Some(70));
        assert_eq!(progress(&[g("dropped", 0), g("new", 0)]), Some(0));
        assert_eq!(progress(&[g("dropped", 50)]), None);
    }

    #[test]
    fn a_change_reads_in_words() {
        assert_eq!(
            goal_change(("active", 40, "a"), ("done", 100, "a")),
            "статус: в работе → достигнута; прогресс: 40 → 100 %"
        );
        assert_eq!(goal_change(("new", 0, "a"), ("new", 0, "a")), "");
        assert_eq!(
            goal_change(("new", 0, "a"), ("new", 0, "b")),
            "шаги изменены"
        );
    }

    #[test]
    fn the_club_has_five_steps() {
        assert_eq!(stages("club").len(), 5);
        assert_eq!(stages("three").len(), 3);
        assert_eq!(Horizon::label_of("years"), "3–5 лет");
    }
}
