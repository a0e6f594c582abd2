//! Every error message and warning the core can give, pinned as snapshots so
//! that wording changes are deliberate. Review them in tests/snapshots/.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use jiff::civil::date;
use servicenorm_core::{
    calendar::Calendar,
    terms::{Clock, Extension, ExtensionRule, Suspension, Term, dwangsom},
    time::{Resolve, parse_instant},
};

fn cases(list: &[(&str, String)]) -> String {
    list.iter()
        .map(|(case, message)| format!("## {case}\n{message}\n"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn term_error(text: &str) -> String {
    match text.parse::<Term>() {
        Ok(term) => panic!("\"{text}\" parsed as {term}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn term_expression_errors() {
    let inputs = [
        "",
        "2 weeken",
        "twintig werkdagen",
        "2",
        "2 weken (wettelijk",
        "2 weken (wettelijk) later",
        "2 weken (spoed)",
        "2 kantooruren (wettelijk)",
        "6 weken (wettelijk) (naar werkdag)",
        "2 weken (tot sluitingstijd)",
        "2 werkdagen na ontvangst",
        "3 weken (naar werkdag) (wettelijk)",
    ];
    let list: Vec<(&str, String)> = inputs.iter().map(|i| (*i, term_error(i))).collect();
    insta::assert_snapshot!("term_expression_errors", cases(&list));
}

#[test]
fn instant_errors() {
    let list: Vec<(&str, String)> = [
        "gisteren",
        "2026-13-01T10:00:00+01:00",
        "2026-03-29T02:30",
        "2026-10-25T02:30",
    ]
    .iter()
    .map(|i| {
        (
            *i,
            parse_instant(i, Resolve::Reject).unwrap_err().to_string(),
        )
    })
    .collect();
    let resolve = "soms".parse::<Resolve>().unwrap_err();
    let mut list = list;
    list.push(("--resolve soms", resolve));
    insta::assert_snapshot!("instant_errors", cases(&list));
}

#[test]
fn term_errors() {
    let gemeente = Calendar::gemeente().unwrap();
    let term: Term = "2 werkdagen".parse().unwrap();
    let old = parse_instant("1985-06-01T10:00:00+02:00", Resolve::Reject).unwrap();
    let at = |s: &str| parse_instant(s, Resolve::Reject).unwrap();
    let empty_pause = Clock {
        suspensions: vec![Suspension {
            from: at("2026-02-10T12:00:00+01:00"),
            until: at("2026-02-10T12:00:00+01:00"),
        }],
        ..Clock::default()
    };
    let bad_extension = Clock {
        extensions: vec![Extension {
            term: "eerstvolgende werkdag 12:00".parse().unwrap(),
            announced: None,
        }],
        ..Clock::default()
    };
    let statutory: Term = "6 weken (wettelijk)".parse().unwrap();
    let working_days_extension = Clock {
        extensions: vec![Extension {
            term: "2 werkdagen".parse().unwrap(),
            announced: None,
        }],
        ..Clock::default()
    };
    let start = at("2026-02-02T10:00:00+01:00");
    let list = vec![
        (
            "start in 1985",
            term.deadline(old, gemeente).unwrap_err().to_string(),
        ),
        (
            "empty pause",
            term.explain(start, &empty_pause, gemeente)
                .unwrap_err()
                .to_string(),
        ),
        (
            "extension to a time of day",
            term.explain(start, &bad_extension, gemeente)
                .unwrap_err()
                .to_string(),
        ),
        (
            "statutory term extended in working days",
            statutory
                .explain(start, &working_days_extension, gemeente)
                .unwrap_err()
                .to_string(),
        ),
        (
            "premature notice of default",
            dwangsom(date(2026, 3, 30), date(2026, 3, 27))
                .unwrap_err()
                .to_string(),
        ),
        (
            "unknown calendar",
            Calendar::builtin("heemskerk").unwrap_err().to_string(),
        ),
    ];
    insta::assert_snapshot!("term_errors", cases(&list));
}

#[test]
fn warnings() {
    let atw = Calendar::atw().unwrap();
    let gemeente = Calendar::gemeente().unwrap();
    let at = |s: &str| parse_instant(s, Resolve::Reject).unwrap();
    let objection: Term = "6 weken (wettelijk)".parse().unwrap();
    let extended = |rule, announced| Clock {
        extensions: vec![Extension {
            term: "8 weken".parse().unwrap(),
            announced,
        }],
        extension_rule: rule,
        ..Clock::default()
    };
    let start = at("2026-04-23T10:00:00+02:00");
    let mut list = Vec::new();
    let mut add = |case: &'static str, result: servicenorm_core::terms::Deadline| {
        let text = result
            .warnings
            .iter()
            .map(|w| w.text.clone())
            .collect::<Vec<_>>()
            .join("\n");
        list.push((case, text));
    };
    add(
        "decree unknown",
        objection
            .explain(at("2029-03-01T10:00:00+01:00"), &Clock::default(), atw)
            .unwrap(),
    );
    add(
        "statutory term on the gemeente calendar",
        objection
            .explain(start, &Clock::default(), gemeente)
            .unwrap(),
    );
    add(
        "extension forbidden",
        objection
            .explain(start, &extended(ExtensionRule::Forbidden, None), atw)
            .unwrap(),
    );
    add(
        "extension above maximum",
        objection
            .explain(
                start,
                &extended(
                    ExtensionRule::UpTo {
                        max: "6 weken".parse().unwrap(),
                    },
                    None,
                ),
                atw,
            )
            .unwrap(),
    );
    let woo: Term = "4 weken (wettelijk)".parse().unwrap();
    let sixteen_days = Clock {
        extensions: vec![Extension {
            term: "16 dagen".parse().unwrap(),
            announced: None,
        }],
        extension_rule: ExtensionRule::UpTo {
            max: "2 weken".parse().unwrap(),
        },
        ..Clock::default()
    };
    add(
        "extension above maximum that the Atw hides",
        woo.explain(at("2026-04-02T10:00:00+02:00"), &sixteen_days, atw)
            .unwrap(),
    );
    add(
        "extension announced too late",
        objection
            .explain(
                start,
                &extended(
                    ExtensionRule::Unlimited,
                    Some(at("2026-06-05T09:00:00+02:00")),
                ),
                atw,
            )
            .unwrap(),
    );
    insta::assert_snapshot!("warnings", cases(&list));
}

#[test]
fn calendar_definition_errors() {
    let syntax = Calendar::from_toml("id = \"x\"\nbased_on = \n", "kapot.toml")
        .unwrap_err()
        .to_string();
    let missing = Calendar::from_toml("id = \"x\"\n", "leeg.toml")
        .unwrap_err()
        .to_string();
    let unknown_field = Calendar::from_toml(
        "id = \"x\"\nbased_on = \"atw\"\nkleur = \"blauw\"\n",
        "veld.toml",
    )
    .unwrap_err()
    .to_string();
    let all_at_once = Calendar::from_toml(
        r#"id = "Heemskerk!"
based_on = "provincie"

[office_hours]
monday = ["08:30-12:30", "12:00-17:00"]
tuesday = "8:30 tot 17:00"
wednesday = "17:00-08:30"
saturday = "09:00-12:00"

[[closing_days]]
date = "2026-02-30"
name = "Carnaval"

[[closing_days]]
date = 2026-05-15
name = ""

[[closing_days]]
date = "2026-05-15"
name = "Nogmaals"

[[closing_days]]
date = 2026-05-16
name = "Zaterdag"

[[closing_days]]
date = 1985-01-02
name = "Te vroeg"

[[office_hours_exceptions]]
date = 2026-12-25
hours = "08:30-12:00"

[[office_hours_exceptions]]
date = 2026-12-24
hours = ["08:30-16:00", "15:00-17:00"]
"#,
        "heemskerk.toml",
    )
    .unwrap_err()
    .to_string();
    // With a base calendar known, office hours on a holiday are a problem too
    // (above, the unknown base hides that check).
    let hours_on_a_holiday = Calendar::from_toml(
        "id = \"x\"\nbased_on = \"gemeente\"\n\n[[office_hours_exceptions]]\ndate = 2026-12-25\nhours = \"08:30-12:00\"\n",
        "kerst.toml",
    )
    .unwrap_err()
    .to_string();
    let list = vec![
        ("not TOML", syntax),
        ("missing field", missing),
        ("unknown field", unknown_field),
        ("every problem in one file", all_at_once),
        ("office hours on a holiday", hours_on_a_holiday),
    ];
    insta::assert_snapshot!("calendar_definition_errors", cases(&list));
}
