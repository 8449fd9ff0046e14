//! The passwords of planned rows: which plaintext ones are what the user already has,
//! their hashes (in parallel on all cores), stand-ins for a dry run, and the generated
//! ones to show once.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use secrecy::SecretString;

use super::plan::differs;
use super::types::{Plan, Secret};
use crate::error::Result;
use crate::ops::Observer;
use crate::password;
use crate::store::Store;

/// The passwords generated for accounts really created (never a dry run's), to show once.
pub(crate) fn generated_passwords<'a>(
    plans: &'a [Plan],
    created: &HashSet<&str>,
    dry_run: bool,
) -> Vec<(String, &'a SecretString)> {
    plans
        .iter()
        .filter_map(|p| match p {
            Plan::Create {
                row,
                secret:
                    Secret::Plain {
                        pw,
                        generated: true,
                    },
            } if !dry_run && created.contains(row.email.as_str()) => {
                Some((row.email.to_string(), pw))
            }
            _ => None,
        })
        .collect()
}

/// How many plans store a hash from the input as it is.
pub(crate) fn hashes_given(plans: &[Plan]) -> usize {
    plans
        .iter()
        .filter(|p| {
            matches!(
                p,
                Plan::Create {
                    secret: Secret::Hash(_),
                    ..
                } | Plan::Update {
                    secret: Some(Secret::Hash(_)),
                    ..
                }
            )
        })
        .count()
}

/// Stand-ins for the hashes a dry run does not compute.
pub(crate) fn placeholder_hashes(plans: &[Plan]) -> HashMap<usize, String> {
    plans
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            matches!(
                p,
                Plan::Create {
                    secret: Secret::Plain { .. },
                    ..
                } | Plan::Update {
                    secret: Some(Secret::Plain { .. }),
                    ..
                }
            )
        })
        .map(|(i, _)| (i, password::PLACEHOLDER_HASH.to_string()))
        .collect()
}

/// An update row whose plaintext password is the one the user already has changes no
/// password: checked in parallel against the stored hash, such a row keeps its sessions
/// and, with nothing else to change, counts as unchanged. So `export | import
/// --on-conflict update` with a password column converges too.
pub(crate) fn settle_same_passwords(store: &Store, plans: Vec<Plan>) -> Result<Vec<Plan>> {
    let same: HashSet<usize> = if store.connected_role().is_some() {
        // The database server holds the passwords: it answers, one login at a time.
        let mut same = HashSet::new();
        for (i, p) in plans.iter().enumerate() {
            if let Plan::Update {
                user,
                secret: Some(Secret::Plain { pw, .. }),
                ..
            } = p
            {
                if store.password_matches(user, pw)? {
                    same.insert(i);
                }
            }
        }
        same
    } else {
        plans
            .par_iter()
            .enumerate()
            .filter_map(|(i, p)| match p {
                Plan::Update {
                    user,
                    secret: Some(Secret::Plain { pw, .. }),
                    ..
                } => user
                    .password_hash
                    .as_deref()
                    .is_some_and(|h| password::verify(pw, h))
                    .then_some(i),
                _ => None,
            })
            .collect()
    };
    if same.is_empty() {
        return Ok(plans);
    }
    let plans = plans
        .into_iter()
        .enumerate()
        .map(|(i, p)| match p {
            Plan::Update { row, user, .. } if same.contains(&i) => {
                if differs(&row, &user) {
                    Plan::Update {
                        row,
                        user,
                        secret: None,
                    }
                } else {
                    Plan::Unchanged { id: user.id, row }
                }
            }
            p => p,
        })
        .collect();
    Ok(plans)
}

/// Hashes every plaintext password in parallel on all cores, with the observer's
/// progress bar. Returns the PHC strings by plan index.
pub(crate) fn hash_all(observer: &dyn Observer, plans: &[Plan]) -> Result<HashMap<usize, String>> {
    let todo: Vec<(usize, &SecretString)> = plans
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Plan::Create {
                secret: Secret::Plain { pw, .. },
                ..
            }
            | Plan::Update {
                secret: Some(Secret::Plain { pw, .. }),
                ..
            } => Some((i, pw)),
            _ => None,
        })
        .collect();
    // Each worker's hashing memory is large and zeroed: none when there is nothing to hash.
    if todo.is_empty() {
        return Ok(HashMap::new());
    }
    let bar = observer.progress(todo.len() as u64);
    let hashed: Vec<(usize, Result<String>)> = todo
        .par_iter()
        .map_init(password::new_memory, |memory, (i, pw)| {
            let h = password::hash_with_memory(pw, memory);
            bar.step();
            (*i, h)
        })
        .collect();
    bar.finish();
    hashed.into_iter().map(|(i, h)| h.map(|h| (i, h))).collect()
}
