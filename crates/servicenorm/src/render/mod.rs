//! Text and HTML that residents, staff and councils read, in Dutch.

pub mod catalog;
pub mod html;
pub mod report;
