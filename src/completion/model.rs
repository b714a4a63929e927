//! The choices of a pair's completion.

pub const GOALS: [(&str, &str); 4] = [
    ("yes", "да"),
    ("mostly", "в основном"),
    ("partly", "частично"),
    ("no", "нет"),
];

pub const DECISIONS: [(&str, &str); 2] = [
    ("stop", "завершить наставничество"),
    ("continue", "продолжить с новой темой"),
];

pub const EARLY_REASONS: [(&str, &str); 4] = [
    ("moved", "переезд"),
    ("mismatch", "не сложилось"),
    ("own_wish", "по собственному желанию"),
    ("other", "другое"),
];

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
