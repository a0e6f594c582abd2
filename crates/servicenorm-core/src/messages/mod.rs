//! Messages to residents: which message a norm's clock waits for, the
//! templates a catalog writes them in, and filling those in for one case.
//!
//! Sending is not done here (that is I/O); this module only decides what a
//! message says, so that the text is exact and testable.

mod defaults;
mod purpose;
mod template;
mod words;

pub use defaults::default_template;
pub use purpose::{Purpose, purpose_of, recorded_event};
pub use template::{Facts, Placeholder, Template, TemplateError};
pub use words::{date_in_words, moment_in_words};

/// A subject and a text, as a catalog writes them for one purpose.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MessageTemplate {
    pub subject: Template,
    pub text: Template,
}

/// A message filled in for one case, ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    pub subject: String,
    pub text: String,
}

impl MessageTemplate {
    pub fn fill(&self, facts: &Facts) -> Filled {
        Filled {
            subject: self.subject.fill(facts),
            text: self.text.fill(facts),
        }
    }
}
