//! Error kinds and their exit codes (the table in the README).
//!
//! Every failure that reaches `main` is an [`Error`] with a [`Kind`]; the kind alone
//! decides the exit code, so scripts can rely on it. Messages are lowercase, name the
//! thing in backticks and carry an optional hint.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// What went wrong, as scripts see it through the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Internal,
    Usage,
    Auth,
    Denied,
    NotFound,
    Conflict,
    Invalid,
    Integrity,
    Store,
    /// The person at the terminal answered "no": a choice, not a mistake.
    Cancelled,
    Busy,
    /// The reader of standard output went away (`| head`): nothing more to say, and not
    /// a failure of the command.
    BrokenPipe,
}

impl Kind {
    /// The kind's exit code and its stable name in the JSON error object, side by side
    /// as the README's table has them.
    fn entry(self) -> (u8, &'static str) {
        match self {
            Kind::Internal => (1, "internal"),
            Kind::Usage => (2, "usage"),
            Kind::Auth => (3, "auth"),
            Kind::Denied => (4, "denied"),
            Kind::NotFound => (5, "not_found"),
            Kind::Conflict => (6, "conflict"),
            Kind::Invalid => (7, "invalid"),
            Kind::Integrity => (8, "integrity"),
            Kind::Store => (9, "store"),
            Kind::Cancelled => (10, "cancelled"),
            Kind::Busy => (75, "busy"),
            Kind::BrokenPipe => (0, "broken_pipe"),
        }
    }

    pub fn exit_code(self) -> u8 {
        self.entry().0
    }

    /// The stable name used in the JSON error object.
    pub fn name(self) -> &'static str {
        self.entry().1
    }
}

/// A failure with its kind, a one-line message and an optional hint, and the lower-level
/// error it came from (the chain `source()` walks; never shown in place of the message).
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
    /// The database gave up on the transaction for another's sake (a serialization
    /// failure or deadlock): running it again may well succeed.
    pub retry: bool,
    /// Each problem found (a bad import row), for the JSON error object's `problems`.
    pub problems: Vec<Problem>,
    /// What caused it, where a lower layer (the OS, a database driver) said so.
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl PartialEq for Error {
    /// Two errors are the same answer when kind, words and problems agree; their causes
    /// need not be comparable.
    fn eq(&self, other: &Self) -> bool {
        (
            self.kind,
            &self.message,
            &self.hint,
            self.retry,
            &self.problems,
        ) == (
            other.kind,
            &other.message,
            &other.hint,
            other.retry,
            &other.problems,
        )
    }
}

impl Eq for Error {}

/// One of several problems an error reports: where, which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub location: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub reason: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `Error::usage(message)` and its like: an error of that kind, without a hint.
macro_rules! by_kind {
    ($($name:ident => $kind:ident,)*) => {
        $(
            pub fn $name(message: impl Into<String>) -> Self {
                Self::new(Kind::$kind, message)
            }
        )*
    };
}

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
            retry: false,
            problems: Vec::new(),
            source: None,
        }
    }

    /// Keeps `cause` as this error's source.
    pub fn with_source(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(cause));
        self
    }

    /// An I/O failure on a named file, as `cannot {doing} `{path}`: {why}`: a missing file
    /// is not-found, a refused one denied, a full disk a store problem; the OS error is
    /// kept as the source.
    pub fn io(doing: &str, path: &Path, e: std::io::Error) -> Self {
        use std::io::ErrorKind as Io;
        if e.kind() == Io::BrokenPipe {
            return Error::from(e);
        }
        let message = format!("cannot {doing} `{}`: {}", path.display(), os_words(&e));
        let err = match e.kind() {
            Io::NotFound => Error::not_found(message),
            Io::PermissionDenied => Error::denied(message),
            Io::StorageFull | Io::QuotaExceeded => Error::store(message)
                .with_hint("free some space on that file system, then run the command again"),
            _ => Error::new(Kind::Internal, message),
        };
        err.with_source(e)
    }

    /// The problems behind the error, one by one.
    pub fn with_problems(mut self, problems: Vec<Problem>) -> Self {
        self.problems = problems;
        self
    }

    /// Marks a failure the transaction may be run again for.
    pub fn retryable(mut self) -> Self {
        self.retry = true;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    by_kind! {
        usage => Usage,
        auth => Auth,
        denied => Denied,
        not_found => NotFound,
        conflict => Conflict,
        invalid => Invalid,
        store => Store,
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Kind::Internal, message)
            .with_hint("this is a bug in gatehouse; please report it with the command you ran")
    }

    /// The generic login failure: identical for unknown emails, wrong passwords and
    /// accounts that may not log in, so it reveals nothing.
    pub fn login_failed() -> Self {
        Self::auth("invalid email or password")
    }

    pub fn exit_code(&self) -> u8 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An OS error in words, without Rust's ` (os error N)` suffix.
fn os_words(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_lowercase(),
        None => text,
    }
}

impl From<std::io::Error> for Error {
    /// An I/O failure with no file to name (standard streams, a terminal). Where there is
    /// a file, [`Error::io`] names it.
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader went away (`| head`); not worth a bug report.
            return Error::new(Kind::BrokenPipe, "broken pipe").with_source(e);
        }
        Error::new(Kind::Internal, format!("i/o error: {}", os_words(&e))).with_source(e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        if e.is_io() {
            return std::io::Error::from(e).into();
        }
        Error::internal(format!("json error: {e}"))
    }
}

impl From<csv::Error> for Error {
    fn from(e: csv::Error) -> Self {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => io.into(),
            other => Error::internal(format!("csv error: {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_match_the_spec() {
        let table = [
            (Kind::Internal, 1),
            (Kind::Usage, 2),
            (Kind::Auth, 3),
            (Kind::Denied, 4),
            (Kind::NotFound, 5),
            (Kind::Conflict, 6),
            (Kind::Invalid, 7),
            (Kind::Integrity, 8),
            (Kind::Store, 9),
            (Kind::Cancelled, 10),
            (Kind::Busy, 75),
            (Kind::BrokenPipe, 0),
        ];
        for (kind, code) in table {
            assert_eq!(kind.exit_code(), code, "{kind:?}");
        }
    }

    #[test]
    fn an_io_error_keeps_its_path_and_cause() {
        use std::error::Error as _;
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let e = Error::io("write", Path::new("/tmp/spool"), full);
        assert_eq!(e.kind, Kind::Store);
        assert!(
            e.message.starts_with("cannot write `/tmp/spool`: "),
            "{}",
            e.message
        );
        assert!(e.source().is_some());
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(
            Error::io("read", Path::new("x.csv"), gone).kind,
            Kind::NotFound
        );
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert_eq!(Error::from(pipe).kind, Kind::BrokenPipe);
    }
}
