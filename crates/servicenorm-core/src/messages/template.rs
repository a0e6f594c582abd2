//! A message text with placeholders such as `{datum}`, checked when the
//! catalog is read so that a typo never reaches a resident.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Purpose;

/// What a template may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Placeholder {
    /// The case's reference, such as "Z-2026-00017".
    Zaaknummer,
    /// What the case is about, such as "e-mail" or "aanvraag (Subsidie)".
    Onderwerp,
    /// The day the case was received, in words.
    Ontvangen,
    /// The day the answer comes, in words: "dinsdag 28 april".
    Datum,
    /// How long the answer may take, such as "8 weken": the legal term of
    /// the product asked for, else the answer's term.
    Termijn,
    /// Who the resident can ask about the case.
    Contactpersoon,
    /// The municipality's name.
    Gemeente,
    /// Why the term was extended (only for the message that the answer
    /// comes later).
    Reden,
}

impl Placeholder {
    pub const ALL: [Placeholder; 8] = [
        Placeholder::Zaaknummer,
        Placeholder::Onderwerp,
        Placeholder::Ontvangen,
        Placeholder::Datum,
        Placeholder::Termijn,
        Placeholder::Contactpersoon,
        Placeholder::Gemeente,
        Placeholder::Reden,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Zaaknummer => "zaaknummer",
            Placeholder::Onderwerp => "onderwerp",
            Placeholder::Ontvangen => "ontvangen",
            Placeholder::Datum => "datum",
            Placeholder::Termijn => "termijn",
            Placeholder::Contactpersoon => "contactpersoon",
            Placeholder::Gemeente => "gemeente",
            Placeholder::Reden => "reden",
        }
    }

    /// Whether a message for `purpose` has a value for it.
    pub fn fits(self, purpose: Purpose) -> bool {
        self != Placeholder::Reden || purpose == Purpose::AntwoordOnderweg
    }
}

/// The values for one case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub zaaknummer: String,
    pub onderwerp: String,
    pub ontvangen: String,
    /// The answer day in words ("dinsdag 28 april"); None when no date is
    /// known (the answer's clock has stopped). `{datum}` reads "uiterlijk
    /// dinsdag 28 april" or "zo snel mogelijk": the word before the date is
    /// part of the value, so a text never says "uiterlijk zo snel mogelijk".
    pub datum: Option<String>,
    /// None when the term is not one fixed length (it depends on the case).
    pub termijn: Option<String>,
    pub contactpersoon: String,
    pub gemeente: String,
    pub reden: Option<String>,
}

impl Facts {
    fn value(&self, placeholder: Placeholder) -> std::borrow::Cow<'_, str> {
        let value: &str = match placeholder {
            Placeholder::Zaaknummer => &self.zaaknummer,
            Placeholder::Onderwerp => &self.onderwerp,
            Placeholder::Ontvangen => &self.ontvangen,
            Placeholder::Datum => {
                return match &self.datum {
                    Some(day) => format!("uiterlijk {day}").into(),
                    None => "zo snel mogelijk".into(),
                };
            }
            Placeholder::Termijn => self
                .termijn
                .as_deref()
                .unwrap_or("de termijn die voor uw vraag geldt"),
            Placeholder::Contactpersoon => &self.contactpersoon,
            Placeholder::Gemeente => &self.gemeente,
            Placeholder::Reden => self
                .reden
                .as_deref()
                .unwrap_or("het kost meer tijd dan gedacht"),
        };
        value.into()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Value(Placeholder),
}

/// A parsed template: text and placeholders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

/// Why a template cannot be used, with the byte offset in its text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
pub struct TemplateError {
    pub offset: usize,
    pub problem: String,
}

