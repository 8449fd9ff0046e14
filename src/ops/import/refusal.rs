//! The error that ends a run whose input has problems: every problem of the file in one
//! pass, each told to the observer, and a hint for the fix. A package missing from many
//! rows is one line with the rows listed compactly, since the fix is one command rather
//! than an edit per row.

use std::collections::{BTreeMap, HashSet};

use super::types::{RowOptions, Source};
use crate::error::{Error, Kind, Problem};
use crate::input_formats::{Location, RowError};
use crate::ops::Observer;

/// Reports every problem planning found, in one pass, and the error that ends the run.
/// A package missing from many rows is one line with the rows listed compactly, since
/// the fix is one command rather than an edit per row.
pub(crate) fn refusal(
    observer: &dyn Observer,
    opts: &RowOptions,
    errors: &[RowError],
    conflicts: &[RowError],
    missing: &BTreeMap<String, Vec<Location>>,
) -> Error {
    let mut problems = Vec::new();
    for e in errors.iter().chain(conflicts) {
        observer.problem(&format!("  {e}"));
        problems.push(Problem {
            location: e.location.to_string(),
            field: e.column.clone(),
            reason: e.reason.clone(),
        });
    }
    for (name, rows) in missing {
        let count = match opts.source {
            Source::Import => rows_count(rows.len()),
            Source::Apply if rows.len() == 1 => "1 user".into(),
            Source::Apply => format!("{} users", rows.len()),
        };
        let line = format!("no package named `{name}` ({count}: {})", compact(rows));
        observer.problem(&format!("  {line}"));
        problems.extend(rows.iter().map(|l| Problem {
            location: l.to_string(),
            field: Some("packages".into()),
            reason: format!("no package named `{name}`"),
        }));
    }
    let bad: HashSet<&Location> = errors
        .iter()
        .chain(conflicts)
        .map(|e| &e.location)
        .chain(missing.values().flatten())
        .collect();
    let only_conflicts = errors.is_empty() && missing.is_empty();
    let kind = if only_conflicts {
        Kind::Conflict
    } else {
        Kind::Invalid
    };
    let apply = opts.source == Source::Apply;
    let noun = if apply { "entries" } else { "rows" };
    let mut hint = if only_conflicts {
        "use --on-conflict skip or --on-conflict update for emails already in the store".to_string()
    } else {
        format!("fix the {noun} above and run again")
    };
    if !missing.is_empty() {
        let names: Vec<&str> = missing.keys().map(String::as_str).collect();
        let first = shell_word(names[0]);
        let s = if names.len() == 1 { "" } else { "s" };
        let others = if errors.is_empty() && conflicts.is_empty() {
            String::new()
        } else {
            format!("fix the other {noun}, and ")
        };
        hint = if apply {
            format!("{others}list the missing package{s} under `packages` in the file")
        } else {
            format!(
                "{others}create the missing package{s} first (`gatehouse package create {first}`{}) or rerun with --create-packages",
                if names.len() == 1 { "" } else { ", …" },
            )
        };
    }
    let n = bad.len();
    let message = match (apply, n) {
        (true, 1) => "1 bad entry; nothing was changed".to_string(),
        (true, _) => format!("{n} bad entries; nothing was changed"),
        (false, _) => format!(
            "{}; nothing was imported",
            rows_count(n).replace("row", "bad row")
        ),
    };
    Error::new(kind, message)
        .with_hint(hint)
        .with_problems(problems)
}

/// A name as one shell word, for a command to copy.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '@'))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

pub fn rows_count(n: usize) -> String {
    format!("{n} row{}", if n == 1 { "" } else { "s" })
}

/// `lines 2–13, 15` or `items 1, 4`: runs of consecutive rows as ranges.
pub fn compact(rows: &[Location]) -> String {
    let number = |l: &Location| match l {
        Location::Line(n) => ("line", "lines", *n),
        Location::Item(n) => ("item", "items", *n as u64),
        Location::Entry(list, n) => (list.name(), list.name(), *n as u64),
    };
    let Some((one, many, _)) = rows.first().map(number) else {
        return String::new();
    };
    let mut nums: Vec<u64> = rows
        .iter()
        .map(number)
        .filter(|(w, _, _)| *w == one)
        .map(|(_, _, n)| n)
        .collect();
    nums.sort_unstable();
    nums.dedup();
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let mut j = i;
        while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
            j += 1;
        }
        runs.push(match j - i {
            0 => nums[i].to_string(),
            1 => format!("{}, {}", nums[i], nums[j]),
            _ => format!("{}–{}", nums[i], nums[j]),
        });
        i = j + 1;
    }
    if let Some(Location::Entry(list, _)) = rows.first() {
        return format!("{}[{}]", list.name(), runs.join(", "));
    }
    format!(
        "{} {}",
        if nums.len() == 1 { one } else { many },
        runs.join(", ")
    )
}
