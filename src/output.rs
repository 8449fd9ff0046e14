//! The only place that prints. Data goes to stdout in the chosen format (table for
//! people; json, jsonl, csv for scripts); warnings, errors and prompts go to stderr.
//! Lists stream row by row in json/jsonl/csv so memory does not grow with the store.

use std::io::{self, BufWriter, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};
use serde::Serialize;

use crate::cli::{ColorChoice, Format};
use crate::error::{Error, Result};
use crate::model::{Role, Status};
use crate::store::User;

pub struct Output {
    format: Format,
    /// `--format html`: only `review` writes HTML; everything else prints its table.
    html: bool,
    color_out: bool,
    color_err: bool,
    quiet: bool,
    stdout_tty: bool,
}

/// The stable JSON/CSV shape of a user. Secrets are not part of it.
#[derive(Serialize)]
pub struct UserView<'a> {
    pub id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub full_name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub role: Role,
    pub status: Status,
    pub packages: &'a [String],
    pub package_count: usize,
    pub must_change_password: bool,
    pub created_at: &'a str,
    pub updated_at: &'a str,
    pub last_login_at: Option<&'a str>,
    pub password_changed_at: Option<&'a str>,
    pub expires_at: Option<&'a str>,
    pub expired: bool,
    pub locked_until: Option<&'a str>,
}

impl<'a> From<&'a User> for UserView<'a> {
    fn from(u: &'a User) -> Self {
        UserView {
            id: u.id,
            email: &u.email,
            name: &u.name,
            full_name: u.full_name.as_deref(),
            phone: u.phone.as_deref(),
            role: u.role,
            status: u.status,
            packages: &u.packages,
            package_count: u.packages.len(),
            must_change_password: u.must_change_password,
            created_at: &u.created_at,
            updated_at: &u.updated_at,
            last_login_at: u.last_login_at.as_deref(),
            password_changed_at: u.password_changed_at.as_deref(),
            expires_at: u.expires_at.as_deref(),
            expired: u.expired,
            locked_until: u.locked_until.as_deref(),
        }
    }
}

const USER_CSV_HEADER: &[&str] = &[
    "id",
    "email",
    "name",
    "full_name",
    "phone",
    "role",
    "status",
    "packages",
    "package_count",
    "must_change_password",
    "created_at",
    "updated_at",
    "last_login_at",
    "password_changed_at",
    "expires_at",
    "expired",
    "locked_until",
];

fn user_csv_record(u: &User) -> Vec<String> {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        u.id.to_string(),
        u.email.clone(),
        u.name.clone(),
        o(&u.full_name),
        o(&u.phone),
        u.role.as_str().into(),
        u.status.as_str().into(),
        u.packages.join(";"),
        u.packages.len().to_string(),
        u.must_change_password.to_string(),
        u.created_at.clone(),
        u.updated_at.clone(),
        o(&u.last_login_at),
        o(&u.password_changed_at),
        o(&u.expires_at),
        u.expired.to_string(),
        o(&u.locked_until),
    ]
}

