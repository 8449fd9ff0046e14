//! Writing planned rows inside the caller's transaction: new users a batch at a time,
//! updates one by one, each with its audit entry and — where the database server logs
//! people in — its login, and one typed [`Outcome`] per row in the file's order.

use std::collections::HashMap;

use secrecy::SecretString;
use serde_json::{json, Value};

use super::outcome::{Flag, Outcome, RowResult};
use super::plan::changes;
use super::types::{OnConflict, Plan, RowOptions, Secret};
use crate::authz::Command;
use crate::error::Result;
use crate::input_formats::Row;
use crate::model::{fmt_ts, Role, Status};
use crate::record::change_entry;
use crate::store::{NewUser, Store, User};

/// Writes the plans inside the caller's transaction, one outcome per row.
pub(crate) fn write_rows(
    s: &Store,
    me: &User,
    plans: &[Plan],
    hashes: &HashMap<usize, String>,
    opts: &RowOptions,
) -> Result<Vec<Outcome>> {
    Writer::new(s, me, opts).rows(plans, hashes)
}

impl<'a> Writer<'a> {
    pub(super) fn new(s: &'a Store, me: &'a User, opts: &'a RowOptions) -> Writer<'a> {
        Writer {
            s,
            me,
            package_ids: HashMap::new(),
            spelled: HashMap::new(),
            opts,
            planned_inside: false,
        }
    }

    /// Writes the plans inside the caller's transaction, one outcome per row.
    pub(super) fn rows(
        &mut self,
        plans: &[Plan],
        hashes: &HashMap<usize, String>,
    ) -> Result<Vec<Outcome>> {
        let (s, on_conflict, w) = (self.s, self.opts.on_conflict, self);
        let mut out = Vec::with_capacity(plans.len());
        // Rows to create are written a batch at a time (one statement each for the lookup,
        // the users and their assignments); anything else flushes the batch first, so the
        // outcomes and the audit trail keep the file's order.
        let mut batch: Vec<(&Row, String, Option<&SecretString>)> = Vec::new();
        for (i, plan) in plans.iter().enumerate() {
            let hash = |secret: &Secret| match secret {
                Secret::Hash(h) => h.clone(),
                Secret::Plain { .. } => hashes[&i].clone(),
            };
            if let Plan::Create { row, secret } = plan {
                let pw = match secret {
                    Secret::Plain { pw, .. } => Some(pw),
                    Secret::Hash(_) => None,
                };
                batch.push((row, hash(secret), pw));
                if batch.len() == CREATE_BATCH {
                    out.extend(w.create_batch(std::mem::take(&mut batch), on_conflict)?);
                }
                continue;
            }
            out.extend(w.create_batch(std::mem::take(&mut batch), on_conflict)?);
            let outcome = match plan {
                Plan::Create { .. } => unreachable!("handled above"),
                Plan::Update { row, user, secret } => {
                    w.update(row, user, secret.as_ref().map(hash))?
                }
                Plan::Skip { row, id } => Outcome::plain(row, *id, RowResult::Skipped),
                Plan::Unchanged { row, id } => Outcome::plain(row, *id, RowResult::Unchanged),
            };
            // Where the database server logs people in, a password also becomes their login.
            if let (
                Plan::Update {
                    secret: Some(Secret::Plain { pw, .. }),
                    ..
                },
                Some(id),
            ) = (plan, outcome.id)
            {
                if outcome.result == RowResult::Updated {
                    s.sessions().set_login(id, pw)?;
                }
            }
            out.push(outcome);
        }
        out.extend(w.create_batch(batch, on_conflict)?);
        Ok(out)
    }
}

/// Rows created per batch.
const CREATE_BATCH: usize = 1000;

/// The import's writes, with package ids looked up once per name.
pub(super) struct Writer<'a> {
    s: &'a Store,
    me: &'a User,
    /// Package ids by key, and by the spellings the file used.
    package_ids: HashMap<String, i64>,
    spelled: HashMap<String, i64>,
    opts: &'a RowOptions,
    /// Whether the rows were planned inside the transaction they are written in.
    pub(super) planned_inside: bool,
}

