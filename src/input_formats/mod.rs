//! Reading bulk-import input (CSV, JSON array, JSON lines, spreadsheets and other
//! systems' exports) into validated rows.
//!
//! Nothing here touches the store, the terminal or the command line: every row is
//! checked on its own, and every bad row is reported with where it is (line for CSV and
//! JSON lines, item for a JSON array), the column, and why — so one run shows all the
//! problems of a file. CSV and JSON lines are read as a stream, a record at a time
//! ([`rows`]). `ops::import` plans and writes what this reads; `user import`'s flags
//! name [`InputFormat`] and [`UnknownColumns`], so those two are clap value enums.

mod csv;
mod json;
mod presets;
mod row;
mod shadow;
mod sniff;

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Email, Expiry, FullName, PackageName, Phone, Role, Status, UserName};

pub use json::object_row;
pub use presets::{parse_preset, LeftOut, Preset};
pub use shadow::parse_shadow;
pub use sniff::{is_workbook, recognise, workbook_to_csv, Recognised};

/// The most one row of a CSV or JSON lines file may hold (1 MiB): a row is read whole
/// before it is checked, so a file of one endless line would otherwise be held whole.
/// No real row comes near it (the longest field is a 1024-byte password).
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// Why a row is refused for its length, after its line.
const ROW_TOO_LONG: &str = "the row is longer than 1 MiB, the most one row may hold";

/// The columns an import may have; anything else is refused by name.
pub const COLUMNS: &[&str] = &[
    "email",
    "name",
    "role",
    "status",
    "packages",
    "password",
    "password_hash",
    "full_name",
    "phone",
    "must_change_password",
    "expires_at",
    "created_at",
    "last_login_at",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    Csv,
    Json,
    Jsonl,
    /// Supabase's `auth.users` (CSV, JSON or JSON lines), mapped to gatehouse's columns
    Supabase,
    /// A Keycloak realm export (`users[]`), mapped to gatehouse's columns
    Keycloak,
    /// A Linux host's `/etc/shadow`, with its `/etc/passwd` given by --passwd and an
    /// --email-domain
    Shadow,
}

impl InputFormat {
    /// By the file's extension, else by the first non-blank byte.
    pub fn detect(path: Option<&str>, data: &[u8]) -> InputFormat {
        let ext = path
            .and_then(|p| p.rsplit_once('.'))
            .map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("csv") => return InputFormat::Csv,
            Some("json") => return InputFormat::Json,
            Some("jsonl") | Some("ndjson") => return InputFormat::Jsonl,
            _ => {}
        }
        let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[') => InputFormat::Json,
            Some(b'{') => InputFormat::Jsonl,
            _ => InputFormat::Csv,
        }
    }
}

impl InputFormat {
    /// [`InputFormat::detect`] on the start of the input as text: one in another
    /// encoding (`encoding`, or UTF-16 by its byte-order mark) is decoded first.
    pub fn detect_in(path: Option<&str>, head: &[u8], encoding: Option<&str>) -> InputFormat {
        let enc = encoding
            .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
            .or_else(|| encoding_rs::Encoding::for_bom(head).map(|(e, _)| e))
            .filter(|e| *e != encoding_rs::UTF_8);
        match enc {
            Some(e) => InputFormat::detect(path, e.decode_with_bom_removal(head).0.as_bytes()),
            None => InputFormat::detect(path, head),
        }
    }
}

/// Where a row is in the input, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Location {
    Line(u64),
    Item(usize),
    /// An entry of a section of an `apply` file: `users[3]`.
    Entry(Section, usize),
}

/// The sections of an `apply` file, whose entries are [`Location::Entry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Section {
    Settings,
    Packages,
    Users,
}

impl Section {
    pub fn name(self) -> &'static str {
        match self {
            Section::Settings => "settings",
            Section::Packages => "packages",
            Section::Users => "users",
        }
    }
}

impl Location {
    /// The line, item or entry number alone.
    pub fn number(&self) -> u64 {
        match self {
            Location::Line(n) => *n,
            Location::Item(n) | Location::Entry(_, n) => *n as u64,
        }
    }

