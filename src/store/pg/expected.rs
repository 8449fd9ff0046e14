//! What this build's migrations leave in the `gatehouse` schema, by name, declared once:
//! the tables and whether row-level security is forced on them, the policies, the
//! triggers, and the search paths a SECURITY DEFINER function may keep. `store doctor`
//! checks the database against these lists, and a whole-store copy sets aside (and puts
//! back) exactly the ones marked for it, so the two cannot disagree about what exists.

/// A table of the schema.
pub(super) struct Table {
    pub name: &'static str,
    /// Row-level security is on and forced, even on the owner.
    pub forces_rls: bool,
    /// A copy writes into it: for the copy's transaction RLS is not forced on the owner
    /// (COPY FROM refuses a table whose row-level security applies to the one copying).
    pub copied: bool,
}

const fn table(name: &'static str, forces_rls: bool, copied: bool) -> Table {
    Table {
        name,
        forces_rls,
        copied,
    }
}

pub(super) const TABLES: &[Table] = &[
    table("users", true, true),
    table("packages", true, true),
    table("assignments", true, true),
    table("settings", true, true),
    table("audit", true, true),
    table("write_lock", true, false),
    table("schema_version", false, false),
];

/// Whether row-level security must be forced on a table found in the schema (on any
/// table gatehouse does not know of too).
pub(super) fn forces_rls(name: &str) -> bool {
    TABLES
        .iter()
        .find(|t| t.name == name)
        .is_none_or(|t| t.forces_rls)
}

/// The policies, as (table, policy).
pub(super) const POLICIES: &[(&str, &str)] = &[
    ("assignments", "assign"),
    ("assignments", "owner_all"),
    ("assignments", "see_assignments"),
    ("assignments", "unassign"),
    ("audit", "admins_read"),
    ("audit", "owner_all"),
    ("packages", "change_packages"),
    ("packages", "create_packages"),
    ("packages", "delete_packages"),
    ("packages", "owner_all"),
    ("packages", "see_packages"),
    ("settings", "owner_all"),
    ("settings", "read_settings"),
    ("settings", "write_settings"),
    ("users", "add_users"),
    ("users", "change_users"),
    ("users", "delete_users"),
    ("users", "owner_all"),
    ("users", "see_users"),
    ("write_lock", "owner_all"),
];

/// A trigger: present and enabled, except that a copy turns off those marked
/// `off_for_copy` for its own transaction.
pub(super) struct Trigger {
    pub table: &'static str,
    pub name: &'static str,
    /// Off while a copy runs: the audit triggers (the copied trail arrives whole, as it
    /// was) and the one that drops leftover login roles (a copy touches no role of
    /// another database on the server).
    pub off_for_copy: bool,
}

const fn kept(table: &'static str, name: &'static str) -> Trigger {
    Trigger {
        table,
        name,
        off_for_copy: false,
    }
}

const fn copy_off(table: &'static str, name: &'static str) -> Trigger {
    Trigger {
        table,
        name,
        off_for_copy: true,
    }
}

/// The triggers that guard what a person may change of their own row, keep login roles
/// in step, keep an admin and audit every change.
pub(super) const TRIGGERS: &[Trigger] = &[
    kept("users", "users_guard"),
    kept("users", "users_login_role"),
    kept("users", "users_drop_login_role"),
    copy_off("users", "users_leftover_roles"),
    kept("users", "keep_an_admin"),
    kept("packages", "package_name_key"),
    copy_off("users", "audit_users_insert"),
    copy_off("users", "audit_users_update"),
    copy_off("users", "audit_users_delete"),
    copy_off("packages", "audit_packages_insert"),
    copy_off("packages", "audit_packages_update"),
    copy_off("packages", "audit_packages_delete"),
    copy_off("assignments", "audit_assignments_insert"),
    copy_off("assignments", "audit_assignments_delete"),
    copy_off("settings", "audit_settings_insert"),
    copy_off("settings", "audit_settings_update"),
    copy_off("settings", "audit_settings_delete"),
];

/// The `search_path` settings a SECURITY DEFINER function may run with (one of them).
pub(super) const DEFINER_SEARCH_PATHS: &[&str] = &[
    "search_path=gatehouse, pg_catalog, pg_temp",
    "search_path=pg_catalog, pg_temp",
];
