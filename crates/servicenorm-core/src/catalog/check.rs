//! From TOML to a checked [`Catalog`]: every problem at once, each with file,
//! line, column and field.

use std::{collections::HashSet, ops::Range};

use toml::Spanned;

use super::{
    model::{
        CaseType, Catalog, CatalogVersions, Channel, Comparison, ConditionKey, Conditions,
        DeadlineNorm, LimitMeasure, Messages, Municipality, Norm, NormKind, Product, Qualifies,
        StartAfter, Team, TermSource, Variant,
    },
    raw::{OneOrMany, RawCatalog, RawMessages, RawNorm, RawStartAfter},
};
use crate::messages::{MessageTemplate, Placeholder, Purpose, Template, default_template};
use crate::{
    calendar::{
        Calendar,
        definition::{check_date, check_raw, is_identifier},
    },
    diagnostics::{Checker, DefinitionError, toml_problem},
    events::{AttributeKey, EventType, Value, ValueType},
    terms::{Counting, ExtensionRule, Term},
};

/// Reads and checks one catalog version.
pub fn parse(text: &str, origin: &str) -> Result<Catalog, DefinitionError> {
    parse_with_place(text, origin).map(|(catalog, _)| catalog)
}

/// Reads and checks several versions of one organisation's catalog: all
/// files' problems at once, and two versions with the same `valid_from`.
pub fn parse_versions(files: &[(&str, &str)]) -> Result<CatalogVersions, DefinitionError> {
    let mut problems = Vec::new();
    let mut catalogs: Vec<(Catalog, &str, &str, Range<usize>)> = Vec::new();
    for (text, origin) in files {
        match parse_with_place(text, origin) {
            Ok((catalog, span)) => catalogs.push((catalog, text, origin, span)),
            Err(e) => problems.extend(e.problems),
        }
    }
    for i in 0..catalogs.len() {
        for j in 0..i {
            let (earlier, later) = (&catalogs[j], &catalogs[i]);
            let mut check = Checker::new(later.1, later.2);
            if earlier.0.id != later.0.id {
                check.report(
                    0..0,
                    "id",
                    format!(
                        "dit bestand is catalogus \"{}\", maar {} is catalogus \"{}\": geef versies van één catalogus",
                        later.0.id, earlier.2, earlier.0.id
                    ),
                );
            } else if earlier.0.valid_from == later.0.valid_from {
                check.report(
                    later.3.clone(),
                    "valid_from",
                    format!(
                        "twee versies gaan in op {}: deze en {}; geef elke versie een eigen datum",
                        later.0.valid_from, earlier.2
                    ),
                );
            }
            problems.extend(check.problems);
        }
    }
    if problems.is_empty() {
        Ok(CatalogVersions::new(
            catalogs.into_iter().map(|c| c.0).collect(),
        ))
    } else {
        Err(DefinitionError { problems })
    }
}

fn parse_with_place(text: &str, origin: &str) -> Result<(Catalog, Range<usize>), DefinitionError> {
    let raw: RawCatalog = toml::from_str(text).map_err(|e| toml_problem(text, origin, &e))?;
    let mut check = Checker::new(text, origin);
    let catalog = build(&raw, &mut check);
    check.finish(catalog).map(|c| (c, raw.valid_from.span()))
}

fn identifier(
    check: &mut Checker<'_>,
    id: &Spanned<String>,
    field: &str,
    seen: &mut HashSet<String>,
) -> String {
    let value = id.get_ref().trim().to_string();
    if !is_identifier(&value) {
        check.report(
            id.span(),
            field,
            format!("\"{value}\": gebruik alleen kleine letters, cijfers, - en _"),
        );
    } else if !seen.insert(value.clone()) {
        check.report(id.span(), field, format!("\"{value}\" staat er twee keer"));
    }
    value
}

/// A term, with the column pointing at the word that could not be read.
fn term(check: &mut Checker<'_>, text: &Spanned<String>, field: &str) -> Option<Term> {
    match text.get_ref().parse::<Term>() {
        Ok(term) => Some(term),
        Err(e) => {
            // +1 for the opening quote of the TOML string.
            let at = text.span().start + 1 + e.span().start;
            check.report(
                at..at,
                field,
                format!(
                    "termijn \"{}\" is niet te lezen: {}; bekende vormen: {}",
                    text.get_ref(),
                    e.problem(),
                    crate::terms::parse::ACCEPTED_FORMS
                ),
            );
            None
        }
    }
}

fn event(
    check: &mut Checker<'_>,
    text: &str,
    span: Range<usize>,
    field: &str,
) -> Option<EventType> {
    text.parse::<EventType>()
        .map_err(|e| check.report(span, field, e.to_string()))
        .ok()
}

fn events(check: &mut Checker<'_>, value: &Spanned<OneOrMany>, field: &str) -> Vec<EventType> {
    let items = value.get_ref().items();
    if items.is_empty() {
        check.report(value.span(), field, "noem minstens één gebeurtenis");
    }
    items
        .into_iter()
        .filter_map(|item| event(check, item, value.span(), field))
        .collect()
}

