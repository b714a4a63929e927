//! Programs of an organization: the catalogue of forms and variants, a program's card and its
//! form, and its roadmap (`roadmap/`: the seven stages and their tasks — made with the program,
//! shown on its card, so it lives inside this domain). Other domains use the functions and types
//! re-exported here and in `roadmap`, never a `repo` directly.

pub mod commands;
pub mod ctx;
pub mod forget;
pub mod model;
pub mod pages;
pub mod repo;
pub mod roadmap;

pub use ctx::ProgramCtx;
pub use model::{ProgramStatus, percent};
pub use repo::{
    Form, ProgramInput, ProgramRow, Variant, active_names, briefs, counts_by_org, create_program,
    curator_of, exists, finish, form, forms, lock, name_each, names_by_id, names_of,
    org_form_codes, org_forms, program, program_variants, programs, programs_kept,
    programs_of_persons, running_names, set_org_forms, variants,
};
