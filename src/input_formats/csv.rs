//! The strict CSV reader: RFC 4180 quoting checked as the input streams in (the csv
//! crate forgives it silently), the delimiter detected, the header checked, and each
//! record's line counted from its byte offset.

use crate::output::unneutralize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Read;
use std::rc::Rc;

use super::{
    bad_input, check_columns, column_excerpt, row::row_with, Field, Location, Parsed, ReadOptions,
    UnknownColumns, COLUMNS, MAX_ROW_BYTES, ROW_TOO_LONG,
};
use crate::error::{Error, Result};

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
pub(super) struct Csv {
    rdr: csv::Reader<Watched>,
    /// The header's names, trimmed and in lower case.
    pub(super) headers: Vec<String>,
    watch: Rc<RefCell<Watch>>,
    pub(super) record: csv::StringRecord,
    done: bool,
}

impl Csv {
    /// `head` is the start of the input (at least its first line, when there is one),
    /// for the delimiter when none is given; `input` is the whole input, without a UTF-8
    /// byte-order mark.
    pub(super) fn new(
        head: &[u8],
        input: Box<dyn Read>,
        delimiter: Option<u8>,
    ) -> Result<(Csv, u8)> {
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
    pub(super) fn next_record(&mut self) -> Option<Result<u64>> {
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
pub(super) struct CsvRows(Csv, ReadOptions);

impl CsvRows {
    pub(super) fn new(
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
