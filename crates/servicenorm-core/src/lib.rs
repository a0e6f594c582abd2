//! The pure core of servicenorm.
//!
//! Everything here is a function of its inputs: no file or network I/O, no clock
//! reads, no database. Calendars are built from data (built-in rules or a TOML
//! text the caller has already read), terms are parsed from the words a
//! municipality writes, and every deadline explains itself.
//!
//! ```
//! use servicenorm_core::{calendar::Calendar, terms::Term, time};
//!
//! let calendar = Calendar::gemeente()?;
//! let term: Term = "2 werkdagen".parse()?;
//! let start = time::parse_instant("2026-04-02T10:00:00+02:00", time::Resolve::Reject)?;
//! let deadline = term.deadline(start, calendar)?;
//! // Goede Vrijdag is a working day for the municipality, Tweede Paasdag is not.
//! assert_eq!(deadline.to_string(), "2026-04-07T23:59:59+02:00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod calendar;
pub mod catalog;
pub mod diagnostics;
pub mod evaluation;
pub mod events;
pub mod messages;
pub mod report;
pub mod terms;
pub mod time;
