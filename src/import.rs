//! Parsing bulk-import input (CSV, JSON array, JSON lines) into validated rows.
//!
//! Nothing here touches the store: every row is checked on its own, and every bad row is
//! reported with where it is (line for CSV and JSON lines, item for a JSON array), the
//! column, and why — so one run shows all the problems of a file. CSV and JSON lines are
//! read as a stream, a record at a time ([`rows`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, Read};
use std::rc::Rc;

use secrecy::SecretString;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Email, Expiry, FullName, PackageName, Phone, Role, Status, UserName};
use crate::output::unneutralize;

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

/// Another system's export, recognised by its start when no `--input-format` was given:
/// what it is, and the preset that reads it (`None`: there is none).
pub struct Recognised {
    pub what: &'static str,
    pub preset: Option<&'static str>,
}

/// Recognises an export that has a preset (or is known to have none) by the start of
/// the input (`head`, UTF-8 or not), so that it is not read as a plain import and
/// refused column by column.
pub fn recognise(head: &[u8]) -> Option<Recognised> {
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head));
    let body = text.trim_start();
    let first = body.lines().next().unwrap_or("").to_ascii_lowercase();
    let found = |what, preset| Some(Recognised { what, preset });
    if body.starts_with('{') || body.starts_with('[') {
        // Firebase (`firebase auth:export users.json`) keys users by `localId`.
        if body.contains("\"localId\"") && body.contains("\"users\"") {
            return found("a Firebase Auth export (`firebase auth:export`)", None);
        }
        let keycloak = (body.contains("\"realm\"") && body.contains("\"users\""))
            || (body.contains("\"username\"")
                && (body.contains("\"credentials\"") || body.contains("\"createdTimestamp\"")));
        if keycloak {
            return found("a Keycloak realm export", Some("keycloak"));
        }
        if body.contains("\"encrypted_password\"") && body.contains("\"raw_user_meta_data\"") {
            return found("Supabase's auth.users", Some("supabase"));
        }
        return None;
    }
    let header: Vec<&str> = first
        .split([',', ';', '\t'])
        .map(|c| c.trim_matches('"'))
        .collect();
    if header.contains(&"encrypted_password")
        || (header.contains(&"instance_id") && header.contains(&"aud"))
    {
        return found("Supabase's auth.users", Some("supabase"));
    }
    // A shadow line: login:hash:lastchg:min:max:warn:inactive:expire: — nine fields.
    let fields: Vec<&str> = first.split(':').collect();
    let login = |f: &str| !f.is_empty() && !f.contains([',', ';', '\t', ' ', '"']);
    if fields.len() == 9 && login(fields[0]) && fields[2].chars().all(|c| c.is_ascii_digit()) {
        return found("a host's /etc/shadow", Some("shadow"));
    }
    if fields.len() == 7 && login(fields[0]) && fields[1] == "x" && fields[2].parse::<u32>().is_ok()
    {
        return found("a host's /etc/passwd", Some("shadow"));
    }
    None
}

/// Whether the input is a spreadsheet workbook (.xlsx, .ods, .xls) rather than text: by
/// its extension, or the start of a ZIP (xlsx, ods) or OLE (xls) file.
pub fn is_workbook(path: Option<&str>, head: &[u8]) -> bool {
    let ext = path
        .and_then(|p| p.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("xlsx" | "xlsm" | "ods" | "xls"))
        || head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"\xd0\xcf\x11\xe0")
}

/// A workbook's first sheet as CSV, for the CSV reader: text as it is, whole numbers
/// without `.0`, date cells as dates (`2027-01-31`) or RFC 3339 times.
pub fn workbook_to_csv(data: Vec<u8>) -> Result<Vec<u8>> {
    use calamine::{Data, Reader};
    let unreadable = |e: &dyn fmt::Display| {
        bad_input(format!(
            "cannot read the spreadsheet: {e} (an .xlsx, .ods or .xls workbook is read from its first sheet)"
        ))
    };
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(data))
        .map_err(|e| unreadable(&e))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| unreadable(&e))?,
        None => return Err(bad_input("the spreadsheet has no sheet".into())),
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    for cells in range.rows() {
        let record: Vec<String> = cells
            .iter()
            .map(|c| match c {
                Data::Empty | Data::Error(_) => String::new(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Int(i) => i.to_string(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Float(f) => f.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => excel_time(d.as_f64(), d.is_datetime()),
            })
            .collect();
        out.write_record(&record)
            .map_err(|e| Error::internal(e.to_string()))?;
    }
    out.into_inner().map_err(|e| Error::internal(e.to_string()))
}

/// An Excel serial date (days since 1899-12-30, the fraction the time of day) as a date,
/// or as an RFC 3339 time when it has a time of day.
fn excel_time(serial: f64, _datetime: bool) -> String {
    let epoch = jiff::civil::date(1899, 12, 30);
    let days = serial.floor();
    let secs = ((serial - days) * 86_400.0).round() as i64;
    let Ok(date) = epoch.checked_add(jiff::Span::new().days(days as i64)) else {
        return serial.to_string();
    };
    if secs == 0 {
        return date.to_string();
    }
    match date
        .to_zoned(jiff::tz::TimeZone::UTC)
        .and_then(|z| z.checked_add(jiff::Span::new().seconds(secs)))
    {
        Ok(z) => z.timestamp().to_string(),
        Err(_) => date.to_string(),
    }
}

/// Where a row is in the input, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    Line(u64),
    Item(usize),
    /// An entry of a named list: `users[3]`.
    Entry(&'static str, usize),
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
            Location::Entry(list, _) => Location::Entry(list, n as usize),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Item(n) => write!(f, "item {n}"),
            Location::Entry(list, n) => write!(f, "{list}[{n}]"),
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
    pub note: Option<&'static str>,
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

/// The input's rows. `head` is the input's start (up to 64 KiB, or all of it) and
/// `rest` what follows. CSV and JSON lines in UTF-8 are read as a stream, a record at a
/// time, so memory does not grow with the file; another encoding (`encoding`, or a
/// UTF-16 byte-order mark) or format is read whole first.
pub fn rows(
    head: Vec<u8>,
    rest: Box<dyn Read>,
    format: InputFormat,
    delimiter: Option<u8>,
    encoding: Option<&str>,
) -> Result<Rows> {
    rows_with(
        head,
        rest,
        format,
        delimiter,
        encoding,
        ReadOptions::default(),
    )
    .map(|(r, _)| r)
}

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

/// [`rows`] read with `opts`, and the warnings about the input as a whole (the CSV
/// columns it ignores).
pub fn rows_with(
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
        return rows_with(
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
            let (csv, warnings) = CsvRows::new(&head, input, delimiter, opts)?;
            (Box::new(csv), warnings)
        }
        _ => (
            Box::new(JsonlRows {
                input: std::io::BufReader::with_capacity(64 * 1024, input),
                line: 0,
                buf: Vec::new(),
                done: false,
            }),
            Vec::new(),
        ),
    })
}