impl Output {
    pub fn new(
        format: Format,
        color: ColorChoice,
        quiet: bool,
        env_color: Option<bool>,
        stdout_tty: bool,
        stderr_tty: bool,
    ) -> Output {
        let decide = |tty: bool| match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env_color.unwrap_or(tty),
        };
        let html = format == Format::Html;
        Output {
            format: if html { Format::Table } else { format },
            html,
            color_out: decide(stdout_tty),
            color_err: decide(stderr_tty),
            quiet,
            stdout_tty,
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn is_html(&self) -> bool {
        self.html
    }

    /// Raw text on stdout (an HTML page).
    pub fn raw(&self, text: &str) -> Result<()> {
        let mut w = io::stdout().lock();
        w.write_all(text.as_bytes())?;
        w.flush()?;
        Ok(())
    }

    fn table(&self) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED);
        t.set_content_arrangement(ContentArrangement::Dynamic);
        if self.color_out {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        if !self.stdout_tty {
            // Not a terminal: never wrap to a guessed width.
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
        t
    }

    fn user_status_cell(&self, u: &User) -> Cell {
        if u.expired {
            return cell("✗ Expired").fg(Color::Red);
        }
        self.status_cell(u.status)
    }

    fn status_cell(&self, s: Status) -> Cell {
        match s {
            Status::Active => cell("✓ Active").fg(Color::Green),
            Status::Inactive => cell("✗ Inactive").fg(Color::Red),
        }
    }

    fn role_cell(&self, r: Role) -> Cell {
        match r {
            Role::Admin => cell(r.label()).add_attribute(Attribute::Bold),
            Role::User => cell(r.label()),
        }
    }

    /// Starts a list of users; rows are written as they are pushed.
    pub fn user_list(&self) -> UserList<'_> {
        let w = BufWriter::new(io::stdout().lock());
        let sink = match self.format {
            Format::Table | Format::Html => {
                let mut t = self.table();
                t.set_header(vec!["Name", "Email", "Role", "Status", "Packages"]);
                Sink::Table(t, w)
            }
            Format::Csv => Sink::Csv(CsvOut::new(w)),
            Format::Json => Sink::Json(w),
            Format::Jsonl => Sink::Jsonl(w),
        };
        UserList {
            out: self,
            sink,
            count: 0,
        }
    }

    /// One user, in full.
    pub fn user_detail(&self, u: &User, now: jiff::Timestamp) -> Result<()> {
        match self.format {
            Format::Table | Format::Html => {
                let mut t = self.table();
                let dash = || "-".to_string();
                let opt = |v: &Option<String>| v.clone().unwrap_or_else(dash);
                let mut status = self.status_cell(u.status);
                if u.is_expired(now) {
                    status = cell(format!(
                        "{} (expired)",
                        match u.status {
                            Status::Active => "✓ Active",
                            Status::Inactive => "✗ Inactive",
                        }
                    ))
                    .fg(Color::Red);
                }
                let rows: Vec<Vec<Cell>> = vec![
                    vec![cell("ID"), cell(u.id)],
                    vec![cell("Name"), cell(&u.name)],
                    vec![cell("Email"), cell(&u.email)],
                    vec![cell("Full name"), cell(opt(&u.full_name))],
                    vec![cell("Phone"), cell(opt(&u.phone))],
                    vec![cell("Role"), self.role_cell(u.role)],
                    vec![cell("Status"), status],
                    vec![
                        cell("Packages"),
                        cell(if u.packages.is_empty() {
                            dash()
                        } else {
                            u.packages.join(", ")
                        }),
                    ],
                    vec![
                        cell("Must change password"),
                        cell(if u.must_change_password { "yes" } else { "no" }),
                    ],
                    vec![cell("Created"), cell(&u.created_at)],
                    vec![cell("Updated"), cell(&u.updated_at)],
                    vec![
                        cell("Last login"),
                        cell(u.last_login_at.clone().unwrap_or_else(|| "never".into())),
                    ],
                    vec![cell("Password changed"), cell(opt(&u.password_changed_at))],
                    vec![
                        cell("Expires"),
                        cell(u.expires_at.clone().unwrap_or_else(|| "never".into())),
                    ],
                    vec![
                        cell("Locked until"),
                        cell(u.locked_until(now).unwrap_or("-")),
                    ],
                ];
                for r in rows {
                    t.add_row(r);
                }
                self.print_line(&t.to_string())
            }
            _ => self.objects(&[u], false),
        }
    }

