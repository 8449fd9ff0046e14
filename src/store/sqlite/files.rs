//! Whether the files of a store can be trusted before SQLite opens them.
//!
//! A store is only as safe as the files under it: whoever can write the database, its
//! `-wal`/`-shm`/`-journal` companions or the directory that holds them can read every
//! hash and forge any change (a planted `-wal` is replayed as a committed transaction).
//! So the store file, its companions and its directory must belong to the user running
//! gatehouse (the directory may also be root's) and be writable by nobody else. A store
//! that others may read is used, with a warning.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The suffixes SQLite gives the files beside a database.
const COMPANIONS: &[&str] = &["-wal", "-shm", "-journal"];

/// The effective uid of this process: the owner every store file must have.
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

fn unsafe_file(what: &str, path: &Path, why: &str) -> Error {
    Error::store(format!(
        "refusing to use {what} `{}`: {why}",
        path.display()
    ))
}

/// What the checks found: the path they checked (symbolic links resolved — the one to
/// open, so a link cannot be switched between the check and the open) and warnings to
/// show (a store others can read).
pub struct Checked {
    pub real: PathBuf,
    pub warnings: Vec<String>,
}

/// Checks an existing store file, its companions and its directory; refuses anything
/// another user could have made or could still change.
pub fn check_store(path: &Path) -> Result<Checked> {
    let me = euid();
    let meta = fs::metadata(path)
        .map_err(|e| Error::store(format!("cannot read store `{}`: {e}", path.display())))?;
    if meta.is_dir() {
        return Err(Error::store(format!(
            "store `{}` is a directory",
            path.display()
        )));
    }
    let mode = meta.permissions().mode();
    if mode & 0o002 != 0 {
        return Err(unsafe_file("store", path, "it is world-writable")
            .with_hint(format!("restrict it with `chmod 600 {}`", path.display())));
    }
    if meta.uid() != me {
        return Err(unsafe_file(
            "store",
            path,
            &format!(
                "it belongs to uid {}, not to uid {me} running gatehouse",
                meta.uid()
            ),
        )
        .with_hint(
            "run gatehouse as the store's owner (e.g. `sudo -u OWNER gatehouse …`), \
             or create your own store with `gatehouse init`",
        ));
    }
    if mode & 0o020 != 0 {
        return Err(unsafe_file("store", path, "it is writable by its group")
            .with_hint(format!("restrict it with `chmod 600 {}`", path.display())));
    }
    let real = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(dir) = real.parent() {
        check_dir(dir)?;
    }
    for suffix in COMPANIONS {
        check_companion(&companion(&real, suffix), me)?;
    }
    let mut warnings = Vec::new();
    if mode & 0o044 != 0 {
        warnings.push(format!(
            "store `{}` is readable by other users (mode {:o}); they can read every password hash",
            path.display(),
            mode & 0o777
        ));
    }
    Ok(Checked { real, warnings })
}

/// The directory holding a store: ours or root's, and writable by nobody else (or
/// anyone could plant a `-wal` file next to the store).
pub fn check_dir(dir: &Path) -> Result<()> {
    let meta = fs::metadata(dir)
        .map_err(|e| Error::store(format!("cannot read directory `{}`: {e}", dir.display())))?;
    let me = euid();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(unsafe_file(
            "the store directory",
            dir,
            &format!(
                "it belongs to uid {}, not to uid {me} running gatehouse",
                meta.uid()
            ),
        )
        .with_hint("keep the store in a directory of your own"));
    }
    if meta.permissions().mode() & 0o022 != 0 {
        return Err(unsafe_file(
            "the store directory",
            dir,
            "other users can create files in it",
        )
        .with_hint(
            "keep the store in a private directory (e.g. `mktemp -d`, or `chmod 700` it); \
             a shared one such as /tmp lets others plant files beside the store",
        ));
    }
    Ok(())
}

/// A `-wal`, `-shm` or `-journal` file, if there is one: a plain file of ours that
/// nobody else may write. Not followed if it is a symbolic link.
fn check_companion(path: &Path, me: u32) -> Result<()> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Error::store(format!(
                "cannot read `{}`: {e}",
                path.display()
            )))
        }
    };
    let why = if !meta.file_type().is_file() {
        Some("it is not a regular file".to_string())
    } else if meta.uid() != me {
        Some(format!(
            "it belongs to uid {}, not to uid {me} running gatehouse",
            meta.uid()
        ))
    } else if meta.permissions().mode() & 0o022 != 0 {
        Some("other users can write it".to_string())
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(unsafe_file("the store's file", path, &why).with_hint(
            "someone else may have planted it; nothing was read. Remove it only if you know where it came from",
        )),
    }
}
