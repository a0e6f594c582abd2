//! What every page shares: the layout (header, menu, who is logged in),
//! rendering, and the error pages.

use askama::Template;
use axum::{
    http::{StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use servicenorm_storage::StorageError;

use crate::{problem::ApiError, roles::Permission, state::AppState, web::session::Staff};

/// One entry of the main menu.
pub(crate) struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    pub current: bool,
}

/// The frame around every page.
pub(crate) struct Layout {
    pub title: String,
    /// The organisation whose promises these are ("Gemeente Heemskerk").
    pub organisation: String,
    /// Name and role label of who is logged in.
    pub user: Option<(String, &'static str)>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

impl Layout {
    /// The layout for `staff` (or a visitor), with `current` the menu entry
    /// of this page.
    pub fn new(
        state: &AppState,
        title: impl Into<String>,
        staff: Option<&Staff>,
        current: &str,
    ) -> Layout {
        let organisation = state
            .catalogs
            .current()
            .latest()
            .map_or_else(|| "servicenorm".to_string(), |c| c.organisation.clone());
        let mut nav: Vec<(&'static str, &'static str)> = Vec::new();
        match staff {
            Some(staff) => {
                nav.push(("Werkvoorraad", "/werkvoorraad"));
                nav.push(("Nieuw contact", "/contact/nieuw"));
                if staff.role.may(Permission::ViewResults) {
                    nav.push(("Dashboard", "/dashboard"));
                }
                if staff.role.may(Permission::MaintainCatalog) {
                    nav.push(("Catalogus", "/beheer/catalogus"));
                    nav.push(("Kalenders", "/beheer/kalenders"));
                }
                nav.push(("Onze servicenormen", "/servicenormen"));
            }
            None => {
                nav.push(("Onze servicenormen", "/servicenormen"));
                nav.push(("Inloggen voor medewerkers", "/inloggen"));
            }
        }
        Layout {
            title: title.into(),
            organisation,
            user: staff.map(|s| (s.name.clone(), s.role.label())),
            csrf: staff.map(|s| s.csrf.clone()).unwrap_or_default(),
            nav: nav
                .into_iter()
                .map(|(label, href)| NavItem {
                    label,
                    href,
                    current: href == current,
                })
                .collect(),
        }
    }
}

/// Renders a page template.
pub(crate) fn render<T: Template>(page: &T) -> Result<Response, PageError> {
    page.render()
        .map(|html| Html(html).into_response())
        .map_err(|e| PageError::Internal(format!("pagina: {e}")))
}

/// Why a page cannot be shown.
#[derive(Debug)]
pub(crate) enum PageError {
    /// Not logged in: to the login page, and back here afterwards.
    LoginNeeded {
        back: String,
    },
    Forbidden,
    NotFound(String),
    /// The form's token does not belong to this session.
    FormExpired,
    Internal(String),
}

impl From<StorageError> for PageError {
    fn from(error: StorageError) -> PageError {
        PageError::Internal(error.to_string())
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> PageError {
        PageError::Internal(format!("{error:?}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    heading: &'a str,
    message: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match &self {
            PageError::LoginNeeded { back } => {
                let target = format!("/inloggen?terug={}", encode_query(back));
                return Redirect::to(&target).into_response();
            }
            PageError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Geen toegang",
                "U mag deze pagina niet zien met uw rol. Vraag de functioneel beheerder als u dit wel nodig hebt.".to_string(),
            ),
            PageError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "Niet gevonden",
                format!("{what} bestaat niet (meer)."),
            ),
            PageError::FormExpired => (
                StatusCode::FORBIDDEN,
                "Formulier verlopen",
                "Dit formulier is verlopen of hoort niet bij uw sessie. Ga terug, laad de pagina opnieuw en probeer het nog een keer.".to_string(),
            ),
            PageError::Internal(detail) => {
                // The detail says what failed (a query, a template), never
                // a resident's data.
                tracing::error!(%detail, "pagina mislukt");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Er ging iets mis",
                    "Er ging iets mis bij het maken van deze pagina. Probeer het later opnieuw. Blijft het misgaan? Meld het dan bij de functioneel beheerder.".to_string(),
                )
            }
        };
        let page = ErrorPage {
            layout: Layout {
                title: heading.to_string(),
                organisation: "servicenorm".to_string(),
                user: None,
                csrf: String::new(),
                nav: vec![NavItem {
                    label: "Onze servicenormen",
                    href: "/servicenormen",
                    current: false,
                }],
            },
            heading,
            message: &message,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                message,
            )
                .into_response(),
        }
    }
}

/// Percent-encodes a value for a query string.
pub(crate) fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