    /// Reports users a command changed: a line each in table format (`deactivated
    /// alice@example.com`), the resulting objects otherwise. `many` prints a JSON array
    /// even for one user, for commands that take several targets.
    pub fn changed(&self, verb: &str, users: &[User], many: bool) -> Result<()> {
        match self.format {
            Format::Table | Format::Html => {
                if self.quiet {
                    return Ok(());
                }
                let mut w = io::stdout().lock();
                for u in users {
                    writeln!(w, "{verb} {}", u.email)?;
                }
                Ok(())
            }
            _ => {
                let refs: Vec<&User> = users.iter().collect();
                self.objects(&refs, many)
            }
        }
    }

    fn objects(&self, users: &[&User], many: bool) -> Result<()> {
        let mut w = BufWriter::new(io::stdout().lock());
        match self.format {
            Format::Json if many || users.len() != 1 => {
                let views: Vec<UserView<'_>> = users.iter().map(|u| UserView::from(*u)).collect();
                serde_json::to_writer_pretty(&mut w, &views)?;
                writeln!(w)?;
            }
            Format::Json => {
                serde_json::to_writer_pretty(&mut w, &UserView::from(users[0]))?;
                writeln!(w)?;
            }
            Format::Jsonl => {
                for u in users {
                    serde_json::to_writer(&mut w, &UserView::from(*u))?;
                    writeln!(w)?;
                }
            }
            Format::Csv => {
                let mut c = CsvOut::new(&mut w);
                c.record(USER_CSV_HEADER)?;
                for u in users {
                    c.record(user_csv_record(u))?;
                }
                c.flush()?;
            }
            Format::Table | Format::Html => {}
        }
        w.flush()?;
        Ok(())
    }

