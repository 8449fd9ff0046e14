//! The `packages` and `assignments` tables. Names are unique without regard to letter
//! case (`COLLATE NOCASE`); an assignment is a row in a join table.

use rusqlite::{params, OptionalExtension, Row};

use super::Sqlite;
use crate::authz::Arm;
use crate::error::{Error, Result};
use crate::model::package_key;
use crate::model::Role;
use crate::model::Status;
use crate::store::{package_taken, AccessPair, Member, Package, Relation};

const PACKAGE_COLUMNS: &str = "p.id, p.name, p.description, p.status, p.created_by, \
    (SELECT email FROM users WHERE id = p.created_by), p.created_at, p.updated_at, \
    (SELECT count(*) FROM assignments a WHERE a.package_id = p.id)";

fn package_from_row(r: &Row<'_>) -> rusqlite::Result<Package> {
    let status: String = r.get(3)?;
    Ok(Package {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        status: Status::parse_db(&status).unwrap_or(Status::Inactive),
        created_by: r.get(4)?,
        created_by_email: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        assigned_count: r.get(8)?,
    })
}

impl Sqlite {
    /// Schema version 3: the canonical key of every existing package. Two names that
    /// only the new key finds equal stop the upgrade, naming both.
    pub(super) fn backfill_package_keys(&self) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM packages ORDER BY id")
            .map_err(|e| self.sql_error(e))?;
        let rows: Vec<(i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sql_error(e))?;
        let mut seen = std::collections::HashMap::new();
        for (id, name) in rows {
            let key = package_key(&name);
            if let Some(other) = seen.insert(key.clone(), name.clone()) {
                return Err(Error::store(format!(
                    "packages `{other}` and `{name}` differ only in letter case or Unicode form; \
                     this version keeps one name for both"
                ))
                .with_hint("rename one of them with the previous gatehouse, then upgrade"));
            }
            self.conn
                .execute(
                    "UPDATE packages SET name_key = ?1 WHERE id = ?2",
                    params![key, id],
                )
                .map_err(|e| self.sql_error(e))?;
        }
        Ok(())
    }

    pub fn package_by_name(&self, name: &str) -> Result<Option<Package>> {
        let sql = format!("SELECT {PACKAGE_COLUMNS} FROM packages p WHERE p.name_key = ?1");
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(|e| self.sql_error(e))?;
        stmt.query_row([package_key(name)], package_from_row)
            .optional()
            .map_err(|e| self.sql_error(e))
    }

    pub fn count_packages(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM packages", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.sql_error(e))
    }

    /// Packages no one but an admin can reach: no active, unexpired regular user created
    /// one or is assigned to it. `now` decides who is expired.
    fn admin_only_where() -> &'static str {
        "WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.created_by AND u.role = 'user' \
           AND u.status = 'active' AND (u.expires_at IS NULL OR u.expires_at > ?1)) \
         AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id \
           WHERE a.package_id = p.id AND u.role = 'user' AND u.status = 'active' \
           AND (u.expires_at IS NULL OR u.expires_at > ?1))"
    }

    pub fn count_admin_only_packages(&self, now: &str) -> Result<u64> {
        let sql = format!(
            "SELECT count(*) FROM packages p {}",
            Self::admin_only_where()
        );
        self.conn
            .query_row(&sql, [now], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.sql_error(e))
    }

    pub fn each_admin_only_package(
        &self,
        now: &str,
        limit: Option<u64>,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "SELECT {PACKAGE_COLUMNS} FROM packages p {} ORDER BY p.name COLLATE NOCASE LIMIT {}",
            Self::admin_only_where(),
            limit.map_or(-1, |l| l as i64)
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_error(e))?;
        let mut rows = stmt.query([now]).map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            each(&package_from_row(row).map_err(|e| self.sql_error(e))?)?;
        }
        Ok(())
    }

    /// Every (user, package) pair the rule lets the user see, with its arm, by user
    /// email then package name: admins reach every package, regular users what they
    /// created (creator wins over assigned) or were assigned. Sorted by SQLite, which
    /// spills to disk rather than holding a large store in memory.
    pub fn each_access_pair(&self, each: &mut dyn FnMut(&AccessPair) -> Result<()>) -> Result<()> {
        const USER: &str = "u.id, u.email, u.name, u.role, u.status";
        let sql = format!(
            "SELECT {USER}, p.name, 'admin', p.name_key FROM users u CROSS JOIN packages p \
               WHERE u.role = 'admin' \
             UNION ALL \
             SELECT {USER}, p.name, 'creator', p.name_key FROM packages p \
               JOIN users u ON u.id = p.created_by WHERE u.role = 'user' \
             UNION ALL \
             SELECT {USER}, p.name, 'assigned', p.name_key FROM assignments a \
               JOIN users u ON u.id = a.user_id JOIN packages p ON p.id = a.package_id \
               WHERE u.role = 'user' AND p.created_by IS NOT u.id \
             ORDER BY 2, 8"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_error(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sql_error(e))?;
        while let Some(r) = rows.next().map_err(|e| self.sql_error(e))? {
            let pair = (|| -> rusqlite::Result<AccessPair> {
                let role: String = r.get(3)?;
                let status: String = r.get(4)?;
                let arm: String = r.get(6)?;
                Ok(AccessPair {
                    user_id: r.get(0)?,
                    email: r.get(1)?,
                    name: r.get(2)?,
                    role: Role::parse_db(&role).unwrap_or(Role::User),
                    status: Status::parse_db(&status).unwrap_or(Status::Inactive),
                    package: r.get(5)?,
                    arm: match arm.as_str() {
                        "admin" => Arm::Admin,
                        "creator" => Arm::Creator,
                        _ => Arm::Assigned,
                    },
                })
            })()
            .map_err(|e| self.sql_error(e))?;
            each(&pair)?;
        }
        Ok(())
    }

    pub fn package_by_id(&self, id: i64) -> Result<Package> {
        let sql = format!("SELECT {PACKAGE_COLUMNS} FROM packages p WHERE p.id = ?1");
        self.conn
            .query_row(&sql, [id], package_from_row)
            .map_err(|e| self.sql_error(e))
    }

    /// All packages (for admins), or those `user_id` created or is assigned, by name.
    pub fn each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        mut each: impl FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let mut wheres = Vec::new();
        if visible_to.is_some() {
            wheres.push(
                "(p.created_by = ?1 OR EXISTS (SELECT 1 FROM assignments a \
                 WHERE a.package_id = p.id AND a.user_id = ?1))",
            );
        }
        if !include_inactive {
            wheres.push("p.status = 'active'");
        }
        let sql = format!(
            "SELECT {PACKAGE_COLUMNS} FROM packages p {} ORDER BY p.name COLLATE NOCASE",
            if wheres.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", wheres.join(" AND "))
            }
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_error(e))?;
        let mut rows = match visible_to {
            Some(id) => stmt.query([id]),
            None => stmt.query([]),
        }
        .map_err(|e| self.sql_error(e))?;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            each(&package_from_row(row).map_err(|e| self.sql_error(e))?)?;
        }
        Ok(())
    }

    /// See `Backend::assigned_among`. The ids are numbers, written into the statement.
    pub fn assigned_among(
        &self,
        user_ids: &[i64],
        package_ids: &[i64],
    ) -> Result<std::collections::HashSet<(i64, i64)>> {
        let list = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let mut pairs = std::collections::HashSet::new();
        if user_ids.is_empty() || package_ids.is_empty() {
            return Ok(pairs);
        }
        let sql = format!(
            "SELECT user_id, package_id FROM assignments \
             WHERE user_id IN ({}) AND package_id IN ({})",
            list(user_ids),
            list(package_ids)
        );
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
            .map_err(|e| self.sql_error(e))?;
        for row in rows {
            pairs.insert(row.map_err(|e| self.sql_error(e))?);
        }
        Ok(pairs)
    }

    pub fn relation(&self, user_id: i64, package: &Package) -> Result<Relation> {
        let assigned: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM assignments WHERE user_id = ?1 AND package_id = ?2)",
                params![user_id, package.id],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(Relation {
            creator: package.created_by == Some(user_id),
            assigned,
        })
    }

    pub fn insert_package(
        &self,
        name: &str,
        description: Option<&str>,
        created_by: i64,
    ) -> Result<Package> {
        let now = self.now_str();
        let res = self.conn.execute(
            "INSERT INTO packages (name, name_key, description, status, created_by, created_at, \
             updated_at) VALUES (?1, ?2, ?3, 'active', ?4, ?5, ?5)",
            params![name, package_key(name), description, created_by, now],
        );
        match res {
            Ok(_) => self.package_by_id(self.conn.last_insert_rowid()),
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(package_taken(name))
            }
            Err(e) => Err(self.sql_error(e)),
        }
    }

    /// Renames, re-describes or changes the status of a package.
    pub fn update_package(
        &self,
        id: i64,
        name: Option<&str>,
        description: Option<Option<&str>>,
        status: Option<Status>,
    ) -> Result<Package> {
        let now = self.now_str();
        let res = self.conn.execute(
            "UPDATE packages SET name = coalesce(?1, name), name_key = coalesce(?7, name_key), \
             description = CASE WHEN ?2 THEN ?3 ELSE description END, \
             status = coalesce(?4, status), updated_at = ?5 WHERE id = ?6",
            params![
                name,
                description.is_some(),
                description.flatten(),
                status.map(Status::as_str),
                now,
                id,
                name.map(package_key),
            ],
        );
        match res {
            Ok(_) => self.package_by_id(id),
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(package_taken(name.unwrap_or_default()))
            }
            Err(e) => Err(self.sql_error(e)),
        }
    }

    pub fn delete_package(&self, id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM packages WHERE id = ?1", [id])
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Assigns; returns false when the assignment already existed.
    pub fn assign(&self, user_id: i64, package_id: i64, by: i64) -> Result<bool> {
        let n = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO assignments (user_id, package_id, assigned_by, assigned_at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut st| st.execute(params![user_id, package_id, by, self.now_str()]))
            .map_err(|e| self.sql_error(e))?;
        Ok(n == 1)
    }

    /// Makes a user's assignments exactly `package_ids`: the others are removed, the
    /// missing ones added (by `by`), the ones kept keep who assigned them and when.
    pub fn set_assignments(&self, user_id: i64, package_ids: &[i64], by: i64) -> Result<()> {
        let current: Vec<i64> = self
            .conn
            .prepare_cached("SELECT package_id FROM assignments WHERE user_id = ?1")
            .and_then(|mut st| {
                st.query_map([user_id], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<i64>>>()
            })
            .map_err(|e| self.sql_error(e))?;
        for id in current.iter().filter(|id| !package_ids.contains(id)) {
            self.unassign(user_id, *id)?;
        }
        for id in package_ids {
            self.assign(user_id, *id, by)?;
        }
        Ok(())
    }

    /// Unassigns; returns false when there was nothing to remove.
    pub fn unassign(&self, user_id: i64, package_id: i64) -> Result<bool> {
        let n = self
            .conn
            .execute(
                "DELETE FROM assignments WHERE user_id = ?1 AND package_id = ?2",
                params![user_id, package_id],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(n == 1)
    }

    /// Every user who can see the package: admins, its creator, those assigned.
    pub fn members(&self, package: &Package) -> Result<Vec<Member>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT u.id, u.email, u.name, u.role = 'admin', \
                        u.id IS ?2, a.user_id IS NOT NULL, \
                        (SELECT email FROM users WHERE id = a.assigned_by), a.assigned_at \
                 FROM users u LEFT JOIN assignments a ON a.user_id = u.id AND a.package_id = ?1 \
                 WHERE u.role = 'admin' OR u.id IS ?2 OR a.user_id IS NOT NULL \
                 ORDER BY u.name COLLATE NOCASE, u.id",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map(params![package.id, package.created_by], |r| {
                Ok(Member {
                    user_id: r.get(0)?,
                    email: r.get(1)?,
                    name: r.get(2)?,
                    is_admin: r.get(3)?,
                    relation: Relation {
                        creator: r.get(4)?,
                        assigned: r.get(5)?,
                    },
                    assigned_by: r.get(6)?,
                    assigned_at: r.get(7)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.sql_error(e))
    }

    /// Removes every assignment of a user; returns the package names removed.
    pub fn unassign_all(&self, user_id: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "DELETE FROM assignments WHERE user_id = ?1 \
                 RETURNING (SELECT name FROM packages WHERE id = package_id)",
            )
            .map_err(|e| self.sql_error(e))?;
        let names = stmt
            .query_map([user_id], |r| r.get(0))
            .map_err(|e| self.sql_error(e))?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| self.sql_error(e))?;
        Ok(names)
    }

    /// Writes a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Sets the four notification preferences of a user.
    pub fn set_notifications(&self, id: i64, prefs: [bool; 4]) -> Result<()> {
        self.conn
            .execute(
                "UPDATE users SET email_notifications = ?1, sms_notifications = ?2, \
                 shipment_updates = ?3, system_announcements = ?4, updated_at = ?5 WHERE id = ?6",
                params![prefs[0], prefs[1], prefs[2], prefs[3], self.now_str(), id],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::authz::can_see;
    use crate::model::{Role, Status};
    use crate::store::{NewUser, Store, DEFAULT_BUSY_TIMEOUT};

    /// The SQL that lists a user's packages is the rule's `see` arm written again: check
    /// it against `authz::can_see` for every role and relation.
    #[test]
    fn the_visibility_sql_agrees_with_the_rule() {
        let dir = tempfile::tempdir().unwrap();
        let now = "2026-01-01T00:00:00Z".parse().unwrap();
        let store = Store::create(&dir.path().join("g.db"), now, DEFAULT_BUSY_TIMEOUT).unwrap();
        let user = |s: &Store, email: &str, role: Role| {
            s.users().insert_user_id(&NewUser {
                email: email.parse().unwrap(),
                name: email.into(),
                full_name: None,
                phone: None,
                role,
                status: Status::Active,
                password_hash: None,
                must_change_password: false,
                expires_at: None,
                created_at: None,
                last_login_at: None,
            })
        };
        let users = store
            .write(|s| {
                s.maintenance().apply_migrations()?;
                let admin = user(s, "root@example.com", Role::Admin)?;
                let mut users = vec![(admin, Role::Admin)];
                for (i, role) in [Role::Admin, Role::User].into_iter().enumerate() {
                    for rel in 0..4 {
                        let id = user(s, &format!("u{i}{rel}@example.com"), role)?;
                        let creator = if rel & 1 == 1 { id } else { admin };
                        let p =
                            s.packages()
                                .insert_package(&format!("p{i}{rel}"), None, creator)?;
                        if rel & 2 == 2 {
                            s.assignments().assign(id, p.id, admin)?;
                        }
                        users.push((id, role));
                    }
                }
                Ok(users)
            })
            .unwrap();
        for (id, role) in users {
            let mut listed = Vec::new();
            let visible_to = (role != Role::Admin).then_some(id);
            store
                .each_package(visible_to, true, |p| {
                    listed.push(p.name.clone());
                    Ok(())
                })
                .unwrap();
            let mut expected = Vec::new();
            store
                .each_package(None, true, |p| {
                    let rel = store.assignments().relation(id, p)?;
                    if can_see(role, rel).is_some() {
                        expected.push(p.name.clone());
                    }
                    Ok(())
                })
                .unwrap();
            assert_eq!(listed, expected, "user {id} ({role:?})");
        }
    }
}
