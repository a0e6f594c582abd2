//! Reading a term the way municipalities write it.
//!
//! Accepted, in Dutch and English, with an optional "binnen"/"within" in front:
//! `25 seconden`, `15 minuten`, `12 uur`, `2 kantooruren`, `2 werkdagen`,
//! `de volgende werkdag`, `2 weken`, `6 weken (wettelijk)`, `3 maanden`,
//! `eerstvolgende werkdag 12:00`; numbers up to twelve may be written as words
//! ("twee werkdagen"). Qualifiers go in brackets or after a comma:
//! `(wettelijk)`, `(naar werkdag)`, `(tot sluitingstijd)`,
//! `(na sluitingstijd vanaf volgende werkdag)`.

use std::{fmt, ops::Range, str::FromStr};

use super::{Counting, DayEnd, ElapsedUnit, PeriodUnit, Term};

/// A term expression that could not be read, with the place of the word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseTermError {
    input: String,
    span: Range<usize>,
    problem: String,
}

impl ParseTermError {
    fn new(input: &str, span: Range<usize>, problem: impl Into<String>) -> ParseTermError {
        ParseTermError {
            input: input.to_string(),
            span,
            problem: problem.into(),
        }
    }

    /// The byte range of the word that could not be read.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// The problem alone, without the pointer and the list of forms.
    pub fn problem(&self) -> &str {
        &self.problem
    }
}

/// The forms a term can take, as listed in error messages.
pub const ACCEPTED_FORMS: &str = "\"25 seconden\", \"15 minuten\", \"12 uur\", \"2 kantooruren\", \
\"2 werkdagen\", \"de volgende werkdag\", \"2 weken\", \"6 weken (wettelijk)\", \"3 maanden\", \
\"eerstvolgende werkdag 12:00\"";

impl fmt::Display for ParseTermError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let before = self.input[..self.span.start].chars().count();
        let width = self.input[self.span.clone()].chars().count().max(1);
        writeln!(
            f,
            "termijn \"{}\" is niet te lezen: {}",
            self.input, self.problem
        )?;
        writeln!(f, "  {}", self.input)?;
        writeln!(f, "  {}{}", " ".repeat(before), "^".repeat(width))?;
        write!(f, "bekende vormen: {ACCEPTED_FORMS}")
    }
}

#[derive(Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    span: (usize, usize),
}

fn words(input: &str, range: Range<usize>) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let slice = &input[range.clone()];
    let mut start = None;
    for (i, c) in slice
        .char_indices()
        .chain(std::iter::once((slice.len(), ' ')))
    {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(Word {
                    text: &slice[s..i],
                    span: (range.start + s, range.start + i),
                });
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

enum Unit {
    Elapsed(ElapsedUnit),
    OfficeMinutes(u32),
    WorkingDays,
    Period(PeriodUnit),
}

/// Units by their words; two-word units are matched first.
fn unit(words: &[&str]) -> Option<(Unit, usize)> {
    let two = words.get(..2).map(|w| format!("{} {}", w[0], w[1]));
    if let Some(two) = two.as_deref() {
        let found = match two {
            "office hours" | "office hour" | "business hours" | "business hour" => {
                Some(Unit::OfficeMinutes(60))
            }
            "office minutes" | "office minute" => Some(Unit::OfficeMinutes(1)),
            "working days" | "working day" | "business days" | "business day" => {
                Some(Unit::WorkingDays)
            }
            "calendar days" | "calendar day" => Some(Unit::Period(PeriodUnit::Days)),
            _ => None,
        };
        if let Some(found) = found {
            return Some((found, 2));
        }
    }
    let found = match *words.first()? {
        "seconde" | "seconden" | "sec" | "s" | "second" | "seconds" => {
            Unit::Elapsed(ElapsedUnit::Seconds)
        }
        "minuut" | "minuten" | "min" | "minute" | "minutes" => Unit::Elapsed(ElapsedUnit::Minutes),
        "uur" | "uren" | "u" | "hour" | "hours" | "h" => Unit::Elapsed(ElapsedUnit::Hours),
        "kantooruur" | "kantooruren" => Unit::OfficeMinutes(60),
        "kantoorminuut" | "kantoorminuten" => Unit::OfficeMinutes(1),
        "werkdag" | "werkdagen" | "workday" | "workdays" => Unit::WorkingDays,
        "dag" | "dagen" | "kalenderdag" | "kalenderdagen" | "day" | "days" => {
            Unit::Period(PeriodUnit::Days)
        }
        "week" | "weken" | "weeks" => Unit::Period(PeriodUnit::Weeks),
        "maand" | "maanden" | "month" | "months" => Unit::Period(PeriodUnit::Months),
        _ => return None,
    };
    Some((found, 1))
}

fn number(word: &str) -> Option<u32> {
    if let Ok(n) = word.parse::<u32>() {
        return Some(n);
    }
    let n = match word {
        // "Eén" at the start of a sentence lowercases to "eén".
        "een" | "één" | "eén" | "one" | "a" | "an" => 1,
        "twee" | "two" => 2,
        "drie" | "three" => 3,
        "vier" | "four" => 4,
        "vijf" | "five" => 5,
        "zes" | "six" => 6,
        "zeven" | "seven" => 7,
        "acht" | "eight" => 8,
        "negen" | "nine" => 9,
        "tien" | "ten" => 10,
        "elf" | "eleven" => 11,
        "twaalf" | "twelve" => 12,
        _ => return None,
    };
    Some(n)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    Statutory,
    Roll,
    Closing,
    Rollover,
}

fn qualifier(text: &str) -> Option<Qualifier> {
    let normal = text.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match normal.as_str() {
        "wettelijk" | "wettelijke termijn" | "statutory" | "legal" | "statutory term" => {
            Qualifier::Statutory
        }
        "naar werkdag"
        | "door naar werkdag"
        | "naar volgende werkdag"
        | "roll"
        | "roll to working day"
        | "next working day" => Qualifier::Roll,
        "tot sluitingstijd" | "until closing" | "until closing time" => Qualifier::Closing,
        "na sluitingstijd vanaf volgende werkdag"
        | "na sluitingstijd volgende werkdag"
        | "after hours rollover"
        | "after-hours rollover" => Qualifier::Rollover,
        _ => return None,
    })
}

