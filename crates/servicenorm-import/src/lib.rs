//! Reading the exports other systems already make (a telephony call log, a
//! counter queue log, a website search log, an uptime log) as servicenorm
//! events, through a mapping that says which column holds what, the
//! separator, the encoding, the date format and the time zone.
//!
//! Reading is streaming: one row at a time, memory independent of the
//! file. Each row gives the events of one case, with ids made from the row,
//! so importing the same file twice gives the same events (and the store
//! keeps them once). See `docs/IMPORT.md`.

mod fields;
mod mapping;
mod reader;
mod rows;

pub use mapping::{Kind, Mapping, MappingError};
pub use reader::{ImportError, RowReader};

/// The mappings that ship with servicenorm, by name, with their TOML text.
pub const SHIPPED: [(&str, &str); 4] = [
    (
        "telefonie",
        include_str!("../../../mappings/telefonie.toml"),
    ),
    ("balie", include_str!("../../../mappings/balie.toml")),
    ("zoeken", include_str!("../../../mappings/zoeken.toml")),
    ("uptime", include_str!("../../../mappings/uptime.toml")),
];

/// A shipped mapping by name.
pub fn shipped(name: &str) -> Option<Result<Mapping, MappingError>> {
    SHIPPED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| Mapping::parse(text, &format!("mappings/{n}.toml")))
}
