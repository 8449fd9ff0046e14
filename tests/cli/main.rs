//! End-to-end tests: the real `gatehouse` binary against temp stores.
//!
//! The tests of a command are in the file named after it: `cmd_<noun>.rs`, or
//! `cmd_<noun>_<verb>.rs` where one noun has too many for one file (`package assign` is
//! in `cmd_package_assign.rs`, `user import` in `cmd_user_import.rs`). Each file's first
//! lines say which commands it holds. A test of one command on PostgreSQL is an
//! `on_both_stores!` case in that file (`name::sqlite`, `name::postgres`).
//!
//! What is not about one command has a file named for its concern: `every_command.rs`
//! (rules all commands keep), `store_safety.rs` (the SQLite store as a file), `pager.rs`,
//! `clock.rs` (time moved by the test), `terminal.rs` and `interactive.rs` (through a
//! pseudo-terminal), `snapshots.rs`, `generated.rs`, `fuzz_corpus.rs`,
//! `proptest_model.rs`, and the PostgreSQL server's own suites: `pg.rs` (also the
//! cluster harness), `pg_server.rs` and `pg_store.rs`. A helper that two files use lives
//! in the harness, `support.rs` (`pg.rs` for PostgreSQL-only setup).

// Tests build the child's environment from the real one (PATH); that is their job.
#![allow(clippy::disallowed_methods)]

mod support;

mod cmd_access;
mod cmd_apply;
mod cmd_audit;
mod cmd_completions;
mod cmd_init;
mod cmd_login;
mod cmd_me;
mod cmd_package;
mod cmd_package_assign;
mod cmd_review;
mod cmd_user_add;
mod cmd_user_edit;
mod cmd_user_export;
mod cmd_user_import;
mod cmd_user_import_other_systems;
mod cmd_user_list;
mod cmd_user_passwd;
mod cmd_user_status;
mod cmd_version;

mod clock;
mod every_command;
mod fuzz_corpus;
mod generated;
mod interactive;
mod pager;
mod pg;
mod pg_server;
mod pg_store;
mod proptest_model;
mod schema;
mod snapshots;
mod store_safety;
mod terminal;
