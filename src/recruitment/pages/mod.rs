//! The recruitment pages: the public application form at a program's link (`apply`), the
//! curator's list of applications with the links and their decisions (`applications`), and the
//! printable A4 poster with the QR code (`poster`).

pub mod applications;
pub mod apply;
pub mod poster;
