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

// 8. The same email works alike on both stores, and an import file cannot make the
//    tool hold a whole endless line.

crate::on_both_stores! {
    fn an_upper_case_gatehouse_email_logs_in_on_both_stores() {
        let env = TestEnv::new();
        env.as_user(" ADMIN@Example.COM", ADMIN_PW, &["whoami"])
            .run()
            .ok()
            .stdout_has(ADMIN_EMAIL);
    }

    fn an_email_postgresql_reserves_is_refused_clearly() {
        let env = TestEnv::new();
        let add = env
            .admin(&["user", "add", "--name", "pgx", "--email", "pg_x@example.com", "--password-stdin"])
            .stdin("Pgx-secret-pw-1\n")
            .run();
        if env.pg.is_some() {
            // Its login role would be named `pg_x@example.com`, which PostgreSQL keeps.
            add.code(7)
                .stderr_has("start with `pg_`")
                .stderr_has("hint:");
            env.admin(&["user", "show", "pg_x@example.com"]).run().code(5);
        } else {
            add.ok();
        }
    }
}

#[test]
fn an_import_row_longer_than_a_mebibyte_is_refused_by_its_line() {
    let env = TestEnv::new();
    let long = "x".repeat(2 << 20);
    let cases = [
        (
            "csv",
            "line 3",
            format!("email,name\na@example.com,a\nb@example.com,{long}\n"),
        ),
        // A quoted field's line breaks do not make a row shorter.
        (
            "csv",
            "line 3",
            format!(
                "email,name\na@example.com,a\nb@example.com,\"{}\"\n",
                "y\n".repeat(1 << 20)
            ),
        ),
        (
            "jsonl",
            "line 2",
            format!(
                "{{\"email\":\"a@example.com\",\"name\":\"a\"}}\n{{\"email\":\"b@example.com\",\"name\":\"{long}\"}}\n"
            ),
        ),
        // The last line, without a line break.
        (
            "jsonl",
            "line 1",
            format!("{{\"email\":\"a@example.com\",\"name\":\"{long}\"}}"),
        ),
    ];
    for (format, line, text) in cases {
        let r = env
            .admin(&[
                "user",
                "import",
                "-",
                "--input-format",
                format,
                "--generate-passwords",
            ])
            .stdin(&text)
            .run()
            .code(7)
            .stderr_has(&format!("{line}: the row is longer than 1 MiB"));
        // The line is named, never shown.
        assert!(!r.stderr.contains("xxxxxxxx"), "{}", r.stderr);
    }
    assert_eq!(env.users_json().len(), 1, "nothing was imported");
}
