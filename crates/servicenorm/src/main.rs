//! `servicenorm`: one binary, one subcommand per job.

mod allocator;
mod calendar_arg;
mod commands;
mod error;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// servicenorm: houd de servicenormen van de gemeente bij.
#[derive(Parser)]
#[command(name = "servicenorm", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Toon de feestdagen en sluitingsdagen van een jaar.
    Holidays(commands::holidays::Args),
    /// Bereken een termijn: wanneer moet het uiterlijk klaar zijn?
    Deadline(commands::deadline::Args),
    /// Controleer of toon een catalogus met servicenormen.
    #[command(subcommand)]
    Catalog(commands::catalog::Command),
    /// Maak realistische voorbeeldgebeurtenissen voor een catalogus.
    DemoData(commands::demo_data::Args),
    /// Lees exports van telefonie, balie, website en uptime in via een mapping.
    Import(commands::import::Args),
    /// Rapporteer per norm en periode hoe vaak de norm is gehaald.
    Report(commands::report::Args),
    /// Start de dienst: de JSON-API op een SQLite- of PostgreSQL-database.
    Serve(commands::serve::Args),
    /// Beheer API-tokens.
    #[command(subcommand)]
    Token(commands::token::Command),
    /// Beheer accounts van medewerkers voor de webpagina's.
    #[command(subcommand)]
    User(commands::user::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every command but the service is a job that ends soon.
    if !matches!(cli.command, Command::Serve(_)) {
        allocator::keep_freed_memory();
    }
    let result = match cli.command {
        Command::Holidays(args) => commands::holidays::run(&args),
        Command::Deadline(args) => commands::deadline::run(&args),
        Command::Catalog(command) => commands::catalog::run(&command),
        Command::DemoData(args) => commands::demo_data::run(&args),
        Command::Import(args) => commands::import::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Serve(args) => commands::serve::run(&args),
        Command::Token(command) => commands::token::run(&command),
        Command::User(command) => commands::user::run(&command),
    };
    match result {
        Ok(()) | Err(error::CliError::OutputClosed) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("fout: {error}");
            error.exit_code()
        }
    }
}
