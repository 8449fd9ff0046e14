//! Property test of the access rules: random sequences of commands by random
//! actors run against the real binary and against a small in-memory model of the rules.
//! After every step the exit code must be the one the model predicts and the store's
//! users, roles, statuses, packages, creators, assignments and settings must equal the
//! model's; an active admin must always remain; and what each user sees in
//! `package list` must be exactly the model's visible set.
//!
//! The model covers: who may add users, change roles, activate, deactivate and delete
//! them (admins only; never leaving no active admin); who may create packages (admins,
//! and users while `packages.users_can_create` is on; names unique regardless of case);
//! who may see a package (admin OR creator OR assigned — an invisible one is "not
//! found"); who may delete it (admin OR creator); who may assign (admins only); that
//! inactive, deleted or unknown actors cannot act (3); and that deactivation revokes
//! sessions. `PROPTEST_CASES` runs more cases.

use crate::support::*;

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

const PW: &str = "Model-secret-pw-1";
/// Index 0 is the admin `init` creates; the others may or may not exist at a step.
const PEOPLE: [&str; 4] = [
    ADMIN_EMAIL,
    "p1@example.com",
    "p2@example.com",
    "p3@example.com",
];
const PACKAGES: [&str; 2] = ["alpha", "beta"];

fn pw_of(i: usize) -> &'static str {
    if i == 0 {
        ADMIN_PW
    } else {
        PW
    }
}