/// Parses the whole input. A file that cannot be read as the format at all (or has an
/// unknown column) is one error; otherwise each row is `Ok` or its problems.
pub fn parse(data: &[u8], format: InputFormat, delimiter: Option<u8>) -> Result<Vec<Parsed>> {
    rows(
        data.to_vec(),
        Box::new(std::io::empty()),
        format,
        delimiter,
        None,
    )?
    .collect()
}

/// The formats read whole: a JSON array and other systems' exports.
fn parse_whole(data: &[u8], format: InputFormat, delimiter: Option<u8>) -> Result<Vec<Parsed>> {
    let records = match format {
        InputFormat::Json => json_records(data)?,
        InputFormat::Supabase | InputFormat::Keycloak => {
            return Ok(parse_preset(data, format, delimiter)?.rows)
        }
        InputFormat::Csv | InputFormat::Jsonl | InputFormat::Shadow => {
            return Err(Error::usage(
                "--input-format shadow needs --passwd FILE and --email-domain DOMAIN",
            ))
        }
    };
    Ok(records
        .into_iter()
        .map(|(loc, fields)| row(loc, fields))
        .collect())
}

/// Another system's export as rows, with what did not become one: accounts that are
/// not people gatehouse can hold (no email, a service account), each with why, and
/// warnings about rows read only in part.
pub struct Preset {
    pub rows: Vec<Parsed>,
    pub left_out: Vec<(Location, &'static str)>,
    pub warnings: Vec<String>,
}

/// One account of another system's export.
enum Mapped {
    /// Its fields, and why it has no usable password when it has none.
    Row(HashMap<String, Field>, Option<String>),
    /// Not a person gatehouse can hold, and why.
    LeftOut(&'static str),
}

/// Why accounts of an export are left out (the summary counts them by these).
pub const NO_EMAIL: &str = "without an email";
pub const SERVICE_ACCOUNT: &str = "of service accounts (not people)";

/// A Supabase or Keycloak export (see [`supabase_records`], [`keycloak_records`]).
pub fn parse_preset(data: &[u8], format: InputFormat, delimiter: Option<u8>) -> Result<Preset> {
    let mut warnings = Vec::new();
    let mapped = match format {
        InputFormat::Keycloak => keycloak_records(data)?,
        _ => supabase_records(data, delimiter, &mut warnings)?,
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

/// Text that is a password hash rather than a password: the prefixes of the formats
/// people export (bcrypt, argon2, the crypt family, Django, passlib).
fn looks_like_a_hash(pw: &str) -> bool {
    let p = pw.trim();
    [
        "$2a$", "$2b$", "$2y$", "$argon2", "$1$", "$5$", "$6$", "$y$", "$7$", "$pbkdf2", "pbkdf2_",
    ]
    .iter()
    .any(|prefix| p.starts_with(prefix))
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

/// The delimiter of a CSV header line: whichever of `,` `;` and tab it holds most of
/// outside quotes (a spreadsheet saved in a locale with decimal commas writes `;`).
fn detect_delimiter(body: &[u8]) -> u8 {
    let header = body.split(|&b| b == b'\n').next().unwrap_or(body);
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut in_quotes = false;
    for &b in header {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            for (d, n) in counts.iter_mut() {
                if b == *d {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(d, n)| if n > best.1 { (d, n) } else { best },
        )
        .0
}

fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        d => format!("`{}`", d as char),
    }
}

/// Checks RFC 4180 quoting, which the csv crate forgives silently: a quoted field still
/// open at the end of the input (it would import a truncated row) or text right after a
/// closing quote (it would be glued onto the field). A state machine fed the input a
/// piece at a time, so a file read as a stream is checked as it goes.
struct Quoting {
    delim: u8,
    line: u64,
    opened_at: u64,
    in_quotes: bool,
    /// A `"` inside quotes: the end of the field, or the first of a doubled `""`.
    quote_pending: bool,
    just_closed: bool,
    field_start: bool,
    /// Bytes of the row read so far (its quoted line breaks included), and its line.
    row_bytes: usize,
    row_line: u64,
}

impl Quoting {
    fn new(delim: u8) -> Quoting {
        Quoting {
            delim,
            line: 1,
            opened_at: 0,
            in_quotes: false,
            quote_pending: false,
            just_closed: false,
            field_start: true,
            row_bytes: 0,
            row_line: 1,
        }
    }

    fn feed(&mut self, data: &[u8]) -> Option<(u64, &'static str)> {
        for &b in data {
            let line_end = matches!(b, b'\r' | b'\n');
            self.row_bytes += 1;
            if self.row_bytes > MAX_ROW_BYTES {
                return Some((self.row_line, ROW_TOO_LONG));
            }
            if self.quote_pending {
                self.quote_pending = false;
                if b == b'"' {
                    // `""`: a quote inside the field.
                    continue;
                }
                self.in_quotes = false;
                self.just_closed = true;
            }
            if self.just_closed && !(b == self.delim || line_end) {
                return Some((self.line, "text after a closing quote"));
            }
            self.just_closed = false;
            if self.in_quotes {
                self.quote_pending = b == b'"';
            } else if b == b'"' && self.field_start {
                self.in_quotes = true;
                self.opened_at = self.line;
            }
            if b == b'\n' {
                self.line += 1;
                if !self.in_quotes {
                    self.row_bytes = 0;
                    self.row_line = self.line;
                }
            }
            self.field_start = !self.in_quotes && (b == self.delim || line_end);
        }
        None
    }

    /// At the end of the input.
    fn finish(&self) -> Option<(u64, &'static str)> {
        (self.in_quotes && !self.quote_pending)
            .then_some((self.opened_at, "a quoted field is never closed"))
    }
}

/// The header checks of a CSV import, before any row is read: not empty, split at the
/// right delimiter, known columns, an `email` column.
fn check_csv_header(headers: &[String], delim: u8, opts: ReadOptions) -> Result<Vec<String>> {
    if headers.iter().all(String::is_empty) {
        return Err(bad_input(
            "the CSV input is empty: a header row is required".into(),
        ));
    }
    if let [only] = headers {
        if let Some(other) = [b',', b';', b'\t']
            .into_iter()
            .find(|&d| d != delim && only.as_bytes().contains(&d))
        {
            return Err(Error::invalid(format!(
                "the CSV header is one column when split at the delimiter {}, but holds {}",
                delimiter_name(delim),
                delimiter_name(other)
            ))
            .with_hint(format!(
                "give the file's delimiter: --delimiter {}",
                if other == b'\t' {
                    "tab".to_string()
                } else {
                    format!("'{}'", other as char)
                }
            )));
        }
    }
    // A spreadsheet's other columns (Department, Office, …) are left out and named —
    // when they look like column names at all; the first line of a file that is not an
    // import (a key, a token) is refused without being repeated.
    let several = headers.len() > 1;
    let unknown: Vec<&String> = headers
        .iter()
        .filter(|h| !COLUMNS.contains(&h.as_str()))
        .collect();
    let ignorable = opts.unknown_columns == UnknownColumns::Ignore
        && unknown
            .iter()
            .all(|h| column_excerpt(h, several).starts_with('`'))
        && headers.iter().any(|h| h == "email");
    let mut warnings = Vec::new();
    if ignorable && !unknown.is_empty() {
        let known: Vec<&String> = headers
            .iter()
            .filter(|h| COLUMNS.contains(&h.as_str()))
            .collect();
        check_columns(known.into_iter().map(String::as_str), "")?;
        let names: Vec<String> = unknown.iter().map(|h| format!("`{h}`")).collect();
        let (s, what) = match names.len() {
            1 => ("", "not an import column"),
            _ => ("s", "not import columns"),
        };
        warnings.push(format!(
            "ignored the column{s} {}: {what} (--unknown-columns refuse would refuse the file)",
            names.join(", ")
        ));
    } else {
        check_columns(headers.iter().map(String::as_str), "").map_err(|e| {
            if opts.unknown_columns == UnknownColumns::Refuse {
                e
            } else {
                e.with_hint("nothing was imported; is this an import file?")
            }
        })?;
    }
    if !headers.iter().any(|h| h == "email") {
        return Err(bad_input("the CSV header has no `email` column".into()));
    }
    Ok(warnings)
}

/// A strict CSV reader (RFC 4180 quoting, equal row lengths) over a stream, with each
/// record's line number.
struct Csv {
    rdr: csv::Reader<Watched>,
    /// The header's names, trimmed and in lower case.
    headers: Vec<String>,
    watch: Rc<RefCell<Watch>>,
    record: csv::StringRecord,
    done: bool,
}

impl Csv {
    /// `head` is the start of the input (at least its first line, when there is one),
    /// for the delimiter when none is given; `input` is the whole input, without a UTF-8
    /// byte-order mark.
    fn new(head: &[u8], input: Box<dyn Read>, delimiter: Option<u8>) -> Result<(Csv, u8)> {
        let delim = delimiter.unwrap_or_else(|| detect_delimiter(head));
        let watch = Rc::new(RefCell::new(Watch::new(delim)));
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .delimiter(delim)
            .from_reader(Watched {
                inner: input,
                watch: watch.clone(),
            });
        let headers = rdr.headers().map(|h| {
            h.iter()
                .map(|h| h.trim().to_lowercase())
                .collect::<Vec<_>>()
        });
        watch.borrow().check()?;
        let headers = headers
            .map_err(|e| bad_input(format!("cannot read the CSV header: {}", csv_reason(&e))))?;
        let csv = Csv {
            rdr,
            headers,
            watch,
            record: csv::StringRecord::new(),
            done: false,
        };
        Ok((csv, delim))
    }

    /// Reads the next record into `self.record` and gives its line. A row of nothing but
    /// delimiters — what a spreadsheet writes for a row that was cleared rather than
    /// deleted — is skipped.
    fn next_record(&mut self) -> Option<Result<u64>> {
        while !self.done {
            let read = self.rdr.read_record(&mut self.record);
            // Bad quoting is found in what was read ahead: it ends the input first.
            if let Err(e) = self.watch.borrow().check() {
                self.done = true;
                return Some(Err(e));
            }
            match read {
                Ok(false) => self.done = true,
                Ok(true) if self.record.iter().all(|f| f.trim().is_empty()) => {}
                Ok(true) => {
                    let offset = self.record.position().map_or(0, |p| p.byte());
                    return Some(Ok(self.watch.borrow_mut().line_at(offset)));
                }
                Err(e) => {
                    self.done = true;
                    let line = self
                        .watch
                        .borrow_mut()
                        .line_at(e.position().map_or(0, |p| p.byte()));
                    return Some(Err(bad_input(format!("line {line}: {}", csv_reason(&e)))));
                }
            }
        }
        None
    }
}

/// A CSV import's rows as they are read: each record is validated on its own and its
/// field map dropped, so memory does not grow with the file.
struct CsvRows(Csv, ReadOptions);

impl CsvRows {
    fn new(
        head: &[u8],
        input: Box<dyn Read>,
        delimiter: Option<u8>,
        opts: ReadOptions,
    ) -> Result<(CsvRows, Vec<String>)> {
        let (csv, delim) = Csv::new(head, input, delimiter)?;
        let warnings = check_csv_header(&csv.headers, delim, opts)?;
        Ok((CsvRows(csv, opts), warnings))
    }

    fn fields(&self) -> HashMap<String, Field> {
        let Csv {
            headers, record, ..
        } = &self.0;
        let mut fields = HashMap::with_capacity(headers.len());
        for (h, v) in headers.iter().zip(record.iter()) {
            // Cells come back as `user export` wrote them: a formula-like value carries a
            // leading `'` for spreadsheets, taken off here.
            let value = if h == "packages" {
                Field::List(
                    unneutralize(v)
                        .split(';')
                        .map(|s| unneutralize(s.trim()).to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            } else if h.starts_with("password") {
                // Secrets are never quoted on the way out: take them as written.
                Field::Text(v.to_string())
            } else {
                Field::Text(unneutralize(v).to_string())
            };
            fields.insert(h.clone(), value);
        }
        fields
    }
}

impl Iterator for CsvRows {
    type Item = Result<Parsed>;

    fn next(&mut self) -> Option<Result<Parsed>> {
        Some(match self.0.next_record()? {
            Ok(line) => Ok(row_with(Location::Line(line), self.fields(), self.1)),
            Err(e) => Err(e),
        })
    }
}

/// What the CSV reader has read so far, shared with [`Csv`]: the quoting check, and
/// the bytes not yet counted into line numbers (csv counts lines wrongly for CRLF input,
/// so a record's line is counted from its byte offset).
struct Watch {
    quoting: Quoting,
    error: Option<(u64, &'static str)>,
    /// Bytes read since `base`, the stream offset of `window[0]`; `pos` of them counted.
    window: Vec<u8>,
    base: u64,
    pos: usize,
    line: u64,
}

impl Watch {
    fn new(delim: u8) -> Watch {
        Watch {
            quoting: Quoting::new(delim),
            error: None,
            window: Vec::new(),
            base: 0,
            pos: 0,
            line: 1,
        }
    }

    fn check(&self) -> Result<()> {
        match self.error {
            Some((line, what)) => Err(bad_input(format!("line {line}: {what}"))),
            None => Ok(()),
        }
    }

    fn feed(&mut self, data: &[u8]) {
        if self.error.is_none() {
            self.error = self.quoting.feed(data);
        }
        // Keep only what is not counted yet (the reader's read-ahead).
        if self.pos > 64 * 1024 && self.pos * 2 > self.window.len() {
            self.window.drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        self.window.extend_from_slice(data);
    }

    fn end(&mut self) {
        if self.error.is_none() {
            self.error = self.quoting.finish();
        }
    }

    /// The 1-based line at a byte offset (offsets only grow). With CRLF input csv
    /// reports a record as starting on the `\n` that ends the line before it, so
    /// line-end bytes at the offset are skipped first.
    fn line_at(&mut self, offset: u64) -> u64 {
        let data = &self.window;
        let mut end = (offset.saturating_sub(self.base) as usize).min(data.len());
        while end < data.len() && matches!(data[end], b'\r' | b'\n') {
            end += 1;
        }
        if end > self.pos {
            self.line += data[self.pos..end].iter().filter(|b| **b == b'\n').count() as u64;
            self.pos = end;
        }
        self.line
    }
}

/// The input, watched on its way into the CSV reader.
struct Watched {
    inner: Box<dyn Read>,
    watch: Rc<RefCell<Watch>>,
}

impl Read for Watched {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut w = self.watch.borrow_mut();
        if n == 0 {
            w.end();
        } else {
            w.feed(&buf[..n]);
            // The input is refused already (the reader reports the watch's error, not
            // this one): reading on would only hold more of it, an endless row whole.
            if w.error.is_some() {
                return Err(std::io::Error::other("the input is refused"));
            }
        }
        Ok(n)
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "not valid UTF-8: give the file's encoding with --encoding (Excel's plain \"CSV\" is usually windows-1252)".into()
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        _ => e.to_string(),
    }
}

/// One JSON object with import's columns as a row: the whole input's error if the
/// object cannot be read at all, else the row or its problems.
pub fn object_row(loc: Location, v: Value) -> Result<std::result::Result<Row, Vec<RowError>>> {
    let (loc, fields) = object_record(loc, v)?;
    Ok(row(loc, fields))
}

fn object_record(loc: Location, v: Value) -> Result<Record> {
    let Value::Object(map) = v else {
        return Err(bad_input(format!("{loc}: expected an object")));
    };
    check_columns(map.keys().map(String::as_str), &format!("{loc}: "))?;
    let mut fields = HashMap::new();
    for (k, v) in map {
        let key = k.trim().to_lowercase();
        let f = match v {
            Value::Null => continue,
            Value::String(s) => Field::Text(s),
            Value::Bool(b) => Field::Text(b.to_string()),
            Value::Number(n) => Field::Text(n.to_string()),
            Value::Array(items) => Field::List(
                items
                    .into_iter()
                    .map(|i| match i {
                        Value::String(s) => Ok(s),
                        other => Err(bad_input(format!(
                            "{loc}: column `{key}`: expected strings, got {other}"
                        ))),
                    })
                    .collect::<Result<_>>()?,
            ),
            Value::Object(_) => {
                return Err(bad_input(format!(
                    "{loc}: column `{key}`: nested objects are not allowed"
                )))
            }
        };
        fields.insert(key, f);
    }
    Ok((loc, fields))
}

fn json_records(data: &[u8]) -> Result<Vec<Record>> {
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| bad_input(format!("line {}: not valid JSON: {e}", e.line())))?;
    let Value::Array(items) = v else {
        return Err(bad_input("expected a JSON array of objects".into()));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| object_record(Location::Item(i + 1), item))
        .collect()
}

/// A JSON lines import's rows as they are read, a line at a time.
struct JsonlRows {
    input: std::io::BufReader<Box<dyn Read>>,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl Iterator for JsonlRows {
    type Item = Result<Parsed>;

    fn next(&mut self) -> Option<Result<Parsed>> {
        while !self.done {
            self.buf.clear();
            // One byte past the bound tells a line of exactly 1 MiB from a longer one.
            let mut line = (&mut self.input).take(MAX_ROW_BYTES as u64 + 1);
            match line.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    let loc = Location::Line(self.line);
                    let body = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
                    if body.len() > MAX_ROW_BYTES {
                        self.done = true;
                        return Some(Err(bad_input(format!("{loc}: {ROW_TOO_LONG}"))));
                    }
                    let Ok(text) = std::str::from_utf8(&self.buf) else {
                        self.done = true;
                        return Some(Err(bad_input(format!("{loc}: not valid UTF-8"))));
                    };
                    if text.trim().is_empty() {
                        continue;
                    }
                    let v: Value = match serde_json::from_str(text) {
                        Ok(v) => v,
                        Err(e) => {
                            self.done = true;
                            return Some(Err(bad_input(format!("{loc}: not valid JSON: {e}"))));
                        }
                    };
                    let parsed = object_row(loc, v);
                    self.done = parsed.is_err();
                    return Some(parsed);
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e.into()));
                }
            }
        }
        None
    }
}

/// Supabase's `auth.users` as the dashboard, `psql \copy (…) to … csv header` or a JSON
/// query writes it. Each row is mapped to gatehouse's columns and the table's other
/// columns are ignored:
///
/// - `email`; `name` from the user metadata's `name`, `user_name` or
///   `preferred_username`, else the email's local part; `full_name` from the metadata;
/// - `encrypted_password` (GoTrue's bcrypt) becomes `password_hash`;
/// - a `banned_until` or `deleted_at` makes the user inactive;
/// - `role` (a joined `profiles.role`, or the app metadata's `role`) of `admin` makes an
///   admin; anything else (`authenticated`, …) a user;
/// - `phone` when set;
/// - `created_at`, and `last_sign_in_at` as `last_login_at`.
fn supabase_records(
    data: &[u8],
    delimiter: Option<u8>,
    warnings: &mut Vec<String>,
) -> Result<Vec<(Location, Mapped)>> {
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let objects: Vec<(Location, Value)> = match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => {
            let v: Value = serde_json::from_slice(body)
                .map_err(|e| bad_input(format!("line {}: not valid JSON: {e}", e.line())))?;
            let Value::Array(items) = v else {
                return Err(bad_input("expected a JSON array of objects".into()));
            };
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Location::Item(i + 1), v))
                .collect()
        }
        Some(b'{') => {
            let text = std::str::from_utf8(body)
                .map_err(|_| bad_input("not valid UTF-8 (try --encoding)".into()))?;
            let mut out = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let loc = Location::Line(i as u64 + 1);
                let v: Value = serde_json::from_str(line)
                    .map_err(|e| bad_input(format!("{loc}: not valid JSON: {e}")))?;
                out.push((loc, v));
            }
            out
        }
        _ => supabase_csv(body, delimiter)?,
    };
    objects
        .into_iter()
        .map(|(loc, v)| match v {
            Value::Object(m) => {
                let mapped = supabase_row(&m, &loc, warnings);
                Ok((loc, mapped))
            }
            _ => Err(bad_input(format!("{loc}: expected an object"))),
        })
        .collect()
}