    /// The same kind of place, at number `n`.
    pub fn at(&self, n: u64) -> Location {
        match self {
            Location::Line(_) => Location::Line(n),
            Location::Item(_) => Location::Item(n as usize),
            Location::Entry(list, _) => Location::Entry(*list, n as usize),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Item(n) => write!(f, "item {n}"),
            Location::Entry(list, n) => write!(f, "{}[{n}]", list.name()),
        }
    }
}

/// A problem with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub location: Location,
    pub column: Option<String>,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}: column `{c}`: {}", self.location, self.reason),
            None => write!(f, "{}: {}", self.location, self.reason),
        }
    }
}

/// One row, each field parsed into its domain type; absent or empty fields are `None`.
pub struct Row {
    pub location: Location,
    pub email: Email,
    pub name: Option<UserName>,
    pub role: Option<Role>,
    pub status: Option<Status>,
    pub packages: Option<Vec<PackageName>>,
    pub password: Option<SecretString>,
    pub password_hash: Option<String>,
    pub full_name: Option<FullName>,
    pub phone: Option<Phone>,
    pub must_change_password: Option<bool>,
    pub expires_at: Option<Expiry>,
    /// History from another system, kept for a new user (an existing one keeps theirs).
    pub created_at: Option<jiff::Timestamp>,
    pub last_login_at: Option<jiff::Timestamp>,
    /// A new user gets a generated password (an existing one keeps theirs).
    pub generate_password: bool,
    /// Why the row's credential cannot be used — a hash gatehouse cannot verify (its
    /// algorithm, or a cost above the bounds), or an account of another system that has
    /// no password (OAuth, SSO): `--unusable-hash` decides what becomes of it.
    pub unusable: Option<String>,
    /// What the import decided for this row that the output names (`--unusable-hash`).
    pub note: Option<Note>,
}

/// What became of a new user whose credential cannot be used (`--unusable-hash`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// Given a generated password, to be changed at first login.
    Generated,
    /// Left inactive until an admin gives them a password.
    Inactive,
}

impl fmt::Debug for Row {
    // By hand: a row carries a password or a password hash.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Row")
            .field("location", &self.location)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A field as read: text, or a list (a JSON array).
enum Field {
    Text(String),
    List(Vec<String>),
}

type Record = (Location, HashMap<String, Field>);

/// A validated row, or its problems.
pub type Parsed = std::result::Result<Row, Vec<RowError>>;

/// A file-level problem ends the rows with `Err`; otherwise each row is `Ok` or its
/// problems.
pub type Rows = Box<dyn Iterator<Item = Result<Parsed>>>;

/// How a spreadsheet's cells are read (`user import` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    /// A date like `01/02/2027` is 1 February (day first), not 2 January.
    pub day_first: bool,
    /// What a CSV column that is not an import column does.
    pub unknown_columns: UnknownColumns,
}

/// `user import --unknown-columns`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum UnknownColumns {
    /// Leave them out, and name them in a warning
    Ignore,
    /// Refuse the file
    #[default]
    Refuse,
}

/// The input's rows, read with `opts`, and the warnings about the input as a whole (the
/// CSV columns it ignores). `head` is the input's start (up to 64 KiB, or all of it) and
/// `rest` what follows. CSV and JSON lines in UTF-8 are read as a stream, a record at a
/// time, so memory does not grow with the file; another encoding (`encoding`, or a
/// UTF-16 byte-order mark) or format is read whole first.
pub fn rows(
    head: Vec<u8>,
    rest: Box<dyn Read>,
    format: InputFormat,
    delimiter: Option<u8>,
    encoding: Option<&str>,
    opts: ReadOptions,
) -> Result<(Rows, Vec<String>)> {
    let foreign = encoding.is_some()
        || encoding_rs::Encoding::for_bom(&head).is_some_and(|(e, _)| e != encoding_rs::UTF_8);
    if foreign || !matches!(format, InputFormat::Csv | InputFormat::Jsonl) {
        let mut data = head;
        let mut rest = rest;
        rest.read_to_end(&mut data)?;
        let data = decode(data, encoding)?;
        if !matches!(format, InputFormat::Csv | InputFormat::Jsonl) {
            let rows = parse_whole(&data, format, delimiter)?;
            return Ok((Box::new(rows.into_iter().map(Ok)), Vec::new()));
        }
        return rows(
            data,
            Box::new(std::io::empty()),
            format,
            delimiter,
            None,
            opts,
        );
    }
    let (head, rest) = match head.strip_prefix(b"\xef\xbb\xbf") {
        Some(body) => (body.to_vec(), rest),
        None => (head, rest),
    };
    let input: Box<dyn Read> = Box::new(std::io::Cursor::new(head.clone()).chain(rest));
    Ok(match format {
        InputFormat::Csv => {
            let (csv, warnings) = csv::CsvRows::new(&head, input, delimiter, opts)?;
            (Box::new(csv), warnings)
        }
        _ => (Box::new(json::JsonlRows::new(input)), Vec::new()),
    })
}

