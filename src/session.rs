//! Who is invoking: credentials resolution, password login with lockout and
//! re-hashing, and session tokens.
//!
//! First match wins: `GATEHOUSE_TOKEN`, then `GATEHOUSE_EMAIL` with a password from
//! `GATEHOUSE_PASSWORD` or `GATEHOUSE_PASSWORD_FILE`, then the session `login` saved for
//! this store, then a prompt — only when standard input is a terminal. Otherwise exit 3
//! at once: a script must never hang on a prompt.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::env::Env;
use crate::error::{Error, Kind, Result};
use crate::input;
use crate::model::Email;
use crate::password;
use crate::store::{AuditEntry, Store, User};

/// The authenticated invoking user.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    /// The session the command runs under, when it came from a token.
    pub session_id: Option<i64>,
    /// The saved session file it came from, for `logout`.
    pub session_file: Option<PathBuf>,
}

const NO_CREDENTIALS_HINT: &str = "set GATEHOUSE_TOKEN (from `gatehouse login --print-token`), or \
GATEHOUSE_EMAIL with GATEHOUSE_PASSWORD or GATEHOUSE_PASSWORD_FILE, or run `gatehouse login`";

/// Resolves and verifies the invoking user; `prompt`: ask on a terminal as a last resort.
pub fn authenticate(
    store: &Store,
    env: &Env,
    identity: Option<&str>,
    prompt: bool,
) -> Result<Actor> {
    if let Some(actor) = server_actor(store)? {
        return Ok(actor);
    }
    if let (Some(name), true) = (
        identity,
        env.var("GATEHOUSE_TOKEN").is_some() || env.var("GATEHOUSE_EMAIL").is_some(),
    ) {
        return Err(Error::usage(format!(
            "--as {name} picks a saved session, but GATEHOUSE_TOKEN or GATEHOUSE_EMAIL names another way in"
        ))
        .with_hint("unset GATEHOUSE_TOKEN and GATEHOUSE_EMAIL, or drop --as"));
    }
    if let Some(token) = env.var("GATEHOUSE_TOKEN") {
        return token_actor(store, token, None).map_err(|e| match e.kind {
            Kind::Auth => e.with_hint("get a fresh token with `gatehouse login --print-token`"),
            _ => e,
        });
    }
    if let Some(email) = env.var("GATEHOUSE_EMAIL") {
        let pw = env_password(env)?;
        return password_login(store, email, &pw).map(Actor::of);
    }
    if let Some(file) = session_file(env, store.path(), identity) {
        if let Ok(token) = fs::read_to_string(&file) {
            return token_actor(store, token.trim(), Some(file)).map_err(|e| match e.kind {
                Kind::Auth => Error::auth("your saved session has expired or was revoked")
                    .with_hint("log in again with `gatehouse login`"),
                // A busy or damaged store is that, not an expired session.
                _ => e,
            });
        }
    }
    if let Some(name) = identity {
        return Err(Error::auth(format!("not logged in as `{name}`"))
            .with_hint(format!("log in with `gatehouse login --as {name}`")));
    }
    if !prompt {
        return Err(Error::auth("not logged in").with_hint(NO_CREDENTIALS_HINT));
    }
    if env.stdin_tty {
        let email = input::prompt_line("Email: ")?;
        let pw = input::prompt_hidden("Password: ")?;
        return password_login(store, &email, &pw).map(Actor::of);
    }
    Err(Error::auth("no credentials").with_hint(NO_CREDENTIALS_HINT))
}

impl Actor {
    /// A user who proved who they are for this command alone (no saved session).
    fn of(user: User) -> Actor {
        Actor {
            user,
            session_id: None,
            session_file: None,
        }
    }
}

/// The actor of a store whose database server logged the connection in (its role is the
/// user); `None` on a store that checks credentials itself.
fn server_actor(store: &Store) -> Result<Option<Actor>> {
    let Some(role) = store.connected_role() else {
        return Ok(None);
    };
    let id = store.connected_user().ok_or_else(|| {
        Error::auth(format!(
            "the database role `{}` is not a gatehouse user",
            crate::model::printable(role)
        ))
        .with_hint("connect as your own role: set GATEHOUSE_EMAIL, or user= in the URL")
    })?;
    let user = store.users().user_by_id(id)?;
    if user.status != crate::model::Status::Active || user.is_expired(store.now()) {
        return Err(Error::auth("your account is not active"));
    }
    // Each command is a login here: stamped like a password login elsewhere.
    store.set_durable(false)?;
    store.sessions().record_login_success(id)?;
    store.set_durable(true)?;
    Ok(Some(Actor::of(user)))
}

/// The password that goes with GATEHOUSE_EMAIL: GATEHOUSE_PASSWORD, or the first line
/// of GATEHOUSE_PASSWORD_FILE.
fn env_password(env: &Env) -> Result<SecretString> {
    if let Some(pw) = env.var("GATEHOUSE_PASSWORD") {
        Ok(SecretString::from(pw.to_string()))
    } else if let Some(file) = env.var("GATEHOUSE_PASSWORD_FILE") {
        input::read_password_file(env, Path::new(file), Kind::Auth)
    } else {
        Err(Error::auth(
            "GATEHOUSE_EMAIL is set, but neither GATEHOUSE_PASSWORD nor GATEHOUSE_PASSWORD_FILE",
        )
        .with_hint("set one of them, or unset GATEHOUSE_EMAIL"))
    }
}

