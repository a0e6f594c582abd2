//! The catalogs that ship with servicenorm pass the check, and every norm
//! quotes its published source text word for word.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use servicenorm_core::catalog::{self, NormKind};

const CATALOGS: [(&str, &str, &str); 2] = [
    (
        "heemskerk.toml",
        include_str!("../../../catalogs/heemskerk.toml"),
        include_str!("../../../catalogs/sources/heemskerk.txt"),
    ),
    (
        "buch.toml",
        include_str!("../../../catalogs/buch.toml"),
        include_str!("../../../catalogs/sources/buch.txt"),
    ),
];

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The source without the website's link residue, such as "(Verwijst naar
/// een telefoonnummer)", which the catalogs leave out.
fn without_link_notes(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("(Verwijst naar") {
        out.push_str(&rest[..at]);
        rest = rest[at..].split_once(')').map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

#[test]
fn shipped_catalogs_pass_the_check_and_quote_their_sources() {
    for (name, text, source) in CATALOGS {
        let catalog = catalog::parse(text, name).unwrap_or_else(|e| panic!("{e}"));
        let source = words(&without_link_notes(source));
        for norm in &catalog.norms {
            // The published text, minus link residue such as "(Verwijst naar een e-mailadres)".
            assert!(
                source.contains(&words(&norm.text)),
                "{name}: norm {} does not quote the source: {}",
                norm.id,
                norm.text
            );
            if norm.kind.is_measured() {
                let target = norm.streefwaarde.unwrap();
                assert!(target > 0.0 && target <= 1.0, "{name}: {}", norm.id);
            }
        }
        assert!(
            catalog
                .norms
                .iter()
                .any(|n| matches!(n.kind, NormKind::Promise)),
            "{name} has promises"
        );
    }
}
