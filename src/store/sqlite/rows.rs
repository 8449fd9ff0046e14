//! How this engine runs a statement ([`Run`]): the one place the SQLite engine steps
//! through rows. Every read, of the SQL both engines share and of the engine's own
//! statements alike, goes through it and the helpers of [`crate::store::run`], so rows
//! are read by column name and every failure becomes gatehouse's error.
//!
//! A value the schema does not allow (a NULL where it says NOT NULL, another type) is
//! a damaged file here, since SQLite itself enforces the schema on every write: the
//! shared decoders' integrity error becomes the engine's "store is corrupt" (exit 9,
//! restore from a backup), as every other sign of a damaged file is, still naming the
//! column.
//!
//! Statements are prepared through the connection's cache: a bulk import runs the same
//! few statements thousands of times, and a one-off query only costs its preparation.

use rusqlite::types::Value;
use rusqlite::{CachedStatement, Params};

use super::{Sqlite, DIALECT};
use crate::error::{Error, Kind, Result};
use crate::store::rows::SqliteRow;
use crate::store::run::{Each, Run, Sealed};
use crate::store::sql::{Bind, Dialect, Query};

/// The values of a shared statement ([`crate::store::sql::Query`]) as SQLite binds them.
pub(super) fn binds(values: &[Bind]) -> impl Params + '_ {
    rusqlite::params_from_iter(values.iter().map(|v| match v {
        Bind::Text(s) => Value::Text(s.clone()),
        Bind::Int(i) => Value::Integer(*i),
    }))
}

impl Run for Sqlite {
    fn dialect(&self) -> Dialect {
        DIALECT
    }

    /// Steps through the rows as SQLite finds them, whatever their number.
    fn rows(&self, _: Sealed, q: &Query, each: &mut Each<'_>) -> Result<()> {
        self.rows_of(&q.sql, binds(&q.values), each)
    }

    fn execute(&self, _: Sealed, q: &Query) -> Result<u64> {
        Ok(self.run(&q.sql, binds(&q.values))? as u64)
    }

    /// A decoder's integrity error as a damaged store file (see the module's
    /// documentation); any other error as it is.
    fn damaged(&self, e: Error) -> Error {
        if e.kind != Kind::Integrity {
            return e;
        }
        Error::store(format!(
            "store `{}` is corrupt: {}",
            self.path.display(),
            e.message
        ))
        .with_hint("restore it from a backup")
    }
}

impl Sqlite {
    pub(super) fn stmt(&self, sql: &str) -> Result<CachedStatement<'_>> {
        self.conn.prepare_cached(sql).map_err(|e| self.sql_error(e))
    }

    /// Runs a statement that returns no rows; how many rows it changed.
    pub(super) fn run(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.stmt(sql)?
            .execute(params)
            .map_err(|e| self.sql_error(e))
    }

    /// Hands each row to `each`, as SQLite steps to it: the one loop over rows.
    fn rows_of(&self, sql: &str, params: impl Params, each: &mut Each<'_>) -> Result<()> {
        let mut stmt = self.stmt(sql)?;
        let names = column_names(&stmt);
        let mut rows = stmt.query(params).map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            each(&SqliteRow::new(row, &names))?;
        }
        Ok(())
    }
}

/// A statement's column names, read once for all its rows.
fn column_names(stmt: &CachedStatement<'_>) -> Vec<String> {
    stmt.column_names().into_iter().map(String::from).collect()
}
