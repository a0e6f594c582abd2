//! E-mail over SMTP: messages to residents that keep a norm (a receipt, a
//! tussenbericht), and notifications to staff per team.
//!
//! The postman takes messages from the outbox in the database, so a message
//! survives a restart and goes to one instance: see `servicenorm_storage`'s
//! `messages` module for the claim.

mod compose;
mod postman;
mod settings;
mod staff;
mod transport;

pub(crate) use postman::run;
pub use settings::{MailSettings, MailSettingsError};
