-- Notifications to send, one per clock and transition: the unique key makes
-- it exactly once, whatever the number of instances or restarts.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key  TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    case_id     TEXT    NOT NULL,
    norm_id     TEXT    NOT NULL,
    team        TEXT,
    deadline    INTEGER,
    sent_at     INTEGER
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);
