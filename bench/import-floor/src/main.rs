//! `import-floor DB CSV`: inserts the CSV's users (email, name, full_name, role, status,
//! packages, password_hash — bench.py's columns) and their assignments into the store DB
//! in one transaction, as plainly as rusqlite allows: prepared statements, no checks
//! beyond the schema's, no audit. What `gatehouse user import` is compared with.

use std::collections::HashMap;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (db, csv_path) = match args.as_slice() {
        [_, db, csv] => (db, csv),
        _ => {
            eprintln!("usage: import-floor DB CSV");
            std::process::exit(2);
        }
    };
    let mut conn = rusqlite::Connection::open(db).expect("open the store");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;",
    )
    .expect("pragmas");
    let packages: HashMap<String, i64> = {
        let mut stmt = conn.prepare("SELECT name, id FROM packages").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let now = "2026-11-28T00:00:00Z";
    let tx = conn.transaction().expect("begin");
    {
        let mut user = tx
            .prepare(
                "INSERT INTO users (email, name, full_name, role, status, password_hash, \
                 created_at, updated_at, password_changed_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?7)",
            )
            .unwrap();
        let mut assign = tx
            .prepare(
                "INSERT INTO assignments (user_id, package_id, assigned_by, assigned_at) \
                 VALUES (?1, ?2, 1, ?3)",
            )
            .unwrap();
        let mut rdr = csv::Reader::from_path(csv_path).expect("open the CSV");
        let mut rows = 0u64;
        for rec in rdr.records() {
            let r = rec.expect("a CSV record");
            user.execute(rusqlite::params![
                &r[0], &r[1], &r[2], &r[3], &r[4], &r[6], now
            ])
            .expect("insert a user");
            let id = tx.last_insert_rowid();
            for p in r[5].split(';').filter(|p| !p.is_empty()) {
                assign
                    .execute(rusqlite::params![id, packages[p], now])
                    .expect("insert an assignment");
            }
            rows += 1;
        }
        eprintln!("{rows} rows");
    }
    tx.commit().expect("commit");
}