impl Template {
    /// Reads `{name}` placeholders; `{{` and `}}` stand for a brace.
    pub fn parse(source: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = source.char_indices().peekable();
        while let Some((at, c)) = rest.next() {
            match c {
                '{' if rest.peek().map(|&(_, n)| n) == Some('{') => {
                    rest.next();
                    text.push('{');
                }
                '}' if rest.peek().map(|&(_, n)| n) == Some('}') => {
                    rest.next();
                    text.push('}');
                }
                '{' => {
                    let Some(close) = source[at..].find('}') else {
                        return Err(TemplateError {
                            offset: at,
                            problem: "een { zonder } erna; schrijf {{ voor een losse {".into(),
                        });
                    };
                    let name = source[at + 1..at + close].trim();
                    let Some(placeholder) = Placeholder::ALL.into_iter().find(|p| p.name() == name)
                    else {
                        let known: Vec<&str> = Placeholder::ALL.iter().map(|p| p.name()).collect();
                        return Err(TemplateError {
                            offset: at,
                            problem: format!(
                                "onbekend invulveld {{{name}}}; bekend zijn: {}",
                                known.join(", ")
                            ),
                        });
                    };
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Value(placeholder));
                    while rest.peek().is_some_and(|&(i, _)| i <= at + close) {
                        rest.next();
                    }
                }
                '}' => {
                    return Err(TemplateError {
                        offset: at,
                        problem: "een } zonder { ervoor; schrijf }} voor een losse }".into(),
                    });
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template {
            source: source.to_string(),
            parts,
        })
    }

    /// A text without placeholders, used as it is.
    pub(crate) fn literal(text: &str) -> Template {
        Template {
            source: text.to_string(),
            parts: vec![Part::Text(text.to_string())],
        }
    }

    /// The placeholders used, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = Placeholder> + '_ {
        self.parts.iter().filter_map(|p| match p {
            Part::Value(v) => Some(*v),
            Part::Text(_) => None,
        })
    }

    /// Where `placeholder` first stands in the source text.
    pub fn offset_of(&self, placeholder: Placeholder) -> usize {
        self.source
            .find(&format!("{{{}", placeholder.name()))
            .unwrap_or(0)
    }

    pub fn fill(&self, facts: &Facts) -> String {
        let mut out = String::with_capacity(self.source.len() + 64);
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Value(v) => out.push_str(&facts.value(*v)),
            }
        }
        out
    }

    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            zaaknummer: "Z-17".into(),
            onderwerp: "e-mail".into(),
            ontvangen: "maandag 27 april".into(),
            datum: Some("dinsdag 28 april".into()),
            termijn: Some("2 werkdagen".into()),
            contactpersoon: "Team KCC".into(),
            gemeente: "Castricum".into(),
            reden: None,
        }
    }

    #[test]
    fn fills_placeholders_and_keeps_escaped_braces() {
        let t = Template::parse("Zaak {zaaknummer}: { datum }. {{geen veld}}").unwrap();
        assert_eq!(
            t.fill(&facts()),
            "Zaak Z-17: uiterlijk dinsdag 28 april. {geen veld}"
        );
        assert_eq!(
            t.placeholders().collect::<Vec<_>>(),
            [Placeholder::Zaaknummer, Placeholder::Datum]
        );
    }

    #[test]
    fn a_missing_date_reads_as_plain_dutch() {
        let t = crate::messages::default_template(crate::messages::Purpose::Tussenbericht).text;
        let mut f = facts();
        assert!(
            t.fill(&f)
                .contains("U krijgt uiterlijk dinsdag 28 april antwoord.")
        );
        f.datum = None;
        let text = t.fill(&f);
        assert!(
            text.contains("U krijgt zo snel mogelijk antwoord."),
            "{text}"
        );
        assert!(!text.contains("uiterlijk"), "{text}");
    }

    #[test]
    fn unknown_and_unclosed_placeholders_say_where() {
        let e = Template::parse("Beste {naam},").unwrap_err();
        assert_eq!(e.offset, 6);
        assert!(e.problem.contains("onbekend invulveld {naam}"), "{e}");
        assert!(e.problem.contains("zaaknummer"), "{e}");
        let e = Template::parse("tot {datum").unwrap_err();
        assert_eq!(e.offset, 4);
        let e = Template::parse("a } b").unwrap_err();
        assert_eq!(e.offset, 2);
    }

    #[test]
    fn reden_fits_only_the_extension_message() {
        assert!(Placeholder::Reden.fits(Purpose::AntwoordOnderweg));
        assert!(!Placeholder::Reden.fits(Purpose::Tussenbericht));
        assert!(Placeholder::Datum.fits(Purpose::Ontvangstbevestiging));
    }
}
