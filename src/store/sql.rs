//! The SQL both engines share, written once: the columns the decoders of
//! [`super::rows`] read, the user filter (search, role, status, package, review
//! conditions), the package lists, the admin-only-package condition, the access pairs,
//! the members of a package and the audit filter.
//!
//! What differs between SQLite and PostgreSQL is a [`Dialect`]: how a parameter is
//! written (`?1` / `$1`), how a package name becomes its key (computed by gatehouse /
//! by the server's `gatehouse.name_key`), how a text is matched without regard to case,
//! and how text is ordered. The rest is SQL both accept (`IS DISTINCT FROM`,
//! `count(*) FILTER (WHERE …)` and `string_agg` are in SQLite since 3.39, 3.30 and 3.44;
//! the bundled one is newer).
//!
//! One behaviour on both engines, whatever the database's locale:
//!
//! - **Order.** Users (and members) by name with ASCII letters folded, then id; packages
//!   by their canonical key ([`crate::model::package_key`]: NFC with full case
//!   folding), then id; emails and keys byte by byte. SQLite's `NOCASE` and `BINARY`
//!   are exactly that; PostgreSQL gets `lower(… COLLATE "C")` (which folds only ASCII)
//!   and `COLLATE "C"`, never the database's collation.
//! - **Case-insensitive matching** (`--search`, the audit's actor and target). SQLite's
//!   `lower()`, `LIKE` and `NOCASE` fold only ASCII letters (no ICU in the bundled
//!   library), and PostgreSQL's `lower()` folds as the database's locale says — so
//!   `lower()` on both sides cannot give one answer. Instead each cased letter of the
//!   searched text becomes a set of its case forms, `[äÄ]`, in a pattern both engines
//!   match literally: `GLOB` in SQLite, a regular expression (`~`) in PostgreSQL. So
//!   `äpfel` finds `Äpfel` on both. What this does not do: letters whose other case is
//!   more than one character (`ß`/`SS`) match only themselves, and a name stored
//!   decomposed (`A` + U+0308) is not found by its composed form.

use std::fmt::Write as _;

use super::types::{AuditFilter, UserCondition, UserFilter, UserSort};
use crate::model::Status;

/// The engine a statement is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A value bound to a statement's parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bind {
    Text(String),
    Int(i64),
}

impl From<i64> for Bind {
    fn from(v: i64) -> Bind {
        Bind::Int(v)
    }
}

impl From<&str> for Bind {
    fn from(v: &str) -> Bind {
        Bind::Text(v.to_string())
    }
}

impl From<String> for Bind {
    fn from(v: String) -> Bind {
        Bind::Text(v)
    }
}

/// A statement and the values of its parameters, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub sql: String,
    pub values: Vec<Bind>,
}

impl Query {
    /// A statement written for one engine, with its values.
    pub fn new(sql: impl Into<String>, values: Vec<Bind>) -> Query {
        Query {
            sql: sql.into(),
            values,
        }
    }

    /// A statement without parameters.
    pub fn plain(sql: impl Into<String>) -> Query {
        Query {
            sql: sql.into(),
            values: Vec::new(),
        }
    }
}

impl Dialect {
    /// A statement of these values, written with `{1}`, `{2}`, … where they go: each
    /// becomes this dialect's parameter.
    pub fn query(self, sql: &str, values: Vec<Bind>) -> Query {
        let mut sql = sql.to_string();
        for n in 1..=values.len() {
            sql = sql.replace(&format!("{{{n}}}"), &self.param(n));
        }
        Query { sql, values }
    }

