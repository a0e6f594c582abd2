//! The norm catalog: every published promise as data, in the municipality's
//! own words, checked before it takes effect (`docs/CATALOG.md`).

mod check;
pub mod model;
mod raw;

pub use check::{parse, parse_versions};
pub use model::*;
