//! Per-command behaviour: happy paths and each error kind, store unchanged on failure.
use crate::support::*;
