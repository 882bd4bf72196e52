-- Container requests by token. The record itself is JSON, the columns are what queries and updates need.
CREATE TABLE IF NOT EXISTS container_request (
    token          VARCHAR(64) PRIMARY KEY,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked        BOOLEAN NOT NULL DEFAULT FALSE,
    source_digest  VARCHAR(150),
    wave_digest    VARCHAR(150),
    data           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS container_request_expires ON container_request (expires_at);

-- Builds by id. current_target is set on the build that currently owns its target image (dedup), else null.
CREATE TABLE IF NOT EXISTS build (
    build_id       VARCHAR(100) PRIMARY KEY,
    target_image   VARCHAR(600) NOT NULL,
    state          VARCHAR(20) NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE,
    current_target VARCHAR(600) UNIQUE,
    data           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS build_state ON build (state);

-- The next build number of each container id (bd-<id>_<n>).
CREATE TABLE IF NOT EXISTS build_counter (
    container_id   VARCHAR(64) PRIMARY KEY,
    last_number    INTEGER NOT NULL
);

-- Tags of the built-in image store.
CREATE TABLE IF NOT EXISTS image_tag (
    repository     VARCHAR(300) NOT NULL,
    tag            VARCHAR(200) NOT NULL,
    digest         VARCHAR(150) NOT NULL,
    media_type     VARCHAR(200) NOT NULL,
    PRIMARY KEY (repository, tag)
);

-- Usage counters (Wave's metrics): builds/d/2026-11-23, pulls/a/arm64, ...
CREATE TABLE IF NOT EXISTS usage_counter (
    name           VARCHAR(300) PRIMARY KEY,
    total          BIGINT NOT NULL
);