/// A CSV export of `auth.users` as JSON objects of text (an empty cell is SQL NULL).
fn supabase_csv(body: &[u8], delimiter: Option<u8>) -> Result<Vec<(Location, Value)>> {
    let input = Box::new(std::io::Cursor::new(body.to_vec()));
    let (mut csv, _) = Csv::new(body, input, delimiter)?;
    if !csv.headers.iter().any(|h| h == "email") {
        return Err(bad_input(
            "the CSV header has no `email` column: is this an export of auth.users?".into(),
        ));
    }
    let mut out = Vec::new();
    while let Some(line) = csv.next_record() {
        let m: serde_json::Map<String, Value> = csv
            .headers
            .iter()
            .zip(csv.record.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| (h.clone(), Value::String(v.to_string())))
            .collect();
        out.push((Location::Line(line?), Value::Object(m)));
    }
    Ok(out)
}

/// One `auth.users` row as gatehouse's fields (see [`supabase_records`]); a row without
/// an email (a phone-only or anonymous user) is left out.
fn supabase_row(
    m: &serde_json::Map<String, Value>,
    loc: &Location,
    warnings: &mut Vec<String>,
) -> Mapped {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let email = text(m.get("email"));
    if email.is_none() {
        return Mapped::LeftOut(NO_EMAIL);
    }
    // Metadata is an object in JSON and the object's JSON text in CSV — which a
    // spreadsheet may have cut or mangled: said, since the role and names come from it.
    let mut object = |key: &str, what: &str| match m.get(key) {
        Some(Value::Object(o)) => o.clone(),
        Some(Value::String(s)) => match serde_json::from_str(s) {
            Ok(Value::Object(o)) => o,
            _ => {
                warnings.push(format!(
                    "{loc}: `{key}` is not a JSON object, so {what} were not read from it"
                ));
                serde_json::Map::new()
            }
        },
        Some(Value::Null) | None => serde_json::Map::new(),
        Some(_) => {
            warnings.push(format!(
                "{loc}: `{key}` is not a JSON object, so {what} were not read from it"
            ));
            serde_json::Map::new()
        }
    };
    let user_meta = object("raw_user_meta_data", "the name and full name");
    let app_meta = object("raw_app_meta_data", "the role (admin) and sign-in provider");
    // OAuth users have an empty password, SSO users none: say how they sign in.
    let sso = matches!(m.get("is_sso_user"), Some(Value::Bool(true)))
        || text(m.get("is_sso_user")).is_some_and(|v| v == "t" || v == "true");
    let provider = text(app_meta.get("provider"));
    let no_password = if sso || provider.as_deref().is_some_and(|p| p.starts_with("sso:")) {
        "no password: signs in through SSO".to_string()
    } else {
        match provider.as_deref() {
            Some(p) if p != "email" => format!("no password: signs in with {p}"),
            _ => "no password in `encrypted_password`".to_string(),
        }
    };
    let mut f = HashMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            f.insert(k.to_string(), Field::Text(v));
        }
    };
    let name = ["name", "user_name", "preferred_username"]
        .iter()
        .find_map(|k| text(user_meta.get(*k)))
        .or_else(|| {
            email
                .as_deref()
                .and_then(|e| e.split_once('@'))
                .map(|(local, _)| local.to_string())
        });
    put("name", name);
    put("full_name", text(user_meta.get("full_name")));
    put("phone", text(m.get("phone")));
    put("password_hash", text(m.get("encrypted_password")));
    put("created_at", text(m.get("created_at")));
    put("last_login_at", text(m.get("last_sign_in_at")));
    let gone = text(m.get("banned_until")).is_some() || text(m.get("deleted_at")).is_some();
    put(
        "status",
        Some(if gone { "inactive" } else { "active" }.into()),
    );
    let admin = [text(m.get("role")), text(app_meta.get("role"))]
        .into_iter()
        .flatten()
        .any(|r| r.eq_ignore_ascii_case("admin"));
    put("role", Some(if admin { "admin" } else { "user" }.into()));
    put("email", email);
    Mapped::Row(f, Some(no_password))
}