    /// How a connection says whether its commits must reach the disk before they
    /// return. SQLite's `NORMAL` in WAL mode skips the commit's fsyncs and stays atomic;
    /// PostgreSQL's `synchronous_commit = off` may lose the last commits in a crash,
    /// never half of one.
    pub fn durability(self, durable: bool) -> &'static str {
        match (self, durable) {
            (Dialect::Sqlite, true) => "PRAGMA synchronous = FULL",
            (Dialect::Sqlite, false) => "PRAGMA synchronous = NORMAL",
            (Dialect::Postgres, true) => "SET synchronous_commit = on",
            (Dialect::Postgres, false) => "SET synchronous_commit = off",
        }
    }

    /// The `n`th parameter (from 1).
    pub fn param(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// `expr` ordered and compared byte by byte (code point order, for UTF-8).
    pub fn bytes(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => expr.to_string(),
            Dialect::Postgres => format!("{expr} COLLATE \"C\""),
        }
    }

    /// `expr` as names are ordered: ASCII letters folded, then byte by byte. In SQLite
    /// the `NOCASE` collation itself, which the name index of `users` is built with.
    pub fn name_order(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{expr} COLLATE NOCASE"),
            Dialect::Postgres => format!("lower({expr} COLLATE \"C\")"),
        }
    }

    /// The canonical key of the package name bound to `param`.
    pub fn name_key(self, param: &str) -> String {
        match self {
            Dialect::Sqlite => param.to_string(),
            Dialect::Postgres => format!("gatehouse.name_key({param})"),
        }
    }

    /// What to bind for [`Dialect::name_key`]: SQLite stores the key gatehouse computes,
    /// PostgreSQL the one its function computes from the name.
    pub fn name_key_value(self, name: &str) -> String {
        match self {
            Dialect::Sqlite => crate::model::package_key(name),
            Dialect::Postgres => name.to_string(),
        }
    }

    /// `LIMIT`/`OFFSET`, or nothing.
    pub fn limit(self, limit: Option<u64>, offset: u64) -> String {
        match (limit, offset, self) {
            (Some(l), 0, _) => format!("LIMIT {l}"),
            (Some(l), o, _) => format!("LIMIT {l} OFFSET {o}"),
            (None, 0, _) => String::new(),
            (None, o, Dialect::Sqlite) => format!("LIMIT -1 OFFSET {o}"),
            (None, o, Dialect::Postgres) => format!("OFFSET {o}"),
        }
    }

    /// The names of a user's packages joined by the unit separator (U+001F).
    fn package_names(self) -> &'static str {
        match self {
            Dialect::Sqlite => {
                "(SELECT string_agg(p.name, char(31)) FROM assignments a \
                 JOIN packages p ON p.id = a.package_id WHERE a.user_id = u.id) AS packages"
            }
            Dialect::Postgres => {
                "(SELECT string_agg(p.name, chr(31)) FROM assignments a \
                 JOIN packages p ON p.id = a.package_id WHERE a.user_id = u.id) AS packages"
            }
        }
    }

    /// Whether `expr` matches `pattern` (made by [`Dialect::pattern`]).
    fn matches(self, expr: &str, pattern: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{expr} GLOB {pattern}"),
            Dialect::Postgres => format!("{expr} ~ {pattern}"),
        }
    }

    /// A pattern matching `text` without regard to letter case: anywhere in the value
    /// (`whole: false`) or as all of it. See the module's documentation.
    pub fn pattern(self, text: &str, whole: bool) -> String {
        let mut out = String::new();
        match (self, whole) {
            (Dialect::Sqlite, false) => out.push('*'),
            (Dialect::Postgres, true) => out.push('^'),
            _ => {}
        }
        for c in text.chars() {
            let forms = case_forms(c);
            if forms.len() > 1 {
                out.push('[');
                out.extend(forms);
                out.push(']');
                continue;
            }
            match self {
                // GLOB's wildcards, as one-character sets.
                Dialect::Sqlite if matches!(c, '*' | '?' | '[') => {
                    let _ = write!(out, "[{c}]");
                }
                // Every ASCII punctuation character escaped is itself in a regular
                // expression; nothing else is special.
                Dialect::Postgres if c.is_ascii_punctuation() => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        match (self, whole) {
            (Dialect::Sqlite, false) => out.push('*'),
            (Dialect::Postgres, true) => out.push('$'),
            _ => {}
        }
        out
    }
}

/// `c` and every single character its lower or upper case is, repeatedly (`ς` gives
/// `Σ`, which gives `σ`).
fn case_forms(c: char) -> Vec<char> {
    fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
        let first = it.next()?;
        it.next().is_none().then_some(first)
    }
    let mut forms = vec![c];
    let mut i = 0;
    while i < forms.len() {
        let x = forms[i];
        for y in [single(x.to_lowercase()), single(x.to_uppercase())]
            .into_iter()
            .flatten()
        {
            if !forms.contains(&y) {
                forms.push(y);
            }
        }
        i += 1;
    }
    forms
}

