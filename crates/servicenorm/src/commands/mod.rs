//! One module per subcommand.

pub mod batch;
pub mod catalog;
pub mod database;
pub mod deadline;
pub mod demo_data;
pub mod events_file;
pub mod holidays;
pub mod import;
pub mod report;
pub mod serve;
pub mod token;
pub mod user;