#[derive(Debug, Clone)]
enum Op {
    AddUser {
        actor: usize,
        target: usize,
        admin: bool,
    },
    SetRole {
        actor: usize,
        target: usize,
        admin: bool,
    },
    Deactivate {
        actor: usize,
        target: usize,
    },
    Activate {
        actor: usize,
        target: usize,
    },
    DeleteUser {
        actor: usize,
        target: usize,
    },
    CreatePackage {
        actor: usize,
        pkg: usize,
        upper: bool,
    },
    DeletePackage {
        actor: usize,
        pkg: usize,
        upper: bool,
    },
    Assign {
        actor: usize,
        pkg: usize,
        target: usize,
    },
    Unassign {
        actor: usize,
        pkg: usize,
        target: usize,
    },
    ShowPackage {
        actor: usize,
        pkg: usize,
        upper: bool,
    },
    ListPackages {
        actor: usize,
    },
    UsersCanCreate {
        actor: usize,
        on: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..PEOPLE.len();
    let pkg = 0..PACKAGES.len();
    prop_oneof![
        4 => (who.clone(), 1..PEOPLE.len(), any::<bool>())
            .prop_map(|(actor, target, admin)| Op::AddUser { actor, target, admin }),
        2 => (who.clone(), who.clone(), any::<bool>())
            .prop_map(|(actor, target, admin)| Op::SetRole { actor, target, admin }),
        2 => (who.clone(), who.clone()).prop_map(|(actor, target)| Op::Deactivate { actor, target }),
        2 => (who.clone(), who.clone()).prop_map(|(actor, target)| Op::Activate { actor, target }),
        1 => (who.clone(), who.clone()).prop_map(|(actor, target)| Op::DeleteUser { actor, target }),
        3 => (who.clone(), pkg.clone(), any::<bool>())
            .prop_map(|(actor, pkg, upper)| Op::CreatePackage { actor, pkg, upper }),
        3 => (who.clone(), pkg.clone(), any::<bool>())
            .prop_map(|(actor, pkg, upper)| Op::DeletePackage { actor, pkg, upper }),
        4 => (who.clone(), pkg.clone(), who.clone())
            .prop_map(|(actor, pkg, target)| Op::Assign { actor, pkg, target }),
        1 => (who.clone(), pkg.clone(), who.clone())
            .prop_map(|(actor, pkg, target)| Op::Unassign { actor, pkg, target }),
        2 => (who.clone(), pkg.clone(), any::<bool>())
            .prop_map(|(actor, pkg, upper)| Op::ShowPackage { actor, pkg, upper }),
        2 => who.clone().prop_map(|actor| Op::ListPackages { actor }),
        1 => (who, any::<bool>()).prop_map(|(actor, on)| Op::UsersCanCreate { actor, on }),
    ]
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct MUser {
    admin: bool,
    active: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct MPackage {
    creator: Option<usize>,
    assigned: BTreeSet<usize>,
}

/// The rules over a handful of people and packages.
#[derive(Debug, Clone)]
struct Model {
    users: BTreeMap<usize, MUser>,
    packages: BTreeMap<usize, MPackage>,
    users_can_create: bool,
}

impl Model {
    fn new() -> Model {
        let mut users = BTreeMap::new();
        users.insert(
            0,
            MUser {
                admin: true,
                active: true,
            },
        );
        Model {
            users,
            packages: BTreeMap::new(),
            users_can_create: true,
        }
    }

    fn active_admins(&self) -> usize {
        self.users.values().filter(|u| u.admin && u.active).count()
    }

    fn can_act(&self, actor: usize) -> bool {
        self.users.get(&actor).is_some_and(|u| u.active)
    }

    fn is_admin(&self, actor: usize) -> bool {
        self.users.get(&actor).is_some_and(|u| u.admin)
    }

    fn sees(&self, actor: usize, pkg: usize) -> bool {
        self.packages.get(&pkg).is_some_and(|p| {
            self.is_admin(actor) || p.creator == Some(actor) || p.assigned.contains(&actor)
        })
    }

    fn visible(&self, actor: usize) -> BTreeSet<String> {
        self.packages
            .keys()
            .filter(|p| self.sees(actor, **p))
            .map(|p| PACKAGES[*p].to_string())
            .collect()
    }

    /// Applies `op`; returns the expected exit code and whose sessions it revoked.
    /// A refused op leaves the model as it was.
    fn apply(&mut self, op: &Op) -> (i32, Vec<usize>) {
        let actor = match op {
            Op::AddUser { actor, .. }
            | Op::SetRole { actor, .. }
            | Op::Deactivate { actor, .. }
            | Op::Activate { actor, .. }
            | Op::DeleteUser { actor, .. }
            | Op::CreatePackage { actor, .. }
            | Op::DeletePackage { actor, .. }
            | Op::Assign { actor, .. }
            | Op::Unassign { actor, .. }
            | Op::ShowPackage { actor, .. }
            | Op::ListPackages { actor }
            | Op::UsersCanCreate { actor, .. } => *actor,
        };
        if !self.can_act(actor) {
            return (3, vec![]);
        }
        let admin = self.is_admin(actor);
        let before = self.clone();
        // Changes that must keep an active admin: roll back with a conflict otherwise.
        let guarded = |m: &mut Model, before: Model, revoked: Vec<usize>| {
            if m.active_admins() == 0 {
                *m = before;
                (6, vec![])
            } else {
                (0, revoked)
            }
        };
        match *op {
            Op::AddUser {
                target, admin: a, ..
            } => {
                if !admin {
                    return (4, vec![]);
                }
                match self.users.entry(target) {
                    Entry::Occupied(_) => (6, vec![]),
                    Entry::Vacant(v) => {
                        v.insert(MUser {
                            admin: a,
                            active: true,
                        });
                        (0, vec![])
                    }
                }
            }
            Op::SetRole {
                target, admin: a, ..
            } => {
                if !admin {
                    return (4, vec![]);
                }
                let Some(u) = self.users.get_mut(&target) else {
                    return (5, vec![]);
                };
                u.admin = a;
                guarded(self, before, vec![])
            }
            Op::Deactivate { target, .. } | Op::Activate { target, .. } => {
                if !admin {
                    return (4, vec![]);
                }
                let active = matches!(op, Op::Activate { .. });
                let Some(u) = self.users.get_mut(&target) else {
                    return (5, vec![]);
                };
                let revoked = if u.active && !active {
                    vec![target]
                } else {
                    vec![]
                };
                u.active = active;
                guarded(self, before, revoked)
            }
            Op::DeleteUser { target, .. } => {
                if !admin {
                    return (4, vec![]);
                }
                if self.users.remove(&target).is_none() {
                    return (5, vec![]);
                }
                for p in self.packages.values_mut() {
                    if p.creator == Some(target) {
                        p.creator = None;
                    }
                    p.assigned.remove(&target);
                }
                guarded(self, before, vec![target])
            }
            Op::CreatePackage { pkg, .. } => {
                if !admin && !self.users_can_create {
                    return (4, vec![]);
                }
                match self.packages.entry(pkg) {
                    Entry::Occupied(_) => (6, vec![]),
                    Entry::Vacant(v) => {
                        v.insert(MPackage {
                            creator: Some(actor),
                            assigned: BTreeSet::new(),
                        });
                        (0, vec![])
                    }
                }
            }
            Op::DeletePackage { pkg, .. } => {
                if !self.sees(actor, pkg) {
                    (5, vec![])
                } else if !admin && self.packages[&pkg].creator != Some(actor) {
                    (4, vec![])
                } else {
                    self.packages.remove(&pkg);
                    (0, vec![])
                }
            }
            Op::Assign { pkg, target, .. } | Op::Unassign { pkg, target, .. } => {
                if !admin {
                    (4, vec![])
                } else if !self.packages.contains_key(&pkg) || !self.users.contains_key(&target) {
                    (5, vec![])
                } else {
                    let p = self.packages.get_mut(&pkg).unwrap();
                    if matches!(op, Op::Assign { .. }) {
                        p.assigned.insert(target);
                    } else {
                        p.assigned.remove(&target);
                    }
                    (0, vec![])
                }
            }
            Op::ShowPackage { pkg, .. } => {
                if self.sees(actor, pkg) {
                    (0, vec![])
                } else {
                    (5, vec![])
                }
            }
            Op::ListPackages { .. } => (0, vec![]),
            Op::UsersCanCreate { on, .. } => {
                if admin {
                    self.users_can_create = on;
                    (0, vec![])
                } else {
                    (4, vec![])
                }
            }
        }
    }
}

fn pkg_name(pkg: usize, upper: bool) -> String {
    if upper {
        PACKAGES[pkg].to_uppercase()
    } else {
        PACKAGES[pkg].to_string()
    }
}

fn args(op: &Op) -> Vec<String> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    match *op {
        Op::AddUser { target, admin, .. } => s(&[
            "user",
            "add",
            "--name",
            &format!("p{target}"),
            "--email",
            PEOPLE[target],
            "--role",
            if admin { "admin" } else { "user" },
            "--password-stdin",
        ]),
        Op::SetRole { target, admin, .. } => s(&[
            "user",
            "edit",
            PEOPLE[target],
            "--role",
            if admin { "admin" } else { "user" },
        ]),
        Op::Deactivate { target, .. } => s(&["user", "deactivate", PEOPLE[target], "--yes"]),
        Op::Activate { target, .. } => s(&["user", "activate", PEOPLE[target], "--yes"]),
        Op::DeleteUser { target, .. } => s(&["user", "delete", PEOPLE[target], "--yes"]),
        Op::CreatePackage { pkg, upper, .. } => s(&["package", "create", &pkg_name(pkg, upper)]),
        Op::DeletePackage { pkg, upper, .. } => {
            s(&["package", "delete", &pkg_name(pkg, upper), "--yes"])
        }
        Op::Assign { pkg, target, .. } => {
            s(&["package", "assign", PACKAGES[pkg], "--user", PEOPLE[target]])
        }
        Op::Unassign { pkg, target, .. } => s(&[
            "package",
            "unassign",
            PACKAGES[pkg],
            "--user",
            PEOPLE[target],
        ]),
        Op::ShowPackage { pkg, upper, .. } => s(&["package", "show", &pkg_name(pkg, upper)]),
        Op::ListPackages { .. } => s(&["package", "list", "--all", "--json"]),
        Op::UsersCanCreate { on, .. } => s(&[
            "config",
            "set",
            "packages.users_can_create",
            if on { "on" } else { "off" },
        ]),
    }
}

/// The real store, driven through the binary with one session token per person.
struct Real {
    env: TestEnv,
    tokens: HashMap<usize, String>,
    /// Tokens whose sessions the model says were revoked.
    revoked: HashMap<usize, String>,
}

impl Real {
    fn new() -> Real {
        let env = TestEnv::new();
        let mut tokens = HashMap::new();
        tokens.insert(0, env.token(ADMIN_EMAIL, ADMIN_PW));
        Real {
            env,
            tokens,
            revoked: HashMap::new(),
        }
    }

    /// A token for `who`: their live session, else a fresh login when the model says
    /// they can log in, else a revoked or bogus one (which must be refused).
    fn token_for(&mut self, who: usize, model: &Model) -> Result<String, TestCaseError> {
        if let Some(t) = self.tokens.get(&who) {
            return Ok(t.clone());
        }
        if model.can_act(who) {
            if let Some(old) = self.revoked.remove(&who) {
                let r = self.env.with_token(&old, &["whoami"]).run();
                prop_assert_eq!(
                    r.code,
                    3,
                    "a revoked session of {} still works",
                    PEOPLE[who]
                );
            }
            let t = self.env.token(PEOPLE[who], pw_of(who));
            self.tokens.insert(who, t.clone());
            return Ok(t);
        }
        Ok(self
            .revoked
            .get(&who)
            .cloned()
            .unwrap_or_else(|| format!("bogus-{who}")))
    }

    fn revoke(&mut self, who: usize) {
        if let Some(t) = self.tokens.remove(&who) {
            self.revoked.insert(who, t);
        }
    }

    fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.env.db).unwrap()
    }

