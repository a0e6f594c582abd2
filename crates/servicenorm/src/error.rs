//! Errors of the command line, and the exit code each one gives.

use std::process::ExitCode;

use servicenorm_core::{
    calendar::CalendarError,
    terms::{ParseTermError, TermError},
    time::InstantError,
};

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input is wrong: exit code 2.
    #[error("{0}")]
    BadInput(String),
    /// Something failed that the user could not have prevented: exit code 1.
    #[error("interne fout: {0}")]
    Internal(String),
    /// The reader of our output went away (`| head`): not an error.
    #[error("uitvoer gesloten")]
    OutputClosed,
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::BadInput(_) => ExitCode::from(2),
            CliError::Internal(_) => ExitCode::from(1),
            CliError::OutputClosed => ExitCode::SUCCESS,
        }
    }
}

impl From<ParseTermError> for CliError {
    fn from(e: ParseTermError) -> Self {
        CliError::BadInput(e.to_string())
    }
}

impl From<InstantError> for CliError {
    fn from(e: InstantError) -> Self {
        CliError::BadInput(e.to_string())
    }
}

impl From<TermError> for CliError {
    fn from(e: TermError) -> Self {
        match e {
            TermError::Calendar(_) => CliError::Internal(e.to_string()),
            other => CliError::BadInput(other.to_string()),
        }
    }
}

impl From<CalendarError> for CliError {
    fn from(e: CalendarError) -> Self {
        match e {
            CalendarError::Build(_) | CalendarError::Builtin(_) => {
                CliError::Internal(e.to_string())
            }
            other => CliError::BadInput(other.to_string()),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError::OutputClosed;
        }
        CliError::Internal(format!("schrijven mislukt: {e}"))
    }
}
