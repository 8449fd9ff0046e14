//! Who may do what (SPEC §2), decided in one pure, default-deny function.
//!
//! [`decide`] matches every [`Action`] explicitly — there is no catch-all arm — so a new
//! action does not compile until its rule is written here. Callers pass what the store
//! says about the invoking user *now* (and, for a package, how they stand to it);
//! nothing is cached between invocations.

use crate::model::{Role, Status};
use crate::store::Relation;

/// The invoking user, as the rule needs to see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub role: Role,
    pub status: Status,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
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
    PackageList,
    /// `users_can_create` is the `packages.users_can_create` setting.
    PackageCreate {
        users_can_create: bool,
    },
    /// See a package: show it.
    PackageView(Relation),
    /// Change a package: edit, activate, deactivate, delete, list its members.
    PackageChange(Relation),
    PackageAssign,
    /// `access explain` about oneself or about someone else.
    AccessExplain {
        about_self: bool,
    },
    AccessMatrix,
    ConfigRead,
    ConfigWrite,
    AuditList,
    AuditVerify,
    AuditCheckpoint,
    Review,
    UserDoctor,
}

impl Action {
    /// The command as the user typed it, for messages and the audit trail.
    pub fn command(self) -> &'static str {
        match self {
            Action::Whoami => "whoami",
            Action::Logout => "logout",
            Action::MeShow => "me show",
            Action::MeEdit => "me edit",
            Action::MePasswd => "me passwd",
            Action::MeNotifications => "me notifications",
            Action::UserList => "user list",
            Action::UserShow => "user show",
            Action::UserAdd => "user add",
            Action::UserEdit => "user edit",
            Action::UserPasswd => "user passwd",
            Action::UserActivate => "user activate",
            Action::UserDeactivate => "user deactivate",
            Action::UserUnlock => "user unlock",
            Action::UserOffboard => "user offboard",
            Action::UserDelete => "user delete",
            Action::UserImport => "user import",
            Action::UserExport => "user export",
            Action::PackageList => "package list",
            Action::PackageCreate { .. } => "package create",
            Action::PackageView(_) => "package show",
            Action::PackageChange(_) => "package edit",
            Action::PackageAssign => "package assign",
            Action::AccessExplain { .. } => "access explain",
            Action::AccessMatrix => "access matrix",
            Action::ConfigRead => "config get",
            Action::ConfigWrite => "config set",
            Action::AuditList => "audit list",
            Action::AuditVerify => "audit verify",
            Action::AuditCheckpoint => "audit checkpoint",
            Action::Review => "review",
            Action::UserDoctor => "user doctor",
        }
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

/// Who may do what. Default-deny: every action names the rule that allows it.
pub fn decide(s: &Subject, action: Action) -> Decision {
    use Decision::{Allow, Deny};
    if s.status != Status::Active {
        return Deny(Denial::Inactive);
    }
    let gate_exempt = match action {
        Action::MePasswd | Action::Whoami | Action::Logout => true,
        Action::MeShow
        | Action::MeEdit
        | Action::MeNotifications
        | Action::UserList
        | Action::UserShow
        | Action::UserAdd
        | Action::UserEdit
        | Action::UserPasswd
        | Action::UserActivate
        | Action::UserDeactivate
        | Action::UserUnlock
        | Action::UserOffboard
        | Action::UserDelete
        | Action::UserImport
        | Action::UserExport
        | Action::PackageList
        | Action::PackageCreate { .. }
        | Action::PackageView(_)
        | Action::PackageChange(_)
        | Action::PackageAssign
        | Action::AccessExplain { .. }
        | Action::AccessMatrix
        | Action::ConfigRead
        | Action::ConfigWrite
        | Action::AuditList
        | Action::AuditVerify
        | Action::AuditCheckpoint
        | Action::Review
        | Action::UserDoctor => false,
    };
    if s.must_change_password && !gate_exempt {
        return Deny(Denial::MustChangePassword);
    }
    let admin = s.role == Role::Admin;
    let admin_only = |d: Denial| if admin { Allow } else { Deny(d) };
    match action {
        Action::Whoami
        | Action::Logout
        | Action::MeShow
        | Action::MeEdit
        | Action::MePasswd
        | Action::MeNotifications
        | Action::PackageList
        | Action::AccessExplain { about_self: true } => Allow,
        Action::UserList
        | Action::UserShow
        | Action::UserAdd
        | Action::UserEdit
        | Action::UserPasswd
        | Action::UserActivate
        | Action::UserDeactivate
        | Action::UserUnlock
        | Action::UserOffboard
        | Action::UserDelete
        | Action::UserImport
        | Action::UserExport
        | Action::PackageAssign
        | Action::AccessExplain { about_self: false }
        | Action::AccessMatrix
        | Action::ConfigRead
        | Action::ConfigWrite
        | Action::AuditList
        | Action::AuditVerify
        | Action::AuditCheckpoint
        | Action::Review
        | Action::UserDoctor => admin_only(Denial::AdminOnly),
        Action::PackageCreate { users_can_create } => {
            if admin || users_can_create {
                Allow
            } else {
                Deny(Denial::CreateDisabled)
            }
        }
        Action::PackageView(rel) => match can_see(s.role, rel) {
            Some(_) => Allow,
            None => Deny(Denial::NotVisible),
        },
        Action::PackageChange(rel) => match (can_see(s.role, rel), can_change(s.role, rel)) {
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

    fn actions() -> Vec<Action> {
        let mut v = vec![
            Action::Whoami,
            Action::Logout,
            Action::MeShow,
            Action::MeEdit,
            Action::MePasswd,
            Action::MeNotifications,
            Action::UserList,
            Action::UserShow,
            Action::UserAdd,
            Action::UserEdit,
            Action::UserPasswd,
            Action::UserActivate,
            Action::UserDeactivate,
            Action::UserUnlock,
            Action::UserOffboard,
            Action::UserDelete,
            Action::UserImport,
            Action::UserExport,
            Action::PackageList,
            Action::PackageCreate {
                users_can_create: true,
            },
            Action::PackageCreate {
                users_can_create: false,
            },
            Action::PackageAssign,
            Action::AccessExplain { about_self: true },
            Action::AccessExplain { about_self: false },
            Action::AccessMatrix,
            Action::ConfigRead,
            Action::ConfigWrite,
            Action::AuditList,
            Action::AuditVerify,
            Action::AuditCheckpoint,
            Action::Review,
            Action::UserDoctor,
        ];
        for (_, r) in RELATIONS {
            v.push(Action::PackageView(r));
            v.push(Action::PackageChange(r));
        }
        v
    }

    /// The SPEC's rule, written out independently of `decide`, for one active subject
    /// without the must-change flag.
    fn spec_rule(role: Role, action: Action) -> Decision {
        let admin = role == Role::Admin;
        let allow = |ok: bool, d: Denial| {
            if ok {
                Decision::Allow
            } else {
                Decision::Deny(d)
            }
        };
        match action {
            Action::Whoami
            | Action::Logout
            | Action::MeShow
            | Action::MeEdit
            | Action::MePasswd
            | Action::MeNotifications
            | Action::PackageList
            | Action::AccessExplain { about_self: true } => Decision::Allow,
            Action::PackageCreate { users_can_create } => {
                allow(admin || users_can_create, Denial::CreateDisabled)
            }
            Action::PackageView(r) => allow(admin || r.creator || r.assigned, Denial::NotVisible),
            Action::PackageChange(r) if admin || r.creator => Decision::Allow,
            Action::PackageChange(r) if r.assigned => Decision::Deny(Denial::NotCreator),
            Action::PackageChange(_) => Decision::Deny(Denial::NotVisible),
            _ => allow(admin, Denial::AdminOnly),
        }
    }

    /// The whole table: role × status × must-change × relation × action.
    #[test]
    fn decision_table() {
        let gate_exempt = [Action::Whoami, Action::Logout, Action::MePasswd];
        let mut rows = 0;
        for role in [Role::Admin, Role::User] {
            for status in [Status::Active, Status::Inactive] {
                for must_change in [false, true] {
                    for action in actions() {
                        let s = Subject {
                            role,
                            status,
                            must_change_password: must_change,
                        };
                        let expected = if status == Status::Inactive {
                            Decision::Deny(Denial::Inactive)
                        } else if must_change && !gate_exempt.contains(&action) {
                            Decision::Deny(Denial::MustChangePassword)
                        } else {
                            spec_rule(role, action)
                        };
                        assert_eq!(
                            decide(&s, action),
                            expected,
                            "{role:?} {status:?} must_change={must_change} {action:?}"
                        );
                        rows += 1;
                    }
                }
            }
        }
        assert_eq!(rows, 8 * actions().len());
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
