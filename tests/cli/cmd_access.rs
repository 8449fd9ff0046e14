//! `access explain` and `access matrix`: the access rule, shown.

use crate::support::*;

crate::on_both_stores! {
fn access_explain_names_the_arm() {
    let env = package_world();
    let arm = |who: &str, pkg: &str| {
        let r = env
            .admin(&["access", "explain", who, pkg, "--json"])
            .run()
            .ok();
        (
            r.json()["allowed"].as_bool().unwrap(),
            r.json()["arm"].clone(),
            r.json()["can_change"].as_bool().unwrap(),
        )
    };
    assert_eq!(arm(ADMIN_EMAIL, "south"), (true, "admin".into(), true));
    assert_eq!(arm(ALICE, "north"), (true, "assigned".into(), false));
    assert_eq!(arm(BOB, "bobs"), (true, "creator".into(), true));
    assert_eq!(arm(ALICE, "south"), (false, serde_json::Value::Null, false));
    env.admin(&["access", "explain", ALICE, "north"])
        .run()
        .ok()
        .stdout_has("assigned");

    // A user about themselves: fine for what they can see; invisible = not found.
    env.as_user(ALICE, PW, &["access", "explain", "me", "north"])
        .run()
        .ok()
        .stdout_has("allowed");
    env.as_user(ALICE, PW, &["access", "explain", "me", "bobs"])
        .run()
        .code(5);
    // About someone else: admins only.
    env.as_user(ALICE, PW, &["access", "explain", BOB, "bobs"])
        .run()
        .code(4);
}

fn access_matrix_marks_each_arm() {
    let env = package_world();
    // One item per reachable (user, package) pair, with the arm.
    let r = env.admin(&["access", "matrix", "--json"]).run().ok();
    let pairs = r.json();
    let row = |email: &str| -> serde_json::Value {
        pairs
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["email"] == email)
            .map(|p| (p["package"].as_str().unwrap().to_string(), p["arm"].clone()))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    assert_eq!(row(ALICE), serde_json::json!({ "north": "assigned" }));
    assert_eq!(row(BOB), serde_json::json!({ "bobs": "creator" }));
    assert_eq!(
        row(ADMIN_EMAIL),
        serde_json::json!({ "bobs": "admin", "north": "admin", "south": "admin" })
    );
    env.as_user(ALICE, PW, &["access", "matrix"]).run().code(4);
}

/// The sparse matrix is the rule applied to every user and package: compare it with
/// the rule worked out here from `user list` and `package list`.

fn access_matrix_pairs_are_the_rule_for_every_user_and_package() {
    let env = package_world();
    let users = env.users_json();
    let pkgs = env
        .admin(&["package", "list", "--all", "--json"])
        .run()
        .ok()
        .json();
    let mut want: Vec<(String, String, String)> = Vec::new();
    for u in &users {
        let email = u["email"].as_str().unwrap().to_string();
        for p in pkgs.as_array().unwrap() {
            let name = p["name"].as_str().unwrap().to_string();
            let arm = if u["role"] == "admin" {
                Some("admin")
            } else if p["created_by"] == u["email"] {
                Some("creator")
            } else if u["packages"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == &p["name"])
            {
                Some("assigned")
            } else {
                None
            };
            if let Some(a) = arm {
                want.push((email.clone(), name, a.to_string()));
            }
        }
    }
    want.sort();
    let got = env.admin(&["access", "matrix", "--json"]).run().ok().json();
    let got: Vec<(String, String, String)> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let f = |k: &str| p[k].as_str().unwrap().to_string();
            (f("email"), f("package"), f("arm"))
        })
        .collect();
    assert_eq!(got, want, "json pairs, in email and package order");
    let csv = env
        .admin(&["access", "matrix", "--format", "csv"])
        .run()
        .ok()
        .stdout;
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let from_csv: Vec<(String, String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[col("email")].to_string(),
                r[col("package")].to_string(),
                r[col("arm")].to_string(),
            )
        })
        .collect();
    assert_eq!(from_csv, want, "csv pairs");
}
}
