//! Completing mentorship (stage 7): a pair completed with its results, whether its goals were
//! reached, the decision to continue or stop, an early end's reason — written back into the bases
//! (each member's enrolment «результаты», the mentee's status) — and the final reports of the
//! mentor and of the mentee, printable; the mentors' certificates and letters.

pub mod commands;
pub mod forget;
pub mod model;
pub mod pages;
pub mod repo;

pub use commands::{
    BestStep, CaseRefused, Closing, CompleteForm, Completion, close_program, complete, decide_best,
    save_case, write_report,
};
