//! The director's orders fixing a program's pairs (приказ о закреплении наставнических пар/групп):
//! the curator prepares a draft from the agreed pairs not yet fixed, the director approves it with
//! a number and a date, and from then on the pairs carry that order; an approved order is never
//! edited — a later order fixes later pairs or amends (cancels fixed pairs, which returns their
//! mentees to matching). The document is a print-ready page and a DOCX file (`docx`). Other
//! domains use the functions re-exported here.

pub mod commands;
pub mod docx;
pub mod forget;
pub mod model;
pub mod pages;
pub mod repo;

pub use commands::{
    Approval, ApprovalForm, DraftForm, Outcome, amend, approve, delete_draft, document, load,
    prepare,
};
pub use model::OrderStatus;
pub use repo::{Fixed, drafts_of_org, fixed_of_pairs};
