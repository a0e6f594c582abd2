//! `GET /api/openapi.json`: the API described in OpenAPI 3.1. A test sends a
//! request to every operation listed here and checks that the route exists.

use axum::Json;
use serde_json::{Value, json};

fn problem() -> Value {
    json!({ "$ref": "#/components/responses/Problem" })
}

fn secured(summary: &str, scope: &str, ok: Value, extra: Value) -> Value {
    let mut operation = json!({
        "summary": summary,
        "security": [{ "bearer": [scope] }],
        "responses": {
            "200": ok,
            "401": problem(),
            "403": problem(),
            "422": problem(),
        },
    });
    if let (Some(target), Some(add)) = (operation.as_object_mut(), extra.as_object()) {
        for (key, value) in add {
            // Extra responses join the common ones instead of replacing them.
            match (target.get_mut(key), value) {
                (Some(Value::Object(common)), Value::Object(more)) => {
                    common.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                _ => {
                    target.insert(key.clone(), value.clone());
                }
            }
        }
    }
    operation
}

/// One line of a report, as `GET /api/v1/results` gives it.
fn result_row() -> Value {
    let integer = json!({ "type": "integer" });
    let text = json!({ "type": "string" });
    json!({ "type": "object", "properties": {
        "group": text, "period_label": text, "norm": text, "text": text, "kind": text, "channel": text,
        "cases": integer, "met": integer, "missed": integer, "open": integer,
        "share_met": { "type": ["number", "null"] }, "streefwaarde": { "type": ["number", "null"] },
        "target_reached": { "type": ["boolean", "null"] }, "mean_seconds": { "type": "number" },
        "median_seconds": integer, "p90_seconds": integer,
    } })
}

fn query(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": "string" } })
}

/// The OpenAPI document.
pub(crate) fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "servicenorm",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Events in, clocks and notifications out. Errors are RFC 9457 problem documents.",
        },
        "paths": {
            "/health/live": { "get": { "summary": "The process runs.", "responses": { "204": { "description": "live" } } } },
            "/health/ready": { "get": { "summary": "The database answers.", "responses": {
                "204": { "description": "ready" }, "503": { "description": "not ready" } } } },
            "/api/openapi.json": { "get": { "summary": "This document.", "responses": { "200": { "description": "OpenAPI 3.1" } } } },
            "/api/v1/events": { "post": secured(
                "Append one event or a batch of up to 10,000; idempotent by event id; all or nothing.",
                "write",
                json!({ "description": "stored", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "stored": { "type": "integer" }, "repeated": { "type": "integer" }, "cases": { "type": "integer" } } } } } }),
                json!({
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "oneOf": [
                        { "$ref": "#/components/schemas/Event" },
                        { "type": "array", "maxItems": 10000, "items": { "$ref": "#/components/schemas/Event" } },
                    ] } } } },
                    "responses": { "409": problem() },
                }),
            ) },
            "/api/v1/imports": { "post": secured(
                "Import an export file (a call, counter, search or uptime log) through a shipped mapping; a file with a row that cannot be read stores nothing unless skip_invalid.",
                "write",
                json!({ "description": "read, and stored unless dry_run or problems", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "rows": { "type": "integer" }, "events": { "type": "integer" }, "stored": { "type": "integer" }, "repeated": { "type": "integer" },
                    "problems": { "type": "array", "items": { "type": "object", "properties": {
                        "line": { "type": "integer" }, "column": { "type": ["integer", "null"] },
                        "header": { "type": ["string", "null"] }, "message": { "type": "string" } } } } } } } } }),
                json!({
                    "parameters": [
                        query("mapping", "telefonie, balie, zoeken or uptime"),
                        query("dry_run", "true: read and report, store nothing"),
                        query("skip_invalid", "true: store the good rows of a file with problems"),
                    ],
                    "requestBody": { "required": true, "content": { "text/csv": { "schema": { "type": "string" } } } },
                }),
            ) },
            "/api/v1/cases/{case_id}": { "get": secured(
                "A case with its events and every norm's clock, each deadline explained.",
                "read",
                json!({ "description": "the case", "content": { "application/json": { "schema": { "type": "object" } } } }),
                json!({ "parameters": [{ "name": "case_id", "in": "path", "required": true, "schema": { "type": "string" } }] }),
            ) },
            "/api/v1/cases/{case_id}/contact": { "put": secured(
                "How to reach the resident about this case, so that servicenorm sends the receipt and the tussenbericht \
                 itself (docs/MESSAGES.md). Send it before or with the case's first event. Without an e-mail address the team \
                 gets a task instead. Deleted when the case no longer needs it.",
                "write",
                json!({ "description": "stored" }),
                json!({
                    "parameters": [{ "name": "case_id", "in": "path", "required": true, "schema": { "type": "string" } }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                        "additionalProperties": false, "properties": {
                            "email": { "type": ["string", "null"], "format": "email" },
                            "contact_person": { "type": ["string", "null"], "maxLength": 200 } } } } } },
                    "responses": { "204": { "description": "stored" } },
                }),
            ) },
            "/api/v1/clocks": { "get": secured(
                "Clocks sorted by deadline, filtered, paged with a cursor.",
                "read",
                json!({ "description": "a page", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "items": { "type": "array", "items": { "type": "object" } }, "next": { "type": "string" } } } } } }),
                json!({ "parameters": [
                    query("state", "comma-separated: lopend, gepauzeerd, dreigt_te_verlopen, gehaald, niet_gehaald"),
                    query("team", "team id"), query("municipality", "municipality id"), query("case_type", "case type id"),
                    query("channel", "channel id"), query("due_from", "RFC 3339"), query("due_before", "RFC 3339"),
                    query("cursor", "from the previous page's next"), query("limit", "1 to 500, default 50"),
                ] }),
            ) },
            "/api/v1/notifications": { "get": secured(
                "Clocks at risk or missed and tussenberichten owed, oldest first.",
                "read",
                json!({ "description": "notifications", "content": { "application/json": { "schema": { "type": "array", "items": { "type": "object" } } } } }),
                json!({ "parameters": [query("after", "notification id"), query("limit", "1 to 1000"), query("team", "team id")] }),
            ) },
            "/api/v1/results": { "get": secured(
                "The share met per norm and period against the streefwaarde, counted as the `report` command does \
                 (docs/REPORTS.md). Open cases are judged at the end of `to`, or now if that is earlier.",
                "read",
                json!({ "description": "results", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "from": { "type": "string", "format": "date" }, "to": { "type": "string", "format": "date" },
                    "as_of": { "type": "string", "format": "date-time" }, "per": { "type": "string" }, "by": { "type": "string" },
                    "cases": { "type": "integer" }, "not_judged": { "type": "integer" },
                    "rows": { "type": "array", "items": { "$ref": "#/components/schemas/ResultRow" } } } } } } }),
                json!({ "parameters": [
                    query("from", "first day counted, YYYY-MM-DD; default 1 January of this year"),
                    query("to", "last day counted, YYYY-MM-DD; default today"),
                    query("per", "month, quarter (default) or year"),
                    query("by", "norm (default), channel, municipality or team"),
                ] }),
            ) },
            "/api/v1/catalogs": {
                "get": secured(
                    "The stored versions of the catalog in use, by the date each takes effect.",
                    "read",
                    json!({ "description": "versions", "content": { "application/json": { "schema": { "type": "object", "properties": {
                        "catalog_id": { "type": "string" },
                        "items": { "type": "array", "items": { "type": "object", "properties": {
                            "valid_from": { "type": "string", "format": "date" }, "name": { "type": "string" },
                            "norms": { "type": "integer" }, "stored_at": { "type": "string", "format": "date-time" },
                            "stored_by": { "type": "string" }, "in_force_today": { "type": "boolean" } } } } } } } } }),
                    json!({}),
                ),
                "post": secured(
                    "Upload a new version (TOML), checked as `catalog check` does; one with any problem is refused whole, \
                     with every problem's line and field in `errors`. It takes effect today or later, after the last version.",
                    "admin",
                    json!({ "description": "stored", "content": { "application/json": { "schema": { "type": "object", "properties": {
                        "catalog_id": { "type": "string" }, "valid_from": { "type": "string", "format": "date" }, "norms": { "type": "integer" } } } } } }),
                    json!({
                        "requestBody": { "required": true, "content": { "application/toml": { "schema": { "type": "string" } } } },
                        "responses": { "201": { "description": "stored" }, "409": problem() },
                    }),
                ),
            },
            "/api/v1/calendars": { "get": secured(
                "The built-in calendars (atw, gemeente) and those of the catalog in force.",
                "read",
                json!({ "description": "calendars", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "items": { "type": "array", "items": { "type": "object", "properties": {
                        "id": { "type": "string" }, "name": { "type": "string" },
                        "base": { "type": "string", "enum": ["atw", "gemeente"] },
                        "source": { "type": "string", "enum": ["ingebouwd", "catalogus"] } } } } } } } } }),
                json!({}),
            ) },
            "/api/v1/calendars/{calendar_id}/holidays/{year}": { "get": secured(
                "The days off of a calendar in a year, with the rule each one rests on.",
                "read",
                json!({ "description": "days off", "content": { "application/json": { "schema": { "type": "object", "properties": {
                    "calendar": { "type": "string" }, "year": { "type": "integer" }, "decree_known": { "type": "boolean" },
                    "holidays": { "type": "array", "items": { "type": "object", "properties": {
                        "date": { "type": "string", "format": "date" }, "name": { "type": "string" }, "basis": { "type": "string" } } } } } } } } }),
                json!({ "parameters": [
                    { "name": "calendar_id", "in": "path", "required": true, "schema": { "type": "string" } },
                    { "name": "year", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 1990, "maximum": 2100 } },
                ], "responses": { "404": problem() } }),
            ) },
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "a token from `servicenorm token create`" } },
            "responses": { "Problem": { "description": "RFC 9457 problem document", "content": { "application/problem+json": { "schema": {
                "type": "object",
                "properties": {
                    "type": { "type": "string" }, "title": { "type": "string" }, "titel": { "type": "string", "description": "the title in Dutch" },
                    "status": { "type": "integer" }, "detail": { "type": "string" }, "field": { "type": "string" },
                    "errors": { "type": "array", "description": "every problem in an uploaded file", "items": { "type": "object", "properties": {
                        "line": { "type": "integer" }, "column": { "type": "integer" }, "field": { "type": "string" }, "detail": { "type": "string" } } } },
                },
            } } } } },
            "schemas": { "ResultRow": result_row(), "Event": {
                "type": "object",
                "required": ["id", "case", "type", "at"],
                "properties": {
                    "id": { "type": "string" }, "case": { "type": "string" }, "type": { "type": "string" },
                    "at": { "type": "string", "format": "date-time" }, "case_type": { "type": "string" },
                    "municipality": { "type": "string" }, "team": { "type": "string" }, "attributes": { "type": "object" },
                },
            } },
        },
    })
}

pub(crate) async fn get() -> Json<Value> {
    Json(document())
}