/// A Keycloak realm export (`kc.sh export`: the realm file or its `*-users-N.json`
/// parts), or a bare array of its user representations. Each user is mapped to
/// gatehouse's columns:
///
/// - `email`; `username` as the name; `firstName lastName` as the full name;
/// - `enabled: false` makes the user inactive;
/// - a realm role `admin` makes an admin;
/// - `groups` become packages, by the last part of their path (`/eu/north` → `north`);
/// - the `password` credential (PBKDF2-SHA256/512 or argon2) becomes the password hash;
/// - `createdTimestamp` becomes `created_at`.
fn keycloak_records(data: &[u8]) -> Result<Vec<(Location, Mapped)>> {
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| bad_input(format!("line {}: not valid JSON: {e}", e.line())))?;
    let users = match v {
        Value::Object(mut realm) => match realm.remove("users") {
            Some(Value::Array(users)) => users,
            _ => {
                return Err(bad_input(
                    "no `users` array: export the realm with its users (kc.sh export --users realm_file)"
                        .into(),
                ))
            }
        },
        Value::Array(users) => users,
        _ => return Err(bad_input("expected a Keycloak realm export".into())),
    };
    users
        .into_iter()
        .enumerate()
        .map(|(i, u)| {
            let loc = Location::Item(i + 1);
            match u {
                Value::Object(m) => Ok((loc, keycloak_row(&m))),
                _ => Err(bad_input(format!("{loc}: expected a user object"))),
            }
        })
        .collect()
}