    /// The store's state in the model's terms.
    fn state(&self) -> (BTreeMap<usize, MUser>, BTreeMap<usize, MPackage>, bool) {
        let c = self.conn();
        let idx = |email: &str| PEOPLE.iter().position(|p| *p == email).unwrap();
        let mut users = BTreeMap::new();
        let mut stmt = c.prepare("SELECT email, role, status FROM users").unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .unwrap();
        for row in rows {
            let (email, role, status) = row.unwrap();
            users.insert(
                idx(&email),
                MUser {
                    admin: role == "admin",
                    active: status == "active",
                },
            );
        }
        let mut packages = BTreeMap::new();
        let mut stmt = c
            .prepare(
                "SELECT p.name, u.email FROM packages p LEFT JOIN users u ON u.id = p.created_by",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })
            .unwrap();
        for row in rows {
            let (name, creator) = row.unwrap();
            let p = PACKAGES
                .iter()
                .position(|x| x.eq_ignore_ascii_case(&name))
                .unwrap();
            packages.insert(
                p,
                MPackage {
                    creator: creator.as_deref().map(idx),
                    assigned: BTreeSet::new(),
                },
            );
        }
        let mut stmt = c
            .prepare(
                "SELECT p.name, u.email FROM assignments a \
                 JOIN packages p ON p.id = a.package_id JOIN users u ON u.id = a.user_id",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap();
        for row in rows {
            let (name, email) = row.unwrap();
            let p = PACKAGES
                .iter()
                .position(|x| x.eq_ignore_ascii_case(&name))
                .unwrap();
            packages.get_mut(&p).unwrap().assigned.insert(idx(&email));
        }
        let setting: Option<String> = c
            .query_row(
                "SELECT value FROM settings WHERE key = 'packages.users_can_create'",
                [],
                |r| r.get(0),
            )
            .ok();
        let on = setting.is_none_or(|v| v == "on" || v == "true");
        (users, packages, on)
    }

