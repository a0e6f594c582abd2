//! `servicenorm deadline --input FILE.csv`: many deadlines, streaming.
//!
//! Reads `id,from` rows and writes `id,deadline` rows in input order. One
//! record buffer and one output buffer are reused, so memory stays flat
//! however long the file is.

use std::{
    io::{self, BufWriter, Write},
    path::Path,
};

use servicenorm_core::{
    calendar::Calendar,
    terms::Term,
    time::{Resolve, parse_instant, write_rfc3339},
};

use crate::{commands::events_file::open_input, error::CliError, render::count};

pub fn run(
    input: &Path,
    term: &Term,
    calendar: &Calendar,
    resolve: Resolve,
    skip_invalid: bool,
) -> Result<(), CliError> {
    let name = input.display().to_string();
    let source = open_input(input)?;
    let mut reader = csv::ReaderBuilder::new()
        .buffer_capacity(1 << 16)
        .from_reader(source);
    let headers = reader
        .byte_headers()
        .map_err(|e| CliError::BadInput(format!("{name}: regel 1: {e}")))?;
    let columns: Vec<&[u8]> = headers.iter().map(<[u8]>::trim_ascii).collect();
    if columns != [b"id".as_slice(), b"from".as_slice()] {
        return Err(CliError::BadInput(format!(
            "{name}: regel 1: de kopregel moet \"id,from\" zijn, maar is \"{}\"",
            columns
                .iter()
                .map(|c| String::from_utf8_lossy(c))
                .collect::<Vec<_>>()
                .join(",")
        )));
    }

    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    out.write_all(b"id,deadline\n")?;
    let mut record = csv::ByteRecord::new();
    let mut stamp = [0u8; 25];
    let mut skipped = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                let problem = format!("{name}: regel {line}: {}", csv_problem(&e));
                if !skip_invalid || e.position().is_none() {
                    return Err(CliError::BadInput(problem));
                }
                eprintln!("{problem}; overgeslagen");
                skipped += 1;
                continue;
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        let id = record.get(0).unwrap_or_default();
        let from = record.get(1).unwrap_or_default();
        let deadline = std::str::from_utf8(from)
            .map_err(|_| "het tijdstip is geen UTF-8".to_string())
            .and_then(|from| parse_instant(from, resolve).map_err(|e| e.to_string()))
            .and_then(|start| term.deadline(start, calendar).map_err(|e| e.to_string()));
        match deadline {
            Ok(moment) => {
                write_id(&mut out, id)?;
                out.write_all(b",")?;
                let len = write_rfc3339(moment.civil(), moment.offset(), &mut stamp);
                out.write_all(&stamp[..len])?;
                out.write_all(b"\n")?;
            }
            Err(problem) => {
                let problem = format!("{name}: regel {line}, kolom from: {problem}");
                if !skip_invalid {
                    out.flush()?;
                    return Err(CliError::BadInput(problem));
                }
                eprintln!("{problem}; overgeslagen");
                skipped += 1;
            }
        }
    }
    out.flush()?;
    if skipped > 0 {
        eprintln!("{} overgeslagen", count(skipped, "regel", "regels"));
    }
    Ok(())
}

/// Writes a CSV field, quoted only when it must be.
fn write_id(out: &mut impl Write, id: &[u8]) -> io::Result<()> {
    if !id.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        return out.write_all(id);
    }
    out.write_all(b"\"")?;
    for part in id.split(|&b| b == b'"').enumerate() {
        if part.0 > 0 {
            out.write_all(b"\"\"")?;
        }
        out.write_all(part.1)?;
    }
    out.write_all(b"\"")
}

/// The CSV reader's error in plain Dutch.
fn csv_problem(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "de regel heeft {len} velden, maar er horen er {expected_len} te zijn (id,from)"
        ),
        csv::ErrorKind::Utf8 { .. } => "de regel is geen geldige UTF-8-tekst".to_string(),
        csv::ErrorKind::Io(e) => format!("het bestand kan niet verder worden gelezen: {e}"),
        _ => format!("de regel is geen geldige CSV ({error})"),
    }
}
