//! Who may do what, decided in one pure, default-deny function.
//!
//! A [`Command`] is what the person ran (it names the command in messages and in the
//! audit trail); [`Command::need`] maps each one, in one exhaustive match, to the
//! [`Need`] the rule checks. Neither match has a catch-all arm, so a new command does
//! not compile until its rule is decided here. Callers pass what the store says about
//! the invoking user *now* (and, for a package, how they stand to it); nothing is cached
//! between invocations.

use crate::model::{Relation, Role, Status};

/// The invoking user, as the rule needs to see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub role: Role,
    pub status: Status,
    pub must_change_password: bool,
}

/// What the person ran. Package commands carry how the person stands to the package
/// (known once it is looked up), `package create` the setting that may allow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Whoami,
    Logout,
    MeShow,
    MeEdit,
    MePasswd,
    MeNotifications,
    UserList,
    UserShow,
    UserAdd,
    UserEdit,
    UserPasswd,
    UserActivate,
    UserDeactivate,
    UserUnlock,
    UserOffboard,
    UserDelete,
    UserImport,
    UserExport,
    UserDoctor,
    PackageList,
    /// `users_can_create` is the `packages.users_can_create` setting.
    PackageCreate {
        users_can_create: bool,
    },
    PackageShow(Relation),
    PackageEdit(Relation),
    PackageActivate(Relation),
    PackageDeactivate(Relation),
    PackageDelete(Relation),
    PackageMembers(Relation),
    PackageAssign,
    PackageUnassign,
    /// `access explain` about oneself or about someone else.
    AccessExplain {
        about_self: bool,
    },
    /// `access explain`, for the package asked about: whoever asks must see it.
    AccessExplainPackage(Relation),
    AccessMatrix,
    ConfigList,
    ConfigGet,
    ConfigSet,
    AuditList,
    AuditVerify,
    AuditCheckpoint,
    Review,
    /// `apply FILE`: settings, packages and users at once.
    Apply,
}

/// What the rule requires for a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any user who passes the account gates.
    Account,
    /// An admin.
    Admin,
    /// `packages.users_can_create` on, or an admin.
    CreatePackage { users_can_create: bool },
    /// See the package: admin OR creator OR assigned.
    SeePackage(Relation),
    /// Change the package: admin OR creator.
    ChangePackage(Relation),
}

impl Command {
    /// The command as the person typed it, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Command::Whoami => "whoami",
            Command::Logout => "logout",
            Command::MeShow => "me show",
            Command::MeEdit => "me edit",
            Command::MePasswd => "me passwd",
            Command::MeNotifications => "me notifications",
            Command::UserList => "user list",
            Command::UserShow => "user show",
            Command::UserAdd => "user add",
            Command::UserEdit => "user edit",
            Command::UserPasswd => "user passwd",
            Command::UserActivate => "user activate",
            Command::UserDeactivate => "user deactivate",
            Command::UserUnlock => "user unlock",
            Command::UserOffboard => "user offboard",
            Command::UserDelete => "user delete",
            Command::UserImport => "user import",
            Command::UserExport => "user export",
            Command::UserDoctor => "user doctor",
            Command::PackageList => "package list",
            Command::PackageCreate { .. } => "package create",
            Command::PackageShow(_) => "package show",
            Command::PackageEdit(_) => "package edit",
            Command::PackageActivate(_) => "package activate",
            Command::PackageDeactivate(_) => "package deactivate",
            Command::PackageDelete(_) => "package delete",
            Command::PackageMembers(_) => "package members",
            Command::PackageAssign => "package assign",
            Command::PackageUnassign => "package unassign",
            Command::AccessExplain { .. } | Command::AccessExplainPackage(_) => "access explain",
            Command::AccessMatrix => "access matrix",
            Command::ConfigList => "config list",
            Command::ConfigGet => "config get",
            Command::ConfigSet => "config set",
            Command::AuditList => "audit list",
            Command::AuditVerify => "audit verify",
            Command::AuditCheckpoint => "audit checkpoint",
            Command::Review => "review",
            Command::Apply => "apply",
        }
    }

    /// The action's name in the audit trail: `package.delete`.
    pub fn audit_action(self) -> String {
        self.name().replace(' ', ".")
    }

    /// What the rule requires for this command.
    pub fn need(self) -> Need {
        match self {
            Command::Whoami
            | Command::Logout
            | Command::MeShow
            | Command::MeEdit
            | Command::MePasswd
            | Command::MeNotifications
            | Command::PackageList
            | Command::AccessExplain { about_self: true } => Need::Account,
            Command::UserList
            | Command::UserShow
            | Command::UserAdd
            | Command::UserEdit
            | Command::UserPasswd
            | Command::UserActivate
            | Command::UserDeactivate
            | Command::UserUnlock
            | Command::UserOffboard
            | Command::UserDelete
            | Command::UserImport
            | Command::UserExport
            | Command::UserDoctor
            | Command::PackageAssign
            | Command::PackageUnassign
            | Command::AccessExplain { about_self: false }
            | Command::AccessMatrix
            | Command::ConfigList
            | Command::ConfigGet
            | Command::ConfigSet
            | Command::AuditList
            | Command::AuditVerify
            | Command::AuditCheckpoint
            | Command::Review
            | Command::Apply => Need::Admin,
            Command::PackageCreate { users_can_create } => Need::CreatePackage { users_can_create },
            Command::PackageShow(rel) | Command::AccessExplainPackage(rel) => Need::SeePackage(rel),
            Command::PackageEdit(rel)
            | Command::PackageActivate(rel)
            | Command::PackageDeactivate(rel)
            | Command::PackageDelete(rel)
            | Command::PackageMembers(rel) => Need::ChangePackage(rel),
        }
    }

    /// Whether a user who must change their password may still run it.
    fn passes_must_change(self) -> bool {
        matches!(self, Command::MePasswd | Command::Whoami | Command::Logout)
    }
}

