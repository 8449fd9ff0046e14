//! The `assignments` table: who holds which package, who may reach what (for the
//! access report) and the members of a package.

use super::rows::{
    access_pair_from_row, assignment_from_row, member_from_row, pair_from_row, Col,
    ACCESS_USER_COLUMNS, ASSIGNMENT_COLUMNS,
};
use super::Postgres;
use crate::error::Result;
use crate::store::{AccessPair, AssignmentRow, Assignments, Member, Package, Relation};

impl Assignments for Postgres {
    fn all_assignments(&self) -> Result<Vec<AssignmentRow>> {
        self.all(
            &format!("SELECT {ASSIGNMENT_COLUMNS} FROM assignments ORDER BY user_id, package_id"),
            &[],
        )?
        .iter()
        .map(assignment_from_row)
        .collect::<Result<_>>()
    }
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
    fn relation(&self, user_id: i64, package: &Package) -> Result<Relation> {
        let assigned: bool = self
            .one(
                "SELECT EXISTS (SELECT 1 FROM assignments WHERE user_id = $1 AND package_id = $2)",
                &[&user_id, &package.id],
            )?
            .col(0)?;
        Ok(Relation {
            creator: package.created_by == Some(user_id),
            assigned,
        })
    }
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
        .map(pair_from_row)
        .collect()
    }
    fn for_each_access_pair(&self, each: &mut dyn FnMut(&AccessPair) -> Result<()>) -> Result<()> {
        let sql = format!(
            "SELECT {ACCESS_USER_COLUMNS}, p.name, 'admin', p.name_key FROM users u CROSS JOIN packages p \
               WHERE u.role = 'admin' \
             UNION ALL \
             SELECT {ACCESS_USER_COLUMNS}, p.name, 'creator', p.name_key FROM packages p \
               JOIN users u ON u.id = p.created_by WHERE u.role = 'user' \
             UNION ALL \
             SELECT {ACCESS_USER_COLUMNS}, p.name, 'assigned', p.name_key FROM assignments a \
               JOIN users u ON u.id = a.user_id JOIN packages p ON p.id = a.package_id \
               WHERE u.role = 'user' AND p.created_by IS DISTINCT FROM u.id \
             ORDER BY 2, 8"
        );
        // One statement; `each` only writes output (see Backend): the rows stream as the
        // server sends them.
        self.stream_direct(&sql, &[], &mut |r| each(&access_pair_from_row(r)?))
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
            .map(|r| r.col(0))
            .collect::<Result<_>>()?;
        for id in current.iter().filter(|id| !package_ids.contains(id)) {
            self.unassign(user_id, *id)?;
        }
        for id in package_ids {
            self.assign(user_id, *id, by)?;
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
                 RETURNING (SELECT name FROM packages WHERE id = a.package_id)",
            &[&user_id],
        )?
        .iter()
        .map(|r| r.col(0))
        .collect::<Result<_>>()
    }
    fn members(&self, package: &Package) -> Result<Vec<Member>> {
        self.all(
            "SELECT u.id, u.email, u.name, u.role = 'admin', \
                        u.id IS NOT DISTINCT FROM $2, a.user_id IS NOT NULL, \
                        (SELECT email FROM users WHERE id = a.assigned_by), a.assigned_at \
                 FROM users u LEFT JOIN assignments a ON a.user_id = u.id AND a.package_id = $1 \
                 WHERE u.role = 'admin' OR u.id IS NOT DISTINCT FROM $2 OR a.user_id IS NOT NULL \
                 ORDER BY lower(u.name), u.id",
            &[&package.id, &package.created_by],
        )?
        .iter()
        .map(member_from_row)
        .collect::<Result<_>>()
    }
}
