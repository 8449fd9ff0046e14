//! A list of rows in the format asked for: a table (paged, so a million rows stream),
//! CSV, a JSON array or JSON lines.

use super::*;

/// Rows a table holds before it is printed and a new one begun: a table must see its
/// rows to size its columns, so a long list is printed in tables of this many rows,
/// like `ps` and `kubectl` do, and memory stays bounded.
pub(super) const TABLE_PAGE: u64 = 500;

/// A list being written; see [`Output::list`].
pub struct List<'a> {
    pub(super) out: &'a Output,
    pub(super) sink: Sink<'a>,
    pub(super) headers: Vec<String>,
    /// `--no-headers`: rows only, for `cut` and `while read`.
    pub(super) show_headers: bool,
    /// Columns that keep at least this width on a narrow terminal.
    pub(super) minimums: Vec<(usize, Width)>,
    pub(super) count: u64,
    pub(super) empty_note: &'static str,
}

pub(super) enum Sink<'a> {
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

    pub(super) fn push_cells(
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
