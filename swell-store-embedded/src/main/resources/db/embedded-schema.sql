-- Container requests by token. The record itself is JSON; the columns are what queries and updates need.
CREATE TABLE IF NOT EXISTS container_request (
    token          VARCHAR(64) PRIMARY KEY,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked        BOOLEAN NOT NULL DEFAULT FALSE,
    source_digest  VARCHAR(150),
    wave_digest    VARCHAR(150),
    data           CLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS container_request_expires ON container_request (expires_at);