fn share(
    check: &mut Checker<'_>,
    value: &Spanned<f64>,
    field: &str,
    allow_one: bool,
) -> Option<f64> {
    let v = *value.get_ref();
    let ok = v > 0.0 && (v < 1.0 || (allow_one && v == 1.0));
    if !ok {
        let range = if allow_one {
            "groter dan 0 en hoogstens 1"
        } else {
            "tussen 0 en 1"
        };
        check.report(
            value.span(),
            field,
            format!("{v} moet {range} zijn (0,9 = 90%)"),
        );
    }
    ok.then_some(v)
}

fn extension_rule(
    check: &mut Checker<'_>,
    max: &Option<Spanned<String>>,
    forbidden: bool,
    field: &str,
) -> ExtensionRule {
    match (max, forbidden) {
        (Some(max), true) => {
            check.report(
                max.span(),
                field,
                "een maximum voor verlenging past niet bij een norm die verlengen uitsluit",
            );
            ExtensionRule::Forbidden
        }
        (Some(max), false) => term(check, max, field)
            .map(|max| ExtensionRule::UpTo { max })
            .unwrap_or(ExtensionRule::Unlimited),
        (None, true) => ExtensionRule::Forbidden,
        (None, false) => ExtensionRule::Unlimited,
    }
}

fn build(raw: &RawCatalog, check: &mut Checker<'_>) -> Option<Catalog> {
    let id = identifier(check, &raw.id, "id", &mut HashSet::new());
    if raw.organisation.get_ref().trim().is_empty() {
        check.report(
            raw.organisation.span(),
            "organisation",
            "geef de naam van de organisatie",
        );
    }
    let valid_from = check_date(check, &raw.valid_from, "valid_from");

    let mut seen = HashSet::new();
    let municipalities: Vec<Municipality> = raw
        .municipalities
        .iter()
        .map(|m| Municipality {
            id: identifier(check, &m.id, "municipalities.id", &mut seen),
            name: m.name.clone(),
            residents: m.residents,
        })
        .collect();
    if municipalities.is_empty() {
        check.report(
            0..0,
            "municipalities",
            "noem minstens één gemeente ([[municipalities]])",
        );
    }
    let mut seen = HashSet::new();
    let teams: Vec<Team> = raw
        .teams
        .iter()
        .map(|t| Team {
            id: identifier(check, &t.id, "teams.id", &mut seen),
            name: t.name.clone(),
        })
        .collect();
    let mut seen = HashSet::new();
    let channels: Vec<Channel> = raw
        .channels
        .iter()
        .map(|c| Channel {
            id: identifier(check, &c.id, "channels.id", &mut seen),
            name: c.name.clone(),
        })
        .collect();

    let mut calendars = Vec::new();
    let mut seen = HashSet::new();
    for calendar in &raw.calendars {
        let cal_id = identifier(check, &calendar.id, "calendars.id", &mut seen);
        if Calendar::builtin(&cal_id).is_ok() {
            check.report(
                calendar.id.span(),
                "calendars.id",
                format!("\"{cal_id}\" is al een ingebouwde kalender: kies een andere naam"),
            );
            continue;
        }
        if let Some(spec) = check_raw(calendar, check, "calendars.") {
            match Calendar::new(spec) {
                Ok(built) => calendars.push(built),
                Err(e) => check.report(calendar.id.span(), "calendars", e.to_string()),
            }
        }
    }
    let calendar_known =
        |id: &str| calendars.iter().any(|c| c.id() == id) || Calendar::builtin(id).is_ok();

    let mut case_types = Vec::new();
    let mut seen = HashSet::new();
    for raw_type in &raw.case_types {
        let type_id = identifier(check, &raw_type.id, "case_types.id", &mut seen);
        let channel = raw_type.channel.get_ref().clone();
        if !channels.iter().any(|c| c.id == channel) {
            check.report(
                raw_type.channel.span(),
                "case_types.channel",
                unknown(
                    "onbekend kanaal",
                    &channel,
                    channels.iter().map(|c| c.id.as_str()),
                ),
            );
        }
        let team = raw_type.team.as_ref().map(|t| {
            if !teams.iter().any(|x| x.id == *t.get_ref()) {
                check.report(
                    t.span(),
                    "case_types.team",
                    unknown(
                        "onbekend team",
                        t.get_ref(),
                        teams.iter().map(|x| x.id.as_str()),
                    ),
                );
            }
            t.get_ref().clone()
        });
        let mut attributes = Vec::new();
        for attribute in &raw_type.attributes {
            match attribute.get_ref().parse::<AttributeKey>() {
                Ok(key) if key.describes_case() => attributes.push(key),
                Ok(key) => check.report(
                    attribute.span(),
                    "case_types.attributes",
                    format!("\"{key}\" hoort bij één gebeurtenis, niet bij de hele zaak"),
                ),
                Err(e) => check.report(attribute.span(), "case_types.attributes", e),
            }
        }
        let mut products = Vec::new();
        let mut seen_products = HashSet::new();
        for product in &raw_type.products {
            let product_id = identifier(
                check,
                &product.id,
                "case_types.products.id",
                &mut seen_products,
            );
            let product_term = term(check, &product.term, "case_types.products.term");
            let extension = extension_rule(
                check,
                &product.extension_max,
                product.extension_forbidden,
                "case_types.products.extension_max",
            );
            if let Some(product_term) = product_term {
                products.push(Product {
                    id: product_id,
                    name: product.name.clone(),
                    term: product_term,
                    extension,
                });
            }
        }
        if !raw_type.products.is_empty() && !attributes.contains(&AttributeKey::Product) {
            attributes.push(AttributeKey::Product);
        }
        case_types.push(CaseType {
            id: type_id,
            name: raw_type.name.clone(),
            channel,
            team,
            attributes,
            products,
        });
    }

    let mut norms = Vec::new();
    let mut seen = HashSet::new();
    // Where each built norm's `of` stands; a norm that failed to build has no entry.
    let mut of_spans = Vec::new();
    for raw_norm in &raw.norms {
        let norm_id = identifier(check, &raw_norm.id, "norms.id", &mut seen);
        if let Some(norm) = norm(
            check,
            raw_norm,
            norm_id,
            &channels,
            &case_types,
            &calendar_known,
        ) {
            if let Some(of) = &raw_norm.of {
                of_spans.push((norms.len(), of.span()));
            }
            let mut norm = norm;
            norm.messages = messages(
                check,
                raw_norm.messages.as_ref(),
                "norms.messages",
                Purpose::of_norm(&norm),
            );
            norms.push(norm);
        }
    }
    // Tussenbericht norms name deadline norms: check once all are known.
    for (index, span) in of_spans {
        if let NormKind::Tussenbericht { of, .. } = &norms[index].kind {
            for target in of {
                match norms.iter().find(|n| *n.id == **target) {
                    Some(Norm { kind: NormKind::Deadline(_), .. }) => {}
                    Some(other) => check.report(
                        span.clone(),
                        "norms.of",
                        format!("norm \"{target}\" is van soort {}: een tussenbericht hoort bij een termijn (deadline)", other.kind.name()),
                    ),
                    // A norm that exists but has its own problems is already reported.
                    None if raw.norms.iter().any(|r| r.id.get_ref() == &**target) => {}
                    None => check.report(span.clone(), "norms.of", unknown("onbekende norm", target, norms.iter().map(|n| &*n.id))),
                }
            }
        }
    }

    let catalog_messages = messages(check, raw.messages.as_ref(), "messages", &Purpose::ALL);
    check_receipt_dates(check, raw, &norms, &case_types, &catalog_messages);

    let mut catalog = Catalog {
        name: raw
            .name
            .clone()
            .unwrap_or_else(|| raw.organisation.get_ref().clone()),
        id,
        organisation: raw.organisation.get_ref().clone(),
        valid_from: valid_from?,
        source: raw.source.clone(),
        introduction: raw.introduction.clone(),
        municipalities,
        teams,
        calendars,
        channels,
        case_types,
        norms,
        messages: catalog_messages,
        norms_by_case_type: Default::default(),
    };
    catalog.index_norms();
    Some(catalog)
}

