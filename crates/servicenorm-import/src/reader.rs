//! Reading an export row by row, in its encoding and with its separator.

use std::{
    collections::{BTreeMap, VecDeque},
    io::Read,
    sync::{Arc, Mutex},
};

use servicenorm_core::events::Event;

use crate::{Mapping, rows};

/// A row that cannot be read: where (line and column) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("regel {line}{}: {message}", column.map_or(String::new(), |c| format!(", kolom {c}")))]
pub struct ImportError {
    pub line: u64,
    /// 1-based; none when the row as a whole is wrong.
    pub column: Option<usize>,
    /// The column's header, when one column is wrong.
    pub header: Option<String>,
    pub message: String,
}

/// Reads the rows of one export as the events of one case each.
pub struct RowReader<R: Read> {
    mapping: Mapping,
    csv: csv::Reader<Counting<R>>,
    lines: Arc<Mutex<LineCounter>>,
    /// Field name to (column index, header).
    columns: BTreeMap<String, (usize, String)>,
    record: csv::ByteRecord,
}

impl<R: Read> RowReader<R> {
    /// Reads the header and checks that every mapped column is there.
    pub fn new(mapping: Mapping, source: R) -> Result<RowReader<R>, ImportError> {
        let lines = Arc::new(Mutex::new(LineCounter::default()));
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(mapping.separator_byte())
            .has_headers(true)
            .flexible(true)
            .from_reader(Counting {
                source,
                lines: lines.clone(),
            });
        let header = csv.byte_headers().map_err(|e| ImportError {
            line: 1,
            column: None,
            header: None,
            message: format!("de kopregel is niet te lezen: {e}"),
        })?;
        let names: Vec<String> = header
            .iter()
            .map(|h| {
                decode(&mapping, h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        let mut columns = BTreeMap::new();
        let mut missing = Vec::new();
        for (field, wanted) in &mapping.columns {
            match names.iter().position(|n| n.eq_ignore_ascii_case(wanted)) {
                Some(index) => {
                    columns.insert(field.clone(), (index, wanted.clone()));
                }
                None => missing.push(format!("\"{wanted}\" (voor {field})")),
            }
        }
        if !missing.is_empty() {
            return Err(ImportError {
                line: 1,
                column: None,
                header: None,
                message: format!(
                    "de kopregel mist {}: {}; hij heeft: {}",
                    if missing.len() == 1 {
                        "deze kolom"
                    } else {
                        "deze kolommen"
                    },
                    missing.join(", "),
                    names.join(", ")
                ),
            });
        }
        Ok(RowReader {
            mapping,
            csv,
            lines,
            columns,
            record: csv::ByteRecord::new(),
        })
    }

    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// The next row: its line and its case's events, or why it cannot be
    /// read; none at the end of the file.
    pub fn next_row(&mut self) -> Option<(u64, Result<Vec<Event>, ImportError>)> {
        let read = self.csv.read_byte_record(&mut self.record);
        let end = self.csv.position().byte();
        let line = self
            .lines
            .lock()
            .map_or(0, |mut lines| lines.line_ending_before(end));
        match read {
            Ok(false) => None,
            Err(e) => Some((
                line,
                Err(ImportError {
                    line,
                    column: None,
                    header: None,
                    message: format!("geen geldige regel: {e}"),
                }),
            )),
            Ok(true)
                if self
                    .record
                    .iter()
                    .all(|f| f.iter().all(u8::is_ascii_whitespace)) =>
            {
                self.next_row()
            }
            Ok(true) => Some((line, self.row(line))),
        }
    }

    fn row(&self, line: u64) -> Result<Vec<Event>, ImportError> {
        let cells: BTreeMap<&str, String> = self
            .columns
            .iter()
            .filter_map(|(field, (index, _))| {
                let text = decode(&self.mapping, self.record.get(*index)?);
                (!text.trim().is_empty()).then(|| (field.as_str(), text.into_owned()))
            })
            .collect();
        struct Cells<'a>(&'a BTreeMap<&'a str, String>);
        impl rows::Row for Cells<'_> {
            fn get(&self, field: &str) -> Option<&str> {
                self.0.get(field).map(String::as_str)
            }
        }
        // The row's own id, or a fingerprint of the whole row.
        let key = match cells.get("id") {
            Some(id) => sanitize(id),
            None => fingerprint(&self.record),
        };
        rows::events(&self.mapping, &Cells(&cells), &key).map_err(|problem| {
            let place = self.columns.get(problem.field);
            ImportError {
                line,
                column: place.map(|(index, _)| index + 1),
                header: place.map(|(_, header)| header.clone()),
                message: match place {
                    Some((_, header)) => format!("{header}: {}", problem.message),
                    None => problem.message,
                },
            }
        })
    }
}

fn decode<'a>(mapping: &Mapping, bytes: &'a [u8]) -> std::borrow::Cow<'a, str> {
    if mapping.windows_1252() {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
    } else {
        String::from_utf8_lossy(bytes)
    }
}

/// An id safe in event ids: letters, digits and `-_.` kept, the rest `_`.
fn sanitize(id: &str) -> String {
    id.trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// FNV-1a over the row's bytes: the same row gives the same ids.
fn fingerprint(record: &csv::ByteRecord) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for field in record.iter() {
        for &byte in field.iter().chain(std::iter::once(&0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The source, with every line end it passes noted, so that a row can be
/// named by its line however the file ends its lines (`\n` or `\r\n`)
/// and whatever blank lines it has.
struct Counting<R> {
    source: R,
    lines: Arc<Mutex<LineCounter>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.source.read(buffer)?;
        if let Ok(mut lines) = self.lines.lock() {
            let start = lines.offset;
            for (i, &byte) in buffer[..read].iter().enumerate() {
                if byte == b'\n' {
                    lines.ends.push_back(start + i as u64);
                }
            }
            lines.offset += read as u64;
        }
        Ok(read)
    }
}

#[derive(Default)]
struct LineCounter {
    /// Bytes read so far.
    offset: u64,
    /// Offsets of line ends not yet passed by a row.
    ends: VecDeque<u64>,
    /// Line ends passed.
    passed: u64,
    /// The offset of the last line end passed.
    last: Option<u64>,
}

impl LineCounter {
    /// The line of a row that ended just before byte `end`: the line ends
    /// before it are counted; if the row's own line end was read with it,
    /// that one closes the row's line rather than starting a new one.
    fn line_ending_before(&mut self, end: u64) -> u64 {
        while let Some(&at) = self.ends.front() {
            if at >= end {
                break;
            }
            self.ends.pop_front();
            self.passed += 1;
            self.last = Some(at);
        }
        if end > 0 && self.last == Some(end - 1) {
            self.passed
        } else {
            self.passed + 1
        }
    }
}
