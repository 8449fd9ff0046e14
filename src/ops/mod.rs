//! Operations: what `user import`, `user export` and `apply` do, with typed options in
//! and a typed report out — as cargo's `ops::cargo_compile(ws, &CompileOptions)`. A
//! command handler turns its clap arguments into the options, calls the operation and
//! prints the report; an operation never prints, prompts or reads the command line.
//! What must reach the person while it runs (a warning, a refused row, a progress bar)
//! goes through the [`Observer`] the command passes in, and its one write transaction
//! through the [`Transact`] the command passes in, which re-reads and re-authorizes the
//! person running it under the write lock.

pub mod apply;
pub mod export;
pub mod import;

use crate::error::Result;
use crate::store::{Store, User};

/// Runs `f` in one write transaction as the person running the operation (re-read, and
/// the command decided for them again, under the write lock); `commit: false` runs
/// everything and rolls back (`--dry-run`). A transaction the store retries calls `f`
/// again.
pub type Transact<'a> = &'a dyn Fn(bool, Work<'_>) -> Result<()>;

/// What an operation does inside its transaction, on the store and as the person.
pub type Work<'a> = &'a mut dyn FnMut(&Store, &User) -> Result<()>;

/// What an operation says while it runs, for the command to show as it comes.
pub trait Observer {
    /// A warning about the input or the run.
    fn warn(&self, message: &str);
    /// One problem of an input that is refused, before the error that ends the run.
    fn problem(&self, line: &str);
    /// A progress bar for `total` steps of slow work (hashing passwords).
    fn progress(&self, total: u64) -> Box<dyn Progress>;
}

/// A progress bar, advanced from worker threads.
pub trait Progress: Sync {
    fn step(&self);
    fn finish(&self);
}