/// `what` carries its own adjective: "onbekend team", "onbekende norm".
fn unknown<'a>(what: &str, value: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    if known.is_empty() {
        format!("{what} \"{value}\": er zijn er nog geen gedefinieerd")
    } else {
        format!("{what} \"{value}\"; bekend zijn: {}", known.join(", "))
    }
}

fn needs_calendar(term: &Term) -> bool {
    !matches!(
        term,
        Term::Elapsed { .. }
            | Term::Period {
                counting: Counting::Statutory,
                ..
            }
    )
}

/// The fields a norm of each kind may have, for "this field does not belong here".
fn stray_fields(raw: &RawNorm, kind: &str) -> Vec<(&'static str, Range<usize>)> {
    let mut stray = Vec::new();
    let mut add = |name: &'static str, span: Option<Range<usize>>, allowed: &[&str]| {
        if let Some(span) = span
            && !allowed.contains(&kind)
        {
            stray.push((name, span));
        }
    };
    add("term", raw.term.as_ref().map(Spanned::span), &["deadline"]);
    add(
        "start_after",
        raw.start_after.as_ref().map(Spanned::span),
        &["deadline"],
    );
    add(
        "start",
        raw.start.as_ref().map(Spanned::span),
        &["deadline"],
    );
    add("stop", raw.stop.as_ref().map(Spanned::span), &["deadline"]);
    add(
        "calendar",
        raw.calendar.as_ref().map(Spanned::span),
        &["deadline"],
    );
    add(
        "measure",
        raw.measure.as_ref().map(Spanned::span),
        &["limit"],
    );
    add("limit", raw.limit.as_ref().map(Spanned::span), &["limit"]);
    add(
        "observation",
        raw.observation.as_ref().map(Spanned::span),
        &["ratio"],
    );
    add(
        "qualifies",
        raw.qualifies.as_ref().map(Spanned::span),
        &["ratio"],
    );
    add("of", raw.of.as_ref().map(Spanned::span), &["tussenbericht"]);
    add(
        "streefwaarde",
        raw.streefwaarde.as_ref().map(Spanned::span),
        &["deadline", "limit", "ratio", "tussenbericht"],
    );
    stray
}

