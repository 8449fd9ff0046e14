//! Reading secrets: from standard input, a file, or a hidden prompt on the terminal.
//! A secret becomes a `SecretString` the moment it is read, and nothing here ever
//! prompts when standard input is not a terminal.

use std::fs;
use std::io::{self, BufRead, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};

use crate::env::Env;
use crate::error::{Error, Kind, Result};

/// Reads one line; its `\n` or `\r\n` is not part of the secret, everything else is.
pub fn read_secret_line(r: &mut impl BufRead) -> Result<Option<SecretString>> {
    let mut buf = Vec::new();
    let n = r.read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    let s =
        String::from_utf8(buf).map_err(|_| Error::invalid("the password is not valid UTF-8"))?;
    Ok(Some(SecretString::from(s)))
}

/// Opens a file the person named (an import, a `--from` list, a password file). Under
/// `sudo -u OWNER` gatehouse holds the store owner's rights, which the person may not
/// have: then a named file is refused and standard input, which the person's own shell
/// opened, is the way in.
pub fn open_named(env: &Env, path: &Path, kind: Kind) -> Result<fs::File> {
    if env.reads_files_for_someone_else() {
        return Err(Error::denied(format!(
            "refusing to open `{}`: under sudo, gatehouse would read it with the store owner's rights, not yours",
            crate::model::printable(&path.to_string_lossy())
        ))
        .with_hint("give the file on standard input instead (`- < FILE`, or --password-stdin)"));
    }
    fs::File::open(path).map_err(|e| {
        Error::new(
            kind,
            format!(
                "cannot read `{}`: {e}",
                crate::model::printable(&path.to_string_lossy())
            ),
        )
    })
}

/// Reads the first line of a password file, refusing one others can read.
pub fn read_password_file(env: &Env, path: &Path, kind: Kind) -> Result<SecretString> {
    let f = open_named(env, path, kind)?;
    let meta = f.metadata().map_err(|e| {
        Error::new(
            kind,
            format!("cannot read password file `{}`: {e}", path.display()),
        )
    })?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(Error::new(
            kind,
            format!(
                "password file `{}` is readable by others; refusing to use it",
                path.display()
            ),
        )
        .with_hint(format!("restrict it with `chmod 600 {}`", path.display())));
    }
    read_secret_line(&mut io::BufReader::new(f))?
        .ok_or_else(|| Error::new(kind, format!("password file `{}` is empty", path.display())))
}

pub fn read_stdin_line(what: &str) -> Result<SecretString> {
    read_secret_line(&mut io::stdin().lock())?
        .ok_or_else(|| Error::invalid(format!("expected {what} on standard input, got nothing")))
}

/// A hidden prompt on the terminal.
pub fn prompt_hidden(prompt: &str) -> Result<SecretString> {
    rpassword::prompt_password(prompt)
        .map(SecretString::from)
        .map_err(|e| Error::auth(format!("cannot read from the terminal: {e}")))
}

/// How many times a terminal is asked for a new password before the command gives up.
const PASSWORD_TRIES: u32 = 3;

/// Asks for a new password twice. A password `check` refuses (too short, too common)
/// is refused right after it is typed, and two that differ are refused after the
/// second: either way the question is asked again — a typo costs one more try, not the
/// answers given before it.
pub fn prompt_new_password_checked(
    first: &str,
    again: &str,
    check: &dyn Fn(&SecretString) -> Result<()>,
) -> Result<SecretString> {
    let mut tries = 0;
    loop {
        tries += 1;
        let last = tries == PASSWORD_TRIES;
        let pw = prompt_hidden(first)?;
        if let Err(e) = check(&pw) {
            if last || e.kind != Kind::Invalid {
                return Err(e);
            }
            say_try_again(&e.message)?;
            continue;
        }
        if prompt_hidden(again)?.expose_secret() != pw.expose_secret() {
            let e = Error::invalid("the two passwords do not match");
            if last {
                return Err(e);
            }
            say_try_again(&e.message)?;
            continue;
        }
        return Ok(pw);
    }
}

fn say_try_again(why: &str) -> Result<()> {
    let mut err = io::stderr().lock();
    writeln!(err, "{why}; try again")?;
    Ok(())
}

/// A visible prompt on stderr, answered on stdin.
pub fn prompt_line(prompt: &str) -> Result<String> {
    let mut err = io::stderr().lock();
    write!(err, "{prompt}")?;
    err.flush()?;
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// A new password and whether we generated it (then it must be shown once).
pub struct NewPassword {
    pub secret: SecretString,
    pub generated: bool,
}

/// Where a new password comes from, as the command line chose it.
#[derive(Debug, Clone, Copy)]
pub enum PasswordSource<'a> {
    /// Make a strong one (shown once).
    Generate,
    /// The first line of standard input.
    Stdin,
    /// The first line of a file only its owner can read.
    File(&'a std::path::Path),
    /// Nothing chosen: ask twice on a terminal.
    Ask,
}

/// Gets a new password from the chosen source; with none, asks twice on a terminal.
pub fn new_password(source: PasswordSource<'_>, env: &Env) -> Result<NewPassword> {
    new_password_checked(source, env, &|_| Ok(()))
}

/// [`new_password`], a typed one checked by `check` as it is given (and asked again).
pub fn new_password_checked(
    source: PasswordSource<'_>,
    env: &Env,
    check: &dyn Fn(&SecretString) -> Result<()>,
) -> Result<NewPassword> {
    let secret = match source {
        PasswordSource::Generate => {
            return Ok(NewPassword {
                secret: crate::password::generate()?,
                generated: true,
            })
        }
        PasswordSource::Stdin => read_stdin_line("the new password")?,
        PasswordSource::File(path) => read_password_file(env, path, Kind::Invalid)?,
        PasswordSource::Ask if env.stdin_tty => {
            prompt_new_password_checked("New password: ", "Repeat new password: ", check)?
        }
        PasswordSource::Ask => {
            return Err(
                Error::usage("no password given and standard input is not a terminal")
                    .with_hint("use --password-stdin, --password-file FILE or --generate-password"),
            )
        }
    };
    Ok(NewPassword {
        secret,
        generated: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_are_stripped_but_spaces_kept() {
        let mut r = io::Cursor::new(b"  pass word \r\nnext\n".to_vec());
        let s = read_secret_line(&mut r).unwrap().unwrap();
        assert_eq!(s.expose_secret(), "  pass word ");
        let s = read_secret_line(&mut r).unwrap().unwrap();
        assert_eq!(s.expose_secret(), "next");
        assert!(read_secret_line(&mut r).unwrap().is_none());
        let mut r = io::Cursor::new(b"no-newline".to_vec());
        assert_eq!(
            read_secret_line(&mut r).unwrap().unwrap().expose_secret(),
            "no-newline"
        );
    }
}