const PREFIXES: &[&str] = &[
    "binnen",
    "uiterlijk",
    "maximaal",
    "within",
    "in",
    "at",
    "most",
];

fn is_next_working_day(w: &[&str]) -> Option<usize> {
    let patterns: [&[&str]; 8] = [
        &["de", "volgende", "werkdag"],
        &["de", "eerstvolgende", "werkdag"],
        &["volgende", "werkdag"],
        &["eerstvolgende", "werkdag"],
        &["the", "next", "working", "day"],
        &["next", "working", "day"],
        &["the", "first", "working", "day"],
        &["first", "working", "day"],
    ];
    patterns.iter().find(|p| w.starts_with(p)).map(|p| p.len())
}

/// `HH:MM`, optionally after "om", "voor", "vóór", "at", "before".
fn time_of_day(w: &[&str]) -> Option<(u32, usize)> {
    let (skip, word) = match w {
        [lead, word, ..] if ["om", "voor", "vóór", "at", "before"].contains(lead) => (1, *word),
        [word, ..] => (0, *word),
        [] => return None,
    };
    let word = word.trim_end_matches(['u', '.']);
    let seconds = crate::calendar::office_hours::parse_clock(word)?;
    (seconds < 24 * 3600).then_some((seconds, skip + 1))
}

impl FromStr for Term {
    type Err = ParseTermError;