fn norm(
    check: &mut Checker<'_>,
    raw: &RawNorm,
    id: String,
    channels: &[Channel],
    case_types: &[CaseType],
    calendar_known: &dyn Fn(&str) -> bool,
) -> Option<Norm> {
    let kind_name = raw.kind.get_ref().as_str();
    const KINDS: [&str; 5] = ["deadline", "limit", "ratio", "tussenbericht", "promise"];
    if !KINDS.contains(&kind_name) {
        check.report(
            raw.kind.span(),
            "norms.kind",
            format!("onbekende soort \"{kind_name}\"; kies {}", KINDS.join(", ")),
        );
        return None;
    }
    for (field, span) in stray_fields(raw, kind_name) {
        check.report(
            span,
            &format!("norms.{field}"),
            format!("hoort niet bij een norm van soort {kind_name}"),
        );
    }
    if raw.text.get_ref().trim().is_empty() {
        check.report(
            raw.text.span(),
            "norms.text",
            "geef de tekst van de belofte, in de woorden van de gemeente",
        );
    }
    let case_type = match &raw.case_type {
        Some(ct) => match case_types.iter().find(|c| c.id == *ct.get_ref()) {
            Some(found) => Some(found),
            None => {
                check.report(
                    ct.span(),
                    "norms.case_type",
                    unknown(
                        "zaaktype",
                        ct.get_ref(),
                        case_types.iter().map(|c| c.id.as_str()),
                    ),
                );
                return None;
            }
        },
        None if kind_name == "promise" => None,
        None => {
            check.report(
                raw.id.span(),
                "norms.case_type",
                "een gemeten norm hoort bij een zaaktype (case_type)",
            );
            return None;
        }
    };
    let channel = match (&raw.channel, case_type) {
        (Some(channel), _) => {
            if !channels.iter().any(|c| c.id == *channel.get_ref()) {
                check.report(
                    channel.span(),
                    "norms.channel",
                    unknown(
                        "kanaal",
                        channel.get_ref(),
                        channels.iter().map(|c| c.id.as_str()),
                    ),
                );
            }
            channel.get_ref().clone()
        }
        (None, Some(case_type)) => case_type.channel.clone(),
        (None, None) => {
            check.report(
                raw.id.span(),
                "norms.channel",
                "geef het kanaal (channel) of het zaaktype (case_type)",
            );
            return None;
        }
    };
    let calendar = raw.calendar.as_ref().map(|c| {
        if !calendar_known(c.get_ref()) {
            check.report(c.span(), "norms.calendar", format!("onbekende kalender \"{}\": definieer hem onder [[calendars]] of kies atw of gemeente", c.get_ref()));
        }
        c.get_ref().clone()
    });
    let when = raw
        .when
        .as_ref()
        .map(|w| conditions(check, w, case_type, calendar.is_some(), "norms.when"))
        .unwrap_or_default();
    let streefwaarde = raw
        .streefwaarde
        .as_ref()
        .and_then(|s| share(check, s, "norms.streefwaarde", true));
    if kind_name != "promise" && raw.streefwaarde.is_none() {
        check.report(
            raw.id.span(),
            "norms.streefwaarde",
            "een gemeten norm heeft een streefwaarde, zoals 0.9 (90%)",
        );
    }

    let kind = match kind_name {
        "deadline" => NormKind::Deadline(deadline(check, raw, case_type, calendar)?),
        "limit" => NormKind::Limit(limit(check, raw, case_type)?),
        "ratio" => {
            let observation = required(
                check,
                &raw.observation,
                raw,
                "observation",
                "de gebeurtenis die telt, zoals \"search\"",
            )?;
            let observation = event(
                check,
                observation.get_ref(),
                observation.span(),
                "norms.observation",
            )?;
            let qualifies = required(
                check,
                &raw.qualifies,
                raw,
                "qualifies",
                "wanneer een waarneming telt, zoals \"results >= 1\"",
            )?;
            let qualifies = qualifies_rule(check, qualifies)?;
            NormKind::Ratio {
                observation,
                qualifies,
            }
        }
        "tussenbericht" => {
            let of = required(
                check,
                &raw.of,
                raw,
                "of",
                "de termijn(en) waar het tussenbericht bij hoort",
            )?;
            let event_type = match &raw.event {
                Some(e) => event(check, e.get_ref(), e.span(), "norms.event")?,
                None => EventType::TussenberichtSent,
            };
            NormKind::Tussenbericht {
                of: of
                    .get_ref()
                    .items()
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
                event: event_type,
            }
        }
        _ => NormKind::Promise,
    };
    Some(Norm {
        id: id.into(),
        channel,
        case_type: case_type.map(|c| c.id.clone()),
        text: raw.text.get_ref().trim().to_string(),
        source: raw.source.clone(),
        kind,
        when,
        streefwaarde,
        example: raw.example.clone(),
        messages: Messages::default(),
    })
}

