//! Charts drawn on the server as SVG: bars for the share met per period and
//! a dashed line for the streefwaarde. Every bar carries its number as text
//! and the line its label, so the chart reads without colour.

use std::fmt::Write;

/// One bar: its label below ("nov") and its share (none: no cases).
pub(crate) struct Bar {
    pub label: String,
    pub share: Option<f64>,
}

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 40.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart as an `<svg>` element. `id` makes its title and description
/// unique on the page; `title` names the norm.
pub(crate) fn share_chart(id: &str, title: &str, bars: &[Bar], target: Option<f64>) -> String {
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let y = |share: f64| TOP + plot_height * (1.0 - share.clamp(0.0, 1.0));
    let mut svg = String::new();
    let description = bars
        .iter()
        .map(|bar| match bar.share {
            Some(share) => format!("{} {}%", bar.label, (share * 100.0).round()),
            None => format!("{} geen gegevens", bar.label),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let target_text = target.map_or(String::new(), |t| {
        format!(" Doel: {}%.", (t * 100.0).round())
    });
    let _ = write!(
        svg,
        r#"<svg class="servicenorm-chart__svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-titel {id}-uitleg" xmlns="http://www.w3.org/2000/svg"><title id="{id}-titel">{}</title><desc id="{id}-uitleg">Deel op tijd per periode: {}.{}</desc>"#,
        escape(title),
        escape(&description),
        target_text
    );
    // Grid lines at 0, 50 and 100 percent, with their labels.
    for share in [0.0, 0.5, 1.0] {
        let at = y(share);
        let _ = write!(
            svg,
            r#"<line class="servicenorm-chart__grid" x1="{LEFT}" y1="{at:.1}" x2="{:.1}" y2="{at:.1}"/><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="currentColor">{}%</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0,
            (share * 100.0) as i64
        );
    }
    let slot = plot_width / bars.len().max(1) as f64;
    let bar_width = (slot * 0.6).min(40.0);
    for (index, bar) in bars.iter().enumerate() {
        let centre = LEFT + slot * (index as f64 + 0.5);
        if let Some(share) = bar.share {
            let top = y(share);
            let _ = write!(
                svg,
                r#"<rect class="servicenorm-chart__series-1" x="{:.1}" y="{top:.1}" width="{bar_width:.1}" height="{:.1}"/><text x="{centre:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="currentColor">{}%</text>"#,
                centre - bar_width / 2.0,
                (TOP + plot_height - top).max(0.0),
                top - 4.0,
                (share * 100.0).round() as i64
            );
        } else {
            let _ = write!(
                svg,
                r#"<text x="{centre:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="currentColor">–</text>"#,
                TOP + plot_height - 4.0
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{centre:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="currentColor">{}</text>"#,
            HEIGHT - BOTTOM + 18.0,
            escape(&bar.label)
        );
    }
    if let Some(target) = target {
        let at = y(target);
        let _ = write!(
            svg,
            r#"<line class="servicenorm-chart__target" x1="{LEFT}" y1="{at:.1}" x2="{:.1}" y2="{at:.1}" stroke-width="2"/><text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end" fill="currentColor">doel {}%</text>"#,
            WIDTH - RIGHT,
            WIDTH - RIGHT,
            at - 6.0,
            (target * 100.0).round() as i64
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bar_carries_its_number_and_the_target_its_label() {
        let bars = [
            Bar {
                label: "okt".into(),
                share: Some(0.874),
            },
            Bar {
                label: "nov".into(),
                share: None,
            },
        ];
        let svg = share_chart(
            "terugbellen",
            "Terugbellen <binnen> 2 werkdagen",
            &bars,
            Some(0.9),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(">87%</text>"));
        assert!(svg.contains(">doel 90%</text>"));
        assert!(svg.contains("okt 87%, nov geen gegevens"));
        assert!(svg.contains("Terugbellen &lt;binnen&gt; 2 werkdagen"));
        assert_eq!(svg.matches("<rect").count(), 1);
    }
}
