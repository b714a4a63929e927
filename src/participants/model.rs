//! The status ladders of a program's participants.

use crate::people::Side;

crate::codes! {
    /// Where a participant of a program stands on their ladder (mentors and mentees have
    /// different ladders, [`EnrolmentStatus::ladder`]). Stored as its code in
    /// `enrolments.status`.
    pub enum EnrolmentStatus: "enrolment status" {
        Application = "application" => "заявка",
        Screening = "screening" => "тестирование/собеседование",
        Training = "training" => "обучение",
        Ready = "ready" => "готов",
        Paired = "paired" => "в паре",
        Finished = "finished" => "завершил",
        InBase = "in_base" => "в базе",
    }
}

const MENTOR_LADDER: [EnrolmentStatus; 6] = [
    EnrolmentStatus::Application,
    EnrolmentStatus::Screening,
    EnrolmentStatus::Training,
    EnrolmentStatus::Ready,
    EnrolmentStatus::Paired,
    EnrolmentStatus::Finished,
];

const MENTEE_LADDER: [EnrolmentStatus; 4] = [
    EnrolmentStatus::Application,
    EnrolmentStatus::InBase,
    EnrolmentStatus::Paired,
    EnrolmentStatus::Finished,
];

impl EnrolmentStatus {
    /// The ladder of a role («mentor» or «mentee»), in its order.
    pub fn ladder(role: Side) -> &'static [EnrolmentStatus] {
        match role {
            Side::Mentor => &MENTOR_LADDER,
            Side::Mentee => &MENTEE_LADDER,
        }
    }

    /// (code, label) of a role's ladder, for a select.
    pub fn ladder_table(role: Side) -> Vec<(&'static str, &'static str)> {
        Self::ladder(role)
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect()
    }

    /// Whether a participant of `role` may stand at this status.
    pub fn fits(self, role: Side) -> bool {
        Self::ladder(role).contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_has_its_own_ladder() {
        assert!(EnrolmentStatus::Screening.fits(Side::Mentor));
        assert!(!EnrolmentStatus::Screening.fits(Side::Mentee));
        assert!(EnrolmentStatus::InBase.fits(Side::Mentee));
        assert!(!EnrolmentStatus::InBase.fits(Side::Mentor));
        // A role that is neither side cannot be asked about at all now; its code is no side.
        assert!(Side::parse("curator").is_none());
        for s in EnrolmentStatus::ALL {
            assert!(
                s.fits(Side::Mentor) || s.fits(Side::Mentee),
                "{s:?} is on no ladder"
            );
        }
    }
}
