//! A report as a table, CSV or a printable HTML page in Dutch.

use std::collections::BTreeMap;

use servicenorm_core::{
    catalog::Catalog,
    report::{GroupBy, Period, ReportOptions, Row},
    terms::explain::long_date,
    time::Moment,
};

use super::{
    catalog::percent,
    html::{escape, page},
};

fn share(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{}%", percent_one(v)))
}

/// "89,1" (one decimal, Dutch decimal comma)
fn percent_one(share: f64) -> String {
    format!("{:.1}", share * 100.0).replace('.', ",")
}

fn reached(row: &Row) -> &'static str {
    match row.target_reached {
        Some(true) => "ja",
        Some(false) => "nee",
        None => "-",
    }
}

fn seconds(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| {
        if v < 120.0 {
            format!("{v:.0} s")
        } else {
            format!("{:.1} min", v / 60.0).replace('.', ",")
        }
    })
}

/// A plain-text table, one line per norm and period.
pub fn table(rows: &[Row], by: GroupBy) -> String {
    let mut lines: Vec<Vec<String>> = vec![
        [
            if by == GroupBy::Norm { "" } else { "Groep" },
            "Norm",
            "Periode",
            "Zaken",
            "Gehaald",
            "Niet gehaald",
            "Open",
            "Realisatie",
            "Streefwaarde",
            "Gehaald?",
            "Gemiddeld",
            "Mediaan",
            "9 van 10 binnen",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
    ];
    for row in rows {
        lines.push(vec![
            row.group.clone(),
            row.norm.clone(),
            row.period_label.clone(),
            row.cases.to_string(),
            row.met.to_string(),
            row.missed.to_string(),
            row.open.to_string(),
            share(row.share_met),
            row.streefwaarde
                .map_or_else(|| "-".into(), |v| format!("{}%", percent(v))),
            reached(row).to_string(),
            seconds(row.mean_seconds),
            seconds(row.median_seconds.map(|v| v as f64)),
            seconds(row.p90_seconds.map(|v| v as f64)),
        ]);
    }
    let skip_group = by == GroupBy::Norm;
    let columns = lines[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            lines
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &lines {
        let mut cells = Vec::new();
        for (c, cell) in line.iter().enumerate() {
            if skip_group && c == 0 {
                continue;
            }
            let pad = widths[c] - cell.chars().count();
            // Numbers right-aligned, text left-aligned.
            if c >= 3 {
                cells.push(format!("{}{cell}", " ".repeat(pad)))
            } else {
                cells.push(format!("{cell}{}", " ".repeat(pad)))
            }
        }
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// CSV for spreadsheets: one line per norm and period, plain numbers.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from(
        "group,period,norm,kind,cases,met,missed,open,share_met,streefwaarde,target_reached,mean_seconds,median_seconds,p90_seconds,observations\n",
    );
    let opt = |v: Option<String>| v.unwrap_or_default();
    for row in rows {
        let fields = [
            quote(&row.group),
            row.period.to_string(),
            quote(&row.norm),
            row.kind.to_string(),
            row.cases.to_string(),
            row.met.to_string(),
            row.missed.to_string(),
            row.open.to_string(),
            opt(row.share_met.map(|v| format!("{v:.4}"))),
            opt(row.streefwaarde.map(|v| v.to_string())),
            opt(row.target_reached.map(|v| v.to_string())),
            opt(row.mean_seconds.map(|v| format!("{v:.1}"))),
            opt(row.median_seconds.map(|v| v.to_string())),
            opt(row.p90_seconds.map(|v| v.to_string())),
            opt(row.observations.map(|v| v.to_string())),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The printable page councils receive: per group a table with the norm,
/// its streefwaarde and the realisatie per period. Whether the target was
/// reached is said in words and a symbol, not by colour alone.
pub fn html(catalog: &Catalog, rows: &[Row], options: &ReportOptions, as_of: Moment) -> String {
    let mut periods: Vec<Period> = rows.iter().map(|r| r.period).collect();
    periods.sort();
    periods.dedup();
    let mut groups: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        groups.entry(row.group.as_str()).or_default().push(row);
    }
    let range = match (options.from, options.to) {
        (Some(from), Some(to)) => format!("van {} tot en met {}", long_date(from), long_date(to)),
        (Some(from), None) => format!("vanaf {}", long_date(from)),
        (None, Some(to)) => format!("tot en met {}", long_date(to)),
        (None, None) => "alle gebeurtenissen".to_string(),
    };
    let mut body = format!(
        "<h1>Servicenormen: hoe goed houden we ons aan onze beloften?</h1>\n\
         <p>{}. Periode: {}. Stand op {}.</p>\n",
        escape(&catalog.organisation),
        escape(&range),
        escape(&long_date(as_of.date()))
    );
    for (group, rows) in &groups {
        if !group.is_empty() {
            body.push_str(&format!("<h2>{}</h2>\n", escape(group)));
        }
        body.push_str("<table class=\"utrecht-table\">\n<caption class=\"sn-note\">Realisatie per periode: het deel van de zaken waarin we de norm haalden.</caption>\n<thead><tr><th scope=\"col\">Norm</th><th scope=\"col\" class=\"number\">Streefwaarde</th>");
        for period in &periods {
            body.push_str(&format!(
                "<th scope=\"col\" class=\"number\">{}</th>",
                escape(&period.label())
            ));
        }
        body.push_str("</tr></thead>\n<tbody>\n");
        let mut by_norm: Vec<(&str, Vec<&Row>)> = Vec::new();
        for row in rows {
            match by_norm.iter_mut().find(|(n, _)| *n == row.norm) {
                Some((_, list)) => list.push(row),
                None => by_norm.push((&row.norm, vec![row])),
            }
        }
        for (_, norm_rows) in by_norm {
            let first = norm_rows[0];
            let target = first.streefwaarde.map_or_else(
                || "-".to_string(),
                |v| {
                    let example = if first.streefwaarde_example {
                        " (voorbeeld)"
                    } else {
                        ""
                    };
                    format!("{}%{example}", percent(v))
                },
            );
            body.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td class=\"number\">{}</td>",
                escape(&first.text),
                escape(&target)
            ));
            for period in &periods {
                match norm_rows.iter().find(|r| r.period == *period) {
                    Some(row) if row.share_met.is_some() => {
                        let (class, word) = match row.target_reached {
                            Some(true) => ("sn-status-met", "✓ gehaald"),
                            Some(false) => ("sn-status-missed", "✗ niet gehaald"),
                            None => ("", ""),
                        };
                        let count = match row.observations {
                            Some(n) => format!("{n} metingen"),
                            None => format!("{} van {} zaken", row.met, row.met + row.missed),
                        };
                        body.push_str(&format!(
                            "<td class=\"number\">{}<br><span class=\"{class}\">{word}</span><br><span class=\"sn-note\">{count}</span></td>",
                            escape(&share(row.share_met))
                        ));
                    }
                    _ => body.push_str("<td class=\"number\">-</td>"),
                }
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</tbody>\n</table>\n");
    }
    body.push_str(
        "<h2>Zo tellen we</h2>\n<ul>\n\
         <li>Een termijn telt mee in de periode waarin hij afloopt. Een wachttijd of een meting telt mee in de periode waarin hij begon.</li>\n\
         <li>Een zaak waarvan de termijn nog niet is verstreken, telt nog niet mee.</li>\n\
         <li>Een zaak die nog open is terwijl de termijn al voorbij is, telt als niet gehaald.</li>\n\
         <li>Een norm die niet voor een zaak geldt, telt voor die zaak niet mee.</li>\n\
         <li>Een streefwaarde met (voorbeeld) heeft de gemeente niet zelf gepubliceerd.</li>\n\
         </ul>\n",
    );
    page(&format!("Servicenormen - {}", catalog.organisation), &body)
}
