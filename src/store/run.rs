//! Running the statements of [`super::sql`]: the one thing the engines do differently
//! for the SQL they share.
//!
//! An engine implements [`Run`] — its dialect, how a [`Query`] is sent and how the rows
//! come back — and an operation whose SQL is the same on both engines is written once,
//! as a provided method of its concern's trait in [`super::backend`], on top of the
//! helpers here. Where an engine does a concern its own way, it implements the method
//! itself; packages and settings have no such method, so every engine gets them whole.
//!
//! Rows are handed over as [`Columns`], read by name; a decoder's error passes through
//! [`Run::damaged`] on its way out, so each engine says what a damaged row means to it.

use super::rows::Columns;
use super::sql::{Bind, Dialect, Query};
use crate::error::{Error, Result};

/// What running a statement, or opening and ending a transaction, takes: made only
/// inside the store, so the [`Run`] methods that run SQL and the transaction control of
/// `Transactions`, which the concern traits inherit, cannot be called from outside it
/// (a handler holding `&dyn UserReads` can neither run a statement nor commit).
pub struct Sealed(pub(super) ());

/// The cause an engine gives the error of a UNIQUE violation, so the shared code can tell
/// a name already taken from any other conflict.
#[derive(Debug)]
pub struct Taken;

impl std::fmt::Display for Taken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value that must be unique is taken")
    }
}

impl std::error::Error for Taken {}

/// Whether `e` is a UNIQUE violation (see [`Taken`]).
pub fn is_taken(e: &Error) -> bool {
    std::error::Error::source(e).is_some_and(|cause| cause.is::<Taken>())
}

/// A row handed to a caller, read by column name.
pub type Each<'a> = dyn FnMut(&dyn Columns) -> Result<()> + 'a;

/// How an engine runs a shared statement.
pub trait Run {
    /// The dialect this engine's statements are written in.
    fn dialect(&self) -> Dialect;

    /// Runs `q`, a statement with a bounded result, and hands each row to `each`, which
    /// may use the store meanwhile.
    fn rows(&self, _: Sealed, q: &Query, each: &mut Each<'_>) -> Result<()>;

    /// Like [`Run::rows`], for a result of any size: an engine that would otherwise
    /// hold every row first fetches them in batches.
    fn rows_batched(&self, _: Sealed, q: &Query, each: &mut Each<'_>) -> Result<()> {
        self.rows(Sealed(()), q, each)
    }

    /// Like [`Run::rows_batched`], for an `each` that never uses the store (it only
    /// writes output): the rows may arrive as the server sends them.
    fn rows_streamed(&self, _: Sealed, q: &Query, each: &mut Each<'_>) -> Result<()> {
        self.rows_batched(Sealed(()), q, each)
    }

    /// Runs a statement that returns no rows; how many rows it changed.
    fn execute(&self, _: Sealed, q: &Query) -> Result<u64>;

    /// A decoder's error as this engine reports a damaged row (as it is, by default).
    fn damaged(&self, e: Error) -> Error {
        e
    }

    /// Whether this connection reads password hashes with a user (a person on a server
    /// that hides them does not): a copy or an export of the store.
    fn reads_hashes(&self) -> bool {
        true
    }

    /// Whether a user looked up one at a time comes with the password hash: where the
    /// store checks passwords itself (SQLite); a server that checks them never needs it.
    fn hash_in_lookups(&self) -> bool {
        self.reads_hashes()
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
        Size::Bounded => r.rows(Sealed(()), q, &mut one),
        Size::Any => r.rows_batched(Sealed(()), q, &mut one),
        Size::Streamed => r.rows_streamed(Sealed(()), q, &mut one),
    }
}

/// Every row of `q`, decoded.
pub fn all<R: Run + ?Sized, T>(
    r: &R,
    q: &Query,
    decode: impl Fn(&dyn Columns) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    r.rows(Sealed(()), q, &mut |row| {
        out.push(decode(row).map_err(|e| r.damaged(e))?);
        Ok(())
    })?;
    Ok(out)
}

/// The first row of `q`, decoded, if there is one. Every row is read: for a statement
/// that has at most one (a lookup by a unique key, `LIMIT 1`, an aggregate).
pub fn first<R: Run + ?Sized, T>(
    r: &R,
    q: &Query,
    decode: impl Fn(&dyn Columns) -> Result<T>,
) -> Result<Option<T>> {
    let mut found = None;
    r.rows(Sealed(()), q, &mut |row| {
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

/// Runs a statement that returns no rows; how many rows it changed.
pub fn execute<R: Run + ?Sized>(r: &R, q: &Query) -> Result<u64> {
    r.execute(Sealed(()), q)
}

/// The one row a statement always returns (an aggregate), decoded.
pub fn one<R: Run + ?Sized, T>(
    r: &R,
    q: &Query,
    decode: impl Fn(&dyn Columns) -> Result<T>,
) -> Result<T> {
    first(r, q, decode)?.ok_or_else(|| Error::internal(format!("no row from `{}`", q.sql)))
}
