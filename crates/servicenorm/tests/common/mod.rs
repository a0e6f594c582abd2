//! Running the `servicenorm` binary as a user does, for the CLI tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn servicenorm(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_servicenorm"))
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}
