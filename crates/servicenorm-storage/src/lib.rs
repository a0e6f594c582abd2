//! servicenorm's storage: one interface, two real backends.
//!
//! [`Store`] is the interface. With a `sqlite:` URL it keeps everything in an
//! embedded SQLite file (created on first start, no set-up); with a
//! `postgres:` URL it uses PostgreSQL, for production and for several
//! instances sharing one database. Both run the same queries apart from
//! their placeholders, and the same test suite (`tests/store.rs`).
//!
//! Instants are stored as whole seconds since 1970-01-01 UTC and dates as
//! days since then: integers sort and compare exactly in both databases.
//! Website probe slots are the one exception: milliseconds, since a probe
//! interval may be shorter than a second.
//! Events are append-only: a correction is a new event.

mod accounts;
mod convert;
mod error;
mod messages;
mod probe_slots;
mod queries;
mod store;
mod types;

pub use accounts::{NewUser, SessionRow, UserRow};
pub use error::StorageError;
pub use messages::{Contact, MessageJob, MessageRow, Settled};
pub use store::{Judge, Store};
pub use types::{
    Actor, AppendOutcome, AuditEntry, CaseRow, ClockRow, Cursor, OutboxItem, Page, QueueFilter,
    StoredCatalog, TickOutcome, TokenRow,
};
