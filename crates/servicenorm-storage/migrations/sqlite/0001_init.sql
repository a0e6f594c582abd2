-- servicenorm on SQLite. Instants are INTEGER seconds since 1970-01-01 UTC,
-- dates INTEGER days since 1970-01-01: they sort and compare exactly.

CREATE TABLE catalog_versions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    catalog_id  TEXT    NOT NULL,
    valid_from  INTEGER NOT NULL,
    toml        TEXT    NOT NULL,
    parsed      TEXT    NOT NULL,
    stored_at   INTEGER NOT NULL,
    stored_by   TEXT    NOT NULL,
    UNIQUE (catalog_id, valid_from)
);

-- Append-only: a correction is a new event.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT    NOT NULL UNIQUE,
    case_id     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    body        TEXT    NOT NULL,
    stored_at   INTEGER NOT NULL
);
CREATE INDEX events_by_case ON events (case_id, at);

CREATE TABLE cases (
    case_id       TEXT    PRIMARY KEY,
    case_type     TEXT    NOT NULL,
    municipality  TEXT,
    team          TEXT,
    received_at   INTEGER NOT NULL,
    catalog_valid_from INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- The derived state of every clock, kept up to date as events arrive.
CREATE TABLE clocks (
    case_id       TEXT    NOT NULL,
    norm_id       TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    state         TEXT    NOT NULL,
    case_type     TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    municipality  TEXT,
    team          TEXT,
    start_at      INTEGER,
    stop_at       INTEGER,
    deadline      INTEGER,
    at_risk_from  INTEGER,
    PRIMARY KEY (case_id, norm_id)
);
CREATE INDEX clocks_queue ON clocks (state, deadline, case_id, norm_id);
CREATE INDEX clocks_team_queue ON clocks (team, state, deadline, case_id, norm_id);

CREATE TABLE audit_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    actor    TEXT    NOT NULL,
    via      TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);