/// One Keycloak user as gatehouse's fields; a service account or a user without an
/// email is left out.
fn keycloak_row(m: &serde_json::Map<String, Value>) -> Mapped {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    if text(m.get("serviceAccountClientId")).is_some() {
        return Mapped::LeftOut(SERVICE_ACCOUNT);
    }
    if text(m.get("email")).is_none() {
        return Mapped::LeftOut(NO_EMAIL);
    }
    let strings = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::Array(a)) => a.iter().filter_map(|x| text(Some(x))).collect(),
            _ => Vec::new(),
        }
    };
    let mut f = HashMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            f.insert(k.to_string(), Field::Text(v));
        }
    };
    put("email", text(m.get("email")));
    put("name", text(m.get("username")));
    let full: Vec<String> = ["firstName", "lastName"]
        .iter()
        .filter_map(|k| text(m.get(*k)))
        .collect();
    put("full_name", (!full.is_empty()).then(|| full.join(" ")));
    let enabled = !matches!(m.get("enabled"), Some(Value::Bool(false)));
    put(
        "status",
        Some(if enabled { "active" } else { "inactive" }.into()),
    );
    let admin = strings(m.get("realmRoles")).iter().any(|r| r == "admin");
    put("role", Some(if admin { "admin" } else { "user" }.into()));
    let credential = match m.get("credentials") {
        Some(Value::Array(cs)) => cs
            .iter()
            .find(|c| c.get("type").and_then(Value::as_str) == Some("password")),
        _ => None,
    };
    put("password_hash", credential.map(keycloak_hash));
    // Milliseconds since 1970, as Keycloak keeps it.
    let created = m
        .get("createdTimestamp")
        .and_then(Value::as_i64)
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok());
    put("created_at", created.map(|t| t.to_string()));
    let packages: Vec<String> = strings(m.get("groups"))
        .iter()
        .filter_map(|g| g.rsplit('/').find(|p| !p.is_empty()).map(str::to_string))
        .collect();
    if !packages.is_empty() {
        f.insert("packages".into(), Field::List(packages));
    }
    // Keycloak would have asked for a new password at the next login.
    if strings(m.get("requiredActions"))
        .iter()
        .any(|a| a == "UPDATE_PASSWORD")
    {
        f.insert("must_change_password".into(), Field::Text("true".into()));
    }
    // A user of a federated directory (LDAP, Kerberos) has no password in the export.
    let no_password = if text(m.get("federationLink")).is_some() {
        "no password: its password stays in the federated directory (LDAP)"
    } else {
        "no password credential (signs in through an identity provider, or not at all)"
    };
    Mapped::Row(f, Some(no_password.to_string()))
}

