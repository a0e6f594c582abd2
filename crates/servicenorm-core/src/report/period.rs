//! Reporting periods: month, quarter, year.

use std::fmt;

use jiff::civil::Date;
use serde::Serialize;

/// The length of a reporting period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    Month,
    Quarter,
    Year,
}

impl std::str::FromStr for Per {
    type Err = String;
    fn from_str(s: &str) -> Result<Per, String> {
        match s {
            "month" | "maand" => Ok(Per::Month),
            "quarter" | "kwartaal" => Ok(Per::Quarter),
            "year" | "jaar" => Ok(Per::Year),
            other => Err(format!(
                "onbekende periode \"{other}\": kies month, quarter of year"
            )),
        }
    }
}

/// One reporting period, ordered in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    year: i16,
    /// Month 1-12, quarter 1-4, or 0 for a year.
    index: i8,
    per: PerOrder,
}

/// `Per` with an order, so periods sort by year first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum PerOrder {
    Month,
    Quarter,
    Year,
}

impl Period {
    /// The period of `per` that contains `date`.
    pub fn of(date: Date, per: Per) -> Period {
        let (index, per) = match per {
            Per::Month => (date.month(), PerOrder::Month),
            Per::Quarter => ((date.month() - 1) / 3 + 1, PerOrder::Quarter),
            Per::Year => (0, PerOrder::Year),
        };
        Period {
            year: date.year(),
            index,
            per,
        }
    }

    /// The name councils read: "maart 2026", "2026 K1", "2026".
    pub fn label(&self) -> String {
        match self.per {
            PerOrder::Month => format!(
                "{} {}",
                crate::terms::explain::month_name(self.index),
                self.year
            ),
            PerOrder::Quarter => format!("{} K{}", self.year, self.index),
            PerOrder::Year => self.year.to_string(),
        }
    }
}

impl fmt::Display for Period {
    /// A sortable key: "2026-03", "2026-Q1", "2026".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.per {
            PerOrder::Month => write!(f, "{}-{:02}", self.year, self.index),
            PerOrder::Quarter => write!(f, "{}-Q{}", self.year, self.index),
            PerOrder::Year => write!(f, "{}", self.year),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
