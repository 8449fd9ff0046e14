//! Running the statements of [`super::sql`]: the one thing the engines do differently
//! for the SQL they share.
//!
//! An engine implements [`Run`] — its dialect, how a [`Query`] is sent and how the rows
//! come back — and an operation whose SQL is the same on both engines is written once,
//! as a provided method of its concern's trait in [`super::backend`], on top of the
//! helpers here. An engine overrides such a method only where it really differs.
//!
//! Rows are handed over as [`Columns`], read by name; a decoder's error passes through
//! [`Run::damaged`] on its way out, so each engine says what a damaged row means to it.

use super::rows::Columns;
use super::sql::{Bind, Dialect, Query};
use crate::error::{Error, Result};

/// A row handed to a caller, read by column name.
pub type Each<'a> = dyn FnMut(&dyn Columns) -> Result<()> + 'a;

/// How an engine runs a shared statement.
pub trait Run {
    /// The dialect this engine's statements are written in.
    fn dialect(&self) -> Dialect;

    /// Runs `q`, a statement with a bounded result, and hands each row to `each`, which
    /// may use the store meanwhile.
    fn rows(&self, q: &Query, each: &mut Each<'_>) -> Result<()>;

    /// Like [`Run::rows`], for a result of any size: an engine that would otherwise
    /// hold every row first fetches them in batches.
    fn rows_batched(&self, q: &Query, each: &mut Each<'_>) -> Result<()> {
        self.rows(q, each)
    }

    /// Like [`Run::rows_batched`], for an `each` that never uses the store (it only
    /// writes output): the rows may arrive as the server sends them.
    fn rows_streamed(&self, q: &Query, each: &mut Each<'_>) -> Result<()> {
        self.rows_batched(q, each)
    }

    /// Runs a statement that returns no rows; how many rows it changed.
    fn execute(&self, q: &Query) -> Result<u64>;

    /// A decoder's error as this engine reports a damaged row (as it is, by default).
    fn damaged(&self, e: Error) -> Error {
        e
    }

    /// Whether this connection reads password hashes with a user (a person on a server
    /// that hides them does not).
    fn reads_hashes(&self) -> bool {
        true
    }
}

/// How many rows a statement is read for.
#[derive(Clone, Copy)]
pub enum Size {
    /// [`Run::rows`]
    Bounded,
    /// [`Run::rows_batched`]
    Any,
    /// [`Run::rows_streamed`]
    Streamed,
}

/// Runs `q` and hands each row, decoded, to `each`.
pub fn each<R: Run + ?Sized, T>(
    r: &R,
    size: Size,
    q: &Query,
    decode: impl Fn(&dyn Columns) -> Result<T>,
    each: &mut dyn FnMut(&T) -> Result<()>,
) -> Result<()> {
    let mut one = |row: &dyn Columns| each(&decode(row).map_err(|e| r.damaged(e))?);
    match size {
        Size::Bounded => r.rows(q, &mut one),
        Size::Any => r.rows_batched(q, &mut one),
        Size::Streamed => r.rows_streamed(q, &mut one),
    }
}

/// Every row of `q`, decoded.
pub fn all<R: Run + ?Sized, T>(
    r: &R,
    q: &Query,
    decode: impl Fn(&dyn Columns) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    r.rows(q, &mut |row| {
        out.push(decode(row).map_err(|e| r.damaged(e))?);
        Ok(())
    })?;
    Ok(out)
}

/// The first row of `q`, decoded, if there is one.
pub fn first<R: Run + ?Sized, T>(
    r: &R,
    q: &Query,
    decode: impl Fn(&dyn Columns) -> Result<T>,
) -> Result<Option<T>> {
    let mut found = None;
    r.rows(q, &mut |row| {
        if found.is_none() {
            found = Some(decode(row).map_err(|e| r.damaged(e))?);
        }
        Ok(())
    })?;
    Ok(found)
}

/// The first row of `sql`, written with `{1}`, `{2}`, … for `values` (see
/// [`Dialect::query`]), decoded, if there is one.
pub fn lookup<R: Run + ?Sized, T>(
    r: &R,
    sql: &str,
    values: Vec<Bind>,
    decode: impl Fn(&dyn Columns) -> Result<T>,
) -> Result<Option<T>> {
    first(r, &r.dialect().query(sql, values), decode)
}

/// The one row a statement always returns (an aggregate), decoded.
pub fn one<R: Run + ?Sized, T>(
    r: &R,
    q: &Query,
    decode: impl Fn(&dyn Columns) -> Result<T>,
) -> Result<T> {
    first(r, q, decode)?.ok_or_else(|| Error::internal(format!("no row from `{}`", q.sql)))
}