fn token_actor(store: &Store, token: &str, file: Option<PathBuf>) -> Result<Actor> {
    let invalid = || Error::auth("the session token is invalid or has expired");
    if !token.starts_with(TOKEN_PREFIX) {
        return Err(invalid());
    }
    let session = store
        .sessions()
        .live_session(&token_hash(token))?
        .ok_or_else(invalid)?;
    let user = store
        .users()
        .user_by_id(session.user_id)
        .map_err(|_| invalid())?;
    if user.status != crate::model::Status::Active || user.is_expired(store.now()) {
        return Err(invalid());
    }
    Ok(Actor {
        user,
        session_id: Some(session.id),
        session_file: file,
    })
}

/// Verifies an email and password. Every failure — unknown email, wrong password,
/// inactive, locked or expired account — gives the same message after the same work (one
/// argon2 verification), and writes an audit entry.
pub fn password_login(store: &Store, email: &str, pw: &SecretString) -> Result<User> {
    password_login_hash(store, email, pw).map(|(user, _)| user)
}

/// [`password_login`], also returning the hash the password was verified against (or
/// re-hashed to), so a password change can insist it is still the stored one.
pub fn password_login_hash(
    store: &Store,
    email: &str,
    pw: &SecretString,
) -> Result<(User, String)> {
    let user = match email.parse::<Email>() {
        Ok(e) => store.users().user_by_email(e.as_str())?,
        Err(_) => None,
    };
    let Some(user) = user else {
        password::verify_dummy(pw);
        store.write(|s| {
            s.audit()
                .append_audit(&failed_login(None, email, "unknown email"))
        })?;
        return Err(Error::login_failed());
    };
    // The verification is admitted before the slow work, atomically with the lock
    // check, so parallel guesses cannot outrun the lockout. A locked account's hash is
    // never tried; the dummy verification keeps its answer as slow as any other.
    let Some(attempt) = admit(store, user.id)? else {
        password::verify_dummy(pw);
        store.write(|s| {
            s.audit()
                .append_audit(&failed_login(Some(user.id), &user.email, "account locked"))
        })?;
        return Err(Error::login_failed());
    };
    let verified = match &user.password_hash {
        Some(h) => password::verify(pw, h),
        None => {
            password::verify_dummy(pw);
            false
        }
    };
    let now = store.now();
    let refusal = if !verified {
        Some("wrong password")
    } else if user.status != crate::model::Status::Active {
        Some("account inactive")
    } else if user.is_expired(now) {
        Some("account expired")
    } else {
        None
    };
    if let Some(reason) = refusal {
        store.write(|s| {
            let mut entry = failed_login(Some(user.id), &user.email, reason);
            if let Some(until) = s
                .sessions()
                .end_login_attempt(user.id, &attempt, verified)?
            {
                entry.details = serde_json::json!({ "locked_until": crate::model::fmt_ts(until) });
            }
            s.audit().append_audit(&entry)
        })?;
        return Err(Error::login_failed());
    }
    // Slow work before the write lock: a weaker hash is replaced at login.
    let old_hash = user.password_hash.clone().unwrap_or_default();
    let new_hash = if password::upgrade_at_login(pw, &old_hash) {
        Some(password::hash(pw)?)
    } else {
        None
    };
    let verified_hash = store.write_relaxed(|s| {
        s.sessions().end_login_attempt(user.id, &attempt, true)?;
        s.sessions().record_login_success(user.id)?;
        match &new_hash {
            Some(h) if s.users().upgrade_hash(user.id, &old_hash, h)? => Ok(h.clone()),
            _ => Ok(old_hash.clone()),
        }
    })?;
    Ok((store.users().user_by_id(user.id)?, verified_hash))
}

/// Waits for the lockout to admit a verification of this account: `None` when it is
/// locked. While as many verifications are in flight as failures are still allowed,
/// waits for one to finish (up to half a minute: then the store is busy).
fn admit(store: &Store, user_id: i64) -> Result<Option<crate::store::LoginAttempt>> {
    use crate::store::AttemptStart;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match store.write_relaxed(|s| s.sessions().begin_login_attempt(user_id))? {
            AttemptStart::Admitted(a) => return Ok(Some(a)),
            AttemptStart::Locked => return Ok(None),
            AttemptStart::Full if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(15));
            }
            AttemptStart::Full => {
                return Err(
                    Error::new(Kind::Busy, "too many logins to this account at once")
                        .with_hint("nothing was changed; it is safe to retry"),
                )
            }
        }
    }
}

