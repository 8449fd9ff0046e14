//! What the third attack (issue 23) found on the tool's own side, one test per finding:
//! each failed before its fix. The attacker runs a fake PostgreSQL server, shares a
//! store account through sudo, writes the import file, or damaged the store.

use crate::support::*;

// 9. A hostile or damaged store is a clear error, never a panic.

crate::on_both_stores! {
    fn a_schema_version_no_gatehouse_writes_is_a_store_error() {
        let env = TestEnv::new();
        for forged in ["-1", "0"] {
            match &env.pg {
                Some(pg) => {
                    let mut c = postgres::Client::connect(&pg.install_url, postgres::NoTls)
                        .expect("connect as the installer");
                    c.batch_execute(&format!(
                        "UPDATE gatehouse.schema_version SET version = {forged}"
                    ))
                    .unwrap();
                }
                None => conn(&env)
                    .execute_batch(&format!("PRAGMA user_version = {forged}"))
                    .unwrap(),
            }
            env.admin_pw(&["whoami"])
                .run()
                .code(9)
                .stderr_has(&format!("schema version `{forged}`"))
                .stderr_has("which no gatehouse writes")
                .stderr_has("hint:");
        }
    }
}