/// Message texts: each placeholder known and fitting its purpose, and only
/// for purposes the norm (or, for the catalog, any norm) sends.
fn messages(
    check: &mut Checker<'_>,
    raw: Option<&RawMessages>,
    field: &str,
    allowed: &[Purpose],
) -> Messages {
    let Some(raw) = raw else {
        return Messages::default();
    };
    let mut out = Messages {
        contact_person: raw
            .contact_person
            .as_ref()
            .map(|c| c.get_ref().trim().to_string()),
        templates: Vec::new(),
    };
    let given = [
        (Purpose::Ontvangstbevestiging, &raw.ontvangstbevestiging),
        (Purpose::Tussenbericht, &raw.tussenbericht),
        (Purpose::AntwoordOnderweg, &raw.antwoord_onderweg),
    ];
    for (purpose, template) in given {
        let Some(template) = template else { continue };
        let field = format!("{field}.{purpose}");
        if !allowed.contains(&purpose) {
            check.report(
                template.subject.span(),
                &field,
                format!(
                    "deze norm verstuurt geen {}; een norm met stop = \"acknowledged\" verstuurt een ontvangstbevestiging, een norm van soort tussenbericht een tussenbericht of antwoord_onderweg",
                    purpose.dutch()
                ),
            );
            continue;
        }
        let subject = message_text(
            check,
            &template.subject,
            &format!("{field}.subject"),
            purpose,
        );
        let text = message_text(check, &template.text, &format!("{field}.text"), purpose);
        if let (Some(subject), Some(text)) = (subject, text) {
            out.templates
                .push((purpose, MessageTemplate { subject, text }));
        }
    }
    out
}

/// One template, with problems pointed at the place in the string.
fn message_text(
    check: &mut Checker<'_>,
    raw: &Spanned<String>,
    field: &str,
    purpose: Purpose,
) -> Option<Template> {
    let start = string_content_start(check.text, raw.span());
    match Template::parse(raw.get_ref()) {
        Ok(template) => {
            for placeholder in template.placeholders() {
                if !placeholder.fits(purpose) {
                    let at = start + template.offset_of(placeholder);
                    check.report(
                        at..at,
                        field,
                        format!(
                            "{{{}}} kan niet in een {}: alleen het bericht dat het antwoord later komt heeft een reden",
                            placeholder.name(),
                            purpose.dutch()
                        ),
                    );
                }
            }
            Some(template)
        }
        Err(e) => {
            let at = start + e.offset;
            check.report(at..at, field, e.problem);
            None
        }
    }
}

/// Where the text of a TOML string starts, after its quotes (and the line
/// break that directly follows `"""`, which TOML drops).
fn string_content_start(text: &str, span: Range<usize>) -> usize {
    let literal = text.get(span.clone()).unwrap_or("");
    if literal.starts_with("\"\"\"") || literal.starts_with("'''") {
        let after = &literal[3..];
        let newline = if after.starts_with("\r\n") {
            2
        } else {
            usize::from(after.starts_with('\n'))
        };
        span.start + 3 + newline
    } else {
        span.start + 1
    }
}

/// An ontvangstbevestiging that names `{datum}` needs a clock to take the
/// date from: another deadline of the same case type; one that names
/// `{termijn}` needs that or the products' legal terms.
fn check_receipt_dates(
    check: &mut Checker<'_>,
    raw: &RawCatalog,
    norms: &[Norm],
    case_types: &[CaseType],
    catalog: &Messages,
) {
    for norm in norms {
        if !Purpose::of_norm(norm).contains(&Purpose::Ontvangstbevestiging) {
            continue;
        }
        let template = norm
            .messages
            .template(Purpose::Ontvangstbevestiging)
            .or_else(|| catalog.template(Purpose::Ontvangstbevestiging))
            .cloned()
            .unwrap_or_else(|| default_template(Purpose::Ontvangstbevestiging));
        let names = |wanted: Placeholder| {
            template
                .subject
                .placeholders()
                .chain(template.text.placeholders())
                .any(|p| p == wanted)
        };
        let has_answer = norms.iter().any(|other| {
            other.id != norm.id
                && other.case_type == norm.case_type
                && matches!(&other.kind, NormKind::Deadline(d) if !d.stop.contains(&EventType::Acknowledged))
        });
        let has_products = case_types
            .iter()
            .any(|c| Some(&c.id) == norm.case_type.as_ref() && !c.products.is_empty());
        let missing = if names(Placeholder::Datum) && !has_answer {
            Some("{datum}")
        } else if names(Placeholder::Termijn) && !has_answer && !has_products {
            Some("{termijn}")
        } else {
            None
        };
        if let Some(missing) = missing {
            let span = raw
                .norms
                .iter()
                .find(|r| r.id.get_ref().trim() == &*norm.id)
                .map_or(0..0, |r| r.id.span());
            check.report(
                span,
                "norms.messages.ontvangstbevestiging",
                format!(
                    "de ontvangstbevestiging noemt {missing}, maar zaaktype \"{}\" heeft geen andere termijn om dat uit te halen; geef deze norm een eigen tekst zonder {missing}",
                    norm.case_type.as_deref().unwrap_or("")
                ),
            );
        }
    }
}

