//! Small helpers for the server-free HTML the command line writes.

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// A complete, printable page in Dutch with the given title and body. The
/// styles follow NL Design System conventions and need nothing from outside.
pub fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
:root {{ --utrecht-document-color: #1a1a1a; --utrecht-document-background-color: #fff; --utrecht-link-color: #01689b; --sn-met: #1e6b30; --sn-missed: #a4120a; }}
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--utrecht-document-color); background: var(--utrecht-document-background-color); line-height: 1.5; margin: 0 auto; max-width: 60rem; padding: 1rem; }}
h1, h2, h3 {{ line-height: 1.25; }}
.utrecht-table {{ border-collapse: collapse; width: 100%; margin-block-end: 1.5rem; }}
.utrecht-table th, .utrecht-table td {{ border-block-end: 1px solid #8a8a8a; padding: 0.4rem 0.5rem; text-align: start; vertical-align: top; }}
.utrecht-table td.number, .utrecht-table th.number {{ text-align: end; font-variant-numeric: tabular-nums; }}
.sn-status-met {{ color: var(--sn-met); font-weight: 600; }}
.sn-status-missed {{ color: var(--sn-missed); font-weight: 600; }}
.sn-note {{ font-size: 0.9rem; color: #4b4b4b; }}
@media print {{ body {{ max-width: none; }} a {{ color: inherit; }} }}
</style>
</head>
<body>
<main id="main">
{body}
</main>
</body>
</html>
"#,
        title = escape(title),
    )
}