/// Values bound as a statement is written, each returning its placeholder.
struct Binds {
    dialect: Dialect,
    values: Vec<Bind>,
}

impl Binds {
    fn new(dialect: Dialect) -> Binds {
        Binds {
            dialect,
            values: Vec::new(),
        }
    }

    fn text(&mut self, v: impl Into<String>) -> String {
        self.values.push(Bind::Text(v.into()));
        self.dialect.param(self.values.len())
    }

    fn int(&mut self, v: i64) -> String {
        self.values.push(Bind::Int(v));
        self.dialect.param(self.values.len())
    }

    fn query(self, sql: String) -> Query {
        Query {
            sql,
            values: self.values,
        }
    }
}

/// The columns [`super::rows::user`] reads, over `users u`; the password hash only when
/// the connection may read it (never a PostgreSQL person).
pub fn user_columns(d: Dialect, with_hash: bool) -> String {
    format!(
        "u.id, u.email, u.name, u.full_name, u.phone, u.role, u.status, \
         u.must_change_password, u.created_at, u.updated_at, u.last_login_at, \
         u.password_changed_at, u.expires_at, u.failed_logins, u.locked_until, \
         u.email_notifications, u.sms_notifications, u.shipment_updates, \
         u.system_announcements, {}{}",
        d.package_names(),
        if with_hash { ", u.password_hash" } else { "" }
    )
}

/// The columns [`super::rows::user_brief`] reads, over `users u`.
pub const BRIEF_COLUMNS: &str = "u.id, u.name, u.email, u.role, u.status, u.expires_at, \
    (SELECT count(*) FROM assignments a WHERE a.user_id = u.id) AS package_count, \
    u.last_login_at, u.locked_until";

/// The columns [`super::rows::package`] reads, over `packages p`.
pub const PACKAGE_COLUMNS: &str = "p.id, p.name, p.description, p.status, p.created_by, \
    (SELECT email FROM users WHERE id = p.created_by) AS created_by_email, p.created_at, \
    p.updated_at, (SELECT count(*) FROM assignments a WHERE a.package_id = p.id) AS assigned_count";

/// The columns [`super::rows::audit_row`] reads.
pub const AUDIT_COLUMNS: &str =
    "id, at, actor_id, actor_email, action, target, details, result, reason, version, prev_hash, hash";

/// The users a filter selects, in its order and window, with `columns` (over `users u`).
pub fn users(d: Dialect, f: &UserFilter, columns: &str) -> Query {
    let mut b = Binds::new(d);
    let clause = user_where(&mut b, f);
    let order = match f.sort {
        UserSort::Name => format!("{}, u.id", d.name_order("u.name")),
        UserSort::Email => format!("{}, u.id", d.bytes("u.email")),
        UserSort::Created => "u.created_at, u.id".into(),
        UserSort::LastLogin => "u.last_login_at IS NULL, u.last_login_at DESC, u.id".into(),
    };
    b.query(format!(
        "SELECT {columns} FROM users u {clause} ORDER BY {order} {}",
        d.limit(f.limit, f.offset)
    ))
}

/// A filter's `WHERE` clause over `users u` (empty without conditions).
fn user_where(b: &mut Binds, f: &UserFilter) -> String {
    let mut wheres: Vec<String> = Vec::new();
    if let Some(r) = f.role {
        wheres.push(format!("u.role = {}", b.text(r.as_str())));
    }
    if let Some(s) = f.status {
        wheres.push(format!("u.status = {}", b.text(s.as_str())));
    }
    if let Some(p) = &f.package {
        let key = b.dialect.name_key(&b.text(b.dialect.name_key_value(p)));
        wheres.push(format!(
            "EXISTS (SELECT 1 FROM assignments a JOIN packages p ON p.id = a.package_id \
             WHERE a.user_id = u.id AND p.name_key = {key})"
        ));
    }
    if let Some(text) = &f.search {
        let d = b.dialect;
        let n = b.text(d.pattern(text, false));
        wheres.push(format!(
            "({} OR {} OR {})",
            d.matches("u.email", &n),
            d.matches("u.name", &n),
            d.matches("u.full_name", &n)
        ));
    }
    if let Some(c) = &f.condition {
        wheres.push(condition(b, c));
    }
    if wheres.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wheres.join(" AND "))
    }
}