/// A Keycloak password credential as a hash string gatehouse reads: PBKDF2 in passlib's
/// form, argon2 as a PHC string. Anything else comes back as text naming the algorithm,
/// which the hash check then refuses with a way forward.
fn keycloak_hash(c: &Value) -> String {
    use base64::Engine;
    // Both parts are JSON objects, stored as JSON text.
    let part = |k: &str| -> serde_json::Map<String, Value> {
        match c.get(k) {
            Some(Value::String(s)) => serde_json::from_str(s).unwrap_or_default(),
            Some(Value::Object(o)) => o.clone(),
            _ => Default::default(),
        }
    };
    let (secret, data) = (part("secretData"), part("credentialData"));
    let algorithm = data
        .get("algorithm")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let iterations = data
        .get("hashIterations")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let b64 = |k: &str| {
        secret
            .get(k)
            .and_then(Value::as_str)
            .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
    };
    let (Some(salt), Some(hash)) = (b64("salt"), b64("value")) else {
        return format!("keycloak-{algorithm}");
    };
    let unpadded = base64::engine::general_purpose::STANDARD_NO_PAD;
    let ab64 = |b: &[u8]| unpadded.encode(b).replace('+', ".");
    let param = |k: &str| {
        data.get("additionalParameters")
            .and_then(|p| p.get(k))
            .and_then(|v| v.get(0).or(Some(v)))
            .and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or(v.as_u64().map(|n| n.to_string()))
            })
    };
    match algorithm.as_str() {
        "pbkdf2-sha256" | "pbkdf2-sha512" => {
            format!("${algorithm}${iterations}${}${}", ab64(&salt), ab64(&hash))
        }
        "argon2" => {
            let variant = param("type").unwrap_or_else(|| "id".into());
            let version = match param("version").as_deref() {
                Some("1.0") => 16,
                _ => 19,
            };
            format!(
                "$argon2{variant}$v={version}$m={},t={iterations},p={}${}${}",
                param("memory").unwrap_or_default(),
                param("parallelism").unwrap_or_else(|| "1".into()),
                unpadded.encode(&salt),
                unpadded.encode(&hash)
            )
        }
        other => format!("keycloak-{other}"),
    }
}

/// Human accounts get UIDs from here up to [`UID_MAX`] (`login.defs`' defaults); the
/// rest are the system's own (root, daemons, `nobody`).
const UID_MIN: u32 = 1000;
const UID_MAX: u32 = 60000;