fn required<'a, T>(
    check: &mut Checker<'_>,
    value: &'a Option<Spanned<T>>,
    raw: &RawNorm,
    field: &str,
    what: &str,
) -> Option<&'a Spanned<T>> {
    if value.is_none() {
        check.report(
            raw.id.span(),
            &format!("norms.{field}"),
            format!("ontbreekt: {what}"),
        );
    }
    value.as_ref()
}

fn deadline(
    check: &mut Checker<'_>,
    raw: &RawNorm,
    case_type: Option<&CaseType>,
    calendar: Option<String>,
) -> Option<DeadlineNorm> {
    let term_text = required(
        check,
        &raw.term,
        raw,
        "term",
        "de termijn, zoals \"2 werkdagen\" of \"product\"",
    )?;
    let main_term = term_source(check, term_text, case_type, "norms.term");
    let mut variants = Vec::new();
    let mut unconditional_seen = false;
    let mut seen_conditions: Vec<Conditions> = Vec::new();
    for variant in &raw.variants {
        let when = conditions(
            check,
            &variant.when,
            case_type,
            calendar.is_some(),
            "norms.variants.when",
        );
        let variant_term = term_source(check, &variant.term, case_type, "norms.variants.term");
        if unconditional_seen || seen_conditions.contains(&when) {
            check.report(
                variant.when.span(),
                "norms.variants.when",
                "deze variant kan nooit gelden: een eerdere variant vangt dezelfde zaken al af",
            );
        }
        unconditional_seen |= when.is_empty();
        seen_conditions.push(when.clone());
        if let Some(term) = variant_term {
            variants.push(Variant { when, term });
        }
    }
    let mut terms: Vec<Term> = Vec::new();
    for source in main_term.iter().chain(variants.iter().map(|v| &v.term)) {
        match source {
            TermSource::Fixed(t) => terms.push(*t),
            TermSource::Product => terms.extend(
                case_type
                    .map(|c| c.products.iter().map(|p| p.term))
                    .into_iter()
                    .flatten(),
            ),
        }
    }
    if main_term.is_none() {
        // An unreadable term may still need a calendar: judge by its words.
        let words = raw
            .term
            .as_ref()
            .map(|t| t.get_ref().to_lowercase())
            .unwrap_or_default();
        if ["werkdag", "kantoor", "dag", "week", "maand"]
            .iter()
            .any(|w| words.contains(w))
            && !words.contains("wettelijk")
        {
            terms.push(Term::WorkingDays {
                days: 1,
                day_end: crate::terms::DayEnd::EndOfDay,
                after_hours_rollover: false,
            });
        }
    }
    let uses_weekend = variants
        .iter()
        .any(|v| v.when.0.iter().any(|(k, _)| *k == ConditionKey::Weekend));
    if calendar.is_none() && (terms.iter().any(needs_calendar) || uses_weekend) {
        check.report(
            raw.term.as_ref().map_or(raw.id.span(), Spanned::span),
            "norms.calendar",
            "deze termijn telt met werkdagen, kantooruren of dagen: geef een kalender (calendar)",
        );
    }
    let start = required(
        check,
        &raw.start,
        raw,
        "start",
        "de gebeurtenis waarmee de klok start",
    )
    .map(|start| events(check, start, "norms.start"));
    let stop = required(
        check,
        &raw.stop,
        raw,
        "stop",
        "de gebeurtenis waarmee de klok stopt",
    )
    .map(|stop| events(check, stop, "norms.stop"));
    let single = |check: &mut Checker<'_>,
                  value: &Option<Spanned<String>>,
                  field: &str,
                  default: EventType| match value {
        Some(v) => event(check, v.get_ref(), v.span(), field),
        None => Some(default),
    };
    let pause = single(check, &raw.pause, "norms.pause", EventType::Suspended)?;
    let resume = single(check, &raw.resume, "norms.resume", EventType::Resumed)?;
    let extension_event = single(
        check,
        &raw.extension_event,
        "norms.extension_event",
        EventType::Extended,
    )?;
    let extension = extension_rule(
        check,
        &raw.extension_max,
        raw.extension_forbidden,
        "norms.extension_max",
    );
    let at_risk = match &raw.at_risk {
        Some(value) => share(check, value, "norms.at_risk", false)?,
        None => 0.75,
    };
    let (term, start, stop) = (main_term?, start?, stop?);
    for event in &stop {
        if start.contains(event) {
            check.report(
                raw.stop.as_ref().map_or(raw.id.span(), Spanned::span),
                "norms.stop",
                format!("\"{event}\" kan niet zowel de klok starten als stoppen"),
            );
        }
    }
    let start_after = raw
        .start_after
        .as_ref()
        .and_then(|value| start_after(check, value, case_type));
    Some(DeadlineNorm {
        term,
        variants,
        calendar,
        start,
        stop,
        pause,
        resume,
        extension_event,
        extension,
        at_risk,
        start_after,
    })
}

