//! The facts about a case that some norms depend on, asked for in the
//! contact form only where the catalog's case types carry them: danger,
//! an appointment, the advisory committee, the wish to be contacted, how a
//! complaint came in, when a contested decision was published.

use servicenorm_core::{
    catalog::{CaseType, Catalog},
    events::{AttributeKey, Value},
    time::{Resolve, parse_instant},
};

use crate::web::forms::FieldError;

/// How a fact is asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    Check,
    Moment,
    Date,
    Choice(&'static [&'static str]),
}

pub(crate) struct Extra {
    pub key: AttributeKey,
    /// The form field's name and id.
    pub field: &'static str,
    pub label: &'static str,
    pub input: Input,
}

pub(crate) const EXTRAS: [Extra; 7] = [
    Extra {
        key: AttributeKey::Urgent,
        field: "spoed",
        label: "Er is gevaar of kans op schade (spoed)",
        input: Input::Check,
    },
    Extra {
        key: AttributeKey::Appointment,
        field: "afspraak",
        label: "De inwoner heeft een afspraak",
        input: Input::Check,
    },
    Extra {
        key: AttributeKey::AppointmentAt,
        field: "afspraak_om",
        label: "Tijd van de afspraak",
        input: Input::Moment,
    },
    Extra {
        key: AttributeKey::AdvisoryCommittee,
        field: "adviescommissie",
        label: "Het bezwaar gaat naar de adviescommissie",
        input: Input::Check,
    },
    Extra {
        key: AttributeKey::ContactNeeded,
        field: "contact_gewenst",
        label: "De inwoner wil dat wij contact opnemen",
        input: Input::Check,
    },
    Extra {
        key: AttributeKey::Intake,
        field: "binnengekomen_via",
        label: "Hoe kwam het binnen?",
        input: Input::Choice(&["mondeling", "schriftelijk", "telefonisch", "digitaal"]),
    },
    Extra {
        key: AttributeKey::PublishedAt,
        field: "bekendgemaakt_op",
        label: "Datum waarop het besluit is bekendgemaakt",
        input: Input::Date,
    },
];

/// One fact as the form shows it.
pub(crate) struct ExtraView {
    pub field: &'static str,
    pub label: &'static str,
    /// "Alleen bij: Bezwaarschrift."
    pub hint: String,
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<(&'static str, bool)>,
    pub error: Option<String>,
}

/// The facts the catalog's case types carry, with what was filled in.
pub(crate) fn views(
    catalog: &Catalog,
    value: &dyn Fn(&str) -> String,
    errors: &[FieldError],
) -> Vec<ExtraView> {
    EXTRAS
        .iter()
        .filter_map(|extra| {
            let types: Vec<&str> = catalog
                .case_types
                .iter()
                .filter(|ct| ct.attributes.contains(&extra.key))
                .map(|ct| ct.name.as_str())
                .collect();
            if types.is_empty() {
                return None;
            }
            let current = value(extra.field);
            Some(ExtraView {
                field: extra.field,
                label: extra.label,
                hint: format!("Alleen bij: {}.", types.join(", ")),
                kind: match extra.input {
                    Input::Check => "check",
                    Input::Moment => "moment",
                    Input::Date => "date",
                    Input::Choice(_) => "choice",
                },
                options: match extra.input {
                    Input::Choice(options) => options.iter().map(|o| (*o, *o == current)).collect(),
                    _ => Vec::new(),
                },
                value: current,
                error: errors
                    .iter()
                    .find(|e| e.field == extra.field)
                    .map(|e| e.message.clone()),
            })
        })
        .collect()
}

/// Reads the facts filled in for `case_type` into attributes; a fact
/// filled in that this case type does not carry is a mistake.
pub(crate) fn read(
    case_type: &CaseType,
    value: &dyn Fn(&str) -> String,
    now: jiff::Timestamp,
    errors: &mut Vec<FieldError>,
) -> Vec<(AttributeKey, Value)> {
    let mut out = Vec::new();
    for extra in &EXTRAS {
        let text = value(extra.field);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if !case_type.attributes.contains(&extra.key) {
            errors.push(FieldError {
                field: extra.field,
                message: format!(
                    "\"{}\" hoort niet bij \"{}\". Laat het leeg.",
                    extra.label, case_type.name
                ),
            });
            continue;
        }
        let read = match extra.input {
            Input::Check => Ok(Value::Bool(true)),
            // An appointment may lie ahead: no check against now.
            Input::Moment => parse_instant(text, Resolve::Reject)
                .map(Value::Instant)
                .map_err(|_| "Vul datum en tijd in, zoals 21-11-2026 14:30.".to_string()),
            Input::Date if parse_instant(text, Resolve::Reject).is_ok_and(|at| at > now) => {
                Err("Deze datum ligt in de toekomst. Een besluit dat nog niet bekend is gemaakt, kan nog niet bestreden worden.".to_string())
            }
            Input::Date => parse_instant(text, Resolve::Reject)
                .map(Value::Instant)
                .map_err(|_| "Vul een datum in, zoals 21-11-2026.".to_string()),
            Input::Choice(options) if options.contains(&text) => Ok(Value::Text(text.to_string())),
            Input::Choice(_) => Err("Kies een van de mogelijkheden.".to_string()),
        };
        match read {
            Ok(value) => out.push((extra.key, value)),
            Err(message) => errors.push(FieldError {
                field: extra.field,
                message,
            }),
        }
    }
    out
}