impl Writer<'_> {
    fn package_id(&mut self, name: &str) -> Result<i64> {
        // A name spelled as before is the same package, without folding it again.
        if let Some(id) = self.spelled.get(name) {
            return Ok(*id);
        }
        let key = crate::model::package_key(name);
        if let Some(id) = self.package_ids.get(&key).copied() {
            self.spelled.insert(name.to_string(), id);
            return Ok(id);
        }
        let p = match self.s.packages().package_by_name(name)? {
            Some(p) => p,
            None if self.opts.create_packages => {
                let p = self.s.packages().insert_package(name, None, self.me.id)?;
                self.s.audit().append_audit(&change_entry(
                    self.me,
                    Command::PackageCreate {
                        users_can_create: false,
                    },
                    &p.name,
                    json!({ "after": crate::record::package_json(&p) }),
                ))?;
                p
            }
            None => return Err(crate::store::package_not_found(name)),
        };
        self.package_ids.insert(key, p.id);
        self.spelled.insert(name.to_string(), p.id);
        Ok(p.id)
    }

    /// Creates a batch of rows: who exists already (created after we planned) in one
    /// lookup, the rest in one insert, their packages in one more. Each row's outcome,
    /// audit entry and — with a password — database login, in the batch's order.
    fn create_batch(
        &mut self,
        batch: Vec<(&Row, String, Option<&SecretString>)>,
        on_conflict: OnConflict,
    ) -> Result<Vec<Outcome>> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let s = self.s;
        // Rows planned in this transaction cannot have been created by anyone since.
        let existing = if self.planned_inside {
            HashMap::new()
        } else {
            let emails: Vec<&str> = batch.iter().map(|(r, _, _)| r.email.as_str()).collect();
            s.users().user_ids_by_email(&emails)?
        };
        // Someone created these after we planned: the same policy, under the lock.
        if on_conflict == OnConflict::Fail {
            if let Some((r, _, _)) = batch
                .iter()
                .find(|(r, _, _)| existing.contains_key(r.email.as_str()))
            {
                return Err(crate::store::email_taken(r.email.as_str()));
            }
        }
        let new_users: Vec<NewUser> = batch
            .iter()
            .filter(|(r, _, _)| !existing.contains_key(r.email.as_str()))
            .map(|(row, hash, _)| self.new_user(row, hash))
            .collect();
        let ids = s.users().insert_users(&new_users)?;
        let mut created = ids.into_iter();
        let mut pairs = Vec::new();
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut logins = Vec::new();
        for (row, _, pw) in &batch {
            if let Some(id) = existing.get(row.email.as_str()) {
                outcomes.push(Outcome::plain(row, *id, RowResult::Skipped));
                continue;
            }
            let id = created
                .next()
                .ok_or_else(|| crate::error::Error::internal("fewer ids than users inserted"))?;
            for p in row.packages.iter().flatten() {
                pairs.push((id, self.package_id(p.as_str())?));
            }
            if let Some(pw) = pw {
                logins.push((id, *pw));
            }
            outcomes.push(self.created(row, id)?);
        }
        s.assignments().assign_many(&pairs, self.me.id)?;
        // Where the database server logs people in, a password also becomes their login.
        for (id, pw) in logins {
            s.sessions().set_login(id, pw)?;
        }
        Ok(outcomes)
    }

    fn new_user(&self, row: &Row, hash: &str) -> NewUser {
        NewUser {
            email: row.email.clone(),
            name: row.name.as_ref().map(|n| n.to_string()).unwrap_or_default(),
            full_name: row.full_name.clone().and_then(|f| f.0),
            phone: row.phone.clone().and_then(|p| p.0),
            role: row.role.unwrap_or(Role::User),
            status: row.status.unwrap_or(Status::Active),
            password_hash: Some(hash.to_string()),
            must_change_password: row.must_change_password.unwrap_or(self.opts.must_change),
            expires_at: row.expires_at.and_then(|e| e.0),
            created_at: row.created_at,
            last_login_at: row.last_login_at,
        }
    }

    /// The audit entry and outcome of a row created as user `id`.
    fn created(&self, row: &Row, id: i64) -> Result<Outcome> {
        let role = row.role.unwrap_or(Role::User);
        let mut changes = json!({
            "before": {},
            "after": {
                "name": row.name, "role": role,
                "status": row.status.unwrap_or(Status::Active),
                "packages": row.packages,
            },
        });
        // The optional fields the row sets, so a plan shows them too.
        let after = &mut changes["after"];
        if let Some(f) = row.full_name.as_ref().and_then(|f| f.0.as_ref()) {
            after["full_name"] = json!(f);
        }
        if let Some(p) = row.phone.as_ref().and_then(|p| p.0.as_ref()) {
            after["phone"] = json!(p);
        }
        if let Some(at) = row.expires_at.and_then(|e| e.0) {
            after["expires_at"] = json!(fmt_ts(at));
        }
        if row.must_change_password.unwrap_or(self.opts.must_change) {
            after["must_change_password"] = json!(true);
        }
        let mut details = changes.clone();
        details["result"] = json!("created");
        details["password_changed"] = json!(true);
        self.s.audit().append_audit(&change_entry(
            self.me,
            self.opts.audit_create,
            row.email.as_str(),
            details,
        ))?;
        Ok(Outcome {
            location: row.location.clone(),
            email: row.email.to_string(),
            id: Some(id),
            result: RowResult::Created,
            changes: if self.opts.keep_changes {
                changes
            } else {
                Value::Null
            },
            flags: (role == Role::Admin)
                .then_some(Flag::GrantsAdmin)
                .into_iter()
                .chain(row.note.map(Flag::from))
                .collect(),
        })
    }

    fn update(&mut self, row: &Row, user: &User, hash: Option<String>) -> Result<Outcome> {
        let s = self.s;
        let before = s.users().user_by_id(user.id)?;
        let (mut after, _) = s.change_user(before.id, &changes(row))?;
        // The same hash again is no password change.
        let new_hash = hash.filter(|h| before.password_hash.as_ref() != Some(h));
        let password_changed = new_hash.is_some();
        if let Some(h) = new_hash {
            (after, _) = s.change_password(before.id, &h, after.must_change_password, None)?;
        }
        if let Some(pkgs) = &row.packages {
            let wanted: Vec<i64> = pkgs
                .iter()
                .map(|p| self.package_id(p.as_str()))
                .collect::<Result<_>>()?;
            s.assignments()
                .set_assignments(before.id, &wanted, self.me.id)?;
            after = s.users().user_by_id(before.id)?;
        }
        let changes = crate::record::diff(&before, &after);
        let mut details = changes.clone();
        details["result"] = json!("updated");
        if password_changed {
            details["password_changed"] = json!(true);
        }
        s.audit().append_audit(&change_entry(
            self.me,
            self.opts.audit_update,
            &after.email,
            details,
        ))?;
        let mut flags = Vec::new();
        if after.role == Role::Admin && before.role != Role::Admin {
            flags.push(Flag::GrantsAdmin);
        }
        if password_changed && before.role == Role::Admin {
            flags.push(Flag::ReplacesAdminPassword);
        }
        Ok(Outcome {
            location: row.location.clone(),
            email: after.email,
            id: Some(after.id),
            result: RowResult::Updated,
            changes: if self.opts.keep_changes {
                changes
            } else {
                Value::Null
            },
            flags,
        })
    }
}
