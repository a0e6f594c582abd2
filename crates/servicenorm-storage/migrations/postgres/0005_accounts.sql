-- Staff accounts for the pages. Only an argon2 hash of the password is kept.
CREATE TABLE users (
    name           TEXT    PRIMARY KEY,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    team           TEXT,
    failed_logins  BIGINT  NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    created_at     BIGINT  NOT NULL
);

-- Login sessions. The cookie holds a random token; only its hash is kept.
CREATE TABLE sessions (
    hash        TEXT    PRIMARY KEY,
    user_name   TEXT    NOT NULL REFERENCES users (name),
    csrf        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
