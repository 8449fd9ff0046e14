//! `gatehouse version`.

use crate::support::*;

#[test]
fn version_names_the_build_and_the_schemas_without_a_store() {
    let env = TestEnv::empty();
    let r = env.cmd(&["version"]).run().ok();
    assert!(
        r.stdout
            .starts_with(&format!("gatehouse {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{}",
        r.stdout
    );
    let v = env.cmd(&["version", "--json"]).run().ok().json();
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert!(v["commit"].as_str().is_some_and(|c| !c.is_empty()), "{v}");
    assert!(v["schema"]["sqlite"].as_i64().unwrap() >= 4, "{v}");
    assert!(v["schema"]["postgres"].as_i64().unwrap() >= 6, "{v}");
    assert!(!env.db.exists(), "version needs no store");
}