/// Parses the whole input. A file that cannot be read as the format at all (or has an
/// unknown column) is one error; otherwise each row is `Ok` or its problems.
pub fn parse(data: &[u8], format: InputFormat, delimiter: Option<u8>) -> Result<Vec<Parsed>> {
    let input = Box::new(std::io::empty());
    let opts = ReadOptions::default();
    let (rows, _) = rows(data.to_vec(), input, format, delimiter, None, opts)?;
    rows.collect()
}

/// The formats read whole: a JSON array and other systems' exports.
fn parse_whole(data: &[u8], format: InputFormat, delimiter: Option<u8>) -> Result<Vec<Parsed>> {
    let records = match format {
        InputFormat::Json => json::json_records(data)?,
        InputFormat::Supabase | InputFormat::Keycloak => {
            return Ok(parse_preset(data, format, delimiter)?.rows);
        }
        InputFormat::Csv | InputFormat::Jsonl | InputFormat::Shadow => {
            return Err(Error::usage(
                "--input-format shadow needs --passwd FILE and --email-domain DOMAIN",
            ))
        }
    };
    Ok(records
        .into_iter()
        .map(|(loc, fields)| row::row(loc, fields))
        .collect())
}

fn bad_input(msg: String) -> Error {
    Error::invalid(msg).with_hint("nothing was imported; fix the file and run again")
}

fn check_columns<'a>(names: impl ExactSizeIterator<Item = &'a str>, at: &str) -> Result<()> {
    let mut seen: Vec<String> = Vec::new();
    let several = names.len() > 1;
    for n in names {
        let key = n.trim().to_lowercase();
        if !COLUMNS.contains(&key.as_str()) {
            return Err(bad_input(format!(
                "{at}unknown column {}; known columns: {}",
                column_excerpt(n, several),
                COLUMNS.join(", ")
            )));
        }
        if seen.contains(&key) {
            return Err(bad_input(format!("{at}column `{key}` appears twice")));
        }
        seen.push(key);
    }
    Ok(())
}

/// An unknown column's name for a message — only when it looks like one, in a header of
/// several columns. The first line of a file that is not an import at all (a key, a
/// token, a password) is not repeated.
fn column_excerpt(name: &str, several: bool) -> String {
    let n = name.trim();
    let plausible = several
        && !n.is_empty()
        && n.len() <= 32
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'));
    if plausible {
        format!("`{n}`")
    } else {
        "(not shown: it does not look like a column name; is this an import file?)".into()
    }
}

