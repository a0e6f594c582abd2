//! Reports: the share met per norm and period, against the streefwaarde, as
//! municipalities publish it to their council and residents.
//!
//! Counting rules (`docs/REPORTS.md`):
//! - a deadline counts in the period in which it falls due; a limit or ratio
//!   in the period in which the contact or observation started;
//! - a case not yet due is left out of the share (it shows as still open);
//! - an open case past its deadline counts as missed;
//! - a norm that does not apply to a case is not counted for it.

mod aggregate;
mod histogram;
mod period;
mod stream;

pub use aggregate::{GroupBy, Report, ReportOptions, Row};
pub use histogram::Histogram;
pub use period::{Per, Period};
pub use stream::{CaseStream, StreamOutcome};