    fn from_str(input: &str) -> Result<Term, ParseTermError> {
        // Split off qualifiers: bracketed groups and comma-separated tails.
        let main_end = input.find(['(', ',']).unwrap_or(input.len());
        let mut qualifiers = Vec::new();
        let mut rest = main_end;
        while rest < input.len() {
            let tail = &input[rest..];
            let (open, close) = if tail.starts_with('(') {
                let Some(close) = tail.find(')') else {
                    return Err(ParseTermError::new(
                        input,
                        rest..input.len(),
                        "haakje \"(\" wordt niet gesloten",
                    ));
                };
                (rest + 1, rest + close)
            } else if let Some(after) = tail.strip_prefix(',') {
                let next = after.find(['(', ',']).map_or(input.len(), |i| rest + 1 + i);
                (rest + 1, next)
            } else if tail.trim_start().is_empty() {
                break;
            } else {
                let skip = tail.len() - tail.trim_start().len();
                if skip > 0 {
                    rest += skip;
                    continue;
                }
                let next = tail.find(['(', ',']).map_or(input.len(), |i| rest + i);
                return Err(ParseTermError::new(
                    input,
                    rest..next,
                    format!(
                        "\"{}\" hoort niet achter een toelichting",
                        tail[..next - rest].trim()
                    ),
                ));
            };
            qualifiers.push(open..close);
            rest = if input[close..].starts_with(')') {
                close + 1
            } else {
                close
            };
        }

        let all = words(input, 0..main_end);
        let lower: Vec<String> = all.iter().map(|w| w.text.to_lowercase()).collect();
        let mut lw: Vec<&str> = lower.iter().map(String::as_str).collect();
        let mut ws = all.as_slice();
        while let Some(first) = lw.first() {
            if PREFIXES.contains(first) && lw.len() > 1 {
                lw.remove(0);
                ws = &ws[1..];
            } else {
                break;
            }
        }
        let Some(first) = ws.first() else {
            return Err(ParseTermError::new(
                input,
                0..input.len(),
                "er staat geen termijn",
            ));
        };
        let at = |w: &Word<'_>| w.span.0..w.span.1;

        let (mut term, used) = if let Some(n) = is_next_working_day(&lw) {
            match time_of_day(&lw[n..]) {
                Some((seconds, t)) => {
                    let hour_word = matches!(lw.get(n + t), Some(&("uur" | "u" | "h")));
                    (
                        Term::FirstWorkingDayAt { seconds },
                        n + t + usize::from(hour_word),
                    )
                }
                None => (
                    Term::WorkingDays {
                        days: 1,
                        day_end: DayEnd::EndOfDay,
                        after_hours_rollover: false,
                    },
                    n,
                ),
            }
        } else {
            let Some(count) = number(lw[0]) else {
                return Err(ParseTermError::new(
                    input,
                    at(first),
                    format!(
                        "verwacht een aantal (zoals 2) of \"de volgende werkdag\", maar vond \"{}\"",
                        first.text
                    ),
                ));
            };
            let Some((unit, n)) = unit(&lw[1..]) else {
                let (span, problem) = match ws.get(1) {
                    Some(w) => (at(w), format!("onbekende eenheid \"{}\"", w.text)),
                    None => (
                        at(first),
                        "er staat geen eenheid achter het getal".to_string(),
                    ),
                };
                return Err(ParseTermError::new(input, span, problem));
            };
            let term = match unit {
                Unit::Elapsed(unit) => Term::Elapsed {
                    amount: count,
                    unit,
                    statutory: false,
                },
                Unit::OfficeMinutes(per) => Term::OfficeHours {
                    minutes: count.saturating_mul(per),
                },
                Unit::WorkingDays => Term::WorkingDays {
                    days: count,
                    day_end: DayEnd::EndOfDay,
                    after_hours_rollover: false,
                },
                Unit::Period(unit) => Term::Period {
                    count,
                    unit,
                    counting: Counting::Policy { roll: false },
                },
            };
            (term, 1 + n)
        };
        if let Some(extra) = ws.get(used) {
            // "6 weken wettelijk" without brackets is common enough to accept.
            let tail_start = extra.span.0;
            let tail = &input[tail_start..main_end];
            if qualifier(&tail.to_lowercase()).is_some() {
                qualifiers.insert(0, tail_start..main_end);
            } else {
                return Err(ParseTermError::new(
                    input,
                    at(extra),
                    format!("\"{}\" hoort niet bij de termijn", extra.text),
                ));
            }
        }

        for range in qualifiers {
            let text = input[range.clone()].trim();
            let trimmed = {
                let lead = input[range.clone()].len() - input[range.clone()].trim_start().len();
                range.start + lead..range.start + lead + text.len()
            };
            let wrong = |problem: String| ParseTermError::new(input, trimmed.clone(), problem);
            let Some(q) = qualifier(&text.to_lowercase()) else {
                return Err(wrong(format!(
                    "onbekende toelichting \"{text}\": kies wettelijk, naar werkdag, tot sluitingstijd \
                     of na sluitingstijd vanaf volgende werkdag"
                )));
            };
            term = match (term, q) {
                (
                    Term::Period {
                        counting: Counting::Policy { roll: true },
                        ..
                    },
                    Qualifier::Statutory,
                ) => {
                    return Err(wrong(
                        "\"wettelijk\" en \"naar werkdag\" gaan niet samen: een wettelijke termijn \
                         volgt de Algemene termijnenwet"
                            .to_string(),
                    ));
                }
                (Term::Period { count, unit, .. }, Qualifier::Statutory) => Term::Period {
                    count,
                    unit,
                    counting: Counting::Statutory,
                },
                (Term::Elapsed { amount, unit, .. }, Qualifier::Statutory) => Term::Elapsed {
                    amount,
                    unit,
                    statutory: true,
                },
                (
                    Term::Period {
                        count,
                        unit,
                        counting: Counting::Policy { .. },
                    },
                    Qualifier::Roll,
                ) => Term::Period {
                    count,
                    unit,
                    counting: Counting::Policy { roll: true },
                },
                (
                    Term::WorkingDays {
                        days,
                        after_hours_rollover,
                        ..
                    },
                    Qualifier::Closing,
                ) => Term::WorkingDays {
                    days,
                    day_end: DayEnd::Closing,
                    after_hours_rollover,
                },
                (Term::WorkingDays { days, day_end, .. }, Qualifier::Rollover) => {
                    Term::WorkingDays {
                        days,
                        day_end,
                        after_hours_rollover: true,
                    }
                }
                (_, Qualifier::Statutory) => {
                    return Err(wrong(
                        "\"wettelijk\" past alleen bij dagen, weken, maanden of uren".to_string(),
                    ));
                }
                (_, Qualifier::Roll) => {
                    return Err(wrong(
                        "\"naar werkdag\" past alleen bij dagen, weken of maanden die niet wettelijk zijn"
                            .to_string(),
                    ));
                }
                (_, Qualifier::Closing | Qualifier::Rollover) => {
                    return Err(wrong(format!("\"{text}\" past alleen bij werkdagen")));
                }
            };
        }
        Ok(term)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> String {
        match text.parse::<Term>() {
            Ok(term) => term.to_string(),
            Err(e) => panic!("{text}: {e}"),
        }
    }

    #[test]
    fn a_letter_names_only_the_length_of_a_term() {
        let length = |text: &str| text.parse::<Term>().ok().and_then(|t| t.length_in_words());
        assert_eq!(
            length("2 werkdagen (tot sluitingstijd)").as_deref(),
            Some("2 werkdagen")
        );
        assert_eq!(length("6 weken (wettelijk)").as_deref(), Some("6 weken"));
        assert_eq!(
            length("3 maanden (naar werkdag)").as_deref(),
            Some("3 maanden")
        );
        assert_eq!(length("1 kantooruur").as_deref(), Some("1 kantooruur"));
        assert_eq!(length("eerstvolgende werkdag 12:00"), None);
    }

    #[test]
    fn the_forms_municipalities_write() {
        assert_eq!(parsed("25 seconden"), "25 seconden");
        assert_eq!(parsed("15 minuten"), "15 minuten");
        assert_eq!(parsed("12 uur"), "12 uur");
        assert_eq!(parsed("2 kantooruren"), "2 kantooruren");
        assert_eq!(parsed("binnen 2 werkdagen"), "2 werkdagen");
        assert_eq!(parsed("de volgende werkdag"), "1 werkdag");
        assert_eq!(parsed("2 weken"), "2 weken");
        assert_eq!(parsed("6 weken (wettelijk)"), "6 weken (wettelijk)");
        assert_eq!(parsed("6 weken wettelijk"), "6 weken (wettelijk)");
        assert_eq!(parsed("3 maanden"), "3 maanden");
        assert_eq!(
            parsed("eerstvolgende werkdag 12:00"),
            "eerstvolgende werkdag 12:00"
        );
        assert_eq!(
            parsed("eerstvolgende werkdag vóór 12.00 uur"),
            "eerstvolgende werkdag 12:00"
        );
        assert_eq!(parsed("Twee Werkdagen"), "2 werkdagen");
        assert_eq!(parsed("een week"), "1 week");
        assert_eq!(parsed("Eén werkdag"), "1 werkdag");
        assert_eq!(parsed("Één werkdag"), "1 werkdag");
        assert_eq!(parsed("3 weken (naar werkdag)"), "3 weken (naar werkdag)");
        assert_eq!(
            parsed("2 werkdagen (tot sluitingstijd)"),
            "2 werkdagen (tot sluitingstijd)"
        );
        assert_eq!(parsed("48 uur, wettelijk"), "48 uur (wettelijk)");
        assert_eq!(parsed("90 kantoorminuten"), "90 kantoorminuten");
    }

    #[test]
    fn english_equivalents() {
        assert_eq!(parsed("25 seconds"), "25 seconden");
        assert_eq!(parsed("within 2 working days"), "2 werkdagen");
        assert_eq!(parsed("2 office hours"), "2 kantooruren");
        assert_eq!(parsed("next working day"), "1 werkdag");
        assert_eq!(
            parsed("first working day at 12:00"),
            "eerstvolgende werkdag 12:00"
        );
        assert_eq!(parsed("6 weeks (statutory)"), "6 weken (wettelijk)");
        assert_eq!(parsed("3 months"), "3 maanden");
    }
}
