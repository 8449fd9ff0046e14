//! JSON arrays of objects and JSON lines, an object per row.

use std::collections::HashMap;
use std::io::{BufRead, Read};

use serde_json::Value;

use super::{
    bad_input, check_columns, row::row, Field, Location, Parsed, Record, MAX_ROW_BYTES,
    ROW_TOO_LONG,
};
use crate::error::Result;

/// One JSON object with import's columns as a row: the whole input's error if the
/// object cannot be read at all, else the row or its problems.
pub fn object_row(loc: Location, v: Value) -> Result<Parsed> {
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

pub(super) fn json_records(data: &[u8]) -> Result<Vec<Record>> {
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    items(body)?
        .into_iter()
        .map(|(loc, item)| object_record(loc, item))
        .collect()
}

/// A JSON array's items, each with its place.
pub(super) fn items(body: &[u8]) -> Result<Vec<(Location, Value)>> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| bad_input(format!("line {}: not valid JSON: {e}", e.line())))?;
    let Value::Array(items) = v else {
        return Err(bad_input("expected a JSON array of objects".into()));
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| (Location::Item(i + 1), item))
        .collect())
}

/// A JSON lines import's rows as they are read, a line at a time.
pub(super) struct JsonlRows {
    input: std::io::BufReader<Box<dyn Read>>,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlRows {
    pub(super) fn new(input: Box<dyn Read>) -> JsonlRows {
        JsonlRows {
            input: std::io::BufReader::with_capacity(64 * 1024, input),
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }
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
