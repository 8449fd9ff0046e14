//! The `assignments` table on the server: assigning and unassigning, many at once with
//! arrays. Relations, members and access pairs are the shared SQL of
//! [`crate::store::Assignments`].

use super::Postgres;
use crate::error::Result;
use crate::store::rows::Columns;
use crate::store::sql;
use crate::store::Assignments;

impl crate::store::AssignmentReads for Postgres {
    fn assigned_among(
        &self,
        user_ids: &[i64],
        package_ids: &[i64],
    ) -> Result<std::collections::HashSet<(i64, i64)>> {
        self.all(
            "SELECT user_id, package_id FROM assignments \
             WHERE user_id = ANY($1) AND package_id = ANY($2)",
            &[&user_ids, &package_ids],
        )?
        .iter()
        .map(|r| Ok((r.int("user_id")?, r.int("package_id")?)))
        .collect()
    }
}

impl Assignments for Postgres {
    fn assign_many(&self, pairs: &[(i64, i64)], by: i64) -> Result<u64> {
        let now = self.now_str();
        let mut n = 0;
        for chunk in pairs.chunks(5000) {
            let users: Vec<i64> = chunk.iter().map(|p| p.0).collect();
            let packages: Vec<i64> = chunk.iter().map(|p| p.1).collect();
            n += self.run(
                "INSERT INTO assignments (user_id, package_id, assigned_by, assigned_at) \
                 SELECT u, p, $3, $4 FROM unnest($1::bigint[], $2::bigint[]) AS x(u, p) \
                 ON CONFLICT DO NOTHING",
                &[&users, &packages, &by, &now],
            )?;
        }
        Ok(n)
    }
    fn assign(&self, user_id: i64, package_id: i64, by: i64) -> Result<bool> {
        let n = self.run(
            "INSERT INTO assignments (user_id, package_id, assigned_by, assigned_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            &[&user_id, &package_id, &by, &self.now_str()],
        )?;
        Ok(n == 1)
    }
    fn set_assignments(&self, user_id: i64, package_ids: &[i64], by: i64) -> Result<()> {
        let current: Vec<i64> = self
            .all(
                "SELECT package_id FROM assignments WHERE user_id = $1",
                &[&user_id],
            )?
            .iter()
            .map(|r| r.int("package_id"))
            .collect::<Result<_>>()?;
        // One statement per package, as the audit trail records each on its own.
        let (unassign, assign) = sql::assignment_changes(&current, package_ids);
        for id in unassign {
            self.unassign(user_id, id)?;
        }
        for id in assign {
            self.assign(user_id, id, by)?;
        }
        Ok(())
    }
    fn unassign(&self, user_id: i64, package_id: i64) -> Result<bool> {
        let n = self.run(
            "DELETE FROM assignments WHERE user_id = $1 AND package_id = $2",
            &[&user_id, &package_id],
        )?;
        Ok(n == 1)
    }
    fn unassign_all(&self, user_id: i64) -> Result<Vec<String>> {
        self.all(
            "DELETE FROM assignments a WHERE a.user_id = $1 \
                 RETURNING (SELECT name FROM packages WHERE id = a.package_id) AS name",
            &[&user_id],
        )?
        .iter()
        .map(|r| r.text("name"))
        .collect::<Result<_>>()
    }
}
