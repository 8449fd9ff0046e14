//! The PostgreSQL side of the SQL and the rows both engines share: the dialect this
//! engine's statements of [`crate::store::sql`] are written in, their values as the
//! client binds them, and the user columns this connection may read. Every row is read
//! by column name with [`crate::store::rows::Columns`] and the decoders beside it, so a
//! NULL where none belongs, or a value of another type, is a damaged store
//! (`Kind::Integrity`, exit 8) naming the column, never a panic and never a default.

use postgres::types::ToSql;

use super::Postgres;
use crate::store::sql::{self, Bind, Dialect};

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

impl Postgres {
    /// What a user row reads ([`crate::store::rows::user`]): with the password hash for
    /// the installer (a copy), whom no policy hides it from; without it for a person,
    /// who may not read it.
    pub(super) fn user_columns(&self) -> String {
        sql::user_columns(DIALECT, self.me.is_none())
    }
}
