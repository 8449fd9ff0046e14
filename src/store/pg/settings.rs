//! The `settings` table: key and value, written only when the value changes (so the
//! audit trigger records only real changes).

use super::Postgres;
use crate::error::Result;
use crate::store::rows::{self, Columns};
use crate::store::Settings;

impl Settings for Postgres {
    fn all_settings(&self) -> Result<Vec<(String, String)>> {
        self.all("SELECT key, value FROM settings ORDER BY key", &[])?
            .iter()
            .map(rows::setting)
            .collect::<Result<_>>()
    }
    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.opt("SELECT value FROM settings WHERE key = $1", &[&key])?
            .map(|r| r.text("value"))
            .transpose()
    }
    fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.run(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value \
             WHERE settings.value IS DISTINCT FROM excluded.value",
            &[&key, &value],
        )
        .map(|_| ())
    }
}
