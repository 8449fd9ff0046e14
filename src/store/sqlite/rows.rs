//! Running a statement and handing its rows to a decoder of [`crate::store::rows`]: the
//! one place the SQLite engine steps through rows, so every read goes by column name
//! and every failure becomes gatehouse's error.
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

use super::Sqlite;
use crate::error::{Error, Kind, Result};
use crate::store::rows::SqliteRow;
use crate::store::sql::Bind;

/// The values of a shared statement ([`crate::store::sql::Query`]) as SQLite binds them.
pub(super) fn binds(values: &[Bind]) -> impl Params + '_ {
    rusqlite::params_from_iter(values.iter().map(|v| match v {
        Bind::Text(s) => Value::Text(s.clone()),
        Bind::Int(i) => Value::Integer(*i),
    }))
}

impl Sqlite {
    /// A decoder's integrity error as a damaged store file (see the module's
    /// documentation); any other error as it is.
    pub(super) fn damaged(&self, e: Error) -> Error {
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

    pub(super) fn stmt(&self, sql: &str) -> Result<CachedStatement<'_>> {
        self.conn.prepare_cached(sql).map_err(|e| self.sql_error(e))
    }

    /// Runs a statement that returns no rows; how many rows it changed.
    pub(super) fn run(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.stmt(sql)?
            .execute(params)
            .map_err(|e| self.sql_error(e))
    }

    /// Hands each row, decoded, to `each`, as SQLite steps to it.
    pub(super) fn each<T>(
        &self,
        sql: &str,
        params: impl Params,
        mut decode: impl FnMut(&SqliteRow<'_, '_>) -> Result<T>,
        mut each: impl FnMut(T) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.stmt(sql)?;
        let names = column_names(&stmt);
        let mut rows = stmt.query(params).map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            let row = SqliteRow { row, names: &names };
            each(decode(&row).map_err(|e| self.damaged(e))?)?;
        }
        Ok(())
    }

    /// Every row, decoded.
    pub(super) fn all<T>(
        &self,
        sql: &str,
        params: impl Params,
        decode: impl FnMut(&SqliteRow<'_, '_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.each(sql, params, decode, |v| {
            out.push(v);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row, decoded, if there is one.
    pub(super) fn opt<T>(
        &self,
        sql: &str,
        params: impl Params,
        decode: impl FnOnce(&SqliteRow<'_, '_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut stmt = self.stmt(sql)?;
        let names = column_names(&stmt);
        let mut rows = stmt.query(params).map_err(|e| self.sql_error(e))?;
        match rows.next().map_err(|e| self.sql_error(e))? {
            Some(row) => decode(&SqliteRow { row, names: &names })
                .map(Some)
                .map_err(|e| self.damaged(e)),
            None => Ok(None),
        }
    }

    /// The one row a statement always returns (an aggregate, `RETURNING`), decoded.
    pub(super) fn one<T>(
        &self,
        sql: &str,
        params: impl Params,
        decode: impl FnOnce(&SqliteRow<'_, '_>) -> Result<T>,
    ) -> Result<T> {
        self.opt(sql, params, decode)?
            .ok_or_else(|| Error::internal(format!("no row from `{sql}`")))
    }
}

/// A statement's column names, read once for all its rows.
pub(super) fn column_names(stmt: &CachedStatement<'_>) -> Vec<String> {
    stmt.column_names().into_iter().map(String::from).collect()
}
