-- API tokens: only a hash of the token is kept.
CREATE TABLE api_tokens (
    name        TEXT    PRIMARY KEY,
    hash        TEXT    NOT NULL UNIQUE,
    scopes      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    revoked_at  BIGINT
);