fn failed_login(actor_id: Option<i64>, email: &str, reason: &str) -> AuditEntry {
    // Only something that parses as an email is recorded: a password typed into the
    // email prompt by mistake must not land in the permanent trail.
    let tried = email
        .parse::<Email>()
        .map(|e| e.to_string())
        .unwrap_or_else(|_| "<not an email>".to_string());
    AuditEntry {
        actor_id,
        actor_email: Some(tried.clone()),
        action: "login".into(),
        target: Some(tried),
        details: serde_json::Value::Null,
        result: "failed",
        reason: Some(reason.into()),
    }
}

/// Our tokens' prefix, so a leaked one is recognisable (and no secret scanner mistakes
/// it for another vendor's); a token without it is refused unread.
pub const TOKEN_PREFIX: &str = "gth_";

/// A new random 256-bit session token, printable.
pub fn new_token() -> Result<SecretString> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
    Ok(SecretString::from(format!(
        "{TOKEN_PREFIX}{}",
        crate::store::hex(&bytes)
    )))
}

pub fn token_hash(token: &str) -> String {
    crate::store::hex(&Sha256::digest(token.trim().as_bytes()))
}

/// The file that holds this store's saved session for the person invoking (and the
/// identity they named with `--as`): one per store and person, so on an account several
/// people reach through `sudo -u`, nobody runs as whoever logged in last.
pub fn session_file(env: &Env, db: &Path, identity: Option<&str>) -> Option<PathBuf> {
    let (dir, prefix) = session_prefix(env, db)?;
    Some(dir.join(match identity {
        None => format!("{prefix}.token"),
        Some(name) => format!("{prefix}.{name}.token"),
    }))
}

/// The sessions directory and the file-name prefix of this store and person.
fn session_prefix(env: &Env, db: &Path) -> Option<(PathBuf, String)> {
    let dir = env.sessions_dir()?;
    let canonical = fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    let key = token_hash(&format!(
        "{}\0uid={}",
        canonical.to_string_lossy(),
        env.invoking_uid()
    ));
    Some((dir, key[..32].to_string()))
}

/// Every session file saved for this store by the person invoking, each `--as` identity
/// included.
pub fn saved_sessions(env: &Env, db: &Path) -> Vec<PathBuf> {
    let Some((dir, prefix)) = session_prefix(env, db) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".token"))
        })
        .collect();
    files.sort();
    files
}

/// The live session a saved token stands for, and whose it is.
pub fn saved_session_owner(store: &Store, file: &Path) -> Option<(i64, User)> {
    let token = fs::read_to_string(file).ok()?;
    let token = token.trim();
    if !token.starts_with(TOKEN_PREFIX) {
        return None;
    }
    let session = store.sessions().live_session(&token_hash(token)).ok()??;
    let user = store.users().user_by_id(session.user_id).ok()?;
    Some((session.id, user))
}

/// Saves a token for this store: directory 0700, file 0600, replaced atomically.
pub fn save_session(
    env: &Env,
    db: &Path,
    identity: Option<&str>,
    token: &SecretString,
) -> Result<PathBuf> {
    let file = session_file(env, db, identity).ok_or_else(|| {
        Error::auth("cannot find a configuration directory to save the session in")
            .with_hint("use `gatehouse login --print-token` and GATEHOUSE_TOKEN instead")
    })?;
    let dir = file.parent().expect("session file has a directory");
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| Error::auth(format!("cannot create `{}`: {e}", dir.display())))?;
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(token.expose_secret().as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, &file)
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::auth(format!(
            "cannot save the session in `{}`: {e}",
            file.display()
        ))
    })?;
    Ok(file)
}

/// A saved identity's name: letters, digits, `-` and `_`, up to 32.
pub fn parse_identity(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 32
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(s.to_ascii_lowercase())
    } else {
        Err("a name of letters, digits, `-` and `_` (at most 32)".into())
    }
}

/// Credentials for a PostgreSQL store, as the environment gives them — and, for a
/// command at a terminal that may ask, asked for there. Shell completion never asks.
pub struct Credentials<'a> {
    env: &'a Env,
    may_ask: bool,
}

impl Credentials<'_> {
    pub fn new(env: &Env, may_ask: bool) -> Credentials<'_> {
        Credentials {
            env,
            may_ask: may_ask && env.stdin_tty,
        }
    }
}

impl crate::store::pg::Credentials for Credentials<'_> {
    fn given_email(&self) -> Option<String> {
        self.env.var("GATEHOUSE_EMAIL").map(str::to_string)
    }
    fn ask_email(&self) -> Result<Option<String>> {
        if !self.may_ask {
            return Ok(None);
        }
        input::prompt_line("Email: ").map(Some)
    }
    fn given_password(&self) -> Result<Option<SecretString>> {
        if let Some(pw) = self.env.var("GATEHOUSE_PASSWORD") {
            return Ok(Some(SecretString::from(pw.to_string())));
        }
        match self.env.var("GATEHOUSE_PASSWORD_FILE") {
            Some(file) => {
                input::read_password_file(self.env, Path::new(file), Kind::Auth).map(Some)
            }
            None => Ok(None),
        }
    }
    fn ask_password(&self, role: &str) -> Result<Option<SecretString>> {
        if !self.may_ask {
            return Ok(None);
        }
        input::prompt_hidden(&format!("Password for {role}: ")).map(Some)
    }
}
