//! The only place that prints. Data goes to stdout in the chosen format (table for
//! people; json, jsonl, csv for scripts); warnings, errors and prompts go to stderr.
//!
//! [`Output`] owns both streams as injected writers, so `run` can be driven in-process
//! and every byte passes here: control characters are escaped in tables, CSV cells are
//! neutralised against spreadsheet formulas, and lists stream through one [`List`]
//! writer, row by row, in json/jsonl/csv, so memory does not grow with the store.
//! JSON is compact: one object per line, arrays one element per line.

use std::cell::{RefCell, RefMut};
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{
    presets, Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width,
};
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Role, Status};
use crate::store::{User, UserBrief};

/// How data is printed: a table for people, or a format for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Jsonl,
    Csv,
    /// One self-contained page (`review` only, so not listed elsewhere)
    #[value(hide = true)]
    Html,
}

/// Whether output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub struct Output {
    format: Format,
    /// `--format html`: only `review` writes HTML; everything else prints its table.
    html: bool,
    color_out: bool,
    color_err: bool,
    quiet: bool,
    stdout_tty: bool,
    out: RefCell<Box<dyn Write>>,
    err: RefCell<Box<dyn Write>>,
}

/// The stable JSON/CSV shape of a user — the one every user record comes from. Secrets
/// are not part of it.
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

/// The fields of a user that `user import` reads and `user export` writes, in order; an
/// audit entry's before/after compares the same fields.
pub const USER_IMPORT_FIELDS: &[&str] = &[
    "email",
    "name",
    "full_name",
    "phone",
    "role",
    "status",
    "packages",
    "must_change_password",
    "expires_at",
];

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

impl UserView<'_> {
    /// The whole record as a JSON object.
    pub fn json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Only `fields` of the record, in that order.
    pub fn only(&self, fields: &[&str]) -> Value {
        let all = self.json();
        Value::Object(
            fields
                .iter()
                .map(|f| (f.to_string(), all[*f].clone()))
                .collect(),
        )
    }
}

/// A writer onto one of the output's streams, for formatters that want `impl Write`.
pub struct Stream<'a>(&'a RefCell<Box<dyn Write>>);

impl Write for Stream<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

impl Output {
    /// `out` and `err` receive everything: the real streams in the binary, buffers in
    /// tests.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        format: Format,
        color: ColorChoice,
        quiet: bool,
        env_color: Option<bool>,
        stdout_tty: bool,
        stderr_tty: bool,
        out: Box<dyn Write>,
        err: Box<dyn Write>,
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
            out: RefCell::new(out),
            err: RefCell::new(err),
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn is_html(&self) -> bool {
        self.html
    }