    /// `package list --all --json` as `who`, as a set of names.
    fn listed(&mut self, who: usize, model: &Model) -> Result<BTreeSet<String>, TestCaseError> {
        let t = self.token_for(who, model)?;
        let r = self
            .env
            .with_token(&t, &["package", "list", "--all", "--json"])
            .run();
        prop_assert_eq!(r.code, 0, "package list as {}: {}", PEOPLE[who], r.stderr);
        Ok(names(&r.stdout))
    }
}

fn names(json: &str) -> BTreeSet<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_lowercase())
        .collect()
}

fn check_sequence(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut model = Model::new();
    let mut real = Real::new();
    for (step, op) in ops.iter().enumerate() {
        let actor = match op {
            Op::AddUser { actor, .. }
            | Op::SetRole { actor, .. }
            | Op::Deactivate { actor, .. }
            | Op::Activate { actor, .. }
            | Op::DeleteUser { actor, .. }
            | Op::CreatePackage { actor, .. }
            | Op::DeletePackage { actor, .. }
            | Op::Assign { actor, .. }
            | Op::Unassign { actor, .. }
            | Op::ShowPackage { actor, .. }
            | Op::ListPackages { actor }
            | Op::UsersCanCreate { actor, .. } => *actor,
        };
        let token = real.token_for(actor, &model)?;
        let a = args(op);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let mut cmd = real.env.with_token(&token, &a);
        if matches!(op, Op::AddUser { .. }) {
            cmd = cmd.stdin(&format!("{PW}\n"));
        }
        let r = cmd.run();
        let (expected, revoked) = model.apply(op);
        prop_assert_eq!(
            r.code,
            expected,
            "step {} ({:?}) as {}: `gatehouse {}`\nstdout: {}\nstderr: {}",
            step,
            op,
            PEOPLE[actor],
            a.join(" "),
            r.stdout,
            r.stderr
        );
        for who in revoked {
            real.revoke(who);
        }
        if matches!(op, Op::ListPackages { .. }) && r.code == 0 {
            prop_assert_eq!(names(&r.stdout), model.visible(actor), "step {}", step);
        }
        let (users, packages, on) = real.state();
        prop_assert_eq!(&users, &model.users, "users after step {} ({:?})", step, op);
        prop_assert_eq!(
            &packages,
            &model.packages,
            "packages after step {} ({:?})",
            step,
            op
        );
        prop_assert_eq!(on, model.users_can_create, "setting after step {}", step);
        prop_assert!(model.active_admins() >= 1);
    }
    // At the end, everyone who can log in sees exactly the model's packages.
    let people: Vec<usize> = model.users.keys().copied().collect();
    for who in people {
        if model.can_act(who) {
            let seen = real.listed(who, &model)?;
            prop_assert_eq!(seen, model.visible(who), "{} at the end", PEOPLE[who]);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config {
        cases: 24,
        max_shrink_iters: 200,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    })]

    #[test]
    fn the_binary_agrees_with_the_access_model(
        roles in proptest::collection::vec(proptest::bool::weighted(0.25), PEOPLE.len() - 1),
        ops in proptest::collection::vec(op(), 1..36),
    ) {
        // Most steps should have someone to act and be acted on: the admin first adds
        // everyone (some as admins); the random steps may delete and re-add them.
        let mut all: Vec<Op> = roles
            .iter()
            .enumerate()
            .map(|(i, admin)| Op::AddUser { actor: 0, target: i + 1, admin: *admin })
            .collect();
        all.extend(ops);
        check_sequence(&all)?;
    }
}

