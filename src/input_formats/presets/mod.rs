//! Other systems' exports (Supabase's `auth.users`, a Keycloak realm), each account
//! mapped to gatehouse's columns and then checked as any row is; accounts that are not
//! people gatehouse can hold are left out, each with why.

mod keycloak;
mod supabase;

use std::collections::HashMap;

use super::{row::row, Field, InputFormat, Location, Parsed};
use crate::error::Result;

/// Another system's export as rows, with what did not become one: accounts that are
/// not people gatehouse can hold (no email, a service account), each with why, and
/// warnings about rows read only in part.
pub struct Preset {
    pub rows: Vec<Parsed>,
    pub left_out: Vec<(Location, LeftOut)>,
    pub warnings: Vec<String>,
}

/// One account of another system's export.
enum Mapped {
    /// Its fields, and why it has no usable password when it has none.
    Row(HashMap<String, Field>, Option<String>),
    /// Not a person gatehouse can hold, and why.
    LeftOut(LeftOut),
}

/// Why an account of an export is left out (the summary counts them by these, in this
/// order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeftOut {
    ServiceAccount,
    NoEmail,
}

impl LeftOut {
    /// The words after "left out N rows".
    pub fn why(self) -> &'static str {
        match self {
            LeftOut::ServiceAccount => "of service accounts (not people)",
            LeftOut::NoEmail => "without an email",
        }
    }
}

/// A Supabase or Keycloak export (see [`supabase::records`], [`keycloak::records`]).
pub fn parse_preset(data: &[u8], format: InputFormat, delimiter: Option<u8>) -> Result<Preset> {
    let mut warnings = Vec::new();
    let mapped = match format {
        InputFormat::Keycloak => keycloak::records(data)?,
        _ => supabase::records(data, delimiter, &mut warnings)?,
    };
    let mut out = Preset {
        rows: Vec::new(),
        left_out: Vec::new(),
        warnings,
    };
    for (loc, m) in mapped {
        match m {
            Mapped::LeftOut(why) => out.left_out.push((loc, why)),
            Mapped::Row(fields, no_password) => out.rows.push(row(loc, fields).map(|mut r| {
                if r.password.is_none() && r.password_hash.is_none() && r.unusable.is_none() {
                    r.unusable = no_password;
                }
                r
            })),
        }
    }
    Ok(out)
}
