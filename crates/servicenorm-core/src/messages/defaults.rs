//! The texts used when a catalog writes none of its own, at B1 level.

use super::{MessageTemplate, Purpose, Template};

const ONTVANGSTBEVESTIGING: (&str, &str) = (
    "We hebben uw {onderwerp} ontvangen",
    "Beste inwoner,

We hebben uw {onderwerp} ontvangen op {ontvangen}. Het nummer van uw zaak is {zaaknummer}.

U krijgt {datum} antwoord.
Heeft u een vraag? Neem dan contact op met {contactpersoon}. Noem dan het nummer van uw zaak.

Met vriendelijke groet,
Gemeente {gemeente}

Dit bericht is automatisch verstuurd.
",
);

const TUSSENBERICHT: (&str, &str) = (
    "Uw antwoord komt later ({zaaknummer})",
    "Beste inwoner,

Op {ontvangen} kregen we uw {onderwerp}. Het nummer van uw zaak is {zaaknummer}.

We hebben meer tijd nodig om u een goed antwoord te geven. Dat spijt ons.
U krijgt {datum} antwoord.
Uw contactpersoon is {contactpersoon}. Bel of mail gerust als u een vraag heeft.

Met vriendelijke groet,
Gemeente {gemeente}

Dit bericht is automatisch verstuurd.
",
);

const ANTWOORD_ONDERWEG: (&str, &str) = (
    "Uw antwoord komt op een nieuwe datum ({zaaknummer})",
    "Beste inwoner,

Op {ontvangen} kregen we uw {onderwerp}. Het nummer van uw zaak is {zaaknummer}.

We hebben de termijn verlengd. De reden: {reden}.
U krijgt {datum} antwoord.
Uw contactpersoon is {contactpersoon}. Bel of mail gerust als u een vraag heeft.

Met vriendelijke groet,
Gemeente {gemeente}

Dit bericht is automatisch verstuurd.
",
);

/// The built-in template for `purpose`.
pub fn default_template(purpose: Purpose) -> MessageTemplate {
    let (subject, text) = match purpose {
        Purpose::Ontvangstbevestiging => ONTVANGSTBEVESTIGING,
        Purpose::Tussenbericht => TUSSENBERICHT,
        Purpose::AntwoordOnderweg => ANTWOORD_ONDERWEG,
    };
    MessageTemplate {
        subject: parse_builtin(subject),
        text: parse_builtin(text),
    }
}

fn parse_builtin(text: &str) -> Template {
    // The built-in texts are tested to parse; a failure would show the text as is.
    Template::parse(text).unwrap_or_else(|_| Template::literal(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_text_parses_and_fits_its_purpose() {
        for purpose in Purpose::ALL {
            let (subject, text) = match purpose {
                Purpose::Ontvangstbevestiging => ONTVANGSTBEVESTIGING,
                Purpose::Tussenbericht => TUSSENBERICHT,
                Purpose::AntwoordOnderweg => ANTWOORD_ONDERWEG,
            };
            for source in [subject, text] {
                let t = Template::parse(source).unwrap();
                assert!(
                    t.placeholders().all(|p| p.fits(purpose)),
                    "{purpose}: {source}"
                );
            }
        }
    }
}