/// Which arm of the package rule grants access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arm {
    Admin,
    Creator,
    Assigned,
}

impl Arm {
    pub fn as_str(self) -> &'static str {
        match self {
            Arm::Admin => "admin",
            Arm::Creator => "creator",
            Arm::Assigned => "assigned",
        }
    }
}

/// See a package: admin OR creator OR assigned. The first arm that holds is named.
pub fn can_see(role: Role, rel: Relation) -> Option<Arm> {
    match (role, rel.creator, rel.assigned) {
        (Role::Admin, _, _) => Some(Arm::Admin),
        (Role::User, true, _) => Some(Arm::Creator),
        (Role::User, false, true) => Some(Arm::Assigned),
        (Role::User, false, false) => None,
    }
}

/// Change or delete a package: admin OR creator.
pub fn can_change(role: Role, rel: Relation) -> Option<Arm> {
    match (role, rel.creator) {
        (Role::Admin, _) => Some(Arm::Admin),
        (Role::User, true) => Some(Arm::Creator),
        (Role::User, false) => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(Denial),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// The account is inactive: nothing at all.
    Inactive,
    /// Only `me passwd`, `whoami` and `logout` until the password is changed.
    MustChangePassword,
    /// The action is for admins.
    AdminOnly,
    /// The package is not visible: reported exactly like a missing one.
    NotVisible,
    /// Visible, but only its creator or an admin may change it.
    NotCreator,
    /// `packages.users_can_create` is off.
    CreateDisabled,
}

/// The account gates every command passes before its own rule: the account is active,
/// and one that must change its password may do only that (or `whoami`, `logout`).
/// They do not depend on the package, so a hidden and a missing one answer alike.
pub fn gate(s: &Subject, cmd: Command) -> Result<(), Denial> {
    if s.status != Status::Active {
        return Err(Denial::Inactive);
    }
    if s.must_change_password && !cmd.passes_must_change() {
        return Err(Denial::MustChangePassword);
    }
    Ok(())
}

/// Who may do what. Default-deny: every command names the rule that allows it.
pub fn decide(s: &Subject, cmd: Command) -> Decision {
    use Decision::{Allow, Deny};
    if let Err(d) = gate(s, cmd) {
        return Deny(d);
    }
    let admin = s.role == Role::Admin;
    match cmd.need() {
        Need::Account => Allow,
        Need::Admin if admin => Allow,
        Need::Admin => Deny(Denial::AdminOnly),
        Need::CreatePackage { users_can_create } if admin || users_can_create => Allow,
        Need::CreatePackage { .. } => Deny(Denial::CreateDisabled),
        Need::SeePackage(rel) => match can_see(s.role, rel) {
            Some(_) => Allow,
            None => Deny(Denial::NotVisible),
        },
        Need::ChangePackage(rel) => match (can_see(s.role, rel), can_change(s.role, rel)) {
            (_, Some(_)) => Allow,
            (Some(_), None) => Deny(Denial::NotCreator),
            (None, None) => Deny(Denial::NotVisible),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RELATIONS: [(&str, Relation); 4] = [
        (
            "none",
            Relation {
                creator: false,
                assigned: false,
            },
        ),
        (
            "assigned",
            Relation {
                creator: false,
                assigned: true,
            },
        ),
        (
            "creator",
            Relation {
                creator: true,
                assigned: false,
            },
        ),
        (
            "creator+assigned",
            Relation {
                creator: true,
                assigned: true,
            },
        ),
    ];

    fn commands() -> Vec<Command> {
        let mut v = vec![
            Command::Whoami,
            Command::Logout,
            Command::MeShow,
            Command::MeEdit,
            Command::MePasswd,
            Command::MeNotifications,
            Command::UserList,
            Command::UserShow,
            Command::UserAdd,
            Command::UserEdit,
            Command::UserPasswd,
            Command::UserActivate,
            Command::UserDeactivate,
            Command::UserUnlock,
            Command::UserOffboard,
            Command::UserDelete,
            Command::UserImport,
            Command::UserExport,
            Command::UserDoctor,
            Command::PackageList,
            Command::PackageCreate {
                users_can_create: true,
            },
            Command::PackageCreate {
                users_can_create: false,
            },
            Command::PackageAssign,
            Command::PackageUnassign,
            Command::AccessExplain { about_self: true },
            Command::AccessExplain { about_self: false },
            Command::AccessMatrix,
            Command::ConfigList,
            Command::ConfigGet,
            Command::ConfigSet,
            Command::AuditList,
            Command::AuditVerify,
            Command::AuditCheckpoint,
            Command::Review,
        ];
        for (_, r) in RELATIONS {
            v.push(Command::PackageShow(r));
            v.push(Command::PackageEdit(r));
            v.push(Command::PackageActivate(r));
            v.push(Command::PackageDeactivate(r));
            v.push(Command::PackageDelete(r));
            v.push(Command::PackageMembers(r));
            v.push(Command::AccessExplainPackage(r));
        }
        v
    }

    /// The rule as the README states it, written out independently of `decide`, for one active subject
    /// without the must-change flag.
    fn spec_rule(role: Role, cmd: Command) -> Decision {
        let admin = role == Role::Admin;
        let allow = |ok: bool, d: Denial| {
            if ok {
                Decision::Allow
            } else {
                Decision::Deny(d)
            }
        };
        let change = |r: Relation| {
            if admin || r.creator {
                Decision::Allow
            } else if r.assigned {
                Decision::Deny(Denial::NotCreator)
            } else {
                Decision::Deny(Denial::NotVisible)
            }
        };
        match cmd {
            Command::Whoami
            | Command::Logout
            | Command::MeShow
            | Command::MeEdit
            | Command::MePasswd
            | Command::MeNotifications
            | Command::PackageList
            | Command::AccessExplain { about_self: true } => Decision::Allow,
            Command::PackageCreate { users_can_create } => {
                allow(admin || users_can_create, Denial::CreateDisabled)
            }
            Command::PackageShow(r) | Command::AccessExplainPackage(r) => {
                allow(admin || r.creator || r.assigned, Denial::NotVisible)
            }
            Command::PackageEdit(r)
            | Command::PackageActivate(r)
            | Command::PackageDeactivate(r)
            | Command::PackageDelete(r)
            | Command::PackageMembers(r) => change(r),
            _ => allow(admin, Denial::AdminOnly),
        }
    }

    /// The whole table: role × status × must-change × relation × action.
    #[test]
    fn decision_table() {
        let gate_exempt = [Command::Whoami, Command::Logout, Command::MePasswd];
        let mut rows = 0;
        for role in [Role::Admin, Role::User] {
            for status in [Status::Active, Status::Inactive] {
                for must_change in [false, true] {
                    for cmd in commands() {
                        let s = Subject {
                            role,
                            status,
                            must_change_password: must_change,
                        };
                        let expected = if status == Status::Inactive {
                            Decision::Deny(Denial::Inactive)
                        } else if must_change && !gate_exempt.contains(&cmd) {
                            Decision::Deny(Denial::MustChangePassword)
                        } else {
                            spec_rule(role, cmd)
                        };
                        assert_eq!(
                            decide(&s, cmd),
                            expected,
                            "{role:?} {status:?} must_change={must_change} {cmd:?}"
                        );
                        rows += 1;
                    }
                }
            }
        }
        assert_eq!(rows, 8 * commands().len());
    }

    #[test]
    fn every_command_has_its_own_audit_name() {
        let names: std::collections::HashSet<&str> = commands().iter().map(|c| c.name()).collect();
        // One name per command people type, whatever the relation or setting.
        assert_eq!(names.len(), 38);
        assert_eq!(
            Command::PackageDelete(RELATIONS[0].1).audit_action(),
            "package.delete"
        );
        assert_eq!(Command::PackageUnassign.audit_action(), "package.unassign");
    }

    #[test]
    fn arms_are_named_in_rule_order() {
        let [none, assigned, creator, both] = RELATIONS.map(|(_, r)| r);
        assert_eq!(can_see(Role::Admin, none), Some(Arm::Admin));
        assert_eq!(can_see(Role::User, none), None);
        assert_eq!(can_see(Role::User, assigned), Some(Arm::Assigned));
        assert_eq!(can_see(Role::User, creator), Some(Arm::Creator));
        assert_eq!(can_see(Role::User, both), Some(Arm::Creator));
        assert_eq!(can_change(Role::User, assigned), None);
        assert_eq!(can_change(Role::User, creator), Some(Arm::Creator));
        assert_eq!(can_change(Role::Admin, none), Some(Arm::Admin));
    }
}
