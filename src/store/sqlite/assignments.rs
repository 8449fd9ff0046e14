//! Who is assigned which package ([`Assignments`]), as SQLite writes it: assigning and
//! unassigning rows of the `assignments` join table. What the access rule makes of
//! them — a relation, the members of a package, every pair the rule reaches — is the
//! shared SQL of the trait itself.

use std::collections::HashSet;

use rusqlite::params;

use super::Sqlite;
use crate::error::Result;
use crate::store::run;
use crate::store::sql::Query;
use crate::store::Assignments;

impl crate::store::AssignmentReads for Sqlite {
    /// The ids are numbers, written into the statement.
    fn assigned_among(&self, user_ids: &[i64], package_ids: &[i64]) -> Result<HashSet<(i64, i64)>> {
        let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        if user_ids.is_empty() || package_ids.is_empty() {
            return Ok(HashSet::new());
        }
        let sql = format!(
            "SELECT user_id, package_id FROM assignments \
             WHERE user_id IN ({}) AND package_id IN ({})",
            list(user_ids),
            list(package_ids)
        );
        let pairs = run::all(self, &Query::plain(sql), |r| {
            Ok((r.int("user_id")?, r.int("package_id")?))
        })?;
        Ok(pairs.into_iter().collect())
    }
}

impl Assignments for Sqlite {
    /// Assigns; returns false when the assignment already existed.
    fn assign(&self, user_id: i64, package_id: i64, by: i64) -> Result<bool> {
        let n = self.run(
            "INSERT OR IGNORE INTO assignments (user_id, package_id, assigned_by, assigned_at) \
             VALUES (?1, ?2, ?3, ?4)",
            params![user_id, package_id, by, self.now_str()],
        )?;
        Ok(n == 1)
    }

    /// Makes a user's assignments exactly `package_ids`: the others are removed, the
    /// missing ones added (by `by`), the ones kept keep who assigned them and when.
    fn set_assignments(&self, user_id: i64, package_ids: &[i64], by: i64) -> Result<()> {
        let q = Query::new(
            "SELECT package_id FROM assignments WHERE user_id = ?1",
            vec![user_id.into()],
        );
        let current = run::all(self, &q, |r| r.int("package_id"))?;
        for id in current.iter().filter(|id| !package_ids.contains(id)) {
            self.unassign(user_id, *id)?;
        }
        for id in package_ids {
            self.assign(user_id, *id, by)?;
        }
        Ok(())
    }

    /// Unassigns; returns false when there was nothing to remove.
    fn unassign(&self, user_id: i64, package_id: i64) -> Result<bool> {
        let n = self.run(
            "DELETE FROM assignments WHERE user_id = ?1 AND package_id = ?2",
            params![user_id, package_id],
        )?;
        Ok(n == 1)
    }

    /// Removes every assignment of a user; returns the package names removed.
    fn unassign_all(&self, user_id: i64) -> Result<Vec<String>> {
        let q = Query::new(
            "DELETE FROM assignments WHERE user_id = ?1 \
             RETURNING (SELECT name FROM packages WHERE id = package_id) AS name",
            vec![user_id.into()],
        );
        run::all(self, &q, |r| r.text("name"))
    }
}