    /// Standard output, as a writer.
    pub fn stdout(&self) -> Stream<'_> {
        Stream(&self.out)
    }

    fn out(&self) -> RefMut<'_, Box<dyn Write>> {
        self.out.borrow_mut()
    }

    /// Standard error, after what is pending on standard output, so the two stay in
    /// order on a terminal.
    fn err(&self) -> RefMut<'_, Box<dyn Write>> {
        let _ = self.out().flush();
        self.err.borrow_mut()
    }

    /// Writes out whatever is buffered; the binary calls it last.
    pub fn flush(&self) -> Result<()> {
        self.out().flush()?;
        self.err.borrow_mut().flush()?;
        Ok(())
    }

    /// Raw text on stdout (an HTML page, a completion script).
    pub fn raw(&self, text: &str) -> Result<()> {
        self.out().write_all(text.as_bytes())?;
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

    /// Starts a list: rows are written as they are pushed (a table collects them to size
    /// its columns). In CSV the columns are the table's, or with
    /// [`List::csv_from_items`] the fields of each JSON item.
    pub fn list(&self, headers: &[&str]) -> List<'_> {
        self.list_in(self.format, headers)
    }

    /// [`Output::list`] in a given format (`user export` writes CSV for a table).
    pub fn list_in(&self, format: Format, headers: &[&str]) -> List<'_> {
        let sink = match format {
            Format::Table | Format::Html if !self.stdout_tty && !self.color_out => Sink::Plain {
                rows: vec![headers.iter().map(|h| h.to_string()).collect()],
                widths: Vec::new(),
            },
            Format::Table | Format::Html => {
                let mut t = self.table();
                t.set_header(headers.to_vec());
                Sink::Table(t)
            }
            Format::Csv => Sink::Csv {
                w: CsvOut::new(self.stdout()),
                from_items: None,
            },
            Format::Json => Sink::Json,
            Format::Jsonl => Sink::Jsonl,
        };
        List {
            out: self,
            sink,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            show_headers: true,
            minimums: Vec::new(),
            count: 0,
            empty_note: "nothing to show",
        }
    }

    /// Starts a list of users: the default columns in a table, the whole [`UserView`]
    /// otherwise.
    pub fn user_list(&self) -> UserList<'_> {
        self.user_list_as(&UserListShape {
            columns: None,
            headers: true,
            now: None,
        })
    }

    /// One user, in full.
    pub fn user_detail(&self, u: &User, now: jiff::Timestamp) -> Result<()> {
        if !matches!(self.format, Format::Table | Format::Html) {
            return self.users(&[u], false);
        }
        let mut t = self.table();
        let dash = || "-".to_string();
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(dash);
        let mut status = self.status_cell(u.status);
        if u.is_expired(now) {
            status = cell(format!("{} (expired)", status_label(u.status))).fg(Color::Red);
        }
        let packages = if u.packages.is_empty() {
            dash()
        } else {
            u.packages.join(", ")
        };
        let rows: Vec<Vec<Cell>> = vec![
            vec![cell("ID"), cell(u.id)],
            vec![cell("Name"), cell(&u.name)],
            vec![cell("Email"), cell(&u.email)],
            vec![cell("Full name"), cell(opt(&u.full_name))],
            vec![cell("Phone"), cell(opt(&u.phone))],
            vec![cell("Role"), self.role_cell(u.role)],
            vec![cell("Status"), status],
            vec![cell("Packages"), cell(packages)],
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

    /// Reports users a command changed: a line each in table format (`deactivated
    /// alice@example.com`), the resulting objects otherwise. `many` prints a JSON array
    /// even for one user, for commands that take several targets.
    pub fn changed(&self, verb: &str, users: &[User], many: bool) -> Result<()> {
        if matches!(self.format, Format::Table | Format::Html) {
            if !self.quiet {
                for u in users {
                    self.print_line(&format!("{verb} {}", u.email))?;
                }
            }
            return Ok(());
        }
        let refs: Vec<&User> = users.iter().collect();
        self.users(&refs, many)
    }

    /// Users as data: one JSON object, or a list.
    fn users(&self, users: &[&User], many: bool) -> Result<()> {
        if self.format == Format::Json && !many && users.len() == 1 {
            return self.json_line(&UserView::from(users[0]));
        }
        let mut list = self.user_list();
        for u in users {
            list.push(u)?;
        }
        list.finish()
    }

    /// One JSON value on a line of its own.
    fn json_line(&self, value: &impl Serialize) -> Result<()> {
        let mut w = self.out();
        serde_json::to_writer(&mut *w, value)?;
        w.write_all(b"\n")?;
        Ok(())
    }

    /// A free-form JSON document for json/jsonl; the `lines` for table and csv.
    pub fn record(&self, value: &Value, lines: &[String]) -> Result<()> {
        match self.format {
            Format::Json | Format::Jsonl => self.json_line(value),
            Format::Table | Format::Html | Format::Csv => {
                for l in lines {
                    self.print_line(&escape_controls(l))?;
                }
                Ok(())
            }
        }
    }

    /// A whole list at once: `rows` under `headers` in a table and in CSV, the JSON
    /// `items` (one per row) otherwise.
    pub fn rows(&self, headers: &[&str], rows: &[Vec<String>], items: &[Value]) -> Result<()> {
        let mut list = self.list(headers);
        for (r, i) in rows.iter().zip(items) {
            list.push(r.clone(), i)?;
        }
        list.finish()
    }

    /// One object: a two-column table of `pairs` for people, the JSON `value` otherwise
    /// (csv: a header row of the keys and one row of values).
    pub fn object(&self, pairs: &[(&str, String)], value: &Value) -> Result<()> {
        match self.format {
            Format::Table | Format::Html => {
                let mut t = self.table();
                for (k, v) in pairs {
                    t.add_row(vec![cell(k), self.styled(v)]);
                }
                self.print_line(&t.to_string())
            }
            Format::Csv => {
                let mut c = CsvOut::new(self.stdout());
                c.record(pairs.iter().map(|(k, _)| *k))?;
                c.record(pairs.iter().map(|(_, v)| v.as_str()))?;
                c.flush()
            }
            Format::Json | Format::Jsonl => self.json_line(value),
        }
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
    /// `items` otherwise (CSV: their fields). `--quiet` silences the lines, not the data.
    pub fn changes(&self, lines: &[String], items: &[Value]) -> Result<()> {
        if matches!(self.format, Format::Table | Format::Html) {
            if !self.quiet {
                for l in lines {
                    self.print_line(&escape_controls(l))?;
                }
            }
            return Ok(());
        }
        let mut list = self.list(&[]).csv_from_items(&[]);
        for i in items {
            list.push(Vec::new(), i)?;
        }
        list.finish()
    }

    /// A line of data on stdout, whatever the format (a token, a generated password).
    pub fn print_line(&self, s: &str) -> Result<()> {
        writeln!(self.out(), "{s}")?;
        Ok(())
    }

    /// A note for people on stderr; `--quiet` silences it.
    pub fn note(&self, msg: &str) {
        if !self.quiet {
            let _ = writeln!(self.err(), "{msg}");
        }
    }

    /// A line of an error's detail on stderr (a bad import row); never silenced.
    pub fn detail(&self, msg: &str) {
        let _ = writeln!(self.err(), "{msg}");
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
        let _ = writeln!(self.err(), "{label} {msg}");
    }

    /// Renders an error: `error:` and `hint:` lines, and with json formats also one JSON
    /// object on the last line of stderr.
    pub fn error(&self, e: &Error) {
        let err = self.label(
            "error:",
            Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        );
        let hint = self.label("hint:", Style::new().fg_color(Some(AnsiColor::Cyan.into())));
        let mut w = self.err();
        let _ = writeln!(w, "{err} {}", e.message);
        if let Some(h) = &e.hint {
            let _ = writeln!(w, "{hint} {h}");
        }
        if matches!(self.format, Format::Json | Format::Jsonl) {
            let mut obj = serde_json::json!({
                "error": { "kind": e.kind.name(), "message": e.message, "hint": e.hint }
            });
            if !e.problems.is_empty() {
                obj["error"]["problems"] = serde_json::json!(e.problems);
            }
            let _ = writeln!(w, "{obj}");
        }
    }
}

/// A JSON object written as it goes: fields, then arrays streamed element by element
/// (`json`: one element per line; `jsonl`: the whole object on one line).
pub struct JsonObject<'a> {
    out: &'a Output,
    fields: u64,
    sep: &'static [u8],
}

impl Output {
    /// Starts a JSON object on stdout; see [`JsonObject`].
    pub fn json_object(&self) -> JsonObject<'_> {
        JsonObject {
            out: self,
            fields: 0,
            sep: if self.format == Format::Jsonl {
                b","
            } else {
                b",\n"
            },
        }
    }
}

