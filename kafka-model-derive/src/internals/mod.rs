//! Parse → check → (expand in `crate::expand`), after serde_derive's internals.
pub mod ast;
pub mod attr;
pub mod check;
pub mod ctxt;

pub use ctxt::Ctxt;
