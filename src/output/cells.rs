//! One cell of output made safe: control characters escaped for a terminal, and
//! spreadsheet formulas neutralised in CSV.

use super::*;

/// A table cell. Text in tables came from people (names, descriptions, the targets of
/// denied commands) and goes to a terminal: control and invisible formatting characters
/// are shown escaped (`\u{1b}`), never sent.
pub(super) fn cell(text: impl ToString) -> Cell {
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
pub(super) fn quoted_start(c: char) -> bool {
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