/// A host's `/etc/shadow` with its `/etc/passwd`, as rows. Only human accounts (UIDs
/// 1000–60000) are imported, each as `LOGIN@domain`:
///
/// - the GECOS field's first part is the full name; the login is the name;
/// - a hash (`$6$…`, `$2b$…`, …) becomes `password_hash`; a `!` in front (a locked
///   account) makes the user inactive and keeps the hash behind it;
/// - no password at all (`*`, `!`, `!!`, empty) makes the user inactive with a
///   generated password (printed once) that must be changed;
/// - a last change of `0` (a forced change) sets `must_change_password`;
/// - the expiry day becomes `expires_at` (the start of that day, UTC).
///
/// A malformed line is named by its number, never echoed: it may hold a hash.
pub fn parse_shadow(
    shadow: &[u8],
    passwd: &[u8],
    domain: &str,
) -> Result<Vec<std::result::Result<Row, Vec<RowError>>>> {
    let domain = domain.trim().trim_start_matches('@');
    if domain.is_empty() || domain.contains(['@', ' ', ':']) || !domain.contains('.') {
        return Err(Error::usage(format!(
            "--email-domain takes a domain like `example.com`, not `{}`",
            crate::model::printable(domain)
        )));
    }
    let text = |data: &[u8], file: &str| {
        std::str::from_utf8(data)
            .map(str::to_string)
            .map_err(|_| bad_input(format!("the {file} file is not UTF-8")))
    };
    let passwd = text(passwd, "passwd")?;
    let mut accounts = HashMap::new();
    for (i, line) in passwd.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split(':').collect();
        let uid = f.get(2).and_then(|u| u.parse::<u32>().ok());
        let (Some(uid), true) = (uid, f.len() >= 5) else {
            return Err(bad_input(format!(
                "passwd line {}: expected `login:x:uid:gid:gecos:home:shell`",
                i + 1
            )));
        };
        let full_name = f[4].split(',').next().unwrap_or("").trim().to_string();
        accounts.insert(f[0].to_string(), (uid, full_name));
    }
    let shadow = text(shadow, "shadow")?;
    let mut rows = Vec::new();
    for (i, line) in shadow.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let location = Location::Line(i as u64 + 1);
        let f: Vec<&str> = line.split(':').collect();
        if f.len() < 2 || f[0].is_empty() {
            return Err(bad_input(format!(
                "{location}: expected `login:password:lastchg:…` as in /etc/shadow (is this the shadow file?)"
            )));
        }
        let login = f[0];
        let Some((uid, full_name)) = accounts.get(login) else {
            rows.push(Err(vec![RowError {
                location,
                column: Some("login".into()),
                reason: "has no entry in the passwd file".into(),
            }]));
            continue;
        };
        if !(UID_MIN..=UID_MAX).contains(uid) {
            continue;
        }
        let mut fields = HashMap::new();
        let mut put = |k: &str, v: String| {
            fields.insert(k.to_string(), Field::Text(v));
        };
        put("email", format!("{login}@{domain}"));
        put("name", login.to_string());
        put("full_name", full_name.clone());
        let pw = f[1];
        let locked = pw.starts_with('!');
        let hash = pw.trim_start_matches('!');
        let has_hash = hash.starts_with('$');
        if has_hash {
            put("password_hash", hash.to_string());
        }
        let inactive = locked || !has_hash;
        put(
            "status",
            if inactive { "inactive" } else { "active" }.into(),
        );
        let forced = f.get(2).is_some_and(|d| d.trim() == "0");
        if forced || !has_hash {
            put("must_change_password", "true".into());
        }
        if let Some(days) = f.get(7).map(|d| d.trim()).filter(|d| !d.is_empty()) {
            match days
                .parse::<i64>()
                .ok()
                .and_then(|d| jiff::Timestamp::from_second(d.checked_mul(86_400)?).ok())
            {
                Some(at) => put("expires_at", at.to_string()),
                None => {
                    rows.push(Err(vec![RowError {
                        location,
                        column: Some("expire".into()),
                        reason: "expected a number of days since 1970-01-01".into(),
                    }]));
                    continue;
                }
            }
        }
        rows.push(row(location, fields).map(|mut r| {
            r.generate_password = !has_hash;
            r
        }));
    }
    Ok(rows)
}

/// A time from another system's history: RFC 3339, PostgreSQL's text form
/// (`2024-01-15 10:23:45.123+00`) or a date. (Planning refuses one in the future.)
fn past_time(
    raw: Option<String>,
    col: &str,
    err: &mut dyn FnMut(&str, String),
) -> Option<jiff::Timestamp> {
    let raw = raw?;
    let s = raw.trim();
    let parsed = s.parse::<jiff::Timestamp>().ok().or_else(|| {
        // PostgreSQL writes a bare `+00` offset.
        let padded = format!("{s}:00");
        padded.parse::<jiff::Timestamp>().ok()
    });
    let parsed = parsed.or_else(|| {
        s.parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp())
    });
    match parsed {
        Some(t) => Some(t),
        None => {
            err(
                col,
                "is not a time; use RFC 3339 (`2024-01-31T18:00:00Z`) or a date (`2024-01-31`)"
                    .into(),
            );
            None
        }
    }
}

/// Validates one record into a [`Row`], collecting every problem.
fn row(
    location: Location,
    fields: HashMap<String, Field>,
) -> std::result::Result<Row, Vec<RowError>> {
    row_with(location, fields, ReadOptions::default())
}

/// A date as spreadsheets write it in some locales — `01/31/2027` (month first, as
/// Excel and LibreOffice in the US), `31.01.2027` (day first, as in Germany), `1/31/27` —
/// as `2027-01-31`; anything else is left as it is. A slashed date that could be either
/// order is read month first unless `day_first`; one that can only be day first
/// (`31/01/2027`) without `day_first` is refused, so a file of day-first dates is not
/// half misread.
fn spreadsheet_date(raw: &str, day_first: bool) -> std::result::Result<String, String> {
    let s = raw.trim();
    let (sep, dotted) = if s.contains('/') {
        ('/', false)
    } else if s.contains('.') {
        ('.', true)
    } else {
        return Ok(raw.to_string());
    };
    let parts: Vec<&str> = s.split(sep).collect();
    let nums: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())?
        })
        .collect();
    let Some([a, b, y]) = nums.and_then(|n| <[u32; 3]>::try_from(n).ok()) else {
        return Ok(raw.to_string());
    };
    if !matches!(parts[2].len(), 2 | 4) || parts[0].len() > 2 || parts[1].len() > 2 {
        return Ok(raw.to_string());
    }
    let year = if parts[2].len() == 2 { 2000 + y } else { y };
    let (day, month) = if dotted || day_first {
        (a, b)
    } else if a > 12 && b <= 12 {
        return Err(format!(
            "`{s}` reads as day/month (there is no month {a}); say so with --day-first"
        ));
    } else {
        (b, a)
    };
    let date = i16::try_from(year)
        .ok()
        .and_then(|y| jiff::civil::Date::new(y, month as i8, day as i8).ok());
    match date {
        Some(d) => Ok(d.to_string()),
        None if dotted || day_first => Err(format!("`{s}` is not a date (day.month.year)")),
        None => Err(format!(
            "`{s}` is not a date (month/day/year; --day-first for day/month)"
        )),
    }
}

