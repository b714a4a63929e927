//! The choices of a pair's completion.

crate::codes! {
    /// Whether the pair reached its goals. Stored as its code in `pair_results.goals_reached`.
    pub enum Reached: "goals reached" {
        Yes = "yes" => "да",
        Mostly = "mostly" => "в основном",
        Partly = "partly" => "частично",
        No = "no" => "нет",
    }
}

crate::codes! {
    /// What comes after the pair. Stored as its code in `pair_results.decision`.
    pub enum Decision: "decision" {
        Stop = "stop" => "завершить наставничество",
        Continue = "continue" => "продолжить с новой темой",
    }
}

crate::codes! {
    /// Why a pair ended early. Stored as its code in `pair_results.early_reason` ('' when the
    /// pair ran its term).
    pub enum EarlyReason: "early reason" {
        Moved = "moved" => "переезд",
        Mismatch = "mismatch" => "не сложилось",
        OwnWish = "own_wish" => "по собственному желанию",
        Other = "other" => "другое",
    }
}

/// The line written into each member's enrolment: «Пара с … (01.09.2026 – 25.05.2027):
/// результат. Цели достигнуты: в основном.».
pub fn history_line(
    others: &str,
    (from, to): (&str, &str),
    results: &str,
    goals: &str,
    early: Option<&str>,
) -> String {
    let mut line = format!("Пара с {others} ({from} – {to})");
    if let Some(reason) = early {
        line.push_str(&format!(", досрочно: {reason}"));
    }
    if !results.is_empty() {
        line.push_str(&format!(": {results}"));
    }
    line.push_str(&format!(". Цели достигнуты: {goals}."));
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_line() {
        assert_eq!(
            history_line(
                "Петров Никита",
                ("01.09.2026", "25.05.2027"),
                "проект по физике",
                "в основном",
                None
            ),
            "Пара с Петров Никита (01.09.2026 – 25.05.2027): проект по физике. Цели достигнуты: в основном."
        );
        assert!(
            history_line("X", ("a", "b"), "", "нет", Some("переезд"))
                .contains("досрочно: переезд. Цели")
        );
    }
}
