//! Problems in a definition file (a calendar, a catalog), each with the file,
//! line, column and field it is about, reported all at once.

use std::{fmt, ops::Range};

/// One problem in a definition file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub origin: String,
    pub line: usize,
    pub column: usize,
    /// The field, such as `closing_days.date`; empty when the file as a whole
    /// cannot be read.
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.origin, self.line, self.column)?;
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// All problems found in a definition file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DefinitionError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// Collects problems while a file is checked.
pub(crate) struct Checker<'a> {
    pub text: &'a str,
    pub origin: &'a str,
    pub problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    pub fn new(text: &'a str, origin: &'a str) -> Checker<'a> {
        Checker {
            text,
            origin,
            problems: Vec::new(),
        }
    }

    pub fn report(&mut self, span: Range<usize>, field: &str, message: impl Into<String>) {
        let (line, column) = line_column(self.text, span.start);
        self.problems.push(Problem {
            origin: self.origin.to_string(),
            line,
            column,
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// The problems sorted by place, or `Ok(value)` when there are none.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, DefinitionError> {
        match value {
            Some(value) if self.problems.is_empty() => Ok(value),
            _ => {
                let mut problems = self.problems;
                problems.sort_by_key(|p| (p.line, p.column));
                Err(DefinitionError { problems })
            }
        }
    }
}

/// A TOML text that could not be read at all: one problem at the parser's place.
pub(crate) fn toml_problem(text: &str, origin: &str, error: &toml::de::Error) -> DefinitionError {
    let (line, column) = line_column(text, error.span().map_or(0, |s| s.start));
    DefinitionError {
        problems: vec![Problem {
            origin: origin.to_string(),
            line,
            column,
            field: String::new(),
            message: translate_toml_message(error.message()),
        }],
    }
}

/// Line and column (both from 1) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The TOML parser's messages are English; the few that a user meets most
/// are put in Dutch, the rest keep their text after a Dutch lead.
pub(crate) fn translate_toml_message(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("verplicht veld {rest} ontbreekt");
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!(
            "onbekend veld {}",
            rest.replace(", expected one of ", "; toegestaan zijn ")
        );
    }
    if message.starts_with("string values must be quoted") {
        return "tekst moet tussen aanhalingstekens staan, zoals \"tekst\"".to_string();
    }
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        return format!(
            "verkeerde soort waarde ({}): verwacht {}",
            dutch_kind(found),
            dutch_kind(expected)
        );
    }
    format!("dit is geen geldige TOML: {message}")
}

/// serde's names for kinds of values, in words staff know; what follows the
/// name (the value found, such as `"veel"`) is kept.
fn dutch_kind(kind: &str) -> String {
    const WORDS: [(&str, &str); 12] = [
        ("a string", "tekst"),
        ("string", "tekst"),
        ("a boolean", "true of false"),
        ("boolean", "true of false"),
        ("a sequence", "een lijst"),
        ("sequence", "een lijst"),
        ("integer", "een geheel getal"),
        ("u32", "een geheel getal"),
        ("u64", "een geheel getal"),
        ("i64", "een geheel getal"),
        ("f64", "een getal"),
        ("floating point", "een getal"),
    ];
    for (english, dutch) in WORDS {
        if let Some(rest) = kind.strip_prefix(english)
            && (rest.is_empty() || rest.starts_with(' '))
        {
            return format!("{dutch}{}", rest.replace('`', ""));
        }
    }
    kind.to_string()
}

#[cfg(test)]
mod tests {
    use super::translate_toml_message;

    #[test]
    fn the_toml_messages_staff_meet_most_are_in_dutch() {
        assert_eq!(
            translate_toml_message("invalid type: string \"veel\", expected u32"),
            "verkeerde soort waarde (tekst \"veel\"): verwacht een geheel getal"
        );
        assert_eq!(
            translate_toml_message("invalid type: integer `5`, expected a string"),
            "verkeerde soort waarde (een geheel getal 5): verwacht tekst"
        );
        assert_eq!(
            translate_toml_message("string values must be quoted, expected literal string"),
            "tekst moet tussen aanhalingstekens staan, zoals \"tekst\""
        );
    }
}
