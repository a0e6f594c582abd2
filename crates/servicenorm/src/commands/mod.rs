//! One module per subcommand.

pub mod batch;
pub mod deadline;
pub mod holidays;
