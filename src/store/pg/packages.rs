//! The `packages` table: names unique without regard to case (the server's
//! `name_key`), the packages a user may see, and those only admins still reach.

use postgres::error::SqlState;

use super::rows::{package_from_row, Col, PACKAGE_COLUMNS};
use super::Postgres;
use crate::error::{Error, Result};
use crate::model::Status;
use crate::store::{package_taken, Package, Packages};

/// The packages no active, unexpired plain user created or holds (`$1`: now).
const ADMIN_ONLY_WHERE: &str = "WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.created_by \
       AND u.role = 'user' AND u.status = 'active' AND (u.expires_at IS NULL OR u.expires_at > $1)) \
     AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id \
       WHERE a.package_id = p.id AND u.role = 'user' AND u.status = 'active' \
       AND (u.expires_at IS NULL OR u.expires_at > $1))";

impl Packages for Postgres {
    fn package_by_name(&self, name: &str) -> Result<Option<Package>> {
        self.opt(
            &format!(
                "SELECT {PACKAGE_COLUMNS} FROM packages p \
                     WHERE p.name_key = gatehouse.name_key($1)"
            ),
            &[&name],
        )?
        .map(|r| package_from_row(&r))
        .transpose()
    }
    fn package_by_id(&self, id: i64) -> Result<Package> {
        self.opt(
            &format!("SELECT {PACKAGE_COLUMNS} FROM packages p WHERE p.id = $1"),
            &[&id],
        )?
        .map(|r| package_from_row(&r))
        .ok_or_else(|| Error::not_found(format!("no package with id `{id}`")))?
    }
    fn for_each_package(
        &self,
        visible_to: Option<i64>,
        include_inactive: bool,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let mut wheres = Vec::new();
        if visible_to.is_some() {
            wheres.push(
                "(p.created_by = $1 OR EXISTS (SELECT 1 FROM assignments a \
                 WHERE a.package_id = p.id AND a.user_id = $1))",
            );
        }
        if !include_inactive {
            wheres.push("p.status = 'active'");
        }
        let sql = format!(
            "SELECT {PACKAGE_COLUMNS} FROM packages p {} ORDER BY lower(p.name), p.id",
            if wheres.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", wheres.join(" AND "))
            }
        );
        let rows = match visible_to {
            Some(id) => self.all(&sql, &[&id])?,
            None => self.all(&sql, &[])?,
        };
        for r in &rows {
            each(&package_from_row(r)?)?;
        }
        Ok(())
    }
    fn count_packages(&self) -> Result<u64> {
        Ok(self
            .one("SELECT count(*) FROM packages", &[])?
            .col::<i64>(0)? as u64)
    }
    fn count_admin_only_packages(&self, now: &str) -> Result<u64> {
        let n: i64 = self
            .one(
                &format!("SELECT count(*) FROM packages p {ADMIN_ONLY_WHERE}"),
                &[&now],
            )?
            .col(0)?;
        Ok(n as u64)
    }
    fn for_each_admin_only_package(
        &self,
        now: &str,
        limit: Option<u64>,
        each: &mut dyn FnMut(&Package) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "SELECT {PACKAGE_COLUMNS} FROM packages p {ADMIN_ONLY_WHERE} \
             ORDER BY lower(p.name), p.id LIMIT {}",
            limit.map_or("ALL".to_string(), |l| l.to_string())
        );
        for r in &self.all(&sql, &[&now])? {
            each(&package_from_row(r)?)?;
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
            Ok(r) => self.package_by_id(r.col(0)?),
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
        let now = self.now_str();
        let res = self.client.borrow_mut().execute(
            "UPDATE packages SET name = coalesce($1, name), \
             description = CASE WHEN $2 THEN $3 ELSE description END, \
             status = coalesce($4, status), updated_at = $5 WHERE id = $6",
            &[
                &name,
                &description.is_some(),
                &description.flatten(),
                &status.map(Status::as_str),
                &now,
                &id,
            ],
        );
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