fn row_with(
    location: Location,
    mut fields: HashMap<String, Field>,
    opts: ReadOptions,
) -> std::result::Result<Row, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut text = |name: &str| -> Option<String> {
        match fields.remove(name) {
            Some(Field::Text(s)) if !s.is_empty() => Some(s),
            Some(Field::Text(_)) | None => None,
            Some(Field::List(_)) => {
                errors.push(RowError {
                    location: location.clone(),
                    column: Some(name.into()),
                    reason: "expected a single value, not a list".into(),
                });
                None
            }
        }
    };
    let email_raw = text("email");
    let name_raw = text("name");
    let role_raw = text("role");
    let status_raw = text("status");
    let password_raw = text("password");
    // Whitespace around a hash (a spreadsheet's padding) is not part of it.
    let hash_raw = text("password_hash").map(|h| h.trim().to_string());
    let full_name_raw = text("full_name");
    let phone_raw = text("phone");
    let must_raw = text("must_change_password");
    let expires_raw = text("expires_at");
    let created_raw = text("created_at");
    let last_login_raw = text("last_login_at");
    let packages_raw = match fields.remove("packages") {
        Some(Field::List(l)) => Some(l),
        Some(Field::Text(t)) => Some(
            t.split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        ),
        None => None,
    };
    let mut err = |column: &str, reason: String| {
        errors.push(RowError {
            location: location.clone(),
            column: Some(column.into()),
            reason,
        })
    };
    fn parsed<T: std::str::FromStr<Err = Error>>(
        raw: Option<String>,
        col: &str,
        err: &mut dyn FnMut(&str, String),
    ) -> Option<T> {
        raw.and_then(|r| match r.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                // The hint says what would be accepted (the date formats, say).
                err(
                    col,
                    match e.hint {
                        Some(h) => format!("{}; {h}", e.message),
                        None => e.message,
                    },
                );
                None
            }
        })
    }
    let email = match email_raw {
        None => {
            err("email", "is missing".into());
            None
        }
        Some(raw) => parsed::<Email>(Some(raw), "email", &mut err),
    };
    let name = parsed::<UserName>(name_raw, "name", &mut err);
    let role = role_raw.and_then(|r| match r.trim().to_lowercase().as_str() {
        "admin" => Some(Role::Admin),
        "user" => Some(Role::User),
        _ => {
            err(
                "role",
                format!("`{}` is not `admin` or `user`", crate::model::printable(&r)),
            );
            None
        }
    });
    let status = status_raw.and_then(|r| match r.trim().to_lowercase().as_str() {
        "active" => Some(Status::Active),
        "inactive" => Some(Status::Inactive),
        _ => {
            err(
                "status",
                format!(
                    "`{}` is not `active` or `inactive`",
                    crate::model::printable(&r)
                ),
            );
            None
        }
    });
    let packages = packages_raw.map(|names| {
        names
            .iter()
            .filter_map(|n| match n.parse::<PackageName>() {
                Ok(p) => Some(p),
                Err(e) => {
                    err("packages", e.message);
                    None
                }
            })
            .collect::<Vec<_>>()
    });
    if password_raw.is_some() && hash_raw.is_some() {
        err(
            "password_hash",
            "give `password` or `password_hash`, not both".into(),
        );
    }
    // A hash that cannot be verified is not a problem of the row yet: the flags decide
    // (--generate-passwords sets it aside, --unusable-hash says what the account gets).
    let (hash_raw, unusable) = match hash_raw {
        Some(h) => match crate::password::check_stored(&h) {
            Ok(()) => (Some(h), None),
            Err(why) => (None, Some(why)),
        },
        None => (None, None),
    };
    // A hash in the `password` column would become the password itself.
    if password_raw.as_deref().is_some_and(looks_like_a_hash) {
        err(
            "password",
            "this looks like a password hash; put it in the `password_hash` column".into(),
        );
    }
    let full_name = parsed::<FullName>(full_name_raw, "full_name", &mut err);
    let phone = parsed::<Phone>(phone_raw, "phone", &mut err);
    let must_change_password = must_raw.and_then(|r| match r.trim().to_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => {
            err(
                "must_change_password",
                format!("`{}` is not true or false", crate::model::printable(&r)),
            );
            None
        }
    });
    // Dates as spreadsheets write them become ISO dates first.
    let mut date = |raw: Option<String>, col: &str| {
        raw.and_then(|r| match spreadsheet_date(&r, opts.day_first) {
            Ok(d) => Some(d),
            Err(why) => {
                err(col, why);
                None
            }
        })
    };
    let expires_raw = date(expires_raw, "expires_at");
    let created_raw = date(created_raw, "created_at");
    let last_login_raw = date(last_login_raw, "last_login_at");
    let expires_at = parsed::<Expiry>(expires_raw, "expires_at", &mut err);
    let created_at = past_time(created_raw, "created_at", &mut err);
    let last_login_at = past_time(last_login_raw, "last_login_at", &mut err);
    match email {
        Some(email) if errors.is_empty() => Ok(Row {
            location,
            email,
            name,
            role,
            status,
            packages,
            password: password_raw.map(SecretString::from),
            password_hash: hash_raw,
            full_name,
            phone,
            must_change_password,
            expires_at,
            created_at,
            last_login_at,
            generate_password: false,
            unusable,
            note: None,
        }),
        _ => Err(errors),
    }
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
        assert!(parse(b"email,nickname\n", InputFormat::Csv, None).is_err());
        assert!(parse(b"email,name\n\"unterminated,x\n", InputFormat::Csv, None).is_err());
        assert!(parse(b"email,name\nb@example.com,\"bob\n", InputFormat::Csv, None).is_err());
        assert!(parse(
            b"email,name\nb@example.com,\"b\"\"ob\"\n",
            InputFormat::Csv,
            None
        )
        .is_ok());
        assert!(parse(
            b"email,name\nb@example.com,5\" screen\n",
            InputFormat::Csv,
            None
        )
        .is_ok());
        assert!(parse(
            b"email,name\n\"a@example.com\"x,a\n",
            InputFormat::Csv,
            None
        )
        .is_err());
        assert!(parse(
            b"email,name\r\n\"a@example.com\",\"a\"\r\n",
            InputFormat::Csv,
            None
        )
        .is_ok());
        assert!(parse(b"[{\"email\":\"a@b.co\",\"x\":1}]", InputFormat::Json, None).is_err());
        assert!(parse(b"{\"email\":1", InputFormat::Jsonl, None).is_err());
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
