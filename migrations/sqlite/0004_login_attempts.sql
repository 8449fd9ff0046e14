-- gatehouse schema, version 4: password verifications in flight, one row each, so the
-- lockout can admit at most as many at once as failures are still allowed, without
-- counting an attempt as failed before its password is known. A row older than a
-- minute is from a process that died; it no longer counts.

CREATE TABLE login_attempts (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at  TEXT    NOT NULL
);
CREATE INDEX login_attempts_by_user ON login_attempts (user_id);
