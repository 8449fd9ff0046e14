//! What installing lays down on a server: the embedded migrations (the schema version
//! is how many are applied), the owner and person group roles, and what the server's
//! own version asks of the schema. `init` runs these as the installer; `store doctor`
//! names what they could not do.

use super::Postgres;
use crate::error::Result;
use crate::store::rows::Columns;

/// Embedded migrations; the schema version is the number applied.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/postgres/0001_init.sql"),
    include_str!("../../../migrations/postgres/0002_logins.sql"),
    include_str!("../../../migrations/postgres/0003_audit.sql"),
    include_str!("../../../migrations/postgres/0004_tool.sql"),
    include_str!("../../../migrations/postgres/0005_fast_policies.sql"),
    include_str!("../../../migrations/postgres/0006_statement_audit.sql"),
    include_str!("../../../migrations/postgres/0007_review_fixes.sql"),
    include_str!("../../../migrations/postgres/0008_faster_audit.sql"),
    include_str!("../../../migrations/postgres/0009_managed_servers.sql"),
    include_str!("../../../migrations/postgres/0010_ordered_lists.sql"),
];

pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// Creates the owner and person group roles (if missing) and lets the installer act as
/// the owner (see `Postgres::install_roles`).
pub const INSTALL_ROLES: &str = "DO $$ BEGIN
               IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gatehouse_owner') THEN
                 CREATE ROLE gatehouse_owner NOLOGIN CREATEROLE; END IF;
               IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gatehouse_person') THEN
                 CREATE ROLE gatehouse_person NOLOGIN; END IF;
               IF current_setting('server_version_num')::int >= 160000 THEN
                 IF NOT (pg_has_role(current_user, 'gatehouse_owner', 'SET')
                         AND pg_has_role(current_user, 'gatehouse_owner', 'USAGE')) THEN
                   EXECUTE format('GRANT gatehouse_owner TO %I WITH INHERIT TRUE, SET TRUE',
                                  current_user);
                 END IF;
               ELSIF NOT pg_has_role(current_user, 'gatehouse_owner', 'USAGE') THEN
                 EXECUTE format('GRANT gatehouse_owner TO %I', current_user);
               END IF;
             END $$";

/// What the server's version asks of the schema (see `Postgres::server_fixups`).
pub const SERVER_FIXUPS: &str = "DO $$ BEGIN
               IF current_setting('server_version_num')::int >= 160000 THEN
                 SET LOCAL ROLE gatehouse_owner;
                 ALTER FUNCTION gatehouse.ensure_login(name, text)
                   SET createrole_self_grant = 'inherit';
                 RESET ROLE;
               END IF;
             END $$";

impl Postgres {
    /// Creates the owner and person group roles (if missing) and lets the installer act
    /// as the owner; inside the caller's transaction. From PostgreSQL 16 on, creating a
    /// role makes its creator a member WITH ADMIN OPTION only (no SET, no INHERIT): the
    /// installer grants itself exactly the two it needs, which that ADMIN OPTION allows.
    pub(super) fn install_roles(&self) -> Result<()> {
        self.exec(INSTALL_ROLES)
    }

    /// What depends on the server's version rather than the schema's, so a cluster
    /// upgraded under the store is brought in line by `init --if-not-exists`: the owner
    /// is made a member of each person role it creates (it ends their sessions), and
    /// roles made before an upgrade to 16 get the ADMIN OPTION the owner then needs to
    /// manage them — where the installer may grant it. Returns the person roles that
    /// are still out of the owner's reach.
    pub(super) fn server_fixups(&self) -> Result<Vec<String>> {
        self.exec(SERVER_FIXUPS)?;
        let unreachable = self.all(
            "SELECT r.rolname::text FROM gatehouse.users u \
             JOIN pg_catalog.pg_roles r ON r.rolname = u.role_name \
             WHERE gatehouse.is_person_role(u.role_name) \
               AND NOT gatehouse.owner_manages(u.role_name) ORDER BY 1",
            &[],
        )?;
        let mut left = Vec::new();
        for r in unreachable {
            let role = r.text("rolname")?;
            let grant = if self.server_version()? >= 160_000 {
                format!(
                    "GRANT {} TO gatehouse_owner WITH ADMIN TRUE, INHERIT TRUE, SET FALSE",
                    quote_ident(&role)
                )
            } else {
                format!("GRANT {} TO gatehouse_owner", quote_ident(&role))
            };
            self.exec("SAVEPOINT fixup")?;
            match self.exec(&grant) {
                Ok(()) => self.exec("RELEASE SAVEPOINT fixup")?,
                Err(_) => {
                    self.exec("ROLLBACK TO SAVEPOINT fixup")?;
                    left.push(role);
                }
            }
        }
        Ok(left)
    }
}

/// `name` quoted as an SQL identifier.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
