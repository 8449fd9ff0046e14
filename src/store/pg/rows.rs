//! How this engine runs the statements both engines share ([`Run`]): the dialect they
//! are written in, their values as the client binds them, and three ways of reading the
//! rows — all at once (a bounded result), through a cursor in batches (any size, the
//! caller may use the store meanwhile) or as the server sends them (any size, the
//! caller only writes output). Every row is read by column name
//! ([`crate::store::rows::PgRow`]) with the shared decoders, so a NULL where none
//! belongs, or a value of another type, is a damaged store (`Kind::Integrity`, exit 8)
//! naming the column, never a panic and never a default.

use postgres::types::ToSql;

use super::Postgres;
use crate::error::Result;
use crate::store::rows::PgRow;
use crate::store::run::{Each, Run, Sealed};
use crate::store::sql::{Bind, Dialect, Query};
use crate::store::Transactions;

/// Rows fetched per round trip by a cursor.
const BATCH: usize = 10_000;

/// The dialect of the shared statements on this engine.
pub(super) const DIALECT: Dialect = Dialect::Postgres;

/// The values of a shared statement ([`crate::store::sql::Query`]) as the client binds
/// them: text as `text`, integers as `bigint`.
pub(super) fn binds(values: &[Bind]) -> Vec<&(dyn ToSql + Sync)> {
    values
        .iter()
        .map(|v| match v {
            Bind::Text(s) => s as &(dyn ToSql + Sync),
            Bind::Int(i) => i as &(dyn ToSql + Sync),
        })
        .collect()
}

impl Run for Postgres {
    fn dialect(&self) -> Dialect {
        DIALECT
    }

    /// Reads every row, then hands each over.
    fn rows(&self, _: Sealed, q: &Query, each: &mut Each<'_>) -> Result<()> {
        for r in &self.all(&q.sql, &binds(&q.values))? {
            each(&PgRow::new(r))?;
        }
        Ok(())
    }

    /// Runs `q` through a cursor in a read transaction of its own (a cursor needs one)
    /// unless one is open, fetching `BATCH` rows at a time so memory stays flat
    /// whatever the count, while `each` may use the connection between batches.
    fn rows_batched(&self, _: Sealed, q: &Query, each: &mut Each<'_>) -> Result<()> {
        let own = !self.in_tx.get();
        if own {
            self.begin_read(Sealed(()))?;
        }
        let cursor = format!("gh_rows_{}", self.cursors.get());
        self.cursors.set(self.cursors.get() + 1);
        let result = (|| {
            self.run(
                &format!("DECLARE {cursor} NO SCROLL CURSOR FOR {}", q.sql),
                &binds(&q.values),
            )?;
            loop {
                let rows = self.all(&format!("FETCH {BATCH} FROM {cursor}"), &[])?;
                for r in &rows {
                    each(&PgRow::new(r))?;
                }
                if rows.len() < BATCH {
                    break;
                }
            }
            self.exec(&format!("CLOSE {cursor}"))
        })();
        if own {
            let ended = self.rollback(Sealed(()));
            result.and(ended)
        } else {
            result
        }
    }

    /// Runs `q` and hands each row to `each` as the server sends it: no round trip per
    /// batch, so the server's work and ours overlap, and the client library's one-row
    /// channel keeps memory flat. The connection is busy meanwhile: `each` must not use
    /// the store.
    fn rows_streamed(&self, _: Sealed, q: &Query, each: &mut Each<'_>) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let values = binds(&q.values);
        let mut client = self.client.borrow_mut();
        let mut rows = client
            .query_raw(&q.sql, values.iter().copied())
            .map_err(|e| self.pg_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.pg_error(e))? {
            each(&PgRow::new(&row))?;
        }
        Ok(())
    }

    /// A statement without values goes as a simple query: one round trip, where a
    /// prepared one takes two.
    fn execute(&self, _: Sealed, q: &Query) -> Result<u64> {
        if !q.values.is_empty() {
            return self.run(&q.sql, &binds(&q.values));
        }
        let replies = self.call(|c| c.simple_query(&q.sql))?;
        Ok(replies
            .iter()
            .map(|m| match m {
                postgres::SimpleQueryMessage::CommandComplete(n) => *n,
                _ => 0,
            })
            .sum())
    }

    /// A person reads no password hash (no policy shows one); the installer, copying a
    /// store, does.
    fn reads_hashes(&self) -> bool {
        self.me.is_none()
    }

    /// The server checks passwords: a lookup never needs the hash.
    fn hash_in_lookups(&self) -> bool {
        false
    }
}
