//! End-to-end tests: the real `gatehouse` binary against temp stores.

mod support;

mod commands;
mod security;
mod smoke;
mod terminal;