/// A review condition over `users u`.
fn condition(b: &mut Binds, c: &UserCondition) -> String {
    match c {
        UserCondition::Active => "u.status = 'active'".into(),
        UserCondition::Admins => "u.role = 'admin'".into(),
        UserCondition::InactiveHoldingPackages => "u.status = 'inactive' AND EXISTS \
            (SELECT 1 FROM assignments a WHERE a.user_id = u.id)"
            .into(),
        UserCondition::LastLoginBefore(t) => {
            format!("u.status = 'active' AND u.last_login_at < {}", b.text(t))
        }
        UserCondition::NeverLoggedIn => "u.status = 'active' AND u.last_login_at IS NULL".into(),
        UserCondition::ExpiredBy(t) => format!("u.expires_at <= {}", b.text(t)),
        UserCondition::ExpiringBetween(from, to) => {
            let (a, z) = (b.text(from), b.text(to));
            format!("u.expires_at > {a} AND u.expires_at <= {z}")
        }
        UserCondition::MustChangePassword => "u.must_change_password".into(),
        UserCondition::LockedAt(t) => format!("u.locked_until > {}", b.text(t)),
    }
}

/// How many users meet each condition, in one pass: columns `c0`, `c1`, ….
pub fn count_users_each(d: Dialect, conditions: &[UserCondition]) -> Query {
    let mut b = Binds::new(d);
    let counts: Vec<String> = conditions
        .iter()
        .enumerate()
        .map(|(i, c)| format!("count(*) FILTER (WHERE {}) AS c{i}", condition(&mut b, c)))
        .collect();
    b.query(format!("SELECT {} FROM users u", counts.join(", ")))
}

/// The packages, in name order: all, or those `visible_to` a regular user can see
/// (created or assigned), and only active ones unless `include_inactive`.
pub fn packages(d: Dialect, visible_to: Option<i64>, include_inactive: bool) -> Query {
    let mut b = Binds::new(d);
    let mut wheres = Vec::new();
    if let Some(id) = visible_to {
        let id = b.int(id);
        wheres.push(format!(
            "(p.created_by = {id} OR EXISTS (SELECT 1 FROM assignments a \
             WHERE a.package_id = p.id AND a.user_id = {id}))"
        ));
    }
    if !include_inactive {
        wheres.push("p.status = 'active'".into());
    }
    let clause = if wheres.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wheres.join(" AND "))
    };
    b.query(format!(
        "SELECT {PACKAGE_COLUMNS} FROM packages p {clause} ORDER BY {}",
        package_order(d)
    ))
}

/// Packages in name order: by canonical key, byte by byte, then id.
fn package_order(d: Dialect) -> String {
    format!("{}, p.id", d.bytes("p.name_key"))
}

/// Packages no one but an admin can reach: no active regular user unexpired at `now`
/// created one or is assigned to it.
fn admin_only_where(b: &mut Binds, now: &str) -> String {
    let now = b.text(now);
    format!(
        "WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.created_by \
           AND u.role = 'user' AND u.status = 'active' \
           AND (u.expires_at IS NULL OR u.expires_at > {now})) \
         AND NOT EXISTS (SELECT 1 FROM assignments a JOIN users u ON u.id = a.user_id \
           WHERE a.package_id = p.id AND u.role = 'user' AND u.status = 'active' \
           AND (u.expires_at IS NULL OR u.expires_at > {now}))"
    )
}

/// How many packages only admins reach (see [`admin_only_packages`]): column `n`.
pub fn count_admin_only_packages(d: Dialect, now: &str) -> Query {
    let mut b = Binds::new(d);
    let clause = admin_only_where(&mut b, now);
    b.query(format!("SELECT count(*) AS n FROM packages p {clause}"))
}

