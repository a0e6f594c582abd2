//! A catalog's promises per channel, as the public page shows them.

use serde::Serialize;
use servicenorm_core::{
    catalog::{Catalog, Norm},
    terms::explain::long_date,
};

use super::html::{escape, page};

#[derive(Serialize)]
pub struct CatalogView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub organisation: &'a str,
    pub valid_from: String,
    pub municipalities: Vec<&'a str>,
    pub channels: Vec<ChannelView<'a>>,
}

#[derive(Serialize)]
pub struct ChannelView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub norms: Vec<NormView<'a>>,
}

#[derive(Serialize)]
pub struct NormView<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub kind: &'static str,
    pub measured: bool,
    pub streefwaarde: Option<f64>,
    /// Values the municipality did not publish, set as an example.
    pub example: &'a [String],
}

pub fn view(catalog: &Catalog) -> CatalogView<'_> {
    CatalogView {
        id: &catalog.id,
        name: &catalog.name,
        organisation: &catalog.organisation,
        valid_from: catalog.valid_from.to_string(),
        municipalities: catalog
            .municipalities
            .iter()
            .map(|m| m.name.as_str())
            .collect(),
        channels: catalog
            .by_channel()
            .into_iter()
            .map(|(channel, norms)| ChannelView {
                id: &channel.id,
                name: &channel.name,
                norms: norms.into_iter().map(norm_view).collect(),
            })
            .collect(),
    }
}

fn norm_view(norm: &Norm) -> NormView<'_> {
    NormView {
        id: &norm.id,
        text: &norm.text,
        kind: norm.kind.name(),
        measured: norm.kind.is_measured(),
        streefwaarde: norm.streefwaarde,
        example: &norm.example,
    }
}

/// "streefwaarde 90% (voorbeeld)"
fn target(norm: &Norm) -> Option<String> {
    let value = norm.streefwaarde?;
    let example = if norm.example.iter().any(|e| e == "streefwaarde") {
        " (voorbeeld)"
    } else {
        ""
    };
    Some(format!("streefwaarde {}%{example}", percent(value)))
}

pub fn percent(share: f64) -> String {
    let value = share * 100.0;
    if (value - value.round()).abs() < 1e-9 {
        format!("{}", value.round() as i64)
    } else {
        format!("{value:.1}").replace('.', ",")
    }
}

fn municipalities(catalog: &Catalog) -> String {
    let names: Vec<&str> = catalog
        .municipalities
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} en {last}", rest.join(", ")),
    }
}

pub fn text(catalog: &Catalog) -> String {
    let mut out = format!(
        "{}\nVoor: {}. Geldig vanaf {}.\n",
        catalog.name,
        municipalities(catalog),
        long_date(catalog.valid_from)
    );
    for (channel, norms) in catalog.by_channel() {
        out.push_str(&format!("\n{}\n", channel.name));
        for norm in norms {
            out.push_str(&format!("  - {}", norm.text));
            if let Some(target) = target(norm) {
                out.push_str(&format!(" [{target}]"));
            }
            out.push('\n');
        }
    }
    out
}

pub fn html(catalog: &Catalog) -> String {
    let mut body = format!(
        "<h1>Onze servicenormen</h1>\n<p>{}. Voor de inwoners en ondernemers van {}. Geldig vanaf {}.</p>\n",
        escape(&catalog.organisation),
        escape(&municipalities(catalog)),
        escape(&long_date(catalog.valid_from))
    );
    if let Some(intro) = &catalog.introduction {
        body.push_str(&format!("<p>{}</p>\n", escape(intro)));
    }
    for (channel, norms) in catalog.by_channel() {
        body.push_str(&format!(
            "<section aria-labelledby=\"kanaal-{id}\">\n<h2 id=\"kanaal-{id}\">{}</h2>\n<ul>\n",
            escape(&channel.name),
            id = escape(&channel.id)
        ));
        for norm in norms {
            body.push_str(&format!("<li>{}", escape(&norm.text)));
            if let Some(target) = target(norm) {
                body.push_str(&format!(
                    " <span class=\"sn-note\">({})</span>",
                    escape(&target)
                ));
            }
            body.push_str("</li>\n");
        }
        body.push_str("</ul>\n</section>\n");
    }
    page(
        &format!("Onze servicenormen - {}", catalog.organisation),
        &body,
    )
}