impl<'a> JsonObject<'a> {
    fn key(&mut self, key: &str) -> Result<()> {
        let mut w = self.out.out();
        w.write_all(if self.fields == 0 { b"{" } else { self.sep })?;
        serde_json::to_writer(&mut *w, key)?;
        w.write_all(b":")?;
        self.fields += 1;
        Ok(())
    }

    pub fn field(&mut self, key: &str, value: &impl Serialize) -> Result<()> {
        self.key(key)?;
        serde_json::to_writer(&mut *self.out.out(), value)?;
        Ok(())
    }

    /// An array field; push its elements, then finish it.
    pub fn array(&mut self, key: &str) -> Result<JsonArray<'a>> {
        self.key(key)?;
        self.out.raw("[")?;
        Ok(JsonArray {
            out: self.out,
            count: 0,
            sep: self.sep,
        })
    }

    pub fn finish(self) -> Result<()> {
        self.out.raw(if self.fields == 0 { "{}\n" } else { "}\n" })
    }
}

/// An array inside a [`JsonObject`].
pub struct JsonArray<'a> {
    out: &'a Output,
    count: u64,
    sep: &'static [u8],
}

impl JsonArray<'_> {
    pub fn push(&mut self, item: &impl Serialize) -> Result<()> {
        let mut w = self.out.out();
        if self.count > 0 {
            w.write_all(self.sep)?;
        } else if self.sep != b"," {
            w.write_all(b"\n")?;
        }
        serde_json::to_writer(&mut *w, item)?;
        self.count += 1;
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        let end = if self.count > 0 && self.sep != b"," {
            "\n]"
        } else {
            "]"
        };
        self.out.raw(end)
    }
}

