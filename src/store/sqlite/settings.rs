//! The store's settings ([`Settings`]): one row per key in `settings`.

use rusqlite::params;

use super::Sqlite;
use crate::error::Result;
use crate::store::rows::{self, Columns};
use crate::store::Settings;

impl Settings for Sqlite {
    /// A setting, or `None` when unset.
    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.opt("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.text("value")
        })
    }

    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.run(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    fn all_settings(&self) -> Result<Vec<(String, String)>> {
        self.all("SELECT key, value FROM settings ORDER BY key", [], |r| {
            rows::setting(r)
        })
    }
}