/// `start_after = { attribute = "published_at", term = "6 weken (wettelijk)" }`
fn start_after(
    check: &mut Checker<'_>,
    value: &Spanned<RawStartAfter>,
    case_type: Option<&CaseType>,
) -> Option<StartAfter> {
    const FIELD: &str = "norms.start_after";
    let raw = value.get_ref();
    let attribute = match raw.attribute.parse::<AttributeKey>() {
        Ok(key) if key.value_type() == ValueType::Instant => key,
        Ok(key) => {
            check.report(value.span(), FIELD, format!("\"{key}\" is geen tijdstip"));
            return None;
        }
        Err(e) => {
            check.report(value.span(), FIELD, e);
            return None;
        }
    };
    if case_type.is_some_and(|c| !c.attributes.contains(&attribute)) {
        check.report(
            value.span(),
            FIELD,
            format!(
                "het zaaktype heeft geen kenmerk \"{attribute}\" (voeg het toe aan attributes)"
            ),
        );
    }
    match raw.term.parse::<Term>() {
        Ok(term) => Some(StartAfter { attribute, term }),
        Err(e) => {
            check.report(
                value.span(),
                FIELD,
                format!("termijn \"{}\" is niet te lezen: {}", raw.term, e.problem()),
            );
            None
        }
    }
}

fn term_source(
    check: &mut Checker<'_>,
    text: &Spanned<String>,
    case_type: Option<&CaseType>,
    field: &str,
) -> Option<TermSource> {
    if text.get_ref().trim() == "product" {
        if case_type.is_none_or(|c| c.products.is_empty()) {
            check.report(
                text.span(),
                field,
                "\"product\" neemt de wettelijke termijn van het product, maar dit zaaktype heeft geen producten",
            );
            return None;
        }
        return Some(TermSource::Product);
    }
    term(check, text, field).map(TermSource::Fixed)
}

fn limit(
    check: &mut Checker<'_>,
    raw: &RawNorm,
    case_type: Option<&CaseType>,
) -> Option<LimitMeasure> {
    let measure = required(
        check,
        &raw.measure,
        raw,
        "measure",
        "wat de grens meet: duration, count of outcome",
    )?;
    match measure.get_ref().as_str() {
        "duration" => {
            let from = required(
                check,
                &raw.from,
                raw,
                "from",
                "de gebeurtenis waar de tijd begint",
            )?;
            let to = required(
                check,
                &raw.to,
                raw,
                "to",
                "de gebeurtenis waar de tijd stopt",
            )?;
            let limit_text = required(
                check,
                &raw.limit,
                raw,
                "limit",
                "de grens, zoals \"25 seconden\"",
            )?;
            let from_event = event(check, from.get_ref(), from.span(), "norms.from");
            let to_event = event(check, to.get_ref(), to.span(), "norms.to");
            let limit_term = term(check, limit_text, "norms.limit");
            if let Some(t) = limit_term
                && !matches!(
                    t,
                    Term::Elapsed {
                        statutory: false,
                        ..
                    }
                )
            {
                check.report(
                    limit_text.span(),
                    "norms.limit",
                    "een grens op een duur is in seconden, minuten of uren",
                );
            }
            let not_before = match &raw.not_before {
                None => None,
                Some(attr) => match attr.get_ref().parse::<AttributeKey>() {
                    Ok(key) if key.value_type() == ValueType::Instant => {
                        if case_type.is_some_and(|c| !c.attributes.contains(&key)) {
                            check.report(
                                attr.span(),
                                "norms.not_before",
                                format!("het zaaktype heeft geen kenmerk \"{key}\" (attributes)"),
                            );
                        }
                        Some(key)
                    }
                    Ok(key) => {
                        check.report(
                            attr.span(),
                            "norms.not_before",
                            format!("\"{key}\" is geen tijdstip"),
                        );
                        None
                    }
                    Err(e) => {
                        check.report(attr.span(), "norms.not_before", e);
                        None
                    }
                },
            };
            Some(LimitMeasure::Duration {
                from: from_event?,
                to: to_event?,
                limit: limit_term?,
                not_before,
            })
        }
        "count" => {
            let event_text = required(
                check,
                &raw.event,
                raw,
                "event",
                "de gebeurtenis die wordt geteld",
            )?;
            let max = required(check, &raw.max, raw, "max", "het hoogste aantal, zoals 2")?;
            let counted = event(
                check,
                event_text.get_ref(),
                event_text.span(),
                "norms.event",
            )?;
            Some(LimitMeasure::Count {
                event: counted,
                max: *max.get_ref(),
            })
        }
        "outcome" => {
            let any_of = required(
                check,
                &raw.any_of,
                raw,
                "any_of",
                "de gebeurtenissen waarvan er één moet gebeuren",
            )?;
            let by = required(
                check,
                &raw.by,
                raw,
                "by",
                "de gebeurtenis waarmee het contact eindigt",
            )?;
            let any_of = events(check, any_of, "norms.any_of");
            let by = events(check, by, "norms.by");
            Some(LimitMeasure::Outcome { any_of, by })
        }
        other => {
            check.report(
                measure.span(),
                "norms.measure",
                format!("onbekende meting \"{other}\"; kies duration, count of outcome"),
            );
            None
        }
    }
}

