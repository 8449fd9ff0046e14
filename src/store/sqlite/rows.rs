//! Running a statement and handing its rows to a decoder of [`crate::store::rows`]: the
//! one place the SQLite engine steps through rows, so every read goes by column name
//! and every failure becomes gatehouse's error.
//!
//! Statements are prepared through the connection's cache: a bulk import runs the same
//! few statements thousands of times, and a one-off query only costs its preparation.

use rusqlite::types::Value;
use rusqlite::{CachedStatement, Params, Row};

use super::Sqlite;
use crate::error::{Error, Result};
use crate::store::sql::Bind;

/// The values of a shared statement ([`crate::store::sql::Query`]) as SQLite binds them.
pub(super) fn binds(values: &[Bind]) -> impl Params + '_ {
    rusqlite::params_from_iter(values.iter().map(|v| match v {
        Bind::Text(s) => Value::Text(s.clone()),
        Bind::Int(i) => Value::Integer(*i),
    }))
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

    /// Hands each row, decoded, to `each`, as SQLite steps to it.
    pub(super) fn each<T>(
        &self,
        sql: &str,
        params: impl Params,
        mut decode: impl FnMut(&Row<'_>) -> Result<T>,
        mut each: impl FnMut(T) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.stmt(sql)?;
        let mut rows = stmt.query(params).map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            each(decode(row)?)?;
        }
        Ok(())
    }

    /// Every row, decoded.
    pub(super) fn all<T>(
        &self,
        sql: &str,
        params: impl Params,
        decode: impl FnMut(&Row<'_>) -> Result<T>,
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
        decode: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut stmt = self.stmt(sql)?;
        let mut rows = stmt.query(params).map_err(|e| self.sql_error(e))?;
        match rows.next().map_err(|e| self.sql_error(e))? {
            Some(row) => decode(row).map(Some),
            None => Ok(None),
        }
    }

    /// The one row a statement always returns (an aggregate, `RETURNING`), decoded.
    pub(super) fn one<T>(
        &self,
        sql: &str,
        params: impl Params,
        decode: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.opt(sql, params, decode)?
            .ok_or_else(|| Error::internal(format!("no row from `{sql}`")))
    }
}
