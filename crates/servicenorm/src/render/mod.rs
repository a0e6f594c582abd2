//! Text and HTML that residents, staff and councils read, in Dutch.

pub mod catalog;
pub mod html;
pub mod report;

/// "1 regel", "3 regels": a number with the right form of the words after it.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
