//! A server's or the connection's error as the kinds the SQLite store gives, so scripts
//! see the same exit codes on both engines.

use postgres::error::{DbError, SqlState};

use super::{auth, conninfo, ConnInfo};
use crate::error::{Error, Kind};
use crate::store::no_admin_left;

/// A server or connection error as the kinds scripts know: unreachable → 9 naming the
/// server (never the password), bad credentials → 3, refused by a policy or grant → 4,
/// a lock or serialization conflict → 75, a constraint → 6.
pub(super) fn pg_error(info: &ConnInfo, e: postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        return db_error(info, db);
    }
    if let Some(auth::Refused(method)) = auth::refused(&e) {
        return refused_auth(info, method);
    }
    if e.is_closed() {
        return Error::store(format!("lost the connection to {}", info.place()));
    }
    let text = e.to_string();
    if text.contains("password missing") {
        return Error::auth(format!(
            "the server at {} asks for a password",
            info.place()
        ))
        .with_hint("set GATEHOUSE_PASSWORD_FILE, or add a line to ~/.pgpass (mode 0600)");
    }
    Error::store(format!(
        "cannot reach the PostgreSQL server at {}",
        info.place()
    ))
    .with_hint(format!(
        "check that the server runs and accepts connections there ({})",
        source_text(&e)
    ))
}

/// An error the server answered with, by its SQLSTATE (and, for pg_hba.conf, its text).
fn db_error(info: &ConnInfo, db: &DbError) -> Error {
    let code = db.code();
    let msg = db.message();
    if msg.contains("pg_hba.conf") {
        // Not a wrong password: the server takes no such connection at all.
        Error::auth(format!(
            "the server at {} refuses this connection",
            info.place()
        ))
        .with_hint(format!(
            "{msg}; it may take TLS only (sslmode=verify-full with sslrootcert)"
        ))
    } else if *code == SqlState::INVALID_PASSWORD
        || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
    {
        // The same answer as the SQLite store's, whatever the server's reason.
        Error::login_failed().with_hint(format!(
            "the server at {} refused the login; an inactive or expired account cannot log in",
            info.place()
        ))
    } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        Error::denied(format!("permission denied by the server: {msg}"))
    } else if *code == SqlState::RESERVED_NAME {
        // A user's role is named by their email, and PostgreSQL keeps `pg_…` names
        // for itself: such an email cannot have a login role on this store.
        Error::invalid(format!("{msg}: PostgreSQL keeps role names that start with `pg_` for itself"))
            .with_hint("each user's login role is named by their email: give this user an email that does not start with `pg_`")
    } else if *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
    {
        Error::new(
            Kind::Busy,
            format!(
                "the store at {} is busy: another transaction conflicted with this one",
                info.place()
            ),
        )
        .with_hint("nothing was changed; it is safe to retry")
        .retryable()
    } else if *code == SqlState::LOCK_NOT_AVAILABLE || *code == SqlState::QUERY_CANCELED {
        Error::new(
            Kind::Busy,
            format!(
                "the store at {} is busy: another command holds its lock",
                info.place()
            ),
        )
        .with_hint("nothing was changed; it is safe to retry")
    } else if *code == SqlState::CHECK_VIOLATION && msg.contains("active admin") {
        no_admin_left()
    } else if *code == SqlState::UNIQUE_VIOLATION {
        Error::conflict(format!("refused by the server: {msg}"))
            .with_hint("nothing was changed")
            .with_source(crate::store::run::Taken)
    } else if *code == SqlState::INVALID_CATALOG_NAME {
        Error::store(format!("database {} does not exist", info.place()))
            .with_hint("create it (`createdb`), then run `gatehouse init --db URL`")
    } else if *code == SqlState::UNDEFINED_TABLE || *code == SqlState::INVALID_SCHEMA_NAME {
        Error::store(format!(
            "database {} holds no gatehouse store",
            info.place()
        ))
        .with_hint("create one with `gatehouse init --db URL`")
    } else if code.code().starts_with("08") || code.code().starts_with("57") {
        Error::store(format!("lost the connection to {}: {msg}", info.place()))
    } else {
        Error::internal(format!("database error at {}: {msg}", info.place()))
    }
}

/// The server asked to log us in a way `require_auth` does not allow: the password was
/// not sent.
fn refused_auth(info: &ConnInfo, method: conninfo::AuthMethod) -> Error {
    use conninfo::AuthMethod;
    let how = match method {
        AuthMethod::Password => "the password in clear text",
        AuthMethod::Md5 => "an MD5 digest of the password",
        AuthMethod::None => "no password at all (trust, peer or ident)",
        AuthMethod::Gss => "GSSAPI",
        AuthMethod::Sspi => "SSPI",
        AuthMethod::ScramSha256 => "SCRAM-SHA-256",
    };
    Error::auth(format!(
        "the server at {} asked for {how}, which require_auth does not allow (by default only SCRAM-SHA-256)",
        info.place()
    ))
    .with_hint(format!(
        "the password was not sent; a server that is not who it claims may ask this way: use sslmode=verify-full. If its pg_hba.conf really says `{}`, ask the DBA for scram-sha-256, or add require_auth={} to the connection string",
        match method {
            AuthMethod::None => "trust",
            m => m.as_str(),
        },
        method.as_str()
    ))
}

/// The innermost cause, which names what failed (refused, timed out, no such file).
fn source_text(e: &postgres::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
