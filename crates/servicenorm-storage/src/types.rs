//! What the store keeps and gives back.

use jiff::{Timestamp, civil::Date};
use serde::Serialize;

/// Who made a change, and through what (a token name, a session, the
/// command line): every change is written to the audit log with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub name: String,
    pub via: String,
}

impl Actor {
    pub fn new(name: impl Into<String>, via: impl Into<String>) -> Actor {
        Actor {
            name: name.into(),
            via: via.into(),
        }
    }
}

/// A catalog version as stored: its TOML text and when it takes effect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredCatalog {
    pub catalog_id: String,
    pub valid_from: Date,
    pub toml: String,
    pub stored_at: Timestamp,
    pub stored_by: String,
}

/// What appending a batch of events did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AppendOutcome {
    /// Events stored now.
    pub stored: usize,
    /// Events that were already stored with the same content (ignored).
    pub repeated: usize,
    /// The cases that got new events, sorted: their clocks need judging.
    pub cases: Vec<String>,
}

/// A case as the queue sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseRow {
    pub case_id: String,
    pub case_type: String,
    pub municipality: Option<String>,
    pub team: Option<String>,
    pub received_at: Timestamp,
    pub catalog_valid_from: Date,
}

/// The derived state of one norm's clock for one case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClockRow {
    pub case_id: String,
    pub norm_id: String,
    pub kind: String,
    /// `lopend`, `gepauzeerd`, `dreigt_te_verlopen`, `gehaald`, `niet_gehaald`.
    pub state: String,
    pub case_type: String,
    pub channel: String,
    pub municipality: Option<String>,
    pub team: Option<String>,
    pub start_at: Option<Timestamp>,
    pub stop_at: Option<Timestamp>,
    pub deadline: Option<Timestamp>,
    pub at_risk_from: Option<Timestamp>,
    /// The message to the resident this clock waits for, which servicenorm
    /// sends itself: `ontvangstbevestiging`, `tussenbericht` or
    /// `antwoord_onderweg`.
    pub message: Option<String>,
}

/// Which clocks a queue shows. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub states: Vec<String>,
    pub team: Option<String>,
    pub municipality: Option<String>,
    pub case_type: Option<String>,
    pub channel: Option<String>,
    /// Deadlines at or after this instant.
    pub due_from: Option<Timestamp>,
    /// Deadlines before this instant.
    pub due_before: Option<Timestamp>,
    /// Only work still to do: clocks that have not stopped and run, wait,
    /// are at risk, or missed a term or notice that is still owed. A met
    /// clock and a missed limit (a call answered late) are no work.
    pub unfinished: bool,
}

/// Where a page ends: the next page starts after this clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub deadline: i64,
    pub case_id: String,
    pub norm_id: String,
}

impl Cursor {
    /// An opaque text for an API: `deadline:case:norm`, hex-encoded so that
    /// any id survives a URL.
    pub fn encode(&self) -> String {
        hex::encode(format!(
            "{}:{}:{}",
            self.deadline, self.case_id, self.norm_id
        ))
    }

    pub fn decode(text: &str) -> Option<Cursor> {
        let text = String::from_utf8(hex::decode(text).ok()?).ok()?;
        // A case id may hold ':'; a norm id (checked by the catalog) never does.
        let (deadline, rest) = text.split_once(':')?;
        let (case_id, norm_id) = rest.rsplit_once(':')?;
        Some(Cursor {
            deadline: deadline.parse().ok()?,
            case_id: case_id.to_string(),
            norm_id: norm_id.to_string(),
        })
    }
}

/// One page of a list, and where the next starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

/// An API token as stored: its name and scopes, never the token itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    pub name: String,
    /// Space-separated: `read`, `write`, `admin`.
    pub scopes: String,
}

/// What one scheduler pass changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TickOutcome {
    pub at_risk: u64,
    pub missed: u64,
    pub notifications: u64,
}

/// A notification for a team: a clock at risk, missed, or a tussenbericht owed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutboxItem {
    pub id: i64,
    pub created_at: Timestamp,
    /// `dreigt_te_verlopen`, `niet_gehaald` or `tussenbericht_verschuldigd`.
    pub kind: String,
    pub case_id: String,
    pub norm_id: String,
    pub team: Option<String>,
    pub deadline: Option<Timestamp>,
    pub sent_at: Option<Timestamp>,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: Timestamp,
    pub actor: String,
    pub via: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn a_cursor_survives_a_case_id_with_a_colon() {
        let cursor = Cursor {
            deadline: 1_775_000_000,
            case_id: "zaak:2026:17".into(),
            norm_id: "terugbellen".into(),
        };
        let text = cursor.encode();
        assert!(text.bytes().all(|b| b.is_ascii_hexdigit()), "{text}");
        assert_eq!(Cursor::decode(&text), Some(cursor));
        assert_eq!(Cursor::decode("zz"), None);
        assert_eq!(Cursor::decode(&hex::encode("geen-deadline:a:b")), None);
    }
}
