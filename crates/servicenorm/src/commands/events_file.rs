//! Reading an event file (CSV or JSON Lines) as a stream, line by line.

use std::{
    fs::File,
    io::{self, BufRead, BufReader, Read},
    path::Path,
};

use servicenorm_core::events::{CSV_HEADER, Event, EventError, read::EventReader};

use crate::error::CliError;

/// A line that could not be read: file, line and problem.
pub struct BadLine {
    pub line: u64,
    pub error: EventError,
}

/// Calls `each` for every event in the file, in file order. CSV needs the
/// header of `docs/EVENTS.md`; a file whose first byte is `{` is JSON Lines.
pub fn for_each(
    path: &Path,
    mut each: impl FnMut(Result<Event, BadLine>) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let name = path.display().to_string();
    let source: Box<dyn Read> = if name == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(path).map_err(|e| {
            CliError::BadInput(format!("{name}: bestand kan niet worden geopend: {e}"))
        })?)
    };
    let mut events = EventReader::default();
    let mut reader = BufReader::with_capacity(1 << 16, source);
    let json = reader
        .fill_buf()
        .map_err(|e| CliError::BadInput(format!("{name}: {e}")))?
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        == Some(&b'{');
    if json {
        let mut line = String::new();
        let mut number = 0u64;
        loop {
            line.clear();
            let read = reader
                .read_line(&mut line)
                .map_err(|e| CliError::BadInput(format!("{name}: regel {}: {e}", number + 1)))?;
            if read == 0 {
                return Ok(());
            }
            number += 1;
            if line.trim().is_empty() {
                continue;
            }
            each(events.json(line.trim_end()).map_err(|error| BadLine {
                line: number,
                error,
            }))?;
        }
    }
    let mut csv = csv::ReaderBuilder::new()
        .buffer_capacity(1 << 16)
        .from_reader(reader);
    let header = csv
        .byte_headers()
        .map_err(|e| CliError::BadInput(format!("{name}: regel 1: {e}")))?;
    let columns: Vec<String> = header
        .iter()
        .map(|c| String::from_utf8_lossy(c).trim().to_string())
        .collect();
    if columns.join(",") != CSV_HEADER {
        return Err(CliError::BadInput(format!(
            "{name}: regel 1: de kopregel moet \"{CSV_HEADER}\" zijn, maar is \"{}\"",
            columns.join(",")
        )));
    }
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map_or(0, csv::Position::line);
                let result = if record.len() != 8 {
                    Err(EventError {
                        field: "regel".into(),
                        message: format!("verwacht 8 kolommen, maar vond er {}", record.len()),
                    })
                } else {
                    let fields: [&str; 8] = std::array::from_fn(|i| record.get(i).unwrap_or(""));
                    events.csv(&fields)
                };
                each(result.map_err(|error| BadLine { line, error }))?;
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                each(Err(BadLine {
                    line,
                    error: EventError {
                        field: "regel".into(),
                        message: match e.kind() {
                            csv::ErrorKind::Utf8 { .. } => {
                                "de regel is geen geldige UTF-8-tekst".into()
                            }
                            _ => format!("geen geldige CSV: {e}"),
                        },
                    },
                }))?;
            }
        }
    }
}