/// Rows a table holds before it is printed and a new one begun: a table must see its
/// rows to size its columns, so a long list is printed in tables of this many rows,
/// like `ps` and `kubectl` do, and memory stays bounded.
const TABLE_PAGE: u64 = 500;

/// The columns of a user in CSV: every field of [`UserView`], in order.
const USER_CSV_FIELDS: [&str; 17] = [
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

/// A list being written; see [`Output::list`].
pub struct List<'a> {
    out: &'a Output,
    sink: Sink<'a>,
    headers: Vec<String>,
    /// `--no-headers`: rows only, for `cut` and `while read`.
    show_headers: bool,
    /// Columns that keep at least this width on a narrow terminal.
    minimums: Vec<(usize, Width)>,
    count: u64,
    empty_note: &'static str,
}

enum Sink<'a> {
    /// A table needs every row to size its columns; json/jsonl/csv stream.
    Table(Table),
    /// Not a terminal and no colour: aligned columns without box drawing, a page of rows
    /// at a time (`widths` only grow, so pages line up as far as they can).
    Plain {
        rows: Vec<Vec<String>>,
        widths: Vec<usize>,
    },
    Json,
    Jsonl,
    /// `from_items`: CSV columns are these fields of each item (the first item's keys
    /// when empty), not the table's.
    Csv {
        w: CsvOut<Stream<'a>>,
        from_items: Option<Vec<String>>,
    },
}

impl<'a> List<'a> {
    /// In CSV, write `fields` of each JSON item rather than the table's cells (all of
    /// the first item's fields when `fields` is empty).
    pub fn csv_from_items(mut self, fields: &[&str]) -> Self {
        if let Sink::Csv { from_items, .. } = &mut self.sink {
            *from_items = Some(fields.iter().map(|f| f.to_string()).collect());
        }
        self
    }

    /// On a narrow terminal, column `index` keeps at least `width` (the others wrap
    /// first): a date that should not break, free text that needs room.
    pub fn column_min(mut self, index: usize, width: Width) -> Self {
        self.minimums.push((index, width));
        if let Sink::Table(t) = &mut self.sink {
            Self::constrain(t, &self.minimums);
        }
        self
    }

    fn constrain(t: &mut Table, minimums: &[(usize, Width)]) {
        for (i, w) in minimums {
            if let Some(c) = t.column_mut(*i) {
                c.set_constraint(ColumnConstraint::LowerBoundary(*w));
            }
        }
    }

    /// No header row in a table or CSV.
    pub fn without_headers(mut self) -> Self {
        self.show_headers = false;
        match &mut self.sink {
            Sink::Plain { rows, .. } => rows.clear(),
            Sink::Table(t) => *t = self.out.table(),
            _ => {}
        }
        self
    }

    /// What a table says on stderr when there are no rows.
    pub fn when_empty(mut self, note: &'static str) -> Self {
        self.empty_note = note;
        self
    }

    /// A row: `cells` for a table (and CSV), `item` for JSON.
    pub fn push(&mut self, cells: Vec<String>, item: &impl Serialize) -> Result<()> {
        let styled: Vec<Cell> = match &self.sink {
            Sink::Table(_) => cells.iter().map(|c| self.out.styled(c)).collect(),
            _ => Vec::new(),
        };
        self.push_cells(styled, cells, item)
    }

