//! Message texts in catalogs: checked with file, line and field, chosen
//! norm first, then catalog, then built in, and filled in exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use servicenorm_core::{
    catalog,
    messages::{Facts, Purpose},
};

const BUCH: &str = include_str!("../../../catalogs/buch.toml");
const HEEMSKERK: &str = include_str!("../../../catalogs/heemskerk.toml");

const HEAD: &str = r#"id = "x"
organisation = "Gemeente X"
valid_from = 2026-01-01

[[municipalities]]
id = "x"
name = "X"

[[channels]]
id = "email"
name = "E-mail"

[[case_types]]
id = "email"
name = "E-mail"
channel = "email"

[[norms]]
id = "ontvangst"
kind = "deadline"
case_type = "email"
text = "We bevestigen direct."
term = "15 minuten"
start = "received"
stop = "acknowledged"
streefwaarde = 0.9
"#;

fn problems(text: &str) -> String {
    catalog::parse(text, "x.toml").unwrap_err().to_string()
}

#[test]
fn an_unknown_placeholder_is_shown_at_its_line_and_column() {
    let text = format!(
        "{HEAD}\n[[norms]]\nid = \"antwoord\"\nkind = \"deadline\"\ncase_type = \"email\"\ntext = \"Antwoord.\"\nterm = \"2 werkdagen\"\ncalendar = \"gemeente\"\nstart = \"received\"\nstop = \"answered\"\n\n[messages.ontvangstbevestiging]\nsubject = \"Ontvangen\"\ntext = \"\"\"\nBeste {{naam}},\n\"\"\"\n"
    );
    let line = text.lines().position(|l| l.starts_with("Beste")).unwrap() + 1;
    let error = problems(&text);
    assert!(
        error.contains(&format!(
            "x.toml:{line}:7: messages.ontvangstbevestiging.text: onbekend invulveld {{naam}}"
        )),
        "{error}"
    );
}

#[test]
fn a_reason_belongs_only_in_the_extension_message() {
    let text =
        format!("{HEAD}\n[messages.tussenbericht]\nsubject = \"Later: {{reden}}\"\ntext = \"t\"\n");
    let error = problems(&text);
    assert!(
        error.contains("messages.tussenbericht.subject: {reden} kan niet in een tussenbericht"),
        "{error}"
    );
}

#[test]
fn a_norm_carries_texts_only_for_messages_it_sends() {
    let text = format!("{HEAD}\n[norms.messages.tussenbericht]\nsubject = \"s\"\ntext = \"t\"\n");
    let error = problems(&text);
    assert!(
        error.contains("norms.messages.tussenbericht: deze norm verstuurt geen tussenbericht"),
        "{error}"
    );
}

#[test]
fn a_receipt_that_names_a_date_needs_a_clock_to_take_it_from() {
    // The built-in receipt names {datum}; this case type has no answer clock.
    let error = problems(HEAD);
    assert!(
        error.contains("x.toml:19:6: norms.messages.ontvangstbevestiging: de ontvangstbevestiging noemt {datum}"),
        "{error}"
    );
    // With a text of its own without a date, the catalog is fine.
    let text = format!(
        "{HEAD}\n[norms.messages.ontvangstbevestiging]\nsubject = \"Ontvangen\"\ntext = \"We hebben uw {{onderwerp}} ontvangen.\"\n"
    );
    let parsed = catalog::parse(&text, "x.toml").unwrap();
    let norm = parsed.norm("ontvangst").unwrap();
    let template = parsed.message_template(norm, Purpose::Ontvangstbevestiging);
    assert_eq!(template.subject.source(), "Ontvangen");
}

#[test]
fn the_norm_text_wins_over_the_catalog_text_which_wins_over_the_builtin() {
    let buch = catalog::parse(BUCH, "buch.toml").unwrap();
    let aanvraag = buch.norm("aanvraag-informatie").unwrap();
    let email = buch.norm("email-ontvangstbevestiging").unwrap();
    let facts = Facts {
        zaaknummer: "BUCH-2026-17".into(),
        onderwerp: "aanvraag voor een product of dienst: Subsidie".into(),
        ontvangen: "maandag 27 april".into(),
        datum: Some("dinsdag 28 april".into()),
        termijn: Some("8 weken".into()),
        contactpersoon: buch.contact_person(aanvraag),
        gemeente: "Castricum".into(),
        reden: None,
    };
    let own = buch
        .message_template(aanvraag, Purpose::Ontvangstbevestiging)
        .fill(&facts);
    assert_eq!(
        own.subject,
        "We hebben uw aanvraag ontvangen (BUCH-2026-17)"
    );
    assert!(
        own.text
            .contains("U krijgt binnen 8 weken na ontvangst een besluit."),
        "{}",
        own.text
    );
    assert!(
        own.text
            .contains("Uw contactpersoon is het Klantcontactcentrum van de BUCH."),
        "{}",
        own.text
    );
    let catalogs = buch
        .message_template(email, Purpose::Ontvangstbevestiging)
        .fill(&facts);
    assert!(
        catalogs
            .text
            .contains("U krijgt uiterlijk dinsdag 28 april een inhoudelijk antwoord."),
        "{}",
        catalogs.text
    );

    let heemskerk = catalog::parse(HEEMSKERK, "heemskerk.toml").unwrap();
    let tussenbericht = heemskerk
        .norms
        .iter()
        .find(|n| n.kind.name() == "tussenbericht")
        .unwrap();
    let own = heemskerk.message_template(tussenbericht, Purpose::Tussenbericht);
    assert!(own.text.source().contains("binnen de termijn"));
    // Heemskerk writes no extension message: the built-in text is used.
    let builtin = heemskerk
        .message_template(tussenbericht, Purpose::AntwoordOnderweg)
        .fill(&Facts {
            reden: Some("we wachten op een advies".into()),
            ..facts
        });
    assert!(
        builtin.text.contains("De reden: we wachten op een advies."),
        "{}",
        builtin.text
    );
}
