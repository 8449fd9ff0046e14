//! Logging in, on a server: there are no gatehouse sessions — the server checks the
//! password on each connection, against the login role's SCRAM verifier, which this
//! file sets. The session methods answer accordingly.

use jiff::Timestamp;
use postgres::error::SqlState;
use secrecy::{ExposeSecret, SecretString};

use super::connect::connect_as;
use super::{role_for, Postgres};
use crate::error::{Error, Result};
use crate::store::rows::Columns;
use crate::store::{AttemptStart, LoginAttempt, SessionRow, Sessions};

impl Postgres {
    /// Sets the login role's SCRAM-SHA-256 verifier for this password (computed here: the
    /// plaintext never reaches the server). An admin sets anyone's; a person their own,
    /// together with the hash `set_password` handed over.
    fn scram_login(&self, id: i64, secret: &SecretString) -> Result<()> {
        let verifier =
            postgres_protocol::password::scram_sha_256(secret.expose_secret().as_bytes());
        if Some(id) == self.me && !self.is_admin()? {
            let hash =
                self.own_hash.borrow_mut().take().ok_or_else(|| {
                    Error::internal("a person's own password is set with its hash")
                })?;
            self.run(
                "SELECT gatehouse.set_own_password(current_user, $1, $2, $3)",
                &[&hash, &verifier, &self.now_str()],
            )?;
            return Ok(());
        }
        let role = self
            .one("SELECT role_name FROM users WHERE id = $1", &[&id])?
            .text("role_name")?;
        if self.me.is_some() {
            self.run(
                "SELECT gatehouse.set_login(current_user, $1, $2)",
                &[&role, &verifier],
            )?;
        } else {
            // The installer (init), as a member of the owner role.
            self.run("SELECT gatehouse.ensure_login($1, $2)", &[&role, &verifier])?;
        }
        Ok(())
    }
}

/// A refusal that says why a server-side action could not happen to a user.
fn no_sessions() -> Error {
    Error::usage("a PostgreSQL store keeps no gatehouse sessions: the server logs you in on each connection")
        .with_hint("put your password in ~/.pgpass (or PGPASSFILE), or set GATEHOUSE_EMAIL with GATEHOUSE_PASSWORD_FILE")
}

impl crate::store::SessionReads for Postgres {
    /// A connection as that user's role with this password: the server's answer.
    fn server_verifies(&self, email: &str, pw: &SecretString) -> Result<Option<bool>> {
        match connect_as(&self.info, &role_for(email), pw, &self.tls) {
            Ok(_) => Ok(Some(true)),
            Err(e)
                if e.as_db_error().is_some_and(|d| {
                    *d.code() == SqlState::INVALID_PASSWORD
                        || *d.code() == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
                }) =>
            {
                Ok(Some(false))
            }
            Err(e) => Err(self.pg_error(e)),
        }
    }
    fn live_session(&self, _token_hash: &str) -> Result<Option<SessionRow>> {
        Ok(None)
    }
}

impl Sessions for Postgres {
    fn set_login(&self, id: i64, secret: &SecretString) -> Result<()> {
        self.scram_login(id, secret)
    }
    /// By the server's clock: a person may stamp their own login with no other time.
    fn record_login_success(&self, id: i64) -> Result<()> {
        self.run(
            "UPDATE users SET last_login_at = gatehouse.now_text() WHERE id = $1",
            &[&id],
        )
        .map(|_| ())
    }
    fn begin_login_attempt(&self, _id: i64) -> Result<AttemptStart> {
        Err(no_sessions())
    }
    fn end_login_attempt(
        &self,
        _id: i64,
        _attempt: &LoginAttempt,
        _verified: bool,
    ) -> Result<Option<Timestamp>> {
        Err(no_sessions())
    }
    fn insert_session(&self, _token_hash: &str, _user_id: i64, _expires: Timestamp) -> Result<i64> {
        Err(no_sessions())
    }
    fn revoke_session(&self, _id: i64) -> Result<()> {
        Ok(())
    }
    fn revoke_user_sessions(&self, _user_id: i64, _keep: Option<i64>) -> Result<usize> {
        // Deactivation takes the role's login away and the policies deny it at once.
        Ok(0)
    }
}
