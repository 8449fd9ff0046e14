//! The password file (`~/.pgpass`, or `passfile` / `PGPASSFILE`): which line answers
//! for a connection, with libpq's wildcards and escapes, and the refusal of a file
//! others can read.

use std::path::Path;

use super::ConnInfo;
use crate::env::Env;

impl ConnInfo {
    /// The password from the pgpass file for this host, port, database and user
    /// (`*` matches anything). Like libpq, a file others can read is ignored.
    pub fn pgpass(&self, env: &Env) -> Option<String> {
        use std::os::unix::fs::PermissionsExt;
        let file = self
            .passfile
            .clone()
            .or_else(|| env.var("HOME").map(|h| Path::new(h).join(".pgpass")))?;
        let meta = std::fs::metadata(&file).ok()?;
        if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
            return None;
        }
        let text = std::fs::read_to_string(&file).ok()?;
        let host = match self.host.as_deref() {
            None => "localhost".to_string(),
            Some(h) if h.starts_with('/') => "localhost".to_string(),
            Some(h) => h.to_string(),
        };
        let port = self.port.unwrap_or(5432).to_string();
        let user = self.user.clone().unwrap_or_default();
        let db = self.dbname.clone().unwrap_or_else(|| user.clone());
        let wanted = [host.as_str(), &port, &db, &user];
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .find_map(|line| {
                let fields = split_pgpass(line);
                if fields.len() < 5 {
                    return None;
                }
                let matches = fields[..4].iter().zip(wanted).all(|(f, w)| f.matches(w));
                matches.then(|| fields[4].text.clone())
            })
    }
}

/// A pgpass field: its text, and whether it is the wildcard (a bare `*`; an escaped
/// `\*` is a literal star).
struct PassField {
    text: String,
    escaped: bool,
}

impl PassField {
    fn matches(&self, wanted: &str) -> bool {
        (self.text == "*" && !self.escaped) || self.text == wanted
    }
}

/// A pgpass line's fields: `:` separates, `\` escapes `:`, `\` and `*`.
fn split_pgpass(line: &str) -> Vec<PassField> {
    let new = || PassField {
        text: String::new(),
        escaped: false,
    };
    let mut fields = vec![new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let f = fields.len();
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    let last = &mut fields[f - 1];
                    last.text.push(n);
                    last.escaped = true;
                }
            }
            ':' if f < 5 => fields.push(new()),
            c => fields[f - 1].text.push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::pg::conninfo::no_env;

    #[test]
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:5432:*:*:no\ndb.example.com:*:gh:\\*:literal-star\n\
             db.example.com:*:gh:alice@example.com:pa\\:ss\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut c = ConnInfo::parse(
            "postgres://alice%40example.com@db.example.com/gh",
            &no_env(),
        )
        .unwrap();
        c.passfile = Some(file.clone());
        assert_eq!(c.pgpass(&no_env()).as_deref(), Some("pa:ss"));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(c.pgpass(&no_env()), None, "a readable pgpass is ignored");
    }
}
