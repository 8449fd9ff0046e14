//! What became of each row written: one typed [`Outcome`] per row, the report's unit
//! (and what the spool keeps, a JSON line each).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::input_formats::{Location, Note, Row};

/// One row's outcome, for the report.
#[derive(Debug, Serialize, Deserialize)]
pub struct Outcome {
    pub location: Location,
    pub email: String,
    /// The user's id (a dry run's new user has the one it would have had).
    pub id: Option<i64>,
    pub result: RowResult,
    /// The fields it sets: `{"before": {…}, "after": {…}}`; null unless the options
    /// keep them.
    pub changes: Value,
    /// What an admin must look at before trusting the file.
    pub flags: Vec<Flag>,
}

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowResult {
    Created,
    Updated,
    /// An existing user left alone (`--on-conflict skip`, or created by someone else
    /// after the plan was made).
    Skipped,
    /// An existing user the row would not change.
    Unchanged,
}

impl RowResult {
    /// The word the output uses.
    pub fn as_str(self) -> &'static str {
        match self {
            RowResult::Created => "created",
            RowResult::Updated => "updated",
            RowResult::Skipped => "skipped",
            RowResult::Unchanged => "unchanged",
        }
    }
}

/// A row an admin should look at before trusting the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flag {
    GrantsAdmin,
    ReplacesAdminPassword,
    /// `--unusable-hash generate` and `inactive`: who got which.
    GeneratedForUnusable,
    InactiveForUnusable,
}

impl Flag {
    /// The words the output uses.
    pub fn text(self) -> &'static str {
        match self {
            Flag::GrantsAdmin => "grants admin",
            Flag::ReplacesAdminPassword => "replaces an admin's password",
            Flag::GeneratedForUnusable => {
                "no usable password: generated one, to be changed at first login"
            }
            Flag::InactiveForUnusable => "no usable password: left inactive",
        }
    }
}

impl From<Note> for Flag {
    fn from(n: Note) -> Flag {
        match n {
            Note::Generated => Flag::GeneratedForUnusable,
            Note::Inactive => Flag::InactiveForUnusable,
        }
    }
}

impl Outcome {
    /// A row that changed nothing.
    pub(super) fn plain(row: &Row, id: i64, result: RowResult) -> Outcome {
        Outcome {
            location: row.location.clone(),
            email: row.email.to_string(),
            id: Some(id),
            result,
            changes: Value::Null,
            flags: Vec::new(),
        }
    }
}