/// The packages only admins reach at `now`, in name order, at most `limit`.
pub fn admin_only_packages(d: Dialect, now: &str, limit: Option<u64>) -> Query {
    let mut b = Binds::new(d);
    let clause = admin_only_where(&mut b, now);
    b.query(format!(
        "SELECT {PACKAGE_COLUMNS} FROM packages p {clause} ORDER BY {} {}",
        package_order(d),
        d.limit(limit, 0)
    ))
}

/// A new package, active, created by `created_by` at `now`; returns its `id`. SQLite
/// stores the key gatehouse computes; PostgreSQL's trigger computes its own.
pub fn insert_package(
    d: Dialect,
    name: &str,
    description: Option<&str>,
    created_by: i64,
    now: &str,
) -> Query {
    let mut b = Binds::new(d);
    let mut columns = vec!["name", "status", "created_by", "created_at", "updated_at"];
    let now = b.text(now);
    let mut values = vec![
        b.text(name),
        "'active'".into(),
        b.int(created_by),
        now.clone(),
        now,
    ];
    if d == Dialect::Sqlite {
        columns.push("name_key");
        values.push(b.text(d.name_key_value(name)));
    }
    if let Some(text) = description {
        columns.push("description");
        values.push(b.text(text));
    }
    b.query(format!(
        "INSERT INTO packages ({}) VALUES ({}) RETURNING id",
        columns.join(", "),
        values.join(", ")
    ))
}

/// The change of a package: a new name (and, in SQLite, its key; PostgreSQL's trigger
/// computes its own), a new description (`Some(None)` clears it), a new status; always
/// `updated_at`. Only what changes is set, so the statement's effect is exactly the
/// change.
pub fn update_package(
    d: Dialect,
    id: i64,
    name: Option<&str>,
    description: Option<Option<&str>>,
    status: Option<Status>,
    now: &str,
) -> Query {
    let mut b = Binds::new(d);
    let mut sets = Vec::new();
    if let Some(n) = name {
        sets.push(format!("name = {}", b.text(n)));
        if d == Dialect::Sqlite {
            sets.push(format!("name_key = {}", b.text(d.name_key_value(n))));
        }
    }
    match description {
        Some(Some(text)) => sets.push(format!("description = {}", b.text(text))),
        Some(None) => sets.push("description = NULL".into()),
        None => {}
    }
    if let Some(s) = status {
        sets.push(format!("status = {}", b.text(s.as_str())));
    }
    sets.push(format!("updated_at = {}", b.text(now)));
    let id = b.int(id);
    b.query(format!(
        "UPDATE packages SET {} WHERE id = {id}",
        sets.join(", ")
    ))
}

/// What makes a user's assignments exactly `wanted`, from the packages they hold
/// (`current`): the ones to unassign, then the ones to assign. Those kept are in
/// neither, so they keep who assigned them and when.
pub fn assignment_changes(current: &[i64], wanted: &[i64]) -> (Vec<i64>, Vec<i64>) {
    let unassign = current
        .iter()
        .filter(|id| !wanted.contains(id))
        .copied()
        .collect();
    let mut assign: Vec<i64> = Vec::new();
    for id in wanted {
        if !current.contains(id) && !assign.contains(id) {
            assign.push(*id);
        }
    }
    (unassign, assign)
}

/// Every (user, package) pair the rule reaches, with its arm, by email then package
/// key: admins reach every package, regular users what they created (creator wins over
/// assigned) or were assigned. Columns of [`super::rows::access_pair`].
pub fn access_pairs(d: Dialect) -> Query {
    let user = format!(
        "u.id AS user_id, {} AS email, u.name AS name, u.role AS role, u.status AS status",
        d.bytes("u.email")
    );
    let key = format!("{} AS name_key", d.bytes("p.name_key"));
    Query {
        sql: format!(
            "SELECT {user}, p.name AS package, 'admin' AS arm, {key} \
               FROM users u CROSS JOIN packages p WHERE u.role = 'admin' \
             UNION ALL \
             SELECT {user}, p.name, 'creator', {key} FROM packages p \
               JOIN users u ON u.id = p.created_by WHERE u.role = 'user' \
             UNION ALL \
             SELECT {user}, p.name, 'assigned', {key} FROM assignments a \
               JOIN users u ON u.id = a.user_id JOIN packages p ON p.id = a.package_id \
               WHERE u.role = 'user' AND p.created_by IS DISTINCT FROM u.id \
             ORDER BY email, name_key"
        ),
        values: Vec::new(),
    }
}

