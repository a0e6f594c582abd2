//! The state of a norm for one case.

use std::fmt;

use serde::Serialize;

/// Where a clock or measurement stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Running, not yet at risk.
    Lopend,
    /// Paused (opschorting).
    Gepauzeerd,
    /// Running, and the share of the term after which it is at risk has passed.
    DreigtTeVerlopen,
    /// Met.
    Gehaald,
    /// Missed: it stays missed, also when the case is closed later.
    NietGehaald,
    /// The norm does not apply to this case.
    NietVanToepassing,
}

impl State {
    /// The word staff and residents read.
    pub fn dutch(self) -> &'static str {
        match self {
            State::Lopend => "lopend",
            State::Gepauzeerd => "gepauzeerd",
            State::DreigtTeVerlopen => "dreigt te verlopen",
            State::Gehaald => "gehaald",
            State::NietGehaald => "niet gehaald",
            State::NietVanToepassing => "niet van toepassing",
        }
    }

    /// Whether the clock still runs (or waits) and a later event can change it.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            State::Lopend | State::Gepauzeerd | State::DreigtTeVerlopen
        )
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.dutch())
    }
}
