//! The `packages` table: names unique without regard to case (the server's
//! `name_key`), the packages a user may see, and those only admins still reach.

use postgres::error::SqlState;

use super::rows::{binds, DIALECT};
use super::Postgres;
use crate::error::{Error, Result};
use crate::model::Status;
use crate::store::rows::{self, Columns};
use crate::store::sql::{self, PACKAGE_COLUMNS};
use crate::store::{package_taken, Package, Packages};

impl Packages for Postgres {
    fn package_by_name(&self, name: &str) -> Result<Option<Package>> {
        self.opt(
            &format!(
                "SELECT {PACKAGE_COLUMNS} FROM packages p \
                     WHERE p.name_key = gatehouse.name_key($1)"
            ),
            &[&name],
        )?
        .map(|r| rows::package(&r))
        .transpose()
    }
    fn package_by_id(&self, id: i64) -> Result<Package> {
        self.opt(
            &format!("SELECT {PACKAGE_COLUMNS} FROM packages p WHERE p.id = $1"),
            &[&id],
        )?
        .map(|r| rows::package(&r))
        .ok_or_else(|| Error::not_found(format!("no package with id `{id}`")))?
    }
    fn for_each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let q = sql::packages(DIALECT, visible_to, include_inactive);
        for r in &self.all(&q.sql, &binds(&q.values))? {
            each(&rows::package(r)?)?;
        }
        Ok(())
    }
    fn count_packages(&self) -> Result<u64> {
        self.one("SELECT count(*) AS n FROM packages", &[])?
            .count("n")
    }
    fn count_admin_only_packages(&self, now: &str) -> Result<u64> {
        let q = sql::count_admin_only_packages(DIALECT, now);
        self.one(&q.sql, &binds(&q.values))?.count("n")
    }
    fn for_each_admin_only_package(
        &self,
        now: &str,
        limit: Option<u64>,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let q = sql::admin_only_packages(DIALECT, now, limit);
        for r in &self.all(&q.sql, &binds(&q.values))? {
            each(&rows::package(r)?)?;
        }
        Ok(())
    }
    fn insert_package(
        &self,
        name: &str,
        description: Option<&str>,
        created_by: i64,
    ) -> Result<Package> {
        let now = self.now_str();
        let res = self.client.borrow_mut().query_one(
            "INSERT INTO packages (name, description, status, created_by, created_at, \
             updated_at) VALUES ($1, $2, 'active', $3, $4, $4) RETURNING id",
            &[&name, &description, &created_by, &now],
        );
        match res {
            Ok(r) => self.package_by_id(r.int("id")?),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => Err(package_taken(name)),
            Err(e) => Err(self.pg_error(e)),
        }
    }
    fn update_package(
        &self,
        id: i64,
        name: Option<&str>,
        description: Option<Option<&str>>,
        status: Option<Status>,
    ) -> Result<Package> {
        let q = sql::update_package(DIALECT, id, name, description, status, &self.now_str());
        let res = self.client.borrow_mut().execute(&q.sql, &binds(&q.values));
        match res {
            Ok(_) => self.package_by_id(id),
            Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                Err(package_taken(name.unwrap_or_default()))
            }
            Err(e) => Err(self.pg_error(e)),
        }
    }
    fn delete_package(&self, id: i64) -> Result<()> {
        self.run("DELETE FROM packages WHERE id = $1", &[&id])
            .map(|_| ())
    }
}
