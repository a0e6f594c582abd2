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

/// The file at `path`, or standard input for `-`.
pub fn open_input(path: &Path) -> Result<Box<dyn Read>, CliError> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(io::stdin().lock()));
    }
    let file = File::open(path).map_err(|e| {
        CliError::BadInput(format!(
            "{}: bestand kan niet worden geopend: {e}",
            path.display()
        ))
    })?;
    Ok(Box::new(file))
}

/// Calls `each` for every event in the file, in file order. CSV needs the
/// header of `docs/EVENTS.md`; a file whose first byte is `{` is JSON Lines.
pub fn for_each(
    path: &Path,
    mut each: impl FnMut(Result<Event, BadLine>) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let name = path.display().to_string();
    let source = open_input(path)?;
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
    let mut line = Vec::with_capacity(256);
    let mut number = 1u64;
    reader
        .read_until(b'\n', &mut line)
        .map_err(|e| CliError::BadInput(format!("{name}: regel 1: {e}")))?;
    let header = String::from_utf8_lossy(&line);
    let columns: Vec<&str> = header
        .trim_end_matches(['\n', '\r'])
        .split(',')
        .map(str::trim)
        .collect();
    if columns.join(",") != CSV_HEADER {
        return Err(CliError::BadInput(format!(
            "{name}: regel 1: de kopregel moet \"{CSV_HEADER}\" zijn, maar is \"{}\"",
            columns.join(",")
        )));
    }
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| CliError::BadInput(format!("{name}: regel {}: {e}", number + 1)))?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        let mut bytes = line.as_slice();
        while let [rest @ .., b'\n' | b'\r'] = bytes {
            bytes = rest;
        }
        if bytes.is_empty() {
            continue;
        }
        let result = read_csv_line(bytes, &mut events);
        each(result.map_err(|error| BadLine {
            line: number,
            error,
        }))?;
    }
}

fn check_columns(count: usize) -> Result<(), EventError> {
    if count == 8 {
        return Ok(());
    }
    Err(EventError {
        field: "regel".into(),
        message: format!("verwacht 8 kolommen, maar vond er {count}"),
    })
}

/// Reads one CSV line. Event lines rarely quote anything, so a line without
/// `"` is split on commas in place; a quoted line goes through the CSV
/// reader, which knows the quoting rules.
fn read_csv_line(bytes: &[u8], events: &mut EventReader) -> Result<Event, EventError> {
    let text = std::str::from_utf8(bytes).map_err(|_| EventError {
        field: "regel".into(),
        message: "de regel is geen geldige UTF-8-tekst".into(),
    })?;
    if !text.contains('"') {
        let mut fields = [""; 8];
        let mut count = 0;
        for field in text.split(',') {
            if let Some(slot) = fields.get_mut(count) {
                *slot = field;
            }
            count += 1;
        }
        check_columns(count)?;
        return events.csv(&fields);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut record = csv::StringRecord::new();
    reader.read_record(&mut record).map_err(|e| EventError {
        field: "regel".into(),
        message: format!("geen geldige CSV: {e}"),
    })?;
    check_columns(record.len())?;
    let fields: Vec<&str> = record.iter().collect();
    events.csv(&fields)
}
