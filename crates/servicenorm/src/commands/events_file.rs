//! Reading an event file (CSV or JSON Lines) as a stream, line by line.

use std::{
    fs::File,
    io::{self, BufRead, BufReader, Read},
    path::Path,
};

use servicenorm_core::events::{
    CSV_HEADER, Event, EventError,
    read::{EventReader, not_utf8},
};

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
    let mut lines = Lines::new(reader);
    let header = lines
        .next()
        .map_err(|e| CliError::BadInput(format!("{name}: regel 1: {e}")))?
        .map_or(&[][..], |line| line.bytes);
    let header = String::from_utf8_lossy(header);
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
    let mut number = 1u64;
    loop {
        let line = lines
            .next()
            .map_err(|e| CliError::BadInput(format!("{name}: regel {}: {e}", number + 1)))?;
        let Some(line) = line else {
            return Ok(());
        };
        // A record may span lines (a quoted line end); it is named by its first.
        let first_line = number + 1;
        number += 1 + line.commas.newlines;
        let mut bytes = line.bytes;
        while let [rest @ .., b'\n' | b'\r'] = bytes {
            bytes = rest;
        }
        if bytes.is_empty() {
            continue;
        }
        let result = read_csv_line(bytes, &line.commas, &mut events);
        each(result.map_err(|error| BadLine {
            line: first_line,
            error,
        }))?;
    }
}

/// Bytes read from the file at a time.
const CHUNK: usize = 1 << 18;

/// The lines of a CSV file, read in large chunks. Each line is found with
/// the positions of its commas and whether it has a `"`, in one pass.
struct Lines<R> {
    source: R,
    buffer: Vec<u8>,
    /// The unread bytes are `buffer[start..end]`.
    start: usize,
    end: usize,
    done: bool,
}

/// One line (without its `\n`) and where its commas are.
struct Line<'a> {
    bytes: &'a [u8],
    commas: Commas,
}

/// The positions of the first seven commas of a line, how many there are
/// in all, and whether the line has a `"`. A quoted field may hold commas
/// and line ends (`Event::write_csv` writes them so): those do not count.
#[derive(Clone, Copy)]
struct Commas {
    at: [usize; 7],
    count: usize,
    quoted: bool,
    /// Inside a quoted field right now.
    inside: bool,
    /// Line ends inside quoted fields, for the line numbers of later lines.
    newlines: u64,
    /// No byte of the line (and perhaps a few after it) is above 0x7f: the
    /// line is ASCII, so valid UTF-8 without a further look.
    ascii: bool,
}

impl<R: Read> Lines<R> {
    fn new(source: R) -> Lines<R> {
        Lines {
            source,
            buffer: vec![0; CHUNK],
            start: 0,
            end: 0,
            done: false,
        }
    }

    fn next(&mut self) -> io::Result<Option<Line<'_>>> {
        loop {
            let rest = &self.buffer[self.start..self.end];
            let (commas, newline) = scan(rest);
            if let Some(length) = newline {
                let line = &self.buffer[self.start..self.start + length];
                self.start += length + 1;
                return Ok(Some(Line {
                    bytes: line,
                    commas,
                }));
            }
            if self.done {
                if rest.is_empty() {
                    return Ok(None);
                }
                let line = &self.buffer[self.start..self.end];
                self.start = self.end;
                return Ok(Some(Line {
                    bytes: line,
                    commas,
                }));
            }
            // Keep the partial line, and read more after it.
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if self.end == self.buffer.len() {
                self.buffer.resize(self.buffer.len() * 2, 0);
            }
            loop {
                match self.source.read(&mut self.buffer[self.end..]) {
                    Ok(0) => self.done = true,
                    Ok(read) => self.end += read,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
                break;
            }
        }
    }
}

/// Notes one byte of interest; true at the end of the line.
#[inline(always)]
fn note(commas: &mut Commas, at: usize, byte: u8) -> bool {
    match byte {
        b'\n' if commas.inside => commas.newlines += 1,
        b'\n' => return true,
        b',' if commas.inside => {}
        b',' => {
            if let Some(slot) = commas.at.get_mut(commas.count) {
                *slot = at;
            }
            commas.count += 1;
        }
        // `""` inside a field toggles twice, which leaves it inside.
        b'"' => {
            commas.quoted = true;
            commas.inside = !commas.inside;
        }
        _ => {}
    }
    false
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Finds the first `\n` in `data`, and the commas and quotes before it (or
/// in all of `data` when there is no `\n`). Eight bytes at a time: only
/// bytes below `-` (among them `\n`, `"`, `,`, space and `+`) are looked at
/// one by one.
fn scan(data: &[u8]) -> (Commas, Option<usize>) {
    let mut commas = Commas {
        at: [0; 7],
        count: 0,
        quoted: false,
        inside: false,
        newlines: 0,
        ascii: false,
    };
    let mut high = 0;
    let mut words = data.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let Ok(bytes) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let word = u64::from_le_bytes(bytes);
        high |= word;
        // The high bit of each byte below 0x2d (and of some non-ASCII bytes).
        let mut low = !((word | HIGH).wrapping_sub(ONES * 0x2d)) & HIGH;
        while low != 0 {
            let i = (low.trailing_zeros() / 8) as usize;
            if note(&mut commas, at + i, bytes[i]) {
                commas.ascii = high & HIGH == 0;
                return (commas, Some(at + i));
            }
            low &= low - 1;
        }
        at += 8;
    }
    for &byte in words.remainder() {
        high |= u64::from(byte);
        if note(&mut commas, at, byte) {
            commas.ascii = high & HIGH == 0;
            return (commas, Some(at));
        }
        at += 1;
    }
    commas.ascii = high & HIGH == 0;
    (commas, None)
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
/// `"` is split at the commas found while looking for its end; a quoted line
/// goes through the CSV reader, which knows the quoting rules.
fn read_csv_line(
    bytes: &[u8],
    commas: &Commas,
    events: &mut EventReader,
) -> Result<Event, EventError> {
    // An ASCII line is UTF-8 already; only other lines are checked here,
    // and the fields are cut from the bytes.
    if !commas.ascii {
        std::str::from_utf8(bytes).map_err(|_| not_utf8())?;
    }
    if !commas.quoted {
        check_columns(commas.count + 1)?;
        return events.csv_unquoted(bytes, &commas.at);
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
