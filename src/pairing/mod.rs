//! Matching and pairs of a program: the curator's proposal built from questionnaire answers
//! (the pure `matching` module does the scoring and the assignment), Mentor Match from the wishes
//! after a group meeting, the weights and rules, pairs by hand («предложение куратора»), and the
//! consent of every member before a pair becomes «согласована».

pub mod access;
pub mod agreed;
pub mod flow;
pub mod forget;
pub mod model;
pub mod pages;
pub mod repo;
pub mod settings;

pub use access::{Relation, agreed_pair_for};
pub use agreed::{Agreed, agreed_in, agreed_with, mentors_of_pairs, pairs_by_id, worked_in};
pub use flow::{cancel, forbid, make_pairs, record_answer, set_variant};
pub use pages::mine::{PairLine, home_lines};
pub use repo::{
    MemberRow, PairRow, cancel as cancel_pair, complete as complete_pair, open_pairs, pair,
    pairs_of_program, refusals_since, set_rhythm,
};