/// The input as UTF-8. A UTF-16 file is recognised by its byte-order mark; any other
/// encoding is named with `--encoding` (a WHATWG label: `windows-1252`, `latin1`,
/// `utf-16le`, …). Without either the input must already be UTF-8.
pub fn decode(data: Vec<u8>, encoding: Option<&str>) -> Result<Vec<u8>> {
    let enc = match encoding {
        Some(label) => Some(
            encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                Error::invalid(format!("unknown encoding `{}`", label.trim())).with_hint(
                    "name it as browsers do: utf-8, windows-1252, iso-8859-15, utf-16le, …",
                )
            })?,
        ),
        None => encoding_rs::Encoding::for_bom(&data)
            .map(|(enc, _)| enc)
            .filter(|enc| *enc != encoding_rs::UTF_8),
    };
    let Some(enc) = enc else {
        return Ok(data);
    };
    let (text, had_errors) = enc.decode_with_bom_removal(&data);
    if had_errors {
        return Err(bad_input(format!(
            "the input is not valid {}: check the file's encoding (--encoding)",
            enc.name()
        )));
    }
    Ok(text.into_owned().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_as_spreadsheets_write_it() {
        let data = "\u{feff}Email,NAME,Packages,full_name\r\nA@Example.com,alice,north;south,\"Liddell, Alice\"\r\nb@example.com,bob,,\"Say \"\"hi\"\"\nthere\"\r\n";
        let rows = parse(data.as_bytes(), InputFormat::Csv, None).unwrap();
        assert_eq!(rows.len(), 2);
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.email.as_str(), "a@example.com");
        assert_eq!(a.location, Location::Line(2));
        assert_eq!(a.packages.as_ref().unwrap().len(), 2);
        assert_eq!(
            a.full_name.as_ref().unwrap().0.as_deref(),
            Some("Liddell, Alice")
        );
        // Quoted quotes and newlines are read; a full name may not hold a line break.
        let b = rows[1].as_ref().unwrap_err();
        assert_eq!(b[0].location, Location::Line(3));
        assert_eq!(b[0].column.as_deref(), Some("full_name"));
    }

    #[test]
    fn every_bad_row_is_reported() {
        let data =
            "email,name,role\nbad,alice,user\nb@example.com,,boss\nc@example.com,carol,admin\n";
        let rows = parse(data.as_bytes(), InputFormat::Csv, None).unwrap();
        let errs: Vec<String> = rows
            .iter()
            .filter_map(|r| r.as_ref().err())
            .flatten()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs[0].starts_with("line 2: column `email`"));
        assert!(errs[1].starts_with("line 3: column `role`"));
    }

    #[test]
    fn unknown_columns_and_broken_files_are_refused() {
        let cases: [(&[u8], InputFormat, bool); 9] = [
            (b"email,nickname\n", InputFormat::Csv, false),
            (b"email,name\n\"unterminated,x\n", InputFormat::Csv, false),
            (
                b"email,name\nb@example.com,\"bob\n",
                InputFormat::Csv,
                false,
            ),
            (
                b"email,name\nb@example.com,\"b\"\"ob\"\n",
                InputFormat::Csv,
                true,
            ),
            (
                b"email,name\nb@example.com,5\" screen\n",
                InputFormat::Csv,
                true,
            ),
            (
                b"email,name\n\"a@example.com\"x,a\n",
                InputFormat::Csv,
                false,
            ),
            (
                b"email,name\r\n\"a@example.com\",\"a\"\r\n",
                InputFormat::Csv,
                true,
            ),
            (
                b"[{\"email\":\"a@b.co\",\"x\":1}]",
                InputFormat::Json,
                false,
            ),
            (b"{\"email\":1", InputFormat::Jsonl, false),
        ];
        for (input, format, ok) in cases {
            let text = String::from_utf8_lossy(input);
            assert_eq!(parse(input, format, None).is_ok(), ok, "{text:?}");
        }
    }

    #[test]
    fn json_forms() {
        let rows = parse(br#"[{"email":"a@example.com","name":"a","packages":["p1"],"must_change_password":true}]"#, InputFormat::Json, None).unwrap();
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.must_change_password, Some(true));
        assert_eq!(a.location, Location::Item(1));
        let rows = parse(
            b"\n{\"email\":\"a@example.com\"}\n\n{\"email\":\"nope\"}\n",
            InputFormat::Jsonl,
            None,
        )
        .unwrap();
        assert_eq!(rows[1].as_ref().unwrap_err()[0].location, Location::Line(4));
    }

    #[test]
    fn format_detection() {
        assert_eq!(InputFormat::detect(Some("x.CSV"), b"["), InputFormat::Csv);
        assert_eq!(InputFormat::detect(None, b"  [{}]"), InputFormat::Json);
        assert_eq!(
            InputFormat::detect(Some("-"), b"{\"email\":1}"),
            InputFormat::Jsonl
        );
        assert_eq!(InputFormat::detect(None, b"email,name"), InputFormat::Csv);
    }
}
