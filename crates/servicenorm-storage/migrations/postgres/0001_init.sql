-- servicenorm on PostgreSQL. Instants are BIGINT seconds since 1970-01-01
-- UTC, dates INTEGER days since 1970-01-01, as on SQLite.

CREATE TABLE catalog_versions (
    id          BIGSERIAL PRIMARY KEY,
    catalog_id  TEXT    NOT NULL,
    valid_from  BIGINT  NOT NULL,
    toml        TEXT    NOT NULL,
    parsed      TEXT    NOT NULL,
    stored_at   BIGINT  NOT NULL,
    stored_by   TEXT    NOT NULL,
    UNIQUE (catalog_id, valid_from)
);

-- Append-only: a correction is a new event.
CREATE TABLE events (
    seq         BIGSERIAL PRIMARY KEY,
    event_id    TEXT    NOT NULL UNIQUE,
    case_id     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    body        TEXT    NOT NULL,
    stored_at   BIGINT  NOT NULL
);
CREATE INDEX events_by_case ON events (case_id, at);

CREATE TABLE cases (
    case_id       TEXT    PRIMARY KEY,
    case_type     TEXT    NOT NULL,
    municipality  TEXT,
    team          TEXT,
    received_at   BIGINT  NOT NULL,
    catalog_valid_from BIGINT NOT NULL,
    updated_at    BIGINT  NOT NULL
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
    start_at      BIGINT,
    stop_at       BIGINT,
    deadline      BIGINT,
    at_risk_from  BIGINT,
    PRIMARY KEY (case_id, norm_id)
);
CREATE INDEX clocks_queue ON clocks (state, deadline, case_id, norm_id);
CREATE INDEX clocks_team_queue ON clocks (team, state, deadline, case_id, norm_id);

CREATE TABLE audit_log (
    seq      BIGSERIAL PRIMARY KEY,
    at       BIGINT  NOT NULL,
    actor    TEXT    NOT NULL,
    via      TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);
