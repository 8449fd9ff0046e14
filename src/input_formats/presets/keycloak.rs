//! A Keycloak realm export (`kc.sh export`), its users and their password credentials.

use std::collections::HashMap;

use serde_json::Value;

use super::{LeftOut, Mapped};
use crate::error::Result;
use crate::input_formats::{bad_input, Field, Location};

/// A Keycloak realm export (`kc.sh export`: the realm file or its `*-users-N.json`
/// parts), or a bare array of its user representations. Each user is mapped to
/// gatehouse's columns:
///
/// - `email`; `username` as the name; `firstName lastName` as the full name;
/// - `enabled: false` makes the user inactive;
/// - a realm role `admin` makes an admin;
/// - `groups` become packages, by the last part of their path (`/eu/north` → `north`);
/// - the `password` credential (PBKDF2-SHA256/512 or argon2) becomes the password hash;
/// - `createdTimestamp` becomes `created_at`.
pub(super) fn records(data: &[u8]) -> Result<Vec<(Location, Mapped)>> {
    let body = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let v: Value = serde_json::from_slice(body)
        .map_err(|e| bad_input(format!("line {}: not valid JSON: {e}", e.line())))?;
    let users = match v {
        Value::Object(mut realm) => match realm.remove("users") {
            Some(Value::Array(users)) => users,
            _ => {
                return Err(bad_input(
                    "no `users` array: export the realm with its users (kc.sh export --users realm_file)"
                        .into(),
                ))
            }
        },
        Value::Array(users) => users,
        _ => return Err(bad_input("expected a Keycloak realm export".into())),
    };
    users
        .into_iter()
        .enumerate()
        .map(|(i, u)| {
            let loc = Location::Item(i + 1);
            match u {
                Value::Object(m) => Ok((loc, keycloak_row(&m))),
                _ => Err(bad_input(format!("{loc}: expected a user object"))),
            }
        })
        .collect()
}

/// One Keycloak user as gatehouse's fields; a service account or a user without an
/// email is left out.
fn keycloak_row(m: &serde_json::Map<String, Value>) -> Mapped {
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    if text(m.get("serviceAccountClientId")).is_some() {
        return Mapped::LeftOut(LeftOut::ServiceAccount);
    }
    if text(m.get("email")).is_none() {
        return Mapped::LeftOut(LeftOut::NoEmail);
    }
    let strings = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::Array(a)) => a.iter().filter_map(|x| text(Some(x))).collect(),
            _ => Vec::new(),
        }
    };
    let mut f = HashMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            f.insert(k.to_string(), Field::Text(v));
        }
    };
    put("email", text(m.get("email")));
    put("name", text(m.get("username")));
    let full: Vec<String> = ["firstName", "lastName"]
        .iter()
        .filter_map(|k| text(m.get(*k)))
        .collect();
    put("full_name", (!full.is_empty()).then(|| full.join(" ")));
    let enabled = !matches!(m.get("enabled"), Some(Value::Bool(false)));
    put(
        "status",
        Some(if enabled { "active" } else { "inactive" }.into()),
    );
    let admin = strings(m.get("realmRoles")).iter().any(|r| r == "admin");
    put("role", Some(if admin { "admin" } else { "user" }.into()));
    let credential = match m.get("credentials") {
        Some(Value::Array(cs)) => cs
            .iter()
            .find(|c| c.get("type").and_then(Value::as_str) == Some("password")),
        _ => None,
    };
    put("password_hash", credential.map(keycloak_hash));
    // Milliseconds since 1970, as Keycloak keeps it.
    let created = m
        .get("createdTimestamp")
        .and_then(Value::as_i64)
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok());
    put("created_at", created.map(|t| t.to_string()));
    let packages: Vec<String> = strings(m.get("groups"))
        .iter()
        .filter_map(|g| g.rsplit('/').find(|p| !p.is_empty()).map(str::to_string))
        .collect();
    if !packages.is_empty() {
        f.insert("packages".into(), Field::List(packages));
    }
    // Keycloak would have asked for a new password at the next login.
    if strings(m.get("requiredActions"))
        .iter()
        .any(|a| a == "UPDATE_PASSWORD")
    {
        f.insert("must_change_password".into(), Field::Text("true".into()));
    }
    // A user of a federated directory (LDAP, Kerberos) has no password in the export.
    let no_password = if text(m.get("federationLink")).is_some() {
        "no password: its password stays in the federated directory (LDAP)"
    } else {
        "no password credential (signs in through an identity provider, or not at all)"
    };
    Mapped::Row(f, Some(no_password.to_string()))
}

/// A Keycloak password credential as a hash string gatehouse reads: PBKDF2 in passlib's
/// form, argon2 as a PHC string. Anything else comes back as text naming the algorithm,
/// which the hash check then refuses with a way forward.
fn keycloak_hash(c: &Value) -> String {
    use base64::Engine;
    // Both parts are JSON objects, stored as JSON text.
    let part = |k: &str| -> serde_json::Map<String, Value> {
        match c.get(k) {
            Some(Value::String(s)) => serde_json::from_str(s).unwrap_or_default(),
            Some(Value::Object(o)) => o.clone(),
            _ => Default::default(),
        }
    };
    let (secret, data) = (part("secretData"), part("credentialData"));
    let algorithm = data
        .get("algorithm")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let iterations = data
        .get("hashIterations")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let b64 = |k: &str| {
        secret
            .get(k)
            .and_then(Value::as_str)
            .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
    };
    let (Some(salt), Some(hash)) = (b64("salt"), b64("value")) else {
        return format!("keycloak-{algorithm}");
    };
    let unpadded = base64::engine::general_purpose::STANDARD_NO_PAD;
    let ab64 = |b: &[u8]| unpadded.encode(b).replace('+', ".");
    let param = |k: &str| {
        data.get("additionalParameters")
            .and_then(|p| p.get(k))
            .and_then(|v| v.get(0).or(Some(v)))
            .and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or(v.as_u64().map(|n| n.to_string()))
            })
    };
    match algorithm.as_str() {
        "pbkdf2-sha256" | "pbkdf2-sha512" => {
            format!("${algorithm}${iterations}${}${}", ab64(&salt), ab64(&hash))
        }
        "argon2" => {
            let variant = param("type").unwrap_or_else(|| "id".into());
            let version = match param("version").as_deref() {
                Some("1.0") => 16,
                _ => 19,
            };
            format!(
                "$argon2{variant}$v={version}$m={},t={iterations},p={}${}${}",
                param("memory").unwrap_or_default(),
                param("parallelism").unwrap_or_else(|| "1".into()),
                unpadded.encode(&salt),
                unpadded.encode(&hash)
            )
        }
        other => format!("keycloak-{other}"),
    }
}
