//! End-to-end tests: the real `gatehouse` binary against temp stores.

// Tests build the child's environment from the real one (PATH); that is their job.
#![allow(clippy::disallowed_methods)]

mod support;

mod apply;
mod attack;
mod audit;
mod bulk;
mod clock;
mod commands;
mod fuzz_corpus;
mod generated;
mod hardening;
mod interactive;
mod legacy;
mod moving_in;
mod packages;
mod pg;
mod pg_server;
mod pg_store;
mod proptest_model;
mod regressions;
mod round3;
mod schema;
mod security;
mod smoke;
mod snapshots;
mod terminal;
