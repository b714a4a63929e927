//! Programs and their roadmap: statuses, the seven-stage template (seed 002, «Дорожная карта»),
//! due dates spread over the program's dates in proportion to the table's months.

use crate::web::forms::label_of;

pub const PROGRAM_STATUSES: [(&str, &str); 3] = [
    ("draft", "черновик"),
    ("active", "идёт"),
    ("finished", "завершена"),
];

pub fn program_status_label(code: &str) -> &'static str {
    label_of(&PROGRAM_STATUSES, code)
}

pub fn is_program_status(code: &str) -> bool {
    PROGRAM_STATUSES.iter().any(|(c, _)| *c == code)
}

/// Progress in whole percent (0 when there is nothing to do).
pub fn percent(done: i64, total: i64) -> i64 {
    if total <= 0 {
        0
    } else {
        (done * 100 + total / 2) / total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(35, 35), 100);
    }
}
