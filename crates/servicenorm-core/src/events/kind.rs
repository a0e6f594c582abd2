//! The event types servicenorm understands. `docs/EVENTS.md` describes each
//! with its attributes.

use std::{fmt, str::FromStr};

use serde::{Serialize, Serializer};

macro_rules! event_types {
    ($($variant:ident = $wire:literal, $dutch:literal;)*) => {
        /// What happened to a case or contact.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventType {
            $($variant,)*
        }

        impl EventType {
            pub const ALL: &'static [EventType] = &[$(EventType::$variant,)*];

            /// The name in files and the API, such as `call_answered`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $wire,)*
                }
            }

            /// What it means, in Dutch, for staff.
            pub fn dutch(self) -> &'static str {
                match self {
                    $(EventType::$variant => $dutch,)*
                }
            }
        }

        impl FromStr for EventType {
            type Err = UnknownEventType;
            fn from_str(s: &str) -> Result<EventType, UnknownEventType> {
                match s {
                    $($wire => Ok(EventType::$variant),)*
                    other => Err(UnknownEventType(other.to_string())),
                }
            }
        }
    };
}

event_types! {
    Received = "received", "ontvangen";
    Acknowledged = "acknowledged", "ontvangstbevestiging verstuurd";
    Answered = "answered", "inhoudelijk beantwoord";
    TussenberichtSent = "tussenbericht_sent", "tussenbericht verstuurd";
    Contacted = "contacted", "contact opgenomen";
    CallQueued = "call_queued", "gesprek in de wachtrij";
    CallAnswered = "call_answered", "gesprek aangenomen";
    CallTransferred = "call_transferred", "doorverbonden";
    CallAbandoned = "call_abandoned", "opgehangen voordat er werd opgenomen";
    CallEnded = "call_ended", "gesprek beëindigd";
    Feedback = "feedback", "inwoner gaf aan of de vraag is beantwoord";
    CallbackRequested = "callback_requested", "terugbelafspraak gemaakt";
    CallbackDone = "callback_done", "teruggebeld";
    TicketIssued = "ticket_issued", "volgnummer getrokken aan de balie";
    TicketCalled = "ticket_called", "opgeroepen aan de balie";
    ExpectedDateGiven = "expected_date_given", "verteld wanneer het antwoord komt";
    Suspended = "suspended", "opgeschort";
    Resumed = "resumed", "hervat";
    Extended = "extended", "verlengd of verdaagd";
    ActionTaken = "action_taken", "actie ondernomen";
    Decided = "decided", "besluit genomen";
    Closed = "closed", "afgesloten";
    Reopened = "reopened", "heropend";
    Search = "search", "zoekopdracht op de website";
    Probe = "probe", "website gecontroleerd op bereikbaarheid";
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// An event type servicenorm does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("onbekende gebeurtenis \"{0}\"; bekend zijn: {list}", list = known_list())]
pub struct UnknownEventType(pub String);

fn known_list() -> String {
    EventType::ALL
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
