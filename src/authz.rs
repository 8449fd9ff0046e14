//! Who may do what (SPEC §2), decided in one pure, default-deny function.
//!
//! [`decide`] matches every [`Action`] explicitly — there is no catch-all arm — so a new
//! action does not compile until its rule is written here. Callers pass what the store
//! says about the invoking user *now*; nothing is cached between invocations.

use crate::model::{Role, Status};

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
    MePasswd,
    UserList,
    UserShow,
    UserAdd,
    UserEdit,
    UserPasswd,
    UserActivate,
    UserDeactivate,
    UserUnlock,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::Whoami,
        Action::Logout,
        Action::MeShow,
        Action::MePasswd,
        Action::UserList,
        Action::UserShow,
        Action::UserAdd,
        Action::UserEdit,
        Action::UserPasswd,
        Action::UserActivate,
        Action::UserDeactivate,
        Action::UserUnlock,
    ];

    /// The command as the user typed it, for messages and the audit trail.
    pub fn command(self) -> &'static str {
        match self {
            Action::Whoami => "whoami",
            Action::Logout => "logout",
            Action::MeShow => "me show",
            Action::MePasswd => "me passwd",
            Action::UserList => "user list",
            Action::UserShow => "user show",
            Action::UserAdd => "user add",
            Action::UserEdit => "user edit",
            Action::UserPasswd => "user passwd",
            Action::UserActivate => "user activate",
            Action::UserDeactivate => "user deactivate",
            Action::UserUnlock => "user unlock",
        }
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
}

/// Who may do what. Default-deny: every action names the arm that allows it.
pub fn decide(s: &Subject, action: Action) -> Decision {
    if s.status != Status::Active {
        return Decision::Deny(Denial::Inactive);
    }
    let gate_exempt = match action {
        Action::MePasswd | Action::Whoami | Action::Logout => true,
        Action::MeShow
        | Action::UserList
        | Action::UserShow
        | Action::UserAdd
        | Action::UserEdit
        | Action::UserPasswd
        | Action::UserActivate
        | Action::UserDeactivate
        | Action::UserUnlock => false,
    };
    if s.must_change_password && !gate_exempt {
        return Decision::Deny(Denial::MustChangePassword);
    }
    let admin_only = match action {
        Action::Whoami | Action::Logout | Action::MeShow | Action::MePasswd => false,
        Action::UserList
        | Action::UserShow
        | Action::UserAdd
        | Action::UserEdit
        | Action::UserPasswd
        | Action::UserActivate
        | Action::UserDeactivate
        | Action::UserUnlock => true,
    };
    match (admin_only, s.role) {
        (false, _) | (true, Role::Admin) => Decision::Allow,
        (true, Role::User) => Decision::Deny(Denial::AdminOnly),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole table: role × status × must-change × action, against the SPEC's words.
    #[test]
    fn decision_table() {
        let self_service = [
            Action::Whoami,
            Action::Logout,
            Action::MeShow,
            Action::MePasswd,
        ];
        let gate_exempt = [Action::Whoami, Action::Logout, Action::MePasswd];
        for &role in &[Role::Admin, Role::User] {
            for &status in &[Status::Active, Status::Inactive] {
                for &must_change in &[false, true] {
                    for &action in Action::ALL {
                        let s = Subject {
                            role,
                            status,
                            must_change_password: must_change,
                        };
                        let expected = if status == Status::Inactive {
                            Decision::Deny(Denial::Inactive)
                        } else if must_change && !gate_exempt.contains(&action) {
                            Decision::Deny(Denial::MustChangePassword)
                        } else if self_service.contains(&action) || role == Role::Admin {
                            Decision::Allow
                        } else {
                            Decision::Deny(Denial::AdminOnly)
                        };
                        assert_eq!(
                            decide(&s, action),
                            expected,
                            "{role:?} {status:?} must_change={must_change} {action:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn all_lists_every_action_once() {
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.command()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
