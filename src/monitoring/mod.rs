//! Monitoring of a program (stage 7; the target model's two-stage monitoring): the parameters to
//! measure for mentees and mentors (templates per form, or the curator's own), the two
//! measurements — «входной» and «итоговый» — entered as a table per class (only for people with a
//! valid consent), and the influence report: for each parameter the means before and after, the
//! mean change and its spread, the share who improved, mentees with and without a pair, charts,
//! and everyone missing a measurement listed. The mid-program pulse (`pulse`): the satisfaction
//! questionnaires to each pair of a program that turned it on, 30 days after its order, then
//! every 60.

pub mod commands;
pub mod forget;
pub mod measure;
pub mod model;
pub mod pages;
pub mod pulse;
pub mod repo;