    /// Writes the plain rows held so far, aligned, and forgets them.
    fn flush_plain(
        out: &Output,
        rows: &mut Vec<Vec<String>>,
        widths: &mut Vec<usize>,
    ) -> Result<()> {
        use unicode_width::UnicodeWidthStr;
        for r in rows.iter_mut() {
            for (i, c) in r.iter_mut().enumerate() {
                *c = escape_controls(c);
                if widths.len() <= i {
                    widths.push(0);
                }
                widths[i] = widths[i].max(c.width());
            }
        }
        let mut w = out.out();
        for r in rows.drain(..) {
            let last = r.len().saturating_sub(1);
            for (i, c) in r.iter().enumerate() {
                w.write_all(c.as_bytes())?;
                if i < last {
                    let pad = widths[i] - c.width() + 2;
                    w.write_all(&b" ".repeat(pad))?;
                }
            }
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    fn push_cells(
        &mut self,
        styled: Vec<Cell>,
        cells: Vec<String>,
        item: &impl Serialize,
    ) -> Result<()> {
        let first = self.count == 0;
        self.count += 1;
        match &mut self.sink {
            Sink::Table(t) => {
                t.add_row(styled);
                if self.count % TABLE_PAGE == 0 {
                    let mut next = self.out.table();
                    if self.show_headers {
                        next.set_header(self.headers.clone());
                    }
                    Self::constrain(&mut next, &self.minimums);
                    let full = std::mem::replace(t, next);
                    self.out.print_line(&full.to_string())?;
                }
                Ok(())
            }
            Sink::Plain { rows, widths } => {
                rows.push(cells);
                if self.count % TABLE_PAGE == 0 {
                    Self::flush_plain(self.out, rows, widths)?;
                }
                Ok(())
            }
            Sink::Json => {
                let mut w = self.out.out();
                w.write_all(if first { b"[\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *w, item)?;
                Ok(())
            }
            Sink::Jsonl => self.out.json_line(item),
            Sink::Csv {
                w,
                from_items: None,
            } => {
                if first && self.show_headers {
                    w.record(&self.headers)?;
                }
                w.record(&cells)
            }
            Sink::Csv {
                w,
                from_items: Some(fields),
            } => {
                let v = serde_json::to_value(item)?;
                if fields.is_empty() {
                    *fields = v
                        .as_object()
                        .map(|o| o.keys().cloned().collect())
                        .unwrap_or_default();
                }
                if first && self.show_headers {
                    w.record(fields.iter())?;
                }
                w.record(fields.iter().map(|f| csv_cell(&v[f])))
            }
        }
    }

    pub fn finish(self) -> Result<()> {
        match self.sink {
            Sink::Table(t) => {
                if self.count == 0 {
                    self.out.note(self.empty_note);
                    Ok(())
                } else if self.count % TABLE_PAGE == 0 {
                    Ok(()) // the last page is out already
                } else {
                    self.out.print_line(&t.to_string())
                }
            }
            Sink::Plain {
                mut rows,
                mut widths,
            } => {
                if self.count == 0 {
                    self.out.note(self.empty_note);
                    return Ok(());
                }
                Self::flush_plain(self.out, &mut rows, &mut widths)
            }
            Sink::Json => self.out.raw(if self.count == 0 { "[]\n" } else { "\n]\n" }),
            Sink::Jsonl => Ok(()),
            Sink::Csv { mut w, from_items } => {
                if self.count == 0 && self.show_headers {
                    match from_items {
                        None => w.record(&self.headers)?,
                        Some(f) if !f.is_empty() => w.record(&f)?,
                        Some(_) => {}
                    }
                }
                w.flush()
            }
        }
    }
}

/// A column of `user list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UserColumn {
    Id,
    Name,
    Email,
    FullName,
    Phone,
    Role,
    Status,
    /// How many packages in a table; their names in CSV and JSON
    Packages,
    LastLogin,
    Created,
    Expires,
}

impl UserColumn {
    /// What a table of users shows unless `--columns` says otherwise.
    pub const DEFAULT: [UserColumn; 7] = [
        UserColumn::Id,
        UserColumn::Name,
        UserColumn::Email,
        UserColumn::Role,
        UserColumn::Status,
        UserColumn::Packages,
        UserColumn::LastLogin,
    ];

    fn header(self) -> &'static str {
        match self {
            UserColumn::Id => "ID",
            UserColumn::Name => "Name",
            UserColumn::Email => "Email",
            UserColumn::FullName => "Full name",
            UserColumn::Phone => "Phone",
            UserColumn::Role => "Role",
            UserColumn::Status => "Status",
            UserColumn::Packages => "Packages",
            UserColumn::LastLogin => "Last login",
            UserColumn::Created => "Created",
            UserColumn::Expires => "Expires",
        }
    }

    /// The [`UserView`] field it shows, for CSV and JSON.
    fn field(self) -> &'static str {
        match self {
            UserColumn::Id => "id",
            UserColumn::Name => "name",
            UserColumn::Email => "email",
            UserColumn::FullName => "full_name",
            UserColumn::Phone => "phone",
            UserColumn::Role => "role",
            UserColumn::Status => "status",
            UserColumn::Packages => "packages",
            UserColumn::LastLogin => "last_login_at",
            UserColumn::Created => "created_at",
            UserColumn::Expires => "expires_at",
        }
    }

    /// Whether a [`UserBrief`] holds it.
    fn in_brief(self) -> bool {
        !matches!(
            self,
            UserColumn::FullName | UserColumn::Phone | UserColumn::Created | UserColumn::Expires
        )
    }
}

/// What keeps a user out, in a table: an inactive account first (an admin's choice),
/// then an expired one, then a lockout by failed logins.
fn user_status_label(status: Status, expired: bool, locked: bool) -> &'static str {
    match (status, expired, locked) {
        (Status::Inactive, _, _) => "✗ Inactive",
        (_, true, _) => "✗ Expired",
        (_, _, true) => "✗ Locked",
        (Status::Active, _, _) => "✓ Active",
    }
}

