//! Programs and their roadmap: statuses, the seven-stage template (seed 002, «Дорожная карта»),
//! due dates spread over the program's dates in proportion to the table's months.

crate::codes! {
    /// Where a program stands. Stored as its code in `programs.status`.
    pub enum ProgramStatus: "program status" {
        Draft = "draft" => "черновик",
        Active = "active" => "идёт",
        Finished = "finished" => "завершена",
    }
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
