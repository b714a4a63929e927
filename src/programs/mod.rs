//! Programs of an organization: the catalogue of forms and variants, a program's card and its
//! form. The roadmap of a program is its own domain (`crate::roadmap`). Other domains use the
//! functions and types re-exported here, never `repo` directly.

pub mod ctx;
pub mod model;
pub mod pages;
pub mod repo;

pub use ctx::ProgramCtx;
pub use model::{percent, program_status_label};
pub use repo::{
    Form, ProgramInput, ProgramRow, Variant, create_program, finish, form, forms, org_form_codes,
    org_forms, program, program_variants, programs, programs_kept, set_org_forms,
};
