-- Messages to residents (ontvangstbevestiging, tussenbericht, antwoord
-- onderweg). One row per obligation: the unique key makes it exactly once,
-- whatever the number of instances. The text is not stored: it is filled in
-- from the case and the catalog when the message is sent.
CREATE TABLE messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key       TEXT    NOT NULL UNIQUE,
    case_id          TEXT    NOT NULL,
    norm_id          TEXT    NOT NULL,
    purpose          TEXT    NOT NULL,
    team             TEXT,
    created_at       INTEGER  NOT NULL,
    -- wachtend, verstuurd, taak (no e-mail address: staff send it),
    -- overbodig (the norm was met before it went out), mislukt.
    state            TEXT    NOT NULL,
    attempts         INTEGER  NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER  NOT NULL,
    -- While a sender works on it; an instance that dies lets it expire.
    claimed_until    INTEGER,
    sent_at          INTEGER,
    -- The SMTP reply of the last failed try, without any address.
    last_error       TEXT
);
CREATE INDEX messages_due ON messages (next_attempt_at, id) WHERE state = 'wachtend';
CREATE INDEX messages_of_case ON messages (case_id);

-- The message a clock waits for, and the one already queued for it.
ALTER TABLE clocks ADD COLUMN message TEXT;
ALTER TABLE clocks ADD COLUMN message_queued TEXT;
CREATE INDEX clocks_to_message ON clocks (state)
    WHERE message IS NOT NULL AND stop_at IS NULL
    AND (message_queued IS NULL OR message_queued <> message);

-- How to reach the resident about one case. Personal data: kept only while
-- the case has a clock running or a message waiting, then deleted.
CREATE TABLE case_contacts (
    case_id         TEXT    PRIMARY KEY,
    email           TEXT,
    contact_person  TEXT,
    updated_at      INTEGER  NOT NULL
);

-- Staff notifications sent by e-mail to their team.
ALTER TABLE outbox ADD COLUMN mailed_at INTEGER;
ALTER TABLE outbox ADD COLUMN mail_claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN mail_attempts INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_unmailed ON outbox (team, id) WHERE mailed_at IS NULL;