/// A fixed sequence through the corners the random ones reach only sometimes: the last
/// admin demoting, deactivating and deleting themself, a user's own package, a
/// revoked session after reactivation.
#[test]
fn a_fixed_walk_through_the_corners() {
    let ops = vec![
        Op::SetRole {
            actor: 0,
            target: 0,
            admin: false,
        },
        Op::Deactivate {
            actor: 0,
            target: 0,
        },
        Op::DeleteUser {
            actor: 0,
            target: 0,
        },
        Op::AddUser {
            actor: 0,
            target: 1,
            admin: false,
        },
        Op::CreatePackage {
            actor: 1,
            pkg: 0,
            upper: false,
        },
        Op::CreatePackage {
            actor: 0,
            pkg: 0,
            upper: true,
        },
        Op::ShowPackage {
            actor: 1,
            pkg: 0,
            upper: true,
        },
        Op::AddUser {
            actor: 0,
            target: 2,
            admin: false,
        },
        Op::ShowPackage {
            actor: 2,
            pkg: 0,
            upper: false,
        },
        Op::Assign {
            actor: 0,
            pkg: 0,
            target: 2,
        },
        Op::DeletePackage {
            actor: 2,
            pkg: 0,
            upper: false,
        },
        Op::UsersCanCreate {
            actor: 0,
            on: false,
        },
        Op::CreatePackage {
            actor: 2,
            pkg: 1,
            upper: false,
        },
        Op::Deactivate {
            actor: 0,
            target: 2,
        },
        Op::ListPackages { actor: 2 },
        Op::Activate {
            actor: 0,
            target: 2,
        },
        Op::ListPackages { actor: 2 },
        Op::DeleteUser {
            actor: 0,
            target: 1,
        },
        Op::DeletePackage {
            actor: 0,
            pkg: 0,
            upper: false,
        },
        Op::AddUser {
            actor: 0,
            target: 3,
            admin: true,
        },
        Op::Deactivate {
            actor: 3,
            target: 0,
        },
        Op::SetRole {
            actor: 3,
            target: 3,
            admin: false,
        },
    ];
    check_sequence(&ops).unwrap();
}
