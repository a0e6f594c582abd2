//! How many cases a case type gets, and when they arrive: read from the case
//! type's id, name and norms (see the table in the crate documentation).

use servicenorm_core::{
    catalog::{CaseType, Catalog, LimitMeasure, NormKind},
    events::EventType,
};

/// When the cases of a case type arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrivals {
    /// Only on working days of the case type's calendar, in office hours:
    /// the phone, the counter, post that is registered.
    Staffed,
    /// Day and night, weekends too, but less then: e-mail, social media,
    /// web forms, meldingen.
    Always,
    /// One case per municipality per day holding many observations (a ratio
    /// norm: searches, probes).
    Daily,
}

/// What a case type is, for the generator.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// The kinds of contact it was recognised as, such as `["brief", "e-mail"]`.
    pub kinds: Vec<&'static str>,
    /// Cases (or, for a ratio of searches, observations) per 1,000 residents
    /// per year.
    pub per_thousand: f64,
    pub arrivals: Arrivals,
    /// The share of deadline clocks that end too late.
    pub miss: f64,
}

impl Profile {
    /// Whether cases only arrive while the office is open.
    pub fn staffed(&self) -> bool {
        self.arrivals == Arrivals::Staffed
    }
}

struct Kind {
    label: &'static str,
    keywords: &'static [&'static str],
    /// Entries of one group exclude each other: the first match wins.
    group: u8,
    per_thousand: f64,
    arrivals: Arrivals,
    miss: f64,
}

/// The volume table of the crate documentation, in matching order.
const KINDS: &[Kind] = &[
    Kind {
        label: "terugbelverzoek",
        keywords: &["terugbel", "callback"],
        group: 1,
        per_thousand: 150.0,
        arrivals: Arrivals::Staffed,
        miss: 0.08,
    },
    Kind {
        label: "telefoon",
        keywords: &["telefoon", "bellen", "gesprek", "call"],
        group: 1,
        per_thousand: 1500.0,
        arrivals: Arrivals::Staffed,
        miss: 0.08,
    },
    Kind {
        label: "balie",
        keywords: &["balie", "loket", "counter"],
        group: 2,
        per_thousand: 500.0,
        arrivals: Arrivals::Staffed,
        miss: 0.10,
    },
    Kind {
        label: "whatsapp",
        keywords: &["whatsapp"],
        group: 3,
        per_thousand: 80.0,
        arrivals: Arrivals::Always,
        miss: 0.10,
    },
    Kind {
        label: "sociale media",
        keywords: &["social", "sociale", "facebook", "twitter", "instagram"],
        group: 3,
        per_thousand: 80.0,
        arrivals: Arrivals::Always,
        miss: 0.10,
    },
    Kind {
        label: "e-mail",
        keywords: &["mail"],
        group: 4,
        per_thousand: 400.0,
        arrivals: Arrivals::Always,
        miss: 0.10,
    },
    Kind {
        label: "brief",
        keywords: &["brief", "post", "letter"],
        group: 5,
        per_thousand: 120.0,
        arrivals: Arrivals::Staffed,
        miss: 0.10,
    },
    Kind {
        label: "klacht",
        keywords: &["klacht", "complaint"],
        group: 6,
        per_thousand: 3.0,
        arrivals: Arrivals::Always,
        miss: 0.08,
    },
    Kind {
        label: "bezwaar",
        keywords: &["bezwaar", "objection"],
        group: 7,
        per_thousand: 5.0,
        arrivals: Arrivals::Always,
        miss: 0.10,
    },
    Kind {
        label: "melding",
        keywords: &["melding"],
        group: 8,
        per_thousand: 150.0,
        arrivals: Arrivals::Always,
        miss: 0.10,
    },
    Kind {
        label: "aanvraag",
        keywords: &["aanvraag", "aanvragen", "vergunning"],
        group: 9,
        per_thousand: 80.0,
        arrivals: Arrivals::Always,
        miss: 0.06,
    },
];

/// Searches per 1,000 residents per year, for a ratio norm on searches.
pub(crate) const SEARCHES_PER_THOUSAND: f64 = 3000.0;
/// A case type that matches nothing in the table.
const OTHER_PER_THOUSAND: f64 = 50.0;

fn matches(text: &str) -> Vec<&'static Kind> {
    let mut found: Vec<&'static Kind> = Vec::new();
    for kind in KINDS {
        if found.iter().any(|k| k.group == kind.group) {
            continue;
        }
        if kind.keywords.iter().any(|w| text.contains(w)) {
            found.push(kind);
        }
    }
    found
}

/// The profile of one case type of `catalog`.
pub fn profile(catalog: &Catalog, case_type: &CaseType) -> Profile {
    for norm in catalog.norms_for(&case_type.id) {
        if let NormKind::Ratio { observation, .. } = &norm.kind {
            let probe = *observation == EventType::Probe;
            return Profile {
                kinds: vec![if probe { "controle" } else { "zoekopdracht" }],
                per_thousand: if probe { 0.0 } else { SEARCHES_PER_THOUSAND },
                arrivals: Arrivals::Daily,
                miss: 0.0,
            };
        }
    }
    let own = format!("{} {}", case_type.id, case_type.name).to_lowercase();
    let mut found = matches(&own);
    if found.is_empty() {
        // Only when the case type says nothing itself: its channel.
        if let Some(channel) = catalog.channel(&case_type.channel) {
            found = matches(&format!("{} {}", channel.id, channel.name).to_lowercase());
        }
    }
    // A contact on the phone or at the counter only happens while staff are there.
    let staffed_by_norms = catalog.norms_for(&case_type.id).any(|n| {
        matches!(
            &n.kind,
            NormKind::Limit(LimitMeasure::Duration { from, .. })
                if matches!(from, EventType::CallQueued | EventType::TicketIssued)
        )
    });
    if found.is_empty() {
        return Profile {
            kinds: vec!["overig"],
            per_thousand: OTHER_PER_THOUSAND,
            arrivals: if staffed_by_norms {
                Arrivals::Staffed
            } else {
                Arrivals::Always
            },
            miss: 0.10,
        };
    }
    let per_thousand: f64 = found.iter().map(|k| k.per_thousand).sum();
    let miss = found.iter().map(|k| k.miss * k.per_thousand).sum::<f64>() / per_thousand;
    let arrivals = if staffed_by_norms || found.iter().all(|k| k.arrivals == Arrivals::Staffed) {
        Arrivals::Staffed
    } else {
        Arrivals::Always
    };
    Profile {
        kinds: found.iter().map(|k| k.label).collect(),
        per_thousand,
        arrivals,
        miss,
    }
}
