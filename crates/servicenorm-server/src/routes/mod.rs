//! The HTTP routes, one module per resource.

pub(crate) mod calendars;
pub(crate) mod cases;
pub(crate) mod catalogs;
pub(crate) mod clocks;
pub(crate) mod events;
pub(crate) mod health;
pub(crate) mod notifications;
pub(crate) mod openapi;
pub(crate) mod results;
