-- gatehouse schema, version 1. Append-only: never edit a shipped migration.

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    email                 TEXT    NOT NULL UNIQUE,
    name                  TEXT    NOT NULL,
    full_name             TEXT,
    phone                 TEXT,
    role                  TEXT    NOT NULL CHECK (role IN ('admin', 'user')),
    status                TEXT    NOT NULL CHECK (status IN ('active', 'inactive')),
    password_hash         TEXT,
    must_change_password  INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL,
    last_login_at         TEXT,
    password_changed_at   TEXT,
    expires_at            TEXT,
    failed_logins         INTEGER NOT NULL DEFAULT 0,
    locked_until          TEXT,
    email_notifications   INTEGER NOT NULL DEFAULT 1,
    sms_notifications     INTEGER NOT NULL DEFAULT 0,
    shipment_updates      INTEGER NOT NULL DEFAULT 1,
    system_announcements  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_by_role_status ON users (role, status);
CREATE INDEX users_by_name ON users (name);
CREATE INDEX users_by_created ON users (created_at);
CREATE INDEX users_by_last_login ON users (last_login_at);

CREATE TABLE packages (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT,
    status      TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX packages_by_creator ON packages (created_by);

CREATE TABLE assignments (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    package_id  INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    assigned_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    assigned_at TEXT    NOT NULL,
    PRIMARY KEY (user_id, package_id)
) WITHOUT ROWID;
CREATE INDEX assignments_by_package ON assignments (package_id);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor_id    INTEGER,
    actor_email TEXT,
    action      TEXT    NOT NULL,
    target      TEXT,
    details     TEXT,
    result      TEXT    NOT NULL,
    reason      TEXT,
    version     TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
CREATE INDEX audit_by_at ON audit (at);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be deleted');
END;