/// `results >= 1`, `ok = true`
fn qualifies_rule(check: &mut Checker<'_>, text: &Spanned<String>) -> Option<Qualifies> {
    let bad = |check: &mut Checker<'_>, message: String| {
        check.report(text.span(), "norms.qualifies", message);
        None
    };
    let value = text.get_ref();
    let (attribute, op, rest) = if let Some((a, r)) = value.split_once(">=") {
        (a, Comparison::AtLeast, r)
    } else if let Some((a, r)) = value.split_once("<=") {
        (a, Comparison::AtMost, r)
    } else if let Some((a, r)) = value.split_once('=') {
        (a, Comparison::Equal, r)
    } else {
        return bad(
            check,
            format!(
                "\"{value}\": schrijf het als kenmerk, vergelijking en waarde, zoals \"results >= 1\" of \"ok = true\""
            ),
        );
    };
    let attribute: AttributeKey = match attribute.trim().parse() {
        Ok(key) => key,
        Err(e) => return bad(check, e),
    };
    let parsed = match Value::parse(attribute.value_type(), rest) {
        Ok(v) => v,
        Err(e) => return bad(check, e),
    };
    if op != Comparison::Equal && attribute.value_type() != ValueType::Integer {
        return bad(check, format!("\"{attribute}\" is geen getal: gebruik ="));
    }
    Some(Qualifies {
        attribute,
        op,
        value: parsed,
    })
}

fn conditions(
    check: &mut Checker<'_>,
    table: &Spanned<toml::Table>,
    case_type: Option<&CaseType>,
    has_calendar: bool,
    field: &str,
) -> Conditions {
    let mut out = Vec::new();
    for (key, value) in table.get_ref() {
        let span = table.span();
        if key == "weekend" {
            match value.as_bool() {
                Some(b) => out.push((ConditionKey::Weekend, Value::Bool(b))),
                None => check.report(span.clone(), field, "weekend is true of false"),
            }
            if !has_calendar {
                check.report(
                    span,
                    field,
                    "\"weekend\" hangt af van de kantooruren: geef de norm een kalender",
                );
            }
            continue;
        }
        let attribute: AttributeKey = match key.parse() {
            Ok(k) => k,
            Err(e) => {
                check.report(span, field, e);
                continue;
            }
        };
        let Some(case_type) = case_type else {
            check.report(
                span,
                field,
                "een voorwaarde op een kenmerk vraagt een zaaktype (case_type)",
            );
            continue;
        };
        if !case_type.attributes.contains(&attribute) {
            check.report(
                span,
                field,
                format!(
                    "kan nooit gelden: zaaktype \"{}\" heeft geen kenmerk \"{attribute}\" (voeg het toe aan attributes)",
                    case_type.id
                ),
            );
            continue;
        }
        let parsed = match (attribute.value_type(), value) {
            (ValueType::Bool, toml::Value::Boolean(b)) => Value::Bool(*b),
            (ValueType::Text, toml::Value::String(s)) => Value::Text(s.clone()),
            (kind, other) => {
                check.report(
                    span,
                    field,
                    format!(
                        "\"{attribute}\" verwacht {}, maar vond {other}",
                        if kind == ValueType::Bool {
                            "true of false"
                        } else {
                            "tekst"
                        }
                    ),
                );
                continue;
            }
        };
        if let (AttributeKey::Product, Value::Text(product)) = (attribute, &parsed)
            && !case_type.products.iter().any(|p| p.id == *product)
        {
            check.report(
                span,
                field,
                format!(
                    "kan nooit gelden: zaaktype \"{}\" kent geen product \"{product}\"",
                    case_type.id
                ),
            );
            continue;
        }
        out.push((ConditionKey::Attribute(attribute), parsed));
    }
    Conditions(out)
}
