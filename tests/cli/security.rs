//! Credentials, login/logout, lockout, sessions, store safety and concurrency.
use crate::support::*;