/// How `user list` shows its users; see [`Output::user_list_as`].
pub struct UserListShape<'a> {
    /// `--columns`; `None` is the default (every field in CSV and JSON).
    pub columns: Option<&'a [UserColumn]>,
    pub headers: bool,
    /// Now, to tell a lockout that is still on (none: no lockout is shown).
    pub now: Option<jiff::Timestamp>,
}

impl Output {
    /// A list of users shaped by `user list`'s flags.
    pub fn user_list_as(&self, shape: &UserListShape<'_>) -> UserList<'_> {
        let columns: Vec<UserColumn> = shape
            .columns
            .map(<[UserColumn]>::to_vec)
            .unwrap_or_else(|| UserColumn::DEFAULT.to_vec());
        let headers: Vec<&str> = columns.iter().map(|c| c.header()).collect();
        let fields: Vec<&str> = match shape.columns {
            Some(c) => c.iter().map(|c| c.field()).collect(),
            None => USER_CSV_FIELDS.to_vec(),
        };
        let mut list = self
            .list(&headers)
            .csv_from_items(&fields)
            .when_empty("no users match");
        if !shape.headers {
            list = list.without_headers();
        }
        UserList {
            list,
            columns,
            only: shape.columns.map(|_| fields),
            now: shape.now,
        }
    }
}

/// A list of users; see [`Output::user_list`].
pub struct UserList<'a> {
    list: List<'a>,
    columns: Vec<UserColumn>,
    /// With `--columns`, the JSON objects hold only these fields.
    only: Option<Vec<&'static str>>,
    now: Option<jiff::Timestamp>,
}

