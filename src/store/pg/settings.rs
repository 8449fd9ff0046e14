//! The `settings` table: key and value, written only when the value changes (so the
//! audit trigger records only real changes).

use super::rows::Col;
use super::Postgres;
use crate::error::Result;
use crate::store::Settings;

impl Settings for Postgres {
    fn all_settings(&self) -> Result<Vec<(String, String)>> {
        self.all("SELECT key, value FROM settings ORDER BY key", &[])?
            .iter()
            .map(|r| Ok((r.col(0)?, r.col(1)?)))
            .collect::<Result<_>>()
    }
    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.opt("SELECT value FROM settings WHERE key = $1", &[&key])?
            .map(|r| r.col(0))
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
