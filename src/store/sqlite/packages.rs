//! The packages themselves ([`Packages`]). A name is unique by its canonical key
//! (`name_key`: NFC with full case folding, computed here), so `Äpfel` and `äpfel` are
//! one name; lists are in the shared order of [`crate::store::sql`]. Who reaches a
//! package is `assignments`.

use rusqlite::params;

use super::rows::binds;
use super::{Sqlite, DIALECT};
use crate::error::{Error, Result};
use crate::model::{package_key, Status};
use crate::store::rows::{self, Columns};
use crate::store::sql::{self, PACKAGE_COLUMNS};
use crate::store::{package_taken, Package, Packages};

impl Sqlite {
    /// An insert or update of a package, a name taken being a conflict.
    fn write_package(&self, sql: &str, params: impl rusqlite::Params, name: &str) -> Result<()> {
        let res = self.stmt(sql)?.execute(params);
        match res {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                Err(package_taken(name))
            }
            Err(e) => Err(self.sql_error(e)),
        }
    }
}

impl Packages for Sqlite {
    fn package_by_name(&self, name: &str) -> Result<Option<Package>> {
        let sql = format!("SELECT {PACKAGE_COLUMNS} FROM packages p WHERE p.name_key = ?1");
        self.opt(&sql, [package_key(name)], |r| rows::package(r))
    }

    fn package_by_id(&self, id: i64) -> Result<Package> {
        let sql = format!("SELECT {PACKAGE_COLUMNS} FROM packages p WHERE p.id = ?1");
        self.opt(&sql, [id], |r| rows::package(r))?
            .ok_or_else(|| Error::not_found(format!("no package with id `{id}`")))
    }

    /// All packages (for admins), or those `visible_to` created or is assigned, by name.
    fn for_each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let q = sql::packages(DIALECT, visible_to, include_inactive);
        self.each(&q.sql, binds(&q.values), |r| rows::package(r), |p| each(&p))
    }

    fn count_packages(&self) -> Result<u64> {
        self.one("SELECT count(*) AS n FROM packages", [], |r| r.count("n"))
    }

    /// Packages no one but an admin can reach: no active, unexpired regular user created
    /// one or is assigned to it. `now` decides who is expired.
    fn count_admin_only_packages(&self, now: &str) -> Result<u64> {
        let q = sql::count_admin_only_packages(DIALECT, now);
        self.one(&q.sql, binds(&q.values), |r| r.count("n"))
    }

    fn for_each_admin_only_package(
        &self,
        now: &str,
        limit: Option<u64>,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let q = sql::admin_only_packages(DIALECT, now, limit);
        self.each(&q.sql, binds(&q.values), |r| rows::package(r), |p| each(&p))
    }

    fn insert_package(
        &self,
        name: &str,
        description: Option<&str>,
        created_by: i64,
    ) -> Result<Package> {
        self.write_package(
            "INSERT INTO packages (name, name_key, description, status, created_by, created_at, \
             updated_at) VALUES (?1, ?2, ?3, 'active', ?4, ?5, ?5)",
            params![
                name,
                package_key(name),
                description,
                created_by,
                self.now_str()
            ],
            name,
        )?;
        self.package_by_id(self.conn.last_insert_rowid())
    }

    /// Renames, re-describes or changes the status of a package.
    fn update_package(
        &self,
        id: i64,
        name: Option<&str>,
        description: Option<Option<&str>>,
        status: Option<Status>,
    ) -> Result<Package> {
        self.write_package(
            "UPDATE packages SET name = coalesce(?1, name), name_key = coalesce(?7, name_key), \
             description = CASE WHEN ?2 THEN ?3 ELSE description END, \
             status = coalesce(?4, status), updated_at = ?5 WHERE id = ?6",
            params![
                name,
                description.is_some(),
                description.flatten(),
                status.map(Status::as_str),
                self.now_str(),
                id,
                name.map(package_key),
            ],
            name.unwrap_or_default(),
        )?;
        self.package_by_id(id)
    }

    fn delete_package(&self, id: i64) -> Result<()> {
        self.run("DELETE FROM packages WHERE id = ?1", [id])?;
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
