//! Bulk import/export, multi-user targets, offboarding and deletion.
use crate::support::*;
