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

mod cells;
mod list;
mod users;

pub use cells::*;
pub use list::*;
pub use users::*;

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