/// Every user who can see the package: admins, its creator, those assigned; in name
/// order. Columns of [`super::rows::member`].
pub fn members(d: Dialect, package_id: i64, created_by: Option<i64>) -> Query {
    let mut b = Binds::new(d);
    let package = b.int(package_id);
    let creator = match created_by {
        Some(id) => b.int(id),
        None => "NULL".into(),
    };
    b.query(format!(
        "SELECT u.id AS user_id, u.email AS email, u.name AS name, u.role = 'admin' AS is_admin, \
                u.id IS NOT DISTINCT FROM {creator} AS creator, \
                a.user_id IS NOT NULL AS assigned, \
                (SELECT email FROM users WHERE id = a.assigned_by) AS assigned_by, \
                a.assigned_at AS assigned_at \
         FROM users u LEFT JOIN assignments a ON a.user_id = u.id AND a.package_id = {package} \
         WHERE u.role = 'admin' OR u.id IS NOT DISTINCT FROM {creator} OR a.user_id IS NOT NULL \
         ORDER BY {}, u.id",
        d.name_order("u.name")
    ))
}

/// The audit entries a filter selects, newest first (or in the order written).
pub fn audit(d: Dialect, f: &AuditFilter) -> Query {
    let mut b = Binds::new(d);
    let mut wheres = Vec::new();
    if let Some(t) = &f.since {
        wheres.push(format!("at >= {}", b.text(t)));
    }
    if let Some(t) = &f.until {
        wheres.push(format!("at <= {}", b.text(t)));
    }
    if let Some(a) = &f.actor {
        let p = b.text(d.pattern(a, true));
        wheres.push(d.matches("actor_email", &p));
    }
    if let Some(a) = &f.action {
        wheres.push(format!("action = {}", b.text(a)));
    }
    if let Some(t) = &f.target {
        let p = b.text(d.pattern(t, true));
        wheres.push(d.matches("target", &p));
    }
    let clause = if wheres.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wheres.join(" AND "))
    };
    b.query(format!(
        "SELECT {AUDIT_COLUMNS} FROM audit {clause} ORDER BY id {} {}",
        if f.oldest_first { "ASC" } else { "DESC" },
        d.limit(f.limit, 0)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_hold_every_case_form_and_nothing_special() {
        let s = Dialect::Sqlite;
        assert_eq!(s.pattern("Äp*", false), "*[Ää][pP][*]*");
        assert_eq!(s.pattern("a?[", true), "[aA][?][[]");
        let p = Dialect::Postgres;
        assert_eq!(p.pattern("äp.1", false), "[äÄ][pP]\\.1");
        assert_eq!(p.pattern("x_%", true), "^[xX]\\_\\%$");
        // Σ has two lower-case forms.
        assert_eq!(case_forms('ς'), ['ς', 'Σ', 'σ']);
        // More than one character in the other case: only itself.
        assert_eq!(case_forms('ß'), ['ß']);
        assert_eq!(case_forms('7'), ['7']);
    }

    #[test]
    fn placeholders_follow_the_dialect_and_the_values_their_order() {
        let f = UserFilter {
            role: Some(crate::model::Role::User),
            package: Some("Äpfel".into()),
            search: Some("x".into()),
            condition: Some(UserCondition::ExpiringBetween("a".into(), "b".into())),
            limit: Some(5),
            offset: 10,
            ..UserFilter::default()
        };
        let q = users(Dialect::Postgres, &f, "u.id");
        assert!(q.sql.contains("u.role = $1"), "{}", q.sql);
        assert!(q.sql.contains("gatehouse.name_key($2)"), "{}", q.sql);
        assert!(q.sql.contains("u.name ~ $3"), "{}", q.sql);
        assert!(
            q.sql.contains("u.expires_at > $4 AND u.expires_at <= $5"),
            "{}",
            q.sql
        );
        assert!(q
            .sql
            .ends_with("ORDER BY lower(u.name COLLATE \"C\"), u.id LIMIT 5 OFFSET 10"));
        assert_eq!(q.values[1], Bind::Text("Äpfel".into()));
        let q = users(Dialect::Sqlite, &f, "u.id");
        assert!(q.sql.contains("p.name_key = ?2"), "{}", q.sql);
        assert_eq!(q.values[1], Bind::Text("äpfel".into()));
        assert_eq!(q.values.len(), 5);
        assert_eq!(Dialect::Sqlite.limit(None, 3), "LIMIT -1 OFFSET 3");
        assert_eq!(Dialect::Postgres.limit(None, 3), "OFFSET 3");
    }

    #[test]
    fn a_package_update_sets_only_what_changes() {
        let q = update_package(Dialect::Postgres, 7, None, None, None, "t");
        assert_eq!(q.sql, "UPDATE packages SET updated_at = $1 WHERE id = $2");
        assert_eq!(q.values, [Bind::Text("t".into()), Bind::Int(7)]);
        let q = update_package(
            Dialect::Postgres,
            7,
            Some("Äpfel"),
            Some(None),
            Some(crate::model::Status::Inactive),
            "t",
        );
        assert_eq!(
            q.sql,
            "UPDATE packages SET name = $1, description = NULL, status = $2, updated_at = $3 \
             WHERE id = $4"
        );
        let q = update_package(
            Dialect::Sqlite,
            7,
            Some("Äpfel"),
            Some(Some("d")),
            None,
            "t",
        );
        assert_eq!(
            q.sql,
            "UPDATE packages SET name = ?1, name_key = ?2, description = ?3, updated_at = ?4 \
             WHERE id = ?5"
        );
        assert_eq!(q.values[1], Bind::Text("äpfel".into()));
    }

    #[test]
    fn assignments_change_only_where_they_differ() {
        assert_eq!(
            assignment_changes(&[1, 2, 3], &[3, 4, 4, 1]),
            (vec![2], vec![4])
        );
        assert_eq!(assignment_changes(&[], &[]), (vec![], vec![]));
        assert_eq!(assignment_changes(&[5], &[]), (vec![5], vec![]));
    }

    /// The shared statements run on SQLite as they are (PostgreSQL's are run by the
    /// engine's own tests against a server).
    #[test]
    fn the_sqlite_dialect_searches_and_orders_as_documented() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (name TEXT, key TEXT); \
             INSERT INTO t VALUES ('Äpfel', 'äpfel'), ('apple', 'apple'), ('Banana', 'banana'), \
               ('äx', 'äx'), ('a*b', 'a*b'), ('Zoo', 'zoo');",
        )
        .unwrap();
        let names = |sql: &str, arg: &str| -> Vec<String> {
            let mut st = conn.prepare(sql).unwrap();
            let rows = st.query_map([arg], |r| r.get::<_, String>("name")).unwrap();
            rows.collect::<rusqlite::Result<_>>().unwrap()
        };
        let d = Dialect::Sqlite;
        let search = format!(
            "SELECT name FROM t WHERE {} ORDER BY name",
            d.matches("name", "?1")
        );
        assert_eq!(names(&search, &d.pattern("ÄPF", false)), ["Äpfel"]);
        assert_eq!(names(&search, &d.pattern("äpf", false)), ["Äpfel"]);
        assert_eq!(names(&search, &d.pattern("A*", false)), ["a*b"]);
        assert_eq!(names(&search, &d.pattern("zoo", true)), ["Zoo"]);
        assert!(names(&search, &d.pattern("zo", true)).is_empty());
        let by_key = format!(
            "SELECT name FROM t WHERE ?1 = ?1 ORDER BY {}",
            d.bytes("key")
        );
        assert_eq!(
            names(&by_key, ""),
            ["a*b", "apple", "Banana", "Zoo", "Äpfel", "äx"]
        );
        let by_name = format!(
            "SELECT name FROM t WHERE ?1 = ?1 ORDER BY {}",
            d.name_order("name")
        );
        assert_eq!(
            names(&by_name, ""),
            ["a*b", "apple", "Banana", "Zoo", "Äpfel", "äx"]
        );
    }
}
