//! Where an import's rows come from: the input's start read to tell its format (a
//! workbook, another system's export, the format by extension or content), then the
//! rows of that format — streamed for CSV and JSON lines, read whole for the rest.

use std::io::Read;
use std::path::Path;

use super::Input;
use crate::error::{Error, Result};
use crate::input_formats::{self as formats, InputFormat, LeftOut, Location, Rows};
use crate::ops::Observer;

/// The input's rows, and the accounts of another system's export left out.
pub(super) fn rows(
    input: Input,
    observer: &dyn Observer,
) -> Result<(Rows, Vec<(Location, LeftOut)>)> {
    let Input {
        mut reader,
        path,
        format,
        passwd,
        email_domain,
        delimiter,
        encoding,
        read,
    } = input;
    let mut head = read_head(&mut reader, &path)?;
    // A workbook is read from its first sheet, as the CSV that sheet would save as.
    let workbook =
        format.is_none_or(|f| f == InputFormat::Csv) && formats::is_workbook(path.to_str(), &head);
    if workbook {
        reader.read_to_end(&mut head)?;
        head = formats::workbook_to_csv(head)?;
        reader = Box::new(std::io::empty());
    }
    let format = match format {
        Some(f) => f,
        // --passwd says what the file is.
        None if passwd.is_some() => InputFormat::Shadow,
        None if workbook => InputFormat::Csv,
        None => detect(&path, &head, encoding.as_deref())?,
    };
    let whole = |mut data: Vec<u8>, mut rest: Box<dyn Read>| -> Result<Vec<u8>> {
        rest.read_to_end(&mut data)?;
        formats::decode(data, encoding.as_deref())
    };
    let mut left_out = Vec::new();
    let rows: Rows = match (format, passwd, email_domain.as_deref()) {
        (InputFormat::Supabase | InputFormat::Keycloak, None, None) => {
            let preset = formats::parse_preset(&whole(head, reader)?, format, delimiter)?;
            for w in &preset.warnings {
                observer.warn(w);
            }
            left_out = preset.left_out;
            Box::new(preset.rows.into_iter().map(Ok))
        }
        (InputFormat::Shadow, Some(passwd), Some(domain)) => {
            let data = whole(head, reader)?;
            let passwd = passwd()?;
            Box::new(formats::parse_shadow(&data, &passwd, domain)?.into_iter().map(Ok))
        }
        (InputFormat::Shadow, _, _) => {
            return Err(Error::usage(
                "--input-format shadow needs --passwd FILE and --email-domain DOMAIN",
            )
            .with_hint("gatehouse user import /etc/shadow --input-format shadow --passwd /etc/passwd --email-domain example.com"))
        }
        (_, None, None) => {
            let (delimiter, encoding) = match workbook {
                true => (Some(b','), None),
                false => (delimiter, encoding.as_deref()),
            };
            let (rows, warnings) =
                formats::rows(head, reader, format, delimiter, encoding, read)?;
            for w in &warnings {
                observer.warn(w);
            }
            rows
        }
        _ => {
            return Err(Error::usage(
                "--passwd and --email-domain go with --input-format shadow",
            ))
        }
    };
    Ok((rows, left_out))
}

/// The format of an input given without `--input-format`, by its start.
fn detect(path: &Path, head: &[u8], encoding: Option<&str>) -> Result<InputFormat> {
    // Another system's export would be refused column by column: name its preset.
    if let Some(r) = formats::recognise(head) {
        return Err(unnamed_export(r));
    }
    Ok(InputFormat::detect_in(path.to_str(), head, encoding))
}

/// Why the input cannot be read, naming it.
pub(crate) fn cannot_read(file: &Path, e: std::io::Error) -> Error {
    Error::invalid(format!(
        "cannot read `{}`: {e}",
        crate::model::printable(&file.to_string_lossy())
    ))
    .with_source(e)
}

/// The input's first 64 KiB (or all of it), to tell its format and encoding by.
fn read_head(input: &mut Box<dyn Read>, file: &Path) -> Result<Vec<u8>> {
    let mut head = Vec::new();
    input
        .by_ref()
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| cannot_read(file, e))?;
    Ok(head)
}

/// The error for another system's export given without `--input-format`.
fn unnamed_export(r: formats::Recognised) -> Error {
    let what = r.what;
    match r.preset {
        Some("shadow") => Error::usage(format!(
            "this looks like {what}: a host's accounts are read from /etc/shadow with /etc/passwd"
        ))
        .with_hint(
            "gatehouse user import /etc/shadow --passwd /etc/passwd --email-domain example.com",
        ),
        Some(preset) => Error::usage(format!(
            "this looks like {what}: read it with --input-format {preset}"
        ))
        .with_hint(format!(
            "gatehouse user import FILE --input-format {preset} (see `gatehouse user import --help`)"
        )),
        None => Error::usage(format!(
            "this looks like {what}, which gatehouse has no preset for: its passwords are \
             Firebase's modified scrypt, which needs the project's hash key"
        ))
        .with_hint(
            "make a CSV with the header `email,name` of its users (jq -r '.users[] | \
             select(.email) | [.email, (.email | split(\"@\")[0])] | @csv') and import \
             that with --generate-passwords",
        ),
    }
}