    /// A free-form JSON document for json/jsonl; the `lines` for table and csv.
    pub fn record(&self, value: &serde_json::Value, lines: &[String]) -> Result<()> {
        let mut w = io::stdout().lock();
        match self.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut w, value)?;
                writeln!(w)?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut w, value)?;
                writeln!(w)?;
            }
            Format::Table | Format::Html | Format::Csv => {
                for l in lines {
                    writeln!(w, "{}", escape_controls(l))?;
                }
            }
        }
        Ok(())
    }

    /// A generic list: a table of `rows` under `headers` for people and csv, the JSON
    /// `items` (one per row) for json and jsonl.
    pub fn rows(
        &self,
        headers: &[&str],
        rows: &[Vec<String>],
        items: &[serde_json::Value],
    ) -> Result<()> {
        let mut w = BufWriter::new(io::stdout().lock());
        match self.format {
            Format::Table | Format::Html => {
                if rows.is_empty() {
                    self.note("nothing to show");
                } else {
                    let mut t = self.table();
                    t.set_header(headers.to_vec());
                    for r in rows {
                        t.add_row(r.iter().map(|c| self.styled(c)).collect::<Vec<_>>());
                    }
                    writeln!(w, "{t}")?;
                }
            }
            Format::Csv => {
                let mut c = CsvOut::new(&mut w);
                c.record(headers)?;
                for r in rows {
                    c.record(r)?;
                }
                c.flush()?;
            }
            Format::Json => {
                serde_json::to_writer_pretty(&mut w, items)?;
                writeln!(w)?;
            }
            Format::Jsonl => {
                for i in items {
                    serde_json::to_writer(&mut w, i)?;
                    writeln!(w)?;
                }
            }
        }
        w.flush()?;
        Ok(())
    }

    /// One object: a two-column table of `pairs` for people, the JSON `value` otherwise
    /// (csv: a header row of the keys and one row of values).
    pub fn object(&self, pairs: &[(&str, String)], value: &serde_json::Value) -> Result<()> {
        let mut w = BufWriter::new(io::stdout().lock());
        match self.format {
            Format::Table | Format::Html => {
                let mut t = self.table();
                for (k, v) in pairs {
                    t.add_row(vec![cell(k), self.styled(v)]);
                }
                writeln!(w, "{t}")?;
            }
            Format::Csv => {
                let mut c = CsvOut::new(&mut w);
                c.record(pairs.iter().map(|(k, _)| *k))?;
                c.record(pairs.iter().map(|(_, v)| v.as_str()))?;
                c.flush()?;
            }
            Format::Json => {
                serde_json::to_writer_pretty(&mut w, value)?;
                writeln!(w)?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut w, value)?;
                writeln!(w)?;
            }
        }
        w.flush()?;
        Ok(())
    }

    /// Colours the cells that carry a status.
    fn styled(&self, text: &str) -> Cell {
        match text {
            "✓ Active" => cell(text).fg(Color::Green),
            "✗ Inactive" => cell(text).fg(Color::Red),
            "Admin" => cell(text).add_attribute(Attribute::Bold),
            _ => cell(text),
        }
    }

    /// Lines on stdout in table format (`assigned north to alice@example.com`); the JSON
    /// `items` otherwise. `--quiet` silences the lines, not the data formats.
    pub fn changes(&self, lines: &[String], items: &[serde_json::Value]) -> Result<()> {
        match self.format {
            Format::Table | Format::Html => {
                if !self.quiet {
                    let mut w = io::stdout().lock();
                    for l in lines {
                        writeln!(w, "{}", escape_controls(l))?;
                    }
                }
                Ok(())
            }
            _ => self.rows_from_items(items),
        }
    }

    fn rows_from_items(&self, items: &[serde_json::Value]) -> Result<()> {
        if self.format != Format::Csv {
            return self.rows(&[], &[], items);
        }
        // CSV of flat objects: the keys of the first one are the header.
        let headers: Vec<String> = items
            .first()
            .and_then(|i| i.as_object())
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|i| headers.iter().map(|h| csv_cell(&i[h])).collect())
            .collect();
        let hdr: Vec<&str> = headers.iter().map(String::as_str).collect();
        self.rows(&hdr, &rows, items)
    }

    /// A line of data on stdout, whatever the format (a token, a generated password).
    pub fn print_line(&self, s: &str) -> Result<()> {
        writeln!(io::stdout().lock(), "{s}")?;
        Ok(())
    }

    /// A note for people on stderr; `--quiet` silences it.
    pub fn note(&self, msg: &str) {
        if !self.quiet {
            let _ = writeln!(io::stderr().lock(), "{msg}");
        }
    }

    /// A line of an error's detail on stderr (a bad import row); never silenced.
    pub fn detail(&self, msg: &str) {
        let _ = writeln!(io::stderr().lock(), "{msg}");
    }

    /// A label on stderr, in `style` when stderr gets colour.
    fn label(&self, text: &str, style: Style) -> String {
        if self.color_err {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn warn(&self, msg: &str) {
        if self.quiet {
            return;
        }
        let label = self.label(
            "warning:",
            Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        );
        let _ = writeln!(io::stderr().lock(), "{label} {msg}");
    }

    /// Renders an error: `error:` and `hint:` lines, and with json formats also one JSON
    /// object on the last line of stderr.
    pub fn error(&self, e: &Error) {
        let mut w = io::stderr().lock();
        let err = self.label(
            "error:",
            Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        );
        let hint = self.label("hint:", Style::new().fg_color(Some(AnsiColor::Cyan.into())));
        let _ = writeln!(w, "{err} {}", e.message);
        if let Some(h) = &e.hint {
            let _ = writeln!(w, "{hint} {h}");
        }
        if matches!(self.format, Format::Json | Format::Jsonl) {
            let obj = serde_json::json!({
                "error": { "kind": e.kind.name(), "message": e.message, "hint": e.hint }
            });
            let _ = writeln!(w, "{obj}");
        }
    }
}

/// A table cell. Text in tables came from people (names, descriptions, the targets of
/// denied commands) and goes to a terminal: control and invisible formatting characters
/// are shown escaped (`\u{1b}`), never sent.
fn cell(text: impl ToString) -> Cell {
    Cell::new(escape_controls(&text.to_string()))
}

/// `text` with every control, line-breaking or invisible formatting character written
/// as a `\u{…}` escape.
pub fn escape_controls(text: &str) -> String {
    use crate::model::{breaks_lines, is_deceptive};
    if !text.chars().any(|c| breaks_lines(c) || is_deceptive(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if breaks_lines(c) || is_deceptive(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The one CSV writer. A cell that a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading `'`, which
/// spreadsheets show as text; `user import` takes the `'` off again.
pub struct CsvOut<W: Write>(csv::Writer<W>);

impl<W: Write> CsvOut<W> {
    pub fn new(w: W) -> Self {
        CsvOut(csv::Writer::from_writer(w))
    }

    pub fn record<I, T>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.0.write_record(
            cells
                .into_iter()
                .map(|c| neutralize(c.as_ref()).into_owned()),
        )?;
        Ok(())
    }

    pub fn flush(&mut self) -> Result<()> {
        self.0.flush()?;
        Ok(())
    }
}

fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// A CSV cell as written: formula-like text gets a leading `'`.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if formula_start(c) => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A CSV cell as read back: the `'` that [`neutralize`] added is taken off.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.chars().next().is_some_and(formula_start) => rest,
        _ => cell,
    }
}

/// A JSON value as one CSV cell: strings as they are, arrays joined with `;`, null empty.
pub fn csv_cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(csv_cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// "✓ Active" / "✗ Inactive", the words people see for a status.
pub fn status_label(s: Status) -> &'static str {
    match s {
        Status::Active => "✓ Active",
        Status::Inactive => "✗ Inactive",
    }
}

/// A value a domain type refused while clap parsed the command line (before the printer
/// exists): `error: --email: invalid email …` and its hint.
pub fn clap_value_error(arg: &str, e: &Error) {
    let mut w = io::stderr().lock();
    let _ = writeln!(w, "error: {arg}: {}", e.message);
    if let Some(h) = &e.hint {
        let _ = writeln!(w, "hint: {h}");
    }
}

/// A user list being written; see [`Output::user_list`].
pub struct UserList<'a> {
    out: &'a Output,
    sink: Sink,
    count: u64,
}

type Stdout = BufWriter<io::StdoutLock<'static>>;

enum Sink {
    /// A table needs every row to size its columns; json/jsonl/csv stream.
    Table(Table, Stdout),
    Json(Stdout),
    Jsonl(Stdout),
    Csv(CsvOut<Stdout>),
}

impl UserList<'_> {
    pub fn push(&mut self, u: &User) -> Result<()> {
        match &mut self.sink {
            Sink::Table(t, _) => {
                t.add_row(vec![
                    cell(&u.name),
                    cell(&u.email),
                    self.out.role_cell(u.role),
                    self.out.user_status_cell(u),
                    cell(u.packages.len()),
                ]);
            }
            Sink::Json(w) => {
                w.write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *w, &UserView::from(u))?;
            }
            Sink::Jsonl(w) => {
                serde_json::to_writer(&mut *w, &UserView::from(u))?;
                w.write_all(b"\n")?;
            }
            Sink::Csv(c) => {
                if self.count == 0 {
                    c.record(USER_CSV_HEADER)?;
                }
                c.record(user_csv_record(u))?;
            }
        }
        self.count += 1;
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        match self.sink {
            Sink::Table(t, mut w) => {
                if self.count == 0 {
                    self.out.note("no users match");
                } else {
                    writeln!(w, "{t}")?;
                }
                w.flush()?;
            }
            Sink::Json(mut w) => {
                w.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
                w.flush()?;
            }
            Sink::Jsonl(mut w) => w.flush()?,
            Sink::Csv(mut c) => {
                if self.count == 0 {
                    c.record(USER_CSV_HEADER)?;
                }
                c.flush()?;
            }
        }
        Ok(())
    }
}
