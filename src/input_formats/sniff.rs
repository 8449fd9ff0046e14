//! Telling what an input is before reading it: another system's export (so it is not
//! refused column by column as a plain import), or a spreadsheet workbook, whose first
//! sheet is read as the CSV it would save as.

use std::fmt;

use super::bad_input;
use crate::error::{Error, Result};

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