impl UserList<'_> {
    /// Whether the list is a table, which needs only [`UserBrief`]s (when its columns
    /// are in one).
    pub fn is_table(&self) -> bool {
        matches!(self.list.sink, Sink::Table(_) | Sink::Plain { .. })
    }

    /// Whether the rows can be [`UserBrief`]s rather than whole users.
    pub fn takes_briefs(&self) -> bool {
        self.is_table() && self.columns.iter().all(|c| c.in_brief())
    }

    pub fn push(&mut self, u: &User) -> Result<()> {
        if self.is_table() {
            let brief = UserBrief {
                id: u.id,
                name: u.name.clone(),
                email: u.email.clone(),
                role: u.role,
                status: u.status,
                expired: u.expired,
                locked: self.now.is_some_and(|now| u.locked_until(now).is_some()),
                package_count: u.packages.len() as i64,
                last_login_at: u.last_login_at.clone(),
            };
            return self.push_row(&brief, Some(u));
        }
        let view = UserView::from(u);
        match &self.only {
            Some(fields) => self
                .list
                .push_cells(Vec::new(), Vec::new(), &view.only(fields)),
            None => self.list.push_cells(Vec::new(), Vec::new(), &view),
        }
    }

    /// A row of a table from a brief.
    pub fn push_brief(&mut self, b: &UserBrief) -> Result<()> {
        self.push_row(b, None)
    }

    fn push_row(&mut self, b: &UserBrief, full: Option<&User>) -> Result<()> {
        let dash = || "-".to_string();
        let status = user_status_label(b.status, b.expired, b.locked);
        let text = |c: UserColumn| -> String {
            match c {
                UserColumn::Id => b.id.to_string(),
                UserColumn::Name => b.name.clone(),
                UserColumn::Email => b.email.clone(),
                UserColumn::Role => b.role.label().to_string(),
                UserColumn::Status => status.to_string(),
                UserColumn::Packages => b.package_count.to_string(),
                UserColumn::LastLogin => b.last_login_at.clone().unwrap_or_else(|| "never".into()),
                UserColumn::FullName => full.and_then(|u| u.full_name.clone()).unwrap_or_else(dash),
                UserColumn::Phone => full.and_then(|u| u.phone.clone()).unwrap_or_else(dash),
                UserColumn::Created => full.map(|u| u.created_at.clone()).unwrap_or_else(dash),
                UserColumn::Expires => full
                    .and_then(|u| u.expires_at.clone())
                    .unwrap_or_else(|| "never".into()),
            }
        };
        let cells: Vec<String> = self.columns.iter().map(|c| text(*c)).collect();
        match &self.list.sink {
            Sink::Table(_) => {
                let styled = self
                    .columns
                    .iter()
                    .zip(&cells)
                    .map(|(c, t)| match c {
                        UserColumn::Role => self.list.out.role_cell(b.role),
                        UserColumn::Status if status == "✓ Active" => cell(t).fg(Color::Green),
                        UserColumn::Status => cell(t).fg(Color::Red),
                        _ => cell(t),
                    })
                    .collect();
                self.list.push_cells(styled, Vec::new(), &Value::Null)
            }
            _ => self.list.push_cells(Vec::new(), cells, &Value::Null),
        }
    }

    pub fn finish(self) -> Result<()> {
        self.list.finish()
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

/// What gets a leading `'`: the starts of a formula, and `'` itself — so that taking one
/// `'` off again is exact: `'x` is written `''x` and read back as `'x`.
fn quoted_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '\'')
}

/// A CSV cell as written: formula-like text (and text starting with `'`) gets a
/// leading `'`.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if quoted_start(c) => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A CSV cell as read back: the `'` that [`neutralize`] added is taken off.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.chars().next().is_some_and(quoted_start) => rest,
        _ => cell,
    }
}

/// A JSON value as one CSV cell: strings as they are, arrays joined with `;`, null empty.
pub fn csv_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(csv_cell).collect::<Vec<_>>().join(";"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralising_a_cell_is_undone_exactly() {
        for cell in [
            "plain",
            "=1+1",
            "+49 30",
            "-x@example.com",
            "@SUM(1)",
            "'-a@x.com",
            "'x",
            "''",
            "'",
            "",
            "\tTab",
            "a'b",
        ] {
            assert_eq!(unneutralize(&neutralize(cell)), cell, "{cell:?}");
        }
        assert_eq!(neutralize("'-a"), "''-a");
        assert_eq!(neutralize("=1"), "'=1");
    }
}
