//! What an import did: the counts, the rows to warn about, and — when the output lists
//! every row — each row's typed [`Outcome`], kept in a temporary file (a JSON line each)
//! so that a large import does not hold them in memory.

use std::io::{BufRead, Seek, Write};

use secrecy::SecretString;

use super::outcome::{Flag, Outcome, RowResult};
use crate::error::{Error, Result};
use crate::input_formats::{LeftOut, Location};

/// The report of `user import`.
pub struct ImportReport {
    pub tally: Tally,
    /// The passwords generated for accounts really created, to be shown once.
    pub generated: Vec<(String, SecretString)>,
    /// Accounts of another system's export that are not people gatehouse holds.
    pub left_out: Vec<(Location, LeftOut)>,
    pub dry_run: bool,
    /// Users given a password hash where the database server logs people in (which only
    /// a password can make a login for).
    pub hashes_on_server: usize,
}

/// The outcomes counted, and the rows to warn about.
pub struct Tally {
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub unchanged: usize,
    /// New users without a usable credential, by what they got (`--unusable-hash`).
    pub generated_for_unusable: usize,
    pub inactive_for_unusable: usize,
    /// Rows that grant admin or replace an admin's password, when the rows are not kept.
    pub flagged: Vec<(Location, String, Vec<Flag>)>,
    spool: Option<std::io::BufWriter<std::fs::File>>,
}

impl Tally {
    /// `keep_rows`: each row's outcome is kept (in a temporary file) for
    /// [`Tally::each_row`].
    pub(super) fn new(keep_rows: bool) -> Result<Tally> {
        let spool = match keep_rows {
            true => Some(std::io::BufWriter::new(
                tempfile::tempfile().map_err(spool_error)?,
            )),
            false => None,
        };
        Ok(Tally {
            created: 0,
            updated: 0,
            skipped: 0,
            unchanged: 0,
            generated_for_unusable: 0,
            inactive_for_unusable: 0,
            flagged: Vec::new(),
            spool,
        })
    }

    pub(super) fn add(&mut self, outcomes: Vec<Outcome>) -> Result<()> {
        for o in outcomes {
            match o.result {
                RowResult::Created => self.created += 1,
                RowResult::Updated => self.updated += 1,
                RowResult::Skipped => self.skipped += 1,
                RowResult::Unchanged => self.unchanged += 1,
            }
            for flag in &o.flags {
                match flag {
                    Flag::GeneratedForUnusable => self.generated_for_unusable += 1,
                    Flag::InactiveForUnusable => self.inactive_for_unusable += 1,
                    Flag::GrantsAdmin | Flag::ReplacesAdminPassword => {}
                }
            }
            match &mut self.spool {
                Some(w) => {
                    serde_json::to_writer(&mut *w, &o)
                        .map_err(std::io::Error::from)
                        .and_then(|()| w.write_all(b"\n"))
                        .map_err(spool_error)?;
                }
                None if !o.flags.is_empty() => self.flagged.push((o.location, o.email, o.flags)),
                None => {}
            }
        }
        Ok(())
    }

    /// Back to nothing counted or kept (the spool file is reused).
    pub(super) fn clear(&mut self) -> Result<()> {
        (self.created, self.updated, self.skipped, self.unchanged) = (0, 0, 0, 0);
        (self.generated_for_unusable, self.inactive_for_unusable) = (0, 0);
        self.flagged.clear();
        if let Some(w) = &mut self.spool {
            w.flush().map_err(spool_error)?;
            let file = w.get_mut();
            file.set_len(0).map_err(spool_error)?;
            file.seek(std::io::SeekFrom::Start(0))
                .map_err(spool_error)?;
        }
        Ok(())
    }

    /// Each kept row's outcome, in the file's order (none unless the rows are kept).
    pub fn each_row(&mut self, mut f: impl FnMut(&Outcome) -> Result<()>) -> Result<()> {
        let Some(w) = &mut self.spool else {
            return Ok(());
        };
        w.flush().map_err(spool_error)?;
        let file = w.get_mut();
        file.seek(std::io::SeekFrom::Start(0))
            .map_err(spool_error)?;
        for line in std::io::BufReader::new(&*file).lines() {
            f(&serde_json::from_str(&line.map_err(spool_error)?)?)?;
        }
        Ok(())
    }
}

/// The spool (an unnamed file in the temporary directory) failing: a full disk says
/// where and what to do, not just "i/o error".
fn spool_error(e: std::io::Error) -> Error {
    Error::io(
        "keep the rows in a temporary file in",
        &std::env::temp_dir(),
        e,
    )
}
